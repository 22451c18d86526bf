//! What the code `#[derive(Model)]` writes calls: not an API, may change with any release.

pub use athanor_core::schema::{Column, ForeignKey, MetaData, ServerDefault, Table, TableBuilder};

pub use super::field::FieldType;
pub use super::model::Model;
pub use crate::{Result, RowValues, Type, Value};

use crate::{Error, Row};

/// Finishes a model's table; a definition the Core refuses is a programming error in the
/// model, reported when the table is first used.
#[track_caller]
pub fn build_table(name: &str, builder: TableBuilder) -> Table {
    match builder.finish() {
        Ok(t) => t,
        Err(e) => panic!("the model of table \"{name}\" is not a valid table: {e}"),
    }
}

/// The position of the table's autoincrement column among its columns.
pub fn autoincrement_index(table: &Table) -> Option<usize> {
    let col = table.autoincrement_column()?;
    table.columns().iter().position(|c| c.name() == col.name())
}

/// Column `i` converted without moving it (the key, read before deciding to build the object).
///
/// # Errors
/// The value doesn't convert, naming the column.
#[inline]
pub fn peek_field<T: FieldType>(values: &RowValues<'_>, i: usize) -> Result<T> {
    T::from_value_ref(values.peek(i).unwrap_or(&Value::Null))
        .map_err(|e| values.conversion_error(e, i))
}

/// Column `i` moved out and converted.
///
/// # Errors
/// The value doesn't convert, naming the column.
#[inline]
pub fn take_field<T: FieldType>(values: &mut RowValues<'_>, i: usize) -> Result<T> {
    let v = values.take_raw(i);
    T::from_value(v).map_err(|e| values.conversion_error(e, i))
}

/// A value converted for field `field`.
///
/// # Errors
/// The value doesn't convert, naming the field.
pub fn convert_field<T: FieldType>(v: Value, field: &str) -> Result<T> {
    T::from_value(v).map_err(|e| Error::Conversion(e.with_column(field, 0)))
}

/// Checks that a row has the model's columns from `offset` on.
///
/// # Errors
/// [`Error::InvalidRequest`] naming the model and both widths.
pub fn check_width(values: &RowValues<'_>, offset: usize, model: &str, width: usize) -> Result<()> {
    if values.len() < offset + width {
        return Err(Error::InvalidRequest(format!(
            "a row of {} columns can't hold {model}'s {width} columns from position {offset} (columns: {})",
            values.len(),
            values.names().join(", ")
        )));
    }
    Ok(())
}

/// `FromRow::from_row` of a model: copies the row's values and builds the object.
///
/// # Errors
/// As [`Model::from_row_at`].
pub fn from_row<M: Model>(row: &Row) -> Result<M> {
    let mut values: Vec<Value> = row.values().to_vec();
    let mut rv = RowValues::new(&row.columns, &mut values);
    M::from_row_at(&mut rv, 0)
}

/// `Model::is_unset` for one field: `None`, or an unset key in the autoincrement column.
#[inline]
pub fn is_unset_field<M: Model, T: FieldType>(v: &T, i: usize) -> bool {
    if T::NULLABLE {
        v.is_unset_key()
    } else {
        M::autoincrement_index() == Some(i) && v.is_unset_key()
    }
}
