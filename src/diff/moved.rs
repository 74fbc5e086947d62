//! Internal words that now stand in public: text from an internal passage, an internal answer or an
//! internal list item that appears, after the change, in a public place of any answer (its own or
//! another question's) where it was not public before.
//!
//! This is the fail-safe half of "newly public": a change of visibility is easy to see, but text
//! copied out of an internal note into a public answer changes no flag at all.

use super::{NewlyPublic, clip, identity, lists, singular, visibility_of};
use crate::load::answer::Visibility;
use crate::load::{Answer, Workbook};
use serde_json::Value;
use std::collections::BTreeMap;

/// Shorter internal text is not followed: "Yes", "High" or a date says nothing on its own and
/// would flag every change that reuses a common word.
const MIN_CHARS: usize = 16;

/// A piece of internal text on the `from` side, with where it came from.
struct Source {
    /// The question whose answer held it.
    question: u32,
    /// What held it, in words.
    origin: String,
    /// The text, with its whitespace collapsed.
    text: String,
    /// The list item's identity, when it came from one: a public item with the same identity on the
    /// `to` side is already flagged as the item made public.
    item: Option<(&'static str, String)>,
}

/// The flags for internal text of `from` that is public in `to` and was not public in `from`.
/// `whole` holds the questions whose whole answer was made public, already flagged as such.
pub(super) fn moved_text(from: &Workbook, to: &Workbook, whole: &[u32]) -> Vec<NewlyPublic> {
    let public_before = from.answers.iter().map(public_text).collect::<Vec<_>>().join("\n");
    let public_after: BTreeMap<u32, String> =
        to.answers.iter().map(|a| (a.front.question, public_text(a))).collect();
    let mut found = Vec::new();
    for source in from.answers.iter().flat_map(internal_text) {
        if public_before.contains(&source.text) {
            continue;
        }
        for (&question, text) in &public_after {
            let already_flagged = question == source.question
                && (whole.contains(&question)
                    || source.item.as_ref().is_some_and(|item| made_public(to, question, item)));
            if !already_flagged && text.contains(&source.text) {
                let place = if question == source.question {
                    source.origin.clone()
                } else {
                    format!("{} of question {}", source.origin, source.question)
                };
                let flag = NewlyPublic { question, what: format!("{place}: “{}”", clip(&source.text)) };
                if !found.contains(&flag) {
                    found.push(flag);
                }
            }
        }
    }
    found
}

/// Everything a public build shows of `answer`, whitespace collapsed: nothing for an internal answer.
fn public_text(answer: &Answer) -> String {
    let front = &answer.front;
    if front.visibility == Visibility::Internal {
        return String::new();
    }
    let mut parts: Vec<String> = answer.body(false).map(|(_, t)| t.to_owned()).collect();
    parts.extend(front.prompts.keys().map(|id| answer.prompt_text(id, false)));
    parts.push(front.summary.clone());
    for (_, items) in lists(front) {
        for item in items.iter().filter(|i| visibility_of(i) == "public") {
            strings(item, &mut parts);
        }
    }
    parts.iter().map(|p| collapse(p)).collect::<Vec<_>>().join("\n")
}

/// The internal pieces of text of `answer`.
fn internal_text(answer: &Answer) -> Vec<Source> {
    let front = &answer.front;
    let question = front.question;
    let mut found = Vec::new();
    let mut add = |origin: String, text: &str, item: Option<(&'static str, String)>| {
        let text = collapse(text);
        if text.chars().count() >= MIN_CHARS {
            found.push(Source { question, origin, text, item });
        }
    };
    let whole_internal = front.visibility == Visibility::Internal;
    let passage = if whole_internal { "the internal answer" } else { "an internal passage" };
    for (_, text) in answer.body(true).filter(|(p, _)| whole_internal || p.internal) {
        add(String::from(passage), text, None);
    }
    for (id, text) in &front.prompts {
        let passages = answer.prompt_passages.get(id).map(Vec::as_slice).unwrap_or_default();
        if whole_internal {
            add(format!("the internal answer to `{id}`"), &answer.prompt_text(id, true), None);
        } else {
            for passage in passages.iter().filter(|p| p.internal) {
                add(format!("an internal passage of `{id}`"), &text[passage.range.clone()], None);
            }
        }
    }
    if whole_internal {
        add(String::from("the internal summary"), &front.summary, None);
    }
    for (list, items) in lists(front) {
        for item in items.iter().filter(|i| whole_internal || visibility_of(i) == "internal") {
            let mut texts = Vec::new();
            strings(item, &mut texts);
            let origin = format!("internal {} “{}”", singular(list), clip(&identity(list, item)));
            for text in texts {
                add(origin.clone(), &text, Some((list, identity(list, item))));
            }
        }
    }
    found
}

/// True when the answer to `question` in `to` has a public item with this identity in this list.
fn made_public(to: &Workbook, question: u32, (list, id): &(&'static str, String)) -> bool {
    let Some(answer) = to.answers.iter().find(|a| a.front.question == question) else { return false };
    lists(&answer.front)
        .into_iter()
        .filter(|(name, _)| name == list)
        .flat_map(|(_, items)| items)
        .any(|item| visibility_of(&item) == "public" && identity(list, &item) == *id)
}

/// Every string inside `value`, but its visibility.
fn strings(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(s) => out.push(s.clone()),
        Value::Array(items) => items.iter().for_each(|v| strings(v, out)),
        Value::Object(map) => {
            map.iter().filter(|(k, _)| k.as_str() != "visibility").for_each(|(_, v)| strings(v, out));
        }
        _ => {}
    }
}

/// `text` with every run of whitespace made one space, so that rewrapped text still matches.
fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
