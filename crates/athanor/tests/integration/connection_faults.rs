//! Faults between and inside uses of a connection: a panic in a row callback, failures inside
//! nested savepoints, a transaction dropped after a failed statement, a backend killed in the
//! middle of a transaction, many threads on the in-memory SQLite pool. Whatever happened, the
//! next checkout is clean and nothing half-written is committed.
//!
//! Each body gets an engine with a pool of one connection (the next checkout is provably the
//! same connection) and an observer engine on the same database that sees only what was
//! committed. (Connections killed *between* uses, with and without pre-ping, are in
//! `pool_servers.rs`.)

use std::panic::{AssertUnwindSafe, catch_unwind};

use athanor::prelude::*;
use athanor::{Connection, Engine, Error, Result};

use super::support::{fresh, on_all_single};

fn counter(engine: &Engine, name: &str) -> Result<Table> {
    let md = MetaData::new();
    let t = Table::build(name, &md)
        .column(Column::new("x", Type::Integer).primary_key())
        .finish()?;
    fresh(engine, &md)?;
    Ok(t)
}

/// The committed rows, as another connection sees them.
fn xs(engine: &Engine, t: &Table) -> Result<Vec<i64>> {
    engine
        .connect()?
        .scalars(&select(t.c("x")).order_by(t.c("x")))
}

fn add(conn: &mut Connection, t: &Table, x: i64) -> Result<()> {
    conn.execute(&t.insert().values(row! { "x" => x }))?;
    Ok(())
}

/// The connection the pool hands out next is outside any transaction and works.
fn assert_clean(single: &Engine, t: &Table) -> Result<()> {
    let mut conn = single.connect()?;
    assert!(!conn.in_transaction());
    let mut tx = conn.begin()?;
    let n: i64 = tx.scalar(&select(func::count(t.c("x"))))?;
    tx.rollback()?;
    assert!(n >= 0);
    Ok(())
}

#[test]
fn a_panic_in_a_stream_callback_rolls_back_and_returns_the_connection_clean() {
    on_all_single("stream_panic", |_, single, observer| {
        let t = counter(observer, "cf_stream")?;
        let rows = (1..=500i64).map(|i| (i,));
        single
            .connect()?
            .execute_many_rows(&t.insert(), &["x"], rows)?;
        let unwound = catch_unwind(AssertUnwindSafe(|| -> Result<()> {
            let mut conn = single.connect()?;
            let mut tx = conn.begin()?;
            add(&mut tx, &t, 1000)?;
            // The callback panics with most of the result still unread.
            tx.stream(&select(t.c("x")).order_by(t.c("x")), |row| {
                let x: i64 = row.get(0)?;
                assert!(x < 3, "a panic in the row callback");
                Ok(true)
            })
        }));
        assert!(unwound.is_err(), "the callback panicked");
        assert_clean(single, &t)?;
        let seen = xs(observer, &t)?;
        assert_eq!(seen.len(), 500, "the insert of 1000 was rolled back");
        assert_eq!(seen.last(), Some(&500));
        Ok(())
    });
}

#[test]
fn failures_inside_nested_savepoints_undo_only_their_savepoint() {
    on_all_single("savepoints", |_, single, observer| {
        let t = counter(observer, "cf_sp")?;
        let mut conn = single.connect()?;
        let mut tx = conn.begin()?;
        add(&mut tx, &t, 1)?;
        {
            let mut outer = tx.begin_nested()?;
            add(&mut outer, &t, 2)?;
            {
                let mut inner = outer.begin_nested()?;
                add(&mut inner, &t, 3)?;
                let dup = add(&mut inner, &t, 1);
                assert!(matches!(dup, Err(Error::Integrity(_))), "{dup:?}");
                // Dropped after the failure: rolled back to the inner savepoint.
            }
            add(&mut outer, &t, 4)?;
            outer.commit()?;
        }
        {
            let mut failed = tx.begin_nested()?;
            add(&mut failed, &t, 5)?;
            let dup = add(&mut failed, &t, 2);
            assert!(matches!(dup, Err(Error::Integrity(_))), "{dup:?}");
            failed.rollback()?;
        }
        add(&mut tx, &t, 6)?;
        tx.commit()?;
        drop(conn);
        assert_eq!(xs(observer, &t)?, [1, 2, 4, 6]);
        assert_clean(single, &t)
    });
}

#[test]
fn a_transaction_dropped_after_a_failed_statement_leaves_nothing_behind() {
    on_all_single("dropped_failed", |_, single, observer| {
        let t = counter(observer, "cf_dropped")?;
        {
            let mut conn = single.connect()?;
            let mut tx = conn.begin()?;
            add(&mut tx, &t, 1)?;
            // PostgreSQL aborts the transaction here; the drop must still roll it back.
            assert!(matches!(add(&mut tx, &t, 1), Err(Error::Integrity(_))));
        }
        // The same connection: usable, outside a transaction, and nothing was committed.
        let mut conn = single.connect()?;
        add(&mut conn, &t, 2)?;
        drop(conn);
        assert_eq!(xs(observer, &t)?, [2]);
        Ok(())
    });
}

/// The server's id of a connection's session, and the statement that ends it from another.
fn backend(name: &str, conn: &mut Connection) -> Result<String> {
    Ok(if name == "postgresql" {
        let pid: i64 = conn.scalar(&text("SELECT pg_backend_pid()"))?;
        format!("SELECT pg_terminate_backend({pid})")
    } else {
        let id: i64 = conn.scalar(&text("SELECT CONNECTION_ID()"))?;
        format!("KILL {id}")
    })
}

#[test]
fn a_backend_killed_mid_transaction_commits_nothing() {
    on_all_single("killed", |name, single, observer| {
        if name == "sqlite" {
            return Ok(());
        }
        let t = counter(observer, "cf_killed")?;
        for drop_it in [false, true] {
            let mut conn = single.connect()?;
            let kill = backend(name, &mut conn)?;
            let mut tx = conn.begin()?;
            add(&mut tx, &t, 1)?;
            observer.connect()?.execute(&text(&kill))?;
            std::thread::sleep(std::time::Duration::from_millis(200));
            if drop_it {
                drop(tx);
            } else {
                let r = tx.commit();
                assert!(matches!(r, Err(Error::Disconnect(_))), "{r:?}");
            }
            drop(conn);
            assert_eq!(xs(observer, &t)?, Vec::<i64>::new());
            // The dead connection was closed, not returned: the next checkout opens a new one.
            assert_eq!(single.pool_status(), (0, 0), "[{name}] drop_it={drop_it}");
            let mut conn = single.connect()?;
            assert!(!conn.in_transaction());
            assert_eq!(conn.scalar::<i64, _>(&text("SELECT 1"))?, 1);
        }
        Ok(())
    });
}

#[test]
fn many_threads_on_the_in_memory_sqlite_pool() -> Result<()> {
    let engine = create_engine("sqlite:///:memory:")?;
    let t = counter(&engine, "cf_threads")?;
    let workers: Vec<_> = (0..8i64)
        .map(|k| {
            let (engine, t) = (engine.clone(), t.clone());
            std::thread::spawn(move || -> Result<()> {
                for i in 0..40i64 {
                    let mut conn = engine.connect()?;
                    let mut tx = conn.begin()?;
                    add(&mut tx, &t, k * 1000 + i)?;
                    if i % 2 == 0 {
                        tx.commit()?;
                    } else {
                        tx.rollback()?;
                    }
                }
                Ok(())
            })
        })
        .collect();
    for w in workers {
        w.join().unwrap_or_else(|_| panic!("a worker panicked"))?;
    }
    let mut want: Vec<i64> = (0..8i64)
        .flat_map(|k| (0..40).step_by(2).map(move |i| k * 1000 + i))
        .collect();
    want.sort_unstable();
    assert_eq!(xs(&engine, &t)?, want);
    Ok(())
}
