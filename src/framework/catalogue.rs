//! The framework as readable text, for `workbook questions`: every question with its prompt ids.

use super::{Framework, Prompt, PromptForm};

/// Renders the whole catalogue, or one question of it.
pub fn render(framework: &Framework, only: Option<u32>) -> String {
    let mut out = String::new();
    if only.is_none() {
        out += &format!(
            "{} ({}): {}\n{}\n",
            framework.title, framework.id, framework.subtitle, framework.licence.attribution
        );
    }
    for phase in &framework.phases {
        let questions: Vec<_> =
            framework.questions_in(&phase.id).filter(|q| only.is_none_or(|n| n == q.number)).collect();
        if questions.is_empty() {
            continue;
        }
        let stages: Vec<String> = phase.stages.iter().map(|s| format!("{} {}", s.number, s.name)).collect();
        out += &format!("\n{} phase (stages: {})\n", phase.title, stages.join(", "));
        if only.is_none() {
            out += &format!("  {}\n", phase.checklist_lead);
            for item in &phase.checklist {
                out += &format!("    [{}] {}\n", item.id, item.text);
            }
        }
        for q in questions {
            out += &format!("\n  {}. {}  (answers/{})\n", q.number, q.title, q.file_name());
            out += &format!("     {}\n", q.text);
            for p in &q.prompts {
                prompt(&mut out, p, 1);
            }
            if q.prompts.is_empty() {
                out += "       (no prompts: the answer is the Markdown body)\n";
            }
            for g in &q.guidance {
                out += &format!(
                    "     Help: {}{}\n",
                    g.title,
                    g.note.as_deref().map(|n| format!(" {n}")).unwrap_or_default()
                );
            }
        }
    }
    out
}

fn prompt(out: &mut String, p: &Prompt, depth: usize) {
    let indent = "  ".repeat(depth + 2);
    if let Some(lead) = &p.lead {
        *out += &format!("{indent}{lead}\n");
    }
    let mark = if p.form == PromptForm::Paragraph { "¶" } else { "-" };
    *out += &format!("{indent} {mark} {:<32} {}\n", p.id, p.text);
    for child in &p.prompts {
        prompt(out, child, depth + 1);
    }
}
