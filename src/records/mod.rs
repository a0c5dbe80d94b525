//! Answers to grade, from every kind of input: JSONL lines, CSV rows and directories of
//! `.txt`/`.md` files, read as records with their question or inline reference; and
//! counting them ahead for progress.

mod answer_files;
mod csv_input;
mod inputs;
pub mod jsonl;
pub mod record;

pub use csv_input::csv_records_from;
pub use inputs::{count_records, read_all, Input};
