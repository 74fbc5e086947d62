//! The register's own pages and files (`register::site::render`), from the records of fixtures: the
//! list and filter pages, `register.json`, `register.csv`, the feed, the sitemap index and the
//! internal reviewers' page.

use crate::support::fixtures;
use workbook::build::{BuildOptions, load_record};
use workbook::history::Commit;
use workbook::record::{Audience, Record};
use workbook::register::site::{self, MemberSite, RegisterInfo};
use workbook::write::Files;

fn options(audience: Audience) -> BuildOptions {
    BuildOptions { audience, base_url: None, today: jiff::civil::date(2027, 1, 15) }
}

/// Four members: the example project, the retired tool, the kitchen sink and the half-answered
/// fixture (moved to the example's council, so that one organisation has two tools), by slug. Their
/// history is this repository's, which grows: the tests give them their own.
pub fn records(audience: Audience) -> Vec<(&'static str, Record)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let load = |path: std::path::PathBuf| match load_record(&path, &options(audience)) {
        Ok(mut record) => {
            record.changes.clear();
            record.questions.iter_mut().for_each(|q| q.history.clear());
            record
        }
        Err(errors) => panic!("{} does not load: {errors:?}", path.display()),
    };
    let mut matching = load(fixtures().join("half-answered"));
    matching.organisation.name = "Northfield Borough Council".into();
    vec![
        ("early-help", load(root.join("example-project"))),
        ("profiling", load(fixtures().join("retired-tool"))),
        ("placements", load(fixtures().join("kitchen-sink"))),
        ("matching", matching),
    ]
}

pub fn info(base_url: Option<&str>) -> RegisterInfo {
    RegisterInfo {
        title: "Children's services algorithm register".into(),
        organisation: "Northfield Borough Council".into(),
        base_url: base_url.map(str::to_owned),
        language: "en".into(),
        contact_email: "data.ethics@northfield.example".into(),
    }
}

pub fn render(records: &[(&'static str, Record)], base_url: Option<&str>, audience: Audience) -> Files {
    let jsons: Vec<String> = records.iter().map(|(_, record)| site::compact(record)).collect();
    let members: Vec<MemberSite> = records
        .iter()
        .zip(&jsons)
        .map(|((slug, record), json)| MemberSite { slug, record, record_json: json, from_record: false })
        .collect();
    site::render(&info(base_url), &members, audience).expect("the register renders")
}

fn text<'a>(files: &'a Files, path: &str) -> &'a str {
    let bytes =
        files.get(path).unwrap_or_else(|| panic!("no {path} in {:?}", files.keys().collect::<Vec<_>>()));
    std::str::from_utf8(bytes).expect("UTF-8")
}

/// The member links of a page's table of tools, in order.
fn tool_links(html: &str) -> Vec<String> {
    html.split("<th scope=\"row\"><a href=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap_or_default().to_owned())
        .collect()
}

#[test]
fn the_home_page_lists_every_tool_by_organisation_then_tool() {
    let files = render(&records(Audience::Public), None, Audience::Public);
    let home = text(&files, "index.html");
    assert_eq!(
        tool_links(home),
        ["profiling/index.html", "placements/index.html", "early-help/index.html", "matching/index.html"],
        "Fernmoor, Kitchen Sink, then Northfield's two tools by name"
    );
    assert!(home.contains("<caption class=\"table__caption table__caption--desc\" id=\"tools-caption\">All 4 tools, by organisation</caption>"));
    assert!(home.contains("<th scope=\"col\">Reviews overdue</th>"));
    assert!(home.contains("<strong class=\"tag tag--phase\">Retired</strong>"));
    assert!(home.contains("<a href=\"organisations/index.html\">by organisation</a>"));
    assert!(home.contains("<a href=\"phases/index.html\">by phase</a>"));
    // The filter is the script's to add: the page holds no input of its own, only the script.
    assert!(home.contains("<script src=\"assets/register-filter.js\" defer></script>"));
    assert!(!home.contains("<input"));
    assert!(home.contains("data-register-filter"));
    assert!(!home.contains("reviewers.html"), "the public home page does not link the reviewers' page");
    let example = &records(Audience::Public)[0].1;
    let percent = format!("<td>{}%</td>", example.progress.percent);
    assert!(home.contains(&percent), "completeness is shown");
}

#[test]
fn organisation_and_phase_pages_hold_their_rows_with_links_from_their_folder() {
    let files = render(&records(Audience::Public), None, Audience::Public);
    let northfield = text(&files, "organisations/northfield-borough-council.html");
    assert_eq!(tool_links(northfield), ["../early-help/index.html", "../matching/index.html"]);
    assert!(northfield.contains("href=\"../assets/style.css\""));
    assert!(northfield.contains("<a href=\"../index.html\">All tools</a>"));
    assert!(!northfield.contains("register-filter.js"), "the script is the home page's alone");
    let fernmoor = text(&files, "organisations/fernmoor-district-council.html");
    assert_eq!(tool_links(fernmoor), ["../profiling/index.html"]);
    let organisations = text(&files, "organisations/index.html");
    assert!(organisations.contains("<a href=\"../organisations/northfield-borough-council.html\">Northfield Borough Council</a> (2 tools)"));

    assert_eq!(tool_links(text(&files, "phases/retired.html")), ["../profiling/index.html"]);
    assert_eq!(tool_links(text(&files, "phases/implement.html")), ["../placements/index.html"]);
    assert_eq!(tool_links(text(&files, "phases/develop.html")), ["../early-help/index.html"]);
    assert_eq!(tool_links(text(&files, "phases/explore.html")), ["../matching/index.html"]);
    let mut without_explore = records(Audience::Public);
    without_explore.pop();
    let files = render(&without_explore, None, Audience::Public);
    assert!(!files.contains_key("phases/explore.html"), "a phase without tools has no page");
    let phases = text(&files, "phases/index.html");
    assert!(!phases.contains("explore.html"));
    assert!(phases.contains("<a href=\"../phases/retired.html\">Retired</a> (1 tool)"));
}

#[test]
fn the_reviewers_page_is_internal_only_and_covers_every_question_of_every_member() {
    let public = render(&records(Audience::Public), None, Audience::Public);
    assert!(!public.contains_key("reviewers.html"));
    assert!(public.values().all(|bytes| !String::from_utf8_lossy(bytes).contains("reviewers.html")));

    let records = records(Audience::Internal);
    let internal = render(&records, None, Audience::Internal);
    let reviewers = text(&internal, "reviewers.html");
    let questions: usize = records.iter().map(|(_, r)| r.questions.len()).sum();
    assert_eq!(reviewers.matches("<th scope=\"row\">").count(), questions);
    let overdue: usize = records.iter().map(|(_, r)| r.questions.iter().filter(|q| q.overdue).count()).sum();
    assert_eq!(reviewers.matches("<strong class=\"tag tag--red\">Overdue</strong>").count(), overdue);
    assert!(reviewers.contains("href=\"placements/01-"), "questions link into the member's site");
    assert!(text(&internal, "index.html").contains("href=\"reviewers.html\""));
    assert!(text(&internal, "index.html").contains("Internal build for the oversight group"));
    assert!(text(&internal, "robots.txt").contains("Disallow: /"));
}

#[test]
fn nothing_internal_reaches_a_public_register() {
    // The kitchen sink marks its internal material INTERNAL-<n>.
    let public = render(&records(Audience::Public), None, Audience::Public);
    for (path, bytes) in &public {
        assert!(!String::from_utf8_lossy(bytes).contains("INTERNAL-"), "{path} holds internal material");
    }
    let internal = render(&records(Audience::Internal), None, Audience::Internal);
    assert!(text(&internal, "register.json").contains("INTERNAL-"), "the internal register.json holds it");
}

#[test]
fn register_json_holds_every_record_under_its_slug() {
    let records = records(Audience::Public);
    let files = render(&records, Some("https://register.example/"), Audience::Public);
    let json: serde_json::Value = serde_json::from_str(text(&files, "register.json")).expect("JSON");
    assert_eq!(json["schema_version"], site::SCHEMA_VERSION);
    assert_eq!(json["register"]["base_url"], "https://register.example/");
    assert_eq!(json["register"]["contact"]["email"], "data.ethics@northfield.example");
    let slugs: Vec<&str> =
        json["members"].as_array().expect("members").iter().filter_map(|m| m["slug"].as_str()).collect();
    assert_eq!(slugs, ["profiling", "placements", "early-help", "matching"]);
    let (_, example) = &records[0];
    assert_eq!(json["members"][2]["record"], serde_json::to_value(example).expect("record"));
}

#[test]
fn register_csv_has_a_guarded_row_per_tool() {
    let mut records = records(Audience::Public);
    records[3].1.tool.summary = "=HYPERLINK(\"https://evil.example\")".into();
    let files = render(&records, Some("https://register.example/"), Audience::Public);
    let csv = text(&files, "register.csv");
    assert!(csv.starts_with('\u{feff}'), "a BOM for spreadsheets");
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines[0], site::CSV_COLUMNS.join(","));
    assert_eq!(lines.len(), 5);
    assert!(
        lines[1]
            .starts_with("profiling,Fernmoor District Council,Early Help Family Profiling System,retired,")
    );
    assert!(lines[1].ends_with(",https://register.example/profiling/"));
    assert!(lines[4].contains(",\"'=HYPERLINK(\"\"https://evil.example\"\")\","), "{}", lines[4]);
}

fn commit(hash: &str, date: &str, subject: &str) -> Commit {
    Commit {
        hash: hash.into(),
        date: date.into(),
        author: String::new(),
        subject: subject.into(),
        files: Vec::new(),
        changes: Vec::new(),
    }
}

#[test]
fn the_feed_merges_every_members_changes_newest_first() {
    let mut records = records(Audience::Public);
    records[0].1.changes = vec![
        commit("a".repeat(40).as_str(), "2026-03-01T09:00:00+00:00", "Example third"),
        commit("b".repeat(40).as_str(), "2026-01-01T09:00:00+00:00", "Example first"),
    ];
    // Ten in the morning in Paris is nine in London: sorted by the instant, not the text.
    records[1].1.changes =
        vec![commit("c".repeat(40).as_str(), "2026-02-01T10:30:00+01:00", "Retired second")];
    // The same commit in two members of one repository: an entry for each.
    records[2].1.changes = vec![commit("b".repeat(40).as_str(), "2026-01-01T09:00:00+00:00", "Shared")];
    let files = render(&records, Some("https://register.example/"), Audience::Public);
    let feed = text(&files, "feed.xml");
    let titles: Vec<&str> = feed
        .split("<entry>\n    <title>")
        .skip(1)
        .map(|rest| rest.split("</title>").next().unwrap_or_default())
        .collect();
    assert_eq!(
        titles,
        [
            "Early Help Unmet Need Dashboard: Example third",
            "Early Help Family Profiling System: Retired second",
            "Children&#39;s Placement Sufficiency and Unmet Need Forecasting Dashboard for Commissioners: Shared",
            "Early Help Unmet Need Dashboard: Example first",
        ]
        .map(|t| t.replace("&#39;", &workbook::site::xml_escape("'"))),
    );
    assert!(feed.contains(&format!("<id>urn:workbook:register:early-help:{}</id>", "b".repeat(40))));
    assert!(feed.contains(&format!("<id>urn:workbook:register:placements:{}</id>", "b".repeat(40))));
    assert!(feed.contains("href=\"https://register.example/profiling/changes.html#commit-ccccccc\""));
    assert!(feed.contains("<updated>2026-03-01T09:00:00+00:00</updated>\n  <link rel=\"self\""));
    assert!(feed.contains("<id>https://register.example/feed.xml</id>"));
}

#[test]
fn the_sitemap_is_an_index_of_the_members_sitemaps_and_the_registers_own() {
    let files = render(&records(Audience::Public), Some("https://register.example/"), Audience::Public);
    let index = text(&files, "sitemap.xml");
    assert!(index.contains("<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"));
    let locs: Vec<&str> =
        index.split("<loc>").skip(1).map(|rest| rest.split("</loc>").next().unwrap_or_default()).collect();
    assert_eq!(
        locs,
        [
            "https://register.example/sitemap-register.xml",
            "https://register.example/profiling/sitemap.xml",
            "https://register.example/placements/sitemap.xml",
            "https://register.example/early-help/sitemap.xml",
            "https://register.example/matching/sitemap.xml",
        ]
    );
    let own = text(&files, "sitemap-register.xml");
    assert!(own.contains("<loc>https://register.example/</loc>"));
    assert!(own.contains("<loc>https://register.example/organisations/fernmoor-district-council.html</loc>"));
    assert!(own.contains("<loc>https://register.example/phases/retired.html</loc>"));
    assert!(text(&files, "robots.txt").contains("Sitemap: https://register.example/sitemap.xml"));
}

#[test]
fn the_register_is_the_same_whatever_order_its_members_come_in() {
    let records = records(Audience::Internal);
    let first = render(&records, None, Audience::Internal);
    let mut reversed = records.clone();
    reversed.reverse();
    assert_eq!(first, render(&reversed, None, Audience::Internal));
    assert!(first.contains_key("assets/register-filter.js") && first.contains_key("assets/style.css"));
}

#[test]
fn register_json_validates_against_its_schema_in_both_audiences() {
    let output = crate::support::workbook().args(["schema", "--for", "register"]).output().expect("runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let schema: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(schema["title"], "workbook register.json");
    let validator = jsonschema::draft7::new(&schema).expect("a draft-07 schema");
    for audience in [Audience::Public, Audience::Internal] {
        let files = render(&records(audience), Some("https://register.example/"), audience);
        let json: serde_json::Value = serde_json::from_str(text(&files, "register.json")).expect("JSON");
        let errors: Vec<String> = validator.iter_errors(&json).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{audience:?}: {errors:?}");
    }
    // The schema holds register.json to its shape: a member without its record fails.
    let files = render(&records(Audience::Public), None, Audience::Public);
    let mut broken: serde_json::Value = serde_json::from_str(text(&files, "register.json")).expect("JSON");
    broken["members"][0].as_object_mut().expect("a member").remove("record");
    assert!(!validator.is_valid(&broken));
}

#[test]
fn a_member_read_back_from_its_workbook_json_is_listed_as_from_source() {
    let records = records(Audience::Public);
    let from_source = render(&records, Some("https://register.example/"), Audience::Public);
    // The retired tool as a register gets it from a council's CI: its published workbook.json.
    let json = serde_json::to_vec(&records[1].1).expect("the record serializes");
    let published =
        Record::from_json(&json, std::path::Path::new("records/profiling.json")).expect("reads back");
    let chosen: Vec<(&str, &Record, bool)> = records
        .iter()
        .map(|(slug, record)| {
            let from_record = *slug == "profiling";
            (*slug, if from_record { &published } else { record }, from_record)
        })
        .collect();
    let jsons: Vec<String> = chosen.iter().map(|(_, record, _)| site::compact(record)).collect();
    let members: Vec<MemberSite> = chosen
        .iter()
        .zip(&jsons)
        .map(|((slug, record, from_record), json)| MemberSite {
            slug,
            record,
            record_json: json,
            from_record: *from_record,
        })
        .collect();
    let from_json = site::render(&info(Some("https://register.example/")), &members, Audience::Public)
        .expect("the register renders");
    assert_eq!(from_source, from_json);
}

#[test]
fn the_register_home_and_an_organisation_page_as_approved() {
    let mut records = records(Audience::Public);
    // Dates that do not move with this repository's history.
    for (i, (_, record)) in records.iter_mut().enumerate() {
        record.last_updated = Some(format!("2026-0{}-15", i + 1));
    }
    let files = render(&records, Some("https://register.example/"), Audience::Public);
    insta::assert_snapshot!("register-home", text(&files, "index.html"));
    insta::assert_snapshot!(
        "register-organisation",
        text(&files, "organisations/northfield-borough-council.html")
    );
}

#[test]
fn the_registers_pages_are_the_same_from_a_members_listing_as_from_its_whole_record() {
    for audience in [Audience::Public, Audience::Internal] {
        let mut records = records(audience);
        // A change that touched a question, so that the feed reads the questions' history too.
        let change = commit("d".repeat(40).as_str(), "2026-04-01T09:00:00+00:00", "Risks reviewed");
        records[0].1.changes = vec![change.clone()];
        records[0].1.questions[3].history = vec![change];
        let whole = render(&records, Some("https://register.example/"), audience);
        // What a register build keeps of each member: the listing, and the whole record as JSON.
        let jsons: Vec<String> = records.iter().map(|(_, record)| site::compact(record)).collect();
        let listed: Vec<Record> =
            records.iter().map(|(_, record)| workbook::register::build::listing(record.clone())).collect();
        let members: Vec<MemberSite> = records
            .iter()
            .zip(&listed)
            .zip(&jsons)
            .map(|(((slug, _), record), json)| MemberSite {
                slug,
                record,
                record_json: json,
                from_record: false,
            })
            .collect();
        let from_listing = site::render(&info(Some("https://register.example/")), &members, audience)
            .expect("the register renders");
        assert_eq!(whole, from_listing, "{audience:?}");
        assert!(text(&whole, "feed.xml").contains("Question 4"), "the feed names the question changed");
    }
}
