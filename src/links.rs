//! Links an author writes between the files of a project, and what the site makes of them.
//!
//! An author links as their editor and their git host show the files: `07-bias.md` or
//! `../answers/07-bias.md` from an answer, `../evidence/audit.pdf` or `evidence/audit.pdf`, an image
//! `![Chart](../evidence/chart.png)`. A path is read from the folder of the file it is written in,
//! and failing that from the project's folder (where the site's pages are). It means a question's
//! page when it names an answer file, and a published file when it names a file in `evidence/`;
//! anything else local is not published, and `check` says so.

use crate::load::{ANSWERS_DIR, EVIDENCE_DIR};
use comrak::nodes::NodeValue;

/// A local link or image in Markdown, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalLink<'a> {
    /// The address as written (a slice of the Markdown, for pointing at it).
    pub url: &'a str,
    /// True for an image.
    pub image: bool,
}

/// What a local address names in the project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// An answer file.
    Answer {
        /// Its project path, such as `answers/07-bias.md`.
        file: String,
        /// The heading after its `#`, if any.
        fragment: Option<String>,
    },
    /// A file in `evidence/`, which the site publishes at the same path.
    Evidence {
        /// Its project path, such as `evidence/audit.pdf`.
        file: String,
    },
}

/// True for an address that names a file of the project rather than a place on the web, a mail
/// address or a heading of the same page.
pub fn is_local(url: &str) -> bool {
    let url = url.trim();
    let scheme = url.find(':').is_some_and(|colon| !url[..colon].contains(['/', '?', '#']));
    !url.is_empty() && !url.starts_with('#') && !url.starts_with("//") && !scheme
}

/// What the local address `url`, written in a file in the folder `base` (`answers`, or `` for the
/// project's own folder), names; `None` when it names nothing the site publishes.
pub fn resolve(base: &str, url: &str) -> Option<Target> {
    let (path, fragment) = match url.trim().split_once('#') {
        Some((path, fragment)) => (path, Some(fragment)),
        None => (url.trim(), None),
    };
    let path = path.split_once('?').map_or(path, |(p, _)| p);
    let path = percent_decoded(path)?;
    let from_base = join(base, &path);
    let candidates = [from_base, join("", &path)];
    candidates.into_iter().flatten().find_map(|file| target(file, fragment))
}

fn target(file: String, fragment: Option<&str>) -> Option<Target> {
    let (dir, name) = file.rsplit_once('/')?;
    if dir == ANSWERS_DIR && name.ends_with(".md") && !name.contains('/') {
        let fragment = fragment.map(str::to_owned).filter(|f| !f.is_empty());
        return Some(Target::Answer { file, fragment });
    }
    (file.starts_with(&format!("{EVIDENCE_DIR}/")) && crate::load::project_path(&file).is_ok())
        .then_some(Target::Evidence { file })
}

/// `path` read from the folder `base`, with `.` and `..` worked out; `None` when it climbs out of
/// the project or is not a relative path.
fn join(base: &str, path: &str) -> Option<String> {
    if path.starts_with('/') || path.contains('\\') || path.chars().any(char::is_control) {
        return None;
    }
    let mut parts: Vec<&str> = base.split('/').filter(|s| !s.is_empty()).collect();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// `%20` and the like decoded, as a browser would before asking for the file; `None` for a bad
/// escape or bytes that are not UTF-8. The one decoder of addresses: links, `serve`'s requests and
/// the language server's `file:` URIs.
pub fn percent_decoded(path: &str) -> Option<String> {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Every local link and image of `markdown`, in the order written.
pub fn local_links(markdown: &str) -> Vec<LocalLink<'_>> {
    if !markdown.contains("](") && !markdown.contains("]:") {
        return Vec::new();
    }
    let options = crate::render::markdown::options();
    let arena = comrak::Arena::new();
    let root = comrak::parse_document(&arena, markdown, &options);
    let mut out = Vec::new();
    let mut from = 0;
    for node in root.descendants() {
        let (url, image) = match &node.data.borrow().value {
            NodeValue::Link(link) => (link.url.clone(), false),
            NodeValue::Image(link) => (link.url.clone(), true),
            _ => continue,
        };
        if !is_local(&url) {
            continue;
        }
        // The address as written, to point at: the first place at or after the last one found
        // (a reference definition may hold it elsewhere; then any place).
        let at = markdown[from..].find(&url).map(|i| from + i).or_else(|| markdown.find(&url));
        if let Some(at) = at {
            from = at + url.len();
            out.push(LocalLink { url: &markdown[at..at + url.len()], image });
        }
    }
    out
}

/// The ids a heading's text gets, as the site writes them (without the page's prefix): the same
/// rule as GitHub's, so that `07-bias.md#testing-for-bias` means what it does there.
pub fn heading_slugs(markdown: &str) -> Vec<String> {
    if !may_hold_a_heading(markdown) {
        return Vec::new(); // most passages have none: spare the parse
    }
    let options = crate::render::markdown::options();
    let arena = comrak::Arena::new();
    let root = comrak::parse_document(&arena, markdown, &options);
    let mut anchorizer = comrak::Anchorizer::new();
    root.descendants()
        .filter(|n| matches!(n.data.borrow().value, NodeValue::Heading(_)))
        .map(|n| {
            let mut text = String::new();
            for d in n.descendants() {
                match &d.data.borrow().value {
                    NodeValue::Text(t) => text.push_str(t),
                    NodeValue::Code(c) => text.push_str(&c.literal),
                    _ => {}
                }
            }
            anchorizer.anchorize(&text)
        })
        .collect()
}

/// False only when `markdown` cannot hold a heading: it has no `#` (an ATX heading's), no `=` and
/// no line of nothing but dashes, spaces, tabs, quote and list markers (a setext heading's
/// underline, which may sit in a quote or a list item). Checked against the parse by a property test.
fn may_hold_a_heading(markdown: &str) -> bool {
    markdown.contains(['#', '='])
        || markdown.lines().any(|line| {
            line.contains('-')
                && line.bytes().all(|b| {
                    matches!(b, b'-' | b' ' | b'\t' | b'\r' | b'>' | b'*' | b'+' | b'.' | b')' | b'0'..=b'9')
                })
        })
}

/// What local links lead to in one site: each answer's page (with the ids its headings get there)
/// that the audience may follow, and the files the site publishes.
#[derive(Debug, Default)]
pub struct SiteLinks {
    answers: std::collections::BTreeMap<String, AnswerPage>,
    files: std::collections::BTreeSet<String>,
}

#[derive(Debug)]
struct AnswerPage {
    href: String,
    /// A heading's slug (as GitHub would write it) and its id on the page, first of each slug.
    headings: std::collections::BTreeMap<String, String>,
    prompts: std::collections::BTreeSet<String>,
}

impl SiteLinks {
    /// The links of the site of `record`. An answer the audience may not read (an internal one, for
    /// the public) has no page to link: a link to it is shown as its text.
    pub fn new(record: &crate::record::Record) -> SiteLinks {
        let mut answers = std::collections::BTreeMap::new();
        for q in &record.questions {
            let Some(file) = &q.file else { continue };
            if q.withheld == crate::record::Withheld::Internal {
                continue;
            }
            let mut headings = std::collections::BTreeMap::new();
            for (i, passage) in q.body.iter().enumerate() {
                for slug in heading_slugs(&passage.markdown) {
                    let id = format!("q{}-body{i}-{slug}", q.number);
                    headings.entry(slug).or_insert(id);
                }
            }
            let mut prompts = std::collections::BTreeSet::new();
            let mut stack: Vec<&crate::record::PromptRecord> = q.prompts.iter().collect();
            while let Some(p) = stack.pop() {
                prompts.insert(p.id.clone());
                for (i, passage) in p.passages.iter().enumerate() {
                    for slug in heading_slugs(&passage.markdown) {
                        headings.entry(slug.clone()).or_insert(format!("{}-{i}-{slug}", p.id));
                    }
                }
                stack.extend(&p.prompts);
            }
            let href = format!("./{}", crate::plan::paths::question(q.number, &q.slug));
            answers.insert(file.clone(), AnswerPage { href, headings, prompts });
        }
        SiteLinks { answers, files: record.copied_files().into_iter().map(|(from, _)| from).collect() }
    }

    /// The address in the site of the local link `url` written in a file in the folder `base`;
    /// `None` when the site has nothing there for the audience.
    pub fn href(&self, base: &str, url: &str) -> Option<String> {
        match resolve(base, url)? {
            Target::Answer { file, fragment } => {
                let page = self.answers.get(&file)?;
                Some(match fragment {
                    Some(f) if page.prompts.contains(&f) => format!("{}#{f}", page.href),
                    Some(f) => match page.headings.get(&f) {
                        Some(id) => format!("{}#{id}", page.href),
                        None => page.href.clone(),
                    },
                    None => page.href.clone(),
                })
            }
            Target::Evidence { file } => {
                let fragment = url.split_once('#').map(|(_, f)| format!("#{f}")).unwrap_or_default();
                self.files.contains(&file).then(|| format!("{}{fragment}", crate::plan::file_href(&file)))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// [`heading_slugs`] as it was before [`may_hold_a_heading`] spared it: the parse, always.
    fn parsed_heading_count(markdown: &str) -> usize {
        let arena = comrak::Arena::new();
        let root = comrak::parse_document(&arena, markdown, &crate::render::markdown::options());
        root.descendants().filter(|n| matches!(n.data.borrow().value, NodeValue::Heading(_))).count()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]
        #[test]
        fn a_passage_passed_over_has_no_heading(
            text in proptest::collection::vec(prop_oneof![
                Just("-"), Just("="), Just("#"), Just(" "), Just("  "), Just("\t"), Just("\n"), Just("\r\n"),
                Just(">"), Just("*"), Just("+"), Just("1."), Just("2)"), Just("_"), Just("`"), Just("~"),
                Just("Title"), Just("word"), Just("\\"), Just("<h1>"), Just("&#35;"), Just("\u{a0}"), Just("\u{2014}"),
            ], 0..40).prop_map(|parts| parts.concat())
        ) {
            if !may_hold_a_heading(&text) {
                prop_assert_eq!(parsed_heading_count(&text), 0, "{:?}", text);
            }
        }
    }

    #[test]
    fn headings_are_found_in_quotes_lists_and_under_lines() {
        for text in [
            "Title\n=\n",
            "Title\n---\n",
            "> Title\n> ---\n",
            "- item\n\n  Title\n  ---\n",
            "  # Title\n",
            "1. Title\n   ---\n",
        ] {
            assert!(may_hold_a_heading(text), "{text:?}");
            assert_eq!(heading_slugs(text).len(), 1, "{text:?}");
        }
        for text in ["A list:\n\n- one - two\n- three\n", "Call 0800 123 4567 - free.\n", "---\n"] {
            assert_eq!(parsed_heading_count(text), 0, "{text:?}");
        }
        assert!(!may_hold_a_heading("A list:\n\n- one - two\n- three\n"));
    }

    fn answer(file: &str, fragment: Option<&str>) -> Option<Target> {
        Some(Target::Answer { file: file.into(), fragment: fragment.map(Into::into) })
    }

    #[test]
    fn paths_are_read_from_their_file_then_from_the_project() {
        let bias = "answers/07-bias.md";
        assert_eq!(resolve("answers", "07-bias.md"), answer(bias, None));
        assert_eq!(resolve("answers", "../answers/07-bias.md#testing"), answer(bias, Some("testing")));
        assert_eq!(resolve("", "answers/07-bias.md"), answer(bias, None));
        let audit = Some(Target::Evidence { file: "evidence/audit report.pdf".into() });
        assert_eq!(resolve("answers", "../evidence/audit%20report.pdf"), audit);
        assert_eq!(resolve("answers", "evidence/audit%20report.pdf"), audit);
        for nothing in ["../../etc/passwd", "../workbook.yaml", "/evidence/x.pdf", "evidence\\x.pdf"] {
            assert_eq!(resolve("answers", nothing), None, "{nothing}");
        }
    }

    #[test]
    fn only_addresses_without_a_scheme_are_local() {
        for local in ["07-bias.md", "../evidence/a.png", "evidence/a.pdf#page=2"] {
            assert!(is_local(local), "{local}");
        }
        for other in ["https://example.org", "mailto:a@b.c", "#heading", "//host/x", "javascript:alert(1)"] {
            assert!(!is_local(other), "{other}");
        }
    }

    #[test]
    fn links_and_slugs_are_found_as_written() {
        let md = "See [bias](07-bias.md#testing-for-bias), ![chart](../evidence/c.png) and [web](https://x.org).\n\n## Testing for bias\n\n## Testing for bias\n";
        let links = local_links(md);
        assert_eq!(
            links.iter().map(|l| (l.url, l.image)).collect::<Vec<_>>(),
            [("07-bias.md#testing-for-bias", false), ("../evidence/c.png", true)]
        );
        assert_eq!(heading_slugs(md), ["testing-for-bias", "testing-for-bias-1"]);
    }
}
