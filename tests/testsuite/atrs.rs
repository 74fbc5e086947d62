//! The ATRS record: the v4.0 field list against the references, and `export --format atrs` (and its
//! Markdown and CSV shapes) on the examples.

use crate::support::{copy_tree, fixtures, workbook};
use std::path::{Path, PathBuf};
use workbook::export::atrs::fields::{FIELDS, Fate, Number, Sheet, V3_FATES};

fn reference(name: &str) -> String {
    std::fs::read_to_string(fixtures().join("atrs-reference").join(name)).unwrap()
}

/// Lower case, one space between words, curly quotes straight: the change log is text from a PDF.
fn normalise(text: &str) -> String {
    text.to_lowercase().replace(['‘', '’'], "'").split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The v3.0 table's rows, as (reference number, attribute, name).
fn v3_fields() -> Vec<(String, String, String)> {
    reference("v3.0-template-table.md")
        .lines()
        .filter_map(|line| {
            let cells: Vec<String> =
                line.split('|').map(|c| c.replace("<br>", "").trim().to_owned()).collect();
            let id = cells.get(1)?;
            id.starts_with(|c: char| c.is_ascii_digit())
                .then(|| (id.clone(), cells[2].clone(), cells[3].clone()))
        })
        .collect()
}

fn field(attribute: &str) -> &'static workbook::export::atrs::fields::Field {
    FIELDS.iter().find(|f| f.attribute == attribute).unwrap_or_else(|| panic!("no v4.0 field {attribute}"))
}

#[test]
fn the_field_list_accounts_for_every_v3_field_as_the_change_log_says() {
    let v3 = v3_fields();
    assert_eq!(v3.len(), 65, "the v3.0 table has 65 fields");
    assert_eq!(V3_FATES.len(), v3.len(), "every v3.0 field has a fate, and only those");
    let changes = normalise(&reference("v3.0-to-v4.0-changelog.txt"));
    let guidance = normalise(&reference("v4.0-guidance.txt"));
    for ((id, attribute, name), (fate_id, fate_attribute, fate)) in v3.iter().zip(V3_FATES) {
        assert_eq!((id.as_str(), attribute.as_str()), (*fate_id, *fate_attribute), "in the table's order");
        match fate {
            Fate::Kept => {
                let kept = field(attribute);
                // Kept fields keep their name, or take the one the guidance shows.
                assert_eq!(normalise(kept.name), normalise(name), "{id} {attribute} keeps its name");
            }
            Fate::Renamed(to) => {
                let renamed = field(to);
                let words = normalise(renamed.name);
                assert!(
                    changes.contains(&words) || guidance.contains(&words),
                    "{id} {attribute}: the new name {:?} is the change log's or the guidance's",
                    renamed.name
                );
            }
            Fate::Merged(into) => {
                field(into);
                assert!(changes.contains("merged"), "the change log merges fields");
                // The change log calls 2.3.1 by its title in the template, not its name in the table (and
                // its two columns cut the title in two).
                let merged_name = match attribute.as_str() {
                    "process_integration" => "integration into decision-making".to_owned(),
                    _ => normalise(name),
                };
                let said = changes.contains(&format!("'{merged_name}'"))
                    || changes.contains(&format!("{merged_name}'"))
                    || changes.contains(&format!("'{merged_name} "));
                assert!(said, "{id} {attribute}: the change log names {name:?} as merged");
            }
            Fate::Deleted => {
                let deleted = normalise(name);
                assert!(changes.contains(&deleted), "{id} {attribute}: the change log deletes {name:?}");
                let kept_elsewhere = V3_FATES.iter().any(|(_, a, f)| a == attribute && *f == Fate::Kept);
                if !kept_elsewhere {
                    assert!(FIELDS.iter().all(|f| f.attribute != attribute), "{attribute} is gone");
                }
            }
        }
    }
    // And every v4.0 field comes from a v3.0 one, or is one the change log adds.
    for f in FIELDS {
        let from_v3 = V3_FATES.iter().any(|(_, attribute, fate)| match fate {
            Fate::Kept => *attribute == f.attribute,
            Fate::Renamed(to) | Fate::Merged(to) => *to == f.attribute,
            Fate::Deleted => false,
        });
        let added = changes.contains(&normalise(f.name)) && f.sheet == Sheet::ToolSpecification;
        let operational = f.sheet == Sheet::OperationalData
            && f.attribute
                .strip_prefix("operational_")
                .is_some_and(|a| field(a).sheet == Sheet::DevelopmentData);
        assert!(from_v3 || added || operational, "{} {} comes from nowhere", f.id, f.attribute);
    }
    assert!(changes.contains("development data") && changes.contains("operational data"));
}

#[test]
fn the_field_list_uses_the_numbers_the_guidance_shows() {
    let guidance = reference("v4.0-guidance.txt");
    // "1.2 - Description", "2.1.4. Third party involvement", "‘2.4.2.8 Datasets and their purposes’".
    let heading =
        regex::Regex::new(r"(?m)^\s*(\d+(?:\.\d+)+)\.?\s+(?:-\s+)?([A-Z][A-Za-z -]+?)\s*$").unwrap();
    let quoted = regex::Regex::new(r"‘(\d+(?:\.\d+)+)\s+([A-Z][A-Za-z -]+)’").unwrap();
    let shown: Vec<(String, String)> = heading
        .captures_iter(&guidance)
        .chain(quoted.captures_iter(&guidance))
        .map(|c| (c[1].to_owned(), c[2].trim().to_owned()))
        .collect();
    assert!(shown.len() >= 12, "the guidance shows field numbers: {shown:?}");
    for (id, name) in &shown {
        let f =
            FIELDS.iter().find(|f| f.id == id).unwrap_or_else(|| panic!("{id} {name} is not in the list"));
        assert_eq!(normalise(f.name), normalise(name), "{id}");
        assert_eq!(f.number, Number::Shown, "{id} {name} is marked shown");
    }
    for f in FIELDS.iter().filter(|f| f.number == Number::Shown) {
        // A section's number in the text ("Development Data Specification (2.4.3)") shows its fields'.
        assert!(shown.iter().any(|(id, _)| id == f.id), "{} {} is marked shown but is not", f.id, f.name);
    }
    for (sheet, prefix) in [
        (Sheet::ModelSpecification, "(2.4.2)"),
        (Sheet::DevelopmentData, "(2.4.3)"),
        (Sheet::OperationalData, "(2.4.4)"),
    ] {
        assert!(
            normalise(&guidance).contains(&normalise(&format!("{} {prefix}", sheet.title()))),
            "{prefix}"
        );
        let number = prefix.trim_matches(['(', ')']);
        assert!(FIELDS.iter().filter(|f| f.sheet == sheet).all(|f| f.id.starts_with(&format!("{number}."))));
    }
}

#[test]
fn the_field_list_is_in_order_with_unique_ids_and_attributes() {
    let mut ids: Vec<&str> = FIELDS.iter().map(|f| f.id).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), FIELDS.len(), "ids are unique");
    let mut attributes: Vec<&str> = FIELDS.iter().map(|f| f.attribute).collect();
    attributes.sort();
    attributes.dedup();
    assert_eq!(attributes.len(), FIELDS.len(), "attributes are unique");
    let tiers: Vec<u8> = FIELDS.iter().map(|f| f.tier()).collect();
    assert!(tiers.windows(2).all(|w| w[0] <= w[1]), "Tier 1 first");
    let sheets: Vec<usize> =
        FIELDS.iter().map(|f| Sheet::ALL.iter().position(|s| *s == f.sheet).unwrap()).collect();
    assert!(sheets.windows(2).all(|w| w[0] <= w[1]), "sheet by sheet");
    assert!(FIELDS.iter().filter(|f| f.tier() == 1).all(|f| f.required), "every Tier 1 field is required");
    for f in FIELDS {
        let snake = f.name.to_lowercase().replace(['-', ' '], "_");
        let attribute =
            f.attribute.strip_prefix("operational_").filter(|_| f.sheet == Sheet::OperationalData);
        assert_eq!(
            attribute.unwrap_or(f.attribute),
            snake,
            "{}: the attribute is the name in snake case",
            f.id
        );
    }
}

#[test]
fn atrs_prompts_exist_in_the_framework() {
    let framework = workbook::framework::Framework::builtin("dfe-csc-2024").unwrap();
    for f in FIELDS {
        if let workbook::export::atrs::fields::Source::Prompts(prompts) = f.source {
            for (number, id) in prompts {
                let question = framework.question(*number).unwrap();
                assert!(question.prompt(id).is_some(), "{}: {id} is not a prompt of question {number}", f.id);
            }
        }
    }
}

#[test]
fn every_atrs_key_of_workbook_yaml_is_a_field_filled_from_it() {
    use workbook::export::atrs::fields::Source;
    let settings = workbook::load::settings::AtrsSettings::default();
    let keys: Vec<&str> = settings.values().iter().map(|(k, _)| *k).collect();
    let from_atrs: Vec<&str> =
        FIELDS.iter().filter(|f| f.source == Source::Atrs).map(|f| f.attribute).collect();
    assert_eq!(keys, from_atrs);
    let model = workbook::load::settings::AtrsModel::default();
    let keys: Vec<&str> = model.values().iter().map(|(k, _)| *k).collect();
    let from_models: Vec<&str> = FIELDS
        .iter()
        .filter(|f| matches!(f.source, Source::AtrsModel | Source::ModelPerformance))
        .map(|f| f.attribute)
        .collect();
    assert_eq!(keys, from_models);
}

#[test]
fn the_atrs_mapping_document_lists_every_field() {
    let doc =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/atrs-mapping.md")).unwrap();
    for f in FIELDS {
        assert!(
            doc.contains(&format!("| {} | {} | {} |", f.id, f.attribute, f.name)),
            "{} {} is not in the mapping table",
            f.id,
            f.name
        );
    }
}

fn example_project() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("example-project")
}

fn run(project: &Path, args: &[&str]) -> std::process::Output {
    workbook().arg("export").arg(project).args(args).output().unwrap()
}

fn export(project: &Path, args: &[&str]) -> String {
    let output = run(project, args);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

fn atrs_json(project: &Path, args: &[&str]) -> serde_json::Value {
    let args: Vec<&str> = ["--format", "atrs"].into_iter().chain(args.iter().copied()).collect();
    serde_json::from_str(&export(project, &args)).unwrap()
}

fn value<'a>(record: &'a serde_json::Value, id: &str) -> Option<&'a str> {
    let field = record["fields"].as_array().unwrap().iter().find(|f| f["id"] == id).unwrap();
    field["value"].as_str()
}

/// A copy of `base` with `yaml` added to its workbook.yaml.
fn project_with(base: &Path, yaml: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("project");
    copy_tree(base, &root);
    let settings = root.join("workbook.yaml");
    let mut text = std::fs::read_to_string(&settings).unwrap();
    // The example's own `atrs:` section closes its file: the test's replaces it.
    if let Some(at) = text.find("\natrs:\n").filter(|_| yaml.starts_with("atrs:")) {
        text.truncate(at);
    }
    std::fs::write(&settings, format!("{text}\n{yaml}")).unwrap();
    (dir, root)
}

#[test]
fn the_example_record_is_v4_with_every_field_in_order_and_every_tier_1_field() {
    let record = atrs_json(&example_project(), &[]);
    assert_eq!(record["standard_version"], "4.0");
    let fields = record["fields"].as_array().unwrap();
    assert_eq!(fields.len(), FIELDS.len(), "no model listed: the model sheet once");
    for (exported, f) in fields.iter().zip(FIELDS) {
        assert_eq!(exported["id"], f.id);
        assert_eq!(exported["name"], f.name);
        let (value, missing) = (exported["value"].as_str(), exported["missing"].as_str());
        assert!(value.is_some() != missing.is_some(), "{}: a value or a reason, never both", f.id);
        if f.tier() == 1 {
            assert!(value.is_some(), "Tier 1 {} {} is missing: {missing:?}", f.id, f.name);
        }
        if let Some(value) = value {
            assert!(!value.trim().is_empty(), "{}", f.id);
            assert!(!value.contains("**") && !value.contains("]("), "{}: Markdown in {value}", f.id);
            assert!(!value.lines().any(|l| l.starts_with('#')), "{}: a heading in {value}", f.id);
        }
    }
    assert_eq!(value(&record, "1.1"), Some("Early Help Unmet Need Dashboard"));
    assert_eq!(value(&record, "2.1.4"), Some("No"), "yes/no fields say Yes or No");
    let risks = value(&record, "2.5.2").unwrap();
    assert!(risks.starts_with("- ") && risks.contains("Likelihood") && risks.contains("Status: "), "{risks}");
    // `models: []`: a tool with no model of its own; its results by group are still reported.
    assert_eq!((value(&record, "2.4.1.5"), value(&record, "2.4.2.1")), (Some("N/A"), Some("N/A")));
    assert!(value(&record, "2.4.2.7").unwrap().starts_with("- Families with a need not met"));
    let datasets = value(&record, "2.4.3.1").unwrap();
    assert!(datasets.contains("Pseudonymised early help extract"), "{datasets}");
}

#[test]
fn impact_assessments_link_where_the_site_publishes_them() {
    let record = atrs_json(&example_project(), &[]);
    let assessments = value(&record, "2.5.1").unwrap();
    let base = "https://transparency.northfield.example/early-help/";
    assert!(assessments.contains(&format!("({base}evidence/dpia-summary.txt)")), "{assessments}");
    assert!(assessments.contains("Equality impact assessment"), "{assessments}");
    assert_eq!(assessments.matches("dpia-summary.txt").count(), 1, "one line an assessment: {assessments}");
    assert!(!assessments.contains(" (evidence/"), "no project paths: {assessments}");
    let record = atrs_json(&example_project(), &["--base-url", "https://other.example/x"]);
    assert!(value(&record, "2.5.1").unwrap().contains("(https://other.example/x/evidence/dpia-summary.txt)"));
}

#[test]
fn the_record_validates_against_its_schema() {
    let schema = workbook().args(["schema", "--for", "atrs"]).output().unwrap();
    assert!(schema.status.success());
    let schema: serde_json::Value = serde_json::from_slice(&schema.stdout).unwrap();
    let validator = jsonschema::draft7::new(&schema).unwrap();
    for audience in ["public", "internal"] {
        let record = atrs_json(&example_project(), &["--audience", audience]);
        let errors: Vec<String> = validator.iter_errors(&record).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{audience}: {errors:?}");
    }
    // The schema holds the record to its shape: a field with neither value nor reason fails.
    let mut broken = atrs_json(&example_project(), &[]);
    broken["fields"][0].as_object_mut().unwrap().remove("value");
    assert!(!validator.is_valid(&broken));
    let mut broken = atrs_json(&example_project(), &[]);
    broken["fields"][0]["tier"] = "one".into();
    assert!(!validator.is_valid(&broken));
}

#[test]
fn strict_fails_listing_the_missing_fields_and_passes_when_they_are_filled() {
    let output = run(&example_project(), &["--format", "atrs", "--strict"]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("missing: 2.1.2 Team") && stderr.contains("missing: 2.4.3.8 Data collection"));
    assert!(!stderr.contains("2.1.4.1"), "an optional field is not listed: {stderr}");
    assert!(!output.stdout.is_empty(), "the record is still printed");
    let usage = run(&example_project(), &["--format", "json", "--strict"]);
    assert_eq!(usage.status.code(), Some(2), "--strict is for the ATRS formats");

    let record = atrs_json(&example_project(), &["--audience", "internal"]);
    let mut yaml = String::from("atrs:\n");
    for f in FIELDS.iter().filter(|f| f.source == workbook::export::atrs::fields::Source::Atrs) {
        yaml.push_str(&format!("  {}: The {} of the tool.\n", f.attribute, f.name.to_lowercase()));
    }
    yaml.push_str(
        "  models:\n    - model_name: Counts\n      model_version: '1'\n      model_task: Counting.\n",
    );
    yaml.push_str(
        "      model_input: Records.\n      model_output: Counts.\n      model_architecture: Rules.\n",
    );
    assert!(record["readiness"]["ready"] == false);
    let (_dir, root) = project_with(&example_project(), &yaml);
    let settings = root.join("workbook.yaml");
    let text = std::fs::read_to_string(&settings).unwrap().replace(
        "  phase: develop\n",
        "  phase: develop\n  team: Data Ethics Team\n  senior_responsible_owner: Director of Children's Services\n",
    );
    std::fs::write(&settings, text).unwrap();
    let output = run(&root, &["--format", "atrs", "--strict", "--audience", "internal"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr)
            .lines()
            .filter(|l| l.contains("missing: "))
            .collect::<Vec<_>>(),
        ["  missing: 2.4.1.4 Maintenance"],
        "a field the answers fill is filled from the answers only"
    );
    let answer = root.join("answers/13-ongoing-effectiveness.md");
    let text = std::fs::read_to_string(&answer).unwrap().replacen(
        "question: 13\n",
        "question: 13\nprompts:\n  q13-review-and-test: We test it every month.\n",
        1,
    );
    std::fs::write(&answer, text).unwrap();
    let output = run(&root, &["--format", "atrs", "--strict", "--audience", "internal"]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let record: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(record["readiness"]["ready"], true);
    assert_eq!(value(&record, "2.4.1.5"), Some("Counts"));
    assert_eq!(value(&record, "2.4.2.1"), Some("Counts"));
}

#[test]
fn third_parties_fill_owner_fields_and_internal_ones_stay_out() {
    let yaml = "";
    let (_dir, root) = project_with(&fixtures().join("base"), yaml);
    let settings = root.join("workbook.yaml");
    let text = std::fs::read_to_string(&settings).unwrap().replace(
        "  phase: explore\n",
        "  phase: explore\n  third_parties:\n    - name: Acme Analytics Ltd\n      companies_house_number: '01234567'\n      \
         role: Built the **model**.\n      procurement: G-Cloud 14\n      data_access_terms: Read-only access.\n    \
         - name: Hidden Partner Ltd\n      role: Secret work\n      visibility: internal\n",
    );
    std::fs::write(&settings, text).unwrap();
    let record = atrs_json(&root, &[]);
    assert_eq!(value(&record, "2.1.4"), Some("Yes"));
    assert_eq!(value(&record, "2.1.4.1"), Some("Acme Analytics Ltd"));
    assert_eq!(value(&record, "2.1.4.2"), Some("01234567"));
    assert_eq!(value(&record, "2.1.4.3"), Some("Built the model."));
    assert_eq!(value(&record, "2.1.4.4"), Some("G-Cloud 14"));
    assert_eq!(value(&record, "2.1.4.5"), Some("Read-only access."));
    assert!(!record.to_string().contains("Hidden Partner"), "nothing internal in public");
    let internal = atrs_json(&root, &["--audience", "internal"]);
    // The internal record marks what the public one leaves out.
    assert_eq!(value(&internal, "2.1.4.1"), Some("- Acme Analytics Ltd\n- (internal) Hidden Partner Ltd"));
    assert!(value(&internal, "2.1.4.3").unwrap().contains("- (internal) Hidden Partner Ltd: Secret work"));

    // Only internal third parties: the public is told neither yes nor no.
    let text = std::fs::read_to_string(&settings).unwrap().replace(
        "    - name: Acme Analytics Ltd\n",
        "    - visibility: internal\n      name: Acme Analytics Ltd\n",
    );
    std::fs::write(&settings, text).unwrap();
    let record = atrs_json(&root, &[]);
    assert_eq!(value(&record, "2.1.4"), None);
    assert!(!record.to_string().contains("Acme"));
}

#[test]
fn atrs_settings_fill_their_fields_as_plain_text_and_refuse_internal_passages() {
    let yaml = "atrs:\n  region: England\n  system_architecture: |\n    A **dashboard** on the [council's](https://a.example) \
                servers.\n  models:\n    - model_name: First\n      model_performance: Checked by hand.\n    \
                - model_name: Second\n";
    let (_dir, root) = project_with(&example_project(), yaml);
    let record = atrs_json(&root, &[]);
    assert_eq!(value(&record, "0.4"), Some("England"));
    assert_eq!(value(&record, "2.4.1.1"), Some("A dashboard on the council's (https://a.example) servers."));
    // Two models: the model sheet twice, the tool's metrics on the first.
    let models: Vec<&serde_json::Value> =
        record["fields"].as_array().unwrap().iter().filter(|f| f["id"] == "2.4.2.7").collect();
    assert_eq!(models.len(), 2);
    assert_eq!((models[0]["model"].as_u64(), models[1]["model"].as_u64()), (Some(1), Some(2)));
    let first = models[0]["value"].as_str().unwrap();
    assert!(first.starts_with("Checked by hand.\n\n- Families"), "{first}");
    assert!(models[1]["value"].is_null() && models[1]["missing"].is_string());
    assert_eq!(value(&record, "2.4.1.5"), Some("- First\n- Second"));

    // workbook.yaml is public: an `atrs:` value cannot hide a passage, and says so.
    let yaml = "atrs:\n  system_architecture: |\n    Servers.\n\n    ::: internal\n    Hosted on SECRET-42.\n    :::\n";
    let (_dir, root) = project_with(&example_project(), yaml);
    let output = run(&root, &["--format", "atrs", "--audience", "internal"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("`atrs.system_architecture` holds a `:::` line")
    );
    assert!(!String::from_utf8_lossy(&output.stdout).contains("SECRET-42"));
}

#[test]
fn a_suppressed_metric_never_shows_its_value_even_internally() {
    for audience in ["public", "internal"] {
        let record = atrs_json(&fixtures().join("kitchen-sink"), &["--audience", audience]);
        let performance = value(&record, "2.4.2.7").unwrap();
        assert!(
            performance.contains("Forecast error by ethnicity (Ethnicity: Arab): not published"),
            "{performance}"
        );
        assert!(!performance.contains("17.4") && !performance.contains("44.0"), "{audience}: {performance}");
        assert!(performance.contains("n = "), "counts are given: {performance}");
    }
}

#[test]
fn the_markdown_and_csv_shapes_carry_the_same_fields() {
    let markdown = export(&example_project(), &["--format", "atrs-markdown"]);
    for sheet in Sheet::ALL {
        assert!(markdown.contains(&format!("\n## {} (Tier ", sheet.title())), "{}", sheet.title());
    }
    for f in FIELDS {
        assert!(markdown.contains(&format!("\n### {} {}\n", f.id, f.name)), "{}", f.id);
    }
    let csv_text = export(&example_project(), &["--format", "atrs-csv"]);
    assert!(csv_text.starts_with('\u{feff}'), "through the CSV writer: a byte-order mark for Excel");
    let mut reader = csv::Reader::from_reader(csv_text.trim_start_matches('\u{feff}').as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        ["sheet", "id", "name", "value", "missing"]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), FIELDS.len());
    assert_eq!(&rows[0][0], "Summary Information");
    let risks = rows.iter().find(|r| &r[1] == "2.5.2").unwrap();
    assert!(risks[3].starts_with("'- "), "a cell that starts like a formula is neutralised: {}", &risks[3]);
    insta::assert_snapshot!("atrs_markdown_example_project", markdown);
}

fn check(project: &Path, args: &[&str]) -> (Option<i32>, Vec<serde_json::Value>) {
    let output = workbook().arg("check").arg(project).args(["--format", "json"]).args(args).output().unwrap();
    (output.status.code(), crate::support::diagnostics_json(&output.stdout))
}

#[test]
fn check_reports_readiness_as_one_info_line_that_lints_can_raise_or_silence() {
    let (_, diagnostics) = check(&example_project(), &[]);
    let info: Vec<&serde_json::Value> =
        diagnostics.iter().filter(|d| d["name"] == "atrs-not-ready").collect();
    assert_eq!(info.len(), 1, "{diagnostics:#?}");
    assert_eq!(info[0]["severity"], "info");
    assert_eq!(info[0]["code"], "I001");
    let message = info[0]["message"].as_str().unwrap();
    assert!(
        message.contains("lacks 0 Tier 1 fields and 12 required Tier 2 fields: 2.1.2 Team, "),
        "{message}"
    );
    // An info line is not a warning: the summary counts only the warnings.
    let warnings = diagnostics.iter().filter(|d| d["severity"] == "warning").count();
    let output = workbook().arg("check").arg(example_project()).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("info[I001 atrs-not-ready]: the public ATRS record lacks"), "{stderr}");
    assert!(stderr.contains(&format!("check: 0 errors, {warnings} warnings")), "{stderr}");

    let (_dir, root) = project_with(&example_project(), "lints:\n  atrs-not-ready: deny\n");
    let (code, diagnostics) = check(&root, &[]);
    assert_eq!(code, Some(1));
    assert!(diagnostics.iter().any(|d| d["name"] == "atrs-not-ready" && d["severity"] == "error"));
    let (_dir, root) = project_with(&example_project(), "lints:\n  atrs-not-ready: allow\n");
    let (code, diagnostics) = check(&root, &[]);
    assert_eq!(code, Some(0));
    assert!(diagnostics.iter().all(|d| d["name"] != "atrs-not-ready"));
    let github =
        workbook().arg("check").arg(example_project()).args(["--format", "github"]).output().unwrap();
    assert!(String::from_utf8_lossy(&github.stdout).contains("::notice title=I001 atrs-not-ready::"));
}

#[test]
fn the_init_templates_atrs_keys_are_real_keys() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("x");
    workbook().args(["init", "--org", "Testshire", "--tool", "Helper"]).arg(&project).assert().success();
    let settings = project.join("workbook.yaml");
    let text = std::fs::read_to_string(&settings).unwrap();
    let start = text.find("\n# atrs:\n").expect("the template shows `atrs:`") + 1;
    let end = start + text[start..].find("\n\n").unwrap();
    let uncommented: String =
        text[start..end].lines().map(|l| format!("{}\n", l.strip_prefix("# ").unwrap_or(l))).collect();
    assert!(uncommented.contains("\n  models:"), "{uncommented}");
    std::fs::write(&settings, format!("{}{uncommented}{}", &text[..start], &text[end..])).unwrap();
    let (_, diagnostics) = check(&project, &[]);
    let errors: Vec<&serde_json::Value> = diagnostics.iter().filter(|d| d["severity"] == "error").collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn personal_data_in_an_atrs_value_is_caught_at_its_key() {
    let yaml = "atrs:\n  required_training: Ask jane.smith@testshire.example.\n  models:\n    - model_name: x\n    \
                - model_task: Ring 07700 900123.\n";
    let (_dir, root) = project_with(&fixtures().join("base"), yaml);
    let (_, diagnostics) = check(&root, &[]);
    let lines =
        std::fs::read_to_string(fixtures().join("base/workbook.yaml")).unwrap().lines().count() as u64;
    let found: Vec<(&str, Option<&str>, Option<u64>)> = diagnostics
        .iter()
        .filter(|d| d["code"] == "W005" || d["code"] == "W006")
        .map(|d| (d["code"].as_str().unwrap(), d["file"].as_str(), d["line"].as_u64()))
        .collect();
    assert_eq!(
        found,
        [("W005", Some("workbook.yaml"), Some(lines + 3)), ("W006", Some("workbook.yaml"), Some(lines + 6))],
        "{diagnostics:#?}"
    );
}

fn build_site(project: &Path, audience: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let output = workbook()
        .arg("build")
        .arg(project)
        .args(["--audience", audience, "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    (dir, out)
}

const PAGE: &str = "algorithmic-transparency-record.html";

#[test]
fn the_site_has_an_atrs_page_linked_from_home_footer_and_print_unless_turned_off() {
    let project = example_project();
    let record = atrs_json(&project, &[]);
    let (_dir, out) = build_site(&project, "public");
    let page = std::fs::read_to_string(out.join(PAGE)).unwrap();
    let tier_1 = page.find("id=\"tier-1\"").expect("Tier 1");
    let tier_2 = page.find("id=\"tier-2\"").expect("Tier 2");
    assert!(tier_1 < tier_2, "Tier 1 comes first");
    // Every field the export fills is on the page, with its number, in a summary list.
    for field in record["fields"].as_array().unwrap().iter().filter(|f| f["value"].is_string()) {
        let id = field["id"].as_str().unwrap();
        assert!(page.contains(&format!("<span class=\"cell-hint\">{id}</span>")), "no field {id}");
    }
    assert!(page.contains("class=\"summary-list atrs-record\""), "{page}");
    assert!(!page.contains("**") && !page.contains("]("), "plain text, no Markdown");
    for linking in ["index.html", "print.html", "01-describe-the-tool.html"] {
        let html = std::fs::read_to_string(out.join(linking)).unwrap();
        assert!(
            html.contains(&format!("href=\"./{PAGE}\"")) || html.contains(&format!("href=\"{PAGE}\"")),
            "{linking} links it"
        );
    }
    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    assert!(sitemap.contains(PAGE), "{sitemap}");
    let (_internal_dir, internal) = build_site(&project, "internal");
    assert!(std::fs::read_to_string(internal.join(PAGE)).unwrap().contains("internal build"));

    let off_dir = tempfile::tempdir().unwrap();
    let off = off_dir.path().join("project");
    copy_tree(&project, &off);
    let settings = std::fs::read_to_string(off.join("workbook.yaml")).unwrap();
    std::fs::write(
        off.join("workbook.yaml"),
        settings.replacen("\nsite:\n", "\nsite:\n  atrs_page: false\n", 1),
    )
    .unwrap();
    let (_out_dir, out) = build_site(&off, "public");
    assert!(!out.join(PAGE).exists(), "turned off");
    for linking in ["index.html", "print.html", "sitemap.xml"] {
        assert!(!std::fs::read_to_string(out.join(linking)).unwrap().contains(PAGE), "{linking}");
    }
}
