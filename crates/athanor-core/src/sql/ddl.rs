//! DDL statements: CREATE/DROP for tables, indexes and sequences.

use super::{CreateTableAs, CreateView, DropView};
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
    /// `CREATE [UNIQUE] INDEX IF NOT EXISTS` (PostgreSQL, SQLite, MariaDB; not MySQL).
    CreateIndexIfNotExists(Table, Index),
    /// `DROP INDEX IF EXISTS` (PostgreSQL, SQLite, MariaDB; not MySQL).
    DropIndexIfExists(Table, Index),
    /// Sets the table's comment to its [`TableData::comment`](crate::schema::TableData)
    /// (SQLAlchemy's `SetTableComment`): `COMMENT ON TABLE t IS '...'` (PostgreSQL),
    /// `ALTER TABLE t COMMENT '...'` (MySQL); SQLite has no comments.
    ///
    /// ```
    /// use athanor_core::prelude::*;
    /// use athanor_core::dialect::{MySql, Postgres, Sqlite};
    /// let md = MetaData::new();
    /// let t = Table::build("t", &md)
    ///     .column(Column::new("x", Type::Integer))
    ///     .comment("it's a table")
    ///     .finish()?;
    /// assert_eq!(Ddl::SetTableComment(t.clone()).compile(&Postgres)?.sql(),
    ///     "COMMENT ON TABLE t IS 'it''s a table'");
    /// assert_eq!(Ddl::SetTableComment(t.clone()).compile(&MySql)?.sql(),
    ///     "ALTER TABLE t COMMENT 'it''s a table'");
    /// assert_eq!(Ddl::DropTableComment(t.clone()).compile(&Postgres)?.sql(),
    ///     "COMMENT ON TABLE t IS NULL");
    /// assert_eq!(Ddl::DropTableComment(t.clone()).compile(&MySql)?.sql(),
    ///     "ALTER TABLE t COMMENT ''");
    /// assert!(matches!(Ddl::SetTableComment(t).compile(&Sqlite), Err(Error::Compile(_))));
    /// # Ok::<(), athanor_core::Error>(())
    /// ```
    SetTableComment(Table),
    /// Removes the table's comment (SQLAlchemy's `DropTableComment`).
    DropTableComment(Table),
    /// Sets the comment of the table's column (named) to the column's
    /// [`comment`](crate::schema::Column::comment): `COMMENT ON COLUMN t.c IS '...'` on
    /// PostgreSQL (SQLAlchemy's `SetColumnComment`). MySQL writes column comments in CREATE
    /// TABLE; SQLite has none: [`Error::Compile`](crate::Error::Compile) on both.
    ///
    /// ```
    /// use athanor_core::prelude::*;
    /// use athanor_core::dialect::{MySql, Postgres};
    /// let md = MetaData::new();
    /// let t = Table::build("t", &md)
    ///     .column(Column::new("x", Type::Integer).comment("the x"))
    ///     .finish()?;
    /// let ddl = Ddl::SetColumnComment(t.clone(), "x".into());
    /// assert_eq!(ddl.compile(&Postgres)?.sql(), "COMMENT ON COLUMN t.x IS 'the x'");
    /// assert_eq!(Ddl::CreateTable(t).compile(&MySql)?.sql(), "CREATE TABLE t (x INTEGER COMMENT 'the x')");
    /// # Ok::<(), athanor_core::Error>(())
    /// ```
    SetColumnComment(Table, String),
    /// `CREATE TABLE ... AS SELECT` (see [`CreateTableAs`]).
    CreateTableAs(Box<CreateTableAs>),
    /// `CREATE VIEW ... AS SELECT` (see [`CreateView`]).
    CreateView(Box<CreateView>),
    /// `DROP VIEW` (see [`DropView`]).
    DropView(Box<DropView>),
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
}
