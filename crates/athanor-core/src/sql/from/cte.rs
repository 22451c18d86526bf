//! Common table expressions: [`Cte`] (`WITH name AS (SELECT ...)`), recursive or not.

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use crate::error::{Error, Result};
use crate::sql::expr::Expr;
use crate::sql::from::{Alias, FromItem};
use crate::sql::select::SelectBase;
use crate::types::Type;

/// A common table expression: `WITH name AS (SELECT ...)`, recursive or not.
#[derive(Debug, Clone)]
pub struct Cte(pub(crate) Arc<CteData>);

/// What a [`Cte`] holds.
#[derive(Debug)]
pub struct CteData {
    /// The CTE's name.
    pub name: String,
    /// Its query (for a recursive CTE, set by [`Cte::union_all`] after creation).
    pub select: std::sync::OnceLock<SelectBase>,
    /// The anchor's output columns (fixed at creation).
    pub columns: Vec<(String, Type)>,
    /// `WITH RECURSIVE`.
    pub recursive: bool,
    /// The body is a table value constructor rather than a query
    /// ([`ValuesClause::cte`](crate::sql::ValuesClause::cte)).
    pub values: Option<crate::sql::ValuesClause>,
    /// The name is only a stem: the compiler numbers it (`anon_1`, `some_name_1`).
    pub anonymous: bool,
}

impl Hash for CteData {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.name.hash(state);
        self.recursive.hash(state);
        // A recursive CTE's column list is rendered; the types are its columns' types.
        self.columns.hash(state);
        self.select.get().hash(state);
        self.values.hash(state);
        self.anonymous.hash(state);
    }
}

/// By identity, as [`FromItem`]'s hash: the value walk meets each CTE object once.
impl Hash for Cte {
    fn hash<H: Hasher>(&self, state: &mut H) {
        crate::sql::identity::hash_shared(Arc::as_ptr(&self.0) as usize, state, |s| self.0.hash(s));
    }
}

impl Cte {
    pub(crate) fn new(select: SelectBase, name: String, recursive: bool) -> Cte {
        let columns = select
            .output_names()
            .into_iter()
            .map(|n| {
                let ty = select.output_column(&n).unwrap_or(Type::Null);
                (n, ty)
            })
            .collect();
        let cell = std::sync::OnceLock::new();
        let _ = cell.set(select);
        Cte(Arc::new(CteData {
            name,
            select: cell,
            columns,
            recursive,
            values: None,
            anonymous: false,
        }))
    }

    /// A CTE whose body is `values` (named `name`, or anonymous).
    pub(crate) fn from_values(values: crate::sql::ValuesClause, name: Option<String>) -> Cte {
        let anonymous = name.is_none();
        let name = name.unwrap_or_else(|| {
            let stem: String = values
                .0
                .name
                .as_deref()
                .unwrap_or("anon")
                .chars()
                .map(|c| if c.is_alphanumeric() { c } else { '_' })
                .collect();
            stem
        });
        Cte(Arc::new(CteData {
            name,
            select: std::sync::OnceLock::new(),
            columns: values.0.columns.clone(),
            recursive: false,
            values: Some(values),
            anonymous,
        }))
    }

    /// The CTE's name.
    pub fn name(&self) -> &str {
        &self.0.name
    }

    /// What the CTE holds.
    pub fn data(&self) -> &CteData {
        &self.0
    }

    /// A column of the CTE.
    ///
    /// # Panics
    /// When there is no such column; see [`Cte::try_c`].
    #[track_caller]
    pub fn c(&self, name: &str) -> Expr {
        match self.try_c(name) {
            Ok(e) => e,
            Err(e) => panic!("{e}"),
        }
    }

    /// A column of the CTE, or [`Error::NoSuchColumn`].
    ///
    /// # Errors
    /// [`Error::NoSuchColumn`] when the CTE has no such column.
    pub fn try_c(&self, name: &str) -> Result<Expr> {
        match self.0.columns.iter().find(|(n, _)| n == name) {
            Some((n, ty)) => Ok(FromItem::Cte(self.clone()).column_ref(n, ty.clone())),
            None => Err(Error::no_such_column(self.0.name.clone(), name.to_string())),
        }
    }

    /// The CTE under another name in a FROM clause (`FROM some_cte AS c1`): the WITH clause
    /// still defines `some_cte` once, and the alias's columns are qualified by `c1`. A
    /// recursive CTE's recursive part refers to the CTE through such an alias to join it with
    /// the table it walks.
    ///
    /// ```
    /// use athanor_core::prelude::*;
    /// let md = MetaData::new();
    /// let node = Table::build("node", &md)
    ///     .column(Column::new("id", Type::Integer).primary_key())
    ///     .column(Column::new("parent_id", Type::Integer))
    ///     .finish()?;
    /// let tree = select(node.c("id")).filter(node.c("id").eq(1)).cte_recursive("tree");
    /// let up = tree.alias("t");
    /// let n = node.alias("n");
    /// let tree = tree.union_all(select(n.c("id")).filter(n.c("parent_id").eq(up.c("id"))));
    /// assert_eq!(select(tree.c("id")).to_string(),
    ///     "WITH RECURSIVE tree(id) AS (SELECT node.id FROM node WHERE node.id = :param_1 \
    ///      UNION ALL SELECT n.id FROM node AS n, tree AS t WHERE n.parent_id = t.id) \
    ///      SELECT tree.id FROM tree");
    /// # Ok::<(), athanor_core::Error>(())
    /// ```
    pub fn alias(&self, name: impl Into<String>) -> Alias {
        Alias::new(FromItem::Cte(self.clone()), Some(name.into()))
    }

    pub(super) fn column_type(&self, name: &str) -> Option<Type> {
        self.0
            .columns
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, ty)| ty.clone())
    }

    pub(super) fn column_names(&self) -> Vec<String> {
        self.0.columns.iter().map(|(n, _)| n.clone()).collect()
    }

    /// Makes a recursive CTE's body `anchor UNION ALL recursive_part`; the recursive part
    /// refers to the CTE itself through its columns.
    ///
    /// ```
    /// use athanor_core::prelude::*;
    /// let anchor = select(literal(1).label("n"));
    /// let nums = anchor.clone().cte_recursive("nums");
    /// let step = select((nums.c("n") + 1).label("n")).filter(nums.c("n").lt(5));
    /// let nums = nums.union_all(step);
    /// let stmt = select(nums.c("n"));
    /// assert_eq!(stmt.to_string(),
    ///   "WITH RECURSIVE nums(n) AS (SELECT :param_1 AS n UNION ALL SELECT nums.n + :param_2 AS n FROM nums WHERE nums.n < :param_3) SELECT nums.n FROM nums");
    /// ```
    pub fn union_all(self, recursive_part: impl Into<SelectBase>) -> Cte {
        self.combine(recursive_part, crate::sql::select::SetOp::UnionAll)
    }

    /// As [`Cte::union_all`] with `UNION`.
    pub fn union(self, recursive_part: impl Into<SelectBase>) -> Cte {
        self.combine(recursive_part, crate::sql::select::SetOp::Union)
    }

    fn combine(self, part: impl Into<SelectBase>, op: crate::sql::select::SetOp) -> Cte {
        let anchor = self.0.select.get().cloned();
        let Some(anchor) = anchor else { return self };
        let body = crate::sql::select::CompoundSelect::new(op, vec![anchor, part.into()]);
        let new = Cte(Arc::new(CteData {
            name: self.0.name.clone(),
            select: std::sync::OnceLock::new(),
            columns: self.0.columns.clone(),
            recursive: true,
            values: None,
            anonymous: self.0.anonymous,
        }));
        // The recursive part refers to the CTE by name; references to the old handle render the
        // same, so the new handle can carry the combined body.
        let _ = new.0.select.set(SelectBase::Compound(Box::new(body)));
        new
    }
}
