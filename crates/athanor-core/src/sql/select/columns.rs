//! What `select(...)` takes: [`IntoColumns`] for expressions, tables, aliases, CTEs and tuples,
//! arrays or `Vec`s of them.

use crate::schema::Table;
use crate::sql::expr::Expr;
use crate::sql::from::{Alias, Cte};
use crate::sql::select::Select;

/// What `select(...)` accepts: one expression, a table (all its columns), an alias, or a tuple
/// or `Vec` of those.
pub trait IntoColumns {
    /// Appends the columns.
    fn into_columns(self, out: &mut Vec<Expr>);

    /// How many columns [`IntoColumns::into_columns`] appends, at least: the SELECT list is
    /// allocated once, at this size.
    #[doc(hidden)]
    fn columns_hint(&self) -> usize {
        1
    }

    /// `select(self)`: a table overrides it to start the statement with its cache key known.
    #[doc(hidden)]
    fn into_select(self) -> Select
    where
        Self: Sized,
    {
        let mut columns = Vec::with_capacity(self.columns_hint());
        self.into_columns(&mut columns);
        Select::of_columns(columns)
    }
}

/// `select(table)`: all its columns, and the statement-cache key of that statement, computed
/// for the first one built from this table and kept in it. A later change to the statement
/// (`filter`, `limit`, ...) forgets the key as any change does.
fn select_all(table: &Table) -> Select {
    let stmt = Select::of_columns(table.column_exprs().collect());
    let key = *table
        .0
        .select_all_key
        .get_or_init(|| crate::compiler::shape_digest(crate::sql::StatementRef::Select(&stmt)));
    stmt.memo.digest(|| key);
    stmt
}

impl IntoColumns for Expr {
    fn into_columns(self, out: &mut Vec<Expr>) {
        out.push(self);
    }
}
impl IntoColumns for &Expr {
    fn into_columns(self, out: &mut Vec<Expr>) {
        out.push(self.clone());
    }
}
impl IntoColumns for &Table {
    fn into_columns(self, out: &mut Vec<Expr>) {
        out.extend(self.column_exprs());
    }
    fn columns_hint(&self) -> usize {
        self.0.columns.len()
    }
    fn into_select(self) -> Select {
        select_all(self)
    }
}
impl IntoColumns for Table {
    fn into_columns(self, out: &mut Vec<Expr>) {
        out.extend(self.column_exprs());
    }
    fn columns_hint(&self) -> usize {
        self.0.columns.len()
    }
    fn into_select(self) -> Select {
        select_all(&self)
    }
}
impl IntoColumns for &Alias {
    fn into_columns(self, out: &mut Vec<Expr>) {
        out.extend(self.all_columns());
    }
}
impl IntoColumns for &Cte {
    fn into_columns(self, out: &mut Vec<Expr>) {
        for (n, _) in &self.0.columns {
            if let Ok(e) = self.try_c(n) {
                out.push(e);
            }
        }
    }
}
impl<T: IntoColumns> IntoColumns for Vec<T> {
    fn into_columns(self, out: &mut Vec<Expr>) {
        for t in self {
            t.into_columns(out);
        }
    }
    fn columns_hint(&self) -> usize {
        self.iter().map(IntoColumns::columns_hint).sum()
    }
}
impl<T: IntoColumns, const N: usize> IntoColumns for [T; N] {
    fn into_columns(self, out: &mut Vec<Expr>) {
        for t in self {
            t.into_columns(out);
        }
    }
    fn columns_hint(&self) -> usize {
        self.iter().map(IntoColumns::columns_hint).sum()
    }
}
macro_rules! tuple_columns {
    ($($name:ident),+) => {
        impl<$($name: IntoColumns),+> IntoColumns for ($($name,)+) {
            #[allow(non_snake_case)]
            fn into_columns(self, out: &mut Vec<Expr>) {
                let ($($name,)+) = self;
                $($name.into_columns(out);)+
            }
            #[allow(non_snake_case)]
            fn columns_hint(&self) -> usize {
                let ($($name,)+) = self;
                0 $(+ $name.columns_hint())+
            }
        }
    };
}
tuple_columns!(A);
tuple_columns!(A, B);
tuple_columns!(A, B, C);
tuple_columns!(A, B, C, D);
tuple_columns!(A, B, C, D, E);
tuple_columns!(A, B, C, D, E, F);
tuple_columns!(A, B, C, D, E, F, G);
tuple_columns!(A, B, C, D, E, F, G, H);
tuple_columns!(A, B, C, D, E, F, G, H, I);
tuple_columns!(A, B, C, D, E, F, G, H, I, J);
tuple_columns!(A, B, C, D, E, F, G, H, I, J, K);
tuple_columns!(A, B, C, D, E, F, G, H, I, J, K, L);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{Column, MetaData};
    use crate::sql::select::select;
    use crate::types::Type;

    #[test]
    fn the_select_list_is_allocated_once_at_its_size() {
        let md = MetaData::new();
        let t = Table::build("t", &md)
            .column(Column::new("a", Type::Integer))
            .column(Column::new("b", Type::Integer))
            .column(Column::new("c", Type::Integer))
            .finish()
            .unwrap();
        let cases = [
            (select(&t), 3),
            (select((t.c("a"), t.c("b"), t.c("c"), &t, t.c("a"))), 7),
            (select(vec![t.c("a"), t.c("b")]), 2),
            (select([&t, &t]), 6),
            (select(t.c("a")).add_columns((t.c("b"), &t)), 5),
        ];
        for (i, (s, n)) in cases.iter().enumerate() {
            assert_eq!(s.columns.len(), *n, "case {i}");
            assert_eq!(s.columns.capacity(), *n, "case {i}");
        }
    }
}
