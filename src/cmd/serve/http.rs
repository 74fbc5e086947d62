//! What the preview serves: safe paths, content types, the reload script and the error overlay.

/// The path of the server-sent event stream that tells pages to reload.
pub const EVENTS_PATH: &str = "/__workbook/events";

/// The site file a request path names, or `None` when it tries to leave the site.
///
/// The path is percent-decoded first, so `%2e%2e` is `..` and is refused like it. A path ending
/// in `/` names its `index.html`.
pub fn site_path(url: &str) -> Option<String> {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let decoded = percent_decode(path)?;
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

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
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
    fn the_overlay_escapes_messages() {
        let d = workbook::diagnostic::Diagnostic::new(
            workbook::diagnostic::Code::YamlSyntax,
            "<script>x</script>",
        );
        assert!(overlay(&[d]).contains("&lt;script&gt;"));
    }
}
