//! [`Engine`]: the starting point, made from a database URL; connections, transactions and
//! results.

mod connection;
mod control;
mod execute_many;
mod inserted_key;
mod params_display;
mod pool;
mod result;
mod sink;
mod transaction;
pub(crate) mod url;
mod url_options;

pub use connection::Connection;
pub use result::{CursorResult, FromRow, Row, RowIndex, RowValues};
pub(crate) use sink::LoadRows;
pub use transaction::{EngineTransaction, Transaction};

use std::sync::Arc;
use std::time::Duration;

use athanor_core::compiler::{CacheStats, StatementCache};
use athanor_core::dialect::{Dialect, IsolationLevel};

use crate::{Error, Result, Url};

/// Options for [`create_engine_with`].
///
/// ```
/// use athanor::EngineOptions;
/// let opts = EngineOptions::new().echo(true).pool_size(10).pool_timeout_secs(5.0);
/// # let _ = opts;
/// ```
#[derive(Debug, Clone)]
pub struct EngineOptions {
    echo: bool,
    pool_size: usize,
    /// The timeout, or why the seconds given to [`EngineOptions::pool_timeout_secs`] aren't one
    /// (reported by [`create_engine_with`]).
    pool_timeout: std::result::Result<Duration, String>,
    cache_size: usize,
    isolation_level: Option<IsolationLevel>,
    insertmanyvalues: bool,
    hide_parameters: bool,
}

impl Default for EngineOptions {
    fn default() -> Self {
        EngineOptions {
            echo: false,
            pool_size: 5,
            pool_timeout: Ok(Duration::from_secs(30)),
            cache_size: 500,
            isolation_level: None,
            insertmanyvalues: true,
            hide_parameters: false,
        }
    }
}

impl EngineOptions {
    /// Defaults: no echo, a pool of 5, 30 s timeout, 500 cached statement shapes.
    pub fn new() -> Self {
        Self::default()
    }
    /// Log every statement and its parameters through `tracing` (target `athanor::engine`,
    /// level INFO), as SQLAlchemy's `echo=True`.
    pub fn echo(mut self, echo: bool) -> Self {
        self.echo = echo;
        self
    }
    /// The most connections the pool opens; 0 is refused by [`create_engine_with`]
    /// ([`Error::Argument`]).
    pub fn pool_size(mut self, n: usize) -> Self {
        self.pool_size = n;
        self
    }
    /// How long `connect()` waits for a free connection before [`Error::PoolTimeout`].
    pub fn pool_timeout(mut self, d: Duration) -> Self {
        self.pool_timeout = Ok(d);
        self
    }
    /// [`EngineOptions::pool_timeout`] in seconds.
    ///
    /// Seconds that are no timeout (negative, NaN, infinite, beyond `u64::MAX`) are reported
    /// by [`create_engine_with`] as [`Error::Argument`], never clamped:
    ///
    /// ```
    /// use athanor::prelude::*;
    /// let opts = EngineOptions::new().pool_timeout_secs(f64::INFINITY);
    /// let err = create_engine_with("sqlite://", opts).unwrap_err();
    /// assert!(matches!(err, athanor::Error::Argument(_)), "{err}");
    /// ```
    pub fn pool_timeout_secs(mut self, secs: f64) -> Self {
        self.pool_timeout = url_options::seconds(secs);
        self
    }
    /// How many compiled statement shapes to keep (0 disables the cache).
    pub fn cache_size(mut self, n: usize) -> Self {
        self.cache_size = n;
        self
    }
    /// The isolation level of every connection, or AUTOCOMMIT (SQLAlchemy's
    /// `create_engine(isolation_level=...)`; in a URL, `?isolation_level=READ%20COMMITTED` or
    /// `?isolation_level=AUTOCOMMIT`). Each new connection is set up with it; a connection
    /// may change its own with
    /// [`Connection::set_isolation_level`](crate::Connection::set_isolation_level) until it
    /// goes back to the pool.
    ///
    /// ```
    /// use athanor::prelude::*;
    /// use athanor::dialect::IsolationLevel;
    /// let engine = create_engine_with(
    ///     "sqlite://",
    ///     EngineOptions::new().isolation_level(IsolationLevel::Autocommit),
    /// )?;
    /// assert_eq!(engine.connect()?.isolation_level(), Some(IsolationLevel::Autocommit));
    /// # Ok::<(), athanor::Error>(())
    /// ```
    pub fn isolation_level(mut self, level: IsolationLevel) -> Self {
        self.isolation_level = Some(level);
        self
    }
    /// Whether a session's flush inserts new objects whose keys the database generates in
    /// batches (default on; SQLAlchemy's `create_engine(use_insertmanyvalues=...)`):
    /// multi-row `INSERT ... RETURNING` on PostgreSQL and MariaDB, one prepared INSERT
    /// re-bound per object (each object's row id read after its row) on SQLite and MySQL.
    /// Off, the flush sends one INSERT statement per object, as built for it.
    ///
    /// The batches give each object the key of its row by order: PostgreSQL and MariaDB insert
    /// the rows of a `VALUES` list, and return them, one by one in the list's order, and
    /// generated keys increase within a statement. The flush checks that the keys came back
    /// strictly increasing, one per row, and otherwise fails (rolling the transaction back)
    /// rather than guess.
    ///
    /// ```
    /// use athanor::prelude::*;
    /// let engine = create_engine_with("sqlite://", EngineOptions::new().use_insertmanyvalues(false))?;
    /// # let _ = engine;
    /// # Ok::<(), athanor::Error>(())
    /// ```
    pub fn use_insertmanyvalues(mut self, on: bool) -> Self {
        self.insertmanyvalues = on;
        self
    }
    /// Keep statement parameters out of error messages and echo logs (SQLAlchemy's
    /// `create_engine(hide_parameters=True)`; in a URL, `?hide_parameters=true`), for values
    /// that mustn't reach logs: errors say `[SQL parameters hidden due to
    /// hide_parameters=true]` and echo logs no values. The SQL is always kept.
    ///
    /// Shown (the default), each value's text is capped at 300 characters (a longer one keeps
    /// its ends around `... (N characters truncated) ...`), and at most 100 values and 10 rows
    /// of a many-row INSERT are shown, with a note of how many in all.
    ///
    /// ```
    /// use athanor::prelude::*;
    /// let engine = create_engine_with("sqlite://", EngineOptions::new().hide_parameters(true))?;
    /// let mut conn = engine.connect()?;
    /// conn.execute(&text("CREATE TABLE users (email TEXT UNIQUE)"))?;
    /// let add = text("INSERT INTO users (email) VALUES (:e)").bind("e", "ann@example.com");
    /// conn.execute(&add)?;
    /// let err = conn.execute(&add).unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "(IntegrityError) UNIQUE constraint failed: users.email (code 2067)\n\
    ///      [SQL: INSERT INTO users (email) VALUES (?)]\n\
    ///      [SQL parameters hidden due to hide_parameters=true]"
    /// );
    /// # Ok::<(), athanor::Error>(())
    /// ```
    pub fn hide_parameters(mut self, hide: bool) -> Self {
        self.hide_parameters = hide;
        self
    }
}

pub(crate) struct EngineInner {
    pub(crate) url: Url,
    pub(crate) dialect: Arc<dyn Dialect>,
    /// The dialect as refined by the first connection (server version capabilities).
    pub(crate) detected: std::sync::OnceLock<Arc<dyn Dialect>>,
    pub(crate) pool: pool::Pool,
    pub(crate) cache: StatementCache,
    pub(crate) echo: bool,
    /// Every connection's isolation level (or AUTOCOMMIT), when set.
    pub(crate) isolation: Option<IsolationLevel>,
    /// [`EngineOptions::use_insertmanyvalues`].
    pub(crate) insertmanyvalues: bool,
    /// [`EngineOptions::hide_parameters`].
    pub(crate) hide_parameters: bool,
}

/// A source of connections to one database: cheap to clone, `Send + Sync`.
///
/// ```
/// use athanor::prelude::*;
/// let engine = create_engine("sqlite:///:memory:")?;
/// let mut conn = engine.connect()?;
/// let n: i64 = conn.execute(&text("SELECT 1 + 1"))?.scalar()?;
/// assert_eq!(n, 2);
/// # Ok::<(), athanor::Error>(())
/// ```
#[derive(Clone)]
pub struct Engine(pub(crate) Arc<EngineInner>);

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Engine({})", self.0.url)
    }
}

/// Makes an engine from a database URL (SQLAlchemy's `create_engine`).
///
/// | URL | database |
/// |---|---|
/// | `sqlite://`, `sqlite:///:memory:` | in-memory SQLite: one database per engine, shared by its connections |
/// | `sqlite:///relative.db`, `sqlite:////absolute/path.db` | a SQLite file |
/// | `postgresql://user:pw@host:5432/db` | PostgreSQL (feature `postgres`) |
/// | `mysql://user:pw@host:3306/db`, `mariadb://...` | MySQL / MariaDB (feature `mysql`) |
///
/// Query options: `echo=true`, `hide_parameters=true`, `pool_size=N`, `pool_timeout=SECONDS`,
/// `isolation_level=LEVEL` (`AUTOCOMMIT`, `READ COMMITTED`, ...: see
/// [`EngineOptions::isolation_level`]), and the driver's (`connect_timeout=SECONDS`, ...); a
/// value that isn't valid, or an unknown option, is an [`Error::Argument`] (the table of
/// options is in the `url_options` module's source docs).
///
/// Connections are opened lazily: a bad SQLite path or an unreachable server is reported by
/// the first `connect()`.
///
/// An in-memory SQLite engine, as in SQLAlchemy, is one database shared by all of the
/// engine's connections, and a pool like any other: several connections can be checked out at
/// once (SQLite's `memdb` VFS under a name unique to the engine), so `create_all`,
/// `engine.transaction`, reflection and `has_table` work while a connection is held. The
/// database lives as long as the engine (a clone included); two engines never share one.
/// Its pages are 1024 bytes (`PRAGMA page_size`), which makes single-row writes cheaper.
///
/// ```
/// use athanor::prelude::*;
/// let engine = create_engine("sqlite://")?;
/// let mut held = engine.connect()?;
/// held.execute(&text("CREATE TABLE t (x INTEGER)"))?;
/// engine.transaction(|conn| conn.execute(&text("INSERT INTO t VALUES (1)")).map(drop))?;
/// assert!(engine.inspect().has_table("t", None)?);
/// assert_eq!(held.scalar::<i64, _>(&text("SELECT count(*) FROM t"))?, 1);
/// # Ok::<(), athanor::Error>(())
/// ```
///
/// # Errors
/// [`Error::Argument`] for a malformed URL, an unknown dialect, a dialect whose driver
/// feature is not enabled, an unknown URL option or an option value that isn't valid
/// (`pool_timeout=inf`, `pool_size=0`, `echo=maybe`).
pub fn create_engine(url: &str) -> Result<Engine> {
    create_engine_with(url, EngineOptions::default())
}

/// [`create_engine`] with options.
///
/// # Errors
/// As [`create_engine`].
pub fn create_engine_with(url: &str, options: EngineOptions) -> Result<Engine> {
    let url = Url::parse(url)?;
    let mut options = options;
    url_options::check_known(&url)?;
    for (k, v) in &url.query {
        match k.as_str() {
            "echo" => options.echo = url_options::boolean(k, v)?,
            "hide_parameters" => options.hide_parameters = url_options::boolean(k, v)?,
            "pool_size" => options.pool_size = url_options::pool_size(v)?,
            "pool_timeout" => options.pool_timeout = Ok(url_options::timeout(k, v)?),
            "isolation_level" => {
                options.isolation_level = Some(IsolationLevel::parse(v).ok_or_else(|| {
                    Error::argument(format!(
                        "isolation_level={v} in the URL is not an isolation level: write AUTOCOMMIT, READ UNCOMMITTED, READ COMMITTED, REPEATABLE READ or SERIALIZABLE"
                    ))
                })?);
            }
            _ => {}
        }
    }
    let pool_timeout = options
        .pool_timeout
        .map_err(|why| Error::argument(format!("EngineOptions::pool_timeout_secs: {why}")))?;
    if options.pool_size == 0 {
        return Err(Error::argument(
            "EngineOptions::pool_size(0): a pool holds at least 1 connection",
        ));
    }
    let driver = crate::driver::for_url(&url)?;
    let dialect = driver.dialect();
    // A level (not AUTOCOMMIT, which the engine applies) is set on each new connection.
    let setup = match options.isolation_level {
        Some(l) if l != IsolationLevel::Autocommit => Some(dialect.isolation_level_sql(l)?),
        _ => None,
    };
    let pool = pool::Pool::new(driver, options.pool_size, pool_timeout, setup);
    Ok(Engine(Arc::new(EngineInner {
        url,
        dialect,
        detected: std::sync::OnceLock::new(),
        pool,
        cache: StatementCache::new(options.cache_size),
        echo: options.echo,
        isolation: options.isolation_level,
        insertmanyvalues: options.insertmanyvalues,
        hide_parameters: options.hide_parameters,
    })))
}

impl Engine {
    /// Checks out a connection from the pool.
    ///
    /// # Errors
    /// [`Error::Operational`] when the database can't be opened or reached;
    /// [`Error::PoolTimeout`] when every pooled connection stays busy past the timeout.
    pub fn connect(&self) -> Result<Connection> {
        let mut raw = self.0.pool.acquire()?;
        if self.0.detected.get().is_none() {
            let d = raw
                .server_dialect()
                .unwrap_or_else(|| self.0.dialect.clone());
            let _ = self.0.detected.set(d);
        }
        Ok(Connection::new(self.clone(), raw))
    }

    /// A connection inside a transaction that commits with
    /// [`EngineTransaction::commit`] and rolls back when dropped (SQLAlchemy's
    /// `with engine.begin() as conn`).
    ///
    /// # Errors
    /// As [`Engine::connect`], and the database's error for `BEGIN`.
    pub fn begin(&self) -> Result<EngineTransaction> {
        EngineTransaction::new(self.connect()?)
    }

    /// Runs `f` in a transaction: commits when it returns `Ok`, rolls back on `Err`.
    ///
    /// ```
    /// use athanor::prelude::*;
    /// let engine = create_engine("sqlite://")?;
    /// let n = engine.transaction(|conn| {
    ///     conn.execute(&text("CREATE TABLE t (x INTEGER)"))?;
    ///     conn.execute(&text("INSERT INTO t VALUES (1), (2)"))?;
    ///     conn.execute(&text("SELECT count(*) FROM t"))?.scalar::<i64>()
    /// })?;
    /// assert_eq!(n, 2);
    /// # Ok::<(), athanor::Error>(())
    /// ```
    ///
    /// # Errors
    /// Whatever `f` returns, or the database's error for BEGIN/COMMIT.
    pub fn transaction<T>(&self, f: impl FnOnce(&mut Connection) -> Result<T>) -> Result<T> {
        let mut tx = self.begin()?;
        let out = f(&mut tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// The engine's dialect.
    pub fn dialect(&self) -> &dyn Dialect {
        &**self.0.detected.get().unwrap_or(&self.0.dialect)
    }

    /// The URL (its `Display` hides the password).
    pub fn url(&self) -> &Url {
        &self.0.url
    }

    /// Compiled-statement cache counters: a re-executed statement shape is a hit.
    pub fn cache_stats(&self) -> CacheStats {
        self.0.cache.stats()
    }

    /// Connections open (in use or idle) and idle.
    pub fn pool_status(&self) -> (usize, usize) {
        self.0.pool.status()
    }

    /// Closes idle pooled connections (SQLAlchemy's `dispose`). An in-memory SQLite
    /// database keeps its data: it lives as long as the engine.
    pub fn dispose(&self) {
        self.0.pool.dispose();
    }
}

#[cfg(test)]
mod tests {
    /// Engines are shared across threads: the handle is `Send + Sync` and cheap to clone.
    #[test]
    fn engine_is_send_sync_and_clone() {
        fn check<T: Send + Sync + Clone>() {}
        check::<super::Engine>();
    }
}
