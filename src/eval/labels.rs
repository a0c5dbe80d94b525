//! The human labels of a dataset record checked against its question before anything is
//! measured: a `covers` id the question lacks (a typo would silently count as "not
//! covered"), a score outside `[0, max_score]`, or no label at all.

use crate::records::record::Labels;
use crate::score::Rubric;

/// Why a record's labels cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LabelProblem {
    /// No `label`, `label_2way`, `score` or `covers`: nothing to compare with; skipped.
    Unlabelled,
    /// Labels that contradict the question or themselves: an error naming the record.
    Invalid(String),
}

/// Checks `labels` against `rubric`.
pub fn check_labels(labels: &Labels, rubric: &Rubric) -> Result<(), LabelProblem> {
    let has_label = labels.label.is_some()
        || labels.label_2way.is_some()
        || labels.score.is_some()
        || labels.covers.is_some();
    if !has_label {
        return Err(LabelProblem::Unlabelled);
    }
    if let Some(covers) = &labels.covers {
        let ids: Vec<&str> = rubric
            .points
            .iter()
            .map(|point| point.id.as_str())
            .collect();
        if let Some(unknown) = covers.iter().find(|id| !ids.contains(&id.as_str())) {
            let hint = match nearest(unknown, &ids) {
                Some(near) => format!("did you mean {near:?}?"),
                None => format!("its points are: {}", ids.join(", ")),
            };
            return Err(LabelProblem::Invalid(format!(
                "`covers` names {unknown:?}, which question {} has no point of; {hint}",
                rubric.id
            )));
        }
    }
    match (labels.score, labels.max_score) {
        (None, None) => {}
        (Some(_), None) | (None, Some(_)) => {
            return Err(LabelProblem::Invalid(
                "`score` and `max_score` go together: give both, or neither".into(),
            ))
        }
        (Some(score), Some(max)) => {
            if !(max.is_finite() && max > 0.0) {
                return Err(LabelProblem::Invalid(format!(
                    "`max_score` must be a number above 0, got {max}"
                )));
            }
            if !(0.0..=max).contains(&score) {
                return Err(LabelProblem::Invalid(format!(
                    "`score` {score} is outside [0, max_score] = [0, {max}]"
                )));
            }
        }
    }
    Ok(())
}

/// The id closest to `typed` when it is near enough to be a typo of it: at most a third of
/// its characters (and at least one) differ.
fn nearest<'a>(typed: &str, ids: &[&'a str]) -> Option<&'a str> {
    let allowed = (typed.chars().count() / 3).max(1);
    ids.iter()
        .map(|id| (edit_distance(typed, id), *id))
        .filter(|(distance, _)| *distance <= allowed)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, id)| id)
}

/// Levenshtein distance in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank::Bank;

    fn rubric() -> Rubric {
        Rubric::from(Bank::built_in().unwrap().find("2").unwrap())
    }

    fn labels(covers: Option<Vec<&str>>, score: Option<f64>, max: Option<f64>) -> Labels {
        Labels {
            covers: covers.map(|ids| ids.into_iter().map(str::to_string).collect()),
            score,
            max_score: max,
            ..Labels::default()
        }
    }

    #[test]
    fn a_typo_in_covers_names_the_real_id() {
        let rubric = rubric();
        let real = rubric.points[0].id.clone();
        let mut typo = real.clone();
        typo.pop();
        let problem = check_labels(&labels(Some(vec![&typo]), None, None), &rubric).unwrap_err();
        assert_eq!(
            problem,
            LabelProblem::Invalid(format!(
                "`covers` names {typo:?}, which question {} has no point of; did you mean {real:?}?",
                rubric.id
            ))
        );
        let far = check_labels(&labels(Some(vec!["zzzzzzzzzzzz"]), None, None), &rubric);
        let Err(LabelProblem::Invalid(message)) = far else {
            panic!("{far:?}")
        };
        assert!(
            message.ends_with(&format!(
                "its points are: {}",
                rubric
                    .points
                    .iter()
                    .map(|p| p.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            "{message}"
        );
        assert_eq!(
            check_labels(&labels(Some(vec![&real]), None, None), &rubric),
            Ok(())
        );
    }

    #[test]
    fn scores_must_lie_within_their_maximum() {
        let rubric = rubric();
        for (score, max) in [(-1.0, 4.0), (5.0, 4.0), (1.0, 0.0), (f64::NAN, 4.0)] {
            assert!(
                matches!(
                    check_labels(&labels(None, Some(score), Some(max)), &rubric),
                    Err(LabelProblem::Invalid(_))
                ),
                "{score} of {max}"
            );
        }
        assert_eq!(
            check_labels(&labels(None, Some(4.0), Some(4.0)), &rubric),
            Ok(())
        );
        assert_eq!(
            check_labels(&labels(None, Some(0.0), Some(4.0)), &rubric),
            Ok(())
        );
    }

    #[test]
    fn a_record_without_labels_is_unlabelled() {
        assert_eq!(
            check_labels(&Labels::default(), &rubric()),
            Err(LabelProblem::Unlabelled)
        );
    }

    #[test]
    fn edit_distance_counts_single_character_edits() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("drift", "drift"), 0);
    }
}
