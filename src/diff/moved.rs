//! Internal words that now stand in public: any run of [`RUN_WORDS`] words of internal material (a
//! passage, an internal answer or list item, an internal passage of the settings, an evidence file
//! only internal items link) that appears, after the change, in public text where it was not public
//! before: in any answer, the settings, or a text file the site publishes.
//!
//! This is the fail-safe half of "newly public": a change of visibility is easy to see, but text
//! copied out of an internal note into a public answer changes no flag at all. Both sides are read
//! as the public and the internal records, through the same walk as the personal-data scan, so what
//! counts as public here is what the site publishes.
//!
//! Only the public texts of `to` that were not public word for word before are asked about (a text
//! public on both sides holds no words that were not public), and when none of them is long enough
//! to hold a run, the rest is never read: a one-line change in a long answer costs one walk of the
//! questions that changed.

use super::{NewlyPublic, clip, identity, singular};
use crate::published::{self, Step, Text};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashSet};

/// The shortest run of words followed. Shorter runs ("the data is kept for six years") are common
/// phrases; eight words are a sentence, or most of one.
pub const RUN_WORDS: usize = 8;

/// Where a public or internal text stands, for the flag.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Place {
    /// The question, when it is in an answer.
    question: Option<u32>,
    /// The file, when it is not: `workbook.yaml` or a published file.
    file: Option<String>,
}

/// A piece of internal text, with where it came from.
struct Source {
    place: Place,
    /// What held it, in words.
    origin: String,
    /// The list item's identity, when it came from one: the same item public on the other side is
    /// already flagged as the item made public.
    item: ItemId,
}

/// A list item's list and identity.
type ItemId = Option<(String, String)>;

/// Every text of one side, read through its public and internal records.
struct Texts {
    /// Public texts: place, list item identity (when in one), text.
    public: Vec<(Place, ItemId, String)>,
    /// Internal texts.
    internal: Vec<(Source, String)>,
}

/// Which public texts of a side [`read`] reads, and how.
enum Public<'v> {
    /// Every text, without its place: the texts that were public before, whose places are never
    /// asked for.
    Texts,
    /// The texts of the questions that changed since this public record (and all the others: the
    /// settings, files and templates), each with its place. A question public word for word on
    /// both sides holds no words that were not public before, so it cannot be flagged.
    ChangedSince(&'v Value),
}

/// The texts of one side, from the records the diff built for it: the public ones as `which` says,
/// and the internal ones.
fn read(from: &super::Side, which: Public) -> Texts {
    Texts { public: public_texts(from, which), internal: internal_texts(from) }
}

/// The public texts of one side: its public record's, as `which` says, the text files it publishes,
/// and its templates.
fn public_texts(from: &super::Side, which: Public) -> Vec<(Place, ItemId, String)> {
    let mut texts = Vec::new();
    let Some(records) = &from.records else { return texts };
    let public_value = &records.public_value;
    match which {
        Public::Texts => {
            let nowhere = || Place { question: None, file: None };
            texts.extend(published::texts_of(public_value).into_iter().map(|t| (nowhere(), None, t.text)));
        }
        Public::ChangedSince(before) => {
            for text in changed_texts(public_value, before) {
                let (place, item) = place_of(public_value, &text);
                texts.push((place, item, text.text));
            }
        }
    }
    texts.extend(file_texts(from));
    texts
}

/// The texts of the files one side publishes: the text files its public record links, and its
/// templates.
fn file_texts(from: &super::Side) -> Vec<(Place, ItemId, String)> {
    let mut texts = Vec::new();
    let workbook = from.workbook;
    let Some(records) = &from.records else { return texts };
    for (path, text) in published::text_files(&records.public, workbook) {
        texts.push((Place { question: None, file: Some(path) }, None, text));
    }
    // The templates are public text too: what a project writes in them is on every page.
    for (_, path) in workbook.files_in(crate::load::TEMPLATES_DIR) {
        if let Ok(bytes) = workbook.read_file(path) {
            let place = Place { question: None, file: Some(path.to_owned()) };
            texts.push((place, None, published::decode(&bytes)));
        }
    }
    texts
}

/// The internal texts of one side: its internal record's internal material, and the text files
/// only its internal record links.
fn internal_texts(from: &super::Side) -> Vec<(Source, String)> {
    let mut texts = Vec::new();
    let workbook = from.workbook;
    let Some(records) = &from.records else { return texts };
    let internal_value = &records.internal_value;
    for text in published::texts_of(internal_value).into_iter().filter(|t| t.internal) {
        let (place, item) = place_of(internal_value, &text);
        let origin = origin_of(internal_value, &text);
        texts.push((Source { place, origin, item }, text.text));
    }
    let public_files: BTreeSet<String> =
        published::text_files(&records.public, workbook).into_iter().map(|(path, _)| path).collect();
    for (path, text) in published::text_files(&records.internal, workbook) {
        if !public_files.contains(&path) {
            let place = Place { question: None, file: Some(path.clone()) };
            texts.push((
                Source { place, origin: format!("the internal evidence file `{path}`"), item: None },
                text,
            ));
        }
    }
    texts
}

/// The texts of the public record `record` (as [`published::texts_of`] gives them) but those that
/// stand unchanged in the public record `before`: the questions equal on both sides, and of the
/// others and the settings, each text that was there word for word.
fn changed_texts(record: &Value, before: &Value) -> Vec<Text> {
    let Some(questions) = record["questions"].as_array() else { return published::texts_of(record) };
    // Outside the questions (the settings' texts), the texts that were there before are left out.
    let rest = |record: &Value| match record.as_object() {
        Some(map) => published::texts_of(&Value::Object(
            map.iter().filter(|(k, _)| *k != "questions").map(|(k, v)| (k.clone(), v.clone())).collect(),
        )),
        None => Vec::new(),
    };
    let old_rest = rest(before);
    let was: HashSet<&str> = old_rest.iter().map(|t| t.text.as_str()).collect();
    let mut texts: Vec<Text> = rest(record).into_iter().filter(|t| !was.contains(t.text.as_str())).collect();
    let old: Vec<&Value> = before["questions"].as_array().into_iter().flatten().collect();
    for (i, question) in questions.iter().enumerate() {
        let old = old.iter().find(|o| o["number"] == question["number"]);
        if old.is_some_and(|o| *o == question) {
            continue;
        }
        // Of a question that changed, the texts it held before word for word are left out too.
        let old_texts: Vec<Text> = old.map(|o| published::texts_of(o)).unwrap_or_default();
        let was: HashSet<&str> = old_texts.iter().map(|t| t.text.as_str()).collect();
        let path = |t: Text| Text { path: format!("questions[{i}].{}", t.path), ..t };
        texts.extend(
            published::texts_of(question).into_iter().filter(|t| !was.contains(t.text.as_str())).map(path),
        );
    }
    texts
}

/// The question (or file) a text of a record stands in, and its list item's identity.
fn place_of(record: &Value, text: &Text) -> (Place, ItemId) {
    match published::steps(&text.path).as_slice() {
        [Step::Key("questions"), Step::Index(q), rest @ ..] => {
            let question = &record["questions"][*q];
            let item = match rest {
                [Step::Key(list), Step::Index(i), ..] if super::LISTS.contains(list) => {
                    Some(((*list).to_owned(), identity(list, &question[*list][*i])))
                }
                _ => None,
            };
            (Place { question: question["number"].as_u64().map(|n| n as u32), file: None }, item)
        }
        _ => (Place { question: None, file: Some(crate::load::SETTINGS_FILE.to_owned()) }, None),
    }
}

/// What holds an internal text, in words.
fn origin_of(record: &Value, text: &Text) -> String {
    match published::steps(&text.path).as_slice() {
        [Step::Key("questions"), Step::Index(q), rest @ ..] => {
            let question = &record["questions"][*q];
            if question["internal"] == Value::Bool(true) {
                return String::from("the internal answer");
            }
            match rest {
                [Step::Key(list), Step::Index(i), ..] if super::LISTS.contains(list) => {
                    format!("internal {} “{}”", singular(list), clip(&identity(list, &question[*list][*i])))
                }
                [Step::Key("prompts"), Step::Index(p), ..] => {
                    format!(
                        "an internal passage of `{}`",
                        question["prompts"][*p]["id"].as_str().unwrap_or_default()
                    )
                }
                _ => String::from("an internal passage"),
            }
        }
        [Step::Key(section), Step::Key(field), ..] => format!("an internal passage of `{section}.{field}`"),
        _ => String::from("internal text"),
    }
}

/// The words of `text`, each with its normalised form (lower case, letters and digits only); words
/// that are only punctuation are left out. Words are split at spaces, dashes and slashes (so
/// `supplier—keeps` is two words), after removing what a reader does not see: invisible characters,
/// the entities that stand for them (`&shy;`, `&#8203;`) and tags, which a page shows as text but
/// which split a word for a program.
fn words(text: &str) -> Vec<(String, String)> {
    let mut visible = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '<'
            && let Some(end) = rest.find('>')
            && !rest[1..end].contains(char::is_whitespace)
        {
            rest = &rest[end + 1..];
            continue;
        }
        if c == '&'
            && let Some(end) = rest.find(';').filter(|&e| e <= 10)
        {
            let entity = rest[1..end].to_ascii_lowercase();
            if matches!(
                entity.as_str(),
                "shy" | "#8203" | "#x200b" | "#173" | "#xad" | "zwsp" | "zwj" | "zwnj" | "#8288"
            ) {
                rest = &rest[end + 1..];
                continue;
            }
        }
        if !crate::load::body::is_invisible(c) {
            visible.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    visible
        .split(|c: char| {
            c.is_whitespace() || matches!(c, '-' | '‐' | '‑' | '‒' | '–' | '—' | '―' | '/' | '\\' | '|' | '…')
        })
        .map(|w| {
            (
                w.to_owned(),
                w.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect::<String>(),
            )
        })
        .filter(|(w, _)| !w.is_empty())
        .collect()
}

/// The places in `words` of the words that count (those with letters or digits).
fn counted(words: &[(String, String)]) -> Vec<usize> {
    words.iter().enumerate().filter(|(_, (_, n))| !n.is_empty()).map(|(i, _)| i).collect()
}

/// The runs of [`RUN_WORDS`] words that count in `words`, normalised, as one string each.
fn runs(words: &[(String, String)]) -> Vec<String> {
    let counted = counted(words);
    counted
        .windows(RUN_WORDS)
        .map(|w| w.iter().map(|&i| words[i].1.as_str()).collect::<Vec<_>>().join(" "))
        .collect()
}

/// The flags for internal text (of either side) that is public in `to` and was not public in
/// `from`. `whole` holds the questions whose whole answer was made public, already flagged as such.
pub(super) fn moved_text(from: &super::Side, to: &super::Side, whole: &[u32]) -> Vec<NewlyPublic> {
    // Nothing was public before when the old side has no record: every question has changed.
    let nothing = Value::Null;
    let public_before_value = from.records.as_ref().map_or(&nothing, |r| &r.public_value);
    // A text public before, word for word, holds no words that were not public (the test below,
    // made once for the whole text), so only the texts that changed are asked about; when none of
    // them has a run of words, nothing moved, and the rest need not be read. A one-line change in
    // a long answer is decided here.
    let mut changed = public_texts(to, Public::ChangedSince(public_before_value));
    let unchanged_files: HashSet<String> = file_texts(from).into_iter().map(|(_, _, text)| text).collect();
    changed.retain(|(place, _, text)| place.file.is_none() || !unchanged_files.contains(text));
    if changed.iter().all(|(_, _, text)| counted(&words(text)).len() < RUN_WORDS) {
        return Vec::new();
    }
    let before = read(from, Public::Texts);
    let mut after = Texts { public: changed, internal: internal_texts(to) };
    let was_public: HashSet<&str> = before.public.iter().map(|(_, _, text)| text.as_str()).collect();
    after.public.retain(|(_, _, text)| !was_public.contains(text.as_str()));
    let public_before: BTreeSet<String> =
        before.public.iter().flat_map(|(_, _, text)| runs(&words(text))).collect();
    // Each run of internal words, with the first source that holds it.
    let mut internal: BTreeMap<String, usize> = BTreeMap::new();
    let sources: Vec<&(Source, String)> = before.internal.iter().chain(&after.internal).collect();
    for (index, (_, text)) in sources.iter().enumerate() {
        for run in runs(&words(text)) {
            if !public_before.contains(&run) {
                internal.entry(run).or_insert(index);
            }
        }
    }
    let mut found: Vec<(Place, usize, String)> = Vec::new();
    for (place, item, text) in &after.public {
        let words = words(text);
        let counted = counted(&words);
        let flagged: Vec<Option<usize>> =
            runs(&words).into_iter().map(|run| internal.get(&run).copied()).collect();
        // Consecutive flagged runs from one source are one stretch of copied words.
        let mut i = 0;
        while i < flagged.len() {
            let Some(source) = flagged[i] else {
                i += 1;
                continue;
            };
            let start = i;
            while i < flagged.len() && flagged[i] == Some(source) {
                i += 1;
            }
            let (origin, _) = sources[source];
            let same_question = origin.place == *place && place.question.is_some();
            let already_flagged = same_question
                && (place.question.is_some_and(|q| whole.contains(&q))
                    || (origin.item.is_some() && origin.item == *item));
            if !already_flagged {
                // As written, punctuation and all, from the first copied word to the last.
                let (first, last) = (counted[start], counted[i + RUN_WORDS - 2]);
                let copied: Vec<&str> = words[first..=last].iter().map(|(w, _)| w.as_str()).collect();
                found.push((place.clone(), source, copied.join(" ")));
            }
        }
    }
    found.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
    let mut flags = Vec::new();
    for (place, source, copied) in found {
        let (origin, _) = sources[source];
        let what = if origin.place == place {
            origin.origin.clone()
        } else {
            match (&origin.place.question, &origin.place.file) {
                (Some(q), _) => format!("{} of question {q}", origin.origin),
                (None, Some(file)) if origin.origin.contains(file.as_str()) => origin.origin.clone(),
                (None, Some(file)) => format!("{} in `{file}`", origin.origin),
                (None, None) => origin.origin.clone(),
            }
        };
        let flag = NewlyPublic {
            question: place.question,
            file: place.file,
            what: format!("{what}: “{}”", clip(&copied)),
        };
        if !flags.contains(&flag) {
            flags.push(flag);
        }
    }
    flags
}
