//! Flags of `mockgrade practice` and `mockgrade stats`; the doc comments are the help text.

use std::time::Duration;

use clap::Args;

use mockgrade::bank::topic::Topic;
use mockgrade::practice::parse_time_limit;

use super::shared_args::{BankArgs, DataFormat, Format, SharedArgs};

/// Practise in the terminal: answer, get graded, retry or move on (the default on a terminal).
///
/// Shows a question, reads your answer (finish with a line holding only "." or press
/// Ctrl-D), prints the report, then offers: [r]etry, [n]ext, [s]how the expected points,
/// [q]uit. Each graded attempt is added to the history that `mockgrade stats` summarises:
/// ${XDG_DATA_HOME:-~/.local/share}/mockgrade/history.jsonl.
///
/// With standard input not a terminal, the whole input is graded as one answer, the
/// report printed, and the command exits (for scripts): `echo "..." | mockgrade practice -q 2`.
#[derive(Debug, Default, Args)]
pub struct PracticeArgs {
    /// Start with this question: id or number.
    #[arg(long, short = 'q', value_name = "ID|NUMBER", conflicts_with_all = ["weakest", "new"])]
    pub question: Option<String>,
    /// Only questions of this topic (data, privacy-security, training, deployment,
    /// serving-latency, scaling, monitoring-drift, pipelines-ci-cd, fairness-explainability,
    /// recommendation).
    #[arg(long, value_name = "TOPIC")]
    pub topic: Option<Topic>,
    /// Pick the question with the lowest coverage on its latest attempt (from the history);
    /// a random one while nothing has been attempted.
    #[arg(long, conflicts_with = "new")]
    pub weakest: bool,
    /// Pick only questions never attempted.
    #[arg(long)]
    pub new: bool,
    /// Write each answer in $VISUAL or $EDITOR instead of typing it at the prompt.
    #[arg(long)]
    pub editor: bool,
    /// Time limit, shown as a countdown while typing: 90s, 3m, 2m30s (ignored when the
    /// answer is piped in).
    #[arg(long, value_name = "DURATION", value_parser = parse_time_limit)]
    pub time: Option<Duration>,
    /// Do not add attempts to the history file.
    #[arg(long)]
    pub no_history: bool,
    /// Report format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    #[command(flatten)]
    pub shared: SharedArgs,
}

/// Show progress from the practice history.
///
/// Per topic: attempts, best and last coverage, and the trend (least-squares slope of
/// coverage over the topic's last 5 attempts, in points per attempt). Then the 10 concepts
/// missed most often and the questions never attempted.
#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: DataFormat,
    #[command(flatten)]
    pub bank: BankArgs,
}
