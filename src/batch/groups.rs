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

/// Every way the reports slice one results file.
pub struct Grouped<'a> {
    pub overall: Group,
    pub by_question: BTreeMap<String, Group>,
    pub by_candidate: BTreeMap<String, Group>,
    pub graded: Vec<&'a ResultRow>,
    pub errors: Vec<&'a ResultRow>,
}

impl<'a> Grouped<'a> {
    /// Every record: graded or not.
    pub fn records(&self) -> usize {
        self.graded.len() + self.errors.len()
    }

    pub fn of(rows: &'a [ResultRow]) -> Grouped<'a> {
        let graded: Vec<&ResultRow> = rows.iter().filter(|row| row.error.is_none()).collect();
        let errors: Vec<&ResultRow> = rows.iter().filter(|row| row.error.is_some()).collect();
        let mut by_question: BTreeMap<String, Group> = BTreeMap::new();
        let mut by_candidate: BTreeMap<String, Group> = BTreeMap::new();
        let mut overall = Group::default();
        for row in &graded {
            overall.add(row);
            by_question
                .entry(row.question_id.clone().unwrap_or_default())
                .or_default()
                .add(row);
            by_candidate
                .entry(row.candidate.clone().unwrap_or_else(|| "(none)".into()))
                .or_default()
                .add(row);
        }
        Grouped {
            overall,
            by_question,
            by_candidate,
            graded,
            errors,
        }
    }
}
