//! `workbook.json`: the record, as data, under stable field names.

use crate::record::Record;

/// The record as pretty-printed JSON, ending in a newline.
pub fn render(record: &Record) -> String {
    let mut out = serde_json::to_string_pretty(record).expect("the record serializes");
    out.push('\n');
    out
}
