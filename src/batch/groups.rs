//! A batch's graded results grouped overall, by question and by candidate: what the
//! Markdown and HTML reports both show.

use std::collections::BTreeMap;

use super::output::ResultRow;

/// The coverages and missed concepts of a set of graded answers.
#[derive(Debug, Default)]
pub struct Group {
    pub coverages: Vec<f64>,
    pub missed: BTreeMap<String, usize>,
}

impl Group {
    fn add(&mut self, row: &ResultRow) {
        if let Some(coverage) = row.coverage {
            self.coverages.push(coverage);
        }
        for concept in &row.missed {
            *self.missed.entry(concept.clone()).or_default() += 1;
        }
    }

    pub fn mean(&self) -> f64 {
        self.coverages.iter().sum::<f64>() / self.coverages.len().max(1) as f64
    }

    /// Counts in five bands: [0, .2), [.2, .4), [.4, .6), [.6, .8), [.8, 1].
    pub fn bands(&self) -> [usize; 5] {
        let mut bands = [0; 5];
        for coverage in &self.coverages {
            bands[((coverage * 5.0).floor() as usize).min(4)] += 1;
        }
        bands
    }

    /// The `count` concepts missed most, most first; ties in alphabetical order.
    pub fn most_missed(&self, count: usize) -> Vec<(&str, usize)> {
        let mut missed: Vec<(&str, usize)> = self
            .missed
            .iter()
            .map(|(concept, &times)| (concept.as_str(), times))
            .collect();
        missed.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        missed.truncate(count);
        missed
    }
}

/// Errors kept for the reports to list; the rest are counted (results.jsonl has them all).
pub const LISTED_ERRORS: usize = 200;

/// Every way the reports slice one results file, built one row at a time so that a file
/// of any length is summarised without holding its rows.
#[derive(Debug, Default)]
pub struct Grouped {
    pub overall: Group,
    pub by_question: BTreeMap<String, Group>,
    pub by_candidate: BTreeMap<String, Group>,
    pub graded: usize,
    /// The first [`LISTED_ERRORS`] error rows.
    pub errors: Vec<ResultRow>,
    pub error_count: usize,
}

impl Grouped {
    /// Every record: graded or not.
    pub fn records(&self) -> usize {
        self.graded + self.error_count
    }

    pub fn add(&mut self, row: ResultRow) {
        if row.error.is_some() {
            self.error_count += 1;
            if self.errors.len() < LISTED_ERRORS {
                self.errors.push(row);
            }
            return;
        }
        self.graded += 1;
        self.overall.add(&row);
        self.by_question
            .entry(row.question_id.clone().unwrap_or_default())
            .or_default()
            .add(&row);
        self.by_candidate
            .entry(row.candidate.clone().unwrap_or_else(|| "(none)".into()))
            .or_default()
            .add(&row);
    }

    #[cfg(test)]
    pub fn of(rows: &[ResultRow]) -> Grouped {
        let mut grouped = Grouped::default();
        for row in rows {
            grouped.add(row.clone());
        }
        grouped
    }
}
