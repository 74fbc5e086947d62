//! Diagnostics for people at a terminal: cargo's layout, with the source line and a caret.

use super::{Diagnostic, Severity};
use annotate_snippets::renderer::DecorStyle;
use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};

/// `a/../b` as `b`: a register's member beside it (`../tool` in register.yaml) is shown as
/// `tool/answers/…` rather than `my-register/../tool/answers/…`. Only for showing: a leading `..`
/// and an absolute path's root are kept.
fn collapse_parents(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            ".." if parts.last().is_some_and(|last| !matches!(*last, ".." | "")) => {
                parts.pop();
            }
            "." if !parts.is_empty() => {}
            _ => parts.push(part),
        }
    }
    parts.join("/")
}

/// Renders `diagnostics` the way cargo does, in colour when `color` is true. `project` is the project
/// folder as the user named it: paths are shown under it, so that they open from where the command
/// ran (`my-tool/answers/01-describe-the-tool.md`, or `answers/…` when run inside the project).
pub fn render(diagnostics: &[Diagnostic], color: bool, project: &std::path::Path) -> String {
    let renderer = if color { Renderer::styled() } else { Renderer::plain() }.decor_style(DecorStyle::Ascii);
    let prefix = project.to_string_lossy();
    let prefix = prefix.trim_end_matches(['/', std::path::MAIN_SEPARATOR]);
    let shown = |file: &str| match prefix {
        "" | "." => file.to_owned(),
        _ => collapse_parents(&format!("{prefix}/{file}")),
    };
    let mut out = String::new();
    for d in diagnostics {
        let path = d.location.as_ref().map(|loc| shown(&loc.file)).unwrap_or_default();
        let source = d.location.as_ref().and_then(|loc| {
            loc.source_line.as_deref().map(|line| window(line, loc.column.saturating_sub(1)))
        });
        let level = match d.severity() {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
            Severity::Info => Level::INFO,
        };
        let id = format!("{} {}", d.code.code(), d.code.name());
        let title = level.primary_title(d.message.as_str()).id(id.as_str());
        let group: Group = match &d.location {
            Some(loc) => match &source {
                Some((line, column)) if loc.line > 0 => {
                    let start = byte_of_char(line, *column);
                    let end = byte_of_char(line, column + loc.width.max(1)).max(start);
                    let snippet = Snippet::source(line.as_str())
                        .line_start(loc.line)
                        .path(path.as_str())
                        .annotation(AnnotationKind::Primary.span(start..end));
                    title.element(snippet)
                }
                _ => title.element(Origin::path(path.as_str())),
            },
            None => Group::with_title(title),
        };
        let mut report = vec![group];
        if let Some(help) = &d.help {
            report.push(Group::with_title(Level::HELP.secondary_title(help.as_str())));
        }
        // Say where a changed level comes from, as cargo does for `#[deny]`.
        let raised = (d.severity() != d.code.severity())
            .then(|| format!("`lints.{}: deny` in workbook.yaml makes this an error", d.code.name()));
        if let Some(note) = &raised {
            report.push(Group::with_title(Level::NOTE.secondary_title(note.as_str())));
        }
        out.push_str(&renderer.render(&report));
        out.push_str("\n\n");
    }
    out
}

/// The most characters of a source line shown.
const WINDOW: usize = 120;

/// The part of `line` around the character at `column` (from 0) that is shown, with `…` where it is
/// cut, and the column in it. A long line is cut so that a reader sees the place at once, and so that
/// many findings on one very long line cost time in proportion to their number, not to the line.
fn window(line: &str, column: usize) -> (String, usize) {
    let length = line.chars().count();
    if length <= WINDOW {
        return (line.to_owned(), column);
    }
    let start = column.saturating_sub(WINDOW / 3).min(length.saturating_sub(WINDOW));
    let mut shown: String = if start > 0 { String::from("…") } else { String::new() };
    shown.extend(line.chars().skip(start).take(WINDOW));
    if start + WINDOW < length {
        shown.push('…');
    }
    (shown, column - start + usize::from(start > 0))
}

/// The byte offset of the `n`th character of `line`, or its length.
fn byte_of_char(line: &str, n: usize) -> usize {
    line.char_indices().nth(n).map_or(line.len(), |(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::{collapse_parents, window};

    #[test]
    fn a_member_beside_the_register_is_shown_without_the_detour() {
        assert_eq!(collapse_parents("my-register/../tool/answers/01.md"), "tool/answers/01.md");
        assert_eq!(collapse_parents("../tool/answers/01.md"), "../tool/answers/01.md");
        assert_eq!(collapse_parents("a/b/../../../tool/x.md"), "../tool/x.md");
        assert_eq!(collapse_parents("/srv/register/../tool/x.md"), "/srv/tool/x.md");
        assert_eq!(collapse_parents("./reg/./tool/x.md"), "./reg/tool/x.md");
    }

    #[test]
    fn a_long_line_is_shown_around_its_place() {
        assert_eq!(window("short", 2), ("short".to_owned(), 2));
        let line = format!("{}HERE{}", "a".repeat(1000), "b".repeat(1000));
        let (shown, column) = window(&line, 1000);
        assert!(shown.chars().count() <= super::WINDOW + 2);
        assert!(shown.starts_with('…') && shown.ends_with('…'));
        assert_eq!(shown.chars().skip(column).take(4).collect::<String>(), "HERE");
        let (end, column) = window(&line, 2003);
        assert_eq!(end.chars().nth(column), Some('b'));
        assert!(!end.ends_with('…'));
    }
}
