//! `synchronize_session = evaluate`: a WHERE clause and SET values computed in Rust against
//! one object (SQL's three-valued logic), or refused with [`Error::Unevaluatable`] before
//! anything runs.

use std::cmp::Ordering;

use athanor_core::sql::{BinaryOp, BoolOp, Expr};

use super::model::Model;
use crate::{Error, Result, Value};

/// A value computed for one object, or why it can't be.
pub(crate) fn unevaluatable(what: &str) -> Error {
    Error::Unevaluatable(format!(
        "synchronize_session=evaluate can't compute {what} in Rust; use Synchronize::Fetch"
    ))
}

/// An integer against a float, exactly (an `i64` beyond 2^53 isn't rounded to a float
/// first, so 2^53 + 1 is greater than 2^53.0); `None` for NaN.
fn int_cmp_float(x: i64, y: f64) -> Option<Ordering> {
    if y.is_nan() {
        return None;
    }
    // Every f64 in [-2^63, 2^63) has an exact i64 integer part.
    const TWO_63: f64 = 9_223_372_036_854_775_808.0;
    if y >= TWO_63 {
        return Some(Ordering::Less);
    }
    if y < -TWO_63 {
        return Some(Ordering::Greater);
    }
    let whole = y.trunc();
    // In range, and integral: the conversion is exact.
    let w = whole as i64;
    Some(x.cmp(&w).then_with(|| {
        let frac = y - whole;
        if frac > 0.0 {
            Ordering::Less
        } else if frac < 0.0 {
            Ordering::Greater
        } else {
            Ordering::Equal
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::int_cmp_float;
    use std::cmp::Ordering::*;

    #[test]
    fn integers_and_floats_compare_exactly() {
        let big = 1i64 << 53;
        assert_eq!(int_cmp_float(big + 1, big as f64), Some(Greater));
        assert_eq!(int_cmp_float(big, big as f64), Some(Equal));
        assert_eq!(int_cmp_float(2, 2.5), Some(Less));
        assert_eq!(int_cmp_float(-2, -2.5), Some(Greater));
        assert_eq!(int_cmp_float(i64::MAX, 9.3e18), Some(Less));
        assert_eq!(int_cmp_float(i64::MIN, -9.3e18), Some(Greater));
        assert_eq!(int_cmp_float(0, f64::NAN), None);
    }
}

fn compare(a: &Value, b: &Value) -> Option<Ordering> {
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => Some(x.cmp(y)),
        (Value::Int(x), Value::Float(y)) => int_cmp_float(*x, *y),
        (Value::Float(x), Value::Int(y)) => int_cmp_float(*y, *x).map(Ordering::reverse),
        (Value::Float(x), Value::Float(y)) => x.partial_cmp(y),
        (Value::Text(x), Value::Text(y)) => Some(x.cmp(y)),
        (Value::Bool(x), Value::Bool(y)) => Some(x.cmp(y)),
        (Value::Bool(x), Value::Int(y)) => Some(i64::from(*x).cmp(y)),
        (Value::Int(x), Value::Bool(y)) => Some(x.cmp(&i64::from(*y))),
        #[cfg(feature = "rust_decimal")]
        (Value::Decimal(_), _) | (_, Value::Decimal(_)) => decimal::compare(a, b),
        (x, y) if x == y => Some(Ordering::Equal),
        _ => None,
    }
}

/// Decimals in the evaluator: exact against decimals and integers (Python's `Decimal`
/// arithmetic, which SQLAlchemy's evaluator uses); compared with a float as the databases
/// compare a NUMERIC with a DOUBLE, as doubles. Arithmetic mixing a decimal and a float is
/// refused (Python refuses it too).
#[cfg(feature = "rust_decimal")]
mod decimal {
    use std::cmp::Ordering;

    use athanor_core::sql::BinaryOp;
    use rust_decimal::Decimal;
    use rust_decimal::prelude::ToPrimitive;

    use super::unevaluatable;
    use crate::{Result, Value};

    fn exact(v: &Value) -> Option<Decimal> {
        match v {
            Value::Decimal(d) => Some(*d),
            Value::Int(i) => Some(Decimal::from(*i)),
            _ => None,
        }
    }

    pub(super) fn compare(a: &Value, b: &Value) -> Option<Ordering> {
        if let (Some(x), Some(y)) = (exact(a), exact(b)) {
            return Some(x.cmp(&y));
        }
        let float = |v: &Value| match v {
            Value::Float(f) => Some(*f),
            Value::Decimal(d) => d.to_f64(),
            _ => None,
        };
        float(a)?.partial_cmp(&float(b)?)
    }

    /// `a op b` when one side is a decimal; `None` when neither is.
    pub(super) fn arithmetic(op: BinaryOp, a: &Value, b: &Value) -> Option<Result<Value>> {
        use BinaryOp::*;
        if !matches!(a, Value::Decimal(_)) && !matches!(b, Value::Decimal(_)) {
            return None;
        }
        let (Some(x), Some(y)) = (exact(a), exact(b)) else {
            return Some(Err(unevaluatable(
                "arithmetic mixing a decimal with a value that isn't a decimal or an integer",
            )));
        };
        let r = match op {
            Add => x.checked_add(y),
            Sub => x.checked_sub(y),
            Mul => x.checked_mul(y),
            Div => x.checked_div(y),
            Mod => x.checked_rem(y),
            FloorDiv => x.checked_div(y).map(|q| q.floor()),
            _ => None,
        };
        Some(
            r.map(Value::Decimal).ok_or_else(|| {
                unevaluatable("this decimal arithmetic (overflow or division by zero)")
            }),
        )
    }
}

pub(crate) fn truth(v: &Value) -> Option<bool> {
    match v {
        Value::Null => None,
        Value::Bool(b) => Some(*b),
        Value::Int(i) => Some(*i != 0),
        _ => None,
    }
}

fn from_truth(t: Option<bool>) -> Value {
    t.map_or(Value::Null, Value::Bool)
}

/// Computes an expression over one object of `M` (SQL's three-valued logic: NULL is
/// unknown).
pub(crate) fn evaluate<M: Model>(e: &Expr, obj: &M) -> Result<Value> {
    Ok(match e {
        Expr::Column(c) => {
            if !c.from.is_table(M::table()) {
                return Err(unevaluatable(&format!(
                    "column {} of another table",
                    c.name()
                )));
            }
            match M::table()
                .columns()
                .iter()
                .position(|x| x.name() == c.name())
            {
                Some(i) => obj.column_value(i),
                None => return Err(unevaluatable(&format!("column {}", c.name()))),
            }
        }
        Expr::Value(v) => v.clone(),
        Expr::Null => Value::Null,
        Expr::Bool(b) => Value::Bool(*b),
        Expr::Label(_, e) | Expr::Typed(e, _) => evaluate(e, obj)?,
        Expr::Not(e) => from_truth(truth(&evaluate(e, obj)?).map(|b| !b)),
        Expr::IsNull(e, negated) => Value::Bool(evaluate(e, obj)?.is_null() != *negated),
        Expr::Bool2(op, items) => {
            let mut unknown = false;
            let and = matches!(op, BoolOp::And);
            for item in items {
                match truth(&evaluate(item, obj)?) {
                    Some(b) if b != and => return Ok(Value::Bool(b)),
                    None => unknown = true,
                    _ => {}
                }
            }
            if unknown {
                Value::Null
            } else {
                Value::Bool(and)
            }
        }
        Expr::Between(e, lo, hi, negated) => {
            let v = evaluate(e, obj)?;
            let (lo, hi) = (evaluate(lo, obj)?, evaluate(hi, obj)?);
            match (compare(&v, &lo), compare(&v, &hi)) {
                (Some(a), Some(b)) if !v.is_null() && !lo.is_null() && !hi.is_null() => {
                    Value::Bool((a != Ordering::Less && b != Ordering::Greater) != *negated)
                }
                _ if v.is_null() || lo.is_null() || hi.is_null() => Value::Null,
                _ => return Err(unevaluatable("a comparison of values of different kinds")),
            }
        }
        Expr::InValues(e, list, negated) if list.1 == 1 => {
            let v = evaluate(e, obj)?;
            if v.is_null() {
                Value::Null
            } else {
                let found = list
                    .0
                    .iter()
                    .any(|x| compare(&v, x) == Some(Ordering::Equal));
                let has_null = list.0.iter().any(Value::is_null);
                if !found && has_null {
                    Value::Null
                } else {
                    Value::Bool(found != *negated)
                }
            }
        }
        Expr::Binary(op, l, r) => {
            let (a, b) = (evaluate(l, obj)?, evaluate(r, obj)?);
            binary(*op, &a, &b)?
        }
        other => {
            let text = format!("{other:?}");
            let short: String = text.chars().take(60).collect();
            return Err(unevaluatable(&format!("the expression {short}")));
        }
    })
}

fn binary(op: BinaryOp, a: &Value, b: &Value) -> Result<Value> {
    use BinaryOp::*;
    if matches!(op, Is | IsNotDistinctFrom) {
        return Ok(Value::Bool(
            compare(a, b) == Some(Ordering::Equal) || (a.is_null() && b.is_null()),
        ));
    }
    if matches!(op, IsNot | IsDistinctFrom) {
        return Ok(Value::Bool(
            !(compare(a, b) == Some(Ordering::Equal) || (a.is_null() && b.is_null())),
        ));
    }
    if a.is_null() || b.is_null() {
        return Ok(Value::Null);
    }
    let cmp = |want: fn(Ordering) -> bool| -> Result<Value> {
        compare(a, b)
            .map(|o| Value::Bool(want(o)))
            .ok_or_else(|| unevaluatable("a comparison of values of different kinds"))
    };
    match op {
        Eq => cmp(|o| o == Ordering::Equal),
        Ne => cmp(|o| o != Ordering::Equal),
        Lt => cmp(|o| o == Ordering::Less),
        Le => cmp(|o| o != Ordering::Greater),
        Gt => cmp(|o| o == Ordering::Greater),
        Ge => cmp(|o| o != Ordering::Less),
        Concat => match (a, b) {
            (Value::Text(x), Value::Text(y)) => Ok(Value::Text(format!("{x}{y}"))),
            _ => Err(unevaluatable("|| of values that aren't text")),
        },
        Add | Sub | Mul | Div | FloorDiv | Mod => arithmetic(op, a, b),
        _ => Err(unevaluatable("this operator")),
    }
}

fn arithmetic(op: BinaryOp, a: &Value, b: &Value) -> Result<Value> {
    use BinaryOp::*;
    #[cfg(feature = "rust_decimal")]
    if let Some(r) = decimal::arithmetic(op, a, b) {
        return r;
    }
    let overflow = || unevaluatable("integer arithmetic that overflows");
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => Ok(match op {
            Add => Value::Int(x.checked_add(*y).ok_or_else(overflow)?),
            Sub => Value::Int(x.checked_sub(*y).ok_or_else(overflow)?),
            Mul => Value::Int(x.checked_mul(*y).ok_or_else(overflow)?),
            // SQLAlchemy 2.x: `/` is true division.
            Div if *y != 0 => Value::Float(*x as f64 / *y as f64),
            FloorDiv if *y != 0 => Value::Int(x.div_euclid(*y)),
            Mod if *y != 0 => Value::Int(x.checked_rem(*y).ok_or_else(overflow)?),
            _ => return Err(unevaluatable("a division by zero")),
        }),
        (Value::Int(_) | Value::Float(_), Value::Int(_) | Value::Float(_)) => {
            let f = |v: &Value| match v {
                Value::Int(i) => *i as f64,
                Value::Float(x) => *x,
                _ => 0.0,
            };
            let (x, y) = (f(a), f(b));
            Ok(Value::Float(match op {
                Add => x + y,
                Sub => x - y,
                Mul => x * y,
                Div if y != 0.0 => x / y,
                FloorDiv if y != 0.0 => (x / y).floor(),
                _ => return Err(unevaluatable("this float arithmetic")),
            }))
        }
        _ => Err(unevaluatable("arithmetic on values that aren't numbers")),
    }
}

/// Refuses a computed value its column would store rounded (a `Numeric(p, s)` column keeps
/// `s` places): the session's object would then differ from its row.
pub(crate) fn kept_as_computed(ty: &crate::Type, v: &Value) -> Result<()> {
    let crate::Type::Numeric(_, Some(scale)) = ty else {
        return Ok(());
    };
    let places = match v {
        #[cfg(feature = "rust_decimal")]
        Value::Decimal(d) => d.normalize().scale(),
        // The shortest text that reads back as this double.
        Value::Float(f) if f.is_finite() => {
            let text = f.to_string();
            text.split_once('.')
                .map_or(0, |(_, frac)| frac.len() as u32)
        }
        _ => return Ok(()),
    };
    if places > *scale {
        return Err(unevaluatable(&format!(
            "{v}, which its NUMERIC column rounds to {scale} places"
        )));
    }
    Ok(())
}
