//! `sitemap.xml`, in the sitemaps.org format. Addresses are absolute when a base URL is set, and
//! relative to the sitemap otherwise.

use super::xml_escape;
use crate::plan::Page;
use crate::record::Record;

/// The sitemap of the pages marked for it.
pub fn render(record: &Record, pages: &[Page]) -> String {
    let base = record.site.base_url.as_deref().unwrap_or("");
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for page in pages.iter().filter(|p| p.in_sitemap) {
        let path = if page.path == crate::plan::paths::HOME { "" } else { page.path.as_str() };
        // Without a base URL the addresses are relative to the sitemap (`build` warns of it), each
        // starting `./`, as the sitemap schema wants at least 12 characters.
        let page = if path.is_empty() { crate::plan::paths::HOME } else { path };
        let loc = if base.is_empty() { format!("./{page}") } else { format!("{base}{path}") };
        out += &format!("  <url>\n    <loc>{}</loc>\n", xml_escape(&loc));
        if let Some(day) = &record.last_updated {
            out += &format!("    <lastmod>{day}</lastmod>\n");
        }
        out += "  </url>\n";
    }
    out += "</urlset>\n";
    out
}
