//! Where the time of a member's build goes, for benches/ (not a test): builds each project PATH,
//! N times over, in one process, as a register build does for each member (the templates parsed
//! once), and prints the median time of each step per build (load, history, check, record + plan +
//! render) and the median time of a whole round of every PATH, one after another.
//!
//!     cargo run --release --example profile_member -- [--runs N] PATH...
//!
//! Run it under `perf record` or `valgrind --tool=callgrind` to see inside a step.

use std::path::PathBuf;
use std::time::{Duration, Instant};
use workbook::build::{BuildOptions, render_workbook};
use workbook::check::check_with_history;
use workbook::history::History;
use workbook::record::Audience;
use workbook::render::templates::Templates;

fn main() {
    let mut runs: usize = 50;
    let mut roots: Vec<PathBuf> = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--runs" {
            runs = args.next().and_then(|n| n.parse().ok()).unwrap_or(runs).max(1);
        } else {
            roots.push(PathBuf::from(arg));
        }
    }
    let Some(root) = roots.first().cloned() else {
        eprintln!("usage: profile_member [--runs N] PATH...");
        std::process::exit(2);
    };
    let options =
        BuildOptions { audience: Audience::Public, base_url: None, today: jiff::civil::date(2026, 12, 1) };
    let first = workbook::load::load(&root);
    let templates = match Templates::load(&first) {
        Ok(templates) => templates,
        Err(e) => {
            eprintln!("templates: {}", e.message);
            std::process::exit(1);
        }
    };
    let steps = ["load", "history", "check", "render"];
    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); steps.len() + 1];
    let mut pages = 0;
    let mut rounds = Vec::new();
    for _ in 0..runs {
        let round = Instant::now();
        for root in &roots {
            let start = Instant::now();
            let workbook = workbook::load::load(root);
            let loaded = Instant::now();
            let (history, _) = History::read(root);
            let read = Instant::now();
            let found = check_with_history(&workbook, &history, options.today);
            let checked = Instant::now();
            match render_workbook(&workbook, &history, &templates, &options) {
                Ok(site) => pages = site.pages,
                Err(e) => {
                    eprintln!("render: {} ({} diagnostics from check)", e.message, found.len());
                    std::process::exit(1);
                }
            }
            let rendered = Instant::now();
            for (n, d) in
                [loaded - start, read - loaded, checked - read, rendered - checked, rendered - start]
                    .into_iter()
                    .enumerate()
            {
                times[n].push(d);
            }
        }
        rounds.push(round.elapsed());
    }
    println!(
        "{runs} rounds of {} builds ({}{}; {pages} pages in the last); median per build:",
        roots.len(),
        root.display(),
        if roots.len() > 1 { " and others" } else { "" }
    );
    for (n, name) in steps.iter().chain(["total"].iter()).enumerate() {
        times[n].sort();
        println!("  {name:<8} {:>8.2} ms", times[n][times[n].len() / 2].as_secs_f64() * 1000.0);
    }
    rounds.sort();
    println!("median round: {:.1} ms", rounds[runs / 2].as_secs_f64() * 1000.0);
}
