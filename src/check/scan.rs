//! Where the public text is: every string of the public record, and the text evidence files the
//! site copies, each traced back to the file, line and column where its author wrote it, so that a
//! finding of [`super::personal_data`] points at it.

use super::personal_data::{Allowed, Finding, findings, help};
use crate::diagnostic::{Code, Diagnostic};
use crate::load::locate::Positions;
use crate::load::source::SourceFile;
use crate::load::{Answer, Workbook};
use crate::published::{
    self,
    Step::{Index, Key},
};
use crate::record::{QuestionRecord, Record};
use crate::render::little_html::shown_as_text;

/// Scans every text of the public `record` (and the text evidence files it publishes), pushing a
/// warning for each likely piece of personal data, placed where the author wrote it. `allowed` holds
/// the organisation's own contacts, which are expected in public text.
pub(super) fn personal_data(
    record: &Record,
    workbook: &Workbook,
    allowed: &Allowed,
    found: &mut Vec<Diagnostic>,
) {
    let mut seen = std::collections::BTreeSet::new();
    let mut push = |d: Diagnostic, found: &mut Vec<Diagnostic>| {
        // The record holds some texts twice (a prompt's answer and its passages; the organisation's
        // website): one finding a place.
        if seen.insert((d.code, d.location.clone().map(|l| (l.file, l.line, l.column)), d.message.clone())) {
            found.push(d);
        }
    };
    for text in published::texts(record) {
        let found_here = findings(&text.text, allowed);
        let markdown = is_markdown(&text.path);
        let html_as_text = if markdown { shown_as_text(&text.text) } else { Vec::new() };
        let has_links = markdown && (text.text.contains("](") || text.text.contains("]:"));
        if found_here.is_empty() && html_as_text.is_empty() && !has_links {
            continue;
        }
        // Traced back to its file only when there is something to point at: `serve` checks on
        // every save, and most texts hold nothing.
        let origin = origin(record, workbook, &text.path);
        for Finding { code, what, matched } in found_here {
            let d =
                Diagnostic::new(code, format!("this looks like {what}, in public text{}", origin.describe()));
            push(origin.place(d, matched), found);
        }
        if has_links {
            let base = match text.path.split('[').next() {
                Some("questions") => crate::load::ANSWERS_DIR,
                Some("pages") => crate::load::PAGES_DIR,
                _ => "",
            };
            let at = |url: &str| {
                origin.place_exactly(Diagnostic::new(Code::BrokenLink, ""), url).location.map(|l| *l)
            };
            let mut evidence = Vec::new();
            for link in super::links::check(workbook, &text.text, base, &at, &mut evidence) {
                push(origin.place_exactly(link.diagnostic, link.url), found);
            }
            for d in evidence {
                push(d, found);
            }
        }
        for tag in html_as_text {
            let d = Diagnostic::new(Code::HtmlShownAsText, format!("`{tag}` will be shown as text, not as HTML"))
                .help("only <details>, <summary>, <br>, <sup>, <sub>, <abbr title=\"…\"> and <kbd> are published as HTML, written without other attributes; write the rest in Markdown, or put it in backticks to show it as code");
            push(origin.place_exactly(d, tag), found);
        }
    }
    for (path, text) in published::text_files(record, workbook) {
        let file = SourceFile::new(path.clone().into(), text);
        for Finding { code, what, matched } in findings(&file.text, allowed) {
            let start = matched.as_ptr() as usize - file.text.as_ptr() as usize;
            let d = Diagnostic::new(
                code,
                format!("this looks like {what}, in a file the site publishes as it is"),
            )
            .at(file.location(start, start + matched.len()));
            push(with_help(d), found);
        }
        found.extend(marks_in_published_file(&file));
    }
}

/// A `::: internal` line or an HTML comment in a file the site copies as it is: the author may think
/// it hidden, but nothing is removed from such a file (fail closed: an error).
fn marks_in_published_file(file: &SourceFile) -> Option<Diagnostic> {
    let text = &file.text;
    let fence = text.lines().map(|l| l.as_ptr() as usize - text.as_ptr() as usize).find(|&at| {
        let line = text[at..].lines().next().unwrap_or_default();
        crate::load::body::looks_like_fence(line)
    });
    let (at, what) = match (fence, text.find("<!--")) {
        (Some(f), Some(c)) if c < f => (c, "an HTML comment"),
        (Some(f), _) => (f, "a `:::` line"),
        (None, Some(c)) => (c, "an HTML comment"),
        (None, None) => return None,
    };
    Some(
        Diagnostic::new(
            crate::diagnostic::Code::UnknownBlock,
            format!("this file is published as it is, with {what}: nothing in it is hidden"),
        )
        .at(file.location(at, at + 3))
        .help("remove the internal part from the file, or link the file from an internal evidence item only"),
    )
}

fn with_help(d: Diagnostic) -> Diagnostic {
    let help = help(d.code);
    d.help(help)
}

/// Where a text of the record was written.
enum Origin<'a> {
    /// A value of a YAML file: an answer's front matter or the settings.
    Yaml { file: &'a SourceFile, first_line: usize, positions: std::borrow::Cow<'a, Positions>, path: String },
    /// An answer's Markdown body.
    Body { answer: &'a Answer },
    /// A free-standing page's Markdown body (`pages/*.md`).
    PageBody { page: &'a crate::load::page::PageFile },
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

    /// Points `d` at `matched` as written in the file, with the personal-data help.
    fn place(&self, d: Diagnostic, matched: &str) -> Diagnostic {
        match self {
            Origin::Commit { .. } => d.help(
                "commit subjects and names are published in the change log: set `history.subjects: hide` \
                 (or `history.authors: hide`) in workbook.yaml, or reword the commit before it is pushed",
            ),
            _ => with_help(self.place_exactly(d, matched)),
        }
    }

    /// Points `d` at `matched` as written in the file.
    fn place_exactly(&self, d: Diagnostic, matched: &str) -> Diagnostic {
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
                d.at(location)
            }
            Origin::Body { answer } => {
                let body = answer.parts.body.clone();
                let start =
                    answer.file.text[body.clone()].find(matched).map_or(body.start, |i| body.start + i);
                d.at(answer.file.location(start, start + matched.len()))
            }
            Origin::PageBody { page } => {
                let body = page.parts.body.clone();
                let start = page.file.text[body.clone()].find(matched).map_or(body.start, |i| body.start + i);
                d.at(page.file.location(start, start + matched.len()))
            }
            Origin::Commit { .. } | Origin::Nowhere => d,
        }
    }
}

/// True for a text of the record that is Markdown, which the site renders (a passage, a checklist
/// or decision note), rather than plain text.
fn is_markdown(path: &str) -> bool {
    path.ends_with(".markdown")
        || (path.starts_with("phases[") && path.ends_with(".note"))
        || (path.starts_with("decisions[") && path.ends_with(".note"))
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
                positions: std::borrow::Cow::Borrowed(answer.positions()),
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
            Origin::Yaml {
                file,
                first_line: 1,
                positions: std::borrow::Cow::Owned(Positions::of(&file.text[start..])),
                path,
            }
        }
        // `atrs:` values keep their keys and their models' places in the file.
        [Key("atrs"), rest @ ..] => {
            let Some(file) = &workbook.settings_file else { return Origin::Nowhere };
            let start = file.content_start();
            let path = format!("atrs{}", yaml_suffix(rest));
            Origin::Yaml {
                file,
                first_line: 1,
                positions: std::borrow::Cow::Owned(Positions::of(&file.text[start..])),
                path,
            }
        }
        [Key("pages"), Index(p), rest @ ..] => {
            let Some(file) = record.pages.get(*p).map(|p| p.file.as_str()) else { return Origin::Nowhere };
            let Some(page) =
                workbook.pages.iter().find(|page| crate::diagnostic::display_path(&page.file.path) == file)
            else {
                return Origin::Nowhere;
            };
            match rest {
                [Key("body"), ..] => Origin::PageBody { page },
                [Key(field @ ("title" | "summary"))] => Origin::Yaml {
                    file: &page.file,
                    first_line: page.parts.yaml_first_line,
                    positions: std::borrow::Cow::Borrowed(&page.positions),
                    path: (*field).to_owned(),
                },
                _ => Origin::Nowhere,
            }
        }
        [Key("responsibility" | "decisions" | "phases"), ..] => match records_path(record, &steps) {
            Some(path) => {
                let Some(file) = &workbook.settings_file else { return Origin::Nowhere };
                let start = file.content_start();
                Origin::Yaml {
                    file,
                    first_line: 1,
                    positions: std::borrow::Cow::Owned(Positions::of(&file.text[start..])),
                    path,
                }
            }
            None => Origin::Nowhere,
        },
        _ => Origin::Nowhere,
    }
}

/// The `workbook.yaml` path of a record text about who is responsible, a decision or a checklist
/// entry, by the items' places in the file's lists.
fn records_path(record: &Record, steps: &[published::Step]) -> Option<String> {
    Some(match steps {
        [Key("responsibility"), Key(field @ ("team" | "senior_responsible_owner"))] => {
            format!("tool.{field}")
        }
        [Key("responsibility"), Key("partners"), Index(i), fields @ ..] => {
            format!("organisation.partners[{i}]{}", yaml_suffix(fields))
        }
        [Key("responsibility"), Key("third_parties"), Index(i), fields @ ..] => {
            let index = record.responsibility.third_parties.get(*i)?.index;
            format!("tool.third_parties[{index}]{}", yaml_suffix(fields))
        }
        [Key("decisions"), Index(i), fields @ ..] => {
            format!("decisions[{}]{}", record.decisions.get(*i)?.index, yaml_suffix(fields))
        }
        [Key("phases"), Index(p), Key("checklist"), Index(c), rest @ ..] => {
            let item = record.phases.get(*p)?.checklist.get(*c)?;
            match rest {
                [Key("evidence"), Index(e), fields @ ..] => {
                    format!(
                        "checklist.{}.evidence[{}]{}",
                        item.id,
                        item.evidence.get(*e)?.index,
                        yaml_suffix(fields)
                    )
                }
                [Key("note")] => format!("checklist.{}.note", item.id),
                _ => return None,
            }
        }
        _ => return None,
    })
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
