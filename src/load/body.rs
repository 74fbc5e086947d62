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
/// A line `::: internal` opens an internal passage and a line `:::` closes it. Fences inside fenced
/// code blocks are code, not passages. An unclosed passage, a nested one, or any other `:::` line is
/// an error, so that nothing meant to be internal can slip out through a typo.
pub fn cut(text: &str) -> Result<Vec<Passage>, CutError> {
    let mut passages = Vec::new();
    let mut open: Option<Range<usize>> = None; // the `::: internal` line of an open passage
    let mut passage_start = 0;
    let mut code_fence: Option<(char, usize)> = None;
    let mut at = 0;
    while at < text.len() {
        let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
        let line = text[at..end].trim_end_matches('\r');
        let next = (end + 1).min(text.len());
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        let fault = |code, message: String, help| CutError {
            code,
            message,
            help,
            range: at + indent..at + line.len(),
        };
        if let Some(fence) = code_fence_marker(trimmed).filter(|_| indent < 4) {
            code_fence = match code_fence {
                None => Some(fence),
                Some((c, n)) if fence.0 == c && fence.1 >= n && trimmed.trim_end().len() == fence.1 => None,
                still => still,
            };
        } else if code_fence.is_none() && indent < 4 && trimmed.starts_with(":::") {
            match (trimmed[3..].trim(), &open) {
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

/// The fence character and length when `line` opens or closes a fenced code block.
fn code_fence_marker(line: &str) -> Option<(char, usize)> {
    let c = line.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let n = line.chars().take_while(|x| *x == c).count();
    (n >= 3).then_some((c, n))
}
