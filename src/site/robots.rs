//! `robots.txt`: the public site may be indexed; an internal build never.

use crate::record::{Audience, Record};

/// The robots file for `record`'s audience.
pub fn render(record: &Record) -> String {
    match record.audience {
        Audience::Internal => {
            "# An internal build: not for search engines.\nUser-agent: *\nDisallow: /\n".to_owned()
        }
        Audience::Public => {
            let mut out = String::from("User-agent: *\nAllow: /\n");
            if let Some(base) = &record.site.base_url {
                out += &format!("Sitemap: {base}{}\n", crate::plan::paths::SITEMAP);
            }
            out
        }
    }
}
