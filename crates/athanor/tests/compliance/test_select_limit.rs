//! Ported from SQLAlchemy's `test_select.py`, class `FetchLimitOffsetTest`: LIMIT / OFFSET
//! as numbers, bound parameters and SQL expressions, printed with literal binds, and
//! `FETCH FIRST` with its options.

use athanor::compiler::CompileOptions;
use athanor::prelude::*;
use athanor::sql::Select;
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
