//! [`Value::Array`] going out as an array literal in text format (`{"1","2",NULL}`), which the
//! server reads with the element type's own input function: every element arrives exactly or
//! the server refuses it (`Error::Data`). A whole float for an integer element is sent as that
//! integer; an integer a float element can't hold exactly is refused here.

use postgres::types::Type;

use super::BoxError;
use super::bind::{float_text, mismatch, whole};
use crate::Value;

/// Writes `items` as an array literal of `elem` values (nested arrays are dimensions).
pub(super) fn write(
    items: &[Value],
    elem: &Type,
    out: &mut bytes::BytesMut,
) -> Result<(), BoxError> {
    // `box` is the one built-in type whose array elements are separated by `;`.
    let delim = if *elem == Type::BOX { b';' } else { b',' };
    out.extend_from_slice(b"{");
    for (i, v) in items.iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(&[delim]);
        }
        match v {
            Value::Null => out.extend_from_slice(b"NULL"),
            Value::Array(inner) => write(inner, elem, out)?,
            v => {
                super::bind::exact_time(v, elem)?;
                let text = element(v, elem).ok_or_else(|| mismatch(v, elem))?;
                out.extend_from_slice(b"\"");
                for ch in text.chars() {
                    if ch == '"' || ch == '\\' {
                        out.extend_from_slice(b"\\");
                    }
                    let mut buf = [0; 4];
                    out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                }
                out.extend_from_slice(b"\"");
            }
        }
    }
    out.extend_from_slice(b"}");
    Ok(())
}

/// The text of one element, or `None` when it can't reach `elem` exactly.
fn element(v: &Value, elem: &Type) -> Option<String> {
    let int_elem = matches!(*elem, Type::INT2 | Type::INT4 | Type::INT8 | Type::OID);
    Some(match v {
        Value::Bool(b) => if *b { "t" } else { "f" }.to_string(),
        Value::Int(i) if matches!(*elem, Type::FLOAT4 | Type::FLOAT8) => {
            // Integers beyond 2^53 (2^24 for a real) would arrive rounded.
            let exact = if *elem == Type::FLOAT4 {
                whole(f64::from(*i as f32)) == Some(*i)
            } else {
                whole(*i as f64) == Some(*i)
            };
            exact.then(|| i.to_string())?
        }
        Value::Int(i) => i.to_string(),
        Value::Float(f) if int_elem => whole(*f)?.to_string(),
        Value::Float(f) => float_text(*f),
        Value::Text(s) => s.clone(),
        Value::Bytes(b) if *elem == Type::BYTEA => {
            let mut s = String::from("\\x");
            for byte in b {
                s.push_str(&format!("{byte:02x}"));
            }
            s
        }
        Value::Bytes(b) => String::from_utf8(b.clone()).ok()?,
        Value::Decimal(d) if int_elem => {
            if !d.fract().is_zero() {
                return None;
            }
            d.trunc().normalize().to_string()
        }
        Value::Decimal(d) => d.to_string(),
        Value::Date(d) => d.format("%Y-%m-%d").to_string(),
        Value::Time(t) => t.format("%H:%M:%S%.f").to_string(),
        // A time without time zone would drop the offset: not into such an element.
        Value::TimeTz(t) if *elem != Type::TIME => t.to_string(),
        Value::DateTime(t) => t.format("%Y-%m-%d %H:%M:%S%.f").to_string(),
        // A timestamp without time zone would drop the offset: give it the UTC time.
        Value::DateTimeUtc(t) if *elem == Type::TIMESTAMP => {
            t.naive_utc().format("%Y-%m-%d %H:%M:%S%.f").to_string()
        }
        Value::DateTimeUtc(t) => t.format("%Y-%m-%d %H:%M:%S%.f+00").to_string(),
        Value::Interval(i) => i.to_string(),
        #[cfg(feature = "uuid")]
        Value::Uuid(u) => u.to_string(),
        #[cfg(feature = "serde_json")]
        Value::Json(j) => j.to_string(),
        _ => return None,
    })
}
