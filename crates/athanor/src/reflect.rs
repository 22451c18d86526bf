//! Reflection: [`Inspector`] (SQLAlchemy's `inspect(engine)`), table autoload and
//! `MetaData::reflect`.

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;

pub use athanor_core::dialect::reflection::{ObjectKind, ObjectScope};
use athanor_core::dialect::reflection::{
    ReflectedCheck, ReflectedColumn, ReflectedForeignKey, ReflectedIndex, ReflectedPrimaryKey,
    ReflectedTable, ReflectedUnique,
};
use athanor_core::schema::{
    CheckConstraint, Column, ForeignKeyConstraint, Index, IndexKey, MetaData, PrimaryKeyConstraint,
    ServerDefault, Table, UniqueConstraint,
};
use athanor_core::sql::TextClause;

use crate::{Connection, Engine, Result, Value};

/// Reads a database's structure (SQLAlchemy's `Inspector`). What it reads is cached for the
/// inspector's life, as SQLAlchemy's `info_cache` does: tables, the answers of
/// [`has_table`](Inspector::has_table) and [`has_index`](Inspector::has_index), the schema
/// names; call [`clear_cache`](Inspector::clear_cache) or make a new one to see changes.
///
/// ```
/// use athanor::prelude::*;
/// let engine = create_engine("sqlite://")?;
/// engine.connect()?.execute(&text(
///     "CREATE TABLE parent (id INTEGER PRIMARY KEY, name VARCHAR(20) NOT NULL UNIQUE)"))?;
/// engine.connect()?.execute(&text(
///     "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent (id) ON DELETE CASCADE)"))?;
/// let insp = engine.inspect();
/// assert_eq!(insp.get_table_names(None)?, ["child", "parent"]);
/// let cols = insp.get_columns("parent", None)?;
/// assert_eq!((cols[1].name.as_str(), cols[1].type_text().as_str(), cols[1].nullable), ("name", "VARCHAR(20)", false));
/// let fk = &insp.get_foreign_keys("child", None)?[0];
/// assert_eq!((fk.referred_table.as_str(), fk.on_delete.as_deref()), ("parent", Some("CASCADE")));
/// assert!(insp.get_table_names(None)?.contains(&"parent".to_string()));
/// assert!(matches!(insp.get_columns("nope", None), Err(Error::NoSuchTable { .. })));
/// # Ok::<(), athanor::Error>(())
/// ```
pub struct Inspector {
    engine: Engine,
    /// The connection it reads through ([`Connection::into_inspector`]); `None`: a pooled
    /// connection per question.
    conn: Option<Mutex<Connection>>,
    cache: Mutex<HashMap<(Option<String>, String), ReflectedTable>>,
    sequences: Mutex<HashMap<Option<String>, Vec<String>>>,
    batches: Mutex<HashMap<BatchKey, Vec<ReflectedTable>>>,
    answers: Mutex<HashMap<Question, bool>>,
    schemas: Mutex<Option<Vec<String>>>,
}

/// A yes/no question an [`Inspector`] memoises: does this table (in this schema), this index
/// of this table exist?
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Question {
    Table(Option<String>, String),
    Index(Option<String>, String, String),
}

type BatchKey = (Option<String>, Option<Vec<String>>, ObjectKind, ObjectScope);

/// A table's key in the maps the `get_multi_*` methods return: its schema as asked (`None`
/// for the default schema) and its name, as in SQLAlchemy.
pub type TableKey = (Option<String>, String);

/// What the `get_multi_*` methods of [`Inspector`] reflect (SQLAlchemy's `schema`,
/// `filter_names`, `kind` and `scope` arguments): by default every table of the default
/// schema.
///
/// ```
/// use athanor::prelude::*;
/// use athanor::reflect::{ObjectKind, ReflectOptions};
/// let engine = create_engine("sqlite://")?;
/// engine.connect()?.execute(&text("CREATE TABLE a (id INTEGER PRIMARY KEY, x INT)"))?;
/// engine.connect()?.execute(&text("CREATE TABLE b (id INTEGER PRIMARY KEY)"))?;
/// engine.connect()?.execute(&text("CREATE VIEW v AS SELECT x FROM a"))?;
/// let insp = engine.inspect();
/// let cols = insp.get_multi_columns(&ReflectOptions::new())?;
/// assert_eq!(cols.keys().map(|(_, t)| t.as_str()).collect::<Vec<_>>(), ["a", "b"]);
/// let only_a = ReflectOptions::new().filter_names(["a", "nope"]);
/// assert_eq!(insp.get_multi_columns(&only_a)?[&(None, "a".to_string())].len(), 2);
/// let views = ReflectOptions::new().kind(ObjectKind::VIEW);
/// assert_eq!(insp.get_multi_columns(&views)?.len(), 1);
/// # Ok::<(), athanor::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReflectOptions {
    schema: Option<String>,
    filter_names: Option<Vec<String>>,
    kind: ObjectKind,
    scope: ObjectScope,
    resolve_fks: Option<bool>,
}

impl ReflectOptions {
    /// Every table of the default schema.
    pub fn new() -> Self {
        Self::default()
    }
    /// In this schema (PostgreSQL schema, MySQL database, SQLite attached database).
    pub fn schema(mut self, schema: impl Into<String>) -> Self {
        self.schema = Some(schema.into());
        self
    }
    /// Only the objects with these names (names that don't exist are left out).
    pub fn filter_names<I, S>(mut self, names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.filter_names = Some(names.into_iter().map(Into::into).collect());
        self
    }
    /// Tables, views, materialized views, or a union of them (`ObjectKind::TABLE |
    /// ObjectKind::VIEW`); tables by default.
    pub fn kind(mut self, kind: ObjectKind) -> Self {
        self.kind = kind;
        self
    }
    /// Permanent objects, temporary ones, or both: see [`ObjectScope`].
    pub fn scope(mut self, scope: ObjectScope) -> Self {
        self.scope = scope;
        self
    }
    /// For [`MetaDataExt::reflect_with`](crate::MetaDataExt::reflect_with): also load the
    /// tables the foreign keys refer to (the default, as SQLAlchemy's `resolve_fks=True`), or
    /// not.
    pub fn resolve_fks(mut self, resolve: bool) -> Self {
        self.resolve_fks = Some(resolve);
        self
    }
}

impl std::fmt::Debug for Inspector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Inspector({:?})", self.engine)
    }
}

impl Engine {
    /// An [`Inspector`] on this engine: each question runs on a connection from the pool.
    /// To see one connection's temporary tables, inspect through it:
    /// [`Connection::into_inspector`].
    pub fn inspect(&self) -> Inspector {
        Inspector::new(self.clone(), None)
    }
}

impl Connection {
    /// An [`Inspector`] that reads through this connection (SQLAlchemy's
    /// `inspect(connection)`): it sees what only this connection sees, its temporary tables
    /// and views and its open transaction's work. [`Inspector::into_connection`] gives the
    /// connection back.
    ///
    /// ```
    /// use athanor::prelude::*;
    /// use athanor::sql::Ddl;
    /// let engine = create_engine("sqlite://")?;
    /// let md = MetaData::new();
    /// let scratch = Table::build("scratch", &md)
    ///     .column(Column::new("id", Type::Integer).primary_key())
    ///     .prefixes(["TEMPORARY"])
    ///     .finish()?;
    /// let mut conn = engine.connect()?;
    /// conn.execute(&Ddl::CreateTable(scratch))?;
    /// let insp = conn.into_inspector();
    /// assert_eq!(insp.get_temp_table_names()?, ["scratch"]);
    /// assert!(insp.get_table_names(None)?.is_empty(), "not a table of the schema");
    /// assert_eq!(insp.get_columns("scratch", None)?[0].name, "id");
    /// let conn = insp.into_connection().expect("made from a connection");
    /// # drop(conn);
    /// # Ok::<(), athanor::Error>(())
    /// ```
    pub fn into_inspector(self) -> Inspector {
        let engine = self.engine().clone();
        Inspector::new(engine, Some(Mutex::new(self)))
    }
}

impl Inspector {
    fn new(engine: Engine, conn: Option<Mutex<Connection>>) -> Inspector {
        Inspector {
            engine,
            conn,
            cache: Mutex::new(HashMap::new()),
            sequences: Mutex::new(HashMap::new()),
            batches: Mutex::new(HashMap::new()),
            answers: Mutex::new(HashMap::new()),
            schemas: Mutex::new(None),
        }
    }

    /// Runs `f` on the inspector's connection, or on one from the pool.
    fn with_conn<T>(&self, f: impl FnOnce(&mut Connection) -> Result<T>) -> Result<T> {
        match &self.conn {
            Some(m) => f(&mut m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)),
            None => f(&mut self.engine.connect()?),
        }
    }

    /// The catalog-query callback the dialect's reflection runs its queries through.
    fn exec(&self) -> impl FnMut(&TextClause) -> Result<Vec<Vec<Value>>> + '_ {
        move |q: &TextClause| {
            self.with_conn(|conn| {
                Ok(conn
                    .execute(q)?
                    .all()?
                    .into_iter()
                    .map(crate::Row::into_values)
                    .collect())
            })
        }
    }

    /// The engine inspected.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// The connection this inspector read through, back ([`Connection::into_inspector`]);
    /// `None` for an inspector made by [`Engine::inspect`].
    pub fn into_connection(self) -> Option<Connection> {
        self.conn.map(|m| {
            m.into_inner()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
        })
    }

    /// The names of the temporary tables of the connection inspected through, sorted
    /// (SQLAlchemy's `get_temp_table_names`): SQLite and PostgreSQL. Example at
    /// [`Connection::into_inspector`].
    ///
    /// # Errors
    /// [`Error::Compile`](crate::Error::Compile) (unsupported) on MySQL, which can't list
    /// them (as SQLAlchemy's `NotImplementedError`); the database's error.
    pub fn get_temp_table_names(&self) -> Result<Vec<String>> {
        self.engine
            .dialect()
            .reflect_temp_names(&mut self.exec(), false)
    }

    /// The names of the temporary views of the connection inspected through, sorted
    /// (SQLAlchemy's `get_temp_view_names`): SQLite and PostgreSQL.
    ///
    /// # Errors
    /// As [`Inspector::get_temp_table_names`].
    pub fn get_temp_view_names(&self) -> Result<Vec<String>> {
        self.engine
            .dialect()
            .reflect_temp_names(&mut self.exec(), true)
    }

    /// The table's options (SQLAlchemy's `get_table_options`): on MySQL `mysql_engine`,
    /// `mysql_default charset`, `mysql_collate`, `mysql_comment` and each option given at
    /// CREATE (`mysql_row_format`, ...); on PostgreSQL `postgresql_with` (the storage
    /// parameters, `fillfactor=50,autovacuum_enabled=false`) and `postgresql_tablespace`
    /// when set; empty for a view.
    ///
    /// ```
    /// use athanor::prelude::*;
    /// let engine = create_engine("sqlite://")?;
    /// engine.connect()?.execute(&text("CREATE TABLE t (x INT)"))?;
    /// // SQLite has no table options: as SQLAlchemy's NotImplementedError.
    /// assert!(matches!(engine.inspect().get_table_options("t", None), Err(Error::Compile(_))));
    /// # Ok::<(), athanor::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Compile`](crate::Error::Compile) (unsupported) on SQLite; as
    /// [`Inspector::reflect_table`].
    pub fn get_table_options(
        &self,
        name: &str,
        schema: Option<&str>,
    ) -> Result<BTreeMap<String, String>> {
        self.table_options_supported()?;
        Ok(self.reflect_table(name, schema)?.options)
    }

    /// The options of every object `options` names (as [`Inspector::get_table_options`]).
    ///
    /// # Errors
    /// As [`Inspector::get_table_options`].
    pub fn get_multi_table_options(
        &self,
        options: &ReflectOptions,
    ) -> Result<BTreeMap<TableKey, BTreeMap<String, String>>> {
        self.table_options_supported()?;
        self.multi(options, |t| t.options)
    }

    fn table_options_supported(&self) -> Result<()> {
        let d = self.engine.dialect();
        if d.reflects_table_options() {
            Ok(())
        } else {
            Err(athanor_core::error::CompileError::Unsupported {
                dialect: d.name(),
                construct: "table options reflection".into(),
            }
            .into())
        }
    }

    /// Table names in a schema (the default schema for `None`), sorted.
    ///
    /// # Errors
    /// The database's error.
    pub fn get_table_names(&self, schema: Option<&str>) -> Result<Vec<String>> {
        let mut exec = self.exec();
        self.engine
            .dialect()
            .reflect_table_names(&mut exec, schema, false)
    }

    /// View names in a schema, sorted.
    ///
    /// # Errors
    /// The database's error.
    pub fn get_view_names(&self, schema: Option<&str>) -> Result<Vec<String>> {
        let mut exec = self.exec();
        self.engine
            .dialect()
            .reflect_table_names(&mut exec, schema, true)
    }

    /// The names of the sequences in a schema (the default one for `None`), sorted
    /// (SQLAlchemy's `Inspector.get_sequence_names`); none on a database without sequences
    /// (SQLite, MySQL). Cached per schema until [`Inspector::clear_cache`].
    ///
    /// ```
    /// use athanor::prelude::*;
    /// let engine = create_engine("sqlite://")?;
    /// assert!(engine.inspect().get_sequence_names(None)?.is_empty());
    /// # Ok::<(), athanor::Error>(())
    /// ```
    ///
    /// # Errors
    /// The database's error.
    pub fn get_sequence_names(&self, schema: Option<&str>) -> Result<Vec<String>> {
        let key = schema.map(str::to_string);
        if let Some(names) = self
            .sequences
            .lock()
            .ok()
            .and_then(|c| c.get(&key).cloned())
        {
            return Ok(names);
        }
        let mut exec = self.exec();
        let names = self
            .engine
            .dialect()
            .reflect_sequence_names(&mut exec, schema)?;
        if let Ok(mut c) = self.sequences.lock() {
            c.insert(key, names.clone());
        }
        Ok(names)
    }

    /// Does the sequence exist in the schema (the default one for `None`)? (SQLAlchemy's
    /// `Inspector.has_sequence`.) Another kind of object of that name is not a sequence.
    /// Answers from the same cache as [`Inspector::get_sequence_names`].
    ///
    /// # Errors
    /// The database's error.
    pub fn has_sequence(&self, name: &str, schema: Option<&str>) -> Result<bool> {
        Ok(self.get_sequence_names(schema)?.iter().any(|n| n == name))
    }

    /// Forgets what this inspector has read, so the next question reads the database again
    /// (SQLAlchemy's `Inspector.clear_cache`).
    ///
    /// ```
    /// use athanor::prelude::*;
    /// let engine = create_engine("sqlite://")?;
    /// let insp = engine.inspect();
    /// engine.connect()?.execute(&text("CREATE TABLE t (x INTEGER)"))?;
    /// assert_eq!(insp.get_columns("t", None)?.len(), 1);
    /// engine.connect()?.execute(&text("ALTER TABLE t ADD COLUMN y INTEGER"))?;
    /// assert_eq!(insp.get_columns("t", None)?.len(), 1, "cached");
    /// insp.clear_cache();
    /// assert_eq!(insp.get_columns("t", None)?.len(), 2);
    /// # Ok::<(), athanor::Error>(())
    /// ```
    pub fn clear_cache(&self) {
        if let Ok(mut c) = self.cache.lock() {
            c.clear();
        }
        if let Ok(mut c) = self.sequences.lock() {
            c.clear();
        }
        if let Ok(mut b) = self.batches.lock() {
            b.clear();
        }
        if let Ok(mut a) = self.answers.lock() {
            a.clear();
        }
        if let Ok(mut s) = self.schemas.lock() {
            *s = None;
        }
    }

    /// The memoised answer to `q`, or `ask`'s, kept.
    fn memo(&self, q: Question, ask: impl FnOnce() -> Result<bool>) -> Result<bool> {
        if let Some(a) = self.answers.lock().ok().and_then(|c| c.get(&q).copied()) {
            return Ok(a);
        }
        let a = ask()?;
        if let Ok(mut c) = self.answers.lock() {
            c.insert(q, a);
        }
        Ok(a)
    }

    /// Does the table (or view) exist? The answer is memoised until
    /// [`Inspector::clear_cache`], as SQLAlchemy's is: a table created after the question is
    /// not seen by this inspector before that.
    ///
    /// ```
    /// use athanor::prelude::*;
    /// let engine = create_engine("sqlite://")?;
    /// let insp = engine.inspect();
    /// assert!(!insp.has_table("t", None)?);
    /// engine.connect()?.execute(&text("CREATE TABLE t (x INTEGER)"))?;
    /// assert!(!insp.has_table("t", None)?, "memoised");
    /// insp.clear_cache();
    /// assert!(insp.has_table("t", None)?);
    /// # Ok::<(), athanor::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Argument`](crate::Error::Argument) for a name longer than the dialect allows
    /// or holding a NUL (see [`athanor_core::dialect::identifiers`]); the database's error.
    pub fn has_table(&self, name: &str, schema: Option<&str>) -> Result<bool> {
        let q = Question::Table(schema.map(str::to_string), name.to_string());
        self.memo(q, || {
            self.with_conn(|conn| crate::create_drop::has_table(conn, name, schema))
        })
    }

    /// Which of `names` name a table (or view) in the schema (the default one for `None`), by
    /// `(schema as asked, name)` (SQLAlchemy 2.1's `Inspector.has_multi_table`): one query for
    /// all the names. Not memoised (as in SQLAlchemy): it always reads the database.
    ///
    /// ```
    /// use athanor::prelude::*;
    /// let engine = create_engine("sqlite://")?;
    /// engine.connect()?.execute(&text("CREATE TABLE t (x INTEGER)"))?;
    /// let found = engine.inspect().has_multi_table(&["t", "nope"], None)?;
    /// assert!(found[&(None, "t".to_string())]);
    /// assert!(!found[&(None, "nope".to_string())]);
    /// # Ok::<(), athanor::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`Inspector::has_table`], for any of the names.
    pub fn has_multi_table(
        &self,
        names: &[&str],
        schema: Option<&str>,
    ) -> Result<BTreeMap<TableKey, bool>> {
        let dialect = self.engine.dialect();
        if let Some(s) = schema {
            dialect.check_identifier(s, true)?;
        }
        for n in names {
            dialect.check_identifier(n, true)?;
        }
        let mut found = std::collections::HashSet::new();
        if !names.is_empty() {
            // Chunks, so a long list stays under the dialect's limit of bound parameters.
            for chunk in names.chunks(dialect.max_params().saturating_sub(1).max(1)) {
                let q = dialect.has_tables_query(chunk, schema);
                let rows: Vec<String> = self.with_conn(|conn| conn.scalars(&q))?;
                found.extend(rows);
            }
        }
        Ok(names
            .iter()
            .map(|n| {
                let key = (schema.map(str::to_string), (*n).to_string());
                (key, found.contains(*n))
            })
            .collect())
    }

    /// Everything about a table.
    ///
    /// # Errors
    /// [`Error::NoSuchTable`](crate::Error::NoSuchTable); the database's error.
    pub fn reflect_table(&self, name: &str, schema: Option<&str>) -> Result<ReflectedTable> {
        let key = (schema.map(str::to_string), name.to_string());
        if let Some(t) = self.cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
            return Ok(t);
        }
        let mut exec = self.exec();
        let t = self
            .engine
            .dialect()
            .reflect_table(&mut exec, name, schema)?;
        if let Ok(mut c) = self.cache.lock() {
            c.insert(key, t.clone());
        }
        Ok(t)
    }

    /// The table's comment, `None` when it has none (SQLAlchemy's `get_table_comment`, whose
    /// `{"text": ...}` this is). SQLite keeps no comments: always `None` there.
    ///
    /// ```
    /// use athanor::prelude::*;
    /// let engine = create_engine("sqlite://")?;
    /// let md = MetaData::new();
    /// let t = Table::build("t", &md).column(Column::new("x", Type::Integer)).finish()?;
    /// md.create_all(&engine)?;
    /// assert_eq!(engine.inspect().get_table_comment("t", None)?, None);
    /// # Ok::<(), athanor::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`Inspector::reflect_table`].
    pub fn get_table_comment(&self, name: &str, schema: Option<&str>) -> Result<Option<String>> {
        Ok(self.reflect_table(name, schema)?.comment)
    }

    /// The table's columns.
    ///
    /// # Errors
    /// As [`Inspector::reflect_table`].
    pub fn get_columns(&self, name: &str, schema: Option<&str>) -> Result<Vec<ReflectedColumn>> {
        Ok(self.reflect_table(name, schema)?.columns)
    }
    /// The primary key.
    ///
    /// # Errors
    /// As [`Inspector::reflect_table`].
    pub fn get_pk_constraint(
        &self,
        name: &str,
        schema: Option<&str>,
    ) -> Result<ReflectedPrimaryKey> {
        Ok(self.reflect_table(name, schema)?.primary_key)
    }
    /// The foreign keys.
    ///
    /// # Errors
    /// As [`Inspector::reflect_table`].
    pub fn get_foreign_keys(
        &self,
        name: &str,
        schema: Option<&str>,
    ) -> Result<Vec<ReflectedForeignKey>> {
        Ok(self.reflect_table(name, schema)?.foreign_keys)
    }
    /// The indexes (not those backing primary keys or unique constraints).
    ///
    /// # Errors
    /// As [`Inspector::reflect_table`].
    pub fn get_indexes(&self, name: &str, schema: Option<&str>) -> Result<Vec<ReflectedIndex>> {
        Ok(self.reflect_table(name, schema)?.indexes)
    }
    /// The unique constraints.
    ///
    /// # Errors
    /// As [`Inspector::reflect_table`].
    pub fn get_unique_constraints(
        &self,
        name: &str,
        schema: Option<&str>,
    ) -> Result<Vec<ReflectedUnique>> {
        Ok(self.reflect_table(name, schema)?.unique_constraints)
    }
    /// The check constraints.
    ///
    /// # Errors
    /// As [`Inspector::reflect_table`].
    pub fn get_check_constraints(
        &self,
        name: &str,
        schema: Option<&str>,
    ) -> Result<Vec<ReflectedCheck>> {
        Ok(self.reflect_table(name, schema)?.check_constraints)
    }
}

impl Inspector {
    /// The schema unqualified names are in: `main` on SQLite, `current_schema()` on
    /// PostgreSQL, `database()` on MySQL.
    ///
    /// ```
    /// use athanor::prelude::*;
    /// assert_eq!(create_engine("sqlite://")?.inspect().default_schema_name()?, "main");
    /// # Ok::<(), athanor::Error>(())
    /// ```
    ///
    /// # Errors
    /// The database's error.
    pub fn default_schema_name(&self) -> Result<String> {
        let q = self.engine.dialect().default_schema_query();
        self.with_conn(|conn| conn.scalar(&q))
    }

    /// The schemas (MySQL databases, SQLite `main` and attached databases), sorted (SQLite:
    /// in attachment order). Memoised until [`Inspector::clear_cache`], as in SQLAlchemy: a
    /// schema created after the first call is not listed before that.
    ///
    /// ```
    /// use athanor::prelude::*;
    /// let insp = create_engine("sqlite://")?.inspect();
    /// assert_eq!(insp.get_schema_names()?, ["main"]);
    /// assert!(insp.has_schema("main")? && !insp.has_schema("other")?);
    /// # Ok::<(), athanor::Error>(())
    /// ```
    ///
    /// # Errors
    /// The database's error.
    pub fn get_schema_names(&self) -> Result<Vec<String>> {
        if let Some(names) = self.schemas.lock().ok().and_then(|c| c.clone()) {
            return Ok(names);
        }
        let q = self.engine.dialect().schema_names_query();
        let names: Vec<String> = self.with_conn(|conn| conn.scalars(&q))?;
        if let Ok(mut c) = self.schemas.lock() {
            *c = Some(names.clone());
        }
        Ok(names)
    }

    /// Does the schema exist? Answers from the same memoised list as
    /// [`Inspector::get_schema_names`].
    ///
    /// # Errors
    /// The database's error.
    pub fn has_schema(&self, schema: &str) -> Result<bool> {
        Ok(self.get_schema_names()?.iter().any(|s| s == schema))
    }

    /// Materialized view names in a schema, sorted (PostgreSQL; empty elsewhere).
    ///
    /// # Errors
    /// The database's error.
    pub fn get_materialized_view_names(&self, schema: Option<&str>) -> Result<Vec<String>> {
        let mut exec = self.exec();
        let d = self.engine.dialect();
        let all = d.reflect_object_names(&mut exec, schema, ObjectKind::MATERIALIZED_VIEW)?;
        Ok(all)
    }

    /// A view's defining SQL as the database keeps it (PostgreSQL: the SELECT; MySQL: the
    /// SELECT; SQLite: the whole `CREATE VIEW`).
    ///
    /// ```
    /// use athanor::prelude::*;
    /// let engine = create_engine("sqlite://")?;
    /// engine.connect()?.execute(&text("CREATE TABLE t (x INT)"))?;
    /// engine.connect()?.execute(&text("CREATE VIEW v AS SELECT x FROM t"))?;
    /// let insp = engine.inspect();
    /// assert_eq!(insp.get_view_definition("v", None)?, "CREATE VIEW v AS SELECT x FROM t");
    /// assert!(matches!(insp.get_view_definition("t", None), Err(Error::NoSuchTable { .. })));
    /// # Ok::<(), athanor::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::NoSuchTable`](crate::Error::NoSuchTable) when there is no such view (a table
    /// is not one); the database's error.
    pub fn get_view_definition(&self, name: &str, schema: Option<&str>) -> Result<String> {
        let mut exec = self.exec();
        self.engine
            .dialect()
            .reflect_view_definition(&mut exec, name, schema)
    }

    /// Does the table have an index of that name? False when the table doesn't exist. The
    /// answer is memoised until [`Inspector::clear_cache`] (SQLAlchemy's `has_index`).
    ///
    /// ```
    /// use athanor::prelude::*;
    /// let engine = create_engine("sqlite://")?;
    /// engine.connect()?.execute(&text("CREATE TABLE t (x INTEGER)"))?;
    /// engine.connect()?.execute(&text("CREATE INDEX ix_x ON t (x)"))?;
    /// let insp = engine.inspect();
    /// assert!(insp.has_index("t", "ix_x", None)?);
    /// assert!(!insp.has_index("t", "ix_y", None)? && !insp.has_index("u", "ix_x", None)?);
    /// # Ok::<(), athanor::Error>(())
    /// ```
    ///
    /// # Errors
    /// The database's error.
    pub fn has_index(&self, table: &str, index: &str, schema: Option<&str>) -> Result<bool> {
        let q = Question::Index(
            schema.map(str::to_string),
            table.to_string(),
            index.to_string(),
        );
        self.memo(q, || match self.reflect_table(table, schema) {
            Ok(t) => Ok(t.indexes.iter().any(|ix| ix.name == index)),
            Err(crate::Error::NoSuchTable { .. }) => Ok(false),
            Err(e) => Err(e),
        })
    }

    /// The schema's tables in dependency order, each with the names of its foreign keys, and
    /// last `(None, [(table, foreign key)])` for the foreign keys of cycles, which a
    /// CREATE in that order must add afterwards (SQLAlchemy's
    /// `get_sorted_table_and_fkc_names`).
    ///
    /// ```
    /// use athanor::prelude::*;
    /// let engine = create_engine("sqlite://")?;
    /// engine.connect()?.execute(&text("CREATE TABLE b (id INT PRIMARY KEY, \
    ///     a_id INT, CONSTRAINT fk_a FOREIGN KEY (a_id) REFERENCES a (id))"))?;
    /// engine.connect()?.execute(&text("CREATE TABLE a (id INT PRIMARY KEY)"))?;
    /// let sorted = engine.inspect().get_sorted_table_and_fkc_names(None)?;
    /// assert_eq!(sorted, vec![
    ///     (Some("a".to_string()), vec![]),
    ///     (Some("b".to_string()), vec![("b".to_string(), Some("fk_a".to_string()))]),
    ///     (None, vec![]),
    /// ]);
    /// # Ok::<(), athanor::Error>(())
    /// ```
    ///
    /// # Errors
    /// The database's error.
    #[allow(clippy::type_complexity)]
    pub fn get_sorted_table_and_fkc_names(
        &self,
        schema: Option<&str>,
    ) -> Result<Vec<(Option<String>, Vec<(String, Option<String>)>)>> {
        let fks = self.get_multi_foreign_keys(&ReflectOptions {
            schema: schema.map(str::to_string),
            ..ReflectOptions::default()
        })?;
        // Dependencies inside this schema only; a table referring to itself is no cycle.
        let deps: BTreeMap<&str, Vec<&str>> = fks
            .iter()
            .map(|((_, t), list)| {
                let d = list
                    .iter()
                    .filter(|fk| {
                        (fk.referred_schema.is_none() || fk.referred_schema.as_deref() == schema)
                            && fk.referred_table != *t
                    })
                    .filter(|fk| {
                        fks.contains_key(&(schema.map(str::to_string), fk.referred_table.clone()))
                    })
                    .map(|fk| fk.referred_table.as_str())
                    .collect();
                (t.as_str(), d)
            })
            .collect();
        let mut done: Vec<&str> = Vec::new();
        let mut remaining: Vec<&str> = deps.keys().copied().collect();
        let mut cycle_fks = Vec::new();
        while !remaining.is_empty() {
            let ready: Vec<&str> = remaining
                .iter()
                .copied()
                .filter(|t| deps[t].iter().all(|d| done.contains(d)))
                .collect();
            if ready.is_empty() {
                // A cycle: take the first table anyway; its unmet foreign keys come last.
                let t = remaining[0];
                let key = (schema.map(str::to_string), t.to_string());
                for fk in &fks[&key] {
                    if deps[t].contains(&fk.referred_table.as_str())
                        && !done.contains(&fk.referred_table.as_str())
                    {
                        cycle_fks.push((t.to_string(), fk.name.clone()));
                    }
                }
                done.push(t);
                remaining.remove(0);
                continue;
            }
            remaining.retain(|t| !ready.contains(t));
            done.extend(ready);
        }
        let mut out: Vec<(Option<String>, Vec<(String, Option<String>)>)> = done
            .iter()
            .map(|t| {
                let key = (schema.map(str::to_string), t.to_string());
                let names = fks[&key]
                    .iter()
                    .filter(|fk| !cycle_fks.iter().any(|(ct, n)| ct == t && *n == fk.name))
                    .map(|fk| (t.to_string(), fk.name.clone()))
                    .collect();
                (Some(t.to_string()), names)
            })
            .collect();
        out.push((None, cycle_fks));
        Ok(out)
    }

    /// Every object `options` names, fully reflected, from one query per kind of catalog row
    /// on PostgreSQL and MySQL (one set of queries per table on SQLite); kept for the
    /// inspector's life, so the `get_multi_*` calls after the first read nothing more.
    fn reflect_multi(&self, options: &ReflectOptions) -> Result<Vec<ReflectedTable>> {
        let key = (
            options.schema.clone(),
            options.filter_names.clone(),
            options.kind,
            options.scope,
        );
        if let Some(b) = self.batches.lock().ok().and_then(|c| c.get(&key).cloned()) {
            return Ok(b);
        }
        let mut exec = self.exec();
        let d = self.engine.dialect();
        let mut tables = Vec::new();
        if options.scope != ObjectScope::Temporary {
            tables = d.reflect_tables(
                &mut exec,
                options.schema.as_deref(),
                options.filter_names.as_deref(),
                options.kind,
            )?;
        }
        // Temporary objects have no schema to ask for.
        if options.scope != ObjectScope::Default && options.schema.is_none() {
            let temp =
                d.reflect_temp_tables(&mut exec, options.filter_names.as_deref(), options.kind)?;
            tables.extend(temp);
            tables.sort_by(|a, b| a.name.cmp(&b.name));
        }
        if let Ok(mut c) = self.cache.lock() {
            for t in &tables {
                c.insert((options.schema.clone(), t.name.clone()), t.clone());
            }
        }
        if let Ok(mut b) = self.batches.lock() {
            b.insert(key, tables.clone());
        }
        Ok(tables)
    }

    fn multi<T>(
        &self,
        options: &ReflectOptions,
        part: impl Fn(ReflectedTable) -> T,
    ) -> Result<BTreeMap<TableKey, T>> {
        Ok(self
            .reflect_multi(options)?
            .into_iter()
            .map(|t| ((options.schema.clone(), t.name.clone()), part(t)))
            .collect())
    }

    /// The columns of every object `options` names, by `(schema, name)` (SQLAlchemy's
    /// `get_multi_columns`). Example at [`ReflectOptions`].
    ///
    /// # Errors
    /// The database's error.
    pub fn get_multi_columns(
        &self,
        options: &ReflectOptions,
    ) -> Result<BTreeMap<TableKey, Vec<ReflectedColumn>>> {
        self.multi(options, |t| t.columns)
    }

    /// The primary key of every object `options` names (empty for a view).
    ///
    /// # Errors
    /// The database's error.
    pub fn get_multi_pk_constraint(
        &self,
        options: &ReflectOptions,
    ) -> Result<BTreeMap<TableKey, ReflectedPrimaryKey>> {
        self.multi(options, |t| t.primary_key)
    }

    /// The foreign keys of every object `options` names.
    ///
    /// ```
    /// use athanor::prelude::*;
    /// use athanor::reflect::ReflectOptions;
    /// let engine = create_engine("sqlite://")?;
    /// engine.connect()?.execute(&text("CREATE TABLE a (id INTEGER PRIMARY KEY)"))?;
    /// engine.connect()?.execute(&text("CREATE TABLE b (a_id INT REFERENCES a (id))"))?;
    /// let fks = engine.inspect().get_multi_foreign_keys(&ReflectOptions::new())?;
    /// assert!(fks[&(None, "a".to_string())].is_empty());
    /// assert_eq!(fks[&(None, "b".to_string())][0].referred_table, "a");
    /// # Ok::<(), athanor::Error>(())
    /// ```
    ///
    /// # Errors
    /// The database's error.
    pub fn get_multi_foreign_keys(
        &self,
        options: &ReflectOptions,
    ) -> Result<BTreeMap<TableKey, Vec<ReflectedForeignKey>>> {
        self.multi(options, |t| t.foreign_keys)
    }

    /// The indexes of every object `options` names (as [`Inspector::get_indexes`]).
    ///
    /// # Errors
    /// The database's error.
    pub fn get_multi_indexes(
        &self,
        options: &ReflectOptions,
    ) -> Result<BTreeMap<TableKey, Vec<ReflectedIndex>>> {
        self.multi(options, |t| t.indexes)
    }

    /// The unique constraints of every object `options` names.
    ///
    /// # Errors
    /// The database's error.
    pub fn get_multi_unique_constraints(
        &self,
        options: &ReflectOptions,
    ) -> Result<BTreeMap<TableKey, Vec<ReflectedUnique>>> {
        self.multi(options, |t| t.unique_constraints)
    }

    /// The check constraints of every object `options` names.
    ///
    /// # Errors
    /// The database's error.
    pub fn get_multi_check_constraints(
        &self,
        options: &ReflectOptions,
    ) -> Result<BTreeMap<TableKey, Vec<ReflectedCheck>>> {
        self.multi(options, |t| t.check_constraints)
    }

    /// The comment of every object `options` names (`None` where it has none).
    ///
    /// # Errors
    /// The database's error.
    pub fn get_multi_table_comment(
        &self,
        options: &ReflectOptions,
    ) -> Result<BTreeMap<TableKey, Option<String>>> {
        self.multi(options, |t| t.comment)
    }
}

/// Builds a [`Table`] in `metadata` from its reflected description.
///
/// # Errors
/// [`Error::Argument`](crate::Error::Argument) if the description is inconsistent.
pub fn table_from_reflection(r: &ReflectedTable, metadata: &MetaData) -> Result<Table> {
    let mut b = Table::build(r.name.clone(), metadata);
    if let Some(s) = &r.schema {
        b = b.schema(s.clone());
    }
    for c in &r.columns {
        let mut col = Column::new(c.name.clone(), c.ty.clone()).nullable(c.nullable);
        if let Some(d) = &c.default {
            col = col.server_default(ServerDefault::text(d.clone()));
        }
        if !c.autoincrement && c.primary_key > 0 {
            col = col.autoincrement(false);
        }
        if let Some(cm) = &c.comment {
            col = col.comment(cm.clone());
        }
        if let Some(id) = &c.identity {
            col = col.identity(id.clone());
        }
        if let Some(computed) = &c.computed {
            col = col.computed(computed.clone());
        }
        b = b.column(col);
    }
    if !r.primary_key.constrained_columns.is_empty() {
        let mut pk = PrimaryKeyConstraint::new(r.primary_key.constrained_columns.clone());
        if let Some(n) = &r.primary_key.name {
            pk = pk.name(n.clone());
        }
        b = b.primary_key(pk);
    }
    for fk in &r.foreign_keys {
        let target = match &fk.referred_schema {
            Some(s) => format!("{s}.{}", fk.referred_table),
            None => fk.referred_table.clone(),
        };
        let mut f = ForeignKeyConstraint::new(
            fk.constrained_columns.clone(),
            &target,
            fk.referred_columns.clone(),
        );
        if fk.referred_schema.is_none() {
            f.referred_schema = r.schema.clone();
        }
        if let Some(n) = &fk.name {
            f = f.name(n.clone());
        }
        if let Some(a) = &fk.on_delete {
            f = f.on_delete(a.clone());
        }
        if let Some(a) = &fk.on_update {
            f = f.on_update(a.clone());
        }
        b = b.foreign_key(f);
    }
    for u in &r.unique_constraints {
        if u.duplicates_index.is_some() {
            continue; // MySQL: the unique index, rebuilt below, is this constraint
        }
        let mut uc = UniqueConstraint::new(u.column_names.clone());
        if let Some(n) = &u.name {
            uc = uc.name(n.clone());
        }
        b = b.unique(uc);
    }
    for ix in &r.indexes {
        if ix.duplicates_constraint.is_some() {
            continue; // PostgreSQL: the unique constraint, built above, makes this index
        }
        let mut i = match &ix.expressions {
            // A key that is an expression: its SQL as the database printed it.
            Some(exprs) if exprs.len() == ix.column_names.len() => Index::with_keys(
                ix.name.clone(),
                ix.column_names
                    .iter()
                    .zip(exprs)
                    .map(|(col, expr)| match col {
                        Some(c) => IndexKey::Column(c.clone()),
                        None => IndexKey::Expression(expr.clone()),
                    }),
            ),
            _ => {
                let cols: Vec<String> = ix.column_names.iter().flatten().cloned().collect();
                if cols.len() != ix.column_names.len() || cols.is_empty() {
                    continue; // a key without its SQL can't be rebuilt
                }
                Index::new(ix.name.clone(), cols)
            }
        }
        .include(ix.include_columns.clone());
        if ix.unique {
            i = i.unique();
        }
        b = b.index(i);
    }
    for ck in &r.check_constraints {
        let mut c = CheckConstraint::new(ck.sqltext.clone());
        if let Some(n) = &ck.name {
            c = c.name(n.clone());
        }
        b = b.check(c);
    }
    b.finish()
}

pub(crate) fn autoload(
    name: &str,
    schema: Option<&str>,
    metadata: &MetaData,
    insp: &Inspector,
) -> Result<Table> {
    autoload_with(name, schema, metadata, insp, true)
}

fn autoload_with(
    name: &str,
    schema: Option<&str>,
    metadata: &MetaData,
    insp: &Inspector,
    resolve_fks: bool,
) -> Result<Table> {
    let key = match schema {
        Some(s) => format!("{s}.{name}"),
        None => name.to_string(),
    };
    if let Some(t) = metadata.table(&key) {
        return Ok(t);
    }
    let r = insp.reflect_table(name, schema)?;
    let table = table_from_reflection(&r, metadata)?;
    if !resolve_fks {
        return Ok(table);
    }
    for fk in &r.foreign_keys {
        let s = fk.referred_schema.as_deref().or(schema);
        autoload(&fk.referred_table, s, metadata, insp)?;
    }
    Ok(table)
}

/// Loading tables from the database; in the prelude.
pub trait AutoloadExt: Sized {
    /// Reflects a table into `metadata` (and the tables its foreign keys refer to), or returns
    /// the one `metadata` already holds (SQLAlchemy's `Table(name, metadata, autoload_with=engine)`).
    ///
    /// ```
    /// use athanor::prelude::*;
    /// let (engine, metadata) = athanor::chinook::load()?;
    /// let album = Table::autoload("Album", &metadata, &engine)?;
    /// assert!(metadata.contains("Artist")); // followed the foreign key
    /// assert_eq!(format!("{album:?}"), "Table('Album', MetaData(), \
    ///     Column('AlbumId', INTEGER(), table=<Album>, primary_key=True, nullable=False), \
    ///     Column('Title', NVARCHAR(length=160), table=<Album>, nullable=False), \
    ///     Column('ArtistId', INTEGER(), ForeignKey('Artist.ArtistId'), table=<Album>, nullable=False), schema=None)");
    /// # Ok::<(), athanor::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::NoSuchTable`](crate::Error::NoSuchTable) when the database has no such table.
    fn autoload(name: &str, metadata: &MetaData, engine: &Engine) -> Result<Self>;
    /// As [`AutoloadExt::autoload`], in a schema.
    ///
    /// # Errors
    /// As [`AutoloadExt::autoload`].
    fn autoload_schema(
        name: &str,
        schema: &str,
        metadata: &MetaData,
        engine: &Engine,
    ) -> Result<Self>;
}

impl AutoloadExt for Table {
    fn autoload(name: &str, metadata: &MetaData, engine: &Engine) -> Result<Table> {
        autoload(name, None, metadata, &engine.inspect())
    }
    fn autoload_schema(
        name: &str,
        schema: &str,
        metadata: &MetaData,
        engine: &Engine,
    ) -> Result<Table> {
        autoload(name, Some(schema), metadata, &engine.inspect())
    }
}

/// `MetaData::reflect`: every table of a schema, or a chosen list.
pub(crate) fn reflect(
    metadata: &MetaData,
    engine: &Engine,
    schema: Option<&str>,
    only: Option<&[&str]>,
) -> Result<()> {
    let mut options = ReflectOptions::new();
    if let Some(s) = schema {
        options = options.schema(s);
    }
    if let Some(list) = only {
        options = options.filter_names(list.iter().copied());
    }
    reflect_options(metadata, engine, &options)
}

/// `MetaData::reflect_with`: one batch for the schema (on PostgreSQL and MySQL a few queries
/// in all, not a few per table); `autoload` then finds each table in the inspector's cache.
/// A name asked for that doesn't exist is [`Error::NoSuchTable`](crate::Error::NoSuchTable).
pub(crate) fn reflect_options(
    metadata: &MetaData,
    engine: &Engine,
    options: &ReflectOptions,
) -> Result<()> {
    let insp = engine.inspect();
    let batch = insp.reflect_multi(options)?;
    let names: Vec<String> = match &options.filter_names {
        Some(list) => list.clone(),
        None => batch.iter().map(|t| t.name.clone()).collect(),
    };
    let resolve = options.resolve_fks.unwrap_or(true);
    for n in names {
        autoload_with(&n, options.schema.as_deref(), metadata, &insp, resolve)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn send_and_sync<T: Send + Sync>() {}

    /// An inspector holding a connection can still be shared between threads.
    #[test]
    fn inspector_is_send_and_sync() {
        send_and_sync::<Inspector>();
    }

    /// The scope is part of a batch's key: a temporary-only batch doesn't answer for the
    /// permanent one.
    #[test]
    fn batches_are_kept_per_scope() -> Result<()> {
        let engine = crate::create_engine("sqlite://")?;
        let mut conn = engine.connect()?;
        conn.exec_driver_sql("CREATE TABLE p (x INT)")?;
        conn.exec_driver_sql("CREATE TEMPORARY TABLE t (y INT)")?;
        let insp = conn.into_inspector();
        let keys = |scope| -> Result<Vec<String>> {
            let m = insp.get_multi_columns(&ReflectOptions::new().scope(scope))?;
            Ok(m.into_keys().map(|(_, t)| t).collect())
        };
        assert_eq!(keys(ObjectScope::Temporary)?, ["t"]);
        assert_eq!(keys(ObjectScope::Default)?, ["p"]);
        assert_eq!(keys(ObjectScope::Any)?, ["p", "t"]);
        // Temporary objects have no schema to ask for.
        let in_main = ReflectOptions::new()
            .schema("main")
            .scope(ObjectScope::Temporary);
        assert!(insp.get_multi_columns(&in_main)?.is_empty());
        Ok(())
    }
}
