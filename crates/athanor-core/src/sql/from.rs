//! FROM-clause items: tables, aliases, subqueries, CTEs and joins.

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use crate::error::{Error, Result};
use crate::schema::{ColumnData, Table};
use crate::sql::expr::{ColumnRef, Expr};
use crate::sql::select::SelectBase;
use crate::types::Type;

/// Something that can stand in a FROM clause.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum FromItem {
    /// A table.
    Table(Table),
    /// An aliased table or subquery.
    Alias(Alias),
    /// A common table expression.
    Cte(Cte),
    /// A join of two FROM items.
    Join(Arc<Join>),
}

impl FromItem {
    /// A name for messages.
    pub fn describe(&self) -> String {
        match self {
            FromItem::Table(t) => t.fullname(),
            FromItem::Alias(a) => a.0.name.clone().unwrap_or_else(|| "anonymous alias".into()),
            FromItem::Cte(c) => c.0.name.clone(),
            FromItem::Join(j) => format!("{} JOIN {}", j.left.describe(), j.right.describe()),
        }
    }

    /// True when the two are the same FROM object (same table, same alias).
    pub fn same_as(&self, other: &FromItem) -> bool {
        match (self, other) {
            (FromItem::Table(a), FromItem::Table(b)) => a == b,
            (FromItem::Alias(a), FromItem::Alias(b)) => Arc::ptr_eq(&a.0, &b.0),
            (FromItem::Cte(a), FromItem::Cte(b)) => Arc::ptr_eq(&a.0, &b.0) || a.0.name == b.0.name,
            (FromItem::Join(a), FromItem::Join(b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }

    /// Whether this item is or contains `other` (a join contains its sides).
    pub fn covers(&self, other: &FromItem) -> bool {
        match self {
            FromItem::Join(j) => {
                j.left.covers(other) || j.right.covers(other) || self.same_as(other)
            }
            _ => self.same_as(other),
        }
    }

    /// The table behind a table or an aliased table.
    pub fn table(&self) -> Option<&Table> {
        match self {
            FromItem::Table(t) => Some(t),
            FromItem::Alias(a) => match &a.0.inner {
                AliasTarget::Table(t) => Some(t),
                AliasTarget::Select(_) => None,
            },
            _ => None,
        }
    }

    /// Joins `other` with the ON clause inferred from foreign keys (`INNER JOIN`).
    ///
    /// If there is no foreign key between the two, or more than one, compiling the statement
    /// fails with [`Error::NoForeignKeys`] / [`Error::AmbiguousForeignKeys`]; use
    /// [`FromItem::join_on`] to give the ON clause yourself.
    pub fn join(&self, other: impl Into<FromItem>) -> FromItem {
        Join::inferred(self.clone(), other.into(), JoinKind::Inner)
    }
    /// `LEFT OUTER JOIN` with the ON clause inferred from foreign keys.
    pub fn outerjoin(&self, other: impl Into<FromItem>) -> FromItem {
        Join::inferred(self.clone(), other.into(), JoinKind::Left)
    }
    /// `FULL OUTER JOIN` with the ON clause inferred from foreign keys.
    pub fn full_outerjoin(&self, other: impl Into<FromItem>) -> FromItem {
        Join::inferred(self.clone(), other.into(), JoinKind::Full)
    }
    /// `JOIN other ON on`.
    pub fn join_on(&self, other: impl Into<FromItem>, on: impl Into<Expr>) -> FromItem {
        Join::with_on(self.clone(), other.into(), on.into(), JoinKind::Inner)
    }
    /// `LEFT OUTER JOIN other ON on`.
    pub fn outerjoin_on(&self, other: impl Into<FromItem>, on: impl Into<Expr>) -> FromItem {
        Join::with_on(self.clone(), other.into(), on.into(), JoinKind::Left)
    }

    /// The names of the columns this item exposes.
    pub fn column_names(&self) -> Vec<String> {
        match self {
            FromItem::Table(t) => t.columns().iter().map(|c| c.name.clone()).collect(),
            FromItem::Alias(a) => a.column_names(),
            FromItem::Cte(c) => c.column_names(),
            FromItem::Join(j) => {
                let mut v = j.left.column_names();
                v.extend(j.right.column_names());
                v
            }
        }
    }

    fn column_ref(&self, name: &str, ty: Type) -> Expr {
        Expr::Column(ColumnRef {
            from: self.clone(),
            column: Arc::new(ColumnData::synthetic(name, ty)),
        })
    }

    /// Column `name` of `table` as seen through this item (the table itself, or an alias of
    /// it): the table's own column when this is the table (as `table.c(name)` gives it),
    /// otherwise a column of that name and type qualified by this item.
    fn column_of(&self, table: &Table, name: &str) -> Expr {
        let own = table.column_data(name);
        let column = match (self, own) {
            (FromItem::Table(_), Some(c)) => c.clone(),
            _ => return self.column_ref(name, own.map(|c| c.ty.clone()).unwrap_or(Type::Null)),
        };
        Expr::Column(ColumnRef {
            from: self.clone(),
            column,
        })
    }
}

/// Part of a statement's cache key. Aliases, CTEs and joins are compared by identity where
/// the compiler meets them (an anonymous alias is numbered per object; one object in two places
/// is one FROM item, two equal objects are two), so each writes its content the first time the
/// key meets the object and only its number afterwards (see [`cache_key`](crate::compiler::cache_key)).
impl Hash for FromItem {
    fn hash<H: Hasher>(&self, state: &mut H) {
        use crate::sql::identity::hash_shared;
        match self {
            FromItem::Table(t) => {
                state.write_u8(0);
                t.hash(state);
            }
            FromItem::Alias(a) => {
                state.write_u8(1);
                hash_shared(Arc::as_ptr(&a.0) as usize, state, |s| a.0.hash(s));
            }
            FromItem::Cte(c) => {
                state.write_u8(2);
                c.hash(state);
            }
            FromItem::Join(j) => {
                state.write_u8(3);
                hash_shared(Arc::as_ptr(j) as usize, state, |s| j.hash(s));
            }
        }
    }
}

impl From<&Table> for FromItem {
    fn from(t: &Table) -> Self {
        FromItem::Table(t.clone())
    }
}
impl From<Table> for FromItem {
    fn from(t: Table) -> Self {
        FromItem::Table(t)
    }
}
impl From<&Alias> for FromItem {
    fn from(a: &Alias) -> Self {
        FromItem::Alias(a.clone())
    }
}
impl From<Alias> for FromItem {
    fn from(a: Alias) -> Self {
        FromItem::Alias(a)
    }
}
impl From<&Cte> for FromItem {
    fn from(c: &Cte) -> Self {
        FromItem::Cte(c.clone())
    }
}
impl From<Cte> for FromItem {
    fn from(c: Cte) -> Self {
        FromItem::Cte(c)
    }
}
impl From<&FromItem> for FromItem {
    fn from(f: &FromItem) -> Self {
        f.clone()
    }
}

/// Joins on tables, as SQLAlchemy's `table.join(other)`.
impl Table {
    /// `self JOIN other` with the ON clause inferred from the foreign key between them.
    ///
    /// ```
    /// use athanor_core::prelude::*;
    /// let md = MetaData::new();
    /// let artist = Table::build("Artist", &md)
    ///     .column(Column::new("ArtistId", Type::Integer).primary_key())
    ///     .column(Column::new("Name", Type::Unicode(Some(120))))
    ///     .finish()?;
    /// let album = Table::build("Album", &md)
    ///     .column(Column::new("AlbumId", Type::Integer).primary_key())
    ///     .column(Column::new("ArtistId", Type::Integer).foreign_key(ForeignKey::new("Artist.ArtistId")))
    ///     .finish()?;
    /// let stmt = select(artist.c("Name")).select_from(artist.join(&album));
    /// assert_eq!(stmt.to_string(),
    ///   r#"SELECT "Artist"."Name" FROM "Artist" JOIN "Album" ON "Artist"."ArtistId" = "Album"."ArtistId""#);
    /// # Ok::<(), athanor_core::Error>(())
    /// ```
    pub fn join(&self, other: impl Into<FromItem>) -> FromItem {
        FromItem::Table(self.clone()).join(other)
    }
    /// `self LEFT OUTER JOIN other`, ON inferred from foreign keys.
    pub fn outerjoin(&self, other: impl Into<FromItem>) -> FromItem {
        FromItem::Table(self.clone()).outerjoin(other)
    }
    /// `self JOIN other ON on`.
    pub fn join_on(&self, other: impl Into<FromItem>, on: impl Into<Expr>) -> FromItem {
        FromItem::Table(self.clone()).join_on(other, on)
    }
    /// `self LEFT OUTER JOIN other ON on`.
    pub fn outerjoin_on(&self, other: impl Into<FromItem>, on: impl Into<Expr>) -> FromItem {
        FromItem::Table(self.clone()).outerjoin_on(other, on)
    }
}

/// The kind of a join.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JoinKind {
    /// `JOIN` (inner).
    Inner,
    /// `LEFT OUTER JOIN`.
    Left,
    /// `FULL OUTER JOIN`.
    Full,
}

/// A join of two FROM items.
#[derive(Debug, Hash)]
pub struct Join {
    /// The left side.
    pub left: FromItem,
    /// The right side.
    pub right: FromItem,
    /// The join kind.
    pub kind: JoinKind,
    /// The ON condition, or why it could not be inferred.
    pub on: JoinOn,
}

/// A join's ON clause, or the error from inferring it (reported when the statement compiles).
#[derive(Debug)]
pub enum JoinOn {
    /// The condition.
    On(Expr),
    /// Inference failed.
    Error(Arc<Error>),
}

impl Hash for JoinOn {
    fn hash<H: Hasher>(&self, state: &mut H) {
        match self {
            JoinOn::On(e) => e.hash(state),
            JoinOn::Error(e) => e.to_string().hash(state),
        }
    }
}

impl Join {
    pub(crate) fn with_on(left: FromItem, right: FromItem, on: Expr, kind: JoinKind) -> FromItem {
        FromItem::Join(Arc::new(Join {
            left,
            right,
            kind,
            on: JoinOn::On(on),
        }))
    }

    /// `base JOIN right`, where `left` is `base` or one of its parts: the ON clause is `on`, or
    /// inferred from the foreign key between `left` and `right`.
    pub(crate) fn extend(
        base: FromItem,
        left: &FromItem,
        right: FromItem,
        on: Option<Expr>,
        kind: JoinKind,
    ) -> FromItem {
        let on = match on {
            Some(e) => JoinOn::On(e),
            None => match infer_on(left, &right) {
                Ok(e) => JoinOn::On(e),
                Err(e) => JoinOn::Error(Arc::new(e)),
            },
        };
        FromItem::Join(Arc::new(Join {
            left: base,
            right,
            kind,
            on,
        }))
    }

    /// `left JOIN right` whose ON clause is an error (reported when the statement compiles).
    pub(crate) fn failed(left: FromItem, right: FromItem, kind: JoinKind, e: Error) -> FromItem {
        FromItem::Join(Arc::new(Join {
            left,
            right,
            kind,
            on: JoinOn::Error(Arc::new(e)),
        }))
    }

    pub(crate) fn inferred(left: FromItem, right: FromItem, kind: JoinKind) -> FromItem {
        let on = match infer_on(&left, &right) {
            Ok(e) => JoinOn::On(e),
            Err(e) => JoinOn::Error(Arc::new(e)),
        };
        FromItem::Join(Arc::new(Join {
            left,
            right,
            kind,
            on,
        }))
    }
}

/// The tables (or aliased tables) a FROM item is made of, leftmost first.
fn leaves(item: &FromItem, out: &mut Vec<FromItem>) {
    match item {
        FromItem::Join(j) => {
            leaves(&j.left, out);
            leaves(&j.right, out);
        }
        other => out.push(other.clone()),
    }
}

fn refers_to(fk: &crate::schema::ForeignKeyConstraint, from: &Table, target: &Table) -> bool {
    fk.referred_table == target.name()
        && match (&fk.referred_schema, target.schema()) {
            (Some(a), Some(b)) => a == b,
            (None, None) => true,
            (None, Some(s)) => from.schema() == Some(s),
            (Some(_), None) => false,
        }
}

/// Infers a join's ON clause from foreign keys, as SQLAlchemy's `Join._join_condition` does.
///
/// The right-most part of the left side is asked first (SQLAlchemy's `a_subset`): in
/// `a.join(&b).join(&c)` a foreign key between `b` and `c` wins even when `c` also refers to
/// `a`. Only when that part has none are all the tables of the left side asked together; more
/// than one foreign key among them is [`Error::AmbiguousForeignKeys`], never a guess.
fn infer_on(left: &FromItem, right: &FromItem) -> Result<Expr> {
    let right_table = right.table().ok_or_else(|| Error::NoForeignKeys {
        left: left.describe(),
        right: right.describe(),
    })?;
    if let FromItem::Join(j) = left {
        let mut subset = Vec::new();
        leaves(&j.right, &mut subset);
        let found = conditions(&subset, right, right_table);
        if !found.is_empty() {
            return one_condition(found, left, right);
        }
    }
    let mut all = Vec::new();
    leaves(left, &mut all);
    let found = conditions(&all, right, right_table);
    one_condition(found, left, right)
}

/// One foreign key's join condition, and what identifies it: the left table it joins (its
/// position among the left side's tables) and the column pairs, left column first.
struct Found {
    key: (usize, Vec<(String, String)>),
    on: Expr,
}

/// The ON condition of every foreign key between one of `lefts` and `right`: those of the
/// right table referring to a left table, then those of a left table referring to the right.
fn conditions(lefts: &[FromItem], right: &FromItem, right_table: &Table) -> Vec<Found> {
    let mut found = Vec::new();
    for (i, l) in lefts.iter().enumerate() {
        let Some(lt) = l.table() else { continue };
        let right_to_left = right_table
            .foreign_keys()
            .iter()
            .filter(|fk| refers_to(fk, right_table, lt))
            .map(|fk| (fk, false));
        let left_to_right = lt
            .foreign_keys()
            .iter()
            .filter(|fk| refers_to(fk, lt, right_table))
            .map(|fk| (fk, true));
        for (fk, left_has_fk) in right_to_left.chain(left_to_right) {
            let pairs: Vec<(String, String)> = fk
                .columns
                .iter()
                .zip(&fk.referred_columns)
                .map(|(col, rcol)| {
                    if left_has_fk {
                        (col.clone(), rcol.clone())
                    } else {
                        (rcol.clone(), col.clone())
                    }
                })
                .collect();
            let conds: Vec<Expr> = pairs
                .iter()
                .map(|(l_col, r_col)| {
                    l.column_of(lt, l_col)
                        .eq(right.column_of(right_table, r_col))
                })
                .collect();
            found.push(Found {
                key: (i, pairs),
                on: crate::sql::expr::and_(conds),
            });
        }
    }
    found
}

/// Whether a foreign key links any table of `left` with `right` (SQLAlchemy's `_can_join`).
pub(crate) fn can_join(left: &FromItem, right: &FromItem) -> bool {
    let Some(right_table) = right.table() else {
        return false;
    };
    let mut all = Vec::new();
    leaves(left, &mut all);
    !conditions(&all, right, right_table).is_empty()
}

/// The one condition found, or the error saying there were none or several. Foreign keys
/// that give the same condition (the same columns of the same tables, a constraint declared
/// twice) are one, as in SQLAlchemy's `_joincond_trim_constraints`.
fn one_condition(found: Vec<Found>, left: &FromItem, right: &FromItem) -> Result<Expr> {
    let mut found = found.into_iter();
    let Some(first) = found.next() else {
        return Err(Error::NoForeignKeys {
            left: left.describe(),
            right: right.describe(),
        });
    };
    if found.any(|other| other.key != first.key) {
        return Err(Error::AmbiguousForeignKeys {
            left: left.describe(),
            right: right.describe(),
        });
    }
    Ok(first.on)
}

/// What an alias renames.
#[derive(Debug, Hash)]
pub enum AliasTarget {
    /// A table.
    Table(Table),
    /// A subquery.
    Select(Arc<SelectBase>),
}

/// An aliased table (`"Artist" AS a`) or a subquery (`(SELECT ...) AS s`).
#[derive(Debug, Clone)]
pub struct Alias(pub(crate) Arc<AliasData>);

/// What an [`Alias`] holds.
#[derive(Debug, Hash)]
pub struct AliasData {
    /// The alias name; `None` is numbered `anon_N` when compiled.
    pub name: Option<String>,
    /// What it renames.
    pub inner: AliasTarget,
}

impl Alias {
    pub(crate) fn new(item: FromItem, name: Option<String>) -> Alias {
        let inner = match item {
            FromItem::Table(t) => AliasTarget::Table(t),
            FromItem::Alias(a) => match &a.0.inner {
                AliasTarget::Table(t) => AliasTarget::Table(t.clone()),
                AliasTarget::Select(s) => AliasTarget::Select(s.clone()),
            },
            other => AliasTarget::Select(Arc::new(SelectBase::Select(Box::new(
                crate::sql::select::select(Expr::Star(None)).select_from(other),
            )))),
        };
        Alias(Arc::new(AliasData { name, inner }))
    }

    pub(crate) fn subquery(select: SelectBase, name: Option<String>) -> Alias {
        Alias(Arc::new(AliasData {
            name,
            inner: AliasTarget::Select(Arc::new(select)),
        }))
    }

    /// The alias's name (`None` when anonymous).
    pub fn name(&self) -> Option<&str> {
        self.0.name.as_deref()
    }

    /// What the alias renames.
    pub fn data(&self) -> &AliasData {
        &self.0
    }

    /// A column of the alias.
    ///
    /// # Panics
    /// When there is no such column; see [`Alias::try_c`].
    #[track_caller]
    pub fn c(&self, name: &str) -> Expr {
        match self.try_c(name) {
            Ok(e) => e,
            Err(e) => panic!("{e}"),
        }
    }

    /// A column of the alias, or [`Error::NoSuchColumn`].
    ///
    /// # Errors
    /// [`Error::NoSuchColumn`] when the aliased table or subquery has no such column.
    pub fn try_c(&self, name: &str) -> Result<Expr> {
        let ty = match &self.0.inner {
            AliasTarget::Table(t) => t.column_data(name).map(|c| c.ty.clone()),
            AliasTarget::Select(s) => s.output_column(name),
        };
        match ty {
            Some(ty) => Ok(FromItem::Alias(self.clone()).column_ref(name, ty)),
            None => Err(Error::NoSuchColumn {
                table: self.name().unwrap_or("anonymous subquery").to_string(),
                column: name.to_string(),
            }),
        }
    }

    /// Every column of the alias, in order.
    pub fn all_columns(&self) -> Vec<Expr> {
        self.column_names()
            .iter()
            .filter_map(|n| self.try_c(n).ok())
            .collect()
    }

    fn column_names(&self) -> Vec<String> {
        match &self.0.inner {
            AliasTarget::Table(t) => t.columns().iter().map(|c| c.name.clone()).collect(),
            AliasTarget::Select(s) => s.output_names(),
        }
    }

    /// Joins `other`, ON inferred from foreign keys.
    pub fn join(&self, other: impl Into<FromItem>) -> FromItem {
        FromItem::Alias(self.clone()).join(other)
    }
    /// `JOIN other ON on`.
    pub fn join_on(&self, other: impl Into<FromItem>, on: impl Into<Expr>) -> FromItem {
        FromItem::Alias(self.clone()).join_on(other, on)
    }
    /// `LEFT OUTER JOIN other`, ON inferred from foreign keys: an alias of a table keeps the
    /// table's foreign keys.
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
    /// let e = emp.alias("e");
    /// let stmt = select((e.c("id"), dept.c("id"))).select_from(e.outerjoin(&dept));
    /// assert_eq!(stmt.to_string(),
    ///     "SELECT e.id, dept.id FROM emp AS e LEFT OUTER JOIN dept ON e.dept_id = dept.id");
    /// # Ok::<(), athanor_core::Error>(())
    /// ```
    pub fn outerjoin(&self, other: impl Into<FromItem>) -> FromItem {
        FromItem::Alias(self.clone()).outerjoin(other)
    }
    /// `LEFT OUTER JOIN other ON on`.
    pub fn outerjoin_on(&self, other: impl Into<FromItem>, on: impl Into<Expr>) -> FromItem {
        FromItem::Alias(self.clone()).outerjoin_on(other, on)
    }
}

/// A common table expression: `WITH name AS (SELECT ...)`, recursive or not.
#[derive(Debug, Clone)]
pub struct Cte(pub(crate) Arc<CteData>);

/// What a [`Cte`] holds.
#[derive(Debug)]
pub struct CteData {
    /// The CTE's name.
    pub name: String,
    /// Its query (for a recursive CTE, set by [`Cte::union_all`] after creation).
    pub select: std::sync::OnceLock<SelectBase>,
    /// The anchor's output columns (fixed at creation).
    pub columns: Vec<(String, Type)>,
    /// `WITH RECURSIVE`.
    pub recursive: bool,
}

impl Hash for CteData {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.name.hash(state);
        self.recursive.hash(state);
        // A recursive CTE's column list is rendered; the types are its columns' types.
        self.columns.hash(state);
        self.select.get().hash(state);
    }
}

/// By identity, as [`FromItem`]'s hash: the value walk meets each CTE object once.
impl Hash for Cte {
    fn hash<H: Hasher>(&self, state: &mut H) {
        crate::sql::identity::hash_shared(Arc::as_ptr(&self.0) as usize, state, |s| self.0.hash(s));
    }
}

impl Cte {
    pub(crate) fn new(select: SelectBase, name: String, recursive: bool) -> Cte {
        let columns = select
            .output_names()
            .into_iter()
            .map(|n| {
                let ty = select.output_column(&n).unwrap_or(Type::Null);
                (n, ty)
            })
            .collect();
        let cell = std::sync::OnceLock::new();
        let _ = cell.set(select);
        Cte(Arc::new(CteData {
            name,
            select: cell,
            columns,
            recursive,
        }))
    }

    /// The CTE's name.
    pub fn name(&self) -> &str {
        &self.0.name
    }

    /// What the CTE holds.
    pub fn data(&self) -> &CteData {
        &self.0
    }

    /// A column of the CTE.
    ///
    /// # Panics
    /// When there is no such column; see [`Cte::try_c`].
    #[track_caller]
    pub fn c(&self, name: &str) -> Expr {
        match self.try_c(name) {
            Ok(e) => e,
            Err(e) => panic!("{e}"),
        }
    }

    /// A column of the CTE, or [`Error::NoSuchColumn`].
    ///
    /// # Errors
    /// [`Error::NoSuchColumn`] when the CTE has no such column.
    pub fn try_c(&self, name: &str) -> Result<Expr> {
        match self.0.columns.iter().find(|(n, _)| n == name) {
            Some((n, ty)) => Ok(FromItem::Cte(self.clone()).column_ref(n, ty.clone())),
            None => Err(Error::NoSuchColumn {
                table: self.0.name.clone(),
                column: name.to_string(),
            }),
        }
    }

    fn column_names(&self) -> Vec<String> {
        self.0.columns.iter().map(|(n, _)| n.clone()).collect()
    }

    /// Makes a recursive CTE's body `anchor UNION ALL recursive_part`; the recursive part
    /// refers to the CTE itself through its columns.
    ///
    /// ```
    /// use athanor_core::prelude::*;
    /// let anchor = select(literal(1).label("n"));
    /// let nums = anchor.clone().cte_recursive("nums");
    /// let step = select((nums.c("n") + 1).label("n")).filter(nums.c("n").lt(5));
    /// let nums = nums.union_all(step);
    /// let stmt = select(nums.c("n"));
    /// assert_eq!(stmt.to_string(),
    ///   "WITH RECURSIVE nums(n) AS (SELECT :param_1 AS n UNION ALL SELECT nums.n + :param_2 AS n FROM nums WHERE nums.n < :param_3) SELECT nums.n FROM nums");
    /// ```
    pub fn union_all(self, recursive_part: impl Into<SelectBase>) -> Cte {
        self.combine(recursive_part, crate::sql::select::SetOp::UnionAll)
    }

    /// As [`Cte::union_all`] with `UNION`.
    pub fn union(self, recursive_part: impl Into<SelectBase>) -> Cte {
        self.combine(recursive_part, crate::sql::select::SetOp::Union)
    }

    fn combine(self, part: impl Into<SelectBase>, op: crate::sql::select::SetOp) -> Cte {
        let anchor = self.0.select.get().cloned();
        let Some(anchor) = anchor else { return self };
        let body = crate::sql::select::CompoundSelect::new(op, vec![anchor, part.into()]);
        let new = Cte(Arc::new(CteData {
            name: self.0.name.clone(),
            select: std::sync::OnceLock::new(),
            columns: self.0.columns.clone(),
            recursive: true,
        }));
        // The recursive part refers to the CTE by name; references to the old handle render the
        // same, so the new handle can carry the combined body.
        let _ = new.0.select.set(SelectBase::Compound(Box::new(body)));
        new
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{Column, ForeignKey, MetaData};

    #[test]
    fn an_inferred_on_is_what_the_tables_columns_would_write() {
        let md = MetaData::new();
        let users = Table::build("users", &md)
            .column(Column::new("id", Type::Integer).primary_key())
            .finish()
            .unwrap();
        let posts = Table::build("posts", &md)
            .column(Column::new("id", Type::Integer).primary_key())
            .column(Column::new("user_id", Type::Integer).foreign_key(ForeignKey::new("users.id")))
            .finish()
            .unwrap();
        let FromItem::Join(j) = users.outerjoin(&posts) else {
            panic!("not a join");
        };
        let JoinOn::On(on) = &j.on else {
            panic!("no ON inferred: {:?}", j.on);
        };
        // The same columns (primary key flag and all), not stand-ins that only share a name.
        let by_hand = users.c("id").eq(posts.c("user_id"));
        assert_eq!(format!("{on:?}"), format!("{by_hand:?}"));
    }
}
