//! `mockgrade grade` with the real model: score ordering on written answers, robustness to
//! keyword lists, negation and restated questions, one-to-one matching, the JSON schema,
//! determinism and input errors.

mod common;

use common::{coverage, first_error_line, grade_json, stderr, stdout, Sandbox};

struct Answers {
    question: &'static str,
    strong: &'static str,
    partial: &'static str,
    weak: &'static str,
    off_topic: &'static str,
    keywords: &'static str,
    negated: &'static str,
    restated: &'static str,
}

const CASES: [Answers; 3] = [
    Answers {
        question: "2",
        strong: "First I'd put monitoring on the live model: accuracy on delayed labels plus PSI and KL divergence between the training and production feature distributions. \
                 We retrain it every couple of weeks on the freshest labelled data so it learns the current relationship. \
                 If the domain allows it I'd use an online learner that updates incrementally as labelled events stream in. \
                 I'd also keep an ensemble of models trained on different time windows and reweight them as things change. \
                 And alerts page the on-call engineer the moment quality drops below the agreed threshold.",
        partial: "I would monitor accuracy and PSI drift on the production features, and retrain the model regularly on recent labelled data.",
        weak: "I would keep an eye on the model and make sure it keeps working well, following best practices.",
        off_topic: "My favourite part of the job is writing SQL to build dashboards for the marketing team and choosing nice colours.",
        keywords: "PSI, KL divergence, retraining, online learning, ensembles, alerts",
        negated: "I would not monitor drift at all and I wouldn't retrain the model, online learning is pointless and alerts are overkill.",
        restated: "A model that is already live in production can suffer from concept drift, so you have to do something about concept drift in the live model.",
    },
    Answers {
        question: "1",
        strong: "I'd start from a model pre-trained on a big related dataset and fine-tune it on our few labelled examples. \
                 Then I'd augment the data with crops, flips and noise so the training set grows without new labels. \
                 We can use pseudo-labelling on the large unlabelled pool, which is semi-supervised learning. \
                 Active learning helps too: the model picks the samples it is least sure about and annotators label just those. \
                 Finally a GAN or a simulator can generate synthetic samples to top up the real data.",
        partial: "Fine-tune a pretrained model on the small labelled set, and augment the images with random crops and flips.",
        weak: "It is hard with little data, so I would be careful and try different things until something works.",
        off_topic: "For serving I would put the model behind a REST API on Kubernetes with autoscaling and a load balancer.",
        keywords: "transfer learning, augmentation, semi-supervised, active learning, synthetic data",
        negated: "I would not use transfer learning or data augmentation, and active learning is a waste of time.",
        restated: "When you only have a small amount of labelled data you need to design the machine learning system for the situation of having little labelled data.",
    },
    Answers {
        question: "39",
        strong: "For a brand new item I'd fall back on content-based recommendations using its attributes like category and description. \
                 For everyone with history, collaborative filtering with matrix factorization learns from the whole user base. \
                 A hybrid recommender blends both so newcomers still get sensible suggestions. \
                 And I'd enrich new users with sign-up details and outside metadata to give the model more features.",
        partial: "I would recommend new items by content similarity on their attributes, like genre and description.",
        weak: "New users are tricky, so I would try to show them good stuff and see what happens.",
        off_topic: "To detect fraud I would train a gradient boosted tree on transaction features and tune the threshold for recall.",
        keywords: "content-based, collaborative filtering, hybrid, metadata",
        negated: "I wouldn't use content-based recommendations and collaborative filtering is not needed, no need for metadata either.",
        restated: "New users or new items have no interaction history, so the recommender system has to deal with users and items without history.",
    },
];

#[test]
fn strong_beats_partial_beats_weak_beats_off_topic() {
    let sandbox = Sandbox::new();
    for case in &CASES {
        let strong_report = grade_json(&sandbox, case.question, case.strong);
        let partial_report = grade_json(&sandbox, case.question, case.partial);
        // Answers with content are never told they only restate the question.
        for report in [&strong_report, &partial_report] {
            assert!(
                !report["flags"]
                    .as_array()
                    .unwrap()
                    .contains(&"restated_question".into()),
                "{report}"
            );
        }
        let strong = coverage(&strong_report);
        let partial = coverage(&partial_report);
        let weak = coverage(&grade_json(&sandbox, case.question, case.weak));
        let off_topic = coverage(&grade_json(&sandbox, case.question, case.off_topic));
        assert!(strong >= 0.7, "question {}: strong {strong}", case.question);
        assert!(
            strong > partial && partial > weak,
            "question {}: {strong} > {partial} > {weak}",
            case.question
        );
        assert!(
            weak >= off_topic,
            "question {}: weak {weak}, off-topic {off_topic}",
            case.question
        );
        assert_eq!(off_topic, 0.0, "question {}", case.question);
    }
}

#[test]
fn keyword_lists_negations_and_restated_questions_score_well_below_the_strong_answer() {
    let sandbox = Sandbox::new();
    for case in &CASES {
        let strong = coverage(&grade_json(&sandbox, case.question, case.strong));
        let keywords = grade_json(&sandbox, case.question, case.keywords);
        let negated = grade_json(&sandbox, case.question, case.negated);
        let restated = grade_json(&sandbox, case.question, case.restated);
        for (name, report) in [
            ("keywords", &keywords),
            ("negated", &negated),
            ("restated", &restated),
        ] {
            assert!(
                coverage(report) < strong / 2.0,
                "question {} {name}: {} vs strong {strong}",
                case.question,
                coverage(report)
            );
        }
        assert!(
            keywords["flags"]
                .as_array()
                .unwrap()
                .contains(&"keyword_list".into()),
            "{keywords}"
        );
        assert!(
            negated["flags"]
                .as_array()
                .unwrap()
                .contains(&"negation".into()),
            "{negated}"
        );
        assert!(
            negated["points"]
                .as_array()
                .unwrap()
                .iter()
                .any(|point| point["status"] == "contradicted"),
            "{negated}"
        );
        assert_eq!(coverage(&restated), 0.0, "{restated}");
        assert_eq!(
            restated["flags"],
            serde_json::json!(["restated_question"]),
            "{restated}"
        );
    }
}

#[test]
fn in_one_to_one_mode_a_segment_credits_at_most_one_point() {
    let sandbox = Sandbox::new();
    let grade = |mode: &str, answer: &str| -> serde_json::Value {
        let output = sandbox.run(&[
            "--match", mode, "grade", "-q", "2", "--answer", answer, "--format", "json",
        ]);
        assert!(output.status.success(), "{}", stderr(&output));
        serde_json::from_slice(&output.stdout).unwrap()
    };
    let credited = |report: &serde_json::Value| -> Vec<String> {
        report["points"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|point| point["status"] == "covered" || point["status"] == "partial")
            .map(|point| point["matched_span"].to_string())
            .collect()
    };
    let generic = "I would monitor drift metrics, retrain the model, use online learning and ensembles, and alert the engineers.";
    for answer in [CASES[0].strong, CASES[0].partial, generic] {
        let one_to_one = grade("one-to-one", answer);
        assert_eq!(one_to_one["scorer"]["match_mode"], "one-to-one");
        let spans = credited(&one_to_one);
        let distinct: std::collections::BTreeSet<&String> = spans.iter().collect();
        assert_eq!(
            distinct.len(),
            spans.len(),
            "each segment credits at most one point: {one_to_one}"
        );
    }
    let strong = grade("one-to-one", CASES[0].strong);
    assert!(
        credited(&strong).len() >= 4,
        "the strong answer states each point in its own sentence: {strong}"
    );
}

#[test]
fn an_empty_answer_scores_zero_with_a_flag_and_a_message() {
    let sandbox = Sandbox::new();
    let report = grade_json(&sandbox, "2", "   \n\t ");
    assert_eq!(coverage(&report), 0.0);
    assert_eq!(report["flags"], serde_json::json!(["empty_answer"]));
    let text = stdout(&sandbox.run(&["grade", "-q", "2", "--answer", ""]));
    assert!(
        text.contains("The answer is empty: type at least one sentence."),
        "{text}"
    );
}

#[test]
fn the_json_report_has_every_documented_field() {
    let sandbox = Sandbox::new();
    let report = grade_json(&sandbox, "concept-drift-deployed-model", CASES[0].partial);
    for field in [
        "schema",
        "question_id",
        "number",
        "question",
        "coverage",
        "precision",
        "f1",
        "mean_similarity",
        "mean_probability",
        "points",
        "missed",
        "flags",
        "scorer",
        "model",
        "device",
        "elapsed_ms",
    ] {
        assert!(report.get(field).is_some(), "missing {field}");
    }
    assert_eq!(report["schema"], 2);
    assert_eq!(report["scorer"]["match_mode"], "one-to-one");
    assert!(report["scorer"]["fitted_on"]
        .as_str()
        .unwrap()
        .starts_with("data/dev/answers.jsonl (all, "));
    assert_eq!(report["number"], 2);
    assert_eq!(report["model"]["name"], "all-MiniLM-L6-v2");
    assert_eq!(report["device"], "cpu");
    let point = &report["points"][0];
    for field in [
        "id",
        "concept",
        "text",
        "status",
        "similarity",
        "probability",
        "matched",
        "matched_span",
        "credit",
        "weight",
    ] {
        assert!(point.get(field).is_some(), "point is missing {field}");
    }
    // A matched span points at the matched text in the answer.
    let answer = CASES[0].partial;
    for point in report["points"].as_array().unwrap() {
        if let Some(span) = point["matched_span"].as_array() {
            let (start, end) = (
                span[0].as_u64().unwrap() as usize,
                span[1].as_u64().unwrap() as usize,
            );
            assert_eq!(&answer[start..end], point["matched"].as_str().unwrap());
        } else {
            assert!(point["matched"].is_null());
        }
    }
    let missed: Vec<&str> = report["missed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert!(missed.contains(&"Online learning"), "{missed:?}");
}

#[test]
fn the_same_input_gives_identical_json_apart_from_elapsed_ms() {
    let sandbox = Sandbox::new();
    let run = |threads: &str| {
        let output = sandbox.run(&[
            "--threads",
            threads,
            "grade",
            "-q",
            "1",
            "--answer",
            CASES[1].strong,
            "--format",
            "json",
        ]);
        let mut report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        report["elapsed_ms"] = 0.into();
        serde_json::to_string(&report).unwrap()
    };
    let first = run("2");
    assert_eq!(first, run("2"));
    assert_eq!(first, run("1"), "thread count does not change the report");
}

#[test]
fn ad_hoc_references_grade_without_a_bank_question() {
    let sandbox = Sandbox::new();
    let output = sandbox.run(&[
        "grade",
        "--reference",
        "Cache frequent predictions. Batch requests on the GPU.",
        "--question-text",
        "How do you cut inference latency?",
        "--answer",
        "I'd keep a cache of frequent predictions in Redis.",
        "--format",
        "json",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["points"].as_array().unwrap().len(), 2);
    assert_eq!(report["points"][0]["status"], "covered");
    assert_eq!(report["points"][1]["status"], "missed");
}

/// Refusing each point in the reference's own words earns nothing: the words are as close
/// as words get, so only the refusal can keep the grade at zero.
#[test]
fn refusing_every_point_word_for_word_scores_zero() {
    let sandbox = Sandbox::new();
    let reference = "Ship it behind a canary to a small slice of traffic. Watch latency and click metrics on dashboards with alerts. Keep the previous version ready for an instant rollback.";
    let answer = "I would not ship it behind a canary to a small slice of traffic. I would not watch latency and click metrics on dashboards with alerts. I wouldn't keep the previous version ready for an instant rollback.";
    let grade = |answer: &str| {
        let args = [
            "grade",
            "--reference",
            reference,
            "--answer",
            answer,
            "--format",
            "json",
        ];
        grade_json_args(&sandbox, &args)
    };
    let report = grade(answer);
    assert_eq!(coverage(&report), 0.0, "{report}");
    for point in report["points"].as_array().unwrap() {
        assert_eq!(point["status"], "contradicted", "{point}");
    }
    // The same sentences, affirmed, cover every point.
    let affirmed = answer
        .replace("I would not ", "I would ")
        .replace("I wouldn't ", "I would ");
    let report = grade(&affirmed);
    assert_eq!(coverage(&report), 1.0, "{report}");
}

#[test]
fn answers_from_files_and_stdin_and_their_errors() {
    let sandbox = Sandbox::new();
    sandbox.file("answer.txt", CASES[0].partial);
    let from_file = grade_json_args(
        &sandbox,
        &[
            "grade",
            "-q",
            "2",
            "--answer-file",
            "answer.txt",
            "--format",
            "json",
        ],
    );
    let piped = sandbox.run_with_stdin(
        &["grade", "-q", "2", "-", "--format", "json"],
        CASES[0].partial,
    );
    let mut piped: serde_json::Value = serde_json::from_slice(&piped.stdout).unwrap();
    let mut from_file = from_file;
    piped["elapsed_ms"] = 0.into();
    from_file["elapsed_ms"] = 0.into();
    assert_eq!(piped, from_file);

    sandbox.file("latin1.txt", b"caf\xe9 drift");
    let output = sandbox.run(&["grade", "-q", "2", "latin1.txt"]);
    assert_eq!(output.status.code(), Some(3));
    assert_eq!(
        first_error_line(&output),
        "error: cannot use the answer file latin1.txt: latin1.txt is not valid UTF-8 (first bad byte at offset 3); save it as UTF-8 text"
    );
    let output = sandbox.run(&["grade", "-q", "2", "missing.txt"]);
    assert_eq!(output.status.code(), Some(3));
    assert_eq!(
        first_error_line(&output),
        "error: cannot use the answer file missing.txt: missing.txt not found: check the path"
    );
    let output = sandbox.run(&["grade", "-q", "999", "--answer", "x"]);
    assert_eq!(output.status.code(), Some(4));
    assert_eq!(
        first_error_line(&output),
        "error: unknown question '999': not an id or number in the loaded banks (see `mockgrade bank list`)"
    );
}

fn grade_json_args(sandbox: &Sandbox, args: &[&str]) -> serde_json::Value {
    let output = sandbox.run(args);
    assert!(output.status.success(), "{}", stderr(&output));
    serde_json::from_slice(&output.stdout).unwrap()
}
