//! The record: a workbook as one audience may see it, and the source of every file the site writes.
//!
//! Internal material is removed here, once, before anything is rendered: for the public audience,
//! internal answers, internal list items and `::: internal` passages never enter the record, so no
//! template, feed or JSON file can leak them. The record serializes as `workbook.json`, with stable
//! field names and a `schema_version`: a contract, documented by its JSON Schema (`workbook schema
//! --for record`) and read back by [`Record::from_json`] (in `read`). It holds its own types
//! (`types`), not the input's, and values rather than the site's words.

use crate::framework::{Framework, Prompt, PromptForm};
use crate::history::public::Versions;
use crate::history::{Commit, History};
use crate::load::answer::{Evidence, FrontMatter, ListItem, Metric, Signoff, Status, Visibility};
use crate::load::body::Passage;
use crate::load::settings::Settings;
use crate::load::{Answer, Workbook, is_web_address, project_path};
use crate::progress::count_answered;
use jiff::civil::Date;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

mod read;
mod types;
pub use read::READABLE_SCHEMA_VERSIONS;
pub use types::*;

/// Version of the record's shape; raised when a field changes meaning or is removed.
/// 2: `contact.concerns`, `accessibility.method` and `accessibility.known_issues` are passages (as
/// `body` is), so that `::: internal` works in them.
/// 3: a metric's `value` may be null (a suppressed figure, in the public record); metrics, risks,
/// datasets, evidence and engagement gained fields; `responsibility`, `decisions` and the phases'
/// recorded checklists were added; a question's `prompts_answered` is null when its progress is not
/// published (an internal answer, a draft), with `withheld_reason` and `changed_since_signoff` beside.
/// 4: the record holds values, not the site's words: a question's and a checklist item's
/// `status_label` are gone (the theme words the `status`), and a checklist item's `withheld` says an
/// entry is recorded but not published; so that a site can be rendered from the record alone, a
/// question has its answer `file` and `responsibility` its `third_party_involvement`, and a figure is
/// written with the digits its author wrote (`7.0`, `12.50`).
pub const SCHEMA_VERSION: u32 = 4;

/// Who a build is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Audience {
    /// Anyone: nothing internal.
    Public,
    /// The oversight group: everything, internal material marked.
    Internal,
}

impl Audience {
    /// True when internal material is shown.
    pub fn sees_internal(self) -> bool {
        self == Audience::Internal
    }

    /// True when `visibility` may be shown to this audience.
    pub fn may_see(self, visibility: Visibility) -> bool {
        self.sees_internal() || visibility == Visibility::Public
    }
}

/// The whole record.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Record {
    /// Version of this shape.
    pub schema_version: u32,
    /// Who the record is for.
    pub audience: Audience,
    /// The framework answered.
    pub framework: FrameworkRef,
    /// The organisation.
    pub organisation: OrganisationRecord,
    /// The tool.
    pub tool: ToolRecord,
    /// How to get in touch.
    pub contact: ContactRecord,
    /// The site's title, language and addresses.
    pub site: SiteInfo,
    /// The day of the newest commit, when there is history.
    pub last_updated: Option<String>,
    /// Completeness, computed from the files.
    pub progress: Completeness,
    /// The phases, with their checklists and the numbers of their questions.
    pub phases: Vec<PhaseRecord>,
    /// Every question of the framework, answered or not.
    pub questions: Vec<QuestionRecord>,
    /// Every commit shown in the change log, newest first.
    pub changes: Vec<Commit>,
    /// The council's own part of the accessibility statement.
    pub accessibility: AccessibilityRecord,
    /// Who is responsible for the tool: the team, the senior responsible owner, partners and third
    /// parties.
    pub responsibility: ResponsibilityRecord,
    /// Decisions about the tool, oldest first (a decision's date ties keep the file's order).
    pub decisions: Vec<Item<DecisionRecord>>,
    /// What the Algorithmic Transparency Recording Standard asks that the workbook does not: the
    /// `atrs:` section of `workbook.yaml`, without its HTML comments. `workbook.yaml` is public and
    /// `check` refuses a `:::` line in these values; should one reach the record, its internal
    /// passage is cut for the public all the same.
    #[serde(default, skip_serializing_if = "AtrsSettingsRecord::is_empty")]
    pub atrs: AtrsSettingsRecord,
    /// The free-standing pages (`pages/*.md`) the audience may see, in file-name order: none that is
    /// internal, for the public, and without internal passages.
    pub pages: Vec<PageRecord>,
    /// The project's static files, as (path in the site, path in the project), sorted: with the
    /// evidence the record links, every project file a build copies.
    #[serde(skip)]
    pub static_files: Vec<(String, String)>,
}

/// How the public reaches the team.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct ContactRecord {
    /// The team's public email address.
    pub email: String,
    /// The team's public phone number, when there is one.
    pub phone: Option<String>,
    /// How to raise a concern, in Markdown passages.
    pub concerns: Vec<PassageRecord>,
}

/// The council's own part of the accessibility statement.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct AccessibilityRecord {
    /// When the site was last checked by hand.
    pub tested: Option<String>,
    /// Who checked it.
    pub tested_by: Option<String>,
    /// How it was checked and what was found, in Markdown passages.
    pub method: Vec<PassageRecord>,
    /// Problems known and not yet fixed, in Markdown passages.
    pub known_issues: Vec<PassageRecord>,
}

/// Who is responsible for the tool.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct ResponsibilityRecord {
    /// The team that runs the tool.
    pub team: Option<String>,
    /// The role accountable for the tool.
    pub senior_responsible_owner: Option<String>,
    /// Other organisations that share responsibility.
    pub partners: Vec<PartnerRecord>,
    /// Companies and other bodies that build, run or support the tool, as the audience may see them.
    pub third_parties: Vec<Item<ThirdPartyRecord>>,
    /// Whether third parties are involved: true when the audience sees one, false when
    /// `tool.third_parties` lists none, and null (unknown) when every one listed is internal (the
    /// public is told neither yes nor no).
    pub third_party_involvement: Option<bool>,
}

/// The `atrs:` settings as the audience may see them.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct AtrsSettingsRecord {
    /// The values, without HTML comments (and any `::: internal` passage, for the public); a value
    /// left empty by that is absent.
    #[serde(flatten)]
    pub values: crate::load::settings::AtrsSettings,
}

impl AtrsSettingsRecord {
    /// True when there is nothing from `atrs:` to publish.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }
}

/// A free-standing page, as the audience may see it.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct PageRecord {
    /// Its name in the site, from its file name: the page is `<slug>.html`.
    pub slug: String,
    /// Its title.
    pub title: String,
    /// Where it stands in the navigation, when the author set it.
    pub nav_order: Option<i32>,
    /// One sentence on what it is for, when written.
    pub summary: Option<String>,
    /// True when the whole page is internal (only in the internal record).
    pub internal: bool,
    /// The Markdown body, as passages.
    pub body: Vec<PassageRecord>,
    /// The page file, relative to the project.
    #[serde(skip)]
    pub file: String,
}

/// One item of a phase's checklist, with what the team recorded of it, as the audience may see it.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct ChecklistRecord {
    /// The item's id.
    pub id: String,
    /// The item, in the framework's words.
    pub text: String,
    /// Where it stands; null when nothing is recorded or the entry is internal and the audience public.
    pub status: Option<crate::load::settings::ChecklistStatus>,
    /// True when an entry is recorded but internal, and the audience public: the site says "Not
    /// published" rather than "Not recorded".
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub withheld: bool,
    /// When it was done, or its status set.
    pub date: Option<String>,
    /// What was done, or why it does not apply, in Markdown.
    pub note: String,
    /// Documents that show the work.
    pub evidence: Vec<Item<EvidenceRecord>>,
    /// True when the entry is internal (only in the internal record).
    pub internal: bool,
}

/// The framework, by reference.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct FrameworkRef {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its subtitle.
    pub subtitle: String,
    /// Who published it.
    pub publisher: String,
    /// When.
    pub published: String,
    /// Where to read it.
    pub source_url: String,
    /// Its licence's name.
    pub licence: String,
    /// Its licence's address.
    pub licence_url: String,
    /// The attribution to show.
    pub attribution: String,
}

/// What the site needs of the settings.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct SiteInfo {
    /// The title.
    pub title: String,
    /// The language tag.
    pub language: String,
    /// Where the site is published, ending in `/`, when set.
    pub base_url: Option<String>,
    /// The repository's web address, when set and safe to link.
    pub repository_url: Option<String>,
    /// The organisation's website, when safe to link.
    pub organisation_url: Option<String>,
    /// True when the site has a page for the Algorithmic Transparency Recording Standard record
    /// (`site.atrs_page`, on unless set to false).
    pub atrs_page: bool,
}

/// Completeness figures, as the audience may know them. The prompt counts cover only questions whose
/// progress is published: a withheld answer (internal, or a draft that is not published) is counted
/// in `questions_withheld`, not as unanswered prompts; a question with no answer file counts all its
/// prompts as unanswered.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Completeness {
    /// Prompts answered, as a whole percentage of `prompts_total`.
    pub percent: u32,
    /// Prompts answered, in questions whose progress is published.
    pub prompts_answered: usize,
    /// Prompts in questions whose progress is published.
    pub prompts_total: usize,
    /// Questions whose answer is withheld, so whose prompts are in neither count.
    pub questions_withheld: usize,
    /// Questions complete.
    pub questions_complete: usize,
    /// Questions in all.
    pub questions_total: usize,
    /// Checklist items recorded as done (that the audience may see).
    pub checklist_done: usize,
    /// Checklist items recorded as not applicable (that the audience may see).
    pub checklist_not_applicable: usize,
    /// Checklist items in all phases.
    pub checklist_total: usize,
}

/// A phase of the framework.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct PhaseRecord {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// The stages it covers, as "1–4".
    pub stages: String,
    /// The stages' names.
    pub stage_names: Vec<String>,
    /// The framework's description of the phase.
    pub description: String,
    /// The sentence before the checklist.
    pub checklist_lead: String,
    /// The checklist, each item with what the team recorded of it.
    pub checklist: Vec<ChecklistRecord>,
    /// The numbers of its questions.
    pub questions: Vec<u32>,
    /// True when this is the phase the tool is in.
    pub current: bool,
}

/// Why an answer's text is not in the record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Withheld {
    /// Shown.
    No,
    /// No answer file yet.
    Missing,
    /// Still a draft, and drafts are not published.
    Draft,
    /// The whole answer is internal.
    Internal,
}

/// One question with its answer, as the audience may see it.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct QuestionRecord {
    /// Its number.
    pub number: u32,
    /// Its slug.
    pub slug: String,
    /// Its short title.
    pub title: String,
    /// The question, in the framework's words.
    pub text: String,
    /// Its phase's id.
    pub phase: String,
    /// The answer's status; null when the whole answer is internal and the audience public.
    pub status: Option<Status>,
    /// Whether, and why, the answer's text is left out.
    pub withheld: Withheld,
    /// True only in `serve`'s preview: the answer is a draft, shown here although the published site
    /// leaves its text out (`site.publish_drafts` is not set). Never in a built site or its JSON.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub draft_not_published: bool,
    /// True when the whole answer is internal (only in the internal record).
    pub internal: bool,
    /// Prompts answered; null when the answer's text is withheld (internal, or a draft that is not
    /// published), so that a withheld answer never reads as "nothing answered".
    pub prompts_answered: Option<usize>,
    /// Prompts in all (the framework's, so public whatever the answer).
    pub prompts_total: usize,
    /// Why the whole answer is internal, in the author's public words (`withheld_reason`); null
    /// when it is not internal or no reason is given.
    pub withheld_reason: Option<String>,
    /// The date of the latest approving sign-off the audience may see, when the answer's public
    /// content changed in git after it: the answer has changed since it was signed off.
    pub changed_since_signoff: Option<String>,
    /// The owner.
    pub owner: Option<String>,
    /// When last reviewed.
    pub last_reviewed: Option<String>,
    /// When next due for review.
    pub next_review: Option<String>,
    /// True when the review date has passed.
    pub overdue: bool,
    /// The plain-English summary.
    pub summary: String,
    /// The prompts, each with its answer.
    pub prompts: Vec<PromptRecord>,
    /// The Markdown body, as passages.
    pub body: Vec<PassageRecord>,
    /// The blocks the body places (`::: figures` and the like) as the audience may see them, in
    /// order: each goes before the passage of `body` it names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub placements: Vec<PlacementRecord>,
    /// Evidence.
    pub evidence: Vec<Item<EvidenceRecord>>,
    /// Engagement.
    pub engagement: Vec<Item<EngagementRecord>>,
    /// Risks.
    pub risks: Vec<Item<RiskRecord>>,
    /// Datasets.
    pub datasets: Vec<Item<DatasetRecord>>,
    /// Metrics.
    pub metrics: Vec<Item<MetricRecord>>,
    /// Sign-offs.
    pub signoffs: Vec<Item<SignoffRecord>>,
    /// The reasons given for internal list items (public record only): "a risk is not published,
    /// because …". Never the items themselves.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub withheld_items: Vec<WithheldItemRecord>,
    /// Guidance references.
    pub guidance: Vec<crate::framework::Guidance>,
    /// Commits that touched the answer, newest first.
    pub history: Vec<Commit>,
    /// The answer file, relative to the project (`answers/04-risks.md`), which links in other answers
    /// name; null when there is none, or the whole answer is internal and the audience public.
    pub file: Option<String>,
}

/// An internal list item as the public record holds it: which block it belongs to and the reason
/// its author gave, nothing else.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct WithheldItemRecord {
    /// The block (`risks`, `figures` …) the item would be in.
    pub block: crate::load::body::Block,
    /// Why it is not published, in the author's public words.
    pub reason: String,
}

/// A prompt and its answer.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct PromptRecord {
    /// Its stable id.
    pub id: String,
    /// The prompt's words.
    pub text: String,
    /// A sentence printed before it.
    pub lead: Option<String>,
    /// Bullet or paragraph.
    pub form: PromptForm,
    /// The answer, in Markdown (the passages the audience may see, joined); empty when unanswered or
    /// withheld.
    pub answer: String,
    /// The answer's passages, each marked internal or not.
    pub passages: Vec<PassageRecord>,
    /// Nested prompts.
    pub prompts: Vec<PromptRecord>,
}

/// A block the body places: a line such as `::: figures`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PlacementRecord {
    /// The block.
    pub block: crate::load::body::Block,
    /// The index in `body` of the passage it goes before (the number of passages when it goes last).
    pub before: usize,
    /// True when it is placed inside an internal passage (only in the internal record).
    pub internal: bool,
}

/// A stretch of the body.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct PassageRecord {
    /// True inside `::: internal` (only in the internal record).
    pub internal: bool,
    /// The Markdown.
    pub markdown: String,
}

/// Everything a record is built from.
pub struct Inputs<'a> {
    /// The loaded project.
    pub workbook: &'a Workbook,
    /// Its settings.
    pub settings: &'a Settings,
    /// Its framework.
    pub framework: &'a Framework,
    /// Its history.
    pub history: &'a History,
    /// "Today", for overdue reviews.
    pub today: Date,
    /// Who it is for.
    pub audience: Audience,
    /// The base URL, overriding the settings'.
    pub base_url: Option<String>,
}

impl Record {
    /// Builds the record for one audience.
    pub fn build(inputs: &Inputs) -> Record {
        Record::build_with(inputs, false)
    }

    /// Builds the record `serve` previews: as [`Record::build`], but with the text of drafts in it
    /// as if `site.publish_drafts` were set, each such answer marked `draft_not_published` (when the
    /// settings do not publish drafts), so that an author sees the page they are writing. The same
    /// projection: only which answers count as published differs, so nothing internal enters a
    /// public preview.
    pub fn build_preview(inputs: &Inputs) -> Record {
        Record::build_with(inputs, true)
    }

    fn build_with(inputs: &Inputs, preview: bool) -> Record {
        let Inputs { workbook, settings, framework, history, today, audience, .. } = *inputs;
        let versions = Versions { history, current: &workbook.answers };
        // In the preview a draft is published, so that its page, its evidence and its commits are
        // what they will be once it is; the record is told which drafts the real site leaves out.
        let drafts_withheld = !settings.site.publish_drafts;
        let preview_settings;
        let settings = if preview && drafts_withheld {
            let mut publishing = settings.clone();
            publishing.site.publish_drafts = true;
            preview_settings = publishing;
            &preview_settings
        } else {
            settings
        };
        let questions: Vec<QuestionRecord> = framework
            .questions
            .iter()
            .map(|q| {
                let answer = workbook.answers.iter().find(|a| a.front.question == q.number);
                let mut record = question(q, answer, settings, versions, today, audience);
                record.draft_not_published = preview
                    && drafts_withheld
                    && answer.is_some()
                    && matches!(record.status, Some(Status::NotStarted | Status::Draft));
                record
            })
            .collect();
        // Completeness as this audience sees it, from the questions above.
        let answered = questions.iter().filter_map(|q| q.prompts_answered).sum::<usize>();
        let total =
            questions.iter().filter(|q| q.prompts_answered.is_some()).map(|q| q.prompts_total).sum::<usize>();
        let questions_withheld = questions.iter().filter(|q| q.prompts_answered.is_none()).count();
        let phases = framework
            .phases
            .iter()
            .map(|p| PhaseRecord {
                id: p.id.clone(),
                title: p.title.clone(),
                stages: match (p.stages.first(), p.stages.last()) {
                    (Some(a), Some(b)) => format!("{}–{}", a.number, b.number),
                    _ => String::new(),
                },
                stage_names: p.stages.iter().map(|s| s.name.clone()).collect(),
                description: p.description.clone(),
                checklist_lead: p.checklist_lead.clone(),
                checklist: p.checklist.iter().map(|c| checklist_item(c, settings, audience)).collect(),
                questions: framework.questions_in(&p.id).map(|q| q.number).collect(),
                current: p.id == settings.tool.phase.as_str(),
            })
            .collect::<Vec<PhaseRecord>>();
        let checklist = || phases.iter().flat_map(|p: &PhaseRecord| &p.checklist);
        let (checklist_done, checklist_not_applicable, checklist_total) = (
            checklist().filter(|c| c.status == Some(crate::load::settings::ChecklistStatus::Done)).count(),
            checklist()
                .filter(|c| c.status == Some(crate::load::settings::ChecklistStatus::NotApplicable))
                .count(),
            checklist().count(),
        );
        let changes: Vec<Commit> = crate::history::public::changes(
            versions,
            settings,
            audience,
            &questions,
            &public_files(workbook, &questions),
        );
        let base_url = inputs
            .base_url
            .clone()
            .or_else(|| settings.site.base_url.clone())
            .filter(|u| is_web_address(u))
            .map(|u| if u.ends_with('/') { u } else { format!("{u}/") });
        Record {
            schema_version: SCHEMA_VERSION,
            audience,
            framework: FrameworkRef {
                id: framework.id.clone(),
                title: framework.title.clone(),
                subtitle: framework.subtitle.clone(),
                publisher: framework.publisher.clone(),
                published: framework.published.clone(),
                source_url: framework.source_url.clone(),
                licence: framework.licence.name.clone(),
                licence_url: framework.licence.url.clone(),
                attribution: framework.licence.attribution.clone(),
            },
            organisation: OrganisationRecord {
                name: settings.organisation.name.clone(),
                // An address that is not safe to link never enters the record.
                website: settings.organisation.website.clone().filter(|u| is_web_address(u)),
            },
            // Who is responsible is told once, under `responsibility`, where third parties are filtered.
            tool: ToolRecord {
                name: settings.tool.name.clone(),
                summary: settings.tool.summary.clone(),
                phase: settings.tool.phase,
            },
            contact: ContactRecord {
                email: settings.contact.email.clone(),
                phone: settings.contact.phone.clone().filter(|p| !p.trim().is_empty()),
                concerns: settings_passages(workbook, "contact.concerns", audience),
            },
            site: SiteInfo {
                title: settings
                    .site
                    .title
                    .clone()
                    .filter(|t| !t.trim().is_empty())
                    .unwrap_or_else(|| settings.tool.name.clone()),
                language: settings
                    .site
                    .language
                    .clone()
                    .filter(|l| !l.trim().is_empty())
                    .unwrap_or_else(|| "en-GB".into()),
                base_url,
                repository_url: settings.site.repository_url.clone().filter(|u| is_web_address(u)),
                atrs_page: settings.site.atrs_page != Some(false),
                organisation_url: settings.organisation.website.clone().filter(|u| is_web_address(u)),
            },
            last_updated: changes.first().map(|c| c.day().to_owned()),
            progress: Completeness {
                percent: (answered * 100).checked_div(total).map_or(0, |p| p as u32),
                prompts_answered: answered,
                prompts_total: total,
                questions_withheld,
                questions_complete: questions.iter().filter(|q| q.status == Some(Status::Complete)).count(),
                questions_total: questions.len(),
                checklist_done,
                checklist_not_applicable,
                checklist_total,
            },
            phases,
            questions,
            changes,
            accessibility: AccessibilityRecord {
                tested: settings.accessibility.tested.map(|d| d.to_string()),
                tested_by: settings.accessibility.tested_by.clone(),
                method: settings_passages(workbook, "accessibility.method", audience),
                known_issues: settings_passages(workbook, "accessibility.known_issues", audience),
            },
            responsibility: responsibility(settings, audience),
            decisions: decisions(settings, audience),
            atrs: atrs(settings, audience),
            pages: pages(workbook, framework, audience),
            static_files: workbook
                .files_in(crate::load::STATIC_DIR)
                .map(|(relative, path)| (relative.to_owned(), path.to_owned()))
                .collect(),
        }
    }

    /// The question with this number.
    pub fn question(&self, number: u32) -> Option<&QuestionRecord> {
        self.questions.iter().find(|q| q.number == number)
    }

    /// Every project file a build of this record copies, as (path in the site, path in the project):
    /// the static files, then the evidence the record links (which keeps its path).
    pub fn copied_files(&self) -> Vec<(String, String)> {
        let evidence = self.evidence_files().into_iter().map(|path| (path.clone(), path));
        self.static_files.iter().cloned().chain(evidence).collect()
    }

    /// Project files (relative, `/`-separated) that the record links as evidence, sorted: the
    /// answers' and the checklists'.
    pub fn evidence_files(&self) -> Vec<String> {
        let checklists = self.phases.iter().flat_map(|p| &p.checklist).flat_map(|c| &c.evidence);
        let mut files: Vec<String> = self
            .questions
            .iter()
            .flat_map(|q| &q.evidence)
            .chain(checklists)
            .filter_map(|e| e.item.file.clone())
            .chain(self.linked_files())
            .collect();
        files.sort();
        files.dedup();
        files
    }

    /// The files in `evidence/` that the record's Markdown links or shows as images: published as
    /// evidence is, so that a link in an answer leads somewhere.
    fn linked_files(&self) -> Vec<String> {
        use crate::links::{Target, local_links, resolve};
        let mut markdown: Vec<(&str, &str)> = Vec::new();
        for q in &self.questions {
            markdown.extend(q.body.iter().map(|p| (crate::load::ANSWERS_DIR, p.markdown.as_str())));
            let mut prompts: Vec<&PromptRecord> = q.prompts.iter().collect();
            while let Some(p) = prompts.pop() {
                markdown.extend(p.passages.iter().map(|p| (crate::load::ANSWERS_DIR, p.markdown.as_str())));
                prompts.extend(&p.prompts);
            }
        }
        for page in &self.pages {
            markdown.extend(page.body.iter().map(|p| (crate::load::PAGES_DIR, p.markdown.as_str())));
        }
        let settings = self
            .contact
            .concerns
            .iter()
            .chain(&self.accessibility.method)
            .chain(&self.accessibility.known_issues);
        markdown.extend(settings.map(|p| ("", p.markdown.as_str())));
        markdown.extend(self.phases.iter().flat_map(|p| &p.checklist).map(|c| ("", c.note.as_str())));
        markdown.extend(self.decisions.iter().map(|d| ("", d.item.note.as_str())));
        markdown
            .into_iter()
            .flat_map(|(base, text)| local_links(text).into_iter().map(move |l| (base, l.url)))
            .filter_map(|(base, url)| match resolve(base, url) {
                Some(Target::Evidence { file }) => Some(file),
                _ => None,
            })
            .collect()
    }
}

/// The pages of `pages/` that `audience` may see. A page whose name is one the site gives another
/// page (`check` refuses it) is left out, so that it can never take that page's place.
fn pages(workbook: &Workbook, framework: &Framework, audience: Audience) -> Vec<PageRecord> {
    workbook
        .pages
        .iter()
        .filter(|p| audience.may_see(p.front.visibility))
        .filter(|p| crate::plan::page_name_taken(&p.slug, framework).is_none())
        .map(|p| page_record(p, audience))
        .collect()
}

/// One page as `audience` may see it, which the caller has checked it may: the one projection of a
/// page, for the site and for the public history of its versions.
pub(crate) fn page_record(p: &crate::load::page::PageFile, audience: Audience) -> PageRecord {
    PageRecord {
        slug: p.slug.clone(),
        title: p.front.title.clone(),
        nav_order: p.front.nav_order,
        summary: p.front.summary.clone().filter(|s| !s.trim().is_empty()),
        internal: p.front.visibility.is_internal(),
        body: passage_records(p.body(audience.sees_internal())),
        file: crate::diagnostic::display_path(&p.file.path),
    }
}

/// The project files the public may know exist: the settings, the files of answers the public
/// may read (drafts included: their existence and status are public), the evidence those answers
/// link publicly, and the project's own static files and templates.
fn public_files(workbook: &Workbook, questions: &[QuestionRecord]) -> std::collections::BTreeSet<String> {
    let mut files: std::collections::BTreeSet<String> = [crate::load::SETTINGS_FILE.to_owned()].into();
    for q in questions.iter().filter(|q| q.withheld != Withheld::Internal) {
        files.extend(q.file.clone());
    }
    for answer in workbook.answers.iter().filter(|a| a.front.visibility == Visibility::Public) {
        for e in answer.front.evidence.iter().filter(|e| e.visibility == Visibility::Public) {
            files.extend(e.file.as_deref().and_then(|f| project_path(f).ok()));
        }
    }
    if let Some(settings) = &workbook.settings {
        let public_entries = settings.checklist.values().filter(|c| c.visibility == Visibility::Public);
        for e in public_entries.flat_map(|c| &c.evidence).filter(|e| e.visibility == Visibility::Public) {
            files.extend(e.file.as_deref().and_then(|f| project_path(f).ok()));
        }
    }
    for dir in [crate::load::STATIC_DIR, crate::load::TEMPLATES_DIR] {
        files.extend(workbook.files_in(dir).map(|(_, path)| path.to_owned()));
    }
    files
}

/// One question with its answer, as `audience` may see it.
pub(crate) fn question(
    q: &crate::framework::Question,
    answer: Option<&Answer>,
    settings: &Settings,
    versions: Versions<'_>,
    today: Date,
    audience: Audience,
) -> QuestionRecord {
    let front = answer.map(|a| &a.front);
    let status = front.map_or(Status::NotStarted, |f| f.status);
    let internal = front.is_some_and(|f| f.visibility == Visibility::Internal);
    let is_draft = matches!(status, Status::NotStarted | Status::Draft);
    let withheld = match answer {
        None => Withheld::Missing,
        Some(_) if audience.sees_internal() => Withheld::No,
        Some(_) if internal => Withheld::Internal,
        Some(_) if is_draft && !settings.site.publish_drafts => Withheld::Draft,
        Some(_) => Withheld::No,
    };
    // Counted from what the audience may read: a prompt answered only in an internal passage is not
    // answered for the public, and an internal answer tells the public nothing, not even its progress.
    // A withheld answer's count is not published either: "2 of 4 answered" beside no text, or
    // "0 of 4" for an answer that exists, would both mislead.
    let (answered, total) = match answer {
        Some(_) if matches!(withheld, Withheld::Internal | Withheld::Draft) => (None, q.prompts.len().max(1)),
        Some(a) => {
            let (answered, total, _) = count_answered(q, a, audience.sees_internal());
            (Some(answered), total)
        }
        None => (Some(0), q.prompts.len().max(1)),
    };
    let status = Some(status).filter(|_| withheld != Withheld::Internal);
    let shown = answer.filter(|_| withheld == Withheld::No);
    // The dates and owner of an internal answer are internal too.
    let meta = answer.filter(|_| withheld != Withheld::Internal).map(|a| &a.front);
    let file = answer.map(|a| crate::diagnostic::display_path(&a.file.path));
    QuestionRecord {
        number: q.number,
        slug: q.slug.clone(),
        title: q.title.clone(),
        text: q.text.clone(),
        phase: q.phase.clone(),
        status,
        withheld,
        draft_not_published: false,
        internal: internal && audience.sees_internal(),
        prompts_answered: answered,
        prompts_total: total,
        withheld_reason: front
            .filter(|f| f.visibility == Visibility::Internal)
            .and_then(|f| f.withheld_reason.clone())
            .filter(|r| !r.trim().is_empty()),
        changed_since_signoff: shown.and_then(|a| {
            let signed = latest_approval(a.front.signoffs.iter().filter(|s| audience.may_see(s.visibility)))?;
            let changed = crate::history::public::content_changed(versions, q.number, settings)?;
            (changed.as_str() > signed.to_string().as_str()).then(|| signed.to_string())
        }),
        owner: meta.and_then(|f| f.owner.clone()).filter(|o| !o.trim().is_empty()),
        last_reviewed: meta.and_then(|f| f.last_reviewed).map(|d| d.to_string()),
        next_review: meta.and_then(|f| f.next_review).map(|d| d.to_string()),
        overdue: meta.and_then(|f| f.next_review).is_some_and(|d| d < today),
        summary: shown.map(|a| a.front.summary.clone()).unwrap_or_default(),
        prompts: q.prompts.iter().map(|p| prompt(p, shown, audience)).collect(),
        body: shown.map(|a| passage_records(a.body(audience.sees_internal()))).unwrap_or_default(),
        placements: shown.map(|a| placement_records(a, audience)).unwrap_or_default(),
        evidence: items(shown, audience, |f| &f.evidence)
            .into_iter()
            .map(safe_evidence)
            .map(|e| e.map(EvidenceRecord::from))
            .collect(),
        engagement: into_records(items(shown, audience, |f| &f.engagement)),
        risks: into_records(items(shown, audience, |f| &f.risks)),
        datasets: into_records(items(shown, audience, |f| &f.datasets)),
        metrics: items(shown, audience, |f| &f.metrics)
            .into_iter()
            .map(|m| suppress(m, settings, audience))
            .map(|m| m.map(MetricRecord::from))
            .collect(),
        signoffs: into_records(items(shown, audience, |f| &f.signoffs)),
        withheld_items: withheld_items(shown, audience),
        guidance: q.guidance.clone(),
        history: match (&file, withheld) {
            (Some(_), w) if w != Withheld::Internal => {
                crate::history::public::of_question(versions, q.number, settings, audience)
            }
            _ => Vec::new(),
        },
        // The public is not told which file holds an internal answer.
        file: file.filter(|_| audience.sees_internal() || withheld != Withheld::Internal),
    }
}

/// The date of the latest approving sign-off (`approved` or `approved-with-conditions`) of
/// `signoffs`, when there is one.
pub(crate) fn latest_approval<'a>(signoffs: impl Iterator<Item = &'a Signoff>) -> Option<Date> {
    use crate::load::answer::Decision;
    signoffs
        .filter(|s| matches!(s.decision, Decision::Approved | Decision::ApprovedWithConditions))
        .map(|s| s.date)
        .max()
}

/// Evidence as the record holds it: an address that is not safe to link, or a path that is not a
/// project path, never enters it.
fn safe_evidence(mut e: Item<Evidence>) -> Item<Evidence> {
    e.item.url = e.item.url.filter(|u| is_web_address(u));
    e.item.file = e.item.file.as_deref().and_then(|f| project_path(f).ok());
    e
}

/// One checklist item with the entry `settings` record for it, as `audience` may see it.
fn checklist_item(
    item: &crate::framework::ChecklistItem,
    settings: &Settings,
    audience: Audience,
) -> ChecklistRecord {
    let recorded = settings.checklist.get(&item.id);
    let shown = recorded.filter(|e| audience.may_see(e.visibility));
    ChecklistRecord {
        id: item.id.clone(),
        text: item.text.clone(),
        status: shown.map(|e| e.status),
        withheld: recorded.is_some() && shown.is_none(),
        date: shown.and_then(|e| e.date).map(|d| d.to_string()),
        note: shown.map(|e| e.note.clone()).unwrap_or_default(),
        evidence: shown
            .map(|e| {
                e.evidence
                    .iter()
                    .enumerate()
                    .filter(|(_, ev)| audience.may_see(ev.visibility))
                    .map(|(index, ev)| {
                        safe_evidence(Item { internal: ev.visibility.is_internal(), index, item: ev.clone() })
                            .map(EvidenceRecord::from)
                    })
                    .collect()
            })
            .unwrap_or_default(),
        internal: shown.is_some_and(|e| e.visibility.is_internal()),
    }
}

/// Who is responsible for the tool, as `audience` may see it.
fn responsibility(settings: &Settings, audience: Audience) -> ResponsibilityRecord {
    let text = |value: &Option<String>| value.clone().filter(|v| !v.trim().is_empty());
    ResponsibilityRecord {
        team: text(&settings.tool.team),
        senior_responsible_owner: text(&settings.tool.senior_responsible_owner),
        partners: settings.organisation.partners.iter().cloned().map(PartnerRecord::from).collect(),
        third_parties: into_records(visible_items(&settings.tool.third_parties, audience, |t| t.visibility)),
        third_party_involvement: third_party_involvement(settings, audience),
    }
}

/// Whether third parties are involved, as `audience` may know: yes when it sees one, no when
/// `tool.third_parties` lists none, and unknown when every one listed is internal.
fn third_party_involvement(settings: &Settings, audience: Audience) -> Option<bool> {
    let third_parties = &settings.tool.third_parties;
    if third_parties.iter().any(|t| audience.may_see(t.visibility)) {
        Some(true)
    } else if third_parties.is_empty() {
        Some(false)
    } else {
        None
    }
}

/// The decisions about the tool that `audience` may see, oldest first: a timeline reads in the order
/// things happened, and the newest decision ends it, where the reader's eye lands last.
fn decisions(settings: &Settings, audience: Audience) -> Vec<Item<DecisionRecord>> {
    let mut decisions: Vec<Item<DecisionRecord>> =
        into_records(visible_items(&settings.decisions, audience, |d| d.visibility));
    decisions.sort_by_key(|d| d.item.date);
    decisions
}

/// Input items as the record's own.
fn into_records<T, R: From<T>>(items: Vec<Item<T>>) -> Vec<Item<R>> {
    items.into_iter().map(|i| i.map(R::from)).collect()
}

/// The items of a settings list that `audience` may see, each marked internal or not.
fn visible_items<T: Clone>(
    list: &[T],
    audience: Audience,
    visibility: impl Fn(&T) -> Visibility,
) -> Vec<Item<T>> {
    list.iter()
        .enumerate()
        .filter(|(_, item)| audience.may_see(visibility(item)))
        .map(|(index, item)| Item { internal: visibility(item).is_internal(), index, item: item.clone() })
        .collect()
}

/// A metric as the audience may see it: a suppressed figure's value, baseline, count and interval
/// never enter the public record, so no page, chart or export can show them. Its reason is always
/// there, "fewer than 10 children" when the author gave none.
fn suppress(mut m: Item<Metric>, settings: &Settings, audience: Audience) -> Item<Metric> {
    if !m.item.suppressed {
        return m;
    }
    if m.item.suppressed_reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
        m.item.suppressed_reason = Some(format!("fewer than {} children", settings.check.small_numbers));
    }
    if !audience.sees_internal() {
        m.item.value = None;
        m.item.baseline = None;
        m.item.n = None;
        m.item.interval = None;
    }
    m
}

fn prompt(p: &Prompt, answer: Option<&Answer>, audience: Audience) -> PromptRecord {
    let passages: Vec<PassageRecord> = answer
        .and_then(|a| Some((a.front.prompts.get(&p.id)?, a.prompt_passages.get(&p.id)?)))
        .map(|(text, passages)| visible_passages(text, passages, audience))
        .unwrap_or_default();
    PromptRecord {
        id: p.id.clone(),
        text: p.text.clone(),
        lead: p.lead.clone(),
        form: p.form,
        answer: passages
            .iter()
            .map(|passage| passage.markdown.as_str())
            .collect::<String>()
            .trim()
            .to_owned(),
        passages,
        prompts: p.prompts.iter().map(|c| prompt(c, answer, audience)).collect(),
    }
}

/// Passages as the record holds them, blank ones left out.
fn passage_records<'a>(passages: impl Iterator<Item = (&'a Passage, &'a str)>) -> Vec<PassageRecord> {
    passages
        .filter(|(_, text)| !text.trim().is_empty())
        .map(|(passage, text)| PassageRecord { internal: passage.internal, markdown: text.to_owned() })
        .collect()
}

/// The body's placement lines that the audience may see, each counted against the passages that
/// [`passage_records`] keeps, so that a block goes between the same stretches of prose it was
/// written between.
fn placement_records(answer: &Answer, audience: Audience) -> Vec<PlacementRecord> {
    let kept: Vec<&Passage> = answer
        .body(audience.sees_internal())
        .filter(|(_, text)| !text.trim().is_empty())
        .map(|(passage, _)| passage)
        .collect();
    answer
        .placements
        .iter()
        .filter(|p| audience.sees_internal() || !p.internal)
        .map(|p| PlacementRecord {
            block: p.block,
            before: kept.iter().filter(|passage| passage.range.end <= p.range.start).count(),
            internal: p.internal,
        })
        .collect()
}

/// The passages of `text` that the audience may see.
fn visible_passages<'a>(text: &'a str, passages: &'a [Passage], audience: Audience) -> Vec<PassageRecord> {
    passage_records(
        passages
            .iter()
            .filter(|passage| audience.sees_internal() || !passage.internal)
            .map(|passage| (passage, &text[passage.range.clone()])),
    )
}

/// The passages of a Markdown setting that the audience may see.
fn settings_passages(workbook: &Workbook, path: &str, audience: Audience) -> Vec<PassageRecord> {
    // Settings that loaded always have their passages; without them nothing is shown (fail closed).
    workbook
        .settings_markdown
        .get(path)
        .map(|markdown| visible_passages(&markdown.text, &markdown.passages, audience))
        .unwrap_or_default()
}

/// The items of one list that the audience may see, each marked internal or not.
fn items<T: Clone + ListItem>(
    answer: Option<&Answer>,
    audience: Audience,
    list: impl Fn(&FrontMatter) -> &Vec<T>,
) -> Vec<Item<T>> {
    let Some(answer) = answer else { return Vec::new() };
    let mut items = visible_items(list(&answer.front), audience, T::visibility);
    for item in items.iter_mut().filter(|i| !i.internal) {
        item.item.clear_withheld_reason();
    }
    items
}

/// The reasons `answer` gives for its internal list items, block by block, when the audience is
/// the public: the page then says that an item is not published and why. Items without a reason
/// are left out silently, as before; the internal record has the items themselves.
fn withheld_items(answer: Option<&Answer>, audience: Audience) -> Vec<WithheldItemRecord> {
    use crate::load::body::Block;
    fn reasons<T: ListItem>(block: Block, list: &[T], out: &mut Vec<WithheldItemRecord>) {
        let withheld = list.iter().filter(|i| i.visibility().is_internal());
        out.extend(
            withheld
                .filter_map(|i| i.withheld_reason())
                .map(|r| WithheldItemRecord { block, reason: r.to_string() }),
        );
    }
    let mut out = Vec::new();
    let Some(front) = answer.filter(|_| !audience.sees_internal()).map(|a| &a.front) else { return out };
    reasons(Block::Evidence, &front.evidence, &mut out);
    reasons(Block::Engagement, &front.engagement, &mut out);
    reasons(Block::Risks, &front.risks, &mut out);
    reasons(Block::Datasets, &front.datasets, &mut out);
    reasons(Block::Figures, &front.metrics, &mut out);
    reasons(Block::Signoffs, &front.signoffs, &mut out);
    out
}

/// The `atrs:` settings as `audience` may see them: Markdown without comments, and without any
/// `::: internal` passage for the public (a value that cannot be cut is left out: fail closed).
fn atrs(settings: &Settings, audience: Audience) -> AtrsSettingsRecord {
    let visible = |value: &Option<String>| -> Option<String> {
        let text = value.as_deref()?;
        let (uncommented, passages) = crate::load::body::cut_uncommented(text).ok()?;
        let text = uncommented.as_deref().unwrap_or(text);
        let shown = crate::load::body::visible(text, &passages, audience.sees_internal());
        Some(shown.trim().to_owned()).filter(|s| !s.is_empty())
    };
    let given = &settings.atrs;
    let mut values = crate::load::settings::AtrsSettings {
        models: given.models.as_ref().map(|models| {
            models
                .iter()
                .map(|m| crate::load::settings::AtrsModel {
                    model_name: visible(&m.model_name),
                    model_version: visible(&m.model_version),
                    model_task: visible(&m.model_task),
                    model_input: visible(&m.model_input),
                    model_output: visible(&m.model_output),
                    model_architecture: visible(&m.model_architecture),
                    model_performance: visible(&m.model_performance),
                })
                .collect()
        }),
        ..given.clone()
    };
    for (attribute, value) in given.values() {
        if let Some(slot) = values.value_mut(attribute) {
            *slot = visible(value);
        }
    }
    AtrsSettingsRecord { values }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The record of a bundled project for `audience`.
    fn record_of(project: &str, audience: Audience) -> Record {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(project);
        let options =
            crate::build::BuildOptions { audience, base_url: None, today: jiff::civil::date(2026, 12, 1) };
        match crate::build::load_record(&root, &options) {
            Ok(record) => record,
            Err(errors) => panic!("{project} does not build: {errors:?}"),
        }
    }

    #[test]
    fn the_record_reads_back_from_its_json_and_writes_the_same_json_again() {
        for project in ["example-project", "tests/fixtures/kitchen-sink", "tests/fixtures/canary"] {
            for audience in [Audience::Public, Audience::Internal] {
                let json = crate::site::json::render(&record_of(project, audience));
                let read: Record = match serde_json::from_str(&json) {
                    Ok(read) => read,
                    Err(e) => panic!("{project} ({audience:?}): {e}"),
                };
                assert_eq!(crate::site::json::render(&read), json, "{project} ({audience:?})");
            }
        }
    }
}
