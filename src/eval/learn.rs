//! Fitting a scorer from labelled answers (the decision layer, then its cut-offs), and the
//! plain max-cosine baseline every result is compared with.

use ndarray::Array2;

use super::Dataset;
use crate::grader::{Grader, PreparedAnswer};
use crate::report::Report;
use crate::score::{
    DecisionLayer, Evidence, FitError, Flag, PointResult, Scored, Scorer, Status, FEATURES,
};

/// One graded-by-people answer with its gathered evidence.
pub struct LabelledAnswer {
    /// Index of the record in the dataset.
    pub index: usize,
    pub evidence: Evidence,
    /// Whether people judged each point covered, in rubric order.
    pub truth: Vec<bool>,
}

/// Gathers evidence for every prepared record that carries labels: per point (`covers`),
/// or per answer (`label`, `score`), which then holds for each of its points.
pub fn labelled_answers(
    dataset: &Dataset,
    prepared: &[(usize, PreparedAnswer)],
    scorer: &Scorer,
) -> Vec<LabelledAnswer> {
    prepared
        .iter()
        .filter_map(|(index, answer)| {
            let truth = point_truth(dataset, *index)?;
            Some(LabelledAnswer {
                index: *index,
                evidence: answer.evidence(scorer.thresholds.match_mode),
                truth,
            })
        })
        .collect()
}

impl LabelledAnswer {
    /// Sets the features at `ablated` to 0 in every candidate, so that a layer fitted on the
    /// answer learns nothing from them: `eval --without`'s ablation.
    pub fn ablate(&mut self, ablated: &[usize]) {
        let candidates = self.evidence.points.iter_mut().flat_map(|point| {
            [point.affirming.as_mut(), point.denying.as_mut()]
                .into_iter()
                .flatten()
                .chain(point.alternatives.iter_mut())
        });
        for candidate in candidates {
            for &feature in ablated {
                candidate.features[feature] = 0.0;
            }
        }
    }
}

fn point_truth(dataset: &Dataset, index: usize) -> Option<Vec<bool>> {
    let record = &dataset.records[index];
    let rubric = &dataset.rubrics[index];
    if let Some(covers) = &record.labels.covers {
        return Some(
            rubric
                .points
                .iter()
                .map(|point| covers.contains(&point.id))
                .collect(),
        );
    }
    Dataset::is_positive(record).map(|positive| vec![positive; rubric.points.len()])
}

/// Fits the decision layer and its cut-offs on `answers`, keeping `base`'s other settings.
pub fn fit_scorer(
    dataset: &Dataset,
    answers: &[&LabelledAnswer],
    base: &Scorer,
) -> Result<Scorer, FitError> {
    let mut rows: Vec<f32> = Vec::new();
    let mut labels = Vec::new();
    for answer in answers {
        for (point, truth) in answer.evidence.points.iter().zip(&answer.truth) {
            if let Some(candidate) = point.strongest() {
                rows.extend(&candidate.features);
                labels.push(*truth);
            }
        }
    }
    let rows = Array2::from_shape_vec((labels.len(), FEATURES.len()), rows)
        .expect("every candidate has one value per feature");
    let layer = DecisionLayer::fit(&rows, &labels)?;
    let mut scorer = Scorer {
        layer,
        ..base.clone()
    };
    choose_cut_offs(dataset, answers, &mut scorer);
    choose_restatement_rule(dataset, answers, &mut scorer);
    Ok(scorer)
}

/// The covered cut-off that makes statuses agree best with people point by point, then the
/// partial band and credit that make coverage agree best answer by answer.
fn choose_cut_offs(dataset: &Dataset, answers: &[&LabelledAnswer], scorer: &mut Scorer) {
    let grid = |from: f32, to: f32| {
        let steps = ((to - from) / 0.01).round() as usize;
        (0..=steps).map(move |step| from + step as f32 * 0.01)
    };
    let mut best = (f64::MIN, scorer.thresholds.covered);
    for covered in grid(0.2, 0.9) {
        scorer.thresholds.covered = covered;
        scorer.thresholds.partial = covered;
        let accuracy = point_accuracy(dataset, answers, scorer);
        if accuracy > best.0 + 1e-9 {
            best = (accuracy, covered);
        }
    }
    scorer.thresholds.covered = best.1;
    let mut best = (f64::MAX, best.1, 0.5);
    for partial_credit in [0.25, 0.5] {
        for partial in grid(0.1, scorer.thresholds.covered) {
            scorer.thresholds.partial = partial;
            scorer.thresholds.partial_credit = partial_credit;
            let error = coverage_error(dataset, answers, scorer);
            if error < best.0 - 1e-9 {
                best = (error, partial, partial_credit);
            }
        }
    }
    scorer.thresholds.partial = best.1;
    scorer.thresholds.partial_credit = best.2;
}

/// The restated-question rule that flags best (F1) the answers people marked `restated`,
/// when the answers carry a `kind`; otherwise the base scorer's rule stays.
fn choose_restatement_rule(dataset: &Dataset, answers: &[&LabelledAnswer], scorer: &mut Scorer) {
    let kinds: Vec<(&LabelledAnswer, bool)> = answers
        .iter()
        .filter_map(|answer| {
            let kind = dataset.records[answer.index].labels.kind.as_deref()?;
            Some((*answer, kind == "restated"))
        })
        .collect();
    if !kinds.iter().any(|(_, restated)| *restated) {
        return;
    }
    let mut best = (
        -1.0,
        scorer.thresholds.restate_similarity,
        scorer.thresholds.restate_novelty,
    );
    // Capped so that an answer with half its words of its own is never zeroed as a
    // restatement, whatever the fit finds.
    for similarity_step in 0..=20 {
        for novelty_step in 0..=8 {
            scorer.thresholds.restate_similarity = 0.5 + similarity_step as f32 * 0.02;
            scorer.thresholds.restate_novelty = 0.1 + novelty_step as f32 * 0.05;
            let (truth, flagged): (Vec<bool>, Vec<bool>) = kinds
                .iter()
                .map(|(answer, restated)| {
                    let scored = crate::score::decide(
                        &dataset.rubrics[answer.index],
                        &answer.evidence,
                        scorer,
                    );
                    (*restated, scored.flags.contains(&Flag::RestatedQuestion))
                })
                .unzip();
            let f1 = super::metrics::f1_of_positive(&truth, &flagged);
            if f1 > best.0 + 1e-9 {
                best = (
                    f1,
                    scorer.thresholds.restate_similarity,
                    scorer.thresholds.restate_novelty,
                );
            }
        }
    }
    scorer.thresholds.restate_similarity = best.1;
    scorer.thresholds.restate_novelty = best.2;
}

fn point_accuracy(dataset: &Dataset, answers: &[&LabelledAnswer], scorer: &Scorer) -> f64 {
    let (mut agree, mut total) = (0usize, 0usize);
    for answer in answers {
        let scored = crate::score::decide(&dataset.rubrics[answer.index], &answer.evidence, scorer);
        for (point, truth) in scored.points.iter().zip(&answer.truth) {
            agree += usize::from((point.status == Status::Covered) == *truth);
            total += 1;
        }
    }
    agree as f64 / total.max(1) as f64
}

fn coverage_error(dataset: &Dataset, answers: &[&LabelledAnswer], scorer: &Scorer) -> f64 {
    let mut error = 0.0;
    for answer in answers {
        let rubric = &dataset.rubrics[answer.index];
        let scored = crate::score::decide(rubric, &answer.evidence, scorer);
        error += (f64::from(scored.coverage) - labelled_coverage(rubric, &answer.truth)).abs();
    }
    error / answers.len().max(1) as f64
}

/// The weighted share of points people judged covered.
pub fn labelled_coverage(rubric: &crate::score::Rubric, truth: &[bool]) -> f64 {
    let total: f32 = rubric.points.iter().map(|point| point.weight).sum();
    let covered: f32 = rubric
        .points
        .iter()
        .zip(truth)
        .filter(|(_, &truth)| truth)
        .map(|(point, _)| point.weight)
        .sum();
    f64::from(covered / total.max(f32::EPSILON))
}

/// The plain max-cosine baseline: a point is covered when any segment's cosine to its text
/// or an alias reaches one threshold, fitted for point accuracy on the same training answers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Baseline {
    pub threshold: f32,
}

impl Baseline {
    pub fn fit(answers: &[&LabelledAnswer]) -> Baseline {
        let pairs: Vec<(f32, bool)> = answers
            .iter()
            .flat_map(|answer| {
                answer
                    .evidence
                    .points
                    .iter()
                    .map(|point| point.max_similarity)
                    .zip(answer.truth.iter().copied())
            })
            .collect();
        let mut best = (0usize, 0.5f32);
        for step in 0..=100 {
            let threshold = 0.2 + step as f32 * 0.007;
            let agree = pairs
                .iter()
                .filter(|(value, truth)| (*value >= threshold) == *truth)
                .count();
            if agree > best.0 {
                best = (agree, threshold);
            }
        }
        Baseline { threshold: best.1 }
    }

    /// A report as the baseline grades the answer: covered or missed, nothing else.
    pub fn report(&self, grader: &Grader, dataset: &Dataset, answer: &LabelledAnswer) -> Report {
        let rubric = &dataset.rubrics[answer.index];
        let points: Vec<PointResult> = rubric
            .points
            .iter()
            .zip(&answer.evidence.points)
            .map(|(point, evidence)| {
                let similarity = evidence.max_similarity;
                let covered = similarity >= self.threshold;
                PointResult {
                    id: point.id.clone(),
                    concept: point.concept.clone(),
                    text: point.text.clone(),
                    status: if covered {
                        Status::Covered
                    } else {
                        Status::Missed
                    },
                    similarity,
                    probability: similarity,
                    matched: None,
                    matched_span: None,
                    credit: if covered { 1.0 } else { 0.0 },
                    weight: point.weight,
                }
            })
            .collect();
        let total: f32 = points
            .iter()
            .map(|point| point.weight)
            .sum::<f32>()
            .max(f32::EPSILON);
        let coverage = points.iter().map(|p| p.weight * p.credit).sum::<f32>() / total;
        let mean = points
            .iter()
            .map(|p| p.weight * p.similarity.max(0.0))
            .sum::<f32>()
            / total;
        let scored = Scored {
            coverage,
            precision: 0.0,
            f1: 0.0,
            mean_similarity: mean,
            mean_probability: mean,
            points,
            flags: Vec::<Flag>::new(),
        };
        crate::report::Report::new(
            rubric,
            scored,
            grader.scorer(),
            grader.model(),
            String::new(),
            0,
        )
    }
}
