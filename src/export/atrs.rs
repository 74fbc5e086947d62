//! A record aligned with the UK Algorithmic Transparency Recording Standard (ATRS, version 3.0).
//!
//! Each ATRS field is filled from the workbook where the workbook answers it, with the source named,
//! and is listed as missing where it does not: the workbook and the ATRS ask overlapping but different
//! questions, and a register should see the gaps rather than guesses. The mapping is the table
//! [`FIELDS`]; `docs/atrs-mapping.md` explains it for readers.

use crate::record::{QuestionRecord, Record};
use serde_json::{Value, json};

/// Where an ATRS field's value comes from.
#[derive(Debug, Clone, Copy)]
pub enum Source {
    /// A setting in `workbook.yaml`.
    Setting(&'static str),
    /// The answers to these prompts of a question (joined in order).
    Prompts(u32, &'static [&'static str]),
    /// The Markdown body of a question.
    Body(u32),
    /// The datasets of every answer.
    Datasets,
    /// The risks of every answer.
    Risks,
    /// Evidence of the kinds `dpia` and `equality-impact`.
    ImpactAssessments,
    /// The workbook does not ask for this.
    Missing,
}

/// One field of the standard: its number, its name, its tier and section, and where it comes from.
pub struct Field {
    /// The ATRS reference number, such as `2.1.3`.
    pub id: &'static str,
    /// The ATRS attribute name.
    pub name: &'static str,
    /// The section.
    pub section: &'static str,
    /// Where the value comes from.
    pub source: Source,
}

macro_rules! fields {
    ($($id:literal $name:literal $section:literal => $source:expr;)*) => {
        /// Every field of the standard this export carries, in the standard's order.
        pub const FIELDS: &[Field] = &[$(Field { id: $id, name: $name, section: $section, source: $source },)*];
    };
}

use Source::*;

fields! {
    "1.1" "name" "Tier 1: overview" => Setting("tool.name");
    "1.2" "description" "Tier 1: overview" => Setting("tool.summary");
    "1.3" "website" "Tier 1: overview" => Setting("site.base_url");
    "1.4" "contact_email" "Tier 1: overview" => Setting("contact.email");
    "2.1.1" "organisation" "Tier 2: owner and responsibility" => Setting("organisation.name");
    "2.1.2" "team" "Tier 2: owner and responsibility" => Missing;
    "2.1.3" "senior_responsible_owner" "Tier 2: owner and responsibility" => Missing;
    "2.1.4" "external_supplier_involvement" "Tier 2: owner and responsibility" => Prompts(3, &["q3-third-parties"]);
    "2.1.4.1" "external_supplier" "Tier 2: owner and responsibility" => Missing;
    "2.1.4.2" "companies_house_number" "Tier 2: owner and responsibility" => Missing;
    "2.1.4.3" "external_supplier_role" "Tier 2: owner and responsibility" => Missing;
    "2.1.4.4" "procurement_procedure_type" "Tier 2: owner and responsibility" => Missing;
    "2.1.4.5" "data_access_terms" "Tier 2: owner and responsibility" => Prompts(8, &["q8-access-controls"]);
    "2.2.1" "detailed_description" "Tier 2: description and rationale" => Prompts(1, &["q1-analytics-type"]);
    "2.2.2" "scope" "Tier 2: description and rationale" => Prompts(4, &["q4-governance-boundaries"]);
    "2.2.3" "benefit" "Tier 2: description and rationale" => Prompts(2, &["q2-outcomes-children-families", "q2-outcomes-practitioners"]);
    "2.2.4" "previous_process" "Tier 2: description and rationale" => Body(6);
    "2.2.5" "alternatives_considered" "Tier 2: description and rationale" => Missing;
    "2.3.1" "process_integration" "Tier 2: decision-making process" => Prompts(1, &["q1-decision-process"]);
    "2.3.2" "provided_information" "Tier 2: decision-making process" => Missing;
    "2.3.3" "frequency_and_scale_of_usage" "Tier 2: decision-making process" => Missing;
    "2.3.4" "human_decisions_and_review" "Tier 2: decision-making process" => Prompts(9, &["q9-challenge-insights"]);
    "2.3.5" "required_training" "Tier 2: decision-making process" => Missing;
    "2.3.6" "appeals_and_review" "Tier 2: decision-making process" => Prompts(9, &["q9-public-questions"]);
    "2.4.1" "system_architecture" "Tier 2: tool specification" => Missing;
    "2.4.2" "phase" "Tier 2: tool specification" => Setting("tool.phase");
    "2.4.3" "maintenance" "Tier 2: tool specification" => Prompts(13, &["q13-review-and-test"]);
    "2.4.4" "models" "Tier 2: tool specification" => Missing;
    "2.4.5" "datasets" "Tier 2: tool specification" => Datasets;
    "2.4.6" "data_quality" "Tier 2: tool specification" => Prompts(5, &["q5-data-quality"]);
    "2.5.1" "impact_assessments" "Tier 2: risks, mitigations and impact assessments" => ImpactAssessments;
    "2.5.2" "risks" "Tier 2: risks, mitigations and impact assessments" => Risks;
}

/// The ATRS record of `record`: every field, filled or null, and the list of those missing.
pub fn render(record: &Record) -> String {
    let mut sections: Vec<(String, Vec<Value>)> = Vec::new();
    let mut missing = Vec::new();
    for field in FIELDS {
        let (value, source) = value(record, field.source);
        if value.is_null() {
            missing.push(json!({ "id": field.id, "name": field.name, "reason": reason(field.source) }));
        }
        let entry = json!({ "id": field.id, "name": field.name, "value": value, "source": source });
        match sections.iter_mut().find(|(s, _)| s == field.section) {
            Some((_, entries)) => entries.push(entry),
            None => sections.push((field.section.to_owned(), vec![entry])),
        }
    }
    let value = json!({
        "standard": "Algorithmic Transparency Recording Standard",
        "standard_version": "3.0",
        "generated_by": format!("workbook {}", env!("CARGO_PKG_VERSION")),
        "framework": record.framework.id,
        "audience": record.audience,
        "sections": sections.into_iter().map(|(section, fields)| json!({ "section": section, "fields": fields })).collect::<Vec<_>>(),
        "missing": missing,
    });
    let mut out = serde_json::to_string_pretty(&value).expect("the record serializes");
    out.push('\n');
    out
}

fn reason(source: Source) -> &'static str {
    match source {
        Missing => "the workbook does not ask for this",
        _ => "not answered yet, or not published",
    }
}

fn text(s: &str) -> Value {
    if s.trim().is_empty() { Value::Null } else { Value::String(s.trim().to_owned()) }
}

fn value(record: &Record, source: Source) -> (Value, Value) {
    match source {
        Setting(key) => {
            let v = match key {
                "tool.name" => text(&record.tool.name),
                "tool.summary" => text(&record.tool.summary),
                "site.base_url" => record.site.base_url.as_deref().map_or(Value::Null, text),
                "contact.email" => text(&record.contact.email),
                "organisation.name" => text(&record.organisation.name),
                "tool.phase" => text(match record.tool.phase {
                    crate::load::settings::ToolPhase::Explore | crate::load::settings::ToolPhase::Develop => {
                        "Pre-deployment"
                    }
                    crate::load::settings::ToolPhase::Implement => "Production",
                    crate::load::settings::ToolPhase::Retired => "Retired",
                }),
                _ => Value::Null,
            };
            (v, json!(format!("workbook.yaml: {key}")))
        }
        Prompts(number, ids) => {
            let answers: Vec<String> = record
                .question(number)
                .map(|q| {
                    ids.iter().filter_map(|id| find_prompt(q, id)).filter(|a| !a.trim().is_empty()).collect()
                })
                .unwrap_or_default();
            (text(&answers.join("\n\n")), json!(format!("question {number}: {}", ids.join(", "))))
        }
        Body(number) => {
            let body: String = record
                .question(number)
                .map(|q| q.body.iter().map(|p| p.markdown.trim()).collect::<Vec<_>>().join("\n\n"))
                .unwrap_or_default();
            (text(&body), json!(format!("question {number}: the answer's text")))
        }
        Datasets => {
            let list: Vec<Value> = record
                .questions
                .iter()
                .flat_map(|q| &q.datasets)
                // The standard lists the data the tool uses: not data it no longer uses.
                .filter(|d| d.item.in_use)
                .map(|d| {
                    json!({
                        "source_data_name": d.item.name, "data_description": d.item.description,
                        "data_source": d.item.source, "sensitive_attributes": d.item.sensitive,
                        "data_completeness_and_representativeness": d.item.quality,
                    })
                })
                .collect();
            (
                if list.is_empty() { Value::Null } else { Value::Array(list) },
                json!("datasets of every answer"),
            )
        }
        Risks => {
            let list: Vec<Value> = record
                .questions
                .iter()
                .flat_map(|q| &q.risks)
                .map(|r| json!({ "risk_name": r.item.risk, "risk_mitigation": r.item.mitigation }))
                .collect();
            (if list.is_empty() { Value::Null } else { Value::Array(list) }, json!("risks of every answer"))
        }
        ImpactAssessments => {
            use crate::load::answer::EvidenceKind::{Dpia, EqualityImpact};
            let list: Vec<Value> = record
                .questions
                .iter()
                .flat_map(|q| &q.evidence)
                .filter(|e| matches!(e.item.kind, Dpia | EqualityImpact))
                .map(|e| {
                    json!({
                        "assessment_name": e.item.title, "assessment_description": e.item.description,
                        "assessment_link": e.item.url.clone().or_else(|| e.item.file.clone()),
                    })
                })
                .collect();
            (
                if list.is_empty() { Value::Null } else { Value::Array(list) },
                json!("evidence of kind dpia and equality-impact"),
            )
        }
        Missing => (Value::Null, Value::Null),
    }
}

fn find_prompt(q: &QuestionRecord, id: &str) -> Option<String> {
    fn walk(prompts: &[crate::record::PromptRecord], id: &str) -> Option<String> {
        prompts.iter().find_map(|p| if p.id == id { Some(p.answer.clone()) } else { walk(&p.prompts, id) })
    }
    walk(&q.prompts, id)
}
