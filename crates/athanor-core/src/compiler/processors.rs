//! [`ResultProcessors`]: what a compiled shape does to its result values on their way to the
//! user (SQLAlchemy's `TypeEngine.result_processor`), decided once per shape from the types
//! of its SELECT list or RETURNING clause.
//!
//! A database without a native kind for a column's type sends another kind; the processor
//! gives the value the type's kind, as SQLAlchemy's result processors do. A value already of
//! the type's kind passes through, so one shape serves every dialect:
//!
//! | type of the result column | arrives as | becomes |
//! |---|---|---|
//! | `Numeric(_, Some(scale))` | float (SQLite stores NUMERIC as REAL: `523.0600000000002`), integer, text | the decimal at the scale (`523.06`, `5` → `5.00`), as SQLAlchemy's `Decimal("%.2f" % value)`; text is read exactly (`'4.99'`) |
//! | `Numeric(_, None)` | float, integer, text (MySQL sends a bound decimal back as text) | the decimal at SQLAlchemy's `_default_decimal_return_scale`, 10 digits (`1.5` → `1.5000000000`; a float beyond 2^53 is whole and keeps none); text is read exactly |
//! | `Float`, `Double` | a decimal (PostgreSQL and MySQL compute `avg` of integers as NUMERIC) | the nearest `f64`, as SQLAlchemy's `Float` (`float(value)`) |
//! | `Boolean` | integer (SQLite, MySQL's `TINYINT`) | `false` for 0, `true` otherwise |
//! | `Date`, `Time`, `DateTime` | text (SQLite) | the date / time / datetime it spells |
//!
//! The type of a result column is its expression's ([`Expr::sql_type`]); a bare value's is
//! its Rust value's (`literal(true)` is a `Boolean`). Decimals need the `rust_decimal`
//! feature and dates the `chrono` feature; without them the value stays as the database sent
//! it (a float is never passed off as exact). Text that doesn't spell the type's value is an
//! error, never a guess.

use std::sync::Arc;

use crate::error::ConversionError;
use crate::sql::{Expr, StatementRef};
use crate::types::{Type, Value};

/// What one result column's processor does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Process {
    /// `Boolean`: an integer becomes `false` (0) or `true`.
    Bool,
    /// `Date`: text becomes the date.
    Date,
    /// `Time`: text becomes the time.
    Time,
    /// `TimeTz`: text becomes the time with its offset, and a time without one (MySQL's
    /// `TIME`, which stores only UTC ones) the time at UTC.
    TimeTz,
    /// `DateTime`: text becomes the datetime.
    DateTime,
    /// `Uuid`: the text a non-native `Uuid` column holds becomes the UUID (feature `uuid`;
    /// without it, the UUID's text with dashes), as SQLAlchemy's `Uuid` result processing.
    Uuid,
}

/// The processing a compiled shape applies to each result row; cheap to clone (three `Arc`s).
///
/// ```
/// use athanor_core::prelude::*;
/// use athanor_core::dialect::Sqlite;
/// let md = MetaData::new();
/// let invoice = Table::build("invoice", &md)
///     .column(Column::new("id", Type::Integer).primary_key())
///     .column(Column::new("total", Type::Numeric(Some(10), Some(2))))
///     .column(Column::new("paid", Type::Boolean))
///     .finish()?;
/// let stmt = select((invoice.c("id"), func::sum(invoice.c("total")), invoice.c("paid")));
/// let compiled = stmt.compile(&Sqlite)?;
/// let processors = compiled.compiled().result_processors();
/// assert_eq!(processors.numeric_scales(), [(1, 2)]);
/// let mut row = [Value::Int(1), Value::Float(523.0600000000002), Value::Int(1)];
/// processors.apply(&mut row).map_err(|(_, e)| e)?;
/// # #[cfg(feature = "rust_decimal")]
/// assert_eq!(row[1], Value::Decimal(rust_decimal::Decimal::new(52306, 2)));
/// assert_eq!(row[2], Value::Bool(true));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct ResultProcessors {
    /// (column position, scale, the type gave the scale) of each `Numeric` result column
    /// (scale 10 when it has none).
    numeric: Option<Arc<[(usize, u32, bool)]>>,
    /// The positions of the `Float` and `Double` result columns.
    floats: Option<Arc<[usize]>>,
    /// (column position, processor) of the other processed columns.
    kinds: Option<Arc<[(usize, Process)]>>,
}

/// The type a result column's values have: its expression's, a bare value's from the value.
fn result_type(e: &Expr) -> Type {
    match e {
        Expr::Label(_, inner) => result_type(inner),
        Expr::Value(v) => crate::sql::expr::types::value_type(v),
        e => e.sql_type(),
    }
}

fn process_for(ty: &Type) -> Option<Process> {
    match ty.generic() {
        Type::Boolean => Some(Process::Bool),
        Type::Date => Some(Process::Date),
        Type::Time => Some(Process::Time),
        Type::TimeTz => Some(Process::TimeTz),
        Type::DateTime | Type::DateTimeTz => Some(Process::DateTime),
        Type::Uuid | Type::UuidChar => Some(Process::Uuid),
        _ => None,
    }
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
        let mut numeric = Vec::new();
        let mut floats = Vec::new();
        let mut kinds = Vec::new();
        // The outermost SELECT reads a wrapped column as its value type (`CAST(t.x AS INTEGER)`).
        let wrapped = matches!(stmt, StatementRef::Select(_));
        for (i, c) in columns.iter().enumerate() {
            let mut ty = result_type(c);
            if wrapped && super::select::column_wrap(c).is_some() {
                ty = ty.value_type().clone();
            }
            match ty.generic() {
                Type::Numeric(_, scale) => numeric.push((
                    i,
                    scale.unwrap_or(DEFAULT_DECIMAL_RETURN_SCALE),
                    scale.is_some(),
                )),
                Type::Float | Type::Double => floats.push(i),
                _ => {
                    if let Some(p) = process_for(&ty) {
                        kinds.push((i, p));
                    }
                }
            }
        }
        ResultProcessors {
            numeric: (!numeric.is_empty()).then(|| numeric.into()),
            floats: (!floats.is_empty()).then(|| floats.into()),
            kinds: (!kinds.is_empty()).then(|| kinds.into()),
        }
    }

    /// True when rows pass through unchanged.
    pub fn is_empty(&self) -> bool {
        self.numeric.is_none() && self.floats.is_none() && self.kinds.is_none()
    }

    /// (column position, scale) of each `Numeric` result column: its scale, or
    /// [`DEFAULT_DECIMAL_RETURN_SCALE`] for a `Numeric` without one.
    pub fn numeric_scales(&self) -> Vec<(usize, u32)> {
        self.numeric
            .iter()
            .flat_map(|n| n.iter().map(|&(i, s, _)| (i, s)))
            .collect()
    }

    /// The positions of the `Float` and `Double` result columns, whose decimals become floats.
    pub fn float_columns(&self) -> &[usize] {
        self.floats.as_deref().unwrap_or(&[])
    }

    /// Processes one row's values in place.
    ///
    /// # Errors
    /// The column position and a [`ConversionError`] when a float has no decimal value at
    /// the column's scale (NaN, infinite, or more digits than a decimal holds), or text
    /// doesn't spell a value of the column's type.
    #[inline]
    pub fn apply(&self, values: &mut [Value]) -> Result<(), (usize, ConversionError)> {
        if let Some(numeric) = &self.numeric {
            for &(i, scale, explicit) in numeric.iter() {
                if let Some(v) = values.get_mut(i) {
                    to_decimal(v, scale, explicit).map_err(|e| (i, e))?;
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
        if let Some(kinds) = &self.kinds {
            for &(i, p) in kinds.iter() {
                if let Some(v) = values.get_mut(i) {
                    process(v, p).map_err(|e| (i, e))?;
                }
            }
        }
        Ok(())
    }
}

fn process(v: &mut Value, p: Process) -> Result<(), ConversionError> {
    match (p, &*v) {
        (Process::Uuid, Value::Text(s)) => {
            // Text that is no UUID (a column holding something else) is left as it is.
            if let Some(hex) = crate::types::uuid_hex(s) {
                *v = uuid_value(&hex);
            }
        }
        (Process::Bool, Value::Int(n)) => *v = Value::Bool(*n != 0),
        #[cfg(feature = "chrono")]
        (Process::TimeTz, Value::Text(s)) => {
            *v = Value::TimeTz(s.parse::<crate::types::TimeTz>()?);
        }
        #[cfg(feature = "chrono")]
        (Process::TimeTz, Value::Time(t)) => *v = Value::TimeTz(crate::types::TimeTz::utc(*t)),
        (Process::Date | Process::Time | Process::DateTime, Value::Text(_)) => temporal(v, p)?,
        // A number is no date (SQLite's `CAST('2005-05-24' AS DATE)` is the integer 2005).
        (Process::Date | Process::Time | Process::DateTime, Value::Int(_) | Value::Float(_)) => {
            return Err(ConversionError::new(temporal_name(p), v.kind()).with_detail(format!(
                "a {} result column's value is the number {v}, not a {}; on SQLite, CAST(... AS DATE) \
                 gives a number: use func::call(\"date\", [x]).type_coerce(Type::Date)",
                temporal_name(p),
                temporal_name(p).to_lowercase()
            )));
        }
        _ => {}
    }
    Ok(())
}

/// The UUID whose 32 hex digits are `hex` (checked by [`crate::types::uuid_hex`]).
#[cfg(feature = "uuid")]
fn uuid_value(hex: &str) -> Value {
    match u128::from_str_radix(hex, 16) {
        Ok(n) => Value::Uuid(uuid::Uuid::from_u128(n)),
        Err(_) => Value::Text(hex.to_string()),
    }
}

/// The text with dashes of the UUID whose 32 hex digits are `hex`.
#[cfg(not(feature = "uuid"))]
fn uuid_value(hex: &str) -> Value {
    Value::Text(crate::types::column_fit::uuid_dashed(hex))
}

fn temporal_name(p: Process) -> &'static str {
    match p {
        Process::Date => "DATE",
        Process::Time => "TIME",
        _ => "DATETIME",
    }
}

#[cfg(feature = "chrono")]
fn temporal(v: &mut Value, p: Process) -> Result<(), ConversionError> {
    use crate::types::FromValue;
    *v = match p {
        Process::Date => Value::Date(chrono::NaiveDate::from_value(v)?),
        Process::Time => Value::Time(chrono::NaiveTime::from_value(v)?),
        _ => Value::DateTime(chrono::NaiveDateTime::from_value(v)?),
    };
    Ok(())
}

#[cfg(not(feature = "chrono"))]
fn temporal(_v: &mut Value, _p: Process) -> Result<(), ConversionError> {
    Ok(())
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
fn to_decimal(v: &mut Value, scale: u32, explicit: bool) -> Result<(), ConversionError> {
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
        // Text (MariaDB sends a CASE over a bound decimal as text) is read exactly and given
        // the type's own scale when that only adds zeros; digits beyond it are kept, never
        // rounded away.
        Value::Text(_) => {
            use crate::types::FromValue;
            let mut d = Decimal::from_value(v)?;
            if explicit && d.scale() < scale {
                d.rescale(scale);
            }
            d
        }
        _ => return Ok(()),
    };
    *v = Value::Decimal(d);
    Ok(())
}

#[cfg(not(feature = "rust_decimal"))]
fn to_decimal(_v: &mut Value, _scale: u32, _explicit: bool) -> Result<(), ConversionError> {
    Ok(())
}

#[cfg(all(test, feature = "rust_decimal"))]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    fn run(v: Value, scale: u32) -> Result<Value, ConversionError> {
        let mut v = v;
        to_decimal(&mut v, scale, true)?;
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
        // Text is read exactly: padded to the scale, never rounded.
        let text = |s: &str| Value::Text(s.into());
        assert_eq!(
            run(text("1.5"), 2).expect("converts"),
            Value::Decimal(Decimal::new(150, 2))
        );
        assert_eq!(
            run(text("7.475"), 2).expect("converts"),
            Value::Decimal(Decimal::new(7475, 3))
        );
        assert!(run(text("1.5 EUR"), 2).is_err());
    }

    #[test]
    fn other_kinds_become_the_types_kind() {
        let mut v = Value::Int(0);
        process(&mut v, Process::Bool).expect("converts");
        assert_eq!(v, Value::Bool(false));
        let mut v = Value::Int(1);
        process(&mut v, Process::Bool).expect("converts");
        assert_eq!(v, Value::Bool(true));
        let mut v = Value::Null;
        process(&mut v, Process::Date).expect("NULL stays");
        assert_eq!(v, Value::Null);
    }

    #[cfg(feature = "chrono")]
    #[test]
    fn text_becomes_the_date_it_spells_and_anything_else_is_an_error() {
        let day = chrono::NaiveDate::from_ymd_opt(2006, 2, 14).expect("date");
        let mut v = Value::Text("2006-02-14".into());
        process(&mut v, Process::Date).expect("converts");
        assert_eq!(v, Value::Date(day));
        let mut v = Value::Text("2005-05-24 22:53:30".into());
        process(&mut v, Process::DateTime).expect("converts");
        let at = chrono::NaiveDate::from_ymd_opt(2005, 5, 24)
            .and_then(|d| d.and_hms_opt(22, 53, 30))
            .expect("datetime");
        assert_eq!(v, Value::DateTime(at));
        let mut v = Value::Text("Feb 14".into());
        assert!(process(&mut v, Process::Date).is_err());
        // SQLite's CAST('2005-05-24 ...' AS DATE) is the integer 2005: not a date.
        let mut v = Value::Int(2005);
        assert!(process(&mut v, Process::Date).is_err());
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

#[cfg(test)]
mod wrapped_tests {
    use super::*;
    use crate::prelude::*;
    use crate::types::SqlWrap;

    #[test]
    fn a_wrapped_column_is_read_as_its_value_type_where_the_select_wraps_it() {
        // Dates kept as text, read through CAST(x AS DATE).
        let ty = Type::Text.column_expression(SqlWrap::cast(Type::Date));
        let md = MetaData::new();
        let t = Table::build("t", &md)
            .column(Column::new("x", ty))
            .finish()
            .expect("table");
        let of = |s: StatementRef<'_>| ResultProcessors::of(s);
        let wrapped = select(t.c("x"));
        assert!(of(wrapped.statement()).kinds.is_some());
        // RETURNING is not wrapped: the stored text comes back as it is.
        let ins = t
            .insert()
            .values(row! { "x" => "2020-01-02" })
            .returning([t.c("x")]);
        assert!(of(ins.statement()).is_empty());
    }
}
