//! The command line as a user meets it: exit codes, output formats, help, colour.

use crate::support::{diagnostics_json, fixtures, workbook};
use predicates::prelude::*;

#[test]
fn version_and_help_with_examples() {
    workbook().arg("--version").assert().success().stdout(predicate::str::starts_with("workbook "));
    for command in ["init", "check", "status", "questions"] {
        workbook().args([command, "--help"]).assert().success().stdout(predicate::str::contains("Example"));
    }
}

#[test]
fn usage_errors_exit_2() {
    workbook().arg("frobnicate").assert().code(2);
    workbook().args(["check", "--format", "xml"]).assert().code(2);
    workbook()
        .args(["check", "/no/such/folder"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is not a folder"));
}

#[test]
fn the_example_project_checks_without_errors() {
    let project = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("example-project");
    let output = workbook().args(["check", "--format", "json"]).arg(&project).output().unwrap();
    let diagnostics = diagnostics_json(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{diagnostics:#?}");
    assert!(diagnostics.iter().all(|d| d["severity"] != "error"));
    // --strict turns its warnings into a failure.
    workbook().args(["check", "--strict"]).arg(&project).assert().code(1);
}

fn project_with(answer: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    crate::support::copy_tree(&fixtures().join("base"), dir.path());
    std::fs::write(dir.path().join("answers/01-describe-the-tool.md"), answer).unwrap();
    dir
}

#[test]
fn human_output_shows_the_line_a_caret_and_help_without_colour_when_not_a_terminal() {
    let dir = project_with("---\nquestion: 1\nstatus: draft\nownr: x\n---\n");
    let output = workbook().arg("check").arg(dir.path()).env_remove("NO_COLOR").output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("error[E002 unknown-key]: unknown key `ownr`"), "{stderr}");
    // Paths open from where the command ran: under the project folder as it was given.
    let path = format!("--> {}/answers/01-describe-the-tool.md:4:1", dir.path().display());
    assert!(stderr.contains(&path), "{stderr}");
    assert!(stderr.contains("4 | ownr: x"), "{stderr}");
    assert!(stderr.contains("| ^^^^"), "{stderr}");
    assert!(stderr.contains("help: did you mean `owner`?"), "{stderr}");
    assert!(!stderr.contains('\x1b'), "no colour codes when stderr is not a terminal");
}

#[test]
fn without_a_project_folder_the_nearest_one_above_is_used() {
    let dir = project_with("---\nquestion: 1\nstatus: draft\nownr: x\n---\n");
    let output = workbook().arg("check").current_dir(dir.path().join("answers")).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("--> ../answers/01-describe-the-tool.md:4:1"), "{stderr}");
    // Given a folder, that folder is used and no other.
    workbook()
        .args(["check", "."])
        .current_dir(dir.path().join("answers"))
        .assert()
        .code(1)
        .stderr(predicates::str::contains("E008 missing-settings"));
}

#[test]
fn github_format_prints_workflow_commands() {
    let dir = project_with("---\nquestion: 1\nstatus: draft\nownr: x\n---\n");
    let output = workbook().args(["check", "--format", "github"]).arg(dir.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).unwrap();
    // Each line is `::error|warning|notice key=value,…::message` with no raw newline in the message.
    let line_re = regex::Regex::new(
        // A finding about the whole project (W013 no-history) has no file.
        r"^::(error|warning|notice) (file=[^,:]+(,line=\d+,col=\d+)?,)?title=[EWI]\d{3} [a-z0-9-]+::[^\r\n]*$",
    )
    .unwrap();
    assert!(!stdout.is_empty());
    for line in stdout.lines() {
        assert!(line_re.is_match(line), "not a workflow command: {line}");
    }
    assert!(stdout.contains("::error file=answers/01-describe-the-tool.md,line=4,col=1,title=E002 unknown-key::unknown key `ownr`%0Ahelp: did you mean `owner`?"), "{stdout}");
}

#[test]
fn json_format_has_stable_fields() {
    let dir = project_with("---\nquestion: 1\nstatus: draft\nownr: x\n---\n");
    let output = workbook().args(["check", "--format", "json"]).arg(dir.path()).output().unwrap();
    let diagnostics = diagnostics_json(&output.stdout);
    let first = diagnostics.iter().find(|d| d["code"] == "E002").unwrap();
    let keys: Vec<&String> = first.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["severity", "code", "name", "message", "file", "line", "column", "help"]);
}

#[test]
fn personal_data_in_public_text_is_caught_and_internal_text_is_not() {
    let dir = project_with(
        "---\nquestion: 1\nstatus: draft\nnext_review: 2099-01-01\nsummary: Ring 07700 900982 or mail jo.bloggs@gmail.example.\nprompts:\n  q1-analytics-type: NHS 943 476 5919\n---\n\nContact ethics@testshire.example.\n\n::: internal\nNI QQ123456C AB123456C\n:::\n",
    );
    let output = workbook().args(["check", "--format", "json"]).arg(dir.path()).output().unwrap();
    let diagnostics = diagnostics_json(&output.stdout);
    let found: Vec<(String, u64, u64)> = diagnostics
        .iter()
        .filter(|d| d["name"].as_str().unwrap().starts_with("personal-data"))
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [("W006".to_owned(), 5, 15), ("W005".to_owned(), 5, 36), ("W007".to_owned(), 7, 26)],
        "{diagnostics:#?}"
    );
}

#[test]
fn an_answer_that_does_not_parse_is_not_also_reported_missing() {
    let project = project_with("---\nquestion: 1\nstatus: draft\n<p>Pasted</p>\nsummary: s\n---\n");
    let output = workbook().args(["check", "--format", "json"]).arg(project.path()).output().unwrap();
    let diagnostics = diagnostics_json(&output.stdout);
    let about_q1: Vec<_> =
        diagnostics.iter().filter(|d| d["file"] == "answers/01-describe-the-tool.md").collect();
    assert_eq!(about_q1.len(), 1, "{about_q1:#?}");
    assert_eq!(about_q1[0]["code"], "E001");
    assert_eq!(about_q1[0]["line"], 4);
    // Question 2 has no file in the base project, and is still reported.
    assert!(
        diagnostics.iter().any(|d| d["code"] == "W001" && d["file"] == "answers/02-outcomes-and-benefits.md")
    );
}

/// A copy of the base fixture with an unknown key, so `check` has an error to print.
fn project_with_an_error() -> tempfile::TempDir {
    project_with("---\nquestion: 1\nstatus: draft\nownr: x\n---\n")
}

#[test]
fn colour_follows_no_color_clicolor_and_clicolor_force_as_clap_does() {
    let dir = project_with_an_error();
    let stderr_with = |vars: &[(&str, &str)]| {
        let mut command = workbook();
        command.arg("check").arg(dir.path());
        for name in ["NO_COLOR", "CLICOLOR", "CLICOLOR_FORCE", "TERM"] {
            command.env_remove(name);
        }
        for (name, value) in vars {
            command.env(name, value);
        }
        let output = command.output().unwrap();
        assert_eq!(output.status.code(), Some(1));
        String::from_utf8(output.stderr).unwrap()
    };
    // Not a terminal: plain, unless forced.
    assert!(!stderr_with(&[]).contains('\x1b'));
    let forced = stderr_with(&[("CLICOLOR_FORCE", "1")]);
    assert!(forced.contains("\x1b["), "{forced}");
    // NO_COLOR wins over CLICOLOR_FORCE.
    assert!(!stderr_with(&[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]).contains('\x1b'));
    // A usage error's `error:` is coloured the same way as a diagnostic.
    let mut usage = workbook();
    usage.args(["check", "/no/such/folder"]).env_remove("NO_COLOR").env("CLICOLOR_FORCE", "1");
    let output = usage.output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains('\x1b'));
}

/// Runs `workbook` with `args` on a pseudo-terminal (through `script`), with the environment
/// `vars`, and returns what it printed; `None` where there is no `script` to give one.
fn on_a_terminal(args: &str, vars: &[(&str, &str)]) -> Option<String> {
    let script = std::process::Command::new("script").arg("--version").output().ok()?;
    if !script.status.success() {
        return None;
    }
    let binary = env!("CARGO_BIN_EXE_workbook");
    let mut command = std::process::Command::new("script");
    command.args(["-q", "-e", "-c", &format!("{binary} {args}"), "/dev/null"]);
    // `CI` is among them: on a CI machine anstream (as clap) colours even a dumb terminal's log.
    for name in ["NO_COLOR", "CLICOLOR", "CLICOLOR_FORCE", "TERM", "CI"] {
        command.env_remove(name);
    }
    command.env("TERM", "xterm-256color").env("SOURCE_DATE_EPOCH", "1780272000");
    for (name, value) in vars {
        command.env(name, value);
    }
    let output = command.stdin(std::process::Stdio::null()).output().ok()?;
    Some(String::from_utf8_lossy(&output.stdout).into_owned())
}

#[test]
fn on_a_terminal_colour_is_off_for_term_dumb_clicolor_0_and_no_color() {
    let dir = project_with_an_error();
    let args = format!("check {}", dir.path().display());
    let coloured =
        on_a_terminal(&args, &[]).expect("`script` (util-linux) runs the binary on a pseudo-terminal");
    assert!(coloured.contains("\x1b["), "a terminal gets colour: {coloured}");
    for vars in [[("TERM", "dumb")], [("CLICOLOR", "0")], [("NO_COLOR", "1")]] {
        let plain = on_a_terminal(&args, &vars).unwrap_or_default();
        assert!(plain.contains("unknown key"), "{plain}");
        assert!(!plain.contains("\x1b["), "{vars:?}: {plain}");
    }
}

#[test]
fn quiet_is_accepted_by_every_command_and_leaves_only_the_problems() {
    for command in
        ["init", "check", "build", "serve", "diff", "export", "schema", "status", "questions", "completions"]
    {
        workbook().args([command, "--quiet", "--help"]).assert().success();
        workbook().args(["-q", command, "--help"]).assert().success();
    }
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("tool");
    workbook().args(["init", "--quiet"]).arg(&project).assert().success().stderr("");
    let site = dir.path().join("site");
    let output = workbook()
        .args(["build", "--quiet", "--base-url", "https://example.invalid/"])
        .arg(&project)
        .arg("--out")
        .arg(&site)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(!stderr.contains("Built"), "{stderr}");
    assert!(site.join("index.html").is_file());
    // Problems are still printed; the summary line is not.
    let broken = project_with_an_error();
    let output = workbook().args(["check", "-q"]).arg(broken.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("unknown key `ownr`"), "{stderr}");
    assert!(!stderr.contains("check: 1 error"), "{stderr}");
}

#[test]
fn format_human_and_text_are_one_name_everywhere() {
    let project = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("example-project");
    for format in ["human", "text"] {
        workbook().args(["status", "--format", format]).arg(&project).assert().success();
        workbook().args(["questions", "1", "--format", format]).assert().success();
        workbook().args(["check", "--format", format]).arg(&project).assert().success();
    }
    // `human` is the name help shows; `text` is a hidden alias.
    for command in ["status", "questions", "check"] {
        let help = workbook().args([command, "--help"]).output().unwrap();
        let help = String::from_utf8(help.stdout).unwrap();
        assert!(help.contains("human"), "{command}: {help}");
        assert!(!help.contains("text:"), "{command}: {help}");
    }
}

#[test]
fn exit_codes_are_the_ones_the_readme_documents() {
    // init into a folder that is not empty: a usage error.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
    workbook().arg("init").arg(dir.path()).assert().code(2).stderr(predicate::str::contains("not empty"));
    // An --out the build cannot use: a usage error, not a problem in the content.
    let project = project_with("---\nquestion: 1\nstatus: draft\n---\n");
    let out = dir.path().join("notes.txt");
    workbook().arg("build").arg(project.path()).arg("--out").arg(&out).assert().code(2);
    // diff without git: a usage error that says so.
    workbook()
        .arg("diff")
        .arg(project.path())
        .env("PATH", "")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("git"));
    let readme =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    assert!(readme.contains("a port that cannot be bound"), "README documents the usage errors");
}

#[test]
fn a_full_stdout_is_an_error_with_a_message_not_a_panic() {
    let full =
        std::fs::OpenOptions::new().write(true).open("/dev/full").expect("/dev/full, as every Linux has");
    let project = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("example-project");
    let project = project.to_str().unwrap();
    for args in [
        vec!["export", "--format", "json", project],
        vec!["export", "--format", "csv", project],
        vec!["check", "--format", "json", project],
        vec!["check", "--list-lints"],
        vec!["status", project],
        vec!["schema"],
        vec!["questions"],
        vec!["completions", "bash"],
        vec!["diff", "--format", "json", project],
        vec!["--help"],
    ] {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_workbook"))
            .args(&args)
            .env("SOURCE_DATE_EPOCH", "1780272000")
            .env("NO_COLOR", "1")
            .stdout(full.try_clone().unwrap())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(stderr.contains("cannot write to standard output"), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}

#[test]
fn check_raises_the_warnings_build_raises() {
    // Not in git and no base URL: build warns of both, and so does check.
    let project = project_with("---\nquestion: 1\nstatus: draft\n---\n");
    let output = workbook().args(["check", "--format", "json"]).arg(project.path()).output().unwrap();
    let codes: Vec<String> =
        diagnostics_json(&output.stdout).iter().map(|d| d["code"].as_str().unwrap().to_owned()).collect();
    assert!(codes.contains(&"W013".to_owned()) && codes.contains(&"W014".to_owned()), "{codes:?}");
    let out = tempfile::tempdir().unwrap();
    let build =
        workbook().arg("build").arg(project.path()).arg("--out").arg(out.path().join("s")).output().unwrap();
    let stderr = String::from_utf8(build.stderr).unwrap();
    assert!(stderr.contains("W013 no-history") && stderr.contains("W014 no-base-url"), "{stderr}");
    // `lints:` lowers them for check as for build.
    let settings = project.path().join("workbook.yaml");
    let mut yaml = std::fs::read_to_string(&settings).unwrap();
    yaml.push_str("lints:\n  no-history: allow\n  no-base-url: allow\n");
    std::fs::write(&settings, yaml).unwrap();
    let output = workbook().args(["check", "--format", "json"]).arg(project.path()).output().unwrap();
    let json = String::from_utf8(output.stdout).unwrap();
    assert!(!json.contains("W013") && !json.contains("W014"), "{json}");
}

#[test]
fn check_a_single_file_or_its_text_from_stdin() {
    let project = project_with("---\nquestion: 1\nstatus: draft\nownr: x\n---\n");
    let answer = project.path().join("answers/01-describe-the-tool.md");
    let output = workbook().args(["check", "--format", "json"]).arg(&answer).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let diagnostics = diagnostics_json(&output.stdout);
    assert!(diagnostics.iter().any(|d| d["code"] == "E002"), "{diagnostics:#?}");
    // Only that file's findings: no other question's missing file, no project-wide warning.
    assert!(diagnostics.iter().all(|d| d["file"] == "answers/01-describe-the-tool.md"), "{diagnostics:#?}");
    // From stdin as if it were at that path: the text on disk is not read.
    let fixed = "---\nquestion: 1\nstatus: draft\nowner: x\nnext_review: 2099-01-01\n---\n";
    let output = workbook()
        .args(["check", "--format", "json", "-", "--stdin-filename"])
        .arg(&answer)
        .write_stdin(fixed)
        .output()
        .unwrap();
    let diagnostics = diagnostics_json(&output.stdout);
    assert!(diagnostics.iter().all(|d| d["code"] != "E002"), "{diagnostics:#?}");
    assert!(diagnostics.iter().any(|d| d["code"] == "W002"), "{diagnostics:#?}");
    assert_eq!(output.status.code(), Some(0));
    // A path relative to where the command runs, in human form.
    workbook()
        .args(["check", "-", "--stdin-filename", "answers/01-describe-the-tool.md"])
        .current_dir(project.path())
        .write_stdin("---\nquestion: 1\nstatus: draft\nownr: x\n---\n")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("answers/01-describe-the-tool.md:4:1"));
    // Several files of one project, as pre-commit passes them: their findings, and no others.
    let second = project.path().join("answers/03-resources-and-skills.md");
    std::fs::write(&second, "---\nquestion: 3\nstatus: draft\n---\n").unwrap();
    let output = workbook().args(["check", "--format", "json"]).arg(&answer).arg(&second).output().unwrap();
    let diagnostics = diagnostics_json(&output.stdout);
    let mut files: Vec<&str> = diagnostics.iter().map(|d| d["file"].as_str().unwrap()).collect();
    files.dedup();
    assert_eq!(files, ["answers/01-describe-the-tool.md", "answers/03-resources-and-skills.md"]);
    // `-` needs --stdin-filename.
    workbook().args(["check", "-"]).write_stdin("").assert().code(2);
}

#[test]
fn build_and_check_count_the_same_warnings_and_an_info_line_is_not_one() {
    let project = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("example-project");
    let check = workbook().arg("check").arg(&project).output().unwrap();
    let check = String::from_utf8_lossy(&check.stderr).into_owned();
    assert!(check.contains("info[I001"), "the example's ATRS record is not ready: {check}");
    let counted = |text: &str, pattern: &str| {
        regex::Regex::new(pattern).unwrap().captures(text).map(|c| c[1].to_owned()).unwrap_or_default()
    };
    let checked = counted(&check, r"check: 0 errors, (\d+) warnings");
    let out = tempfile::tempdir().unwrap();
    let build =
        workbook().arg("build").arg(&project).arg("--out").arg(out.path().join("site")).output().unwrap();
    let built = counted(&String::from_utf8_lossy(&build.stderr), r", (\d+) warnings\.");
    assert!(!checked.is_empty() && checked == built, "check {checked}, build {built}");
}
