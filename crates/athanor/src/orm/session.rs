//! [`Session`]: the identity map and unit of work over one connection and transaction.

use std::any::TypeId;
use std::sync::atomic::{AtomicU32, Ordering as AtomicOrdering};

use super::handle::Ref;
use super::model::Model;
use super::store::{ErasedStore, Store, detached};
use crate::engine::{Connection, Engine};
use crate::{Error, Result, RowValues};

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
    pub(super) id: u32,
    pub(super) engine: Engine,
    pub(super) conn: Option<Connection>,
    /// One store per mapped type and per automapped class, in the order first used: every
    /// walk (flush, commit, rollback, expiry) covers both kinds.
    pub(super) stores: Vec<(StoreKey, Box<dyn ErasedStore>)>,
    pub(crate) autoflush: bool,
    pub(super) expire_on_commit: bool,
    /// Savepoints of `begin_nested`, innermost last; the nesting level is their count.
    pub(super) savepoints: Vec<String>,
    pub(super) flushing: bool,
    /// Loads overwrite objects already present (`Query::populate_existing`).
    pub(crate) populate_existing: bool,
    /// INSERTs of objects with known keys go in batches (off: one statement per object, the
    /// slow path the batches are tested against).
    pub(super) batch_inserts: bool,
    /// Statements the session doesn't track ran in the open transaction (`execute` of DML,
    /// `connection()`, bulk UPDATE / DELETE): a failed flush's rollback undoes them.
    pub(crate) core_writes: bool,
    /// A failed flush rolled back Core work: every statement is refused until rollback().
    pub(super) pending_rollback: Option<String>,
    /// Secondary-table rows the flush in progress wrote or deleted (a pair changed from both
    /// sides of a `back_populates` pair is written once).
    pub(crate) secondary_done: std::collections::HashSet<super::secondary::SecondaryRow>,
    /// Foreign keys the flush in progress writes after its INSERTs: (relationship, its
    /// index, holder type, holder slot, source slot).
    pub(crate) deferred: Vec<(
        &'static super::relationship::RelInfo,
        usize,
        TypeId,
        u32,
        u32,
    )>,
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
    /// let session = Session::new(&engine);
    /// assert!(!session.in_transaction()); // no connection until the first statement
    /// # Ok::<(), athanor::Error>(())
    /// ```
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
            batch_inserts: true,
            core_writes: false,
            pending_rollback: None,
            secondary_done: std::collections::HashSet::new(),
            deferred: Vec::new(),
        }
    }

    /// Sets autoflush (default on): queries through the session flush pending changes first.
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
    /// let mut s = Session::new(&engine).with_autoflush(false);
    /// s.add(Genre { id: 100, name: Some("Polka".into()) })?;
    /// assert_eq!(s.query::<Genre>().filter(Genre::ID.eq(100)).count()?, 0); // not flushed
    /// s.set_autoflush(true);
    /// assert_eq!(s.query::<Genre>().filter(Genre::ID.eq(100)).count()?, 1); // flushed first
    /// # Ok::<(), athanor::Error>(())
    /// ```
    pub fn with_autoflush(mut self, on: bool) -> Session {
        self.autoflush = on;
        self
    }

    /// Sets `expire_on_commit` (default on): commit expires every object, so the next read
    /// reloads it.
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
    /// let mut s = Session::new(&engine).with_expire_on_commit(false);
    /// let rock = s.get::<Genre>(1)?.expect("genre 1");
    /// s.commit()?;
    /// // Another connection changes the row; the session keeps the values it had.
    /// engine.transaction(|conn| {
    ///     conn.execute(&update(Genre::table()).values(row! { "Name" => "Rock!" }).filter(Genre::ID.eq(1)))
    /// })?;
    /// assert_eq!(s.read(rock)?.name.as_deref(), Some("Rock"));
    /// s.expire(rock)?;
    /// assert_eq!(s.read(rock)?.name.as_deref(), Some("Rock!"));
    /// # Ok::<(), athanor::Error>(())
    /// ```
    pub fn with_expire_on_commit(mut self, on: bool) -> Session {
        self.expire_on_commit = on;
        self
    }

    /// Turns batched INSERTs off: one statement per new object (the slow path that the
    /// differential tests compare the batches with).
    #[doc(hidden)]
    pub fn with_batched_inserts(mut self, on: bool) -> Session {
        self.batch_inserts = on;
        self
    }

    /// Turns autoflush on or off.
    pub fn set_autoflush(&mut self, on: bool) {
        self.autoflush = on;
    }

    /// The session's engine (example on [`Session::in_transaction`]).
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// True while a transaction is open (from the first statement to commit or rollback).
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
    /// assert!(!s.in_transaction());
    /// s.get::<Genre>(1)?;
    /// assert!(s.in_transaction()); // begun by the first statement (autobegin)
    /// s.commit()?;
    /// assert!(!s.in_transaction()); // and its connection is back in the pool
    /// assert_eq!(s.engine().url().to_string(), engine.url().to_string());
    /// # Ok::<(), athanor::Error>(())
    /// ```
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

    pub(super) fn store_ref<M: Model>(&self) -> Option<&Store<M>> {
        let key = StoreKey::Model(TypeId::of::<M>());
        self.stores
            .iter()
            .find(|(t, _)| *t == key)
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

    pub(super) fn counts(&self) -> (usize, usize, usize) {
        self.stores.iter().fold((0, 0, 0), |acc, (_, s)| {
            let c = s.counts();
            (acc.0 + c.0, acc.1 + c.1, acc.2 + c.2)
        })
    }

    // ----- the connection ---------------------------------------------------------------

    /// The session's connection, inside its transaction (begun on first use): for Core work
    /// in the same transaction as the session's (SQLAlchemy's `session.connection()`).
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
    /// s.add(Genre { id: 100, name: Some("Polka".into()) })?;
    /// let count = select(func::count_star()).select_from(Genre::table());
    /// // The connection doesn't flush: the pending genre isn't there yet.
    /// assert_eq!(s.connection()?.execute(&count)?.scalar::<i64>()?, 25);
    /// s.flush()?;
    /// assert_eq!(s.connection()?.execute(&count)?.scalar::<i64>()?, 26); // the same transaction
    /// # Ok::<(), athanor::Error>(())
    /// ```
    ///
    /// Statements run through it are the caller's: if a flush later fails, rolling back the
    /// transaction undoes them too, and the session then refuses to go on until
    /// [`Session::rollback`] (see [`Session::flush`]).
    ///
    /// # Errors
    /// Checking out a connection or BEGIN failed; [`Error::InvalidRequest`] after a failed
    /// flush undid Core work, until rollback.
    pub fn connection(&mut self) -> Result<&mut Connection> {
        self.core_writes = true;
        self.conn()
    }

    /// The connection inside the session's transaction (begun on first use), for the
    /// session's own statements.
    pub(crate) fn conn(&mut self) -> Result<&mut Connection> {
        if let Some(why) = &self.pending_rollback {
            return Err(Error::InvalidRequest(format!(
                "this session's transaction was rolled back by a failed flush, which also undid Core statements run in it ({why}); call rollback() before going on"
            )));
        }
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
}

/// The store of `M` among a session's stores (made on first use).
pub(super) fn store_in<M: Model>(
    stores: &mut Vec<(StoreKey, Box<dyn ErasedStore>)>,
) -> &mut Store<M> {
    let key = StoreKey::Model(TypeId::of::<M>());
    let at = match stores.iter().position(|(t, _)| *t == key) {
        Some(at) => at,
        None => {
            stores.push((key, Box::new(Store::<M>::default()) as Box<dyn ErasedStore>));
            stores.len() - 1
        }
    };
    match stores[at].1.as_any_mut().downcast_mut::<Store<M>>() {
        Some(s) => s,
        None => unreachable!("a store is registered under its own type"),
    }
}

/// What a session's store holds: the objects of a mapped type, or of an automapped class
/// (`orm::automap`, numbered once per process).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StoreKey {
    Model(TypeId),
    Class(u32),
}

/// What [`Session::run_rows`] hands its callback.
pub(crate) enum Incoming<'r> {
    /// About this many rows follow (the statement's last result; 0 the first time).
    Expect(usize),
    /// One row's values, to be moved out.
    Row(RowValues<'r>),
}
