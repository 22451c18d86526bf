//! The table value constructor (SQLAlchemy's `values()`): rows of values standing as a FROM
//! item (`(VALUES (..), (..)) AS name (a, b)`) or as a CTE (`WITH name(a, b) AS (VALUES ...)`).

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use crate::sql::expr::Expr;
use crate::sql::from::{Alias, AliasData, AliasTarget, Cte, FromItem};
use crate::types::{BindRow, Type, Value};

/// Rows of values with named, typed columns (SQLAlchemy's `Values`, made by [`values`]):
/// give it rows with [`ValuesClause::data`], then use it as a FROM item with
/// [`ValuesClause::alias`] or as a common table expression with [`ValuesClause::cte`].
///
/// The values are bound parameters (unless [`ValuesClause::literal_binds`]); on PostgreSQL
/// each is cast to its column's type, which the database could not infer otherwise.
///
/// How each database writes it:
///
/// | | FROM item | CTE |
/// |---|---|---|
/// | PostgreSQL | `(VALUES ($1::INTEGER, ...), ...) AS v (a, ...)` | `WITH v(a, ...) AS (VALUES ...)` |
/// | SQLite | `(SELECT column1 AS a, ... FROM (VALUES (?, ...), ...)) AS v` | `WITH v(a, ...) AS (VALUES ...)` |
/// | MariaDB, MySQL | `(SELECT ? AS a, ... UNION ALL SELECT ?, ...) AS v` | `WITH v(a, ...) AS (SELECT ? AS a, ... UNION ALL ...)` |
///
/// (MariaDB names no derived table's columns, and gives a VALUES column of parameters a
/// length of zero when it prepares the statement; MySQL 8 would need `ROW(..)`: the
/// SELECTs mean the same on both.)
///
/// A row whose width isn't the column count, or no rows at all, is a
/// [`CompileError::Invalid`](crate::error::CompileError::Invalid) when the statement is
/// compiled.
///
/// ```
/// use athanor_core::prelude::*;
/// use athanor_core::sql::values;
/// use athanor_core::dialect::{Postgres, Sqlite};
/// let v = values([("id", Type::Integer), ("name", Type::String(None))])
///     .data([(1, "a"), (2, "b")])
///     .alias("v");
/// let stmt = select(&v).filter(v.c("id").gt(1));
/// assert_eq!(stmt.compile(&Postgres)?.sql(),
///     "SELECT v.id, v.name FROM (VALUES ($1::INTEGER, $2::VARCHAR), ($3::INTEGER, $4::VARCHAR)) AS v (id, name) WHERE v.id > $5");
/// assert_eq!(stmt.compile(&Sqlite)?.sql(),
///     "SELECT v.id, v.name FROM (SELECT column1 AS id, column2 AS name FROM (VALUES (?, ?), (?, ?))) AS v WHERE v.id > ?");
/// let cte = values([("x", Type::Integer)]).data([(1,), (2,)]).cte("c");
/// assert_eq!(select(&cte).compile(&Sqlite)?.sql(),
///     "WITH c(x) AS (VALUES (?), (?)) SELECT c.x FROM c");
/// # Ok::<(), athanor_core::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct ValuesClause(pub(crate) Arc<ValuesData>);

/// What a [`ValuesClause`] holds.
#[derive(Debug)]
#[non_exhaustive]
pub struct ValuesData {
    /// The name given with [`ValuesClause::name`] (an anonymous CTE made from it is named
    /// after it).
    pub name: Option<String>,
    /// The columns: name and type.
    pub columns: Vec<(String, Type)>,
    /// The rows, each as wide as `columns`, as bound values.
    pub rows: Vec<Vec<Expr>>,
    /// The values are written into the SQL as literals rather than bound.
    pub literal_binds: bool,
}

/// Part of a statement's cache key: the shape (columns, row count and the values' kinds), and
/// the values themselves when they are written in as literals.
impl Hash for ValuesData {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.name.hash(state);
        self.columns.hash(state);
        self.literal_binds.hash(state);
        self.rows.len().hash(state);
        for row in &self.rows {
            for e in row {
                if self.literal_binds {
                    format!("{e:?}").hash(state);
                } else {
                    e.hash(state);
                }
            }
        }
    }
}

impl Hash for ValuesClause {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.hash(state);
    }
}

/// A table value constructor with these columns (SQLAlchemy's `values(column(...), ...)`);
/// see [`ValuesClause`].
pub fn values<I, S>(columns: I) -> ValuesClause
where
    I: IntoIterator<Item = (S, Type)>,
    S: Into<String>,
{
    ValuesClause(Arc::new(ValuesData {
        name: None,
        columns: columns.into_iter().map(|(n, t)| (n.into(), t)).collect(),
        rows: Vec::new(),
        literal_binds: false,
    }))
}

impl ValuesClause {
    fn edit(self, f: impl FnOnce(&mut ValuesData)) -> Self {
        let mut data = Arc::try_unwrap(self.0).unwrap_or_else(|shared| ValuesData {
            name: shared.name.clone(),
            columns: shared.columns.clone(),
            rows: shared.rows.clone(),
            literal_binds: shared.literal_binds,
        });
        f(&mut data);
        ValuesClause(Arc::new(data))
    }

    /// Names it (SQLAlchemy's `values(..., name=...)`): the default name of
    /// [`ValuesClause::alias_default`] and the stem of an anonymous CTE's name.
    pub fn name(self, name: impl Into<String>) -> Self {
        let name = name.into();
        self.edit(|d| d.name = Some(name))
    }

    /// Writes the values into the SQL as literals instead of binding them (SQLAlchemy's
    /// `literal_binds=True`).
    pub fn literal_binds(self, on: bool) -> Self {
        self.edit(|d| d.literal_binds = on)
    }

    /// Adds rows (SQLAlchemy's `.data([...])`): tuples, arrays or vectors of values, each as
    /// wide as the column list (a row of another width fails when the statement is compiled).
    pub fn data<R: BindRow>(self, rows: impl IntoIterator<Item = R>) -> Self {
        let rows: Vec<Vec<Expr>> = rows
            .into_iter()
            .map(|r| {
                let mut out = vec![Value::Null; r.width()];
                r.bind_row(&mut out);
                out.into_iter().map(Expr::Value).collect()
            })
            .collect();
        self.edit(|d| d.rows.extend(rows))
    }

    /// What it holds.
    pub fn data_ref(&self) -> &ValuesData {
        &self.0
    }

    /// It as a FROM item named `name`.
    pub fn alias(self, name: impl Into<String>) -> Alias {
        Alias(Arc::new(AliasData {
            name: Some(name.into()),
            inner: AliasTarget::Values(self),
        }))
    }

    /// It as a FROM item under its own [`name`](ValuesClause::name), or anonymous (`anon_N`).
    pub fn alias_default(self) -> Alias {
        let name = self.0.name.clone();
        Alias(Arc::new(AliasData {
            name,
            inner: AliasTarget::Values(self),
        }))
    }

    /// It as a common table expression named `name`: `WITH name(a, b) AS (VALUES ...)`.
    pub fn cte(self, name: impl Into<String>) -> Cte {
        Cte::from_values(self, Some(name.into()))
    }

    /// It as an anonymous common table expression, named when compiled after its
    /// [`name`](ValuesClause::name) (`some_name_1`) or `anon_N`.
    ///
    /// ```
    /// use athanor_core::prelude::*;
    /// use athanor_core::sql::values;
    /// use athanor_core::dialect::Postgres;
    /// let cte = values([("a", Type::Integer)]).name("some name").data([(1,)]).cte_anon();
    /// assert_eq!(select(&cte).compile(&Postgres)?.sql(),
    ///     "WITH some_name_1(a) AS (VALUES ($1::INTEGER)) SELECT some_name_1.a FROM some_name_1");
    /// # Ok::<(), athanor_core::Error>(())
    /// ```
    pub fn cte_anon(self) -> Cte {
        Cte::from_values(self, None)
    }

    /// A column's type.
    pub(crate) fn column_type(&self, name: &str) -> Option<Type> {
        self.0
            .columns
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, t)| t.clone())
    }

    /// The column names, in order.
    pub(crate) fn column_names(&self) -> Vec<String> {
        self.0.columns.iter().map(|(n, _)| n.clone()).collect()
    }
}

impl From<ValuesClause> for FromItem {
    fn from(v: ValuesClause) -> Self {
        FromItem::Alias(v.alias_default())
    }
}
