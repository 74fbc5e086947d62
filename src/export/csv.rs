//! The record as CSV: one row per question, or (the long form) one row per prompt; and one row per
//! metric or per risk. Column names are stable. Every table is written by one [`CsvWriter`], so every CSV export is safe to open in a
//! spreadsheet in the same way.

use crate::record::{PromptRecord, Record};

/// Columns of the per-question table.
pub const QUESTION_COLUMNS: &[&str] = &[
    "question",
    "slug",
    "title",
    "phase",
    "status",
    "withheld",
    "prompts_answered",
    "prompts_total",
    "owner",
    "last_reviewed",
    "next_review",
    "overdue",
    "summary",
    "evidence",
    "engagement",
    "risks",
    "datasets",
    "metrics",
    "signoffs",
    "last_changed",
];

/// Columns of the per-prompt table.
pub const PROMPT_COLUMNS: &[&str] = &["question", "prompt_id", "parent_id", "prompt", "answered", "answer"];

/// Columns of the per-metric table.
pub const METRIC_COLUMNS: &[&str] = &[
    "question",
    "name",
    "group",
    "value",
    "unit",
    "baseline",
    "baseline_label",
    "interval_low",
    "interval_high",
    "n",
    "period",
    "suppressed",
    "suppressed_reason",
    "internal",
];

/// Columns of the per-risk table.
pub const RISK_COLUMNS: &[&str] = &[
    "question",
    "risk",
    "category",
    "likelihood",
    "impact",
    "residual_likelihood",
    "residual_impact",
    "mitigation",
    "owner",
    "status",
    "internal",
];

/// One row per metric, figures as written (`7.0` stays `7.0`). A suppressed figure's value,
/// baseline, count and interval are not in the public record, so its cells are empty.
pub fn metrics(record: &Record, writer: CsvWriter) -> String {
    let text = |f: Option<crate::load::figure::Figure>| f.map(|f| f.text()).unwrap_or_default();
    let rows = record.questions.iter().flat_map(|q| {
        q.metrics.iter().map(move |m| {
            let metric = &m.item;
            let interval = metric.interval.map(|[low, high]| (low, high));
            vec![
                q.number.to_string(),
                metric.name.clone(),
                metric.group.clone().unwrap_or_default(),
                text(metric.value),
                metric.unit.clone().unwrap_or_default(),
                text(metric.baseline),
                metric.baseline_label.clone().unwrap_or_default(),
                text(interval.map(|i| i.0)),
                text(interval.map(|i| i.1)),
                metric.n.map(|n| n.to_string()).unwrap_or_default(),
                metric.period.clone().unwrap_or_default(),
                metric.suppressed.to_string(),
                metric.suppressed_reason.clone().unwrap_or_default(),
                m.internal.to_string(),
            ]
        })
    });
    writer.write_rows(METRIC_COLUMNS, rows)
}

/// One row per risk, with its ratings before and after mitigation.
pub fn risks(record: &Record, writer: CsvWriter) -> String {
    let words = |v: serde_json::Result<serde_json::Value>| {
        v.ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
    };
    let rows = record.questions.iter().flat_map(|q| {
        q.risks.iter().map(move |r| {
            let risk = &r.item;
            vec![
                q.number.to_string(),
                risk.risk.clone(),
                words(serde_json::to_value(risk.category)),
                words(serde_json::to_value(risk.likelihood)),
                words(serde_json::to_value(risk.impact)),
                words(serde_json::to_value(risk.residual_likelihood)),
                words(serde_json::to_value(risk.residual_impact)),
                risk.mitigation.clone(),
                risk.owner.clone().unwrap_or_default(),
                words(serde_json::to_value(risk.status)),
                r.internal.to_string(),
            ]
        })
    });
    writer.write_rows(RISK_COLUMNS, rows)
}

/// One row per question.
pub fn questions(record: &Record, writer: CsvWriter) -> String {
    let rows = record.questions.iter().map(|q| {
        let counts = [
            q.evidence.len(),
            q.engagement.len(),
            q.risks.len(),
            q.datasets.len(),
            q.metrics.len(),
            q.signoffs.len(),
        ];
        let mut row = vec![
            q.number.to_string(),
            q.slug.clone(),
            q.title.clone(),
            q.phase.clone(),
            q.status.map_or("", |s| s.as_str()).to_owned(),
            serde_json::to_value(q.withheld)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
            q.prompts_answered.map(|n| n.to_string()).unwrap_or_default(),
            q.prompts_total.to_string(),
            q.owner.clone().unwrap_or_default(),
            q.last_reviewed.clone().unwrap_or_default(),
            q.next_review.clone().unwrap_or_default(),
            q.overdue.to_string(),
            q.summary.clone(),
        ];
        row.extend(counts.iter().map(usize::to_string));
        row.push(q.history.first().map(|c| c.day().to_owned()).unwrap_or_default());
        row
    });
    writer.write_rows(QUESTION_COLUMNS, rows)
}

/// One row per prompt, nested prompts after their parent.
pub fn prompts(record: &Record, writer: CsvWriter) -> String {
    fn rows(out: &mut Vec<[String; 6]>, number: u32, parent: &str, prompts: &[PromptRecord]) {
        for p in prompts {
            let answered = (!p.answer.trim().is_empty()).to_string();
            out.push([
                number.to_string(),
                p.id.clone(),
                parent.to_owned(),
                p.text.clone(),
                answered,
                p.answer.clone(),
            ]);
            rows(out, number, &p.id, &p.prompts);
        }
    }
    let mut out = Vec::new();
    for q in &record.questions {
        rows(&mut out, q.number, "", &q.prompts);
    }
    writer.write_rows(PROMPT_COLUMNS, out)
}

/// The one writer of every CSV export: a header and rows of text in, a file that a spreadsheet opens
/// safely out.
///
/// - **Formulas are neutralised**, as OWASP's *CSV Injection* guidance recommends: a cell that starts
///   with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`, which Excel, LibreOffice
///   and Google Sheets read as "this is text", so opening the file never runs an author's `=1+2` (or
///   `=HYPERLINK(…)`, or `-cmd|…`). One exception: a cell that is wholly a plain negative decimal
///   number (`-3.5`, `-12`: a minus, digits, at most one `.` with digits after it) is left as it is.
///   A spreadsheet reads it as a number constant, not a formula, so it cannot run anything; prefixing
///   it would turn every negative figure into text that cannot be summed. A `+` is never exempt: no
///   column here writes one before a number, and `+44 …` is a phone number, not a figure.
/// - **A UTF-8 byte-order mark** starts the file when `bom` is set (the default of `export`), because
///   Excel reads a CSV file without one in the machine's legacy code page and mangles `é`, `’` and `£`.
///   `--no-bom` leaves it out for tools that do not expect one.
/// - **Lines end with LF**, as the csv crate writes them, not RFC 4180's CRLF: line breaks inside
///   answers are LF too, so the file has one kind throughout and diffs cleanly in git; Excel,
///   LibreOffice and every CSV parser we know read it.
/// - Quoting is the csv crate's: a cell is quoted when it holds a comma, a quote or a line break.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CsvWriter {
    bom: bool,
}

/// The byte-order mark that tells Excel the file is UTF-8.
const BOM: char = '\u{feff}';

impl CsvWriter {
    /// A writer that starts its files with a UTF-8 byte-order mark when `bom` is true.
    pub fn new(bom: bool) -> Self {
        CsvWriter { bom }
    }

    /// The CSV file of `header` and then `rows`, every cell neutralised (see [`neutralise`]).
    pub fn write_rows<H, R, C>(&self, header: H, rows: R) -> String
    where
        H: IntoIterator,
        H::Item: AsRef<str>,
        R: IntoIterator,
        R::Item: IntoIterator<Item = C>,
        C: AsRef<str>,
    {
        let mut out = csv::WriterBuilder::new().flexible(true).from_writer(Vec::new());
        let mut write = |cells: Vec<String>| {
            // Writing to a Vec cannot fail, and every cell is a whole `str`.
            let _ = out.write_record(&cells);
        };
        write(header.into_iter().map(|c| neutralise(c.as_ref()).into_owned()).collect());
        for row in rows {
            write(row.into_iter().map(|c| neutralise(c.as_ref()).into_owned()).collect());
        }
        let bytes = out.into_inner().unwrap_or_default();
        let mut text = String::with_capacity(bytes.len() + BOM.len_utf8());
        if self.bom {
            text.push(BOM);
        }
        // Only whole `str` cells went in, so this is UTF-8; lossy never replaces anything.
        text.push_str(&String::from_utf8_lossy(&bytes));
        text
    }
}

/// A cell as a spreadsheet should read it: with a leading `'` when it starts like a formula, as
/// [`CsvWriter`] explains; a plain negative number as it is.
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) && !is_negative_number(cell) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// True for `-` followed by a plain decimal number: digits, and at most one `.` with digits after it.
fn is_negative_number(cell: &str) -> bool {
    let Some(digits) = cell.strip_prefix('-') else { return false };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, "0"));
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    all_digits(whole) && all_digits(fraction)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_negative_numbers_escape_the_prefix() {
        for kept in ["-3.5", "-12", "-0.25", "3", "plain", "", "'quoted", " =space first"] {
            assert_eq!(neutralise(kept), kept);
        }
        for live in [
            "=1+2",
            "+44 1632 960000",
            "+3",
            "-",
            "-3.",
            "-.5",
            "-3.5.1",
            "-1+2",
            "-3e5",
            "-cmd",
            "@SUM(A1)",
            "\tx",
            "\rx",
        ] {
            assert_eq!(neutralise(live), format!("'{live}"), "{live:?}");
        }
    }

    #[test]
    fn the_header_is_neutralised_and_the_bom_comes_first() {
        let text = CsvWriter::new(true).write_rows(["=a", "b"], [["1", "=2"]]);
        assert_eq!(text, "\u{feff}'=a,b\n1,'=2\n");
        assert_eq!(CsvWriter::new(false).write_rows(["a"], Vec::<Vec<String>>::new()), "a\n");
    }
}
