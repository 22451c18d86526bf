//! SELECT statements: [`Select`], set operations ([`CompoundSelect`]) and [`SelectBase`].
//!
//! This module holds the [`Select`] builder; [`IntoColumns`] (what `select(...)` takes) is in
//! `columns`, the set operations in `compound`, and [`SelectBase`] in `base`.

mod base;
mod columns;
mod compound;

use std::sync::Arc;

use crate::sql::expr::{Expr, IntoOrderBy, Ordering};
use crate::sql::from::{Alias, Cte, FromItem, Join, JoinKind};
use crate::sql::grouping::IntoGroupBy;
use crate::sql::memo::{ShapeMemo, memoized_statement};

pub use base::SelectBase;
pub(crate) use base::dedupe_names;
pub use columns::IntoColumns;
pub use compound::{CompoundSelect, SetOp};

/// Row locking for `SELECT ... FOR UPDATE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct ForUpdate {
    /// `FOR SHARE` (PostgreSQL) / `LOCK IN SHARE MODE` (MySQL) instead of `FOR UPDATE`.
    pub read: bool,
    /// `NOWAIT`.
    pub nowait: bool,
    /// `SKIP LOCKED`.
    pub skip_locked: bool,
}

/// The options of [`Select::fetch_with`]: SQLAlchemy's `fetch(count, with_ties=,
/// percent=)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct FetchOptions {
    /// `WITH TIES`: rows that tie with the last one in the ORDER BY come too.
    pub with_ties: bool,
    /// `PERCENT`: the count is a percentage of the rows (no dialect here has it: a
    /// [`CompileError::Unsupported`](crate::error::CompileError::Unsupported)).
    pub percent: bool,
}

/// A SELECT statement. Build it with [`select`] and chain methods; each returns the changed
/// statement.
///
/// ```
/// use athanor_core::prelude::*;
/// let md = MetaData::new();
/// let users = Table::build("users", &md)
///     .column(Column::new("name", Type::String(None)))
///     .column(Column::new("age", Type::Float))
///     .finish()?;
/// let stmt = select(&users).filter(users.c("age").gt(30)).order_by(users.c("name")).limit(5);
/// assert_eq!(stmt.to_string(),
///     "SELECT users.name, users.age FROM users WHERE users.age > :param_1 ORDER BY users.name LIMIT :param_2");
/// let sqlite = stmt.compile(&athanor_core::dialect::Sqlite)?;
/// assert_eq!(sqlite.sql(),
///     "SELECT users.name, users.age FROM users WHERE users.age > ? ORDER BY users.name LIMIT ?");
/// # Ok::<(), athanor_core::Error>(())
/// ```
#[derive(Clone, Default)]
pub struct Select {
    parts: SelectParts,
    memo: ShapeMemo,
}
memoized_statement!(Select, SelectParts);

impl SelectParts {
    /// The WHERE clause, if any.
    pub fn where_clause(&self) -> Option<&Expr> {
        self.where_.as_ref()
    }

    /// True when the statement limits, groups or de-duplicates its rows (LIMIT, OFFSET,
    /// GROUP BY, HAVING, DISTINCT): what a bulk UPDATE or DELETE of its rows can't express.
    pub fn limits_or_groups(&self) -> bool {
        self.limit.is_some()
            || self.offset.is_some()
            || !self.group_by.is_empty()
            || self.having.is_some()
            || self.distinct
            || !self.distinct_on.is_empty()
    }
}

/// The parts of a [`Select`] (read through `Deref`; changed only through `Select::edit`).
#[derive(Debug, Clone, Hash, Default)]
pub struct SelectParts {
    pub(crate) columns: Vec<Expr>,
    pub(crate) distinct: bool,
    pub(crate) distinct_on: Vec<Expr>,
    pub(crate) from: Vec<FromItem>,
    pub(crate) where_: Option<Expr>,
    pub(crate) group_by: Vec<Expr>,
    pub(crate) having: Option<Expr>,
    pub(crate) order_by: Vec<Ordering>,
    pub(crate) limit: Option<Expr>,
    pub(crate) offset: Option<Expr>,
    /// Set when the row limit in `limit` is a `FETCH FIRST` ([`Select::fetch`]).
    pub(crate) fetch: Option<FetchOptions>,
    pub(crate) for_update: Option<ForUpdate>,
}

/// `SELECT columns`: the FROM clause is inferred from the columns and the WHERE clause unless
/// given with [`Select::select_from`].
pub fn select(columns: impl IntoColumns) -> Select {
    columns.into_select()
}

impl Select {
    /// `SELECT columns` and nothing else.
    fn of_columns(columns: Vec<Expr>) -> Select {
        Select::from(SelectParts {
            columns,
            ..SelectParts::default()
        })
    }

    /// Adds columns to the SELECT list.
    pub fn add_columns(mut self, columns: impl IntoColumns) -> Self {
        let list = &mut self.edit().columns;
        list.reserve(columns.columns_hint());
        columns.into_columns(list);
        self
    }
    /// Replaces the SELECT list.
    pub fn with_only_columns(mut self, columns: impl IntoColumns) -> Self {
        let list = &mut self.edit().columns;
        list.clear();
        list.reserve(columns.columns_hint());
        columns.into_columns(list);
        self
    }
    /// Adds an explicit FROM item (a table, alias or join).
    pub fn select_from(mut self, from: impl Into<FromItem>) -> Self {
        self.edit().from.push(from.into());
        self
    }
    /// Adds `left JOIN right` to the FROM clause, the ON clause inferred from the foreign key
    /// between `left` and `right` (SQLAlchemy's `Select.join_from`).
    ///
    /// When a FROM item given before already holds `left` (a table given with
    /// [`Select::select_from`], or an earlier join), that item is joined to `right`, so `left`
    /// appears once. If there is no foreign key between the two, or more than one, compiling
    /// fails with [`Error::NoForeignKeys`](crate::Error::NoForeignKeys) /
    /// [`Error::AmbiguousForeignKeys`](crate::Error::AmbiguousForeignKeys); give the ON clause
    /// with [`Select::join_from_on`].
    ///
    /// ```
    /// use athanor_core::prelude::*;
    /// use athanor_core::dialect::{MySql, Postgres, Sqlite};
    /// let md = MetaData::new();
    /// let customer = Table::build("Customer", &md)
    ///     .column(Column::new("CustomerId", Type::Integer).primary_key())
    ///     .column(Column::new("LastName", Type::String(Some(20))))
    ///     .finish()?;
    /// let invoice = Table::build("Invoice", &md)
    ///     .column(Column::new("InvoiceId", Type::Integer).primary_key())
    ///     .column(Column::new("CustomerId", Type::Integer)
    ///         .foreign_key(ForeignKey::new("Customer.CustomerId")))
    ///     .finish()?;
    /// let stmt = select((customer.c("LastName"), invoice.c("InvoiceId")))
    ///     .join_from(&customer, &invoice);
    /// assert_eq!(stmt.compile(&Sqlite)?.sql(),
    ///     r#"SELECT "Customer"."LastName", "Invoice"."InvoiceId" FROM "Customer" JOIN "Invoice" ON "Customer"."CustomerId" = "Invoice"."CustomerId""#);
    /// assert_eq!(stmt.compile(&Postgres)?.sql(),
    ///     r#"SELECT "Customer"."LastName", "Invoice"."InvoiceId" FROM "Customer" JOIN "Invoice" ON "Customer"."CustomerId" = "Invoice"."CustomerId""#);
    /// assert_eq!(stmt.compile(&MySql)?.sql(),
    ///     "SELECT `Customer`.`LastName`, `Invoice`.`InvoiceId` FROM `Customer` JOIN `Invoice` ON `Customer`.`CustomerId` = `Invoice`.`CustomerId`");
    /// // `Customer` is already in the FROM clause: it is joined, not repeated.
    /// let again = select(customer.c("LastName")).select_from(&customer).join_from(&customer, &invoice);
    /// assert_eq!(again.compile(&Sqlite)?.sql(),
    ///     r#"SELECT "Customer"."LastName" FROM "Customer" JOIN "Invoice" ON "Customer"."CustomerId" = "Invoice"."CustomerId""#);
    /// # Ok::<(), athanor_core::Error>(())
    /// ```
    pub fn join_from(self, left: impl Into<FromItem>, right: impl Into<FromItem>) -> Self {
        self.add_join(left.into(), right.into(), None, JoinKind::Inner)
    }
    /// Adds `left JOIN right ON on` to the FROM clause (SQLAlchemy's
    /// `Select.join_from(left, right, on)`); as [`Select::join_from`] otherwise.
    ///
    /// ```
    /// use athanor_core::prelude::*;
    /// use athanor_core::dialect::{MySql, Postgres, Sqlite};
    /// let md = MetaData::new();
    /// let album = Table::build("album", &md)
    ///     .column(Column::new("id", Type::Integer).primary_key())
    ///     .column(Column::new("title", Type::String(Some(160))))
    ///     .finish()?;
    /// let track = Table::build("track", &md)
    ///     .column(Column::new("album_id", Type::Integer))
    ///     .column(Column::new("ms", Type::Integer))
    ///     .finish()?;
    /// let length = select((track.c("album_id"), func::sum(track.c("ms")).label("ms")))
    ///     .group_by(track.c("album_id"))
    ///     .cte("length");
    /// let stmt = select((album.c("title"), length.c("ms")))
    ///     .join_from_on(&album, &length, album.c("id").eq(length.c("album_id")));
    /// let body = "length AS (SELECT track.album_id, sum(track.ms) AS ms FROM track GROUP BY track.album_id) \
    ///     SELECT album.title, length.ms FROM album JOIN length ON album.id = length.album_id";
    /// assert_eq!(stmt.compile(&Sqlite)?.sql(), format!("WITH {body}"));
    /// assert_eq!(stmt.compile(&Postgres)?.sql(), format!("WITH {body}"));
    /// assert_eq!(stmt.compile(&MySql)?.sql(), format!("WITH {body}"));
    /// # Ok::<(), athanor_core::Error>(())
    /// ```
    pub fn join_from_on(
        self,
        left: impl Into<FromItem>,
        right: impl Into<FromItem>,
        on: impl Into<Expr>,
    ) -> Self {
        self.add_join(left.into(), right.into(), Some(on.into()), JoinKind::Inner)
    }
    /// As [`Select::join_from`] with `LEFT OUTER JOIN` (SQLAlchemy's
    /// `Select.outerjoin_from(left, right)`).
    ///
    /// ```
    /// use athanor_core::prelude::*;
    /// let md = MetaData::new();
    /// let dept = Table::build("dept", &md)
    ///     .column(Column::new("id", Type::Integer).primary_key())
    ///     .finish()?;
    /// let emp = Table::build("emp", &md)
    ///     .column(Column::new("id", Type::Integer).primary_key())
    ///     .column(Column::new("dept_id", Type::Integer).foreign_key(ForeignKey::new("dept.id")))
    ///     .finish()?;
    /// let stmt = select((dept.c("id"), emp.c("id"))).outerjoin_from(&dept, &emp);
    /// assert_eq!(stmt.to_string(),
    ///     "SELECT dept.id, emp.id FROM dept LEFT OUTER JOIN emp ON dept.id = emp.dept_id");
    /// # Ok::<(), athanor_core::Error>(())
    /// ```
    pub fn outerjoin_from(self, left: impl Into<FromItem>, right: impl Into<FromItem>) -> Self {
        self.add_join(left.into(), right.into(), None, JoinKind::Left)
    }
    /// As [`Select::join_from_on`] with `LEFT OUTER JOIN` (SQLAlchemy's
    /// `Select.outerjoin_from(left, right, on)`).
    ///
    /// ```
    /// use athanor_core::prelude::*;
    /// let md = MetaData::new();
    /// let dept = Table::build("dept", &md)
    ///     .column(Column::new("id", Type::Integer).primary_key())
    ///     .finish()?;
    /// let emp = Table::build("emp", &md)
    ///     .column(Column::new("dept_id", Type::Integer))
    ///     .finish()?;
    /// let stmt = select(dept.c("id"))
    ///     .select_from(&dept)
    ///     .outerjoin_from_on(&dept, &emp, emp.c("dept_id").eq(dept.c("id")));
    /// assert_eq!(stmt.to_string(),
    ///     "SELECT dept.id FROM dept LEFT OUTER JOIN emp ON emp.dept_id = dept.id");
    /// # Ok::<(), athanor_core::Error>(())
    /// ```
    pub fn outerjoin_from_on(
        self,
        left: impl Into<FromItem>,
        right: impl Into<FromItem>,
        on: impl Into<Expr>,
    ) -> Self {
        self.add_join(left.into(), right.into(), Some(on.into()), JoinKind::Left)
    }
    fn add_join(
        mut self,
        left: FromItem,
        right: FromItem,
        on: Option<Expr>,
        kind: JoinKind,
    ) -> Self {
        let from = &mut self.edit().from;
        match from.iter().position(|f| f.covers(&left)) {
            Some(i) => {
                let base = from.remove(i);
                let joined = Join::extend(base, &left, right, on, kind);
                from.insert(i, joined);
            }
            None => {
                let joined = Join::extend(left.clone(), &left, right, on, kind);
                from.push(joined);
            }
        }
        self
    }
    /// Adds a WHERE condition; several are ANDed (SQLAlchemy's `where`/`filter`).
    pub fn filter(mut self, cond: impl Into<Expr>) -> Self {
        let parts = self.edit();
        parts.where_ = Some(match parts.where_.take() {
            Some(w) => w & cond.into(),
            None => cond.into(),
        });
        self
    }
    /// Adds `column = value` conditions, ANDed (SQLAlchemy's `filter_by`), against the first FROM
    /// item or the table of the first column.
    ///
    /// # Panics
    /// When a name is not a column of that table (as [`Table::c`](crate::schema::Table::c)).
    #[track_caller]
    pub fn filter_by<I, V>(self, pairs: I) -> Self
    where
        I: IntoIterator<Item = (&'static str, V)>,
        V: Into<Expr>,
    {
        let target = self.from.first().cloned().or_else(|| {
            self.columns.iter().find_map(|c| match c {
                Expr::Column(c) => Some(c.from.clone()),
                _ => None,
            })
        });
        let mut s = self;
        for (name, v) in pairs {
            let col = match &target {
                Some(FromItem::Table(t)) => t.c(name),
                Some(FromItem::Alias(a)) => a.c(name),
                Some(FromItem::Cte(c)) => c.c(name),
                _ => crate::sql::expr::column(name),
            };
            s = s.filter(col.eq(v));
        }
        s
    }
    /// `SELECT DISTINCT`.
    pub fn distinct(mut self) -> Self {
        self.edit().distinct = true;
        self
    }
    /// `SELECT DISTINCT ON (exprs)` (PostgreSQL only).
    pub fn distinct_on(mut self, exprs: impl IntoColumns) -> Self {
        self.edit().distinct = true;
        exprs.into_columns(&mut self.edit().distinct_on);
        self
    }
    /// Adds GROUP BY items: an expression, a name (`"dept"`: a label or column of this
    /// SELECT, SQLAlchemy's `group_by("dept")`), or several in a tuple; see [`IntoGroupBy`].
    pub fn group_by(mut self, items: impl IntoGroupBy) -> Self {
        items.into_group_by(&mut self.edit().group_by);
        self
    }
    /// Adds a HAVING condition; several are ANDed.
    pub fn having(mut self, cond: impl Into<Expr>) -> Self {
        let parts = self.edit();
        parts.having = Some(match parts.having.take() {
            Some(h) => h & cond.into(),
            None => cond.into(),
        });
        self
    }
    /// Adds ORDER BY items: an expression, `expr.desc()`, a name (`"n"`, `desc("n")`: a label
    /// or column of this SELECT), or several in a tuple (`order_by((desc("n"), "name"))`); see
    /// [`IntoOrderBy`].
    pub fn order_by(mut self, o: impl IntoOrderBy) -> Self {
        o.into_order_by(&mut self.edit().order_by);
        self
    }
    /// Adds ORDER BY items from an iterator: anything [`Select::order_by`] takes, names
    /// included (`order_by_all(["dept", "name"])`).
    pub fn order_by_all<I, T>(mut self, items: I) -> Self
    where
        I: IntoIterator<Item = T>,
        T: IntoOrderBy,
    {
        let list = &mut self.edit().order_by;
        for item in items {
            item.into_order_by(list);
        }
        self
    }
    /// `LIMIT n`: a number (a bound parameter), a [`bindparam`](crate::sql::bindparam) given
    /// at execution, or a SQL expression (see [`IntoLimit`]).
    ///
    /// ```
    /// use athanor_core::prelude::*;
    /// use athanor_core::dialect::{MySql, Postgres, Sqlite};
    /// let s = select(column("x")).limit(bindparam("l")).offset(literal_column("1") + literal_column("1"));
    /// assert_eq!(s.to_string(), "SELECT x LIMIT :l OFFSET 1 + 1");
    /// assert_eq!(s.compile(&Postgres)?.sql(), "SELECT x LIMIT $1 OFFSET 1 + 1");
    /// // Only an offset: SQLite still needs a LIMIT (-1, no limit).
    /// let s = select(column("x")).offset(2);
    /// assert_eq!(s.compile(&Sqlite)?.sql(), "SELECT x LIMIT -1 OFFSET ?");
    /// // MySQL takes numbers and parameters only.
    /// let s = select(column("x")).limit(literal_column("1") + literal_column("1"));
    /// assert!(s.compile(&MySql).is_err());
    /// # Ok::<(), athanor_core::Error>(())
    /// ```
    pub fn limit(mut self, n: impl IntoLimit) -> Self {
        let parts = self.edit();
        parts.limit = Some(n.into_limit());
        parts.fetch = None;
        self
    }
    /// `FETCH FIRST n ROWS ONLY`, the SQL standard's row limit (SQLAlchemy's `fetch`); it
    /// replaces a [`Select::limit`], as a later `limit` replaces it. With an
    /// [`offset`](Select::offset), `OFFSET m ROWS` comes first. `n` is a number, a
    /// [`bindparam`](crate::sql::bindparam) or an expression, as for `limit`.
    ///
    /// PostgreSQL and MariaDB (≥ 10.6) have FETCH; SQLite has not, and gets the same rows
    /// from `LIMIT`; MySQL 8 refuses the SQL as it refuses it from SQLAlchemy.
    ///
    /// ```
    /// use athanor_core::prelude::*;
    /// use athanor_core::dialect::{MySql, Postgres, Sqlite};
    /// let s = select(column("x")).order_by(column("x")).fetch(2).offset(1);
    /// assert_eq!(s.compile(&Postgres)?.sql(),
    ///            "SELECT x ORDER BY x OFFSET ($1) ROWS FETCH FIRST ($2) ROWS ONLY");
    /// assert_eq!(s.compile(&MySql)?.sql(), "SELECT x ORDER BY x OFFSET ? ROWS FETCH FIRST ? ROWS ONLY");
    /// assert_eq!(s.compile(&Sqlite)?.sql(), "SELECT x ORDER BY x LIMIT ? OFFSET ?");
    /// # Ok::<(), athanor_core::Error>(())
    /// ```
    pub fn fetch(self, n: impl IntoLimit) -> Self {
        self.fetch_with(n, FetchOptions::default())
    }
    /// `FETCH FIRST n [PERCENT] ROWS {ONLY | WITH TIES}`: [`Select::fetch`] with options.
    ///
    /// # Errors
    /// Compiling it fails with [`CompileError::Unsupported`](crate::error::CompileError::Unsupported)
    /// for `percent` (no dialect here has it) and for `with_ties` on SQLite.
    ///
    /// ```
    /// use athanor_core::prelude::*;
    /// use athanor_core::sql::FetchOptions;
    /// use athanor_core::dialect::{Postgres, Sqlite};
    /// let ties = FetchOptions { with_ties: true, ..FetchOptions::default() };
    /// let s = select(column("x")).order_by(column("x")).fetch_with(1, ties);
    /// assert_eq!(s.compile(&Postgres)?.sql(), "SELECT x ORDER BY x FETCH FIRST ($1) ROWS WITH TIES");
    /// assert!(s.compile(&Sqlite).is_err());
    /// # Ok::<(), athanor_core::Error>(())
    /// ```
    pub fn fetch_with(mut self, n: impl IntoLimit, options: FetchOptions) -> Self {
        let parts = self.edit();
        parts.limit = Some(n.into_limit());
        parts.fetch = Some(options);
        self
    }
    /// `OFFSET n`: as [`Select::limit`].
    pub fn offset(mut self, n: impl IntoLimit) -> Self {
        self.edit().offset = Some(n.into_limit());
        self
    }
    /// Python-style slicing as `LIMIT stop - start OFFSET start` (SQLAlchemy's `slice`).
    pub fn slice(self, start: u64, stop: u64) -> Self {
        let s = self.limit(stop.saturating_sub(start));
        if start > 0 { s.offset(start) } else { s }
    }
    /// `FOR UPDATE`.
    pub fn with_for_update(mut self) -> Self {
        self.edit().for_update = Some(ForUpdate::default());
        self
    }
    /// A configured row lock (`FOR SHARE`, `NOWAIT`, `SKIP LOCKED`).
    pub fn with_lock(mut self, lock: ForUpdate) -> Self {
        self.edit().for_update = Some(lock);
        self
    }
    /// `CREATE TABLE name AS` this SELECT (SQLAlchemy's `Select.into`; named apart from
    /// `Into::into`): a [`CreateTableAs`](crate::sql::CreateTableAs) to configure
    /// (`temporary`, `schema`) and run, or to attach to a `MetaData` with
    /// [`table_in`](crate::sql::CreateTableAs::table_in).
    ///
    /// ```
    /// use athanor_core::prelude::*;
    /// use athanor_core::dialect::Postgres;
    /// let md = MetaData::new();
    /// let t = Table::build("t", &md).column(Column::new("x", Type::Integer)).finish()?;
    /// let ddl = Ddl::from(select(t.c("x")).into_table("t2").temporary(true));
    /// assert_eq!(ddl.compile(&Postgres)?.sql(), "CREATE TEMPORARY TABLE t2 AS SELECT t.x FROM t");
    /// # Ok::<(), athanor_core::Error>(())
    /// ```
    pub fn into_table(self, name: impl Into<String>) -> crate::sql::CreateTableAs {
        crate::sql::CreateTableAs::new(self, name)
    }
    /// This SELECT as a named subquery for a FROM clause.
    pub fn subquery(self, name: impl Into<String>) -> Alias {
        Alias::subquery(SelectBase::Select(Box::new(self)), Some(name.into()))
    }
    /// This SELECT as an anonymous subquery (named `anon_N` when compiled).
    pub fn subquery_anon(self) -> Alias {
        Alias::subquery(SelectBase::Select(Box::new(self)), None)
    }
    /// This SELECT as a scalar value (`(SELECT ...)`), correlated to an enclosing query on the
    /// tables they share.
    pub fn scalar_subquery(self) -> Expr {
        Expr::ScalarSubquery(Arc::new(SelectBase::Select(Box::new(self))))
    }
    /// `EXISTS (this SELECT)`.
    pub fn exists(self) -> Expr {
        Expr::Exists(Arc::new(SelectBase::Select(Box::new(self))))
    }
    /// This SELECT as a common table expression.
    pub fn cte(self, name: impl Into<String>) -> Cte {
        Cte::new(SelectBase::Select(Box::new(self)), name.into(), false)
    }
    /// This SELECT as the anchor of a recursive CTE; finish with [`Cte::union_all`].
    pub fn cte_recursive(self, name: impl Into<String>) -> Cte {
        Cte::new(SelectBase::Select(Box::new(self)), name.into(), true)
    }
    /// The SELECT list.
    pub fn columns(&self) -> &[Expr] {
        &self.columns
    }
}

/// What [`Select::limit`] and [`Select::offset`] (and a compound's) take: a Rust integer,
/// sent as a bound parameter, or an expression: a [`bindparam`](crate::sql::bindparam)
/// whose value is given at execution, or SQL (`literal_column("1") + literal_column("1")`),
/// as SQLAlchemy's `limit()` takes an int or a SQL expression.
///
/// MySQL accepts only numbers and parameters there: any other expression is an
/// [`Error::Compile`](crate::Error::Compile) on MySQL.
pub trait IntoLimit {
    /// The LIMIT or OFFSET expression.
    fn into_limit(self) -> Expr;
}

macro_rules! into_limit_int {
    ($($t:ty),*) => {$(
        impl IntoLimit for $t {
            fn into_limit(self) -> Expr {
                Expr::from(self)
            }
        }
    )*};
}
into_limit_int!(u8, u16, u32, u64, usize, i32, i64);

impl IntoLimit for Expr {
    fn into_limit(self) -> Expr {
        self
    }
}

impl IntoLimit for &Expr {
    fn into_limit(self) -> Expr {
        self.clone()
    }
}
