//! [`ResultColumns`]: the column names of a statement's result rows, shared by every row of
//! every result of one compiled shape.

use std::sync::{Arc, OnceLock};

/// The column names of a result, in order. Results and their rows share one (`Arc`); a
/// compiled shape remembers the names its first execution reported
/// ([`Compiled::result_columns`](super::Compiled::result_columns)), so later executions don't
/// read and allocate them again.
///
/// ```
/// use athanor_core::compiler::ResultColumns;
/// let cols = ResultColumns::new(vec!["id".into(), "name".into()]);
/// assert_eq!(cols.position("name"), Some(1));
/// assert_eq!(cols.names(), ["id", "name"]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ResultColumns {
    names: Vec<String>,
}

impl ResultColumns {
    /// Columns with these names.
    pub fn new(names: Vec<String>) -> Self {
        ResultColumns { names }
    }

    /// The names in order.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The number of columns.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// True when there are no columns.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The position of the first column with this name.
    pub fn position(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n == name)
    }
}

/// A shape's remembered result columns: set once, by the first execution that reports them.
#[derive(Debug, Default)]
pub(super) struct ColumnsMemo(OnceLock<Arc<ResultColumns>>);

impl Clone for ColumnsMemo {
    fn clone(&self) -> Self {
        // A clone is a new shape for the cache's purposes: it learns its names again.
        ColumnsMemo::default()
    }
}

impl ColumnsMemo {
    pub(super) fn get(&self) -> Option<&Arc<ResultColumns>> {
        self.0.get()
    }

    pub(super) fn set(&self, columns: Arc<ResultColumns>) {
        let _ = self.0.set(columns);
    }
}
