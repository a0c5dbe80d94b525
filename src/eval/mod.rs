//! Measuring agreement with human graders on a labelled dataset, cross-validated by
//! question, and fitting a scorer on labelled answers (`mockgrade eval` and `calibrate`).

mod fit;
mod labels;
mod learn;
pub mod metrics;
pub mod style;
mod summary;

pub use fit::{calibrate, cross_validate, fit_and_test, score_as_is, Comparison, SplitError};
pub use labels::{check_labels, LabelProblem};
pub use learn::{fit_scorer, labelled_answers, labelled_coverage, Baseline, LabelledAnswer};
pub use summary::{
    summarise, AdversarialCheck, CoverMetrics, EvalSummary, KindCoverage, LabelMetrics, OrderCheck,
    ScoreMetrics,
};

use crate::bank::Bank;
use crate::grader::{GradeError, Grader, PreparedAnswer, Submission};
use crate::records::jsonl::read_jsonl;
use crate::records::record::Record;
use crate::score::Rubric;

/// The label value that counts as positive in label datasets.
pub const POSITIVE_LABEL: &str = "correct";

/// A labelled dataset with each usable record's rubric.
pub struct Dataset {
    pub records: Vec<Record>,
    pub rubrics: Vec<Rubric>,
    /// `source: reason` of every record that could not be used: unreadable, for an unknown
    /// question, or with labels that contradict it.
    pub errors: Vec<String>,
    /// The `source` and `split` of every record with no label: skipped and counted.
    pub unlabelled: Vec<(String, Option<String>)>,
}

impl Dataset {
    /// Reads a JSONL dataset; unusable lines are collected in `errors`, not fatal.
    pub fn read(path: &std::path::Path, bank: Option<&Bank>) -> std::io::Result<Dataset> {
        let mut dataset = Dataset {
            records: Vec::new(),
            rubrics: Vec::new(),
            errors: Vec::new(),
            unlabelled: Vec::new(),
        };
        for entry in read_jsonl(path)? {
            match entry {
                Ok(record) => match record.target.rubric(bank) {
                    Ok(rubric) => match check_labels(&record.labels, &rubric) {
                        Ok(()) => {
                            dataset.records.push(record);
                            dataset.rubrics.push(rubric);
                        }
                        Err(LabelProblem::Unlabelled) => dataset
                            .unlabelled
                            .push((record.source, record.labels.split)),
                        Err(LabelProblem::Invalid(reason)) => {
                            dataset.errors.push(format!("{}: {reason}", record.source))
                        }
                    },
                    Err(err) => dataset.errors.push(format!("{}: {err}", record.source)),
                },
                Err(bad) => dataset
                    .errors
                    .push(format!("{}: {}", bad.source, bad.error)),
            }
        }
        Ok(dataset)
    }

    /// Unlabelled records of `split` (all of them when `None`).
    pub fn unlabelled_in(&self, split: Option<&str>) -> usize {
        self.unlabelled
            .iter()
            .filter(|(_, of)| split.is_none_or(|wanted| of.as_deref() == Some(wanted)))
            .count()
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

    /// Embeds the records at `indices` once, for scoring under any scorer.
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
