//! `mockgrade stats`: progress from the practice history, as text or JSON.

use anyhow::Result;

use mockgrade::practice::history;
use mockgrade::stats::{render_text, Stats};

use super::output::terminal_style;
use super::practice_args::StatsArgs;
use super::shared_args::DataFormat;
use super::{exit, history_file, setup};

pub fn run(args: &StatsArgs) -> Result<u8> {
    let bank = setup::bank(&args.bank)?;
    let path = history::default_path();
    let attempts = history_file::load(&path)?;
    let stats = Stats::compute(&attempts, &bank);
    match args.format {
        DataFormat::Json => {
            let mut json = serde_json::to_value(&stats)?;
            json["history_file"] = serde_json::Value::String(path.display().to_string());
            outln!("{}", serde_json::to_string_pretty(&json)?)?;
        }
        DataFormat::Text => out!("{}", render_text(&stats, &path, terminal_style().width))?,
    }
    Ok(exit::OK)
}
