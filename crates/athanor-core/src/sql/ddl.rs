//! DDL statements: CREATE/DROP for tables, indexes and sequences.

use crate::schema::{Index, Sequence, Table};

/// A DDL statement, compiled by each dialect (SQLAlchemy's `CreateTable`, `DropTable`, ...).
///
/// ```
/// use athanor_core::prelude::*;
/// use athanor_core::dialect::{MySql, Postgres, Sqlite};
/// let md = MetaData::new();
/// let t = Table::build("users", &md)
///     .column(Column::new("id", Type::Integer).primary_key())
///     .column(Column::new("name", Type::String(Some(50))).nullable(false))
///     .finish()?;
/// let ddl = Ddl::CreateTable(t.clone());
/// assert_eq!(ddl.compile(&Sqlite)?.sql(),
///     "CREATE TABLE users (id INTEGER NOT NULL, name VARCHAR(50) NOT NULL, PRIMARY KEY (id))");
/// assert_eq!(ddl.compile(&Postgres)?.sql(),
///     "CREATE TABLE users (id SERIAL NOT NULL, name VARCHAR(50) NOT NULL, PRIMARY KEY (id))");
/// assert_eq!(ddl.compile(&MySql)?.sql(),
///     "CREATE TABLE users (id INTEGER NOT NULL AUTO_INCREMENT, name VARCHAR(50) NOT NULL, PRIMARY KEY (id))");
/// # Ok::<(), athanor_core::Error>(())
/// ```
#[derive(Debug, Clone, Hash)]
#[non_exhaustive]
pub enum Ddl {
    /// `CREATE TABLE`.
    CreateTable(Table),
    /// `CREATE TABLE IF NOT EXISTS`.
    CreateTableIfNotExists(Table),
    /// `DROP TABLE`.
    DropTable(Table),
    /// `DROP TABLE IF EXISTS`.
    DropTableIfExists(Table),
    /// `CREATE [UNIQUE] INDEX` on a table.
    CreateIndex(Table, Index),
    /// `DROP INDEX`.
    DropIndex(Table, Index),
    /// `CREATE SEQUENCE`.
    CreateSequence(Sequence),
    /// `DROP SEQUENCE`.
    DropSequence(Sequence),
    /// `DROP SEQUENCE IF EXISTS`.
    DropSequenceIfExists(Sequence),
    /// `CREATE TYPE ... AS ENUM` (PostgreSQL): the enum's name and values.
    CreateEnum(String, Vec<String>),
    /// `DROP TYPE` (PostgreSQL).
    DropEnum(String),
    /// `DROP TYPE IF EXISTS` (PostgreSQL).
    DropEnumIfExists(String),
    /// `COMMENT ON TABLE ... IS ...` with the table's comment (`IS NULL` without one), where
    /// comments are statements of their own (PostgreSQL); MySQL writes them inside CREATE
    /// TABLE, SQLite has none.
    CommentOnTable(Table),
    /// `COMMENT ON COLUMN ... IS ...` with the named column's comment, as
    /// [`Ddl::CommentOnTable`].
    CommentOnColumn(Table, String),
}
