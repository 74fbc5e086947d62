//! # workbook
//!
//! Publish a council's answers to the Department for Education's *Data Ethics Workbook* (13 questions
//! for councils building data analytics tools in children's social care) as an accessible
//! transparency site.
//!
//! A project is a folder: `workbook.yaml` (settings) and `answers/*.md` (one Markdown file with YAML
//! front matter per question). The library runs one pipeline, stage by stage:
//!
//! - [`load`] reads settings, framework and answers into a [`load::Workbook`];
//! - [`check`] returns the [`diagnostic::Diagnostic`]s: errors and warnings with file, line and column;
//! - [`progress`] computes status and completeness from the files.
//!
//! ```
//! use workbook::{check, load, progress};
//!
//! let dir = tempfile::tempdir().unwrap();
//! let project = dir.path().join("my-tool");
//! workbook::init::init(&project, &workbook::init::InitOptions {
//!     organisation: "Northfield Borough Council".into(),
//!     tool: "Early Help Dashboard".into(),
//! }).unwrap();
//!
//! let workbook = load::load(&project);
//! let diagnostics = check::check(&workbook, progress::today());
//! // A new workbook has no errors: a warning per unanswered question, and one for each setting
//! // the public site needs that is still blank (the tool's summary, the contact, concerns).
//! assert_eq!(diagnostic_count(&diagnostics), (0, 13 + 3));
//! # fn diagnostic_count(d: &[workbook::diagnostic::Diagnostic]) -> (usize, usize) {
//! #     workbook::diagnostic::counts(d)
//! # }
//! ```
#![deny(missing_docs)]

pub mod build;
pub mod check;
pub mod diagnostic;
pub mod diff;
pub mod export;
pub mod framework;
pub mod history;
pub mod init;
pub mod links;
pub mod load;
pub mod lsp;
pub mod plan;
pub mod progress;
pub mod published;
pub mod record;
pub mod register;
pub mod render;
pub mod site;
pub mod status;
pub mod write;
