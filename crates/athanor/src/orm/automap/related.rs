//! Reading relationships of automapped objects: loading them for every object of a class at
//! once (one IN query per level per 500 keys, as [`Session::load`] does for models), and
//! load paths after a query.

use std::collections::{HashMap, HashSet};

use athanor_core::sql::{Expr, Select, and_, select};

use super::Class;
use super::build::DynRel;
use super::object::DynRef;
use super::session::{check_columns, store_in};
use super::store::DynStore;
use crate::engine::LoadRows;
use crate::orm::loading::{GroupKey, cols_in};
use crate::orm::relationship::Direction;
use crate::orm::session::{IN_CHUNK, Session};
use crate::orm::store::State;
use crate::{Error, Result, RowValues, Value};

/// Loads rows whose first `prefix` columns are a grouping key and the rest a class's columns:
/// each object goes into the identity map and its slot into its key's group.
struct GroupLoader<'s> {
    store: &'s mut DynStore,
    prefix: usize,
    groups: HashMap<GroupKey, Vec<u32>>,
}

impl LoadRows for GroupLoader<'_> {
    fn check_columns(&mut self, names: &[String]) -> Result<()> {
        check_columns(&self.store.class, names, self.prefix)
    }
    fn row(&mut self, mut values: RowValues<'_>) -> Result<()> {
        let parts: Vec<Value> = (0..self.prefix)
            .map(|i| values.peek(i).cloned().unwrap_or(Value::Null))
            .collect();
        let i = self.store.load(&mut values, self.prefix, false)?;
        if let Some(k) = GroupKey::of(&parts) {
            self.groups.entry(k).or_default().push(i);
        }
        Ok(())
    }
}

fn cols(class: &Class, idx: &[usize]) -> Vec<Expr> {
    let info = class.info();
    idx.iter()
        .map(|&c| info.table.c(&info.columns[c]))
        .collect()
}

/// `h`'s loaded relationship `r`, or `None` while unloaded.
pub(crate) fn loaded(s: &mut Session, h: DynRef, r: usize) -> Result<Option<Vec<DynRef>>> {
    let (store, i) = s.dyn_slot(h)?;
    Ok(store.slots[i as usize].rel(r).cloned())
}

impl Session {
    /// Loads relationship `r` of `class` for the objects in `parents` (slots) lacking it:
    /// one query per 500 join keys; a many-to-one whose target is in the identity map
    /// sends none. Returns the slots of the target class reached.
    fn load_rel_dyn(&mut self, class: &Class, r: usize, parents: &[u32]) -> Result<Vec<u32>> {
        let rel: &DynRel = &class.info().rels[r];
        let target = class.sibling(rel.target);
        // The join values must be the database's: reload expired parents first (their key
        // stays right, so not needed when the join is on it).
        let on_key = rel
            .local
            .iter()
            .all(|c| class.info().primary_key.contains(c));
        let store = self.dyn_store(class);
        if !on_key && parents.iter().any(|&i| store.slots[i as usize].expired) {
            self.refresh_expired_dyn(class)?;
        }
        let store = self.dyn_store(class);
        let mut todo: Vec<(u32, Option<GroupKey>, Vec<Value>)> = Vec::new();
        for &i in parents {
            let s = &store.slots[i as usize];
            if !matches!(s.state, State::Persistent | State::Deleted) || s.rel(r).is_some() {
                continue;
            }
            let vals: Vec<Value> = rel.local.iter().map(|&c| s.values[c].clone()).collect();
            todo.push((i, GroupKey::of(&vals), vals));
        }
        let mut groups: HashMap<GroupKey, Vec<u32>> = HashMap::new();
        let mut keys: Vec<&[Value]> = Vec::new();
        let mut seen: HashSet<&GroupKey> = HashSet::new();
        let tinfo = target.info();
        let remote_is_key = rel.dir == Direction::ManyToOne && rel.remote == tinfo.primary_key;
        let tstore = self.dyn_store(&target);
        for (_, k, vals) in &todo {
            let Some(k) = k else { continue };
            if !seen.insert(k) {
                continue;
            }
            if remote_is_key
                && let Some(&j) = tstore.map.get(k)
                && !tstore.slots[j as usize].expired
                && tstore.slots[j as usize].state == State::Persistent
            {
                groups.insert(k.clone(), vec![j]);
                continue;
            }
            keys.push(vals);
        }
        let t = target.table();
        let (prefix, from): (Vec<Expr>, Option<Select>) = match &rel.secondary {
            None => (cols(&target, &rel.remote), None),
            Some(sec) => {
                let on = and_(
                    rel.remote
                        .iter()
                        .zip(&sec.remote_cols)
                        .map(|(&c, sc)| t.c(&tinfo.columns[c]).eq(sec.table.c(sc))),
                );
                let prefix: Vec<Expr> = sec.local_cols.iter().map(|c| sec.table.c(c)).collect();
                let base = select(prefix.clone())
                    .add_columns(t)
                    .select_from(t)
                    .join_on(&sec.table, on);
                (prefix, Some(base))
            }
        };
        let order = cols(&target, &tinfo.primary_key);
        let per = (IN_CHUNK / prefix.len().max(1)).max(1);
        for chunk in keys.chunks(per) {
            let flat: Vec<Value> = chunk.iter().flat_map(|v| v.iter().cloned()).collect();
            let base = match &from {
                Some(b) => b.clone(),
                None => select(prefix.clone()).add_columns(t),
            };
            let mut stmt = base.filter(cols_in(prefix.clone(), flat));
            if rel.dir != Direction::ManyToOne {
                stmt = stmt.order_by(order.clone());
            }
            self.conn()?;
            let Session { conn, stores, .. } = &mut *self;
            let Some(conn) = conn.as_mut() else {
                unreachable!("the connection was just set")
            };
            let mut loader = GroupLoader {
                store: store_in(stores, &target),
                prefix: prefix.len(),
                groups: std::mem::take(&mut groups),
            };
            let res = conn.each_row_values(&stmt, None, &mut loader);
            groups = loader.groups;
            res?;
        }
        // Hand each parent its group (and, for a one-to-many, each child its parent).
        let sid = self.id;
        let tstore = self.dyn_store(&target);
        let handles: Vec<Vec<DynRef>> = todo
            .iter()
            .map(|(_, k, _)| {
                k.as_ref()
                    .and_then(|k| groups.get(k))
                    .map(|g| g.iter().map(|&j| tstore.handle(sid, j)).collect())
                    .unwrap_or_default()
            })
            .collect();
        let store = self.dyn_store(class);
        let parent_refs: Vec<DynRef> = todo.iter().map(|(i, _, _)| store.handle(sid, *i)).collect();
        for ((i, _, _), refs) in todo.iter().zip(&handles) {
            store.slots[*i as usize].set_rel(r, Some(refs.clone()));
        }
        if let (Direction::OneToMany, Some(back)) = (rel.dir, rel.back) {
            let tstore = self.dyn_store(&target);
            for (p, refs) in parent_refs.iter().zip(&handles) {
                for c in refs {
                    let s = &mut tstore.slots[c.index as usize];
                    if s.rel(back).is_none() {
                        s.set_rel(back, Some(vec![*p]));
                    }
                }
            }
        }
        let mut reached: Vec<u32> = handles.iter().flatten().map(|h| h.index).collect();
        reached.sort_unstable();
        reached.dedup();
        Ok(reached)
    }

    /// Loads a relationship path (`"album_collection.track_collection"`) for objects of
    /// `class`, one level at a time.
    pub(crate) fn load_path_dyn(
        &mut self,
        class: &Class,
        rows: &[DynRef],
        path: &str,
    ) -> Result<()> {
        let mut class = class.clone();
        let mut slots: Vec<u32> = rows.iter().map(|h| h.index).collect();
        slots.sort_unstable();
        slots.dedup();
        for name in path.split('.') {
            let r = class.info().rel(name)?;
            let next = class.sibling(class.info().rels[r].target);
            let mut reached = self.load_rel_dyn(&class, r, &slots)?;
            // Parents that held it already pass theirs on.
            let store = self.dyn_store(&class);
            for &i in &slots {
                if let Some(refs) = store.slots[i as usize].rel(r) {
                    reached.extend(refs.iter().map(|h| h.index));
                }
            }
            reached.sort_unstable();
            reached.dedup();
            (class, slots) = (next, reached);
        }
        Ok(())
    }

    /// The objects relationship `name` of `h` relates it to (SQLAlchemy's
    /// `artist.album_collection`, in the target's key order). A relationship not loaded yet is
    /// loaded now for every object of `h`'s class in the session lacking it, in one query per
    /// 500 of them (no N+1); loaded, it is read from memory.
    ///
    /// ```
    /// use athanor::prelude::*;
    /// # let (engine, _) = athanor::chinook::load()?;
    /// let auto = athanor::orm::automap(&engine)?;
    /// let artist = auto.class("Artist")?;
    /// let mut s = Session::new(&engine);
    /// let three = s.query_dyn(&artist).filter(artist.c("ArtistId").le(3)).all()?;
    /// let albums = s.related_dyn(three[0], "album_collection")?; // the albums of all three
    /// assert_eq!(albums.len(), 2);
    /// assert_eq!(s.related_dyn(three[2], "album_collection")?.len(), 1); // no query
    /// let playlist = auto.class("Playlist")?;
    /// let grunge = s.query_dyn(&playlist).filter_by([("Name", "Grunge")]).one()?;
    /// assert_eq!(s.related_dyn(grunge, "track_collection")?.len(), 15); // many-to-many
    /// # Ok::<(), athanor::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] naming the class's relationships for a name it doesn't have;
    /// [`Error::DetachedInstance`]; the load's error.
    pub fn related_dyn(&mut self, h: DynRef, name: &str) -> Result<Vec<DynRef>> {
        let i = self.ready_dyn(h)?;
        let (store, _) = self.dyn_slot(h)?;
        let class = store.class.clone();
        let r = class.info().rel(name)?;
        if let Some(refs) = loaded(self, h, r)? {
            return Ok(refs);
        }
        let store = self.dyn_store(&class);
        let mut parents: Vec<u32> = (0..store.slots.len() as u32)
            .filter(|&j| {
                let s = &store.slots[j as usize];
                matches!(s.state, State::Persistent | State::Deleted) && s.rel(r).is_none()
            })
            .collect();
        if !parents.contains(&i) {
            parents.push(i);
        }
        self.load_rel_dyn(&class, r, &parents)?;
        Ok(loaded(self, h, r)?.unwrap_or_default())
    }

    /// The object a many-to-one relationship of `h` refers to (SQLAlchemy's `album.artist`),
    /// loaded as [`Session::related_dyn`] loads.
    ///
    /// # Errors
    /// As [`Session::related_dyn`]; [`Error::InvalidRequest`] for a collection.
    pub fn related_one_dyn(&mut self, h: DynRef, name: &str) -> Result<Option<DynRef>> {
        let (store, _) = self.dyn_slot(h)?;
        let class = store.class.clone();
        let r = class.info().rel(name)?;
        if class.info().rels[r].dir != Direction::ManyToOne {
            return Err(Error::InvalidRequest(format!(
                "{}.{name} is a collection: read it with related_dyn",
                class.name()
            )));
        }
        Ok(self.related_dyn(h, name)?.into_iter().next())
    }
}
