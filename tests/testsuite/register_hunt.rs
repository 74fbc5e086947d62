//! Findings of a hostile test of the register, each kept as a test once fixed.

use crate::support::{fixtures, workbook};
use std::path::Path;

/// The public `workbook.json` of the project at `project`, as its site publishes it.
fn public_record(project: &Path) -> serde_json::Value {
    let output = workbook().arg("export").arg(project).args(["--format", "json"]).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).unwrap()
}

/// A register whose one member is `records/edited.json`, the given record.
fn register_of(record: &serde_json::Value) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("register");
    std::fs::create_dir_all(root.join("records")).unwrap();
    std::fs::write(
        root.join("register.yaml"),
        "title: R\norganisation: O\ncontact:\n  email: a@example.org\nmembers:\n  - records/*.json\n",
    )
    .unwrap();
    std::fs::write(root.join("records/edited.json"), serde_json::to_vec(record).unwrap()).unwrap();
    (dir, root)
}

/// Every object in `value` with an `internal` key, as a JSON pointer.
fn internal_flags(value: &serde_json::Value, at: &str, found: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            if map.contains_key("internal") {
                found.push(at.to_owned());
            }
            for (key, v) in map {
                internal_flags(v, &format!("{at}/{key}"), found);
            }
        }
        serde_json::Value::Array(list) => {
            for (i, v) in list.iter().enumerate() {
                internal_flags(v, &format!("{at}/{i}"), found);
            }
        }
        _ => {}
    }
}

/// A record that says it is public but holds material marked internal (an internal record with its
/// `audience` edited, or a public one hand-edited) is refused: a register never publishes it.
#[test]
fn register_a_public_record_holding_internal_material_is_refused() {
    let record = public_record(&fixtures().join("kitchen-sink"));
    let mut places = Vec::new();
    internal_flags(&record, "", &mut places);
    assert!(!places.is_empty());
    for place in places {
        let mut edited = record.clone();
        let object = edited.pointer_mut(&place).unwrap();
        object["internal"] = true.into();
        if object.get("visibility").is_some() {
            object["visibility"] = "internal".into();
        }
        let (_dir, root) = register_of(&edited);
        let out = root.join("public");
        let output = workbook().arg("build").arg(&root).arg("--out").arg(&out).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "internal at {place} was published:\n{stderr}");
        assert!(stderr.contains("records/edited.json") && stderr.contains("internal"), "{stderr}");
        assert!(!out.exists(), "internal at {place}: something was written");
    }
}

/// An item marked `visibility: internal` but `internal: false` is refused too.
#[test]
fn register_a_public_record_with_an_internal_visibility_is_refused() {
    let mut record = public_record(&fixtures().join("kitchen-sink"));
    let mut places = Vec::new();
    internal_flags(&record, "", &mut places);
    let place = places
        .into_iter()
        .find(|p| record.pointer(p).is_some_and(|o| o.get("visibility").is_some()))
        .unwrap();
    record.pointer_mut(&place).unwrap()["visibility"] = "internal".into();
    let (_dir, root) = register_of(&record);
    let output = workbook().arg("check").arg(&root).output().unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", String::from_utf8_lossy(&output.stderr));
}

/// The public record as published is still read.
#[test]
fn register_a_public_record_as_published_is_read() {
    let (_dir, root) = register_of(&public_record(&fixtures().join("kitchen-sink")));
    let output = workbook().arg("check").arg(&root).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
}
