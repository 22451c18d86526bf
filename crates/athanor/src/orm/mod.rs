//! The ORM: mapped structs (`#[derive(Model)]`), the [`Session`] with its identity map and
//! unit of work, and [`Query`].
//!
//! | SQLAlchemy | Athanor |
//! |---|---|
//! | declarative class / `mapper()` | `#[derive(Model)]` on a struct ([`Model`]) |
//! | `Album.Title` (an instrumented attribute) | `Album::TITLE` ([`Attr`]) |
//! | `Album.__table__` | `Album::table()` |
//! | an object | a [`Ref`] handle; `session.read(h)` / `session.edit(h)` |
//! | `Session(engine)` | [`Session::new`] |
//! | `add`, `add_all`, `delete`, `merge`, `expunge` | the same names |
//! | `flush`, `commit`, `rollback`, `close` | the same names |
//! | `get(Album, 1)` | `session.get::<Album>(1)` |
//! | `refresh`, `expire`, `expire_all`, `is_modified` | the same names |
//! | `session.new` / `dirty` / `deleted` | `new_objects::<M>()` / `dirty::<M>()` / `deleted::<M>()` |
//! | `begin_nested()` | [`Session::begin_nested`] |
//! | `session.execute(stmt)` / `session.scalars(select(Album))` | [`Session::execute`] / [`Session::scalars`] |
//! | `session.connection()` | [`Session::connection`] |
//! | `session.query(Album)` | `session.query::<Album>()` ([`Query`]) |
//! | `session.query(Artist.Name, func.count(...))` | `session.query_as::<(String, i64)>((Artist::NAME, func::count(..)))` |
//! | `query[10:13]` | `query.slice(10..13)` |
//! | `query.delete(synchronize_session=...)` | `query.delete(Synchronize::...)` |
//! | `DeferredReflection.prepare(engine)` / `mapper()` onto an autoloaded table | [`Registry::check`]: every mismatch with the database at once |
//!
//! How it is built (ORM.md in the repository's history; ARCHITECTURE.md): the session owns
//! its objects in one arena per mapped type, with an identity map from primary key to slot;
//! handles are `Copy` and checked against the slot's generation, so a stale or foreign handle
//! fails loudly. The first `edit` of a loaded object snapshots it; flush compares snapshot and
//! value column by column. The unit of work orders tables by their foreign keys, rows of a
//! self-referencing table by their references, and batches statements by shape.

mod bulk;
mod field;
mod flush;
mod handle;
mod load;
mod mapping;
mod model;
#[doc(hidden)]
pub mod __private {
    pub use super::private::*;
}
mod private;
mod query;
mod session;
mod store;

pub use athanor_macros::Model;
pub use bulk::Synchronize;
pub use field::FieldType;
pub use handle::Ref;
pub use load::FromSession;
pub use mapping::Registry;
pub use model::{Attr, Model};
pub use query::Query;
pub use session::{NestedTransaction, Session};
