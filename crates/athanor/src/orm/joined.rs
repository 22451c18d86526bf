//! Joined eager loading (SQLAlchemy's `joinedload`): a relationship loaded by an outer join in
//! its parents' own query (an inner join for a many-to-one whose foreign key can't be NULL),
//! the target's columns after the parent's, each row's target put into the identity map and
//! into its parent's field; collections are uniqued and ordered by the relationship's
//! `order_by`. Joined steps nest (`joined(Track::album).joined(Album::artist)`), and a
//! `selectin` step below a joined one runs once for everything the join reached.

use athanor_core::schema::Table;
use athanor_core::sql::{Alias, Expr, Ordering, Select, and_};

use super::load_path::{PlanNode, Strategy, Trail};
use super::model::Model;
use super::rel_resolve::resolved;
use super::relationship::{Direction, LoadState, RawRef};
use super::session::{Incoming, Session};
use crate::{Error, Result, RowValues};

/// Where a joined step's parent columns come from: the query's own table, or the alias a
/// joined step above gave its target.
#[doc(hidden)]
#[derive(Clone)]
pub enum Source {
    Table(&'static Table),
    Alias(Alias),
}

impl Source {
    fn col(&self, name: &str) -> Expr {
        match self {
            Source::Table(t) => t.c(name),
            Source::Alias(a) => a.c(name),
        }
    }
}

/// How a step joins: whether an inner join is allowed (every join above it is inner), and
/// whether the query has the join already (`contains_eager`).
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct How {
    pub(crate) inner_ok: bool,
    pub(crate) contains: bool,
}

/// How a row fills a parent's field: `first`, the parent's first row in this load (its field
/// starts empty); `partial`, the collection holds only what a filter let through.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct Fill {
    pub(crate) first: bool,
    pub(crate) partial: bool,
}

/// A joined step as the row reader runs it.
#[doc(hidden)]
pub(crate) struct JoinedNode {
    pub(crate) node: PlanNode,
    /// Where the target's columns start in the row.
    pub(crate) offset: usize,
    /// A collection filled from a filtered query holds part of what the database has.
    pub(crate) partial: bool,
    /// Parents seen in this load (their field was reset on first sight).
    pub(crate) seen: super::loading::FastSet<u32>,
    /// Targets reached, for the steps below.
    pub(crate) reached: Vec<u32>,
    pub(crate) below: Vec<JoinedNode>,
}

/// Adds the joined steps among `plan` to `stmt` (parent columns from `parent`, the row's
/// columns so far `width`), returning them ready to read rows.
pub(crate) fn extend(
    mut stmt: Select,
    parent: &Source,
    plan: &[PlanNode],
    width: &mut usize,
    counter: &mut usize,
    inner_ok: bool,
    order: &mut Vec<Ordering>,
) -> Result<(Select, Vec<JoinedNode>)> {
    let mut out = Vec::new();
    for node in plan.iter().filter(|n| n.strategy != Strategy::Selectin) {
        let offset = *width;
        let contains = node.strategy == Strategy::ContainsEager;
        let partial = contains
            && node.info.many
            && (stmt.where_clause().is_some() || stmt.limits_or_groups());
        let (s, source, inner) = node.info.ops.joined_extend(
            node.index,
            stmt,
            parent,
            counter,
            order,
            How { inner_ok, contains },
        )?;
        stmt = s;
        *width += node.info.ops.target_width();
        let (s, below) = extend(stmt, &source, &node.children, width, counter, inner, order)?;
        stmt = s;
        out.push(JoinedNode {
            node: node.clone(),
            offset,
            partial,
            seen: Default::default(),
            reached: Vec::new(),
            below,
        });
    }
    Ok((stmt, out))
}

/// Reads one row's joined steps for the parent in slot `parent`.
pub(crate) fn read_row(
    s: &mut Session,
    parent: u32,
    values: &mut RowValues<'_>,
    nodes: &mut [JoinedNode],
) -> Result<()> {
    for n in nodes {
        let first = n.seen.insert(parent);
        let child = n.node.info.ops.joined_load(
            s,
            n.node.index,
            parent,
            values,
            n.offset,
            Fill {
                first,
                partial: n.partial,
            },
        )?;
        if let Some(c) = child {
            n.reached.push(c);
            read_row(s, c, values, &mut n.below)?;
        }
    }
    Ok(())
}

/// After the rows: the steps below each joined step (`selectin` ones, and the target's eager
/// defaults) for everything it reached.
pub(crate) fn finish(s: &mut Session, nodes: &mut [JoinedNode], path: &mut Trail) -> Result<()> {
    for n in nodes {
        let mut reached = std::mem::take(&mut n.reached);
        reached.sort_unstable();
        reached.dedup();
        let rest: Vec<PlanNode> = n
            .node
            .children
            .iter()
            .filter(|c| c.strategy == Strategy::Selectin)
            .cloned()
            .collect();
        let info = n.node.info;
        path.push((info.ops.parent(), n.node.index, info));
        let r = info.ops.run_level(s, &reached, &rest, path);
        let r2 = finish(s, &mut n.below, path);
        path.pop();
        r?;
        r2?;
    }
    Ok(())
}

/// The joined part of relationship `index` of `P` to `C` (see [`extend`]).
pub(crate) fn joined_extend<P: Model, C: Model>(
    index: usize,
    stmt: Select,
    parent: &Source,
    counter: &mut usize,
    order: &mut Vec<Ordering>,
    how: How,
) -> Result<(Select, Source, bool)> {
    let How { inner_ok, contains } = how;
    let r = resolved::<P, C>(index)?;
    let pt = P::table();
    let ct = C::table();
    if contains {
        // The query joins the target itself: its columns are read from the table.
        return Ok((stmt.add_columns(ct), Source::Table(ct), inner_ok));
    }
    *counter += 1;
    let alias = ct.alias(format!("{}_{}", ct.name().to_lowercase(), counter));
    let target_col = |c: usize| alias.c(ct.columns()[c].name());
    let parent_col = |c: usize| parent.col(pt.columns()[c].name());
    let inner = inner_ok && r.dir == Direction::ManyToOne && !r.nullable;
    let stmt = match &r.secondary {
        None => {
            let on = and_(
                r.local
                    .iter()
                    .zip(&r.remote)
                    .map(|(&l, &c)| parent_col(l).eq(target_col(c))),
            );
            if inner {
                stmt.join_on(&alias, on)
            } else {
                stmt.outerjoin_on(&alias, on)
            }
        }
        Some(sec) => {
            *counter += 1;
            let sa = sec
                .table
                .alias(format!("{}_{}", sec.table.name().to_lowercase(), counter));
            let on1 = and_(
                r.local
                    .iter()
                    .zip(&sec.local_cols)
                    .map(|(&l, sc)| parent_col(l).eq(sa.c(sc))),
            );
            let on2 = and_(
                r.remote
                    .iter()
                    .zip(&sec.remote_cols)
                    .map(|(&c, sc)| sa.c(sc).eq(target_col(c))),
            );
            stmt.outerjoin_on(&sa, on1).outerjoin_on(&alias, on2)
        }
    };
    for &(c, desc) in &r.order_by {
        let e = target_col(c);
        order.push(if desc { e.desc() } else { Ordering::from(e) });
    }
    Ok((stmt.add_columns(&alias), Source::Alias(alias), inner))
}

/// Reads `C`'s object at `offset` of a row (none when the outer join found none) and puts it
/// in relationship `index` of the parent in slot `parent` (`first`: the parent's first row in
/// this load, its field starts empty).
pub(crate) fn joined_load<P: Model, C: Model>(
    s: &mut Session,
    index: usize,
    parent: u32,
    values: &mut RowValues<'_>,
    offset: usize,
    fill: Fill,
) -> Result<Option<u32>> {
    let Fill { first, partial } = fill;
    let key_null = C::PRIMARY_KEY.iter().any(|&k| {
        values
            .peek(offset + k)
            .is_none_or(|v| matches!(v, crate::Value::Null))
    });
    let sid = s.id;
    let child = if key_null {
        None
    } else {
        let overwrite = s.populate_existing;
        let store = s.store::<C>();
        let i = store.load(values, offset, overwrite)?;
        Some(RawRef {
            session: sid,
            index: i,
            generation: store.slots[i as usize].generation,
        })
    };
    let store = s.store::<P>();
    let praw = RawRef {
        session: sid,
        index: parent,
        generation: store.slots[parent as usize].generation,
    };
    if let Some(obj) = store.slots[parent as usize].obj.as_mut()
        && let Some(f) = obj.rel_field_mut(index)
    {
        if first {
            f.set_refs(&[]);
            f.set_state(if partial {
                LoadState::Partial
            } else {
                LoadState::Loaded
            });
        }
        if let Some(c) = child
            && !f.refs().contains(&c)
        {
            f.push(c);
        }
    }
    let Some(c) = child else {
        return Ok(None);
    };
    // The other side of a one-to-many: the child's parent.
    let r = resolved::<P, C>(index)?;
    if let (Direction::OneToMany, Some(back)) = (r.dir, r.back) {
        let store = s.store::<C>();
        if let Some(obj) = store.slots[c.index as usize].obj.as_mut()
            && let Some(f) = obj.rel_field_mut(back)
            && matches!(f.state(), LoadState::Unloaded(_))
        {
            f.set_refs(std::slice::from_ref(&praw));
            f.set_state(LoadState::Loaded);
        }
    }
    Ok(Some(c.index))
}

/// A query of `M` with joined steps: the statement extended, each row's `M` and joined
/// targets loaded, the parents uniqued in order of first appearance.
pub(crate) fn load_query<M: Model>(
    s: &mut Session,
    stmt: &Select,
    plan: &[PlanNode],
) -> Result<Vec<u32>> {
    let collection = plan
        .iter()
        .any(|n| n.strategy == Strategy::Joined && joined_collection(n));
    if collection && stmt.limits_or_groups() {
        return Err(Error::InvalidRequest(format!(
            "a joined load of a collection of {} can't be combined with LIMIT/OFFSET or GROUP BY (the join multiplies the rows): load it with selectin instead",
            M::NAME
        )));
    }
    let mut width = M::width();
    let mut counter = 0;
    let mut order = Vec::new();
    let (mut ext, mut nodes) = extend(
        stmt.clone(),
        &Source::Table(M::table()),
        plan,
        &mut width,
        &mut counter,
        true,
        &mut order,
    )?;
    if !order.is_empty() {
        ext = ext.order_by(order);
    }
    let overwrite = s.populate_existing;
    let mut out: Vec<u32> = Vec::new();
    let mut seen: super::loading::FastSet<u32> = Default::default();
    s.run_rows(&ext, None, |s, incoming| {
        let Incoming::Row(mut values) = incoming else {
            return Ok(());
        };
        let i = s.store::<M>().load(&mut values, 0, overwrite)?;
        if seen.insert(i) {
            out.push(i);
        }
        read_row(s, i, &mut values, &mut nodes)
    })?;
    let mut path = Trail::new();
    finish(s, &mut nodes, &mut path)?;
    Ok(out)
}

/// Whether a joined step (or one below it) loads a collection.
fn joined_collection(n: &PlanNode) -> bool {
    n.info.many
        || n.children
            .iter()
            .any(|c| c.strategy == Strategy::Joined && joined_collection(c))
}
