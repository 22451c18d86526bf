//! Arrays: `Vec<T>` goes out as [`Value::Array`] and comes back from it (PostgreSQL's
//! `ARRAY` columns, `Type::Array`). `Vec<u8>` stays bytes.
//!
//! A multi-dimensional array is nested `Value::Array`s: a two-dimensional one (PostgreSQL's
//! `VARCHAR[][]`, `Type::Array(Box::new(Type::Array(..)))`, SQLAlchemy's
//! `ARRAY(String, dimensions=2)`) goes out from and comes back as `Vec<Vec<T>>`, deeper ones
//! are read as `Vec<Value>`. PostgreSQL's arrays are rectangular: rows of different lengths
//! are refused by the database. NULL elements need `Vec<Option<T>>` / `Vec<Vec<Option<T>>>`.
//!
//! ```
//! use athanor_core::{FromValue, Value};
//! let m = Value::from(vec![vec!["a", "b"], vec!["c", "d"]]);
//! assert_eq!(m, Value::Array(vec![Value::from(vec!["a", "b"]), Value::from(vec!["c", "d"])]));
//! assert_eq!(Vec::<Vec<String>>::from_value(&m)?, [["a", "b"], ["c", "d"]]);
//! # Ok::<(), athanor_core::error::ConversionError>(())
//! ```

use super::Value;
use super::convert::{FromValue, mismatch};
use crate::error::ConversionError;
use crate::sql::Expr;

/// Reads each element as `T`, naming the element that fails.
fn elements<T: FromValue>(
    expected: &'static str,
    value: &Value,
) -> Result<Vec<T>, ConversionError> {
    match value {
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| {
                T::from_value(v).map_err(|e| {
                    let why = e
                        .detail
                        .clone()
                        .map(|d| format!(": {d}"))
                        .unwrap_or_default();
                    ConversionError::new(expected, "ARRAY").with_detail(format!(
                        "element {i} is {} where {} was expected{why}",
                        e.found, e.expected
                    ))
                })
            })
            .collect(),
        v => mismatch(expected, v),
    }
}

macro_rules! array_of {
    ($($t:ty),* $(,)?) => {$(
        impl From<Vec<$t>> for Value {
            fn from(v: Vec<$t>) -> Self {
                Value::Array(v.into_iter().map(Value::from).collect())
            }
        }
        impl From<Vec<$t>> for Expr {
            fn from(v: Vec<$t>) -> Self {
                Expr::Value(Value::from(v))
            }
        }
        impl FromValue for Vec<$t> {
            fn from_value(value: &Value) -> Result<Self, ConversionError> {
                elements(concat!("Vec<", stringify!($t), ">"), value)
            }
        }
        impl From<Vec<Option<$t>>> for Value {
            fn from(v: Vec<Option<$t>>) -> Self {
                Value::Array(v.into_iter().map(Value::from).collect())
            }
        }
        impl From<Vec<Option<$t>>> for Expr {
            fn from(v: Vec<Option<$t>>) -> Self {
                Expr::Value(Value::from(v))
            }
        }
        impl FromValue for Vec<Option<$t>> {
            fn from_value(value: &Value) -> Result<Self, ConversionError> {
                elements(concat!("Vec<Option<", stringify!($t), ">>"), value)
            }
        }
        impl From<Vec<Vec<$t>>> for Value {
            fn from(v: Vec<Vec<$t>>) -> Self {
                Value::Array(v.into_iter().map(Value::from).collect())
            }
        }
        impl From<Vec<Vec<$t>>> for Expr {
            fn from(v: Vec<Vec<$t>>) -> Self {
                Expr::Value(Value::from(v))
            }
        }
        impl FromValue for Vec<Vec<$t>> {
            fn from_value(value: &Value) -> Result<Self, ConversionError> {
                elements(concat!("Vec<Vec<", stringify!($t), ">>"), value)
            }
        }
        impl From<Vec<Vec<Option<$t>>>> for Value {
            fn from(v: Vec<Vec<Option<$t>>>) -> Self {
                Value::Array(v.into_iter().map(Value::from).collect())
            }
        }
        impl From<Vec<Vec<Option<$t>>>> for Expr {
            fn from(v: Vec<Vec<Option<$t>>>) -> Self {
                Expr::Value(Value::from(v))
            }
        }
        impl FromValue for Vec<Vec<Option<$t>>> {
            fn from_value(value: &Value) -> Result<Self, ConversionError> {
                elements(concat!("Vec<Vec<Option<", stringify!($t), ">>>"), value)
            }
        }
    )*};
}

array_of!(bool, i16, i32, i64, f32, f64, String);
#[cfg(feature = "rust_decimal")]
array_of!(rust_decimal::Decimal);
#[cfg(feature = "chrono")]
array_of!(
    chrono::NaiveDate,
    chrono::NaiveTime,
    chrono::NaiveDateTime,
    chrono::DateTime<chrono::Utc>
);
#[cfg(feature = "uuid")]
array_of!(uuid::Uuid);

impl From<Vec<&str>> for Value {
    fn from(v: Vec<&str>) -> Self {
        Value::Array(v.into_iter().map(Value::from).collect())
    }
}

impl From<Vec<&str>> for Expr {
    fn from(v: Vec<&str>) -> Self {
        Expr::Value(Value::from(v))
    }
}

impl From<Vec<Vec<&str>>> for Value {
    fn from(v: Vec<Vec<&str>>) -> Self {
        Value::Array(v.into_iter().map(Value::from).collect())
    }
}

impl From<Vec<Vec<&str>>> for Expr {
    fn from(v: Vec<Vec<&str>>) -> Self {
        Expr::Value(Value::from(v))
    }
}

/// A list of pairs: each becomes a two-value [`Value::Array`]; what a tuple IN given its list
/// at execution takes (`tuple_([a, b]).in_(bindparam_expanding("q"))` with
/// `row! { "q" => vec![(1, "x"), (2, "y")] }`).
impl<A: Into<Value>, B: Into<Value>> From<Vec<(A, B)>> for Value {
    fn from(v: Vec<(A, B)>) -> Self {
        Value::Array(
            v.into_iter()
                .map(|(a, b)| Value::Array(vec![a.into(), b.into()]))
                .collect(),
        )
    }
}

/// A list of triples, as the list of pairs above.
impl<A: Into<Value>, B: Into<Value>, C: Into<Value>> From<Vec<(A, B, C)>> for Value {
    fn from(v: Vec<(A, B, C)>) -> Self {
        Value::Array(
            v.into_iter()
                .map(|(a, b, c)| Value::Array(vec![a.into(), b.into(), c.into()]))
                .collect(),
        )
    }
}

impl<A: Into<Value>, B: Into<Value>> From<Vec<(A, B)>> for Expr {
    fn from(v: Vec<(A, B)>) -> Self {
        Expr::Value(Value::from(v))
    }
}

impl<A: Into<Value>, B: Into<Value>, C: Into<Value>> From<Vec<(A, B, C)>> for Expr {
    fn from(v: Vec<(A, B, C)>) -> Self {
        Expr::Value(Value::from(v))
    }
}

/// Any array, nested ones too, element by element.
impl FromValue for Vec<Value> {
    fn from_value(value: &Value) -> Result<Self, ConversionError> {
        match value {
            Value::Array(items) => Ok(items.clone()),
            v => mismatch("Vec<Value>", v),
        }
    }
    fn from_value_owned(value: Value) -> Result<Self, ConversionError> {
        match value {
            Value::Array(items) => Ok(items),
            v => mismatch("Vec<Value>", &v),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vectors_round_trip_through_array_values() {
        let v = Value::from(vec![1i64, 2, 3]);
        assert_eq!(
            v,
            Value::Array(vec![Value::Int(1), Value::Int(2), Value::Int(3)])
        );
        assert_eq!(Vec::<i64>::from_value(&v), Ok(vec![1, 2, 3]));
        assert_eq!(Vec::<i16>::from_value(&v), Ok(vec![1, 2, 3]));
        let with_null = Value::from(
            vec![Some("a"), None]
                .into_iter()
                .map(|s| s.map(String::from))
                .collect::<Vec<_>>(),
        );
        assert_eq!(
            Vec::<Option<String>>::from_value(&with_null),
            Ok(vec![Some("a".into()), None])
        );
        // Bytes stay bytes.
        assert_eq!(Value::from(vec![1u8, 2]), Value::Bytes(vec![1, 2]));
    }

    #[test]
    fn a_bad_element_is_named() {
        let v = Value::Array(vec![Value::Int(1), Value::Null]);
        let err = Vec::<i64>::from_value(&v).expect_err("NULL element");
        assert_eq!((err.expected, err.found), ("Vec<i64>", "ARRAY"));
        assert!(err.to_string().contains("element 1 is NULL"), "{err}");
        let err = Vec::<i64>::from_value(&Value::Int(1)).expect_err("not an array");
        assert_eq!(err.found, "INTEGER");
    }
}
