//! The connection's prepared statements, by SQL text.
//!
//! Looking a statement up costs one hash of its SQL (xxh3) and one comparison of the text;
//! nothing moves on a hit. When the cache is full, one statement is finalized to make room.

use std::collections::HashMap;
use std::collections::hash_map::Entry as MapEntry;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::{Deref, DerefMut};
use std::ptr::NonNull;

use rusqlite::ffi;

use super::statement::Statement;
use crate::Result;

/// How many statements a connection keeps prepared.
pub(crate) const CAPACITY: usize = 256;

/// Prepared statements keyed by a 64-bit digest of their SQL; each keeps its text, so a
/// digest shared by two texts is noticed (the second runs uncached).
pub(crate) struct Statements {
    map: HashMap<u64, Entry, BuildHasherDefault<DigestHasher>>,
}

struct Entry {
    sql: Box<str>,
    stmt: Statement,
}

/// A statement to run: the cache's own, or (on a digest collision) one prepared for this
/// execution only.
pub(crate) enum Prepared<'a> {
    Cached(&'a mut Statement),
    Once(Statement),
}

impl Deref for Prepared<'_> {
    type Target = Statement;
    fn deref(&self) -> &Statement {
        match self {
            Prepared::Cached(s) => s,
            Prepared::Once(s) => s,
        }
    }
}

impl DerefMut for Prepared<'_> {
    fn deref_mut(&mut self) -> &mut Statement {
        match self {
            Prepared::Cached(s) => s,
            Prepared::Once(s) => s,
        }
    }
}

impl Statements {
    pub(crate) fn new() -> Statements {
        Statements {
            map: HashMap::default(),
        }
    }

    /// The prepared statement for `sql` on `db`, prepared now if it is not cached; `None` when
    /// the text holds no statement.
    pub(crate) fn get(
        &mut self,
        db: NonNull<ffi::sqlite3>,
        sql: &str,
    ) -> Result<Option<Prepared<'_>>> {
        let key = xxhash_rust::xxh3::xxh3_64(sql.as_bytes());
        if self.map.len() >= CAPACITY
            && !self.map.contains_key(&key)
            && let Some(&old) = self.map.keys().next()
        {
            self.map.remove(&old);
        }
        match self.map.entry(key) {
            MapEntry::Occupied(o) => {
                let e = o.into_mut();
                if *e.sql == *sql {
                    Ok(Some(Prepared::Cached(&mut e.stmt)))
                } else {
                    Ok(Statement::prepare(db, sql)?.map(Prepared::Once))
                }
            }
            MapEntry::Vacant(v) => {
                let Some(stmt) = Statement::prepare(db, sql)? else {
                    return Ok(None);
                };
                let e = v.insert(Entry {
                    sql: sql.into(),
                    stmt,
                });
                Ok(Some(Prepared::Cached(&mut e.stmt)))
            }
        }
    }

    /// Finalizes every statement.
    pub(crate) fn clear(&mut self) {
        self.map.clear();
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.map.len()
    }

    /// Files `other`'s statement under `sql`'s digest, as a digest collision would.
    #[cfg(test)]
    pub(crate) fn plant_collision(
        &mut self,
        db: NonNull<ffi::sqlite3>,
        sql: &str,
        other: &str,
    ) -> Result<()> {
        let stmt = Statement::prepare(db, other)?.ok_or_else(|| crate::Error::argument("empty"))?;
        self.map.insert(
            xxhash_rust::xxh3::xxh3_64(sql.as_bytes()),
            Entry {
                sql: other.into(),
                stmt,
            },
        );
        Ok(())
    }
}

/// Uses the key itself (already a digest) as its hash.
#[derive(Default)]
pub(crate) struct DigestHasher(u64);

impl Hasher for DigestHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}
