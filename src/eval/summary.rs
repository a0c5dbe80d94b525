//! What an evaluation reports: agreement of graded answers with people's judgements, per
//! point, per answer, per kind of answer, and the checks a fair grade must pass.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::{labelled_coverage, metrics, Dataset};
use crate::report::Report;
use crate::score::Status;
use crate::util::decimals::round4;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ScoreMetrics {
    pub n: usize,
    pub pearson: Option<f64>,
    pub spearman: Option<f64>,
    pub rmse_linear_fit: Option<f64>,
}

/// Answer-level labels (`label`, or `score` ≥ half) against the grade.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct LabelMetrics {
    pub n: usize,
    /// Of `mean_probability` against the label.
    pub roc_auc: Option<f64>,
    /// The decision compared with the label: `coverage >= 0.5`.
    pub decision: String,
    pub weighted_f1: f64,
    pub accuracy: f64,
}

/// Point-level labels (`covers`) against the statuses.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CoverMetrics {
    pub answers: usize,
    pub points: usize,
    pub point_accuracy: f64,
    /// Of each point's probability against whether people judged it covered.
    pub point_auc: Option<f64>,
    pub covered_precision: f64,
    pub covered_recall: f64,
    pub coverage_mae: f64,
    /// Spearman of coverage against the labelled coverage, answer by answer.
    pub coverage_spearman: Option<f64>,
}

/// Mean coverage of one kind of answer (`kind` field), labelled and graded.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct KindCoverage {
    pub kind: String,
    pub n: usize,
    pub labelled: f64,
    pub graded: f64,
    /// Of the points people judged covered, the share graded covered (None when there are
    /// none).
    pub recall: Option<f64>,
    /// Of the points people judged not covered, the share graded covered.
    pub false_covered: Option<f64>,
}

/// Per question: mean coverage strong > partial > weak ≥ off-topic.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct OrderCheck {
    pub questions: usize,
    pub held: usize,
    pub failures: Vec<String>,
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
    /// What graded: "learned layer" or "max-cosine baseline", and how it was fitted.
    pub method: String,
    /// Records graded and measured.
    pub n: usize,
    /// Records that could not be used: unreadable, invalid labels, or failed to grade.
    pub errors: usize,
    /// Records with no label, skipped.
    pub unlabelled: usize,
    /// Every record counted above: `n + errors + unlabelled`.
    pub records: usize,
    pub scores: Option<ScoreMetrics>,
    pub labels: Option<LabelMetrics>,
    pub covers: Option<CoverMetrics>,
    pub kinds: Vec<KindCoverage>,
    pub order: Option<OrderCheck>,
    pub adversarial: Option<AdversarialCheck>,
}

/// Kinds of dev-set answers that must score below half the strong answer.
const ADVERSARIAL_KINDS: [&str; 3] = ["keyword-list", "negated", "restated"];

/// Metrics of graded records (`(record index, report)`) against their labels.
pub fn summarise(
    dataset: &Dataset,
    reports: &[(usize, Report)],
    method: String,
    errors: usize,
) -> EvalSummary {
    let records = |index: usize| &dataset.records[index];

    let scored: Vec<(f64, f64)> = reports
        .iter()
        .filter_map(|(index, report)| {
            let labels = &records(*index).labels;
            match (labels.score, labels.max_score) {
                (Some(score), Some(max)) if max > 0.0 => {
                    Some((report.mean_probability, score / max))
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
        .filter(|(index, _)| records(*index).labels.covers.is_none())
        .filter_map(|(index, report)| {
            Dataset::is_positive(records(*index)).map(|truth| (report, truth))
        })
        .collect();
    let labels = (!labelled.is_empty()).then(|| {
        let probability: Vec<f64> = labelled
            .iter()
            .map(|(report, _)| report.mean_probability)
            .collect();
        let truth: Vec<bool> = labelled.iter().map(|(_, truth)| *truth).collect();
        let predicted: Vec<bool> = labelled
            .iter()
            .map(|(report, _)| report.coverage >= 0.5)
            .collect();
        LabelMetrics {
            n: truth.len(),
            roc_auc: metrics::roc_auc(&probability, &truth),
            decision: "coverage >= 0.5".into(),
            weighted_f1: metrics::weighted_f1(&truth, &predicted),
            accuracy: metrics::accuracy(&truth, &predicted),
        }
    });

    EvalSummary {
        dataset: String::new(),
        split: None,
        method,
        n: reports.len(),
        errors: errors + dataset.errors.len(),
        unlabelled: 0,
        records: reports.len() + errors + dataset.errors.len(),
        scores,
        labels,
        covers: cover_metrics(dataset, reports),
        kinds: kind_coverage(dataset, reports),
        order: order_check(dataset, reports),
        adversarial: adversarial_check(dataset, reports),
    }
}

/// People's judgement of each point of a report, when the record has `covers`.
fn point_truth(dataset: &Dataset, index: usize, report: &Report) -> Option<Vec<bool>> {
    let covers = dataset.records[index].labels.covers.as_ref()?;
    Some(
        report
            .points
            .iter()
            .map(|point| covers.contains(&point.id))
            .collect(),
    )
}

fn cover_metrics(dataset: &Dataset, reports: &[(usize, Report)]) -> Option<CoverMetrics> {
    let (mut answers, mut agree) = (0usize, 0usize);
    let (mut true_positive, mut predicted_positive, mut actual_positive) = (0usize, 0usize, 0usize);
    let mut absolute_error = 0.0;
    let (mut probabilities, mut truths) = (Vec::new(), Vec::new());
    let (mut graded, mut labelled) = (Vec::new(), Vec::new());
    for (index, report) in reports {
        let Some(truth) = point_truth(dataset, *index, report) else {
            continue;
        };
        answers += 1;
        for (point, &truth) in report.points.iter().zip(&truth) {
            let predicted = point.status == Status::Covered;
            agree += usize::from(truth == predicted);
            true_positive += usize::from(truth && predicted);
            predicted_positive += usize::from(predicted);
            actual_positive += usize::from(truth);
            // As the report states it, so the AUC is that of the published probabilities.
            probabilities.push(round4(point.probability));
            truths.push(truth);
        }
        let human = labelled_coverage(&dataset.rubrics[*index], &truth);
        absolute_error += (human - report.coverage).abs();
        graded.push(report.coverage);
        labelled.push(human);
    }
    (answers > 0).then(|| CoverMetrics {
        answers,
        points: truths.len(),
        point_accuracy: agree as f64 / truths.len().max(1) as f64,
        point_auc: metrics::roc_auc(&probabilities, &truths),
        covered_precision: true_positive as f64 / predicted_positive.max(1) as f64,
        covered_recall: true_positive as f64 / actual_positive.max(1) as f64,
        coverage_mae: absolute_error / answers as f64,
        coverage_spearman: metrics::spearman(&graded, &labelled),
    })
}

fn kind_coverage(dataset: &Dataset, reports: &[(usize, Report)]) -> Vec<KindCoverage> {
    #[derive(Default)]
    struct Tally {
        answers: usize,
        labelled: f64,
        graded: f64,
        positives: usize,
        found: usize,
        negatives: usize,
        false_covered: usize,
    }
    let mut by_kind: BTreeMap<&str, Tally> = BTreeMap::new();
    for (index, report) in reports {
        let Some(kind) = dataset.records[*index].labels.kind.as_deref() else {
            continue;
        };
        let Some(truth) = point_truth(dataset, *index, report) else {
            continue;
        };
        let tally = by_kind.entry(kind).or_default();
        tally.answers += 1;
        tally.labelled += labelled_coverage(&dataset.rubrics[*index], &truth);
        tally.graded += report.coverage;
        for (point, &truth) in report.points.iter().zip(&truth) {
            let covered = point.status == Status::Covered;
            if truth {
                tally.positives += 1;
                tally.found += usize::from(covered);
            } else {
                tally.negatives += 1;
                tally.false_covered += usize::from(covered);
            }
        }
    }
    let share = |part: usize, whole: usize| (whole > 0).then(|| part as f64 / whole as f64);
    by_kind
        .into_iter()
        .map(|(kind, tally)| KindCoverage {
            kind: kind.to_string(),
            n: tally.answers,
            labelled: tally.labelled / tally.answers as f64,
            graded: tally.graded / tally.answers as f64,
            recall: share(tally.found, tally.positives),
            false_covered: share(tally.false_covered, tally.negatives),
        })
        .collect()
}

/// Mean coverage per (question, kind).
fn kind_means<'a>(
    dataset: &'a Dataset,
    reports: &'a [(usize, Report)],
) -> HashMap<&'a str, HashMap<&'a str, f64>> {
    let mut sums: HashMap<&str, HashMap<&str, (f64, usize)>> = HashMap::new();
    for (index, report) in reports {
        if let Some(kind) = dataset.records[*index].labels.kind.as_deref() {
            let entry = sums
                .entry(report.question_id.as_str())
                .or_default()
                .entry(kind)
                .or_default();
            entry.0 += report.coverage;
            entry.1 += 1;
        }
    }
    sums.into_iter()
        .map(|(question, kinds)| {
            let means = kinds
                .into_iter()
                .map(|(kind, (sum, n))| (kind, sum / n as f64))
                .collect();
            (question, means)
        })
        .collect()
}

fn order_check(dataset: &Dataset, reports: &[(usize, Report)]) -> Option<OrderCheck> {
    let means = kind_means(dataset, reports);
    let mut questions: Vec<&&str> = means.keys().collect();
    questions.sort();
    let mut check = OrderCheck {
        questions: 0,
        held: 0,
        failures: Vec::new(),
    };
    for question in questions {
        let kinds = &means[*question];
        let get = |kind: &str| kinds.get(kind).copied();
        let (Some(strong), Some(partial), Some(weak), Some(off_topic)) =
            (get("strong"), get("partial"), get("weak"), get("off-topic"))
        else {
            continue;
        };
        check.questions += 1;
        if strong > partial && partial > weak && weak >= off_topic {
            check.held += 1;
        } else {
            check.failures.push(format!(
                "{question}: strong {strong:.2}, partial {partial:.2}, weak {weak:.2}, off-topic {off_topic:.2}"
            ));
        }
    }
    (check.questions > 0).then_some(check)
}

fn adversarial_check(dataset: &Dataset, reports: &[(usize, Report)]) -> Option<AdversarialCheck> {
    let mut strong: HashMap<&str, f64> = HashMap::new();
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
