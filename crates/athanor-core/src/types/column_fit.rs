//! Whether a value fits the column it is written to without the database changing it: the
//! check every INSERT and UPDATE value goes through before it is sent.
//!
//! A driver sees a value, not the column it is for, and the databases convert what doesn't
//! match: MySQL rounds `1.5` into an `INTEGER` column to `2` and keeps only the date of a
//! `DATETIME` put into a `DATE` column, SQLite keeps `1.5` as a REAL in an `INTEGER` column,
//! and an integer beyond 2^53 in a `DOUBLE` column becomes its nearest double everywhere. The
//! statement knows the column, so the engine asks [`check_column_value`] for each value it
//! writes and refuses, with [`Error::Data`](crate::Error::Data), a value its column would
//! round, cut or re-type. What the column holds exactly passes: a whole float into an integer
//! column, an integer a double holds exactly, 0 and 1 into a boolean column.
//!
//! Two roundings stay the column's own, as in SQLAlchemy: a `Numeric(p, s)` column rounds to
//! its scale, and a `Float` column keeps the nearest double of a decimal. Values of other
//! kinds (text for a number or a date, which the database parses or refuses) pass to the
//! database as before.

use super::{Type, Value};
use crate::error::{DatabaseError, Error, Result};
use crate::sql::{Expr, InsertSource, StatementRef, Values};

/// Why `v` can't be written to a column of type `ty` unchanged, or `None` when it can.
///
/// ```
/// use athanor_core::types::check_column_value;
/// use athanor_core::{Type, Value};
/// assert!(check_column_value(&Type::Integer, &Value::Float(2.0)).is_none());
/// assert_eq!(
///     check_column_value(&Type::Integer, &Value::Float(1.5)).as_deref(),
///     Some("it is not a whole number, and the column would round it")
/// );
/// assert!(check_column_value(&Type::Double, &Value::Int((1 << 53) + 1)).is_some());
/// assert!(check_column_value(&Type::Boolean, &Value::Int(2)).is_some());
/// ```
pub fn check_column_value(ty: &Type, v: &Value) -> Option<&'static str> {
    // A wrapped type's column is written through its bind expression: the value is the
    // program's (an integer for text stored through `CAST`).
    if let Type::Wrapped { .. } = ty {
        return check_column_value(ty.value_type(), v);
    }
    match (ty, v) {
        (Type::SmallInteger | Type::Integer | Type::BigInteger, Value::Float(f)) => {
            const LIMIT: f64 = 9_223_372_036_854_775_808.0; // 2^63
            (f.fract() != 0.0 || !(-LIMIT..LIMIT).contains(f))
                .then_some("it is not a whole number, and the column would round it")
        }
        #[cfg(feature = "rust_decimal")]
        (Type::SmallInteger | Type::Integer | Type::BigInteger, Value::Decimal(d)) => {
            (!d.fract().is_zero())
                .then_some("it is not a whole number, and the column would round it")
        }
        (Type::Float | Type::Double, Value::Int(i)) => {
            // i64::MAX as f64 is 2^63, which is no i64: compare in i128.
            (*i as f64 as i128 != i128::from(*i))
                .then_some("a double can't hold it exactly, and the column would round it")
        }
        (Type::Boolean, Value::Int(i)) => {
            (!matches!(i, 0 | 1)).then_some("a boolean is 0 or 1 (true or false)")
        }
        (Type::Boolean, Value::Float(_)) => Some("a boolean is true or false, not a float"),
        // PostgreSQL would store it and no Decimal reads it back; MySQL and SQLite have none.
        (Type::Numeric(..), Value::Float(f)) if !f.is_finite() => {
            Some("a NUMERIC column has no NaN or infinity that reads back as a decimal")
        }
        // Even at midnight: SQLite would keep the date and time as its text, which a date
        // read and a comparison with a date don't see as that date.
        #[cfg(feature = "chrono")]
        (Type::Date, Value::DateTime(_) | Value::DateTimeUtc(_)) => {
            Some("it is a date and time, and a DATE column keeps only the date (write its .date())")
        }
        #[cfg(feature = "chrono")]
        (
            Type::Time | Type::TimeTz,
            Value::Date(_) | Value::DateTime(_) | Value::DateTimeUtc(_),
        ) => Some("it has a date, and a TIME column keeps only a time of day"),
        #[cfg(feature = "chrono")]
        (Type::Time, Value::TimeTz(_)) => Some(
            "it has a UTC offset, and a TIME column keeps none (use a Type::TimeTz column, \
             or bind its .time)",
        ),
        (Type::Uuid | Type::UuidChar, Value::Text(s)) if uuid_hex(s).is_none() => Some(
            "it is not the text of a UUID (32 hex digits, dashes, braces or urn:uuid: allowed)",
        ),
        _ => None,
    }
}

/// The 32 lower-case hex digits of a UUID's text, as SQLAlchemy's non-native `Uuid` stores it
/// (`CHAR(32)`): hyphenated, simple, braced or `urn:uuid:` text, any case; `None` for text
/// that is no UUID.
///
/// ```
/// use athanor_core::types::uuid_hex;
/// let hex = "67e5504410b1426f9247bb680e5fe0c8";
/// assert_eq!(uuid_hex("67E55044-10B1-426F-9247-BB680E5FE0C8").as_deref(), Some(hex));
/// assert_eq!(uuid_hex("{67e55044-10b1-426f-9247-bb680e5fe0c8}").as_deref(), Some(hex));
/// assert_eq!(uuid_hex("urn:uuid:67e55044-10b1-426f-9247-bb680e5fe0c8").as_deref(), Some(hex));
/// assert_eq!(uuid_hex(hex).as_deref(), Some(hex));
/// assert_eq!(uuid_hex("not-a-uuid"), None);
/// ```
pub fn uuid_hex(s: &str) -> Option<String> {
    let s = s.trim();
    let s = match s.get(..9) {
        Some(p) if p.eq_ignore_ascii_case("urn:uuid:") => &s[9..],
        _ => s,
    };
    let s = s
        .strip_prefix('{')
        .and_then(|x| x.strip_suffix('}'))
        .unwrap_or(s);
    let hex: String = s.chars().filter(|c| *c != '-').collect();
    (hex.len() == 32 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| hex.to_ascii_lowercase())
}

/// The text with dashes (8-4-4-4-12) of the UUID whose 32 hex digits [`uuid_hex`] gave.
#[cfg(not(feature = "uuid"))]
pub(crate) fn uuid_dashed(hex: &str) -> String {
    match (
        hex.get(..8),
        hex.get(8..12),
        hex.get(12..16),
        hex.get(16..20),
        hex.get(20..),
    ) {
        (Some(a), Some(b), Some(c), Some(d), Some(e)) => format!("{a}-{b}-{c}-{d}-{e}"),
        _ => hex.to_string(),
    }
}

/// The value to bind for `v` written to, or compared with, a column of type `ty`, when it is
/// not `v` itself: text for a `Uuid` column becomes what the column holds (SQLAlchemy's
/// `Uuid(as_uuid=False)` bind processing): its 32 hex digits where the type is stored as
/// `CHAR(32)`, the UUID where the database has a native `UUID` (`native`). `None`: bind `v`.
///
/// # Errors
/// [`Error::Data`] for text that is no UUID.
///
/// ```
/// use athanor_core::types::bind_for_type;
/// use athanor_core::{Type, Value};
/// let v = Value::Text("67e55044-10b1-426f-9247-bb680e5fe0c8".into());
/// assert_eq!(
///     bind_for_type(&Type::Uuid, &v, false)?,
///     Some(Value::Text("67e5504410b1426f9247bb680e5fe0c8".into()))
/// );
/// assert_eq!(bind_for_type(&Type::Integer, &Value::Int(1), false)?, None);
/// assert!(bind_for_type(&Type::Uuid, &Value::Text("nope".into()), false).is_err());
/// # Ok::<(), athanor_core::Error>(())
/// ```
pub fn bind_for_type(ty: &Type, v: &Value, native: bool) -> Result<Option<Value>> {
    // `UuidChar` is CHAR(32) everywhere: a UUID value goes as its hex digits.
    let native = native && *ty.generic() != Type::UuidChar;
    #[cfg(feature = "uuid")]
    if let (Type::UuidChar, Value::Uuid(u)) = (ty.generic(), v) {
        return Ok(Some(Value::Text(u.simple().to_string())));
    }
    let Value::Text(s) = v else {
        return Ok(None);
    };
    if !matches!(ty.generic(), Type::Uuid | Type::UuidChar) {
        return Ok(None);
    }
    let Some(hex) = uuid_hex(s) else {
        return Err(Error::Data(DatabaseError::new(format!(
            "cannot bind text {v} as a UUID: it is not the text of a UUID"
        ))));
    };
    if !native {
        return Ok((hex != **s).then_some(Value::Text(hex)));
    }
    #[cfg(feature = "uuid")]
    {
        let n = u128::from_str_radix(&hex, 16).map_err(|e| {
            Error::Data(DatabaseError::new(format!(
                "cannot bind text {v} as a UUID: {e}"
            )))
        })?;
        Ok(Some(Value::Uuid(::uuid::Uuid::from_u128(n))))
    }
    #[cfg(not(feature = "uuid"))]
    {
        let dashed = uuid_dashed(&hex);
        Ok((dashed != **s).then_some(Value::Text(dashed)))
    }
}

/// Checks every value an INSERT or UPDATE writes against its column's type
/// ([`check_column_value`]): the values in the statement, and those `named` gives for its
/// `bindparam`s (and for every column of an `insert()` without values); other statements
/// pass.
///
/// # Errors
/// [`Error::Data`] naming the value, the column and why, for the first value its column
/// would change.
pub fn check_statement_values<'v>(
    stmt: StatementRef<'_>,
    named: &dyn Fn(&str) -> Option<&'v Value>,
) -> Result<()> {
    let (table, rows): (_, &[Values]) = match stmt {
        StatementRef::Insert(ins) => match ins.source() {
            InsertSource::Single(row) => (ins.table(), std::slice::from_ref(row)),
            InsertSource::Multi(rows) => (ins.table(), rows.as_slice()),
            // Every column is a parameter named after it.
            InsertSource::Params => {
                for col in ins.table().columns() {
                    if let Some(v) = named(&col.name) {
                        check_value_for_column(&col.name, &col.ty, v)?;
                    }
                }
                return Ok(());
            }
            InsertSource::Select(..) => return Ok(()),
        },
        StatementRef::Update(upd) => (&upd.table, std::slice::from_ref(&upd.set)),
        _ => return Ok(()),
    };
    for row in rows {
        for (name, e) in &row.0 {
            if let Some(col) = table.column_data(name) {
                check_written(name, &col.ty, e, named)?;
            }
        }
    }
    Ok(())
}

/// Checks the value `e` writes to the column: a bound value, a named parameter's, or one
/// inside `type_coerce` / `literal_execute` (written into the SQL, it is stored all the same).
fn check_written<'v>(
    name: &str,
    ty: &Type,
    e: &Expr,
    named: &dyn Fn(&str) -> Option<&'v Value>,
) -> Result<()> {
    match e {
        Expr::Value(v) => check_value_for_column(name, ty, v),
        Expr::BindParam(p) => match named(p) {
            Some(v) => check_value_for_column(name, ty, v),
            None => Ok(()),
        },
        Expr::LiteralExecute(inner) | Expr::Typed(inner, _) => {
            check_written(name, ty, inner, named)
        }
        _ => Ok(()),
    }
}

/// [`check_column_value`] as an [`Error::Data`] naming the column.
///
/// ```
/// use athanor_core::types::check_value_for_column;
/// use athanor_core::{Error, Type, Value};
/// assert!(check_value_for_column("n", &Type::Integer, &Value::Int(7)).is_ok());
/// let err = check_value_for_column("n", &Type::Integer, &Value::Float(1.5)).unwrap_err();
/// assert!(matches!(err, Error::Data(_)));
/// assert!(err.to_string().contains("cannot store FLOAT 1.5 in the INTEGER column 'n'"));
/// ```
///
/// # Errors
/// [`Error::Data`] when the column would change `v`.
pub fn check_value_for_column(column: &str, ty: &Type, v: &Value) -> Result<()> {
    match check_column_value(ty, v) {
        None => Ok(()),
        Some(why) => Err(Error::Data(DatabaseError::new(format!(
            "cannot store {} {v} in the {ty} column '{column}': {why}; convert it first",
            v.kind()
        )))),
    }
}
