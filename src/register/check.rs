//! `workbook check` and `workbook status` on a register: every member checked as a project is (or,
//! for a record, read back), in parallel, with each diagnostic's file shown relative to the register.

use super::{Member, MemberSource, Register, under_member};
use crate::build::BuildOptions;
use crate::diagnostic::{self, Diagnostic, Severity};
use crate::history::History;
use crate::record::Audience;
use jiff::civil::Date;
use rayon::prelude::*;
use serde::Serialize;

/// Checks every member of `register` as `check` checks a project (with the warnings `build` adds for
/// the public site, at the member's address under the register's), and the register's own settings.
/// Sorted; each file relative to the register folder.
pub fn check(register: &Register, today: Date) -> Vec<Diagnostic> {
    let mut all = register.diagnostics.clone();
    let histories = super::build::histories(&register.members);
    let found: Vec<Vec<Diagnostic>> = register
        .members
        .par_iter()
        .zip(histories.par_iter())
        .map(|(member, history)| {
            let mut found = check_member(register, member, history.as_deref(), today).diagnostics;
            under_member(member, &mut found);
            found
        })
        .collect();
    all.extend(found.into_iter().flatten());
    diagnostic::sort(&mut all);
    all
}

/// What checking one member found, and its row of `status`.
struct Checked {
    diagnostics: Vec<Diagnostic>,
    row: Option<StatusRow>,
}

fn check_member(
    register: &Register,
    member: &Member,
    history: Option<&(History, Vec<Diagnostic>)>,
    today: Date,
) -> Checked {
    match &member.source {
        MemberSource::Project(root) => {
            let workbook = crate::load::load(root);
            let read;
            let (history, history_warnings) = match history {
                Some((h, w)) => (h, w.as_slice()),
                None => {
                    read = History::read(root);
                    (&read.0, read.1.as_slice())
                }
            };
            let mut diagnostics = crate::check::check_with_history(&workbook, history, today);
            let options = super::build::member_options(
                register,
                &member.slug,
                &BuildOptions { audience: Audience::Public, base_url: None, today },
            );
            let mut publication = crate::build::publication_warnings(&workbook, history_warnings, &options);
            if let Some(settings) = &workbook.settings {
                crate::check::apply_lints(&settings.lints, &mut publication);
            }
            diagnostics.extend(publication);
            let row = match (&workbook.settings, &workbook.framework) {
                (Some(settings), Some(framework)) => {
                    let progress = crate::progress::Progress::of(&workbook, framework, today);
                    let summary = crate::status::Summary::of(&progress);
                    Some(StatusRow {
                        slug: member.slug.clone(),
                        organisation: settings.organisation.name.clone(),
                        tool: settings.tool.name.clone(),
                        phase: settings.tool.phase.as_str().to_owned(),
                        percent: summary.percent,
                        overdue: summary.overdue,
                        errors: 0,
                        warnings: 0,
                        from_record: false,
                    })
                }
                _ => None,
            };
            Checked { diagnostics, row }
        }
        MemberSource::Record(path) => match super::build::read_record(path) {
            Ok(record) => Checked {
                diagnostics: Vec::new(),
                row: Some(super::build::record_row(&member.slug, &record)),
            },
            Err(d) => Checked { diagnostics: vec![d], row: None },
        },
    }
}

/// One row of `status` on a register: a tool.
#[derive(Debug, Clone, Serialize)]
pub struct StatusRow {
    /// The member's slug.
    pub slug: String,
    /// The organisation that runs the tool.
    pub organisation: String,
    /// The tool's name.
    pub tool: String,
    /// The tool's phase (`explore`, `develop`, `implement`, `retired`).
    pub phase: String,
    /// Prompts answered, as a whole percentage.
    pub percent: u32,
    /// Answers whose review is overdue.
    pub overdue: usize,
    /// Errors `check` finds in the member.
    pub errors: usize,
    /// Warnings `check` finds in the member.
    pub warnings: usize,
    /// True for a member read from a published record.
    pub from_record: bool,
}

/// A row per member (sorted by slug; a member whose settings cannot be read has a row with empty
/// names), and every diagnostic, as [`check`] gives them.
pub fn status(register: &Register, today: Date) -> (Vec<StatusRow>, Vec<Diagnostic>) {
    let histories = super::build::histories(&register.members);
    let checked: Vec<(StatusRow, Vec<Diagnostic>)> = register
        .members
        .par_iter()
        .zip(histories.par_iter())
        .map(|(member, history)| {
            let Checked { mut diagnostics, row } = check_member(register, member, history.as_deref(), today);
            let (errors, warnings) = diagnostic::counts(&diagnostics);
            let mut row = row.unwrap_or_else(|| StatusRow {
                slug: member.slug.clone(),
                organisation: String::new(),
                tool: String::new(),
                phase: String::new(),
                percent: 0,
                overdue: 0,
                errors: 0,
                warnings: 0,
                from_record: matches!(member.source, MemberSource::Record(_)),
            });
            row.errors = errors;
            row.warnings = warnings;
            under_member(member, &mut diagnostics);
            (row, diagnostics)
        })
        .collect();
    let mut all = register.diagnostics.clone();
    let mut rows = Vec::new();
    for (row, diagnostics) in checked {
        rows.push(row);
        all.extend(diagnostics);
    }
    diagnostic::sort(&mut all);
    (rows, all)
}

/// `status`'s table for people: a row per tool.
pub fn status_text(rows: &[StatusRow]) -> String {
    let header = ["SLUG", "ORGANISATION", "TOOL", "PHASE", "DONE", "OVERDUE", "ERRORS", "WARNINGS"];
    let cells: Vec<[String; 8]> = rows
        .iter()
        .map(|r| {
            [
                r.slug.clone(),
                r.organisation.clone(),
                r.tool.clone(),
                r.phase.clone(),
                format!("{}%", r.percent),
                r.overdue.to_string(),
                r.errors.to_string(),
                r.warnings.to_string(),
            ]
        })
        .collect();
    let mut widths = header.map(|h| h.chars().count());
    for row in &cells {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |cells: &[String]| {
        let mut out = String::new();
        for (i, (cell, width)) in cells.iter().zip(widths).enumerate() {
            out.push_str(cell);
            if i + 1 < cells.len() {
                out.push_str(&" ".repeat(width - cell.chars().count() + 2));
            }
        }
        out.push('\n');
        out
    };
    let mut out = line(&header.map(str::to_owned));
    for row in &cells {
        out.push_str(&line(row));
    }
    out
}

/// `status --format json` on a register: `{"members": [row, …]}`.
pub fn status_json(rows: &[StatusRow]) -> String {
    let mut out = serde_json::to_string_pretty(&serde_json::json!({ "members": rows })).unwrap_or_default();
    out.push('\n');
    out
}

/// True when any of `diagnostics` is an error.
pub fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(|d| d.severity() == Severity::Error)
}
