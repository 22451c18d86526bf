//! Ported from SQLAlchemy's compliance suite, `test_types.py`: type round trips issue 17
//! listed, on every database.

use athanor::prelude::*;
use athanor::{Error, Result};
use rust_decimal::Decimal;

use super::support::{fresh, on_all};

fn dec(s: &str) -> Result<Decimal> {
    s.parse().map_err(|e| Error::Argument(format!("{s}: {e}")))
}

/// The decimals as text, so the scale counts (`Decimal` equality ignores it: 1 == 1.000).
fn texts(ds: &[Decimal]) -> Vec<String> {
    ds.iter().map(Decimal::to_string).collect()
}

// ported from test_types.py::NumericTest::test_numeric_no_decimal (`_do_test` with
// check_scale): a `Numeric(5, 3)` value 1.000 comes back as the decimal 1.000, scale kept,
// though SQLite stores it as the integer 1. Read every way a column's type reaches a result.
#[test]
fn numeric_no_decimal() {
    on_all(|engine| {
        let md = MetaData::new();
        let t = Table::build("cmp_numeric_no_decimal", &md)
            .column(Column::new("x", Type::Numeric(Some(5), Some(3))))
            .finish()?;
        fresh(engine, &md)?;
        let mut conn = engine.connect()?;
        conn.execute_many(&t.insert(), [row! { "x" => dec("1.000")? }])?;
        conn.execute_with(&t.insert(), &row! { "x" => dec("1.000")? })?;
        conn.execute(&t.insert().values(row! { "x" => 1 }))?;
        let want = ["1.000", "1.000", "1.000"];
        // The table, its column, a subquery's column, a label, a UNION member.
        let all: Vec<Decimal> = conn.scalars(&select(&t))?;
        assert_eq!(texts(&all), want);
        let col: Vec<Decimal> = conn.scalars(&select(t.c("x")))?;
        assert_eq!(texts(&col), want);
        let sq = select(&t).subquery("sq");
        let sub: Vec<Decimal> = conn.scalars(&select(sq.c("x")))?;
        assert_eq!(texts(&sub), want);
        let label: Vec<Decimal> = conn.scalars(&select(t.c("x").label("y")))?;
        assert_eq!(texts(&label), want);
        let union: Vec<Decimal> = conn.scalars(&union_all([select(&t), select(&t)]))?;
        assert_eq!(texts(&union), [want, want].concat());
        // A literal given the type, and a CAST to it.
        let ty = Type::Numeric(Some(5), Some(3));
        let lit: Decimal = conn.scalar(&select(literal(dec("1.000")?).type_coerce(ty.clone())))?;
        assert_eq!(lit.to_string(), "1.000");
        let cast_: Decimal = conn.scalar(&select(cast(literal(dec("1")?), ty)))?;
        assert_eq!(cast_.to_string(), "1.000");
        Ok(())
    });
}
