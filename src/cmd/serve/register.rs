//! `workbook serve` on a register: the register's site in memory, served as a project's is; a save
//! in one member's folder rebuilds only that member (and the register's own pages), a change to
//! register.yaml or a commit rebuilds every member.
//!
//! Every member's folder outside the register folder (`../other-tool`) is watched as well as the
//! register folder. The public site is previewed, drafts shown and marked, as a project's is.

use super::{
    Served, Shared, USAGE_ERROR, hosts, http, plural_warnings, respond, server, shown_folder, watch,
};
use std::net::{SocketAddr, TcpListener, ToSocketAddrs};
use std::path::PathBuf;
use std::sync::{Arc, RwLock, mpsc};
use std::time::Instant;
use workbook::build::BuildOptions;
use workbook::register::build::RegisterBuilder;
use workbook::register::build::RegisterFiles;

/// Runs the preview server of the register at `options.project` until the process is stopped.
pub fn serve_register(options: super::ServeOptions) -> u8 {
    let root = options.project.clone();
    if options.audience == workbook::record::Audience::Internal {
        super::super::output::error(
            "`serve` on a register previews the public site; build the internal one with \
             `workbook build --audience internal` on the register",
        );
        return USAGE_ERROR;
    }
    let addresses: Vec<SocketAddr> = match (options.bind.as_str(), options.port).to_socket_addrs() {
        Ok(addresses) => addresses.collect(),
        Err(e) => {
            super::super::output::error(&format!("cannot listen on {}:{}: {e}", options.bind, options.port));
            return USAGE_ERROR;
        }
    };
    let beyond_loopback = addresses.iter().any(|a| !a.ip().is_loopback());
    let listener = match TcpListener::bind(&addresses[..]).and_then(|l| Ok((l.local_addr()?, l))) {
        Ok(found) => found,
        Err(e) => {
            super::super::output::error(&format!("cannot listen on {}:{}: {e}", options.bind, options.port));
            return USAGE_ERROR;
        }
    };
    let (bound, listener) = listener;
    let host = if options.bind.contains(':') { format!("[{}]", options.bind) } else { options.bind.clone() };
    let url = format!("http://{host}:{}/", bound.port());

    // Watch before the first build, so that a save made while it runs is not missed: the register
    // folder, and each project member's folder outside it.
    let canonical = root.canonicalize().unwrap_or_else(|_| root.clone());
    let mut folders = vec![canonical.clone()];
    for member in workbook::register::load(&root).members {
        if let workbook::register::MemberSource::Project(path) = member.source
            && let Ok(path) = path.canonicalize()
            && !path.starts_with(&canonical)
            && !folders.contains(&path)
        {
            folders.push(path);
        }
    }
    let (changes, changed_paths) = mpsc::channel::<Vec<PathBuf>>();
    for folder in folders {
        let watcher = match watch::Watcher::new(&folder, Vec::new()) {
            Ok(watcher) => watcher,
            Err(message) => {
                super::super::output::error(&message);
                return 1;
            }
        };
        let changes = changes.clone();
        std::thread::spawn(move || {
            watcher.run(|changed| {
                let _ = changes.send(changed.iter().map(|p| folder.join(p)).collect());
            })
        });
    }

    let build_options = BuildOptions {
        audience: options.audience,
        base_url: Some(url.clone()),
        today: workbook::progress::today(),
    };
    let mut builder = RegisterBuilder::preview(&root, build_options);
    let started = Instant::now();
    let (files, overlay) = match builder.build(None) {
        Ok(site) => {
            super::super::print_human(&site.warnings, &root);
            if !options.quiet {
                eprintln!(
                    "Built {} tools, {} pages in {} ms{}.",
                    site.members.len(),
                    site.pages,
                    started.elapsed().as_millis(),
                    plural_warnings(workbook::diagnostic::counts(&site.warnings).1)
                );
            }
            (site.files, None)
        }
        Err(diagnostics) => {
            super::super::print_human(&diagnostics, &root);
            eprintln!("The register has errors: fix them and save; the page will show them until then.");
            (RegisterFiles::default(), Some(http::overlay(&diagnostics)))
        }
    };
    let streams = Arc::new(server::EventStreams::new());
    let shared = Arc::new(Shared {
        served: RwLock::new(Served { files: Arc::new(files), internal: None, overlay, generation: 0 }),
        streams: streams.clone(),
        hosts: hosts::AllowedHosts::new(bound, &options.allow_hosts),
        internal: None,
    });
    let handler: Arc<server::Handler> = {
        let shared = shared.clone();
        Arc::new(move |request: &server::Request| respond(request, &shared))
    };
    if let Err(e) = server::start(listener, handler, streams) {
        super::super::output::error(&format!("cannot start the server: {e}"));
        return 1;
    }
    eprintln!("Serving the register {} on {url} (Ctrl-C to stop)", shown_folder(&root));
    if beyond_loopback {
        super::super::output::warning(&format!(
            "listening on {} makes the preview reachable from other machines",
            options.bind
        ));
    }
    if options.open {
        super::open_browser(&url);
    }
    while let Ok(mut changed) = changed_paths.recv() {
        while let Ok(more) = changed_paths.try_recv() {
            changed.extend(more);
        }
        changed.sort();
        changed.dedup();
        let started = Instant::now();
        match builder.build(Some(&changed)) {
            Ok(site) => {
                {
                    let mut served = shared.served.write().unwrap_or_else(|e| e.into_inner());
                    *served = Served {
                        files: Arc::new(site.files),
                        internal: None,
                        overlay: None,
                        generation: served.generation + 1,
                    };
                }
                shared.broadcast("reload");
                if !options.quiet {
                    eprintln!(
                        "{} changed: rebuilt {} of {} tools in {} ms{}",
                        changed.first().map(|p| p.display().to_string()).unwrap_or_default(),
                        site.rebuilt,
                        site.members.len(),
                        started.elapsed().as_millis(),
                        plural_warnings(workbook::diagnostic::counts(&site.warnings).1)
                    );
                }
            }
            Err(diagnostics) => {
                super::super::print_human(&diagnostics, &root);
                {
                    let mut served = shared.served.write().unwrap_or_else(|e| e.into_inner());
                    served.overlay = Some(http::overlay(&diagnostics));
                }
                shared.broadcast("reload");
                let (errors, _) = workbook::diagnostic::counts(&diagnostics);
                eprintln!(
                    "{errors} error{}; still serving the last good build",
                    if errors == 1 { "" } else { "s" }
                );
            }
        }
    }
    0
}
