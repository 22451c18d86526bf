//! The session's storage: one arena of slots per mapped type ([`Store`]), an identity map from
//! primary key to slot, and the lists the unit of work reads (pending, modified, deleted),
//! so that a flush never scans clean objects.
//!
//! Also the transaction log: what each flush of the open transaction did to which slot, so
//! that a rollback (or a failed flush) can put the session back in step with the database.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use super::handle::Ref;
use super::model::Model;
pub(crate) use super::store_erased::ErasedStore;
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
        // Handles number slots with a u32, and the store walks its slots as `0..len as u32`:
        // a session holds at most 4 294 967 295 objects of a type (slot numbers below
        // u32::MAX, so the length itself fits a u32).
        let i = u32::try_from(slots.len())
            .ok()
            .filter(|&i| i < u32::MAX)
            .ok_or_else(|| {
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
