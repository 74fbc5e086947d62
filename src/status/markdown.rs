//! `status` as a Markdown table, for a pull-request comment or a report.

use super::{PhaseRows, Summary};
use crate::render::markdown::escape_inline as escape;

/// Renders a heading per phase with a table of its questions, then the overall figures.
pub fn render(heading: &str, phases: &[PhaseRows], summary: &Summary) -> String {
    let mut out = format!("## {}\n\n", escape(heading));
    out += &format!(
        "**{}% complete**: {} of {} prompts answered, {} of {} questions complete, {} overdue.\n",
        summary.percent,
        summary.answered,
        summary.total,
        summary.complete,
        summary.questions,
        summary.overdue
    );
    if summary.checklist_recorded {
        out += &format!(
            "\n{} of {} checklist items done or not applicable.\n",
            summary.checklist_done + summary.checklist_not_applicable,
            summary.checklist_total
        );
    }
    for phase in phases {
        out += &format!("\n### {} ({})\n\n", escape(phase.title), phase.stages);
        if let Some(checklist) = phase.checklist {
            out += &format!(
                "Checklist: {} of {} done or not applicable.\n\n",
                checklist.settled(),
                checklist.total
            );
        }
        out += "| # | Question | Status | Prompts | Owner | Next review |\n|---:|---|---|---:|---|---|\n";
        for q in &phase.questions {
            let review = match q.next_review {
                Some(d) if q.overdue => format!("**{d} (overdue)**"),
                Some(d) => d.to_string(),
                None => "–".to_owned(),
            };
            out += &format!(
                "| {} | {} | {} | {}/{} | {} | {} |\n",
                q.number,
                escape(&q.title),
                q.label(),
                q.answered,
                q.total,
                escape(q.owner.as_deref().unwrap_or("–")),
                review
            );
        }
    }
    out
}
