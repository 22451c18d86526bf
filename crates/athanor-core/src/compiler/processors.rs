//! [`ResultProcessors`]: what a compiled shape does to its result values on their way to the
//! user (SQLAlchemy's `TypeEngine.result_processor`), decided once per shape from the types
//! of its SELECT list or RETURNING clause.
//!
//! Today one processor exists: a column typed `Numeric(_, Some(scale))` whose value arrives as
//! a float (SQLite stores NUMERIC as REAL, so `sum("Total")` reads back as
//! `523.0600000000002`) becomes the decimal at the column's scale (`523.06`), as SQLAlchemy's
//! `Numeric` does (`Decimal("%.2f" % value)`). An integer there (SQLite keeps whole NUMERICs
//! as INTEGER) becomes the decimal with that scale (`5` → `5.00`). This needs the
//! `rust_decimal` feature; without it the value stays the float (or integer) the database
//! sent: a `Value::Float`, never passed off as exact.

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
    /// (column position, scale) of each `Numeric(_, Some(scale))` result column.
    numeric: Option<Arc<[(usize, u32)]>>,
}

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
        let numeric: Vec<(usize, u32)> = columns
            .iter()
            .enumerate()
            .filter_map(|(i, c)| match c.sql_type() {
                Type::Numeric(_, Some(scale)) => Some((i, scale)),
                _ => None,
            })
            .collect();
        ResultProcessors {
            numeric: (!numeric.is_empty()).then(|| numeric.into()),
        }
    }

    /// True when rows pass through unchanged.
    pub fn is_empty(&self) -> bool {
        self.numeric.is_none()
    }

    /// (column position, scale) of each `Numeric(_, Some(scale))` result column.
    pub fn numeric_scales(&self) -> &[(usize, u32)] {
        self.numeric.as_deref().unwrap_or(&[])
    }

    /// Processes one row's values in place.
    ///
    /// # Errors
    /// The column position and a [`ConversionError`] when a float has no decimal value at
    /// the column's scale (NaN, infinite, or more digits than a decimal holds).
    #[inline]
    pub fn apply(&self, values: &mut [Value]) -> Result<(), (usize, ConversionError)> {
        let Some(numeric) = &self.numeric else {
            return Ok(());
        };
        for &(i, scale) in numeric.iter() {
            if let Some(v) = values.get_mut(i) {
                to_decimal(v, scale).map_err(|e| (i, e))?;
            }
        }
        Ok(())
    }
}

#[cfg(feature = "rust_decimal")]
fn to_decimal(v: &mut Value, scale: u32) -> Result<(), ConversionError> {
    use rust_decimal::Decimal;
    let d = match v {
        Value::Float(f) => {
            let text = format!("{f:.prec$}", prec = scale as usize);
            Decimal::from_str_exact(&text).map_err(|e| {
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
    fn a_float_without_a_decimal_value_is_an_error() {
        assert!(run(Value::Float(f64::NAN), 2).is_err());
        assert!(run(Value::Float(1e40), 2).is_err());
    }
}
