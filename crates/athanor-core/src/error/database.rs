//! [`DatabaseError`]: what the database (or its driver) said, kept one pointer wide.

use std::fmt;
use std::ops::{Deref, DerefMut};

/// Which constraint an [`Error::Integrity`](super::Error::Integrity) broke, normalized across
/// databases.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum IntegrityKind {
    /// A UNIQUE or PRIMARY KEY constraint.
    Unique,
    /// A FOREIGN KEY constraint.
    ForeignKey,
    /// A NOT NULL constraint.
    NotNull,
    /// A CHECK constraint.
    Check,
}

/// What the database said: its message and code, and the statement that failed.
///
/// One pointer wide (the fields live in a boxed [`DatabaseErrorInfo`]), so every
/// `Result<T, athanor::Error>` stays small. Read the fields through it directly (`d.message`,
/// `d.code`, `d.sql`): it dereferences to [`DatabaseErrorInfo`].
///
/// ```
/// use athanor_core::error::{DatabaseError, Error, IntegrityKind};
/// let d = DatabaseError::new("duplicate key value violates unique constraint \"users_pkey\"")
///     .with_code("23505")
///     .with_integrity(IntegrityKind::Unique);
/// assert_eq!(d.code.as_deref(), Some("23505"));
/// assert_eq!(std::mem::size_of::<DatabaseError>(), std::mem::size_of::<usize>());
/// let e = Error::Integrity(d);
/// assert_eq!(
///     e.to_string(),
///     "(IntegrityError) duplicate key value violates unique constraint \"users_pkey\" (code 23505)"
/// );
/// ```
#[derive(Clone, PartialEq)]
pub struct DatabaseError(Box<DatabaseErrorInfo>);

/// The fields of a [`DatabaseError`] (which dereferences to this).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct DatabaseErrorInfo {
    /// The driver's or server's message.
    pub message: String,
    /// The SQLSTATE (PostgreSQL), error number (MySQL) or extended result code (SQLite), as
    /// text.
    pub code: Option<String>,
    /// The normalized constraint kind for integrity errors.
    pub integrity: Option<IntegrityKind>,
    /// The SQL that failed.
    pub sql: Option<String>,
    /// The parameters, rendered for display.
    pub params: Option<Box<str>>,
    /// The ORM object a flush was writing when the statement failed (`Artist(ArtistId=5)`).
    pub object: Option<Box<str>>,
}

impl Deref for DatabaseError {
    type Target = DatabaseErrorInfo;
    fn deref(&self) -> &DatabaseErrorInfo {
        &self.0
    }
}

impl DerefMut for DatabaseError {
    fn deref_mut(&mut self) -> &mut DatabaseErrorInfo {
        &mut self.0
    }
}

impl fmt::Debug for DatabaseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl DatabaseError {
    /// A database error with a message and nothing else yet.
    pub fn new(message: impl Into<String>) -> Self {
        DatabaseError(Box::new(DatabaseErrorInfo {
            message: message.into(),
            code: None,
            integrity: None,
            sql: None,
            params: None,
            object: None,
        }))
    }

    /// Sets the database's error code.
    pub fn with_code(mut self, code: impl Into<String>) -> Self {
        self.0.code = Some(code.into());
        self
    }

    /// Sets the normalized integrity kind.
    pub fn with_integrity(mut self, kind: IntegrityKind) -> Self {
        self.0.integrity = Some(kind);
        self
    }
}

impl fmt::Display for DatabaseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = &*self.0;
        f.write_str(&d.message)?;
        if let Some(code) = &d.code {
            write!(f, " (code {code})")?;
        }
        if let Some(sql) = &d.sql {
            write!(f, "\n[SQL: {sql}]")?;
        }
        if let Some(params) = &d.params {
            write!(f, "\n[parameters: {params}]")?;
        }
        if let Some(object) = &d.object {
            write!(f, "\n[while flushing: {object}]")?;
        }
        Ok(())
    }
}

impl std::error::Error for DatabaseError {}
