//! Athanor's one error type, with kinds modeled on SQLAlchemy's exceptions.
//!
//! | Athanor | SQLAlchemy |
//! |---|---|
//! | [`Error::Argument`] | `ArgumentError` |
//! | [`Error::Compile`] | `CompileError` |
//! | [`Error::NoSuchTable`] | `NoSuchTableError` |
//! | [`Error::NoSuchColumn`] | `NoSuchColumnError` |
//! | [`Error::NoForeignKeys`] | `NoForeignKeysError` |
//! | [`Error::AmbiguousForeignKeys`] | `AmbiguousForeignKeysError` |
//! | [`Error::CircularDependency`] | `CircularDependencyError` |
//! | [`Error::NoResultFound`] | `NoResultFound` |
//! | [`Error::MultipleResultsFound`] | `MultipleResultsFound` |
//! | [`Error::Integrity`] | `IntegrityError` |
//! | [`Error::Operational`] | `OperationalError` |
//! | [`Error::Programming`] | `ProgrammingError` |
//! | [`Error::Data`] | `DataError` |
//! | [`Error::Database`] | `DatabaseError` (other) |
//! | [`Error::Conversion`] | a `TypeError` while processing a result |
//! | [`Error::PoolTimeout`] | `TimeoutError` |
//! | [`Error::Disconnect`] | `DisconnectionError` |
//! | [`Error::InvalidRequest`] | `InvalidRequestError` |
//! | [`Error::DetachedInstance`] | `DetachedInstanceError` (a handle of another session, or expunged) |
//! | [`Error::StaleData`] | `StaleDataError` (a flush changed fewer rows than it expected) |
//! | [`Error::ObjectDeleted`] | `ObjectDeletedError` (an expired object's row is gone) |
//! | [`Error::Unevaluatable`] | `UnevaluatableError` (`synchronize_session = evaluate` can't compute a criterion) |

use std::fmt;

/// `Result` with Athanor's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Every error Athanor returns.
///
/// Match on the variant to react to a kind of failure, as you would catch
/// SQLAlchemy's exception classes:
///
/// ```
/// use athanor_core::Error;
/// fn is_retryable(e: &Error) -> bool {
///     matches!(e, Error::Operational(_) | Error::Disconnect(_) | Error::PoolTimeout { .. })
/// }
/// assert!(!is_retryable(&Error::NoResultFound));
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A bad argument: a malformed URL, an unknown dialect, a missing driver feature, an invalid
    /// schema definition.
    #[error("argument error: {0}")]
    Argument(String),
    /// A statement could not be compiled to SQL for a dialect.
    #[error(transparent)]
    Compile(#[from] CompileError),
    /// A table asked for by name does not exist (in the database or in the `MetaData`).
    #[error("no such table: {name}")]
    NoSuchTable {
        /// The table's name, schema-qualified when a schema was given.
        name: String,
    },
    /// A column asked for by name does not exist in a table or a result row.
    #[error("no such column: {column} in {table}")]
    NoSuchColumn {
        /// The table, alias or result the column was looked up in.
        table: String,
        /// The column asked for.
        column: String,
    },
    /// A join's ON clause could not be inferred: there is no foreign key between the two sides.
    #[error(
        "can't find any foreign key relationships between '{left}' and '{right}'; give the ON clause explicitly with join_on()"
    )]
    NoForeignKeys {
        /// The left side of the join.
        left: String,
        /// The right side of the join.
        right: String,
    },
    /// A join's ON clause could not be inferred: there is more than one foreign key between the
    /// two sides.
    #[error(
        "can't determine join between '{left}' and '{right}'; tables have more than one foreign key constraint relationship between them; give the ON clause explicitly with join_on()"
    )]
    AmbiguousForeignKeys {
        /// The left side of the join.
        left: String,
        /// The right side of the join.
        right: String,
    },
    /// Tables depend on each other through foreign keys in a cycle that cannot be ordered.
    #[error("circular foreign key dependency between tables: {}", tables.join(", "))]
    CircularDependency {
        /// The tables taking part in the cycle.
        tables: Vec<String>,
    },
    /// `one()` found no row.
    #[error("no row was found when one was required")]
    NoResultFound,
    /// `one()` or `one_or_none()` found more than one row.
    #[error("multiple rows were found when exactly one was required")]
    MultipleResultsFound,
    /// The database refused a change that breaks a constraint (unique, foreign key, not null,
    /// check).
    #[error("(IntegrityError) {0}")]
    Integrity(DatabaseError),
    /// The database failed for a reason outside the program's control (locked, disconnected,
    /// out of resources).
    #[error("(OperationalError) {0}")]
    Operational(DatabaseError),
    /// The SQL was wrong for the database: a syntax error, an unknown table or column.
    #[error("(ProgrammingError) {0}")]
    Programming(DatabaseError),
    /// The database refused a value: out of range, wrong type, too long.
    #[error("(DataError) {0}")]
    Data(DatabaseError),
    /// Any other error the database reported.
    #[error("(DatabaseError) {0}")]
    Database(DatabaseError),
    /// A value read from a result could not become the Rust type asked for.
    #[error(transparent)]
    Conversion(#[from] ConversionError),
    /// No connection came free in the pool within its timeout.
    #[error(
        "pool timeout: no connection became available within {waited_ms} ms (pool size {size})"
    )]
    PoolTimeout {
        /// How long the caller waited.
        waited_ms: u64,
        /// The pool's size.
        size: usize,
    },
    /// The connection to the database was lost.
    #[error("(DisconnectionError) {0}")]
    Disconnect(DatabaseError),
    /// The call is not valid in the object's current state (a closed transaction, a missing
    /// parameter).
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    /// An ORM handle used with a session that doesn't hold its object: a handle of another
    /// session, or of an object expunged or deleted since.
    #[error("detached instance: {0}")]
    DetachedInstance(String),
    /// A flush's UPDATE or DELETE matched fewer rows than objects: the rows were changed or
    /// deleted behind the session's back.
    #[error("stale data: {0}")]
    StaleData(String),
    /// An expired object was read and its row no longer exists.
    #[error("object deleted: {0}")]
    ObjectDeleted(String),
    /// A bulk UPDATE or DELETE with `synchronize_session = evaluate` met a criterion or value
    /// it can't compute in Rust; use `fetch`.
    #[error("unevaluatable: {0}")]
    Unevaluatable(String),
}

impl Error {
    /// The database error behind this error, if the database reported it.
    ///
    /// ```
    /// use athanor_core::error::{DatabaseError, Error};
    /// let e = Error::Integrity(DatabaseError::new("UNIQUE constraint failed: users.id").with_code("2067"));
    /// assert_eq!(e.database_error().and_then(|d| d.code.as_deref()), Some("2067"));
    /// ```
    pub fn database_error(&self) -> Option<&DatabaseError> {
        match self {
            Error::Integrity(d)
            | Error::Operational(d)
            | Error::Programming(d)
            | Error::Data(d)
            | Error::Database(d)
            | Error::Disconnect(d) => Some(d),
            _ => None,
        }
    }

    /// Attaches the statement and its parameters to a database error (other kinds are returned
    /// unchanged).
    pub fn with_statement(mut self, sql: &str, params: Option<String>) -> Self {
        if let Error::Integrity(d)
        | Error::Operational(d)
        | Error::Programming(d)
        | Error::Data(d)
        | Error::Database(d)
        | Error::Disconnect(d) = &mut self
        {
            if d.sql.is_none() {
                d.sql = Some(sql.to_string());
            }
            if d.params.is_none() {
                d.params = params.map(String::into_boxed_str);
            }
        }
        self
    }

    /// Names the ORM object a flush was writing when a database error happened (other kinds
    /// are returned unchanged).
    pub fn with_object(mut self, object: impl FnOnce() -> String) -> Self {
        if let Error::Integrity(d)
        | Error::Operational(d)
        | Error::Programming(d)
        | Error::Data(d)
        | Error::Database(d)
        | Error::Disconnect(d) = &mut self
            && d.object.is_none()
        {
            d.object = Some(object().into_boxed_str());
        }
        self
    }

    /// Shorthand for [`Error::Argument`].
    pub fn argument(msg: impl Into<String>) -> Self {
        Error::Argument(msg.into())
    }
}

/// Which constraint an [`Error::Integrity`] broke, normalized across databases.
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
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct DatabaseError {
    /// The driver's or server's message.
    pub message: String,
    /// The SQLSTATE (PostgreSQL), error number (MySQL) or extended result code (SQLite).
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

impl DatabaseError {
    /// A database error with a message and nothing else yet.
    pub fn new(message: impl Into<String>) -> Self {
        DatabaseError {
            message: message.into(),
            code: None,
            integrity: None,
            sql: None,
            params: None,
            object: None,
        }
    }

    /// Sets the database's error code.
    pub fn with_code(mut self, code: impl Into<String>) -> Self {
        self.code = Some(code.into());
        self
    }

    /// Sets the normalized integrity kind.
    pub fn with_integrity(mut self, kind: IntegrityKind) -> Self {
        self.integrity = Some(kind);
        self
    }
}

impl fmt::Display for DatabaseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(code) = &self.code {
            write!(f, " (code {code})")?;
        }
        if let Some(sql) = &self.sql {
            write!(f, "\n[SQL: {sql}]")?;
        }
        if let Some(params) = &self.params {
            write!(f, "\n[parameters: {params}]")?;
        }
        if let Some(object) = &self.object {
            write!(f, "\n[while flushing: {object}]")?;
        }
        Ok(())
    }
}

/// A statement that a dialect cannot render.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum CompileError {
    /// The construct has no form in this dialect (RETURNING on old MySQL, ILIKE emulation
    /// aside, ...).
    #[error("{construct} is not supported by the {dialect} dialect")]
    Unsupported {
        /// The dialect's name.
        dialect: &'static str,
        /// What could not be rendered.
        construct: String,
    },
    /// The statement is malformed (an INSERT with no values, an empty SELECT, ...).
    #[error("can't compile statement: {0}")]
    Invalid(String),
}

/// A value that could not become the Rust type asked for.
///
/// Carries the column (name and position) when it came from a result row.
///
/// ```
/// use athanor_core::{FromValue, Value};
/// let err = i64::from_value(&Value::Text("abc".into())).unwrap_err();
/// assert!(err.to_string().contains("TEXT"));
/// assert!(err.to_string().contains("i64"));
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}cannot convert SQL {found} to Rust {expected}{}", column_prefix(.column, .index), detail_suffix(.detail))]
#[non_exhaustive]
pub struct ConversionError {
    /// The column's name, when known.
    pub column: Option<String>,
    /// The column's position, when known.
    pub index: Option<usize>,
    /// The Rust type asked for.
    pub expected: &'static str,
    /// The SQL kind of value found.
    pub found: &'static str,
    /// More detail (an overflow, a parse failure).
    pub detail: Option<String>,
}

fn column_prefix(column: &Option<String>, index: &Option<usize>) -> String {
    match (column, index) {
        (Some(c), Some(i)) => format!("column \"{c}\" (index {i}): "),
        (Some(c), None) => format!("column \"{c}\": "),
        (None, Some(i)) => format!("column index {i}: "),
        (None, None) => String::new(),
    }
}

fn detail_suffix(d: &Option<String>) -> String {
    d.as_ref().map(|d| format!(" ({d})")).unwrap_or_default()
}

impl ConversionError {
    /// A conversion error with no column attached yet.
    pub fn new(expected: &'static str, found: &'static str) -> Self {
        ConversionError {
            column: None,
            index: None,
            expected,
            found,
            detail: None,
        }
    }

    /// Adds detail (why the conversion failed).
    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    /// Names the column the value came from.
    pub fn with_column(mut self, column: &str, index: usize) -> Self {
        self.column = Some(column.to_string());
        self.index = Some(index);
        self
    }
}
