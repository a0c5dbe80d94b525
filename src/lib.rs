//! mockgrade: grades typed mock-interview answers by how many expected key points they cover.

pub mod bank;
pub mod batch;
pub mod cache;
pub mod clock;
pub mod device;
pub mod embed;
pub mod eval;
pub mod grader;
pub mod history;
pub mod jsonl;
pub mod limited_read;
pub mod model_dir;
pub mod paths;
pub mod practice;
pub mod record;
pub mod report;
pub mod score;
pub mod segment;
pub mod stats;
pub mod text_cues;
pub mod topic;
pub mod visible;
