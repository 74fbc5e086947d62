//! The Markdown body of an answer, cut into public and internal passages.

use super::source::SourceFile;
use crate::diagnostic::{Code, Diagnostic};
use std::ops::Range;

/// One stretch of an answer's body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passage {
    /// True for the inside of a `::: internal` … `:::` block.
    pub internal: bool,
    /// The passage's Markdown, as a byte range of the file (fence lines excluded).
    pub range: Range<usize>,
}

/// Cuts the body (the byte range `body` of `file`) into passages.
///
/// A line `::: internal` opens an internal passage and a line `:::` closes it. Fences inside fenced code
/// blocks are code, not passages. An unclosed passage, a nested one, or any other `:::` line is an error,
/// so that nothing meant to be internal can slip out through a typo.
pub fn passages(file: &SourceFile, body: Range<usize>) -> Result<Vec<Passage>, Diagnostic> {
    let text = &file.text;
    let mut passages = Vec::new();
    let mut open: Option<Range<usize>> = None; // the `::: internal` line of an open passage
    let mut passage_start = body.start;
    let mut code_fence: Option<(char, usize)> = None;
    let mut at = body.start;
    while at < body.end {
        let end = text[at..body.end].find('\n').map_or(body.end, |i| at + i);
        let line = text[at..end].trim_end_matches('\r');
        let next = (end + 1).min(body.end);
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if let Some(fence) = code_fence_marker(trimmed).filter(|_| indent < 4) {
            code_fence = match code_fence {
                None => Some(fence),
                Some((c, n)) if fence.0 == c && fence.1 >= n && trimmed.trim_end().len() == fence.1 => None,
                still => still,
            };
        } else if code_fence.is_none() && indent < 4 && trimmed.starts_with(":::") {
            let word = trimmed[3..].trim();
            match (word, &open) {
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
                    return Err(Diagnostic::new(
                        Code::UnknownBlock,
                        "an internal passage cannot be opened inside another",
                    )
                    .at(file.location(at + indent, at + line.len()))
                    .help("close the first passage with a line `:::` before opening the next"));
                }
                ("", None) => {
                    return Err(Diagnostic::new(
                        Code::UnknownBlock,
                        "`:::` closes nothing: no internal passage is open",
                    )
                    .at(file.location(at + indent, at + line.len()))
                    .help("open an internal passage with a line `::: internal`"));
                }
                (other, _) => {
                    return Err(Diagnostic::new(Code::UnknownBlock, format!("unknown block `::: {other}`"))
                        .at(file.location(at + indent, at + line.len()))
                        .help("the only block is `::: internal` … `:::`"));
                }
            }
        }
        at = end + 1;
    }
    if let Some(opening) = open {
        return Err(Diagnostic::new(Code::UnclosedInternal, "this internal passage is never closed")
            .at(file.location(opening.start, opening.end))
            .help("end the passage with a line `:::`; until then the rest of the file would be internal"));
    }
    push(&mut passages, false, passage_start..body.end);
    Ok(passages)
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
