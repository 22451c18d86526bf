//! [`SelectBase`]: a SELECT or a compound of SELECTs, and the names of its result columns.

use crate::sql::expr::Expr;
use crate::sql::select::{CompoundSelect, Select};
use crate::types::Type;

/// A SELECT or a compound of SELECTs: anything that returns rows.
#[derive(Debug, Clone)]
pub enum SelectBase {
    /// A plain SELECT.
    Select(Box<Select>),
    /// A set operation.
    Compound(Box<CompoundSelect>),
}

/// Part of a statement's cache key: a subquery shared through an `Arc` (used twice through a
/// clone) keys apart from two equal subqueries, as the value walk tells them apart (see
/// [`cache_key`](crate::compiler::cache_key)).
impl std::hash::Hash for SelectBase {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        let addr = self as *const SelectBase as usize;
        crate::sql::identity::hash_shared(addr, state, |state| match self {
            SelectBase::Select(s) => {
                state.write_u8(0);
                s.hash(state);
            }
            SelectBase::Compound(c) => {
                state.write_u8(1);
                c.hash(state);
            }
        });
    }
}

impl From<Select> for SelectBase {
    fn from(s: Select) -> Self {
        SelectBase::Select(Box::new(s))
    }
}
impl From<CompoundSelect> for SelectBase {
    fn from(s: CompoundSelect) -> Self {
        SelectBase::Compound(Box::new(s))
    }
}

impl SelectBase {
    /// The first plain SELECT (the one whose columns name a compound's result).
    pub fn first_select(&self) -> &Select {
        match self {
            SelectBase::Select(s) => s,
            SelectBase::Compound(c) => match c.selects.first() {
                Some(s) => s.first_select(),
                None => {
                    static EMPTY: std::sync::OnceLock<Select> = std::sync::OnceLock::new();
                    EMPTY.get_or_init(Select::default)
                }
            },
        }
    }

    /// The names of the result's columns as a subquery's or CTE's columns: labels, column
    /// names, `count_1`, `max_1`, ... for unlabeled functions, `anon_N` for other expressions;
    /// a name an earlier column took gets `_1`, `_2`, ... (SQLAlchemy's subquery columns).
    ///
    /// ```
    /// use athanor_core::prelude::*;
    /// let md = MetaData::new();
    /// let film = Table::build("film", &md)
    ///     .column(Column::new("film_id", Type::Integer).primary_key())
    ///     .finish()?;
    /// let rental = Table::build("rental", &md)
    ///     .column(Column::new("film_id", Type::Integer).foreign_key(ForeignKey::new("film.film_id")))
    ///     .finish()?;
    /// let both = select((film.c("film_id"), rental.c("film_id"), func::count_star()))
    ///     .join_from(&film, &rental)
    ///     .group_by((film.c("film_id"), rental.c("film_id")));
    /// let sq = both.clone().subquery("sq");
    /// assert_eq!(
    ///     select(&sq).to_string(),
    ///     "SELECT sq.film_id, sq.film_id_1, sq.count_1 FROM (SELECT film.film_id, \
    ///      rental.film_id AS film_id_1, count(*) AS count_1 FROM film JOIN rental \
    ///      ON film.film_id = rental.film_id GROUP BY film.film_id, rental.film_id) AS sq"
    /// );
    /// # Ok::<(), athanor_core::Error>(())
    /// ```
    pub fn output_names(&self) -> Vec<String> {
        let columns = &self.first_select().columns;
        dedupe_names(columns, &crate::compiler::result_names(columns))
    }

    /// The type of an output column by name.
    pub fn output_column(&self, name: &str) -> Option<Type> {
        let names = self.output_names();
        let pos = names.iter().position(|n| n == name)?;
        self.first_select().columns.get(pos).map(Expr::sql_type)
    }
}

/// The distinct names of a subquery's or CTE's columns: each column's result name (its
/// label, its column name, or the generated name in `generated`), a name an earlier column
/// took getting the first free `_1`, `_2`, ... suffix.
pub(crate) fn dedupe_names(columns: &[Expr], generated: &[Option<String>]) -> Vec<String> {
    let base: Vec<String> = columns
        .iter()
        .zip(generated)
        .map(|(c, g)| match (c.result_name(), g) {
            (Some(n), _) => n.to_string(),
            (None, Some(g)) => g.clone(),
            (None, None) => "*".to_string(),
        })
        .collect();
    let mut out: Vec<String> = Vec::with_capacity(base.len());
    for name in &base {
        let taken = |n: &str, out: &[String]| out.iter().any(|o| o == n);
        if name == "*" || !taken(name, &out) {
            out.push(name.clone());
            continue;
        }
        let mut k = 1;
        let fresh = loop {
            let candidate = format!("{name}_{k}");
            if !taken(&candidate, &out) && !base.contains(&candidate) {
                break candidate;
            }
            k += 1;
        };
        out.push(fresh);
    }
    out
}
