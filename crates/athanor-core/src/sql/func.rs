//! SQL functions: `func::count(x)`, `func::coalesce(...)`, any named function with
//! [`func::call`](call).
//!
//! ```
//! use athanor_core::prelude::*;
//! let e = func::count_star().label("n");
//! assert_eq!(select(e).to_string(), "SELECT count(*) AS n");
//! let any = func::call("my_func", [column("a"), literal(1)]);
//! assert_eq!(select(any).to_string(), "SELECT my_func(a, :param_1) AS my_func_1");
//! ```

use std::sync::Arc;

use crate::sql::expr::{Expr, FunctionCall};
use crate::types::Type;

/// Any SQL function by name.
pub fn call<I, E>(name: &str, args: I) -> Expr
where
    I: IntoIterator<Item = E>,
    E: Into<Expr>,
{
    typed(name, args.into_iter().map(Into::into).collect(), Type::Null)
}

fn typed(name: &str, args: Vec<Expr>, ty: Type) -> Expr {
    Expr::Function(Box::new(FunctionCall {
        name: Arc::from(name),
        args,
        distinct: false,
        ty,
    }))
}

/// `count(e)`.
pub fn count(e: impl Into<Expr>) -> Expr {
    typed("count", vec![e.into()], Type::Integer)
}
/// `count(*)`.
pub fn count_star() -> Expr {
    typed("count", Vec::new(), Type::Integer)
}
/// `count(DISTINCT e)`.
pub fn count_distinct(e: impl Into<Expr>) -> Expr {
    count(e).distinct()
}
/// `sum(e)`.
pub fn sum(e: impl Into<Expr>) -> Expr {
    let e = e.into();
    let ty = e.sql_type();
    typed("sum", vec![e], ty)
}
/// `avg(e)`: untyped, as SQLAlchemy's `func.avg`, so its value is what the database computes
/// (a decimal on PostgreSQL and MySQL, a float on SQLite); read it as `f64` or `Decimal`.
pub fn avg(e: impl Into<Expr>) -> Expr {
    typed("avg", vec![e.into()], Type::Null)
}
/// `min(e)`.
pub fn min(e: impl Into<Expr>) -> Expr {
    let e = e.into();
    let ty = e.sql_type();
    typed("min", vec![e], ty)
}
/// `max(e)`.
pub fn max(e: impl Into<Expr>) -> Expr {
    let e = e.into();
    let ty = e.sql_type();
    typed("max", vec![e], ty)
}
/// `coalesce(a, b, ...)`.
pub fn coalesce<I, E>(args: I) -> Expr
where
    I: IntoIterator<Item = E>,
    E: Into<Expr>,
{
    let args: Vec<Expr> = args.into_iter().map(Into::into).collect();
    let ty = args.first().map(Expr::sql_type).unwrap_or(Type::Null);
    typed("coalesce", args, ty)
}
/// `lower(e)`.
pub fn lower(e: impl Into<Expr>) -> Expr {
    typed("lower", vec![e.into()], Type::Text)
}
/// `upper(e)`.
pub fn upper(e: impl Into<Expr>) -> Expr {
    typed("upper", vec![e.into()], Type::Text)
}
/// `length(e)`, rendered as named on every database, as SQLAlchemy's `func.length`: it counts
/// characters on SQLite and PostgreSQL but **bytes** on MySQL. To count characters on every
/// database, use [`char_length`].
pub fn length(e: impl Into<Expr>) -> Expr {
    typed("length", vec![e.into()], Type::Integer)
}
/// `char_length(e)`: the number of characters, on every database (SQLAlchemy's
/// `func.char_length`; SQLite, which has no `char_length`, counts characters with `length`).
///
/// ```
/// use athanor_core::prelude::*;
/// use athanor_core::dialect::{MySql, Postgres, Sqlite};
/// let stmt = select(func::char_length(column("name")).label("n"));
/// assert_eq!(stmt.compile(&Sqlite)?.sql(), "SELECT length(name) AS n");
/// assert_eq!(stmt.compile(&Postgres)?.sql(), "SELECT char_length(name) AS n");
/// assert_eq!(stmt.compile(&MySql)?.sql(), "SELECT char_length(name) AS n");
/// # Ok::<(), athanor_core::Error>(())
/// ```
pub fn char_length(e: impl Into<Expr>) -> Expr {
    typed("char_length", vec![e.into()], Type::Integer)
}
/// `abs(e)`.
pub fn abs(e: impl Into<Expr>) -> Expr {
    let e = e.into();
    let ty = e.sql_type();
    typed("abs", vec![e], ty)
}
/// `round(e, digits)`.
pub fn round(e: impl Into<Expr>, digits: i32) -> Expr {
    let e = e.into();
    let ty = e.sql_type();
    typed("round", vec![e, Expr::from(digits)], ty)
}
/// `trim(e)`.
pub fn trim(e: impl Into<Expr>) -> Expr {
    typed("trim", vec![e.into()], Type::Text)
}
/// `substr(e, start, len)`.
pub fn substr(e: impl Into<Expr>, start: i64, len: i64) -> Expr {
    typed(
        "substr",
        vec![e.into(), Expr::from(start), Expr::from(len)],
        Type::Text,
    )
}
/// `replace(e, from, to)`.
pub fn replace(e: impl Into<Expr>, from: &str, to: &str) -> Expr {
    typed(
        "replace",
        vec![e.into(), Expr::from(from), Expr::from(to)],
        Type::Text,
    )
}
/// `now()`: the current timestamp (`CURRENT_TIMESTAMP` on SQLite).
pub fn now() -> Expr {
    typed("now", Vec::new(), Type::DateTime)
}
/// `current_date`.
pub fn current_date() -> Expr {
    Expr::Raw(Arc::from("CURRENT_DATE"))
}
/// `current_timestamp`.
pub fn current_timestamp() -> Expr {
    Expr::Raw(Arc::from("CURRENT_TIMESTAMP"))
}
/// `row_number()` (a window function: use with `.over(...)`).
pub fn row_number() -> Expr {
    typed("row_number", Vec::new(), Type::Integer)
}
/// `rank()` (window).
pub fn rank() -> Expr {
    typed("rank", Vec::new(), Type::Integer)
}
/// `dense_rank()` (window).
pub fn dense_rank() -> Expr {
    typed("dense_rank", Vec::new(), Type::Integer)
}
/// `lag(e)` (window).
pub fn lag(e: impl Into<Expr>) -> Expr {
    let e = e.into();
    let ty = e.sql_type();
    typed("lag", vec![e], ty)
}
/// `lead(e)` (window).
pub fn lead(e: impl Into<Expr>) -> Expr {
    let e = e.into();
    let ty = e.sql_type();
    typed("lead", vec![e], ty)
}
/// `random()` (`rand()` on MySQL).
pub fn random() -> Expr {
    typed("random", Vec::new(), Type::Double)
}
