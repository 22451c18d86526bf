//! Window specifications: `OVER (PARTITION BY ... ORDER BY ... frame)`.

use super::{Expr, IntoOrderBy, Ordering};

/// The frame of a window function (`ROWS BETWEEN ...`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Frame {
    /// `ROWS` (true) or `RANGE` (false).
    pub rows: bool,
    /// Start: `None` = UNBOUNDED PRECEDING; `Some(n)`: n PRECEDING (negative) / CURRENT ROW (0)
    /// / n FOLLOWING (positive).
    pub start: Option<i64>,
    /// End: `None` = UNBOUNDED FOLLOWING; as `start` otherwise.
    pub end: Option<i64>,
}

/// A window specification: `OVER (PARTITION BY ... ORDER BY ... frame)`.
#[derive(Debug, Clone, Hash, Default)]
pub struct Window {
    /// `PARTITION BY` expressions.
    pub partition_by: Vec<Expr>,
    /// `ORDER BY` items.
    pub order_by: Vec<Ordering>,
    /// The frame.
    pub frame: Option<Frame>,
}

impl Window {
    /// An empty window: `OVER ()`.
    pub fn new() -> Self {
        Self::default()
    }
    /// Adds `PARTITION BY` expressions.
    pub fn partition_by(mut self, e: impl Into<Expr>) -> Self {
        self.partition_by.push(e.into());
        self
    }
    /// Adds `ORDER BY` items: expressions, orderings, or the names of columns of the FROM
    /// list (see [`IntoOrderBy`]).
    pub fn order_by(mut self, o: impl IntoOrderBy) -> Self {
        o.into_order_by(&mut self.order_by);
        self
    }
    /// `ROWS BETWEEN start AND end` (see [`Frame`]).
    pub fn rows(mut self, start: Option<i64>, end: Option<i64>) -> Self {
        self.frame = Some(Frame {
            rows: true,
            start,
            end,
        });
        self
    }
    /// `RANGE BETWEEN start AND end` (see [`Frame`]).
    pub fn range(mut self, start: Option<i64>, end: Option<i64>) -> Self {
        self.frame = Some(Frame {
            rows: false,
            start,
            end,
        });
        self
    }
}
