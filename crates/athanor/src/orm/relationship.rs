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

use std::any::Any;
use std::fmt;

use super::handle::Ref;
pub use super::rel_info::{Cascade, Direction, Lazy, Many, One, Rel, RelInfo, RelKind};
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
