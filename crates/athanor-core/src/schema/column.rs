//! [`Column`]: one column of a table, built before the table and frozen into it.

use crate::schema::constraint::{ForeignKey, ServerDefault};
use crate::schema::{Identity, Sequence};
use crate::sql::Expr;
use crate::types::{Type, Value};

/// Whether a primary-key column autoincrements (SQLAlchemy's `autoincrement`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Autoincrement {
    /// The default: a single integer primary key column with no foreign key autoincrements.
    #[default]
    Auto,
    /// Always autoincrement (SQLite adds `AUTOINCREMENT`).
    Yes,
    /// Never autoincrement.
    No,
}

/// A column definition, given to [`crate::schema::TableBuilder::column`].
///
/// ```
/// use athanor_core::schema::{Column, ForeignKey};
/// use athanor_core::Type;
/// let c = Column::new("ArtistId", Type::Integer)
///     .nullable(false)
///     .foreign_key(ForeignKey::new("Artist.ArtistId").on_delete("CASCADE"));
/// assert_eq!(c.name(), "ArtistId");
/// ```
#[derive(Debug, Clone)]
pub struct Column {
    pub(crate) name: String,
    pub(crate) ty: Type,
    pub(crate) primary_key: bool,
    pub(crate) nullable: Option<bool>,
    pub(crate) default: Option<Value>,
    pub(crate) default_sql: Option<SqlDefault>,
    pub(crate) server_default: Option<ServerDefault>,
    pub(crate) unique: bool,
    pub(crate) index: bool,
    pub(crate) autoincrement: Autoincrement,
    pub(crate) foreign_keys: Vec<ForeignKey>,
    pub(crate) sequence: Option<Sequence>,
    pub(crate) identity: Option<Identity>,
    pub(crate) comment: Option<String>,
    pub(crate) checks: Vec<super::CheckConstraint>,
}

impl Column {
    /// A nullable column of a type.
    pub fn new(name: impl Into<String>, ty: Type) -> Self {
        Column {
            name: name.into(),
            ty,
            primary_key: false,
            nullable: None,
            default: None,
            default_sql: None,
            server_default: None,
            unique: false,
            index: false,
            autoincrement: Autoincrement::Auto,
            foreign_keys: Vec::new(),
            sequence: None,
            identity: None,
            comment: None,
            checks: Vec::new(),
        }
    }

    /// The column's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Makes the column (part of) the primary key; primary key columns are NOT NULL.
    pub fn primary_key(mut self) -> Self {
        self.primary_key = true;
        self
    }

    /// Sets NULL / NOT NULL (default: nullable unless primary key).
    pub fn nullable(mut self, nullable: bool) -> Self {
        self.nullable = Some(nullable);
        self
    }

    /// A client-side default, sent by `INSERT` when the statement gives no value.
    pub fn default(mut self, value: impl Into<Value>) -> Self {
        self.default_sql = None;
        self.default = Some(value.into());
        self
    }

    /// A client-side default that is a SQL expression (SQLAlchemy's `Column(default=<SQL
    /// expression>)`, such as `func.now()`): an INSERT that doesn't give the column renders
    /// the expression inline in its VALUES (or SELECT, for `from_select`), evaluated by the
    /// database for each row. It replaces a [`Column::default`] value.
    ///
    /// ```
    /// use athanor_core::prelude::*;
    /// use athanor_core::dialect::Sqlite;
    /// let md = MetaData::new();
    /// let t = Table::build("t", &md)
    ///     .column(Column::new("id", Type::Integer).primary_key())
    ///     .column(Column::new("n", Type::Integer).default_expr(literal(20) + literal(1)))
    ///     .finish()?;
    /// let stmt = t.insert().values(row! { "id" => 1 });
    /// assert_eq!(stmt.compile(&Sqlite)?.sql(), "INSERT INTO t (id, n) VALUES (?, ? + ?)");
    /// let copy = t.insert().from_select(["id"], select(t.c("id") + 1));
    /// assert_eq!(copy.compile(&Sqlite)?.sql(),
    ///     "INSERT INTO t (id, n) SELECT t.id + ? AS anon_1, ? + ? FROM t");
    /// # Ok::<(), athanor_core::Error>(())
    /// ```
    pub fn default_expr(mut self, expr: impl Into<Expr>) -> Self {
        self.default = None;
        self.default_sql = Some(SqlDefault(std::sync::Arc::new(expr.into())));
        self
    }

    /// A server-side default, rendered into `CREATE TABLE` (`DEFAULT ...`).
    ///
    /// A string becomes a quoted literal; use [`ServerDefault::text`] for SQL such as
    /// `CURRENT_TIMESTAMP`.
    pub fn server_default(mut self, default: impl Into<ServerDefault>) -> Self {
        self.server_default = Some(default.into());
        self
    }

    /// Adds a single-column UNIQUE constraint.
    pub fn unique(mut self) -> Self {
        self.unique = true;
        self
    }

    /// Adds a single-column index named `ix_<table>_<column>`.
    pub fn index(mut self) -> Self {
        self.index = true;
        self
    }

    /// Sets the autoincrement behaviour.
    pub fn autoincrement(mut self, autoincrement: bool) -> Self {
        self.autoincrement = if autoincrement {
            Autoincrement::Yes
        } else {
            Autoincrement::No
        };
        self
    }

    /// Adds a foreign key to another table's column.
    pub fn foreign_key(mut self, fk: ForeignKey) -> Self {
        self.foreign_keys.push(fk);
        self
    }

    /// Uses a sequence for this column's values (PostgreSQL; ignored where sequences don't exist).
    pub fn sequence(mut self, sequence: Sequence) -> Self {
        self.sequence = Some(sequence);
        self
    }

    /// Makes the column an identity column (SQLAlchemy's `Identity()`; see [`Identity`] for
    /// what each dialect renders). The column is the table's generated key as an
    /// autoincrement column is.
    pub fn identity(mut self, identity: Identity) -> Self {
        self.identity = Some(identity);
        self
    }

    /// A comment for the column.
    pub fn comment(mut self, comment: impl Into<String>) -> Self {
        self.comment = Some(comment.into());
        self
    }

    /// A CHECK constraint written in the column's own definition (SQLAlchemy's
    /// `Column("a", Integer, CheckConstraint(...))`), rather than after the columns as
    /// [`TableBuilder::check`](super::TableBuilder::check) writes one. The database keeps
    /// both kinds alike; reflection reports them with the table's check constraints.
    ///
    /// ```
    /// use athanor_core::prelude::*;
    /// use athanor_core::dialect::Postgres;
    /// let md = MetaData::new();
    /// let t = Table::build("t", &md)
    ///     .column(Column::new("a", Type::Integer).check(CheckConstraint::new("a > 1").name("ck_a")))
    ///     .finish()?;
    /// assert_eq!(
    ///     Ddl::CreateTable(t).compile(&Postgres)?.sql(),
    ///     "CREATE TABLE t (a INTEGER CONSTRAINT ck_a CHECK (a > 1))"
    /// );
    /// # Ok::<(), athanor_core::Error>(())
    /// ```
    pub fn check(mut self, check: super::CheckConstraint) -> Self {
        self.checks.push(check);
        self
    }
}

/// A column as it stands in a built [`crate::schema::Table`]. Its name is read with
/// [`ColumnData::name`]: it is fixed when the column is made, as the statement cache keys
/// columns by a digest of their name and type taken then. To give a column another type, make
/// another column (a table, or [`Column::new`]); a copy whose `ty` is changed afterwards keeps
/// the digest of the type it was made with.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ColumnData {
    /// The name (read with [`ColumnData::name`]).
    pub(crate) name: String,
    /// A digest of `name` and `ty`, taken when the column is made: a statement's cache key
    /// writes it instead of hashing them again on every execution.
    pub(crate) name_key: NameKey,
    /// The type.
    pub ty: Type,
    /// Part of the primary key.
    pub primary_key: bool,
    /// NULL allowed.
    pub nullable: bool,
    /// Client-side default.
    pub default: Option<Value>,
    /// Client-side default that is a SQL expression ([`Column::default_expr`]).
    pub default_sql: Option<SqlDefault>,
    /// Server-side default.
    pub server_default: Option<ServerDefault>,
    /// The autoincrement setting.
    pub autoincrement: Autoincrement,
    /// The sequence feeding it.
    pub sequence: Option<Sequence>,
    /// Its identity options, for an identity column.
    pub identity: Option<Identity>,
    /// Comment.
    pub comment: Option<String>,
    /// CHECK constraints written in the column's definition ([`Column::check`]).
    pub checks: Vec<super::CheckConstraint>,
}

/// xxh3-128 of a column's name and type (see [`ColumnData`]); `Debug` leaves the number out.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) struct NameKey(pub(crate) u128);

impl NameKey {
    pub(crate) fn of(name: &str, ty: &Type) -> Self {
        NameKey(crate::compiler::key_digest(&(name, ty)))
    }
}

impl std::fmt::Debug for NameKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NameKey(..)")
    }
}

impl ColumnData {
    /// The column's name.
    ///
    /// ```
    /// use athanor_core::prelude::*;
    /// let md = MetaData::new();
    /// let users = Table::build("users", &md)
    ///     .column(Column::new("id", Type::Integer).primary_key())
    ///     .finish()?;
    /// assert_eq!(users.columns()[0].name(), "id");
    /// # Ok::<(), athanor_core::Error>(())
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }

    pub(crate) fn synthetic(name: &str, ty: Type) -> Self {
        ColumnData {
            name: name.to_string(),
            name_key: NameKey::of(name, &ty),
            ty,
            primary_key: false,
            nullable: true,
            default: None,
            default_sql: None,
            server_default: None,
            autoincrement: Autoincrement::No,
            sequence: None,
            identity: None,
            comment: None,
            checks: Vec::new(),
        }
    }
}

/// A column's client-side SQL expression default ([`Column::default_expr`]). Two are equal
/// when they render the same SQL with values of the same kinds (their cache-key digests).
#[derive(Debug, Clone)]
pub struct SqlDefault(pub(crate) std::sync::Arc<Expr>);

impl SqlDefault {
    /// The expression.
    pub fn expr(&self) -> &Expr {
        &self.0
    }
}

// The expression is immutable data (some of its nodes hold an error value made when it was
// built): a table holding one stays usable across `catch_unwind`, as tables always were.
impl std::panic::RefUnwindSafe for SqlDefault {}
impl std::panic::UnwindSafe for SqlDefault {}

impl PartialEq for SqlDefault {
    fn eq(&self, other: &Self) -> bool {
        crate::compiler::key_digest(&*self.0) == crate::compiler::key_digest(&*other.0)
    }
}

impl std::hash::Hash for SqlDefault {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.hash(state);
    }
}

/// What an INSERT sends for a column it doesn't give: [`ColumnData::insert_default`].
#[derive(Debug, Clone, Copy)]
pub(crate) enum InsertDefault<'a> {
    /// A value, bound.
    Value(&'a Value),
    /// A SQL expression, rendered inline.
    Sql(&'a Expr),
}

impl ColumnData {
    /// The client-side default an INSERT sends for this column when it doesn't give it.
    pub(crate) fn insert_default(&self) -> Option<InsertDefault<'_>> {
        match (&self.default, &self.default_sql) {
            (Some(v), _) => Some(InsertDefault::Value(v)),
            (None, Some(e)) => Some(InsertDefault::Sql(&e.0)),
            (None, None) => None,
        }
    }
}
