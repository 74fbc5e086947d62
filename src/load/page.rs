//! Free-standing pages: `pages/*.md`, each a page of the site beside the answers (an easy-read
//! version, a glossary, "how we use this tool"), read as answers are: YAML front matter checked
//! against its schema, then a Markdown body cut into public and internal passages.

use super::answer::Visibility;
use super::body::Passage;
use super::front_matter::Parts;
use super::locate::Positions;
use super::source::SourceFile;
use crate::diagnostic::Location;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The front matter of a page file.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PageFront {
    /// The page's title: its heading, and its link in the site's navigation.
    pub title: String,
    /// Where the page stands in the navigation: pages with a lower number come first, then pages
    /// without one; pages with the same number are in order of title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nav_order: Option<i32>,
    /// Whether the page may be published. An internal page is only in the internal build.
    #[serde(default)]
    pub visibility: Visibility,
    /// One plain-English sentence on what the page is for, shown under its title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
}

/// One page file, parsed.
#[derive(Debug, Clone)]
pub struct PageFile {
    /// The file and its text.
    pub file: SourceFile,
    /// The page's name in the site: the file name without `.md` (`easy-read` for
    /// `pages/easy-read.md`, published as `easy-read.html`).
    pub slug: String,
    /// Where its front matter and body lie.
    pub parts: Parts,
    /// The front matter.
    pub front: PageFront,
    /// Positions of the front matter's keys and values.
    pub positions: Positions,
    /// The body, cut into public and internal passages.
    pub passages: Vec<Passage>,
    /// The Markdown of each passage of `passages`, in order, without its HTML comments.
    pub passage_texts: Vec<String>,
}

impl PageFile {
    /// A [`Location`] in this file for a front-matter path such as `title`.
    pub fn locate(&self, path: &str) -> Location {
        super::locate_value(&self.file, self.parts.yaml_first_line, &self.positions, path)
    }

    /// The body's Markdown: the public passages only, or all of them, without HTML comments.
    pub fn body(&self, include_internal: bool) -> impl Iterator<Item = (&Passage, &str)> {
        super::body::visible_passages(&self.passages, &self.passage_texts, include_internal)
    }
}
