//! `workbook export`: the record as data. `json` is exactly the site's `workbook.json`; `csv` is a
//! table per question or per prompt; `atrs` is the record of the UK Algorithmic Transparency
//! Recording Standard (v4.0), also as Markdown and CSV. Each format is built from the
//! [`Record`](crate::record::Record), so the audience rules of the site hold for every export.

pub mod atrs;
pub mod csv;
pub mod schema;
