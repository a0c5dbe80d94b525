//! The grader on fixed vectors: a bag-of-words backend stands in for the model, so the
//! pipeline (validation, deduplication, batching, scoring, errors) is tested without libtorch.

use std::sync::{Arc, Mutex};

use super::*;
use crate::embed::Embeddings;
use crate::score::{Flag, Scorer, Status};

const DIM: usize = 64;

/// Each word adds one to a hashed dimension; rows are L2-normalised like the model's. Two
/// texts with the same words get cosine 1, texts with no word in common get (nearly) 0.
#[derive(Default)]
struct BagOfWords {
    /// Every text asked for, call by call; shared so a test can read it after the grader
    /// has taken the backend.
    calls: Arc<Mutex<Vec<Vec<String>>>>,
    fail: bool,
}

impl Backend for BagOfWords {
    fn dim(&self) -> usize {
        DIM
    }

    fn device_label(&self) -> String {
        "test".to_string()
    }

    fn embed_texts(&self, texts: &[&str]) -> Result<Embeddings, EmbedError> {
        self.calls
            .lock()
            .unwrap()
            .push(texts.iter().map(|text| text.to_string()).collect());
        if self.fail {
            return Err(EmbedError::Forward("out of memory".to_string()));
        }
        let mut vectors = Array2::<f32>::zeros((texts.len(), DIM));
        for (row, text) in texts.iter().enumerate() {
            for word in text
                .split(|c: char| !c.is_alphanumeric())
                .filter(|word| !word.is_empty())
            {
                let word = word.to_lowercase();
                let slot = crate::util::hash::hex_digest(word.as_bytes());
                let slot = usize::from_str_radix(&slot[..8], 16).unwrap() % DIM;
                vectors[[row, slot]] += 1.0;
            }
            let norm = vectors.row(row).dot(&vectors.row(row)).sqrt().max(1e-12);
            vectors.row_mut(row).mapv_inplace(|value| value / norm);
        }
        Ok(Embeddings {
            vectors,
            truncated: vec![false; texts.len()],
        })
    }
}

#[test]
fn a_number_that_is_not_finite_never_reaches_a_report() {
    // A scorer built in code skips the file's checks: weights of both signs past what an
    // f32 sum holds make the logit inf - inf.
    let mut scorer = Scorer::shipped();
    for (index, weight) in scorer.layer.weights.iter_mut().enumerate() {
        *weight = if index % 2 == 0 { 3e38 } else { -3e38 };
    }
    let model = ModelInfo {
        name: "bag-of-words".to_string(),
        sha256: "0".repeat(64),
    };
    let err = Grader::new(BagOfWords::default(), None, scorer, model)
        .grade(
            &rubric(),
            "Ship it behind a canary to a small slice of traffic.",
        )
        .unwrap_err();
    let message = err.to_string();
    assert!(
        message.starts_with("internal error: the report's ")
            && message.contains(" is not a number; this is a bug in mockgrade"),
        "{message}"
    );
}

fn grader(backend: BagOfWords) -> Grader {
    let model = ModelInfo {
        name: "bag-of-words".to_string(),
        sha256: "0".repeat(64),
    };
    Grader::new(backend, None, Scorer::shipped(), model)
}

fn rubric() -> Rubric {
    Rubric::from_point_texts(
        "rollout",
        Some("How would you roll out a new ranking model safely?".to_string()),
        &[
            "Ship it behind a canary to a small slice of traffic.".to_string(),
            "Watch latency and click metrics on dashboards with alerts.".to_string(),
            "Keep the previous version ready for an instant rollback.".to_string(),
        ],
    )
    .unwrap()
}

fn statuses(report: &Report) -> Vec<Status> {
    report.points.iter().map(|point| point.status).collect()
}

#[test]
fn an_answer_that_states_every_point_covers_them_all() {
    let report = grader(BagOfWords::default())
        .grade(
            &rubric(),
            "I would ship it behind a canary to a small slice of traffic. I would watch latency \
             and click metrics on dashboards with alerts. I would keep the previous version ready \
             for an instant rollback.",
        )
        .unwrap();
    assert_eq!(statuses(&report), vec![Status::Covered; 3]);
    assert_eq!(report.coverage, 1.0);
    assert!(report.missed.is_empty());
    assert_eq!(report.device, "test");
    assert_eq!(
        report.points[0].matched_span.map(|(start, _)| start),
        Some(0)
    );
}

#[test]
fn an_answer_about_something_else_covers_nothing() {
    let report = grader(BagOfWords::default())
        .grade(
            &rubric(),
            "Penguins huddle together through the polar winter.",
        )
        .unwrap();
    assert_eq!(statuses(&report), vec![Status::Missed; 3]);
    assert_eq!(report.coverage, 0.0);
    assert_eq!(report.missed.len(), 3);
}

#[test]
fn a_point_the_candidate_refuses_is_contradicted_however_close_the_words() {
    let report = grader(BagOfWords::default())
        .grade(
            &rubric(),
            "I would not ship it behind a canary to a small slice of traffic. I would keep the \
             previous version ready for an instant rollback.",
        )
        .unwrap();
    assert_eq!(
        statuses(&report),
        vec![Status::Contradicted, Status::Missed, Status::Covered]
    );
    assert_eq!(report.points[0].credit, 0.0);
    assert!(report.flags.contains(&Flag::Negation));
}

#[test]
fn an_empty_answer_scores_zero_with_its_flag() {
    let report = grader(BagOfWords::default())
        .grade(&rubric(), "   ")
        .unwrap();
    assert_eq!(report.coverage, 0.0);
    assert_eq!(report.flags, vec![Flag::EmptyAnswer]);
}

#[test]
fn an_answer_graded_with_others_gets_the_report_it_gets_alone() {
    let rubric = rubric();
    let answers = [
        "Ship it behind a canary to a small slice of traffic.",
        "Keep the previous version ready for an instant rollback, and watch dashboards.",
        "No idea.",
    ];
    let grader = grader(BagOfWords::default());
    let submissions: Vec<Submission> = answers
        .iter()
        .map(|answer| Submission {
            rubric: &rubric,
            answer,
        })
        .collect();
    let together = grader.grade_many(&submissions);
    for (answer, report) in answers.iter().zip(together) {
        let mut report = report.unwrap();
        let mut alone = grader.grade(&rubric, answer).unwrap();
        report.elapsed_ms = 0;
        alone.elapsed_ms = 0;
        assert_eq!(report, alone, "{answer}");
    }
}

#[test]
fn each_distinct_sentence_is_embedded_once_per_call() {
    let backend = BagOfWords::default();
    let calls = Arc::clone(&backend.calls);
    let grader = grader(backend);
    let rubric = rubric();
    let sentence = "Ship it behind a canary to a small slice of traffic.";
    let submissions = [
        Submission {
            rubric: &rubric,
            answer: sentence,
        },
        Submission {
            rubric: &rubric,
            answer: sentence,
        },
    ];
    assert!(grader.grade_many(&submissions).iter().all(Result::is_ok));
    let backend = calls.lock().unwrap().clone();
    // One call for the rubric (three points and the question), one for the answers' segments.
    assert_eq!(backend.len(), 2);
    assert_eq!(backend[0].len(), 4);
    assert_eq!(backend[1], vec![sentence.to_string()]);
}

#[test]
fn a_bad_submission_fails_alone_and_the_rest_are_graded() {
    let rubric = rubric();
    let empty_rubric = Rubric {
        points: Vec::new(),
        ..rubric.clone()
    };
    let huge = "word ".repeat(MAX_ANSWER_BYTES / 5 + 1);
    let grader = grader(BagOfWords::default());
    let results = grader.grade_many(&[
        Submission {
            rubric: &rubric,
            answer: &huge,
        },
        Submission {
            rubric: &empty_rubric,
            answer: "Ship it behind a canary.",
        },
        Submission {
            rubric: &rubric,
            answer: "Ship it behind a canary to a small slice of traffic.",
        },
    ]);
    assert!(matches!(results[0], Err(GradeError::TooLarge { size }) if size == huge.len()));
    assert!(matches!(results[1], Err(GradeError::NoPoints)));
    assert_eq!(
        results[2].as_ref().unwrap().points[0].status,
        Status::Covered
    );
}

#[test]
fn a_failed_forward_pass_fails_every_answer_with_the_same_cause() {
    let rubric = rubric();
    let grader = grader(BagOfWords {
        fail: true,
        ..BagOfWords::default()
    });
    let results = grader.grade_many(&[
        Submission {
            rubric: &rubric,
            answer: "one",
        },
        Submission {
            rubric: &rubric,
            answer: "two",
        },
    ]);
    for result in results {
        let err = result.unwrap_err();
        assert!(
            matches!(&err, GradeError::Embed(cause) if matches!(**cause, EmbedError::Forward(_)))
        );
        assert_eq!(err.to_string(), "embedding failed: out of memory");
    }
}
