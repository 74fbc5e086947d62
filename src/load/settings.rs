//! `workbook.yaml`: the project's settings.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The parsed `workbook.yaml` of a project.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Id of the framework the answers follow, such as `dfe-csc-2024`.
    pub framework: String,
    /// The council or body that runs the project.
    pub organisation: Organisation,
    /// The data analytics tool the workbook is about.
    pub tool: Tool,
    /// Where the public can ask a question or raise a concern.
    pub contact: Contact,
    /// How the published site is titled and addressed.
    #[serde(default)]
    pub site: Site,
    /// How often answers are due for review.
    #[serde(default)]
    pub review: Review,
    /// What the accessibility statement says that only the council can know.
    #[serde(default)]
    pub accessibility: Accessibility,
    /// How `check` reads the text it checks.
    #[serde(default)]
    pub check: CheckSettings,
    /// The level of each warning, keyed by its name (`personal-data-phone: allow`), as cargo's
    /// `[lints]`; `workbook check --list-lints` lists the names.
    #[serde(default)]
    pub lints: BTreeMap<String, LintLevel>,
    /// What the public change log and feed tell about each commit.
    #[serde(default)]
    pub history: HistorySettings,
    /// What the team has done of each phase's checklist, keyed by item id (`workbook questions`
    /// prints them); an item not listed is "not recorded".
    #[serde(default)]
    pub checklist: BTreeMap<String, ChecklistEntry>,
    /// Decisions about the tool (a pilot approved, a deployment, a pause), in any order; the site
    /// shows them by date.
    #[serde(default)]
    pub decisions: Vec<ToolDecision>,
    /// What the Algorithmic Transparency Recording Standard (v4.0) asks that the workbook does not,
    /// keyed by the field's attribute name; `workbook export --format atrs` fills those fields from
    /// here. Every key is optional and is Markdown, published as plain text.
    #[serde(default, skip_serializing_if = "AtrsSettings::is_empty")]
    pub atrs: AtrsSettings,
}

/// How far the team has got with one item of a phase's checklist.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ChecklistEntry {
    /// Where the item stands.
    pub status: ChecklistStatus,
    /// When it was done, or when its status was last set.
    #[serde(default)]
    #[schemars(with = "Option<String>", extend("format" = "date"))]
    pub date: Option<jiff::civil::Date>,
    /// Documents that show the work, as an answer's `evidence`.
    #[serde(default)]
    pub evidence: Vec<crate::load::answer::Evidence>,
    /// What was done, or why the item does not apply, in Markdown.
    #[serde(default)]
    pub note: String,
    /// Whether this entry may be published.
    #[serde(default)]
    pub visibility: crate::load::answer::Visibility,
}

/// Where one checklist item stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ChecklistStatus {
    /// Done.
    Done,
    /// Under way.
    InProgress,
    /// Not done.
    NotDone,
    /// Does not apply to this tool; say why in `note`.
    NotApplicable,
}

impl ChecklistStatus {
    /// The status as a reader sees it.
    pub fn label(self) -> &'static str {
        match self {
            ChecklistStatus::Done => "Done",
            ChecklistStatus::InProgress => "In progress",
            ChecklistStatus::NotDone => "Not done",
            ChecklistStatus::NotApplicable => "Not applicable",
        }
    }

    /// True when nothing is left to do: done, or not applicable.
    pub fn is_settled(self) -> bool {
        matches!(self, ChecklistStatus::Done | ChecklistStatus::NotApplicable)
    }
}

/// A decision about the tool, by a person in a role or by a body.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ToolDecision {
    /// When it was decided.
    #[schemars(with = "String", extend("format" = "date"))]
    pub date: jiff::civil::Date,
    /// Who decided: a role or a body, such as "Cabinet" or "Director of Children's Services".
    pub by: String,
    /// What was decided.
    pub decision: ToolDecisionKind,
    /// What the decision says, with any conditions, in Markdown.
    #[serde(default)]
    pub note: String,
    /// Whether this decision may be published.
    #[serde(default)]
    pub visibility: crate::load::answer::Visibility,
}

/// Kinds of decision about a tool.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ToolDecisionKind {
    /// A pilot was approved.
    ApprovedPilot,
    /// The tool was put into use.
    Deployed,
    /// Its use was widened: more teams, areas or purposes.
    Expanded,
    /// Its use was stopped for a while.
    Paused,
    /// The tool or its use was changed.
    Changed,
    /// The tool was taken out of use for good.
    Decommissioned,
    /// Anything else; say what in `note`.
    Other,
}

impl ToolDecisionKind {
    /// The decision as a reader sees it.
    pub fn label(self) -> &'static str {
        match self {
            ToolDecisionKind::ApprovedPilot => "Approved for a pilot",
            ToolDecisionKind::Deployed => "Deployed",
            ToolDecisionKind::Expanded => "Expanded",
            ToolDecisionKind::Paused => "Paused",
            ToolDecisionKind::Changed => "Changed",
            ToolDecisionKind::Decommissioned => "Decommissioned",
            ToolDecisionKind::Other => "Other decision",
        }
    }
}

/// Another organisation that shares responsibility for the tool, such as a police force on a joint
/// database.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Partner {
    /// Its name.
    pub name: String,
    /// What it does in the project.
    #[serde(default)]
    pub role: String,
}

/// A company or other body that builds, runs or supports the tool for the council.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ThirdParty {
    /// Its name.
    pub name: String,
    /// Its Companies House number: 8 characters, digits, or two letters and 6 digits (`SC123456`).
    #[serde(default)]
    pub companies_house_number: Option<String>,
    /// What it does: built the model, hosts the system, supplies data.
    #[serde(default)]
    pub role: String,
    /// How it was procured: the framework or contract, and when.
    #[serde(default)]
    pub procurement: String,
    /// What data it may reach, and on what terms.
    #[serde(default)]
    pub data_access_terms: String,
    /// Whether this entry may be published.
    #[serde(default)]
    pub visibility: crate::load::answer::Visibility,
}

/// Settings of `check`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct CheckSettings {
    /// Phone numbers and email addresses of the organisation that may appear in public text: a
    /// switchboard, a data protection mailbox, a front desk. Phone numbers are compared by their
    /// digits (`+44 1632 960000` is `01632 960000`), addresses without regard to case.
    pub public_contacts: Vec<String>,
    /// The smallest count (a metric's `n`) a public figure may be based on; `check` warns about a
    /// public metric based on fewer, unless it is `suppressed`. A suppressed metric with no
    /// `suppressed_reason` says "fewer than this many children".
    #[schemars(range(min = 1))]
    pub small_numbers: u64,
}

/// The default of `check.small_numbers`: the threshold below which official statistics of
/// children commonly suppress a count.
pub const DEFAULT_SMALL_NUMBERS: u64 = 10;

impl Default for CheckSettings {
    fn default() -> Self {
        CheckSettings { public_contacts: Vec::new(), small_numbers: DEFAULT_SMALL_NUMBERS }
    }
}

/// What `check` does with one kind of warning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum LintLevel {
    /// Never report it.
    Allow,
    /// Report it as a warning, which fails `check` only with `--strict`.
    Warn,
    /// Report it as an error: `check` fails and `build` refuses.
    Deny,
}

/// What the public site tells about each commit. The internal build always shows everything.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct HistorySettings {
    /// Whether the public site names who made each change; `hide` unless set (the Algorithmic
    /// Transparency Recording Standard asks for roles, not names).
    pub authors: Disclosure,
    /// Whether the public site shows each change's commit message; when hidden, a change reads
    /// "Updated".
    pub subjects: Disclosure,
}

impl Default for HistorySettings {
    fn default() -> Self {
        HistorySettings { authors: Disclosure::Hide, subjects: Disclosure::Show }
    }
}

/// Whether something is shown on the public site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Disclosure {
    /// Shown.
    Show,
    /// Left out.
    Hide,
}

/// The council's own part of the accessibility statement: its manual check and any known problems.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Accessibility {
    /// When the site was last checked by hand (with a keyboard, a screen reader, magnification).
    #[serde(default)]
    #[schemars(with = "Option<String>", extend("format" = "date"))]
    pub tested: Option<jiff::civil::Date>,
    /// Who checked it: the team, or the organisation that did the audit.
    #[serde(default)]
    pub tested_by: Option<String>,
    /// How it was checked and what was found, in Markdown.
    #[serde(default)]
    pub method: String,
    /// Problems known and not yet fixed, in Markdown; shown as the statement's non-accessible content.
    #[serde(default)]
    pub known_issues: String,
}

/// The organisation responsible for the tool.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    /// Its name, as the public knows it.
    pub name: String,
    /// Its public website.
    #[serde(default)]
    pub website: Option<String>,
    /// Other organisations that share responsibility for the tool.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub partners: Vec<Partner>,
}

/// The tool the workbook describes.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Tool {
    /// The tool's name.
    pub name: String,
    /// One plain-English sentence that says what the tool is, for the public.
    #[serde(default)]
    pub summary: String,
    /// Where the project stands in its lifecycle.
    pub phase: ToolPhase,
    /// The team that runs the tool.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
    /// The role accountable for the tool, such as "Director of Children's Services": a role title,
    /// not a person's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub senior_responsible_owner: Option<String>,
    /// Companies and other bodies that build, run or support the tool.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub third_parties: Vec<ThirdParty>,
}

/// Where a tool stands in its lifecycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ToolPhase {
    /// Stages 1–4 of the DfE guidance.
    Explore,
    /// Stages 5–8.
    Develop,
    /// Stages 9–10.
    Implement,
    /// The tool is no longer in use.
    Retired,
}

impl ToolPhase {
    /// The phase's place in the lifecycle: explore 0, develop 1, implement 2, retired 3.
    pub fn rank(self) -> usize {
        match self {
            ToolPhase::Explore => 0,
            ToolPhase::Develop => 1,
            ToolPhase::Implement => 2,
            ToolPhase::Retired => 3,
        }
    }

    /// The phase's name as written in `workbook.yaml`.
    pub fn as_str(self) -> &'static str {
        match self {
            ToolPhase::Explore => "explore",
            ToolPhase::Develop => "develop",
            ToolPhase::Implement => "implement",
            ToolPhase::Retired => "retired",
        }
    }
}

/// How the public reaches the team.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    /// The team's public email address; `check` accepts it in public text.
    pub email: String,
    /// The team's public phone number; `check` accepts it in public text.
    #[serde(default)]
    pub phone: Option<String>,
    /// How to raise a concern, in Markdown.
    #[serde(default)]
    pub concerns: String,
}

/// Settings of the published site.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Site {
    /// The site's title; the tool's name when empty.
    #[serde(default)]
    pub title: Option<String>,
    /// The address the site is published at, used for absolute URLs in the feed and sitemap.
    #[serde(default)]
    pub base_url: Option<String>,
    /// The repository's web address, for links to commits.
    #[serde(default)]
    pub repository_url: Option<String>,
    /// The language of the content, as a BCP 47 tag; `en-GB` when empty.
    #[serde(default)]
    pub language: Option<String>,
    /// Publish the text of answers that are still drafts (`not-started` or `draft`).
    #[serde(default)]
    pub publish_drafts: bool,
    /// Publish a page with the Algorithmic Transparency Recording Standard record
    /// (`algorithmic-transparency-record.html`); `false` leaves it out. On when not set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub atrs_page: Option<bool>,
}

/// How often the team reviews its answers.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Review {
    /// Months between reviews of an answer.
    #[serde(default = "Review::default_interval")]
    pub interval_months: u8,
}

impl Review {
    fn default_interval() -> u8 {
        6
    }
}

impl Default for Review {
    fn default() -> Self {
        Review { interval_months: Review::default_interval() }
    }
}

/// The `atrs:` section of `workbook.yaml`: the fields of the Algorithmic Transparency Recording
/// Standard (v4.0) that the workbook's questions do not ask, keyed by their attribute names. A field
/// the workbook does answer (the description, the risks, the datasets…) comes from the answers, and
/// is not a key here.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AtrsSettings {
    /// 0.4 Region: the primary region over which the tool affects the public, such as "England" (the template's options include "International").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// 2.2.3 Previous process: the process or tool it replaced, or that the process is new.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_process: Option<String>,
    /// 2.2.4 Alternatives considered: the alternatives weighed, or why none were.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alternatives_considered: Option<String>,
    /// 2.3.2 Frequency and scale of usage: how often the tool is used and by how many people, for how many cases.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frequency_and_scale_of_usage: Option<String>,
    /// 2.3.4 Required training: the training the council gives the tool's users.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required_training: Option<String>,
    /// 2.4.1.1 System architecture: how the tool is organised, end to end, naming its models.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system_architecture: Option<String>,
    /// 2.4.1.2 System-level input: what goes into the system as a whole, with formats and data types.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system_level_input: Option<String>,
    /// 2.4.1.3 System-level output: what comes out of the system as a whole, with formats and data types.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system_level_output: Option<String>,
    /// 2.4.3.2 Data modality of the development data: tabular, text, image…
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_modality: Option<String>,
    /// 2.4.3.4 Data quantities of the development data: how many records and attributes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_quantities: Option<String>,
    /// 2.4.3.7 Source data URL: a publicly accessible address of the development data, where there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_data_url: Option<String>,
    /// 2.4.3.8 Data collection: why and how the development data was first collected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_collection: Option<String>,
    /// 2.4.3.9 Data cleaning: how the development data was prepared or cleaned, and by whom.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_cleaning: Option<String>,
    /// 2.4.3.10 Data sharing agreements for the development data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_sharing_agreements: Option<String>,
    /// 2.4.4.2 Data modality of the data the tool uses in operation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operational_data_modality: Option<String>,
    /// 2.4.4.4 Data quantities of the data the tool uses in operation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operational_data_quantities: Option<String>,
    /// 2.4.4.7 Source data URL of the data the tool uses in operation, where it is public.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operational_source_data_url: Option<String>,
    /// 2.4.4.8 Data collection: why and how the operational data is collected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operational_data_collection: Option<String>,
    /// 2.4.4.9 Data cleaning: how the operational data is prepared before the tool uses it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operational_data_cleaning: Option<String>,
    /// 2.4.4.10 Data sharing agreements for the operational data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operational_data_sharing_agreements: Option<String>,
    /// One entry for each model of the tool, as the template repeats its Model Specification sheet
    /// for each. An empty list (`models: []`) says the tool has no model of its own (a dashboard of
    /// counts, rules written by hand): the model's name, version, task, input, output and
    /// architecture are then "N/A".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub models: Option<Vec<AtrsModel>>,
}

impl AtrsSettings {
    /// True when no key is set.
    pub fn is_empty(&self) -> bool {
        self.models.is_none() && self.values().iter().all(|(_, v)| v.is_none())
    }

    /// The value of the key `attribute` (not `models`), to change it.
    pub fn value_mut(&mut self, attribute: &str) -> Option<&mut Option<String>> {
        match attribute {
            "region" => Some(&mut self.region),
            "previous_process" => Some(&mut self.previous_process),
            "alternatives_considered" => Some(&mut self.alternatives_considered),
            "frequency_and_scale_of_usage" => Some(&mut self.frequency_and_scale_of_usage),
            "required_training" => Some(&mut self.required_training),
            "system_architecture" => Some(&mut self.system_architecture),
            "system_level_input" => Some(&mut self.system_level_input),
            "system_level_output" => Some(&mut self.system_level_output),
            "data_modality" => Some(&mut self.data_modality),
            "data_quantities" => Some(&mut self.data_quantities),
            "source_data_url" => Some(&mut self.source_data_url),
            "data_collection" => Some(&mut self.data_collection),
            "data_cleaning" => Some(&mut self.data_cleaning),
            "data_sharing_agreements" => Some(&mut self.data_sharing_agreements),
            "operational_data_modality" => Some(&mut self.operational_data_modality),
            "operational_data_quantities" => Some(&mut self.operational_data_quantities),
            "operational_source_data_url" => Some(&mut self.operational_source_data_url),
            "operational_data_collection" => Some(&mut self.operational_data_collection),
            "operational_data_cleaning" => Some(&mut self.operational_data_cleaning),
            "operational_data_sharing_agreements" => Some(&mut self.operational_data_sharing_agreements),
            _ => None,
        }
    }

    /// Every key but `models`, as (attribute name, value), in the template's order.
    pub fn values(&self) -> [(&'static str, &Option<String>); 20] {
        [
            ("region", &self.region),
            ("previous_process", &self.previous_process),
            ("alternatives_considered", &self.alternatives_considered),
            ("frequency_and_scale_of_usage", &self.frequency_and_scale_of_usage),
            ("required_training", &self.required_training),
            ("system_architecture", &self.system_architecture),
            ("system_level_input", &self.system_level_input),
            ("system_level_output", &self.system_level_output),
            ("data_modality", &self.data_modality),
            ("data_quantities", &self.data_quantities),
            ("source_data_url", &self.source_data_url),
            ("data_collection", &self.data_collection),
            ("data_cleaning", &self.data_cleaning),
            ("data_sharing_agreements", &self.data_sharing_agreements),
            ("operational_data_modality", &self.operational_data_modality),
            ("operational_data_quantities", &self.operational_data_quantities),
            ("operational_source_data_url", &self.operational_source_data_url),
            ("operational_data_collection", &self.operational_data_collection),
            ("operational_data_cleaning", &self.operational_data_cleaning),
            ("operational_data_sharing_agreements", &self.operational_data_sharing_agreements),
        ]
    }
}

/// One model of the tool: the Model Specification (2.4.2) fields that the workbook does not ask.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AtrsModel {
    /// 2.4.2.1 Model name: the type of model, and its provider (or "self-hosted") where it is pre-trained.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model_name: Option<String>,
    /// 2.4.2.2 Model version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model_version: Option<String>,
    /// 2.4.2.3 Model task: what the model is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model_task: Option<String>,
    /// 2.4.2.4 Model input, with formats and data types.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model_input: Option<String>,
    /// 2.4.2.5 Model output, with formats and data types.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model_output: Option<String>,
    /// 2.4.2.6 Model architecture: how the model turns its input into its output, at least its type (logistic regression, rule-based system…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model_architecture: Option<String>,
    /// 2.4.2.7 Model performance: what the metrics of the answers do not say, such as how the model was evaluated; the export adds the published metrics after it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model_performance: Option<String>,
}

impl AtrsModel {
    /// Every key, as (attribute name, value), in the template's order.
    pub fn values(&self) -> [(&'static str, &Option<String>); 7] {
        [
            ("model_name", &self.model_name),
            ("model_version", &self.model_version),
            ("model_task", &self.model_task),
            ("model_input", &self.model_input),
            ("model_output", &self.model_output),
            ("model_architecture", &self.model_architecture),
            ("model_performance", &self.model_performance),
        ]
    }
}
