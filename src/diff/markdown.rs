//! The diff as Markdown that reads well as a pull-request comment.

use super::{Change, Diff};
use crate::render::markdown::escape_inline as escape;

/// The diff as Markdown: newly public material first, then each question's changes, with the text
/// changes folded away in a `<details>` block.
pub fn render(diff: &Diff) -> String {
    let mut out = format!("## Workbook changes: `{}` → `{}`\n\n", code(&diff.from), code(&diff.to));
    if !diff.newly_public.is_empty() {
        out += "> [!WARNING]\n> **Newly public.** These were internal and will be published:\n";
        for n in &diff.newly_public {
            let place = match (n.question, &n.file) {
                (Some(q), _) => format!("Question {q}"),
                (None, Some(file)) => format!("`{}`", escape(file)),
                (None, None) => String::from("The record"),
            };
            out += &format!("> - {place}: {}\n", escape(&n.what));
        }
        out += "\n";
    }
    if diff.questions.is_empty() {
        out += "No answers changed.\n";
    }
    for q in &diff.questions {
        out += &format!("### Question {}: {}\n\n", q.number, escape(&q.title));
        for change in &q.changes {
            out += &format!("- {}\n", describe(change));
        }
        if let Some(text) = &q.text_diff {
            let fence = if text.contains("```") { "~~~~" } else { "```" };
            out += &format!(
                "\n<details><summary>Text changes</summary>\n\n{fence}diff\n{text}{fence}\n\n</details>\n"
            );
        }
        out += "\n";
    }
    if !diff.problems.is_empty() {
        out += "### Files that could not be read\n\n";
        for p in &diff.problems {
            out += &format!("- {}\n", escape(p));
        }
    }
    out
}

fn describe(change: &Change) -> String {
    match change {
        Change::AnswerAdded => "Answer file added".into(),
        Change::AnswerRemoved => "Answer file removed".into(),
        Change::Status { from, to } => format!("Status: {from} → **{to}**"),
        Change::Visibility { from, to } => format!("Visibility: {from} → **{to}**"),
        Change::Field { field, from, to } => match (from, to) {
            (Some(f), Some(t)) => format!("`{field}`: {} → {}", escape(f), escape(t)),
            (None, Some(t)) => format!("`{field}` set: {}", escape(t)),
            (Some(_), None) => format!("`{field}` removed"),
            (None, None) => format!("`{field}` changed"),
        },
        Change::PromptAnswered { prompt } => format!("Prompt `{prompt}` answered"),
        Change::PromptChanged { prompt } => format!("Prompt `{prompt}` changed"),
        Change::PromptCleared { prompt } => format!("Prompt `{prompt}` cleared"),
        Change::ItemAdded { list, item, visibility } => {
            format!(
                "Added to {list}: {}{}",
                escape(item),
                if visibility == "internal" { " (internal)" } else { "" }
            )
        }
        Change::ItemRemoved { list, item } => format!("Removed from {list}: {}", escape(item)),
        Change::ItemChanged { list, item, fields } => {
            format!("Changed in {list}: {} ({})", escape(item), fields.join(", "))
        }
        Change::BodyChanged => "Text of the answer changed".into(),
    }
}

fn code(s: &str) -> String {
    s.replace('`', "'")
}
