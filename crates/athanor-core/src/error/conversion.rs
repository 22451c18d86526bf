//! [`ConversionError`]: a value that could not become the Rust type asked for.

use std::fmt;
use std::ops::{Deref, DerefMut};

/// A value that could not become the Rust type asked for.
///
/// Carries the column (name and position) when it came from a result row. One pointer wide
/// (the fields live in a boxed [`ConversionErrorInfo`], which it dereferences to).
///
/// ```
/// use athanor_core::{FromValue, Value};
/// let err = i64::from_value(&Value::Text("abc".into())).unwrap_err();
/// assert!(err.to_string().contains("TEXT"));
/// assert!(err.to_string().contains("i64"));
/// assert_eq!(err.expected, "i64");
/// ```
#[derive(Clone, PartialEq)]
pub struct ConversionError(Box<ConversionErrorInfo>);

/// The fields of a [`ConversionError`] (which dereferences to this).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ConversionErrorInfo {
    /// The column's name, when known.
    pub column: Option<String>,
    /// The column's position, when known.
    pub index: Option<usize>,
    /// The Rust type asked for.
    pub expected: &'static str,
    /// The SQL kind of value found.
    pub found: &'static str,
    /// More detail (an overflow, a parse failure).
    pub detail: Option<String>,
}

impl Deref for ConversionError {
    type Target = ConversionErrorInfo;
    fn deref(&self) -> &ConversionErrorInfo {
        &self.0
    }
}

impl DerefMut for ConversionError {
    fn deref_mut(&mut self) -> &mut ConversionErrorInfo {
        &mut self.0
    }
}

impl fmt::Debug for ConversionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for ConversionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = &*self.0;
        match (&c.column, c.index) {
            (Some(c), Some(i)) => write!(f, "column \"{c}\" (index {i}): ")?,
            (Some(c), None) => write!(f, "column \"{c}\": ")?,
            (None, Some(i)) => write!(f, "column index {i}: ")?,
            (None, None) => {}
        }
        write!(f, "cannot convert SQL {} to Rust {}", c.found, c.expected)?;
        if let Some(d) = &c.detail {
            write!(f, " ({d})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ConversionError {}

impl ConversionError {
    /// A conversion error with no column attached yet.
    pub fn new(expected: &'static str, found: &'static str) -> Self {
        ConversionError(Box::new(ConversionErrorInfo {
            column: None,
            index: None,
            expected,
            found,
            detail: None,
        }))
    }

    /// Adds detail (why the conversion failed).
    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.0.detail = Some(detail.into());
        self
    }

    /// Names the column the value came from.
    pub fn with_column(mut self, column: &str, index: usize) -> Self {
        self.0.column = Some(column.to_string());
        self.0.index = Some(index);
        self
    }

    /// Names the Rust type asked for (a conversion that went through a wider type's, as
    /// `isize` through `i64`).
    pub fn expecting(mut self, expected: &'static str) -> Self {
        self.0.expected = expected;
        self
    }
}
