//! Real records on the answer side: dates known to the year or month, figures as statisticians
//! publish them (counts, suppression, intervals, precision, honest scales), risks before and after
//! mitigation, and datasets no longer used.

use crate::build::{build, tree};
use crate::support::{copy_tree, diagnostics_json, fixtures, workbook};
use std::path::{Path, PathBuf};

/// The base fixture with `answer` as question 7's file (and `settings` appended to workbook.yaml).
fn project(answer: &str, settings: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("project");
    copy_tree(&fixtures().join("base"), &root);
    std::fs::write(root.join("answers/07-bias-and-disproportionate-impact.md"), answer).unwrap();
    if !settings.is_empty() {
        let mut yaml = std::fs::read_to_string(root.join("workbook.yaml")).unwrap();
        yaml.push_str(settings);
        std::fs::write(root.join("workbook.yaml"), yaml).unwrap();
    }
    (dir, root)
}

/// Question 7, in review (so published), with `lists` as the rest of its front matter.
fn answer(lists: &str) -> String {
    format!("---\nquestion: 7\nstatus: in-review\nsummary: Figures by group.\n{lists}---\n\nBody.\n")
}

fn page(out: &Path) -> String {
    std::fs::read_to_string(out.join("07-bias-and-disproportionate-impact.html")).unwrap()
}

fn check_json(root: &Path) -> Vec<serde_json::Value> {
    let output = workbook().args(["check", "--format", "json"]).arg(root).output().unwrap();
    diagnostics_json(&output.stdout)
}

fn export(root: &Path, format: &str, audience: &str) -> String {
    let output =
        workbook().args(["export", "--format", format, "--audience", audience]).arg(root).output().unwrap();
    assert!(output.status.success(), "export {format}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

/// The SVG of the first chart on a page.
fn first_chart(html: &str) -> &str {
    let start = html.find("<svg class=\"chart\"").expect("a chart");
    let end = start + html[start..].find("</svg>").expect("the chart ends");
    &html[start..end]
}

/// The `(x, width)` of each value bar of a chart, in the order drawn.
fn value_bars(svg: &str) -> Vec<(String, String)> {
    let bar =
        regex::Regex::new(r#"<rect class="chart-value" x="([^"]+)" y="[^"]+" width="([^"]+)""#).unwrap();
    // The key's swatch is measured in em, not in shares of the width.
    bar.captures_iter(svg)
        .filter(|c| !c[2].ends_with("em"))
        .map(|c| (c[1].to_owned(), c[2].to_owned()))
        .collect()
}

#[test]
fn a_year_a_month_or_a_day_is_accepted_and_shown_as_far_as_it_is_known() {
    let (_dir, root) = project(
        &answer(
            "engagement:\n  - who: Care leavers' forum\n    when: 2018\n  - who: Foster carers\n    when: 2018-05\n  - who: Social workers\n    when: 2018-05-03\nevidence:\n  - title: Equality impact assessment\n    kind: equality-impact\n    url: https://www.testshire.example/eia\n    date: 2019-11\n",
        ),
        "",
    );
    assert!(check_json(&root).iter().all(|d| d["severity"] != "error"), "{:?}", check_json(&root));
    let (_out_dir, out) = build(&root, &[]);
    let html = page(&out);
    for shown in [
        r#"<time datetime="2018">2018</time>"#,
        r#"<time datetime="2018-05">May 2018</time>"#,
        r#"<time datetime="2018-05-03">3 May 2018</time>"#,
        r#"<time datetime="2019-11">November 2019</time>"#,
    ] {
        assert!(html.contains(shown), "{shown} is not on the page");
    }
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("workbook.json")).unwrap()).unwrap();
    let q7 = &json["questions"][6];
    assert_eq!(q7["engagement"][0]["when"], "2018", "written back as written");
    assert_eq!(q7["engagement"][1]["when"], "2018-05");
    assert_eq!(q7["evidence"][0]["date"], "2019-11");
}

#[test]
fn a_bad_partial_date_is_an_error_at_its_place_with_the_partial_date_help() {
    let (_dir, root) = project(&answer("engagement:\n  - who: Foster carers\n    when: 2018-13\n"), "");
    let found = check_json(&root);
    let date = found.iter().find(|d| d["code"] == "E004").unwrap_or_else(|| panic!("no E004 in {found:?}"));
    assert_eq!(date["file"], "answers/07-bias-and-disproportionate-impact.md");
    assert_eq!((date["line"].as_u64(), date["column"].as_u64()), (Some(7), Some(11)), "{date}");
    let help = date["help"].as_str().unwrap();
    assert!(help.contains("2018, 2018-05 or 2018-05-03") && help.contains("01 to 12"), "{help}");

    let (_dir, root) =
        project(&answer("evidence:\n  - title: Report\n    kind: report\n    date: 2019-02-30\n"), "");
    let found = check_json(&root);
    let date = found.iter().find(|d| d["code"] == "E004").unwrap_or_else(|| panic!("no E004 in {found:?}"));
    assert_eq!(date["line"], 8);
    assert!(date["help"].as_str().unwrap().contains("does not exist"), "{date}");
}

/// A suppressed figure with values that appear nowhere else.
const SUPPRESSED: &str = "metrics:
  - name: Share of children referred again
    group: \"Ethnicity: White British\"
    value: 23.5
    unit: \"%\"
    n: 240
  - name: Share of children referred again
    group: \"Ethnicity: Gypsy, Roma or Irish Traveller\"
    value: 41.93
    baseline: 38.17
    interval: [17.77, 62.29]
    n: 7
    unit: \"%\"
    suppressed: true
";

#[test]
fn a_suppressed_figure_shows_no_value_anywhere_public() {
    let (_dir, root) = project(&answer(SUPPRESSED), "");
    let secrets = ["41.93", "38.17", "17.77", "62.29"];
    let (_out_dir, out) = build(&root, &[]);
    let html = page(&out);
    assert!(html.contains("Not shown: fewer than 10 children"), "the table says why");
    for (path, bytes) in tree(&out) {
        let text = String::from_utf8_lossy(&bytes);
        for secret in secrets {
            assert!(!text.contains(secret), "{path} holds {secret}");
        }
    }
    // The chart draws one bar, for the figure that is shown.
    assert_eq!(value_bars(first_chart(&html)).len(), 1);
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("workbook.json")).unwrap()).unwrap();
    let metric = &json["questions"][6]["metrics"][1];
    assert_eq!(metric["suppressed"], true);
    for key in ["value", "baseline", "n", "interval"] {
        assert!(metric.get(key).is_none_or(serde_json::Value::is_null), "workbook.json has {key}: {metric}");
    }
    for format in ["json", "csv", "csv-prompts", "csv-metrics", "atrs", "atrs-markdown", "atrs-csv"] {
        let exported = export(&root, format, "public");
        for secret in secrets {
            assert!(!exported.contains(secret), "export {format} holds {secret}");
        }
    }
    let metrics = export(&root, "csv-metrics", "public");
    let row = metrics.lines().find(|l| l.contains("Gypsy")).unwrap();
    assert!(row.contains(",,%,,,,,,,true,fewer than 10 children,false"), "{row}");
    // The oversight group still sees the figure, marked as not published.
    let (_in_dir, internal) = build(&root, &["--audience", "internal"]);
    assert!(page(&internal).contains("Internal — not published: 41.93%"));
    assert!(export(&root, "csv-metrics", "internal").contains("41.93"));
}

#[test]
fn a_suppressed_figure_may_leave_out_its_value_and_an_unsuppressed_one_may_not() {
    let (_dir, root) = project(
        &answer(
            "metrics:\n  - name: Rate\n    suppressed: true\n    suppressed_reason: the supplier has not released it\n  - name: Rate\n    group: Other\n    unit: \"%\"\n",
        ),
        "",
    );
    let found = check_json(&root);
    let missing: Vec<_> = found.iter().filter(|d| d["code"] == "E017").collect();
    assert_eq!(missing.len(), 1, "{found:?}");
    assert_eq!(missing[0]["line"], 9, "at the second metric: {:?}", missing[0]);
    std::fs::write(
        root.join("answers/07-bias-and-disproportionate-impact.md"),
        answer("metrics:\n  - name: Rate\n    suppressed: true\n    suppressed_reason: the supplier has not released it\n"),
    )
    .unwrap();
    let (_out_dir, out) = build(&root, &[]);
    assert!(page(&out).contains("Not shown: the supplier has not released it"));
}

#[test]
fn a_percent_chart_is_drawn_on_a_scale_of_0_to_100() {
    let (_dir, root) = project(
        &answer(
            "metrics:\n  - name: Rate\n    group: A\n    value: 38\n    unit: \"%\"\n  - name: Rate\n    group: B\n    value: 19\n    unit: \"%\"\n",
        ),
        "",
    );
    let (_out_dir, out) = build(&root, &[]);
    let html = page(&out);
    let svg = first_chart(&html);
    assert_eq!(value_bars(svg), [("0".to_owned(), "38.0%".to_owned()), ("0".to_owned(), "19.0%".to_owned())]);
    assert!(svg.contains("The bars are drawn on a scale from 0% to 100%."), "{svg}");
}

#[test]
fn a_negative_value_is_drawn_left_of_the_zero_line() {
    let (_dir, root) = project(
        &answer(
            "metrics:\n  - name: Change in referrals\n    group: North\n    value: -10\n    unit: percentage points\n  - name: Change in referrals\n    group: South\n    value: 30\n    unit: percentage points\n",
        ),
        "",
    );
    let (_out_dir, out) = build(&root, &[]);
    let html = page(&out);
    let svg = first_chart(&html);
    // The scale runs from -10 to 30, so zero is a quarter of the way across.
    assert_eq!(
        value_bars(svg),
        [("0".to_owned(), "25.0%".to_owned()), ("25.0%".to_owned(), "75.0%".to_owned())]
    );
    assert!(svg.contains(r#"<line class="chart-zero" aria-hidden="true" x1="25.0%" x2="25.0%""#), "{svg}");
    assert!(svg.contains("from -10 percentage points to 30 percentage points, with values below zero drawn left of the zero line"));
}

#[test]
fn figures_keep_the_precision_they_were_written_with_and_show_their_interval_count_and_period() {
    let (_dir, root) = project(
        &answer(
            "metrics:\n  - name: Error\n    group: A\n    value: 7.0\n    baseline: 12.50\n    baseline_label: previous model\n    interval: [5.1, 9.0]\n    n: 120\n    period: April 2025 to March 2026\n    unit: \"%\"\n",
        ),
        "",
    );
    let (_out_dir, out) = build(&root, &[]);
    let html = page(&out);
    assert!(html.contains(r#"<td class="numeric">7.0%</td>"#), "7.0 is not 7");
    assert!(html.contains(r#"<td class="numeric">12.50%</td>"#));
    assert!(html.contains("5.1% to 9.0%"), "the interval is a range in the table");
    assert!(html.contains(r#"<td class="numeric">120</td>"#));
    assert!(html.contains("<dt>Period:</dt> <dd>April 2025 to March 2026</dd>"));
    assert!(html.contains("<dt>Baseline:</dt> <dd>previous model</dd>"));
    let svg = first_chart(&html);
    assert!(svg.contains("A: 7.0% (baseline 12.50%) (range 5.1% to 9.0%)"), "{svg}");
    assert!(svg.contains(r#"<line class="chart-interval" x1="5.1%" x2="9.0%""#), "a whisker: {svg}");
    let csv = export(&root, "csv-metrics", "public");
    assert!(
        csv.contains(
            "7,Error,A,7.0,%,12.50,previous model,5.1,9.0,120,April 2025 to March 2026,false,,false"
        ),
        "{csv}"
    );
}

#[test]
fn a_public_figure_on_a_small_count_warns_unless_it_is_suppressed() {
    let metric =
        |n: u32, extra: &str| format!("  - name: Rate\n    group: G{n}\n    value: 5\n    n: {n}\n{extra}");
    let lists = format!(
        "metrics:\n{}{}{}{}",
        metric(4, ""),
        metric(5, "    suppressed: true\n"),
        metric(6, "    visibility: internal\n"),
        metric(12, "")
    );
    let (_dir, root) = project(&answer(&lists), "");
    let found = check_json(&root);
    let small: Vec<_> = found.iter().filter(|d| d["name"] == "small-number").collect();
    assert_eq!(small.len(), 1, "only the public, unsuppressed figure on 4: {found:?}");
    assert_eq!(small[0]["code"], "W021");
    assert_eq!(
        (small[0]["line"].as_u64(), small[0]["column"].as_u64()),
        (Some(9), Some(8)),
        "{:?}",
        small[0]
    );
    // The threshold is the council's to set.
    let (_dir, root) = project(&answer(&lists), "check:\n  small_numbers: 3\n");
    assert!(check_json(&root).iter().all(|d| d["name"] != "small-number"));
}

#[test]
fn risks_show_their_ratings_before_and_after_mitigation_and_their_category() {
    let (_dir, root) = project(
        &answer(
            "risks:\n  - risk: Families are under-recorded.\n    likelihood: high\n    impact: medium\n    residual_likelihood: low\n    residual_impact: medium\n    category: data\n    mitigation: Show completeness.\n",
        ),
        "",
    );
    let (_out_dir, out) = build(&root, &[]);
    let html = page(&out);
    assert!(html.contains(r#"High<span class="visually-hidden"> before mitigation,</span> <span aria-hidden="true">→</span> Low<span class="visually-hidden"> after mitigation</span>"#), "{html}");
    assert!(html.contains("Category: Data"));
    let csv = export(&root, "csv-risks", "public");
    assert!(
        csv.contains(
            "7,Families are under-recorded.,data,high,medium,low,medium,Show completeness.,,open,false"
        ),
        "{csv}"
    );
}

#[test]
fn a_dataset_no_longer_used_is_shown_so_and_left_out_of_the_data_the_tool_uses() {
    let (_dir, root) = project(
        &answer(
            "datasets:\n  - name: Case records\n    source: Mosaic\n  - name: School exclusions feed\n    source: Education system\n    in_use: false\n    removed: 2025-03-31\n    removed_reason: It added little and held more than we needed.\n",
        ),
        "",
    );
    let (_out_dir, out) = build(&root, &[]);
    let html = page(&out);
    let used_start = html.find(r#"id="q7-tbl-datasets""#).expect("the table of data used");
    let used_end = used_start + html[used_start..].find("</table>").unwrap();
    let used = &html[used_start..used_end];
    assert!(used.contains("Case records") && !used.contains("School exclusions"), "{used}");
    let removed_start = html.find(r#"id="q7-tbl-datasets-removed""#).expect("a table of data no longer used");
    let removed = &html[removed_start..];
    assert!(removed.contains("School exclusions feed"));
    assert!(removed.contains(r#"No longer used since <time datetime="2025-03-31">31 March 2025</time>"#));
    assert!(removed.contains("It added little"));
    let atrs = export(&root, "atrs", "public");
    assert!(
        atrs.contains("Case records") && !atrs.contains("School exclusions"),
        "ATRS lists the data the tool uses"
    );
}

#[test]
fn a_figure_that_contradicts_itself_or_cannot_be_charted_is_reported() {
    let codes = |lists: &str| -> Vec<String> {
        let (_dir, root) = project(&answer(lists), "");
        check_json(&root).iter().map(|d| format!("{} {}", d["code"].as_str().unwrap(), d["line"])).collect()
    };
    let found = codes("metrics:\n  - name: Rate\n    value: 5\n    interval: [10, 20]\n");
    assert!(found.contains(&"W022 7".to_owned()), "{found:?}");
    let found = codes("metrics:\n  - name: Rate\n    value: 5\n    suppressed_reason: small group\n");
    assert!(found.contains(&"W022 8".to_owned()), "{found:?}");
    let found = codes("metrics:\n  - name: Rate\n    value: 1e308\n    baseline: -1e308\n");
    assert!(found.contains(&"E003 7".to_owned()) && found.contains(&"E003 8".to_owned()), "{found:?}");
    let found = codes("engagement:\n  - who: Foster carers\n    when: '0000'\n");
    assert!(found.contains(&"E004 7".to_owned()), "{found:?}");
}
