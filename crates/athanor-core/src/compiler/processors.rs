//! [`ResultProcessors`]: what a compiled shape does to its result values on their way to the
//! user (SQLAlchemy's `TypeEngine.result_processor`), decided once per shape from the types
//! of its SELECT list or RETURNING clause.
//!
//! Two processors exist, both SQLAlchemy's:
//!
//! - `Numeric`: a column typed `Numeric(_, Some(scale))` whose value arrives as a float (SQLite
//!   stores NUMERIC as REAL, so `sum("Total")` reads back as `523.0600000000002`) becomes the
//!   decimal at the column's scale (`523.06`), as SQLAlchemy's `Numeric` does
//!   (`Decimal("%.2f" % value)`). Without a scale (`Numeric(_, None)`), at SQLAlchemy's
//!   `_default_decimal_return_scale`, 10 digits (`1.5` → `1.5000000000`); a float too large
//!   to have a fractional part (beyond 2^53) keeps none. An integer there (SQLite keeps whole
//!   NUMERICs as INTEGER) becomes the decimal with that scale (`5` → `5.00`). A decimal the
//!   database sends (PostgreSQL, MySQL) is kept as it is, digits and scale.
//! - `Float`: a column typed `Float` or `Double` whose value arrives as a decimal (PostgreSQL
//!   and MySQL compute `avg` of integers as NUMERIC/DECIMAL, and `func::avg` is typed
//!   `Double`) becomes the nearest `f64`, as SQLAlchemy's `Float` does (`float(value)` on
//!   drivers that return decimals). The expression's type asked for a float; integers are
//!   left as they are (reading one as `f64` is exact or an error).
//!
//! Both need the `rust_decimal` feature; without it the value stays the float (or integer) the
//! database sent: a `Value::Float`, never passed off as exact.

use std::sync::Arc;

use crate::error::ConversionError;
use crate::sql::{Expr, StatementRef};
use crate::types::{Type, Value};

/// The processing a compiled shape applies to each result row; cheap to clone (one `Arc`).
///
/// ```
/// use athanor_core::prelude::*;
/// use athanor_core::dialect::Sqlite;
/// let md = MetaData::new();
/// let invoice = Table::build("invoice", &md)
///     .column(Column::new("id", Type::Integer).primary_key())
///     .column(Column::new("total", Type::Numeric(Some(10), Some(2))))
///     .finish()?;
/// let compiled = select((invoice.c("id"), func::sum(invoice.c("total")))).compile(&Sqlite)?;
/// let processors = compiled.compiled().result_processors();
/// assert_eq!(processors.numeric_scales(), [(1, 2)]);
/// let mut row = [Value::Int(1), Value::Float(523.0600000000002)];
/// processors.apply(&mut row).map_err(|(_, e)| e)?;
/// # #[cfg(feature = "rust_decimal")]
/// assert_eq!(row[1], Value::Decimal(rust_decimal::Decimal::new(52306, 2)));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct ResultProcessors {
    /// (column position, scale) of each `Numeric` result column (scale 10 when it has none).
    numeric: Option<Arc<[(usize, u32)]>>,
    /// The positions of the `Float` and `Double` result columns.
    floats: Option<Arc<[usize]>>,
}

/// SQLAlchemy's `Numeric._default_decimal_return_scale`: the digits a float from the database
/// keeps after the point when it becomes the decimal of a `Numeric` without a scale.
pub const DEFAULT_DECIMAL_RETURN_SCALE: u32 = 10;

impl ResultProcessors {
    /// The processors for a statement's result columns.
    pub(crate) fn of(stmt: StatementRef<'_>) -> Self {
        let columns: &[Expr] = match stmt {
            StatementRef::Select(s) => &s.columns,
            StatementRef::Compound(c) => match c.selects.first() {
                Some(first) => &first.first_select().columns,
                None => &[],
            },
            StatementRef::Insert(i) => &i.returning,
            StatementRef::Update(u) => &u.returning,
            StatementRef::Delete(d) => &d.returning,
            StatementRef::Text(_) | StatementRef::Ddl(_) => &[],
        };
        // A `*` stands for columns the statement doesn't know: positions after it are unknown.
        if columns.iter().any(|c| matches!(c, Expr::Star(_))) {
            return ResultProcessors::default();
        }
        let mut numeric: Vec<(usize, u32)> = Vec::new();
        let mut floats: Vec<usize> = Vec::new();
        for (i, c) in columns.iter().enumerate() {
            match c.sql_type() {
                Type::Numeric(_, scale) => {
                    numeric.push((i, scale.unwrap_or(DEFAULT_DECIMAL_RETURN_SCALE)))
                }
                Type::Float | Type::Double => floats.push(i),
                _ => {}
            }
        }
        ResultProcessors {
            numeric: (!numeric.is_empty()).then(|| numeric.into()),
            floats: (!floats.is_empty()).then(|| floats.into()),
        }
    }

    /// True when rows pass through unchanged.
    pub fn is_empty(&self) -> bool {
        self.numeric.is_none() && self.floats.is_none()
    }

    /// (column position, scale) of each `Numeric` result column: its scale, or
    /// [`DEFAULT_DECIMAL_RETURN_SCALE`] for a `Numeric` without one.
    pub fn numeric_scales(&self) -> &[(usize, u32)] {
        self.numeric.as_deref().unwrap_or(&[])
    }

    /// The positions of the `Float` and `Double` result columns, whose decimals become floats.
    pub fn float_columns(&self) -> &[usize] {
        self.floats.as_deref().unwrap_or(&[])
    }

    /// Processes one row's values in place.
    ///
    /// # Errors
    /// The column position and a [`ConversionError`] when a float has no decimal value at
    /// the column's scale (NaN, infinite, or more digits than a decimal holds).
    #[inline]
    pub fn apply(&self, values: &mut [Value]) -> Result<(), (usize, ConversionError)> {
        if let Some(numeric) = &self.numeric {
            for &(i, scale) in numeric.iter() {
                if let Some(v) = values.get_mut(i) {
                    to_decimal(v, scale).map_err(|e| (i, e))?;
                }
            }
        }
        if let Some(floats) = &self.floats {
            for &i in floats.iter() {
                if let Some(v) = values.get_mut(i) {
                    to_float(v).map_err(|e| (i, e))?;
                }
            }
        }
        Ok(())
    }
}

#[cfg(feature = "rust_decimal")]
fn to_float(v: &mut Value) -> Result<(), ConversionError> {
    if let Value::Decimal(d) = v {
        // Through the text: Rust's parse rounds to the nearest f64, `Decimal::to_f64` may be
        // a unit in the last place off (0.333...3 reads as 0.33333333333333337).
        let f = d
            .to_string()
            .parse::<f64>()
            .ok()
            .filter(|f| f.is_finite())
            .ok_or_else(|| {
                ConversionError::new("f64", "NUMERIC")
                    .with_detail(format!("the FLOAT column's value {d} has no f64 value"))
            })?;
        *v = Value::Float(f);
    }
    Ok(())
}

#[cfg(not(feature = "rust_decimal"))]
fn to_float(_v: &mut Value) -> Result<(), ConversionError> {
    Ok(())
}

#[cfg(feature = "rust_decimal")]
fn to_decimal(v: &mut Value, scale: u32) -> Result<(), ConversionError> {
    use rust_decimal::Decimal;
    let d = match v {
        Value::Float(f) => {
            let text = format!("{f:.prec$}", prec = scale as usize);
            // A float from 2^53 on is a whole number: when the digits after its point are
            // more than a decimal holds, it is the same number without them.
            let whole = || (f.abs() >= 9_007_199_254_740_992.0).then(|| format!("{f:.0}"));
            Decimal::from_str_exact(&text)
                .or_else(|e| match whole() {
                    Some(w) => Decimal::from_str_exact(&w),
                    None => Err(e),
                })
                .map_err(|e| {
                    ConversionError::new("Decimal", "FLOAT").with_detail(format!(
                        "the NUMERIC column's value {f} has no decimal value at scale {scale}: {e}"
                    ))
                })?
        }
        Value::Int(n) => {
            let mut d = Decimal::from(*n);
            d.rescale(scale);
            d
        }
        _ => return Ok(()),
    };
    *v = Value::Decimal(d);
    Ok(())
}

#[cfg(not(feature = "rust_decimal"))]
fn to_decimal(_v: &mut Value, _scale: u32) -> Result<(), ConversionError> {
    Ok(())
}

#[cfg(all(test, feature = "rust_decimal"))]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    fn run(v: Value, scale: u32) -> Result<Value, ConversionError> {
        let mut v = v;
        to_decimal(&mut v, scale)?;
        Ok(v)
    }

    #[test]
    fn a_float_becomes_the_decimal_at_the_scale() {
        assert_eq!(
            run(Value::Float(523.0600000000002), 2).expect("converts"),
            Value::Decimal(Decimal::new(52306, 2))
        );
        assert_eq!(
            run(Value::Float(5.725), 2).expect("converts"),
            Value::Decimal(Decimal::new(572, 2)) // 5.725 is 5.72499999... as an f64
        );
        assert_eq!(
            run(Value::Int(5), 2).expect("converts"),
            Value::Decimal(Decimal::new(500, 2))
        );
        assert_eq!(run(Value::Null, 2).expect("converts"), Value::Null);
        let text = Value::Text("1.5".into());
        assert_eq!(run(text.clone(), 2).expect("converts"), text);
    }

    #[test]
    fn without_a_scale_a_float_keeps_ten_digits() {
        let d = |v| run(v, DEFAULT_DECIMAL_RETURN_SCALE).expect("converts");
        assert_eq!(
            d(Value::Float(1.5)).to_string(),
            Value::Decimal(Decimal::new(15_000_000_000, 10)).to_string()
        );
        assert_eq!(d(Value::Float(1.5)).to_string(), "1.5000000000");
        assert_eq!(d(Value::Int(2)).to_string(), "2.0000000000");
        // Beyond 2^53 a float is whole: the same number without the digits after the point.
        assert_eq!(d(Value::Float(1e20)).to_string(), "100000000000000000000");
        assert!(run(Value::Float(1e40), DEFAULT_DECIMAL_RETURN_SCALE).is_err());
    }

    #[test]
    fn a_float_columns_decimal_becomes_the_nearest_float() {
        let f = |v| {
            let mut v = v;
            to_float(&mut v).map(|()| v)
        };
        assert_eq!(
            f(Value::Decimal(Decimal::new(15, 1))).expect("converts"),
            Value::Float(1.5)
        );
        let third = Decimal::from_str_exact("0.3333333333333333333333333333").expect("decimal");
        assert_eq!(
            f(Value::Decimal(third)).expect("converts"),
            Value::Float(1.0 / 3.0)
        );
        assert_eq!(f(Value::Int(7)).expect("unchanged"), Value::Int(7));
        assert_eq!(f(Value::Null).expect("unchanged"), Value::Null);
    }

    #[test]
    fn a_float_without_a_decimal_value_is_an_error() {
        assert!(run(Value::Float(f64::NAN), 2).is_err());
        assert!(run(Value::Float(1e40), 2).is_err());
    }
}
