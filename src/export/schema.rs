//! JSON Schema (draft-07) of the files authors write, generated from the same types that parse them,
//! and of the files the tool writes to be read by others (`workbook.json`, the ATRS record of
//! `export`), from the types that write them.

use crate::load::answer::FrontMatter;
use crate::load::page::PageFront;
use crate::load::settings::Settings;

/// The schema of an answer file's front matter.
pub fn answer() -> serde_json::Value {
    generate::<FrontMatter>("workbook answer front matter")
}

/// The schema of a page file's front matter (`pages/*.md`).
pub fn page() -> serde_json::Value {
    generate::<PageFront>("workbook page front matter")
}

/// The schema of `workbook.yaml`.
pub fn settings() -> serde_json::Value {
    generate::<Settings>("workbook.yaml")
}

/// The schema of the record `workbook export --format atrs` prints.
pub fn atrs() -> serde_json::Value {
    generate::<crate::export::atrs::AtrsRecord>("workbook ATRS record")
}

/// The schema of the record, `workbook.json`: the contract a register, or anything else that reads
/// the record back, relies on (see [`crate::record::Record::from_json`]).
pub fn record() -> serde_json::Value {
    generate::<crate::record::Record>("workbook record (workbook.json)")
}

/// The schema of the `register.json` a register build writes: its settings and every member's record.
pub fn register() -> serde_json::Value {
    generate::<crate::register::site::RegisterJson<'static>>("workbook register.json")
}

fn generate<T: schemars::JsonSchema>(title: &str) -> serde_json::Value {
    let schema = schemars::generate::SchemaSettings::draft07().into_generator().into_root_schema_for::<T>();
    let mut value = schema.to_value();
    if let Some(object) = value.as_object_mut() {
        object.insert("title".into(), title.into());
    }
    value
}
