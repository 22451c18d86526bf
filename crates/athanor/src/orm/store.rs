//! The session's storage: one arena of slots per mapped type ([`Store`]), an identity map from
//! primary key to slot, and the lists the unit of work reads (pending, modified, deleted),
//! so that a flush never scans clean objects.
//!
//! Also the transaction log: what each flush of the open transaction did to which slot, so
//! that a rollback (or a failed flush) can put the session back in step with the database.

use std::any::Any;
use std::collections::HashMap;
use std::collections::hash_map::Entry;

use athanor_core::schema::Table;

use super::handle::Ref;
use super::model::Model;
use crate::engine::Connection;
use crate::{Error, Result};

/// Where an object is in its life (SQLAlchemy's object states).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum State {
    /// Added, not yet inserted.
    Pending,
    /// Has a row.
    Persistent,
    /// Marked for deletion; the flush deletes its row.
    Deleted,
    /// Its row was deleted by a flush of the open transaction (or found missing on refresh).
    Gone,
    /// An empty slot.
    Free,
}

/// What a flush did to a slot, in the open transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TxOp {
    Inserted,
    Updated,
    Deleted,
    /// Changed by a bulk UPDATE (a Core statement, not the flush).
    BulkUpdated,
    /// Deleted by a bulk DELETE.
    BulkDeleted,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct TxEntry {
    pub(crate) slot: u32,
    pub(crate) generation: u32,
    pub(crate) level: u32,
    pub(crate) op: TxOp,
}

pub(crate) struct Slot<M: Model> {
    pub(crate) obj: Option<M>,
    pub(crate) generation: u32,
    pub(crate) state: State,
    /// The values as last loaded or flushed, taken on the first `edit`.
    pub(crate) snapshot: Option<Box<M>>,
    /// The database's values are unknown (a flush of them was rolled back): write every column.
    pub(crate) all_dirty: bool,
    pub(crate) expired: bool,
    /// The key the identity map holds this slot under.
    pub(crate) key: Option<M::Key>,
    /// The nesting level (0: the top transaction) the object was added or marked at.
    pub(crate) level: u32,
    /// The database generated the key, in the open transaction.
    pub(crate) generated: bool,
    /// On the modified list.
    pub(crate) listed: bool,
}

/// What the flush in progress did, applied to the slots only when the whole flush succeeds.
#[derive(Default)]
pub(crate) struct FlushRecord {
    pub(crate) inserted: Vec<u32>,
    pub(crate) updated: Vec<u32>,
    pub(crate) deleted: Vec<u32>,
    /// Slots whose key the database generated in this flush.
    pub(crate) generated: Vec<u32>,
    /// Slots with server defaults not fetched back: expired after the flush.
    pub(crate) expire: Vec<u32>,
    /// The flush wrote this store's pending objects (all of them, or it failed).
    pub(crate) saved: bool,
}

/// The identity map's hasher: foldhash, seeded per process (hashbrown's default hash). SipHash,
/// std's default, cost ~9 % of a 10 000-object load (`bench/NOTES.md`, ORM).
pub(crate) type KeyHasher = foldhash::fast::RandomState;

/// The arena of one mapped type.
pub(crate) struct Store<M: Model> {
    pub(crate) slots: Vec<Slot<M>>,
    free: Vec<u32>,
    pub(crate) map: HashMap<M::Key, u32, KeyHasher>,
    pub(crate) pending: Vec<u32>,
    pub(crate) modified: Vec<u32>,
    pub(crate) deleted: Vec<u32>,
    pub(crate) log: Vec<TxEntry>,
    pub(crate) record: FlushRecord,
    /// `Session::get`'s SELECT by key, built once (its shape's cache key is remembered).
    pub(crate) get_stmt: Option<athanor_core::sql::Select>,
}

impl<M: Model> Default for Store<M> {
    fn default() -> Self {
        Store {
            slots: Vec::new(),
            free: Vec::new(),
            map: HashMap::default(),
            pending: Vec::new(),
            modified: Vec::new(),
            deleted: Vec::new(),
            log: Vec::new(),
            record: FlushRecord::default(),
            get_stmt: None,
        }
    }
}

pub(crate) fn detached(what: &str) -> Error {
    Error::DetachedInstance(format!(
        "this {what} handle's object is not in the session: it belongs to another session, or was expunged or deleted since"
    ))
}

impl<M: Model> Store<M> {
    /// Puts an object in a free slot.
    pub(crate) fn insert_slot(
        &mut self,
        obj: M,
        state: State,
        key: Option<M::Key>,
        level: u32,
    ) -> Result<u32> {
        put_slot(&mut self.slots, &mut self.free, obj, state, key, level)
    }

    /// Room for `n` more objects without growing the arena or the identity map.
    pub(crate) fn reserve(&mut self, n: usize) {
        self.map.reserve(n);
        self.slots.reserve(n.saturating_sub(self.free.len()));
    }

    pub(crate) fn handle(&self, session: u32, i: u32) -> Ref<M> {
        Ref::new(session, i, self.slots[i as usize].generation)
    }

    /// The slot of a handle of this session, or `DetachedInstance`.
    pub(crate) fn check(&self, h: Ref<M>) -> Result<u32> {
        match self.slots.get(h.index as usize) {
            Some(s) if s.generation == h.generation && s.state != State::Free => Ok(h.index),
            _ => Err(detached(M::NAME)),
        }
    }

    /// Empties a slot: its handles stop working.
    pub(crate) fn free_slot(&mut self, i: u32) -> Option<M> {
        let s = &mut self.slots[i as usize];
        if s.state == State::Free {
            return None;
        }
        if let Some(k) = s.key.take()
            && self.map.get(&k) == Some(&i)
        {
            self.map.remove(&k);
        }
        s.state = State::Free;
        s.generation = s.generation.wrapping_add(1);
        s.snapshot = None;
        s.all_dirty = false;
        s.expired = false;
        s.listed = false;
        let obj = s.obj.take();
        self.free.push(i);
        obj
    }

    /// Marks a persistent slot changed: snapshot its values (first write only) and list it.
    pub(crate) fn touch(&mut self, i: u32) {
        let s = &mut self.slots[i as usize];
        if matches!(s.state, State::Persistent | State::Deleted)
            && s.snapshot.is_none()
            && !s.all_dirty
            && let Some(o) = &s.obj
        {
            s.snapshot = Some(Box::new(o.clone()));
        }
        if !s.listed {
            s.listed = true;
            self.modified.push(i);
        }
    }

    /// Columns of a persistent object that differ from its snapshot (every column when the
    /// database's values are unknown).
    pub(crate) fn changes(&self, i: u32, out: &mut Vec<usize>) {
        out.clear();
        let s = &self.slots[i as usize];
        let Some(o) = &s.obj else { return };
        if s.all_dirty {
            out.extend((0..M::width()).filter(|c| !M::PRIMARY_KEY.contains(c)));
        } else if let Some(old) = &s.snapshot {
            o.diff(old, out);
        }
    }

    /// Expires one slot: its values reload on next access, its relationships are unloaded.
    pub(crate) fn expire_slot(&mut self, i: u32) {
        let s = &mut self.slots[i as usize];
        if matches!(s.state, State::Persistent | State::Deleted) {
            s.expired = true;
            s.snapshot = None;
            s.all_dirty = false;
            if let Some(o) = &mut s.obj {
                for (j, info) in M::RELATIONSHIPS.iter().enumerate() {
                    if let Some(f) = o.rel_field_mut(j) {
                        f.set_state(super::relationship::LoadState::Unloaded(info.qualname));
                    }
                }
            }
        }
    }

    /// Loads one row's object at `offset` into the identity map: an object already present
    /// wins (its values are kept unless `overwrite`, or it is expired).
    pub(crate) fn load(
        &mut self,
        values: &mut crate::RowValues<'_>,
        offset: usize,
        overwrite: bool,
    ) -> Result<u32> {
        let key = M::key_from_row(values, offset)?;
        // One hash of the key, whether it is found or added.
        match self.map.entry(key) {
            Entry::Occupied(e) => {
                let i = *e.get();
                let s = &mut self.slots[i as usize];
                if s.expired || overwrite {
                    let fresh = M::from_row_at(values, offset)?;
                    if let Some(o) = &mut s.obj {
                        o.assign_columns(fresh);
                    }
                    s.expired = false;
                    s.snapshot = None;
                    s.all_dirty = false;
                }
                Ok(i)
            }
            Entry::Vacant(e) => {
                let obj = M::from_row_at(values, offset)?;
                let key = Some(e.key().clone());
                let i = put_slot(
                    &mut self.slots,
                    &mut self.free,
                    obj,
                    State::Persistent,
                    key,
                    0,
                )?;
                e.insert(i);
                Ok(i)
            }
        }
    }
}

/// Puts an object in a free slot of `slots` (one from `free`, or a new one).
fn put_slot<M: Model>(
    slots: &mut Vec<Slot<M>>,
    free: &mut Vec<u32>,
    obj: M,
    state: State,
    key: Option<M::Key>,
    level: u32,
) -> Result<u32> {
    let slot = Slot {
        obj: Some(obj),
        generation: 0,
        state,
        snapshot: None,
        all_dirty: false,
        expired: false,
        key,
        level,
        generated: false,
        listed: false,
    };
    if let Some(i) = free.pop() {
        let s = &mut slots[i as usize];
        let generation = s.generation;
        *s = slot;
        s.generation = generation;
        Ok(i)
    } else {
        // Handles number slots with a u32: a session holds at most 4 294 967 295 objects of a
        // type.
        let i = u32::try_from(slots.len()).map_err(|_| {
            Error::InvalidRequest(format!(
                "a session holds at most {} {} objects",
                u32::MAX,
                M::NAME
            ))
        })?;
        slots.push(slot);
        Ok(i)
    }
}

/// What the session asks of every store, whatever its type.
pub(crate) trait ErasedStore: Send {
    fn as_any(&self) -> &dyn Any;
    fn as_any_mut(&mut self) -> &mut dyn Any;
    fn table(&self) -> &Table;
    /// The model's relationships.
    fn relationships(&self) -> &'static [super::relationship::RelInfo];
    /// Slots on the modified list.
    fn modified_slots(&self) -> Vec<u32>;
    /// Pending, modified or deleted objects wait for a flush.
    fn has_changes(&self) -> bool;
    /// INSERTs of pending objects (batched unless `batch` is false), then UPDATEs of changed
    /// ones.
    fn flush_saves(&mut self, conn: &mut Connection, batch: bool) -> Result<()>;
    /// DELETEs of objects marked for deletion.
    fn flush_deletes(&mut self, conn: &mut Connection) -> Result<()>;
    /// The flush succeeded: apply its record to the slots.
    fn flush_succeeded(&mut self, level: u32);
    /// The flush failed: undo what it did to the objects (generated keys).
    fn flush_failed(&mut self);
    /// The transaction was rolled back because a flush failed: everything its flushes wrote
    /// is unflushed again (inserted objects pending, updated ones dirty, deleted ones marked).
    fn unflush_transaction(&mut self);
    /// After COMMIT.
    fn committed(&mut self, expire: bool);
    /// After ROLLBACK (to the savepoint at `level`, or of everything for level 0).
    fn rolled_back(&mut self, level: u32);
    /// After RELEASE of the savepoint at `level`: what it did belongs to the level around it.
    fn committed_nested(&mut self, level: u32);
    fn expire_all(&mut self);
    fn expunge_all(&mut self);
    /// (pending, dirty, deleted) counts.
    fn counts(&self) -> (usize, usize, usize);
}

impl<M: Model> ErasedStore for Store<M> {
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
    fn table(&self) -> &Table {
        M::table()
    }
    fn relationships(&self) -> &'static [super::relationship::RelInfo] {
        M::RELATIONSHIPS
    }
    fn modified_slots(&self) -> Vec<u32> {
        self.modified.clone()
    }

    fn has_changes(&self) -> bool {
        self.pending
            .iter()
            .any(|&i| self.slots[i as usize].state == State::Pending)
            || self
                .deleted
                .iter()
                .any(|&i| self.slots[i as usize].state == State::Deleted)
            || self.modified.iter().any(|&i| {
                let s = &self.slots[i as usize];
                s.state == State::Persistent && (s.all_dirty || s.snapshot.is_some())
            })
    }

    fn flush_saves(&mut self, conn: &mut Connection, batch: bool) -> Result<()> {
        self.record.saved = true;
        self.flush_inserts(conn, batch)?;
        self.flush_updates(conn)
    }

    fn flush_deletes(&mut self, conn: &mut Connection) -> Result<()> {
        self.flush_deleted(conn)
    }

    fn flush_succeeded(&mut self, level: u32) {
        let record = std::mem::take(&mut self.record);
        self.map.reserve(record.inserted.len());
        self.log
            .reserve(record.inserted.len() + record.updated.len() + record.deleted.len());
        for &i in &record.inserted {
            let s = &mut self.slots[i as usize];
            let key = s.obj.as_ref().and_then(M::key);
            s.state = State::Persistent;
            s.key = key.clone();
            let generation = s.generation;
            if let Some(k) = key {
                self.map.insert(k, i);
            }
            self.log.push(TxEntry {
                slot: i,
                generation,
                level,
                op: TxOp::Inserted,
            });
        }
        for &i in &record.generated {
            self.slots[i as usize].generated = true;
        }
        for &i in &record.updated {
            let s = &mut self.slots[i as usize];
            // A changed key: the identity map follows.
            let new_key = s.obj.as_ref().and_then(M::key);
            if new_key != s.key
                && let Some(nk) = new_key
            {
                if let Some(old) = s.key.take() {
                    self.map.remove(&old);
                }
                s.key = Some(nk.clone());
                self.map.insert(nk, i);
            }
            let generation = s.generation;
            self.log.push(TxEntry {
                slot: i,
                generation,
                level,
                op: TxOp::Updated,
            });
        }
        for &i in &record.deleted {
            let s = &mut self.slots[i as usize];
            s.state = State::Gone;
            let generation = s.generation;
            if let Some(k) = &s.key
                && self.map.get(k) == Some(&i)
            {
                self.map.remove(k);
            }
            self.log.push(TxEntry {
                slot: i,
                generation,
                level,
                op: TxOp::Deleted,
            });
        }
        for &i in &record.expire {
            self.expire_slot(i);
        }
        // Every change is written: the lists start again.
        for &i in &self.modified {
            let s = &mut self.slots[i as usize];
            s.listed = false;
            if s.state == State::Persistent {
                s.snapshot = None;
                s.all_dirty = false;
            }
        }
        self.modified.clear();
        let slots = &self.slots;
        if record.saved {
            // Every pending object was inserted (a flush writes them all or fails).
            self.pending.clear();
        } else {
            self.pending
                .retain(|&i| slots[i as usize].state == State::Pending);
        }
        self.deleted
            .retain(|&i| slots[i as usize].state == State::Deleted);
    }

    fn flush_failed(&mut self) {
        let record = std::mem::take(&mut self.record);
        for &i in &record.generated {
            if let Some(o) = &mut self.slots[i as usize].obj {
                o.reset_generated_key();
            }
        }
    }

    fn unflush_transaction(&mut self) {
        let log = std::mem::take(&mut self.log);
        for e in log.iter().rev() {
            let i = e.slot;
            let s = &mut self.slots[i as usize];
            if s.generation != e.generation || s.state == State::Free {
                continue;
            }
            match e.op {
                // Inserted, then marked for deletion: with the insert undone, nothing is left
                // to delete, and the object leaves the session.
                TxOp::Inserted if s.state == State::Deleted => {
                    self.free_slot(i);
                }
                TxOp::Inserted => {
                    if let Some(k) = s.key.take()
                        && self.map.get(&k) == Some(&i)
                    {
                        self.map.remove(&k);
                    }
                    if s.generated
                        && let Some(o) = &mut s.obj
                    {
                        o.reset_generated_key();
                    }
                    s.generated = false;
                    s.state = State::Pending;
                    // Its values are the ones to insert again, expired or not.
                    s.expired = false;
                    s.snapshot = None;
                    s.all_dirty = false;
                    s.level = 0;
                    self.pending.push(i);
                }
                TxOp::Updated => {
                    if s.state == State::Persistent {
                        // The values in memory are the ones that were written (an expired
                        // object keeps them): write them all again.
                        s.expired = false;
                        s.all_dirty = true;
                        s.snapshot = None;
                        if !s.listed {
                            s.listed = true;
                            self.modified.push(i);
                        }
                    }
                }
                // A bulk statement isn't replayed: its objects are as the database now
                // holds them.
                TxOp::BulkUpdated => self.expire_slot(i),
                TxOp::BulkDeleted => {
                    s.state = State::Persistent;
                    if let Some(k) = &s.key {
                        self.map.insert(k.clone(), i);
                    }
                    self.expire_slot(i);
                }
                TxOp::Deleted => {
                    s.state = State::Deleted;
                    s.level = 0;
                    if let Some(k) = &s.key {
                        self.map.insert(k.clone(), i);
                    }
                    self.deleted.push(i);
                }
            }
        }
        self.pending.sort_unstable();
        self.pending.dedup();
        self.deleted.sort_unstable();
        self.deleted.dedup();
    }

    fn committed(&mut self, expire: bool) {
        self.log.clear();
        for i in 0..self.slots.len() as u32 {
            let s = &mut self.slots[i as usize];
            s.generated = false;
            s.level = 0;
            match s.state {
                State::Gone => {
                    self.free_slot(i);
                }
                State::Persistent if expire => self.expire_slot(i),
                _ => {}
            }
        }
    }

    fn rolled_back(&mut self, level: u32) {
        let log = std::mem::take(&mut self.log);
        let (undo, keep): (Vec<TxEntry>, Vec<TxEntry>) =
            log.into_iter().partition(|e| e.level >= level);
        self.log = keep;
        for e in undo.iter().rev() {
            let i = e.slot;
            let s = &self.slots[i as usize];
            if s.generation != e.generation || s.state == State::Free {
                continue;
            }
            match e.op {
                // SQLAlchemy: objects inserted in the rolled-back transaction are expunged.
                TxOp::Inserted => {
                    self.free_slot(i);
                }
                TxOp::Updated | TxOp::BulkUpdated => self.expire_slot(i),
                TxOp::Deleted | TxOp::BulkDeleted => {
                    let s = &mut self.slots[i as usize];
                    s.state = State::Persistent;
                    if let Some(k) = &s.key {
                        self.map.insert(k.clone(), i);
                    }
                    self.expire_slot(i);
                }
            }
        }
        // Objects added (never flushed) or marked for deletion inside the rolled-back scope.
        for i in 0..self.slots.len() as u32 {
            let s = &mut self.slots[i as usize];
            match s.state {
                State::Pending if s.level >= level => {
                    self.free_slot(i);
                }
                State::Deleted if s.level >= level => {
                    s.state = State::Persistent;
                    self.expire_slot(i);
                }
                State::Persistent if level == 0 => self.expire_slot(i),
                State::Persistent if s.snapshot.is_some() || s.all_dirty => self.expire_slot(i),
                _ => {}
            }
        }
        for &i in &self.modified {
            self.slots[i as usize].listed = false;
        }
        self.modified.clear();
        let slots = &self.slots;
        self.pending
            .retain(|&i| slots[i as usize].state == State::Pending);
        self.deleted
            .retain(|&i| slots[i as usize].state == State::Deleted);
        if level == 0 {
            for s in &mut self.slots {
                s.generated = false;
            }
        }
    }

    fn committed_nested(&mut self, level: u32) {
        let outer = level.saturating_sub(1);
        for e in &mut self.log {
            if e.level >= level {
                e.level = outer;
            }
        }
        for s in &mut self.slots {
            if s.level >= level {
                s.level = outer;
            }
        }
    }

    fn expire_all(&mut self) {
        for i in 0..self.slots.len() as u32 {
            self.expire_slot(i);
        }
        for &i in &self.modified {
            self.slots[i as usize].listed = false;
        }
        self.modified.clear();
    }

    fn expunge_all(&mut self) {
        for i in 0..self.slots.len() as u32 {
            self.free_slot(i);
        }
        self.map.clear();
        self.pending.clear();
        self.modified.clear();
        self.deleted.clear();
        self.log.clear();
    }

    fn counts(&self) -> (usize, usize, usize) {
        let mut n = (0, 0, 0);
        for s in &self.slots {
            match s.state {
                State::Pending => n.0 += 1,
                State::Deleted => n.2 += 1,
                State::Persistent if s.all_dirty => n.1 += 1,
                State::Persistent => {
                    if let (Some(o), Some(old)) = (&s.obj, &s.snapshot) {
                        let mut c = Vec::new();
                        o.diff(old, &mut c);
                        if !c.is_empty() {
                            n.1 += 1;
                        }
                    }
                }
                _ => {}
            }
        }
        n
    }
}
