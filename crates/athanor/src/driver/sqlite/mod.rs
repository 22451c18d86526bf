//! The SQLite driver (rusqlite with bundled SQLite).
//!
//! Every connection runs `PRAGMA foreign_keys = ON` and waits up to 5 s on a locked database
//! (the busy timeout; `?timeout=SECONDS` in the URL changes it, as pysqlite's connect
//! argument does: `timeout=0` fails at once). A lock still held when it runs out is
//! [`Error::Timeout`]. Statement timeouts interrupt the statement at its deadline
//! ([`deadline`]). Each connection gets a `regexp()` function, so `x REGEXP pattern`
//! ([`Expr::regexp_match`](crate::sql::Expr::regexp_match)) works.
//! `sqlite://` and `sqlite:///:memory:` open one in-memory database per engine, shared by all of
//! the engine's connections: SQLite's `memdb` VFS under a name unique to the engine
//! (`file:/athanor-mem-<pid>-<n>?vfs=memdb`), kept alive by a connection the driver holds for
//! as long as the engine exists. Several connections can be checked out at once, as with a
//! file; two engines never share a database.
//!
//! The in-memory database has 1024-byte pages (SQLite's default is 4096): each write
//! transaction copies the pages it changes into its rollback journal (kept in memory), and
//! smaller pages make that copy, and the whole single-row INSERT, about a quarter cheaper
//! (`bench/NOTES.md`, "Issue 13: the in-memory write cost"). SQLite's shared-cache mode
//! (`mode=memory&cache=shared`) would be cheaper still but fails a writer that meets another
//! connection's transaction at once with "database table is locked" instead of waiting.
//!
//! rusqlite opens and configures the connection and runs scripts; statements are prepared
//! once per connection and kept in its own cache ([`cache`], [`statement`]).

mod cache;
mod deadline;
mod statement;

use std::ptr::NonNull;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use athanor_core::dialect::{Dialect, Sqlite, sqlite::map_error};

use super::{Driver, DriverConnection, ExecOutcome, QueryDone, RowSink, row_buffer};
use crate::{Error, Result, Url, Value};
use cache::Statements;
use deadline::Timer;
use statement::Step;

pub(crate) struct SqliteDriver {
    /// The file, or the in-memory database's `memdb` URI.
    path: String,
    memory: bool,
    /// For an in-memory database: a connection that keeps it alive while the engine exists
    /// (a `memdb` database is freed when its last connection closes), opened with the first.
    keeper: Mutex<Option<rusqlite::Connection>>,
    /// The busy timeout, in milliseconds: how long a statement waits for another
    /// connection's lock.
    busy_ms: u32,
}

/// SQLite's busy timeout unless the URL says otherwise: 5 s, as pysqlite's and rusqlite's.
const DEFAULT_BUSY_MS: u32 = 5000;

/// Numbers the in-memory databases of this process.
static MEMORY_DATABASES: AtomicU64 = AtomicU64::new(0);

impl SqliteDriver {
    pub(crate) fn new(url: &Url) -> Result<Self> {
        if url.host.is_some() {
            return Err(Error::argument(format!(
                "a SQLite URL names a file, not a host: write sqlite:///relative.db or sqlite:////absolute/path.db (got '{url}')"
            )));
        }
        let file = url.database.clone().filter(|d| d != ":memory:");
        let memory = file.is_none();
        let path = file.unwrap_or_else(|| {
            let n = MEMORY_DATABASES.fetch_add(1, Ordering::Relaxed);
            format!("file:/athanor-mem-{}-{n}?vfs=memdb", std::process::id())
        });
        let mut busy_ms = DEFAULT_BUSY_MS;
        for (k, v) in &url.query {
            if k == "timeout" {
                let t = crate::engine::url_options::timeout(k, v)?;
                busy_ms = crate::engine::timeouts::millis(t, true).map_err(|why| {
                    Error::argument(format!("timeout={v} in the URL (the busy timeout): {why}"))
                })?;
            }
        }
        Ok(SqliteDriver {
            path,
            memory,
            keeper: Mutex::new(None),
            busy_ms,
        })
    }
}

impl Driver for SqliteDriver {
    fn dialect(&self) -> Arc<dyn Dialect> {
        Arc::new(Sqlite)
    }

    fn connect(&self) -> Result<Box<dyn DriverConnection>> {
        let conn = self.open()?;
        if self.memory {
            let mut keeper = self.keeper.lock().unwrap_or_else(PoisonError::into_inner);
            if keeper.is_none() {
                *keeper = Some(self.open_raw()?);
            }
        }
        Ok(Box::new(conn))
    }
}

/// Gives the connection `regexp(pattern, text)`, the function SQLite's `text REGEXP pattern`
/// calls (SQLite has the operator, not the function; SQLAlchemy's pysqlite dialect adds it
/// the same way): Rust's `regex` syntax, a search anywhere in the text, NULL for a NULL text.
/// The compiled pattern is kept with the statement (SQLite's auxiliary data), so a pattern
/// that is the same for every row is compiled once per statement.
fn register_regexp(conn: &rusqlite::Connection) -> rusqlite::Result<()> {
    use rusqlite::functions::FunctionFlags;
    use rusqlite::types::ValueRef;
    type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;
    conn.create_scalar_function(
        "regexp",
        2,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            let re: std::sync::Arc<regex::Regex> =
                ctx.get_or_create_aux(0, |pattern| -> std::result::Result<_, BoxError> {
                    Ok(regex::Regex::new(pattern.as_str()?)?)
                })?;
            match ctx.get_raw(1) {
                ValueRef::Null => Ok(None),
                text => {
                    let text = text
                        .as_str()
                        .map_err(|e| rusqlite::Error::UserFunctionError(e.into()))?;
                    Ok(Some(re.is_match(text)))
                }
            }
        },
    )
}

impl SqliteDriver {
    /// Opens the database (rusqlite's default flags take URIs, for `memdb`).
    fn open_raw(&self) -> Result<rusqlite::Connection> {
        rusqlite::Connection::open(&self.path).map_err(|e| {
            let err = to_error(e);
            match err {
                Error::Operational(mut d) => {
                    let name = if self.memory { ":memory:" } else { &self.path };
                    d.message = format!("unable to open database file '{name}': {}", d.message);
                    Error::Operational(d)
                }
                other => other,
            }
        })
    }

    fn open(&self) -> Result<SqliteConnection> {
        let conn = self.open_raw()?;
        conn.busy_timeout(std::time::Duration::from_millis(self.busy_ms.into()))
            .map_err(to_error)?;
        conn.execute_batch("PRAGMA foreign_keys = ON")
            .map_err(to_error)?;
        register_regexp(&conn).map_err(to_error)?;
        if self.memory {
            // Takes effect on the engine's first connection, before the database has a page;
            // a no-op on the others. Why 1024: see the module docs.
            conn.execute_batch("PRAGMA page_size = 1024")
                .map_err(to_error)?;
        }
        // SAFETY: the handle is only used while `conn` is open: `SqliteConnection` finalizes
        // its statements (the only users of the handle) before `conn` closes.
        let db = NonNull::new(unsafe { conn.handle() })
            .ok_or_else(|| Error::argument("SQLite returned no connection handle"))?;
        Ok(SqliteConnection {
            statements: Statements::new(),
            db,
            conn,
            row_buf: Vec::new(),
            timer: None,
            busy_ms: self.busy_ms,
        })
    }
}

struct SqliteConnection {
    /// Prepared statements of `conn`, finalized before it closes (see `Drop`).
    statements: Statements,
    /// `conn`'s handle, for the statements.
    db: NonNull<rusqlite::ffi::sqlite3>,
    conn: rusqlite::Connection,
    /// The row buffer of the last query, kept (emptied) for the next one: a query of a few
    /// rows otherwise pays an allocation for it.
    row_buf: Vec<Value>,
    /// The statement timeout, while one is set.
    timer: Option<Timer>,
    /// The busy timeout in milliseconds, for the message of a lock that outlasted it.
    busy_ms: u32,
}

// SAFETY: `rusqlite::Connection` is `Send`; `db` is its handle, used only through `&mut self`
// (one thread at a time), as the statements are.
unsafe impl Send for SqliteConnection {}

impl Drop for SqliteConnection {
    fn drop(&mut self) {
        // Every statement is finalized while the connection is still open.
        self.statements.clear();
    }
}

/// The error for a value SQLite can't store as given.
fn refused(v: &Value, why: &str) -> Error {
    Error::Data(athanor_core::error::DatabaseError::new(format!(
        "cannot send {} {v} to SQLite: {why}",
        v.kind()
    )))
}

/// How SQLite stores a value of a kind it has no storage class for: NUMERIC as REAL (as
/// SQLAlchemy's SQLite dialect does; a decimal of more than 15 significant digits, which REAL
/// can't give back, is refused), dates and times as ISO 8601 text (every
/// chrono value, leap seconds, nanoseconds and years beyond 9999 or before 0 included, reads
/// back exactly; such years are written with a sign, `+10000-01-01`, and sort as text),
/// UUIDs as 32 hex digits, JSON as its text. NaN is refused (SQLite would store NULL for it),
/// and so is any kind of value this driver has no conversion for.
fn storage_form(v: &Value) -> Result<Value> {
    match v {
        #[cfg(feature = "rust_decimal")]
        Value::Decimal(d) => {
            // REAL keeps 15 significant digits (DBL_DIG): a decimal with more would read back
            // as another number, so it is refused rather than rounded.
            if significant_digits(d) > 15 {
                return Err(refused(
                    v,
                    "SQLite stores NUMERIC as REAL, which keeps 15 significant digits; \
                     round the value, or store it in a String column",
                ));
            }
            Ok(Value::Float(<f64 as crate::FromValue>::from_value(v)?))
        }
        #[cfg(feature = "chrono")]
        Value::Date(d) => Ok(Value::Text(d.format("%Y-%m-%d").to_string())),
        #[cfg(feature = "chrono")]
        Value::Time(t) => Ok(Value::Text(t.format("%H:%M:%S%.f").to_string())),
        // The time and its offset, as text: `12:57:18+02:00`.
        #[cfg(feature = "chrono")]
        Value::TimeTz(t) => Ok(Value::Text(t.to_string())),
        #[cfg(feature = "chrono")]
        Value::DateTime(t) => Ok(Value::Text(t.format("%Y-%m-%d %H:%M:%S%.f").to_string())),
        #[cfg(feature = "chrono")]
        Value::DateTimeUtc(t) => Ok(Value::Text(
            t.naive_utc().format("%Y-%m-%d %H:%M:%S%.f").to_string(),
        )),
        #[cfg(feature = "uuid")]
        Value::Uuid(u) => Ok(Value::Text(u.simple().to_string())),
        #[cfg(feature = "serde_json")]
        Value::Json(j) => Ok(Value::Text(j.to_string())),
        #[allow(unreachable_patterns)]
        other => Err(refused(
            other,
            "the SQLite driver has no conversion for this kind of value",
        )),
    }
}

/// The significant digits of a decimal: its digits without leading zeros or trailing
/// fractional zeros (`0.0120` has 2, `1200` has 4, `0` has 0).
#[cfg(feature = "rust_decimal")]
fn significant_digits(d: &rust_decimal::Decimal) -> usize {
    // An integer's trailing zeros are its magnitude, not digits REAL must keep: 5748E+15
    // has 4 (normalize() only strips the fraction's zeros).
    let digits = d.normalize().mantissa().unsigned_abs().to_string();
    digits.trim_end_matches('0').len()
}

/// One transaction-control statement (`BEGIN`, `COMMIT`, `ROLLBACK [TO SAVEPOINT x]`,
/// `SAVEPOINT x`, `RELEASE SAVEPOINT x`), which can be prepared once and re-run.
fn is_transaction_control(sql: &str) -> bool {
    let word = sql.split_ascii_whitespace().next().unwrap_or("");
    !sql.contains(';')
        && ["BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"]
            .iter()
            .any(|w| word.eq_ignore_ascii_case(w))
}

/// Maps a `rusqlite` error by SQLite's extended result code; the `rusqlite::Error` is kept as
/// the error's source.
pub(crate) fn to_error(e: rusqlite::Error) -> Error {
    let err = match &e {
        rusqlite::Error::SqliteFailure(err, msg) => {
            let message = msg.clone().unwrap_or_else(|| err.to_string());
            map_error(err.extended_code, &message)
        }
        rusqlite::Error::InvalidParameterCount(given, expected) => {
            Error::Programming(athanor_core::error::DatabaseError::new(format!(
                "the statement takes {expected} parameters but {given} were given"
            )))
        }
        rusqlite::Error::SqlInputError { error, msg, .. } => map_error(error.extended_code, msg),
        other => Error::Database(athanor_core::error::DatabaseError::new(other.to_string())),
    };
    err.with_source(e)
}

impl SqliteConnection {
    /// What a statement that ran to completion reports.
    fn outcome(&self, readonly: bool, rows: usize) -> ExecOutcome {
        if readonly {
            ExecOutcome {
                rowcount: rows as u64,
                last_insert_id: None,
            }
        } else {
            ExecOutcome {
                rowcount: self.conn.changes(),
                last_insert_id: Some(self.conn.last_insert_rowid()),
            }
        }
    }
}

impl SqliteConnection {
    /// A statement starts: arms the statement timeout, when one is set, and says whether a
    /// transaction is open (for [`SqliteConnection::explain`]).
    #[inline]
    fn start(&self) -> bool {
        match &self.timer {
            None => false,
            Some(t) => {
                t.arm();
                !self.conn.is_autocommit()
            }
        }
    }

    /// Says what a statement's timeout error means: an interrupt at the deadline names the
    /// statement timeout (and a transaction SQLite rolled back for it); a lock that outlasted
    /// the busy timeout names the busy timeout and how to raise it.
    #[cold]
    fn explain(&self, e: Error, in_transaction: bool) -> Error {
        match e {
            Error::Timeout(mut d)
                if d.code
                    .as_deref()
                    .and_then(|c| c.parse::<i32>().ok())
                    .is_some_and(|c| c & 0xff == rusqlite::ffi::SQLITE_BUSY) =>
            {
                d.message = format!(
                    "{}: another connection held a lock this statement needs past the busy timeout of {} ms \
                     (SQLite gives up at once instead when waiting could deadlock, as when two \
                     transactions that read first both try to write); raise it with ?timeout=SECONDS \
                     in the URL, keep write transactions short, or begin writers with BEGIN IMMEDIATE",
                    d.message, self.busy_ms
                );
                Error::Timeout(d)
            }
            e => match &self.timer {
                Some(t) => t.explain(e, in_transaction && self.conn.is_autocommit()),
                None => e,
            },
        }
    }
}

impl DriverConnection for SqliteConnection {
    fn execute(&mut self, sql: &str, params: &[&Value]) -> Result<ExecOutcome> {
        let tx = self.start();
        self.run_execute(sql, params)
            .map_err(|e| self.explain(e, tx))
    }

    fn query(
        &mut self,
        sql: &str,
        params: &[&Value],
        known_columns: Option<usize>,
        sink: &mut dyn RowSink,
    ) -> Result<QueryDone> {
        let tx = self.start();
        self.run_query(sql, params, known_columns, sink)
            .map_err(|e| self.explain(e, tx))
    }

    fn execute_many(
        &mut self,
        sql: &str,
        width: usize,
        next: &mut dyn FnMut(&mut [Value]) -> Result<bool>,
        each: Option<&mut dyn FnMut(ExecOutcome) -> Result<()>>,
    ) -> Result<u64> {
        // Each row's execution is a statement of its own (as on the servers): `run_many`
        // arms the deadline again for each.
        let tx = self.start();
        self.run_many(sql, width, next, each)
            .map_err(|e| self.explain(e, tx))
    }

    fn batch(&mut self, sql: &str) -> Result<()> {
        let tx = self.start();
        self.run_batch(sql).map_err(|e| self.explain(e, tx))
    }

    fn script(&mut self, sql: &str) -> Result<u64> {
        // Every row its statements changed (rows changed by triggers included), whatever the last
        // statement was: `changes()` alone would repeat an earlier statement's count after a
        // SELECT or DDL.
        let before = self.conn.total_changes();
        self.batch(sql)?;
        Ok(self.conn.total_changes().saturating_sub(before))
    }

    fn in_transaction(&mut self) -> Option<bool> {
        Some(!self.conn.is_autocommit())
    }

    fn set_statement_timeout(&mut self, timeout: Option<std::time::Duration>) -> Result<()> {
        match timeout {
            None => {
                if self.timer.take().is_some() {
                    Timer::remove(&mut self.conn)?;
                }
            }
            Some(t) => {
                let ms = crate::engine::timeouts::millis(t, false)
                    .map_err(|why| Error::argument(format!("statement timeout: {why}")))?;
                self.timer = Some(Timer::install(&mut self.conn, ms)?);
            }
        }
        Ok(())
    }
}

impl SqliteConnection {
    fn run_execute(&mut self, sql: &str, params: &[&Value]) -> Result<ExecOutcome> {
        let Some(mut stmt) = self.statements.get(self.db, sql)? else {
            check_none(params.len())?;
            return Ok(ExecOutcome::default());
        };
        let mut run = stmt.run(params.iter().copied())?;
        while run.step()? == Step::Row {}
        drop(run);
        Ok(ExecOutcome {
            rowcount: self.conn.changes(),
            last_insert_id: Some(self.conn.last_insert_rowid()),
        })
    }

    fn run_query(
        &mut self,
        sql: &str,
        params: &[&Value],
        known_columns: Option<usize>,
        sink: &mut dyn RowSink,
    ) -> Result<QueryDone> {
        let Some(mut stmt) = self.statements.get(self.db, sql)? else {
            check_none(params.len())?;
            if known_columns != Some(0) {
                sink.columns(Vec::new())?;
            }
            return Ok(QueryDone::default());
        };
        let mut run = stmt.run(params.iter().copied())?;
        // A cached statement whose schema changed since it was prepared (DDL through this or
        // another connection) is prepared again by its first step, and only then do its
        // columns follow the new schema (`SELECT *` after ADD COLUMN): read them after it.
        let first = run.step()?;
        let n = run.statement().column_count();
        if known_columns != Some(n) {
            sink.columns((0..n).map(|i| run.statement().column_name(i)).collect())?;
        }
        let readonly = run.statement().readonly();
        let mut buf = std::mem::take(&mut self.row_buf);
        buf.resize_with(n, || Value::Null);
        let mut count = 0usize;
        let read = (|| {
            let mut step = first;
            while step == Step::Row {
                count += 1;
                for (i, slot) in buf.iter_mut().enumerate() {
                    run.read(i, slot);
                }
                if !sink.row(&mut buf)? {
                    break;
                }
                step = run.step()?;
            }
            Ok::<_, Error>(())
        })();
        drop(run);
        buf.clear();
        self.row_buf = buf;
        read?;
        Ok(QueryDone {
            outcome: self.outcome(readonly, count),
            rows: count,
        })
    }

    fn run_many(
        &mut self,
        sql: &str,
        width: usize,
        next: &mut dyn FnMut(&mut [Value]) -> Result<bool>,
        mut each: Option<&mut dyn FnMut(ExecOutcome) -> Result<()>>,
    ) -> Result<u64> {
        let Some(mut stmt) = self.statements.get(self.db, sql)? else {
            check_none(width)?;
            return Ok(0);
        };
        let expected = stmt.parameter_count();
        if expected != width {
            return Err(param_count_error(width, expected));
        }
        let mut params = row_buffer(width);
        let mut total = 0u64;
        while next(&mut params)? {
            if let Some(t) = &self.timer {
                t.arm();
            }
            let mut run = stmt.run(params.iter())?;
            while run.step()? == Step::Row {}
            drop(run);
            let changed = self.conn.changes();
            total += changed;
            if let Some(each) = each.as_mut() {
                each(ExecOutcome {
                    rowcount: changed,
                    last_insert_id: Some(self.conn.last_insert_rowid()),
                })?;
            }
        }
        Ok(total)
    }

    fn run_batch(&mut self, sql: &str) -> Result<()> {
        if is_transaction_control(sql) {
            // BEGIN/COMMIT/SAVEPOINT run once per transaction: parsing them each time costs
            // more than the rest of a one-row transaction's bookkeeping, so they are kept
            // prepared like any statement.
            return self.run_execute(sql, &[]).map(|_| ());
        }
        self.conn.execute_batch(sql).map_err(to_error)
    }
}

/// Text with no statement takes no parameters.
fn check_none(given: usize) -> Result<()> {
    if given == 0 {
        Ok(())
    } else {
        Err(param_count_error(given, 0))
    }
}

fn param_count_error(given: usize, expected: usize) -> Error {
    to_error(rusqlite::Error::InvalidParameterCount(given, expected))
}

#[cfg(test)]
mod tests {
    use super::cache::CAPACITY;
    use super::*;

    /// Collects a query's rows; fails on the row numbered `fail_at` (1-based) when set.
    #[derive(Debug, Default)]
    struct Collect {
        names: Vec<String>,
        rows: Vec<Vec<Value>>,
        fail_at: Option<usize>,
    }

    impl RowSink for Collect {
        fn columns(&mut self, names: Vec<String>) -> Result<()> {
            self.names = names;
            Ok(())
        }
        fn row(&mut self, values: &mut [Value]) -> Result<bool> {
            if self.fail_at == Some(self.rows.len() + 1) {
                return Err(Error::argument("the sink refused the row"));
            }
            self.rows
                .push(values.iter_mut().map(std::mem::take).collect());
            Ok(true)
        }
    }

    fn open(url: &str) -> SqliteConnection {
        SqliteDriver::new(&Url::parse(url).unwrap())
            .unwrap()
            .open()
            .unwrap()
    }

    fn rows(c: &mut SqliteConnection, sql: &str, params: &[&Value]) -> Result<Collect> {
        let mut sink = Collect::default();
        c.query(sql, params, None, &mut sink)?;
        Ok(sink)
    }

    #[test]
    fn a_statement_is_prepared_once_per_text() {
        let mut c = open("sqlite://");
        for i in 0..3 {
            let r = rows(&mut c, "SELECT ? + 1 AS n", &[&Value::Int(i)]).unwrap();
            assert_eq!(r.names, ["n"]);
            assert_eq!(r.rows, [[Value::Int(i + 1)]]);
        }
        assert_eq!(c.statements.len(), 1);
        rows(&mut c, "SELECT 2", &[]).unwrap();
        assert_eq!(c.statements.len(), 2);
    }

    #[test]
    fn each_run_reads_the_values_it_was_given() {
        let mut c = open("sqlite://");
        for word in ["first", "", "a longer third value"] {
            let v = Value::Text(word.to_owned());
            let r = rows(&mut c, "SELECT ? || '!'", &[&v]).unwrap();
            assert_eq!(r.rows, [[Value::Text(format!("{word}!"))]]);
        }
    }

    #[test]
    fn bound_text_is_not_kept_by_the_cached_statement() {
        let mut c = open("sqlite://");
        c.batch("CREATE TABLE w (s TEXT)").unwrap();
        let words: Vec<Value> = (0..500).map(|i| Value::Text(format!("word {i}"))).collect();
        let sql = format!("INSERT INTO w VALUES {}", vec!["(?)"; 500].join(", "));
        c.execute(&sql, &words.iter().collect::<Vec<_>>()).unwrap();
        let (mut used, mut high) = (0, 0);
        // SAFETY: an open connection; the out-pointers are valid.
        let rc = unsafe {
            rusqlite::ffi::sqlite3_db_status(
                c.db.as_ptr(),
                rusqlite::ffi::SQLITE_DBSTATUS_LOOKASIDE_USED,
                &mut used,
                &mut high,
                0,
            )
        };
        assert_eq!(rc, 0);
        assert!(used < 20, "{used} lookaside slots still in use");
        let r = rows(&mut c, "SELECT count(*), max(s) FROM w", &[]).unwrap();
        assert_eq!(r.rows, [[Value::Int(500), Value::Text("word 99".into())]]);
    }

    #[test]
    fn a_full_cache_finalizes_one_statement_to_make_room() {
        let mut c = open("sqlite://");
        for i in 0..CAPACITY + 10 {
            let r = rows(&mut c, &format!("SELECT {i}"), &[]).unwrap();
            assert_eq!(r.rows, [[Value::Int(i as i64)]]);
        }
        assert_eq!(c.statements.len(), CAPACITY);
    }

    #[test]
    fn a_digest_shared_by_two_texts_runs_the_second_uncached() {
        let mut c = open("sqlite://");
        c.statements
            .plant_collision(c.db, "SELECT 1", "SELECT 2")
            .unwrap();
        let r = rows(&mut c, "SELECT 1", &[]).unwrap();
        assert_eq!(r.rows, [[Value::Int(1)]], "not the planted statement's row");
        assert_eq!(c.statements.len(), 1);
    }

    #[test]
    fn values_go_in_and_come_out_as_they_were() {
        let mut c = open("sqlite://");
        let values = [
            Value::Null,
            Value::Int(-7),
            Value::Float(2.5),
            Value::Text(String::new()),
            Value::Text("héllo".into()),
            Value::Bytes(Vec::new()),
            Value::Bytes(vec![0, 255, 1]),
        ];
        let params: Vec<&Value> = values.iter().collect();
        let r = rows(&mut c, "SELECT ?, ?, ?, ?, ?, ?, ?", &params).unwrap();
        assert_eq!(r.rows, [values.to_vec()]);
        let r = rows(
            &mut c,
            "SELECT typeof(?), typeof(?)",
            &[&Value::Bytes(Vec::new()), &Value::Bool(true)],
        )
        .unwrap();
        assert_eq!(
            r.rows,
            [[Value::Text("blob".into()), Value::Text("integer".into())]]
        );
        // Text that is not UTF-8 comes back as bytes.
        let r = rows(&mut c, "SELECT CAST(x'ff00' AS TEXT)", &[]).unwrap();
        assert_eq!(r.rows, [[Value::Bytes(vec![0xff, 0])]]);
    }

    #[test]
    fn a_failed_read_leaves_the_statement_reset() {
        let mut c = open("sqlite://");
        c.batch("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1), (2), (3)")
            .unwrap();
        let mut sink = Collect {
            fail_at: Some(2),
            ..Collect::default()
        };
        let err = c
            .query("SELECT x FROM t", &[], None, &mut sink)
            .unwrap_err();
        assert!(matches!(err, Error::Argument(_)), "{err:?}");
        assert_eq!(sink.rows, [[Value::Int(1)]]);
        // A statement still running would keep the table busy.
        c.execute("DROP TABLE t", &[]).unwrap();
    }

    #[test]
    fn one_statement_at_a_time_and_empty_text_runs_nothing() {
        let mut c = open("sqlite://");
        let err = rows(&mut c, "SELECT 1; SELECT 2", &[]).unwrap_err();
        assert!(matches!(err, Error::Programming(_)), "{err:?}");
        assert!(err.to_string().contains("one statement at a time"), "{err}");
        let r = rows(&mut c, "SELECT 1; -- done\n", &[]).unwrap();
        assert_eq!(r.rows, [[Value::Int(1)]]);
        let r = rows(&mut c, "  -- nothing\n", &[]).unwrap();
        assert!(r.rows.is_empty() && r.names.is_empty());
        let err = c.execute("", &[&Value::Int(1)]).unwrap_err();
        assert!(matches!(err, Error::Programming(_)), "{err:?}");
    }

    #[test]
    fn errors_come_from_the_statement_that_failed() {
        let mut c = open("sqlite://");
        c.batch("CREATE TABLE u (x INTEGER UNIQUE); INSERT INTO u VALUES (1)")
            .unwrap();
        let err = c
            .execute("INSERT INTO u VALUES (?)", &[&Value::Int(1)])
            .unwrap_err();
        assert!(matches!(err, Error::Integrity(_)), "{err:?}");
        let err = rows(&mut c, "SELECT nope FROM u", &[]).unwrap_err();
        assert!(err.to_string().contains("no such column: nope"), "{err}");
        let err = c.execute("INSERT INTO u VALUES (?)", &[]).unwrap_err();
        assert!(
            err.to_string()
                .contains("takes 1 parameters but 0 were given"),
            "{err}"
        );
        // The failed insert left the statement ready for the next one.
        c.execute("INSERT INTO u VALUES (?)", &[&Value::Int(2)])
            .unwrap();
        let r = rows(&mut c, "SELECT x FROM u ORDER BY x", &[]).unwrap();
        assert_eq!(r.rows, [[Value::Int(1)], [Value::Int(2)]]);
    }

    #[test]
    fn transaction_control_is_recognised() {
        for sql in [
            "BEGIN",
            "COMMIT",
            "rollback",
            "SAVEPOINT sp_1",
            "RELEASE SAVEPOINT sp_1",
        ] {
            assert!(is_transaction_control(sql), "{sql}");
        }
        for sql in [
            "BEGIN; DROP TABLE t",
            "PRAGMA foreign_keys = ON",
            "CREATE TABLE t (x)",
            "",
        ] {
            assert!(!is_transaction_control(sql), "{sql}");
        }
    }
}
