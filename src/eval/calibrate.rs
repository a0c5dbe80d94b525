//! Fitting the scorer's thresholds on a training split: coordinate search over each
//! parameter in turn, re-scoring prepared answers without re-embedding them.

use super::{summarise, Dataset, EvalSummary};
use crate::grader::{GradeError, Grader, PreparedAnswer};
use crate::thresholds::{MatchMode, Thresholds};

/// What calibration maximises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Objective {
    /// Point-level accuracy minus coverage MAE, minus half the share of keyword-list,
    /// negated and restated answers not below half their question's strong answer
    /// (datasets with `covers`).
    PointAgreement,
    /// Weighted F1 of the scorer's own decision, coverage ≥ 0.5 (datasets with labels).
    LabelF1,
}

impl Objective {
    pub fn name(self) -> &'static str {
        match self {
            Objective::PointAgreement => {
                "point_accuracy - coverage_mae - 0.5 * adversarial_violation_rate"
            }
            Objective::LabelF1 => "weighted_f1 (coverage >= 0.5)",
        }
    }

    /// The objective for a dataset: point agreement when it has `covers`, else labels.
    pub fn for_dataset(dataset: &Dataset) -> Option<Objective> {
        if dataset
            .records
            .iter()
            .any(|record| record.labels.covers.is_some())
        {
            Some(Objective::PointAgreement)
        } else if dataset
            .records
            .iter()
            .any(|record| Dataset::is_positive(record).is_some())
        {
            Some(Objective::LabelF1)
        } else {
            None
        }
    }

    fn value(self, summary: &EvalSummary) -> f64 {
        match self {
            Objective::PointAgreement => {
                summary.covers.as_ref().map_or(f64::NEG_INFINITY, |covers| {
                    covers.point_accuracy - covers.coverage_mae
                })
            }
            Objective::LabelF1 => summary
                .labels
                .as_ref()
                .map_or(f64::NEG_INFINITY, |labels| labels.weighted_f1),
        }
    }
}

fn steps(from: f32, to: f32, step: f32) -> Vec<f32> {
    let count = ((to - from) / step).round() as usize;
    (0..=count)
        .map(|i| ((from + step * i as f32) * 1000.0).round() / 1000.0)
        .collect()
}

/// Fits thresholds on prepared answers, starting from `start`; returns the best thresholds
/// and the objective value they reach.
pub fn calibrate(
    dataset: &Dataset,
    grader: &Grader,
    prepared: &[(usize, Result<PreparedAnswer, GradeError>)],
    start: &Thresholds,
    objective: Objective,
) -> (Thresholds, f64) {
    let evaluate = |thresholds: &Thresholds| -> f64 {
        if thresholds.validate().is_err() {
            return f64::NEG_INFINITY;
        }
        let reports: Vec<_> = prepared
            .iter()
            .filter_map(|(index, answer)| {
                answer
                    .as_ref()
                    .ok()
                    .map(|answer| (*index, grader.score_prepared(answer, thresholds, 0)))
            })
            .collect();
        objective.value(&summarise(dataset, &reports, None, 0))
    };

    type Setter = fn(&mut Thresholds, f32);
    let mut margins = steps(0.0, 0.3, 0.02);
    margins.push(1.0);
    let mut question_margins = vec![-1.0];
    question_margins.extend(steps(-0.1, 0.2, 0.02));
    let parameters: [(Vec<f32>, Setter); 8] = [
        (steps(0.30, 0.85, 0.01), |t, v| t.covered = v),
        (steps(0.20, 0.80, 0.01), |t, v| t.partial = v),
        (steps(0.0, 0.5, 0.05), |t, v| t.lexical_weight = v),
        (steps(0.0, 1.0, 0.05), |t, v| t.keyword_penalty = v),
        (steps(0.6, 0.95, 0.05), |t, v| t.restate_similarity = v),
        (steps(0.1, 0.6, 0.05), |t, v| t.restate_novelty = v),
        (margins, |t, v| t.restate_margin = v),
        (question_margins, |t, v| t.question_margin = v),
    ];
    let mut best = start.clone();
    let mut best_value = evaluate(&best);
    for _round in 0..3 {
        let before = best_value;
        for (values, set) in &parameters {
            for &value in values {
                let mut candidate = best.clone();
                set(&mut candidate, value);
                let candidate_value = evaluate(&candidate);
                if candidate_value > best_value + 1e-9 {
                    best = candidate;
                    best_value = candidate_value;
                }
            }
        }
        for mode in [MatchMode::Best, MatchMode::OneToOne] {
            let mut candidate = best.clone();
            candidate.match_mode = mode;
            let candidate_value = evaluate(&candidate);
            if candidate_value > best_value + 1e-9 {
                best = candidate;
                best_value = candidate_value;
            }
        }
        if best_value <= before + 1e-9 {
            break;
        }
    }
    (best, best_value)
}
