//! Values coming back: each column's binary wire bytes decoded into a [`Value`].

use athanor_core::error::DatabaseError;
use postgres::Statement;
use postgres::types::{FromSql, Type};

use super::{BoxError, to_error};
use crate::{Error, Result, Value};

/// Any column read as its raw text (enums, unknown types).
struct RawText(Vec<u8>);

impl<'a> FromSql<'a> for RawText {
    fn from_sql(_ty: &Type, raw: &'a [u8]) -> std::result::Result<Self, BoxError> {
        Ok(RawText(raw.to_vec()))
    }
    fn accepts(_ty: &Type) -> bool {
        true
    }
}

#[inline(always)]
fn apply<T>(v: T, f: impl FnOnce(T) -> Value) -> Value {
    f(v)
}

/// Reads column `i`, of a type [`Decode`] leaves to the `postgres` crate's conversions
/// (`Decode::Typed`), into `slot` (written in place: returning a `Value` through the stack and
/// copying it cost a store-forwarding stall per cell).
fn read_into(
    row: &postgres::Row,
    i: usize,
    slot: &mut Value,
) -> std::result::Result<(), postgres::Error> {
    let ty = row.columns()[i].type_();
    // Each arm assigns the slot itself: a `Value` built first and then moved in went through a
    // stack temporary written in small pieces and read back in 16-byte loads, which stalls.
    macro_rules! get {
        ($t:ty, $f:expr) => {
            match row.try_get::<_, Option<$t>>(i)? {
                Some(v) => *slot = apply::<$t>(v, $f),
                None => *slot = Value::Null,
            }
        };
    }
    match *ty {
        Type::OID => get!(u32, |v| Value::Int(v.into())),
        Type::NUMERIC => get!(rust_decimal::Decimal, Value::Decimal),
        // `"char"`, PostgreSQL's one-byte internal type, arrives as the byte itself.
        Type::CHAR => get!(i8, |v| Value::Text(char::from(v as u8).to_string())),
        Type::UNKNOWN => get!(String, Value::Text),
        Type::DATE => get!(chrono::NaiveDate, Value::Date),
        Type::TIME => get!(chrono::NaiveTime, Value::Time),
        Type::TIMESTAMP => get!(chrono::NaiveDateTime, Value::DateTime),
        Type::TIMESTAMPTZ => get!(chrono::DateTime<chrono::Utc>, Value::DateTimeUtc),
        #[cfg(feature = "uuid")]
        Type::UUID => get!(uuid::Uuid, Value::Uuid),
        #[cfg(feature = "serde_json")]
        Type::JSON | Type::JSONB => get!(serde_json::Value, Value::Json),
        #[cfg(not(feature = "serde_json"))]
        Type::JSONB => get!(RawText, |r| Value::Text(
            String::from_utf8_lossy(r.0.get(1..).unwrap_or(&[])).into_owned()
        )),
        #[cfg(not(feature = "uuid"))]
        Type::UUID => get!(RawText, |r| {
            let h: String = r.0.iter().map(|b| format!("{b:02x}")).collect();
            Value::Text(format!(
                "{}-{}-{}-{}-{}",
                &h[..8],
                &h[8..12],
                &h[12..16],
                &h[16..20],
                &h[20..]
            ))
        }),
        _ => get!(RawText, |r| match String::from_utf8(r.0) {
            Ok(s) => Value::Text(s),
            Err(e) => Value::Bytes(e.into_bytes()),
        }),
    }
    Ok(())
}

/// How a column's bytes become a [`Value`], decided once per result from its type: the
/// common types are decoded here from their binary wire format (one slice, no per-cell type
/// checks); the rest go through the `postgres` crate's conversions ([`read_into`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Decode {
    Bool,
    Int2,
    Int4,
    Int8,
    Float4,
    Float8,
    Text,
    Bytea,
    Typed,
}

impl Decode {
    fn of(ty: &Type) -> Decode {
        match *ty {
            Type::BOOL => Decode::Bool,
            Type::INT2 => Decode::Int2,
            Type::INT4 => Decode::Int4,
            Type::INT8 => Decode::Int8,
            Type::FLOAT4 => Decode::Float4,
            Type::FLOAT8 => Decode::Float8,
            Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME => Decode::Text,
            Type::BYTEA => Decode::Bytea,
            _ => Decode::Typed,
        }
    }
}

/// A column's bytes as the server sent them (binary format).
struct WireBytes<'a>(&'a [u8]);

impl<'a> FromSql<'a> for WireBytes<'a> {
    fn from_sql(_ty: &Type, raw: &'a [u8]) -> std::result::Result<Self, BoxError> {
        Ok(WireBytes(raw))
    }
    fn accepts(_ty: &Type) -> bool {
        true
    }
}

/// The fixed-size value of a numeric column, or an error naming the type when the server sent
/// another size.
fn fixed<const N: usize>(raw: &[u8], ty: &str) -> Result<[u8; N]> {
    raw.try_into().map_err(|_| {
        Error::Database(DatabaseError::new(format!(
            "PostgreSQL sent {} bytes for a {ty} value (expected {N})",
            raw.len()
        )))
    })
}

/// Reads every column of `row` into the row buffer, each as `decode` says.
#[inline]
pub(super) fn read_row(row: &postgres::Row, decode: &[Decode], buf: &mut [Value]) -> Result<()> {
    for (i, (slot, d)) in buf.iter_mut().zip(decode).enumerate() {
        if *d == Decode::Typed {
            read_into(row, i, slot).map_err(to_error)?;
            continue;
        }
        let Some(WireBytes(raw)) = row.try_get::<_, Option<WireBytes>>(i).map_err(to_error)? else {
            *slot = Value::Null;
            continue;
        };
        match d {
            Decode::Bool => *slot = Value::Bool(fixed::<1>(raw, "bool")?[0] != 0),
            Decode::Int2 => *slot = Value::Int(i16::from_be_bytes(fixed(raw, "int2")?).into()),
            Decode::Int4 => *slot = Value::Int(i32::from_be_bytes(fixed(raw, "int4")?).into()),
            Decode::Int8 => *slot = Value::Int(i64::from_be_bytes(fixed(raw, "int8")?)),
            Decode::Float4 => {
                *slot = Value::Float(f32::from_be_bytes(fixed(raw, "float4")?).into());
            }
            Decode::Float8 => *slot = Value::Float(f64::from_be_bytes(fixed(raw, "float8")?)),
            Decode::Text => match std::str::from_utf8(raw) {
                Ok(t) => *slot = Value::Text(t.to_owned()),
                Err(_) => *slot = Value::Bytes(raw.to_vec()),
            },
            Decode::Bytea => *slot = Value::Bytes(raw.to_vec()),
            Decode::Typed => {}
        }
    }
    Ok(())
}

/// The decoding of each of a statement's columns.
pub(super) fn decodes(stmt: &Statement, out: &mut Vec<Decode>) {
    out.clear();
    out.extend(stmt.columns().iter().map(|c| Decode::of(c.type_())));
}
