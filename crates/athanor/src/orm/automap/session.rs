//! The session's methods for automapped objects: finding by key, adding, reading, changing,
//! deleting, expunging, expiring and refreshing, and the loads of rows into a class's
//! identity map. Each mirrors the method of the same name without `_dyn`.

use athanor_core::sql::{Executable, Values, and_, bindparam, select};

use super::Class;
use super::object::{DynEdit, DynKey, DynObject, DynRef, DynValues};
use super::store::DynStore;
use crate::engine::LoadRows;
use crate::orm::loading::{GroupKey, cols_in};
use crate::orm::session::{IN_CHUNK, Session, StoreKey};
use crate::orm::store::{ErasedStore, State};
use crate::{Error, Result, RowValues, Value};

type Stores = Vec<(StoreKey, Box<dyn ErasedStore>)>;

/// The store of a class among a session's stores (made on first use).
pub(crate) fn store_in<'s>(stores: &'s mut Stores, class: &Class) -> &'s mut DynStore {
    let key = StoreKey::Class(class.info().id);
    let at = match stores.iter().position(|(k, _)| *k == key) {
        Some(at) => at,
        None => {
            stores.push((key, Box::new(DynStore::new(class.clone()))));
            stores.len() - 1
        }
    };
    match stores[at].1.as_any_mut().downcast_mut::<DynStore>() {
        Some(s) => s,
        None => unreachable!("a class's store is a DynStore"),
    }
}

/// The store of class `id`, if the session has one.
pub(crate) fn store_at(stores: &mut Stores, id: u32) -> Option<&mut DynStore> {
    let key = StoreKey::Class(id);
    stores
        .iter_mut()
        .find(|(k, _)| *k == key)
        .and_then(|(_, s)| s.as_any_mut().downcast_mut::<DynStore>())
}

fn detached() -> Error {
    crate::orm::store::detached("automapped object")
}

/// Checks that a result has a class's columns at `offset`, in order.
pub(crate) fn check_columns(class: &Class, names: &[String], offset: usize) -> Result<()> {
    let want = class.columns();
    match names.get(offset..offset + want.len()) {
        Some(found) if found == want => Ok(()),
        _ => Err(Error::InvalidRequest(format!(
            "a {} is read from its columns ({}) in order, at position {offset} of the result, which has ({}): select the class's table there",
            class.name(),
            want.join(", "),
            names.join(", ")
        ))),
    }
}

impl Session {
    /// The store of `h`'s class, and `h`'s slot in it.
    pub(crate) fn dyn_slot(&mut self, h: DynRef) -> Result<(&mut DynStore, u32)> {
        if h.session != self.id {
            return Err(detached());
        }
        let store = store_at(&mut self.stores, h.class).ok_or_else(detached)?;
        let i = store.check(h)?;
        Ok((store, i))
    }

    pub(crate) fn dyn_store(&mut self, class: &Class) -> &mut DynStore {
        store_in(&mut self.stores, class)
    }

    /// Loads the rows of a SELECT whose first columns are `class`'s into its identity map.
    pub(crate) fn load_dyn_select(
        &mut self,
        class: &Class,
        stmt: &(impl Executable + ?Sized),
        params: Option<&Values>,
        overwrite: bool,
    ) -> Result<Vec<DynRef>> {
        struct Loader<'s> {
            store: &'s mut DynStore,
            session: u32,
            overwrite: bool,
            out: Vec<DynRef>,
        }
        impl LoadRows for Loader<'_> {
            fn reserve(&mut self, rows: usize) {
                self.out.reserve(rows);
            }
            fn check_columns(&mut self, names: &[String]) -> Result<()> {
                check_columns(&self.store.class, names, 0)
            }
            fn row(&mut self, mut values: RowValues<'_>) -> Result<()> {
                let i = self.store.load(&mut values, 0, self.overwrite)?;
                self.out.push(self.store.handle(self.session, i));
                Ok(())
            }
        }
        self.conn()?;
        let Session {
            id, conn, stores, ..
        } = self;
        let Some(conn) = conn.as_mut() else {
            unreachable!("the connection was just set")
        };
        let mut loader = Loader {
            store: store_in(stores, class),
            session: *id,
            overwrite,
            out: Vec::new(),
        };
        conn.each_row_values(stmt, params, &mut loader)?;
        Ok(loader.out)
    }

    /// Reloads every expired object of `class`, 500 keys a query; objects whose rows are
    /// gone become deleted.
    pub(crate) fn refresh_expired_dyn(&mut self, class: &Class) -> Result<()> {
        let store = self.dyn_store(class);
        let expired: Vec<u32> = (0..store.slots.len() as u32)
            .filter(|&i| {
                let s = &store.slots[i as usize];
                s.expired && matches!(s.state, State::Persistent | State::Deleted)
            })
            .collect();
        let info = class.info();
        let cols: Vec<_> = info
            .primary_key
            .iter()
            .map(|&c| info.table.c(&info.columns[c]))
            .collect();
        let per = (IN_CHUNK / cols.len().max(1)).max(1);
        for part in expired.chunks(per) {
            let store = self.dyn_store(class);
            let flat: Vec<Value> = part
                .iter()
                .flat_map(|&i| store.loaded_key(&store.slots[i as usize]))
                .collect();
            let stmt = select(&info.table).filter(cols_in(cols.clone(), flat));
            self.load_dyn_select(class, &stmt, None, false)?;
            let store = self.dyn_store(class);
            for &i in part {
                let s = &mut store.slots[i as usize];
                if s.expired {
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

    /// `h`'s slot with its values loaded (expired objects of its class refreshed first).
    pub(crate) fn ready_dyn(&mut self, h: DynRef) -> Result<u32> {
        let (store, i) = self.dyn_slot(h)?;
        if !store.slots[i as usize].expired {
            return Ok(i);
        }
        let class = store.class.clone();
        self.refresh_expired_dyn(&class)?;
        let store = self.dyn_store(&class);
        let s = &store.slots[i as usize];
        match s.state {
            State::Free => Err(detached()),
            State::Gone if s.expired => Err(Error::ObjectDeleted(format!(
                "{}'s row no longer exists",
                store.describe(&s.values)
            ))),
            _ => Ok(i),
        }
    }

    /// The automapped object with this primary key (SQLAlchemy's `session.get(Album, 1)`):
    /// from the identity map when present (no query), otherwise one SELECT. An object marked
    /// for deletion is not returned.
    ///
    /// ```
    /// use athanor::prelude::*;
    /// # let (engine, _) = athanor::chinook::load()?;
    /// let auto = athanor::orm::automap(&engine)?;
    /// let (album, line) = (auto.class("Album")?, auto.class("InvoiceLine")?);
    /// let mut s = Session::new(&engine);
    /// let a = s.get_dyn(&album, 1)?.expect("album 1"); // one SELECT
    /// assert_eq!(s.get_dyn(&album, 1)?, Some(a));     // the identity map: no SELECT
    /// assert_eq!(s.get_dyn(&album, 1000)?, None);
    /// assert!(s.get_dyn(&line, (1, 2)).is_err());      // a one-column key
    /// # Ok::<(), athanor::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Argument`] for a key of the wrong number of values; the database's error.
    pub fn get_dyn(&mut self, class: &Class, key: impl DynKey) -> Result<Option<DynRef>> {
        let key = key.key_values();
        let info = class.info();
        if key.len() != info.primary_key.len() {
            return Err(Error::Argument(format!(
                "{}'s primary key has {} column(s) ({}); {} value(s) were given",
                info.name,
                info.primary_key.len(),
                class.primary_key().join(", "),
                key.len()
            )));
        }
        let Some(gk) = GroupKey::of(&key) else {
            return Ok(None);
        };
        let id = self.id;
        let store = self.dyn_store(class);
        if let Some(&i) = store.map.get(&gk) {
            let s = &store.slots[i as usize];
            if s.state != State::Persistent {
                return Ok(None);
            }
            let h = store.handle(id, i);
            if s.expired {
                self.refresh_expired_dyn(class)?;
                if self.dyn_store(class).slots[i as usize].state != State::Persistent {
                    return Ok(None);
                }
            }
            return Ok(Some(h));
        }
        let cond = and_(info.primary_key.iter().map(|&c| {
            info.table
                .c(&info.columns[c])
                .eq(bindparam(&format!("k{c}")))
        }));
        let stmt = select(&info.table).filter(cond);
        let mut params = Values::with_capacity(key.len());
        for (&c, v) in info.primary_key.iter().zip(key) {
            params = params.set(&format!("k{c}"), v);
        }
        self.autoflush()?;
        Ok(self
            .load_dyn_select(class, &stmt, Some(&params), false)?
            .into_iter()
            .next())
    }

    /// Adds a new automapped object; the next flush INSERTs it. Columns not given are NULL;
    /// a NULL autoincrement key is generated by the database and written into the object at
    /// the flush.
    ///
    /// ```
    /// use athanor::prelude::*;
    /// # let (engine, _) = athanor::chinook::load()?;
    /// let genre = athanor::orm::automap(&engine)?.class("Genre")?;
    /// let mut s = Session::new(&engine);
    /// let polka = s.add_dyn(&genre, row! { "Name" => "Polka" })?;
    /// let ska = s.add_dyn(&genre, [("GenreId", Value::Int(100)), ("Name", "Ska".into())])?;
    /// s.flush()?; // INSERT ... RETURNING "GenreId" (or the last row id); INSERT of 100
    /// assert_eq!(s.read_dyn(polka)?.get::<i64>("GenreId")?, 26);
    /// assert_eq!(s.read_dyn(ska)?.get::<i64>("GenreId")?, 100);
    /// s.get_dyn(&genre, 1)?;
    /// let again = s.add_dyn(&genre, row! { "GenreId" => 1 }); // the session holds Genre(1)
    /// assert!(matches!(again, Err(Error::InvalidRequest(_))));
    /// # Ok::<(), athanor::Error>(())
    /// ```
    ///
    /// A new object with the key of one marked for deletion takes over its row (SQLAlchemy's
    /// row switch): the flush UPDATEs the columns that differ.
    ///
    /// # Errors
    /// [`Error::NoSuchColumn`]; [`Error::Argument`] for a SQL expression among the values;
    /// [`Error::InvalidRequest`] when the session holds an object with that key already.
    pub fn add_dyn(&mut self, class: &Class, values: impl DynValues) -> Result<DynRef> {
        let info = class.info();
        let mut vals = vec![Value::Null; info.columns.len()];
        for (name, v) in values.into_pairs()? {
            vals[info.col(&name)?] = v;
        }
        let (level, id) = (self.level(), self.id);
        let store = self.dyn_store(class);
        let key = store.key_of(&vals);
        if let Some(k) = &key
            && let Some(&i) = store.map.get(k)
        {
            if store.slots[i as usize].state != State::Deleted {
                return Err(Error::InvalidRequest(format!(
                    "the session already holds {} with this key",
                    store.describe(&vals)
                )));
            }
            let known = !store.slots[i as usize].expired;
            let row = store.free_slot(i);
            let j = store.insert_slot(vals, State::Persistent, key.clone(), level)?;
            store.map.insert(k.clone(), j);
            let s = &mut store.slots[j as usize];
            match row {
                Some(row) if known => s.snapshot = Some(row),
                _ => s.all_dirty = true,
            }
            s.listed = true;
            store.modified.push(j);
            return Ok(store.handle(id, j));
        }
        let i = store.insert_slot(vals, State::Pending, None, level)?;
        store.pending.push(i);
        Ok(store.handle(id, i))
    }

    /// An automapped object, to read by column name; an expired object is reloaded first,
    /// with every expired object of its class (example on [`DynObject`]).
    ///
    /// # Errors
    /// [`Error::DetachedInstance`]; [`Error::ObjectDeleted`] when its row is gone.
    pub fn read_dyn(&mut self, h: DynRef) -> Result<DynObject<'_>> {
        let i = self.ready_dyn(h)?;
        let (store, _) = self.dyn_slot(h)?;
        let store: &DynStore = store;
        Ok(DynObject {
            class: store.class.info(),
            values: &store.slots[i as usize].values,
        })
    }

    /// An automapped object, to change by column name: the first change of a loaded object
    /// takes its snapshot; the next flush UPDATEs the columns that differ (example on
    /// [`DynEdit`]).
    ///
    /// # Errors
    /// As [`Session::read_dyn`].
    pub fn edit_dyn(&mut self, h: DynRef) -> Result<DynEdit<'_>> {
        let i = self.ready_dyn(h)?;
        let (store, _) = self.dyn_slot(h)?;
        store.touch(i);
        let DynStore { class, slots, .. } = store;
        Ok(DynEdit {
            class: class.info(),
            values: &mut slots[i as usize].values,
        })
    }

    /// Marks an automapped object for deletion (the next flush DELETEs its row); a pending
    /// one simply leaves the session.
    ///
    /// ```
    /// use athanor::prelude::*;
    /// # let (engine, _) = athanor::chinook::load()?;
    /// let genre = athanor::orm::automap(&engine)?.class("Genre")?;
    /// let mut s = Session::new(&engine);
    /// let polka = s.add_dyn(&genre, row! { "GenreId" => 100, "Name" => "Polka" })?;
    /// s.flush()?;
    /// s.delete_dyn(polka)?;
    /// assert_eq!(s.deleted_dyn(&genre), [polka]);
    /// assert_eq!(s.get_dyn(&genre, 100)?, None); // marked: not returned
    /// s.commit()?; // DELETE
    /// assert_eq!(s.query_dyn(&genre).count()?, 25);
    /// # Ok::<(), athanor::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::DetachedInstance`].
    pub fn delete_dyn(&mut self, h: DynRef) -> Result<()> {
        let level = self.level();
        let (store, i) = self.dyn_slot(h)?;
        let s = &mut store.slots[i as usize];
        match s.state {
            State::Pending => {
                store.free_slot(i);
            }
            State::Persistent => {
                s.state = State::Deleted;
                s.level = level;
                store.deleted.push(i);
            }
            _ => {}
        }
        Ok(())
    }

    /// Removes an automapped object from the session and gives back its values; its handles
    /// stop working.
    ///
    /// # Errors
    /// [`Error::DetachedInstance`].
    pub fn expunge_dyn(&mut self, h: DynRef) -> Result<Vec<Value>> {
        let (store, i) = self.dyn_slot(h)?;
        store.free_slot(i).ok_or_else(detached)
    }

    /// Expires an automapped object: unflushed changes are discarded, its relationships
    /// unloaded, and the next read reloads it.
    ///
    /// # Errors
    /// [`Error::DetachedInstance`].
    pub fn expire_dyn(&mut self, h: DynRef) -> Result<()> {
        let (store, i) = self.dyn_slot(h)?;
        store.expire_slot(i);
        Ok(())
    }

    /// Reloads an automapped object from its row now, discarding unflushed changes.
    ///
    /// # Errors
    /// [`Error::ObjectDeleted`] when the row is gone; [`Error::InvalidRequest`] for an object
    /// not inserted yet.
    pub fn refresh_dyn(&mut self, h: DynRef) -> Result<()> {
        let (store, i) = self.dyn_slot(h)?;
        let s = &store.slots[i as usize];
        if s.state == State::Pending || s.key.is_none() {
            return Err(Error::InvalidRequest(format!(
                "refresh_dyn(): this {} object has no row yet (flush it first)",
                store.class.name()
            )));
        }
        let (class, key, name) = (
            store.class.clone(),
            store.loaded_key(s),
            store.describe(&s.values),
        );
        store.expire_slot(i);
        let info = class.info();
        let cols = info
            .primary_key
            .iter()
            .map(|&c| info.table.c(&info.columns[c]));
        let stmt = select(&info.table).filter(cols_in(cols.collect(), key));
        if self.load_dyn_select(&class, &stmt, None, true)?.is_empty() {
            return Err(Error::ObjectDeleted(format!(
                "{name}'s row no longer exists"
            )));
        }
        Ok(())
    }

    /// True when an automapped object has changes a flush would write (a pending one always
    /// has); example on [`DynEdit`].
    ///
    /// # Errors
    /// [`Error::DetachedInstance`].
    pub fn is_modified_dyn(&mut self, h: DynRef) -> Result<bool> {
        let (store, i) = self.dyn_slot(h)?;
        let s = &store.slots[i as usize];
        Ok(match s.state {
            State::Pending => true,
            State::Persistent => {
                let mut c = Vec::new();
                store.changes(i, &mut c);
                !c.is_empty() || !s.links.is_empty()
            }
            _ => false,
        })
    }

    fn dyn_where(&self, class: &Class, f: impl Fn(&DynStore, u32) -> bool) -> Vec<DynRef> {
        let key = StoreKey::Class(class.info().id);
        let Some(store) = self
            .stores
            .iter()
            .find(|(k, _)| *k == key)
            .and_then(|(_, s)| s.as_any().downcast_ref::<DynStore>())
        else {
            return Vec::new();
        };
        (0..store.slots.len() as u32)
            .filter(|&i| f(store, i))
            .map(|i| store.handle(self.id, i))
            .collect()
    }

    /// Every object of `class` the session holds, pending ones too.
    pub fn identity_map_dyn(&self, class: &Class) -> Vec<DynRef> {
        self.dyn_where(class, |st, i| {
            matches!(
                st.slots[i as usize].state,
                State::Pending | State::Persistent | State::Deleted
            )
        })
    }

    /// The pending objects of `class`: added, not yet flushed.
    pub fn new_objects_dyn(&self, class: &Class) -> Vec<DynRef> {
        self.dyn_where(class, |st, i| st.slots[i as usize].state == State::Pending)
    }

    /// The objects of `class` with changed columns to flush.
    pub fn dirty_dyn(&self, class: &Class) -> Vec<DynRef> {
        self.dyn_where(class, |st, i| {
            let mut c = Vec::new();
            st.changes(i, &mut c);
            st.slots[i as usize].state == State::Persistent && !c.is_empty()
        })
    }

    /// The objects of `class` marked for deletion, not yet flushed (example on
    /// [`Session::delete_dyn`]).
    pub fn deleted_dyn(&self, class: &Class) -> Vec<DynRef> {
        self.dyn_where(class, |st, i| st.slots[i as usize].state == State::Deleted)
    }
}
