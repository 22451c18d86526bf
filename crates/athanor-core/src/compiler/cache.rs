//! [`StatementCache`]: compiled SQL by statement shape (SQLAlchemy's compiled cache).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hash, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use super::{Compiled, SchemaTranslateMap, compile_translated};
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
    map: Mutex<HashMap<u128, Entry, BuildHasherDefault<DigestHasher>>>,
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
///
/// The shape's digest is memoized on SELECT, INSERT, UPDATE and DELETE statements (as
/// SQLAlchemy memoizes cache keys), so executing one statement again, with new values for its
/// `bindparam`s, does not walk its tree again.
///
/// # What the key covers
///
/// Two statements share a cached [`Compiled`](super::Compiled) exactly when their keys are
/// equal, so the key covers everything [`compile`](super::compile) reads while it renders, and everything the
/// value walk ([`statement_binds`](super::statement_binds)) reads to line a statement's values
/// up with the cached parameter slots. Checked, item by item, against `compiler/*.rs`, the
/// dialects' hooks and `sql/visit.rs`:
///
/// - **Dialect**: its [`cache_tag`](crate::dialect::Dialect::cache_tag) (the name, and the
///   server-version capabilities a dialect object carries, such as MariaDB's RETURNING). The
///   dialect decides quoting, reserved words, placeholders, type names in casts and empty IN
///   lists, and every `supports_*` flag the compiler consults.
/// - **Every node's kind and parts**, in order: operators, functions (name, DISTINCT, result
///   type), labels (ORDER BY and GROUP BY render a label of the same SELECT by name), literal
///   SQL, names, casts and `type_coerce` types, CASE, windows and frames, LIKE escapes,
///   DISTINCT / DISTINCT ON, FOR UPDATE options, set operators, join kinds and ON clauses,
///   conflict targets and actions, RETURNING lists, insert rows' column names (and, for a
///   multi-row insert, every row's), `text()` SQL and parameter names, `bindparam` names.
/// - **Value kinds, not values**: a bound value writes its kind (PostgreSQL casts a bare
///   value in a SELECT list by kind). LIMIT/OFFSET and IN lists are values; an IN list's length
///   is not in the key (it is expanded at execution).
/// - **Columns**: the name and the SQL type of every column reference (the compiler reads
///   the type for arithmetic between untyped operands, CASE results and empty IN lists), and
///   where it comes from, in full.
/// - **Tables**: a digest of the whole definition, taken when the table is built: name,
///   schema, and every column's name, type, primary-key flag, nullability, client-side
///   default (kind), server default, autoincrement, sequence and comment, then the keys,
///   constraints and indexes. The compiler reads the defaults (an INSERT sends the defaults of
///   the columns it doesn't give), the primary key and autoincrement setting (the column that
///   reports the inserted key; the column MySQL's `DO NOTHING` upsert names), the column
///   names (a GROUP BY label that is also a column name is grouped by its expression).
/// - **Aliases, subqueries, CTEs**: their content (an alias's name or anonymity, the query a
///   subquery or CTE holds, a CTE's recursion and column list) wherever a column refers to
///   them, not only where they stand in FROM.
/// - **Identity**: which occurrences are one shared object (SQLAlchemy's `anon_map`, see
///   `sql/identity.rs`). An anonymous alias is numbered per object; one alias, join or CTE
///   object in two places is one FROM item where two equal objects are two; the value walk
///   meets a shared alias or CTE once; and one IN list or subquery used twice through a clone
///   is one object whose values the cached slots may take twice. Each alias, CTE, join,
///   subquery and IN list writes its content the first time the key meets the object and its
///   number (in order of first meeting) afterwards.
///
/// Not in the key, because nothing that compiles or lines values up reads them: values
/// themselves (a table's default values included), IN list lengths, and the values given to
/// `text()` and `bindparam` parameters.
pub fn cache_key(stmt: StatementRef<'_>, dialect: &dyn Dialect) -> u128 {
    let digest = match stmt.memo() {
        Some(memo) => memo.digest(|| shape_digest(stmt)),
        None => shape_digest(stmt),
    };
    // An odd multiplier maps each dialect tag to its own 128-bit mask.
    digest ^ u128::from(dialect.cache_tag()).wrapping_mul(DIALECT_MIX)
}

const DIALECT_MIX: u128 = 0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c835;
/// As [`DIALECT_MIX`], for a schema translate map's digest.
const SCHEMA_MAP_MIX: u128 = 0xc2b2_ae3d_27d4_eb4f_1656_67b1_9e37_79f9;

/// The statement's shape, hashed.
pub(crate) fn shape_digest(stmt: StatementRef<'_>) -> u128 {
    crate::sql::identity::key_scope(|| {
        let mut h = KeyHasher::new();
        stmt.hash(&mut h);
        h.digest128()
    })
}

/// The digest of a small value, hashed as cache keys are (one xxh3 call over its bytes, rather
/// than xxh3's costlier streaming state): for digests kept in the tree, such as a column's.
pub(crate) fn key_digest<T: Hash + ?Sized>(v: &T) -> u128 {
    let mut h = KeyHasher::new();
    v.hash(&mut h);
    h.digest128()
}

/// Size of [`KeyHasher`]'s buffer: most statements' shapes fit, and are hashed in one call.
const KEY_BUFFER: usize = 512;

/// Feeds xxh3 in large chunks: a statement's `Hash` makes many writes of a few bytes each,
/// and xxh3's streaming update costs far more per call than copying those bytes into a
/// buffer (this halves the cost of a statement-cache lookup).
struct KeyHasher {
    buf: [u8; KEY_BUFFER],
    len: usize,
    stream: Option<xxhash_rust::xxh3::Xxh3>,
}

impl KeyHasher {
    #[inline(always)]
    fn new() -> Self {
        KeyHasher {
            buf: [0; KEY_BUFFER],
            len: 0,
            stream: None,
        }
    }

    /// By reference: moving the hasher (and its buffer) into a call costs a 512-byte copy.
    #[inline]
    fn digest128(&mut self) -> u128 {
        match self.stream.take() {
            None => xxhash_rust::xxh3::xxh3_128(&self.buf[..self.len]),
            Some(mut h) => {
                h.update(&self.buf[..self.len]);
                h.digest128()
            }
        }
    }
}

impl KeyHasher {
    /// Appends a fixed-size integer: no call to `memcpy` for a few bytes.
    #[inline(always)]
    fn fixed<const N: usize>(&mut self, bytes: [u8; N]) {
        if self.len + N <= KEY_BUFFER {
            self.buf[self.len..self.len + N].copy_from_slice(&bytes);
            self.len += N;
        } else {
            self.spill(&bytes);
        }
    }

    /// LEB128: seven bits per byte, the high bit set on all but the last.
    #[inline(always)]
    fn varint(&mut self, v: u64) {
        if v < 0x80 {
            self.fixed([v as u8]);
        } else {
            self.varint_long(v);
        }
    }

    #[cold]
    fn varint_long(&mut self, mut v: u64) {
        let mut out = [0u8; 10];
        let mut n = 0;
        while v >= 0x80 {
            out[n] = (v as u8) | 0x80;
            v >>= 7;
            n += 1;
        }
        out[n] = v as u8;
        std::hash::Hasher::write(self, &out[..=n]);
    }

    #[cold]
    fn spill(&mut self, bytes: &[u8]) {
        let h = self.stream.get_or_insert_with(xxhash_rust::xxh3::Xxh3::new);
        h.update(&self.buf[..self.len]);
        self.len = 0;
        if bytes.len() > KEY_BUFFER {
            h.update(bytes);
        } else {
            self.buf[..bytes.len()].copy_from_slice(bytes);
            self.len = bytes.len();
        }
    }
}

impl std::hash::Hasher for KeyHasher {
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.fixed(i.to_le_bytes());
    }
    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.fixed(i.to_le_bytes());
    }
    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.fixed(i.to_le_bytes());
    }
    #[inline]
    fn write_u128(&mut self, i: u128) {
        self.fixed(i.to_le_bytes());
    }
    // Lengths and enum discriminants are small: a prefix-free varint (one byte below 128)
    // keeps a statement's shape short, so fewer bytes are copied and hashed. Being
    // prefix-free, it keeps distinct shapes distinct, as the fixed-width encoding did.
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.varint(i as u64);
    }
    #[inline]
    fn write_isize(&mut self, i: isize) {
        self.varint(i as u64);
    }
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        if self.len + bytes.len() <= KEY_BUFFER {
            self.buf[self.len..self.len + bytes.len()].copy_from_slice(bytes);
            self.len += bytes.len();
        } else {
            self.spill(bytes);
        }
    }

    fn finish(&self) -> u64 {
        // Not used for cache keys (see `digest128`); a 64-bit view for completeness.
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        if let Some(s) = &self.stream {
            h = s.clone();
        }
        h.update(&self.buf[..self.len]);
        h.digest()
    }
}

/// Hashes the cache's keys, which are xxh3 digests already: their two halves folded, not a
/// second hash over them (SipHash over a `u128` cost more than the rest of a lookup).
#[derive(Default)]
struct DigestHasher(u64);

impl Hasher for DigestHasher {
    #[inline]
    fn write_u128(&mut self, i: u128) {
        self.0 ^= (i as u64) ^ ((i >> 64) as u64);
    }
    fn write(&mut self, bytes: &[u8]) {
        // Only `u128` keys reach this map; any other input is still hashed, not ignored.
        self.0 = xxhash_rust::xxh3::xxh3_64_with_seed(bytes, self.0);
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}

impl StatementCache {
    /// A cache holding up to `capacity` shapes (0 disables caching).
    pub fn new(capacity: usize) -> Self {
        StatementCache {
            map: Mutex::new(HashMap::default()),
            capacity,
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        }
    }

    /// The compiled shape for a statement, compiling it on a miss. The `Option` is when the
    /// entry was compiled, on a hit.
    ///
    /// # Errors
    /// As [`compile`](super::compile).
    pub fn get(
        &self,
        stmt: StatementRef<'_>,
        dialect: &dyn Dialect,
    ) -> Result<(Arc<Compiled>, Option<Instant>)> {
        self.get_translated(stmt, dialect, None)
    }

    /// As [`StatementCache::get`], schema names translated by `schema_map`: the map is part
    /// of the key, so a shape compiled under one map is never served under another (nor
    /// under none).
    ///
    /// ```
    /// use athanor_core::prelude::*;
    /// use athanor_core::compiler::{SchemaTranslateMap, StatementCache};
    /// use athanor_core::dialect::Sqlite;
    /// let md = MetaData::new();
    /// let t = Table::build("t", &md).schema("s").column(Column::new("x", Type::Integer)).finish()?;
    /// let stmt = select(t.c("x"));
    /// let cache = StatementCache::new(16);
    /// let one = SchemaTranslateMap::new().translate(Some("s"), Some("one"));
    /// let two = SchemaTranslateMap::new().translate(Some("s"), Some("two"));
    /// let sql = |map: Option<&SchemaTranslateMap>| -> athanor_core::Result<String> {
    ///     let (c, _) = cache.get_translated(stmt.statement(), &Sqlite, map)?;
    ///     Ok(c.static_sql().unwrap_or_default().to_string())
    /// };
    /// assert_eq!(sql(Some(&one))?, "SELECT one.t.x FROM one.t");
    /// assert_eq!(sql(Some(&two))?, "SELECT two.t.x FROM two.t");
    /// assert_eq!(sql(None)?, "SELECT s.t.x FROM s.t");
    /// assert_eq!(sql(Some(&one))?, "SELECT one.t.x FROM one.t"); // a hit, still `one`
    /// assert_eq!((cache.stats().hits, cache.stats().misses), (1, 3));
    /// # Ok::<(), athanor_core::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`compile`](super::compile).
    pub fn get_translated(
        &self,
        stmt: StatementRef<'_>,
        dialect: &dyn Dialect,
        schema_map: Option<&SchemaTranslateMap>,
    ) -> Result<(Arc<Compiled>, Option<Instant>)> {
        let schema_map = schema_map.filter(|m| !m.is_empty());
        if self.capacity == 0 || matches!(stmt, StatementRef::Ddl(_)) {
            self.misses.fetch_add(1, Ordering::Relaxed);
            return Ok((
                Arc::new(compile_translated(stmt, dialect, schema_map)?),
                None,
            ));
        }
        let mut key = cache_key(stmt, dialect);
        if let Some(m) = schema_map {
            key ^= m.digest().wrapping_mul(SCHEMA_MAP_MIX);
        }
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
        let compiled = Arc::new(compile_translated(stmt, dialect, schema_map)?);
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

#[cfg(test)]
mod tests {
    use std::hash::{BuildHasher, Hasher};

    use super::*;
    use crate::dialect::{Postgres, Sqlite};
    use crate::prelude::*;
    use crate::sql::Select;

    #[test]
    fn key_hasher_matches_one_shot_xxh3_across_the_buffer_boundary() {
        let data: Vec<u8> = (0..2000u32).map(|i| (i % 251) as u8).collect();
        for split in [1usize, 7, 300, 511, 512, 513, 1500] {
            let mut h = KeyHasher::new();
            for chunk in data.chunks(split) {
                h.write(chunk);
            }
            assert_eq!(
                h.digest128(),
                xxhash_rust::xxh3::xxh3_128(&data),
                "chunks of {split}"
            );
        }
    }

    #[test]
    fn map_hash_of_a_digest_uses_both_halves() {
        let hash = |k: u128| BuildHasherDefault::<DigestHasher>::default().hash_one(k);
        let low = 0x0123_4567_89ab_cdef_u128;
        assert_ne!(hash(low), hash(low | (1 << 100)));
        assert_ne!(hash(low), hash(low + 1));
        assert_eq!(hash(low), hash(low));
    }

    #[test]
    fn lengths_and_discriminants_are_prefix_free_varints() {
        let bytes = |v: usize| {
            let mut h = KeyHasher::new();
            h.write_usize(v);
            h.buf[..h.len].to_vec()
        };
        assert_eq!(bytes(0), [0]);
        assert_eq!(bytes(127), [127]);
        assert_eq!(bytes(128), [0x80, 1]);
        assert_eq!(bytes(300), [0xac, 2]);
        assert_eq!(bytes(usize::MAX).len(), 10);
        // No encoding is a prefix of another (checked over a range crossing the byte widths).
        let all: Vec<Vec<u8>> = (0..20_000).chain([usize::MAX]).map(bytes).collect();
        for (i, a) in all.iter().enumerate().step_by(97) {
            for (j, b) in all.iter().enumerate() {
                if i != j {
                    assert!(!b.starts_with(a), "{i} is a prefix of {j}");
                }
            }
        }
    }

    #[test]
    fn keys_follow_shape_not_values() {
        let a = select(column("x")).filter(column("x").gt(1));
        let b = select(column("x")).filter(column("x").gt(2));
        let c = select(column("x")).filter(column("x").lt(1));
        let k = |s: &crate::sql::Select| cache_key(s.statement(), &Sqlite);
        assert_eq!(k(&a), k(&b));
        assert_ne!(k(&a), k(&c));
        assert_ne!(k(&a), cache_key(a.statement(), &Postgres));
        // A shape larger than the buffer hashes the same way every time.
        let wide = (0..200).fold(select(column("x")), |s, i| {
            s.filter(column(&format!("c{i}")).eq(i))
        });
        assert_eq!(k(&wide), k(&wide.clone()));
    }

    #[test]
    fn multi_values_keys_follow_each_rows_names_and_kinds() {
        let t = users();
        let k = |rows: Vec<crate::sql::Values>| {
            let ins = t.insert().values_many(rows);
            // Rows naming other columns than the first do not compile; they key apart all the same.
            let sql = crate::compiler::compile(ins.statement(), &Sqlite)
                .ok()
                .and_then(|c| c.static_sql().map(str::to_string));
            (cache_key(ins.statement(), &Sqlite), sql)
        };
        let named = |i: i64, name: &str| row! { "id" => i, "name" => name };
        let base = k(vec![named(1, "a"), named(2, "b"), named(3, "c")]);
        // Other values of the same kinds: the same key.
        assert_eq!(
            base.0,
            k(vec![named(7, "x"), named(8, "y"), named(9, "z")]).0
        );
        // Names given as other strings with the same text: the same key.
        let (id, name) = (String::from("id"), String::from("name"));
        let owned = row! { id.as_str() => 2, name.as_str() => "b" };
        assert_eq!(base.0, k(vec![named(1, "a"), owned, named(3, "c")]).0);
        // Each of these compiles differently, and has its own key.
        let others = [
            vec![named(1, "a"), named(2, "b")],
            vec![
                named(1, "a"),
                row! { "name" => "b", "id" => 2 },
                named(3, "c"),
            ],
            vec![named(1, "a"), row! { "id" => 2 }, named(3, "c")],
            vec![
                named(1, "a"),
                row! { "id" => func::max(column("id")), "name" => "b" },
                named(3, "c"),
            ],
        ];
        let mut seen = vec![base.0];
        for rows in others {
            let (key, _) = k(rows);
            assert!(!seen.contains(&key));
            seen.push(key);
        }
        // A value of another kind in a later row keys apart, as in the first row.
        assert_ne!(
            base.0,
            k(vec![
                named(1, "a"),
                row! { "id" => 2, "name" => Value::Null },
                named(3, "c")
            ])
            .0
        );
        assert_eq!(
            base.1.as_deref(),
            Some("INSERT INTO users (id, name) VALUES (?, ?), (?, ?), (?, ?)")
        );
    }

    #[test]
    fn a_column_keys_by_its_type_as_the_compiler_reads_it() {
        use crate::schema::ColumnData;
        use crate::sql::ColumnRef;
        let t = users();
        let col = |ty: Type| {
            Expr::Column(ColumnRef {
                from: FromItem::Table(t.clone()),
                column: std::sync::Arc::new(ColumnData::synthetic("id", ty)),
            })
        };
        let stmt = |ty: Type| select(col(ty) + 1);
        let (typed, untyped) = (stmt(Type::Integer), stmt(Type::Null));
        // Arithmetic between operands of unknown type casts the value on PostgreSQL.
        let sql = |s: &Select| crate::compiler::compile(s.statement(), &Postgres).unwrap();
        assert_eq!(
            sql(&typed).static_sql(),
            Some("SELECT users.id + $1 AS anon_1 FROM users")
        );
        assert_eq!(
            sql(&untyped).static_sql(),
            Some("SELECT users.id + $1::BIGINT AS anon_1 FROM users")
        );
        let key = |s: &Select| cache_key(s.statement(), &Postgres);
        assert_ne!(key(&typed), key(&untyped));
        assert_eq!(key(&typed), key(&stmt(Type::Integer)));
    }

    fn users() -> Table {
        let md = MetaData::new();
        Table::build("users", &md)
            .column(Column::new("id", Type::Integer).primary_key())
            .column(Column::new("name", Type::Text))
            .finish()
            .unwrap()
    }

    #[test]
    fn a_select_of_a_whole_table_starts_with_its_key_known() {
        let t = users();
        let key = |s: StatementRef<'_>| cache_key(s, &Sqlite);
        let whole = select(&t);
        // Known when built (from the first `select(&t)`, kept in the table): no hashing now.
        let known = whole
            .memo()
            .digest(|| unreachable!("the key comes with the statement"));
        assert_eq!(known, shape_digest(whole.statement()));
        // The same key as the same statement built column by column, or from the table by value.
        let by_columns = select((t.c("id"), t.c("name")));
        assert_eq!(key(whole.statement()), key(by_columns.statement()));
        assert_eq!(
            key(select(t.clone()).statement()),
            key(by_columns.statement())
        );
        // Other columns, names or tables key apart.
        let md = MetaData::new();
        let posts = Table::build("users", &md)
            .column(Column::new("id", Type::Integer).primary_key())
            .column(Column::new("title", Type::Text))
            .finish()
            .unwrap();
        let others = [
            select(&posts),
            select(t.c("id")),
            select(t.c("name")),
            select((t.c("name"), t.c("id"))),
        ];
        let mut seen = vec![key(whole.statement())];
        for s in &others {
            let k = key(s.statement());
            assert!(!seen.contains(&k), "{s}");
            seen.push(k);
        }
        // A change forgets the key as on any statement.
        let filtered = select(&t).filter(t.c("id").eq(1));
        assert_eq!(
            key(filtered.statement()),
            key(by_columns.filter(t.c("id").eq(1)).statement())
        );
        assert_ne!(key(filtered.statement()), key(whole.statement()));
    }

    #[test]
    fn memoized_keys_are_forgotten_when_a_statement_changes() {
        let t = users();
        let key = |s: StatementRef<'_>| cache_key(s, &Sqlite);
        let base = select(&t).filter(t.c("id").eq(bindparam("id")));
        let first = key(base.statement());
        assert_eq!(key(base.statement()), first, "memoized");
        assert_eq!(
            key(base.clone().statement()),
            first,
            "a clone keeps the memo"
        );
        // Each change forgets the memo: the key is the one of the same statement built fresh.
        let changed: Vec<(Select, Select)> = vec![
            (
                base.clone().filter(t.c("name").eq("x")),
                select(&t)
                    .filter(t.c("id").eq(bindparam("id")))
                    .filter(t.c("name").eq("x")),
            ),
            (
                base.clone().order_by(t.c("name")),
                select(&t)
                    .filter(t.c("id").eq(bindparam("id")))
                    .order_by(t.c("name")),
            ),
            (
                base.clone().limit(3),
                select(&t).filter(t.c("id").eq(bindparam("id"))).limit(3),
            ),
            (
                base.clone().distinct(),
                select(&t).filter(t.c("id").eq(bindparam("id"))).distinct(),
            ),
            (
                base.clone().add_columns(t.c("id")),
                select(&t)
                    .filter(t.c("id").eq(bindparam("id")))
                    .add_columns(t.c("id")),
            ),
        ];
        for (i, (edited, fresh)) in changed.iter().enumerate() {
            assert_ne!(key(edited.statement()), first, "change {i}");
            assert_eq!(
                key(edited.statement()),
                key(fresh.statement()),
                "change {i}"
            );
        }
        // Dialects never share a key.
        assert_ne!(cache_key(base.statement(), &Postgres), first);

        let up = t.update().set("name", bindparam("n"));
        let k0 = key(up.statement());
        let up = up.filter(t.c("id").eq(1));
        assert_ne!(key(up.statement()), k0);
        assert_eq!(
            key(up.statement()),
            key(t
                .update()
                .set("name", bindparam("n"))
                .filter(t.c("id").eq(1))
                .statement())
        );
        let ins = t.insert().values(row! { "id" => 1 });
        let k1 = key(ins.statement());
        let ins = ins.values(row! { "id" => 2 });
        assert_ne!(
            key(ins.statement()),
            k1,
            "a second row makes a multi-VALUES shape"
        );
        let del = t.delete();
        let k2 = key(del.statement());
        assert_ne!(key(del.filter(t.c("id").eq(1)).statement()), k2);
    }
}
