//! The project's `lints`: the level of each kind of warning, as cargo's `[lints]`, and the settings
//! that tell `check` which contacts are the organisation's own.

use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::load::Workbook;
use crate::load::settings::LintLevel;
use std::collections::BTreeMap;

/// Reports `lints` entries that name no warning, and contacts that are neither a phone number nor an
/// email address, at their place in `workbook.yaml`.
pub(super) fn check_settings(workbook: &Workbook, found: &mut Vec<Diagnostic>) {
    let (Some(settings), Some(file)) = (&workbook.settings, &workbook.settings_file) else { return };
    let positions = crate::load::locate::Positions::of(&file.text[file.content_start()..]);
    let at_key = |path: &str, width: usize| match positions.key(path) {
        Some((line, column)) => file.location_at(line, column, width),
        None => file.location_at(1, 1, 1),
    };
    let at_value = |path: &str| match positions.best(path) {
        Some(((line, column), width)) => file.location_at(line, column, width),
        None => file.location_at(1, 1, 1),
    };
    // Warnings, and the info lines `lints` may raise.
    let warnings: Vec<String> =
        Code::ALL.iter().filter(|c| c.severity() != Severity::Error).map(|c| c.name().to_owned()).collect();
    for name in settings.lints.keys() {
        let place = at_key(&format!("lints.{name}"), name.chars().count());
        if let Some(code) = Code::ALL.iter().find(|c| c.name() == name && c.severity() == Severity::Error) {
            found.push(
                Diagnostic::new(Code::WrongType, format!("`{name}` ({}) is always an error; only warnings have a level", code.code()))
                    .at(place)
                    .help("remove this entry: an error must be fixed; `workbook check --list-lints` lists the warnings"),
            );
        } else if !warnings.contains(name) {
            // A code such as `W006` names its lint.
            let by_code = Code::ALL.iter().find(|c| c.code().eq_ignore_ascii_case(name)).map(|c| c.name());
            let help = match by_code.or_else(|| crate::load::suggest(name, &warnings)) {
                Some(near) => format!("did you mean `{near}`?"),
                None => String::from("`workbook check --list-lints` lists the names"),
            };
            found.push(
                Diagnostic::new(Code::UnknownKey, format!("there is no lint `{name}`")).at(place).help(help),
            );
        }
    }
    use super::personal_data::{ContactKind, public_contact_kind};
    for (i, contact) in settings.check.public_contacts.iter().enumerate() {
        if public_contact_kind(contact).is_none() {
            found.push(
                Diagnostic::new(Code::WrongType, format!("`{contact}` is not a phone number or an email address"))
                    .at(at_value(&format!("check.public_contacts[{i}]")))
                    .help("write one number (`01632 960000`) or one address (`dataprotection@example.gov.uk`) an entry"),
            );
        }
    }
    if let Some(phone) = settings.contact.phone.as_deref().filter(|p| !p.trim().is_empty())
        && public_contact_kind(phone) != Some(ContactKind::Phone)
    {
        found.push(
            Diagnostic::new(Code::WrongType, format!("`{phone}` is not a phone number"))
                .at(at_value("contact.phone"))
                .help("write the number alone, such as `01632 960000`"),
        );
    }
}

/// Applies the levels of `lints` to `diagnostics`: `allow` removes a warning, `deny` makes it an error,
/// `warn` keeps it a warning (and makes an info line one). Errors keep their severity whatever
/// `lints` says.
pub fn apply(lints: &BTreeMap<String, LintLevel>, diagnostics: &mut Vec<Diagnostic>) {
    if lints.is_empty() {
        return;
    }
    diagnostics.retain_mut(|d| {
        if d.code.severity() == Severity::Error {
            return true;
        }
        match lints.get(d.code.name()) {
            None => true,
            Some(LintLevel::Allow) => false,
            Some(LintLevel::Warn) => {
                d.level = Some(Severity::Warning);
                true
            }
            Some(LintLevel::Deny) => {
                d.level = Some(Severity::Error);
                true
            }
        }
    });
}
