//! The expression language: plain data describing SQL, rendered by a dialect.
//!
//! Build statements with [`select`], [`Table::insert`](crate::schema::Table::insert),
//! [`Table::update`](crate::schema::Table::update), [`Table::delete`](crate::schema::Table::delete)
//! and [`text`]; compile them with `stmt.compile(&dialect)` or print them (`Display` shows the
//! SQL the way SQLAlchemy's `print(stmt)` does, with named parameters).

mod ddl;
mod ddl_select;
mod dml;
pub(crate) mod expr;
mod from;
pub mod func;
mod grouping;
pub(crate) mod identity;
mod implicit_join;
mod memo;
mod names;
mod select;
mod text;
mod values;
pub(crate) mod visit;

pub use ddl::Ddl;
pub use ddl_select::{CreateTableAs, CreateView, DropView};
pub use dml::{
    ConflictAction, Delete, Insert, InsertSource, OnConflict, Update, Values, delete, insert,
    update,
};
pub use expr::{
    AffixKind, BinaryOp, BoolOp, Case, ColumnRef, DatePart, Direction, Exists, Expanding,
    ExpandingBind, Expr, Frame, FrameBound, FunctionCall, InItem, IntoInValues, IntoOrderBy,
    IntoOrderTarget, JsonKey, LikeAffix, LiteralExpanding, Nulls, Ordering, ValueFrame, Window,
    and_, asc, bindparam, bindparam_expanding, bindparam_typed, case, cast, column, desc, distinct,
    excluded, exists, extract, false_, literal, literal_column, not_, null, or_, true_, tuple_,
};
pub use from::{Alias, AliasData, AliasTarget, Cte, CteData, FromItem, Join, JoinKind, JoinOn};
pub use grouping::IntoGroupBy;
pub(crate) use select::dedupe_names;
pub use select::{
    CompoundSelect, FetchOptions, ForUpdate, IntoColumns, IntoLimit, Select, SelectBase,
    SelectParts, SetOp, select,
};
pub use text::{TextClause, text};
pub use values::{ValuesClause, ValuesData, values};
pub use visit::BindRef;

/// `a UNION b UNION ...` (SQLAlchemy's `union(*selects)`).
pub fn union<I: IntoIterator<Item = S>, S: Into<SelectBase>>(selects: I) -> CompoundSelect {
    CompoundSelect::new(SetOp::Union, selects.into_iter().map(Into::into).collect())
}
/// `a UNION ALL b ...`.
pub fn union_all<I: IntoIterator<Item = S>, S: Into<SelectBase>>(selects: I) -> CompoundSelect {
    CompoundSelect::new(
        SetOp::UnionAll,
        selects.into_iter().map(Into::into).collect(),
    )
}
/// `a INTERSECT b ...`.
pub fn intersect<I: IntoIterator<Item = S>, S: Into<SelectBase>>(selects: I) -> CompoundSelect {
    CompoundSelect::new(
        SetOp::Intersect,
        selects.into_iter().map(Into::into).collect(),
    )
}
/// `a EXCEPT b ...`.
pub fn except<I: IntoIterator<Item = S>, S: Into<SelectBase>>(selects: I) -> CompoundSelect {
    CompoundSelect::new(SetOp::Except, selects.into_iter().map(Into::into).collect())
}
/// `a INTERSECT ALL b ...` (not on SQLite).
pub fn intersect_all<I: IntoIterator<Item = S>, S: Into<SelectBase>>(selects: I) -> CompoundSelect {
    CompoundSelect::new(
        SetOp::IntersectAll,
        selects.into_iter().map(Into::into).collect(),
    )
}
/// `a EXCEPT ALL b ...` (not on SQLite).
pub fn except_all<I: IntoIterator<Item = S>, S: Into<SelectBase>>(selects: I) -> CompoundSelect {
    CompoundSelect::new(
        SetOp::ExceptAll,
        selects.into_iter().map(Into::into).collect(),
    )
}
/// `*` in a SELECT list: `select(star())` (SQLAlchemy's `literal_column("*")`).
pub fn star() -> Expr {
    Expr::Star(None)
}

/// A borrowed statement of any kind: what compilers and engines take.
#[derive(Debug, Clone, Copy, Hash)]
pub enum StatementRef<'a> {
    /// A SELECT.
    Select(&'a Select),
    /// A compound SELECT.
    Compound(&'a CompoundSelect),
    /// An INSERT.
    Insert(&'a Insert),
    /// An UPDATE.
    Update(&'a Update),
    /// A DELETE.
    Delete(&'a Delete),
    /// Raw SQL.
    Text(&'a TextClause),
    /// DDL.
    Ddl(&'a Ddl),
}

impl StatementRef<'_> {
    /// The statement's memoized shape, for the kinds that keep one.
    pub(crate) fn memo(&self) -> Option<&memo::ShapeMemo> {
        match self {
            StatementRef::Select(s) => Some(s.memo()),
            StatementRef::Insert(i) => Some(i.memo()),
            StatementRef::Update(u) => Some(u.memo()),
            StatementRef::Delete(d) => Some(d.memo()),
            StatementRef::Compound(_) | StatementRef::Text(_) | StatementRef::Ddl(_) => None,
        }
    }
}

/// Anything that can be compiled and executed: the statement types implement it.
///
/// This trait is sealed: the statement kinds are Athanor's.
pub trait Executable: private::Sealed {
    /// The statement, borrowed.
    fn statement(&self) -> StatementRef<'_>;
}

mod private {
    pub trait Sealed {}
}

macro_rules! executable {
    ($($t:ty => $v:ident),*) => {$(
        impl private::Sealed for $t {}
        impl Executable for $t {
            fn statement(&self) -> StatementRef<'_> {
                StatementRef::$v(self)
            }
        }
    )*};
}
executable!(Select => Select, CompoundSelect => Compound, Insert => Insert, Update => Update,
    Delete => Delete, TextClause => Text, Ddl => Ddl);

impl private::Sealed for SelectBase {}
impl Executable for SelectBase {
    fn statement(&self) -> StatementRef<'_> {
        match self {
            SelectBase::Select(s) => StatementRef::Select(s),
            SelectBase::Compound(c) => StatementRef::Compound(c),
        }
    }
}
impl<T: Executable + ?Sized> private::Sealed for &T {}
impl<T: Executable + ?Sized> Executable for &T {
    fn statement(&self) -> StatementRef<'_> {
        (**self).statement()
    }
}
