//! Choosing the next practice question: a named one, a random one, the weakest one by
//! recent coverage, or one never attempted, optionally within one topic.

use std::collections::HashMap;

use thiserror::Error;

use super::random::Random;
use crate::bank::topic::Topic;
use crate::bank::{Bank, Question, UnknownQuestion};
use crate::practice::history::Attempt;

/// How to choose among the candidate questions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Strategy {
    #[default]
    Random,
    /// Lowest coverage on the latest attempt first; questions never attempted are not
    /// candidates, since "weakest" is about what the history shows.
    Weakest,
    /// Only questions with no attempt in the history.
    New,
}

/// What the user asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// A question id or number; overrides topic and strategy for the first pick only.
    pub question: Option<String>,
    pub topic: Option<Topic>,
    pub strategy: Strategy,
}

/// Why a question was picked, for the line shown above it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PickReason {
    Named,
    Random,
    Weakest {
        latest_coverage: f64,
    },
    /// `--weakest` with no attempt among the candidates yet: a random question instead.
    WeakestWithoutHistory,
    New,
}

#[derive(Debug, Clone, Copy)]
pub struct Pick<'bank> {
    pub question: &'bank Question,
    pub reason: PickReason,
}

#[derive(Debug, Error, PartialEq, Eq)]
pub enum PickError {
    #[error(transparent)]
    Unknown(#[from] UnknownQuestion),
    #[error("no question{} in the loaded banks; see `mockgrade bank list`", in_topic(*.0))]
    NoQuestions(Option<Topic>),
    #[error("every question{} has been attempted already; drop --new, or use --weakest to revisit the lowest scores", in_topic(*.0))]
    NothingNew(Option<Topic>),
}

fn in_topic(topic: Option<Topic>) -> String {
    topic
        .map(|topic| format!(" in topic {topic}"))
        .unwrap_or_default()
}

/// Picks a question from `bank`. `attempts` is the history, oldest first; `previous` is the
/// question just practised, skipped when any other candidate remains so "next" moves on.
pub fn pick<'bank>(
    bank: &'bank Bank,
    attempts: &[Attempt],
    selection: &Selection,
    previous: Option<&str>,
    random: &mut Random,
) -> Result<Pick<'bank>, PickError> {
    if let Some(key) = &selection.question {
        return Ok(Pick {
            question: bank.find(key)?,
            reason: PickReason::Named,
        });
    }
    let in_topic: Vec<&Question> = bank.by_topic(selection.topic).collect();
    if in_topic.is_empty() {
        return Err(PickError::NoQuestions(selection.topic));
    }
    let others: Vec<&Question> = in_topic
        .iter()
        .copied()
        .filter(|question| Some(question.id.as_str()) != previous)
        .collect();
    let candidates = if others.is_empty() { in_topic } else { others };
    let latest = latest_attempts(attempts);
    match selection.strategy {
        Strategy::Random => Ok(Pick {
            question: candidates[random.below(candidates.len())],
            reason: PickReason::Random,
        }),
        Strategy::New => {
            let fresh: Vec<&Question> = candidates
                .into_iter()
                .filter(|question| !latest.contains_key(question.id.as_str()))
                .collect();
            if fresh.is_empty() {
                return Err(PickError::NothingNew(selection.topic));
            }
            Ok(Pick {
                question: fresh[random.below(fresh.len())],
                reason: PickReason::New,
            })
        }
        Strategy::Weakest => {
            let weakest = candidates
                .iter()
                .filter_map(|question| {
                    latest
                        .get(question.id.as_str())
                        .map(|&(order, coverage)| (coverage, order, *question))
                })
                // Lowest coverage; among equals, the one practised longest ago.
                .min_by(|left, right| left.0.total_cmp(&right.0).then(left.1.cmp(&right.1)));
            Ok(match weakest {
                Some((latest_coverage, _, question)) => Pick {
                    question,
                    reason: PickReason::Weakest { latest_coverage },
                },
                None => Pick {
                    question: candidates[random.below(candidates.len())],
                    reason: PickReason::WeakestWithoutHistory,
                },
            })
        }
    }
}

/// For each attempted question id: the position of its latest attempt and that attempt's coverage.
fn latest_attempts(attempts: &[Attempt]) -> HashMap<&str, (usize, f64)> {
    attempts
        .iter()
        .enumerate()
        .map(|(order, attempt)| (attempt.question_id.as_str(), (order, attempt.coverage)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bank() -> Bank {
        Bank::built_in().unwrap()
    }

    fn attempt(bank: &Bank, number: &str, coverage: f64) -> Attempt {
        Attempt::sample(bank.find(number).unwrap(), coverage, &[])
    }

    fn strategy(strategy: Strategy) -> Selection {
        Selection {
            strategy,
            ..Selection::default()
        }
    }

    #[test]
    fn weakest_uses_the_latest_attempt_of_each_question() {
        let bank = bank();
        let attempts = [
            attempt(&bank, "3", 0.1),
            attempt(&bank, "5", 0.4),
            attempt(&bank, "3", 0.9),
            attempt(&bank, "8", 0.6),
        ];
        let pick = pick(
            &bank,
            &attempts,
            &strategy(Strategy::Weakest),
            None,
            &mut Random::seeded(1),
        )
        .unwrap();
        assert_eq!(pick.question.number, Some(5));
        assert_eq!(
            pick.reason,
            PickReason::Weakest {
                latest_coverage: 0.4
            }
        );
    }

    #[test]
    fn weakest_skips_the_previous_question_and_breaks_ties_by_age() {
        let bank = bank();
        let attempts = [
            attempt(&bank, "8", 0.2),
            attempt(&bank, "5", 0.2),
            attempt(&bank, "3", 0.0),
        ];
        let previous = bank.find("3").unwrap().id.clone();
        let pick = pick(
            &bank,
            &attempts,
            &strategy(Strategy::Weakest),
            Some(&previous),
            &mut Random::seeded(1),
        )
        .unwrap();
        assert_eq!(pick.question.number, Some(8));
    }

    #[test]
    fn weakest_without_history_falls_back_to_random() {
        let bank = bank();
        let pick = pick(
            &bank,
            &[],
            &strategy(Strategy::Weakest),
            None,
            &mut Random::seeded(1),
        )
        .unwrap();
        assert_eq!(pick.reason, PickReason::WeakestWithoutHistory);
    }

    #[test]
    fn new_only_offers_unattempted_questions_of_the_topic() {
        let bank = bank();
        let topic = Topic::PrivacySecurity;
        let in_topic: Vec<&Question> = bank.by_topic(Some(topic)).collect();
        assert!(in_topic.len() >= 2);
        let left_out = in_topic.last().unwrap();
        let attempts: Vec<Attempt> = in_topic[..in_topic.len() - 1]
            .iter()
            .map(|question| attempt(&bank, &question.id, 0.5))
            .collect();
        let selection = Selection {
            topic: Some(topic),
            strategy: Strategy::New,
            question: None,
        };
        for seed in 0..20 {
            let pick = pick(
                &bank,
                &attempts,
                &selection,
                None,
                &mut Random::seeded(seed),
            )
            .unwrap();
            assert_eq!(pick.question.id, left_out.id);
        }
        let all: Vec<Attempt> = in_topic
            .iter()
            .map(|question| attempt(&bank, &question.id, 0.5))
            .collect();
        assert_eq!(
            pick(&bank, &all, &selection, None, &mut Random::seeded(0)).unwrap_err(),
            PickError::NothingNew(Some(topic))
        );
    }

    #[test]
    fn random_stays_in_the_topic_and_moves_past_the_previous_question() {
        let bank = bank();
        let selection = Selection {
            topic: Some(Topic::Scaling),
            ..Selection::default()
        };
        let previous = bank
            .by_topic(Some(Topic::Scaling))
            .next()
            .unwrap()
            .id
            .clone();
        for seed in 0..50 {
            let pick = pick(
                &bank,
                &[],
                &selection,
                Some(&previous),
                &mut Random::seeded(seed),
            )
            .unwrap();
            assert_eq!(pick.question.topic, Topic::Scaling);
            assert_ne!(pick.question.id, previous);
        }
    }

    #[test]
    fn a_named_question_is_found_by_number_or_reported_unknown() {
        let bank = bank();
        let named = |key: &str| Selection {
            question: Some(key.into()),
            ..Selection::default()
        };
        let found = pick(&bank, &[], &named("2"), None, &mut Random::seeded(0)).unwrap();
        assert_eq!(found.question.id, "concept-drift-deployed-model");
        assert!(matches!(
            pick(&bank, &[], &named("999"), None, &mut Random::seeded(0)),
            Err(PickError::Unknown(_))
        ));
    }
}
