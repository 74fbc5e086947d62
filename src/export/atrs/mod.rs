//! A record in the shape of the UK Algorithmic Transparency Recording Standard (ATRS), version 4.0.
//!
//! Every field of the v4.0 template ([`fields::FIELDS`]) is exported in the template's order, Tier 1
//! first, with a value or with the reason it is missing: the workbook and the ATRS ask overlapping
//! but different questions, and a register should see the gaps rather than guesses. Values are plain
//! text, as the template's cells want ([`crate::render::plain`]). Each field's source is beside it in
//! the field list; `docs/atrs-mapping.md` explains the mapping for readers.
//!
//! The export reads only the [`Record`], so the audience rules of the site hold: nothing internal
//! reaches a public export. [`filled_fields`] gives the same fields to a page of the site.

pub mod fields;

use crate::load::answer::{EvidenceKind, Level, RiskStatus};
use crate::load::settings::{AtrsModel, ToolPhase};
use crate::record::{PromptRecord, Record};
use crate::render::plain::to_plain_text;
use fields::{DatasetKey, FIELDS, Field, FieldType, Sheet, Source, ThirdPartyKey};
use schemars::JsonSchema;
use serde::Serialize;

/// The version of the standard the export follows.
pub const STANDARD_VERSION: &str = "4.0";

/// The whole exported record.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct AtrsRecord {
    /// The standard's name.
    pub standard: String,
    /// The version of the standard: "4.0".
    pub standard_version: String,
    /// The program and version that wrote the record.
    pub generated_by: String,
    /// The framework the workbook answers.
    pub framework: String,
    /// Who the record is for: `public` or `internal`.
    pub audience: String,
    /// Every field of the template in its order, Tier 1 first; the Model Specification fields once
    /// for each model.
    pub fields: Vec<AtrsField>,
    /// How far the record is from ready to send.
    pub readiness: Readiness,
}

/// One field of the record, with its value or why it has none.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct AtrsField {
    /// The reference number, such as `2.1.3`.
    pub id: String,
    /// The attribute name, such as `senior_responsible_owner`.
    pub attribute: String,
    /// The name the template shows.
    pub name: String,
    /// 1 for the summary, 2 for the detail.
    pub tier: u8,
    /// The template's sheet.
    pub sheet: Sheet,
    /// Which model a Model Specification field describes, counted from 1, when `atrs.models` lists
    /// models.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<usize>,
    /// Whether the template requires the field.
    pub required: bool,
    /// The kind of value.
    #[serde(rename = "type")]
    pub kind: FieldType,
    /// The value, or the reason it is missing.
    #[serde(flatten)]
    pub content: Content,
}

impl AtrsField {
    /// The value, when the field has one.
    pub fn value(&self) -> Option<&str> {
        match &self.content {
            Content::Value(value) => Some(value),
            Content::Missing(_) => None,
        }
    }

    /// True when a record is not ready without this field: Tier 1, or required in Tier 2.
    pub fn needed(&self) -> bool {
        self.tier == 1 || self.required
    }
}

/// A field's value, or why it has none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Content {
    /// The value, in plain text.
    Value(String),
    /// Why the field has no value.
    Missing(String),
}

/// How far the record is from ready: the fields it cannot be sent without.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Readiness {
    /// True when every Tier 1 field and every required Tier 2 field has a value.
    pub ready: bool,
    /// The Tier 1 fields with no value, by reference number.
    pub tier_1_missing: Vec<String>,
    /// The required Tier 2 fields with no value, by reference number.
    pub required_tier_2_missing: Vec<String>,
    /// How many Tier 2 fields have a value.
    pub tier_2_filled: usize,
    /// How many Tier 2 fields there are (the Model Specification ones counted once for each model).
    pub tier_2_total: usize,
}

/// Every field of the ATRS record of `record`, in the template's order.
pub fn record_fields(record: &Record) -> Vec<AtrsField> {
    let models: Vec<Option<&AtrsModel>> = match &record.atrs.values.models {
        Some(models) if !models.is_empty() => models.iter().map(Some).collect(),
        _ => vec![None],
    };
    let mut out = Vec::new();
    for sheet in Sheet::ALL {
        let on_sheet = FIELDS.iter().filter(|f| f.sheet == *sheet);
        if *sheet == Sheet::ModelSpecification {
            for (index, model) in models.iter().enumerate() {
                for field in on_sheet.clone() {
                    let number = model.map(|_| index + 1);
                    out.push(exported(field, number, fill(record, field, *model, index == 0)));
                }
            }
        } else {
            out.extend(on_sheet.map(|field| exported(field, None, fill(record, field, None, false))));
        }
    }
    out
}

/// The fields that have a value, in order: what a page of the site shows.
pub fn filled_fields(record: &Record) -> Vec<AtrsField> {
    record_fields(record).into_iter().filter(|f| f.value().is_some()).collect()
}

/// The readiness of `fields`.
pub fn readiness(fields: &[AtrsField]) -> Readiness {
    let missing = |tier: u8| -> Vec<String> {
        fields.iter().filter(|f| f.tier == tier && f.needed() && f.value().is_none()).map(label).collect()
    };
    let (tier_1_missing, required_tier_2_missing) = (missing(1), missing(2));
    Readiness {
        ready: tier_1_missing.is_empty() && required_tier_2_missing.is_empty(),
        tier_1_missing,
        required_tier_2_missing,
        tier_2_filled: fields.iter().filter(|f| f.tier == 2 && f.value().is_some()).count(),
        tier_2_total: fields.iter().filter(|f| f.tier == 2).count(),
    }
}

/// A field's reference number, with its model's number when the sheet is repeated: `2.4.2.1 (model 2)`.
fn label(field: &AtrsField) -> String {
    match field.model {
        Some(model) => format!("{} {} (model {model})", field.id, field.name),
        None => format!("{} {}", field.id, field.name),
    }
}

/// The whole ATRS record of `record`.
pub fn build(record: &Record) -> AtrsRecord {
    let fields = record_fields(record);
    AtrsRecord {
        standard: "Algorithmic Transparency Recording Standard".into(),
        standard_version: STANDARD_VERSION.into(),
        generated_by: format!("workbook {}", env!("CARGO_PKG_VERSION")),
        framework: record.framework.id.clone(),
        audience: if record.audience.sees_internal() { "internal" } else { "public" }.into(),
        readiness: readiness(&fields),
        fields,
    }
}

/// The ATRS record of `record` as JSON.
pub fn render(record: &Record) -> String {
    // The record is strings, numbers and booleans: it always serializes.
    let mut out = serde_json::to_string_pretty(&build(record)).unwrap_or_default();
    out.push('\n');
    out
}

/// The JSON Schema (draft-07) of [`render`]'s output.
pub fn schema() -> serde_json::Value {
    super::schema::atrs()
}

/// The ATRS record of `record` as Markdown: a section for each sheet of the template, each field's
/// number and name as a heading and its value below, ready to paste into the template.
pub fn markdown(record: &Record) -> String {
    let fields = record_fields(record);
    let mut out = format!(
        "# Algorithmic transparency record: {}\n\nAlgorithmic Transparency Recording Standard, version {STANDARD_VERSION}. \
         Each value is plain text for the template's cells.\n",
        to_plain_text(&record.tool.name)
    );
    let mut current: Option<(Sheet, Option<usize>)> = None;
    for field in &fields {
        if current != Some((field.sheet, field.model)) {
            current = Some((field.sheet, field.model));
            let tier = if field.tier == 1 { "Tier 1" } else { "Tier 2" };
            match field.model {
                Some(model) => {
                    out.push_str(&format!("\n## {} (model {model}, {tier})\n", field.sheet.title()))
                }
                None => out.push_str(&format!("\n## {} ({tier})\n", field.sheet.title())),
            }
        }
        out.push_str(&format!("\n### {} {}\n\n", field.id, field.name));
        match &field.content {
            Content::Value(value) => {
                // Four spaces would make a code block, and a line's own `#` a heading: the value is
                // shown as written, line by line, in a fenced block that Markdown leaves alone.
                out.push_str(&fenced(value));
            }
            Content::Missing(reason) => out.push_str(&format!("Missing: {reason}.\n")),
        }
    }
    out
}

/// `text` in a fenced block whose fence is longer than any run of backticks in it.
fn fenced(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    format!("{fence}text\n{text}\n{fence}\n")
}

/// The ATRS record of `record` as CSV: sheet, id, name, value, and why a field is missing.
pub fn csv(record: &Record, writer: super::csv::CsvWriter) -> String {
    let rows = record_fields(record).into_iter().map(|field| {
        let sheet = match field.model {
            Some(model) => format!("{} (model {model})", field.sheet.title()),
            None => field.sheet.title().to_owned(),
        };
        let (value, missing) = match field.content {
            Content::Value(value) => (value, String::new()),
            Content::Missing(reason) => (String::new(), reason),
        };
        [sheet, field.id, field.name, value, missing]
    });
    writer.write_rows(["sheet", "id", "name", "value", "missing"], rows)
}

fn exported(field: &Field, model: Option<usize>, content: Content) -> AtrsField {
    AtrsField {
        id: field.id.to_owned(),
        attribute: field.attribute.to_owned(),
        name: field.name.to_owned(),
        tier: field.tier(),
        sheet: field.sheet,
        model,
        required: field.required,
        kind: field.kind,
        content,
    }
}

/// Plain text of `markdown`, or `None` when it holds nothing.
fn plain(markdown: &str) -> Option<String> {
    Some(to_plain_text(markdown)).filter(|t| !t.is_empty())
}

/// `text`, marked "(internal)" when it is: only the internal record holds such items, and whoever
/// copies from it into the template must see what the public record leaves out.
fn marked(internal: bool, text: String) -> String {
    if internal { format!("(internal) {text}") } else { text }
}

fn missing(reason: impl Into<String>) -> Content {
    Content::Missing(reason.into())
}

/// One line a thing, as a plain-text list: "- " before each, or the thing alone when there is one
/// and it needs no name.
fn lines(items: Vec<String>) -> Option<String> {
    if items.is_empty() {
        return None;
    }
    Some(items.iter().map(|i| format!("- {}", i.replace('\n', "\n  "))).collect::<Vec<_>>().join("\n"))
}

/// The value of `field` from `record`; `model` is the entry of `atrs.models` whose sheet this is,
/// `first` true on the first model sheet (where the tool's metrics go).
fn fill(record: &Record, field: &Field, model: Option<&AtrsModel>, first: bool) -> Content {
    use fields::Setting as S;
    let atrs = &record.atrs.values;
    let unset = |key: &str| missing(format!("`{key}` is not set in workbook.yaml"));
    match field.source {
        Source::Setting(setting) => {
            let (key, value) = match setting {
                S::ToolName => ("tool.name", plain(&record.tool.name)),
                S::ToolSummary => ("tool.summary", plain(&record.tool.summary)),
                S::ToolPhase => ("tool.phase", Some(phase(record.tool.phase).to_owned())),
                S::Team => ("tool.team", record.responsibility.team.as_deref().and_then(plain)),
                S::SeniorResponsibleOwner => (
                    "tool.senior_responsible_owner",
                    record.responsibility.senior_responsible_owner.as_deref().and_then(plain),
                ),
                S::OrganisationName => ("organisation.name", plain(&record.organisation.name)),
                S::BaseUrl => ("site.base_url", record.site.base_url.clone()),
                S::ContactEmail => ("contact.email", plain(&record.contact.email)),
            };
            value.map_or_else(|| unset(key), Content::Value)
        }
        Source::Prompts(prompts) => {
            let answers: Vec<String> = prompts
                .iter()
                .filter_map(|(number, id)| {
                    let question = record.question(*number)?;
                    find_prompt(&question.prompts, id).and_then(|p| plain(&p.answer))
                })
                .collect();
            if answers.is_empty() {
                let names = prompts.iter().map(|(n, id)| format!("question {n} `{id}`")).collect::<Vec<_>>();
                missing(format!("{} not answered, or not published", names.join(", ")))
            } else {
                Content::Value(answers.join("\n\n"))
            }
        }
        Source::ThirdPartyInvolvement => match record.responsibility.third_party_involvement {
            Some(true) => Content::Value("Yes".into()),
            Some(false) => Content::Value("No".into()),
            None => missing("the third parties listed in `tool.third_parties` are not published"),
        },
        Source::ThirdParty(key) => third_party(record, key),
        Source::Atrs => atrs
            .values()
            .iter()
            .find(|(attribute, _)| *attribute == field.attribute)
            .and_then(|(_, value)| value.as_deref())
            .and_then(plain)
            .map_or_else(
                || {
                    missing(format!(
                        "the workbook does not ask for this: set `atrs.{}` in workbook.yaml",
                        field.attribute
                    ))
                },
                Content::Value,
            ),
        Source::AtrsModel if no_models(record) => Content::Value("N/A".into()),
        Source::AtrsModel => model
            .and_then(|m| m.values().into_iter().find(|(a, _)| *a == field.attribute))
            .and_then(|(_, value)| value.as_deref())
            .and_then(plain)
            .map_or_else(
                || {
                    missing(format!(
                        "the workbook does not ask for this: set `atrs.models[].{}` in workbook.yaml",
                        field.attribute
                    ))
                },
                Content::Value,
            ),
        Source::ModelNames if no_models(record) => Content::Value("N/A".into()),
        Source::ModelNames => {
            let names: Vec<String> = atrs
                .models
                .iter()
                .flatten()
                .filter_map(|m| m.model_name.as_deref().and_then(plain))
                .collect();
            match names.len() {
                0 => missing("the workbook does not ask for this: list the models in `atrs.models`"),
                1 => Content::Value(names.concat()),
                _ => lines(names).map_or_else(|| missing(""), Content::Value),
            }
        }
        Source::ModelPerformance => {
            let own = model.and_then(|m| m.model_performance.as_deref()).and_then(plain);
            let metrics = if first { metrics(record) } else { None };
            match (own, metrics) {
                (None, None) if no_models(record) => Content::Value("N/A".into()),
                (None, None) => {
                    missing("no answer publishes a metric, and `atrs.models[].model_performance` is not set")
                }
                (Some(text), None) | (None, Some(text)) => Content::Value(text),
                (Some(own), Some(metrics)) => Content::Value(format!("{own}\n\n{metrics}")),
            }
        }
        Source::DatasetsAndPurposes => lines(
            datasets(record)
                .map(|item| {
                    let d = &item.item;
                    let name = marked(item.internal, to_plain_text(&d.name));
                    let source = plain(&d.source).map(|s| format!(" (source: {s})")).unwrap_or_default();
                    match plain(&d.description) {
                        Some(description) => format!("{name}{source}: {description}"),
                        None => format!("{name}{source}"),
                    }
                })
                .collect(),
        )
        .map_or_else(|| missing(NO_DATASETS), Content::Value),
        Source::Dataset(key) => dataset_field(record, key),
        Source::ImpactAssessments => impact_assessments(record),
        Source::Risks => risks(record),
    }
}

/// True when `atrs.models` is an empty list: the tool has no model of its own.
fn no_models(record: &Record) -> bool {
    record.atrs.values.models.as_ref().is_some_and(Vec::is_empty)
}

const NO_DATASETS: &str = "no answer lists a dataset the tool uses, or none is published";

/// The phase, in the template's options for v4.0 (Pre-deployment, Private beta, Public beta,
/// Production, Retired). The workbook's phases do not tell a beta from production, so implement is
/// Production.
fn phase(phase: ToolPhase) -> &'static str {
    match phase {
        ToolPhase::Explore | ToolPhase::Develop => "Pre-deployment",
        ToolPhase::Implement => "Production",
        ToolPhase::Retired => "Retired",
    }
}

fn find_prompt<'a>(prompts: &'a [PromptRecord], id: &str) -> Option<&'a PromptRecord> {
    prompts.iter().find_map(|p| if p.id == id { Some(p) } else { find_prompt(&p.prompts, id) })
}

fn third_party(record: &Record, key: ThirdPartyKey) -> Content {
    let parties = &record.responsibility.third_parties;
    if record.responsibility.third_party_involvement == Some(false) {
        return Content::Value("N/A".into());
    }
    if parties.is_empty() {
        return missing("the third parties listed in `tool.third_parties` are not published");
    }
    let (name, values): (&str, Vec<(String, Option<String>)>) = {
        let value = |p: &crate::load::settings::ThirdParty| match key {
            ThirdPartyKey::Name => plain(&p.name),
            ThirdPartyKey::CompaniesHouseNumber => p.companies_house_number.as_deref().and_then(plain),
            ThirdPartyKey::Role => plain(&p.role),
            ThirdPartyKey::Procurement => plain(&p.procurement),
            ThirdPartyKey::DataAccessTerms => plain(&p.data_access_terms),
        };
        let key_name = match key {
            ThirdPartyKey::Name => "name",
            ThirdPartyKey::CompaniesHouseNumber => "companies_house_number",
            ThirdPartyKey::Role => "role",
            ThirdPartyKey::Procurement => "procurement",
            ThirdPartyKey::DataAccessTerms => "data_access_terms",
        };
        // The line's name carries the mark; a third party alone, its value.
        let alone = parties.len() == 1;
        let named = |p: &crate::record::Item<crate::load::settings::ThirdParty>| {
            let v = value(&p.item).map(|v| if alone { marked(p.internal, v) } else { v });
            (marked(p.internal, to_plain_text(&p.item.name)), v)
        };
        (key_name, parties.iter().map(named).collect())
    };
    if values.iter().all(|(_, v)| v.is_none()) {
        return missing(format!("no entry of `tool.third_parties` gives its `{name}`"));
    }
    if values.len() == 1 {
        return values.into_iter().find_map(|(_, v)| v).map_or_else(|| missing(""), Content::Value);
    }
    let items = values
        .into_iter()
        .map(|(party, v)| match key {
            ThirdPartyKey::Name => party,
            _ => format!("{party}: {}", v.unwrap_or_else(|| "not given".into())),
        })
        .collect();
    lines(items).map_or_else(|| missing(""), Content::Value)
}

/// Every dataset of the record that the tool uses.
fn datasets(record: &Record) -> impl Iterator<Item = &crate::record::Item<crate::load::answer::Dataset>> {
    // The standard lists the data the tool uses: not data it no longer uses.
    record.questions.iter().flat_map(|q| &q.datasets).filter(|d| d.item.in_use)
}

fn dataset_field(record: &Record, key: DatasetKey) -> Content {
    if datasets(record).next().is_none() {
        return missing(NO_DATASETS);
    }
    let items: Vec<String> = datasets(record)
        .filter_map(|item| {
            let d = &item.item;
            let name = marked(item.internal, to_plain_text(&d.name));
            let value = match key {
                DatasetKey::Name => return Some(name),
                DatasetKey::Description => plain(&d.description),
                DatasetKey::Quality => plain(&d.quality),
                DatasetKey::Sensitive => {
                    let list: Vec<String> = d.sensitive.iter().filter_map(|s| plain(s)).collect();
                    Some(list.join(", ")).filter(|s| !s.is_empty())
                }
            };
            value.map(|v| format!("{name}: {v}"))
        })
        .collect();
    let key_name = match key {
        DatasetKey::Name => "name",
        DatasetKey::Description => "description",
        DatasetKey::Quality => "quality",
        DatasetKey::Sensitive => "sensitive",
    };
    lines(items)
        .map_or_else(|| missing(format!("no dataset the tool uses gives its `{key_name}`")), Content::Value)
}

/// The public metrics, one line each: the figure with its unit, count, period, interval and
/// baseline. A suppressed figure is never shown, to any audience: only the reason it is withheld.
fn metrics(record: &Record) -> Option<String> {
    let items = record
        .questions
        .iter()
        .flat_map(|q| &q.metrics)
        .map(|item| {
            let m = &item.item;
            let what = match m.group.as_deref().and_then(plain) {
                Some(group) => format!("{} ({group})", to_plain_text(&m.name)),
                None => to_plain_text(&m.name),
            };
            let what = marked(item.internal, what);
            let unit = m.unit.as_deref().map(|u| u.trim()).unwrap_or("");
            let with_unit = |figure: &crate::load::figure::Figure| {
                if unit.is_empty() || unit == "%" {
                    format!("{figure}{unit}")
                } else {
                    format!("{figure} {unit}")
                }
            };
            if m.suppressed {
                let reason = m.suppressed_reason.as_deref().and_then(plain);
                return match reason {
                    Some(reason) => format!("{what}: not published ({reason})"),
                    None => format!("{what}: not published"),
                };
            }
            let Some(value) = &m.value else { return format!("{what}: not published") };
            let mut details = Vec::new();
            if let Some(n) = m.n {
                details.push(format!("n = {n}"));
            }
            if let Some(period) = m.period.as_deref().and_then(plain) {
                details.push(period);
            }
            if let Some([low, high]) = &m.interval {
                details.push(format!("interval {} to {}", with_unit(low), with_unit(high)));
            }
            if let Some(baseline) = &m.baseline {
                let label = m.baseline_label.as_deref().and_then(plain).unwrap_or_else(|| "baseline".into());
                details.push(format!("{label}: {}", with_unit(baseline)));
            }
            if details.is_empty() {
                format!("{what}: {}", with_unit(value))
            } else {
                format!("{what}: {} ({})", with_unit(value), details.join("; "))
            }
        })
        .collect();
    lines(items)
}

fn impact_assessments(record: &Record) -> Content {
    // One line an assessment: answers often cite the same document for different points, and the
    // template wants the assessment once, with everything said of it.
    let mut assessments: Vec<(String, Option<String>, Vec<String>)> = Vec::new();
    let evidence = record.questions.iter().flat_map(|q| &q.evidence);
    for item in evidence.filter(|e| matches!(e.item.kind, EvidenceKind::Dpia | EvidenceKind::EqualityImpact))
    {
        let e = &item.item;
        let mut title = marked(item.internal, to_plain_text(&e.title));
        if let Some(date) = &e.date {
            title.push_str(&format!(" ({date})"));
        }
        // A web address as written; a project file at the address the site publishes it (its path
        // under the site), absolute when the site's address is known.
        let address = e.url.clone().or_else(|| {
            e.file.as_deref().map(|file| match &record.site.base_url {
                Some(base) => format!("{base}{file}"),
                None => file.to_owned(),
            })
        });
        let description = e.description.as_deref().and_then(plain);
        match assessments.iter_mut().find(|(t, a, _)| *t == title && *a == address) {
            Some((_, _, descriptions)) => descriptions.extend(description),
            None => assessments.push((title, address, description.into_iter().collect())),
        }
    }
    let items = assessments
        .into_iter()
        .map(|(title, address, mut descriptions)| {
            descriptions.dedup();
            let mut line = title;
            if !descriptions.is_empty() {
                line.push_str(&format!(": {}", descriptions.join(" ")));
            }
            if let Some(address) = address {
                line.push_str(&format!(" ({address})"));
            }
            line
        })
        .collect();
    lines(items).map_or_else(
        || missing("no evidence of kind `dpia` or `equality-impact` is published"),
        Content::Value,
    )
}

fn risks(record: &Record) -> Content {
    let status = |s: RiskStatus| match s {
        RiskStatus::Open => "open",
        RiskStatus::Mitigated => "mitigated",
        RiskStatus::Accepted => "accepted",
        RiskStatus::Closed => "closed",
    };
    let level = |l: Level| l.label().to_lowercase();
    let items: Vec<String> = record
        .questions
        .iter()
        .flat_map(|q| &q.risks)
        .map(|item| {
            let r = &item.item;
            let mut line = marked(item.internal, to_plain_text(&r.risk));
            if let Some(category) = r.category {
                line.push_str(&format!(" Category: {}.", category.label()));
            }
            line.push_str(&format!(" Likelihood {}, impact {}", level(r.likelihood), level(r.impact)));
            match (r.residual_likelihood, r.residual_impact) {
                (Some(l), Some(i)) => line.push_str(&format!(
                    "; after mitigation, likelihood {}, impact {}.",
                    level(l),
                    level(i)
                )),
                (Some(l), None) => line.push_str(&format!("; after mitigation, likelihood {}.", level(l))),
                (None, Some(i)) => line.push_str(&format!("; after mitigation, impact {}.", level(i))),
                (None, None) => line.push('.'),
            }
            if let Some(mitigation) = plain(&r.mitigation) {
                line.push_str(&format!(" Mitigation: {mitigation}"));
                if !line.ends_with('.') {
                    line.push('.');
                }
            }
            line.push_str(&format!(" Status: {}.", status(r.status)));
            line
        })
        .collect();
    lines(items).map_or_else(|| missing("no answer lists a risk, or none is published"), Content::Value)
}
