//! SELECT statements: [`Select`], set operations ([`CompoundSelect`]) and [`SelectBase`].

use std::sync::Arc;

use crate::schema::Table;
use crate::sql::expr::{Expr, IntoOrderBy, Ordering};
use crate::sql::from::{Alias, Cte, FromItem, Join, JoinKind};
use crate::sql::grouping::IntoGroupBy;
use crate::sql::memo::{ShapeMemo, memoized_statement};
use crate::types::Type;

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
    pub(crate) for_update: Option<ForUpdate>,
}

/// What `select(...)` accepts: one expression, a table (all its columns), an alias, or a tuple
/// or `Vec` of those.
pub trait IntoColumns {
    /// Appends the columns.
    fn into_columns(self, out: &mut Vec<Expr>);

    /// How many columns [`IntoColumns::into_columns`] appends, at least: the SELECT list is
    /// allocated once, at this size.
    #[doc(hidden)]
    fn columns_hint(&self) -> usize {
        1
    }

    /// `select(self)`: a table overrides it to start the statement with its cache key known.
    #[doc(hidden)]
    fn into_select(self) -> Select
    where
        Self: Sized,
    {
        let mut columns = Vec::with_capacity(self.columns_hint());
        self.into_columns(&mut columns);
        Select::of_columns(columns)
    }
}

/// `select(table)`: all its columns, and the statement-cache key of that statement, computed
/// for the first one built from this table and kept in it. A later change to the statement
/// (`filter`, `limit`, ...) forgets the key as any change does.
fn select_all(table: &Table) -> Select {
    let stmt = Select::of_columns(table.column_exprs().collect());
    let key = *table
        .0
        .select_all_key
        .get_or_init(|| crate::compiler::shape_digest(crate::sql::StatementRef::Select(&stmt)));
    stmt.memo.digest(|| key);
    stmt
}

impl IntoColumns for Expr {
    fn into_columns(self, out: &mut Vec<Expr>) {
        out.push(self);
    }
}
impl IntoColumns for &Expr {
    fn into_columns(self, out: &mut Vec<Expr>) {
        out.push(self.clone());
    }
}
impl IntoColumns for &Table {
    fn into_columns(self, out: &mut Vec<Expr>) {
        out.extend(self.column_exprs());
    }
    fn columns_hint(&self) -> usize {
        self.0.columns.len()
    }
    fn into_select(self) -> Select {
        select_all(self)
    }
}
impl IntoColumns for Table {
    fn into_columns(self, out: &mut Vec<Expr>) {
        out.extend(self.column_exprs());
    }
    fn columns_hint(&self) -> usize {
        self.0.columns.len()
    }
    fn into_select(self) -> Select {
        select_all(&self)
    }
}
impl IntoColumns for &Alias {
    fn into_columns(self, out: &mut Vec<Expr>) {
        out.extend(self.all_columns());
    }
}
impl IntoColumns for &Cte {
    fn into_columns(self, out: &mut Vec<Expr>) {
        for (n, _) in &self.0.columns {
            if let Ok(e) = self.try_c(n) {
                out.push(e);
            }
        }
    }
}
impl<T: IntoColumns> IntoColumns for Vec<T> {
    fn into_columns(self, out: &mut Vec<Expr>) {
        for t in self {
            t.into_columns(out);
        }
    }
    fn columns_hint(&self) -> usize {
        self.iter().map(IntoColumns::columns_hint).sum()
    }
}
impl<T: IntoColumns, const N: usize> IntoColumns for [T; N] {
    fn into_columns(self, out: &mut Vec<Expr>) {
        for t in self {
            t.into_columns(out);
        }
    }
    fn columns_hint(&self) -> usize {
        self.iter().map(IntoColumns::columns_hint).sum()
    }
}
macro_rules! tuple_columns {
    ($($name:ident),+) => {
        impl<$($name: IntoColumns),+> IntoColumns for ($($name,)+) {
            #[allow(non_snake_case)]
            fn into_columns(self, out: &mut Vec<Expr>) {
                let ($($name,)+) = self;
                $($name.into_columns(out);)+
            }
            #[allow(non_snake_case)]
            fn columns_hint(&self) -> usize {
                let ($($name,)+) = self;
                0 $(+ $name.columns_hint())+
            }
        }
    };
}
tuple_columns!(A);
tuple_columns!(A, B);
tuple_columns!(A, B, C);
tuple_columns!(A, B, C, D);
tuple_columns!(A, B, C, D, E);
tuple_columns!(A, B, C, D, E, F);
tuple_columns!(A, B, C, D, E, F, G);
tuple_columns!(A, B, C, D, E, F, G, H);
tuple_columns!(A, B, C, D, E, F, G, H, I);
tuple_columns!(A, B, C, D, E, F, G, H, I, J);
tuple_columns!(A, B, C, D, E, F, G, H, I, J, K);
tuple_columns!(A, B, C, D, E, F, G, H, I, J, K, L);

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
        self.add_join(left.into(), right.into(), None)
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
        self.add_join(left.into(), right.into(), Some(on.into()))
    }
    fn add_join(mut self, left: FromItem, right: FromItem, on: Option<Expr>) -> Self {
        let from = &mut self.edit().from;
        match from.iter().position(|f| f.covers(&left)) {
            Some(i) => {
                let base = from.remove(i);
                let joined = Join::extend(base, &left, right, on, JoinKind::Inner);
                from.insert(i, joined);
            }
            None => {
                let joined = Join::extend(left.clone(), &left, right, on, JoinKind::Inner);
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
    /// When a name is not a column of that table (as [`Table::c`]).
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
    /// `LIMIT n` (a bound parameter).
    pub fn limit(mut self, n: u64) -> Self {
        self.edit().limit = Some(Expr::from(n));
        self
    }
    /// `OFFSET n` (a bound parameter).
    pub fn offset(mut self, n: u64) -> Self {
        self.edit().offset = Some(Expr::from(n));
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
    /// `self UNION other`.
    pub fn union(self, other: impl Into<SelectBase>) -> CompoundSelect {
        CompoundSelect::new(SetOp::Union, vec![self.into(), other.into()])
    }
    /// `self UNION ALL other`.
    pub fn union_all(self, other: impl Into<SelectBase>) -> CompoundSelect {
        CompoundSelect::new(SetOp::UnionAll, vec![self.into(), other.into()])
    }
    /// `self INTERSECT other`.
    pub fn intersect(self, other: impl Into<SelectBase>) -> CompoundSelect {
        CompoundSelect::new(SetOp::Intersect, vec![self.into(), other.into()])
    }
    /// `self EXCEPT other`.
    pub fn except(self, other: impl Into<SelectBase>) -> CompoundSelect {
        CompoundSelect::new(SetOp::Except, vec![self.into(), other.into()])
    }
    /// `self INTERSECT ALL other`: the rows of both, with duplicates (not on SQLite, whose
    /// compiler refuses it with `CompileError::Unsupported`).
    ///
    /// ```
    /// use athanor_core::prelude::*;
    /// use athanor_core::dialect::{MySql, Postgres};
    /// let stmt = select(column("a")).intersect_all(select(column("b")));
    /// assert_eq!(stmt.compile(&Postgres)?.sql(), "SELECT a INTERSECT ALL SELECT b");
    /// assert_eq!(stmt.compile(&MySql)?.sql(), "SELECT a INTERSECT ALL SELECT b");
    /// # Ok::<(), athanor_core::Error>(())
    /// ```
    pub fn intersect_all(self, other: impl Into<SelectBase>) -> CompoundSelect {
        CompoundSelect::new(SetOp::IntersectAll, vec![self.into(), other.into()])
    }
    /// `self EXCEPT ALL other`: the rows of `self` less those of `other`, one for one (not on
    /// SQLite).
    ///
    /// ```
    /// use athanor_core::prelude::*;
    /// use athanor_core::dialect::Postgres;
    /// let stmt = select(column("a")).except_all(select(column("b")));
    /// assert_eq!(stmt.compile(&Postgres)?.sql(), "SELECT a EXCEPT ALL SELECT b");
    /// # Ok::<(), athanor_core::Error>(())
    /// ```
    pub fn except_all(self, other: impl Into<SelectBase>) -> CompoundSelect {
        CompoundSelect::new(SetOp::ExceptAll, vec![self.into(), other.into()])
    }
    /// The SELECT list.
    pub fn columns(&self) -> &[Expr] {
        &self.columns
    }
}

/// A set operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SetOp {
    /// `UNION`
    Union,
    /// `UNION ALL`
    UnionAll,
    /// `INTERSECT`
    Intersect,
    /// `INTERSECT ALL`
    IntersectAll,
    /// `EXCEPT`
    Except,
    /// `EXCEPT ALL`
    ExceptAll,
}

/// SELECTs combined by UNION, INTERSECT or EXCEPT, with their own ORDER BY / LIMIT.
///
/// ```
/// use athanor_core::prelude::*;
/// let u = select(column("a")).union(select(column("b"))).order_by(column("a")).limit(3);
/// assert_eq!(u.to_string(), "SELECT a UNION SELECT b ORDER BY a LIMIT :param_1");
/// ```
#[derive(Debug, Clone, Hash)]
pub struct CompoundSelect {
    pub(crate) op: SetOp,
    pub(crate) selects: Vec<SelectBase>,
    pub(crate) order_by: Vec<Ordering>,
    pub(crate) limit: Option<Expr>,
    pub(crate) offset: Option<Expr>,
}

impl CompoundSelect {
    pub(crate) fn new(op: SetOp, selects: Vec<SelectBase>) -> Self {
        CompoundSelect {
            op,
            selects,
            order_by: Vec::new(),
            limit: None,
            offset: None,
        }
    }
    /// Adds another SELECT with the same operator (or nests when it differs).
    fn push(self, op: SetOp, other: SelectBase) -> Self {
        if op == self.op
            && self.order_by.is_empty()
            && self.limit.is_none()
            && self.offset.is_none()
        {
            let mut s = self;
            s.selects.push(other);
            s
        } else {
            CompoundSelect::new(op, vec![SelectBase::Compound(Box::new(self)), other])
        }
    }
    /// `... UNION other`.
    pub fn union(self, other: impl Into<SelectBase>) -> Self {
        self.push(SetOp::Union, other.into())
    }
    /// `... UNION ALL other`.
    pub fn union_all(self, other: impl Into<SelectBase>) -> Self {
        self.push(SetOp::UnionAll, other.into())
    }
    /// `... INTERSECT other`.
    pub fn intersect(self, other: impl Into<SelectBase>) -> Self {
        self.push(SetOp::Intersect, other.into())
    }
    /// `... EXCEPT other`.
    pub fn except(self, other: impl Into<SelectBase>) -> Self {
        self.push(SetOp::Except, other.into())
    }
    /// `... INTERSECT ALL other` (not on SQLite).
    pub fn intersect_all(self, other: impl Into<SelectBase>) -> Self {
        self.push(SetOp::IntersectAll, other.into())
    }
    /// `... EXCEPT ALL other` (not on SQLite).
    pub fn except_all(self, other: impl Into<SelectBase>) -> Self {
        self.push(SetOp::ExceptAll, other.into())
    }
    /// ORDER BY for the whole compound; a name (`"n"`, `desc("n")`) is one of its result
    /// columns (see [`IntoOrderBy`]).
    pub fn order_by(mut self, o: impl IntoOrderBy) -> Self {
        o.into_order_by(&mut self.order_by);
        self
    }
    /// LIMIT for the whole compound.
    pub fn limit(mut self, n: u64) -> Self {
        self.limit = Some(Expr::from(n));
        self
    }
    /// OFFSET for the whole compound.
    pub fn offset(mut self, n: u64) -> Self {
        self.offset = Some(Expr::from(n));
        self
    }
    /// As a named subquery.
    pub fn subquery(self, name: impl Into<String>) -> Alias {
        Alias::subquery(SelectBase::Compound(Box::new(self)), Some(name.into()))
    }
    /// As a CTE.
    pub fn cte(self, name: impl Into<String>) -> Cte {
        Cte::new(SelectBase::Compound(Box::new(self)), name.into(), false)
    }
}

/// A SELECT or a compound of SELECTs: anything that returns rows.
#[derive(Debug, Clone)]
pub enum SelectBase {
    /// A plain SELECT.
    Select(Box<Select>),
    /// A set operation.
    Compound(Box<CompoundSelect>),
}

/// Part of a statement's cache key: a subquery shared through an `Arc` (used twice through a
/// clone) keys apart from two equal subqueries, as the value walk tells them apart (see
/// [`cache_key`](crate::compiler::cache_key)).
impl std::hash::Hash for SelectBase {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        let addr = self as *const SelectBase as usize;
        crate::sql::identity::hash_shared(addr, state, |state| match self {
            SelectBase::Select(s) => {
                state.write_u8(0);
                s.hash(state);
            }
            SelectBase::Compound(c) => {
                state.write_u8(1);
                c.hash(state);
            }
        });
    }
}

impl From<Select> for SelectBase {
    fn from(s: Select) -> Self {
        SelectBase::Select(Box::new(s))
    }
}
impl From<CompoundSelect> for SelectBase {
    fn from(s: CompoundSelect) -> Self {
        SelectBase::Compound(Box::new(s))
    }
}

impl SelectBase {
    /// The first plain SELECT (the one whose columns name a compound's result).
    pub fn first_select(&self) -> &Select {
        match self {
            SelectBase::Select(s) => s,
            SelectBase::Compound(c) => match c.selects.first() {
                Some(s) => s.first_select(),
                None => {
                    static EMPTY: std::sync::OnceLock<Select> = std::sync::OnceLock::new();
                    EMPTY.get_or_init(Select::default)
                }
            },
        }
    }

    /// The names of the result's columns as a subquery's or CTE's columns: labels, column
    /// names, `count_1`, `max_1`, ... for unlabeled functions, `anon_N` for other expressions;
    /// a name an earlier column took gets `_1`, `_2`, ... (SQLAlchemy's subquery columns).
    ///
    /// ```
    /// use athanor_core::prelude::*;
    /// let md = MetaData::new();
    /// let film = Table::build("film", &md)
    ///     .column(Column::new("film_id", Type::Integer).primary_key())
    ///     .finish()?;
    /// let rental = Table::build("rental", &md)
    ///     .column(Column::new("film_id", Type::Integer).foreign_key(ForeignKey::new("film.film_id")))
    ///     .finish()?;
    /// let both = select((film.c("film_id"), rental.c("film_id"), func::count_star()))
    ///     .join_from(&film, &rental)
    ///     .group_by((film.c("film_id"), rental.c("film_id")));
    /// let sq = both.clone().subquery("sq");
    /// assert_eq!(
    ///     select(&sq).to_string(),
    ///     "SELECT sq.film_id, sq.film_id_1, sq.count_1 FROM (SELECT film.film_id, \
    ///      rental.film_id AS film_id_1, count(*) AS count_1 FROM film JOIN rental \
    ///      ON film.film_id = rental.film_id GROUP BY film.film_id, rental.film_id) AS sq"
    /// );
    /// # Ok::<(), athanor_core::Error>(())
    /// ```
    pub fn output_names(&self) -> Vec<String> {
        let columns = &self.first_select().columns;
        dedupe_names(columns, &crate::compiler::result_names(columns))
    }

    /// The type of an output column by name.
    pub fn output_column(&self, name: &str) -> Option<Type> {
        let names = self.output_names();
        let pos = names.iter().position(|n| n == name)?;
        self.first_select().columns.get(pos).map(Expr::sql_type)
    }
}

/// The distinct names of a subquery's or CTE's columns: each column's result name (its
/// label, its column name, or the generated name in `generated`), a name an earlier column
/// took getting the first free `_1`, `_2`, ... suffix.
pub(crate) fn dedupe_names(columns: &[Expr], generated: &[Option<String>]) -> Vec<String> {
    let base: Vec<String> = columns
        .iter()
        .zip(generated)
        .map(|(c, g)| match (c.result_name(), g) {
            (Some(n), _) => n.to_string(),
            (None, Some(g)) => g.clone(),
            (None, None) => "*".to_string(),
        })
        .collect();
    let mut out: Vec<String> = Vec::with_capacity(base.len());
    for name in &base {
        let taken = |n: &str, out: &[String]| out.iter().any(|o| o == n);
        if name == "*" || !taken(name, &out) {
            out.push(name.clone());
            continue;
        }
        let mut k = 1;
        let fresh = loop {
            let candidate = format!("{name}_{k}");
            if !taken(&candidate, &out) && !base.contains(&candidate) {
                break candidate;
            }
            k += 1;
        };
        out.push(fresh);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{Column, MetaData};

    #[test]
    fn the_select_list_is_allocated_once_at_its_size() {
        let md = MetaData::new();
        let t = Table::build("t", &md)
            .column(Column::new("a", Type::Integer))
            .column(Column::new("b", Type::Integer))
            .column(Column::new("c", Type::Integer))
            .finish()
            .unwrap();
        let cases = [
            (select(&t), 3),
            (select((t.c("a"), t.c("b"), t.c("c"), &t, t.c("a"))), 7),
            (select(vec![t.c("a"), t.c("b")]), 2),
            (select([&t, &t]), 6),
            (select(t.c("a")).add_columns((t.c("b"), &t)), 5),
        ];
        for (i, (s, n)) in cases.iter().enumerate() {
            assert_eq!(s.columns.len(), *n, "case {i}");
            assert_eq!(s.columns.capacity(), *n, "case {i}");
        }
    }
}
