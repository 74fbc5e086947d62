//! The command line: argument parsing and the commands, on top of the library's pipeline.

mod output;
mod serve;

pub use output::Failure;

use workbook::check::check_with_history;
use workbook::diagnostic::{self, Diagnostic};
use workbook::framework::Framework;
use workbook::load::{self, Workbook};
use workbook::progress::{Progress, today};

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use workbook::record::Audience;

/// Publish your answers to the DfE Data Ethics Workbook as an accessible transparency site.
#[derive(Debug, Parser)]
#[command(name = "workbook", version, about, long_about = None, propagate_version = true)]
#[command(after_help = "Start with `workbook init my-tool`, answer the questions in my-tool/answers/, \
then run `workbook check my-tool`.\nExit codes: 0 success, 1 problems in the content (or output that cannot be \
written), 2 a usage error.")]
pub struct Cli {
    /// Print only the problems: no summary, progress or next steps.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start a new workbook: settings, an answer file per question, an easy-read page, CI workflows.
    #[command(
        after_help = "Example:\n  workbook init early-help-dashboard --org \"Northfield Borough Council\" --tool \"Early Help Dashboard\""
    )]
    Init {
        /// The folder to create; it must not exist or be empty.
        dir: PathBuf,
        /// The organisation's name.
        #[arg(long, value_name = "NAME", default_value = "Your council")]
        org: String,
        /// The tool's name.
        #[arg(long, value_name = "NAME", default_value = "Your data analytics tool")]
        tool: String,
    },
    /// Validate settings and answers, and report problems with file, line and column.
    #[command(after_help = "Examples:\n  workbook check\n  workbook check example-project --strict\n  \
workbook check --format github   # annotations on a pull request\n  \
workbook check answers/04-ethics-triage.md   # one file's findings\n  \
workbook check --list-lints      # every diagnostic, and the names `lints:` in workbook.yaml takes")]
    Check {
        /// The project folder [default: the nearest folder, from here up, that holds workbook.yaml];
        /// or files of one project, to report their findings only (as pre-commit passes them); or
        /// `-`, to read one file's text from stdin (with --stdin-filename)
        #[arg(value_name = "PROJECT")]
        project: Vec<PathBuf>,
        /// With `check -`: the path of the file whose text stdin holds (the rest of the project is
        /// read from disk), for editors and pre-commit hooks.
        #[arg(long, value_name = "PATH")]
        stdin_filename: Option<PathBuf>,
        /// How to print the diagnostics.
        #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
        format: CheckFormat,
        /// Fail on warnings as well as errors.
        #[arg(long)]
        strict: bool,
        /// List every diagnostic: code, name, default level and what it means, then exit.
        #[arg(long)]
        list_lints: bool,
    },
    /// Build the transparency site: check, then write every page into the output folder at once.
    #[command(
        after_help = "Examples:\n  workbook build\n  workbook build example-project --out /tmp/site\n  \
workbook build --audience internal --out internal-site   # for the oversight group"
    )]
    Build {
        /// The project folder [default: the nearest folder, from here up, that holds workbook.yaml]
        project: Option<PathBuf>,
        /// The output folder; `public` inside the project by default, `internal-site` for
        /// `--audience internal`.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Who the site is for: `public` leaves out everything internal.
        #[arg(long, value_enum, default_value_t = AudienceArg::Public)]
        audience: AudienceArg,
        /// The address the site is published at, for absolute links in the feed and sitemap.
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// Stay running and build again into the output folder on every save and commit.
        #[arg(long)]
        watch: bool,
    },
    /// Preview the site: build it, serve it on this machine, rebuild on every save, reload the browser.
    #[command(
        after_help = "Examples:\n  workbook serve\n  workbook serve example-project --port 8080 --open\n  \
workbook serve --audience internal   # preview what the oversight group sees"
    )]
    Serve {
        /// The project folder [default: the nearest folder, from here up, that holds workbook.yaml]
        project: Option<PathBuf>,
        /// The port to listen on (0 picks a free one).
        #[arg(long, default_value_t = 8000)]
        port: u16,
        /// The address to listen on; only loopback unless you say otherwise.
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// Who the site is for.
        #[arg(long, value_enum, default_value_t = AudienceArg::Public)]
        audience: AudienceArg,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
        /// Answer requests that reach the preview by this name too (repeatable); others get 403.
        #[arg(long, value_name = "NAME")]
        allow_host: Vec<String>,
        /// Allow `--audience internal` on an address other machines can reach.
        #[arg(long)]
        expose_internal: bool,
    },
    /// Summarise what changed between two revisions, question by question, for a pull request.
    #[command(
        after_help = "Examples:\n  workbook diff                              # HEAD against the working tree\n  \
workbook diff --from origin/main --to HEAD --format markdown\n  \
workbook diff --from origin/main --to HEAD --deny newly-public   # fail if anything became public"
    )]
    Diff {
        /// The project folder [default: the nearest folder, from here up, that holds workbook.yaml]
        project: Option<PathBuf>,
        /// The revision to compare from.
        #[arg(long, default_value = "HEAD", value_name = "REV")]
        from: String,
        /// The revision to compare to; the working tree when not given.
        #[arg(long, value_name = "REV")]
        to: Option<String>,
        /// How to print the changes.
        #[arg(long, value_enum, default_value_t = DiffFormat::Markdown)]
        format: DiffFormat,
        /// Whose view to compare: what the public site shows, or the internal view.
        #[arg(long, value_enum, default_value_t = AudienceArg::Public)]
        audience: AudienceArg,
        /// Exit 1 when anything became public that was internal.
        #[arg(long, value_enum, value_name = "WHAT")]
        deny: Vec<Deny>,
    },
    /// Print the record as data: JSON (the site's workbook.json), CSV, or the record of the
    /// Algorithmic Transparency Recording Standard (v4.0) as JSON, Markdown or CSV.
    #[command(after_help = "Examples:\n  workbook export --format json > workbook.json\n  \
workbook export --format csv > questions.csv\n  workbook export --format csv-prompts > prompts.csv\n  \
workbook export --format atrs --audience public\n  workbook export --format atrs --strict > atrs.json\n  \
workbook export --format atrs-markdown > atrs.md")]
    Export {
        /// The project folder [default: the nearest folder, from here up, that holds workbook.yaml]
        project: Option<PathBuf>,
        /// What to print.
        #[arg(long, value_enum)]
        format: ExportFormat,
        /// Who the record is for.
        #[arg(long, value_enum, default_value_t = AudienceArg::Public)]
        audience: AudienceArg,
        /// The address the site is published at, as `build` takes it.
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// Leave out the UTF-8 byte-order mark that starts a CSV export (it tells Excel the file is
        /// UTF-8). Other formats never have one.
        #[arg(long)]
        no_bom: bool,
        /// With an ATRS format: exit 1, listing them on stderr, when a Tier 1 field or a required
        /// Tier 2 field of the record is missing.
        #[arg(long)]
        strict: bool,
    },
    /// Print the JSON Schema (draft-07) of answer front matter, of workbook.yaml, of page front matter,
    /// of a register's register.yaml, or of a file the tool writes (workbook.json, the ATRS record).
    #[command(
        after_help = "Examples:\n  workbook schema > answer.schema.json\n  workbook schema --for settings"
    )]
    Schema {
        /// Which file's schema.
        #[arg(long = "for", value_name = "FILE", value_enum, default_value_t = SchemaFor::Answer)]
        of: SchemaFor,
    },
    /// Show progress by phase and question: status, prompts answered, owner, next review.
    #[command(
        after_help = "Examples:\n  workbook status\n  workbook status example-project --format markdown"
    )]
    Status {
        /// The project folder [default: the nearest folder, from here up, that holds workbook.yaml]
        project: Option<PathBuf>,
        /// How to print the table.
        #[arg(long, value_enum, default_value_t = StatusFormat::Human)]
        format: StatusFormat,
        /// Whose view: the team's, with everything, or the public's, without internal answers'
        /// status, owners and dates and without internal passages in the counts.
        #[arg(long, value_enum, default_value_t = AudienceArg::Internal)]
        audience: AudienceArg,
    },
    /// List the framework's questions and prompt ids, which answer files are keyed by.
    #[command(after_help = "Examples:\n  workbook questions\n  workbook questions 4")]
    Questions {
        /// Show only this question.
        number: Option<u32>,
        /// The framework to list.
        #[arg(long, default_value = workbook::init::DEFAULT_FRAMEWORK)]
        framework: String,
        /// How to print the catalogue.
        #[arg(long, value_enum, default_value_t = QuestionsFormat::Human)]
        format: QuestionsFormat,
    },
    /// Print a shell completion script.
    #[command(
        after_help = "Example:\n  workbook completions bash > ~/.local/share/bash-completion/completions/workbook"
    )]
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// A language server for editors, over stdio: `check`'s diagnostics as you type, hover, completion.
    #[command(after_help = "Run by an editor, not by hand; see \"Editors\" in the README.")]
    Lsp {
        /// Accepted for editors that pass it; stdio is the only transport.
        #[arg(long)]
        stdio: bool,
    },
}

/// Who a site is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AudienceArg {
    /// Anyone: internal material is left out.
    Public,
    /// The oversight group: internal material is shown and marked.
    Internal,
}

impl From<AudienceArg> for Audience {
    fn from(a: AudienceArg) -> Audience {
        match a {
            AudienceArg::Public => Audience::Public,
            AudienceArg::Internal => Audience::Internal,
        }
    }
}

/// Output formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// For people: the source line with a caret, and help.
    #[value(alias = "text")]
    Human,
    /// One JSON array.
    Json,
    /// GitHub Actions annotations.
    Github,
    /// A GitLab Code Quality report (JSON), which a merge request shows.
    Gitlab,
    /// A Markdown table of every finding, for a CI job's summary.
    Markdown,
}

/// Output formats of `diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// Markdown, for a pull-request comment.
    Markdown,
    /// JSON.
    Json,
}

/// What `diff --deny` fails on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Deny {
    /// Anything that was internal and is now public.
    NewlyPublic,
}

/// Output formats of `export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// The record, exactly as the site's workbook.json.
    Json,
    /// One row per question.
    Csv,
    /// One row per prompt (the long form).
    CsvPrompts,
    /// One row per metric, with its count, interval and period; a suppressed figure's cells empty.
    CsvMetrics,
    /// One row per risk, with its ratings before and after mitigation.
    CsvRisks,
    /// The record of the Algorithmic Transparency Recording Standard (v4.0), as JSON: every field,
    /// with its value or why it is missing.
    Atrs,
    /// The ATRS record as Markdown: a section for each sheet of the template, to paste from.
    AtrsMarkdown,
    /// The ATRS record as CSV: sheet, id, name, value, and why a field is missing.
    AtrsCsv,
}

impl ExportFormat {
    /// True for the formats of the ATRS record.
    fn is_atrs(self) -> bool {
        matches!(self, ExportFormat::Atrs | ExportFormat::AtrsMarkdown | ExportFormat::AtrsCsv)
    }
}

/// Which schema `schema` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaFor {
    /// The front matter of answer files.
    Answer,
    /// workbook.yaml.
    Settings,
    /// The output of `export --format atrs`.
    Atrs,
    /// The front matter of page files (`pages/*.md`).
    Page,
    /// The record a build writes as `workbook.json`.
    Record,
    /// A register's register.yaml.
    RegisterSettings,
    /// The `register.json` of a register build.
    Register,
}

/// Output formats of `status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatusFormat {
    /// A terminal table.
    #[value(alias = "text")]
    Human,
    /// JSON.
    Json,
    /// Markdown tables.
    Markdown,
}

/// Output formats of `questions`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum QuestionsFormat {
    /// Readable text.
    #[value(alias = "text")]
    Human,
    /// The framework as JSON.
    Json,
}

/// Exit code for problems in the content.
const CONTENT_ERROR: u8 = 1;
/// Exit code for a usage error.
const USAGE_ERROR: u8 = 2;

/// Runs the command line with the process's arguments.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // Help and the version go to stdout, which may be full or closed: checked like any output.
        Err(e) if !e.use_stderr() => {
            return match output::stdout_styled(&e.render().ansi().to_string()) {
                Ok(()) => ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(USAGE_ERROR)),
                Err(failure) => report(failure),
            };
        }
        Err(e) => e.exit(),
    };
    match run(cli) {
        Ok(code) => code,
        Err(failure) => report(failure),
    }
}

/// Prints why a command failed, and returns its exit code.
fn report(failure: Failure) -> ExitCode {
    match failure {
        Failure::Usage(message) => {
            output::error(&message);
            ExitCode::from(USAGE_ERROR)
        }
        Failure::Output(e) => {
            output::error(&output::output_failed(&e));
            ExitCode::from(CONTENT_ERROR)
        }
    }
}

/// Runs one parsed command. `Err` is a usage error, or output that could not be written.
pub fn run(cli: Cli) -> Result<ExitCode, Failure> {
    let quiet = cli.quiet;
    match cli.command {
        Command::Init { dir, org, tool } => Ok(init(&dir, org, tool, quiet)),
        Command::Check { list_lints: true, .. } => {
            print_stdout(&lint_list())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Check { project, stdin_filename, format, strict, list_lints: false } => {
            if let Some(register) = register_folder(&project, stdin_filename.is_some())? {
                return check_register(&register, CheckOptions { format, strict, quiet });
            }
            let target = check_target(project, stdin_filename)?;
            let options = CheckOptions { format, strict, quiet };
            check_command(&target.workbook, &target.project, target.only.as_deref(), options)
        }
        Command::Build { project, out, audience, base_url, watch: false } => {
            let workbook_root = open_folder(&find_project(project)?)?;
            if workbook::register::is_register(&workbook_root) {
                return Ok(build_register(&workbook_root, out, audience.into(), base_url, quiet));
            }
            Ok(build(&workbook_root, out, audience.into(), base_url, quiet))
        }
        Command::Build { project, out, audience, base_url, watch: true } => {
            let workbook_root = open_folder(&find_project(project)?)?;
            if workbook::register::is_register(&workbook_root) {
                return Err(Failure::Usage(
                    "`build --watch` builds one project; on a register, run `workbook serve` to rebuild on every save"
                        .to_owned(),
                ));
            }
            Ok(build_watch(&workbook_root, out, audience.into(), base_url, quiet))
        }
        Command::Serve { project, port, bind, audience, open, allow_host, expose_internal } => {
            let project = open_folder(&find_project(project)?)?;
            let audience = audience.into();
            let options = serve::ServeOptions {
                project,
                bind,
                port,
                audience,
                open,
                allow_hosts: allow_host,
                expose_internal,
                quiet,
            };
            if workbook::register::is_register(&options.project) {
                return Ok(ExitCode::from(serve::serve_register(options)));
            }
            Ok(ExitCode::from(serve::serve(options)))
        }
        Command::Diff { project, from, to, format, audience, deny } => {
            let revisions = (from.as_str(), to.as_deref());
            diff(&open_folder(&find_project(project)?)?, revisions, format, audience.into(), &deny)
        }
        Command::Export { project, format, audience, base_url, no_bom, strict } => {
            if strict && !format.is_atrs() {
                eprintln!("error: --strict applies to the ATRS formats (atrs, atrs-markdown, atrs-csv)");
                return Ok(ExitCode::from(USAGE_ERROR));
            }
            let csv = workbook::export::csv::CsvWriter::new(!no_bom);
            let options = ExportOptions { audience: audience.into(), base_url, csv, strict };
            export(&open_folder(&find_project(project)?)?, format, options)
        }
        Command::Schema { of } => {
            let schema = match of {
                SchemaFor::Answer => workbook::export::schema::answer(),
                SchemaFor::Settings => workbook::export::schema::settings(),
                SchemaFor::Atrs => workbook::export::atrs::schema(),
                SchemaFor::Page => workbook::export::schema::page(),
                SchemaFor::Record => workbook::export::schema::record(),
                SchemaFor::RegisterSettings => workbook::export::schema::register_settings(),
                SchemaFor::Register => workbook::export::schema::register(),
            };
            print_stdout(&format!(
                "{}\n",
                serde_json::to_string_pretty(&schema).expect("schema serializes")
            ))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Status { project, format, audience } => {
            let folder = open_folder(&find_project(project.clone())?)?;
            if workbook::register::is_register(&folder) {
                return status_register(&folder, format);
            }
            status(&open(&find_project(project)?)?, format, audience.into())
        }
        Command::Questions { number, framework, format } => questions(&framework, number, format),
        Command::Lsp { stdio: _ } => {
            let cwd = std::env::current_dir().map_err(|e| format!("cannot read the current folder: {e}"))?;
            Ok(ExitCode::from(workbook::lsp::serve(
                std::io::BufReader::new(std::io::stdin()),
                std::io::stdout().lock(),
                &cwd,
            )))
        }
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "workbook", &mut script);
            output::stdout_bytes(&script)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The project folder: the one given, or else the nearest folder from the current one upward that
/// holds `workbook.yaml` (so that commands work from `answers/`, as cargo's do from `src/`), named
/// relative to the current folder; `.` when there is none, which `check` then reports.
fn find_project(given: Option<PathBuf>) -> Result<PathBuf, String> {
    if let Some(path) = given {
        return Ok(path);
    }
    let here = std::env::current_dir().map_err(|e| format!("cannot read the current folder: {e}"))?;
    // A register is found as a project is: the nearest folder with either file.
    let found = here.ancestors().position(|dir| {
        dir.join(load::SETTINGS_FILE).is_file() || dir.join(workbook::register::REGISTER_FILE).is_file()
    });
    Ok(match found {
        None | Some(0) => PathBuf::from("."),
        Some(up) => std::iter::repeat_n("..", up).collect(),
    })
}

/// The register folder `check` was given (or found from here up), when it was given a folder that
/// is a register; `None` for a project, files of one, or stdin.
fn register_folder(given: &[PathBuf], stdin: bool) -> Result<Option<PathBuf>, Failure> {
    if stdin || given.len() > 1 || given.first().is_some_and(|p| p.is_file() || p.as_os_str() == "-") {
        return Ok(None);
    }
    let folder = find_project(given.first().cloned())?;
    Ok(workbook::register::is_register(&folder).then_some(folder))
}

/// `check` on a register: every member checked, each file shown relative to the register folder.
fn check_register(root: &Path, options: CheckOptions) -> Result<ExitCode, Failure> {
    let register = workbook::register::load(root);
    let diagnostics = workbook::register::check::check(&register, today());
    print_check(&diagnostics, root, options)
}

/// `status` on a register: a row per tool; fails, as `check` would, when a member has errors.
fn status_register(root: &Path, format: StatusFormat) -> Result<ExitCode, Failure> {
    let register = workbook::register::load(root);
    let (rows, diagnostics) = workbook::register::check::status(&register, today());
    let text = match format {
        StatusFormat::Human | StatusFormat::Markdown => workbook::register::check::status_text(&rows),
        StatusFormat::Json => workbook::register::check::status_json(&rows),
    };
    print_stdout(&text)?;
    let errors: Vec<Diagnostic> =
        diagnostics.into_iter().filter(|d| d.severity() == diagnostic::Severity::Error).collect();
    if errors.is_empty() {
        Ok(ExitCode::SUCCESS)
    } else {
        print_human(&errors, root);
        Ok(ExitCode::from(CONTENT_ERROR))
    }
}

/// `build` on a register: every member's site under its slug, and the register's own pages.
fn build_register(
    root: &Path,
    out: Option<PathBuf>,
    audience: Audience,
    base_url: Option<String>,
    quiet: bool,
) -> ExitCode {
    let started = std::time::Instant::now();
    let out = out.unwrap_or_else(|| workbook::register::build::default_output(root, audience));
    let options = workbook::build::BuildOptions { audience, base_url, today: today() };
    let outcome = workbook::register::build::build(root, &out, &options).map(|site| {
        let what =
            format!("{} tools, {} pages ({} files)", site.members.len(), site.pages, site.file_count + 1);
        (site.warnings, what)
    });
    report_build(outcome, root, &out, audience, started, quiet)
}

/// Loads the project at `path`, which must be a folder.
fn open(path: &Path) -> Result<Workbook, String> {
    Ok(load::load(&open_folder(path)?))
}

/// The project folder at `path`, which must exist.
fn open_folder(path: &Path) -> Result<PathBuf, String> {
    if !path.is_dir() {
        return Err(format!(
            "`{}` is not a folder; give the folder that holds workbook.yaml",
            path.display()
        ));
    }
    Ok(path.to_path_buf())
}

fn build(
    project: &Path,
    out: Option<PathBuf>,
    audience: Audience,
    base_url: Option<String>,
    quiet: bool,
) -> ExitCode {
    let started = std::time::Instant::now();
    let out = out.unwrap_or_else(|| workbook::build::default_output(project, audience));
    let options = workbook::build::BuildOptions { audience, base_url, today: today() };
    let outcome = workbook::build::build(project, &out, &options)
        .map(|site| (site.warnings, format!("{} pages ({} files)", site.pages, site.files.len() + 1)));
    report_build(outcome, project, &out, audience, started, quiet)
}

/// What `build` says, of a project or a register: the warnings and one line naming what was built
/// (`what`, such as "24 pages (30 files)"), or the errors and that nothing was written, with the
/// exit code each means.
fn report_build(
    outcome: Result<(Vec<Diagnostic>, String), Vec<Diagnostic>>,
    root: &Path,
    out: &Path,
    audience: Audience,
    started: std::time::Instant,
    quiet: bool,
) -> ExitCode {
    match outcome {
        Ok((warnings, what)) => {
            print_human(&warnings, root);
            // Counted as `check` counts them: an info line is not a warning.
            let (_, warnings) = workbook::diagnostic::counts(&warnings);
            if !quiet {
                eprintln!(
                    "Built {what} for the {} into {} in {} ms{}.",
                    match audience {
                        Audience::Public => "public",
                        Audience::Internal => "oversight group (internal)",
                    },
                    out.display(),
                    started.elapsed().as_millis(),
                    match warnings {
                        0 => String::new(),
                        1 => ", 1 warning".to_owned(),
                        n => format!(", {n} warnings"),
                    }
                );
            }
            ExitCode::SUCCESS
        }
        Err(diagnostics) => {
            print_human(&diagnostics, root);
            let (errors, warnings) = diagnostic::counts(&diagnostics);
            if !quiet {
                eprintln!(
                    "build: {}; nothing was written",
                    summary_line(errors, warnings).trim_start_matches("check: ")
                );
            }
            // An output folder that cannot be used is the `--out` argument's fault, not the content's.
            let only_output = diagnostics
                .iter()
                .filter(|d| d.severity() == diagnostic::Severity::Error)
                .all(|d| d.code == diagnostic::Code::BuildOutput);
            ExitCode::from(if only_output { USAGE_ERROR } else { CONTENT_ERROR })
        }
    }
}

/// `build --watch`: builds into the output folder, then again on every save and commit, with
/// `serve`'s watcher; the folder always holds the last good build, whole.
fn build_watch(
    project: &Path,
    out: Option<PathBuf>,
    audience: Audience,
    base_url: Option<String>,
    quiet: bool,
) -> ExitCode {
    let out = out.unwrap_or_else(|| workbook::build::default_output(project, audience));
    // Watch before the first build, so that a save made while it runs is not missed; the builds'
    // own writes to the output folder are not saves.
    let watcher = match serve::watch::Watcher::new(project, vec![out.clone()]) {
        Ok(watcher) => watcher,
        Err(message) => {
            output::error(&message);
            return ExitCode::from(CONTENT_ERROR);
        }
    };
    let options = workbook::build::BuildOptions { audience, base_url, today: today() };
    let mut builder = workbook::build::Builder::new(project, options);
    let mut build_once = |what: &str, templates_changed: bool| {
        let started = std::time::Instant::now();
        match workbook::build::build_with(&mut builder, &out, templates_changed) {
            Ok(site) => {
                print_human(&site.warnings, project);
                if !quiet {
                    eprintln!(
                        "{what}: built {} pages into {} in {} ms{}",
                        site.pages,
                        out.display(),
                        started.elapsed().as_millis(),
                        match workbook::diagnostic::counts(&site.warnings).1 {
                            0 => String::new(),
                            1 => ", 1 warning".to_owned(),
                            n => format!(", {n} warnings"),
                        }
                    );
                }
                Ok(())
            }
            Err(diagnostics) => {
                print_human(&diagnostics, project);
                let (errors, warnings) = diagnostic::counts(&diagnostics);
                eprintln!(
                    "{what}: {}; {} keeps the last good build",
                    summary_line(errors, warnings).trim_start_matches("check: "),
                    out.display()
                );
                Err(diagnostics)
            }
        }
    };
    if let Err(diagnostics) = build_once("build", true) {
        // An output folder that cannot be used will not mend itself with a save.
        if diagnostics.iter().any(|d| d.code == diagnostic::Code::BuildOutput) {
            return ExitCode::from(USAGE_ERROR);
        }
    }
    // Printed even with --quiet, as `serve` prints its address: it says the command is still running.
    eprintln!(
        "Watching {} for changes; each save rebuilds {} (Ctrl-C to stop)",
        project.display(),
        out.display()
    );
    watcher.run(|changed| {
        let templates_changed = changed.iter().any(|p| p.starts_with(load::TEMPLATES_DIR));
        let what = match changed {
            [one] => diagnostic::display_path(one),
            [first, rest @ ..] => format!("{} and {} more", diagnostic::display_path(first), rest.len()),
            [] => String::new(),
        };
        let _ = build_once(&format!("{what} changed"), templates_changed);
    });
    ExitCode::SUCCESS
}

fn init(dir: &Path, organisation: String, tool: String, quiet: bool) -> ExitCode {
    match workbook::init::init(dir, &workbook::init::InitOptions { organisation, tool }) {
        Ok(_) if quiet => ExitCode::SUCCESS,
        Ok(files) => {
            eprintln!("Created a workbook in {} ({} files).", dir.display(), files.len());
            eprintln!(
                "Next: fill in {}/workbook.yaml, answer the questions in {}/answers/,",
                dir.display(),
                dir.display()
            );
            eprintln!("and run `workbook check {}`.", dir.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            output::error(&e.to_string());
            // A folder that is not empty, or not a folder, is the argument's fault; a file that cannot
            // be written is not.
            match e {
                workbook::init::InitError::Io(..) => ExitCode::from(CONTENT_ERROR),
                _ => ExitCode::from(USAGE_ERROR),
            }
        }
    }
}

/// How `check` reports.
#[derive(Debug, Clone, Copy)]
struct CheckOptions {
    format: CheckFormat,
    strict: bool,
    quiet: bool,
}

/// What `check` checks: a loaded project, and the one file whose findings are reported, if only one.
struct CheckTarget {
    workbook: Workbook,
    /// The project folder as the user named it (or as found above the file).
    project: PathBuf,
    /// The files, relative to the project with `/` separators, when only their findings are wanted.
    only: Option<Vec<String>>,
}

/// The project `check` loads, from its arguments: a folder; files of one project; or `-`, a file's
/// text on stdin, at the path `--stdin-filename` gives.
fn check_target(given: Vec<PathBuf>, stdin_filename: Option<PathBuf>) -> Result<CheckTarget, Failure> {
    let stdin = Path::new("-");
    if given.len() > 1 && given.iter().any(|p| p == stdin) {
        return Err(Failure::Usage(
            "`check -` reads one file from stdin, and takes no other path".to_owned(),
        ));
    }
    if given.first().is_some_and(|p| p == stdin) {
        let Some(file) = stdin_filename else {
            return Err(Failure::Usage(
                "`check -` reads one file's text from stdin: say which file it is with --stdin-filename PATH"
                    .to_owned(),
            ));
        };
        let (project, only) = project_of_file(&file)?;
        let mut text = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut text)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        let tree = load::tree::WithFile::new(load::tree::WorkingTree::new(&project), &only, text);
        let workbook = load::load_from(&project, std::sync::Arc::new(tree));
        return Ok(CheckTarget { workbook, project, only: Some(vec![only]) });
    }
    if stdin_filename.is_some() {
        return Err(Failure::Usage("--stdin-filename goes with `check -`, which reads stdin".to_owned()));
    }
    if !given.is_empty() && given.iter().all(|p| p.is_file()) {
        let mut files = Vec::new();
        let mut project: Option<PathBuf> = None;
        for file in &given {
            let (this, inside) = project_of_file(file)?;
            match &project {
                // One project is loaded: files of two would be checked against the wrong settings.
                Some(first) if first.canonicalize().ok() != this.canonicalize().ok() => {
                    return Err(Failure::Usage(format!(
                        "`{}` and `{}` are in different projects; check one project at a time",
                        given[0].display(),
                        file.display()
                    )));
                }
                Some(_) => {}
                None => project = Some(this),
            }
            files.push(inside);
        }
        let project = project.unwrap_or_else(|| PathBuf::from("."));
        return Ok(CheckTarget { workbook: open(&project)?, project, only: Some(files) });
    }
    if given.len() > 1 {
        return Err(Failure::Usage(
            "give one project folder, or files of one project (each of which must exist)".to_owned(),
        ));
    }
    let project = find_project(given.into_iter().next())?;
    Ok(CheckTarget { workbook: open(&project)?, project, only: None })
}

/// The project that holds `file` (the nearest folder above it with workbook.yaml, named as the user
/// named the file), and the file's path inside it.
fn project_of_file(file: &Path) -> Result<(PathBuf, String), Failure> {
    let above = file.parent().unwrap_or(Path::new(""));
    let project = above.ancestors().find(|dir| dir.join(load::SETTINGS_FILE).is_file()).ok_or_else(|| {
        format!("`{}` is not in a workbook project: no folder above it holds workbook.yaml", file.display())
    })?;
    let inside = file.strip_prefix(project).unwrap_or(file);
    let only = diagnostic::display_path(inside);
    let project = if project.as_os_str().is_empty() { PathBuf::from(".") } else { project.to_path_buf() };
    Ok((project, only))
}

fn check_command(
    workbook: &Workbook,
    project: &Path,
    only: Option<&[String]>,
    options: CheckOptions,
) -> Result<ExitCode, Failure> {
    // The history too: its subjects and authors are public text on the site.
    let (history, history_warnings) = workbook::history::History::read(&workbook.root);
    let mut diagnostics = check_with_history(workbook, &history, today());
    // What `build` would add for the public site, so that CI sees the warnings build will give.
    let build_options =
        workbook::build::BuildOptions { audience: Audience::Public, base_url: None, today: today() };
    let mut publication = workbook::build::publication_warnings(workbook, &history_warnings, &build_options);
    if let Some(settings) = &workbook.settings {
        workbook::check::apply_lints(&settings.lints, &mut publication);
    }
    diagnostics.extend(publication);
    if let Some(files) = only {
        diagnostics.retain(|d| d.location.as_ref().is_some_and(|l| files.contains(&l.file)));
    }
    diagnostic::sort(&mut diagnostics);
    print_check(&diagnostics, project, options)
}

/// Prints `check`'s diagnostics in the format asked for, and returns its exit code.
fn print_check(
    diagnostics: &[Diagnostic],
    project: &Path,
    options: CheckOptions,
) -> Result<ExitCode, Failure> {
    let (errors, warnings) = diagnostic::counts(diagnostics);
    match options.format {
        CheckFormat::Human => {
            print_human(diagnostics, project);
            if !options.quiet {
                eprintln!("{}", summary_line(errors, warnings));
            }
        }
        CheckFormat::Json => print_stdout(&diagnostic::json::render(diagnostics))?,
        CheckFormat::Github => {
            print_stdout(&diagnostic::github::render(diagnostics, &repository_prefix(project)))?
        }
        CheckFormat::Gitlab => {
            print_stdout(&diagnostic::gitlab::render(diagnostics, &repository_prefix(project)))?
        }
        CheckFormat::Markdown => {
            print_stdout(&diagnostic::markdown::render(diagnostics, &repository_prefix(project)))?
        }
    }
    Ok(if errors > 0 || (options.strict && warnings > 0) {
        ExitCode::from(CONTENT_ERROR)
    } else {
        ExitCode::SUCCESS
    })
}

/// Every diagnostic as a table: code, name, default level, description. A warning's level can be set
/// in `lints:` in workbook.yaml; an error's cannot.
fn lint_list() -> String {
    let mut codes = diagnostic::Code::ALL.to_vec();
    codes.sort_by_key(|c| c.code());
    let width = codes.iter().map(|c| c.name().len()).max().unwrap_or(0);
    let mut out = String::from(
        "Set a warning's level in workbook.yaml, by name: `lints: {personal-data-phone: deny}`\n\
         (allow | warn | deny). Errors cannot be lowered.\n\n",
    );
    out.push_str(&format!("{:<4}  {:<width$}  {:<5}  DESCRIPTION\n", "CODE", "NAME", "LEVEL"));
    for code in codes {
        let level = match code.severity() {
            diagnostic::Severity::Error => "error",
            diagnostic::Severity::Warning => "warn",
            diagnostic::Severity::Info => "info",
        };
        out.push_str(&format!(
            "{}  {:<width$}  {level:<5}  {}\n",
            code.code(),
            code.name(),
            code.description()
        ));
    }
    out
}

/// "2 errors, 13 warnings", or "no problems".
fn summary_line(errors: usize, warnings: usize) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    if errors + warnings == 0 {
        String::from("check: no problems found")
    } else {
        format!("check: {}, {}", plural(errors, "error"), plural(warnings, "warning"))
    }
}

/// Prints diagnostics to stderr for people, in colour where anstream finds it wanted (a terminal,
/// and none of `NO_COLOR`, `CLICOLOR=0`, `TERM=dumb`; or `CLICOLOR_FORCE`).
pub fn print_human(diagnostics: &[Diagnostic], project: &Path) {
    if diagnostics.is_empty() {
        return;
    }
    output::stderr_styled(&diagnostic::human::render(diagnostics, true, project));
}

/// Writes `text` to stdout; a full or closed stdout is a failure (exit 1), not silence.
fn print_stdout(text: &str) -> Result<(), Failure> {
    output::stdout(text)
}

/// The project folder relative to the root of its git repository, for annotation paths; empty when
/// the project is the root or is not in a repository.
fn repository_prefix(project: &Path) -> String {
    let output = std::process::Command::new("git")
        .arg("-C")
        .arg(project)
        .args(["rev-parse", "--show-prefix"])
        .output();
    match output {
        Ok(o) if o.status.success() => {
            String::from_utf8_lossy(&o.stdout).trim().trim_end_matches('/').to_owned()
        }
        _ => String::new(),
    }
}

fn diff(
    project: &Path,
    (from, to): (&str, Option<&str>),
    format: DiffFormat,
    audience: Audience,
    deny: &[Deny],
) -> Result<ExitCode, Failure> {
    use workbook::load::tree::{GitTree, WorkingTree};
    let load = |tree: workbook::load::SharedTree| workbook::load::load_from(project, tree);
    let old_tree = std::sync::Arc::new(GitTree::read(project, from)?);
    let (to_name, new_tree): (String, workbook::load::SharedTree) = match to {
        Some(rev) => (rev.to_owned(), std::sync::Arc::new(GitTree::read(project, rev)?)),
        None => ("working tree".to_owned(), std::sync::Arc::new(WorkingTree::new(project))),
    };
    // The two revisions load at once, on two threads.
    let (before, after) = std::thread::scope(|scope| {
        let before = scope.spawn(|| load(old_tree));
        let after = load(new_tree);
        (before.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)), after)
    });
    let changes = workbook::diff::diff(from, &before, &to_name, &after, audience);
    print_stdout(&match format {
        DiffFormat::Markdown => workbook::diff::markdown::render(&changes),
        DiffFormat::Json => workbook::diff::json::render(&changes),
    })?;
    if changes.has_errors() {
        for p in changes.problems.iter().filter(|p| p.revision == changes.to && p.unread) {
            let place = match (p.line, p.column) {
                (Some(line), Some(column)) => format!("{}:{line}:{column}", p.file),
                _ => p.file.clone(),
            };
            eprintln!("error: {place} at {}: {}", p.revision, p.message);
        }
        eprintln!("error: the diff is incomplete: a file of `{}` cannot be read", changes.to);
        return Ok(ExitCode::from(CONTENT_ERROR));
    }
    if deny.contains(&Deny::NewlyPublic) && !changes.newly_public.is_empty() {
        output::error(&format!(
            "{} thing{} became public that {} internal (--deny newly-public)",
            changes.newly_public.len(),
            if changes.newly_public.len() == 1 { "" } else { "s" },
            if changes.newly_public.len() == 1 { "was" } else { "were" }
        ));
        return Ok(ExitCode::from(CONTENT_ERROR));
    }
    Ok(ExitCode::SUCCESS)
}

/// How `export` writes: for whom, at which address, the CSV writer, and whether an unready ATRS
/// record fails.
struct ExportOptions {
    audience: Audience,
    base_url: Option<String>,
    csv: workbook::export::csv::CsvWriter,
    strict: bool,
}

fn export(project: &Path, format: ExportFormat, options: ExportOptions) -> Result<ExitCode, Failure> {
    let ExportOptions { audience, base_url, csv, strict } = options;
    let options = workbook::build::BuildOptions { audience, base_url, today: today() };
    match workbook::build::load_record(project, &options) {
        Ok(record) => {
            print_stdout(&match format {
                ExportFormat::Json => workbook::site::json::render(&record),
                ExportFormat::Csv => workbook::export::csv::questions(&record, csv),
                ExportFormat::CsvPrompts => workbook::export::csv::prompts(&record, csv),
                ExportFormat::CsvMetrics => workbook::export::csv::metrics(&record, csv),
                ExportFormat::CsvRisks => workbook::export::csv::risks(&record, csv),
                ExportFormat::Atrs => workbook::export::atrs::render(&record),
                ExportFormat::AtrsMarkdown => workbook::export::atrs::markdown(&record),
                ExportFormat::AtrsCsv => workbook::export::atrs::csv(&record, csv),
            })?;
            if strict {
                let readiness =
                    workbook::export::atrs::readiness(&workbook::export::atrs::record_fields(&record));
                if !readiness.ready {
                    eprintln!(
                        "error: the ATRS record is not ready: {} Tier 1 and {} required Tier 2 fields are missing",
                        readiness.tier_1_missing.len(),
                        readiness.required_tier_2_missing.len()
                    );
                    for field in readiness.tier_1_missing.iter().chain(&readiness.required_tier_2_missing) {
                        eprintln!("  missing: {field}");
                    }
                    return Ok(ExitCode::from(CONTENT_ERROR));
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(diagnostics) => {
            print_human(&diagnostics, project);
            Ok(ExitCode::from(CONTENT_ERROR))
        }
    }
}

fn status(workbook: &Workbook, format: StatusFormat, audience: Audience) -> Result<ExitCode, Failure> {
    let (Some(settings), Some(framework)) = (&workbook.settings, &workbook.framework) else {
        print_human(&workbook.diagnostics, &workbook.root);
        return Ok(ExitCode::from(CONTENT_ERROR));
    };
    let today = today();
    let mut progress = Progress::of(workbook, framework, today);
    if audience == Audience::Public {
        let history = workbook::history::History::default();
        let record = workbook::record::Record::build(&workbook::record::Inputs {
            workbook,
            settings,
            framework,
            history: &history,
            today,
            audience,
            base_url: None,
        });
        workbook::status::public(&mut progress, &record, workbook, framework);
    }
    // A file with errors is shown as an error, and `status` fails, as `check` would.
    let mut errors = workbook::check::check(workbook, today);
    errors.retain(|d| d.severity() == workbook::diagnostic::Severity::Error);
    workbook::status::mark_errors(&mut progress, framework, &errors);
    let summary = workbook::status::Summary::of(&progress);
    let phases = workbook::status::by_phase(framework, &progress);
    let heading = format!(
        "{}: {} ({} phase)",
        settings.organisation.name,
        settings.tool.name,
        settings.tool.phase.as_str()
    );
    let text = match format {
        StatusFormat::Human => workbook::status::text::render(&heading, &phases, &summary),
        StatusFormat::Markdown => workbook::status::markdown::render(&heading, &phases, &summary),
        StatusFormat::Json => workbook::status::json::render(&progress, &summary),
    };
    print_stdout(&text)?;
    if errors.is_empty() {
        Ok(ExitCode::SUCCESS)
    } else {
        print_human(&errors, &workbook.root);
        Ok(ExitCode::from(CONTENT_ERROR))
    }
}

fn questions(id: &str, number: Option<u32>, format: QuestionsFormat) -> Result<ExitCode, Failure> {
    let framework = Framework::builtin(id).ok_or_else(|| {
        format!(
            "there is no framework `{id}`; known: {}",
            Framework::builtin_ids().collect::<Vec<_>>().join(", ")
        )
    })?;
    if let Some(n) = number
        && framework.question(n).is_none()
    {
        return Err(Failure::Usage(format!(
            "there is no question {n}; questions are numbered 1 to {}",
            framework.questions.len()
        )));
    }
    let text = match format {
        QuestionsFormat::Human => workbook::framework::catalogue::render(&framework, number),
        QuestionsFormat::Json => {
            let mut s = serde_json::to_string_pretty(&framework).expect("framework serializes");
            s.push('\n');
            s
        }
    };
    print_stdout(&text)?;
    Ok(ExitCode::SUCCESS)
}
