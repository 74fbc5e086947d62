//! `workbook build` on a register: every member's whole site under `<slug>/`, built in one process
//! with the members in parallel, then the register's own pages.
//!
//! What members have in common is done once: the theme's templates are parsed once (a member with a
//! `templates/` of its own gets its own), the framework is parsed once per process
//! ([`crate::framework::Framework::builtin`]), and the history is read once per git repository
//! ([`History::read_many`]: members in one repository share one `git log`).

use super::{Member, MemberSource, Register, under_member};
use crate::build::{BuildOptions, Site};
use crate::check::check_with_history;
use crate::diagnostic::{self, Code, Diagnostic, Severity};
use crate::history::History;
use crate::load::{self, Workbook};
use crate::record::Record;
use crate::render::templates::Templates;
use crate::write::{self, Files};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// A register's site, rendered in memory.
#[derive(Debug)]
pub struct RegisterSite {
    /// Its files, by output path: each member's under `<slug>/`, and the register's own.
    pub files: Files,
    /// How many of them are HTML pages.
    pub pages: usize,
    /// Warnings met on the way, each file shown relative to the register folder.
    pub warnings: Vec<Diagnostic>,
    /// The members built, sorted by slug.
    pub members: Vec<BuiltMember>,
}

/// One member of a register, built.
#[derive(Debug)]
pub struct BuiltMember {
    /// The folder its site is in.
    pub slug: String,
    /// Its record, for the audience built.
    pub record: Record,
    /// True when it was read from a published record rather than built from source.
    pub from_record: bool,
    /// How many HTML pages its site has.
    pub pages: usize,
}

/// One member's build: the member, its files under its slug and its warnings; or its diagnostics.
type MemberBuild = Result<(BuiltMember, Files, Vec<Diagnostic>), Vec<Diagnostic>>;

/// The options one member is built with: the register's, with the member's address under the
/// register's (`<base_url><slug>/`) when the register has one.
pub fn member_options(register: &Register, slug: &str, options: &BuildOptions) -> BuildOptions {
    let register_url = options
        .base_url
        .clone()
        .or_else(|| register.settings.as_ref().and_then(|s| s.base_url.clone()))
        .filter(|u| !u.trim().is_empty());
    BuildOptions {
        base_url: register_url.map(|url| format!("{}/{slug}/", url.trim_end_matches('/'))),
        ..options.clone()
    }
}

/// Builds every member of `register` (in parallel) and the register's own pages, in memory. Returns
/// every diagnostic of every member when any has errors, each file shown relative to the register.
pub fn render(register: &Register, options: &BuildOptions) -> Result<RegisterSite, Vec<Diagnostic>> {
    let mut problems = register.diagnostics.clone();
    if problems.iter().any(|d| d.severity() == Severity::Error) || register.settings.is_none() {
        diagnostic::sort(&mut problems);
        return Err(problems);
    }
    let theme = Templates::theme().map_err(|d| vec![d])?;
    let histories = histories(&register.members);
    let built: Vec<MemberBuild> = register
        .members
        .par_iter()
        .zip(histories.par_iter())
        .map(|(member, history)| {
            let member_options = member_options(register, &member.slug, options);
            let result = match &member.source {
                MemberSource::Project(root) => {
                    let read;
                    let (history, warnings) = match history {
                        Some(found) => found,
                        None => {
                            read = History::read(root);
                            &read
                        }
                    };
                    build_project(root, history, warnings, &theme, &member_options)
                }
                MemberSource::Record(path) => build_record(path, &theme, &member_options),
            };
            let slug = &member.slug;
            result
                .map(|(record, site, from_record)| {
                    let mut warnings = site.warnings;
                    under_member(member, &mut warnings);
                    let files = site
                        .files
                        .into_iter()
                        .map(|(path, bytes)| (format!("{slug}/{path}"), bytes))
                        .collect();
                    let built = BuiltMember { slug: slug.clone(), record, from_record, pages: site.pages };
                    (built, files, warnings)
                })
                .map_err(|mut diagnostics| {
                    under_member(member, &mut diagnostics);
                    diagnostics
                })
        })
        .collect();
    let mut files = Files::new();
    let mut members = Vec::new();
    let mut pages = 0;
    for result in built {
        match result {
            Ok((member, member_files, warnings)) => {
                pages += member.pages;
                files.extend(member_files);
                problems.extend(warnings);
                members.push(member);
            }
            Err(diagnostics) => problems.extend(diagnostics),
        }
    }
    diagnostic::sort(&mut problems);
    if problems.iter().any(|d| d.severity() == Severity::Error) {
        return Err(problems);
    }
    let own = register_pages(register, &members, options).map_err(|d| vec![d])?;
    pages += own.keys().filter(|p| p.ends_with(".html")).count();
    files.extend(own);
    Ok(RegisterSite { files, pages, warnings: problems, members })
}

/// The history of each project member (in the order of the members; `None` for a record), read
/// once per git repository.
pub(crate) fn histories(members: &[Member]) -> Vec<Option<(History, Vec<Diagnostic>)>> {
    let roots: Vec<&Path> = members
        .iter()
        .filter_map(|m| match &m.source {
            MemberSource::Project(root) => Some(root.as_path()),
            MemberSource::Record(_) => None,
        })
        .collect();
    let mut read = History::read_many(&roots).into_iter();
    members
        .iter()
        .map(|m| match m.source {
            MemberSource::Project(_) => read.next(),
            MemberSource::Record(_) => None,
        })
        .collect()
}

/// Loads, checks and renders one project member, as `build` does a project alone.
fn build_project(
    root: &Path,
    history: &History,
    history_warnings: &[Diagnostic],
    theme: &Templates,
    options: &BuildOptions,
) -> Result<(Record, Site, bool), Vec<Diagnostic>> {
    let workbook = load::load(root);
    let mut diagnostics = check_with_history(&workbook, history, options.today);
    diagnostics.extend(crate::build::publication_warnings(&workbook, history_warnings, options));
    if let Some(settings) = &workbook.settings {
        crate::check::apply_lints(&settings.lints, &mut diagnostics);
    }
    if diagnostics.iter().any(|d| d.severity() == Severity::Error) {
        return Err(diagnostics);
    }
    let own;
    let templates = if Templates::overridden_by(&workbook) {
        own = Templates::load(&workbook).map_err(|d| vec![d])?;
        &own
    } else {
        theme
    };
    let record = crate::build::record(&workbook, history, options).map_err(|d| vec![d])?;
    let site = render_member(&workbook, history, templates, options)?;
    Ok((record, Site { warnings: diagnostics, ..site }, false))
}

fn render_member(
    workbook: &Workbook,
    history: &History,
    templates: &Templates,
    options: &BuildOptions,
) -> Result<Site, Vec<Diagnostic>> {
    crate::build::render_workbook(workbook, history, templates, options).map_err(|d| vec![d])
}

/// A member from a published `workbook.json`: read back into a record, and rendered from it.
fn build_record(
    path: &Path,
    _theme: &Templates,
    _options: &BuildOptions,
) -> Result<(Record, Site, bool), Vec<Diagnostic>> {
    Err(vec![read_record(path).err().unwrap_or_else(|| {
        Diagnostic::new(Code::RegisterMember, "members from published records are not supported yet")
    })])
}

/// Reads a published `workbook.json` back into a record.
pub(crate) fn read_record(_path: &Path) -> Result<Record, Diagnostic> {
    Err(Diagnostic::new(Code::RegisterMember, "members from published records are not supported yet")
        .help("list the member's project folder instead"))
}

/// The row of `status` for a member read from a record.
pub(crate) fn record_row(slug: &str, record: &Record) -> super::check::StatusRow {
    super::check::StatusRow {
        slug: slug.to_owned(),
        organisation: record.organisation.name.clone(),
        tool: record.tool.name.clone(),
        phase: record.tool.phase.as_str().to_owned(),
        percent: record.progress.percent,
        overdue: record.questions.iter().filter(|q| q.overdue).count(),
        errors: 0,
        warnings: 0,
        from_record: true,
    }
}

/// The register's own pages. A placeholder until the register site lands: a minimal index.html
/// listing the members.
fn register_pages(
    register: &Register,
    members: &[BuiltMember],
    _options: &BuildOptions,
) -> Result<Files, Diagnostic> {
    let escape =
        |s: &str| s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;");
    let settings = register.settings.as_ref().ok_or_else(|| {
        Diagnostic::new(Code::MissingSettings, "the register has no usable settings")
            .in_file(Path::new(super::REGISTER_FILE))
    })?;
    let mut html = format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head><meta charset=\"utf-8\"><title>{}</title></head>\n<body>\n<main>\n<h1>{}</h1>\n<ul>\n",
        escape(&settings.language),
        escape(&settings.title),
        escape(&settings.title)
    );
    for member in members {
        html.push_str(&format!(
            "<li><a href=\"{}/index.html\">{}</a></li>\n",
            escape(&member.slug),
            escape(&member.slug)
        ));
    }
    html.push_str("</ul>\n</main>\n</body>\n</html>\n");
    Ok(Files::from([("index.html".to_owned(), html.into_bytes())]))
}

/// The default output folder of a register for `audience`, as a project's.
pub fn default_output(root: &Path, audience: crate::record::Audience) -> PathBuf {
    crate::build::default_output(root, audience)
}

/// Builds the register at `root` into `out`, as [`crate::build::build`] builds a project: the output
/// folder checked against the register and every project member, locked, and replaced in one step
/// only when every member built.
pub fn build(root: &Path, out: &Path, options: &BuildOptions) -> Result<RegisterSite, Vec<Diagnostic>> {
    let register = super::load(root);
    let out = write::check_output(out, root).map_err(|d| vec![d])?;
    for member in &register.members {
        if let MemberSource::Project(member_root) = &member.source {
            write::check_output(&out, member_root).map_err(|d| vec![d])?;
        }
    }
    let lock = write::OutputLock::take(&out, write::LOCK_WAIT).map_err(|d| vec![d])?;
    let site = render(&register, options)?;
    lock.write_site(&site.files).map_err(|d| vec![d])?;
    Ok(site)
}
