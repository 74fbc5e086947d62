//! `workbook build`: the whole pipeline, from the project folder to the files of the site.
//!
//! load → check (errors stop here) → history → record → plan → render (in parallel) → write.

use crate::check::check;
use crate::diagnostic::{self, Diagnostic, Severity};
use crate::history::History;
use crate::load::{self, Workbook};
use crate::plan::{self, Plan};
use crate::record::{Audience, Inputs, Record};
use crate::render::templates::{ASSETS, Templates, files_under};
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
    let workbook = load::load(root);
    let mut diagnostics = check(&workbook, options.today);
    let (history, history_warnings) = History::read(root);
    diagnostics.extend(history_warnings);
    if diagnostics.iter().any(|d| d.severity() == Severity::Error) {
        diagnostic::sort(&mut diagnostics);
        return Err(diagnostics);
    }
    let templates = Templates::load(root).map_err(|d| vec![d])?;
    let site = render_workbook(&workbook, &history, &templates, options).map_err(|d| vec![d])?;
    let has_base_url =
        options.base_url.as_deref().or(workbook.settings.as_ref().and_then(|s| s.site.base_url.as_deref()));
    if options.audience == Audience::Public && has_base_url.is_none_or(|u| u.trim().is_empty()) {
        diagnostics.push(
            Diagnostic::new(
                crate::diagnostic::Code::NoBaseUrl,
                "site.base_url is not set: feed.xml and sitemap.xml use addresses relative to the site",
            )
            .in_file(Path::new(load::SETTINGS_FILE))
            .help("set `site.base_url` (or pass --base-url) to the address the site is published at"),
        );
    }
    Ok(Site { warnings: diagnostics, ..site })
}

/// The record of a loaded workbook (which must have settings and a framework) for the audience of
/// `options`: what the site, `workbook.json` and every export are made from.
pub fn record(workbook: &Workbook, history: &History, options: &BuildOptions) -> Result<Record, Diagnostic> {
    let (Some(settings), Some(framework)) = (&workbook.settings, &workbook.framework) else {
        return Err(Diagnostic::new(
            crate::diagnostic::Code::MissingSettings,
            "the project has no usable settings",
        ));
    };
    Ok(Record::build(&Inputs {
        workbook,
        settings,
        framework,
        history,
        today: options.today,
        audience: options.audience,
        base_url: options.base_url.clone(),
    }))
}

/// Loads and checks the project at `root` and returns its record, or the errors when it has any.
pub fn load_record(root: &Path, options: &BuildOptions) -> Result<Record, Vec<Diagnostic>> {
    let workbook = load::load(root);
    let mut errors = check(&workbook, options.today);
    errors.retain(|d| d.severity() == Severity::Error);
    if !errors.is_empty() {
        return Err(errors);
    }
    let (history, _) = History::read(root);
    record(&workbook, &history, options).map_err(|d| vec![d])
}

/// Renders a loaded, checked workbook (which must have settings and a framework).
pub fn render_workbook(
    workbook: &Workbook,
    history: &History,
    templates: &Templates,
    options: &BuildOptions,
) -> Result<Site, Diagnostic> {
    let record = record(workbook, history, options)?;
    let Plan { shared, pages } = plan::plan(&record);
    let shared = tera::Context::from_serialize(&shared).map_err(|e| {
        Diagnostic::new(crate::diagnostic::Code::Template, format!("the site's context cannot be built: {e}"))
    })?;
    let rendered: Vec<(String, Vec<u8>)> = pages
        .par_iter()
        .map(|page| {
            let mut context = page.context.clone();
            context["path"] = page.path.clone().into();
            context["title"] = page.title.clone().into();
            templates
                .render(page.template, &shared, &context)
                .map(|html| (page.path.clone(), html.into_bytes()))
        })
        .collect::<Result<_, _>>()?;
    let mut files: Files = rendered.into_iter().collect();
    let page_count = files.len();
    files.insert(plan::paths::FEED.into(), site::feed::render(&record).into_bytes());
    files.insert(plan::paths::SITEMAP.into(), site::sitemap::render(&record, &pages).into_bytes());
    files.insert(plan::paths::JSON.into(), site::json::render(&record).into_bytes());
    files.insert(plan::paths::ROBOTS.into(), site::robots::render(&record).into_bytes());
    for (path, bytes) in ASSETS {
        files.insert((*path).to_owned(), bytes.to_vec());
    }
    // The project's static files, in place of the theme's at the same path.
    for (relative, path) in files_under(&workbook.root.join("static")) {
        if let Ok(bytes) = std::fs::read(&path) {
            files.insert(relative, bytes);
        }
    }
    // Only the evidence the record links: an internal item's file never reaches a public build.
    for relative in record.evidence_files() {
        let path = workbook.root.join(&relative);
        if load::is_inside(&workbook.root, &path)
            && let Ok(bytes) = std::fs::read(&path)
        {
            files.insert(relative, bytes);
        }
    }
    Ok(Site { files, pages: page_count, warnings: Vec::new() })
}

/// The default output folder of a project: `public` inside it.
pub fn default_output(root: &Path) -> PathBuf {
    root.join("public")
}

/// Builds the project at `root` into `out`: checks the output folder first, then renders, then
/// replaces the folder in one step.
pub fn build(root: &Path, out: &Path, options: &BuildOptions) -> Result<Site, Vec<Diagnostic>> {
    let out = write::check_output(out, root).map_err(|d| vec![d])?;
    let site = render_site(root, options)?;
    write::write_site(&out, &site.files).map_err(|d| vec![d])?;
    Ok(site)
}
