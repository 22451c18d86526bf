//! [`Ref`]: the handle a [`Session`](super::Session) gives for each object it holds.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;

/// A handle to an object held by a [`Session`](super::Session): cheap, `Copy`, and only
/// meaningful to the session that made it. Read the object with
/// [`Session::read`](super::Session::read), change it with
/// [`Session::edit`](super::Session::edit).
///
/// A handle records its session and the generation of its slot: used with another session,
/// or after its object was expunged or deleted and committed, it fails with
/// [`Error::DetachedInstance`](crate::Error::DetachedInstance); it never reads another
/// object's data.
///
/// ```
/// use athanor::prelude::*;
/// #[derive(Debug, Clone, PartialEq, Model)]
/// struct Note {
///     #[athanor(primary_key)] id: i64,
///     text: String,
/// }
/// let engine = create_engine("sqlite://")?;
/// let md = MetaData::new();
/// md.add_table(Note::table())?;
/// md.create_all(&engine)?;
/// let mut s1 = Session::new(&engine);
/// let h = s1.add(Note { id: 1, text: "hi".into() })?;
/// let mut s2 = Session::new(&engine);
/// assert!(matches!(s2.read(h), Err(Error::DetachedInstance(_))));
/// let copy = h; // handles are Copy
/// assert_eq!(s1.read(copy)?.text, "hi");
/// # Ok::<(), athanor::Error>(())
/// ```
pub struct Ref<M> {
    pub(crate) session: u32,
    pub(crate) index: u32,
    pub(crate) generation: u32,
    _model: PhantomData<fn() -> M>,
}

impl<M> Ref<M> {
    pub(crate) fn new(session: u32, index: u32, generation: u32) -> Self {
        Ref {
            session,
            index,
            generation,
            _model: PhantomData,
        }
    }
}

impl<M> Clone for Ref<M> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<M> Copy for Ref<M> {}

impl<M> PartialEq for Ref<M> {
    fn eq(&self, other: &Self) -> bool {
        self.session == other.session
            && self.index == other.index
            && self.generation == other.generation
    }
}
impl<M> Eq for Ref<M> {}

impl<M> Hash for Ref<M> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.session.hash(state);
        self.index.hash(state);
        self.generation.hash(state);
    }
}

impl<M> fmt::Debug for Ref<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = std::any::type_name::<M>();
        let short = name.rsplit("::").next().unwrap_or(name);
        write!(f, "Ref<{short}>(#{}.{})", self.index, self.generation)
    }
}
