//! The theme: Tera templates and static assets, embedded in the binary and overridable by a project.
//!
//! A project replaces any template by placing a file of the same name under its `templates/` folder,
//! and any asset by placing a file at the same path under its `static/` folder.

use crate::diagnostic::{Code, Diagnostic};
use crate::load::source::SourceFile;
use std::path::Path;

macro_rules! embed {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../themes/default/templates/", $name))),)*]
    };
}

/// Where the default theme's templates live in this repository, for pointing at errors in them.
const THEME_DIR: &str = "themes/default/templates";

/// The default theme's templates, by name.
pub const TEMPLATES: &[(&str, &str)] = embed![
    "base.html",
    "index.html",
    "question.html",
    "phase.html",
    "changes.html",
    "accessibility.html",
    "print.html",
    "reviewers.html",
    "404.html",
    "partials/tag.html",
    "partials/answer.html",
    "partials/date.html",
    "partials/internal-label.html",
    "partials/task-list.html",
    "partials/question-meta.html",
    "partials/prompts.html",
];

/// The default theme's static files, by output path.
pub const ASSETS: &[(&str, &[u8])] =
    &[("assets/style.css", include_bytes!("../../themes/default/static/assets/style.css"))];

/// The templates, ready to render pages.
pub struct Templates {
    tera: tera::Tera,
    /// Each template's text and the file it came from, for pointing at errors.
    sources: Vec<(String, SourceFile)>,
}

impl Templates {
    /// Parses the theme's templates, with the project's `templates/` files in place of those of the
    /// same name (and added beside them, for partials of the project's own).
    pub fn load(project: &Path) -> Result<Templates, Diagnostic> {
        let mut sources: Vec<(String, String)> =
            TEMPLATES.iter().map(|(name, text)| ((*name).to_owned(), (*text).to_owned())).collect();
        let dir = project.join(crate::load::TEMPLATES_DIR);
        for (relative, path) in files_under(&dir) {
            let text = std::fs::read_to_string(&path).map_err(|e| {
                Diagnostic::new(Code::Template, format!("cannot read the template: {e}"))
                    .in_file(&Path::new(crate::load::TEMPLATES_DIR).join(&relative))
            })?;
            match sources.iter_mut().find(|(name, _)| *name == relative) {
                Some(slot) => slot.1 = text,
                None => sources.push((relative, text)),
            }
        }
        let located: Vec<(String, SourceFile)> = sources
            .iter()
            .map(|(name, text)| {
                let from_project = dir.join(name).is_file();
                let file = if from_project {
                    Path::new(crate::load::TEMPLATES_DIR).join(name)
                } else {
                    Path::new(THEME_DIR).join(name)
                };
                (name.clone(), SourceFile::new(file, text.clone()))
            })
            .collect();
        let mut tera = tera::Tera::new();
        tera.autoescape_on(vec![".html", ".xml"]);
        match tera.add_raw_templates(sources) {
            Ok(()) => Ok(Templates { tera, sources: located }),
            Err(e) => Err(template_error(&e, &located)),
        }
    }

    /// Renders the template `name` with the site-wide context and the page's own.
    pub fn render(
        &self,
        name: &str,
        shared: &tera::Context,
        page: &serde_json::Value,
    ) -> Result<String, Diagnostic> {
        let mut context = shared.clone();
        context.insert("page", page);
        self.tera.render(name, &context).map_err(|e| template_error(&e, &self.sources))
    }
}

/// Files under `dir`, as (path relative to `dir` with `/` separators, full path), sorted.
pub fn files_under(dir: &Path) -> Vec<(String, std::path::PathBuf)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(kind) = entry.file_type() else { continue };
            if kind.is_dir() {
                stack.push(path);
            } else if kind.is_file() {
                let relative =
                    path.strip_prefix(dir).map(crate::diagnostic::display_path).unwrap_or_default();
                if !relative.split('/').any(|part| part.starts_with('.')) {
                    out.push((relative, path));
                }
            }
        }
    }
    out.sort();
    out
}

fn template_error(e: &tera::Error, sources: &[(String, SourceFile)]) -> Diagnostic {
    let help =
        "if the project overrides templates in templates/, check them; otherwise this is a bug in workbook";
    if let tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) = e.kind()
        && let Some((_, file)) = sources.iter().find(|(name, _)| name == report.filename())
    {
        let span = report.span();
        let width =
            if span.end_line == span.start_line { span.end_col.saturating_sub(span.start_col) } else { 1 };
        return Diagnostic::new(
            Code::Template,
            format!("the template cannot be rendered: {}", report.message()),
        )
        .at(file.location_at(span.start_line, span.start_col + 1, width.max(1)))
        .help(help);
    }
    let mut message = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    Diagnostic::new(Code::Template, format!("a template failed: {message}")).help(help)
}
