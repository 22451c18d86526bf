//! [`RelOps`]: what the session does with a relationship whatever its types, implemented once
//! for every (parent, target) pair by [`RelImpl`] (the derive names it in each
//! relationship's description), so load plans and the flush can walk relationships of any
//! model.

use std::any::TypeId;
use std::marker::PhantomData;

use super::loading::{self, PlanNode, Trail};
use super::model::Model;
use super::relationship::RelInfo;
use super::session::Session;
use super::sync;
use crate::Result;

/// A relationship's operations, types erased.
#[doc(hidden)]
pub trait RelOps: Send + Sync {
    /// The target model's type.
    fn target(&self) -> TypeId;
    /// The target model's name.
    fn target_name(&self) -> &'static str;
    /// The target model's relationships.
    fn target_relationships(&self) -> &'static [RelInfo];
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
        sync::sync_secondary::<P, C>(s, index)
    }
}
