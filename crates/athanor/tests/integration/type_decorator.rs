//! User-defined types (`TypeDecorator`) round-trip on every database: an enum stored as text
//! and a newtype stored as BIGINT, in column definitions, inserts (one row, many by name and
//! by position), typed tuples,
//! comparisons, IN lists, updates and `row.get`, NULL included; a stored value that isn't a
//! valid one fails to read with the column's name.

use athanor::error::ConversionError;
use athanor::prelude::*;
use athanor::sql::Select;
use athanor::{BindValue, Engine, Error, Result};

use super::support::{fresh, on_all};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Status {
    Draft,
    Live,
    Gone,
}

impl TypeDecorator for Status {
    fn sql_type() -> Type {
        Type::String(Some(8))
    }
    fn to_sql(&self) -> Value {
        Value::from(match self {
            Status::Draft => "draft",
            Status::Live => "live",
            Status::Gone => "gone",
        })
    }
    fn from_sql(value: Value) -> std::result::Result<Self, ConversionError> {
        match String::from_value_owned(value)?.as_str() {
            "draft" => Ok(Status::Draft),
            "live" => Ok(Status::Live),
            "gone" => Ok(Status::Gone),
            other => Err(ConversionError::new("Status", "TEXT")
                .with_detail(format!("{other:?} is not a status"))),
        }
    }
}

/// Rows bound by position (`execute_many_rows`) go through `BindValue`: one line each.
impl BindValue for Status {
    fn bind_into(&self, slot: &mut Value) {
        *slot = self.to_sql();
    }
}
impl BindValue for Cents {
    fn bind_into(&self, slot: &mut Value) {
        *slot = self.to_sql();
    }
}

/// Money in cents, stored exactly as a BIGINT.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
struct Cents(i64);

impl TypeDecorator for Cents {
    fn sql_type() -> Type {
        Type::BigInteger
    }
    fn to_sql(&self) -> Value {
        Value::Int(self.0)
    }
    fn from_sql(value: Value) -> std::result::Result<Self, ConversionError> {
        i64::from_value_owned(value).map(Cents)
    }
}

fn table(md: &MetaData) -> Result<Table> {
    Table::build("deco_post", md)
        .column(Column::new("id", Type::Integer).primary_key())
        .column(Column::new("status", Status::sql_type()))
        .column(Column::new("price", Cents::sql_type()).nullable(false))
        .finish()
}

#[test]
fn user_types_round_trip() {
    on_all(|engine: &Engine| {
        let md = MetaData::new();
        let t = table(&md)?;
        fresh(engine, &md)?;
        let mut conn = engine.connect()?;
        conn.execute(&t.insert().values(row! {
            "id" => 1, "status" => Status::Live, "price" => Cents(i64::MAX),
        }))?;
        conn.execute_many(
            &t.insert(),
            [
                (2, Some(Status::Draft), Cents(-5)),
                (3, None, Cents(0)),
                (4, Some(Status::Gone), Cents(1999)),
            ]
            .map(|(id, s, c)| row! { "id" => id, "status" => s, "price" => c }),
        )?;
        conn.execute_many_rows(
            &t.insert(),
            &["id", "status", "price"],
            [(6, Some(Status::Live), Cents(7)), (7, None, Cents(8))],
        )?;
        let typed: Vec<(i64, Option<Status>, Cents)> = conn.tuples(
            &select((t.c("id"), t.c("status"), t.c("price")))
                .filter(t.c("id").ge(6))
                .order_by(t.c("id")),
        )?;
        assert_eq!(
            typed,
            [(6, Some(Status::Live), Cents(7)), (7, None, Cents(8))]
        );
        conn.execute(&t.delete().filter(t.c("id").ge(6)))?;
        let read =
            |conn: &mut Connection, stmt: &Select| -> Result<Vec<(i64, Option<Status>, Cents)>> {
                let mut out = Vec::new();
                for row in conn.execute(stmt)? {
                    out.push((row.get("id")?, row.get("status")?, row.get("price")?));
                }
                Ok(out)
            };
        let all = select(&t).order_by(t.c("id"));
        assert_eq!(
            read(&mut conn, &all)?,
            [
                (1, Some(Status::Live), Cents(i64::MAX)),
                (2, Some(Status::Draft), Cents(-5)),
                (3, None, Cents(0)),
                (4, Some(Status::Gone), Cents(1999)),
            ]
        );
        let live = select(&t).filter(t.c("status").eq(Status::Live));
        assert_eq!(
            read(&mut conn, &live)?,
            [(1, Some(Status::Live), Cents(i64::MAX))]
        );
        let cheap = select(t.c("id"))
            .filter(t.c("price").lt(Cents(2000)))
            .filter(t.c("status").in_([Status::Draft, Status::Gone]))
            .order_by(t.c("id"));
        assert_eq!(conn.execute(&cheap)?.scalars::<i64>()?, [2, 4]);
        conn.execute(
            &t.update()
                .filter(t.c("status").is_null())
                .values(row! { "status" => Status::Gone }),
        )?;
        let gone: Vec<Status> = conn
            .execute(
                &select(t.c("status"))
                    .filter(t.c("status").eq(Status::Gone))
                    .order_by(t.c("id")),
            )?
            .scalars()?;
        assert_eq!(gone, [Status::Gone, Status::Gone]);

        // A stored value that isn't a Status: the error names the column and the value.
        conn.execute(
            &t.insert()
                .values(row! { "id" => 5, "status" => "meh", "price" => 1 }),
        )?;
        let row = conn.execute(&select(&t).filter(t.c("id").eq(5)))?.one()?;
        match row.get::<Status, _>("status") {
            Err(Error::Conversion(e)) => {
                assert_eq!(e.column.as_deref(), Some("status"));
                assert_eq!(e.detail.as_deref(), Some("\"meh\" is not a status"));
            }
            other => panic!("expected a conversion error, got {other:?}"),
        }
        drop(conn);
        md.drop_all(engine)
    });
}
