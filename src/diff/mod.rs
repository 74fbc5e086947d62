//! `workbook diff`: what changed between two revisions, question by question, in meaning rather
//! than lines, with anything that moved from internal to public flagged first.
//!
//! Both sides are loaded by the same loader as `check` and `build` ([`crate::load::load_from`]) and
//! projected into the audience's record ([`Record`], public by default): the record the site's
//! writers read. The diff compares what each revision would publish, never the files themselves, so
//! nothing the audience may not see enters it. One printer per output format turns the result into
//! Markdown or JSON.

pub mod json;
pub mod markdown;
mod moved;

use crate::load::Workbook;
use crate::record::{Audience, Inputs, Record};
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::{BTreeSet, HashMap, VecDeque};

/// Everything that changed.
#[derive(Debug, Clone, Serialize)]
pub struct Diff {
    /// The revision compared from.
    pub from: String,
    /// The revision compared to (`working tree` for files on disk).
    pub to: String,
    /// Whose record was compared: `public` (what the site publishes) or `internal`.
    pub audience: Audience,
    /// Things that were internal and are now public: these need a second look before publishing.
    pub newly_public: Vec<NewlyPublic>,
    /// The questions that changed, in order.
    pub questions: Vec<QuestionDiff>,
    /// Files that could not be read on either side, with where and why. A question whose answer
    /// file cannot be read on one side is left out of `questions` (it is neither added nor removed).
    pub problems: Vec<Problem>,
}

impl Diff {
    /// True when a file of the `to` side cannot be read: the diff is incomplete, and says so with a
    /// non-zero exit.
    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(|p| p.revision == self.to && p.unread)
    }
}

/// A file that could not be read, on one side.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Problem {
    /// The revision it is in (`working tree` for files on disk).
    pub revision: String,
    /// The file, relative to the project.
    pub file: String,
    /// The line, counted from 1, when the problem has a position.
    pub line: Option<usize>,
    /// The column, counted from 1 in characters, when the problem has a position.
    pub column: Option<usize>,
    /// What is wrong, as `check` says it.
    pub message: String,
    /// True when the file could not be read at all (it does not parse, or is too large), so that
    /// the diff leaves it out; false for a problem in a file that was read (an unsafe evidence
    /// path, say), whose changes the diff shows.
    pub unread: bool,
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
    /// A unified diff of the answer's Markdown (prompts and body) as the audience reads it, when
    /// any changed.
    pub text_diff: Option<String>,
}

/// One field of a list item that changed, with both values.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValueChange {
    /// Where the value stands in the question, as `metrics[2].value`: the list, the item's place in
    /// the audience's list on the `to` side, and the field.
    pub path: String,
    /// Before (null when it was not set).
    pub from: Value,
    /// After (null when it is no longer set).
    pub to: Value,
}

/// One change to an answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Change {
    /// The answer file was added.
    AnswerAdded,
    /// The answer file was removed.
    AnswerRemoved,
    /// The answer is published for the first time: it was a draft or internal, and the public site
    /// will now show it.
    FirstPublished {
        /// Why it was not published before: `draft` or `internal`.
        was: String,
    },
    /// The answer was published and no longer is.
    Unpublished {
        /// Why it is not published now: `draft` or `internal`.
        now: String,
    },
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
        /// Before, when it was set.
        from: Option<String>,
        /// After, when it is set.
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
        /// The whole item: every field the audience's record holds, by name.
        row: Map<String, Value>,
    },
    /// An item was removed from a list.
    ItemRemoved {
        /// The list.
        list: String,
        /// The item.
        item: String,
        /// The whole item as it was.
        row: Map<String, Value>,
    },
    /// An item's fields changed.
    ItemChanged {
        /// The list.
        list: String,
        /// The item.
        item: String,
        /// The fields that changed, by name.
        fields: Vec<String>,
        /// Each value that changed, with its path and both values.
        values: Vec<ValueChange>,
    },
    /// The Markdown body changed.
    BodyChanged,
}

/// How a whole answer made public is described.
const WHOLE_ANSWER: &str = "the whole answer";

/// The names of an answer's lists, as the front matter and the record spell them.
const LISTS: &[&str] = &["evidence", "engagement", "risks", "datasets", "metrics", "signoffs"];

/// The fields of a question compared as [`Change::Field`].
const FIELDS: &[&str] = &["owner", "last_reviewed", "next_review", "summary", "withheld_reason"];

/// One side of a diff, projected once: the public and internal records and their JSON, which the
/// comparison, the newly-public flags and the copied-text scan all read.
pub(crate) struct Side<'a> {
    /// The loaded project.
    pub(crate) workbook: &'a Workbook,
    /// The records and their JSON, when the settings and framework loaded.
    pub(crate) records: Option<Records>,
}

/// A side's two records, each with its JSON.
pub(crate) struct Records {
    /// What the public site shows.
    pub(crate) public: Record,
    /// The public record as JSON.
    pub(crate) public_value: Value,
    /// Everything, internal material marked.
    pub(crate) internal: Record,
    /// The internal record as JSON.
    pub(crate) internal_value: Value,
}

impl<'a> Side<'a> {
    fn of(workbook: &'a Workbook) -> Side<'a> {
        let records = match (&workbook.settings, &workbook.framework) {
            (Some(settings), Some(framework)) => {
                let build = |audience| {
                    Record::build(&Inputs {
                        workbook,
                        settings,
                        framework,
                        history: &crate::history::History::default(),
                        today: crate::progress::today(),
                        audience,
                        base_url: None,
                    })
                };
                let (public, internal) = (build(Audience::Public), build(Audience::Internal));
                let public_value = serde_json::to_value(&public).unwrap_or_default();
                let internal_value = serde_json::to_value(&internal).unwrap_or_default();
                Some(Records { public, public_value, internal, internal_value })
            }
            _ => None,
        };
        Side { workbook, records }
    }

    /// The question with this number in the audience's record, as JSON, with its answer file.
    fn question(&self, audience: Audience, number: u32) -> Option<(&Value, Option<&str>)> {
        let records = self.records.as_ref()?;
        let (record, value) = match audience {
            Audience::Public => (&records.public, &records.public_value),
            Audience::Internal => (&records.internal, &records.internal_value),
        };
        let index = record.questions.iter().position(|q| q.number == number)?;
        Some((&value["questions"][index], record.questions[index].file.as_deref()))
    }

    /// The question with this number in the public record, as JSON.
    fn public(&self, number: u32) -> Option<&Value> {
        self.question(Audience::Public, number).map(|(q, _)| q)
    }

    /// The question with this number in the internal record, as JSON.
    fn internal(&self, number: u32) -> Option<&Value> {
        self.question(Audience::Internal, number).map(|(q, _)| q)
    }

    /// The errors met loading this side, with where and why.
    fn problems(&self, revision: &str) -> Vec<Problem> {
        let workbook = self.workbook;
        let loaded = |file: &str| {
            if file == crate::load::SETTINGS_FILE {
                workbook.settings.is_some()
            } else if file.starts_with("answers/") {
                workbook.answers.iter().any(|a| crate::diagnostic::display_path(&a.file.path) == file)
            } else {
                true
            }
        };
        workbook
            .diagnostics
            .iter()
            .filter(|d| d.severity() == crate::diagnostic::Severity::Error)
            .map(|d| {
                let file = d.location.as_ref().map(|l| l.file.clone()).unwrap_or_default();
                Problem {
                    revision: revision.to_owned(),
                    unread: !loaded(&file),
                    line: d.location.as_ref().map(|l| l.line),
                    column: d.location.as_ref().map(|l| l.column),
                    message: d.message.clone(),
                    file,
                }
            })
            .collect()
    }
}

/// Compares what `audience` would read of two loaded workbooks.
pub fn diff(from_name: &str, from: &Workbook, to_name: &str, to: &Workbook, audience: Audience) -> Diff {
    // The two sides are independent until compared: project them at once, on two threads.
    let (before, after) = std::thread::scope(|scope| {
        let before = scope.spawn(|| Side::of(from));
        let after = Side::of(to);
        (before.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)), after)
    });
    let numbers: BTreeSet<u32> = [&before, &after]
        .iter()
        .filter_map(|s| s.records.as_ref())
        .flat_map(|r| r.public.questions.iter().map(|q| q.number))
        .collect();
    let problems: Vec<Problem> =
        before.problems(from_name).into_iter().chain(after.problems(to_name)).collect();
    let unreadable: BTreeSet<&str> = problems.iter().filter(|p| p.unread).map(|p| p.file.as_str()).collect();
    let mut newly_public = Vec::new();
    let mut questions = Vec::new();
    for number in numbers {
        let (Some((old, old_file)), Some((new, new_file))) =
            (before.question(audience, number), after.question(audience, number))
        else {
            continue;
        };
        // An answer file that does not parse on one side is a problem, reported with its position;
        // comparing it would call it removed (or added).
        let missing = |q: &Value| q["withheld"] == "missing";
        if (missing(old) || missing(new)) && old_file.or(new_file).is_some_and(|f| unreadable.contains(f)) {
            continue;
        }
        let changes = compare(old, new, before.public(number), after.public(number));
        if let (Some(old), Some(new)) = (before.internal(number), after.internal(number)) {
            flag_newly_public(number, old, new, &mut newly_public);
        }
        let text_diff = if changes.is_empty() { None } else { text_diff(old, new) };
        if !changes.is_empty() {
            questions.push(QuestionDiff {
                number,
                title: new["title"].as_str().unwrap_or_default().to_owned(),
                file: new_file.or(old_file).map(str::to_owned),
                changes,
                text_diff,
            });
        }
    }
    let whole: Vec<u32> =
        newly_public.iter().filter(|n| n.what == WHOLE_ANSWER).filter_map(|n| n.question).collect();
    newly_public.extend(moved::moved_text(&before, &after, &whole));
    // Questions in order, then the settings and files (a stable sort keeps each group's order).
    newly_public.sort_by_key(|n| (n.question.is_none(), n.question, n.file.clone()));
    Diff { from: from_name.to_owned(), to: to_name.to_owned(), audience, newly_public, questions, problems }
}

/// The string at `key` of a JSON object, when it is a non-empty string.
fn text<'v>(value: &'v Value, key: &str) -> Option<&'v str> {
    value.get(key).and_then(Value::as_str).filter(|s| !s.trim().is_empty())
}

/// Why an answer is not published, from the public record: `draft`, `internal`, `missing`, or
/// `None` when it is published.
fn withheld(public: Option<&Value>) -> Option<&str> {
    public.and_then(|q| q["withheld"].as_str()).filter(|w| *w != "no")
}

/// True when the whole answer is internal: the internal record marks it, the public record says
/// why it is withheld.
fn is_internal(q: &Value) -> bool {
    q["internal"] == Value::Bool(true) || q["withheld"] == "internal"
}

/// The changes between two versions of a question in the audience's record. `old_public` and
/// `new_public` are the same question in the public records, which say what is published.
fn compare(old: &Value, new: &Value, old_public: Option<&Value>, new_public: Option<&Value>) -> Vec<Change> {
    let mut changes = Vec::new();
    let (was, is) = (old["withheld"].as_str(), new["withheld"].as_str());
    match (was == Some("missing"), is == Some("missing")) {
        (true, true) => return changes,
        (true, false) => changes.push(Change::AnswerAdded),
        (false, true) => {
            changes.push(Change::AnswerRemoved);
            return changes;
        }
        (false, false) => {}
    }
    match (withheld(old_public), withheld(new_public)) {
        (Some(was @ ("draft" | "internal")), None) => {
            changes.push(Change::FirstPublished { was: was.into() })
        }
        (None, Some(now @ ("draft" | "internal"))) if was != Some("missing") => {
            changes.push(Change::Unpublished { now: now.into() })
        }
        _ => {}
    }
    if let (Some(from), Some(to)) = (text(old, "status"), text(new, "status"))
        && from != to
        && was != Some("missing")
    {
        changes.push(Change::Status { from: from.into(), to: to.into() });
    }
    if was != Some("missing") && is_internal(old) != is_internal(new) {
        let word = |q: &Value| if is_internal(q) { "internal" } else { "public" };
        changes.push(Change::Visibility { from: word(old).into(), to: word(new).into() });
    }
    for field in FIELDS {
        let (from, to) = (text(old, field), text(new, field));
        if from != to {
            changes.push(Change::Field {
                field: (*field).into(),
                from: from.map(str::to_owned),
                to: to.map(str::to_owned),
            });
        }
    }
    let (old_prompts, new_prompts): (HashMap<_, _>, HashMap<_, _>) =
        (prompts(old).into_iter().collect(), prompts(new).into_iter().collect());
    let ids: BTreeSet<&str> = old_prompts.keys().chain(new_prompts.keys()).copied().collect();
    for id in ids {
        match (old_prompts.get(id), new_prompts.get(id)) {
            (None, Some(_)) => changes.push(Change::PromptAnswered { prompt: id.into() }),
            (Some(_), None) => changes.push(Change::PromptCleared { prompt: id.into() }),
            (Some(o), Some(n)) if o != n => changes.push(Change::PromptChanged { prompt: id.into() }),
            _ => {}
        }
    }
    for list in LISTS {
        compare_list(list, items(old, list), items(new, list), &mut changes);
    }
    if body(old) != body(new) {
        changes.push(Change::BodyChanged);
    }
    changes
}

/// The items of a list of a question, as JSON.
fn items<'v>(question: &'v Value, list: &str) -> &'v [Value] {
    question.get(list).and_then(Value::as_array).map_or(&[], Vec::as_slice)
}

/// Every answered prompt of a question (nested ones too), in the framework's order, by id, with its
/// trimmed answer.
fn prompts(question: &Value) -> Vec<(&str, &str)> {
    fn walk<'v>(prompts: &'v Value, out: &mut Vec<(&'v str, &'v str)>) {
        for p in prompts.as_array().into_iter().flatten() {
            if let (Some(id), Some(answer)) = (p["id"].as_str(), text(p, "answer")) {
                out.push((id, answer.trim()));
            }
            walk(&p["prompts"], out);
        }
    }
    let mut out = Vec::new();
    walk(&question["prompts"], &mut out);
    out
}

/// The body as the audience reads it.
fn body(question: &Value) -> String {
    let passages = question["body"].as_array().into_iter().flatten();
    passages.filter_map(|p| p["markdown"].as_str()).collect::<Vec<_>>().join("\n\n").trim().to_owned()
}

/// The fields of an item a reader sees: all that are set, but the record's own `internal` mark.
fn row(item: &Value) -> Map<String, Value> {
    let fields = item.as_object().into_iter().flatten();
    fields.filter(|(k, v)| *k != "internal" && !v.is_null()).map(|(k, v)| (k.clone(), v.clone())).collect()
}

/// Matches the items of two versions of a list by identity, in order: each item of `new` with the
/// place in `old` of the item it continues, if any. Two items with one identity are matched in
/// their order. Linear in the lengths of the lists: each identity is computed once.
fn match_items(list: &str, old: &[Value], new: &[Value]) -> (Vec<Option<usize>>, Vec<bool>) {
    let mut places: HashMap<String, VecDeque<usize>> = HashMap::new();
    for (i, item) in old.iter().enumerate() {
        places.entry(identity(list, item)).or_default().push_back(i);
    }
    let mut matched = vec![false; old.len()];
    let continued = new
        .iter()
        .map(|item| {
            let place = places.get_mut(&identity(list, item)).and_then(VecDeque::pop_front);
            if let Some(i) = place {
                matched[i] = true;
            }
            place
        })
        .collect();
    (continued, matched)
}

fn compare_list(list: &str, old: &[Value], new: &[Value], changes: &mut Vec<Change>) {
    let (continued, matched) = match_items(list, old, new);
    for (index, (item, place)) in new.iter().zip(&continued).enumerate() {
        match place {
            None => changes.push(Change::ItemAdded {
                list: list.into(),
                item: label(list, item),
                visibility: visibility_of(item),
                row: row(item),
            }),
            Some(place) => {
                let before = &old[*place];
                let mut values = Vec::new();
                leaf_changes(&format!("{list}[{index}]"), before, item, &mut values);
                if !values.is_empty() {
                    let mut fields: Vec<String> = values
                        .iter()
                        .map(|v| {
                            let field = &v.path[list.len()..];
                            let field = field.split_once("].").map_or(field, |(_, f)| f);
                            field.split(['.', '[']).next().unwrap_or(field).to_owned()
                        })
                        .collect();
                    fields.dedup();
                    changes.push(Change::ItemChanged {
                        list: list.into(),
                        item: label(list, item),
                        fields,
                        values,
                    });
                }
            }
        }
    }
    for (item, _) in old.iter().zip(&matched).filter(|(_, m)| !**m) {
        changes.push(Change::ItemRemoved { list: list.into(), item: label(list, item), row: row(item) });
    }
}

/// Every scalar under `old` and `new` that differs, with its path under `path`, in the order of the
/// fields of `new` (then those only in `old`). The record's `internal` mark is compared as the
/// item's `visibility`, which the item holds too.
fn leaf_changes(path: &str, old: &Value, new: &Value, out: &mut Vec<ValueChange>) {
    match (old, new) {
        (Value::Object(o), Value::Object(n)) => {
            let keys = n.keys().chain(o.keys().filter(|k| !n.contains_key(*k)));
            for key in keys.filter(|k| *k != "internal") {
                let (a, b) = (o.get(key).unwrap_or(&Value::Null), n.get(key).unwrap_or(&Value::Null));
                if a != b {
                    leaf_changes(&format!("{path}.{key}"), a, b, out);
                }
            }
        }
        (Value::Array(o), Value::Array(n)) if o.len() == n.len() => {
            for (i, (a, b)) in o.iter().zip(n).enumerate() {
                if a != b {
                    leaf_changes(&format!("{path}[{i}]"), a, b, out);
                }
            }
        }
        (a, b) if a != b => out.push(ValueChange { path: path.to_owned(), from: a.clone(), to: b.clone() }),
        _ => {}
    }
}

/// Flags what was internal in `old` and is public in `new`, from the internal records (which hold
/// both): a whole answer made public, and list items made public in a public answer.
fn flag_newly_public(number: u32, old: &Value, new: &Value, newly_public: &mut Vec<NewlyPublic>) {
    if old["withheld"] == "missing" || new["withheld"] == "missing" {
        return;
    }
    let internal = |v: &Value| v["internal"] == Value::Bool(true);
    if internal(old) && !internal(new) {
        newly_public.push(NewlyPublic { question: Some(number), file: None, what: WHOLE_ANSWER.into() });
    }
    if internal(new) {
        return;
    }
    for list in LISTS {
        let (old_items, new_items) = (items(old, list), items(new, list));
        let (continued, matched) = match_items(list, old_items, new_items);
        for (item, place) in new_items.iter().zip(&continued) {
            if let Some(place) = place
                && internal(&old_items[*place])
                && !internal(item)
            {
                newly_public.push(NewlyPublic {
                    question: Some(number),
                    file: None,
                    what: format!("{} {}", singular(list), label(list, item)),
                });
            }
        }
        // An internal item that is reworded and made public in one change looks like a removal and
        // an addition. Fail safe: when a list loses an internal item and gains a public one, the new
        // one is flagged, so that `--deny newly-public` asks for the second look.
        let internal_removed = old_items.iter().zip(&matched).any(|(item, m)| !m && internal(item));
        if internal_removed {
            for (item, _) in new_items.iter().zip(&continued).filter(|(i, p)| p.is_none() && !internal(i)) {
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

fn clip(s: &str) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() > 60 { format!("{}…", s.chars().take(59).collect::<String>()) } else { s }
}

/// A unified diff of the answer's prompts and body as the audience reads them, with one line of
/// context.
fn text_diff(old: &Value, new: &Value) -> Option<String> {
    let text = |q: &Value| -> String {
        let mut out = String::new();
        for (id, answer) in prompts(q) {
            out += &format!("[{id}]\n{answer}\n\n");
        }
        let body = body(q);
        if !body.is_empty() {
            out += &format!("[body]\n{body}\n");
        }
        out
    };
    let (old, new) = (text(old), text(new));
    if old == new {
        return None;
    }
    let diff = similar::TextDiff::from_lines(&old, &new);
    Some(diff.unified_diff().context_radius(1).to_string())
}
