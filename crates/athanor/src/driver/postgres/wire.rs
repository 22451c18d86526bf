//! Binary wire formats decoded into [`Value`]s, for every type the driver reads itself.
//!
//! The `postgres` crate asks the server for every result column in binary format. The driver
//! reads each type's binary format here: numbers, text, dates and times, UUID and JSON as
//! themselves, arrays as [`Value::Array`], intervals as [`Value::Interval`], and the long tail
//! with a fixed text form (network addresses, bit strings, geometry, `timetz`, ...) as the
//! text PostgreSQL's output function prints ([`super::text_forms`]). Types whose text depends
//! on the server (money's locale, OID aliases' catalog names, text search, ranges, composite
//! and extension types) go to `server`, which asks the server to print them
//! ([`super::render`]).

use postgres::types::{FromSql, Kind, Type};
use rust_decimal::Decimal;

use super::text_forms;
use crate::types::Interval;
use crate::{Error, Result, Value};

/// Prints a value of a type the driver does not read itself (see [`super::render`]).
pub(super) type Server<'s> = &'s mut dyn FnMut(&Type, &[u8]) -> Result<Value>;

/// An `Error::Data` about a value of `ty` the server sent.
pub(super) fn data(ty: &Type, why: impl std::fmt::Display) -> Error {
    Error::Data(athanor_core::error::DatabaseError::new(format!(
        "PostgreSQL sent a {} value Athanor can't read: {why}",
        ty.name()
    )))
}

/// Reads a binary value front to back, failing with `Error::Data` when it is cut short.
pub(super) struct Reader<'a> {
    raw: &'a [u8],
    ty: &'a Type,
}

impl<'a> Reader<'a> {
    pub(super) fn new(ty: &'a Type, raw: &'a [u8]) -> Self {
        Reader { raw, ty }
    }
    pub(super) fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        if self.raw.len() < n {
            return Err(data(self.ty, "the value is shorter than its format"));
        }
        let (head, rest) = self.raw.split_at(n);
        self.raw = rest;
        Ok(head)
    }
    fn array<const N: usize>(&mut self) -> Result<[u8; N]> {
        let mut out = [0; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }
    pub(super) fn u8(&mut self) -> Result<u8> {
        Ok(self.take(1)?[0])
    }
    pub(super) fn u16(&mut self) -> Result<u16> {
        Ok(u16::from_be_bytes(self.array()?))
    }
    pub(super) fn i32(&mut self) -> Result<i32> {
        Ok(i32::from_be_bytes(self.array()?))
    }
    pub(super) fn u32(&mut self) -> Result<u32> {
        Ok(u32::from_be_bytes(self.array()?))
    }
    pub(super) fn i64(&mut self) -> Result<i64> {
        Ok(i64::from_be_bytes(self.array()?))
    }
    pub(super) fn f64(&mut self) -> Result<f64> {
        Ok(f64::from_be_bytes(self.array()?))
    }
    pub(super) fn rest(&mut self) -> &'a [u8] {
        std::mem::take(&mut self.raw)
    }
    /// The whole value is read: anything left over means the format was misread.
    pub(super) fn done(&self) -> Result<()> {
        if self.raw.is_empty() {
            Ok(())
        } else {
            Err(data(self.ty, "the value is longer than its format"))
        }
    }
}

/// Does the driver read `ty` itself (without the server's help)?
pub(super) fn is_local(ty: &Type) -> bool {
    if is_scalar(ty) || *ty == Type::ANYARRAY {
        return true;
    }
    match ty.kind() {
        Kind::Array(elem) | Kind::Domain(elem) => is_local(elem),
        _ => false,
    }
}

/// The scalar types [`scalar`] reads.
fn is_scalar(ty: &Type) -> bool {
    matches!(
        *ty,
        Type::BOOL
            | Type::INT2
            | Type::INT4
            | Type::INT8
            | Type::OID
            | Type::XID
            | Type::CID
            | Type::XID8
            | Type::FLOAT4
            | Type::FLOAT8
            | Type::NUMERIC
            | Type::TEXT
            | Type::VARCHAR
            | Type::BPCHAR
            | Type::NAME
            | Type::UNKNOWN
            | Type::XML
            | Type::REFCURSOR
            | Type::CHAR
            | Type::BYTEA
            | Type::DATE
            | Type::TIME
            | Type::TIMESTAMP
            | Type::TIMESTAMPTZ
            | Type::UUID
            | Type::JSON
            | Type::JSONB
            | Type::JSONPATH
            | Type::INTERVAL
            | Type::PG_LSN
            | Type::VOID
            | Type::CSTRING
            | Type::PG_NODE_TREE
    ) || text_forms::has(ty)
        || matches!(ty.kind(), Kind::Enum(_))
}

/// Decodes one non-NULL value of type `ty`.
pub(super) fn value(ty: &Type, raw: &[u8], server: Server<'_>) -> Result<Value> {
    if is_scalar(ty) {
        return scalar(ty, raw);
    }
    match ty.kind() {
        Kind::Array(elem) => array(ty, elem, raw, server),
        Kind::Domain(base) => value(base, raw, server),
        // `anyarray` (pg_stats' value lists): the array names its element type itself.
        _ if *ty == Type::ANYARRAY => {
            let mut r = Reader::new(ty, raw);
            let ndim = r.i32()?;
            let _has_nulls = r.i32()?;
            let oid = r.u32()?;
            match Type::from_oid(oid) {
                _ if ndim == 0 => Ok(Value::Array(Vec::new())),
                Some(elem) if is_local(&elem) => array(ty, &elem, raw, server),
                _ => Err(data(
                    ty,
                    format!("its elements have type oid {oid}; cast the column to text"),
                )),
            }
        }
        _ => server(ty, raw),
    }
}

fn utf8(ty: &Type, raw: &[u8]) -> Result<Value> {
    std::str::from_utf8(raw)
        .map(|s| Value::Text(s.to_owned()))
        .map_err(|e| data(ty, e))
}

/// Through the `postgres` crate's own decoding of `T`.
fn typed<'a, T: FromSql<'a>>(
    ty: &Type,
    raw: &'a [u8],
    f: impl FnOnce(T) -> Value,
) -> Result<Value> {
    T::from_sql(ty, raw).map(f).map_err(|e| data(ty, e))
}

/// A `time` of 24:00:00 on the wire: microseconds since midnight.
const END_OF_DAY_MICROS: i64 = 86_400_000_000;

fn scalar(ty: &Type, raw: &[u8]) -> Result<Value> {
    let mut r = Reader::new(ty, raw);
    let v = match *ty {
        Type::BOOL => Value::Bool(r.u8()? != 0),
        // What a function returning void returns (`SELECT pg_sleep(1)`): nothing.
        Type::VOID => {
            r.rest();
            Value::Null
        }
        Type::INT2 => Value::Int(i16::from_be_bytes(r.array()?).into()),
        Type::INT4 => Value::Int(r.i32()?.into()),
        Type::INT8 => Value::Int(r.i64()?),
        Type::OID | Type::XID | Type::CID => Value::Int(r.u32()?.into()),
        Type::XID8 => {
            let x = u64::from_be_bytes(r.array()?);
            Value::Int(i64::try_from(x).map_err(|_| data(ty, format!("{x} is beyond i64")))?)
        }
        Type::FLOAT4 => Value::Float(f32::from_be_bytes(r.array()?).into()),
        Type::FLOAT8 => Value::Float(r.f64()?),
        Type::NUMERIC => Value::Decimal(numeric(&mut r)?),
        // `"char"`: one byte, printed as itself, or as an octal escape above ASCII.
        Type::CHAR => Value::Text(match r.u8()? {
            0 => String::new(),
            b if b.is_ascii() => char::from(b).to_string(),
            b => format!("\\{b:03o}"),
        }),
        Type::BYTEA => Value::Bytes(r.rest().to_vec()),
        Type::DATE => return typed(ty, raw, Value::Date),
        // 24:00:00, the end of a day, has no NaiveTime (chrono would wrap it to 00:00:00):
        // its text, as PostgreSQL prints it.
        Type::TIME if raw == END_OF_DAY_MICROS.to_be_bytes() => {
            return Ok(Value::Text("24:00:00".into()));
        }
        Type::TIME => return typed(ty, raw, Value::Time),
        Type::TIMESTAMP => return typed(ty, raw, Value::DateTime),
        Type::TIMESTAMPTZ => return typed(ty, raw, Value::DateTimeUtc),
        #[cfg(feature = "uuid")]
        Type::UUID => return typed(ty, raw, Value::Uuid),
        #[cfg(not(feature = "uuid"))]
        Type::UUID => {
            let h: String = r
                .array::<16>()?
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            let part = |a: usize, b: usize| h.get(a..b).unwrap_or("");
            Value::Text(format!(
                "{}-{}-{}-{}-{}",
                part(0, 8),
                part(8, 12),
                part(12, 16),
                part(16, 20),
                part(20, 32)
            ))
        }
        #[cfg(feature = "serde_json")]
        Type::JSON => return json(ty, raw),
        #[cfg(feature = "serde_json")]
        Type::JSONB => match r.u8()? {
            1 => return json(ty, r.rest()),
            v => return Err(data(ty, format!("unknown format version {v}"))),
        },
        #[cfg(not(feature = "serde_json"))]
        Type::JSON => return utf8(ty, raw),
        // jsonb and jsonpath: a format version byte (1), then the text.
        #[cfg(not(feature = "serde_json"))]
        Type::JSONB => versioned(ty, &mut r)?,
        Type::JSONPATH => versioned(ty, &mut r)?,
        Type::INTERVAL => {
            let microseconds = r.i64()?;
            let days = r.i32()?;
            let months = r.i32()?;
            Value::Interval(Interval {
                months,
                days,
                microseconds,
            })
        }
        Type::PG_LSN => {
            let lsn = u64::from_be_bytes(r.array()?);
            Value::Text(format!("{:X}/{:X}", lsn >> 32, lsn & 0xFFFF_FFFF))
        }
        _ if text_forms::has(ty) => Value::Text(text_forms::print(ty, &mut r)?),
        // Text-like types and enum labels.
        _ => return utf8(ty, raw),
    };
    r.done()?;
    Ok(v)
}

/// A JSON document: `Value::Json`, or its text when a number in it has no exact
/// `serde_json` value (see [`athanor_core::types::parse_json`]), so reading it as
/// `serde_json::Value` fails naming the number while reading it as `String` still works.
#[cfg(feature = "serde_json")]
fn json(ty: &Type, raw: &[u8]) -> Result<Value> {
    let text = std::str::from_utf8(raw).map_err(|e| data(ty, e))?;
    Ok(match athanor_core::types::parse_json(text) {
        Ok(doc) => Value::Json(doc),
        Err(_) => Value::Text(text.to_owned()),
    })
}

/// A value in a versioned text format (jsonb, jsonpath): version 1, then the text.
fn versioned(ty: &Type, r: &mut Reader<'_>) -> Result<Value> {
    match r.u8()? {
        1 => utf8(ty, r.rest()),
        v => Err(data(ty, format!("unknown format version {v}"))),
    }
}

/// A `numeric`, exactly: base-10000 digits written out in decimal and parsed without
/// rounding. NaN, infinities and values beyond `Decimal` (28 digits after the point,
/// 2^96 before it) are `Error::Data`.
fn numeric(r: &mut Reader<'_>) -> Result<Decimal> {
    let ty = &Type::NUMERIC;
    let ndigits = r.u16()?;
    let weight = i32::from(r.u16()? as i16);
    let sign = r.u16()?;
    let dscale = usize::from(r.u16()?);
    let hint = "cast it to float8 or text in the query to read it";
    match sign {
        0x0000 | 0x4000 => {}
        0xC000 => {
            return Err(data(
                ty,
                format!("NaN has no rust_decimal::Decimal form; {hint}"),
            ));
        }
        0xD000 | 0xF000 => {
            return Err(data(
                ty,
                format!("Infinity has no rust_decimal::Decimal form; {hint}"),
            ));
        }
        s => return Err(data(ty, format!("unknown sign {s:#x}"))),
    }
    let mut digits = Vec::with_capacity(usize::from(ndigits));
    for _ in 0..ndigits {
        digits.push(r.u16()?);
    }
    // Integer part: groups 0..=weight (missing ones are zeros); fraction: the rest.
    let mut int = String::new();
    for g in 0..=weight.max(-1) {
        let d = usize::try_from(g)
            .ok()
            .and_then(|g| digits.get(g))
            .copied()
            .unwrap_or(0);
        if int.is_empty() {
            if d != 0 {
                int = d.to_string();
            }
        } else {
            int.push_str(&format!("{d:04}"));
        }
    }
    let mut frac = String::new();
    for g in (weight + 1)..(weight + 1 + ((dscale as i32 + 3) / 4)) {
        let d = if g < 0 {
            0
        } else {
            usize::try_from(g)
                .ok()
                .and_then(|g| digits.get(g))
                .copied()
                .unwrap_or(0)
        };
        frac.push_str(&format!("{d:04}"));
    }
    frac.truncate(dscale);
    let text = |frac: &str| {
        format!(
            "{}{}{}{}",
            if sign == 0x4000 { "-" } else { "" },
            if int.is_empty() { "0" } else { &int },
            if frac.is_empty() { "" } else { "." },
            frac
        )
    };
    if let Ok(d) = Decimal::from_str_exact(&text(&frac)) {
        return Ok(d);
    }
    // Trailing zeros carry no value, only the column's scale: a NUMERIC(38, 12) value
    // 31943874831932418390.010000000000 has more digits than Decimal's 96 bits, and
    // 31943874831932418390.01 does not. Drop them, keep every other digit.
    let trimmed = frac.trim_end_matches('0');
    let text = text(trimmed);
    Decimal::from_str_exact(&text).map_err(|_| {
        data(
            ty,
            format!(
                "{text} has more digits than rust_decimal::Decimal holds (28 places, 2^96); {hint}"
            ),
        )
    })
}

/// An array: its dimensions, then its elements, each decoded as `elem`; nested per
/// dimension. Lower bounds other than 1 would be lost in a `Vec`, so they are refused (but
/// for `int2vector` and `oidvector`, which always count from 0).
fn array(ty: &Type, elem: &Type, raw: &[u8], server: Server<'_>) -> Result<Value> {
    let zero_based = *ty == Type::INT2_VECTOR || *ty == Type::OID_VECTOR;
    let mut r = Reader::new(ty, raw);
    let ndim = r.i32()?;
    let _has_nulls = r.i32()?;
    let _elem_oid = r.u32()?;
    let mut dims = Vec::new();
    for _ in 0..ndim {
        let len = r.i32()?;
        let lower = r.i32()?;
        if lower != 1 && !(zero_based && lower == 0) {
            return Err(data(
                ty,
                format!(
                    "an array whose lower bound is {lower}, not 1, would lose its bounds in a \
                     Vec; read it as text (::text) or subscript it in the query"
                ),
            ));
        }
        dims.push(usize::try_from(len).map_err(|_| data(ty, "negative dimension"))?);
    }
    if dims.is_empty() {
        return Ok(Value::Array(Vec::new()));
    }
    let v = nested(elem, &dims, &mut r, server)?;
    r.done()?;
    Ok(v)
}

fn nested(elem: &Type, dims: &[usize], r: &mut Reader<'_>, server: Server<'_>) -> Result<Value> {
    let (&len, inner) = match dims.split_first() {
        Some(d) => d,
        None => return Ok(Value::Array(Vec::new())),
    };
    let mut out = Vec::with_capacity(len.min(4096));
    for _ in 0..len {
        if !inner.is_empty() {
            out.push(nested(elem, inner, r, server)?);
            continue;
        }
        let n = r.i32()?;
        if n < 0 {
            out.push(Value::Null);
        } else {
            let bytes = r.take(n as usize)?;
            out.push(value(elem, bytes, server)?);
        }
    }
    Ok(Value::Array(out))
}
