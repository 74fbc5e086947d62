//! The record as CSV: one row per question, or (the long form) one row per prompt. Column names are
//! stable.

use crate::record::{PromptRecord, Record};

/// Columns of the per-question table.
pub const QUESTION_COLUMNS: &[&str] = &[
    "question",
    "slug",
    "title",
    "phase",
    "status",
    "withheld",
    "prompts_answered",
    "prompts_total",
    "owner",
    "last_reviewed",
    "next_review",
    "overdue",
    "summary",
    "evidence",
    "engagement",
    "risks",
    "datasets",
    "metrics",
    "signoffs",
    "last_changed",
];

/// Columns of the per-prompt table.
pub const PROMPT_COLUMNS: &[&str] = &["question", "prompt_id", "parent_id", "prompt", "answered", "answer"];

/// One row per question.
pub fn questions(record: &Record) -> String {
    let mut out = csv::Writer::from_writer(Vec::new());
    let _ = out.write_record(QUESTION_COLUMNS);
    for q in &record.questions {
        let counts = [
            q.evidence.len(),
            q.engagement.len(),
            q.risks.len(),
            q.datasets.len(),
            q.metrics.len(),
            q.signoffs.len(),
        ];
        let mut row = vec![
            q.number.to_string(),
            q.slug.clone(),
            q.title.clone(),
            q.phase.clone(),
            q.status.map_or("", |s| s.as_str()).to_owned(),
            serde_json::to_value(q.withheld)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
            q.prompts_answered.to_string(),
            q.prompts_total.to_string(),
            q.owner.clone().unwrap_or_default(),
            q.last_reviewed.clone().unwrap_or_default(),
            q.next_review.clone().unwrap_or_default(),
            q.overdue.to_string(),
            q.summary.clone(),
        ];
        row.extend(counts.iter().map(usize::to_string));
        row.push(q.history.first().map(|c| c.day().to_owned()).unwrap_or_default());
        let _ = out.write_record(row.iter().map(|c| cell(c)));
    }
    finish(out)
}

/// One row per prompt, nested prompts after their parent.
pub fn prompts(record: &Record) -> String {
    let mut out = csv::Writer::from_writer(Vec::new());
    let _ = out.write_record(PROMPT_COLUMNS);
    fn rows(out: &mut csv::Writer<Vec<u8>>, number: u32, parent: &str, prompts: &[PromptRecord]) {
        for p in prompts {
            let answered = (!p.answer.trim().is_empty()).to_string();
            let _ =
                out.write_record([number.to_string().as_str(), &p.id, parent, &p.text, &answered, &p.answer]);
            rows(out, number, &p.id, &p.prompts);
        }
    }
    for q in &record.questions {
        rows(&mut out, q.number, "", &q.prompts);
    }
    finish(out)
}

/// A cell as spreadsheets should read it: text that starts like a formula (`=`, `+`, `-`, `@`) gets
/// a leading apostrophe, so opening the file never runs it.
fn cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{text}") } else { text.to_owned() }
}

fn finish(out: csv::Writer<Vec<u8>>) -> String {
    out.into_inner().map(|bytes| String::from_utf8_lossy(&bytes).into_owned()).unwrap_or_default()
}
