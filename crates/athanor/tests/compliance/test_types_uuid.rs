//! Ported from SQLAlchemy's `test_types.py`: `UuidTest` and `NativeUUIDTest`. SQLAlchemy's
//! `as_uuid=False` is reading the column as `String` (the UUID's text with dashes) instead of
//! `uuid::Uuid`.

use athanor::prelude::*;
use athanor::{Engine, Error, Result};

use super::harness::run;
use super::requirements::Flag;
use super::test_types::{at, literal_round_trip};

const DATA: &str = "67e55044-10b1-426f-9247-bb680e5fe0c8";

fn data() -> Result<uuid::Uuid> {
    uuid::Uuid::parse_str(DATA).map_err(|e| Error::Argument(e.to_string()))
}

/// `uuid_table` (id, uuid_data, uuid_text_data: `Uuid`; uuid_data_nonnative,
/// uuid_text_data_nonnative: `UuidChar`, SQLAlchemy's `Uuid(native_uuid=False)`).
fn uuid_table(engine: &Engine) -> Result<Table> {
    let md = MetaData::new();
    let t = Table::build("uuid_table", &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .column(Column::new("uuid_data", Type::Uuid))
        .column(Column::new("uuid_text_data", Type::Uuid))
        .column(Column::new("uuid_data_nonnative", Type::UuidChar))
        .column(Column::new("uuid_text_data_nonnative", Type::UuidChar))
        .finish()?;
    md.create_all(engine)?;
    Ok(t)
}

/// The column's values as the database holds them (no result processing): 32 hex digits
/// where UUIDs are CHAR(32), the UUID's text on PostgreSQL.
fn stored(engine: &Engine, table: &str, column: &str) -> Result<Vec<String>> {
    let cast_to = match engine.dialect().name() {
        "postgresql" => "::text",
        _ => "",
    };
    engine.connect()?.scalars(&text(&format!(
        "SELECT {column}{cast_to} FROM {table} WHERE {column} IS NOT NULL"
    )))
}

fn stored_form(engine: &Engine) -> String {
    match engine.dialect().name() {
        "postgresql" => DATA.to_string(),
        _ => DATA.replace('-', ""),
    }
}

/// A `UuidChar` column holds the 32 hex digits everywhere.
fn hex() -> String {
    DATA.replace('-', "")
}

fn uuid_round_trip(engine: &Engine) -> Result<()> {
    let data = data()?;
    let t = uuid_table(engine)?;
    let mut conn = engine.connect()?;
    conn.execute_with(
        &t.insert(),
        &row! { "id" => 1, "uuid_data" => data, "uuid_data_nonnative" => data },
    )?;
    let got: Vec<(uuid::Uuid, uuid::Uuid)> = conn.tuples(
        &select((t.c("uuid_data"), t.c("uuid_data_nonnative")))
            .filter(t.c("uuid_data").eq(data) & t.c("uuid_data_nonnative").eq(data)),
    )?;
    assert_eq!(got, [(data, data)]);
    assert_eq!(
        stored(engine, "uuid_table", "uuid_data_nonnative")?,
        [hex()]
    );
    // In an IN list too, as UUIDs and as their text (with or without dashes).
    let other = uuid::Uuid::from_u128(7);
    let got: Vec<i64> =
        conn.scalars(&select(t.c("id")).filter(t.c("uuid_data").in_([data, other])))?;
    assert_eq!(got, [1]);
    let hex = DATA.replace('-', "");
    for items in [[DATA, "00000000-0000-0000-0000-000000000007"], [&hex, DATA]] {
        let got: Vec<i64> = conn.scalars(&select(t.c("id")).filter(t.c("uuid_data").in_(items)))?;
        assert_eq!(got, [1], "{items:?}");
    }
    let bad = conn.execute(&select(t.c("id")).filter(t.c("uuid_data").in_([DATA, "nope"])));
    assert!(matches!(bad, Err(Error::Data(_))), "{bad:?}");
    assert_eq!(
        stored(engine, "uuid_table", "uuid_data")?,
        [stored_form(engine)]
    );
    Ok(())
}

fn uuid_text_round_trip(engine: &Engine) -> Result<()> {
    let t = uuid_table(engine)?;
    let mut conn = engine.connect()?;
    conn.execute_with(
        &t.insert(),
        &row! { "id" => 1, "uuid_text_data" => DATA, "uuid_text_data_nonnative" => DATA },
    )?;
    let got: Vec<(String, String)> = conn.tuples(
        &select((t.c("uuid_text_data"), t.c("uuid_text_data_nonnative")))
            .filter(t.c("uuid_text_data").eq(DATA) & t.c("uuid_text_data_nonnative").eq(DATA)),
    )?;
    assert_eq!(got, [(DATA.to_string(), DATA.to_string())]);
    assert_eq!(
        stored(engine, "uuid_table", "uuid_text_data_nonnative")?,
        [hex()]
    );
    assert_eq!(
        stored(engine, "uuid_table", "uuid_text_data")?,
        [stored_form(engine)]
    );
    // Text binds the same way through execute_many and an UPDATE; text that is no UUID is
    // refused before it is written, and in a WHERE.
    let id = data()?;
    conn.execute_many(&t.insert(), [row! { "id" => 2, "uuid_data" => DATA }])?;
    conn.execute(
        &t.update()
            .values(row! { "uuid_data" => DATA })
            .filter(t.c("id").eq(1)),
    )?;
    let got: Vec<uuid::Uuid> = conn.scalars(&select(t.c("uuid_data")).order_by(t.c("id")))?;
    assert_eq!(got, [id, id]);
    let bad = conn.execute(
        &t.insert()
            .values(row! { "id" => 4, "uuid_data" => "not-a-uuid" }),
    );
    assert!(matches!(bad, Err(Error::Data(_))), "{bad:?}");
    let bad = conn.execute(&select(t.c("id")).filter(t.c("uuid_data").eq("nope")));
    assert!(matches!(bad, Err(Error::Data(_))), "{bad:?}");
    let n: i64 = conn.scalar(&select(func::count(t.c("id"))))?;
    assert_eq!(n, 2);
    Ok(())
}

fn literal_uuid(engine: &Engine) -> Result<()> {
    let data = data()?;
    literal_round_trip(
        engine,
        Type::Uuid,
        &[Value::from(data)],
        &[data],
        None,
        true,
    )?;
    assert_eq!(stored(engine, "t", "x")?, [stored_form(engine)]);
    Ok(())
}

fn literal_text(engine: &Engine) -> Result<()> {
    literal_round_trip(
        engine,
        Type::Uuid,
        &[Value::from(DATA)],
        &[DATA.to_string()],
        None,
        true,
    )?;
    assert_eq!(stored(engine, "t", "x")?, [stored_form(engine)]);
    Ok(())
}

fn literal_nonnative_uuid(engine: &Engine) -> Result<()> {
    let data = data()?;
    literal_round_trip(
        engine,
        Type::UuidChar,
        &[Value::from(data)],
        &[data],
        None,
        true,
    )?;
    assert_eq!(stored(engine, "t", "x")?, [hex()]);
    Ok(())
}

fn literal_nonnative_text(engine: &Engine) -> Result<()> {
    literal_round_trip(
        engine,
        Type::UuidChar,
        &[Value::from(DATA)],
        &[DATA.to_string()],
        None,
        true,
    )?;
    assert_eq!(stored(engine, "t", "x")?, [hex()]);
    Ok(())
}

fn uuid_returning(engine: &Engine) -> Result<()> {
    let data = data()?;
    let t = uuid_table(engine)?;
    let mut conn = engine.connect()?;
    let r = conn.execute_with(
        &t.insert().returning((
            t.c("uuid_data"),
            t.c("uuid_text_data"),
            t.c("uuid_data_nonnative"),
            t.c("uuid_text_data_nonnative"),
        )),
        &row! {
            "id" => 1,
            "uuid_data" => data,
            "uuid_text_data" => DATA,
            "uuid_data_nonnative" => data,
            "uuid_text_data_nonnative" => DATA,
        },
    )?;
    let got: Vec<(uuid::Uuid, String, uuid::Uuid, String)> = r.tuples()?;
    assert_eq!(got, [(data, DATA.to_string(), data, DATA.to_string())]);
    Ok(())
}

macro_rules! uuid_class {
    ($module:ident, $class:literal, $req:expr) => {
        mod $module {
            use super::*;

            #[test]
            fn uuid_round_trip() {
                run(at($class, "test_uuid_round_trip"), $req, |_, e| {
                    super::uuid_round_trip(e)
                });
            }

            #[test]
            fn uuid_text_round_trip() {
                run(at($class, "test_uuid_text_round_trip"), $req, |_, e| {
                    super::uuid_text_round_trip(e)
                });
            }

            #[test]
            fn literal_uuid() {
                run(at($class, "test_literal_uuid"), $req, |_, e| {
                    super::literal_uuid(e)
                });
            }

            #[test]
            fn literal_text() {
                run(at($class, "test_literal_text"), $req, |_, e| {
                    super::literal_text(e)
                });
            }

            #[test]
            fn literal_nonnative_uuid() {
                run(at($class, "test_literal_nonnative_uuid"), $req, |_, e| {
                    super::literal_nonnative_uuid(e)
                });
            }

            #[test]
            fn literal_nonnative_text() {
                run(at($class, "test_literal_nonnative_text"), $req, |_, e| {
                    super::literal_nonnative_text(e)
                });
            }

            #[test]
            fn uuid_returning() {
                let req = [&$req[..], &[Flag::InsertReturning]].concat();
                run(at($class, "test_uuid_returning"), &req, |_, e| {
                    super::uuid_returning(e)
                });
            }
        }
    };
}

uuid_class!(uuid_test, "UuidTest", &[]);
// SQLAlchemy's `UUID` type: the database's own UUID type (PostgreSQL, MariaDB ≥ 10.7).
// Athanor's `Uuid` is native on PostgreSQL and CHAR(32) on MariaDB, as SQLAlchemy's `Uuid`.
uuid_class!(native_uuid_test, "NativeUUIDTest", &[Flag::UuidDataType]);
