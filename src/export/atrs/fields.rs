//! The fields of the Algorithmic Transparency Recording Standard, version 4.0, as data.
//!
//! The ATRS publishes its v4.0 template as a spreadsheet, not as a field table, so this list is
//! derived: the v3.0 field table with the v3.0→v4.0 change log applied, and where the v4.0 guidance
//! shows a reference number in one of its fictional examples, that number. [`Field::number`] says
//! which numbers are shown and which are inferred; `docs/atrs-mapping.md` gives the derivation, and
//! a test checks the list against copies of the three references.
//!
//! The list is a Rust table rather than an embedded YAML file, unlike the framework: it changes only
//! when the standard does, the compiler checks every entry (no parsing at run time, nothing to fail
//! when it is read), and each field's source in the workbook sits beside it, where a reader of the
//! mapping looks for it.

use serde::Serialize;

/// One sheet of the template. Tier 1 is the single sheet "Summary Information"; Tier 2 is the
/// other eight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub enum Sheet {
    /// Tier 1: what the tool is, for a general audience.
    #[serde(rename = "Summary Information")]
    SummaryInformation,
    /// 2.1: who is accountable, and the third parties involved.
    #[serde(rename = "Owner and Responsibility")]
    OwnerAndResponsibility,
    /// 2.2: how the tool works and why it is used.
    #[serde(rename = "Description and Rationale")]
    DescriptionAndRationale,
    /// 2.3: how the tool fits the process it serves, and how people are involved.
    #[serde(rename = "Deployment Context")]
    DeploymentContext,
    /// 2.4.1: the system as a whole.
    #[serde(rename = "Tool Specification")]
    ToolSpecification,
    /// 2.4.2: one model of the tool; the template duplicates this sheet for each model.
    #[serde(rename = "Model Specification")]
    ModelSpecification,
    /// 2.4.3: the data used to train, validate or test the models.
    #[serde(rename = "Development Data Specification")]
    DevelopmentData,
    /// 2.4.4: the data the tool uses and produces in operation.
    #[serde(rename = "Operational Data Specification")]
    OperationalData,
    /// 2.5: impact assessments, risks and their mitigations.
    #[serde(rename = "Risks, Mitigations and Impact Assessments")]
    Risks,
}

impl Sheet {
    /// Every sheet, in the template's order.
    pub const ALL: &'static [Sheet] = &[
        Sheet::SummaryInformation,
        Sheet::OwnerAndResponsibility,
        Sheet::DescriptionAndRationale,
        Sheet::DeploymentContext,
        Sheet::ToolSpecification,
        Sheet::ModelSpecification,
        Sheet::DevelopmentData,
        Sheet::OperationalData,
        Sheet::Risks,
    ];

    /// The sheet's title, as the template and the guidance write it.
    pub fn title(self) -> &'static str {
        match self {
            Sheet::SummaryInformation => "Summary Information",
            Sheet::OwnerAndResponsibility => "Owner and Responsibility",
            Sheet::DescriptionAndRationale => "Description and Rationale",
            Sheet::DeploymentContext => "Deployment Context",
            Sheet::ToolSpecification => "Tool Specification",
            Sheet::ModelSpecification => "Model Specification",
            Sheet::DevelopmentData => "Development Data Specification",
            Sheet::OperationalData => "Operational Data Specification",
            Sheet::Risks => "Risks, Mitigations and Impact Assessments",
        }
    }

    /// The tier: 1 for the summary, 2 for the rest.
    pub fn tier(self) -> u8 {
        if self == Sheet::SummaryInformation { 1 } else { 2 }
    }
}

/// What kind of value a field takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum FieldType {
    /// Free text, in full sentences.
    Text,
    /// "Yes" or "No".
    YesNo,
    /// One of the template's drop-down options.
    Choice,
    /// A publicly accessible web address.
    Url,
    /// An email address (a team's, not a person's).
    Email,
}

/// Where a field's reference number comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Number {
    /// Shown in the v4.0 guidance (a fictional example's heading, or a section's number in its text).
    Shown,
    /// The v3.0 number, which nothing in the change log moves: no field before it in its section was
    /// deleted, merged or added.
    Kept,
    /// Inferred: the v3.0 number moved by the fields the change log deletes, merges or adds before it
    /// in its section, as the guidance's 2.4.1.2 and 2.4.1.3 show numbers do; or, for the
    /// Operational Data Specification, which is new, numbered as the Development Data one.
    Inferred,
}

/// Where a field's value comes from in the workbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A setting in `workbook.yaml`.
    Setting(Setting),
    /// The answers to these prompts, as (question, prompt id), joined in order.
    Prompts(&'static [(u32, &'static str)]),
    /// "Yes" when `tool.third_parties` lists a third party, "No" when it lists none.
    ThirdPartyInvolvement,
    /// One key of each of `tool.third_parties`.
    ThirdParty(ThirdPartyKey),
    /// The `atrs:` section of `workbook.yaml`, under the field's attribute name: the workbook does not
    /// ask for this.
    Atrs,
    /// The same key of one entry of `atrs.models`.
    AtrsModel,
    /// The `model_name` of every entry of `atrs.models`.
    ModelNames,
    /// The public metrics of every answer, after the model's own `atrs.models[].model_performance`.
    ModelPerformance,
    /// The datasets the tool uses, each with what it holds and why the tool needs it.
    DatasetsAndPurposes,
    /// One key of every dataset the tool uses.
    Dataset(DatasetKey),
    /// Evidence of the kinds `dpia` and `equality-impact`.
    ImpactAssessments,
    /// The risks of every answer.
    Risks,
}

/// A setting of `workbook.yaml` that fills a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Setting {
    /// `tool.name`.
    ToolName,
    /// `tool.summary`.
    ToolSummary,
    /// `tool.phase`, as the template's phases.
    ToolPhase,
    /// `tool.team`.
    Team,
    /// `tool.senior_responsible_owner`.
    SeniorResponsibleOwner,
    /// `organisation.name`.
    OrganisationName,
    /// `site.base_url` (or `--base-url`): the transparency site is the page with further information.
    BaseUrl,
    /// `contact.email`.
    ContactEmail,
}

/// A key of an entry of `tool.third_parties`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThirdPartyKey {
    /// `name`.
    Name,
    /// `companies_house_number`.
    CompaniesHouseNumber,
    /// `role`.
    Role,
    /// `procurement`.
    Procurement,
    /// `data_access_terms`.
    DataAccessTerms,
}

/// A key of a dataset of an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DatasetKey {
    /// `name`.
    Name,
    /// `description`.
    Description,
    /// `sensitive`.
    Sensitive,
    /// `quality`.
    Quality,
}

/// One field of the v4.0 template.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    /// The reference number, such as `2.1.4`.
    pub id: &'static str,
    /// The attribute name: the display name in snake case, as v3.0's attributes are (the Operational
    /// Data fields, which repeat the Development Data ones, are prefixed `operational_`); the key of
    /// `atrs:` in `workbook.yaml`.
    pub attribute: &'static str,
    /// The name the template shows.
    pub name: &'static str,
    /// The sheet it is on, which gives its tier.
    pub sheet: Sheet,
    /// The kind of value.
    pub kind: FieldType,
    /// Whether the template requires it (every Tier 1 field is required).
    pub required: bool,
    /// Whether the number is shown in the guidance or inferred.
    pub number: Number,
    /// Where the workbook's value comes from.
    pub source: Source,
}

impl Field {
    /// The field's tier.
    pub fn tier(&self) -> u8 {
        self.sheet.tier()
    }

    /// True when a record is not ready without it: every Tier 1 field, and the required Tier 2 ones.
    pub fn needed(&self) -> bool {
        self.tier() == 1 || self.required
    }
}

/// What became of one field of v3.0 in v4.0.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    /// Kept under the same attribute (perhaps with a new number, or on a new sheet).
    Kept,
    /// Renamed to this v4.0 attribute.
    Renamed(&'static str),
    /// Merged, with others, into this v4.0 attribute.
    Merged(&'static str),
    /// Deleted.
    Deleted,
}

/// Every field of v3.0, as (reference number, attribute, what became of it).
pub const V3_FATES: &[(&str, &str, Fate)] = {
    use Fate::*;
    &[
        ("0.1", "id", Deleted),
        ("0.2", "standard_version", Deleted),
        ("0.3", "organisation_type", Deleted),
        ("0.4", "function", Deleted),
        ("0.5", "capability", Deleted),
        ("0.6", "task", Deleted),
        ("0.7", "tags", Deleted),
        ("0.8", "date_of_completion", Deleted),
        ("0.9", "date_updated", Deleted),
        ("0.10", "date_archived", Deleted),
        ("0.11", "title", Kept),
        ("0.12", "organisation_name", Kept),
        ("0.13", "phase", Kept),
        ("0.14", "region", Kept),
        ("0.15", "one_sentence_description", Kept),
        ("1.1", "name", Kept),
        ("1.2", "description", Kept),
        ("1.3", "website_url", Kept),
        ("1.4", "contact_email", Kept),
        ("2.1.1", "organisation_or_department", Kept),
        ("2.1.2", "team", Kept),
        ("2.1.3", "senior_responsible_owner", Kept),
        ("2.1.4", "external_supplier_involvement", Renamed("third_party_involvement")),
        ("2.1.4.1", "external_supplier", Renamed("third_party")),
        ("2.1.4.2", "companies_house_number", Kept),
        ("2.1.4.3", "external_supplier_role", Renamed("third_party_role")),
        ("2.1.4.4", "procurement_procedure_type", Kept),
        ("2.1.4.5", "data_access_terms", Renamed("third_party_data_access_terms")),
        ("2.2.1", "detailed_description", Merged("detailed_description")),
        ("2.2.2", "scope", Merged("detailed_description")),
        ("2.2.3", "benefit", Kept),
        ("2.2.4", "previous_process", Kept),
        ("2.2.5", "alternatives_considered", Kept),
        ("2.3.1", "process_integration", Merged("integration_into_broader_operational_process")),
        ("2.3.2", "provided_information", Merged("integration_into_broader_operational_process")),
        ("2.3.3", "frequency_and_scale_of_usage", Kept),
        ("2.3.4", "human_decisions_and_review", Renamed("human_review")),
        ("2.3.5", "required_training", Kept),
        ("2.3.6", "appeals_and_review", Kept),
        ("2.4.1.1", "system_architecture", Kept),
        // The Tier 1 phase stays; this repetition of it in the tool's specification goes.
        ("2.4.1.2", "phase", Deleted),
        ("2.4.1.3", "maintenance", Kept),
        ("2.4.1.4", "models", Kept),
        ("2.4.2.1", "model_name", Kept),
        ("2.4.2.2", "model_version", Kept),
        ("2.4.2.3", "model_task", Kept),
        ("2.4.2.4", "model_input", Kept),
        ("2.4.2.5", "model_output", Kept),
        ("2.4.2.6", "model_architecture", Kept),
        ("2.4.2.7", "model_performance", Kept),
        ("2.4.2.8", "datasets", Merged("datasets_and_their_purposes")),
        ("2.4.2.9", "dataset_purposes", Merged("datasets_and_their_purposes")),
        ("2.4.3.1", "source_data_name", Kept),
        ("2.4.3.2", "data_modality", Kept),
        ("2.4.3.3", "data_description", Kept),
        ("2.4.3.4", "data_quantities", Kept),
        ("2.4.3.5", "sensitive_attributes", Kept),
        ("2.4.3.6", "data_completeness_and_representativeness", Kept),
        ("2.4.3.7", "source_data_url", Kept),
        ("2.4.3.8", "data_collection", Kept),
        ("2.4.3.9", "data_cleaning", Kept),
        ("2.4.3.10", "data_sharing_agreements", Kept),
        ("2.4.3.11", "data_access_and_storage", Kept),
        ("2.5.1", "impact_assessment", Kept),
        ("2.5.2", "risks_and_mitigations", Kept),
    ]
};

macro_rules! fields {
    ($($id:literal $attribute:literal $name:literal, $sheet:ident $kind:ident $required:literal $number:ident => $source:expr;)*) => {
        /// Every field of the v4.0 template, in its order: the Tier 1 summary first, then the Tier 2
        /// sheets. The Model Specification fields appear once here; the export repeats them for
        /// each model.
        pub const FIELDS: &[Field] = &[$(Field {
            id: $id,
            attribute: $attribute,
            name: $name,
            sheet: Sheet::$sheet,
            kind: FieldType::$kind,
            required: $required,
            number: Number::$number,
            source: $source,
        },)*];
    };
}

use Source::*;

fields! {
    "0.1" "title" "Title", SummaryInformation Text true Inferred => Setting(self::Setting::ToolName);
    "0.2" "organisation_name" "Organisation name", SummaryInformation Text true Inferred => Setting(self::Setting::OrganisationName);
    "0.3" "phase" "Phase", SummaryInformation Choice true Inferred => Setting(self::Setting::ToolPhase);
    "0.4" "region" "Region", SummaryInformation Choice true Inferred => Atrs;
    "0.5" "one_sentence_description" "One sentence description", SummaryInformation Text true Inferred => Setting(self::Setting::ToolSummary);
    "1.1" "name" "Name", SummaryInformation Text true Kept => Setting(self::Setting::ToolName);
    "1.2" "description" "Description", SummaryInformation Text true Shown => Setting(self::Setting::ToolSummary);
    "1.3" "website_url" "Website URL", SummaryInformation Url true Kept => Setting(self::Setting::BaseUrl);
    "1.4" "contact_email" "Contact email", SummaryInformation Email true Kept => Setting(self::Setting::ContactEmail);

    "2.1.1" "organisation_or_department" "Organisation or department", OwnerAndResponsibility Text true Kept => Setting(self::Setting::OrganisationName);
    "2.1.2" "team" "Team", OwnerAndResponsibility Text true Kept => Setting(self::Setting::Team);
    "2.1.3" "senior_responsible_owner" "Senior responsible owner", OwnerAndResponsibility Text true Kept => Setting(self::Setting::SeniorResponsibleOwner);
    "2.1.4" "third_party_involvement" "Third party involvement", OwnerAndResponsibility YesNo true Shown => ThirdPartyInvolvement;
    "2.1.4.1" "third_party" "Third party", OwnerAndResponsibility Text false Shown => ThirdParty(ThirdPartyKey::Name);
    "2.1.4.2" "companies_house_number" "Companies House Number", OwnerAndResponsibility Text false Shown => ThirdParty(ThirdPartyKey::CompaniesHouseNumber);
    "2.1.4.3" "third_party_role" "Third party role", OwnerAndResponsibility Text false Shown => ThirdParty(ThirdPartyKey::Role);
    "2.1.4.4" "procurement_procedure_type" "Procurement procedure type", OwnerAndResponsibility Text false Shown => ThirdParty(ThirdPartyKey::Procurement);
    "2.1.4.5" "third_party_data_access_terms" "Third party data access terms", OwnerAndResponsibility Text false Shown => ThirdParty(ThirdPartyKey::DataAccessTerms);

    "2.2.1" "detailed_description" "Detailed description", DescriptionAndRationale Text true Shown
        => Prompts(&[(1, "q1-analytics-type"), (1, "q1-users-and-affected"), (4, "q4-governance-boundaries")]);
    "2.2.2" "benefit" "Benefit", DescriptionAndRationale Text true Inferred
        => Prompts(&[(2, "q2-outcomes-children-families"), (2, "q2-outcomes-practitioners")]);
    "2.2.3" "previous_process" "Previous process", DescriptionAndRationale Text false Inferred => Atrs;
    "2.2.4" "alternatives_considered" "Alternatives considered", DescriptionAndRationale Text false Inferred => Atrs;

    "2.3.1" "integration_into_broader_operational_process" "Integration into broader operational process", DeploymentContext Text true Shown
        => Prompts(&[(1, "q1-decision-process")]);
    "2.3.2" "frequency_and_scale_of_usage" "Frequency and scale of usage", DeploymentContext Text true Inferred => Atrs;
    "2.3.3" "human_review" "Human review", DeploymentContext Text true Inferred => Prompts(&[(9, "q9-challenge-insights")]);
    "2.3.4" "required_training" "Required training", DeploymentContext Text true Inferred => Atrs;
    "2.3.5" "appeals_and_review" "Appeals and review", DeploymentContext Text false Inferred => Prompts(&[(9, "q9-public-questions")]);

    "2.4.1.1" "system_architecture" "System architecture", ToolSpecification Text true Kept => Atrs;
    "2.4.1.2" "system_level_input" "System-level input", ToolSpecification Text true Shown => Atrs;
    "2.4.1.3" "system_level_output" "System-level output", ToolSpecification Text true Shown => Atrs;
    "2.4.1.4" "maintenance" "Maintenance", ToolSpecification Text true Inferred => Prompts(&[(13, "q13-review-and-test")]);
    "2.4.1.5" "models" "Models", ToolSpecification Text true Inferred => ModelNames;

    "2.4.2.1" "model_name" "Model name", ModelSpecification Text true Shown => AtrsModel;
    "2.4.2.2" "model_version" "Model version", ModelSpecification Text true Kept => AtrsModel;
    "2.4.2.3" "model_task" "Model task", ModelSpecification Text true Kept => AtrsModel;
    "2.4.2.4" "model_input" "Model input", ModelSpecification Text true Kept => AtrsModel;
    "2.4.2.5" "model_output" "Model output", ModelSpecification Text true Kept => AtrsModel;
    "2.4.2.6" "model_architecture" "Model architecture", ModelSpecification Text true Shown => AtrsModel;
    "2.4.2.7" "model_performance" "Model performance", ModelSpecification Text true Kept => ModelPerformance;
    "2.4.2.8" "datasets_and_their_purposes" "Datasets and their purposes", ModelSpecification Text true Shown => DatasetsAndPurposes;

    "2.4.3.1" "source_data_name" "Source data name", DevelopmentData Text true Kept => Dataset(DatasetKey::Name);
    "2.4.3.2" "data_modality" "Data modality", DevelopmentData Text true Kept => Atrs;
    "2.4.3.3" "data_description" "Data description", DevelopmentData Text true Kept => Dataset(DatasetKey::Description);
    "2.4.3.4" "data_quantities" "Data quantities", DevelopmentData Text true Kept => Atrs;
    "2.4.3.5" "sensitive_attributes" "Sensitive attributes", DevelopmentData Text true Kept => Dataset(DatasetKey::Sensitive);
    "2.4.3.6" "data_completeness_and_representativeness" "Data completeness and representativeness", DevelopmentData Text true Kept => Dataset(DatasetKey::Quality);
    "2.4.3.7" "source_data_url" "Source data URL", DevelopmentData Url true Kept => Atrs;
    "2.4.3.8" "data_collection" "Data collection", DevelopmentData Text true Kept => Atrs;
    "2.4.3.9" "data_cleaning" "Data cleaning", DevelopmentData Text false Kept => Atrs;
    "2.4.3.10" "data_sharing_agreements" "Data sharing agreements", DevelopmentData Text true Kept => Atrs;
    "2.4.3.11" "data_access_and_storage" "Data access and storage", DevelopmentData Text true Kept
        => Prompts(&[(8, "q8-access-controls"), (8, "q8-de-identification")]);

    "2.4.4.1" "operational_source_data_name" "Source data name", OperationalData Text true Inferred => Dataset(DatasetKey::Name);
    "2.4.4.2" "operational_data_modality" "Data modality", OperationalData Text true Inferred => Atrs;
    "2.4.4.3" "operational_data_description" "Data description", OperationalData Text true Inferred => Dataset(DatasetKey::Description);
    "2.4.4.4" "operational_data_quantities" "Data quantities", OperationalData Text true Inferred => Atrs;
    "2.4.4.5" "operational_sensitive_attributes" "Sensitive attributes", OperationalData Text true Inferred => Dataset(DatasetKey::Sensitive);
    "2.4.4.6" "operational_data_completeness_and_representativeness" "Data completeness and representativeness", OperationalData Text true Inferred => Dataset(DatasetKey::Quality);
    "2.4.4.7" "operational_source_data_url" "Source data URL", OperationalData Url true Inferred => Atrs;
    "2.4.4.8" "operational_data_collection" "Data collection", OperationalData Text true Inferred => Atrs;
    "2.4.4.9" "operational_data_cleaning" "Data cleaning", OperationalData Text false Inferred => Atrs;
    "2.4.4.10" "operational_data_sharing_agreements" "Data sharing agreements", OperationalData Text true Inferred => Atrs;
    "2.4.4.11" "operational_data_access_and_storage" "Data access and storage", OperationalData Text true Inferred
        => Prompts(&[(8, "q8-access-controls"), (8, "q8-de-identification")]);

    "2.5.1" "impact_assessment" "Impact assessment", Risks Text true Kept => ImpactAssessments;
    "2.5.2" "risks_and_mitigations" "Risks and mitigations", Risks Text true Kept => Source::Risks;
}

/// The field with this attribute name.
pub fn by_attribute(attribute: &str) -> Option<&'static Field> {
    FIELDS.iter().find(|f| f.attribute == attribute)
}
