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
use crate::load;
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
    /// How many members this build built again (the others kept from the last build).
    pub rebuilt: usize,
}

/// One member of a register, built.
#[derive(Debug, Clone)]
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
    let mut builder = RegisterBuilder::new(&register.root, options.clone());
    builder.register = Some(register.clone());
    // Built once: each member's files move into the site rather than being copied, so a
    // national register is not held in memory twice.
    builder.keeps_builds = false;
    builder.build(None)
}

/// Builds a register again and again (`serve`), keeping each member's last build: a change inside
/// one member's folder rebuilds only that member (and the register's own pages); a change to
/// register.yaml, or a commit, rebuilds every member.
pub struct RegisterBuilder {
    root: PathBuf,
    options: BuildOptions,
    /// The register as last loaded; `None` before the first build.
    register: Option<Register>,
    /// The theme's templates, parsed on the first build.
    theme: Option<Templates>,
    /// Each member's last build, in the order of the register's members, with its folder or
    /// record file as an absolute path (to match changed paths against).
    built: Vec<(PathBuf, MemberBuild)>,
    /// Build `serve`'s preview: drafts shown and marked (see [`Record::build_preview`]).
    preview: bool,
    /// Keep each member's build for the next (`serve`); a build that runs once gives them up.
    keeps_builds: bool,
}

impl RegisterBuilder {
    /// A builder for the register at `root`; nothing is read until the first build.
    pub fn new(root: &Path, options: BuildOptions) -> RegisterBuilder {
        RegisterBuilder {
            root: root.to_path_buf(),
            options,
            register: None,
            theme: None,
            built: Vec::new(),
            preview: false,
            keeps_builds: true,
        }
    }

    /// A builder of `serve`'s preview of the register at `root`: each member's drafts shown and
    /// marked as not published yet. Never used to write a site to disk.
    pub fn preview(root: &Path, options: BuildOptions) -> RegisterBuilder {
        RegisterBuilder { preview: true, ..RegisterBuilder::new(root, options) }
    }

    /// The register folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The project members' folders, as absolute paths, once the register is loaded (a watcher
    /// watches those outside the register folder as well as the folder itself).
    pub fn member_folders(&self) -> Vec<PathBuf> {
        self.built
            .iter()
            .zip(self.register.iter().flat_map(|r| &r.members))
            .filter(|(_, m)| matches!(m.source, MemberSource::Project(_)))
            .map(|((path, _), _)| path.clone())
            .collect()
    }

    /// Builds the register: every member when `changed` is `None` (or on the first build, or when
    /// register.yaml or a git folder is among the changed paths), otherwise only the members whose
    /// folder or record holds one of the `changed` paths (absolute), then the register's own pages.
    pub fn build(&mut self, changed: Option<&[PathBuf]>) -> Result<RegisterSite, Vec<Diagnostic>> {
        let rebuilt;
        let absolute = |p: &Path| {
            p.canonicalize().or_else(|_| std::path::absolute(p)).unwrap_or_else(|_| p.to_path_buf())
        };
        let settings_file = absolute(&self.root.join(super::REGISTER_FILE));
        let everything = self.register.is_none()
            || self.built.is_empty()
            || changed.is_none_or(|paths| {
                paths.iter().any(|p| *p == settings_file || p.components().any(|c| c.as_os_str() == ".git"))
            });
        if everything {
            if changed.is_some() || self.register.is_none() {
                self.register = Some(super::load(&self.root));
            }
            let Some(register) = &self.register else { return Err(Vec::new()) };
            let mut problems = register.diagnostics.clone();
            if problems.iter().any(|d| d.severity() == Severity::Error) || register.settings.is_none() {
                self.built.clear();
                diagnostic::sort(&mut problems);
                return Err(problems);
            }
            let paths: Vec<PathBuf> = register.members.iter().map(|m| absolute(m.path())).collect();
            let all: Vec<usize> = (0..paths.len()).collect();
            let built = self.build_members(&all)?;
            rebuilt = built.len();
            self.built = paths.into_iter().zip(built).collect();
        } else {
            let paths = changed.unwrap_or_default();
            let wanted: Vec<usize> = self
                .built
                .iter()
                .enumerate()
                .filter(|(_, (member, _))| paths.iter().any(|p| p.starts_with(member)))
                .map(|(i, _)| i)
                .collect();
            let built = self.build_members(&wanted)?;
            rebuilt = built.len();
            for (i, build) in wanted.into_iter().zip(built) {
                self.built[i].1 = build;
            }
        }
        self.assemble().map(|site| RegisterSite { rebuilt, ..site })
    }

    /// Builds the members at `indexes` (in parallel), histories read once per repository.
    fn build_members(&mut self, indexes: &[usize]) -> Result<Vec<MemberBuild>, Vec<Diagnostic>> {
        if self.theme.is_none() {
            self.theme = Some(Templates::theme().map_err(|d| vec![d])?);
        }
        let (Some(register), Some(theme)) = (&self.register, &self.theme) else { return Ok(Vec::new()) };
        let members: Vec<Member> = indexes.iter().map(|&i| register.members[i].clone()).collect();
        let histories = histories(&members);
        let (options, preview) = (&self.options, self.preview);
        Ok(members
            .par_iter()
            .zip(histories.par_iter())
            .map(|(member, history)| {
                build_member(register, member, history.as_ref(), theme, options, preview)
            })
            .collect())
    }

    /// The register's site from every member's last build: every diagnostic when any has errors.
    fn assemble(&mut self) -> Result<RegisterSite, Vec<Diagnostic>> {
        let built = if self.keeps_builds {
            self.built.iter().map(|(_, result)| result.clone()).collect()
        } else {
            std::mem::take(&mut self.built).into_iter().map(|(_, result)| result).collect::<Vec<_>>()
        };
        let Some(register) = &self.register else { return Err(Vec::new()) };
        let mut problems = register.diagnostics.clone();
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
        let own = register_pages(register, &members, &self.options).map_err(|d| vec![d])?;
        pages += own.keys().filter(|p| p.ends_with(".html")).count();
        files.extend(own);
        let rebuilt = members.len();
        Ok(RegisterSite { files, pages, warnings: problems, members, rebuilt })
    }
}

/// Builds one member with its history (read here when not given), its files under its slug.
fn build_member(
    register: &Register,
    member: &Member,
    history: Option<&(History, Vec<Diagnostic>)>,
    theme: &Templates,
    options: &BuildOptions,
    preview: bool,
) -> MemberBuild {
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
            build_project(root, history, warnings, theme, &member_options, preview)
        }
        MemberSource::Record(path) => build_record(path, theme, &member_options),
    };
    let slug = &member.slug;
    result
        .map(|(record, site, from_record)| {
            let mut warnings = site.warnings;
            under_member(member, &mut warnings);
            let files =
                site.files.into_iter().map(|(path, bytes)| (format!("{slug}/{path}"), bytes)).collect();
            let built = BuiltMember { slug: slug.clone(), record, from_record, pages: site.pages };
            (built, files, warnings)
        })
        .map_err(|mut diagnostics| {
            under_member(member, &mut diagnostics);
            diagnostics
        })
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
    preview: bool,
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
    let record = crate::build::record_with(&workbook, history, options, preview).map_err(|d| vec![d])?;
    let site = crate::build::render_workbook_from(&workbook, &record, templates).map_err(|d| vec![d])?;
    Ok((record, Site { warnings: diagnostics, ..site }, false))
}

/// A member from a published `workbook.json`: read back into a record, and rendered from it (its
/// address set to the member's under the register's). Nothing else is read: a record member's site
/// is what its record holds, with no copied evidence or static files.
fn build_record(
    path: &Path,
    theme: &Templates,
    options: &BuildOptions,
) -> Result<(Record, Site, bool), Vec<Diagnostic>> {
    let mut record = read_record(path).map_err(|d| vec![d])?;
    if let Some(url) = &options.base_url {
        record.site.base_url = Some(url.clone());
    }
    let site = crate::build::render_record(&record, theme).map_err(|d| vec![d])?;
    Ok((record, site, true))
}

/// The largest record file read, in bytes.
const MAX_RECORD_BYTES: u64 = 64 * 1024 * 1024;

/// Reads a published `workbook.json` back into a record: it must be of this version of the record
/// (`schema_version`) and for the public (a register never publishes an internal record).
pub(crate) fn read_record(path: &Path) -> Result<Record, Diagnostic> {
    let unreadable = |why: String| Diagnostic::new(Code::RegisterMember, why);
    let too_big = std::fs::metadata(path).is_ok_and(|m| m.len() > MAX_RECORD_BYTES);
    if too_big {
        return Err(unreadable(format!("the record is larger than {MAX_RECORD_BYTES} bytes")));
    }
    let bytes = std::fs::read(path).map_err(|e| unreadable(format!("cannot read the record: {e}")))?;
    let name = path.file_name().map_or_else(|| path.to_path_buf(), std::path::PathBuf::from);
    let record = Record::from_json(&bytes, &name)?;
    if record.audience != crate::record::Audience::Public {
        return Err(unreadable(
            "the record is an internal one; a register lists only published records".to_owned(),
        )
        .help("give the public workbook.json (`workbook export --format json`)"));
    }
    Ok(record)
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

/// The register's own pages, from the members' records ([`super::site::render`]), at the register's
/// address (`--base-url` over `base_url:`).
fn register_pages(
    register: &Register,
    members: &[BuiltMember],
    options: &BuildOptions,
) -> Result<Files, Diagnostic> {
    let settings = register.settings.as_ref().ok_or_else(|| {
        Diagnostic::new(Code::MissingSettings, "the register has no usable settings")
            .in_file(Path::new(super::REGISTER_FILE))
    })?;
    let base_url = options
        .base_url
        .clone()
        .or_else(|| settings.base_url.clone())
        .filter(|u| !u.trim().is_empty())
        .map(|u| format!("{}/", u.trim_end_matches('/')));
    let info = super::site::RegisterInfo {
        title: settings.title.clone(),
        organisation: settings.organisation.clone(),
        base_url,
        language: settings.language.clone(),
        contact_email: settings.contact.email.clone(),
    };
    let sites: Vec<super::site::MemberSite> = members
        .iter()
        .map(|m| super::site::MemberSite { slug: &m.slug, record: &m.record, from_record: m.from_record })
        .collect();
    super::site::render(&info, &sites, options.audience)
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
