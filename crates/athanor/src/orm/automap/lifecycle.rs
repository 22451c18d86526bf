//! An automapped class's store through the session's transactions: what a flush, a failed
//! flush, commit, rollback (to a savepoint or of everything) and expiry do to its objects,
//! as for a model's store ([`ErasedStore`]).

use std::any::Any;

use athanor_core::schema::Table;

use super::store::DynStore;
use crate::engine::Connection;
use crate::orm::relationship::RelInfo;
use crate::orm::store::{ErasedStore, State, TxEntry, TxOp};
use crate::{Result, Value};

impl DynStore {
    /// Sets the generated key column back to NULL (after a failed flush).
    fn reset_generated_key(&mut self, i: u32) {
        if let Some(a) = self.class.info().autoincrement
            && let Some(v) = self.slots[i as usize].values.get_mut(a)
        {
            *v = Value::Null;
        }
    }

    fn undo(&mut self, e: &TxEntry, replay: bool) {
        let i = e.slot;
        let s = &mut self.slots[i as usize];
        if s.generation != e.generation || s.state == State::Free {
            return;
        }
        match (e.op, replay) {
            (TxOp::Inserted, true) if s.state == State::Deleted => {
                self.free_slot(i);
            }
            (TxOp::Inserted, true) => {
                if let Some(k) = s.key.take()
                    && self.map.get(&k) == Some(&i)
                {
                    self.map.remove(&k);
                }
                let generated = std::mem::take(&mut s.generated);
                s.state = State::Pending;
                s.expired = false;
                s.snapshot = None;
                s.all_dirty = false;
                s.level = 0;
                if generated {
                    self.reset_generated_key(i);
                }
                self.pending.push(i);
            }
            (TxOp::Inserted, false) => {
                self.free_slot(i);
            }
            (TxOp::Updated, true) => {
                if s.state == State::Persistent {
                    s.expired = false;
                    s.all_dirty = true;
                    s.snapshot = None;
                    if !s.listed {
                        s.listed = true;
                        self.modified.push(i);
                    }
                }
            }
            (TxOp::Updated | TxOp::BulkUpdated, _) => self.expire_slot(i),
            (TxOp::Deleted, true) => {
                s.state = State::Deleted;
                s.level = 0;
                if let Some(k) = &s.key {
                    self.map.insert(k.clone(), i);
                }
                self.deleted.push(i);
            }
            (TxOp::Deleted | TxOp::BulkDeleted, _) => {
                s.state = State::Persistent;
                if let Some(k) = &s.key {
                    self.map.insert(k.clone(), i);
                }
                self.expire_slot(i);
            }
        }
    }
}

impl ErasedStore for DynStore {
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
    fn table(&self) -> &Table {
        self.class.table()
    }
    fn relationships(&self) -> &'static [RelInfo] {
        &[]
    }
    fn modified_slots(&self) -> Vec<u32> {
        self.modified.clone()
    }

    fn has_changes(&self) -> bool {
        let slot = |i: &u32| &self.slots[*i as usize];
        self.pending.iter().any(|i| slot(i).state == State::Pending)
            || self.deleted.iter().any(|i| slot(i).state == State::Deleted)
            || self.modified.iter().any(|i| {
                let s = slot(i);
                s.state == State::Persistent
                    && (s.all_dirty || !s.links.is_empty() || {
                        let mut c = Vec::new();
                        self.changes(*i, &mut c);
                        !c.is_empty()
                    })
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
        let log = |slot: u32, generation: u32, op: TxOp| TxEntry {
            slot,
            generation,
            level,
            op,
        };
        for &i in &record.inserted {
            let key = self.key_of(&self.slots[i as usize].values);
            let s = &mut self.slots[i as usize];
            s.state = State::Persistent;
            s.key = key.clone();
            s.links.clear();
            let e = log(i, s.generation, TxOp::Inserted);
            if let Some(k) = key {
                self.map.insert(k, i);
            }
            self.log.push(e);
        }
        for &i in &record.generated {
            self.slots[i as usize].generated = true;
        }
        for &i in &record.updated {
            let new_key = self.key_of(&self.slots[i as usize].values);
            let s = &mut self.slots[i as usize];
            if new_key != s.key
                && let Some(nk) = new_key
            {
                if let Some(old) = s.key.take() {
                    self.map.remove(&old);
                }
                s.key = Some(nk.clone());
                self.map.insert(nk, i);
            }
            let e = log(i, s.generation, TxOp::Updated);
            self.log.push(e);
        }
        for &i in &record.deleted {
            let s = &mut self.slots[i as usize];
            s.state = State::Gone;
            if let Some(k) = &s.key
                && self.map.get(k) == Some(&i)
            {
                self.map.remove(k);
            }
            let e = log(i, s.generation, TxOp::Deleted);
            self.log.push(e);
        }
        for &i in &record.expire {
            self.expire_slot(i);
        }
        for &i in &self.modified {
            let s = &mut self.slots[i as usize];
            s.listed = false;
            s.links.clear();
            if s.state == State::Persistent {
                s.snapshot = None;
                s.all_dirty = false;
            }
        }
        self.modified.clear();
        let slots = &self.slots;
        self.pending
            .retain(|&i| slots[i as usize].state == State::Pending);
        self.deleted
            .retain(|&i| slots[i as usize].state == State::Deleted);
    }

    fn flush_failed(&mut self) {
        let record = std::mem::take(&mut self.record);
        for &i in &record.generated {
            self.reset_generated_key(i);
        }
    }

    fn unflush_transaction(&mut self) {
        let log = std::mem::take(&mut self.log);
        for e in log.iter().rev() {
            self.undo(e, true);
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
            self.undo(e, false);
        }
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
                State::Persistent
                    if level == 0 || s.snapshot.is_some() || s.all_dirty || !s.links.is_empty() =>
                {
                    self.expire_slot(i)
                }
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
        let mut c = Vec::new();
        for (i, s) in self.slots.iter().enumerate() {
            match s.state {
                State::Pending => n.0 += 1,
                State::Deleted => n.2 += 1,
                State::Persistent => {
                    self.changes(i as u32, &mut c);
                    if !c.is_empty() {
                        n.1 += 1;
                    }
                }
                _ => {}
            }
        }
        n
    }
}
