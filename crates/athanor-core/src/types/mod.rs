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
//! | `TimeTz` | `TIME` (as text with its offset) | `TIME WITH TIME ZONE` | `TIME(6)` (offset zero only) |
//! | `DateTime` | `DATETIME` | `TIMESTAMP WITHOUT TIME ZONE` | `DATETIME(6)` |
//! | `DateTimeTz` | `DATETIME` | `TIMESTAMP WITH TIME ZONE` | `DATETIME(6)` (as UTC) |
//! | `Interval` | `DATETIME` (as an offset from the epoch) | `INTERVAL` | `DATETIME` |
//! | `IntervalPrecision` | as `Interval` | `INTERVAL(s)` (s at most 6) | as `Interval` |
//! | `LargeBinary` | `BLOB` | `BYTEA` | `LONGBLOB` |
//! | `Enum` | `VARCHAR(n)` (longest value) | named `ENUM` type | `ENUM(...)` |
//! | `Json` | `JSON` | `JSONB` | `JSON` |
//! | `Uuid` | `CHAR(32)` | `UUID` | `CHAR(32)` |
//! | `UuidChar` | `CHAR(32)` | `CHAR(32)` | `CHAR(32)` |
//! | `Other(text)` | `text` | `text` | `text` |
//!
//! Reflection maps each database's declared type names with that dialect's own table
//! ([`Dialect::type_from_declared`](crate::dialect::Dialect::type_from_declared)): SQLite by
//! its affinity rules, PostgreSQL and MySQL exactly, and a name they don't know as
//! [`Type::Other`] carrying its text.
//!
//! SQLite stores `Numeric` as REAL, so decimals are not exact there (as in SQLAlchemy). With
//! the `rust_decimal` feature, a result column typed `Numeric(_, Some(scale))` that arrives as
//! a float is turned into the decimal at that scale, as SQLAlchemy's `Numeric` result
//! processing does (see [`ResultProcessors`](crate::compiler::ResultProcessors)); without the
//! feature it stays the float SQLite stored. Likewise a `Date`/`Time`/`DateTime` result column
//! arriving as text (SQLite) becomes the `chrono` value, and a `Boolean` one arriving as `0`/`1`
//! (SQLite, MySQL) becomes `false`/`true`, so one program reads the same values everywhere.
//! How each Rust type converts is in [`convert`]; a type of your own (an enum, a newtype)
//! stored as one of these implements [`TypeDecorator`].

mod array;
mod bind;
#[cfg(feature = "chrono")]
mod chrono;
pub(crate) mod column_fit;
pub mod convert;
#[cfg(feature = "rust_decimal")]
mod decimal;
mod decorator;
mod interval;
#[cfg(feature = "serde_json")]
mod json;
#[cfg(feature = "serde_json")]
mod json_exact;
#[cfg(feature = "chrono")]
mod time_tz;
#[cfg(feature = "uuid")]
mod uuid;
mod value;

pub use bind::{BindRow, BindValue};
pub use column_fit::{
    bind_for_type, check_column_value, check_statement_values, check_value_for_column, uuid_hex,
};
pub use convert::FromValue;
pub use decorator::TypeDecorator;
pub use interval::Interval;
#[cfg(feature = "serde_json")]
pub use json_exact::parse_json;
#[cfg(feature = "chrono")]
pub use time_tz::TimeTz;
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
    /// A time of day with its UTC offset (SQLAlchemy's `Time(timezone=True)`): PostgreSQL's
    /// `TIME WITH TIME ZONE`, which keeps the offset; SQLite keeps the value as its text.
    /// MySQL's `TIME` has no offset, so only a UTC one (offset zero) is stored there; any
    /// other is refused rather than moved. Bind and read [`TimeTz`].
    ///
    /// ```
    /// use athanor_core::Type;
    /// use athanor_core::dialect::{Dialect, Postgres};
    /// assert_eq!(Postgres.type_name(&Type::TimeTz)?, "TIME WITH TIME ZONE");
    /// # Ok::<(), athanor_core::Error>(())
    /// ```
    TimeTz,
    /// A date and time.
    DateTime,
    /// A date and time with its time zone, as UTC (SQLAlchemy's `DateTime(timezone=True)`):
    /// PostgreSQL's `TIMESTAMP WITH TIME ZONE`; elsewhere the same column as `DateTime`.
    /// Bind and read `chrono::DateTime<Utc>`.
    ///
    /// ```
    /// use athanor_core::Type;
    /// use athanor_core::dialect::{Dialect, Postgres};
    /// assert_eq!(Postgres.type_name(&Type::DateTimeTz)?, "TIMESTAMP WITH TIME ZONE");
    /// # Ok::<(), athanor_core::Error>(())
    /// ```
    DateTimeTz,
    /// A span of time.
    Interval,
    /// A span of time with the precision of its day and second fields (SQLAlchemy's
    /// `Interval(day_precision=, second_precision=)`); its values are [`Interval`]s, as
    /// [`Type::Interval`]'s are.
    ///
    /// PostgreSQL writes `INTERVAL(s)` with the second precision, at most 6 (microseconds,
    /// the finest an `Interval` holds; PostgreSQL would reduce a larger one to 6 itself), and
    /// has no day precision (Oracle's `INTERVAL DAY(d) TO SECOND(s)` has). A second precision
    /// under 6 rounds what the column stores, as a `Numeric`'s scale does. SQLite and MySQL
    /// store it as they store [`Type::Interval`].
    ///
    /// ```
    /// use athanor_core::Type;
    /// use athanor_core::dialect::{Dialect, Postgres};
    /// let t = Type::IntervalPrecision { day_precision: Some(9), second_precision: Some(9) };
    /// assert_eq!(Postgres.type_name(&t)?, "INTERVAL(6)");
    /// assert_eq!(t.to_string(), "INTERVAL DAY(9) TO SECOND(9)");
    /// # Ok::<(), athanor_core::Error>(())
    /// ```
    IntervalPrecision {
        /// Digits of the day field (Oracle's `DAY(d)`); `None` for the database's default.
        day_precision: Option<u32>,
        /// Digits of the fraction of a second; `None` for the database's default.
        second_precision: Option<u32>,
    },
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
    /// A UUID: the database's UUID type where it has one (PostgreSQL), else `CHAR(32)` of hex
    /// digits (SQLAlchemy's `Uuid`). Read it as `uuid::Uuid`, or as `String` for its text with
    /// dashes (SQLAlchemy's `as_uuid=False`).
    Uuid,
    /// A UUID stored as `CHAR(32)` of hex digits on every database, PostgreSQL included
    /// (SQLAlchemy's `Uuid(native_uuid=False)`); it binds and reads as [`Type::Uuid`] does.
    ///
    /// ```
    /// use athanor_core::Type;
    /// use athanor_core::dialect::{Dialect, Postgres};
    /// assert_eq!(Postgres.type_name(&Type::UuidChar)?, "CHAR(32)");
    /// assert_eq!(Postgres.type_name(&Type::Uuid)?, "UUID");
    /// # Ok::<(), athanor_core::Error>(())
    /// ```
    UuidChar,
    /// An array of another type (PostgreSQL).
    Array(Box<Type>),
    /// A type Athanor has no generic form of, as the database declared it (`inet`, `point`,
    /// `geometry(Point,4326)`, a user's enum or domain): reflection reports a name it does not
    /// know this way instead of guessing, and DDL writes the text back unchanged (it is SQL, as
    /// [`ServerDefault::text`](crate::schema::ServerDefault::text) is: never build it from
    /// untrusted input). Values of such a column pass through as the driver reads them.
    ///
    /// ```
    /// use athanor_core::Type;
    /// use athanor_core::dialect::{Dialect, Postgres};
    /// let t = Postgres.type_from_declared("inet");
    /// assert_eq!(t.generic(), &Type::Other("inet".into()));
    /// assert_eq!(Postgres.type_name(&Type::Other("inet".into()))?, "inet");
    /// # Ok::<(), athanor_core::Error>(())
    /// ```
    Other(String),
    /// A type as the database declared it (reflection), with the generic type it maps to.
    Declared {
        /// The type as written in the database's DDL, e.g. `NVARCHAR(160)`.
        sql: String,
        /// The generic type it behaves as.
        generic: Box<Type>,
    },
    /// A string type with a collation (SQLAlchemy's `String(collation=...)`): the column's
    /// DDL says `COLLATE name` after the type, and reflection reports the collation a column
    /// has this way (PostgreSQL). It behaves as the type it wraps everywhere else; build it
    /// with [`Type::collate`].
    ///
    /// ```
    /// use athanor_core::Type;
    /// use athanor_core::prelude::*;
    /// use athanor_core::dialect::{MySql, Postgres};
    /// let t = Type::String(Some(50)).collate("POSIX");
    /// assert_eq!(t.collation(), Some("POSIX"));
    /// assert_eq!(t.generic(), &Type::String(Some(50)));
    /// assert_eq!(Type::String(None).collation(), None);
    ///
    /// let md = MetaData::new();
    /// let names = Table::build("names", &md)
    ///     .column(Column::new("name", t))
    ///     .column(Column::new("bin", Type::String(Some(9)).collate("utf8mb4_bin")))
    ///     .finish()?;
    /// assert_eq!(
    ///     Ddl::CreateTable(names.clone()).compile(&Postgres)?.sql(),
    ///     r#"CREATE TABLE names (name VARCHAR(50) COLLATE "POSIX", bin VARCHAR(9) COLLATE utf8mb4_bin)"#
    /// );
    /// assert_eq!(
    ///     Ddl::CreateTable(names).compile(&MySql)?.sql(),
    ///     "CREATE TABLE names (name VARCHAR(50) COLLATE `POSIX`, bin VARCHAR(9) COLLATE utf8mb4_bin)"
    /// );
    /// # Ok::<(), athanor_core::Error>(())
    /// ```
    Collated {
        /// The type collated: a string type, or a declared one.
        ty: Box<Type>,
        /// The collation's name, as the database knows it (`POSIX`, `utf8mb4_bin`, `NOCASE`).
        collation: String,
    },
    /// A column type whose reads and writes go through SQL the compiler wraps around them
    /// (SQLAlchemy's `TypeDecorator.column_expression` / `bind_expression`): the database
    /// stores `ty`; a top-level SELECT of such a column reads `column_expression(t.x) AS x`,
    /// and each value bound for it (INSERT and UPDATE values, a comparison with the column)
    /// is sent as `bind_expression(?)`. Values are always bound, never written into the SQL.
    /// Build it with [`Type::column_expression`] and [`Type::bind_expression`]; the values a
    /// program reads and binds are of [`Type::value_type`] (the `CAST`'s type).
    ///
    /// Only a column named directly in the outermost SELECT's list (perhaps labelled) is
    /// wrapped, as SQLAlchemy does; a subquery's columns, RETURNING and IN lists are not.
    ///
    /// ```
    /// use athanor_core::prelude::*;
    /// use athanor_core::types::SqlWrap;
    /// use athanor_core::dialect::{MySql, Postgres, Sqlite};
    /// // Text in the database, integers in the program.
    /// let string_as_int = Type::String(Some(50))
    ///     .column_expression(SqlWrap::cast(Type::Integer))
    ///     .bind_expression(SqlWrap::cast(Type::String(Some(50))));
    /// assert_eq!(string_as_int.value_type(), &Type::Integer);
    /// assert_eq!(string_as_int.generic(), &Type::String(Some(50)));
    /// // Values written to it are checked as the integers they are.
    /// use athanor_core::types::check_column_value;
    /// assert!(check_column_value(&string_as_int, &Value::Int(7)).is_none());
    /// assert!(check_column_value(&string_as_int, &Value::Float(1.5)).is_some());
    ///
    /// let md = MetaData::new();
    /// let t = Table::build("t", &md).column(Column::new("x", string_as_int)).finish()?;
    /// let q = select(&t).filter(t.c("x").eq(2));
    /// assert_eq!(
    ///     q.compile(&Sqlite)?.sql(),
    ///     "SELECT CAST(t.x AS INTEGER) AS x FROM t WHERE t.x = CAST(? AS VARCHAR(50))"
    /// );
    /// assert_eq!(
    ///     q.compile(&Postgres)?.sql(),
    ///     "SELECT CAST(t.x AS INTEGER) AS x FROM t WHERE t.x = CAST($1::INTEGER AS VARCHAR(50))"
    /// );
    /// assert_eq!(
    ///     q.compile(&MySql)?.sql(),
    ///     "SELECT CAST(t.x AS SIGNED) AS x FROM t WHERE t.x = CAST(? AS CHAR(50))"
    /// );
    /// # Ok::<(), athanor_core::Error>(())
    /// ```
    Wrapped {
        /// The type the database stores (the column's DDL type).
        ty: Box<Type>,
        /// The SQL a SELECTed column is read through.
        column_expression: Option<SqlWrap>,
        /// The SQL each value bound for the column is sent through.
        bind_expression: Option<SqlWrap>,
    },
    /// The type of an expression whose type is not known (a bare bound value, `NULL`).
    Null,
}

/// SQL wrapped around a column or a bound value by a [`Type::Wrapped`].
///
/// ```
/// use athanor_core::Type;
/// use athanor_core::types::SqlWrap;
/// assert_eq!(SqlWrap::cast(Type::Integer), SqlWrap::Cast(Box::new(Type::Integer)));
/// assert_eq!(SqlWrap::function("ST_AsText"), SqlWrap::Function("ST_AsText".into()));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SqlWrap {
    /// `CAST(x AS type)`, with the dialect's name for the type in a CAST.
    Cast(Box<Type>),
    /// `name(x)`: a SQL function of one argument (PostGIS's `ST_AsText`, `ST_GeomFromText`).
    /// The name is written as it is; it must be a plain (optionally dotted) SQL name, and a
    /// statement with any other is refused when it is compiled.
    Function(String),
}

impl SqlWrap {
    /// `CAST(x AS ty)`.
    pub fn cast(ty: Type) -> SqlWrap {
        SqlWrap::Cast(Box::new(ty))
    }

    /// `name(x)`.
    pub fn function(name: &str) -> SqlWrap {
        SqlWrap::Function(name.to_string())
    }
}

impl Type {
    /// The generic type behind a [`Type::Declared`]; itself otherwise.
    pub fn generic(&self) -> &Type {
        match self {
            Type::Declared { generic, .. } => generic.generic(),
            Type::Collated { ty, .. } => ty.generic(),
            Type::Wrapped { ty, .. } => ty.generic(),
            t => t,
        }
    }

    /// The type of the values a program binds and reads: for a [`Type::Wrapped`] whose
    /// column expression is a `CAST`, the CAST's type; otherwise the type itself.
    pub fn value_type(&self) -> &Type {
        match self {
            Type::Wrapped {
                column_expression: Some(SqlWrap::Cast(t)),
                ..
            } => t.value_type(),
            Type::Wrapped { ty, .. } => ty.value_type(),
            t => t,
        }
    }

    /// This type read through `wrap` when a SELECT names its column (see [`Type::Wrapped`]).
    pub fn column_expression(self, wrap: SqlWrap) -> Type {
        match self {
            Type::Wrapped {
                ty,
                bind_expression,
                ..
            } => Type::Wrapped {
                ty,
                column_expression: Some(wrap),
                bind_expression,
            },
            t => Type::Wrapped {
                ty: Box::new(t),
                column_expression: Some(wrap),
                bind_expression: None,
            },
        }
    }

    /// This type with each value bound for its column sent through `wrap` (see
    /// [`Type::Wrapped`]).
    pub fn bind_expression(self, wrap: SqlWrap) -> Type {
        match self {
            Type::Wrapped {
                ty,
                column_expression,
                ..
            } => Type::Wrapped {
                ty,
                column_expression,
                bind_expression: Some(wrap),
            },
            t => Type::Wrapped {
                ty: Box::new(t),
                column_expression: None,
                bind_expression: Some(wrap),
            },
        }
    }

    /// The [`Type::Wrapped`] parts of this type: (column expression, bind expression).
    pub(crate) fn wraps(&self) -> (Option<&SqlWrap>, Option<&SqlWrap>) {
        match self {
            Type::Wrapped {
                column_expression,
                bind_expression,
                ..
            } => (column_expression.as_ref(), bind_expression.as_ref()),
            _ => (None, None),
        }
    }

    /// This type with the collation `name` (see [`Type::Collated`]); a collated type's
    /// collation is replaced.
    pub fn collate(self, name: &str) -> Type {
        let ty = match self {
            Type::Collated { ty, .. } => ty,
            t => Box::new(t),
        };
        Type::Collated {
            ty,
            collation: name.to_string(),
        }
    }

    /// The collation of a [`Type::Collated`]; `None` for any other type.
    pub fn collation(&self) -> Option<&str> {
        match self {
            Type::Collated { collation, .. } => Some(collation),
            _ => None,
        }
    }

    /// The type without its collation: what a [`Type::Collated`] wraps, or itself.
    pub fn without_collation(&self) -> &Type {
        match self {
            Type::Collated { ty, .. } => ty,
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
            Type::TimeTz => f.write_str("TIME WITH TIME ZONE"),
            Type::DateTime => f.write_str("DATETIME"),
            Type::DateTimeTz => f.write_str("TIMESTAMP WITH TIME ZONE"),
            Type::Interval => f.write_str("INTERVAL"),
            Type::IntervalPrecision {
                day_precision,
                second_precision,
            } => {
                f.write_str("INTERVAL DAY")?;
                if let Some(d) = day_precision {
                    write!(f, "({d})")?;
                }
                f.write_str(" TO SECOND")?;
                if let Some(s) = second_precision {
                    write!(f, "({s})")?;
                }
                Ok(())
            }
            Type::LargeBinary => f.write_str("BLOB"),
            Type::Enum { variants, .. } => write!(f, "ENUM({})", variants.join(", ")),
            Type::Json => f.write_str("JSON"),
            Type::Uuid => f.write_str("UUID"),
            Type::UuidChar => f.write_str("CHAR(32)"),
            Type::Array(t) => write!(f, "{t}[]"),
            Type::Declared { sql, .. } | Type::Other(sql) => f.write_str(sql),
            Type::Collated { ty, collation } => write!(f, "{ty} COLLATE {collation}"),
            Type::Wrapped { ty, .. } => write!(f, "{ty}"),
            Type::Null => f.write_str("NULL"),
        }
    }
}
