//! Loading relationships level by level: the plan a query runs after its rows, one `IN`
//! query per level for every parent of that level (500 keys a query), with any joined steps
//! below a level read in that level's own query.

use std::any::TypeId;
use std::collections::HashMap;

use athanor_core::sql::{Expanding, Expr, Ordering, select, tuple_};

use super::handle::Ref;
pub(crate) use super::load_path::{PlanNode, Strategy, Trail};
use super::model::Model;
use super::rel_resolve::{Resolved, resolved};
use super::relationship::{Direction, LoadState, RawRef};
use super::session::{IN_CHUNK, Session, store_in};
use super::store::{State, Store};
use crate::engine::LoadRows;
use crate::{Result, RowValues, Value};

/// Related objects grouped by their join key (foldhash, as the identity map: std's SipHash
/// was a tenth of a Chinook eager load).
pub(crate) type Groups = HashMap<GroupKey, Vec<RawRef>, super::store::KeyHasher>;
/// A set hashed as the identity map.
pub(crate) type FastSet<T> = std::collections::HashSet<T, super::store::KeyHasher>;

// ----- grouping keys ---------------------------------------------------------------------

/// A column value as a hash key (integers, text and bytes as themselves, the rest by their
/// canonical text).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Part {
    Null,
    Int(i64),
    Text(String),
    Bytes(Vec<u8>),
    Other(String),
}

pub(crate) fn part(v: &Value) -> Part {
    match v {
        Value::Null => Part::Null,
        Value::Int(i) => Part::Int(*i),
        Value::Bool(b) => Part::Int(i64::from(*b)),
        Value::Text(s) => Part::Text(s.clone()),
        Value::Bytes(b) => Part::Bytes(b.clone()),
        #[cfg(feature = "rust_decimal")]
        Value::Decimal(d) => Part::Other(d.normalize().to_string()),
        other => Part::Other(format!("{other:?}")),
    }
}

/// The values of some columns as one hash key.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum GroupKey {
    One(Part),
    Many(Vec<Part>),
}

impl GroupKey {
    pub(crate) fn of(values: &[Value]) -> Option<GroupKey> {
        if values.iter().any(|v| matches!(v, Value::Null)) {
            return None;
        }
        Some(match values {
            [one] => GroupKey::One(part(one)),
            many => GroupKey::Many(many.iter().map(part).collect()),
        })
    }
}

/// An object's values of some columns.
pub(crate) fn column_values<M: Model>(obj: &M, cols: &[usize]) -> Vec<Value> {
    cols.iter().map(|&c| obj.column_value(c)).collect()
}

/// `cols IN (...)` over values, flat (a tuple IN for several columns).
pub(crate) fn cols_in(mut cols: Vec<Expr>, flat: Vec<Value>) -> Expr {
    let width = cols.len();
    let target = if width == 1 {
        cols.remove(0)
    } else {
        tuple_(cols)
    };
    Expr::InValues(
        Box::new(target),
        Expanding(std::sync::Arc::from(flat), width),
        false,
    )
}

fn order_of<C: Model>(r: &Resolved) -> Vec<Ordering> {
    let t = C::table();
    r.order_by
        .iter()
        .map(|&(c, desc)| {
            let e = t.c(t.columns()[c].name());
            if desc { e.desc() } else { Ordering::from(e) }
        })
        .collect()
}

// ----- the loaders -------------------------------------------------------------------------

/// Loads rows whose first `prefix` columns are a grouping key and the rest `C`'s columns:
/// each row's object goes into the identity map and its handle into its key's group.
struct GroupLoader<'s, C: Model> {
    store: &'s mut Store<C>,
    session: u32,
    prefix: usize,
    groups: Groups,
    order: Vec<u32>,
}

impl<C: Model> LoadRows for GroupLoader<'_, C> {
    fn reserve(&mut self, rows: usize) {
        self.store.reserve(rows);
        self.order.reserve(rows);
    }
    fn check_columns(&mut self, names: &[String]) -> Result<()> {
        super::load::check_model_columns::<C>(names, self.prefix)
    }
    fn row(&mut self, mut values: RowValues<'_>) -> Result<()> {
        let key = if self.prefix == 1 {
            values.peek(0).map(|v| GroupKey::One(part(v)))
        } else {
            let parts: Vec<Part> = (0..self.prefix)
                .map(|i| values.peek(i).map_or(Part::Null, part))
                .collect();
            Some(GroupKey::Many(parts))
        };
        let i = self.store.load(&mut values, self.prefix, false)?;
        let slot = &self.store.slots[i as usize];
        let raw = RawRef {
            session: self.session,
            index: i,
            generation: slot.generation,
        };
        if let Some(k) = key {
            self.groups.entry(k).or_default().push(raw);
        }
        self.order.push(i);
        Ok(())
    }
}

/// Runs a grouped load on the session's connection.
fn load_grouped<C: Model>(
    s: &mut Session,
    stmt: &athanor_core::sql::Select,
    prefix: usize,
    groups: &mut Groups,
    loaded: &mut Vec<u32>,
) -> Result<()> {
    s.conn()?;
    let Session {
        id, conn, stores, ..
    } = s;
    let Some(conn) = conn.as_mut() else {
        unreachable!("the connection was just set")
    };
    let mut loader = GroupLoader {
        store: store_in::<C>(stores),
        session: *id,
        prefix,
        groups: std::mem::take(groups),
        order: std::mem::take(loaded),
    };
    let r = conn.each_row_values(stmt, None, &mut loader);
    *groups = loader.groups;
    *loaded = loader.order;
    r.map(|_| ())
}

/// One level's query: straight into the store, or, with joined steps below the level, row by
/// row through the session with the joins read too.
fn load_level<C: Model>(
    s: &mut Session,
    stmt: athanor_core::sql::Select,
    prefix: usize,
    children: &[PlanNode],
    groups: &mut Groups,
    loaded: &mut Vec<u32>,
    joined: &mut Vec<super::joined::JoinedNode>,
) -> Result<()> {
    if children.iter().all(|n| n.strategy == Strategy::Selectin) {
        return load_grouped::<C>(s, &stmt, prefix, groups, loaded);
    }
    let mut width = prefix + C::width();
    let mut counter = 0;
    let mut order = Vec::new();
    let (mut ext, mut nodes) = super::joined::extend(
        stmt,
        &super::joined::Source::Table(C::table()),
        children,
        &mut width,
        &mut counter,
        true,
        &mut order,
    )?;
    if !order.is_empty() {
        ext = ext.order_by(order);
    }
    let sid = s.id;
    let mut seen: FastSet<(GroupKey, u32)> = FastSet::default();
    s.run_rows(&ext, None, |s, incoming| {
        let super::session::Incoming::Row(mut values) = incoming else {
            return Ok(());
        };
        let parts: Vec<Part> = (0..prefix)
            .map(|i| values.peek(i).map_or(Part::Null, part))
            .collect();
        let key = if prefix == 1 {
            parts.into_iter().next().map(GroupKey::One)
        } else {
            Some(GroupKey::Many(parts))
        };
        let store = s.store::<C>();
        let i = store.load(&mut values, prefix, false)?;
        let raw = raw_of(store, sid, i);
        if let Some(k) = key
            && seen.insert((k.clone(), i))
        {
            groups.entry(k).or_default().push(raw);
            loaded.push(i);
        }
        super::joined::read_row(s, i, &mut values, &mut nodes)
    })?;
    // Merge with an earlier chunk's joined steps.
    if joined.is_empty() {
        *joined = nodes;
    } else {
        merge_reached(joined, nodes);
    }
    Ok(())
}

fn merge_reached(into: &mut [super::joined::JoinedNode], from: Vec<super::joined::JoinedNode>) {
    for (a, b) in into.iter_mut().zip(from) {
        a.reached.extend(b.reached);
        merge_reached(&mut a.below, b.below);
    }
}

fn raw_of<M: Model>(store: &Store<M>, session: u32, i: u32) -> RawRef {
    RawRef {
        session,
        index: i,
        generation: store.slots[i as usize].generation,
    }
}

/// Loads relationship `index` of `P`'s objects in `parents`, then the plan below it.
pub(crate) fn load_selectin<P: Model, C: Model>(
    s: &mut Session,
    index: usize,
    parents: &[u32],
    children: &[PlanNode],
    path: &mut Trail,
) -> Result<()> {
    let r = resolved::<P, C>(index)?;
    // Parents' values must be the database's: reload expired ones first (not needed when
    // the join is on the key, which an expired object keeps).
    let on_key = r.local.iter().all(|c| P::PRIMARY_KEY.contains(c));
    if !on_key
        && parents.iter().any(|&i| {
            let st = s.store::<P>();
            st.slots.get(i as usize).is_some_and(|x| x.expired)
        })
    {
        s.refresh_expired::<P>()?;
    }
    let sid = s.id;
    let overwrite = s.populate_existing;
    // The parents to load for, with their join values; parents already holding the
    // relationship pass theirs on to the next level.
    let mut todo: Vec<(u32, Option<GroupKey>, Vec<Value>)> = Vec::new();
    let mut reached: Vec<u32> = Vec::new();
    {
        let store = s.store::<P>();
        for &i in parents {
            let Some(slot) = store.slots.get(i as usize) else {
                continue;
            };
            if !matches!(slot.state, State::Persistent | State::Deleted) {
                continue;
            }
            let Some(obj) = slot.obj.as_ref() else {
                continue;
            };
            let Some(field) = obj.rel_field(index) else {
                continue;
            };
            if !matches!(field.state(), LoadState::Unloaded(_)) && !overwrite {
                reached.extend(
                    field
                        .refs()
                        .iter()
                        .filter(|r| r.session == sid)
                        .map(|r| r.index),
                );
                continue;
            }
            let vals = column_values(obj, &r.local);
            todo.push((i, GroupKey::of(&vals), vals));
        }
    }
    let mut groups = Groups::default();
    let mut loaded: Vec<u32> = Vec::new();
    let mut joined = Vec::new();
    match r.dir {
        Direction::ManyToOne => {
            many_to_one::<C>(s, r, &todo, children, &mut groups, &mut loaded, &mut joined)?;
        }
        Direction::OneToMany | Direction::ManyToMany => {
            to_many::<C>(s, r, &todo, children, &mut groups, &mut loaded, &mut joined)?;
        }
    }
    // Hand each parent its group.
    let parent_refs: Vec<(u32, RawRef)> = {
        let store = s.store::<P>();
        let empty: Vec<RawRef> = Vec::new();
        let mut out = Vec::with_capacity(todo.len());
        for (i, key, _) in &todo {
            let refs = key.as_ref().and_then(|k| groups.get(k)).unwrap_or(&empty);
            let raw = raw_of(store, sid, *i);
            let slot = &mut store.slots[*i as usize];
            if let Some(obj) = slot.obj.as_mut()
                && let Some(field) = obj.rel_field_mut(index)
            {
                field.set_refs(refs);
                field.set_state(LoadState::Loaded);
            }
            // Loaded after a change: the change history starts from what was loaded.
            if let Some(snap) = slot.snapshot.as_mut()
                && let Some(field) = snap.rel_field_mut(index)
                && matches!(field.state(), LoadState::Unloaded(_))
            {
                field.set_refs(refs);
                field.set_state(LoadState::Loaded);
            }
            out.push((*i, raw));
        }
        out
    };
    // The other side of a one-to-many is known too: each child's parent.
    if let (Direction::OneToMany, Some(back)) = (r.dir, r.back) {
        let store = s.store::<C>();
        for ((_, key, _), (_, praw)) in todo.iter().zip(&parent_refs) {
            let Some(refs) = key.as_ref().and_then(|k| groups.get(k)) else {
                continue;
            };
            for c in refs {
                if let Some(obj) = store.slots[c.index as usize].obj.as_mut()
                    && let Some(field) = obj.rel_field_mut(back)
                    && matches!(field.state(), LoadState::Unloaded(_))
                {
                    field.set_refs(std::slice::from_ref(praw));
                    field.set_state(LoadState::Loaded);
                }
            }
        }
    }
    // The next level: every object reached, once.
    for g in groups.values() {
        reached.extend(g.iter().map(|r| r.index));
    }
    reached.sort_unstable();
    reached.dedup();
    path.push((TypeId::of::<P>(), index, &P::RELATIONSHIPS[index]));
    let r = super::joined::finish(s, &mut joined, path)
        .and_then(|()| run_level::<C>(s, &reached, children, path));
    path.pop();
    r
}

fn many_to_one<C: Model>(
    s: &mut Session,
    r: &Resolved,
    todo: &[(u32, Option<GroupKey>, Vec<Value>)],
    children: &[PlanNode],
    groups: &mut Groups,
    loaded: &mut Vec<u32>,
    joined: &mut Vec<super::joined::JoinedNode>,
) -> Result<()> {
    let sid = s.id;
    let mut missing: Vec<(GroupKey, &[Value])> = Vec::new();
    {
        let store = s.store::<C>();
        let mut seen: FastSet<&GroupKey> = FastSet::default();
        for (_, key, vals) in todo {
            let Some(k) = key else { continue };
            if groups.contains_key(k) || !seen.insert(k) {
                continue;
            }
            if r.remote_is_key
                && let Ok(ck) = C::key_from_values(vals)
                && let Some(&i) = store.map.get(&ck)
                && !store.slots[i as usize].expired
            {
                groups.insert(k.clone(), vec![raw_of(store, sid, i)]);
                continue;
            }
            missing.push((k.clone(), vals));
        }
    }
    let t = C::table();
    let cols: Vec<Expr> = r
        .remote
        .iter()
        .map(|&c| t.c(t.columns()[c].name()))
        .collect();
    let per = (IN_CHUNK / r.remote.len().max(1)).max(1);
    for part in missing.chunks(per) {
        let flat: Vec<Value> = part.iter().flat_map(|(_, v)| v.iter().cloned()).collect();
        let stmt = select(cols.clone())
            .add_columns(t)
            .filter(cols_in(cols.clone(), flat));
        load_level::<C>(s, stmt, cols.len(), children, groups, loaded, joined)?;
    }
    Ok(())
}

fn to_many<C: Model>(
    s: &mut Session,
    r: &Resolved,
    todo: &[(u32, Option<GroupKey>, Vec<Value>)],
    children: &[PlanNode],
    groups: &mut Groups,
    loaded: &mut Vec<u32>,
    joined: &mut Vec<super::joined::JoinedNode>,
) -> Result<()> {
    let mut keys: Vec<&[Value]> = Vec::new();
    let mut seen: FastSet<&GroupKey> = FastSet::default();
    for (_, key, vals) in todo {
        if let Some(k) = key
            && seen.insert(k)
        {
            keys.push(vals);
        }
    }
    if keys.is_empty() {
        return Ok(());
    }
    let t = C::table();
    let order = order_of::<C>(r);
    let (prefix, on): (
        Vec<Expr>,
        Option<(&'static athanor_core::schema::Table, Expr)>,
    ) = match &r.secondary {
        None => (
            r.remote
                .iter()
                .map(|&c| t.c(t.columns()[c].name()))
                .collect(),
            None,
        ),
        Some(sec) => {
            let st = sec.table;
            let on = athanor_core::sql::and_(
                r.remote
                    .iter()
                    .zip(&sec.remote_cols)
                    .map(|(&c, sc)| t.c(t.columns()[c].name()).eq(st.c(sc))),
            );
            (
                sec.local_cols.iter().map(|c| st.c(c)).collect(),
                Some((st, on)),
            )
        }
    };
    let per = (IN_CHUNK / prefix.len().max(1)).max(1);
    for part in keys.chunks(per) {
        let flat: Vec<Value> = part.iter().flat_map(|v| v.iter().cloned()).collect();
        let mut stmt = select(prefix.clone()).add_columns(t);
        if let Some((st, on)) = &on {
            stmt = stmt.select_from(t).join_on(*st, on.clone());
        }
        stmt = stmt.filter(cols_in(prefix.clone(), flat));
        if !order.is_empty() {
            stmt = stmt.order_by(order.clone());
        }
        load_level::<C>(s, stmt, prefix.len(), children, groups, loaded, joined)?;
    }
    Ok(())
}

/// Runs a plan's nodes on objects of `M` (slots), adding `M`'s own eager relationships
/// (`lazy = "selectin"`) that the plan doesn't name and the path hasn't taken.
pub(crate) fn run_level<M: Model>(
    s: &mut Session,
    slots: &[u32],
    plan: &[PlanNode],
    path: &mut Trail,
) -> Result<()> {
    if slots.is_empty() {
        return Ok(());
    }
    // Joined steps were read with the level's own query.
    for node in plan.iter().filter(|n| n.strategy == Strategy::Selectin) {
        node.info
            .ops
            .load(s, node.index, slots, &node.children, path)?;
    }
    let me = TypeId::of::<M>();
    for (i, info) in M::RELATIONSHIPS.iter().enumerate() {
        let eager = matches!(
            info.lazy,
            super::relationship::Lazy::Selectin | super::relationship::Lazy::Joined
        );
        if !eager
            || plan.iter().any(|n| n.index == i)
            || path.iter().any(|&(t, j, _)| t == me && j == i)
        {
            continue;
        }
        // The way back along the relationship the load came by: its parents are known.
        if let Some(&(pt, _, came)) = path.last()
            && info.target() == pt
            && info.back_populates == Some(came.name)
        {
            continue;
        }
        info.ops.load(s, i, slots, &[], path)?;
    }
    Ok(())
}

/// `M`'s relationships that load with it by default (`lazy = "selectin"` / `"joined"`),
/// added to a plan that doesn't name them.
fn with_defaults<M: Model>(plan: &[PlanNode]) -> Vec<PlanNode> {
    let mut out = plan.to_vec();
    for (i, info) in M::RELATIONSHIPS.iter().enumerate() {
        let strategy = match info.lazy {
            super::relationship::Lazy::Selectin => Strategy::Selectin,
            super::relationship::Lazy::Joined => Strategy::Joined,
            _ => continue,
        };
        if !out.iter().any(|n| n.index == i) {
            out.push(PlanNode {
                info,
                index: i,
                strategy,
                children: Vec::new(),
            });
        }
    }
    out
}

/// A query of `M`'s objects with a plan: joined steps in the statement itself, the others
/// after it, one query per level.
pub(crate) fn load_query<M: Model>(
    s: &mut Session,
    stmt: &athanor_core::sql::Select,
    plan: &[PlanNode],
) -> Result<Vec<Ref<M>>> {
    let plan = with_defaults::<M>(plan);
    if plan.iter().any(|n| n.strategy != Strategy::Selectin) {
        let slots = super::joined::load_query::<M>(s, stmt, &plan)?;
        run_level::<M>(s, &slots, &plan, &mut Trail::new())?;
        let id = s.id;
        let store = s.store::<M>();
        return Ok(slots.into_iter().map(|i| store.handle(id, i)).collect());
    }
    let overwrite = s.populate_existing;
    let rows = s.load_select::<M>(stmt, None, overwrite)?;
    load_for::<M>(s, &rows, &plan)?;
    Ok(rows)
}

/// Runs a plan (and `M`'s eager defaults) for the objects a query returned.
pub(crate) fn load_for<M: Model>(
    s: &mut Session,
    rows: &[Ref<M>],
    plan: &[PlanNode],
) -> Result<()> {
    let eager = M::RELATIONSHIPS.iter().any(|r| {
        matches!(
            r.lazy,
            super::relationship::Lazy::Selectin | super::relationship::Lazy::Joined
        )
    });
    if rows.is_empty() || (plan.is_empty() && !eager) {
        return Ok(());
    }
    let mut slots: Vec<u32> = rows.iter().map(|r| r.index).collect();
    slots.sort_unstable();
    slots.dedup();
    run_level::<M>(s, &slots, plan, &mut Trail::new())
}
