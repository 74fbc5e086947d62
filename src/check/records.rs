//! Checks of what `workbook.yaml` records beside the answers: the phases' checklists, who is
//! responsible for the tool, and the decisions about it.

use crate::diagnostic::{Code, Diagnostic, Location};
use crate::load::Workbook;
use crate::load::settings::{ToolDecisionKind, ToolPhase};

/// Checks the checklist, responsibility and decisions of the settings, each finding at its place in
/// `workbook.yaml`.
pub(super) fn check(workbook: &Workbook, found: &mut Vec<Diagnostic>) {
    let (Some(settings), Some(file)) = (&workbook.settings, &workbook.settings_file) else { return };
    // Read only when there is a finding to place, as `check_settings` does.
    let positions =
        std::cell::LazyCell::new(|| crate::load::locate::Positions::of(&file.text[file.content_start()..]));
    let locate = |path: &str| -> Location {
        match positions.best(path) {
            Some(((line, column), width)) => file.location_at(line, column, width),
            None => file.location_at(1, 1, 1),
        }
    };
    let locate_key = |path: &str, width: usize| -> Location {
        match positions.key(path) {
            Some((line, column)) => file.location_at(line, column, width.max(1)),
            None => locate(path),
        }
    };

    if let Some(framework) = &workbook.framework {
        let known: Vec<String> =
            framework.phases.iter().flat_map(|p| &p.checklist).map(|c| c.id.clone()).collect();
        for id in settings.checklist.keys().filter(|id| !known.contains(id)) {
            let help = match crate::load::suggest(id, &known) {
                Some(best) => format!("did you mean `{best}`?"),
                None => {
                    String::from("`workbook questions` lists each phase's checklist items with their ids")
                }
            };
            found.push(
                Diagnostic::new(
                    Code::UnknownChecklistItem,
                    format!("{} has no checklist item `{id}`", framework.id),
                )
                .at(locate_key(&format!("checklist.{id}"), id.chars().count()))
                .help(help),
            );
        }
        // A project that records no checklist has not taken the feature up: every item of every
        // earlier phase would warn at once, which says nothing the phase pages do not.
        if !settings.checklist.is_empty() {
            for (rank, phase) in framework.phases.iter().enumerate() {
                if rank >= settings.tool.phase.rank() {
                    continue;
                }
                let open: Vec<&str> = phase
                    .checklist
                    .iter()
                    .filter(|item| !settings.checklist.get(&item.id).is_some_and(|e| e.status.is_settled()))
                    .map(|item| item.id.as_str())
                    .collect();
                if open.is_empty() {
                    continue;
                }
                found.push(
                    Diagnostic::new(
                        Code::ChecklistIncomplete,
                        format!(
                            "the tool is in the {} phase, but {} of the {} items of the {} checklist are not done or not applicable: {}",
                            settings.tool.phase.as_str(),
                            open.len(),
                            phase.checklist.len(),
                            phase.id,
                            open.join(", ")
                        ),
                    )
                    .at(locate("tool.phase"))
                    .help("record each under `checklist:` with `status: done`, or `not-applicable` with a note that says why"),
                );
            }
        }
    }

    for (id, entry) in &settings.checklist {
        let path = format!("checklist.{id}.evidence");
        for (index, item) in entry.evidence.iter().enumerate() {
            let at = |field: &str| locate(&format!("{path}[{index}]{field}"));
            super::check_evidence_item(workbook, item, &at, found);
        }
    }

    if let Some(owner) = settings.tool.senior_responsible_owner.as_deref()
        && looks_like_a_name(owner)
    {
        found.push(
            Diagnostic::new(
                Code::SroLooksLikeAName,
                format!("`{owner}` looks like a person's name, not a role"),
            )
            .at(locate("tool.senior_responsible_owner"))
            .help("name the role, such as \"Director of Children's Services\": a role stays true when people move on, and the site publishes it"),
        );
    }

    for (index, third) in settings.tool.third_parties.iter().enumerate() {
        if let Some(number) = third.companies_house_number.as_deref()
            && !is_companies_house_number(number)
        {
            found.push(
                Diagnostic::new(Code::WrongType, format!("`{number}` is not a Companies House number"))
                    .at(locate(&format!("tool.third_parties[{index}].companies_house_number")))
                    .help("a company number is 8 characters: 8 digits (`01234567`, leading zeros kept), or two letters and 6 digits (`SC123456`); quote it so YAML keeps the zeros"),
            );
        }
    }

    if settings.tool.phase == ToolPhase::Retired
        && !settings.decisions.iter().any(|d| d.decision == ToolDecisionKind::Decommissioned)
    {
        found.push(
            Diagnostic::new(
                Code::RetiredWithoutDecommission,
                "the tool is retired, but no decision to decommission it is recorded",
            )
            .at(locate("tool.phase"))
            .help("add the decision under `decisions:` with `decision: decommissioned`, its date and who made it"),
        );
    }
}

/// True for a Companies House company number: 8 digits, or two capital letters then 6 digits.
pub fn is_companies_house_number(number: &str) -> bool {
    let bytes = number.as_bytes();
    bytes.len() == 8
        && (bytes.iter().all(u8::is_ascii_digit)
            || (bytes[..2].iter().all(u8::is_ascii_uppercase) && bytes[2..].iter().all(u8::is_ascii_digit)))
}

/// Words of job titles and bodies, in lower case: a text with one of them names a role, not a person.
const ROLE_WORDS: &[&str] = &[
    "director",
    "directorate",
    "head",
    "officer",
    "manager",
    "management",
    "lead",
    "leader",
    "chief",
    "assistant",
    "deputy",
    "executive",
    "principal",
    "senior",
    "service",
    "services",
    "team",
    "of",
    "for",
    "and",
    "the",
    "to",
    "board",
    "committee",
    "council",
    "cabinet",
    "member",
    "group",
    "panel",
    "unit",
    "department",
    "commissioner",
    "controller",
    "coordinator",
    "co-ordinator",
    "analyst",
    "adviser",
    "advisor",
    "owner",
    "partner",
    "partnership",
    "consultant",
    "specialist",
    "practitioner",
    "worker",
    "guardian",
    "caldicott",
    "governance",
    "safeguarding",
    "strategy",
    "strategic",
    "information",
    "digital",
    "data",
    "technology",
    "operations",
    "operational",
    "performance",
    "quality",
    "corporate",
    "portfolio",
    "holder",
    "children's",
    "children",
    "care",
    "social",
    "education",
    "early",
    "help",
    "protection",
    "programme",
    "project",
    "responsible",
    "secretary",
    "chair",
    "president",
    "registrar",
    "dpo",
    "cio",
    "cdo",
    "dcs",
    "ceo",
    "sro",
];

/// True when `text` reads as, or holds, a person's name rather than a role title: two or three
/// capitalised words ("Sarah Jones"), or a title and a name ("Dr Amir Khan", "Mrs J. Smith"), none of
/// them a word of a job title or a body, alone or beside a role ("Jane Smith, Director of Children's
/// Services", "Jane Smith (DCS)"). A name written in small letters cannot be told from words.
pub fn looks_like_a_name(text: &str) -> bool {
    text.split([',', '(', ')', '/', '&', ';', '\u{2013}', '\u{2014}']).any(|part| is_a_name(part.trim()))
}

/// Titles written before a name.
const TITLES: &[&str] =
    &["mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame", "cllr", "councillor"];

fn is_a_name(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    let titled =
        words.first().is_some_and(|w| TITLES.contains(&w.trim_end_matches('.').to_lowercase().as_str()));
    if !(2..=if titled { 4 } else { 3 }).contains(&words.len()) {
        return false;
    }
    let capitalised = |word: &str| {
        let bare = word.trim_end_matches('.');
        let mut chars = bare.chars();
        let first_upper = chars.next().is_some_and(char::is_uppercase);
        // After a title, an initial ("J.") is part of a name.
        let initial = titled && first_upper && bare.chars().count() == 1;
        initial
            || (first_upper
                && chars.all(|c| c.is_alphabetic() || c == '-' || c == '\'' || c == '’')
                // An acronym ("DCS", "ICT") is a title, not a name.
                && bare.chars().skip(1).any(char::is_lowercase))
    };
    words.iter().all(|w| capitalised(w))
        && !words.iter().any(|w| ROLE_WORDS.contains(&w.trim_end_matches('.').to_lowercase().as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_titles_are_not_names() {
        for role in [
            "Director of Children's Services",
            "Head of Early Help",
            "Chief Information Officer",
            "Assistant Director, Safeguarding",
            "Assistant Director Safeguarding",
            "Corporate Director",
            "Data Protection Officer",
            "Caldicott Guardian",
            "Cabinet Member for Children",
            "DCS",
            "Service Manager",
            "Head of Service",
            "Strategic Lead",
            "Executive Director People",
            "The Children's Services Leadership Team",
        ] {
            assert!(!looks_like_a_name(role), "{role}");
        }
    }

    #[test]
    fn names_beside_roles_or_with_titles_and_initials_are_names() {
        for name in [
            "Jane Smith, Director of Children's Services",
            "Director of Children's Services, Jane Smith",
            "Mrs J. Smith",
            "Jane Smith (DCS)",
        ] {
            assert!(looks_like_a_name(name), "{name}");
        }
    }

    #[test]
    fn people_are_names() {
        for name in ["Sarah Jones", "Dr Amir Khan", "Siobhan O'Neill", "Mary Smith-Jones", "Prof. Ian Hall"] {
            assert!(looks_like_a_name(name), "{name}");
        }
    }

    #[test]
    fn companies_house_numbers() {
        for good in ["01234567", "SC123456", "NI000123", "OC301234"] {
            assert!(is_companies_house_number(good), "{good}");
        }
        for bad in ["1234567", "012345678", "sc123456", "S1234567", "SC12345X", "", "ＳＣ123456"] {
            assert!(!is_companies_house_number(bad), "{bad}");
        }
    }
}
