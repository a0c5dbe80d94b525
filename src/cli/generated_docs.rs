//! `mockgrade completions SHELL` and `mockgrade man`: shell completions and manual pages,
//! generated from the same clap definitions as `--help`, so they never drift from it.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use clap::CommandFactory;

use super::args::Cli;
use super::{exit, UsageError};

pub fn completions(shell: clap_complete::Shell) -> Result<u8> {
    let mut command = Cli::command();
    let mut out = std::io::stdout().lock();
    clap_complete::generate(shell, &mut command, "mockgrade", &mut out);
    out.flush()
        .context("cannot write the completions to standard output")?;
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
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the --out folder {}", dir.display()))?;
        let count = pages.len();
        for (name, page_command) in pages {
            let path = dir.join(format!("{name}.1"));
            std::fs::write(&path, render(&name, page_command)?)
                .with_context(|| format!("cannot write {}", path.display()))?;
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
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(&render(&name, page_command)?)
        .and_then(|()| stdout.flush())
        .context("cannot write the manual page to standard output")?;
    Ok(exit::OK)
}
