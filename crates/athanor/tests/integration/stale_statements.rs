//! Every driver prepares each statement once per connection, and the engine compiles each
//! shape once: DDL must not leave either stale. On every database a statement run once, then
//! run again after ALTER TABLE (a column added, a column's type changed) or after its table was
//! dropped and created again, returns the new rows, on the same pooled connection and through
//! another. On PostgreSQL, DDL through the connection drops its cached statements, and a
//! statement whose result type changed under it (DDL through another connection) is prepared
//! again once.

use athanor::prelude::*;
use athanor::{Engine, Error, Result};

use super::support::{ServerDb, fresh, on_all, servers};

/// A private schema on the PostgreSQL server for the calling test, if the server is
/// configured (only PostgreSQL: these are its driver's tests).
fn postgres() -> Option<(Engine, ServerDb)> {
    let test = std::thread::current().name().unwrap_or("test").to_string();
    let test = test.rsplit("::").next().unwrap_or("test").to_string();
    servers::postgres(&test).map(|db| (db.engine.clone(), db))
}

/// `{name}(id INTEGER PK, v <ty>)` as declared after the table was changed behind the first
/// Table's back: its INSERT is the same SQL (so the same prepared statement), and its values
/// are checked against the column as it is now.
fn declared_now(name: &str, ty: Type) -> Result<Table> {
    Table::build(name, &MetaData::new())
        .column(Column::new("id", Type::Integer).primary_key())
        .column(Column::new("v", ty))
        .finish()
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
    let now = declared_now("stale_same", Type::Double)?;
    conn.execute(&now.insert().values(row! { "id" => 1, "v" => 2.5 }))?;
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

/// Two engines on one database: one with a pool of a single connection (so "the same pooled
/// connection" is certain), and one for other connections. SQLite uses a file (an in-memory
/// database is a single connection).
fn two_engines(
    engine: &Engine,
    name: &str,
) -> Result<(Engine, Engine, Option<std::path::PathBuf>)> {
    let opts = || {
        EngineOptions::new()
            .pool_size(1)
            .max_overflow(0)
            .pool_timeout_secs(5.0)
    };
    if engine.dialect().name() == "sqlite" {
        let path = std::env::temp_dir().join(format!("athanor_{name}_{}.db", std::process::id()));
        let _ = std::fs::remove_file(&path);
        let url = format!("sqlite:///{}", path.display());
        return Ok((
            create_engine_with(&url, opts())?,
            create_engine(&url)?,
            Some(path),
        ));
    }
    let url = engine.url().render(false);
    Ok((create_engine_with(&url, opts())?, engine.clone(), None))
}

/// Rows as values, and the result's column names.
fn read(conn: &mut Connection, stmt: &impl Executable) -> Result<(Vec<String>, Vec<Vec<Value>>)> {
    let rows = conn.execute(stmt)?.all()?;
    let names = rows
        .first()
        .map(|r| r.columns().to_vec())
        .unwrap_or_default();
    Ok((names, rows.into_iter().map(Row::into_values).collect()))
}

fn names(n: &[&str]) -> Vec<String> {
    n.iter().map(|s| s.to_string()).collect()
}

#[test]
fn a_cached_statement_sees_ddl_on_every_database() {
    on_all(|engine| {
        let (small, big, file) = two_engines(engine, "ddl_cache")?;
        let t = table(&small, "ddl_cache")?;
        let dialect = small.dialect().name();
        let by_id = select((t.c("id"), t.c("v"))).order_by(t.c("id"));
        let star = text("SELECT * FROM ddl_cache ORDER BY id");
        let filtered = select(t.c("v")).filter(t.c("id").in_([1, 2]));
        let mut conn = small.connect()?;
        let mut other = big.connect()?;
        // Warm: the shapes compiled, the statements prepared on both connections.
        let insert = |id: i64, v: Value| t.insert().values(row! { "id" => id, "v" => v });
        conn.execute(&insert(2, Value::Int(8)))?;
        other.execute(&insert(3, Value::Int(9)))?;
        conn.execute(&text("DELETE FROM ddl_cache WHERE id > 1"))?;
        for c in [&mut conn, &mut other] {
            assert_eq!(read(c, &by_id)?.1, [[Value::Int(1), Value::Int(7)]]);
            assert_eq!(read(c, &star)?.0, names(&["id", "v"]));
            assert_eq!(read(c, &filtered)?.1, [[Value::Int(7)]]);
        }

        // A column added through the same connection: `*` has three columns now.
        conn.execute(&text("ALTER TABLE ddl_cache ADD COLUMN w INTEGER"))?;
        conn.execute(&text("UPDATE ddl_cache SET w = 9"))?;
        for c in [&mut conn, &mut other] {
            assert_eq!(
                read(c, &star)?,
                (
                    names(&["id", "v", "w"]),
                    vec![vec![Value::Int(1), Value::Int(7), Value::Int(9)]]
                )
            );
            assert_eq!(read(c, &by_id)?.1, [[Value::Int(1), Value::Int(7)]]);
        }

        // A column's type changed through the other connection (SQLite has no ALTER COLUMN).
        let alter = match dialect {
            "postgresql" => Some("ALTER TABLE ddl_cache ALTER COLUMN v TYPE VARCHAR(20)"),
            "mysql" => Some("ALTER TABLE ddl_cache MODIFY v VARCHAR(20)"),
            _ => None,
        };
        if let Some(alter) = alter {
            other.execute(&text(alter))?;
            other.execute(&text("UPDATE ddl_cache SET v = 'seven'"))?;
            for c in [&mut conn, &mut other] {
                assert_eq!(
                    read(c, &by_id)?.1,
                    [[Value::Int(1), Value::Text("seven".into())]]
                );
                assert_eq!(read(c, &filtered)?.1, [[Value::Text("seven".into())]]);
            }
        }

        // The table dropped and created again through the other connection, with new types
        // and a column fewer: the same statements read the new table.
        other.execute(&text("DROP TABLE ddl_cache"))?;
        other.execute(&text(
            "CREATE TABLE ddl_cache (id INTEGER PRIMARY KEY, v DOUBLE PRECISION)",
        ))?;
        other.execute(&text("INSERT INTO ddl_cache (id, v) VALUES (2, 2.5)"))?;
        // The warm INSERT's parameter is a double now.
        let now = declared_now("ddl_cache", Type::Double)?;
        let insert = |id: i64, v: Value| now.insert().values(row! { "id" => id, "v" => v });
        conn.execute(&insert(3, Value::Float(3.5)))?;
        other.execute(&insert(4, Value::Float(4.5)))?;
        other.execute(&text("DELETE FROM ddl_cache WHERE id > 2"))?;
        for c in [&mut conn, &mut other] {
            assert_eq!(read(c, &by_id)?.1, [[Value::Int(2), Value::Float(2.5)]]);
            assert_eq!(
                read(c, &star)?,
                (
                    names(&["id", "v"]),
                    vec![vec![Value::Int(2), Value::Float(2.5)]]
                )
            );
            assert_eq!(read(c, &filtered)?.1, [[Value::Float(2.5)]]);
        }
        // A column added through the other connection.
        other.execute(&text("ALTER TABLE ddl_cache ADD COLUMN x VARCHAR(5)"))?;
        for c in [&mut conn, &mut other] {
            assert_eq!(
                read(c, &star)?,
                (
                    names(&["id", "v", "x"]),
                    vec![vec![Value::Int(2), Value::Float(2.5), Value::Null]]
                )
            );
        }
        // The pool's single connection again, after it went back to the pool.
        drop(conn);
        let mut again = small.connect()?;
        assert_eq!(
            read(&mut again, &by_id)?.1,
            [[Value::Int(2), Value::Float(2.5)]]
        );
        drop(again);
        drop(other);
        let md = MetaData::new();
        Table::build("ddl_cache", &md)
            .column(Column::new("id", Type::Integer))
            .finish()?;
        md.drop_all(&small)?;
        if let Some(path) = file {
            drop((small, big));
            let _ = std::fs::remove_file(path);
        }
        Ok(())
    });
}
