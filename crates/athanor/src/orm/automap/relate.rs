//! Changing relationships of automapped objects: a parent given to a many-to-one, a child
//! added to or removed from a one-to-many. The foreign key follows now, and again at the
//! flush ([`sync_links`]) for a parent whose key the database has yet to generate; loaded
//! collections on both sides follow in memory.

use super::Class;
use super::object::DynRef;
use super::related::loaded;
use super::session::store_at;
use super::store::{DynStore, Link};
use crate::orm::loading::GroupKey;
use crate::orm::relationship::Direction;
use crate::orm::session::Session;
use crate::orm::store::State;
use crate::{Error, Result, Value};

/// A child pointed at a parent: the child's foreign key columns, its many-to-one (if any),
/// the parent's class, the columns the key refers to, the parent's collection (if any).
struct Change<'a> {
    child: DynRef,
    cols: &'a [usize],
    child_rel: Option<usize>,
    parent_class: &'a Class,
    parent_cols: &'a [usize],
    parent_rel: Option<usize>,
}

impl Session {
    /// Sets a many-to-one relationship of `child` (SQLAlchemy's `album.artist = other`;
    /// `None` sets its foreign key NULL): the foreign key columns take the parent's key now,
    /// or at the flush when the database has yet to generate it; a loaded collection on the
    /// other side follows.
    ///
    /// ```
    /// use athanor::prelude::*;
    /// # let (engine, _) = athanor::chinook::load()?;
    /// let auto = athanor::orm::automap(&engine)?;
    /// let (artist, album) = (auto.class("Artist")?, auto.class("Album")?);
    /// let mut s = Session::new(&engine);
    /// let band = s.add_dyn(&artist, row! { "Name" => "New Band" })?; // key not known yet
    /// let record = s.add_dyn(&album, row! { "Title" => "Debut" })?;
    /// s.set_related_dyn(record, "artist", Some(band))?;
    /// s.flush()?; // INSERT Artist, then INSERT Album with the generated "ArtistId"
    /// let id = s.read_dyn(band)?.get::<i64>("ArtistId")?;
    /// assert_eq!(s.read_dyn(record)?.get::<i64>("ArtistId")?, id);
    /// # Ok::<(), athanor::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] for a relationship that isn't many-to-one, or a parent of
    /// another class; [`Error::DetachedInstance`].
    pub fn set_related_dyn(
        &mut self,
        child: DynRef,
        name: &str,
        parent: Option<DynRef>,
    ) -> Result<()> {
        let (store, _) = self.dyn_slot(child)?;
        let class = store.class.clone();
        let r = class.info().rel(name)?;
        let rel = &class.info().rels[r];
        if rel.dir != Direction::ManyToOne {
            return Err(Error::InvalidRequest(format!(
                "{}.{name} is a collection: change it with append_dyn / remove_dyn",
                class.name()
            )));
        }
        let parent_class = class.sibling(rel.target);
        let change = Change {
            child,
            cols: &rel.local,
            child_rel: Some(r),
            parent_class: &parent_class,
            parent_cols: &rel.remote,
            parent_rel: rel.back,
        };
        self.move_child(&change, parent)
    }

    /// Adds `child` to a one-to-many collection of `parent` (SQLAlchemy's
    /// `artist.album_collection.append(album)`): the child's foreign key takes the parent's
    /// key (at the flush when it isn't known yet).
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] for a relationship that isn't one-to-many (many-to-many
    /// collections are read-only here), or a child of another class.
    pub fn append_dyn(&mut self, parent: DynRef, name: &str, child: DynRef) -> Result<()> {
        self.change_collection(parent, name, child, true)
    }

    /// Removes `child` from a one-to-many collection of `parent`: its foreign key is set NULL
    /// (no cascade: a NOT NULL key makes the flush fail).
    ///
    /// # Errors
    /// As [`Session::append_dyn`].
    pub fn remove_dyn(&mut self, parent: DynRef, name: &str, child: DynRef) -> Result<()> {
        self.change_collection(parent, name, child, false)
    }

    fn change_collection(
        &mut self,
        parent: DynRef,
        name: &str,
        child: DynRef,
        add: bool,
    ) -> Result<()> {
        let (store, _) = self.dyn_slot(parent)?;
        let class = store.class.clone();
        let r = class.info().rel(name)?;
        let rel = &class.info().rels[r];
        if rel.dir != Direction::OneToMany {
            return Err(Error::InvalidRequest(format!(
                "{}.{name} is not a one-to-many collection: only those can be changed here",
                class.name()
            )));
        }
        if child.class != class.sibling(rel.target).info().id {
            return Err(Error::InvalidRequest(format!(
                "{}.{name} holds {} objects",
                class.name(),
                class.sibling(rel.target).name()
            )));
        }
        let change = Change {
            child,
            cols: &rel.remote,
            child_rel: rel.back,
            parent_class: &class,
            parent_cols: &rel.local,
            parent_rel: Some(r),
        };
        if !add {
            // The child leaves this parent's collection whatever its key says.
            self.in_collection(parent, r, child, false)?;
        }
        self.move_child(&change, add.then_some(parent))
    }

    /// The parent a child refers to now: its loaded many-to-one, else the object of the
    /// identity map its foreign key names.
    fn current_parent(&mut self, c: &Change<'_>) -> Result<Option<DynRef>> {
        if let Some(r) = c.child_rel
            && let Some(v) = loaded(self, c.child, r)?
        {
            return Ok(v.into_iter().next());
        }
        let (store, i) = self.dyn_slot(c.child)?;
        let vals: Vec<Value> = c
            .cols
            .iter()
            .map(|&k| store.slots[i as usize].values[k].clone())
            .collect();
        let (Some(key), true) = (
            GroupKey::of(&vals),
            *c.parent_cols == c.parent_class.info().primary_key,
        ) else {
            return Ok(None);
        };
        let sid = self.id;
        let ps = self.dyn_store(c.parent_class);
        Ok(ps.map.get(&key).map(|&j| ps.handle(sid, j)))
    }

    /// Points a child at a parent (or at none): its foreign key, its many-to-one, and the
    /// loaded collections of its old and new parents.
    fn move_child(&mut self, c: &Change<'_>, parent: Option<DynRef>) -> Result<()> {
        let old = self.current_parent(c)?;
        let target = c.parent_class.info().id;
        self.link(
            c.child,
            c.cols,
            parent.map(|p| (p, c.parent_cols.to_vec(), target)),
        )?;
        if let Some(r) = c.child_rel {
            let (store, i) = self.dyn_slot(c.child)?;
            store.slots[i as usize].set_rel(r, Some(parent.into_iter().collect()));
        }
        if let Some(back) = c.parent_rel {
            if let Some(o) = old {
                self.in_collection(o, back, c.child, false)?;
            }
            if let Some(p) = parent {
                self.in_collection(p, back, c.child, true)?;
            }
        }
        Ok(())
    }

    /// Adds `child` to (or removes it from) `parent`'s collection `r`, when loaded.
    fn in_collection(&mut self, parent: DynRef, r: usize, child: DynRef, add: bool) -> Result<()> {
        let Ok((store, i)) = self.dyn_slot(parent) else {
            return Ok(());
        };
        let s = &mut store.slots[i as usize];
        if let Some(Some(v)) = s.rels.get_mut(r) {
            v.retain(|h| *h != child);
            if add {
                v.push(child);
            }
        }
        Ok(())
    }

    /// Points `child`'s columns `cols` at `parent`'s columns (NULL for none), now when the
    /// parent's values are known, and again at the flush.
    fn link(
        &mut self,
        child: DynRef,
        cols: &[usize],
        parent: Option<(DynRef, Vec<usize>, u32)>,
    ) -> Result<()> {
        let values: Vec<Value> = match &parent {
            Some((p, pcols, target)) => {
                let (pstore, j) = self.dyn_slot(*p)?;
                if pstore.class.info().id != *target {
                    return Err(Error::InvalidRequest(format!(
                        "the relationship doesn't refer to {} objects",
                        pstore.class.name()
                    )));
                }
                pcols
                    .iter()
                    .map(|&c| pstore.slots[j as usize].values[c].clone())
                    .collect()
            }
            None => vec![Value::Null; cols.len()],
        };
        let (store, i) = self.dyn_slot(child)?;
        store.touch(i);
        let s = &mut store.slots[i as usize];
        for (&c, v) in cols.iter().zip(values) {
            s.values[c] = v;
        }
        s.links.retain(|l| l.cols != cols);
        if let Some((p, pcols, _)) = parent {
            s.links.push(Link {
                cols: cols.to_vec(),
                parent: p,
                parent_cols: pcols,
            });
        }
        Ok(())
    }
}

/// Before a class's objects are saved: each object's foreign key takes the key of the
/// object given to its relationship (inserted by now, its table coming first).
pub(crate) fn sync_links(s: &mut Session, at: usize) -> Result<()> {
    let Some(store) = s.stores[at].1.as_any_mut().downcast_mut::<DynStore>() else {
        return Ok(());
    };
    let id = store.class.info().id;
    let work: Vec<(u32, super::store::Link)> = store
        .slots
        .iter()
        .enumerate()
        .filter(|(_, x)| matches!(x.state, State::Pending | State::Persistent))
        .flat_map(|(i, x)| x.links.iter().map(move |l| (i as u32, l.clone())))
        .collect();
    for (i, l) in work {
        let values: Option<Vec<Value>> = store_at(&mut s.stores, l.parent.class).and_then(|ps| {
            let j = ps.check(l.parent).ok()?;
            let v = &ps.slots[j as usize].values;
            Some(l.parent_cols.iter().map(|&c| v[c].clone()).collect())
        });
        let Some(values) = values else { continue };
        let store =
            store_at(&mut s.stores, id).ok_or_else(|| Error::InvalidRequest("no store".into()))?;
        if values.iter().any(Value::is_null) {
            let name = store.describe(&store.slots[i as usize].values);
            return Err(Error::InvalidRequest(format!(
                "{name} refers to an object whose key is not known yet (a new object of its own table): flush that one first"
            )));
        }
        let slot = &mut store.slots[i as usize];
        for (&c, v) in l.cols.iter().zip(values) {
            slot.values[c] = v;
        }
    }
    Ok(())
}
