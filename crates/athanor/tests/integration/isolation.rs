//! Isolation levels and AUTOCOMMIT, per connection and per engine (SQLAlchemy's
//! `conn.execution_options(isolation_level=...)` and `create_engine(isolation_level=...)`).
//!
//! Bodies use a pool of one, so the next checkout is provably the same connection: a level
//! set on a connection is undone when it goes back to the pool.

use athanor::dialect::IsolationLevel;
use athanor::prelude::*;
use athanor::{Connection, Engine, Error, Result};

use super::support::{engines, fresh};

/// Runs `body(url)` on every database, with the URL of its private database (a file for
/// SQLite, so that several engines share it).
#[track_caller]
fn on_all_urls(test: &str, body: fn(&str) -> Result<()>) {
    for (name, engine, _guard) in engines() {
        eprintln!("-- on {name}");
        let mut _file = None;
        let url = if name == "sqlite" {
            let path = std::env::temp_dir().join(format!(
                "athanor-isolation-{}-{test}.db",
                std::process::id()
            ));
            let _ = std::fs::remove_file(&path);
            let url = format!("sqlite:///{}", path.display());
            _file = Some(Removed(path));
            url
        } else {
            engine.url().render(false)
        };
        if let Err(e) = body(&url) {
            panic!("[{name}] test body failed: {e}");
        }
    }
}

struct Removed(std::path::PathBuf);

impl Drop for Removed {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn single(url: &str, level: Option<IsolationLevel>) -> Result<Engine> {
    let mut opts = EngineOptions::new()
        .pool_size(1)
        .max_overflow(0)
        .pool_timeout_secs(5.0);
    if let Some(level) = level {
        opts = opts.isolation_level(level);
    }
    create_engine_with(url, opts)
}

/// The level the database reports for the connection's next transaction, in its words.
fn level_now(conn: &mut Connection) -> Result<String> {
    let sql = match conn.engine().dialect().name() {
        "sqlite" => {
            "SELECT CASE WHEN read_uncommitted THEN 'READ UNCOMMITTED' ELSE 'SERIALIZABLE' END FROM pragma_read_uncommitted"
        }
        "postgresql" => "SELECT upper(current_setting('default_transaction_isolation'))",
        _ => "SELECT replace(@@SESSION.tx_isolation, '-', ' ')",
    };
    conn.scalar(&text(sql))
}

fn counter(engine: &Engine, name: &str) -> Result<Table> {
    let md = MetaData::new();
    let t = Table::build(name, &md)
        .column(Column::new("x", Type::Integer).primary_key())
        .finish()?;
    fresh(engine, &md)?;
    Ok(t)
}

fn xs(engine: &Engine, t: &Table) -> Result<Vec<i64>> {
    engine
        .connect()?
        .scalars(&select(t.c("x")).order_by(t.c("x")))
}

fn add(conn: &mut Connection, t: &Table, x: i64) -> Result<()> {
    conn.execute(&t.insert().values(row! { "x" => x }))?;
    Ok(())
}

#[test]
fn autocommit_on_a_connection_commits_every_statement_until_it_returns() {
    on_all_urls("autocommit_conn", |url| {
        let engine = single(url, None)?;
        let observer = create_engine(url)?;
        let t = counter(&engine, "iso_autocommit")?;
        {
            let mut conn = engine.connect()?;
            conn.set_isolation_level(IsolationLevel::Autocommit)?;
            assert_eq!(conn.isolation_level(), Some(IsolationLevel::Autocommit));
            let mut tx = conn.begin()?;
            assert!(tx.in_transaction());
            add(&mut tx, &t, 1)?;
            // Committed at once: another connection sees it before the "transaction" ends.
            assert_eq!(xs(&observer, &t)?, [1]);
            let mut sp = tx.begin_nested()?;
            add(&mut sp, &t, 2)?;
            sp.rollback()?;
            tx.rollback()?;
            assert!(!conn.in_transaction());
            // execute_many stays all or nothing, even here.
            let err = conn
                .execute_many(&t.insert(), [row! { "x" => 3 }, row! { "x" => 1 }])
                .expect_err("duplicate key");
            assert!(matches!(err, Error::Integrity(_)), "{err:?}");
        }
        assert_eq!(xs(&observer, &t)?, [1, 2]);
        // Back in the pool, the connection is transactional again.
        let mut conn = engine.connect()?;
        assert_eq!(conn.isolation_level(), None);
        let mut tx = conn.begin()?;
        add(&mut tx, &t, 4)?;
        tx.rollback()?;
        assert_eq!(xs(&observer, &t)?, [1, 2]);
        Ok(())
    });
}

#[test]
fn a_level_set_on_a_connection_lasts_until_it_returns() {
    on_all_urls("level_conn", |url| {
        let engine = single(url, None)?;
        let (level, default) = if engine.dialect().name() == "sqlite" {
            (IsolationLevel::ReadUncommitted, "SERIALIZABLE")
        } else if engine.dialect().name() == "postgresql" {
            (IsolationLevel::Serializable, "READ COMMITTED")
        } else {
            (IsolationLevel::ReadCommitted, "REPEATABLE READ")
        };
        {
            let mut conn = engine.connect()?;
            assert_eq!(level_now(&mut conn)?, default);
            conn.set_isolation_level(level)?;
            assert_eq!(conn.isolation_level(), Some(level));
            assert_eq!(level_now(&mut conn)?, level.sql());
            conn.begin()?.commit()?;
            assert_eq!(level_now(&mut conn)?, level.sql());
            let mut tx = conn.begin()?;
            let err = tx
                .set_isolation_level(default_level(default))
                .expect_err("inside a transaction");
            assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
        }
        let mut conn = engine.connect()?;
        assert_eq!(level_now(&mut conn)?, default);
        Ok(())
    });
}

fn default_level(name: &str) -> IsolationLevel {
    IsolationLevel::parse(name).unwrap_or(IsolationLevel::Serializable)
}

#[test]
fn an_engine_level_applies_to_every_connection() {
    on_all_urls("level_engine", |url| {
        let probe = create_engine(url)?;
        let level = if probe.dialect().name() == "sqlite" {
            IsolationLevel::ReadUncommitted
        } else {
            IsolationLevel::Serializable
        };
        let engine = single(url, Some(level))?;
        {
            let mut conn = engine.connect()?;
            assert_eq!(conn.isolation_level(), Some(level));
            assert_eq!(level_now(&mut conn)?, level.sql());
            // A connection may change it; it comes back with the engine's.
            let other = if level == IsolationLevel::ReadUncommitted {
                IsolationLevel::Serializable
            } else {
                IsolationLevel::RepeatableRead
            };
            conn.set_isolation_level(other)?;
            assert_eq!(level_now(&mut conn)?, other.sql());
        }
        let mut conn = engine.connect()?;
        assert_eq!(level_now(&mut conn)?, level.sql());
        drop(conn);
        // The same from the URL, as SQLAlchemy's create_engine(isolation_level=...).
        let sep = if url.contains('?') { '&' } else { '?' };
        let from_url = create_engine(&format!("{url}{sep}isolation_level=AUTOCOMMIT"))?;
        let t = counter(&from_url, "iso_engine")?;
        let mut conn = from_url.connect()?;
        assert_eq!(conn.isolation_level(), Some(IsolationLevel::Autocommit));
        let mut tx = conn.begin()?;
        add(&mut tx, &t, 1)?;
        tx.rollback()?;
        assert_eq!(xs(&probe, &t)?, [1]);
        let err = create_engine(&format!("{url}{sep}isolation_level=sometimes"))
            .expect_err("not a level");
        assert!(
            matches!(&err, Error::Argument(m) if m.contains("isolation_level=sometimes")),
            "{err:?}"
        );
        Ok(())
    });
}
