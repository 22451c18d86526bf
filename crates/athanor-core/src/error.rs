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
    /// A join's ON clause (or a relationship's direction) could not be inferred: there is no
    /// foreign key between the two sides.
    #[error("can't find any foreign key relationships between '{left}' and '{right}'; {hint}")]
    NoForeignKeys {
        /// The left side of the join (or the relationship's parent).
        left: String,
        /// The right side of the join (or the relationship's target).
        right: String,
        /// What to do about it: give the join's ON clause, or the relationship's `fk`.
        hint: String,
    },
    /// A join's ON clause (or a relationship's foreign key) could not be inferred: there is more
    /// than one foreign key between the two sides.
    #[error(
        "can't determine join between '{left}' and '{right}'; tables have more than one foreign key constraint relationship between them; {hint}"
    )]
    AmbiguousForeignKeys {
        /// The left side of the join (or the relationship's parent).
        left: String,
        /// The right side of the join (or the relationship's target).
        right: String,
        /// What to do about it: give the join's ON clause, or the relationship's `fk`.
        hint: String,
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
        "pool timeout: no connection became available within {waited_ms} ms (pool_size {size}, max_overflow {overflow}: all {} in use); raise pool_size, max_overflow or pool_timeout, or return connections sooner", size + overflow
    )]
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
    #[error("(DisconnectionError) {0}")]
    Disconnect(DatabaseError),
    /// Something took longer than its time limit: a statement (`statement_timeout`,
    /// MariaDB's `max_statement_time`, SQLite's interrupt at the deadline), a lock wait
    /// (SQLite's busy timeout, `lock_timeout`, `innodb_lock_wait_timeout`) or opening a
    /// connection (`connect_timeout`). The message says which.
    #[error("(TimeoutError) {0}")]
    Timeout(DatabaseError),
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
    /// A relationship was read before it was loaded (SQLAlchemy's `lazy="raise"`): load it
    /// with a loader option (`selectin`, `joined`) or `Session::load`.
    #[error("not loaded: {0}")]
    NotLoaded(String),
    /// Mapped models don't match the database's tables (the ORM's mapping check): every
    /// mismatch found, not just the first.
    #[error(transparent)]
    Mapping(MappingError),
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

    /// Attaches the statement and its parameters to a database error (other kinds are returned
    /// unchanged).
    pub fn with_statement(mut self, sql: &str, params: Option<String>) -> Self {
        if let Error::Integrity(d)
        | Error::Operational(d)
        | Error::Programming(d)
        | Error::Data(d)
        | Error::Database(d)
        | Error::Disconnect(d)
        | Error::Timeout(d) = &mut self
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
        | Error::Disconnect(d)
        | Error::Timeout(d) = &mut self
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

/// The mismatches between mapped models and the database's tables, all of them (the ORM's
/// mapping check, `athanor::orm::Registry::check`). `Display` lists one per line.
///
/// ```
/// use athanor_core::error::{MappingError, Mismatch, MismatchKind};
/// let e = MappingError::new(vec![
///     Mismatch::new("Album", "Album", MismatchKind::MissingColumn { similar: None }).on("title", "Title"),
///     Mismatch::new("Genre", "Genre", MismatchKind::MissingTable),
/// ]);
/// assert_eq!(e.to_string(), "2 mapping mismatches between the models and the database:\n  \
///     Album.title: table \"Album\" has no column \"Title\"\n  \
///     Genre: table \"Genre\" does not exist");
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct MappingError {
    /// Every mismatch, model by model in the order the models were registered.
    pub mismatches: Vec<Mismatch>,
}

impl MappingError {
    /// The error for these mismatches.
    pub fn new(mismatches: Vec<Mismatch>) -> Self {
        MappingError { mismatches }
    }
}

impl fmt::Display for MappingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.mismatches.len();
        write!(
            f,
            "{n} mapping mismatch{} between the models and the database:",
            if n == 1 { "" } else { "es" }
        )?;
        for m in &self.mismatches {
            write!(f, "\n  {m}")?;
        }
        Ok(())
    }
}

impl std::error::Error for MappingError {}

/// One difference between a model and its table in the database.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Mismatch {
    /// The model (the struct's name).
    pub model: String,
    /// The table, schema-qualified when the model names a schema.
    pub table: String,
    /// The model's field, when the mismatch concerns one.
    pub field: Option<String>,
    /// The column, when the mismatch concerns one.
    pub column: Option<String>,
    /// What differs.
    pub kind: MismatchKind,
}

impl Mismatch {
    /// A mismatch of a whole model and table.
    pub fn new(model: impl Into<String>, table: impl Into<String>, kind: MismatchKind) -> Self {
        Mismatch {
            model: model.into(),
            table: table.into(),
            field: None,
            column: None,
            kind,
        }
    }

    /// Names the field and column it concerns.
    pub fn on(mut self, field: impl Into<String>, column: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self.column = Some(column.into());
        self
    }

    /// Names the column it concerns (a column no field maps).
    pub fn column(mut self, column: impl Into<String>) -> Self {
        self.column = Some(column.into());
        self
    }
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (model, table) = (&self.model, &self.table);
        match &self.field {
            Some(field) => write!(f, "{model}.{field}: ")?,
            None => write!(f, "{model}: ")?,
        }
        let column = self.column.as_deref().unwrap_or("?");
        match &self.kind {
            MismatchKind::MissingTable => write!(f, "table \"{table}\" does not exist"),
            MismatchKind::MissingColumn { similar: None } => {
                write!(f, "table \"{table}\" has no column \"{column}\"")
            }
            MismatchKind::MissingColumn {
                similar: Some(other),
            } => write!(
                f,
                "table \"{table}\" has no column \"{column}\" (it has \"{other}\": names are compared exactly)"
            ),
            MismatchKind::IncompatibleType {
                rust_type,
                sql_type,
            } => write!(
                f,
                "column \"{column}\" is {sql_type}, which a field of type `{rust_type}` can't hold"
            ),
            MismatchKind::Nullable { rust_type } => write!(
                f,
                "column \"{column}\" is nullable but the field is `{rust_type}`, not an Option: loading a NULL would fail"
            ),
            MismatchKind::NotGenerated => write!(
                f,
                "the model leaves key column \"{column}\" to the database, which has no default, sequence or autoincrement for it: an INSERT without a key would fail"
            ),
            MismatchKind::UnmappedColumn { sql_type } => write!(
                f,
                "column \"{column}\" of table \"{table}\" ({sql_type} NOT NULL, no default) is not mapped: an INSERT would fail"
            ),
            MismatchKind::PrimaryKey { model, database } => write!(
                f,
                "the primary key of table \"{table}\" is ({}) in the model, {} in the database",
                model.join(", "),
                if database.is_empty() {
                    "none".to_string()
                } else {
                    format!("({})", database.join(", "))
                }
            ),
            MismatchKind::Relationship { reason } => write!(f, "{reason}"),
        }
    }
}

/// What differs between a model and its table ([`Mismatch`]).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum MismatchKind {
    /// The model's table does not exist.
    MissingTable,
    /// A mapped column does not exist in the table.
    MissingColumn {
        /// A column whose name differs only in case, if the table has one.
        similar: Option<String>,
    },
    /// The column's type can't be read into (or written from) the field's Rust type.
    IncompatibleType {
        /// The field's type, as written in the model.
        rust_type: String,
        /// The column's type, as the database declares it.
        sql_type: String,
    },
    /// A nullable column mapped by a field that isn't an `Option`.
    Nullable {
        /// The field's type, as written in the model.
        rust_type: String,
    },
    /// The model expects the database to generate its key (an autoincrement key), and the
    /// column has no way to.
    NotGenerated,
    /// A NOT NULL column without a default that no field maps.
    UnmappedColumn {
        /// The column's type, as the database declares it.
        sql_type: String,
    },
    /// The model's key columns are not the table's primary key.
    PrimaryKey {
        /// The model's key columns, in key order.
        model: Vec<String>,
        /// The table's primary-key columns (empty when it has none).
        database: Vec<String>,
    },
    /// A relationship the tables' foreign keys can't support (no foreign key, several without
    /// `fk`, a `back_populates` partner or `order_by` column that doesn't exist).
    Relationship {
        /// What is wrong, naming the relationship.
        reason: String,
    },
}
