//! From evidence to a grade: the decision layer's P(covered) per point, the cut-offs that
//! make it a status, the answer's totals, and the flags the report explains.

use super::evidence::{Candidate, Evidence};
use super::facts::keyword_sentences;
use super::outcome::{empty_answer, Flag, PointResult, Scored, Status};
use super::{assign_max, Rubric, Scorer};
use crate::segment::SegmentKind;

/// A denial contradicts a point when its words, affirmed, would have come at least this
/// share of the way to partial credit: the candidate said something about the point and
/// denied it. Below, the denial is about something else and the point is simply missed.
const CONTRADICTION_SHARE: f32 = 0.5;

/// How much less close to the point a later denial may be than the earlier affirmation and
/// still withdraw it: "We could add a feature store. Actually no, a feature store is
/// overkill here." speaks of the same thing twice, and the second word is the last.
const RETRACTION_GAP: f32 = 0.1;

/// With one-to-one matching, pairs points with segments so that the layer's total
/// P(covered) is highest, among the pairs the cosines allow: "Consider synthetic data
/// generation to create additional training samples" is nearer augmentation by cosine, but
/// the layer reads it as synthetic data. `None` under "best" matching, where each point
/// keeps its own best segment.
fn pair_by_probability<'a>(
    evidence: &'a Evidence,
    probability: &dyn Fn(&Candidate) -> f32,
) -> Option<Vec<Option<(&'a Candidate, f32)>>> {
    let points = &evidence.points;
    if points.iter().all(|point| point.alternatives.is_empty()) {
        return None;
    }
    let scored: Vec<Vec<(&Candidate, f32)>> = points
        .iter()
        .map(|point| {
            point
                .alternatives
                .iter()
                .map(|candidate| (candidate, probability(candidate)))
                .collect()
        })
        .collect();
    // A probability that is not a number would vanish in the assignment; paired by cosine,
    // it reaches the report, whose check names it as the bug it is.
    if scored.iter().flatten().any(|(_, p)| !p.is_finite()) {
        return None;
    }
    let matrix: Vec<Vec<f32>> = scored
        .iter()
        .map(|pairs| {
            let mut row = vec![0.0; evidence.segments.len()];
            for (candidate, p) in pairs {
                row[candidate.segment] = *p;
            }
            row
        })
        .collect();
    let assigned = assign_max(&matrix)
        .into_iter()
        .zip(&scored)
        .map(|(segment, pairs)| {
            let segment = segment?;
            pairs
                .iter()
                .find(|(candidate, _)| candidate.segment == segment)
                .copied()
        })
        .collect();
    Some(assigned)
}

/// Scores gathered evidence with a scorer.
pub fn decide(rubric: &Rubric, evidence: &Evidence, scorer: &Scorer) -> Scored {
    if evidence.segments.is_empty() {
        return empty_answer(rubric);
    }
    let thresholds = &scorer.thresholds;
    let probability = |candidate: &'_ Candidate| scorer.layer.probability(&candidate.features);
    let restating = restating_sentences(evidence, scorer);
    let only_restates = restating.is_everything();

    let paired = pair_by_probability(evidence, &probability);
    let mut points: Vec<PointResult> = Vec::with_capacity(rubric.points.len());
    for (index, (point, point_evidence)) in rubric.points.iter().zip(&evidence.points).enumerate() {
        let affirmed = match &paired {
            Some(paired) => paired[index],
            None => point_evidence
                .affirming
                .as_ref()
                .map(|candidate| (candidate, probability(candidate))),
        };
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
        // A denial contradicts the point when it withdraws an earlier affirmation of it, or
        // when it is the closest match, and it is close to the point or the same words,
        // affirmed, would have come near credit.
        let contradiction = denied.filter(|(denying, _)| {
            let as_affirmed = scorer.layer.probability(&denying.as_affirmed());
            let withdraws = affirmed.is_some_and(|(affirming, _)| {
                evidence.segments[denying.segment].sentence
                    > evidence.segments[affirming.segment].sentence
                    && denying.similarity >= affirming.similarity - RETRACTION_GAP
                    && as_affirmed >= thresholds.partial
            });
            let closest = best_probability < thresholds.covered
                && affirmed.is_none_or(|(affirming, _)| denying.similarity > affirming.similarity)
                && (denying.similarity >= thresholds.contradicted_similarity
                    || as_affirmed >= CONTRADICTION_SHARE * thresholds.partial);
            withdraws || closest
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
mod tests;
