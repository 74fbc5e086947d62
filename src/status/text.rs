//! `status` as a compact terminal table.

use super::{PhaseRows, Summary};
use crate::progress::QuestionProgress;

/// Renders the table: a heading per phase, a row per question, and the overall figures.
pub fn render(heading: &str, phases: &[PhaseRows], summary: &Summary) -> String {
    let title_width =
        phases.iter().flat_map(|p| &p.questions).map(|q| q.title.chars().count()).max().unwrap_or(0);
    let owner_width = phases
        .iter()
        .flat_map(|p| &p.questions)
        .map(|q| owner(q).chars().count())
        .max()
        .unwrap_or(0)
        .max("Owner".len());
    let status_width = phases
        .iter()
        .flat_map(|p| &p.questions)
        .map(|q| q.label().chars().count())
        .max()
        .unwrap_or(0)
        .max(11);
    let mut out = format!("{heading}\n\n");
    let header = format!(
        "  {:>2}  {:<title_width$}  {:<status_width$}  {:>5}  {:<owner_width$}  {}",
        "#", "Question", "Status", "Done", "Owner", "Next review"
    );
    out += header.trim_end();
    out.push('\n');
    for phase in phases {
        let answered: usize = phase.questions.iter().map(|q| q.answered).sum();
        let total: usize = phase.questions.iter().map(|q| q.total).sum();
        out += &format!("{} ({}): {answered}/{total} prompts", phase.title, phase.stages);
        if let Some(checklist) = phase.checklist {
            out +=
                &format!("; checklist {} of {} done or not applicable", checklist.settled(), checklist.total);
        }
        out.push('\n');
        for q in &phase.questions {
            let review = match q.next_review {
                Some(d) if q.overdue => format!("{d} overdue"),
                Some(d) => d.to_string(),
                None => "-".to_owned(),
            };
            let line = format!(
                "  {:>2}  {:<title_width$}  {:<status_width$}  {:>5}  {:<owner_width$}  {}",
                q.number,
                q.title,
                q.label(),
                format!("{}/{}", q.answered, q.total),
                owner(q),
                review,
            );
            out += line.trim_end();
            out.push('\n');
        }
        out.push('\n');
    }
    out += &format!(
        "{}% complete: {} of {} prompts answered, {} of {} questions complete",
        summary.percent, summary.answered, summary.total, summary.complete, summary.questions
    );
    if summary.overdue > 0 {
        out +=
            &format!(", {} review{} overdue", summary.overdue, if summary.overdue == 1 { "" } else { "s" });
    }
    if summary.checklist_recorded {
        out += &format!(
            "; checklist: {} of {} items done or not applicable",
            summary.checklist_done + summary.checklist_not_applicable,
            summary.checklist_total
        );
    }
    out.push('\n');
    out
}

fn owner(q: &QuestionProgress) -> &str {
    q.owner.as_deref().unwrap_or("-")
}
