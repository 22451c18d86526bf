//! The cascades that follow an object's relationships in memory: `refresh-expire` (expiring
//! or refreshing an object expires the related objects too), `expunge`, and `merge` (new
//! objects given in a merged value's relationships are merged with it).

use std::any::TypeId;
use std::collections::HashSet;

use super::model::Model;
use super::relationship::{Collection, LoadState, RawRef, Related};
use super::session::Session;
use super::store::State;
use crate::Result;

/// What a cascade does to the related objects it reaches.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CascadeOp {
    /// `refresh-expire`: expire them (a refresh reloads them on their next read, batched).
    Expire,
    /// `expunge`: take them out of the session.
    Expunge,
}

/// Objects already reached by one cascade.
pub(crate) type Reached = HashSet<(TypeId, u32)>;

/// Applies `op` to the objects relationship `index` of `P`'s slot `slot` holds (loaded
/// relationships only), and through their own cascading relationships, each object once.
pub(crate) fn cascade<P: Model, C: Model>(
    s: &mut Session,
    index: usize,
    slot: u32,
    op: CascadeOp,
    seen: &mut Reached,
) -> Result<()> {
    let refs: Vec<RawRef> = s
        .store::<P>()
        .slots
        .get(slot as usize)
        .and_then(|x| x.obj.as_ref())
        .and_then(|o| o.rel_field(index))
        .filter(|f| !matches!(f.state(), LoadState::Unloaded(_)))
        .map(|f| f.refs().to_vec())
        .unwrap_or_default();
    for r in refs {
        if r.session != s.id {
            continue;
        }
        let Ok(c) = s.store::<C>().check(r.typed::<C>()) else {
            continue;
        };
        if !seen.insert((TypeId::of::<C>(), c)) {
            continue;
        }
        apply::<C>(s, c, op, seen)?;
    }
    Ok(())
}

/// Applies `op` to `M`'s slot `i` after following its own cascading relationships (before:
/// expiring or expunging an object forgets what its relationships hold).
pub(crate) fn apply<M: Model>(
    s: &mut Session,
    i: u32,
    op: CascadeOp,
    seen: &mut Reached,
) -> Result<()> {
    seen.insert((TypeId::of::<M>(), i));
    for (j, info) in M::RELATIONSHIPS.iter().enumerate() {
        let follows = match op {
            CascadeOp::Expire => info.cascade.refresh_expire,
            CascadeOp::Expunge => info.cascade.expunge,
        };
        if follows {
            info.ops.cascade(s, j, i, op, seen)?;
        }
    }
    let store = s.store::<M>();
    match op {
        CascadeOp::Expire => store.expire_slot(i),
        CascadeOp::Expunge => {
            if store
                .slots
                .get(i as usize)
                .is_some_and(|x| x.state != State::Free)
            {
                store.free_slot(i);
            }
        }
    }
    Ok(())
}

/// `merge` of a value whose relationship `index` holds new objects: each is merged (found by
/// key, or added), and the merged object `slot`'s relationship holds them, with the handles
/// the value gave.
pub(crate) fn merge_children<P: Model, C: Model>(
    s: &mut Session,
    index: usize,
    slot: u32,
    value: &mut P,
) -> Result<()> {
    let Some(field) = value.rel_field_mut(index) else {
        return Ok(());
    };
    if matches!(field.state(), LoadState::Unloaded(_)) {
        return Ok(());
    }
    let mut refs = field.refs().to_vec();
    let any = field.as_any_mut();
    let new: Vec<C> = if let Some(c) = any.downcast_mut::<Collection<C>>() {
        std::mem::take(&mut c.new)
    } else if let Some(r) = any.downcast_mut::<Related<C>>() {
        r.new.take().map(|b| vec![*b]).unwrap_or_default()
    } else {
        Vec::new()
    };
    if new.is_empty() && refs.is_empty() {
        return Ok(());
    }
    for obj in new {
        refs.push(RawRef::from(s.merge(obj)?));
    }
    let h = s.handle::<P>(slot);
    let old: Vec<RawRef> = s
        .peek(h)?
        .rel_field(index)
        .filter(|f| !matches!(f.state(), LoadState::Unloaded(_)))
        .map(|f| f.refs().to_vec())
        .unwrap_or_default();
    if old == refs {
        return Ok(());
    }
    if P::RELATIONSHIPS[index].many {
        let rel = super::relationship::Rel::<P, C, super::relationship::Many>::new(
            index,
            P::RELATIONSHIPS[index].name,
        );
        s.replace(h, rel, refs.iter().map(|r| r.typed::<C>()))
    } else {
        let rel = super::relationship::Rel::<P, C, super::relationship::One>::new(
            index,
            P::RELATIONSHIPS[index].name,
        );
        s.set(h, rel, refs.first().map(|r| r.typed::<C>()))
    }
}
