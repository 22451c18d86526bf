//! [`Computed`]: a generated column's expression (SQLAlchemy's `Computed`).

use super::{Column, ServerDefault};

/// A computed (generated) column: `GENERATED ALWAYS AS (sql) [STORED | VIRTUAL]`, its value
/// computed by the database from the row's other columns (SQLAlchemy's `Computed`). Like
/// SQLAlchemy's, it is the column's server default: an INSERT leaves the column out unless
/// it is given (and the database refuses a value for it).
///
/// `persisted`: `Some(true)` stores the value (`STORED`), `Some(false)` computes it when
/// read (`VIRTUAL`), `None` takes the database's default (VIRTUAL on SQLite and MariaDB).
/// PostgreSQL (before 18) has only STORED columns: `None` renders `STORED` there, and
/// `Some(false)` is a [`CompileError::Unsupported`](crate::error::CompileError::Unsupported).
///
/// ```
/// use athanor_core::prelude::*;
/// use athanor_core::schema::Computed;
/// use athanor_core::sql::Ddl;
/// use athanor_core::dialect::{Postgres, Sqlite};
/// let md = MetaData::new();
/// let square = Table::build("square", &md)
///     .column(Column::new("id", Type::Integer).primary_key())
///     .column(Column::new("side", Type::Integer))
///     .column(Column::new("area", Type::Integer).computed(Computed::new("side * side")))
///     .column(Column::new("perimeter", Type::Integer).computed(Computed::new("4 * side").persisted(true)))
///     .finish()?;
/// let ddl = Ddl::CreateTable(square.clone()).compile(&Postgres)?;
/// assert!(ddl.sql().contains("area INTEGER GENERATED ALWAYS AS (side * side) STORED, "), "{}", ddl.sql());
/// let ddl = Ddl::CreateTable(square).compile(&Sqlite)?;
/// assert!(ddl.sql().contains("area INTEGER GENERATED ALWAYS AS (side * side), "), "{}", ddl.sql());
/// assert!(ddl.sql().contains("perimeter INTEGER GENERATED ALWAYS AS (4 * side) STORED"), "{}", ddl.sql());
/// # Ok::<(), athanor_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Computed {
    /// The SQL expression, rendered as written (column names unqualified).
    pub sql: String,
    /// `STORED` (`Some(true)`), `VIRTUAL` (`Some(false)`) or the database's default.
    pub persisted: Option<bool>,
}

impl Computed {
    /// `GENERATED ALWAYS AS (sql)`, persisted as the database does by default.
    pub fn new(sql: impl Into<String>) -> Self {
        Computed {
            sql: sql.into(),
            persisted: None,
        }
    }

    /// `STORED` (`true`) or `VIRTUAL` (`false`).
    #[must_use]
    pub fn persisted(mut self, persisted: bool) -> Self {
        self.persisted = Some(persisted);
        self
    }
}

impl From<Computed> for ServerDefault {
    fn from(c: Computed) -> Self {
        ServerDefault::Computed(c)
    }
}

impl Column {
    /// Makes the column a computed (generated) column (SQLAlchemy's
    /// `Column(..., Computed(...))`); see [`Computed`]. It replaces a server default.
    pub fn computed(self, computed: Computed) -> Self {
        self.server_default(computed)
    }
}
