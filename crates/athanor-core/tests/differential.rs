//! The differential test of the statement cache, at compile level: for thousands of random
//! statements per dialect, what a warm [`StatementCache`] gives — SQL text, parameter values,
//! result columns, the column reporting an inserted key — is exactly what a fresh, uncached
//! compile gives (and a statement that fails to compile fails the same way through the cache).
//!
//! The statements (`differential/statements.rs`) are selects with joins, aliases, subqueries and CTEs,
//! shared and distinct IN lists and subqueries, unions, inserts with and without client-side
//! defaults, updates and deletes, over tables that keep their names but change their columns,
//! types, defaults and keys. The cases cycle through a fixed set of shapes with new values, so
//! the cache meets every shape many times with everything it must not confuse changing.
//! `athanor`'s `tests/differential.rs` runs the same statements on the databases and compares
//! rows.
//!
//! CI runs a bounded, seeded count. Larger runs, on demand:
//!
//! ```text
//! ATHANOR_DIFF_CASES=200000 cargo test --release -p athanor-core --test differential
//! ATHANOR_DIFF_SEED=12345 ATHANOR_DIFF_CASES=50000 cargo test -p athanor-core --test differential
//! ```
//!
//! `ATHANOR_DIFF_CASES` is the number of statements per dialect (default 5000);
//! `ATHANOR_DIFF_SEED` picks another set of statements (default fixed). A failure names the
//! case, its seeds and both compiles.

#[path = "differential/statements.rs"]
mod statements;

use athanor_core::compiler::{StatementCache, statement_binds};
use athanor_core::dialect::{Dialect, MySql, Postgres, Sqlite};
use athanor_core::prelude::*;

fn env_u64(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(v) => v
            .parse()
            .unwrap_or_else(|_| panic!("{name}={v} is not a whole number")),
        Err(_) => default,
    }
}

/// Compares one statement through `cache` with a fresh compile; returns whether the cache hit.
fn check(cache: &StatementCache, stmt: &dyn Executable, d: &dyn Dialect) -> Result<bool, String> {
    let fresh = stmt.compile(d);
    let warm = cache.get(stmt.statement(), d);
    let (fresh, (warm, since)) = match (fresh, warm) {
        (Ok(f), Ok(w)) => (f, w),
        (Err(f), Err(w)) if f.to_string() == w.to_string() => return Ok(false),
        (f, w) => {
            return Err(format!(
                "fresh: {:?}\nwarm:  {:?}",
                f.map(|c| c.sql().to_string()),
                w.map(|(c, _)| c
                    .sql_for(&statement_binds(stmt.statement()), &|_| None)
                    .into_owned())
            ));
        }
    };
    let binds = statement_binds(stmt.statement());
    let sql = warm.sql_for(&binds, &|_| None);
    let params: Result<Vec<Value>, String> = warm
        .params(&binds, &|_| None)
        .map(|p| p.into_iter().cloned().collect())
        .map_err(|e| e.to_string());
    let f = fresh.compiled();
    let same = sql == fresh.sql()
        && params.as_deref() == Ok(fresh.params())
        && warm.columns == f.columns
        && warm.autoincrement_column == f.autoincrement_column
        && warm.kind == f.kind
        && warm.returns_rows == f.returns_rows;
    if !same {
        return Err(format!(
            "fresh: {}\n       {:?} columns {:?} key column {:?}\nwarm:  {sql}\n       {params:?} \
             columns {:?} key column {:?}",
            fresh.sql(),
            fresh.params(),
            f.columns,
            f.autoincrement_column,
            warm.columns,
            warm.autoincrement_column
        ));
    }
    Ok(since.is_some())
}

#[test]
fn a_warm_cache_compiles_every_statement_as_a_fresh_compile_does() {
    let cases = env_u64("ATHANOR_DIFF_CASES", 5000);
    let seed = env_u64("ATHANOR_DIFF_SEED", 0x5eed_cafe);
    let schema = statements::schema();
    for d in [&Sqlite as &dyn Dialect, &Postgres, &MySql] {
        let cache = StatementCache::new(100_000);
        let mut hits = 0u64;
        for i in 0..cases {
            let (shape, value) = statements::case_seeds(seed, i);
            let stmt = statements::statement(&schema, shape, value);
            match check(&cache, stmt.exec(), d) {
                Ok(hit) => hits += u64::from(hit),
                Err(diff) => panic!(
                    "case {i} (ATHANOR_DIFF_SEED={seed}, shape seed {shape:#x}, value seed \
                     {value:#x}) on {}: the warm cache differs from a fresh compile\n{diff}",
                    d.name()
                ),
            }
        }
        // The run exercised the cache: most statements met a shape seen before.
        assert!(
            cases < 1000 || hits * 3 > cases,
            "only {hits} cache hits in {cases} cases on {}",
            d.name()
        );
        eprintln!(
            "{}: {cases} statements, {hits} cache hits, {} shapes",
            d.name(),
            cache.stats().size
        );
    }
}

/// The generator covers what it claims: shared and distinct IN lists and subqueries, CTEs,
/// unions, inserts with and without defaults, updates, deletes — and statements that don't
/// compile (joins with no foreign key to infer from) are a small part.
#[test]
fn the_generator_makes_every_kind_of_statement() {
    let schema = statements::schema();
    let mut seen = std::collections::BTreeMap::<&str, usize>::new();
    for i in 0..2000 {
        let (shape, value) = statements::case_seeds(7, i);
        let stmt = statements::statement(&schema, shape, value);
        let Ok(c) = stmt.exec().compile(&Sqlite) else {
            *seen.entry("error").or_default() += 1;
            continue;
        };
        let sql = c.sql();
        for (what, needle) in [
            ("join", " JOIN "),
            ("in list", " IN (?"),
            ("scalar subquery", "= (SELECT max("),
            ("exists", "EXISTS (SELECT"),
            ("cte", "WITH cte"),
            ("anonymous alias", "AS anon_1"),
            ("union", " UNION "),
            ("insert", "INSERT INTO"),
            ("insert from select", ") SELECT "),
            ("multi-row insert", "), ("),
            ("update", "UPDATE "),
            ("delete", "DELETE FROM"),
            ("limit", " LIMIT ?"),
        ] {
            if sql.contains(needle) {
                *seen.entry(what).or_default() += 1;
            }
        }
    }
    for what in [
        "join",
        "in list",
        "scalar subquery",
        "exists",
        "cte",
        "anonymous alias",
        "union",
        "insert",
        "insert from select",
        "multi-row insert",
        "update",
        "delete",
        "limit",
    ] {
        assert!(
            seen.get(what).copied().unwrap_or(0) >= 10,
            "{what}: {seen:?}"
        );
    }
    assert!(seen.get("error").copied().unwrap_or(0) < 400, "{seen:?}");
}
