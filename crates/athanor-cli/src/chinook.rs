//! `athanor chinook`: installs the Chinook sample database, with a progress bar on stderr.

use std::collections::BTreeMap;
use std::time::Instant;

use athanor::chinook::{InstallOptions, install_with};
use indicatif::{ProgressBar, ProgressStyle};

use crate::{Failure, open_engine};

/// Installs Chinook into the database at `url`; returns the summary line.
pub(crate) fn run(url: &str, replace: bool) -> Result<String, Failure> {
    let engine = open_engine(url, false)?;
    let started = Instant::now();
    let total: usize = athanor::chinook::data()?.iter().map(|t| t.rows.len()).sum();

    // Drawn only when stderr is a terminal; hidden under pipes and in tests.
    let bar = ProgressBar::new(total as u64);
    if let Ok(style) = ProgressStyle::with_template("{bar:40.cyan/blue} {pos:>6}/{len} rows  {msg}")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    let mut done: BTreeMap<String, usize> = BTreeMap::new();
    let mut progress = |table: &str, rows: usize, _of: usize| {
        done.insert(table.to_string(), rows);
        bar.set_message(table.to_string());
        bar.set_position(done.values().sum::<usize>() as u64);
    };
    let result = install_with(
        &engine,
        InstallOptions {
            replace,
            progress: Some(&mut progress),
        },
    );
    bar.finish_and_clear();
    let metadata = result?;

    Ok(format!(
        "Installed Chinook into {}: {} tables, {total} rows in {:.1}s\n",
        engine.url(),
        metadata.sorted_tables()?.len(),
        started.elapsed().as_secs_f64()
    ))
}
