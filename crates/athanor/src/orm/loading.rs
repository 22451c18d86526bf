//! Loading relationships: load paths ([`selectin`], [`joined`], [`Load`]), the plan a query
//! runs after its rows (one `IN` query per level for every parent of that level, 500 keys a
//! query), and the batched lazy load ([`Session::load`]).

use std::any::TypeId;
use std::collections::HashMap;
use std::marker::PhantomData;

use athanor_core::sql::{Expanding, Expr, Ordering, select, tuple_};

use super::handle::Ref;
use super::model::Model;
use super::rel_resolve::{Resolved, resolved};
use super::relationship::{Direction, LoadState, RawRef, Rel, RelInfo, RelKind};
use super::session::{IN_CHUNK, Session, store_in};
use super::store::{State, Store};
use crate::engine::LoadRows;
use crate::{Error, Result, RowValues, Value};

/// How a load path loads one relationship.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strategy {
    /// One `SELECT ... WHERE key IN (...)` per level for all parents (500 keys a query).
    Selectin,
    /// An outer join in the parents' own query.
    Joined,
}

/// The relationships a load came by, outermost first: (parent type, index, description).
#[doc(hidden)]
pub type Trail = Vec<(TypeId, usize, &'static RelInfo)>;

/// One relationship of a load plan, with what to load below it.
#[doc(hidden)]
#[derive(Debug, Clone)]
pub struct PlanNode {
    pub(crate) info: &'static RelInfo,
    pub(crate) index: usize,
    pub(crate) strategy: Strategy,
    pub(crate) children: Vec<PlanNode>,
}

/// Adds a chain of steps to a plan, merging with the steps already there.
pub(crate) fn merge_chain(plan: &mut Vec<PlanNode>, chain: &[(&'static RelInfo, usize, Strategy)]) {
    let Some((&(info, index, strategy), rest)) = chain.split_first() else {
        return;
    };
    let at = match plan.iter().position(|n| std::ptr::eq(n.info, info)) {
        Some(at) => {
            plan[at].strategy = strategy;
            at
        }
        None => {
            plan.push(PlanNode {
                info,
                index,
                strategy,
                children: Vec::new(),
            });
            plan.len() - 1
        }
    };
    merge_chain(&mut plan[at].children, rest);
}

/// A typed load path from `P` (the queried model) down to `L` (its last step's target):
/// `selectin(Artist::albums).selectin(Album::tracks).joined(Track::genre)`. Give several to
/// [`Query::options`](super::Query::options) for branches.
///
/// ```
/// use athanor::prelude::*;
/// use athanor::orm::{Collection, Related, selectin};
///
/// #[derive(Debug, Clone, PartialEq, Model)]
/// #[athanor(table = "Artist")]
/// struct Artist {
///     #[athanor(primary_key, column = "ArtistId")] id: i64,
///     #[athanor(column = "Name")] name: Option<String>,
///     #[athanor(back_populates = "artist", order_by = "AlbumId")]
///     albums: Collection<Album>,
/// }
/// #[derive(Debug, Clone, PartialEq, Model)]
/// #[athanor(table = "Album")]
/// struct Album {
///     #[athanor(primary_key, column = "AlbumId")] id: i64,
///     #[athanor(column = "Title")] title: String,
///     #[athanor(column = "ArtistId", foreign_key = "Artist.ArtistId")] artist_id: i64,
///     #[athanor(back_populates = "albums")]
///     artist: Related<Artist>,
/// }
///
/// let (engine, _) = athanor::chinook::load()?;
/// let mut s = Session::new(&engine);
/// let artists = s
///     .query::<Artist>()
///     .filter(Artist::ID.in_([1, 2]))
///     .order_by(Artist::ID)
///     .options(selectin(Artist::albums)) // one more query, for both artists
///     .all()?;
/// let albums = s.read(artists[0])?.albums.to_vec()?;
/// assert_eq!(s.read(albums[0])?.title, "For Those About To Rock We Salute You");
/// assert_eq!(s.read(albums[0])?.artist.get()?, Some(artists[0])); // back_populates, no query
/// # Ok::<(), athanor::Error>(())
/// ```
pub struct Load<P, L> {
    pub(crate) chain: Vec<(&'static RelInfo, usize, Strategy)>,
    _types: PhantomData<fn() -> (P, L)>,
}

impl<P, L> Clone for Load<P, L> {
    fn clone(&self) -> Self {
        Load {
            chain: self.chain.clone(),
            _types: PhantomData,
        }
    }
}

impl<P, L> std::fmt::Debug for Load<P, L> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let steps: Vec<String> = self
            .chain
            .iter()
            .map(|(i, _, s)| format!("{s:?}({})", i.qualname))
            .collect();
        write!(f, "Load[{}]", steps.join(" → "))
    }
}

/// Starts a load path: load `rel` with one `IN` query per level (SQLAlchemy's
/// `selectinload`).
pub fn selectin<P: Model, C: Model, K: RelKind>(rel: Rel<P, C, K>) -> Load<P, C> {
    Load {
        chain: vec![(rel.info(), rel.index(), Strategy::Selectin)],
        _types: PhantomData,
    }
}

/// Starts a load path: load `rel` by an outer join in the parents' query (SQLAlchemy's
/// `joinedload`).
pub fn joined<P: Model, C: Model, K: RelKind>(rel: Rel<P, C, K>) -> Load<P, C> {
    Load {
        chain: vec![(rel.info(), rel.index(), Strategy::Joined)],
        _types: PhantomData,
    }
}

impl<P: Model, L: Model> Load<P, L> {
    /// Then loads `rel` of the objects the path reached, `selectin`.
    pub fn selectin<C: Model, K: RelKind>(mut self, rel: Rel<L, C, K>) -> Load<P, C> {
        self.chain
            .push((rel.info(), rel.index(), Strategy::Selectin));
        Load {
            chain: self.chain,
            _types: PhantomData,
        }
    }

    /// Then loads `rel` of the objects the path reached, `joined`.
    pub fn joined<C: Model, K: RelKind>(mut self, rel: Rel<L, C, K>) -> Load<P, C> {
        self.chain.push((rel.info(), rel.index(), Strategy::Joined));
        Load {
            chain: self.chain,
            _types: PhantomData,
        }
    }
}

/// A load path given by relationship names, for code that knows them only at run time:
/// `selectin_path("albums.tracks.genre")`; every step loads with the path's strategy.
#[derive(Debug, Clone)]
pub struct LoadPath {
    pub(crate) path: String,
    pub(crate) strategy: Strategy,
}

/// A load path by names, every step `selectin`.
pub fn selectin_path(path: &str) -> LoadPath {
    LoadPath {
        path: path.to_string(),
        strategy: Strategy::Selectin,
    }
}

/// A load path by names, every step `joined`.
pub fn joined_path(path: &str) -> LoadPath {
    LoadPath {
        path: path.to_string(),
        strategy: Strategy::Joined,
    }
}

/// What [`Query::options`](super::Query::options) takes for a query of `M`: a typed
/// [`Load`] from `M`, or a [`LoadPath`] resolved against `M`'s relationships.
pub trait LoadOption<M> {
    /// The path's steps.
    ///
    /// # Errors
    /// A name that isn't a relationship of the model reached at that step.
    #[doc(hidden)]
    fn steps(self) -> Result<Vec<(&'static RelInfo, usize, Strategy)>>;
}

impl<P: Model, L> LoadOption<P> for Load<P, L> {
    fn steps(self) -> Result<Vec<(&'static RelInfo, usize, Strategy)>> {
        Ok(self.chain)
    }
}

impl<M: Model> LoadOption<M> for LoadPath {
    fn steps(self) -> Result<Vec<(&'static RelInfo, usize, Strategy)>> {
        let mut rels: &'static [RelInfo] = M::RELATIONSHIPS;
        let mut owner = M::NAME;
        let mut out = Vec::new();
        for name in self.path.split('.').map(str::trim) {
            let Some(i) = rels.iter().position(|r| r.name == name) else {
                let known: Vec<&str> = rels.iter().map(|r| r.name).collect();
                return Err(Error::InvalidRequest(format!(
                    "load path \"{}\": {owner} has no relationship `{name}` (it has: {})",
                    self.path,
                    if known.is_empty() {
                        "none".to_string()
                    } else {
                        known.join(", ")
                    }
                )));
            };
            out.push((&rels[i], i, self.strategy));
            owner = rels[i].ops.target_name();
            rels = rels[i].ops.target_relationships();
        }
        Ok(out)
    }
}

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
    groups: HashMap<GroupKey, Vec<RawRef>>,
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
    groups: &mut HashMap<GroupKey, Vec<RawRef>>,
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
    groups: &mut HashMap<GroupKey, Vec<RawRef>>,
    loaded: &mut Vec<u32>,
    joined: &mut Vec<super::joined::JoinedNode>,
) -> Result<()> {
    if !children.iter().any(|n| n.strategy == Strategy::Joined) {
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
    let mut seen: std::collections::HashSet<(GroupKey, u32)> = std::collections::HashSet::new();
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
    let mut groups: HashMap<GroupKey, Vec<RawRef>> = HashMap::new();
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
    groups: &mut HashMap<GroupKey, Vec<RawRef>>,
    loaded: &mut Vec<u32>,
    joined: &mut Vec<super::joined::JoinedNode>,
) -> Result<()> {
    let sid = s.id;
    let mut missing: Vec<(GroupKey, &[Value])> = Vec::new();
    {
        let store = s.store::<C>();
        let mut seen: std::collections::HashSet<&GroupKey> = std::collections::HashSet::new();
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
    groups: &mut HashMap<GroupKey, Vec<RawRef>>,
    loaded: &mut Vec<u32>,
    joined: &mut Vec<super::joined::JoinedNode>,
) -> Result<()> {
    let mut keys: Vec<&[Value]> = Vec::new();
    let mut seen: std::collections::HashSet<&GroupKey> = std::collections::HashSet::new();
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
    if plan.iter().any(|n| n.strategy == Strategy::Joined) {
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

impl Session {
    /// Loads relationship `rel` for every object of `P` in the session lacking it (the one
    /// `h` included), in one batched query per 500 parents — SQLAlchemy's lazy load without
    /// its N+1 — and returns `h`'s related objects.
    ///
    /// ```
    /// use athanor::prelude::*;
    /// use athanor::orm::Collection;
    /// #[derive(Debug, Clone, PartialEq, Model)]
    /// #[athanor(table = "Artist")]
    /// struct Artist {
    ///     #[athanor(primary_key, column = "ArtistId")] id: i64,
    ///     #[athanor(order_by = "AlbumId")]
    ///     albums: Collection<Album>,
    /// }
    /// #[derive(Debug, Clone, PartialEq, Model)]
    /// #[athanor(table = "Album")]
    /// struct Album {
    ///     #[athanor(primary_key, column = "AlbumId")] id: i64,
    ///     #[athanor(column = "Title")] title: String,
    ///     #[athanor(column = "ArtistId", foreign_key = "Artist.ArtistId")] artist_id: i64,
    /// }
    /// let (engine, _) = athanor::chinook::load()?;
    /// let mut s = Session::new(&engine);
    /// let artists = s.query::<Artist>().filter(Artist::ID.le(3)).all()?;
    /// assert!(matches!(s.read(artists[0])?.albums.len(), Err(Error::NotLoaded(_))));
    /// let albums = s.load(artists[0], Artist::albums)?; // loads all three artists' albums
    /// assert_eq!(albums.len(), 2);
    /// assert_eq!(s.read(artists[2])?.albums.len()?, 2); // already loaded, no query
    /// # Ok::<(), athanor::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::DetachedInstance`] for a handle not of this session; the query's error.
    pub fn load<P: Model, C: Model, K: RelKind>(
        &mut self,
        h: Ref<P>,
        rel: Rel<P, C, K>,
    ) -> Result<K::Out<C>> {
        let me = self.slot_of(h)?;
        let index = rel.index();
        let store = self.store::<P>();
        let mut parents: Vec<u32> = (0..store.slots.len() as u32)
            .filter(|&i| {
                let slot = &store.slots[i as usize];
                matches!(slot.state, State::Persistent | State::Deleted)
                    && slot
                        .obj
                        .as_ref()
                        .and_then(|o| o.rel_field(index))
                        .is_some_and(|f| matches!(f.state(), LoadState::Unloaded(_)))
            })
            .collect();
        if !parents.contains(&me) {
            parents.push(me);
        }
        let mut path = Trail::new();
        let before = std::mem::replace(&mut self.populate_existing, false);
        let r = load_selectin::<P, C>(self, index, &parents, &[], &mut path);
        self.populate_existing = before;
        r?;
        self.related(h, rel)
    }

    /// Reads relationship `rel` of `h`: its related objects. A relationship that was never
    /// loaded is [`Error::NotLoaded`] naming it (`lazy = "raise"`, the default), or loaded
    /// now for every object lacking it when the relationship says `lazy = "select"`.
    ///
    /// ```
    /// use athanor::prelude::*;
    /// use athanor::orm::Related;
    /// #[derive(Debug, Clone, PartialEq, Model)]
    /// #[athanor(table = "Genre")]
    /// struct Genre {
    ///     #[athanor(primary_key, column = "GenreId")] id: i64,
    ///     #[athanor(column = "Name")] name: Option<String>,
    /// }
    /// #[derive(Debug, Clone, PartialEq, Model)]
    /// #[athanor(table = "Track")]
    /// struct Track {
    ///     #[athanor(primary_key, column = "TrackId")] id: i64,
    ///     #[athanor(column = "GenreId", foreign_key = "Genre.GenreId")] genre_id: Option<i64>,
    ///     #[athanor(lazy = "select")]
    ///     genre: Related<Genre>,
    /// }
    /// let (engine, _) = athanor::chinook::load()?;
    /// let mut s = Session::new(&engine);
    /// let t = s.get::<Track>(1)?.expect("track 1");
    /// let g = s.related(t, Track::genre)?.expect("a genre"); // lazy = "select": loaded now
    /// assert_eq!(s.read(g)?.name.as_deref(), Some("Rock"));
    /// # Ok::<(), athanor::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::NotLoaded`]; [`Error::DetachedInstance`]; the load's error.
    pub fn related<P: Model, C: Model, K: RelKind>(
        &mut self,
        h: Ref<P>,
        rel: Rel<P, C, K>,
    ) -> Result<K::Out<C>> {
        let index = rel.index();
        let obj = self.read(h)?;
        let Some(field) = obj.rel_field(index) else {
            return Err(Error::InvalidRequest(format!(
                "{} has no relationship number {index}",
                P::NAME
            )));
        };
        match field.state() {
            LoadState::Unloaded(name) => {
                if rel.info().lazy == super::relationship::Lazy::Select {
                    self.load(h, rel)
                } else {
                    Err(Error::NotLoaded(format!(
                        "{name} was never loaded (or expired): load it with a loader option (selectin, joined) or session.load(), or give it a default strategy (lazy = \"selectin\")"
                    )))
                }
            }
            _ => Ok(K::out(field.refs())),
        }
    }
}
