//! Load paths: [`selectin`] and [`joined`] steps chained into typed paths ([`Load`]) or given
//! by names ([`LoadPath`]), merged into the plan tree ([`PlanNode`]) a query runs after its
//! rows.

use std::any::TypeId;
use std::marker::PhantomData;

use super::handle::Ref;
use super::model::Model;
use super::query::Query;
use super::relationship::{Rel, RelInfo, RelKind};
use crate::{Error, Result};

/// How a load path loads one relationship.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strategy {
    /// One `SELECT ... WHERE key IN (...)` per level for all parents (500 keys a query).
    Selectin,
    /// An outer join in the parents' own query.
    Joined,
    /// From the columns of a join the query already has (SQLAlchemy's `contains_eager`);
    /// a collection read from a filtered query is marked partial.
    ContainsEager,
}

/// The relationships a load came by, outermost first: (parent type, index, description).
#[doc(hidden)]
pub type Trail = Vec<(TypeId, usize, &'static RelInfo)>;

/// One relationship of a load plan, with what to load below it.
#[doc(hidden)]
#[derive(Debug, Clone)]
pub struct PlanNode {
    pub(crate) info: &'static RelInfo,
    pub(crate) index: usize,
    pub(crate) strategy: Strategy,
    pub(crate) children: Vec<PlanNode>,
}

/// Adds a chain of steps to a plan, merging with the steps already there.
pub(crate) fn merge_chain(plan: &mut Vec<PlanNode>, chain: &[(&'static RelInfo, usize, Strategy)]) {
    let Some((&(info, index, strategy), rest)) = chain.split_first() else {
        return;
    };
    let at = match plan.iter().position(|n| std::ptr::eq(n.info, info)) {
        Some(at) => {
            plan[at].strategy = strategy;
            at
        }
        None => {
            plan.push(PlanNode {
                info,
                index,
                strategy,
                children: Vec::new(),
            });
            plan.len() - 1
        }
    };
    merge_chain(&mut plan[at].children, rest);
}

/// A typed load path from `P` (the queried model) down to `L` (its last step's target):
/// `selectin(Artist::albums).selectin(Album::tracks).joined(Track::genre)`. Give several to
/// [`Query::options`](super::Query::options) for branches.
///
/// ```
/// use athanor::prelude::*;
/// use athanor::orm::{Collection, Related, selectin};
///
/// #[derive(Debug, Clone, PartialEq, Model)]
/// #[athanor(table = "Artist")]
/// struct Artist {
///     #[athanor(primary_key, column = "ArtistId")] id: i64,
///     #[athanor(column = "Name")] name: Option<String>,
///     #[athanor(back_populates = "artist", order_by = "AlbumId")]
///     albums: Collection<Album>,
/// }
/// #[derive(Debug, Clone, PartialEq, Model)]
/// #[athanor(table = "Album")]
/// struct Album {
///     #[athanor(primary_key, column = "AlbumId")] id: i64,
///     #[athanor(column = "Title")] title: String,
///     #[athanor(column = "ArtistId", foreign_key = "Artist.ArtistId")] artist_id: i64,
///     #[athanor(back_populates = "albums")]
///     artist: Related<Artist>,
/// }
///
/// let (engine, _) = athanor::chinook::load()?;
/// let mut s = Session::new(&engine);
/// let artists = s
///     .query::<Artist>()
///     .filter(Artist::ID.in_([1, 2]))
///     .order_by(Artist::ID)
///     .options(selectin(Artist::albums)) // one more query, for both artists
///     .all()?;
/// let albums = s.read(artists[0])?.albums.to_vec()?;
/// assert_eq!(s.read(albums[0])?.title, "For Those About To Rock We Salute You");
/// assert_eq!(s.read(albums[0])?.artist.get()?, Some(artists[0])); // back_populates, no query
/// # Ok::<(), athanor::Error>(())
/// ```
pub struct Load<P, L> {
    pub(crate) chain: Vec<(&'static RelInfo, usize, Strategy)>,
    _types: PhantomData<fn() -> (P, L)>,
}

impl<P, L> Clone for Load<P, L> {
    fn clone(&self) -> Self {
        Load {
            chain: self.chain.clone(),
            _types: PhantomData,
        }
    }
}

impl<P, L> std::fmt::Debug for Load<P, L> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let steps: Vec<String> = self
            .chain
            .iter()
            .map(|(i, _, s)| format!("{s:?}({})", i.qualname))
            .collect();
        write!(f, "Load[{}]", steps.join(" → "))
    }
}

/// Starts a load path: load `rel` with one `IN` query per level (SQLAlchemy's
/// `selectinload`).
pub fn selectin<P: Model, C: Model, K: RelKind>(rel: Rel<P, C, K>) -> Load<P, C> {
    Load {
        chain: vec![(rel.info(), rel.index(), Strategy::Selectin)],
        _types: PhantomData,
    }
}

/// Starts a load path: load `rel` by an outer join in the parents' query (SQLAlchemy's
/// `joinedload`).
pub fn joined<P: Model, C: Model, K: RelKind>(rel: Rel<P, C, K>) -> Load<P, C> {
    Load {
        chain: vec![(rel.info(), rel.index(), Strategy::Joined)],
        _types: PhantomData,
    }
}

/// Starts a load path: fill `rel` from the columns of a join the query makes itself
/// (SQLAlchemy's `contains_eager`): the target table's columns are added to the SELECT. A
/// collection filled by a query with a WHERE clause or a LIMIT holds only what the filter
/// let through, and is marked partial ([`Collection::is_partial`](super::Collection::is_partial)).
///
/// ```
/// use athanor::prelude::*;
/// use athanor::orm::{Related, contains_eager};
/// #[derive(Debug, Clone, PartialEq, Model)]
/// #[athanor(table = "Genre")]
/// struct Genre {
///     #[athanor(primary_key, column = "GenreId")] id: i64,
///     #[athanor(column = "Name")] name: Option<String>,
/// }
/// #[derive(Debug, Clone, PartialEq, Model)]
/// #[athanor(table = "Track")]
/// struct Track {
///     #[athanor(primary_key, column = "TrackId")] id: i64,
///     #[athanor(column = "GenreId", foreign_key = "Genre.GenreId")] genre_id: Option<i64>,
///     genre: Related<Genre>,
/// }
/// let (engine, _) = athanor::chinook::load()?;
/// let mut s = Session::new(&engine);
/// let jazz = s
///     .query::<Track>()
///     .join(Genre::table())
///     .filter(Genre::NAME.eq("Jazz"))
///     .options(contains_eager(Track::genre))
///     .all()?; // one statement
/// let g = s.read(jazz[0])?.genre.get()?.expect("a genre");
/// assert_eq!(s.read(g)?.name.as_deref(), Some("Jazz"));
/// # Ok::<(), athanor::Error>(())
/// ```
pub fn contains_eager<P: Model, C: Model, K: RelKind>(rel: Rel<P, C, K>) -> Load<P, C> {
    Load {
        chain: vec![(rel.info(), rel.index(), Strategy::ContainsEager)],
        _types: PhantomData,
    }
}

impl<P: Model, L: Model> Load<P, L> {
    /// Then fills `rel` of the objects the path reached from a join the query makes.
    pub fn contains_eager<C: Model, K: RelKind>(mut self, rel: Rel<L, C, K>) -> Load<P, C> {
        self.chain
            .push((rel.info(), rel.index(), Strategy::ContainsEager));
        Load {
            chain: self.chain,
            _types: PhantomData,
        }
    }

    /// Then loads `rel` of the objects the path reached, `selectin`.
    pub fn selectin<C: Model, K: RelKind>(mut self, rel: Rel<L, C, K>) -> Load<P, C> {
        self.chain
            .push((rel.info(), rel.index(), Strategy::Selectin));
        Load {
            chain: self.chain,
            _types: PhantomData,
        }
    }

    /// Then loads `rel` of the objects the path reached, `joined`.
    pub fn joined<C: Model, K: RelKind>(mut self, rel: Rel<L, C, K>) -> Load<P, C> {
        self.chain.push((rel.info(), rel.index(), Strategy::Joined));
        Load {
            chain: self.chain,
            _types: PhantomData,
        }
    }
}

/// A load path given by relationship names, for code that knows them only at run time:
/// `selectin_path("albums.tracks.genre")`; every step loads with the path's strategy.
#[derive(Debug, Clone)]
pub struct LoadPath {
    pub(crate) path: String,
    pub(crate) strategy: Strategy,
}

/// A load path by names, every step `selectin`.
pub fn selectin_path(path: &str) -> LoadPath {
    LoadPath {
        path: path.to_string(),
        strategy: Strategy::Selectin,
    }
}

/// A load path by names, every step `joined`.
pub fn joined_path(path: &str) -> LoadPath {
    LoadPath {
        path: path.to_string(),
        strategy: Strategy::Joined,
    }
}

/// What [`Query::options`](super::Query::options) takes for a query of `M`: a typed
/// [`Load`] from `M`, or a [`LoadPath`] resolved against `M`'s relationships.
pub trait LoadOption<M> {
    /// The path's steps.
    ///
    /// # Errors
    /// A name that isn't a relationship of the model reached at that step.
    #[doc(hidden)]
    fn steps(self) -> Result<Vec<(&'static RelInfo, usize, Strategy)>>;
}

impl<P: Model, L> LoadOption<P> for Load<P, L> {
    fn steps(self) -> Result<Vec<(&'static RelInfo, usize, Strategy)>> {
        Ok(self.chain)
    }
}

impl<M: Model> LoadOption<M> for LoadPath {
    fn steps(self) -> Result<Vec<(&'static RelInfo, usize, Strategy)>> {
        let mut rels: &'static [RelInfo] = M::RELATIONSHIPS;
        let mut owner = M::NAME;
        let mut out = Vec::new();
        for name in self.path.split('.').map(str::trim) {
            let Some(i) = rels.iter().position(|r| r.name == name) else {
                let known: Vec<&str> = rels.iter().map(|r| r.name).collect();
                return Err(Error::InvalidRequest(format!(
                    "load path \"{}\": {owner} has no relationship `{name}` (it has: {})",
                    self.path,
                    if known.is_empty() {
                        "none".to_string()
                    } else {
                        known.join(", ")
                    }
                )));
            };
            out.push((&rels[i], i, self.strategy));
            owner = rels[i].ops.target_name();
            rels = rels[i].ops.target_relationships();
        }
        Ok(out)
    }
}

impl<M: Model> Query<'_, Ref<M>> {
    /// Loads relationships of the objects the query returns, at any depth (SQLAlchemy's
    /// `options(selectinload(...))`): give typed paths (`selectin(Artist::albums)
    /// .selectin(Album::tracks)`) or name paths (`selectin_path("albums.tracks")`); call it
    /// again for branches. A `selectin` level costs one query for all its parents (500 keys a
    /// query). A name that isn't a relationship is an error when the query runs.
    ///
    /// ```
    /// use athanor::prelude::*;
    /// use athanor::orm::{Collection, selectin, selectin_path};
    /// #[derive(Debug, Clone, PartialEq, Model)]
    /// #[athanor(table = "Artist")]
    /// struct Artist {
    ///     #[athanor(primary_key, column = "ArtistId")] id: i64,
    ///     #[athanor(order_by = "AlbumId")] albums: Collection<Album>,
    /// }
    /// #[derive(Debug, Clone, PartialEq, Model)]
    /// #[athanor(table = "Album")]
    /// struct Album {
    ///     #[athanor(primary_key, column = "AlbumId")] id: i64,
    ///     #[athanor(column = "ArtistId", foreign_key = "Artist.ArtistId")] artist_id: i64,
    ///     #[athanor(order_by = "TrackId")] tracks: Collection<Track>,
    /// }
    /// #[derive(Debug, Clone, PartialEq, Model)]
    /// #[athanor(table = "Track")]
    /// struct Track {
    ///     #[athanor(primary_key, column = "TrackId")] id: i64,
    ///     #[athanor(column = "AlbumId", foreign_key = "Album.AlbumId")] album_id: Option<i64>,
    /// }
    /// let (engine, _) = athanor::chinook::load()?;
    /// let mut s = Session::new(&engine);
    /// let acdc = s.query::<Artist>().filter(Artist::ID.eq(1))
    ///     .options(selectin(Artist::albums).selectin(Album::tracks)) // 3 queries in all
    ///     .one()?;
    /// let albums = s.read(acdc)?.albums.to_vec()?;
    /// assert_eq!(s.read(albums[0])?.tracks.len()?, 10);
    /// let same = s.query::<Artist>().filter(Artist::ID.eq(1)).options(selectin_path("albums.tracks")).one()?;
    /// assert_eq!(same, acdc);
    /// assert!(s.query::<Artist>().options(selectin_path("songs")).all().is_err());
    /// # Ok::<(), athanor::Error>(())
    /// ```
    pub fn options(mut self, option: impl LoadOption<M>) -> Self {
        match option.steps() {
            Ok(chain) => merge_chain(&mut self.plan, &chain),
            Err(e) => {
                self.plan_error.get_or_insert(e);
            }
        }
        self
    }
}
