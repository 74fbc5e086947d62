//! Completion: keys from the schema for the mapping at the cursor, the prompt ids the answer has not
//! answered yet, enum values (status, visibility, kinds, decisions…), question numbers, and evidence
//! file paths under `evidence/`.

use super::document::{self, Segment, parent_path, sibling_keys, yaml_line};
use super::hover::question_number;
use super::schema::{Kind, Schemas};
use super::yaml::yaml_lines;
use crate::framework::Framework;
use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionTextEdit, Documentation, MarkupContent, MarkupKind,
    Position, Range, TextEdit,
};

/// What completion needs besides the document.
pub struct Context<'a> {
    /// The framework the project answers.
    pub framework: &'a Framework,
    /// The schemas of the files.
    pub schemas: &'a Schemas,
    /// The project's files under `evidence/`, by path in the project.
    pub evidence: &'a [String],
    /// The document's path in the project.
    pub relative: &'a str,
}

/// The completions at `line` (from 0) and UTF-16 `character` of `text`.
pub fn complete(
    text: &str,
    kind: Kind,
    line: usize,
    character: u32,
    context: &Context,
) -> Vec<CompletionItem> {
    let lines: Vec<&str> = text.split('\n').map(|l| l.trim_end_matches('\r')).collect();
    let Some(range) = yaml_lines(&lines, kind) else { return Vec::new() };
    if !range.contains(&line) {
        return Vec::new();
    }
    let yaml = &lines[range.start..];
    let at = line - range.start;
    let line_text = lines[line];
    let column = document::char_column(line_text, character);
    let before: String = line_text.chars().take(column).collect();
    let line_number = u32::try_from(line).unwrap_or(u32::MAX);
    let replace_from = |start: usize| {
        Range::new(
            Position::new(line_number, document::utf16_column(line_text, start)),
            Position::new(line_number, character.min(document::utf16_column(line_text, usize::MAX))),
        )
    };
    let read = yaml_line(&before);
    match read {
        // Typing a key: nothing after the word but the cursor.
        Some(read)
            if read.key.is_none()
                && before[before.len() - before.trim_start_matches(' ').len()..]
                    .chars()
                    .all(is_key_char_or_dash) =>
        {
            let parent = parent_path(yaml, at, read.start, read.dash);
            let written = sibling_keys(yaml, at, read.start, read.dash);
            keys(text, kind, &parent, &written, replace_from(read.start), context)
        }
        // An empty line, or only indentation: keys too.
        None => {
            let indent = before.chars().count();
            let parent = parent_path(yaml, at, indent, None);
            let written = sibling_keys(yaml, at, indent, None);
            keys(text, kind, &parent, &written, replace_from(indent), context)
        }
        // Typing a value.
        Some(read) => {
            let (Some(key), Some(value_start)) = (read.key.clone(), read.value_start) else {
                return Vec::new();
            };
            let mut path = parent_path(yaml, at, read.start, read.dash);
            path.push(Segment::Key(key.clone()));
            let range = replace_from(value_start.min(column));
            if key == "file" {
                return context
                    .evidence
                    .iter()
                    .map(|path| item_of(path, path.clone(), CompletionItemKind::FILE, None, range))
                    .collect();
            }
            if kind == Kind::Answer && path == [Segment::Key(String::from("question"))] {
                return context
                    .framework
                    .questions
                    .iter()
                    .map(|q| {
                        let number = q.number.to_string();
                        let mut it = item_of(
                            &number,
                            number.clone(),
                            CompletionItemKind::VALUE,
                            Some(q.text.clone()),
                            range,
                        );
                        it.detail = Some(q.title.clone());
                        it
                    })
                    .collect();
            }
            context
                .schemas
                .values(kind, &path)
                .into_iter()
                .map(|(value, text)| {
                    item_of(&value, value.clone(), CompletionItemKind::ENUM_MEMBER, text, range)
                })
                .collect()
        }
    }
}

/// The keys that may be written in the mapping at `parent` and are not yet: the unanswered prompts
/// under an answer's `prompts`, the unrecorded checklist items under `checklist` in `workbook.yaml`,
/// and elsewhere the schema's keys.
fn keys(
    text: &str,
    kind: Kind,
    parent: &[Segment],
    written: &[String],
    range: Range,
    context: &Context,
) -> Vec<CompletionItem> {
    let under = |key: &str| matches!(parent, [Segment::Key(k)] if k == key);
    if kind == Kind::Answer && under("prompts") {
        return unanswered_prompts(text, context, written, range);
    }
    if kind == Kind::Settings && under("checklist") {
        return context
            .framework
            .phases
            .iter()
            .flat_map(|phase| phase.checklist.iter().map(move |item| (phase, item)))
            .filter(|(_, item)| !written.contains(&item.id))
            .map(|(phase, item)| {
                let mut it = item_of(
                    &item.id,
                    format!("{}:\n", item.id),
                    CompletionItemKind::FIELD,
                    Some(item.text.clone()),
                    range,
                );
                it.detail = Some(format!("{} phase checklist", phase.title));
                it
            })
            .collect();
    }
    context
        .schemas
        .keys(kind, parent)
        .into_iter()
        .filter(|(key, _)| !written.contains(key))
        .map(|(key, text)| item_of(&key, format!("{key}: "), CompletionItemKind::PROPERTY, text, range))
        .collect()
}

fn is_key_char_or_dash(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ' ')
}

/// The prompts of the answer's question that the file does not answer yet.
fn unanswered_prompts(
    text: &str,
    context: &Context,
    written: &[String],
    range: Range,
) -> Vec<CompletionItem> {
    let Some(question) = question_number(text, context.relative).and_then(|n| context.framework.question(n))
    else {
        return Vec::new();
    };
    question
        .all_prompts()
        .filter(|p| !written.contains(&p.id))
        .map(|p| {
            let mut it =
                item_of(&p.id, format!("{}: ", p.id), CompletionItemKind::FIELD, Some(p.text.clone()), range);
            it.detail = Some(format!("Question {}: {}", question.number, question.title));
            it
        })
        .collect()
}

fn item_of(
    label: &str,
    insert: String,
    kind: CompletionItemKind,
    text: Option<String>,
    range: Range,
) -> CompletionItem {
    CompletionItem {
        label: label.to_owned(),
        kind: Some(kind),
        documentation: text
            .map(|value| Documentation::MarkupContent(MarkupContent { kind: MarkupKind::Markdown, value })),
        text_edit: Some(CompletionTextEdit::Edit(TextEdit { range, new_text: insert })),
        ..CompletionItem::default()
    }
}

#[cfg(test)]
mod tests {
    use super::{Context, complete};
    use crate::framework::Framework;
    use crate::lsp::schema::{Kind, Schemas};

    fn labels(text: &str, kind: Kind, line: usize, character: u32) -> Vec<String> {
        let framework = Framework::builtin("dfe-csc-2024").unwrap_or_else(|| unreachable!());
        let schemas = Schemas::default();
        let evidence = vec![String::from("evidence/dpia.txt")];
        let context = Context {
            framework: &framework,
            schemas: &schemas,
            evidence: &evidence,
            relative: "workbook.yaml",
        };
        complete(text, kind, line, character, &context).into_iter().map(|i| i.label).collect()
    }

    #[test]
    fn workbook_yaml_completes_its_keys_nested_keys_and_enum_values() {
        let text = "framework: dfe-csc-2024\ntool:\n  name: T\n  phase: \n  \ndecisions:\n  - decision: \n";
        let top = labels("framework: dfe-csc-2024\nto\n", Kind::Settings, 1, 2);
        assert!(top.contains(&"tool".to_owned()) && !top.contains(&"framework".to_owned()), "{top:?}");
        let in_tool = labels(text, Kind::Settings, 4, 2);
        assert!(
            in_tool.contains(&"summary".to_owned()) && !in_tool.contains(&"name".to_owned()),
            "{in_tool:?}"
        );
        let phases = labels(text, Kind::Settings, 3, 9);
        assert!(phases.contains(&"explore".to_owned()), "{phases:?}");
        let decisions = labels(text, Kind::Settings, 6, 14);
        assert!(!decisions.is_empty(), "decision kinds: {decisions:?}");
    }

    #[test]
    fn the_question_number_completes_with_the_framework_questions() {
        let numbers = labels("---\nquestion: \n---\n", Kind::Answer, 1, 10);
        assert_eq!(numbers.len(), 13, "{numbers:?}");
        assert!(labels("---\nquestion: 1\n---\nbody", Kind::Answer, 3, 2).is_empty(), "the body is not YAML");
    }

    #[test]
    fn the_checklist_completes_with_the_items_not_yet_recorded() {
        let text = "checklist:\n  explore-data-maturity:\n    status: done\n  ex\n";
        let items = labels(text, Kind::Settings, 3, 4);
        assert!(items.contains(&"explore-data-literacy".to_owned()), "{items:?}");
        assert!(!items.contains(&"explore-data-maturity".to_owned()), "{items:?}");
        let statuses = labels(text, Kind::Settings, 2, 12);
        assert!(statuses.contains(&"done".to_owned()), "{statuses:?}");
    }
}
