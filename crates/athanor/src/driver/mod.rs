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

/// Receives rows one at a time; returns `false` to stop early.
pub(crate) type RowSink<'s> = dyn FnMut(Vec<Value>) -> Result<bool> + 's;

/// One open connection of a driver.
pub(crate) trait DriverConnection: Send {
    /// Runs a statement that returns no rows.
    fn execute(&mut self, sql: &str, params: &[&Value]) -> Result<ExecOutcome>;
    /// Runs a statement and feeds its rows to `sink`; returns the column names and the number
    /// of rows changed (for DML with RETURNING).
    fn query(
        &mut self,
        sql: &str,
        params: &[&Value],
        sink: &mut RowSink<'_>,
    ) -> Result<(Vec<String>, ExecOutcome)>;
    /// Runs a statement and appends its rows' values, row after row, to `out` (one buffer
    /// for the whole result rather than a `Vec` per row); returns the column names, the
    /// outcome and the number of rows read. The default goes through
    /// [`DriverConnection::query`].
    fn query_into(
        &mut self,
        sql: &str,
        params: &[&Value],
        out: &mut Vec<Value>,
    ) -> Result<(Vec<String>, ExecOutcome, usize)> {
        let mut rows = 0usize;
        let (names, outcome) = self.query(sql, params, &mut |r| {
            rows += 1;
            out.extend(r);
            Ok(true)
        })?;
        Ok((names, outcome, rows))
    }
    /// The column names a statement's rows will have, when the driver can tell before running
    /// it (from the prepared statement); `None` falls back to the compiler's names, which can't
    /// know `text()` or `*` columns. Used by streaming, where rows are built before
    /// [`DriverConnection::query`] returns its names.
    fn column_names(&mut self, _sql: &str) -> Result<Option<Vec<String>>> {
        Ok(None)
    }
    /// Runs one prepared statement once per parameter row.
    fn execute_many(
        &mut self,
        sql: &str,
        rows: &mut dyn Iterator<Item = Result<Vec<&Value>>>,
    ) -> Result<u64>;
    /// Runs transaction-control or other parameterless SQL.
    fn batch(&mut self, sql: &str) -> Result<()>;
    /// Can the connection still be used? (A cheap local check, not a round trip.)
    fn is_healthy(&mut self) -> bool {
        true
    }
    /// The dialect with capabilities detected from the server, asked once per engine.
    fn server_dialect(&mut self) -> Option<Arc<dyn Dialect>> {
        None
    }
}

/// Opens connections for an engine.
pub(crate) trait Driver: Send + Sync {
    /// The dialect the driver speaks (with capabilities detected from the server).
    fn dialect(&self) -> Arc<dyn Dialect>;
    /// Opens a connection.
    fn connect(&self) -> Result<Box<dyn DriverConnection>>;
    /// The largest pool that makes sense (1 for an in-memory SQLite database).
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
