//! Markdown cut into public and internal passages: the body of an answer, and each prompt's answer.

use super::source::SourceFile;
use crate::diagnostic::{Code, Diagnostic};
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
    let code = crate::render::markdown::code_blocks(text);
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
        if content.starts_with(":::") {
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
            match (line[3..].trim(), &open) {
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
                        "the only block is `::: internal` … `:::`",
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
    Ok(passages)
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

/// Cuts the body of an answer (the byte range `body` of `file`) into passages, with ranges in the file.
pub fn passages(file: &SourceFile, body: std::ops::Range<usize>) -> Result<Vec<Passage>, Diagnostic> {
    let shift = |r: Range<usize>| r.start + body.start..r.end + body.start;
    match cut(&file.text[body.clone()]) {
        Ok(passages) => Ok(passages
            .into_iter()
            .map(|p| Passage { internal: p.internal, range: shift(p.range) })
            .collect()),
        Err(e) => {
            let range = shift(e.range);
            Err(Diagnostic::new(e.code, e.message).at(file.location(range.start, range.end)).help(e.help))
        }
    }
}

/// The text of the passages of `text` that `include_internal` admits, fence lines left out.
pub fn visible(text: &str, passages: &[Passage], include_internal: bool) -> String {
    passages.iter().filter(|p| include_internal || !p.internal).map(|p| &text[p.range.clone()]).collect()
}

fn push(passages: &mut Vec<Passage>, internal: bool, range: Range<usize>) {
    if range.start < range.end {
        passages.push(Passage { internal, range });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
