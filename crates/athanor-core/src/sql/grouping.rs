//! [`IntoGroupBy`]: what `group_by` accepts — expressions, tables, and names of labels or
//! columns (SQLAlchemy's `group_by("name")`).

use std::sync::Arc;

use crate::schema::Table;
use crate::sql::expr::{Case, Expr};
use crate::sql::from::{Alias, Cte};
use crate::sql::select::IntoColumns;

/// What [`Select::group_by`](crate::sql::Select::group_by) accepts: an expression; a table,
/// alias or CTE (all its columns); a string, naming a label or column of the statement
/// (SQLAlchemy's `group_by("name")`, never a bound value); or several of those at once, in a
/// tuple, an array or a `Vec`.
///
/// A name is resolved when the statement is compiled, as a name in ORDER BY is (see
/// [`IntoOrderBy`](crate::sql::IntoOrderBy)): first the SELECT's labels, then its selected
/// columns, then the columns of its FROM list. A label is grouped by its name, except where
/// the name is also a column of the FROM list (PostgreSQL would group by that column): then
/// by the labelled expression. A name that matches nothing, or a column of several FROM
/// entries, is an [`Error::Compile`](crate::Error::Compile) naming it.
///
/// ```
/// use athanor_core::prelude::*;
/// use athanor_core::dialect::{MySql, Postgres, Sqlite};
/// let md = MetaData::new();
/// let emp = Table::build("emp", &md)
///     .column(Column::new("dept_id", Type::Integer))
///     .column(Column::new("salary", Type::Integer))
///     .finish()?;
/// let stmt = select((emp.c("dept_id").label("dept"), func::sum(emp.c("salary")).label("total")))
///     .group_by("dept")
///     .having(func::sum(emp.c("salary")).gt(100))
///     .order_by(desc("total"));
/// assert_eq!(stmt.compile(&Sqlite)?.sql(),
///     "SELECT emp.dept_id AS dept, sum(emp.salary) AS total FROM emp GROUP BY dept \
///      HAVING sum(emp.salary) > ? ORDER BY total DESC");
/// assert_eq!(stmt.compile(&Postgres)?.sql(),
///     "SELECT emp.dept_id AS dept, sum(emp.salary) AS total FROM emp GROUP BY dept \
///      HAVING sum(emp.salary) > $1 ORDER BY total DESC");
/// assert_eq!(stmt.compile(&MySql)?.sql(),
///     "SELECT emp.dept_id AS dept, sum(emp.salary) AS total FROM emp GROUP BY dept \
///      HAVING sum(emp.salary) > ? ORDER BY total DESC");
/// // A name of nothing in the statement is an error when it compiles.
/// let bad = select(emp.c("dept_id")).group_by("dept");
/// assert!(matches!(bad.compile(&Sqlite), Err(Error::Compile(_))));
/// # Ok::<(), athanor_core::Error>(())
/// ```
pub trait IntoGroupBy {
    /// Appends the GROUP BY items.
    fn into_group_by(self, out: &mut Vec<Expr>);
}

impl IntoGroupBy for Expr {
    fn into_group_by(self, out: &mut Vec<Expr>) {
        out.push(self);
    }
}
impl IntoGroupBy for &Expr {
    fn into_group_by(self, out: &mut Vec<Expr>) {
        out.push(self.clone());
    }
}
impl IntoGroupBy for Case {
    fn into_group_by(self, out: &mut Vec<Expr>) {
        out.push(self.end());
    }
}
impl IntoGroupBy for &str {
    fn into_group_by(self, out: &mut Vec<Expr>) {
        out.push(Expr::LabelRef(Arc::from(self)));
    }
}
impl IntoGroupBy for String {
    fn into_group_by(self, out: &mut Vec<Expr>) {
        self.as_str().into_group_by(out);
    }
}
impl IntoGroupBy for &String {
    fn into_group_by(self, out: &mut Vec<Expr>) {
        self.as_str().into_group_by(out);
    }
}
macro_rules! columns_group_by {
    ($($t:ty),+) => {
        $(impl IntoGroupBy for $t {
            fn into_group_by(self, out: &mut Vec<Expr>) {
                self.into_columns(out);
            }
        })+
    };
}
columns_group_by!(&Table, Table, &Alias, &Cte);
impl<T: IntoGroupBy> IntoGroupBy for Vec<T> {
    fn into_group_by(self, out: &mut Vec<Expr>) {
        for t in self {
            t.into_group_by(out);
        }
    }
}
impl<T: IntoGroupBy, const N: usize> IntoGroupBy for [T; N] {
    fn into_group_by(self, out: &mut Vec<Expr>) {
        for t in self {
            t.into_group_by(out);
        }
    }
}
macro_rules! tuple_group_by {
    ($($name:ident),+) => {
        impl<$($name: IntoGroupBy),+> IntoGroupBy for ($($name,)+) {
            #[allow(non_snake_case)]
            fn into_group_by(self, out: &mut Vec<Expr>) {
                let ($($name,)+) = self;
                $($name.into_group_by(out);)+
            }
        }
    };
}
tuple_group_by!(A);
tuple_group_by!(A, B);
tuple_group_by!(A, B, C);
tuple_group_by!(A, B, C, D);
tuple_group_by!(A, B, C, D, E);
tuple_group_by!(A, B, C, D, E, F);
tuple_group_by!(A, B, C, D, E, F, G);
tuple_group_by!(A, B, C, D, E, F, G, H);
tuple_group_by!(A, B, C, D, E, F, G, H, I);
tuple_group_by!(A, B, C, D, E, F, G, H, I, J);
tuple_group_by!(A, B, C, D, E, F, G, H, I, J, K);
tuple_group_by!(A, B, C, D, E, F, G, H, I, J, K, L);
