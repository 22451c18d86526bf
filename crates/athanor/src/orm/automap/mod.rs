//! Automap: dynamic entities for a database known only at run time (SQLAlchemy's
//! `automap_base().prepare(autoload_with=engine)`).
//!
//! [`automap`] reflects every table and makes a [`Class`] of each one that has a primary key,
//! with relationships from the foreign keys. Its objects live in the same [`Session`] as
//! `#[derive(Model)]` objects: one identity map per class, changes tracked column by column,
//! written by the same flush (in foreign-key order with every other store), committed, rolled
//! back and expired alike. They are read and changed by column name:
//!
//! ```
//! use athanor::orm::automap;
//! use athanor::prelude::*;
//!
//! let (engine, _) = athanor::chinook::load()?;
//! let auto = automap(&engine)?;
//! let album = auto.class("Album")?;
//! let mut s = Session::new(&engine);
//! let a = s.get_dyn(&album, 1)?.expect("album 1");              // one SELECT
//! assert_eq!(s.read_dyn(a)?.get::<String>("Title")?, "For Those About To Rock We Salute You");
//! let artist = s.related_one_dyn(a, "artist")?.expect("an artist"); // many-to-one
//! assert_eq!(s.read_dyn(artist)?.get::<String>("Name")?, "AC/DC");
//! let albums = s.related_dyn(artist, "album_collection")?;       // one-to-many
//! assert_eq!(albums.len(), 2);
//! s.edit_dyn(a)?.set("Title", "For Those About To Rock")?;       // snapshot on first write
//! let new = s.add_dyn(&album, row! { "Title" => "New", "ArtistId" => 1 })?;
//! s.commit()?;                                                    // UPDATE "Title"; INSERT
//! assert_eq!(s.read_dyn(new)?.get::<i64>("AlbumId")?, 348);     // the generated key
//! # Ok::<(), athanor::Error>(())
//! ```
//!
//! | SQLAlchemy | Athanor |
//! |---|---|
//! | `Base = automap_base(); Base.prepare(autoload_with=engine)` | [`automap(&engine)`](automap) |
//! | `prepare(schema=..., classname_for_table=..., name_for_scalar_relationship=..., name_for_collection_relationship=...)` | [`AutomapOptions`] |
//! | `Base.classes.Album` | [`auto.class("Album")`](Automap::class) |
//! | `Album.__table__` | [`Class::table`] |
//! | `session.get(Album, 1)` | [`session.get_dyn(&album, 1)`](Session::get_dyn) |
//! | `a.Title` | [`session.read_dyn(a)?.get::<String>("Title")`](DynObject::get) |
//! | `a.Title = "x"` | [`session.edit_dyn(a)?.set("Title", "x")`](DynEdit::set) |
//! | `session.add(Album(Title="x", ArtistId=1))` | [`session.add_dyn(&album, row! { ... })`](Session::add_dyn) |
//! | `session.delete(a)` | [`session.delete_dyn(a)`](Session::delete_dyn) |
//! | `session.query(Album).filter(...)` | [`session.query_dyn(&album).filter(...)`](Session::query_dyn) ([`DynQuery`]) |
//! | `a.artist`, `artist.album_collection` | [`related_one_dyn(a, "artist")`](Session::related_one_dyn), [`related_dyn(artist, "album_collection")`](Session::related_dyn) |
//! | `a.artist = other` / `artist.album_collection.append(a)` | [`set_related_dyn`](Session::set_related_dyn) / [`append_dyn`](Session::append_dyn) |
//!
//! **Naming** (SQLAlchemy's defaults): a class is named after its table; a foreign key gives
//! a many-to-one relationship on the table holding it, named after the referred class in lower
//! case (`Album.artist`), and a one-to-many on the referred class, named after the referring
//! class in lower case plus `_collection` (`Artist.album_collection`); a self-referencing key
//! gives both on one class (`Employee.employee`, the manager, and `Employee.employee_collection`).
//! A table with exactly two foreign keys whose columns are all of its columns is an association
//! table (Chinook's `PlaylistTrack`): it gets no class, and the two classes it joins get a
//! many-to-many pair (`Playlist.track_collection`, `Track.playlist_collection`). A table without
//! a primary key gets no class.
//!
//! **Clashes**, as SQLAlchemy: names are unique per class. When a second foreign key to the
//! same table would make a relationship name taken already (`Customer.employee` twice), the
//! first foreign key (in the table's order) keeps it and the later one gets none (a warning on
//! the `athanor::orm` tracing target names it); a relationship named like a column of its class
//! is an error ([`Error::Argument`]). Either way, give naming functions
//! ([`AutomapOptions::name_for_scalar_relationship`], ...) to choose other names.
//!
//! Not done: cascades (SQLAlchemy's automap puts `all, delete-orphan` on a one-to-many whose
//! foreign key is NOT NULL: here deleting a parent deletes no child), many-to-many changes
//! (read them; write the association table's rows with the Core), eager loader options
//! (relationships load on first access, for every object of the class at once).

mod build;
mod flush;
mod lifecycle;
mod object;
mod query;
mod relate;
mod related;
mod session;
mod store;

use std::sync::Arc;

use athanor_core::schema::{ForeignKeyConstraint, MetaData, Table};
use athanor_core::sql::Expr;

use crate::create_drop::MetaDataExt;
use crate::{Engine, Error, Result};

pub use object::{DynEdit, DynKey, DynObject, DynRef, DynValues};
pub use query::DynQuery;

pub(crate) use relate::sync_links;

use super::relationship::Direction;
#[allow(unused_imports)]
use super::session::Session;

/// Reflects every table of the engine's default schema and maps each one (SQLAlchemy's
/// `automap_base()` then `prepare(autoload_with=engine)`); [`AutomapOptions`] for a schema,
/// some tables, or other names.
///
/// ```
/// use athanor::orm::automap;
/// let (engine, _) = athanor::chinook::load()?;
/// let auto = automap(&engine)?;
/// assert_eq!(auto.class_names(), [
///     "Album", "Artist", "Customer", "Employee", "Genre", "Invoice", "InvoiceLine",
///     "MediaType", "Playlist", "Track",
/// ]); // PlaylistTrack is an association table: Playlist.track_collection
/// # Ok::<(), athanor::Error>(())
/// ```
///
/// # Errors
/// The database's error while reflecting; [`Error::Argument`] for a
/// relationship named like a column (see [the module's docs](self)).
pub fn automap(engine: &Engine) -> Result<Automap> {
    AutomapOptions::new().prepare(engine)
}

/// A naming function of [`AutomapOptions`] for relationships: (the class the relationship is
/// on, the class it refers to, the foreign key) to the relationship's name.
pub type RelationshipNamer = Arc<dyn Fn(&str, &str, &ForeignKeyConstraint) -> String + Send + Sync>;

/// A naming function of [`AutomapOptions`] for classes: a table to its class's name.
pub type ClassNamer = Arc<dyn Fn(&Table) -> String + Send + Sync>;

/// How [`automap`] maps (SQLAlchemy's `prepare()` arguments): the schema, the tables, and the
/// naming functions.
///
/// ```
/// use athanor::orm::AutomapOptions;
/// let (engine, _) = athanor::chinook::load()?;
/// let auto = AutomapOptions::new()
///     .only(&["Album", "Artist"])
///     .classname_for_table(|t| t.name().to_lowercase())
///     .name_for_collection_relationship(|_, referred, _| format!("{referred}s"))
///     .prepare(&engine)?;
/// assert_eq!(auto.class_names(), ["album", "artist"]);
/// let names: Vec<String> = auto.class("artist")?.relationships().into_iter().map(|r| r.name).collect();
/// assert_eq!(names, ["albums"]);
/// # Ok::<(), athanor::Error>(())
/// ```
#[derive(Clone, Default)]
pub struct AutomapOptions {
    schema: Option<String>,
    only: Option<Vec<String>>,
    classname: Option<ClassNamer>,
    scalar: Option<RelationshipNamer>,
    collection: Option<RelationshipNamer>,
}

impl std::fmt::Debug for AutomapOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AutomapOptions")
            .field("schema", &self.schema)
            .field("only", &self.only)
            .finish_non_exhaustive()
    }
}

impl AutomapOptions {
    /// SQLAlchemy's defaults: every table of the default schema, classes named after their
    /// tables, relationships named as [the module's docs](self) say.
    pub fn new() -> AutomapOptions {
        AutomapOptions::default()
    }

    /// Reflects this schema (a PostgreSQL schema, a MySQL database) instead of the default.
    pub fn schema(mut self, schema: impl Into<String>) -> AutomapOptions {
        self.schema = Some(schema.into());
        self
    }

    /// Reflects these tables only (and the tables their foreign keys refer to), as
    /// `reflection_options={"only": [...]}`.
    pub fn only(mut self, tables: &[&str]) -> AutomapOptions {
        self.only = Some(tables.iter().map(|s| s.to_string()).collect());
        self
    }

    /// A class's name from its table (default: the table's name).
    pub fn classname_for_table(
        mut self,
        f: impl Fn(&Table) -> String + Send + Sync + 'static,
    ) -> AutomapOptions {
        self.classname = Some(Arc::new(f));
        self
    }

    /// A many-to-one relationship's name from (its class, the referred class, the foreign
    /// key); default: the referred class's name in lower case.
    pub fn name_for_scalar_relationship(
        mut self,
        f: impl Fn(&str, &str, &ForeignKeyConstraint) -> String + Send + Sync + 'static,
    ) -> AutomapOptions {
        self.scalar = Some(Arc::new(f));
        self
    }

    /// A one-to-many or many-to-many relationship's name from (its class, the referred class,
    /// the foreign key); default: the referred class's name in lower case plus `_collection`.
    pub fn name_for_collection_relationship(
        mut self,
        f: impl Fn(&str, &str, &ForeignKeyConstraint) -> String + Send + Sync + 'static,
    ) -> AutomapOptions {
        self.collection = Some(Arc::new(f));
        self
    }

    /// Reflects the tables and maps them.
    ///
    /// # Errors
    /// As [`automap`]; [`Error::NoSuchTable`] for a table of
    /// [`AutomapOptions::only`] that doesn't exist.
    pub fn prepare(&self, engine: &Engine) -> Result<Automap> {
        let metadata = MetaData::new();
        match &self.only {
            Some(list) => {
                let names: Vec<&str> = list.iter().map(String::as_str).collect();
                metadata.reflect_only(engine, self.schema.as_deref(), &names)?;
            }
            None => match &self.schema {
                Some(s) => metadata.reflect_schema(engine, s)?,
                None => metadata.reflect(engine)?,
            },
        }
        self.prepare_metadata(&metadata)
    }

    /// Maps the tables a [`MetaData`] already holds, with no reflection (SQLAlchemy's
    /// `prepare()` on a base whose metadata is filled).
    ///
    /// ```
    /// use athanor::orm::AutomapOptions;
    /// use athanor::prelude::*;
    /// let md = MetaData::new();
    /// Table::build("parent", &md).column(Column::new("id", Type::Integer).primary_key()).finish()?;
    /// Table::build("child", &md)
    ///     .column(Column::new("id", Type::Integer).primary_key())
    ///     .column(Column::new("parent_id", Type::Integer).foreign_key(ForeignKey::new("parent.id")))
    ///     .finish()?;
    /// let auto = AutomapOptions::new().prepare_metadata(&md)?;
    /// let rels = auto.class("child")?.relationships();
    /// assert_eq!((rels[0].name.as_str(), rels[0].target.as_str()), ("parent", "parent"));
    /// # Ok::<(), athanor::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`automap`].
    pub fn prepare_metadata(&self, metadata: &MetaData) -> Result<Automap> {
        let classes = build::classes(metadata, self)?;
        Ok(Automap {
            set: Arc::new(classes),
        })
    }
}

/// The classes [`automap`] made, one per mapped table (SQLAlchemy's `Base.classes`). Cheap to
/// clone.
#[derive(Clone)]
pub struct Automap {
    set: Arc<build::Classes>,
}

impl std::fmt::Debug for Automap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Automap({})", self.class_names().join(", "))
    }
}

impl Automap {
    /// The class named `name` (SQLAlchemy's `Base.classes.Album`).
    ///
    /// ```
    /// # let (engine, _) = athanor::chinook::load()?;
    /// let auto = athanor::orm::automap(&engine)?;
    /// assert_eq!(auto.class("Album")?.name(), "Album");
    /// let err = auto.class("PlaylistTrack").unwrap_err();
    /// assert!(err.to_string().contains("no class \"PlaylistTrack\""), "{err}");
    /// # Ok::<(), athanor::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Argument`] listing the classes there are.
    pub fn class(&self, name: &str) -> Result<Class> {
        match self.set.list.iter().position(|c| c.name == name) {
            Some(index) => Ok(Class {
                set: self.set.clone(),
                index,
            }),
            None => Err(Error::Argument(format!(
                "no class \"{name}\" in the automap (tables without a primary key and association tables get none); the classes are: {}",
                self.class_names().join(", ")
            ))),
        }
    }

    /// Every class, sorted by name.
    pub fn classes(&self) -> Vec<Class> {
        (0..self.set.list.len())
            .map(|index| Class {
                set: self.set.clone(),
                index,
            })
            .collect()
    }

    /// The classes' names, sorted (example on [`automap`]).
    pub fn class_names(&self) -> Vec<&str> {
        self.set.list.iter().map(|c| c.name.as_str()).collect()
    }

    /// The reflected tables, association tables and tables without a key included.
    pub fn metadata(&self) -> &MetaData {
        &self.set.metadata
    }
}

/// One automapped class: a table with its relationships (SQLAlchemy's `Base.classes.Album`).
/// Its objects are [`DynRef`] handles of a [`Session`]. Cheap to clone.
///
/// ```
/// use athanor::orm::{Direction, automap};
/// let (engine, _) = athanor::chinook::load()?;
/// let track = automap(&engine)?.class("Track")?;
/// assert_eq!(track.columns()[..3], ["TrackId", "Name", "AlbumId"]);
/// assert_eq!(track.primary_key(), ["TrackId"]);
/// let rels: Vec<(String, Direction, String)> = track
///     .relationships()
///     .into_iter()
///     .map(|r| (r.name, r.direction, r.target))
///     .collect();
/// assert_eq!(rels[0], ("album".to_string(), Direction::ManyToOne, "Album".to_string()));
/// assert!(rels.contains(&("playlist_collection".to_string(), Direction::ManyToMany, "Playlist".to_string())));
/// # Ok::<(), athanor::Error>(())
/// ```
#[derive(Clone)]
pub struct Class {
    pub(crate) set: Arc<build::Classes>,
    pub(crate) index: usize,
}

impl std::fmt::Debug for Class {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Class({})", self.name())
    }
}

impl PartialEq for Class {
    fn eq(&self, other: &Class) -> bool {
        self.info().id == other.info().id
    }
}

/// What [`Class::relationships`] tells of one relationship.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RelationshipInfo {
    /// Its name (`"artist"`, `"album_collection"`).
    pub name: String,
    /// Which side holds the foreign key.
    pub direction: Direction,
    /// The class it refers to.
    pub target: String,
    /// The foreign key's columns (on this class for many-to-one, on the target for one-to-many,
    /// on the association table for many-to-many).
    pub foreign_key: Vec<String>,
}

impl Class {
    pub(crate) fn info(&self) -> &build::ClassInfo {
        &self.set.list[self.index]
    }

    /// Another class of the same automap, by index.
    pub(crate) fn sibling(&self, index: usize) -> Class {
        Class {
            set: self.set.clone(),
            index,
        }
    }

    /// The class's name.
    pub fn name(&self) -> &str {
        &self.info().name
    }

    /// The mapped table.
    pub fn table(&self) -> &Table {
        &self.info().table
    }

    /// The columns' names, in the table's order.
    pub fn columns(&self) -> &[String] {
        &self.info().columns
    }

    /// The primary key's columns, in key order.
    pub fn primary_key(&self) -> Vec<&str> {
        let info = self.info();
        info.primary_key
            .iter()
            .map(|&c| info.columns[c].as_str())
            .collect()
    }

    /// A column as a Core expression, for `filter` and `order_by` (panics naming the table and
    /// column for a name it doesn't have, as [`Table::c`] does; [`Class::try_c`] returns an
    /// error instead).
    ///
    /// ```
    /// use athanor::prelude::*;
    /// # let (engine, _) = athanor::chinook::load()?;
    /// let album = athanor::orm::automap(&engine)?.class("Album")?;
    /// let stmt = select(album.table()).filter(album.c("ArtistId").eq(1));
    /// assert_eq!(
    ///     stmt.compile(&athanor::dialect::Sqlite)?.sql(),
    ///     r#"SELECT "Album"."AlbumId", "Album"."Title", "Album"."ArtistId" FROM "Album" WHERE "Album"."ArtistId" = ?"#
    /// );
    /// # Ok::<(), athanor::Error>(())
    /// ```
    #[track_caller]
    pub fn c(&self, name: &str) -> Expr {
        self.info().table.c(name)
    }

    /// A column as a Core expression, or [`Error::NoSuchColumn`].
    ///
    /// # Errors
    /// [`Error::NoSuchColumn`] naming the table and column.
    pub fn try_c(&self, name: &str) -> Result<Expr> {
        self.info().table.try_c(name)
    }

    /// The class's relationships, in the order they were made (its foreign keys first, in the
    /// table's order; then the one-to-many and many-to-many sides others gave it).
    pub fn relationships(&self) -> Vec<RelationshipInfo> {
        let info = self.info();
        info.rels
            .iter()
            .map(|r| RelationshipInfo {
                name: r.name.clone(),
                direction: r.dir,
                target: self.set.list[r.target].name.clone(),
                foreign_key: r.fk_columns.clone(),
            })
            .collect()
    }
}
