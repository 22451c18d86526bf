//! [`Interval`]: a span of months, days and microseconds, as PostgreSQL's `INTERVAL` keeps it.

use std::fmt;
use std::time::Duration;

use super::Value;
use super::convert::{FromValue, mismatch};
use crate::error::ConversionError;

/// A span of time in PostgreSQL's three parts, kept apart because they don't convert into
/// each other exactly: a month has 28 to 31 days, and a day 23 to 25 hours across a
/// daylight-saving change.
///
/// Read an `INTERVAL` column as an `Interval` to get it whole, or as a
/// [`std::time::Duration`] when it has no months (a day counts 24 hours, as PostgreSQL's
/// `EXTRACT(EPOCH FROM ...)` counts it); an interval with months, or a negative one, is a
/// conversion error rather than a guess.
///
/// ```
/// use std::time::Duration;
/// use athanor_core::{FromValue, Value};
/// use athanor_core::types::Interval;
/// let day_and_a_half = Interval { months: 0, days: 1, microseconds: 12 * 3_600_000_000 };
/// let v = Value::Interval(day_and_a_half);
/// assert_eq!(Duration::from_value(&v)?, Duration::from_secs(36 * 3600));
/// assert_eq!(v.to_string(), "INTERVAL '0 months 1 days 43200000000 microseconds'");
/// let month = Value::Interval(Interval { months: 1, days: 0, microseconds: 0 });
/// assert!(Duration::from_value(&month).is_err()); // how long is a month?
/// assert_eq!(Interval::from_value(&month)?.months, 1);
/// # Ok::<(), athanor_core::error::ConversionError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Interval {
    /// Whole months (a year is 12).
    pub months: i32,
    /// Whole days.
    pub days: i32,
    /// The rest, in microseconds (PostgreSQL's resolution).
    pub microseconds: i64,
}

impl Interval {
    /// An interval of `microseconds` only (no days, no months).
    pub fn from_microseconds(microseconds: i64) -> Self {
        Interval {
            months: 0,
            days: 0,
            microseconds,
        }
    }
}

/// The interval in a form PostgreSQL reads back: `0 months 1 days 43200000000 microseconds`.
impl fmt::Display for Interval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} months {} days {} microseconds",
            self.months, self.days, self.microseconds
        )
    }
}

impl From<Interval> for Value {
    fn from(v: Interval) -> Self {
        Value::Interval(v)
    }
}

/// Binds the interval as a parameter, so it can go into an INSERT or be compared with a
/// column (`row! { "span" => interval }`, `t.c("span").gt(interval)`).
impl From<Interval> for crate::sql::Expr {
    fn from(v: Interval) -> Self {
        crate::sql::Expr::Value(Value::Interval(v))
    }
}

impl FromValue for Interval {
    fn from_value(value: &Value) -> Result<Self, ConversionError> {
        match value {
            Value::Interval(i) => Ok(*i),
            v => mismatch("Interval", v),
        }
    }
}

impl FromValue for Duration {
    fn from_value(value: &Value) -> Result<Self, ConversionError> {
        let i = match value {
            Value::Interval(i) => *i,
            v => return mismatch("Duration", v),
        };
        let fail = |why: &str| {
            Err(ConversionError::new("Duration", "INTERVAL")
                .with_detail(format!("{i} {why}; read it as athanor::types::Interval")))
        };
        if i.months != 0 {
            return fail("has months, which have no fixed length");
        }
        let micros = i128::from(i.days) * 86_400_000_000 + i128::from(i.microseconds);
        match u64::try_from(micros) {
            Ok(m) => Ok(Duration::from_micros(m)),
            Err(_) => fail("is negative"),
        }
    }
}
