//! Reading one bank TOML file into questions, and the checks that span several files.

use std::collections::HashMap;
use std::fmt;

use serde::Deserialize;
use toml::Spanned;

use super::ids::{is_slug, question_id_problem};
use super::{Point, Question};
use crate::bank::topic::Topic;

/// The smallest weight an f32 can hold above 0.
const MIN_WEIGHT: f32 = f32::from_bits(1);

/// One problem found in a bank, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BankIssue {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl BankIssue {
    /// A problem with a whole file (it cannot be read), from its error and that error's
    /// causes; it has no line.
    pub fn whole_file(error: &super::BankError) -> BankIssue {
        let mut message = error.to_string();
        let mut source = std::error::Error::source(error);
        while let Some(cause) = source {
            message.push_str(&format!(": {cause}"));
            source = cause.source();
        }
        BankIssue {
            file: String::new(),
            line: 0,
            column: 0,
            message,
        }
    }
}

impl fmt::Display for BankIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            // The message of a whole-file problem names the file itself.
            return write!(f, "{}", self.message);
        }
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.message
        )
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBank {
    #[serde(default)]
    questions: Vec<RawQuestion>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    id: Spanned<String>,
    number: Option<Spanned<i64>>,
    topic: Spanned<String>,
    question: Spanned<String>,
    #[serde(default)]
    points: Vec<RawPoint>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPoint {
    id: Spanned<String>,
    concept: Spanned<String>,
    text: Spanned<String>,
    #[serde(default)]
    aliases: Vec<Spanned<String>>,
    weight: Option<Spanned<f64>>,
}

/// Where each question sits, kept for messages about clashes between files.
pub struct Located {
    id_at: (String, usize, usize),
    number_at: Option<(usize, usize)>,
}

/// Line starts of a text, found once, so that locating every question of a large bank
/// stays linear in its size.
struct LineIndex<'a> {
    text: &'a str,
    line_starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    fn new(text: &'a str) -> LineIndex<'a> {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(at, _)| at + 1))
            .collect();
        LineIndex { text, line_starts }
    }

    /// 1-based line and column (in characters) of a byte offset.
    fn locate(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&start| start <= offset);
        let line_start = self.line_starts[line - 1];
        let column = self
            .text
            .get(line_start..offset)
            .map_or(0, |before| before.chars().count());
        (line, column + 1)
    }
}

/// Parses and validates one bank file; returns every problem it has, not only the first.
pub fn parse_bank_text(file: &str, text: &str) -> Result<Vec<(Question, Located)>, Vec<BankIssue>> {
    let (questions, issues) = read_bank_text(file, text);
    if issues.is_empty() {
        Ok(questions)
    } else {
        Err(issues)
    }
}

/// The questions of a bank file that could be read, and every problem found: a file with
/// errors still gives its readable questions, so clashes with other files show too.
pub(super) fn read_bank_text(file: &str, text: &str) -> (Vec<(Question, Located)>, Vec<BankIssue>) {
    let lines = LineIndex::new(text);
    let issue = |offset: usize, message: String| {
        let (line, column) = lines.locate(offset);
        BankIssue {
            file: file.to_string(),
            line,
            column,
            message,
        }
    };
    let mut issues = Vec::new();
    let toml_issue = |base: usize, err: &toml::de::Error| {
        let message = err.message().trim().replace('\n', " ");
        // `number` is a bank's only integer: past i64, TOML refuses it before we see it.
        let limit = if message.contains("number too large") {
            format!("; a question number runs from 1 to {}", u32::MAX)
        } else {
            String::new()
        };
        issue(
            base + err.span().map_or(0, |span| span.start),
            format!("TOML error: {message}{limit}"),
        )
    };
    // Each question with the byte offset its spans count from.
    let raw_questions: Vec<(RawQuestion, usize)> = match toml::from_str::<RawBank>(text) {
        Ok(raw) => raw.questions.into_iter().map(|raw| (raw, 0)).collect(),
        Err(whole) => {
            // A syntax error in one question need not hide the problems of the others:
            // each question's table is read on its own, so every error shows at once.
            let mut found = Vec::new();
            for (base, block) in question_blocks(text) {
                match toml::from_str::<RawBank>(block) {
                    Ok(raw) => found.extend(raw.questions.into_iter().map(|raw| (raw, base))),
                    Err(err) => issues.push(toml_issue(base, &err)),
                }
            }
            if issues.is_empty() {
                issues.push(toml_issue(0, &whole));
            }
            found
        }
    };
    let mut questions = Vec::new();
    let mut seen_questions: HashMap<String, usize> = HashMap::new();
    for (raw_question, base) in raw_questions {
        let id = raw_question.id.get_ref().trim().to_string();
        let id_offset = base + raw_question.id.span().start;
        if let Some(problem) = question_id_problem(&id) {
            issues.push(issue(id_offset, format!("question id '{id}' {problem}")));
        }
        if let Some(&first) = seen_questions.get(&id) {
            let (line, column) = lines.locate(first);
            issues.push(issue(
                id_offset,
                format!("duplicate question id '{id}' (first defined at {file}:{line}:{column})"),
            ));
        } else {
            seen_questions.insert(id.clone(), id_offset);
        }
        let topic = match raw_question.topic.get_ref().parse::<Topic>() {
            Ok(topic) => Some(topic),
            Err(message) => {
                issues.push(issue(
                    base + raw_question.topic.span().start,
                    format!("question '{id}': {message}"),
                ));
                None
            }
        };
        let number = match &raw_question.number {
            Some(number) if *number.get_ref() < 1 || *number.get_ref() > i64::from(u32::MAX) => {
                issues.push(issue(
                    base + number.span().start,
                    format!(
                        "question '{id}': number must be a whole number from 1 to {}, got {}",
                        u32::MAX,
                        number.get_ref()
                    ),
                ));
                None
            }
            Some(number) => Some(*number.get_ref() as u32),
            None => None,
        };
        if raw_question.question.get_ref().trim().is_empty() {
            issues.push(issue(
                base + raw_question.question.span().start,
                format!("question '{id}' has empty question text"),
            ));
        }
        if raw_question.points.is_empty() {
            issues.push(issue(
                id_offset,
                format!("question '{id}' has no points; add at least one [[questions.points]]"),
            ));
        }
        let mut points = Vec::new();
        let mut seen_points: HashMap<String, usize> = HashMap::new();
        for raw_point in raw_question.points {
            let point_id = raw_point.id.get_ref().trim().to_string();
            let point_offset = base + raw_point.id.span().start;
            if !is_slug(&point_id) {
                issues.push(issue(
                    point_offset,
                    format!("point id '{point_id}' in question '{id}' must be a slug: lowercase letters, digits and '-'"),
                ));
            }
            if let Some(&first) = seen_points.get(&point_id) {
                let (line, column) = lines.locate(first);
                issues.push(issue(
                    point_offset,
                    format!("duplicate point id '{point_id}' in question '{id}' (first defined at {file}:{line}:{column})"),
                ));
            } else {
                seen_points.insert(point_id.clone(), point_offset);
            }
            for (field, value) in [("text", &raw_point.text), ("concept", &raw_point.concept)] {
                if value.get_ref().trim().is_empty() {
                    issues.push(issue(
                        base + value.span().start,
                        format!("point '{point_id}' of question '{id}' has empty {field}"),
                    ));
                }
            }
            for alias in &raw_point.aliases {
                if alias.get_ref().trim().is_empty() {
                    issues.push(issue(
                        base + alias.span().start,
                        format!("point '{point_id}' of question '{id}' has an empty alias"),
                    ));
                }
            }
            let weight = match &raw_point.weight {
                Some(weight) => {
                    let value = *weight.get_ref();
                    // Weights are stored as f32: one that rounds to 0 or infinity there
                    // would turn the question's coverage into 0/0 or inf/inf.
                    let stored = value as f32;
                    if !(value.is_finite() && value > 0.0) {
                        issues.push(issue(
                            base + weight.span().start,
                            format!("point '{point_id}' of question '{id}' has weight {value}; a weight must be greater than 0"),
                        ));
                        1.0
                    } else if !(stored.is_finite() && stored > 0.0) {
                        issues.push(issue(
                            base + weight.span().start,
                            format!("point '{point_id}' of question '{id}' has weight {value:e}, out of range; a weight must be between {MIN_WEIGHT:e} and {:e}", f32::MAX),
                        ));
                        1.0
                    } else {
                        stored
                    }
                }
                None => 1.0,
            };
            points.push(Point {
                id: point_id,
                concept: raw_point.concept.get_ref().trim().to_string(),
                text: raw_point.text.get_ref().trim().to_string(),
                aliases: raw_point
                    .aliases
                    .iter()
                    .map(|alias| alias.get_ref().trim().to_string())
                    .collect(),
                weight,
            });
        }
        if let Some(topic) = topic {
            let (line, column) = lines.locate(id_offset);
            questions.push((
                Question {
                    id,
                    number,
                    topic,
                    question: raw_question.question.get_ref().trim().to_string(),
                    points,
                    source: file.to_string(),
                },
                Located {
                    id_at: (file.to_string(), line, column),
                    number_at: raw_question
                        .number
                        .as_ref()
                        .map(|number| lines.locate(base + number.span().start)),
                },
            ));
        }
    }
    (questions, issues)
}

/// The text split where each `[[questions]]` table starts, with each part's byte offset;
/// what comes before the first table is a part too.
fn question_blocks(text: &str) -> Vec<(usize, &str)> {
    let mut starts = vec![0];
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if offset > 0 && line.trim_start().starts_with("[[questions]]") {
            starts.push(offset);
        }
        offset += line.len();
    }
    starts.push(text.len());
    starts
        .windows(2)
        .map(|pair| (pair[0], &text[pair[0]..pair[1]]))
        .filter(|(_, block)| !block.trim().is_empty())
        .collect()
}

/// Ids and numbers must be unique across every loaded file, not just within one.
pub(super) fn cross_file_issues(files: &[Vec<(Question, Located)>]) -> Vec<BankIssue> {
    let mut issues = Vec::new();
    let mut ids: HashMap<&str, &Located> = HashMap::new();
    let mut numbers: HashMap<u32, &Located> = HashMap::new();
    for (question, located) in files.iter().flatten() {
        let (file, line, column) = &located.id_at;
        match ids.get(question.id.as_str()) {
            Some(first) if first.id_at.0 != *file => {
                let (first_file, first_line, first_column) = &first.id_at;
                issues.push(BankIssue {
                    file: file.clone(),
                    line: *line,
                    column: *column,
                    message: format!(
                        "duplicate question id '{}' (first defined at {first_file}:{first_line}:{first_column})",
                        question.id
                    ),
                });
            }
            Some(_) => {}
            None => {
                ids.insert(&question.id, located);
            }
        }
        if let (Some(number), Some((line, column))) = (question.number, located.number_at) {
            if let Some(first) = numbers.get(&number) {
                let (first_file, first_line, _) = &first.id_at;
                issues.push(BankIssue {
                    file: file.clone(),
                    line,
                    column,
                    message: format!(
                        "duplicate question number {number} (also used by the question at {first_file}:{first_line}); number questions uniquely or drop `number`"
                    ),
                });
            } else {
                numbers.insert(number, located);
            }
        }
    }
    issues
}

#[cfg(test)]
mod tests {
    use super::LineIndex;

    #[test]
    fn offsets_map_to_lines_and_character_columns() {
        let text = "ab\nçd\n\nxyz";
        let lines = LineIndex::new(text);
        assert_eq!(lines.locate(0), (1, 1));
        assert_eq!(lines.locate(2), (1, 3));
        assert_eq!(lines.locate(3), (2, 1));
        // "ç" is two bytes but one column.
        assert_eq!(lines.locate(5), (2, 2));
        assert_eq!(lines.locate(7), (3, 1));
        assert_eq!(lines.locate(8), (4, 1));
        assert_eq!(lines.locate(100), (4, 4));
    }
}
