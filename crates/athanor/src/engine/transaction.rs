//! Transactions and savepoints.

use std::ops::{Deref, DerefMut};

use super::Connection;
use crate::Result;

/// An open transaction (or savepoint) on a [`Connection`]; it derefs to the connection, so
/// statements run through it. Dropped without [`Transaction::commit`], it rolls back.
#[must_use = "a transaction rolls back when dropped; call commit()"]
pub struct Transaction<'c> {
    conn: &'c mut Connection,
    scope: Scope,
    done: bool,
}

/// What a [`Transaction`] ends.
pub(crate) enum Scope {
    /// The transaction the connection began.
    Top,
    /// A savepoint of that transaction.
    Savepoint(String),
    /// Nothing: in AUTOCOMMIT, `begin()` opens no transaction.
    Marker,
}

impl<'c> Transaction<'c> {
    pub(crate) fn new(conn: &'c mut Connection, scope: Scope) -> Self {
        Transaction {
            conn,
            scope,
            done: false,
        }
    }

    /// Commits (or releases the savepoint).
    ///
    /// # Errors
    /// The database's error for COMMIT; the transaction is then rolled back.
    /// [`Error::InvalidRequest`](crate::Error::InvalidRequest) when the database aborted the
    /// transaction at an earlier failed statement (PostgreSQL does, for any error): nothing
    /// is committed, the transaction is rolled back, and the message names the failure. Roll
    /// back to a savepoint ([`Transaction::begin_nested`]) to recover from a failed statement
    /// and go on.
    pub fn commit(mut self) -> Result<()> {
        self.done = true;
        match std::mem::replace(&mut self.scope, Scope::Marker) {
            Scope::Top => self.conn.commit_all(),
            Scope::Savepoint(sp) => {
                self.conn.depth -= 1;
                let sql = self.conn.engine().dialect().release_savepoint_sql(&sp);
                self.conn.control(&sql)
            }
            Scope::Marker => {
                self.conn.depth -= 1;
                Ok(())
            }
        }
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
        match std::mem::replace(&mut self.scope, Scope::Marker) {
            Scope::Top => self.conn.rollback_all(),
            Scope::Savepoint(sp) => {
                self.conn.depth -= 1;
                self.conn.rollback_to(&sp)
            }
            Scope::Marker => {
                self.conn.depth -= 1;
                Ok(())
            }
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
        if !self.done && self.undo().is_err() {
            // Whatever is left open is rolled back when the connection goes back to the pool.
            self.conn.unsure = true;
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
        conn.open_transaction()?;
        Ok(EngineTransaction { conn, done: false })
    }

    /// Commits and returns the connection to the pool.
    ///
    /// # Errors
    /// As [`Transaction::commit`].
    pub fn commit(mut self) -> Result<()> {
        self.done = true;
        self.conn.end(true)
    }

    /// Rolls back.
    ///
    /// # Errors
    /// The database's error for ROLLBACK.
    pub fn rollback(mut self) -> Result<()> {
        self.done = true;
        self.conn.end(false)
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
            // A failed ROLLBACK leaves the connection unsure: the pool rolls back again.
            let _ = self.conn.end(false);
        }
    }
}
