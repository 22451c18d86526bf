//! [`ExecutionOptions`]: options that apply to the statements an engine or a connection
//! executes (SQLAlchemy's `execution_options`), as opposed to how the engine connects
//! ([`EngineOptions`](crate::EngineOptions)).

use std::sync::Arc;

use athanor_core::compiler::SchemaTranslateMap;

use super::{Connection, Engine};

/// Options for the statements an engine or connection executes (SQLAlchemy's
/// `execution_options`): given to [`Engine::execution_options`], which returns an engine
/// sharing the pool and the statement cache with the first, or to
/// [`Connection::execution_options`], for that connection until it is dropped.
///
/// An option not set keeps the engine's or connection's value.
///
/// ```
/// use athanor::prelude::*;
/// use athanor::ExecutionOptions;
/// use athanor::compiler::SchemaTranslateMap;
/// let engine = create_engine("sqlite://")?;
/// let md = MetaData::new();
/// // Written against a placeholder schema, `tenant`...
/// let t = Table::build("t", &md)
///     .schema("tenant")
///     .column(Column::new("x", Type::Integer))
///     .finish()?;
/// // ... run in the default schema (`None`); on a server, `Some("tenant_1")` would be a real one.
/// let here = engine.execution_options(
///     ExecutionOptions::new()
///         .schema_translate_map(SchemaTranslateMap::new().translate(Some("tenant"), None)),
/// );
/// md.create_all(&here)?;
/// let mut conn = here.connect()?;
/// conn.execute_with(&t.insert(), &row! { "x" => 7 })?;
/// let x: i64 = conn.scalar(&select(t.c("x")))?;
/// assert_eq!(x, 7);
/// let n: i64 = engine.connect()?.scalar(&text("SELECT count(*) FROM main.t"))?;
/// assert_eq!(n, 1);
/// # Ok::<(), athanor::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct ExecutionOptions {
    pub(crate) schema_translate_map: Option<Arc<SchemaTranslateMap>>,
}

impl ExecutionOptions {
    /// No option set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Renders schema names as the map says when statements are compiled (SQLAlchemy's
    /// `schema_translate_map`): tables, sequences and indexes in SELECT, INSERT, UPDATE,
    /// DELETE and DDL. The compiled-statement cache keys on the map. An empty map turns
    /// translation off. Reflection ([`Inspector`](crate::Inspector)) is not translated: it
    /// takes schema names as given.
    pub fn schema_translate_map(mut self, map: SchemaTranslateMap) -> Self {
        self.schema_translate_map = Some(Arc::new(map));
        self
    }

    /// `self`, with the options `other` sets replacing ours.
    fn merged(&self, other: ExecutionOptions) -> Self {
        ExecutionOptions {
            schema_translate_map: other
                .schema_translate_map
                .or_else(|| self.schema_translate_map.clone()),
        }
    }

    /// The map statements compile under, if any.
    pub(crate) fn schema_map(&self) -> Option<&SchemaTranslateMap> {
        self.schema_translate_map
            .as_deref()
            .filter(|m| !m.is_empty())
    }
}

impl Engine {
    /// An engine sharing this one's pool, statement cache and settings, whose statements run
    /// with `options` (SQLAlchemy's `Engine.execution_options()`); see [`ExecutionOptions`].
    pub fn execution_options(&self, options: ExecutionOptions) -> Engine {
        Engine(self.0.clone(), self.1.merged(options))
    }

    /// This engine's [`ExecutionOptions`].
    pub fn get_execution_options(&self) -> &ExecutionOptions {
        &self.1
    }
}

impl Connection {
    /// Sets [`ExecutionOptions`] for the statements this connection runs from now on
    /// (SQLAlchemy's `Connection.execution_options()`); the engine and its other
    /// connections keep theirs.
    ///
    /// ```
    /// use athanor::prelude::*;
    /// use athanor::ExecutionOptions;
    /// use athanor::compiler::SchemaTranslateMap;
    /// let engine = create_engine("sqlite://")?;
    /// let md = MetaData::new();
    /// let t = Table::build("t", &md).schema("x").column(Column::new("a", Type::Integer)).finish()?;
    /// let mut conn = engine.connect()?;
    /// conn.execute(&text("CREATE TABLE t (a INTEGER)"))?;
    /// // `x.t` is `main.t` on this connection.
    /// conn.execution_options(ExecutionOptions::new()
    ///     .schema_translate_map(SchemaTranslateMap::new().translate(Some("x"), None)));
    /// conn.execute_with(&t.insert(), &row! { "a" => 1 })?;
    /// assert_eq!(conn.scalar::<i64, _>(&select(t.c("a")))?, 1);
    /// # Ok::<(), athanor::Error>(())
    /// ```
    pub fn execution_options(&mut self, options: ExecutionOptions) -> &mut Self {
        self.engine = self.engine.execution_options(options);
        self
    }
}
