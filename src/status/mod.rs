//! `workbook status`: progress by phase and question, with one printer per output format.

pub mod json;
pub mod markdown;
pub mod text;

use crate::diagnostic::{Diagnostic, Severity};
use crate::framework::Framework;
use crate::load::answer::Status;
use crate::load::{ANSWERS_DIR, Workbook};
use crate::progress::{Progress, QuestionProgress, count_answered};
use crate::record::{Record, Withheld};

/// One phase's part of the progress, for the printers.
pub struct PhaseRows<'a> {
    /// The phase's title.
    pub title: &'a str,
    /// Its stages, as "stages 1–4".
    pub stages: String,
    /// Its questions' progress.
    pub questions: Vec<&'a QuestionProgress>,
    /// Its checklist's progress, when the project records checklists.
    pub checklist: Option<&'a crate::progress::ChecklistProgress>,
}

/// The progress grouped by the framework's phases, in order.
pub fn by_phase<'a>(framework: &'a Framework, progress: &'a Progress) -> Vec<PhaseRows<'a>> {
    framework
        .phases
        .iter()
        .map(|phase| PhaseRows {
            title: &phase.title,
            stages: match (phase.stages.first(), phase.stages.last()) {
                (Some(a), Some(b)) => format!("stages {}–{}", a.number, b.number),
                _ => String::new(),
            },
            questions: progress.questions.iter().filter(|q| q.phase == phase.id).collect(),
            checklist: progress
                .checklists
                .iter()
                .find(|c| c.phase == phase.id)
                .filter(|_| progress.checklist_recorded),
        })
        .collect()
}

/// The overall figures the printers show at the end.
pub struct Summary {
    /// Prompts answered over all questions.
    pub answered: usize,
    /// Prompts in all.
    pub total: usize,
    /// Completeness, as a whole percentage of prompts answered.
    pub percent: u32,
    /// Questions whose status is complete.
    pub complete: usize,
    /// Questions in all.
    pub questions: usize,
    /// Answers whose review is overdue.
    pub overdue: usize,
    /// Checklist items done, over all phases.
    pub checklist_done: usize,
    /// Checklist items that do not apply.
    pub checklist_not_applicable: usize,
    /// Checklist items in all.
    pub checklist_total: usize,
    /// True when the project records any checklist entry.
    pub checklist_recorded: bool,
}

impl Summary {
    /// Sums up `progress`.
    pub fn of(progress: &Progress) -> Summary {
        let (answered, total) = progress.totals(|_| true);
        Summary {
            answered,
            total,
            percent: progress.percent(|_| true),
            complete: progress.questions.iter().filter(|q| q.status == Status::Complete).count(),
            questions: progress.questions.len(),
            overdue: progress.questions.iter().filter(|q| q.overdue).count(),
            checklist_done: progress.checklists.iter().map(|c| c.done).sum(),
            checklist_not_applicable: progress.checklists.iter().map(|c| c.not_applicable).sum(),
            checklist_total: progress.checklists.iter().map(|c| c.total).sum(),
            checklist_recorded: progress.checklist_recorded,
        }
    }
}

/// Counts, for each question, the errors among `diagnostics` in its answer file: the file that was
/// read for it, or else the file named for it (`answers/01-describe-the-tool.md`), which may exist
/// and not have been read at all.
pub fn mark_errors(progress: &mut Progress, framework: &Framework, diagnostics: &[Diagnostic]) {
    for (q, question) in progress.questions.iter_mut().zip(&framework.questions) {
        let file = q.file.clone().unwrap_or_else(|| format!("{ANSWERS_DIR}/{}", question.file_name()));
        q.errors = diagnostics
            .iter()
            .filter(|d| d.severity() == Severity::Error)
            .filter(|d| d.location.as_ref().is_some_and(|l| l.file == file))
            .count();
    }
}

/// The progress as the public may know it, taken from the public record: an internal answer shows
/// as not published, with no status, owner, dates or counts; a public one counts only its public
/// passages.
pub fn public(progress: &mut Progress, record: &Record, workbook: &Workbook, framework: &Framework) {
    // The checklists as the public record has them: an internal entry counts as not recorded, so
    // the counts never tell what it says.
    use crate::load::settings::ChecklistStatus;
    progress.checklists = record
        .phases
        .iter()
        .map(|phase| {
            let count = |status| phase.checklist.iter().filter(|c| c.status == Some(status)).count();
            crate::progress::ChecklistProgress {
                phase: phase.id.clone(),
                done: count(ChecklistStatus::Done),
                not_applicable: count(ChecklistStatus::NotApplicable),
                in_progress: count(ChecklistStatus::InProgress),
                not_done: count(ChecklistStatus::NotDone),
                total: phase.checklist.len(),
            }
        })
        .collect();
    for q in &mut progress.questions {
        let Some(public) = record.questions.iter().find(|r| r.number == q.number) else { continue };
        let withheld = public.withheld == Withheld::Internal;
        q.not_published = withheld;
        q.status = public.status.unwrap_or(Status::NotStarted);
        // A draft's count is not published, but the team's own status view still counts it.
        q.answered = public.prompts_answered.unwrap_or(if withheld { 0 } else { q.answered });
        q.total = public.prompts_total;
        q.owner = public.owner.clone();
        q.next_review = public.next_review.as_deref().and_then(|d| d.parse().ok());
        q.overdue = public.overdue;
        q.unanswered = match (
            framework.question(q.number),
            workbook.answers.iter().find(|a| a.front.question == q.number),
        ) {
            _ if withheld => Vec::new(),
            (Some(question), Some(answer)) => count_answered(question, answer, false).2,
            (Some(question), None) => question.prompts.iter().map(|p| p.id.clone()).collect(),
            (None, _) => Vec::new(),
        };
    }
}
