//! Relationships as a model declares them: the field types ([`Collection`] for a list of
//! related objects, [`Related`] for one), the typed constants the derive emits per
//! relationship ([`Rel`], `Artist::albums`), and their static description ([`RelInfo`]).
//!
//! A relationship field holds handles of objects in the same session, and knows whether it
//! was loaded: reading one that never was is [`Error::NotLoaded`] naming it (SQLAlchemy's
//! `lazy="raise"`), never an empty list. Loading is done by the session (`selectin`,
//! `joined`, [`Session::load`](super::Session::load)); changing goes through the session
//! too ([`Session::append`](super::Session::append), [`Session::set`](super::Session::set), ...)
//! so that both sides of a `back_populates` pair stay in step.

use std::any::{Any, TypeId};
use std::fmt;
use std::marker::PhantomData;

use athanor_core::schema::Table;

use super::handle::Ref;
use super::model::Model;
use crate::{Error, Result};

/// A handle without its type: what relationship fields store.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RawRef {
    pub(crate) session: u32,
    pub(crate) index: u32,
    pub(crate) generation: u32,
}

impl RawRef {
    pub(crate) fn typed<M>(self) -> Ref<M> {
        Ref::new(self.session, self.index, self.generation)
    }
}

impl<M> From<Ref<M>> for RawRef {
    fn from(r: Ref<M>) -> RawRef {
        RawRef {
            session: r.session,
            index: r.index,
            generation: r.generation,
        }
    }
}

/// Whether a relationship field holds what the database has.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoadState {
    /// Never loaded (or expired): reading it is `NotLoaded`, naming the relationship.
    Unloaded(&'static str),
    /// Holds every related object.
    Loaded,
    /// Holds some of them: a filtered eager load (`contains_eager` over a filtered join).
    Partial,
}

fn not_loaded(name: &str) -> Error {
    Error::NotLoaded(format!(
        "{name} was never loaded (or expired): load it with a loader option (selectin, joined) \
         or session.load(), or give it a default strategy (lazy = \"selectin\")"
    ))
}

/// A one-to-many or many-to-many relationship's field: the related objects, in the
/// relationship's `order_by` when loaded.
///
/// A new object's collection is empty and loaded ([`Collection::new`], `Default`); one built
/// from new objects ([`Collection::of`]) adds them with its parent (SQLAlchemy's `save-update`
/// cascade). A loaded object's collection starts unloaded: load it with a loader option or
/// [`Session::load`](super::Session::load). Change it through the session
/// ([`Session::append`](super::Session::append), [`Session::remove`](super::Session::remove),
/// [`Session::replace`](super::Session::replace)), which keeps the other side in step.
///
/// ```
/// use athanor::orm::Collection;
/// # use athanor::prelude::*;
/// # #[derive(Debug, Clone, PartialEq, Model)]
/// # #[athanor(table = "Album")]
/// # struct Album {
/// #     #[athanor(primary_key, column = "AlbumId")] id: i64,
/// #     #[athanor(column = "Title")] title: String,
/// # }
/// let none: Collection<Album> = Collection::new();
/// assert_eq!(none.len()?, 0);
/// let two = Collection::of([Album { id: 1, title: "A".into() }, Album { id: 2, title: "B".into() }]);
/// assert!(two.is_loaded());
/// assert_eq!(two.len()?, 2); // two new objects, added with their parent
/// # Ok::<(), athanor::Error>(())
/// ```
pub struct Collection<C> {
    pub(crate) state: LoadState,
    pub(crate) items: Vec<RawRef>,
    pub(crate) new: Vec<C>,
}

impl<C> Collection<C> {
    /// An empty, loaded collection (a new object's).
    pub fn new() -> Self {
        Collection {
            state: LoadState::Loaded,
            items: Vec::new(),
            new: Vec::new(),
        }
    }

    /// A collection of new objects: adding the parent adds them (`save-update`), and the
    /// flush fills in their foreign keys.
    pub fn of(objects: impl IntoIterator<Item = C>) -> Self {
        Collection {
            state: LoadState::Loaded,
            items: Vec::new(),
            new: objects.into_iter().collect(),
        }
    }

    /// A collection of objects already in the session.
    pub fn from_refs(refs: impl IntoIterator<Item = Ref<C>>) -> Self {
        Collection {
            state: LoadState::Loaded,
            items: refs.into_iter().map(RawRef::from).collect(),
            new: Vec::new(),
        }
    }

    /// An unloaded collection of the relationship `name` (`"Artist.albums"`).
    #[doc(hidden)]
    pub fn unloaded(name: &'static str) -> Self {
        Collection {
            state: LoadState::Unloaded(name),
            items: Vec::new(),
            new: Vec::new(),
        }
    }

    /// Loaded (wholly or, after a filtered eager load, partly).
    pub fn is_loaded(&self) -> bool {
        !matches!(self.state, LoadState::Unloaded(_))
    }

    /// Loaded by a filtered eager load: it holds only the objects the filter let through.
    pub fn is_partial(&self) -> bool {
        self.state == LoadState::Partial
    }

    fn check(&self) -> Result<()> {
        match self.state {
            LoadState::Unloaded(name) => Err(not_loaded(name)),
            _ => Ok(()),
        }
    }

    /// The related objects' handles (objects given with [`Collection::of`] get theirs when
    /// the parent is added).
    ///
    /// # Errors
    /// [`Error::NotLoaded`] when the collection was never loaded.
    pub fn iter(&self) -> Result<impl ExactSizeIterator<Item = Ref<C>> + '_> {
        self.check()?;
        Ok(self.items.iter().map(|r| r.typed()))
    }

    /// The related objects' handles, as a `Vec`.
    ///
    /// # Errors
    /// [`Error::NotLoaded`] when the collection was never loaded.
    pub fn to_vec(&self) -> Result<Vec<Ref<C>>> {
        Ok(self.iter()?.collect())
    }

    /// How many objects it holds (new ones included).
    ///
    /// # Errors
    /// [`Error::NotLoaded`] when the collection was never loaded.
    pub fn len(&self) -> Result<usize> {
        self.check()?;
        Ok(self.items.len() + self.new.len())
    }

    /// Holds no object.
    ///
    /// # Errors
    /// [`Error::NotLoaded`] when the collection was never loaded.
    pub fn is_empty(&self) -> Result<bool> {
        Ok(self.len()? == 0)
    }

    /// Holds `r`.
    ///
    /// # Errors
    /// [`Error::NotLoaded`] when the collection was never loaded.
    pub fn contains(&self, r: Ref<C>) -> Result<bool> {
        self.check()?;
        Ok(self.items.contains(&RawRef::from(r)))
    }
}

impl<C> Default for Collection<C> {
    fn default() -> Self {
        Collection::new()
    }
}

impl<C: Clone> Clone for Collection<C> {
    fn clone(&self) -> Self {
        Collection {
            state: self.state,
            items: self.items.clone(),
            new: self.new.clone(),
        }
    }
}

/// Equal when both hold the same handles in the same order (and as many new objects).
impl<C> PartialEq for Collection<C> {
    fn eq(&self, other: &Self) -> bool {
        self.state == other.state && self.items == other.items && self.new.len() == other.new.len()
    }
}

impl<C> fmt::Debug for Collection<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.state {
            LoadState::Unloaded(name) => write!(f, "Collection({name}: not loaded)"),
            _ => {
                let mut l = f.debug_list();
                for r in &self.items {
                    l.entry(&format_args!("#{}.{}", r.index, r.generation));
                }
                for _ in &self.new {
                    l.entry(&format_args!("new"));
                }
                l.finish()
            }
        }
    }
}

impl<C> From<Vec<C>> for Collection<C> {
    fn from(v: Vec<C>) -> Self {
        Collection::of(v)
    }
}

/// A many-to-one or one-to-one relationship's field: the related object, if any.
///
/// A new object's is empty and loaded (`Default`); [`Related::to`] points it at an object in
/// the session, [`Related::new`] at a new object added with it. A loaded object's starts
/// unloaded. Change it with [`Session::set`](super::Session::set).
///
/// ```
/// use athanor::orm::Related;
/// # use athanor::prelude::*;
/// # #[derive(Debug, Clone, PartialEq, Model)]
/// # #[athanor(table = "Artist")]
/// # struct Artist {
/// #     #[athanor(primary_key, column = "ArtistId")] id: i64,
/// # }
/// let none: Related<Artist> = Related::default();
/// assert_eq!(none.get()?, None);
/// let new = Related::new(Artist { id: 7 });
/// assert!(new.is_loaded());
/// # Ok::<(), athanor::Error>(())
/// ```
pub struct Related<C> {
    pub(crate) state: LoadState,
    pub(crate) item: Option<RawRef>,
    pub(crate) new: Option<Box<C>>,
}

impl<C> Related<C> {
    /// A new object, added with the parent (`save-update`).
    pub fn new(object: C) -> Self {
        Related {
            state: LoadState::Loaded,
            item: None,
            new: Some(Box::new(object)),
        }
    }

    /// An object already in the session.
    pub fn to(r: Ref<C>) -> Self {
        Related {
            state: LoadState::Loaded,
            item: Some(r.into()),
            new: None,
        }
    }

    /// An unloaded relationship `name` (`"Album.artist"`).
    #[doc(hidden)]
    pub fn unloaded(name: &'static str) -> Self {
        Related {
            state: LoadState::Unloaded(name),
            item: None,
            new: None,
        }
    }

    /// Loaded.
    pub fn is_loaded(&self) -> bool {
        !matches!(self.state, LoadState::Unloaded(_))
    }

    /// The related object's handle, or `None` (a new object given with [`Related::new`] gets
    /// its handle when the parent is added).
    ///
    /// # Errors
    /// [`Error::NotLoaded`] when it was never loaded.
    pub fn get(&self) -> Result<Option<Ref<C>>> {
        match self.state {
            LoadState::Unloaded(name) => Err(not_loaded(name)),
            _ => Ok(self.item.map(RawRef::typed)),
        }
    }
}

impl<C> Default for Related<C> {
    fn default() -> Self {
        Related {
            state: LoadState::Loaded,
            item: None,
            new: None,
        }
    }
}

impl<C: Clone> Clone for Related<C> {
    fn clone(&self) -> Self {
        Related {
            state: self.state,
            item: self.item,
            new: self.new.clone(),
        }
    }
}

/// Equal when both point at the same object (or both at a new one, or none).
impl<C> PartialEq for Related<C> {
    fn eq(&self, other: &Self) -> bool {
        self.state == other.state
            && self.item == other.item
            && self.new.is_some() == other.new.is_some()
    }
}

impl<C> fmt::Debug for Related<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.state, self.item, &self.new) {
            (LoadState::Unloaded(name), _, _) => write!(f, "Related({name}: not loaded)"),
            (_, Some(r), _) => write!(f, "Related(#{}.{})", r.index, r.generation),
            (_, None, Some(_)) => write!(f, "Related(new)"),
            (_, None, None) => write!(f, "Related(None)"),
        }
    }
}

impl<C> From<Ref<C>> for Related<C> {
    fn from(r: Ref<C>) -> Self {
        Related::to(r)
    }
}

/// What the session asks of a relationship field, whatever its type.
#[doc(hidden)]
pub trait RelField: Send + Sync + 'static {
    fn state(&self) -> LoadState;
    fn set_state(&mut self, s: LoadState);
    fn refs(&self) -> &[RawRef];
    /// Replaces the handles (a `Related` keeps the first).
    fn set_refs(&mut self, refs: &[RawRef]);
    /// Adds a handle (a `Related` is replaced).
    fn push(&mut self, r: RawRef);
    /// Removes a handle; false when absent.
    fn remove(&mut self, r: RawRef) -> bool;
    fn has_new(&self) -> bool;
    fn as_any_mut(&mut self) -> &mut dyn Any;
}

impl<C: Send + Sync + 'static> RelField for Collection<C> {
    fn state(&self) -> LoadState {
        self.state
    }
    fn set_state(&mut self, s: LoadState) {
        if matches!(s, LoadState::Unloaded(_)) {
            self.items.clear();
        }
        self.state = s;
    }
    fn refs(&self) -> &[RawRef] {
        &self.items
    }
    fn set_refs(&mut self, refs: &[RawRef]) {
        self.items.clear();
        self.items.extend_from_slice(refs);
    }
    fn push(&mut self, r: RawRef) {
        self.items.push(r);
    }
    fn remove(&mut self, r: RawRef) -> bool {
        match self.items.iter().position(|x| *x == r) {
            Some(i) => {
                self.items.remove(i);
                true
            }
            None => false,
        }
    }
    fn has_new(&self) -> bool {
        !self.new.is_empty()
    }
    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

impl<C: Send + Sync + 'static> RelField for Related<C> {
    fn state(&self) -> LoadState {
        self.state
    }
    fn set_state(&mut self, s: LoadState) {
        if matches!(s, LoadState::Unloaded(_)) {
            self.item = None;
        }
        self.state = s;
    }
    fn refs(&self) -> &[RawRef] {
        self.item.as_slice()
    }
    fn set_refs(&mut self, refs: &[RawRef]) {
        self.item = refs.first().copied();
    }
    fn push(&mut self, r: RawRef) {
        self.item = Some(r);
    }
    fn remove(&mut self, r: RawRef) -> bool {
        if self.item == Some(r) {
            self.item = None;
            true
        } else {
            false
        }
    }
    fn has_new(&self) -> bool {
        self.new.is_some()
    }
    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

/// The kind of a relationship constant: [`Many`] (a [`Collection`]) or [`One`] (a
/// [`Related`]); it says what reading the relationship gives.
pub trait RelKind: 'static {
    /// `Vec<Ref<C>>` or `Option<Ref<C>>`.
    type Out<C>;
    /// Whether the field is a collection.
    const MANY: bool;
    #[doc(hidden)]
    fn out<C>(refs: &[RawRef]) -> Self::Out<C>;
}

/// A collection relationship (one-to-many, many-to-many).
#[derive(Debug, Clone, Copy)]
pub struct Many;
/// A scalar relationship (many-to-one, one-to-one).
#[derive(Debug, Clone, Copy)]
pub struct One;

impl RelKind for Many {
    type Out<C> = Vec<Ref<C>>;
    const MANY: bool = true;
    fn out<C>(refs: &[RawRef]) -> Vec<Ref<C>> {
        refs.iter().map(|r| r.typed()).collect()
    }
}

impl RelKind for One {
    type Out<C> = Option<Ref<C>>;
    const MANY: bool = false;
    fn out<C>(refs: &[RawRef]) -> Option<Ref<C>> {
        refs.first().map(|r| r.typed())
    }
}

/// A typed relationship constant (`Artist::albums`), emitted by the derive: it names the
/// relationship in load paths (`selectin(Artist::albums).selectin(Album::tracks)`), joins
/// (`query::<Track>().join(Track::album)`), filters (`Artist::albums.any(...)`) and the
/// session's relationship methods.
pub struct Rel<P, C, K> {
    index: usize,
    name: &'static str,
    _types: Types<P, C, K>,
}

/// What a [`Rel`] is typed by: parent, target, kind.
type Types<P, C, K> = PhantomData<fn() -> (P, C, K)>;

impl<P, C, K> Clone for Rel<P, C, K> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<P, C, K> Copy for Rel<P, C, K> {}

impl<P, C, K> fmt::Debug for Rel<P, C, K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Rel({})", self.name)
    }
}

impl<P, C, K> Rel<P, C, K> {
    /// The constant for relationship `index` named `name` (the derive writes these).
    #[doc(hidden)]
    pub const fn new(index: usize, name: &'static str) -> Self {
        Rel {
            index,
            name,
            _types: PhantomData,
        }
    }

    /// The relationship's field name.
    pub fn name(self) -> &'static str {
        self.name
    }

    /// Its position among the model's relationships.
    pub fn index(self) -> usize {
        self.index
    }
}

impl<P: Model, C: Model, K: RelKind> Rel<P, C, K> {
    /// Its static description.
    pub(crate) fn info(self) -> &'static RelInfo {
        &P::RELATIONSHIPS[self.index]
    }
}

/// SQLAlchemy's cascades: what an operation on a parent does to the objects of one of its
/// relationships (`cascade = "all, delete-orphan"` in the derive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(clippy::struct_excessive_bools)]
pub struct Cascade {
    /// Adding the parent adds the related objects (default on).
    pub save_update: bool,
    /// Merging the parent merges them (default on).
    pub merge: bool,
    /// Deleting the parent deletes them.
    pub delete: bool,
    /// A child removed from the parent's collection is deleted.
    pub delete_orphan: bool,
    /// Refreshing or expiring the parent does the same to them.
    pub refresh_expire: bool,
    /// Expunging the parent expunges them.
    pub expunge: bool,
}

impl Cascade {
    /// `"save-update, merge"`, SQLAlchemy's default.
    pub const DEFAULT: Cascade = Cascade {
        save_update: true,
        merge: true,
        delete: false,
        delete_orphan: false,
        refresh_expire: false,
        expunge: false,
    };
}

/// How a relationship loads when its parent is loaded and no loader option says otherwise
/// (`lazy = "..."` in the derive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lazy {
    /// Not loaded; reading it is [`Error::NotLoaded`] (the default: no implicit I/O).
    Raise,
    /// Loaded when read through [`Session::related`](super::Session::related): for every
    /// object of the parent's type in the session lacking it, in one batched query.
    Select,
    /// Loaded with its parents, one `IN` query per level.
    Selectin,
    /// Loaded with its parents, by an outer join.
    Joined,
}

/// Which side holds the foreign key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// The parent holds the foreign key (`Album.artist`).
    ManyToOne,
    /// The child holds it (`Artist.albums`; one-to-one is this with a [`Related`] field).
    OneToMany,
    /// A secondary table holds both (`Playlist.tracks`).
    ManyToMany,
}

/// A relationship's declaration, as the derive writes it.
#[doc(hidden)]
pub struct RelInfo {
    pub name: &'static str,
    /// `"Artist.albums"`.
    pub qualname: &'static str,
    pub many: bool,
    pub secondary: Option<fn() -> &'static Table>,
    pub fk: &'static [&'static str],
    pub remote_side: &'static [&'static str],
    pub back_populates: Option<&'static str>,
    /// Target columns, each optionally followed by ` desc`.
    pub order_by: &'static [&'static str],
    pub cascade: Cascade,
    pub passive_deletes: bool,
    pub post_update: bool,
    pub lazy: Lazy,
    /// `many_to_one`, `one_to_many`, `one_to_one`, `many_to_many` when given.
    pub direction: Option<Direction>,
    pub ops: &'static dyn super::rel_ops::RelOps,
}

impl fmt::Debug for RelInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RelInfo({})", self.qualname)
    }
}

impl RelInfo {
    pub(crate) fn target(&self) -> TypeId {
        self.ops.target()
    }
}
