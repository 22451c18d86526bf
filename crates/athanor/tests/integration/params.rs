//! Bound values keep their type: a float literal in an expression stays a float (PostgreSQL
//! would otherwise type the parameter from the other operand), and a value that can't reach a
//! parameter's type exactly fails with `Error::Data` instead of being clamped or rounded.

use athanor::prelude::*;
use athanor::{Engine, Error, Result};

use super::support::{fresh, on_all};

/// `{name}(id, n, total)` with rows (1, 1234, 3333), (2, 1, 3), (3, 2, 3).
pub(crate) fn counts(engine: &Engine, name: &str) -> Result<(MetaData, Table)> {
    let md = MetaData::new();
    let t = Table::build(name, &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .column(Column::new("n", Type::Integer))
        .column(Column::new("total", Type::BigInteger))
        .finish()?;
    fresh(engine, &md)?;
    engine.connect()?.execute(&t.insert().values_many([
        row! { "id" => 1, "n" => 1234, "total" => 3333 },
        row! { "id" => 2, "n" => 1, "total" => 3 },
        row! { "id" => 3, "n" => 2, "total" => 3 },
    ]))?;
    Ok((md, t))
}

/// `n * 100.0 / total` is float arithmetic on every database: 37.02370237..., not 37.
#[test]
fn a_whole_float_literal_keeps_float_arithmetic() {
    on_all(|engine| {
        let (md, t) = counts(engine, "par_pct")?;
        let pct: Vec<f64> = engine
            .connect()?
            .scalars(&select((t.c("n") * 100.0 / t.c("total")).label("pct")).order_by(t.c("id")))?;
        assert_eq!(
            pct,
            vec![1234.0 * 100.0 / 3333.0, 100.0 / 3.0, 200.0 / 3.0],
            "{}",
            engine.dialect().name()
        );
        md.drop_all(engine)
    });
}

/// `n > 1.5` on an integer column compares with 1.5, not with 1 or 2 and not an error.
#[test]
fn an_integer_column_compares_with_a_fraction() {
    on_all(|engine| {
        let (md, t) = counts(engine, "par_cmp")?;
        let ids: Vec<i64> = engine.connect()?.scalars(
            &select(t.c("id"))
                .filter(t.c("n").gt(1.5))
                .order_by(t.c("id")),
        )?;
        assert_eq!(ids, vec![1, 3]);
        let ids: Vec<i64> = engine.connect()?.scalars(
            &select(t.c("id"))
                .filter(t.c("n").le(2.0) & t.c("n").ne(1.0))
                .order_by(t.c("id")),
        )?;
        assert_eq!(ids, vec![3]);
        md.drop_all(engine)
    });
}

/// On PostgreSQL a float into an integer column arrives exactly (a whole number in range) or
/// fails with `Error::Data`: never rounded, never clamped to the type's bounds.
#[test]
fn postgresql_refuses_floats_that_do_not_fit_an_integer_column() {
    on_all(|engine| {
        if engine.dialect().name() != "postgresql" {
            return Ok(());
        }
        let (md, t) = counts(engine, "par_float_int")?;
        let mut conn = engine.connect()?;
        conn.execute(
            &t.insert()
                .values(row! { "id" => 10, "n" => 7.0, "total" => -8.0 }),
        )?;
        let row: (i64, i64) = conn
            .execute(&select((t.c("n"), t.c("total"))).filter(t.c("id").eq(10)))?
            .one()?
            .to()?;
        assert_eq!(row, (7, -8));
        for (col, v) in [
            ("total", 1e20),
            ("total", -1e19),
            ("total", 9_223_372_036_854_775_808.0),
            ("n", 2.5),
            ("n", 3e9),
            ("total", f64::NAN),
            ("total", f64::INFINITY),
        ] {
            let err = conn
                .execute(&t.insert().values(Values::new().set("id", 11).set(col, v)))
                .expect_err("a float that does not fit");
            assert!(matches!(err, Error::Data(_)), "{col} = {v}: {err:?}");
            assert!(err.to_string().contains("FLOAT"), "{err}");
        }
        let stored: Vec<i64> = conn.scalars(&select(t.c("id")).order_by(t.c("id")))?;
        assert_eq!(stored, vec![1, 2, 3, 10]);
        drop(conn);
        md.drop_all(engine)
    });
}

/// On PostgreSQL integers arrive exactly: into a smaller integer column, a float column
/// (above 2^53 a double can't hold every integer) or a bool, out of range is `Error::Data`.
#[test]
fn postgresql_refuses_integers_that_do_not_fit() {
    on_all(|engine| {
        if engine.dialect().name() != "postgresql" {
            return Ok(());
        }
        let md = MetaData::new();
        let t = Table::build("par_int_fit", &md)
            .column(Column::new("id", Type::Integer).primary_key())
            .column(Column::new("small", Type::SmallInteger))
            .column(Column::new("real", Type::Float))
            .column(Column::new("flag", Type::Boolean))
            .column(Column::new("blob", Type::LargeBinary))
            .finish()?;
        fresh(engine, &md)?;
        let mut conn = engine.connect()?;
        conn.execute(&t.insert().values(
            row! { "id" => 1, "small" => -32768, "real" => 9_007_199_254_740_992i64, "flag" => 1 },
        ))?;
        let row: (i64, f64, bool) = conn
            .execute(&select((t.c("small"), t.c("real"), t.c("flag"))))?
            .one()?
            .to()?;
        assert_eq!(row, (-32768, 9_007_199_254_740_992.0, true));
        for (col, v) in [
            ("small", 40_000i64),
            ("small", -32_769),
            ("real", 9_007_199_254_740_993),
            ("flag", 2),
            ("blob", 5),
        ] {
            let err = conn
                .execute(&t.insert().values(Values::new().set("id", 2).set(col, v)))
                .expect_err("an integer that does not fit");
            assert!(matches!(err, Error::Data(_)), "{col} = {v}: {err:?}");
        }
        let err = conn
            .execute(&t.insert().values(row! { "id" => 2, "small" => "12x" }))
            .expect_err("text that is no integer");
        assert!(matches!(err, Error::Data(_)), "{err:?}");
        drop(conn);
        md.drop_all(engine)
    });
}

/// On PostgreSQL text and floats reach a NUMERIC column exactly as written (the server parses
/// them: `0.1` is 0.1, 32 places stay 32 places), text out of a float's range is refused rather
/// than stored as infinity, and a date beyond PostgreSQL's range is `Error::Data`.
#[test]
fn postgresql_parses_numbers_and_dates_exactly() {
    on_all(|engine| {
        if engine.dialect().name() != "postgresql" {
            return Ok(());
        }
        let md = MetaData::new();
        let t = Table::build("par_exact", &md)
            .column(Column::new("id", Type::Integer).primary_key())
            .column(Column::new("num", Type::Numeric(Some(40), Some(32))))
            .column(Column::new("real", Type::Float))
            .column(Column::new("day", Type::Date))
            .column(Column::new("note", Type::Text))
            .finish()?;
        fresh(engine, &md)?;
        let mut conn = engine.connect()?;
        let long = "12345678.12345678901234567890123456789012";
        conn.execute(&t.insert().values_many([
            row! { "id" => 1, "num" => 0.1, "real" => None::<f64>, "note" => true },
            row! { "id" => 2, "num" => long, "real" => None::<f64>, "note" => 7 },
            row! { "id" => 3, "num" => 1e-7, "real" => "1e300", "note" => 0.5 },
        ]))?;
        let nums: Vec<String> =
            conn.scalars(&text("SELECT num::text FROM par_exact ORDER BY id"))?;
        assert_eq!(
            nums,
            [
                "0.10000000000000000000000000000000",
                long,
                "0.00000010000000000000000000000000",
            ]
        );
        // Into text, as PostgreSQL prints each.
        let notes: Vec<String> = conn.scalars(&select(t.c("note")).order_by(t.c("id")))?;
        assert_eq!(notes, ["true", "7", "0.5"]);
        for (col, v) in [
            ("real", Value::from("1e400")),
            ("real", Value::from("-1e999")),
            ("num", Value::from(f64::INFINITY)),
            (
                "day",
                Value::Date(chrono::NaiveDate::from_ymd_opt(-5000, 1, 1).expect("date")),
            ),
        ] {
            let err = conn
                .execute(
                    &t.insert()
                        .values(Values::new().set("id", 4).set(col, v.clone())),
                )
                .expect_err("out of range");
            assert!(matches!(err, Error::Data(_)), "{col} = {v}: {err:?}");
        }
        drop(conn);
        md.drop_all(engine)
    });
}
