//! Round 3, class 1: scorer files, labels and scores are validated. A scorer that could give
//! a probability that is not a number is refused by its bound, a scorer fitted on another
//! model is named with both hashes, and eval's counts add up to its input.

use mockgrade::bank::Bank;
use mockgrade::score::Scorer;

use crate::common::{first_error_line, stderr, stdout, Sandbox};

/// One edit of a scorer.
type Change = fn(&mut Scorer);

const ANSWER: &str = "We retrain weekly on fresh labelled data and monitor drift.";

fn write_scorer(sandbox: &Sandbox, name: &str, change: impl Fn(&mut Scorer)) {
    let mut scorer = Scorer::shipped();
    change(&mut scorer);
    sandbox.file(name, scorer.to_toml());
}

/// Finite but extreme weights, scales, means and biases: each could push the logit past
/// what a float holds for some answer, so each is refused before grading starts.
#[test]
fn a_scorer_that_could_give_a_non_finite_probability_is_refused() {
    let sandbox = Sandbox::new();
    let cases: [(&str, Change); 4] = [
        ("weights.toml", |scorer| {
            scorer.layer.weights[0] = 3e38;
            scorer.layer.weights[1] = -3e38;
        }),
        ("scale.toml", |scorer| scorer.layer.scale[2] = 1e-45),
        ("mean.toml", |scorer| scorer.layer.mean[4] = -3e38),
        ("bias.toml", |scorer| scorer.layer.bias = 3e38),
    ];
    for (name, change) in cases {
        write_scorer(&sandbox, name, change);
        let output = sandbox.run(&["grade", "-q", "2", "--answer", ANSWER, "--scorer", name]);
        assert_eq!(output.status.code(), Some(3), "{name}: {}", stderr(&output));
        let message = first_error_line(&output);
        let expected =
            format!("error: invalid scorer file {name}: the layer can reach a logit of ");
        assert!(message.starts_with(&expected), "{name}: {message}");
        assert!(
            message.ends_with(
                "so P(covered) could be not a number; fit it again with `mockgrade calibrate`"
            ),
            "{name}: {message}"
        );
        assert!(stdout(&output).is_empty(), "{name}: nothing graded");
    }
}

/// The scorer's `model_sha256` against the model in use: a warning naming both hashes,
/// and with `--strict` an error (exit 3) with nothing graded.
#[test]
fn a_scorer_fitted_on_another_model_warns_and_strict_refuses_it() {
    let sandbox = Sandbox::new();
    let in_use = Scorer::shipped().provenance.unwrap().model_sha256;
    let other = "0".repeat(64);
    write_scorer(&sandbox, "other-model.toml", |scorer| {
        scorer.provenance.as_mut().unwrap().model_sha256 = other.clone();
    });
    let message = format!("other-model.toml was fitted on the model with sha256 {other}, but the model in use has sha256 {in_use}; its grades may not hold: fit a scorer for this model with `mockgrade calibrate`, or use the model it was fitted on");

    let warned = sandbox.run(&[
        "grade",
        "-q",
        "2",
        "--answer",
        ANSWER,
        "--scorer",
        "other-model.toml",
        "--format",
        "json",
    ]);
    assert_eq!(warned.status.code(), Some(0), "{}", stderr(&warned));
    assert!(
        stderr(&warned)
            .lines()
            .any(|line| line == format!("warning: {message}")),
        "{}",
        stderr(&warned)
    );

    let refused = sandbox.run(&[
        "grade",
        "-q",
        "2",
        "--answer",
        ANSWER,
        "--scorer",
        "other-model.toml",
        "--strict",
    ]);
    assert_eq!(refused.status.code(), Some(3), "{}", stderr(&refused));
    assert_eq!(
        first_error_line(&refused),
        format!("error: --strict refuses a scorer fitted on another model: {message}")
    );
    assert!(stdout(&refused).is_empty(), "nothing graded");

    // The shipped scorer was fitted on the installed model: no warning, even with --strict.
    let shipped = sandbox.run(&["grade", "-q", "2", "--answer", ANSWER, "--strict"]);
    assert_eq!(shipped.status.code(), Some(0), "{}", stderr(&shipped));
    assert!(
        !stderr(&shipped).contains("fitted on the model"),
        "{}",
        stderr(&shipped)
    );
}

/// `covers` naming a point the question lacks (a typo gets the real id), a score outside
/// [0, max_score], and a record without labels: error lines naming each record, a counted
/// skip, and a summary whose counts add up to the records read.
#[test]
fn eval_and_calibrate_name_bad_labels_and_their_counts_add_up() {
    let sandbox = Sandbox::new();
    let bank = Bank::built_in().unwrap();
    let point = bank.find("2").unwrap().points[0].id.clone();
    let typo = format!("{}x", point);
    let records = [
        format!(r#"{{"id": "good-1", "question": 2, "answer": "{ANSWER}", "label": "correct"}}"#),
        r#"{"id": "good-2", "question": 2, "answer": "No idea at all.", "label": "incorrect"}"#
            .to_string(),
        format!(r#"{{"id": "typo", "question": 2, "answer": "{ANSWER}", "covers": ["{typo}"]}}"#),
        format!(
            r#"{{"id": "high", "question": 2, "answer": "{ANSWER}", "score": 5, "max_score": 4}}"#
        ),
        format!(
            r#"{{"id": "low", "question": 2, "answer": "{ANSWER}", "score": -1, "max_score": 4}}"#
        ),
        format!(r#"{{"id": "bare-1", "question": 2, "answer": "{ANSWER}"}}"#),
        r#"{"id": "bare-2", "question": 2, "answer": "Something else."}"#.to_string(),
    ];
    sandbox.file("labels.jsonl", records.join("\n") + "\n");
    let errors = [
        format!("error: labels.jsonl:3: `covers` names {typo:?}, which question monitoring-drift has no point of; did you mean {point:?}?"),
        "error: labels.jsonl:4: `score` 5 is outside [0, max_score] = [0, 4]".to_string(),
        "error: labels.jsonl:5: `score` -1 is outside [0, max_score] = [0, 4]".to_string(),
        "warning: skipped 2 unlabelled record(s) (no `label`, `label_2way`, `score` or `covers`), first at labels.jsonl:6".to_string(),
    ];
    let question_id = bank.find("2").unwrap().id.clone();
    let errors: Vec<String> = errors
        .iter()
        .map(|line| line.replace("monitoring-drift", &question_id))
        .collect();

    let eval = sandbox.run(&["eval", "labels.jsonl", "--folds", "0"]);
    assert_eq!(eval.status.code(), Some(0), "{}", stderr(&eval));
    let printed = stderr(&eval);
    let lines: Vec<&str> = printed.lines().take(errors.len()).collect();
    assert_eq!(lines, errors);
    assert!(
        stdout(&eval).starts_with(
            "labels.jsonl: 7 records: 2 answers graded, 5 skipped (2 unlabelled, 3 unusable)\n"
        ),
        "{}",
        stdout(&eval)
    );

    let calibrate = sandbox.run(&["calibrate", "labels.jsonl", "--out", "fitted.toml"]);
    let printed = stderr(&calibrate);
    for line in &errors {
        assert!(
            printed.lines().any(|printed| printed == line),
            "{line}\n{printed}"
        );
    }
}
