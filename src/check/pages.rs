//! Checks of the free-standing pages of `pages/` that loading cannot make: a name the site already
//! gives a page of its own, or a static file, would be written over (or write over) that page; and
//! a title or summary holding a `:::` line or an HTML comment would be published as written.

use crate::diagnostic::{Code, Diagnostic};
use crate::load::Workbook;

/// Pushes an error for each page title or summary that holds a mark only Markdown honours, and for
/// each page whose name the site cannot publish it under, at the file's first line: the name is the
/// fault, and the file is where the author meets it.
pub(super) fn check(workbook: &Workbook, found: &mut Vec<Diagnostic>) {
    for page in &workbook.pages {
        for (path, mark) in super::fence_paths(&page.front, |_| false) {
            found.push(super::fence_in_field(&path, mark).at(page.locate(&path)).help(
                "`::: internal` works and comments are removed in the page's Markdown below the front matter; \
                 or mark the whole page `visibility: internal`",
            ));
        }
        let Some(framework) = &workbook.framework else { continue };
        let path = format!("{}.html", page.slug);
        let taken = crate::plan::page_name_taken(&page.slug, framework).or_else(|| {
            workbook
                .files_in(crate::load::STATIC_DIR)
                .find(|(relative, _)| relative.eq_ignore_ascii_case(&path))
                .map(|(_, project)| format!("a page named `{}` would be written over `{project}`", page.slug))
        });
        if let Some(message) = taken {
            found.push(
                Diagnostic::new(Code::PageName, message)
                    .at(page.file.location_at(1, 1, 3))
                    .help("rename the file: a page's name is its address, `<name>.html`, in lowercase letters, digits and hyphens"),
            );
        }
    }
}
