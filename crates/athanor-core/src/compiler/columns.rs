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
/// // Two columns named `id`: the name alone doesn't say which.
/// let twice = ResultColumns::new(vec!["id".into(), "id".into()]);
/// assert_eq!(twice.lookup("id"), Err(vec![0, 1]));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ResultColumns {
    names: Vec<String>,
    /// Per column: whether another column has the same name (computed once per shape).
    shared: Vec<bool>,
}

impl ResultColumns {
    /// Columns with these names.
    pub fn new(names: Vec<String>) -> Self {
        let mut shared = vec![false; names.len()];
        for (i, n) in names.iter().enumerate() {
            if let Some(j) = names[i + 1..].iter().position(|m| m == n) {
                shared[i] = true;
                shared[i + 1 + j] = true;
            }
        }
        ResultColumns { names, shared }
    }

    /// The position of the column with this name: `Ok(None)` when there is none, and
    /// `Err(positions)` when several columns have it (SQLAlchemy's "ambiguous column name").
    ///
    /// # Errors
    /// The positions of every column with the name, when there is more than one.
    pub fn lookup(&self, name: &str) -> Result<Option<usize>, Vec<usize>> {
        match self.position(name) {
            Some(i) if self.shared.get(i).copied().unwrap_or(false) => Err(self
                .names
                .iter()
                .enumerate()
                .filter(|(_, n)| *n == name)
                .map(|(i, _)| i)
                .collect()),
            found => Ok(found),
        }
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

    /// The position of the first column with this name (see [`ResultColumns::lookup`], which
    /// refuses a name several columns share).
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
