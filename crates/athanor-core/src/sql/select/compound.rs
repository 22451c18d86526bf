//! Set operations: [`SetOp`], [`CompoundSelect`] and the `union`/`intersect`/`except` methods
//! of [`Select`].

use crate::sql::expr::{Expr, IntoOrderBy, Ordering};
use crate::sql::from::{Alias, Cte};
use crate::sql::select::{Select, SelectBase};

impl Select {
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
    /// LIMIT for the whole compound (a number, a `bindparam` or an expression, as
    /// [`Select::limit`](super::Select::limit)).
    pub fn limit(mut self, n: impl super::IntoLimit) -> Self {
        self.limit = Some(n.into_limit());
        self
    }
    /// OFFSET for the whole compound, as [`CompoundSelect::limit`].
    pub fn offset(mut self, n: impl super::IntoLimit) -> Self {
        self.offset = Some(n.into_limit());
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
