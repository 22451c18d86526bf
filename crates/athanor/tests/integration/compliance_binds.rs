//! Ported from SQLAlchemy's compliance suite: bound parameters issue 17 found Athanor sending
//! wrongly (a typed NULL parameter, one name used twice), on every database.

use athanor::prelude::*;
use athanor::sql::Select;
use athanor::{Engine, Error, Result};
use chrono::NaiveDate;

use super::support::{fresh, on_all};

fn date_table(engine: &Engine, name: &str) -> Result<Table> {
    let md = MetaData::new();
    let t = Table::build(name, &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .column(Column::new("date_data", Type::Date))
        .finish()?;
    fresh(engine, &md)?;
    Ok(t)
}

/// `CASE WHEN :foo IS NOT NULL THEN :foo ELSE date_data END = date_data`, `foo` typed Date.
fn null_bound_comparison(t: &Table) -> Select {
    let typed_foo = || bindparam("foo").type_coerce(Type::Date);
    select(t.c("id")).filter(
        case([(typed_foo().ne(Value::Null), typed_foo())])
            .else_(t.c("date_data"))
            .eq(t.c("date_data")),
    )
}

// ported from test_types.py::_DateFixture::test_null_bound_comparison (DateTest): a
// bindparam typed Date whose value is NULL is sent as a Date, not as an untyped parameter
// PostgreSQL can't place; the one name used twice is one value.
#[test]
fn null_bound_comparison_typed_null() {
    on_all(|engine| {
        let t = date_table(engine, "cmp_null_bound")?;
        let day = NaiveDate::from_ymd_opt(2012, 10, 15).ok_or(Error::Argument("date".into()))?;
        let mut conn = engine.connect()?;
        conn.execute(&t.insert().values(row! { "id" => 1, "date_data" => day }))?;
        let stmt = null_bound_comparison(&t);
        // PostgreSQL: one typed placeholder for both uses; `?` dialects: one slot per use.
        let sql = stmt.compile(engine.dialect())?.sql().to_string();
        let (p1, p2) = match engine.dialect().name() {
            "postgresql" => ("$1::DATE", "$1::DATE"),
            _ => ("?", "?"),
        };
        assert_eq!(
            sql,
            format!(
                "SELECT cmp_null_bound.id FROM cmp_null_bound WHERE CASE WHEN {p1} IS NOT NULL \
                 THEN {p2} ELSE cmp_null_bound.date_data END = cmp_null_bound.date_data"
            )
        );
        let got: Vec<i64> = conn
            .execute_with(&stmt, &row! { "foo" => Value::Null })?
            .scalars()?;
        assert_eq!(got, [1]);
        // A date in `foo` is compared as a date.
        let got: Vec<i64> = conn
            .execute_with(&stmt, &row! { "foo" => day })?
            .scalars()?;
        assert_eq!(got, [1]);
        let other = NaiveDate::from_ymd_opt(2012, 10, 16).ok_or(Error::Argument("date".into()))?;
        let got: Vec<i64> = conn
            .execute_with(&stmt, &row! { "foo" => other })?
            .scalars()?;
        assert_eq!(got, Vec::<i64>::new());
        drop(conn);
        Ok(())
    });
}
