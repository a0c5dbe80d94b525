//! The EXAMPLES and EXIT CODES sections of `--help`, kept beside each other so they stay
//! in step with README.

/// The main examples, once, for both the short and the long help.
macro_rules! main_examples {
    () => {
        "\
Examples:
  mockgrade                                   practise on a terminal
  mockgrade grade -q 2 my-answer.txt          grade one answer to question 2
  mockgrade batch answers.jsonl --out results grade a file of answers
  mockgrade eval data/dev/answers.jsonl       measure the grade against labelled answers
  mockgrade bank list                         the questions"
    };
}

/// Examples shown under `mockgrade -h`.
pub const MAIN: &str = main_examples!();

/// The examples and the exit codes, shown under `mockgrade --help` (the long help).
pub const MAIN_LONG: &str = concat!(
    main_examples!(),
    "

Exit codes:
  0   success (batch: every record graded)
  1   unexpected failure
  2   usage error: a bad flag value or a missing argument
  3   input error: a file missing, unreadable, not UTF-8, binary or too large; a scorer
      file missing or invalid (or fitted on another model, with --strict); output that
      cannot be written (standard output too) or would be replaced, a symbolic link at an
      output file, or a folder another run is writing; --resume or merge over results
      graded with other settings (run.json), or merge of an id with two different results
  4   unknown question id or number
  5   model or device problem: model missing or corrupt, --device cuda without CUDA
  6   question bank missing, unreadable or invalid
  10  batch done, but results.jsonl holds error lines, earlier runs' included (merge:
      some lines left out, or the merged results hold error lines)"
);

pub const GRADE: &str = "\
Examples:
  mockgrade grade -q 2 my-answer.txt
  mockgrade grade -q concept-drift-deployed-model --answer \"I retrain weekly...\" --format json
  echo \"I retrain weekly...\" | mockgrade grade -q 2
  mockgrade grade --reference-file model-answer.txt --question-text \"Why cache?\" mine.txt";

pub const BATCH: &str = "\
Examples:
  mockgrade batch answers.jsonl --out results
  mockgrade batch submissions/ grades.csv --out results --resume
  mockgrade batch answers.jsonl --out part-0 --shard 0/2 && mockgrade merge part-0 part-1 --out all";

pub const EVAL: &str = "\
Examples:
  mockgrade eval data/dev/answers.jsonl
  mockgrade eval data/dev/answers.jsonl --fit-split train --test-split test
  mockgrade --scorer mine.toml eval labelled.jsonl --folds 0";

pub const CALIBRATE: &str = "\
Examples:
  mockgrade calibrate labelled.jsonl --out mine.toml
  mockgrade calibrate beetle.jsonl --split train --out beetle.toml
  mockgrade --scorer mine.toml grade -q 2 my-answer.txt";

pub const BANK: &str = "\
Examples:
  mockgrade bank list --topic monitoring-drift
  mockgrade bank show 2
  mockgrade bank check my-bank.toml
  mockgrade bank import notes.md --out my-bank.toml";

pub const COMPLETIONS: &str = "\
Examples:
  mockgrade completions bash > ~/.local/share/bash-completion/completions/mockgrade
  mockgrade completions zsh > ~/.zfunc/_mockgrade      (with fpath+=(~/.zfunc) in .zshrc)
  mockgrade completions fish > ~/.config/fish/completions/mockgrade.fish";

pub const MAN: &str = "\
Examples:
  mockgrade man | man -l -
  mockgrade man batch | man -l -
  mockgrade man --out ~/.local/share/man/man1      (then: man mockgrade, man mockgrade-batch)";
