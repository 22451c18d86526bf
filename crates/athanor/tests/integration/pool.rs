//! The pool's options and the engine's events, on SQLite files (the servers' disconnect and
//! load tests are in `pool_servers.rs`): overflow, timeouts, FIFO/LIFO, recycling, dispose,
//! reset on return, invalidation, and the connect/checkout/execute hooks.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use athanor::prelude::*;
use athanor::{Error, ResetOnReturn, Result};

use super::support::TempFile;

/// A fresh SQLite file, removed at the end.
fn file(test: &str) -> (TempFile, String) {
    let path = std::env::temp_dir().join(format!("athanor-pool-{}-{test}.db", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let url = format!("sqlite:///{}", path.display());
    (TempFile(path), url)
}

/// Options whose `on_connect` numbers each new connection (1, 2, ...) in a temp table, so a
/// checkout can say which connection it got.
fn numbered(opts: EngineOptions) -> (EngineOptions, Arc<AtomicUsize>) {
    let opened = Arc::new(AtomicUsize::new(0));
    let counter = opened.clone();
    let opts = opts.on_connect(move |conn| {
        let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
        conn.exec_driver_sql(&format!("CREATE TEMP TABLE me AS SELECT {n} AS n"))
    });
    (opts, opened)
}

fn which(conn: &mut Connection) -> Result<i64> {
    conn.scalar(&text("SELECT n FROM temp.me"))
}

#[test]
fn overflow_connections_open_under_load_and_close_on_return() -> Result<()> {
    let (_f, url) = file("overflow");
    let engine = create_engine_with(
        &url,
        EngineOptions::new()
            .pool_size(2)
            .max_overflow(2)
            .pool_timeout(Duration::from_millis(100)),
    )?;
    let held: Vec<Connection> = (0..4).map(|_| engine.connect()).collect::<Result<_>>()?;
    assert_eq!(engine.pool_status(), (4, 0));
    let err = engine.connect().expect_err("2 + 2 are in use");
    match &err {
        Error::PoolTimeout {
            size: 2,
            overflow: 2,
            waited_ms,
        } => assert!(*waited_ms >= 100, "{err}"),
        other => panic!("expected PoolTimeout, got {other:?}"),
    }
    let msg = err.to_string();
    assert!(
        msg.starts_with("pool timeout: no connection became available within ")
            && msg.contains(" ms (pool_size 2, max_overflow 2: all 4 in use); raise pool_size, max_overflow or pool_timeout, or return connections sooner"),
        "{msg}"
    );
    drop(held);
    // Two kept, the two overflow connections closed.
    assert_eq!(engine.pool_status(), (2, 2));
    Ok(())
}

#[test]
fn fifo_hands_out_the_longest_idle_connection_and_lifo_the_latest() -> Result<()> {
    for (lifo, expect) in [(false, 1), (true, 2)] {
        let (_f, url) = file(&format!("order{lifo}"));
        let (opts, _) = numbered(EngineOptions::new().pool_size(2).pool_use_lifo(lifo));
        let engine = create_engine_with(&url, opts)?;
        let mut a = engine.connect()?;
        let mut b = engine.connect()?;
        assert_eq!((which(&mut a)?, which(&mut b)?), (1, 2));
        drop(a);
        drop(b);
        assert_eq!(which(&mut engine.connect()?)?, expect, "lifo={lifo}");
    }
    Ok(())
}

#[test]
fn pool_recycle_replaces_connections_older_than_it() -> Result<()> {
    let (_f, url) = file("recycle");
    let (opts, opened) = numbered(EngineOptions::new().pool_recycle(Duration::from_millis(150)));
    let engine = create_engine_with(&url, opts)?;
    assert_eq!(which(&mut engine.connect()?)?, 1);
    assert_eq!(which(&mut engine.connect()?)?, 1, "young: reused");
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(which(&mut engine.connect()?)?, 2, "old: replaced");
    assert_eq!(opened.load(Ordering::SeqCst), 2);
    assert_eq!(engine.pool_status(), (1, 1));
    // The URL spelling, and a bad value.
    create_engine(&format!(
        "{url}?pool_recycle=3600&pool_pre_ping=true&pool_use_lifo=yes"
    ))?;
    let bad = create_engine(&format!("{url}?pool_recycle=-1")).expect_err("negative");
    assert!(matches!(bad, Error::Argument(_)), "{bad}");
    let bad = create_engine_with(&url, EngineOptions::new().pool_recycle_secs(f64::NAN))
        .expect_err("NaN");
    assert!(bad.to_string().contains("pool_recycle_secs"), "{bad}");
    Ok(())
}

#[test]
fn dispose_closes_checked_out_connections_when_they_come_back() -> Result<()> {
    let (_f, url) = file("dispose");
    let (opts, opened) = numbered(EngineOptions::new().pool_size(2));
    let engine = create_engine_with(&url, opts)?;
    let mut held = engine.connect()?;
    drop(engine.connect()?);
    assert_eq!(engine.pool_status(), (2, 1));
    engine.dispose();
    assert_eq!(engine.pool_status(), (1, 0), "the idle one closed now");
    assert_eq!(which(&mut held)?, 1, "the held one still works");
    drop(held);
    assert_eq!(engine.pool_status(), (0, 0), "and is closed on return");
    assert_eq!(which(&mut engine.connect()?)?, 3);
    assert_eq!(opened.load(Ordering::SeqCst), 3);
    Ok(())
}

#[test]
fn reset_on_return_rolls_back_commits_or_leaves_the_transaction() -> Result<()> {
    for (reset, kept) in [
        (ResetOnReturn::Rollback, 0),
        (ResetOnReturn::Commit, 1),
        (ResetOnReturn::None, 1),
    ] {
        let (_f, url) = file(&format!("reset{reset:?}"));
        let engine = create_engine_with(
            &url,
            EngineOptions::new()
                .pool_size(1)
                .max_overflow(0)
                .pool_reset_on_return(reset),
        )?;
        engine
            .connect()?
            .execute(&text("CREATE TABLE t (x INTEGER)"))?;
        {
            let mut conn = engine.connect()?;
            conn.exec_driver_sql("BEGIN")?;
            conn.execute(&text("INSERT INTO t VALUES (1)"))?;
        }
        let mut conn = engine.connect()?;
        if reset == ResetOnReturn::None {
            // Handed back still inside the transaction: its own uncommitted row is visible,
            // and it commits only when told to.
            conn.exec_driver_sql("COMMIT")?;
        }
        let n: i64 = conn.scalar(&text("SELECT count(*) FROM t"))?;
        assert_eq!(n, kept, "{reset:?}");
    }
    let bad = create_engine("sqlite://?pool_reset_on_return=maybe").expect_err("bad value");
    assert_eq!(
        bad.to_string(),
        "argument error: pool_reset_on_return=maybe in the URL: write rollback, commit or none"
    );
    Ok(())
}

#[test]
fn an_invalidated_connection_loses_its_transaction_and_reconnects_after_rollback() -> Result<()> {
    let (_f, url) = file("invalidate");
    let (opts, opened) = numbered(EngineOptions::new().pool_size(1).max_overflow(0));
    let engine = create_engine_with(&url, opts)?;
    let mut conn = engine.connect()?;
    conn.execute(&text("CREATE TABLE t (x INTEGER)"))?;
    {
        let mut tx = conn.begin()?;
        tx.execute(&text("INSERT INTO t VALUES (1)"))?;
        tx.invalidate();
        assert!(tx.invalidated());
        assert_eq!(engine.pool_status(), (0, 0), "closed, not pooled");
        let err = tx
            .execute(&text("SELECT 1"))
            .expect_err("inside the lost transaction");
        assert!(
            matches!(&err, Error::InvalidRequest(m) if m.starts_with("can't reconnect until the invalid transaction is rolled back")),
            "{err}"
        );
        let err = tx.commit().expect_err("the transaction is gone");
        assert!(
            matches!(&err, Error::InvalidRequest(m) if m.contains("the connection was lost")),
            "{err}"
        );
    }
    // Outside the transaction the handle checks out a new connection.
    assert_eq!(which(&mut conn)?, 2);
    assert_eq!(opened.load(Ordering::SeqCst), 2);
    let n: i64 = conn.scalar(&text("SELECT count(*) FROM t"))?;
    assert_eq!(n, 0, "the invalidated transaction's row never committed");
    // A rollback of a lost transaction succeeds.
    let mut tx = conn.begin()?;
    tx.invalidate();
    tx.rollback()?;
    assert_eq!(which(&mut conn)?, 3);
    Ok(())
}

#[test]
fn on_connect_runs_once_per_connection_and_on_checkout_every_time() -> Result<()> {
    let (_f, url) = file("hooks");
    let checkouts = Arc::new(AtomicUsize::new(0));
    let c = checkouts.clone();
    let (opts, opened) = numbered(EngineOptions::new().pool_size(2).on_checkout(move |conn| {
        c.fetch_add(1, Ordering::SeqCst);
        // The hook runs on the connection being handed out, after on_connect.
        which(conn).map(drop)
    }));
    let engine = create_engine_with(&url, opts)?;
    for _ in 0..5 {
        which(&mut engine.connect()?)?;
    }
    let (a, b) = (engine.connect()?, engine.connect()?);
    drop((a, b));
    assert_eq!(opened.load(Ordering::SeqCst), 2);
    assert_eq!(checkouts.load(Ordering::SeqCst), 7);
    Ok(())
}

#[test]
fn a_failing_connect_hook_closes_the_connection_and_fails_connect() -> Result<()> {
    let (_f, url) = file("hookfail");
    let engine = create_engine_with(
        &url,
        EngineOptions::new().on_connect(|conn| conn.exec_driver_sql("PRAGMA nonsense(")),
    )?;
    let err = engine.connect().expect_err("the hook's SQL is wrong");
    assert!(err.database_error().is_some(), "{err:?}");
    assert_eq!(engine.pool_status(), (0, 0), "no connection kept");
    let err = create_engine_with(
        &url,
        EngineOptions::new().on_checkout(|_| Err(Error::InvalidRequest("not today".into()))),
    )?
    .connect()
    .expect_err("the hook refuses");
    assert!(
        matches!(&err, Error::InvalidRequest(m) if m == "not today"),
        "{err}"
    );
    Ok(())
}

#[test]
fn execute_hooks_see_each_statement_its_parameters_time_and_error() -> Result<()> {
    let seen: Arc<Mutex<Vec<String>>> = Arc::default();
    let (before, after) = (seen.clone(), seen.clone());
    let engine = create_engine_with(
        "sqlite://",
        EngineOptions::new()
            .before_execute(move |s| {
                let params: Vec<String> = s.params.iter().map(|v| v.to_string()).collect();
                before.lock().unwrap().push(format!(
                    "before {} [{}] many={}",
                    s.sql,
                    params.join(", "),
                    s.many
                ));
            })
            .after_execute(move |s, o| {
                assert!(o.elapsed < Duration::from_secs(60));
                let how = match o.error {
                    Some(Error::Programming(_)) => "programming error",
                    Some(_) => "other error",
                    None => "ok",
                };
                after.lock().unwrap().push(format!("after {} {how}", s.sql));
            }),
    )?;
    let md = MetaData::new();
    let t = Table::build("t", &md)
        .column(Column::new("x", Type::Integer))
        .finish()?;
    let mut conn = engine.connect()?;
    conn.exec_driver_sql("CREATE TABLE t (x INTEGER)")?;
    {
        let mut tx = conn.begin()?; // BEGIN is not a statement event
        tx.execute(&t.insert().values(row! { "x" => 7 }))?;
        tx.commit()?;
    }
    conn.execute_many_rows(&t.insert(), &["x"], [(1i64,), (2,)])?;
    let _ = conn.execute(&text("SELECT nope FROM t"));
    let got = seen.lock().unwrap().clone();
    assert_eq!(
        got,
        [
            "before CREATE TABLE t (x INTEGER) [] many=false",
            "after CREATE TABLE t (x INTEGER) ok",
            "before INSERT INTO t (x) VALUES (?) [7] many=false",
            "after INSERT INTO t (x) VALUES (?) ok",
            "before INSERT INTO t (x) VALUES (?) [] many=true",
            "after INSERT INTO t (x) VALUES (?) ok",
            "before SELECT nope FROM t [] many=false",
            "after SELECT nope FROM t programming error",
        ]
    );
    Ok(())
}
