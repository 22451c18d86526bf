//! How the engine receives a query's rows from a driver: into a result's flat buffer
//! ([`Buffered`]), straight into typed values ([`Typed`]), or one [`Row`] at a time to a
//! callback ([`Streamed`]).

use std::sync::Arc;

use athanor_core::compiler::{Compiled, ResultColumns, ResultProcessors};

use super::result::RowValues;
use crate::driver::RowSink;
use crate::{Error, FromRow, Result, Row, Value};

/// The columns every sink starts from: the shape's remembered ones, or those the driver
/// reports.
#[derive(Default)]
pub(crate) struct SinkColumns {
    columns: Option<Arc<ResultColumns>>,
    /// True when the driver reported names (they are new to the shape).
    pub(crate) reported: bool,
    /// The shape's result processing (Numeric scales).
    processors: ResultProcessors,
}

impl SinkColumns {
    pub(crate) fn new(compiled: &Compiled) -> Self {
        SinkColumns {
            columns: compiled.result_columns().cloned(),
            reported: false,
            processors: compiled.result_processors().clone(),
        }
    }

    /// Applies the shape's result processing to one row, in place.
    #[inline(always)]
    pub(crate) fn process(&self, values: &mut [Value]) -> Result<()> {
        if self.processors.is_empty() {
            return Ok(());
        }
        self.apply(values)
    }

    fn apply(&self, values: &mut [Value]) -> Result<()> {
        self.processors.apply(values).map_err(|(i, e)| {
            let name = self
                .columns
                .as_ref()
                .and_then(|c| c.names().get(i))
                .map_or("?", String::as_str);
            Error::Conversion(e.with_column(name, i))
        })
    }

    /// The number of columns, once known.
    pub(crate) fn width(&self) -> usize {
        self.columns.as_ref().map_or(0, |c| c.len())
    }

    /// The count the driver may skip names for.
    pub(crate) fn known(&self) -> Option<usize> {
        self.columns.as_ref().map(|c| c.len())
    }

    fn set(&mut self, names: Vec<String>) {
        self.columns = Some(Arc::new(ResultColumns::new(names)));
        self.reported = true;
    }

    #[inline]
    fn get(&self) -> Result<&Arc<ResultColumns>> {
        self.columns.as_ref().ok_or_else(|| {
            Error::InvalidRequest("internal error: a driver sent rows before their columns".into())
        })
    }

    /// The columns, once the query has run.
    pub(crate) fn into_columns(self) -> Arc<ResultColumns> {
        self.columns.unwrap_or_default()
    }

    /// The columns to remember for the shape, when the driver reported new ones.
    pub(crate) fn learned(&self) -> Option<&Arc<ResultColumns>> {
        self.columns.as_ref().filter(|_| self.reported)
    }
}

/// Moves every row's values into one flat buffer (a [`CursorResult`](super::CursorResult)).
pub(crate) struct Buffered {
    pub(crate) columns: SinkColumns,
    pub(crate) values: Vec<Value>,
}

impl RowSink for Buffered {
    fn columns(&mut self, names: Vec<String>) -> Result<()> {
        self.columns.set(names);
        Ok(())
    }

    #[inline]
    fn row(&mut self, values: &mut [Value]) -> Result<bool> {
        self.columns.process(values)?;
        self.values.extend(values.iter_mut().map(std::mem::take));
        Ok(true)
    }
}

/// Builds a `T` from each row as it is read, with no buffer of values in between; stops after
/// `limit` rows.
pub(crate) struct Typed<T> {
    pub(crate) columns: SinkColumns,
    pub(crate) out: Vec<T>,
    pub(crate) limit: usize,
    /// `T::check_columns` passed for this result (checked at its first row: a driver may
    /// not report the names of a shape it has seen).
    pub(crate) checked: bool,
}

impl<T: FromRow> RowSink for Typed<T> {
    fn columns(&mut self, names: Vec<String>) -> Result<()> {
        self.columns.set(names);
        self.checked = false;
        Ok(())
    }

    #[inline]
    fn row(&mut self, values: &mut [Value]) -> Result<bool> {
        self.columns.process(values)?;
        let columns = self.columns.get()?;
        if !self.checked {
            T::check_columns(columns.names())?;
            self.checked = true;
        }
        self.out
            .push(T::from_row_values(RowValues::new(columns, values))?);
        Ok(self.out.len() < self.limit)
    }
}

/// What takes a query's rows one at a time, moving their values out (the ORM's loads into its
/// identity map): [`Connection::each_row_values`](super::Connection::each_row_values).
pub(crate) trait LoadRows {
    /// Told once, before the first row: about how many rows are coming (what the statement's
    /// shape returned last time; 0 the first time).
    fn reserve(&mut self, _rows: usize) {}
    /// Told once per result, before its first row: the result's column names, to refuse a
    /// result whose columns aren't the ones the loader reads.
    fn check_columns(&mut self, _names: &[String]) -> Result<()> {
        Ok(())
    }
    /// One row.
    fn row(&mut self, values: RowValues<'_>) -> Result<()>;
}

/// Hands each row's values to a [`LoadRows`]: no buffer of values in between, no `Row` per row.
pub(crate) struct EachRow<'l, L> {
    pub(crate) columns: SinkColumns,
    pub(crate) loader: &'l mut L,
    /// The loader's `check_columns` passed for this result.
    pub(crate) checked: bool,
}

impl<L: LoadRows> RowSink for EachRow<'_, L> {
    fn columns(&mut self, names: Vec<String>) -> Result<()> {
        self.columns.set(names);
        self.checked = false;
        Ok(())
    }

    #[inline]
    fn row(&mut self, values: &mut [Value]) -> Result<bool> {
        self.columns.process(values)?;
        let columns = self.columns.get()?;
        if !self.checked {
            self.loader.check_columns(columns.names())?;
            self.checked = true;
        }
        self.loader.row(RowValues::new(columns, values))?;
        Ok(true)
    }
}

/// Hands each row to a callback; an error from the callback stops the query and is kept to
/// be returned as it is (not decorated with the statement).
pub(crate) struct Streamed<F> {
    pub(crate) columns: SinkColumns,
    pub(crate) f: F,
    pub(crate) user_error: Option<Error>,
}

impl<F: FnMut(Row) -> Result<bool>> RowSink for Streamed<F> {
    fn columns(&mut self, names: Vec<String>) -> Result<()> {
        self.columns.set(names);
        Ok(())
    }

    fn row(&mut self, values: &mut [Value]) -> Result<bool> {
        self.columns.process(values)?;
        let row = Row {
            columns: self.columns.get()?.clone(),
            values: values.iter_mut().map(std::mem::take).collect(),
        };
        match (self.f)(row) {
            Ok(go) => Ok(go),
            Err(e) => {
                self.user_error = Some(e);
                Ok(false)
            }
        }
    }
}

/// A row read as its first column (for `scalars`).
pub(crate) struct First<T>(pub(crate) T);

impl<T: crate::FromValue> FromRow for First<T> {
    fn from_row(row: &Row) -> Result<Self> {
        row.get(0).map(First)
    }

    #[inline]
    fn from_row_values(mut values: RowValues<'_>) -> Result<Self> {
        values.take(0).map(First)
    }
}
