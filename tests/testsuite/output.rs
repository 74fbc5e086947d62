//! The output folder: one build at a time, a whole site at every instant (even when builds are
//! killed), what a killed build left put right by the next, and the default folder per audience.

use crate::build::tree;
use crate::support::{copy_tree, workbook};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn example_project() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("example-project")
}

/// A small fixed-seed generator (SplitMix64), so that every run kills at the same moments.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A duration between zero and `most`.
    fn up_to(&mut self, most: Duration) -> Duration {
        let micros = most.as_micros().max(1) as u64;
        Duration::from_micros(self.next() % micros)
    }
}

/// `workbook build PROJECT --out OUT ARGS`, as a process to kill: no output, the suite's fixed date.
fn spawn_build(project: &Path, out: &Path, args: &[&str]) -> std::process::Child {
    Command::new(assert_cmd::cargo::cargo_bin("workbook"))
        .arg("build")
        .arg(project)
        .arg("--out")
        .arg(out)
        .args(args)
        .env("SOURCE_DATE_EPOCH", "1780272000")
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs")
}

/// Builds `project` into a new folder under `dir` named `name` and returns its files.
fn reference(project: &Path, dir: &Path, name: &str, args: &[&str]) -> BTreeMap<String, Vec<u8>> {
    let out = dir.join(name);
    workbook().arg("build").arg(project).arg("--out").arg(&out).args(args).assert().success();
    tree(&out)
}

/// A small project with `padding` extra static files, whose site says `variant` in `variant.txt`:
/// a site large enough that a build spends most of its time writing.
fn large_project(dir: &Path, variant: &str, padding: usize) -> PathBuf {
    let project = dir.join(format!("project-{variant}"));
    copy_tree(&crate::support::fixtures().join("base"), &project);
    let pad = project.join("static/pad");
    std::fs::create_dir_all(&pad).unwrap();
    for i in 0..padding {
        std::fs::write(pad.join(format!("{i:04}.txt")), format!("{variant} {i}\n").repeat(64)).unwrap();
    }
    std::fs::write(project.join("static/variant.txt"), format!("variant {variant}\n")).unwrap();
    project
}

/// The names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[cfg(unix)]
#[test]
fn two_hundred_kills_at_random_moments_leave_one_whole_site_every_time() {
    // These load the whole machine: they take turns with the timing tests (serve) and the browser suite.
    let _turn = crate::support::exclusive();
    let dir = tempfile::tempdir().unwrap();
    let projects = [large_project(dir.path(), "A", 250), large_project(dir.path(), "B", 250)];
    let references = [
        reference(&projects[0], dir.path(), "reference-A", &[]),
        reference(&projects[1], dir.path(), "reference-B", &[]),
    ];
    assert_ne!(references[0], references[1]);
    let out = dir.path().join("site");
    // A whole build, timed: the kills spread over all of it and past its end. The machine's load
    // changes, so it is timed again every 25 rounds; each of those builds also shows that the build
    // after a kill succeeds.
    let whole_build = |project: &Path| {
        let started = Instant::now();
        workbook().arg("build").arg(project).arg("--out").arg(&out).assert().success();
        started.elapsed()
    };
    let mut whole = whole_build(&projects[0]);
    let mut current = 0;
    let mut random = Random(0x05EE_D0C7);
    let (mut killed_while_running, mut killed_while_writing, mut finished, mut changed) = (0, 0, 0, 0);
    let test_started = Instant::now();
    for round in 0..200 {
        if round % 25 == 24 {
            current = 1 - current;
            whole = whole_build(&projects[current]);
            assert_eq!(tree(&out), references[current]);
        }
        // Always build the other site, so every round is a real change of the folder.
        let target = 1 - current;
        let delay = random.up_to(whole + whole / 4);
        let mut child = spawn_build(&projects[target], &out, &[]);
        let staging = format!(".site.workbook-new-{}", child.id());
        std::thread::sleep(delay);
        if child.try_wait().unwrap().is_none() {
            killed_while_running += 1;
            child.kill().unwrap(); // SIGKILL
            child.wait().unwrap();
            if dir.path().join(&staging).exists() {
                killed_while_writing += 1;
            }
        } else {
            let output = child.wait_with_output().unwrap();
            assert!(output.status.success(), "round {round}: {}", String::from_utf8_lossy(&output.stderr));
            finished += 1;
        }
        let now = tree(&out);
        let whole_site = references.iter().position(|r| *r == now);
        let Some(found) = whole_site else {
            let expected: Vec<_> = references[target].keys().collect();
            let missing: Vec<_> = expected.iter().filter(|k| !now.contains_key(k.as_str())).take(5).collect();
            panic!(
                "round {round}, killed after {delay:?}: the folder holds neither site whole \
                 ({} files; missing e.g. {missing:?}; beside it: {:?})",
                now.len(),
                names(dir.path())
            );
        };
        if found != current {
            changed += 1;
        }
        current = found;
    }
    eprintln!(
        "200 rounds in {:?} (a build takes {whole:?}): {killed_while_running} killed while running, \
         {killed_while_writing} of them while writing the site, {finished} finished, {changed} changed the site",
        test_started.elapsed()
    );
    assert!(killed_while_running >= 60, "only {killed_while_running} kills landed while a build ran");
    assert!(changed >= 10, "only {changed} rounds changed the site");
    assert!(
        killed_while_writing >= 10,
        "only {killed_while_writing} kills landed while the site was written"
    );
    // The next build succeeds, and cleans up everything killed builds left beside the output.
    workbook().arg("build").arg(&projects[1 - current]).arg("--out").arg(&out).assert().success();
    assert_eq!(tree(&out), references[1 - current]);
    let beside: Vec<String> = names(dir.path()).into_iter().filter(|n| n.starts_with('.')).collect();
    assert!(beside.is_empty(), "leftovers beside the output: {beside:?}");
}

#[test]
fn fifty_races_of_a_public_and_an_internal_build_end_with_one_whole_site() {
    // These load the whole machine: they take turns with the timing tests (serve) and the browser suite.
    let _turn = crate::support::exclusive();
    let dir = tempfile::tempdir().unwrap();
    let project = example_project();
    let public = reference(&project, dir.path(), "reference-public", &[]);
    let internal = reference(&project, dir.path(), "reference-internal", &["--audience", "internal"]);
    // What differs: the reviewers' page is in the internal site only.
    assert!(internal.contains_key("reviewers.html") && !public.contains_key("reviewers.html"));
    let out = dir.path().join("site");
    let mut random = Random(0x00C0_FFEE);
    let mut refused = 0;
    for round in 0..50 {
        let first = spawn_build(&project, &out, &[]);
        std::thread::sleep(random.up_to(Duration::from_millis(20)));
        let second = spawn_build(&project, &out, &["--audience", "internal"]);
        let mut succeeded = Vec::new();
        for (audience, child) in [("public", first), ("internal", second)] {
            let output = child.wait_with_output().unwrap();
            let stderr = String::from_utf8_lossy(&output.stderr);
            match output.status.code() {
                Some(0) => succeeded.push(audience),
                Some(1) if stderr.contains("another build is writing") => refused += 1,
                other => panic!("round {round}: the {audience} build exited {other:?}:\n{stderr}"),
            }
        }
        let now = tree(&out);
        let site = if now == public {
            "public"
        } else if now == internal {
            "internal"
        } else {
            panic!(
                "round {round}: the folder holds neither whole site ({} files, reviewers.html: {}, \
                 builds that succeeded: {succeeded:?})",
                now.len(),
                now.contains_key("reviewers.html")
            );
        };
        if succeeded.len() == 1 {
            assert_eq!(
                succeeded,
                [site],
                "round {round}: the site is not the one the successful build wrote"
            );
        }
    }
    eprintln!("50 races: {refused} builds refused");
}

#[test]
fn an_internal_build_without_out_writes_internal_site_and_never_public() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("project");
    copy_tree(&example_project(), &project);
    workbook().arg("build").arg(&project).args(["--audience", "internal"]).assert().success();
    assert!(project.join("internal-site/reviewers.html").is_file(), "the internal site is in internal-site/");
    assert!(!project.join("public").exists(), "nothing was written to public/");
    workbook().arg("build").arg(&project).assert().success();
    assert!(project.join("public/index.html").is_file());
    assert!(!project.join("public/reviewers.html").exists());
    assert!(
        project.join("internal-site/reviewers.html").is_file(),
        "the public build left internal-site/ alone"
    );
    // The help says where each goes.
    workbook()
        .args(["build", "--help"])
        .assert()
        .success()
        .stdout(predicates::str::contains("internal-site"));
}

#[test]
fn a_site_moved_aside_by_a_killed_build_is_restored_by_the_next_build_even_one_that_fails() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("project");
    copy_tree(&example_project(), &project);
    let out = dir.path().join("site");
    workbook().arg("build").arg(&project).arg("--out").arg(&out).assert().success();
    let previous = tree(&out);
    // What a kill between the two renames of a swap leaves: the previous site moved aside, a complete
    // new one beside it, and no output; and an incomplete staging folder from an earlier kill.
    std::fs::rename(&out, dir.path().join(".site.workbook-old-4242")).unwrap();
    copy_tree(&dir.path().join(".site.workbook-old-4242"), &dir.path().join(".site.workbook-new-4242"));
    std::fs::create_dir(dir.path().join(".site.workbook-new-17")).unwrap();
    std::fs::write(dir.path().join(".site.workbook-new-17/index.html"), "half").unwrap();
    // The next build has an error, so it writes nothing; the previous site is back all the same.
    let answer = project.join("answers/01-describe-the-tool.md");
    let good = std::fs::read_to_string(&answer).unwrap();
    std::fs::write(&answer, "---\nquestion: 1\nstatus: [\n---\n").unwrap();
    workbook().arg("build").arg(&project).arg("--out").arg(&out).assert().code(1);
    assert!(out.is_dir(), "the previous site is not back; beside the output: {:?}", names(dir.path()));
    assert_eq!(tree(&out), previous, "the previous site is restored whole");
    assert_eq!(names(dir.path()), ["project", "site"], "the leftovers are gone");
    // And a build that succeeds replaces it as usual.
    std::fs::write(&answer, good.replace("It does not predict", "It never predicts")).unwrap();
    workbook().arg("build").arg(&project).arg("--out").arg(&out).assert().success();
    assert_ne!(tree(&out), previous);
    assert_eq!(names(dir.path()), ["project", "site"]);
}

/// A real mount point, made with `mount --bind` in a mount namespace of its own (`unshare -m`), which
/// needs root, as on the project's machines and CI. Where that is impossible the test fails and says
/// why, rather than passing without having run.
#[cfg(target_os = "linux")]
#[test]
fn a_build_into_a_mount_point_swaps_its_contents() {
    let dir = tempfile::tempdir().unwrap();
    let project = example_project();
    let internal = reference(&project, dir.path(), "reference-internal", &["--audience", "internal"]);
    let source = dir.path().join("mounted");
    let parent = dir.path().join("parent");
    let mount_point = parent.join("site");
    std::fs::create_dir(&source).unwrap();
    std::fs::create_dir_all(&mount_point).unwrap();
    // Inside the namespace: mount, then a public build and an internal one into the mount point.
    let script = r#"set -e
mount --bind "$1" "$2"
"$3" build "$4" --out "$2"
"$3" build "$4" --out "$2" --audience internal
"#;
    let output = Command::new("unshare")
        .args(["-m", "sh", "-c", script, "sh"])
        .arg(&source)
        .arg(&mount_point)
        .arg(assert_cmd::cargo::cargo_bin("workbook"))
        .arg(&project)
        .env("SOURCE_DATE_EPOCH", "1780272000")
        .env("NO_COLOR", "1")
        .output()
        .expect("this test needs `unshare` (util-linux) to make a mount point");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        !stderr.contains("unshare failed") && !stderr.contains("mount: "),
        "this test needs root, to make a mount point with `unshare -m` and `mount --bind`:\n{stderr}"
    );
    assert!(output.status.success(), "a build into a mount point failed:\n{stderr}");
    // The mounted folder holds the internal site, whole, and nothing of the build is left anywhere.
    assert_eq!(tree(&source), internal);
    assert_eq!(names(&parent), ["site"]);
    assert!(names(&mount_point).is_empty(), "the mount point itself was never written");
}

#[test]
fn a_file_the_author_put_in_the_site_folder_is_never_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("project");
    crate::support::copy_tree(&crate::support::fixtures().join("base"), &project);
    let out = dir.path().join("site");
    crate::support::workbook().arg("build").arg(&project).arg("--out").arg(&out).assert().success();
    std::fs::write(out.join("mine.txt"), "my notes").unwrap();
    std::fs::create_dir_all(out.join("sub")).unwrap();
    std::fs::write(out.join("sub/more.txt"), "more").unwrap();
    crate::support::workbook()
        .arg("build")
        .arg(&project)
        .arg("--out")
        .arg(&out)
        .assert()
        // The folder `--out` names cannot be used: a usage error, not a problem in the content.
        .code(2)
        .stderr(predicates::str::contains("mine.txt, sub/more.txt"));
    assert_eq!(std::fs::read_to_string(out.join("mine.txt")).unwrap(), "my notes");
    assert_eq!(std::fs::read_to_string(out.join("sub/more.txt")).unwrap(), "more");
    // Once they are moved out, the folder is the build's again.
    std::fs::remove_file(out.join("mine.txt")).unwrap();
    std::fs::remove_dir_all(out.join("sub")).unwrap();
    crate::support::workbook().arg("build").arg(&project).arg("--out").arg(&out).assert().success();
}
