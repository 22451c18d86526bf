//! Ported from SQLAlchemy's `lib/sqlalchemy/testing/suite/test_ddl.py` (behaviour, fixtures
//! and assertions; not code). Tests of that file not ported are listed, with the reason, in
//! `compliance/todo.tsv`.

use athanor::prelude::*;
use athanor::{Engine, Result};

use super::harness::{Origin, run};
use super::requirements::Flag;

const FILE: &str = "test_ddl.py";
const CLASS: &str = "TableDDLTest";

fn origin(test: &'static str) -> Origin {
    Origin {
        file: FILE,
        class: CLASS,
        test,
    }
}

/// `_simple_fixture`: `test_table` (id INTEGER primary key without autoincrement,
/// data VARCHAR(50)), not created; with `index`, `test_index` on `data` (`_table_index_fixture`);
/// with `comment`, that table comment.
fn simple(index: bool, comment: Option<&str>) -> Result<Table> {
    let md = MetaData::new();
    let mut b = Table::build("test_table", &md)
        .column(
            Column::new("id", Type::Integer)
                .primary_key()
                .autoincrement(false),
        )
        .column(Column::new("data", Type::String(Some(50))));
    if index {
        b = b.index(Index::new("test_index", ["data"]));
    }
    if let Some(c) = comment {
        b = b.comment(c);
    }
    b.finish()
}

/// `_simple_roundtrip`: insert (1, 'some data') in a transaction and read it back.
fn simple_roundtrip(engine: &Engine, t: &Table, data: &str) -> Result<()> {
    let mut conn = engine.connect()?;
    let mut tx = conn.begin()?;
    tx.execute(&t.insert().values(row! { "id" => 1, data => "some data" }))?;
    let row = tx.execute(&select(t))?.first()?.expect("the row");
    assert_eq!(row.to::<(i64, String)>()?, (1, "some data".to_string()));
    tx.commit()
}

fn has_table(engine: &Engine, name: &str) -> Result<bool> {
    engine.inspect().has_table(name, None)
}

fn index_names(engine: &Engine) -> Result<Vec<String>> {
    Ok(engine
        .inspect()
        .get_indexes("test_table", None)?
        .into_iter()
        .map(|ix| ix.name)
        .collect())
}

#[test]
fn create_table() {
    run(
        origin("test_create_table"),
        &[Flag::CreateTable],
        |_, engine| {
            let t = simple(false, None)?;
            t.create(engine)?;
            simple_roundtrip(engine, &t, "data")
        },
    );
}

#[test]
fn drop_table() {
    run(
        origin("test_drop_table"),
        &[Flag::DropTable],
        |_, engine| {
            let t = simple(false, None)?;
            t.create(engine)?;
            assert!(has_table(engine, "test_table")?);
            t.drop_table(engine)?;
            assert!(!has_table(engine, "test_table")?);
            Ok(())
        },
    );
}

#[test]
fn underscore_names() {
    run(
        origin("test_underscore_names"),
        &[Flag::CreateTable],
        |_, engine| {
            let md = MetaData::new();
            let t = Table::build("_test_table", &md)
                .column(
                    Column::new("id", Type::Integer)
                        .primary_key()
                        .autoincrement(false),
                )
                .column(Column::new("_data", Type::String(Some(50))))
                .finish()?;
            t.create(engine)?;
            simple_roundtrip(engine, &t, "_data")
        },
    );
}

#[test]
fn add_table_comment() {
    run(
        origin("test_add_table_comment"),
        &[Flag::CommentReflection],
        |_, engine| {
            simple(false, None)?.create(engine)?;
            assert_eq!(
                engine.inspect().get_table_comment("test_table", None)?,
                None
            );
            let mut conn = engine.connect()?;
            conn.execute(&Ddl::SetTableComment(simple(false, Some("a comment"))?))?;
            assert_eq!(
                engine.inspect().get_table_comment("test_table", None)?,
                Some("a comment".to_string())
            );
            Ok(())
        },
    );
}

#[test]
fn drop_table_comment() {
    run(
        origin("test_drop_table_comment"),
        &[Flag::CommentReflection],
        |_, engine| {
            simple(false, None)?.create(engine)?;
            let t = simple(false, Some("a comment"))?;
            let mut conn = engine.connect()?;
            conn.execute(&Ddl::SetTableComment(t.clone()))?;
            conn.execute(&Ddl::DropTableComment(t))?;
            assert_eq!(
                engine.inspect().get_table_comment("test_table", None)?,
                None
            );
            Ok(())
        },
    );
}

#[test]
fn create_table_if_not_exists() {
    run(
        origin("test_create_table_if_not_exists"),
        &[Flag::TableDdlIfExists],
        |_, engine| {
            let t = simple(false, None)?;
            let mut conn = engine.connect()?;
            conn.execute(&Ddl::CreateTableIfNotExists(t.clone()))?;
            assert!(has_table(engine, "test_table")?);
            conn.execute(&Ddl::CreateTableIfNotExists(t))?;
            Ok(())
        },
    );
}

#[test]
fn create_table_if_not_exists_via_create() {
    run(
        origin("test_create_table_if_not_exists_via_create"),
        &[Flag::TableDdlIfExists],
        |_, engine| {
            let t = simple(false, None)?;
            t.set_creator_ddl(Ddl::CreateTableIfNotExists(t.clone()))?;
            t.create(engine)?;
            assert!(has_table(engine, "test_table")?);
            // The table exists: CREATE TABLE IF NOT EXISTS does nothing.
            t.create(engine)?;
            Ok(())
        },
    );
}

#[test]
fn create_index_if_not_exists() {
    run(
        origin("test_create_index_if_not_exists"),
        &[Flag::IndexDdlIfExists],
        |_, engine| {
            let t = simple(true, None)?;
            let ix = t.indexes()[0].clone();
            let mut conn = engine.connect()?;
            conn.execute(&Ddl::CreateTableIfNotExists(t.clone()))?;
            assert!(has_table(engine, "test_table")?);
            assert!(!index_names(engine)?.contains(&"test_index".to_string()));
            conn.execute(&Ddl::CreateIndexIfNotExists(t.clone(), ix.clone()))?;
            assert!(index_names(engine)?.contains(&"test_index".to_string()));
            conn.execute(&Ddl::CreateIndexIfNotExists(t, ix))?;
            Ok(())
        },
    );
}

#[test]
fn drop_table_if_exists() {
    run(
        origin("test_drop_table_if_exists"),
        &[Flag::TableDdlIfExists],
        |_, engine| {
            let t = simple(false, None)?;
            t.create(engine)?;
            assert!(has_table(engine, "test_table")?);
            let mut conn = engine.connect()?;
            conn.execute(&Ddl::DropTableIfExists(t.clone()))?;
            assert!(!has_table(engine, "test_table")?);
            conn.execute(&Ddl::DropTableIfExists(t))?;
            Ok(())
        },
    );
}

#[test]
fn drop_table_if_exists_via_drop() {
    run(
        origin("test_drop_table_if_exists_via_drop"),
        &[Flag::TableDdlIfExists],
        |_, engine| {
            let t = simple(false, None)?;
            t.create(engine)?;
            assert!(has_table(engine, "test_table")?);
            t.set_dropper_ddl(Ddl::DropTableIfExists(t.clone()))?;
            t.drop(engine)?;
            assert!(!has_table(engine, "test_table")?);
            // The table is gone: DROP TABLE IF EXISTS does nothing.
            t.drop(engine)?;
            Ok(())
        },
    );
}

#[test]
fn drop_index_if_exists() {
    run(
        origin("test_drop_index_if_exists"),
        &[Flag::IndexDdlIfExists],
        |_, engine| {
            let t = simple(true, None)?;
            let ix = t.indexes()[0].clone();
            t.create(engine)?;
            assert!(index_names(engine)?.contains(&"test_index".to_string()));
            let mut conn = engine.connect()?;
            conn.execute(&Ddl::DropIndexIfExists(t.clone(), ix.clone()))?;
            assert!(!index_names(engine)?.contains(&"test_index".to_string()));
            conn.execute(&Ddl::DropIndexIfExists(t, ix))?;
            Ok(())
        },
    );
}

/// SQLAlchemy's `test_schema`, made for one test and dropped after it: a PostgreSQL schema, a
/// MariaDB database, or on SQLite a database file attached as `test_schema` by every
/// connection of an engine of its own (an attachment is per connection).
pub(crate) struct TestSchema {
    pub(crate) name: String,
    pub(crate) engine: Engine,
    drop: Option<String>,
    file: Option<std::path::PathBuf>,
}

impl TestSchema {
    pub(crate) fn new(dialect: &str, engine: &Engine) -> Result<TestSchema> {
        if dialect == "sqlite" {
            static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
            let file = std::env::temp_dir().join(format!(
                "athanor-test-schema-{}-{}.db",
                std::process::id(),
                N.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            ));
            let attach = format!(
                "ATTACH DATABASE '{}' AS test_schema",
                file.display().to_string().replace('\'', "''")
            );
            let engine = create_engine_with(
                "sqlite://",
                EngineOptions::new().on_connect(move |conn| conn.exec_driver_sql(&attach)),
            )?;
            return Ok(TestSchema {
                name: "test_schema".into(),
                engine,
                drop: None,
                file: Some(file),
            });
        }
        let base = engine.default_schema_name()?.unwrap_or_default();
        let tail: String = {
            let v: Vec<char> = base.chars().rev().take(40).collect();
            v.into_iter().rev().collect()
        };
        let name = format!("test_schema_{tail}");
        let (create, drop) = if dialect == "postgresql" {
            (
                format!("CREATE SCHEMA \"{name}\""),
                format!("DROP SCHEMA \"{name}\" CASCADE"),
            )
        } else {
            (
                format!("CREATE DATABASE `{name}`"),
                format!("DROP DATABASE `{name}`"),
            )
        };
        engine.connect()?.exec_driver_sql(&create)?;
        Ok(TestSchema {
            name,
            engine: engine.clone(),
            drop: Some(drop),
            file: None,
        })
    }
}

impl Drop for TestSchema {
    fn drop(&mut self) {
        if let Some(sql) = &self.drop
            && let Ok(mut c) = self.engine.connect()
        {
            let _ = c.exec_driver_sql(sql);
        }
        self.engine.dispose();
        if let Some(f) = &self.file {
            let _ = std::fs::remove_file(f);
        }
    }
}

#[test]
fn create_table_schema() {
    run(
        origin("test_create_table_schema"),
        &[Flag::CreateTable, Flag::Schemas],
        |dialect, engine| {
            let schema = TestSchema::new(dialect, engine)?;
            let md = MetaData::new();
            let t = Table::build("test_table", &md)
                .schema(schema.name.as_str())
                .column(
                    Column::new("id", Type::Integer)
                        .primary_key()
                        .autoincrement(false),
                )
                .column(Column::new("data", Type::String(Some(50))))
                .finish()?;
            t.create(&schema.engine)?;
            simple_roundtrip(&schema.engine, &t, "data")?;
            // It is the other schema's table: the default schema has none of that name.
            assert!(!has_table(&schema.engine, "test_table")?);
            assert!(
                schema
                    .engine
                    .inspect()
                    .has_table("test_table", Some(&schema.name))?
            );
            Ok(())
        },
    );
}
