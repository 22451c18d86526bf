//! The differential test of the statement cache, at compile level: for thousands of random
//! statements per dialect, what a warm [`StatementCache`] gives — SQL text and parameter
//! values (rendered for the case's `bindparam` and `text()` values, so PostgreSQL's per-value
//! casts count), result columns and their processors (Numeric scales, Float columns), the
//! column reporting an inserted key — is exactly what a fresh, uncached compile gives (and a
//! statement that fails to compile fails the same way through the cache).
//!
//! The statements (`differential/statements.rs`, `differential/wider.rs`) are selects with
//! joins, aliases, subqueries and CTEs, shared and distinct IN lists and subqueries, unions,
//! INTERSECT/EXCEPT (ALL, which SQLite refuses), inserts with and without client-side
//! defaults, upserts, updates and deletes (multi-table ones too, with RETURNING), over tables
//! that keep their names but change their columns, types, defaults and foreign keys; and the
//! constructs whose rendering reads more than the tree's shape: `/` and `floordiv` and string
//! `+` over columns of changing types and bare values or `bindparam`s of every number kind,
//! tuple IN with items of the tuple's width or another, empty IN lists, `order_by`/
//! `group_by`/`desc` by name, `Select::join`/`outerjoin` inferring their left side and ON,
//! GROUP BY/HAVING with `count(DISTINCT ..)`, window functions, `exists()` and `text()`
//! with integers, floats and (with `--features rust_decimal`) decimals. The cases cycle
//! through a fixed set of shapes with new values, so the cache meets every shape many times
//! with everything it must not confuse changing. Every fourth case also checks a changed
//! clone of the statement (DISTINCT, LIMIT, another WHERE) made after the statement memoized
//! its cache key: the change must forget the key the clone copied.
//! `athanor`'s `tests/differential.rs` runs the same statements on the databases and compares
//! rows.
//!
//! CI runs a bounded, seeded count. Larger runs, on demand:
//!
//! ```text
//! ATHANOR_DIFF_CASES=200000 cargo test --release -p athanor-core --test differential
//! ATHANOR_DIFF_SEED=12345 ATHANOR_DIFF_CASES=50000 cargo test -p athanor-core --all-features --test differential
//! ```
//!
//! `ATHANOR_DIFF_CASES` is the number of statements per dialect (default 5000);
//! `ATHANOR_DIFF_SEED` picks another set of statements (default fixed). A failure names the
//! case, its seeds and both compiles.

#[path = "differential/statements.rs"]
mod statements;

use athanor_core::compiler::{Compiled, StatementCache, compile, statement_binds, text_values};
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

/// What the engine does to a shape's result rows: Numeric columns' scales, Float columns.
fn processors(c: &Compiled) -> (Vec<(usize, u32)>, Vec<usize>) {
    let p = c.result_processors();
    (p.numeric_scales().to_vec(), p.float_columns().to_vec())
}

/// Compares one statement through `cache` with a fresh compile, both rendered for the
/// `bindparam` values `params` (and `text()`'s own values); returns whether the cache hit.
fn check(
    cache: &StatementCache,
    stmt: &dyn Executable,
    params: &Values,
    d: &dyn Dialect,
) -> Result<bool, String> {
    let text = text_values(stmt.statement());
    let named = |n: &str| match params.get(n) {
        Some(Expr::Value(v)) => Some(v),
        _ => text.iter().find(|(k, _)| k.as_ref() == n).map(|(_, v)| v),
    };
    let binds = statement_binds(stmt.statement());
    let fresh = compile(stmt.statement(), d);
    let warm = cache.get(stmt.statement(), d);
    let (fresh, (warm, since)) = match (fresh, warm) {
        (Ok(f), Ok(w)) => (f, w),
        (Err(f), Err(w)) if f.to_string() == w.to_string() => return Ok(false),
        (f, w) => {
            return Err(format!(
                "fresh: {:?}\nwarm:  {:?}",
                f.map(|c| c.sql_for(&binds, &named).into_owned()),
                w.map(|(c, _)| c.sql_for(&binds, &named).into_owned())
            ));
        }
    };
    let render = |c: &Compiled| {
        let sql = c.sql_for(&binds, &named).into_owned();
        let params: Result<Vec<Value>, String> = c
            .params(&binds, &named)
            .map(|p| p.into_iter().cloned().collect())
            .map_err(|e| e.to_string());
        (sql, params)
    };
    let (sql, params) = render(&warm);
    let (fresh_sql, fresh_params) = render(&fresh);
    let same = sql == fresh_sql
        && params == fresh_params
        && warm.columns == fresh.columns
        && warm.autoincrement_column == fresh.autoincrement_column
        && warm.kind == fresh.kind
        && warm.returns_rows == fresh.returns_rows
        && processors(&warm) == processors(&fresh);
    if !same {
        return Err(format!(
            "fresh: {fresh_sql}\n       {fresh_params:?} columns {:?} key column {:?} \
             processors {:?}\nwarm:  {sql}\n       {params:?} columns {:?} key column {:?} \
             processors {:?}",
            fresh.columns,
            fresh.autoincrement_column,
            processors(&fresh),
            warm.columns,
            warm.autoincrement_column,
            processors(&warm)
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
            let (stmt, params) = statements::case(&schema, shape, value);
            // Every fourth case, a changed clone of the statement too (after the statement
            // memoized its key).
            let result = check(&cache, stmt.exec(), &params, d).and_then(|hit| {
                match stmt.changed_clone().filter(|_| i % 4 == 3) {
                    Some(c) => check(&cache, c.exec(), &params, d)
                        .map(|_| hit)
                        .map_err(|e| format!("(its changed clone) {e}")),
                    None => Ok(hit),
                }
            });
            match result {
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
/// unions, inserts with and without defaults, updates, deletes, and the constructs whose
/// rendering reads more than the shape (division, concatenation, tuple IN, names, joins
/// inferred, multi-table changes, RETURNING, upserts, aggregates, windows, `bindparam`,
/// `text()`) — and statements that don't compile (joins with no foreign key to infer from,
/// INTERSECT ALL on SQLite) are a small part.
#[test]
fn the_generator_makes_every_kind_of_statement() {
    let schema = statements::schema();
    let mut seen = std::collections::BTreeMap::<&str, usize>::new();
    let kinds: &[(&str, &str)] = &[
        ("join", " JOIN "),
        ("in list", " IN (?"),
        ("scalar subquery", "= (SELECT max("),
        ("exists", "EXISTS (SELECT"),
        ("exists()", "EXISTS (SELECT * FROM"),
        ("cte", "WITH cte"),
        ("anonymous alias", "AS anon_1"),
        ("union", " UNION "),
        ("intersect", " INTERSECT "),
        ("except", " EXCEPT "),
        ("insert", "INSERT INTO"),
        ("insert from select", ") SELECT "),
        ("multi-row insert", "), ("),
        ("update", "UPDATE "),
        ("update from", " FROM dt_c WHERE"),
        ("delete", "DELETE FROM"),
        ("limit", " LIMIT ?"),
        ("true division", " + 0.0)"),
        ("division", " / "),
        ("concatenation", " || "),
        ("tuple in", ") IN ((?"),
        ("empty in", "1!=1"),
        ("order by name", " DESC"),
        ("group by", " GROUP BY "),
        ("having", " HAVING "),
        ("count distinct", "count(DISTINCT "),
        ("window", " OVER (PARTITION BY "),
        ("returning", " RETURNING "),
        ("upsert", " ON CONFLICT "),
        ("text", ":v"),
    ];
    for i in 0..2000 {
        let (shape, value) = statements::case_seeds(7, i);
        let (stmt, params) = statements::case(&schema, shape, value);
        if params.get("bp").is_some() {
            *seen.entry("bindparam").or_default() += 1;
        }
        if matches!(stmt, statements::Stmt::Text(_)) {
            *seen.entry("text").or_default() += 1;
        }
        let Ok(c) = compile(stmt.exec().statement(), &Sqlite) else {
            *seen.entry("error").or_default() += 1;
            continue;
        };
        let sql = c.sql_for(&statement_binds(stmt.exec().statement()), &|_| None);
        for (what, needle) in kinds {
            if sql.contains(needle) {
                *seen.entry(what).or_default() += 1;
            }
        }
    }
    for (what, _) in kinds.iter().chain([&("bindparam", "")]) {
        assert!(
            seen.get(what).copied().unwrap_or(0) >= 10,
            "{what}: {seen:?}"
        );
    }
    assert!(seen.get("error").copied().unwrap_or(0) < 400, "{seen:?}");
}
