//! Test databases on the PostgreSQL and MariaDB/MySQL servers, shared by the test binaries
//! (`#[path = "shared/servers.rs"] mod servers;`).
//!
//! The server URLs come from `ATHANOR_TEST_POSTGRES` / `ATHANOR_TEST_MYSQL`. When one is unset,
//! [`postgres`] / [`mysql`] print why the test is skipped and return `None` (a newcomer's
//! laptop). When it is set, an unreachable server fails the test. Each test gets its own
//! PostgreSQL schema or MySQL database, dropped when the [`ServerDb`] is dropped, so tests run
//! in parallel and leave nothing behind. Each run appends `<dialect> <test>` to the file named
//! by `ATHANOR_SERVER_TEST_LOG`, which `.ci/run` counts to prove the server tests ran.
#![allow(dead_code, unreachable_pub)]

use std::io::Write as _;
use std::sync::atomic::{AtomicUsize, Ordering};

use athanor::prelude::*;

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A private schema (PostgreSQL) or database (MySQL) and an engine whose unqualified names go
/// there.
pub struct ServerDb {
    /// The engine on the private schema/database.
    pub engine: Engine,
    /// The schema or database name.
    pub name: String,
    /// A URL for the private schema/database (with its password), e.g. to give a CLI.
    pub url: String,
    admin: Engine,
    drop_sql: Vec<String>,
}

impl Drop for ServerDb {
    fn drop(&mut self) {
        self.engine.dispose();
        if let Ok(mut c) = self.admin.connect() {
            for sql in &self.drop_sql {
                let _ = c.exec_driver_sql(sql);
            }
        }
    }
}

fn unique_name(test: &str) -> String {
    let clean: String = test
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .take(36)
        .collect();
    format!(
        "athanor_{clean}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

fn log_run(dialect: &str, test: &str) {
    if let Ok(path) = std::env::var("ATHANOR_SERVER_TEST_LOG")
        && let Ok(mut f) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
    {
        // One write per line: tests run in parallel, and `writeln!` on a `File` writes each
        // piece separately, so two tests' pieces could interleave within a line.
        let _ = f.write_all(format!("{dialect} {test}\n").as_bytes());
    }
}

fn with_query(url: &str, pair: &str) -> String {
    if url.contains('?') {
        format!("{url}&{pair}")
    } else {
        format!("{url}?{pair}")
    }
}

/// A fresh PostgreSQL schema for `test`, or `None` (with a printed reason) when
/// `ATHANOR_TEST_POSTGRES` is unset.
///
/// # Panics
/// When the URL is set but the server can't be used.
pub fn postgres(test: &str) -> Option<ServerDb> {
    let Ok(url) = std::env::var("ATHANOR_TEST_POSTGRES") else {
        eprintln!("skipped {test} on PostgreSQL: ATHANOR_TEST_POSTGRES is not set");
        return None;
    };
    let admin = create_engine(&url).unwrap_or_else(|e| panic!("ATHANOR_TEST_POSTGRES={url}: {e}"));
    let name = unique_name(test);
    admin
        .connect()
        .and_then(|mut c| c.exec_driver_sql(&format!("CREATE SCHEMA \"{name}\"")))
        .unwrap_or_else(|e| panic!("PostgreSQL at {url} can't be used for tests: {e}"));
    let private = with_query(&url, &format!("options=-csearch_path%3D{name}"));
    let engine = create_engine(&private).unwrap_or_else(|e| panic!("{e}"));
    log_run("postgresql", test);
    Some(ServerDb {
        engine,
        url: private,
        // `<name>_ts` is the second schema a test may create for itself (the reflection
        // suite's `test_schema`); dropped in the same statement, so it costs nothing more.
        drop_sql: vec![format!(
            "DROP SCHEMA IF EXISTS \"{name}\", \"{name}_ts\" CASCADE"
        )],
        name,
        admin,
    })
}

/// A fresh MySQL/MariaDB database for `test`, or `None` (with a printed reason) when
/// `ATHANOR_TEST_MYSQL` is unset.
///
/// # Panics
/// When the URL is set but the server can't be used.
pub fn mysql(test: &str) -> Option<ServerDb> {
    let Ok(url) = std::env::var("ATHANOR_TEST_MYSQL") else {
        eprintln!("skipped {test} on MySQL: ATHANOR_TEST_MYSQL is not set");
        return None;
    };
    let admin = create_engine(&url).unwrap_or_else(|e| panic!("ATHANOR_TEST_MYSQL={url}: {e}"));
    let name = unique_name(test);
    admin
        .connect()
        .and_then(|mut c| {
            c.exec_driver_sql(&format!("CREATE DATABASE `{name}` CHARACTER SET utf8mb4"))
        })
        .unwrap_or_else(|e| panic!("MySQL at {url} can't be used for tests: {e}"));
    let mut parsed = athanor::Url::parse(&url).unwrap_or_else(|e| panic!("{e}"));
    parsed.database = Some(name.clone());
    let private = parsed.render(false);
    let engine = create_engine(&private).unwrap_or_else(|e| panic!("{e}"));
    log_run("mysql", test);
    Some(ServerDb {
        engine,
        url: private,
        // `<name>_ts`: the second database a test may create for itself, as in `postgres`.
        drop_sql: vec![
            format!("DROP DATABASE IF EXISTS `{name}`"),
            format!("DROP DATABASE IF EXISTS `{name}_ts`"),
        ],
        name,
        admin,
    })
}

/// Every engine a behaviour should be checked on: a fresh in-memory SQLite, and a private
/// PostgreSQL schema and MySQL database when their URLs are set.
pub fn all(test: &str) -> Vec<(String, Engine, Option<ServerDb>)> {
    let mut out = vec![(
        "sqlite".to_string(),
        create_engine("sqlite://").unwrap_or_else(|e| panic!("{e}")),
        None,
    )];
    if let Some(db) = postgres(test) {
        out.push(("postgresql".into(), db.engine.clone(), Some(db)));
    }
    if let Some(db) = mysql(test) {
        out.push(("mysql".into(), db.engine.clone(), Some(db)));
    }
    out
}
