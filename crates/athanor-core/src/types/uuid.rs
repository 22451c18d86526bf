//! Conversions for `uuid::Uuid` (feature `uuid`).
//!
//! | Rust | goes out as | comes back from |
//! |---|---|---|
//! | `Uuid` | `Uuid` | `Uuid`; `Text` hyphenated (`67e55044-10b1-426f-9247-bb680e5fe0c8`), simple (32 hex digits, what SQLAlchemy stores in `CHAR(32)`), braced (`{...}`) or URN (`urn:uuid:...`), any case; `Bytes` of exactly 16 (`BINARY(16)`, big-endian as RFC 9562 lays it out) |
//!
//! ```
//! use athanor_core::{FromValue, Value};
//! use uuid::Uuid;
//!
//! let id = Uuid::from_u128(0x67e5_5044_10b1_426f_9247_bb68_0e5f_e0c8);
//! assert_eq!(Value::from(id), Value::Uuid(id));
//! assert_eq!(Uuid::from_value(&Value::Text("67e5504410b1426f9247bb680e5fe0c8".into()))?, id);
//! assert_eq!(Uuid::from_value(&Value::Bytes(id.as_bytes().to_vec()))?, id);
//! # Ok::<(), athanor_core::error::ConversionError>(())
//! ```

use ::uuid::Uuid;

use super::convert::{mismatch, quoted};
use super::{FromValue, Value};
use crate::error::ConversionError;
use crate::sql::Expr;

impl From<Uuid> for Value {
    fn from(v: Uuid) -> Self {
        Value::Uuid(v)
    }
}

/// Binds the UUID as a parameter, so it can be compared with a column.
impl From<Uuid> for Expr {
    fn from(v: Uuid) -> Self {
        Expr::Value(Value::from(v))
    }
}

impl FromValue for Uuid {
    fn from_value(value: &Value) -> Result<Self, ConversionError> {
        match value {
            Value::Uuid(u) => Ok(*u),
            Value::Text(s) => Uuid::try_parse(s).map_err(|_| {
                ConversionError::new("Uuid", "TEXT").with_detail(format!(
                    "{} is not a UUID; expected 32 hex digits, optionally hyphenated 8-4-4-4-12",
                    quoted(s)
                ))
            }),
            Value::Bytes(b) => Uuid::from_slice(b).map_err(|_| {
                ConversionError::new("Uuid", "BLOB")
                    .with_detail(format!("expected 16 bytes, found {}", b.len()))
            }),
            v => mismatch("Uuid", v),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: Uuid = Uuid::from_u128(0x67e5_5044_10b1_426f_9247_bb68_0e5f_e0c8);

    fn text(s: &str) -> Value {
        Value::Text(s.to_string())
    }

    fn err(v: Value) -> String {
        Uuid::from_value(&v)
            .expect_err("conversion should fail")
            .to_string()
    }

    #[test]
    fn round_trips_through_the_native_variant() {
        assert_eq!(Value::from(ID), Value::Uuid(ID));
        assert_eq!(Uuid::from_value(&Value::from(ID)), Ok(ID));
        assert_eq!(Option::<Uuid>::from_value(&Value::Null), Ok(None));
        assert!(matches!(Expr::from(ID), Expr::Value(Value::Uuid(x)) if x == ID));
    }

    #[test]
    fn every_text_form_parses() {
        for s in [
            "67e55044-10b1-426f-9247-bb680e5fe0c8",
            "67E55044-10B1-426F-9247-BB680E5FE0C8",
            "67e5504410b1426f9247bb680e5fe0c8",
            "{67e55044-10b1-426f-9247-bb680e5fe0c8}",
            "urn:uuid:67e55044-10b1-426f-9247-bb680e5fe0c8",
        ] {
            assert_eq!(Uuid::from_value(&text(s)), Ok(ID), "{s}");
        }
    }

    #[test]
    fn sixteen_bytes_parse_big_endian() {
        let bytes = ID.as_bytes().to_vec();
        assert_eq!(bytes[0], 0x67);
        assert_eq!(Uuid::from_value(&Value::Bytes(bytes)), Ok(ID));
    }

    #[test]
    fn bad_input_says_what_is_expected() {
        assert_eq!(
            err(text("not-a-uuid")),
            "cannot convert SQL TEXT to Rust Uuid (\"not-a-uuid\" is not a UUID; \
             expected 32 hex digits, optionally hyphenated 8-4-4-4-12)"
        );
        assert_eq!(
            err(text("67e55044-10b1-426f-9247-bb680e5fe0c")),
            "cannot convert SQL TEXT to Rust Uuid (\"67e55044-10b1-426f-9247-bb680e5fe0c\" is \
             not a UUID; expected 32 hex digits, optionally hyphenated 8-4-4-4-12)"
        );
        assert_eq!(
            err(text("67e5504410b1426f9247bb680e5fe0cz")),
            "cannot convert SQL TEXT to Rust Uuid (\"67e5504410b1426f9247bb680e5fe0cz\" is \
             not a UUID; expected 32 hex digits, optionally hyphenated 8-4-4-4-12)"
        );
        assert_eq!(
            err(Value::Bytes(vec![0; 15])),
            "cannot convert SQL BLOB to Rust Uuid (expected 16 bytes, found 15)"
        );
        assert_eq!(
            err(Value::Int(1)),
            "cannot convert SQL INTEGER to Rust Uuid"
        );
    }
}
