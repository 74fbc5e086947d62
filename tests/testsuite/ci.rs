//! The CI files `init` writes, run as CI runs them: the install step's shell, run twice against a cache
//! folder, installs once and then reuses what it installed; and the report formats CI reads
//! (`check --format gitlab` for GitLab's Code Quality, `--format markdown` for a job summary).

use crate::support::{copy_tree, fixtures, workbook};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The CI files of a new project, as `init` writes them.
struct CiFiles {
    _dir: tempfile::TempDir,
    github: serde_yaml::Value,
    gitlab: serde_yaml::Value,
}

fn ci_files() -> CiFiles {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("x");
    workbook().arg("init").arg(&project).assert().success();
    let read = |file: &str| -> serde_yaml::Value {
        serde_yaml::from_str(&std::fs::read_to_string(project.join(file)).unwrap()).unwrap()
    };
    CiFiles { github: read(".github/workflows/workbook.yml"), gitlab: read(".gitlab-ci.yml"), _dir: dir }
}

/// The `run:` shell of the step named `Install workbook` in each job of the GitHub workflow.
fn github_install_steps(workflow: &serde_yaml::Value) -> Vec<String> {
    let jobs = workflow["jobs"].as_mapping().expect("jobs");
    jobs.values()
        .filter_map(|job| {
            job["steps"].as_sequence().expect("steps").iter().find(|s| s["name"] == "Install workbook")
        })
        .map(|step| step["run"].as_str().expect("a run: script").to_owned())
        .collect()
}

/// GitLab's `default.before_script`, one shell as the runner runs it: its lines in order.
fn gitlab_install_script(ci: &serde_yaml::Value) -> String {
    let lines = ci["default"]["before_script"].as_sequence().expect("default.before_script");
    lines.iter().map(|l| l.as_str().expect("a shell line")).collect::<Vec<_>>().join("\n")
}

/// A folder standing in for the CI machine: a home, a project checkout, and a `bin/` with a stub
/// `cargo` that records its arguments and "installs" the real binary where `--root` says.
struct Machine {
    dir: tempfile::TempDir,
}

impl Machine {
    fn new() -> Machine {
        let dir = tempfile::tempdir().unwrap();
        for folder in ["home", "checkout", "bin"] {
            std::fs::create_dir_all(dir.path().join(folder)).unwrap();
        }
        let stub = dir.path().join("bin/cargo");
        std::fs::write(
            &stub,
            format!(
                "#!/bin/sh\nprintf '%s\\n' \"$*\" >> '{log}'\nroot=\nwhile [ $# -gt 0 ]; do\n  \
                 if [ \"$1\" = --root ]; then root=$2; fi\n  shift\ndone\n\
                 mkdir -p \"$root/bin\" && cp '{binary}' \"$root/bin/workbook\"\n",
                log = dir.path().join("cargo.log").display(),
                binary = env!("CARGO_BIN_EXE_workbook"),
            ),
        )
        .unwrap();
        make_executable(&stub);
        Machine { dir }
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    /// Each `cargo` command line the install step ran.
    fn cargo_calls(&self) -> Vec<String> {
        std::fs::read_to_string(self.path("cargo.log"))
            .unwrap_or_default()
            .lines()
            .map(str::to_owned)
            .collect()
    }

    /// Runs `script` with bash as CI would, with `git` as the value of WORKBOOK_GIT (unset if None).
    fn run(&self, script: &str, git: Option<&str>) -> std::process::Output {
        let path = format!("{}:{}", self.path("bin").display(), std::env::var("PATH").unwrap_or_default());
        let mut command = Command::new("bash");
        command
            .args(["-e", "-c", script])
            .current_dir(self.path("checkout"))
            .env_clear()
            .env("PATH", path)
            .env("HOME", self.path("home"))
            .env("CI_PROJECT_DIR", self.path("checkout"))
            .env("GITHUB_PATH", self.path("github-path"))
            .env("WORKBOOK_VERSION", env!("CARGO_PKG_VERSION"));
        if let Some(git) = git {
            command.env("WORKBOOK_GIT", git);
        }
        command.output().unwrap()
    }
}

fn make_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

const GIT: &str = "https://git.example/council/workbook";

/// Each install script: GitHub's (the same in every job) and GitLab's, with the folder it installs to.
fn install_scripts() -> Vec<(&'static str, String, &'static str)> {
    let files = ci_files();
    let github = github_install_steps(&files.github);
    assert_eq!(github.len(), 2, "review and publish each install workbook");
    assert_eq!(github[0], github[1], "both jobs install the same way");
    // The version the scripts are run with below is the one each file sets: the version that wrote it.
    let version = env!("CARGO_PKG_VERSION");
    assert_eq!(files.github["env"]["WORKBOOK_VERSION"].as_str(), Some(version));
    assert_eq!(files.github["env"]["WORKBOOK_GIT"].as_str(), Some("${{ vars.WORKBOOK_GIT }}"));
    assert_eq!(files.gitlab["variables"]["WORKBOOK_VERSION"].as_str(), Some(version));
    vec![
        ("github", github[0].clone(), "home/.workbook"),
        ("gitlab", gitlab_install_script(&files.gitlab), "checkout/.workbook"),
    ]
}

#[test]
fn ci_install_step_run_twice_installs_once_from_the_tag_and_then_reuses_the_cache() {
    for (ci, script, root) in install_scripts() {
        let machine = Machine::new();
        let first = machine.run(&script, Some(GIT));
        assert!(first.status.success(), "{ci} first run: {}", String::from_utf8_lossy(&first.stderr));
        let root = machine.path(root);
        let install = format!(
            "install --locked --force --git {GIT} --tag v{} --root {} workbook",
            env!("CARGO_PKG_VERSION"),
            root.display()
        );
        assert_eq!(
            machine.cargo_calls(),
            [install.as_str()],
            "{ci}: one install, from the tag, into the cache"
        );
        let second = machine.run(&script, Some(GIT));
        assert!(second.status.success(), "{ci} second run: {}", String::from_utf8_lossy(&second.stderr));
        assert_eq!(machine.cargo_calls().len(), 1, "{ci}: the second run compiles nothing");
        let said = String::from_utf8_lossy(&second.stdout);
        assert!(said.contains("is cached"), "{ci}: {said}");
        // The cached program is the one the later steps run.
        if ci == "github" {
            let github_path = std::fs::read_to_string(machine.path("github-path")).unwrap();
            assert!(github_path.lines().all(|l| Path::new(l) == root.join("bin")), "{github_path}");
        } else {
            let run = machine.run(&format!("{script}\nworkbook --version"), Some(GIT));
            let stdout = String::from_utf8_lossy(&run.stdout);
            assert!(stdout.contains(&format!("workbook {}", env!("CARGO_PKG_VERSION"))), "{stdout}");
        }
    }
}

#[test]
fn ci_install_step_reinstalls_when_the_cached_version_or_source_differs() {
    for (ci, script, root) in install_scripts() {
        let machine = Machine::new();
        // A cached program of another version: the step installs over it.
        let cached = machine.path(root).join("bin/workbook");
        std::fs::create_dir_all(cached.parent().unwrap()).unwrap();
        std::fs::write(&cached, "#!/bin/sh\necho workbook 0.0.9\n").unwrap();
        make_executable(&cached);
        let run = machine.run(&script, Some(GIT));
        assert!(run.status.success(), "{ci}: {}", String::from_utf8_lossy(&run.stderr));
        assert_eq!(machine.cargo_calls().len(), 1, "{ci}: a different version is replaced");
        // The same version from another copy of workbook: installed again, from the new one.
        let other = "https://git.example/another-council/workbook";
        let run = machine.run(&script, Some(other));
        assert!(run.status.success(), "{ci}: {}", String::from_utf8_lossy(&run.stderr));
        let calls = machine.cargo_calls();
        assert_eq!(calls.len(), 2, "{ci}: a different WORKBOOK_GIT is installed: {calls:?}");
        assert!(calls[1].contains(&format!("--git {other} ")), "{ci}: {calls:?}");
    }
}

#[test]
fn ci_install_step_without_workbook_git_fails_saying_how_to_set_it_and_installs_nothing() {
    for (ci, script, _) in install_scripts() {
        let machine = Machine::new();
        for git in [None, Some("")] {
            let run = machine.run(&script, git);
            assert!(!run.status.success(), "{ci}: the step fails");
            let stderr = String::from_utf8_lossy(&run.stderr);
            assert!(stderr.contains("WORKBOOK_GIT is not set"), "{ci}: {stderr}");
            assert!(
                stderr.contains(&format!("v{}", env!("CARGO_PKG_VERSION"))),
                "{ci}: names the tag: {stderr}"
            );
            assert!(machine.cargo_calls().is_empty(), "{ci}: nothing from crates.io or anywhere else");
        }
    }
}

#[test]
fn ci_files_use_current_actions_and_the_review_steps_that_ci_needs() {
    let files = ci_files();
    let github = &files.github;
    // Pushes to other branches do not start a run; only the default branch publishes.
    assert!(
        github["on"]["push"]["branches"].as_sequence().is_some_and(|b| !b.is_empty()),
        "{:?}",
        github["on"]
    );
    assert!(github["jobs"]["publish"]["concurrency"]["group"].as_str().is_some(), "Pages deploys take turns");
    let mut uses = Vec::new();
    for job in github["jobs"].as_mapping().unwrap().values() {
        for step in job["steps"].as_sequence().unwrap() {
            if let Some(action) = step["uses"].as_str() {
                uses.push(action.to_owned());
            }
        }
    }
    for action in [
        "actions/checkout@v6",
        "actions/cache@v5",
        "actions/upload-pages-artifact@v5",
        "actions/deploy-pages@v5",
    ] {
        assert!(uses.iter().any(|u| u == action), "{action} in {uses:?}");
    }
    let review = github["jobs"]["review"]["steps"].as_sequence().unwrap();
    let step = |name: &str| review.iter().find(|s| s["name"] == name).unwrap_or_else(|| panic!("{name}"));
    // The diff comment is posted even when check fails.
    for name in ["Summarise the changes", "Comment on the pull request"] {
        assert!(step(name)["if"].as_str().unwrap_or("").contains("always()"), "{name}");
    }
    let check = step("Check the answers")["run"].as_str().unwrap();
    assert!(check.contains("--format github") && check.contains("--format markdown"), "{check}");
    assert!(check.contains("GITHUB_STEP_SUMMARY"), "{check}");
    for job in github["jobs"].as_mapping().unwrap().values() {
        for step in job["steps"].as_sequence().unwrap() {
            if step["uses"].as_str().is_some_and(|u| u.starts_with("actions/cache@")) {
                assert!(step["with"]["key"].as_str().unwrap().contains("env.WORKBOOK_GIT"));
            }
        }
    }

    let gitlab = &files.gitlab;
    let review = gitlab["review"]["script"].as_sequence().unwrap();
    let script: Vec<&str> = review.iter().filter_map(|l| l.as_str()).collect();
    let script = script.join("\n");
    assert!(script.contains("CI_MERGE_REQUEST_DIFF_BASE_SHA"), "{script}");
    assert!(!script.contains("origin/$CI_MERGE_REQUEST_TARGET_BRANCH_NAME"), "{script}");
    assert!(script.contains("--format gitlab"), "{script}");
    assert!(
        gitlab["review"]["artifacts"]["reports"]["codequality"].as_str().is_some(),
        "{:?}",
        gitlab["review"]
    );
}

fn project_with(answer: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixtures().join("base"), dir.path());
    std::fs::write(dir.path().join("answers/01-describe-the-tool.md"), answer).unwrap();
    dir
}

#[test]
fn gitlab_format_is_a_code_quality_report() {
    let dir = project_with("---\nquestion: 1\nstatus: draft\nownr: x\n---\n");
    let output = workbook().args(["check", "--format", "gitlab"]).arg(dir.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(1), "an error fails the check as in every format");
    let issues: Vec<serde_json::Value> = serde_json::from_slice(&output.stdout).unwrap();
    assert!(!issues.is_empty());
    let severities = ["info", "minor", "major", "critical", "blocker"];
    for issue in &issues {
        let keys: Vec<&String> = issue.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["description", "check_name", "fingerprint", "severity", "location"], "{issue}");
        assert!(severities.contains(&issue["severity"].as_str().unwrap()), "{issue}");
        assert!(!issue["location"]["path"].as_str().unwrap().is_empty(), "{issue}");
        assert!(issue["location"]["lines"]["begin"].as_u64().unwrap() >= 1, "{issue}");
    }
    let unknown = issues.iter().find(|i| i["check_name"] == "E002 unknown-key").unwrap();
    assert_eq!(unknown["location"]["path"], "answers/01-describe-the-tool.md");
    assert_eq!(unknown["location"]["lines"]["begin"], 4);
    assert_eq!(unknown["severity"], "critical");
    assert_eq!(unknown["description"], "unknown key `ownr` (help: did you mean `owner`?)");
    let mut fingerprints: Vec<&str> = issues.iter().map(|i| i["fingerprint"].as_str().unwrap()).collect();
    fingerprints.sort_unstable();
    fingerprints.dedup();
    assert_eq!(fingerprints.len(), issues.len(), "each issue has its own fingerprint");

    // A fingerprint does not change when the finding moves down a line, so GitLab does not call it new.
    let moved = project_with("---\nquestion: 1\nstatus: draft\n\nownr: x\n---\n");
    let output = workbook().args(["check", "--format", "gitlab"]).arg(moved.path()).output().unwrap();
    let again: Vec<serde_json::Value> = serde_json::from_slice(&output.stdout).unwrap();
    let moved = again.iter().find(|i| i["check_name"] == "E002 unknown-key").unwrap();
    assert_eq!(moved["location"]["lines"]["begin"], 5);
    assert_eq!(moved["fingerprint"], unknown["fingerprint"]);
}

#[test]
fn markdown_format_tables_every_finding_for_a_job_summary() {
    let dir = project_with("---\nquestion: 1\nstatus: draft\nownr: x\na|b: 1\n---\n");
    let output = workbook().args(["check", "--format", "markdown"]).arg(dir.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).unwrap();
    let json = workbook().args(["check", "--format", "json"]).arg(dir.path()).output().unwrap();
    let count = crate::support::diagnostics_json(&json.stdout).len();
    let rows: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| Severity") && !l.starts_with("| ---"))
        .collect();
    assert_eq!(rows.len(), count, "a row for every finding, however many: {stdout}");
    assert!(
        rows.contains(&"| error | E002 unknown-key | answers/01-describe-the-tool.md:4 | unknown key \\`ownr\\`<br>help: did you mean \\`owner\\`? |"),
        "{stdout}"
    );
    // Every row has its four cells, whatever the answer says.
    for row in &rows {
        let cells = row.replace("\\|", "").matches('|').count();
        assert_eq!(cells, 5, "{row}");
    }
}

#[test]
fn pre_commit_hook_runs_check_on_the_files_that_make_the_project() {
    let hooks: serde_yaml::Value = serde_yaml::from_str(
        &std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(".pre-commit-hooks.yaml"))
            .unwrap(),
    )
    .unwrap();
    let hook =
        hooks.as_sequence().unwrap().iter().find(|h| h["id"] == "workbook-check").expect("workbook-check");
    assert_eq!(hook["pass_filenames"], false, "check takes the project, not files");
    // pre-commit matches `files` with Python's re.search, which agrees with this crate's regex here.
    let files = regex::Regex::new(hook["files"].as_str().unwrap()).unwrap();
    for path in [
        "answers/01-describe-the-tool.md",
        "workbook.yaml",
        "council/answers/04-risks.md",
        "evidence/dpia.pdf",
    ] {
        assert!(files.is_match(path), "{path} runs the hook");
    }
    for path in ["README.md", "answers/notes/old.md", "src/workbook.yaml.rs", "public/index.html"] {
        assert!(!files.is_match(path), "{path} does not");
    }
    // The entry, run as pre-commit runs it (from the repository root), checks the project there.
    let entry: Vec<&str> = hook["entry"].as_str().unwrap().split_whitespace().collect();
    assert_eq!(entry[0], "workbook");
    let clean = tempfile::tempdir().unwrap();
    copy_tree(&fixtures().join("base"), clean.path());
    workbook().args(&entry[1..]).current_dir(clean.path()).assert().code(0);
    let broken = project_with("---\nquestion: 1\nstatus: draft\nownr: x\n---\n");
    workbook().args(&entry[1..]).current_dir(broken.path()).assert().code(1);
}

/// A copy of this crate's working tree (its tracked and new files, not what git ignores) as a git
/// repository of one commit, tagged `v` and the version, as a council's copy would be.
fn tagged_copy_of_this_crate() -> tempfile::TempDir {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let copy = tempfile::tempdir().unwrap();
    let files = Command::new("git")
        .args(["ls-files", "-z", "--cached", "--others", "--exclude-standard"])
        .current_dir(crate_dir)
        .output()
        .unwrap();
    assert!(files.status.success(), "the crate is a git checkout");
    for file in files.stdout.split(|&b| b == 0).filter(|f| !f.is_empty()) {
        let file = Path::new(std::str::from_utf8(file).unwrap());
        if !crate_dir.join(file).is_file() {
            continue; // deleted in the working tree
        }
        let to = copy.path().join(file);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(crate_dir.join(file), to).unwrap();
    }
    let git = |args: &[&str]| {
        let status = Command::new("git")
            .args(["-c", "user.name=CI", "-c", "user.email=ci@example.invalid", "-c", "commit.gpgsign=false"])
            .args(args)
            .current_dir(copy.path())
            .output()
            .unwrap();
        assert!(status.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&status.stderr));
    };
    git(&["init", "-q"]);
    git(&["add", "-A"]);
    git(&["commit", "-q", "-m", "a council's copy"]);
    git(&["tag", &format!("v{}", env!("CARGO_PKG_VERSION"))]);
    copy
}

/// The install step as CI runs it, with the real cargo, twice: the first run compiles workbook from
/// a local tagged copy into the cache folder, the second finds it there and compiles nothing.
///
/// Opt-in (`cargo test --locked --test testsuite real_cargo -- --ignored`), because the first run is
/// a release build of the whole crate and its dependencies: about four minutes of CPU with nothing
/// compiled before, and twelve minutes on a busy two-core machine. The build uses this test run's target folder, so what an
/// earlier opt-in run compiled is reused (run again unchanged, the test takes seconds).
/// By default the same script runs against a stub cargo (the tests above).
#[test]
#[ignore = "a release build of workbook, minutes long: run with --ignored"]
fn ci_install_step_with_the_real_cargo_compiles_once_then_reuses_the_cache() {
    let copy = tagged_copy_of_this_crate();
    let git = format!("file://{}", copy.path().display());
    let binary = Path::new(env!("CARGO_BIN_EXE_workbook"));
    // <target>/debug/workbook: the same target folder, so the dependencies compile once.
    let target = binary.parent().and_then(Path::parent).unwrap();
    let home = tempfile::tempdir().unwrap();
    let outer_home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_default();
    let cargo_home = std::env::var_os("CARGO_HOME").map_or(outer_home.join(".cargo"), PathBuf::from);
    let rustup_home = std::env::var_os("RUSTUP_HOME").map_or(outer_home.join(".rustup"), PathBuf::from);
    let script = &github_install_steps(&ci_files().github)[0];
    let run = || {
        let output = Command::new("bash")
            .args(["-e", "-c", script])
            .env("HOME", home.path())
            .env("CARGO_HOME", &cargo_home)
            .env("RUSTUP_HOME", &rustup_home)
            .env("CARGO_TARGET_DIR", target)
            .env("GITHUB_PATH", home.path().join("github-path"))
            .env("WORKBOOK_GIT", &git)
            .env("WORKBOOK_VERSION", env!("CARGO_PKG_VERSION"))
            .output()
            .unwrap();
        let said =
            format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
        assert!(output.status.success(), "{said}");
        said
    };
    let first = run();
    assert!(first.contains("Installing workbook"), "{first}");
    let installed = home.path().join(".workbook/bin/workbook");
    let version = Command::new(&installed).arg("--version").output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&version.stdout).trim(),
        format!("workbook {}", env!("CARGO_PKG_VERSION"))
    );
    let modified = std::fs::metadata(&installed).unwrap().modified().unwrap();
    let started = std::time::Instant::now();
    let second = run();
    assert!(second.contains("is cached"), "{second}");
    assert!(!second.contains("Compiling") && !second.contains("Installing"), "{second}");
    assert_eq!(std::fs::metadata(&installed).unwrap().modified().unwrap(), modified, "not reinstalled");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(30),
        "the second run took {:?}",
        started.elapsed()
    );
}
