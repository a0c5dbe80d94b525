//! One answer record of a batch or evaluation dataset (a JSONL line, a CSV row or a file),
//! and what it is graded against.

use serde::Deserialize;
use serde_json::Value;
use thiserror::Error;

use crate::bank::{Bank, UnknownQuestion};
use crate::score::Rubric;
use crate::util::hash::hex_digest;
use crate::util::text::strip_bom;

/// What an answer is graded against.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// A bank question, by id or number.
    Bank(String),
    /// An inline question: its reference is split into points.
    Inline {
        id: Option<String>,
        question_text: Option<String>,
        reference: Reference,
    },
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum Reference {
    /// Free text: each sentence becomes a point.
    Text(String),
    /// One point per entry.
    Points(Vec<String>),
}

/// Human judgements carried by evaluation datasets.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Labels {
    pub score: Option<f64>,
    pub max_score: Option<f64>,
    pub label: Option<String>,
    pub label_2way: Option<String>,
    pub split: Option<String>,
    pub covers: Option<Vec<String>>,
    pub kind: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub id: String,
    pub candidate: Option<String>,
    pub answer: String,
    pub target: Target,
    /// `file:line` the record came from.
    pub source: String,
    pub labels: Labels,
}

#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum RecordError {
    #[error("malformed JSON: {0}")]
    MalformedJson(String),
    #[error("the record has no `answer` field")]
    MissingAnswer,
    #[error("the record names no question: give `question` (a bank id or number) or `reference` (with optional `question_text`)")]
    MissingQuestion,
    #[error("`{field}` must be {expected}")]
    WrongType {
        field: &'static str,
        expected: &'static str,
    },
    #[error("the line is not valid UTF-8 (first bad byte at offset {0}); save the file as UTF-8")]
    NotUtf8(usize),
    #[error("the id {0:?} starts with '{DEFAULT_ID_MARK}', which mockgrade keeps for records without an id; drop the '{DEFAULT_ID_MARK}' or the id")]
    ReservedId(String),
}

/// Records without an id are named `#<line>` (`#<file>:<line>` when a run reads several
/// inputs). Ids a user gives may not start with this mark, so the two never collide: without
/// it, a record on line 3 named "3" would clash with a record on line 1 whose id is "3".
pub const DEFAULT_ID_MARK: char = '#';

/// The id of a record without one, found at `line` of `file`; `qualified` adds the file.
pub fn default_id(file: &str, line: usize, qualified: bool) -> String {
    if qualified {
        format!("{DEFAULT_ID_MARK}{file}:{line}")
    } else {
        format!("{DEFAULT_ID_MARK}{line}")
    }
}

#[derive(Deserialize)]
struct RawRecord {
    id: Option<Value>,
    aid: Option<Value>,
    qid: Option<Value>,
    candidate: Option<Value>,
    answer: Option<Value>,
    question: Option<Value>,
    question_text: Option<Value>,
    reference: Option<Value>,
    score: Option<f64>,
    max_score: Option<f64>,
    label: Option<Value>,
    label_2way: Option<Value>,
    split: Option<Value>,
    covers: Option<Vec<String>>,
    kind: Option<Value>,
}

/// A string or a number as text (ids and question numbers may be either).
fn scalar_text(value: Option<Value>, field: &'static str) -> Result<Option<String>, RecordError> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Ok(Some(text)),
        Some(Value::Number(number)) => Ok(Some(number.to_string())),
        Some(_) => Err(RecordError::WrongType {
            field,
            expected: "a string or a number",
        }),
    }
}

fn text(value: Option<Value>, field: &'static str) -> Result<Option<String>, RecordError> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Ok(Some(text)),
        Some(_) => Err(RecordError::WrongType {
            field,
            expected: "a string",
        }),
    }
}

/// Builds a record from named fields (a JSON object or a CSV row).
pub fn record_from_json(
    value: Value,
    default_id: &str,
    source: String,
) -> Result<Record, RecordError> {
    let raw: RawRecord =
        serde_json::from_value(value).map_err(|err| RecordError::MalformedJson(err.to_string()))?;
    let answer = text(raw.answer, "answer")?.ok_or(RecordError::MissingAnswer)?;
    let reference = match raw.reference {
        None | Some(Value::Null) => None,
        Some(value) => Some(serde_json::from_value::<Reference>(value).map_err(|_| {
            RecordError::WrongType {
                field: "reference",
                expected: "a string or an array of strings",
            }
        })?),
    };
    let question = scalar_text(raw.question, "question")?;
    let question_text = text(raw.question_text, "question_text")?;
    let qid = scalar_text(raw.qid, "qid")?;
    let target = match (reference, question) {
        // With a reference the question field, if any, is the question's text.
        (Some(reference), question) => Target::Inline {
            id: qid,
            question_text: question_text.or(question),
            reference,
        },
        (None, Some(question)) => Target::Bank(question),
        (None, None) => return Err(RecordError::MissingQuestion),
    };
    let given = match scalar_text(raw.id, "id")? {
        Some(id) => Some(id),
        None => scalar_text(raw.aid, "aid")?,
    };
    let id = match given {
        Some(id) if id.starts_with(DEFAULT_ID_MARK) => return Err(RecordError::ReservedId(id)),
        Some(id) => id,
        None => default_id.to_string(),
    };
    Ok(Record {
        id,
        candidate: scalar_text(raw.candidate, "candidate")?,
        answer,
        target,
        source,
        labels: Labels {
            score: raw.score,
            max_score: raw.max_score,
            label: scalar_text(raw.label, "label")?,
            label_2way: scalar_text(raw.label_2way, "label_2way")?,
            split: scalar_text(raw.split, "split")?,
            covers: raw.covers,
            kind: scalar_text(raw.kind, "kind")?,
        },
    })
}

/// Parses one JSONL line; `line_number` is 1-based and names the record when it has no id.
pub fn parse_jsonl_line(
    line: &[u8],
    file: &str,
    line_number: usize,
) -> Result<Record, RecordError> {
    parse_jsonl_line_or_name(
        line,
        file,
        line_number,
        &default_id(file, line_number, false),
    )
}

/// Parses one JSONL line; a record without an id is named `default_id`.
pub fn parse_jsonl_line_or_name(
    line: &[u8],
    file: &str,
    line_number: usize,
    default_id: &str,
) -> Result<Record, RecordError> {
    let text = std::str::from_utf8(line).map_err(|err| RecordError::NotUtf8(err.valid_up_to()))?;
    let text = if line_number == 1 {
        strip_bom(text)
    } else {
        text
    };
    let value: Value =
        serde_json::from_str(text).map_err(|err| RecordError::MalformedJson(err.to_string()))?;
    if !value.is_object() {
        return Err(RecordError::MalformedJson("expected a JSON object".into()));
    }
    record_from_json(value, default_id, format!("{file}:{line_number}"))
}

/// Why a record's rubric cannot be had.
#[derive(Debug, Error)]
pub enum RubricError {
    #[error(transparent)]
    Unknown(#[from] UnknownQuestion),
    #[error("the reference is empty: give at least one sentence in `reference`")]
    EmptyReference,
}

impl Target {
    /// The rubric this target names, from the bank or built inline.
    pub fn rubric(&self, bank: Option<&Bank>) -> Result<Rubric, RubricError> {
        match self {
            Target::Bank(key) => Ok(bank
                .ok_or_else(|| UnknownQuestion(key.clone()))?
                .find(key)
                .map(Rubric::from)?),
            Target::Inline {
                question_text,
                reference,
                ..
            } => {
                let id = self.id();
                let rubric = match reference {
                    Reference::Text(text) => {
                        Rubric::from_reference(&id, question_text.clone(), text)
                    }
                    Reference::Points(points) => {
                        Rubric::from_point_texts(&id, question_text.clone(), points)
                    }
                };
                rubric.map_err(|_| RubricError::EmptyReference)
            }
        }
    }

    /// Short label for summaries: the rubric's id, or the target's own without one.
    pub fn label(&self, rubric: Option<&Rubric>) -> String {
        rubric.map_or_else(|| self.id(), |rubric| rubric.id.clone())
    }

    /// The bank key, or the id an inline question goes by: the one given, or one made from
    /// its content, so that records with the same question and reference group together.
    fn id(&self) -> String {
        match self {
            Target::Bank(key) => key.clone(),
            Target::Inline { id: Some(id), .. } => id.clone(),
            Target::Inline {
                id: None,
                question_text,
                reference,
            } => {
                let key = format!("{question_text:?}\u{1}{reference:?}");
                format!("inline-{}", &hex_digest(key.as_bytes())[..12])
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bank_and_inline_records_parse() {
        let record = parse_jsonl_line(
            br#"{"id": 7, "question": 2, "answer": "retrain"}"#,
            "a.jsonl",
            3,
        )
        .unwrap();
        assert_eq!(record.id, "7");
        assert_eq!(record.target, Target::Bank("2".into()));
        assert_eq!(record.source, "a.jsonl:3");
        let inline = parse_jsonl_line(
            br#"{"question": "Why?", "reference": ["a", "b"], "answer": "x", "qid": "Q1"}"#,
            "b.jsonl",
            1,
        )
        .unwrap();
        assert_eq!(
            inline.id, "#1",
            "a record without an id is named by its line"
        );
        assert_eq!(
            inline.target,
            Target::Inline {
                id: Some("Q1".into()),
                question_text: Some("Why?".into()),
                reference: Reference::Points(vec!["a".into(), "b".into()])
            }
        );
    }

    #[test]
    fn an_inline_reference_without_a_sentence_is_refused_by_name() {
        for reference in [r#""   ""#, r#"["", "  "]"#] {
            let line = format!(r#"{{"reference": {reference}, "answer": "x"}}"#);
            let record = parse_jsonl_line(line.as_bytes(), "c.jsonl", 1).unwrap();
            let err = record.target.rubric(None).unwrap_err();
            assert!(matches!(err, RubricError::EmptyReference), "{reference}");
            assert_eq!(
                err.to_string(),
                "the reference is empty: give at least one sentence in `reference`"
            );
        }
        let unknown = Target::Bank("nope".into()).rubric(None).unwrap_err();
        assert!(matches!(unknown, RubricError::Unknown(_)));
    }

    #[test]
    fn bad_records_say_what_is_wrong() {
        assert_eq!(
            parse_jsonl_line(br#"{"question": 2}"#, "f", 1),
            Err(RecordError::MissingAnswer)
        );
        assert_eq!(
            parse_jsonl_line(br#"{"answer": "x"}"#, "f", 1),
            Err(RecordError::MissingQuestion)
        );
        assert!(matches!(
            parse_jsonl_line(b"{nope", "f", 1),
            Err(RecordError::MalformedJson(_))
        ));
        assert_eq!(
            parse_jsonl_line(b"{\"answer\": \"\xff\"}", "f", 1),
            Err(RecordError::NotUtf8(12))
        );
        assert_eq!(
            parse_jsonl_line(br#"{"answer": 5, "question": 1}"#, "f", 1),
            Err(RecordError::WrongType {
                field: "answer",
                expected: "a string"
            })
        );
    }

    #[test]
    fn ids_that_look_like_default_ids_are_refused() {
        let error = parse_jsonl_line(br##"{"id": "#3", "question": 2, "answer": "x"}"##, "a", 1)
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            "the id \"#3\" starts with '#', which mockgrade keeps for records without an id; drop the '#' or the id"
        );
    }
}
