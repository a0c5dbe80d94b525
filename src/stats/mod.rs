//! Progress statistics from the practice history: per-topic attempts, best and last
//! coverage and trend, the concepts missed most often, and the questions never attempted.

mod render;

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;

pub use render::render_text;

use crate::bank::topic::Topic;
use crate::bank::Bank;
use crate::practice::history::Attempt;

/// How many of a topic's most recent attempts the trend is fitted to.
pub const TREND_WINDOW: usize = 5;
/// How many concepts the "most often missed" list shows.
/// Attempts drawn in each topic's sparkline.
pub const SPARKLINE_ATTEMPTS: usize = 10;
pub const MOST_MISSED: usize = 10;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    pub total_attempts: usize,
    /// Topics with at least one attempt, in the fixed topic order.
    pub topics: Vec<TopicStats>,
    pub most_missed: Vec<MissedConcept>,
    pub never_attempted: NeverAttempted,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TopicStats {
    pub topic: Topic,
    pub attempts: usize,
    pub best_coverage: f64,
    pub last_coverage: f64,
    /// Least-squares slope of coverage over the topic's last 5 attempts, in coverage per
    /// attempt (0.05 = five points better each time); `None` with fewer than 2 attempts.
    /// A slope rather than last-minus-first, so one lucky or bad answer moves it less.
    pub trend: Option<f64>,
    /// Coverage of the topic's last attempts (up to 10), oldest first: the sparkline.
    pub recent: Vec<f64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MissedConcept {
    pub concept: String,
    pub times: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NeverAttempted {
    pub count: usize,
    /// Questions in the loaded banks.
    pub of: usize,
    pub questions: Vec<QuestionRef>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QuestionRef {
    pub id: String,
    pub number: Option<u32>,
    pub topic: Topic,
}

impl QuestionRef {
    /// The number when the question has one, else its id.
    pub fn label(&self) -> String {
        self.number
            .map(|number| number.to_string())
            .unwrap_or_else(|| self.id.clone())
    }
}

impl Stats {
    /// Statistics of `attempts` (oldest first) against the questions of `bank`.
    pub fn compute(attempts: &[Attempt], bank: &Bank) -> Stats {
        let mut by_topic: BTreeMap<Topic, Vec<f64>> = BTreeMap::new();
        for attempt in attempts {
            by_topic
                .entry(attempt.topic)
                .or_default()
                .push(attempt.coverage);
        }
        let topics = by_topic
            .into_iter()
            .map(|(topic, coverages)| TopicStats {
                topic,
                attempts: coverages.len(),
                best_coverage: coverages.iter().copied().fold(0.0, f64::max),
                last_coverage: *coverages.last().expect("a topic entry has an attempt"),
                trend: trend(&coverages[coverages.len().saturating_sub(TREND_WINDOW)..]),
                recent: coverages[coverages.len().saturating_sub(SPARKLINE_ATTEMPTS)..].to_vec(),
            })
            .collect();
        let attempted: HashSet<&str> = attempts
            .iter()
            .map(|attempt| attempt.question_id.as_str())
            .collect();
        let questions: Vec<QuestionRef> = bank
            .questions()
            .iter()
            .filter(|question| !attempted.contains(question.id.as_str()))
            .map(|question| QuestionRef {
                id: question.id.clone(),
                number: question.number,
                topic: question.topic,
            })
            .collect();
        Stats {
            total_attempts: attempts.len(),
            topics,
            most_missed: most_missed(attempts),
            never_attempted: NeverAttempted {
                count: questions.len(),
                of: bank.questions().len(),
                questions,
            },
        }
    }
}

/// The concepts missed most often, most first; ties in alphabetical order so the list is stable.
fn most_missed(attempts: &[Attempt]) -> Vec<MissedConcept> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for concept in attempts.iter().flat_map(|attempt| &attempt.missed) {
        *counts.entry(concept.as_str()).or_default() += 1;
    }
    let mut missed: Vec<MissedConcept> = counts
        .into_iter()
        .map(|(concept, times)| MissedConcept {
            concept: concept.to_string(),
            times,
        })
        .collect();
    missed.sort_by(|left, right| {
        right
            .times
            .cmp(&left.times)
            .then_with(|| left.concept.cmp(&right.concept))
    });
    missed.truncate(MOST_MISSED);
    missed
}

/// Least-squares slope of `coverages` against attempt order, rounded to four decimals.
fn trend(coverages: &[f64]) -> Option<f64> {
    if coverages.len() < 2 {
        return None;
    }
    let count = coverages.len() as f64;
    let mean_x = (count - 1.0) / 2.0;
    let mean_y = coverages.iter().sum::<f64>() / count;
    let (mut covariance, mut variance) = (0.0, 0.0);
    for (index, coverage) in coverages.iter().enumerate() {
        let dx = index as f64 - mean_x;
        covariance += dx * (coverage - mean_y);
        variance += dx * dx;
    }
    Some((covariance / variance * 10_000.0).round() / 10_000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attempt(bank: &Bank, number: &str, coverage: f64, missed: &[&str]) -> Attempt {
        Attempt::sample(bank.find(number).unwrap(), coverage, missed)
    }

    #[test]
    fn trend_is_the_slope_over_the_last_five_attempts() {
        assert_eq!(trend(&[0.5]), None);
        assert_eq!(trend(&[0.2, 0.4]), Some(0.2));
        assert_eq!(trend(&[0.1, 0.2, 0.3, 0.4, 0.5]), Some(0.1));
        assert_eq!(trend(&[0.6, 0.6, 0.6]), Some(0.0));
        let bank = Bank::built_in().unwrap();
        // Question 2 is monitoring-drift; the first two attempts fall outside the window.
        let attempts: Vec<Attempt> = [0.9, 0.9, 0.0, 0.1, 0.2, 0.3, 0.4]
            .iter()
            .map(|&coverage| attempt(&bank, "2", coverage, &[]))
            .collect();
        let stats = Stats::compute(&attempts, &bank);
        let topic = &stats.topics[0];
        assert_eq!(topic.topic, Topic::MonitoringDrift);
        assert_eq!(topic.attempts, 7);
        assert_eq!(topic.best_coverage, 0.9);
        assert_eq!(topic.last_coverage, 0.4);
        assert_eq!(topic.trend, Some(0.1));
    }

    #[test]
    fn counts_missed_concepts_and_unattempted_questions() {
        let bank = Bank::built_in().unwrap();
        let attempts = [
            attempt(&bank, "1", 0.2, &["B", "A"]),
            attempt(&bank, "2", 0.4, &["A", "C"]),
            attempt(&bank, "1", 0.6, &["C", "A"]),
        ];
        let stats = Stats::compute(&attempts, &bank);
        assert_eq!(stats.total_attempts, 3);
        let missed: Vec<(&str, usize)> = stats
            .most_missed
            .iter()
            .map(|missed| (missed.concept.as_str(), missed.times))
            .collect();
        assert_eq!(missed, [("A", 3), ("C", 2), ("B", 1)]);
        let total = bank.questions().len();
        assert_eq!(stats.never_attempted.of, total);
        assert_eq!(stats.never_attempted.count, total - 2);
        assert!(stats
            .never_attempted
            .questions
            .iter()
            .all(|question| !matches!(question.number, Some(1) | Some(2))));
    }

    #[test]
    fn the_missed_list_keeps_the_ten_most_frequent() {
        let bank = Bank::built_in().unwrap();
        let concepts: Vec<String> = (0..15).map(|index| format!("c{index:02}")).collect();
        let mut attempts = Vec::new();
        for (index, concept) in concepts.iter().enumerate() {
            for _ in 0..=index {
                attempts.push(attempt(&bank, "3", 0.0, &[concept.as_str()]));
            }
        }
        let stats = Stats::compute(&attempts, &bank);
        assert_eq!(stats.most_missed.len(), MOST_MISSED);
        assert_eq!(stats.most_missed[0].concept, "c14");
        assert_eq!(stats.most_missed[9].concept, "c05");
    }
}
