//! Types read as the text PostgreSQL's output function prints for them, written here from
//! their binary format: network addresses, MAC addresses, bit strings, `timetz`, `tid` and the
//! geometric types. Each form is checked against the server's own output in
//! `tests/integration/pg_types.rs`.

use postgres::types::Type;

use super::wire::{Reader, data};
use crate::Result;

/// Does [`print`] know `ty`?
pub(super) fn has(ty: &Type) -> bool {
    matches!(
        *ty,
        Type::INET
            | Type::CIDR
            | Type::MACADDR
            | Type::MACADDR8
            | Type::BIT
            | Type::VARBIT
            | Type::TIMETZ
            | Type::TID
            | Type::POINT
            | Type::LINE
            | Type::LSEG
            | Type::BOX
            | Type::PATH
            | Type::POLYGON
            | Type::CIRCLE
    )
}

/// The text form of a value of one of the types [`has`] lists.
pub(super) fn print(ty: &Type, r: &mut Reader<'_>) -> Result<String> {
    Ok(match *ty {
        Type::INET | Type::CIDR => inet(ty, r)?,
        Type::MACADDR | Type::MACADDR8 => {
            let bytes = r.rest();
            let hex: Vec<String> = bytes.iter().map(|b| format!("{b:02x}")).collect();
            hex.join(":")
        }
        Type::BIT | Type::VARBIT => {
            let len = usize::try_from(r.i32()?).map_err(|_| data(ty, "negative length"))?;
            let bytes = r.take(len.div_ceil(8))?;
            (0..len)
                .map(|i| {
                    if bytes[i / 8] & (0x80 >> (i % 8)) != 0 {
                        '1'
                    } else {
                        '0'
                    }
                })
                .collect()
        }
        Type::TIMETZ => timetz(r)?,
        Type::TID => {
            let block = r.u32()?;
            let offset = r.u16()?;
            format!("({block},{offset})")
        }
        Type::POINT => point(r)?,
        Type::LINE => format!(
            "{{{},{},{}}}",
            float(r.f64()?),
            float(r.f64()?),
            float(r.f64()?)
        ),
        Type::LSEG => format!("[{},{}]", point(r)?, point(r)?),
        Type::BOX => format!("{},{}", point(r)?, point(r)?),
        Type::PATH => {
            let closed = r.u8()? != 0;
            let points = points(ty, r)?;
            if closed {
                format!("({points})")
            } else {
                format!("[{points}]")
            }
        }
        Type::POLYGON => format!("({})", points(ty, r)?),
        Type::CIRCLE => {
            let center = point(r)?;
            format!("<{center},{}>", float(r.f64()?))
        }
        _ => return Err(data(ty, "no text form")),
    })
}

fn point(r: &mut Reader<'_>) -> Result<String> {
    Ok(format!("({},{})", float(r.f64()?), float(r.f64()?)))
}

fn points(ty: &Type, r: &mut Reader<'_>) -> Result<String> {
    let n = usize::try_from(r.i32()?).map_err(|_| data(ty, "negative point count"))?;
    let mut out = Vec::with_capacity(n.min(4096));
    for _ in 0..n {
        out.push(point(r)?);
    }
    Ok(out.join(","))
}

/// A double as `float8out` prints it: the shortest digits that read back exactly, in fixed
/// notation for decimal exponents -4 to 14 and as `1.5e+20` beyond.
pub(super) fn float(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    if f == 0.0 {
        return if f.is_sign_negative() { "-0" } else { "0" }.into();
    }
    // Rust's `{:e}` gives the same shortest round-trip digits: `-1.2345e-5`.
    let sci = format!("{f:e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let negative = mantissa.starts_with('-');
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    if (-4..15).contains(&exp) {
        if exp < 0 {
            out.push_str("0.");
            out.extend(std::iter::repeat_n('0', (-exp - 1) as usize));
            out.push_str(&digits);
        } else {
            let int_len = exp as usize + 1;
            if digits.len() <= int_len {
                out.push_str(&digits);
                out.extend(std::iter::repeat_n('0', int_len - digits.len()));
            } else {
                out.push_str(&digits[..int_len]);
                out.push('.');
                out.push_str(&digits[int_len..]);
            }
        }
    } else {
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push_str(&format!(
            "e{}{:02}",
            if exp < 0 { '-' } else { '+' },
            exp.abs()
        ));
    }
    out
}

/// `timetz`: microseconds since midnight and the zone in seconds west of UTC, printed as
/// `13:45:06.5+05:30` (the fraction without trailing zeros, the zone's minutes and seconds
/// only when not zero).
fn timetz(r: &mut Reader<'_>) -> Result<String> {
    let micros = r.i64()?;
    let west = r.i32()?;
    let secs = micros / 1_000_000;
    let mut out = format!("{:02}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60);
    let frac = micros % 1_000_000;
    if frac != 0 {
        let f = format!("{frac:06}");
        out.push('.');
        out.push_str(f.trim_end_matches('0'));
    }
    let east = -i64::from(west);
    out.push(if east < 0 { '-' } else { '+' });
    let a = east.abs();
    out.push_str(&format!("{:02}", a / 3600));
    if a % 3600 != 0 {
        out.push_str(&format!(":{:02}", a / 60 % 60));
        if a % 60 != 0 {
            out.push_str(&format!(":{:02}", a % 60));
        }
    }
    Ok(out)
}

/// `inet` / `cidr`: family, mask bits, is-cidr flag, address length, address. An `inet`
/// shows its mask only when it isn't the whole address; a `cidr` always does.
fn inet(ty: &Type, r: &mut Reader<'_>) -> Result<String> {
    let family = r.u8()?;
    let bits = r.u8()?;
    let _is_cidr = r.u8()?;
    let len = usize::from(r.u8()?);
    let addr = r.take(len)?;
    let (text, full) = match (family, addr) {
        (2, [a, b, c, d]) => (format!("{a}.{b}.{c}.{d}"), 32),
        (3, a) if a.len() == 16 => (ipv6(a), 128),
        _ => return Err(data(ty, format!("unknown address family {family}"))),
    };
    Ok(if *ty == Type::CIDR || bits != full {
        format!("{text}/{bits}")
    } else {
        text
    })
}

/// An IPv6 address as PostgreSQL prints it: lower-case hex groups, the first longest run of
/// two or more zero groups as `::`, and an IPv4-compatible or -mapped tail as dotted quad.
fn ipv6(a: &[u8]) -> String {
    let words: Vec<u16> = a
        .chunks(2)
        .map(|c| u16::from_be_bytes([c[0], c.get(1).copied().unwrap_or(0)]))
        .collect();
    // The longest run of zero words (the first of equal ones), if at least 2 long.
    let (mut best, mut cur): ((usize, usize), Option<(usize, usize)>) = ((0, 0), None);
    for (i, w) in words.iter().enumerate() {
        if *w == 0 {
            let c = cur.map_or((i, 1), |(s, l)| (s, l + 1));
            cur = Some(c);
            if c.1 > best.1 {
                best = c;
            }
        } else {
            cur = None;
        }
    }
    let best = (best.1 >= 2).then_some(best);
    let mut out = String::new();
    for (i, w) in words.iter().enumerate() {
        if let Some((start, len)) = best
            && (start..start + len).contains(&i)
        {
            if i == start {
                out.push(':');
            }
            continue;
        }
        if i != 0 {
            out.push(':');
        }
        let ipv4_tail = i == 6
            && best.is_some_and(|(s, l)| {
                s == 0 && (l == 6 || (l == 7 && words[7] != 1) || (l == 5 && words[5] == 0xffff))
            });
        if ipv4_tail {
            out.push_str(&format!("{}.{}.{}.{}", a[12], a[13], a[14], a[15]));
            break;
        }
        out.push_str(&format!("{w:x}"));
    }
    if best.is_some_and(|(s, l)| s + l == 8) {
        out.push(':');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::float;

    #[test]
    fn floats_print_as_float8out_does() {
        for (f, s) in [
            (1.5, "1.5"),
            (-2.0, "-2"),
            (1e20, "1e+20"),
            (1e-5, "1e-05"),
            (0.0001, "0.0001"),
            (123456789012345.0, "123456789012345"),
            (1234567890123456.0, "1.234567890123456e+15"),
            (0.1, "0.1"),
            (-0.0, "-0"),
            (f64::NAN, "NaN"),
            (f64::NEG_INFINITY, "-Infinity"),
            (2.5e-300, "2.5e-300"),
        ] {
            assert_eq!(float(f), s, "{f:e}");
        }
    }
}
