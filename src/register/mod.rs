//! A register: one site for many workbooks. A folder that holds `register.yaml` (and no
//! `workbook.yaml`) lists its members, project folders and published records, and `build`, `check`,
//! `status` and `serve` run on it as on a project.
//!
//! [`load`] reads `register.yaml` and resolves its members: globs are matched inside the register
//! folder only (a link that leads out is refused), explicit paths may leave it (as cargo workspace
//! members may), and nothing absolute is taken, so a register builds the same on every machine.

pub mod build;
pub mod check;
pub mod site;

use crate::diagnostic::{Code, Diagnostic, display_path};
use crate::load::locate::Positions;
use crate::load::source::SourceFile;
use crate::load::tree::WorkingTree;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The name of the settings file of a register.
pub const REGISTER_FILE: &str = "register.yaml";

/// The largest `register.yaml` read, in bytes.
const MAX_REGISTER_BYTES: u64 = 1024 * 1024;

/// Names a member's slug cannot take: the register's own folders beside the members' sites.
const RESERVED_SLUGS: &[&str] = &["assets", "organisations", "phases"];

/// The parsed `register.yaml` of a register.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterSettings {
    /// The register's title, such as "Northfield children's services algorithm register".
    pub title: String,
    /// Who publishes the register: a council, a group of councils, a national body.
    pub organisation: String,
    /// The address the register is published at; a member's site is at `<base_url><slug>/`.
    #[serde(default)]
    pub base_url: Option<String>,
    /// The language of the register's own pages, as a BCP 47 tag.
    #[serde(default = "default_language")]
    pub language: String,
    /// Where the public can ask about the register.
    pub contact: RegisterContact,
    /// The workbooks the register lists: project folders (each holding workbook.yaml) and published
    /// records (`workbook.json` files), as paths relative to the register folder or globs inside it.
    pub members: Vec<MemberEntry>,
}

fn default_language() -> String {
    "en".to_owned()
}

/// The register's public contact.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterContact {
    /// The register's public email address.
    pub email: String,
}

/// One entry of `members:`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum MemberEntry {
    /// A path or a glob (`tools/*`, `records/*.json`) relative to the register folder; each member's
    /// slug is its folder name, or its record file's name without `.json`.
    Path(String),
    /// One member, with the slug its site is published under.
    Named(NamedMember),
}

/// A member given with its slug.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NamedMember {
    /// The project folder or record file, relative to the register folder (it may be outside it,
    /// as `../other-tool`); not a glob.
    pub path: String,
    /// The member's slug, the folder its site is published in: lowercase letters, digits and hyphens.
    #[serde(default)]
    pub slug: Option<String>,
}

/// Where a member's workbook comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MemberSource {
    /// A project folder (holding workbook.yaml), built from source with its own git history.
    Project(PathBuf),
    /// A published `workbook.json`, rendered from what the record holds.
    Record(PathBuf),
}

/// One workbook of the register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// The folder its site is published in, under the register's site.
    pub slug: String,
    /// Its folder or record file, as a path on this machine (the register root joined with what
    /// register.yaml says).
    pub source: MemberSource,
    /// Its folder or file relative to the register folder, `/`-separated (`tools/referrals`,
    /// `../other-tool`): what its diagnostics' files are shown under.
    pub relative: String,
}

impl Member {
    /// The path of its folder or record file.
    pub fn path(&self) -> &Path {
        match &self.source {
            MemberSource::Project(p) | MemberSource::Record(p) => p,
        }
    }
}

/// A loaded register: its settings and members, and what was wrong with them.
#[derive(Debug, Clone)]
pub struct Register {
    /// The register folder.
    pub root: PathBuf,
    /// The parsed settings, when `register.yaml` could be read.
    pub settings: Option<RegisterSettings>,
    /// The members, sorted by slug.
    pub members: Vec<Member>,
    /// Problems with `register.yaml` and its members, at register.yaml's lines.
    pub diagnostics: Vec<Diagnostic>,
}

/// True when `dir` is a register folder: it holds `register.yaml` and no `workbook.yaml`.
pub fn is_register(dir: &Path) -> bool {
    dir.join(REGISTER_FILE).is_file() && !dir.join(crate::load::SETTINGS_FILE).is_file()
}

/// Reads the register at `root`: `register.yaml`, then each member entry resolved to folders and
/// record files. Problems are diagnostics in the result, never a panic.
pub fn load(root: &Path) -> Register {
    let mut register =
        Register { root: root.to_path_buf(), settings: None, members: Vec::new(), diagnostics: Vec::new() };
    let tree = WorkingTree::new(root);
    let file = match crate::load::read_text(&tree, Path::new(REGISTER_FILE), MAX_REGISTER_BYTES) {
        Ok(file) => file,
        Err(d) => {
            register.diagnostics.push(d);
            return register;
        }
    };
    let settings: RegisterSettings = match crate::load::parse_yaml_file(&file, REGISTER_FILE) {
        Ok(settings) => settings,
        Err(found) => {
            register.diagnostics.extend(found);
            return register;
        }
    };
    let positions = Positions::of(&file.text[file.content_start()..]);
    let at = |path: &str| crate::load::locate_value(&file, 1, &positions, path);
    if settings.members.is_empty() {
        register.diagnostics.push(
            Diagnostic::new(Code::RegisterMember, "the register has no members")
                .at(at("members"))
                .help("list project folders or records under `members:`, such as `- tools/*`"),
        );
    }
    let mut found: Vec<(Member, String)> = Vec::new();
    for (index, entry) in settings.members.iter().enumerate() {
        let (written, slug, slug_path) = match entry {
            MemberEntry::Path(p) => (p.as_str(), None, None),
            MemberEntry::Named(n) => {
                (n.path.as_str(), n.slug.as_deref(), Some(format!("members[{index}].slug")))
            }
        };
        let entry_path = match entry {
            MemberEntry::Path(_) => format!("members[{index}]"),
            MemberEntry::Named(_) => format!("members[{index}].path"),
        };
        let refuse = |message: String, help: &str| {
            Diagnostic::new(Code::RegisterMember, message).at(at(&entry_path)).help(help.to_owned())
        };
        if let Err(why) = member_path(written) {
            register.diagnostics.push(refuse(
                format!("`{written}` cannot be a member: {why}"),
                "write the member's folder or record relative to the folder that holds register.yaml",
            ));
            continue;
        }
        let is_glob = written.contains(['*', '?', '[']);
        if is_glob {
            if slug.is_some() {
                register.diagnostics.push(refuse(
                    format!("`{written}` is a glob, which cannot take one slug"),
                    "give `slug:` only with the path of one member",
                ));
                continue;
            }
            if written.split('/').any(|part| part == "..") {
                register.diagnostics.push(refuse(
                    format!("the glob `{written}` climbs out of the register folder with `..`"),
                    "globs match inside the register folder; name a member outside it by its path",
                ));
                continue;
            }
            let (matches, outside) = glob(root, written);
            for link in outside {
                register.diagnostics.push(refuse(
                    format!(
                        "`{link}` is a link that leads outside the register folder, so it is not a member"
                    ),
                    "name a member outside the register by its path, without a glob",
                ));
            }
            let mut any = false;
            for relative in matches {
                let path = root.join(&relative);
                let Some(source) = source_of(&path, false) else { continue };
                any = true;
                let slug = default_slug(&relative);
                found.push((Member { slug, source, relative }, entry_path.clone()));
            }
            if !any {
                register.diagnostics.push(
                    Diagnostic::new(
                        Code::RegisterGlobEmpty,
                        format!(
                            "`{written}` matches no project folder (with workbook.yaml) and no `.json` record"
                        ),
                    )
                    .at(at(&entry_path))
                    .help("check the glob, or remove it"),
                );
            }
            continue;
        }
        let relative =
            written.split('/').filter(|s| !s.is_empty() && *s != ".").collect::<Vec<_>>().join("/");
        let path = root.join(&relative);
        let Some(source) = source_of(&path, true) else {
            register.diagnostics.push(refuse(
                if path.exists() {
                    format!(
                        "`{written}` is neither a project folder (with workbook.yaml) nor a `.json` record"
                    )
                } else {
                    format!("`{written}` does not exist")
                },
                "a member is a folder holding workbook.yaml, or a workbook.json file",
            ));
            continue;
        };
        let slug_place = slug_path.filter(|_| slug.is_some()).unwrap_or(entry_path);
        let slug = slug.map_or_else(|| default_slug(&relative), str::to_owned);
        found.push((Member { slug, source, relative }, slug_place));
    }
    // Slugs: valid page names, unique; the first entry keeps a slug another wants.
    let mut taken: BTreeMap<String, String> = BTreeMap::new();
    for (member, place) in found {
        if let Some(why) = bad_slug(&member.slug) {
            register.diagnostics.push(
                Diagnostic::new(
                    Code::RegisterMember,
                    format!("`{}` (from `{}`) cannot be a member's slug: {why}", member.slug, member.relative),
                )
                .at(at(&place))
                .help("give the member a `slug:` of lowercase letters, digits and hyphens: `- {path: ..., slug: referrals}`"),
            );
            continue;
        }
        if let Some(first) = taken.get(&member.slug) {
            register.diagnostics.push(
                Diagnostic::new(
                    Code::RegisterMember,
                    format!(
                        "`{}` and `{first}` would both be published as `{}/`",
                        member.relative, member.slug
                    ),
                )
                .at(at(&place))
                .help("give one of them another `slug:`: `- {path: ..., slug: another-name}`"),
            );
            continue;
        }
        taken.insert(member.slug.clone(), member.relative.clone());
        register.members.push(member);
    }
    register.members.sort_by(|a, b| a.slug.cmp(&b.slug));
    register.settings = Some(settings);
    register
}

/// Why a member's path as written cannot be used, if it cannot: refused as a project's paths are
/// (a `\`, a control character, an absolute path or drive letter), but `..` is allowed.
fn member_path(written: &str) -> Result<(), &'static str> {
    if written.contains('\\') {
        return Err("`\\` is not a separator in register paths; write `/`");
    }
    if written.chars().any(char::is_control) {
        return Err("the path holds a control character");
    }
    if written.starts_with('/') || written.split('/').next().is_some_and(|first| first.contains(':')) {
        return Err("the path is absolute, so the register would build differently on another machine");
    }
    if written.split('/').all(|s| s.is_empty() || s == ".") {
        return Err("the path is empty");
    }
    Ok(())
}

/// What `path` is as a member: a folder holding workbook.yaml, or a `.json` file. A named member that
/// is a folder is taken as a project even without settings, so check reports it missing (E008).
fn source_of(path: &Path, named: bool) -> Option<MemberSource> {
    if path.is_dir() {
        (named || path.join(crate::load::SETTINGS_FILE).is_file())
            .then(|| MemberSource::Project(path.to_path_buf()))
    } else if path.is_file() && path.extension().is_some_and(|e| e == "json") {
        Some(MemberSource::Record(path.to_path_buf()))
    } else {
        None
    }
}

/// A member's slug when none is given: its folder's name, or its record file's name without `.json`.
fn default_slug(relative: &str) -> String {
    let last = relative.rsplit('/').next().unwrap_or(relative);
    last.strip_suffix(".json").unwrap_or(last).to_owned()
}

/// Why `slug` is not a member's slug, if it is not.
fn bad_slug(slug: &str) -> Option<&'static str> {
    if slug.is_empty() {
        return Some("it is empty");
    }
    if !slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
        return Some("a slug is lowercase letters, digits and hyphens");
    }
    if RESERVED_SLUGS.contains(&slug) {
        return Some("the register's own pages use that name");
    }
    None
}

/// The paths under `root` (relative, `/`-separated, sorted) that `pattern` matches, segment by
/// segment (`*` any run of characters but `/`, `?` one character; a segment starting with `.`
/// is matched only by a pattern segment that does too; a folder a build wrote is skipped), and the
/// links met on the way that lead outside the register folder, which are not followed.
fn glob(root: &Path, pattern: &str) -> (Vec<String>, Vec<String>) {
    let segments: Vec<&str> = pattern.split('/').filter(|s| !s.is_empty() && *s != ".").collect();
    let inside = root.canonicalize().ok();
    let mut current = vec![String::new()];
    let mut outside = Vec::new();
    for (i, segment) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        let mut next = Vec::new();
        for dir in &current {
            let folder = if dir.is_empty() { root.to_path_buf() } else { root.join(dir) };
            let Ok(read) = std::fs::read_dir(&folder) else { continue };
            let mut names: Vec<String> =
                read.filter_map(|e| e.ok()).filter_map(|e| e.file_name().into_string().ok()).collect();
            names.sort();
            for name in names {
                if name.starts_with('.') && !segment.starts_with('.') {
                    continue;
                }
                if !segment_matches(segment, &name) {
                    continue;
                }
                let relative = if dir.is_empty() { name } else { format!("{dir}/{name}") };
                let path = root.join(&relative);
                let leads_inside = match (&inside, path.canonicalize()) {
                    (Some(inside), Ok(target)) => target.starts_with(inside),
                    _ => false,
                };
                if !leads_inside {
                    if path.symlink_metadata().is_ok_and(|m| m.file_type().is_symlink()) {
                        outside.push(relative);
                    }
                    continue;
                }
                // A site a build wrote (its marker inside) is never a member, nor searched for one:
                // `*/*.json` must not read the register's own output back in.
                if path.join(crate::write::MARKER).is_file() {
                    continue;
                }
                if last || path.is_dir() {
                    next.push(relative);
                }
            }
        }
        current = next;
    }
    (current, outside)
}

/// True when `name` matches one segment of a glob: `*` any run of characters, `?` one, `[abc]` one of.
fn segment_matches(pattern: &str, name: &str) -> bool {
    let pattern: Vec<char> = pattern.chars().collect();
    let name: Vec<char> = name.chars().collect();
    // Iterative matching with backtracking to the last `*`, linear in practice.
    let (mut p, mut n) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while n < name.len() {
        match pattern.get(p) {
            Some('*') => {
                star = Some((p, n));
                p += 1;
                continue;
            }
            Some('?') => {
                p += 1;
                n += 1;
                continue;
            }
            Some('[') => {
                if let Some(close) = pattern[p + 1..].iter().position(|&c| c == ']') {
                    let set = &pattern[p + 1..p + 1 + close];
                    if set.contains(&name[n]) {
                        p += close + 2;
                        n += 1;
                        continue;
                    }
                } else if name[n] == '[' {
                    p += 1;
                    n += 1;
                    continue;
                }
            }
            Some(&c) if c == name[n] => {
                p += 1;
                n += 1;
                continue;
            }
            _ => {}
        }
        match star {
            Some((sp, sn)) => {
                p = sp + 1;
                n = sn + 1;
                star = Some((sp, sn + 1));
            }
            None => return false,
        }
    }
    pattern[p..].iter().all(|&c| c == '*')
}

/// Moves a member's diagnostics under the member's path, so that each file is shown relative to the
/// register folder (`tools/referrals/answers/04-risks.md`); one with no file names the member's
/// folder or record.
pub fn under_member(member: &Member, diagnostics: &mut [Diagnostic]) {
    for d in diagnostics {
        match &mut d.location {
            Some(location) => {
                location.file = match member.source {
                    MemberSource::Record(_) => member.relative.clone(),
                    MemberSource::Project(_) => format!("{}/{}", member.relative, location.file),
                }
            }
            None => {
                let file = display_path(Path::new(&member.relative));
                *d = d.clone().in_file(Path::new(&file));
            }
        }
    }
}

/// The source file of `register.yaml` as read, for tests and tools that point into it.
pub fn read_settings_file(root: &Path) -> Result<SourceFile, Diagnostic> {
    crate::load::read_text(&WorkingTree::new(root), Path::new(REGISTER_FILE), MAX_REGISTER_BYTES)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_segments_match_as_a_shell_does() {
        assert!(segment_matches("*", "referrals"));
        assert!(segment_matches("*.json", "northfield.json"));
        assert!(!segment_matches("*.json", "northfield.yaml"));
        assert!(segment_matches("tool-?", "tool-a"));
        assert!(!segment_matches("tool-?", "tool-ab"));
        assert!(segment_matches("[ab]*", "beta"));
        assert!(!segment_matches("[ab]*", "gamma"));
        assert!(segment_matches("a*b*c", "axxbyyc"));
        assert!(!segment_matches("a*b*c", "axxbyy"));
    }

    #[test]
    fn slugs_are_page_names_and_not_the_registers_own() {
        assert_eq!(bad_slug("early-help-2"), None);
        assert!(bad_slug("Early_Help").is_some());
        assert!(bad_slug("").is_some());
        assert!(bad_slug("assets").is_some());
        assert_eq!(default_slug("records/northfield.json"), "northfield");
        assert_eq!(default_slug("../other-tool"), "other-tool");
    }

    #[test]
    fn member_paths_are_relative_and_plain() {
        assert!(member_path("../other-tool").is_ok());
        assert!(member_path("/srv/tool").is_err());
        assert!(member_path("C:/tool").is_err());
        assert!(member_path("tools\\a").is_err());
        assert!(member_path("tools/\u{7}").is_err());
        assert!(member_path("./").is_err());
    }
}
