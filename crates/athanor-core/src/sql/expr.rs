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

/// The values of an expanding `IN` parameter. Its length takes no part in the statement's
/// cache key: the list is expanded when the statement is executed. Whether the statement uses
/// this list object elsewhere too does (see [`cache_key`](crate::compiler::cache_key)).
#[derive(Debug, Clone)]
pub struct Expanding(pub Arc<[Value]>);

impl std::hash::Hash for Expanding {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        let addr = self.0.as_ptr() as usize;
        crate::sql::identity::hash_shared(addr, state, |s| s.write_u8(0xE7));
    }
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
    /// `/`
    Div,
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
            BinaryOp::Mul | BinaryOp::Div | BinaryOp::Mod => 8,
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
    /// Adds an `ORDER BY` item.
    pub fn order_by(mut self, o: impl Into<Ordering>) -> Self {
        self.order_by.push(o.into());
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
    /// A reference to a label of the same SELECT, by name (`order_by(desc("# of albums"))`).
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
    /// ```
    /// use athanor_core::prelude::*;
    /// let e = column("id").in_([1, 2, 3]);
    /// assert_eq!(select(column("id")).filter(e).to_string(),
    ///            "SELECT id WHERE id IN (:param_1_1, :param_1_2, :param_1_3)");
    /// ```
    pub fn in_<I, V>(self, values: I) -> Expr
    where
        I: IntoIterator<Item = V>,
        V: Into<Value>,
    {
        Expr::InValues(
            Box::new(self),
            Expanding(values.into_iter().map(Into::into).collect()),
            false,
        )
    }
    /// `self NOT IN (...)` over values; an empty list is always true.
    pub fn not_in<I, V>(self, values: I) -> Expr
    where
        I: IntoIterator<Item = V>,
        V: Into<Value>,
    {
        Expr::InValues(
            Box::new(self),
            Expanding(values.into_iter().map(Into::into).collect()),
            true,
        )
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
    /// `DISTINCT` inside an aggregate: `count(DISTINCT x)`.
    pub fn distinct(self) -> Expr {
        match self {
            Expr::Function(mut f) => {
                f.distinct = true;
                Expr::Function(f)
            }
            other => other,
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

    /// The SQL type of this expression as far as it is known.
    pub fn sql_type(&self) -> Type {
        match self {
            Expr::Column(c) => c.column.ty.clone(),
            Expr::Label(_, e) | Expr::Neg(e) => e.sql_type(),
            Expr::Cast(_, t) | Expr::Typed(_, t) => Type::clone(t),
            Expr::Function(f) => f.ty.clone(),
            Expr::Binary(op, l, _) if op.precedence() >= 6 => l.sql_type(),
            Expr::Binary(..) | Expr::IsNull(..) | Expr::Like { .. } | Expr::Not(_) => Type::Boolean,
            Expr::Extract(..) => Type::Integer,
            _ => Type::Null,
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
arith!(Add, add, Add);
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

/// `CAST(e AS ty)`.
pub fn cast(e: impl Into<Expr>, ty: Type) -> Expr {
    Expr::Cast(b(e), Box::new(ty))
}

/// `EXTRACT(part FROM e)`.
pub fn extract(part: DatePart, e: impl Into<Expr>) -> Expr {
    Expr::Extract(part, b(e))
}

/// `e DESC`, where a string names a label of the same SELECT (SQLAlchemy's `desc("name")`).
pub fn desc(e: impl IntoOrderTarget) -> Ordering {
    e.into_order_target().desc()
}

/// `e ASC`, where a string names a label of the same SELECT.
pub fn asc(e: impl IntoOrderTarget) -> Ordering {
    e.into_order_target().asc()
}

/// What [`asc`]/[`desc`] accept: an expression, or a label's name.
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

/// `EXISTS (SELECT ...)`.
pub fn exists(select: impl Into<SelectBase>) -> Expr {
    Expr::Exists(Arc::new(select.into()))
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
