//! Planning the site: which pages there are, where each is written, and the context its template gets.
//!
//! Everything a template shows comes from the [`Record`], which holds only what the audience may
//! see. Markdown is turned into HTML here, once per fragment, so templates insert it as it is and
//! escape everything else.

use crate::history::Commit;
use crate::links::SiteLinks;
use crate::load::answer::{Decision, Level, RiskStatus, Status};
use crate::record::{Audience, PromptRecord, QuestionRecord, Record, Withheld};
use crate::render::chart;
use crate::render::markdown::to_html_linked;
use rayon::prelude::*;
use serde::Serialize;
use serde_json::{Value, json};

/// One page of the site.
#[derive(Debug, Clone)]
pub struct Page {
    /// Where it is written, relative to the output folder.
    pub path: String,
    /// The template that renders it.
    pub template: &'static str,
    /// Its title, for the `<title>` and the sitemap.
    pub title: String,
    /// The page's own context (`page.…` in its template, with its `path` and `title`), beside the
    /// site-wide one. It is the template engine's value, whose lists and maps are shared, not
    /// copied: a question's view is converted once, and its page, its phase's page and the print
    /// page all hold it.
    pub context: tera::Value,
    /// Whether the page is listed in the sitemap.
    pub in_sitemap: bool,
}

impl Page {
    /// A page whose context is `own` (an object) with `shared` beside it, and its path and title.
    fn new(
        path: String,
        template: &'static str,
        title: String,
        own: Value,
        shared: Vec<(&'static str, tera::Value)>,
        in_sitemap: bool,
    ) -> Page {
        let mut context: std::collections::BTreeMap<String, tera::Value> = match own {
            Value::Object(own) => own.into_iter().map(|(key, value)| (key, template_value(&value))).collect(),
            _ => std::collections::BTreeMap::new(),
        };
        context.extend(shared.into_iter().map(|(key, value)| (key.to_owned(), value)));
        context.insert("path".into(), path.as_str().into());
        context.insert("title".into(), title.as_str().into());
        Page { path, template, title, context: context.into(), in_sitemap }
    }
}

/// `value` as a template reads it. What is planned is maps with string keys, lists and scalars,
/// which always convert; anything else would read as nothing rather than stop the build.
fn template_value(value: &impl Serialize) -> tera::Value {
    tera::Value::try_from_serializable(value).unwrap_or_else(|_| tera::Value::none())
}

/// The site, planned: its pages and the context every page shares.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Context every template gets: the site, its phases and questions for navigation.
    pub shared: Value,
    /// The pages, in a fixed order.
    pub pages: Vec<Page>,
}

/// A question as templates show it.
#[derive(Debug, Clone, Serialize)]
pub struct QuestionView<'a> {
    /// The record of the question.
    #[serde(flatten)]
    pub record: &'a QuestionRecord,
    /// The page it is on.
    pub file: String,
    /// The phase's title.
    pub phase_title: String,
    /// The status tag's class: grey, blue, yellow or green.
    pub status_class: &'static str,
    /// The status as a reader sees it ([`question_status_label`]).
    pub status_label: &'static str,
    /// The prompts with their answers as HTML.
    pub prompt_views: Vec<PromptView>,
    /// The words of the prompts with no answer, for the print view's one line.
    pub unanswered_prompts: Vec<String>,
    /// The body's passages as HTML.
    pub body_html: Vec<PassageView>,
    /// The body's passages and the blocks (tables and charts) in the order the page shows them:
    /// each block the body places where its line was, the others after the body in their default
    /// order.
    pub answer_parts: Vec<AnswerPart>,
    /// Evidence with a safe link.
    pub evidence_views: Vec<Value>,
    /// Risks with readable labels.
    pub risk_views: Vec<Value>,
    /// Sign-offs with readable decisions.
    pub signoff_views: Vec<Value>,
    /// True when any evidence has a date, so that the table has a date column.
    pub evidence_dated: bool,
    /// True when any risk has a rating after mitigation, so that the table says "before → after".
    pub risks_residual: bool,
    /// The datasets the tool uses.
    pub datasets_in_use: Vec<Value>,
    /// The datasets the tool no longer uses, with when and why it stopped.
    pub datasets_removed: Vec<Value>,
    /// Metrics grouped by name, each with a chart.
    pub metric_groups: Vec<MetricGroup>,
    /// The answer's history, with links to commits.
    pub history_views: Vec<Value>,
    /// Why the text is not shown, as a sentence for readers; empty when it is shown.
    pub withheld_note: &'static str,
}

/// A prompt with its answer as HTML.
#[derive(Debug, Clone, Serialize)]
pub struct PromptView {
    /// Its id.
    pub id: String,
    /// Its words.
    pub text: String,
    /// A sentence before it.
    pub lead: Option<String>,
    /// True when it is printed as a sentence rather than a bullet.
    pub paragraph: bool,
    /// The answer as HTML; empty when unanswered.
    pub answer_html: String,
    /// Nested prompts.
    pub prompts: Vec<PromptView>,
    /// True when it, or any prompt nested in it, has an answer.
    pub answered: bool,
}

/// A passage of the body as HTML.
#[derive(Debug, Clone, Serialize)]
pub struct PassageView {
    /// True for an internal passage.
    pub internal: bool,
    /// The HTML.
    pub html: String,
}

/// A passage of the body, or a block of tables or charts, in its place on the page.
#[derive(Debug, Clone, Serialize)]
pub struct AnswerPart {
    /// The passage, for a part that is one.
    pub passage: Option<PassageView>,
    /// The block's name (`figures`, `risks` …), for a part that is one.
    pub block: Option<&'static str>,
    /// True for a block that the body places, so that its headings sit below the body's.
    pub placed: bool,
    /// For a block: a sentence for each of its internal items that has a public reason ("A risk is
    /// not published. Why: …"), in the answer's order.
    pub withheld: Vec<String>,
}

/// A sentence for each internal item of `block` whose author said, in public words, why it is not
/// published.
fn withheld_sentences(q: &QuestionRecord, block: crate::load::body::Block) -> Vec<String> {
    use crate::load::body::Block;
    let item = match block {
        Block::Evidence => "A supporting document",
        Block::Engagement => "A record of engagement",
        Block::Risks => "A risk",
        Block::Datasets => "A dataset",
        Block::Figures => "A figure",
        Block::Signoffs => "A sign-off",
    };
    q.withheld_items
        .iter()
        .filter(|w| w.block == block)
        .map(|w| format!("{item} is not published. Why: {}", w.reason))
        .collect()
}

/// The parts of `q` in page order: its passages with the blocks it places among them, then the
/// blocks it does not place.
fn answer_parts(q: &QuestionRecord, passages: &[PassageView]) -> Vec<AnswerPart> {
    let block = |b: crate::load::body::Block, placed| AnswerPart {
        passage: None,
        block: Some(b.name()),
        placed,
        withheld: withheld_sentences(q, b),
    };
    let mut parts = Vec::new();
    let mut placements = q.placements.iter().peekable();
    for (i, passage) in passages.iter().enumerate() {
        while let Some(p) = placements.next_if(|p| p.before <= i) {
            parts.push(block(p.block, true));
        }
        parts.push(AnswerPart {
            passage: Some(passage.clone()),
            block: None,
            placed: false,
            withheld: Vec::new(),
        });
    }
    parts.extend(placements.map(|p| block(p.block, true)));
    parts.extend(
        crate::load::body::Block::ALL
            .into_iter()
            .filter(|b| !q.placements.iter().any(|p| p.block == *b))
            .map(|b| block(b, false)),
    );
    parts
}

/// Metrics of one name, as a table and a chart.
#[derive(Debug, Clone, Serialize)]
pub struct MetricGroup {
    /// The metric's name.
    pub name: String,
    /// Its unit.
    pub unit: String,
    /// True when any row has a baseline.
    pub has_baseline: bool,
    /// True when any row has an interval.
    pub has_interval: bool,
    /// True when any row says the count it is based on.
    pub has_n: bool,
    /// The periods the figures cover, each once, in the order met.
    pub periods: Vec<String>,
    /// What the baselines are, each once, in the order met.
    pub baseline_labels: Vec<String>,
    /// The rows.
    pub rows: Vec<Value>,
    /// The chart, as inline SVG.
    pub chart_svg: String,
}

/// Output paths of the pages other than questions and phases.
pub mod paths {
    /// The home page.
    pub const HOME: &str = "index.html";
    /// The change log.
    pub const CHANGES: &str = "changes.html";
    /// The accessibility statement.
    pub const ACCESSIBILITY: &str = "accessibility.html";
    /// The print view.
    pub const PRINT: &str = "print.html";
    /// The record in the Algorithmic Transparency Recording Standard's fields.
    pub const ATRS: &str = "algorithmic-transparency-record.html";
    /// The reviewers' page (internal builds only).
    pub const REVIEWERS: &str = "reviewers.html";
    /// The not-found page.
    pub const NOT_FOUND: &str = "404.html";
    /// The Atom feed.
    pub const FEED: &str = "feed.xml";
    /// The record as JSON.
    pub const JSON: &str = "workbook.json";
    /// The sitemap.
    pub const SITEMAP: &str = "sitemap.xml";
    /// The robots file.
    pub const ROBOTS: &str = "robots.txt";

    /// The page of a question.
    pub fn question(number: u32, slug: &str) -> String {
        format!("{number:02}-{slug}.html")
    }

    /// The page of a phase.
    pub fn phase(id: &str) -> String {
        format!("phase-{id}.html")
    }
}

/// Why a page file named `slug` (`pages/<slug>.md`) cannot be published as `<slug>.html`, when it
/// cannot: the name is one the site gives its own pages (the home page, a question's or a phase's
/// page …), compared without regard to case, as some file systems compare; or it is not written in
/// lowercase letters, digits and hyphens, the names the site's addresses are made of.
pub fn page_name_taken(slug: &str, framework: &crate::framework::Framework) -> Option<String> {
    let well_formed = slug
        .split('-')
        .all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()));
    if !well_formed {
        return Some(format!(
            "`{slug}` cannot be the name of a page: a page's name is lowercase letters, digits and single hyphens"
        ));
    }
    let path = format!("{slug}.html");
    let own =
        // The ATRS page is taken whether or not `site.atrs_page` is on: turning it on must not lose a page.
        [paths::HOME, paths::CHANGES, paths::ACCESSIBILITY, paths::PRINT, paths::ATRS, paths::REVIEWERS, paths::NOT_FOUND]
            .map(str::to_owned)
            .into_iter()
            .chain(framework.questions.iter().map(|q| paths::question(q.number, &q.slug)))
            .chain(framework.phases.iter().map(|p| paths::phase(&p.id)));
    own.into_iter()
        .find(|taken| taken.eq_ignore_ascii_case(&path))
        .map(|taken| format!("a page named `{slug}` would be written over the site's own `{taken}`"))
}

/// The free-standing pages as the navigation lists them: by `nav_order` (those without one last),
/// then by title, then by name.
fn nav_pages(record: &Record) -> Vec<&crate::record::PageRecord> {
    let mut pages: Vec<&crate::record::PageRecord> = record.pages.iter().collect();
    pages.sort_by(|a, b| {
        let order = |p: &crate::record::PageRecord| (p.nav_order.is_none(), p.nav_order);
        order(a).cmp(&order(b)).then_with(|| a.title.cmp(&b.title)).then_with(|| a.slug.cmp(&b.slug))
    });
    pages
}

/// The page of a free-standing page file.
fn page_of(page: &crate::record::PageRecord, links: &SiteLinks) -> Page {
    let own = json!({
        "kind": "page",
        "free_page": {
            "title": page.title, "summary": page.summary, "internal": page.internal,
            "body_html": passages_html(&page.body, &format!("page-{}-", page.slug), 2, links, crate::load::PAGES_DIR),
        },
    });
    Page::new(format!("{}.html", page.slug), "page.html", page.title.clone(), own, Vec::new(), true)
}

/// Plans every page of the site for `record`.
pub fn plan(record: &Record) -> Plan {
    let links = SiteLinks::new(record);
    let links = &links;
    let views: Vec<QuestionView> =
        record.questions.par_iter().map(|q| question_view(record, q, links)).collect();
    let concerns_html = passages_html(&record.contact.concerns, "concerns-", 3, links, "");
    let nav_phases: Vec<Value> = record
        .phases
        .iter()
        .map(|p| {
            json!({
                "id": p.id, "title": p.title, "stages": p.stages, "current": p.current,
                "file": paths::phase(&p.id),
                "questions": views.iter().filter(|v| v.record.phase == p.id).map(brief).collect::<Vec<_>>(),
            })
        })
        .collect();
    let shared = json!({
        "site": record.site,
        "organisation": record.organisation,
        "tool": record.tool,
        "contact": record.contact,
        "concerns_html": concerns_html,
        "accessibility": {
            "tested": record.accessibility.tested,
            "tested_by": record.accessibility.tested_by,
            "method_html": passages_html(&record.accessibility.method, "a11y-method-", 3, links, ""),
            "known_issues_html": passages_html(&record.accessibility.known_issues, "a11y-issues-", 4, links, ""),
        },
        "framework": record.framework,
        "audience": record.audience,
        "internal_build": record.audience == Audience::Internal,
        "last_updated": record.last_updated,
        "progress": record.progress,
        "phases": nav_phases,
        "nav_pages": nav_pages(record).iter().map(|p| json!({
            "title": p.title, "file": format!("{}.html", p.slug), "internal": p.internal,
        })).collect::<Vec<_>>(),
        "current_phase": record.phases.iter().find(|p| p.current).map(|p| p.title.clone()),
        "tool_phase": record.tool.phase.as_str(),
        "links": {
            "home": paths::HOME, "changes": paths::CHANGES, "accessibility": paths::ACCESSIBILITY,
            "print": paths::PRINT, "feed": paths::FEED, "json": paths::JSON,
            "atrs": if record.site.atrs_page { Some(paths::ATRS) } else { None },
            "reviewers": if record.audience == Audience::Internal { Some(paths::REVIEWERS) } else { None },
        },
    });
    // Each view converted once: the question's page, its phase's page and the print page share it.
    let view_values: Vec<tera::Value> = views.par_iter().map(template_value).collect();
    let views_where = |keep: &dyn Fn(&QuestionView) -> bool| -> tera::Value {
        views
            .iter()
            .zip(&view_values)
            .filter(|(v, _)| keep(v))
            .map(|(_, value)| value.clone())
            .collect::<Vec<_>>()
            .into()
    };
    let mut pages = Vec::new();
    let describe =
        views.iter().zip(&view_values).find(|(v, _)| v.record.number == 1).map(|(_, value)| value.clone());
    pages.push(Page::new(
        paths::HOME.into(),
        "index.html",
        record.site.title.clone(),
        json!({
            "kind": "home",
            "responsibility": responsibility_view(record),
            "decision_views": decision_views(record, links),
        }),
        vec![("describe", describe.unwrap_or_else(tera::Value::none))],
        true,
    ));
    for (i, (view, value)) in views.iter().zip(&view_values).enumerate() {
        let previous = i.checked_sub(1).and_then(|i| views.get(i)).map(brief);
        let next = views.get(i + 1).map(brief);
        pages.push(Page::new(
            view.file.clone(),
            "question.html",
            format!("Question {}: {}", view.record.number, view.record.title),
            json!({ "kind": "question", "previous": previous, "next": next }),
            vec![("question", value.clone())],
            true,
        ));
    }
    for phase in &record.phases {
        pages.push(Page::new(
            paths::phase(&phase.id),
            "phase.html",
            format!("{} phase", phase.title),
            json!({ "kind": "phase", "phase": phase, "checklist_views": checklist_views(phase, links) }),
            vec![("questions", views_where(&|v| v.record.phase == phase.id))],
            true,
        ));
    }
    pages.extend(nav_pages(record).into_iter().map(|p| page_of(p, links)));
    let own_page = |path: &str, template, title: &str, own: Value| {
        Page::new(path.into(), template, title.into(), own, Vec::new(), true)
    };
    pages.push(own_page(
        paths::CHANGES,
        "changes.html",
        "Changes",
        json!({ "kind": "changes", "days": change_days(record) }),
    ));
    pages.push(own_page(
        paths::ACCESSIBILITY,
        "accessibility.html",
        "Accessibility statement",
        json!({ "kind": "accessibility" }),
    ));
    if record.site.atrs_page {
        pages.push(own_page(paths::ATRS, "atrs.html", "Algorithmic transparency record", atrs_view(record)));
    }
    pages.push(Page::new(
        paths::PRINT.into(),
        "print.html",
        "The whole record".into(),
        json!({
            "kind": "print",
            "responsibility": responsibility_view(record),
            "decision_views": decision_views(record, links),
            "phase_checklists": record.phases.iter().filter(|p| !p.checklist.is_empty()).map(|p| json!({
                "id": p.id, "title": p.title, "checklist_lead": p.checklist_lead,
                "checklist_views": checklist_views(p, links),
            })).collect::<Vec<_>>(),
        }),
        vec![("questions", view_values.clone().into())],
        true,
    ));
    if record.audience == Audience::Internal {
        pages.push(Page {
            in_sitemap: false,
            ..own_page(paths::REVIEWERS, "reviewers.html", "For reviewers", reviewers(&views))
        });
    }
    pages.push(Page {
        in_sitemap: false,
        ..own_page(paths::NOT_FOUND, "404.html", "Page not found", json!({ "kind": "not-found" }))
    });
    Plan { shared, pages }
}

/// A question in a list: number, title, status and where its page is.
fn brief(v: &QuestionView) -> Value {
    json!({
        "number": v.record.number, "title": v.record.title, "file": v.file,
        "status": v.record.status, "status_label": question_status_label(v.record), "status_class": v.status_class,
        "prompts_answered": v.record.prompts_answered, "prompts_total": v.record.prompts_total,
        "overdue": v.record.overdue, "internal": v.record.internal, "withheld": v.record.withheld,
    })
}

/// A question's status as a reader sees it: the status's own words, or "Not published" when the
/// record holds none (the whole answer is internal and the audience public). Words are the theme's
/// business, so the record holds only the value.
pub fn question_status_label(q: &QuestionRecord) -> &'static str {
    q.status.map_or("Not published", crate::load::answer::Status::label)
}

/// A checklist item's status as a reader sees it: the status's own words, "Not published" for an
/// entry recorded but internal, or "Not recorded".
pub fn checklist_status_label(c: &crate::record::ChecklistRecord) -> &'static str {
    match c.status {
        Some(status) => status.label(),
        None if c.withheld => "Not published",
        None => "Not recorded",
    }
}

fn question_view<'a>(record: &Record, q: &'a QuestionRecord, links: &SiteLinks) -> QuestionView<'a> {
    let prefix = format!("q{}-", q.number);
    let repository = record.site.repository_url.as_deref().map(|u| u.trim_end_matches('/').to_owned());
    let body_html: Vec<PassageView> = q
        .body
        .iter()
        .enumerate()
        .map(|(i, p)| PassageView {
            internal: p.internal,
            html: markdown_html(
                &p.markdown,
                &format!("{prefix}body{i}-"),
                4,
                links,
                crate::load::ANSWERS_DIR,
            ),
        })
        .collect();
    let prompt_views: Vec<PromptView> = q.prompts.iter().map(|p| prompt_view(p, links)).collect();
    // Joined into one line in print, so without the colon or stop each prompt ends with.
    let unanswered_prompts = prompt_views
        .iter()
        .filter(|p| !p.answered)
        .map(|p| p.text.trim_end_matches([':', '.', ' ']).to_owned())
        .collect();
    QuestionView {
        record: q,
        file: paths::question(q.number, &q.slug),
        phase_title: record.phases.iter().find(|p| p.id == q.phase).map(|p| p.title.clone()).unwrap_or_default(),
        status_class: q.status.map_or("grey", status_class),
        status_label: question_status_label(q),
        prompt_views,
        unanswered_prompts,
        evidence_views: q
            .evidence
            .iter()
            .map(|e| {
                json!({
                    "title": e.item.title, "kind": e.item.kind.label(), "description": e.item.description,
                    "date": e.item.date.map(|d| d.to_string()),
                    "href": e.item.file.as_deref().map(file_href).or_else(|| e.item.url.clone()),
                    "is_file": e.item.file.is_some(), "internal": e.internal,
                })
            })
            .collect(),
        risk_views: q
            .risks
            .iter()
            .map(|r| {
                json!({
                    "risk": r.item.risk, "likelihood": level(r.item.likelihood), "impact": level(r.item.impact),
                    "residual_likelihood": r.item.residual_likelihood.map(level),
                    "residual_impact": r.item.residual_impact.map(level),
                    "category": r.item.category.map(|c| c.label()),
                    "mitigation": r.item.mitigation, "owner": r.item.owner, "status": risk_status(r.item.status),
                    "internal": r.internal,
                })
            })
            .collect(),
        signoff_views: q
            .signoffs
            .iter()
            .map(|s| {
                json!({
                    "by": s.item.by, "role": s.item.role, "date": s.item.date.to_string(),
                    "decision": decision(s.item.decision), "note": s.item.note, "internal": s.internal,
                })
            })
            .collect(),
        evidence_dated: q.evidence.iter().any(|e| e.item.date.is_some()),
        risks_residual: q
            .risks
            .iter()
            .any(|r| r.item.residual_likelihood.is_some() || r.item.residual_impact.is_some()),
        datasets_in_use: q.datasets.iter().filter(|d| d.item.in_use).map(dataset_view).collect(),
        datasets_removed: q.datasets.iter().filter(|d| !d.item.in_use).map(dataset_view).collect(),
        metric_groups: metric_groups(&prefix, q),
        history_views: q.history.iter().map(|c| commit_view(c, repository.as_deref())).collect(),
        answer_parts: answer_parts(q, &body_html),
        body_html,
        withheld_note: match q.withheld {
            Withheld::No => "",
            Withheld::Missing => "This question has not been answered yet.",
            Withheld::Draft => "The answer to this question is being written. It will be published when it is ready for review.",
            Withheld::Internal => "The answer to this question is not published.",
        },
    }
}

/// Evidence as templates show it, with a safe link.
fn evidence_view(e: &crate::record::Item<crate::record::EvidenceRecord>) -> Value {
    json!({
        "title": e.item.title, "kind": e.item.kind.label(), "description": e.item.description,
        "href": e.item.file.as_deref().map(file_href).or_else(|| e.item.url.clone()),
        "is_file": e.item.file.is_some(), "internal": e.internal,
    })
}

/// A phase's checklist as the phase page shows it: each item with its status tag, and its note as
/// HTML.
fn checklist_views(phase: &crate::record::PhaseRecord, links: &SiteLinks) -> Vec<Value> {
    use crate::load::settings::ChecklistStatus;
    phase
        .checklist
        .iter()
        .map(|c| {
            json!({
                "id": c.id, "text": c.text, "status": c.status, "status_label": checklist_status_label(c),
                "status_class": match c.status {
                    Some(ChecklistStatus::Done) => "green",
                    Some(ChecklistStatus::InProgress) => "blue",
                    Some(ChecklistStatus::NotDone) => "red",
                    Some(ChecklistStatus::NotApplicable) | None => "grey",
                },
                "date": c.date, "internal": c.internal,
                "note_html": markdown_html(&c.note, &format!("checklist-{}-", c.id), 4, links, ""),
                "evidence_views": c.evidence.iter().map(evidence_view).collect::<Vec<_>>(),
            })
        })
        .collect()
}

/// The record in the fields of the Algorithmic Transparency Recording Standard, as its page shows
/// it: the fields that have a value, Tier 1 then Tier 2, sheet by sheet, each value in paragraphs,
/// with how many fields the standard asks for are not recorded yet. The values are the export's
/// (`export --format atrs`): one reading of the record, plain text.
fn atrs_view(record: &Record) -> Value {
    use crate::export::atrs::{self, fields::Sheet};
    let fields = atrs::record_fields(record);
    let readiness = atrs::readiness(&fields);
    let tiers: Vec<Value> = [1u8, 2]
        .into_iter()
        .map(|tier| {
            let sheets: Vec<Value> = Sheet::ALL
                .iter()
                .filter(|sheet| sheet.tier() == tier)
                .filter_map(|sheet| {
                    let filled: Vec<Value> = fields
                        .iter()
                        .filter(|f| f.sheet == *sheet)
                        .filter_map(|f| {
                            let value = f.value()?;
                            let paragraphs: Vec<&str> =
                                value.split("\n\n").map(str::trim).filter(|p| !p.is_empty()).collect();
                            Some(json!({
                                "id": f.id, "name": f.name, "model": f.model, "paragraphs": paragraphs,
                            }))
                        })
                        .collect();
                    (!filled.is_empty()).then(|| {
                        let slug =
                            sheet.title().to_ascii_lowercase().replace([' ', ','], "-").replace("--", "-");
                        json!({ "title": sheet.title(), "id": format!("atrs-{slug}"), "fields": filled })
                    })
                })
                .collect();
            let missing = fields.iter().filter(|f| f.tier == tier && f.value().is_none()).count();
            json!({ "tier": tier, "sheets": sheets, "missing": missing })
        })
        .collect();
    json!({ "kind": "atrs", "tiers": tiers, "ready": readiness.ready, "standard_version": atrs::STANDARD_VERSION })
}

/// Who is responsible, as the home page shows it; null when the settings name no one.
fn responsibility_view(record: &Record) -> Value {
    let r = &record.responsibility;
    if r.team.is_none()
        && r.senior_responsible_owner.is_none()
        && r.partners.is_empty()
        && r.third_parties.is_empty()
    {
        return Value::Null;
    }
    json!({
        "team": r.team, "senior_responsible_owner": r.senior_responsible_owner, "partners": r.partners,
        "third_parties": r.third_parties.iter().map(|t| json!({
            "name": t.item.name, "companies_house_number": t.item.companies_house_number,
            "role": t.item.role, "procurement": t.item.procurement,
            "data_access_terms": t.item.data_access_terms, "internal": t.internal,
        })).collect::<Vec<_>>(),
    })
}

/// The decisions about the tool as the home page's timeline shows them, oldest first.
fn decision_views(record: &Record, links: &SiteLinks) -> Vec<Value> {
    record
        .decisions
        .iter()
        .enumerate()
        .map(|(i, d)| {
            json!({
                "date": d.item.date.to_string(), "by": d.item.by, "decision": d.item.decision,
                "label": d.item.decision.label(), "internal": d.internal,
                "note_html": markdown_html(&d.item.note, &format!("decision{i}-"), 4, links, ""),
            })
        })
        .collect()
}

/// A dataset as the tables show it: the record's item, with when it stopped being used as a date.
fn dataset_view(d: &crate::record::Item<crate::record::DatasetRecord>) -> Value {
    let mut view = serde_json::to_value(d).unwrap_or_default();
    if let Some(map) = view.as_object_mut() {
        map.insert("removed".into(), json!(d.item.removed.map(|r| r.to_string())));
    }
    view
}

fn prompt_view(p: &PromptRecord, links: &SiteLinks) -> PromptView {
    let answer_html = passages_html(&p.passages, &format!("{}-", p.id), 4, links, crate::load::ANSWERS_DIR);
    let prompts: Vec<PromptView> = p.prompts.iter().map(|p| prompt_view(p, links)).collect();
    PromptView {
        id: p.id.clone(),
        text: p.text.clone(),
        lead: p.lead.clone(),
        paragraph: p.form == crate::framework::PromptForm::Paragraph,
        answered: !answer_html.is_empty() || prompts.iter().any(|p| p.answered),
        answer_html,
        prompts,
    }
}

/// A link to a file of the site: relative, each segment percent-encoded, so that no name can be read
/// as a scheme (`javascript:`), a query or a fragment.
pub fn file_href(path: &str) -> String {
    let segments: Vec<String> = path
        .split('/')
        .filter(|s| !s.is_empty() && *s != ".")
        .map(|segment| {
            segment
                .bytes()
                .map(|b| match b {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                        (b as char).to_string()
                    }
                    _ => format!("%{b:02X}"),
                })
                .collect()
        })
        .collect();
    format!("./{}", segments.join("/"))
}

/// Markdown as HTML, its local links leading where the site has them (`base` is the folder of the
/// file it was written in); heading ids start with `prefix` and headings at `level`.
pub fn markdown_html(markdown: &str, prefix: &str, level: u8, links: &SiteLinks, base: &str) -> String {
    to_html_linked(markdown, prefix, level, &|url| links.href(base, url))
}

/// Markdown passages as HTML, each internal one marked (only the internal record has any); as
/// [`markdown_html`].
fn passages_html(
    passages: &[crate::record::PassageRecord],
    prefix: &str,
    level: u8,
    links: &SiteLinks,
    base: &str,
) -> String {
    passages
        .iter()
        .enumerate()
        .map(|(i, passage)| {
            let html = markdown_html(&passage.markdown, &format!("{prefix}{i}-"), level, links, base);
            if passage.internal { mark_internal(&html) } else { html }
        })
        .collect()
}

/// An internal passage of Markdown, marked as the theme marks internal body passages.
fn mark_internal(html: &str) -> String {
    format!(
        "<div class=\"passage internal\"><strong class=\"internal-label\">Internal — not published</strong>\n{html}</div>\n"
    )
}

fn metric_groups(prefix: &str, q: &QuestionRecord) -> Vec<MetricGroup> {
    let mut groups: Vec<MetricGroup> = Vec::new();
    let mut bars: Vec<Vec<chart::Bar>> = Vec::new();
    for m in &q.metrics {
        let index = match groups.iter().position(|g| g.name == m.item.name) {
            Some(i) => i,
            None => {
                groups.push(MetricGroup {
                    name: m.item.name.clone(),
                    unit: m.item.unit.clone().unwrap_or_default(),
                    has_baseline: false,
                    has_interval: false,
                    has_n: false,
                    periods: Vec::new(),
                    baseline_labels: Vec::new(),
                    rows: Vec::new(),
                    chart_svg: String::new(),
                });
                bars.push(Vec::new());
                groups.len() - 1
            }
        };
        let group = &mut groups[index];
        let metric = &m.item;
        let unit = group.unit.clone();
        group.has_baseline |= metric.baseline.is_some();
        group.has_interval |= metric.interval.is_some();
        group.has_n |= metric.n.is_some();
        let note = |list: &mut Vec<String>, text: &Option<String>| {
            if let Some(text) = text.as_deref().map(str::trim).filter(|t| !t.is_empty())
                && !list.iter().any(|t| t == text)
            {
                list.push(text.to_owned());
            }
        };
        note(&mut group.periods, &metric.period);
        note(&mut group.baseline_labels, &metric.baseline_label);
        let label = metric.group.clone().unwrap_or_else(|| "All".into());
        let suppressed_note = metric
            .suppressed
            .then(|| format!("Not shown: {}", metric.suppressed_reason.as_deref().unwrap_or_default()));
        let interval = metric.interval.map(|[low, high]| (low, high));
        group.rows.push(json!({
            "group": label,
            "value": metric.value.map(|v| v.text()),
            "baseline": metric.baseline.map(|v| v.text()),
            "interval_low": interval.map(|i| i.0.text()),
            "interval_high": interval.map(|i| i.1.text()),
            "n": metric.n,
            "suppressed": metric.suppressed,
            "suppressed_note": suppressed_note,
            "internal": m.internal,
        }));
        // A suppressed figure gets no bar for any audience: the internal chart shows what the
        // public one does.
        let shown_value = metric.value.filter(|_| !metric.suppressed);
        bars[index].push(chart::Bar {
            label,
            value: shown_value.map(|v| v.value()),
            shown: match shown_value {
                Some(v) => chart::text_with_unit(&v.text(), &unit),
                None => "not shown".into(),
            },
            baseline: metric
                .baseline
                .filter(|_| !metric.suppressed)
                .map(|b| (b.value(), chart::text_with_unit(&b.text(), &unit))),
            interval: interval.filter(|_| !metric.suppressed).map(|(low, high)| {
                (
                    low.value(),
                    high.value(),
                    format!(
                        "{} to {}",
                        chart::text_with_unit(&low.text(), &unit),
                        chart::text_with_unit(&high.text(), &unit)
                    ),
                )
            }),
        });
    }
    for (i, (group, bars)) in groups.iter_mut().zip(&bars).enumerate() {
        group.chart_svg = chart::svg(&format!("{prefix}chart{i}"), &group.name, &group.unit, bars);
    }
    groups
}

fn commit_view(c: &Commit, repository: Option<&str>) -> Value {
    json!({
        "date": c.day(), "author": c.author, "subject": c.subject, "hash": c.hash, "short": c.short_hash(),
        "url": repository.map(|r| format!("{r}/commit/{}", c.hash)),
    })
}

fn change_days(record: &Record) -> Vec<Value> {
    let repository = record.site.repository_url.as_deref().map(|u| u.trim_end_matches('/').to_owned());
    let mut days: Vec<(String, Vec<Value>)> = Vec::new();
    for c in &record.changes {
        let view = commit_view(c, repository.as_deref());
        match days.last_mut() {
            Some((day, commits)) if day == c.day() => commits.push(view),
            _ => days.push((c.day().to_owned(), vec![view])),
        }
    }
    days.into_iter().map(|(day, commits)| json!({ "day": day, "commits": commits })).collect()
}

fn reviewers(views: &[QuestionView]) -> Value {
    let pick = |keep: &dyn Fn(&QuestionView) -> bool| {
        views.iter().filter(|v| keep(v)).map(brief).collect::<Vec<_>>()
    };
    json!({
        "kind": "reviewers",
        "overdue": pick(&|v| v.record.overdue),
        "in_review": pick(&|v| v.record.status == Some(Status::InReview)),
        "without_signoff": pick(&|v| v.record.status.is_some_and(|s| s != Status::NotStarted) && v.record.signoffs.is_empty()),
    })
}

fn status_class(status: Status) -> &'static str {
    match status {
        Status::NotStarted => "grey",
        Status::Draft => "blue",
        Status::InReview => "yellow",
        Status::Complete => "green",
    }
}

fn level(l: Level) -> &'static str {
    match l {
        Level::Low => "Low",
        Level::Medium => "Medium",
        Level::High => "High",
    }
}

fn risk_status(s: RiskStatus) -> &'static str {
    match s {
        RiskStatus::Open => "Open",
        RiskStatus::Mitigated => "Mitigated",
        RiskStatus::Accepted => "Accepted",
        RiskStatus::Closed => "Closed",
    }
}

fn decision(d: Decision) -> &'static str {
    match d {
        Decision::Approved => "Approved",
        Decision::ApprovedWithConditions => "Approved with conditions",
        Decision::ChangesRequested => "Changes requested",
        Decision::Rejected => "Rejected",
    }
}
