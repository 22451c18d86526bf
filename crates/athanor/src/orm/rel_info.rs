//! What a relationship is, statically: the typed constants the derive emits per relationship
//! ([`Rel`], `Artist::albums`, of kind [`Many`] or [`One`]), and the declaration behind them
//! ([`RelInfo`]: [`Cascade`], [`Lazy`], [`Direction`]).

use std::any::TypeId;
use std::fmt;
use std::marker::PhantomData;

use athanor_core::schema::Table;

use super::handle::Ref;
use super::model::Model;
use super::relationship::RawRef;

/// The kind of a relationship constant: [`Many`] (a [`Collection`](super::Collection)) or [`One`] (a
/// [`Related`](super::Related)); it says what reading the relationship gives.
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
    /// Not loaded; reading it is [`Error::NotLoaded`](crate::Error::NotLoaded) (the default: no implicit I/O).
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
    /// The child holds it (`Artist.albums`; one-to-one is this with a [`Related`](super::Related) field).
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
