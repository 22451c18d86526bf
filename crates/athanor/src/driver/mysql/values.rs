//! Values to and from the MySQL / MariaDB binary protocol: exact, or an error.
//!
//! Going out ([`to_param`]), a value the server can't hold as given is [`Error::Data`] naming
//! the value and why, before anything is sent:
//!
//! | value | sent as | refused |
//! |---|---|---|
//! | `Int`, `Bool` | `Int` (the server range-checks narrower columns in strict mode) | — |
//! | `Float` | `Double` | NaN and ±infinity (MySQL has neither) |
//! | `Text`, `Bytes`, `Json` | bytes | — |
//! | `Decimal` | its exact text | — |
//! | `Date`, `DateTime`, `DateTimeUtc` (as UTC) | `Date` | years outside 0..=9999 (the wire and `DATE`/`DATETIME` hold four digits); a leap second (`23:59:60`, which MySQL has no way to store); nanoseconds that are not whole microseconds (MySQL keeps 6 digits) |
//! | `Time` | `Time` | a leap second; sub-microsecond nanoseconds |
//! | `Uuid` | its 32 hex digits | — |
//! | any other kind | — | always (the driver has no conversion for it) |
//!
//! Connections also run with `STRICT_ALL_TABLES` in `sql_mode` (see the driver), so the server
//! refuses an out-of-range number or a too-long string for a column rather than clamping or
//! cutting it, whatever the table's engine. Two roundings stay the column's own, as on every
//! server and in SQLAlchemy: a `DECIMAL(p, s)` column rounds to its scale `s`, and a
//! `DATETIME`/`TIME` without fractional digits drops the microseconds (Athanor creates
//! `DATETIME(6)` and `TIME(6)`; reflected or hand-written tables may have less).
//!
//! Coming back ([`read`]), every value the server sends becomes a [`Value`] holding it exactly:
//!
//! | server | becomes |
//! |---|---|
//! | signed integers, `YEAR` | `Int` |
//! | unsigned integers up to `i64::MAX` | `Int`; above it `Decimal` (exact, and `u64`/`u128` read it) |
//! | `FLOAT` | `Float` (the 4-byte float widened exactly) |
//! | `DOUBLE` | `Float` |
//! | `DECIMAL` | `Decimal` when it has at most 28 fractional digits and fits 96 bits; otherwise its text (`String` reads it; `Decimal` refuses it with a conversion error) |
//! | `DATE`, `DATETIME`, `TIMESTAMP` | `Date` / `DateTime`; MySQL's zero dates (`0000-00-00`, `2024-00-10`) have no calendar value: their text, as MySQL prints them, so a chrono read fails naming them instead of a silent NULL |
//! | `TIME` within a day | `Time`; negative or beyond 24 hours: its text (`-838:59:59.5`) |
//! | binary strings | `Bytes` |
//! | text | `Text` (bytes that are not UTF-8: `Bytes`) |

use athanor_core::error::DatabaseError;
use chrono::{Datelike, NaiveDate, NaiveTime, Timelike};
use mysql::consts::{ColumnFlags, ColumnType};

use crate::{Error, Result, Value};

/// The error for a value MySQL / MariaDB can't store as given.
fn refused(v: &Value, why: &str) -> Error {
    Error::Data(DatabaseError::new(format!(
        "cannot send {} {v} to MySQL/MariaDB: {why}",
        v.kind()
    )))
}

/// The year of a date the wire and `DATE`/`DATETIME` can carry (four digits).
fn year(v: &Value, d: NaiveDate) -> Result<u16> {
    u16::try_from(d.year())
        .ok()
        .filter(|y| *y <= 9999)
        .ok_or_else(|| {
            refused(
                v,
                "DATE and DATETIME hold years 0 to 9999; store other years as text or a number",
            )
        })
}

/// Hours, minutes, seconds and microseconds of a time MySQL can hold exactly.
fn clock(v: &Value, t: NaiveTime) -> Result<(u8, u8, u8, u32)> {
    let nanos = t.nanosecond();
    if nanos >= 1_000_000_000 {
        return Err(refused(
            v,
            "MySQL has no leap seconds (a time ending :60); store the second before or after",
        ));
    }
    if !nanos.is_multiple_of(1000) {
        return Err(refused(
            v,
            "MySQL keeps times to the microsecond; round the value to whole microseconds first",
        ));
    }
    // Each part is below 60 (hour below 24): the casts can't cut.
    Ok((
        t.hour() as u8,
        t.minute() as u8,
        t.second() as u8,
        nanos / 1000,
    ))
}

/// A value as a statement parameter, or [`Error::Data`] when MySQL can't hold it as given.
pub(super) fn to_param(v: &Value) -> Result<mysql::Value> {
    Ok(match v {
        Value::Null => mysql::Value::NULL,
        Value::Bool(b) => mysql::Value::Int(i64::from(*b)),
        Value::Int(i) => mysql::Value::Int(*i),
        Value::Float(f) if !f.is_finite() => {
            return Err(refused(v, "MySQL and MariaDB have no NaN or infinity"));
        }
        Value::Float(f) => mysql::Value::Double(*f),
        Value::Text(s) => mysql::Value::Bytes(s.as_bytes().to_vec()),
        Value::Bytes(b) => mysql::Value::Bytes(b.clone()),
        Value::Decimal(d) => mysql::Value::Bytes(d.to_string().into_bytes()),
        Value::Date(d) => {
            mysql::Value::Date(year(v, *d)?, d.month() as u8, d.day() as u8, 0, 0, 0, 0)
        }
        Value::Time(t) => {
            let (h, mi, s, us) = clock(v, *t)?;
            mysql::Value::Time(false, 0, h, mi, s, us)
        }
        // MySQL's TIME has no offset: a UTC time is stored as its time; any other offset is
        // refused rather than the time moved or the offset dropped.
        Value::TimeTz(t) if t.offset.local_minus_utc() == 0 => {
            let (h, mi, s, us) = clock(v, t.time)?;
            mysql::Value::Time(false, 0, h, mi, s, us)
        }
        Value::TimeTz(_) => {
            return Err(refused(
                v,
                "MySQL's TIME keeps no UTC offset; convert the time to UTC (offset zero) first",
            ));
        }
        Value::DateTime(t) => datetime(v, *t)?,
        Value::DateTimeUtc(t) => datetime(v, t.naive_utc())?,
        #[cfg(feature = "uuid")]
        Value::Uuid(u) => mysql::Value::Bytes(u.simple().to_string().into_bytes()),
        #[cfg(feature = "serde_json")]
        Value::Json(j) => mysql::Value::Bytes(j.to_string().into_bytes()),
        #[allow(unreachable_patterns)]
        other => {
            return Err(refused(
                other,
                "the MySQL driver has no conversion for this kind of value",
            ));
        }
    })
}

fn datetime(v: &Value, t: chrono::NaiveDateTime) -> Result<mysql::Value> {
    let y = year(v, t.date())?;
    let (h, mi, s, us) = clock(v, t.time())?;
    Ok(mysql::Value::Date(
        y,
        t.month() as u8,
        t.day() as u8,
        h,
        mi,
        s,
        us,
    ))
}

/// `.ffffff` when there are microseconds, as MySQL prints them.
fn fraction(us: u32) -> String {
    if us == 0 {
        String::new()
    } else {
        format!(".{us:06}")
    }
}

/// A value the server sent for column `col`, exactly.
pub(super) fn read(v: mysql::Value, col: &mysql::Column) -> Value {
    let ty = col.column_type();
    let binary = col.character_set() == 63;
    match v {
        mysql::Value::NULL => Value::Null,
        mysql::Value::Int(i) => Value::Int(i),
        mysql::Value::UInt(u) => i64::try_from(u).map_or_else(
            |_| Value::Decimal(rust_decimal::Decimal::from(u)),
            Value::Int,
        ),
        mysql::Value::Float(f) => Value::Float(f64::from(f)),
        mysql::Value::Double(f) => Value::Float(f),
        mysql::Value::Bytes(b) => match ty {
            ColumnType::MYSQL_TYPE_NEWDECIMAL | ColumnType::MYSQL_TYPE_DECIMAL => {
                let s = String::from_utf8_lossy(&b);
                rust_decimal::Decimal::from_str_exact(&s)
                    .map_or_else(|_| Value::Text(s.into_owned()), Value::Decimal)
            }
            ColumnType::MYSQL_TYPE_LONGLONG
            | ColumnType::MYSQL_TYPE_LONG
            | ColumnType::MYSQL_TYPE_INT24
            | ColumnType::MYSQL_TYPE_SHORT
            | ColumnType::MYSQL_TYPE_TINY
            | ColumnType::MYSQL_TYPE_YEAR => {
                let s = String::from_utf8_lossy(&b);
                match s.parse::<i64>() {
                    Ok(i) => Value::Int(i),
                    Err(_) => match s.parse::<u64>() {
                        Ok(u) => Value::Decimal(rust_decimal::Decimal::from(u)),
                        Err(_) => Value::Text(s.into_owned()),
                    },
                }
            }
            ColumnType::MYSQL_TYPE_DOUBLE => {
                let s = String::from_utf8_lossy(&b);
                s.parse::<f64>()
                    .map_or_else(|_| Value::Text(s.into_owned()), Value::Float)
            }
            ColumnType::MYSQL_TYPE_FLOAT => {
                // The text of a 4-byte float: read as f32 (its shortest form), widened exactly.
                let s = String::from_utf8_lossy(&b);
                s.parse::<f32>().map_or_else(
                    |_| Value::Text(s.into_owned()),
                    |f| Value::Float(f64::from(f)),
                )
            }
            _ if binary && !col.flags().contains(ColumnFlags::ENUM_FLAG) => Value::Bytes(b),
            _ => match String::from_utf8(b) {
                Ok(s) => Value::Text(s),
                Err(e) => Value::Bytes(e.into_bytes()),
            },
        },
        mysql::Value::Date(y, mo, d, h, mi, s, us) => {
            let is_date = matches!(
                ty,
                ColumnType::MYSQL_TYPE_DATE | ColumnType::MYSQL_TYPE_NEWDATE
            );
            let date = NaiveDate::from_ymd_opt(i32::from(y), u32::from(mo), u32::from(d));
            let value = match (is_date, date) {
                (true, Some(d)) => Some(Value::Date(d)),
                (false, Some(d)) => d
                    .and_hms_micro_opt(u32::from(h), u32::from(mi), u32::from(s), us)
                    .map(Value::DateTime),
                (_, None) => None,
            };
            // MySQL's zero dates ('0000-00-00', '2024-00-10') have no calendar value.
            value.unwrap_or_else(|| {
                Value::Text(if is_date {
                    format!("{y:04}-{mo:02}-{d:02}")
                } else {
                    format!(
                        "{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}{}",
                        fraction(us)
                    )
                })
            })
        }
        mysql::Value::Time(neg, days, h, mi, s, us) => {
            let within_day = (!neg && days == 0)
                .then(|| {
                    NaiveTime::from_hms_micro_opt(u32::from(h), u32::from(mi), u32::from(s), us)
                })
                .flatten();
            within_day.map_or_else(
                || {
                    let total_h = u64::from(days) * 24 + u64::from(h);
                    Value::Text(format!(
                        "{}{total_h:02}:{mi:02}:{s:02}{}",
                        if neg { "-" } else { "" },
                        fraction(us)
                    ))
                },
                Value::Time,
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn data_message(r: Result<mysql::Value>) -> String {
        match r {
            Err(Error::Data(d)) => d.message.clone(),
            other => panic!("expected Error::Data, got {other:?}"),
        }
    }

    #[test]
    fn years_outside_four_digits_are_refused_not_wrapped() {
        assert_eq!(
            to_param(&Value::Date(date(9999, 12, 31))).unwrap(),
            mysql::Value::Date(9999, 12, 31, 0, 0, 0, 0)
        );
        assert_eq!(
            to_param(&Value::Date(date(0, 1, 1))).unwrap(),
            mysql::Value::Date(0, 1, 1, 0, 0, 0, 0)
        );
        assert_eq!(
            data_message(to_param(&Value::Date(date(67560, 1, 1)))),
            "cannot send DATE '+67560-01-01' to MySQL/MariaDB: DATE and DATETIME hold years \
             0 to 9999; store other years as text or a number"
        );
        for y in [10000, -1, -4713] {
            let v = Value::DateTime(date(y, 6, 1).and_hms_opt(0, 0, 0).unwrap());
            assert!(
                data_message(to_param(&v)).contains("years 0 to 9999"),
                "{y}"
            );
        }
    }

    #[test]
    fn leap_seconds_and_nanoseconds_are_refused_not_rounded() {
        let leap = NaiveTime::from_hms_milli_opt(23, 59, 59, 1_500).unwrap();
        assert!(data_message(to_param(&Value::Time(leap))).contains("no leap seconds"));
        let dt = date(2016, 12, 31).and_time(leap);
        assert!(data_message(to_param(&Value::DateTime(dt))).contains("no leap seconds"));
        let nanos = NaiveTime::from_hms_nano_opt(1, 2, 3, 123_456_789).unwrap();
        assert!(data_message(to_param(&Value::Time(nanos))).contains("to the microsecond"));
        let micros = NaiveTime::from_hms_micro_opt(1, 2, 3, 123_456).unwrap();
        assert_eq!(
            to_param(&Value::Time(micros)).unwrap(),
            mysql::Value::Time(false, 0, 1, 2, 3, 123_456)
        );
    }

    #[test]
    fn non_finite_floats_are_refused() {
        for f in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert!(data_message(to_param(&Value::Float(f))).contains("no NaN or infinity"));
        }
        assert_eq!(
            to_param(&Value::Float(-0.5)).unwrap(),
            mysql::Value::Double(-0.5)
        );
    }
}
