//! Statement timeouts on a [`Connection`]: the limit of this checkout, put back to the
//! engine's ([`EngineOptions::statement_timeout`](crate::EngineOptions::statement_timeout))
//! when the connection goes back to the pool; and the check every time limit passes before
//! it reaches a database.

use std::time::Duration;

use super::connection::Connection;
use crate::driver::DriverConnection;
use crate::{Error, Result};

/// The longest time limit: PostgreSQL's `statement_timeout` and SQLite's busy timeout count
/// milliseconds in a 32-bit integer (24 days, 20 hours).
const MAX_MILLIS: u64 = i32::MAX as u64;

/// A time limit in whole milliseconds, or why it can't be one: less than a millisecond's
/// precision (the databases count milliseconds: rounding would change it), longer than
/// [`MAX_MILLIS`], or zero where zero is no limit (`zero_ok` is false: PostgreSQL and MariaDB
/// read 0 as "no limit", the opposite of what it says).
pub(crate) fn millis(d: Duration, zero_ok: bool) -> std::result::Result<u32, String> {
    if !d.subsec_nanos().is_multiple_of(1_000_000) {
        return Err(format!(
            "{d:?} is not a whole number of milliseconds, which the databases count in"
        ));
    }
    let ms = d.as_millis();
    if ms == 0 && !zero_ok {
        return Err(
            "0 ms is no time limit (PostgreSQL and MariaDB would read it as none): give at least 1 ms, or no timeout at all"
                .into(),
        );
    }
    match u32::try_from(ms) {
        Ok(ms) if u64::from(ms) <= MAX_MILLIS => Ok(ms),
        _ => Err(format!(
            "{d:?} is longer than the longest time limit, {MAX_MILLIS} ms (24 days, 20 hours)"
        )),
    }
}

impl Connection {
    /// Sets the time limit of every statement this connection runs from now on (`None`: no
    /// limit from Athanor), until it goes back to the pool, which puts the engine's back
    /// ([`EngineOptions::statement_timeout`](crate::EngineOptions::statement_timeout)). Set
    /// it around the statements that need another limit.
    ///
    /// A statement past its limit fails with [`Error::Timeout`], and the connection stays
    /// usable. Each database enforces it its own way:
    ///
    /// | database | how | a statement timed out inside a transaction |
    /// |---|---|---|
    /// | PostgreSQL | `SET statement_timeout` (`None`: `RESET`, the server's default) | aborts the transaction: commit reports it; roll back (or to a savepoint) |
    /// | MariaDB | `SET SESSION max_statement_time` (`None`: `DEFAULT`, the server's) | fails alone; the transaction goes on |
    /// | MySQL | `SET SESSION max_execution_time`: limits read-only `SELECT`s only | fails alone; the transaction goes on |
    /// | SQLite | the driver interrupts the statement at its deadline | a read fails alone; an interrupted write makes SQLite roll back the whole transaction (the message and commit say so) |
    ///
    /// A limit counts whole milliseconds: one of 0, one finer than a millisecond or one
    /// longer than `i32::MAX` ms (24.8 days) is refused, never rounded. Set it outside a
    /// transaction: on PostgreSQL a rollback would undo it.
    ///
    /// ```
    /// use athanor::prelude::*;
    /// use std::time::Duration;
    /// let engine = create_engine("sqlite://")?;
    /// let mut conn = engine.connect()?;
    /// conn.set_statement_timeout(Some(Duration::from_millis(50)))?;
    /// let err = conn
    ///     .execute(&text(
    ///         "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 1e8) \
    ///          SELECT count(*) FROM c",
    ///     ))
    ///     .unwrap_err();
    /// assert!(matches!(err, Error::Timeout(_)), "{err}");
    /// assert!(err.to_string().contains("statement timeout of 50 ms exceeded"), "{err}");
    /// conn.set_statement_timeout(None)?;
    /// assert_eq!(conn.scalar::<i64, _>(&text("SELECT 1"))?, 1);
    /// # Ok::<(), athanor::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Argument`] for a limit that isn't one (above); [`Error::InvalidRequest`]
    /// inside a transaction begun through the connection; the database's error for the
    /// `SET`.
    pub fn set_statement_timeout(&mut self, timeout: Option<Duration>) -> Result<()> {
        if self.depth > 0 {
            return Err(Error::InvalidRequest(
                "the statement timeout can't change inside a transaction (on PostgreSQL a rollback would undo it); set it before begin()"
                    .into(),
            ));
        }
        if let Some(t) = timeout {
            millis(t, false).map_err(|why| {
                Error::argument(format!("Connection::set_statement_timeout: {why}"))
            })?;
        }
        self.raw()?.set_statement_timeout(timeout)?;
        self.timeout = Some(timeout);
        Ok(())
    }

    /// The time limit of this connection's statements: the one set with
    /// [`Connection::set_statement_timeout`] since checkout, or the engine's; `None` when
    /// Athanor sets none (the database's own default applies).
    ///
    /// ```
    /// use athanor::prelude::*;
    /// use std::time::Duration;
    /// let engine = create_engine_with(
    ///     "sqlite://",
    ///     EngineOptions::new().statement_timeout(Duration::from_secs(30)),
    /// )?;
    /// let mut conn = engine.connect()?;
    /// assert_eq!(conn.statement_timeout(), Some(Duration::from_secs(30)));
    /// conn.set_statement_timeout(None)?;
    /// assert_eq!(conn.statement_timeout(), None);
    /// drop(conn);
    /// assert_eq!(engine.connect()?.statement_timeout(), Some(Duration::from_secs(30)));
    /// # Ok::<(), athanor::Error>(())
    /// ```
    pub fn statement_timeout(&self) -> Option<Duration> {
        self.timeout.unwrap_or(self.engine.0.statement_timeout)
    }

    /// On return to the pool: the engine's statement timeout back on a connection that set
    /// another. `false` when that failed (the connection is then closed rather than pooled).
    pub(super) fn restore_statement_timeout(&self, raw: &mut dyn DriverConnection) -> bool {
        let engine = self.engine.0.statement_timeout;
        match self.timeout {
            Some(t) if t != engine => raw.set_statement_timeout(engine).is_ok(),
            _ => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_whole_milliseconds_within_i32() {
        assert_eq!(millis(Duration::from_millis(200), false), Ok(200));
        assert_eq!(millis(Duration::ZERO, true), Ok(0));
        assert_eq!(
            millis(Duration::from_millis(MAX_MILLIS), false),
            Ok(i32::MAX as u32)
        );
        assert!(
            millis(Duration::ZERO, false)
                .unwrap_err()
                .contains("0 ms is no time limit")
        );
        assert_eq!(
            millis(Duration::from_micros(1500), false).unwrap_err(),
            "1.5ms is not a whole number of milliseconds, which the databases count in"
        );
        assert!(
            millis(Duration::from_millis(MAX_MILLIS + 1), true)
                .unwrap_err()
                .contains("longer than the longest time limit, 2147483647 ms")
        );
        assert!(millis(Duration::MAX, true).is_err());
    }
}
