//! The pool against real servers: backends killed between uses (with and without
//! `pool_pre_ping`), and 32 threads sharing a small pool. Skipped, with a printed reason, when
//! `ATHANOR_TEST_POSTGRES` / `ATHANOR_TEST_MYSQL` are unset.
//!
//! Killing a backend is what a server restart, a failover or a load-balancer's idle timeout
//! does to a pooled connection: the socket dies while the pool holds it.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use athanor::prelude::*;
use athanor::{Error, Result};

/// The server URLs set for this run, by dialect.
fn servers(test: &str) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    for (dialect, var) in [
        ("postgresql", "ATHANOR_TEST_POSTGRES"),
        ("mysql", "ATHANOR_TEST_MYSQL"),
    ] {
        match std::env::var(var) {
            Ok(url) => {
                // Counted by .ci/run as a server test run.
                if let Ok(log) = std::env::var("ATHANOR_SERVER_TEST_LOG") {
                    use std::io::Write as _;
                    if let Ok(mut f) = std::fs::OpenOptions::new()
                        .append(true)
                        .create(true)
                        .open(log)
                    {
                        let _ = writeln!(f, "{dialect} {test}");
                    }
                }
                out.push((dialect, url));
            }
            Err(_) => eprintln!("skipped {test} on {dialect}: {var} is not set"),
        }
    }
    out
}

/// The server's id for the session behind `conn`.
fn backend_id(dialect: &str, conn: &mut Connection) -> Result<i64> {
    let sql = if dialect == "postgresql" {
        "SELECT pg_backend_pid()"
    } else {
        "SELECT CONNECTION_ID()"
    };
    conn.scalar(&text(sql))
}

/// How many of these sessions the server still has.
fn alive(dialect: &str, observer: &Engine, ids: &[i64]) -> Result<i64> {
    if ids.is_empty() {
        return Ok(0);
    }
    let list: Vec<String> = ids.iter().map(i64::to_string).collect();
    let sql = if dialect == "postgresql" {
        format!(
            "SELECT count(*) FROM pg_stat_activity WHERE pid IN ({})",
            list.join(", ")
        )
    } else {
        format!(
            "SELECT count(*) FROM information_schema.processlist WHERE id IN ({})",
            list.join(", ")
        )
    };
    observer.connect()?.scalar(&text(&sql))
}

/// Kills the sessions from another connection and waits until the server has let them go.
fn kill(dialect: &str, observer: &Engine, ids: &[i64]) -> Result<()> {
    let mut conn = observer.connect()?;
    for id in ids {
        if dialect == "postgresql" {
            conn.execute(&text(&format!("SELECT pg_terminate_backend({id})")))?;
        } else {
            conn.exec_driver_sql(&format!("KILL CONNECTION {id}"))?;
        }
    }
    drop(conn);
    wait_gone(dialect, observer, ids)
}

fn wait_gone(dialect: &str, observer: &Engine, ids: &[i64]) -> Result<()> {
    let start = Instant::now();
    while alive(dialect, observer, ids)? > 0 {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "[{dialect}] sessions {ids:?} still alive after 10 s"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    Ok(())
}

fn pool_of_four(url: &str, pre_ping: bool) -> Result<Engine> {
    create_engine_with(
        url,
        EngineOptions::new()
            .pool_size(4)
            .max_overflow(0)
            .pool_timeout(Duration::from_secs(10))
            .pool_pre_ping(pre_ping),
    )
}

/// Checks out four connections at once and asks each for its session id: the dead ones
/// fail (counted) and then, asked again, work on a new session.
fn use_four_at_once(
    dialect: &str,
    engine: &Engine,
    killed: &HashSet<i64>,
) -> Result<(Vec<i64>, usize)> {
    let mut held: Vec<Connection> = (0..4).map(|_| engine.connect()).collect::<Result<_>>()?;
    let (mut ids, mut disconnects) = (Vec::new(), 0);
    for conn in &mut held {
        let id = match backend_id(dialect, conn) {
            Ok(id) => id,
            Err(Error::Disconnect(_)) => {
                disconnects += 1;
                assert!(conn.invalidated(), "[{dialect}] a disconnect invalidates");
                backend_id(dialect, conn)? // reconnects: outside a transaction
            }
            Err(e) => panic!("[{dialect}] expected Disconnect or a session id, got {e:?}"),
        };
        assert!(
            !killed.contains(&id),
            "[{dialect}] dead session {id} handed out again"
        );
        ids.push(id);
    }
    drop(held);
    Ok((ids, disconnects))
}

/// Without pre-ping, each connection killed under the pool fails exactly once, with
/// `Error::Disconnect`, and is replaced; over 20 rounds of killing every pooled connection,
/// no dead connection is handed out twice.
#[test]
fn killed_connections_fail_once_each_then_recover() -> Result<()> {
    for (dialect, url) in servers("killed_connections_fail_once_each") {
        let engine = pool_of_four(&url, false)?;
        let observer = create_engine(&url)?;
        let (mut ids, first) = use_four_at_once(dialect, &engine, &HashSet::new())?;
        assert_eq!(first, 0);
        let mut total = 0;
        for round in 0..20 {
            kill(dialect, &observer, &ids)?;
            let killed: HashSet<i64> = ids.iter().copied().collect();
            let (next, disconnects) = use_four_at_once(dialect, &engine, &killed)?;
            assert_eq!(
                disconnects, 4,
                "[{dialect}] round {round}: every dead connection fails once"
            );
            total += disconnects;
            assert_eq!(engine.pool_status(), (4, 4), "[{dialect}] round {round}");
            ids = next;
        }
        assert_eq!(total, 80, "[{dialect}]");
    }
    Ok(())
}

/// As SQLAlchemy's pool: the first disconnect retires every connection opened before it, so
/// connections used one after another after a restart cost one error, not one per pooled
/// connection.
#[test]
fn a_restart_costs_one_error_not_one_per_pooled_connection() -> Result<()> {
    for (dialect, url) in servers("a_restart_costs_one_error") {
        let engine = pool_of_four(&url, false)?;
        let observer = create_engine(&url)?;
        let (mut ids, _) = use_four_at_once(dialect, &engine, &HashSet::new())?;
        for round in 0..20 {
            kill(dialect, &observer, &ids)?;
            let killed: HashSet<i64> = ids.iter().copied().collect();
            let mut errors = 0;
            for _ in 0..4 {
                let mut conn = engine.connect()?;
                match backend_id(dialect, &mut conn) {
                    Ok(id) => assert!(!killed.contains(&id), "[{dialect}] dead session {id}"),
                    Err(Error::Disconnect(_)) => errors += 1,
                    Err(e) => panic!("[{dialect}] expected Disconnect, got {e:?}"),
                }
            }
            assert_eq!(errors, 1, "[{dialect}] round {round}");
            let (next, again) = use_four_at_once(dialect, &engine, &killed)?;
            assert_eq!(again, 0, "[{dialect}] round {round}: recovered");
            ids = next;
        }
    }
    Ok(())
}

/// With pre-ping, killed connections are replaced on checkout: no caller sees an error.
#[test]
fn pre_ping_replaces_killed_connections_without_an_error() -> Result<()> {
    for (dialect, url) in servers("pre_ping_replaces_killed_connections") {
        let engine = pool_of_four(&url, true)?;
        let observer = create_engine(&url)?;
        let (mut ids, _) = use_four_at_once(dialect, &engine, &HashSet::new())?;
        for round in 0..20 {
            kill(dialect, &observer, &ids)?;
            let killed: HashSet<i64> = ids.iter().copied().collect();
            if round % 2 == 0 {
                let (next, disconnects) = use_four_at_once(dialect, &engine, &killed)?;
                assert_eq!(disconnects, 0, "[{dialect}] round {round}");
                ids = next;
            } else {
                // One at a time: still no error.
                for _ in 0..4 {
                    let id = backend_id(dialect, &mut engine.connect()?)?;
                    assert!(!killed.contains(&id), "[{dialect}] dead session {id}");
                }
                let (next, disconnects) = use_four_at_once(dialect, &engine, &killed)?;
                assert_eq!(disconnects, 0, "[{dialect}] round {round}");
                ids = next;
            }
        }
        assert_eq!(engine.pool_status(), (4, 4));
    }
    Ok(())
}

/// 32 threads × 1 000 checkouts through a pool of 4 + 4 overflow: no deadlock, no timeout,
/// never more than 8 connections, and after `dispose` none left on the server.
#[test]
fn thirty_two_threads_share_a_pool_of_four_plus_four() -> Result<()> {
    for (dialect, url) in servers("thirty_two_threads_share_a_pool") {
        let sessions: Arc<Mutex<HashSet<i64>>> = Arc::default();
        let seen = sessions.clone();
        let engine = create_engine_with(
            &url,
            EngineOptions::new()
                .pool_size(4)
                .max_overflow(4)
                .pool_timeout(Duration::from_secs(60))
                .on_connect(move |conn| {
                    let id = backend_id(dialect, conn)?;
                    seen.lock()
                        .map_err(|_| Error::InvalidRequest("poisoned".into()))?
                        .insert(id);
                    Ok(())
                }),
        )?;
        let threads: Vec<_> = (0..32)
            .map(|t| {
                let engine = engine.clone();
                std::thread::spawn(move || -> Result<()> {
                    for i in 0..1000 {
                        let mut conn = engine.connect()?;
                        let (open, _) = engine.pool_status();
                        assert!(open <= 8, "{open} connections open");
                        if i % 10 == 0 {
                            let n: i64 = conn.scalar(&text("SELECT 1"))?;
                            assert_eq!(n, 1, "thread {t}");
                        }
                    }
                    Ok(())
                })
            })
            .collect();
        for t in threads {
            t.join().expect("a thread panicked")?;
        }
        let (open, idle) = engine.pool_status();
        assert!(open == idle && idle <= 4, "[{dialect}] ({open}, {idle})");
        engine.dispose();
        assert_eq!(engine.pool_status(), (0, 0));
        let ids: Vec<i64> = sessions.lock().expect("ids").iter().copied().collect();
        assert!(!ids.is_empty() && ids.len() >= 4, "[{dialect}] {ids:?}");
        wait_gone(dialect, &create_engine(&url)?, &ids)?;
    }
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Default, Model)]
#[athanor(table = "pool_item")]
struct PoolItem {
    #[athanor(primary_key, autoincrement = false)]
    id: i64,
    name: String,
}

/// A session whose connection dies mid-transaction: the flush fails with `Disconnect`,
/// rollback succeeds (the server already threw the transaction away), and the session goes
/// on with a new connection; only what was committed before is in the table.
#[test]
fn a_session_survives_its_connection_dying_mid_transaction() -> Result<()> {
    let test = "a_session_survives_its_connection_dying";
    for db in [crate::servers::postgres(test), crate::servers::mysql(test)]
        .into_iter()
        .flatten()
    {
        let dialect = if db.url.starts_with("postgres") {
            "postgresql"
        } else {
            "mysql"
        };
        let engine =
            create_engine_with(&db.url, EngineOptions::new().pool_size(2).max_overflow(0))?;
        engine.connect()?.exec_driver_sql(
            "CREATE TABLE pool_item (id INTEGER PRIMARY KEY, name VARCHAR(20) NOT NULL)",
        )?;
        let mut s = Session::new(&engine);
        s.add(PoolItem {
            id: 1,
            name: "committed".into(),
        })?;
        s.commit()?;
        s.add(PoolItem {
            id: 2,
            name: "flushed".into(),
        })?;
        s.flush()?;
        let id = backend_id(dialect, s.connection()?)?;
        kill(dialect, &db.engine, &[id])?;
        s.add(PoolItem {
            id: 3,
            name: "pending".into(),
        })?;
        let err = s.flush().expect_err("the connection is dead");
        assert!(matches!(err, Error::Disconnect(_)), "[{dialect}] {err:?}");
        s.rollback()?;
        s.add(PoolItem {
            id: 4,
            name: "after".into(),
        })?;
        s.commit()?;
        let ids: Vec<i64> = db
            .engine
            .connect()?
            .scalars(&text("SELECT id FROM pool_item ORDER BY id"))?;
        assert_eq!(ids, [1, 4], "[{dialect}]");
        let (open, idle) = engine.pool_status();
        assert!(open <= 2 && idle == open, "[{dialect}] ({open}, {idle})");
    }
    Ok(())
}
