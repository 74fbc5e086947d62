//! Internal words that now stand in public: any run of [`RUN_WORDS`] words of internal material (a
//! passage, an internal answer or list item, an internal passage of the settings, an evidence file
//! only internal items link) that appears, after the change, in public text where it was not public
//! before: in any answer, the settings, or a text file the site publishes.
//!
//! This is the fail-safe half of "newly public": a change of visibility is easy to see, but text
//! copied out of an internal note into a public answer changes no flag at all. Both sides are read
//! as the public and the internal records, through the same walk as the personal-data scan, so what
//! counts as public here is what the site publishes.

use super::{NewlyPublic, clip, identity, singular};
use crate::published::{self, Step, Text};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

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

/// The texts of one side, from the records the diff built for it.
fn read(from: &super::Side) -> Texts {
    let mut side = Texts { public: Vec::new(), internal: Vec::new() };
    let workbook = from.workbook;
    let Some(records) = &from.records else { return side };
    let (public, internal) = (&records.public, &records.internal);
    let public_value = &records.public_value;
    for text in published::texts_of(public_value) {
        let (place, item) = place_of(public_value, &text);
        side.public.push((place, item, text.text));
    }
    let public_files: BTreeMap<String, String> =
        published::text_files(public, workbook).into_iter().collect();
    for (path, text) in &public_files {
        side.public.push((Place { question: None, file: Some(path.clone()) }, None, text.clone()));
    }
    // The templates are public text too: what a project writes in them is on every page.
    for (_, path) in workbook.files_in(crate::load::TEMPLATES_DIR) {
        if let Ok(bytes) = workbook.read_file(path) {
            let place = Place { question: None, file: Some(path.to_owned()) };
            side.public.push((place, None, published::decode(&bytes)));
        }
    }
    let internal_value = &records.internal_value;
    for text in published::texts_of(internal_value).into_iter().filter(|t| t.internal) {
        let (place, item) = place_of(internal_value, &text);
        let origin = origin_of(internal_value, &text);
        side.internal.push((Source { place, origin, item }, text.text));
    }
    for (path, text) in published::text_files(internal, workbook) {
        if !public_files.contains_key(&path) {
            let place = Place { question: None, file: Some(path.clone()) };
            side.internal.push((
                Source { place, origin: format!("the internal evidence file `{path}`"), item: None },
                text,
            ));
        }
    }
    side
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
    let (before, after) = (read(from), read(to));
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
