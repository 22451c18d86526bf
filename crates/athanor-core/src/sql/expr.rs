//! [`Expr`]: column expressions, operators, and the methods that build them.

use std::sync::Arc;

use crate::schema::ColumnData;
use crate::sql::from::FromItem;
use crate::sql::select::SelectBase;
use crate::types::{Type, Value};

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

impl std::hash::Hash for ColumnRef {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.from.hash_identity(state);
        // The name's digest, taken when the column was made: one fixed-size write.
        state.write_u128(self.column.name_key.0);
    }
}

/// The values of an expanding `IN` parameter, flat, and how many make one item (1; a
/// tuple's arity for tuple IN). The list's length takes no part in the statement's cache key:
/// the list is expanded when the statement is executed; the item width does.
#[derive(Debug, Clone)]
pub struct Expanding(pub Arc<[Value]>, pub usize);

impl std::hash::Hash for Expanding {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        state.write_u8(0xE7);
        state.write_usize(self.1);
    }
}

/// One item of an `IN` list of values: a value (anything `Into<Value>`), or a tuple of values
/// for tuple IN (`tuple_([a, b]).in_([(1, "x"), (2, "y")])`).
pub trait InItem {
    /// How many values one item holds.
    const WIDTH: usize;
    /// Appends the item's values.
    fn push_values(self, out: &mut Vec<Value>);
}

impl<T: Into<Value>> InItem for T {
    const WIDTH: usize = 1;
    fn push_values(self, out: &mut Vec<Value>) {
        out.push(self.into());
    }
}

macro_rules! tuple_in_item {
    ($n:literal; $($name:ident),+) => {
        impl<$($name: Into<Value>),+> InItem for ($($name,)+) {
            const WIDTH: usize = $n;
            #[allow(non_snake_case)]
            fn push_values(self, out: &mut Vec<Value>) {
                let ($($name,)+) = self;
                $(out.push($name.into());)+
            }
        }
    };
}
tuple_in_item!(2; A, B);
tuple_in_item!(3; A, B, C);
tuple_in_item!(4; A, B, C, D);
tuple_in_item!(5; A, B, C, D, E);
tuple_in_item!(6; A, B, C, D, E, F);

fn expanding<I, V>(items: I) -> Expanding
where
    I: IntoIterator<Item = V>,
    V: InItem,
{
    let mut values = Vec::new();
    for item in items {
        item.push_values(&mut values);
    }
    Expanding(values.into(), V::WIDTH)
}

/// Binary operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BinaryOp {
    /// `=`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`: true division, as SQLAlchemy 2's `/` (`7 / 2` is 3.5 on every database; see
    /// [`Dialect::visit_truediv`](crate::dialect::Dialect::visit_truediv)).
    Div,
    /// Floor division, SQLAlchemy's `//` ([`Expr::floordiv`]).
    FloorDiv,
    /// `%`
    Mod,
    /// String concatenation (`||`, or `concat()` on MySQL).
    Concat,
    /// `IS` (`IS NULL`, `IS TRUE`).
    Is,
    /// `IS NOT`
    IsNot,
    /// `IS DISTINCT FROM`
    IsDistinctFrom,
    /// `IS NOT DISTINCT FROM`
    IsNotDistinctFrom,
}

impl BinaryOp {
    /// Binding strength: higher binds tighter.
    pub fn precedence(self) -> u8 {
        match self {
            BinaryOp::Mul | BinaryOp::Div | BinaryOp::FloorDiv | BinaryOp::Mod => 8,
            BinaryOp::Add | BinaryOp::Sub => 7,
            BinaryOp::Concat => 6,
            _ => 5,
        }
    }
}

/// Boolean connectives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BoolOp {
    /// `AND`
    And,
    /// `OR`
    Or,
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

/// Sort direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// `ASC`
    Asc,
    /// `DESC`
    Desc,
}

/// NULL placement in an ordering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Nulls {
    /// `NULLS FIRST`
    First,
    /// `NULLS LAST`
    Last,
}

/// An ORDER BY item: an expression, its direction and NULL placement.
///
/// ```
/// use athanor_core::prelude::*;
/// let o = desc("# of albums");           // by label name
/// let p = column("x").asc().nulls_last();
/// # let _ = (o, p);
/// ```
#[derive(Debug, Clone, Hash)]
pub struct Ordering {
    /// What to order by.
    pub expr: Expr,
    /// `ASC`/`DESC`; `None` renders no keyword.
    pub direction: Option<Direction>,
    /// `NULLS FIRST/LAST`.
    pub nulls: Option<Nulls>,
}

impl Ordering {
    /// `NULLS FIRST`.
    pub fn nulls_first(mut self) -> Self {
        self.nulls = Some(Nulls::First);
        self
    }
    /// `NULLS LAST`.
    pub fn nulls_last(mut self) -> Self {
        self.nulls = Some(Nulls::Last);
        self
    }
}

impl<T: Into<Expr>> From<T> for Ordering {
    fn from(e: T) -> Self {
        Ordering {
            expr: e.into(),
            direction: None,
            nulls: None,
        }
    }
}

/// What `order_by` accepts (on [`Select`](crate::sql::Select),
/// [`CompoundSelect`](crate::sql::CompoundSelect) and [`Window`]): an expression or an
/// [`Ordering`]; a string, naming a label or column of the statement (SQLAlchemy's
/// `order_by("name")`, never a bound value); or several of those at once, in a tuple, an
/// array or a `Vec` (SQLAlchemy's `order_by(a, b)`).
///
/// A name is resolved when the statement is compiled: first the SELECT's labels, then its
/// selected columns, then the columns of its FROM list (a UNION's result columns, for a
/// compound; the FROM list's columns, in a window). A name that matches none of them is an
/// [`Error::Compile`](crate::Error::Compile) naming it.
///
/// ```
/// use athanor_core::prelude::*;
/// let md = MetaData::new();
/// let users = Table::build("users", &md)
///     .column(Column::new("id", Type::Integer))
///     .column(Column::new("name", Type::String(Some(50))))
///     .finish()?;
/// let stmt = select((users.c("name"), func::count_star().label("n")))
///     .group_by(users.c("name"))
///     .order_by((desc("n"), "name"));
/// assert_eq!(stmt.to_string(),
///     "SELECT users.name, count(*) AS n FROM users GROUP BY users.name ORDER BY n DESC, users.name");
/// # Ok::<(), athanor_core::Error>(())
/// ```
pub trait IntoOrderBy {
    /// Appends the ORDER BY items.
    fn into_order_by(self, out: &mut Vec<Ordering>);
}

impl IntoOrderBy for Ordering {
    fn into_order_by(self, out: &mut Vec<Ordering>) {
        out.push(self);
    }
}
impl IntoOrderBy for Expr {
    fn into_order_by(self, out: &mut Vec<Ordering>) {
        out.push(Ordering::from(self));
    }
}
impl IntoOrderBy for &Expr {
    fn into_order_by(self, out: &mut Vec<Ordering>) {
        out.push(Ordering::from(self.clone()));
    }
}
impl IntoOrderBy for Case {
    fn into_order_by(self, out: &mut Vec<Ordering>) {
        out.push(Ordering::from(self.end()));
    }
}
impl IntoOrderBy for &str {
    fn into_order_by(self, out: &mut Vec<Ordering>) {
        out.push(Ordering::from(Expr::LabelRef(Arc::from(self))));
    }
}
impl IntoOrderBy for String {
    fn into_order_by(self, out: &mut Vec<Ordering>) {
        self.as_str().into_order_by(out);
    }
}
impl IntoOrderBy for &String {
    fn into_order_by(self, out: &mut Vec<Ordering>) {
        self.as_str().into_order_by(out);
    }
}
impl<T: IntoOrderBy> IntoOrderBy for Vec<T> {
    fn into_order_by(self, out: &mut Vec<Ordering>) {
        for t in self {
            t.into_order_by(out);
        }
    }
}
impl<T: IntoOrderBy, const N: usize> IntoOrderBy for [T; N] {
    fn into_order_by(self, out: &mut Vec<Ordering>) {
        for t in self {
            t.into_order_by(out);
        }
    }
}
macro_rules! tuple_order_by {
    ($($name:ident),+) => {
        impl<$($name: IntoOrderBy),+> IntoOrderBy for ($($name,)+) {
            #[allow(non_snake_case)]
            fn into_order_by(self, out: &mut Vec<Ordering>) {
                let ($($name,)+) = self;
                $($name.into_order_by(out);)+
            }
        }
    };
}
tuple_order_by!(A);
tuple_order_by!(A, B);
tuple_order_by!(A, B, C);
tuple_order_by!(A, B, C, D);
tuple_order_by!(A, B, C, D, E);
tuple_order_by!(A, B, C, D, E, F);
tuple_order_by!(A, B, C, D, E, F, G);
tuple_order_by!(A, B, C, D, E, F, G, H);
tuple_order_by!(A, B, C, D, E, F, G, H, I);
tuple_order_by!(A, B, C, D, E, F, G, H, I, J);
tuple_order_by!(A, B, C, D, E, F, G, H, I, J, K);
tuple_order_by!(A, B, C, D, E, F, G, H, I, J, K, L);

/// The frame of a window function (`ROWS BETWEEN ...`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Frame {
    /// `ROWS` (true) or `RANGE` (false).
    pub rows: bool,
    /// Start: `None` = UNBOUNDED PRECEDING; `Some(n)`: n PRECEDING (negative) / CURRENT ROW (0)
    /// / n FOLLOWING (positive).
    pub start: Option<i64>,
    /// End: `None` = UNBOUNDED FOLLOWING; as `start` otherwise.
    pub end: Option<i64>,
}

/// A window specification: `OVER (PARTITION BY ... ORDER BY ... frame)`.
#[derive(Debug, Clone, Hash, Default)]
pub struct Window {
    /// `PARTITION BY` expressions.
    pub partition_by: Vec<Expr>,
    /// `ORDER BY` items.
    pub order_by: Vec<Ordering>,
    /// The frame.
    pub frame: Option<Frame>,
}

impl Window {
    /// An empty window: `OVER ()`.
    pub fn new() -> Self {
        Self::default()
    }
    /// Adds `PARTITION BY` expressions.
    pub fn partition_by(mut self, e: impl Into<Expr>) -> Self {
        self.partition_by.push(e.into());
        self
    }
    /// Adds `ORDER BY` items: expressions, orderings, or the names of columns of the FROM
    /// list (see [`IntoOrderBy`]).
    pub fn order_by(mut self, o: impl IntoOrderBy) -> Self {
        o.into_order_by(&mut self.order_by);
        self
    }
    /// `ROWS BETWEEN start AND end` (see [`Frame`]).
    pub fn rows(mut self, start: Option<i64>, end: Option<i64>) -> Self {
        self.frame = Some(Frame {
            rows: true,
            start,
            end,
        });
        self
    }
    /// `RANGE BETWEEN start AND end` (see [`Frame`]).
    pub fn range(mut self, start: Option<i64>, end: Option<i64>) -> Self {
        self.frame = Some(Frame {
            rows: false,
            start,
            end,
        });
        self
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
    },
    /// `expr [NOT] BETWEEN low AND high`.
    Between(Box<Expr>, Box<Expr>, Box<Expr>, bool),
    /// `expr [NOT] IN (values...)`: one expanding parameter, sized at execution.
    InValues(Box<Expr>, Expanding, bool),
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

impl Expr {
    fn binary(self, op: BinaryOp, other: impl Into<Expr>) -> Expr {
        Expr::Binary(op, Box::new(self), b(other))
    }

    /// `self = other`; comparing with `None`/NULL renders `IS NULL`, as SQLAlchemy does.
    pub fn eq(self, other: impl Into<Expr>) -> Expr {
        match other.into() {
            Expr::Value(Value::Null) | Expr::Null => Expr::IsNull(Box::new(self), false),
            o => self.binary(BinaryOp::Eq, o),
        }
    }
    /// `self != other`; with NULL, `IS NOT NULL`.
    pub fn ne(self, other: impl Into<Expr>) -> Expr {
        match other.into() {
            Expr::Value(Value::Null) | Expr::Null => Expr::IsNull(Box::new(self), true),
            o => self.binary(BinaryOp::Ne, o),
        }
    }
    /// `self < other`.
    pub fn lt(self, other: impl Into<Expr>) -> Expr {
        self.binary(BinaryOp::Lt, other)
    }
    /// `self <= other`.
    pub fn le(self, other: impl Into<Expr>) -> Expr {
        self.binary(BinaryOp::Le, other)
    }
    /// `self > other`.
    pub fn gt(self, other: impl Into<Expr>) -> Expr {
        self.binary(BinaryOp::Gt, other)
    }
    /// `self >= other`.
    pub fn ge(self, other: impl Into<Expr>) -> Expr {
        self.binary(BinaryOp::Ge, other)
    }
    /// `self IS DISTINCT FROM other`.
    pub fn is_distinct_from(self, other: impl Into<Expr>) -> Expr {
        self.binary(BinaryOp::IsDistinctFrom, other)
    }
    /// `self IS NOT DISTINCT FROM other`.
    pub fn is_not_distinct_from(self, other: impl Into<Expr>) -> Expr {
        self.binary(BinaryOp::IsNotDistinctFrom, other)
    }
    /// `self IS NULL`.
    pub fn is_null(self) -> Expr {
        Expr::IsNull(Box::new(self), false)
    }
    /// `self IS NOT NULL`.
    pub fn is_not_null(self) -> Expr {
        Expr::IsNull(Box::new(self), true)
    }
    /// Floor division, SQLAlchemy's `//`: the largest integer not above `self / other`.
    ///
    /// Rendered as SQLAlchemy renders it: where `/` already truncates two integers (SQLite,
    /// PostgreSQL) it is `a / b`, so a negative integer quotient rounds toward zero there
    /// (`-7 // 2` is -3 on SQLite and PostgreSQL, -4 on MySQL); otherwise `FLOOR(a / b)`
    /// (on SQLite, which has no `FLOOR` unless built with its math functions, the same
    /// computed with `CAST(.. AS INTEGER)`). For true division use `/`.
    ///
    /// ```
    /// use athanor_core::prelude::*;
    /// use athanor_core::dialect::{MySql, Postgres, Sqlite};
    /// let md = MetaData::new();
    /// let t = Table::build("t", &md).column(Column::new("n", Type::Integer)).finish()?;
    /// let stmt = select(t.c("n").floordiv(2).label("half"));
    /// assert_eq!(stmt.compile(&Sqlite)?.sql(), "SELECT t.n / ? AS half FROM t");
    /// assert_eq!(stmt.compile(&Postgres)?.sql(), "SELECT t.n / $1 AS half FROM t");
    /// assert_eq!(stmt.compile(&MySql)?.sql(), "SELECT FLOOR(t.n / ?) AS half FROM t");
    /// // `/` is true division.
    /// let stmt = select((t.c("n") / 2).label("half"));
    /// assert_eq!(stmt.compile(&Sqlite)?.sql(), "SELECT t.n / (? + 0.0) AS half FROM t");
    /// assert_eq!(stmt.compile(&Postgres)?.sql(), "SELECT t.n / CAST($1 AS NUMERIC) AS half FROM t");
    /// assert_eq!(stmt.compile(&MySql)?.sql(), "SELECT t.n / ? AS half FROM t");
    /// # Ok::<(), athanor_core::Error>(())
    /// ```
    pub fn floordiv(self, other: impl Into<Expr>) -> Expr {
        self.binary(BinaryOp::FloorDiv, other)
    }
    /// String concatenation: `self || other` (`concat(self, other)` on MySQL).
    pub fn concat(self, other: impl Into<Expr>) -> Expr {
        self.binary(BinaryOp::Concat, other)
    }

    fn like_(self, pattern: impl Into<Expr>, ci: bool, negated: bool) -> Expr {
        Expr::Like {
            expr: Box::new(self),
            pattern: b(pattern),
            escape: None,
            case_insensitive: ci,
            negated,
        }
    }
    /// `self LIKE pattern`.
    pub fn like(self, pattern: impl Into<Expr>) -> Expr {
        self.like_(pattern, false, false)
    }
    /// `self NOT LIKE pattern`.
    pub fn not_like(self, pattern: impl Into<Expr>) -> Expr {
        self.like_(pattern, false, true)
    }
    /// Case-insensitive LIKE: `ILIKE` on PostgreSQL, `lower(a) LIKE lower(b)` elsewhere.
    pub fn ilike(self, pattern: impl Into<Expr>) -> Expr {
        self.like_(pattern, true, false)
    }
    /// Case-insensitive NOT LIKE.
    pub fn not_ilike(self, pattern: impl Into<Expr>) -> Expr {
        self.like_(pattern, true, true)
    }
    /// Sets the ESCAPE character of a LIKE built just before.
    pub fn escape(self, c: char) -> Expr {
        match self {
            Expr::Like {
                expr,
                pattern,
                case_insensitive,
                negated,
                ..
            } => Expr::Like {
                expr,
                pattern,
                escape: Some(c),
                case_insensitive,
                negated,
            },
            other => other,
        }
    }
    /// `self LIKE '%' || s || '%'` with `%`, `_` in `s` escaped (SQLAlchemy's
    /// `contains(autoescape=True)`).
    pub fn contains(self, s: &str) -> Expr {
        self.like(format!("%{}%", escape_like(s))).escape('/')
    }
    /// `self LIKE s || '%'`, `s` escaped.
    pub fn startswith(self, s: &str) -> Expr {
        self.like(format!("{}%", escape_like(s))).escape('/')
    }
    /// `self LIKE '%' || s`, `s` escaped.
    pub fn endswith(self, s: &str) -> Expr {
        self.like(format!("%{}", escape_like(s))).escape('/')
    }

    /// `self BETWEEN low AND high`.
    pub fn between(self, low: impl Into<Expr>, high: impl Into<Expr>) -> Expr {
        Expr::Between(Box::new(self), b(low), b(high), false)
    }
    /// `self NOT BETWEEN low AND high`.
    pub fn not_between(self, low: impl Into<Expr>, high: impl Into<Expr>) -> Expr {
        Expr::Between(Box::new(self), b(low), b(high), true)
    }

    /// `self IN (...)` over values: one expanding parameter, so statements with lists of
    /// different lengths share one cache entry. An empty list is never true.
    ///
    /// On a [`tuple_`], the items are Rust tuples of the same arity (tuple IN); an empty list
    /// is valid SQL on every dialect. Items of another arity than the tuple's are an
    /// [`Error::Compile`](crate::Error::Compile).
    ///
    /// ```
    /// use athanor_core::prelude::*;
    /// use athanor_core::dialect::Postgres;
    /// let e = column("id").in_([1, 2, 3]);
    /// assert_eq!(select(column("id")).filter(e).to_string(),
    ///            "SELECT id WHERE id IN (:param_1_1, :param_1_2, :param_1_3)");
    /// let pairs = tuple_([column("album_id"), column("track_id")]).in_([(1, 3402), (2, 17)]);
    /// assert_eq!(select(column("name")).filter(pairs).compile(&Postgres)?.sql(),
    ///            "SELECT name WHERE (album_id, track_id) IN (($1, $2), ($3, $4))");
    /// # Ok::<(), athanor_core::Error>(())
    /// ```
    pub fn in_<I, V>(self, values: I) -> Expr
    where
        I: IntoIterator<Item = V>,
        V: InItem,
    {
        Expr::InValues(Box::new(self), expanding(values), false)
    }
    /// `self NOT IN (...)` over values (or tuples, as [`Expr::in_`]); an empty list is always
    /// true.
    pub fn not_in<I, V>(self, values: I) -> Expr
    where
        I: IntoIterator<Item = V>,
        V: InItem,
    {
        Expr::InValues(Box::new(self), expanding(values), true)
    }
    /// `self IN (e1, e2, ...)` over expressions.
    pub fn in_exprs<I, E>(self, exprs: I) -> Expr
    where
        I: IntoIterator<Item = E>,
        E: Into<Expr>,
    {
        Expr::InList(
            Box::new(self),
            exprs.into_iter().map(Into::into).collect(),
            false,
        )
    }
    /// `self IN (SELECT ...)`.
    pub fn in_select(self, select: impl Into<SelectBase>) -> Expr {
        Expr::InSelect(Box::new(self), Arc::new(select.into()), false)
    }
    /// `self NOT IN (SELECT ...)`.
    pub fn not_in_select(self, select: impl Into<SelectBase>) -> Expr {
        Expr::InSelect(Box::new(self), Arc::new(select.into()), true)
    }

    /// `self AS name` in a SELECT list.
    pub fn label(self, name: impl Into<String>) -> Expr {
        Expr::Label(Arc::from(name.into()), Box::new(self))
    }
    /// `CAST(self AS ty)`.
    pub fn cast(self, ty: Type) -> Expr {
        Expr::Cast(Box::new(self), Box::new(ty))
    }
    /// `EXTRACT(part FROM self)` (`strftime` on SQLite).
    pub fn extract(self, part: DatePart) -> Expr {
        Expr::Extract(part, Box::new(self))
    }
    /// `self ASC` for ORDER BY.
    pub fn asc(self) -> Ordering {
        Ordering {
            expr: self,
            direction: Some(Direction::Asc),
            nulls: None,
        }
    }
    /// `self DESC` for ORDER BY.
    pub fn desc(self) -> Ordering {
        Ordering {
            expr: self,
            direction: Some(Direction::Desc),
            nulls: None,
        }
    }
    /// `self OVER (window)`: a window function.
    ///
    /// ```
    /// use athanor_core::prelude::*;
    /// let w = func::row_number().over(Window::new().partition_by(column("g")).order_by(column("x").desc()));
    /// assert_eq!(select(w).to_string(), "SELECT row_number() OVER (PARTITION BY g ORDER BY x DESC) AS anon_1");
    /// ```
    pub fn over(self, window: Window) -> Expr {
        Expr::Over(Box::new(self), Box::new(window))
    }
    /// `self FILTER (WHERE cond)` for aggregates.
    pub fn filter_where(self, cond: impl Into<Expr>) -> Expr {
        Expr::Filter(Box::new(self), b(cond))
    }
    /// `DISTINCT`: on a function call, inside it (`count(x).distinct()` is
    /// `count(DISTINCT x)`); on anything else, `DISTINCT self`, as [`distinct`] (so
    /// `func::count(x.distinct())` is `count(DISTINCT x)` too).
    pub fn distinct(self) -> Expr {
        match self {
            Expr::Function(mut f) => {
                f.distinct = true;
                Expr::Function(f)
            }
            other => Expr::Distinct(Box::new(other)),
        }
    }
    /// Gives the expression a SQL type without a CAST (SQLAlchemy's `type_coerce`).
    pub fn type_coerce(self, ty: Type) -> Expr {
        Expr::Typed(Box::new(self), Box::new(ty))
    }

    /// The name this expression has in a result: a label's or column's name.
    pub fn result_name(&self) -> Option<&str> {
        match self {
            Expr::Label(n, _) => Some(n),
            Expr::Column(c) => Some(c.name()),
            Expr::Name(n) => Some(n),
            Expr::Typed(e, _) => e.result_name(),
            _ => None,
        }
    }
}

fn escape_like(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        if matches!(ch, '%' | '_' | '/') {
            out.push('/');
        }
        out.push(ch);
    }
    out
}

fn and2(l: Expr, r: Expr, op: BoolOp) -> Expr {
    let mut items = Vec::new();
    for e in [l, r] {
        match e {
            Expr::Bool2(o, inner) if o == op => items.extend(inner),
            e => items.push(e),
        }
    }
    Expr::Bool2(op, items)
}

impl<T: Into<Expr>> std::ops::BitAnd<T> for Expr {
    type Output = Expr;
    fn bitand(self, rhs: T) -> Expr {
        and2(self, rhs.into(), BoolOp::And)
    }
}
impl<T: Into<Expr>> std::ops::BitOr<T> for Expr {
    type Output = Expr;
    fn bitor(self, rhs: T) -> Expr {
        and2(self, rhs.into(), BoolOp::Or)
    }
}
impl std::ops::Not for Expr {
    type Output = Expr;
    fn not(self) -> Expr {
        match self {
            Expr::IsNull(e, neg) => Expr::IsNull(e, !neg),
            Expr::Like {
                expr,
                pattern,
                escape,
                case_insensitive,
                negated,
            } => Expr::Like {
                expr,
                pattern,
                escape,
                case_insensitive,
                negated: !negated,
            },
            Expr::InValues(e, v, neg) => Expr::InValues(e, v, !neg),
            Expr::InList(e, v, neg) => Expr::InList(e, v, !neg),
            Expr::InSelect(e, s, neg) => Expr::InSelect(e, s, !neg),
            Expr::Between(e, l, h, neg) => Expr::Between(e, l, h, !neg),
            Expr::Not(e) => *e,
            e => Expr::Not(Box::new(e)),
        }
    }
}
impl std::ops::Neg for Expr {
    type Output = Expr;
    fn neg(self) -> Expr {
        Expr::Neg(Box::new(self))
    }
}
macro_rules! arith {
    ($tr:ident, $m:ident, $op:ident) => {
        impl<T: Into<Expr>> std::ops::$tr<T> for Expr {
            type Output = Expr;
            fn $m(self, rhs: T) -> Expr {
                self.binary(BinaryOp::$op, rhs)
            }
        }
    };
}
/// `self + rhs`: addition, or string concatenation when the operand types are strings (as in
/// SQLAlchemy): `||`, `concat()` on MySQL.
///
/// ```
/// use athanor_core::prelude::*;
/// use athanor_core::dialect::{MySql, Postgres, Sqlite};
/// let md = MetaData::new();
/// let t = Table::build("t", &md)
///     .column(Column::new("given", Type::String(Some(20))))
///     .column(Column::new("n", Type::Integer))
///     .finish()?;
/// let stmt = select(((t.c("given") + "!").label("s"), (t.c("n") + 1).label("m")));
/// assert_eq!(stmt.compile(&Sqlite)?.sql(), "SELECT t.given || ? AS s, t.n + ? AS m FROM t");
/// assert_eq!(stmt.compile(&Postgres)?.sql(), "SELECT t.given || $1 AS s, t.n + $2 AS m FROM t");
/// assert_eq!(stmt.compile(&MySql)?.sql(), "SELECT concat(t.given, ?) AS s, t.n + ? AS m FROM t");
/// # Ok::<(), athanor_core::Error>(())
/// ```
impl<T: Into<Expr>> std::ops::Add<T> for Expr {
    type Output = Expr;
    fn add(self, rhs: T) -> Expr {
        let rhs = rhs.into();
        let op = if crate::sql::expr_types::concatenates(&self, &rhs) {
            BinaryOp::Concat
        } else {
            BinaryOp::Add
        };
        Expr::Binary(op, Box::new(self), Box::new(rhs))
    }
}
arith!(Sub, sub, Sub);
arith!(Mul, mul, Mul);
arith!(Div, div, Div);
arith!(Rem, rem, Mod);

/// `a AND b AND ...` over any number of conditions (`true` when empty).
///
/// ```
/// use athanor_core::prelude::*;
/// let e = and_([column("a").eq(1), column("b").eq(2)]);
/// assert_eq!(select(column("a")).filter(e).to_string(), "SELECT a WHERE a = :param_1 AND b = :param_2");
/// ```
pub fn and_<I: IntoIterator<Item = Expr>>(conds: I) -> Expr {
    let items: Vec<Expr> = conds.into_iter().collect();
    match items.len() {
        0 => Expr::Bool(true),
        1 => items.into_iter().next().unwrap_or(Expr::Bool(true)),
        _ => Expr::Bool2(BoolOp::And, items),
    }
}

/// `a OR b OR ...` over any number of conditions (`false` when empty).
pub fn or_<I: IntoIterator<Item = Expr>>(conds: I) -> Expr {
    let items: Vec<Expr> = conds.into_iter().collect();
    match items.len() {
        0 => Expr::Bool(false),
        1 => items.into_iter().next().unwrap_or(Expr::Bool(false)),
        _ => Expr::Bool2(BoolOp::Or, items),
    }
}

/// `NOT e`.
pub fn not_(e: impl Into<Expr>) -> Expr {
    !e.into()
}

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

/// `e DESC`, where a string names a label or column of the statement (SQLAlchemy's
/// `desc("name")`; see [`IntoOrderBy`] for how a name is resolved).
pub fn desc(e: impl IntoOrderTarget) -> Ordering {
    e.into_order_target().desc()
}

/// `e ASC`, where a string names a label or column of the statement (see [`IntoOrderBy`]).
pub fn asc(e: impl IntoOrderTarget) -> Ordering {
    e.into_order_target().asc()
}

/// What [`asc`]/[`desc`] accept: an expression, or the name of a label or column.
pub trait IntoOrderTarget {
    /// Converts.
    fn into_order_target(self) -> Expr;
}
impl IntoOrderTarget for Expr {
    fn into_order_target(self) -> Expr {
        self
    }
}
impl IntoOrderTarget for &str {
    fn into_order_target(self) -> Expr {
        Expr::LabelRef(Arc::from(self))
    }
}
impl IntoOrderTarget for String {
    fn into_order_target(self) -> Expr {
        Expr::LabelRef(Arc::from(self))
    }
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
