//! Flags of `mockgrade batch`.

use std::path::PathBuf;

use clap::Args;

use mockgrade::batch::Shard;

use super::shared_args::{number_from_1_to, SharedArgs};

#[derive(Debug, Args)]
pub struct BatchArgs {
    /// Answer inputs: JSONL files, CSV files (with a header), directories of .txt/.md answers, or `-` for JSONL on standard input.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// Output directory for results.jsonl, summary.csv and report.md.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Continue a previous run: skip records whose id is already in DIR/results.jsonl.
    #[arg(long, conflicts_with = "overwrite")]
    pub resume: bool,
    /// Replace an existing DIR/results.jsonl.
    #[arg(long)]
    pub overwrite: bool,
    /// Grade only the records whose id hashes to shard K of N (e.g. 0/4).
    #[arg(long, value_name = "K/N")]
    pub shard: Option<Shard>,
    /// Answers graded per chunk (results are flushed after each chunk).
    #[arg(long, default_value_t = mockgrade::batch::DEFAULT_CHUNK, value_name = "N",
          value_parser = number_from_1_to::<MAX_CHUNK>)]
    pub chunk: usize,
    /// No progress output.
    #[arg(long, short = 'Q')]
    pub quiet: bool,
    #[command(flatten)]
    pub shared: SharedArgs,
}

/// A chunk is read ahead of grading and held in memory twice over; ten thousand answers of
/// the 256 KiB limit is already 5 GiB, so larger chunks are refused rather than tried.
const MAX_CHUNK: usize = 10_000;
