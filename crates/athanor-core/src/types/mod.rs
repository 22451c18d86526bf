//! SQL types, [`Value`] and the conversions between Rust and SQL values.
//!
//! A [`Type`] is generic (SQLAlchemy's `sqltypes`); each dialect gives it a DDL name:
//!
//! | `Type` | SQLite | PostgreSQL | MySQL / MariaDB |
//! |---|---|---|---|
//! | `Integer` | `INTEGER` | `INTEGER` | `INTEGER` |
//! | `SmallInteger` | `SMALLINT` | `SMALLINT` | `SMALLINT` |
//! | `BigInteger` | `BIGINT` | `BIGINT` | `BIGINT` |
//! | `Float` | `FLOAT` | `FLOAT` | `DOUBLE` (MySQL's `FLOAT` is 4 bytes; Athanor keeps 8) |
//! | `Double` | `DOUBLE` | `DOUBLE PRECISION` | `DOUBLE` |
//! | `Numeric(p, s)` | `NUMERIC(p, s)` (stored as REAL: not exact) | `NUMERIC(p, s)` | `NUMERIC(p, s)` |
//! | `String(n)` | `VARCHAR(n)` | `VARCHAR(n)` | `VARCHAR(n)` (a length is required) |
//! | `Text` | `TEXT` | `TEXT` | `LONGTEXT` |
//! | `Unicode(n)` | `NVARCHAR(n)` | `VARCHAR(n)` | `VARCHAR(n)` |
//! | `UnicodeText` | `TEXT` | `TEXT` | `LONGTEXT` |
//! | `Boolean` | `BOOLEAN` | `BOOLEAN` | `BOOL` (`TINYINT(1)`) |
//! | `Date` | `DATE` | `DATE` | `DATE` |
//! | `Time` | `TIME` | `TIME WITHOUT TIME ZONE` | `TIME(6)` |
//! | `DateTime` | `DATETIME` | `TIMESTAMP WITHOUT TIME ZONE` | `DATETIME(6)` |
//! | `Interval` | `DATETIME` (as an offset from the epoch) | `INTERVAL` | `DATETIME` |
//! | `LargeBinary` | `BLOB` | `BYTEA` | `LONGBLOB` |
//! | `Enum` | `VARCHAR(n)` (longest value) | named `ENUM` type | `ENUM(...)` |
//! | `Json` | `JSON` | `JSONB` | `JSON` |
//! | `Uuid` | `CHAR(32)` | `UUID` | `CHAR(32)` |
//!
//! SQLite stores `Numeric` as REAL, so decimals are not exact there (as in SQLAlchemy).
//! How each Rust type converts is in [`convert`].

mod array;
mod bind;
#[cfg(feature = "chrono")]
mod chrono;
pub mod convert;
#[cfg(feature = "rust_decimal")]
mod decimal;
mod interval;
#[cfg(feature = "serde_json")]
mod json;
#[cfg(feature = "uuid")]
mod uuid;
mod value;

pub use bind::{BindRow, BindValue};
pub use convert::FromValue;
pub use interval::Interval;
pub use value::Value;

/// A generic SQL type; each dialect renders its own DDL name (see the [module docs](self)).
///
/// ```
/// use athanor_core::Type;
/// let t = Type::Numeric(Some(10), Some(2));
/// assert_eq!(format!("{t}"), "NUMERIC(10, 2)");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Type {
    /// A 32-bit integer.
    Integer,
    /// A 16-bit integer.
    SmallInteger,
    /// A 64-bit integer.
    BigInteger,
    /// A floating-point number (8 bytes on every dialect Athanor ships).
    Float,
    /// A double-precision float.
    Double,
    /// An exact decimal with optional precision and scale.
    Numeric(Option<u32>, Option<u32>),
    /// A variable-length string with an optional length.
    String(Option<u32>),
    /// Unbounded text.
    Text,
    /// A variable-length unicode string (`NVARCHAR` where the dialect has it).
    Unicode(Option<u32>),
    /// Unbounded unicode text.
    UnicodeText,
    /// A boolean.
    Boolean,
    /// A date.
    Date,
    /// A time of day.
    Time,
    /// A date and time.
    DateTime,
    /// A span of time.
    Interval,
    /// Bytes.
    LargeBinary,
    /// One of a fixed set of strings; `name` is the type's name where the dialect names enums
    /// (PostgreSQL).
    Enum {
        /// The type's name (PostgreSQL `CREATE TYPE name AS ENUM`).
        name: Option<String>,
        /// The allowed values.
        variants: Vec<String>,
    },
    /// A JSON document.
    Json,
    /// A UUID.
    Uuid,
    /// An array of another type (PostgreSQL).
    Array(Box<Type>),
    /// A type as the database declared it (reflection), with the generic type it maps to.
    Declared {
        /// The type as written in the database's DDL, e.g. `NVARCHAR(160)`.
        sql: String,
        /// The generic type it behaves as.
        generic: Box<Type>,
    },
    /// The type of an expression whose type is not known (a bare bound value, `NULL`).
    Null,
}

impl Type {
    /// The generic type behind a [`Type::Declared`]; itself otherwise.
    pub fn generic(&self) -> &Type {
        match self {
            Type::Declared { generic, .. } => generic.generic(),
            t => t,
        }
    }

    /// True for the integer types (the ones that can autoincrement).
    pub fn is_integer(&self) -> bool {
        matches!(
            self.generic(),
            Type::Integer | Type::SmallInteger | Type::BigInteger
        )
    }

    /// Maps a declared type name (from reflection or `CAST`) to its generic type, following
    /// SQLite's type-affinity rules for names it does not know.
    ///
    /// ```
    /// use athanor_core::Type;
    /// assert_eq!(Type::from_declared("NVARCHAR(160)").generic(), &Type::Unicode(Some(160)));
    /// assert_eq!(Type::from_declared("NUMERIC(10,2)").generic(), &Type::Numeric(Some(10), Some(2)));
    /// ```
    pub fn from_declared(sql: &str) -> Type {
        let generic = generic_for_declared(sql);
        Type::Declared {
            sql: sql.to_string(),
            generic: Box::new(generic),
        }
    }
}

fn generic_for_declared(sql: &str) -> Type {
    let upper = sql.trim().to_ascii_uppercase();
    if let Some(elem) = upper.strip_suffix("[]") {
        return Type::Array(Box::new(generic_for_declared(elem)));
    }
    // `NUMERIC(10,2)`, `TIMESTAMP(6) WITHOUT TIME ZONE`, `INT(11) UNSIGNED`: the name is what
    // surrounds the parenthesis; MySQL's sign and zero-fill modifiers don't change the type.
    let (mut base, args) = match (upper.find('('), upper.rfind(')')) {
        (Some(i), Some(j)) if j > i => (
            format!("{} {}", upper[..i].trim(), upper[j + 1..].trim()),
            &upper[i + 1..j],
        ),
        _ => (upper.clone(), ""),
    };
    for modifier in [" ZEROFILL", " UNSIGNED", " SIGNED"] {
        base = base.trim_end().trim_end_matches(modifier).to_string();
    }
    let base = base.trim();
    let mut nums = args.split(',').filter_map(|a| a.trim().parse::<u32>().ok());
    let (a, b) = (nums.next(), nums.next());
    match base {
        "ENUM" | "SET" => Type::String(None),
        "INTEGER" | "INT" | "INT4" | "MEDIUMINT" | "SERIAL" | "SERIAL4" => Type::Integer,
        "SMALLINT" | "INT2" | "TINYINT" | "SMALLSERIAL" => {
            if base == "TINYINT" && a == Some(1) {
                Type::Boolean
            } else {
                Type::SmallInteger
            }
        }
        "BIGINT" | "INT8" | "BIGSERIAL" | "SERIAL8" => Type::BigInteger,
        "REAL" | "FLOAT4" => Type::Float,
        "FLOAT" | "FLOAT8" | "DOUBLE" | "DOUBLE PRECISION" => Type::Double,
        "NUMERIC" | "DECIMAL" => Type::Numeric(a, b),
        "VARCHAR" | "CHARACTER VARYING" | "CHAR" | "CHARACTER" | "BPCHAR" => Type::String(a),
        "NVARCHAR" | "NCHAR" | "NATIONAL CHARACTER VARYING" => Type::Unicode(a),
        "TEXT" | "CLOB" | "MEDIUMTEXT" | "LONGTEXT" | "TINYTEXT" => Type::Text,
        "BOOLEAN" | "BOOL" => Type::Boolean,
        "DATE" => Type::Date,
        "TIME" | "TIME WITHOUT TIME ZONE" | "TIME WITH TIME ZONE" | "TIMETZ" => Type::Time,
        "DATETIME"
        | "TIMESTAMP"
        | "TIMESTAMP WITHOUT TIME ZONE"
        | "TIMESTAMP WITH TIME ZONE"
        | "TIMESTAMPTZ" => Type::DateTime,
        "INTERVAL" => Type::Interval,
        "BLOB" | "BYTEA" | "VARBINARY" | "BINARY" | "LONGBLOB" | "MEDIUMBLOB" | "TINYBLOB" => {
            Type::LargeBinary
        }
        "JSON" | "JSONB" => Type::Json,
        "UUID" => Type::Uuid,
        _ => {
            // SQLite's affinity rules (https://sqlite.org/datatype3.html, 3.1).
            if upper.contains("INT") {
                Type::Integer
            } else if upper.contains("CHAR") || upper.contains("CLOB") || upper.contains("TEXT") {
                Type::Text
            } else if upper.contains("BLOB") || upper.is_empty() {
                Type::LargeBinary
            } else if upper.contains("REAL") || upper.contains("FLOA") || upper.contains("DOUB") {
                Type::Double
            } else {
                Type::Numeric(None, None)
            }
        }
    }
}

/// Shows the type the way SQLAlchemy's generic compiler would name it.
impl std::fmt::Display for Type {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let len = |n: &Option<u32>| n.map(|n| format!("({n})")).unwrap_or_default();
        match self {
            Type::Integer => f.write_str("INTEGER"),
            Type::SmallInteger => f.write_str("SMALLINT"),
            Type::BigInteger => f.write_str("BIGINT"),
            Type::Float => f.write_str("FLOAT"),
            Type::Double => f.write_str("DOUBLE"),
            Type::Numeric(Some(p), Some(s)) => write!(f, "NUMERIC({p}, {s})"),
            Type::Numeric(Some(p), None) => write!(f, "NUMERIC({p})"),
            Type::Numeric(..) => f.write_str("NUMERIC"),
            Type::String(n) => write!(f, "VARCHAR{}", len(n)),
            Type::Text => f.write_str("TEXT"),
            Type::Unicode(n) => write!(f, "NVARCHAR{}", len(n)),
            Type::UnicodeText => f.write_str("TEXT"),
            Type::Boolean => f.write_str("BOOLEAN"),
            Type::Date => f.write_str("DATE"),
            Type::Time => f.write_str("TIME"),
            Type::DateTime => f.write_str("DATETIME"),
            Type::Interval => f.write_str("INTERVAL"),
            Type::LargeBinary => f.write_str("BLOB"),
            Type::Enum { variants, .. } => write!(f, "ENUM({})", variants.join(", ")),
            Type::Json => f.write_str("JSON"),
            Type::Uuid => f.write_str("UUID"),
            Type::Array(t) => write!(f, "{t}[]"),
            Type::Declared { sql, .. } => f.write_str(sql),
            Type::Null => f.write_str("NULL"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_spellings_map_to_generic_types() {
        let g = generic_for_declared;
        assert_eq!(g("character varying(160)"), Type::String(Some(160)));
        assert_eq!(g("timestamp without time zone"), Type::DateTime);
        assert_eq!(g("timestamp(6) without time zone"), Type::DateTime);
        assert_eq!(g("double precision"), Type::Double);
        assert_eq!(g("numeric(10,2)"), Type::Numeric(Some(10), Some(2)));
        assert_eq!(g("integer[]"), Type::Array(Box::new(Type::Integer)));
        assert_eq!(g("tinyint(1)"), Type::Boolean);
        assert_eq!(g("tinyint(4)"), Type::SmallInteger);
        assert_eq!(g("int(11)"), Type::Integer);
        assert_eq!(g("int(10) unsigned"), Type::Integer);
        assert_eq!(g("bigint(20) unsigned zerofill"), Type::BigInteger);
        assert_eq!(g("bigint unsigned"), Type::BigInteger);
        assert_eq!(g("decimal(10,2)"), Type::Numeric(Some(10), Some(2)));
        assert_eq!(g("varchar(160)"), Type::String(Some(160)));
        assert_eq!(g("enum('a','b')"), Type::String(None));
        assert_eq!(g("NVARCHAR(160)"), Type::Unicode(Some(160)));
    }
}
