//! Results: [`CursorResult`] and [`Row`].

use std::fmt;
use std::sync::Arc;

use athanor_core::compiler::ResultColumns as Columns;
use athanor_core::error::ConversionError;

use crate::{Error, FromValue, Result, Value};

/// How a row's column is named: by position (`usize`) or name (`&str`). Sealed.
pub trait RowIndex: private::Sealed {
    /// The position in the row, or [`Error::NoSuchColumn`].
    ///
    /// # Errors
    /// [`Error::NoSuchColumn`] when the row has no such column.
    fn index(&self, row: &Row) -> Result<usize>;
}

mod private {
    pub trait Sealed {}
    impl Sealed for usize {}
    impl Sealed for &str {}
    impl Sealed for &String {}
    impl Sealed for &athanor_core::sql::Expr {}
}

impl RowIndex for usize {
    fn index(&self, row: &Row) -> Result<usize> {
        if *self < row.values.len() {
            Ok(*self)
        } else {
            Err(Error::no_such_column(
                "result row",
                format!(
                    "index {self} (the row has {} columns: {})",
                    row.values.len(),
                    row.columns.names().join(", ")
                ),
            ))
        }
    }
}

impl RowIndex for &str {
    fn index(&self, row: &Row) -> Result<usize> {
        match row.columns.lookup(self) {
            Ok(Some(i)) => Ok(i),
            Ok(None) => Err(Error::no_such_column(
                format!("result row ({})", row.columns.names().join(", ")),
                (*self).to_string(),
            )),
            Err(positions) => Err(ambiguous(self, &positions)),
        }
    }
}

/// SQLAlchemy's "Ambiguous column name": several columns of the result share the name.
fn ambiguous(name: &str, positions: &[usize]) -> Error {
    let at: Vec<String> = positions.iter().map(usize::to_string).collect();
    Error::InvalidRequest(format!(
        "ambiguous column name '{name}': the result has {} columns of that name (at positions {}); \
         read the column by position (row.get({})) or give the columns distinct labels",
        positions.len(),
        at.join(", "),
        positions.first().copied().unwrap_or(0),
    ))
}

impl RowIndex for &String {
    fn index(&self, row: &Row) -> Result<usize> {
        self.as_str().index(row)
    }
}

/// A column or labelled expression of the statement names its column of the result by its
/// name (SQLAlchemy's `row._mapping[table.c.x]`): `row.get(&t.c("x"))` is `row.get("x")`,
/// with the same refusal of a name several columns share.
///
/// ```
/// use athanor::prelude::*;
/// let engine = create_engine("sqlite://")?;
/// let md = MetaData::new();
/// let t = Table::build("t", &md).column(Column::new("x", Type::Integer)).finish()?;
/// md.create_all(&engine)?;
/// let mut conn = engine.connect()?;
/// conn.execute(&t.insert().values(row! { "x" => 7 }))?;
/// let doubled = (t.c("x") * 2).label("twice");
/// let row = conn.execute(&select((t.c("x"), doubled.clone())))?.one()?;
/// assert_eq!(row.get::<i64, _>(&t.c("x"))?, 7);
/// assert_eq!(row.get::<i64, _>(&doubled)?, 14);
/// // An expression without a name in the result names no column.
/// assert!(matches!(row.get::<i64, _>(&(t.c("x") + 1)), Err(Error::NoSuchColumn(_))));
/// # Ok::<(), athanor::Error>(())
/// ```
impl RowIndex for &athanor_core::sql::Expr {
    fn index(&self, row: &Row) -> Result<usize> {
        match self.result_name() {
            Some(name) => name.index(row),
            None => Err(Error::no_such_column(
                format!("result row ({})", row.columns.names().join(", ")),
                "an expression without a name (label it, and read it by its label)".to_string(),
            )),
        }
    }
}

/// One result row: values by position or by name, sharing its result's column names.
///
/// A name that several columns of the result share (`SELECT 1 AS id, 2 AS id`) is refused
/// with [`Error::InvalidRequest`], as SQLAlchemy's "Ambiguous column name"; read such columns
/// by position, or label them apart.
///
/// ```
/// use athanor::prelude::*;
/// let engine = create_engine("sqlite://")?;
/// let mut conn = engine.connect()?;
/// let row = conn.execute(&text("SELECT 'Bob' AS name, 45.1 AS age, NULL AS note"))?.one()?;
/// let name: String = row.get("name")?;
/// let age: f64 = row.get(1)?;
/// let note: Option<String> = row.get("note")?;
/// assert_eq!((name.as_str(), age, note), ("Bob", 45.1, None));
/// assert_eq!(format!("{row:?}"), r#"Row(name => "Bob", age => 45.1, note => None)"#);
/// assert!(row.get::<i64, _>("name").is_err()); // TEXT is not an integer
///
/// let twice = conn.execute(&text("SELECT 1 AS id, 2 AS id"))?.one()?;
/// assert!(matches!(twice.get::<i64, _>("id"), Err(athanor::Error::InvalidRequest(_))));
/// assert_eq!(twice.get::<i64, _>(1)?, 2);
/// # Ok::<(), athanor::Error>(())
/// ```
#[derive(Clone, PartialEq)]
pub struct Row {
    pub(crate) columns: Arc<Columns>,
    pub(crate) values: Vec<Value>,
}

impl Row {
    /// A column's value as a Rust type.
    ///
    /// # Errors
    /// [`Error::NoSuchColumn`] for an unknown name or position; [`Error::InvalidRequest`] for a
    /// name several columns share; [`Error::Conversion`] naming the
    /// column and both types when the value can't become `T` (NULL needs `Option<T>`).
    pub fn get<T: FromValue, I: RowIndex>(&self, idx: I) -> Result<T> {
        let i = idx.index(self)?;
        T::from_value(&self.values[i]).map_err(|e| self.conversion(e, i))
    }

    fn conversion(&self, e: ConversionError, i: usize) -> Error {
        Error::Conversion(e.with_column(&self.columns.names()[i], i))
    }

    /// A column's raw value.
    ///
    /// # Errors
    /// [`Error::NoSuchColumn`] for an unknown name or position.
    pub fn value<I: RowIndex>(&self, idx: I) -> Result<&Value> {
        let i = idx.index(self)?;
        Ok(&self.values[i])
    }

    /// The values in order.
    pub fn values(&self) -> &[Value] {
        &self.values
    }

    /// Moves the values out.
    pub fn into_values(self) -> Vec<Value> {
        self.values
    }

    /// The column names.
    pub fn columns(&self) -> &[String] {
        self.columns.names()
    }

    /// The number of columns.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// True for a row with no columns.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// The row as a tuple or struct (see [`FromRow`]).
    ///
    /// # Errors
    /// As [`Row::get`].
    pub fn to<T: FromRow>(&self) -> Result<T> {
        T::from_row(self)
    }
}

fn debug_value(v: &Value, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    match v {
        Value::Null => f.write_str("None"),
        Value::Text(s) => write!(f, "{s:?}"),
        Value::Float(x) => write!(f, "{x:?}"),
        Value::Bytes(b) => write!(f, "b\"{}\"", b.escape_ascii()),
        other => write!(f, "{other}"),
    }
}

/// `Row(name => "Bob", age => 45.1)`.
impl fmt::Debug for Row {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Row(")?;
        for (i, (n, v)) in self.columns.names().iter().zip(&self.values).enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{n} => ")?;
            debug_value(v, f)?;
        }
        f.write_str(")")
    }
}

/// Builds a value from a whole row: tuples (by position) and, with the ORM, mapped structs.
///
/// ```
/// use athanor::prelude::*;
/// let engine = create_engine("sqlite://")?;
/// let mut conn = engine.connect()?;
/// let pairs: Vec<(i64, String)> = conn.execute(&text("SELECT 1, 'a' UNION ALL SELECT 2, 'b'"))?.tuples()?;
/// assert_eq!(pairs, vec![(1, "a".to_string()), (2, "b".to_string())]);
/// # Ok::<(), athanor::Error>(())
/// ```
pub trait FromRow: Sized {
    /// Builds the value.
    ///
    /// # Errors
    /// A conversion or missing-column error.
    fn from_row(row: &Row) -> Result<Self>;

    /// Checks a result's column names before its first row is built ([`Connection::tuples`]
    /// and [`CursorResult::tuples`] call it once per result). The default accepts any; a
    /// `#[derive(Model)]` struct, read by position, checks that its columns come first, by
    /// name and in order, so that a statement with its columns elsewhere is refused rather
    /// than read into the wrong fields.
    ///
    /// [`Connection::tuples`]: crate::Connection::tuples
    ///
    /// # Errors
    /// [`Error::InvalidRequest`](crate::Error::InvalidRequest) naming what was expected and
    /// what was found.
    fn check_columns(names: &[String]) -> Result<()> {
        let _ = names;
        Ok(())
    }

    /// Builds the value from a row's values it may move out of (strings and bytes are taken,
    /// not copied), without a [`Row`] in between: what [`CursorResult::tuples`] and
    /// [`Connection::tuples`](crate::Connection::tuples) call. The
    /// default builds a `Row` and calls [`FromRow::from_row`]; tuples override it.
    ///
    /// # Errors
    /// As [`FromRow::from_row`].
    fn from_row_values(values: RowValues<'_>) -> Result<Self> {
        Self::from_row(&values.into_row())
    }
}

/// One row's values inside a result, to be moved out by [`FromRow::from_row_values`].
pub struct RowValues<'r> {
    columns: &'r Arc<Columns>,
    values: &'r mut [Value],
}

impl<'r> RowValues<'r> {
    pub(crate) fn new(columns: &'r Arc<Columns>, values: &'r mut [Value]) -> Self {
        RowValues { columns, values }
    }

    /// The number of columns.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// True for a row with no columns.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Moves column `i`'s value out as a Rust type (the slot is left NULL).
    ///
    /// # Errors
    /// [`Error::NoSuchColumn`] for a position past the end; [`Error::Conversion`] naming the
    /// column, as [`Row::get`].
    #[inline]
    pub fn take<T: FromValue>(&mut self, i: usize) -> Result<T> {
        let Some(slot) = self.values.get_mut(i) else {
            return Err(Error::no_such_column(
                "result row",
                format!(
                    "index {i} (the row has {} columns: {})",
                    self.values.len(),
                    self.columns.names().join(", ")
                ),
            ));
        };
        T::from_value_owned(std::mem::take(slot))
            .map_err(|e| Error::Conversion(e.with_column(&self.columns.names()[i], i)))
    }

    /// Column `i`'s value, in place.
    pub fn peek(&self, i: usize) -> Option<&Value> {
        self.values.get(i)
    }

    /// Moves column `i`'s value out (NULL past the end); [`RowValues::conversion_error`] names
    /// the column when it doesn't convert.
    pub(crate) fn take_raw(&mut self, i: usize) -> Value {
        self.values
            .get_mut(i)
            .map(std::mem::take)
            .unwrap_or_default()
    }

    /// A conversion error naming column `i`.
    pub(crate) fn conversion_error(&self, e: ConversionError, i: usize) -> Error {
        match self.columns.names().get(i) {
            Some(n) => Error::Conversion(e.with_column(n, i)),
            None => Error::Conversion(e),
        }
    }

    /// The column names.
    pub fn names(&self) -> &[String] {
        self.columns.names()
    }

    /// The values as a [`Row`].
    pub fn into_row(self) -> Row {
        Row {
            columns: self.columns.clone(),
            values: self.values.iter_mut().map(std::mem::take).collect(),
        }
    }
}

impl FromRow for Row {
    fn from_row(row: &Row) -> Result<Self> {
        Ok(row.clone())
    }
}

macro_rules! tuple_from_row {
    ($($name:ident : $i:tt),+) => {
        impl<$($name: FromValue),+> FromRow for ($($name,)+) {
            fn from_row(row: &Row) -> Result<Self> {
                let expected = [$($i),+].len();
                if row.len() != expected {
                    return Err(Error::InvalidRequest(format!(
                        "a row of {} columns can't become a tuple of {expected}", row.len()
                    )));
                }
                Ok(($(row.get::<$name, usize>($i)?,)+))
            }
            #[inline]
            fn from_row_values(mut values: RowValues<'_>) -> Result<Self> {
                let expected = [$($i),+].len();
                if values.len() != expected {
                    return Err(Error::InvalidRequest(format!(
                        "a row of {} columns can't become a tuple of {expected}", values.len()
                    )));
                }
                Ok(($(values.take::<$name>($i)?,)+))
            }
        }
    };
}
tuple_from_row!(A: 0);
tuple_from_row!(A: 0, B: 1);
tuple_from_row!(A: 0, B: 1, C: 2);
tuple_from_row!(A: 0, B: 1, C: 2, D: 3);
tuple_from_row!(A: 0, B: 1, C: 2, D: 3, E: 4);
tuple_from_row!(A: 0, B: 1, C: 2, D: 3, E: 4, F: 5);
tuple_from_row!(A: 0, B: 1, C: 2, D: 3, E: 4, F: 5, G: 6);
tuple_from_row!(A: 0, B: 1, C: 2, D: 3, E: 4, F: 5, G: 6, H: 7);
tuple_from_row!(A: 0, B: 1, C: 2, D: 3, E: 4, F: 5, G: 6, H: 7, I: 8);
tuple_from_row!(A: 0, B: 1, C: 2, D: 3, E: 4, F: 5, G: 6, H: 7, I: 8, J: 9);
tuple_from_row!(A: 0, B: 1, C: 2, D: 3, E: 4, F: 5, G: 6, H: 7, I: 8, J: 9, K: 10);
tuple_from_row!(A: 0, B: 1, C: 2, D: 3, E: 4, F: 5, G: 6, H: 7, I: 8, J: 9, K: 10, L: 11);

/// The result of executing a statement: its rows (for SELECT, RETURNING and text) and what
/// it changed.
///
/// Rows are read from the database when the statement runs; use
/// [`Connection::stream`](crate::Connection::stream) to process a large result without
/// holding it, and [`Connection::tuples`](crate::Connection::tuples) to load records without
/// holding the rows' values first.
#[derive(Debug)]
pub struct CursorResult {
    pub(crate) columns: Arc<Columns>,
    pub(crate) rows: Rows,
    pub(crate) rowcount: u64,
    pub(crate) last_insert_id: Option<i64>,
    pub(crate) inserted_primary_key: Option<Row>,
    pub(crate) returned_defaults: Option<Row>,
}

/// A result's rows, stored flat (row after row, `width` values each) in one buffer: reading a
/// result allocates once, not once per row, and typed reads move the values out.
#[derive(Debug, Default)]
pub(crate) struct Rows {
    values: Vec<Value>,
    width: usize,
    /// Rows not yet read.
    left: usize,
    /// Index of the next row.
    next: usize,
}

impl Rows {
    pub(crate) fn new(values: Vec<Value>, width: usize, count: usize) -> Self {
        Rows {
            values,
            width,
            left: count,
            next: 0,
        }
    }

    /// The next row's values, in place.
    #[inline]
    fn next_slice(&mut self) -> Option<&mut [Value]> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        let at = self.next * self.width;
        self.next += 1;
        Some(&mut self.values[at..at + self.width])
    }

    /// The next row's values, moved out.
    pub(crate) fn next(&mut self) -> Option<Vec<Value>> {
        self.next_slice()
            .map(|v| v.iter_mut().map(std::mem::take).collect())
    }

    fn len(&self) -> usize {
        self.left
    }
}

impl CursorResult {
    pub(crate) fn new(columns: Arc<Columns>, rows: Rows) -> Self {
        CursorResult {
            columns,
            rows,
            rowcount: 0,
            last_insert_id: None,
            inserted_primary_key: None,
            returned_defaults: None,
        }
    }

    pub(crate) fn row(&self, values: Vec<Value>) -> Row {
        Row {
            columns: self.columns.clone(),
            values,
        }
    }

    /// The result's column names (SQLAlchemy's `keys()`).
    pub fn columns(&self) -> &[String] {
        self.columns.names()
    }

    /// Rows changed by INSERT/UPDATE/DELETE (SQLAlchemy's `rowcount`).
    pub fn rowcount(&self) -> u64 {
        self.rowcount
    }

    /// The database's last inserted row id (SQLite rowid, MySQL `LAST_INSERT_ID()`), after an
    /// INSERT.
    pub fn last_insert_id(&self) -> Option<i64> {
        self.last_insert_id
    }

    /// The primary key of the row a single-row INSERT wrote, every key column in the key's
    /// order, as a [`Row`] named by the key's columns (SQLAlchemy's `inserted_primary_key`):
    /// read it typed with [`Row::get`] or [`Row::to`].
    ///
    /// Each column holds the value given in the INSERT (in `values()`, or in the execution's
    /// parameters for an INSERT without values), else the value the database generated for
    /// the autoincrement column, else the column's client-side default, else NULL. `None` for
    /// statements other than an INSERT of one row, and for a table without a primary key.
    ///
    /// ```
    /// use athanor::prelude::*;
    /// let engine = create_engine("sqlite://")?;
    /// let md = MetaData::new();
    /// let line = Table::build("line", &md)
    ///     .column(Column::new("invoice_id", Type::Integer).primary_key())
    ///     .column(Column::new("line_no", Type::Integer).primary_key())
    ///     .column(Column::new("sku", Type::String(Some(10))))
    ///     .finish()?;
    /// md.create_all(&engine)?;
    /// let mut conn = engine.connect()?;
    /// let r = conn.execute(&line.insert().values(row! { "invoice_id" => 3, "line_no" => 1, "sku" => "x" }))?;
    /// let key = r.inserted_primary_key_row().expect("one row was inserted");
    /// assert_eq!(key.to::<(i64, i64)>()?, (3, 1));
    /// assert_eq!(key.get::<i64, _>("line_no")?, 1);
    /// # Ok::<(), athanor::Error>(())
    /// ```
    pub fn inserted_primary_key_row(&self) -> Option<&Row> {
        self.inserted_primary_key.as_ref()
    }

    /// The values an UPDATE with [`return_defaults`](crate::sql::Update::return_defaults)
    /// fetched: its computed SET columns, for the first row updated (SQLAlchemy's
    /// `returned_defaults`); `None` where nothing was fetched (no RETURNING on the database,
    /// or no row updated).
    ///
    /// ```
    /// use athanor::prelude::*;
    /// let engine = create_engine("sqlite://")?;
    /// let md = MetaData::new();
    /// let t = Table::build("t", &md)
    ///     .column(Column::new("id", Type::Integer).primary_key())
    ///     .column(Column::new("n", Type::Integer))
    ///     .finish()?;
    /// md.create_all(&engine)?;
    /// let mut conn = engine.connect()?;
    /// conn.execute(&t.insert().values(row! { "id" => 1, "n" => 41 }))?;
    /// let r = conn.execute(&t.update().set("n", t.c("n") + 1).return_defaults())?;
    /// assert_eq!(r.rowcount(), 1);
    /// assert_eq!(r.returned_defaults().map(|row| row.get::<i64, _>("n")).transpose()?, Some(42));
    /// # Ok::<(), athanor::Error>(())
    /// ```
    pub fn returned_defaults(&self) -> Option<&Row> {
        self.returned_defaults.as_ref()
    }

    /// The inserted primary key's value when the key has one column and its value is known
    /// (not NULL); `None` otherwise. Kept for existing callers: prefer
    /// [`CursorResult::inserted_primary_key_row`], which is typed and holds composite keys.
    pub fn inserted_primary_key(&self) -> Option<&Value> {
        match self.inserted_primary_key.as_ref()?.values() {
            [v] if !v.is_null() => Some(v),
            _ => None,
        }
    }

    /// Every remaining row.
    ///
    /// # Errors
    /// Never today; kept fallible for streaming results.
    pub fn all(mut self) -> Result<Vec<Row>> {
        let mut out = Vec::with_capacity(self.rows.len());
        while let Some(values) = self.rows.next() {
            out.push(Row {
                columns: self.columns.clone(),
                values,
            });
        }
        Ok(out)
    }

    /// The first row, or `None`; the rest are discarded.
    ///
    /// # Errors
    /// Never today; kept fallible for streaming results.
    pub fn first(mut self) -> Result<Option<Row>> {
        Ok(self.rows.next().map(|v| self.row(v)))
    }

    /// Exactly one row.
    ///
    /// # Errors
    /// [`Error::NoResultFound`] when there is none, [`Error::MultipleResultsFound`] when there
    /// are more.
    pub fn one(self) -> Result<Row> {
        self.one_or_none()?.ok_or(Error::NoResultFound)
    }

    /// One row or none.
    ///
    /// # Errors
    /// [`Error::MultipleResultsFound`] when there is more than one.
    pub fn one_or_none(mut self) -> Result<Option<Row>> {
        let first = self.rows.next();
        if self.rows.next().is_some() {
            return Err(Error::MultipleResultsFound);
        }
        Ok(first.map(|v| self.row(v)))
    }

    /// The first column of the first row. With no row, `Option<T>` gives `None`; other types
    /// give [`Error::NoResultFound`].
    ///
    /// # Errors
    /// [`Error::NoResultFound`] (see above) or a conversion error.
    pub fn scalar<T: FromValue>(mut self) -> Result<T> {
        match self.rows.next() {
            Some(mut values) => {
                if values.is_empty() {
                    return Err(Error::InvalidRequest("the result has no columns".into()));
                }
                let v = values.swap_remove(0);
                T::from_value_owned(v)
                    .map_err(|e| Error::Conversion(e.with_column(&self.columns.names()[0], 0)))
            }
            None => T::from_value(&Value::Null).map_err(|_| Error::NoResultFound),
        }
    }

    /// Exactly one row's first column.
    ///
    /// # Errors
    /// As [`CursorResult::one`], or a conversion error.
    pub fn scalar_one<T: FromValue>(self) -> Result<T> {
        let row = self.one()?;
        row.get(0)
    }

    /// The first column of every row.
    ///
    /// # Errors
    /// A conversion error naming the column.
    pub fn scalars<T: FromValue>(mut self) -> Result<Vec<T>> {
        let mut out = Vec::with_capacity(self.rows.len());
        while let Some(values) = self.rows.next_slice() {
            let Some(v) = values.first_mut() else {
                return Err(Error::InvalidRequest("the result has no columns".into()));
            };
            out.push(
                T::from_value_owned(std::mem::take(v))
                    .map_err(|e| Error::Conversion(e.with_column(&self.columns.names()[0], 0)))?,
            );
        }
        Ok(out)
    }

    /// Every row as a tuple or [`FromRow`] type.
    ///
    /// # Errors
    /// A conversion error naming the column.
    pub fn tuples<T: FromRow>(mut self) -> Result<Vec<T>> {
        T::check_columns(self.columns.names())?;
        let mut out = Vec::with_capacity(self.rows.len());
        while let Some(values) = self.rows.next_slice() {
            out.push(T::from_row_values(RowValues {
                columns: &self.columns,
                values,
            })?);
        }
        Ok(out)
    }
}

impl Iterator for CursorResult {
    type Item = Row;
    fn next(&mut self) -> Option<Row> {
        self.rows.next().map(|v| Row {
            columns: self.columns.clone(),
            values: v,
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.rows.len(), Some(self.rows.len()))
    }
}
