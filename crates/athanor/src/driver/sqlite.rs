//! The SQLite driver (rusqlite with bundled SQLite).
//!
//! Every connection runs `PRAGMA foreign_keys = ON` and waits up to 5 s on a locked database.
//! `sqlite://` and `sqlite:///:memory:` open one in-memory database shared by every
//! connection of the engine: the engine holds a single connection (a pool of one).

use std::sync::Arc;

use athanor_core::dialect::{Dialect, Sqlite, sqlite::map_error};
use rusqlite::types::{ToSqlOutput, ValueRef};

use super::{Driver, DriverConnection, ExecOutcome, QueryDone, RowSink, row_buffer};
use crate::{Error, Result, Url, Value};

pub(crate) struct SqliteDriver {
    path: Option<String>,
}

impl SqliteDriver {
    pub(crate) fn new(url: &Url) -> Result<Self> {
        if url.host.is_some() {
            return Err(Error::argument(format!(
                "a SQLite URL names a file, not a host: write sqlite:///relative.db or sqlite:////absolute/path.db (got '{url}')"
            )));
        }
        let path = url.database.clone().filter(|d| d != ":memory:");
        Ok(SqliteDriver { path })
    }
}

impl Driver for SqliteDriver {
    fn dialect(&self) -> Arc<dyn Dialect> {
        Arc::new(Sqlite)
    }

    fn connect(&self) -> Result<Box<dyn DriverConnection>> {
        let conn = match &self.path {
            Some(p) => rusqlite::Connection::open(p),
            None => rusqlite::Connection::open_in_memory(),
        }
        .map_err(|e| {
            let err = to_error(e);
            match err {
                Error::Operational(mut d) => {
                    d.message = format!(
                        "unable to open database file '{}': {}",
                        self.path.as_deref().unwrap_or(":memory:"),
                        d.message
                    );
                    Error::Operational(d)
                }
                other => other,
            }
        })?;
        conn.set_prepared_statement_cache_capacity(256);
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(to_error)?;
        conn.execute_batch("PRAGMA foreign_keys = ON")
            .map_err(to_error)?;
        Ok(Box::new(SqliteConnection {
            conn,
            row_buf: Vec::new(),
        }))
    }

    fn max_pool_size(&self) -> Option<usize> {
        if self.path.is_none() { Some(1) } else { None }
    }
}

struct SqliteConnection {
    conn: rusqlite::Connection,
    /// The row buffer of the last query, kept (emptied) for the next one: a query of a few
    /// rows otherwise pays an allocation for it.
    row_buf: Vec<Value>,
}

struct Param<'a>(&'a Value);

impl rusqlite::ToSql for Param<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        use rusqlite::types::Value as Owned;
        Ok(match self.0 {
            Value::Null => ToSqlOutput::Owned(Owned::Null),
            Value::Bool(b) => ToSqlOutput::Owned(Owned::Integer(i64::from(*b))),
            Value::Int(i) => ToSqlOutput::Owned(Owned::Integer(*i)),
            Value::Float(f) => ToSqlOutput::Owned(Owned::Real(*f)),
            Value::Text(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
            Value::Bytes(b) => ToSqlOutput::Borrowed(ValueRef::Blob(b)),
            #[cfg(feature = "rust_decimal")]
            Value::Decimal(_) => {
                // SQLite stores NUMERIC as REAL (not exact), as SQLAlchemy does.
                let f = <f64 as crate::FromValue>::from_value(self.0)
                    .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
                ToSqlOutput::Owned(Owned::Real(f))
            }
            #[cfg(feature = "chrono")]
            Value::Date(d) => ToSqlOutput::Owned(Owned::Text(d.format("%Y-%m-%d").to_string())),
            #[cfg(feature = "chrono")]
            Value::Time(t) => ToSqlOutput::Owned(Owned::Text(t.format("%H:%M:%S%.f").to_string())),
            #[cfg(feature = "chrono")]
            Value::DateTime(t) => {
                ToSqlOutput::Owned(Owned::Text(t.format("%Y-%m-%d %H:%M:%S%.f").to_string()))
            }
            #[cfg(feature = "chrono")]
            Value::DateTimeUtc(t) => ToSqlOutput::Owned(Owned::Text(
                t.naive_utc().format("%Y-%m-%d %H:%M:%S%.f").to_string(),
            )),
            #[cfg(feature = "uuid")]
            Value::Uuid(u) => ToSqlOutput::Owned(Owned::Text(u.simple().to_string())),
            #[cfg(feature = "serde_json")]
            Value::Json(j) => ToSqlOutput::Owned(Owned::Text(j.to_string())),
            #[allow(unreachable_patterns)]
            other => ToSqlOutput::Owned(Owned::Text(other.to_string())),
        })
    }
}

/// Reads a column into `slot`. Each arm assigns the slot itself: a `Value` built first and
/// then moved in goes through a stack temporary, written in small pieces and read back in
/// 16-byte loads, which stalls.
#[inline]
fn read_into(v: ValueRef<'_>, slot: &mut Value) {
    match v {
        ValueRef::Null => *slot = Value::Null,
        ValueRef::Integer(i) => *slot = Value::Int(i),
        ValueRef::Real(f) => *slot = Value::Float(f),
        ValueRef::Text(t) => match std::str::from_utf8(t) {
            Ok(s) => *slot = Value::Text(s.to_string()),
            Err(_) => *slot = Value::Bytes(t.to_vec()),
        },
        ValueRef::Blob(b) => *slot = Value::Bytes(b.to_vec()),
    }
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

pub(crate) fn to_error(e: rusqlite::Error) -> Error {
    match e {
        rusqlite::Error::SqliteFailure(err, msg) => {
            let message = msg.unwrap_or_else(|| err.to_string());
            map_error(err.extended_code, &message)
        }
        rusqlite::Error::InvalidParameterCount(given, expected) => {
            Error::Programming(athanor_core::error::DatabaseError::new(format!(
                "the statement takes {expected} parameters but {given} were given"
            )))
        }
        rusqlite::Error::SqlInputError { error, msg, .. } => map_error(error.extended_code, &msg),
        other => Error::Database(athanor_core::error::DatabaseError::new(other.to_string())),
    }
}

fn bind<'v>(
    stmt: &mut rusqlite::CachedStatement<'_>,
    params: impl ExactSizeIterator<Item = &'v Value>,
) -> Result<()> {
    check_count(stmt, params.len())?;
    for (i, p) in params.enumerate() {
        bind_one(stmt, i + 1, p)?;
    }
    Ok(())
}

/// The statement takes `given` parameters, or an error saying how many it takes.
fn check_count(stmt: &rusqlite::CachedStatement<'_>, given: usize) -> Result<()> {
    let expected = stmt.parameter_count();
    if expected != given {
        return Err(to_error(rusqlite::Error::InvalidParameterCount(
            given, expected,
        )));
    }
    Ok(())
}

/// Binds one value. The common kinds bind through rusqlite's own `ToSql` for the Rust type
/// (inlined, as a tuple of `i64`/`&str` binds); the rest through [`Param`].
#[inline]
fn bind_one(stmt: &mut rusqlite::CachedStatement<'_>, i: usize, v: &Value) -> Result<()> {
    match v {
        Value::Int(n) => stmt.raw_bind_parameter(i, n),
        Value::Text(t) => stmt.raw_bind_parameter(i, t.as_str()),
        Value::Float(f) => stmt.raw_bind_parameter(i, f),
        Value::Null => stmt.raw_bind_parameter(i, rusqlite::types::Null),
        other => stmt.raw_bind_parameter(i, Param(other)),
    }
    .map_err(to_error)
}

impl DriverConnection for SqliteConnection {
    fn execute(&mut self, sql: &str, params: &[&Value]) -> Result<ExecOutcome> {
        let mut stmt = self.conn.prepare_cached(sql).map_err(to_error)?;
        bind(&mut stmt, params.iter().copied())?;
        let n = stmt.raw_execute().map_err(to_error)?;
        Ok(ExecOutcome {
            rowcount: n as u64,
            last_insert_id: Some(self.conn.last_insert_rowid()),
        })
    }

    fn query(
        &mut self,
        sql: &str,
        params: &[&Value],
        known_columns: Option<usize>,
        sink: &mut dyn RowSink,
    ) -> Result<QueryDone> {
        let mut stmt = self.conn.prepare_cached(sql).map_err(to_error)?;
        bind(&mut stmt, params.iter().copied())?;
        let n = stmt.column_count();
        if known_columns != Some(n) {
            sink.columns(stmt.column_names().map(String::from).collect())?;
        }
        let readonly = stmt.readonly();
        let mut buf = std::mem::take(&mut self.row_buf);
        buf.resize_with(n, || Value::Null);
        let mut rows = stmt.raw_query();
        let mut count = 0usize;
        while let Some(row) = rows.next().map_err(to_error)? {
            count += 1;
            for (i, slot) in buf.iter_mut().enumerate() {
                read_into(row.get_ref(i).map_err(to_error)?, slot);
            }
            if !sink.row(&mut buf)? {
                break;
            }
        }
        drop(rows);
        buf.clear();
        self.row_buf = buf;
        let outcome = if readonly {
            ExecOutcome {
                rowcount: count as u64,
                last_insert_id: None,
            }
        } else {
            ExecOutcome {
                rowcount: self.conn.changes(),
                last_insert_id: Some(self.conn.last_insert_rowid()),
            }
        };
        Ok(QueryDone {
            outcome,
            rows: count,
        })
    }

    fn execute_many(
        &mut self,
        sql: &str,
        width: usize,
        next: &mut dyn FnMut(&mut [Value]) -> Result<bool>,
    ) -> Result<u64> {
        let mut stmt = self.conn.prepare_cached(sql).map_err(to_error)?;
        check_count(&stmt, width)?;
        let mut params = row_buffer(width);
        let mut total = 0u64;
        while next(&mut params)? {
            for (i, p) in params.iter().enumerate() {
                bind_one(&mut stmt, i + 1, p)?;
            }
            total += stmt.raw_execute().map_err(to_error)? as u64;
        }
        Ok(total)
    }

    fn batch(&mut self, sql: &str) -> Result<()> {
        if is_transaction_control(sql) {
            // BEGIN/COMMIT/SAVEPOINT run once per transaction: parsing them each time costs
            // more than the rest of a one-row transaction's bookkeeping, so they are cached
            // like any prepared statement.
            let mut stmt = self.conn.prepare_cached(sql).map_err(to_error)?;
            stmt.raw_execute().map_err(to_error)?;
            return Ok(());
        }
        self.conn.execute_batch(sql).map_err(to_error)
    }
}

#[cfg(test)]
mod tests {
    use super::is_transaction_control;

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
