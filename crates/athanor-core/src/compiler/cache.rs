//! [`StatementCache`]: compiled SQL by statement shape (SQLAlchemy's compiled cache).

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use super::{Compiled, compile};
use crate::dialect::Dialect;
use crate::error::Result;
use crate::sql::StatementRef;

/// Counters of a [`StatementCache`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CacheStats {
    /// Lookups that found a compiled shape.
    pub hits: u64,
    /// Lookups that compiled.
    pub misses: u64,
    /// Shapes held now.
    pub size: usize,
}

struct Entry {
    compiled: Arc<Compiled>,
    created: Instant,
}

/// Compiled statements keyed by the statement's structure (never its values) and dialect.
///
/// Two statements that differ only in their values share one entry, so re-executing a
/// statement with new parameters never recompiles it.
///
/// ```
/// use athanor_core::prelude::*;
/// use athanor_core::compiler::StatementCache;
/// use athanor_core::dialect::Sqlite;
/// let cache = StatementCache::new(100);
/// for age in [20, 30, 40] {
///     let stmt = select(column("name")).filter(column("age").gt(age));
///     let (compiled, _since) = cache.get(stmt.statement(), &Sqlite)?;
///     assert_eq!(compiled.static_sql(), Some("SELECT name WHERE age > ?"));
/// }
/// let stats = cache.stats();
/// assert_eq!((stats.hits, stats.misses, stats.size), (2, 1, 1));
/// # Ok::<(), athanor_core::Error>(())
/// ```
pub struct StatementCache {
    map: Mutex<HashMap<u128, Entry>>,
    capacity: usize,
    hits: AtomicU64,
    misses: AtomicU64,
}

impl std::fmt::Debug for StatementCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StatementCache")
            .field("stats", &self.stats())
            .finish()
    }
}

/// A 128-bit hash of a statement's shape for a dialect.
pub fn cache_key(stmt: StatementRef<'_>, dialect: &dyn Dialect) -> u128 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    dialect.cache_tag().hash(&mut h);
    stmt.hash(&mut h);
    h.digest128()
}

impl StatementCache {
    /// A cache holding up to `capacity` shapes (0 disables caching).
    pub fn new(capacity: usize) -> Self {
        StatementCache {
            map: Mutex::new(HashMap::new()),
            capacity,
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        }
    }

    /// The compiled shape for a statement, compiling it on a miss. The `Option` is when the
    /// entry was compiled, on a hit.
    ///
    /// # Errors
    /// As [`compile`].
    pub fn get(
        &self,
        stmt: StatementRef<'_>,
        dialect: &dyn Dialect,
    ) -> Result<(Arc<Compiled>, Option<Instant>)> {
        if self.capacity == 0 || matches!(stmt, StatementRef::Ddl(_)) {
            self.misses.fetch_add(1, Ordering::Relaxed);
            return Ok((Arc::new(compile(stmt, dialect)?), None));
        }
        let key = cache_key(stmt, dialect);
        {
            let map = self
                .map
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if let Some(e) = map.get(&key) {
                self.hits.fetch_add(1, Ordering::Relaxed);
                return Ok((e.compiled.clone(), Some(e.created)));
            }
        }
        self.misses.fetch_add(1, Ordering::Relaxed);
        let compiled = Arc::new(compile(stmt, dialect)?);
        if compiled.cacheable {
            let mut map = self
                .map
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if map.len() >= self.capacity {
                map.clear();
            }
            map.insert(
                key,
                Entry {
                    compiled: compiled.clone(),
                    created: Instant::now(),
                },
            );
        }
        Ok((compiled, None))
    }

    /// Hit/miss counters and size.
    pub fn stats(&self) -> CacheStats {
        CacheStats {
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
            size: self.map.lock().map(|m| m.len()).unwrap_or(0),
        }
    }

    /// Empties the cache.
    pub fn clear(&self) {
        if let Ok(mut m) = self.map.lock() {
            m.clear();
        }
    }
}

impl Default for StatementCache {
    fn default() -> Self {
        StatementCache::new(500)
    }
}
