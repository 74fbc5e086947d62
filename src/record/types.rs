//! The contract's own types for what the record takes from the files authors write: list items
//! (evidence, engagement, risks, datasets, metrics, sign-offs) and the parts of `workbook.yaml` it
//! publishes (organisation, tool, partners, third parties, decisions). They serialize under the
//! names the input uses, so `workbook.json` reads as it always has; being the record's own, they
//! can change with the schema version and not with the input's, read back without the input's
//! rules (`deny_unknown_fields`), and hold only what the record publishes. The small value types
//! (statuses, levels, kinds, visibility) are the input's, shared: a value means one thing in both.

use crate::load::answer::{Decision, EvidenceKind, Level, Metric, RiskCategory, RiskStatus, Visibility};
use crate::load::figure::Figure;
use crate::load::partial_date::PartialDate;
use crate::load::settings::{ToolDecisionKind, ToolPhase};
use jiff::civil::Date;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A list item with whether it is internal.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(rename = "{T}Item")]
pub struct Item<T> {
    /// True when the item is internal (only in the internal record).
    pub internal: bool,
    /// Its place in the answer file's list, for pointing at it; never published (it would tell how
    /// many internal items stand before it).
    #[serde(skip)]
    pub index: usize,
    /// The item.
    #[serde(flatten)]
    pub item: T,
}

/// Read from JSON only (as `workbook.json` is read back): the item's own fields are read from the
/// object without `internal`, so that an item type that refuses unknown fields still reads, and a
/// figure keeps the digits it was written with (serde's `flatten` would buffer them as numbers).
impl<'de, T: serde::de::DeserializeOwned> Deserialize<'de> for Item<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Item<T>, D::Error> {
        use serde::de::Error;
        use serde_json::value::RawValue;
        let mut object: std::collections::BTreeMap<String, Box<RawValue>> =
            std::collections::BTreeMap::deserialize(deserializer)?;
        let internal = match object.remove("internal") {
            Some(value) => serde_json::from_str(value.get()).map_err(D::Error::custom)?,
            None => return Err(D::Error::missing_field("internal")),
        };
        let text = serde_json::to_string(&object).map_err(D::Error::custom)?;
        let item = serde_json::from_str(&text).map_err(D::Error::custom)?;
        Ok(Item { internal, index: 0, item })
    }
}

impl<T> Item<T> {
    /// The same item, as another type (an input type made the record's own).
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Item<U> {
        Item { internal: self.internal, index: self.index, item: f(self.item) }
    }
}

/// A document that shows the work, as the record holds it.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct EvidenceRecord {
    /// The document's title.
    pub title: String,
    /// What kind of document it is.
    pub kind: EvidenceKind,
    /// A file the site publishes, relative to the project folder (and to the site); only a
    /// project path that is safe to publish.
    pub file: Option<String>,
    /// A web address, only when safe to link.
    pub url: Option<String>,
    /// One line on what the document shows.
    pub description: Option<String>,
    /// When the document was written or published: a year, a month or a day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<PartialDate>,
    /// Whether the item is public or internal (internal items are only in the internal record).
    pub visibility: Visibility,
    /// Why the item is internal, in words the public may read (only on an internal item).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withheld_reason: Option<String>,
}

/// Who was consulted and what it changed, as the record holds it.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct EngagementRecord {
    /// Who was consulted.
    pub who: String,
    /// When: a year, a month or a day, as far as it is known.
    pub when: PartialDate,
    /// What was done: a workshop, interviews, a survey.
    pub what: String,
    /// What it changed in the tool or the project.
    pub changed: String,
    /// Whether the item is public or internal (internal items are only in the internal record).
    pub visibility: Visibility,
    /// Why the item is internal, in words the public may read (only on an internal item).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withheld_reason: Option<String>,
}

/// A risk and its mitigation, as the record holds it.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct RiskRecord {
    /// The risk, in a sentence.
    pub risk: String,
    /// How likely it is before mitigation.
    pub likelihood: Level,
    /// How much harm it would do before mitigation.
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
    pub mitigation: String,
    /// Who owns it.
    pub owner: Option<String>,
    /// Where it stands.
    pub status: RiskStatus,
    /// Whether the item is public or internal (internal items are only in the internal record).
    pub visibility: Visibility,
    /// Why the item is internal, in words the public may read (only on an internal item).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withheld_reason: Option<String>,
}

/// A dataset the tool uses or used, as the record holds it.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct DatasetRecord {
    /// The dataset's name.
    pub name: String,
    /// Where it comes from.
    pub source: String,
    /// What it holds and why the tool needs it.
    pub description: String,
    /// What is known of its quality.
    pub quality: String,
    /// Special-category or otherwise sensitive attributes it holds.
    pub sensitive: Vec<String>,
    /// Whether the tool still uses it; absent (true) unless it no longer does.
    #[serde(default = "in_use", skip_serializing_if = "is_in_use")]
    pub in_use: bool,
    /// When the tool stopped using it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<String>", extend("format" = "date"))]
    pub removed: Option<Date>,
    /// Why the tool stopped using it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub removed_reason: Option<String>,
    /// Whether the item is public or internal (internal items are only in the internal record).
    pub visibility: Visibility,
    /// Why the item is internal, in words the public may read (only on an internal item).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withheld_reason: Option<String>,
}

fn in_use() -> bool {
    true
}

fn is_in_use(in_use: &bool) -> bool {
    *in_use
}

/// A sign-off by the oversight group or an accountable person, as the record holds it.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct SignoffRecord {
    /// Who signed off (a person or a board).
    pub by: String,
    /// Their role.
    pub role: String,
    /// When.
    #[schemars(with = "String", extend("format" = "date"))]
    pub date: Date,
    /// What they decided.
    pub decision: Decision,
    /// Conditions or comments.
    pub note: Option<String>,
    /// Whether the item is public or internal (internal items are only in the internal record).
    pub visibility: Visibility,
    /// Why the item is internal, in words the public may read (only on an internal item).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withheld_reason: Option<String>,
}

/// The organisation responsible for the tool, as the record holds it (its partners are under
/// `responsibility`).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct OrganisationRecord {
    /// Its name, as the public knows it.
    pub name: String,
    /// Its public website, only when safe to link.
    pub website: Option<String>,
}

/// The tool, as the record holds it (who is responsible for it is under `responsibility`).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct ToolRecord {
    /// The tool's name.
    pub name: String,
    /// One plain-English sentence that says what the tool is, for the public.
    pub summary: String,
    /// Where the project stands in its lifecycle.
    pub phase: ToolPhase,
}

/// Another organisation that shares responsibility for the tool, as the record holds it.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct PartnerRecord {
    /// Its name.
    pub name: String,
    /// What it does in the project.
    pub role: String,
}

/// A company or other body that builds, runs or supports the tool, as the record holds it.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct ThirdPartyRecord {
    /// Its name.
    pub name: String,
    /// Its Companies House number.
    pub companies_house_number: Option<String>,
    /// What it does: built the model, hosts the system, supplies data.
    pub role: String,
    /// How it was procured: the framework or contract, and when.
    pub procurement: String,
    /// What data it may reach, and on what terms.
    pub data_access_terms: String,
    /// Whether the entry is public or internal (internal entries are only in the internal record).
    pub visibility: Visibility,
}

/// A decision about the tool, as the record holds it.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct DecisionRecord {
    /// When it was decided.
    #[schemars(with = "String", extend("format" = "date"))]
    pub date: Date,
    /// Who decided: a role or a body.
    pub by: String,
    /// What was decided.
    pub decision: ToolDecisionKind,
    /// What the decision says, with any conditions, in Markdown.
    pub note: String,
    /// Whether the decision is public or internal (internal ones are only in the internal record).
    pub visibility: Visibility,
}

impl From<crate::load::answer::Evidence> for EvidenceRecord {
    fn from(e: crate::load::answer::Evidence) -> EvidenceRecord {
        let crate::load::answer::Evidence {
            title,
            kind,
            file,
            url,
            description,
            date,
            visibility,
            withheld_reason,
        } = e;
        EvidenceRecord { title, kind, file, url, description, date, visibility, withheld_reason }
    }
}

impl From<crate::load::answer::Engagement> for EngagementRecord {
    fn from(e: crate::load::answer::Engagement) -> EngagementRecord {
        let crate::load::answer::Engagement { who, when, what, changed, visibility, withheld_reason } = e;
        EngagementRecord { who, when, what, changed, visibility, withheld_reason }
    }
}

impl From<crate::load::answer::Risk> for RiskRecord {
    fn from(r: crate::load::answer::Risk) -> RiskRecord {
        let crate::load::answer::Risk {
            risk,
            likelihood,
            impact,
            residual_likelihood,
            residual_impact,
            category,
            mitigation,
            owner,
            status,
            visibility,
            withheld_reason,
        } = r;
        RiskRecord {
            risk,
            likelihood,
            impact,
            residual_likelihood,
            residual_impact,
            category,
            mitigation,
            owner,
            status,
            visibility,
            withheld_reason,
        }
    }
}

impl From<crate::load::answer::Dataset> for DatasetRecord {
    fn from(d: crate::load::answer::Dataset) -> DatasetRecord {
        let crate::load::answer::Dataset {
            name,
            source,
            description,
            quality,
            sensitive,
            in_use,
            removed,
            removed_reason,
            visibility,
            withheld_reason,
        } = d;
        DatasetRecord {
            name,
            source,
            description,
            quality,
            sensitive,
            in_use,
            removed,
            removed_reason,
            visibility,
            withheld_reason,
        }
    }
}

impl From<crate::load::answer::Signoff> for SignoffRecord {
    fn from(s: crate::load::answer::Signoff) -> SignoffRecord {
        let crate::load::answer::Signoff { by, role, date, decision, note, visibility, withheld_reason } = s;
        SignoffRecord { by, role, date, decision, note, visibility, withheld_reason }
    }
}

impl From<crate::load::settings::Partner> for PartnerRecord {
    fn from(p: crate::load::settings::Partner) -> PartnerRecord {
        PartnerRecord { name: p.name, role: p.role }
    }
}

impl From<crate::load::settings::ThirdParty> for ThirdPartyRecord {
    fn from(t: crate::load::settings::ThirdParty) -> ThirdPartyRecord {
        let crate::load::settings::ThirdParty {
            name,
            companies_house_number,
            role,
            procurement,
            data_access_terms,
            visibility,
        } = t;
        ThirdPartyRecord { name, companies_house_number, role, procurement, data_access_terms, visibility }
    }
}

impl From<crate::load::settings::ToolDecision> for DecisionRecord {
    fn from(d: crate::load::settings::ToolDecision) -> DecisionRecord {
        let crate::load::settings::ToolDecision { date, by, decision, note, visibility } = d;
        DecisionRecord { date, by, decision, note, visibility }
    }
}

/// A measurement, for one group where it applies, as the record holds it: its figures are written
/// in the JSON with the digits their author wrote (`7.0` stays `7.0`), so that a site rendered from
/// the record shows them as the site rendered from the project does.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct MetricRecord {
    /// What is measured; metrics with the same name form one table and one chart.
    pub name: String,
    /// The demographic group measured, such as `Ethnicity: Black or Black British`.
    pub group: Option<String>,
    /// The value measured; null for a suppressed figure in the public record.
    #[serde(with = "figure_json::option")]
    #[schemars(with = "Option<Figure>")]
    pub value: Option<Figure>,
    /// The value before the tool, or another figure to compare with (see `baseline_label`).
    #[serde(with = "figure_json::option")]
    #[schemars(with = "Option<Figure>")]
    pub baseline: Option<Figure>,
    /// What the baseline is: "previous model", "share of all children".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline_label: Option<String>,
    /// The unit, such as `%` or `per 10,000 children`.
    pub unit: Option<String>,
    /// The count the figure is based on, such as the number of children in the group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub n: Option<u64>,
    /// The period the figure covers: "April 2025 to March 2026".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<String>,
    /// The interval around the value, `[low, high]`, such as a 95% confidence interval.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "figure_json::interval")]
    #[schemars(with = "Option<[Figure; 2]>")]
    pub interval: Option<[Figure; 2]>,
    /// True when the figure is withheld because it is based on too few people to publish safely.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub suppressed: bool,
    /// Why the figure is withheld, shown in its place: "fewer than 10 children".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suppressed_reason: Option<String>,
    /// Whether this item may be published.
    pub visibility: Visibility,
    /// Why this item is internal, in words the public may read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withheld_reason: Option<String>,
}

impl From<Metric> for MetricRecord {
    fn from(m: Metric) -> MetricRecord {
        MetricRecord {
            name: m.name,
            group: m.group,
            value: m.value,
            baseline: m.baseline,
            baseline_label: m.baseline_label,
            unit: m.unit,
            n: m.n,
            period: m.period,
            interval: m.interval,
            suppressed: m.suppressed,
            suppressed_reason: m.suppressed_reason,
            visibility: m.visibility,
            withheld_reason: m.withheld_reason,
        }
    }
}

/// Figures in JSON, written with their author's digits (a JSON number may be `7.0` or `12.50`) and
/// read back with them, which the YAML reading of [`Figure`] cannot do from JSON.
mod figure_json {
    use super::Figure;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use serde_json::value::RawValue;

    fn write<S: Serializer>(figure: &Figure, serializer: S) -> Result<S::Ok, S::Error> {
        let text = figure.text();
        // A figure with no digits to keep (`1e3`, infinity) is the plain number, as it always was.
        match RawValue::from_string(text) {
            Ok(raw) if figure.value().is_finite() && Figure::parse(raw.get()) == Some(*figure) => {
                raw.serialize(serializer)
            }
            _ => serializer.serialize_f64(figure.value()),
        }
    }

    fn read<E: serde::de::Error>(raw: &RawValue) -> Result<Figure, E> {
        Figure::parse(raw.get()).ok_or_else(|| E::custom(format!("not a number: {}", raw.get())))
    }

    /// An optional figure.
    pub mod option {
        use super::*;

        pub fn serialize<S: Serializer>(figure: &Option<Figure>, serializer: S) -> Result<S::Ok, S::Error> {
            match figure {
                Some(figure) => write(figure, serializer),
                None => serializer.serialize_none(),
            }
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Figure>, D::Error> {
            let raw: Option<Box<RawValue>> = Option::deserialize(deserializer)?;
            raw.map(|raw| read(&raw)).transpose()
        }
    }

    /// An optional `[low, high]` pair of figures.
    pub mod interval {
        use super::*;

        pub fn serialize<S: Serializer>(
            interval: &Option<[Figure; 2]>,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            use serde::ser::SerializeTuple;
            let Some([low, high]) = interval else { return serializer.serialize_none() };
            struct One<'a>(&'a Figure);
            impl Serialize for One<'_> {
                fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    write(self.0, serializer)
                }
            }
            let mut pair = serializer.serialize_tuple(2)?;
            pair.serialize_element(&One(low))?;
            pair.serialize_element(&One(high))?;
            pair.end()
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(
            deserializer: D,
        ) -> Result<Option<[Figure; 2]>, D::Error> {
            let raw: Option<[Box<RawValue>; 2]> = Option::deserialize(deserializer)?;
            raw.map(|[low, high]| Ok([read(&low)?, read(&high)?])).transpose()
        }
    }
}
