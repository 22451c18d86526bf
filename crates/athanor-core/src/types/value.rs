//! [`Value`]: one SQL value on its way to or from the database.

use std::fmt;
use std::hash::{Hash, Hasher};

/// One SQL value: a bound parameter going out, or a column value coming back.
///
/// The variants behind cargo features (`chrono`, `rust_decimal`, `uuid`, `serde_json`) exist
/// only when the feature is on.
///
/// ```
/// use athanor_core::Value;
/// assert_eq!(Value::from(42), Value::Int(42));
/// assert_eq!(Value::from(None::<i32>), Value::Null);
/// assert_eq!(Value::from("Bob").to_string(), "'Bob'");
/// ```
#[derive(Clone, PartialEq, Default)]
#[non_exhaustive]
pub enum Value {
    /// SQL NULL.
    #[default]
    Null,
    /// A boolean.
    Bool(bool),
    /// Any integer that fits in 64 signed bits.
    Int(i64),
    /// A double-precision float.
    Float(f64),
    /// Text.
    Text(String),
    /// Bytes (BLOB, BYTEA, VARBINARY).
    Bytes(Vec<u8>),
    /// An exact decimal (feature `rust_decimal`).
    #[cfg(feature = "rust_decimal")]
    Decimal(rust_decimal::Decimal),
    /// A calendar date (feature `chrono`).
    #[cfg(feature = "chrono")]
    Date(chrono::NaiveDate),
    /// A time of day (feature `chrono`).
    #[cfg(feature = "chrono")]
    Time(chrono::NaiveTime),
    /// A time of day with its UTC offset (feature `chrono`; PostgreSQL `TIME WITH TIME ZONE`).
    #[cfg(feature = "chrono")]
    TimeTz(super::TimeTz),
    /// A date and time without time zone (feature `chrono`).
    #[cfg(feature = "chrono")]
    DateTime(chrono::NaiveDateTime),
    /// A date and time in UTC (feature `chrono`).
    #[cfg(feature = "chrono")]
    DateTimeUtc(chrono::DateTime<chrono::Utc>),
    /// A UUID (feature `uuid`).
    #[cfg(feature = "uuid")]
    Uuid(uuid::Uuid),
    /// A JSON document (feature `serde_json`).
    #[cfg(feature = "serde_json")]
    Json(serde_json::Value),
    /// An array (PostgreSQL `ARRAY`): `Vec<T>` goes out as one and comes back from one; a
    /// multi-dimensional array nests.
    ///
    /// ```
    /// use athanor_core::{FromValue, Value};
    /// let tags = Value::from(vec!["a", "b"]);
    /// assert_eq!(tags, Value::Array(vec![Value::from("a"), Value::from("b")]));
    /// assert_eq!(Vec::<String>::from_value(&tags)?, ["a", "b"]);
    /// # Ok::<(), athanor_core::error::ConversionError>(())
    /// ```
    Array(Vec<Value>),
    /// A span of months, days and microseconds (PostgreSQL `INTERVAL`).
    Interval(super::interval::Interval),
}

impl Value {
    /// The SQL kind of this value, for messages: `NULL`, `INTEGER`, `TEXT`, ...
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "NULL",
            Value::Bool(_) => "BOOLEAN",
            Value::Int(_) => "INTEGER",
            Value::Float(_) => "FLOAT",
            Value::Text(_) => "TEXT",
            Value::Bytes(_) => "BLOB",
            #[cfg(feature = "rust_decimal")]
            Value::Decimal(_) => "NUMERIC",
            #[cfg(feature = "chrono")]
            Value::Date(_) => "DATE",
            #[cfg(feature = "chrono")]
            Value::Time(_) => "TIME",
            #[cfg(feature = "chrono")]
            Value::TimeTz(_) => "TIME WITH TIME ZONE",
            #[cfg(feature = "chrono")]
            Value::DateTime(_) => "DATETIME",
            #[cfg(feature = "chrono")]
            Value::DateTimeUtc(_) => "TIMESTAMP WITH TIME ZONE",
            #[cfg(feature = "uuid")]
            Value::Uuid(_) => "UUID",
            #[cfg(feature = "serde_json")]
            Value::Json(_) => "JSON",
            Value::Array(_) => "ARRAY",
            Value::Interval(_) => "INTERVAL",
        }
    }

    /// A distinct byte per kind, for statement cache keys.
    pub(crate) fn kind_tag(&self) -> u8 {
        match self {
            Value::Null => 1,
            Value::Bool(_) => 2,
            Value::Int(_) => 3,
            Value::Float(_) => 4,
            Value::Text(_) => 5,
            Value::Bytes(_) => 6,
            #[cfg(feature = "rust_decimal")]
            Value::Decimal(_) => 7,
            #[cfg(feature = "chrono")]
            Value::Date(_) => 8,
            #[cfg(feature = "chrono")]
            Value::Time(_) => 9,
            #[cfg(feature = "chrono")]
            Value::DateTime(_) => 10,
            #[cfg(feature = "chrono")]
            Value::DateTimeUtc(_) => 11,
            #[cfg(feature = "uuid")]
            Value::Uuid(_) => 12,
            #[cfg(feature = "serde_json")]
            Value::Json(_) => 13,
            Value::Array(_) => 14,
            Value::Interval(_) => 15,
            #[cfg(feature = "chrono")]
            Value::TimeTz(_) => 16,
        }
    }

    /// True for [`Value::Null`].
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }
}

/// A value's part in a statement's cache key is its kind only (a dialect may render a cast
/// for it), never the value itself.
impl Hash for Value {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u8(0xB1);
        std::mem::discriminant(self).hash(state);
    }
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// Renders the value as a SQL-ish literal for logs and `Debug` (`'Bob'`, `45.1`, `NULL`).
/// Never used to build executable SQL: values are always bound.
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("NULL"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Int(i) => write!(f, "{i}"),
            Value::Float(x) => write!(f, "{x:?}"),
            Value::Text(s) => write!(f, "'{}'", s.replace('\'', "''")),
            Value::Bytes(b) => {
                f.write_str("X'")?;
                for byte in b {
                    write!(f, "{byte:02X}")?;
                }
                f.write_str("'")
            }
            #[cfg(feature = "rust_decimal")]
            Value::Decimal(d) => write!(f, "{d}"),
            #[cfg(feature = "chrono")]
            Value::Date(d) => write!(f, "'{d}'"),
            #[cfg(feature = "chrono")]
            Value::Time(t) => write!(f, "'{t}'"),
            #[cfg(feature = "chrono")]
            Value::TimeTz(t) => write!(f, "'{t}'"),
            #[cfg(feature = "chrono")]
            Value::DateTime(t) => write!(f, "'{}'", t.format("%Y-%m-%d %H:%M:%S%.f")),
            #[cfg(feature = "chrono")]
            Value::DateTimeUtc(t) => write!(f, "'{}'", t.to_rfc3339()),
            #[cfg(feature = "uuid")]
            Value::Uuid(u) => write!(f, "'{u}'"),
            #[cfg(feature = "serde_json")]
            Value::Json(j) => write!(f, "'{j}'"),
            Value::Array(items) => {
                f.write_str("ARRAY[")?;
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    fmt::Display::fmt(v, f)?;
                }
                f.write_str("]")
            }
            Value::Interval(i) => write!(f, "INTERVAL '{i}'"),
        }
    }
}
