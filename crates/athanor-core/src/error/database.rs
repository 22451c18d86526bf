//! [`DatabaseError`]: what the database (or its driver) said, kept one pointer wide.

use std::fmt;
use std::ops::{Deref, DerefMut};
use std::sync::Arc;

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
/// `d.code`, `d.sql`): it dereferences to [`DatabaseErrorInfo`]. The driver's own error
/// (`postgres::Error`, `mysql::Error`, `rusqlite::Error`) is kept as its
/// [`source`](std::error::Error::source), so error reporters (`anyhow`'s `{:#}`, `eyre`)
/// show the whole chain.
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
#[derive(Clone, Debug)]
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
    /// The driver's own error (`postgres::Error`, `mysql::Error`, `rusqlite::Error`), which
    /// [`std::error::Error::source`] returns. Not compared by `==`.
    pub source: Option<Arc<dyn std::error::Error + Send + Sync + 'static>>,
}

impl PartialEq for DatabaseErrorInfo {
    fn eq(&self, other: &Self) -> bool {
        // Everything but the driver's error, which has no equality of its own.
        let DatabaseErrorInfo {
            message,
            code,
            integrity,
            sql,
            params,
            object,
            source: _,
        } = self;
        *message == other.message
            && *code == other.code
            && *integrity == other.integrity
            && *sql == other.sql
            && *params == other.params
            && *object == other.object
    }
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
            source: None,
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

    /// Keeps the driver's error as this error's [`source`](std::error::Error::source).
    ///
    /// ```
    /// use athanor_core::error::{DatabaseError, Error};
    /// let io = std::io::Error::new(std::io::ErrorKind::BrokenPipe, "Broken pipe");
    /// let e = Error::Disconnect(DatabaseError::new("IO error: Broken pipe").with_source(io));
    /// let source = std::error::Error::source(&e).map(|s| s.to_string());
    /// assert_eq!(source.as_deref(), Some("Broken pipe"));
    /// // Equality ignores it.
    /// assert_eq!(DatabaseError::new("x").with_source(std::fmt::Error), DatabaseError::new("x"));
    /// ```
    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.0.source = Some(Arc::new(source));
        self
    }

    /// The driver's own error, when kept (what [`std::error::Error::source`] returns): downcast
    /// it to reach the driver's details.
    ///
    /// ```
    /// use athanor_core::error::DatabaseError;
    /// let d = DatabaseError::new("gone").with_source(std::io::Error::other("reset"));
    /// let io = d.driver_error().and_then(|e| e.downcast_ref::<std::io::Error>());
    /// assert_eq!(io.map(|e| e.to_string()).as_deref(), Some("reset"));
    /// ```
    pub fn driver_error(&self) -> Option<&(dyn std::error::Error + Send + Sync + 'static)> {
        self.0.source.as_deref()
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

impl std::error::Error for DatabaseError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.0.source {
            Some(s) => Some(&**s),
            None => None,
        }
    }
}
