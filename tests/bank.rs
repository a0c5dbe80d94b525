//! The shipped bank, bank validation errors (word for word) and Markdown import.

mod common;

use common::{stderr, stdout, Sandbox};
use mockgrade::bank::{import_notes, Bank};

/// Bullets per question in the cheat sheet, in order (questions 1 to 61).
const EXPECTED_POINTS: [usize; 61] = [
    5, 5, 5, 4, 4, 5, 4, 4, 4, 4, 4, 4, 5, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 3, 4, 5, 4, 4, 4, 4,
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 5, 4, 4, 4, 5, 5, 5, 5, 5, 5, 5,
];

const CHEAT_SHEET: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/seed/ml-system-design-cheat-sheet-part2.txt"
);

#[test]
fn the_built_in_bank_has_every_cheat_sheet_question_with_its_bullet_count() {
    let bank = Bank::built_in().expect("the shipped bank is valid");
    let questions = bank.questions();
    assert_eq!(questions.len(), 61);
    let mut numbers: Vec<u32> = questions
        .iter()
        .map(|question| question.number.unwrap())
        .collect();
    numbers.sort();
    assert_eq!(numbers, (1..=61).collect::<Vec<u32>>());
    for question in questions {
        let number = question.number.unwrap() as usize;
        assert_eq!(
            question.points.len(),
            EXPECTED_POINTS[number - 1],
            "question {number} ({})",
            question.id
        );
        for point in &question.points {
            let words = point.concept.split_whitespace().count();
            assert!(
                (2..=5).contains(&words),
                "concept '{}' of {} has {words} words",
                point.concept,
                question.id
            );
            assert!(!point.text.is_empty());
        }
    }
    assert_eq!(
        questions
            .iter()
            .map(|question| question.points.len())
            .sum::<usize>(),
        257
    );
    let mut ids: Vec<&str> = questions
        .iter()
        .map(|question| question.id.as_str())
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 61, "question ids are unique");
}

#[test]
fn bank_list_json_from_any_folder_lists_61_questions_and_257_points() {
    let sandbox = Sandbox::new();
    let output = sandbox.run(&["bank", "list", "--format", "json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let questions: Vec<serde_json::Value> = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(questions.len(), 61);
    let points: usize = questions
        .iter()
        .map(|question| question["points"].as_array().unwrap().len())
        .sum();
    assert_eq!(points, 257);
    let first_point = &questions[0]["points"][0];
    for field in ["id", "concept", "text", "aliases", "weight"] {
        assert!(first_point.get(field).is_some(), "point field {field}");
    }
}

#[test]
fn questions_are_found_by_id_or_number() {
    let sandbox = Sandbox::new();
    let by_number = stdout(&sandbox.run(&["bank", "show", "2", "--format", "json"]));
    let id = serde_json::from_str::<serde_json::Value>(&by_number).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let by_id = stdout(&sandbox.run(&["bank", "show", &id, "--format", "json"]));
    assert_eq!(by_number, by_id);
    let unknown = sandbox.run(&["bank", "show", "no-such-question"]);
    assert_eq!(unknown.status.code(), Some(4));
    assert_eq!(
        common::first_error_line(&unknown),
        "error: unknown question 'no-such-question': not an id or number in the loaded banks (see `mockgrade bank list`)"
    );
}

#[test]
fn bank_check_accepts_the_shipped_bank() {
    let sandbox = Sandbox::new();
    let bank_dir = concat!(env!("CARGO_MANIFEST_DIR"), "/data/bank");
    let output = sandbox.run(&["bank", "check", bank_dir]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(stdout(&output), "ok: 61 questions, 257 points\n");
}

const BROKEN_BANK: &str = r#"[[questions]]
id = "drift"
number = 1
topic = "monitoring"
question = "How do you handle drift?"

[[questions.points]]
id = "monitor"
concept = "Drift monitoring"
text = ""
weight = 0

[[questions.points]]
id = "monitor"
concept = "Retraining"
text = "Retrain on fresh data."

[[questions]]
id = "drift"
topic = "data"
question = "Again?"
"#;

#[test]
fn every_error_of_a_bank_file_is_reported_at_once_with_its_place() {
    let sandbox = Sandbox::new();
    sandbox.file("broken.toml", BROKEN_BANK);
    let output = sandbox.run(&["bank", "check", "broken.toml"]);
    assert_eq!(output.status.code(), Some(6));
    assert_eq!(
        stderr(&output),
        "error: invalid bank: 6 errors
  broken.toml:4:9: question 'drift': unknown topic 'monitoring'; expected one of: data, privacy-security, training, deployment, serving-latency, scaling, monitoring-drift, pipelines-ci-cd, fairness-explainability, recommendation
  broken.toml:10:8: point 'monitor' of question 'drift' has empty text
  broken.toml:11:10: point 'monitor' of question 'drift' has weight 0; a weight must be greater than 0
  broken.toml:14:6: duplicate point id 'monitor' in question 'drift' (first defined at broken.toml:8:6)
  broken.toml:19:6: duplicate question id 'drift' (first defined at broken.toml:2:6)
  broken.toml:19:6: question 'drift' has no points; add at least one [[questions.points]]
"
    );
}

#[test]
fn syntax_errors_and_unknown_fields_give_line_and_column() {
    let sandbox = Sandbox::new();
    sandbox.file("syntax.toml", "[[questions]\nid = \"x\"\n");
    let output = sandbox.run(&["bank", "check", "syntax.toml"]);
    assert_eq!(output.status.code(), Some(6));
    assert_eq!(
        stderr(&output),
        "error: invalid bank: 1 error\n  syntax.toml:1:12: TOML error: invalid table header expected `.`, `]]`\n"
    );
    sandbox.file(
        "unknown.toml",
        "[[questions]]\nid = \"x\"\nnumber = 1\ntopic = \"data\"\nquestion = \"q\"\nbogus = 1\n",
    );
    let output = sandbox.run(&["bank", "check", "unknown.toml"]);
    assert_eq!(
        stderr(&output),
        "error: invalid bank: 1 error\n  unknown.toml:6:1: TOML error: unknown field `bogus`, expected one of `id`, `number`, `topic`, `question`, `points`\n"
    );
}

#[test]
fn a_question_id_in_two_files_names_both_places() {
    let sandbox = Sandbox::new();
    let question = "[[questions]]\nid = \"same\"\ntopic = \"data\"\nquestion = \"Why?\"\n\n[[questions.points]]\nid = \"p\"\nconcept = \"Some concept\"\ntext = \"Because.\"\n";
    sandbox.file("banks/a.toml", question);
    sandbox.file("banks/b.toml", question);
    let output = sandbox.run(&["bank", "check", "banks"]);
    assert_eq!(output.status.code(), Some(6));
    assert_eq!(
        stderr(&output),
        "error: invalid bank: 1 error\n  banks/b.toml:2:6: duplicate question id 'same' (first defined at banks/a.toml:2:6)\n"
    );
}

#[test]
fn a_custom_bank_is_loaded_beside_or_instead_of_the_built_in_one() {
    let sandbox = Sandbox::new();
    sandbox.file(
        "mine.toml",
        "[[questions]]\nid = \"feature-store\"\ntopic = \"data\"\nquestion = \"Why use a feature store?\"\n\n[[questions.points]]\nid = \"consistency\"\nconcept = \"Train-serve consistency\"\ntext = \"The same feature code serves training and inference.\"\n",
    );
    let both: Vec<serde_json::Value> = serde_json::from_slice(
        &sandbox
            .run(&["--bank", "mine.toml", "bank", "list", "--format", "json"])
            .stdout,
    )
    .unwrap();
    assert_eq!(both.len(), 62);
    let only: Vec<serde_json::Value> = serde_json::from_slice(
        &sandbox
            .run(&[
                "--bank",
                "mine.toml",
                "--no-default-bank",
                "bank",
                "list",
                "--format",
                "json",
            ])
            .stdout,
    )
    .unwrap();
    assert_eq!(only.len(), 1);
    assert_eq!(only[0]["id"], "feature-store");
}

#[test]
#[cfg_attr(
    not(shared_data),
    ignore = "../shared (the cheat sheet) is not beside the checkout"
)]
fn importing_the_cheat_sheet_finds_61_questions_and_257_bullets() {
    let notes = std::fs::read_to_string(CHEAT_SHEET).unwrap();
    let summary = import_notes(&notes);
    assert_eq!((summary.questions, summary.bullets), (61, 257));
    let bank = Bank::from_sources([("import.toml".to_string(), summary.toml)])
        .expect("the skeleton is a valid bank");
    let counts: Vec<usize> = bank
        .questions()
        .iter()
        .map(|question| question.points.len())
        .collect();
    assert_eq!(counts, EXPECTED_POINTS);

    let sandbox = Sandbox::new();
    let output = sandbox.run(&["bank", "import", CHEAT_SHEET, "--out", "imported.toml"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stderr(&output).starts_with("imported 61 questions with 257 points into imported.toml"));
    let check = sandbox.run(&["bank", "check", "imported.toml"]);
    assert_eq!(stdout(&check), "ok: 61 questions, 257 points\n");
    // The imported bank loads beside the built-in one without edits.
    let both = sandbox.run(&[
        "--bank",
        "imported.toml",
        "bank",
        "list",
        "--format",
        "json",
    ]);
    assert!(both.status.success(), "{}", stderr(&both));
    let listed: Vec<serde_json::Value> = serde_json::from_slice(&both.stdout).unwrap();
    assert_eq!(listed.len(), 122);
}

/// `bank check` reports every problem of every file at once: an unreadable file, a TOML
/// syntax error and, in the same file, a question without points, and an id clash with a
/// file checked beside it.
#[test]
fn bank_check_reports_every_error_across_files_at_once() {
    let sandbox = Sandbox::new();
    sandbox.file(
        "a.toml",
        "[[questions]]\nid = \"good-one\"\ntopic = \"data\"\nquestion = \"Q?\"\n\n[[questions.points]]\nid = \"p\"\nconcept = \"c\"\ntext = \"t\"\n\n[[questions]]\nid = \"bad\"\ntopic = \"data\"\nquestion = \"Q?\noops\n\n[[questions]]\nid = \"third\"\ntopic = \"data\"\nquestion = \"Q3?\"\n",
    );
    sandbox.file(
        "b.toml",
        "[[questions]]\nid = \"good-one\"\ntopic = \"data\"\nquestion = \"Q?\"\n\n[[questions.points]]\nid = \"p\"\nconcept = \"c\"\ntext = \"t\"\n",
    );
    let output = sandbox.run(&["bank", "check", "a.toml", "b.toml", "missing.toml"]);
    assert_eq!(output.status.code(), Some(6));
    assert_eq!(
        stderr(&output),
        "error: invalid bank: 4 errors
  cannot read bank missing.toml (check the path and its permissions): No such file or directory (os error 2)
  a.toml:14:15: TOML error: invalid basic string
  a.toml:18:6: question 'third' has no points; add at least one [[questions.points]]
  b.toml:2:6: duplicate question id 'good-one' (first defined at a.toml:2:6)
"
    );
}
