//! Reading a JSON document's text without changing its numbers.
//!
//! `serde_json` keeps integers within `i64`/`u64` exactly and makes every other number the
//! nearest `f64`: `123456789012345678901234567890` and `0.10000000000000000001` would read back
//! as other numbers without a word (PostgreSQL's `jsonb` keeps them exactly, MySQL and SQLite
//! keep the text). [`parse_json`] refuses a document with such a number; a number an `f64`
//! gives back as written (`0.1`, `1.5e300`, `2.50`) is read as that `f64`.

use ::serde_json::Value as Json;

/// Parses JSON text, refusing a number that `serde_json::Value` can't hold as written.
///
/// ```
/// use athanor_core::types::parse_json;
/// assert_eq!(parse_json(r#"{"n": 0.1, "big": 18446744073709551615}"#)?["n"], 0.1);
/// let err = parse_json(r#"{"n": 123456789012345678901234567890}"#).unwrap_err();
/// assert!(err.contains("123456789012345678901234567890"));
/// assert!(parse_json("[0.10000000000000000001]").is_err());
/// # Ok::<(), String>(())
/// ```
///
/// # Errors
/// Text that is not JSON, or that has a number `serde_json` would round, as a message.
pub fn parse_json(text: &str) -> Result<Json, String> {
    let doc: Json = serde_json::from_str(text).map_err(|e| format!("not valid JSON: {e}"))?;
    for token in numbers(text) {
        if !exact(token) {
            return Err(format!(
                "the number {token} has no exact serde_json value (it would be read as {}); \
                 read the document as text (String)",
                token
                    .parse::<f64>()
                    .map(|f| f.to_string())
                    .unwrap_or_default()
            ));
        }
    }
    Ok(doc)
}

/// The number tokens of JSON text (outside strings).
fn numbers(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() {
            match bytes[i] {
                b'"' => {
                    i += 1;
                    while i < bytes.len() && bytes[i] != b'"' {
                        i += if bytes[i] == b'\\' { 2 } else { 1 };
                    }
                    i += 1;
                }
                b'-' | b'0'..=b'9' => {
                    let start = i;
                    while i < bytes.len()
                        && matches!(bytes[i], b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')
                    {
                        i += 1;
                    }
                    return text.get(start..i);
                }
                _ => i += 1,
            }
        }
        None
    })
}

/// Whether `serde_json` reads the number token as the number it writes: an integer within
/// `i64`/`u64`, or a number whose nearest `f64` has the same decimal value.
fn exact(token: &str) -> bool {
    if token.parse::<i64>().is_ok() || token.parse::<u64>().is_ok() {
        return true;
    }
    match token.parse::<f64>() {
        Ok(f) if f.is_finite() => decimal(token) == decimal(&format!("{f:e}")),
        _ => false,
    }
}

/// A number's decimal value as (negative, significant digits, power of ten of the last
/// digit); zero is `(false, "", 0)` whatever its sign.
fn decimal(s: &str) -> (bool, String, i64) {
    let (neg, s) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let (mantissa, exp) = match s.find(['e', 'E']) {
        Some(at) => (&s[..at], s[at + 1..].parse::<i64>().unwrap_or(0)),
        None => (s, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let mut digits: String = format!("{int}{frac}").trim_start_matches('0').to_string();
    let mut exp = exp - frac.len() as i64;
    while digits.ends_with('0') {
        digits.pop();
        exp += 1;
    }
    if digits.is_empty() {
        return (false, digits, 0);
    }
    (neg, digits, exp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_outside_strings() {
        let text = r#"{"a": -1.5e3, "b\"1": "2 3", "c": [0, 7]}"#;
        assert_eq!(numbers(text).collect::<Vec<_>>(), ["-1.5e3", "0", "7"]);
    }

    #[test]
    fn exact_numbers() {
        for ok in [
            "0",
            "-0",
            "0.1",
            "2.50",
            "1.5e300",
            "-9223372036854775808",
            "18446744073709551615",
            "1E2",
            "5e-324",
        ] {
            assert!(exact(ok), "{ok}");
        }
        for bad in [
            "18446744073709551616",
            "-9223372036854775809",
            "0.10000000000000000001",
            "9007199254740993.0",
            "1e400",
        ] {
            assert!(!exact(bad), "{bad}");
        }
    }
}
