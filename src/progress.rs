//! Progress computed from the files, never typed in: which prompts each answer covers, what is due
//! for review, and how complete the workbook is.

use crate::framework::{Framework, Prompt, Question};
use crate::load::answer::Status;
use crate::load::{Answer, Workbook};
use jiff::civil::Date;
use serde::Serialize;

/// How far one question's answer has got.
#[derive(Debug, Clone, Serialize)]
pub struct QuestionProgress {
    /// The question's number.
    pub number: u32,
    /// The question's short title.
    pub title: String,
    /// The phase id.
    pub phase: String,
    /// The file that answers it, if any.
    pub file: Option<String>,
    /// The answer's status; `not-started` when there is no file.
    pub status: Status,
    /// Prompts answered.
    pub answered: usize,
    /// Prompts in all (top-level; a prompt with nested prompts counts once).
    pub total: usize,
    /// Ids of the prompts not yet answered.
    pub unanswered: Vec<String>,
    /// The answer's owner.
    pub owner: Option<String>,
    /// When the answer is next due for review.
    #[serde(serialize_with = "crate::progress::serialize_date")]
    pub next_review: Option<Date>,
    /// True when `next_review` has passed.
    pub overdue: bool,
    /// Errors `check` finds in the answer's file; the question shows as an error while there are any.
    pub errors: usize,
    /// True when the answer is internal and this is the public's view of it: its status, owner,
    /// dates and progress are not shown.
    pub not_published: bool,
}

impl QuestionProgress {
    /// True when every prompt (or, for a question without prompts, the body) is answered.
    pub fn is_answered(&self) -> bool {
        self.answered == self.total
    }

    /// The status as `status` shows it: an error while the file has errors (whatever it says of
    /// itself, which may not have been read), else the answer's status.
    pub fn label(&self) -> &'static str {
        if self.errors > 0 {
            "Error"
        } else if self.not_published {
            "Not published"
        } else {
            self.status.label()
        }
    }
}

/// Progress of the whole workbook.
#[derive(Debug, Clone, Serialize)]
pub struct Progress {
    /// One entry per question of the framework, in order.
    pub questions: Vec<QuestionProgress>,
    /// One entry per phase of the framework, in order: how far its checklist has got.
    pub checklists: Vec<ChecklistProgress>,
    /// True when `workbook.yaml` records any checklist entry.
    pub checklist_recorded: bool,
}

/// How far one phase's checklist has got, internal entries included.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ChecklistProgress {
    /// The phase id.
    pub phase: String,
    /// Items done.
    pub done: usize,
    /// Items that do not apply.
    pub not_applicable: usize,
    /// Items under way.
    pub in_progress: usize,
    /// Items recorded as not done.
    pub not_done: usize,
    /// Items in all, recorded or not.
    pub total: usize,
}

impl ChecklistProgress {
    /// Items with nothing left to do: done or not applicable.
    pub fn settled(&self) -> usize {
        self.done + self.not_applicable
    }
}

impl Progress {
    /// Computes progress for every question of `framework` from the answers of `workbook`.
    pub fn of(workbook: &Workbook, framework: &Framework, today: Date) -> Progress {
        let questions = framework
            .questions
            .iter()
            .map(|question| {
                let answer = workbook.answers.iter().find(|a| a.front.question == question.number);
                question_progress(question, answer, today)
            })
            .collect();
        let recorded = workbook.settings.as_ref().map(|s| &s.checklist);
        let checklists = framework
            .phases
            .iter()
            .map(|phase| {
                let mut counts = ChecklistProgress {
                    phase: phase.id.clone(),
                    total: phase.checklist.len(),
                    ..Default::default()
                };
                for entry in phase.checklist.iter().filter_map(|item| recorded?.get(&item.id)) {
                    use crate::load::settings::ChecklistStatus::*;
                    *match entry.status {
                        Done => &mut counts.done,
                        NotApplicable => &mut counts.not_applicable,
                        InProgress => &mut counts.in_progress,
                        NotDone => &mut counts.not_done,
                    } += 1;
                }
                counts
            })
            .collect();
        Progress { questions, checklists, checklist_recorded: recorded.is_some_and(|c| !c.is_empty()) }
    }

    /// Prompts answered and in all, over the questions for which `keep` holds.
    pub fn totals(&self, keep: impl Fn(&QuestionProgress) -> bool) -> (usize, usize) {
        self.questions.iter().filter(|q| keep(q)).fold((0, 0), |(a, t), q| (a + q.answered, t + q.total))
    }

    /// Completeness as a whole percentage: prompts answered over prompts in all (a question without
    /// prompts counts as one prompt, answered by its body).
    pub fn percent(&self, keep: impl Fn(&QuestionProgress) -> bool) -> u32 {
        let (answered, total) = self.totals(keep);
        (answered * 100).checked_div(total).map_or(0, |p| p as u32)
    }
}

fn question_progress(question: &Question, answer: Option<&Answer>, today: Date) -> QuestionProgress {
    let (answered, total, unanswered) = match answer {
        Some(answer) => count_answered(question, answer, true),
        None => (0, question.prompts.len().max(1), question.prompts.iter().map(|p| p.id.clone()).collect()),
    };
    let next_review = answer.and_then(|a| a.front.next_review);
    QuestionProgress {
        number: question.number,
        title: question.title.clone(),
        phase: question.phase.clone(),
        file: answer.map(|a| crate::diagnostic::display_path(&a.file.path)),
        status: answer.map_or(Status::NotStarted, |a| a.front.status),
        answered,
        total,
        unanswered,
        owner: answer.and_then(|a| a.front.owner.clone()).filter(|o| !o.trim().is_empty()),
        next_review,
        overdue: next_review.is_some_and(|d| d < today),
        errors: 0,
        not_published: false,
    }
}

/// Prompts answered, prompts in all, and the ids of those unanswered.
///
/// A prompt counts as answered when its own answer has text, or when it has nested prompts and each
/// of them is answered. A question without prompts counts as one prompt, answered by the body. With
/// `include_internal` false only public text counts, as the public sees it.
pub fn count_answered(
    question: &Question,
    answer: &Answer,
    include_internal: bool,
) -> (usize, usize, Vec<String>) {
    if question.prompts.is_empty() {
        let has_body = answer.body(include_internal).any(|(_, text)| !text.trim().is_empty());
        return (usize::from(has_body), 1, Vec::new());
    }
    let unanswered: Vec<String> = question
        .prompts
        .iter()
        .filter(|p| !is_answered(p, answer, include_internal))
        .map(|p| p.id.clone())
        .collect();
    (question.prompts.len() - unanswered.len(), question.prompts.len(), unanswered)
}

fn is_answered(prompt: &Prompt, answer: &Answer, include_internal: bool) -> bool {
    let own = !answer.prompt_text(&prompt.id, include_internal).trim().is_empty();
    own || (!prompt.prompts.is_empty()
        && prompt.prompts.iter().all(|p| is_answered(p, answer, include_internal)))
}

/// Today's date: the date of `SOURCE_DATE_EPOCH` when it is set (so builds are reproducible), else
/// today in UTC.
pub fn today() -> Date {
    let epoch = std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|s| s.trim().parse::<i64>().ok());
    let now = epoch.and_then(|s| jiff::Timestamp::from_second(s).ok()).unwrap_or_else(jiff::Timestamp::now);
    now.to_zoned(jiff::tz::TimeZone::UTC).date()
}

/// Serializes an optional date as `YYYY-MM-DD` or null.
pub fn serialize_date<S: serde::Serializer>(date: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
    match date {
        Some(d) => s.serialize_str(&d.to_string()),
        None => s.serialize_none(),
    }
}
