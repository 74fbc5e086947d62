//! Nothing internal in any public byte: a property test places a unique marker in every internal
//! place a project has (whole answers, list items, passages of answers and settings, evidence only
//! internal items link, the subjects of commits that changed only internal material, authors'
//! names) over a random history, builds the public site, and looks for the markers in every file.
//!
//! `WORKBOOK_LEAK_CASES` sets the number of cases (300 in the suite; the long run is 10,000).

use crate::support::git_at;
use proptest::prelude::*;
use std::path::Path;

/// Every marker starts so; none of the words around them does.
const MARKER: &str = "ZQXMARK";

/// One answer of a generated project.
#[derive(Debug, Clone)]
struct AnswerPlan {
    internal: bool,
    status: &'static str,
    prompt_passage: bool,
    body_passage: bool,
    /// Risks: `true` for an internal one.
    risks: Vec<bool>,
    /// Evidence: `true` for an internal item, each with its own file.
    evidence: Vec<bool>,
}

/// A change after the first commit: to which answer, and whether it touches only internal material.
#[derive(Debug, Clone, Copy)]
struct Edit {
    answer: usize,
    internal_only: bool,
}

fn answer_plan() -> impl Strategy<Value = AnswerPlan> {
    (
        any::<bool>(),
        prop::sample::select(vec!["draft", "in-review"]),
        any::<bool>(),
        any::<bool>(),
        prop::collection::vec(any::<bool>(), 0..3),
        prop::collection::vec(any::<bool>(), 0..3),
    )
        .prop_map(|(internal, status, prompt_passage, body_passage, risks, evidence)| AnswerPlan {
            internal,
            status,
            prompt_passage,
            body_passage,
            risks,
            evidence,
        })
}

/// The text of answer `i` (question `i + 1`) at version `version`; internal places carry markers
/// that name the answer, the place and the version, so an edit of internal material changes them.
fn answer_text(
    i: usize,
    plan: &AnswerPlan,
    version: usize,
    public_version: usize,
) -> (String, Vec<(String, String)>) {
    let q = i + 1;
    let m = |place: &str| format!("{MARKER}{q}{place}v{version}");
    // Everything in an internal answer is internal.
    let public = |place: &str, text: &str| {
        if plan.internal { m(place) } else { format!("{text} (edition {public_version})") }
    };
    let prompt = match q {
        1 => "q1-analytics-type",
        2 => "q2-measuring-impact",
        3 => "q3-third-parties",
        _ => "q4-legal-requirements",
    };
    let mut files = Vec::new();
    let mut yaml = format!(
        "question: {q}\nstatus: {}\nvisibility: {}\nowner: {}\nnext_review: 2099-01-01\nsummary: {}\n",
        plan.status,
        if plan.internal { "internal" } else { "public" },
        public("owner", "Head of Data"),
        public("summary", "What this answer says"),
    );
    let passage = if plan.prompt_passage {
        format!("\n\n    ::: internal\n    {}\n    :::", m("prompt"))
    } else {
        String::new()
    };
    yaml += &format!("prompts:\n  {prompt}: |\n    {}{passage}\n", public("answer", "The public answer"));
    if !plan.risks.is_empty() {
        yaml += "risks:\n";
        for (r, internal) in plan.risks.iter().enumerate() {
            let (risk, mitigation) = if *internal || plan.internal {
                (m(&format!("risk{r}")), m(&format!("mitigation{r}")))
            } else {
                (format!("A public risk {r}"), format!("A public mitigation {r}"))
            };
            yaml += &format!(
                "  - risk: {risk}\n    likelihood: low\n    impact: high\n    mitigation: {mitigation}\n    visibility: {}\n",
                if *internal { "internal" } else { "public" }
            );
        }
    }
    if !plan.evidence.is_empty() {
        yaml += "evidence:\n";
        for (e, internal) in plan.evidence.iter().enumerate() {
            let secret = *internal || plan.internal;
            // An internal item's file has a name of its own: the name is internal too.
            let name = if secret { format!("{MARKER}{q}file{e}.txt") } else { format!("public-{q}-{e}.txt") };
            let content = if secret { m(&format!("filetext{e}")) } else { format!("Public evidence {e}.") };
            files.push((format!("evidence/{name}"), content));
            let title = if secret { m(&format!("evidence{e}")) } else { format!("Public evidence {e}") };
            yaml += &format!(
                "  - title: {title}\n    kind: report\n    file: evidence/{name}\n    visibility: {}\n",
                if *internal { "internal" } else { "public" }
            );
        }
    }
    let mut body = public("body", "The public body.");
    if plan.body_passage {
        body += &format!("\n\n::: internal\n{}\n:::\n", m("passage"));
    }
    (format!("---\n{yaml}---\n\n{body}\n"), files)
}

const SLUGS: [&str; 4] = [
    "01-describe-the-tool",
    "02-outcomes-and-benefits",
    "03-resources-and-skills",
    "04-risks-and-mitigations",
];

fn settings_text(version: usize) -> String {
    format!(
        "framework: dfe-csc-2024\norganisation:\n  name: Testshire County Council\ntool:\n  name: Tool\n  summary: A tool.\n  phase: explore\n\
         contact:\n  email: ethics@testshire.example\n  concerns: |\n    Write to us.\n\n    ::: internal\n    {MARKER}concernsv{version}\n    :::\n\
         site:\n  base_url: https://example.org/\n  publish_drafts: true\naccessibility:\n  tested: 2026-01-01\n  method: |\n    By hand.\n\n    ::: internal\n    {MARKER}methodv{version}\n    :::\n"
    )
}

/// Writes the project at `dir` as it is after `versions` (each answer's internal and public version).
fn write(dir: &Path, plans: &[AnswerPlan], versions: &[(usize, usize)], settings: usize) {
    std::fs::create_dir_all(dir.join("answers")).unwrap();
    std::fs::create_dir_all(dir.join("evidence")).unwrap();
    std::fs::write(dir.join("workbook.yaml"), settings_text(settings)).unwrap();
    for (i, plan) in plans.iter().enumerate() {
        let (text, files) = answer_text(i, plan, versions[i].0, versions[i].1);
        std::fs::write(dir.join(format!("answers/{}.md", SLUGS[i])), text).unwrap();
        for (path, content) in files {
            std::fs::write(dir.join(path), content).unwrap();
        }
    }
}

fn case(plans: Vec<AnswerPlan>, edits: Vec<Edit>) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let author = format!("{MARKER}author");
    let commit = |message: &str, day: usize| {
        git_at(root, &format!("2026-01-{:02}T10:00:00Z", day + 1), &["add", "-A"]);
        let status = std::process::Command::new("git")
            .arg("-C")
            .arg(root)
            .args([
                "-c",
                &format!("user.name={author}"),
                "-c",
                "user.email=a@example.invalid",
                "-c",
                "commit.gpgsign=false",
            ])
            .args(["commit", "-q", "--allow-empty", "-m", message])
            .env("GIT_AUTHOR_DATE", format!("2026-01-{:02}T10:00:00Z", day + 1))
            .env("GIT_COMMITTER_DATE", format!("2026-01-{:02}T10:00:00Z", day + 1))
            .status()
            .unwrap();
        assert!(status.success());
    };
    git_at(root, "2026-01-01T00:00:00Z", &["init", "-q", "-b", "main"]);
    let mut versions = vec![(0, 0); plans.len()];
    let mut settings = 0;
    write(root, &plans, &versions, settings);
    commit("Start the workbook", 0);
    for (k, edit) in edits.iter().enumerate() {
        let i = edit.answer % plans.len();
        let subject = if edit.internal_only {
            // Internal material only: the internal version of one answer, or the settings' passages.
            let p = &plans[i];
            let has_internal = p.internal
                || p.prompt_passage
                || p.body_passage
                || p.risks.iter().any(|r| *r)
                || p.evidence.iter().any(|e| *e);
            if k % 3 == 2 || !has_internal {
                settings += 1;
            } else {
                versions[i].0 += 1;
            }
            format!("{MARKER}subject{k}")
        } else {
            versions[i].1 += 1;
            format!("Public change {k}")
        };
        write(root, &plans, &versions, settings);
        commit(&subject, k + 1);
    }
    let options = workbook::build::BuildOptions {
        audience: workbook::record::Audience::Public,
        base_url: None,
        today: jiff::civil::date(2026, 6, 1),
    };
    let site = workbook::build::render_site(root, &options);
    let site = match site {
        Ok(site) => site,
        Err(d) => return Err(TestCaseError::fail(format!("the project does not build: {d:#?}"))),
    };
    for (path, bytes) in &site.files {
        prop_assert!(!path.contains(MARKER), "a file name is internal: {path}");
        let text = String::from_utf8_lossy(bytes);
        if let Some(at) = text.find(MARKER) {
            let around = &text[at.saturating_sub(80)..(at + 40).min(text.len())];
            return Err(TestCaseError::fail(format!("{path} holds internal text: …{around}…")));
        }
    }
    Ok(())
}

fn cases() -> u32 {
    std::env::var("WORKBOOK_LEAK_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(300)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), timeout: 30_000, max_shrink_time: 60_000, ..ProptestConfig::default() })]

    #[test]
    fn no_internal_marker_reaches_any_public_byte(
        plans in prop::collection::vec(answer_plan(), 1..=4),
        edits in prop::collection::vec((0usize..4, any::<bool>()).prop_map(|(answer, internal_only)| Edit { answer, internal_only }), 0..5),
    ) {
        case(plans, edits)?;
    }
}
