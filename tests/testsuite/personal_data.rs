//! The personal-data lint on whole projects: what an organisation may publish about itself, what
//! still warns, and the levels that `lints:` in workbook.yaml sets.

use crate::support::{copy_tree, diagnostics_json, fixtures, workbook};

/// The base project with `settings` added to its workbook.yaml and `body` as the Markdown body of
/// question 1's answer.
fn project(settings: &str, body: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixtures().join("base"), dir.path());
    let yaml = dir.path().join("workbook.yaml");
    let mut text = std::fs::read_to_string(&yaml).unwrap();
    text.push_str(settings);
    std::fs::write(&yaml, text).unwrap();
    let answer = format!("---\nquestion: 1\nstatus: draft\nnext_review: 2099-01-01\n---\n\n{body}\n");
    std::fs::write(dir.path().join("answers/01-describe-the-tool.md"), answer).unwrap();
    dir
}

/// `check --format json` on `dir`: the exit code and every diagnostic.
fn check(dir: &tempfile::TempDir) -> (Option<i32>, Vec<serde_json::Value>) {
    let output = workbook().args(["check", "--format", "json"]).arg(dir.path()).output().unwrap();
    (output.status.code(), diagnostics_json(&output.stdout))
}

/// The personal-data findings: code, severity, line and column.
fn personal(diagnostics: &[serde_json::Value]) -> Vec<(String, String, u64, u64)> {
    diagnostics
        .iter()
        .filter(|d| d["name"].as_str().is_some_and(|n| n.starts_with("personal-data")))
        .map(|d| {
            let text = |key: &str| d[key].as_str().unwrap_or_default().to_owned();
            (
                text("code"),
                text("severity"),
                d["line"].as_u64().unwrap_or(0),
                d["column"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

const COUNCIL_CONTACTS: &str =
    "check:\n  public_contacts:\n    - 01632 960000\n    - DataProtection@northfield.gov.uk\n";

const COUNCIL_TEXT: &str = "\
Call the council on 01632 960000 or write to dataprotection@northfield.gov.uk.
If you are worried about a child, call the NSPCC on 0808 800 5000; children can call Childline on 0800 1111.
Call 101 to report a crime, or ring 0300 123 4567 for the children's services front door.
We supported 1,200 families in 2024/25. Spending was capped at 100000 a year, £1,250,000 in all,
for children of ages 0 to 18; 15.2% were referred again.
See DfE (2024), paragraph 3.12, and ISBN 978-0-00-000000-0.";

#[test]
fn an_organisations_own_contacts_and_statistics_give_no_warning_once_listed() {
    let (_, diagnostics) = check(&project(COUNCIL_CONTACTS, COUNCIL_TEXT));
    assert_eq!(personal(&diagnostics), [], "{diagnostics:#?}");
    // Unlisted, the switchboard and the mailbox are reported, and nothing else is.
    let (_, diagnostics) = check(&project("", COUNCIL_TEXT));
    let found = personal(&diagnostics);
    let codes: Vec<&str> = found.iter().map(|f| f.0.as_str()).collect();
    assert_eq!(codes, ["W006", "W005"], "{found:?}");
    let help = diagnostics.iter().find(|d| d["code"] == "W006").and_then(|d| d["help"].as_str()).unwrap();
    assert!(help.contains("`check.public_contacts` in workbook.yaml"), "{help}");
}

#[test]
fn the_contacts_phone_is_allowed_in_any_format() {
    let settings = "check:\n  public_contacts: []\n";
    let dir = project(settings, "Ring +44 (0)1632 960000.");
    let yaml = dir.path().join("workbook.yaml");
    let text = std::fs::read_to_string(&yaml).unwrap();
    std::fs::write(&yaml, text.replace("  concerns:", "  phone: 01632-960000\n  concerns:")).unwrap();
    let (_, diagnostics) = check(&dir);
    assert_eq!(personal(&diagnostics), [], "{diagnostics:#?}");
}

#[test]
fn personal_data_still_warns_beside_listed_contacts() {
    let body = "\
Ask Jo on 07700 900123 or jo.bloggs1985@gmail.com.
Jamie Smith, born 14/03/2011, DOB 14.03.2011, is Mosaic ID 1234567.
Sam Jones (14/03/2011) moved.";
    let (_, diagnostics) = check(&project(COUNCIL_CONTACTS, body));
    let warning = |code: &str, line, column| (code.to_owned(), "warning".to_owned(), line, column);
    assert_eq!(
        personal(&diagnostics),
        [
            warning("W006", 7, 11),
            warning("W005", 7, 27),
            warning("W016", 8, 14),
            warning("W016", 8, 31),
            warning("W017", 8, 50),
            warning("W016", 9, 1),
        ],
        "{diagnostics:#?}"
    );
}

const MOBILE: &str = "Ask Jo on 07700 900123.";

#[test]
fn deny_makes_a_warning_an_error_that_fails_check_and_build() {
    let dir = project("lints:\n  personal-data-phone: deny\n", MOBILE);
    let (code, diagnostics) = check(&dir);
    assert_eq!(code, Some(1), "check fails without --strict");
    assert_eq!(personal(&diagnostics), [("W006".to_owned(), "error".to_owned(), 7, 11)]);
    // Other warnings keep their level.
    assert!(diagnostics.iter().any(|d| d["code"] == "W001" && d["severity"] == "warning"));

    let output = workbook().arg("check").arg(dir.path()).output().unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("error[W006 personal-data-phone]"), "{stderr}");
    assert!(stderr.contains("`lints.personal-data-phone: deny` in workbook.yaml"), "{stderr}");
    assert!(stderr.contains("check: 1 error,"), "{stderr}");

    let github = workbook().args(["check", "--format", "github"]).arg(dir.path()).output().unwrap();
    let github = String::from_utf8(github.stdout).unwrap();
    assert!(github.lines().any(|l| l.starts_with("::error ") && l.contains("W006")), "{github}");

    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let output = workbook().arg("build").arg(dir.path()).arg("--out").arg(&site).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("W006"));
    assert!(!site.exists(), "build refuses");
}

#[test]
fn allow_drops_a_warning_and_warn_keeps_it() {
    let (code, diagnostics) = check(&project("lints:\n  personal-data-phone: allow\n", MOBILE));
    assert_eq!(code, Some(0));
    assert_eq!(personal(&diagnostics), []);
    let (_, diagnostics) = check(&project("lints:\n  personal-data-phone: warn\n", MOBILE));
    assert_eq!(personal(&diagnostics), [("W006".to_owned(), "warning".to_owned(), 7, 11)]);
}

#[test]
fn a_lint_that_does_not_exist_or_is_an_error_is_an_error_at_its_key() {
    let settings = "lints:\n  personal-data-phon: deny\n  W005: allow\n  unknown-key: allow\n";
    let (code, diagnostics) = check(&project(settings, MOBILE));
    assert_eq!(code, Some(1));
    let about_settings: Vec<(&str, u64, u64, &str)> = diagnostics
        .iter()
        // W014 no-base-url is about publishing, not the lints.
        .filter(|d| d["file"] == "workbook.yaml" && d["code"] != "W014")
        .map(|d| {
            let help = d["help"].as_str().unwrap_or_default();
            (d["code"].as_str().unwrap(), d["line"].as_u64().unwrap(), d["column"].as_u64().unwrap(), help)
        })
        .collect();
    let lines =
        std::fs::read_to_string(fixtures().join("base/workbook.yaml")).unwrap().lines().count() as u64;
    assert_eq!(about_settings.len(), 3, "{diagnostics:#?}");
    assert_eq!(about_settings[0], ("E002", lines + 2, 3, "did you mean `personal-data-phone`?"));
    assert_eq!(about_settings[1], ("E002", lines + 3, 3, "did you mean `personal-data-email`?"));
    assert_eq!(about_settings[2].0, "E003");
    assert_eq!(about_settings[2].1, lines + 4);
    // The error is not lowered.
    assert!(
        diagnostics.iter().all(|d| !d["code"].as_str().unwrap().starts_with('E') || d["severity"] == "error")
    );
    // Nor is a level a word it does not know.
    let (code, diagnostics) = check(&project("lints:\n  personal-data-phone: forbid\n", MOBILE));
    assert_eq!(code, Some(1));
    assert!(
        diagnostics.iter().any(|d| d["file"] == "workbook.yaml" && d["code"] == "E003"),
        "{diagnostics:#?}"
    );
}

#[test]
fn a_public_contact_that_is_neither_a_number_nor_an_address_is_an_error() {
    let settings = "check:\n  public_contacts:\n    - 01632 960000\n    - the front desk\n";
    let (code, diagnostics) = check(&project(settings, MOBILE));
    assert_eq!(code, Some(1));
    let lines =
        std::fs::read_to_string(fixtures().join("base/workbook.yaml")).unwrap().lines().count() as u64;
    let error = diagnostics.iter().find(|d| d["file"] == "workbook.yaml" && d["code"] != "W014").unwrap();
    assert_eq!(
        (&error["code"], &error["line"], &error["column"]),
        (&"E003".into(), &(lines + 4).into(), &7.into())
    );
}

#[test]
fn list_lints_names_every_diagnostic_with_its_level() {
    let output = workbook().args(["check", "--list-lints"]).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8(output.stdout).unwrap();
    for code in workbook::diagnostic::Code::ALL {
        let level = match code.code().as_bytes()[0] {
            b'E' => "error",
            b'I' => "info",
            _ => "warn",
        };
        let row = stdout.lines().find(|l| l.starts_with(code.code())).unwrap_or_else(|| panic!("{code}"));
        let words: Vec<&str> = row.split_whitespace().collect();
        assert_eq!(words[..3], [code.code(), code.name(), level], "{row}");
        assert!(row.ends_with(code.description()), "{row}");
    }
}
