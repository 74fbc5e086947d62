//! What the JSON Schema (generated from the types that parse the files, doc comments included) says
//! about the key at a YAML path: its description, its keys, its allowed values.

use super::document::Segment;
use serde_json::Value;

/// Which schema a document follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An answer file's front matter.
    Answer,
    /// `workbook.yaml`.
    Settings,
}

/// The two schemas, generated once.
pub struct Schemas {
    answer: Value,
    settings: Value,
}

impl Default for Schemas {
    fn default() -> Schemas {
        Schemas { answer: crate::export::schema::answer(), settings: crate::export::schema::settings() }
    }
}

impl Schemas {
    /// The schema node at `path` of a document of `kind`, with references followed.
    pub fn at(&self, kind: Kind, path: &[Segment]) -> Option<&Value> {
        let root = match kind {
            Kind::Answer => &self.answer,
            Kind::Settings => &self.settings,
        };
        let mut node = resolve(root, root);
        for segment in path {
            node = child(root, node, segment)?;
        }
        Some(node)
    }

    /// The description of the key at `path`: the property's own, or else its type's.
    pub fn description(&self, kind: Kind, path: &[Segment]) -> Option<String> {
        let (last, parent) = path.split_last()?;
        let Segment::Key(key) = last else { return None };
        let parent = self.at(kind, parent)?;
        let root = self.root(kind);
        let property = alternatives(root, parent).find_map(|n| n.get("properties")?.get(key))?;
        let text = property
            .get("description")
            .or_else(|| alternatives(root, property).find_map(|n| n.get("description")))?;
        text.as_str().map(str::to_owned)
    }

    /// The keys of the mapping at `path`, each with its description.
    pub fn keys(&self, kind: Kind, path: &[Segment]) -> Vec<(String, Option<String>)> {
        let Some(node) = self.at(kind, path) else { return Vec::new() };
        let root = self.root(kind);
        let mut keys = Vec::new();
        for alternative in alternatives(root, node) {
            let Some(properties) = alternative.get("properties").and_then(Value::as_object) else { continue };
            for (key, property) in properties {
                let text = property.get("description").and_then(Value::as_str).map(str::to_owned);
                if !keys.iter().any(|(k, _)| k == key) {
                    keys.push((key.clone(), text));
                }
            }
        }
        keys
    }

    /// The allowed values of the scalar at `path` (an enum), each with its description.
    pub fn values(&self, kind: Kind, path: &[Segment]) -> Vec<(String, Option<String>)> {
        let Some(node) = self.at(kind, path) else { return Vec::new() };
        let root = self.root(kind);
        let mut values = Vec::new();
        for alternative in alternatives(root, node) {
            if let Some(constant) = alternative.get("const").and_then(Value::as_str) {
                let text = alternative.get("description").and_then(Value::as_str).map(str::to_owned);
                values.push((constant.to_owned(), text));
            }
            for value in alternative.get("enum").and_then(Value::as_array).into_iter().flatten() {
                if let Some(value) = value.as_str() {
                    values.push((value.to_owned(), None));
                }
            }
            if alternative.get("type").and_then(Value::as_str) == Some("boolean") {
                values.extend([(String::from("true"), None), (String::from("false"), None)]);
            }
        }
        values.dedup_by(|a, b| a.0 == b.0);
        values
    }

    fn root(&self, kind: Kind) -> &Value {
        match kind {
            Kind::Answer => &self.answer,
            Kind::Settings => &self.settings,
        }
    }
}

/// How deep references are followed: the schemas are not recursive, and this keeps a mistake finite.
const MAX_REFERENCES: usize = 16;

/// `node` with its `$ref` followed.
fn resolve<'a>(root: &'a Value, node: &'a Value) -> &'a Value {
    let mut node = node;
    for _ in 0..MAX_REFERENCES {
        let Some(reference) = node.get("$ref").and_then(Value::as_str) else { break };
        let Some(found) = reference.strip_prefix('#').and_then(|pointer| root.pointer(pointer)) else {
            break;
        };
        node = found;
    }
    node
}

/// `node` and every schema it combines (`allOf`, `anyOf`, `oneOf`), references followed, depth first.
fn alternatives<'a>(root: &'a Value, node: &'a Value) -> impl Iterator<Item = &'a Value> + 'a {
    let mut stack = vec![(resolve(root, node), 0)];
    std::iter::from_fn(move || {
        let (node, depth) = stack.pop()?;
        if depth < MAX_REFERENCES {
            for combinator in ["oneOf", "anyOf", "allOf"] {
                for inner in node.get(combinator).and_then(Value::as_array).into_iter().flatten().rev() {
                    stack.push((resolve(root, inner), depth + 1));
                }
            }
        }
        Some(node)
    })
}

/// The schema of one step down from `node`.
fn child<'a>(root: &'a Value, node: &'a Value, segment: &Segment) -> Option<&'a Value> {
    alternatives(root, node).find_map(|n| {
        let found = match segment {
            Segment::Key(key) => n
                .get("properties")
                .and_then(|p| p.get(key))
                .or_else(|| n.get("additionalProperties").filter(|a| a.is_object())),
            Segment::Item => n.get("items"),
        }?;
        Some(resolve(root, found))
    })
}

#[cfg(test)]
mod tests {
    use super::{Kind, Schemas};
    use crate::lsp::document::Segment;

    #[test]
    fn the_schema_answers_for_keys_values_and_descriptions() {
        let schemas = Schemas::default();
        let key = |k: &str| Segment::Key(k.to_owned());
        let owner = schemas.description(Kind::Answer, &[key("owner")]).unwrap_or_default();
        assert!(owner.contains("Who is responsible"), "{owner}");
        let kinds: Vec<String> = schemas
            .values(Kind::Answer, &[key("evidence"), Segment::Item, key("kind")])
            .into_iter()
            .map(|v| v.0)
            .collect();
        assert!(kinds.contains(&"dpia".to_owned()), "{kinds:?}");
        let keys: Vec<String> =
            schemas.keys(Kind::Answer, &[key("risks"), Segment::Item]).into_iter().map(|v| v.0).collect();
        assert!(keys.contains(&"likelihood".to_owned()) || keys.contains(&"title".to_owned()), "{keys:?}");
        let settings: Vec<String> = schemas.keys(Kind::Settings, &[]).into_iter().map(|v| v.0).collect();
        assert!(settings.contains(&"framework".to_owned()), "{settings:?}");
    }
}
