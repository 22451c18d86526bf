//! Node identity in statement-cache keys (SQLAlchemy's `anon_map`).
//!
//! Some nodes of a statement are shared through an `Arc`: aliases, CTEs, joins, subqueries
//! and IN lists. Where a statement uses one such object twice, the compiler and the value walk
//! ([`super::visit`]) see one object; where it uses two equal objects, they see two. The SQL
//! can differ (`anon_1` once, or `anon_1` and `anon_2`; a FROM item once or twice), and so does
//! which value each parameter slot takes. So a cache key must say which occurrences are the
//! same object, not only what each holds.
//!
//! While a key is computed ([`key_scope`]), each such node writes [`NEW`] and its content the
//! first time the object is met, and [`SEEN`] with the object's number (in order of first
//! meeting) every later time. The numbers depend only on the statement's structure and on which
//! of its parts are shared, never on addresses, so equal keys mean equal sharing. Outside a key
//! (any other use of `Hash`), a node hashes its content alone.
//!
//! A new node type held in an `Arc` (or otherwise reachable from two places of one statement)
//! hashes through [`hash_shared`] with the address of what it shares, as `Expanding`,
//! `SelectBase`, aliases, CTEs and joins do.

use std::cell::RefCell;
use std::hash::Hasher;

/// First meeting of an object: its content follows.
pub(crate) const NEW: u8 = 0xA0;
/// A later meeting: the object's number follows.
pub(crate) const SEEN: u8 = 0xA1;

/// The objects met by the keys being computed on this thread.
struct Met {
    /// Addresses in order of first meeting; the innermost key's start at `base`.
    addrs: Vec<usize>,
    base: usize,
    /// Whether a key is being computed.
    active: bool,
}

thread_local! {
    /// Empty between keys; its capacity is kept, so computing a key allocates nothing once
    /// the thread has computed one meeting as many objects.
    static MET: RefCell<Met> = const {
        RefCell::new(Met { addrs: Vec::new(), base: 0, active: false })
    };
}

/// Restores the enclosing state when a key computation ends, even by unwinding.
struct Scope {
    base: usize,
    active: bool,
}

impl Drop for Scope {
    fn drop(&mut self) {
        MET.with(|m| {
            let mut m = m.borrow_mut();
            let start = m.base;
            m.addrs.truncate(start);
            m.base = self.base;
            m.active = self.active;
        });
    }
}

/// Runs `f`, which hashes one statement for its cache key, with a fresh record of the objects
/// met (a key computed inside another one, if any, has its own).
pub(crate) fn key_scope<R>(f: impl FnOnce() -> R) -> R {
    let scope = MET.with(|m| {
        let mut m = m.borrow_mut();
        let outer = Scope {
            base: m.base,
            active: m.active,
        };
        m.base = m.addrs.len();
        m.active = true;
        outer
    });
    let r = f();
    drop(scope);
    r
}

/// Hashes a shared node: while a key is computed, [`NEW`] and `content` on first meeting the
/// object at `addr`, [`SEEN`] and its number afterwards; otherwise `content` alone.
#[inline]
pub(crate) fn hash_shared<H: Hasher>(addr: usize, state: &mut H, content: impl FnOnce(&mut H)) {
    let seen = MET.with(|m| {
        let mut m = m.borrow_mut();
        if !m.active {
            return None;
        }
        let base = m.base;
        match m.addrs[base..].iter().position(|&a| a == addr) {
            Some(n) => Some(Some(n)),
            None => {
                m.addrs.push(addr);
                Some(None)
            }
        }
    });
    match seen {
        None => content(state),
        Some(Some(n)) => {
            state.write_u8(SEEN);
            state.write_usize(n);
        }
        Some(None) => {
            state.write_u8(NEW);
            content(state);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes(f: impl FnOnce(&mut Recorder)) -> Vec<u8> {
        let mut r = Recorder(Vec::new());
        f(&mut r);
        r.0
    }

    struct Recorder(Vec<u8>);
    impl Hasher for Recorder {
        fn write(&mut self, bytes: &[u8]) {
            self.0.extend_from_slice(bytes);
        }
        fn write_usize(&mut self, i: usize) {
            self.0.push(i as u8);
        }
        fn finish(&self) -> u64 {
            0
        }
    }

    #[test]
    fn objects_are_numbered_by_first_meeting_inside_a_key_only() {
        let meet = |h: &mut Recorder, addr: usize| hash_shared(addr, h, |h| h.write_u8(7));
        let in_key = key_scope(|| {
            bytes(|h| {
                meet(h, 500);
                meet(h, 300);
                meet(h, 500);
                meet(h, 300);
                // A key computed meanwhile numbers its own objects from 0.
                let inner = key_scope(|| bytes(|h| meet(h, 300)));
                assert_eq!(inner, [NEW, 7]);
                meet(h, 300);
            })
        });
        assert_eq!(in_key, [NEW, 7, NEW, 7, SEEN, 0, SEEN, 1, SEEN, 1]);
        // Outside a key: content alone, every time.
        assert_eq!(
            bytes(|h| {
                meet(h, 500);
                meet(h, 500);
            }),
            [7, 7]
        );
        // Nothing is left behind.
        assert_eq!(key_scope(|| bytes(|h| meet(h, 500))), [NEW, 7]);
        MET.with(|m| assert!(m.borrow().addrs.is_empty()));
    }
}
