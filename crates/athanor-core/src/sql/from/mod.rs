//! FROM-clause items: tables, aliases, subqueries, CTEs and joins.
//!
//! This module holds [`FromItem`]; aliases are in `alias`, CTEs in `cte`, joins in `join` and
//! the inference of a join's ON clause from foreign keys in `infer`.

mod alias;
mod cte;
mod infer;
mod join;

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use crate::schema::{ColumnData, Table};
use crate::sql::expr::{ColumnRef, Expr};
use crate::types::Type;

pub use alias::{Alias, AliasData, AliasTarget};
pub use cte::{Cte, CteData};
pub(crate) use infer::can_join;
pub use join::{Join, JoinKind, JoinOn};

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
    /// True when this is the table `t` itself (not an alias of it).
    pub fn is_table(&self, t: &Table) -> bool {
        matches!(self, FromItem::Table(x) if x.same_as(t))
    }

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
            (FromItem::Cte(a), FromItem::Cte(b)) => {
                Arc::ptr_eq(&a.0, &b.0)
                    || (!a.0.anonymous && !b.0.anonymous && a.0.name == b.0.name)
            }
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
                AliasTarget::Select(_) | AliasTarget::Cte(_) | AliasTarget::Values(_) => None,
            },
            _ => None,
        }
    }

    /// Joins `other` with the ON clause inferred from foreign keys (`INNER JOIN`).
    ///
    /// If there is no foreign key between the two, or more than one, compiling the statement
    /// fails with [`Error::NoForeignKeys`](crate::Error::NoForeignKeys) /
    /// [`Error::AmbiguousForeignKeys`](crate::Error::AmbiguousForeignKeys); use
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
