//! Ported from SQLAlchemy's `test_select.py`, class `FetchLimitOffsetTest`: LIMIT / OFFSET
//! as numbers, bound parameters and SQL expressions, printed with literal binds, and
//! `FETCH FIRST` with its options.

use std::collections::BTreeSet;

use athanor::compiler::CompileOptions;
use athanor::prelude::*;
use athanor::sql::{FetchOptions, Select};
use athanor::{Engine, Result};

use super::harness::run;
use super::requirements::Flag;
use super::test_select::{ints, origin, some_table};

fn limit_fixture(engine: &Engine) -> Result<Table> {
    some_table(
        engine,
        &[("x", Type::Integer), ("y", Type::Integer)],
        &ints(&[&[1, 1, 2], &[2, 2, 3], &[3, 3, 4], &[4, 4, 5], &[5, 4, 6]]),
    )
}

type Row3 = (i64, i64, i64);
const NONE: &[Row3] = &[];
const ALL: [Row3; 5] = [(1, 1, 2), (2, 2, 3), (3, 3, 4), (4, 4, 5), (5, 4, 6)];

fn rows_of(engine: &Engine, stmt: &Select) -> Result<Vec<Row3>> {
    engine.connect()?.tuples(stmt)
}

#[test]
fn fetch_limit_offset_simple_limit() {
    run(
        origin("FetchLimitOffsetTest", "test_simple_limit"),
        &[],
        |_, engine| {
            let t = limit_fixture(engine)?;
            let stmt = select(&t).order_by(t.c("id"));
            assert_eq!(rows_of(engine, &stmt.clone().limit(2))?, ALL[..2]);
            assert_eq!(rows_of(engine, &stmt.limit(3))?, ALL[..3]);
            Ok(())
        },
    );
}

#[test]
fn fetch_limit_offset_limit_render_multiple_times() {
    run(
        origin("FetchLimitOffsetTest", "test_limit_render_multiple_times"),
        &[],
        |_, engine| {
            let t = limit_fixture(engine)?;
            let one = select(t.c("id")).limit(1).scalar_subquery();
            let u = union([select(one.clone()), select(one)]).subquery("anon_1");
            let got: Vec<(i64,)> = engine.connect()?.tuples(&select(&u))?;
            assert_eq!(got, [(1,)]);
            Ok(())
        },
    );
}

#[test]
fn fetch_limit_offset_simple_offset() {
    run(
        origin("FetchLimitOffsetTest", "test_simple_offset"),
        &[Flag::Offset],
        |_, engine| {
            let t = limit_fixture(engine)?;
            let stmt = select(&t).order_by(t.c("id"));
            assert_eq!(rows_of(engine, &stmt.clone().offset(2))?, ALL[2..]);
            assert_eq!(rows_of(engine, &stmt.offset(3))?, ALL[3..]);
            Ok(())
        },
    );
}

#[test]
fn fetch_limit_offset_simple_limit_offset() {
    run(
        origin("FetchLimitOffsetTest", "test_simple_limit_offset"),
        &[Flag::Offset],
        |_, engine| {
            let t = limit_fixture(engine)?;
            // The suite's three combinations of (limit, offset) runs.
            for cases in [
                [(2, 0), (2, 1), (3, 2)],
                [(2, 1), (2, 0), (3, 2)],
                [(3, 1), (2, 1), (3, 1)],
            ] {
                for (limit, offset) in cases {
                    let stmt = select(&t).order_by(t.c("id")).limit(limit).offset(offset);
                    let (from, to) = (offset as usize, (offset + limit) as usize);
                    assert_eq!(rows_of(engine, &stmt)?, ALL[from..to.min(ALL.len())]);
                }
            }
            Ok(())
        },
    );
}

#[test]
fn fetch_limit_offset_simple_offset_zero() {
    run(
        origin("FetchLimitOffsetTest", "test_simple_offset_zero"),
        &[Flag::Offset],
        |_, engine| {
            let t = limit_fixture(engine)?;
            let stmt = select(&t).order_by(t.c("id"));
            assert_eq!(rows_of(engine, &stmt.clone().offset(0))?, ALL);
            assert_eq!(rows_of(engine, &stmt.offset(1))?, ALL[1..]);
            Ok(())
        },
    );
}

fn rows_with(engine: &Engine, stmt: &Select, params: &Values) -> Result<Vec<Row3>> {
    engine.connect()?.tuples_with(stmt, params)
}

/// `1 + 1` as SQL, never a parameter (the suite's `literal_column("1") + literal_column("1")`).
fn sql_sum(a: &str, b: &str) -> Expr {
    literal_column(a) + literal_column(b)
}

/// The statement printed with its values inline (`literal_binds`), run as plain SQL.
fn run_printed(engine: &Engine, stmt: &Select) -> Result<Vec<Row3>> {
    let sql = stmt
        .compile_with(engine.dialect(), CompileOptions::literal_binds())?
        .sql()
        .to_string();
    assert!(!sql.contains('?') && !sql.contains('$'), "{sql}");
    engine.connect()?.tuples(&text(&sql))
}

#[test]
fn fetch_limit_offset_limit_offset_nobinds() {
    run(
        origin("FetchLimitOffsetTest", "test_limit_offset_nobinds"),
        &[Flag::Offset],
        |dialect, engine| {
            let t = limit_fixture(engine)?;
            let stmt = select(&t).order_by(t.c("id")).limit(2).offset(1);
            assert_eq!(run_printed(engine, &stmt)?, ALL[1..3]);
            // The printed tail, per dialect (an offset alone needs a LIMIT on SQLite and
            // MySQL).
            let printed = |s: &Select| -> Result<String> {
                Ok(
                    s.compile_with(engine.dialect(), CompileOptions::literal_binds())?
                        .sql()
                        .to_string(),
                )
            };
            assert!(
                printed(&stmt)?.ends_with("ORDER BY some_table.id LIMIT 2 OFFSET 1"),
                "{}",
                printed(&stmt)?
            );
            let only_offset = select(&t).order_by(t.c("id")).offset(3);
            let tail = match dialect {
                "sqlite" => "LIMIT -1 OFFSET 3",
                "mysql" => "LIMIT 18446744073709551615 OFFSET 3",
                _ => "OFFSET 3",
            };
            assert!(
                printed(&only_offset)?.ends_with(&format!("ORDER BY some_table.id {tail}")),
                "{}",
                printed(&only_offset)?
            );
            assert_eq!(run_printed(engine, &only_offset)?, ALL[3..]);
            Ok(())
        },
    );
}

#[test]
fn fetch_limit_offset_bound_limit() {
    run(
        origin("FetchLimitOffsetTest", "test_bound_limit"),
        &[Flag::BoundLimitOffset],
        |_, engine| {
            let t = limit_fixture(engine)?;
            let stmt = select(&t).order_by(t.c("id")).limit(bindparam("l"));
            assert_eq!(rows_with(engine, &stmt, &row! { "l" => 2 })?, ALL[..2]);
            // The same shape with another value: the cached statement takes it.
            assert_eq!(rows_with(engine, &stmt, &row! { "l" => 3 })?, ALL[..3]);
            Ok(())
        },
    );
}

#[test]
fn fetch_limit_offset_bound_offset() {
    run(
        origin("FetchLimitOffsetTest", "test_bound_offset"),
        &[Flag::BoundLimitOffset],
        |_, engine| {
            let t = limit_fixture(engine)?;
            let stmt = select(&t).order_by(t.c("id")).offset(bindparam("o"));
            assert_eq!(rows_with(engine, &stmt, &row! { "o" => 2 })?, ALL[2..]);
            assert_eq!(rows_with(engine, &stmt, &row! { "o" => 1 })?, ALL[1..]);
            Ok(())
        },
    );
}

#[test]
fn fetch_limit_offset_bound_limit_offset() {
    run(
        origin("FetchLimitOffsetTest", "test_bound_limit_offset"),
        &[Flag::BoundLimitOffset],
        |_, engine| {
            let t = limit_fixture(engine)?;
            let stmt = select(&t)
                .order_by(t.c("id"))
                .limit(bindparam("l"))
                .offset(bindparam("o"));
            let got = rows_with(engine, &stmt, &row! { "l" => 2, "o" => 1 })?;
            assert_eq!(got, ALL[1..3]);
            let got = rows_with(engine, &stmt, &row! { "l" => 3, "o" => 2 })?;
            assert_eq!(got, ALL[2..]);
            // A missing value is the usual error, not SQL with a hole.
            let err = rows_with(engine, &stmt, &row! { "l" => 2 }).unwrap_err();
            assert!(
                matches!(&err, athanor::Error::InvalidRequest(m)
                    if m == "a value is required for bind parameter 'o'"),
                "{err:?}"
            );
            Ok(())
        },
    );
}

#[test]
fn fetch_limit_offset_expr_offset() {
    run(
        origin("FetchLimitOffsetTest", "test_expr_offset"),
        &[Flag::SqlExpressionLimitOffset],
        |_, engine| {
            let t = limit_fixture(engine)?;
            let stmt = select(&t).order_by(t.c("id")).offset(sql_sum("1", "2"));
            assert_eq!(rows_of(engine, &stmt)?, ALL[3..]);
            Ok(())
        },
    );
}

#[test]
fn fetch_limit_offset_expr_limit() {
    run(
        origin("FetchLimitOffsetTest", "test_expr_limit"),
        &[Flag::SqlExpressionLimitOffset],
        |_, engine| {
            let t = limit_fixture(engine)?;
            let stmt = select(&t).order_by(t.c("id")).limit(sql_sum("1", "2"));
            assert_eq!(rows_of(engine, &stmt)?, ALL[..3]);
            Ok(())
        },
    );
}

#[test]
fn fetch_limit_offset_expr_limit_offset() {
    run(
        origin("FetchLimitOffsetTest", "test_expr_limit_offset"),
        &[Flag::SqlExpressionLimitOffset],
        |_, engine| {
            let t = limit_fixture(engine)?;
            let stmt = select(&t)
                .order_by(t.c("id"))
                .limit(sql_sum("1", "1"))
                .offset(sql_sum("1", "1"));
            assert_eq!(rows_of(engine, &stmt)?, ALL[2..4]);
            Ok(())
        },
    );
}

#[test]
fn fetch_limit_offset_simple_limit_expr_offset() {
    run(
        origin("FetchLimitOffsetTest", "test_simple_limit_expr_offset"),
        &[Flag::SqlExpressionLimitOffset],
        |_, engine| {
            let t = limit_fixture(engine)?;
            let base = || select(&t).order_by(t.c("id")).offset(sql_sum("1", "1"));
            assert_eq!(rows_of(engine, &base().limit(2))?, ALL[2..4]);
            assert_eq!(rows_of(engine, &base().limit(3))?, ALL[2..]);
            Ok(())
        },
    );
}

#[test]
fn fetch_limit_offset_expr_limit_simple_offset() {
    run(
        origin("FetchLimitOffsetTest", "test_expr_limit_simple_offset"),
        &[Flag::SqlExpressionLimitOffset],
        |_, engine| {
            let t = limit_fixture(engine)?;
            let base = || select(&t).order_by(t.c("id")).limit(sql_sum("1", "1"));
            assert_eq!(rows_of(engine, &base().offset(2))?, ALL[2..4]);
            assert_eq!(rows_of(engine, &base().offset(1))?, ALL[1..3]);
            assert_eq!(rows_of(engine, &base().offset(5))?, NONE);
            Ok(())
        },
    );
}

fn ties() -> FetchOptions {
    FetchOptions {
        with_ties: true,
        ..FetchOptions::default()
    }
}

fn percent(with_ties: bool) -> FetchOptions {
    FetchOptions {
        with_ties,
        percent: true,
    }
}

/// The rows as a set, checking there are no duplicates (the suite's `set_=True`).
fn as_set(rows: Vec<Row3>) -> BTreeSet<Row3> {
    let n = rows.len();
    let set: BTreeSet<Row3> = rows.into_iter().collect();
    assert_eq!(set.len(), n, "duplicate rows");
    set
}

#[test]
fn fetch_limit_offset_simple_fetch() {
    run(
        origin("FetchLimitOffsetTest", "test_simple_fetch"),
        &[Flag::FetchFirst],
        |_, engine| {
            let t = limit_fixture(engine)?;
            let stmt = select(&t).order_by(t.c("id"));
            assert_eq!(rows_of(engine, &stmt.clone().fetch(2))?, ALL[..2]);
            assert_eq!(rows_of(engine, &stmt.fetch(3))?, ALL[..3]);
            Ok(())
        },
    );
}

#[test]
fn fetch_limit_offset_simple_fetch_offset() {
    run(
        origin("FetchLimitOffsetTest", "test_simple_fetch_offset"),
        &[Flag::FetchFirst],
        |_, engine| {
            let t = limit_fixture(engine)?;
            let stmt = select(&t).order_by(t.c("id"));
            assert_eq!(
                rows_of(engine, &stmt.clone().fetch(2).offset(1))?,
                ALL[1..3]
            );
            assert_eq!(rows_of(engine, &stmt.fetch(3).offset(2))?, ALL[2..]);
            Ok(())
        },
    );
}

#[test]
fn fetch_limit_offset_fetch_offset_no_order() {
    run(
        origin("FetchLimitOffsetTest", "test_fetch_offset_no_order"),
        &[Flag::FetchNoOrderBy],
        |_, engine| {
            let t = limit_fixture(engine)?;
            let got = as_set(rows_of(engine, &select(&t).fetch(10))?);
            assert_eq!(got, ALL.into_iter().collect());
            Ok(())
        },
    );
}

#[test]
fn fetch_limit_offset_fetch_offset_nobinds() {
    run(
        origin("FetchLimitOffsetTest", "test_fetch_offset_nobinds"),
        &[Flag::FetchFirst],
        |dialect, engine| {
            let t = limit_fixture(engine)?;
            let stmt = select(&t).order_by(t.c("id")).fetch(2).offset(1);
            let sql = stmt
                .compile_with(engine.dialect(), CompileOptions::literal_binds())?
                .sql()
                .to_string();
            let tail = if dialect == "postgresql" {
                "OFFSET (1) ROWS FETCH FIRST (2) ROWS ONLY"
            } else {
                "OFFSET 1 ROWS FETCH FIRST 2 ROWS ONLY"
            };
            assert!(sql.ends_with(tail), "{sql}");
            assert_eq!(run_printed(engine, &stmt)?, ALL[1..3]);
            Ok(())
        },
    );
}

#[test]
fn fetch_limit_offset_bound_fetch_offset() {
    run(
        origin("FetchLimitOffsetTest", "test_bound_fetch_offset"),
        &[Flag::FetchFirst],
        |_, engine| {
            let t = limit_fixture(engine)?;
            let stmt = select(&t)
                .order_by(t.c("id"))
                .fetch(bindparam("f"))
                .offset(bindparam("o"));
            let got = rows_with(engine, &stmt, &row! { "f" => 2, "o" => 1 })?;
            assert_eq!(got, ALL[1..3]);
            let got = rows_with(engine, &stmt, &row! { "f" => 3, "o" => 2 })?;
            assert_eq!(got, ALL[2..]);
            Ok(())
        },
    );
}

#[test]
fn fetch_limit_offset_expr_fetch_offset() {
    run(
        origin("FetchLimitOffsetTest", "test_expr_fetch_offset"),
        &[Flag::FetchFirst, Flag::FetchExpression],
        |_, engine| {
            let t = limit_fixture(engine)?;
            let stmt = select(&t)
                .order_by(t.c("id"))
                .fetch(sql_sum("1", "1"))
                .offset(sql_sum("1", "1"));
            assert_eq!(rows_of(engine, &stmt)?, ALL[2..4]);
            Ok(())
        },
    );
}

#[test]
fn fetch_limit_offset_simple_fetch_ties() {
    run(
        origin("FetchLimitOffsetTest", "test_simple_fetch_ties"),
        &[Flag::FetchTies],
        |_, engine| {
            let t = limit_fixture(engine)?;
            let stmt = select(&t).order_by(t.c("x").desc());
            let got = as_set(rows_of(engine, &stmt.clone().fetch_with(1, ties()))?);
            assert_eq!(got, ALL[3..].iter().copied().collect());
            let got = as_set(rows_of(engine, &stmt.fetch_with(3, ties()))?);
            assert_eq!(got, ALL[2..].iter().copied().collect());
            Ok(())
        },
    );
}

#[test]
fn fetch_limit_offset_fetch_offset_ties() {
    run(
        origin("FetchLimitOffsetTest", "test_fetch_offset_ties"),
        &[Flag::FetchTies, Flag::FetchOffsetWithOptions],
        |_, engine| {
            let t = limit_fixture(engine)?;
            let stmt = select(&t)
                .order_by(t.c("x"))
                .fetch_with(2, ties())
                .offset(2);
            let got = rows_of(engine, &stmt)?;
            assert_eq!(got.first(), Some(&ALL[2]));
            assert_eq!(as_set(got), ALL[2..].iter().copied().collect());
            Ok(())
        },
    );
}

#[test]
fn fetch_limit_offset_fetch_offset_ties_exact_number() {
    run(
        origin(
            "FetchLimitOffsetTest",
            "test_fetch_offset_ties_exact_number",
        ),
        &[Flag::FetchTies, Flag::FetchOffsetWithOptions],
        |_, engine| {
            let t = limit_fixture(engine)?;
            let stmt = select(&t).order_by(t.c("x"));
            let got = rows_of(engine, &stmt.clone().fetch_with(2, ties()).offset(1))?;
            assert_eq!(got, ALL[1..3]);
            let got = rows_of(engine, &stmt.fetch_with(3, ties()).offset(3))?;
            assert_eq!(got, ALL[3..]);
            Ok(())
        },
    );
}

#[test]
fn fetch_limit_offset_simple_fetch_percent() {
    run(
        origin("FetchLimitOffsetTest", "test_simple_fetch_percent"),
        &[Flag::FetchPercent],
        |_, engine| {
            let t = limit_fixture(engine)?;
            let stmt = select(&t)
                .order_by(t.c("id"))
                .fetch_with(20, percent(false));
            assert_eq!(rows_of(engine, &stmt)?, ALL[..1]);
            Ok(())
        },
    );
}

#[test]
fn fetch_limit_offset_fetch_offset_percent() {
    run(
        origin("FetchLimitOffsetTest", "test_fetch_offset_percent"),
        &[Flag::FetchPercent, Flag::FetchOffsetWithOptions],
        |_, engine| {
            let t = limit_fixture(engine)?;
            let stmt = select(&t)
                .order_by(t.c("id"))
                .fetch_with(40, percent(false))
                .offset(1);
            assert_eq!(rows_of(engine, &stmt)?, ALL[1..3]);
            Ok(())
        },
    );
}

#[test]
fn fetch_limit_offset_simple_fetch_percent_ties() {
    run(
        origin("FetchLimitOffsetTest", "test_simple_fetch_percent_ties"),
        &[Flag::FetchTies, Flag::FetchPercent],
        |_, engine| {
            let t = limit_fixture(engine)?;
            let stmt = select(&t)
                .order_by(t.c("x").desc())
                .fetch_with(20, percent(true));
            let got = as_set(rows_of(engine, &stmt)?);
            assert_eq!(got, ALL[3..].iter().copied().collect());
            Ok(())
        },
    );
}

#[test]
fn fetch_limit_offset_fetch_offset_percent_ties() {
    run(
        origin("FetchLimitOffsetTest", "test_fetch_offset_percent_ties"),
        &[
            Flag::FetchTies,
            Flag::FetchPercent,
            Flag::FetchOffsetWithOptions,
        ],
        |_, engine| {
            let t = limit_fixture(engine)?;
            let stmt = select(&t)
                .order_by(t.c("x"))
                .fetch_with(40, percent(true))
                .offset(2);
            let got = rows_of(engine, &stmt)?;
            assert_eq!(got.first(), Some(&ALL[2]));
            assert_eq!(as_set(got), ALL[2..].iter().copied().collect());
            Ok(())
        },
    );
}
