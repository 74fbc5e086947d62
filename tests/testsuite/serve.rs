//! `workbook serve`: a real server on 127.0.0.1, a real event stream, real file saves.

use crate::support::copy_tree;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

/// A running `workbook serve` on a copy of the example project; stopped when dropped.
struct Server {
    _turn: std::sync::MutexGuard<'static, ()>,
    child: Child,
    port: u16,
    lines: Receiver<String>,
    project: PathBuf,
    _dir: tempfile::TempDir,
}

impl Server {
    fn start() -> Server {
        Server::start_with(&[])
    }

    /// Starts `serve --port 0` with `args` added; connects only to 127.0.0.1 whatever the bind.
    fn start_with(args: &[&str]) -> Server {
        Server::launch(Command::new(env!("CARGO_BIN_EXE_workbook")), args)
    }

    /// Starts `serve` allowed 256 open files, the default on macOS (on Unix; elsewhere, as usual).
    fn start_with_256_files() -> Server {
        if cfg!(unix) {
            let mut shell = Command::new("sh");
            shell.args(["-c", "ulimit -n 256 && exec \"$0\" \"$@\"", env!("CARGO_BIN_EXE_workbook")]);
            Server::launch(shell, &[])
        } else {
            Server::start()
        }
    }

    fn launch(command: Command, args: &[&str]) -> Server {
        Server::launch_prepared(command, args, |_| {})
    }

    /// Starts `serve` on a copy of the example project that `prepare` has changed first.
    fn launch_prepared(mut command: Command, args: &[&str], prepare: impl FnOnce(&Path)) -> Server {
        let turn = crate::support::exclusive();
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().join("project");
        copy_tree(&Path::new(env!("CARGO_MANIFEST_DIR")).join("example-project"), &project);
        prepare(&project);
        let mut child = command
            .args(["serve", "--port", "0"])
            .args(args)
            .arg(&project)
            .env("NO_COLOR", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let deadline = Instant::now() + Duration::from_secs(20);
        let port = loop {
            let line =
                lines.recv_timeout(deadline.saturating_duration_since(Instant::now())).expect("serve starts");
            // "Serving <project> on http://<host>:<port>/ (Ctrl-C to stop)"
            if let Some(rest) = line.strip_prefix("Serving ").and_then(|l| l.split(" on http://").nth(1)) {
                let address = rest.split('/').next().unwrap();
                break address.rsplit(':').next().unwrap().parse().unwrap();
            }
        };
        Server { _turn: turn, child, port, lines, project, _dir: dir }
    }

    fn get(&self, path: &str) -> (u16, String) {
        self.get_from(path, &format!("127.0.0.1:{}", self.port))
    }

    fn get_from(&self, path: &str, host: &str) -> (u16, String) {
        // A refused connection is status 0, for the assertions to report.
        let Ok(mut stream) = TcpStream::connect(("127.0.0.1", self.port)) else { return (0, String::new()) };
        stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let _ = write!(stream, "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
        let mut response = String::new();
        let _ = stream.read_to_string(&mut response);
        let status = response.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        (status, response)
    }

    /// Connects to the event stream and waits until it says it is connected.
    fn events(&self) -> BufReader<TcpStream> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        write!(stream, "GET /__workbook/events HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        while !line.starts_with(": connected") {
            line.clear();
            reader.read_line(&mut line).unwrap();
        }
        reader
    }

    /// Rebuild lines printed so far, waiting `quiet` for more.
    fn rebuilds(&self, quiet: Duration) -> usize {
        let mut count = 0;
        while let Ok(line) = self.lines.recv_timeout(quiet) {
            if line.contains("changed:") {
                count += 1;
            }
        }
        count
    }

    fn answer(&self) -> PathBuf {
        self.project.join("answers/07-bias-and-disproportionate-impact.md")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Waits for `data: reload` on the stream and returns how long it took.
fn wait_for_reload(events: &mut BufReader<TcpStream>, since: Instant) -> Duration {
    let mut line = String::new();
    loop {
        line.clear();
        events.read_line(&mut line).expect("an event within the read timeout");
        if line.trim() == "data: reload" {
            return since.elapsed();
        }
    }
}

#[test]
fn a_reload_event_follows_a_plain_write_and_a_write_then_rename() {
    let server = Server::start();
    let mut events = server.events();
    let original = std::fs::read_to_string(server.answer()).unwrap();

    let saved = Instant::now();
    std::fs::write(server.answer(), original.replace("Some groups", "Several groups")).unwrap();
    let took = wait_for_reload(&mut events, saved);
    assert!(took < Duration::from_secs(1), "plain write: {took:?}");
    let (_, page) = server.get("/07-bias-and-disproportionate-impact.html");
    assert!(page.contains("Several groups"), "the new text is served");

    // An editor's atomic save: write a temporary file, then rename it over the answer.
    let temporary = server.project.join("answers/.07.md.tmp");
    std::fs::write(&temporary, original.replace("Some groups", "Certain groups")).unwrap();
    let saved = Instant::now();
    std::fs::rename(&temporary, server.answer()).unwrap();
    let took = wait_for_reload(&mut events, saved);
    assert!(took < Duration::from_secs(1), "write then rename: {took:?}");
    let (_, page) = server.get("/07-bias-and-disproportionate-impact.html");
    assert!(page.contains("Certain groups"));
    assert!(page.contains("/__workbook/events"), "serve adds the reload script");
}

#[test]
fn fifty_saves_in_200_ms_make_at_most_two_rebuilds() {
    let server = Server::start();
    let original = std::fs::read_to_string(server.answer()).unwrap();
    let _ = server.rebuilds(Duration::from_millis(300));
    let start = Instant::now();
    for i in 0..50 {
        std::fs::write(server.answer(), format!("{original}\nSave {i}.\n")).unwrap();
        std::thread::sleep(Duration::from_millis(3));
    }
    let took = start.elapsed();
    assert!(took < Duration::from_millis(300), "the 50 saves took {took:?}, too long to test a burst");
    let rebuilds = server.rebuilds(Duration::from_millis(1500));
    assert!((1..=2).contains(&rebuilds), "{rebuilds} rebuilds");
    let (_, page) = server.get("/07-bias-and-disproportionate-impact.html");
    assert!(page.contains("Save 49."), "the last save is served");
}

#[test]
fn a_broken_save_shows_the_diagnostic_and_the_fix_clears_it() {
    let server = Server::start();
    let mut events = server.events();
    let original = std::fs::read_to_string(server.answer()).unwrap();
    std::fs::write(server.answer(), original.replacen("status: in-review", "status: in-reveiw", 1)).unwrap();
    wait_for_reload(&mut events, Instant::now());
    let (status, page) = server.get("/07-bias-and-disproportionate-impact.html");
    assert_eq!(status, 200, "the last good page is still served");
    assert!(page.contains("workbook-errors"), "the overlay is shown");
    assert!(page.contains("answers/07-bias-and-disproportionate-impact.md:"), "with file, line and column");
    assert!(page.contains("E003 wrong-type"));
    std::fs::write(server.answer(), &original).unwrap();
    wait_for_reload(&mut events, Instant::now());
    let (_, page) = server.get("/07-bias-and-disproportionate-impact.html");
    assert!(!page.contains("workbook-errors"), "the fix clears the overlay");
}

#[test]
fn traversal_attempts_get_404_and_never_a_file() {
    let server = Server::start();
    for path in [
        "/../Cargo.toml",
        "/%2e%2e/%2e%2e/etc/passwd",
        "//etc/passwd",
        "/..%2f..%2fCargo.toml",
        "/answers/01-describe-the-tool.md",
        "/workbook.yaml",
    ] {
        let (status, body) = server.get(path);
        assert_eq!(status, 404, "{path}");
        assert!(
            !body.contains("root:") && !body.contains("[package]") && !body.contains("framework:"),
            "{path}"
        );
    }
    let (status, body) = server.get("/");
    assert_eq!(status, 200);
    assert!(body.contains("Content-Type: text/html"));
    let (status, body) = server.get("/assets/style.css");
    assert_eq!(status, 200);
    assert!(body.contains("Content-Type: text/css"));
    let (status, body) = server.get("/feed.xml");
    assert_eq!(status, 200);
    assert!(body.contains("Content-Type: application/atom+xml"));
    // The not-found page, at any depth, links to the preview, not to the published site.
    let (status, body) = server.get("/no/such/page.html");
    assert_eq!(status, 404);
    let local = format!("href=\"http://127.0.0.1:{}/assets/style.css\"", server.port);
    assert!(body.contains(&local), "{body}");
    // A page elsewhere that points its own name at 127.0.0.1 (DNS rebinding) is refused.
    let (status, body) = server.get_from("/", &format!("attacker.example:{}", server.port));
    assert_eq!(status, 403);
    assert!(!body.contains("<html"));
    assert_eq!(server.get_from("/", &format!("localhost:{}", server.port)).0, 200);
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let project = Path::new(env!("CARGO_MANIFEST_DIR")).join("example-project");
    let output = Command::new(env!("CARGO_BIN_EXE_workbook"))
        .args(["serve", "--port", &port.to_string()])
        .arg(&project)
        .output()
        .unwrap();
    // The port is an argument: a usage error, not a problem in the content.
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("in use") && stderr.contains("--port"), "{stderr}");
}

#[test]
fn serving_the_current_folder_names_it() {
    let _turn = crate::support::exclusive();
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("early-help-dashboard");
    copy_tree(&Path::new(env!("CARGO_MANIFEST_DIR")).join("example-project"), &project);
    let mut child = Command::new(env!("CARGO_BIN_EXE_workbook"))
        .args(["serve", "--port", "0"])
        .current_dir(&project)
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = BufReader::new(child.stderr.take().unwrap());
    let serving = stderr.lines().map_while(Result::ok).find(|l| l.starts_with("Serving "));
    let _ = child.kill();
    let _ = child.wait();
    let serving = serving.expect("serve says what it serves");
    assert!(!serving.starts_with("Serving . "), "{serving}");
    assert!(serving.contains("early-help-dashboard"), "{serving}");
}

/// Opens a connection that sends the start of a request and then nothing more; `None` when the
/// server refuses it.
fn slow_client(port: u16) -> Option<TcpStream> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.write_all(b"GET / HTTP/1.1\r\nHo").ok()?;
    Some(stream)
}

#[test]
fn two_hundred_slow_clients_do_not_stop_the_server() {
    // With 256 files, tiny_http's accept thread used to panic on the 120th or so connection
    // (each took two descriptors) and the port was refused from then on.
    let mut server = Server::start_with_256_files();
    let slow: Vec<Option<TcpStream>> = (0..200).map(|_| slow_client(server.port)).collect();
    let asked = Instant::now();
    let (status, _) = server.get("/");
    let took = asked.elapsed();
    assert_eq!(status, 200, "a normal request is answered while 200 slow clients are held open");
    assert!(took < Duration::from_secs(2), "the first 200 took {took:?}");
    drop(slow);
    for _ in 0..20 {
        assert_eq!(server.get("/assets/style.css").0, 200, "still serving once the slow clients are gone");
    }
    assert!(server.child.try_wait().unwrap().is_none(), "the server did not exit");
}

#[test]
fn a_slow_client_is_timed_out() {
    let server = Server::start();
    let mut slow = slow_client(server.port).unwrap();
    slow.set_read_timeout(Some(Duration::from_secs(15))).unwrap();
    let started = Instant::now();
    let mut answer = String::new();
    let _ = slow.read_to_string(&mut answer);
    let took = started.elapsed();
    assert!(took < Duration::from_secs(12), "the connection was closed after {took:?}");
    assert!(answer.is_empty() || answer.starts_with("HTTP/1.1 408"), "{answer}");
}

#[test]
fn more_event_streams_than_the_limit_do_not_stop_pages() {
    let server = Server::start();
    let mut streams = Vec::new();
    for _ in 0..100 {
        let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
        write!(stream, "GET /__workbook/events HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
        streams.push(stream);
    }
    for _ in 0..20 {
        let asked = Instant::now();
        assert_eq!(server.get("/").0, 200, "pages are served beside 100 event streams");
        assert!(asked.elapsed() < Duration::from_secs(2));
    }
    // The oldest streams were closed to keep the number bounded.
    let oldest = &mut streams[0];
    oldest.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut seen = Vec::new();
    let closed = oldest.read_to_end(&mut seen);
    assert!(closed.is_ok(), "the oldest stream is closed, not kept open: {closed:?}");
    assert!(String::from_utf8_lossy(&seen).contains(": connected"), "it was a stream first");
    // The newest stream is live: it gets the reload that a save causes.
    let mut events = server.events();
    let original = std::fs::read_to_string(server.answer()).unwrap();
    std::fs::write(server.answer(), original.replace("Some groups", "Several groups")).unwrap();
    wait_for_reload(&mut events, Instant::now());
    drop(streams);
}

#[test]
fn the_host_check_applies_beyond_loopback() {
    let server = Server::start_with(&["--bind", "0.0.0.0", "--allow-host", "preview.example.org"]);
    let port = server.port;
    let (status, body) = server.get_from("/", &format!("evil.example:{port}"));
    assert_eq!(status, 403, "another name is refused (DNS rebinding)");
    assert!(!body.contains("<html"));
    assert_eq!(server.get_from("/", "evil.example").0, 403);
    assert_eq!(server.get_from("/", &format!("127.0.0.1:{port}")).0, 200, "an address of this machine");
    assert_eq!(server.get_from("/", &format!("0.0.0.0:{port}")).0, 200, "the bound address");
    assert_eq!(server.get_from("/", &format!("localhost:{port}")).0, 200);
    assert_eq!(server.get_from("/", &format!("preview.example.org:{port}")).0, 200, "--allow-host");
    assert_eq!(server.get_from("/", &format!("PREVIEW.example.org:{port}")).0, 200, "names ignore case");
    assert_eq!(server.get_from("/", &format!("preview.example.org:{}", port.wrapping_add(1))).0, 403);
}

#[test]
fn the_internal_site_beyond_loopback_needs_a_flag() {
    let project = Path::new(env!("CARGO_MANIFEST_DIR")).join("example-project");
    let output = {
        let _turn = crate::support::exclusive();
        let mut child = Command::new(env!("CARGO_BIN_EXE_workbook"))
            .args(["serve", "--port", "0", "--audience", "internal", "--bind", "0.0.0.0"])
            .arg(&project)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // It must exit at once; kill it (and fail below) if it serves instead.
        let deadline = Instant::now() + Duration::from_secs(10);
        while child.try_wait().unwrap().is_none() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = child.kill();
        child.wait_with_output().unwrap()
    };
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--expose-internal") && stderr.contains("internal"), "{stderr}");

    let server = Server::start_with(&["--audience", "internal", "--bind", "0.0.0.0", "--expose-internal"]);
    assert_eq!(server.get("/").0, 200);
    // On loopback no flag is needed.
    drop(server);
    let server = Server::start_with(&["--audience", "internal"]);
    assert_eq!(server.get("/").0, 200);
}

#[test]
fn oversized_and_malformed_requests_are_refused() {
    let server = Server::start();
    let send = |request: &[u8]| {
        let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let _ = stream.write_all(request);
        let mut response = Vec::new();
        let _ = stream.read_to_end(&mut response);
        String::from_utf8_lossy(&response).split(' ').nth(1).and_then(|s| s.parse::<u16>().ok()).unwrap_or(0)
    };
    let mut oversized = b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Padding: ".to_vec();
    oversized.extend(std::iter::repeat_n(b'a', 20_000));
    oversized.extend(b"\r\n\r\n");
    assert_eq!(send(&oversized), 431);
    assert_eq!(send(b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n"), 405);
    assert_eq!(send(b"GET / HTTP/1.1\r\nHost: localhost\r\nHost: evil.example\r\n\r\n"), 400);
    assert_eq!(send(b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"), 200);
}

/// A sentence of the example's question 9, a draft, which the published site leaves out.
const DRAFT_TEXT: &str = "managers raised 11 challenges";
const DRAFT_PAGE: &str = "/09-explainability-and-scrutiny.html";
/// A sentence of an internal passage of the example's question 3.
const INTERNAL_TEXT: &str = "142,600 over 12 months";
const INTERNAL_PAGE: &str = "/03-resources-and-skills.html";

/// Every file under `dir`, with its text (lossy).
fn files_under(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(files_under(&path));
        } else {
            found.push((path.clone(), String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned()));
        }
    }
    found
}

#[test]
fn a_drafts_text_is_served_in_the_preview_and_not_built() {
    let server = Server::start();
    let (status, page) = server.get(DRAFT_PAGE);
    assert_eq!(status, 200);
    assert!(page.contains(DRAFT_TEXT), "the draft's text is in the preview");
    assert!(page.contains("Draft — not published yet"), "and marked as a draft");
    assert!(page.contains("workbook-preview-bar"), "the bar is on the page");
    assert!(page.contains("href=\"internal/09-explainability-and-scrutiny.html\""), "linking the other view");
    let (_, home) = server.get("/");
    assert!(home.contains("workbook-preview-bar"), "on every page");

    // The same project, built: no draft text, no mark, no bar, in any file of either audience.
    for audience in ["public", "internal"] {
        let out = server._dir.path().join(format!("site-{audience}"));
        let built = crate::support::workbook()
            .args(["build", "--quiet", "--audience", audience, "--out"])
            .arg(&out)
            .arg(&server.project)
            .output()
            .unwrap();
        assert!(built.status.success(), "{}", String::from_utf8_lossy(&built.stderr));
        let files = files_under(&out);
        assert!(files.len() > 20);
        for (path, text) in &files {
            if audience == "public" {
                assert!(!text.contains(DRAFT_TEXT), "{}: a draft's text in the public build", path.display());
            }
            assert!(!text.contains("workbook-preview-bar"), "{}: the preview bar in a build", path.display());
            assert!(
                !text.contains("Draft — not published yet"),
                "{}: the preview's draft mark in a build",
                path.display()
            );
            assert!(!text.contains("draft_not_published"), "{}", path.display());
        }
    }
}

#[test]
fn the_internal_view_is_served_beside_the_public_one_and_only_there() {
    let server = Server::start();
    let (status, public) = server.get(INTERNAL_PAGE);
    assert_eq!(status, 200);
    assert!(!public.contains(INTERNAL_TEXT), "the public preview has no internal text");
    let (status, internal) = server.get(&format!("/internal{INTERNAL_PAGE}"));
    assert_eq!(status, 200);
    assert!(internal.contains(INTERNAL_TEXT), "the internal view has it");
    assert!(internal.contains("workbook-preview-bar"));
    assert!(
        internal.contains("href=\"../03-resources-and-skills.html\">Switch to the public preview"),
        "{internal}"
    );
    assert!(public.contains("href=\"internal/03-resources-and-skills.html\">Switch to the internal view"));
    // The internal view's data and feed are internal too; the public preview's are not.
    assert!(server.get("/internal/workbook.json").1.contains(INTERNAL_TEXT));
    assert!(!server.get("/workbook.json").1.contains(INTERNAL_TEXT));
    let (status, moved) = server.get("/internal");
    assert_eq!(status, 301);
    assert!(moved.contains("Location: /internal/"), "{moved}");
    drop(server);

    // Where other machines can reach the preview, the internal view is not served without the flag.
    let server = Server::start_with(&["--bind", "0.0.0.0"]);
    assert_eq!(server.get(INTERNAL_PAGE).0, 200);
    let (status, page) = server.get(&format!("/internal{INTERNAL_PAGE}"));
    assert_eq!(status, 404);
    assert!(!page.contains(INTERNAL_TEXT));
    assert!(page.contains("The internal view is not served on this address"), "{page}");
}

/// Waits up to 10 s for `path` of `server` to contain `text`.
fn served_soon(server: &Server, path: &str, text: &str) -> bool {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if server.get(path).1.contains(text) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    false
}

#[test]
fn a_commit_refreshes_the_served_change_log() {
    let server = Server::launch_prepared(Command::new(env!("CARGO_BIN_EXE_workbook")), &[], |project| {
        crate::support::git(project, &["init", "-q"]);
        crate::support::git(project, &["add", "."]);
        crate::support::git(project, &["commit", "-q", "-m", "First answers"]);
    });
    let mut events = server.events();
    assert!(server.get("/changes.html").1.contains("First answers"));
    let original = std::fs::read_to_string(server.answer()).unwrap();
    std::fs::write(server.answer(), original.replace("Some groups", "Several groups")).unwrap();
    wait_for_reload(&mut events, Instant::now());
    assert!(!server.get("/changes.html").1.contains("Name the groups"), "not committed yet");
    crate::support::git_at(
        &server.project,
        "2026-02-01T00:00:00Z",
        &["commit", "-q", "-am", "Name the groups"],
    );
    assert!(served_soon(&server, "/changes.html", "Name the groups"), "the commit is in the change log");
    assert!(server.get("/internal/changes.html").1.contains("Name the groups"), "in both views");
}

#[test]
fn build_watch_rebuilds_the_folder_after_a_save() {
    let _turn = crate::support::exclusive();
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("project");
    copy_tree(&Path::new(env!("CARGO_MANIFEST_DIR")).join("example-project"), &project);
    let out = dir.path().join("site");
    let mut child = Command::new(env!("CARGO_BIN_EXE_workbook"))
        .args(["build", "--watch", "--out"])
        .arg(&out)
        .arg(&project)
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (tx, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let wait_for = |wanted: &str, within: u64| {
        let deadline = Instant::now() + Duration::from_secs(within);
        while let Ok(line) = lines.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            if line.contains(wanted) {
                return true;
            }
        }
        false
    };
    let watching = wait_for("Watching", 20);
    let page = out.join("07-bias-and-disproportionate-impact.html");
    let answer = project.join("answers/07-bias-and-disproportionate-impact.md");
    let original = std::fs::read_to_string(&answer).unwrap();
    std::fs::write(&answer, original.replace("Some groups", "Several groups")).unwrap();
    let rebuilt = wait_for("changed: built", 20);
    // Its own writes to the folder are not saves: one save, one rebuild.
    let more = wait_for("changed:", 2);
    let _ = child.kill();
    let _ = child.wait();
    assert!(watching, "build --watch says it is watching");
    assert!(rebuilt, "a save rebuilds");
    assert!(!more, "and only once");
    assert!(std::fs::read_to_string(&page).unwrap().contains("Several groups"), "into the folder");
    assert!(out.join(workbook::write::MARKER).exists(), "a whole site");
}
