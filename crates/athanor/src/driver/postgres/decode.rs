//! Values coming back: each column's binary wire bytes decoded into a [`Value`].
//!
//! The decoding of each column is decided once per result from its type: the common types
//! are decoded right here (one slice, no per-cell type dispatch), every other type the driver
//! reads by [`wire::value`], and the few it can't by the server ([`super::render`]), which
//! takes one more round trip for the whole result.

use athanor_core::error::DatabaseError;
use postgres::Statement;
use postgres::types::{FromSql, Type};

use super::render::{Pending, Printed};
use super::wire::{self, data};
use super::{BoxError, to_error};
use crate::{Error, Result, Value};

/// How a column's bytes become a [`Value`].
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
    /// Any other type the driver reads itself ([`wire::value`]).
    Wire,
    /// A type (or an array of one) the server prints ([`super::render`]).
    Server,
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
            _ if wire::is_local(ty) => Decode::Wire,
            _ => Decode::Server,
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

/// Reads every column of `row` into the row buffer, each as `decode` says; values the
/// server printed come from `printed` (see [`set_aside`]).
#[inline]
pub(super) fn read_row(
    row: &postgres::Row,
    decode: &[Decode],
    buf: &mut [Value],
    printed: &mut Option<Printed>,
) -> Result<()> {
    for (i, (slot, d)) in buf.iter_mut().zip(decode).enumerate() {
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
            Decode::Wire | Decode::Server => {
                let ty = row.columns()[i].type_();
                *slot = wire::value(ty, raw, &mut |t, _| match printed {
                    Some(p) => p.next(t),
                    None => Err(data(t, "the server was not asked to print it")),
                })?;
            }
        }
    }
    Ok(())
}

/// Sets aside, for the server to print, the values of the result's [`Decode::Server`]
/// columns (elements of arrays too), in the order [`read_row`] will ask for them.
pub(super) fn set_aside(rows: &[postgres::Row], decode: &[Decode]) -> Result<Pending> {
    let mut pending = Pending::default();
    for row in rows {
        for (i, d) in decode.iter().enumerate() {
            if *d != Decode::Server {
                continue;
            }
            let Some(WireBytes(raw)) = row.try_get::<_, Option<WireBytes>>(i).map_err(to_error)?
            else {
                continue;
            };
            wire::value(row.columns()[i].type_(), raw, &mut |t, raw| {
                pending.push(t, raw);
                Ok(Value::Null)
            })?;
        }
    }
    Ok(pending)
}

/// The decoding of each of a statement's columns.
pub(super) fn decodes(stmt: &Statement, out: &mut Vec<Decode>) {
    out.clear();
    out.extend(stmt.columns().iter().map(|c| Decode::of(c.type_())));
}

/// Does any of the statement's columns need the server to print it?
pub(super) fn needs_server(stmt: &Statement) -> bool {
    stmt.columns()
        .iter()
        .any(|c| Decode::of(c.type_()) == Decode::Server)
}
