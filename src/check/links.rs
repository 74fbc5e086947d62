//! Local links and images in public Markdown: each must lead to an answer or to a file the site
//! publishes, and a link to a heading must name one that is there.

use crate::diagnostic::{Code, Diagnostic, Location};
use crate::links::{Target, heading_slugs, local_links, resolve};
use crate::load::Workbook;

/// A finding about one link of a text, to be placed where the link's address was written.
pub(super) struct LinkFinding<'a> {
    /// The finding, not yet placed.
    pub diagnostic: Diagnostic,
    /// The address as written.
    pub url: &'a str,
}

/// The findings about the local links of `markdown`, written in a file in the folder `base`.
/// Evidence files are checked as `evidence:` files are (`at_file` gives the place to check them at).
pub(super) fn check<'a>(
    workbook: &Workbook,
    markdown: &'a str,
    base: &str,
    at_file: &dyn Fn(&str) -> Option<Location>,
    found: &mut Vec<Diagnostic>,
) -> Vec<LinkFinding<'a>> {
    let mut out = Vec::new();
    for link in local_links(markdown) {
        let what = if link.image { "image" } else { "link" };
        match resolve(base, link.url) {
            None => out.push(LinkFinding {
                diagnostic: Diagnostic::new(
                    Code::BrokenLink,
                    format!("this {what} leads nowhere the site publishes: `{}`", link.url),
                )
                .help("link another answer by its file (`07-bias-and-disproportionate-impact.md`) or a file in evidence/ (`../evidence/report.pdf`); anything else on the web by its full address, https://…"),
                url: link.url,
            }),
            Some(Target::Answer { file, fragment }) => {
                let Some(answer) = workbook.answers.iter().find(|a| crate::diagnostic::display_path(&a.file.path) == file)
                else {
                    let names: Vec<String> =
                        workbook.answers.iter().map(|a| crate::diagnostic::display_path(&a.file.path)).collect();
                    let help = match crate::load::suggest(&file, &names) {
                        Some(near) => format!("did you mean `{}`?", near.rsplit('/').next().unwrap_or(near)),
                        None => "link an answer by its file name, as in answers/".to_owned(),
                    };
                    out.push(LinkFinding {
                        diagnostic: Diagnostic::new(Code::BrokenLink, format!("there is no answer file `{file}`"))
                            .help(help),
                        url: link.url,
                    });
                    continue;
                };
                let Some(fragment) = fragment else { continue };
                let front = &answer.front;
                let prompts = front.prompts.keys().any(|id| *id == fragment);
                let mut slugs = heading_slugs(&answer.file.text[answer.parts.body.clone()]);
                slugs.extend(front.prompts.values().flat_map(|text| heading_slugs(text)));
                if !prompts && !slugs.contains(&fragment) {
                    out.push(LinkFinding {
                        diagnostic: Diagnostic::new(
                            Code::MissingHeading,
                            format!("`{file}` has no heading `#{fragment}`: the link leads to the top of its page"),
                        )
                        .help(match crate::load::suggest(&fragment, &slugs) {
                            Some(near) => format!("did you mean `#{near}`?"),
                            None => "a heading's link is its words in lower case, with `-` for spaces, as on GitHub; or link a prompt by its id".to_owned(),
                        }),
                        url: link.url,
                    });
                }
            }
            Some(Target::Evidence { file }) => {
                if let Some(at) = at_file(link.url) {
                    super::check_evidence_file(workbook, &|| at.clone(), &file, found);
                }
            }
        }
    }
    out
}
