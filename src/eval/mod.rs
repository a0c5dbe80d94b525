//! Measuring agreement with human graders on a labelled dataset, and fitting the scorer's
//! thresholds on a training split (`mockgrade eval` and `mockgrade calibrate`).

mod calibrate;
mod fit;
pub mod metrics;

use serde::Serialize;

pub use calibrate::{calibrate, Objective};
pub use fit::{evaluate_split, fit_and_test, SplitError};

use crate::bank::Bank;
use crate::grader::{GradeError, Grader, PreparedAnswer, Submission};
use crate::jsonl::read_jsonl;
use crate::record::Record;
use crate::report::Report;
use crate::score::{Rubric, Status};
use crate::thresholds::Thresholds;

/// The label value that counts as positive in label datasets.
pub const POSITIVE_LABEL: &str = "correct";

/// A labelled dataset with each usable record's rubric.
pub struct Dataset {
    pub records: Vec<Record>,
    pub rubrics: Vec<Rubric>,
    /// `source: reason` of every record that could not be used.
    pub errors: Vec<String>,
}

impl Dataset {
    /// Reads a JSONL dataset; unusable lines are collected in `errors`, not fatal.
    pub fn read(path: &std::path::Path, bank: Option<&Bank>) -> std::io::Result<Dataset> {
        let mut dataset = Dataset {
            records: Vec::new(),
            rubrics: Vec::new(),
            errors: Vec::new(),
        };
        for entry in read_jsonl(path)? {
            match entry {
                Ok(record) => match record.target.rubric(bank) {
                    Ok(rubric) => {
                        dataset.records.push(record);
                        dataset.rubrics.push(rubric);
                    }
                    Err(err) => dataset.errors.push(format!("{}: {err}", record.source)),
                },
                Err(bad) => dataset
                    .errors
                    .push(format!("{}: {}", bad.source, bad.error)),
            }
        }
        Ok(dataset)
    }

    /// Indices of records in `split` (all records when `None`).
    pub fn split_indices(&self, split: Option<&str>) -> Vec<usize> {
        (0..self.records.len())
            .filter(|&index| {
                split.is_none_or(|wanted| {
                    self.records[index].labels.split.as_deref() == Some(wanted)
                })
            })
            .collect()
    }

    /// Embeds the records at `indices` once, for scoring under any thresholds.
    pub fn prepare<'a>(
        &'a self,
        grader: &Grader,
        indices: &[usize],
    ) -> Vec<(usize, Result<PreparedAnswer<'a>, GradeError>)> {
        let submissions: Vec<Submission> = indices
            .iter()
            .map(|&index| Submission {
                rubric: &self.rubrics[index],
                answer: &self.records[index].answer,
            })
            .collect();
        indices
            .iter()
            .copied()
            .zip(grader.prepare(&submissions))
            .collect()
    }

    /// Human truth of a record for label metrics: `label_2way`, else `label`, else score ≥ half.
    pub fn is_positive(record: &Record) -> Option<bool> {
        let labels = &record.labels;
        if let Some(label) = labels.label_2way.as_deref().or(labels.label.as_deref()) {
            return Some(label == POSITIVE_LABEL);
        }
        match (labels.score, labels.max_score) {
            (Some(score), Some(max)) if max > 0.0 => Some(score / max >= 0.5),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ScoreMetrics {
    pub n: usize,
    pub pearson: Option<f64>,
    pub spearman: Option<f64>,
    pub rmse_linear_fit: Option<f64>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct LabelMetrics {
    pub n: usize,
    pub roc_auc: Option<f64>,
    /// Decision rule: `mean_similarity >= threshold`, fitted on `fitted_on`; or, with no
    /// fit split, the scorer's own decision `coverage >= 0.5`.
    pub decision: String,
    pub threshold: Option<f64>,
    pub fitted_on: Option<String>,
    pub weighted_f1: f64,
    pub accuracy: f64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CoverMetrics {
    pub answers: usize,
    pub points: usize,
    pub point_accuracy: f64,
    pub covered_precision: f64,
    pub covered_recall: f64,
    pub coverage_mae: f64,
}

/// Keyword-list, negated and restated answers against the strong answer of their question.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AdversarialCheck {
    pub checked: usize,
    pub below_half_of_strong: usize,
    pub violations: Vec<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct EvalSummary {
    pub dataset: String,
    pub split: Option<String>,
    pub n: usize,
    pub errors: usize,
    pub scores: Option<ScoreMetrics>,
    pub labels: Option<LabelMetrics>,
    pub covers: Option<CoverMetrics>,
    pub adversarial: Option<AdversarialCheck>,
}

/// Kinds of dev-set answers that must score below half the strong answer.
const ADVERSARIAL_KINDS: [&str; 3] = ["keyword-list", "negated", "restated"];

/// Grades every prepared record and compares with the human judgements.
pub fn evaluate(
    dataset: &Dataset,
    grader: &Grader,
    prepared: &[(usize, Result<PreparedAnswer, GradeError>)],
    thresholds: &Thresholds,
    label_threshold: Option<(f64, String)>,
) -> (EvalSummary, Vec<(usize, Report)>) {
    let mut reports = Vec::new();
    let mut errors = 0;
    for (index, answer) in prepared {
        match answer {
            Ok(answer) => reports.push((*index, grader.score_prepared(answer, thresholds, 0))),
            Err(_) => errors += 1,
        }
    }
    let summary = summarise(dataset, &reports, label_threshold, errors);
    (summary, reports)
}

/// Metrics of graded records against their labels.
pub fn summarise(
    dataset: &Dataset,
    reports: &[(usize, Report)],
    label_threshold: Option<(f64, String)>,
    errors: usize,
) -> EvalSummary {
    let records = |index: usize| &dataset.records[index];

    let scored: Vec<(f64, f64)> = reports
        .iter()
        .filter_map(|(index, report)| {
            let labels = &records(*index).labels;
            match (labels.score, labels.max_score) {
                (Some(score), Some(max)) if max > 0.0 => {
                    Some((report.mean_similarity, score / max))
                }
                _ => None,
            }
        })
        .collect();
    let scores = (!scored.is_empty()).then(|| {
        let (x, y): (Vec<f64>, Vec<f64>) = scored.into_iter().unzip();
        ScoreMetrics {
            n: x.len(),
            pearson: metrics::pearson(&x, &y),
            spearman: metrics::spearman(&x, &y),
            rmse_linear_fit: metrics::rmse_after_linear_fit(&x, &y),
        }
    });

    let labelled: Vec<(&Report, bool)> = reports
        .iter()
        .filter_map(|(index, report)| {
            Dataset::is_positive(records(*index)).map(|truth| (report, truth))
        })
        .collect();
    let labels = (!labelled.is_empty()).then(|| {
        let similarity: Vec<f64> = labelled
            .iter()
            .map(|(report, _)| report.mean_similarity)
            .collect();
        let truth: Vec<bool> = labelled.iter().map(|(_, truth)| *truth).collect();
        let (predicted, decision, threshold, fitted_on): (
            Vec<bool>,
            String,
            Option<f64>,
            Option<String>,
        ) = match &label_threshold {
            Some((threshold, split)) => (
                similarity.iter().map(|&s| s >= *threshold).collect(),
                "mean_similarity >= threshold".into(),
                Some(*threshold),
                Some(split.clone()),
            ),
            None => (
                labelled
                    .iter()
                    .map(|(report, _)| report.coverage >= 0.5)
                    .collect(),
                "coverage >= 0.5".into(),
                None,
                None,
            ),
        };
        LabelMetrics {
            n: truth.len(),
            roc_auc: metrics::roc_auc(&similarity, &truth),
            decision,
            threshold,
            fitted_on,
            weighted_f1: metrics::weighted_f1(&truth, &predicted),
            accuracy: metrics::accuracy(&truth, &predicted),
        }
    });

    let covers = cover_metrics(dataset, reports);
    let adversarial = adversarial_check(dataset, reports);
    EvalSummary {
        dataset: String::new(),
        split: None,
        n: reports.len(),
        errors: errors + dataset.errors.len(),
        scores,
        labels,
        covers,
        adversarial,
    }
}

fn cover_metrics(dataset: &Dataset, reports: &[(usize, Report)]) -> Option<CoverMetrics> {
    let (mut answers, mut points, mut agree) = (0usize, 0usize, 0usize);
    let (mut true_positive, mut predicted_positive, mut actual_positive) = (0usize, 0usize, 0usize);
    let mut absolute_error = 0.0;
    for (index, report) in reports {
        let Some(covers) = &dataset.records[*index].labels.covers else {
            continue;
        };
        answers += 1;
        let mut human_credit = 0.0;
        let mut total_weight = 0.0;
        for point in &report.points {
            let truth = covers.contains(&point.id);
            let predicted = point.status == Status::Covered;
            points += 1;
            agree += usize::from(truth == predicted);
            true_positive += usize::from(truth && predicted);
            predicted_positive += usize::from(predicted);
            actual_positive += usize::from(truth);
            total_weight += point.weight;
            if truth {
                human_credit += point.weight;
            }
        }
        let human_coverage = if total_weight > 0.0 {
            human_credit / total_weight
        } else {
            0.0
        };
        absolute_error += (human_coverage - report.coverage).abs();
    }
    (answers > 0).then(|| CoverMetrics {
        answers,
        points,
        point_accuracy: agree as f64 / points.max(1) as f64,
        covered_precision: true_positive as f64 / predicted_positive.max(1) as f64,
        covered_recall: true_positive as f64 / actual_positive.max(1) as f64,
        coverage_mae: absolute_error / answers as f64,
    })
}

fn adversarial_check(dataset: &Dataset, reports: &[(usize, Report)]) -> Option<AdversarialCheck> {
    let mut strong: std::collections::HashMap<&str, f64> = std::collections::HashMap::new();
    for (index, report) in reports {
        if dataset.records[*index].labels.kind.as_deref() == Some("strong") {
            let best = strong.entry(report.question_id.as_str()).or_insert(0.0);
            *best = best.max(report.coverage);
        }
    }
    let mut check = AdversarialCheck {
        checked: 0,
        below_half_of_strong: 0,
        violations: Vec::new(),
    };
    for (index, report) in reports {
        let record = &dataset.records[*index];
        let Some(kind) = record
            .labels
            .kind
            .as_deref()
            .filter(|kind| ADVERSARIAL_KINDS.contains(kind))
        else {
            continue;
        };
        let Some(&strong_coverage) = strong.get(report.question_id.as_str()) else {
            continue;
        };
        check.checked += 1;
        if report.coverage < 0.5 * strong_coverage
            || (report.coverage == 0.0 && strong_coverage == 0.0)
        {
            check.below_half_of_strong += 1;
        } else {
            check.violations.push(format!(
                "{} ({kind}): coverage {:.2} vs strong {:.2}",
                record.id, report.coverage, strong_coverage
            ));
        }
    }
    (check.checked > 0).then_some(check)
}
