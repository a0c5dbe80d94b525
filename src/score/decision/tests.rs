//! The decision on fixed vectors: statuses, credit, refusals, retractions, one-to-one.

use ndarray::{arr1, arr2};

use super::super::settings::{MatchMode, Thresholds};
use super::super::{score, AnswerVectors, DecisionLayer, RubricVectors, FEATURES};
use super::*;
use crate::segment::segment;

/// A layer that reads only the cosine to the point text and the denial share: P is
/// near 1 for a cosine of 1 and near 0 for a cosine of 0 or a denial.
fn scorer() -> Scorer {
    let mut mean = vec![0.0; FEATURES.len()];
    let scale = vec![1.0; FEATURES.len()];
    let mut weights = vec![0.0; FEATURES.len()];
    let at = |name: &str| FEATURES.iter().position(|f| *f == name).unwrap();
    mean[at("cos_text")] = 0.5;
    weights[at("cos_text")] = 20.0;
    weights[at("denial_share")] = -40.0;
    Scorer {
        thresholds: Thresholds {
            covered: 0.5,
            partial: 0.3,
            partial_credit: 0.5,
            contradicted_similarity: 0.5,
            restate_similarity: 0.75,
            restate_novelty: 0.35,
            match_mode: MatchMode::Best,
        },
        layer: DecisionLayer {
            features: FEATURES.iter().map(|f| f.to_string()).collect(),
            mean,
            scale,
            weights,
            bias: 0.0,
        },
        provenance: None,
    }
}

fn rubric(question: Option<&str>) -> Rubric {
    Rubric::from_point_texts(
        "t",
        question.map(str::to_string),
        &["retrain the model weekly".into(), "monitor drift".into()],
    )
    .unwrap()
}

/// Scores `answer` with one fixed vector per segment against two points on the first
/// two axes.
fn score_fixed(
    rubric: &Rubric,
    answer: &str,
    vectors: ndarray::Array2<f32>,
    question: Option<ndarray::Array1<f32>>,
) -> Scored {
    score_fixed_with(&scorer(), rubric, answer, vectors, question)
}

fn score_fixed_with(
    scorer: &Scorer,
    rubric: &Rubric,
    answer: &str,
    vectors: ndarray::Array2<f32>,
    question: Option<ndarray::Array1<f32>>,
) -> Scored {
    let segments = segment(answer);
    assert_eq!(segments.len(), vectors.nrows(), "one vector per segment");
    let variants = arr2(&[[1.0f32, 0.0, 0.0], [0.0, 1.0, 0.0]]);
    score(
        rubric,
        &AnswerVectors {
            segments: &segments,
            vectors: vectors.view(),
            any_truncated: false,
        },
        &RubricVectors {
            variants: variants.view(),
            question: question.as_ref().map(|question| question.view()),
        },
        scorer,
    )
}

#[test]
fn an_affirmed_point_is_covered_and_a_denied_one_contradicted() {
    let scored = score_fixed(
        &rubric(None),
        "I retrain weekly. I would not monitor drift.",
        arr2(&[[1.0f32, 0.0, 0.0], [0.0, 1.0, 0.0]]),
        None,
    );
    assert_eq!(scored.points[0].status, Status::Covered);
    assert_eq!(
        scored.points[0].matched.as_deref(),
        Some("I retrain weekly.")
    );
    assert!(scored.points[0].probability > 0.99);
    assert_eq!(scored.points[1].status, Status::Contradicted);
    assert_eq!(
        scored.points[1].matched.as_deref(),
        Some("I would not monitor drift.")
    );
    assert_eq!(scored.points[1].credit, 0.0);
    assert_eq!(scored.coverage, 0.5);
    assert_eq!(scored.flags, vec![Flag::Negation]);
}

#[test]
fn an_answer_that_only_restates_the_question_earns_nothing_and_is_told_so() {
    let question = "How do you monitor drift and retrain the model weekly?";
    // The restatement sits exactly on the question, and close to both points.
    let scored = score_fixed(
        &rubric(Some(question)),
        "How do you monitor drift weekly?",
        arr2(&[[0.6f32, 0.6, 0.529]]),
        Some(arr1(&[0.6f32, 0.6, 0.529])),
    );
    assert!(scored
        .points
        .iter()
        .all(|point| point.status == Status::Missed && point.credit == 0.0));
    assert_eq!(scored.flags, vec![Flag::RestatedQuestion]);
}

#[test]
fn an_empty_answer_is_flagged_and_scores_zero() {
    let scored = score_fixed(&rubric(None), "", ndarray::Array2::zeros((0, 3)), None);
    assert_eq!(scored.coverage, 0.0);
    assert_eq!(scored.flags, vec![Flag::EmptyAnswer]);
}

#[test]
fn coverage_weighs_points_and_gives_partial_credit() {
    let mut rubric = rubric(None);
    rubric.points[0].weight = 3.0;
    // Cosine 0.48 to the second point: P = sigmoid(20 × -0.02) ≈ 0.40, between the
    // partial (0.3) and covered (0.5) cut-offs.
    let off = (1.0f32 - 0.48 * 0.48).sqrt();
    let scored = score_fixed(
        &rubric,
        "I retrain weekly. I watch some numbers.",
        arr2(&[[1.0f32, 0.0, 0.0], [0.0, 0.48, off]]),
        None,
    );
    assert_eq!(scored.points[0].status, Status::Covered);
    assert_eq!(scored.points[1].status, Status::Partial);
    assert_eq!(scored.points[1].credit, 0.5);
    assert!((scored.coverage - (3.0 + 0.5) / 4.0).abs() < 1e-6);
    // Both sentences earned credit, so the answer is all on point.
    assert_eq!(scored.precision, 1.0);
    let f1 = 2.0 * scored.coverage / (scored.coverage + 1.0);
    assert!((scored.f1 - f1).abs() < 1e-6);
}

#[test]
fn one_to_one_lets_a_sentence_cover_one_point_only() {
    let answer = "I retrain and watch drift.";
    let vectors = || arr2(&[[0.8f32, 0.6, 0.0]]);
    let best = score_fixed(&rubric(None), answer, vectors(), None);
    assert_eq!(best.points[0].status, Status::Covered);
    assert_eq!(best.points[1].status, Status::Covered);
    let mut one_to_one = scorer();
    one_to_one.thresholds.match_mode = MatchMode::OneToOne;
    let scored = score_fixed_with(&one_to_one, &rubric(None), answer, vectors(), None);
    assert_eq!(scored.points[0].status, Status::Covered);
    assert_eq!(scored.points[1].status, Status::Missed);
    assert_eq!(scored.coverage, 0.5);
}

/// One vector per segment of `answer`, every one exactly on the first point.
fn all_on_the_first_point(answer: &str) -> ndarray::Array2<f32> {
    let count = segment(answer).len();
    ndarray::Array2::from_shape_fn((count, 3), |(_, axis)| if axis == 0 { 1.0 } else { 0.0 })
}

#[test]
fn a_later_sentence_that_withdraws_a_proposal_cancels_its_credit() {
    // Every segment sits on the first point: only the order and the denials tell the
    // answers apart.
    let grade =
        |answer: &str| score_fixed(&rubric(None), answer, all_on_the_first_point(answer), None);
    let retracted =
        grade("We could retrain weekly. Actually no, weekly retraining is overkill here.");
    assert_eq!(retracted.points[0].status, Status::Contradicted);
    assert_eq!(retracted.points[0].credit, 0.0);
    // Said the other way round, the proposal stands.
    let kept = grade("Weekly retraining is overkill for most teams. We retrain weekly.");
    assert_eq!(kept.points[0].status, Status::Covered);
    // A later denial without a retraction cue withdraws it too when it speaks of the
    // point as closely.
    let denied_later = grade("We retrain weekly. Weekly retraining is overkill.");
    assert_eq!(denied_later.points[0].status, Status::Contradicted);
    assert_eq!(
        denied_later.points[0].matched.as_deref(),
        Some("Weekly retraining is overkill.")
    );
}

#[test]
fn a_refusal_never_covers_even_where_the_layer_ignores_denials() {
    let mut lenient = scorer();
    let at = FEATURES.iter().position(|f| *f == "denial_share").unwrap();
    lenient.layer.weights[at] = 0.0;
    // One sentence, exactly on the "monitor drift" point.
    let on_the_point = |answer: &str| {
        score_fixed_with(
            &lenient,
            &rubric(None),
            answer,
            arr2(&[[0.0f32, 1.0, 0.0]]),
            None,
        )
    };
    let refusal = on_the_point("I would not monitor drift.");
    assert_eq!(refusal.points[1].status, Status::Contradicted);
    assert_eq!(refusal.coverage, 0.0);
    // A denial that describes a state is left to the layer, which here ignores it.
    let state = on_the_point("The drift is not monitored.");
    assert_eq!(state.points[1].status, Status::Covered);
}

#[test]
fn one_to_one_pairs_by_what_the_layer_reads_not_by_cosine_alone() {
    // The sentence is nearer "retrain the model weekly" by cosine (0.8 against 0.6), but
    // its words are those of "monitor drift", and this layer reads only the word overlap.
    let mut by_words = scorer();
    by_words.thresholds.match_mode = MatchMode::OneToOne;
    let at = |name: &str| FEATURES.iter().position(|f| *f == name).unwrap();
    by_words.layer.weights[at("cos_text")] = 0.0;
    by_words.layer.mean[at("overlap_text")] = 0.5;
    by_words.layer.weights[at("overlap_text")] = 20.0;
    let scored = score_fixed_with(
        &by_words,
        &rubric(None),
        "Monitor drift.",
        arr2(&[[0.8f32, 0.6, 0.0]]),
        None,
    );
    assert_eq!(scored.points[0].status, Status::Missed);
    assert_eq!(scored.points[1].status, Status::Covered);
    assert_eq!(scored.points[1].matched.as_deref(), Some("Monitor drift."));
}
