//! `mockgrade completions SHELL` and `mockgrade man`: shell completions and manual pages,
//! generated from the same clap definitions as `--help`, so they never drift from it.

use std::path::Path;

use anyhow::{Context, Result};
use clap::CommandFactory;

use mockgrade::util::output_file::{create_dir_for_output, write_output, OutputError};

use super::args::Cli;
use super::stdout::write_bytes;
use super::{exit, UsageError};

pub fn completions(shell: clap_complete::Shell) -> Result<u8> {
    let mut command = Cli::command();
    // Into memory first: clap_complete panics when its writer fails.
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, "mockgrade", &mut script);
    write_bytes(&script)?;
    Ok(exit::OK)
}

/// The main page (`mockgrade.1`) and one per command (`mockgrade-batch.1`), as git has.
fn pages() -> Vec<(String, clap::Command)> {
    let main = Cli::command();
    let mut pages = vec![("mockgrade".to_string(), main.clone())];
    for command in main
        .get_subcommands()
        .filter(|command| !command.is_hide_set())
    {
        let name = format!("mockgrade-{}", command.get_name());
        let bin_name = format!("mockgrade {}", command.get_name());
        pages.push((
            name.clone(),
            command.clone().bin_name(bin_name).display_name(name),
        ));
    }
    pages
}

fn render(name: &str, command: clap::Command) -> Result<Vec<u8>> {
    let mut page = Vec::new();
    clap_mangen::Man::new(command)
        .title(name)
        .render(&mut page)
        .with_context(|| format!("cannot render the manual page {name}"))?;
    Ok(page)
}

/// Prints the page of `command` (none: the main page), or writes every page into `out`.
pub fn man_pages(command: Option<&str>, out: Option<&Path>) -> Result<u8> {
    let pages = pages();
    if let Some(dir) = out {
        create_dir_for_output(dir).map_err(|source| OutputError {
            path: dir.to_path_buf(),
            source,
        })?;
        let count = pages.len();
        for (name, page_command) in pages {
            write_output(
                &dir.join(format!("{name}.1")),
                &render(&name, page_command)?,
            )?;
        }
        eprintln!("wrote {count} manual pages to {}", dir.display());
        return Ok(exit::OK);
    }
    let wanted = command.map_or("mockgrade".to_string(), |name| format!("mockgrade-{name}"));
    let Some(at) = pages.iter().position(|(name, _)| *name == wanted) else {
        let names: Vec<&str> = pages
            .iter()
            .skip(1)
            .map(|(name, _)| name.trim_start_matches("mockgrade-"))
            .collect();
        return Err(UsageError(format!(
            "no manual page for '{}': the commands are {}",
            command.unwrap_or_default(),
            names.join(", ")
        ))
        .into());
    };
    let (name, page_command) = pages.into_iter().nth(at).expect("found above");
    write_bytes(&render(&name, page_command)?)?;
    Ok(exit::OK)
}
