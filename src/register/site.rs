//! The register's own files, beside its members' sites (each under `<slug>/`): the home page listing
//! every tool, a page per organisation and per phase (so the list can be narrowed without
//! JavaScript), a small optional filter script, `register.json`, `register.csv`, one Atom feed of
//! every member's changes, a sitemap index and, for the internal audience only, a reviewers' page
//! across members.
//!
//! Everything here is read from the members' records, which are already their audience's
//! projection: nothing internal reaches a public register because nothing internal is in a public
//! record.

use crate::diagnostic::{Code, Diagnostic};
use crate::plan::paths;
use crate::record::{Audience, Record};
use crate::site::{feed, sitemap};
use crate::write::Files;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// Version of `register.json`'s shape; raised when a field changes meaning or is removed.
pub const SCHEMA_VERSION: u32 = 1;

/// The register's settings, as `register.yaml` gives them.
#[derive(Debug, Clone)]
pub struct RegisterInfo {
    /// The register's title.
    pub title: String,
    /// Who publishes the register.
    pub organisation: String,
    /// The address the register is published at, ending in `/`; a member's site is at
    /// `<base_url><slug>/`.
    pub base_url: Option<String>,
    /// The language of the register's pages.
    pub language: String,
    /// The register's public contact address.
    pub contact_email: String,
}

/// One member's site, as the register lists it.
#[derive(Debug, Clone, Copy)]
pub struct MemberSite<'a> {
    /// The folder of the member's site in the register, and its name in the register's data.
    pub slug: &'a str,
    /// The member's record, for the register's audience.
    pub record: &'a Record,
    /// The record as compact JSON ([`compact`]), as `register.json` holds it.
    pub record_json: &'a str,
    /// True when the member was read from a published `workbook.json` rather than from its source.
    pub from_record: bool,
}

/// The home page.
pub const HOME: &str = "index.html";
/// The list of organisations.
pub const ORGANISATIONS: &str = "organisations/index.html";
/// The list of phases.
pub const PHASES: &str = "phases/index.html";
/// The reviewers' page across members (internal builds only).
pub const REVIEWERS: &str = "reviewers.html";
/// Every member's record, as data.
pub const JSON: &str = "register.json";
/// A row per tool.
pub const CSV: &str = "register.csv";
/// The feed of every member's changes.
pub const FEED: &str = "feed.xml";
/// The sitemap index.
pub const SITEMAP: &str = "sitemap.xml";
/// The sitemap of the register's own pages.
pub const SITEMAP_REGISTER: &str = "sitemap-register.xml";
/// The robots file.
pub const ROBOTS: &str = "robots.txt";
/// The filter script.
pub const FILTER_SCRIPT: &str = "assets/register-filter.js";

/// The page of an organisation, by its name's slug.
pub fn organisation_page(slug: &str) -> String {
    format!("organisations/{slug}.html")
}

/// The page of a phase (explore, develop, implement, retired).
pub fn phase_page(phase: &str) -> String {
    format!("phases/{phase}.html")
}

/// The register's own assets, by output path: its stylesheet and filter script, beside the theme's.
pub const REGISTER_ASSETS: &[(&str, &[u8])] = &[
    (FILTER_SCRIPT, include_bytes!("../../themes/default/static/assets/register-filter.js")),
    ("assets/register.css", include_bytes!("../../themes/default/static/assets/register.css")),
];

macro_rules! embed {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../themes/default/templates/", $name))),)*]
    };
}

/// The register's templates, by name (the theme's date partial among them, so dates read as on a
/// member's site).
const TEMPLATES: &[(&str, &str)] = embed![
    "register/base.html",
    "register/tools.html",
    "register/organisations.html",
    "register/phases.html",
    "register/reviewers.html",
    "register/tools-table.html",
    "register/phase-name.html",
    "partials/date.html",
];

/// The register's templates, parsed once for every register built by this process.
fn templates() -> Result<&'static tera::Tera, Diagnostic> {
    static PARSED: OnceLock<Result<tera::Tera, String>> = OnceLock::new();
    let parsed = PARSED.get_or_init(|| {
        let mut tera = tera::Tera::new();
        tera.autoescape_on(vec![".html", ".xml"]);
        tera.add_raw_templates(TEMPLATES.iter().map(|(n, t)| (*n, *t)))
            .map(|()| tera)
            .map_err(|e| e.to_string())
    });
    parsed.as_ref().map_err(|e| template_error(e))
}

fn template_error(message: &str) -> Diagnostic {
    Diagnostic::new(Code::Template, format!("a register template failed: {message}"))
        .help("this is a bug in workbook")
}

/// One tool, as a row of the register's tables.
#[derive(Debug, Clone, Serialize)]
struct ToolRow<'a> {
    slug: &'a str,
    organisation: &'a str,
    organisation_page: String,
    tool: &'a str,
    phase: &'static str,
    summary: &'a str,
    percent: u32,
    last_updated: Option<&'a str>,
    overdue: usize,
    /// The member's home page, relative to the register's root.
    home: String,
}

/// An organisation and its page.
#[derive(Debug, Clone, Serialize)]
struct OrganisationView {
    name: String,
    file: String,
    tools: usize,
}

/// A phase that has tools, and its page.
#[derive(Debug, Clone, Serialize)]
struct PhaseView {
    id: &'static str,
    file: String,
    tools: usize,
}

/// One question of one member, as a row of the reviewers' page.
#[derive(Debug, Clone, Serialize)]
struct ReviewRow<'a> {
    slug: &'a str,
    tool: &'a str,
    organisation: &'a str,
    number: u32,
    title: &'a str,
    file: String,
    owner: Option<&'a str>,
    last_reviewed: Option<&'a str>,
    next_review: Option<&'a str>,
    overdue: bool,
}

/// Orders text as a reader expects in a list: without regard to case, then exactly.
fn reading_order(a: &str, b: &str) -> std::cmp::Ordering {
    a.to_lowercase().cmp(&b.to_lowercase()).then_with(|| a.cmp(b))
}

/// The members sorted by organisation, then tool, then slug.
fn sorted<'m, 'a>(members: &'m [MemberSite<'a>]) -> Vec<&'m MemberSite<'a>> {
    let mut sorted: Vec<&MemberSite> = members.iter().collect();
    sorted.sort_by(|a, b| {
        reading_order(&a.record.organisation.name, &b.record.organisation.name)
            .then_with(|| reading_order(&a.record.tool.name, &b.record.tool.name))
            .then_with(|| a.slug.cmp(b.slug))
    });
    sorted
}

/// Each organisation's name and the slug of its page: the name's slug, with `-2`, `-3` … after it
/// for a second organisation whose name gives the same slug (in reading order, so it is stable).
fn organisation_slugs(members: &[&MemberSite]) -> BTreeMap<String, String> {
    unique_slugs(members.iter().map(|m| m.record.organisation.name.as_str()))
}

fn unique_slugs<'a>(names: impl Iterator<Item = &'a str>) -> BTreeMap<String, String> {
    let mut names: Vec<&str> = names.collect();
    names.sort_by(|a, b| reading_order(a, b));
    names.dedup();
    let mut taken = std::collections::BTreeSet::new();
    let mut slugs = BTreeMap::new();
    for name in names {
        let stem = match feed::slug(name) {
            s if s.is_empty() => "organisation".to_owned(),
            s => s,
        };
        let mut slug = stem.clone();
        let mut n = 1;
        while !taken.insert(slug.clone()) {
            n += 1;
            slug = format!("{stem}-{n}");
        }
        slugs.insert(name.to_owned(), slug);
    }
    slugs
}

/// The register's base URL, as every address is made from it: ending in `/`; none when blank.
fn normalised_base_url(base_url: Option<&str>) -> Option<String> {
    let base = base_url.map(str::trim).filter(|b| !b.is_empty())?;
    Some(if base.ends_with('/') { base.to_owned() } else { format!("{base}/") })
}

/// The register's own files for `audience` (not the members' sites): see the module's text.
pub fn render(info: &RegisterInfo, members: &[MemberSite], audience: Audience) -> Result<Files, Diagnostic> {
    let mut files = render_pages(info, members, audience)?;
    files.insert(JSON.into(), json(info, members));
    Ok(files)
}

/// The register's files but `register.json` ([`write_json`]), which a register build writes as a
/// stream and `serve` only when it is asked for: at national scale it is a hundred megabytes, and
/// most saves change nothing else here.
pub fn render_pages(
    info: &RegisterInfo,
    members: &[MemberSite],
    audience: Audience,
) -> Result<Files, Diagnostic> {
    let info = &RegisterInfo { base_url: normalised_base_url(info.base_url.as_deref()), ..info.clone() };
    let tera = templates()?;
    let members = sorted(members);
    let org_slugs = organisation_slugs(&members);
    let rows: Vec<ToolRow> = members
        .iter()
        .map(|m| {
            let r = m.record;
            ToolRow {
                slug: m.slug,
                organisation: &r.organisation.name,
                organisation_page: organisation_page(&org_slugs[&r.organisation.name]),
                tool: &r.tool.name,
                phase: r.tool.phase.as_str(),
                summary: &r.tool.summary,
                percent: r.progress.percent,
                last_updated: r.last_updated.as_deref(),
                overdue: r.questions.iter().filter(|q| q.overdue).count(),
                home: format!("{}/{}", m.slug, paths::HOME),
            }
        })
        .collect();
    let organisations: Vec<OrganisationView> = {
        let mut seen: Vec<OrganisationView> = Vec::new();
        for row in &rows {
            match seen.last_mut() {
                Some(last) if last.name == row.organisation => last.tools += 1,
                _ => seen.push(OrganisationView {
                    name: row.organisation.to_owned(),
                    file: row.organisation_page.clone(),
                    tools: 1,
                }),
            }
        }
        seen
    };
    let phases: Vec<PhaseView> = [
        crate::load::settings::ToolPhase::Explore,
        crate::load::settings::ToolPhase::Develop,
        crate::load::settings::ToolPhase::Implement,
        crate::load::settings::ToolPhase::Retired,
    ]
    .into_iter()
    .map(|p| PhaseView {
        id: p.as_str(),
        file: phase_page(p.as_str()),
        tools: rows.iter().filter(|r| r.phase == p.as_str()).count(),
    })
    .filter(|p| p.tools > 0)
    .collect();

    let internal = audience.sees_internal();
    let shared = serde_json::json!({
        "register": {
            "title": info.title,
            "organisation": info.organisation,
            "language": info.language,
            "contact_email": info.contact_email,
        },
        "internal_build": internal,
        "links": {
            "home": HOME,
            "organisations": ORGANISATIONS,
            "phases": PHASES,
            "reviewers": if internal { Some(REVIEWERS) } else { None },
            "json": JSON,
            "csv": CSV,
            "feed": FEED,
            "filter_script": FILTER_SCRIPT,
        },
        "total_tools": rows.len(),
    });
    // The pages are planned first, then rendered in parallel: at national scale the home page alone
    // has a thousand rows.
    let mut planned: Vec<(String, &'static str, serde_json::Value)> = Vec::new();
    let mut page =
        |path: String, template: &'static str, context: serde_json::Value| -> Result<(), Diagnostic> {
            planned.push((path, template, context));
            Ok(())
        };
    page(
        HOME.to_owned(),
        "register/tools.html",
        serde_json::json!({ "kind": "home", "rows": rows, "filter": true }),
    )?;
    page(
        ORGANISATIONS.to_owned(),
        "register/organisations.html",
        serde_json::json!({ "kind": "organisations", "organisations": organisations }),
    )?;
    for org in &organisations {
        let org_rows: Vec<&ToolRow> = rows.iter().filter(|r| r.organisation == org.name).collect();
        page(
            org.file.clone(),
            "register/tools.html",
            serde_json::json!({ "kind": "organisation", "organisation": org.name, "rows": org_rows }),
        )?;
    }
    page(
        PHASES.to_owned(),
        "register/phases.html",
        serde_json::json!({ "kind": "phases", "phases": phases }),
    )?;
    for phase in &phases {
        let phase_rows: Vec<&ToolRow> = rows.iter().filter(|r| r.phase == phase.id).collect();
        page(
            phase.file.clone(),
            "register/tools.html",
            serde_json::json!({ "kind": "phase", "phase": phase.id, "rows": phase_rows }),
        )?;
    }
    if internal {
        let reviews: Vec<ReviewRow> = members
            .iter()
            .flat_map(|m| {
                m.record.questions.iter().map(|q| ReviewRow {
                    slug: m.slug,
                    tool: &m.record.tool.name,
                    organisation: &m.record.organisation.name,
                    number: q.number,
                    title: &q.title,
                    file: format!("{}/{}", m.slug, paths::question(q.number, &q.slug)),
                    owner: q.owner.as_deref(),
                    last_reviewed: q.last_reviewed.as_deref(),
                    next_review: q.next_review.as_deref(),
                    overdue: q.overdue,
                })
            })
            .collect();
        let overdue = reviews.iter().filter(|r| r.overdue).count();
        page(
            REVIEWERS.to_owned(),
            "register/reviewers.html",
            serde_json::json!({ "kind": "reviewers", "reviews": reviews, "overdue": overdue }),
        )?;
    }

    let rendered: Vec<(String, Vec<u8>)> = {
        use rayon::prelude::*;
        planned
            .into_par_iter()
            .map(|(path, template, context)| {
                let mut full = shared.clone();
                // The way back to the register's root from the page: `organisations/x.html` → `../`.
                let depth = path.matches('/').count();
                full["root"] = "../".repeat(depth).into();
                full["path"] = path.clone().into();
                full["page"] = context;
                let context =
                    tera::Context::from_serialize(&full).map_err(|e| template_error(&e.to_string()))?;
                let html = tera.render(template, &context).map_err(|e| {
                    let mut message = e.to_string();
                    let mut source = std::error::Error::source(&e);
                    while let Some(cause) = source {
                        message.push_str(": ");
                        message.push_str(&cause.to_string());
                        source = cause.source();
                    }
                    template_error(&message)
                })?;
                Ok((path, html.into_bytes()))
            })
            .collect::<Result<_, Diagnostic>>()?
    };
    let pages: Vec<String> = rendered.iter().map(|(path, _)| path.clone()).collect();
    let mut files: Files = rendered.into_iter().collect();
    let base = info.base_url.as_deref().unwrap_or("");
    files.insert(CSV.into(), csv(info, &rows).into_bytes());
    files.insert(FEED.into(), register_feed(info, &members).into_bytes());
    let newest = members.iter().filter_map(|m| m.record.last_updated.as_deref()).max();
    let register_pages = pages.iter().filter(|p| p.as_str() != REVIEWERS);
    files.insert(
        SITEMAP_REGISTER.into(),
        sitemap::urlset(base, register_pages.map(|p| (p.as_str(), newest))).into_bytes(),
    );
    let member_sitemaps: Vec<(String, Option<&str>)> = members
        .iter()
        .map(|m| (format!("{}/{}", m.slug, paths::SITEMAP), m.record.last_updated.as_deref()))
        .collect();
    let sitemaps = std::iter::once((SITEMAP_REGISTER, newest))
        .chain(member_sitemaps.iter().map(|(path, day)| (path.as_str(), *day)));
    files.insert(SITEMAP.into(), sitemap::index(base, sitemaps).into_bytes());
    files.insert(ROBOTS.into(), robots(info, audience).into_bytes());
    for (path, bytes) in crate::render::templates::ASSETS.iter().chain(REGISTER_ASSETS) {
        files.insert((*path).to_owned(), bytes.to_vec());
    }
    Ok(files)
}

/// `register.json`: the register's settings and every member's record under its slug.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct RegisterJson<'a> {
    /// Version of this shape ([`SCHEMA_VERSION`]).
    pub schema_version: u32,
    /// Who publishes the register, and where.
    pub register: RegisterJsonInfo<'a>,
    /// Every member, sorted by organisation, then tool, then slug.
    pub members: Vec<RegisterJsonMember<'a>>,
}

/// The register's settings in `register.json`.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct RegisterJsonInfo<'a> {
    /// The register's title.
    pub title: &'a str,
    /// Who publishes it.
    pub organisation: &'a str,
    /// Where it is published, when known.
    pub base_url: Option<&'a str>,
    /// How to reach its publisher.
    pub contact: RegisterJsonContact<'a>,
}

/// The register's contact in `register.json`.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct RegisterJsonContact<'a> {
    /// The public contact address.
    pub email: &'a str,
}

/// One member in `register.json`.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct RegisterJsonMember<'a> {
    /// The folder of its site in the register.
    pub slug: &'a str,
    /// Its record, as its `workbook.json` holds it.
    pub record: &'a Record,
}

/// `register.json` ([`write_json`]).
pub fn json(info: &RegisterInfo, members: &[MemberSite]) -> Vec<u8> {
    let length: usize = members.iter().map(|m| m.record_json.len() + m.slug.len() + 32).sum();
    let mut json = Vec::with_capacity(length + 1024);
    // Writing into memory cannot fail.
    let _ = write_json(info, members, &mut json);
    json
}

/// Writes `register.json`, in the shape of [`RegisterJson`], compact, to `out`: every member's
/// record, sorted as the home page lists them, each as it was serialized when its member was built.
pub fn write_json(
    info: &RegisterInfo,
    members: &[MemberSite],
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let base_url = normalised_base_url(info.base_url.as_deref());
    let register = RegisterJsonInfo {
        title: &info.title,
        organisation: &info.organisation,
        base_url: base_url.as_deref(),
        contact: RegisterJsonContact { email: &info.contact_email },
    };
    write!(out, "{{\"schema_version\":{SCHEMA_VERSION},\"register\":{},\"members\":[", compact(&register))?;
    for (i, m) in sorted(members).into_iter().enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        write!(out, "{{\"slug\":{},\"record\":", compact(m.slug))?;
        out.write_all(m.record_json.as_bytes())?;
        out.write_all(b"}")?;
    }
    out.write_all(b"]}\n")
}

/// `value` as compact JSON, as `register.json` holds it (a member's record is serialized by this
/// once, when the member is built). A record is plain data (strings, numbers, lists), so it always
/// serializes; should it ever not, the value is left empty rather than the build stopped.
pub fn compact<T: Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// Columns of `register.csv`, one row per tool.
pub const CSV_COLUMNS: &[&str] = &[
    "slug",
    "organisation",
    "tool",
    "phase",
    "summary",
    "completeness_percent",
    "last_updated",
    "reviews_overdue",
    "url",
];

fn csv(info: &RegisterInfo, rows: &[ToolRow]) -> String {
    let base = info.base_url.as_deref().unwrap_or("");
    let cells = rows.iter().map(|r| {
        vec![
            r.slug.to_owned(),
            r.organisation.to_owned(),
            r.tool.to_owned(),
            r.phase.to_owned(),
            r.summary.to_owned(),
            r.percent.to_string(),
            r.last_updated.unwrap_or_default().to_owned(),
            r.overdue.to_string(),
            format!("{base}{}/", r.slug),
        ]
    });
    crate::export::csv::CsvWriter::new(true).write_rows(CSV_COLUMNS, cells)
}

/// The key that sorts RFC 3339 dates by the instant they name (offsets differ between members),
/// newest first; a date that does not parse sorts after every one that does.
fn newest_first(date: &str) -> std::cmp::Reverse<Option<jiff::Timestamp>> {
    std::cmp::Reverse(date.parse::<jiff::Timestamp>().ok())
}

fn register_feed(info: &RegisterInfo, members: &[&MemberSite]) -> String {
    let base = info.base_url.as_deref();
    let mut entries: Vec<(usize, feed::Entry)> = Vec::new();
    for m in members {
        let site = format!("{}{}/", base.unwrap_or(""), m.slug);
        for mut entry in feed::entries(m.record, &site) {
            // One commit may touch two members of one repository: each member's entry is its own.
            entry.id =
                format!("urn:workbook:register:{}:{}", m.slug, entry.id.trim_start_matches("urn:git:"));
            entry.title = format!("{}: {}", m.record.tool.name, entry.title);
            entries.push((entries.len(), entry));
        }
    }
    // Newest first; ties keep the members' order, and each member's own order.
    entries.sort_by_cached_key(|(i, e)| (newest_first(&e.updated), *i));
    entries.truncate(feed::MAX_ENTRIES);
    let updated = entries.first().map_or_else(
        || members.iter().map(|m| feed::updated(m.record)).min_by_key(|date| newest_first(date)),
        |(_, e)| Some(e.updated.clone()),
    );
    feed::write(&feed::Feed {
        language: info.language.clone(),
        title: format!("{}: changes", info.title),
        subtitle: format!("Changes to the records of every tool in {}", info.title),
        id: match base {
            Some(b) => format!("{b}{FEED}"),
            None => format!(
                "urn:workbook:register:{}",
                feed::slug(&format!("{} {}", info.organisation, info.title))
            ),
        },
        updated: updated.unwrap_or_else(|| String::from("1970-01-01T00:00:00Z")),
        self_href: base.map(|b| format!("{b}{FEED}")),
        alternate_href: format!("{}{HOME}", base.unwrap_or("")),
        author: info.organisation.clone(),
        entries: entries.into_iter().map(|(_, e)| e).collect(),
    })
}

fn robots(info: &RegisterInfo, audience: Audience) -> String {
    match audience {
        Audience::Internal => {
            "# An internal build: not for search engines.\nUser-agent: *\nDisallow: /\n".to_owned()
        }
        Audience::Public => {
            let mut out = String::from("User-agent: *\nAllow: /\n");
            if let Some(base) = &info.base_url {
                out += &format!("Sitemap: {base}{SITEMAP}\n");
            }
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn organisations_whose_names_give_one_slug_get_pages_of_their_own() {
        let names = ["St Helens Council", "St. Helens Council", "Ærø", "Bath"];
        let slugs = unique_slugs(names.iter().copied());
        assert_eq!(slugs["Bath"], "bath");
        assert_eq!(slugs["St Helens Council"], "st-helens-council");
        assert_eq!(slugs["St. Helens Council"], "st-helens-council-2");
        assert_eq!(slugs["Ærø"], "r", "letters outside ASCII drop out, as in the feed's ids");
        assert_eq!(unique_slugs(["!!!"].into_iter())["!!!"], "organisation");
    }

    #[test]
    fn a_base_url_ends_in_a_slash_and_a_blank_one_is_none() {
        assert_eq!(
            normalised_base_url(Some("https://r.example/reg")).as_deref(),
            Some("https://r.example/reg/")
        );
        assert_eq!(normalised_base_url(Some("https://r.example/")).as_deref(), Some("https://r.example/"));
        assert_eq!(normalised_base_url(Some("  ")), None);
        assert_eq!(normalised_base_url(None), None);
    }

    #[test]
    fn dates_sort_by_their_instant_newest_first_and_unreadable_ones_last() {
        let mut dates =
            ["2026-02-01T10:30:00+01:00", "not a date", "2026-02-01T09:45:00+00:00", "2026-01-01T00:00:00Z"];
        dates.sort_by_key(|d| newest_first(d));
        assert_eq!(
            dates,
            ["2026-02-01T09:45:00+00:00", "2026-02-01T10:30:00+01:00", "2026-01-01T00:00:00Z", "not a date"]
        );
    }
}
