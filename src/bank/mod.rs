//! The question bank: questions with their expected points, loaded from TOML files and
//! validated, with the shipped bank compiled into the binary.

mod check;
mod ids;
mod import;
mod parse;
pub mod topic;

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;
use thiserror::Error;

pub use import::{import_notes, ImportSummary};
pub use parse::{parse_bank_text, BankIssue};

use crate::bank::topic::Topic;
use crate::util::limited_read::{human_bytes, read_at_most, LimitedReadError};
use crate::util::text::strip_bom;
use crate::util::visible::is_hidden_control;

/// One expected key point of a question.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Point {
    pub id: String,
    /// Two to five words; what the report lists when the point is missed.
    pub concept: String,
    /// One sentence stating the point.
    pub text: String,
    /// Other ways a candidate might say it.
    pub aliases: Vec<String>,
    pub weight: f32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Question {
    pub id: String,
    pub number: Option<u32>,
    pub topic: Topic,
    pub question: String,
    pub points: Vec<Point>,
    /// The file the question came from, for error messages.
    #[serde(skip)]
    pub source: String,
}

/// The built-in bank, compiled in so mockgrade works from any folder.
pub const BUILT_IN: [(&str, &str); 2] = [
    (
        "data/bank/part1.toml",
        include_str!("../../data/bank/part1.toml"),
    ),
    (
        "data/bank/part2.toml",
        include_str!("../../data/bank/part2.toml"),
    ),
];

/// Every question of every loaded bank file.
#[derive(Debug, Clone, Default)]
pub struct Bank {
    questions: Vec<Question>,
    /// Position of each question by id and by number: batches look one up per answer.
    by_id: HashMap<String, usize>,
    by_number: HashMap<u32, usize>,
}

#[derive(Debug, Error)]
pub enum BankError {
    #[error("cannot read bank {} (check the path and its permissions)", .path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("bank {} is not valid UTF-8 (byte {offset}); save it as UTF-8", .path.display())]
    NotUtf8 { path: PathBuf, offset: usize },
    #[error("bank {} is larger than {}; a bank file holds questions as TOML text, split it into several files", .0.display(), human_bytes(MAX_BANK_FILE_BYTES))]
    TooLarge(PathBuf),
    #[error("bank directory {} has no .toml files", .0.display())]
    EmptyDir(PathBuf),
    #[error("{}", IssueList(.0))]
    Invalid(Vec<BankIssue>),
    #[error("no questions loaded: --no-default-bank needs at least one --bank PATH")]
    NoQuestions,
    #[error("{0} has no questions: add at least one [[questions]] table")]
    EmptyBank(String),
}

struct IssueList<'a>(&'a [BankIssue]);

impl fmt::Display for IssueList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.0.len();
        write!(
            f,
            "invalid bank: {count} error{}",
            if count == 1 { "" } else { "s" }
        )?;
        for issue in self.0 {
            write!(f, "\n  {issue}")?;
        }
        Ok(())
    }
}

#[derive(Debug, Error, PartialEq, Eq)]
#[error(
    "unknown question '{0}': not an id or number in the loaded banks (see `mockgrade bank list`)"
)]
pub struct UnknownQuestion(pub String);

impl Bank {
    /// The shipped bank alone.
    pub fn built_in() -> Result<Bank, BankError> {
        Bank::from_sources(built_in_sources())
    }

    /// Loads the built-in bank (unless `include_built_in` is false) plus every file or
    /// directory in `paths`, reporting every problem of every file at once.
    pub fn load(paths: &[PathBuf], include_built_in: bool) -> Result<Bank, BankError> {
        let mut sources = if include_built_in {
            built_in_sources().collect()
        } else {
            Vec::new()
        };
        let unreadable = read_sources(paths, &mut sources);
        let bank = Bank::parse_all(sources, unreadable)?;
        if bank.questions.is_empty() {
            return Err(match paths {
                [] => BankError::NoQuestions,
                paths => no_questions_in(paths),
            });
        }
        Ok(bank)
    }

    /// Parses `sources` as one bank; the files that could not be read are problems beside
    /// the ones parsing finds, all reported at once.
    fn parse_all(
        sources: Vec<(String, String)>,
        mut unreadable: Vec<BankError>,
    ) -> Result<Bank, BankError> {
        let parsed = Bank::from_sources(sources);
        if unreadable.len() == 1 && parsed.is_ok() {
            return Err(unreadable.remove(0));
        }
        if !unreadable.is_empty() {
            let mut issues: Vec<BankIssue> = unreadable.iter().map(BankIssue::whole_file).collect();
            if let Err(BankError::Invalid(found)) = parsed {
                issues.extend(found);
            }
            return Err(BankError::Invalid(issues));
        }
        parsed
    }

    /// Parses and validates named TOML texts as one bank.
    pub fn from_sources(
        sources: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Bank, BankError> {
        let mut issues = Vec::new();
        let mut parsed = Vec::new();
        for (name, text) in sources {
            let (questions, mut found) = parse::read_bank_text(&name, &text);
            parsed.push(questions);
            issues.append(&mut found);
        }
        issues.extend(parse::cross_file_issues(&parsed));
        if !issues.is_empty() {
            return Err(BankError::Invalid(issues));
        }
        let questions = parsed
            .into_iter()
            .flatten()
            .map(|(question, _)| question)
            .collect();
        Ok(Bank::indexed(questions))
    }

    fn indexed(questions: Vec<Question>) -> Bank {
        let by_id = questions
            .iter()
            .enumerate()
            .map(|(at, question)| (question.id.clone(), at))
            .collect();
        let by_number = questions
            .iter()
            .enumerate()
            .filter_map(|(at, question)| question.number.map(|number| (number, at)))
            .collect();
        Bank {
            questions,
            by_id,
            by_number,
        }
    }

    pub fn questions(&self) -> &[Question] {
        &self.questions
    }

    /// Finds a question by id or by number.
    pub fn find(&self, key: &str) -> Result<&Question, UnknownQuestion> {
        let key = key.trim();
        self.by_id
            .get(key)
            .or_else(|| {
                key.parse::<u32>()
                    .ok()
                    .and_then(|number| self.by_number.get(&number))
            })
            .map(|&at| &self.questions[at])
            .ok_or_else(|| UnknownQuestion(key.to_string()))
    }

    pub fn by_topic(&self, topic: Option<Topic>) -> impl Iterator<Item = &Question> {
        self.questions
            .iter()
            .filter(move |question| topic.is_none_or(|wanted| question.topic == wanted))
    }
}

impl Question {
    /// "Question N · topic", or "id · topic" for a question without a number: how practice
    /// introduces a question.
    pub fn heading(&self) -> String {
        match self.number {
            Some(number) => format!("Question {number} · {}", self.topic),
            None => format!("{} · {}", self.id, self.topic),
        }
    }

    /// The fields whose text holds characters that would act on a terminal (an escape
    /// sequence, a bidirectional override): `bank check` warns about them.
    pub fn fields_with_controls(&self) -> Vec<String> {
        let has_controls = |text: &str| text.chars().any(is_hidden_control);
        let mut fields = Vec::new();
        if has_controls(&self.question) {
            fields.push("question".to_string());
        }
        for point in &self.points {
            if has_controls(&point.concept) {
                fields.push(format!("{}.concept", point.id));
            }
            if has_controls(&point.text) {
                fields.push(format!("{}.text", point.id));
            }
            if point.aliases.iter().any(|alias| has_controls(alias)) {
                fields.push(format!("{}.aliases", point.id));
            }
        }
        fields
    }

    pub fn total_weight(&self) -> f32 {
        self.points.iter().map(|point| point.weight).sum()
    }

    /// "12" or the id when the question has no number.
    pub fn label(&self) -> String {
        match self.number {
            Some(number) => format!("#{number} {}", self.id),
            None => self.id.clone(),
        }
    }
}

/// The built-in bank's files, named as in the source tree.
fn built_in_sources() -> impl Iterator<Item = (String, String)> {
    BUILT_IN
        .iter()
        .map(|(name, text)| (name.to_string(), text.to_string()))
}

/// Reads every bank file of `paths` into `sources`; a file that cannot be read is one
/// problem among others, returned, so the rest are still checked.
fn read_sources(paths: &[PathBuf], sources: &mut Vec<(String, String)>) -> Vec<BankError> {
    let mut unreadable = Vec::new();
    for path in paths {
        match bank_files(path) {
            Ok(files) => {
                for file in files {
                    match read_utf8(&file) {
                        Ok(text) => sources.push((file.display().to_string(), text)),
                        Err(err) => unreadable.push(err),
                    }
                }
            }
            Err(err) => unreadable.push(err),
        }
    }
    unreadable
}

fn no_questions_in(paths: &[PathBuf]) -> BankError {
    BankError::EmptyBank(
        paths
            .iter()
            .map(|path| path.display().to_string())
            .collect::<Vec<_>>()
            .join(", "),
    )
}

fn bank_files(path: &Path) -> Result<Vec<PathBuf>, BankError> {
    let io = |source| BankError::Io {
        path: path.to_path_buf(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(path)
        .map_err(io)?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|file| file.extension().is_some_and(|ext| ext == "toml") && file.is_file())
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(BankError::EmptyDir(path.to_path_buf()));
    }
    Ok(files)
}

/// Ten thousand questions take about 10 MiB of TOML; a larger file is not a bank.
pub const MAX_BANK_FILE_BYTES: u64 = 64 << 20;

fn read_utf8(path: &Path) -> Result<String, BankError> {
    let bytes = read_at_most(path, MAX_BANK_FILE_BYTES).map_err(|error| match error {
        LimitedReadError::Io(source) => BankError::Io {
            path: path.to_path_buf(),
            source,
        },
        LimitedReadError::TooLarge { .. } => BankError::TooLarge(path.to_path_buf()),
    })?;
    let text = String::from_utf8(bytes).map_err(|err| BankError::NotUtf8 {
        path: path.to_path_buf(),
        offset: err.utf8_error().valid_up_to(),
    })?;
    Ok(strip_bom(&text).to_string())
}
