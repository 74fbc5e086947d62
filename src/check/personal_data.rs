//! Likely personal data in public text: email addresses, UK phone numbers, NHS numbers, National
//! Insurance numbers and Unique Pupil Numbers.
//!
//! These are warnings, not errors: a pattern can match something harmless. Each kind has its own code,
//! so a team can see at a glance what was found.

use crate::diagnostic::{Code, Diagnostic};
use crate::load::Answer;
use crate::load::answer::Visibility;
use regex::Regex;
use std::borrow::Cow;
use std::sync::LazyLock;

static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\b").expect("valid")
});
// UK numbers: +44 or 0, then 9 or 10 more digits, with spaces or hyphens between groups.
static PHONE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:\+44\s?\(?0?\)?\s?|\b0)(?:\d[\s-]?){8,9}\d\b").expect("valid"));
static TEN_DIGITS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b\d{3}[\s-]?\d{3}[\s-]?\d{4}\b").expect("valid"));
// The prefix letters D, F, I, Q, U and V are never used, nor O second; the suffix is A to D.
static NI_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b").expect("valid")
});
static UPN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b[A-HJ-NP-RT-Z]\d{11}[0-9A-HJ-NP-RT-Z]\b").expect("valid"));

/// Scans the public text of `answer`, pushing a warning for each likely piece of personal data.
/// `contact` is the project's own address, which is expected in public text.
pub(super) fn scan(answer: &Answer, contact: Option<&str>, found: &mut Vec<Diagnostic>) {
    for (path, text) in public_fields(answer) {
        let text = text.as_ref();
        let base = answer.positions.value(&path).map_or(answer.parts.yaml.start, |((line, column), _)| {
            answer.file.offset_of(answer.parts.yaml_first_line + line - 1, column)
        });
        for (code, what, matched) in findings(text, contact) {
            // Find the text as written in the file; a folded scalar may have moved it, so fall back
            // to the start of the value.
            let start = answer.file.text[base..].find(matched).map_or(base, |i| base + i);
            found.push(diagnostic(code, what, answer.file.location(start, start + matched.len())));
        }
    }
    for (passage, text) in answer.body(false) {
        for (code, what, matched) in findings(text, contact) {
            let offset = matched.as_ptr() as usize - text.as_ptr() as usize;
            let start = passage.range.start + offset;
            found.push(diagnostic(code, what, answer.file.location(start, start + matched.len())));
        }
    }
}

fn diagnostic(code: Code, what: &str, location: crate::diagnostic::Location) -> Diagnostic {
    Diagnostic::new(code, format!("this looks like {what}, in public text"))
        .at(location)
        .help("remove it, or move it into a `::: internal` passage or an internal item; the site is public")
}

/// The public text fields of the front matter, by path.
fn public_fields(answer: &Answer) -> Vec<(String, Cow<'_, str>)> {
    let f = &answer.front;
    let mut fields: Vec<(String, &str)> = vec![("summary".into(), f.summary.as_str())];
    if let Some(owner) = &f.owner {
        fields.push(("owner".into(), owner));
    }
    let public = |v: Visibility| v == Visibility::Public;
    for (i, e) in f.evidence.iter().enumerate().filter(|(_, e)| public(e.visibility)) {
        fields.push((format!("evidence[{i}].title"), &e.title));
        fields.extend(e.description.as_deref().map(|d| (format!("evidence[{i}].description"), d)));
    }
    for (i, e) in f.engagement.iter().enumerate().filter(|(_, e)| public(e.visibility)) {
        for (key, text) in [("who", &e.who), ("what", &e.what), ("changed", &e.changed)] {
            fields.push((format!("engagement[{i}].{key}"), text));
        }
    }
    for (i, r) in f.risks.iter().enumerate().filter(|(_, r)| public(r.visibility)) {
        for (key, text) in [("risk", &r.risk), ("mitigation", &r.mitigation)] {
            fields.push((format!("risks[{i}].{key}"), text));
        }
        fields.extend(r.owner.as_deref().map(|o| (format!("risks[{i}].owner"), o)));
    }
    for (i, d) in f.datasets.iter().enumerate().filter(|(_, d)| public(d.visibility)) {
        for (key, text) in [
            ("name", &d.name),
            ("source", &d.source),
            ("description", &d.description),
            ("quality", &d.quality),
        ] {
            fields.push((format!("datasets[{i}].{key}"), text));
        }
        for (j, attribute) in d.sensitive.iter().enumerate() {
            fields.push((format!("datasets[{i}].sensitive[{j}]"), attribute));
        }
    }
    for (i, m) in f.metrics.iter().enumerate().filter(|(_, m)| public(m.visibility)) {
        fields.push((format!("metrics[{i}].name"), &m.name));
        fields.extend(m.group.as_deref().map(|g| (format!("metrics[{i}].group"), g)));
    }
    for (i, s) in f.signoffs.iter().enumerate().filter(|(_, s)| public(s.visibility)) {
        fields.push((format!("signoffs[{i}].by"), &s.by));
        fields.push((format!("signoffs[{i}].role"), &s.role));
        fields.extend(s.note.as_deref().map(|n| (format!("signoffs[{i}].note"), n)));
    }
    let mut fields: Vec<(String, Cow<str>)> =
        fields.into_iter().map(|(p, t)| (p, Cow::Borrowed(t))).collect();
    // A prompt's answer without its internal passages.
    fields.extend(
        f.prompts.keys().map(|id| (format!("prompts.{id}"), Cow::Owned(answer.prompt_text(id, false)))),
    );
    fields
}

/// Every likely piece of personal data in `text`: its code, what it is, and the matched text.
pub fn findings<'t>(text: &'t str, contact: Option<&str>) -> Vec<(Code, &'static str, &'t str)> {
    let mut out = Vec::new();
    for m in EMAIL.find_iter(text) {
        if !contact.is_some_and(|c| c.eq_ignore_ascii_case(m.as_str())) {
            out.push((Code::PersonalEmail, "an email address", m.as_str()));
        }
    }
    let mut nhs_spans = Vec::new();
    for m in TEN_DIGITS.find_iter(text) {
        if is_nhs_number(m.as_str()) {
            nhs_spans.push(m.range());
            out.push((Code::PersonalNhsNumber, "an NHS number", m.as_str()));
        }
    }
    for m in PHONE.find_iter(text) {
        let overlaps_nhs = nhs_spans.iter().any(|r| r.start < m.end() && m.start() < r.end);
        if !overlaps_nhs {
            out.push((Code::PersonalPhone, "a phone number", m.as_str()));
        }
    }
    for m in NI_NUMBER.find_iter(text) {
        out.push((Code::PersonalNiNumber, "a National Insurance number", m.as_str()));
    }
    for m in UPN.find_iter(text) {
        if is_upn(m.as_str()) {
            out.push((Code::PersonalUpn, "a Unique Pupil Number", m.as_str()));
        }
    }
    out
}

/// True for ten digits whose last is the modulus 11 check digit of the first nine.
pub fn is_nhs_number(text: &str) -> bool {
    let digits: Vec<u32> = text.chars().filter_map(|c| c.to_digit(10)).collect();
    if digits.len() != 10 {
        return false;
    }
    let sum: u32 = digits[..9].iter().zip((2..=10).rev()).map(|(d, w)| d * w).sum();
    let check = match 11 - sum % 11 {
        11 => 0,
        10 => return false,
        c => c,
    };
    check == digits[9]
}

/// True for a Unique Pupil Number whose first letter is the check letter of the other twelve
/// characters (weights 2 to 13, modulus 23).
pub fn is_upn(text: &str) -> bool {
    const LETTERS: &[u8] = b"ABCDEFGHJKLMNPQRTUVWXYZ";
    let chars: Vec<char> = text.chars().collect();
    if chars.len() != 13 {
        return false;
    }
    let value = |c: char| -> Option<u32> {
        c.to_digit(10).or_else(|| LETTERS.iter().position(|l| *l as char == c).map(|p| p as u32))
    };
    let mut sum = 0;
    for (i, c) in chars[1..].iter().enumerate() {
        let Some(v) = value(*c) else { return false };
        sum += v * (i as u32 + 2);
    }
    LETTERS[(sum % 23) as usize] as char == chars[0]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nhs_numbers_pass_the_check() {
        assert!(is_nhs_number("943 476 5919"));
        assert!(!is_nhs_number("943 476 5918"));
        assert!(!is_nhs_number("123"));
    }

    #[test]
    fn finds_each_kind_once() {
        let text = "Call 01632 960 123 or 07700 900 982, write to a.person@mail.example, NI QQ 12 34 56 C is bad but AB 12 34 56 C, NHS 943 476 5919.";
        let codes: Vec<Code> = findings(text, Some("team@council.example")).iter().map(|f| f.0).collect();
        assert_eq!(
            codes,
            [
                Code::PersonalEmail,
                Code::PersonalNhsNumber,
                Code::PersonalPhone,
                Code::PersonalPhone,
                Code::PersonalNiNumber
            ]
        );
    }

    #[test]
    fn the_contact_address_is_allowed() {
        assert!(findings("write to Team@Council.example", Some("team@council.example")).is_empty());
    }

    #[test]
    fn years_and_counts_are_not_phone_numbers() {
        assert!(findings("In 2024, 1,200 families (2023: 1,150) were seen.", None).is_empty());
    }
}
