//! What an answer is graded against: a bank question, or an ad-hoc reference.

use crate::bank::{Point, Question};
use crate::segment::{segment, SegmentKind};

/// The id of a rubric built from `grade --reference`: the report heads it "Graded against
/// your reference" rather than showing an id.
pub const REFERENCE_RUBRIC_ID: &str = "reference";

/// A question's id, text and expected points, however they were given.
#[derive(Debug, Clone, PartialEq)]
pub struct Rubric {
    pub id: String,
    pub number: Option<u32>,
    pub question: Option<String>,
    pub points: Vec<Point>,
}

impl From<&Question> for Rubric {
    fn from(question: &Question) -> Self {
        Rubric {
            id: question.id.clone(),
            number: question.number,
            question: Some(question.question.clone()),
            points: question.points.clone(),
        }
    }
}

/// An ad-hoc reference with no sentence in it: nothing to grade against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the reference is empty: give at least one sentence")]
pub struct EmptyReference;

impl Rubric {
    /// A rubric from a free-text reference: each sentence becomes a point.
    pub fn from_reference(
        id: &str,
        question: Option<String>,
        reference: &str,
    ) -> Result<Rubric, EmptyReference> {
        let texts: Vec<String> = segment(reference)
            .into_iter()
            .filter(|piece| piece.kind == SegmentKind::Sentence)
            .map(|piece| piece.text)
            .collect();
        Rubric::from_point_texts(id, question, &texts)
    }

    /// A rubric whose points are the given texts, one each; blank texts are left out.
    pub fn from_point_texts(
        id: &str,
        question: Option<String>,
        texts: &[String],
    ) -> Result<Rubric, EmptyReference> {
        let points = texts
            .iter()
            .filter(|text| !text.trim().is_empty())
            .enumerate()
            .map(|(index, text)| Point {
                id: format!("p{}", index + 1),
                concept: concept_from(text),
                text: text.trim().to_string(),
                aliases: Vec::new(),
                weight: 1.0,
            })
            .collect();
        let rubric = Rubric {
            id: id.to_string(),
            number: None,
            question: question.filter(|text| !text.trim().is_empty()),
            points,
        };
        if rubric.points.is_empty() {
            return Err(EmptyReference);
        }
        Ok(rubric)
    }

    /// Every text that stands for a point: its text, then its aliases, point by point.
    pub fn variant_texts(&self) -> Vec<String> {
        self.points
            .iter()
            .flat_map(|point| {
                std::iter::once(point.text.clone()).chain(point.aliases.iter().cloned())
            })
            .collect()
    }

    /// For each entry of `variant_texts`, the index of its point.
    pub fn variant_owners(&self) -> Vec<usize> {
        self.points
            .iter()
            .enumerate()
            .flat_map(|(index, point)| std::iter::repeat_n(index, 1 + point.aliases.len()))
            .collect()
    }
}

/// The first few words of a reference sentence, as the concept a report lists.
fn concept_from(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().take(5).collect();
    let concept = words.join(" ");
    let trimmed = concept.trim_end_matches(|c: char| !c.is_alphanumeric());
    if text.split_whitespace().count() > 5 {
        format!("{trimmed}…")
    } else {
        trimmed.to_string()
    }
}
