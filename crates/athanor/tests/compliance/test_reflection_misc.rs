//! Ported from SQLAlchemy's `lib/sqlalchemy/testing/suite/test_reflection.py`: `HasTableTest`
//! (the tests not needing temporary tables, `has_multi_table` or a cached `has_table`).

use athanor::prelude::*;
use athanor::{Engine, Result};

use super::harness::{Origin, run};
use super::reflection_fixture::make_test_schema;
use super::requirements::Flag;

fn origin(test: &'static str) -> Origin {
    Origin {
        file: "test_reflection.py",
        class: "HasTableTest",
        test,
    }
}

/// `test_table` in the default schema, `test_table_s` in the second one, and a view `vv` of
/// each in its schema; returns the second schema's name.
fn has_table_fixture(dialect: &str, engine: &Engine) -> Result<String> {
    let ts = make_test_schema(dialect, engine)?;
    let md = MetaData::new();
    for (name, schema) in [("test_table", None), ("test_table_s", Some(ts.as_str()))] {
        let mut b = Table::build(name, &md)
            .column(Column::new("id", Type::Integer).primary_key())
            .column(Column::new("data", Type::String(Some(50))));
        if let Some(s) = schema {
            b = b.schema(s);
        }
        b.finish()?;
    }
    md.create_all(engine)?;
    let mut conn = engine.connect()?;
    conn.exec_driver_sql("CREATE VIEW vv AS SELECT id, data FROM test_table")?;
    conn.exec_driver_sql(&format!(
        "CREATE VIEW {ts}.vv AS SELECT id, data FROM {ts}.test_table_s"
    ))?;
    Ok(ts)
}

#[test]
fn has_table() {
    run(origin("test_has_table"), &[], |dialect, engine| {
        has_table_fixture(dialect, engine)?;
        let insp = engine.inspect();
        assert!(insp.has_table("test_table", None)?);
        assert!(!insp.has_table("test_table_s", None)?);
        assert!(!insp.has_table("nonexistent_table", None)?);
        Ok(())
    });
}

#[test]
fn has_table_schema() {
    run(
        origin("test_has_table_schema"),
        &[Flag::Schemas],
        |dialect, engine| {
            let ts = has_table_fixture(dialect, engine)?;
            let insp = engine.inspect();
            assert!(!insp.has_table("test_table", Some(&ts))?);
            assert!(insp.has_table("test_table_s", Some(&ts))?);
            assert!(!insp.has_table("nonexistent_table", Some(&ts))?);
            Ok(())
        },
    );
}

#[test]
fn has_table_nonexistent_schema() {
    run(
        origin("test_has_table_nonexistent_schema"),
        &[Flag::Schemas],
        |dialect, engine| {
            has_table_fixture(dialect, engine)?;
            let insp = engine.inspect();
            assert!(!insp.has_table("test_table", Some("nonexistent_schema"))?);
            Ok(())
        },
    );
}

#[test]
fn has_table_view() {
    run(
        origin("test_has_table_view"),
        &[Flag::Views],
        |dialect, engine| {
            has_table_fixture(dialect, engine)?;
            assert!(engine.inspect().has_table("vv", None)?);
            Ok(())
        },
    );
}

#[test]
fn has_table_view_schema() {
    run(
        origin("test_has_table_view_schema"),
        &[Flag::Views, Flag::Schemas],
        |dialect, engine| {
            let ts = has_table_fixture(dialect, engine)?;
            assert!(engine.inspect().has_table("vv", Some(&ts))?);
            Ok(())
        },
    );
}
