//! A grade follows what an answer says, not how it is written: content-free text around an
//! answer never raises a point, the cheat sheet's own bullets cover their points alone,
//! short plain sentences earn their points, and a retraction or an answer to another
//! question earns nothing. All through the real binary, model and shipped scorer.

mod common;

use std::collections::HashMap;

use common::{grade_json, stderr, Sandbox};
use mockgrade::bank::{import_notes, Bank};
use serde_json::{json, Value};

const DEV: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/dev/answers.jsonl");

/// Grades `records` (JSONL values with `id`, `question`, `answer`) in one `batch` run and
/// returns each result by id.
fn batch(sandbox: &Sandbox, records: &[Value]) -> HashMap<String, Value> {
    let lines: Vec<String> = records.iter().map(Value::to_string).collect();
    let input = sandbox.file("answers.jsonl", lines.join("\n"));
    let output = sandbox.run(&["batch", input.to_str().unwrap(), "--out", "out", "--quiet"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let results = std::fs::read_to_string(sandbox.path().join("out/results.jsonl")).unwrap();
    results
        .lines()
        .map(|line| {
            let result: Value = serde_json::from_str(line).unwrap();
            (result["id"].as_str().unwrap().to_string(), result)
        })
        .collect()
}

/// Each point's credit in a result, by point id.
fn credits(result: &Value) -> HashMap<String, f64> {
    result["points"]
        .as_array()
        .unwrap_or_else(|| panic!("no points in {result}"))
        .iter()
        .map(|point| {
            (
                point["id"].as_str().unwrap().to_string(),
                point["credit"].as_f64().unwrap(),
            )
        })
        .collect()
}

fn status<'a>(report: &'a Value, point: &str) -> &'a str {
    report["points"]
        .as_array()
        .unwrap()
        .iter()
        .find(|candidate| candidate["id"] == point)
        .unwrap_or_else(|| panic!("no point {point} in {report}"))["status"]
        .as_str()
        .unwrap()
}

/// Text that states nothing: filler, lorem ipsum, an unrelated paragraph.
const CONTENT_FREE: [&str; 3] = [
    "Thanks, that's a great question and I'm happy to talk it through.",
    "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua.",
    "Last weekend I repainted the garden fence, and then walked the dog along the river until it got dark.",
];

#[test]
fn content_free_text_before_or_after_an_answer_never_raises_a_point() {
    let text = std::fs::read_to_string(DEV).unwrap();
    let mut records = Vec::new();
    let mut originals = Vec::new();
    for line in text.lines() {
        let record: Value = serde_json::from_str(line).unwrap();
        if !matches!(record["kind"].as_str(), Some("strong" | "partial")) {
            continue;
        }
        let (id, question) = (record["id"].as_str().unwrap(), &record["question"]);
        let answer = record["answer"].as_str().unwrap();
        originals.push(id.to_string());
        records.push(json!({"id": id, "question": question, "answer": answer}));
        for (index, filler) in CONTENT_FREE.iter().enumerate() {
            records.push(
                json!({"id": format!("{id}#before{index}"), "question": question,
                "answer": format!("{filler} {answer}")}),
            );
            records.push(
                json!({"id": format!("{id}#after{index}"), "question": question,
                "answer": format!("{answer} {filler}")}),
            );
        }
    }
    assert!(
        originals.len() >= 200,
        "{} strong and partial answers",
        originals.len()
    );
    let sandbox = Sandbox::new();
    let results = batch(&sandbox, &records);
    let mut raised = Vec::new();
    for id in &originals {
        let alone = credits(&results[id]);
        for index in 0..CONTENT_FREE.len() {
            for place in ["before", "after"] {
                let padded_id = format!("{id}#{place}{index}");
                for (point, credit) in credits(&results[&padded_id]) {
                    if credit > alone[&point] {
                        raised.push(format!(
                            "{padded_id} {point}: {} -> {credit}",
                            alone[&point]
                        ));
                    }
                }
            }
        }
    }
    assert!(
        raised.is_empty(),
        "padding raised points:\n{}",
        raised.join("\n")
    );
}

#[test]
#[cfg_attr(
    not(shared_data),
    ignore = "../shared (the cheat sheet) is not beside the checkout"
)]
fn each_cheat_sheet_bullet_alone_covers_its_own_point_and_few_others() {
    let notes = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/seed/ml-system-design-cheat-sheet-part2.txt"
    ))
    .unwrap();
    let imported = Bank::from_sources([("import.toml".to_string(), import_notes(&notes).toml)])
        .expect("the cheat sheet imports");
    let bank = Bank::built_in().unwrap();
    let mut by_number: Vec<_> = bank.questions().iter().collect();
    by_number.sort_by_key(|question| question.number);
    assert_eq!(imported.questions().len(), by_number.len());

    // The bank states each bullet's fact as the point in the same place.
    let mut records = Vec::new();
    let mut own = HashMap::new();
    for (sheet, question) in imported.questions().iter().zip(&by_number) {
        assert_eq!(sheet.points.len(), question.points.len(), "{}", question.id);
        for (index, (bullet, point)) in sheet.points.iter().zip(&question.points).enumerate() {
            let id = format!("{}#{index}", question.id);
            own.insert(id.clone(), point.id.clone());
            records.push(json!({"id": id, "question": question.id, "answer": bullet.text}));
        }
        let all: Vec<String> = sheet
            .points
            .iter()
            .map(|bullet| format!("- {}", bullet.text))
            .collect();
        records.push(
            json!({"id": format!("{}#all", question.id), "question": question.id,
            "answer": all.join("\n")}),
        );
    }
    let sandbox = Sandbox::new();
    let results = batch(&sandbox, &records);

    let (mut own_covered, mut others, mut others_covered) = (0, 0, 0);
    for (id, point) in &own {
        for (other, credit) in credits(&results[id]) {
            let covered = status(&results[id], &other) == "covered";
            if &other == point {
                own_covered += usize::from(covered);
            } else {
                others += 1;
                if covered && credit > 0.0 {
                    others_covered += 1;
                    eprintln!("{id} also covers {other}");
                }
            }
        }
    }
    let own_share = own_covered as f64 / own.len() as f64;
    let other_share = others_covered as f64 / others as f64;
    assert!(
        own_share >= 0.95,
        "own point covered {own_share:.3} of {}",
        own.len()
    );
    // The target is 0.02: 9 of 838 (0.011) with the scorer fitted on the 3,297
    // answers and points paired with segments by P(covered) (2026-12-07; 17 of 838 with the
    // 2,687 and pairing by cosine), several of them bullets that name two techniques (a
    // hybrid of collaborative and content-based filtering).
    assert!(
        other_share <= 0.02,
        "other points covered {other_share:.3} of {others}"
    );

    let together: f64 = by_number
        .iter()
        .map(|question| {
            results[&format!("{}#all", question.id)]["coverage"]
                .as_f64()
                .unwrap()
        })
        .sum::<f64>()
        / by_number.len() as f64;
    // The figures README quotes, shown with --nocapture.
    eprintln!(
        "cheat-sheet bullets: own point {own_covered} of {} ({own_share:.3}), other points \
         {others_covered} of {others} ({other_share:.3}), all together {together:.3}",
        own.len()
    );
    assert!(
        together >= 0.97,
        "all bullets together: mean coverage {together:.3}"
    );
}

/// Short plain sentences earn the point they state, and nothing else.
#[test]
fn a_short_plain_sentence_covers_the_point_it_states() {
    let sandbox = Sandbox::new();
    let cases = [
        (
            "Alert on-call when performance drops.",
            "degradation-alerts",
        ),
        (
            "Monitor accuracy and drift with PSI.",
            "monitor-drift-metrics",
        ),
        (
            "We track accuracy and PSI drift on live traffic.",
            "monitor-drift-metrics",
        ),
    ];
    for (answer, point) in cases {
        let report = grade_json(&sandbox, "2", answer);
        for graded in report["points"].as_array().unwrap() {
            let expected = if graded["id"] == point {
                "covered"
            } else {
                "missed"
            };
            assert_eq!(graded["status"], expected, "{answer}: {graded}");
        }
    }
}

#[test]
fn a_retracted_proposal_earns_nothing() {
    let sandbox = Sandbox::new();
    let report = grade_json(
        &sandbox,
        "2",
        "I'd retrain the model every month on the latest labelled data. We could also switch \
         to online learning. Actually no, online learning is too risky in production, I'd \
         leave it out.",
    );
    assert_eq!(
        status(&report, "scheduled-retraining"),
        "covered",
        "{report}"
    );
    assert_ne!(status(&report, "online-learning"), "covered", "{report}");
    assert_eq!(report["coverage"], 0.2, "{report}");
}

#[test]
fn a_fluent_answer_to_another_question_earns_nothing() {
    let sandbox = Sandbox::new();
    // Question 3 is about data privacy; this answers question 32 (slow feature jobs).
    let report = grade_json(
        &sandbox,
        "3",
        "I'd move the feature computation onto a Spark cluster so the transformations run in \
         parallel across workers. The raw tables would be stored as Parquet so each job reads \
         only the columns it needs. Intermediate features get cached, so reruns skip work that \
         was already done.",
    );
    assert_eq!(report["coverage"], 0.0, "{report}");
}

/// The same answer as a typed-up interview grades as it does in plain prose, and the
/// interviewer's words earn nothing, however close they come to a point.
#[test]
fn a_transcript_grades_the_candidates_words_only() {
    let sandbox = Sandbox::new();
    let plain = grade_json(
        &sandbox,
        "2",
        "I'd retrain the model every month on the latest labelled data. I'd alert the on-call \
         engineer when accuracy drops below the target.",
    );
    let transcript = grade_json(
        &sandbox,
        "2",
        "Interviewer: Would you track drift with PSI between training and live data?\n\
         Candidate: I'd retrain the model every month on the latest labelled data.\n\
         Interviewer: Anything else?\n\
         Candidate: I'd alert the on-call engineer when accuracy drops below the target.",
    );
    for point in plain["points"].as_array().unwrap() {
        let id = point["id"].as_str().unwrap();
        assert_eq!(
            status(&transcript, id),
            point["status"],
            "{id}: {transcript}"
        );
    }
    assert_eq!(status(&transcript, "monitor-drift-metrics"), "missed");
    assert_eq!(transcript["coverage"], plain["coverage"], "{transcript}");
}

/// Points turned down in the words people use earn nothing: "steer clear of", "avoid",
/// "is not on my list", "a trap", a list closed by "are not something I'd bring in".
#[test]
fn rejected_points_earn_nothing() {
    let sandbox = Sandbox::new();
    let report = grade_json(
        &sandbox,
        "2",
        "I'd steer clear of online learning, the labels arrive weeks late. Ensembles or \
         stacked models over time windows are likewise not on my list. What I would do is \
         retrain on the newest labelled data every month.",
    );
    assert_eq!(
        status(&report, "scheduled-retraining"),
        "covered",
        "{report}"
    );
    for point in ["online-learning", "ensembles-stacking"] {
        assert_ne!(status(&report, point), "covered", "{point}: {report}");
        assert_ne!(status(&report, point), "partial", "{point}: {report}");
    }
}
