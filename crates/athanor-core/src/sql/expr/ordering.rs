//! ORDER BY items: [`Ordering`] (an expression, its direction, its NULL placement),
//! [`asc`] / [`desc`], and [`IntoOrderBy`], what `order_by` accepts (expressions, names of
//! labels or columns, several at once).

use std::sync::Arc;

use super::{Case, Expr};

/// Sort direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// `ASC`
    Asc,
    /// `DESC`
    Desc,
}

/// NULL placement in an ordering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Nulls {
    /// `NULLS FIRST`
    First,
    /// `NULLS LAST`
    Last,
}

/// An ORDER BY item: an expression, its direction and NULL placement.
///
/// ```
/// use athanor_core::prelude::*;
/// let o = desc("# of albums");           // by label name
/// let p = column("x").asc().nulls_last();
/// # let _ = (o, p);
/// ```
#[derive(Debug, Clone, Hash)]
pub struct Ordering {
    /// What to order by.
    pub expr: Expr,
    /// `ASC`/`DESC`; `None` renders no keyword.
    pub direction: Option<Direction>,
    /// `NULLS FIRST/LAST`.
    pub nulls: Option<Nulls>,
}

impl Ordering {
    /// `NULLS FIRST`.
    pub fn nulls_first(mut self) -> Self {
        self.nulls = Some(Nulls::First);
        self
    }
    /// `NULLS LAST`.
    pub fn nulls_last(mut self) -> Self {
        self.nulls = Some(Nulls::Last);
        self
    }
}

impl<T: Into<Expr>> From<T> for Ordering {
    fn from(e: T) -> Self {
        Ordering {
            expr: e.into(),
            direction: None,
            nulls: None,
        }
    }
}

/// What `order_by` accepts (on [`Select`](crate::sql::Select),
/// [`CompoundSelect`](crate::sql::CompoundSelect) and [`Window`](super::Window)): an expression or an
/// [`Ordering`]; a string, naming a label or column of the statement (SQLAlchemy's
/// `order_by("name")`, never a bound value); or several of those at once, in a tuple, an
/// array or a `Vec` (SQLAlchemy's `order_by(a, b)`).
///
/// A name is resolved when the statement is compiled: first the SELECT's labels, then its
/// selected columns, then the columns of its FROM list (a UNION's result columns, for a
/// compound; the FROM list's columns, in a window). A name that matches none of them is an
/// [`Error::Compile`](crate::Error::Compile) naming it.
///
/// ```
/// use athanor_core::prelude::*;
/// let md = MetaData::new();
/// let users = Table::build("users", &md)
///     .column(Column::new("id", Type::Integer))
///     .column(Column::new("name", Type::String(Some(50))))
///     .finish()?;
/// let stmt = select((users.c("name"), func::count_star().label("n")))
///     .group_by(users.c("name"))
///     .order_by((desc("n"), "name"));
/// assert_eq!(stmt.to_string(),
///     "SELECT users.name, count(*) AS n FROM users GROUP BY users.name ORDER BY n DESC, users.name");
/// # Ok::<(), athanor_core::Error>(())
/// ```
pub trait IntoOrderBy {
    /// Appends the ORDER BY items.
    fn into_order_by(self, out: &mut Vec<Ordering>);
}

impl IntoOrderBy for Ordering {
    fn into_order_by(self, out: &mut Vec<Ordering>) {
        out.push(self);
    }
}
impl IntoOrderBy for Expr {
    fn into_order_by(self, out: &mut Vec<Ordering>) {
        out.push(Ordering::from(self));
    }
}
impl IntoOrderBy for &Expr {
    fn into_order_by(self, out: &mut Vec<Ordering>) {
        out.push(Ordering::from(self.clone()));
    }
}
impl IntoOrderBy for Case {
    fn into_order_by(self, out: &mut Vec<Ordering>) {
        out.push(Ordering::from(self.end()));
    }
}
impl IntoOrderBy for &str {
    fn into_order_by(self, out: &mut Vec<Ordering>) {
        out.push(Ordering::from(Expr::LabelRef(Arc::from(self))));
    }
}
impl IntoOrderBy for String {
    fn into_order_by(self, out: &mut Vec<Ordering>) {
        self.as_str().into_order_by(out);
    }
}
impl IntoOrderBy for &String {
    fn into_order_by(self, out: &mut Vec<Ordering>) {
        self.as_str().into_order_by(out);
    }
}
impl<T: IntoOrderBy> IntoOrderBy for Vec<T> {
    fn into_order_by(self, out: &mut Vec<Ordering>) {
        for t in self {
            t.into_order_by(out);
        }
    }
}
impl<T: IntoOrderBy, const N: usize> IntoOrderBy for [T; N] {
    fn into_order_by(self, out: &mut Vec<Ordering>) {
        for t in self {
            t.into_order_by(out);
        }
    }
}
macro_rules! tuple_order_by {
    ($($name:ident),+) => {
        impl<$($name: IntoOrderBy),+> IntoOrderBy for ($($name,)+) {
            #[allow(non_snake_case)]
            fn into_order_by(self, out: &mut Vec<Ordering>) {
                let ($($name,)+) = self;
                $($name.into_order_by(out);)+
            }
        }
    };
}
tuple_order_by!(A);
tuple_order_by!(A, B);
tuple_order_by!(A, B, C);
tuple_order_by!(A, B, C, D);
tuple_order_by!(A, B, C, D, E);
tuple_order_by!(A, B, C, D, E, F);
tuple_order_by!(A, B, C, D, E, F, G);
tuple_order_by!(A, B, C, D, E, F, G, H);
tuple_order_by!(A, B, C, D, E, F, G, H, I);
tuple_order_by!(A, B, C, D, E, F, G, H, I, J);
tuple_order_by!(A, B, C, D, E, F, G, H, I, J, K);
tuple_order_by!(A, B, C, D, E, F, G, H, I, J, K, L);

/// `e DESC`, where a string names a label or column of the statement (SQLAlchemy's
/// `desc("name")`; see [`IntoOrderBy`] for how a name is resolved).
pub fn desc(e: impl IntoOrderTarget) -> Ordering {
    e.into_order_target().desc()
}

/// `e ASC`, where a string names a label or column of the statement (see [`IntoOrderBy`]).
pub fn asc(e: impl IntoOrderTarget) -> Ordering {
    e.into_order_target().asc()
}

/// What [`asc`]/[`desc`] accept: an expression, or the name of a label or column.
pub trait IntoOrderTarget {
    /// Converts.
    fn into_order_target(self) -> Expr;
}
impl IntoOrderTarget for Expr {
    fn into_order_target(self) -> Expr {
        self
    }
}
impl IntoOrderTarget for &str {
    fn into_order_target(self) -> Expr {
        Expr::LabelRef(Arc::from(self))
    }
}
impl IntoOrderTarget for String {
    fn into_order_target(self) -> Expr {
        Expr::LabelRef(Arc::from(self))
    }
}
