//! Checking a loaded [`Workbook`]: everything that is wrong or worth a second look, as diagnostics.

mod links;
mod lints;
mod pages;
mod personal_data;
mod records;
mod scan;
mod withheld;

pub use lints::apply as apply_lints;
pub use personal_data::{Allowed, Finding, findings};

use crate::diagnostic::{self, Code, Diagnostic};
use crate::framework::Framework;
use crate::history::History;
use crate::load::answer::Status;
use crate::load::tree::Entry;
use crate::load::{Answer, Workbook};
use crate::progress::count_answered;
use crate::record::{Audience, Inputs, Record};
use jiff::civil::Date;
use std::collections::BTreeMap;
use std::path::Path;

/// Checks `workbook` as of `today`, returning every diagnostic sorted by file and position, those met
/// while loading included; without git history (see [`check_with_history`]).
pub fn check(workbook: &Workbook, today: Date) -> Vec<Diagnostic> {
    check_with_history(workbook, &History::default(), today)
}

/// Checks `workbook` as of `today` with its `history`, whose commit subjects and authors the public
/// site may show.
pub fn check_with_history(workbook: &Workbook, history: &History, today: Date) -> Vec<Diagnostic> {
    let mut found = workbook.diagnostics.clone();
    check_settings(workbook, &mut found);
    records::check(workbook, &mut found);
    lints::check_settings(workbook, &mut found);
    pages::check(workbook, &mut found);
    let allowed = workbook.settings.as_ref().map_or_else(Allowed::none, Allowed::from_settings);
    let mut by_number: BTreeMap<u32, &Answer> = BTreeMap::new();
    for answer in &workbook.answers {
        check_file_name(answer, &mut found);
        check_evidence(workbook, answer, &mut found);
        let small_numbers = workbook
            .settings
            .as_ref()
            .map_or(crate::load::settings::DEFAULT_SMALL_NUMBERS, |s| s.check.small_numbers);
        check_metrics(answer, small_numbers, &mut found);
        withheld::check(answer, &mut found);
        check_fences_in_fields(answer, &mut found);
        let Some(framework) = &workbook.framework else { continue };
        let Some(question) = framework.question(answer.front.question) else {
            found.push(
                Diagnostic::new(
                    Code::UnknownQuestion,
                    format!("there is no question {} in {}", answer.front.question, framework.id),
                )
                .at(answer.locate("question"))
                .help(format!("questions are numbered 1 to {}", framework.questions.len())),
            );
            continue;
        };
        if let Some(first) = by_number.get(&question.number) {
            found.push(
                Diagnostic::new(
                    Code::DuplicateQuestion,
                    format!(
                        "question {} is already answered by {}",
                        question.number,
                        first.file.path.display()
                    ),
                )
                .at(answer.locate("question"))
                .help("each question has one answer file: merge the two, or correct the number"),
            );
            continue;
        }
        by_number.insert(question.number, answer);
        check_prompts(framework, answer, &mut found);
        check_completeness(answer, question, &mut found);
        check_review(answer, today, &mut found);
        check_signoffs(workbook, history, answer, &mut found);
    }
    if let Some(framework) = &workbook.framework {
        // A question's own file that exists but could not be read already has its error; saying the
        // file is missing as well would send the author to create a file that is there.
        let unreadable: Vec<&str> = workbook
            .diagnostics
            .iter()
            .filter(|d| d.severity() == diagnostic::Severity::Error)
            .filter_map(|d| d.location.as_ref().map(|l| l.file.as_str()))
            .collect();
        for question in &framework.questions {
            let file = format!("{}/{}", crate::load::ANSWERS_DIR, question.file_name());
            if !by_number.contains_key(&question.number) && !unreadable.contains(&file.as_str()) {
                found.push(
                    Diagnostic::new(
                        Code::MissingQuestion,
                        format!("question {} ({}) has no answer file", question.number, question.title),
                    )
                    .in_file(Path::new(&file))
                    .help(missing_question_help(workbook, &file, question.number)),
                );
            }
        }
    }
    // Personal data, in everything the public site would publish: the public record is the one list
    // of it, so nothing published goes unscanned.
    // Drafts are scanned as if published: their text is meant for the public, and a warning is of
    // most use while the answer is still being written.
    if let (Some(settings), Some(framework)) = (&workbook.settings, &workbook.framework) {
        let mut settings = settings.clone();
        settings.site.publish_drafts = true;
        let record = Record::build(&Inputs {
            workbook,
            settings: &settings,
            framework,
            history,
            today,
            audience: Audience::Public,
            base_url: None,
        });
        scan::personal_data(&record, workbook, &allowed, &mut found);
    }
    if let (Some(settings), Some(framework)) = (&workbook.settings, &workbook.framework) {
        check_atrs_readiness(workbook, settings, framework, history, today, &mut found);
    }
    if let Some(settings) = &workbook.settings {
        lints::apply(&settings.lints, &mut found);
    }
    diagnostic::sort(&mut found);
    found
}

fn check_settings(workbook: &Workbook, found: &mut Vec<Diagnostic>) {
    let (Some(settings), Some(file)) = (&workbook.settings, &workbook.settings_file) else { return };
    // Read only when there is a finding to place: `serve` checks on every save.
    let positions =
        std::cell::LazyCell::new(|| crate::load::locate::Positions::of(&file.text[file.content_start()..]));
    let locate = |path: &str| match positions.best(path) {
        Some(((line, column), width)) => file.location_at(line, column, width),
        None => file.location_at(1, 1, 1),
    };
    for (path, mark) in fence_paths(settings, |path| crate::load::SETTINGS_MARKDOWN.contains(&path)) {
        found.push(fence_in_field(&path, mark).at(locate(&path)));
    }
    if let Some(language) = &settings.site.language
        && !language.is_empty()
        && !is_language_tag(language)
    {
        found.push(
            Diagnostic::new(Code::WrongType, format!("`{language}` is not a language tag"))
                .at(locate("site.language"))
                .help("use a BCP 47 tag such as `en-GB` or `cy` (Welsh)"),
        );
    }
    let addresses = [
        ("organisation.website", &settings.organisation.website),
        ("site.base_url", &settings.site.base_url),
        ("site.repository_url", &settings.site.repository_url),
    ];
    for (path, value) in addresses {
        if let Some(d) = value.as_deref().filter(|v| !v.trim().is_empty()).and_then(not_a_web_address) {
            found.push(d.at(locate(path)));
        }
    }
    // The contact address becomes a `mailto:` link on every page: one address, nothing else.
    let email = settings.contact.email.trim();
    if !email.is_empty() && !is_email_address(email) {
        found.push(
            Diagnostic::new(Code::WrongType, format!("`{email}` is not an email address"))
                .at(locate("contact.email"))
                .help("write one address, such as `data.ethics@council.gov.uk`; put a phone number in `contact.phone`"),
        );
    }
    // What the home page owes its readers: what the tool is, and how to ask or complain.
    let needed = [
        (
            "tool.summary",
            &settings.tool.summary,
            "the home page has no plain-English summary of the tool",
            "one sentence that a parent would understand: what the tool does and for whom",
        ),
        (
            "contact.email",
            &settings.contact.email,
            "the site gives readers no address to ask a question",
            "add the team's public email address",
        ),
        (
            "contact.concerns",
            &settings.contact.concerns,
            "the site does not say how to raise a concern",
            "say who reads concerns, how soon they answer, and where to go next, such as the council's complaints procedure",
        ),
    ];
    for (path, value, consequence, help) in needed {
        if value.trim().is_empty() {
            found.push(
                Diagnostic::new(Code::PublicInformationMissing, format!("`{path}` is empty: {consequence}"))
                    .at(locate(path))
                    .help(help),
            );
        }
    }
}

/// True for one email address: a local part, `@`, and a domain with a dot, with no spaces.
fn is_email_address(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else { return false };
    !local.is_empty()
        && !text.contains(char::is_whitespace)
        && !domain.contains('@')
        && domain.split('.').count() >= 2
        && domain.split('.').all(|part| !part.is_empty())
        && !text.contains(['<', '>', '"', ',', ';', '(', ')'])
}

/// An error when `url` is not a whole web address: the site would leave the link out without a word.
fn not_a_web_address(url: &str) -> Option<Diagnostic> {
    if crate::load::is_web_address(url) {
        return None;
    }
    Some(
        Diagnostic::new(Code::WrongType, format!("`{url}` is not a web address"))
            .help("write the whole address, starting `https://`; the site links nothing else"),
    )
}

/// True for a BCP 47 language tag in its common form: a 2–3 letter language, then subtags.
fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let first_ok = parts
        .next()
        .is_some_and(|p| (2..=3).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphabetic()));
    first_ok && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

fn check_metrics(answer: &Answer, small_numbers: u64, found: &mut Vec<Diagnostic>) {
    use crate::load::answer::Visibility;
    for (index, metric) in answer.front.metrics.iter().enumerate() {
        let interval = metric.interval.map(|[low, high]| (low, high));
        let figures = [
            ("value", metric.value),
            ("baseline", metric.baseline),
            ("interval", interval.map(|i| i.0)),
            ("interval", interval.map(|i| i.1)),
        ];
        for (key, value) in figures {
            if value.is_some_and(|v| !v.value().is_finite()) {
                found.push(
                    Diagnostic::new(
                        Code::WrongType,
                        format!("`{key}` must be a number, not infinity or NaN"),
                    )
                    .at(answer.locate(&format!("metrics[{index}].{key}"))),
                );
            } else if value.is_some_and(|v| v.value().abs() > MAX_FIGURE) {
                // Beyond this no chart can be drawn (the scale overflows) and no count is this large.
                found.push(
                    Diagnostic::new(
                        Code::WrongType,
                        format!("`metrics[{index}].{key}` is too large to publish as a figure"),
                    )
                    .at(answer.locate(&format!("metrics[{index}].{key}")))
                    .help("figures are at most a thousand million million; give it in a larger unit"),
                );
            }
        }
        if metric.value.is_none() && !metric.suppressed {
            found.push(
                Diagnostic::new(Code::MissingKey, format!("`metrics[{index}]` needs a `value` key"))
                    .at(answer.locate_key(&format!("metrics[{index}].name")))
                    .help("add `value: …`; only a figure that is withheld (`suppressed: true`, with a `suppressed_reason`) may leave it out"),
            );
        }
        if let Some((low, high)) = interval
            && low.value() > high.value()
        {
            found.push(
                Diagnostic::new(
                    Code::WrongType,
                    format!(
                        "`metrics[{index}].interval` runs from {low} down to {high}: the low end comes first"
                    ),
                )
                .at(answer.locate(&format!("metrics[{index}].interval"))),
            );
        }
        if let (Some(value), Some((low, high))) = (metric.value, interval)
            && low.value() <= high.value()
            && !(low.value()..=high.value()).contains(&value.value())
        {
            found.push(
                Diagnostic::new(
                    Code::InconsistentFigure,
                    format!(
                        "`metrics[{index}].value` {value} lies outside its own interval, {low} to {high}"
                    ),
                )
                .at(answer.locate(&format!("metrics[{index}].value")))
                .help("check the figure and its interval: a figure lies inside the range around it"),
            );
        }
        if metric.suppressed_reason.as_deref().is_some_and(|r| !r.trim().is_empty()) && !metric.suppressed {
            found.push(
                Diagnostic::new(
                    Code::InconsistentFigure,
                    format!("`metrics[{index}]` gives a reason to withhold the figure, but it is not withheld: its value is published"),
                )
                .at(answer.locate(&format!("metrics[{index}].suppressed_reason")))
                .help("add `suppressed: true` to withhold it, or remove `suppressed_reason`"),
            );
        }
        let published =
            answer.front.visibility == Visibility::Public && metric.visibility == Visibility::Public;
        if let Some(n) = metric.n
            && n < small_numbers
            && published
            && !metric.suppressed
        {
            found.push(
                Diagnostic::new(
                    Code::SmallNumber,
                    format!("this public figure is based on {n}, fewer than {small_numbers}: it may let a reader identify someone"),
                )
                .at(answer.locate(&format!("metrics[{index}].n")))
                .help("add `suppressed: true` and a `suppressed_reason`, so the site withholds the figure, or combine the group with another; `check.small_numbers` sets the threshold"),
            );
        }
    }
}

/// The largest magnitude a figure may have: beyond it a chart's scale overflows.
const MAX_FIGURE: f64 = 1e18;

/// A `::: internal` line in a field that is not Markdown would be published as it is: refuse it, and
/// say how to keep such text internal.
fn check_fences_in_fields(answer: &Answer, found: &mut Vec<Diagnostic>) {
    for (path, mark) in fence_paths(&answer.front, |path| path == "prompts") {
        found.push(fence_in_field(&path, mark).at(answer.locate(&path)));
    }
}

/// What a plain-text field may not hold: Markdown's internal marks are honoured only in Markdown
/// text, so in any other field they would be published as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mark {
    /// A `:::` line.
    Fence,
    /// An HTML comment, `<!--`.
    Comment,
}

/// The paths of the text fields of `value` that hold a `:::` line or an HTML comment, but those
/// `markdown` says are Markdown (cut into passages, where both are honoured).
fn fence_paths(value: &impl serde::Serialize, markdown: impl Fn(&str) -> bool) -> Vec<(String, Mark)> {
    fn walk(
        value: &serde_json::Value,
        path: String,
        markdown: &dyn Fn(&str) -> bool,
        out: &mut Vec<(String, Mark)>,
    ) {
        match value {
            _ if markdown(&path) => {}
            serde_json::Value::String(text) if text.lines().any(crate::load::body::looks_like_fence) => {
                out.push((path, Mark::Fence))
            }
            serde_json::Value::String(text) if text.contains("<!--") => out.push((path, Mark::Comment)),
            serde_json::Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    walk(item, format!("{path}[{i}]"), markdown, out);
                }
            }
            serde_json::Value::Object(map) => {
                for (key, item) in map {
                    walk(
                        item,
                        if path.is_empty() { key.clone() } else { format!("{path}.{key}") },
                        markdown,
                        out,
                    );
                }
            }
            _ => {}
        }
    }
    let mut paths = Vec::new();
    if let Ok(value) = serde_json::to_value(value) {
        walk(&value, String::new(), &markdown, &mut paths);
    }
    paths
}

fn fence_in_field(path: &str, mark: Mark) -> Diagnostic {
    let (what, works) = match mark {
        Mark::Fence => ("a `:::` line", "`::: internal` works"),
        Mark::Comment => ("an HTML comment `<!--`", "comments are removed"),
    };
    Diagnostic::new(Code::UnknownBlock, format!("`{path}` holds {what}, which would be published as written"))
        .help(format!(
            "{works} in Markdown text (answers' bodies and prompts, and {}); mark a list item `visibility: internal`",
            crate::load::SETTINGS_MARKDOWN.join(", ")
        ))
}

fn check_file_name(answer: &Answer, found: &mut Vec<Diagnostic>) {
    let name = answer.file.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let digits: String = name.chars().take_while(char::is_ascii_digit).collect();
    if let Ok(number) = digits.parse::<u32>()
        && number != answer.front.question
    {
        found.push(
            Diagnostic::new(
                Code::FileNameMismatch,
                format!(
                    "the file name says question {number}, but the file answers question {}",
                    answer.front.question
                ),
            )
            .at(answer.locate("question"))
            .help("rename the file or correct `question`, so that authors find answers where they look"),
        );
    }
}

fn check_prompts(framework: &Framework, answer: &Answer, found: &mut Vec<Diagnostic>) {
    let Some(question) = framework.question(answer.front.question) else { return };
    let known: Vec<String> = question.all_prompts().map(|p| p.id.clone()).collect();
    for id in answer.front.prompts.keys() {
        if known.contains(id) {
            continue;
        }
        let mut d = Diagnostic::new(
            Code::UnknownPrompt,
            format!("question {} has no prompt `{id}`", question.number),
        )
        .at(answer.locate_key(&format!("prompts.{id}")));
        d = if let Some(other) = framework.question_of_prompt(id) {
            d.help(format!("`{id}` is a prompt of question {}; move the answer to that file", other.number))
        } else if let Some(best) = crate::load::suggest(id, &known) {
            d.help(format!("did you mean `{best}`?"))
        } else if known.is_empty() {
            d.help("this question has no prompts: write the answer in the Markdown body")
        } else {
            d.help(format!("the prompts of question {} are: {}", question.number, known.join(", ")))
        };
        found.push(d);
    }
}

/// What to do about question `number` having no answer: create its file, unless a file of that name
/// is there answering another question, whose number is then the likely mistake.
fn missing_question_help(workbook: &Workbook, file: &str, number: u32) -> String {
    let there = workbook.answers.iter().find(|a| diagnostic::display_path(&a.file.path) == file);
    match there {
        Some(answer) => format!(
            "{file} says `question: {}`; if it answers question {number}, change that to `question: {number}`",
            answer.front.question
        ),
        None => format!("create {file} with `question: {number}`"),
    }
}

fn check_completeness(answer: &Answer, question: &crate::framework::Question, found: &mut Vec<Diagnostic>) {
    let (answered, total, unanswered) = count_answered(question, answer, true);
    if answered == total {
        return;
    }
    let missing = if question.prompts.is_empty() {
        String::from("the answer has no text yet")
    } else {
        let prompts = if total == 1 { "prompt" } else { "prompts" };
        format!("{} of {total} {prompts} unanswered: {}", total - answered, unanswered.join(", "))
    };
    if answer.front.status == Status::Complete {
        found.push(
            Diagnostic::new(Code::CompleteWithUnanswered, format!("marked complete, but {missing}"))
                .at(answer.locate("status"))
                .help("answer every prompt, or set `status: draft` or `in-review`"),
        );
    } else {
        let place = if answer.positions().key("prompts").is_some() { "prompts" } else { "question" };
        found.push(
            Diagnostic::new(Code::UnansweredPrompts, format!("question {}: {missing}", question.number))
                .at(answer.locate_key(place))
                .help(if question.prompts.is_empty() {
                    String::from("write the answer in Markdown below the front matter's closing `---`")
                } else {
                    format!("see the prompts with `workbook questions {}`", question.number)
                }),
        );
    }
}

/// A complete answer needs an approving sign-off, and must not stand rejected or sent back; an
/// approved answer whose public content changed in git after its sign-off is no longer what was
/// approved. Every sign-off counts here, internal ones too: the oversight group's decision is the
/// same whoever may read it.
fn check_signoffs(workbook: &Workbook, history: &History, answer: &Answer, found: &mut Vec<Diagnostic>) {
    use crate::load::answer::Decision;
    let signoffs = &answer.front.signoffs;
    // The latest by date; of two on one day, the later in the file.
    let latest = signoffs.iter().enumerate().max_by_key(|(_, s)| s.date);
    let approved = crate::record::latest_approval(signoffs.iter());
    if answer.front.status == Status::Complete {
        match latest {
            Some((index, s)) if matches!(s.decision, Decision::ChangesRequested | Decision::Rejected) => {
                let decision = if s.decision == Decision::Rejected { "rejected it" } else { "requested changes" };
                found.push(
                    Diagnostic::new(
                        Code::CompleteButNotApproved,
                        format!("marked complete, but the latest sign-off ({}, {}) {decision}", s.by, s.date),
                    )
                    .at(answer.locate(&format!("signoffs[{index}].decision")))
                    .help("set `status: in-review` until a new sign-off approves the answer"),
                );
            }
            _ if approved.is_none() => found.push(
                Diagnostic::new(Code::CompleteWithoutSignoff, "marked complete, but no sign-off approved it")
                    .at(answer.locate("status"))
                    .help("add a `signoffs:` item with `decision: approved` (or `approved-with-conditions`), or set `status: in-review`"),
            ),
            _ => {}
        }
    }
    let (Some(approved), Some(settings)) = (approved, &workbook.settings) else { return };
    // The settings the personal-data scan builds its record with, so that git is read once.
    let mut settings = settings.clone();
    settings.site.publish_drafts = true;
    let Some(changed) = crate::history::public::content_changed(
        crate::history::public::Versions { history, current: &workbook.answers },
        answer.front.question,
        &settings,
    ) else {
        return;
    };
    if changed.as_str() > approved.to_string().as_str() {
        found.push(
            Diagnostic::new(
                Code::ChangedSinceSignoff,
                format!(
                    "the answer's public content changed on {changed}, after it was signed off on {approved}"
                ),
            )
            .at(answer.locate("signoffs"))
            .help("ask for the changes to be signed off, and add the new sign-off to `signoffs:`"),
        );
    }
}

fn check_review(answer: &Answer, today: Date, found: &mut Vec<Diagnostic>) {
    // Before anything is written there is nothing to review.
    if answer.front.status == Status::NotStarted {
        return;
    }
    match answer.front.next_review {
        None => found.push(
            Diagnostic::new(Code::ReviewDateMissing, "the answer has no `next_review` date")
                // At the key when it is there with no value, else at the status that calls for it.
                .at(answer.locate_key(if answer.positions().key("next_review").is_some() {
                    "next_review"
                } else {
                    "status"
                }))
                .help(
                    "add `next_review: YYYY-MM-DD`, so readers know when the answer will be looked at again",
                ),
        ),
        Some(date) if date < today => found.push(
            Diagnostic::new(Code::OverdueReview, format!("the review was due on {date}"))
                .at(answer.locate("next_review"))
                .help("review the answer, then update `last_reviewed` and `next_review`"),
        ),
        Some(_) => {}
    }
}

fn check_evidence(workbook: &Workbook, answer: &Answer, found: &mut Vec<Diagnostic>) {
    for (index, item) in answer.front.evidence.iter().enumerate() {
        let at = |field: &str| answer.locate(&format!("evidence[{index}]{field}"));
        check_evidence_item(workbook, item, &at, found);
    }
}

/// Checks one evidence item, an answer's or a checklist entry's; `at` places a finding at the item
/// (`""`) or one of its fields (`".url"`).
fn check_evidence_item(
    workbook: &Workbook,
    item: &crate::load::answer::Evidence,
    at: &dyn Fn(&str) -> crate::diagnostic::Location,
    found: &mut Vec<Diagnostic>,
) {
    match (&item.file, &item.url) {
        (None, None) => found.push(
            Diagnostic::new(Code::MissingKey, "evidence needs a `file` or a `url`")
                .at(at(""))
                .help("add `file: evidence/…` for a file in the project, or `url: https://…`"),
        ),
        (Some(_), Some(_)) => found.push(
            Diagnostic::new(Code::WrongType, "evidence has both a `file` and a `url`; give one")
                .at(at(".url")),
        ),
        (Some(file), None) => check_evidence_file(workbook, &|| at(".file"), file, found),
        (None, Some(url)) => {
            if let Some(d) = not_a_web_address(url) {
                found.push(d.at(at(".url")));
            }
        }
    }
}

/// File types that may be published as evidence: documents, data and pictures that a browser shows
/// or downloads but never runs. Anything else (HTML, SVG, XML and their kin can carry script) is
/// refused: an allow-list, because a deny-list misses types that some web server treats as a page.
pub const EVIDENCE_TYPES: &[&str] = &[
    "pdf", "txt", "csv", "tsv", "md", "json", "rtf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt",
    "ods", "odp", "png", "jpg", "jpeg", "gif", "webp", "zip",
];

/// Why an evidence path may not be copied into the site, if it may not.
fn unsafe_evidence(relative: &Path) -> Option<String> {
    let extension =
        relative.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    if !EVIDENCE_TYPES.contains(&extension.as_str()) {
        return Some(format!(
            "only these types are published: {} (a browser could run script in others)",
            EVIDENCE_TYPES.join(", ")
        ));
    }
    let parts: Vec<String> = relative
        .components()
        .filter_map(|c| match c {
            std::path::Component::Normal(p) => Some(p.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    match parts.as_slice() {
        [] | [_] => Some("a file at the top of the project would sit among the site's own pages".into()),
        // Compared without case: on a case-insensitive disk `Answers/` is `answers/`.
        [first, ..]
            if first.eq_ignore_ascii_case(crate::load::ANSWERS_DIR)
                || first.eq_ignore_ascii_case(crate::load::PAGES_DIR)
                || first.eq_ignore_ascii_case(crate::load::TEMPLATES_DIR) =>
        {
            Some(format!("files in {first}/ are the project's own source, internal parts and all"))
        }
        [first, ..] if first.eq_ignore_ascii_case("assets") || first.starts_with('.') => {
            Some("this folder is the site's own".into())
        }
        _ if parts.iter().any(|p| p.contains(':') || p.starts_with('.')) => {
            Some("a name with `:` or a leading `.` cannot be linked safely".into())
        }
        _ => None,
    }
}

/// Checks the evidence file `file` names; `at` places a finding, and is called only when there is
/// one (placing one reads the answer's YAML positions, which most answers never need).
pub(super) fn check_evidence_file(
    workbook: &Workbook,
    at: &dyn Fn() -> crate::diagnostic::Location,
    file: &str,
    found: &mut Vec<Diagnostic>,
) {
    let normalised = match crate::load::project_path(file) {
        Ok(normalised) => normalised,
        Err(why) => {
            found.push(
                Diagnostic::new(Code::OutsideProject, format!("`{file}` cannot be used as a path: {why}"))
                    .at(at())
                    .help("write a path inside the project with `/` between folders, such as `evidence/dpia.pdf`"),
            );
            return;
        }
    };
    let listed = workbook.files.get(&normalised);
    let entry = listed.map_or(Entry::Missing, |f| f.entry);
    // A link inside the project is judged by where it leads, so it cannot bring in an answer.
    let target = listed.and_then(|f| f.target.as_deref());
    // `file: dpia.pdf` for `evidence/dpia.pdf`: paths start at the project folder, not at evidence/.
    let in_evidence = format!("{}/{normalised}", crate::load::EVIDENCE_DIR);
    let meant = (entry == Entry::Missing
        && !normalised.starts_with(&format!("{}/", crate::load::EVIDENCE_DIR)))
    .then(|| workbook.files.get(&in_evidence))
    .flatten()
    .is_some_and(|f| matches!(f.entry, Entry::File(_)));
    if meant {
        found.push(
            Diagnostic::new(Code::EvidenceMissing, format!("there is no file `{file}`")).at(at()).help(
                format!("did you mean `{in_evidence}`? Paths start at the folder that holds workbook.yaml"),
            ),
        );
    } else if entry == Entry::LinkOutside {
        found.push(
            Diagnostic::new(Code::OutsideProject, format!("`{file}` lies outside the project"))
                .at(at())
                .help("copy the file into the project (for example into evidence/) and link it from there"),
        );
    } else if let Some(why) =
        unsafe_evidence(Path::new(&normalised)).or_else(|| unsafe_evidence(Path::new(target?)))
    {
        found.push(
            Diagnostic::new(Code::UnsafeEvidence, format!("`{file}` cannot be published as evidence: {why}"))
                .at(at())
                .help("keep evidence files in a folder such as evidence/, as PDF, text, CSV or office documents"),
        );
    } else if let Entry::File(len) = entry {
        if len > MAX_EVIDENCE_BYTES {
            found.push(
                Diagnostic::new(
                    Code::FileTooLarge,
                    format!(
                        "`{file}` is larger than {} MB, the most an evidence file may be",
                        MAX_EVIDENCE_BYTES >> 20
                    ),
                )
                .at(at())
                .help("publish a smaller version (a compressed PDF, a summary), or link to it with `url:`"),
            );
        }
    } else {
        // The files beside the one named, for a "did you mean".
        let folder = normalised.rsplit_once('/').map_or("", |(folder, _)| folder);
        let beside: Vec<String> = workbook
            .files
            .iter()
            .filter(|(p, f)| {
                matches!(f.entry, Entry::File(_)) && p.rsplit_once('/').map_or("", |(d, _)| d) == folder
            })
            .map(|(p, _)| p.clone())
            .collect();
        let help = match crate::load::suggest(&normalised, &beside) {
            Some(near) => format!("did you mean `{near}`?"),
            None => String::from("paths are relative to the folder that holds workbook.yaml"),
        };
        found.push(
            Diagnostic::new(Code::EvidenceMissing, format!("there is no file `{file}`")).at(at()).help(help),
        );
    }
}

/// The largest evidence file the site copies: every build reads it whole, and readers on phones
/// download it.
pub const MAX_EVIDENCE_BYTES: u64 = 100 * 1024 * 1024;

/// One info line when the public ATRS record lacks a field it cannot be sent without: every Tier 1
/// field and the required Tier 2 ones, listed.
fn check_atrs_readiness(
    workbook: &Workbook,
    settings: &crate::load::settings::Settings,
    framework: &Framework,
    history: &History,
    today: Date,
    found: &mut Vec<Diagnostic>,
) {
    // A silenced line is not worth the second record it costs.
    if settings.lints.get(Code::AtrsNotReady.name()) == Some(&crate::load::settings::LintLevel::Allow) {
        return;
    }
    // The record as the public export sees it (drafts withheld as the settings say).
    let inputs =
        Inputs { workbook, settings, framework, history, today, audience: Audience::Public, base_url: None };
    let readiness =
        crate::export::atrs::readiness(&crate::export::atrs::record_fields(&Record::build(&inputs)));
    if readiness.ready {
        return;
    }
    let (tier_1, tier_2) = (&readiness.tier_1_missing, &readiness.required_tier_2_missing);
    let fields = |n: usize| if n == 1 { "field" } else { "fields" };
    found.push(
        Diagnostic::new(
            Code::AtrsNotReady,
            format!(
                "the public ATRS record lacks {} Tier 1 {} and {} required Tier 2 {}: {}",
                tier_1.len(),
                fields(tier_1.len()),
                tier_2.len(),
                fields(tier_2.len()),
                tier_1.iter().chain(tier_2).cloned().collect::<Vec<_>>().join(", ")
            ),
        )
        .help("`workbook export --format atrs` says where each field comes from: an answer, or `atrs:` in workbook.yaml"),
    );
}
