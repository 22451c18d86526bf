//! Conversions between Rust values and [`Value`]: `From<T> for Value` going out, [`FromValue`]
//! coming back.
//!
//! | Rust | `Type` | goes out as | comes back from |
//! |---|---|---|---|
//! | `bool` | `Boolean` | `Bool` | `Bool`, `Int` (0/1) |
//! | `i8`..`i64`, `u8`..`u32` | `SmallInteger`, `Integer`, `BigInteger` | `Int` | `Int` (range-checked), `Bool` |
//! | `u64` | `BigInteger` | `Int` (errors above `i64::MAX` on the way back) | `Int` |
//! | `f32`, `f64` | `Float`, `Double` | `Float` | `Float`, `Int`, `Decimal` |
//! | `String`, `&str` | `String`, `Text`, `Unicode`, `UnicodeText`, `Enum` | `Text` | `Text` |
//! | `Vec<u8>`, `&[u8]` | `LargeBinary` | `Bytes` | `Bytes`, `Text` |
//! | `Option<T>` | as `T`, nullable | `Null` for `None` | `Null` → `None` |
//! | [`Value`] | any | itself | anything |
//! | `chrono::NaiveDate` | `Date` | `Date` | `Date`; `Text` `YYYY-MM-DD` |
//! | `chrono::NaiveTime` | `Time` | `Time` | `Time`; `Text` `HH:MM:SS[.ffffff]`, `HH:MM` |
//! | `chrono::NaiveDateTime` | `DateTime` | `DateTime` | `DateTime`; `Text` `YYYY-MM-DD HH:MM:SS[.ffffff]`, `YYYY-MM-DD HH:MM` (`T` or space), `YYYY-MM-DD` (midnight) |
//! | `chrono::DateTime<Utc>` | `DateTime` | `DateTimeUtc` | `DateTimeUtc`, `DateTime` (as UTC); `Text` RFC 3339, `+HH` offset, or naive (as UTC) |
//! | `rust_decimal::Decimal` | `Numeric` | `Decimal` | `Decimal`, `Int`; `Float` (SQLite's REAL: not exact); `Text` (exact, `1.5e-7` too) |
//! | `uuid::Uuid` | `Uuid` | `Uuid` | `Uuid`; `Text` hyphenated, 32 hex digits, braced or URN; `Bytes` of 16 |
//! | `serde_json::Value` | `Json` | `Json` | `Json`; `Text`, `Bytes` (parsed); `Int`, `Float`, `Bool` (SQLite's numeric affinity) |
//! | `Vec<T>`, `Vec<Option<T>>` (`T` one of the above but `u8`) | `Array(T)` (PostgreSQL) | `Array` | `Array`, element by element |
//! | [`Interval`](super::Interval) | `Interval` (PostgreSQL) | `Interval` | `Interval` |
//! | `std::time::Duration` | `Interval` (PostgreSQL) | — | `Interval` without months, not negative |
//!
//! The last seven need a cargo feature: `chrono`, `rust_decimal`, `uuid`, `serde_json`; each
//! also converts into an [`Expr`](crate::sql::Expr), so `col.gt(date)` binds it. Text that does
//! not parse is a [`ConversionError`] quoting it and naming the form expected. See
//! [`crate::types`] for how each dialect stores them.

use super::Value;
use crate::error::ConversionError;

/// Reads a Rust value out of a SQL [`Value`].
///
/// Implement it for your own types to read them from rows.
///
/// ```
/// use athanor_core::{FromValue, Value};
/// assert_eq!(i32::from_value(&Value::Int(7)).unwrap(), 7);
/// assert_eq!(Option::<String>::from_value(&Value::Null).unwrap(), None);
/// assert!(i64::from_value(&Value::Null).is_err()); // NULL needs Option<T>
/// ```
pub trait FromValue: Sized {
    /// Converts, or says why it can't.
    ///
    /// # Errors
    /// A [`ConversionError`] naming both types when the value can't become `Self`.
    fn from_value(value: &Value) -> Result<Self, ConversionError>;

    /// Converts an owned value; override to avoid a copy (strings, bytes).
    ///
    /// # Errors
    /// As [`FromValue::from_value`].
    #[inline]
    fn from_value_owned(value: Value) -> Result<Self, ConversionError> {
        Self::from_value(&value)
    }
}

/// The error for a value of a kind `expected` never converts from.
pub(super) fn mismatch<T>(expected: &'static str, v: &Value) -> Result<T, ConversionError> {
    Err(ConversionError::new(expected, v.kind()))
}

/// Text as it appears in a conversion error's detail: quoted, and cut at 40 characters so a
/// stray document does not flood the message.
#[cfg(any(feature = "chrono", feature = "rust_decimal", feature = "uuid"))]
pub(super) fn quoted(s: &str) -> String {
    const MAX: usize = 40;
    match s.char_indices().nth(MAX) {
        Some((end, _)) => format!("{:?}...", &s[..end]),
        None => format!("{s:?}"),
    }
}

impl FromValue for Value {
    #[inline]
    fn from_value(value: &Value) -> Result<Self, ConversionError> {
        Ok(value.clone())
    }
    #[inline]
    fn from_value_owned(value: Value) -> Result<Self, ConversionError> {
        Ok(value)
    }
}

impl<T: FromValue> FromValue for Option<T> {
    #[inline]
    fn from_value(value: &Value) -> Result<Self, ConversionError> {
        match value {
            Value::Null => Ok(None),
            v => T::from_value(v).map(Some),
        }
    }
    #[inline]
    fn from_value_owned(value: Value) -> Result<Self, ConversionError> {
        match value {
            Value::Null => Ok(None),
            v => T::from_value_owned(v).map(Some),
        }
    }
}

impl FromValue for bool {
    #[inline]
    fn from_value(value: &Value) -> Result<Self, ConversionError> {
        match value {
            Value::Bool(b) => Ok(*b),
            Value::Int(i) => Ok(*i != 0),
            v => mismatch("bool", v),
        }
    }
}

macro_rules! int_from_value {
    ($($t:ty),*) => {$(
        impl FromValue for $t {
            #[inline]
            fn from_value(value: &Value) -> Result<Self, ConversionError> {
                match value {
                    Value::Int(i) => <$t>::try_from(*i).map_err(|_| {
                        ConversionError::new(stringify!($t), "INTEGER")
                            .with_detail(format!("{i} is out of range"))
                    }),
                    Value::Bool(b) => Ok(<$t>::from(*b)),
                    // SUM() of integers is NUMERIC on MySQL (and BIGINT-overflowing sums on
                    // PostgreSQL); arithmetic is often REAL on SQLite. A whole number converts;
                    // a fraction is an error, never truncated.
                    Value::Float(f) if f.fract() == 0.0 && f.is_finite() => {
                        let i = *f as i128;
                        <$t>::try_from(i).map_err(|_| {
                            ConversionError::new(stringify!($t), "FLOAT")
                                .with_detail(format!("{f} is out of range"))
                        })
                    }
                    #[cfg(feature = "rust_decimal")]
                    Value::Decimal(d) if d.fract().is_zero() => {
                        use rust_decimal::prelude::ToPrimitive;
                        d.to_i128().and_then(|i| <$t>::try_from(i).ok()).ok_or_else(|| {
                            ConversionError::new(stringify!($t), "NUMERIC")
                                .with_detail(format!("{d} is out of range"))
                        })
                    }
                    v => mismatch(stringify!($t), v),
                }
            }
        }
    )*};
}
int_from_value!(i8, i16, i32, i64, u8, u16, u32, u64, i128, u128);

impl FromValue for isize {
    #[inline]
    fn from_value(value: &Value) -> Result<Self, ConversionError> {
        let i = i64::from_value(value).map_err(|e| ConversionError {
            expected: "isize",
            ..e
        })?;
        isize::try_from(i).map_err(|_| {
            ConversionError::new("isize", "INTEGER").with_detail(format!("{i} is out of range"))
        })
    }
}

impl FromValue for usize {
    #[inline]
    fn from_value(value: &Value) -> Result<Self, ConversionError> {
        let i = i64::from_value(value).map_err(|e| ConversionError {
            expected: "usize",
            ..e
        })?;
        usize::try_from(i).map_err(|_| {
            ConversionError::new("usize", "INTEGER").with_detail(format!("{i} is out of range"))
        })
    }
}

impl FromValue for f64 {
    #[inline]
    fn from_value(value: &Value) -> Result<Self, ConversionError> {
        match value {
            Value::Float(f) => Ok(*f),
            Value::Int(i) => Ok(*i as f64),
            #[cfg(feature = "rust_decimal")]
            Value::Decimal(d) => {
                use rust_decimal::prelude::ToPrimitive;
                d.to_f64()
                    .ok_or_else(|| ConversionError::new("f64", "NUMERIC"))
            }
            v => mismatch("f64", v),
        }
    }
}

impl FromValue for f32 {
    #[inline]
    fn from_value(value: &Value) -> Result<Self, ConversionError> {
        f64::from_value(value)
            .map(|f| f as f32)
            .map_err(|e| ConversionError {
                expected: "f32",
                ..e
            })
    }
}

impl FromValue for String {
    #[inline]
    fn from_value(value: &Value) -> Result<Self, ConversionError> {
        match value {
            Value::Text(s) => Ok(s.clone()),
            v => mismatch("String", v),
        }
    }
    #[inline]
    fn from_value_owned(value: Value) -> Result<Self, ConversionError> {
        match value {
            Value::Text(s) => Ok(s),
            v => mismatch("String", &v),
        }
    }
}

impl FromValue for Vec<u8> {
    #[inline]
    fn from_value(value: &Value) -> Result<Self, ConversionError> {
        match value {
            Value::Bytes(b) => Ok(b.clone()),
            Value::Text(s) => Ok(s.as_bytes().to_vec()),
            v => mismatch("Vec<u8>", v),
        }
    }
    #[inline]
    fn from_value_owned(value: Value) -> Result<Self, ConversionError> {
        match value {
            Value::Bytes(b) => Ok(b),
            Value::Text(s) => Ok(s.into_bytes()),
            v => mismatch("Vec<u8>", &v),
        }
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Null, Into::into)
    }
}

macro_rules! into_value {
    ($($t:ty => $variant:ident via $conv:expr),* $(,)?) => {$(
        impl From<$t> for Value {
            fn from(v: $t) -> Self {
                Value::$variant($conv(v))
            }
        }
    )*};
}
into_value!(
    bool => Bool via |v| v,
    i8 => Int via i64::from,
    i16 => Int via i64::from,
    i32 => Int via i64::from,
    i64 => Int via |v| v,
    u8 => Int via i64::from,
    u16 => Int via i64::from,
    u32 => Int via i64::from,
    f32 => Float via f64::from,
    f64 => Float via |v| v,
    String => Text via |v| v,
    &str => Text via str::to_string,
    &String => Text via String::clone,
    Vec<u8> => Bytes via |v| v,
    &[u8] => Bytes via <[u8]>::to_vec,
);

/// `u64` above `i64::MAX` cannot be stored in SQL's signed integers; it saturates to text so
/// the database refuses it rather than silently wrapping.
impl From<u64> for Value {
    fn from(v: u64) -> Self {
        i64::try_from(v).map_or_else(|_| Value::Text(v.to_string()), Value::Int)
    }
}

impl From<usize> for Value {
    fn from(v: usize) -> Self {
        Value::from(v as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_are_range_checked() {
        assert_eq!(i8::from_value(&Value::Int(127)), Ok(127));
        let err = i8::from_value(&Value::Int(300)).expect_err("conversion should fail");
        assert_eq!(err.expected, "i8");
        assert!(err.to_string().contains("300 is out of range"), "{err}");
    }

    #[test]
    fn text_is_not_an_integer() {
        let err = i64::from_value(&Value::Text("abc".into()))
            .expect_err("conversion should fail")
            .with_column("age", 1);
        assert_eq!(
            err.to_string(),
            "column \"age\" (index 1): cannot convert SQL TEXT to Rust i64"
        );
    }

    #[test]
    fn null_needs_option() {
        assert!(f64::from_value(&Value::Null).is_err());
        assert_eq!(Option::<f64>::from_value(&Value::Null), Ok(None));
        assert_eq!(
            Option::<f64>::from_value(&Value::Float(45.1)),
            Ok(Some(45.1))
        );
    }

    #[test]
    fn owned_strings_move() {
        assert_eq!(
            String::from_value_owned(Value::Text("x".into())),
            Ok("x".to_string())
        );
        assert!(String::from_value_owned(Value::Int(1)).is_err());
    }
}
