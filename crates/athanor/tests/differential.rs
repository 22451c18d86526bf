//! The differential test of the statement cache, on the databases: the random statements of
//! `athanor-core`'s differential test (`crates/athanor-core/tests/differential/statements.rs`),
//! each executed (with its `bindparam` values, which change kind from case to case) through an
//! engine whose cache is warm with every statement before it, and through an engine on the
//! same database that compiles every statement afresh (cache size 0). Both must return exactly
//! the same rows, as the engine processed them (Numeric and Float columns included) — or, for
//! INSERT, UPDATE and DELETE (run in a transaction that is rolled back), the same row count,
//! RETURNING rows and table contents after — or fail with the same error. Every fourth case
//! also runs a changed clone of the executed statement, as the compile-level test does.
//!
//! Runs on SQLite always (a database file both engines open), and on PostgreSQL and MariaDB
//! when `ATHANOR_TEST_POSTGRES` / `ATHANOR_TEST_MYSQL` are set. CI runs a bounded, seeded
//! count; larger runs, on demand:
//!
//! ```text
//! ATHANOR_DIFF_EXEC_CASES=20000 cargo test -p athanor --all-features --test differential
//! ```
//!
//! `ATHANOR_DIFF_EXEC_CASES` is the number of statements per database (default 1200);
//! `ATHANOR_DIFF_SEED` picks another set (as in the compile-level test, whose SQL and
//! parameter comparison covers thousands more statements per dialect without a database).

#[path = "shared/servers.rs"]
mod servers;
#[path = "../../athanor-core/tests/differential/statements.rs"]
mod statements;

use athanor::prelude::*;
use athanor::{Engine, Error};

use statements::{Schema, Stmt};

fn env_u64(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(v) => v
            .parse()
            .unwrap_or_else(|_| panic!("{name}={v} is not a whole number")),
        Err(_) => default,
    }
}

/// What executing a statement did.
#[derive(Debug, PartialEq)]
enum Outcome {
    /// A query's rows, as text, sorted (a query without ORDER BY may return them in any order).
    Rows(Vec<String>),
    /// A change's row count, the rows it returned (RETURNING) or why it returned none, and
    /// every table's rows after it.
    Changed(u64, Result<Vec<String>, String>, Vec<String>),
    /// The error, as text (it names the SQL and parameters sent).
    Failed(String),
}

fn rows_text(rows: Vec<athanor::Row>) -> Vec<String> {
    rows.iter().map(|r| format!("{:?}", r.values())).collect()
}

fn run(engine: &Engine, schema: &Schema, stmt: &Stmt, params: &Values) -> Outcome {
    let failed = |e: Error| Outcome::Failed(e.to_string());
    let mut conn = engine.connect().expect("a connection");
    if !stmt.changes_rows() {
        return match conn.execute_with(stmt.exec(), params).and_then(|r| r.all()) {
            Ok(rows) => {
                let mut rows = rows_text(rows);
                rows.sort();
                Outcome::Rows(rows)
            }
            Err(e) => failed(e),
        };
    }
    let mut tx = conn.begin().expect("a transaction");
    let outcome = match tx.execute_with(stmt.exec(), params) {
        Ok(r) => {
            let count = r.rowcount();
            let returned = r.all().map(rows_text).map_err(|e| e.to_string());
            let mut tables = Vec::new();
            for t in [&schema.a[0], &schema.b[0], &schema.c[0]] {
                let all = tx
                    .execute(&select(t).order_by(t.c("id")))
                    .and_then(|r| r.all())
                    .expect("reading a table back");
                tables.extend(rows_text(all));
            }
            Outcome::Changed(count, returned, tables)
        }
        Err(e) => failed(e),
    };
    tx.rollback().expect("rolling back");
    outcome
}

/// Runs the cases on one database through a warm engine and a cacheless one.
fn differential(name: &str, warm: &Engine, cold: &Engine) {
    let cases = env_u64("ATHANOR_DIFF_EXEC_CASES", 1200);
    let seed = env_u64("ATHANOR_DIFF_SEED", 0x5eed_cafe);
    let schema = statements::schema();
    schema.metadata.drop_all(warm).expect("dropping old tables");
    schema
        .metadata
        .create_all(warm)
        .expect("creating the tables");
    {
        let mut conn = warm.connect().expect("a connection");
        for ins in statements::rows(&schema) {
            conn.execute(&ins).expect("loading rows");
        }
    }
    let mut failures = 0u64;
    for i in 0..cases {
        let (shape, value) = statements::case_seeds(seed, i);
        let (stmt, params) = statements::case(&schema, shape, value);
        let warm_outcome = run(warm, &schema, &stmt, &params);
        let cold_outcome = run(cold, &schema, &stmt, &params);
        // Every fourth case, a changed clone of the executed statement (which memoized its
        // key) too.
        let clone = stmt.changed_clone().filter(|_| i % 4 == 3);
        let (warm_outcome, cold_outcome, stmt) = match clone {
            Some(c) if warm_outcome == cold_outcome => {
                let (w, f) = (
                    run(warm, &schema, &c, &params),
                    run(cold, &schema, &c, &params),
                );
                (w, f, c)
            }
            _ => (warm_outcome, cold_outcome, stmt),
        };
        if warm_outcome != cold_outcome {
            let sql = stmt
                .exec()
                .compile(warm.dialect())
                .map(|c| format!("{} {:?} {params:?}", c.sql(), c.params()));
            panic!(
                "[{name}] case {i} (ATHANOR_DIFF_SEED={seed}, shape seed {shape:#x}, value \
                 seed {value:#x}): the warm cache's result differs from a fresh compile's\n\
                 statement: {sql:?}\nwarm:  {warm_outcome:?}\nfresh: {cold_outcome:?}"
            );
        }
        failures += u64::from(matches!(warm_outcome, Outcome::Failed(_)));
    }
    let stats = warm.cache_stats();
    eprintln!(
        "{name}: {cases} statements, {failures} failed alike on both engines, {} cache hits",
        stats.hits
    );
    // Most statements run: the comparison is of rows, not of errors.
    assert!(
        failures * 4 < cases,
        "[{name}] {failures} of {cases} statements failed"
    );
    assert!(
        stats.hits > 0,
        "[{name}] the warm engine never hit its cache"
    );
}

fn cacheless() -> EngineOptions {
    EngineOptions::new().cache_size(0)
}

/// A database file removed when the test ends, failed or not.
struct TempFile(std::path::PathBuf);

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

#[test]
fn sqlite_through_a_warm_cache_returns_a_fresh_compiles_rows() {
    let file = TempFile(
        std::env::temp_dir().join(format!("athanor-differential-{}.db", std::process::id())),
    );
    let _ = std::fs::remove_file(&file.0);
    let url = format!("sqlite:///{}", file.0.display());
    let warm = create_engine(&url).expect("the warm engine");
    let cold = create_engine_with(&url, cacheless()).expect("the cacheless engine");
    differential("sqlite", &warm, &cold);
}

#[test]
fn postgresql_through_a_warm_cache_returns_a_fresh_compiles_rows() {
    let Some(db) = servers::postgres("differential") else {
        return;
    };
    let cold = create_engine_with(&db.url, cacheless()).expect("the cacheless engine");
    differential("postgresql", &db.engine, &cold);
    cold.dispose();
}

#[test]
fn mysql_through_a_warm_cache_returns_a_fresh_compiles_rows() {
    let Some(db) = servers::mysql("differential") else {
        return;
    };
    let cold = create_engine_with(&db.url, cacheless()).expect("the cacheless engine");
    differential("mysql", &db.engine, &cold);
    cold.dispose();
}
