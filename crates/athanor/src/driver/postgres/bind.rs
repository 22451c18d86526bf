//! Values going out: each [`Value`] adapted to the type the prepared statement reports for
//! its parameter, exactly or not at all (`Error::Data`).

use std::error::Error as StdError;
use std::str::FromStr;

use chrono::Timelike;
use postgres::types::{Format, IsNull, Kind, ToSql, Type, to_sql_checked};

use super::BoxError;
use crate::Value;

#[derive(Debug)]
pub(super) struct ParamError(pub(super) String);

impl std::fmt::Display for ParamError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
impl StdError for ParamError {}

pub(super) fn mismatch(v: &Value, ty: &Type) -> BoxError {
    Box::new(ParamError(format!(
        "can't send {} value {v} to a PostgreSQL parameter of type {ty}",
        v.kind()
    )))
}

/// Refuses a time of day PostgreSQL can't keep exactly: nanoseconds that are not whole
/// microseconds (its date/time types keep six digits and would round the rest) and a leap
/// second (`23:59:60`, which it would move into the next minute or refuse as out of range).
fn whole_microseconds(v: &Value, nanos: u32) -> std::result::Result<(), BoxError> {
    let why = if nanos >= 1_000_000_000 {
        "PostgreSQL has no leap seconds (a time ending :60); store the second before or after"
    } else if !nanos.is_multiple_of(1000) {
        "PostgreSQL keeps times to the microsecond; round the value to whole microseconds first"
    } else {
        return Ok(());
    };
    Err(Box::new(ParamError(format!(
        "can't send {} value {v} to PostgreSQL: {why}",
        v.kind()
    ))))
}

/// Refuses a time of day (alone or in a timestamp) PostgreSQL would round or move: into any
/// parameter but text, whose six fractional digits can't hold what [`whole_microseconds`]
/// refuses. Array elements are checked against their element type the same way.
pub(super) fn exact_time(v: &Value, ty: &Type) -> std::result::Result<(), BoxError> {
    let nanos = match v {
        Value::Time(t) => t.nanosecond(),
        Value::TimeTz(t) => t.time.nanosecond(),
        Value::DateTime(t) => t.nanosecond(),
        Value::DateTimeUtc(t) => t.nanosecond(),
        _ => return Ok(()),
    };
    if matches!(*ty, Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME) {
        return Ok(());
    }
    whole_microseconds(v, nanos)
}

/// A value on its way to a parameter of whatever type the statement needs.
#[derive(Debug)]
pub(super) struct PgParam<'a>(pub(super) &'a Value);

fn int_to(
    i: i64,
    ty: &Type,
    out: &mut bytes::BytesMut,
    v: &Value,
) -> std::result::Result<IsNull, BoxError> {
    match *ty {
        Type::INT2 => i16::try_from(i)
            .map_err(|_| mismatch(v, ty))?
            .to_sql(ty, out),
        Type::INT4 => i32::try_from(i)
            .map_err(|_| mismatch(v, ty))?
            .to_sql(ty, out),
        Type::INT8 => i.to_sql(ty, out),
        Type::OID => u32::try_from(i)
            .map_err(|_| mismatch(v, ty))?
            .to_sql(ty, out),
        // A double holds every integer up to 2^53 exactly, a real up to 2^24; beyond, only
        // some: the others would arrive rounded.
        Type::FLOAT4 => match whole(f64::from(i as f32)) {
            Some(back) if back == i => (i as f32).to_sql(ty, out),
            _ => Err(mismatch(v, ty)),
        },
        Type::FLOAT8 => match whole(i as f64) {
            Some(back) if back == i => (i as f64).to_sql(ty, out),
            _ => Err(mismatch(v, ty)),
        },
        Type::NUMERIC => rust_decimal::Decimal::from(i).to_sql(ty, out),
        Type::BOOL => match i {
            0 => false.to_sql(ty, out),
            1 => true.to_sql(ty, out),
            _ => Err(mismatch(v, ty)),
        },
        _ => text_to(&i.to_string(), ty, out, v),
    }
}

fn text_to(
    s: &str,
    ty: &Type,
    out: &mut bytes::BytesMut,
    v: &Value,
) -> std::result::Result<IsNull, BoxError> {
    match *ty {
        Type::INT2 | Type::INT4 | Type::INT8 | Type::OID => int_to(
            s.trim().parse::<i64>().map_err(|_| mismatch(v, ty))?,
            ty,
            out,
            v,
        ),
        // Text beyond the type's range parses as infinity: refused, unless it says infinity.
        Type::FLOAT4 => match s.trim().parse::<f32>() {
            Ok(f) if f.is_finite() || s.to_ascii_lowercase().contains("inf") => f.to_sql(ty, out),
            _ => Err(mismatch(v, ty)),
        },
        Type::FLOAT8 => match s.trim().parse::<f64>() {
            Ok(f) if f.is_finite() || s.to_ascii_lowercase().contains("inf") => f.to_sql(ty, out),
            _ => Err(mismatch(v, ty)),
        },
        // (Text itself goes to a numeric parameter in text format: see `numeric_as_text`.)
        Type::NUMERIC => rust_decimal::Decimal::from_str_exact(s.trim())
            .map_err(|_| mismatch(v, ty))?
            .to_sql(ty, out),
        Type::BOOL => match s.trim().to_ascii_lowercase().as_str() {
            "t" | "true" | "1" | "yes" | "on" => true.to_sql(ty, out),
            "f" | "false" | "0" | "no" | "off" => false.to_sql(ty, out),
            _ => Err(mismatch(v, ty)),
        },
        Type::DATE => chrono::NaiveDate::from_str(s.trim())
            .map_err(|_| mismatch(v, ty))?
            .to_sql(ty, out),
        Type::TIME => chrono::NaiveTime::from_str(s.trim())
            .map_err(|_| mismatch(v, ty))?
            .to_sql(ty, out),
        Type::TIMESTAMP => parse_datetime(s)
            .ok_or_else(|| mismatch(v, ty))?
            .to_sql(ty, out),
        Type::TIMESTAMPTZ => chrono::DateTime::parse_from_rfc3339(s.trim())
            .map(|d| d.with_timezone(&chrono::Utc))
            .ok()
            .or_else(|| parse_datetime(s).map(|n| n.and_utc()))
            .ok_or_else(|| mismatch(v, ty))?
            .to_sql(ty, out),
        // Text into bytea is its UTF-8 bytes; a number or date is no byte string.
        Type::BYTEA if matches!(v, Value::Text(_)) => s.as_bytes().to_sql(ty, out),
        Type::BYTEA => Err(mismatch(v, ty)),
        Type::JSONB => {
            out.extend_from_slice(&[1]);
            out.extend_from_slice(s.as_bytes());
            Ok(IsNull::No)
        }
        // Any other type whose binary format isn't its text: text bytes would be misread.
        _ if sends_binary(ty)
            && !matches!(
                *ty,
                Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::UNKNOWN | Type::JSON
            ) =>
        {
            Err(mismatch(v, ty))
        }
        // Text-like, and anything sent in text form (enums, domains, json, ...).
        _ => {
            out.extend_from_slice(s.as_bytes());
            Ok(IsNull::No)
        }
    }
}

fn parse_datetime(s: &str) -> Option<chrono::NaiveDateTime> {
    let s = s.trim();
    for f in [
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(d) = chrono::NaiveDateTime::parse_from_str(s, f) {
            return Some(d);
        }
    }
    chrono::NaiveDate::from_str(s)
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
}

/// The integer a float holds exactly: whole, finite, and within `i64` (2^63 itself, which
/// `as` would clamp to `i64::MAX`, is out).
pub(super) fn whole(f: f64) -> Option<i64> {
    const LIMIT: f64 = 9_223_372_036_854_775_808.0; // 2^63
    (f.fract() == 0.0 && (-LIMIT..LIMIT).contains(&f)).then_some(f as i64)
}

impl ToSql for PgParam<'_> {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut bytes::BytesMut,
    ) -> std::result::Result<IsNull, BoxError> {
        let v = self.0;
        if let (Kind::Enum(_) | Kind::Domain(_), Value::Text(s)) = (ty.kind(), v) {
            out.extend_from_slice(s.as_bytes());
            return Ok(IsNull::No);
        }
        if parsed_by_server(v, ty) {
            match v {
                Value::Float(f) => out.extend_from_slice(float_text(*f).as_bytes()),
                Value::Text(s) => out.extend_from_slice(s.as_bytes()),
                Value::Bytes(b) => {
                    std::str::from_utf8(b).map_err(|_| mismatch(v, ty))?;
                    out.extend_from_slice(b);
                }
                _ => return Err(mismatch(v, ty)),
            }
            return Ok(IsNull::No);
        }
        if let Value::Array(items) = v {
            return match ty.kind() {
                Kind::Array(elem) => {
                    super::array_text::write(items, elem, out)?;
                    Ok(IsNull::No)
                }
                _ => Err(mismatch(v, ty)),
            };
        }
        exact_time(v, ty)?;
        match v {
            Value::Null => Ok(IsNull::Yes),
            Value::Bool(b) => match *ty {
                Type::BOOL => b.to_sql(ty, out),
                Type::INT2 | Type::INT4 | Type::INT8 | Type::NUMERIC => {
                    int_to(i64::from(*b), ty, out, v)
                }
                // Elsewhere (text, enums, ...) as PostgreSQL prints a boolean.
                _ => text_to(if *b { "true" } else { "false" }, ty, out, v),
            },
            Value::Int(i) => int_to(*i, ty, out, v),
            Value::Float(f) => match *ty {
                // A real column keeps the nearest real (its precision, as a NUMERIC(p, s)
                // column keeps its scale); a double beyond a real's range is refused.
                Type::FLOAT4 if f.is_finite() && (*f as f32).is_infinite() => Err(mismatch(v, ty)),
                Type::FLOAT4 => (*f as f32).to_sql(ty, out),
                Type::FLOAT8 => f.to_sql(ty, out),
                // A whole float in range is that integer exactly; anything else (a fraction,
                // out of range, NaN, infinite) would be rounded or clamped: refused.
                Type::INT2 | Type::INT4 | Type::INT8 | Type::OID => {
                    int_to(whole(*f).ok_or_else(|| mismatch(v, ty))?, ty, out, v)
                }
                _ => text_to(&format!("{f:?}"), ty, out, v),
            },
            Value::Text(s) => text_to(s, ty, out, v),
            Value::Bytes(b) => match *ty {
                Type::BYTEA => b.as_slice().to_sql(ty, out),
                _ => text_to(
                    std::str::from_utf8(b).map_err(|_| mismatch(v, ty))?,
                    ty,
                    out,
                    v,
                ),
            },
            Value::Decimal(d) => match *ty {
                Type::NUMERIC => d.to_sql(ty, out),
                Type::FLOAT8 | Type::FLOAT4 => {
                    use rust_decimal::prelude::ToPrimitive;
                    let f = d.to_f64().ok_or_else(|| mismatch(v, ty))?;
                    if *ty == Type::FLOAT4 {
                        (f as f32).to_sql(ty, out)
                    } else {
                        f.to_sql(ty, out)
                    }
                }
                // A whole decimal into an integer parameter is that integer; a fraction is
                // refused (text_to parses only whole numbers).
                Type::INT2 | Type::INT4 | Type::INT8 | Type::OID if d.fract().is_zero() => {
                    text_to(&d.trunc().normalize().to_string(), ty, out, v)
                }
                _ => text_to(&d.to_string(), ty, out, v),
            },
            Value::Date(d) => match *ty {
                Type::DATE => d.to_sql(ty, out),
                Type::TIMESTAMP => d
                    .and_hms_opt(0, 0, 0)
                    .ok_or_else(|| mismatch(v, ty))?
                    .to_sql(ty, out),
                _ => text_to(&d.to_string(), ty, out, v),
            },
            Value::Time(t) => match *ty {
                Type::TIME => t.to_sql(ty, out),
                // A time without an offset into a `timetz`: at UTC, as a timestamp goes into
                // a `timestamptz` (never the session's zone).
                Type::TIMETZ => text_to(&crate::types::TimeTz::utc(*t).to_string(), ty, out, v),
                _ => text_to(&t.to_string(), ty, out, v),
            },
            // As its text (`12:57:18+02:00`), which a `timetz` parameter reads with its
            // offset; a plain `time` one would drop the offset: refused.
            Value::TimeTz(_) if *ty == Type::TIME => Err(mismatch(v, ty)),
            Value::TimeTz(t) => text_to(&t.to_string(), ty, out, v),
            Value::DateTime(t) => match *ty {
                Type::TIMESTAMP => t.to_sql(ty, out),
                Type::TIMESTAMPTZ => t.and_utc().to_sql(ty, out),
                // A date column takes a date and time only at midnight: never cut the time.
                Type::DATE if t.time() == chrono::NaiveTime::MIN => t.date().to_sql(ty, out),
                Type::DATE => Err(mismatch(v, ty)),
                _ => text_to(&t.format("%Y-%m-%d %H:%M:%S%.f").to_string(), ty, out, v),
            },
            Value::DateTimeUtc(t) => match *ty {
                Type::TIMESTAMPTZ => t.to_sql(ty, out),
                Type::TIMESTAMP => t.naive_utc().to_sql(ty, out),
                _ => text_to(&t.to_rfc3339(), ty, out, v),
            },
            #[cfg(feature = "uuid")]
            Value::Uuid(u) => match *ty {
                Type::UUID => u.to_sql(ty, out),
                _ => text_to(&u.to_string(), ty, out, v),
            },
            #[cfg(feature = "serde_json")]
            Value::Json(j) => match *ty {
                Type::JSON | Type::JSONB => j.to_sql(ty, out),
                _ => text_to(&j.to_string(), ty, out, v),
            },
            Value::Interval(i) => match *ty {
                Type::INTERVAL => {
                    use bytes::BufMut;
                    out.put_i64(i.microseconds);
                    out.put_i32(i.days);
                    out.put_i32(i.months);
                    Ok(IsNull::No)
                }
                _ => text_to(&i.to_string(), ty, out, v),
            },
            #[allow(unreachable_patterns)]
            other => text_to(&other.to_string(), ty, out, v),
        }
    }

    fn accepts(_ty: &Type) -> bool {
        true
    }

    /// Binary for the types converted here; text for the rest (arrays, enums, domains,
    /// network, geometric, money, ...), which the server then parses with the type's own
    /// input function: never text bytes passed off as another type's binary format.
    fn encode_format(&self, ty: &Type) -> Format {
        if sends_binary(ty) && !parsed_by_server(self.0, ty) {
            Format::Binary
        } else {
            Format::Text
        }
    }

    to_sql_checked!();
}

/// Values sent as text for the server to parse: text and floats to a `numeric` parameter
/// (parsed exactly at any precision, where `rust_decimal` would round past 28 places; a float
/// as its shortest round-trip digits, 0.1 as `0.1`, as psycopg sends it), and text to a
/// `uuid` or `interval` one (parsed strictly, in PostgreSQL's own syntax).
fn parsed_by_server(v: &Value, ty: &Type) -> bool {
    match *ty {
        Type::NUMERIC => matches!(v, Value::Text(_) | Value::Float(_) | Value::Bytes(_)),
        Type::UUID | Type::INTERVAL => matches!(v, Value::Text(_) | Value::Bytes(_)),
        _ => false,
    }
}

/// A float as PostgreSQL reads it: shortest round-trip digits, `NaN`, `Infinity`.
pub(super) fn float_text(f: f64) -> String {
    if f.is_nan() {
        "NaN".into()
    } else if f.is_infinite() {
        if f > 0.0 { "Infinity" } else { "-Infinity" }.into()
    } else {
        format!("{f:?}")
    }
}

/// The parameter types [`PgParam`] writes in binary format.
fn sends_binary(ty: &Type) -> bool {
    matches!(
        *ty,
        Type::BOOL
            | Type::INT2
            | Type::INT4
            | Type::INT8
            | Type::OID
            | Type::FLOAT4
            | Type::FLOAT8
            | Type::NUMERIC
            | Type::DATE
            | Type::TIME
            | Type::TIMESTAMP
            | Type::TIMESTAMPTZ
            | Type::BYTEA
            | Type::UUID
            | Type::JSON
            | Type::JSONB
            | Type::INTERVAL
            | Type::TEXT
            | Type::VARCHAR
            | Type::BPCHAR
            | Type::NAME
            | Type::UNKNOWN
    )
}
