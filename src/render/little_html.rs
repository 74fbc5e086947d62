//! The little HTML an author may write in Markdown: `<details>`, `<summary>`, `<br>`, `<sup>`,
//! `<sub>`, `<abbr>` and `<kbd>`. Everything else an author writes as HTML is shown as text.
//!
//! Two gates, so that neither alone has to be perfect. First, each raw HTML node of the Markdown is
//! passed through only when every tag in it is one of these, written plainly (an `<abbr>` may have a
//! `title`, a `<details>` may be `open`; nothing else has attributes); such a node becomes comrak's
//! verbatim `Raw` node, and every other stays raw HTML, which the renderer escapes. Second, a
//! fragment that holds any passed-through tag is cleaned by `ammonia` with the tags and attributes
//! our own Markdown renderer writes and these seven: it closes what an author left open (an unclosed
//! `<details>` would swallow the rest of the page) and drops anything the first gate let by.

use comrak::nodes::{AstNode, NodeValue};
use regex::Regex;
use std::sync::OnceLock;

/// The tags an author may write.
pub const TAGS: &[&str] = &["details", "summary", "br", "sup", "sub", "abbr", "kbd"];

/// One tag, as an author may write it: `<sup>`, `</sup>`, `<br />`, `<abbr title="…">`,
/// `<details open>`.
fn tag_pattern() -> &'static Regex {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    PATTERN.get_or_init(|| {
        Regex::new(
            r#"(?i)^<(?:/(?:details|summary|sup|sub|abbr|kbd)\s*|br\s*/?|(?:summary|sup|sub|kbd)\s*|details(?:\s+open)?\s*|abbr(?:\s+title\s*=\s*(?:"[^"<>]*"|'[^'<>]*'))?\s*)>$"#,
        )
        .unwrap_or_else(|e| unreachable!("the tag pattern is valid: {e}"))
    })
}

/// Any tag-like run of raw HTML: what the first gate splits a node into.
fn any_tag() -> &'static Regex {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    PATTERN.get_or_init(|| Regex::new(r"<[^<>]*>").unwrap_or_else(|e| unreachable!("valid: {e}")))
}

/// True when `tag` (one tag, `<` to `>`) is one an author may write.
pub fn is_allowed_tag(tag: &str) -> bool {
    tag_pattern().is_match(tag)
}

/// The raw HTML `literal` as it may be published: every tag in it allowed, the text between tags
/// escaped; `None` when any tag is not allowed (or it is a comment), so that the whole node is shown
/// as text.
fn allowed(literal: &str) -> Option<String> {
    let mut out = String::with_capacity(literal.len());
    let mut last = 0;
    let mut tags = 0;
    for tag in any_tag().find_iter(literal) {
        if !is_allowed_tag(tag.as_str()) {
            return None;
        }
        out.push_str(&escape(&literal[last..tag.start()]));
        out.push_str(tag.as_str());
        last = tag.end();
        tags += 1;
    }
    let rest = &literal[last..];
    if tags == 0 || rest.contains(['<', '>']) || literal[..last].contains("<!") {
        return None;
    }
    out.push_str(&escape(rest));
    Some(out)
}

/// Text between tags, as HTML: `<` and `>` escaped, and `&` left as written, so that an author's
/// `&amp;` is not escaped twice (ammonia, which cleans every such fragment, reads a bare `&` as text).
fn escape(text: &str) -> String {
    text.replace('<', "&lt;").replace('>', "&gt;")
}

/// Turns each raw HTML node of `root` made only of allowed tags into a verbatim node. True when it
/// turned any, so that the rendered fragment must go through [`sanitise`].
pub(crate) fn pass_through<'a>(root: &'a AstNode<'a>) -> bool {
    let mut any = false;
    for node in root.descendants() {
        let mut data = node.data.borrow_mut();
        let literal = match &data.value {
            NodeValue::HtmlInline(literal) => literal,
            NodeValue::HtmlBlock(block) => &block.literal,
            _ => continue,
        };
        if let Some(html) = allowed(literal) {
            data.value = NodeValue::Raw(html);
            any = true;
        }
    }
    any
}

/// The raw HTML of `markdown` that will be shown as text rather than as HTML: each slice is a tag
/// as written (the first not allowed in its node), for `check` to point at.
pub fn shown_as_text(markdown: &str) -> Vec<&str> {
    if !markdown.contains('<') {
        return Vec::new();
    }
    let options = super::markdown::options();
    let arena = comrak::Arena::new();
    let root = comrak::parse_document(&arena, markdown, &options);
    let mut out = Vec::new();
    let mut opened = Vec::new();
    for node in root.descendants() {
        let data = node.data.borrow();
        let literal = match &data.value {
            NodeValue::HtmlInline(literal) => literal.as_str(),
            NodeValue::HtmlBlock(block) => block.literal.as_str(),
            _ => continue,
        };
        if literal.trim_start().starts_with("<!--") || allowed(literal).is_some() {
            continue;
        }
        let Some(tag) = any_tag().find_iter(literal).find(|t| !is_allowed_tag(t.as_str())) else { continue };
        // `<script>` and its `</script>` are one finding: the closing tag is said only when alone.
        let name = |tag: &str| {
            tag.trim_start_matches(['<', '/'])
                .split(|c: char| !c.is_ascii_alphanumeric())
                .next()
                .unwrap_or("")
                .to_ascii_lowercase()
        };
        if tag.as_str().starts_with("</") && opened.contains(&name(tag.as_str())) {
            continue;
        }
        opened.push(name(tag.as_str()));
        if let Some(start) = markdown.find(tag.as_str()) {
            out.push(&markdown[start..start + tag.len()]);
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Cleans a rendered fragment that holds passed-through tags (see the module's comment).
pub(crate) fn sanitise(html: &str) -> String {
    static CLEANER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    CLEANER
        .get_or_init(|| {
            let mut builder = ammonia::Builder::default();
            builder
                .tags(
                    [
                        // What the Markdown renderer writes.
                        "p",
                        "h1",
                        "h2",
                        "h3",
                        "h4",
                        "h5",
                        "h6",
                        "ul",
                        "ol",
                        "li",
                        "a",
                        "img",
                        "em",
                        "strong",
                        "del",
                        "code",
                        "pre",
                        "blockquote",
                        "table",
                        "thead",
                        "tbody",
                        "tr",
                        "th",
                        "td",
                        "hr",
                        "input",
                        "section",
                        "div",
                    ]
                    .into_iter()
                    .chain(TAGS.iter().copied())
                    .collect(),
                )
                .generic_attributes(
                    ["id", "class", "role", "aria-label", "tabindex", "title", "align"].into_iter().collect(),
                )
                .generic_attribute_prefixes(["data-footnote"].into_iter().collect())
                .tag_attributes(
                    [
                        ("a", ["href"].into_iter().collect()),
                        ("img", ["src", "alt"].into_iter().collect()),
                        ("ol", ["start"].into_iter().collect()),
                        ("input", ["type", "checked", "disabled"].into_iter().collect()),
                        ("details", ["open"].into_iter().collect()),
                    ]
                    .into_iter()
                    .collect(),
                )
                .url_schemes(["http", "https", "mailto"].into_iter().collect())
                .link_rel(None);
            builder
        })
        .clean(html)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_allowed_tags_pass() {
        for tag in [
            "<sup>",
            "</SUP>",
            "<br>",
            "<br/>",
            "<br />",
            "<abbr title=\"Local authority\">",
            "<details open>",
            "</kbd>",
        ] {
            assert!(is_allowed_tag(tag), "{tag}");
        }
        for tag in [
            "<script>",
            "<sup onclick=\"x()\">",
            "<abbr title=\"x\" onmouseover=\"y\">",
            "<details ontoggle=alert(1)>",
            "<img src=x onerror=alert(1)>",
            "<abbr title=\"a\"b\">",
            "<iframe>",
        ] {
            assert!(!is_allowed_tag(tag), "{tag}");
        }
    }

    #[test]
    fn a_node_with_one_bad_tag_is_text_whole() {
        assert_eq!(
            allowed("<details>\n<summary>More</summary>\n").as_deref(),
            Some("<details>\n<summary>More</summary>\n")
        );
        assert_eq!(allowed("<details><script>x</script>"), None);
        assert_eq!(allowed("<summary>a < b</summary>").as_deref(), Some("<summary>a &lt; b</summary>"));
        assert_eq!(allowed("<sup>x &amp; y</sup>").as_deref(), Some("<sup>x &amp; y</sup>"));
    }
}

#[cfg(test)]
mod rendered {
    use crate::render::markdown::to_html;

    #[test]
    fn details_render_and_script_does_not() {
        let html = to_html(
            "<details>\n<summary>How the score is worked out</summary>\n\nIt adds **three** things.\n\n</details>\n\n\
             Water is H<sub>2</sub>O, E = mc<sup>2</sup>, <abbr title=\"Local authority\">LA</abbr>, <kbd>Ctrl</kbd>.<br>\n\
             Then <script>alert(1)</script> and <sup onclick=\"x()\">no</sup>.\n",
            "q1-",
            3,
        );
        assert!(html.contains("<details>\n<summary>How the score is worked out</summary>"), "{html}");
        assert!(html.contains("<strong>three</strong>"), "Markdown inside details still renders: {html}");
        assert!(html.contains("</details>"), "{html}");
        for tag in [
            "H<sub>2</sub>O",
            "mc<sup>2</sup>",
            "<abbr title=\"Local authority\">LA</abbr>",
            "<kbd>Ctrl</kbd>",
            "<br>",
        ] {
            assert!(html.contains(tag), "no {tag} in {html}");
        }
        assert!(!html.contains("<script"), "{html}");
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "the script is shown as text: {html}"
        );
        assert!(!html.contains("<sup onclick"), "{html}");
    }

    #[test]
    fn an_unclosed_details_is_closed_in_its_fragment() {
        let html = to_html("<details>\n<summary>Open</summary>\n\nText.\n", "q1-", 3);
        assert_eq!(html.matches("<details>").count(), html.matches("</details>").count(), "{html}");
        // A stray closing tag cannot close the page's own elements.
        let html = to_html("</details></div></main>\n\nText.\n", "q1-", 3);
        assert!(!html.contains("</div></main>") && !html.contains("</details>"), "{html}");
    }
}
