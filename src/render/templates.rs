//! The theme: Tera templates and static assets, embedded in the binary and overridable by a project.
//!
//! A project replaces any template by placing a file of the same name under its `templates/` folder,
//! and any asset by placing a file at the same path under its `static/` folder.

use crate::diagnostic::{Code, Diagnostic};
use std::path::Path;

macro_rules! embed {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../themes/default/templates/", $name))),)*]
    };
}

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
];

/// The default theme's static files, by output path.
pub const ASSETS: &[(&str, &[u8])] =
    &[("assets/style.css", include_bytes!("../../themes/default/static/assets/style.css"))];

/// The templates, ready to render pages.
pub struct Templates {
    tera: tera::Tera,
}

impl Templates {
    /// Parses the theme's templates, with the project's `templates/` files in place of those of the
    /// same name (and added beside them, for partials of the project's own).
    pub fn load(project: &Path) -> Result<Templates, Diagnostic> {
        let mut sources: Vec<(String, String)> =
            TEMPLATES.iter().map(|(name, text)| ((*name).to_owned(), (*text).to_owned())).collect();
        let dir = project.join("templates");
        for (relative, path) in files_under(&dir) {
            let text = std::fs::read_to_string(&path).map_err(|e| {
                Diagnostic::new(Code::Template, format!("cannot read the template: {e}"))
                    .in_file(&Path::new("templates").join(&relative))
            })?;
            match sources.iter_mut().find(|(name, _)| *name == relative) {
                Some(slot) => slot.1 = text,
                None => sources.push((relative, text)),
            }
        }
        let mut tera = tera::Tera::new();
        tera.autoescape_on(vec![".html", ".xml"]);
        tera.add_raw_templates(sources).map_err(|e| template_error(&e))?;
        Ok(Templates { tera })
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
        self.tera.render(name, &context).map_err(|e| template_error(&e))
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

fn template_error(e: &tera::Error) -> Diagnostic {
    let mut message = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    Diagnostic::new(Code::Template, format!("a template failed: {message}")).help(
        "if the project overrides templates in templates/, check them; otherwise this is a bug in workbook",
    )
}
