//! Ported from SQLAlchemy's `test_select.py`, the smaller classes: `DistinctOnTest`,
//! `IsOrIsNotDistinctFromTest`, `WindowFunctionTest`, `CollateTest`, `BitwiseTest`, `ComputedColumnTest`.

use athanor::error::CompileError;
use athanor::prelude::*;
use athanor::schema::Computed;
use athanor::sql::FrameBound;
use athanor::types::Interval;
use athanor::{Engine, Result};

use super::harness::run;
use super::requirements::Flag;
use super::test_select::{origin, some_table};

// ---- DistinctOnTest ----

#[test]
fn distinct_on_distinct_on() {
    run(
        origin("DistinctOnTest", "test_distinct_on"),
        &[],
        |dialect, engine| {
            let md = MetaData::new();
            let foo = Table::build("foo", &md)
                .column(Column::new("q", Type::Integer))
                .finish()?;
            let stmt = select(literal_column("*"))
                .distinct_on(column("q"))
                .select_from(&foo);
            let compiled = stmt.compile(engine.dialect());
            if dialect == "postgresql" {
                // SQLAlchemy expects this test to fail where DISTINCT ON exists.
                assert_eq!(compiled?.sql(), "SELECT DISTINCT ON (q) * FROM foo");
            } else {
                // SQLAlchemy drops the ON with a deprecation warning; Athanor refuses it
                // (compliance/deviations/test_select.md).
                let err = compiled.map(|c| c.sql().to_string()).unwrap_err();
                assert!(
                    matches!(&err, athanor::Error::Compile(e)
                        if matches!(**e, CompileError::Unsupported { .. })),
                    "{err:?}"
                );
            }
            Ok(())
        },
    );
}

// ---- IsOrIsNotDistinctFromTest ----

#[test]
fn is_or_is_not_distinct_from() {
    run(
        origin(
            "IsOrIsNotDistinctFromTest",
            "test_is_or_is_not_distinct_from",
        ),
        &[Flag::SupportsIsDistinctFrom],
        |_, engine| {
            let md = MetaData::new();
            let t = Table::build("is_distinct_test", &md)
                .column(Column::new("id", Type::Integer).primary_key())
                .column(Column::new("col_a", Type::Integer))
                .column(Column::new("col_b", Type::Integer))
                .finish()?;
            md.create_all(engine)?;
            let mut conn = engine.connect()?;
            let cases: [(&str, Option<i64>, Option<i64>, usize); 5] = [
                ("both_int_different", Some(0), Some(1), 1),
                ("both_int_same", Some(1), Some(1), 0),
                ("one_null_first", None, Some(1), 1),
                ("one_null_second", Some(0), None, 1),
                ("both_null", None, None, 0),
            ];
            for (case, a, b, distinct) in cases {
                conn.execute(&t.delete())?;
                conn.execute(
                    &t.insert()
                        .values(row! { "id" => 1, "col_a" => a, "col_b" => b }),
                )?;
                let rows = conn
                    .execute(&select(&t).filter(t.c("col_a").is_distinct_from(t.c("col_b"))))?
                    .all()?;
                assert_eq!(rows.len(), distinct, "{case}: IS DISTINCT FROM");
                let rows = conn
                    .execute(&select(&t).filter(t.c("col_a").is_not_distinct_from(t.c("col_b"))))?
                    .all()?;
                assert_eq!(rows.len(), 1 - distinct, "{case}: IS NOT DISTINCT FROM");
            }
            Ok(())
        },
    );
}

// ---- WindowFunctionTest ----

/// The class's `some_table`: ids 1-49, col1 = id, col2 = id * 5, col3 = id + 0.5.
fn window_fixture(engine: &Engine) -> Result<Table> {
    let rows: Vec<Vec<Value>> = (1..50i64)
        .map(|i| {
            vec![
                Value::Int(i),
                Value::Int(i),
                Value::Int(i * 5),
                Value::Float(i as f64 + 0.5),
            ]
        })
        .collect();
    some_table(
        engine,
        &[
            ("col1", Type::Integer),
            ("col2", Type::Integer),
            ("col3", Type::Float),
        ],
        &rows,
    )
}

#[test]
fn window_window() {
    run(
        origin("WindowFunctionTest", "test_window"),
        &[Flag::WindowFunctions],
        |_, engine| {
            let t = window_fixture(engine)?;
            let w = func::max(t.c("col2")).over(Window::new().order_by(t.c("col1").desc()));
            let got: Vec<(i64,)> = engine
                .connect()?
                .tuples(&select(w).filter(t.c("col1").lt(20)))?;
            assert_eq!(got, vec![(95,); 19]);
            Ok(())
        },
    );
}

#[test]
fn window_window_range() {
    run(
        origin("WindowFunctionTest", "test_window_range"),
        &[Flag::WindowFunctions, Flag::WindowRange],
        |_, engine| {
            let t = window_fixture(engine)?;
            let w = func::max(t.c("col1")).over(
                Window::new()
                    .partition_by(t.c("col2"))
                    .order_by(t.c("col2").asc())
                    .range(Some(0), Some(1)),
            );
            let got: Vec<(i64,)> = engine
                .connect()?
                .tuples(&select(w).filter(t.c("col1").lt(20)))?;
            assert_eq!(got, (1..20).map(|i| (i,)).collect::<Vec<_>>());
            Ok(())
        },
    );
}

#[test]
fn window_rows_between_w_caching() {
    run(
        origin("WindowFunctionTest", "test_window_rows_between_w_caching"),
        &[Flag::WindowFunctions],
        |_, engine| {
            let t = window_fixture(engine)?;
            let mut conn = engine.connect()?;
            // Each frame's bounds are part of its statement: run both three times, so a
            // cached statement of one frame is never reused for the other.
            for _ in 0..3 {
                for ((start, end), want) in [
                    (
                        (5, 20),
                        (105..245)
                            .step_by(5)
                            .map(Some)
                            .chain(std::iter::repeat_n(Some(245), 16))
                            .chain(std::iter::repeat_n(None, 5))
                            .collect::<Vec<Option<i64>>>(),
                    ),
                    (
                        (20, 30),
                        (155..245)
                            .step_by(5)
                            .map(Some)
                            .chain(std::iter::repeat_n(Some(245), 11))
                            .chain(std::iter::repeat_n(None, 20))
                            .collect(),
                    ),
                ] {
                    let w = func::max(t.c("col2")).over(
                        Window::new()
                            .order_by(t.c("col1"))
                            .rows(Some(start), Some(end)),
                    );
                    let got: Vec<(Option<i64>,)> = conn.tuples(&select(w))?;
                    let got: Vec<Option<i64>> = got.into_iter().map(|(v,)| v).collect();
                    assert_eq!(got, want, "ROWS BETWEEN {start} AND {end} FOLLOWING");
                }
            }
            Ok(())
        },
    );
}

// ---- CollateTest ----

#[test]
fn collate_order_by() {
    run(
        origin("CollateTest", "test_collate_order_by"),
        &[Flag::OrderByCollation],
        |dialect, engine| {
            // SQLAlchemy's `get_order_by_collation` per database.
            let collation = match dialect {
                "postgresql" => "POSIX",
                "mysql" => "utf8mb4_bin",
                _ => "NOCASE",
            };
            let t = some_table(
                engine,
                &[("data", Type::String(Some(100)))],
                &[
                    vec![Value::Int(1), Value::from("collate data1")],
                    vec![Value::Int(2), Value::from("collate data2")],
                ],
            )?;
            let stmt = select(&t).order_by(t.c("data").collate(collation).asc());
            let got: Vec<(i64, String)> = engine.connect()?.tuples(&stmt)?;
            assert_eq!(
                got,
                [(1, "collate data1".into()), (2, "collate data2".into())]
            );
            Ok(())
        },
    );
}

// ---- BitwiseTest ----

#[test]
fn bitwise_bitwise() {
    run(
        origin("BitwiseTest", "test_bitwise"),
        &[],
        |dialect, engine| {
            let md = MetaData::new();
            let t = Table::build("bitwise", &md)
                .column(Column::new("a", Type::Integer))
                .column(Column::new("b", Type::Integer))
                .finish()?;
            md.create_all(engine)?;
            engine.connect()?.execute_many_rows(
                &t.insert(),
                &["a", "b"],
                (0..10i64).map(|i| (i, i + 1)),
            )?;
            let a = || t.c("a");
            let cases: [(&str, Expr, Vec<i64>, Flag); 6] = [
                (
                    "xor",
                    a().bitwise_xor(5),
                    (0..10).filter(|i| *i != 5).collect(),
                    Flag::Bitwise,
                ),
                ("or", a().bitwise_or(1), (0..10).collect(), Flag::Bitwise),
                ("and", a().bitwise_and(4), (4..8).collect(), Flag::Bitwise),
                ("not", (a() - 2).bitwise_not(), vec![0], Flag::BitwiseNot),
                (
                    "lshift",
                    a().bitwise_lshift(1),
                    (1..10).collect(),
                    Flag::Bitwise,
                ),
                (
                    "rshift",
                    a().bitwise_rshift(2),
                    (4..10).collect(),
                    Flag::Bitwise,
                ),
            ];
            let mut conn = engine.connect()?;
            for (case, op, want, flag) in cases {
                // Each case is its own test in the suite, with its own requirement.
                if !flag.on(dialect) {
                    eprintln!(
                        "-- {dialect}: case {case} skipped (requires {})",
                        flag.name()
                    );
                    continue;
                }
                let got: Vec<(i64, i64)> =
                    conn.tuples(&select(&t).filter(op.gt(0)).order_by(a()))?;
                let want: Vec<(i64, i64)> = want.into_iter().map(|i| (i, i + 1)).collect();
                assert_eq!(got, want, "case {case}");
            }
            Ok(())
        },
    );
}

// ---- ComputedColumnTest ----

/// `square`: id, side, area = side * side, perimeter = 4 * side (computed), rows with sides
/// 10 and 42.
fn square(engine: &Engine) -> Result<Table> {
    let md = MetaData::new();
    let t = Table::build("square", &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .column(Column::new("side", Type::Integer))
        .column(Column::new("area", Type::Integer).computed(Computed::new("side * side")))
        .column(Column::new("perimeter", Type::Integer).computed(Computed::new("4 * side")))
        .finish()?;
    md.create_all(engine)?;
    engine
        .connect()?
        .execute_many_rows(&t.insert(), &["id", "side"], [(1i64, 10i64), (10, 42)])?;
    Ok(t)
}

#[test]
fn computed_column_select_all() {
    run(
        origin("ComputedColumnTest", "test_select_all"),
        &[Flag::ComputedColumns],
        |_, engine| {
            let t = square(engine)?;
            let stmt = select(literal_column("*"))
                .select_from(&t)
                .order_by(t.c("id"));
            let got: Vec<(i64, i64, i64, i64)> = engine.connect()?.tuples(&stmt)?;
            assert_eq!(got, [(1, 10, 100, 40), (10, 42, 1764, 168)]);
            Ok(())
        },
    );
}

#[test]
fn computed_column_select_columns() {
    run(
        origin("ComputedColumnTest", "test_select_columns"),
        &[Flag::ComputedColumns],
        |_, engine| {
            let t = square(engine)?;
            let stmt = select((t.c("area"), t.c("perimeter"))).order_by(t.c("id"));
            let got: Vec<(i64, i64)> = engine.connect()?.tuples(&stmt)?;
            assert_eq!(got, [(100, 40), (1764, 168)]);
            // A whole-row insert through the table leaves the computed columns out.
            let mut conn = engine.connect()?;
            conn.execute(&t.insert().values(row! { "id" => 3, "side" => 2 }))?;
            let got: Vec<(i64, i64)> =
                conn.tuples(&select((t.c("area"), t.c("perimeter"))).filter(t.c("id").eq(3)))?;
            assert_eq!(got, [(4, 8)]);
            Ok(())
        },
    );
}

#[test]
fn window_window_range_numeric() {
    run(
        origin("WindowFunctionTest", "test_window_range_numeric"),
        &[Flag::WindowFunctions, Flag::WindowRangeNumeric],
        |_, engine| {
            let t = window_fixture(engine)?;
            let w = func::max(t.c("col3")).over(
                Window::new()
                    .partition_by(t.c("col3"))
                    .order_by(t.c("col3").asc())
                    .range_between(
                        FrameBound::Preceding(Value::Float(1.25)),
                        FrameBound::Following(Value::Float(1.25)),
                    ),
            );
            let got: Vec<(f64,)> = engine
                .connect()?
                .tuples(&select(w).filter(t.c("col1").lt(20)))?;
            let want: Vec<(f64,)> = (1..20).map(|i| (i as f64 + 0.5,)).collect();
            assert_eq!(got, want);
            Ok(())
        },
    );
}

#[test]
fn window_window_range_dates() {
    run(
        origin("WindowFunctionTest", "test_window_range_dates"),
        &[Flag::WindowFunctions, Flag::WindowRangeNonNumeric],
        |_, engine| {
            let md = MetaData::new();
            let t = Table::build("range_string", &md)
                .column(Column::new("value", Type::Integer))
                .column(Column::new("oder", Type::Date))
                .finish()?;
            md.create_all(engine)?;
            let day = |d: u32| {
                chrono::NaiveDate::from_ymd_opt(2025, 10, d)
                    .ok_or_else(|| athanor::Error::Argument(format!("2025-10-{d}")))
            };
            engine.connect()?.execute_many_rows(
                &t.insert(),
                &["value", "oder"],
                [
                    (1i64, day(1)?),
                    (2, day(2)?),
                    (3, day(10)?),
                    (4, day(13)?),
                    (5, day(16)?),
                ],
            )?;
            let week = Value::Interval(Interval {
                months: 0,
                days: 7,
                microseconds: 0,
            });
            let w = func::sum(t.c("value")).over(
                Window::new()
                    .order_by(t.c("oder"))
                    .range_between(FrameBound::Preceding(week), FrameBound::CurrentRow),
            );
            let stmt = select(w).order_by(t.c("oder"));
            let got: Vec<(i64,)> = engine.connect()?.tuples(&stmt)?;
            assert_eq!(
                got,
                [(1,), (3,), (3,), (7,), (12,)],
                "{}",
                stmt.compile(engine.dialect())?.sql()
            );
            Ok(())
        },
    );
}
