//! The files of the site that are not pages: the feed, the sitemap, the record as JSON, robots.txt.
//! One output kind per file.

pub mod feed;
pub mod json;
pub mod robots;
pub mod sitemap;

/// Escapes text for XML.
pub fn xml_escape(s: &str) -> String {
    crate::render::chart::escape(s)
}
