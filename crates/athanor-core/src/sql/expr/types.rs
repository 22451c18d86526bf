//! The SQL types of expressions, as far as the Core knows them, and the types operators see.
//!
//! As in SQLAlchemy, operators follow their operands' types: `/` on two integers is true
//! division, `+` on strings concatenates. A bare value has the type of its Rust value
//! (`7` is an integer, `"a"` a string), or the other operand's type when both are of the same
//! kind (a value compared with a `NUMERIC(10, 2)` column is a `NUMERIC(10, 2)`).

use crate::sql::expr::{BinaryOp, Expr};
use crate::types::{Type, Value};

impl Expr {
    /// The SQL type of this expression as far as it is known; [`Type::Null`] when nothing
    /// says (a bare value, `column("x")`, raw SQL).
    ///
    /// ```
    /// use athanor_core::prelude::*;
    /// let md = MetaData::new();
    /// let t = Table::build("t", &md)
    ///     .column(Column::new("n", Type::Integer))
    ///     .column(Column::new("s", Type::String(Some(10))))
    ///     .finish()?;
    /// assert_eq!(t.c("n").sql_type(), Type::Integer);
    /// // Dividing integers is true division: the result is a decimal.
    /// assert_eq!((t.c("n") / 2).sql_type(), Type::Numeric(None, None));
    /// assert_eq!(t.c("n").floordiv(2).sql_type(), Type::Integer);
    /// assert_eq!((t.c("s") + "!").sql_type(), Type::String(Some(10)));
    /// assert_eq!(t.c("n").gt(1).sql_type(), Type::Boolean);
    /// # Ok::<(), athanor_core::Error>(())
    /// ```
    pub fn sql_type(&self) -> Type {
        match self {
            Expr::Column(c) => c.column.ty.clone(),
            Expr::Binary(BinaryOp::Collate, e, _) => e.sql_type(),
            Expr::Label(_, e)
            | Expr::Neg(e)
            | Expr::BitNot(e)
            | Expr::LiteralExecute(e)
            | Expr::Distinct(e)
            | Expr::Over(e, _)
            | Expr::Filter(e, _) => e.sql_type(),
            Expr::Cast(_, t) | Expr::Typed(_, t) => Type::clone(t),
            Expr::Function(f) => f.ty.clone(),
            Expr::Binary(op, l, r) if op.precedence() >= BinaryOp::Concat.precedence() => {
                binary_result_type(*op, l, r)
            }
            Expr::Binary(..) | Expr::IsNull(..) | Expr::Like { .. } | Expr::Not(_) => Type::Boolean,
            Expr::Extract(..) => Type::Integer,
            Expr::JsonGet { ty, .. } => Type::clone(ty),
            Expr::NextValue(_) => Type::BigInteger,
            Expr::Exists(_) => Type::Boolean,
            // A scalar subquery is its one column (SQLAlchemy's `ScalarSelect.type`).
            Expr::ScalarSubquery(s) => s
                .first_select()
                .columns
                .first()
                .map_or(Type::Null, Expr::sql_type),
            // A CASE has the type of its first result that has one (SQLAlchemy's `Case.type`);
            // a bare value's is its Rust value's.
            Expr::Case { whens, else_, .. } => whens
                .iter()
                .map(|(_, r)| r)
                .chain(else_.as_deref())
                .map(|r| match r {
                    Expr::Value(v) => value_type(v),
                    r => r.sql_type(),
                })
                .find(|t| *t != Type::Null)
                .unwrap_or(Type::Null),
            _ => Type::Null,
        }
    }
}

/// The type of an arithmetic or concatenation result (SQLAlchemy's expression adaptations):
/// integers stay integers except under true division, which gives a decimal; a decimal or
/// float operand makes the result one.
fn binary_result_type(op: BinaryOp, l: &Expr, r: &Expr) -> Type {
    let (lt, rt) = operand_types(l, r);
    let known = if lt == Type::Null {
        rt.clone()
    } else {
        lt.clone()
    };
    match op {
        BinaryOp::Concat => known,
        BinaryOp::Div if is_fractional(&lt) => lt,
        BinaryOp::Div if is_fractional(&rt) => rt,
        BinaryOp::Div if lt.is_integer() || rt.is_integer() => Type::Numeric(None, None),
        BinaryOp::FloorDiv if lt.is_integer() && rt.is_integer() => lt,
        BinaryOp::FloorDiv if known == Type::Null => Type::Null,
        BinaryOp::FloorDiv => Type::Numeric(None, None),
        _ if lt.is_integer() && is_fractional(&rt) => rt,
        _ => known,
    }
}

/// True for the types with a fractional part: `Numeric`, `Float`, `Double`.
pub(crate) fn is_fractional(t: &Type) -> bool {
    matches!(t.generic(), Type::Numeric(..) | Type::Float | Type::Double)
}

/// True for the string types, which `+` concatenates.
pub(crate) fn is_string(t: &Type) -> bool {
    matches!(
        t.generic(),
        Type::String(_) | Type::Text | Type::Unicode(_) | Type::UnicodeText | Type::Enum { .. }
    )
}

/// The type a bare value has in an expression (SQLAlchemy's `_resolve_value_to_type`).
pub(crate) fn value_type(v: &Value) -> Type {
    match v {
        Value::Null => Type::Null,
        Value::Bool(_) => Type::Boolean,
        Value::Int(_) => Type::Integer,
        Value::Float(_) => Type::Float,
        Value::Text(_) => Type::String(None),
        Value::Bytes(_) => Type::LargeBinary,
        #[cfg(feature = "rust_decimal")]
        Value::Decimal(_) => Type::Numeric(None, None),
        #[cfg(feature = "chrono")]
        Value::Date(_) => Type::Date,
        #[cfg(feature = "chrono")]
        Value::Time(_) => Type::Time,
        #[cfg(feature = "chrono")]
        Value::TimeTz(_) => Type::TimeTz,
        #[cfg(feature = "chrono")]
        Value::DateTime(_) | Value::DateTimeUtc(_) => Type::DateTime,
        #[cfg(feature = "uuid")]
        Value::Uuid(_) => Type::Uuid,
        #[cfg(feature = "serde_json")]
        Value::Json(_) => Type::Json,
        Value::Interval(_) => Type::Interval,
        Value::Array(items) => Type::Array(Box::new(
            items
                .iter()
                .map(value_type)
                .find(|t| *t != Type::Null)
                .unwrap_or(Type::Null),
        )),
    }
}

/// Types of the same kind (SQLAlchemy's type affinity): integers; decimals and floats;
/// strings; every other type its own kind.
fn same_kind(a: &Type, b: &Type) -> bool {
    (a.is_integer() && b.is_integer())
        || (is_fractional(a) && is_fractional(b))
        || (is_string(a) && is_string(b))
        || std::mem::discriminant(a.generic()) == std::mem::discriminant(b.generic())
}

/// The types the two operands of a binary operator have: an expression's own
/// ([`Expr::sql_type`]); a bare value's from its Rust value, or the other operand's type when
/// both are of the same kind (a value added to a `NUMERIC(10, 2)` column is one too).
pub(crate) fn operand_types(l: &Expr, r: &Expr) -> (Type, Type) {
    let own = |e: &Expr| match e {
        Expr::Value(v) => (value_type(v), true),
        e => (e.sql_type(), false),
    };
    let ((lt, l_value), (rt, r_value)) = (own(l), own(r));
    let coerce = |t: Type, is_value: bool, other: &Type| {
        if is_value && *other != Type::Null && same_kind(&t, other) {
            other.clone()
        } else {
            t
        }
    };
    let l2 = coerce(lt.clone(), l_value && !r_value, &rt);
    let r2 = coerce(rt, r_value && !l_value, &lt);
    (l2, r2)
}

/// Does `l + r` concatenate? When one operand is a string and the other a string or of
/// unknown type (SQLAlchemy's `Concatenable`).
pub(crate) fn concatenates(l: &Expr, r: &Expr) -> bool {
    let (lt, rt) = operand_types(l, r);
    (is_string(&lt) && (is_string(&rt) || rt == Type::Null)) || (lt == Type::Null && is_string(&rt))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::expr::{column, literal};

    #[test]
    fn a_value_takes_the_other_sides_type_only_when_of_the_same_kind() {
        let num = literal(1).type_coerce(Type::Numeric(Some(10), Some(2)));
        assert_eq!(
            operand_types(&num, &literal(2.5)),
            (
                Type::Numeric(Some(10), Some(2)),
                Type::Numeric(Some(10), Some(2))
            )
        );
        assert_eq!(
            operand_types(&num, &literal(2)),
            (Type::Numeric(Some(10), Some(2)), Type::Integer)
        );
        assert_eq!(
            operand_types(&literal("a"), &column("x")),
            (Type::String(None), Type::Null)
        );
        assert_eq!(
            operand_types(&literal(1), &literal(2)),
            (Type::Integer, Type::Integer)
        );
    }
}
