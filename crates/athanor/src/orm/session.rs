//! [`Session`]: the identity map and unit of work over one connection and transaction.

use std::any::TypeId;
use std::sync::atomic::{AtomicU32, Ordering as AtomicOrdering};

use athanor_core::schema::sort_tables;
use athanor_core::sql::{Executable, Select, select};

use super::flush::{key_condition, key_eq, key_in, key_params};
use super::handle::Ref;
use super::model::Model;
use super::store::{ErasedStore, State, Store, detached};
use athanor_core::sql::Values;

use crate::engine::{Connection, CursorResult, Engine, LoadRows};
use crate::{Error, Result, RowValues, Value};

static NEXT_SESSION: AtomicU32 = AtomicU32::new(1);

/// Keys of one refresh query.
pub(crate) const IN_CHUNK: usize = 500;

/// The ORM's unit of work (SQLAlchemy's `Session`): it holds the objects it loaded or was
/// given, one per primary key (the identity map), tracks their changes, and writes them in
/// one flush: INSERTs, UPDATEs of the changed columns only, DELETEs, in foreign-key order,
/// batched by table and statement shape.
///
/// The session owns its objects; users hold [`Ref`] handles (`Copy`) and read or change the
/// objects through the session ([`Session::read`], [`Session::edit`]). The first change of a
/// loaded object takes a snapshot of it; a flush compares the two, so setting a value back
/// writes nothing, and a flush never looks at objects that weren't changed.
///
/// A transaction begins with the first statement (SQLAlchemy 2.x's autobegin) and ends with
/// [`Session::commit`] or [`Session::rollback`]; queries flush pending changes first
/// (autoflush, switchable), and commit expires every object so that the next read reloads it
/// (`expire_on_commit`, switchable), one query per type for all expired objects of that
/// type.
///
/// ```
/// use athanor::prelude::*;
///
/// #[derive(Debug, Clone, PartialEq, Model)]
/// #[athanor(table = "Artist")]
/// struct Artist {
///     #[athanor(primary_key, column = "ArtistId")] id: i64,
///     #[athanor(column = "Name")] name: Option<String>,
/// }
///
/// let (engine, _) = athanor::chinook::load()?;
/// let mut session = Session::new(&engine);
/// let acdc = session.get::<Artist>(1)?.expect("artist 1");      // identity map, then one SELECT
/// assert_eq!(session.read(acdc)?.name.as_deref(), Some("AC/DC"));
/// session.edit(acdc)?.name = Some("AC/DC (remastered)".into()); // snapshot on first write
/// let new = session.add(Artist { id: 0, name: Some("New".into()) })?; // key generated
/// session.commit()?;                                          // UPDATE "Name"; INSERT
/// assert!(session.read(new)?.id > 275);
/// let again = session.get::<Artist>(1)?.expect("artist 1");
/// assert_eq!(again, acdc);                                    // one object per key
/// # Ok::<(), athanor::Error>(())
/// ```
pub struct Session {
    id: u32,
    engine: Engine,
    conn: Option<Connection>,
    stores: Vec<(TypeId, Box<dyn ErasedStore>)>,
    pub(crate) autoflush: bool,
    expire_on_commit: bool,
    /// Savepoints of `begin_nested`, innermost last; the nesting level is their count.
    savepoints: Vec<String>,
    flushing: bool,
    /// Loads overwrite objects already present (`Query::populate_existing`).
    pub(crate) populate_existing: bool,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (n, d, x) = self.counts();
        write!(
            f,
            "Session({}, new={n}, dirty={d}, deleted={x}, in_transaction={})",
            self.engine.url(),
            self.conn.is_some()
        )
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        // The connection rolls back whatever is open when it goes back to the pool.
        self.conn = None;
    }
}

impl Session {
    /// A session on an engine. It takes a connection from the pool when it first needs one
    /// and gives it back at commit, rollback or close.
    pub fn new(engine: &Engine) -> Session {
        Session {
            id: NEXT_SESSION.fetch_add(1, AtomicOrdering::Relaxed),
            engine: engine.clone(),
            conn: None,
            stores: Vec::new(),
            autoflush: true,
            expire_on_commit: true,
            savepoints: Vec::new(),
            flushing: false,
            populate_existing: false,
        }
    }

    /// Sets autoflush (default on): queries through the session flush pending changes first.
    pub fn with_autoflush(mut self, on: bool) -> Session {
        self.autoflush = on;
        self
    }

    /// Sets `expire_on_commit` (default on): commit expires every object, so the next read
    /// reloads it.
    pub fn with_expire_on_commit(mut self, on: bool) -> Session {
        self.expire_on_commit = on;
        self
    }

    /// Turns autoflush on or off.
    pub fn set_autoflush(&mut self, on: bool) {
        self.autoflush = on;
    }

    /// The session's engine.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// True while a transaction is open (from the first statement to commit or rollback).
    pub fn in_transaction(&self) -> bool {
        self.conn.is_some()
    }

    pub(crate) fn level(&self) -> u32 {
        self.savepoints.len() as u32
    }

    // ----- stores -----------------------------------------------------------------------

    pub(crate) fn store<M: Model>(&mut self) -> &mut Store<M> {
        store_in::<M>(&mut self.stores)
    }

    fn store_ref<M: Model>(&self) -> Option<&Store<M>> {
        let tid = TypeId::of::<M>();
        self.stores
            .iter()
            .find(|(t, _)| *t == tid)
            .and_then(|(_, s)| s.as_any().downcast_ref::<Store<M>>())
    }

    /// The slot of a handle of this session.
    pub(crate) fn slot_of<M: Model>(&mut self, h: Ref<M>) -> Result<u32> {
        if h.session != self.id {
            return Err(detached(M::NAME));
        }
        self.store::<M>().check(h)
    }

    pub(crate) fn handle<M: Model>(&mut self, i: u32) -> Ref<M> {
        let id = self.id;
        self.store::<M>().handle(id, i)
    }

    fn counts(&self) -> (usize, usize, usize) {
        self.stores.iter().fold((0, 0, 0), |acc, (_, s)| {
            let c = s.counts();
            (acc.0 + c.0, acc.1 + c.1, acc.2 + c.2)
        })
    }

    // ----- the connection ---------------------------------------------------------------

    /// The session's connection, inside its transaction (begun on first use): for Core work
    /// in the same transaction as the session's (SQLAlchemy's `session.connection()`).
    ///
    /// # Errors
    /// Checking out a connection or BEGIN failed.
    pub fn connection(&mut self) -> Result<&mut Connection> {
        if self.conn.is_none() {
            let mut conn = self.engine.connect()?;
            conn.open_transaction()?;
            self.conn = Some(conn);
        }
        match self.conn.as_mut() {
            Some(c) => Ok(c),
            None => unreachable!("the connection was just set"),
        }
    }

    // ----- adding, reading, changing ----------------------------------------------------

    /// Adds a new object; the next flush INSERTs it. An autoincrement key left unset (`0` or
    /// `None`) is generated by the database and written into the object at the flush.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] when the session already holds an object with that key (use
    /// [`Session::merge`] to copy values onto it).
    pub fn add<M: Model>(&mut self, obj: M) -> Result<Ref<M>> {
        let (level, id) = (self.level(), self.id);
        let key = obj.key();
        let store = self.store::<M>();
        if let Some(k) = &key
            && let Some(&i) = store.map.get(k)
            && store.slots[i as usize].state != State::Gone
        {
            return Err(Error::InvalidRequest(format!(
                "the session already holds {} with this key; merge() copies a value onto it",
                M::describe_key(k)
            )));
        }
        let i = store.insert_slot(obj, State::Pending, None, level);
        store.pending.push(i);
        Ok(store.handle(id, i))
    }

    /// Adds several new objects ([`Session::add`] each).
    ///
    /// # Errors
    /// As [`Session::add`]; the objects before the failing one stay added.
    pub fn add_all<M: Model, I: IntoIterator<Item = M>>(&mut self, objs: I) -> Result<Vec<Ref<M>>> {
        let objs = objs.into_iter();
        let n = objs.size_hint().0;
        let store = self.store::<M>();
        store.slots.reserve(n);
        store.pending.reserve(n);
        objs.map(|o| self.add(o)).collect()
    }

    /// The object a handle holds. An expired object is reloaded first, together with every
    /// other expired object of its type (one query per 500).
    ///
    /// # Errors
    /// [`Error::DetachedInstance`] for a handle of another session or of an object no longer
    /// held; [`Error::ObjectDeleted`] when an expired object's row is gone.
    pub fn read<M: Model>(&mut self, h: Ref<M>) -> Result<&M> {
        let i = self.ready(h)?;
        match self.store::<M>().slots[i as usize].obj.as_ref() {
            Some(o) => Ok(o),
            None => Err(detached(M::NAME)),
        }
    }

    /// The object a handle holds, to change: the first change of a loaded object takes its
    /// snapshot, and the next flush UPDATEs the columns that differ from it.
    ///
    /// # Errors
    /// As [`Session::read`].
    pub fn edit<M: Model>(&mut self, h: Ref<M>) -> Result<&mut M> {
        let i = self.ready(h)?;
        let store = self.store::<M>();
        store.touch(i);
        match store.slots[i as usize].obj.as_mut() {
            Some(o) => Ok(o),
            None => Err(detached(M::NAME)),
        }
    }

    /// A handle's slot with its object loaded (expired objects of the type refreshed).
    fn ready<M: Model>(&mut self, h: Ref<M>) -> Result<u32> {
        if h.session != self.id {
            return Err(detached(M::NAME));
        }
        let store = self.store::<M>();
        let i = store.check(h)?;
        if !store.slots[i as usize].expired {
            // Loaded, and not free (`check`): the common case, one look at the store.
            return Ok(i);
        }
        self.refresh_expired::<M>()?;
        let s = &self.store::<M>().slots[i as usize];
        match s.state {
            State::Free => Err(detached(M::NAME)),
            State::Gone if s.expired => Err(Error::ObjectDeleted(format!(
                "{}'s row no longer exists",
                s.key
                    .as_ref()
                    .map_or_else(|| M::NAME.to_string(), M::describe_key)
            ))),
            _ => Ok(i),
        }
    }

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

    /// Marks an object for deletion: the next flush DELETEs its row. A pending object is
    /// simply removed from the session.
    ///
    /// # Errors
    /// [`Error::DetachedInstance`] for a handle the session doesn't hold.
    pub fn delete<M: Model>(&mut self, h: Ref<M>) -> Result<()> {
        let i = self.slot_of(h)?;
        let level = self.level();
        let store = self.store::<M>();
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

    /// Removes an object from the session and gives it back (SQLAlchemy's `expunge`): its
    /// handles stop working, and no flush touches it again.
    ///
    /// # Errors
    /// [`Error::DetachedInstance`] for a handle the session doesn't hold.
    pub fn expunge<M: Model>(&mut self, h: Ref<M>) -> Result<M> {
        let i = self.slot_of(h)?;
        self.store::<M>()
            .free_slot(i)
            .ok_or_else(|| detached(M::NAME))
    }

    /// Removes every object from the session.
    pub fn expunge_all(&mut self) {
        for (_, s) in &mut self.stores {
            s.expunge_all();
        }
    }

    /// Expires an object: unflushed changes are discarded and the next read reloads it.
    ///
    /// # Errors
    /// [`Error::DetachedInstance`] for a handle the session doesn't hold.
    pub fn expire<M: Model>(&mut self, h: Ref<M>) -> Result<()> {
        let i = self.slot_of(h)?;
        self.store::<M>().expire_slot(i);
        Ok(())
    }

    /// Expires every object in the session.
    pub fn expire_all(&mut self) {
        for (_, s) in &mut self.stores {
            s.expire_all();
        }
    }

    /// Reloads an object from its row now, discarding unflushed changes.
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

    /// True when an object has changes a flush would write (a pending object always has).
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

    /// The pending objects of type `M`: added, not yet flushed (SQLAlchemy's `session.new`).
    pub fn new_objects<M: Model>(&self) -> Vec<Ref<M>> {
        self.handles_where::<M>(|st, s, _| s.state == State::Pending && st.is_some())
    }

    /// The objects of type `M` with changes to flush (SQLAlchemy's `session.dirty`, without
    /// objects whose values were set back).
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

    /// The objects of type `M` marked for deletion, not yet flushed (`session.deleted`).
    pub fn deleted<M: Model>(&self) -> Vec<Ref<M>> {
        self.handles_where::<M>(|_, s, _| s.state == State::Deleted)
    }

    /// Every object of type `M` the session holds (pending ones too).
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

    /// True when a flush would write something.
    pub fn has_changes(&self) -> bool {
        self.stores.iter().any(|(_, s)| s.has_changes())
    }

    /// The object with this primary key: from the identity map when present (no query),
    /// otherwise one SELECT. An object marked for deletion is not returned.
    ///
    /// # Errors
    /// The database's error.
    pub fn get<M: Model>(&mut self, key: M::Key) -> Result<Option<Ref<M>>> {
        let store = self.store::<M>();
        if let Some(&i) = store.map.get(&key) {
            let s = &store.slots[i as usize];
            let (state, expired) = (s.state, s.expired);
            return match state {
                State::Persistent => {
                    let h = self.handle::<M>(i);
                    if expired {
                        self.refresh_expired::<M>()?;
                        if self.store::<M>().slots[i as usize].state != State::Persistent {
                            return Ok(None);
                        }
                    }
                    Ok(Some(h))
                }
                _ => Ok(None),
            };
        }
        // One statement per model, given each key's values.
        let stmt = self
            .store::<M>()
            .get_stmt
            .take()
            .unwrap_or_else(|| select(M::table()).filter(key_condition::<M>()));
        let params = key_params::<M>(&key);
        let found = self
            .autoflush()
            .and_then(|()| self.load_select::<M>(&stmt, Some(&params), false));
        self.store::<M>().get_stmt = Some(stmt);
        Ok(found?.into_iter().next())
    }

    /// Copies a value into the session (SQLAlchemy's `merge`): onto the object with its key
    /// (from the identity map, or loaded), where the next flush writes what differs; a value
    /// whose key is unset or not in the database is added as new.
    ///
    /// # Errors
    /// The database's error.
    pub fn merge<M: Model>(&mut self, value: M) -> Result<Ref<M>> {
        let Some(key) = value.key() else {
            return self.add(value);
        };
        match self.get::<M>(key)? {
            Some(h) => {
                self.edit(h)?.assign_columns(value);
                Ok(h)
            }
            None => self.add(value),
        }
    }

    // ----- statements ---------------------------------------------------------------------

    /// Flushes when autoflush is on (before a query).
    pub(crate) fn autoflush(&mut self) -> Result<()> {
        if self.autoflush && !self.flushing && self.has_changes() {
            self.flush()?;
        }
        Ok(())
    }

    /// Runs a statement on the session's connection.
    pub(crate) fn run<S: Executable + ?Sized>(&mut self, stmt: &S) -> Result<CursorResult> {
        self.connection()?.execute(stmt)
    }

    /// Runs a SELECT on the session's connection and hands each row to `f` as the driver reads
    /// it, with the session (its connection set aside meanwhile): the ORM's loads, with no
    /// buffered result in between. `f` first hears how many rows to expect.
    pub(crate) fn run_rows<F>(
        &mut self,
        stmt: &Select,
        params: Option<&Values>,
        f: F,
    ) -> Result<usize>
    where
        F: FnMut(&mut Session, Incoming<'_>) -> Result<()>,
    {
        struct Loader<'s, F> {
            session: &'s mut Session,
            f: F,
            failed: Option<Error>,
        }
        impl<F> LoadRows for Loader<'_, F>
        where
            F: FnMut(&mut Session, Incoming<'_>) -> Result<()>,
        {
            fn reserve(&mut self, rows: usize) {
                if let Err(e) = (self.f)(self.session, Incoming::Expect(rows)) {
                    self.failed = Some(e);
                }
            }
            fn row(&mut self, values: RowValues<'_>) -> Result<()> {
                if let Some(e) = self.failed.take() {
                    return Err(e);
                }
                (self.f)(self.session, Incoming::Row(values))
            }
        }
        self.connection()?;
        let Some(mut conn) = self.conn.take() else {
            unreachable!("the connection was just set")
        };
        let mut loader = Loader {
            session: self,
            f,
            failed: None,
        };
        let r = conn.each_row_values(stmt, params, &mut loader);
        let failed = loader.failed.take();
        self.conn = Some(conn);
        match failed {
            Some(e) => Err(e),
            None => r,
        }
    }

    /// Loads the rows of a SELECT whose first columns are `M`'s into the identity map, each
    /// as the driver reads it.
    pub(crate) fn load_select<M: Model>(
        &mut self,
        stmt: &Select,
        params: Option<&Values>,
        overwrite: bool,
    ) -> Result<Vec<Ref<M>>> {
        struct Loader<'s, M: Model> {
            store: &'s mut Store<M>,
            session: u32,
            overwrite: bool,
            out: Vec<Ref<M>>,
        }
        impl<M: Model> LoadRows for Loader<'_, M> {
            fn reserve(&mut self, rows: usize) {
                self.store.reserve(rows);
                self.out.reserve(rows);
            }
            #[inline]
            fn row(&mut self, mut values: RowValues<'_>) -> Result<()> {
                let i = self.store.load(&mut values, 0, self.overwrite)?;
                self.out.push(self.store.handle(self.session, i));
                Ok(())
            }
        }
        self.connection()?;
        // The connection and the store are separate parts of the session.
        let Session {
            id, conn, stores, ..
        } = self;
        let Some(conn) = conn.as_mut() else {
            unreachable!("the connection was just set")
        };
        let mut loader = Loader {
            store: store_in::<M>(stores),
            session: *id,
            overwrite,
            out: Vec::new(),
        };
        conn.each_row_values(stmt, params, &mut loader)?;
        Ok(loader.out)
    }

    /// Executes a Core statement in the session's transaction, after an autoflush
    /// (SQLAlchemy's `session.execute`).
    ///
    /// # Errors
    /// The flush's or the statement's error.
    pub fn execute<S: Executable + ?Sized>(&mut self, stmt: &S) -> Result<CursorResult> {
        self.autoflush()?;
        self.run(stmt)
    }

    /// The objects a SELECT of a model returns (`select(Album::table())...`, with the Core's
    /// whole vocabulary), through the identity map (SQLAlchemy's `session.scalars(select(M))`).
    /// The model's columns must come first in the statement's columns.
    ///
    /// ```
    /// use athanor::prelude::*;
    /// #[derive(Debug, Clone, PartialEq, Model)]
    /// #[athanor(table = "Album")]
    /// struct Album {
    ///     #[athanor(primary_key, column = "AlbumId")] id: i64,
    ///     #[athanor(column = "Title")] title: String,
    ///     #[athanor(column = "ArtistId")] artist_id: i64,
    /// }
    /// let (engine, _) = athanor::chinook::load()?;
    /// let mut s = Session::new(&engine);
    /// let stmt = select(Album::table()).filter(Album::ARTIST_ID.eq(1)).order_by(Album::ID);
    /// let albums = s.scalars::<Album>(&stmt)?;
    /// assert_eq!(s.read(albums[1])?.title, "Let There Be Rock");
    /// # Ok::<(), athanor::Error>(())
    /// ```
    ///
    /// # Errors
    /// The flush's or the statement's error; a conversion error naming the column.
    pub fn scalars<M: Model>(&mut self, stmt: &Select) -> Result<Vec<Ref<M>>> {
        self.autoflush()?;
        self.load_select::<M>(stmt, None, false)
    }

    /// Rows of entities and columns: `(Ref<Album>, String)` from
    /// `select((Album::table(), Artist::NAME))`, each entity through the identity map.
    ///
    /// # Errors
    /// As [`Session::scalars`].
    pub fn tuples<T: super::load::FromSession>(&mut self, stmt: &Select) -> Result<Vec<T>> {
        self.autoflush()?;
        T::load_all(self, stmt)
    }

    // ----- flush, commit, rollback ------------------------------------------------------

    /// Writes every pending change: INSERTs of new objects (parents before children),
    /// UPDATEs of changed columns, DELETEs (children before parents), in the session's
    /// transaction.
    ///
    /// A failed flush rolls the transaction back and leaves the session usable, with
    /// everything written in the transaction unwritten again: new objects pending (keys the
    /// database generated reset), changed objects still changed, deleted ones still marked.
    /// The error keeps its kind (`Error::Integrity`, ...) and names the object and statement.
    ///
    /// # Errors
    /// The database's error; [`Error::StaleData`] when a row was changed or deleted behind
    /// the session; [`Error::CircularDependency`] for tables that refer to each other.
    pub fn flush(&mut self) -> Result<()> {
        if !self.has_changes() {
            return Ok(());
        }
        self.flushing = true;
        let r = self.flush_inner();
        self.flushing = false;
        match r {
            Ok(()) => {
                let level = self.level();
                for (_, s) in &mut self.stores {
                    s.flush_succeeded(level);
                }
                Ok(())
            }
            Err(e) => {
                for (_, s) in &mut self.stores {
                    s.flush_failed();
                }
                if let Some(mut conn) = self.conn.take() {
                    let _ = conn.end(false);
                }
                self.savepoints.clear();
                for (_, s) in &mut self.stores {
                    s.unflush_transaction();
                }
                Err(e)
            }
        }
    }

    fn flush_inner(&mut self) -> Result<()> {
        let changed: Vec<usize> = (0..self.stores.len())
            .filter(|&i| self.stores[i].1.has_changes())
            .collect();
        let tables: Vec<_> = changed
            .iter()
            .map(|&i| self.stores[i].1.table().clone())
            .collect();
        let sorted = sort_tables(&tables)?;
        let order: Vec<usize> = sorted
            .iter()
            .filter_map(|t| {
                changed
                    .iter()
                    .copied()
                    .find(|&i| self.stores[i].1.table().same_as(t))
            })
            .collect();
        self.connection()?;
        let Some(conn) = self.conn.as_mut() else {
            return Err(Error::InvalidRequest(
                "the session has no connection".into(),
            ));
        };
        for &i in &order {
            self.stores[i].1.flush_saves(conn)?;
        }
        for &i in order.iter().rev() {
            self.stores[i].1.flush_deletes(conn)?;
        }
        Ok(())
    }

    /// Flushes, commits the transaction and gives the connection back to the pool; with
    /// `expire_on_commit` every object reloads on its next read.
    ///
    /// # Errors
    /// The flush's error (then nothing is committed) or COMMIT's.
    pub fn commit(&mut self) -> Result<()> {
        self.flush()?;
        self.savepoints.clear();
        if let Some(mut conn) = self.conn.take() {
            let r = conn.end(true);
            if r.is_err() {
                for (_, s) in &mut self.stores {
                    s.rolled_back(0);
                }
                return r;
            }
        }
        let expire = self.expire_on_commit;
        for (_, s) in &mut self.stores {
            s.committed(expire);
        }
        Ok(())
    }

    /// Rolls the transaction back: objects added in it are removed from the session, objects
    /// deleted in it come back, and every object is expired (its next read reloads it).
    ///
    /// # Errors
    /// ROLLBACK's error (the session is reset all the same).
    pub fn rollback(&mut self) -> Result<()> {
        self.savepoints.clear();
        let r = match self.conn.take() {
            Some(mut conn) => conn.end(false),
            None => Ok(()),
        };
        for (_, s) in &mut self.stores {
            s.rolled_back(0);
        }
        r
    }

    /// Rolls back what is open, removes every object and gives the connection back; the
    /// session can be used again.
    pub fn close(&mut self) {
        let _ = self.rollback();
        self.expunge_all();
    }

    /// A SAVEPOINT (SQLAlchemy's `begin_nested`), after a flush: its
    /// [`NestedTransaction::rollback`] undoes the database's changes since, and puts the
    /// session back too (objects added since removed, objects changed or deleted since
    /// expired and restored). Dropped without commit, it rolls back.
    ///
    /// ```
    /// use athanor::prelude::*;
    /// #[derive(Debug, Clone, PartialEq, Model)]
    /// #[athanor(table = "Genre")]
    /// struct Genre {
    ///     #[athanor(primary_key, column = "GenreId")] id: i64,
    ///     #[athanor(column = "Name")] name: Option<String>,
    /// }
    /// let (engine, _) = athanor::chinook::load()?;
    /// let mut s = Session::new(&engine);
    /// let rock = s.get::<Genre>(1)?.expect("Rock");
    /// let mut sp = s.begin_nested()?;
    /// let polka = sp.add(Genre { id: 100, name: Some("Polka".into()) })?;
    /// sp.edit(rock)?.name = Some("Rock!".into());
    /// sp.flush()?;
    /// sp.rollback()?;
    /// assert!(s.read(polka).is_err());                          // expunged
    /// assert_eq!(s.read(rock)?.name.as_deref(), Some("Rock"));  // reloaded
    /// assert_eq!(s.get::<Genre>(100)?, None);
    /// # Ok::<(), athanor::Error>(())
    /// ```
    ///
    /// # Errors
    /// The flush's or SAVEPOINT's error.
    pub fn begin_nested(&mut self) -> Result<NestedTransaction<'_>> {
        self.flush()?;
        let name = self.connection()?.open_savepoint()?;
        self.savepoints.push(name);
        let level = self.level();
        Ok(NestedTransaction {
            session: self,
            level,
            done: false,
        })
    }

    fn end_nested(&mut self, level: u32, commit: bool) -> Result<()> {
        if self.level() < level {
            // A failed flush or a rollback already ended it.
            return Ok(());
        }
        let flushed = if commit { self.flush() } else { Ok(()) };
        if self.level() < level {
            return flushed;
        }
        let name = self.savepoints[level as usize - 1].clone();
        self.savepoints.truncate(level as usize - 1);
        let commit = commit && flushed.is_ok();
        let r = match self.conn.as_mut() {
            Some(conn) => conn.close_savepoint(&name, commit),
            None => Ok(()),
        };
        if !commit {
            for (_, s) in &mut self.stores {
                s.rolled_back(level);
            }
        } else {
            // Its changes now belong to the enclosing level.
            for (_, s) in &mut self.stores {
                s.committed_nested(level);
            }
        }
        flushed.and(r)
    }
}

/// The store of `M` among a session's stores (made on first use).
fn store_in<M: Model>(stores: &mut Vec<(TypeId, Box<dyn ErasedStore>)>) -> &mut Store<M> {
    let tid = TypeId::of::<M>();
    let at = match stores.iter().position(|(t, _)| *t == tid) {
        Some(at) => at,
        None => {
            stores.push((tid, Box::new(Store::<M>::default()) as Box<dyn ErasedStore>));
            stores.len() - 1
        }
    };
    match stores[at].1.as_any_mut().downcast_mut::<Store<M>>() {
        Some(s) => s,
        None => unreachable!("a store is registered under its own type"),
    }
}

/// What [`Session::run_rows`] hands its callback.
pub(crate) enum Incoming<'r> {
    /// About this many rows follow (the statement's last result; 0 the first time).
    Expect(usize),
    /// One row's values, to be moved out.
    Row(RowValues<'r>),
}

/// A savepoint of a [`Session`] ([`Session::begin_nested`]); it derefs to the session.
#[must_use = "a nested transaction rolls back when dropped; call commit()"]
pub struct NestedTransaction<'s> {
    session: &'s mut Session,
    level: u32,
    done: bool,
}

impl NestedTransaction<'_> {
    /// Flushes and releases the savepoint.
    ///
    /// # Errors
    /// The flush's or RELEASE's error.
    pub fn commit(mut self) -> Result<()> {
        self.done = true;
        self.session.end_nested(self.level, true)
    }

    /// Rolls back to the savepoint: the database's changes since are undone, objects added
    /// since leave the session, objects changed or deleted since are restored and expired.
    ///
    /// # Errors
    /// ROLLBACK TO SAVEPOINT's error.
    pub fn rollback(mut self) -> Result<()> {
        self.done = true;
        self.session.end_nested(self.level, false)
    }
}

impl std::ops::Deref for NestedTransaction<'_> {
    type Target = Session;
    fn deref(&self) -> &Session {
        self.session
    }
}

impl std::ops::DerefMut for NestedTransaction<'_> {
    fn deref_mut(&mut self) -> &mut Session {
        self.session
    }
}

impl Drop for NestedTransaction<'_> {
    fn drop(&mut self) {
        if !self.done {
            let _ = self.session.end_nested(self.level, false);
        }
    }
}
