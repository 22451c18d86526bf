//! Engine events (SQLAlchemy's `connect`, `checkout`, `before_cursor_execute` and
//! `after_cursor_execute`): closures given to [`EngineOptions`](crate::EngineOptions) that set
//! up connections and watch statements.
//!
//! - [`EngineOptions::on_connect`](crate::EngineOptions::on_connect) runs once on every new
//!   database connection, before its first use: `PRAGMA`s, `SET search_path`, the session's
//!   time zone.
//! - [`EngineOptions::on_checkout`](crate::EngineOptions::on_checkout) runs every time a
//!   connection is handed out of the pool.
//! - [`EngineOptions::before_execute`](crate::EngineOptions::before_execute) and
//!   [`EngineOptions::after_execute`](crate::EngineOptions::after_execute) see each statement
//!   sent to the database (its SQL as sent and its parameters), and after it how long it took
//!   and whether it failed: for timing and counting statements. Transaction control (`BEGIN`,
//!   `COMMIT`, `SAVEPOINT`) is not a statement here, as in SQLAlchemy's cursor events.
//!
//! With no hooks set, a statement pays one branch for them.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::{Connection, Error, Result, Value};

/// A statement about to be sent to the database, or just sent.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct StatementEvent<'a> {
    /// The SQL as sent (with the dialect's placeholders).
    pub sql: &'a str,
    /// Its parameters, in placeholder order; empty for an executemany and for raw SQL.
    pub params: &'a [&'a Value],
    /// One statement run for many parameter rows (an executemany: the rows are bound as the
    /// batch runs, so they are not in `params`).
    pub many: bool,
}

/// How a statement went, for [`EngineOptions::after_execute`](crate::EngineOptions::after_execute).
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct StatementOutcome<'a> {
    /// From just before it was sent to the end of reading its result.
    pub elapsed: Duration,
    /// The error it failed with, if it failed.
    pub error: Option<&'a Error>,
}

pub(crate) type ConnectionHook = Arc<dyn Fn(&mut Connection) -> Result<()> + Send + Sync>;
pub(crate) type BeforeHook = Arc<dyn Fn(&StatementEvent<'_>) + Send + Sync>;
pub(crate) type AfterHook = Arc<dyn Fn(&StatementEvent<'_>, &StatementOutcome<'_>) + Send + Sync>;

/// The hooks an engine was made with.
#[derive(Clone, Default)]
pub(crate) struct Events {
    pub(crate) on_connect: Option<ConnectionHook>,
    pub(crate) on_checkout: Option<ConnectionHook>,
    pub(crate) before_execute: Option<BeforeHook>,
    pub(crate) after_execute: Option<AfterHook>,
}

impl Events {
    /// Any statement hook set (the one branch a statement pays).
    #[inline]
    pub(crate) fn watch_statements(&self) -> bool {
        self.before_execute.is_some() || self.after_execute.is_some()
    }
}

impl fmt::Debug for Events {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let set = |b: bool| if b { "set" } else { "none" };
        f.debug_struct("Events")
            .field("on_connect", &set(self.on_connect.is_some()))
            .field("on_checkout", &set(self.on_checkout.is_some()))
            .field("before_execute", &set(self.before_execute.is_some()))
            .field("after_execute", &set(self.after_execute.is_some()))
            .finish()
    }
}
