//! `status` as JSON, for dashboards and scripts.

use super::Summary;
use crate::progress::{Progress, QuestionProgress};
use serde_json::json;

/// Renders the progress of every question and the overall figures.
pub fn render(progress: &Progress, summary: &Summary) -> String {
    let value = json!({
        "summary": {
            "percent": summary.percent,
            "prompts_answered": summary.answered,
            "prompts_total": summary.total,
            "questions_complete": summary.complete,
            "questions_total": summary.questions,
            "reviews_overdue": summary.overdue,
            "checklist_done": summary.checklist_done,
            "checklist_not_applicable": summary.checklist_not_applicable,
            "checklist_total": summary.checklist_total,
        },
        "questions": progress.questions.iter().map(question).collect::<Vec<_>>(),
        "checklists": progress.checklists,
    });
    let mut out = serde_json::to_string_pretty(&value).expect("progress serializes");
    out.push('\n');
    out
}

/// One question: its status is `error` while its file has errors, and null when it is not published.
fn question(q: &QuestionProgress) -> serde_json::Value {
    let mut value = serde_json::to_value(q).expect("progress serializes");
    if q.errors > 0 {
        value["status"] = "error".into();
    } else if q.not_published {
        value["status"] = serde_json::Value::Null;
    }
    value
}
