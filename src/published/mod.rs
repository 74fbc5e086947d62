//! Every text a build publishes, found by walking the record: the one list that the personal-data
//! scan and `diff --deny newly-public` read.
//!
//! The record is the only source of what a site shows, so walking every string in it (rather than a
//! list of fields kept beside the types) means a field added to the format is scanned the day it is
//! published. Text files the site copies as evidence are read here too, through the project's tree.

mod collect;

use crate::load::Workbook;
use crate::record::Record;
use serde_json::Value;

/// One string of the record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    /// Where it stands in the record, as `questions[3].risks[0].risk`.
    pub path: String,
    /// The text.
    pub text: String,
    /// True when it is internal material (in the internal record: under an `internal: true`).
    pub internal: bool,
}

/// Every string of `record`, with its path, in the order the record holds them: the strings of its
/// JSON, read as serde writes them, without the JSON being built (the scan reads every record).
pub fn texts(record: &Record) -> Vec<Text> {
    let mut collector = collect::Collector::default();
    match serde::Serialize::serialize(record, &mut collector) {
        Ok(()) => collector.texts,
        // A record is plain data and always serializes; should it not, its JSON is read.
        Err(_) => serde_json::to_value(record).map(|value| texts_of(&value)).unwrap_or_default(),
    }
}

/// Every string of a record already turned into JSON (see [`texts`], which gives the same without
/// it), for a caller that needs the JSON too.
pub fn texts_of(record: &Value) -> Vec<Text> {
    let mut out = Vec::new();
    walk(record, String::new(), false, &mut out);
    out
}

fn walk(value: &Value, path: String, internal: bool, out: &mut Vec<Text>) {
    match value {
        Value::String(text) if !text.trim().is_empty() => {
            out.push(Text { path, text: text.clone(), internal })
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk(item, format!("{path}[{i}]"), internal, out);
            }
        }
        Value::Object(map) => {
            let internal = internal || map.get("internal") == Some(&Value::Bool(true));
            for (key, item) in map {
                let path = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
                walk(item, path, internal, out);
            }
        }
        _ => {}
    }
}

/// File types whose text is read: the site publishes them as they are, so what they say is public
/// text. RTF is text with control words, and the words it shows are in it as written.
pub const TEXT_TYPES: &[&str] = &["txt", "md", "csv", "tsv", "json", "rtf"];

/// True when the project path `path` names a text file, by its type.
pub fn is_text(path: &str) -> bool {
    let extension = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    TEXT_TYPES.contains(&extension.as_str())
}

/// Bytes as text: UTF-8, or UTF-16 when they start with its byte-order mark (as Windows tools save
/// "Unicode" text), lossily; the file is published either way, so its words must be read.
pub fn decode(bytes: &[u8]) -> String {
    let utf16 = |little: bool| {
        let units: Vec<u16> = bytes[2..]
            .chunks_exact(2)
            .map(|p| if little { u16::from_le_bytes([p[0], p[1]]) } else { u16::from_be_bytes([p[0], p[1]]) })
            .collect();
        String::from_utf16_lossy(&units)
    };
    match bytes {
        [0xFF, 0xFE, ..] => utf16(true),
        [0xFE, 0xFF, ..] => utf16(false),
        _ => String::from_utf8_lossy(bytes).into_owned(),
    }
}

/// The text files a build of `record` copies (its static files and linked evidence), with their
/// text, read through the workbook's tree: exactly the files the site publishes, by project path.
pub fn text_files(record: &Record, workbook: &Workbook) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = record
        .copied_files()
        .into_iter()
        .map(|(_, path)| path)
        .filter(|path| is_text(path))
        .filter_map(|path| {
            let bytes = workbook.read_file(&path).ok()?;
            Some((path, decode(&bytes)))
        })
        .collect();
    files.sort();
    files.dedup();
    files
}

/// A record path cut into its steps: `questions[3].risks[0].risk` is
/// `[Key("questions"), Index(3), Key("risks"), Index(0), Key("risk")]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step<'a> {
    /// A key of an object.
    Key(&'a str),
    /// An index into a list.
    Index(usize),
}

/// The steps of a record path.
pub fn steps(path: &str) -> Vec<Step<'_>> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (key, rest) = part.split_once('[').map_or((part, ""), |(k, r)| (k, r));
        if !key.is_empty() {
            out.push(Step::Key(key));
        }
        for index in rest.split('[').filter(|s| !s.is_empty()) {
            if let Ok(i) = index.trim_end_matches(']').parse() {
                out.push(Step::Index(i));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The texts read from the record as it serializes are the texts of its JSON, path for path, in
    /// order, with the same marks of internal material: on the example project's records for both
    /// audiences, with drafts shown and not.
    #[test]
    fn the_texts_of_a_record_are_the_texts_of_its_json() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("example-project");
        let workbook = crate::load::load(&root);
        let (history, _) = crate::history::History::read(&root);
        let mut checked = 0;
        for audience in [crate::record::Audience::Public, crate::record::Audience::Internal] {
            for preview in [false, true] {
                let today = jiff::civil::date(2026, 12, 1);
                let options = crate::build::BuildOptions { audience, base_url: None, today };
                let record = crate::build::record_with(&workbook, &history, &options, preview).unwrap();
                let json = texts_of(&serde_json::to_value(&record).unwrap());
                let read = texts(&record);
                let differs = read.iter().zip(&json).position(|(a, b)| a != b);
                if let Some(at) = differs {
                    panic!(
                        "{audience:?}, preview {preview}: at {at}, {:?} against the JSON's {:?}",
                        read[at], json[at]
                    );
                }
                assert_eq!(read.len(), json.len(), "{audience:?}, preview {preview}: as many texts");
                checked += read.iter().filter(|t| t.internal).count();
                assert!(read.len() > 300, "the example has many texts: {}", read.len());
            }
        }
        assert!(checked > 0, "some texts are internal in the internal record");
    }

    #[test]
    fn paths_cut_into_steps() {
        assert_eq!(
            steps("questions[3].prompts[0].prompts[1].answer"),
            [
                Step::Key("questions"),
                Step::Index(3),
                Step::Key("prompts"),
                Step::Index(0),
                Step::Key("prompts"),
                Step::Index(1),
                Step::Key("answer")
            ]
        );
        assert_eq!(steps("tool.summary"), [Step::Key("tool"), Step::Key("summary")]);
    }
}
