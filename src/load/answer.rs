//! The front matter of an answer file: what one question's answer says, as data.

use super::figure::Figure;
use super::partial_date::PartialDate;
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
    /// Why an internal answer is not published, in a sentence or two the public may read: "The
    /// supplier's test report is commercially confidential." Shown on the public page in its place.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withheld_reason: Option<String>,
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
    #[serde(default, deserialize_with = "unique_keys")]
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

/// A map whose keys are each written once. serde refuses a struct's field written twice, but a map
/// keeps the last of two equal keys and drops the other without a word: a prompt's answer would
/// vanish. The error's words are the ones YAML gives for a duplicate key, which the loader places
/// at the second key (`yaml_error`).
fn unique_keys<'de, D>(deserializer: D) -> Result<BTreeMap<String, String>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    struct Unique;
    impl<'de> serde::de::Visitor<'de> for Unique {
        type Value = BTreeMap<String, String>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a mapping of prompt ids to answers")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut found = BTreeMap::new();
            while let Some((key, value)) = map.next_entry::<String, String>()? {
                if found.contains_key(&key) {
                    return Err(serde::de::Error::custom(format!("duplicate entry with key \"{key}\"")));
                }
                found.insert(key, value);
            }
            Ok(found)
        }
    }
    deserializer.deserialize_map(Unique)
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
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
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
    /// When the document was written or published: a year (`2018`), a month (`2018-05`) or a day
    /// (`2018-05-03`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<PartialDate>,
    /// Whether this item may be published.
    #[serde(default)]
    pub visibility: Visibility,
    /// Why this item is internal, in words the public may read ("The supplier's test report is
    /// commercially confidential."): the public page then says that an item is not published, and
    /// why. Only for an internal item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withheld_reason: Option<String>,
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
    /// When: a year (`2018`), a month (`2018-05`) or a day (`2018-05-03`), as far as it is known.
    pub when: PartialDate,
    /// What was done: a workshop, interviews, a survey.
    #[serde(default)]
    pub what: String,
    /// What it changed in the tool or the project.
    #[serde(default)]
    pub changed: String,
    /// Whether this item may be published.
    #[serde(default)]
    pub visibility: Visibility,
    /// Why this item is internal, in words the public may read ("The supplier's test report is
    /// commercially confidential."): the public page then says that an item is not published, and
    /// why. Only for an internal item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withheld_reason: Option<String>,
}

/// A risk and its mitigation.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Risk {
    /// The risk, in a sentence.
    pub risk: String,
    /// How likely it is before mitigation (the inherent likelihood).
    pub likelihood: Level,
    /// How much harm it would do before mitigation (the inherent impact).
    pub impact: Level,
    /// How likely it is once the mitigation is in place.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub residual_likelihood: Option<Level>,
    /// How much harm it would do once the mitigation is in place.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub residual_impact: Option<Level>,
    /// The kind of risk, in the categories of the Algorithmic Transparency Recording Standard.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<RiskCategory>,
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
    /// Why this item is internal, in words the public may read ("The supplier's test report is
    /// commercially confidential."): the public page then says that an item is not published, and
    /// why. Only for an internal item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withheld_reason: Option<String>,
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

impl Level {
    /// The level as a reader sees it.
    pub fn label(self) -> &'static str {
        match self {
            Level::Low => "Low",
            Level::Medium => "Medium",
            Level::High => "High",
        }
    }
}

/// The kinds of risk of the Algorithmic Transparency Recording Standard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum RiskCategory {
    /// The data: its quality, bias, security or lawful use.
    Data,
    /// How the tool is applied: used for something it was not built for, or relied on too much.
    Application,
    /// Whether the tool works: accuracy, and how it is tested.
    Efficacy,
    /// What the tool produces and how its outputs are read.
    Outputs,
    /// The organisation: skills, accountability, suppliers.
    Organisational,
    /// Public trust, and how the public is told and involved.
    PublicEngagement,
}

impl RiskCategory {
    /// The category as a reader sees it.
    pub fn label(self) -> &'static str {
        match self {
            RiskCategory::Data => "Data",
            RiskCategory::Application => "Application",
            RiskCategory::Efficacy => "Efficacy",
            RiskCategory::Outputs => "Outputs",
            RiskCategory::Organisational => "Organisational",
            RiskCategory::PublicEngagement => "Public engagement",
        }
    }
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
    /// Whether the tool still uses it; `false` for a dataset it no longer uses, which is shown as
    /// such and left out of the data the tool uses.
    #[serde(default = "in_use_default", skip_serializing_if = "is_in_use")]
    pub in_use: bool,
    /// When the tool stopped using it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<String>", extend("format" = "date"))]
    pub removed: Option<Date>,
    /// Why the tool stopped using it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub removed_reason: Option<String>,
    /// Whether this item may be published.
    #[serde(default)]
    pub visibility: Visibility,
    /// Why this item is internal, in words the public may read ("The supplier's test report is
    /// commercially confidential."): the public page then says that an item is not published, and
    /// why. Only for an internal item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withheld_reason: Option<String>,
}

fn in_use_default() -> bool {
    true
}

fn is_in_use(in_use: &bool) -> bool {
    *in_use
}

/// A measurement, for one group where it applies.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
// Only a suppressed figure may leave out its value.
#[schemars(extend(
    "if" = {"properties": {"suppressed": {"const": true}}, "required": ["suppressed"]},
    "else" = {"required": ["value"]}
))]
pub struct Metric {
    /// What is measured; metrics with the same name form one table and one chart.
    pub name: String,
    /// The demographic group measured, such as `Ethnicity: Black or Black British`.
    #[serde(default)]
    pub group: Option<String>,
    /// The value measured, shown with the decimals it is written with (`7.0` is "7.0"). Only a
    /// suppressed metric may leave it out.
    #[serde(default)]
    pub value: Option<Figure>,
    /// The value before the tool, or another figure to compare with (see `baseline_label`).
    #[serde(default)]
    pub baseline: Option<Figure>,
    /// What the baseline is: "previous model", "share of all children".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline_label: Option<String>,
    /// The unit, such as `%` or `per 10,000 children`.
    #[serde(default)]
    pub unit: Option<String>,
    /// The count the figure is based on, such as the number of children in the group. A public
    /// metric with `n` below `check.small_numbers` is warned about unless it is suppressed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub n: Option<u64>,
    /// The period the figure covers: "April 2025 to March 2026".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<String>,
    /// The interval around the value, `[low, high]`, such as a 95% confidence interval.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval: Option<[Figure; 2]>,
    /// True when the figure is withheld, usually because it is based on too few people to publish
    /// safely: the site says so and shows no value, count or interval.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub suppressed: bool,
    /// Why the figure is withheld, shown in its place: "fewer than 10 children".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suppressed_reason: Option<String>,
    /// Whether this item may be published.
    #[serde(default)]
    pub visibility: Visibility,
    /// Why this item is internal, in words the public may read ("The supplier's test report is
    /// commercially confidential."): the public page then says that an item is not published, and
    /// why. Only for an internal item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withheld_reason: Option<String>,
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
    /// Why this item is internal, in words the public may read ("The supplier's test report is
    /// commercially confidential."): the public page then says that an item is not published, and
    /// why. Only for an internal item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withheld_reason: Option<String>,
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

/// What every list item of an answer has: whether it may be published, and why not.
pub trait ListItem {
    /// Whether the item may be published.
    fn visibility(&self) -> Visibility;
    /// Why it is internal, in public words; `None` when no reason is given.
    fn withheld_reason(&self) -> Option<&str>;
    /// Forgets the reason, for an item that is published (a reason beside shown content would say
    /// it is withheld when it is not).
    fn clear_withheld_reason(&mut self);
}

macro_rules! list_items {
    ($($t:ty),*) => {$(
        impl ListItem for $t {
            fn visibility(&self) -> Visibility {
                self.visibility
            }
            fn withheld_reason(&self) -> Option<&str> {
                self.withheld_reason.as_deref().map(str::trim).filter(|r| !r.is_empty())
            }
            fn clear_withheld_reason(&mut self) {
                self.withheld_reason = None;
            }
        }
    )*};
}

list_items!(Evidence, Engagement, Risk, Dataset, Metric, Signoff);
