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
    let mut passages = Vec::new();
    let mut open: Option<Range<usize>> = None; // the `::: internal` line of an open passage
    let mut passage_start = 0;
    let mut at = 0;
    let mut number = 0;
    while at < text.len() {
        number += 1;
        let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
        let line = text[at..end].trim_end_matches('\r');
        let next = (end + 1).min(text.len());
        let content = strip_containers(line);
        let fault =
            |code, message: String, help| CutError { code, message, help, range: at..at + line.len() };
        if content.starts_with(":::") {
            match code.iter().find(|(first, last, _)| (*first..=*last).contains(&number)) {
                Some((_, _, true)) => {
                    at = end + 1;
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
        at = end + 1;
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
