//! Markdown to HTML with comrak: GFM tables, footnotes, task lists, autolinks and heading ids. Raw
//! HTML is shown as text, never passed through, and links with unsafe schemes (`javascript:`,
//! `data:` other than images) lose their address.

use comrak::nodes::NodeValue;
use comrak::{Arena, Options, format_html, parse_document};

/// Renders `markdown` as an HTML fragment.
///
/// Headings move down `shift` levels (an answer's `#` becomes an `h3` under the page's `h1` and
/// section `h2`), never below `h6`. Heading and footnote ids start with `prefix`, so that fragments
/// can share a page without clashing ids. Tables are wrapped in a container that scrolls sideways on
/// narrow screens.
///
/// ```
/// let html = workbook::render::markdown::to_html("# Hi <script>x</script>", "q1-", 2);
/// assert!(html.starts_with("<h3"));
/// assert!(html.contains("&lt;script&gt;"));
/// ```
pub fn to_html(markdown: &str, prefix: &str, shift: u8) -> String {
    let mut options = Options::default();
    options.extension.table = true;
    options.extension.footnotes = true;
    options.extension.tasklist = true;
    options.extension.autolink = true;
    options.extension.strikethrough = true;
    options.extension.header_id_prefix = Some(prefix.to_owned());
    options.render.r#unsafe = false;
    options.render.escape = true;
    let arena = Arena::new();
    let root = parse_document(&arena, markdown, &options);
    for node in root.descendants() {
        if let NodeValue::Heading(ref mut heading) = node.data.borrow_mut().value {
            heading.level = (heading.level + shift).min(6);
        }
    }
    let mut html = String::new();
    if format_html(root, &options, &mut html).is_err() {
        return String::new();
    }
    // Raw HTML is escaped, so these strings can only be comrak's own markup.
    html.replace("<table>", "<div class=\"table-scroll\"><table>")
        .replace("</table>", "</table></div>")
        .replace(" id=\"fn-", &format!(" id=\"{prefix}fn-"))
        .replace(" href=\"#fn-", &format!(" href=\"#{prefix}fn-"))
        .replace(" id=\"fnref-", &format!(" id=\"{prefix}fnref-"))
        .replace(" href=\"#fnref-", &format!(" href=\"#{prefix}fnref-"))
}

/// Escapes text for one line of Markdown that we write (a status table, a diff comment): characters
/// that would start markup or break a table cell get a backslash, and line breaks become spaces.
pub fn escape_inline(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|') {
            out.push('\\');
        }
        out.push(if c == '\n' { ' ' } else { c });
    }
    out
}

/// The text of `markdown` without its markup, for feeds and descriptions.
pub fn to_text(markdown: &str) -> String {
    let options = Options::default();
    let arena = Arena::new();
    let root = parse_document(&arena, markdown, &options);
    let mut text = String::new();
    for node in root.descendants() {
        match &node.data.borrow().value {
            NodeValue::Text(t) => text.push_str(t),
            NodeValue::Code(c) => text.push_str(&c.literal),
            NodeValue::SoftBreak | NodeValue::LineBreak => text.push(' '),
            NodeValue::Paragraph | NodeValue::Heading(_) | NodeValue::Item(_) if !text.is_empty() => {
                text.push(' ')
            }
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::to_html;

    #[test]
    fn hostile_markup_is_text_and_unsafe_links_are_dropped() {
        let html = to_html(
            "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)> [a](javascript:alert(1)) [b](data:text/html,x) <iframe src=x>",
            "p-",
            2,
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(!html.contains("<iframe"), "{html}");
        assert!(!html.contains("javascript:alert"), "{html}");
        assert!(!html.contains("href=\"data:"), "{html}");
    }

    #[test]
    fn footnote_and_heading_ids_carry_the_prefix() {
        let html = to_html("## Part\n\nText[^1]\n\n[^1]: Note.\n", "q7-body-", 2);
        assert!(html.contains("<h4"), "{html}");
        assert!(html.contains("id=\"q7-body-part\""), "{html}");
        assert!(html.contains("id=\"q7-body-fn-1\"") && html.contains("href=\"#q7-body-fn-1\""), "{html}");
    }

    #[test]
    fn tables_scroll_in_their_own_container() {
        let html = to_html("| a | b |\n|---|---|\n| 1 | 2 |\n", "x-", 2);
        assert!(html.contains("<div class=\"table-scroll\"><table>"), "{html}");
    }
}
