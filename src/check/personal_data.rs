//! Likely personal data in public text: email addresses, UK phone numbers, NHS numbers, National
//! Insurance numbers, Unique Pupil Numbers, dates of birth and case-system identifiers.
//!
//! These are warnings, not errors: a pattern can match something harmless. Each kind has its own code,
//! so a team can see at a glance what was found, and set its level in `lints`. An organisation's own
//! contacts are not personal data: the project's contact, the numbers and addresses listed in
//! `check.public_contacts`, well-known helplines and non-geographic service numbers are never reported.

use crate::diagnostic::Code;
use crate::load::settings::Settings;
use regex::Regex;
use std::sync::LazyLock;

/// One likely piece of personal data in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Finding<'t> {
    /// What kind it is.
    pub code: Code,
    /// What it looks like, in words: "a phone number".
    pub what: &'static str,
    /// The text that matched: a slice of the text scanned, so its offset can be computed.
    pub matched: &'t str,
}

/// The organisation's own contacts, which may appear in public text: the project's contact address
/// and phone number and `check.public_contacts`. Built once per check.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Allowed {
    /// Email addresses, in lower case.
    emails: Vec<String>,
    /// Phone numbers, as [`phone_digits`] writes them.
    phones: Vec<String>,
}

impl Allowed {
    /// Nothing allowed beyond the built-in helplines and service numbers.
    pub fn none() -> Allowed {
        Allowed::default()
    }

    /// The contacts that `settings` make public.
    pub fn from_settings(settings: &Settings) -> Allowed {
        let mut allowed = Allowed::none();
        let contact = &settings.contact;
        let listed = settings.check.public_contacts.iter().map(String::as_str);
        for entry in
            [Some(contact.email.as_str()), contact.phone.as_deref()].into_iter().flatten().chain(listed)
        {
            allowed.add(entry);
        }
        allowed
    }

    /// Allows one phone number or email address; text that is neither is ignored (`check` reports it).
    fn add(&mut self, contact: &str) {
        match public_contact_kind(contact) {
            Some(ContactKind::Email) => self.emails.push(contact.trim().to_lowercase()),
            Some(ContactKind::Phone) => self.phones.push(phone_digits(contact)),
            None => {}
        }
    }

    fn allows_email(&self, address: &str) -> bool {
        self.emails.iter().any(|e| e.eq_ignore_ascii_case(address))
    }

    fn allows_phone(&self, number: &str) -> bool {
        let digits = phone_digits(number);
        self.phones.contains(&digits) || is_organisational_number(&digits)
    }
}

/// What an entry of `check.public_contacts` is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContactKind {
    /// An email address.
    Email,
    /// A phone number.
    Phone,
}

/// Whether `entry` is an email address or a phone number, or `None` when it is neither.
pub fn public_contact_kind(entry: &str) -> Option<ContactKind> {
    let entry = entry.trim();
    if EMAIL.find(entry).is_some_and(|m| m.as_str() == entry) {
        return Some(ContactKind::Email);
    }
    let digits = entry.chars().filter(char::is_ascii_digit).count();
    let phone_like = entry.chars().all(|c| c.is_ascii_digit() || " +-()".contains(c));
    (phone_like && digits >= 3).then_some(ContactKind::Phone)
}

/// The digits of a UK phone number as dialled from within the UK: `+44 (0)1632 960000` and
/// `01632-960000` are both `01632960000`.
pub fn phone_digits(number: &str) -> String {
    let digits: String = number.chars().filter(char::is_ascii_digit).collect();
    let (international, digits) = match digits.strip_prefix("00") {
        Some(rest) => (true, rest.to_owned()),
        None => (number.trim_start().starts_with('+'), digits),
    };
    match (international, digits.strip_prefix("44")) {
        (true, Some(national)) if national.starts_with('0') => national.to_owned(),
        (true, Some(national)) => format!("0{national}"),
        _ => digits,
    }
}

/// Public helplines that a workbook about children's services may well name. Every one is run by an
/// organisation for the public, so it is never personal data. Most are also caught by their prefix
/// (see [`is_organisational_number`]); the table keeps the short numbers, and the rest are here so a
/// change to the prefix rule cannot start flagging them.
pub const HELPLINES: &[(&str, &str)] = &[
    ("999", "Emergency services"),
    ("112", "Emergency services"),
    ("101", "Police, non-emergency"),
    ("111", "NHS 111"),
    ("116 123", "Samaritans"),
    ("116 000", "Missing People"),
    ("0800 1111", "Childline"),
    ("0808 800 5000", "NSPCC Helpline"),
    ("0303 123 1113", "Information Commissioner's Office"),
    ("0808 800 2222", "Family Lives"),
    ("0808 800 4444", "Shelter"),
    ("0808 2000 247", "National Domestic Abuse Helpline"),
    ("0808 801 0327", "Men's Advice Line"),
    ("0808 802 5544", "YoungMinds Parents Helpline"),
    ("0300 123 3393", "Mind Infoline"),
    ("0300 123 2040", "Action Fraud"),
    ("0800 068 4141", "Papyrus HOPELINE247"),
];

/// True for a number that only an organisation has: a listed helpline; freephone and other 08
/// service numbers (0800, 0808, and the business-rate 084 and 087); 03 non-geographic numbers, which
/// public bodies and charities use; and 116 numbers, the harmonised European helplines. Mobiles (07)
/// and geographic numbers (01, 02) can be a person's, so they are reported unless listed.
pub fn is_organisational_number(digits: &str) -> bool {
    digits.starts_with("03")
        || digits.starts_with("08")
        || digits.starts_with("116")
        || HELPLINES.iter().any(|(number, _)| phone_digits(number) == digits)
}

/// What to do about a finding of `code`.
pub fn help(code: Code) -> &'static str {
    match code {
        Code::PersonalPhone => {
            "if it is the organisation's public number (a switchboard, a helpline), list it in `check.public_contacts` in workbook.yaml; otherwise remove it, or move it into a `::: internal` passage or an internal item: the site is public"
        }
        Code::PersonalEmail => {
            "if it is the organisation's public address (a team mailbox), list it in `check.public_contacts` in workbook.yaml; otherwise remove it, or move it into a `::: internal` passage or an internal item: the site is public"
        }
        _ => "remove it, or move it into a `::: internal` passage or an internal item; the site is public",
    }
}

/// A pattern with ASCII digits and word boundaries: the numbers and words these look for are ASCII,
/// and Unicode's classes make each pattern many times slower to compile, a cost paid on every run
/// of `check` (a tenth of a build went to it).
fn ascii(pattern: &str) -> Regex {
    let ascii = pattern
        .replace(r"\d", "[0-9]")
        .replace(r"\b", r"(?-u:\b)")
        // Case folding of ASCII letters only (Unicode's also folds `K` with the Kelvin sign).
        .replace("(?i)", "(?i-u)")
        .replace("(?i:", "(?i-u:");
    Regex::new(&ascii).expect("valid")
}

static EMAIL: LazyLock<Regex> =
    LazyLock::new(|| ascii(r"(?i)\b[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\b"));
// UK numbers: +44 or 0044 (perhaps with `(0)`) or 0, then a digit other than 0 (`00` dials abroad)
// and 8 or 9 more, with spaces, hyphens, dashes, dots or a closing bracket between groups:
// `(01632) 960000`, `07700.900.123`, `07700–900123`.
static PHONE: LazyLock<Regex> = LazyLock::new(|| {
    ascii(r"(?:(?:\+|\b00)44\s?(?:\(0\)\s?)?|\b0)[1-9](?:(?:\)\s?|[\s.\-\x{2010}-\x{2015}])?\d){8,9}\b")
});
static TEN_DIGITS: LazyLock<Regex> = LazyLock::new(|| ascii(r"\b\d{3}[\s-]?\d{3}[\s-]?\d{4}\b"));
// Written in capitals. The prefix letters D, F, I, Q, U and V are never used, nor O second; the
// suffix is A to D.
static NI_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| ascii(r"\b[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b"));
/// Prefixes that fit the letter rules but are never allocated.
const NI_UNUSED_PREFIXES: &[&str] = &["BG", "GB", "KN", "NK", "NT", "TN", "ZZ"];
static UPN: LazyLock<Regex> = LazyLock::new(|| ascii(r"\b[A-HJ-NP-RT-Z]\d{11}[0-9A-HJ-NP-RT-Z]\b"));

/// A whole date: `14/03/2011`, `14.03.11`, `2011-03-14`, `14 March 2011`, `March 14th, 2011`.
const DATE: &str = r"(?i:\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})|\d{4}-\d{1,2}-\d{1,2}|\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?MONTH,?\s+\d{4}|MONTH\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4})\b";
const MONTH: &str = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?";

fn date_pattern() -> String {
    DATE.replace("MONTH", MONTH)
}

// A date after the words that introduce a date of birth.
static BIRTH_DATE: LazyLock<Regex> = LazyLock::new(|| {
    let pattern = format!(
        r"(?i:\b(?:born(?:\s+on)?(?:\s+the)?|d\.?o\.?b|date\s+of\s+birth)\b\.?\s*(?:[:-]\s*|is\s+|was\s+)?){}",
        date_pattern()
    );
    ascii(&pattern)
});
// A date in brackets straight after two words; `findings` keeps it when the words are written as a
// name is (`Jamie Smith (14/03/2011)`, see `is_name_word`) and are not in NOT_NAMES. A year alone is
// not enough: `DfE (2024)` is a reference. (Letter case is judged in code because the regex crate is
// built without Unicode's general categories.)
static NAMED_DATE: LazyLock<Regex> = LazyLock::new(|| {
    let name = r"\w+(?:['’-]\w+)*";
    let pattern = format!(r"\b({name})\s+({name})\s*\(\s*(?:b\.\s*)?{}\s*\)", date_pattern());
    // Names are any letters (`Zoë`), so this one keeps Unicode words; its digits are ASCII.
    Regex::new(&pattern.replace(r"\d", "[0-9]")).expect("valid")
});
/// Capitalised words that begin a title, a heading or a sentence, not a name: a date in brackets
/// after them is when something happened.
const NOT_NAMES: &[&str] = &[
    "a",
    "act",
    "after",
    "agreement",
    "an",
    "and",
    "april",
    "assessment",
    "at",
    "audit",
    "august",
    "before",
    "bill",
    "board",
    "bulletin",
    "by",
    "case",
    "census",
    "code",
    "committee",
    "conference",
    "consultation",
    "council",
    "court",
    "december",
    "decision",
    "department",
    "edition",
    "february",
    "for",
    "forum",
    "framework",
    "friday",
    "from",
    "group",
    "guidance",
    "in",
    "inquiry",
    "inspection",
    "january",
    "judgment",
    "july",
    "june",
    "letter",
    "march",
    "may",
    "meeting",
    "minutes",
    "monday",
    "notice",
    "november",
    "october",
    "of",
    "on",
    "or",
    "order",
    "our",
    "panel",
    "partnership",
    "plan",
    "policy",
    "procedure",
    "protocol",
    "published",
    "regulations",
    "release",
    "report",
    "return",
    "review",
    "saturday",
    "september",
    "service",
    "services",
    "session",
    "since",
    "standard",
    "statement",
    "strategy",
    "summary",
    "sunday",
    "survey",
    "team",
    "the",
    "this",
    "thursday",
    "to",
    "tribunal",
    "tuesday",
    "until",
    "update",
    "updated",
    "version",
    "we",
    "wednesday",
    "workshop",
];
// A case-management system or a kind of record, then an ID word, then a number of 4 or more digits:
// `Mosaic ID 123456`, `LCS person ID 12345`, `case number: 12345`, `CP no. 4567`.
static CASE_ID: LazyLock<Regex> = LazyLock::new(|| {
    ascii(
        r"(?i)\b(?:(?:mosaic|lcs|liquid\s?logic|ehm|eclipse|care\s?first|azeus|systmone|capita\s+one)\s+(?:(?:person|child|client|case|family|referral)\s+)?|(?:person|child|client|case|family|young\s+person|pupil|cp|cin|cla|lac|referral|episode)\s+)(?:id|no\.?|number|ref(?:erence)?)(?:\s+(?:no\.?|number))?(?:\s*[:#]|\s+is)?\s*[A-Z]{0,3}(?P<digits>\d{4,})\b",
    )
});

/// How many matches to take: all, or none (so the pattern is never run) when `text` cannot hold one.
fn when(possible: bool) -> usize {
    if possible { usize::MAX } else { 0 }
}

/// Every likely piece of personal data in `text` that `allowed` does not allow, in the order they
/// appear.
pub fn findings<'t>(text: &'t str, allowed: &Allowed) -> Vec<Finding<'t>> {
    let mut out = Vec::new();
    // Every kind found here has a digit or an `@`: most prose has neither, and is passed at once.
    if !text.bytes().any(|b| b.is_ascii_digit() || b == b'@') {
        return Vec::new();
    }
    // Each kind needs so many digits at least; a pattern is run only on text that has them, since
    // the check runs over every public text on every `serve` save.
    let digits = text.bytes().filter(u8::is_ascii_digit).count();
    let (emails, long_numbers, dates, ni, upn) =
        (text.contains('@'), digits >= 10, digits >= 4, digits >= 6, digits >= 12);
    let mut push =
        |code, what, m: regex::Match<'t>| out.push((m.start(), Finding { code, what, matched: m.as_str() }));
    for m in EMAIL.find_iter(text).take(when(emails)) {
        if !allowed.allows_email(m.as_str()) {
            push(Code::PersonalEmail, "an email address", m);
        }
    }
    // Spans that a more telling kind has claimed: a phone number is not reported inside them.
    let mut claimed = Vec::new();
    for m in TEN_DIGITS.find_iter(text).take(when(long_numbers)) {
        // After `+44` the digits are a phone number written in threes and fours.
        let international = text[..m.start()].trim_end().ends_with("+44");
        if is_nhs_number(m.as_str()) && !international && !is_part_of_longer_number(text, m.range()) {
            claimed.push(m.range());
            push(Code::PersonalNhsNumber, "an NHS number", m);
        }
    }
    for c in CASE_ID.captures_iter(text).take(when(dates)) {
        let (Some(m), Some(digits)) = (c.get(0), c.name("digits")) else { continue };
        // A year is when something happened: `the case ID 2024 review`.
        let year = digits.as_str().len() == 4
            && digits.as_str().parse::<u32>().is_ok_and(|y| (1900..2100).contains(&y));
        if year {
            continue;
        }
        claimed.push(m.range());
        push(Code::PersonalCaseId, "a case-system identifier", m);
    }
    let births: Vec<_> = if dates {
        BIRTH_DATE.find_iter(text).filter(|m| is_plausible_date(m.as_str())).collect()
    } else {
        Vec::new()
    };
    for m in &births {
        claimed.push(m.range());
        push(Code::PersonalDateOfBirth, "a date of birth", *m);
    }
    for c in NAMED_DATE.captures_iter(text).take(when(dates && text.contains('('))) {
        let (Some(all), Some(first), Some(second)) = (c.get(0), c.get(1), c.get(2)) else { continue };
        let names = [first.as_str(), second.as_str()];
        let overlaps = |r: &std::ops::Range<usize>| r.start < all.end() && all.start() < r.end;
        // `Approved by Kate Green (1 April 2024)`, `Lead: Sam Patel (01/02/2025)`: the date of a
        // role or an act, not a birth.
        let before = text[..first.start()].split_whitespace().next_back().unwrap_or_default().to_lowercase();
        let introduces_a_role = before.ends_with(':')
            || ["by", "from", "with", "to", "chair", "lead", "owner", "author", "contact", "officer"]
                .contains(&before.trim_end_matches([',', '.']));
        if !names.iter().all(|n| is_name_word(n))
            || introduces_a_role
            || names.iter().any(|n| NOT_NAMES.contains(&n.to_lowercase().as_str()))
            || !is_plausible_date(&all.as_str()[second.end() - all.start()..])
            || births.iter().any(|b| overlaps(&b.range()))
        {
            continue;
        }
        claimed.push(all.range());
        push(Code::PersonalDateOfBirth, "a date of birth", all);
    }
    for m in PHONE.find_iter(text).take(when(long_numbers)) {
        let overlaps = claimed.iter().any(|r| r.start < m.end() && m.start() < r.end);
        if !overlaps && !is_part_of_longer_number(text, m.range()) && !allowed.allows_phone(m.as_str()) {
            push(Code::PersonalPhone, "a phone number", m);
        }
    }
    for m in NI_NUMBER.find_iter(text).take(when(ni)) {
        if !NI_UNUSED_PREFIXES.contains(&&m.as_str()[..2]) {
            push(Code::PersonalNiNumber, "a National Insurance number", m);
        }
    }
    for m in UPN.find_iter(text).take(when(upn)) {
        if is_upn(m.as_str()) {
            push(Code::PersonalUpn, "a Unique Pupil Number", m);
        }
    }
    out.sort_by_key(|(start, f)| (*start, f.code));
    out.into_iter().map(|(_, f)| f).collect()
}

/// True for a word written as a name is: letters, a capital first and after each `-` or apostrophe,
/// and some small letters (`Smith`, `O'Neill-Brown`, `McDonald`, `Zoë`; not `NHS`, `smith`, `Y2K`).
fn is_name_word(word: &str) -> bool {
    let parts = word.split(['-', '\'', '’']);
    let capitalised = parts.clone().all(|p| p.chars().next().is_some_and(char::is_uppercase));
    let letters = word.chars().all(|c| c.is_alphabetic() || "-'’".contains(c));
    capitalised && letters && word.chars().any(char::is_lowercase)
}

/// True when the digits at `range` carry on a number before or after them (`978-0-…` in an ISBN, a
/// reference `12/01632 960000`), so they are a part of something else. A `/` after them starts
/// another number (`07700 900123/4` is two), so it does not count.
fn is_part_of_longer_number(text: &str, range: std::ops::Range<usize>) -> bool {
    let before = text[..range.start].chars().rev().take(2).collect::<Vec<_>>();
    let after = text[range.end..].chars().take(2).collect::<Vec<_>>();
    matches!(before.as_slice(), [sep, digit, ..] if "-./".contains(*sep) && digit.is_ascii_digit())
        || matches!(after.as_slice(), [sep, digit, ..] if "-.".contains(*sep) && digit.is_ascii_digit())
}

/// True when the numbers of the date that ends `text` could be a day (1 to 31) and a month (1 to
/// 12): `31/02/2011` passes, `45/13/2011` does not.
fn is_plausible_date(text: &str) -> bool {
    let numbers: Vec<u32> = text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|n| !n.is_empty())
        .filter_map(|n| n.parse().ok())
        .collect();
    let day = |d: u32| (1..=31).contains(&d);
    let month = |m: u32| (1..=12).contains(&m);
    // The keyword or the names come first and hold no digits, so the date's numbers are the last.
    match numbers.as_slice() {
        [.., year, m, d] if *year >= 1000 => month(*m) && day(*d),
        [.., d, m, _year] => month(*m) && day(*d),
        // A month written as a word: a day and a year.
        [.., d, _year] => day(*d),
        _ => false,
    }
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

    /// The codes found in `text` with nothing allowed.
    fn codes(text: &str) -> Vec<Code> {
        findings(text, &Allowed::none()).iter().map(|f| f.code).collect()
    }

    /// The texts matched in `text` with nothing allowed.
    fn matched(text: &str) -> Vec<&str> {
        findings(text, &Allowed::none()).iter().map(|f| f.matched).collect()
    }

    fn allowing(contacts: &[&str]) -> Allowed {
        let mut allowed = Allowed::none();
        for c in contacts {
            allowed.add(c);
        }
        allowed
    }

    #[test]
    fn nhs_numbers_pass_the_check() {
        assert!(is_nhs_number("943 476 5919"));
        assert!(!is_nhs_number("943 476 5918"));
        assert!(!is_nhs_number("123"));
    }

    #[test]
    fn finds_each_kind_once_in_order() {
        let text = "Call 01632 960 123 or 07700 900 982, write to a.person@mail.example, NI QQ 12 34 56 C is bad but AB 12 34 56 C, NHS 943 476 5919.";
        assert_eq!(
            codes(text),
            [
                Code::PersonalPhone,
                Code::PersonalPhone,
                Code::PersonalEmail,
                Code::PersonalNiNumber,
                Code::PersonalNhsNumber
            ]
        );
    }

    #[test]
    fn the_contact_address_is_allowed() {
        assert!(findings("write to Team@Council.example", &allowing(&["team@council.example"])).is_empty());
    }

    #[test]
    fn years_and_counts_are_not_phone_numbers() {
        assert!(codes("In 2024, 1,200 families (2023: 1,150) were seen.").is_empty());
    }

    #[test]
    fn national_insurance_numbers_are_in_capitals() {
        assert!(codes("Spending was capped at 100000 a year.").is_empty());
        assert!(codes("ab 12 34 56 c").is_empty());
        assert_eq!(codes("NI number AB123456C"), [Code::PersonalNiNumber]);
        // Prefixes that are never allocated.
        assert!(codes("GB123456A and ZZ 12 34 56 A").is_empty());
    }

    #[test]
    fn helplines_and_service_numbers_are_organisational() {
        let text = "Call the NSPCC on 0808 800 5000 or Childline on 0800 1111; report to the ICO on \
                    0303 123 1113; call 101, 111, 999 or Samaritans on 116 123; ring 0300 123 4567; \
                    the National Domestic Abuse Helpline is 0808 2000 247 and Shelter 0808 800 4444; \
                    +44 808 800 5000 from abroad.";
        assert!(codes(text).is_empty(), "{:?}", matched(text));
        for (number, name) in HELPLINES {
            let digits = phone_digits(number);
            assert!(is_organisational_number(&digits), "{name}");
            assert!(codes(&format!("{name}: {number}")).is_empty(), "{name}");
        }
    }

    #[test]
    fn mobiles_and_geographic_numbers_warn_unless_listed() {
        assert_eq!(matched("Jo's mobile is 07700 900123."), ["07700 900123"]);
        assert_eq!(matched("+44 7700 900123"), ["+44 7700 900123"]);
        assert_eq!(matched("(01632) 960000"), ["01632) 960000"]);
        assert_eq!(matched("020 7946 0000"), ["020 7946 0000"]);
        assert_eq!(matched("07700 900123/4"), ["07700 900123"]);
        let council = allowing(&["+44 (0)1632 960000", "dataprotection@northfield.gov.uk"]);
        let text = "Switchboard 01632 960000, or 01632-960-000; write to DataProtection@Northfield.gov.uk.";
        assert!(findings(text, &council).is_empty());
        // Another number on the same exchange is someone's.
        assert_eq!(findings("01632 960001", &council).len(), 1);
    }

    #[test]
    fn phone_digits_drop_the_country_code_and_punctuation() {
        assert_eq!(phone_digits("+44 (0)1632 960000"), "01632960000");
        assert_eq!(phone_digits("+44 1632-960000"), "01632960000");
        assert_eq!(phone_digits("(01632) 960 000"), "01632960000");
    }

    #[test]
    fn statistics_and_references_are_not_personal_data() {
        let text = "1,200 families; capped at 100000 a year; in 2024/25; £1,250,000; ages 0 to 18; \
                    15.2%; DfE (2024); paragraph 3.12; ISBN 978-0-00-000000-0; ISBN 978 0 00 000000 0; \
                    the Children Act (1989); Ethics Board (14 March 2024); Working Together (2023); \
                    case numbers rose from 1200 to 1450; the Mosaic upgrade in 2024; \
                    on Monday (14/03/2024); a person ID field; 0.5 to 1.25.";
        assert!(codes(text).is_empty(), "{:?}", matched(text));
    }

    #[test]
    fn dates_of_birth_warn() {
        assert_eq!(matched("Jamie Smith, born 14/03/2011, was"), ["born 14/03/2011"]);
        assert_eq!(matched("DOB 14.03.2011"), ["DOB 14.03.2011"]);
        assert_eq!(matched("DOB: 2011-03-14"), ["DOB: 2011-03-14"]);
        assert_eq!(matched("D.O.B. 14/3/11"), ["D.O.B. 14/3/11"]);
        assert_eq!(matched("date of birth 14 March 2011"), ["date of birth 14 March 2011"]);
        assert_eq!(matched("born on March 14th, 2011"), ["born on March 14th, 2011"]);
        assert_eq!(matched("Jamie Smith (14/03/2011) and"), ["Jamie Smith (14/03/2011)"]);
        assert_eq!(matched("Zoë O'Neill-Brown (b. 2011-03-14)"), ["Zoë O'Neill-Brown (b. 2011-03-14)"]);
        assert!(codes("Jamie Smith, born 14/03/2011").iter().all(|c| *c == Code::PersonalDateOfBirth));
        // Not a date.
        assert!(codes("born 45/13/2011, DOB 2011, born in 2011, born in March 2011").is_empty());
    }

    #[test]
    fn case_system_identifiers_warn() {
        for text in [
            "Mosaic ID 1234567",
            "LCS person ID 12345",
            "Liquidlogic ID: 98765",
            "EHM ID 1234",
            "Mosaic number 123456",
            "person ID 12345",
            "case number 12345",
            "child ID 1234",
            "CP number 4567",
            "case no. 55555",
            "Mosaic ID 01632960000",
        ] {
            assert_eq!(codes(text), [Code::PersonalCaseId], "{text}");
            assert_eq!(matched(text), [text], "{text}");
        }
        assert!(codes("case ID 123").is_empty());
    }

    #[test]
    fn public_contacts_are_phone_numbers_or_addresses() {
        assert_eq!(public_contact_kind(" dataprotection@northfield.gov.uk "), Some(ContactKind::Email));
        assert_eq!(public_contact_kind("+44 (0)1632 960000"), Some(ContactKind::Phone));
        assert_eq!(public_contact_kind("101"), Some(ContactKind::Phone));
        assert_eq!(public_contact_kind("the front desk"), None);
        assert_eq!(public_contact_kind("call 01632 960000"), None);
    }

    #[test]
    fn what_a_hostile_input_hunt_found_missed_is_caught() {
        for text in [
            "Call 0044 7700 900123.",
            "Call 07700.900.123.",
            "Call 07700\u{2013}900123.",
            "Jamie was born on the 14th of March 2011.",
            "Mosaic ID no. 123456",
            "child ID CH123456",
        ] {
            assert_eq!(
                findings(text, &Allowed::none()).len(),
                1,
                "{text}: {:?}",
                findings(text, &Allowed::none())
            );
        }
    }

    #[test]
    fn what_a_hostile_input_hunt_found_crying_wolf_is_quiet() {
        for text in [
            "Approved by Kate Green (1 April 2024).",
            "Lead: Sam Patel (01/02/2025).",
            "The case ID 2024 review found nothing.",
            "Report 2024/0123456789 is on the website.",
        ] {
            assert!(
                findings(text, &Allowed::none()).is_empty(),
                "{text}: {:?}",
                findings(text, &Allowed::none())
            );
        }
    }
}
