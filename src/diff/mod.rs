//! `workbook diff`: what changed between two loaded workbooks, question by question, in meaning
//! rather than lines, with anything that moved from internal to public flagged first.
//!
//! Both sides are loaded by the same loader as `check` and `build` ([`crate::load::load_from`]);
//! one printer per output format turns the result into Markdown or JSON.

pub mod json;
pub mod markdown;
mod moved;

use crate::load::answer::{FrontMatter, Visibility};
use crate::load::{Answer, Workbook};
use serde::Serialize;
use serde_json::Value;

/// Everything that changed.
#[derive(Debug, Clone, Serialize)]
pub struct Diff {
    /// The revision compared from.
    pub from: String,
    /// The revision compared to (`working tree` for files on disk).
    pub to: String,
    /// Things that were internal and are now public: these need a second look before publishing.
    pub newly_public: Vec<NewlyPublic>,
    /// The questions that changed, in order.
    pub questions: Vec<QuestionDiff>,
    /// Files that could not be read on either side, with why.
    pub problems: Vec<String>,
}

/// Something that moved from internal to public.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NewlyPublic {
    /// The question it belongs to, when it is in an answer.
    pub question: Option<u32>,
    /// The file it is in, when it is not in an answer: `workbook.yaml`, or a file the site publishes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// What it is, in words: "the whole answer", "risk “…”", "an internal passage".
    pub what: String,
}

/// The changes to one question.
#[derive(Debug, Clone, Serialize)]
pub struct QuestionDiff {
    /// The question's number.
    pub number: u32,
    /// Its title.
    pub title: String,
    /// The answer file on the `to` side (or the `from` side when it was removed).
    pub file: Option<String>,
    /// The changes, in a fixed order.
    pub changes: Vec<Change>,
    /// A unified diff of the answer's Markdown (prompts and body) that changed, when any did.
    pub text_diff: Option<String>,
}

/// One change to an answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Change {
    /// The answer file was added.
    AnswerAdded,
    /// The answer file was removed.
    AnswerRemoved,
    /// The status changed.
    Status {
        /// Before.
        from: String,
        /// After.
        to: String,
    },
    /// The whole answer's visibility changed.
    Visibility {
        /// Before.
        from: String,
        /// After.
        to: String,
    },
    /// A field such as `owner`, `summary`, `last_reviewed` or `next_review` changed.
    Field {
        /// The field.
        field: String,
        /// Before, when short enough to show.
        from: Option<String>,
        /// After, when short enough to show.
        to: Option<String>,
    },
    /// A prompt that had no answer now has one.
    PromptAnswered {
        /// The prompt id.
        prompt: String,
    },
    /// A prompt's answer changed.
    PromptChanged {
        /// The prompt id.
        prompt: String,
    },
    /// A prompt's answer was removed.
    PromptCleared {
        /// The prompt id.
        prompt: String,
    },
    /// An item was added to a list.
    ItemAdded {
        /// The list: evidence, engagement, risks, datasets, metrics, signoffs.
        list: String,
        /// The item, in a few words.
        item: String,
        /// Its visibility.
        visibility: String,
    },
    /// An item was removed from a list.
    ItemRemoved {
        /// The list.
        list: String,
        /// The item.
        item: String,
    },
    /// An item's fields changed.
    ItemChanged {
        /// The list.
        list: String,
        /// The item.
        item: String,
        /// The fields that changed.
        fields: Vec<String>,
    },
    /// The Markdown body changed.
    BodyChanged,
}

/// How a whole answer made public is described.
const WHOLE_ANSWER: &str = "the whole answer";

/// Compares two loaded workbooks.
pub fn diff(from_name: &str, from: &Workbook, to_name: &str, to: &Workbook) -> Diff {
    let framework = to.framework.as_ref().or(from.framework.as_ref());
    let mut numbers: Vec<u32> = from.answers.iter().chain(&to.answers).map(|a| a.front.question).collect();
    numbers.sort_unstable();
    numbers.dedup();
    let mut newly_public = Vec::new();
    let mut questions = Vec::new();
    for number in numbers {
        let before = from.answers.iter().find(|a| a.front.question == number);
        let after = to.answers.iter().find(|a| a.front.question == number);
        let title = framework.and_then(|f| f.question(number)).map(|q| q.title.clone()).unwrap_or_default();
        let (changes, text_diff) = compare(before, after, number, &mut newly_public);
        if !changes.is_empty() {
            questions.push(QuestionDiff {
                number,
                title,
                file: after.or(before).map(|a| crate::diagnostic::display_path(&a.file.path)),
                changes,
                text_diff,
            });
        }
    }
    let whole: Vec<u32> =
        newly_public.iter().filter(|n| n.what == WHOLE_ANSWER).filter_map(|n| n.question).collect();
    newly_public.extend(moved::moved_text(from, to, &whole));
    // Questions in order, then the settings and files (a stable sort keeps each group's order).
    newly_public.sort_by_key(|n| (n.question.is_none(), n.question, n.file.clone()));
    let problems = [(from_name, from), (to_name, to)]
        .iter()
        .flat_map(|(name, w)| {
            w.diagnostics.iter().filter(|d| d.severity() == crate::diagnostic::Severity::Error).map(
                move |d| {
                    let file = d.location.as_ref().map(|l| l.file.clone()).unwrap_or_default();
                    format!("{file} at {name}: {}", d.message)
                },
            )
        })
        .collect();
    Diff { from: from_name.to_owned(), to: to_name.to_owned(), newly_public, questions, problems }
}

fn compare(
    before: Option<&Answer>,
    after: Option<&Answer>,
    number: u32,
    newly_public: &mut Vec<NewlyPublic>,
) -> (Vec<Change>, Option<String>) {
    let mut changes = Vec::new();
    let (b, a) = match (before, after) {
        (None, None) => return (changes, None),
        (None, Some(a)) => {
            changes.push(Change::AnswerAdded);
            for (list, items) in lists(&a.front) {
                for item in items {
                    changes.push(Change::ItemAdded {
                        list: list.into(),
                        item: label(list, &item),
                        visibility: visibility_of(&item),
                    });
                }
            }
            return (changes, text_diff(None, Some(a)));
        }
        (Some(_), None) => {
            changes.push(Change::AnswerRemoved);
            return (changes, None);
        }
        (Some(b), Some(a)) => (b, a),
    };
    let (fb, fa) = (&b.front, &a.front);
    if fb.status != fa.status {
        changes.push(Change::Status { from: fb.status.as_str().into(), to: fa.status.as_str().into() });
    }
    if fb.visibility != fa.visibility {
        changes.push(Change::Visibility { from: vis(fb.visibility).into(), to: vis(fa.visibility).into() });
        if fa.visibility == Visibility::Public {
            newly_public.push(NewlyPublic { question: Some(number), file: None, what: WHOLE_ANSWER.into() });
        }
    }
    let short = |s: Option<String>| s.filter(|s| s.chars().count() <= 80);
    let fields: [(&str, Option<String>, Option<String>); 4] = [
        ("owner", fb.owner.clone(), fa.owner.clone()),
        ("last_reviewed", fb.last_reviewed.map(|d| d.to_string()), fa.last_reviewed.map(|d| d.to_string())),
        ("next_review", fb.next_review.map(|d| d.to_string()), fa.next_review.map(|d| d.to_string())),
        (
            "summary",
            Some(fb.summary.clone()).filter(|s| !s.is_empty()),
            Some(fa.summary.clone()).filter(|s| !s.is_empty()),
        ),
    ];
    for (field, from, to) in fields {
        if from != to {
            changes.push(Change::Field { field: field.into(), from: short(from), to: short(to) });
        }
    }
    let mut ids: Vec<&String> = fb.prompts.keys().chain(fa.prompts.keys()).collect();
    ids.sort();
    ids.dedup();
    for id in ids {
        let old = fb.prompts.get(id).map(|s| s.trim()).filter(|s| !s.is_empty());
        let new = fa.prompts.get(id).map(|s| s.trim()).filter(|s| !s.is_empty());
        match (old, new) {
            (None, Some(_)) => changes.push(Change::PromptAnswered { prompt: id.clone() }),
            (Some(_), None) => changes.push(Change::PromptCleared { prompt: id.clone() }),
            (Some(o), Some(n)) if o != n => changes.push(Change::PromptChanged { prompt: id.clone() }),
            _ => {}
        }
    }
    let (lists_before, lists_after) = (lists(fb), lists(fa));
    for ((list, old), (_, new)) in lists_before.iter().zip(&lists_after) {
        compare_list(list, old, new, number, fa.visibility == Visibility::Public, &mut changes, newly_public);
    }
    let body = |x: &Answer| x.file.text[x.parts.body.clone()].trim().to_owned();
    if body(b) != body(a) {
        changes.push(Change::BodyChanged);
    }
    let diff = if changes.is_empty() { None } else { text_diff(Some(b), Some(a)) };
    (changes, diff)
}

fn compare_list(
    list: &str,
    old: &[Value],
    new: &[Value],
    number: u32,
    answer_public: bool,
    changes: &mut Vec<Change>,
    newly_public: &mut Vec<NewlyPublic>,
) {
    for item in new {
        let key = identity(list, item);
        match old.iter().find(|o| identity(list, o) == key) {
            None => changes.push(Change::ItemAdded {
                list: list.into(),
                item: label(list, item),
                visibility: visibility_of(item),
            }),
            Some(before) => {
                let mut fields: Vec<String> = item
                    .as_object()
                    .into_iter()
                    .flatten()
                    .chain(before.as_object().into_iter().flatten())
                    .map(|(k, _)| k.clone())
                    .filter(|k| before.get(k) != item.get(k))
                    .collect();
                fields.sort();
                fields.dedup();
                if !fields.is_empty() {
                    changes.push(Change::ItemChanged { list: list.into(), item: label(list, item), fields });
                }
                if answer_public && visibility_of(before) == "internal" && visibility_of(item) == "public" {
                    newly_public.push(NewlyPublic {
                        question: Some(number),
                        file: None,
                        what: format!("{} {}", singular(list), label(list, item)),
                    });
                }
            }
        }
    }
    let mut internal_removed = false;
    for item in old {
        if !new.iter().any(|n| identity(list, n) == identity(list, item)) {
            changes.push(Change::ItemRemoved { list: list.into(), item: label(list, item) });
            internal_removed |= visibility_of(item) == "internal";
        }
    }
    // An internal item that is reworded and made public in one change looks like a removal and an
    // addition. Fail safe: when a list loses an internal item and gains a public one, the new one is
    // flagged, so that `--deny newly-public` asks for the second look.
    if answer_public && internal_removed {
        for item in new.iter().filter(|n| visibility_of(n) == "public") {
            if !old.iter().any(|o| identity(list, o) == identity(list, item)) {
                newly_public.push(NewlyPublic {
                    question: Some(number),
                    file: None,
                    what: format!(
                        "{} {} (may be an internal one, reworded)",
                        singular(list),
                        label(list, item)
                    ),
                });
            }
        }
    }
}

/// The structured lists of an answer as JSON values, in a fixed order.
/// The names of an answer's lists, as the front matter and the record spell them.
const LISTS: &[&str] = &["evidence", "engagement", "risks", "datasets", "metrics", "signoffs"];

fn lists(f: &FrontMatter) -> Vec<(&'static str, Vec<Value>)> {
    let values = |v: serde_json::Result<Value>| match v {
        Ok(Value::Array(items)) => items,
        _ => Vec::new(),
    };
    vec![
        ("evidence", values(serde_json::to_value(&f.evidence))),
        ("engagement", values(serde_json::to_value(&f.engagement))),
        ("risks", values(serde_json::to_value(&f.risks))),
        ("datasets", values(serde_json::to_value(&f.datasets))),
        ("metrics", values(serde_json::to_value(&f.metrics))),
        ("signoffs", values(serde_json::to_value(&f.signoffs))),
    ]
}

/// What identifies an item of a list across revisions.
fn identity(list: &str, item: &Value) -> String {
    let get = |k: &str| {
        item.get(k).map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned)).unwrap_or_default()
    };
    match list {
        "evidence" => get("title"),
        "engagement" => format!("{} {}", get("who"), get("when")),
        "risks" => get("risk"),
        "datasets" => get("name"),
        "metrics" => format!("{} / {}", get("name"), get("group")),
        "signoffs" => format!("{} {}", get("by"), get("date")),
        _ => item.to_string(),
    }
}

/// An item in a few words, quoted.
fn label(list: &str, item: &Value) -> String {
    format!("“{}”", clip(identity(list, item).trim_end_matches(" / null").trim()))
}

fn visibility_of(item: &Value) -> String {
    item.get("visibility").and_then(Value::as_str).unwrap_or("public").to_owned()
}

fn singular(list: &str) -> &str {
    match list {
        "risks" => "risk",
        "datasets" => "dataset",
        "metrics" => "metric",
        "signoffs" => "sign-off",
        other => other,
    }
}

fn vis(v: Visibility) -> &'static str {
    if v.is_internal() { "internal" } else { "public" }
}

fn clip(s: &str) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() > 60 { format!("{}…", s.chars().take(59).collect::<String>()) } else { s }
}

/// A unified diff of the answer's prompts and body, with one line of context.
fn text_diff(before: Option<&Answer>, after: Option<&Answer>) -> Option<String> {
    let text = |a: Option<&Answer>| -> String {
        let Some(a) = a else { return String::new() };
        let mut out = String::new();
        for (id, answer) in &a.front.prompts {
            if !answer.trim().is_empty() {
                out += &format!("[{id}]\n{}\n\n", answer.trim());
            }
        }
        let body = a.file.text[a.parts.body.clone()].trim();
        if !body.is_empty() {
            out += &format!("[body]\n{body}\n");
        }
        out
    };
    let (old, new) = (text(before), text(after));
    if old == new {
        return None;
    }
    let diff = similar::TextDiff::from_lines(&old, &new);
    Some(diff.unified_diff().context_radius(1).to_string())
}
