//! From evidence to a grade: the decision layer's P(covered) per point, the cut-offs that
//! make it a status, the answer's totals, and the flags the report explains.

use super::evidence::{Candidate, Evidence};
use super::facts::keyword_sentences;
use super::outcome::{empty_answer, Flag, PointResult, Scored, Status};
use super::{Rubric, Scorer};
use crate::segment::SegmentKind;

/// A denial contradicts a point when its words, affirmed, would have come at least this
/// share of the way to partial credit: the candidate said something about the point and
/// denied it. Below, the denial is about something else and the point is simply missed.
const CONTRADICTION_SHARE: f32 = 0.5;

/// How much less close to the point a later denial may be than the earlier affirmation and
/// still withdraw it: "We could add a feature store. Actually no, a feature store is
/// overkill here." speaks of the same thing twice, and the second word is the last.
const RETRACTION_GAP: f32 = 0.1;

/// Scores gathered evidence with a scorer.
pub fn decide(rubric: &Rubric, evidence: &Evidence, scorer: &Scorer) -> Scored {
    if evidence.segments.is_empty() {
        return empty_answer(rubric);
    }
    let thresholds = &scorer.thresholds;
    let probability = |candidate: &'_ Candidate| scorer.layer.probability(&candidate.features);
    let restating = restating_sentences(evidence, scorer);
    let only_restates = restating.is_everything();

    let mut points: Vec<PointResult> = Vec::with_capacity(rubric.points.len());
    for (point, point_evidence) in rubric.points.iter().zip(&evidence.points) {
        let affirmed = point_evidence
            .affirming
            .as_ref()
            .map(|candidate| (candidate, probability(candidate)));
        let denied = point_evidence
            .denying
            .as_ref()
            .map(|candidate| (candidate, probability(candidate)));
        // The more probable of the two covers the point, if either does. A refusal never
        // covers it, however close its words; the layer weighs any other denial, which can
        // be the content itself ("the bulb is not in a closed path").
        let creditable_denial = denied.filter(|(denying, _)| !denying.refusal);
        let (best, best_probability) = match (affirmed, creditable_denial) {
            (Some(a), Some(d)) if d.1 > a.1 => (Some(d.0), d.1),
            (Some(a), _) => (Some(a.0), a.1),
            (None, Some(d)) => (Some(d.0), d.1),
            (None, None) => (None, 0.0),
        };
        let retracted = |denying: &Candidate| {
            affirmed.is_some_and(|(affirming, _)| {
                evidence.segments[denying.segment].sentence
                    > evidence.segments[affirming.segment].sentence
                    && denying.similarity >= affirming.similarity - RETRACTION_GAP
                    && scorer.layer.probability(&denying.as_affirmed()) >= thresholds.partial
            })
        };
        // A denial contradicts the point when it withdraws an earlier affirmation of it, or
        // when it is the closest match, and it is close to the point or the same words,
        // affirmed, would have come near credit.
        let contradiction = denied.filter(|(denying, _)| {
            retracted(denying)
                || (best_probability < thresholds.covered
                    && affirmed
                        .is_none_or(|(affirming, _)| denying.similarity > affirming.similarity)
                    && (denying.similarity >= thresholds.contradicted_similarity
                        || scorer.layer.probability(&denying.as_affirmed())
                            >= CONTRADICTION_SHARE * thresholds.partial))
        });
        let (status, shown, credit, point_probability) = if let Some((denying, _)) = contradiction {
            (Status::Contradicted, Some(denying), 0.0, best_probability)
        } else if only_restates {
            (Status::Missed, None, 0.0, 0.0)
        } else if best_probability >= thresholds.covered {
            (Status::Covered, best, 1.0, best_probability)
        } else if best_probability >= thresholds.partial {
            (
                Status::Partial,
                best,
                thresholds.partial_credit,
                best_probability,
            )
        } else {
            (Status::Missed, None, 0.0, best_probability)
        };
        let similarity = shown.or(best).map_or(0.0, |candidate| candidate.similarity);
        let matched = shown.map(|candidate| &evidence.segments[candidate.segment]);
        points.push(PointResult {
            id: point.id.clone(),
            concept: point.concept.clone(),
            text: point.text.clone(),
            status,
            similarity,
            probability: point_probability,
            matched: matched.map(|segment| segment.text.clone()),
            matched_span: matched.map(|segment| segment.span),
            credit,
            weight: point.weight,
        });
    }

    let total_weight: f32 = points
        .iter()
        .map(|point| point.weight)
        .sum::<f32>()
        .max(f32::EPSILON);
    let weighted = |value: &dyn Fn(&PointResult) -> f32| {
        points
            .iter()
            .map(|point| point.weight * value(point))
            .sum::<f32>()
            / total_weight
    };
    let coverage = weighted(&|point| point.credit).clamp(0.0, 1.0);
    let mean_similarity = weighted(&|point| {
        if point.status == Status::Contradicted {
            0.0
        } else {
            point.similarity.max(0.0)
        }
    });
    let mean_probability = weighted(&|point| point.probability);
    let precision = precision(evidence, &points, &restating.substantive);
    let f1 = if coverage + precision > 0.0 {
        2.0 * coverage * precision / (coverage + precision)
    } else {
        0.0
    };
    let flags = answer_flags(evidence, scorer, &points, &restating, coverage);
    Scored {
        coverage,
        precision,
        f1,
        mean_similarity,
        mean_probability,
        points,
        flags,
    }
}

/// The answer's sentences that only restate the question, beside its substantive ones.
struct Restating {
    sentences: Vec<usize>,
    substantive: Vec<usize>,
}

impl Restating {
    /// Every substantive sentence restates the question.
    fn is_everything(&self) -> bool {
        !self.substantive.is_empty()
            && self
                .substantive
                .iter()
                .all(|sentence| self.sentences.contains(sentence))
    }
}

/// A sentence restates the question when it is close to it and adds few words of its own.
fn restating_sentences(evidence: &Evidence, scorer: &Scorer) -> Restating {
    let thresholds = &scorer.thresholds;
    let mut restating = Restating {
        sentences: Vec::new(),
        substantive: Vec::new(),
    };
    for (index, segment) in evidence.segments.iter().enumerate() {
        if segment.kind != SegmentKind::Sentence {
            continue;
        }
        let fact = &evidence.facts[index];
        if fact.substantive {
            restating.substantive.push(segment.sentence);
        }
        let echoes = evidence.to_question[index]
            .is_some_and(|similarity| similarity >= thresholds.restate_similarity)
            && fact
                .novelty
                .is_some_and(|novelty| novelty < thresholds.restate_novelty);
        if echoes {
            restating.sentences.push(segment.sentence);
        }
    }
    restating
}

fn answer_flags(
    evidence: &Evidence,
    scorer: &Scorer,
    points: &[PointResult],
    restating: &Restating,
    coverage: f32,
) -> Vec<Flag> {
    let mut flags = Vec::new();
    let sentence_count = evidence
        .segments
        .iter()
        .filter(|segment| segment.kind == SegmentKind::Sentence)
        .count();
    let keyword_sentence_count = keyword_sentences(&evidence.segments)
        .into_iter()
        .filter(|&keyword| keyword)
        .count();
    if keyword_sentence_count * 2 >= sentence_count.max(1) {
        flags.push(Flag::KeywordList);
    }
    if points
        .iter()
        .any(|point| point.status == Status::Contradicted)
    {
        flags.push(Flag::Negation);
    }
    if coverage == 0.0 && restates_question(evidence, scorer, restating) {
        flags.push(Flag::RestatedQuestion);
    }
    if evidence.any_truncated {
        flags.push(Flag::Truncated);
    }
    flags
}

/// Whether an answer reads as the question in other words: as a whole close to it and with
/// few words of its own, or with most of its sentences so. Only an answer that earned nothing
/// is told so: a sentence that frames a good answer is not worth a warning.
fn restates_question(evidence: &Evidence, scorer: &Scorer, restating: &Restating) -> bool {
    let thresholds = &scorer.thresholds;
    let as_a_whole = evidence
        .answer_to_question
        .is_some_and(|similarity| similarity >= thresholds.restate_similarity)
        && evidence
            .answer_novelty
            .is_some_and(|novelty| novelty < thresholds.restate_novelty);
    let mostly = !restating.sentences.is_empty()
        && restating.sentences.len() * 2 >= restating.substantive.len().max(1);
    as_a_whole || mostly
}

/// Share of the substantive sentences that hold the match of some point with credit.
fn precision(evidence: &Evidence, points: &[PointResult], substantive: &[usize]) -> f32 {
    if substantive.is_empty() {
        return 0.0;
    }
    let matched: Vec<usize> = points
        .iter()
        .filter(|point| point.credit > 0.0)
        .filter_map(|point| point.matched_span)
        .filter_map(|span| {
            evidence
                .segments
                .iter()
                .find(|segment| segment.span == span)
                .map(|segment| segment.sentence)
        })
        .collect();
    substantive
        .iter()
        .filter(|sentence| matched.contains(sentence))
        .count() as f32
        / substantive.len() as f32
}

#[cfg(test)]
mod tests {
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
        let answer = "I retrain weekly and watch drift.";
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
}
