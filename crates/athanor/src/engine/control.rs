//! Transaction control on a [`Connection`]: begin, savepoints, commit and rollback (with the
//! SQL of the dialect's hooks), isolation levels and AUTOCOMMIT, and the reset that rolls back
//! whatever is left open when a connection goes back to the pool.

use athanor_core::dialect::IsolationLevel;

use super::ResetOnReturn;
use super::connection::Connection;
use super::transaction::{Scope, Transaction};
use crate::driver::DriverConnection;
use crate::{Error, Result};

impl Connection {
    /// Begins a transaction; it rolls back unless committed.
    ///
    /// ```
    /// use athanor::prelude::*;
    /// let engine = create_engine("sqlite://")?;
    /// let mut conn = engine.connect()?;
    /// conn.execute(&text("CREATE TABLE t (x INTEGER)"))?;
    /// {
    ///     let mut tx = conn.begin()?;
    ///     tx.execute(&text("INSERT INTO t VALUES (1)"))?;
    ///     let mut sp = tx.begin_nested()?;           // SAVEPOINT
    ///     sp.execute(&text("INSERT INTO t VALUES (2)"))?;
    ///     sp.rollback()?;                            // ROLLBACK TO SAVEPOINT
    ///     tx.commit()?;
    /// }
    /// let n: i64 = conn.execute(&text("SELECT count(*) FROM t"))?.scalar()?;
    /// assert_eq!(n, 1);
    /// # Ok::<(), athanor::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] when a transaction is already open (use
    /// [`Connection::begin_nested`]); the database's error for BEGIN.
    pub fn begin(&mut self) -> Result<Transaction<'_>> {
        let scope = self.open_transaction()?;
        Ok(Transaction::new(self, scope))
    }

    /// Begins a nested transaction: a SAVEPOINT inside the open transaction (or a plain
    /// transaction when none is open).
    ///
    /// # Errors
    /// The database's error for SAVEPOINT.
    pub fn begin_nested(&mut self) -> Result<Transaction<'_>> {
        if self.depth == 0 {
            return self.begin();
        }
        if !self.tx_open {
            // AUTOCOMMIT: no transaction to set a savepoint in.
            self.depth += 1;
            return Ok(Transaction::new(self, Scope::Marker));
        }
        self.savepoint()
    }

    /// Sets the isolation level of this connection's next transactions, or
    /// [`IsolationLevel::Autocommit`] (SQLAlchemy's
    /// `conn.execution_options(isolation_level=...)`). It lasts until the connection goes back
    /// to the pool, which puts the engine's level back
    /// ([`EngineOptions::isolation_level`](crate::EngineOptions::isolation_level), or the
    /// database's default).
    ///
    /// In AUTOCOMMIT every statement commits by itself: [`Connection::begin`] and
    /// [`Connection::begin_nested`] send nothing, so their commit and rollback change nothing
    /// (as in SQLAlchemy); [`Connection::execute_many`] still runs its batch in a transaction
    /// of its own, all or nothing.
    ///
    /// ```
    /// use athanor::prelude::*;
    /// use athanor::dialect::IsolationLevel;
    /// let engine = create_engine("sqlite://")?;
    /// let mut conn = engine.connect()?;
    /// conn.set_isolation_level(IsolationLevel::Serializable)?;
    /// assert!(matches!(conn.set_isolation_level(IsolationLevel::ReadCommitted), Err(Error::Compile(_))));
    /// conn.set_isolation_level(IsolationLevel::Autocommit)?;
    /// conn.execute(&text("CREATE TABLE t (x INTEGER)"))?;
    /// let mut tx = conn.begin()?;
    /// tx.execute(&text("INSERT INTO t VALUES (1)"))?;
    /// tx.rollback()?; // nothing to roll back: the INSERT committed
    /// assert_eq!(conn.scalar::<i64, _>(&text("SELECT count(*) FROM t"))?, 1);
    /// # Ok::<(), athanor::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Compile`] for a level the database lacks; [`Error::InvalidRequest`] inside a
    /// transaction.
    pub fn set_isolation_level(&mut self, level: IsolationLevel) -> Result<()> {
        if self.depth > 0 {
            return Err(Error::InvalidRequest(
                "the isolation level can't change inside a transaction; set it before begin()"
                    .into(),
            ));
        }
        if level != IsolationLevel::Autocommit {
            let sql = self.engine.dialect().isolation_level_sql(level)?;
            self.control(&sql)?;
            self.level_changed = true;
        }
        self.autocommit = level == IsolationLevel::Autocommit;
        self.level = Some(level);
        Ok(())
    }

    /// The isolation level set on this connection or its engine; `None` for the database's
    /// default.
    pub fn isolation_level(&self) -> Option<IsolationLevel> {
        self.level
    }

    /// The isolation level the database reports for this connection (SQLAlchemy's
    /// `Connection.get_isolation_level()`): [`IsolationLevel::Autocommit`] when that is set,
    /// else the level of the open transaction, or of the next one.
    ///
    /// ```
    /// use athanor::prelude::*;
    /// use athanor::dialect::IsolationLevel;
    /// let engine = create_engine("sqlite://")?;
    /// let mut conn = engine.connect()?;
    /// assert_eq!(conn.get_isolation_level()?, engine.dialect().default_isolation_level());
    /// conn.set_isolation_level(IsolationLevel::ReadUncommitted)?;
    /// assert_eq!(conn.get_isolation_level()?, IsolationLevel::ReadUncommitted);
    /// conn.reset_isolation_level()?;
    /// assert_eq!(conn.get_isolation_level()?, IsolationLevel::Serializable);
    /// # Ok::<(), athanor::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] when the dialect has no way to ask, or the database names a
    /// level Athanor doesn't know; the database's error.
    pub fn get_isolation_level(&mut self) -> Result<IsolationLevel> {
        if self.autocommit {
            return Ok(IsolationLevel::Autocommit);
        }
        let dialect = self.engine.dialect();
        let Some(sql) = dialect.isolation_level_query() else {
            return Err(Error::InvalidRequest(format!(
                "the {} dialect can't read a connection's isolation level",
                dialect.name()
            )));
        };
        let row = self.execute(&athanor_core::sql::text(sql))?.first()?;
        let name: Option<String> = match &row {
            Some(r) if !r.is_empty() => r.get(r.len() - 1)?,
            _ => None,
        };
        let name = name.unwrap_or_default();
        IsolationLevel::parse(&name).ok_or_else(|| {
            Error::InvalidRequest(format!(
                "the database reports the isolation level '{name}', which Athanor doesn't know"
            ))
        })
    }

    /// The schema this connection's unqualified names go to, as the database says now
    /// (SQLAlchemy's `dialect._get_default_schema_name(connection)`): PostgreSQL's
    /// `current_schema()`, MySQL's `DATABASE()`, `main` on SQLite; `None` when there is none
    /// (a PostgreSQL `search_path` naming no existing schema, MySQL without a database).
    ///
    /// # Errors
    /// The database's error.
    pub fn default_schema_name(&mut self) -> Result<Option<String>> {
        let sql = self.engine.dialect().default_schema_name_query();
        let row = self.execute(&athanor_core::sql::text(sql))?.first()?;
        match row {
            Some(r) if !r.is_empty() => r.get(0),
            _ => Ok(None),
        }
    }

    /// Puts the connection back to its engine's isolation level
    /// ([`EngineOptions::isolation_level`](crate::EngineOptions::isolation_level)), or the
    /// database's default (SQLAlchemy's `dialect.reset_isolation_level`), as returning it to the
    /// pool would.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] inside a transaction; the database's error.
    pub fn reset_isolation_level(&mut self) -> Result<()> {
        match self.engine.0.isolation {
            Some(level) => self.set_isolation_level(level),
            None => {
                let level = self.engine.dialect().default_isolation_level();
                self.set_isolation_level(level)?;
                self.level = None;
                Ok(())
            }
        }
    }

    /// Runs transaction-control (or other parameterless) SQL the engine itself issues.
    pub(crate) fn control(&mut self, sql: &str) -> Result<()> {
        self.log(sql, None);
        let r = self
            .raw()?
            .batch(sql)
            .map_err(|e| e.with_statement(sql, None));
        if let Err(e) = &r {
            self.note_failure(e);
        }
        r
    }

    /// Remembers a failure that aborted the open transaction on the server (PostgreSQL's
    /// "current transaction is aborted"), so that commit reports it instead of a COMMIT that
    /// only rolls back.
    ///
    /// A disconnect closes the driver connection (never returned to the pool) and retires
    /// the pool's other connections of its generation; the open transaction, if any, is lost.
    pub(super) fn note_failure(&mut self, e: &Error) {
        if let Error::Disconnect(d) = e {
            let why = d.message.clone();
            self.close_raw(&why, true);
            return;
        }
        if self.tx_open
            && self.aborted.is_none()
            && (self.engine.dialect().error_aborts_transaction(e) || self.transaction_gone())
        {
            self.aborted = Some(match e.database_error() {
                Some(d) => d.message.clone(),
                None => e.to_string(),
            });
        }
    }

    /// Opens the connection's transaction (a marker in AUTOCOMMIT) and says which.
    pub(crate) fn open_transaction(&mut self) -> Result<Scope> {
        if self.depth > 0 {
            return Err(Error::InvalidRequest(
                "a transaction is already begun on this connection; use begin_nested() for a savepoint".into(),
            ));
        }
        if self.autocommit {
            self.depth = 1;
            return Ok(Scope::Marker);
        }
        let begin = self.engine.dialect().begin_sql();
        self.control(begin)?;
        self.tx_open = true;
        self.depth = 1;
        Ok(Scope::Top)
    }

    /// Ends the transaction [`Connection::open_transaction`] opened: COMMIT or ROLLBACK, or
    /// nothing for AUTOCOMMIT's marker.
    pub(crate) fn end(&mut self, commit: bool) -> Result<()> {
        if !self.tx_open {
            self.depth = self.depth.saturating_sub(1);
            Ok(())
        } else if commit {
            self.commit_all()
        } else {
            self.rollback_all()
        }
    }

    /// Sends BEGIN and opens a [`Scope::Top`] transaction.
    fn begin_top(&mut self) -> Result<Transaction<'_>> {
        let begin = self.engine.dialect().begin_sql();
        self.control(begin)?;
        self.tx_open = true;
        self.depth += 1;
        Ok(Transaction::new(self, Scope::Top))
    }

    /// The transaction `execute_many` runs in: a savepoint inside an open transaction,
    /// otherwise a transaction of its own (in AUTOCOMMIT too: a batch is all or nothing).
    pub(super) fn begin_batch(&mut self) -> Result<Transaction<'_>> {
        if self.tx_open {
            self.savepoint()
        } else {
            self.begin_top()
        }
    }

    fn savepoint(&mut self) -> Result<Transaction<'_>> {
        let name = self.open_savepoint()?;
        Ok(Transaction::new(self, Scope::Savepoint(name)))
    }

    /// Sends SAVEPOINT and says its name; [`Connection::close_savepoint`] ends it. For owners
    /// that can't hold a [`Transaction`] borrow (the ORM session).
    pub(crate) fn open_savepoint(&mut self) -> Result<String> {
        self.savepoints += 1;
        let name = format!("sa_savepoint_{}", self.savepoints);
        let sql = self.engine.dialect().savepoint_sql(&name);
        self.control(&sql)?;
        self.depth += 1;
        Ok(name)
    }

    /// Releases (`commit`) or rolls back to the savepoint [`Connection::open_savepoint`]
    /// opened.
    pub(crate) fn close_savepoint(&mut self, name: &str, commit: bool) -> Result<()> {
        self.depth = self.depth.saturating_sub(1);
        if commit {
            let sql = self.engine.dialect().release_savepoint_sql(name);
            self.control(&sql)
        } else {
            self.rollback_to(name)
        }
    }

    /// Commits the whole transaction. When the database aborted it, rolls back and says so;
    /// when COMMIT fails, rolls back.
    pub(crate) fn commit_all(&mut self) -> Result<()> {
        self.depth = self.depth.saturating_sub(1);
        self.tx_open = false;
        if let Some(cause) = self.aborted.take() {
            let _ = self.rollback_all();
            return Err(Error::InvalidRequest(format!(
                "the transaction was rolled back, not committed: the database aborted it when a statement failed ({cause}); roll back to a savepoint (begin_nested) to recover from a failed statement inside a transaction"
            )));
        }
        let commit = self.engine.dialect().commit_sql();
        let r = self.control(commit);
        if r.is_err() {
            let _ = self.rollback_all();
        }
        r
    }

    /// Did the database end the open transaction by itself? SQLite rolls back the whole
    /// transaction when a write is interrupted (a statement timeout) or the disk is full;
    /// drivers that can't tell without a round trip say no.
    fn transaction_gone(&mut self) -> bool {
        self.raw
            .as_mut()
            .is_some_and(|p| p.conn.in_transaction() == Some(false))
    }

    /// Rolls back the whole transaction; when ROLLBACK fails, the pool rolls back again on
    /// return.
    pub(crate) fn rollback_all(&mut self) -> Result<()> {
        self.depth = self.depth.saturating_sub(1);
        self.tx_open = false;
        self.aborted = None;
        if self.invalidated() || self.transaction_gone() {
            // The server ended the transaction with the connection, or rolled it back itself
            // (see `transaction_gone`).
            return Ok(());
        }
        let rollback = self.engine.dialect().rollback_sql();
        let r = self.control(rollback);
        if r.is_err() {
            self.unsure = true;
        }
        r
    }

    /// Rolls back to the savepoint `name` and releases it; this recovers a transaction the
    /// database aborted after the savepoint.
    pub(crate) fn rollback_to(&mut self, name: &str) -> Result<()> {
        if self.invalidated() {
            // Nothing left to roll back to: the whole transaction went with the connection.
            return Ok(());
        }
        let sql = self.engine.dialect().rollback_to_savepoint_sql(name);
        self.control(&sql)?;
        self.aborted = None;
        let sql = self.engine.dialect().release_savepoint_sql(name);
        self.control(&sql)
    }

    /// On return to the pool: the engine's isolation level back on a connection that changed
    /// it. `false` when that failed, or the database has no way back (the connection is then
    /// closed rather than pooled).
    fn restore_isolation_level(&self, raw: &mut dyn DriverConnection) -> bool {
        if !self.level_changed {
            return true;
        }
        let dialect = self.engine.dialect();
        let sql = match self.engine.0.isolation {
            Some(l) if l != IsolationLevel::Autocommit => dialect.isolation_level_sql(l).ok(),
            _ => dialect.reset_isolation_level_sql(),
        };
        sql.is_some_and(|sql| raw.batch(&sql).is_ok())
    }
}

/// Can this raw SQL statement begin (or otherwise leave open) a transaction? Its first keyword
/// decides, after comments and parentheses: queries, DML and DDL can't (a function called by a
/// SELECT can't commit or begin, on any of the databases); anything else (`BEGIN`, `START
/// TRANSACTION`, `SAVEPOINT`, `CALL`, `DO`, `SET`, ...) may. A `text()` holds one statement.
pub(super) fn may_control_transactions(sql: &str) -> bool {
    let mut rest = sql;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '(');
        if let Some(r) = rest.strip_prefix("--") {
            rest = r.split_once('\n').map_or("", |(_, r)| r);
        } else if let Some(r) = rest.strip_prefix("/*") {
            rest = r.split_once("*/").map_or("", |(_, r)| r);
        } else {
            break;
        }
    }
    let word = rest
        .split(|c: char| !c.is_ascii_alphabetic())
        .next()
        .unwrap_or("");
    const DATA: [&str; 16] = [
        "SELECT", "WITH", "VALUES", "TABLE", "INSERT", "UPDATE", "DELETE", "REPLACE", "MERGE",
        "SHOW", "EXPLAIN", "DESCRIBE", "CREATE", "DROP", "ALTER", "TRUNCATE",
    ];
    !DATA.iter().any(|k| word.eq_ignore_ascii_case(k))
}

impl Drop for Connection {
    /// Reset on return: rolls back whatever is open, whatever the connection believes. A
    /// connection whose ROLLBACK fails is closed rather than pooled.
    fn drop(&mut self) {
        if let Some(mut p) = self.raw.take() {
            let raw = &mut p.conn;
            let open = raw.in_transaction().unwrap_or(self.tx_open || self.unsure);
            let reset = match self.engine.0.reset_on_return {
                _ if !open => None,
                ResetOnReturn::Rollback => Some(self.engine.dialect().rollback_sql()),
                ResetOnReturn::Commit => Some(self.engine.dialect().commit_sql()),
                ResetOnReturn::None => None,
            };
            let healthy = reset.is_none_or(|sql| {
                self.log(sql, None);
                raw.batch(sql).is_ok()
            }) && self.restore_isolation_level(raw.as_mut())
                && self.restore_statement_timeout(raw.as_mut());
            self.engine
                .0
                .pool
                .release(if healthy { Some(p) } else { None });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::may_control_transactions;

    /// Raw SQL that may begin a transaction makes the connection roll back on return; queries,
    /// DML and DDL don't cost that round trip.
    #[test]
    fn raw_sql_that_may_begin_a_transaction_is_recognised() {
        for sql in [
            "BEGIN",
            "  begin work",
            "START TRANSACTION",
            "/* raw */ BEGIN",
            "-- a comment\nSAVEPOINT x",
            "CALL proc()",
            "DO $$ BEGIN END $$",
            "SET autocommit = 0",
            "",
        ] {
            assert!(may_control_transactions(sql), "{sql:?}");
        }
        for sql in [
            "SELECT 1",
            "(SELECT 1) UNION (SELECT 2)",
            "with x as (select 1) select * from x",
            "INSERT INTO t VALUES (1)",
            "update t set x = 1",
            "DELETE FROM t",
            "-- count\nSELECT count(*) FROM t",
            "CREATE TABLE t (x INTEGER)",
            "DROP TABLE t",
        ] {
            assert!(!may_control_transactions(sql), "{sql:?}");
        }
    }
}
