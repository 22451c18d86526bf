//! [`Engine`]: the starting point, made from a database URL; connections, transactions and
//! results.

mod connection;
mod control;
pub mod events;
mod execute_many;
mod execution_options;
mod inserted_key;
mod params_display;
mod pool;
mod result;
mod sink;
pub(crate) mod timeouts;
mod transaction;
pub(crate) mod url;
pub(crate) mod url_options;

pub use connection::Connection;
pub use events::{StatementEvent, StatementOutcome};
pub use execution_options::ExecutionOptions;
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
///
/// The pool's options are SQLAlchemy's `create_engine` arguments of the same names, and can
/// be given in the URL too (`?pool_size=10&max_overflow=0&pool_pre_ping=true&pool_recycle=3600`).
#[derive(Debug, Clone)]
pub struct EngineOptions {
    echo: bool,
    pool_size: usize,
    max_overflow: usize,
    /// [`EngineOptions::pool_recycle_secs`], or why the seconds aren't a duration.
    pool_recycle: std::result::Result<Option<Duration>, String>,
    pool_pre_ping: bool,
    pool_use_lifo: bool,
    reset_on_return: ResetOnReturn,
    events: events::Events,
    /// The timeout, or why the seconds given to [`EngineOptions::pool_timeout_secs`] aren't one
    /// (reported by [`create_engine_with`]).
    pool_timeout: std::result::Result<Duration, String>,
    cache_size: usize,
    isolation_level: Option<IsolationLevel>,
    insertmanyvalues: bool,
    statement_timeout: Option<Duration>,
    hide_parameters: bool,
}

impl Default for EngineOptions {
    fn default() -> Self {
        EngineOptions {
            echo: false,
            pool_size: 5,
            max_overflow: 10,
            pool_recycle: Ok(None),
            pool_pre_ping: false,
            pool_use_lifo: false,
            reset_on_return: ResetOnReturn::Rollback,
            events: events::Events::default(),
            pool_timeout: Ok(Duration::from_secs(30)),
            cache_size: 500,
            isolation_level: None,
            insertmanyvalues: true,
            statement_timeout: None,
            hide_parameters: false,
        }
    }
}

impl EngineOptions {
    /// Defaults: no echo, a pool of 5 with an overflow of 10 (SQLAlchemy's), FIFO, no
    /// pre-ping, no recycling, 30 s pool timeout, rollback on return, 500 cached statement
    /// shapes.
    pub fn new() -> Self {
        Self::default()
    }
    /// Log every statement and its parameters through `tracing` (target `athanor::engine`,
    /// level INFO), as SQLAlchemy's `echo=True`.
    pub fn echo(mut self, echo: bool) -> Self {
        self.echo = echo;
        self
    }
    /// The connections the pool keeps open (SQLAlchemy's `pool_size`, default 5); 0 is
    /// refused by [`create_engine_with`] ([`Error::Argument`]).
    pub fn pool_size(mut self, n: usize) -> Self {
        self.pool_size = n;
        self
    }
    /// How many connections the pool may open beyond `pool_size` when all are busy (default
    /// 10, as SQLAlchemy); they are closed when they come back. With 0, `pool_size` is the
    /// most connections open at once, and the next caller waits up to `pool_timeout`.
    ///
    /// ```
    /// use athanor::prelude::*;
    /// let engine = create_engine_with("sqlite://", EngineOptions::new().pool_size(1).max_overflow(1))?;
    /// let (a, b) = (engine.connect()?, engine.connect()?); // the second is an overflow
    /// assert_eq!(engine.pool_status(), (2, 0));
    /// drop((a, b));
    /// assert_eq!(engine.pool_status(), (1, 1)); // the overflow was closed on return
    /// # Ok::<(), athanor::Error>(())
    /// ```
    pub fn max_overflow(mut self, n: usize) -> Self {
        self.max_overflow = n;
        self
    }
    /// Check each connection with a ping before handing it out (SQLAlchemy's
    /// `pool_pre_ping`): a connection the server dropped (a restart, an idle timeout, a
    /// load-balancer) is replaced without the caller seeing an error. It costs a round trip
    /// per checkout: MySQL's `COM_PING`, PostgreSQL's empty query; nothing on SQLite.
    pub fn pool_pre_ping(mut self, on: bool) -> Self {
        self.pool_pre_ping = on;
        self
    }
    /// Close, rather than hand out, connections older than this (SQLAlchemy's
    /// `pool_recycle`): set it below the server's or the network's idle limit (MySQL's
    /// `wait_timeout`, a load-balancer's idle timeout).
    pub fn pool_recycle(mut self, age: Duration) -> Self {
        self.pool_recycle = Ok(Some(age));
        self
    }
    /// [`EngineOptions::pool_recycle`] in seconds; a negative, NaN or infinite number is an
    /// [`Error::Argument`] from [`create_engine_with`].
    pub fn pool_recycle_secs(mut self, secs: f64) -> Self {
        self.pool_recycle = url_options::seconds(secs).map(Some);
        self
    }
    /// Hand out the most recently returned connection first (SQLAlchemy's `pool_use_lifo`):
    /// under light load the others stay idle and age out with `pool_recycle` or the server's
    /// idle timeout. The default is FIFO: connections take turns.
    pub fn pool_use_lifo(mut self, on: bool) -> Self {
        self.pool_use_lifo = on;
        self
    }
    /// What a connection does when it goes back to the pool (SQLAlchemy's
    /// `pool_reset_on_return`): roll back (the default), commit, or nothing.
    ///
    /// ```
    /// use athanor::prelude::*;
    /// use athanor::ResetOnReturn;
    /// let engine = create_engine_with("sqlite://", EngineOptions::new().pool_reset_on_return(ResetOnReturn::Commit))?;
    /// {
    ///     let mut conn = engine.connect()?;
    ///     conn.exec_driver_sql("CREATE TABLE t (x INTEGER); BEGIN; INSERT INTO t VALUES (1)")?;
    /// } // committed on return
    /// assert_eq!(engine.connect()?.scalar::<i64, _>(&text("SELECT count(*) FROM t"))?, 1);
    /// # Ok::<(), athanor::Error>(())
    /// ```
    pub fn pool_reset_on_return(mut self, reset: ResetOnReturn) -> Self {
        self.reset_on_return = reset;
        self
    }
    /// Runs `f` on every new database connection before its first use (SQLAlchemy's
    /// `connect` event): per-connection setup such as `PRAGMA`s, `SET search_path` or the
    /// session's time zone. When `f` fails, the connection is closed and `connect()` returns
    /// the error. What `f` returns on success is dropped, so it may end with a statement's
    /// result.
    ///
    /// ```
    /// use athanor::prelude::*;
    /// let engine = create_engine_with(
    ///     "sqlite://",
    ///     EngineOptions::new().on_connect(|conn| conn.exec_driver_sql("PRAGMA foreign_keys = ON")),
    /// )?;
    /// let on: i64 = engine.connect()?.scalar(&text("PRAGMA foreign_keys"))?;
    /// assert_eq!(on, 1);
    /// # Ok::<(), athanor::Error>(())
    /// ```
    pub fn on_connect<T>(
        mut self,
        f: impl Fn(&mut Connection) -> Result<T> + Send + Sync + 'static,
    ) -> Self {
        self.events.on_connect = Some(Arc::new(move |conn| f(conn).map(drop)));
        self
    }
    /// Runs `f` every time a connection is checked out of the pool (SQLAlchemy's `checkout`
    /// event), after `on_connect` for a new one. When `f` fails, the connection is closed and
    /// `connect()` returns the error.
    pub fn on_checkout(
        mut self,
        f: impl Fn(&mut Connection) -> Result<()> + Send + Sync + 'static,
    ) -> Self {
        self.events.on_checkout = Some(Arc::new(f));
        self
    }
    /// Calls `f` before each statement is sent (SQLAlchemy's `before_cursor_execute`), with
    /// its SQL and parameters. See [`events`].
    pub fn before_execute(
        mut self,
        f: impl Fn(&StatementEvent<'_>) + Send + Sync + 'static,
    ) -> Self {
        self.events.before_execute = Some(Arc::new(f));
        self
    }
    /// Calls `f` after each statement (SQLAlchemy's `after_cursor_execute`, and
    /// `handle_error` when it failed), with how long it took: to time and count statements.
    ///
    /// ```
    /// use std::sync::{Arc, atomic::{AtomicUsize, Ordering}};
    /// use athanor::prelude::*;
    /// let count = Arc::new(AtomicUsize::new(0));
    /// let seen = count.clone();
    /// let engine = create_engine_with(
    ///     "sqlite://",
    ///     EngineOptions::new().after_execute(move |stmt, outcome| {
    ///         seen.fetch_add(1, Ordering::Relaxed);
    ///         assert!(outcome.error.is_none(), "{}", stmt.sql);
    ///     }),
    /// )?;
    /// let mut conn = engine.connect()?;
    /// conn.execute(&text("SELECT 1"))?;
    /// conn.execute(&text("SELECT 2"))?;
    /// assert_eq!(count.load(Ordering::Relaxed), 2);
    /// # Ok::<(), athanor::Error>(())
    /// ```
    pub fn after_execute(
        mut self,
        f: impl Fn(&StatementEvent<'_>, &StatementOutcome<'_>) + Send + Sync + 'static,
    ) -> Self {
        self.events.after_execute = Some(Arc::new(f));
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
    /// The time limit of every statement on the engine's connections (none by default); in a
    /// URL, `?statement_timeout=SECONDS` (`2.5`). Each new connection is set up with it
    /// (PostgreSQL's `statement_timeout`, MariaDB's `max_statement_time`, MySQL's
    /// `max_execution_time`, which limits only `SELECT`s; SQLite's connections interrupt a
    /// statement at its deadline). A statement past it fails with [`Error::Timeout`]; a
    /// connection may set its own with
    /// [`Connection::set_statement_timeout`](crate::Connection::set_statement_timeout) until
    /// it goes back to the pool.
    ///
    /// The limit counts whole milliseconds, from 1 ms to `i32::MAX` ms (24.8 days):
    /// [`create_engine_with`] refuses any other ([`Error::Argument`]) rather than round it.
    ///
    /// ```
    /// use athanor::prelude::*;
    /// use std::time::Duration;
    /// let engine = create_engine_with(
    ///     "sqlite://",
    ///     EngineOptions::new().statement_timeout(Duration::from_millis(50)),
    /// )?;
    /// let err = engine
    ///     .connect()?
    ///     .execute(&text(
    ///         "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 1e8) \
    ///          SELECT count(*) FROM c",
    ///     ))
    ///     .unwrap_err();
    /// assert!(matches!(err, Error::Timeout(_)), "{err}");
    /// let zero = EngineOptions::new().statement_timeout(Duration::ZERO);
    /// assert!(matches!(create_engine_with("sqlite://", zero), Err(Error::Argument(_))));
    /// # Ok::<(), athanor::Error>(())
    /// ```
    pub fn statement_timeout(mut self, timeout: Duration) -> Self {
        self.statement_timeout = Some(timeout);
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

/// What a connection does when it goes back to the pool
/// ([`EngineOptions::pool_reset_on_return`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum ResetOnReturn {
    /// Roll back whatever transaction is open (the default). It costs no round trip when
    /// nothing can be open (see [`Connection`]).
    #[default]
    Rollback,
    /// Commit whatever transaction is open.
    Commit,
    /// Nothing: the connection goes back as it is, any transaction still open. Only for
    /// code that resets connections itself.
    None,
}

impl ResetOnReturn {
    fn parse(v: &str) -> Option<Self> {
        match v.to_ascii_lowercase().as_str() {
            "rollback" => Some(ResetOnReturn::Rollback),
            "commit" => Some(ResetOnReturn::Commit),
            "none" | "null" | "false" => Some(ResetOnReturn::None),
            _ => None,
        }
    }
}

pub(crate) struct EngineInner {
    pub(crate) url: Url,
    pub(crate) dialect: Arc<dyn Dialect>,
    /// The dialect as refined by the first connection (server version capabilities).
    pub(crate) detected: std::sync::OnceLock<Arc<dyn Dialect>>,
    /// The schema unqualified names go to, read once ([`Engine::default_schema_name`]).
    pub(crate) default_schema: std::sync::OnceLock<Option<String>>,
    pub(crate) pool: pool::Pool,
    pub(crate) cache: StatementCache,
    pub(crate) echo: bool,
    /// Every connection's isolation level (or AUTOCOMMIT), when set.
    pub(crate) isolation: Option<IsolationLevel>,
    /// [`EngineOptions::use_insertmanyvalues`].
    pub(crate) insertmanyvalues: bool,
    pub(crate) reset_on_return: ResetOnReturn,
    pub(crate) events: events::Events,
    /// [`EngineOptions::statement_timeout`].
    pub(crate) statement_timeout: Option<Duration>,
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
pub struct Engine(
    pub(crate) Arc<EngineInner>,
    /// What [`Engine::execution_options`] set on this handle.
    pub(crate) ExecutionOptions,
);

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
/// [`EngineOptions::isolation_level`]), `statement_timeout=SECONDS` (see
/// [`EngineOptions::statement_timeout`]), and the driver's (`connect_timeout=SECONDS`,
/// SQLite's busy timeout `timeout=SECONDS`, ...); a
/// value that isn't valid, or an unknown option, is an [`Error::Argument`] (the table of
/// options is in the `url_options` module's source docs).
///
/// The server drivers' options:
///
/// | option | database | what |
/// |---|---|---|
/// | `connect_timeout=SECONDS` | PostgreSQL, MySQL | a limit on the whole handshake (TCP connect, TLS, authentication): past it `connect()` is an [`Error::Timeout`] naming the host and the limit. No limit by default |
/// | `sslmode=disable\|allow\|prefer\|require\|verify-ca\|verify-full` | PostgreSQL | TLS, as libpq; without it, plain text |
/// | `sslrootcert=PATH` or `=system` | PostgreSQL | the CA certificates (PEM) the server's must chain to |
/// | `ssl-mode=DISABLED\|PREFERRED\|REQUIRED\|VERIFY_CA\|VERIFY_IDENTITY` | MySQL | TLS, as the mysql client; without it (and `ssl-ca`), plain text |
/// | `ssl-ca=PATH` | MySQL | the CA certificates (PEM) the server's must chain to |
/// | `application_name=`, `options=` | PostgreSQL | as libpq |
/// | `prefer_socket=false` | MySQL | stay on TCP on `127.0.0.1`/`localhost` |
///
/// TLS is rustls (no system OpenSSL). A server certificate that fails verification (not
/// signed by the given CA, or not naming the host under `verify-full`/`VERIFY_IDENTITY`) is an
/// [`Error::Operational`] that says so, with the rustls reason and the option to check.
///
/// ```
/// # #[cfg(feature = "postgres")] {
/// use athanor::prelude::*;
/// // Options are checked when the engine is made; nothing connects before connect().
/// let engine = create_engine(
///     "postgresql://app@db.example.com/prod?sslmode=verify-full&sslrootcert=system&connect_timeout=10",
/// )?;
/// // verify-ca with no CA to verify against:
/// let no_ca = create_engine("postgresql://app@db.example.com/prod?sslmode=verify-ca");
/// assert!(matches!(no_ca, Err(athanor::Error::Argument(_))));
/// # }
/// # Ok::<(), athanor::Error>(())
/// ```
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

/// SQLAlchemy's "Invalid value 'FOO' for isolation_level. Valid isolation levels for
/// 'sqlite' are ...", said of where the value came from.
fn invalid_isolation_level(dialect: &dyn Dialect, whence: &str, value: &str) -> Error {
    let valid: Vec<&str> = dialect.isolation_levels().iter().map(|l| l.sql()).collect();
    Error::argument(format!(
        "{whence}: invalid value '{value}' for isolation_level; valid isolation levels for '{}' are {}",
        dialect.name(),
        valid.join(", ")
    ))
}

/// [`create_engine`] with options.
///
/// # Errors
/// As [`create_engine`].
pub fn create_engine_with(url: &str, options: EngineOptions) -> Result<Engine> {
    let url = Url::parse(url)?;
    let mut options = options;
    url_options::check_known(&url)?;
    let mut iso_in_url = None;
    for (k, v) in &url.query {
        match k.as_str() {
            "echo" => options.echo = url_options::boolean(k, v)?,
            "hide_parameters" => options.hide_parameters = url_options::boolean(k, v)?,
            "pool_size" => options.pool_size = url_options::pool_size(v)?,
            "pool_timeout" => options.pool_timeout = Ok(url_options::timeout(k, v)?),
            "max_overflow" => options.max_overflow = url_options::count(k, v)?,
            "pool_recycle" => options.pool_recycle = Ok(Some(url_options::timeout(k, v)?)),
            "pool_pre_ping" => options.pool_pre_ping = url_options::boolean(k, v)?,
            "pool_use_lifo" => options.pool_use_lifo = url_options::boolean(k, v)?,
            "pool_reset_on_return" => {
                options.reset_on_return = ResetOnReturn::parse(v).ok_or_else(|| {
                    Error::argument(format!(
                        "pool_reset_on_return={v} in the URL: write rollback, commit or none"
                    ))
                })?;
            }
            "statement_timeout" => {
                let t = url_options::timeout(k, v)?;
                timeouts::millis(t, false)
                    .map_err(|why| Error::argument(format!("{k}={v} in the URL: {why}")))?;
                options.statement_timeout = Some(t);
            }
            "isolation_level" => iso_in_url = Some(v.as_str()),
            _ => {}
        }
    }
    let pool_timeout = options
        .pool_timeout
        .map_err(|why| Error::argument(format!("EngineOptions::pool_timeout_secs: {why}")))?;
    if let Some(t) = options.statement_timeout {
        timeouts::millis(t, false)
            .map_err(|why| Error::argument(format!("EngineOptions::statement_timeout: {why}")))?;
    }
    if options.pool_size == 0 {
        return Err(Error::argument(
            "EngineOptions::pool_size(0): a pool holds at least 1 connection",
        ));
    }
    let driver = crate::driver::for_url(&url)?;
    let dialect = driver.dialect();
    if let Some(v) = iso_in_url {
        let level = IsolationLevel::parse(v).ok_or_else(|| {
            invalid_isolation_level(&*dialect, &format!("isolation_level={v} in the URL"), v)
        })?;
        options.isolation_level = Some(level);
    }
    if let Some(l) = options.isolation_level
        && !dialect.isolation_levels().contains(&l)
    {
        return Err(invalid_isolation_level(
            &*dialect,
            "EngineOptions::isolation_level",
            l.sql(),
        ));
    }
    // A level (not AUTOCOMMIT, which the engine applies) is set on each new connection.
    let setup = match options.isolation_level {
        Some(l) if l != IsolationLevel::Autocommit => Some(dialect.isolation_level_sql(l)?),
        _ => None,
    };
    let pool_recycle = options
        .pool_recycle
        .map_err(|why| Error::argument(format!("EngineOptions::pool_recycle_secs: {why}")))?;
    let mut pool = pool::Pool::new(
        driver,
        pool::PoolOptions {
            size: options.pool_size,
            max_overflow: options.max_overflow,
            timeout: pool_timeout,
            recycle: pool_recycle,
            pre_ping: options.pool_pre_ping,
            lifo: options.pool_use_lifo,
        },
        setup,
    );
    pool.statement_timeout = options.statement_timeout;
    Ok(Engine(
        Arc::new(EngineInner {
            url,
            dialect,
            detected: std::sync::OnceLock::new(),
            default_schema: std::sync::OnceLock::new(),
            pool,
            cache: StatementCache::new(options.cache_size),
            echo: options.echo,
            isolation: options.isolation_level,
            insertmanyvalues: options.insertmanyvalues,
            reset_on_return: options.reset_on_return,
            events: options.events,
            statement_timeout: options.statement_timeout,
            hide_parameters: options.hide_parameters,
        }),
        ExecutionOptions::default(),
    ))
}

impl Engine {
    /// Checks out a connection from the pool.
    ///
    /// # Errors
    /// [`Error::Operational`] when the database can't be opened or reached;
    /// [`Error::PoolTimeout`] when every pooled connection stays busy past the timeout.
    pub fn connect(&self) -> Result<Connection> {
        let mut conn = Connection::new(self.clone(), self.checkout()?);
        conn.run_checkout_hooks()?;
        Ok(conn)
    }

    /// A driver connection from the pool (the dialect detected from the first one).
    pub(crate) fn checkout(&self) -> Result<pool::Pooled> {
        let mut p = self.0.pool.acquire()?;
        if self.0.detected.get().is_none() {
            let d = p
                .conn
                .server_dialect()
                .unwrap_or_else(|| self.0.dialect.clone());
            let _ = self.0.detected.set(d);
        }
        Ok(p)
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

    /// The schema unqualified names go to (SQLAlchemy's `dialect.default_schema_name`): read
    /// from the database once, through a connection of the pool (after the
    /// [`on_connect`](EngineOptions::on_connect) hook, so a hook that sets PostgreSQL's
    /// `search_path` decides it), then kept. `main` on SQLite, the current database on MySQL.
    ///
    /// ```
    /// use athanor::prelude::*;
    /// let engine = create_engine("sqlite://")?;
    /// assert_eq!(engine.default_schema_name()?.as_deref(), Some("main"));
    /// # Ok::<(), athanor::Error>(())
    /// ```
    ///
    /// # Errors
    /// Connecting; the database's error.
    pub fn default_schema_name(&self) -> Result<Option<String>> {
        if let Some(s) = self.0.default_schema.get() {
            return Ok(s.clone());
        }
        let name = self.connect()?.default_schema_name()?;
        Ok(self.0.default_schema.get_or_init(|| name).clone())
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

    /// Closes the pool's connections (SQLAlchemy's `dispose`): idle ones now, checked-out
    /// ones when they come back (they are never pooled again); the next `connect()` opens a
    /// new one. An in-memory SQLite database keeps its data: it lives as long as the engine.
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
