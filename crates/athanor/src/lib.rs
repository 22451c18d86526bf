//! # Athanor
//!
//! SQLAlchemy, rebuilt in Rust: engines from database URLs, schema metadata, a composable SQL
//! expression language compiled per dialect (SQLite, PostgreSQL, MySQL/MariaDB), results with
//! typed rows.
//!
//! ```
//! use athanor::prelude::*;
//!
//! let engine = create_engine("sqlite:///:memory:")?;
//! let metadata = MetaData::new();
//! let users = Table::build("users", &metadata)
//!     .column(Column::new("name", Type::String(None)))
//!     .column(Column::new("age", Type::Float))
//!     .finish()?;
//! metadata.create_all(&engine)?;
//!
//! let mut conn = engine.connect()?;
//! conn.execute(&users.insert().values(row! { "name" => "Alice", "age" => 27.3 }))?;
//! conn.execute(&users.insert().values(row! { "name" => "Bob", "age" => 45.1 }))?;
//! let rows = conn.execute(&select(&users).filter(users.c("age").gt(30)))?.all()?;
//! assert_eq!(format!("{:?}", rows[0]), r#"Row(name => "Bob", age => 45.1)"#);
//! let age: Option<f64> = rows[0].get("age")?;
//! assert_eq!(age, Some(45.1));
//! # Ok::<(), athanor::Error>(())
//! ```
//!
//! The layers (see ARCHITECTURE.md in the repository): [`athanor_core`] holds types, schema,
//! the expression tree and the dialect compilers, with no I/O; this crate adds the
//! [`Engine`], connections, pooling, results and drivers behind cargo features `sqlite`
//! (default), `postgres`, `mysql`.
//!
//! SQLite connections run `PRAGMA foreign_keys = ON`. `sqlite://` and `sqlite:///:memory:`
//! give one in-memory database per engine, shared by all of its pooled connections (SQLite's
//! `memdb` VFS), so several connections may be checked out at once.

/// The README's examples, run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
pub struct ReadmeDoctests;

#[cfg(feature = "chinook")]
pub mod chinook;
mod create_drop;
mod driver;
mod engine;
pub mod orm;
pub mod reflect;

pub use athanor_core::types::{BindRow, BindValue};
pub use athanor_core::{Compile, Error, FromValue, Result, Type, TypeDecorator, Value};
pub use athanor_core::{compiler, dialect, error, schema, sql, types};
pub use create_drop::{MetaDataExt, TableExt};
pub use engine::events;
pub use engine::url::Url;
pub use engine::{
    Connection, CursorResult, Engine, EngineOptions, EngineTransaction, ExecutionOptions, FromRow,
    ResetOnReturn, Row, RowIndex, RowValues, StatementEvent, StatementOutcome, Transaction,
    create_engine, create_engine_with,
};
pub use orm::{Model, Ref, Session};
pub use reflect::{AutoloadExt, Inspector};

/// The names most programs use: `use athanor::prelude::*`.
pub mod prelude {
    pub use crate::orm::{Attr, FromSession, Model, Query, Ref, Session, Synchronize};
    pub use crate::{
        AutoloadExt, Connection, Engine, EngineOptions, FromRow, Inspector, MetaDataExt, Row,
        TableExt, create_engine, create_engine_with,
    };
    pub use athanor_core::prelude::*;
}
