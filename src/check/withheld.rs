//! Reasons for withholding: a `withheld_reason` is only ever shown in place of something internal.

use crate::diagnostic::{Code, Diagnostic};
use crate::load::Answer;
use crate::load::answer::{ListItem, Visibility};

/// Warns where `answer` gives a reason to withhold an answer or list item that is published: the
/// author meant it to be withheld and it is not, or the reason is left over from when it was.
pub(super) fn check(answer: &Answer, found: &mut Vec<Diagnostic>) {
    let front = &answer.front;
    let has_reason = |r: &Option<String>| r.as_deref().is_some_and(|r| !r.trim().is_empty());
    if front.visibility == Visibility::Public && has_reason(&front.withheld_reason) {
        found.push(published("the answer", answer.locate("withheld_reason")));
    }
    if front.visibility == Visibility::Internal {
        // The whole answer is withheld; its items' reasons are never shown, but they are not wrong.
        return;
    }
    fn items<T: ListItem>(list: &str, items: &[T], answer: &Answer, found: &mut Vec<Diagnostic>) {
        for (index, item) in items.iter().enumerate() {
            if item.visibility() == Visibility::Public && item.withheld_reason().is_some() {
                let path = format!("{list}[{index}].withheld_reason");
                found.push(published(&format!("`{list}[{index}]`"), answer.locate(&path)));
            }
        }
    }
    items("evidence", &front.evidence, answer, found);
    items("engagement", &front.engagement, answer, found);
    items("risks", &front.risks, answer, found);
    items("datasets", &front.datasets, answer, found);
    items("metrics", &front.metrics, answer, found);
    items("signoffs", &front.signoffs, answer, found);
}

fn published(what: &str, at: crate::diagnostic::Location) -> Diagnostic {
    Diagnostic::new(
        Code::ReasonButPublished,
        format!("{what} gives a `withheld_reason`, but it is public: it is published and the reason is never shown"),
    )
    .at(at)
    .help("add `visibility: internal` to withhold it, or remove `withheld_reason`")
}
