//! Changing relationships through the session: [`Session::append`], [`Session::remove`],
//! [`Session::replace`], [`Session::set`]. Both sides of a `back_populates` pair change at
//! once, in memory; the flush turns the change into foreign-key values, secondary-table rows
//! and (`delete-orphan`) deletes.

use super::handle::Ref;
use super::model::Model;
use super::rel_resolve::resolved;
use super::relationship::{LoadState, Many, One, RawRef, Rel, RelKind};
use super::session::Session;
use super::sync::{link_back, unlink_back};
use crate::Result;

impl Session {
    /// The relationship field's handles, loading it first (one batched query) when the
    /// object has a row and the field was never loaded.
    fn loaded_refs<P: Model, C: Model, K: RelKind>(
        &mut self,
        h: Ref<P>,
        rel: Rel<P, C, K>,
    ) -> Result<Vec<RawRef>> {
        let index = rel.index();
        let unloaded = self
            .read(h)?
            .rel_field(index)
            .is_some_and(|f| matches!(f.state(), LoadState::Unloaded(_)));
        if unloaded {
            self.load(h, rel)?;
        }
        Ok(self
            .peek(h)?
            .rel_field(index)
            .map(|f| f.refs().to_vec())
            .unwrap_or_default())
    }

    fn write_refs<P: Model>(&mut self, h: Ref<P>, index: usize, refs: &[RawRef]) -> Result<()> {
        if let Some(f) = self.edit(h)?.rel_field_mut(index) {
            f.set_refs(refs);
            f.set_state(LoadState::Loaded);
        }
        Ok(())
    }

    /// Adds `child` to `parent`'s collection `rel` (SQLAlchemy's `parent.rel.append(child)`),
    /// and the other side of a `back_populates` pair follows: the child's many-to-one points
    /// at `parent` (and leaves its old parent's collection). The flush sets the child's
    /// foreign key (or inserts the secondary row). A collection never loaded is loaded first.
    ///
    /// ```
    /// use athanor::prelude::*;
    /// use athanor::orm::{Collection, Related};
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
    /// let (engine, _) = athanor::chinook::load()?;
    /// let mut s = Session::new(&engine);
    /// let acdc = s.get::<Artist>(1)?.expect("AC/DC");
    /// let album = s.add(Album { id: 0, title: "Power Up".into(), artist_id: 0, artist: Related::default() })?;
    /// s.append(acdc, Artist::albums, album)?;
    /// assert_eq!(s.read(album)?.artist.get()?, Some(acdc)); // the other side, in memory
    /// s.flush()?;                                          // INSERT with ArtistId = 1
    /// assert_eq!(s.read(album)?.artist_id, 1);
    /// assert_eq!(s.read(acdc)?.albums.len()?, 3);
    /// # Ok::<(), athanor::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::DetachedInstance`](crate::Error::DetachedInstance) for a handle not of this
    /// session; the load's error.
    pub fn append<P: Model, C: Model>(
        &mut self,
        parent: Ref<P>,
        rel: Rel<P, C, Many>,
        child: Ref<C>,
    ) -> Result<()> {
        self.slot_of(child)?;
        let mut refs = self.loaded_refs(parent, rel)?;
        let c = RawRef::from(child);
        if refs.contains(&c) {
            return Ok(());
        }
        refs.push(c);
        self.write_refs(parent, rel.index(), &refs)?;
        self.follow_back::<P, C>(rel.index(), parent, &[c], &[])
    }

    /// Adds a new object to `parent`'s collection `rel`: [`Session::add`] then
    /// [`Session::append`].
    ///
    /// # Errors
    /// As [`Session::add`] and [`Session::append`].
    pub fn append_new<P: Model, C: Model>(
        &mut self,
        parent: Ref<P>,
        rel: Rel<P, C, Many>,
        child: C,
    ) -> Result<Ref<C>> {
        let h = self.add(child)?;
        self.append(parent, rel, h)?;
        Ok(h)
    }

    /// Takes `child` out of `parent`'s collection `rel`; false when it wasn't there. The
    /// flush sets the child's foreign key to NULL, deletes it (`delete-orphan`), or deletes
    /// the secondary row.
    ///
    /// # Errors
    /// As [`Session::append`].
    pub fn remove<P: Model, C: Model>(
        &mut self,
        parent: Ref<P>,
        rel: Rel<P, C, Many>,
        child: Ref<C>,
    ) -> Result<bool> {
        let mut refs = self.loaded_refs(parent, rel)?;
        let c = RawRef::from(child);
        let Some(at) = refs.iter().position(|r| *r == c) else {
            return Ok(false);
        };
        refs.remove(at);
        self.write_refs(parent, rel.index(), &refs)?;
        self.follow_back::<P, C>(rel.index(), parent, &[], &[c])?;
        Ok(true)
    }

    /// Replaces `parent`'s collection `rel` with `children` (SQLAlchemy's
    /// `parent.rel = [...]`): those left out are removed as [`Session::remove`] does, the new
    /// ones appended.
    ///
    /// # Errors
    /// As [`Session::append`].
    pub fn replace<P: Model, C: Model>(
        &mut self,
        parent: Ref<P>,
        rel: Rel<P, C, Many>,
        children: impl IntoIterator<Item = Ref<C>>,
    ) -> Result<()> {
        let new: Vec<RawRef> = children.into_iter().map(RawRef::from).collect();
        for c in &new {
            self.slot_of(c.typed::<C>())?;
        }
        let old = self.loaded_refs(parent, rel)?;
        let added: Vec<RawRef> = new.iter().filter(|c| !old.contains(c)).copied().collect();
        let removed: Vec<RawRef> = old.iter().filter(|c| !new.contains(c)).copied().collect();
        self.write_refs(parent, rel.index(), &new)?;
        self.follow_back::<P, C>(rel.index(), parent, &added, &removed)
    }

    /// Points `obj`'s many-to-one (or one-to-one) `rel` at `target`, or at nothing (SQLAlchemy's
    /// `obj.rel = target`); with `back_populates` the old target's collection loses `obj` and
    /// the new one's gains it. The flush sets the foreign key.
    ///
    /// ```
    /// use athanor::prelude::*;
    /// use athanor::orm::Related;
    /// #[derive(Debug, Clone, PartialEq, Model)]
    /// #[athanor(table = "Genre")]
    /// struct Genre {
    ///     #[athanor(primary_key, column = "GenreId")] id: i64,
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
    /// let t = s.get::<Track>(1)?.expect("track 1");
    /// let jazz = s.get::<Genre>(2)?.expect("genre 2");
    /// s.set(t, Track::genre, Some(jazz))?;
    /// s.flush()?; // UPDATE "Track" SET "GenreId" = 2
    /// assert_eq!(s.read(t)?.genre_id, Some(2));
    /// s.set(t, Track::genre, None)?;
    /// s.flush()?;
    /// assert_eq!(s.read(t)?.genre_id, None);
    /// # Ok::<(), athanor::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`Session::append`].
    pub fn set<P: Model, C: Model>(
        &mut self,
        obj: Ref<P>,
        rel: Rel<P, C, One>,
        target: Option<Ref<C>>,
    ) -> Result<()> {
        if let Some(t) = target {
            self.slot_of(t)?;
        }
        let index = rel.index();
        // The old target is needed only to keep a back_populates partner in step.
        let old: Vec<RawRef> = if rel.info().back_populates.is_some() {
            self.loaded_refs(obj, rel)?
        } else {
            Vec::new()
        };
        let new: Vec<RawRef> = target.map(RawRef::from).into_iter().collect();
        self.write_refs(obj, index, &new)?;
        let added: Vec<RawRef> = new.iter().filter(|c| !old.contains(c)).copied().collect();
        let removed: Vec<RawRef> = old.iter().filter(|c| !new.contains(c)).copied().collect();
        self.follow_back::<P, C>(index, obj, &added, &removed)
    }

    /// Keeps the other side of a `back_populates` pair in step with a change of relationship
    /// `index` of `obj`: targets `added` gain `obj` (leaving their previous partner when
    /// theirs is a scalar), targets `removed` lose it.
    fn follow_back<P: Model, C: Model>(
        &mut self,
        index: usize,
        obj: Ref<P>,
        added: &[RawRef],
        removed: &[RawRef],
    ) -> Result<()> {
        if P::RELATIONSHIPS[index].back_populates.is_none() {
            return Ok(());
        }
        let Some(back) = resolved::<P, C>(index)?.back else {
            return Ok(());
        };
        let me = RawRef::from(obj);
        for c in removed {
            unlink_back::<C>(self, *c, back, me)?;
        }
        let back_many = C::RELATIONSHIPS[back].many;
        for c in added {
            if !back_many {
                // The child's scalar side pointed elsewhere: that parent's collection loses it.
                let previous = self
                    .peek(c.typed::<C>())
                    .ok()
                    .and_then(|o| o.rel_field(back))
                    .and_then(|f| f.refs().first().copied())
                    .filter(|p| *p != me);
                if let Some(prev) = previous {
                    unlink_back::<P>(self, prev, index, *c)?;
                }
                if let Some(f) = self.edit(c.typed::<C>())?.rel_field_mut(back) {
                    f.set_refs(std::slice::from_ref(&me));
                    f.set_state(LoadState::Loaded);
                }
            } else {
                link_back::<C>(self, *c, back, me)?;
            }
        }
        Ok(())
    }
}
