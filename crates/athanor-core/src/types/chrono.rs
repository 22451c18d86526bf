//! Conversions for `chrono` dates and times (feature `chrono`).
//!
//! Each type goes out as its own [`Value`] variant and comes back from it, or from the TEXT a
//! database without a native type hands back (SQLite stores dates and times as ISO 8601 text):
//!
//! | Rust | goes out as | comes back from |
//! |---|---|---|
//! | `NaiveDate` | `Date` | `Date`; `Text` `YYYY-MM-DD` |
//! | `NaiveTime` | `Time` | `Time`; `Text` `HH:MM:SS[.ffffff]` or `HH:MM` |
//! | `NaiveDateTime` | `DateTime` | `DateTime`; `Text` `YYYY-MM-DD HH:MM:SS[.ffffff]`, `YYYY-MM-DD HH:MM` (either with `T` for the space), or `YYYY-MM-DD` (midnight) |
//! | `DateTime<Utc>` | `DateTimeUtc` | `DateTimeUtc`; `DateTime` taken as UTC; `Text` RFC 3339 (`2024-01-02T03:04:05+02:00`, `Z`, a space for the `T`), an offset of hours only (`+00`), or any `NaiveDateTime` text taken as UTC |
//!
//! Fractional seconds take up to 9 digits (a tenth digit is an error, not dropped); leap
//! seconds (`23:59:60.5`) read as chrono's leap seconds, so what SQLite stored from chrono
//! reads back exactly, whatever the year (`+10000-01-01`, `-0001-12-31`). Anything else is a
//! [`ConversionError`] that quotes the text and the form expected.
//!
//! ```
//! use athanor_core::{FromValue, Value};
//! use chrono::NaiveDate;
//!
//! let day = NaiveDate::from_ymd_opt(2024, 2, 29).unwrap();
//! assert_eq!(Value::from(day), Value::Date(day));
//! assert_eq!(NaiveDate::from_value(&Value::Text("2024-02-29".into()))?, day);
//! # Ok::<(), athanor_core::error::ConversionError>(())
//! ```

use ::chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, ParseError, Utc};

use super::convert::{mismatch, quoted};
use super::{FromValue, Value};
use crate::error::ConversionError;
use crate::sql::Expr;

impl From<NaiveDate> for Value {
    fn from(v: NaiveDate) -> Self {
        Value::Date(v)
    }
}

impl From<NaiveTime> for Value {
    fn from(v: NaiveTime) -> Self {
        Value::Time(v)
    }
}

impl From<NaiveDateTime> for Value {
    fn from(v: NaiveDateTime) -> Self {
        Value::DateTime(v)
    }
}

impl From<DateTime<Utc>> for Value {
    fn from(v: DateTime<Utc>) -> Self {
        Value::DateTimeUtc(v)
    }
}

macro_rules! expr_from {
    ($($t:ty),*) => {$(
        /// Binds the value as a parameter, so it can be compared with a column.
        impl From<$t> for Expr {
            fn from(v: $t) -> Self {
                Expr::Value(Value::from(v))
            }
        }
    )*};
}
expr_from!(NaiveDate, NaiveTime, NaiveDateTime, DateTime<Utc>);

fn bad_text(expected: &'static str, s: &str, form: &str, e: ParseError) -> ConversionError {
    ConversionError::new(expected, "TEXT").with_detail(format!("{} is not {form}: {e}", quoted(s)))
}

/// Text with more than 9 digits after a `.`: chrono would drop the rest of the fraction
/// without a word, so such text is refused instead.
fn too_precise(expected: &'static str, s: &str) -> Option<ConversionError> {
    let excess = s
        .split('.')
        .skip(1)
        .any(|after| after.bytes().take_while(u8::is_ascii_digit).count() > 9);
    excess.then(|| {
        ConversionError::new(expected, "TEXT").with_detail(format!(
            "{} has more than 9 fractional digits of a second, and nanoseconds are the \
             finest chrono keeps",
            quoted(s)
        ))
    })
}

fn parse_date(s: &str) -> Result<NaiveDate, ParseError> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
}

fn parse_time(s: &str) -> Result<NaiveTime, ParseError> {
    NaiveTime::parse_from_str(s, "%H:%M:%S%.f").or_else(|e| {
        // SQLite's time functions also read `HH:MM`; report the full form's error otherwise.
        NaiveTime::parse_from_str(s, "%H:%M").map_err(|_| e)
    })
}

/// `YYYY-MM-DD HH:MM:SS[.f]`, `YYYY-MM-DD HH:MM` or `YYYY-MM-DD`, with `T` allowed for the space.
fn parse_datetime(s: &str) -> Result<NaiveDateTime, ParseError> {
    let spaced;
    let s = if s.contains('T') {
        spaced = s.replacen('T', " ", 1);
        spaced.as_str()
    } else {
        s
    };
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f").or_else(|e| {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M")
            .or_else(|_| parse_date(s).map(|d| d.and_time(NaiveTime::MIN)))
            .map_err(|_| e)
    })
}

/// RFC 3339 (chrono also takes a space or `t` for the `T`), `+HH` offsets, or naive text as UTC.
fn parse_datetime_utc(s: &str) -> Result<DateTime<Utc>, ParseError> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.to_utc());
    }
    if let Ok(t) = DateTime::parse_from_str(&s.replacen('T', " ", 1), "%Y-%m-%d %H:%M:%S%.f%#z") {
        return Ok(t.to_utc());
    }
    parse_datetime(s).map(|t| t.and_utc())
}

const DATE_FORM: &str = "a YYYY-MM-DD date";
const TIME_FORM: &str = "a HH:MM:SS[.ffffff] time";
const DATETIME_FORM: &str = "a YYYY-MM-DD HH:MM:SS[.ffffff] datetime";
const DATETIME_UTC_FORM: &str = "an RFC 3339 or YYYY-MM-DD HH:MM:SS[.ffffff] datetime";

impl FromValue for NaiveDate {
    fn from_value(value: &Value) -> Result<Self, ConversionError> {
        match value {
            Value::Date(d) => Ok(*d),
            Value::Text(s) => parse_date(s).map_err(|e| bad_text("NaiveDate", s, DATE_FORM, e)),
            v => mismatch("NaiveDate", v),
        }
    }
}

impl FromValue for NaiveTime {
    fn from_value(value: &Value) -> Result<Self, ConversionError> {
        match value {
            Value::Time(t) => Ok(*t),
            Value::Text(s) => match too_precise("NaiveTime", s) {
                Some(e) => Err(e),
                None => parse_time(s).map_err(|e| bad_text("NaiveTime", s, TIME_FORM, e)),
            },
            v => mismatch("NaiveTime", v),
        }
    }
}

impl FromValue for NaiveDateTime {
    fn from_value(value: &Value) -> Result<Self, ConversionError> {
        match value {
            Value::DateTime(t) => Ok(*t),
            Value::Text(s) => match too_precise("NaiveDateTime", s) {
                Some(e) => Err(e),
                None => {
                    parse_datetime(s).map_err(|e| bad_text("NaiveDateTime", s, DATETIME_FORM, e))
                }
            },
            v => mismatch("NaiveDateTime", v),
        }
    }
}

impl FromValue for DateTime<Utc> {
    fn from_value(value: &Value) -> Result<Self, ConversionError> {
        match value {
            Value::DateTimeUtc(t) => Ok(*t),
            Value::DateTime(t) => Ok(t.and_utc()),
            Value::Text(s) => match too_precise("DateTime<Utc>", s) {
                Some(e) => Err(e),
                None => parse_datetime_utc(s)
                    .map_err(|e| bad_text("DateTime<Utc>", s, DATETIME_UTC_FORM, e)),
            },
            v => mismatch("DateTime<Utc>", v),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Value {
        Value::Text(s.to_string())
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
    }

    fn time(h: u32, m: u32, s: u32, micro: u32) -> NaiveTime {
        NaiveTime::from_hms_micro_opt(h, m, s, micro).expect("valid time")
    }

    fn err<T: FromValue + std::fmt::Debug>(v: Value) -> String {
        T::from_value(&v)
            .expect_err("conversion should fail")
            .to_string()
    }

    #[test]
    fn round_trips_through_the_native_variants() {
        let d = date(2024, 2, 29);
        let t = time(23, 59, 58, 123_456);
        let dt = d.and_time(t);
        let utc = dt.and_utc();
        assert_eq!(Value::from(d), Value::Date(d));
        assert_eq!(Value::from(t), Value::Time(t));
        assert_eq!(Value::from(dt), Value::DateTime(dt));
        assert_eq!(Value::from(utc), Value::DateTimeUtc(utc));
        assert_eq!(NaiveDate::from_value(&Value::from(d)), Ok(d));
        assert_eq!(NaiveTime::from_value(&Value::from(t)), Ok(t));
        assert_eq!(NaiveDateTime::from_value(&Value::from(dt)), Ok(dt));
        assert_eq!(DateTime::<Utc>::from_value(&Value::from(utc)), Ok(utc));
        assert_eq!(Option::<NaiveDate>::from_value(&Value::Null), Ok(None));
        assert_eq!(Value::from(None::<NaiveDate>), Value::Null);
    }

    #[test]
    fn values_bind_as_expressions() {
        let d = date(2024, 1, 2);
        assert!(matches!(Expr::from(d), Expr::Value(Value::Date(x)) if x == d));
        let t = time(3, 4, 5, 0);
        assert!(matches!(Expr::from(t), Expr::Value(Value::Time(x)) if x == t));
        let dt = d.and_time(t);
        assert!(matches!(Expr::from(dt), Expr::Value(Value::DateTime(x)) if x == dt));
        let utc = dt.and_utc();
        assert!(matches!(Expr::from(utc), Expr::Value(Value::DateTimeUtc(x)) if x == utc));
        assert!(matches!(Expr::from(Some(d)), Expr::Value(Value::Date(x)) if x == d));
    }

    #[test]
    fn dates_come_back_from_sqlite_text() {
        assert_eq!(
            NaiveDate::from_value(&text("2024-01-02")),
            Ok(date(2024, 1, 2))
        );
        assert_eq!(
            NaiveDate::from_value(&text("0001-01-01")),
            Ok(date(1, 1, 1))
        );
    }

    #[test]
    fn times_come_back_from_sqlite_text() {
        for (s, t) in [
            ("03:04:05", time(3, 4, 5, 0)),
            ("03:04:05.5", time(3, 4, 5, 500_000)),
            ("03:04:05.123456", time(3, 4, 5, 123_456)),
            ("03:04", time(3, 4, 0, 0)),
        ] {
            assert_eq!(NaiveTime::from_value(&text(s)), Ok(t), "{s}");
        }
    }

    #[test]
    fn datetimes_come_back_from_sqlite_text() {
        let d = date(2024, 1, 2);
        for (s, t) in [
            ("2024-01-02 03:04:05", time(3, 4, 5, 0)),
            ("2024-01-02 03:04:05.123456", time(3, 4, 5, 123_456)),
            ("2024-01-02T03:04:05", time(3, 4, 5, 0)),
            ("2024-01-02T03:04:05.25", time(3, 4, 5, 250_000)),
            ("2024-01-02 03:04", time(3, 4, 0, 0)),
            ("2024-01-02T03:04", time(3, 4, 0, 0)),
            ("2024-01-02", NaiveTime::MIN),
        ] {
            assert_eq!(
                NaiveDateTime::from_value(&text(s)),
                Ok(d.and_time(t)),
                "{s}"
            );
        }
    }

    #[test]
    fn utc_datetimes_come_back_from_rfc3339_or_naive_text() {
        let at = |h, micro| date(2024, 1, 2).and_time(time(h, 4, 5, micro)).and_utc();
        for (s, t) in [
            ("2024-01-02T03:04:05Z", at(3, 0)),
            ("2024-01-02T03:04:05.5+00:00", at(3, 500_000)),
            ("2024-01-02T05:04:05+02:00", at(3, 0)),
            ("2024-01-02 03:04:05+00:00", at(3, 0)),
            ("2024-01-02 03:04:05+00", at(3, 0)),
            ("2024-01-02 01:04:05-0200", at(3, 0)),
            ("2024-01-02 03:04:05", at(3, 0)),
            ("2024-01-02T03:04:05.000001", at(3, 1)),
        ] {
            assert_eq!(DateTime::<Utc>::from_value(&text(s)), Ok(t), "{s}");
        }
        let naive = date(2024, 1, 2).and_time(time(3, 4, 5, 0));
        assert_eq!(
            DateTime::<Utc>::from_value(&Value::DateTime(naive)),
            Ok(at(3, 0))
        );
    }

    #[test]
    fn bad_text_names_the_form_expected() {
        assert_eq!(
            err::<NaiveDate>(text("not a date")),
            "cannot convert SQL TEXT to Rust NaiveDate \
             (\"not a date\" is not a YYYY-MM-DD date: input contains invalid characters)"
        );
        assert_eq!(
            err::<NaiveDate>(text("2024-02-30")),
            "cannot convert SQL TEXT to Rust NaiveDate \
             (\"2024-02-30\" is not a YYYY-MM-DD date: input is out of range)"
        );
        assert_eq!(
            err::<NaiveDate>(text("2024-01-02 03:04:05")),
            "cannot convert SQL TEXT to Rust NaiveDate \
             (\"2024-01-02 03:04:05\" is not a YYYY-MM-DD date: trailing input)"
        );
        assert_eq!(
            err::<NaiveTime>(text("25:00:00")),
            "cannot convert SQL TEXT to Rust NaiveTime \
             (\"25:00:00\" is not a HH:MM:SS[.ffffff] time: input is out of range)"
        );
        assert_eq!(
            err::<NaiveDateTime>(text("2024-01-02T03:04:05Z")),
            "cannot convert SQL TEXT to Rust NaiveDateTime \
             (\"2024-01-02T03:04:05Z\" is not a YYYY-MM-DD HH:MM:SS[.ffffff] datetime: \
             trailing input)"
        );
        assert_eq!(
            err::<DateTime<Utc>>(text("yesterday")),
            "cannot convert SQL TEXT to Rust DateTime<Utc> (\"yesterday\" is not an RFC 3339 \
             or YYYY-MM-DD HH:MM:SS[.ffffff] datetime: input contains invalid characters)"
        );
    }

    #[test]
    fn years_beyond_chrono_are_an_error_not_a_panic() {
        // chrono's years stop at ±262 143 (its date packs into 32 bits); a year past i32 too.
        assert_eq!(
            err::<NaiveDate>(text("+262144-01-01")),
            "cannot convert SQL TEXT to Rust NaiveDate \
             (\"+262144-01-01\" is not a YYYY-MM-DD date: input is out of range)"
        );
        assert_eq!(
            err::<NaiveDate>(text("+4294967296-01-01")),
            "cannot convert SQL TEXT to Rust NaiveDate \
             (\"+4294967296-01-01\" is not a YYYY-MM-DD date: input is out of range)"
        );
    }

    #[test]
    fn fractions_beyond_nanoseconds_are_refused_not_dropped() {
        assert_eq!(
            NaiveTime::from_value(&text("03:04:05.123456789")),
            Ok(NaiveTime::from_hms_nano_opt(3, 4, 5, 123_456_789).expect("valid"))
        );
        assert_eq!(
            err::<NaiveTime>(text("03:04:05.1234567891")),
            "cannot convert SQL TEXT to Rust NaiveTime (\"03:04:05.1234567891\" has more than \
             9 fractional digits of a second, and nanoseconds are the finest chrono keeps)"
        );
        assert!(
            err::<NaiveDateTime>(text("2024-01-02 03:04:05.0000000001")).contains("9 fractional")
        );
        assert!(
            err::<DateTime<Utc>>(text("2024-01-02T03:04:05.0000000001Z")).contains("9 fractional")
        );
    }

    #[test]
    fn leap_seconds_and_wide_years_read_back() {
        let leap = NaiveTime::from_hms_milli_opt(23, 59, 59, 1_500).expect("leap second");
        assert_eq!(NaiveTime::from_value(&text("23:59:60.5")), Ok(leap));
        let d = date(2016, 12, 31).and_time(leap);
        assert_eq!(
            NaiveDateTime::from_value(&text("2016-12-31 23:59:60.500")),
            Ok(d)
        );
        assert_eq!(
            NaiveDate::from_value(&text("+10000-01-01")),
            Ok(date(10000, 1, 1))
        );
        assert_eq!(
            NaiveDate::from_value(&text("-0001-12-31")),
            Ok(date(-1, 12, 31))
        );
    }

    #[test]
    fn long_text_is_cut_in_the_message() {
        let long = "x".repeat(100);
        assert_eq!(
            err::<NaiveDate>(text(&long)),
            format!(
                "cannot convert SQL TEXT to Rust NaiveDate (\"{}\"... is not a YYYY-MM-DD date: \
                 input contains invalid characters)",
                "x".repeat(40)
            )
        );
    }

    #[test]
    fn other_kinds_are_refused() {
        assert_eq!(
            err::<NaiveDate>(Value::Int(20240102)),
            "cannot convert SQL INTEGER to Rust NaiveDate"
        );
        let d = date(2024, 1, 2);
        assert_eq!(
            err::<NaiveDate>(Value::DateTime(d.and_time(NaiveTime::MIN))),
            "cannot convert SQL DATETIME to Rust NaiveDate"
        );
        assert_eq!(
            err::<NaiveDateTime>(Value::Date(d)),
            "cannot convert SQL DATE to Rust NaiveDateTime"
        );
        assert_eq!(
            err::<NaiveTime>(Value::Null),
            "cannot convert SQL NULL to Rust NaiveTime"
        );
        assert_eq!(
            err::<DateTime<Utc>>(Value::Float(1.7e9)),
            "cannot convert SQL FLOAT to Rust DateTime<Utc>"
        );
    }
}
