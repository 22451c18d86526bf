//! The schema translate map (SQLAlchemy's `schema_translate_map` execution option): schema
//! names, `None` (no schema: the default one) included, rendered as other names when a
//! statement is compiled.

use super::key_digest;

/// Schema names to render as other names (SQLAlchemy's `schema_translate_map`): a table,
/// sequence or index whose schema is a key is written with the key's value instead; `None`
/// stands for "no schema" on either side (a key `None` qualifies the schema-less objects, a
/// value `None` writes the object unqualified, into the connection's default schema).
///
/// Give it to an engine or connection with `ExecutionOptions::schema_translate_map`
/// (crate `athanor`); the statement cache keys compiled statements on the map, so a statement
/// compiled under one map is never reused under another.
///
/// ```
/// use athanor_core::prelude::*;
/// use athanor_core::compiler::{SchemaTranslateMap, compile_translated};
/// use athanor_core::dialect::Postgres;
/// let md = MetaData::new();
/// let t = Table::build("t", &md)
///     .schema("tenant")
///     .column(Column::new("x", Type::Integer))
///     .finish()?;
/// let map = SchemaTranslateMap::new().translate(Some("tenant"), Some("tenant_42"));
/// let stmt = select(t.c("x")).filter(t.c("x").gt(1));
/// let c = compile_translated(stmt.statement(), &Postgres, Some(&map))?;
/// assert_eq!(c.static_sql(), Some("SELECT tenant_42.t.x FROM tenant_42.t WHERE tenant_42.t.x > $1"));
/// // `None` keys the objects without a schema.
/// let u = Table::build("u", &md).column(Column::new("y", Type::Integer)).finish()?;
/// let map = SchemaTranslateMap::new().translate(None, Some("other"));
/// let c = compile_translated(select(u.c("y")).statement(), &Postgres, Some(&map))?;
/// assert_eq!(c.static_sql(), Some("SELECT other.u.y FROM other.u"));
/// # Ok::<(), athanor_core::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SchemaTranslateMap {
    /// (from, to), sorted by `from`, one entry per `from`.
    entries: Vec<(Option<String>, Option<String>)>,
    digest: u128,
}

impl SchemaTranslateMap {
    /// An empty map (every schema renders as itself).
    pub fn new() -> Self {
        Self::default().rehash()
    }

    /// Renders schema `from` as `to` (`None`: no schema), replacing an earlier entry for `from`.
    pub fn translate(mut self, from: Option<&str>, to: Option<&str>) -> Self {
        let from = from.map(str::to_owned);
        let to = to.map(str::to_owned);
        match self.entries.binary_search_by(|(k, _)| k.cmp(&from)) {
            Ok(i) => self.entries[i].1 = to,
            Err(i) => self.entries.insert(i, (from, to)),
        }
        self.rehash()
    }

    fn rehash(mut self) -> Self {
        self.digest = key_digest(&self.entries);
        self
    }

    /// The schema an object whose own schema is `schema` renders with.
    ///
    /// ```
    /// use athanor_core::compiler::SchemaTranslateMap;
    /// let map = SchemaTranslateMap::new().translate(Some("a"), None).translate(None, Some("b"));
    /// assert_eq!(map.schema_for(Some("a")), None);
    /// assert_eq!(map.schema_for(None), Some("b"));
    /// assert_eq!(map.schema_for(Some("c")), Some("c"));
    /// ```
    pub fn schema_for<'s>(&'s self, schema: Option<&'s str>) -> Option<&'s str> {
        match self
            .entries
            .binary_search_by(|(k, _)| k.as_deref().cmp(&schema))
        {
            Ok(i) => self.entries[i].1.as_deref(),
            Err(_) => schema,
        }
    }

    /// Is the map empty?
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// A digest of the entries (for cache keys).
    pub(crate) fn digest(&self) -> u128 {
        self.digest
    }
}

impl<'k, 'v> FromIterator<(Option<&'k str>, Option<&'v str>)> for SchemaTranslateMap {
    fn from_iter<I: IntoIterator<Item = (Option<&'k str>, Option<&'v str>)>>(iter: I) -> Self {
        iter.into_iter()
            .fold(Self::new(), |m, (from, to)| m.translate(from, to))
    }
}

#[cfg(test)]
mod tests {
    use super::SchemaTranslateMap;

    #[test]
    fn equal_maps_have_equal_digests_whatever_the_order() {
        let a = SchemaTranslateMap::new()
            .translate(Some("x"), Some("y"))
            .translate(None, Some("z"));
        let b: SchemaTranslateMap = [(None, Some("z")), (Some("x"), Some("y"))]
            .into_iter()
            .collect();
        assert_eq!(a, b);
        assert_eq!(a.digest(), b.digest());
        let c = a.clone().translate(Some("x"), Some("w"));
        assert_ne!(a.digest(), c.digest());
        assert_ne!(SchemaTranslateMap::new().digest(), a.digest());
    }
}
