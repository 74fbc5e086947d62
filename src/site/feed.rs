//! `feed.xml`: the change log as an Atom feed (RFC 4287), one entry per commit.

use super::xml_escape;
use crate::plan::paths;
use crate::record::Record;
use std::collections::HashMap;

/// The most entries the feed holds: readers fetch it often, and the whole log is on the changes page.
pub const MAX_ENTRIES: usize = 100;

/// The feed of `record.changes`, newest first, at most [`MAX_ENTRIES`] of them.
pub fn render(record: &Record) -> String {
    let base = record.site.base_url.as_deref();
    // Without history (no git), the newest review date stands in: it still comes from the content,
    // never from the clock, so two builds of the same files give the same feed.
    let updated = record.changes.first().map_or_else(
        || {
            let reviewed = record.questions.iter().filter_map(|q| q.last_reviewed.as_deref()).max();
            reviewed.map_or_else(|| String::from("1970-01-01T00:00:00Z"), |day| format!("{day}T00:00:00Z"))
        },
        |c| c.date.clone(),
    );
    let feed_id = match base {
        Some(b) => format!("{b}{}", paths::FEED),
        None => {
            format!("urn:workbook:{}", slug(&format!("{} {}", record.organisation.name, record.tool.name)))
        }
    };
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out += &format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
        xml_escape(&record.site.language)
    );
    out += &format!("  <title>{}: changes</title>\n", xml_escape(&record.site.title));
    out += &format!(
        "  <subtitle>Changes to {}'s answers to the {}</subtitle>\n",
        xml_escape(&record.organisation.name),
        xml_escape(&record.framework.title)
    );
    out += &format!("  <id>{}</id>\n  <updated>{}</updated>\n", xml_escape(&feed_id), xml_escape(&updated));
    if let Some(b) = base {
        out += &format!(
            "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
            xml_escape(&format!("{b}{}", paths::FEED))
        );
    }
    out += &format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        xml_escape(&format!("{}{}", base.unwrap_or(""), paths::CHANGES))
    );
    out += &format!("  <author><name>{}</name></author>\n", xml_escape(&record.organisation.name));
    // Which questions each commit touched, found once rather than per entry.
    let mut touched: HashMap<&str, Vec<String>> = HashMap::new();
    for q in &record.questions {
        for c in &q.history {
            touched.entry(c.hash.as_str()).or_default().push(format!("Question {}: {}", q.number, q.title));
        }
    }
    for commit in record.changes.iter().take(MAX_ENTRIES) {
        let questions = touched.get(commit.hash.as_str()).cloned().unwrap_or_default();
        let summary = if questions.is_empty() {
            String::from("Changes to the project's settings or evidence.")
        } else {
            format!("Changed: {}.", questions.join("; "))
        };
        out += "  <entry>\n";
        // A subject the settings hide (or an empty one) reads "Updated"; an entry without its own
        // author takes the feed's, the organisation.
        let title = if commit.subject.is_empty() { "Updated" } else { commit.subject.as_str() };
        out += &format!("    <title>{}</title>\n", xml_escape(title));
        out += &format!("    <id>urn:git:{}</id>\n", xml_escape(&commit.hash));
        out += &format!("    <updated>{}</updated>\n", xml_escape(&commit.date));
        if !commit.author.is_empty() {
            out += &format!("    <author><name>{}</name></author>\n", xml_escape(&commit.author));
        }
        out += &format!(
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            xml_escape(&format!("{}{}#commit-{}", base.unwrap_or(""), paths::CHANGES, commit.short_hash()))
        );
        out += &format!("    <summary>{}</summary>\n", xml_escape(&summary));
        out += "  </entry>\n";
    }
    out += "</feed>\n";
    out
}

fn slug(s: &str) -> String {
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
