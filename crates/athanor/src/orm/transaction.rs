//! The unit of work's transaction: flush (and what a failed flush leaves), commit,
//! rollback, close, and savepoints ([`NestedTransaction`]).

use athanor_core::schema::sort_tables_skipping;

use super::relationship::RelInfo;
use super::session::{Session, StoreKey};
use crate::{Error, Result};

impl Session {
    // ----- flush, commit, rollback ------------------------------------------------------

    /// Writes every pending change: INSERTs of new objects (parents before children),
    /// UPDATEs of changed columns, DELETEs (children before parents), in the session's
    /// transaction.
    ///
    /// A failed flush rolls the transaction back and leaves the session usable, with
    /// everything written in the transaction unwritten again: new objects pending (keys the
    /// database generated reset), changed objects still changed, deleted ones still marked.
    /// The error keeps its kind (`Error::Integrity`, ...) and names the object and statement.
    /// Only the session's own changes can be replayed: when the transaction also ran
    /// statements the session doesn't track (DML through [`Session::execute`], anything
    /// through [`Session::connection`], bulk UPDATE / DELETE), the rollback undid them too,
    /// and every later statement is refused with [`Error::InvalidRequest`] until
    /// [`Session::rollback`] (SQLAlchemy's `PendingRollbackError`), so that none is lost
    /// silently.
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
    /// let polka = s.add(Genre { id: 100, name: Some("Polka".into()) })?;
    /// let dup = s.add(Genre { id: 1, name: Some("Rock again".into()) })?; // genre 1 exists
    /// let err = s.flush().expect_err("a duplicate key");
    /// assert!(matches!(err, Error::Integrity(_)), "{err}");
    /// // Rolled back, and nothing lost: both are pending again.
    /// assert_eq!(s.new_objects::<Genre>(), [polka, dup]);
    /// s.edit(dup)?.id = 101;
    /// s.flush()?;
    /// assert_eq!(s.query::<Genre>().count()?, 27);
    /// # Ok::<(), athanor::Error>(())
    /// ```
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
                if std::mem::take(&mut self.core_writes) {
                    // The session can replay its own changes, not the caller's statements.
                    self.pending_rollback =
                        Some(e.to_string().lines().next().unwrap_or("").to_string());
                }
                Err(e)
            }
        }
    }

    fn flush_inner(&mut self) -> Result<()> {
        self.deferred.clear();
        // Relationships: what they add, cascade and drive (none without relationships).
        if !self.relationships().is_empty() {
            self.relationship_prepass()?;
        }
        // Again: the prepass may have brought objects of other models in.
        let rels = self.relationships();
        let changed: Vec<usize> = (0..self.stores.len())
            .filter(|&i| !rels.is_empty() || self.stores[i].1.has_changes())
            .collect();
        let tables: Vec<_> = changed
            .iter()
            .map(|&i| self.stores[i].1.table().clone())
            .collect();
        // Keys written after the INSERTs (post_update) don't order the tables: that is how
        // tables referring to each other get an order.
        let late: Vec<(&'static athanor_core::schema::Table, Vec<String>)> = rels
            .iter()
            .filter_map(|&(_, info, k)| info.ops.post_update_key(k))
            .collect();
        let sorted = sort_tables_skipping(&tables, |t, fk| {
            late.iter()
                .any(|(lt, cols)| lt.same_as(t) && fk.columns == *cols)
        })?;
        // Every changed store, in its table's dependency rank (stores of tables alike keep
        // their order; none is left out).
        let mut order = changed.clone();
        order.sort_by_key(|&i| {
            let table = self.stores[i].1.table();
            sorted
                .iter()
                .position(|t| t.same_as(table))
                .unwrap_or(usize::MAX)
        });
        self.conn()?;
        for &i in &order {
            match self.stores[i].0 {
                StoreKey::Model(holder) => {
                    for &(_, info, k) in &rels {
                        info.ops.sync_keys(self, k, holder)?;
                    }
                }
                // An automapped class's foreign keys from the objects given to its
                // relationships.
                StoreKey::Class(_) => super::automap::sync_links(self, i)?,
            }
            let Session {
                conn,
                stores,
                batch_inserts,
                ..
            } = self;
            let Some(conn) = conn.as_mut() else {
                return Err(Error::InvalidRequest(
                    "the session has no connection".into(),
                ));
            };
            stores[i].1.flush_saves(conn, *batch_inserts)?;
        }
        if !rels.is_empty() {
            // Keys held back until every row existed (post_update, keys generated above).
            let deferred = std::mem::take(&mut self.deferred);
            for &(info, k, _, slot, source) in &deferred {
                info.ops.post_update(self, k, slot, source)?;
            }
            self.secondary_done.clear();
            for &(_, info, k) in &rels {
                info.ops.sync_secondary(self, k)?;
            }
            self.secondary_done.clear();
            for &(_, info, k) in &rels {
                info.ops.release_before_delete(self, k)?;
            }
        }
        let Some(conn) = self.conn.as_mut() else {
            return Err(Error::InvalidRequest(
                "the session has no connection".into(),
            ));
        };
        for &i in order.iter().rev() {
            self.stores[i].1.flush_deletes(conn)?;
        }
        Ok(())
    }

    /// Before a flush writes anything: new objects given in changed relationships join the
    /// session, and deletes cascade (deleted parents' unloaded collections loaded in one
    /// query per level) until nothing more changes.
    /// The relationships of the models in the session: (store, description, index).
    fn relationships(&self) -> Vec<(usize, &'static RelInfo, usize)> {
        self.stores
            .iter()
            .enumerate()
            .flat_map(|(j, (_, s))| {
                s.relationships()
                    .iter()
                    .enumerate()
                    .map(move |(k, info)| (j, info, k))
            })
            .collect()
    }

    /// Before a flush writes anything: new objects given in changed relationships join the
    /// session, and deletes cascade (deleted parents' unloaded collections loaded in one
    /// query per level) until nothing more changes.
    fn relationship_prepass(&mut self) -> Result<()> {
        for (j, info, k) in self.relationships() {
            let parents = self.stores[j].1.modified_slots();
            if !parents.is_empty() {
                info.ops.adopt(self, k, &parents)?;
            }
        }
        loop {
            let mut changed = false;
            for (_, info, k) in self.relationships() {
                changed |= info.ops.cascade_deletes(self, k)?;
            }
            if !changed {
                return Ok(());
            }
        }
    }

    /// Flushes, commits the transaction and gives the connection back to the pool; with
    /// `expire_on_commit` every object reloads on its next read.
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
    /// s.commit()?; // UPDATE, COMMIT; every object expires
    /// assert!(!s.in_transaction());
    /// assert_eq!(s.read(rock)?.name.as_deref(), Some("Rock!")); // reloaded
    /// # Ok::<(), athanor::Error>(())
    /// ```
    ///
    /// # Errors
    /// The flush's error (then nothing is committed) or COMMIT's.
    pub fn commit(&mut self) -> Result<()> {
        self.flush()?;
        self.savepoints.clear();
        self.core_writes = false;
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
    /// let polka = s.add(Genre { id: 100, name: Some("Polka".into()) })?;
    /// s.flush()?;
    /// s.rollback()?;
    /// assert!(s.read(polka).is_err()); // added in the transaction: expunged
    /// assert_eq!(s.read(rock)?.name.as_deref(), Some("Rock")); // expired, reloaded
    /// # Ok::<(), athanor::Error>(())
    /// ```
    ///
    /// # Errors
    /// ROLLBACK's error (the session is reset all the same).
    pub fn rollback(&mut self) -> Result<()> {
        self.savepoints.clear();
        self.core_writes = false;
        self.pending_rollback = None;
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
    /// s.close();
    /// assert!(s.read(rock).is_err() && !s.in_transaction());
    /// assert!(s.get::<Genre>(1)?.is_some()); // usable again
    /// # Ok::<(), athanor::Error>(())
    /// ```
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
        let name = self.conn()?.open_savepoint()?;
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
    /// let mut sp = s.begin_nested()?; // SAVEPOINT
    /// sp.add(Genre { id: 100, name: Some("Polka".into()) })?;
    /// sp.commit()?; // flushed, RELEASE SAVEPOINT: its work joins the transaction
    /// s.commit()?;
    /// assert!(s.get::<Genre>(100)?.is_some());
    /// # Ok::<(), athanor::Error>(())
    /// ```
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
