//! `Select::join` and `Select::outerjoin`: joining a table to whichever FROM entry of the
//! statement can join it (SQLAlchemy's `Select.join` and `_join_determine_implicit_left_side`).

use crate::error::Error;
use crate::sql::from::{FromItem, Join, JoinKind, can_join};
use crate::sql::select::Select;

impl Select {
    /// Joins `right` to the FROM entry that has a foreign key to it, the ON clause inferred
    /// from that foreign key (SQLAlchemy's `select(...).join(right)`).
    ///
    /// The left side is the one entry of the FROM list ([`Select::select_from`], earlier
    /// joins) that can join `right`; with no FROM list yet, the one table of the SELECT list
    /// and WHERE clause that can. Calls chain: each joins the join built so far, asking its
    /// right-most table first (see [`FromItem::join`]).
    ///
    /// # Errors
    /// Compiling the statement fails with [`Error::InvalidRequest`] when no entry can join
    /// `right`, or more than one can (use [`Select::join_from`] to name the left side, or
    /// [`Select::join_from_on`] to give the ON clause); with
    /// [`Error::AmbiguousForeignKeys`] when the left side has several foreign keys to `right`.
    ///
    /// ```
    /// use athanor_core::prelude::*;
    /// use athanor_core::dialect::{MySql, Postgres, Sqlite};
    /// let md = MetaData::new();
    /// let customer = Table::build("customer", &md)
    ///     .column(Column::new("id", Type::Integer).primary_key())
    ///     .column(Column::new("name", Type::String(Some(40))))
    ///     .finish()?;
    /// let rental = Table::build("rental", &md)
    ///     .column(Column::new("id", Type::Integer).primary_key())
    ///     .column(Column::new("customer_id", Type::Integer)
    ///         .foreign_key(ForeignKey::new("customer.id")))
    ///     .finish()?;
    /// let payment = Table::build("payment", &md)
    ///     .column(Column::new("id", Type::Integer).primary_key())
    ///     .column(Column::new("customer_id", Type::Integer)
    ///         .foreign_key(ForeignKey::new("customer.id")))
    ///     .column(Column::new("rental_id", Type::Integer).foreign_key(ForeignKey::new("rental.id")))
    ///     .finish()?;
    /// let stmt = select(customer.c("name")).join(&rental).join(&payment);
    /// let sql = "SELECT customer.name FROM customer \
    ///     JOIN rental ON customer.id = rental.customer_id JOIN payment ON rental.id = payment.rental_id";
    /// assert_eq!(stmt.compile(&Sqlite)?.sql(), sql);
    /// assert_eq!(stmt.compile(&Postgres)?.sql(), sql);
    /// assert_eq!(stmt.compile(&MySql)?.sql(), sql);
    /// // Both customer and payment (in the SELECT list) could join rental: say which with
    /// // join_from.
    /// let two = select((customer.c("name"), payment.c("id"))).join(&rental);
    /// assert!(matches!(two.compile(&Sqlite), Err(Error::InvalidRequest(_))));
    /// # Ok::<(), athanor_core::Error>(())
    /// ```
    pub fn join(self, right: impl Into<FromItem>) -> Self {
        self.implicit_join(right.into(), JoinKind::Inner)
    }

    /// As [`Select::join`] with `LEFT OUTER JOIN`.
    ///
    /// ```
    /// use athanor_core::prelude::*;
    /// let md = MetaData::new();
    /// let dept = Table::build("dept", &md)
    ///     .column(Column::new("id", Type::Integer).primary_key())
    ///     .finish()?;
    /// let emp = Table::build("emp", &md)
    ///     .column(Column::new("id", Type::Integer).primary_key())
    ///     .column(Column::new("dept_id", Type::Integer).foreign_key(ForeignKey::new("dept.id")))
    ///     .finish()?;
    /// let stmt = select((dept.c("id"), func::count(emp.c("id")))).select_from(&dept)
    ///     .outerjoin(&emp).group_by(dept.c("id"));
    /// assert_eq!(stmt.to_string(),
    ///     "SELECT dept.id, count(emp.id) AS count_1 FROM dept LEFT OUTER JOIN emp ON dept.id = emp.dept_id GROUP BY dept.id");
    /// # Ok::<(), athanor_core::Error>(())
    /// ```
    pub fn outerjoin(self, right: impl Into<FromItem>) -> Self {
        self.implicit_join(right.into(), JoinKind::Left)
    }

    fn implicit_join(mut self, right: FromItem, kind: JoinKind) -> Self {
        let explicit = !self.from.is_empty();
        let candidates: Vec<FromItem> = if explicit {
            self.from.clone()
        } else {
            let mut found = Vec::new();
            let exprs = self.columns.iter().chain(self.where_.as_ref());
            for e in exprs {
                crate::compiler::collect_froms(e, &mut found);
            }
            found.into_iter().cloned().collect()
        };
        let able: Vec<usize> = candidates
            .iter()
            .enumerate()
            .filter(|(_, f)| !f.same_as(&right) && can_join(f, &right))
            .map(|(i, _)| i)
            .collect();
        let from = &mut self.edit().from;
        match able.as_slice() {
            [i] => {
                let joined = Join::inferred(candidates[*i].clone(), right, kind);
                if explicit {
                    from[*i] = joined;
                } else {
                    from.push(joined);
                }
            }
            [] => from.push(Join::failed(
                right.clone(),
                right.clone(),
                kind,
                Error::InvalidRequest(format!(
                    "don't know how to join to '{}': no table of the FROM list ({}) has a \
                     foreign key to or from it; use join_from() to name the left side, or \
                     join_from_on() to give the ON clause",
                    right.describe(),
                    describe_all(&candidates),
                )),
            )),
            many => {
                let which: Vec<FromItem> = many.iter().map(|i| candidates[*i].clone()).collect();
                from.push(Join::failed(
                    right.clone(),
                    right.clone(),
                    kind,
                    Error::InvalidRequest(format!(
                        "can't determine which FROM entry to join '{}' from: {} can all join \
                         it; use join_from() to name the left side, or join_from_on() to give \
                         the ON clause",
                        right.describe(),
                        describe_all(&which),
                    )),
                ))
            }
        }
        self
    }
}

fn describe_all(items: &[FromItem]) -> String {
    let names: Vec<String> = items.iter().map(FromItem::describe).collect();
    if names.is_empty() {
        "empty".into()
    } else {
        names.join(", ")
    }
}
