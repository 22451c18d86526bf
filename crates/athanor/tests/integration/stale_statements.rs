//! PostgreSQL prepares each statement once per connection; DDL must not leave those
//! statements stale: DDL through the connection drops its cached statements, and a statement
//! whose result type changed under it (DDL through another connection) is prepared again once.

use athanor::prelude::*;
use athanor::{Engine, Error, Result};

use super::support::{ServerDb, fresh, servers};

/// A private schema on the PostgreSQL server for the calling test, if the server is
/// configured (only PostgreSQL: these are its driver's tests).
fn postgres() -> Option<(Engine, ServerDb)> {
    let test = std::thread::current().name().unwrap_or("test").to_string();
    let test = test.rsplit("::").next().unwrap_or("test").to_string();
    servers::postgres(&test).map(|db| (db.engine.clone(), db))
}

/// `{name}(id INTEGER PK, v INTEGER)` holding (1, 7).
fn table(engine: &Engine, name: &str) -> Result<Table> {
    let md = MetaData::new();
    let t = Table::build(name, &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .column(Column::new("v", Type::Integer))
        .finish()?;
    fresh(engine, &md)?;
    engine
        .connect()?
        .execute(&t.insert().values(row! { "id" => 1, "v" => 7 }))?;
    Ok(t)
}

#[test]
fn ddl_through_the_connection_drops_its_prepared_statements() -> Result<()> {
    let Some((engine, _db)) = postgres() else {
        return Ok(());
    };
    let t = table(&engine, "stale_same")?;
    let mut conn = engine.connect()?;
    let read = select(t.c("v")).order_by(t.c("id"));
    assert_eq!(conn.execute(&read)?.scalars::<Value>()?, [Value::Int(7)]);
    conn.execute(&t.insert().values(row! { "id" => 2, "v" => 8 }))?;

    conn.exec_driver_sql("ALTER TABLE stale_same ALTER COLUMN v TYPE text")?;
    // The same SQL again: the result column is text now, and so is the INSERT's parameter.
    assert_eq!(
        conn.execute(&read)?.scalars::<Value>()?,
        [Value::Text("7".into()), Value::Text("8".into())]
    );
    conn.execute(&t.insert().values(row! { "id" => 3, "v" => "nine" }))?;
    assert_eq!(
        conn.execute(&read)?.scalars::<String>()?,
        ["7", "8", "nine"]
    );

    // DDL through execute(text(...)) too, and a table dropped and created again.
    conn.execute(&text("DROP TABLE stale_same"))?;
    conn.execute(&text(
        "CREATE TABLE stale_same (id INTEGER PRIMARY KEY, v DOUBLE PRECISION)",
    ))?;
    conn.execute(&t.insert().values(row! { "id" => 1, "v" => 2.5 }))?;
    assert_eq!(
        conn.execute(&read)?.scalars::<Value>()?,
        [Value::Float(2.5)]
    );
    Ok(())
}

#[test]
fn a_statement_stale_from_another_connections_ddl_is_prepared_again() -> Result<()> {
    let Some((engine, _db)) = postgres() else {
        return Ok(());
    };
    let t = table(&engine, "stale_other")?;
    let mut conn = engine.connect()?;
    let mut other = engine.connect()?;
    let read = select((t.c("id"), t.c("v"))).order_by(t.c("id"));
    assert_eq!(
        conn.execute(&read)?.tuples::<(i64, Value)>()?,
        [(1, Value::Int(7))]
    );

    other.exec_driver_sql("ALTER TABLE stale_other ALTER COLUMN v TYPE bigint")?;
    other.execute(&text("INSERT INTO stale_other VALUES (2, 5000000000)"))?;
    assert_eq!(
        conn.execute(&read)?.tuples::<(i64, Value)>()?,
        [(1, Value::Int(7)), (2, Value::Int(5_000_000_000))]
    );

    other.exec_driver_sql(
        "DROP TABLE stale_other; CREATE TABLE stale_other (id INTEGER PRIMARY KEY, v TEXT); \
         INSERT INTO stale_other VALUES (1, 'one')",
    )?;
    assert_eq!(
        conn.execute(&read)?.tuples::<(i64, Value)>()?,
        [(1, Value::Text("one".into()))]
    );

    // Inside a transaction the failed statement has aborted it: no retry, but an error that
    // says what happened; after the rollback the statement works again.
    other.exec_driver_sql("ALTER TABLE stale_other ALTER COLUMN v TYPE varchar(10)")?;
    other.exec_driver_sql("ALTER TABLE stale_other ALTER COLUMN id TYPE bigint")?;
    {
        let mut tx = conn.begin()?;
        let err = tx.execute(&read).expect_err("stale inside a transaction");
        assert!(matches!(err, Error::Programming(_)), "{err:?}");
        assert!(err.to_string().contains("roll back"), "{err}");
        tx.rollback()?;
    }
    assert_eq!(
        conn.execute(&read)?.tuples::<(i64, String)>()?,
        [(1, "one".to_string())]
    );
    Ok(())
}
