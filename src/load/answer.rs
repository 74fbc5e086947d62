//! The front matter of an answer file: what one question's answer says, as data.

use jiff::civil::Date;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The YAML front matter of one `answers/*.md` file.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    /// The number of the question this file answers.
    pub question: u32,
    /// How far the answer has got.
    pub status: Status,
    /// Whether the whole answer may be published.
    #[serde(default)]
    pub visibility: Visibility,
    /// Who is responsible for the answer (a role is better than a person's name).
    #[serde(default)]
    pub owner: Option<String>,
    /// When the answer was last reviewed.
    #[serde(default)]
    #[schemars(with = "Option<String>", extend("format" = "date"))]
    pub last_reviewed: Option<Date>,
    /// When the answer is next due for review.
    #[serde(default)]
    #[schemars(with = "Option<String>", extend("format" = "date"))]
    pub next_review: Option<Date>,
    /// A plain-English summary of the answer for the public.
    #[serde(default)]
    pub summary: String,
    /// Answers to the question's prompts, in Markdown, keyed by prompt id (see `workbook questions`).
    #[serde(default)]
    pub prompts: BTreeMap<String, String>,
    /// Documents that support the answer.
    #[serde(default)]
    pub evidence: Vec<Evidence>,
    /// Who was consulted, when, and what it changed.
    #[serde(default)]
    pub engagement: Vec<Engagement>,
    /// Risks and how they are mitigated.
    #[serde(default)]
    pub risks: Vec<Risk>,
    /// Datasets the tool uses.
    #[serde(default)]
    pub datasets: Vec<Dataset>,
    /// Measurements, by demographic group where it applies.
    #[serde(default)]
    pub metrics: Vec<Metric>,
    /// Who signed the answer off.
    #[serde(default)]
    pub signoffs: Vec<Signoff>,
}

/// How far an answer has got.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Nothing written yet.
    NotStarted,
    /// Being written.
    Draft,
    /// Written and with the oversight group.
    InReview,
    /// Every prompt answered and signed off.
    Complete,
}

impl Status {
    /// The status as written in front matter.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::NotStarted => "not-started",
            Status::Draft => "draft",
            Status::InReview => "in-review",
            Status::Complete => "complete",
        }
    }

    /// The status as a reader sees it.
    pub fn label(self) -> &'static str {
        match self {
            Status::NotStarted => "Not started",
            Status::Draft => "In progress",
            Status::InReview => "In review",
            Status::Complete => "Complete",
        }
    }
}

/// Who may read a thing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Visibility {
    /// Published on the public site.
    #[default]
    Public,
    /// Only in the internal build, for the oversight group.
    Internal,
}

impl Visibility {
    /// True for [`Visibility::Internal`].
    pub fn is_internal(self) -> bool {
        self == Visibility::Internal
    }
}

/// A document that supports an answer.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    /// The document's title.
    pub title: String,
    /// What kind of document it is.
    pub kind: EvidenceKind,
    /// A file in the project, relative to the project folder.
    #[serde(default)]
    pub file: Option<String>,
    /// A web address.
    #[serde(default)]
    pub url: Option<String>,
    /// One line on what the document shows.
    #[serde(default)]
    pub description: Option<String>,
    /// Whether this item may be published.
    #[serde(default)]
    pub visibility: Visibility,
}

/// Kinds of supporting document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum EvidenceKind {
    /// Data protection impact assessment.
    Dpia,
    /// Equality impact assessment (Public Sector Equality Duty).
    EqualityImpact,
    /// User or academic research.
    Research,
    /// A report, such as an evaluation.
    Report,
    /// A policy or procedure.
    Policy,
    /// Minutes of a meeting, such as the oversight group's.
    Minutes,
    /// Technical documentation, such as a model card.
    Technical,
    /// Anything else.
    Other,
}

impl EvidenceKind {
    /// The kind as a reader sees it.
    pub fn label(self) -> &'static str {
        match self {
            EvidenceKind::Dpia => "Data protection impact assessment",
            EvidenceKind::EqualityImpact => "Equality impact assessment",
            EvidenceKind::Research => "Research",
            EvidenceKind::Report => "Report",
            EvidenceKind::Policy => "Policy",
            EvidenceKind::Minutes => "Minutes",
            EvidenceKind::Technical => "Technical documentation",
            EvidenceKind::Other => "Other",
        }
    }
}

/// One engagement with users, stakeholders or experts.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Engagement {
    /// Who was consulted.
    pub who: String,
    /// When.
    #[schemars(with = "String", extend("format" = "date"))]
    pub when: Date,
    /// What was done: a workshop, interviews, a survey.
    #[serde(default)]
    pub what: String,
    /// What it changed in the tool or the project.
    #[serde(default)]
    pub changed: String,
    /// Whether this item may be published.
    #[serde(default)]
    pub visibility: Visibility,
}

/// A risk and its mitigation.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Risk {
    /// The risk, in a sentence.
    pub risk: String,
    /// How likely it is.
    pub likelihood: Level,
    /// How much harm it would do.
    pub impact: Level,
    /// What is done about it.
    #[serde(default)]
    pub mitigation: String,
    /// Who owns it.
    #[serde(default)]
    pub owner: Option<String>,
    /// Where it stands.
    #[serde(default)]
    pub status: RiskStatus,
    /// Whether this item may be published.
    #[serde(default)]
    pub visibility: Visibility,
}

/// A three-point scale for likelihood and impact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    /// Low.
    Low,
    /// Medium.
    Medium,
    /// High.
    High,
}

/// Where a risk stands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum RiskStatus {
    /// Not yet mitigated.
    #[default]
    Open,
    /// Mitigations are in place.
    Mitigated,
    /// Accepted by the oversight group as it is.
    Accepted,
    /// No longer applies.
    Closed,
}

/// A dataset the tool uses.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Dataset {
    /// The dataset's name.
    pub name: String,
    /// Where it comes from (the system or the body that holds it).
    #[serde(default)]
    pub source: String,
    /// What it holds and why the tool needs it.
    #[serde(default)]
    pub description: String,
    /// What is known of its quality: completeness, timeliness, known gaps.
    #[serde(default)]
    pub quality: String,
    /// Special-category or otherwise sensitive attributes it holds.
    #[serde(default)]
    pub sensitive: Vec<String>,
    /// Whether this item may be published.
    #[serde(default)]
    pub visibility: Visibility,
}

/// A measurement, for one group where it applies.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Metric {
    /// What is measured; metrics with the same name form one table and one chart.
    pub name: String,
    /// The demographic group measured, such as `Ethnicity: Black or Black British`.
    #[serde(default)]
    pub group: Option<String>,
    /// The value measured.
    pub value: f64,
    /// The value before the tool, where there is one.
    #[serde(default)]
    pub baseline: Option<f64>,
    /// The unit, such as `%` or `per 10,000 children`.
    #[serde(default)]
    pub unit: Option<String>,
    /// Whether this item may be published.
    #[serde(default)]
    pub visibility: Visibility,
}

/// A sign-off by the oversight group or an accountable person.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Signoff {
    /// Who signed off (a person or a board).
    pub by: String,
    /// Their role.
    #[serde(default)]
    pub role: String,
    /// When.
    #[schemars(with = "String", extend("format" = "date"))]
    pub date: Date,
    /// What they decided.
    pub decision: Decision,
    /// Conditions or comments.
    #[serde(default)]
    pub note: Option<String>,
    /// Whether this item may be published.
    #[serde(default)]
    pub visibility: Visibility,
}

/// What a sign-off decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Decision {
    /// Approved as it stands.
    Approved,
    /// Approved, with conditions in the note.
    ApprovedWithConditions,
    /// Sent back for more work.
    ChangesRequested,
    /// Rejected.
    Rejected,
}
