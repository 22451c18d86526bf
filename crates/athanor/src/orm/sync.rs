//! What relationships do at add and flush time: new objects given in a relationship join the
//! session with their parent (`save-update`), parents' keys go into the foreign-key columns a
//! relationship drives (after the INSERTs when a key isn't known before them), and deletes
//! cascade and orphans go (`delete`, `delete-orphan`).

use std::any::TypeId;

use super::load_path::Trail;
use super::loading::{self, column_values};
use super::model::Model;
use super::rel_resolve::{Resolved, resolved};
use super::relationship::{Collection, Direction, LoadState, RawRef, Related};
use super::session::Session;
use super::store::State;
use crate::{Result, Value};

/// The handles a relationship field of slot `i` holds now, and held at its snapshot (the
/// last load or flush); `None` for the snapshot when the object is new.
pub(crate) fn history<P: Model>(
    s: &mut Session,
    index: usize,
    i: u32,
) -> Option<(Vec<RawRef>, Option<Vec<RawRef>>)> {
    let store = s.store::<P>();
    let slot = store.slots.get(i as usize)?;
    let field = slot.obj.as_ref()?.rel_field(index)?;
    if matches!(field.state(), LoadState::Unloaded(_)) {
        return None;
    }
    let now = field.refs().to_vec();
    let before = match slot.state {
        State::Pending => None,
        _ => {
            let snap = slot.snapshot.as_ref()?;
            let f = snap.rel_field(index)?;
            if matches!(f.state(), LoadState::Unloaded(_)) {
                // Set without being loaded first: what it held before is unknown.
                None
            } else {
                Some(f.refs().to_vec())
            }
        }
    };
    Some((now, before))
}

/// `Album(4)`: an object named by its key.
pub(crate) fn describe<M: Model>(s: &mut Session, i: u32) -> String {
    match s
        .store::<M>()
        .slots
        .get(i as usize)
        .and_then(|x| x.obj.as_ref())
        .and_then(M::key)
    {
        Some(k) => M::describe_key(&k),
        None => format!("a new {}", M::NAME),
    }
}

/// Slots of `P` that a flush may save: pending and changed ones.
pub(crate) fn saving<P: Model>(s: &mut Session) -> Vec<u32> {
    let store = s.store::<P>();
    let mut v: Vec<u32> = store
        .pending
        .iter()
        .chain(&store.modified)
        .copied()
        .filter(|&i| {
            matches!(
                store.slots[i as usize].state,
                State::Pending | State::Persistent
            )
        })
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// Marks slot `i` of `M` changed (snapshot on first change) and gives its object.
fn touch<M: Model>(s: &mut Session, i: u32) -> Option<&mut M> {
    let store = s.store::<M>();
    store.touch(i);
    store.slots.get_mut(i as usize)?.obj.as_mut()
}

pub(crate) fn live<M: Model>(s: &mut Session, r: RawRef) -> Option<u32> {
    if r.session != s.id {
        return None;
    }
    s.store::<M>().check(r.typed::<M>()).ok()
}

/// Sets `cols` of object `i` to `vals` where they differ, marking it changed.
fn set_columns<M: Model>(s: &mut Session, i: u32, cols: &[usize], vals: &[Value]) -> Result<()> {
    let differs = {
        let store = s.store::<M>();
        let Some(obj) = store.slots.get(i as usize).and_then(|x| x.obj.as_ref()) else {
            return Ok(());
        };
        cols.iter()
            .zip(vals)
            .any(|(&c, v)| obj.column_value(c) != *v)
    };
    if differs && let Some(obj) = touch::<M>(s, i) {
        for (&c, v) in cols.iter().zip(vals) {
            obj.set_column(c, v.clone())?;
        }
    }
    Ok(())
}

/// New objects given in relationship `index` of the parents join the session; handles given
/// at construction reach the other side of a `back_populates` pair.
pub(crate) fn adopt<P: Model, C: Model>(
    s: &mut Session,
    index: usize,
    parents: &[u32],
) -> Result<()> {
    let info = &P::RELATIONSHIPS[index];
    for &p in parents {
        let (new, given): (Vec<C>, Vec<RawRef>) = {
            let store = s.store::<P>();
            let Some(field) = store
                .slots
                .get_mut(p as usize)
                .and_then(|x| x.obj.as_mut())
                .and_then(|o| o.rel_field_mut(index))
            else {
                continue;
            };
            let given = field.refs().to_vec();
            let any = field.as_any_mut();
            let new = if let Some(c) = any.downcast_mut::<Collection<C>>() {
                std::mem::take(&mut c.new)
            } else if let Some(r) = any.downcast_mut::<Related<C>>() {
                r.new.take().map(|b| vec![*b]).unwrap_or_default()
            } else {
                Vec::new()
            };
            (new, given)
        };
        if new.is_empty() && (given.is_empty() || info.back_populates.is_none()) {
            continue;
        }
        let mut added = Vec::with_capacity(new.len());
        if info.cascade.save_update {
            for obj in new {
                added.push(RawRef::from(s.add(obj)?));
            }
        }
        let id = s.id;
        let praw = {
            let store = s.store::<P>();
            RawRef {
                session: id,
                index: p,
                generation: store.slots[p as usize].generation,
            }
        };
        if let Some(field) = s
            .store::<P>()
            .slots
            .get_mut(p as usize)
            .and_then(|x| x.obj.as_mut())
            .and_then(|o| o.rel_field_mut(index))
        {
            for r in &added {
                field.push(*r);
            }
        }
        if info.back_populates.is_some() {
            let r = resolved::<P, C>(index)?;
            if let Some(back) = r.back {
                for c in given.iter().chain(&added) {
                    link_back::<C>(s, *c, back, praw)?;
                }
            }
        }
    }
    Ok(())
}

/// Puts `parent` into relationship `back` of child `c` (a collection gains it, a scalar is
/// set), when that side is loaded.
pub(crate) fn link_back<C: Model>(
    s: &mut Session,
    c: RawRef,
    back: usize,
    parent: RawRef,
) -> Result<()> {
    let Some(ci) = live::<C>(s, c) else {
        return Ok(());
    };
    let many = C::RELATIONSHIPS[back].many;
    let (loaded, has) = {
        let store = s.store::<C>();
        match store.slots[ci as usize]
            .obj
            .as_ref()
            .and_then(|o| o.rel_field(back))
        {
            Some(f) => (
                !matches!(f.state(), LoadState::Unloaded(_)),
                f.refs().contains(&parent),
            ),
            None => return Ok(()),
        }
    };
    if has || (!loaded && many) {
        return Ok(());
    }
    if let Some(f) = touch::<C>(s, ci).and_then(|o| o.rel_field_mut(back)) {
        f.push(parent);
        if !many {
            f.set_state(LoadState::Loaded);
        }
    }
    Ok(())
}

/// Takes `parent` out of relationship `back` of child `c`, when that side holds it.
pub(crate) fn unlink_back<C: Model>(
    s: &mut Session,
    c: RawRef,
    back: usize,
    parent: RawRef,
) -> Result<()> {
    let Some(ci) = live::<C>(s, c) else {
        return Ok(());
    };
    let has = s
        .store::<C>()
        .slots
        .get(ci as usize)
        .and_then(|x| x.obj.as_ref())
        .and_then(|o| o.rel_field(back))
        .is_some_and(|f| f.refs().contains(&parent));
    if has && let Some(f) = touch::<C>(s, ci).and_then(|o| o.rel_field_mut(back)) {
        f.remove(parent);
    }
    Ok(())
}

/// The foreign key's holder for a relationship: `P` for many-to-one, `C` for one-to-many.
fn holder<P: Model, C: Model>(r: &Resolved) -> Option<TypeId> {
    match r.dir {
        Direction::ManyToOne => Some(TypeId::of::<P>()),
        Direction::OneToMany => Some(TypeId::of::<C>()),
        Direction::ManyToMany => None,
    }
}

/// Before the flush saves `holder`'s objects: the keys of related objects go into the
/// foreign-key columns of relationships that changed (or of new objects).
pub(crate) fn sync_keys<P: Model, C: Model>(
    s: &mut Session,
    index: usize,
    target: TypeId,
) -> Result<()> {
    let r = resolved::<P, C>(index)?;
    if holder::<P, C>(r) != Some(target) {
        return Ok(());
    }
    let post = P::RELATIONSHIPS[index].post_update;
    for p in saving::<P>(s) {
        let Some((now, before)) = history::<P>(s, index, p) else {
            continue;
        };
        if before.as_ref() == Some(&now) {
            continue;
        }
        match r.dir {
            Direction::ManyToOne => {
                // The parent holds the key: the target's values, or NULL for none.
                let vals = match now.first().and_then(|&t| live::<C>(s, t)) {
                    Some(t) if post || unknown::<C>(s, t, &r.remote) => {
                        defer::<P>(s, &P::RELATIONSHIPS[index], p, &r.local, index, t)?;
                        continue;
                    }
                    Some(t) => {
                        let store = s.store::<C>();
                        let Some(obj) = store.slots[t as usize].obj.as_ref() else {
                            continue;
                        };
                        column_values(obj, &r.remote)
                    }
                    // A new object's empty relationship says nothing: the key columns it
                    // was given stay (never silently NULLed).
                    None if now.is_empty() && before.is_none() => continue,
                    None if now.is_empty() => vec![Value::Null; r.local.len()],
                    None => continue,
                };
                set_columns::<P>(s, p, &r.local, &vals)?;
            }
            Direction::OneToMany => {
                let pvals = {
                    let store = s.store::<P>();
                    let Some(obj) = store.slots[p as usize].obj.as_ref() else {
                        continue;
                    };
                    column_values(obj, &r.local)
                };
                let before = before.unwrap_or_default();
                let later = post || unknown::<P>(s, p, &r.local);
                for c in now.iter().filter(|c| !before.contains(c)) {
                    if let Some(ci) = live::<C>(s, *c) {
                        if later {
                            defer::<C>(s, &P::RELATIONSHIPS[index], ci, &r.remote, index, p)?;
                        } else {
                            set_columns::<C>(s, ci, &r.remote, &pvals)?;
                        }
                    }
                }
                // Removed children not deleted nor given to another parent lose the key.
                let nulls = vec![Value::Null; r.remote.len()];
                let praw = RawRef {
                    session: s.id,
                    index: p,
                    generation: s.store::<P>().slots[p as usize].generation,
                };
                for c in before.iter().filter(|c| !now.contains(c)) {
                    let Some(ci) = live::<C>(s, *c) else { continue };
                    let still_ours = {
                        let store = s.store::<C>();
                        let slot = &store.slots[ci as usize];
                        // Its own side names another parent: that parent's key goes in.
                        let moved = r.back.is_some_and(|b| {
                            slot.obj
                                .as_ref()
                                .and_then(|o| o.rel_field(b))
                                .is_some_and(|f| {
                                    !matches!(f.state(), LoadState::Unloaded(_))
                                        && f.refs().first().is_some_and(|x| *x != praw)
                                })
                        });
                        !moved
                            && slot.state == State::Persistent
                            && slot
                                .obj
                                .as_ref()
                                .is_some_and(|o| column_values(o, &r.remote) == pvals)
                    };
                    if still_ours {
                        set_columns::<C>(s, ci, &r.remote, &nulls).map_err(|e| {
                            crate::Error::InvalidRequest(format!(
                                "{} was removed from {} and its foreign key can't be NULL ({e}): give it another parent, delete it, or declare cascade = \"all, delete-orphan\"",
                                describe::<C>(s, ci),
                                P::RELATIONSHIPS[index].qualname
                            ))
                        })?;
                    }
                }
            }
            Direction::ManyToMany => {}
        }
    }
    Ok(())
}

/// Whether object `i`'s values of `cols` are not known yet: a new object whose key the
/// database will generate.
fn unknown<M: Model>(s: &mut Session, i: u32, cols: &[usize]) -> bool {
    let store = s.store::<M>();
    let slot = &store.slots[i as usize];
    slot.state == State::Pending
        && slot
            .obj
            .as_ref()
            .is_some_and(|o| cols.iter().any(|&c| o.is_unset(c)))
}

/// A key written after the INSERTs (`post_update`, or a key the database hasn't generated
/// yet): a new holder is inserted with NULL there, and UPDATEd once every row exists.
fn defer<H: Model>(
    s: &mut Session,
    info: &'static super::relationship::RelInfo,
    holder: u32,
    cols: &[usize],
    index: usize,
    source: u32,
) -> Result<()> {
    if s.store::<H>().slots[holder as usize].state == State::Pending {
        let nulls = vec![Value::Null; cols.len()];
        set_columns::<H>(s, holder, cols, &nulls).map_err(|e| {
            crate::Error::InvalidRequest(format!(
                "{}'s foreign key can only be written after the INSERTs (post_update, or a key the database generates in this flush) and it can't be NULL meanwhile ({e}): give the related object's key, or flush it first",
                describe::<H>(s, holder)
            ))
        })?;
    }
    // The same key driven from both sides of a back_populates pair is written once.
    let me = TypeId::of::<H>();
    if !s
        .deferred
        .iter()
        .any(|&(_, _, t, h, src)| t == me && h == holder && src == source)
    {
        s.deferred.push((info, index, me, holder, source));
    }
    Ok(())
}

/// After the INSERTs: the keys [`defer`] held back, one UPDATE per row.
pub(crate) fn post_update<P: Model, C: Model>(
    s: &mut Session,
    index: usize,
    holder: u32,
    source: u32,
) -> Result<()> {
    let r = resolved::<P, C>(index)?;
    match r.dir {
        Direction::ManyToOne => write_late::<P, C>(s, holder, &r.local, source, &r.remote),
        Direction::OneToMany => write_late::<C, P>(s, holder, &r.remote, source, &r.local),
        Direction::ManyToMany => Ok(()),
    }
}

fn write_late<H: Model, S: Model>(
    s: &mut Session,
    holder: u32,
    cols: &[usize],
    source: u32,
    source_cols: &[usize],
) -> Result<()> {
    let Some(vals) = s.store::<S>().slots[source as usize]
        .obj
        .as_ref()
        .map(|o| column_values(o, source_cols))
    else {
        return Ok(());
    };
    let Some(key) = s.store::<H>().slots[holder as usize]
        .obj
        .as_ref()
        .and_then(|o| o.key())
    else {
        return Ok(());
    };
    let t = H::table();
    let mut stmt = athanor_core::sql::update(t);
    for (&c, v) in cols.iter().zip(&vals) {
        stmt = stmt.set(t.columns()[c].name(), v.clone());
    }
    s.conn()?
        .execute(&stmt.filter(super::flush::key_eq::<H>(&key)))?;
    if let Some(o) = s.store::<H>().slots[holder as usize].obj.as_mut() {
        for (&c, v) in cols.iter().zip(vals) {
            o.set_column(c, v)?;
        }
    }
    Ok(())
}

/// Before the DELETEs: rows about to be deleted let go of a `post_update` key (set to NULL
/// by one UPDATE each), so that rows of tables referring to each other can go in any order.
pub(crate) fn release_before_delete<P: Model, C: Model>(
    s: &mut Session,
    index: usize,
) -> Result<()> {
    if !P::RELATIONSHIPS[index].post_update {
        return Ok(());
    }
    let r = resolved::<P, C>(index)?;
    match r.dir {
        Direction::ManyToOne => release::<P>(s, &r.local),
        Direction::OneToMany => release::<C>(s, &r.remote),
        Direction::ManyToMany => Ok(()),
    }
}

fn release<H: Model>(s: &mut Session, cols: &[usize]) -> Result<()> {
    let doomed: Vec<H::Key> = {
        let store = s.store::<H>();
        store
            .deleted
            .iter()
            .filter(|&&i| store.slots[i as usize].state == State::Deleted)
            .filter_map(|&i| store.slots[i as usize].obj.as_ref())
            .filter(|o| cols.iter().any(|&c| !o.is_unset(c)))
            .filter_map(H::key)
            .collect()
    };
    let t = H::table();
    for key in doomed {
        let mut stmt = athanor_core::sql::update(t);
        for &c in cols {
            stmt = stmt.set(t.columns()[c].name(), Value::Null);
        }
        s.conn()?
            .execute(&stmt.filter(super::flush::key_eq::<H>(&key)))?;
    }
    Ok(())
}

/// Deletes cascading from deleted parents (loading their unloaded collections in one query
/// per 500 parents), children of deleted parents losing their key where nothing cascades, and
/// orphans (`delete-orphan`). True when it marked or changed anything.
pub(crate) fn cascade_deletes<P: Model, C: Model>(s: &mut Session, index: usize) -> Result<bool> {
    let info = &P::RELATIONSHIPS[index];
    let r = resolved::<P, C>(index)?;
    let deleted: Vec<u32> = {
        let store = s.store::<P>();
        store
            .deleted
            .iter()
            .copied()
            .filter(|&i| store.slots[i as usize].state == State::Deleted)
            .collect()
    };
    let mut changed = false;
    let acts_on_children =
        r.dir == Direction::OneToMany || (r.dir == Direction::ManyToOne && info.cascade.delete);
    if !deleted.is_empty() && acts_on_children {
        if !info.passive_deletes || info.cascade.delete {
            // Children the session doesn't know yet: one query per 500 parents.
            let unloaded: Vec<u32> = {
                let store = s.store::<P>();
                deleted
                    .iter()
                    .copied()
                    .filter(|&i| {
                        store.slots[i as usize]
                            .obj
                            .as_ref()
                            .and_then(|o| o.rel_field(index))
                            .is_some_and(|f| matches!(f.state(), LoadState::Unloaded(_)))
                    })
                    .collect()
            };
            if !unloaded.is_empty() && !info.passive_deletes {
                let mut trail = Trail::new();
                loading::load_selectin::<P, C>(s, index, &unloaded, &[], &mut trail)?;
            }
        }
        let nulls = vec![Value::Null; r.remote.len()];
        for p in deleted {
            let children: Vec<RawRef> = {
                let store = s.store::<P>();
                store.slots[p as usize]
                    .obj
                    .as_ref()
                    .and_then(|o| o.rel_field(index))
                    .map(|f| f.refs().to_vec())
                    .unwrap_or_default()
            };
            for c in children {
                let Some(ci) = live::<C>(s, c) else { continue };
                let state = s.store::<C>().slots[ci as usize].state;
                if info.cascade.delete {
                    if matches!(state, State::Persistent | State::Pending) {
                        s.delete(c.typed::<C>())?;
                        changed = true;
                    }
                } else if r.dir == Direction::OneToMany && state == State::Persistent {
                    let before = s.store::<C>().slots[ci as usize].snapshot.is_some();
                    set_columns::<C>(s, ci, &r.remote, &nulls)?;
                    changed |= !before && s.store::<C>().slots[ci as usize].snapshot.is_some();
                }
            }
        }
    }
    if info.cascade.delete_orphan && r.dir != Direction::ManyToOne {
        let back = r.back;
        for p in saving::<P>(s) {
            let Some((now, Some(before))) = history::<P>(s, index, p) else {
                continue;
            };
            let praw = RawRef {
                session: s.id,
                index: p,
                generation: s.store::<P>().slots[p as usize].generation,
            };
            for c in before.iter().filter(|c| !now.contains(c)) {
                let Some(ci) = live::<C>(s, *c) else { continue };
                // Moved to another parent (its side says so): not an orphan.
                let moved = back.is_some_and(|b| {
                    s.store::<C>().slots[ci as usize]
                        .obj
                        .as_ref()
                        .and_then(|o| o.rel_field(b))
                        .is_some_and(|f| {
                            !matches!(f.state(), LoadState::Unloaded(_))
                                && f.refs().first().is_some_and(|x| *x != praw)
                        })
                });
                let state = s.store::<C>().slots[ci as usize].state;
                if !moved && matches!(state, State::Persistent | State::Pending) {
                    s.delete(c.typed::<C>())?;
                    changed = true;
                }
            }
        }
    }
    Ok(changed)
}
