//! [`ErasedStore`]: what the session asks of every store whatever its type — the flush's
//! saves and deletes, applying or undoing a flush, and what commit, rollback and savepoints
//! do to the slots (the transaction log replayed).

use std::any::Any;

use athanor_core::schema::Table;

use super::model::Model;
use super::store::{State, Store, TxEntry, TxOp};
use crate::Result;
use crate::engine::Connection;

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
