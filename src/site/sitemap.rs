//! `sitemap.xml`, in the sitemaps.org format. Addresses are absolute when a base URL is set, and
//! relative to the sitemap otherwise.
//!
//! One writer for both of the format's documents: a `<urlset>` of pages ([`urlset`]) and a
//! `<sitemapindex>` of sitemaps ([`index`]), which a register publishes over its members' sitemaps.

use super::xml_escape;
use crate::plan::Page;
use crate::record::Record;

/// The sitemap of the pages marked for it.
pub fn render(record: &Record, pages: &[Page]) -> String {
    let base = record.site.base_url.as_deref().unwrap_or("");
    let paths = pages.iter().filter(|p| p.in_sitemap).map(|p| p.path.as_str());
    urlset(base, paths.map(|path| (path, record.last_updated.as_deref())))
}

/// The address of the file `path` of a site at `base` (empty for none). The home page is the site's
/// address itself. Without a base URL the addresses are relative to the sitemap (`build` warns of
/// it), each starting `./`, as the sitemap schema wants at least 12 characters.
pub fn loc(base: &str, path: &str) -> String {
    if base.is_empty() {
        format!("./{path}")
    } else if path == crate::plan::paths::HOME {
        base.to_owned()
    } else {
        format!("{base}{path}")
    }
}

/// A `<urlset>` of `pages`, each a path under `base` and the day it last changed.
pub fn urlset<'a>(base: &str, pages: impl IntoIterator<Item = (&'a str, Option<&'a str>)>) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (path, lastmod) in pages {
        out += &format!("  <url>\n    <loc>{}</loc>\n", xml_escape(&loc(base, path)));
        if let Some(day) = lastmod {
            out += &format!("    <lastmod>{}</lastmod>\n", xml_escape(day));
        }
        out += "  </url>\n";
    }
    out += "</urlset>\n";
    out
}

/// A `<sitemapindex>` of `sitemaps`, each a path under `base` and the day it last changed.
pub fn index<'a>(base: &str, sitemaps: impl IntoIterator<Item = (&'a str, Option<&'a str>)>) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (path, lastmod) in sitemaps {
        out += &format!("  <sitemap>\n    <loc>{}</loc>\n", xml_escape(&loc(base, path)));
        if let Some(day) = lastmod {
            out += &format!("    <lastmod>{}</lastmod>\n", xml_escape(day));
        }
        out += "  </sitemap>\n";
    }
    out += "</sitemapindex>\n";
    out
}
