//! [`RelOps`]: what the session does with a relationship whatever its types, implemented once
//! for every (parent, target) pair by [`RelImpl`] (the derive names it in each
//! relationship's description), so load plans and the flush can walk relationships of any
//! model.

use std::any::TypeId;
use std::marker::PhantomData;

use athanor_core::sql::{Ordering, Select};

use super::cascade::{self, CascadeOp, Reached};
use super::joined::{self, Source};
use super::load_path::{PlanNode, Trail};
use super::loading;
use super::model::Model;
use super::relationship::RelInfo;
use super::secondary;
use super::session::Session;
use super::sync;
use crate::{Result, RowValues};

/// A relationship's operations, types erased.
#[doc(hidden)]
pub trait RelOps: Send + Sync {
    /// The target model's type.
    fn target(&self) -> TypeId;
    /// The target model's name.
    fn target_name(&self) -> &'static str;
    /// The target model's relationships.
    fn target_relationships(&self) -> &'static [RelInfo];
    /// Works the relationship out (once), reporting a declaration the tables can't support.
    fn resolve(&self, index: usize) -> Result<()>;
    /// For a `post_update` relationship: the table holding its foreign key and the key's
    /// columns (left out of the flush's table order).
    fn post_update_key(
        &self,
        index: usize,
    ) -> Option<(&'static athanor_core::schema::Table, Vec<String>)>;
    /// The parent model's type.
    fn parent(&self) -> TypeId;
    /// The target model's number of columns.
    fn target_width(&self) -> usize;
    /// Runs a plan's (non-joined) steps on objects of the target model.
    fn run_level(
        &self,
        s: &mut Session,
        slots: &[u32],
        plan: &[PlanNode],
        path: &mut Trail,
    ) -> Result<()>;
    /// Adds the outer join (and the target's columns) of relationship `index` to a statement.
    fn joined_extend(
        &self,
        index: usize,
        stmt: Select,
        parent: &Source,
        counter: &mut usize,
        order: &mut Vec<Ordering>,
        how: joined::How,
    ) -> Result<(Select, Source, bool)>;
    /// Reads a joined target from a row into the parent's field.
    fn joined_load(
        &self,
        s: &mut Session,
        index: usize,
        parent: u32,
        values: &mut RowValues<'_>,
        offset: usize,
        fill: joined::Fill,
    ) -> Result<Option<u32>>;
    /// Loads relationship `index` of the parent objects in `parents` (slots), then what
    /// `children` asks of the objects loaded.
    fn load(
        &self,
        s: &mut Session,
        index: usize,
        parents: &[u32],
        children: &[PlanNode],
        path: &mut Trail,
    ) -> Result<()>;
    /// Moves new objects given in relationship `index` of these parents into the session.
    fn adopt(&self, s: &mut Session, index: usize, parents: &[u32]) -> Result<()>;
    /// Writes parents' keys into the foreign-key columns this relationship drives, when
    /// those columns are `holder`'s (the model the flush is about to save).
    fn sync_keys(&self, s: &mut Session, index: usize, holder: TypeId) -> Result<()>;
    /// Cascades the deletion of parents, and deletes orphans; true when it changed anything.
    fn cascade_deletes(&self, s: &mut Session, index: usize) -> Result<bool>;
    /// Writes and deletes the secondary table's rows of a many-to-many relationship.
    fn sync_secondary(&self, s: &mut Session, index: usize) -> Result<()>;
    /// Applies an in-memory cascade to the objects relationship `index` of `slot` holds.
    fn cascade(
        &self,
        s: &mut Session,
        index: usize,
        slot: u32,
        op: CascadeOp,
        seen: &mut Reached,
    ) -> Result<()>;
    /// `merge` of a value: merges the new objects its relationship `index` holds into the
    /// merged object `slot`'s relationship.
    fn merge_children(
        &self,
        s: &mut Session,
        index: usize,
        slot: u32,
        value: &mut dyn std::any::Any,
    ) -> Result<()>;
    /// Before the DELETEs: deleted rows let go of a `post_update` key.
    fn release_before_delete(&self, s: &mut Session, index: usize) -> Result<()>;
    /// Writes a foreign key held back until after the INSERTs.
    fn post_update(&self, s: &mut Session, index: usize, holder: u32, source: u32) -> Result<()>;
}

/// [`RelOps`] for relationships of `P` to `C`.
#[doc(hidden)]
pub struct RelImpl<P, C>(PhantomData<fn() -> (P, C)>);

impl<P, C> RelImpl<P, C> {
    /// The value the derive refers to.
    pub const NEW: RelImpl<P, C> = RelImpl(PhantomData);
}

impl<P: Model, C: Model> RelOps for RelImpl<P, C> {
    fn target(&self) -> TypeId {
        TypeId::of::<C>()
    }
    fn target_name(&self) -> &'static str {
        C::NAME
    }
    fn target_relationships(&self) -> &'static [RelInfo] {
        C::RELATIONSHIPS
    }
    fn resolve(&self, index: usize) -> Result<()> {
        super::rel_resolve::resolved::<P, C>(index).map(|_| ())
    }
    fn post_update_key(
        &self,
        index: usize,
    ) -> Option<(&'static athanor_core::schema::Table, Vec<String>)> {
        if !P::RELATIONSHIPS[index].post_update {
            return None;
        }
        let r = super::rel_resolve::resolved::<P, C>(index).ok()?;
        let (t, cols) = match r.dir {
            super::relationship::Direction::ManyToOne => (P::table(), &r.local),
            super::relationship::Direction::OneToMany => (C::table(), &r.remote),
            super::relationship::Direction::ManyToMany => return None,
        };
        Some((
            t,
            cols.iter()
                .map(|&c| t.columns()[c].name().to_string())
                .collect(),
        ))
    }
    fn parent(&self) -> TypeId {
        TypeId::of::<P>()
    }
    fn target_width(&self) -> usize {
        C::width()
    }
    fn run_level(
        &self,
        s: &mut Session,
        slots: &[u32],
        plan: &[PlanNode],
        path: &mut Trail,
    ) -> Result<()> {
        loading::run_level::<C>(s, slots, plan, path)
    }
    fn joined_extend(
        &self,
        index: usize,
        stmt: Select,
        parent: &Source,
        counter: &mut usize,
        order: &mut Vec<Ordering>,
        how: joined::How,
    ) -> Result<(Select, Source, bool)> {
        joined::joined_extend::<P, C>(index, stmt, parent, counter, order, how)
    }
    fn joined_load(
        &self,
        s: &mut Session,
        index: usize,
        parent: u32,
        values: &mut RowValues<'_>,
        offset: usize,
        fill: joined::Fill,
    ) -> Result<Option<u32>> {
        joined::joined_load::<P, C>(s, index, parent, values, offset, fill)
    }
    fn load(
        &self,
        s: &mut Session,
        index: usize,
        parents: &[u32],
        children: &[PlanNode],
        path: &mut Trail,
    ) -> Result<()> {
        loading::load_selectin::<P, C>(s, index, parents, children, path)
    }
    fn adopt(&self, s: &mut Session, index: usize, parents: &[u32]) -> Result<()> {
        sync::adopt::<P, C>(s, index, parents)
    }
    fn sync_keys(&self, s: &mut Session, index: usize, holder: TypeId) -> Result<()> {
        sync::sync_keys::<P, C>(s, index, holder)
    }
    fn cascade_deletes(&self, s: &mut Session, index: usize) -> Result<bool> {
        sync::cascade_deletes::<P, C>(s, index)
    }
    fn sync_secondary(&self, s: &mut Session, index: usize) -> Result<()> {
        secondary::sync_secondary::<P, C>(s, index)
    }
    fn cascade(
        &self,
        s: &mut Session,
        index: usize,
        slot: u32,
        op: CascadeOp,
        seen: &mut Reached,
    ) -> Result<()> {
        cascade::cascade::<P, C>(s, index, slot, op, seen)
    }
    fn merge_children(
        &self,
        s: &mut Session,
        index: usize,
        slot: u32,
        value: &mut dyn std::any::Any,
    ) -> Result<()> {
        match value.downcast_mut::<P>() {
            Some(v) => cascade::merge_children::<P, C>(s, index, slot, v),
            None => Ok(()),
        }
    }
    fn release_before_delete(&self, s: &mut Session, index: usize) -> Result<()> {
        sync::release_before_delete::<P, C>(s, index)
    }
    fn post_update(&self, s: &mut Session, index: usize, holder: u32, source: u32) -> Result<()> {
        sync::post_update::<P, C>(s, index, holder, source)
    }
}
