//! [`TimeTz`]: a time of day with its offset from UTC, as PostgreSQL's `TIME WITH TIME ZONE`
//! keeps it (feature `chrono`).

use std::fmt;
use std::str::FromStr;

use ::chrono::{FixedOffset, NaiveTime, Offset, Utc};

use super::Value;
use super::convert::{FromValue, mismatch, quoted};
use crate::error::ConversionError;
use crate::sql::Expr;

/// A time of day and the UTC offset it was written in (SQLAlchemy's `Time(timezone=True)`,
/// Python's `datetime.time` with a `tzinfo`): the value of a [`Type::TimeTz`](super::Type::TimeTz)
/// column.
///
/// Both parts are kept as given: `12:00+02:00` is not turned into `10:00+00:00` (PostgreSQL
/// keeps the offset of a `timetz` too), and two values are equal only when both parts are.
/// It goes out as [`Value::TimeTz`] and comes back from it or from its text
/// (`HH:MM:SS[.ffffff]` then `Z`, `±HH`, `±HH:MM`, `±HHMM` or `±HH:MM:SS`), which is how
/// PostgreSQL prints a `timetz` and how SQLite stores one.
///
/// ```
/// use athanor_core::types::TimeTz;
/// use athanor_core::{FromValue, Value};
/// use chrono::{FixedOffset, NaiveTime};
///
/// let noon = NaiveTime::from_hms_opt(12, 57, 18).unwrap();
/// let t = TimeTz::utc(noon);
/// assert_eq!(t.to_string(), "12:57:18+00:00");
/// assert_eq!(TimeTz::from_value(&Value::Text("12:57:18+00".into()))?, t);
///
/// let india = TimeTz::new(noon, FixedOffset::east_opt(5 * 3600 + 1800).unwrap());
/// assert_eq!("12:57:18+05:30".parse::<TimeTz>()?, india);
/// assert_ne!(india, t);
/// # Ok::<(), athanor_core::error::ConversionError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TimeTz {
    /// The time of day, as written in `offset`'s zone.
    pub time: NaiveTime,
    /// The zone's offset from UTC (east positive).
    pub offset: FixedOffset,
}

impl TimeTz {
    /// `time` at `offset`.
    pub fn new(time: NaiveTime, offset: FixedOffset) -> Self {
        TimeTz { time, offset }
    }

    /// `time` in UTC (offset zero).
    pub fn utc(time: NaiveTime) -> Self {
        TimeTz {
            time,
            offset: Utc.fix(),
        }
    }
}

/// `HH:MM:SS[.ffffff]±HH:MM[:SS]`, a form PostgreSQL and [`FromStr`] read back.
impl fmt::Display for TimeTz {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.time.format("%H:%M:%S%.f"))?;
        let east = self.offset.local_minus_utc();
        let a = east.unsigned_abs();
        write!(
            f,
            "{}{:02}:{:02}",
            if east < 0 { '-' } else { '+' },
            a / 3600,
            a / 60 % 60
        )?;
        if !a.is_multiple_of(60) {
            write!(f, ":{:02}", a % 60)?;
        }
        Ok(())
    }
}

const FORM: &str = "a HH:MM:SS[.ffffff]+HH[:MM[:SS]] time with its UTC offset";

fn bad(s: &str, why: &str) -> ConversionError {
    ConversionError::new("TimeTz", "TEXT")
        .with_detail(format!("{} is not {FORM}: {why}", quoted(s)))
}

/// The offset's seconds east of UTC from `+HH`, `+HH:MM`, `+HHMM`, `+HH:MM:SS` (or `-`).
fn parse_offset(sign: i32, rest: &str) -> Option<i32> {
    let digits = |p: &str| {
        (p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse::<i32>().ok())
            .flatten()
    };
    let parts: Vec<&str> = if rest.contains(':') {
        rest.split(':').collect()
    } else if rest.len() == 4 {
        vec![rest.get(..2)?, rest.get(2..)?]
    } else {
        vec![rest]
    };
    if parts.is_empty() || parts.len() > 3 {
        return None;
    }
    let mut secs = 0;
    for (i, p) in parts.iter().enumerate() {
        let n = digits(p)?;
        if i > 0 && n > 59 {
            return None;
        }
        secs += n * [3600, 60, 1][i];
    }
    Some(sign * secs)
}

impl FromStr for TimeTz {
    type Err = ConversionError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let (time, sign, offset) = if let Some(time) = t.strip_suffix('Z') {
            (time, 1, "00")
        } else {
            let at = t
                .rfind(['+', '-'])
                .ok_or_else(|| bad(s, "it has no offset (+HH or -HH)"))?;
            let sign = if t[at..].starts_with('-') { -1 } else { 1 };
            (&t[..at], sign, &t[at + 1..])
        };
        let excess = time.split_once('.').is_some_and(|(_, frac)| frac.len() > 9);
        if excess {
            return Err(bad(s, "more than 9 fractional digits of a second"));
        }
        let time = NaiveTime::parse_from_str(time, "%H:%M:%S%.f")
            .or_else(|_| NaiveTime::parse_from_str(time, "%H:%M"))
            .map_err(|e| bad(s, &e.to_string()))?;
        let offset = parse_offset(sign, offset)
            .and_then(FixedOffset::east_opt)
            .ok_or_else(|| bad(s, "its offset is not ±HH[:MM[:SS]] within a day"))?;
        Ok(TimeTz { time, offset })
    }
}

impl From<TimeTz> for Value {
    fn from(v: TimeTz) -> Self {
        Value::TimeTz(v)
    }
}

/// Binds the value as a parameter, so it can be compared with a column.
impl From<TimeTz> for Expr {
    fn from(v: TimeTz) -> Self {
        Expr::Value(Value::TimeTz(v))
    }
}

impl FromValue for TimeTz {
    fn from_value(value: &Value) -> Result<Self, ConversionError> {
        match value {
            Value::TimeTz(t) => Ok(*t),
            Value::Text(s) => s.parse(),
            v => mismatch("TimeTz", v),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(h: u32, m: u32, s: u32, micro: u32) -> NaiveTime {
        NaiveTime::from_hms_micro_opt(h, m, s, micro).unwrap()
    }

    #[test]
    fn parses_the_offset_forms_postgresql_prints() {
        let off = |secs| FixedOffset::east_opt(secs).unwrap();
        for (text, want) in [
            (
                "13:45:06.5+05:30",
                TimeTz::new(t(13, 45, 6, 500_000), off(19800)),
            ),
            ("00:00:00-08", TimeTz::new(t(0, 0, 0, 0), off(-8 * 3600))),
            (
                "23:59:59.999999+14:00:30",
                TimeTz::new(t(23, 59, 59, 999_999), off(50430)),
            ),
            ("12:57:18Z", TimeTz::utc(t(12, 57, 18, 0))),
            ("12:57+0100", TimeTz::new(t(12, 57, 0, 0), off(3600))),
        ] {
            assert_eq!(text.parse::<TimeTz>().unwrap(), want, "{text}");
            assert_eq!(want.to_string().parse::<TimeTz>().unwrap(), want, "{text}");
        }
    }

    #[test]
    fn refuses_text_without_an_offset_or_with_a_bad_one() {
        for bad in [
            "12:57:18",
            "12:57:18+5",
            "12:57:18+25:00",
            "x+00",
            "12:00:00.1234567891+00",
        ] {
            assert!(bad.parse::<TimeTz>().is_err(), "{bad}");
        }
    }

    #[test]
    fn displays_offsets_with_seconds_only_when_present() {
        let off = FixedOffset::east_opt(-(3 * 3600 + 30 * 60)).unwrap();
        assert_eq!(
            TimeTz::new(t(1, 2, 3, 40), off).to_string(),
            "01:02:03.000040-03:30"
        );
    }
}
