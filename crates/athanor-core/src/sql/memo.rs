//! [`ShapeMemo`]: a built statement's cache-key digest, kept until the statement is changed.
//!
//! SQLAlchemy memoizes a statement's cache key on the statement object, so executing the same
//! statement again (with new `bindparam` values) skips the walk over its tree. Athanor's
//! statements do the same. The parts of a memoizing statement can only be changed through its
//! `edit()` method, which forgets the memo: the compiler refuses any other way to change them.

use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};

/// A statement's memoized shape digest. Takes no part in the statement's `Hash`
/// (so nested statements hash by their parts) and is copied by `Clone` (a clone has the same
/// shape until it is edited).
///
/// Plain atomics rather than a `OnceLock`: two threads that compute the digest at once store
/// the same value, and the check on every execution is one load.
#[derive(Debug, Default)]
pub(crate) struct ShapeMemo {
    /// Whether `high`/`low` hold the digest (written last, with `Release`).
    known: AtomicU32,
    high: AtomicU64,
    low: AtomicU64,
}

impl ShapeMemo {
    /// The digest, computed by `f` the first time.
    #[inline]
    pub(crate) fn digest(&self, f: impl FnOnce() -> u128) -> u128 {
        if self.known.load(Ordering::Acquire) == 1 {
            let high = u128::from(self.high.load(Ordering::Relaxed));
            return high << 64 | u128::from(self.low.load(Ordering::Relaxed));
        }
        let d = f();
        self.high.store((d >> 64) as u64, Ordering::Relaxed);
        self.low.store(d as u64, Ordering::Relaxed);
        self.known.store(1, Ordering::Release);
        d
    }

    /// Forgets everything (the statement is about to change).
    pub(crate) fn clear(&mut self) {
        *self = ShapeMemo::default();
    }
}

impl Clone for ShapeMemo {
    fn clone(&self) -> Self {
        let known = self.known.load(Ordering::Acquire);
        ShapeMemo {
            known: AtomicU32::new(known),
            high: AtomicU64::new(self.high.load(Ordering::Relaxed)),
            low: AtomicU64::new(self.low.load(Ordering::Relaxed)),
        }
    }
}

/// Implements the memoizing wrapper of a statement type: `$name { parts: $parts, memo }`
/// reads its parts through `Deref`, and changes them only through `edit()`.
macro_rules! memoized_statement {
    ($name:ident, $parts:ident) => {
        impl std::ops::Deref for $name {
            type Target = $parts;
            fn deref(&self) -> &$parts {
                &self.parts
            }
        }

        impl $name {
            /// The statement's parts, to change them: forgets the memoized shape.
            pub(crate) fn edit(&mut self) -> &mut $parts {
                self.memo.clear();
                &mut self.parts
            }

            /// The memoized shape.
            pub(crate) fn memo(&self) -> &crate::sql::memo::ShapeMemo {
                &self.memo
            }
        }

        impl From<$parts> for $name {
            fn from(parts: $parts) -> Self {
                $name {
                    parts,
                    memo: Default::default(),
                }
            }
        }

        impl std::hash::Hash for $name {
            fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
                self.parts.hash(state);
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.parts.fmt(f)
            }
        }
    };
}
pub(crate) use memoized_statement;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_is_computed_once_and_cloned() {
        let m = ShapeMemo::default();
        let d = (7u128 << 64) | 9;
        assert_eq!(m.digest(|| d), d);
        assert_eq!(m.digest(|| unreachable!("memoized")), d);
        assert_eq!(m.clone().digest(|| unreachable!("cloned")), d);
        let mut m = m;
        m.clear();
        assert_eq!(m.digest(|| 1), 1);
    }
}
