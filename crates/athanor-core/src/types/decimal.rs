//! Conversions for `rust_decimal::Decimal` (feature `rust_decimal`).
//!
//! | Rust | goes out as | comes back from |
//! |---|---|---|
//! | `Decimal` | `Decimal` | `Decimal`; `Int`; `Float` (rounded, see below); `Text` (parsed exactly: `12.50`, `-3`, `1.5e-7`) |
//!
//! PostgreSQL and MySQL hand back `NUMERIC` exactly. **SQLite stores `NUMERIC` as REAL** (or
//! INTEGER when the value is whole), as SQLAlchemy documents, so a decimal read from SQLite is
//! only as exact as an `f64`: a `Float` becomes the shortest decimal that reads back as the same
//! `f64` (`12.34`, not `12.339999999999999857891452848`), rounded to `Decimal`'s 28 fractional
//! digits. Text is parsed exactly, or refused when it has more digits than `Decimal` holds.
//!
//! ```
//! use athanor_core::{FromValue, Value};
//! use rust_decimal::Decimal;
//!
//! let price = Decimal::new(1234, 2); // 12.34
//! assert_eq!(Value::from(price), Value::Decimal(price));
//! assert_eq!(Decimal::from_value(&Value::Float(12.34))?, price); // SQLite's REAL
//! assert_eq!(Decimal::from_value(&Value::Text("12.34".into()))?, price);
//! # Ok::<(), athanor_core::error::ConversionError>(())
//! ```

use ::rust_decimal::Decimal;

use super::convert::{mismatch, quoted};
use super::{FromValue, Value};
use crate::error::ConversionError;
use crate::sql::Expr;

impl From<Decimal> for Value {
    fn from(v: Decimal) -> Self {
        Value::Decimal(v)
    }
}

/// Binds the decimal as a parameter, so it can be compared with a column.
impl From<Decimal> for Expr {
    fn from(v: Decimal) -> Self {
        Expr::Value(Value::from(v))
    }
}

fn from_float(f: f64) -> Result<Decimal, ConversionError> {
    Decimal::try_from(f).map_err(|_| {
        let why = if f.is_finite() {
            format!("{f:e} is outside Decimal's range of ±{:e}", Decimal::MAX)
        } else {
            format!("{f} has no decimal value")
        };
        ConversionError::new("Decimal", "FLOAT").with_detail(why)
    })
}

fn from_text(s: &str) -> Result<Decimal, ConversionError> {
    let parsed = if s.contains(['e', 'E']) {
        Decimal::from_scientific(s)
    } else {
        Decimal::from_str_exact(s).or_else(|e| match s.split_once('.') {
            // Trailing zeros of a fraction carry no value, only a column's scale (MySQL sends
            // a DECIMAL(38, 12) as 31943874831932418390.010000000000, more digits than
            // Decimal's 96 bits): without them the value may fit, exactly.
            Some((_, frac)) if frac.ends_with('0') => {
                Decimal::from_str_exact(s.trim_end_matches('0').trim_end_matches('.'))
            }
            _ => Err(e),
        })
    };
    parsed.map_err(|e| {
        ConversionError::new("Decimal", "TEXT")
            .with_detail(format!("{} is not an exact decimal: {e}", quoted(s)))
    })
}

impl FromValue for Decimal {
    fn from_value(value: &Value) -> Result<Self, ConversionError> {
        match value {
            Value::Decimal(d) => Ok(*d),
            Value::Int(i) => Ok(Decimal::from(*i)),
            Value::Float(f) => from_float(*f),
            Value::Text(s) => from_text(s),
            v => mismatch("Decimal", v),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str_exact(s).expect("valid decimal")
    }

    fn err(v: Value) -> String {
        Decimal::from_value(&v)
            .expect_err("conversion should fail")
            .to_string()
    }

    #[test]
    fn round_trips_through_the_native_variant() {
        let d = dec("-1234567890.0987654321");
        assert_eq!(Value::from(d), Value::Decimal(d));
        assert_eq!(Decimal::from_value(&Value::from(d)), Ok(d));
        assert_eq!(Option::<Decimal>::from_value(&Value::Null), Ok(None));
        assert!(matches!(Expr::from(d), Expr::Value(Value::Decimal(x)) if x == d));
        // Going to f64 is in convert.rs; check the two directions agree.
        assert_eq!(f64::from_value(&Value::Decimal(dec("12.34"))), Ok(12.34));
    }

    #[test]
    fn integers_are_exact() {
        assert_eq!(Decimal::from_value(&Value::Int(42)), Ok(dec("42")));
        assert_eq!(
            Decimal::from_value(&Value::Int(i64::MIN)),
            Ok(dec("-9223372036854775808"))
        );
    }

    #[test]
    fn sqlite_reals_become_the_shortest_decimal() {
        for (f, s) in [
            (12.34, "12.34"),
            (0.1, "0.1"),
            (-2.5, "-2.5"),
            (1e20, "1e20"),
        ] {
            let expected = if s.contains('e') {
                Decimal::from_scientific(s).expect("valid")
            } else {
                dec(s)
            };
            assert_eq!(Decimal::from_value(&Value::Float(f)), Ok(expected), "{f}");
        }
    }

    #[test]
    fn text_is_parsed_exactly() {
        assert_eq!(
            Decimal::from_value(&Value::Text("12.50".into())),
            Ok(dec("12.50"))
        );
        assert_eq!(
            Decimal::from_value(&Value::Text("12.50".into())).map(|d| d.scale()),
            Ok(2)
        );
        assert_eq!(
            Decimal::from_value(&Value::Text("-3".into())),
            Ok(dec("-3"))
        );
        assert_eq!(
            Decimal::from_value(&Value::Text("1.5e-7".into())),
            Ok(dec("0.00000015"))
        );
        assert_eq!(
            Decimal::from_value(&Value::Text("2E3".into())),
            Ok(dec("2000"))
        );
        assert_eq!(
            Decimal::from_value(&Value::Text("79228162514264337593543950335".into())),
            Ok(Decimal::MAX)
        );
    }

    #[test]
    fn a_scale_wider_than_decimal_keeps_the_value() {
        // DECIMAL(38, 12) text: too many digits with the zeros, exact without them.
        assert_eq!(
            Decimal::from_value(&Value::Text("31943874831932418390.010000000000".into())),
            Ok(dec("31943874831932418390.01"))
        );
        assert_eq!(
            Decimal::from_value(&Value::Text("-100.000".into())).map(|d| d.to_string()),
            Ok("-100.000".into())
        );
        // Digits that carry value are never dropped.
        assert!(
            Decimal::from_value(&Value::Text("0.123456789012345678901234567891".into())).is_err()
        );
    }

    #[test]
    fn bad_text_says_why() {
        assert_eq!(
            err(Value::Text("abc".into())),
            "cannot convert SQL TEXT to Rust Decimal \
             (\"abc\" is not an exact decimal: Invalid decimal: unknown character)"
        );
        assert_eq!(
            err(Value::Text("79228162514264337593543950336".into())),
            "cannot convert SQL TEXT to Rust Decimal (\"79228162514264337593543950336\" is not \
             an exact decimal: Invalid decimal: overflow from too many digits)"
        );
        assert_eq!(
            err(Value::Text("0.12345678901234567890123456789".into())),
            "cannot convert SQL TEXT to Rust Decimal (\"0.12345678901234567890123456789\" is \
             not an exact decimal: Number has a high precision that can not be represented.)"
        );
        assert_eq!(
            err(Value::Text("1e99".into())),
            "cannot convert SQL TEXT to Rust Decimal \
             (\"1e99\" is not an exact decimal: Scale exceeds the maximum precision allowed: 99 > 28)"
        );
    }

    #[test]
    fn floats_outside_decimal_are_an_error() {
        assert_eq!(
            err(Value::Float(1e30)),
            "cannot convert SQL FLOAT to Rust Decimal \
             (1e30 is outside Decimal's range of ±7.9228162514264337593543950335e28)"
        );
        assert_eq!(
            err(Value::Float(f64::NAN)),
            "cannot convert SQL FLOAT to Rust Decimal (NaN has no decimal value)"
        );
        assert_eq!(
            err(Value::Float(f64::NEG_INFINITY)),
            "cannot convert SQL FLOAT to Rust Decimal (-inf has no decimal value)"
        );
    }

    #[test]
    fn other_kinds_are_refused() {
        assert_eq!(
            err(Value::Bool(true)),
            "cannot convert SQL BOOLEAN to Rust Decimal"
        );
        assert_eq!(err(Value::Null), "cannot convert SQL NULL to Rust Decimal");
        assert_eq!(
            err(Value::Bytes(b"1".to_vec())),
            "cannot convert SQL BLOB to Rust Decimal"
        );
    }
}
