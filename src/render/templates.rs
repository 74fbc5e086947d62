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
    "page.html",
    "atrs.html",
    "partials/tag.html",
    "partials/answer.html",
    "partials/date.html",
    "partials/internal-label.html",
    "partials/task-list.html",
    "partials/question-meta.html",
    "partials/prompts.html",
    "partials/checklist.html",
    "partials/responsibility.html",
    "partials/decisions.html",
    "partials/before-after.html",
    "partials/draft-notice.html",
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
    /// same name (and added beside them, for partials of the project's own), read through the
    /// project's tree.
    pub fn load(workbook: &crate::load::Workbook) -> Result<Templates, Diagnostic> {
        let mut located: Vec<(String, SourceFile)> = TEMPLATES
            .iter()
            .map(|(name, text)| {
                ((*name).to_owned(), SourceFile::new(Path::new(THEME_DIR).join(name), (*text).to_owned()))
            })
            .collect();
        for (name, path) in workbook.files_in(crate::load::TEMPLATES_DIR) {
            let unreadable = |why: String| {
                Diagnostic::new(Code::Template, format!("cannot read the template: {why}"))
                    .in_file(Path::new(path))
            };
            let bytes = workbook.read_file(path).map_err(|e| unreadable(e.to_string()))?;
            let text = String::from_utf8(bytes).map_err(|_| unreadable("it is not UTF-8 text".into()))?;
            let file = SourceFile::new(Path::new(path).to_path_buf(), text);
            match located.iter_mut().find(|(known, _)| known == name) {
                Some(slot) => slot.1 = file,
                None => located.push((name.to_owned(), file)),
            }
        }
        Templates::parse(located)
    }

    /// The theme's own templates, with no project's in their place: parsed once for every member
    /// of a register that has no `templates/` of its own.
    pub fn theme() -> Result<Templates, Diagnostic> {
        Templates::parse(
            TEMPLATES
                .iter()
                .map(|(name, text)| {
                    ((*name).to_owned(), SourceFile::new(Path::new(THEME_DIR).join(name), (*text).to_owned()))
                })
                .collect(),
        )
    }

    /// True when `workbook` has templates of its own (in `templates/`), so the theme's alone do not
    /// render it.
    pub fn overridden_by(workbook: &crate::load::Workbook) -> bool {
        workbook.files_in(crate::load::TEMPLATES_DIR).next().is_some()
    }

    fn parse(located: Vec<(String, SourceFile)>) -> Result<Templates, Diagnostic> {
        let sources: Vec<(String, String)> =
            located.iter().map(|(name, file)| (name.clone(), file.text.clone())).collect();
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
        page: &tera::Value,
    ) -> Result<String, Diagnostic> {
        let mut context = shared.clone();
        context.insert_value("page", page.clone());
        self.tera.render(name, &context).map_err(|e| template_error(&e, &self.sources))
    }
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
