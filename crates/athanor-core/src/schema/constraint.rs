//! Constraints: primary key, foreign key, unique, check; server defaults.

use crate::types::Value;

/// A server-side column default, rendered into DDL.
#[derive(Debug, Clone, PartialEq, Hash)]
pub enum ServerDefault {
    /// A literal value, escaped by the dialect (`DEFAULT 'abc'`, `DEFAULT 0`).
    Literal(Value),
    /// Raw SQL (`DEFAULT CURRENT_TIMESTAMP`).
    Text(String),
    /// A computed column's expression (`GENERATED ALWAYS AS (...)`): [`Computed`](super::Computed).
    Computed(super::Computed),
}

impl ServerDefault {
    /// Raw SQL for the default.
    ///
    /// ```
    /// use athanor_core::schema::{Column, ServerDefault};
    /// use athanor_core::Type;
    /// Column::new("created", Type::DateTime).server_default(ServerDefault::text("CURRENT_TIMESTAMP"));
    /// ```
    pub fn text(sql: impl Into<String>) -> Self {
        ServerDefault::Text(sql.into())
    }
}

impl From<&str> for ServerDefault {
    fn from(s: &str) -> Self {
        ServerDefault::Literal(Value::Text(s.to_string()))
    }
}
impl From<String> for ServerDefault {
    fn from(s: String) -> Self {
        ServerDefault::Literal(Value::Text(s))
    }
}
impl From<i64> for ServerDefault {
    fn from(v: i64) -> Self {
        ServerDefault::Literal(Value::Int(v))
    }
}
impl From<i32> for ServerDefault {
    fn from(v: i32) -> Self {
        ServerDefault::Literal(Value::Int(v.into()))
    }
}
impl From<f64> for ServerDefault {
    fn from(v: f64) -> Self {
        ServerDefault::Literal(Value::Float(v))
    }
}
impl From<bool> for ServerDefault {
    fn from(v: bool) -> Self {
        ServerDefault::Literal(Value::Bool(v))
    }
}

/// A column-level foreign key: `"table.column"` or `"schema.table.column"`.
///
/// ```
/// use athanor_core::schema::ForeignKey;
/// let fk = ForeignKey::new("Artist.ArtistId").on_delete("CASCADE").on_update("NO ACTION");
/// assert_eq!(fk.target(), "Artist.ArtistId");
/// ```
#[derive(Debug, Clone, PartialEq, Hash)]
pub struct ForeignKey {
    pub(crate) target: String,
    pub(crate) name: Option<String>,
    pub(crate) on_delete: Option<String>,
    pub(crate) on_update: Option<String>,
}

impl ForeignKey {
    /// A foreign key to `table.column`.
    pub fn new(target: impl Into<String>) -> Self {
        ForeignKey {
            target: target.into(),
            name: None,
            on_delete: None,
            on_update: None,
        }
    }
    /// The referenced `table.column`.
    pub fn target(&self) -> &str {
        &self.target
    }
    /// Names the constraint.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }
    /// `ON DELETE` action (`CASCADE`, `SET NULL`, `RESTRICT`, `NO ACTION`, `SET DEFAULT`).
    pub fn on_delete(mut self, action: impl Into<String>) -> Self {
        self.on_delete = Some(action.into());
        self
    }
    /// `ON UPDATE` action.
    pub fn on_update(mut self, action: impl Into<String>) -> Self {
        self.on_update = Some(action.into());
        self
    }
}

/// A (possibly composite) primary key.
///
/// ```
/// use athanor_core::schema::PrimaryKeyConstraint;
/// let pk = PrimaryKeyConstraint::new(["PlaylistId", "TrackId"]).name("PK_PlaylistTrack");
/// assert_eq!(pk.columns, vec!["PlaylistId", "TrackId"]);
/// ```
#[derive(Debug, Clone, PartialEq, Hash, Default)]
#[non_exhaustive]
pub struct PrimaryKeyConstraint {
    /// The constraint's name.
    pub name: Option<String>,
    /// The key's columns, in order.
    pub columns: Vec<String>,
    /// The name came from the `MetaData`'s [`NamingConvention`](crate::schema::NamingConvention):
    /// DDL cuts it to the database's limit with a hash suffix.
    pub(crate) by_convention: bool,
}

impl PrimaryKeyConstraint {
    /// A primary key over columns.
    pub fn new<I, S>(columns: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        PrimaryKeyConstraint {
            name: None,
            columns: columns.into_iter().map(Into::into).collect(),
            by_convention: false,
        }
    }
    /// Names the constraint.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }
}

/// A (possibly composite) foreign key.
///
/// ```
/// use athanor_core::schema::ForeignKeyConstraint;
/// let fk = ForeignKeyConstraint::new(["a", "b"], "parent", ["x", "y"]).on_delete("CASCADE");
/// assert_eq!(fk.referred_table, "parent");
/// ```
#[derive(Debug, Clone, PartialEq, Hash)]
#[non_exhaustive]
pub struct ForeignKeyConstraint {
    /// The constraint's name.
    pub name: Option<String>,
    /// The columns of this table.
    pub columns: Vec<String>,
    /// The referenced table's schema.
    pub referred_schema: Option<String>,
    /// The referenced table.
    pub referred_table: String,
    /// The referenced columns.
    pub referred_columns: Vec<String>,
    /// `ON DELETE` action.
    pub on_delete: Option<String>,
    /// `ON UPDATE` action.
    pub on_update: Option<String>,
    /// The name came from the `MetaData`'s [`NamingConvention`](crate::schema::NamingConvention):
    /// DDL cuts it to the database's limit with a hash suffix.
    pub(crate) by_convention: bool,
}

impl ForeignKeyConstraint {
    /// A foreign key from `columns` to `referred_table(referred_columns)`; the table may be
    /// `schema.table`.
    pub fn new<I, S, J, T>(columns: I, referred_table: &str, referred_columns: J) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
        J: IntoIterator<Item = T>,
        T: Into<String>,
    {
        let (referred_schema, referred_table) = match referred_table.rsplit_once('.') {
            Some((s, t)) => (Some(s.to_string()), t.to_string()),
            None => (None, referred_table.to_string()),
        };
        ForeignKeyConstraint {
            name: None,
            columns: columns.into_iter().map(Into::into).collect(),
            referred_schema,
            referred_table,
            referred_columns: referred_columns.into_iter().map(Into::into).collect(),
            on_delete: None,
            on_update: None,
            by_convention: false,
        }
    }
    /// Names the constraint.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }
    /// `ON DELETE` action.
    pub fn on_delete(mut self, action: impl Into<String>) -> Self {
        self.on_delete = Some(action.into());
        self
    }
    /// `ON UPDATE` action.
    pub fn on_update(mut self, action: impl Into<String>) -> Self {
        self.on_update = Some(action.into());
        self
    }
}

/// A UNIQUE constraint over columns.
///
/// ```
/// use athanor_core::schema::UniqueConstraint;
/// let u = UniqueConstraint::new(["email"]).name("uq_users_email");
/// assert_eq!(u.name.as_deref(), Some("uq_users_email"));
/// ```
#[derive(Debug, Clone, PartialEq, Hash)]
#[non_exhaustive]
pub struct UniqueConstraint {
    /// The constraint's name.
    pub name: Option<String>,
    /// Its columns.
    pub columns: Vec<String>,
    /// The name came from the `MetaData`'s [`NamingConvention`](crate::schema::NamingConvention):
    /// DDL cuts it to the database's limit with a hash suffix.
    pub(crate) by_convention: bool,
}

impl UniqueConstraint {
    /// A unique constraint over columns.
    pub fn new<I, S>(columns: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        UniqueConstraint {
            name: None,
            columns: columns.into_iter().map(Into::into).collect(),
            by_convention: false,
        }
    }
    /// Names the constraint.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }
}

/// A CHECK constraint, given as SQL text with optional `:name` values.
///
/// DDL can't bind parameters, so each value given with [`CheckConstraint::bind`] is written
/// into the SQL as a literal through the dialect's one escaper
/// ([`Dialect::literal`](crate::dialect::Dialect::literal)): put values there, never into
/// the SQL text by hand.
///
/// ```
/// use athanor_core::prelude::*;
/// use athanor_core::dialect::{MySql, Sqlite};
/// let md = MetaData::new();
/// let t = Table::build("post", &md)
///     .column(Column::new("status", Type::String(Some(20))))
///     .check(CheckConstraint::new("status <> :bad").bind("bad", "it's").name("ck_status"))
///     .finish()?;
/// assert_eq!(
///     Ddl::CreateTable(t.clone()).compile(&Sqlite)?.sql(),
///     "CREATE TABLE post (status VARCHAR(20), CONSTRAINT ck_status CHECK (status <> 'it''s'))"
/// );
/// # Ok::<(), athanor_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Hash)]
#[non_exhaustive]
pub struct CheckConstraint {
    /// The constraint's name.
    pub name: Option<String>,
    /// The condition, as SQL.
    pub sql: String,
    /// Values for the condition's `:name` parameters, written as literals.
    pub params: Vec<(String, Value)>,
    /// The name came from the `MetaData`'s [`NamingConvention`](crate::schema::NamingConvention):
    /// DDL cuts it to the database's limit with a hash suffix.
    pub(crate) by_convention: bool,
}

impl CheckConstraint {
    /// A check constraint.
    pub fn new(sql: impl Into<String>) -> Self {
        CheckConstraint {
            name: None,
            sql: sql.into(),
            params: Vec::new(),
            by_convention: false,
        }
    }
    /// Names the constraint.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }
    /// Gives the value of the condition's `:name` parameter (as [`text`](crate::sql::text)
    /// does); the DDL writes it as an escaped literal. `::` (a cast), `\:` and quoted text are
    /// not parameters.
    pub fn bind(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        let (name, value) = (name.into(), value.into());
        match self.params.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = value,
            None => self.params.push((name, value)),
        }
        self
    }
}

/// An index over columns of one table.
///
/// ```
/// use athanor_core::schema::Index;
/// let ix = Index::new("IFK_AlbumArtistId", ["ArtistId"]);
/// assert!(!ix.unique);
/// ```
#[derive(Debug, Clone, PartialEq, Hash)]
#[non_exhaustive]
pub struct Index {
    /// The index's name.
    pub name: String,
    /// Its columns.
    pub columns: Vec<String>,
    /// UNIQUE index.
    pub unique: bool,
    /// The name came from the `MetaData`'s [`NamingConvention`](crate::schema::NamingConvention):
    /// DDL cuts it to the database's limit with a hash suffix.
    pub(crate) by_convention: bool,
    /// Columns stored in the index without being keys of it (a covering index's `INCLUDE`),
    /// [`Index::include`].
    pub include: Vec<String>,
    /// Every key in order, for an index with an expression among its keys
    /// ([`Index::with_keys`]; SQLAlchemy's `Index.expressions`); empty for an index of
    /// columns only, whose keys are `columns`.
    pub expressions: Vec<IndexKey>,
}

/// One key of an index ([`Index::with_keys`]): a column, or an SQL expression such as
/// `lower(x)`.
///
/// The expression is SQL written into the DDL as it is (as
/// [`ServerDefault::text`] is): never build it from untrusted input.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum IndexKey {
    /// A column of the table, by name.
    Column(String),
    /// An SQL expression over the table's columns.
    Expression(String),
}

impl IndexKey {
    /// A key that is an SQL expression.
    ///
    /// ```
    /// use athanor_core::schema::IndexKey;
    /// assert_eq!(IndexKey::expression("lower(x)"), IndexKey::Expression("lower(x)".into()));
    /// assert_eq!(IndexKey::from("x"), IndexKey::Column("x".into()));
    /// ```
    pub fn expression(sql: impl Into<String>) -> Self {
        IndexKey::Expression(sql.into())
    }
}

impl From<&str> for IndexKey {
    fn from(column: &str) -> Self {
        IndexKey::Column(column.to_string())
    }
}
impl From<String> for IndexKey {
    fn from(column: String) -> Self {
        IndexKey::Column(column)
    }
}

impl Index {
    /// A non-unique index.
    pub fn new<I, S>(name: impl Into<String>, columns: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Index {
            name: name.into(),
            columns: columns.into_iter().map(Into::into).collect(),
            unique: false,
            by_convention: false,
            include: Vec::new(),
            expressions: Vec::new(),
        }
    }
    /// An index over keys that may be SQL expressions (SQLAlchemy's
    /// `Index("ix", func.lower(t.c.x), t.c.z)`): `columns` lists its column keys, and
    /// `expressions` every key in order.
    ///
    /// ```
    /// use athanor_core::prelude::*;
    /// use athanor_core::dialect::Postgres;
    /// use athanor_core::schema::IndexKey;
    /// let md = MetaData::new();
    /// let t = Table::build("t", &md)
    ///     .column(Column::new("x", Type::String(Some(30))))
    ///     .column(Column::new("z", Type::String(Some(30))))
    ///     .finish()?;
    /// let ix = Index::with_keys("t_idx", [IndexKey::expression("lower(x)"), "z".into()]);
    /// assert_eq!(ix.columns, ["z"]);
    /// assert_eq!(
    ///     Ddl::CreateIndex(t, ix).compile(&Postgres)?.sql(),
    ///     "CREATE INDEX t_idx ON t (lower(x), z)"
    /// );
    /// # Ok::<(), athanor_core::Error>(())
    /// ```
    pub fn with_keys<I>(name: impl Into<String>, keys: I) -> Self
    where
        I: IntoIterator<Item = IndexKey>,
    {
        let keys: Vec<IndexKey> = keys.into_iter().collect();
        let columns: Vec<String> = keys
            .iter()
            .filter_map(|k| match k {
                IndexKey::Column(c) => Some(c.clone()),
                IndexKey::Expression(_) => None,
            })
            .collect();
        let expressions = if keys.iter().any(|k| matches!(k, IndexKey::Expression(_))) {
            keys
        } else {
            Vec::new()
        };
        Index {
            expressions,
            ..Index::new(name, columns)
        }
    }
    /// An index the table's `MetaData` names by its [`NamingConvention`](crate::schema::NamingConvention)
    /// (by default `ix_<table>_<first column>`; SQLAlchemy's `Index(None, ...)`).
    ///
    /// ```
    /// use athanor_core::prelude::*;
    /// let md = MetaData::new();
    /// let t = Table::build("t", &md)
    ///     .column(Column::new("a", Type::Integer))
    ///     .column(Column::new("b", Type::Integer))
    ///     .index(Index::unnamed(["b", "a"]))
    ///     .finish()?;
    /// assert_eq!(t.indexes()[0].name, "ix_t_b");
    /// # Ok::<(), athanor_core::Error>(())
    /// ```
    pub fn unnamed<I, S>(columns: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Index::new(String::new(), columns)
    }
    /// Makes it a UNIQUE index.
    pub fn unique(mut self) -> Self {
        self.unique = true;
        self
    }
    /// Stores `columns` in the index too, as non-key columns: a covering index,
    /// `CREATE INDEX .. (x) INCLUDE (y)` (SQLAlchemy's `postgresql_include`). Only PostgreSQL
    /// (≥ 11) has it; on the other dialects it is left out of the DDL, as SQLAlchemy leaves a
    /// dialect option of another dialect out.
    ///
    /// ```
    /// use athanor_core::prelude::*;
    /// use athanor_core::dialect::{Postgres, Sqlite};
    /// let md = MetaData::new();
    /// let t = Table::build("t", &md)
    ///     .column(Column::new("x", Type::String(Some(30))))
    ///     .column(Column::new("y", Type::String(Some(30))))
    ///     .finish()?;
    /// let ix = Index::new("t_idx", ["x"]).include(["y"]);
    /// assert_eq!(
    ///     Ddl::CreateIndex(t.clone(), ix.clone()).compile(&Postgres)?.sql(),
    ///     "CREATE INDEX t_idx ON t (x) INCLUDE (y)"
    /// );
    /// assert_eq!(Ddl::CreateIndex(t, ix).compile(&Sqlite)?.sql(), "CREATE INDEX t_idx ON t (x)");
    /// # Ok::<(), athanor_core::Error>(())
    /// ```
    pub fn include<I, S>(mut self, columns: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.include = columns.into_iter().map(Into::into).collect();
        self
    }
}

/// A sequence (SQLAlchemy's `Sequence`): PostgreSQL and MariaDB (≥ 10.3) create it; other
/// dialects have none and leave it out. On a column ([`crate::schema::Column::sequence`]) it
/// feeds the column's values through the column's server-side `DEFAULT`; on its own it is
/// created by `create_all` once added with [`crate::schema::MetaData::add_sequence`].
///
/// ```
/// use athanor_core::prelude::*;
/// use athanor_core::dialect::{MySql, Postgres};
/// let s = Sequence::new("user_id_seq").start(100).increment(1);
/// assert_eq!(s.name, "user_id_seq");
/// // `SELECT nextval(...)`, SQLAlchemy's `connection.scalar(seq)`:
/// let next = select(s.next_value());
/// assert_eq!(next.compile(&Postgres)?.sql(), "SELECT nextval('user_id_seq') AS nextval_1");
/// let maria = MySql { sequences: true, ..MySql::default() };
/// assert_eq!(next.compile(&maria)?.sql(), "SELECT nextval(user_id_seq) AS nextval_1");
/// # Ok::<(), athanor_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Hash)]
#[non_exhaustive]
pub struct Sequence {
    /// The sequence's name.
    pub name: String,
    /// Its schema.
    pub schema: Option<String>,
    /// `START WITH`.
    pub start: Option<i64>,
    /// `INCREMENT BY`.
    pub increment: Option<i64>,
    /// Used only where the database has no other way to generate keys (SQLAlchemy's
    /// `optional=True`): PostgreSQL gives the column SERIAL instead and doesn't create it.
    pub optional: bool,
}

impl Sequence {
    /// A sequence with server defaults.
    pub fn new(name: impl Into<String>) -> Self {
        Sequence {
            name: name.into(),
            schema: None,
            start: None,
            increment: None,
            optional: false,
        }
    }
    /// Marks the sequence optional (SQLAlchemy's `Sequence(..., optional=True)`): where the
    /// database generates keys without it (PostgreSQL's SERIAL), it is neither created nor
    /// used.
    ///
    /// ```
    /// use athanor_core::schema::Sequence;
    /// assert!(Sequence::new("s").optional().optional);
    /// ```
    pub fn optional(mut self) -> Self {
        self.optional = true;
        self
    }
    /// The sequence's next value, as an expression (SQLAlchemy's `Sequence.next_value()`):
    /// `nextval('name')` on PostgreSQL, `nextval(name)` on MariaDB; a compile error
    /// ([`crate::error::CompileError::Unsupported`]) where the dialect has no sequences.
    ///
    /// ```
    /// use athanor_core::prelude::*;
    /// use athanor_core::dialect::{Postgres, Sqlite};
    /// let s = Sequence::new("order_no").schema("Sales");
    /// let q = select(s.next_value().label("n"));
    /// assert_eq!(q.compile(&Postgres)?.sql(), r#"SELECT nextval('"Sales".order_no') AS n"#);
    /// assert!(q.compile(&Sqlite).is_err());
    /// # Ok::<(), athanor_core::Error>(())
    /// ```
    pub fn next_value(&self) -> crate::sql::Expr {
        crate::sql::Expr::NextValue(Box::new(self.clone()))
    }
    /// `START WITH n`.
    pub fn start(mut self, n: i64) -> Self {
        self.start = Some(n);
        self
    }
    /// `INCREMENT BY n`.
    pub fn increment(mut self, n: i64) -> Self {
        self.increment = Some(n);
        self
    }
    /// Puts the sequence in a schema.
    pub fn schema(mut self, schema: impl Into<String>) -> Self {
        self.schema = Some(schema.into());
        self
    }
}

/// An identity column's options (SQLAlchemy's `Identity()`): PostgreSQL renders
/// `GENERATED {ALWAYS | BY DEFAULT} AS IDENTITY [(START WITH n INCREMENT BY m)]`; SQLite and
/// MySQL/MariaDB have no identity columns and, as SQLAlchemy does, render the column as their
/// own autoincrement key (SQLite's `INTEGER PRIMARY KEY`, MySQL's `AUTO_INCREMENT`).
///
/// ```
/// use athanor_core::prelude::*;
/// use athanor_core::dialect::{MySql, Postgres, Sqlite};
/// use athanor_core::sql::Ddl;
/// let md = MetaData::new();
/// let t = Table::build("t", &md)
///     .column(Column::new("id", Type::Integer).identity(Identity::new().start(10)).primary_key())
///     .finish()?;
/// let ddl = Ddl::CreateTable(t);
/// assert_eq!(ddl.compile(&Postgres)?.sql(),
///     "CREATE TABLE t (id INTEGER GENERATED BY DEFAULT AS IDENTITY (START WITH 10) NOT NULL, PRIMARY KEY (id))");
/// assert_eq!(ddl.compile(&Sqlite)?.sql(), "CREATE TABLE t (id INTEGER NOT NULL, PRIMARY KEY (id))");
/// # Ok::<(), athanor_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub struct Identity {
    /// `GENERATED ALWAYS` (an INSERT may not give the column) rather than `BY DEFAULT`.
    pub always: bool,
    /// `START WITH`.
    pub start: Option<i64>,
    /// `INCREMENT BY`.
    pub increment: Option<i64>,
    /// `MINVALUE n`.
    pub minvalue: Option<i64>,
    /// `MAXVALUE n`.
    pub maxvalue: Option<i64>,
    /// `NO MINVALUE` (the type's own bound), when `minvalue` is unset.
    pub nominvalue: bool,
    /// `NO MAXVALUE` (the type's own bound), when `maxvalue` is unset.
    pub nomaxvalue: bool,
    /// `CYCLE`: past the last value, start again (SQLAlchemy's `Identity(cycle=True)`).
    pub cycle: bool,
    /// `CACHE n`: values the database hands out ahead (SQLAlchemy's `Identity(cache=n)`).
    pub cache: Option<i64>,
}

impl Identity {
    /// `GENERATED BY DEFAULT AS IDENTITY`, the database's own start and increment.
    pub fn new() -> Self {
        Identity::default()
    }
    /// `GENERATED ALWAYS` when `always` (SQLAlchemy's `Identity(always=True)`).
    pub fn always(mut self, always: bool) -> Self {
        self.always = always;
        self
    }
    /// `START WITH n`.
    pub fn start(mut self, n: i64) -> Self {
        self.start = Some(n);
        self
    }
    /// `INCREMENT BY n`.
    pub fn increment(mut self, n: i64) -> Self {
        self.increment = Some(n);
        self
    }
    /// `MINVALUE n` (SQLAlchemy's `Identity(minvalue=n)`); replaces [`nominvalue`](Self::nominvalue).
    ///
    /// ```
    /// use athanor_core::prelude::*;
    /// use athanor_core::dialect::Postgres;
    /// use athanor_core::sql::Ddl;
    /// let md = MetaData::new();
    /// let id = Identity::new().increment(-5).start(0).minvalue(-1000).maxvalue(0);
    /// let t = Table::build("t", &md)
    ///     .column(Column::new("id", Type::Integer).identity(id).primary_key())
    ///     .finish()?;
    /// assert_eq!(Ddl::CreateTable(t).compile(&Postgres)?.sql(),
    ///     "CREATE TABLE t (id INTEGER GENERATED BY DEFAULT AS IDENTITY \
    ///      (START WITH 0 INCREMENT BY -5 MINVALUE -1000 MAXVALUE 0) NOT NULL, PRIMARY KEY (id))");
    /// # Ok::<(), athanor_core::Error>(())
    /// ```
    pub fn minvalue(mut self, n: i64) -> Self {
        self.minvalue = Some(n);
        self.nominvalue = false;
        self
    }
    /// `MAXVALUE n` (SQLAlchemy's `Identity(maxvalue=n)`); replaces [`nomaxvalue`](Self::nomaxvalue).
    pub fn maxvalue(mut self, n: i64) -> Self {
        self.maxvalue = Some(n);
        self.nomaxvalue = false;
        self
    }
    /// `NO MINVALUE` (SQLAlchemy's `Identity(nominvalue=True)`); replaces a
    /// [`minvalue`](Self::minvalue).
    ///
    /// ```
    /// use athanor_core::prelude::*;
    /// use athanor_core::dialect::Postgres;
    /// use athanor_core::sql::Ddl;
    /// let md = MetaData::new();
    /// let id = Identity::new().always(true).start(42).nominvalue().nomaxvalue();
    /// let t = Table::build("t", &md)
    ///     .column(Column::new("id", Type::Integer).identity(id).primary_key())
    ///     .finish()?;
    /// assert_eq!(Ddl::CreateTable(t).compile(&Postgres)?.sql(),
    ///     "CREATE TABLE t (id INTEGER GENERATED ALWAYS AS IDENTITY \
    ///      (START WITH 42 NO MINVALUE NO MAXVALUE) NOT NULL, PRIMARY KEY (id))");
    /// # Ok::<(), athanor_core::Error>(())
    /// ```
    pub fn nominvalue(mut self) -> Self {
        self.nominvalue = true;
        self.minvalue = None;
        self
    }
    /// `NO MAXVALUE` (SQLAlchemy's `Identity(nomaxvalue=True)`); replaces a
    /// [`maxvalue`](Self::maxvalue).
    pub fn nomaxvalue(mut self) -> Self {
        self.nomaxvalue = true;
        self.maxvalue = None;
        self
    }
    /// `CYCLE` when `cycle` (SQLAlchemy's `Identity(cycle=True)`).
    ///
    /// ```
    /// use athanor_core::prelude::*;
    /// use athanor_core::dialect::Postgres;
    /// use athanor_core::sql::Ddl;
    /// let md = MetaData::new();
    /// let id = Identity::new().start(1).maxvalue(9).cycle(true).cache(4);
    /// let t = Table::build("t", &md)
    ///     .column(Column::new("id", Type::Integer).identity(id).primary_key())
    ///     .finish()?;
    /// assert_eq!(Ddl::CreateTable(t).compile(&Postgres)?.sql(),
    ///     "CREATE TABLE t (id INTEGER GENERATED BY DEFAULT AS IDENTITY \
    ///      (START WITH 1 MAXVALUE 9 CYCLE CACHE 4) NOT NULL, PRIMARY KEY (id))");
    /// # Ok::<(), athanor_core::Error>(())
    /// ```
    pub fn cycle(mut self, cycle: bool) -> Self {
        self.cycle = cycle;
        self
    }
    /// `CACHE n` (SQLAlchemy's `Identity(cache=n)`); example at [`cycle`](Self::cycle).
    pub fn cache(mut self, n: i64) -> Self {
        self.cache = Some(n);
        self
    }
}
