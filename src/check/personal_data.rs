//! Likely personal data in public text: email addresses, UK phone numbers, NHS numbers, National
//! Insurance numbers and Unique Pupil Numbers.
//!
//! These are warnings, not errors: a pattern can match something harmless. Each kind has its own code,
//! so a team can see at a glance what was found.

use crate::diagnostic::{Code, Diagnostic};
use crate::load::locate::Positions;
use crate::load::source::SourceFile;
use crate::load::{Answer, Workbook};
use crate::published::{
    self,
    Step::{Index, Key},
};
use crate::record::{QuestionRecord, Record};
use regex::Regex;
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

/// Scans every text of the public `record` (and the text evidence files it publishes), pushing a
/// warning for each likely piece of personal data, placed where the author wrote it. `contact` is
/// the project's own address, which is expected in public text.
pub(super) fn scan(record: &Record, workbook: &Workbook, contact: Option<&str>, found: &mut Vec<Diagnostic>) {
    let mut seen = std::collections::BTreeSet::new();
    let mut push = |d: Diagnostic, found: &mut Vec<Diagnostic>| {
        // The record holds some texts twice (a prompt's answer and its passages; the organisation's
        // website): one finding a place.
        if seen.insert((d.code, d.location.clone().map(|l| (l.file, l.line, l.column)), d.message.clone())) {
            found.push(d);
        }
    };
    for text in published::texts(record) {
        let origin = origin(record, workbook, &text.path);
        for (code, what, matched) in findings(&text.text, contact) {
            let d =
                Diagnostic::new(code, format!("this looks like {what}, in public text{}", origin.describe()));
            push(origin.place(d, matched), found);
        }
    }
    for (path, text) in published::text_files(record, workbook) {
        let file = SourceFile::new(path.clone().into(), text);
        for (code, what, matched) in findings(&file.text, contact) {
            let start = matched.as_ptr() as usize - file.text.as_ptr() as usize;
            let d = Diagnostic::new(
                code,
                format!("this looks like {what}, in an evidence file the site publishes"),
            )
            .at(file.location(start, start + matched.len()));
            push(help(d), found);
        }
    }
}

fn help(d: Diagnostic) -> Diagnostic {
    d.help("remove it, or move it into a `::: internal` passage or an internal item; the site is public")
}

/// Where a text of the record was written.
enum Origin<'a> {
    /// A value of a YAML file: an answer's front matter or the settings.
    Yaml { file: &'a SourceFile, first_line: usize, positions: Positions, path: String },
    /// An answer's Markdown body.
    Body { answer: &'a Answer },
    /// A commit's subject or author, shown in the change log.
    Commit { hash: String },
    /// Text that comes from no file of the project (the framework's own words).
    Nowhere,
}

impl Origin<'_> {
    fn describe(&self) -> String {
        match self {
            Origin::Commit { hash } => {
                format!(" (commit {}, shown in the public change log)", hash.get(..7).unwrap_or(hash))
            }
            _ => String::new(),
        }
    }

    /// Points `d` at `matched` as written in the file.
    fn place(&self, d: Diagnostic, matched: &str) -> Diagnostic {
        match self {
            Origin::Yaml { file, first_line, positions, path } => {
                let location = match positions.value(path) {
                    Some(((line, column), _)) => {
                        let base = file.offset_of(first_line + line - 1, column);
                        // Find the text as written; a folded scalar may have moved it, so fall back
                        // to the start of the value.
                        let start = file.text[base..].find(matched).map_or(base, |i| base + i);
                        file.location(start, start + matched.len())
                    }
                    None => crate::load::locate_value(file, *first_line, positions, path),
                };
                help(d.at(location))
            }
            Origin::Body { answer } => {
                let body = answer.parts.body.clone();
                let start =
                    answer.file.text[body.clone()].find(matched).map_or(body.start, |i| body.start + i);
                help(d.at(answer.file.location(start, start + matched.len())))
            }
            Origin::Commit { .. } => d.help(
                "commit subjects and names are published in the change log: set `history.subjects: hide` \
                 (or `history.authors: hide`) in workbook.yaml, or reword the commit before it is pushed",
            ),
            Origin::Nowhere => help(d),
        }
    }
}

/// Where the text at `path` of the record came from.
fn origin<'a>(record: &Record, workbook: &'a Workbook, path: &str) -> Origin<'a> {
    let steps = published::steps(path);
    match steps.as_slice() {
        [Key("questions"), Index(q), Key("history"), Index(c), ..] => {
            commit(record.questions.get(*q).and_then(|q| q.history.get(*c)))
        }
        [Key("changes"), Index(c), ..] => commit(record.changes.get(*c)),
        [Key("questions"), Index(q), rest @ ..] => {
            let Some(question) = record.questions.get(*q) else { return Origin::Nowhere };
            let Some(answer) = question.file.as_deref().and_then(|f| {
                workbook.answers.iter().find(|a| crate::diagnostic::display_path(&a.file.path) == f)
            }) else {
                return Origin::Nowhere;
            };
            let yaml = |path: String| Origin::Yaml {
                file: &answer.file,
                first_line: answer.parts.yaml_first_line,
                positions: answer.positions.clone(),
                path,
            };
            match rest {
                [Key("body"), ..] => Origin::Body { answer },
                [Key("prompts"), Index(p), more @ ..] => {
                    let mut prompt = question.prompts.get(*p);
                    let mut more = more;
                    while let [Key("prompts"), Index(i), tail @ ..] = more {
                        prompt = prompt.and_then(|p| p.prompts.get(*i));
                        more = tail;
                    }
                    prompt.map_or(Origin::Nowhere, |p| yaml(format!("prompts.{}", p.id)))
                }
                [Key(list), Index(i), fields @ ..] => match item_index(question, list, *i) {
                    Some(index) => yaml(format!("{list}[{index}]{}", yaml_suffix(fields))),
                    None => Origin::Nowhere,
                },
                [Key(field), ..] if FRONT_MATTER_TEXT.contains(field) => yaml((*field).to_owned()),
                _ => Origin::Nowhere,
            }
        }
        [Key(section @ ("organisation" | "tool" | "contact" | "site" | "accessibility")), Key(field), ..] => {
            let Some(file) = &workbook.settings_file else { return Origin::Nowhere };
            let start = file.content_start();
            // The record's `site.organisation_url` is the settings' `organisation.website`.
            let path = match (*section, *field) {
                ("site", "organisation_url") => "organisation.website".to_owned(),
                _ => format!("{section}.{field}"),
            };
            Origin::Yaml { file, first_line: 1, positions: Positions::of(&file.text[start..]), path }
        }
        _ => Origin::Nowhere,
    }
}

/// The front-matter keys of an answer that the record holds as they are.
const FRONT_MATTER_TEXT: &[&str] = &["summary", "owner"];

fn commit(commit: Option<&crate::history::Commit>) -> Origin<'static> {
    commit.map_or(Origin::Nowhere, |c| Origin::Commit { hash: c.hash.clone() })
}

/// The place in the answer file's list of the `i`th item of `list` that the record holds.
fn item_index(question: &QuestionRecord, list: &str, i: usize) -> Option<usize> {
    match list {
        "evidence" => question.evidence.get(i).map(|x| x.index),
        "engagement" => question.engagement.get(i).map(|x| x.index),
        "risks" => question.risks.get(i).map(|x| x.index),
        "datasets" => question.datasets.get(i).map(|x| x.index),
        "metrics" => question.metrics.get(i).map(|x| x.index),
        "signoffs" => question.signoffs.get(i).map(|x| x.index),
        _ => None,
    }
}

/// The rest of a record path as a front-matter path: `.risk`, `.sensitive[1]`.
fn yaml_suffix(steps: &[published::Step]) -> String {
    steps
        .iter()
        .map(|s| match s {
            Key(k) => format!(".{k}"),
            Index(i) => format!("[{i}]"),
        })
        .collect()
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
