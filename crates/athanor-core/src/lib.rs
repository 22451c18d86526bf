//! # athanor-core
//!
//! Athanor's I/O-free core: SQL [types], [schema] metadata, the [expression
//! language](sql) and the [dialect] compilers. Compiling SQL never needs a connection; the
//! `athanor` crate adds engines, connections and results on top.
//!
//! ```
//! use athanor_core::prelude::*;
//! use athanor_core::dialect::{MySql, Postgres, Sqlite};
//!
//! let metadata = MetaData::new();
//! let users = Table::build("users", &metadata)
//!     .column(Column::new("name", Type::String(Some(50))))
//!     .column(Column::new("age", Type::Float))
//!     .finish()?;
//! let stmt = select(&users).filter(users.c("age").gt(30));
//! assert_eq!(stmt.compile(&Sqlite)?.sql(), "SELECT users.name, users.age FROM users WHERE users.age > ?");
//! assert_eq!(stmt.compile(&Postgres)?.sql(), "SELECT users.name, users.age FROM users WHERE users.age > $1");
//! assert_eq!(stmt.compile(&MySql)?.sql(), "SELECT users.name, users.age FROM users WHERE users.age > ?");
//! # Ok::<(), athanor_core::Error>(())
//! ```

pub mod compiler;
pub mod dialect;
pub mod error;
pub mod schema;
pub mod sql;
pub mod types;

pub use compiler::{Compile, Compiled, CompiledStatement};
pub use error::{Error, Result};
pub use types::{FromValue, Type, TypeDecorator, Value};

/// The names most programs use, for `use athanor_core::prelude::*`.
pub mod prelude {
    pub use crate::compiler::Compile;
    pub use crate::error::Error;
    pub use crate::row;
    pub use crate::schema::{
        CheckConstraint, Column, ForeignKey, ForeignKeyConstraint, Identity, Index, MetaData,
        NamingConvention, PrimaryKeyConstraint, Sequence, ServerDefault, Table, UniqueConstraint,
    };
    pub use crate::sql::func;
    pub use crate::sql::{
        DatePart, Ddl, Executable, Expr, FromItem, Values, Window, and_, asc, bindparam,
        bindparam_expanding, bindparam_typed, case, cast, column, delete, desc, distinct, except,
        except_all, excluded, exists, extract, false_, insert, intersect, intersect_all, literal,
        literal_column, not_, null, or_, select, star, text, true_, tuple_, union, union_all,
        update,
    };
    pub use crate::types::{FromValue, Type, TypeDecorator, Value};
}
