//! [`IsolationLevel`]: transaction isolation levels and `AUTOCOMMIT`, as SQLAlchemy's
//! `isolation_level` names them.

use crate::error::{CompileError, Error};

/// Transaction isolation levels, and `AUTOCOMMIT` (SQLAlchemy's `isolation_level` values).
///
/// ```
/// use athanor_core::dialect::IsolationLevel;
/// assert_eq!(IsolationLevel::parse("read committed"), Some(IsolationLevel::ReadCommitted));
/// assert_eq!(IsolationLevel::parse("AUTOCOMMIT"), Some(IsolationLevel::Autocommit));
/// assert_eq!(IsolationLevel::parse("REPEATABLE_READ"), Some(IsolationLevel::RepeatableRead));
/// assert_eq!(IsolationLevel::parse("sometimes"), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IsolationLevel {
    /// `READ UNCOMMITTED`.
    ReadUncommitted,
    /// `READ COMMITTED`.
    ReadCommitted,
    /// `REPEATABLE READ`.
    RepeatableRead,
    /// `SERIALIZABLE`.
    Serializable,
    /// No transactions: every statement commits by itself, and `begin()`/`commit()`/
    /// `rollback()` send nothing (SQLAlchemy's `"AUTOCOMMIT"`). The engine applies it; it is
    /// not a database setting.
    Autocommit,
}

impl IsolationLevel {
    /// The SQL name (`READ COMMITTED`; `AUTOCOMMIT`).
    pub fn sql(self) -> &'static str {
        match self {
            IsolationLevel::ReadUncommitted => "READ UNCOMMITTED",
            IsolationLevel::ReadCommitted => "READ COMMITTED",
            IsolationLevel::RepeatableRead => "REPEATABLE READ",
            IsolationLevel::Serializable => "SERIALIZABLE",
            IsolationLevel::Autocommit => "AUTOCOMMIT",
        }
    }

    /// A level from its name, in any case, with spaces or underscores (`READ COMMITTED`,
    /// `read_committed`, `AUTOCOMMIT`); `None` for anything else.
    pub fn parse(name: &str) -> Option<IsolationLevel> {
        let norm = name.trim().replace(['_', '-'], " ").to_ascii_uppercase();
        [
            IsolationLevel::ReadUncommitted,
            IsolationLevel::ReadCommitted,
            IsolationLevel::RepeatableRead,
            IsolationLevel::Serializable,
            IsolationLevel::Autocommit,
        ]
        .into_iter()
        .find(|l| l.sql() == norm)
    }
}

/// The error for [`IsolationLevel::Autocommit`] asked of a dialect as SQL.
pub(crate) fn autocommit_is_no_sql(dialect: &'static str) -> Error {
    Error::from(CompileError::Unsupported {
        dialect,
        construct:
            "AUTOCOMMIT as SQL (the engine applies it: set it on a Connection or in EngineOptions)"
                .into(),
    })
}
