//! [`DatabaseError`]: what the database (or its driver) said, kept one pointer wide.

use std::fmt;
use std::ops::{Deref, DerefMut};
use std::sync::Arc;

/// Which constraint an [`Error::Integrity`](super::Error::Integrity) broke, normalized across
/// databases.
///
/// ```
/// use athanor_core::dialect::postgres::map_error;
/// use athanor_core::error::IntegrityKind;
/// let kind = |code| map_error(code, "...").database_error().and_then(|d| d.integrity);
/// assert_eq!(kind("23505"), Some(IntegrityKind::Unique));
/// assert_eq!(kind("23P01"), Some(IntegrityKind::Exclusion));
/// assert_eq!(kind("23000"), Some(IntegrityKind::Other));
/// ```
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
    /// A PostgreSQL exclusion constraint (`EXCLUDE USING ...`, SQLSTATE 23P01).
    Exclusion,
    /// Another integrity violation: a SQLSTATE of class 23 not listed above, SQLite's other
    /// constraint codes (a trigger's `RAISE(ABORT)`, a STRICT table's type check).
    Other,
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
///
/// What each database fills in:
///
/// | field | PostgreSQL | MySQL / MariaDB | SQLite |
/// |---|---|---|---|
/// | `code` | the SQLSTATE | the error number | the extended result code |
/// | `sqlstate` | the SQLSTATE | the SQLSTATE the server sent | — |
/// | `errno` | — | the error number | the extended result code |
/// | `constraint` | the server's constraint name | from the message: duplicate key (1062), foreign key (1451, 1452), CHECK (3819, 4025) | a CHECK's name (its expression when it has none); UNIQUE, NOT NULL and FOREIGN KEY failures name columns, not a constraint: `None` |
/// | `schema`, `table`, `column` | as the server reports them | `column` of a NOT NULL failure (1048) | — |
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct DatabaseErrorInfo {
    /// The driver's or server's message.
    pub message: String,
    /// The SQLSTATE (PostgreSQL), error number (MySQL) or extended result code (SQLite), as
    /// text.
    pub code: Option<String>,
    /// The five-character SQLSTATE, when the database sent one (PostgreSQL, MySQL/MariaDB).
    pub sqlstate: Option<String>,
    /// The numeric error code: MySQL/MariaDB's error number, SQLite's extended result code.
    pub errno: Option<u32>,
    /// The normalized constraint kind for integrity errors.
    pub integrity: Option<IntegrityKind>,
    /// The name of the violated constraint, when the database says it.
    pub constraint: Option<String>,
    /// The schema of the table concerned (PostgreSQL).
    pub schema: Option<String>,
    /// The table concerned (PostgreSQL).
    pub table: Option<String>,
    /// The column concerned (PostgreSQL; MySQL's NOT NULL failures).
    pub column: Option<String>,
    /// The SQL that failed.
    pub sql: Option<String>,
    /// The parameters, rendered for display (each value's text capped, at most a hundred
    /// values and ten rows shown).
    pub params: Option<Box<str>>,
    /// The parameters were left out on purpose (the engine's `hide_parameters`): the message
    /// says so instead of showing them.
    pub params_hidden: bool,
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
            sqlstate,
            errno,
            integrity,
            constraint,
            schema,
            table,
            column,
            sql,
            params,
            params_hidden,
            object,
            source: _,
        } = self;
        *message == other.message
            && *code == other.code
            && *sqlstate == other.sqlstate
            && *errno == other.errno
            && *integrity == other.integrity
            && *constraint == other.constraint
            && *schema == other.schema
            && *table == other.table
            && *column == other.column
            && *sql == other.sql
            && *params == other.params
            && *params_hidden == other.params_hidden
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
            sqlstate: None,
            errno: None,
            integrity: None,
            constraint: None,
            schema: None,
            table: None,
            column: None,
            sql: None,
            params: None,
            params_hidden: false,
            object: None,
            source: None,
        }))
    }

    /// Sets the database's error code.
    pub fn with_code(mut self, code: impl Into<String>) -> Self {
        self.0.code = Some(code.into());
        self
    }

    /// Sets the SQLSTATE.
    pub fn with_sqlstate(mut self, sqlstate: impl Into<String>) -> Self {
        self.0.sqlstate = Some(sqlstate.into());
        self
    }

    /// Sets the numeric error code (MySQL's error number, SQLite's extended result code).
    pub fn with_errno(mut self, errno: u32) -> Self {
        self.0.errno = Some(errno);
        self
    }

    /// Sets the normalized integrity kind.
    pub fn with_integrity(mut self, kind: IntegrityKind) -> Self {
        self.0.integrity = Some(kind);
        self
    }

    /// Names the violated constraint.
    pub fn with_constraint(mut self, name: impl Into<String>) -> Self {
        self.0.constraint = Some(name.into());
        self
    }

    /// The SQLSTATE, when the database sent one: PostgreSQL's error code, or the SQLSTATE a
    /// MySQL/MariaDB server sends with its error number. SQLite has none.
    ///
    /// ```
    /// use athanor_core::dialect::{mysql, postgres};
    /// let pg = postgres::map_error("23505", "duplicate key value violates unique constraint");
    /// assert_eq!(pg.database_error().and_then(|d| d.sqlstate()), Some("23505"));
    /// let my = mysql::map_error(1062, "Duplicate entry '1' for key 'PRIMARY'", Some("23000"));
    /// assert_eq!(my.database_error().and_then(|d| d.sqlstate()), Some("23000"));
    /// ```
    pub fn sqlstate(&self) -> Option<&str> {
        self.0.sqlstate.as_deref()
    }

    /// The numeric error code: MySQL/MariaDB's error number (1062 for a duplicate key), or
    /// SQLite's extended result code (2067 for a UNIQUE constraint). PostgreSQL's codes are
    /// SQLSTATEs: see [`sqlstate`](Self::sqlstate).
    ///
    /// ```
    /// use athanor_core::dialect::{mysql, sqlite};
    /// let my = mysql::map_error(1062, "Duplicate entry '1' for key 'PRIMARY'", Some("23000"));
    /// assert_eq!(my.database_error().and_then(|d| d.errno()), Some(1062));
    /// let lite = sqlite::map_error(2067, "UNIQUE constraint failed: users.id");
    /// assert_eq!(lite.database_error().and_then(|d| d.errno()), Some(2067));
    /// ```
    pub fn errno(&self) -> Option<u32> {
        self.0.errno
    }

    /// The name of the violated constraint, when the database says it (see
    /// [`DatabaseErrorInfo`] for which databases do, and when).
    ///
    /// ```
    /// use athanor_core::dialect::{mysql, sqlite};
    /// let my = mysql::map_error(1062, "Duplicate entry 'a@b' for key 'uq_email'", Some("23000"));
    /// assert_eq!(my.database_error().and_then(|d| d.constraint()), Some("uq_email"));
    /// let lite = sqlite::map_error(275, "CHECK constraint failed: ck_price");
    /// assert_eq!(lite.database_error().and_then(|d| d.constraint()), Some("ck_price"));
    /// ```
    pub fn constraint(&self) -> Option<&str> {
        self.0.constraint.as_deref()
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
        if d.params_hidden {
            f.write_str("\n[SQL parameters hidden due to hide_parameters=true]")?;
        } else if let Some(params) = &d.params {
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
