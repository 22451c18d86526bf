//! [`Expr`]: the expression tree, the data every statement is built from. Around it, one
//! module per job:
//!
//! | module | holds |
//! |---|---|
//! | `methods` | the methods that build on an expression: `eq`, `like`, `in_`, `between`, `label`, `cast`, `over`, ... |
//! | `operators` | [`BinaryOp`], [`BoolOp`] and Rust's operators on expressions (`&`, `\|`, `!`, `+`, `/`, ...) |
//! | `constructors` | the free functions: [`column`], [`literal`], [`bindparam`], [`tuple_`], [`case`], [`distinct`], ... |
//! | `exists` | [`exists()`] and its builder |
//! | `json` | elements of a JSON document: [`Expr::index`], [`Expr::path`], `as_string()`, ... |
//! | `ordering` | ORDER BY items: [`Ordering`], [`asc`], [`desc`], what `order_by` accepts |
//! | `window` | [`Window`] specifications for `OVER (...)` |
//! | `types` | the SQL type of an expression, and the types operators see |

mod constructors;
mod exists;
mod json;
mod methods;
mod operators;
mod ordering;
pub(crate) mod types;
mod window;

use std::sync::Arc;

use crate::schema::ColumnData;
use crate::sql::from::FromItem;
use crate::sql::select::SelectBase;
use crate::types::{Type, Value};

pub use constructors::{
    Case, ExpandingBind, bindparam, bindparam_expanding, bindparam_typed, case, cast, column,
    distinct, excluded, extract, false_, literal, literal_column, null, true_, tuple_,
};
pub use exists::{Exists, exists};
pub use json::JsonKey;
pub(crate) use json::dollar_path;
pub use methods::{InItem, IntoInValues, LiteralExpanding};
pub use operators::{BinaryOp, BoolOp, and_, not_, or_};
pub use ordering::{Direction, IntoOrderBy, IntoOrderTarget, Nulls, Ordering, asc, desc};
pub use window::{Frame, FrameBound, ValueFrame, Window};

/// A column of a table, alias, subquery or CTE, as used in an expression.
#[derive(Debug, Clone)]
pub struct ColumnRef {
    /// Where the column comes from.
    pub from: FromItem,
    /// The column's definition (name, type).
    pub column: Arc<ColumnData>,
}

impl ColumnRef {
    /// The column's name.
    pub fn name(&self) -> &str {
        &self.column.name
    }
}

/// Part of a statement's cache key: where the column comes from (in full, as the compiler and
/// the value walk read it: an alias's or CTE's query the first time it is met), and the
/// column's name and type (the type decides how the compiler renders some operators and empty
/// IN lists).
impl std::hash::Hash for ColumnRef {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.from.hash(state);
        // The digest of the name and type, taken when the column was made: one fixed-size
        // write.
        state.write_u128(self.column.name_key.0);
    }
}

/// The values of an expanding `IN` parameter, flat, and how many make one item (1; a
/// tuple's arity for tuple IN). The list's length takes no part in the statement's cache key:
/// the list is expanded when the statement is executed; the item width does, and so does
/// whether the statement uses this list object elsewhere too (see
/// [`cache_key`](crate::compiler::cache_key)).
#[derive(Debug, Clone)]
pub struct Expanding(pub Arc<[Value]>, pub usize);

impl std::hash::Hash for Expanding {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        let addr = self.0.as_ptr() as usize;
        let width = self.1;
        crate::sql::identity::hash_shared(addr, state, |s| {
            s.write_u8(0xE7);
            s.write_usize(width);
        });
    }
}

/// Where a [`contains`](Expr::contains), [`startswith`](Expr::startswith) or
/// [`endswith`](Expr::endswith) puts its `%`, and the needle it was given, as written.
///
/// The LIKE's pattern is built from these; [`Expr::escape`] and [`Expr::autoescape`]
/// rebuild it. Takes no part in a statement's cache key beyond its kind (the pattern is a
/// bound value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LikeAffix {
    /// The text searched for, as the caller gave it.
    pub needle: Arc<str>,
    /// `%needle%`, `needle%` or `%needle`.
    pub kind: AffixKind,
}

/// Which of [`Expr::contains`], [`Expr::startswith`], [`Expr::endswith`] built a LIKE.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AffixKind {
    /// `%needle%`.
    Contains,
    /// `needle%`.
    StartsWith,
    /// `%needle`.
    EndsWith,
}

impl std::hash::Hash for LikeAffix {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.kind.hash(state);
    }
}

/// Parts of a date or time for [`Expr::extract`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DatePart {
    /// Year.
    Year,
    /// Month (1–12).
    Month,
    /// Day of month.
    Day,
    /// Hour.
    Hour,
    /// Minute.
    Minute,
    /// Second.
    Second,
    /// Day of week (0 = Sunday).
    Dow,
    /// Day of year.
    Doy,
    /// Quarter.
    Quarter,
    /// Week of year.
    Week,
    /// Seconds since 1970.
    Epoch,
}

impl DatePart {
    /// The SQL name (`year`, `month`, ...).
    pub fn name(self) -> &'static str {
        match self {
            DatePart::Year => "year",
            DatePart::Month => "month",
            DatePart::Day => "day",
            DatePart::Hour => "hour",
            DatePart::Minute => "minute",
            DatePart::Second => "second",
            DatePart::Dow => "dow",
            DatePart::Doy => "doy",
            DatePart::Quarter => "quarter",
            DatePart::Week => "week",
            DatePart::Epoch => "epoch",
        }
    }
}

/// A SQL function call: `name(args)`.
#[derive(Debug, Clone, Hash)]
pub struct FunctionCall {
    /// The function's name, rendered as given (`count`, `coalesce`, `my_func`).
    pub name: Arc<str>,
    /// Its arguments; `count()` with none renders `count(*)`.
    pub args: Vec<Expr>,
    /// `DISTINCT` inside the call (`count(DISTINCT x)`).
    pub distinct: bool,
    /// The result type, when known.
    pub ty: Type,
}

/// A SQL expression: a column, a bound value, an operator applied to expressions, a function,
/// a subquery, ...
///
/// Expressions are plain data; a dialect renders them. Values are always bound parameters.
///
/// ```
/// use athanor_core::prelude::*;
/// let md = MetaData::new();
/// let users = Table::build("users", &md)
///     .column(Column::new("name", Type::String(None)))
///     .column(Column::new("age", Type::Float))
///     .finish()?;
/// let cond = users.c("age").gt(30) & users.c("name").like("B%");
/// let stmt = select(&users).filter(cond);
/// assert_eq!(
///     stmt.to_string(),
///     "SELECT users.name, users.age FROM users WHERE users.age > :param_1 AND users.name LIKE :param_2"
/// );
/// # Ok::<(), athanor_core::Error>(())
/// ```
#[derive(Debug, Clone, Hash)]
#[non_exhaustive]
pub enum Expr {
    /// A column.
    Column(ColumnRef),
    /// A value, sent as a bound parameter.
    Value(Value),
    /// A named parameter whose value is given at execution (`bindparam("name")`).
    BindParam(Arc<str>),
    /// The keyword `NULL`.
    Null,
    /// A boolean constant (`true`/`1`, by dialect).
    Bool(bool),
    /// Raw SQL for a column or expression (`literal_column("x")`); never holds values.
    Raw(Arc<str>),
    /// A column reference by name alone, unqualified (`column("x")`).
    Name(Arc<str>),
    /// A name in ORDER BY (`order_by("x")`, `desc("# of albums")`): a label or column of the
    /// statement, resolved when it is compiled (see [`IntoOrderBy`]).
    LabelRef(Arc<str>),
    /// `left op right`.
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    /// `a AND b AND c` / `a OR b`.
    Bool2(BoolOp, Vec<Expr>),
    /// `NOT expr`.
    Not(Box<Expr>),
    /// `-expr`.
    Neg(Box<Expr>),
    /// `~expr`, bitwise NOT ([`Expr::bitwise_not`]).
    BitNot(Box<Expr>),
    /// `expr IS NULL` / `IS NOT NULL` (`negated`).
    IsNull(Box<Expr>, bool),
    /// `expr [NOT] LIKE pattern [ESCAPE c]`, or ILIKE when `case_insensitive`.
    Like {
        /// The tested expression.
        expr: Box<Expr>,
        /// The pattern.
        pattern: Box<Expr>,
        /// The escape character.
        escape: Option<char>,
        /// ILIKE.
        case_insensitive: bool,
        /// NOT LIKE.
        negated: bool,
        /// The needle of a [`contains`](Expr::contains), [`startswith`](Expr::startswith) or
        /// [`endswith`](Expr::endswith), so [`escape`](Expr::escape) and
        /// [`autoescape`](Expr::autoescape) can rebuild the pattern; `None` for a plain LIKE.
        affix: Option<Arc<LikeAffix>>,
    },
    /// `expr [NOT] BETWEEN low AND high`.
    Between(Box<Expr>, Box<Expr>, Box<Expr>, bool),
    /// `expr [NOT] IN (values...)`: one expanding parameter, sized at execution.
    InValues(Box<Expr>, Expanding, bool),
    /// `expr [NOT] IN (...)` over a list given at execution by name
    /// ([`bindparam_expanding`]): one placeholder per item, sized when executed.
    InParam(Box<Expr>, Arc<str>, bool),
    /// `expr [NOT] IN (expressions...)`.
    InList(Box<Expr>, Vec<Expr>, bool),
    /// `expr [NOT] IN (SELECT ...)`.
    InSelect(Box<Expr>, Arc<SelectBase>, bool),
    /// `(a, b, ...)`.
    Tuple(Vec<Expr>),
    /// A function call (boxed, as are the types below: every expression is as large as the
    /// largest variant, and most are columns and values).
    Function(Box<FunctionCall>),
    /// `CAST(expr AS type)`.
    Cast(Box<Expr>, Box<Type>),
    /// `CASE [value] WHEN ... THEN ... [ELSE ...] END`.
    Case {
        /// The value compared in a "simple" CASE.
        value: Option<Box<Expr>>,
        /// `WHEN cond THEN result` pairs.
        whens: Vec<(Expr, Expr)>,
        /// `ELSE`.
        else_: Option<Box<Expr>>,
    },
    /// `func OVER (window)`.
    Over(Box<Expr>, Box<Window>),
    /// `func FILTER (WHERE cond)`.
    Filter(Box<Expr>, Box<Expr>),
    /// `EXTRACT(part FROM expr)`.
    Extract(DatePart, Box<Expr>),
    /// An element of a JSON document, read as `ty` ([`Expr::index`], [`Expr::path`],
    /// [`Expr::as_string`], ...).
    JsonGet {
        /// The document.
        doc: Box<Expr>,
        /// The keys and positions to the element.
        path: Vec<JsonKey>,
        /// [`Type::Json`], or the SQL type the element is read as.
        ty: Box<Type>,
    },
    /// `expr AS name`.
    Label(Arc<str>, Box<Expr>),
    /// `(SELECT ...)` used as a value.
    ScalarSubquery(Arc<SelectBase>),
    /// `EXISTS (SELECT ...)`.
    Exists(Arc<SelectBase>),
    /// Every column of a table or subquery: `table.*`.
    Star(Option<FromItem>),
    /// `excluded.col` in an upsert's update (`VALUES(col)` on MySQL).
    Excluded(Arc<str>),
    /// An expression with its SQL type given explicitly (`type_coerce`).
    Typed(Box<Expr>, Box<Type>),
    /// `DISTINCT expr`, as an aggregate's argument (`count(DISTINCT x)`): [`distinct`].
    Distinct(Box<Expr>),
    /// An expression whose bound parameters are written into the SQL as literals when it is
    /// executed ([`Expr::literal_execute`]).
    LiteralExecute(Box<Expr>),
    /// A sequence's next value: [`crate::schema::Sequence::next_value`].
    NextValue(Box<crate::schema::Sequence>),
}

/// Anything that can stand where an expression is expected: expressions, and Rust values
/// (which become bound parameters).
impl From<Value> for Expr {
    fn from(v: Value) -> Self {
        match v {
            Value::Null => Expr::Value(Value::Null),
            v => Expr::Value(v),
        }
    }
}

macro_rules! expr_from_value {
    ($($t:ty),*) => {$(
        impl From<$t> for Expr {
            fn from(v: $t) -> Self {
                Expr::Value(Value::from(v))
            }
        }
    )*};
}
expr_from_value!(
    bool,
    i8,
    i16,
    i32,
    i64,
    u8,
    u16,
    u32,
    u64,
    usize,
    f32,
    f64,
    String,
    &str,
    &String,
    Vec<u8>
);

impl<T: Into<Value>> From<Option<T>> for Expr {
    fn from(v: Option<T>) -> Self {
        Expr::Value(v.map_or(Value::Null, Into::into))
    }
}

impl From<&Expr> for Expr {
    fn from(e: &Expr) -> Self {
        e.clone()
    }
}

fn b(e: impl Into<Expr>) -> Box<Expr> {
    Box::new(e.into())
}

#[cfg(test)]
mod tests {
    use super::Expr;

    /// Every expression is as large as the largest variant: a statement's columns, VALUES rows
    /// and WHERE trees are vectors and boxes of them. Large payloads go behind a `Box`.
    #[test]
    fn an_expression_stays_small() {
        assert!(
            std::mem::size_of::<Expr>() <= 48,
            "Expr grew to {} bytes: box the new variant's payload",
            std::mem::size_of::<Expr>()
        );
    }
}
