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
//! | [`Error::Timeout`] | `OperationalError` of a timeout (statement, lock wait, connect) |
//! | [`Error::InvalidRequest`] | `InvalidRequestError` |
//! | [`Error::DetachedInstance`] | `DetachedInstanceError` (a handle of another session, or expunged) |
//! | [`Error::StaleData`] | `StaleDataError` (a flush changed fewer rows than it expected) |
//! | [`Error::ObjectDeleted`] | `ObjectDeletedError` (an expired object's row is gone) |
//! | [`Error::Unevaluatable`] | `UnevaluatableError` (`synchronize_session = evaluate` can't compute a criterion) |
//! | [`Error::NotLoaded`] | `InvalidRequestError` of `lazy="raise"` (a relationship read before it was loaded) |
//! | [`Error::Mapping`] | what `DeferredReflection.prepare` / mapper configuration raises (`NoSuchTableError`, `ArgumentError`), every mismatch at once |
//!
//! # What a database error carries
//!
//! The database kinds (`Integrity`, `Operational`, `Programming`, `Data`, `Database`,
//! `Disconnect`, `Timeout`) hold a [`DatabaseError`], reached by
//! [`Error::database_error`]:
//!
//! - the driver's message, and its codes without string parsing: `code` (as text),
//!   [`sqlstate()`](DatabaseError::sqlstate) (PostgreSQL, MySQL/MariaDB) and
//!   [`errno()`](DatabaseError::errno) (MySQL/MariaDB's error number, SQLite's extended
//!   result code);
//! - for integrity errors, the normalized [`IntegrityKind`] (`Other` when the database's code
//!   is none of the listed ones) and the violated [`constraint()`](DatabaseError::constraint)
//!   where the database names it (see [`DatabaseErrorInfo`]: SQLite's UNIQUE, NOT NULL and
//!   FOREIGN KEY failures name columns, not a constraint);
//! - the SQL that failed (always), and its parameters: each value's text capped at 300
//!   characters, at most 100 values or 10 rows shown, each cut with a note of what was left
//!   out, or replaced by `[SQL parameters hidden due to hide_parameters=true]` when the engine
//!   hides them (`EngineOptions::hide_parameters`, `?hide_parameters=true`);
//! - the driver's own error (`postgres::Error`, `mysql::Error`, `rusqlite::Error`) as its
//!   [`source`](std::error::Error::source), so `anyhow`/`eyre` reports show the chain.
//!
//! ```
//! use athanor_core::dialect::postgres::map_error;
//! use athanor_core::error::{Error, IntegrityKind};
//! let e = map_error("23505", "duplicate key value violates unique constraint \"users_email_key\"")
//!     .with_statement("INSERT INTO users (email) VALUES ($1)", Some("('ann@example.com')".into()));
//! let d = e.database_error().unwrap();
//! assert_eq!((d.sqlstate(), d.integrity), (Some("23505"), Some(IntegrityKind::Unique)));
//! assert_eq!(
//!     e.to_string(),
//!     "(IntegrityError) duplicate key value violates unique constraint \"users_email_key\" (code 23505)\n\
//!      [SQL: INSERT INTO users (email) VALUES ($1)]\n\
//!      [parameters: ('ann@example.com')]"
//! );
//! ```
//!
//! # Disconnects
//!
//! [`Error::Disconnect`] means the connection is gone and can't be used again (SQLAlchemy's
//! `is_disconnect`): on PostgreSQL the server ending the session (57P01 `admin_shutdown`, as
//! `pg_terminate_backend` does; 57P02, 57P03), SQLSTATE class 08, a closed client or a socket
//! error; on MySQL/MariaDB errors 1053, 1927, 2006, 2013, 2014, 2045, 2055 and 4031, SQLSTATE
//! class 08, and the driver's IO and packet errors (broken pipe, reset, EOF, packets out of
//! step) (see `dialect::postgres::is_disconnect` and `dialect::mysql::is_disconnect`). SQLite
//! has no connection to lose. Failing to open a connection is [`Error::Operational`].
//!
//! # Size
//!
//! An `Error` is at most four words (32 bytes on 64-bit targets): the payloads of the database
//! kinds, conversions, compile errors and the join errors are boxed, so a `Result<T>` costs
//! little more than its `T`.

use std::fmt;

mod conversion;
mod database;
mod mapping;

pub use conversion::{ConversionError, ConversionErrorInfo};
pub use database::{DatabaseError, DatabaseErrorInfo, IntegrityKind};
pub use mapping::{MappingError, Mismatch, MismatchKind};

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
///
/// It is small (four words: the payloads of the rarer, bigger kinds are boxed), so a
/// `Result<T>` costs little more than its `T`:
///
/// ```
/// assert!(std::mem::size_of::<athanor_core::Error>() <= 32);
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// A bad argument: a malformed URL, an unknown dialect, a missing driver feature, an invalid
    /// schema definition.
    Argument(String),
    /// A statement could not be compiled to SQL for a dialect.
    Compile(Box<CompileError>),
    /// A table asked for by name does not exist (in the database or in the `MetaData`).
    NoSuchTable {
        /// The table's name, schema-qualified when a schema was given.
        name: String,
    },
    /// A column asked for by name does not exist in a table or a result row.
    NoSuchColumn(Box<NoSuchColumnError>),
    /// A join's ON clause (or a relationship's direction) could not be inferred: there is no
    /// foreign key between the two sides.
    NoForeignKeys(Box<JoinForeignKeys>),
    /// A join's ON clause (or a relationship's foreign key) could not be inferred: there is more
    /// than one foreign key between the two sides.
    AmbiguousForeignKeys(Box<JoinForeignKeys>),
    /// Tables depend on each other through foreign keys in a cycle that cannot be ordered.
    CircularDependency {
        /// The tables taking part in the cycle.
        tables: Vec<String>,
    },
    /// `one()` found no row.
    NoResultFound,
    /// `one()` or `one_or_none()` found more than one row.
    MultipleResultsFound,
    /// The database refused a change that breaks a constraint (unique, foreign key, not null,
    /// check).
    Integrity(DatabaseError),
    /// The database failed for a reason outside the program's control (locked, disconnected,
    /// out of resources).
    Operational(DatabaseError),
    /// The SQL was wrong for the database: a syntax error, an unknown table or column.
    Programming(DatabaseError),
    /// The database refused a value: out of range, wrong type, too long.
    Data(DatabaseError),
    /// Any other error the database reported.
    Database(DatabaseError),
    /// A value read from a result could not become the Rust type asked for.
    Conversion(ConversionError),
    /// No connection came free in the pool within its timeout.
    PoolTimeout {
        /// How long the caller waited.
        waited_ms: u64,
        /// The pool's size (connections it keeps).
        size: usize,
        /// The connections it may open beyond `size` under load (`max_overflow`).
        overflow: usize,
    },
    /// The connection to the database was lost: the connection is invalidated (closed, never
    /// returned to the pool), and the next checkout opens a new one.
    Disconnect(DatabaseError),
    /// Something took longer than its time limit: a statement (`statement_timeout`,
    /// MariaDB's `max_statement_time`, SQLite's interrupt at the deadline), a lock wait
    /// (SQLite's busy timeout, `lock_timeout`, `innodb_lock_wait_timeout`) or opening a
    /// connection (`connect_timeout`). The message says which.
    Timeout(DatabaseError),
    /// The call is not valid in the object's current state (a closed transaction, a missing
    /// parameter).
    InvalidRequest(String),
    /// An ORM handle used with a session that doesn't hold its object: a handle of another
    /// session, or of an object expunged or deleted since.
    DetachedInstance(String),
    /// A flush's UPDATE or DELETE matched fewer rows than objects: the rows were changed or
    /// deleted behind the session's back.
    StaleData(String),
    /// An expired object was read and its row no longer exists.
    ObjectDeleted(String),
    /// A bulk UPDATE or DELETE with `synchronize_session = evaluate` met a criterion or value
    /// it can't compute in Rust; use `fetch`.
    Unevaluatable(String),
    /// A relationship was read before it was loaded (SQLAlchemy's `lazy="raise"`): load it
    /// with a loader option (`selectin`, `joined`) or `Session::load`.
    NotLoaded(String),
    /// Mapped models don't match the database's tables (the ORM's mapping check): every
    /// mismatch found, not just the first.
    Mapping(MappingError),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Argument(m) => write!(f, "argument error: {m}"),
            Error::Compile(e) => fmt::Display::fmt(e, f),
            Error::NoSuchTable { name } => write!(f, "no such table: {name}"),
            Error::NoSuchColumn(c) => write!(f, "no such column: {} in {}", c.column, c.table),
            Error::NoForeignKeys(j) => write!(
                f,
                "can't find any foreign key relationships between '{}' and '{}'; {}",
                j.left, j.right, j.hint
            ),
            Error::AmbiguousForeignKeys(j) => write!(
                f,
                "can't determine join between '{}' and '{}'; tables have more than one foreign key constraint relationship between them; {}",
                j.left, j.right, j.hint
            ),
            Error::CircularDependency { tables } => write!(
                f,
                "circular foreign key dependency between tables: {}",
                tables.join(", ")
            ),
            Error::NoResultFound => f.write_str("no row was found when one was required"),
            Error::MultipleResultsFound => {
                f.write_str("multiple rows were found when exactly one was required")
            }
            Error::Integrity(d) => write!(f, "(IntegrityError) {d}"),
            Error::Operational(d) => write!(f, "(OperationalError) {d}"),
            Error::Programming(d) => write!(f, "(ProgrammingError) {d}"),
            Error::Data(d) => write!(f, "(DataError) {d}"),
            Error::Database(d) => write!(f, "(DatabaseError) {d}"),
            Error::Conversion(e) => fmt::Display::fmt(e, f),
            Error::PoolTimeout {
                waited_ms,
                size,
                overflow,
            } => write!(
                f,
                "pool timeout: no connection became available within {waited_ms} ms (pool_size {size}, max_overflow {overflow}: all {} in use); raise pool_size, max_overflow or pool_timeout, or return connections sooner",
                size + overflow
            ),
            Error::Disconnect(d) => write!(f, "(DisconnectionError) {d}"),
            Error::Timeout(d) => write!(f, "(TimeoutError) {d}"),
            Error::InvalidRequest(m) => write!(f, "invalid request: {m}"),
            Error::DetachedInstance(m) => write!(f, "detached instance: {m}"),
            Error::StaleData(m) => write!(f, "stale data: {m}"),
            Error::ObjectDeleted(m) => write!(f, "object deleted: {m}"),
            Error::Unevaluatable(m) => write!(f, "unevaluatable: {m}"),
            Error::NotLoaded(m) => write!(f, "not loaded: {m}"),
            Error::Mapping(e) => fmt::Display::fmt(e, f),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Compile(e) => std::error::Error::source(&**e),
            Error::Conversion(e) => std::error::Error::source(e),
            Error::Mapping(e) => std::error::Error::source(e),
            _ => self.database_error().and_then(std::error::Error::source),
        }
    }
}

impl From<CompileError> for Error {
    fn from(e: CompileError) -> Self {
        Error::Compile(Box::new(e))
    }
}

impl From<ConversionError> for Error {
    fn from(e: ConversionError) -> Self {
        Error::Conversion(e)
    }
}

/// The column an [`Error::NoSuchColumn`] looked for, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct NoSuchColumnError {
    /// The table, alias or result the column was looked up in.
    pub table: String,
    /// The column asked for.
    pub column: String,
}

/// The two sides of a join (or relationship) whose foreign key could not be inferred
/// ([`Error::NoForeignKeys`], [`Error::AmbiguousForeignKeys`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct JoinForeignKeys {
    /// The left side of the join (or the relationship's parent).
    pub left: String,
    /// The right side of the join (or the relationship's target).
    pub right: String,
    /// What to do about it: give the join's ON clause, or the relationship's `fk`.
    pub hint: String,
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
            | Error::Disconnect(d)
            | Error::Timeout(d) => Some(d),
            _ => None,
        }
    }

    /// The database error behind this error, mutably (to add what a driver knows).
    ///
    /// ```
    /// use athanor_core::error::{DatabaseError, Error};
    /// let mut e = Error::Integrity(DatabaseError::new("null value in column \"name\""));
    /// if let Some(d) = e.database_error_mut() {
    ///     d.column = Some("name".into());
    /// }
    /// assert_eq!(e.database_error().and_then(|d| d.column.as_deref()), Some("name"));
    /// ```
    pub fn database_error_mut(&mut self) -> Option<&mut DatabaseError> {
        match self {
            Error::Integrity(d)
            | Error::Operational(d)
            | Error::Programming(d)
            | Error::Data(d)
            | Error::Database(d)
            | Error::Disconnect(d)
            | Error::Timeout(d) => Some(d),
            _ => None,
        }
    }

    /// Attaches the statement and its parameters to a database error (other kinds are returned
    /// unchanged).
    pub fn with_statement(mut self, sql: &str, params: Option<String>) -> Self {
        if let Some(d) = self.database_error_mut() {
            if d.sql.is_none() {
                d.sql = Some(sql.to_string());
            }
            if d.params.is_none() {
                d.params = params.map(String::into_boxed_str);
            }
        }
        self
    }

    /// Attaches the statement to a database error and marks its parameters hidden (the
    /// engine's `hide_parameters`): the message says so instead of showing them (other kinds
    /// are returned unchanged).
    ///
    /// ```
    /// use athanor_core::error::{DatabaseError, Error};
    /// let e = Error::Integrity(DatabaseError::new("duplicate key"))
    ///     .with_hidden_parameters("INSERT INTO users (email) VALUES ($1)");
    /// assert_eq!(
    ///     e.to_string(),
    ///     "(IntegrityError) duplicate key\n[SQL: INSERT INTO users (email) VALUES ($1)]\n\
    ///      [SQL parameters hidden due to hide_parameters=true]"
    /// );
    /// ```
    pub fn with_hidden_parameters(mut self, sql: &str) -> Self {
        if let Some(d) = self.database_error_mut() {
            if d.sql.is_none() {
                d.sql = Some(sql.to_string());
            }
            if d.params.is_none() {
                d.params_hidden = true;
            }
        }
        self
    }

    /// Names the ORM object a flush was writing when a database error happened (other kinds
    /// are returned unchanged).
    pub fn with_object(mut self, object: impl FnOnce() -> String) -> Self {
        if let Some(d) = self.database_error_mut()
            && d.object.is_none()
        {
            d.object = Some(object().into_boxed_str());
        }
        self
    }

    /// Keeps the driver's error as the [`source`](std::error::Error::source) of a database
    /// error, unless it has one (other kinds are returned unchanged). The drivers call this.
    ///
    /// ```
    /// use athanor_core::error::{DatabaseError, Error};
    /// let e = Error::Operational(DatabaseError::new("disk full"))
    ///     .with_source(std::io::Error::other("No space left on device"));
    /// let chain: Vec<String> = std::iter::successors(
    ///     Some(&e as &(dyn std::error::Error + 'static)),
    ///     |e| e.source(),
    /// )
    /// .map(|e| e.to_string())
    /// .collect();
    /// assert_eq!(chain, ["(OperationalError) disk full", "No space left on device"]);
    /// ```
    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        if let Some(d) = self.database_error_mut()
            && d.source.is_none()
        {
            d.source = Some(std::sync::Arc::new(source));
        }
        self
    }

    /// Shorthand for [`Error::Argument`].
    pub fn argument(msg: impl Into<String>) -> Self {
        Error::Argument(msg.into())
    }

    /// An [`Error::NoSuchColumn`] for `column` looked up in `table`.
    ///
    /// ```
    /// use athanor_core::Error;
    /// let e = Error::no_such_column("Album", "Nope");
    /// assert_eq!(e.to_string(), "no such column: Nope in Album");
    /// assert!(matches!(&e, Error::NoSuchColumn(c) if c.column == "Nope"));
    /// ```
    pub fn no_such_column(table: impl Into<String>, column: impl Into<String>) -> Self {
        Error::NoSuchColumn(Box::new(NoSuchColumnError {
            table: table.into(),
            column: column.into(),
        }))
    }

    /// An [`Error::NoForeignKeys`] between `left` and `right`, with what to do about it.
    ///
    /// ```
    /// use athanor_core::Error;
    /// let e = Error::no_foreign_keys("a", "b", "give the join an ON clause");
    /// assert_eq!(
    ///     e.to_string(),
    ///     "can't find any foreign key relationships between 'a' and 'b'; give the join an ON clause"
    /// );
    /// ```
    pub fn no_foreign_keys(
        left: impl Into<String>,
        right: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        Error::NoForeignKeys(Box::new(JoinForeignKeys {
            left: left.into(),
            right: right.into(),
            hint: hint.into(),
        }))
    }

    /// An [`Error::AmbiguousForeignKeys`] between `left` and `right`, with what to do about it.
    ///
    /// ```
    /// use athanor_core::Error;
    /// let e = Error::ambiguous_foreign_keys("a", "b", "give the join an ON clause");
    /// assert!(matches!(&e, Error::AmbiguousForeignKeys(j) if j.left == "a" && j.right == "b"));
    /// ```
    pub fn ambiguous_foreign_keys(
        left: impl Into<String>,
        right: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        Error::AmbiguousForeignKeys(Box::new(JoinForeignKeys {
            left: left.into(),
            right: right.into(),
            hint: hint.into(),
        }))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_are_four_words_or_less() {
        // Every `Result<()>` pays for the largest variant: the big payloads are boxed.
        assert!(
            std::mem::size_of::<Error>() <= 32,
            "{}",
            std::mem::size_of::<Error>()
        );
        assert!(std::mem::size_of::<Result<()>>() <= 32);
        assert_eq!(
            std::mem::size_of::<DatabaseError>(),
            std::mem::size_of::<usize>()
        );
        assert_eq!(
            std::mem::size_of::<ConversionError>(),
            std::mem::size_of::<usize>()
        );
        assert!(std::mem::size_of::<std::result::Result<i64, ConversionError>>() <= 16);
    }

    #[test]
    fn messages_are_unchanged_by_boxing() {
        assert_eq!(
            Error::no_such_column("t", "c").to_string(),
            "no such column: c in t"
        );
        assert_eq!(
            Error::ambiguous_foreign_keys("a", "b", "say which").to_string(),
            "can't determine join between 'a' and 'b'; tables have more than one foreign key \
             constraint relationship between them; say which"
        );
        assert_eq!(
            Error::from(CompileError::Invalid("no columns".into())).to_string(),
            "can't compile statement: no columns"
        );
        let c = ConversionError::new("i64", "TEXT")
            .with_detail("not a number")
            .with_column("age", 2);
        assert_eq!(
            Error::from(c).to_string(),
            "column \"age\" (index 2): cannot convert SQL TEXT to Rust i64 (not a number)"
        );
        assert_eq!(
            ConversionError::new("u8", "INTEGER").to_string(),
            "cannot convert SQL INTEGER to Rust u8"
        );
        let d = Error::Data(DatabaseError::new("value too long").with_code("22001"))
            .with_statement("INSERT INTO t VALUES ($1)", Some("('xxx')".into()))
            .with_object(|| "T(1)".into());
        assert_eq!(
            d.to_string(),
            "(DataError) value too long (code 22001)\n[SQL: INSERT INTO t VALUES ($1)]\n\
             [parameters: ('xxx')]\n[while flushing: T(1)]"
        );
        let p = Error::PoolTimeout {
            waited_ms: 30,
            size: 1,
            overflow: 2,
        };
        assert!(p.to_string().contains("all 3 in use"), "{p}");
    }

    #[test]
    fn the_source_is_the_drivers_error_and_equality_ignores_it() {
        use std::error::Error as _;
        let io = || std::io::Error::new(std::io::ErrorKind::ConnectionReset, "reset by peer");
        for e in [
            Error::Disconnect(DatabaseError::new("gone")),
            Error::Integrity(DatabaseError::new("dup")),
            Error::Timeout(DatabaseError::new("slow")),
        ] {
            let e = e.with_source(io());
            let s = e.source().expect("a source");
            assert_eq!(s.to_string(), "reset by peer");
            assert!(s.downcast_ref::<std::io::Error>().is_some());
            // A second source doesn't replace the first.
            let e = e.with_source(std::fmt::Error);
            assert_eq!(
                e.source().map(|s| s.to_string()).as_deref(),
                Some("reset by peer")
            );
        }
        assert!(Error::NoResultFound.with_source(io()).source().is_none());
        let a = DatabaseError::new("x").with_code("1");
        assert_eq!(a.clone().with_source(io()), a);
        assert_ne!(a, DatabaseError::new("x"));
    }
}
