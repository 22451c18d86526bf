//! Statement timeouts (per engine and per connection) and SQLite's busy timeout: a statement
//! past its limit fails with `Error::Timeout` on every database, the connection stays usable,
//! and a connection's own limit is undone when it goes back to the pool.
//!
//! Timing bounds are generous (a 200 ms limit must fail within 4 s, and not before half of
//! it): the limit is the feature, not the scheduler's precision. 4 s still tells a stopped
//! statement from one that ran to its end (`slow` runs 5 s or more), and leaves room for a
//! machine busy compiling (CI beside other builds once took over 2 s to deliver the error).

use std::time::{Duration, Instant};

use athanor::prelude::*;
use athanor::{Connection, Engine, Error, Result};

use super::support::{TempFile, engines};

const LIMIT: Duration = Duration::from_millis(200);

/// Runs `body(dialect, url)` on every database with a URL of its own private database
/// (in-memory SQLite: a new database per engine made from it).
#[track_caller]
fn on_all_urls(body: fn(&str, &str) -> Result<()>) {
    for (name, engine, _guard) in engines() {
        eprintln!("-- on {name}");
        let url = if name == "sqlite" {
            "sqlite://".to_string()
        } else {
            engine.url().render(false)
        };
        if let Err(e) = body(name, &url) {
            panic!("[{name}] test body failed: {e}");
        }
    }
}

/// `url` with `pair` added to its query.
fn with_query(url: &str, pair: &str) -> String {
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}{pair}")
}

fn single(url: &str) -> Result<Engine> {
    create_engine_with(
        url,
        EngineOptions::new().pool_size(1).pool_timeout_secs(5.0),
    )
}

/// A statement that runs for seconds (5 s; SQLite counts to 3e7, 10 s or so) unless stopped. On MariaDB it
/// computes (SLEEP() and BENCHMARK() stopped by `max_statement_time` may return a value
/// instead of failing): a three-way cross join of `information_schema.columns`.
fn slow(dialect: &str) -> &'static str {
    match dialect {
        "postgresql" => "SELECT pg_sleep(5)",
        "mysql" => {
            "SELECT count(*) FROM information_schema.columns a, information_schema.columns b, information_schema.columns c"
        }
        _ => {
            "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 30000000) SELECT count(*) FROM c"
        }
    }
}

/// A statement that does a little real work, well under the limit.
fn quick(dialect: &str) -> &'static str {
    match dialect {
        "postgresql" => "SELECT count(*) FROM pg_sleep(0.01), generate_series(1, 1000)",
        "mysql" => "SELECT count(*) FROM information_schema.columns",
        _ => {
            "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 10000) SELECT count(*) FROM c"
        }
    }
}

/// What each database's timeout message says.
fn says(dialect: &str) -> &'static str {
    match dialect {
        "postgresql" => "canceling statement due to statement timeout",
        "mysql" => "max_statement_time exceeded",
        _ => "statement timeout of 200 ms exceeded",
    }
}

/// Runs `sql` and checks that it fails with `Error::Timeout` saying `says`, after at least
/// half of `limit` and within twenty times it (under the 5 s `slow` takes to finish).
#[track_caller]
fn assert_times_out(conn: &mut Connection, sql: &str, limit: Duration, says: &str) {
    let start = Instant::now();
    let r = conn.execute(&text(sql));
    let took = start.elapsed();
    match r {
        Err(Error::Timeout(d)) => {
            assert!(d.message.contains(says), "{}", d.message);
            assert_eq!(d.sql.as_deref(), Some(sql), "the error names the statement");
        }
        Err(other) => panic!("expected Error::Timeout, got {other:?}"),
        Ok(_) => panic!("{sql} ran to the end in {took:?} despite a limit of {limit:?}"),
    }
    assert!(took >= limit / 2, "failed after {took:?}, before its limit");
    assert!(
        took < limit * 20,
        "took {took:?} to stop at a limit of {limit:?}"
    );
}

/// The statement timeout the database itself reports for the connection, in milliseconds
/// (SQLite has no setting to ask: `None`).
fn server_limit_ms(conn: &mut Connection) -> Result<Option<f64>> {
    Ok(match conn.engine().dialect().name() {
        "postgresql" => {
            // Reported with its unit ("250ms", "1500ms", "0").
            let shown: String =
                conn.scalar(&text("SELECT current_setting('statement_timeout')"))?;
            let ms: f64 = match shown.strip_suffix("ms") {
                Some(n) => n.parse().map_err(|_| Error::argument(shown.clone()))?,
                None if shown.ends_with('s') => {
                    shown[..shown.len() - 1]
                        .parse::<f64>()
                        .map_err(|_| Error::argument(shown.clone()))?
                        * 1000.0
                }
                None => shown.parse().map_err(|_| Error::argument(shown.clone()))?,
            };
            Some(ms)
        }
        "mysql" => {
            let secs: f64 = conn.scalar(&text("SELECT @@SESSION.max_statement_time"))?;
            Some(secs * 1000.0)
        }
        _ => None,
    })
}

/// The server's id of the connection, to tell a pooled connection from a new one.
fn backend_id(conn: &mut Connection) -> Result<i64> {
    match conn.engine().dialect().name() {
        "postgresql" => conn.scalar(&text("SELECT pg_backend_pid()::bigint")),
        "mysql" => conn.scalar(&text("SELECT CONNECTION_ID()")),
        // One file-less database per engine, one connection in the pool: the id of this
        // connection's handle is not visible, so any connection counts as the same.
        _ => Ok(0),
    }
}

#[test]
fn a_statement_past_its_limit_is_a_timeout_and_the_connection_goes_on() {
    on_all_urls(|dialect, url| {
        let engine = single(url)?;
        let mut conn = engine.connect()?;
        conn.set_statement_timeout(Some(LIMIT))?;
        assert_eq!(conn.statement_timeout(), Some(LIMIT));
        // Under the limit: unaffected.
        conn.execute(&text(quick(dialect)))?;
        assert_times_out(&mut conn, slow(dialect), LIMIT, says(dialect));
        // The connection is usable afterwards, and the limit still holds.
        assert_eq!(conn.scalar::<i64, _>(&text("SELECT 1"))?, 1);
        assert_times_out(&mut conn, slow(dialect), LIMIT, says(dialect));
        // No limit: the quick statement, and the connection, as before.
        conn.set_statement_timeout(None)?;
        assert_eq!(conn.statement_timeout(), None);
        conn.execute(&text(quick(dialect)))?;
        Ok(())
    });
}

#[test]
fn a_timeout_inside_a_transaction() {
    on_all_urls(|dialect, url| {
        let engine = single(url)?;
        let mut conn = engine.connect()?;
        conn.exec_driver_sql("DROP TABLE IF EXISTS to_tx")?;
        conn.exec_driver_sql("CREATE TABLE to_tx (x INTEGER)")?;
        conn.set_statement_timeout(Some(LIMIT))?;
        let mut tx = conn.begin()?;
        tx.execute(&text("INSERT INTO to_tx VALUES (1)"))?;
        assert_times_out(&mut tx, slow(dialect), LIMIT, says(dialect));
        // The limit can't change inside a transaction (a rollback would undo it on
        // PostgreSQL).
        match tx.set_statement_timeout(None) {
            Err(Error::InvalidRequest(m)) => assert!(m.contains("before begin()"), "{m}"),
            other => panic!("expected InvalidRequest, got {other:?}"),
        }
        if dialect == "postgresql" {
            // PostgreSQL aborts the transaction: commit says so and rolls back.
            match tx.commit() {
                Err(Error::InvalidRequest(m)) => {
                    assert!(m.contains("statement timeout"), "{m}")
                }
                other => panic!("expected InvalidRequest, got {other:?}"),
            }
            assert_eq!(
                conn.scalar::<i64, _>(&text("SELECT count(*) FROM to_tx"))?,
                0
            );
        } else {
            // MariaDB and SQLite (for a read) fail the statement alone: the transaction
            // goes on.
            tx.execute(&text("INSERT INTO to_tx VALUES (2)"))?;
            tx.commit()?;
            assert_eq!(
                conn.scalar::<i64, _>(&text("SELECT count(*) FROM to_tx"))?,
                2
            );
        }
        assert_eq!(conn.statement_timeout(), Some(LIMIT));
        Ok(())
    });
}

/// SQLite rolls back the whole transaction when it interrupts a write: the message and the
/// commit say so, and the rollback that follows doesn't fail.
#[test]
fn sqlite_an_interrupted_write_rolls_its_transaction_back() -> Result<()> {
    let engine = create_engine("sqlite://")?;
    let mut conn = engine.connect()?;
    conn.execute(&text("CREATE TABLE w (x INTEGER)"))?;
    conn.set_statement_timeout(Some(LIMIT))?;
    let slow_insert = "INSERT INTO w WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 30000000) SELECT n FROM c";
    {
        let mut tx = conn.begin()?;
        tx.execute(&text("INSERT INTO w VALUES (-1)"))?;
        assert_times_out(
            &mut tx,
            slow_insert,
            LIMIT,
            "statement timeout of 200 ms exceeded; SQLite rolled back the whole transaction",
        );
        match tx.commit() {
            Err(Error::InvalidRequest(m)) => assert!(m.contains("rolled back"), "{m}"),
            other => panic!("expected InvalidRequest, got {other:?}"),
        }
    }
    {
        let mut tx = conn.begin()?;
        tx.execute(&text("INSERT INTO w VALUES (-2)"))?;
        assert!(matches!(
            tx.execute(&text(slow_insert)),
            Err(Error::Timeout(_))
        ));
        tx.rollback()?;
    }
    assert_eq!(conn.scalar::<i64, _>(&text("SELECT count(*) FROM w"))?, 0);
    // Outside a transaction the interrupted INSERT undoes itself alone.
    conn.execute(&text("INSERT INTO w VALUES (1)"))?;
    assert!(matches!(
        conn.execute(&text(slow_insert)),
        Err(Error::Timeout(_))
    ));
    assert_eq!(conn.scalar::<i64, _>(&text("SELECT count(*) FROM w"))?, 1);
    Ok(())
}

#[test]
fn the_engines_limit_holds_on_every_connection_and_a_connections_own_is_undone_on_return() {
    on_all_urls(|dialect, url| {
        let url = with_query(url, "statement_timeout=0.25");
        let engine_limit = Duration::from_millis(250);
        // Two connections held at once: both new, both set up with the engine's limit.
        let engine = create_engine_with(&url, EngineOptions::new().pool_size(2))?;
        let (mut a, mut b) = (engine.connect()?, engine.connect()?);
        for conn in [&mut a, &mut b] {
            assert_eq!(conn.statement_timeout(), Some(engine_limit));
            if let Some(ms) = server_limit_ms(conn)? {
                assert_eq!(ms, 250.0);
            }
            assert_times_out(conn, slow(dialect), engine_limit, "");
        }
        drop((a, b));

        // A pool of one: the next checkout is the same connection.
        let engine = single(&url)?;
        let mut conn = engine.connect()?;
        let id = backend_id(&mut conn)?;
        conn.set_statement_timeout(Some(Duration::from_millis(1500)))?;
        if let Some(ms) = server_limit_ms(&mut conn)? {
            assert_eq!(ms, 1500.0);
        }
        drop(conn);
        let mut conn = engine.connect()?;
        assert_eq!(
            backend_id(&mut conn)?,
            id,
            "the connection was pooled, not reopened"
        );
        assert_eq!(conn.statement_timeout(), Some(engine_limit));
        if let Some(ms) = server_limit_ms(&mut conn)? {
            assert_eq!(ms, 250.0);
        }
        // None: no limit from Athanor (the server's default, 0 here) until return.
        conn.set_statement_timeout(None)?;
        if let Some(ms) = server_limit_ms(&mut conn)? {
            assert_eq!(ms, 0.0);
        }
        conn.execute(&text(quick(dialect)))?;
        drop(conn);
        let mut conn = engine.connect()?;
        assert_eq!(
            backend_id(&mut conn)?,
            id,
            "the connection was pooled, not reopened"
        );
        assert_eq!(conn.statement_timeout(), Some(engine_limit));
        assert_times_out(&mut conn, slow(dialect), engine_limit, "");
        Ok(())
    });
}

#[test]
fn a_limit_that_is_not_one_is_refused() -> Result<()> {
    let argument = |r: Result<Engine>| match r {
        Err(Error::Argument(m)) => m,
        other => panic!("expected Error::Argument, got {other:?}"),
    };
    let m = argument(create_engine("sqlite://?statement_timeout=0"));
    assert!(
        m.starts_with("statement_timeout=0 in the URL: 0 ms is no time limit"),
        "{m}"
    );
    let m = argument(create_engine("sqlite://?statement_timeout=0.0005"));
    assert!(m.contains("not a whole number of milliseconds"), "{m}");
    let m = argument(create_engine("sqlite://?statement_timeout=2147484"));
    assert!(m.contains("longer than the longest time limit"), "{m}");
    let m = argument(create_engine_with(
        "sqlite://",
        EngineOptions::new().statement_timeout(Duration::from_micros(100)),
    ));
    assert!(m.starts_with("EngineOptions::statement_timeout: "), "{m}");
    // SQLite's busy timeout: 0 is allowed (fail at once); nothing negative, nothing huge.
    create_engine("sqlite://?timeout=0")?;
    let m = argument(create_engine("sqlite://?timeout=-1"));
    assert!(m.contains("timeout=-1 in the URL"), "{m}");
    let m = argument(create_engine("sqlite://?timeout=1e9").and_then(|e| {
        e.connect()?;
        Ok(e)
    }));
    assert!(m.contains("the busy timeout"), "{m}");
    // `timeout` is SQLite's: a server URL refuses it as unknown.
    let m = argument(create_engine("postgresql://localhost/db?timeout=5"));
    assert!(m.contains("unknown option 'timeout'"), "{m}");

    let engine = create_engine("sqlite://")?;
    let mut conn = engine.connect()?;
    match conn.set_statement_timeout(Some(Duration::ZERO)) {
        Err(Error::Argument(m)) => assert!(m.contains("0 ms is no time limit"), "{m}"),
        other => panic!("expected Error::Argument, got {other:?}"),
    }
    assert_eq!(
        conn.statement_timeout(),
        None,
        "a refused limit changes nothing"
    );
    Ok(())
}

/// SQLite's busy timeout (`?timeout=SECONDS`): a writer that meets another connection's
/// write lock waits that long, then fails with `Error::Timeout` naming it.
#[test]
fn sqlite_a_lock_held_past_the_busy_timeout_is_a_timeout() -> Result<()> {
    let path = std::env::temp_dir().join(format!("athanor-busy-{}.db", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let _file = TempFile(path.clone());
    let url = format!("sqlite:///{}", path.display());
    let holder = create_engine(&url)?;
    holder
        .connect()?
        .execute(&text("CREATE TABLE b (x INTEGER)"))?;
    let mut held = holder.connect()?;
    held.exec_driver_sql("BEGIN IMMEDIATE")?;

    let waiter = create_engine(&format!("{url}?timeout=0.2"))?;
    let mut conn = waiter.connect()?;
    assert_times_out(
        &mut conn,
        "INSERT INTO b VALUES (1)",
        LIMIT,
        "database is locked: another connection held a lock this statement needs past the busy timeout of 200 ms",
    );
    let err = conn.execute(&text("INSERT INTO b VALUES (1)")).unwrap_err();
    assert!(err.to_string().contains("?timeout=SECONDS"), "{err}");
    // timeout=0: no wait at all.
    let impatient = create_engine(&format!("{url}?timeout=0"))?;
    match impatient
        .connect()?
        .execute(&text("INSERT INTO b VALUES (1)"))
    {
        Err(Error::Timeout(d)) => {
            assert!(d.message.contains("busy timeout of 0 ms"), "{}", d.message)
        }
        other => panic!("expected Error::Timeout, got {other:?}"),
    }
    // Once the lock is released the same statement goes through.
    held.exec_driver_sql("ROLLBACK")?;
    conn.execute(&text("INSERT INTO b VALUES (1)"))?;
    assert_eq!(conn.scalar::<i64, _>(&text("SELECT count(*) FROM b"))?, 1);
    Ok(())
}

/// A lock wait past its limit is a timeout on the servers too: PostgreSQL's `lock_timeout`
/// (55P03) and InnoDB's `innodb_lock_wait_timeout` (1205). (SQLite's is the busy timeout,
/// above.)
#[test]
fn a_lock_wait_past_its_limit_is_a_timeout() {
    on_all_urls(|dialect, url| {
        let (set_limit, limit, says) = match dialect {
            "postgresql" => (
                "SET lock_timeout = '200ms'",
                LIMIT,
                "canceling statement due to lock timeout",
            ),
            "mysql" => (
                "SET SESSION innodb_lock_wait_timeout = 1",
                Duration::from_secs(1),
                "Lock wait timeout exceeded",
            ),
            _ => return Ok(()),
        };
        let engine = create_engine(url)?;
        let mut holder = engine.connect()?;
        holder.exec_driver_sql("DROP TABLE IF EXISTS to_lock")?;
        holder.exec_driver_sql("CREATE TABLE to_lock (id INTEGER PRIMARY KEY, x INTEGER)")?;
        holder.execute(&text("INSERT INTO to_lock VALUES (1, 0)"))?;
        let mut tx = holder.begin()?;
        tx.execute(&text("UPDATE to_lock SET x = 1 WHERE id = 1"))?;

        let mut waiter = engine.connect()?;
        waiter.exec_driver_sql(set_limit)?;
        assert_times_out(
            &mut waiter,
            "UPDATE to_lock SET x = 2 WHERE id = 1",
            limit,
            says,
        );
        tx.rollback()?;
        waiter.execute(&text("UPDATE to_lock SET x = 2 WHERE id = 1"))?;
        assert_eq!(
            waiter.scalar::<i64, _>(&text("SELECT x FROM to_lock WHERE id = 1"))?,
            2
        );
        Ok(())
    });
}
