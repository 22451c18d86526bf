//! The ORM: mapped structs (`#[derive(Model)]`), the [`Session`] with its identity map and
//! unit of work, and [`Query`].
//!
//! A model is a plain struct; the session owns the objects it loads or is given, one per
//! primary key, and hands out [`Ref`] handles (`Copy`) to read and change them. A flush writes
//! every change in foreign-key order: INSERTs, UPDATEs of the changed columns only, DELETEs.
//!
//! ```
//! use athanor::prelude::*;
//!
//! #[derive(Debug, Clone, PartialEq, Default, Model)]
//! #[athanor(table = "Genre")]
//! struct Genre {
//!     #[athanor(primary_key, column = "GenreId")]
//!     id: i64,
//!     #[athanor(column = "Name")]
//!     name: Option<String>,
//! }
//!
//! let (engine, _) = athanor::chinook::load()?;
//! let mut session = Session::new(&engine);
//! let rock = session.get::<Genre>(1)?.expect("genre 1");   // one SELECT
//! assert_eq!(session.get::<Genre>(1)?, Some(rock));        // the identity map: no SELECT
//! session.edit(rock)?.name = Some("Rock & Roll".into());   // snapshot on first write
//! let polka = session.add(Genre { id: 0, name: Some("Polka".into()) })?; // key generated
//! let found = session.query::<Genre>()                     // flushes first (autoflush)
//!     .filter(Genre::NAME.eq("Rock & Roll"))
//!     .all()?;
//! assert_eq!(found, [rock]);                               // the same object, updated
//! session.commit()?;                                       // every object expires
//! assert_eq!(session.read(polka)?.id, 26);                 // reloaded on first read
//! assert_eq!(session.read(rock)?.name.as_deref(), Some("Rock & Roll"));
//! # Ok::<(), athanor::Error>(())
//! ```
//!
//! | SQLAlchemy ORM | Athanor |
//! |---|---|
//! | a declarative class / `mapper()` | `#[derive(Model)]` on a struct ([`Model`], [`macro@Model`]) |
//! | `__tablename__`, `__table_args__ = {"schema": ...}` | `#[athanor(table = "Album", schema = "music")]` |
//! | `mapped_column("AlbumId", primary_key=True)` | `#[athanor(column = "AlbumId", primary_key)]` |
//! | `Mapped[Optional[str]]` | `Option<String>` ([`FieldType`]) |
//! | `Album.Title` (an instrumented attribute) | `Album::TITLE` ([`Attr`]) |
//! | `Album.__table__` | [`Album::table()`](Model::table) |
//! | an object | a [`Ref`] handle: [`session.read(h)`](Session::read), [`session.edit(h)`](Session::edit) |
//! | `Session(engine)` | [`Session::new`] |
//! | `Session(engine, autoflush=False, expire_on_commit=False)` | [`Session::with_autoflush`], [`Session::with_expire_on_commit`] |
//! | `session.get(Album, 1)` | [`session.get::<Album>(1)`](Session::get) |
//! | `add`, `add_all`, `delete`, `merge`, `expunge`, `expunge_all` | the same names |
//! | `flush`, `commit`, `rollback`, `close` | the same names |
//! | `refresh`, `expire`, `expire_all`, `is_modified` | the same names |
//! | `session.new` / `dirty` / `deleted` / `identity_map` | [`new_objects::<M>()`](Session::new_objects) / [`dirty::<M>()`](Session::dirty) / [`deleted::<M>()`](Session::deleted) / [`identity_map::<M>()`](Session::identity_map) |
//! | `session.begin_nested()` | [`Session::begin_nested`] (a [`NestedTransaction`]) |
//! | `session.execute(stmt)`, `session.connection()` | [`Session::execute`], [`Session::connection`] |
//! | `session.scalars(select(Album).where(...))` | [`session.scalars::<Album>(&select(Album::table()).filter(...))`](Session::scalars) |
//! | `session.execute(select(Album, Artist.Name)).all()` | [`session.tuples::<(Ref<Album>, String)>(..)`](Session::tuples) ([`FromSession`]) |
//! | `session.query(Album)` | [`session.query::<Album>()`](Session::query) ([`Query`]) |
//! | `session.query(Artist.Name, func.count(...))` | [`session.query_as::<(String, i64)>((Artist::NAME, func::count(..)))`](Session::query_as) |
//! | `DeferredReflection.prepare(engine)` / `mapper()` onto an autoloaded table | [`Registry::check`]: every mismatch with the database at once |
//! | `automap_base().prepare(autoload_with=engine)`, `Base.classes.Album` | [`automap(&engine)`](automap()), [`auto.class("Album")`](Automap::class): dynamic entities in the same session ([the `automap` module](mod@automap)) |
//! | `filter`, `filter_by(ArtistId=90)` | [`filter`](Query::filter), [`filter_by([("ArtistId", 90)])`](Query::filter_by) |
//! | `order_by`, `group_by`, `having`, `distinct`, `join`, `outerjoin`, `limit`, `offset` | the same names ([`join_on`](Query::join_on) / [`outerjoin_on`](Query::outerjoin_on) take an ON clause) |
//! | `query.join(Track.album)`, `outerjoin(Artist.albums)` | [`join(Track::album)`](Query::join), [`outerjoin(Artist::albums)`](Query::outerjoin) (a relationship constant, [`Rel`]) |
//! | `Artist.albums.any(cond)`, `Album.artist.has(cond)`, `.any()` | [`Artist::albums.any(cond)`](Rel::any), [`Album::artist.has(cond)`](Rel::has), [`Artist::albums.exists()`](Rel::exists) |
//! | `query[10:13]` | [`query.slice(10..13)`](Query::slice) |
//! | `all`, `first`, `one`, `one_or_none`, `scalar`, `count`, `get` | the same names; [`exists()`](Query::exists) for `query(q.exists()).scalar()` |
//! | `query.populate_existing()` | [`Query::populate_existing`] |
//! | `query.delete(synchronize_session="fetch")` | [`query.delete(Synchronize::Fetch)`](Query::delete) |
//! | `query.update({...}, synchronize_session="evaluate")` | [`query.update(row! { ... }, Synchronize::Evaluate)`](Query::update) |
//! | `DetachedInstanceError`, `ObjectDeletedError`, `StaleDataError`, `UnevaluatableError` | [`Error::DetachedInstance`](crate::Error::DetachedInstance), [`Error::ObjectDeleted`](crate::Error::ObjectDeleted), [`Error::StaleData`](crate::Error::StaleData), [`Error::Unevaluatable`](crate::Error::Unevaluatable) |
//!
//! How it is built (ARCHITECTURE.md has the whole map): the session owns its objects in one
//! arena per mapped type, with an identity map from primary key to slot; handles are `Copy`
//! and checked against the slot's generation, so a stale or foreign handle fails loudly. The
//! first `edit` of a loaded object snapshots it; flush compares snapshot and value column by
//! column. The unit of work orders tables by their foreign keys, rows of a self-referencing
//! table by their references, and batches statements by shape. Relationships (`Collection`,
//! `Related`) are fields holding handles; they load by plans (`selectin`, `joined`) or in
//! batches through the session, and the flush turns their changes into keys and rows.

pub mod automap;
mod bulk;
mod cascade;
mod evaluate;
mod expiry;
mod field;
mod flush;
mod handle;
mod joined;
mod lazy;
mod load;
mod load_path;
mod loading;
mod mapping;
mod model;
mod objects;
#[doc(hidden)]
pub mod __private {
    pub use super::private::*;
}
mod private;
mod query;
mod query_run;
mod rel_info;
mod rel_ops;
mod rel_query;
mod rel_resolve;
mod relate;
mod relationship;
mod secondary;
mod session;
mod statements;
mod store;
mod store_erased;
mod sync;
mod transaction;

/// `#[derive(Model)]`, every attribute at work (the reference is below):
///
/// ```
/// use athanor::prelude::*;
///
/// #[derive(Debug, Clone, PartialEq, Default, Model)]
/// #[athanor(table = "authors")]
/// struct Author {
///     #[athanor(primary_key)]
///     id: i64,
///     name: String,
/// }
///
/// #[derive(Debug, Clone, PartialEq, Default, Model)]
/// #[athanor(table = "notes")]
/// struct Note {
///     #[athanor(primary_key)]
///     id: i64, // INTEGER PRIMARY KEY: generated when left 0
///     #[athanor(sql_type = Type::String(Some(80)), unique)]
///     title: String, // VARCHAR(80) NOT NULL UNIQUE
///     #[athanor(default = "draft")]
///     status: Option<String>, // 'draft' when None, set by the flush
///     #[athanor(server_default = "0")]
///     views: Option<i64>, // the database's DEFAULT 0 when None
///     #[athanor(column = "author_id", foreign_key = "authors.id", index)]
///     author: Option<i64>,
///     #[athanor(skip)]
///     rendered: String, // not a column: Default when loaded
/// }
///
/// #[derive(Debug, Clone, PartialEq, Default, Model)]
/// #[athanor(table = "tags")]
/// struct Tag {
///     #[athanor(primary_key, foreign_key = "notes.id")]
///     note_id: i64,
///     #[athanor(primary_key)]
///     tag: String, // a composite key: (i64, String)
/// }
///
/// assert_eq!(Note::FIELDS, ["id", "title", "status", "views", "author"]);
/// assert_eq!((Note::TITLE.name(), Note::AUTHOR.name()), ("title", "author_id"));
///
/// let engine = create_engine("sqlite://")?;
/// let md = MetaData::new();
/// for t in [Author::table(), Note::table(), Tag::table()] {
///     md.add_table(t)?;
/// }
/// md.create_all(&engine)?; // in foreign-key order
///
/// let mut s = Session::new(&engine);
/// let ada = s.add(Author { id: 0, name: "Ada".into() })?;
/// s.flush()?;
/// let ada = s.read(ada)?.id;
/// let note = s.add(Note { title: "Hello".into(), author: Some(ada), ..Default::default() })?;
/// s.flush()?;
/// let id = s.read(note)?.id;
/// s.add(Tag { note_id: id, tag: "rust".into() })?;
/// s.commit()?;
/// let n = s.read(note)?; // reloaded after the commit: the server's default is there
/// assert_eq!((n.id, n.status.as_deref(), n.views), (1, Some("draft"), Some(0)));
/// assert!(s.get::<Tag>((1, "rust".to_string()))?.is_some());
/// # Ok::<(), athanor::Error>(())
/// ```
#[doc(inline)]
pub use athanor_macros::Model;
pub use automap::{Automap, AutomapOptions, Class, DynQuery, DynRef, automap};
pub use bulk::Synchronize;
pub use field::FieldType;
pub use handle::Ref;
pub use load::FromSession;
pub use load_path::{
    Load, LoadOption, LoadPath, Strategy, contains_eager, joined, joined_path, selectin,
    selectin_path,
};
pub use mapping::Registry;
pub use model::{Attr, Model};
pub use query::Query;
pub use rel_query::IntoJoinTarget;
pub use relationship::{Cascade, Collection, Direction, Lazy, Many, One, Rel, RelKind, Related};
pub use session::Session;
pub use transaction::NestedTransaction;
