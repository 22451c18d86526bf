//! Conversions for `serde_json::Value` (feature `serde_json`).
//!
//! | Rust | goes out as | comes back from |
//! |---|---|---|
//! | `serde_json::Value` | `Json` | `Json`; `Text` (parsed); `Bytes` (parsed as UTF-8 JSON, as MySQL's `JSON` can arrive); `Int`, `Float`, `Bool` (the JSON number or boolean) |
//!
//! A document with a number `serde_json` can't hold as written (beyond `i64`/`u64`, or more
//! digits than an `f64` keeps) is a conversion error naming it, not its nearest `f64`
//! ([`parse_json`](super::parse_json)); read such a document as `String`.
//!
//! SQLite has no JSON type: documents are TEXT, and since a column declared `JSON` has NUMERIC
//! affinity, a document that is a bare number comes back as INTEGER or REAL — hence `Int` and
//! `Float`. SQL `NULL` is not JSON `null`: read `Option<serde_json::Value>` to accept it.
//!
//! ```
//! use athanor_core::{FromValue, Value};
//! use serde_json::json;
//!
//! let doc = json!({"tags": ["a", "b"]});
//! assert_eq!(Value::from(doc.clone()), Value::Json(doc.clone()));
//! let text = Value::Text(r#"{"tags": ["a", "b"]}"#.into()); // from SQLite
//! assert_eq!(serde_json::Value::from_value(&text)?, doc);
//! # Ok::<(), athanor_core::error::ConversionError>(())
//! ```

use ::serde_json::Value as Json;

use super::convert::mismatch;
use super::{FromValue, Value};
use crate::error::ConversionError;
use crate::sql::Expr;

const RUST: &str = "serde_json::Value";

impl From<Json> for Value {
    fn from(v: Json) -> Self {
        Value::Json(v)
    }
}

/// Binds the document as a parameter, so it can be compared with a column.
impl From<Json> for Expr {
    fn from(v: Json) -> Self {
        Expr::Value(Value::from(v))
    }
}

fn invalid(found: &'static str, e: &str) -> ConversionError {
    ConversionError::new(RUST, found).with_detail(e)
}

impl FromValue for Json {
    fn from_value(value: &Value) -> Result<Self, ConversionError> {
        match value {
            Value::Json(j) => Ok(j.clone()),
            Value::Text(s) => super::parse_json(s).map_err(|e| invalid("TEXT", &e)),
            Value::Bytes(b) => match std::str::from_utf8(b) {
                Ok(s) => super::parse_json(s),
                Err(_) => serde_json::from_slice(b).map_err(|e| format!("not valid JSON: {e}")),
            }
            .map_err(|e| invalid("BLOB", &e)),
            Value::Int(i) => Ok(Json::from(*i)),
            Value::Float(f) => serde_json::Number::from_f64(*f)
                .map(Json::Number)
                .ok_or_else(|| {
                    ConversionError::new(RUST, "FLOAT")
                        .with_detail(format!("{f} is not a JSON number"))
                }),
            Value::Bool(b) => Ok(Json::Bool(*b)),
            v => mismatch(RUST, v),
        }
    }

    fn from_value_owned(value: Value) -> Result<Self, ConversionError> {
        match value {
            Value::Json(j) => Ok(j),
            v => Self::from_value(&v),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn err(v: Value) -> String {
        Json::from_value(&v)
            .expect_err("conversion should fail")
            .to_string()
    }

    #[test]
    fn round_trips_through_the_native_variant() {
        let doc = json!({"a": [1, 2.5, null, "x"], "b": {"c": true}});
        assert_eq!(Value::from(doc.clone()), Value::Json(doc.clone()));
        assert_eq!(Json::from_value(&Value::from(doc.clone())), Ok(doc.clone()));
        assert_eq!(
            Json::from_value_owned(Value::from(doc.clone())),
            Ok(doc.clone())
        );
        assert_eq!(Option::<Json>::from_value(&Value::Null), Ok(None));
        assert!(matches!(Expr::from(doc.clone()), Expr::Value(Value::Json(x)) if x == doc));
    }

    #[test]
    fn text_and_bytes_are_parsed() {
        let doc = json!({"name": "Bob", "tags": []});
        let s = r#" {"name": "Bob", "tags": []} "#;
        assert_eq!(Json::from_value(&Value::Text(s.into())), Ok(doc.clone()));
        assert_eq!(
            Json::from_value_owned(Value::Text(s.into())),
            Ok(doc.clone())
        );
        assert_eq!(
            Json::from_value(&Value::Bytes(s.as_bytes().to_vec())),
            Ok(doc)
        );
        assert_eq!(
            Json::from_value(&Value::Text("\"hi\"".into())),
            Ok(json!("hi"))
        );
        assert_eq!(
            Json::from_value(&Value::Text("null".into())),
            Ok(Json::Null)
        );
    }

    #[test]
    fn sqlite_numeric_affinity_scalars_are_accepted() {
        assert_eq!(Json::from_value(&Value::Int(3)), Ok(json!(3)));
        assert_eq!(Json::from_value(&Value::Float(1.5)), Ok(json!(1.5)));
        assert_eq!(Json::from_value(&Value::Bool(false)), Ok(json!(false)));
    }

    #[test]
    fn bad_input_says_where() {
        assert_eq!(
            err(Value::Text("{\"a\": }".into())),
            "cannot convert SQL TEXT to Rust serde_json::Value \
             (not valid JSON: expected value at line 1 column 7)"
        );
        assert_eq!(
            err(Value::Text("hello".into())),
            "cannot convert SQL TEXT to Rust serde_json::Value \
             (not valid JSON: expected value at line 1 column 1)"
        );
        assert_eq!(
            err(Value::Bytes(vec![b'"', 0xFF, b'"'])),
            "cannot convert SQL BLOB to Rust serde_json::Value \
             (not valid JSON: invalid unicode code point at line 1 column 2)"
        );
        assert_eq!(
            err(Value::Float(f64::NAN)),
            "cannot convert SQL FLOAT to Rust serde_json::Value (NaN is not a JSON number)"
        );
        assert_eq!(
            err(Value::Null),
            "cannot convert SQL NULL to Rust serde_json::Value"
        );
    }
}
