//! Aliases: [`Alias`] of a table (`"Artist" AS a`) or of a subquery (`(SELECT ...) AS s`).

use std::sync::Arc;

use crate::error::{Error, Result};
use crate::schema::Table;
use crate::sql::expr::Expr;
use crate::sql::from::{Cte, FromItem};
use crate::sql::select::SelectBase;

/// What an alias renames.
#[derive(Debug, Hash)]
pub enum AliasTarget {
    /// A table.
    Table(Table),
    /// A subquery.
    Select(Arc<SelectBase>),
    /// A common table expression, named again in a FROM clause (`some_cte AS c1`).
    Cte(Cte),
    /// A table value constructor (`(VALUES (..), (..)) AS v (a, b)`).
    Values(crate::sql::ValuesClause),
}

/// An aliased table (`"Artist" AS a`) or a subquery (`(SELECT ...) AS s`).
#[derive(Debug, Clone)]
pub struct Alias(pub(crate) Arc<AliasData>);

/// What an [`Alias`] holds.
#[derive(Debug, Hash)]
pub struct AliasData {
    /// The alias name; `None` is numbered `anon_N` when compiled.
    pub name: Option<String>,
    /// What it renames.
    pub inner: AliasTarget,
}

impl Alias {
    pub(crate) fn new(item: FromItem, name: Option<String>) -> Alias {
        let inner = match item {
            FromItem::Table(t) => AliasTarget::Table(t),
            FromItem::Alias(a) => match &a.0.inner {
                AliasTarget::Table(t) => AliasTarget::Table(t.clone()),
                AliasTarget::Select(s) => AliasTarget::Select(s.clone()),
                AliasTarget::Cte(c) => AliasTarget::Cte(c.clone()),
                AliasTarget::Values(v) => AliasTarget::Values(v.clone()),
            },
            FromItem::Cte(c) => AliasTarget::Cte(c),
            other => AliasTarget::Select(Arc::new(SelectBase::Select(Box::new(
                crate::sql::select::select(Expr::Star(None)).select_from(other),
            )))),
        };
        Alias(Arc::new(AliasData { name, inner }))
    }

    pub(crate) fn subquery(select: SelectBase, name: Option<String>) -> Alias {
        Alias(Arc::new(AliasData {
            name,
            inner: AliasTarget::Select(Arc::new(select)),
        }))
    }

    /// The alias's name (`None` when anonymous).
    pub fn name(&self) -> Option<&str> {
        self.0.name.as_deref()
    }

    /// What the alias renames.
    pub fn data(&self) -> &AliasData {
        &self.0
    }

    /// A column of the alias.
    ///
    /// # Panics
    /// When there is no such column; see [`Alias::try_c`].
    #[track_caller]
    pub fn c(&self, name: &str) -> Expr {
        match self.try_c(name) {
            Ok(e) => e,
            Err(e) => panic!("{e}"),
        }
    }

    /// A column of the alias, or [`Error::NoSuchColumn`].
    ///
    /// # Errors
    /// [`Error::NoSuchColumn`] when the aliased table or subquery has no such column.
    pub fn try_c(&self, name: &str) -> Result<Expr> {
        let ty = match &self.0.inner {
            AliasTarget::Table(t) => t.column_data(name).map(|c| c.ty.clone()),
            AliasTarget::Select(s) => s.output_column(name),
            AliasTarget::Cte(c) => c.column_type(name),
            AliasTarget::Values(v) => v.column_type(name),
        };
        match ty {
            Some(ty) => Ok(FromItem::Alias(self.clone()).column_ref(name, ty)),
            None => Err(Error::no_such_column(
                self.name().unwrap_or("anonymous subquery").to_string(),
                name.to_string(),
            )),
        }
    }

    /// Every column of the alias, in order.
    pub fn all_columns(&self) -> Vec<Expr> {
        self.column_names()
            .iter()
            .filter_map(|n| self.try_c(n).ok())
            .collect()
    }

    pub(super) fn column_names(&self) -> Vec<String> {
        match &self.0.inner {
            AliasTarget::Table(t) => t.columns().iter().map(|c| c.name.clone()).collect(),
            AliasTarget::Select(s) => s.output_names(),
            AliasTarget::Cte(c) => c.column_names(),
            AliasTarget::Values(v) => v.column_names(),
        }
    }

    /// Joins `other`, ON inferred from foreign keys.
    pub fn join(&self, other: impl Into<FromItem>) -> FromItem {
        FromItem::Alias(self.clone()).join(other)
    }
    /// `JOIN other ON on`.
    pub fn join_on(&self, other: impl Into<FromItem>, on: impl Into<Expr>) -> FromItem {
        FromItem::Alias(self.clone()).join_on(other, on)
    }
    /// `LEFT OUTER JOIN other`, ON inferred from foreign keys: an alias of a table keeps the
    /// table's foreign keys.
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
    /// let e = emp.alias("e");
    /// let stmt = select((e.c("id"), dept.c("id"))).select_from(e.outerjoin(&dept));
    /// assert_eq!(stmt.to_string(),
    ///     "SELECT e.id, dept.id FROM emp AS e LEFT OUTER JOIN dept ON e.dept_id = dept.id");
    /// # Ok::<(), athanor_core::Error>(())
    /// ```
    pub fn outerjoin(&self, other: impl Into<FromItem>) -> FromItem {
        FromItem::Alias(self.clone()).outerjoin(other)
    }
    /// `LEFT OUTER JOIN other ON on`.
    pub fn outerjoin_on(&self, other: impl Into<FromItem>, on: impl Into<Expr>) -> FromItem {
        FromItem::Alias(self.clone()).outerjoin_on(other, on)
    }
}
