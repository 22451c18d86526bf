//! Ported from SQLAlchemy's `test_types.py`, `_DateFixture.test_null_bound_comparison` as
//! `DateTest` runs it: a bind parameter typed Date whose value is NULL is sent as a Date
//! (not as an untyped parameter PostgreSQL can't place), and one name used twice is one
//! value. (Moved here from the integration tests; the rest of `test_types.py` is ported
//! beside it.)

use athanor::Error;
use athanor::prelude::*;
use athanor::sql::Select;
use chrono::NaiveDate;

use super::harness::{Origin, run};

/// `CASE WHEN :foo IS NOT NULL THEN :foo ELSE date_data END = date_data`, `foo` typed Date.
fn null_bound_comparison(t: &Table) -> Select {
    let typed_foo = || bindparam("foo").type_coerce(Type::Date);
    select(t.c("id")).filter(
        case([(typed_foo().ne(Value::Null), typed_foo())])
            .else_(t.c("date_data"))
            .eq(t.c("date_data")),
    )
}

#[test]
fn date_null_bound_comparison() {
    run(
        Origin {
            file: "test_types.py",
            class: "DateTest",
            test: "test_null_bound_comparison",
        },
        &[],
        |dialect, engine| {
            let md = MetaData::new();
            let t = Table::build("date_table", &md)
                .column(Column::new("id", Type::Integer).primary_key())
                .column(Column::new("date_data", Type::Date))
                .finish()?;
            md.create_all(engine)?;
            let day =
                NaiveDate::from_ymd_opt(2012, 10, 15).ok_or(Error::Argument("date".into()))?;
            let mut conn = engine.connect()?;
            conn.execute(&t.insert().values(row! { "id" => 1, "date_data" => day }))?;
            let stmt = null_bound_comparison(&t);
            // PostgreSQL: one typed placeholder for both uses; `?` dialects: one per use.
            let sql = stmt.compile(engine.dialect())?.sql().to_string();
            let p = if dialect == "postgresql" {
                "$1::DATE"
            } else {
                "?"
            };
            assert_eq!(
                sql,
                format!(
                    "SELECT date_table.id FROM date_table WHERE CASE WHEN {p} IS NOT NULL \
                     THEN {p} ELSE date_table.date_data END = date_table.date_data"
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
            let other =
                NaiveDate::from_ymd_opt(2012, 10, 16).ok_or(Error::Argument("date".into()))?;
            let got: Vec<i64> = conn
                .execute_with(&stmt, &row! { "foo" => other })?
                .scalars()?;
            assert_eq!(got, Vec::<i64>::new());
            Ok(())
        },
    );
}
