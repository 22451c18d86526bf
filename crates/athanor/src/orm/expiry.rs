//! Expiry and refresh (reloads batched per type), change inspection, and the session's
//! sets of new, dirty and deleted objects.

use athanor_core::sql::select;

use super::flush::{key_eq, key_in};
use super::handle::Ref;
use super::model::Model;
use super::session::{IN_CHUNK, Session};
use super::store::{State, Store};
use crate::{Error, Result, Value};

impl Session {
    /// Reloads every expired object of type `M`: `SELECT ... WHERE key IN (...)`, 500 keys a
    /// query. Objects whose rows are gone become deleted (reading them is
    /// [`Error::ObjectDeleted`]).
    pub(crate) fn refresh_expired<M: Model>(&mut self) -> Result<()> {
        let store = self.store::<M>();
        let expired: Vec<u32> = (0..store.slots.len() as u32)
            .filter(|&i| {
                let s = &store.slots[i as usize];
                s.expired && matches!(s.state, State::Persistent | State::Deleted)
            })
            .collect();
        for part in expired.chunks(IN_CHUNK) {
            let store = self.store::<M>();
            let flat: Vec<Value> = part
                .iter()
                .filter_map(|&i| store.slots[i as usize].key.as_ref())
                .flat_map(M::key_values)
                .collect();
            let stmt = select(M::table()).filter(key_in::<M>(flat));
            self.load_select::<M>(&stmt, None, false)?;
            let store = self.store::<M>();
            for &i in part {
                let s = &mut store.slots[i as usize];
                if s.expired {
                    // Not returned: the row is gone.
                    s.state = State::Gone;
                    if let Some(k) = &s.key
                        && store.map.get(k) == Some(&i)
                    {
                        store.map.remove(k);
                    }
                }
            }
        }
        Ok(())
    }

    /// Expires an object: unflushed changes are discarded and the next read reloads it.
    ///
    /// ```
    /// # use athanor::prelude::*;
    /// # #[derive(Debug, Clone, PartialEq, Default, Model)]
    /// # #[athanor(table = "Genre")]
    /// # struct Genre {
    /// #     #[athanor(primary_key, column = "GenreId")] id: i64,
    /// #     #[athanor(column = "Name")] name: Option<String>,
    /// # }
    /// # let (engine, _) = athanor::chinook::load()?;
    /// let mut s = Session::new(&engine);
    /// let rock = s.get::<Genre>(1)?.expect("genre 1");
    /// s.edit(rock)?.name = Some("Rock!".into());
    /// s.expire(rock)?; // the change is discarded
    /// assert!(!s.has_changes());
    /// assert_eq!(s.read(rock)?.name.as_deref(), Some("Rock")); // reloaded
    /// # Ok::<(), athanor::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::DetachedInstance`] for a handle the session doesn't hold.
    pub fn expire<M: Model>(&mut self, h: Ref<M>) -> Result<()> {
        let i = self.slot_of(h)?;
        // Relationships with `refresh-expire` take their objects along.
        let mut seen = super::cascade::Reached::new();
        super::cascade::apply::<M>(self, i, super::cascade::CascadeOp::Expire, &mut seen)
    }

    /// Expires every object in the session.
    ///
    /// ```
    /// # use athanor::prelude::*;
    /// # #[derive(Debug, Clone, PartialEq, Default, Model)]
    /// # #[athanor(table = "Genre")]
    /// # struct Genre {
    /// #     #[athanor(primary_key, column = "GenreId")] id: i64,
    /// #     #[athanor(column = "Name")] name: Option<String>,
    /// # }
    /// # let (engine, _) = athanor::chinook::load()?;
    /// let mut s = Session::new(&engine);
    /// let rock = s.get::<Genre>(1)?.expect("genre 1");
    /// let jazz = s.get::<Genre>(2)?.expect("genre 2");
    /// s.edit(jazz)?.name = Some("Jazz!".into());
    /// s.expire_all();
    /// // One SELECT ... WHERE "GenreId" IN (1, 2) reloads both, at the first read.
    /// assert_eq!(s.read(rock)?.name.as_deref(), Some("Rock"));
    /// assert_eq!(s.read(jazz)?.name.as_deref(), Some("Jazz"));
    /// # Ok::<(), athanor::Error>(())
    /// ```
    pub fn expire_all(&mut self) {
        for (_, s) in &mut self.stores {
            s.expire_all();
        }
    }

    /// Reloads an object from its row now, discarding unflushed changes.
    ///
    /// ```
    /// # use athanor::prelude::*;
    /// # #[derive(Debug, Clone, PartialEq, Default, Model)]
    /// # #[athanor(table = "Genre")]
    /// # struct Genre {
    /// #     #[athanor(primary_key, column = "GenreId")] id: i64,
    /// #     #[athanor(column = "Name")] name: Option<String>,
    /// # }
    /// # let (engine, _) = athanor::chinook::load()?;
    /// let mut s = Session::new(&engine);
    /// let rock = s.get::<Genre>(1)?.expect("genre 1");
    /// s.edit(rock)?.name = Some("Rock!".into());
    /// s.refresh(rock)?; // one SELECT, now
    /// assert_eq!(s.read(rock)?.name.as_deref(), Some("Rock"));
    /// let polka = s.add(Genre { id: 100, name: None })?;
    /// assert!(matches!(s.refresh(polka), Err(Error::InvalidRequest(_)))); // no row yet
    /// # Ok::<(), athanor::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::ObjectDeleted`] when the row is gone; [`Error::InvalidRequest`] for an object
    /// not yet inserted.
    pub fn refresh<M: Model>(&mut self, h: Ref<M>) -> Result<()> {
        let i = self.slot_of(h)?;
        let store = self.store::<M>();
        let s = &store.slots[i as usize];
        let Some(key) = s.key.clone().filter(|_| s.state != State::Pending) else {
            return Err(Error::InvalidRequest(format!(
                "refresh(): this {} object has no row yet (flush it first)",
                M::NAME
            )));
        };
        // Related objects reached by `refresh-expire` reload on their next read.
        let mut seen = super::cascade::Reached::new();
        seen.insert((std::any::TypeId::of::<M>(), i));
        for (j, info) in M::RELATIONSHIPS.iter().enumerate() {
            if info.cascade.refresh_expire {
                info.ops
                    .cascade(self, j, i, super::cascade::CascadeOp::Expire, &mut seen)?;
            }
        }
        let stmt = select(M::table()).filter(key_eq::<M>(&key));
        let found = self.load_select::<M>(&stmt, None, true)?;
        if found.is_empty() {
            return Err(Error::ObjectDeleted(format!(
                "{}'s row no longer exists",
                M::describe_key(&key)
            )));
        }
        Ok(())
    }

    /// True when an object has changes a flush would write (a pending object always has);
    /// example on [`Session::edit`].
    ///
    /// # Errors
    /// [`Error::DetachedInstance`] for a handle the session doesn't hold.
    pub fn is_modified<M: Model>(&mut self, h: Ref<M>) -> Result<bool> {
        let i = self.slot_of(h)?;
        let store = self.store::<M>();
        let s = &store.slots[i as usize];
        Ok(match s.state {
            State::Pending => true,
            State::Persistent => {
                let mut c = Vec::new();
                store.changes(i, &mut c);
                !c.is_empty()
            }
            _ => false,
        })
    }

    /// The pending objects of type `M`: added, not yet flushed (SQLAlchemy's `session.new`);
    /// example on [`Session::dirty`].
    pub fn new_objects<M: Model>(&self) -> Vec<Ref<M>> {
        self.handles_where::<M>(|st, s, _| s.state == State::Pending && st.is_some())
    }

    /// The objects of type `M` with changes to flush (SQLAlchemy's `session.dirty`, without
    /// objects whose values were set back).
    ///
    /// ```
    /// # use athanor::prelude::*;
    /// # #[derive(Debug, Clone, PartialEq, Default, Model)]
    /// # #[athanor(table = "Genre")]
    /// # struct Genre {
    /// #     #[athanor(primary_key, column = "GenreId")] id: i64,
    /// #     #[athanor(column = "Name")] name: Option<String>,
    /// # }
    /// # let (engine, _) = athanor::chinook::load()?;
    /// let mut s = Session::new(&engine);
    /// let rock = s.get::<Genre>(1)?.expect("genre 1");
    /// let jazz = s.get::<Genre>(2)?.expect("genre 2");
    /// let metal = s.get::<Genre>(3)?.expect("genre 3");
    /// let polka = s.add(Genre { id: 100, name: Some("Polka".into()) })?;
    /// s.edit(rock)?.name = Some("Rock!".into());
    /// s.edit(jazz)?; // touched, not changed
    /// s.delete(metal)?;
    /// assert_eq!(s.new_objects::<Genre>(), [polka]);
    /// assert_eq!(s.dirty::<Genre>(), [rock]);
    /// assert_eq!(s.deleted::<Genre>(), [metal]);
    /// assert_eq!(s.identity_map::<Genre>(), [rock, jazz, metal, polka]);
    /// assert!(s.has_changes());
    /// s.expunge(metal)?; // (metal has tracks: its DELETE would fail)
    /// s.flush()?;
    /// assert!(!s.has_changes() && s.dirty::<Genre>().is_empty());
    /// # Ok::<(), athanor::Error>(())
    /// ```
    pub fn dirty<M: Model>(&self) -> Vec<Ref<M>> {
        self.handles_where::<M>(|st, s, i| {
            s.state == State::Persistent
                && st.is_some_and(|st| {
                    let mut c = Vec::new();
                    st.changes(i, &mut c);
                    !c.is_empty()
                })
        })
    }

    /// The objects of type `M` marked for deletion, not yet flushed (`session.deleted`);
    /// example on [`Session::dirty`].
    pub fn deleted<M: Model>(&self) -> Vec<Ref<M>> {
        self.handles_where::<M>(|_, s, _| s.state == State::Deleted)
    }

    /// Every object of type `M` the session holds, pending ones too (SQLAlchemy's
    /// `session.identity_map`, plus `session.new`); example on [`Session::dirty`].
    pub fn identity_map<M: Model>(&self) -> Vec<Ref<M>> {
        self.handles_where::<M>(|_, s, _| {
            matches!(s.state, State::Pending | State::Persistent | State::Deleted)
        })
    }

    fn handles_where<M: Model>(
        &self,
        f: impl Fn(Option<&Store<M>>, &super::store::Slot<M>, u32) -> bool,
    ) -> Vec<Ref<M>> {
        let Some(store) = self.store_ref::<M>() else {
            return Vec::new();
        };
        (0..store.slots.len() as u32)
            .filter(|&i| f(Some(store), &store.slots[i as usize], i))
            .map(|i| store.handle(self.id, i))
            .collect()
    }

    /// True when a flush would write something (example on [`Session::dirty`]).
    pub fn has_changes(&self) -> bool {
        self.stores.iter().any(|(_, s)| s.has_changes())
    }
}
