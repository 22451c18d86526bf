//! Lazy loading without N+1: [`Session::load`] loads a relationship for every object of its
//! type in the session still lacking it, in one batched query; [`Session::related`] reads one
//! (`raise` when never loaded, or the batched load for `lazy = "select"`).

use super::handle::Ref;
use super::load_path::Trail;
use super::loading::load_selectin;
use super::model::Model;
use super::relationship::{LoadState, Rel, RelKind};
use super::session::Session;
use super::store::State;
use crate::{Error, Result};

impl Session {
    /// Loads relationship `rel` for every object of `P` in the session lacking it (the one
    /// `h` included), in one batched query per 500 parents — SQLAlchemy's lazy load without
    /// its N+1 — and returns `h`'s related objects.
    ///
    /// ```
    /// use athanor::prelude::*;
    /// use athanor::orm::Collection;
    /// #[derive(Debug, Clone, PartialEq, Model)]
    /// #[athanor(table = "Artist")]
    /// struct Artist {
    ///     #[athanor(primary_key, column = "ArtistId")] id: i64,
    ///     #[athanor(order_by = "AlbumId")]
    ///     albums: Collection<Album>,
    /// }
    /// #[derive(Debug, Clone, PartialEq, Model)]
    /// #[athanor(table = "Album")]
    /// struct Album {
    ///     #[athanor(primary_key, column = "AlbumId")] id: i64,
    ///     #[athanor(column = "Title")] title: String,
    ///     #[athanor(column = "ArtistId", foreign_key = "Artist.ArtistId")] artist_id: i64,
    /// }
    /// let (engine, _) = athanor::chinook::load()?;
    /// let mut s = Session::new(&engine);
    /// let artists = s.query::<Artist>().filter(Artist::ID.le(3)).all()?;
    /// assert!(matches!(s.read(artists[0])?.albums.len(), Err(Error::NotLoaded(_))));
    /// let albums = s.load(artists[0], Artist::albums)?; // loads all three artists' albums
    /// assert_eq!(albums.len(), 2);
    /// assert_eq!(s.read(artists[2])?.albums.len()?, 1); // already loaded, no query
    /// # Ok::<(), athanor::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::DetachedInstance`] for a handle not of this session; the query's error.
    pub fn load<P: Model, C: Model, K: RelKind>(
        &mut self,
        h: Ref<P>,
        rel: Rel<P, C, K>,
    ) -> Result<K::Out<C>> {
        let me = self.slot_of(h)?;
        let index = rel.index();
        let store = self.store::<P>();
        let mut parents: Vec<u32> = (0..store.slots.len() as u32)
            .filter(|&i| {
                let slot = &store.slots[i as usize];
                matches!(slot.state, State::Persistent | State::Deleted)
                    && slot
                        .obj
                        .as_ref()
                        .and_then(|o| o.rel_field(index))
                        .is_some_and(|f| matches!(f.state(), LoadState::Unloaded(_)))
            })
            .collect();
        if !parents.contains(&me) {
            parents.push(me);
        }
        let mut path = Trail::new();
        let before = std::mem::replace(&mut self.populate_existing, false);
        let r = load_selectin::<P, C>(self, index, &parents, &[], &mut path);
        self.populate_existing = before;
        r?;
        self.related(h, rel)
    }

    /// Reads relationship `rel` of `h`: its related objects. A relationship that was never
    /// loaded is [`Error::NotLoaded`] naming it (`lazy = "raise"`, the default), or loaded
    /// now for every object lacking it when the relationship says `lazy = "select"`.
    ///
    /// ```
    /// use athanor::prelude::*;
    /// use athanor::orm::Related;
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
    ///     #[athanor(lazy = "select")]
    ///     genre: Related<Genre>,
    /// }
    /// let (engine, _) = athanor::chinook::load()?;
    /// let mut s = Session::new(&engine);
    /// let t = s.get::<Track>(1)?.expect("track 1");
    /// let g = s.related(t, Track::genre)?.expect("a genre"); // lazy = "select": loaded now
    /// assert_eq!(s.read(g)?.name.as_deref(), Some("Rock"));
    /// # Ok::<(), athanor::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::NotLoaded`]; [`Error::DetachedInstance`]; the load's error.
    pub fn related<P: Model, C: Model, K: RelKind>(
        &mut self,
        h: Ref<P>,
        rel: Rel<P, C, K>,
    ) -> Result<K::Out<C>> {
        let index = rel.index();
        let obj = self.read(h)?;
        let Some(field) = obj.rel_field(index) else {
            return Err(Error::InvalidRequest(format!(
                "{} has no relationship number {index}",
                P::NAME
            )));
        };
        match field.state() {
            LoadState::Unloaded(name) => {
                if rel.info().lazy == super::relationship::Lazy::Select {
                    self.load(h, rel)
                } else {
                    Err(Error::NotLoaded(format!(
                        "{name} was never loaded (or expired): load it with a loader option (selectin, joined) or session.load(), or give it a default strategy (lazy = \"selectin\")"
                    )))
                }
            }
            _ => Ok(K::out(field.refs())),
        }
    }
}
