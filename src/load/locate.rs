//! Where each key and value of a YAML document lies, so that diagnostics found after deserializing
//! (an unknown prompt id, a missing evidence file) can point at the exact line and column.
//!
//! serde does not keep positions, so this reads the same text once more with an event parser. Paths
//! are written as `risks[2].owner` and `prompts.q1-analytics-type`.

use saphyr_parser::{Event, Parser, Span};
use std::collections::HashMap;

/// How deep positions are recorded; deeper nodes are read past.
const MAX_DEPTH: usize = 64;

/// A line and column in the YAML text: line from 1, column from 1, in characters.
pub type Mark = (usize, usize);

/// The positions of the keys and values of one YAML document.
#[derive(Debug, Default, Clone)]
pub struct Positions {
    keys: HashMap<String, Mark>,
    values: HashMap<String, (Mark, usize)>,
    duplicates: Vec<(String, Mark)>,
}

impl Positions {
    /// Reads the positions of `yaml`; a document that does not parse gives what was read before the error.
    pub fn of(yaml: &str) -> Positions {
        let mut positions = Positions::default();
        let mut events = Parser::new_from_str(yaml).map_while(Result::ok).peekable();
        // Skip to the first node of the first document.
        while let Some((event, _)) = events.peek() {
            if matches!(event, Event::StreamStart | Event::DocumentStart(_)) {
                events.next();
            } else {
                break;
            }
        }
        positions.node(&mut events, String::new(), 0);
        positions
    }

    /// Where the key at `path` starts.
    pub fn key(&self, path: &str) -> Option<Mark> {
        self.keys.get(path).copied()
    }

    /// Keys that appear a second time in their mapping, with where the second one is.
    pub fn duplicates(&self) -> impl Iterator<Item = (&str, Mark)> {
        self.duplicates.iter().map(|(p, m)| (p.as_str(), *m))
    }

    /// Where the value at `path` starts, and how many characters its first line spans.
    pub fn value(&self, path: &str) -> Option<(Mark, usize)> {
        self.values.get(path).copied()
    }

    /// Every key's path and where it starts, in no particular order (the language server finds the
    /// key under the cursor with it).
    pub fn keys(&self) -> impl Iterator<Item = (&str, Mark)> {
        self.keys.iter().map(|(p, m)| (p.as_str(), *m))
    }

    /// Every value's path, where it starts and how many characters its first line spans, in no
    /// particular order.
    pub fn values(&self) -> impl Iterator<Item = (&str, Mark, usize)> {
        self.values.iter().map(|(p, (m, w))| (p.as_str(), *m, *w))
    }

    /// The value's position, or else the key's, or else the nearest parent's.
    pub fn best(&self, path: &str) -> Option<(Mark, usize)> {
        let mut path = path;
        loop {
            if let Some(found) = self.value(path) {
                return Some(found);
            }
            if let Some(key) = self.key(path) {
                return Some((key, 1));
            }
            path = &path[..path.rfind(['.', '['])?];
        }
    }

    fn node<'a>(
        &mut self,
        events: &mut std::iter::Peekable<impl Iterator<Item = (Event<'a>, Span)>>,
        path: String,
        depth: usize,
    ) {
        let Some((event, span)) = events.next() else { return };
        if depth > MAX_DEPTH {
            // Nothing an author writes is this deep: read past the node without recursing, so a
            // hostile file cannot exhaust the stack.
            let mut open = usize::from(matches!(event, Event::SequenceStart(..) | Event::MappingStart(..)));
            while open > 0 {
                match events.next() {
                    Some((Event::SequenceStart(..) | Event::MappingStart(..), _)) => open += 1,
                    Some((Event::SequenceEnd | Event::MappingEnd, _)) => open -= 1,
                    Some(_) => {}
                    None => return,
                }
            }
            return;
        }
        let mark = mark(&span);
        match event {
            Event::Scalar(value, ..) => {
                let width = value.lines().next().map_or(1, |l| l.chars().count()).max(1);
                self.values.insert(path, (mark, width));
            }
            Event::SequenceStart(..) => {
                self.values.insert(path.clone(), (mark, 1));
                let mut index = 0;
                while let Some((next, _)) = events.peek() {
                    if matches!(next, Event::SequenceEnd) {
                        events.next();
                        break;
                    }
                    self.node(events, format!("{path}[{index}]"), depth + 1);
                    index += 1;
                }
            }
            Event::MappingStart(..) => {
                self.values.insert(path.clone(), (mark, 1));
                while let Some((next, _)) = events.peek() {
                    if matches!(next, Event::MappingEnd) {
                        events.next();
                        break;
                    }
                    let key = match events.peek() {
                        Some((Event::Scalar(..), _)) => match events.next() {
                            Some((Event::Scalar(key, ..), span)) => (key.into_owned(), span),
                            _ => return,
                        },
                        // A complex key (a mapping or sequence as a key): read past it.
                        Some(_) => {
                            self.node(events, format!("{path}.?"), depth + 1);
                            (String::from("?"), Span::default())
                        }
                        None => return,
                    };
                    let (key, key_span) = key;
                    let child = if path.is_empty() { key } else { format!("{path}.{key}") };
                    let key_mark = self::mark(&key_span);
                    if self.keys.contains_key(&child) {
                        self.duplicates.push((child.clone(), key_mark));
                    } else {
                        self.keys.insert(child.clone(), key_mark);
                    }
                    self.node(events, child, depth + 1);
                }
            }
            _ => {
                self.values.insert(path, (mark, 1));
            }
        }
    }
}

fn mark(span: &Span) -> Mark {
    (span.start.line(), span.start.col() + 1)
}

#[cfg(test)]
mod tests {
    use super::Positions;

    #[test]
    fn a_document_that_does_not_parse_gives_what_came_before_the_error() {
        // The event parser repeats its error for ever once it has failed; reading must stop there.
        for yaml in [
            "a: 1\n<script>alert(1)</script>\n",
            "a: 1\nb: \"unclosed\n",
            "a: 1\n- b\n",
            "a: [1, 2\n",
            "a: 1\n\tb: 2\n",
            "a: {\n",
        ] {
            let positions = Positions::of(yaml);
            assert_eq!(positions.key("a"), Some((1, 1)), "{yaml:?}");
        }
    }
}
