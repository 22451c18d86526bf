//! Reflection: [`Inspector`] (SQLAlchemy's `inspect(engine)`), table autoload and
//! `MetaData::reflect`.

use std::collections::HashMap;
use std::sync::Mutex;

use athanor_core::dialect::reflection::{
    ReflectedCheck, ReflectedColumn, ReflectedForeignKey, ReflectedIndex, ReflectedPrimaryKey,
    ReflectedTable, ReflectedUnique,
};
use athanor_core::schema::{
    CheckConstraint, Column, ForeignKeyConstraint, Index, MetaData, PrimaryKeyConstraint,
    ServerDefault, Table, UniqueConstraint,
};
use athanor_core::sql::TextClause;

use crate::{Engine, Result, Value};

/// Reads a database's structure (SQLAlchemy's `Inspector`). Results are cached per table for
/// the inspector's life; make a new one to see changes.
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
    cache: Mutex<HashMap<(Option<String>, String), ReflectedTable>>,
    sequences: Mutex<HashMap<Option<String>, Vec<String>>>,
}

impl std::fmt::Debug for Inspector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Inspector({:?})", self.engine)
    }
}

impl Engine {
    /// An [`Inspector`] on this engine.
    pub fn inspect(&self) -> Inspector {
        Inspector {
            engine: self.clone(),
            cache: Mutex::new(HashMap::new()),
            sequences: Mutex::new(HashMap::new()),
        }
    }
}

fn run(engine: &Engine) -> impl FnMut(&TextClause) -> Result<Vec<Vec<Value>>> + '_ {
    move |q: &TextClause| {
        let mut conn = engine.connect()?;
        Ok(conn
            .execute(q)?
            .all()?
            .into_iter()
            .map(crate::Row::into_values)
            .collect())
    }
}

impl Inspector {
    /// The engine inspected.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// Table names in a schema (the default schema for `None`), sorted.
    ///
    /// # Errors
    /// The database's error.
    pub fn get_table_names(&self, schema: Option<&str>) -> Result<Vec<String>> {
        let mut exec = run(&self.engine);
        self.engine
            .dialect()
            .reflect_table_names(&mut exec, schema, false)
    }

    /// View names in a schema, sorted.
    ///
    /// # Errors
    /// The database's error.
    pub fn get_view_names(&self, schema: Option<&str>) -> Result<Vec<String>> {
        let mut exec = run(&self.engine);
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
        let mut exec = run(&self.engine);
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
    }

    /// Does the table exist?
    ///
    /// # Errors
    /// [`Error::Argument`](crate::Error::Argument) for a name longer than the dialect allows
    /// or holding a NUL (see [`athanor_core::dialect::identifiers`]); the database's error.
    pub fn has_table(&self, name: &str, schema: Option<&str>) -> Result<bool> {
        let mut conn = self.engine.connect()?;
        crate::create_drop::has_table(&mut conn, name, schema)
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
        let mut exec = run(&self.engine);
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
        let cols: Vec<String> = ix.column_names.iter().flatten().cloned().collect();
        if cols.len() != ix.column_names.len() || cols.is_empty() {
            continue; // expression indexes can't be rebuilt from column names
        }
        let mut i = Index::new(ix.name.clone(), cols);
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
    let key = match schema {
        Some(s) => format!("{s}.{name}"),
        None => name.to_string(),
    };
    if let Some(t) = metadata.table(&key) {
        return Ok(t);
    }
    let r = insp.reflect_table(name, schema)?;
    let table = table_from_reflection(&r, metadata)?;
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
    let insp = engine.inspect();
    let names = match only {
        Some(list) => list.iter().map(|s| s.to_string()).collect(),
        None => insp.get_table_names(schema)?,
    };
    for n in names {
        autoload(&n, schema, metadata, &insp)?;
    }
    Ok(())
}
