//! mockgrade: grades typed mock-interview answers by how many expected key points they cover.
//!
//! The pipeline, one module per stage:
//! 1. [`bank`]: the questions and their expected points ([`score::Rubric`] for each).
//! 2. [`segment`]: an answer split into sentences and clauses.
//! 3. [`embed`]: all-MiniLM-L6-v2 vectors for segments and points (reference texts cached).
//! 4. [`score`]: segments matched to points, and the learned layer's decision per point.
//! 5. [`report`]: the score, each point's status and evidence, the missed concepts.
//!
//! [`grader`] runs the pipeline for one answer or many. Around it: [`records`] reads answers
//! (JSONL, CSV, directories), [`batch`] grades files of them, [`practice`] holds the practice
//! session's logic and history, [`eval`] measures against labels and fits the scorer,
//! [`stats`] summarises history, and [`util`] holds the small shared pieces. Every library
//! error has a kind ([`error_kind`]) from which a front end chooses its exit code.

pub mod bank;
pub mod batch;
pub mod embed;
pub mod error_kind;
pub mod eval;
pub mod grader;
pub mod practice;
pub mod records;
pub mod report;
pub mod score;
pub mod segment;
pub mod serve;
pub mod stats;
pub mod util;
