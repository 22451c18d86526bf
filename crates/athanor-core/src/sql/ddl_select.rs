//! DDL built from a SELECT: [`CreateTableAs`] (`CREATE TABLE ... AS SELECT`, SQLAlchemy's
//! `CreateTableAs` and `Select.into`), [`CreateView`] and [`DropView`].
//!
//! The SELECT is written into the DDL with its values as literals (databases take no bound
//! parameters in DDL), through the dialect's one escaper.

use super::{Ddl, SelectBase};
use crate::error::Result;
use crate::schema::{Column, MetaData, Table};

/// `CREATE [TEMPORARY] TABLE [IF NOT EXISTS] name AS SELECT ...`: a table made from a
/// query's rows (SQLAlchemy's `CreateTableAs`). Execute it as a [`Ddl`]
/// (`conn.execute(&Ddl::from(ctas))`); [`CreateTableAs::table`] gives a [`Table`] to query the
/// new table with.
///
/// ```
/// use athanor_core::prelude::*;
/// use athanor_core::dialect::{MySql, Postgres, Sqlite};
/// use athanor_core::sql::CreateTableAs;
/// let md = MetaData::new();
/// let users = Table::build("users", &md)
///     .column(Column::new("id", Type::Integer).primary_key())
///     .column(Column::new("name", Type::String(Some(50))))
///     .finish()?;
/// let ctas = CreateTableAs::new(
///     select((users.c("id"), users.c("name"))).filter(users.c("name").ne("it's me")),
///     "other_users",
/// );
/// assert_eq!(Ddl::from(ctas.clone()).compile(&Postgres)?.sql(),
///     "CREATE TABLE other_users AS SELECT users.id, users.name FROM users WHERE users.name != 'it''s me'");
/// let temp = ctas.clone().temporary(true).if_not_exists(true);
/// assert_eq!(Ddl::from(temp).compile(&Sqlite)?.sql(),
///     "CREATE TEMPORARY TABLE IF NOT EXISTS other_users AS SELECT users.id, users.name FROM users WHERE users.name != 'it''s me'");
/// let t = ctas.table()?;
/// assert_eq!(select((t.c("id"), t.c("name"))).to_string(), "SELECT other_users.id, other_users.name FROM other_users");
/// assert_eq!(t.column_data("id").map(|c| c.ty.clone()), Some(Type::Integer));
/// # Ok::<(), athanor_core::Error>(())
/// ```
#[derive(Debug, Clone, Hash)]
pub struct CreateTableAs {
    pub(crate) select: SelectBase,
    pub(crate) name: String,
    pub(crate) schema: Option<String>,
    pub(crate) temporary: bool,
    pub(crate) if_not_exists: bool,
}

impl CreateTableAs {
    /// The table `name`, made from `select`'s rows; its columns are the select's (labels,
    /// column names), their types the select's expressions' types.
    pub fn new(select: impl Into<SelectBase>, name: impl Into<String>) -> Self {
        CreateTableAs {
            select: select.into(),
            name: name.into(),
            schema: None,
            temporary: false,
            if_not_exists: false,
        }
    }

    /// The new table's schema (PostgreSQL schema, MySQL database, SQLite attached database).
    pub fn schema(mut self, schema: impl Into<String>) -> Self {
        self.schema = Some(schema.into());
        self
    }

    /// `CREATE TEMPORARY TABLE`: the table lasts as long as the connection.
    pub fn temporary(mut self, temporary: bool) -> Self {
        self.temporary = temporary;
        self
    }

    /// `CREATE TABLE IF NOT EXISTS`: nothing happens when the table exists.
    pub fn if_not_exists(mut self, if_not_exists: bool) -> Self {
        self.if_not_exists = if_not_exists;
        self
    }

    /// The new table as a [`Table`] in a [`MetaData`] of its own (SQLAlchemy's
    /// `CreateTableAs.table`), to query it with.
    ///
    /// # Errors
    /// As [`TableBuilder::finish`](crate::schema::TableBuilder::finish): a select with two
    /// columns of one name (label them apart).
    pub fn table(&self) -> Result<Table> {
        output_table(
            &self.select,
            &self.name,
            self.schema.as_deref(),
            &MetaData::new(),
        )
    }

    /// The new table as a [`Table`] joining `metadata` (SQLAlchemy's
    /// `CreateTableAs(..., metadata=)`): `create_all` then runs this statement to make it,
    /// after the tables the SELECT reads, and `drop_all` drops it before them.
    ///
    /// ```
    /// use athanor_core::prelude::*;
    /// use athanor_core::sql::CreateTableAs;
    /// let md = MetaData::new();
    /// let src = Table::build("src", &md).column(Column::new("x", Type::Integer)).finish()?;
    /// let copy = select(src.c("x")).into_table("copy").table_in(&md)?;
    /// assert!(matches!(copy.creator_ddl(), Ddl::CreateTableAs(_)));
    /// let order: Vec<String> = md.sorted_tables()?.iter().map(|t| t.name().to_string()).collect();
    /// assert_eq!(order, ["src", "copy"]);
    /// # Ok::<(), athanor_core::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`CreateTableAs::table`]; [`Error::Argument`](crate::Error::Argument) when
    /// `metadata` already holds a table of that name.
    pub fn table_in(&self, metadata: &MetaData) -> Result<Table> {
        let t = output_table(&self.select, &self.name, self.schema.as_deref(), metadata)?;
        t.set_creator_ddl(Ddl::from(self.clone()))?;
        Ok(t)
    }
}

impl From<CreateTableAs> for Ddl {
    fn from(c: CreateTableAs) -> Ddl {
        Ddl::CreateTableAs(Box::new(c))
    }
}

/// `CREATE [OR REPLACE] [TEMPORARY] [MATERIALIZED] VIEW name AS SELECT ...` (SQLAlchemy's
/// `CreateView`). What each database has: OR REPLACE on PostgreSQL and MySQL; TEMPORARY on
/// PostgreSQL and SQLite; MATERIALIZED on PostgreSQL. Asking a database for what it lacks is
/// [`Error::Compile`](crate::Error::Compile).
///
/// ```
/// use athanor_core::prelude::*;
/// use athanor_core::dialect::{MySql, Postgres, Sqlite};
/// use athanor_core::sql::{CreateView, DropView};
/// let md = MetaData::new();
/// let t = Table::build("t", &md).column(Column::new("id", Type::Integer)).finish()?;
/// let view = CreateView::new(select(t.c("id")).filter(t.c("id").gt(1)), "v").or_replace(true);
/// assert_eq!(Ddl::from(view.clone()).compile(&Postgres)?.sql(),
///     "CREATE OR REPLACE VIEW v AS SELECT t.id FROM t WHERE t.id > 1");
/// assert!(matches!(Ddl::from(view.clone()).compile(&Sqlite), Err(Error::Compile(_))));
/// let mat = CreateView::new(select(t.c("id")), "mv").materialized(true);
/// assert_eq!(Ddl::from(mat).compile(&Postgres)?.sql(), "CREATE MATERIALIZED VIEW mv AS SELECT t.id FROM t");
/// assert_eq!(Ddl::from(DropView::new("v").if_exists(true)).compile(&MySql)?.sql(), "DROP VIEW IF EXISTS v");
/// assert_eq!(view.table()?.name(), "v");
/// # Ok::<(), athanor_core::Error>(())
/// ```
#[derive(Debug, Clone, Hash)]
pub struct CreateView {
    pub(crate) select: SelectBase,
    pub(crate) name: String,
    pub(crate) schema: Option<String>,
    pub(crate) temporary: bool,
    pub(crate) or_replace: bool,
    pub(crate) materialized: bool,
}

impl CreateView {
    /// The view `name` of `select`.
    pub fn new(select: impl Into<SelectBase>, name: impl Into<String>) -> Self {
        CreateView {
            select: select.into(),
            name: name.into(),
            schema: None,
            temporary: false,
            or_replace: false,
            materialized: false,
        }
    }

    /// The view's schema.
    pub fn schema(mut self, schema: impl Into<String>) -> Self {
        self.schema = Some(schema.into());
        self
    }

    /// `CREATE TEMPORARY VIEW` (PostgreSQL, SQLite).
    pub fn temporary(mut self, temporary: bool) -> Self {
        self.temporary = temporary;
        self
    }

    /// `CREATE OR REPLACE VIEW` (PostgreSQL, MySQL).
    pub fn or_replace(mut self, or_replace: bool) -> Self {
        self.or_replace = or_replace;
        self
    }

    /// `CREATE MATERIALIZED VIEW` (PostgreSQL): the rows are stored.
    pub fn materialized(mut self, materialized: bool) -> Self {
        self.materialized = materialized;
        self
    }

    /// The view as a [`Table`] in a [`MetaData`] of its own, to query it with (SQLAlchemy's
    /// `CreateView.table`).
    ///
    /// # Errors
    /// As [`CreateTableAs::table`].
    pub fn table(&self) -> Result<Table> {
        output_table(
            &self.select,
            &self.name,
            self.schema.as_deref(),
            &MetaData::new(),
        )
    }

    /// The view as a [`Table`] joining `metadata` (SQLAlchemy's `CreateView(...,
    /// metadata=)`): `create_all` makes it with this statement after the tables and views its
    /// SELECT reads; `drop_all` and `drop` remove it with `DROP [MATERIALIZED] VIEW`, before
    /// them.
    ///
    /// ```
    /// use athanor_core::prelude::*;
    /// use athanor_core::dialect::Sqlite;
    /// use athanor_core::sql::CreateView;
    /// let md = MetaData::new();
    /// let t = Table::build("t", &md).column(Column::new("x", Type::Integer)).finish()?;
    /// let v = CreateView::new(select(t.c("x")), "v").table_in(&md)?;
    /// assert_eq!(v.creator_ddl().compile(&Sqlite)?.sql(), "CREATE VIEW v AS SELECT t.x FROM t");
    /// assert_eq!(v.dropper_ddl().compile(&Sqlite)?.sql(), "DROP VIEW v");
    /// # Ok::<(), athanor_core::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`CreateTableAs::table_in`].
    pub fn table_in(&self, metadata: &MetaData) -> Result<Table> {
        let t = output_table(&self.select, &self.name, self.schema.as_deref(), metadata)?;
        t.set_creator_ddl(Ddl::from(self.clone()))?;
        let mut drop = DropView::new(self.name.as_str()).materialized(self.materialized);
        if let Some(s) = &self.schema {
            drop = drop.schema(s.as_str());
        }
        t.set_dropper_ddl(Ddl::from(drop))?;
        Ok(t)
    }
}

impl From<CreateView> for Ddl {
    fn from(c: CreateView) -> Ddl {
        Ddl::CreateView(Box::new(c))
    }
}

/// `DROP [MATERIALIZED] VIEW [IF EXISTS] name` (SQLAlchemy's `DropView`).
#[derive(Debug, Clone, Hash)]
pub struct DropView {
    pub(crate) name: String,
    pub(crate) schema: Option<String>,
    pub(crate) materialized: bool,
    pub(crate) if_exists: bool,
}

impl DropView {
    /// Drops the view `name`.
    pub fn new(name: impl Into<String>) -> Self {
        DropView {
            name: name.into(),
            schema: None,
            materialized: false,
            if_exists: false,
        }
    }

    /// The view's schema.
    pub fn schema(mut self, schema: impl Into<String>) -> Self {
        self.schema = Some(schema.into());
        self
    }

    /// `DROP MATERIALIZED VIEW` (PostgreSQL).
    pub fn materialized(mut self, materialized: bool) -> Self {
        self.materialized = materialized;
        self
    }

    /// `DROP VIEW IF EXISTS`.
    pub fn if_exists(mut self, if_exists: bool) -> Self {
        self.if_exists = if_exists;
        self
    }
}

impl From<DropView> for Ddl {
    fn from(d: DropView) -> Ddl {
        Ddl::DropView(Box::new(d))
    }
}

/// A table whose columns are `select`'s output columns, with their types.
fn output_table(
    select: &SelectBase,
    name: &str,
    schema: Option<&str>,
    metadata: &MetaData,
) -> Result<Table> {
    let mut b = Table::build(name, metadata);
    if let Some(s) = schema {
        b = b.schema(s);
    }
    let exprs = &select.first_select().columns;
    for (n, e) in select.output_names().iter().zip(exprs) {
        b = b.column(Column::new(n.as_str(), e.sql_type()));
    }
    b.finish()
}
