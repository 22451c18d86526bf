//! A float in `text()` or in an IN list keeps its type on every database: PostgreSQL would
//! otherwise type the parameter from its context (`n * $1` with an integer `n` makes `$1` a
//! bigint, and 100.0 would turn the division into integer division).

use athanor::Result;
use athanor::prelude::*;

use super::params::counts;
use super::support::on_all;

/// `text("n * :x / total")` with x = 100.0 or 100.5 is float arithmetic on every database,
/// whether the value is given at execution or bound to the text; an integer given to the same
/// (cached) statement afterwards is an integer again.
#[test]
fn a_float_in_text_keeps_float_arithmetic() {
    on_all(|engine| {
        let (md, _t) = counts(engine, "txp_pct")?;
        let mut conn = engine.connect()?;
        let pct = text("SELECT n * :x / total AS pct FROM txp_pct ORDER BY id");
        let int_division = |conn: &mut Connection| -> Result<()> {
            let v: Vec<Value> = conn.execute_with(&pct, &row! { "x" => 100 })?.scalars()?;
            // Integer division on SQLite and PostgreSQL; MySQL's `/` is always decimal.
            if engine.dialect().name() != "mysql" {
                assert_eq!(v, [Value::Int(37), Value::Int(33), Value::Int(66)]);
            }
            Ok(())
        };
        int_division(&mut conn)?;
        for x in [100.0, 100.5] {
            let want = vec![1234.0 * x / 3333.0, x / 3.0, 2.0 * x / 3.0];
            let got: Vec<f64> = conn.execute_with(&pct, &row! { "x" => x })?.scalars()?;
            assert_eq!(got, want, "x = {x}");
            let got: Vec<f64> = conn.execute(&pct.clone().bind("x", x))?.scalars()?;
            assert_eq!(got, want, "x = {x} bound to the text");
        }
        int_division(&mut conn)?;
        drop(conn);
        md.drop_all(engine)
    });
}

/// A whole float given to `text()` for an integer column is stored as that integer on every
/// database. A fraction is the database's to convert, as it converts a double: PostgreSQL and
/// MariaDB round it half to even (2.5 → 2, 3.5 → 4), SQLite keeps it as a REAL. (`insert()`
/// binds by the column's type instead, and refuses a fraction with `Error::Data`.)
#[test]
fn a_float_in_text_into_an_integer_column() {
    on_all(|engine| {
        let (md, _t) = counts(engine, "txp_ins")?;
        let mut conn = engine.connect()?;
        let ins = text("INSERT INTO txp_ins (id, n) VALUES (:id, :x)");
        for (id, x) in [(10, 100.0), (11, 2.5), (12, 3.5)] {
            conn.execute_with(&ins, &row! { "id" => id, "x" => x })?;
        }
        let n: Vec<Value> = conn
            .execute(&text("SELECT n FROM txp_ins WHERE id >= 10 ORDER BY id"))?
            .scalars()?;
        let fractions = match engine.dialect().name() {
            "sqlite" => [Value::Float(2.5), Value::Float(3.5)],
            _ => [Value::Int(2), Value::Int(4)],
        };
        assert_eq!(n[0], Value::Int(100));
        assert_eq!(n[1..], fractions);
        drop(conn);
        md.drop_all(engine)
    });
}

/// `n IN (1.5, 2)` on an integer column runs everywhere and finds the row with 2, as
/// SQLAlchemy does; `NOT IN` the others.
#[test]
fn a_float_in_an_in_list_keeps_its_type() {
    on_all(|engine| {
        let (md, t) = counts(engine, "txp_in")?;
        let mut conn = engine.connect()?;
        let items = [Value::Float(1.5), Value::Int(2)];
        let ids: Vec<i64> = conn.scalars(
            &select(t.c("id"))
                .filter(t.c("n").in_(items.clone()))
                .order_by(t.c("id")),
        )?;
        assert_eq!(ids, [3]);
        let ids: Vec<i64> = conn.scalars(
            &select(t.c("id"))
                .filter(t.c("n").not_in(items))
                .order_by(t.c("id")),
        )?;
        assert_eq!(ids, [1, 2]);
        // Whole floats match their integers; the cached shape with integers afterwards too.
        let ids: Vec<i64> = conn.scalars(
            &select(t.c("id"))
                .filter(t.c("n").in_([1.0, 1234.0]))
                .order_by(t.c("id")),
        )?;
        assert_eq!(ids, [1, 2]);
        let ids: Vec<i64> = conn.scalars(
            &select(t.c("id"))
                .filter(t.c("n").in_([1, 2]))
                .order_by(t.c("id")),
        )?;
        assert_eq!(ids, [2, 3]);
        drop(conn);
        md.drop_all(engine)
    });
}
