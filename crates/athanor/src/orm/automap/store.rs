//! The session's storage for one automapped class ([`DynStore`]): slots of column values, an
//! identity map from key to slot, the lists a flush reads, and the transaction log, with the
//! same life cycle as a model's [`Store`](crate::orm::store::Store) (pending, persistent,
//! deleted, gone; snapshots on first change; undo on rollback or a failed flush).

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use super::Class;
use super::object::DynRef;
use crate::orm::loading::GroupKey;
use crate::orm::store::{FlushRecord, KeyHasher, State, TxEntry};
use crate::{Error, Result, RowValues, Value};

pub(crate) struct DynSlot {
    /// The column values (empty in a free slot).
    pub(crate) values: Vec<Value>,
    pub(crate) generation: u32,
    pub(crate) state: State,
    /// The values as last loaded or flushed, taken on the first edit.
    pub(crate) snapshot: Option<Vec<Value>>,
    /// The database's values are unknown (a flush of them was rolled back): write every column.
    pub(crate) all_dirty: bool,
    pub(crate) expired: bool,
    /// The key the identity map holds this slot under.
    pub(crate) key: Option<GroupKey>,
    pub(crate) level: u32,
    pub(crate) generated: bool,
    pub(crate) listed: bool,
    /// Each relationship's objects once loaded (`None`: not loaded), by relationship index.
    pub(crate) rels: Vec<Option<Vec<DynRef>>>,
    /// Objects given to this object's relationships: the flush copies their keys into its
    /// foreign key.
    pub(crate) links: Vec<Link>,
}

/// This object's columns `cols` take `parent`'s columns `parent_cols` at the flush.
#[derive(Clone)]
pub(crate) struct Link {
    pub(crate) cols: Vec<usize>,
    pub(crate) parent: DynRef,
    pub(crate) parent_cols: Vec<usize>,
}

impl DynSlot {
    /// Relationship `r`'s objects, if loaded.
    pub(crate) fn rel(&self, r: usize) -> Option<&Vec<DynRef>> {
        self.rels.get(r).and_then(Option::as_ref)
    }

    /// Sets relationship `r`'s objects (`None`: unloaded).
    pub(crate) fn set_rel(&mut self, r: usize, refs: Option<Vec<DynRef>>) {
        if self.rels.len() <= r {
            self.rels.resize_with(r + 1, || None);
        }
        self.rels[r] = refs;
    }
}

/// The objects of one automapped class in a session.
pub(crate) struct DynStore {
    pub(crate) class: Class,
    pub(crate) slots: Vec<DynSlot>,
    free: Vec<u32>,
    pub(crate) map: HashMap<GroupKey, u32, KeyHasher>,
    pub(crate) pending: Vec<u32>,
    pub(crate) modified: Vec<u32>,
    pub(crate) deleted: Vec<u32>,
    pub(crate) log: Vec<TxEntry>,
    pub(crate) record: FlushRecord,
}

impl DynStore {
    pub(crate) fn new(class: Class) -> DynStore {
        DynStore {
            class,
            slots: Vec::new(),
            free: Vec::new(),
            map: HashMap::default(),
            pending: Vec::new(),
            modified: Vec::new(),
            deleted: Vec::new(),
            log: Vec::new(),
            record: FlushRecord::default(),
        }
    }

    /// The identity of an object with these values: `None` while a key column is NULL.
    pub(crate) fn key_of(&self, values: &[Value]) -> Option<GroupKey> {
        let pk = &self.class.info().primary_key;
        let vals: Vec<Value> = pk
            .iter()
            .map(|&c| values.get(c).cloned().unwrap_or(Value::Null))
            .collect();
        GroupKey::of(&vals)
    }

    /// `Album(1)`: how errors name an object.
    pub(crate) fn describe(&self, values: &[Value]) -> String {
        let info = self.class.info();
        let key: Vec<String> = info
            .primary_key
            .iter()
            .map(|&c| values.get(c).map_or_else(String::new, Value::to_string))
            .collect();
        if key.iter().any(|k| k == "NULL" || k.is_empty()) {
            format!("{} (key not yet generated)", info.name)
        } else {
            format!("{}({})", info.name, key.join(", "))
        }
    }

    pub(crate) fn detached(&self) -> Error {
        crate::orm::store::detached(&self.class.info().name)
    }

    /// Puts an object in a free slot.
    pub(crate) fn insert_slot(
        &mut self,
        values: Vec<Value>,
        state: State,
        key: Option<GroupKey>,
        level: u32,
    ) -> Result<u32> {
        let slot = DynSlot {
            values,
            generation: 0,
            state,
            snapshot: None,
            all_dirty: false,
            expired: false,
            key,
            level,
            generated: false,
            listed: false,
            rels: Vec::new(),
            links: Vec::new(),
        };
        if let Some(i) = self.free.pop() {
            let s = &mut self.slots[i as usize];
            let generation = s.generation;
            *s = slot;
            s.generation = generation;
            return Ok(i);
        }
        // Slot numbers below u32::MAX: the length fits a u32 (see the typed store).
        let i = u32::try_from(self.slots.len())
            .ok()
            .filter(|&i| i < u32::MAX)
            .ok_or_else(|| {
                Error::InvalidRequest(format!(
                    "a session holds at most {} {} objects",
                    u32::MAX,
                    self.class.name()
                ))
            })?;
        self.slots.push(slot);
        Ok(i)
    }

    pub(crate) fn handle(&self, session: u32, i: u32) -> DynRef {
        DynRef {
            session,
            class: self.class.info().id,
            index: i,
            generation: self.slots[i as usize].generation,
        }
    }

    /// The slot of a handle, or `DetachedInstance`.
    pub(crate) fn check(&self, h: DynRef) -> Result<u32> {
        match self.slots.get(h.index as usize) {
            Some(s) if s.generation == h.generation && s.state != State::Free => Ok(h.index),
            _ => Err(self.detached()),
        }
    }

    /// Empties a slot: its handles stop working.
    pub(crate) fn free_slot(&mut self, i: u32) -> Option<Vec<Value>> {
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
        s.rels.clear();
        s.links.clear();
        self.free.push(i);
        Some(std::mem::take(&mut s.values))
    }

    /// Marks a slot changed: snapshot its values (first write of a persistent object) and
    /// list it.
    pub(crate) fn touch(&mut self, i: u32) {
        let s = &mut self.slots[i as usize];
        if matches!(s.state, State::Persistent | State::Deleted)
            && s.snapshot.is_none()
            && !s.all_dirty
        {
            s.snapshot = Some(s.values.clone());
        }
        if !s.listed {
            s.listed = true;
            self.modified.push(i);
        }
    }

    /// Columns of a persistent object that differ from its snapshot (every column but the
    /// key when the database's values are unknown).
    pub(crate) fn changes(&self, i: u32, out: &mut Vec<usize>) {
        out.clear();
        let s = &self.slots[i as usize];
        let pk = &self.class.info().primary_key;
        if s.all_dirty {
            out.extend((0..s.values.len()).filter(|c| !pk.contains(c)));
        } else if let Some(old) = &s.snapshot {
            out.extend((0..s.values.len()).filter(|&c| old.get(c) != s.values.get(c)));
        }
    }

    /// Expires one slot: its values reload on next access, its relationships are unloaded.
    pub(crate) fn expire_slot(&mut self, i: u32) {
        let s = &mut self.slots[i as usize];
        if matches!(s.state, State::Persistent | State::Deleted) {
            s.expired = true;
            s.snapshot = None;
            s.all_dirty = false;
            s.rels.clear();
            s.links.clear();
        }
    }

    /// Loads one row's object (the class's columns from `offset` on) into the identity map:
    /// an object already present keeps its values unless `overwrite` or expired.
    pub(crate) fn load(
        &mut self,
        values: &mut RowValues<'_>,
        offset: usize,
        overwrite: bool,
    ) -> Result<u32> {
        let width = self.class.info().columns.len();
        let key: Vec<Value> = self
            .class
            .info()
            .primary_key
            .iter()
            .map(|&c| values.peek(offset + c).cloned().unwrap_or(Value::Null))
            .collect();
        let Some(key) = GroupKey::of(&key) else {
            return Err(Error::InvalidRequest(format!(
                "a row of {} has a NULL primary key",
                self.class.name()
            )));
        };
        let take = |values: &mut RowValues<'_>| -> Vec<Value> {
            (offset..offset + width)
                .map(|c| values.take_raw(c))
                .collect()
        };
        match self.map.entry(key) {
            Entry::Occupied(e) => {
                let i = *e.get();
                let s = &mut self.slots[i as usize];
                if s.expired || overwrite {
                    s.values = take(values);
                    s.expired = false;
                    s.snapshot = None;
                    s.all_dirty = false;
                }
                Ok(i)
            }
            Entry::Vacant(e) => {
                let key = Some(e.key().clone());
                let vals = take(values);
                let slot = DynSlot {
                    values: vals,
                    generation: 0,
                    state: State::Persistent,
                    snapshot: None,
                    all_dirty: false,
                    expired: false,
                    key: None,
                    level: 0,
                    generated: false,
                    listed: false,
                    rels: Vec::new(),
                    links: Vec::new(),
                };
                let i = match self.free.pop() {
                    Some(i) => {
                        let g = self.slots[i as usize].generation;
                        self.slots[i as usize] = slot;
                        self.slots[i as usize].generation = g;
                        i
                    }
                    None => {
                        let i = u32::try_from(self.slots.len())
                            .ok()
                            .filter(|&i| i < u32::MAX)
                            .ok_or_else(|| {
                                Error::InvalidRequest("a session's store is full".into())
                            })?;
                        self.slots.push(slot);
                        i
                    }
                };
                self.slots[i as usize].key = key;
                e.insert(i);
                Ok(i)
            }
        }
    }
}
