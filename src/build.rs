//! `workbook build`: the whole pipeline, from the project folder to the files of the site.
//!
//! load → check (errors stop here) → history → record → plan → render (in parallel) → write.

use crate::check::check_with_history;
use crate::diagnostic::{self, Diagnostic, Severity};
use crate::history::History;
use crate::load::{self, Workbook};
use crate::plan::{self, Plan};
use crate::record::{Audience, Inputs, Record};
use crate::render::templates::{ASSETS, Templates};
use crate::site;
use crate::write::{self, Files};
use jiff::civil::Date;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// What to build.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Who the site is for.
    pub audience: Audience,
    /// The address the site is published at, overriding the settings'.
    pub base_url: Option<String>,
    /// "Today", for overdue reviews.
    pub today: Date,
}

/// A site, rendered in memory.
#[derive(Debug)]
pub struct Site {
    /// Its files, by output path.
    pub files: Files,
    /// How many of them are HTML pages.
    pub pages: usize,
    /// Warnings met on the way.
    pub warnings: Vec<Diagnostic>,
}

/// Renders the site of the project at `root`, or returns every diagnostic when it has errors.
pub fn render_site(root: &Path, options: &BuildOptions) -> Result<Site, Vec<Diagnostic>> {
    Builder::new(root, options.clone()).build(false)
}

/// Builds a project's site again and again, keeping what did not change between builds: the parsed
/// templates (until told they changed) and the git history (until HEAD moves). `build` uses it once;
/// `serve` on every save.
pub struct Builder {
    root: PathBuf,
    options: BuildOptions,
    templates: Option<Templates>,
    history: Option<(History, Vec<Diagnostic>)>,
    /// The commit the history was read at, and the git folder to check it in (found on the second build).
    head: Option<(Option<PathBuf>, Option<String>)>,
    /// Build `serve`'s preview: drafts shown and marked (see [`Record::build_preview`]).
    preview: bool,
}

impl Builder {
    /// A builder for the project at `root`.
    pub fn new(root: &Path, options: BuildOptions) -> Builder {
        Builder {
            root: root.to_path_buf(),
            options,
            templates: None,
            history: None,
            head: None,
            preview: false,
        }
    }

    /// A builder of `serve`'s preview of the project at `root`: drafts are shown, each marked as not
    /// published yet (see [`Record::build_preview`]). Never used to write a site to disk.
    pub fn preview(root: &Path, options: BuildOptions) -> Builder {
        Builder { preview: true, ..Builder::new(root, options) }
    }

    /// The project folder it builds.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Loads, checks and renders the site in memory; `templates_changed` parses the templates again.
    /// Returns every diagnostic when the project has errors.
    pub fn build(&mut self, templates_changed: bool) -> Result<Site, Vec<Diagnostic>> {
        let workbook = load::load(&self.root);
        self.refresh_history();
        let (history, history_warnings) = self.history.as_ref().expect("read above");
        let mut diagnostics = check_with_history(&workbook, history, self.options.today);
        diagnostics.extend(publication_warnings(&workbook, history_warnings, &self.options));
        // The warnings raised here (history, base URL) take the levels the project set, as check's do.
        if let Some(settings) = &workbook.settings {
            crate::check::apply_lints(&settings.lints, &mut diagnostics);
        }
        if diagnostics.iter().any(|d| d.severity() == Severity::Error) {
            diagnostic::sort(&mut diagnostics);
            return Err(diagnostics);
        }
        if templates_changed || self.templates.is_none() {
            self.templates = Some(Templates::load(&workbook).map_err(|d| vec![d])?);
        }
        let templates = self.templates.as_ref().expect("loaded above");
        let site = render_workbook_with(&workbook, history, templates, &self.options, self.preview)
            .map_err(|d| vec![d])?;
        Ok(Site { warnings: diagnostics, ..site })
    }

    /// Reads the history on the first build, and again only when HEAD has moved since.
    fn refresh_history(&mut self) {
        if self.history.is_some() {
            let (git_dir, read_at) =
                self.head.get_or_insert_with(|| (crate::history::git_dir(&self.root), None));
            let now = git_dir.as_deref().and_then(crate::history::head_commit);
            // Before the git folder is known (the first build never looks, to spare `build` a
            // process), HEAD was not recorded: read again once rather than risk a stale history.
            if read_at.is_some() && now == *read_at {
                return;
            }
            *read_at = now;
        }
        self.history = Some(History::read(&self.root));
    }
}

/// The warnings about publishing that `build` adds to `check`'s, and `check` raises too, so that CI
/// sees what the build will say: those met reading the history (W012 shallow-history, W013
/// no-history), and W014 no-base-url for a public site with no address. The project's `lints:` are
/// not applied here.
pub fn publication_warnings(
    workbook: &Workbook,
    history_warnings: &[Diagnostic],
    options: &BuildOptions,
) -> Vec<Diagnostic> {
    let mut warnings = history_warnings.to_vec();
    let settings_url = workbook.settings.as_ref().and_then(|s| s.site.base_url.as_deref());
    let has_base_url = options.base_url.as_deref().or(settings_url);
    if options.audience == Audience::Public && has_base_url.is_none_or(|u| u.trim().is_empty()) {
        warnings.push(
            Diagnostic::new(
                crate::diagnostic::Code::NoBaseUrl,
                "site.base_url is not set: feed.xml and sitemap.xml use addresses relative to the site",
            )
            .in_file(Path::new(load::SETTINGS_FILE))
            .help("set `site.base_url` (or pass --base-url) to the address the site is published at"),
        );
    }
    warnings
}

/// The record of a loaded workbook (which must have settings and a framework) for the audience of
/// `options`: what the site, `workbook.json` and every export are made from.
pub fn record(workbook: &Workbook, history: &History, options: &BuildOptions) -> Result<Record, Diagnostic> {
    record_with(workbook, history, options, false)
}

/// As [`record`], or `serve`'s preview of it when `preview` is set ([`Record::build_preview`]).
pub fn record_with(
    workbook: &Workbook,
    history: &History,
    options: &BuildOptions,
    preview: bool,
) -> Result<Record, Diagnostic> {
    let (Some(settings), Some(framework)) = (&workbook.settings, &workbook.framework) else {
        return Err(Diagnostic::new(
            crate::diagnostic::Code::MissingSettings,
            "the project has no usable settings",
        ));
    };
    let inputs = Inputs {
        workbook,
        settings,
        framework,
        history,
        today: options.today,
        audience: options.audience,
        base_url: options.base_url.clone(),
    };
    Ok(if preview { Record::build_preview(&inputs) } else { Record::build(&inputs) })
}

/// Loads and checks the project at `root` and returns its record, or the errors when it has any.
pub fn load_record(root: &Path, options: &BuildOptions) -> Result<Record, Vec<Diagnostic>> {
    let workbook = load::load(root);
    let (history, _) = History::read(root);
    let mut errors = check_with_history(&workbook, &history, options.today);
    errors.retain(|d| d.severity() == Severity::Error);
    if !errors.is_empty() {
        return Err(errors);
    }
    record(&workbook, &history, options).map_err(|d| vec![d])
}

/// Renders a loaded, checked workbook (which must have settings and a framework).
pub fn render_workbook(
    workbook: &Workbook,
    history: &History,
    templates: &Templates,
    options: &BuildOptions,
) -> Result<Site, Diagnostic> {
    render_workbook_with(workbook, history, templates, options, false)
}

/// As [`render_workbook`], or `serve`'s preview of the site when `preview` is set.
pub fn render_workbook_with(
    workbook: &Workbook,
    history: &History,
    templates: &Templates,
    options: &BuildOptions,
    preview: bool,
) -> Result<Site, Diagnostic> {
    let record = record_with(workbook, history, options, preview)?;
    render_workbook_from(workbook, &record, templates)
}

/// Renders a loaded, checked workbook from its record (made by [`record_with`]), with
/// the files the record names copied from the project: for a caller that keeps the record too (a
/// register lists its members from their records), so that it is built once.
pub fn render_workbook_from(
    workbook: &Workbook,
    record: &Record,
    templates: &Templates,
) -> Result<Site, Diagnostic> {
    let Site { mut files, pages, warnings } = render_record(record, templates)?;
    // The files the record names, and no others: the project's static files (in place of the
    // theme's at the same path) and the evidence it links (an internal item's file never reaches a
    // public build); read through the project's tree, so nothing outside the project is copied.
    for (relative, path) in record.copied_files() {
        let bytes = workbook.read_file(&path).map_err(|e| {
            Diagnostic::new(
                crate::diagnostic::Code::Unreadable,
                format!("cannot read the file to publish: {e}"),
            )
            .in_file(Path::new(&path))
        })?;
        files.insert(relative, bytes);
    }
    Ok(Site { files, pages, warnings })
}

/// Renders the site of a record alone: its pages, feed, sitemap, `workbook.json`, `robots.txt` and
/// the theme's assets. A record names project files (static files, evidence) but does not hold
/// them, so none is copied: [`render_workbook`] adds them from the project. This is the one way a
/// site is rendered, from a project or from a `workbook.json` read back ([`Record::from_json`]).
/// It takes no build options: the record settles the audience and the addresses already.
pub fn render_record(record: &Record, templates: &Templates) -> Result<Site, Diagnostic> {
    let Plan { shared, pages } = plan::plan(record);
    let shared = tera::Context::from_serialize(&shared).map_err(|e| {
        Diagnostic::new(crate::diagnostic::Code::Template, format!("the site's context cannot be built: {e}"))
    })?;
    let rendered: Vec<(String, Vec<u8>)> = pages
        .par_iter()
        .map(|page| {
            templates
                .render(page.template, &shared, &page.context)
                .map(|html| (page.path.clone(), html.into_bytes()))
        })
        .collect::<Result<_, _>>()?;
    let mut files: Files = rendered.into_iter().collect();
    let page_count = files.len();
    files.insert(plan::paths::FEED.into(), site::feed::render(record).into_bytes());
    files.insert(plan::paths::SITEMAP.into(), site::sitemap::render(record, &pages).into_bytes());
    files.insert(plan::paths::JSON.into(), site::json::render(record).into_bytes());
    files.insert(plan::paths::ROBOTS.into(), site::robots::render(record).into_bytes());
    for (path, bytes) in ASSETS {
        files.insert((*path).to_owned(), bytes.to_vec());
    }
    Ok(Site { files, pages: page_count, warnings: Vec::new() })
}

/// The default output folder of a project for `audience`: `public` inside it, or `internal-site`
/// for the internal audience, so an internal build never lands where the public site is published.
pub fn default_output(root: &Path, audience: Audience) -> PathBuf {
    root.join(match audience {
        Audience::Public => "public",
        Audience::Internal => "internal-site",
    })
}

/// Builds the project at `root` into `out`: checks the output folder first, locks it against other
/// builds (waiting up to [`write::LOCK_WAIT`]), then renders, then replaces the folder in one step.
pub fn build(root: &Path, out: &Path, options: &BuildOptions) -> Result<Site, Vec<Diagnostic>> {
    let out = write::check_output(out, root).map_err(|d| vec![d])?;
    // Held until the new site is in place; taking it restores what a killed build left.
    let lock = write::OutputLock::take(&out, write::LOCK_WAIT).map_err(|d| vec![d])?;
    let site = render_site(root, options)?;
    lock.write_site(&site.files).map_err(|d| vec![d])?;
    Ok(site)
}

/// As [`build`], with `builder` kept from one build to the next (`build --watch`), so that what did
/// not change is not read again; `templates_changed` parses the templates again. The folder is
/// replaced whole or not at all, under the same lock, so stopping between builds (Ctrl-C) or in
/// the middle of one leaves a whole site.
pub fn build_with(
    builder: &mut Builder,
    out: &Path,
    templates_changed: bool,
) -> Result<Site, Vec<Diagnostic>> {
    let out = write::check_output(out, builder.root()).map_err(|d| vec![d])?;
    let lock = write::OutputLock::take(&out, write::LOCK_WAIT).map_err(|d| vec![d])?;
    let site = builder.build(templates_changed)?;
    lock.write_site(&site.files).map_err(|d| vec![d])?;
    Ok(site)
}
