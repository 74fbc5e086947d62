//! What the preview serves: safe paths, content types, the reload script and the error overlay.

/// The path of the server-sent event stream that tells pages to reload.
pub const EVENTS_PATH: &str = "/__workbook/events";

/// Where the internal view is served. A path, not a query: the site's links are relative, so every
/// link followed inside the internal view stays in it, where a query would be lost at the first
/// click; and each view keeps the published site's paths below its own root.
pub const INTERNAL_PREFIX: &str = "/internal/";

/// Which of the two views a request is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// The public site as it will be published, drafts shown.
    Public,
    /// The internal view, for the oversight group.
    Internal,
}

/// Where a request goes.
#[derive(Debug, PartialEq, Eq)]
pub enum Route {
    /// A file of a view (`None` when the path tries to leave the site).
    File(View, Option<String>),
    /// `/internal` without its slash: sent to `/internal/`, so that relative links resolve there.
    InternalRoot,
}

/// The view and site file a request target names.
pub fn route(url: &str) -> Route {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let internal = INTERNAL_PREFIX.trim_end_matches('/');
    if path == internal {
        return Route::InternalRoot;
    }
    match path.strip_prefix(internal).filter(|rest| rest.starts_with('/')) {
        Some(rest) => Route::File(View::Internal, site_path(rest)),
        None => Route::File(View::Public, site_path(path)),
    }
}

/// The bar `serve` puts at the top of every page: which view this is, and a link to the same page
/// (`path`, the site file asked for) in the other one, or to its home page when it has no such page.
/// `url` is the request's target, whose depth the relative link climbs from. `serves_internal` is
/// false when the internal view is not served; `other` is the other view's files, when they are
/// built (an internal view not yet asked for is not).
pub fn preview_bar(
    view: View,
    url: &str,
    path: &str,
    serves_internal: bool,
    other: Option<&dyn workbook::write::SiteFiles>,
) -> String {
    let escape = workbook::render::chart::escape;
    let raw = url.split(['?', '#']).next().unwrap_or("");
    let up = "../".repeat(raw.matches('/').count().saturating_sub(1));
    let (this, switch) = match view {
        View::Public => {
            ("the public site as it will be published, with drafts shown", "Switch to the internal view")
        }
        View::Internal => (
            "the internal view for the oversight group, with internal material",
            "Switch to the public preview",
        ),
    };
    let link = serves_internal.then(|| {
        let target = if other.is_none_or(|files| files.file(path).is_some()) { path } else { "index.html" };
        let prefix = match view {
            View::Public => INTERNAL_PREFIX.trim_start_matches('/'),
            View::Internal => "",
        };
        format!(" <a href=\"{}\">{switch}</a>", escape(&format!("{up}{prefix}{target}")))
    });
    let link = link.unwrap_or_else(|| " The internal view is not served on this address.".to_owned());
    format!(
        "<aside class=\"workbook-preview-bar\" aria-label=\"Preview\" style=\"background:#f3f2f1;color:#0b0c0c;\
         border-bottom:4px solid #1d70b8;padding:.5rem 1rem;font:1rem/1.4 system-ui,sans-serif\">\
         <p style=\"margin:0;max-width:none\"><strong>Preview, not published.</strong> This is {this}.{link}</p></aside>"
    )
}

/// Puts `bar` at the top of an HTML page: after the skip link, which stays the first thing a
/// keyboard reaches, or else straight after `<body>`.
pub fn insert_bar(html: &[u8], bar: &str) -> Vec<u8> {
    let html = String::from_utf8_lossy(html);
    let Some(body) = html.find("<body") else { return format!("{bar}{html}").into_bytes() };
    let opened = html[body..].find('>').map_or(html.len(), |i| body + i + 1);
    let after_skip = html[opened..]
        .find("class=\"skip-link\"")
        .and_then(|i| html[opened + i..].find("</a>").map(|j| opened + i + j + "</a>".len()))
        .filter(|&end| html[opened..end].matches('<').count() <= 2);
    let at = after_skip.unwrap_or(opened);
    format!("{}{bar}{}", &html[..at], &html[at..]).into_bytes()
}

/// The site file a request path names, or `None` when it tries to leave the site.
///
/// The path is percent-decoded first, so `%2e%2e` is `..` and is refused like it. A path ending
/// in `/` names its `index.html`.
pub fn site_path(url: &str) -> Option<String> {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let decoded = workbook::links::percent_decoded(path)?;
    if decoded.contains('\0') || decoded.contains('\\') {
        return None;
    }
    let mut parts = Vec::new();
    for part in decoded.split('/') {
        match part {
            "" | "." => {}
            ".." => return None,
            p => parts.push(p),
        }
    }
    let mut joined = parts.join("/");
    if joined.is_empty() || decoded.ends_with('/') {
        joined = if joined.is_empty() { "index.html".into() } else { format!("{joined}/index.html") };
    }
    Some(joined)
}

/// The content type of a file by its extension.
pub fn content_type(path: &str) -> &'static str {
    if path.trim_start_matches('/') == workbook::plan::paths::FEED {
        return "application/atom+xml; charset=utf-8";
    }
    let extension = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "txt" | "md" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "odt" => "application/vnd.oasis.opendocument.text",
        _ => "application/octet-stream",
    }
}

/// The script `serve` adds to every page, and only `serve`: reload when the site is rebuilt.
const RELOAD_SCRIPT: &str = "<script>(function(){var s=new EventSource(\"/__workbook/events\");\
s.onmessage=function(){window.location.reload();};})();</script>";

/// Adds the reload script, and the error overlay when there is one, to an HTML page.
pub fn inject(html: &[u8], overlay: Option<&str>) -> Vec<u8> {
    let html = String::from_utf8_lossy(html);
    let mut extra = String::new();
    if let Some(overlay) = overlay {
        extra.push_str(overlay);
    }
    extra.push_str(RELOAD_SCRIPT);
    match html.rfind("</body>") {
        Some(i) => format!("{}{extra}{}", &html[..i], &html[i..]).into_bytes(),
        None => format!("{html}{extra}").into_bytes(),
    }
}

/// The overlay that shows a broken build's diagnostics on every page, escaped.
pub fn overlay(diagnostics: &[workbook::diagnostic::Diagnostic]) -> String {
    let escape = workbook::render::chart::escape;
    let mut items = String::new();
    for d in diagnostics.iter().filter(|d| d.severity() == workbook::diagnostic::Severity::Error) {
        let place = d
            .location
            .as_ref()
            .map(|l| if l.line > 0 { format!("{}:{}:{}", l.file, l.line, l.column) } else { l.file.clone() })
            .unwrap_or_default();
        items.push_str(&format!(
            "<li><code>{}</code> <strong>{} {}</strong>: {}{}</li>",
            escape(&place),
            d.code.code(),
            d.code.name(),
            escape(&d.message),
            d.help.as_deref().map(|h| format!("<br>help: {}", escape(h))).unwrap_or_default()
        ));
    }
    format!(
        "<div id=\"workbook-errors\" role=\"alert\" style=\"position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;\
         z-index:1000;background:#fff;color:#0b0c0c;border-top:5px solid #d4351c;padding:1rem 1.5rem;\
         font:1rem/1.4 system-ui,sans-serif;box-shadow:0 -2px 8px rgba(0,0,0,.3)\">\
         <h2 style=\"margin:0 0 .5rem;font-size:1.25rem;color:#d4351c\">The last save has errors; this is the last good \
         build</h2><ul style=\"margin:0;padding-left:1.25rem\">{items}</ul></div>"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_never_leave_the_site() {
        assert_eq!(site_path("/").as_deref(), Some("index.html"));
        assert_eq!(site_path("/assets/style.css?v=1").as_deref(), Some("assets/style.css"));
        assert_eq!(site_path("/evidence/").as_deref(), Some("evidence/index.html"));
        assert_eq!(site_path("//etc/passwd").as_deref(), Some("etc/passwd"));
        for hostile in
            ["/../Cargo.toml", "/%2e%2e/%2e%2e/etc/passwd", "/a/..%2f..%2fb", "/%00", "/a\\..\\b", "/%zz"]
        {
            assert_eq!(site_path(hostile), None, "{hostile}");
        }
    }

    #[test]
    fn the_internal_view_is_under_its_prefix() {
        assert_eq!(route("/"), Route::File(View::Public, Some("index.html".into())));
        assert_eq!(route("/internal/"), Route::File(View::Internal, Some("index.html".into())));
        assert_eq!(route("/internal/a.html?x"), Route::File(View::Internal, Some("a.html".into())));
        assert_eq!(route("/internal"), Route::InternalRoot);
        assert_eq!(route("/internals.html"), Route::File(View::Public, Some("internals.html".into())));
        assert_eq!(route("/internal/../../etc/passwd"), Route::File(View::Internal, None));
    }

    #[test]
    fn the_bar_links_to_the_same_page_in_the_other_view() {
        let files: workbook::write::Files =
            [("index.html".to_owned(), Vec::new()), ("a/b.html".to_owned(), Vec::new())]
                .into_iter()
                .collect();
        let bar = preview_bar(View::Public, "/a/b.html", "a/b.html", true, Some(&files));
        assert!(bar.contains("href=\"../internal/a/b.html\""), "{bar}");
        let bar = preview_bar(View::Public, "/c.html", "c.html", true, None);
        assert!(bar.contains("href=\"internal/c.html\""), "an internal view not built yet: {bar}");
        let bar = preview_bar(View::Internal, "/internal/a/b.html", "a/b.html", true, Some(&files));
        assert!(bar.contains("href=\"../../a/b.html\""), "{bar}");
        let bar = preview_bar(View::Internal, "/internal/only.html", "only.html", true, Some(&files));
        assert!(bar.contains("href=\"../index.html\""), "{bar}");
        let bar = preview_bar(View::Public, "/", "index.html", false, None);
        assert!(!bar.contains("href"), "{bar}");
        let page =
            b"<html><body class=\"x\">\n<a href=\"#main-content\" class=\"skip-link\">Skip</a>\n<header>";
        let page = String::from_utf8(insert_bar(page, "BAR")).unwrap();
        assert!(page.contains("Skip</a>BAR\n<header>"), "{page}");
        let page = String::from_utf8(insert_bar(b"<body><h1>x</h1>", "BAR")).unwrap();
        assert_eq!(page, "<body>BAR<h1>x</h1>");
    }

    #[test]
    fn the_overlay_escapes_messages() {
        let d = workbook::diagnostic::Diagnostic::new(
            workbook::diagnostic::Code::YamlSyntax,
            "<script>x</script>",
        );
        assert!(overlay(&[d]).contains("&lt;script&gt;"));
    }
}
