//! The record as a contract: `workbook.json` reads back (`Record::from_json`) into the record it was
//! written from, so that a site rendered from the JSON alone (`build::render_record`, as a register
//! renders a member it knows only by its record) is the site rendered from the project.

use proptest::prelude::*;
use std::path::Path;
use workbook::build::{BuildOptions, render_record, render_site};
use workbook::record::{Audience, Record};
use workbook::render::templates::Templates;

/// The bundled projects with the most in them: the example, and fixtures with internal answers,
/// items and passages.
const PROJECTS: [&str; 3] = ["example-project", "tests/fixtures/kitchen-sink", "tests/fixtures/canary"];

fn options(audience: Audience) -> BuildOptions {
    BuildOptions { audience, base_url: None, today: jiff::civil::date(2026, 12, 1) }
}

fn site_of(project: &str, audience: Audience) -> workbook::write::Files {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(project);
    match render_site(&root, &options(audience)) {
        Ok(site) => site.files,
        Err(errors) => panic!("{project} does not build: {errors:?}"),
    }
}

#[test]
fn a_site_rendered_from_its_workbook_json_alone_is_the_site_rendered_from_the_project() {
    let templates = Templates::theme().unwrap();
    for project in PROJECTS {
        for audience in [Audience::Public, Audience::Internal] {
            let from_source = site_of(project, audience);
            let json = &from_source["workbook.json"];
            let record = Record::from_json(json, Path::new("workbook.json"))
                .unwrap_or_else(|d| panic!("{project} ({audience:?}): {d:?}"));
            let from_record = render_record(&record, &templates, &options(audience))
                .unwrap_or_else(|d| panic!("{project} ({audience:?}): {d:?}"))
                .files;
            let mut compared = 0;
            for (path, bytes) in &from_record {
                let Some(source) = from_source.get(path) else {
                    panic!("{project} ({audience:?}): {path} is rendered from the record only");
                };
                assert!(
                    source == bytes,
                    "{project} ({audience:?}): {path} differs when rendered from workbook.json:\n{}",
                    first_difference(source, bytes)
                );
                compared += 1;
            }
            // Every page and generated file is there; what is missing is only what a record does
            // not hold: the project's own files that a build copies (evidence, static files).
            for path in from_source.keys().filter(|p| !from_record.contains_key(*p)) {
                assert!(
                    !path.ends_with(".html") && !path.ends_with(".xml") && !path.ends_with(".json"),
                    "{project} ({audience:?}): {path} is missing from the site rendered from the record"
                );
            }
            assert!(compared > 20, "{project} ({audience:?}): only {compared} files compared");
        }
    }
}

/// The first line where two files differ, for a failure that can be read.
fn first_difference(a: &[u8], b: &[u8]) -> String {
    let (a, b) = (String::from_utf8_lossy(a), String::from_utf8_lossy(b));
    for (n, (x, y)) in a.lines().zip(b.lines()).enumerate() {
        if x != y {
            return format!("line {}:\n  from the project: {x}\n  from the record:  {y}", n + 1);
        }
    }
    format!("one is longer ({} and {} lines)", a.lines().count(), b.lines().count())
}

#[test]
fn a_public_record_read_back_holds_nothing_internal() {
    for project in PROJECTS {
        let json = &site_of(project, Audience::Public)["workbook.json"];
        let record = Record::from_json(json, Path::new("workbook.json")).unwrap();
        assert_eq!(record.audience, Audience::Public);
        let value = serde_json::to_value(&record).unwrap();
        let mut stack = vec![&value];
        while let Some(v) = stack.pop() {
            match v {
                serde_json::Value::Object(map) => {
                    assert_ne!(map.get("internal"), Some(&serde_json::Value::Bool(true)), "{project}: {v}");
                    stack.extend(map.values());
                }
                serde_json::Value::Array(items) => stack.extend(items),
                _ => {}
            }
        }
    }
}

#[test]
fn malformed_json_is_an_error_at_its_line_and_column() {
    let error =
        Record::from_json(b"{\n  \"schema_version\": 4,\n  oops\n}\n", Path::new("records/tool.json"))
            .unwrap_err();
    assert_eq!(error.code.code(), "E030");
    let at = error.location.as_ref().expect("a location");
    assert_eq!((at.file.as_str(), at.line, at.column), ("records/tool.json", 3, 3), "{error:?}");
    assert!(!error.message.contains(" at line "), "{}", error.message);
}

#[test]
fn a_record_of_the_wrong_shape_is_an_error_at_the_field() {
    let json = site_of("tests/fixtures/canary", Audience::Public)["workbook.json"].clone();
    let text = String::from_utf8(json).unwrap();
    let wrong = text.replacen("\"questions_total\": ", "\"questions_total\": \"many\", \"was\": ", 1);
    let error = Record::from_json(wrong.as_bytes(), Path::new("workbook.json")).unwrap_err();
    assert_eq!(error.code.code(), "E030");
    assert!(error.message.contains("shape of workbook.json"), "{}", error.message);
    let at = error.location.as_ref().expect("a location");
    let line = wrong.lines().position(|l| l.contains("\"many\"")).unwrap() + 1;
    assert_eq!(at.line, line, "{error:?}");
}

#[test]
fn an_unsupported_schema_version_is_refused_saying_which_versions_are_read() {
    for version in ["3", "99", "\"4\"", "-1", "4.5"] {
        let json = format!("{{\"schema_version\": {version}, \"audience\": \"public\"}}");
        let error = Record::from_json(json.as_bytes(), Path::new("workbook.json")).unwrap_err();
        assert_eq!(error.code.code(), "E030");
        assert!(
            error.message.contains(&format!("schema_version is {version}"))
                && error
                    .message
                    .contains(&format!("reads schema_version {}", workbook::record::SCHEMA_VERSION)),
            "{}",
            error.message
        );
    }
    for json in ["{}", "{\"schema_version\": null}"] {
        let error = Record::from_json(json.as_bytes(), Path::new("workbook.json")).unwrap_err();
        assert!(error.message.starts_with("the record has no schema_version;"), "{}", error.message);
    }
}

#[test]
fn every_built_workbook_json_validates_against_the_record_schema() {
    let output = crate::support::workbook().args(["schema", "--for", "record"]).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let schema: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let validator = jsonschema::draft7::new(&schema).unwrap();
    for project in PROJECTS {
        for audience in [Audience::Public, Audience::Internal] {
            let json: serde_json::Value =
                serde_json::from_slice(&site_of(project, audience)["workbook.json"]).unwrap();
            let errors: Vec<String> =
                validator.iter_errors(&json).map(|e| format!("{} at {}", e, e.instance_path())).collect();
            assert!(errors.is_empty(), "{project} ({audience:?}): {errors:#?}");
        }
    }
    // The schema holds a record to its shape, and documents every field it has.
    let mut broken: serde_json::Value =
        serde_json::from_slice(&site_of("tests/fixtures/canary", Audience::Public)["workbook.json"]).unwrap();
    broken["questions"][0]["status"] = "finished".into();
    assert!(!validator.is_valid(&broken));
    let mut undocumented = Vec::new();
    let mut stack = vec![("".to_owned(), &schema)];
    while let Some((at, s)) = stack.pop() {
        if let Some(properties) = s.get("properties").and_then(serde_json::Value::as_object) {
            for (name, property) in properties {
                let documented = property.get("description").is_some()
                    || property.get("$ref").is_some()
                    || property.get("allOf").is_some();
                if !documented {
                    undocumented.push(format!("{at}/{name}"));
                }
            }
        }
        match s {
            serde_json::Value::Object(map) => stack.extend(map.iter().map(|(k, v)| (format!("{at}/{k}"), v))),
            serde_json::Value::Array(items) => stack.extend(items.iter().map(|v| (at.clone(), v))),
            _ => {}
        }
    }
    assert!(undocumented.is_empty(), "fields without a description: {undocumented:#?}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// Truncated or mangled, a record is read or refused with a diagnostic: never a panic.
    #[test]
    fn a_truncated_or_mangled_record_never_panics(cut in 0.0..1.0f64, at in 0.0..1.0f64, byte in any::<u8>()) {
        let json = CANARY_JSON.with(|json| json.clone());
        let mut bytes = json[..(json.len() as f64 * cut) as usize].to_vec();
        if !bytes.is_empty() {
            let i = ((bytes.len() - 1) as f64 * at) as usize;
            bytes[i] = byte;
        }
        let read = Record::from_json(&bytes, Path::new("workbook.json"));
        if let Err(d) = read {
            prop_assert_eq!(d.code.code(), "E030");
            if let Some(at) = d.location {
                prop_assert!(at.line >= 1 && at.line <= bytes.split(|b| *b == b'\n').count());
            }
        }
    }
}

thread_local! {
    static CANARY_JSON: Vec<u8> = site_of("tests/fixtures/canary", Audience::Internal)["workbook.json"].clone();
}
