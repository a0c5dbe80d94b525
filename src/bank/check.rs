//! `bank check`: bank files validated as they will be used, beside the built-in bank and
//! any other banks they load with, so that a file that passes also loads.

use std::collections::HashSet;
use std::path::PathBuf;

use super::{built_in_sources, no_questions_in, read_sources, Bank, BankError};

impl Bank {
    /// Validates the bank files of `paths` beside the built-in bank (unless
    /// `include_built_in` is false) and the banks of `beside`: ids and numbers must be
    /// unique across all of them. Returns the checked files' questions alone.
    ///
    /// A checked file identical to a built-in one is that file (`bank check data/bank`),
    /// not a second copy that clashes with it.
    pub fn check(
        paths: &[PathBuf],
        beside: &[PathBuf],
        include_built_in: bool,
    ) -> Result<Bank, BankError> {
        let mut checked = Vec::new();
        let mut unreadable = read_sources(paths, &mut checked);
        let mut sources: Vec<(String, String)> = if include_built_in {
            built_in_sources()
                .filter(|(_, text)| !checked.iter().any(|(_, mine)| mine == text))
                .collect()
        } else {
            Vec::new()
        };
        unreadable.extend(read_sources(beside, &mut sources));
        let names: HashSet<String> = checked.iter().map(|(name, _)| name.clone()).collect();
        sources.extend(checked);
        let bank = Bank::parse_all(sources, unreadable)?;
        let questions: Vec<_> = bank
            .questions
            .into_iter()
            .filter(|question| names.contains(&question.source))
            .collect();
        if questions.is_empty() {
            return Err(no_questions_in(paths));
        }
        Ok(Bank::indexed(questions))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checked(text: &str, include_built_in: bool) -> Result<Bank, BankError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mine.toml");
        std::fs::write(&path, text).unwrap();
        Bank::check(&[path], &[], include_built_in)
    }

    const CLASH: &str = "[[questions]]\nid = \"concept-drift-deployed-model\"\nnumber = 2\ntopic = \"data\"\nquestion = \"Q?\"\n\n[[questions.points]]\nid = \"p\"\nconcept = \"c\"\ntext = \"t\"\n";

    #[test]
    fn a_clash_with_the_built_in_bank_fails_unless_it_is_left_out() {
        let error = checked(CLASH, true).unwrap_err().to_string();
        assert!(error.starts_with("invalid bank: 2 errors"), "{error}");
        assert!(error.contains("duplicate question id 'concept-drift-deployed-model' (first defined at data/bank/part1.toml:"), "{error}");
        assert!(
            error.contains(
                "duplicate question number 2 (also used by the question at data/bank/part1.toml:"
            ),
            "{error}"
        );
        let alone = checked(CLASH, false).unwrap();
        assert_eq!(alone.questions().len(), 1);
    }

    #[test]
    fn the_built_in_bank_checks_against_itself_as_one_copy() {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in crate::bank::BUILT_IN {
            let file = std::path::Path::new(name).file_name().unwrap();
            std::fs::write(dir.path().join(file), text).unwrap();
        }
        let bank = Bank::check(&[dir.path().to_path_buf()], &[], true).unwrap();
        assert_eq!(bank.questions().len(), 61);
    }
}
