//! Placeholder reuse: an expression of the SELECT list repeated in GROUP BY, HAVING or ORDER
//! BY binds the SELECT list's placeholders again.
//!
//! PostgreSQL decides that `GROUP BY film.release_year - $2` groups the SELECT list's
//! `film.release_year - $1` only when the parameters are the same, so
//! `select(year - 2000).group_by(year - 2000)` failed there ("column must appear in the GROUP
//! BY clause"), where SQLAlchemy's client-side binding sends the same text twice. The
//! compiler notes, for each value rendered inside such a repeated expression, the SELECT
//! list's value it corresponds to ([`Compiled`](super::Compiled)'s `same` pairs). The match
//! is by structure, so the cached shape doesn't depend on the values; at execution, where
//! placeholders are numbered (`$1`) and the two values are equal, the later one reuses the
//! earlier placeholder. Different values keep their own placeholders, and `?` dialects
//! (SQLite, MySQL), which compare the expressions' text, are unchanged.
//!
//! ```
//! use athanor_core::prelude::*;
//! use athanor_core::dialect::{Postgres, Sqlite};
//! let md = MetaData::new();
//! let film = Table::build("film", &md)
//!     .column(Column::new("release_year", Type::Integer))
//!     .finish()?;
//! let decade = || film.c("release_year") - 2000;
//! let stmt = select((decade().label("d"), func::count_star()))
//!     .group_by(decade())
//!     .order_by(decade());
//! assert_eq!(
//!     stmt.compile(&Postgres)?.sql(),
//!     "SELECT film.release_year - $1 AS d, count(*) AS count_1 FROM film \
//!      GROUP BY film.release_year - $1 ORDER BY film.release_year - $1"
//! );
//! assert_eq!(stmt.compile(&Postgres)?.params(), [Value::Int(2000)]);
//! assert_eq!(
//!     stmt.compile(&Sqlite)?.sql(),
//!     "SELECT film.release_year - ? AS d, count(*) AS count_1 FROM film \
//!      GROUP BY film.release_year - ? ORDER BY film.release_year - ?"
//! );
//! # Ok::<(), athanor_core::Error>(())
//! ```

use std::hash::{DefaultHasher, Hash, Hasher};

use super::{Compiler, Slot};
use crate::error::Result;
use crate::sql::Expr;
use crate::sql::visit::BindRef;

/// What the compiler knows about reusable placeholders in the SELECT being rendered.
#[derive(Debug, Default)]
pub(crate) struct ReuseState {
    /// (structure hash, first slot, slot count) of each SELECT-list column holding values.
    columns: Vec<(u64, usize, usize)>,
    /// True while GROUP BY, HAVING and ORDER BY render.
    phase: bool,
    /// The column being repeated: (first slot, slot count, values rendered so far).
    active: Option<(usize, usize, usize)>,
}

impl ReuseState {
    /// The SELECT-list slot the next rendered value corresponds to, in reuse mode.
    pub(crate) fn next_slot(&mut self) -> Option<usize> {
        let (start, len, cursor) = self.active.as_mut()?;
        if *cursor >= *len {
            return None;
        }
        let of = *start + *cursor;
        *cursor += 1;
        Some(of)
    }
}

/// A hash of an expression's structure (values by kind, as the cache key sees them).
fn shape_hash(e: &Expr) -> u64 {
    let mut h = DefaultHasher::new();
    e.hash(&mut h);
    h.finish()
}

fn unlabeled(e: &Expr) -> &Expr {
    match e {
        Expr::Label(_, inner) => inner,
        e => e,
    }
}

impl<'a> Compiler<'a> {
    /// Renders an expression (a repeat of a SELECT-list column reuses its placeholders; see
    /// the module docs).
    ///
    /// # Errors
    /// When the expression can't be rendered on this dialect.
    pub fn expr(&mut self, e: &'a Expr) -> Result<()> {
        if self.reuse.phase
            && self.reuse.active.is_none()
            && !self.reuse.columns.is_empty()
            && !matches!(e, Expr::Column(_) | Expr::Label(..))
        {
            let h = shape_hash(e);
            if let Some(&(_, start, len)) = self.reuse.columns.iter().find(|(k, ..)| *k == h) {
                self.reuse.active = Some((start, len, 0));
                let r = self.expr_node(e);
                self.reuse.active = None;
                return r;
            }
        }
        self.expr_node(e)
    }

    /// Starts a SELECT: its own reuse state; returns the enclosing one for [`Self::leave_select`].
    pub(crate) fn enter_select(&mut self) -> ReuseState {
        std::mem::take(&mut self.reuse)
    }

    /// Ends a SELECT, restoring the enclosing one's reuse state.
    pub(crate) fn leave_select(&mut self, saved: ReuseState) {
        self.reuse = saved;
    }

    /// Notes a SELECT-list column rendered into slots `first..` (now), if it holds values
    /// and nothing else.
    pub(crate) fn note_column(&mut self, column: &Expr, first: usize) {
        let slots = &self.slots[first.min(self.slots.len())..];
        if slots.is_empty()
            || !slots
                .iter()
                .all(|(_, s)| matches!(s, Slot::Bind(BindRef::One(_))))
        {
            return;
        }
        let len = slots.len();
        self.reuse
            .columns
            .push((shape_hash(unlabeled(column)), first, len));
    }

    /// Marks the clauses that may repeat SELECT-list expressions (GROUP BY, HAVING,
    /// ORDER BY).
    pub(crate) fn reuse_phase(&mut self, on: bool) {
        self.reuse.phase = on;
    }
}
