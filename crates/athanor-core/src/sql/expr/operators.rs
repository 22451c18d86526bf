//! Operators: the operator kinds of the tree ([`BinaryOp`], [`BoolOp`]) and Rust's operators
//! on [`Expr`]: `&`, `|`, `!`, unary `-`, and arithmetic, where `+` follows the operand types
//! (strings concatenate) and `/` is true division.

use super::Expr;

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
    /// `expr COLLATE name` ([`Expr::collate`]); the right side is the collation's name.
    Collate,
    /// `&`, bitwise AND ([`Expr::bitwise_and`]).
    BitAnd,
    /// `|`, bitwise OR ([`Expr::bitwise_or`]).
    BitOr,
    /// Bitwise XOR ([`Expr::bitwise_xor`]): `#` on PostgreSQL, `^` on MySQL,
    /// `(a | b) - (a & b)` on SQLite.
    BitXor,
    /// `<<` ([`Expr::bitwise_lshift`]).
    LShift,
    /// `>>` ([`Expr::bitwise_rshift`]).
    RShift,
    /// A regular-expression match ([`Expr::regexp_match`]): `~` on PostgreSQL, `REGEXP`
    /// elsewhere.
    RegexpMatch,
    /// Its negation: `!~` on PostgreSQL, `NOT REGEXP` elsewhere.
    NotRegexpMatch,
}

impl BinaryOp {
    /// Binding strength: higher binds tighter.
    pub fn precedence(self) -> u8 {
        match self {
            BinaryOp::Mul | BinaryOp::Div | BinaryOp::FloorDiv | BinaryOp::Mod => 8,
            BinaryOp::Add
            | BinaryOp::Sub
            | BinaryOp::BitAnd
            | BinaryOp::BitOr
            | BinaryOp::BitXor
            | BinaryOp::LShift
            | BinaryOp::RShift => 7,
            BinaryOp::Concat => 6,
            BinaryOp::Collate => 4,
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
                affix,
            } => Expr::Like {
                expr,
                pattern,
                escape,
                case_insensitive,
                negated: !negated,
                affix,
            },
            Expr::InValues(e, v, neg) => Expr::InValues(e, v, !neg),
            Expr::InList(e, v, neg) => Expr::InList(e, v, !neg),
            Expr::InParam(e, n, neg) => Expr::InParam(e, n, !neg),
            Expr::InSelect(e, s, neg) => Expr::InSelect(e, s, !neg),
            Expr::Between(e, l, h, neg) => Expr::Between(e, l, h, !neg),
            Expr::Binary(BinaryOp::RegexpMatch, l, r) => {
                Expr::Binary(BinaryOp::NotRegexpMatch, l, r)
            }
            Expr::Binary(BinaryOp::NotRegexpMatch, l, r) => {
                Expr::Binary(BinaryOp::RegexpMatch, l, r)
            }
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
        let op = if super::types::concatenates(&self, &rhs) {
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
