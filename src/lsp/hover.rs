//! Hover: on a prompt id, the prompt and its question; on `question: N`, the question; on a key,
//! what it means (the schema's description, from the doc comments of the types that parse it).

use super::document::Segment;
use super::schema::{Kind, Schemas};
use super::yaml::{Cursor, On};
use crate::framework::{Framework, Question};

/// The Markdown to show for the cursor, or `None` where there is nothing to say.
pub fn hover(cursor: &Cursor, framework: &Framework, schemas: &Schemas) -> Option<String> {
    match (cursor.kind, cursor.path.as_slice(), &cursor.on) {
        (Kind::Answer, [Segment::Key(prompts), Segment::Key(id)], On::Key) if prompts == "prompts" => {
            Some(match framework.question_of_prompt(id) {
                Some(question) => {
                    let prompt = question.prompt(id).map_or("", |p| p.text.as_str());
                    format!("**`{id}`**: {prompt}\n\n{}", question_text(question))
                }
                None => {
                    format!("`{id}` is not a prompt of {}; `workbook questions` lists them.", framework.id)
                }
            })
        }
        (Kind::Settings, [Segment::Key(checklist), Segment::Key(id)], On::Key)
            if checklist == "checklist" =>
        {
            let found = framework.phases.iter().find_map(|phase| {
                phase.checklist.iter().find(|item| &item.id == id).map(|item| (phase, item))
            });
            Some(match found {
                Some((phase, item)) => {
                    format!("**`{id}`**: {}\n\n{} phase: {}", item.text, phase.title, phase.checklist_lead)
                }
                None => format!("`{id}` is not an item of the phase checklists of {}.", framework.id),
            })
        }
        (Kind::Answer, [Segment::Key(key)], On::Value(value)) if key == "question" => {
            let number: u32 = value.trim().parse().ok()?;
            Some(match framework.question(number) {
                Some(question) => question_text(question),
                None => format!("There is no question {number} in {}.", framework.id),
            })
        }
        (kind, path, On::Value(value)) => {
            let described = schemas.values(kind, path).into_iter().find(|(v, _)| v == value.trim());
            match described {
                Some((value, Some(text))) => Some(format!("**`{value}`**: {text}")),
                _ => key_text(schemas, kind, path),
            }
        }
        (kind, path, On::Key) => key_text(schemas, kind, path),
    }
}

fn key_text(schemas: &Schemas, kind: Kind, path: &[Segment]) -> Option<String> {
    let Some(Segment::Key(key)) = path.last() else { return None };
    let text = schemas.description(kind, path)?;
    Some(format!("**`{key}`**: {text}"))
}

/// A question as the framework words it, with its prompts.
fn question_text(question: &Question) -> String {
    let mut out = format!("**Question {}: {}**\n\n{}\n", question.number, question.title, question.text);
    for prompt in question.all_prompts() {
        out.push_str(&format!("\n- `{}`: {}", prompt.id, prompt.text));
    }
    out
}

/// The question number an answer's text names in `question:`, or else its file name's number.
pub fn question_number(text: &str, relative: &str) -> Option<u32> {
    let written = text.lines().find_map(|line| line.strip_prefix("question:")?.trim().parse().ok());
    written.or_else(|| {
        let name = relative.rsplit('/').next()?;
        name.split(|c: char| !c.is_ascii_digit()).next()?.parse().ok()
    })
}

#[cfg(test)]
mod tests {
    use super::hover;
    use crate::lsp::schema::Kind;

    #[test]
    fn hover_names_a_checklist_item_in_the_framework_words() {
        let framework =
            crate::framework::Framework::builtin("dfe-csc-2024").unwrap_or_else(|| unreachable!());
        let schemas = crate::lsp::schema::Schemas::default();
        let text = "checklist:\n  explore-data-maturity:\n    status: done\n";
        let cursor =
            crate::lsp::yaml::at(text, Kind::Settings, 1, 4).unwrap_or_else(|| unreachable!("on the key"));
        let shown = hover(&cursor, &framework, &schemas).unwrap_or_default();
        assert!(shown.contains("Explore phase") || shown.contains("Explore"), "{shown}");
        assert!(shown.contains("data maturity"), "{shown}");
    }
}
