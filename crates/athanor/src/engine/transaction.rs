//! Transactions and savepoints.

use std::ops::{Deref, DerefMut};

use super::Connection;
use crate::Result;

/// An open transaction (or savepoint) on a [`Connection`]; it derefs to the connection, so
/// statements run through it. Dropped without [`Transaction::commit`], it rolls back.
#[must_use = "a transaction rolls back when dropped; call commit()"]
pub struct Transaction<'c> {
    conn: &'c mut Connection,
    savepoint: Option<String>,
    done: bool,
}

impl<'c> Transaction<'c> {
    pub(crate) fn new(conn: &'c mut Connection, savepoint: Option<String>) -> Self {
        Transaction {
            conn,
            savepoint,
            done: false,
        }
    }

    /// Commits (or releases the savepoint).
    ///
    /// # Errors
    /// The database's error for COMMIT; the transaction is then rolled back.
    pub fn commit(mut self) -> Result<()> {
        self.done = true;
        self.conn.depth -= 1;
        let sql = match &self.savepoint {
            Some(sp) => format!("RELEASE SAVEPOINT {sp}"),
            None => "COMMIT".to_string(),
        };
        let r = self.conn.exec_driver_sql(&sql);
        if r.is_err() && self.savepoint.is_none() {
            let _ = self.conn.exec_driver_sql("ROLLBACK");
        }
        r
    }

    /// Rolls back (to the savepoint, for a nested transaction).
    ///
    /// # Errors
    /// The database's error for ROLLBACK.
    pub fn rollback(mut self) -> Result<()> {
        self.done = true;
        self.undo()
    }

    fn undo(&mut self) -> Result<()> {
        self.conn.depth -= 1;
        match self.savepoint.clone() {
            Some(sp) => {
                self.conn
                    .exec_driver_sql(&format!("ROLLBACK TO SAVEPOINT {sp}"))?;
                self.conn
                    .exec_driver_sql(&format!("RELEASE SAVEPOINT {sp}"))
            }
            None => self.conn.exec_driver_sql("ROLLBACK"),
        }
    }

    /// A savepoint inside this transaction.
    ///
    /// # Errors
    /// The database's error for SAVEPOINT.
    pub fn begin_nested(&mut self) -> Result<Transaction<'_>> {
        self.conn.begin_nested()
    }
}

impl Deref for Transaction<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        self.conn
    }
}

impl DerefMut for Transaction<'_> {
    fn deref_mut(&mut self) -> &mut Connection {
        self.conn
    }
}

impl Drop for Transaction<'_> {
    fn drop(&mut self) {
        if !self.done {
            let _ = self.undo();
        }
    }
}

/// A connection that owns its transaction: [`Engine::begin`](crate::Engine::begin).
/// Commit with [`EngineTransaction::commit`]; dropped, it rolls back.
#[must_use = "a transaction rolls back when dropped; call commit()"]
pub struct EngineTransaction {
    conn: Connection,
    done: bool,
}

impl EngineTransaction {
    pub(crate) fn new(mut conn: Connection) -> Result<Self> {
        conn.exec_driver_sql("BEGIN")?;
        conn.depth = 1;
        Ok(EngineTransaction { conn, done: false })
    }

    /// Commits and returns the connection to the pool.
    ///
    /// # Errors
    /// The database's error for COMMIT.
    pub fn commit(mut self) -> Result<()> {
        self.done = true;
        self.conn.depth = 0;
        let r = self.conn.exec_driver_sql("COMMIT");
        if r.is_err() {
            let _ = self.conn.exec_driver_sql("ROLLBACK");
        }
        r
    }

    /// Rolls back.
    ///
    /// # Errors
    /// The database's error for ROLLBACK.
    pub fn rollback(mut self) -> Result<()> {
        self.done = true;
        self.conn.depth = 0;
        self.conn.exec_driver_sql("ROLLBACK")
    }
}

impl Deref for EngineTransaction {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        &self.conn
    }
}

impl DerefMut for EngineTransaction {
    fn deref_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }
}

impl Drop for EngineTransaction {
    fn drop(&mut self) {
        if !self.done {
            self.conn.depth = 0;
            let _ = self.conn.exec_driver_sql("ROLLBACK");
        }
    }
}
