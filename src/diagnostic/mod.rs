//! Diagnostics: what `check` finds, with where it found it.
//!
//! There is one [`Diagnostic`] type, and one printer per output format ([`human`], [`json`], [`github`],
//! [`gitlab`], [`markdown`]),
//! so the checks never know how their findings are shown.

pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod markdown;

use serde::Serialize;
use std::path::Path;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The project cannot be published until it is fixed.
    Error,
    /// Worth fixing; fails the check only with `--strict`.
    Warning,
    /// Worth knowing; never fails the check, unless `lints` raise it.
    Info,
}

macro_rules! codes {
    ($($variant:ident = $code:literal $name:literal $severity:ident, $doc:literal;)*) => {
        /// Every kind of diagnostic, each with a stable code and name.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $(#[doc = $doc] $variant,)*
        }

        impl Code {
            /// Every code, in order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The stable code, such as `E002`.
            pub fn code(self) -> &'static str {
                match self { $(Code::$variant => $code,)* }
            }

            /// The stable name, such as `unknown-key`.
            pub fn name(self) -> &'static str {
                match self { $(Code::$variant => $name,)* }
            }

            /// How serious it is.
            pub fn severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$severity,)* }
            }

            /// One line on what it means.
            pub fn description(self) -> &'static str {
                match self { $(Code::$variant => $doc,)* }
            }
        }
    };
}

codes! {
    YamlSyntax = "E001" "yaml-syntax" Error, "The YAML cannot be parsed.";
    UnknownKey = "E002" "unknown-key" Error, "A key that the format does not have.";
    WrongType = "E003" "wrong-type" Error, "A value of the wrong type, or not one of the allowed values.";
    InvalidDate = "E004" "invalid-date" Error, "A date that is not a real date in YYYY-MM-DD form.";
    UnknownQuestion = "E005" "unknown-question" Error, "A question number that the framework does not have.";
    DuplicateQuestion = "E006" "duplicate-question" Error, "Two files answer the same question.";
    UnknownPrompt = "E007" "unknown-prompt" Error, "A prompt id that the question does not have.";
    MissingSettings = "E008" "missing-settings" Error, "The project has no workbook.yaml.";
    UnknownFramework = "E009" "unknown-framework" Error, "workbook.yaml names a framework that does not exist.";
    CompleteWithUnanswered = "E010" "complete-with-unanswered" Error, "An answer marked complete leaves prompts unanswered.";
    EvidenceMissing = "E011" "evidence-missing" Error, "An evidence file that does not exist.";
    OutsideProject = "E012" "outside-project" Error, "A path that leads outside the project folder.";
    UnclosedInternal = "E013" "unclosed-internal" Error, "A `::: internal` passage with no closing `:::`.";
    NotUtf8 = "E014" "not-utf8" Error, "A file that is not UTF-8 text.";
    MissingFrontMatter = "E015" "missing-front-matter" Error, "An answer file that does not start with `---` front matter.";
    UnclosedFrontMatter = "E016" "unclosed-front-matter" Error, "Front matter with no closing `---` line.";
    MissingKey = "E017" "missing-key" Error, "A key that must be present is missing.";
    Unreadable = "E018" "unreadable" Error, "A file that cannot be read, or is not a file.";
    FileTooLarge = "E019" "file-too-large" Error, "A file larger than the limit for its kind.";
    UnknownBlock = "E020" "unknown-block" Error, "A `:::` line that is not `::: internal`, its close, or the one placement of a block such as `::: figures`.";
    MissingQuestion = "W001" "missing-question" Warning, "A question of the framework with no answer file.";
    UnansweredPrompts = "W002" "unanswered-prompts" Warning, "An answer that leaves prompts unanswered.";
    ReviewDateMissing = "W003" "review-date-missing" Warning, "An answer with no next_review date.";
    OverdueReview = "W004" "overdue-review" Warning, "An answer whose next_review date has passed.";
    PersonalEmail = "W005" "personal-data-email" Warning, "An email address in public text that is not the project's contact or one of `check.public_contacts`.";
    PersonalPhone = "W006" "personal-data-phone" Warning, "A UK mobile or geographic phone number in public text that is not the project's or one of `check.public_contacts`.";
    PersonalNhsNumber = "W007" "personal-data-nhs-number" Warning, "An NHS number (passes the modulus 11 check) in public text.";
    PersonalNiNumber = "W008" "personal-data-ni-number" Warning, "A National Insurance number in public text.";
    PersonalUpn = "W009" "personal-data-upn" Warning, "A Unique Pupil Number (valid check letter) in public text.";
    FileNameMismatch = "W010" "file-name-mismatch" Warning, "A file name whose number is not the question it answers.";
    StrayFile = "W011" "stray-file" Warning, "A file in answers/ that is not an answer (.md) file.";
    ShallowHistory = "W012" "shallow-history" Warning, "The repository is a shallow clone, so the site's history is partial.";
    NoHistory = "W013" "no-history" Warning, "The project is not in a git repository, so the site has no history.";
    NoBaseUrl = "W014" "no-base-url" Warning, "No base URL is set, so the feed and sitemap use relative addresses.";
    PublicInformationMissing = "W015" "public-information-missing" Warning, "A setting the public site needs to tell readers something is empty: the tool's summary, the contact address or how to raise a concern.";
    BuildOutput = "E021" "build-output" Error, "The output folder cannot be written or would replace files the tool did not write.";
    Template = "E022" "template" Error, "A template of the theme or the project cannot be parsed or rendered.";
    UnsafeEvidence = "E023" "unsafe-evidence" Error, "An evidence file of a type or in a place the site cannot publish safely.";
    UnclosedComment = "E024" "unclosed-comment" Error, "An HTML comment `<!--` with no closing `-->`, which would hide or show the rest of the text.";
    PersonalDateOfBirth = "W016" "personal-data-date-of-birth" Warning, "A date of birth in public text: a date after \"born\", \"DOB\" or \"date of birth\", or in brackets after a name.";
    PersonalCaseId = "W017" "personal-data-case-id" Warning, "A case-system identifier in public text, such as `Mosaic ID 123456` or `case number 12345`.";
    UnknownChecklistItem = "E025" "unknown-checklist-item" Error, "A `checklist:` entry whose id is not an item of the framework's phase checklists.";
    ChecklistIncomplete = "W018" "checklist-incomplete" Warning, "The tool has moved past a phase whose checklist items are not recorded as done or not applicable.";
    SroLooksLikeAName = "W019" "sro-looks-like-a-name" Warning, "`tool.senior_responsible_owner` looks like a person's name rather than a role title.";
    RetiredWithoutDecommission = "W020" "retired-without-decommission" Warning, "The tool is retired, but `decisions:` records no decision to decommission it.";
    SmallNumber = "W021" "small-number" Warning, "A public figure based on fewer people than `check.small_numbers` (default 10), which is not suppressed.";
    InconsistentFigure = "W022" "inconsistent-figure" Warning, "A figure that contradicts itself: its value outside its own interval, or a reason for withholding it when it is not withheld.";
    CompleteWithoutSignoff = "W023" "complete-without-signoff" Warning, "An answer marked complete with no sign-off that approved it (`approved` or `approved-with-conditions`).";
    CompleteButNotApproved = "E026" "complete-but-not-approved" Error, "An answer marked complete whose latest sign-off requested changes or rejected it.";
    ChangedSinceSignoff = "W024" "changed-since-signoff" Warning, "An answer whose public content changed in git after its latest approving sign-off.";
    ReasonButPublished = "W025" "reason-but-published" Warning, "A `withheld_reason` on an answer or list item that is published: it is not withheld, so the reason is never shown.";
    HtmlShownAsText = "W026" "html-shown-as-text" Warning, "HTML in Markdown that the site shows as text: only <details>, <summary>, <br>, <sup>, <sub>, <abbr> and <kbd> are published as HTML.";
    BrokenLink = "E027" "broken-link" Error, "A local link or image in Markdown that leads to no answer and to no file the site publishes.";
    MissingHeading = "W027" "missing-heading" Warning, "A link to another answer's heading (`07-bias.md#testing`) that names no heading or prompt there.";
    AtrsNotReady = "I001" "atrs-not-ready" Info, "The public ATRS record (`workbook export --format atrs`) lacks a Tier 1 field or a required Tier 2 field.";
    PageName = "E028" "page-name" Error, "A page file in pages/ whose name the site cannot use: the name of one of the site's own pages, or not lowercase letters, digits and hyphens.";
    RecordJson = "E030" "record-json" Error, "A `workbook.json` that cannot be read back as a record: not JSON, not the record's shape, or a `schema_version` this version does not read.";
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.code(), self.name())
    }
}

/// Where in a file a diagnostic points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    /// The file, relative to the project, with `/` separators.
    pub file: String,
    /// Line, counted from 1 in the whole file.
    pub line: usize,
    /// Column, counted from 1 in characters.
    pub column: usize,
    /// How many characters the caret underlines (at least 1).
    #[serde(skip)]
    pub width: usize,
    /// The text of the line, for the snippet.
    #[serde(skip)]
    pub source_line: Option<String>,
}

/// One finding of `check`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// What kind of finding it is.
    #[serde(skip)]
    pub code: Code,
    /// What is wrong, in one sentence.
    pub message: String,
    /// Where, when the finding has a place.
    #[serde(flatten)]
    pub location: Option<Box<Location>>,
    /// What to do about it, where that helps.
    pub help: Option<String>,
    /// The severity the project's `lints` set, when it overrides the code's own.
    #[serde(skip)]
    pub level: Option<Severity>,
}

impl Diagnostic {
    /// A diagnostic with no place yet.
    pub fn new(code: Code, message: impl Into<String>) -> Diagnostic {
        Diagnostic { code, message: message.into(), location: None, help: None, level: None }
    }

    /// Points the diagnostic at a place.
    pub fn at(mut self, location: Location) -> Diagnostic {
        self.location = Some(Box::new(location));
        self
    }

    /// Points the diagnostic at a whole file, with no line.
    pub fn in_file(mut self, file: &Path) -> Diagnostic {
        self.location = Some(Box::new(Location {
            file: display_path(file),
            line: 0,
            column: 0,
            width: 0,
            source_line: None,
        }));
        self
    }

    /// Adds a line of help.
    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// How serious it is: the code's own severity, unless the project's `lints` changed it.
    pub fn severity(&self) -> Severity {
        self.level.unwrap_or(self.code.severity())
    }

    /// The key diagnostics are sorted by: file, line, column, code.
    fn sort_key(&self) -> (String, usize, usize, Code) {
        match &self.location {
            Some(l) => (l.file.clone(), l.line, l.column, self.code),
            None => (String::new(), 0, 0, self.code),
        }
    }
}

/// Sorts diagnostics into the order they are printed in: by file, then position, then code.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by_cached_key(Diagnostic::sort_key);
}

/// Counts errors and warnings (an info line is neither).
pub fn counts(diagnostics: &[Diagnostic]) -> (usize, usize) {
    let count = |severity| diagnostics.iter().filter(|d| d.severity() == severity).count();
    (count(Severity::Error), count(Severity::Warning))
}

/// A path as diagnostics print it: relative, with `/` between components on every platform.
pub fn display_path(path: &Path) -> String {
    path.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}
