//! Fault tests: a connection comes back to the pool clean whatever it left open (a raw
//! `BEGIN`, a panic inside `execute_many`'s rows), a batch is all or nothing inside a user
//! transaction too, and committing a transaction the database aborted is an error.
//!
//! Each body gets an engine with a pool of one connection, so the next checkout is provably
//! the same connection, and an observer engine on the same database that sees only what was
//! committed.

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

fn xs(conn: &mut Connection, t: &Table) -> Result<Vec<i64>> {
    conn.execute(&select(t.c("x")).order_by(t.c("x")))?
        .scalars()
}

/// What the observer (another connection) sees: only committed rows.
fn committed(observer: &Engine, t: &Table) -> Result<Vec<i64>> {
    xs(&mut observer.connect()?, t)
}

fn add(conn: &mut Connection, t: &Table, x: i64) -> Result<()> {
    conn.execute(&t.insert().values(row! { "x" => x }))?;
    Ok(())
}

/// Proves the checked-out connection is outside any transaction: an autocommit write is
/// seen by the observer at once, and `begin()` works.
fn assert_clean(single: &Engine, observer: &Engine, t: &Table, x: i64) -> Result<()> {
    let mut conn = single.connect()?;
    assert!(!conn.in_transaction());
    add(&mut conn, t, x)?;
    assert!(
        committed(observer, t)?.contains(&x),
        "{x} was not committed"
    );
    conn.begin()?.commit()?;
    Ok(())
}

#[test]
fn a_raw_begin_is_rolled_back_when_the_connection_returns() {
    on_all_single("raw_begin", |_, single, observer| {
        let t = counter(single, "reset_raw_begin")?;
        {
            let mut conn = single.connect()?;
            conn.exec_driver_sql("BEGIN")?;
            add(&mut conn, &t, 1)?;
            // The connection doesn't know about the transaction it runs in.
            assert!(!conn.in_transaction());
        }
        assert_eq!(xs(&mut single.connect()?, &t)?, Vec::<i64>::new());
        assert_clean(single, observer, &t, 2)?;
        // The same through text().
        {
            let mut conn = single.connect()?;
            conn.execute(&text("BEGIN"))?;
            add(&mut conn, &t, 3)?;
        }
        assert_eq!(xs(&mut single.connect()?, &t)?, [2]);
        assert_clean(single, observer, &t, 4)?;
        assert_eq!(committed(observer, &t)?, [2, 4]);
        Ok(())
    });
}

#[test]
fn a_panic_in_execute_many_rows_leaves_the_connection_clean() {
    on_all_single("panic_rows", |_, single, observer| {
        let t = counter(single, "reset_panic_rows")?;
        let rows = || {
            (0..1200).map(|i| {
                if i == 1100 {
                    panic!("the row iterator failed");
                }
                row! { "x" => i }
            })
        };
        // The connection survives the panic: rolled back, outside a transaction.
        let mut conn = single.connect()?;
        let caught = catch_unwind(AssertUnwindSafe(|| conn.execute_many(&t.insert(), rows())));
        assert!(caught.is_err(), "the iterator's panic comes through");
        assert!(!conn.in_transaction());
        assert_eq!(xs(&mut conn, &t)?, Vec::<i64>::new());
        drop(conn);
        assert_clean(single, observer, &t, 5000)?;
        // The connection dropped while unwinding goes back clean too.
        let caught = catch_unwind(AssertUnwindSafe(|| -> Result<u64> {
            let mut conn = single.connect()?;
            conn.execute_many(&t.insert(), rows())
        }));
        assert!(caught.is_err(), "the iterator's panic comes through");
        assert_eq!(xs(&mut single.connect()?, &t)?, [5000]);
        assert_clean(single, observer, &t, 5001)?;
        // Inside a user transaction the batch is undone and the transaction goes on.
        let mut conn = single.connect()?;
        let mut tx = conn.begin()?;
        add(&mut tx, &t, 6000)?;
        let caught = catch_unwind(AssertUnwindSafe(|| tx.execute_many(&t.insert(), rows())));
        assert!(caught.is_err(), "the iterator's panic comes through");
        assert!(tx.in_transaction());
        add(&mut tx, &t, 6001)?;
        tx.commit()?;
        assert_eq!(committed(observer, &t)?, [5000, 5001, 6000, 6001]);
        Ok(())
    });
}

#[test]
fn a_failed_execute_many_writes_nothing_inside_a_transaction() {
    on_all_single("failed_batch", |_, single, observer| {
        let t = counter(single, "reset_failed_batch")?;
        let mut conn = single.connect()?;
        // A duplicate key late in a batch bigger than one round trip.
        let dup = || (0..1000).map(|i| row! { "x" => if i == 700 { 5 } else { i } });
        let mut tx = conn.begin()?;
        add(&mut tx, &t, 5000)?;
        let err = tx
            .execute_many(&t.insert(), dup())
            .expect_err("duplicate key");
        assert!(matches!(err, Error::Integrity(_)), "{err:?}");
        // The transaction goes on without any of the batch.
        assert_eq!(xs(&mut tx, &t)?, [5000]);
        add(&mut tx, &t, 5001)?;
        tx.commit()?;
        assert_eq!(committed(observer, &t)?, [5000, 5001]);
        // A row of the wrong shape, late in the batch.
        let mut tx = conn.begin()?;
        let mixed = (0..1000).map(|i| {
            if i == 999 {
                row! { "y" => i }
            } else {
                row! { "x" => 10_000 + i }
            }
        });
        let err = tx
            .execute_many(&t.insert(), mixed)
            .expect_err("a row names another column");
        assert!(
            matches!(&err, Error::InvalidRequest(m) if m.contains("row 999")),
            "{err:?}"
        );
        add(&mut tx, &t, 5002)?;
        tx.commit()?;
        assert_eq!(committed(observer, &t)?, [5000, 5001, 5002]);
        // Outside a transaction: nothing of the batch either, and the connection is clean.
        let err = conn
            .execute_many(&t.insert(), dup())
            .expect_err("duplicate key");
        assert!(matches!(err, Error::Integrity(_)), "{err:?}");
        assert!(!conn.in_transaction());
        drop(conn);
        assert_eq!(committed(observer, &t)?, [5000, 5001, 5002]);
        assert_clean(single, observer, &t, 5003)?;
        Ok(())
    });
}

#[test]
fn committing_after_a_failed_statement_reports_what_the_database_did() {
    on_all_single("commit_failed", |_, single, observer| {
        let t = counter(single, "reset_commit_failed")?;
        let aborts = single.dialect().name() == "postgresql";
        let mut conn = single.connect()?;
        let mut tx = conn.begin()?;
        add(&mut tx, &t, 1)?;
        let err = add(&mut tx, &t, 1).expect_err("duplicate key");
        assert!(matches!(err, Error::Integrity(_)), "{err:?}");
        let r = tx.commit();
        if aborts {
            // PostgreSQL aborted the whole transaction at the failed statement: COMMIT
            // would roll it back, so commit() says so.
            let err = r.expect_err("PostgreSQL aborted the transaction");
            assert!(
                matches!(&err, Error::InvalidRequest(m) if m.contains("rolled back") && m.contains("duplicate key")),
                "{err:?}"
            );
            assert_eq!(committed(observer, &t)?, Vec::<i64>::new());
        } else {
            // SQLite and MySQL undo only the failed statement.
            r?;
            assert_eq!(committed(observer, &t)?, [1]);
        }
        assert!(!conn.in_transaction());
        drop(conn);
        // The same through engine.begin() and engine.transaction().
        let mut etx = single.begin()?;
        add(&mut etx, &t, 2)?;
        add(&mut etx, &t, 2).expect_err("duplicate key");
        assert_eq!(etx.commit().is_err(), aborts);
        let r = single.transaction(|conn| {
            add(conn, &t, 3)?;
            let _ignored = add(conn, &t, 3);
            Ok(())
        });
        assert_eq!(r.is_err(), aborts, "{r:?}");
        let expected: &[i64] = if aborts { &[] } else { &[1, 2, 3] };
        assert_eq!(committed(observer, &t)?, expected);
        // A savepoint rolled back after the failure recovers the transaction.
        let mut conn = single.connect()?;
        let mut tx = conn.begin()?;
        add(&mut tx, &t, 10)?;
        {
            let mut sp = tx.begin_nested()?;
            add(&mut sp, &t, 10).expect_err("duplicate key");
            sp.rollback()?;
        }
        tx.commit()?;
        assert!(committed(observer, &t)?.contains(&10));
        drop(conn);
        assert_clean(single, observer, &t, 11)?;
        Ok(())
    });
}
