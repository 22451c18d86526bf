//! Window specifications: `OVER (PARTITION BY ... ORDER BY ... frame)`.

use super::{Expr, IntoOrderBy, Ordering};
use crate::types::Value;

/// One end of a window frame given by value ([`Window::range_between`],
/// [`Window::rows_between`]): SQLAlchemy's `FrameClause` bound.
#[derive(Debug, Clone, PartialEq, Hash)]
pub enum FrameBound {
    /// `UNBOUNDED PRECEDING` (as a start) / `UNBOUNDED FOLLOWING` (as an end).
    Unbounded,
    /// `value PRECEDING`: a number, or for a RANGE over dates an interval.
    Preceding(Value),
    /// `CURRENT ROW`.
    CurrentRow,
    /// `value FOLLOWING`.
    Following(Value),
}

/// A frame whose bounds are values ([`FrameBound`]), written into the SQL as literals.
#[derive(Debug, Clone, PartialEq, Hash)]
pub struct ValueFrame {
    /// `ROWS` (true) or `RANGE` (false).
    pub rows: bool,
    /// The start.
    pub start: FrameBound,
    /// The end.
    pub end: FrameBound,
}

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
    /// A frame with bounds given as values (`RANGE BETWEEN 1.25 PRECEDING AND ...`); it
    /// replaces `frame`.
    pub value_frame: Option<Box<ValueFrame>>,
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
        self.value_frame = None;
        self.frame = Some(Frame {
            rows: true,
            start,
            end,
        });
        self
    }
    /// `RANGE BETWEEN start AND end` (see [`Frame`]).
    pub fn range(mut self, start: Option<i64>, end: Option<i64>) -> Self {
        self.value_frame = None;
        self.frame = Some(Frame {
            rows: false,
            start,
            end,
        });
        self
    }
    /// `RANGE BETWEEN start AND end` with bounds of any value the ORDER BY takes: a
    /// fraction over a float column, an interval over dates (PostgreSQL), as SQLAlchemy's
    /// `FrameClause`. The values are written into the SQL as literals.
    ///
    /// ```
    /// use athanor_core::prelude::*;
    /// use athanor_core::sql::FrameBound;
    /// use athanor_core::types::Interval;
    /// use athanor_core::dialect::Postgres;
    /// let w = Window::new().order_by(column("x"))
    ///     .range_between(FrameBound::Preceding(1.25.into()), FrameBound::Following(1.25.into()));
    /// assert_eq!(select(func::max(column("x")).over(w)).to_string(),
    ///     "SELECT max(x) OVER (ORDER BY x RANGE BETWEEN 1.25 PRECEDING AND 1.25 FOLLOWING) AS anon_1");
    /// let week = Value::Interval(Interval { months: 0, days: 7, microseconds: 0 });
    /// let w = Window::new().order_by(column("d"))
    ///     .range_between(FrameBound::Preceding(week), FrameBound::CurrentRow);
    /// assert_eq!(select(func::sum(column("v")).over(w)).compile(&Postgres)?.sql(),
    ///     "SELECT sum(v) OVER (ORDER BY d RANGE BETWEEN INTERVAL '0 months 7 days 0 microseconds' PRECEDING AND CURRENT ROW) AS anon_1");
    /// # Ok::<(), athanor_core::Error>(())
    /// ```
    pub fn range_between(mut self, start: FrameBound, end: FrameBound) -> Self {
        self.frame = None;
        self.value_frame = Some(Box::new(ValueFrame {
            rows: false,
            start,
            end,
        }));
        self
    }
    /// `ROWS BETWEEN start AND end` with bounds given as values, as
    /// [`Window::range_between`].
    pub fn rows_between(mut self, start: FrameBound, end: FrameBound) -> Self {
        self.frame = None;
        self.value_frame = Some(Box::new(ValueFrame {
            rows: true,
            start,
            end,
        }));
        self
    }
}
