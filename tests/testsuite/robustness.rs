//! Property tests: whatever an answer file holds, loading, checking and rendering never panic, and
//! every diagnostic points inside the file.

use crate::support::Memory;
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;

const SETTINGS: &str = "framework: dfe-csc-2024\norganisation:\n  name: Council\ntool:\n  name: Tool\n  phase: develop\ncontact:\n  email: team@council.example\n";

/// Pieces that answer files are made of, valid and not.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("---\n".to_owned()),
        Just("question: 1\n".to_owned()),
        Just("status: complete\n".to_owned()),
        Just("status: in-review\n".to_owned()),
        Just("visibility: internal\n".to_owned()),
        Just("next_review: 2026-02-30\n".to_owned()),
        Just("prompts:\n  q1-analytics-type: |\n    text\n".to_owned()),
        Just("  q1-decision-process: \"quoted\n".to_owned()),
        Just("risks:\n  - risk: r\n    likelihood: high\n    impact: low\n".to_owned()),
        Just("metrics:\n  - name: m\n    value: .inf\n".to_owned()),
        Just("evidence:\n  - title: t\n    kind: dpia\n    file: ../../etc/passwd\n".to_owned()),
        Just("::: internal\n".to_owned()),
        Just(":::\n".to_owned()),
        Just("```\n".to_owned()),
        Just("# Heading\n".to_owned()),
        Just("| a | b |\n|---|---|\n| 1 | 2 |\n".to_owned()),
        Just("[^1]: note\n".to_owned()),
        Just("<script>alert(1)</script>\n".to_owned()),
        Just("{{ x }} {% if %}\n".to_owned()),
        Just("<!-- a note\n".to_owned()),
        Just("text <!-- inline --> text -->\n".to_owned()),
        Just("`<!--` <!-->\n".to_owned()),
        Just("\t\r\n".to_owned()),
        Just("\u{feff}".to_owned()),
        Just("call 07700 900982 or a@b.example\n".to_owned()),
        "[ -~]{0,40}\n",
        "\\PC{0,20}",
    ]
}

proptest! {
    // A case that hangs fails with its input rather than stalling the whole test run: a hang in the
    // YAML position reader once held CI until its time limit.
    #![proptest_config(ProptestConfig {
        cases: 300,
        timeout: 10_000,
        max_shrink_time: 60_000,
        ..ProptestConfig::default()
    })]

    #[test]
    fn any_answer_loads_checks_and_renders_without_panic(pieces in prop::collection::vec(fragment(), 0..24)) {
        let answer = pieces.concat();
        let tree = Memory(BTreeMap::from([
            ("workbook.yaml".to_owned(), SETTINGS.as_bytes().to_vec()),
            ("answers/01-describe-the-tool.md".to_owned(), answer.clone().into_bytes()),
        ]));
        let root = Path::new("/nonexistent/workbook-proptest");
        let workbook = workbook::load::load_from(root, std::sync::Arc::new(tree));
        let today = jiff::civil::date(2026, 6, 1);
        let diagnostics = workbook::check::check(&workbook, today);
        let lines = answer.lines().count().max(1) + 1;
        for d in &diagnostics {
            if let Some(l) = d.location.as_ref().filter(|l| l.file == "answers/01-describe-the-tool.md") {
                prop_assert!(l.line <= lines, "line {} of {}: {:?}", l.line, lines, d);
            }
        }
        if diagnostics.iter().all(|d| d.severity() != workbook::diagnostic::Severity::Error) {
            let options = workbook::build::BuildOptions {
                audience: workbook::record::Audience::Internal,
                base_url: None,
                today,
            };
            let templates = workbook::render::templates::Templates::load(&workbook).unwrap();
            let history = workbook::history::History::default();
            let site = workbook::build::render_workbook(&workbook, &history, &templates, &options);
            prop_assert!(site.is_ok(), "{:?}", site.err());
        }
    }

    #[test]
    fn markdown_around_raw_html_never_lets_it_through(
        before in "\\PC{0,80}",
        tag in prop::sample::select(vec!["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<iframe src=x>", "<svg onload=alert(1)>"]),
        after in "\\PC{0,80}",
    ) {
        let html = workbook::render::markdown::to_html(&format!("{before}{tag}{after}"), "p-", 2);
        for bad in ["<script", "<img", "<iframe", "<svg"] {
            prop_assert!(!html.contains(bad), "{html}");
        }
    }

    /// `NOTE-` is written only inside comments (and no piece makes code), so it must never be shown.
    #[test]
    fn no_html_comment_survives_into_a_passage_or_a_page(
        pieces in prop::collection::vec(prop::sample::select(vec![
            "Text ", "more text", "\n", "\r\n", "\r", "\n\n", "> ", "- ", "1. ", "| a | b |\n|---|---|\n| ",
            "# ", "::: internal\n", ":::\n", "*", "[", "](x)", "<div>", "<!<!--", "--",
            "<!-- NOTE-A -->", "<!-- NOTE-B\n", "\nstill the note -->", "<!-->", "<!--->", " -->", "<!-- NOTE-D\n\n-->",
        ]), 0..40),
    ) {
        let text = pieces.concat();
        if let Ok((uncommented, passages)) = workbook::load::body::cut_uncommented(&text) {
            let uncommented = uncommented.unwrap_or_else(|| text.clone());
            let shown = workbook::load::body::visible(&uncommented, &passages, true);
            prop_assert!(!shown.contains("NOTE-"), "{text:?} shows {shown:?}");
            let html = workbook::render::markdown::to_html(&shown, "p-", 2);
            prop_assert!(!html.contains("NOTE-"), "{text:?} renders {html}");
        }
        // However the text was written, the renderer never shows a note.
        let html = workbook::render::markdown::to_html(&text, "p-", 2);
        prop_assert!(!html.contains("NOTE-"), "{text:?} renders {html}");
    }
}
