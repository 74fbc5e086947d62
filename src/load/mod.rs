//! Loading a project: settings, framework and answers, read once into a [`Workbook`].
//!
//! Loading never stops at the first problem: every file is read, and what cannot be read becomes a
//! [`Diagnostic`] beside what could.

pub mod answer;
pub mod body;
pub mod figure;
pub mod front_matter;
mod hints;
pub mod locate;
pub mod page;
pub mod partial_date;
pub mod settings;
pub mod source;
pub mod tree;
mod validate;
mod yaml_error;

pub use yaml_error::suggest;

use crate::diagnostic::{Code, Diagnostic, Location, display_path};
use crate::framework::Framework;
use answer::FrontMatter;
use body::Passage;
use front_matter::Parts;
use locate::Positions;
use serde::de::DeserializeOwned;
use settings::Settings;
use source::SourceFile;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tree::{Entry, Tree, WorkingTree};

/// The name of the settings file at the root of a project.
pub const SETTINGS_FILE: &str = "workbook.yaml";
/// The folder of answer files.
pub const ANSWERS_DIR: &str = "answers";
/// The folder of the project's own static files, copied into the site over the theme's.
pub const STATIC_DIR: &str = "static";
/// The folder of the project's own templates, which override the theme's by path.
pub const TEMPLATES_DIR: &str = "templates";
/// The folder evidence files are kept in, by convention.
pub const EVIDENCE_DIR: &str = "evidence";
/// The folder of free-standing pages (`pages/easy-read.md`), each a page of the site.
pub const PAGES_DIR: &str = "pages";

/// A path written in the project's files (an evidence `file:`), made the one form every stage uses:
/// relative, `/`-separated, without `.` or empty segments. `check` and `build` both take paths from
/// here, so what `check` approved is exactly what `build` copies.
///
/// Refused: `\` (not a separator in the format: on Windows it is one, on Linux part of a name, so
/// the same text would name two different files), `..`, absolute paths and drive letters, control
/// characters, and the empty path.
pub fn project_path(written: &str) -> Result<String, &'static str> {
    if written.contains('\\') {
        return Err("`\\` is not a separator in workbook paths; write `/`");
    }
    if written.chars().any(char::is_control) {
        return Err("the path holds a control character");
    }
    if written.starts_with('/') || written.split('/').next().is_some_and(|first| first.contains(':')) {
        return Err("the path is absolute; write it relative to the folder that holds workbook.yaml");
    }
    let parts: Vec<&str> = written.split('/').filter(|s| !s.is_empty() && *s != ".").collect();
    if parts.contains(&"..") {
        return Err("the path climbs out of its folder with `..`");
    }
    if parts.is_empty() {
        return Err("the path is empty");
    }
    Ok(parts.join("/"))
}

/// A tree that can be shared by the stages and threads that read a project.
pub type SharedTree = Arc<dyn Tree + Send + Sync>;

/// A project file that the site may copy, as the tree saw it when the project was loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectFile {
    /// What is at its path.
    pub entry: Entry,
    /// Where it leads inside the project, with links resolved.
    pub target: Option<String>,
}

/// True for a whole web address (`http` or `https`, then a host): the only kind of address the site
/// links. `check` refuses any other, and the record leaves any other out, as a second line.
pub fn is_web_address(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    let rest = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://"));
    rest.is_some_and(|r| !r.is_empty() && !r.starts_with('/') && !r.contains(char::is_whitespace))
}
/// Answer files larger than this are refused: an answer is prose, and large material belongs in evidence.
pub const MAX_ANSWER_BYTES: u64 = 1024 * 1024;
/// The settings file is refused above this size.
pub const MAX_SETTINGS_BYTES: u64 = 256 * 1024;

/// A whole project, loaded.
#[derive(Clone)]
pub struct Workbook {
    /// The project folder.
    pub root: PathBuf,
    /// The tree it was read from; every later read of the project (evidence and static files to
    /// copy, templates) goes through it too.
    pub tree: SharedTree,
    /// The files under `static/`, `templates/` and `evidence/`, and every other file an answer names as
    /// evidence, by normalised path: all the site may copy or read besides the settings and answers.
    /// Evidence is published only when a public item names it.
    pub files: BTreeMap<String, ProjectFile>,
    /// The settings, when `workbook.yaml` exists and parses.
    pub settings: Option<Settings>,
    /// The framework the settings name, when it exists.
    pub framework: Option<Framework>,
    /// Every answer file that parsed, in file-name order.
    pub answers: Vec<Answer>,
    /// Problems met while loading.
    pub diagnostics: Vec<Diagnostic>,
    /// The text of `workbook.yaml`, when it could be read.
    pub settings_file: Option<SourceFile>,
    /// The Markdown settings ([`SETTINGS_MARKDOWN`]), each without its HTML comments and cut into
    /// public and internal passages exactly as an answer's body is.
    pub settings_markdown: BTreeMap<&'static str, Markdown>,
    /// Every page file of `pages/` that parsed, in file-name order.
    pub pages: Vec<page::PageFile>,
}

/// A Markdown text without its HTML comments, cut into passages (ranges of `text`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Markdown {
    /// The text, comments removed.
    pub text: String,
    /// Its public and internal passages.
    pub passages: Vec<Passage>,
}

/// The settings written in Markdown, by path: `::: internal` passages work in them as in answers.
pub const SETTINGS_MARKDOWN: &[&str] =
    &["contact.concerns", "accessibility.method", "accessibility.known_issues"];

impl Settings {
    /// The Markdown setting at `path`, one of [`SETTINGS_MARKDOWN`].
    pub fn markdown(&self, path: &str) -> &str {
        match path {
            "contact.concerns" => &self.contact.concerns,
            "accessibility.method" => &self.accessibility.method,
            "accessibility.known_issues" => &self.accessibility.known_issues,
            _ => "",
        }
    }
}

impl std::fmt::Debug for Workbook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Workbook")
            .field("root", &self.root)
            .field("settings", &self.settings)
            .field("answers", &self.answers.len())
            .field("files", &self.files)
            .field("diagnostics", &self.diagnostics)
            .finish_non_exhaustive()
    }
}

impl Workbook {
    /// The bytes of a project file listed in [`Workbook::files`], read through the tree.
    pub fn read_file(&self, path: &str) -> std::io::Result<Vec<u8>> {
        match self.files.get(path) {
            Some(ProjectFile { entry: Entry::File(_), .. }) => self.tree.read(path),
            _ => Err(std::io::Error::from(std::io::ErrorKind::NotFound)),
        }
    }

    /// The listed files under the folder `dir`, as (path relative to `dir`, path in the project).
    pub fn files_in<'a>(&'a self, dir: &'a str) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
        self.files.iter().filter(|(_, f)| matches!(f.entry, Entry::File(_))).filter_map(move |(path, _)| {
            path.strip_prefix(dir).and_then(|rest| rest.strip_prefix('/')).map(|rest| (rest, path.as_str()))
        })
    }
}

/// One answer file, parsed.
#[derive(Debug, Clone)]
pub struct Answer {
    /// The file and its text.
    pub file: SourceFile,
    /// Where its front matter and body lie.
    pub parts: Parts,
    /// The front matter, its prompts' answers without HTML comments.
    pub front: FrontMatter,
    /// Positions of the front matter's keys and values, read when first asked for
    /// ([`Answer::positions`]): most answers never need one, and reading them parses the YAML again.
    positions: std::sync::OnceLock<Positions>,
    /// The body, cut into public and internal passages.
    pub passages: Vec<Passage>,
    /// The Markdown of each passage of `passages`, in order, without its HTML comments.
    pub passage_texts: Vec<String>,
    /// Each prompt's answer, cut into public and internal passages (ranges in the answer's text).
    pub prompt_passages: std::collections::BTreeMap<String, Vec<Passage>>,
    /// The body's placement lines (`::: figures` and the like), in order, each block at most once.
    pub placements: Vec<body::Placement>,
}

impl Answer {
    /// Positions of the front matter's keys and values.
    pub fn positions(&self) -> &Positions {
        self.positions.get_or_init(|| Positions::of(&self.file.text[self.parts.yaml.clone()]))
    }

    /// A [`Location`] in this file for a front-matter path such as `risks[0].owner`.
    pub fn locate(&self, path: &str) -> Location {
        locate_value(&self.file, self.parts.yaml_first_line, self.positions(), path)
    }

    /// A [`Location`] in this file for the evidence item whose `file` is `written`.
    pub fn locate_evidence(&self, written: &str) -> Location {
        let index = self.front.evidence.iter().position(|e| e.file.as_deref() == Some(written)).unwrap_or(0);
        self.locate(&format!("evidence[{index}].file"))
    }

    /// A [`Location`] in this file for the key (not the value) at a front-matter path.
    pub fn locate_key(&self, path: &str) -> Location {
        match self.positions().key(path) {
            Some((line, column)) => {
                let width = path.rsplit('.').next().map_or(1, |k| k.chars().count());
                self.file.location_at(self.parts.yaml_first_line + line - 1, column, width)
            }
            None => self.locate(path),
        }
    }

    /// The body's Markdown: the public passages only, or all of them, without HTML comments (so a
    /// position in the text is one in the file only up to the passage's first comment).
    pub fn body(&self, include_internal: bool) -> impl Iterator<Item = (&Passage, &str)> {
        body::visible_passages(&self.passages, &self.passage_texts, include_internal)
    }

    /// The answer to a prompt: its public passages only, or all of them, without fence lines and
    /// HTML comments.
    pub fn prompt_text(&self, id: &str, include_internal: bool) -> String {
        match (self.front.prompts.get(id), self.prompt_passages.get(id)) {
            (Some(text), Some(passages)) => body::visible(text, passages, include_internal),
            _ => String::new(),
        }
    }
}

/// Loads the project at `root` from the working tree.
pub fn load(root: &Path) -> Workbook {
    load_from(root, Arc::new(WorkingTree::new(root)))
}

/// Loads the project at `root` from `tree`: the working tree, or a revision in git.
pub fn load_from(root: &Path, shared: SharedTree) -> Workbook {
    let tree = shared.as_ref();
    let mut diagnostics = Vec::new();
    let (settings, settings_file) = load_settings(root, tree, &mut diagnostics);
    let settings_markdown = match (&settings, &settings_file) {
        (Some(settings), Some(file)) => settings_markdown(settings, file, &mut diagnostics),
        _ => BTreeMap::new(),
    };
    let framework = settings.as_ref().and_then(|s| {
        let found = Framework::builtin(&s.framework);
        if found.is_none() {
            let file = settings_file.as_ref().expect("settings parsed from a file");
            let positions = Positions::of(&file.text);
            let known: Vec<_> = Framework::builtin_ids().collect();
            diagnostics.push(
                Diagnostic::new(Code::UnknownFramework, format!("there is no framework `{}`", s.framework))
                    .at(locate_value(file, 1, &positions, "framework"))
                    .help(format!("known frameworks: {}", known.join(", "))),
            );
        }
        found
    });
    let answers = load_answers(tree, &mut diagnostics);
    let pages = load_pages(tree, &mut diagnostics);
    let mut files = project_files(tree, &answers, &pages, &mut diagnostics);
    if let Some(settings) = &settings {
        files.extend(checklist_evidence_files(tree, settings));
    }
    Workbook {
        root: root.to_path_buf(),
        tree: shared,
        files,
        settings,
        framework,
        answers,
        diagnostics,
        settings_file,
        settings_markdown,
        pages,
    }
}

/// Cuts each Markdown setting into passages; a fence that does not close is an error at its line.
fn settings_markdown(
    settings: &Settings,
    file: &SourceFile,
    diagnostics: &mut Vec<Diagnostic>,
) -> BTreeMap<&'static str, Markdown> {
    let mut cut = BTreeMap::new();
    let start = file.content_start();
    let positions = std::cell::LazyCell::new(|| Positions::of(&file.text[start..]));
    for &path in SETTINGS_MARKDOWN {
        let text = settings.markdown(path);
        match body::cut_uncommented(text) {
            Ok((uncommented, passages)) => {
                cut.insert(path, Markdown { text: uncommented.unwrap_or_else(|| text.to_owned()), passages });
            }
            Err(e) => diagnostics.push(markdown_value_error(
                file,
                1,
                &positions,
                path,
                &format!("`{path}`"),
                text,
                e,
            )),
        }
    }
    cut
}

/// The diagnostic for a `:::` fault in a Markdown value of YAML (a prompt's answer, a Markdown
/// setting). In a block scalar (`|`) the value's lines stand on the file's lines from its first line,
/// at its indentation; elsewhere, the diagnostic points at the value.
fn markdown_value_error(
    file: &SourceFile,
    first_line: usize,
    positions: &Positions,
    path: &str,
    what: &str,
    text: &str,
    e: body::CutError,
) -> Diagnostic {
    let line = text[..e.range.start].matches('\n').count();
    let location = match positions.value(path) {
        Some(((value_line, column), _)) if text.contains('\n') => {
            let width = e.range.end - e.range.start;
            file.location_at(first_line + value_line - 1 + line, column, width)
        }
        _ => locate_value(file, first_line, positions, path),
    };
    Diagnostic::new(e.code, format!("in {what}: {}", e.message)).at(location).help(e.help)
}

/// The files of `static/` and `templates/`, and the evidence files the answers name. A link that
/// leads outside the project, anywhere in those folders or as one of them, is an error at its path:
/// nothing outside the project is ever read, and the author should know why a file is not published.
fn project_files(
    tree: &dyn Tree,
    answers: &[Answer],
    pages: &[page::PageFile],
    diagnostics: &mut Vec<Diagnostic>,
) -> BTreeMap<String, ProjectFile> {
    // The project's own source, which the site never publishes whatever name it is reached by.
    let mut source_ids: Vec<((u64, u64), String)> = answers
        .iter()
        .map(|a| display_path(&a.file.path))
        .chain(pages.iter().map(|p| display_path(&p.file.path)))
        .chain([SETTINGS_FILE.to_owned()])
        .filter_map(|path| Some((tree.file_id(&path)?, path)))
        .collect();
    source_ids.sort();
    let mut files = BTreeMap::new();
    for dir in [STATIC_DIR, TEMPLATES_DIR, EVIDENCE_DIR] {
        let listed = match tree.entry(dir) {
            Entry::LinkOutside => vec![(dir.to_owned(), Entry::LinkOutside)],
            Entry::Folder => tree.walk(dir),
            _ => Vec::new(),
        };
        for (path, entry) in listed {
            let target = tree.target(&path);
            let refusal = match entry {
                Entry::LinkOutside => Some(outside_link(Path::new(&path))),
                Entry::Loop => Some(
                    Diagnostic::new(Code::OutsideProject, "this is a link back to a folder that holds it")
                        .in_file(Path::new(&path))
                        .help("remove the link; the folder would hold itself for ever"),
                ),
                // Evidence is judged by where it leads when an answer names it (check, E023).
                _ if dir == EVIDENCE_DIR => None,
                _ => target.as_deref().filter(|t| leads_into_source(t, dir)).map(|t| {
                    Diagnostic::new(
                        Code::UnsafeEvidence,
                        format!("this is a link to `{t}`, the project's own source, which the site never publishes"),
                    )
                    .in_file(Path::new(&path))
                    .help("copy what you mean to publish into the folder instead of linking to it")
                }),
            };
            let hard_link = tree
                .file_id(&path)
                .and_then(|id| source_ids.iter().find(|(known, _)| *known == id))
                .map(|(_, source)| {
                    Diagnostic::new(
                        Code::UnsafeEvidence,
                        format!(
                            "this is the same file as `{source}` (a hard link): the site would publish it"
                        ),
                    )
                    .in_file(Path::new(&path))
                    .help("copy what you mean to publish instead of linking to it")
                });
            match refusal.or(hard_link) {
                Some(d) => diagnostics.push(d),
                None => {
                    files.insert(path.clone(), ProjectFile { entry, target });
                }
            }
        }
    }
    for answer in answers {
        for written in answer.front.evidence.iter().filter_map(|e| e.file.as_deref()) {
            if let Ok(path) = project_path(written) {
                if let Some(id) = tree.file_id(&path)
                    && let Some((_, source)) = source_ids.iter().find(|(known, _)| *known == id)
                {
                    diagnostics.push(
                        Diagnostic::new(
                            Code::UnsafeEvidence,
                            format!("`{path}` is the same file as `{source}` (a hard link): the site would publish it"),
                        )
                        .at(answer.locate_evidence(written))
                        .help("copy what you mean to publish instead of linking to it"),
                    );
                    continue;
                }
                let entry = tree.entry(&path);
                let target = tree.target(&path);
                files.insert(path, ProjectFile { entry, target });
            }
        }
    }
    files
}

/// True for a project path, reached from a file under `dir`, in the project's own source: the
/// answers and pages, the settings, the git folder or any hidden folder, and the templates (from outside them).
fn leads_into_source(path: &str, dir: &str) -> bool {
    let first = path.split('/').next().unwrap_or_default();
    path == SETTINGS_FILE
        || first.eq_ignore_ascii_case(ANSWERS_DIR)
        || first.eq_ignore_ascii_case(PAGES_DIR)
        || (first.eq_ignore_ascii_case(TEMPLATES_DIR) && dir != TEMPLATES_DIR)
        || path.split('/').any(|part| part.starts_with('.'))
}

/// The evidence files the checklist entries of `workbook.yaml` name, as [`project_files`] lists the
/// answers'.
fn checklist_evidence_files(tree: &dyn Tree, settings: &Settings) -> BTreeMap<String, ProjectFile> {
    let written = settings.checklist.values().flat_map(|c| &c.evidence).filter_map(|e| e.file.as_deref());
    written
        .filter_map(|w| project_path(w).ok())
        .map(|path| {
            let file = ProjectFile { entry: tree.entry(&path), target: tree.target(&path) };
            (path, file)
        })
        .collect()
}

fn outside_link(relative: &Path) -> Diagnostic {
    Diagnostic::new(Code::OutsideProject, "this is a link to a place outside the project")
        .in_file(relative)
        .help("copy the file into the project; links out of it would publish files from elsewhere")
}

fn load_settings(
    root: &Path,
    tree: &dyn Tree,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Option<Settings>, Option<SourceFile>) {
    if tree.entry(SETTINGS_FILE) == Entry::Missing {
        diagnostics.push(
            Diagnostic::new(Code::MissingSettings, format!("no {SETTINGS_FILE} in {}", root.display()))
                .in_file(Path::new(SETTINGS_FILE))
                .help(
                    "run `workbook init DIR` to start a workbook, or give the project folder as an argument",
                ),
        );
        return (None, None);
    }
    let file = match read_text(tree, Path::new(SETTINGS_FILE), MAX_SETTINGS_BYTES) {
        Ok(file) => file,
        Err(d) => {
            diagnostics.push(d);
            return (None, None);
        }
    };
    let start = file.content_start();
    let settings = parse_yaml::<Settings>(&file, start..file.text.len(), 1, SETTINGS_FILE)
        .and_then(|s| match yaml_error::duplicate_key(&file, 1, &Positions::of(&file.text[start..])) {
            Some(d) => Err(vec![d]),
            None => Ok(s),
        })
        .map_err(|found| diagnostics.extend(found))
        .ok();
    (settings, Some(file))
}

fn load_answers(tree: &dyn Tree, diagnostics: &mut Vec<Diagnostic>) -> Vec<Answer> {
    if tree.entry(ANSWERS_DIR) == Entry::LinkOutside {
        diagnostics.push(outside_link(Path::new(ANSWERS_DIR)));
        return Vec::new();
    }
    // No answers folder: every question is reported missing by check.
    let Some(names) = tree.names(ANSWERS_DIR) else { return Vec::new() };
    let mut answers = Vec::new();
    for name in names {
        let name_text = name.as_str();
        if is_ignored(name_text) {
            continue;
        }
        let relative = Path::new(ANSWERS_DIR).join(&name);
        if !name_text.ends_with(".md") {
            diagnostics.push(
                Diagnostic::new(
                    Code::StrayFile,
                    format!("`{name_text}` is not an answer file and is ignored"),
                )
                .in_file(&relative)
                .help("answer files end in `.md`; keep other files in evidence/ or static/"),
            );
            continue;
        }
        match load_answer(tree, &relative) {
            Ok(answer) => answers.push(answer),
            Err(found) => diagnostics.extend(found),
        }
    }
    answers
}

/// The page files of `pages/`, read as answers are; a file that is not Markdown is ignored with a
/// warning, as in `answers/`.
fn load_pages(tree: &dyn Tree, diagnostics: &mut Vec<Diagnostic>) -> Vec<page::PageFile> {
    if tree.entry(PAGES_DIR) == Entry::LinkOutside {
        diagnostics.push(outside_link(Path::new(PAGES_DIR)));
        return Vec::new();
    }
    let Some(names) = tree.names(PAGES_DIR) else { return Vec::new() };
    let mut pages = Vec::new();
    for name in names.iter().filter(|n| !is_ignored(n)) {
        let relative = Path::new(PAGES_DIR).join(name);
        let Some(slug) = name.strip_suffix(".md") else {
            diagnostics.push(
                Diagnostic::new(Code::StrayFile, format!("`{name}` is not a page file and is ignored"))
                    .in_file(&relative)
                    .help("page files end in `.md`; keep images and documents in evidence/ or static/"),
            );
            continue;
        };
        match load_page(tree, &relative, slug) {
            Ok(page) => pages.push(page),
            Err(found) => diagnostics.extend(found),
        }
    }
    pages
}

/// Reads and parses one page file, as [`load_answer`] reads an answer.
pub fn load_page(tree: &dyn Tree, relative: &Path, slug: &str) -> Result<page::PageFile, Vec<Diagnostic>> {
    let file = read_text(tree, relative, MAX_ANSWER_BYTES).map_err(|d| vec![d])?;
    let parts = front_matter::split(&file).map_err(|d| match d.code {
        // The answers' help names their keys; a page's are its own.
        Code::MissingFrontMatter => {
            vec![d.help("start the file with `---`, then `title: ` and the page's title, then `---`")]
        }
        _ => vec![d],
    })?;
    let front: page::PageFront =
        parse_yaml(&file, parts.yaml.clone(), parts.yaml_first_line, yaml_error::FRONT_MATTER)?;
    let positions = Positions::of(&file.text[parts.yaml.clone()]);
    if let Some(d) = yaml_error::duplicate_key(&file, parts.yaml_first_line, &positions) {
        return Err(vec![d]);
    }
    // A page has no blocks to place, so `::: figures` is refused as any other unknown block is.
    let body = parts.body.clone();
    let shift = |r: std::ops::Range<usize>| r.start + body.start..r.end + body.start;
    let passages: Vec<Passage> = body::cut(&file.text[body.clone()])
        .map_err(|e| {
            let range = shift(e.range);
            vec![Diagnostic::new(e.code, e.message).at(file.location(range.start, range.end)).help(e.help)]
        })?
        .into_iter()
        .map(|p| Passage { internal: p.internal, range: shift(p.range) })
        .collect();
    let passage_texts =
        passages.iter().map(|p| body::without_comments(&file.text[p.range.clone()]).into_owned()).collect();
    Ok(page::PageFile { file, slug: slug.to_owned(), parts, front, positions, passages, passage_texts })
}

/// Editors' temporary and backup files, and hidden files, which are not the author's answers.
fn is_ignored(name: &str) -> bool {
    name.starts_with('.') || name.starts_with('#') || name.ends_with('~') || name.ends_with(".swp")
}

/// Reads and parses one answer file; when it cannot, every error found in its front matter (or else
/// the one that stopped the reading).
pub fn load_answer(tree: &dyn Tree, relative: &Path) -> Result<Answer, Vec<Diagnostic>> {
    let file = read_text(tree, relative, MAX_ANSWER_BYTES).map_err(|d| vec![d])?;
    let parts = front_matter::split(&file).map_err(|d| vec![d])?;
    // A key written twice is refused as it is read: serde refuses a field twice, and `prompts`
    // refuses an id twice (see `answer::unique_keys`), so the positions wait until a diagnostic
    // needs one.
    let mut front: FrontMatter =
        parse_yaml(&file, parts.yaml.clone(), parts.yaml_first_line, yaml_error::FRONT_MATTER)?;
    let positions = std::sync::OnceLock::new();
    let (passages, placements) = body::passages(&file, parts.body.clone()).map_err(|d| vec![d])?;
    let mut prompt_passages = std::collections::BTreeMap::new();
    // Each answer is kept without its HTML comments (the author's notes), so no reader of it can
    // publish one.
    for (id, text) in &mut front.prompts {
        match body::cut_uncommented(text) {
            Ok((uncommented, cut)) => {
                if let Some(uncommented) = uncommented {
                    *text = uncommented;
                }
                prompt_passages.insert(id.clone(), cut);
            }
            Err(e) => {
                let path = format!("prompts.{id}");
                return Err(vec![markdown_value_error(
                    &file,
                    parts.yaml_first_line,
                    &Positions::of(&file.text[parts.yaml.clone()]),
                    &path,
                    &format!("the answer to `{id}`"),
                    text,
                    e,
                )]);
            }
        }
    }
    let passage_texts =
        passages.iter().map(|p| body::without_comments(&file.text[p.range.clone()]).into_owned()).collect();
    Ok(Answer { file, parts, front, positions, passages, passage_texts, prompt_passages, placements })
}

/// Reads a project file as UTF-8 text, refusing what is not a regular file inside the project, or too large.
pub fn read_text(tree: &dyn Tree, relative: &Path, limit: u64) -> Result<SourceFile, Diagnostic> {
    let path = display_path(relative);
    let unreadable = |why: String| Diagnostic::new(Code::Unreadable, why).in_file(relative);
    let len = match tree.entry(&path) {
        Entry::File(len) => len,
        Entry::Folder => {
            return Err(unreadable("this is a folder, not a file".into())
                .help("an answer is a Markdown file; rename the folder or move it out of answers/"));
        }
        Entry::LinkOutside => return Err(outside_link(relative)),
        Entry::Loop | Entry::Missing => return Err(unreadable("the file cannot be read".into())),
    };
    if len > limit {
        return Err(Diagnostic::new(
            Code::FileTooLarge,
            format!("the file is {len} bytes; the limit is {limit}"),
        )
        .in_file(relative)
        .help("put long material in a file under evidence/ and link it as evidence"));
    }
    let bytes = tree.read(&path).map_err(|e| unreadable(format!("cannot read the file: {e}")))?;
    decode(relative, bytes)
}

fn decode(relative: &Path, bytes: Vec<u8>) -> Result<SourceFile, Diagnostic> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(Diagnostic::new(Code::NotUtf8, "the file is UTF-16; workbook reads UTF-8")
            .in_file(relative)
            .help("save the file as UTF-8 in your editor"));
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceFile::new(relative.to_path_buf(), text)),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let prefix = SourceFile::new(
                relative.to_path_buf(),
                String::from_utf8_lossy(&bytes[..valid]).into_owned(),
            );
            let mut location = prefix.location(valid, valid);
            let (line, column) = prefix.line_col(valid);
            location.line = line;
            location.column = column;
            Err(Diagnostic::new(Code::NotUtf8, format!("byte 0x{:02X} is not UTF-8", bytes[valid]))
                .at(location)
                .help("save the file as UTF-8 in your editor (it may be Windows-1252 or Latin-1)"))
        }
    }
}

/// Deserializes the YAML in `range` of `file`, mapping errors to diagnostics at their place in the file.
///
/// When serde fails, the document is walked as a tree against `T`'s JSON Schema to report every
/// unknown key, wrong type, bad date and missing key at once ([`validate`]); serde's own error is kept
/// when the walk finds nothing (a case the schema does not capture) or finds it nowhere else. A file
/// that deserializes pays nothing for this.
fn parse_yaml<T: DeserializeOwned + Validated>(
    file: &SourceFile,
    range: std::ops::Range<usize>,
    first_line: usize,
    whole: &str,
) -> Result<T, Vec<Diagnostic>> {
    let yaml = &file.text[range.clone()];
    if let Some(offset) = too_deep(yaml) {
        let at = range.start + offset;
        return Err(vec![
            Diagnostic::new(
                Code::YamlSyntax,
                format!("the YAML nests `[` or `{{` more than {MAX_FLOW_DEPTH} deep"),
            )
            .at(file.location(at, at + 1))
            .help("write lists and mappings as indented blocks; front matter never needs such depth"),
        ]);
    }
    serde_yaml::from_str(yaml).map_err(|error| {
        let first = yaml_error::diagnose(file, first_line, yaml, &error, whole);
        let mut all = validate::diagnose_all(file, first_line, yaml, T::schema(), whole);
        let place = |d: &Diagnostic| d.location.as_ref().map(|l| (l.line, l.column));
        if !all.iter().any(|d| place(d) == place(&first)) {
            all.push(first);
            validate::sort_by_place(&mut all);
        }
        all
    })
}

/// Parses a whole YAML file that is not a project's own (a register's `register.yaml`), with the
/// same diagnostics as `workbook.yaml` (serde's error placed in the file, and a key given twice), but
/// without the schema walk, which knows only the project's formats. `whole` names the file in messages.
pub(crate) fn parse_yaml_file<T: DeserializeOwned>(
    file: &SourceFile,
    whole: &str,
) -> Result<T, Vec<Diagnostic>> {
    let start = file.content_start();
    let yaml = &file.text[start..];
    if let Some(offset) = too_deep(yaml) {
        let at = start + offset;
        return Err(vec![
            Diagnostic::new(
                Code::YamlSyntax,
                format!("the YAML nests `[` or `{{` more than {MAX_FLOW_DEPTH} deep"),
            )
            .at(file.location(at, at + 1))
            .help("write lists and mappings as indented blocks"),
        ]);
    }
    let value = serde_yaml::from_str(yaml)
        .map_err(|error| vec![yaml_error::diagnose(file, 1, yaml, &error, whole)])?;
    match yaml_error::duplicate_key(file, 1, &Positions::of(yaml)) {
        Some(d) => Err(vec![d]),
        None => Ok(value),
    }
}

/// A type read from YAML whose JSON Schema the loader validates against.
trait Validated {
    /// The type's schema, generated once.
    fn schema() -> &'static serde_json::Value;
}

impl Validated for FrontMatter {
    fn schema() -> &'static serde_json::Value {
        validate::answer_schema()
    }
}

impl Validated for page::PageFront {
    fn schema() -> &'static serde_json::Value {
        validate::page_schema()
    }
}

impl Validated for Settings {
    fn schema() -> &'static serde_json::Value {
        validate::settings_schema()
    }
}

/// Flow collections (`[…]`, `{…}`) nested deeper than this are refused before parsing: the YAML
/// scanner's time grows with the square of the depth, so a small hostile file could stall a build.
const MAX_FLOW_DEPTH: usize = 64;

/// The byte offset where flow nesting passes [`MAX_FLOW_DEPTH`], if it does. Quoted strings and
/// comments are skipped; block scalars are rare in flow context and at worst make this stricter.
fn too_deep(yaml: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut comment = false;
    let mut previous = '\n';
    let mut last_solid = '\n'; // the last character that is not a space or tab
    for (i, c) in yaml.char_indices() {
        match (quote, c) {
            _ if comment => comment = c != '\n',
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') if depth > 0 || matches!(previous, ' ' | ':' | '\n' | '[' | '{' | ',') => {
                quote = Some(c)
            }
            (None, '#') if previous.is_whitespace() => comment = true,
            // Outside a flow collection, a bracket opens one only where a value or item starts:
            // elsewhere it is text, as in `summary: see [1]`.
            (None, '[' | '{') if depth > 0 || matches!(last_solid, ':' | '-' | '?' | '\n') => {
                depth += 1;
                if depth > MAX_FLOW_DEPTH {
                    return Some(i);
                }
            }
            (None, ']' | '}') => depth = depth.saturating_sub(1),
            _ => {}
        }
        previous = c;
        if c != ' ' && c != '\t' {
            last_solid = c;
        }
    }
    None
}

/// A [`Location`] in `file` for a YAML path, the YAML starting at `first_line` of the file.
pub fn locate_value(file: &SourceFile, first_line: usize, positions: &Positions, path: &str) -> Location {
    match positions.best(path) {
        Some(((line, column), width)) => file.location_at(first_line + line - 1, column, width),
        None => file.location_at(first_line, 1, 1),
    }
}
