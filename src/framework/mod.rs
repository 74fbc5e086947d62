//! The frameworks a workbook can answer: the questions, their prompts, the phases and their checklists.
//!
//! A framework is data, not code: each is one YAML file embedded in the binary. Adding a framework, or a
//! new version of one, means adding a file and a line to [`BUILTIN`].

pub mod catalogue;

use serde::{Deserialize, Serialize};

/// Every framework built into the binary, by id, with its YAML source.
pub const BUILTIN: &[(&str, &str)] = &[("dfe-csc-2024", include_str!("dfe-csc-2024.yaml"))];

/// A set of questions that a workbook answers, grouped into phases.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Framework {
    /// Stable id, named by a project's `workbook.yaml`.
    pub id: String,
    /// The framework's title.
    pub title: String,
    /// Its subtitle.
    pub subtitle: String,
    /// Who published it.
    pub publisher: String,
    /// When it was published, as the publisher writes it.
    pub published: String,
    /// Where the original can be read.
    pub source_url: String,
    /// The licence under which the text is reused.
    pub licence: Licence,
    /// What the framework is for, in its own words.
    pub summary: String,
    /// The phases, in order.
    pub phases: Vec<Phase>,
    /// The questions, in order.
    pub questions: Vec<Question>,
}

/// The licence of a framework's text.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Licence {
    /// The licence's name.
    pub name: String,
    /// Where to read it.
    pub url: String,
    /// The attribution statement to print wherever the text is shown.
    pub attribution: String,
}

/// A phase of the development lifecycle.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Phase {
    /// Stable id: `explore`, `develop`, `implement`.
    pub id: String,
    /// The phase's title.
    pub title: String,
    /// The stages of the guidance that the phase covers.
    pub stages: Vec<Stage>,
    /// What the phase covers, in the framework's words.
    pub description: String,
    /// The sentence before the checklist.
    pub checklist_lead: String,
    /// What a team should have done in this phase.
    pub checklist: Vec<ChecklistItem>,
    /// A sentence after the checklist, where the framework has one.
    #[serde(default)]
    pub checklist_after: Option<String>,
}

/// One stage of the guidance for developing data analytics tools.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Stage {
    /// Its number, 1 to 10.
    pub number: u32,
    /// Its name.
    pub name: String,
}

/// One thing a team should have done in a phase.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ChecklistItem {
    /// Stable id.
    pub id: String,
    /// The item, in the framework's words.
    pub text: String,
}

/// One question of the framework.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// Its number, as printed.
    pub number: u32,
    /// Stable slug, used in file names and URLs.
    pub slug: String,
    /// Id of the phase it belongs to.
    pub phase: String,
    /// A short title for navigation.
    pub title: String,
    /// The question, in the framework's words.
    pub text: String,
    /// The prompts under the question.
    #[serde(default)]
    pub prompts: Vec<Prompt>,
    /// Where to find help.
    #[serde(default)]
    pub guidance: Vec<Guidance>,
}

/// One prompt of a question (a bullet of the workbook).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Prompt {
    /// Stable id; answers are keyed by it.
    pub id: String,
    /// The prompt, in the framework's words.
    pub text: String,
    /// A sentence printed before this prompt that starts a new list.
    #[serde(default)]
    pub lead: Option<String>,
    /// Whether the prompt is printed as a bullet or as a sentence of its own.
    #[serde(default)]
    pub form: PromptForm,
    /// Nested prompts.
    #[serde(default)]
    pub prompts: Vec<Prompt>,
}

/// How a prompt is printed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum PromptForm {
    /// A bullet of a list.
    #[default]
    Bullet,
    /// A sentence of its own.
    Paragraph,
}

/// A pointer to guidance ("If you need help, refer to…").
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Guidance {
    /// The guidance's title, as the framework names it.
    pub title: String,
    /// What it helps with.
    #[serde(default)]
    pub note: Option<String>,
}

impl Framework {
    /// Loads a built-in framework by id; `None` when there is no such framework.
    ///
    /// ```
    /// let framework = workbook::framework::Framework::builtin("dfe-csc-2024").unwrap();
    /// assert_eq!(framework.questions.len(), 13);
    /// ```
    pub fn builtin(id: &str) -> Option<Framework> {
        let (_, source) = BUILTIN.iter().find(|(known, _)| *known == id)?;
        // The embedded files are tested (tests/framework.rs), so a parse failure is a bug in the binary.
        Some(serde_yaml::from_str(source).expect("built-in framework is valid"))
    }

    /// Ids of every built-in framework.
    pub fn builtin_ids() -> impl Iterator<Item = &'static str> {
        BUILTIN.iter().map(|(id, _)| *id)
    }

    /// The question with this number.
    pub fn question(&self, number: u32) -> Option<&Question> {
        self.questions.iter().find(|q| q.number == number)
    }

    /// The phase with this id.
    pub fn phase(&self, id: &str) -> Option<&Phase> {
        self.phases.iter().find(|p| p.id == id)
    }

    /// The questions of one phase, in order.
    pub fn questions_in<'a>(&'a self, phase: &'a str) -> impl Iterator<Item = &'a Question> + 'a {
        self.questions.iter().filter(move |q| q.phase == phase)
    }

    /// The question a prompt id belongs to, if any.
    pub fn question_of_prompt(&self, prompt_id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.all_prompts().any(|p| p.id == prompt_id))
    }
}

impl Question {
    /// Every prompt of the question, nested ones after their parent, in order.
    pub fn all_prompts(&self) -> impl Iterator<Item = &Prompt> {
        let mut stack: Vec<&Prompt> = self.prompts.iter().rev().collect();
        std::iter::from_fn(move || {
            let prompt = stack.pop()?;
            stack.extend(prompt.prompts.iter().rev());
            Some(prompt)
        })
    }

    /// The prompt with this id, at any depth.
    pub fn prompt(&self, id: &str) -> Option<&Prompt> {
        self.all_prompts().find(|p| p.id == id)
    }

    /// The file name `init` gives this question's answer, such as `01-describe-the-tool.md`.
    pub fn file_name(&self) -> String {
        format!("{:02}-{}.md", self.number, self.slug)
    }
}
