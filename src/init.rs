//! `workbook init`: a new project with settings, an answer file per question, and CI workflows.

use crate::framework::{Framework, Prompt, Question};
use std::path::{Path, PathBuf};

/// The framework a new project answers.
pub const DEFAULT_FRAMEWORK: &str = "dfe-csc-2024";

/// Where `init` writes the JSON Schema of `workbook.yaml`, which editors use to check and complete it.
pub const SETTINGS_SCHEMA: &str = "schemas/workbook.schema.json";
/// Where `init` writes the JSON Schema of answer front matter.
pub const ANSWER_SCHEMA: &str = "schemas/answer.schema.json";
/// Where `init` writes the JSON Schema of page front matter (`pages/*.md`).
pub const PAGE_SCHEMA: &str = "schemas/page.schema.json";

fn schema_text(schema: serde_json::Value) -> String {
    let mut text = serde_json::to_string_pretty(&schema).expect("schemas serialize");
    text.push('\n');
    text
}

/// What `init` was asked to make.
#[derive(Debug, Clone)]
pub struct InitOptions {
    /// The organisation's name.
    pub organisation: String,
    /// The tool's name.
    pub tool: String,
}

/// Why `init` refused.
#[derive(Debug)]
pub enum InitError {
    /// The folder exists and holds files.
    NotEmpty(PathBuf),
    /// The path exists and is not a folder.
    NotAFolder(PathBuf),
    /// Writing failed.
    Io(PathBuf, std::io::Error),
}

impl std::fmt::Display for InitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InitError::NotEmpty(p) => write!(
                f,
                "`{}` is not empty; init makes a new workbook in an empty or new folder",
                p.display()
            ),
            InitError::NotAFolder(p) => write!(f, "`{}` exists and is not a folder", p.display()),
            InitError::Io(p, e) => write!(f, "cannot write `{}`: {e}", p.display()),
        }
    }
}

impl std::error::Error for InitError {}

/// Every file of a new project, as (path relative to the project, contents), in order.
pub fn files(framework: &Framework, options: &InitOptions) -> Vec<(PathBuf, String)> {
    let mut files = vec![
        (PathBuf::from("workbook.yaml"), settings(framework, options)),
        (
            PathBuf::from(".gitignore"),
            "# The sites that `workbook build` writes: the public one, and the internal one for reviewers.\n\
             /public/\n/internal-site/\n"
                .to_owned(),
        ),
        (PathBuf::from(".github/workflows/workbook.yml"), ci_file(include_str!("init/github-workflow.yml"))),
        (PathBuf::from(".gitlab-ci.yml"), ci_file(include_str!("init/gitlab-ci.yml"))),
        (PathBuf::from("evidence/.gitkeep"), String::new()),
        (PathBuf::from(SETTINGS_SCHEMA), schema_text(crate::export::schema::settings())),
        (PathBuf::from(ANSWER_SCHEMA), schema_text(crate::export::schema::answer())),
        (PathBuf::from(PAGE_SCHEMA), schema_text(crate::export::schema::page())),
    ];
    for question in &framework.questions {
        files.push((Path::new("answers").join(question.file_name()), answer_template(framework, question)));
    }
    files.push((Path::new(crate::load::PAGES_DIR).join("easy-read.md"), easy_read_page(options)));
    files
}

/// The easy-read page: "About this tool" for children and families, internal until the team has
/// made it its own. The names go into the Markdown body, not the YAML, so need no quoting.
fn easy_read_page(options: &InitOptions) -> String {
    include_str!("init/easy-read.md")
        .replace("{organisation}", options.organisation.trim())
        .replace("{tool}", options.tool.trim())
}

/// Makes a new project in `dir`, which must not exist or be empty. Writes nothing when it refuses.
pub fn init(dir: &Path, options: &InitOptions) -> Result<Vec<PathBuf>, InitError> {
    if dir.exists() {
        if !dir.is_dir() {
            return Err(InitError::NotAFolder(dir.to_path_buf()));
        }
        let mut entries = std::fs::read_dir(dir).map_err(|e| InitError::Io(dir.to_path_buf(), e))?;
        if entries.next().is_some() {
            return Err(InitError::NotEmpty(dir.to_path_buf()));
        }
    }
    let framework = Framework::builtin(DEFAULT_FRAMEWORK).expect("the default framework is built in");
    let mut written = Vec::new();
    for (relative, contents) in files(&framework, options) {
        let path = dir.join(&relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| InitError::Io(parent.to_path_buf(), e))?;
        }
        std::fs::write(&path, contents).map_err(|e| InitError::Io(path.clone(), e))?;
        written.push(relative);
    }
    Ok(written)
}

/// A CI file, installing the version of workbook that wrote it.
fn ci_file(template: &str) -> String {
    template.replace("{version}", env!("CARGO_PKG_VERSION"))
}

fn settings(framework: &Framework, options: &InitOptions) -> String {
    include_str!("init/workbook.yaml")
        .replace("{framework}", &framework.id)
        .replace("{organisation}", &yaml_string(&options.organisation))
        .replace("{tool}", &yaml_string(&options.tool))
}

/// A string as a double-quoted YAML scalar.
fn yaml_string(s: &str) -> String {
    serde_json::to_string(s).expect("strings serialize")
}

/// An answer file with the question and its prompts as comments, and every prompt left empty.
pub fn answer_template(framework: &Framework, question: &Question) -> String {
    let phase = framework.phase(&question.phase).map_or(question.phase.as_str(), |p| p.title.as_str());
    let mut out = String::from("---\n");
    out += &format!("# Question {}: {} ({phase} phase)\n#\n", question.number, question.title);
    comment(&mut out, "", &question.text);
    for prompt in &question.prompts {
        prompt_comment(&mut out, prompt, 1);
    }
    if !question.guidance.is_empty() {
        out += "#\n# If you need help, refer to:\n";
        for g in &question.guidance {
            let line = match &g.note {
                Some(note) => format!("{} {note}", g.title),
                None => g.title.clone(),
            };
            comment(&mut out, "  - ", &line);
        }
    }
    out +=
        "#\n# Answer each prompt in Markdown (use `|` and an indented block for several lines), then set\n";
    out += "# the status. An empty prompt counts as unanswered. `workbook questions` lists every prompt.\n";
    out += &format!("question: {}\n", question.number);
    out += "status: not-started   # not-started | draft | in-review | complete\n";
    out += "visibility: public    # public | internal (internal answers are never published)\n";
    out += "# withheld_reason: \"\"  # for an internal answer, or list item: why, in words the public may read\n";
    out += "owner: \"\"             # a role, such as \"Head of Data and Insight\"\n";
    out += "last_reviewed:        # YYYY-MM-DD\n";
    out += "next_review:          # YYYY-MM-DD\n";
    out += "summary: \"\"           # one or two plain-English sentences for the public\n";
    if question.prompts.is_empty() {
        out += "prompts: {}           # this question has no prompts: write the answer below the `---`\n";
    } else {
        out += "prompts:\n";
        for prompt in question.all_prompts() {
            out += &format!("  {}: \"\"\n", prompt.id);
        }
    }
    out += "---\n";
    out
}

fn prompt_comment(out: &mut String, prompt: &Prompt, depth: usize) {
    if let Some(lead) = &prompt.lead {
        comment(out, "", lead);
    }
    let indent = "  ".repeat(depth);
    comment(out, &format!("{indent}- [{}] ", prompt.id), &prompt.text);
    for child in &prompt.prompts {
        prompt_comment(out, child, depth + 1);
    }
}

/// Appends `text` as YAML comment lines, wrapped at 100 columns, the first line after `lead`.
fn comment(out: &mut String, lead: &str, text: &str) {
    let hang = " ".repeat(lead.chars().count());
    let mut line = format!("# {lead}");
    let mut empty = true;
    for word in text.split_whitespace() {
        if !empty && line.chars().count() + 1 + word.chars().count() > 100 {
            out.push_str(line.trim_end());
            out.push('\n');
            line = format!("# {hang}");
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        line.push_str(word);
        empty = false;
    }
    out.push_str(line.trim_end());
    out.push('\n');
}
