//! The methods that build on an expression: comparisons (`eq`, `gt`, `is_null`), LIKE and
//! its helpers, IN over values, tuples, expressions and subqueries, BETWEEN, labels, CAST,
//! EXTRACT, ordering and window calls, `DISTINCT`.

use std::sync::Arc;

use super::{
    AffixKind, BinaryOp, DatePart, Direction, Expanding, Expr, LikeAffix, Ordering, Window, b,
};
use crate::sql::select::SelectBase;
use crate::types::{Type, Value};

/// What [`Expr::in_`] and [`Expr::not_in`] take: values (anything iterable over
/// [`InItem`]s), or a list given at execution ([`bindparam_expanding`](super::bindparam_expanding)).
pub trait IntoInValues {
    /// `x [NOT] IN (self)`.
    fn into_in(self, x: Expr, negated: bool) -> Expr;
}

impl<I, V> IntoInValues for I
where
    I: IntoIterator<Item = V>,
    V: InItem,
{
    fn into_in(self, x: Expr, negated: bool) -> Expr {
        Expr::InValues(Box::new(x), expanding(self), negated)
    }
}

impl IntoInValues for super::ExpandingBind {
    fn into_in(self, x: Expr, negated: bool) -> Expr {
        Expr::InParam(Box::new(x), self.0, negated)
    }
}

/// An expanding list parameter written into the SQL as literals at execution:
/// [`ExpandingBind::literal_execute`](super::ExpandingBind::literal_execute).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiteralExpanding(pub(crate) super::ExpandingBind);

impl IntoInValues for LiteralExpanding {
    fn into_in(self, x: Expr, negated: bool) -> Expr {
        Expr::LiteralExecute(Box::new(Expr::InParam(Box::new(x), self.0.0, negated)))
    }
}

impl super::ExpandingBind {
    /// Writes the list's items into the SQL as literals when the statement is executed
    /// (SQLAlchemy's `bindparam("q", expanding=True, literal_execute=True)`): `x IN (5, 6, 7)`
    /// is sent, with no parameters. See [`Expr::literal_execute`].
    pub fn literal_execute(self) -> LiteralExpanding {
        LiteralExpanding(self)
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

impl Expr {
    pub(super) fn binary(self, op: BinaryOp, other: impl Into<Expr>) -> Expr {
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
            affix: None,
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
    /// Sets the ESCAPE character of a LIKE built just before (SQLAlchemy's `escape=`).
    ///
    /// On a [`like`](Expr::like), the pattern is kept as written. On a
    /// [`contains`](Expr::contains), [`startswith`](Expr::startswith) or
    /// [`endswith`](Expr::endswith), the needle is taken as written too, already escaped by
    /// the caller with `c`: its own `%` and `_` are wildcards unless preceded by `c`, as
    /// SQLAlchemy's `col.startswith("ab#%", escape="#")` (strings starting with `ab%`). To
    /// escape the needle's wildcards with `c` instead, use [`autoescape`](Expr::autoescape).
    /// On anything else than a LIKE it does nothing.
    ///
    /// ```
    /// use athanor_core::prelude::*;
    /// let e = column("name").startswith("ab#%").escape('#');
    /// let c = select(column("id")).filter(e).compile(&athanor_core::dialect::Sqlite)?;
    /// assert_eq!(c.sql(), "SELECT id WHERE name LIKE ? ESCAPE '#'");
    /// assert_eq!(c.params(), &[Value::from("ab#%%")]);
    /// # Ok::<(), athanor_core::Error>(())
    /// ```
    pub fn escape(self, c: char) -> Expr {
        self.set_escape(c, false)
    }
    /// On a [`contains`](Expr::contains), [`startswith`](Expr::startswith) or
    /// [`endswith`](Expr::endswith): escapes the needle's `%`, `_` and `c` itself with `c`,
    /// and renders `ESCAPE c` (SQLAlchemy's `autoescape=True, escape=c`). `contains` already
    /// does this with `/`; use this when the needle holds many `/`, or to match another
    /// tool's SQL. On any other expression it does nothing.
    ///
    /// ```
    /// use athanor_core::prelude::*;
    /// let e = column("name").contains("a%b#").autoescape('#');
    /// let c = select(column("id")).filter(e).compile(&athanor_core::dialect::Sqlite)?;
    /// assert_eq!(c.sql(), "SELECT id WHERE name LIKE ? ESCAPE '#'");
    /// assert_eq!(c.params(), &[Value::from("%a#%b##%")]);
    /// # Ok::<(), athanor_core::Error>(())
    /// ```
    pub fn autoescape(self, c: char) -> Expr {
        self.set_escape(c, true)
    }
    fn set_escape(self, c: char, auto: bool) -> Expr {
        match self {
            Expr::Like {
                expr,
                pattern,
                case_insensitive,
                negated,
                affix,
                ..
            } => {
                let pattern = match &affix {
                    Some(a) => b(affix_pattern(a, auto.then_some(c))),
                    None if auto => {
                        return Expr::Like {
                            expr,
                            pattern,
                            escape: None,
                            case_insensitive,
                            negated,
                            affix,
                        };
                    }
                    None => pattern,
                };
                Expr::Like {
                    expr,
                    pattern,
                    escape: Some(c),
                    case_insensitive,
                    negated,
                    affix,
                }
            }
            other => other,
        }
    }
    fn affix_like(self, s: &str, kind: AffixKind) -> Expr {
        let affix = LikeAffix {
            needle: Arc::from(s),
            kind,
        };
        Expr::Like {
            expr: Box::new(self),
            pattern: b(affix_pattern(&affix, Some(DEFAULT_LIKE_ESCAPE))),
            escape: Some(DEFAULT_LIKE_ESCAPE),
            case_insensitive: false,
            negated: false,
            affix: Some(Arc::new(affix)),
        }
    }
    /// `self LIKE '%s%'`, with the `%`, `_` and `/` of `s` escaped by `/` (`ESCAPE '/'`): `s`
    /// is matched as plain text anywhere in `self`.
    ///
    /// This is SQLAlchemy's `contains(s, autoescape=True)`. Athanor escapes by default, where
    /// SQLAlchemy's plain `contains(s)` lets `%` and `_` in `s` act as wildcards, because the
    /// needle is most often data: write [`like`](Expr::like) for a pattern. Chain
    /// [`escape`](Expr::escape) for SQLAlchemy's `escape=` (a needle the caller escaped) and
    /// [`autoescape`](Expr::autoescape) for another escape character. The pattern is one
    /// bound value (SQLAlchemy binds `s` and concatenates the `%` in SQL: same rows).
    ///
    /// ```
    /// use athanor_core::prelude::*;
    /// let c = select(column("id")).filter(column("name").contains("50%_off/"))
    ///     .compile(&athanor_core::dialect::Postgres)?;
    /// assert_eq!(c.sql(), "SELECT id WHERE name LIKE $1 ESCAPE '/'");
    /// assert_eq!(c.params(), &[Value::from("%50/%/_off//%")]);
    /// # Ok::<(), athanor_core::Error>(())
    /// ```
    pub fn contains(self, s: &str) -> Expr {
        self.affix_like(s, AffixKind::Contains)
    }
    /// `self LIKE 's%'`, `s` escaped as in [`contains`](Expr::contains) (SQLAlchemy's
    /// `startswith(s, autoescape=True)`); [`escape`](Expr::escape) and
    /// [`autoescape`](Expr::autoescape) as there.
    pub fn startswith(self, s: &str) -> Expr {
        self.affix_like(s, AffixKind::StartsWith)
    }
    /// `self LIKE '%s'`, `s` escaped as in [`contains`](Expr::contains) (SQLAlchemy's
    /// `endswith(s, autoescape=True)`); [`escape`](Expr::escape) and
    /// [`autoescape`](Expr::autoescape) as there.
    pub fn endswith(self, s: &str) -> Expr {
        self.affix_like(s, AffixKind::EndsWith)
    }

    /// `self LIKE prefix || '%'` with a SQL expression as the prefix (SQLAlchemy's
    /// `startswith(literal_column(...))`): the expression's `%` and `_` are wildcards.
    ///
    /// ```
    /// use athanor_core::prelude::*;
    /// let e = column("data").startswith_expr(literal_column("'ab%c'"));
    /// assert_eq!(select(column("id")).filter(e).to_string(), "SELECT id WHERE data LIKE 'ab%c' || '%'");
    /// ```
    pub fn startswith_expr(self, prefix: impl Into<Expr>) -> Expr {
        self.like(prefix.into().concat(Expr::Raw("'%'".into())))
    }
    /// `self LIKE '%' || suffix` with a SQL expression as the suffix (SQLAlchemy's
    /// `endswith(literal_column(...))`), as [`startswith_expr`](Expr::startswith_expr).
    pub fn endswith_expr(self, suffix: impl Into<Expr>) -> Expr {
        self.like(Expr::Raw("'%'".into()).concat(suffix))
    }

    /// `self COLLATE name`: compares and sorts by the named collation (SQLAlchemy's
    /// `collate`). The name is quoted as an identifier where the dialect needs it (upper
    /// case: PostgreSQL's `"POSIX"`, SQLite's `"NOCASE"`).
    ///
    /// ```
    /// use athanor_core::prelude::*;
    /// use athanor_core::dialect::{MySql, Postgres};
    /// let s = select(column("x")).order_by(column("x").collate("POSIX").asc());
    /// assert_eq!(s.compile(&Postgres)?.sql(), r#"SELECT x ORDER BY x COLLATE "POSIX" ASC"#);
    /// let s = select(column("x")).filter(column("x").collate("utf8mb4_bin").eq("a"));
    /// assert_eq!(s.compile(&MySql)?.sql(), "SELECT x WHERE (x COLLATE utf8mb4_bin) = ?");
    /// # Ok::<(), athanor_core::Error>(())
    /// ```
    pub fn collate(self, name: &str) -> Expr {
        self.binary(BinaryOp::Collate, Expr::Name(name.into()))
    }

    /// `self & other`, bitwise AND (SQLAlchemy's `bitwise_and`). On MySQL every bitwise
    /// operator's result is an unsigned 64-bit number (a negative operand's result doesn't
    /// fit an `i64`: reading it as one is an `Error::Conversion`).
    ///
    /// ```
    /// use athanor_core::prelude::*;
    /// use athanor_core::dialect::{MySql, Postgres, Sqlite};
    /// let x = column("a").bitwise_xor(column("b"));
    /// assert_eq!(select(x.clone()).compile(&Postgres)?.sql(), "SELECT a # b AS anon_1");
    /// assert_eq!(select(x.clone()).compile(&MySql)?.sql(), "SELECT a ^ b AS anon_1");
    /// assert_eq!(select(x).compile(&Sqlite)?.sql(), "SELECT ((a | b) - (a & b)) AS anon_1");
    /// let n = (column("a") - 2).bitwise_not().gt(column("b").bitwise_lshift(1));
    /// assert_eq!(select(column("a")).filter(n).to_string(), "SELECT a WHERE ~(a - :param_1) > b << :param_2");
    /// # Ok::<(), athanor_core::Error>(())
    /// ```
    pub fn bitwise_and(self, other: impl Into<Expr>) -> Expr {
        self.binary(BinaryOp::BitAnd, other)
    }
    /// `self | other`, bitwise OR.
    pub fn bitwise_or(self, other: impl Into<Expr>) -> Expr {
        self.binary(BinaryOp::BitOr, other)
    }
    /// Bitwise XOR: `#` on PostgreSQL, `^` on MySQL, `((a | b) - (a & b))` on SQLite, which
    /// has no XOR.
    pub fn bitwise_xor(self, other: impl Into<Expr>) -> Expr {
        self.binary(BinaryOp::BitXor, other)
    }
    /// `self << n`.
    pub fn bitwise_lshift(self, n: impl Into<Expr>) -> Expr {
        self.binary(BinaryOp::LShift, n)
    }
    /// `self >> n`.
    pub fn bitwise_rshift(self, n: impl Into<Expr>) -> Expr {
        self.binary(BinaryOp::RShift, n)
    }
    /// `~self`, bitwise NOT (unsigned 64-bit on MySQL, as [`bitwise_and`](Expr::bitwise_and)).
    pub fn bitwise_not(self) -> Expr {
        Expr::BitNot(Box::new(self))
    }

    /// A regular-expression search (SQLAlchemy's `regexp_match`): true where `pattern`
    /// matches anywhere in `self`. `self ~ pattern` on PostgreSQL, `self REGEXP pattern` on
    /// MySQL and SQLite (whose connections get a `regexp()` function, Rust's `regex`
    /// syntax). Negate it with `!`.
    ///
    /// ```
    /// use athanor_core::prelude::*;
    /// use athanor_core::dialect::{Postgres, Sqlite};
    /// let s = select(column("id")).filter(column("data").regexp_match("^ab"));
    /// assert_eq!(s.compile(&Postgres)?.sql(), "SELECT id WHERE data ~ $1");
    /// assert_eq!(s.compile(&Sqlite)?.sql(), "SELECT id WHERE data REGEXP ?");
    /// let s = select(column("id")).filter(!column("data").regexp_match("^ab"));
    /// assert_eq!(s.compile(&Postgres)?.sql(), "SELECT id WHERE data !~ $1");
    /// # Ok::<(), athanor_core::Error>(())
    /// ```
    pub fn regexp_match(self, pattern: impl Into<Expr>) -> Expr {
        self.binary(BinaryOp::RegexpMatch, pattern)
    }
    /// `REGEXP_REPLACE(self, pattern, replacement)` (SQLAlchemy's `regexp_replace`): on
    /// PostgreSQL the first match is replaced, on MariaDB every match. SQLite has no such
    /// function.
    pub fn regexp_replace(self, pattern: impl Into<Expr>, replacement: impl Into<Expr>) -> Expr {
        let ty = self.sql_type();
        Expr::Function(Box::new(super::FunctionCall {
            name: "REGEXP_REPLACE".into(),
            args: vec![self, pattern.into(), replacement.into()],
            distinct: false,
            ty,
        }))
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
    /// For a list given at execution rather than now, pass
    /// [`bindparam_expanding`](super::bindparam_expanding) (`col.in_(bindparam_expanding("q"))`).
    ///
    /// On a [`tuple_`](super::tuple_), the items are Rust tuples of the same arity (tuple IN); an empty list
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
    pub fn in_(self, values: impl IntoInValues) -> Expr {
        values.into_in(self, false)
    }
    /// `self NOT IN (...)` over values (or tuples, or a list parameter, as [`Expr::in_`]);
    /// an empty list is always true.
    pub fn not_in(self, values: impl IntoInValues) -> Expr {
        values.into_in(self, true)
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
    /// `count(DISTINCT x)`); on anything else, `DISTINCT self`, as [`distinct`](super::distinct) (so
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
    /// Writes the bound parameters of this expression into the SQL as literals when the
    /// statement is executed, rather than sending them as parameters (SQLAlchemy's
    /// `bindparam(.., literal_execute=True)`), for the places a database takes no parameter.
    /// The statement is compiled and cached once; each execution writes its own values in,
    /// through the dialect's literal escaper. Printed without values, each stands as
    /// `__[POSTCOMPILE_name]`.
    ///
    /// ```
    /// use athanor_core::prelude::*;
    /// use athanor_core::compiler::compile;
    /// use athanor_core::dialect::Postgres;
    /// let stmt = select(column("id")).filter(column("x").eq(bindparam("q").literal_execute()));
    /// assert_eq!(stmt.to_string(), "SELECT id WHERE x = __[POSTCOMPILE_q]");
    /// let c = compile(stmt.statement(), &Postgres)?;
    /// let ten = Value::Int(10);
    /// assert_eq!(c.execution_sql(&[], &|_| Some(&ten), &Postgres)?, "SELECT id WHERE x = 10");
    /// assert!(c.params(&[], &|_| Some(&ten))?.is_empty());
    /// # Ok::<(), athanor_core::Error>(())
    /// ```
    pub fn literal_execute(self) -> Expr {
        Expr::LiteralExecute(Box::new(self))
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

/// The escape character [`Expr::contains`] and its kin use unless told otherwise.
const DEFAULT_LIKE_ESCAPE: char = '/';

/// The pattern of a contains/startswith/endswith: the needle with its `%`, `_` and the escape
/// character escaped when `escape` is given, as written otherwise; then the `%` around it.
fn affix_pattern(a: &LikeAffix, escape: Option<char>) -> Value {
    let needle = match escape {
        Some(c) => escape_like(&a.needle, c),
        None => a.needle.to_string(),
    };
    Value::Text(match a.kind {
        AffixKind::Contains => format!("%{needle}%"),
        AffixKind::StartsWith => format!("{needle}%"),
        AffixKind::EndsWith => format!("%{needle}"),
    })
}

fn escape_like(s: &str, esc: char) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        if ch == '%' || ch == '_' || ch == esc {
            out.push(esc);
        }
        out.push(ch);
    }
    out
}
