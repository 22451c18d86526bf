//! The free functions that build expressions, as SQLAlchemy's public constructors:
//! [`column`], [`literal`], [`literal_column`], [`null`], [`true_`], [`false_`],
//! [`bindparam`], [`bindparam_typed`], [`bindparam_expanding`], [`tuple_`], [`distinct`], [`cast`], [`extract`], [`excluded`], [`case`].

use std::sync::Arc;

use super::{DatePart, Expr, b};
use crate::types::{Type, Value};

/// A column by name alone, unqualified (SQLAlchemy's `column("x")`).
pub fn column(name: &str) -> Expr {
    Expr::Name(Arc::from(name))
}

/// Raw SQL standing for a column or expression (SQLAlchemy's `literal_column`). It is
/// rendered as written; never put user input in it.
pub fn literal_column(sql: &str) -> Expr {
    Expr::Raw(Arc::from(sql))
}

/// A value as an expression: always a bound parameter (SQLAlchemy's `literal`).
pub fn literal(v: impl Into<Value>) -> Expr {
    Expr::Value(v.into())
}

/// The keyword `NULL` (SQLAlchemy's `null()`).
pub fn null() -> Expr {
    Expr::Null
}

/// `true` as a SQL boolean (`1` where booleans are integers).
pub fn true_() -> Expr {
    Expr::Bool(true)
}

/// `false` as a SQL boolean.
pub fn false_() -> Expr {
    Expr::Bool(false)
}

/// A named parameter, given its value at execution time.
///
/// Build a statement once with `bindparam`s and execute it many times with new values
/// (`Connection::execute_with`, `tuples_with`): as in SQLAlchemy, the statement remembers its
/// cache key, so a re-execution neither walks nor hashes its tree again; changing the
/// statement (`.filter(..)`, `.order_by(..)`, ...) forgets what it remembered.
///
/// ```
/// use athanor_core::prelude::*;
/// let stmt = select(column("x")).filter(column("x").eq(bindparam("wanted")));
/// assert_eq!(stmt.to_string(), "SELECT x WHERE x = :wanted");
/// ```
pub fn bindparam(name: &str) -> Expr {
    Expr::BindParam(Arc::from(name))
}

/// A named parameter with a SQL type (SQLAlchemy's `bindparam("x", type_=...)`): the type
/// is the expression's, as [`Expr::type_coerce`] gives, so operators and result columns see
/// it; the value is still given at execution.
///
/// ```
/// use athanor_core::prelude::*;
/// let x = bindparam_typed("x", Type::Integer);
/// assert_eq!(x.sql_type(), Type::Integer);
/// assert_eq!(select(x.label("n")).to_string(), "SELECT :x AS n");
/// ```
pub fn bindparam_typed(name: &str, ty: Type) -> Expr {
    bindparam(name).type_coerce(ty)
}

/// A named list parameter for `IN`, given at execution (SQLAlchemy's
/// `bindparam("q", expanding=True)`): `col.in_(bindparam_expanding("q"))` renders one
/// placeholder per item of the list executed with it (`row! { "q" => vec![1, 2, 3] }`), so
/// every list length shares one cached statement. An empty list renders the dialect's empty
/// set, as [`Expr::in_`] over an empty list does: `IN` is then false and `NOT IN` true. A
/// value that isn't a list is an [`Error::InvalidRequest`](crate::Error::InvalidRequest) at
/// execution. On a [`tuple_`], each item is a tuple of as many values
/// (`row! { "q" => vec![(1, "a"), (2, "b")] }`: tuple IN); items of another length are an
/// `Error::InvalidRequest`.
///
/// ```
/// use athanor_core::prelude::*;
/// use athanor_core::compiler::compile;
/// use athanor_core::dialect::Postgres;
/// let stmt = select(column("id")).filter(column("id").in_(bindparam_expanding("q")));
/// assert_eq!(stmt.to_string(), "SELECT id WHERE id IN (:q)");
/// let c = compile(stmt.statement(), &Postgres)?;
/// let q = Value::from(vec![1, 2, 3]);
/// assert_eq!(c.sql_for(&[], &|_| Some(&q)), "SELECT id WHERE id IN ($1, $2, $3)");
/// let none = Value::from(Vec::<i64>::new());
/// assert_eq!(c.sql_for(&[], &|_| Some(&none)), "SELECT id WHERE id IN (SELECT CAST(NULL AS INTEGER) WHERE 1!=1)");
/// let pairs = select(column("id")).filter(tuple_([column("a"), column("b")]).in_(bindparam_expanding("q")));
/// let c = compile(pairs.statement(), &Postgres)?;
/// let q = Value::from(vec![(1, "x"), (2, "y")]);
/// assert_eq!(c.sql_for(&[], &|_| Some(&q)), "SELECT id WHERE (a, b) IN (($1, $2), ($3, $4))");
/// # Ok::<(), athanor_core::Error>(())
/// ```
pub fn bindparam_expanding(name: &str) -> ExpandingBind {
    ExpandingBind(Arc::from(name))
}

/// The list parameter [`bindparam_expanding`] makes, for [`Expr::in_`] and [`Expr::not_in`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpandingBind(pub(crate) Arc<str>);

/// `(a, b, ...)`, for tuple comparisons and tuple IN.
pub fn tuple_<I: IntoIterator<Item = E>, E: Into<Expr>>(items: I) -> Expr {
    Expr::Tuple(items.into_iter().map(Into::into).collect())
}

/// `DISTINCT e`, for an aggregate's argument (SQLAlchemy's free `distinct()`):
/// `func::count(distinct(x))` is `count(DISTINCT x)`.
///
/// ```
/// use athanor_core::prelude::*;
/// let stmt = select(func::count(distinct(column("album_id"))).label("albums"));
/// assert_eq!(stmt.to_string(), "SELECT count(DISTINCT album_id) AS albums");
/// ```
pub fn distinct(e: impl Into<Expr>) -> Expr {
    Expr::Distinct(b(e))
}

/// `CAST(e AS ty)`.
pub fn cast(e: impl Into<Expr>, ty: Type) -> Expr {
    Expr::Cast(b(e), Box::new(ty))
}

/// `EXTRACT(part FROM e)`.
pub fn extract(part: DatePart, e: impl Into<Expr>) -> Expr {
    Expr::Extract(part, b(e))
}

/// `excluded.col` in an upsert's SET list: the value the INSERT tried to write
/// (`VALUES(col)` on MySQL).
pub fn excluded(column: &str) -> Expr {
    Expr::Excluded(Arc::from(column))
}

/// Builds a `CASE` expression.
///
/// ```
/// use athanor_core::prelude::*;
/// let e = case([(column("x").gt(10), literal("big"))]).else_("small");
/// assert_eq!(select(e.label("size")).to_string(),
///            "SELECT CASE WHEN x > :param_1 THEN :param_2 ELSE :param_3 END AS size");
/// ```
pub fn case<I: IntoIterator<Item = (Expr, Expr)>>(whens: I) -> Case {
    Case {
        value: None,
        whens: whens.into_iter().collect(),
    }
}

/// A `CASE` under construction; finish with [`Case::else_`] or [`Case::end`].
#[derive(Debug, Clone)]
pub struct Case {
    value: Option<Expr>,
    whens: Vec<(Expr, Expr)>,
}

impl Case {
    /// A "simple" CASE comparing `value` with each WHEN.
    pub fn value(mut self, value: impl Into<Expr>) -> Self {
        self.value = Some(value.into());
        self
    }
    /// Adds `WHEN cond THEN result`.
    pub fn when(mut self, cond: impl Into<Expr>, result: impl Into<Expr>) -> Self {
        self.whens.push((cond.into(), result.into()));
        self
    }
    /// Finishes with `ELSE result END`.
    pub fn else_(self, result: impl Into<Expr>) -> Expr {
        Expr::Case {
            value: self.value.map(Box::new),
            whens: self.whens,
            else_: Some(b(result)),
        }
    }
    /// Finishes with `END` (no ELSE: NULL).
    pub fn end(self) -> Expr {
        Expr::Case {
            value: self.value.map(Box::new),
            whens: self.whens,
            else_: None,
        }
    }
}

impl From<Case> for Expr {
    fn from(c: Case) -> Expr {
        c.end()
    }
}
