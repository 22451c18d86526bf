//! Engines: URLs, create_engine errors, the pool, echo and the compiled-statement cache.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use athanor::prelude::*;
use athanor::{Engine, Error, Result, Url};

use super::support::{on_all, org};

/// A SQLite file in the temp directory, removed when dropped.
struct TempDb(std::path::PathBuf);

impl TempDb {
    fn new(name: &str) -> TempDb {
        let path =
            std::env::temp_dir().join(format!("athanor-it-{}-{name}.db", std::process::id()));
        let _ = std::fs::remove_file(&path);
        TempDb(path)
    }
    fn url(&self) -> String {
        // sqlite:////absolute/path.db: three slashes, then the absolute path.
        format!("sqlite:///{}", self.0.display())
    }
}

impl Drop for TempDb {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn argument_message(r: Result<Engine>) -> String {
    match r {
        Err(Error::Argument(m)) => m,
        other => panic!("expected Error::Argument, got {other:?}"),
    }
}

#[test]
fn sqlite_url_forms() -> Result<()> {
    for url in ["sqlite://", "sqlite:///:memory:", "sqlite+rusqlite://"] {
        let engine = create_engine(url)?;
        assert_eq!(engine.dialect().name(), "sqlite");
        let two: i64 = engine.connect()?.execute(&text("SELECT 1 + 1"))?.scalar()?;
        assert_eq!(two, 2, "{url}");
    }
    // Relative and absolute file paths; relative files are opened lazily (not here).
    let rel = create_engine("sqlite:///relative.db")?;
    assert_eq!(rel.url().database.as_deref(), Some("relative.db"));
    let abs = create_engine("sqlite:////absolute/path.db")?;
    assert_eq!(abs.url().database.as_deref(), Some("/absolute/path.db"));
    Ok(())
}

#[test]
fn server_urls_parse() -> Result<()> {
    let u =
        Url::parse("postgresql://scott:p%40ss%2Fw%3Ard@[2001:db8::1]:5433/test?sslmode=disable")?;
    assert_eq!(u.dialect(), "postgresql");
    assert_eq!(u.password.as_deref(), Some("p@ss/w:rd"));
    assert_eq!(u.host.as_deref(), Some("2001:db8::1"));
    assert_eq!((u.port, u.database.as_deref()), (Some(5433), Some("test")));
    assert_eq!(u.query_value("sslmode"), Some("disable"));
    assert!(!u.to_string().contains("p@ss"), "{u}");
    assert!(!format!("{u:?}").contains("p@ss"), "{u:?}");
    let m = Url::parse("mysql+mysqldb://root@localhost/db")?;
    assert_eq!((m.dialect(), m.driver()), ("mysql", Some("mysqldb")));
    let m = Url::parse("mariadb://u@127.0.0.1:3307/x")?;
    assert_eq!(
        (m.dialect(), m.host.as_deref(), m.port),
        ("mariadb", Some("127.0.0.1"), Some(3307))
    );
    Ok(())
}

#[test]
fn bad_urls_are_argument_errors() {
    for bad in [
        "nonsense",
        "://nothing",
        "sqlite:relative.db",
        "postgresql://host:99999/db",
        "postgresql://[::1/db",
        "postgresql://host:port/db",
    ] {
        let m = argument_message(create_engine(bad));
        assert!(m.contains("database URL"), "{bad}: {m}");
    }
    let m = argument_message(create_engine("postgresql://scott:tiger@host:bad/db"));
    assert!(!m.contains("tiger"), "the password leaked: {m}");
    let m = argument_message(create_engine("oracle://scott@host/db"));
    assert!(m.contains("unknown dialect 'oracle'"), "{m}");
    let m = argument_message(create_engine("sqlite+pysqlcipher://"));
    assert!(m.contains("pysqlcipher"), "{m}");
    let m = argument_message(create_engine("sqlite://somehost/x.db"));
    assert!(m.contains("not a host"), "{m}");
    let m = argument_message(create_engine("sqlite://?pool_size=many"));
    assert!(m.contains("pool_size=many"), "{m}");
    let m = argument_message(create_engine("sqlite://?pool_timeout=soon"));
    assert!(m.contains("pool_timeout=soon"), "{m}");
}

#[cfg(not(feature = "postgres"))]
#[test]
fn postgres_without_its_feature_names_the_feature() {
    for url in ["postgresql://u:p@localhost/db", "postgres://localhost/db"] {
        let m = argument_message(create_engine(url));
        assert!(m.contains("`postgres` cargo feature"), "{m}");
        assert!(!m.contains(":p@"), "the password leaked: {m}");
    }
}

#[cfg(not(feature = "mysql"))]
#[test]
fn mysql_without_its_feature_names_the_feature() {
    for url in ["mysql://root@localhost/db", "mariadb://root@localhost/db"] {
        let m = argument_message(create_engine(url));
        assert!(m.contains("`mysql` cargo feature"), "{m}");
    }
}

#[test]
fn engine_is_cheap_to_clone_and_shared_across_threads() -> Result<()> {
    fn send_sync<T: Send + Sync + Clone + 'static>() {}
    send_sync::<Engine>();
    let db = TempDb::new("threads");
    let engine = create_engine(&db.url())?;
    engine
        .connect()?
        .execute(&text("CREATE TABLE t (x INTEGER)"))?;
    let handles: Vec<_> = (0..4)
        .map(|i| {
            let engine = engine.clone();
            std::thread::spawn(move || -> Result<()> {
                let mut conn = engine.connect()?;
                conn.execute(&text("INSERT INTO t VALUES (:x)").bind("x", i))?;
                Ok(())
            })
        })
        .collect();
    for h in handles {
        h.join().expect("thread panicked")?;
    }
    let sum: i64 = engine
        .connect()?
        .execute(&text("SELECT sum(x) FROM t"))?
        .scalar()?;
    assert_eq!(sum, 6);
    Ok(())
}

#[test]
fn in_memory_database_is_shared_by_the_engine() -> Result<()> {
    let engine = create_engine("sqlite://")?;
    engine
        .connect()?
        .execute(&text("CREATE TABLE shared (x INTEGER)"))?;
    engine
        .connect()?
        .execute(&text("INSERT INTO shared VALUES (1)"))?;
    let n: i64 = engine
        .connect()?
        .execute(&text("SELECT count(*) FROM shared"))?
        .scalar()?;
    assert_eq!(n, 1);
    // A second engine is a second database.
    let other = create_engine("sqlite://")?;
    let err = other
        .connect()?
        .execute(&text("SELECT count(*) FROM shared"))
        .expect_err("another engine's memory database is separate");
    assert!(matches!(err, Error::Programming(_)), "{err:?}");
    Ok(())
}

#[test]
fn in_memory_database_uses_1024_byte_pages_and_still_rolls_back() -> Result<()> {
    // Small pages make a write transaction journal less (see the SQLite driver's docs).
    let engine = create_engine("sqlite://")?;
    let mut conn = engine.connect()?;
    conn.execute(&text("CREATE TABLE pages (x INTEGER)"))?;
    let size: i64 = engine.connect()?.scalar(&text("PRAGMA page_size"))?;
    assert_eq!(size, 1024);
    let mut tx = conn.begin()?;
    tx.execute(&text("INSERT INTO pages VALUES (1)"))?;
    tx.rollback()?;
    let n: i64 = conn.scalar(&text("SELECT count(*) FROM pages"))?;
    assert_eq!(n, 0);
    Ok(())
}

#[test]
fn in_memory_engine_works_while_a_connection_is_held() -> Result<()> {
    // A short timeout: a call waiting for the held connection fails fast instead of hanging.
    let engine = create_engine_with("sqlite://", EngineOptions::new().pool_timeout_secs(1.0))?;
    let mut held = engine.connect()?;
    held.execute(&text(
        "CREATE TABLE artist (id INTEGER PRIMARY KEY, name VARCHAR(20))",
    ))?;
    // The six calls of an ordinary program, each checking out a connection of its own.
    let md = MetaData::new();
    let album = Table::build("album", &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .column(Column::new("artist_id", Type::Integer).foreign_key(ForeignKey::new("artist.id")))
        .finish()?;
    md.create_all(&engine)?;
    let mut conn = engine.connect()?;
    conn.execute(&text("INSERT INTO artist VALUES (1, 'AC/DC')"))?;
    engine.transaction(|c| {
        c.execute(&album.insert().values(row! { "id" => 10, "artist_id" => 1 }))?;
        Ok(())
    })?;
    let inspector = engine.inspect();
    assert_eq!(inspector.get_table_names(None)?, ["album", "artist"]);
    assert!(inspector.has_table("album", None)?);
    let other = MetaData::new();
    let artist = Table::autoload("artist", &other, &engine)?;
    let columns: Vec<&str> = artist.columns().iter().map(|c| c.name()).collect();
    assert_eq!(columns, ["id", "name"]);
    // Every connection sees the others' committed work.
    let n: i64 = held.scalar(&text("SELECT count(*) FROM album"))?;
    assert_eq!(n, 1);
    let names: Vec<String> = conn.scalars(&select(artist.c("name")))?;
    assert_eq!(names, ["AC/DC"]);
    drop((held, conn));
    // The database lives as long as the engine, even with no connection checked out.
    engine.dispose();
    let n: i64 = engine
        .connect()?
        .scalar(&text("SELECT count(*) FROM artist"))?;
    assert_eq!(n, 1);
    Ok(())
}

#[test]
fn chinook_load_leaves_the_engine_usable_while_a_connection_is_held() -> Result<()> {
    let (engine, metadata) = athanor::chinook::load()?;
    let mut conn = engine.connect()?;
    let albums = Table::autoload("Album", &metadata, &engine)?;
    let n: i64 = conn.scalar(&select(func::count_star()).select_from(&albums))?;
    assert_eq!(n, 347);
    assert!(engine.inspect().has_table("Artist", None)?);
    Ok(())
}

#[test]
fn file_database_persists_across_engines() -> Result<()> {
    let db = TempDb::new("persist");
    {
        let engine = create_engine(&db.url())?;
        let md = MetaData::new();
        let t = Table::build("kept", &md)
            .column(Column::new("x", Type::Integer))
            .finish()?;
        md.create_all(&engine)?;
        engine
            .connect()?
            .execute(&t.insert().values(row! { "x" => 42 }))?;
    }
    let engine = create_engine(&db.url())?;
    let x: i64 = engine
        .connect()?
        .execute(&text("SELECT x FROM kept"))?
        .scalar()?;
    assert_eq!(x, 42);
    Ok(())
}

#[test]
fn unopenable_file_is_operational_at_connect() -> Result<()> {
    let engine = create_engine("sqlite:////nonexistent-athanor-dir/sub/x.db")?;
    let err = engine.connect().expect_err("the directory does not exist");
    match &err {
        Error::Operational(d) => assert!(
            d.message.contains("/nonexistent-athanor-dir/sub/x.db"),
            "{err}"
        ),
        other => panic!("expected Operational, got {other:?}"),
    }
    Ok(())
}

#[test]
fn pool_times_out_and_recovers() -> Result<()> {
    let engine = create_engine_with(
        "sqlite://",
        EngineOptions::new()
            .pool_size(1)
            .max_overflow(0)
            .pool_timeout_secs(0.2),
    )?;
    let held = engine.connect()?;
    assert_eq!(engine.pool_status(), (1, 0));
    let t0 = Instant::now();
    let err = engine.connect().expect_err("the only connection is held");
    assert!(
        matches!(err, Error::PoolTimeout { size: 1, waited_ms, .. } if waited_ms >= 200),
        "{err:?}"
    );
    assert!(t0.elapsed() >= Duration::from_millis(200));
    drop(held);
    assert_eq!(engine.pool_status(), (1, 1));
    let _again = engine.connect()?;
    Ok(())
}

#[test]
fn pool_waiter_gets_a_returned_connection() -> Result<()> {
    let db = TempDb::new("pool");
    let engine = create_engine(&format!(
        "{}?pool_size=2&max_overflow=0&pool_timeout=5",
        db.url()
    ))?;
    let a = engine.connect()?;
    let b = engine.connect()?;
    assert_eq!(engine.pool_status(), (2, 0));
    let releaser = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(100));
        drop(a);
    });
    let t0 = Instant::now();
    let c = engine.connect()?;
    assert!(t0.elapsed() >= Duration::from_millis(50));
    releaser.join().expect("releaser panicked");
    drop((b, c));
    assert_eq!(engine.pool_status(), (2, 2));
    engine.dispose();
    assert_eq!(engine.pool_status(), (0, 0));
    let one: i64 = engine.connect()?.execute(&text("SELECT 1"))?.scalar()?;
    assert_eq!(one, 1);
    Ok(())
}

/// A `tracing` writer collecting everything into a shared buffer.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    fn text(&self) -> String {
        let buf = self.0.lock().unwrap_or_else(|e| e.into_inner());
        String::from_utf8_lossy(&buf).into_owned()
    }
}

impl Write for Captured {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn capture<T>(f: impl FnOnce() -> T) -> (T, String) {
    let out = Captured::default();
    let writer = out.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .with_max_level(tracing::Level::INFO)
        .finish();
    let r = tracing::subscriber::with_default(subscriber, f);
    (r, out.text())
}

#[test]
fn echo_logs_statements_parameters_and_cache_hits() -> Result<()> {
    let (r, log) = capture(|| -> Result<()> {
        let engine = create_engine_with("sqlite://", EngineOptions::new().echo(true))?;
        let mut conn = engine.connect()?;
        conn.execute(&text("CREATE TABLE echoed (name VARCHAR(10), age FLOAT)"))?;
        let stmt = |age: f64| text("SELECT name FROM echoed WHERE age > :age").bind("age", age);
        conn.execute(&stmt(30.5))?;
        conn.execute(&stmt(41.25))?;
        Ok(())
    });
    r?;
    assert!(log.contains("athanor::engine"), "{log}");
    assert!(
        log.contains("SELECT name FROM echoed WHERE age > ?"),
        "{log}"
    );
    assert!(log.contains("[generated in "), "{log}");
    assert!(log.contains("(30.5)"), "{log}");
    assert!(log.contains("[cached since "), "{log}");
    assert!(log.contains("(41.25)"), "{log}");
    // The second run of the shape is the cached one.
    let generated = log.find("(30.5)").unwrap_or(usize::MAX);
    let cached = log.find("[cached since").unwrap_or(0);
    assert!(cached > generated, "{log}");
    // Without echo, nothing is logged.
    let (r, quiet) = capture(|| -> Result<()> {
        let engine = create_engine("sqlite://")?;
        engine.connect()?.execute(&text("SELECT 1"))?;
        Ok(())
    });
    r?;
    assert_eq!(quiet, "");
    Ok(())
}

#[test]
fn echo_logs_no_values_with_hide_parameters() -> Result<()> {
    let (r, log) = capture(|| -> Result<()> {
        let opts = EngineOptions::new().echo(true).hide_parameters(true);
        let engine = create_engine_with("sqlite://", opts)?;
        let mut conn = engine.connect()?;
        conn.execute(&text("SELECT :password AS p").bind("password", "hunter2"))?;
        Ok(())
    });
    r?;
    assert!(log.contains("SELECT ? AS p"), "{log}");
    assert!(
        log.contains("] [SQL parameters hidden due to hide_parameters=true]"),
        "{log}"
    );
    assert!(!log.contains("hunter2"), "{log}");
    // A long value shown by echo is cut like an error's.
    let (r, log) = capture(|| -> Result<()> {
        let engine = create_engine("sqlite://?echo=true")?;
        let long = "x".repeat(5000);
        engine
            .connect()?
            .execute(&text("SELECT :v AS v").bind("v", long))?;
        Ok(())
    });
    r?;
    assert!(
        log.contains(" ... (4702 characters truncated) ... "),
        "{log}"
    );
    Ok(())
}

#[test]
fn echo_from_the_url() -> Result<()> {
    let (r, log) = capture(|| -> Result<()> {
        let engine = create_engine("sqlite://?echo=true")?;
        engine.connect()?.execute(&text("SELECT 41 + 1"))?;
        Ok(())
    });
    r?;
    assert!(log.contains("SELECT 41 + 1"), "{log}");
    Ok(())
}

#[test]
fn reexecuted_shapes_are_cache_hits() {
    on_all(|engine| {
        let o = org(engine, "eng_cache")?;
        let e = &o.emp;
        let mut conn = engine.connect()?;
        let before = engine.cache_stats();
        for min in [10, 60, 90] {
            conn.execute(&select(e.c("name")).filter(e.c("salary").gt(min)))?;
        }
        let after = engine.cache_stats();
        assert_eq!(after.misses - before.misses, 1);
        assert_eq!(after.hits - before.hits, 2);
        assert_eq!(after.size, before.size + 1);
        // IN lists of any length, and LIMIT/OFFSET values, are parameters of one shape.
        let before = engine.cache_stats();
        let mut seen = Vec::new();
        for n in 1..=4i64 {
            let stmt = select(e.c("id"))
                .filter(e.c("id").in_(1..=n))
                .order_by(e.c("id"))
                .limit(n as u64)
                .offset(0);
            seen.push(conn.execute(&stmt)?.scalars::<i64>()?.len());
        }
        assert_eq!(seen, [1, 2, 3, 4]);
        let after = engine.cache_stats();
        assert_eq!(
            (after.misses - before.misses, after.hits - before.hits),
            (1, 3)
        );
        // A different shape is a miss.
        let before = engine.cache_stats();
        conn.execute(&select(e.c("name")).filter(e.c("salary").lt(10)))?;
        assert_eq!(engine.cache_stats().misses - before.misses, 1);
        Ok(())
    });
}

#[test]
fn cache_can_be_disabled() -> Result<()> {
    let engine = create_engine_with("sqlite://", EngineOptions::new().cache_size(0))?;
    let mut conn = engine.connect()?;
    for _ in 0..3 {
        conn.execute(&text("SELECT 1"))?;
    }
    let stats = engine.cache_stats();
    assert_eq!((stats.hits, stats.misses, stats.size), (0, 3, 0));
    Ok(())
}

#[cfg(feature = "mysql")]
#[test]
fn mysql_transport_follows_prefer_socket() -> Result<()> {
    let m = argument_message(create_engine(
        "mysql://root@localhost/db?prefer_socket=maybe",
    ));
    assert!(m.contains("prefer_socket=maybe"), "{m}");
    let Some(db) = super::support::servers::mysql("mysql_transport") else {
        return Ok(());
    };
    // The default reconnects through the server's socket on loopback; false keeps TCP. Both
    // reach the same database.
    for url in [db.url.clone(), format!("{}?prefer_socket=false", db.url)] {
        let engine = create_engine(&url)?;
        let mut conn = engine.connect()?;
        let name: String = conn.scalar(&text("SELECT DATABASE()"))?;
        assert_eq!(name, db.name, "{url}");
    }
    Ok(())
}
