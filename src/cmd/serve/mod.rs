//! `workbook serve`: build the site in memory, serve it on loopback, rebuild on every save, and tell
//! open pages to reload.
//!
//! The site is never written to disk: requests are answered from the files of the last good build,
//! so no request can reach a file outside the site. A save that breaks the project keeps the last
//! good site and shows the diagnostics over every page until the next good save.

mod http;
mod watch;

use notify_debouncer_full::{DebounceEventResult, new_debouncer, notify::RecursiveMode};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Sender};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};
use workbook::build::{BuildOptions, Builder};
use workbook::write::Files;

/// How long the watcher waits for a burst of events to end. Short: editors finish a save within a
/// few milliseconds, and the reload should follow at once.
const DEBOUNCE: Duration = Duration::from_millis(10);

/// When saves keep coming while a rebuild runs (a script, a `git checkout`, an editor that saves
/// every keystroke), wait until they have stopped for this long, then rebuild once more.
const BURST_QUIET: Duration = Duration::from_millis(100);

/// The longest a stream of saves that never pauses waits for its trailing rebuild.
const BURST_MAX: Duration = Duration::from_secs(1);

/// What `serve` was asked to do.
pub struct ServeOptions {
    /// The project folder.
    pub project: PathBuf,
    /// The address to listen on.
    pub bind: String,
    /// The port; 0 picks a free one.
    pub port: u16,
    /// Who the site is for.
    pub audience: workbook::record::Audience,
    /// Open the site in a browser.
    pub open: bool,
}

/// The site being served, and the errors of the last save when it broke the project.
struct Served {
    files: Arc<Files>,
    overlay: Option<String>,
}

/// Everything the server threads share.
struct Shared {
    served: RwLock<Served>,
    listeners: Mutex<Vec<Sender<&'static str>>>,
    /// The `Host` values a request may carry; empty when any is allowed (a bind beyond loopback).
    hosts: Vec<String>,
}

impl Shared {
    fn broadcast(&self, event: &'static str) {
        let mut listeners = self.listeners.lock().unwrap_or_else(|e| e.into_inner());
        listeners.retain(|l| l.send(event).is_ok());
    }
}

/// Runs the preview server until the process is stopped. Returns the exit code.
pub fn serve(options: ServeOptions) -> u8 {
    let root = options.project.clone();
    let server = match tiny_http::Server::http((options.bind.as_str(), options.port)) {
        Ok(server) => server,
        Err(e) => {
            let in_use = e.to_string().to_lowercase().contains("in use");
            if in_use {
                eprintln!(
                    "error: port {} on {} is in use; try another with --port {}",
                    options.port,
                    options.bind,
                    options.port.wrapping_add(1)
                );
            } else {
                eprintln!("error: cannot listen on {}:{}: {e}", options.bind, options.port);
            }
            return 1;
        }
    };
    let port = server.server_addr().to_ip().map_or(options.port, |a| a.port());
    let host = if options.bind.contains(':') { format!("[{}]", options.bind) } else { options.bind.clone() };
    let url = format!("http://{host}:{port}/");
    // The preview is its own base: the not-found page, served at any depth, links from there rather
    // than to the published site.
    let build_options = BuildOptions {
        audience: options.audience,
        base_url: Some(url.clone()),
        today: workbook::progress::today(),
    };
    let mut builder = Builder::new(&root, build_options);

    // Watch before the first build: a save made while it runs, or the moment the address is
    // printed, must not be missed.
    let (tx, rx) = mpsc::channel::<DebounceEventResult>();
    let mut debouncer = match new_debouncer(DEBOUNCE, None, tx) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: cannot watch the project: {e}");
            return 1;
        }
    };
    if let Err(e) = debouncer.watch(&root, RecursiveMode::Recursive) {
        eprintln!("error: cannot watch {}: {e}", root.display());
        return 1;
    }
    let started = Instant::now();
    let (files, overlay) = match builder.build(true) {
        Ok(site) => {
            super::print_human(&site.warnings, &root);
            eprintln!(
                "Built {} pages in {} ms{}.",
                site.pages,
                started.elapsed().as_millis(),
                plural_warnings(site.warnings.len())
            );
            (site.files, None)
        }
        Err(diagnostics) => {
            super::print_human(&diagnostics, &root);
            eprintln!("The project has errors: fix them and save; the page will show them until then.");
            (Files::new(), Some(http::overlay(&diagnostics)))
        }
    };
    let mut shared = Shared {
        served: RwLock::new(Served { files: Arc::new(files), overlay }),
        listeners: Mutex::new(Vec::new()),
        hosts: Vec::new(),
    };

    eprintln!("Serving {} on {url} (Ctrl-C to stop)", root.display());
    if !is_loopback(&options.bind) {
        eprintln!("warning: listening on {} makes the preview reachable from other machines", options.bind);
    }
    if options.open {
        open_browser(&url);
    }
    // On loopback, answer only requests addressed to loopback: a web page elsewhere that points its
    // own name at 127.0.0.1 (DNS rebinding) must not read the preview, internal builds included.
    if is_loopback(&options.bind) {
        shared.hosts = ["127.0.0.1", "localhost", "[::1]"]
            .iter()
            .flat_map(|h| [(*h).to_owned(), format!("{h}:{port}")])
            .collect();
    }
    let shared = Arc::new(shared);

    let server = Arc::new(server);
    {
        let shared = shared.clone();
        let server = server.clone();
        std::thread::spawn(move || {
            for request in server.incoming_requests() {
                let shared = shared.clone();
                std::thread::spawn(move || respond(request, &shared));
            }
        });
    }

    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.clone());
    let relevant = |result: DebounceEventResult, changed: &mut Vec<PathBuf>| {
        let Ok(events) = result else { return };
        // Reading a file is an event too (the build reads every answer); only changes count.
        let changes = events
            .into_iter()
            .filter(|e| !matches!(e.kind, notify_debouncer_full::notify::EventKind::Access(_)));
        for path in changes.flat_map(|e| e.event.paths) {
            let relative = path
                .strip_prefix(&canonical_root)
                .or_else(|_| path.strip_prefix(&root))
                .map(Path::to_path_buf)
                .unwrap_or_else(|_| path.clone());
            if watch::is_relevant(&relative) && !changed.contains(&relative) {
                changed.push(relative);
            }
        }
    };
    while let Ok(result) = rx.recv() {
        // A save rebuilds at once (leading edge)…
        let mut changed = Vec::new();
        relevant(result, &mut changed);
        while let Ok(more) = rx.try_recv() {
            relevant(more, &mut changed);
        }
        if changed.is_empty() {
            continue;
        }
        changed.sort();
        rebuild(&mut builder, &shared, &changed);
        // …and saves that come during the rebuild or soon after make one more, once they stop for
        // BURST_QUIET (trailing edge), so a burst of saves makes two rebuilds, not a storm. Saves that
        // never stop still rebuild every BURST_MAX. (Waiting only for saves already queued when the
        // rebuild ended let a burst that outlasted one rebuild start a second leading edge.)
        loop {
            let waiting = Instant::now();
            let mut burst = Vec::new();
            while waiting.elapsed() < BURST_MAX {
                match rx.recv_timeout(BURST_QUIET) {
                    Ok(more) => relevant(more, &mut burst),
                    Err(_) => break,
                }
            }
            if burst.is_empty() {
                break;
            }
            burst.sort();
            rebuild(&mut builder, &shared, &burst);
        }
    }
    0
}

fn rebuild(builder: &mut Builder, shared: &Shared, changed: &[PathBuf]) {
    let started = Instant::now();
    let templates_changed = changed.iter().any(|p| p.starts_with(workbook::load::TEMPLATES_DIR));
    let what = match changed {
        [one] => workbook::diagnostic::display_path(one),
        [first, rest @ ..] => {
            format!("{} and {} more", workbook::diagnostic::display_path(first), rest.len())
        }
        [] => String::new(),
    };
    match builder.build(templates_changed) {
        Ok(site) => {
            let (pages, warnings) = (site.pages, site.warnings);
            {
                let mut served = shared.served.write().unwrap_or_else(|e| e.into_inner());
                *served = Served { files: Arc::new(site.files), overlay: None };
            }
            shared.broadcast("reload");
            eprintln!(
                "{what} changed: rebuilt {pages} pages in {} ms{}",
                started.elapsed().as_millis(),
                plural_warnings(warnings.len())
            );
        }
        Err(diagnostics) => {
            super::print_human(&diagnostics, builder.root());
            {
                let mut served = shared.served.write().unwrap_or_else(|e| e.into_inner());
                served.overlay = Some(http::overlay(&diagnostics));
            }
            shared.broadcast("reload");
            let (errors, _) = workbook::diagnostic::counts(&diagnostics);
            eprintln!(
                "{what} changed: {errors} error{}; still serving the last good build",
                if errors == 1 { "" } else { "s" }
            );
        }
    }
}

fn plural_warnings(n: usize) -> String {
    match n {
        0 => String::new(),
        1 => ", 1 warning".into(),
        n => format!(", {n} warnings"),
    }
}

fn is_loopback(bind: &str) -> bool {
    matches!(bind, "127.0.0.1" | "localhost" | "::1")
}

fn respond(request: tiny_http::Request, shared: &Shared) {
    use tiny_http::{Header, Response, StatusCode};
    let header = |name: &str, value: &str| Header::from_bytes(name.as_bytes(), value.as_bytes()).ok();
    let host = request
        .headers()
        .iter()
        .find(|h| h.field.equiv("Host"))
        .map(|h| h.value.as_str().to_ascii_lowercase());
    if !shared.hosts.is_empty() && host.is_some_and(|h| !shared.hosts.contains(&h)) {
        let _ = request.respond(
            Response::from_string("This preview answers only to 127.0.0.1 and localhost.")
                .with_status_code(StatusCode(421)),
        );
        return;
    }
    let url = request.url().to_owned();
    if url.split('?').next() == Some(http::EVENTS_PATH) {
        let (tx, rx) = mpsc::channel();
        shared.listeners.lock().unwrap_or_else(|e| e.into_inner()).push(tx);
        // The raw connection, so that each event is sent the moment it happens (a response body
        // would be buffered in chunks).
        http::stream_events(request.into_writer(), &rx);
        return;
    }
    let (files, overlay) = {
        let served = shared.served.read().unwrap_or_else(|e| e.into_inner());
        (served.files.clone(), served.overlay.clone())
    };
    let found = http::site_path(&url).and_then(|path| files.get(&path).map(|bytes| (path, bytes)));
    let (status, path, body) = match found {
        Some((path, bytes)) => (200, path, bytes.clone()),
        None => {
            let page = files.get(workbook::plan::paths::NOT_FOUND).cloned().unwrap_or_else(|| {
                b"<!DOCTYPE html><title>Not found</title><body><h1>Page not found</h1></body>".to_vec()
            });
            (404, workbook::plan::paths::NOT_FOUND.to_owned(), page)
        }
    };
    let content_type = http::content_type(&path);
    let body =
        if content_type.starts_with("text/html") { http::inject(&body, overlay.as_deref()) } else { body };
    let headers = [header("Content-Type", content_type), header("Cache-Control", "no-store")];
    let response = Response::from_data(body).with_status_code(StatusCode(status));
    let response = headers.into_iter().flatten().fold(response, |r, h| r.with_header(h));
    let _ = request.respond(response);
}

fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(opener).arg(url).spawn().is_err() {
        eprintln!("Could not open a browser; open {url} yourself.");
    }
}
