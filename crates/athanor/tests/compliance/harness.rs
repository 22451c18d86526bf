//! Runs one ported test body on every database, skipping it where SQLAlchemy's requirements
//! skip it, and records the outcome for the report (`compliance/REPORT.md`, written by
//! `compliance/report.sh` from the lines each run appends to `$ATHANOR_COMPLIANCE_LOG`, and
//! from `compliance/todo.tsv`, the suite's tests not ported yet with the reason).
//!
//! Each body gets a fresh database of its own: an in-memory SQLite, a private PostgreSQL
//! schema, a private MariaDB database (when `ATHANOR_TEST_POSTGRES` / `ATHANOR_TEST_MYSQL` are
//! set; skipped with a printed reason otherwise, a failure when set and unreachable).

use std::io::Write as _;
use std::panic::{AssertUnwindSafe, catch_unwind};

use athanor::prelude::*;
use athanor::{Engine, Result};

use super::requirements::Flag;
use crate::servers;

/// Where a ported test comes from: `test_select.py`, `FetchLimitOffsetTest`, `test_simple_limit`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Origin {
    pub(crate) file: &'static str,
    pub(crate) class: &'static str,
    pub(crate) test: &'static str,
}

fn record(dialect: &str, origin: Origin, outcome: &str) {
    if let Ok(path) = std::env::var("ATHANOR_COMPLIANCE_LOG")
        && let Ok(mut f) = std::fs::OpenOptions::new()
            .append(true)
            .create(true)
            .open(path)
    {
        // One write per line: tests run on several threads, and `writeln!` may split a line
        // into several writes that another thread's line lands between.
        let line = format!(
            "{dialect}\t{}\t{}\t{}\t{outcome}\n",
            origin.file, origin.class, origin.test
        );
        let _ = f.write_all(line.as_bytes());
    }
}

/// Runs `body(dialect, engine)` on each database that has every flag in `requires`; panics
/// after all of them if it failed on any (naming each).
#[track_caller]
pub(crate) fn run(origin: Origin, requires: &[Flag], body: fn(&str, &Engine) -> Result<()>) {
    let name = format!("{}_{}", origin.class, origin.test);
    let mut engines: Vec<(&str, Engine, Option<servers::ServerDb>)> = vec![(
        "sqlite",
        create_engine("sqlite://").unwrap_or_else(|e| panic!("{e}")),
        None,
    )];
    if let Some(db) = servers::postgres(&name) {
        engines.push(("postgresql", db.engine.clone(), Some(db)));
    }
    if let Some(db) = servers::mysql(&name) {
        engines.push(("mysql", db.engine.clone(), Some(db)));
    }
    let mut failures = Vec::new();
    for (dialect, engine, _guard) in &engines {
        if let Some(flag) = requires.iter().find(|f| !f.on(dialect)) {
            eprintln!("-- {dialect}: skipped (requires {})", flag.name());
            record(dialect, origin, &format!("skip:{}", flag.name()));
            continue;
        }
        eprintln!("-- on {dialect}");
        let outcome = catch_unwind(AssertUnwindSafe(|| body(dialect, engine)));
        match outcome {
            Ok(Ok(())) => record(dialect, origin, "pass"),
            Ok(Err(e)) => {
                record(dialect, origin, "fail");
                failures.push(format!("[{dialect}] {e}"));
            }
            Err(_) => {
                record(dialect, origin, "fail");
                failures.push(format!("[{dialect}] panicked (see above)"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{}::{}::{} failed:\n{}",
        origin.file,
        origin.class,
        origin.test,
        failures.join("\n")
    );
}
