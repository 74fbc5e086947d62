//! Markdown to HTML with comrak: GFM tables, footnotes, task lists, autolinks and heading ids. Raw
//! HTML is shown as text, but for the little HTML of [`super::little_html`]; HTML comments, which are author's notes, are left
//! out; a link or image whose address is not a web address,
//! an email address or a path in the site is reduced to its text.

use comrak::adapters::{HeadingAdapter, HeadingMeta};
use comrak::nodes::{AstNode, NodeValue, Sourcepos};
use comrak::options::Plugins;
use comrak::{Anchorizer, Arena, Options, format_html_with_plugins, parse_document};
use std::fmt;
use std::sync::Mutex;

/// Renders `markdown` as an HTML fragment to sit under a heading of level `top - 1`.
///
/// The fragment's headings are renumbered so that its highest becomes `top` and none skips a level
/// (an author's `#` or `##` both become the page's next level down), never below `h6`. Heading and
/// footnote ids start with `prefix`, so fragments can share a page. Tables are wrapped in a container
/// that scrolls sideways on narrow screens. HTML comments are removed first
/// ([`without_comments`](crate::load::body::without_comments)): answers have them removed when they
/// are loaded, and this is the second line, so that no caller can publish an author's note.
///
/// ```
/// let html = workbook::render::markdown::to_html("## Who uses it\n\n<script>x</script>", "q1-", 3);
/// assert!(html.starts_with("<h3 id=\"q1-who-uses-it\">Who uses it</h3>"));
/// assert!(html.contains("&lt;script&gt;"));
/// ```
pub fn to_html(markdown: &str, prefix: &str, top: u8) -> String {
    to_html_linked(markdown, prefix, top, &|url| Some(url.to_owned()))
}

/// [`to_html`], with each local link and image (see [`crate::links::is_local`]) given the address
/// `links` returns for it, or reduced to its text when `links` returns `None`: a page links
/// another answer's page, a published evidence file, or nothing.
pub fn to_html_linked(
    markdown: &str,
    prefix: &str,
    top: u8,
    links: &dyn Fn(&str) -> Option<String>,
) -> String {
    let markdown = crate::load::body::without_comments(markdown);
    let options = options();
    let arena = Arena::new();
    let root = parse_document(&arena, &markdown, &options);
    renumber_headings(root, top);
    unwrap_unsafe_links(root, links);
    let little_html = super::little_html::pass_through(root);
    let headings = Headings { prefix: prefix.to_owned(), anchorizer: Mutex::new(Anchorizer::new()) };
    let mut plugins = Plugins::default();
    plugins.render.heading_adapter = Some(&headings);
    let mut html = String::new();
    if format_html_with_plugins(root, &options, &mut html, &plugins).is_err() {
        return String::new();
    }
    // Raw HTML is escaped (but for the little HTML, which holds no tables, inputs or ids), so these
    // strings can only be comrak's own markup.
    // A wide table scrolls in its own container, which keyboard users can focus to scroll.
    let html = html
        .replace(
            "<table>",
            "<div class=\"table-scroll\" role=\"region\" aria-label=\"Table\" tabindex=\"0\"><table>",
        )
        .replace("</table>", "</table></div>")
        .replace(
            "<input type=\"checkbox\" checked=\"\" disabled=\"\" />",
            "<input type=\"checkbox\" checked=\"\" disabled=\"\" aria-label=\"Done\" />",
        )
        .replace(
            "<input type=\"checkbox\" disabled=\"\" />",
            "<input type=\"checkbox\" disabled=\"\" aria-label=\"Not done\" />",
        )
        .replace(" id=\"fn-", &format!(" id=\"{prefix}fn-"))
        .replace(" href=\"#fn-", &format!(" href=\"#{prefix}fn-"))
        .replace(" id=\"fnref-", &format!(" id=\"{prefix}fnref-"))
        .replace(" href=\"#fnref-", &format!(" href=\"#{prefix}fnref-"));
    if little_html { super::little_html::sanitise(&html) } else { html }
}

/// The Markdown dialect of answers: GFM tables, footnotes, task lists, autolinks and strikethrough;
/// raw HTML escaped.
pub(crate) fn options() -> Options<'static> {
    let mut options = Options::default();
    options.extension.table = true;
    options.extension.footnotes = true;
    options.extension.tasklist = true;
    options.extension.autolink = true;
    options.extension.strikethrough = true;
    options.render.r#unsafe = false;
    options.render.escape = true;
    options
}

/// The code blocks of `markdown` as the renderer sees them: first and last line (from 1), and
/// whether the block is fenced and closed by its fence (an unclosed fence runs to the end of its
/// container; an indented block has no fence to close).
pub fn code_blocks(markdown: &str) -> Vec<(usize, usize, bool)> {
    let options = options();
    let arena = Arena::new();
    let root = parse_document(&arena, markdown, &options);
    root.descendants()
        .filter_map(|n| {
            let data = n.data.borrow();
            match &data.value {
                NodeValue::CodeBlock(block) => {
                    Some((data.sourcepos.start.line, data.sourcepos.end.line, block.fenced && block.closed))
                }
                _ => None,
            }
        })
        .collect()
}

/// Gives every heading a level from `top` down: the fragment's highest level becomes `top`, and each
/// heading is at most one level below the one before it.
fn renumber_headings<'a>(root: &'a AstNode<'a>, top: u8) {
    let headings: Vec<&AstNode> =
        root.descendants().filter(|n| matches!(n.data.borrow().value, NodeValue::Heading(_))).collect();
    let level = |n: &AstNode| match n.data.borrow().value {
        NodeValue::Heading(ref h) => h.level,
        _ => 1,
    };
    let highest = headings.iter().map(|n| level(n)).min().unwrap_or(1);
    let mut previous = top.saturating_sub(1);
    for node in headings {
        let wanted = (top + level(node) - highest).min(previous + 1).clamp(top, 6);
        if let NodeValue::Heading(ref mut h) = node.data.borrow_mut().value {
            h.level = wanted;
        }
        previous = wanted;
    }
}

/// True for an address that may be linked: a web or email address, a fragment, or a path with no scheme.
fn is_safe_link(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    let scheme_end = lower.find(':');
    let path_start = lower.find(['/', '?', '#']).unwrap_or(lower.len());
    match scheme_end {
        Some(colon) if colon < path_start => {
            lower.starts_with("https:") || lower.starts_with("http:") || lower.starts_with("mailto:")
        }
        _ => !lower.is_empty(),
    }
}

/// Replaces every link and image with an unsafe or empty address by its text, and gives each local
/// one the address `links` returns (its text alone when that is `None`).
fn unwrap_unsafe_links<'a>(root: &'a AstNode<'a>, links: &dyn Fn(&str) -> Option<String>) {
    let unsafe_nodes: Vec<&AstNode> = root
        .descendants()
        .filter(|n| {
            let mut data = n.data.borrow_mut();
            let (link, image) = match &mut data.value {
                NodeValue::Link(link) => (link, false),
                NodeValue::Image(link) => (link, true),
                _ => return false,
            };
            if !is_safe_link(&link.url)
                || (image && link.url.trim().to_ascii_lowercase().starts_with("mailto:"))
            {
                return true;
            }
            if !crate::links::is_local(&link.url) {
                return false;
            }
            match links(&link.url).filter(|url| is_safe_link(url)) {
                Some(url) => {
                    link.url = url;
                    false
                }
                None => true,
            }
        })
        .collect();
    for node in unsafe_nodes {
        while let Some(child) = node.first_child() {
            node.insert_before(child);
        }
        node.detach();
    }
}

/// Writes headings with an id and no anchor link (an empty link is an invisible stop for keyboards).
struct Headings {
    prefix: String,
    anchorizer: Mutex<Anchorizer>,
}

impl HeadingAdapter for Headings {
    fn enter(&self, output: &mut dyn fmt::Write, heading: &HeadingMeta, _: Option<Sourcepos>) -> fmt::Result {
        let id = self.anchorizer.lock().map(|mut a| a.anchorize(&heading.content)).unwrap_or_default();
        write!(output, "<h{} id=\"{}{}\">", heading.level, self.prefix, id)
    }

    fn exit(&self, output: &mut dyn fmt::Write, heading: &HeadingMeta) -> fmt::Result {
        writeln!(output, "</h{}>", heading.level)
    }
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

#[cfg(test)]
mod tests {
    use super::to_html;

    #[test]
    fn hostile_markup_is_text_and_unsafe_links_are_dropped() {
        let html = to_html(
            "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)> [a](javascript:alert(1)) [b](data:text/html,x) <iframe src=x>",
            "p-",
            4,
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(!html.contains("<iframe"), "{html}");
        assert!(!html.contains("javascript:alert"), "{html}");
        assert!(!html.contains("href=\"data:"), "{html}");
    }

    #[test]
    fn headings_start_at_the_level_given_and_never_skip() {
        let html = to_html("## A\n\n#### B\n\n### C\n\n# D\n", "x-", 4);
        let levels: Vec<&str> = html.match_indices("<h").map(|(i, _)| &html[i + 2..i + 3]).collect();
        assert_eq!(levels, ["4", "5", "6", "4"], "{html}");
        assert!(!html.contains("<a"), "no anchor links: {html}");
    }

    #[test]
    fn task_list_boxes_have_labels_and_unsafe_images_are_text() {
        let html = to_html(
            "- [x] done\n- [ ] todo\n\n![alt text](javascript:x) [link text](vbscript:y) [ok](evidence/a.txt)",
            "x-",
            4,
        );
        assert!(html.contains("aria-label=\"Done\"") && html.contains("aria-label=\"Not done\""), "{html}");
        assert!(!html.contains("<img") && html.contains("alt text"), "{html}");
        assert!(html.contains("link text") && !html.contains("vbscript"), "{html}");
        assert!(html.contains("<a href=\"evidence/a.txt\">ok</a>"), "{html}");
    }

    #[test]
    fn footnote_and_heading_ids_carry_the_prefix() {
        let html = to_html("## Part\n\nText[^1]\n\n[^1]: Note.\n", "q7-body-", 4);
        assert!(html.contains("<h4"), "{html}");
        assert!(html.contains("id=\"q7-body-part\""), "{html}");
        assert!(html.contains("id=\"q7-body-fn-1\"") && html.contains("href=\"#q7-body-fn-1\""), "{html}");
    }

    #[test]
    fn tables_scroll_in_their_own_container() {
        let html = to_html("| a | b |\n|---|---|\n| 1 | 2 |\n", "x-", 4);
        assert!(
            html.contains(
                "<div class=\"table-scroll\" role=\"region\" aria-label=\"Table\" tabindex=\"0\"><table>"
            ),
            "{html}"
        );
    }

    #[test]
    fn comments_are_left_out_and_code_keeps_them() {
        let html = to_html("Text <!-- inline note -->.\n\n<!-- block note -->\n\n`<!-- code -->`\n", "x-", 4);
        assert!(!html.contains("note"), "{html}");
        assert!(html.contains("<code>&lt;!-- code --&gt;</code>"), "{html}");
    }
}
