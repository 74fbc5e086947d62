//! Which commits the public may be told about: a commit is listed publicly only when it changed what
//! the public may read — the public projection of an answer, the public part of the settings, or a
//! file the public site publishes. A commit that changed only an internal passage or item, an answer
//! while it was internal, or a comment in `workbook.yaml` is left out, so its subject and author
//! never reach a public file.
//!
//! An answer is followed by its question number, not its file name: the projection of every
//! version of every answer file is worked out once per blob (a past version is parsed by the
//! project's own loader and projected by [`record::question`]), and a commit changed question N when
//! the projections of question N in the files it changed differ before and after it. So a pure
//! rename changes nothing, and a renamed answer keeps its history.
//!
//! Past versions are projected with the current settings (only `site.publish_drafts` matters). A
//! version that cannot be read or parsed tells nothing: a change to or from it is not public (fail
//! closed).

use super::{Commit, History, Version};
use crate::framework::Framework;
use crate::load::settings::{Disclosure, Settings};
use crate::load::tree::{Entry, Tree};
use crate::load::{ANSWERS_DIR, Answer, SETTINGS_FILE, is_web_address};
use crate::record::{self, Audience, QuestionRecord, Withheld};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{DefaultHasher, Hasher};
use std::path::Path;
use std::sync::{Arc, PoisonError};

/// What each commit changed, as far as the public is concerned; the same for every build with the
/// same history and settings.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Analysis {
    /// For each commit (by index into the history), the questions whose answer files it changed.
    touched: Vec<BTreeSet<u32>>,
    /// For each commit, the questions whose public projection it changed.
    public_questions: Vec<BTreeSet<u32>>,
    /// For each commit, true when it changed the public part of the settings.
    public_settings: Vec<bool>,
    /// For each commit, true when it changed what the public reads of a page: a public page's
    /// projection (not its internal passages or comments), or a page becoming public or internal.
    public_pages: Vec<bool>,
    /// For each commit, the questions whose public content it changed: the public projection less
    /// its sign-offs, status and review dates, which change when an answer is signed off. A commit
    /// that also changed the question's public sign-offs is left out: it records what was signed off.
    content_questions: Vec<BTreeSet<u32>>,
}

/// An analysis, with the settings it was worked out for.
pub(crate) type Cached = (Settings, Arc<Analysis>);

/// A project's history, beside its answer files as they are now. Every version the history names is
/// projected from its bytes alone; a version whose bytes are those of a file just loaded is read
/// from that file as loaded, not parsed again (most versions are: a history's first commit adds
/// every file, and most files have not changed since).
#[derive(Clone, Copy)]
pub(crate) struct Versions<'a> {
    pub history: &'a History,
    pub current: &'a [Answer],
}

/// The settings as the public site shows them: a change to anything else in `workbook.yaml` (a
/// comment, the review interval, the history settings) is not a public change.
pub(crate) fn public_settings_view(settings: &Settings) -> serde_json::Value {
    let site = &settings.site;
    serde_json::json!({
        "framework": settings.framework,
        "organisation": {
            "name": settings.organisation.name,
            "website": settings.organisation.website.as_deref().filter(|u| is_web_address(u)),
        },
        "tool": crate::load::settings::Tool { third_parties: Vec::new(), ..settings.tool.clone() },
        "contact": {
            "email": settings.contact.email,
            "phone": settings.contact.phone,
            "concerns": public_markdown(&settings.contact.concerns),
        },
        "site": {
            "title": site.title,
            "base_url": site.base_url,
            "repository_url": site.repository_url.as_deref().filter(|u| is_web_address(u)),
            "language": site.language,
            "publish_drafts": site.publish_drafts,
        },
        "accessibility": {
            "tested": settings.accessibility.tested,
            "tested_by": settings.accessibility.tested_by,
            "method": public_markdown(&settings.accessibility.method),
            "known_issues": public_markdown(&settings.accessibility.known_issues),
        },
        // Internal entries are left out, so that changing one is not a public change.
        "third_parties": settings.tool.third_parties.iter().filter(|t| !t.visibility.is_internal()).collect::<Vec<_>>(),
        "partners": settings.organisation.partners,
        "decisions": settings.decisions.iter().filter(|d| !d.visibility.is_internal()).collect::<Vec<_>>(),
        "checklist": settings
            .checklist
            .iter()
            .map(|(id, entry)| {
                let shown = !entry.visibility.is_internal();
                let evidence: Vec<_> = entry.evidence.iter().filter(|e| !e.visibility.is_internal()).collect();
                // An internal entry's existence is public (its item reads "Not published").
                (id.clone(), shown.then(|| serde_json::json!({
                    "status": entry.status, "date": entry.date, "note": entry.note, "evidence": evidence,
                })))
            })
            .collect::<std::collections::BTreeMap<_, _>>(),
    })
}

/// The public passages of a Markdown setting, without comments, as the record holds them: a change
/// to an internal passage or a comment is not a public change. A text that cannot be cut (an
/// unclosed passage: that version had an error) tells the public nothing, as an answer that does
/// not parse does not.
fn public_markdown(text: &str) -> String {
    match crate::load::body::cut_uncommented(text) {
        Ok((uncommented, passages)) => {
            let text = uncommented.as_deref().unwrap_or(text);
            crate::load::body::visible(text, &passages, false)
        }
        Err(_) => String::new(),
    }
}

/// The change log for `audience`, newest first: every commit for the internal audience; for the
/// public, the commits that changed what the public may read. `questions` are the record's (a
/// question whose answer is now internal tells the public nothing, not even its history), and
/// `published` the project files the public site publishes or may know of.
pub(crate) fn changes(
    versions: Versions<'_>,
    settings: &Settings,
    audience: Audience,
    questions: &[QuestionRecord],
    published: &BTreeSet<String>,
) -> Vec<Commit> {
    let history = versions.history;
    if audience.sees_internal() {
        return history.commits.clone();
    }
    if history.commits.is_empty() {
        return Vec::new();
    }
    let analysis = analysis(versions, settings);
    let public_questions: BTreeSet<u32> =
        questions.iter().filter(|q| q.withheld != Withheld::Internal).map(|q| q.number).collect();
    // Answers and settings are judged by their projection above, not by their file.
    let published_files =
        |file: &String| file != SETTINGS_FILE && !is_answer_path(file) && published.contains(file);
    history
        .commits
        .iter()
        .enumerate()
        .filter(|(i, commit)| {
            analysis.public_settings[*i]
                || analysis.public_pages[*i]
                || !analysis.public_questions[*i].is_disjoint(&public_questions)
                || commit.files.iter().any(published_files)
        })
        .map(|(_, commit)| shown(commit, settings, audience))
        .collect()
}

/// The commits that changed the answer to question `number`, newest first: for the internal
/// audience, every commit that changed a file answering it; for the public, those that changed its
/// public projection.
pub(crate) fn of_question(
    versions: Versions<'_>,
    number: u32,
    settings: &Settings,
    audience: Audience,
) -> Vec<Commit> {
    let history = versions.history;
    if history.commits.is_empty() {
        return Vec::new();
    }
    let analysis = analysis(versions, settings);
    let by = if audience.sees_internal() { &analysis.touched } else { &analysis.public_questions };
    history
        .commits
        .iter()
        .zip(by)
        .filter(|(_, numbers)| numbers.contains(&number))
        .map(|(commit, _)| shown(commit, settings, audience))
        .collect()
}

/// The day (`YYYY-MM-DD`) of the newest commit that changed the public content of the answer to
/// question `number` (see [`Analysis::content_questions`]); `None` when no commit did.
pub(crate) fn content_changed(versions: Versions<'_>, number: u32, settings: &Settings) -> Option<String> {
    let history = versions.history;
    if history.commits.is_empty() {
        return None;
    }
    let analysis = analysis(versions, settings);
    history
        .commits
        .iter()
        .zip(&analysis.content_questions)
        .find(|(_, numbers)| numbers.contains(&number))
        .map(|(commit, _)| commit.day().to_owned())
}

/// A commit as `audience` may see it: for the public, without the author's name unless the
/// settings show it, and without the subject when they hide it.
fn shown(commit: &Commit, settings: &Settings, audience: Audience) -> Commit {
    let mut commit = commit.clone();
    if !audience.sees_internal() {
        if settings.history.authors == Disclosure::Hide {
            commit.author.clear();
        }
        if settings.history.subjects == Disclosure::Hide {
            commit.subject.clear();
        }
    }
    commit
}

/// The analysis of `history` for `settings`, worked out on first use and kept in the history.
///
/// A build needs it for two settings that differ only in `site.publish_drafts`: check scans the
/// public record as if drafts were published, and the site follows the settings (serve's preview
/// shows drafts too). So both are worked out together, each past version parsed once, and both kept.
fn analysis(versions: Versions<'_>, settings: &Settings) -> Arc<Analysis> {
    let history = versions.history;
    // The projection depends on the settings; a build with other settings works it out again.
    // Compared as values: a record asks once a question, and serializing them was a cost of its own.
    let mut cache = history.public.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some((_, analysis)) = cache.iter().find(|(known, _)| known == settings) {
        return Arc::clone(analysis);
    }
    let mut twin = settings.clone();
    twin.site.publish_drafts = !settings.site.publish_drafts;
    let mut both = analyse(versions, &[settings, &twin]).into_iter().map(Arc::new);
    let (Some(analysis), Some(twin_analysis)) = (both.next(), both.next()) else {
        return Arc::new(Analysis::default());
    };
    *cache = vec![(settings.clone(), Arc::clone(&analysis)), (twin, twin_analysis)];
    analysis
}

/// An answer file as the loader reads it: `answers/NAME.md`, not hidden, not an editor's backup.
fn is_answer_path(path: &str) -> bool {
    let Some(name) = path.strip_prefix(ANSWERS_DIR).and_then(|p| p.strip_prefix('/')) else { return false };
    !name.contains('/')
        && name.ends_with(".md")
        && !(name.starts_with('.') || name.starts_with('#') || name.ends_with('~') || name.ends_with(".swp"))
}

/// What one version of an answer file says, as far as the history is concerned.
#[derive(Debug, Clone, Copy)]
struct AnswerVersion {
    /// The question it answers.
    number: u32,
    /// A fingerprint of its public projection; `None` when it tells the public nothing: the whole
    /// answer is internal, or the framework has no such question.
    public: Option<u64>,
    /// A fingerprint of its public content: the projection less what signing it off changes.
    content: Option<u64>,
    /// A fingerprint of its public sign-offs.
    signoffs: Option<u64>,
}

/// What kind of file a blob was read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Answer,
    Settings,
    Page,
}

/// Reads every version of the answers and settings that the history names, once per blob, and
/// works out what each commit changed, for each of `settings` (in order; they share a framework).
fn analyse(versions: Versions<'_>, settings: &[&Settings]) -> Vec<Analysis> {
    let history = versions.history;
    let Some(first) = settings.first() else { return Vec::new() };
    let mut by_blob: BTreeMap<(Kind, &str), &str> = BTreeMap::new();
    for change in history.commits.iter().flat_map(|c| &c.changes) {
        for version in [&change.old, &change.new].into_iter().flatten().filter(|v| v.regular) {
            if is_answer_path(&version.path) {
                by_blob.entry((Kind::Answer, &version.blob)).or_insert(&version.path);
            } else if version.path == SETTINGS_FILE {
                by_blob.entry((Kind::Settings, &version.blob)).or_insert(&version.path);
            } else if is_page_path(&version.path) {
                by_blob.entry((Kind::Page, &version.blob)).or_insert(&version.path);
            }
        }
    }
    // Each blob once, with the kind of file it was and a path it had (for the loader's messages).
    let wanted: Vec<(Kind, &str, &str)> =
        by_blob.into_iter().map(|((kind, id), path)| (kind, id, path)).collect();
    let framework = Framework::builtin(&first.framework);
    let mut answers: Vec<HashMap<String, AnswerVersion>> = vec![HashMap::new(); settings.len()];
    let mut settings_views: HashMap<String, u64> = HashMap::new();
    let mut page_views: HashMap<String, Option<u64>> = HashMap::new();
    if let Some(blobs) = &history.blobs {
        let loaded: HashMap<&str, &Answer> =
            versions.current.iter().map(|a| (a.file.text.as_str(), a)).collect();
        let ids: Vec<&str> = wanted.iter().map(|(_, id, _)| *id).collect();
        // git reads the blobs while they are parsed and projected in parallel; the channel's bound
        // keeps only a few texts in memory at once.
        let (sender, receiver) = std::sync::mpsc::sync_channel::<(usize, Vec<u8>)>(64);
        type Parsed = (usize, Vec<Option<AnswerVersion>>, Option<u64>, Option<Option<u64>>);
        let parsed: Vec<Parsed> = std::thread::scope(|scope| {
            // A blob that cannot be read stays unknown, and a change to or from it is not public.
            scope.spawn(move || blobs.read(&ids, |index, bytes| sender.send((index, bytes)).is_ok()));
            receiver
                .into_iter()
                .par_bridge()
                .map(|(index, bytes)| {
                    let (kind, _, path) = wanted[index];
                    match kind {
                        Kind::Answer => {
                            let loaded = std::str::from_utf8(&bytes).ok().and_then(|text| loaded.get(text));
                            let versions = match loaded {
                                Some(answer) => settings
                                    .iter()
                                    .map(|s| Some(answer_version(answer, s, framework.as_ref())))
                                    .collect(),
                                None => answer_versions(path, bytes, settings, framework.as_ref()),
                            };
                            (index, versions, None, None)
                        }
                        Kind::Settings => (index, Vec::new(), settings_version(&bytes), None),
                        Kind::Page => (index, Vec::new(), None, page_version(path, bytes)),
                    }
                })
                .collect()
        });
        for (index, versions, view, page) in parsed {
            let id = wanted[index].1.to_owned();
            for (answers, version) in answers.iter_mut().zip(versions) {
                if let Some(version) = version {
                    answers.insert(id.clone(), version);
                }
            }
            if let Some(view) = view {
                settings_views.insert(id.clone(), view);
            }
            if let Some(page) = page {
                page_views.insert(id, page);
            }
        }
    }
    answers.iter().map(|answers| classify(history, answers, &settings_views, &page_views)).collect()
}

/// Works out, from what each blob says, what each commit changed.
fn classify(
    history: &History,
    answers: &HashMap<String, AnswerVersion>,
    settings_views: &HashMap<String, u64>,
    page_views: &HashMap<String, Option<u64>>,
) -> Analysis {
    // The question a path answered, from its newest readable version: a commit that changed only
    // unreadable versions of a file is still attributed to its question in the internal history.
    let mut path_number: HashMap<&str, u32> = HashMap::new();
    for version in history.commits.iter().flat_map(|c| &c.changes).flat_map(|c| [&c.new, &c.old]).flatten() {
        if let Some(answer) = answers.get(&version.blob) {
            path_number.entry(&version.path).or_insert(answer.number);
        }
    }
    let mut analysis = Analysis::default();
    for commit in &history.commits {
        let mut touched = BTreeSet::new();
        let mut before: BTreeMap<u32, Vec<Option<u64>>> = BTreeMap::new();
        let mut after: BTreeMap<u32, Vec<Option<u64>>> = BTreeMap::new();
        let mut content_before: BTreeMap<u32, Vec<Option<u64>>> = BTreeMap::new();
        let mut content_after: BTreeMap<u32, Vec<Option<u64>>> = BTreeMap::new();
        let mut signoffs_before: BTreeMap<u32, Vec<Option<u64>>> = BTreeMap::new();
        let mut signoffs_after: BTreeMap<u32, Vec<Option<u64>>> = BTreeMap::new();
        let mut settings_changed = false;
        let mut page_changed = false;
        for change in &commit.changes {
            let sides = [&change.old, &change.new];
            let is_answer = sides.iter().copied().flatten().any(|v| is_answer_path(&v.path));
            if is_answer {
                // A side that is not an answer file (moved in from elsewhere) reads as absent.
                let read = |side: &Option<Version>| -> Result<Option<AnswerVersion>, ()> {
                    match side {
                        Some(v) if is_answer_path(&v.path) => {
                            answers.get(&v.blob).copied().map(Some).ok_or(())
                        }
                        _ => Ok(None),
                    }
                };
                let (old, new) = (read(&change.old), read(&change.new));
                touched.extend([&old, &new].into_iter().flatten().flatten().map(|a| a.number));
                if old.is_err() || new.is_err() {
                    touched.extend(
                        sides.iter().copied().flatten().filter_map(|v| path_number.get(v.path.as_str())),
                    );
                    continue;
                }
                for (side, map, content, signoffs) in [
                    (old, &mut before, &mut content_before, &mut signoffs_before),
                    (new, &mut after, &mut content_after, &mut signoffs_after),
                ] {
                    if let Ok(Some(answer)) = side {
                        map.entry(answer.number).or_default().push(answer.public);
                        content.entry(answer.number).or_default().push(answer.content);
                        signoffs.entry(answer.number).or_default().push(answer.signoffs);
                    }
                }
            }
            let is_settings = |v: &Option<Version>| v.as_ref().is_some_and(|v| v.path == SETTINGS_FILE);
            if is_settings(&change.old) || is_settings(&change.new) {
                let view = |side: &Option<Version>| -> Result<Option<u64>, ()> {
                    match side {
                        Some(v) if v.path == SETTINGS_FILE => {
                            settings_views.get(&v.blob).copied().map(Some).ok_or(())
                        }
                        _ => Ok(None),
                    }
                };
                if let (Ok(old), Ok(new)) = (view(&change.old), view(&change.new)) {
                    settings_changed |= old != new;
                }
            }
            // A page side is its public fingerprint, `None` while it is internal or absent; a side
            // that cannot be read leaves the change unknown, so not public.
            let is_page = |v: &Option<Version>| v.as_ref().is_some_and(|v| is_page_path(&v.path));
            if is_page(&change.old) || is_page(&change.new) {
                let view = |side: &Option<Version>| -> Result<Option<u64>, ()> {
                    match side {
                        Some(v) if is_page_path(&v.path) => page_views.get(&v.blob).copied().ok_or(()),
                        _ => Ok(None),
                    }
                };
                if let (Ok(old), Ok(new)) = (view(&change.old), view(&change.new)) {
                    page_changed |= old != new;
                }
            }
        }
        analysis.touched.push(touched);
        analysis.public_questions.push(differing(&before, &after));
        // A commit that records a sign-off records what was signed off, so its content is not a
        // change since.
        let signed = differing(&signoffs_before, &signoffs_after);
        let content = differing(&content_before, &content_after);
        analysis.content_questions.push(content.difference(&signed).copied().collect());
        analysis.public_settings.push(settings_changed);
        analysis.public_pages.push(page_changed);
    }
    analysis
}

/// The questions whose fingerprints differ before and after a commit, and are shown on a page on
/// one side at least.
fn differing(
    before: &BTreeMap<u32, Vec<Option<u64>>>,
    after: &BTreeMap<u32, Vec<Option<u64>>>,
) -> BTreeSet<u32> {
    let mut changed = BTreeSet::new();
    for number in before.keys().chain(after.keys()) {
        let mut old = before.get(number).cloned().unwrap_or_default();
        let mut new = after.get(number).cloned().unwrap_or_default();
        old.sort();
        new.sort();
        // A question the framework does not have is on no page.
        let shown = |v: &Vec<Option<u64>>| v.iter().any(Option::is_some);
        if old != new && (shown(&old) || shown(&new)) {
            changed.insert(*number);
        }
    }
    changed
}

/// One file, as the loader reads a tree: a past version of an answer.
struct OneFile {
    bytes: Vec<u8>,
}

impl Tree for OneFile {
    fn names(&self, _dir: &str) -> Option<Vec<String>> {
        None
    }

    fn entry(&self, _path: &str) -> Entry {
        Entry::File(self.bytes.len() as u64)
    }

    fn read(&self, _path: &str) -> std::io::Result<Vec<u8>> {
        Ok(self.bytes.clone())
    }
}

/// What a version of an answer file says for each of `settings` (see [`answer_version`]), parsed
/// once; `None` for each when it does not parse.
fn answer_versions(
    path: &str,
    bytes: Vec<u8>,
    settings: &[&Settings],
    framework: Option<&Framework>,
) -> Vec<Option<AnswerVersion>> {
    match crate::load::load_answer(&OneFile { bytes }, Path::new(path)) {
        Ok(answer) => settings.iter().map(|s| Some(answer_version(&answer, s, framework))).collect(),
        Err(_) => vec![None; settings.len()],
    }
}

/// The question a parsed version of an answer file answers and a fingerprint of its public
/// projection for `settings`.
fn answer_version(answer: &Answer, settings: &Settings, framework: Option<&Framework>) -> AnswerVersion {
    let number = answer.front.question;
    let projections = framework.and_then(|f| f.question(number)).and_then(|q| {
        // Any day will do: `overdue`, the one field that depends on it, is left out below.
        let today = jiff::civil::date(2000, 1, 1);
        let no_history = Versions { history: &History::default(), current: &[] };
        let projection = record::question(q, Some(answer), settings, no_history, today, Audience::Public);
        // An internal answer reads as no answer: writing one, or changing it, is not news to the
        // public (its "not published" label is not worth a commit's subject).
        if projection.withheld == Withheld::Internal {
            return None;
        }
        // The file's name is left out too: renaming an answer file changes nothing the public reads.
        let projection = QuestionRecord { overdue: false, file: None, ..projection };
        let public = fingerprint(&projection);
        // Signing off adds a sign-off, and may change the status and review dates: none of that
        // changes what was signed off.
        let signoffs = fingerprint(&projection.signoffs);
        let content = QuestionRecord {
            signoffs: Vec::new(),
            status: None,
            last_reviewed: None,
            next_review: None,
            ..projection
        };
        Some((public, fingerprint(&content), signoffs))
    });
    AnswerVersion {
        number,
        public: projections.map(|p| p.0),
        content: projections.map(|p| p.1),
        signoffs: projections.map(|p| p.2),
    }
}

/// True for the path of a page file (`pages/about.md`).
fn is_page_path(path: &str) -> bool {
    path.strip_prefix(crate::load::PAGES_DIR)
        .and_then(|p| p.strip_prefix('/'))
        .is_some_and(|name| !name.contains('/') && name.ends_with(".md") && !name.starts_with('.'))
}

/// A fingerprint of what the public reads of a version of a page file, through the one page
/// projection; `Some(None)` for an internal page, `None` when it does not load.
fn page_version(path: &str, bytes: Vec<u8>) -> Option<Option<u64>> {
    let name = path.rsplit('/').next()?;
    let slug = name.strip_suffix(".md")?;
    let page = crate::load::load_page(&OneFile { bytes }, Path::new(path), slug).ok()?;
    if page.front.visibility.is_internal() {
        return Some(None);
    }
    let projection = record::page_record(&page, Audience::Public);
    Some(Some(fingerprint(&projection)))
}

/// A fingerprint of the public view of a version of `workbook.yaml`; `None` when it does not parse.
fn settings_version(bytes: &[u8]) -> Option<u64> {
    let text = std::str::from_utf8(bytes).ok()?;
    let settings: Settings = serde_yaml::from_str(text.strip_prefix('\u{feff}').unwrap_or(text)).ok()?;
    Some(fingerprint(&public_settings_view(&settings)))
}

/// A fingerprint of `value`'s JSON, hashed as it is written: every version of every answer is
/// fingerprinted three times, and the text itself is never needed.
fn fingerprint(value: &impl serde::Serialize) -> u64 {
    struct Hashing(DefaultHasher);
    impl std::io::Write for Hashing {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.write(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut hashing = Hashing(DefaultHasher::new());
    // Writing to a hasher cannot fail, and the values fingerprinted have string keys.
    let _ = serde_json::to_writer(&mut hashing, value);
    hashing.0.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::process::{Command, Stdio};

    fn git(root: &Path, args: &[&str]) {
        let status = Command::new("git")
            .arg("-C")
            .arg(root)
            .args(["-c", "user.name=Ana", "-c", "user.email=ana@example.org", "-c", "commit.gpgsign=false"])
            .args(args)
            .stdout(Stdio::null())
            .status()
            .expect("git runs");
        assert!(status.success(), "git {args:?}");
    }

    /// The analysis is a function of the versions' bytes: reading a version from the file as loaded
    /// must give what parsing it again gives, including a past version at one path whose bytes are
    /// now another file's, and a past version that is no longer any file's.
    /// The example project copied into `root` (its top files, answers, evidence and pages), in a
    /// new repository with one commit.
    fn example_repository(root: &Path) {
        let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("example-project");
        for folder in ["", "answers", "evidence", "pages"] {
            std::fs::create_dir_all(root.join(folder)).expect("the folder is made");
            for entry in std::fs::read_dir(example.join(folder)).expect("the example is read") {
                let entry = entry.expect("the example is read");
                if entry.file_type().expect("a file type").is_file() {
                    std::fs::copy(entry.path(), root.join(folder).join(entry.file_name())).expect("copied");
                }
            }
        }
        git(root, &["init", "-q"]);
        git(root, &["add", "-A"]);
        git(root, &["commit", "-q", "-m", "Start"]);
    }

    #[test]
    fn versions_read_from_the_loaded_files_are_analysed_as_versions_parsed_again() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let root = dir.path();
        example_repository(root);
        let first = root.join("answers/01-describe-the-tool.md");
        let text = std::fs::read_to_string(&first).expect("the answer is read");
        std::fs::write(&first, format!("{text}\nA new public sentence.\n")).expect("written");
        git(root, &["commit", "-q", "-am", "Add to the answer to question 1"]);
        // Two answers swap their bytes: each path's past version is now the other file.
        let (a, b) = (
            root.join("answers/02-outcomes-and-benefits.md"),
            root.join("answers/03-resources-and-skills.md"),
        );
        let (text_a, text_b) = (std::fs::read(&a).expect("read"), std::fs::read(&b).expect("read"));
        std::fs::write(&a, text_b).expect("written");
        std::fs::write(&b, text_a).expect("written");
        git(root, &["commit", "-q", "-am", "Swap two answers"]);

        let workbook = crate::load::load(root);
        let settings = workbook.settings.clone().expect("the example has settings");
        let (history, _) = History::read(root);
        assert_eq!(history.commits.len(), 3);
        let mut twin = settings.clone();
        twin.site.publish_drafts = !settings.site.publish_drafts;
        let from_loaded =
            analyse(Versions { history: &history, current: &workbook.answers }, &[&settings, &twin]);
        let parsed_again = analyse(Versions { history: &history, current: &[] }, &[&settings, &twin]);
        assert_eq!(from_loaded, parsed_again);
        // And it sees each change: the sentence is public; the swap touched two questions' files but
        // changed neither question (it is two renames).
        assert_eq!(from_loaded[0].public_questions[1], BTreeSet::from([1]));
        assert_eq!(from_loaded[0].touched[0], BTreeSet::from([2, 3]));
        assert_eq!(from_loaded[0].public_questions[0], BTreeSet::new());
    }

    /// The analysis is kept for the settings it was worked out for (and their twin) and for no
    /// others: a record asks for it once a question, and `serve` rebuilds with changed settings.
    #[test]
    fn an_analysis_is_kept_for_its_settings_and_worked_out_again_for_others() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let root = dir.path();
        example_repository(root);
        let workbook = crate::load::load(root);
        let settings = workbook.settings.clone().expect("the example has settings");
        let (history, _) = History::read(root);
        let versions = || Versions { history: &history, current: &workbook.answers };
        let first = analysis(versions(), &settings);
        assert!(Arc::ptr_eq(&first, &analysis(versions(), &settings)), "asked again, it is kept");
        let mut twin = settings.clone();
        twin.site.publish_drafts = !settings.site.publish_drafts;
        let twin_analysis = analysis(versions(), &twin);
        assert!(!Arc::ptr_eq(&first, &twin_analysis), "the twin has its own");
        assert!(Arc::ptr_eq(&first, &analysis(versions(), &settings)), "worked out with its twin");
        let mut renamed = settings.clone();
        renamed.organisation.name.push_str(" (renamed)");
        let other = analysis(versions(), &renamed);
        assert!(!Arc::ptr_eq(&first, &other), "other settings are worked out again");
        assert!(!Arc::ptr_eq(&first, &analysis(versions(), &settings)), "and replace the kept ones");
    }
}
