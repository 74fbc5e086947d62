//! `feed.xml`: the change log as an Atom feed (RFC 4287), one entry per commit.
//!
//! One Atom writer ([`write`]) serves every feed the tool makes: a project's (from its record) and a
//! register's (every member's changes in one feed).

use super::xml_escape;
use crate::plan::paths;
use crate::record::Record;
use std::collections::HashMap;

/// The most entries the feed holds: readers fetch it often, and the whole log is on the changes page.
pub const MAX_ENTRIES: usize = 100;

/// An Atom feed's own elements and its entries, ready to be written by [`write`].
#[derive(Debug, Clone)]
pub struct Feed {
    /// `xml:lang` of the feed.
    pub language: String,
    /// The feed's title.
    pub title: String,
    /// The feed's subtitle.
    pub subtitle: String,
    /// The feed's id (an absolute address or a `urn:`).
    pub id: String,
    /// When the feed last changed (RFC 3339).
    pub updated: String,
    /// The feed's own address, when the site's address is known.
    pub self_href: Option<String>,
    /// The HTML page the feed follows.
    pub alternate_href: String,
    /// The feed's author (an organisation).
    pub author: String,
    /// The entries, in the order to write them.
    pub entries: Vec<Entry>,
}

/// One entry of a [`Feed`].
#[derive(Debug, Clone)]
pub struct Entry {
    /// The entry's title.
    pub title: String,
    /// Its id: stable across builds.
    pub id: String,
    /// When it happened (RFC 3339).
    pub updated: String,
    /// Its author; empty for the feed's.
    pub author: String,
    /// The HTML page that shows it.
    pub href: String,
    /// A line that says what it changed.
    pub summary: String,
}

/// The feed of `record.changes`, newest first, at most [`MAX_ENTRIES`] of them.
pub fn render(record: &Record) -> String {
    let base = record.site.base_url.as_deref();
    let feed_id = match base {
        Some(b) => format!("{b}{}", paths::FEED),
        None => {
            format!("urn:workbook:{}", slug(&format!("{} {}", record.organisation.name, record.tool.name)))
        }
    };
    let mut entries = entries(record, base.unwrap_or(""));
    entries.truncate(MAX_ENTRIES);
    write(&Feed {
        language: record.site.language.clone(),
        title: format!("{}: changes", record.site.title),
        subtitle: format!(
            "Changes to {}'s answers to the {}",
            record.organisation.name, record.framework.title
        ),
        id: feed_id,
        updated: updated(record),
        self_href: base.map(|b| format!("{b}{}", paths::FEED)),
        alternate_href: format!("{}{}", base.unwrap_or(""), paths::CHANGES),
        author: record.organisation.name.clone(),
        entries,
    })
}

/// When `record` last changed, for a feed: its newest commit's date. Without history (no git), the
/// newest review date stands in: it still comes from the content, never from the clock, so two
/// builds of the same files give the same feed.
pub fn updated(record: &Record) -> String {
    record.changes.first().map_or_else(
        || {
            let reviewed = record.questions.iter().filter_map(|q| q.last_reviewed.as_deref()).max();
            reviewed.map_or_else(|| String::from("1970-01-01T00:00:00Z"), |day| format!("{day}T00:00:00Z"))
        },
        |c| c.date.clone(),
    )
}

/// One entry per commit of `record.changes`, newest first, each linking to its line of the changes
/// page under `site` (the address of the record's site, ending in `/`, or empty for relative links).
pub fn entries(record: &Record, site: &str) -> Vec<Entry> {
    // Which questions each commit touched, found once rather than per entry.
    let mut touched: HashMap<&str, Vec<String>> = HashMap::new();
    for q in &record.questions {
        for c in &q.history {
            touched.entry(c.hash.as_str()).or_default().push(format!("Question {}: {}", q.number, q.title));
        }
    }
    record
        .changes
        .iter()
        .map(|commit| {
            let questions = touched.get(commit.hash.as_str()).cloned().unwrap_or_default();
            let summary = if questions.is_empty() {
                String::from("Changes to the project's settings or evidence.")
            } else {
                format!("Changed: {}.", questions.join("; "))
            };
            // A subject the settings hide (or an empty one) reads "Updated"; an entry without its
            // own author takes the feed's, the organisation.
            let title = if commit.subject.is_empty() { "Updated" } else { commit.subject.as_str() };
            Entry {
                title: title.to_owned(),
                id: format!("urn:git:{}", commit.hash),
                updated: commit.date.clone(),
                author: commit.author.clone(),
                href: format!("{site}{}#commit-{}", paths::CHANGES, commit.short_hash()),
                summary,
            }
        })
        .collect()
}

/// The Atom document of `feed`.
pub fn write(feed: &Feed) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out += &format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
        xml_escape(&feed.language)
    );
    out += &format!("  <title>{}</title>\n", xml_escape(&feed.title));
    out += &format!("  <subtitle>{}</subtitle>\n", xml_escape(&feed.subtitle));
    out +=
        &format!("  <id>{}</id>\n  <updated>{}</updated>\n", xml_escape(&feed.id), xml_escape(&feed.updated));
    if let Some(href) = &feed.self_href {
        out +=
            &format!("  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n", xml_escape(href));
    }
    out += &format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        xml_escape(&feed.alternate_href)
    );
    out += &format!("  <author><name>{}</name></author>\n", xml_escape(&feed.author));
    for entry in &feed.entries {
        out += "  <entry>\n";
        out += &format!("    <title>{}</title>\n", xml_escape(&entry.title));
        out += &format!("    <id>{}</id>\n", xml_escape(&entry.id));
        out += &format!("    <updated>{}</updated>\n", xml_escape(&entry.updated));
        if !entry.author.is_empty() {
            out += &format!("    <author><name>{}</name></author>\n", xml_escape(&entry.author));
        }
        out += &format!(
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            xml_escape(&entry.href)
        );
        out += &format!("    <summary>{}</summary>\n", xml_escape(&entry.summary));
        out += "  </entry>\n";
    }
    out += "</feed>\n";
    out
}

/// `s` in lowercase ASCII letters and digits, runs of anything else as one hyphen: a name for a
/// `urn:` or an address.
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_owned()
}
