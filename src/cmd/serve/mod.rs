//! `workbook serve`: build the site in memory, serve it on loopback, rebuild on every save and
//! commit, and tell open pages to reload.
//!
//! The site is never written to disk: requests are answered from the files of the last good build,
//! so no request can reach a file outside the site. A save that breaks the project keeps the last
//! good site and shows the diagnostics over every page until the next good save.
//!
//! Two views are built, both as previews (drafts shown, and marked as not published yet): the
//! public one at `/`, and the internal one under [`http::INTERNAL_PREFIX`] when the server listens
//! only on loopback (or `--expose-internal` allows it), built when a page of it is first asked for
//! and from then on with the public one on every save. A bar at the top of every page, added here
//! and never by `build`, links to the same page in the other view.

mod hosts;
mod http;
mod register;
mod server;
pub(crate) mod watch;

pub use register::serve_register;

use std::net::{SocketAddr, TcpListener, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Instant;
use workbook::build::{BuildOptions, Builder};
use workbook::write::{Files, SiteFiles};

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
    /// Names besides this server's own that a request's `Host` may carry (`--allow-host`).
    pub allow_hosts: Vec<String>,
    /// Serve the internal site beyond loopback (`--expose-internal`).
    pub expose_internal: bool,
    /// Print only the problems and the address (`--quiet`).
    pub quiet: bool,
}

/// Exit code for a usage error, as the other commands have it.
const USAGE_ERROR: u8 = 2;

/// The site being served, and the errors of the last save when it broke the project.
struct Served {
    files: Arc<dyn SiteFiles>,
    /// The internal view's files; `None` until it is built for the current save.
    internal: Option<Arc<dyn SiteFiles>>,
    overlay: Option<String>,
    /// Counts the saves, so that an internal view built from an earlier one is not kept.
    generation: u64,
}

/// The internal view: built when a page of it is first asked for, then with the public one on
/// every save, so that an author who never opens it does not wait for it.
struct InternalView {
    /// Its builder, and whether the templates changed since it last built.
    builder: Mutex<(Builder, bool)>,
    /// True once a page of it has been asked for.
    wanted: AtomicBool,
}

impl InternalView {
    fn build(&self) -> Option<Files> {
        let mut guard = self.builder.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let (builder, templates_changed) = &mut *guard;
        let site = builder.build(*templates_changed).ok()?;
        *templates_changed = false;
        Some(site.files)
    }
}

/// The views' files after a good build, and the public one's warnings.
struct Built {
    files: Files,
    internal: Option<Files>,
    pages: usize,
    warnings: Vec<workbook::diagnostic::Diagnostic>,
}

/// Builds the public preview, and beside it the internal view when it is wanted. The content's
/// errors are the same for both, so the public view's stand for both; an internal view that fails
/// on its own (a template only it renders) is left unbuilt.
fn build_views(
    public: &mut Builder,
    internal: Option<&InternalView>,
    templates_changed: bool,
) -> Result<Built, Vec<workbook::diagnostic::Diagnostic>> {
    let wanted = internal.filter(|view| view.wanted.load(Ordering::SeqCst));
    if templates_changed && let Some(view) = internal {
        view.builder.lock().unwrap_or_else(std::sync::PoisonError::into_inner).1 = true;
    }
    // Side by side: a save is in the browser once both are built.
    let (public, internal) = std::thread::scope(|scope| {
        let internal = wanted.map(|view| scope.spawn(move || view.build()));
        let public = public.build(templates_changed);
        let internal =
            internal.and_then(|t| t.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)));
        (public, internal)
    });
    let public = public?;
    Ok(Built { files: public.files, internal, pages: public.pages, warnings: public.warnings })
}

/// Everything the server threads share.
struct Shared {
    served: RwLock<Served>,
    /// The open pages' event streams, told to reload after each rebuild.
    streams: Arc<server::EventStreams>,
    /// The `Host` values a request may carry.
    hosts: hosts::AllowedHosts,
    /// The internal view, when it is served.
    internal: Option<InternalView>,
}

impl Shared {
    fn broadcast(&self, event: &'static str) {
        self.streams.send(event);
    }
}

/// Runs the preview server until the process is stopped. Returns the exit code.
pub fn serve(options: ServeOptions) -> u8 {
    let root = options.project.clone();
    let addresses: Vec<SocketAddr> = match (options.bind.as_str(), options.port).to_socket_addrs() {
        Ok(addresses) => addresses.collect(),
        Err(e) => {
            super::output::error(&format!("cannot listen on {}:{}: {e}", options.bind, options.port));
            return USAGE_ERROR;
        }
    };
    // Decided before listening, so that the internal site is not reachable even for a moment.
    let beyond_loopback = addresses.iter().any(|a| !a.ip().is_loopback());
    if beyond_loopback && options.audience == workbook::record::Audience::Internal && !options.expose_internal
    {
        super::output::error(&format!(
            "--audience internal would serve the internal site, which holds answers and passages not \
             meant for the public, on {}, where other machines can reach it\n  \
             help: serve it on 127.0.0.1 (the default), or add --expose-internal if every machine that can \
             reach {} may see it",
            options.bind, options.bind
        ));
        return USAGE_ERROR;
    }
    let listener = match TcpListener::bind(&addresses[..]) {
        Ok(listener) => listener,
        Err(e) => {
            if e.kind() == std::io::ErrorKind::AddrInUse {
                super::output::error(&format!(
                    "port {} on {} is in use; try another with --port {}",
                    options.port,
                    options.bind,
                    options.port.wrapping_add(1)
                ));
            } else {
                super::output::error(&format!("cannot listen on {}:{}: {e}", options.bind, options.port));
            }
            // The port or the address given cannot be used: a usage error, as the README documents.
            return USAGE_ERROR;
        }
    };
    let bound = match listener.local_addr() {
        Ok(bound) => bound,
        Err(e) => {
            super::output::error(&format!("cannot listen on {}:{}: {e}", options.bind, options.port));
            return USAGE_ERROR;
        }
    };
    let port = bound.port();
    let host = if options.bind.contains(':') { format!("[{}]", options.bind) } else { options.bind.clone() };
    let url = format!("http://{host}:{port}/");
    // The internal view is served only where the internal site may be: on loopback, or where
    // --expose-internal allows it (checked above for --audience internal).
    let serves_internal = !beyond_loopback || options.expose_internal;
    let view_options = |audience: workbook::record::Audience, base: &str| BuildOptions {
        audience,
        // Each view is its own base: the not-found page, served at any depth, links from there
        // rather than to the published site.
        base_url: Some(base.to_owned()),
        today: workbook::progress::today(),
    };
    let internal_url = format!("{url}{}/", http::INTERNAL_PREFIX.trim_matches('/'));
    let mut public = Builder::preview(&root, view_options(workbook::record::Audience::Public, &url));
    let internal = serves_internal.then(|| InternalView {
        builder: Mutex::new((
            Builder::preview(&root, view_options(workbook::record::Audience::Internal, &internal_url)),
            true,
        )),
        // Opened first with --audience internal, so built from the start.
        wanted: AtomicBool::new(options.audience == workbook::record::Audience::Internal),
    });
    // `--audience internal` opens the internal view; both are served either way.
    let opened = if options.audience == workbook::record::Audience::Internal { &internal_url } else { &url };

    // Watch before the first build: a save made while it runs, or the moment the address is
    // printed, must not be missed.
    let watcher = match watch::Watcher::new(&root, Vec::new()) {
        Ok(watcher) => watcher,
        Err(message) => {
            super::output::error(&message);
            return 1;
        }
    };
    let started = Instant::now();
    let (files, internal_files, overlay) = match build_views(&mut public, internal.as_ref(), true) {
        Ok(site) => {
            super::print_human(&site.warnings, &root);
            if !options.quiet {
                eprintln!(
                    "Built {} pages in {} ms{}.",
                    site.pages,
                    started.elapsed().as_millis(),
                    plural_warnings(site.warnings.len())
                );
            }
            (site.files, site.internal, None)
        }
        Err(diagnostics) => {
            super::print_human(&diagnostics, &root);
            eprintln!("The project has errors: fix them and save; the page will show them until then.");
            (Files::new(), None, Some(http::overlay(&diagnostics)))
        }
    };
    let streams = Arc::new(server::EventStreams::new());
    let shared = Arc::new(Shared {
        served: RwLock::new(Served {
            files: Arc::new(files),
            internal: internal_files.map(|files| Arc::new(files) as Arc<dyn SiteFiles>),
            overlay,
            generation: 0,
        }),
        streams: streams.clone(),
        // Answer only requests addressed to this server, on every bind: a web page elsewhere that
        // points its own name at this machine (DNS rebinding) must not read the preview.
        hosts: hosts::AllowedHosts::new(bound, &options.allow_hosts),
        internal,
    });
    let handler: Arc<server::Handler> = {
        let shared = shared.clone();
        Arc::new(move |request: &server::Request| respond(request, &shared))
    };
    if let Err(e) = server::start(listener, handler, streams) {
        super::output::error(&format!("cannot start the server: {e}"));
        return 1;
    }

    // The address is printed even with --quiet: it is what the command is for.
    eprintln!("Serving {} on {url} (Ctrl-C to stop)", shown_folder(&root));
    if serves_internal && !options.quiet {
        eprintln!(
            "The internal view, for the oversight group, is at {internal_url}; drafts are shown in both."
        );
    }
    if beyond_loopback {
        super::output::warning(&format!(
            "listening on {} makes the preview reachable from other machines",
            options.bind
        ));
    }
    if options.open {
        open_browser(opened);
    }

    watcher.run(|changed| rebuild(&mut public, &shared, changed, options.quiet));
    0
}

fn rebuild(public: &mut Builder, shared: &Shared, changed: &[PathBuf], quiet: bool) {
    let started = Instant::now();
    let templates_changed = changed.iter().any(|p| p.starts_with(workbook::load::TEMPLATES_DIR));
    let what = match changed {
        [one] => workbook::diagnostic::display_path(one),
        [first, rest @ ..] => {
            format!("{} and {} more", workbook::diagnostic::display_path(first), rest.len())
        }
        [] => String::new(),
    };
    match build_views(public, shared.internal.as_ref(), templates_changed) {
        Ok(site) => {
            let (pages, warnings) = (site.pages, site.warnings);
            {
                let mut served = shared.served.write().unwrap_or_else(|e| e.into_inner());
                *served = Served {
                    files: Arc::new(site.files),
                    internal: site.internal.map(|files| Arc::new(files) as Arc<dyn SiteFiles>),
                    overlay: None,
                    generation: served.generation + 1,
                };
            }
            shared.broadcast("reload");
            if !quiet {
                eprintln!(
                    "{what} changed: rebuilt {pages} pages in {} ms{}",
                    started.elapsed().as_millis(),
                    plural_warnings(warnings.len())
                );
            }
        }
        Err(diagnostics) => {
            super::print_human(&diagnostics, public.root());
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

/// The project folder as `Serving …` names it: as given, unless that is only `.` or `..`, which
/// say nothing of which project is served; then the folder's own name.
fn shown_folder(root: &Path) -> String {
    let only_dots = root
        .components()
        .all(|c| matches!(c, std::path::Component::CurDir | std::path::Component::ParentDir));
    match root.canonicalize() {
        Ok(real) if only_dots => {
            real.file_name().map_or_else(|| real.display().to_string(), |n| n.to_string_lossy().into_owned())
        }
        _ => root.display().to_string(),
    }
}

fn plural_warnings(n: usize) -> String {
    match n {
        0 => String::new(),
        1 => ", 1 warning".into(),
        n => format!(", {n} warnings"),
    }
}

fn respond(request: &server::Request, shared: &Shared) -> server::Reply {
    use server::Reply;
    if request.host.as_deref().is_some_and(|h| !shared.hosts.allows(h)) {
        let names = shared.hosts.names().join(", ");
        let also = if names.is_empty() { String::new() } else { format!(" and to {names}") };
        return Reply::text(
            403,
            &format!(
                "This preview answers only to the addresses it listens on{also}. \
                 To reach it by another name, start it with --allow-host NAME."
            ),
        );
    }
    if request.method != "GET" && request.method != "HEAD" {
        return Reply::Response {
            status: 405,
            headers: vec![("Allow", "GET, HEAD".to_owned())],
            body: Vec::new(),
        };
    }
    let url = request.target.as_str();
    if url.split('?').next() == Some(http::EVENTS_PATH) {
        return Reply::Events;
    }
    let (view, path) = match http::route(url) {
        http::Route::File(view, path) => (view, path),
        http::Route::InternalRoot => {
            return Reply::Response {
                status: 301,
                headers: vec![("Location", http::INTERNAL_PREFIX.to_owned())],
                body: Vec::new(),
            };
        }
    };
    let (public, built_internal, overlay) = {
        let served = shared.served.read().unwrap_or_else(|e| e.into_inner());
        (served.files.clone(), served.internal.clone(), served.overlay.clone())
    };
    let serves_internal = shared.internal.is_some();
    // The internal view is not served where it may not be: its addresses are not found.
    let (files, other) = match view {
        http::View::Public => (public, built_internal),
        http::View::Internal if serves_internal => (internal_files(shared), Some(public)),
        http::View::Internal => (public, None),
    };
    let path = path.filter(|_| view == http::View::Public || serves_internal);
    let view = if serves_internal { view } else { http::View::Public };
    let requested = path.clone().unwrap_or_default();
    let found = path.and_then(|path| files.file(&path).map(|bytes| (path, bytes.to_vec())));
    let (status, path, body) = match found {
        Some((path, bytes)) => (200, path, bytes),
        None => {
            let page =
                files.file(workbook::plan::paths::NOT_FOUND).map(<[u8]>::to_vec).unwrap_or_else(|| {
                    b"<!DOCTYPE html><title>Not found</title><body><h1>Page not found</h1></body>".to_vec()
                });
            (404, workbook::plan::paths::NOT_FOUND.to_owned(), page)
        }
    };
    let content_type = http::content_type(&path);
    let body = if content_type.starts_with("text/html") {
        let bar = http::preview_bar(view, url, &requested, serves_internal, other.as_deref());
        http::inject(&http::insert_bar(&body, &bar), overlay.as_deref())
    } else {
        body
    };
    Reply::Response {
        status,
        headers: vec![("Content-Type", content_type.to_owned()), ("Cache-Control", "no-store".to_owned())],
        body,
    }
}

/// The internal view's files for the current save, built now when they are not yet, and from now
/// on with every save. A build that fails leaves no pages: the overlay says why.
fn internal_files(shared: &Shared) -> Arc<dyn SiteFiles> {
    let Some(view) = &shared.internal else { return Arc::new(Files::new()) };
    view.wanted.store(true, Ordering::SeqCst);
    let generation = {
        let served = shared.served.read().unwrap_or_else(|e| e.into_inner());
        if let Some(files) = &served.internal {
            return files.clone();
        }
        served.generation
    };
    let mut guard = view.builder.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    // Another request may have built it while this one waited.
    if let Some(files) = &shared.served.read().unwrap_or_else(|e| e.into_inner()).internal {
        return files.clone();
    }
    let (builder, templates_changed) = &mut *guard;
    let files = match builder.build(*templates_changed) {
        Ok(site) => {
            *templates_changed = false;
            Arc::new(site.files)
        }
        Err(_) => Arc::new(Files::new()),
    };
    let mut served = shared.served.write().unwrap_or_else(|e| e.into_inner());
    // Built from the files as they were before a save that came meanwhile: served to this request
    // only, and built again for the next.
    if served.generation == generation {
        served.internal = Some(files.clone());
    }
    files
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
