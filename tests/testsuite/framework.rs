//! The built-in framework: the catalogue is whole, ordered and its ids unique.

use std::collections::HashSet;
use workbook::framework::Framework;

fn dfe() -> Framework {
    Framework::builtin("dfe-csc-2024").expect("built in")
}

#[test]
fn three_phases_hold_questions_1_to_4_5_to_10_and_11_to_13() {
    let f = dfe();
    let phases: Vec<&str> = f.phases.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(phases, ["explore", "develop", "implement"]);
    let numbers = |phase: &str| f.questions_in(phase).map(|q| q.number).collect::<Vec<_>>();
    assert_eq!(numbers("explore"), [1, 2, 3, 4]);
    assert_eq!(numbers("develop"), [5, 6, 7, 8, 9, 10]);
    assert_eq!(numbers("implement"), [11, 12, 13]);
    let stages: Vec<Vec<u32>> =
        f.phases.iter().map(|p| p.stages.iter().map(|s| s.number).collect()).collect();
    assert_eq!(stages, [vec![1, 2, 3, 4], vec![5, 6, 7, 8], vec![9, 10]]);
}

#[test]
fn every_id_is_unique() {
    let f = dfe();
    let mut seen = HashSet::new();
    let ids = f
        .phases
        .iter()
        .map(|p| p.id.clone())
        .chain(f.phases.iter().flat_map(|p| p.checklist.iter().map(|c| c.id.clone())))
        .chain(f.questions.iter().map(|q| q.slug.clone()))
        .chain(f.questions.iter().flat_map(|q| q.all_prompts().map(|p| p.id.clone())).collect::<Vec<_>>());
    for id in ids {
        assert!(seen.insert(id.clone()), "`{id}` is used twice");
    }
    assert_eq!(f.phases.iter().map(|p| p.checklist.len()).collect::<Vec<_>>(), [6, 8, 4]);
}

#[test]
fn prompt_ids_name_their_question_and_nested_prompts_are_kept() {
    let f = dfe();
    for q in &f.questions {
        for p in q.all_prompts() {
            assert!(p.id.starts_with(&format!("q{}-", q.number)), "{} is under question {}", p.id, q.number);
        }
    }
    let q4 = f.question(4).unwrap();
    let governance = q4.prompt("q4-governance").unwrap();
    assert_eq!(governance.prompts.len(), 3);
    assert_eq!(f.question(6).unwrap().prompts.len(), 0, "question 6 has no bullets in the workbook");
}

#[test]
fn the_text_is_the_workbooks_own_with_its_licence() {
    let f = dfe();
    assert!(f.licence.name.contains("Open Government Licence v3.0"));
    assert!(f.licence.attribution.contains("Crown copyright 2024"));
    assert_eq!(
        f.question(11).unwrap().text,
        "Detail how and what have you communicated publicly about the tool."
    );
    // Every question's and prompt's words appear in the workbook's text as published (a copy, under
    // the Open Government Licence, is kept in the fixtures).
    let reference = std::fs::read_to_string(
        crate::support::fixtures().join("reference/dfe-data-ethics-workbook-2024-04.txt"),
    )
    .unwrap();
    let squash = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ").replace("**", "");
    let reference = squash(&reference);
    for q in &f.questions {
        assert!(reference.contains(&squash(&q.text)), "question {} text", q.number);
        for p in q.all_prompts() {
            assert!(reference.contains(&squash(&p.text)), "prompt {}: {}", p.id, p.text);
            if let Some(lead) = &p.lead {
                assert!(reference.contains(&squash(lead)), "lead of {}", p.id);
            }
        }
        for g in &q.guidance {
            assert!(reference.contains(&squash(&g.title)), "guidance of {}: {}", q.number, g.title);
        }
    }
    for phase in &f.phases {
        for item in &phase.checklist {
            assert!(reference.contains(&squash(&item.text)), "checklist {}", item.id);
        }
    }
}

#[test]
fn questions_prints_every_prompt_id() {
    let output = crate::support::workbook().arg("questions").output().unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    for q in &dfe().questions {
        for p in q.all_prompts() {
            assert!(text.contains(&p.id), "{} missing", p.id);
        }
    }
    crate::support::workbook().args(["questions", "14"]).assert().code(2);
}
