//! Markdown reduced to plain text, for the places that take no markup: the ATRS template's cells.
//!
//! Paragraphs stay paragraphs (a blank line between them, each on one line), list items start with
//! "- " (or their number), a link reads "text (address)", emphasis and headings lose their marks,
//! a table becomes one line a row ("Header: cell; Header: cell"), and raw HTML and comments are
//! left out. The text is read with the same dialect as the site's ([`super::markdown`]).

use comrak::nodes::{AstNode, ListType, NodeValue};
use comrak::{Arena, parse_document};

/// `markdown` as plain text, trimmed.
pub fn to_plain_text(markdown: &str) -> String {
    if is_plain_line(markdown) {
        // A name or a short answer with no markup: what the parse would give, without it (the ATRS
        // fields read each dataset's name once a field).
        return markdown.trim().to_owned();
    }
    parsed(markdown)
}

/// `markdown` as plain text, read by the parser.
fn parsed(markdown: &str) -> String {
    let markdown = crate::load::body::without_comments(markdown);
    let arena = Arena::new();
    let root = parse_document(&arena, &markdown, &super::markdown::options());
    let mut blocks = Vec::new();
    for child in root.children() {
        block(child, &mut blocks);
    }
    blocks.retain(|b| !b.trim().is_empty());
    blocks.join("\n\n").trim().to_owned()
}

/// True for one line that Markdown reads as the text it is: no character that opens markup, an
/// autolink or an entity anywhere, and none that starts a block (a list, a quote, a heading, code)
/// at its start. Checked against the parse by a property test.
fn is_plain_line(text: &str) -> bool {
    let markup = |b: u8| {
        matches!(
            b,
            b'\n'
                | b'\r'
                | b'\t'
                | b'\0'
                | b'\\'
                | b'`'
                | b'*'
                | b'_'
                | b'['
                | b']'
                | b'!'
                | b'<'
                | b'>'
                | b'&'
                | b'~'
                | b'|'
                | b'#'
                | b'='
                | b'@'
                | b':'
        )
    };
    let starts_a_block = |b: u8| b.is_ascii_digit() || matches!(b, b' ' | b'-' | b'+');
    !text.bytes().any(markup)
        && !text.bytes().next().is_some_and(starts_a_block)
        && !text.to_ascii_lowercase().contains("www.")
}

/// The text of one block and what it holds, pushed as separate paragraphs where the block holds
/// several (a block quote, a heading and the text after it).
fn block<'a>(node: &'a AstNode<'a>, out: &mut Vec<String>) {
    let value = node.data.borrow().value.clone();
    match value {
        NodeValue::Paragraph | NodeValue::Heading(_) | NodeValue::TableCell => out.push(inline_text(node)),
        NodeValue::List(_) => out.push(list(node, 0).join("\n")),
        NodeValue::CodeBlock(code) => out.push(code.literal.trim_end().to_owned()),
        NodeValue::Table(_) => out.push(table(node).join("\n")),
        NodeValue::HtmlBlock(_) | NodeValue::ThematicBreak | NodeValue::FrontMatter(_) => {}
        // Block quotes, footnote definitions and anything else that holds blocks: their blocks.
        _ => {
            for child in node.children() {
                block(child, out);
            }
        }
    }
}

/// The lines of a list, its items marked and nested lists indented by `depth` levels.
fn list<'a>(node: &'a AstNode<'a>, depth: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let (ordered, start) = match &node.data.borrow().value {
        NodeValue::List(l) => (l.list_type == ListType::Ordered, l.start),
        _ => (false, 1),
    };
    let indent = "  ".repeat(depth);
    for (n, item) in node.children().enumerate() {
        let marker = if ordered { format!("{}. ", start + n) } else { "- ".to_owned() };
        let checkbox = match &item.data.borrow().value {
            NodeValue::TaskItem(task) => {
                if task.symbol.is_some() {
                    "[x] "
                } else {
                    "[ ] "
                }
            }
            _ => "",
        };
        // The item's own text, line by line; its nested lists come marked and indented already.
        let mut own: Vec<String> = Vec::new();
        let mut nested: Vec<(usize, Vec<String>)> = Vec::new();
        for child in item.children() {
            if matches!(child.data.borrow().value, NodeValue::List(_)) {
                nested.push((own.len(), list(child, depth + 1)));
            } else {
                let mut blocks = Vec::new();
                block(child, &mut blocks);
                own.extend(blocks.iter().flat_map(|b| b.lines().map(str::to_owned)));
            }
        }
        let mut item_lines: Vec<String> = own
            .iter()
            .enumerate()
            .map(|(i, line)| {
                if i == 0 { format!("{indent}{marker}{checkbox}{line}") } else { format!("{indent}  {line}") }
            })
            .collect();
        if own.is_empty() {
            item_lines.push(format!("{indent}{marker}{checkbox}").trim_end().to_owned());
        }
        // Nested lists go after the text that came before them.
        for (at, sub) in nested.into_iter().rev() {
            let at = if own.is_empty() { 1 } else { at.max(1) };
            let at = at.min(item_lines.len());
            item_lines.splice(at..at, sub);
        }
        lines.extend(item_lines);
    }
    lines
}

/// A table's rows, one line each: the header row's cells name the cells below them.
fn table<'a>(node: &'a AstNode<'a>) -> Vec<String> {
    let cells = |row: &'a AstNode<'a>| row.children().map(inline_text).collect::<Vec<String>>();
    let mut rows = node.children();
    let headers = rows.next().map(cells).unwrap_or_default();
    rows.map(|row| {
        cells(row)
            .into_iter()
            .enumerate()
            .map(|(i, cell)| match headers.get(i).filter(|h| !h.is_empty()) {
                Some(header) => format!("{header}: {cell}"),
                None => cell,
            })
            .collect::<Vec<String>>()
            .join("; ")
    })
    .collect()
}

/// The text of a block's inlines on one line (a hard break starts a new line).
fn inline_text<'a>(node: &'a AstNode<'a>) -> String {
    let mut text = String::new();
    inlines(node, &mut text);
    text.lines().map(str::trim).collect::<Vec<_>>().join("\n")
}

fn inlines<'a>(node: &'a AstNode<'a>, out: &mut String) {
    for child in node.children() {
        let value = child.data.borrow().value.clone();
        match value {
            NodeValue::Text(t) => out.push_str(&t),
            NodeValue::Code(code) => out.push_str(&code.literal),
            NodeValue::SoftBreak => out.push(' '),
            NodeValue::LineBreak => out.push('\n'),
            NodeValue::HtmlInline(_) | NodeValue::FootnoteReference(_) => {}
            NodeValue::Link(link) => {
                let mut label = String::new();
                inlines(child, &mut label);
                let address = link.url.strip_prefix("mailto:").unwrap_or(&link.url);
                if label.trim().is_empty() || label.trim() == address {
                    out.push_str(address);
                } else {
                    out.push_str(&format!("{label} ({address})"));
                }
            }
            _ => inlines(child, out),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{is_plain_line, to_plain_text};
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(6000))]
        #[test]
        fn a_plain_line_reads_as_the_parse_reads_it(
            text in proptest::collection::vec(prop_oneof![
                // Mostly what names and short answers are made of, so that most lines are plain…
                12 => prop_oneof![
                    Just("Early help"), Just("a"), Just("W"), Just(" "), Just("  "), Just("."), Just(","), Just("("),
                    Just(")"), Just("1"), Just("12"), Just("-"), Just("--"), Just("+"), Just("'"), Just("\""),
                    Just("%"), Just("£"), Just("/"), Just("?"), Just(";"), Just("{"), Just("}"), Just("^"), Just("$"),
                    Just("\u{a0}"), Just("\u{2014}"), Just("é"), Just("\u{200b}"), Just("x"), Just("example.org"),
                ],
                // …with what could make them an address…
                3 => prop_oneof![
                    Just("www"), Just("WWW."), Just("www."), Just("http"), Just("://"), Just("mailto"), Just("xmpp"),
                    Just("ftp"), Just("    "), Just("[x]"),
                ],
                // …or markup.
                1 => prop_oneof![
                    Just("*"), Just("_"), Just("`"), Just("~"), Just("|"), Just("#"), Just("="), Just("@"),
                    Just(":"), Just("<"), Just(">"), Just("&amp;"), Just("\\"), Just("!"), Just("\n"), Just("\t"),
                ],
            ], 0..14).prop_map(|parts| parts.concat())
        ) {
            if is_plain_line(&text) {
                prop_assert_eq!(to_plain_text(&text), super::parsed(&text), "{:?}", text);
            }
        }
    }

    #[test]
    fn only_a_line_without_markup_is_read_without_the_parse() {
        for plain in [
            "Children's social care case records (2019 to 2024).",
            "Early help - family support",
            "£2.5m a year",
        ] {
            assert!(is_plain_line(plain), "{plain:?}");
        }
        for markup in [
            "1. First",
            "12) Twelve",
            "- item",
            "see www.example.org",
            "a *b*",
            "Note: this",
            "two\nlines",
            "  indented",
        ] {
            assert!(!is_plain_line(markup), "{markup:?}");
        }
    }

    #[test]
    fn markup_is_reduced_to_text() {
        let markdown = "# Heading\n\nSome **bold** and _soft_\nwrapped text with a [link](https://a.example/x) \
                        and <https://b.example>.\n\n- one\n- two\n  - nested\n\n1. first\n2. second\n\n\
                        | Group | Rate |\n|---|---|\n| All | 5% |\n| Boys | 6% |\n\n<!-- a comment -->\n\n\
                        > quoted `code`\n";
        assert_eq!(
            to_plain_text(markdown),
            "Heading\n\nSome bold and soft wrapped text with a link (https://a.example/x) and \
             https://b.example.\n\n- one\n- two\n  - nested\n\n1. first\n2. second\n\n\
             Group: All; Rate: 5%\nGroup: Boys; Rate: 6%\n\nquoted code"
        );
    }

    #[test]
    fn list_items_with_paragraphs_and_tasks_keep_their_text() {
        assert_eq!(to_plain_text("- [x] done\n- [ ] to do\n"), "- [x] done\n- [ ] to do");
        assert_eq!(to_plain_text("- first\n\n  more of it\n- second\n"), "- first\n  more of it\n- second");
        assert_eq!(to_plain_text("Email [us](mailto:team@a.example)."), "Email us (team@a.example).");
    }
}
