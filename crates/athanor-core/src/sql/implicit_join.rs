//! `Select::join`, `outerjoin`, `full_outerjoin` and their `_on` forms: joining a table to
//! whichever FROM entry of the statement can join it (SQLAlchemy's `Select.join` and
//! `_join_determine_implicit_left_side`).

use crate::error::Error;
use crate::sql::expr::Expr;
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
        self.implicit_join(right.into(), None, JoinKind::Inner)
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
        self.implicit_join(right.into(), None, JoinKind::Left)
    }

    /// Joins `right` ON `on` to the FROM entry the ON clause refers to (SQLAlchemy's
    /// `select(...).join(right, onclause)`).
    ///
    /// The left side is found as [`Select::join`] finds it, among the FROM list (or, with no
    /// FROM list yet, the tables of the SELECT list and WHERE clause), except that the ON
    /// clause decides instead of foreign keys: with one candidate, that one; with several,
    /// the one whose columns, with `right`'s, hold every column of the ON clause
    /// (SQLAlchemy's `find_left_clause_to_join_from`). Entries that aren't the left side stay
    /// in the FROM list, after the join.
    ///
    /// # Errors
    /// Compiling the statement fails with [`Error::InvalidRequest`] when there is nothing to
    /// join from, or several candidates fit the ON clause; name the left side with
    /// [`Select::join_from_on`].
    ///
    /// ```
    /// use athanor_core::prelude::*;
    /// use athanor_core::dialect::{MySql, Postgres, Sqlite};
    /// let md = MetaData::new();
    /// let dept = Table::build("dept", &md)
    ///     .column(Column::new("id", Type::Integer).primary_key())
    ///     .column(Column::new("name", Type::String(Some(40))))
    ///     .finish()?;
    /// let emp = Table::build("emp", &md)
    ///     .column(Column::new("id", Type::Integer).primary_key())
    ///     .column(Column::new("dept_id", Type::Integer))
    ///     .column(Column::new("boss_id", Type::Integer))
    ///     .finish()?;
    /// let boss = emp.alias("boss");
    /// // No foreign keys: the ON clause names emp, so emp is the left side; dept stays.
    /// let stmt = select((dept.c("name"), emp.c("id"), boss.c("id")))
    ///     .join_on(&boss, emp.c("boss_id").eq(boss.c("id")))
    ///     .filter(emp.c("dept_id").eq(dept.c("id")));
    /// let sql = "SELECT dept.name, emp.id, boss.id FROM emp JOIN emp AS boss ON emp.boss_id = boss.id, dept \
    ///     WHERE emp.dept_id = dept.id";
    /// assert_eq!(stmt.compile(&Sqlite)?.sql(), sql);
    /// assert_eq!(stmt.compile(&Postgres)?.sql(), sql);
    /// assert_eq!(stmt.compile(&MySql)?.sql(), sql);
    /// # Ok::<(), athanor_core::Error>(())
    /// ```
    pub fn join_on(self, right: impl Into<FromItem>, on: impl Into<Expr>) -> Self {
        self.implicit_join(right.into(), Some(on.into()), JoinKind::Inner)
    }

    /// As [`Select::join_on`] with `LEFT OUTER JOIN` (SQLAlchemy's
    /// `select(...).outerjoin(right, onclause)`).
    ///
    /// ```
    /// use athanor_core::prelude::*;
    /// let md = MetaData::new();
    /// let dept = Table::build("dept", &md)
    ///     .column(Column::new("id", Type::Integer).primary_key())
    ///     .finish()?;
    /// let emp = Table::build("emp", &md)
    ///     .column(Column::new("dept_id", Type::Integer))
    ///     .finish()?;
    /// let stmt = select(dept.c("id")).outerjoin_on(&emp, emp.c("dept_id").eq(dept.c("id")));
    /// assert_eq!(stmt.to_string(),
    ///     "SELECT dept.id FROM dept LEFT OUTER JOIN emp ON emp.dept_id = dept.id");
    /// # Ok::<(), athanor_core::Error>(())
    /// ```
    pub fn outerjoin_on(self, right: impl Into<FromItem>, on: impl Into<Expr>) -> Self {
        self.implicit_join(right.into(), Some(on.into()), JoinKind::Left)
    }

    /// As [`Select::join`] with `FULL OUTER JOIN` (SQLAlchemy's `outerjoin(right,
    /// full=True)`). MySQL has no FULL OUTER JOIN: compiling for it fails with
    /// `CompileError::Unsupported`.
    ///
    /// ```
    /// use athanor_core::prelude::*;
    /// use athanor_core::dialect::{MySql, Postgres};
    /// let md = MetaData::new();
    /// let dept = Table::build("dept", &md)
    ///     .column(Column::new("id", Type::Integer).primary_key())
    ///     .finish()?;
    /// let emp = Table::build("emp", &md)
    ///     .column(Column::new("id", Type::Integer).primary_key())
    ///     .column(Column::new("dept_id", Type::Integer).foreign_key(ForeignKey::new("dept.id")))
    ///     .finish()?;
    /// let stmt = select((dept.c("id"), emp.c("id"))).select_from(&dept).full_outerjoin(&emp);
    /// assert_eq!(stmt.compile(&Postgres)?.sql(),
    ///     "SELECT dept.id, emp.id FROM dept FULL OUTER JOIN emp ON dept.id = emp.dept_id");
    /// assert!(stmt.compile(&MySql).is_err());
    /// # Ok::<(), athanor_core::Error>(())
    /// ```
    pub fn full_outerjoin(self, right: impl Into<FromItem>) -> Self {
        self.implicit_join(right.into(), None, JoinKind::Full)
    }

    /// As [`Select::join_on`] with `FULL OUTER JOIN` (SQLAlchemy's `outerjoin(right,
    /// onclause, full=True)`); not on MySQL.
    ///
    /// ```
    /// use athanor_core::prelude::*;
    /// let md = MetaData::new();
    /// let l = Table::build("l", &md).column(Column::new("k", Type::Integer)).finish()?;
    /// let r = Table::build("r", &md).column(Column::new("k", Type::Integer)).finish()?;
    /// let stmt = select((l.c("k"), r.c("k").label("rk"))).select_from(&l)
    ///     .full_outerjoin_on(&r, l.c("k").eq(r.c("k")));
    /// assert_eq!(stmt.to_string(),
    ///     "SELECT l.k, r.k AS rk FROM l FULL OUTER JOIN r ON l.k = r.k");
    /// # Ok::<(), athanor_core::Error>(())
    /// ```
    pub fn full_outerjoin_on(self, right: impl Into<FromItem>, on: impl Into<Expr>) -> Self {
        self.implicit_join(right.into(), Some(on.into()), JoinKind::Full)
    }

    fn implicit_join(mut self, right: FromItem, on: Option<Expr>, kind: JoinKind) -> Self {
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
        let able = match &on {
            None => candidates
                .iter()
                .enumerate()
                .filter(|(_, f)| !f.same_as(&right) && can_join(f, &right))
                .map(|(i, _)| i)
                .collect(),
            Some(on) => left_sides_for(&candidates, &right, on),
        };
        let from = &mut self.edit().from;
        match able.as_slice() {
            [i] => {
                let left = candidates[*i].clone();
                let joined = match on {
                    Some(on) => Join::with_on(left, right, on, kind),
                    None => Join::inferred(left, right, kind),
                };
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
                    "don't know how to join to '{}': {} (it has {}); use join_from() to name \
                     the left side, or join_from_on() to give the ON clause too",
                    right.describe(),
                    if on.is_some() {
                        "there is no FROM entry to join it to"
                    } else {
                        "no table of the FROM list has a foreign key to or from it"
                    },
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
                         it{}; use join_from() to name the left side, or join_from_on() to give \
                         the ON clause too",
                        right.describe(),
                        describe_all(&which),
                        if on.is_some() {
                            " (the ON clause names none of them alone)"
                        } else {
                            ""
                        },
                    )),
                ))
            }
        }
        self
    }
}

/// The candidates that can be the left side of `JOIN right ON on` (SQLAlchemy's
/// `find_left_clause_to_join_from` with an ON clause): with one candidate, it; with several,
/// those whose columns and `right`'s hold every column `on` names; when none does, all of
/// them (so more than one is an error, not a guess).
fn left_sides_for(candidates: &[FromItem], right: &FromItem, on: &Expr) -> Vec<usize> {
    let all = || (0..candidates.len()).collect::<Vec<usize>>();
    if candidates.len() < 2 {
        return all();
    }
    let mut named = Vec::new();
    crate::compiler::collect_froms(on, &mut named);
    let fit: Vec<usize> = candidates
        .iter()
        .enumerate()
        .filter(|(_, f)| !f.same_as(right) && named.iter().all(|n| f.covers(n) || right.covers(n)))
        .map(|(i, _)| i)
        .collect();
    if fit.is_empty() { all() } else { fit }
}

fn describe_all(items: &[FromItem]) -> String {
    let names: Vec<String> = items.iter().map(FromItem::describe).collect();
    if names.is_empty() {
        "empty".into()
    } else {
        names.join(", ")
    }
}
