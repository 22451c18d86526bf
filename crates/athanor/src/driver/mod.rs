//! Driver adapters: the one place that talks to a database library. Each driver turns
//! [`Value`]s into its library's parameters, rows back into `Value`s, and its errors into
//! Athanor's kinds through its dialect's error mapping.

#[cfg(feature = "mysql")]
pub(crate) mod mysql;
#[cfg(feature = "postgres")]
pub(crate) mod postgres;
#[cfg(feature = "sqlite")]
pub(crate) mod sqlite;

use std::sync::Arc;

use athanor_core::dialect::Dialect;

use crate::{Error, Result, Url, Value};

/// What a statement that returns no rows reports.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct ExecOutcome {
    pub rowcount: u64,
    pub last_insert_id: Option<i64>,
}

/// Receives a query's result: its column names, then its rows one at a time.
///
/// Drivers read each row into one buffer they reuse for the whole result, so a sink that
/// moves values out (into a record, a tuple or a result buffer) costs no allocation per row
/// beyond the values themselves.
pub(crate) trait RowSink {
    /// The result's column names, called once before the first row, unless the caller said
    /// it knows them (the count it passed matches the statement's).
    fn columns(&mut self, names: Vec<String>) -> Result<()>;
    /// One row. The sink may move values out (leaving NULL); the driver overwrites every
    /// slot for the next row. Returns `false` to stop reading.
    fn row(&mut self, values: &mut [Value]) -> Result<bool>;
}

/// What a query reports besides its rows.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct QueryDone {
    pub outcome: ExecOutcome,
    /// Rows handed to the sink.
    pub rows: usize,
}

/// A row buffer for `n` columns, reused for every row of one result.
pub(crate) fn row_buffer(n: usize) -> Vec<Value> {
    let mut v = Vec::with_capacity(n);
    v.resize_with(n, || Value::Null);
    v
}

/// Puts a decoded cell in its row-buffer slot. The slot is NULL on every row after the sink
/// took the last row's values, and then nothing is dropped: `Value` is recursive (`Array`),
/// so dropping one, NULL included, is an out-of-line call the compiler cannot remove, ~22
/// instructions a cell (2M of a 30M MariaDB nested load, bench/NOTES.md). Otherwise the old
/// value is dropped as an assignment would.
#[inline]
pub(crate) fn put_cell(slot: &mut Value, value: Value) {
    if matches!(slot, Value::Null) {
        // SAFETY: `slot` is a valid, initialized `Value`; NULL owns nothing, so overwriting it
        // without running its drop leaks nothing.
        unsafe { std::ptr::write(slot, value) }
    } else {
        *slot = value;
    }
}

/// One open connection of a driver.
pub(crate) trait DriverConnection: Send {
    /// Runs a statement that returns no rows.
    fn execute(&mut self, sql: &str, params: &[&Value]) -> Result<ExecOutcome>;
    /// Runs a statement and hands its column names (unless `known_columns` is the statement's
    /// column count: the caller remembers them from an earlier execution) and then its rows
    /// to `sink`. Drivers may read the whole result from the server first (PostgreSQL does:
    /// one call instead of a round into its runtime per row).
    fn query(
        &mut self,
        sql: &str,
        params: &[&Value],
        known_columns: Option<usize>,
        sink: &mut dyn RowSink,
    ) -> Result<QueryDone>;
    /// As [`DriverConnection::query`], but reading rows from the server as the sink takes
    /// them, for results too large to hold. The default is `query`.
    fn stream(
        &mut self,
        sql: &str,
        params: &[&Value],
        known_columns: Option<usize>,
        sink: &mut dyn RowSink,
    ) -> Result<QueryDone> {
        self.query(sql, params, known_columns, sink)
    }
    /// Runs one prepared statement once per parameter row: `next` writes the next row's
    /// `width` values into the driver's parameter buffer (one for every row, so strings reuse
    /// their allocations), and returns `false` when there are no more; `each`, when given,
    /// hears what each row's execution reported (its rows changed, the last row id where the
    /// database has one) before the next row runs. Returns the rows changed.
    fn execute_many(
        &mut self,
        sql: &str,
        width: usize,
        next: &mut dyn FnMut(&mut [Value]) -> Result<bool>,
        each: Option<&mut dyn FnMut(ExecOutcome) -> Result<()>>,
    ) -> Result<u64>;
    /// Runs transaction-control or other parameterless SQL.
    fn batch(&mut self, sql: &str) -> Result<()>;
    /// Runs parameterless SQL of one or more statements (separated by `;`), as
    /// [`RawConnection::batch`], and returns the rows its statements changed, summed over
    /// them (one statement: that statement's rowcount).
    fn script(&mut self, sql: &str) -> Result<u64>;
    /// Is a transaction open, as the database itself says? `None` when the driver can't tell
    /// without a round trip (the engine then rolls back on return when it may be).
    fn in_transaction(&mut self) -> Option<bool> {
        None
    }
    /// Can the connection still be used? (A cheap local check, not a round trip.)
    fn is_healthy(&mut self) -> bool {
        true
    }
    /// The dialect with capabilities detected from the server, asked once per engine.
    fn server_dialect(&mut self) -> Option<Arc<dyn Dialect>> {
        None
    }
    /// Is the server still there? The cheapest round trip the driver has (MySQL's COM_PING,
    /// PostgreSQL's empty query); `pool_pre_ping` asks it on checkout. A dead connection is
    /// [`Error::Disconnect`].
    fn ping(&mut self) -> Result<()> {
        Ok(())
    }
    /// Sets (`Some`) or clears (`None`: back to the database's default) the time limit of
    /// every statement on this connection from now on: PostgreSQL's `statement_timeout`,
    /// MariaDB's `max_statement_time`, SQLite's interrupt at the deadline. A statement past it
    /// fails with [`Error::Timeout`].
    fn set_statement_timeout(&mut self, timeout: Option<std::time::Duration>) -> Result<()> {
        match timeout {
            None => Ok(()),
            Some(_) => Err(Error::argument(
                "statement timeouts are not supported by this driver",
            )),
        }
    }
}

/// Opens connections for an engine.
pub(crate) trait Driver: Send + Sync {
    /// The dialect the driver speaks (with capabilities detected from the server).
    fn dialect(&self) -> Arc<dyn Dialect>;
    /// Opens a connection.
    fn connect(&self) -> Result<Box<dyn DriverConnection>>;
    /// The largest pool that makes sense, if the database limits it.
    fn max_pool_size(&self) -> Option<usize> {
        None
    }
}

/// Picks the driver for a URL.
pub(crate) fn for_url(url: &Url) -> Result<Box<dyn Driver>> {
    match url.dialect() {
        "sqlite" => {
            #[cfg(feature = "sqlite")]
            {
                if let Some(d) = url
                    .driver()
                    .filter(|d| *d != "rusqlite" && *d != "pysqlite")
                {
                    return Err(Error::argument(format!(
                        "unknown SQLite driver '{d}' in '{url}': Athanor's SQLite driver is rusqlite (write sqlite:// or sqlite+rusqlite://)"
                    )));
                }
                Ok(Box::new(sqlite::SqliteDriver::new(url)?))
            }
            #[cfg(not(feature = "sqlite"))]
            {
                Err(missing_feature("sqlite", url))
            }
        }
        "postgresql" | "postgres" => {
            #[cfg(feature = "postgres")]
            {
                if let Some(d) = url
                    .driver()
                    .filter(|d| *d != "postgres" && *d != "psycopg2" && *d != "psycopg")
                {
                    return Err(Error::argument(format!(
                        "unknown PostgreSQL driver '{d}' in '{url}': Athanor's PostgreSQL driver is the postgres crate (write postgresql:// or postgresql+postgres://)"
                    )));
                }
                Ok(Box::new(postgres::PostgresDriver::new(url)?))
            }
            #[cfg(not(feature = "postgres"))]
            {
                Err(missing_feature("postgres", url))
            }
        }
        "mysql" | "mariadb" => {
            #[cfg(feature = "mysql")]
            {
                Ok(Box::new(mysql::MySqlDriver::new(url)?))
            }
            #[cfg(not(feature = "mysql"))]
            {
                Err(missing_feature("mysql", url))
            }
        }
        other => Err(Error::argument(format!(
            "unknown dialect '{other}' in database URL '{url}': Athanor knows sqlite, postgresql, mysql and mariadb"
        ))),
    }
}

#[cfg_attr(
    all(feature = "sqlite", feature = "postgres", feature = "mysql"),
    allow(dead_code)
)]
fn missing_feature(feature: &str, url: &Url) -> Error {
    Error::argument(format!(
        "no driver for '{url}': enable the `{feature}` cargo feature of athanor (athanor = {{ features = [\"{feature}\"] }}); the dialect still compiles SQL without it"
    ))
}

#[cfg(test)]
mod put_cell_tests {
    use super::*;

    /// The slow path: a plain assignment, which drops the old value.
    fn assign(slot: &mut Value, value: Value) {
        *slot = value;
    }

    #[test]
    fn put_cell_is_an_assignment() {
        let cells = [
            Value::Null,
            Value::Int(7),
            Value::Float(0.5),
            Value::Text("text".into()),
            Value::Bytes(vec![1, 2]),
            Value::Array(vec![Value::Text("a".into()), Value::Null]),
        ];
        // Every old value (NULL: the fast path; others: an assignment) by every new one.
        for old in &cells {
            for new in &cells {
                let (mut fast, mut slow) = (old.clone(), old.clone());
                put_cell(&mut fast, new.clone());
                assign(&mut slow, new.clone());
                assert_eq!(fast, slow);
                assert_eq!(fast, *new);
            }
        }
    }
}
