//! A connection whose server session is killed from another connection fails its next use
//! with [`Error::Disconnect`] (SQLAlchemy's `is_disconnect`), on PostgreSQL
//! (`pg_terminate_backend`: SQLSTATE 57P01 or a closed socket) and MariaDB/MySQL
//! (`KILL CONNECTION`: a broken pipe, EOF or error 2006/2013/1927/4031). SQLite has no server
//! to lose.

use std::time::{Duration, Instant};

use athanor::prelude::*;
use athanor::{Connection, Engine, Error, Result};

use super::support::on_all_single;

/// The server's id for this connection's session.
fn session_id(name: &str, conn: &mut Connection) -> Result<i64> {
    let sql = if name == "postgresql" {
        "SELECT CAST(pg_backend_pid() AS BIGINT)"
    } else {
        "SELECT CONNECTION_ID()"
    };
    conn.scalar(&text(sql))
}

/// Kills session `id` from `observer` and waits (up to 10 s) until the server no longer lists
/// it, so the victim's next use meets a dead session, not one still shutting down.
fn kill(name: &str, observer: &Engine, id: i64) -> Result<()> {
    let mut conn = observer.connect()?;
    let (kill, listed) = if name == "postgresql" {
        (
            "SELECT pg_terminate_backend(:id)",
            "SELECT COUNT(*) FROM pg_stat_activity WHERE pid = :id",
        )
    } else {
        (
            "KILL CONNECTION :id",
            "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = :id",
        )
    };
    conn.execute(&text(kill).bind("id", id))?;
    let start = Instant::now();
    while conn.scalar::<i64, _>(&text(listed).bind("id", id))? > 0 {
        if start.elapsed() > Duration::from_secs(10) {
            return Err(Error::InvalidRequest(format!("session {id} still listed")));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Ok(())
}

#[track_caller]
fn assert_disconnect<T: std::fmt::Debug>(name: &str, r: Result<T>) {
    match r {
        Err(Error::Disconnect(d)) => {
            assert!(!d.message.is_empty(), "[{name}] {d}");
            assert!(
                d.driver_error().is_some(),
                "[{name}] the driver's error is kept: {d}"
            );
        }
        other => panic!("[{name}] expected Error::Disconnect, got {other:?}"),
    }
}

#[test]
fn a_killed_session_is_a_disconnect_on_the_next_query() {
    on_all_single("killed_query", |name, single, observer| {
        if name == "sqlite" {
            return Ok(());
        }
        let mut conn = single.connect()?;
        let id = session_id(name, &mut conn)?;
        kill(name, observer, id)?;
        assert_disconnect(name, conn.scalar::<i64, _>(&text("SELECT 1")));
        Ok(())
    });
}

#[test]
fn a_killed_session_is_a_disconnect_inside_a_transaction_and_on_raw_sql() {
    on_all_single("killed_tx", |name, single, observer| {
        if name == "sqlite" {
            return Ok(());
        }
        // Raw SQL (the driver's simple-query path) after the kill.
        let mut conn = single.connect()?;
        let id = session_id(name, &mut conn)?;
        kill(name, observer, id)?;
        assert_disconnect(name, conn.exec_driver_sql("SELECT 1"));
        drop(conn);
        // A transaction open when the session dies: its COMMIT, or its next statement.
        for commit in [true, false] {
            single.dispose();
            let mut conn = single.connect()?;
            let id = session_id(name, &mut conn)?;
            let mut tx = conn.begin()?;
            tx.scalar::<i64, _>(&text("SELECT 1"))?;
            kill(name, observer, id)?;
            if commit {
                assert_disconnect(name, tx.commit());
            } else {
                assert_disconnect(name, tx.scalar::<i64, _>(&text("SELECT 2")));
            }
        }
        Ok(())
    });
}

#[test]
fn a_refused_connection_is_operational_not_a_disconnect() -> Result<()> {
    // Nothing listens on port 1: there was never a connection to lose (SQLAlchemy's
    // OperationalError on connect).
    for (name, url) in [
        ("postgresql", "postgresql://postgres@127.0.0.1:1/test"),
        ("mysql", "mysql://root@127.0.0.1:1/test?prefer_socket=false"),
    ] {
        let engine = create_engine(url)?;
        match engine.connect() {
            Err(Error::Operational(d)) => {
                assert!(!d.message.is_empty(), "[{name}] {d}");
                assert!(d.driver_error().is_some(), "[{name}] {d}");
            }
            other => panic!("[{name}] expected Error::Operational, got {other:?}"),
        }
    }
    Ok(())
}
