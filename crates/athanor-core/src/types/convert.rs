//! Conversions between Rust values and [`Value`]: `From<T> for Value` going out, [`FromValue`]
//! coming back.
//!
//! | Rust | `Type` | goes out as | comes back from |
//! |---|---|---|---|
//! | `bool` | `Boolean` | `Bool` | `Bool`, `Int` (0 or 1; other integers are an error) |
//! | `i8`..`i64`, `u8`..`u32`, `i128`, `u128`, `isize`, `usize` | `SmallInteger`, `Integer`, `BigInteger` | `Int` | `Int`, whole `Decimal`, whole `Float` within ±2^53 (range-checked; a fraction is an error, never truncated; a larger float may be the rounding of another integer and is an error too), `Bool` |
//! | `u64` | `BigInteger` | `Int`; above `i64::MAX`, `Text` of its digits (MySQL's `BIGINT UNSIGNED` takes it; SQLite turns it into a REAL in an INTEGER column, which then reads back as an error, not as a neighbouring number) | as the other integers; MySQL's `BIGINT UNSIGNED` above `i64::MAX` arrives as a whole `Decimal` |
//! | `f64` | `Float`, `Double` | `Float` | `Float`; `Int` when exact (within ±2^53, else an error); `Decimal` (the nearest `f64`: a decimal read as a float is rounded, as SQLAlchemy's `Numeric(asdecimal=False)`) |
//! | `f32` | `Float` | `Float` (widened exactly) | as `f64`, then only when the `f32` holds it exactly (a 4-byte float column reads back; a double such as 0.1 is an error: read `f64`); decimals rounded, but never to infinity |
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
//! Every conversion is exact or a [`ConversionError`] naming the value and the Rust type:
//! nothing is truncated, wrapped, saturated or rounded on the way, except where the table
//! says so (decimals read as floats, floats read as decimals on SQLite).
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
            Value::Int(0) => Ok(false),
            Value::Int(1) => Ok(true),
            // 2 is not a boolean: reading it as `true` would lose the value.
            Value::Int(i) => Err(ConversionError::new("bool", "INTEGER")
                .with_detail(format!("{i} is neither 0 nor 1"))),
            v => mismatch("bool", v),
        }
    }
}

/// 2^53: every whole float within ± this is exactly one integer.
const MAX_EXACT_INT: f64 = 9_007_199_254_740_992.0;

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
                    // Within ±2^53 a whole float is exactly one integer; beyond, it may be
                    // the rounding of another (SQLite turns a u64 above i64::MAX into REAL).
                    Value::Float(f) if f.fract() == 0.0 && f.abs() <= MAX_EXACT_INT => {
                        <$t>::try_from(*f as i64).map_err(|_| {
                            ConversionError::new(stringify!($t), "FLOAT")
                                .with_detail(format!("{f} is out of range"))
                        })
                    }
                    Value::Float(f) if f.fract() == 0.0 => {
                        Err(ConversionError::new(stringify!($t), "FLOAT").with_detail(format!(
                            "{f:e} is beyond ±2^53, where a float no longer tells which \
                             integer was stored: read it as f64"
                        )))
                    }
                    Value::Float(f) => Err(ConversionError::new(stringify!($t), "FLOAT")
                        .with_detail(format!("{f} is not a whole number"))),
                    #[cfg(feature = "rust_decimal")]
                    Value::Decimal(d) if d.fract().is_zero() => {
                        use rust_decimal::prelude::ToPrimitive;
                        d.to_i128().and_then(|i| <$t>::try_from(i).ok()).ok_or_else(|| {
                            ConversionError::new(stringify!($t), "NUMERIC")
                                .with_detail(format!("{d} is out of range"))
                        })
                    }
                    #[cfg(feature = "rust_decimal")]
                    Value::Decimal(d) => Err(ConversionError::new(stringify!($t), "NUMERIC")
                        .with_detail(format!("{d} is not a whole number"))),
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
        let i = i64::from_value(value).map_err(|e| e.expecting("isize"))?;
        isize::try_from(i).map_err(|_| {
            ConversionError::new("isize", "INTEGER").with_detail(format!("{i} is out of range"))
        })
    }
}

impl FromValue for usize {
    #[inline]
    fn from_value(value: &Value) -> Result<Self, ConversionError> {
        let i = i64::from_value(value).map_err(|e| e.expecting("usize"))?;
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
            // Integers beyond 2^53 have no exact f64: an error, not the nearest float.
            Value::Int(i) => {
                let f = *i as f64;
                // `f` is at most 2^63 in magnitude: the cast back is exact.
                if f as i128 == i128::from(*i) {
                    Ok(f)
                } else {
                    Err(ConversionError::new("f64", "INTEGER").with_detail(format!(
                        "{i} has no exact f64 (read it as i64, or as Decimal)"
                    )))
                }
            }
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
        let wide = f64::from_value(value).map_err(|e| e.expecting("f32"))?;
        let narrow = wide as f32;
        // A 4-byte float column (MySQL FLOAT, PostgreSQL REAL) widens exactly and narrows back;
        // a double that needs more precision (0.1 from a DOUBLE) is refused, not rounded.
        // A decimal read as a float is rounded to the nearest f64 on the way (see the table).
        let decimal = value.kind() == "NUMERIC";
        let overflow = narrow.is_infinite() && wide.is_finite();
        if !overflow && (decimal || f64::from(narrow) == wide || wide.is_nan()) {
            Ok(narrow)
        } else {
            Err(ConversionError::new("f32", value.kind())
                .with_detail(format!("{wide:?} has no exact f32 (read it as f64)")))
        }
    }
}

impl FromValue for String {
    #[inline]
    fn from_value(value: &Value) -> Result<Self, ConversionError> {
        match value {
            Value::Text(s) => Ok(s.clone()),
            // A UUID read as text is its text with dashes (SQLAlchemy's `Uuid(as_uuid=False)`).
            #[cfg(feature = "uuid")]
            Value::Uuid(u) => Ok(u.hyphenated().to_string()),
            v => mismatch("String", v),
        }
    }
    #[inline]
    fn from_value_owned(value: Value) -> Result<Self, ConversionError> {
        match value {
            Value::Text(s) => Ok(s),
            #[cfg(feature = "uuid")]
            Value::Uuid(u) => Ok(u.hyphenated().to_string()),
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
    fn floats_become_integers_only_when_whole_and_in_range() {
        assert_eq!(i64::from_value(&Value::Float(-3.0)), Ok(-3));
        let detail = |e: ConversionError| e.detail.clone().unwrap_or_default();
        assert_eq!(
            detail(i64::from_value(&Value::Float(2.5)).unwrap_err()),
            "2.5 is not a whole number"
        );
        // `1e40 as i128` saturates to i128::MAX: that must not pass for a u128.
        assert_eq!(
            detail(u128::from_value(&Value::Float(1e40)).unwrap_err()),
            "1e40 is beyond ±2^53, where a float no longer tells which integer was stored: \
             read it as f64"
        );
        // What SQLite stores for the u64 2^63 + 1: REAL 2^63. Not read back as 2^63.
        let stored = 9_223_372_036_854_775_809u64 as f64;
        assert!(u64::from_value(&Value::Float(stored)).is_err());
        assert_eq!(
            i64::from_value(&Value::Float(9_007_199_254_740_992.0)),
            Ok(1 << 53)
        );
        assert_eq!(
            i64::from_value(&Value::Float(-9_007_199_254_740_992.0)),
            Ok(-(1 << 53))
        );
        assert!(i64::from_value(&Value::Float(18_014_398_509_481_984.0)).is_err());
        assert_eq!(
            detail(i8::from_value(&Value::Float(300.0)).unwrap_err()),
            "300 is out of range"
        );
        assert!(u64::from_value(&Value::Float(f64::NAN)).is_err());
        assert!(i32::from_value(&Value::Float(f64::INFINITY)).is_err());
    }

    #[test]
    fn integers_become_floats_only_when_exact() {
        assert_eq!(
            f64::from_value(&Value::Int(1 << 53)),
            Ok(9_007_199_254_740_992.0)
        );
        let err = f64::from_value(&Value::Int((1 << 53) + 1)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "cannot convert SQL INTEGER to Rust f64 (9007199254740993 has no exact f64 \
             (read it as i64, or as Decimal))"
        );
        assert!(f64::from_value(&Value::Int(i64::MAX)).is_err());
        assert_eq!(
            f64::from_value(&Value::Int(i64::MIN)),
            Ok(-9.223_372_036_854_776e18)
        );
    }

    #[test]
    fn f32_reads_only_what_it_holds() {
        assert_eq!(
            f32::from_value(&Value::Float(f64::from(0.1f32))),
            Ok(0.1f32)
        );
        assert_eq!(f32::from_value(&Value::Float(0.5)), Ok(0.5));
        assert!(f32::from_value(&Value::Float(f64::NAN)).is_ok_and(f32::is_nan));
        assert_eq!(
            f32::from_value(&Value::Float(f64::INFINITY)),
            Ok(f32::INFINITY)
        );
        let err = f32::from_value(&Value::Float(0.1)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "cannot convert SQL FLOAT to Rust f32 (0.1 has no exact f32 (read it as f64))"
        );
        assert!(f32::from_value(&Value::Float(1e300)).is_err());
        assert!(f32::from_value(&Value::Int(16_777_217)).is_err());
    }

    #[test]
    fn booleans_are_zero_or_one() {
        assert_eq!(bool::from_value(&Value::Int(0)), Ok(false));
        assert_eq!(bool::from_value(&Value::Int(1)), Ok(true));
        assert_eq!(
            bool::from_value(&Value::Int(2)).unwrap_err().to_string(),
            "cannot convert SQL INTEGER to Rust bool (2 is neither 0 nor 1)"
        );
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
