//! The harness: Chinook on every database; every engine reports the statements it sends to
//! a `before_execute` hook, so that a test can count the statements a session program sends
//! ([`statements`]), and echoes them (read the log with [`capture`]).

use std::cell::RefCell;
use std::io::Write;
use std::sync::{Arc, Mutex};

use athanor::prelude::*;
use athanor::{Engine, Result};

pub(crate) use super::super::servers::{self, ServerDb};

/// Chinook on each engine under test: a fresh in-memory SQLite database, and a private
/// PostgreSQL schema / MySQL database when the server URLs are set. Every engine echoes its
/// statements (read them with [`statements`]).
pub(crate) fn chinook_engines() -> Vec<(&'static str, Engine, Option<ServerDb>)> {
    let out = fresh_engines();
    for (name, engine, _) in &out {
        quiet(|| athanor::chinook::install(engine))
            .unwrap_or_else(|e| panic!("[{name}] installing Chinook: {e}"));
    }
    out
}

/// Runs a body on Chinook on every engine; a failure names the engine.
#[track_caller]
pub(crate) fn on_chinook(body: fn(&Engine) -> Result<()>) {
    for (name, engine, _guard) in chinook_engines() {
        eprintln!("-- on {name}");
        if let Err(e) = body(&engine) {
            panic!("[{name}] test body failed: {e}");
        }
    }
}

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Runs `f` and returns, with its result, everything the engines echoed.
pub(crate) fn capture<T>(f: impl FnOnce() -> T) -> (T, String) {
    let out = Captured::default();
    let writer = out.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .without_time()
        .with_target(false)
        .with_level(false)
        .with_max_level(tracing::Level::INFO)
        .finish();
    let r = tracing::subscriber::with_default(subscriber, f);
    let text =
        String::from_utf8_lossy(&out.0.lock().unwrap_or_else(|e| e.into_inner())).into_owned();
    (r, text)
}

/// Runs `f` with the echo going nowhere.
pub(crate) fn quiet<T>(f: impl FnOnce() -> T) -> T {
    capture(f).0
}

thread_local! {
    /// The statements this thread's engines sent while [`statements`] records.
    static SENT: RefCell<Option<Vec<String>>> = const { RefCell::new(None) };
}

/// The engine options of every test engine: echo, and the hook [`statements`] reads.
pub(crate) fn recorded() -> EngineOptions {
    EngineOptions::new().echo(true).before_execute(|stmt| {
        SENT.with(|sent| {
            if let Some(v) = sent.borrow_mut().as_mut() {
                v.push(stmt.sql.to_string());
            }
        });
    })
}

/// Runs `f` and returns, with its result, the SELECT / INSERT / UPDATE / DELETE statements
/// it sent (transaction control left out, as in the corpus's `statements`), as the engines'
/// `before_execute` hook saw them.
pub(crate) fn statements<T>(f: impl FnOnce() -> T) -> (T, Vec<String>) {
    SENT.with(|sent| *sent.borrow_mut() = Some(Vec::new()));
    let r = quiet(f);
    let sent = SENT
        .with(|sent| sent.borrow_mut().take())
        .unwrap_or_default();
    let stmts = sent
        .iter()
        .map(|s| s.trim())
        .filter(|l| {
            ["SELECT", "INSERT", "UPDATE", "DELETE", "WITH"]
                .iter()
                .any(|k| l.starts_with(k))
        })
        .map(str::to_string)
        .collect();
    (r, stmts)
}

/// The statements' first keywords with their tables: `["SELECT Artist", "UPDATE Artist"]`.
pub(crate) fn shapes(stmts: &[String]) -> Vec<String> {
    stmts
        .iter()
        .map(|s| {
            if s.starts_with("SELECT count(*)") {
                return "SELECT count(*)".to_string();
            }
            let kw = s.split_whitespace().next().unwrap_or("");
            let table = match kw {
                "INSERT" => s.split_whitespace().nth(2),
                "UPDATE" => s.split_whitespace().nth(1),
                "DELETE" => s.split_whitespace().nth(2),
                _ => s
                    .split(" FROM ")
                    .nth(1)
                    .and_then(|r| r.split_whitespace().next()),
            }
            .unwrap_or("")
            .trim_matches(|c| c == '"' || c == '`' || c == '(');
            format!("{kw} {table}")
        })
        .collect()
}

/// Empty databases, one per engine under test (in-memory SQLite, and a private PostgreSQL
/// schema / MySQL database when the server URLs are set), each engine echoing: for tests
/// that create tables of their own.
pub(crate) fn fresh_engines() -> Vec<(&'static str, Engine, Option<ServerDb>)> {
    let test = std::thread::current().name().unwrap_or("test").to_string();
    let test = test.rsplit("::").next().unwrap_or("test").to_string();
    let sqlite = create_engine_with("sqlite://", recorded()).unwrap_or_else(|e| panic!("{e}"));
    let mut out = vec![("sqlite", sqlite, None)];
    for db in [servers::postgres(&test), servers::mysql(&test)]
        .into_iter()
        .flatten()
    {
        let engine = create_engine_with(&db.url, recorded()).unwrap_or_else(|e| panic!("{e}"));
        let name = if db.url.starts_with("postgres") {
            "postgresql"
        } else {
            "mysql"
        };
        out.push((name, engine, Some(db)));
    }
    out
}

/// Runs a body on an empty database on every engine; a failure names the engine.
#[track_caller]
pub(crate) fn on_each(body: fn(&Engine) -> Result<()>) {
    for (name, engine, _guard) in fresh_engines() {
        eprintln!("-- on {name}");
        if let Err(e) = body(&engine) {
            panic!("[{name}] test body failed: {e}");
        }
    }
}

/// A seeded xorshift generator for the generated-program tests (the same cases on every run
/// with one seed).
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    pub(crate) fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    pub(crate) fn pick<T: Copy>(&mut self, items: &[T]) -> Option<T> {
        if items.is_empty() {
            None
        } else {
            Some(items[self.below(items.len() as u64) as usize])
        }
    }
}
