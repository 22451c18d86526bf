//! Transactions: begin/commit/rollback, rollback on drop, savepoints, engine.begin() and
//! engine.transaction().

use athanor::prelude::*;
use athanor::{Connection, Engine, Error, Result};

use super::support::{fresh, on_all};

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

fn add(conn: &mut Connection, t: &Table, x: i64) -> Result<()> {
    conn.execute(&t.insert().values(row! { "x" => x }))?;
    Ok(())
}

#[test]
fn commit_and_rollback() {
    on_all(|engine| {
        let t = counter(engine, "tx_basic")?;
        let mut conn = engine.connect()?;
        assert!(!conn.in_transaction());
        let mut tx = conn.begin()?;
        assert!(tx.in_transaction());
        add(&mut tx, &t, 1)?;
        tx.commit()?;
        assert!(!conn.in_transaction());
        let mut tx = conn.begin()?;
        add(&mut tx, &t, 2)?;
        // Inside the transaction its own writes are visible.
        assert_eq!(xs(&mut tx, &t)?, [1, 2]);
        tx.rollback()?;
        assert_eq!(xs(&mut conn, &t)?, [1]);
        // Outside a transaction, statements autocommit.
        add(&mut conn, &t, 3)?;
        drop(conn);
        assert_eq!(xs(&mut engine.connect()?, &t)?, [1, 3]);
        Ok(())
    });
}

#[test]
fn dropped_transaction_rolls_back() {
    on_all(|engine| {
        let t = counter(engine, "tx_drop")?;
        let mut conn = engine.connect()?;
        {
            let mut tx = conn.begin()?;
            add(&mut tx, &t, 1)?;
        }
        assert!(!conn.in_transaction());
        assert_eq!(xs(&mut conn, &t)?, Vec::<i64>::new());
        // A transaction left open when its connection goes back to the pool rolls back too.
        {
            let mut tx = conn.begin()?;
            add(&mut tx, &t, 2)?;
            std::mem::forget(tx);
        }
        assert!(conn.in_transaction());
        drop(conn);
        let mut conn = engine.connect()?;
        assert!(!conn.in_transaction());
        assert_eq!(xs(&mut conn, &t)?, Vec::<i64>::new());
        // After a failed statement, rolling back undoes what came before it.
        let mut tx = conn.begin()?;
        add(&mut tx, &t, 3)?;
        let err = add(&mut tx, &t, 3).expect_err("duplicate key");
        assert!(matches!(err, Error::Integrity(_)), "{err:?}");
        tx.rollback()?;
        assert_eq!(xs(&mut conn, &t)?, Vec::<i64>::new());
        Ok(())
    });
}

#[test]
fn begin_twice_is_an_invalid_request() {
    on_all(|engine| {
        let mut conn = engine.connect()?;
        let mut tx = conn.begin()?;
        let err = tx
            .begin()
            .map(|_| ())
            .expect_err("already in a transaction");
        assert!(
            matches!(&err, Error::InvalidRequest(m) if m.contains("begin_nested")),
            "{err:?}"
        );
        tx.commit()?;
        // The connection is usable afterwards.
        conn.begin()?.commit()?;
        Ok(())
    });
}

#[test]
fn savepoints_with_begin_nested() {
    on_all(|engine| {
        let t = counter(engine, "tx_nested")?;
        let mut conn = engine.connect()?;
        {
            let mut tx = conn.begin()?;
            add(&mut tx, &t, 1)?;
            {
                let mut sp = tx.begin_nested()?;
                add(&mut sp, &t, 2)?;
                sp.rollback()?;
            }
            {
                let mut sp = tx.begin_nested()?;
                add(&mut sp, &t, 3)?;
                {
                    // A savepoint inside a savepoint, dropped: rolled back.
                    let mut inner = sp.begin_nested()?;
                    add(&mut inner, &t, 4)?;
                }
                {
                    let mut inner = sp.begin_nested()?;
                    add(&mut inner, &t, 5)?;
                    inner.commit()?;
                }
                sp.commit()?;
            }
            {
                let mut sp = tx.begin_nested()?;
                add(&mut sp, &t, 6)?;
                // Dropped without commit: back to the savepoint.
            }
            assert_eq!(xs(&mut tx, &t)?, [1, 3, 5]);
            assert!(tx.in_transaction());
            tx.commit()?;
        }
        assert_eq!(xs(&mut conn, &t)?, [1, 3, 5]);
        // Rolling back the outer transaction discards released savepoints too.
        {
            let mut tx = conn.begin()?;
            let mut sp = tx.begin_nested()?;
            add(&mut sp, &t, 7)?;
            sp.commit()?;
            tx.rollback()?;
        }
        assert_eq!(xs(&mut conn, &t)?, [1, 3, 5]);
        // A savepoint recovers from a failed statement inside a transaction.
        {
            let mut tx = conn.begin()?;
            add(&mut tx, &t, 8)?;
            {
                let mut sp = tx.begin_nested()?;
                add(&mut sp, &t, 1).expect_err("duplicate");
                sp.rollback()?;
            }
            add(&mut tx, &t, 9)?;
            tx.commit()?;
        }
        assert_eq!(xs(&mut conn, &t)?, [1, 3, 5, 8, 9]);
        // begin_nested with no transaction open begins one.
        {
            let mut tx = conn.begin_nested()?;
            add(&mut tx, &t, 10)?;
        }
        assert_eq!(xs(&mut conn, &t)?, [1, 3, 5, 8, 9]);
        Ok(())
    });
}

#[test]
fn engine_begin() {
    on_all(|engine| {
        let t = counter(engine, "tx_engine_begin")?;
        {
            let mut conn = engine.begin()?;
            assert!(conn.in_transaction());
            add(&mut conn, &t, 1)?;
            conn.commit()?;
        }
        {
            let mut conn = engine.begin()?;
            add(&mut conn, &t, 2)?;
            // Dropped: rolled back.
        }
        {
            let mut conn = engine.begin()?;
            add(&mut conn, &t, 3)?;
            let mut sp = conn.begin_nested()?;
            add(&mut sp, &t, 4)?;
            sp.rollback()?;
            conn.rollback()?;
        }
        {
            let mut conn = engine.begin()?;
            add(&mut conn, &t, 5)?;
            let mut sp = conn.begin_nested()?;
            add(&mut sp, &t, 6)?;
            sp.commit()?;
            conn.commit()?;
        }
        let mut conn = engine.connect()?;
        assert!(!conn.in_transaction());
        assert_eq!(xs(&mut conn, &t)?, [1, 5, 6]);
        Ok(())
    });
}

#[test]
fn engine_transaction_commits_on_ok_and_rolls_back_on_err() {
    on_all(|engine| {
        let t = counter(engine, "tx_closure")?;
        let n = engine.transaction(|conn| {
            add(conn, &t, 1)?;
            add(conn, &t, 2)?;
            Ok(xs(conn, &t)?.len())
        })?;
        assert_eq!(n, 2);
        let err = engine
            .transaction(|conn| -> Result<()> {
                add(conn, &t, 3)?;
                add(conn, &t, 1)?; // duplicate: the closure fails
                Ok(())
            })
            .expect_err("duplicate key");
        assert!(matches!(err, Error::Integrity(_)), "{err:?}");
        // An error the closure makes up rolls back as well.
        let err = engine
            .transaction(|conn| -> Result<()> {
                add(conn, &t, 4)?;
                Err(Error::InvalidRequest("changed my mind".into()))
            })
            .expect_err("closure error");
        assert!(
            matches!(&err, Error::InvalidRequest(m) if m == "changed my mind"),
            "{err:?}"
        );
        let mut conn = engine.connect()?;
        assert!(!conn.in_transaction());
        assert_eq!(xs(&mut conn, &t)?, [1, 2]);
        Ok(())
    });
}
