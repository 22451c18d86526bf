//! An automapped object as users see it: its handle ([`DynRef`]), a view to read it
//! ([`DynObject`]) or change it ([`DynEdit`]), and what a key ([`DynKey`]) and a new object's
//! values ([`DynValues`]) may be given as.

use std::fmt;

use athanor_core::sql::{Expr, Values};

use super::build::ClassInfo;
use crate::{Error, FromValue, Result, Value};

/// A handle to an automapped object held by a [`Session`](crate::orm::Session): `Copy`, and
/// only meaningful to the session that made it (as [`Ref`](crate::orm::Ref) is for a model).
/// Used with another session, or after its object was expunged, it fails with
/// [`Error::DetachedInstance`].
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct DynRef {
    pub(crate) session: u32,
    pub(crate) class: u32,
    pub(crate) index: u32,
    pub(crate) generation: u32,
}

impl fmt::Debug for DynRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "DynRef(class {}, #{}.{})",
            self.class, self.index, self.generation
        )
    }
}

fn value_of<'v>(class: &ClassInfo, values: &'v [Value], column: &str) -> Result<&'v Value> {
    let i = class.col(column)?;
    values
        .get(i)
        .ok_or_else(|| Error::no_such_column(class.name.clone(), column.to_string()))
}

fn convert<T: FromValue>(class: &ClassInfo, values: &[Value], column: &str) -> Result<T> {
    let i = class.col(column)?;
    let v = values.get(i).unwrap_or(&Value::Null);
    T::from_value(v).map_err(|e| Error::Conversion(e.with_column(column, i)))
}

/// An automapped object, to read ([`Session::read_dyn`](crate::orm::Session::read_dyn)).
///
/// ```
/// use athanor::prelude::*;
/// # let (engine, _) = athanor::chinook::load()?;
/// let track = athanor::orm::automap(&engine)?.class("Track")?;
/// let mut s = Session::new(&engine);
/// let t = s.get_dyn(&track, 1)?.expect("track 1");
/// let obj = s.read_dyn(t)?;
/// assert_eq!(obj.get::<String>("Name")?, "For Those About To Rock (We Salute You)");
/// assert_eq!(obj.get::<Option<String>>("Composer")?.as_deref(), Some("Angus Young, Malcolm Young, Brian Johnson"));
/// let err = obj.get::<i64>("Name").unwrap_err(); // a typed error naming the column
/// assert_eq!(err.to_string(), "column \"Name\" (index 1): cannot convert SQL TEXT to Rust i64");
/// assert!(matches!(obj.get::<i64>("Nope"), Err(Error::NoSuchColumn { .. })));
/// assert_eq!(obj.key(), [Value::Int(1)]);
/// # Ok::<(), athanor::Error>(())
/// ```
pub struct DynObject<'s> {
    pub(crate) class: &'s ClassInfo,
    pub(crate) values: &'s [Value],
}

impl fmt::Debug for DynObject<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        describe(self.class, self.values, f)
    }
}

fn describe(class: &ClassInfo, values: &[Value], f: &mut fmt::Formatter<'_>) -> fmt::Result {
    write!(f, "{}(", class.name)?;
    for (i, (c, v)) in class.columns.iter().zip(values).enumerate() {
        if i > 0 {
            write!(f, ", ")?;
        }
        write!(f, "{c}={v:?}")?;
    }
    write!(f, ")")
}

impl<'s> DynObject<'s> {
    /// Column `column`'s value as `T` (`Option<T>` for a column that may be NULL).
    ///
    /// # Errors
    /// [`Error::Conversion`] naming the column when the value isn't
    /// a `T`; [`Error::NoSuchColumn`].
    pub fn get<T: FromValue>(&self, column: &str) -> Result<T> {
        convert(self.class, self.values, column)
    }

    /// Column `column`'s value as the database gave it.
    ///
    /// # Errors
    /// [`Error::NoSuchColumn`].
    pub fn value(&self, column: &str) -> Result<&'s Value> {
        value_of(self.class, self.values, column)
    }

    /// Every column's value, in [`Class::columns`](super::Class::columns)' order.
    pub fn values(&self) -> &'s [Value] {
        self.values
    }

    /// The columns' names.
    pub fn columns(&self) -> &'s [String] {
        &self.class.columns
    }

    /// The class's name.
    pub fn class_name(&self) -> &'s str {
        &self.class.name
    }

    /// The primary key's values, in key order (NULL for a key not generated yet).
    pub fn key(&self) -> Vec<Value> {
        self.class
            .primary_key
            .iter()
            .map(|&c| self.values.get(c).cloned().unwrap_or(Value::Null))
            .collect()
    }
}

/// An automapped object, to change ([`Session::edit_dyn`](crate::orm::Session::edit_dyn)):
/// the first change of a loaded object takes its snapshot, and the next flush UPDATEs the
/// columns that differ from it.
///
/// ```
/// use athanor::prelude::*;
/// # let (engine, _) = athanor::chinook::load()?;
/// let genre = athanor::orm::automap(&engine)?.class("Genre")?;
/// let mut s = Session::new(&engine);
/// let rock = s.get_dyn(&genre, 1)?.expect("genre 1");
/// s.edit_dyn(rock)?.set("Name", "Rock!")?;
/// assert!(s.is_modified_dyn(rock)?);
/// s.edit_dyn(rock)?.set("Name", "Rock")?; // set back: nothing to write
/// assert!(!s.is_modified_dyn(rock)?);
/// assert!(matches!(s.edit_dyn(rock)?.set("Nope", 1), Err(Error::NoSuchColumn { .. })));
/// # Ok::<(), athanor::Error>(())
/// ```
pub struct DynEdit<'s> {
    pub(crate) class: &'s ClassInfo,
    pub(crate) values: &'s mut Vec<Value>,
}

impl fmt::Debug for DynEdit<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        describe(self.class, self.values, f)
    }
}

impl DynEdit<'_> {
    /// Sets column `column` (a value that doesn't fit the column is the database's error at
    /// the flush, as for any statement). Returns the view, to set several in a row.
    ///
    /// # Errors
    /// [`Error::NoSuchColumn`].
    pub fn set(&mut self, column: &str, value: impl Into<Value>) -> Result<&mut Self> {
        let i = self.class.col(column)?;
        if let Some(slot) = self.values.get_mut(i) {
            *slot = value.into();
        }
        Ok(self)
    }

    /// Column `column`'s value as `T`, as [`DynObject::get`].
    ///
    /// # Errors
    /// As [`DynObject::get`].
    pub fn get<T: FromValue>(&self, column: &str) -> Result<T> {
        convert(self.class, self.values, column)
    }

    /// Column `column`'s value.
    ///
    /// # Errors
    /// [`Error::NoSuchColumn`].
    pub fn value(&self, column: &str) -> Result<&Value> {
        value_of(self.class, self.values, column)
    }
}

/// A primary key for [`Session::get_dyn`](crate::orm::Session::get_dyn): a value (`1`,
/// `"x"`, a [`Value`]) for a one-column key, a tuple or a `Vec<Value>` for a composite key.
pub trait DynKey {
    /// The key's values, in key order.
    fn key_values(self) -> Vec<Value>;
}

macro_rules! dyn_key_one {
    ($($t:ty),*) => {$(
        impl DynKey for $t {
            fn key_values(self) -> Vec<Value> {
                vec![Value::from(self)]
            }
        }
    )*};
}
dyn_key_one!(i64, i32, i16, u32, &str, String, Value);

impl DynKey for Vec<Value> {
    fn key_values(self) -> Vec<Value> {
        self
    }
}

impl<A: Into<Value>, B: Into<Value>> DynKey for (A, B) {
    fn key_values(self) -> Vec<Value> {
        vec![self.0.into(), self.1.into()]
    }
}

impl<A: Into<Value>, B: Into<Value>, C: Into<Value>> DynKey for (A, B, C) {
    fn key_values(self) -> Vec<Value> {
        vec![self.0.into(), self.1.into(), self.2.into()]
    }
}

/// A new object's values for [`Session::add_dyn`](crate::orm::Session::add_dyn): the
/// Core's [`row!`](athanor_core::row) (values, not SQL expressions), or pairs of column names and
/// values. Columns not given are NULL; a NULL autoincrement key is generated by the database
/// and a NULL column with a server default gets the default.
pub trait DynValues {
    /// The pairs, or an error for a value that isn't one.
    ///
    /// # Errors
    /// [`Error::Argument`] for a SQL expression.
    fn into_pairs(self) -> Result<Vec<(String, Value)>>;
}

impl DynValues for Values {
    fn into_pairs(self) -> Result<Vec<(String, Value)>> {
        self.0
            .into_iter()
            .map(|(name, e)| match e {
                Expr::Value(v) => Ok((name.to_string(), v)),
                other => Err(Error::Argument(format!(
                    "add_dyn takes values, and column {name} was given a SQL expression ({other:?}); set it with a Core UPDATE after the flush"
                ))),
            })
            .collect()
    }
}

impl<S: AsRef<str>, V: Into<Value>> DynValues for Vec<(S, V)> {
    fn into_pairs(self) -> Result<Vec<(String, Value)>> {
        Ok(self
            .into_iter()
            .map(|(n, v)| (n.as_ref().to_string(), v.into()))
            .collect())
    }
}

impl<S: AsRef<str>, V: Into<Value>, const N: usize> DynValues for [(S, V); N] {
    fn into_pairs(self) -> Result<Vec<(String, Value)>> {
        Ok(self
            .into_iter()
            .map(|(n, v)| (n.as_ref().to_string(), v.into()))
            .collect())
    }
}
