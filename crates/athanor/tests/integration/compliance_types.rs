//! Ported from SQLAlchemy's compliance suite, `test_types.py`: type round trips issue 17
//! listed, on every database.

use athanor::Error;
use athanor::prelude::*;

use super::support::{fresh, on_all};

const ID: &str = "67e55044-10b1-426f-9247-bb680e5fe0c8";

// ported from test_types.py::UuidTest::test_uuid_round_trip and test_uuid_text_round_trip
// (`Uuid()` and `Uuid(as_uuid=False)`): a `uuid::Uuid` and its text with dashes both bind to
// a `Uuid` column (CHAR(32) hex on MySQL/MariaDB and SQLite, as SQLAlchemy's non-native
// Uuid; UUID on PostgreSQL), come back equal, and find the row in a WHERE.
#[test]
fn uuid_round_trip() {
    on_all(|engine| {
        let md = MetaData::new();
        let t = Table::build("cmp_uuid", &md)
            .column(Column::new("id", Type::Integer).primary_key())
            .column(Column::new("uuid_data", Type::Uuid))
            .finish()?;
        fresh(engine, &md)?;
        let id = uuid::Uuid::parse_str(ID).map_err(|e| Error::Argument(e.to_string()))?;
        let mut conn = engine.connect()?;
        conn.execute(&t.insert().values(row! { "id" => 1, "uuid_data" => id }))?;
        conn.execute(&t.insert().values(row! { "id" => 2, "uuid_data" => ID }))?;
        conn.execute_with(&t.insert(), &row! { "id" => 3, "uuid_data" => ID })?;
        let got: Vec<uuid::Uuid> = conn.scalars(&select(t.c("uuid_data")).order_by(t.c("id")))?;
        assert_eq!(got, [id, id, id]);
        // As text, the value is the UUID's own text with dashes (as_uuid=False).
        let text: Vec<String> = conn.scalars(&select(t.c("uuid_data")).order_by(t.c("id")))?;
        assert_eq!(text, [ID, ID, ID]);
        // Either spelling finds the rows.
        let by_text: Vec<i64> = conn.scalars(
            &select(t.c("id"))
                .filter(t.c("uuid_data").eq(ID))
                .order_by(t.c("id")),
        )?;
        assert_eq!(by_text, [1, 2, 3]);
        let by_uuid: Vec<i64> = conn.scalars(
            &select(t.c("id"))
                .filter(t.c("uuid_data").eq(id))
                .order_by(t.c("id")),
        )?;
        assert_eq!(by_uuid, [1, 2, 3]);
        // UPDATE with the text.
        conn.execute(
            &t.update()
                .values(row! { "uuid_data" => ID })
                .filter(t.c("id").eq(1)),
        )?;
        let got: uuid::Uuid = conn.scalar(&select(t.c("uuid_data")).filter(t.c("id").eq(1)))?;
        assert_eq!(got, id);
        // Text that is no UUID is refused before it is written.
        let bad = conn.execute(
            &t.insert()
                .values(row! { "id" => 4, "uuid_data" => "not-a-uuid" }),
        );
        assert!(matches!(bad, Err(Error::Data(_))), "{bad:?}");
        let n: i64 = conn.scalar(&select(func::count(t.c("id"))))?;
        assert_eq!(n, 3);
        // execute_many's rows bind text the same way; a WHERE with text that is no UUID is
        // refused too.
        conn.execute_many(&t.insert(), [row! { "id" => 5, "uuid_data" => ID }])?;
        let got: uuid::Uuid = conn.scalar(&select(t.c("uuid_data")).filter(t.c("id").eq(5)))?;
        assert_eq!(got, id);
        let bad = conn.execute(&select(t.c("id")).filter(t.c("uuid_data").eq("nope")));
        assert!(matches!(bad, Err(Error::Data(_))), "{bad:?}");
        Ok(())
    });
}
