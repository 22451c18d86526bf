//! Values written into SQL text: DDL cannot bind parameters, so server defaults, CHECK
//! constraints' values, enum variants and LIKE's ESCAPE character are rendered as literals.
//! Every string goes through one escaper per dialect, [`Dialect::quote_string`]; every value
//! kind is rendered by [`Dialect::literal`], whose default is [`default_literal`].
//!
//! | value | default rendering | PostgreSQL | MySQL |
//! |---|---|---|---|
//! | `Null` | `NULL` | | |
//! | `Bool` | `1` / `0` | `true` / `false` | |
//! | `Int`, `Decimal` | digits | | |
//! | `Float` | shortest round-trip digits (`0.1`, `1e300`); NaN and ±inf refused | | |
//! | `Text` | `'...'` with `'` doubled; NUL refused | | backslashes doubled too, unless the server runs with `NO_BACKSLASH_ESCAPES` |
//! | `Bytes` | `X'0A1B'` | `'\x0a1b'::bytea` | |
//! | `Date`, `Time`, `DateTime` | quoted ISO text (`'2024-05-01 12:00:00.5'`) | | |
//! | `DateTimeUtc` | quoted UTC text without offset (how SQLite and MySQL store it) | quoted RFC 3339 | |
//! | `Uuid` | quoted 32 hex digits (how SQLite and MySQL store it) | quoted hyphenated | |
//! | `Json` | the document's text, quoted | | |
//! | `Interval` | refused | `INTERVAL '1 months 2 days 3 microseconds'` | refused |
//! | `Array` | refused | `ARRAY[1, 2]` (an empty one refused) | refused |

use super::Dialect;
use crate::error::{CompileError, Error, Result};
use crate::types::Value;

/// The standard string literal: `'` doubled (`it's` → `'it''s'`); with `backslashes`, `\` is
/// doubled too (MySQL's default mode, where `\` starts an escape sequence).
///
/// # Errors
/// [`CompileError::Unsupported`] for a NUL character: no dialect here can write it inside a
/// literal (PostgreSQL can't store it in text at all).
pub fn quote_standard(dialect: &'static str, s: &str, backslashes: bool) -> Result<String> {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for ch in s.chars() {
        match ch {
            '\'' => out.push_str("''"),
            '\\' if backslashes => out.push_str("\\\\"),
            '\0' => {
                return Err(Error::from(CompileError::Unsupported {
                    dialect,
                    construct: "a NUL character in a SQL literal (a DDL default or CHECK value \
                                can't be bound: remove the NUL, or give the value in INSERTs, \
                                where it is a bound parameter)"
                        .into(),
                }));
            }
            c => out.push(c),
        }
    }
    out.push('\'');
    Ok(out)
}

/// Renders any value as a literal of `d`'s SQL, quoting text through
/// [`Dialect::quote_string`] (see the [module docs](self) for each kind's form). Dialects
/// override [`Dialect::literal`] for the kinds they write differently and call this for the
/// rest.
///
/// # Errors
/// A NaN or infinite float (no portable literal); what [`Dialect::quote_string`] refuses.
pub fn default_literal<D: Dialect + ?Sized>(d: &D, v: &Value) -> Result<String> {
    Ok(match v {
        Value::Null => "NULL".into(),
        Value::Bool(b) => if *b { "1" } else { "0" }.into(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) if f.is_finite() => format!("{f:?}"),
        Value::Float(f) => {
            return Err(Error::from(CompileError::Unsupported {
                dialect: d.name(),
                construct: format!("the float {f} as a SQL literal (use a finite number)"),
            }));
        }
        Value::Text(s) => d.quote_string(s)?,
        Value::Bytes(b) => {
            let mut out = String::with_capacity(b.len() * 2 + 3);
            out.push_str("X'");
            for byte in b {
                out.push_str(&format!("{byte:02X}"));
            }
            out.push('\'');
            out
        }
        #[cfg(feature = "rust_decimal")]
        Value::Decimal(x) => x.to_string(),
        #[cfg(feature = "chrono")]
        Value::Date(x) => d.quote_string(&x.format("%Y-%m-%d").to_string())?,
        #[cfg(feature = "chrono")]
        Value::Time(x) => d.quote_string(&x.format("%H:%M:%S%.f").to_string())?,
        #[cfg(feature = "chrono")]
        Value::TimeTz(x) => d.quote_string(&x.to_string())?,
        #[cfg(feature = "chrono")]
        Value::DateTime(x) => d.quote_string(&x.format("%Y-%m-%d %H:%M:%S%.f").to_string())?,
        #[cfg(feature = "chrono")]
        Value::DateTimeUtc(x) => {
            d.quote_string(&x.naive_utc().format("%Y-%m-%d %H:%M:%S%.f").to_string())?
        }
        #[cfg(feature = "uuid")]
        Value::Uuid(u) => d.quote_string(&u.simple().to_string())?,
        #[cfg(feature = "serde_json")]
        Value::Json(j) => d.quote_string(&j.to_string())?,
        Value::Array(_) | Value::Interval(_) => {
            return Err(Error::from(CompileError::Unsupported {
                dialect: d.name(),
                construct: format!(
                    "a {} value as a SQL literal (write the default as SQL text instead)",
                    v.kind()
                ),
            }));
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::{MySql, Postgres, Sqlite};

    #[test]
    fn strings_are_escaped_per_dialect() {
        let hostile = "it's \\' \"q\" '); DROP TABLE x; --\n";
        assert_eq!(
            Sqlite.literal(&Value::Text(hostile.into())).unwrap(),
            "'it''s \\'' \"q\" ''); DROP TABLE x; --\n'"
        );
        assert_eq!(
            Postgres.literal(&Value::Text(hostile.into())).unwrap(),
            "'it''s \\'' \"q\" ''); DROP TABLE x; --\n'"
        );
        assert_eq!(
            MySql.literal(&Value::Text(hostile.into())).unwrap(),
            "'it''s \\\\'' \"q\" ''); DROP TABLE x; --\n'"
        );
        let nbe = MySql {
            no_backslash_escapes: true,
            ..MySql
        };
        assert_eq!(
            nbe.literal(&Value::Text("a\\b'".into())).unwrap(),
            "'a\\b'''"
        );
    }

    #[test]
    fn nul_and_non_finite_floats_are_refused() {
        for v in [
            Value::Text("a\0b".into()),
            Value::Float(f64::NAN),
            Value::Float(f64::INFINITY),
        ] {
            for d in [&Sqlite as &dyn Dialect, &Postgres, &MySql] {
                assert!(
                    matches!(
                        d.literal(&v),
                        Err(Error::Compile(e)) if matches!(*e, CompileError::Unsupported { .. })
                    ),
                    "{} {v:?}",
                    d.name()
                );
            }
        }
    }

    #[test]
    fn intervals_are_postgres_literals() {
        let v = Value::Interval(crate::types::Interval {
            months: 1,
            days: 2,
            microseconds: -3,
        });
        assert_eq!(
            Postgres.literal(&v).unwrap(),
            "INTERVAL '1 months 2 days -3 microseconds'"
        );
        assert!(Sqlite.literal(&v).is_err());
        assert!(MySql.literal(&v).is_err());
    }

    #[test]
    fn arrays_are_postgres_literals() {
        let v = Value::Array(vec![Value::Int(1), Value::Text("it's".into())]);
        assert_eq!(Postgres.literal(&v).unwrap(), "ARRAY[1, 'it''s']");
        assert!(Postgres.literal(&Value::Array(vec![])).is_err());
        assert!(Sqlite.literal(&v).is_err());
    }

    #[test]
    fn scalars() {
        assert_eq!(Sqlite.literal(&Value::Bool(true)).unwrap(), "1");
        assert_eq!(Postgres.literal(&Value::Bool(false)).unwrap(), "false");
        assert_eq!(Sqlite.literal(&Value::Float(0.1)).unwrap(), "0.1");
        assert_eq!(Sqlite.literal(&Value::Float(-2.5e300)).unwrap(), "-2.5e300");
        assert_eq!(
            Sqlite.literal(&Value::Int(i64::MIN)).unwrap(),
            "-9223372036854775808"
        );
        assert_eq!(
            Sqlite.literal(&Value::Bytes(vec![0, 0x27, 0xff])).unwrap(),
            "X'0027FF'"
        );
        assert_eq!(
            Postgres
                .literal(&Value::Bytes(vec![0, 0x27, 0xff]))
                .unwrap(),
            "'\\x0027ff'::bytea"
        );
    }
}
