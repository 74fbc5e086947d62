//! Markdown cut into public and internal passages: the body of an answer, and each prompt's answer.
//! HTML comments (`<!-- … -->`) are the author's notes: they are found as CommonMark finds them and
//! removed from every passage's text, and one never closed is an error.

use super::source::SourceFile;
use crate::diagnostic::{Code, Diagnostic};
use comrak::nodes::{AstNode, NodeValue, Sourcepos};
use comrak::{Arena, parse_document};
use serde::Serialize;
use std::borrow::Cow;
use std::ops::Range;

/// One stretch of Markdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passage {
    /// True for the inside of a `::: internal` … `:::` block.
    pub internal: bool,
    /// The passage's Markdown, as a byte range of the text it was cut from (fence lines excluded).
    pub range: Range<usize>,
}

/// Why a text could not be cut into passages, and the byte range of the line at fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CutError {
    /// The code of the diagnostic.
    pub code: Code,
    /// What is wrong.
    pub message: String,
    /// What to do.
    pub help: &'static str,
    /// The line at fault, as a byte range of the text.
    pub range: Range<usize>,
}

/// Cuts `text` into passages.
///
/// A line `::: internal` opens an internal passage and a line `:::` closes it; both start at the
/// beginning of the line. This fails closed, so that nothing meant to be internal can slip out
/// through a typo: an unclosed or nested passage is an error, and so is any other `:::` line that the
/// Markdown would show as text — indented, in a list or a quote, or naming another block. A `:::`
/// line inside a code block is code (as the renderer sees it, so the two cannot disagree), unless the
/// code block is never closed.
pub fn cut(text: &str) -> Result<Vec<Passage>, CutError> {
    cut_placing(text, None)
}

/// A block of an answer's front matter that the site renders as a table or chart, which a line
/// such as `::: figures` in the body places at that point.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Block {
    /// `evidence:`.
    Evidence,
    /// `engagement:`.
    Engagement,
    /// `risks:`.
    Risks,
    /// `datasets:` (those in use and those no longer used).
    Datasets,
    /// `metrics:`, as charts and tables.
    Figures,
    /// `signoffs:`.
    Signoffs,
}

impl Block {
    /// Every block, in the order the site shows those the body does not place.
    pub const ALL: [Block; 6] =
        [Block::Evidence, Block::Engagement, Block::Risks, Block::Datasets, Block::Figures, Block::Signoffs];

    /// The word after `:::` that places it.
    pub fn name(self) -> &'static str {
        match self {
            Block::Evidence => "evidence",
            Block::Engagement => "engagement",
            Block::Risks => "risks",
            Block::Datasets => "datasets",
            Block::Figures => "figures",
            Block::Signoffs => "signoffs",
        }
    }

    fn named(name: &str) -> Option<Block> {
        Block::ALL.into_iter().find(|b| b.name() == name)
    }
}

/// A line such as `::: figures` in an answer's body: the block goes where the line is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    /// The block placed.
    pub block: Block,
    /// True when the line is inside a `::: internal` passage, so only the internal build places it.
    pub internal: bool,
    /// The line, as a byte range of the text it was cut from.
    pub range: Range<usize>,
}

/// Cuts the body of an answer as [`cut`] does, and finds its placement lines (`::: figures` and
/// the like, each a single line that cuts the passage it is in); a block placed twice is an error
/// at its second line.
pub fn cut_body(text: &str) -> Result<(Vec<Passage>, Vec<Placement>), CutError> {
    let mut placements = Vec::new();
    let passages = cut_placing(text, Some(&mut placements))?;
    Ok((passages, placements))
}

/// [`cut`], and, given somewhere to put them, placement lines.
fn cut_placing(text: &str, mut placements: Option<&mut Vec<Placement>>) -> Result<Vec<Passage>, CutError> {
    // The code blocks, as the renderer sees them, are needed only once a `:::` line is met: most
    // bodies have none, and finding them parses the whole body.
    let mut code: Option<Vec<(usize, usize, bool)>> = None;
    // Code blocks come in order of their lines, as the lines here do: one cursor walks both.
    let mut code_cursor = 0;
    let mut passages = Vec::new();
    let mut open: Option<Range<usize>> = None; // the `::: internal` line of an open passage
    let mut passage_start = 0;
    let mut at = 0;
    let mut number = 0;
    while at < text.len() {
        number += 1;
        let (end, next) = line_end(text, at);
        let line = &text[at..end];
        let content = strip_containers(line);
        let fault =
            |code, message: String, help| CutError { code, message, help, range: at..at + line.len() };
        if !content.starts_with(":::") && looks_like_fence(content) {
            // A reader sees `::: internal`; the renderer sees a paragraph that begins with an
            // invisible character and would publish the passage. Fail closed.
            return Err(fault(
                Code::UnknownBlock,
                "a `:::` line with an invisible character (such as a zero-width space) in it".into(),
                "retype the line `::: internal` or `:::`; text pasted from the web or a chat can carry invisible characters",
            ));
        }
        if content.starts_with(":::") {
            let code = code.get_or_insert_with(|| crate::render::markdown::code_blocks(text));
            while code.get(code_cursor).is_some_and(|(_, last, _)| *last < number) {
                code_cursor += 1;
            }
            match code.get(code_cursor).filter(|(first, _, _)| *first <= number) {
                Some((_, _, true)) => {
                    at = next;
                    continue; // code, shown as written
                }
                Some((_, _, false)) => {
                    return Err(fault(
                        Code::UnknownBlock,
                        "a `:::` line inside a code block that is indented or never closed".into(),
                        "close the code block with its fence (``` or ~~~), or move the `:::` line out of it",
                    ));
                }
                None => {}
            }
            if content.len() != line.len() {
                return Err(fault(
                    Code::UnknownBlock,
                    "a `:::` line must start at the beginning of the line, outside lists and quotes".into(),
                    "move `::: internal` and `:::` to the start of their lines; a passage can hold lists",
                ));
            }
            let name = line[3..].trim();
            if let (Some(found), Some(block)) = (placements.as_deref_mut(), Block::named(name)) {
                if found.iter().any(|p| p.block == block) {
                    return Err(fault(
                        Code::UnknownBlock,
                        format!("`::: {name}` places a block that this answer has placed already"),
                        "a block is shown once: keep one of its `:::` lines and remove the other",
                    ));
                }
                // The line cuts the passage it is in; an internal passage goes on after it.
                let internal = open.is_some();
                push(&mut passages, internal, passage_start..at);
                found.push(Placement { block, internal, range: at..at + line.len() });
                passage_start = next;
                at = next;
                continue;
            }
            match (name, &open) {
                ("internal", None) => {
                    push(&mut passages, false, passage_start..at);
                    open = Some(at..at + line.len());
                    passage_start = next;
                }
                ("", Some(_)) => {
                    push(&mut passages, true, passage_start..at);
                    open = None;
                    passage_start = next;
                }
                ("internal", Some(_)) => {
                    return Err(fault(
                        Code::UnknownBlock,
                        "an internal passage cannot be opened inside another".into(),
                        "close the first passage with a line `:::` before opening the next",
                    ));
                }
                ("", None) => {
                    return Err(fault(
                        Code::UnknownBlock,
                        "`:::` closes nothing: no internal passage is open".into(),
                        "open an internal passage with a line `::: internal`",
                    ));
                }
                (other, _) => {
                    return Err(fault(
                        Code::UnknownBlock,
                        format!("unknown block `::: {other}`"),
                        if placements.is_some() {
                            "the blocks are `::: internal` … `:::`, and the single lines `::: evidence`, \
                             `::: engagement`, `::: risks`, `::: datasets`, `::: figures` and `::: signoffs`"
                        } else {
                            "the only block is `::: internal` … `:::`"
                        },
                    ));
                }
            }
        }
        at = next;
    }
    if let Some(opening) = open {
        return Err(CutError {
            code: Code::UnclosedInternal,
            message: "this internal passage is never closed".into(),
            help: "end the passage with a line `:::`; until then the rest of the text would be internal",
            range: opening,
        });
    }
    push(&mut passages, false, passage_start..text.len());
    check_comments(text, &passages)?;
    Ok(passages)
}

/// Cuts `text` as [`cut`] does and removes its HTML comments ([`without_comments`]): the text
/// without them, when it had any, and the passages of that text.
///
/// The comments are removed from the whole text, fence lines and all, so that the passages' ranges
/// point into the text returned; [`cut`] has made sure no comment holds a fence line.
pub fn cut_uncommented(text: &str) -> Result<(Option<String>, Vec<Passage>), CutError> {
    let passages = cut(text)?;
    let Cow::Owned(uncommented) = without_comments(text) else { return Ok((None, passages)) };
    match cut(&uncommented) {
        Ok(passages) => Ok((Some(uncommented), passages)),
        // Only a line such as `<!-- x -->::: internal` becomes a fence once its comment is gone.
        Err(e) => {
            let first = find_comments(text).first().map_or(0, |c| c.range.start);
            Err(CutError {
                message: format!("once its HTML comments are removed, {}", e.message),
                range: first..first + "<!--".len(),
                ..e
            })
        }
    }
}

/// Fails when an HTML comment would swallow text or straddle passages: one never closed (CommonMark
/// runs it to the end of its block, or of the whole text, so the author would lose what follows
/// without a word; or, when a blank line ends it first, shows the note as text), or one that holds a
/// `:::` line (which half of it is internal?). Each passage is also checked alone, as the renderer
/// sees it.
fn check_comments(text: &str, passages: &[Passage]) -> Result<(), CutError> {
    if !text.contains("<!--") {
        return Ok(());
    }
    let unclosed = |at: usize| CutError {
        code: Code::UnclosedComment,
        message: "this HTML comment is never closed".into(),
        help: "end the note with `-->` (a blank line ends a comment inside a paragraph); to show `<!--` \
               as text, put it in backticks",
        range: at..at + "<!--".len(),
    };
    let comments = find_comments(text);
    if let Some(comment) = comments.iter().find(|c| !c.closed) {
        return Err(unclosed(comment.range.start));
    }
    let within =
        |c: &Comment| passages.iter().any(|p| p.range.start <= c.range.start && c.range.end <= p.range.end);
    if let Some(comment) = comments.iter().find(|c| !within(c)) {
        return Err(CutError {
            code: Code::UnknownBlock,
            message: "an HTML comment holds a `::: internal` or `:::` line".into(),
            help: "close the comment before the `:::` line, or move the line out of it",
            range: comment.range.start..comment.range.start + "<!--".len(),
        });
    }
    for passage in passages {
        if let Some(comment) = find_comments(&text[passage.range.clone()]).iter().find(|c| !c.closed) {
            return Err(unclosed(passage.range.start + comment.range.start));
        }
    }
    Ok(())
}

/// The HTML comments of `markdown` as CommonMark reads them, as byte ranges to remove, in order: a
/// comment that has its lines to itself takes them (line ending included), any other only itself.
/// A `<!--` in a code span or a code block is code, not a comment. One never closed runs to the end
/// of the block it is in, as CommonMark has it; [`cut`] refuses it, and this removes it, failing
/// closed.
///
/// Besides comment blocks and inline comments, this finds comments inside other raw HTML blocks
/// (`<div>` … `</div>`), because raw HTML is shown as text and a note in it would be shown.
pub fn html_comments(markdown: &str) -> Vec<Range<usize>> {
    let mut ranges: Vec<Range<usize>> =
        find_comments(markdown).into_iter().map(|c| whole_lines(markdown, c.range)).collect();
    ranges.sort_by_key(|r| r.start);
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for range in ranges {
        match merged.last_mut() {
            Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
            _ => merged.push(range),
        }
    }
    merged
}

/// `markdown` without its HTML comments ([`html_comments`]). Removing one can join text into a new
/// `<!--` (`<!<!-- x -->--`), so this repeats until none is left.
pub fn without_comments(markdown: &str) -> Cow<'_, str> {
    let mut text = Cow::Borrowed(markdown);
    loop {
        let ranges = html_comments(&text);
        if ranges.is_empty() {
            return text;
        }
        let mut kept = String::with_capacity(text.len());
        let mut at = 0;
        for range in ranges {
            kept.push_str(&text[at..range.start]);
            at = range.end;
        }
        kept.push_str(&text[at..]);
        text = Cow::Owned(kept);
    }
}

/// An HTML comment in Markdown.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Comment {
    /// From its `<!--` to the end of its `-->`; for one never closed, to the end of its block.
    range: Range<usize>,
    /// False when there is no `-->`.
    closed: bool,
}

/// The comments of `markdown`, by comrak's reading: comment blocks and comments in other raw HTML
/// blocks, inline comments, and a `<!--` left as text because nothing closes it in its paragraph (a
/// backslash before it, `\<!--`, means the author wants the characters).
fn find_comments(markdown: &str) -> Vec<Comment> {
    if !markdown.contains("<!--") {
        return Vec::new(); // no comment can start without these four bytes; spare the parse
    }
    let options = crate::render::markdown::options();
    let arena = Arena::new();
    let root = parse_document(&arena, markdown, &options);
    let lines = line_starts(markdown);
    let mut found = Vec::new();
    for node in root.descendants() {
        let data = node.data.borrow();
        let Some(range) = byte_range(markdown, &lines, data.sourcepos) else { continue };
        match &data.value {
            NodeValue::HtmlBlock(_) => raw_comments(markdown, range, &mut found),
            NodeValue::HtmlInline(literal) if literal.starts_with("<!--") => {
                let written = &markdown[range.clone()];
                if written.starts_with("<!--") && written.ends_with("-->") {
                    found.push(Comment { range, closed: true });
                } else {
                    // Where comrak's position is off, find the comment from the start of its line.
                    let line_start =
                        lines.get(data.sourcepos.start.line.saturating_sub(1)).copied().unwrap_or(0);
                    raw_comments(markdown, line_start..markdown.len(), &mut found);
                }
            }
            NodeValue::Text(literal) if literal.contains("<!--") => {
                let written = &markdown[range.clone()];
                let unescaped = written
                    .match_indices("<!--")
                    .find(|(i, _)| !written[..*i].ends_with('\\'))
                    .map(|(i, _)| i);
                if let Some(i) = unescaped {
                    let end = enclosing_block_end(node, markdown, &lines).max(range.start + i + 4);
                    found.push(Comment { range: range.start + i..end, closed: false });
                }
            }
            _ => {}
        }
    }
    found.sort_by_key(|c| (c.range.start, std::cmp::Reverse(c.range.end)));
    // A position found twice (a fallback search, an unclosed `<!--` inside a comment) counts once.
    let mut kept: Vec<Comment> = Vec::with_capacity(found.len());
    for comment in found {
        if !kept.iter().any(|k| k.range.start <= comment.range.start && comment.range.end <= k.range.end) {
            kept.push(comment);
        }
    }
    kept
}

/// The comments in the raw HTML `range` of `markdown`: each `<!--` to the next `-->` (which may share
/// its dashes, as `<!-->` does in CommonMark), or, with none, to the end of the range.
fn raw_comments(markdown: &str, range: Range<usize>, found: &mut Vec<Comment>) {
    let mut at = range.start;
    while let Some(i) = markdown[at..range.end].find("<!--") {
        let start = at + i;
        match markdown[start + 2..range.end].find("-->") {
            Some(j) => {
                let end = start + 2 + j + "-->".len();
                found.push(Comment { range: start..end, closed: true });
                at = end;
            }
            None => {
                found.push(Comment { range: start..range.end, closed: false });
                return;
            }
        }
    }
}

/// Where the nearest block around an inline `node` ends (its paragraph, heading or table cell).
fn enclosing_block_end<'a>(node: &'a AstNode<'a>, markdown: &str, lines: &[usize]) -> usize {
    node.ancestors()
        .skip(1)
        .find(|n| n.data.borrow().value.block() || matches!(n.data.borrow().value, NodeValue::TableCell))
        .and_then(|n| byte_range(markdown, lines, n.data.borrow().sourcepos))
        .map_or(markdown.len(), |r| r.end)
}

/// `range` widened to its whole lines, line ending included, when nothing but spaces and tabs shares
/// them; `range` itself otherwise.
fn whole_lines(markdown: &str, range: Range<usize>) -> Range<usize> {
    let line_start = markdown[..range.start].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let (line_end, next) = line_end(markdown, range.end);
    let blank = |s: &str| s.trim_matches([' ', '\t']).is_empty();
    if blank(&markdown[line_start..range.start]) && blank(&markdown[range.end..line_end]) {
        line_start..next
    } else {
        range
    }
}

/// The byte offset at which each line of `text` starts, lines ending as CommonMark ends them.
fn line_starts(text: &str) -> Vec<usize> {
    let mut starts = vec![0];
    let mut at = 0;
    while at < text.len() {
        let (end, next) = line_end(text, at);
        if end == next {
            break; // the last line, with no line ending
        }
        starts.push(next);
        at = next;
    }
    starts
}

/// A comrak source position (lines from 1, byte columns from 1, end included) as a byte range of
/// `markdown`; `None` for a node without one.
fn byte_range(markdown: &str, lines: &[usize], pos: Sourcepos) -> Option<Range<usize>> {
    let offset = |line: usize, column: usize| {
        let start = *lines.get(line.checked_sub(1)?)?;
        Some((start + column.saturating_sub(1)).min(markdown.len()))
    };
    let mut start = offset(pos.start.line, pos.start.column)?;
    let mut end = offset(pos.end.line, pos.end.column + 1)?.max(start);
    while !markdown.is_char_boundary(start) {
        start -= 1;
    }
    while !markdown.is_char_boundary(end) {
        end += 1;
    }
    Some(start..end)
}

/// Where the line that starts at `at` ends, and where the next one starts. A line ends at LF, CR LF
/// or a lone CR, as CommonMark (and so the renderer) has it: counting lines any other way would let a
/// `::: internal` line after a lone CR pass as text here while the renderer shows it.
fn line_end(text: &str, at: usize) -> (usize, usize) {
    match text[at..].find(['\n', '\r']) {
        None => (text.len(), text.len()),
        Some(i) if text[at + i..].starts_with("\r\n") => (at + i, at + i + 2),
        Some(i) => (at + i, at + i + 1),
    }
}

/// Characters that take no space on the screen: format characters (zero-width spaces and joiners,
/// the byte-order mark, word joiner, soft hyphen, bidi controls) and variation selectors.
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{FFA0}'
        | '\u{1BCA0}'..='\u{1BCA3}' | '\u{E0000}'..='\u{E007F}')
}

/// True when `line`, as a reader sees it (invisible characters and leading space ignored), starts
/// with `:::`.
pub fn looks_like_fence(line: &str) -> bool {
    // Every line of every answer comes here: read its characters, copy none.
    let mut visible = line.chars().filter(|c| !is_invisible(*c)).skip_while(|c| c.is_whitespace());
    (0..3).all(|_| visible.next() == Some(':'))
}

/// A line without what Markdown reads before its content: indentation, quote markers and list
/// markers.
fn strip_containers(line: &str) -> &str {
    let mut rest = line;
    loop {
        let trimmed = rest.trim_start();
        let next = if let Some(after) = trimmed.strip_prefix('>') {
            after
        } else if let Some(after) =
            trimmed.strip_prefix(['-', '*', '+']).filter(|a| a.starts_with([' ', '\t']))
        {
            after
        } else {
            let digits = trimmed.chars().take_while(char::is_ascii_digit).count();
            match trimmed[digits..].strip_prefix(['.', ')']) {
                Some(after) if digits > 0 && after.starts_with([' ', '\t']) => after,
                _ => return trimmed,
            }
        };
        rest = next;
    }
}

/// Cuts the body of an answer (the byte range `body` of `file`) into passages and placement lines,
/// with ranges in the file.
pub fn passages(
    file: &SourceFile,
    body: std::ops::Range<usize>,
) -> Result<(Vec<Passage>, Vec<Placement>), Diagnostic> {
    let shift = |r: Range<usize>| r.start + body.start..r.end + body.start;
    match cut_body(&file.text[body.clone()]) {
        Ok((passages, placements)) => Ok((
            passages.into_iter().map(|p| Passage { internal: p.internal, range: shift(p.range) }).collect(),
            placements.into_iter().map(|p| Placement { range: shift(p.range), ..p }).collect(),
        )),
        Err(e) => {
            let range = shift(e.range);
            Err(Diagnostic::new(e.code, e.message).at(file.location(range.start, range.end)).help(e.help))
        }
    }
}

/// The text of the passages of `text` that `include_internal` admits, fence lines and HTML comments
/// left out (each passage's comments as the renderer, which renders passages one by one, sees them).
pub fn visible(text: &str, passages: &[Passage], include_internal: bool) -> String {
    passages
        .iter()
        .filter(|p| include_internal || !p.internal)
        .map(|p| without_comments(&text[p.range.clone()]))
        .collect()
}

fn push(passages: &mut Vec<Passage>, internal: bool, range: Range<usize>) {
    if range.start < range.end {
        passages.push(Passage { internal, range });
    }
}

/// The passages of a body with their Markdown (`texts`, one per passage): the public ones only, or
/// all of them. What an answer's and a page's `body` both give.
pub fn visible_passages<'a>(
    passages: &'a [Passage],
    texts: &'a [String],
    include_internal: bool,
) -> impl Iterator<Item = (&'a Passage, &'a str)> {
    passages
        .iter()
        .zip(texts)
        .filter(move |(p, _)| include_internal || !p.internal)
        .map(|(p, text)| (p, text.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fence_is_seen_through_invisible_characters_and_leading_space() {
        for line in [
            ":::",
            "::: internal",
            "  ::: internal",
            "\u{200B}::: internal",
            ":\u{200B}::",
            "\u{FEFF} \u{2060}:::",
        ] {
            assert!(looks_like_fence(line), "{line:?}");
        }
        for line in ["", "::", ": ::", "a ::: internal", "\u{200B}:: :", "text"] {
            assert!(!looks_like_fence(line), "{line:?}");
        }
    }

    fn public(text: &str) -> Result<String, Code> {
        cut(text).map(|p| visible(text, &p, false)).map_err(|e| e.code)
    }

    #[test]
    fn passages_are_cut_and_code_is_code() {
        let text = "a\n::: internal\nsecret\n:::\nb\n```\n::: internal\n```\n";
        assert_eq!(public(text).unwrap(), "a\nb\n```\n::: internal\n```\n");
    }

    #[test]
    fn a_lone_carriage_return_ends_a_line_as_it_does_for_the_renderer() {
        // CR-only line endings, and a stray CR in a code block that would put the line counts of the
        // cut and the renderer out of step.
        for text in ["Public.\r\r::: internal\rsecret\r:::\r", "```\r\r\r\r```\n::: internal\nsecret\n:::\n"]
        {
            let published = public(text).unwrap();
            assert!(!published.contains("secret"), "{text:?} published {published:?}");
            let html = crate::render::markdown::to_html(&published, "p-", 2);
            assert!(!html.contains("secret") && !html.contains(":::"), "{html}");
        }
        assert_eq!(public("a\r\n::: internal\r\nsecret\r\n:::\r\nb\r\n").unwrap(), "a\r\nb\r\n");
    }

    #[test]
    fn every_way_the_renderer_could_disagree_fails_closed() {
        for text in [
            "\t```\n::: internal\nsecret\n:::\n", // a tab-indented fence is code to comrak…
            "```workbook check``` runs.\n::: internal\nsecret\n:::\n", // inline code, not a fence
            "- Step:\n  ```\n  cmd\n\n::: internal\nsecret\n:::\n", // a fence the list item ends
        ] {
            let result = public(text);
            assert!(
                result.as_ref().map_or(true, |t| !t.contains("secret")),
                "{text:?} published: {result:?}"
            );
        }
        for text in [
            "1.  item\n\n    ::: internal\n    secret\n    :::\n",
            "> ::: internal\n> secret\n> :::\n",
            "- ::: internal\n",
            "```\n::: internal\nsecret\n",
            "    ::: internal\n",
        ] {
            assert!(public(text).is_err(), "{text:?} should be refused");
        }
    }

    #[test]
    fn comments_are_removed_inline_and_as_blocks() {
        for (text, expected) in [
            ("a <!-- note --> b\n", "a  b\n"),
            ("Para.\n\n<!-- note\non two lines -->\n\nNext.\n", "Para.\n\n\nNext.\n"),
            ("  <!-- indented a little -->  \nNext.\n", "Next.\n"),
            ("line one <!-- a\nnote --> tail\n", "line one  tail\n"),
            ("> Quoted <!-- q\n> more --> end\n", "> Quoted  end\n"),
            ("| a | b |\n|---|---|\n| <!-- t --> | c |\n", "| a | b |\n|---|---|\n|  | c |\n"),
            ("a\r\nb <!-- crlf --> c\r\n<!-- own line -->\r\nd\r\n", "a\r\nb  c\r\nd\r\n"),
            ("<!-- a --> shown after\n", " shown after\n"),
            ("<div>\n<!-- in raw HTML -->\n</div>\n", "<div>\n</div>\n"),
            ("x <!--> y <!---> z\n", "x  y  z\n"),
            ("<!<!-- joins -->-- again -->\n", ""),
            ("é <!-- ü --> ß\n", "é  ß\n"),
        ] {
            assert_eq!(without_comments(text), expected, "{text:?}");
        }
    }

    #[test]
    fn a_comment_marker_in_code_is_code() {
        for text in [
            "Write `<!-- a -->` to add a note.\n",
            "```html\n<!-- fenced -->\n```\n",
            "~~~\n<!-- never closed, but code\n~~~\n",
            "Para.\n\n    <!-- indented code\n",
            r"Escaped \<!-- shown as text.",
        ] {
            assert_eq!(html_comments(text), Vec::<Range<usize>>::new(), "{text:?}");
            assert!(matches!(without_comments(text), Cow::Borrowed(_)), "{text:?}");
            assert!(cut(text).is_ok(), "{text:?}");
        }
    }

    #[test]
    fn an_unclosed_comment_is_an_error_at_its_opening() {
        for (text, at) in [
            ("Public.\n\n<!-- never closed\n\nThe rest.\n", 9),
            ("Public <!-- a blank line ends a paragraph\n\nbefore -->.\n", 7),
            ("<div>\n<!-- in raw HTML\n</div>\n", 6),
            ("Public.\n::: internal\nSecret <!-- never closed\n:::\n", 28),
        ] {
            let error = cut(text).unwrap_err();
            assert_eq!((error.code, error.range.clone()), (Code::UnclosedComment, at..at + 4), "{text:?}");
            assert_eq!(&text[error.range], "<!--");
        }
        // Fail closed where no one checked: the rest of the block goes with it.
        assert_eq!(without_comments("Public.\n\n<!-- never closed\n\nThe rest.\n"), "Public.\n\n");
        assert_eq!(without_comments("Keep <!-- open\n\nNext.\n"), "Keep \n\nNext.\n");
    }

    #[test]
    fn a_comment_cannot_hold_a_fence_line() {
        let text = "Public.\n<!--\n::: internal\n-->\nSecret.\n:::\n";
        let error = cut(text).unwrap_err();
        assert_eq!((error.code, error.range), (Code::UnknownBlock, 8..12));
    }

    #[test]
    fn a_prompt_answer_is_kept_without_its_comments() {
        let text = "Public. <!-- note -->\n\n::: internal\nSecret. <!-- internal note -->\n:::\n";
        let (uncommented, passages) = cut_uncommented(text).unwrap();
        let uncommented = uncommented.unwrap();
        assert_eq!(uncommented, "Public. \n\n::: internal\nSecret. \n:::\n");
        assert_eq!(visible(&uncommented, &passages, true), "Public. \n\nSecret. \n");
        assert_eq!(visible(text, &cut(text).unwrap(), false), "Public. \n\n");
        assert_eq!(cut_uncommented("No notes.").unwrap().0, None);
    }
}
