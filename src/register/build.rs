//! `workbook build` on a register: every member's whole site under `<slug>/`, built in one process
//! with the members in parallel, then the register's own pages.
//!
//! What members have in common is done once: the theme's templates are parsed once (a member with a
//! `templates/` of its own gets its own), the framework is parsed once per process
//! ([`crate::framework::Framework::builtin`]), and the history is read once per git repository
//! ([`History::read_many`]: members in one repository share one `git log`).

use super::{Member, MemberSource, Register, site, under_member};
use crate::build::{BuildOptions, Site};
use crate::check::check_with_history;
use crate::diagnostic::{self, Code, Diagnostic, Severity};
use crate::history::History;
use crate::load;
use crate::record::Record;
use crate::render::templates::Templates;
use crate::write::{self, Files};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A register's site: the register's own files, and each member's.
#[derive(Debug)]
pub struct RegisterSite {
    /// Its files; none for a build that wrote them as it went ([`build`]).
    pub files: RegisterFiles,
    /// How many files the site has, the register's own and its members'.
    pub file_count: usize,
    /// How many of them are HTML pages.
    pub pages: usize,
    /// Warnings met on the way, each file shown relative to the register folder.
    pub warnings: Vec<Diagnostic>,
    /// The members built, sorted by slug.
    pub members: Vec<Arc<BuiltMember>>,
    /// How many members this build built again (the others kept from the last build).
    pub rebuilt: usize,
}

/// A register's files in memory: its own, and each member's as the builder keeps them (shared,
/// not copied: a save in one member's folder leaves the others' where they are).
#[derive(Debug, Default)]
pub struct RegisterFiles {
    /// The register's own files (its pages, data, feed, sitemap and assets), by output path.
    pub own: Files,
    /// Each member's files, by slug, each by its path in the member's folder.
    pub members: BTreeMap<String, Arc<Files>>,
    /// `register.json`, written when it is first asked for.
    pub json: Option<Arc<LazyJson>>,
}

/// `register.json` of a register in memory, written when it is first asked for: a hundred megabytes
/// at national scale, which a preview rarely opens, and every save in any member changes.
#[derive(Debug)]
pub struct LazyJson {
    info: site::RegisterInfo,
    members: Vec<Arc<BuiltMember>>,
    bytes: std::sync::OnceLock<Vec<u8>>,
}

impl LazyJson {
    /// The file's bytes.
    pub fn bytes(&self) -> &[u8] {
        self.bytes.get_or_init(|| site::json(&self.info, &member_sites(&self.members)))
    }
}

impl write::SiteFiles for RegisterFiles {
    /// The file at `path` in the register's site: `<slug>/…` is a member's.
    fn file(&self, path: &str) -> Option<&[u8]> {
        if let Some((slug, rest)) = path.split_once('/')
            && let Some(files) = self.members.get(slug)
        {
            return files.get(rest).map(Vec::as_slice);
        }
        match &self.json {
            Some(json) if path == site::JSON => Some(json.bytes()),
            _ => self.own.get(path).map(Vec::as_slice),
        }
    }
}

/// One member of a register, built.
#[derive(Debug, Clone)]
pub struct BuiltMember {
    /// The folder its site is in.
    pub slug: String,
    /// Its record, for the audience built, as the register's pages list it ([`listing`]): the
    /// whole record is in `record_json`.
    pub record: Record,
    /// Its record as compact JSON, as `register.json` holds it: serialized once, when the member
    /// is built, so that a save in one member does not serialize all the others again.
    pub record_json: Arc<str>,
    /// True when it was read from a published record rather than built from source.
    pub from_record: bool,
    /// A fingerprint of its listing and slug: the register's pages change only when one does.
    pub listing_fingerprint: u64,
    /// How many HTML pages its site has.
    pub pages: usize,
    /// How many files its site has.
    pub files: usize,
}

/// One member's build: the member, its files (by path in its folder) and its warnings; or its
/// diagnostics.
type MemberBuild = Result<(Arc<BuiltMember>, Arc<Files>, Vec<Diagnostic>), Vec<Diagnostic>>;

/// A member's history as read, with the warnings met reading it (`None` for a record member).
type MemberHistory = Option<Arc<(History, Vec<Diagnostic>)>>;

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

/// Builds a register again and again (`serve`), keeping each member's last build and history: a
/// change inside one member's folder rebuilds only that member (and the register's own pages), with
/// the history read before (a save changes no commit); a change to register.yaml, or a commit,
/// rebuilds every member.
pub struct RegisterBuilder {
    root: PathBuf,
    options: BuildOptions,
    /// The register as last loaded; `None` before the first build.
    register: Option<Register>,
    /// The theme's templates, parsed on the first build.
    theme: Option<Templates>,
    /// Each member's last build, in the order of the register's members, with its folder or
    /// record file as an absolute path (to match changed paths against) and its history.
    built: Vec<(PathBuf, MemberHistory, MemberBuild)>,
    /// Build `serve`'s preview: drafts shown and marked (see [`Record::build_preview`]).
    preview: bool,
    /// The register's own pages as last rendered, with the listing fingerprint of each member
    /// they were rendered from.
    last_pages: Option<(Vec<u64>, Files)>,
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
            last_pages: None,
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
            .map(|((path, _, _), _)| path.clone())
            .collect()
    }

    /// Builds the register: every member when `changed` is `None` (or on the first build, or when
    /// register.yaml or a git folder is among the changed paths), otherwise only the members whose
    /// folder or record holds one of the `changed` paths (absolute), then the register's own pages.
    pub fn build(&mut self, changed: Option<&[PathBuf]>) -> Result<RegisterSite, Vec<Diagnostic>> {
        let rebuilt = self.build_members(changed, None)?;
        self.assemble(None).map(|site| RegisterSite { rebuilt, ..site })
    }

    /// Builds the members `changed` calls for (see [`RegisterBuilder::build`]), each member's files
    /// written into `staging` as soon as it is built when one is given (and then not kept).
    /// Returns how many were built.
    fn build_members(
        &mut self,
        changed: Option<&[PathBuf]>,
        staging: Option<&write::Staging>,
    ) -> Result<usize, Vec<Diagnostic>> {
        let absolute = |p: &Path| {
            p.canonicalize().or_else(|_| std::path::absolute(p)).unwrap_or_else(|_| p.to_path_buf())
        };
        let settings_file = absolute(&self.root.join(super::REGISTER_FILE));
        let everything = self.register.is_none()
            || self.built.is_empty()
            || changed.is_none_or(|paths| {
                paths.iter().any(|p| *p == settings_file || p.components().any(|c| c.as_os_str() == ".git"))
            });
        if everything && (changed.is_some() || self.register.is_none()) {
            self.register = Some(super::load(&self.root));
        }
        if self.theme.is_none() {
            self.theme = Some(Templates::theme().map_err(|d| vec![d])?);
        }
        let RegisterBuilder { register, theme, built, options, preview, last_pages, .. } = self;
        let (Some(register), Some(theme)) = (&*register, &*theme) else { return Err(Vec::new()) };
        if everything {
            let mut problems = register.diagnostics.clone();
            if problems.iter().any(|d| d.severity() == Severity::Error) || register.settings.is_none() {
                built.clear();
                diagnostic::sort(&mut problems);
                return Err(problems);
            }
            // The register's settings may have changed: its pages are rendered afresh.
            *last_pages = None;
            // Histories are read afresh (once per repository), and each member built with its own.
            let histories = histories(&register.members);
            *built = register
                .members
                .iter()
                .zip(histories)
                .map(|(member, history)| (absolute(member.path()), history, Err(Vec::new())))
                .collect();
        }
        let wanted: Vec<usize> = match changed.filter(|_| !everything) {
            None => (0..built.len()).collect(),
            Some(paths) => {
                (0..built.len()).filter(|&i| paths.iter().any(|p| p.starts_with(&built[i].0))).collect()
            }
        };
        if !everything {
            // A member with a repository of its own (a git submodule) commits where the register's
            // watcher sees no commit: its history, cheap to read alone, is read again.
            let own: Vec<usize> = wanted
                .iter()
                .copied()
                .filter(|&i| built[i].1.is_some() && built[i].0.join(".git").exists())
                .collect();
            let members: Vec<Member> = own.iter().map(|&i| register.members[i].clone()).collect();
            for (i, history) in own.into_iter().zip(histories(&members)) {
                built[i].1 = history;
            }
        }
        let (options, preview, kept) = (&*options, *preview, &*built);
        let fresh: Vec<(usize, MemberBuild)> = wanted
            .par_iter()
            .map(|&i| {
                let (member, history) = (&register.members[i], kept[i].1.as_deref());
                let mut build = build_member(register, member, history, theme, options, preview);
                if let (Some(staging), Ok((_, files, _))) = (staging, &mut build) {
                    // Written now and let go: a national register's sites are never all in memory.
                    if let Err(error) = staging.add_under(&member.slug, files) {
                        return (i, Err(vec![error]));
                    }
                    *files = Arc::new(Files::new());
                }
                (i, build)
            })
            .collect();
        let rebuilt = fresh.len();
        for (i, build) in fresh {
            built[i].2 = build;
        }
        Ok(rebuilt)
    }

    /// The register's site from every member's last build (its own files written into `staging`
    /// when one is given): every diagnostic when any member has errors.
    fn assemble(&mut self, staging: Option<&write::Staging>) -> Result<RegisterSite, Vec<Diagnostic>> {
        let Some(register) = &self.register else { return Err(Vec::new()) };
        let mut problems = register.diagnostics.clone();
        let mut member_files = BTreeMap::new();
        let mut members = Vec::new();
        let (mut pages, mut file_count) = (0, 0);
        for (_, _, result) in &self.built {
            match result {
                Ok((member, files, warnings)) => {
                    pages += member.pages;
                    file_count += member.files;
                    if !files.is_empty() {
                        member_files.insert(member.slug.clone(), Arc::clone(files));
                    }
                    problems.extend(warnings.iter().cloned());
                    members.push(Arc::clone(member));
                }
                Err(diagnostics) => problems.extend(diagnostics.iter().cloned()),
            }
        }
        diagnostic::sort(&mut problems);
        if problems.iter().any(|d| d.severity() == Severity::Error) {
            return Err(problems);
        }
        let info = register_info(register, &self.options).map_err(|d| vec![d])?;
        // The register's pages list what each member's listing says: when no listing changed (a
        // save that changed an answer's words), they are as they were.
        let key: Vec<u64> = members.iter().map(|m| m.listing_fingerprint).collect();
        let mut own = match self.last_pages.take() {
            Some((last, files)) if last == key => files,
            _ => site::render_pages(&info, &member_sites(&members), self.options.audience)
                .map_err(|d| vec![d])?,
        };
        pages += own.keys().filter(|p| p.ends_with(".html")).count();
        // The pages, and register.json.
        file_count += own.len() + 1;
        let json = if let Some(staging) = staging {
            staging
                .add_stream(site::JSON, |out| site::write_json(&info, &member_sites(&members), out))
                .map_err(|d| vec![d])?;
            staging.add(&own).map_err(|d| vec![d])?;
            own.clear();
            None
        } else {
            self.last_pages = Some((key, own.clone()));
            Some(Arc::new(LazyJson { info, members: members.clone(), bytes: std::sync::OnceLock::new() }))
        };
        let rebuilt = members.len();
        let files = RegisterFiles { own, members: member_files, json };
        Ok(RegisterSite { files, file_count, pages, warnings: problems, members, rebuilt })
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
    result
        .map(|(record, site, from_record)| {
            let mut warnings = site.warnings;
            under_member(member, &mut warnings);
            let record_json = site::compact(&record).into();
            let record = listing(record);
            let listing_fingerprint = {
                use std::hash::{Hash, Hasher};
                let mut hasher = std::hash::DefaultHasher::new();
                (&member.slug, from_record, site::compact(&record)).hash(&mut hasher);
                hasher.finish()
            };
            let built = BuiltMember {
                slug: member.slug.clone(),
                record,
                record_json,
                from_record,
                listing_fingerprint,
                pages: site.pages,
                files: site.files.len(),
            };
            (Arc::new(built), Arc::new(site.files), warnings)
        })
        .map_err(|mut diagnostics| {
            under_member(member, &mut diagnostics);
            diagnostics
        })
}

/// What of a member's record the register's own pages read (names, phase, completeness, dates,
/// review dates, changes), the rest let go: the whole record is kept only as its JSON, so that a
/// national register does not hold every answer twice to list its tools. The register's pages are
/// the same from a listing as from the whole record (tested).
pub fn listing(mut record: Record) -> Record {
    use std::mem::take;
    for q in &mut record.questions {
        take(&mut q.text);
        take(&mut q.summary);
        take(&mut q.prompts);
        take(&mut q.body);
        take(&mut q.placements);
        take(&mut q.evidence);
        take(&mut q.engagement);
        take(&mut q.risks);
        take(&mut q.datasets);
        take(&mut q.metrics);
        take(&mut q.signoffs);
        take(&mut q.withheld_items);
        take(&mut q.guidance);
    }
    take(&mut record.phases);
    take(&mut record.contact.concerns);
    take(&mut record.accessibility.method);
    take(&mut record.decisions);
    take(&mut record.atrs);
    take(&mut record.pages);
    take(&mut record.static_files);
    record
}

/// The history of each project member (in the order of the members; `None` for a record), read
/// once per git repository.
pub(crate) fn histories(members: &[Member]) -> Vec<MemberHistory> {
    let roots: Vec<&Path> = members
        .iter()
        .filter_map(|m| match &m.source {
            MemberSource::Project(root) => Some(root.as_path()),
            MemberSource::Record(_) => None,
        })
        .collect();
    let mut read = History::read_many(&roots).into_iter().map(Arc::new);
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

/// The register's settings as its pages show them, at the register's address (`--base-url` over
/// `base_url:`).
fn register_info(register: &Register, options: &BuildOptions) -> Result<site::RegisterInfo, Diagnostic> {
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
    Ok(site::RegisterInfo {
        title: settings.title.clone(),
        organisation: settings.organisation.clone(),
        base_url,
        language: settings.language.clone(),
        contact_email: settings.contact.email.clone(),
    })
}

/// The members as the register's pages read them.
fn member_sites(members: &[Arc<BuiltMember>]) -> Vec<site::MemberSite<'_>> {
    members
        .iter()
        .map(|m| site::MemberSite {
            slug: &m.slug,
            record: &m.record,
            record_json: &m.record_json,
            from_record: m.from_record,
        })
        .collect()
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
            write::check_output_place(&out, member_root).map_err(|d| vec![d])?;
        }
    }
    let lock = write::OutputLock::take(&out, write::LOCK_WAIT).map_err(|d| vec![d])?;
    let staging = lock.stage().map_err(|d| vec![d])?;
    let mut builder = RegisterBuilder::new(&register.root, options.clone());
    builder.register = Some(register);
    builder.build_members(None, Some(&staging))?;
    let site = builder.assemble(Some(&staging))?;
    staging.finish().map_err(|d| vec![d])?;
    Ok(site)
}
