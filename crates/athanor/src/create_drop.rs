//! `create_all` / `drop_all` / `table.create` on an engine (SQLAlchemy's `MetaData.create_all`).

use athanor_core::schema::{MetaData, Table, sort_tables};
use athanor_core::sql::Ddl;
use athanor_core::types::{Type, Value};

use crate::{Connection, Engine, Result};

/// Creating and dropping schema objects on an engine; in the prelude.
///
/// Tables are created in foreign-key order (referenced tables first) and dropped in reverse;
/// a cycle is [`Error::CircularDependency`](crate::Error::CircularDependency). On databases
/// with transactional DDL (SQLite, PostgreSQL) it all happens in one transaction: a failure
/// leaves nothing behind.
pub trait MetaDataExt {
    /// Creates every table, its indexes, sequences and named enum types, skipping those that
    /// already exist (SQLAlchemy's default `checkfirst=True`).
    ///
    /// # Errors
    /// The database's error; [`Error::CircularDependency`](crate::Error::CircularDependency).
    fn create_all(&self, engine: &Engine) -> Result<()>;
    /// As [`MetaDataExt::create_all`]; with `checkfirst = false`, an existing table, sequence
    /// or enum type is an error.
    ///
    /// # Errors
    /// As [`MetaDataExt::create_all`].
    fn create_all_with(&self, engine: &Engine, checkfirst: bool) -> Result<()>;
    /// Drops every table (dependents first), skipping tables that don't exist.
    ///
    /// # Errors
    /// As [`MetaDataExt::create_all`].
    fn drop_all(&self, engine: &Engine) -> Result<()>;
    /// As [`MetaDataExt::drop_all`]; with `checkfirst = false`, a missing table is an error.
    ///
    /// # Errors
    /// As [`MetaDataExt::create_all`].
    fn drop_all_with(&self, engine: &Engine, checkfirst: bool) -> Result<()>;
    /// Loads every table of the database's default schema (SQLAlchemy's `MetaData.reflect`).
    ///
    /// # Errors
    /// The database's error.
    fn reflect(&self, engine: &Engine) -> Result<()>;
    /// Loads the named tables (and those their foreign keys refer to) from a schema.
    ///
    /// # Errors
    /// [`Error::NoSuchTable`](crate::Error::NoSuchTable) for a name that doesn't exist.
    fn reflect_only(&self, engine: &Engine, schema: Option<&str>, tables: &[&str]) -> Result<()>;
    /// Loads every table of a schema.
    ///
    /// # Errors
    /// The database's error.
    fn reflect_schema(&self, engine: &Engine, schema: &str) -> Result<()>;
    /// Loads every object `options` names: a schema, a list of names, views too
    /// (SQLAlchemy's `MetaData.reflect(bind, schema=, only=, views=)`). Reads the whole batch
    /// at once (see [`Inspector::get_multi_columns`](crate::Inspector::get_multi_columns)).
    ///
    /// ```
    /// use athanor::prelude::*;
    /// use athanor::reflect::{ObjectKind, ReflectOptions};
    /// let engine = create_engine("sqlite://")?;
    /// engine.connect()?.execute(&text("CREATE TABLE t (x INT)"))?;
    /// engine.connect()?.execute(&text("CREATE VIEW v AS SELECT x FROM t"))?;
    /// let md = MetaData::new();
    /// md.reflect_with(&engine, &ReflectOptions::new().kind(ObjectKind::ANY))?;
    /// assert_eq!(md.table_names(), ["t", "v"]);
    /// # Ok::<(), athanor::Error>(())
    /// ```
    ///
    /// # Errors
    /// The database's error.
    fn reflect_with(&self, engine: &Engine, options: &crate::reflect::ReflectOptions)
    -> Result<()>;
}

/// Creating and dropping one table; in the prelude.
pub trait TableExt {
    /// `CREATE TABLE` plus its indexes; or the DDL set with
    /// [`Table::set_creator_ddl`](crate::Table::set_creator_ddl) (`CREATE TABLE IF NOT EXISTS`,
    /// a `CREATE TABLE ... AS` or a view).
    ///
    /// # Errors
    /// The database's error (an existing table is one).
    fn create(&self, engine: &Engine) -> Result<()>;
    /// `DROP TABLE` (SQLAlchemy's `table.drop(engine)`).
    ///
    /// ```
    /// use athanor::prelude::*;
    /// let engine = create_engine("sqlite://")?;
    /// let md = MetaData::new();
    /// let t = Table::build("t", &md).column(Column::new("x", Type::Integer)).finish()?;
    /// t.create(&engine)?;
    /// assert!(t.exists(&engine)?);
    /// t.drop(&engine)?;
    /// assert!(!t.exists(&engine)?);
    /// # Ok::<(), athanor::Error>(())
    /// ```
    ///
    /// # Errors
    /// The database's error (a missing table is one).
    fn drop(&self, engine: &Engine) -> Result<()> {
        self.drop_table(engine)
    }
    /// `DROP TABLE` (or the DDL set with
    /// [`Table::set_dropper_ddl`](crate::Table::set_dropper_ddl)); the same as
    /// [`TableExt::drop`].
    ///
    /// # Errors
    /// The database's error (a missing table is one).
    fn drop_table(&self, engine: &Engine) -> Result<()>;
    /// Does the table exist in the database?
    ///
    /// # Errors
    /// The database's error.
    fn exists(&self, engine: &Engine) -> Result<bool>;
}

pub(crate) fn has_table(conn: &mut Connection, name: &str, schema: Option<&str>) -> Result<bool> {
    // A name the database can't hold names no table (PostgreSQL would have cut it).
    let engine = conn.engine().clone();
    let dialect = engine.dialect();
    dialect.check_identifier(name, true)?;
    if let Some(s) = schema {
        dialect.check_identifier(s, true)?;
    }
    let q = dialect.has_table_query(name, schema);
    if conn.execute(&q)?.first()?.is_some() {
        return Ok(true);
    }
    if schema.is_some() {
        return Ok(false);
    }
    // A temporary table the catalog doesn't list (MySQL).
    let mut exec = |q: &athanor_core::sql::TextClause| -> Result<Vec<Vec<crate::Value>>> {
        Ok(conn
            .execute(q)?
            .all()?
            .into_iter()
            .map(crate::Row::into_values)
            .collect())
    };
    dialect.has_unlisted_temp_table(&mut exec, name)
}

/// The sequences in `schema` (the default one for `None`), read on `conn`.
fn sequence_names(conn: &mut Connection, schema: Option<&str>) -> Result<Vec<String>> {
    let engine = conn.engine().clone();
    let mut exec = |q: &athanor_core::sql::TextClause| -> Result<Vec<Vec<Value>>> {
        Ok(conn
            .execute(q)?
            .all()?
            .into_iter()
            .map(crate::Row::into_values)
            .collect())
    };
    engine.dialect().reflect_sequence_names(&mut exec, schema)
}

/// Does `t` exist where this connection's statements put it (its schema translated by the
/// connection's schema translate map, as its DDL is)?
fn table_exists(conn: &mut Connection, t: &Table) -> Result<bool> {
    let schema = match conn.engine().1.schema_map() {
        Some(m) => m.schema_for(t.schema()).map(str::to_owned),
        None => t.schema().map(str::to_owned),
    };
    has_table(conn, t.name(), schema.as_deref())
}

fn enums(table: &Table) -> Vec<(String, Vec<String>)> {
    table
        .columns()
        .iter()
        .filter_map(|c| match c.ty.generic() {
            Type::Enum {
                name: Some(n),
                variants,
            } => Some((n.clone(), variants.clone())),
            _ => None,
        })
        .collect()
}

/// `create_all` on an open connection (inside the caller's transaction).
pub(crate) fn create_on(
    conn: &mut Connection,
    metadata: &MetaData,
    checkfirst: bool,
) -> Result<()> {
    let tables = metadata.sorted_tables()?;
    let engine = conn.engine().clone();
    let dialect = engine.dialect();
    if dialect.supports_sequences() {
        // With checkfirst, existing sequences are kept (read once per schema).
        let mut existing: std::collections::HashMap<Option<String>, Vec<String>> =
            std::collections::HashMap::new();
        // An optional sequence isn't made where the database generates keys without it.
        for s in metadata.sequences() {
            if s.optional && dialect.sequences_optional() {
                continue;
            }
            if checkfirst {
                if !existing.contains_key(&s.schema) {
                    let names = sequence_names(conn, s.schema.as_deref())?;
                    existing.insert(s.schema.clone(), names);
                }
                if existing.get(&s.schema).is_some_and(|n| n.contains(&s.name)) {
                    continue;
                }
            }
            conn.execute(&Ddl::CreateSequence(s))?;
        }
    }
    let mut made_enums: Vec<String> = Vec::new();
    for t in &tables {
        if checkfirst && table_exists(conn, t)? {
            continue;
        }
        if dialect.supports_named_enums() {
            for (name, values) in enums(t) {
                if made_enums.contains(&name) {
                    continue;
                }
                // A type left by another table (or an earlier drop of this one) is used
                // as it is, as SQLAlchemy's checkfirst does.
                let exists = match dialect.has_named_enum_query(&name) {
                    Some(q) if checkfirst => conn.execute(&q)?.first()?.is_some(),
                    _ => false,
                };
                if !exists {
                    conn.execute(&Ddl::CreateEnum(name.clone(), values))?;
                }
                made_enums.push(name);
            }
        }
        create_one(conn, t)?;
    }
    Ok(())
}

/// `CREATE TABLE`, its comment where the database keeps comments, and its indexes.
fn create_one(conn: &mut Connection, t: &Table) -> Result<()> {
    conn.execute(&t.creator_ddl())?;
    let dialect = conn.engine().dialect();
    if dialect.supports_comments() {
        let by_statement = !dialect.column_comments_inline();
        // Where column comments are part of CREATE TABLE (MySQL), so is the table's.
        if by_statement && t.data().comment.is_some() {
            conn.execute(&Ddl::SetTableComment(t.clone()))?;
        }
        for c in t
            .columns()
            .iter()
            .filter(|c| by_statement && c.comment.is_some())
        {
            conn.execute(&Ddl::SetColumnComment(t.clone(), c.name().to_string()))?;
        }
    }
    for ix in t.indexes() {
        conn.execute(&Ddl::CreateIndex(t.clone(), ix.clone()))?;
    }
    Ok(())
}

fn in_transaction(engine: &Engine, f: impl FnOnce(&mut Connection) -> Result<()>) -> Result<()> {
    if engine.dialect().supports_transactional_ddl() {
        engine.transaction(f)
    } else {
        let mut conn = engine.connect()?;
        f(&mut conn)
    }
}

impl MetaDataExt for MetaData {
    fn reflect(&self, engine: &Engine) -> Result<()> {
        crate::reflect::reflect(self, engine, None, None)
    }
    fn reflect_only(&self, engine: &Engine, schema: Option<&str>, tables: &[&str]) -> Result<()> {
        crate::reflect::reflect(self, engine, schema, Some(tables))
    }
    fn reflect_schema(&self, engine: &Engine, schema: &str) -> Result<()> {
        crate::reflect::reflect(self, engine, Some(schema), None)
    }
    fn reflect_with(
        &self,
        engine: &Engine,
        options: &crate::reflect::ReflectOptions,
    ) -> Result<()> {
        crate::reflect::reflect_options(self, engine, options)
    }

    fn create_all(&self, engine: &Engine) -> Result<()> {
        self.create_all_with(engine, true)
    }

    fn create_all_with(&self, engine: &Engine, checkfirst: bool) -> Result<()> {
        in_transaction(engine, |conn| create_on(conn, self, checkfirst))
    }

    fn drop_all(&self, engine: &Engine) -> Result<()> {
        self.drop_all_with(engine, true)
    }

    fn drop_all_with(&self, engine: &Engine, checkfirst: bool) -> Result<()> {
        let mut tables = sort_tables(&self.tables())?;
        tables.reverse();
        let dialect = engine.dialect();
        in_transaction(engine, |conn| {
            let mut dropped_enums: Vec<String> = Vec::new();
            for t in &tables {
                if checkfirst && !table_exists(conn, t)? {
                    continue;
                }
                conn.execute(&t.dropper_ddl())?;
                if dialect.supports_named_enums() {
                    for (name, _) in enums(t) {
                        if !dropped_enums.contains(&name) {
                            conn.execute(&if checkfirst {
                                Ddl::DropEnumIfExists(name.clone())
                            } else {
                                Ddl::DropEnum(name.clone())
                            })?;
                            dropped_enums.push(name);
                        }
                    }
                }
            }
            if dialect.supports_sequences() {
                for s in self.sequences() {
                    if s.optional && dialect.sequences_optional() {
                        continue;
                    }
                    conn.execute(&if checkfirst {
                        Ddl::DropSequenceIfExists(s)
                    } else {
                        Ddl::DropSequence(s)
                    })?;
                }
            }
            Ok(())
        })
    }
}

impl TableExt for Table {
    fn create(&self, engine: &Engine) -> Result<()> {
        in_transaction(engine, |conn| create_one(conn, self))
    }

    fn drop_table(&self, engine: &Engine) -> Result<()> {
        let mut conn = engine.connect()?;
        conn.execute(&self.dropper_ddl())?;
        Ok(())
    }

    fn exists(&self, engine: &Engine) -> Result<bool> {
        let mut conn = engine.connect()?;
        table_exists(&mut conn, self)
    }
}
