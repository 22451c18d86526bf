//! Ported from SQLAlchemy's `lib/sqlalchemy/testing/suite/test_reflection.py`: `HasTableTest`
//! (the tests not needing temporary tables).

use std::collections::BTreeMap;

use athanor::prelude::*;
use athanor::reflect::TableKey;
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

/// The map `has_multi_table` answers: each name, keyed with the schema as asked.
fn expected(schema: Option<&str>, names: &[(&str, bool)]) -> BTreeMap<TableKey, bool> {
    names
        .iter()
        .map(|(n, b)| ((schema.map(str::to_string), n.to_string()), *b))
        .collect()
}

const MULTI: [&str; 3] = ["test_table", "test_table_s", "nonexistent_table"];

#[test]
fn has_multi_table() {
    run(origin("test_has_multi_table"), &[], |dialect, engine| {
        has_table_fixture(dialect, engine)?;
        assert_eq!(
            engine.inspect().has_multi_table(&MULTI, None)?,
            expected(
                None,
                &[
                    ("test_table", true),
                    ("test_table_s", false),
                    ("nonexistent_table", false)
                ]
            )
        );
        Ok(())
    });
}

#[test]
fn has_multi_table_schema() {
    run(
        origin("test_has_multi_table_schema"),
        &[Flag::Schemas],
        |dialect, engine| {
            let ts = has_table_fixture(dialect, engine)?;
            assert_eq!(
                engine.inspect().has_multi_table(&MULTI, Some(&ts))?,
                expected(
                    Some(&ts),
                    &[
                        ("test_table", false),
                        ("test_table_s", true),
                        ("nonexistent_table", false)
                    ]
                )
            );
            Ok(())
        },
    );
}

#[test]
fn has_table_cache() {
    run(origin("test_has_table_cache"), &[], |dialect, engine| {
        has_table_fixture(dialect, engine)?;
        let insp = engine.inspect();
        assert!(insp.has_table("test_table", None)?);
        let md = MetaData::new();
        let nt = Table::build("new_table", &md)
            .column(Column::new("col", Type::Integer))
            .finish()?;
        assert!(!insp.has_table("new_table", None)?);
        nt.create(engine)?;
        assert!(!insp.has_table("new_table", None)?, "memoised");
        insp.clear_cache();
        assert!(insp.has_table("new_table", None)?);
        nt.drop(engine)?;
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
            assert_eq!(
                insp.has_multi_table(&["test_table"], Some("nonexistent_schema"))?,
                expected(Some("nonexistent_schema"), &[("test_table", false)])
            );
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

/// `ComponentReflectionTest.test_column_collation_reflection`: a `String` column collated
/// with the dialect's order-by collation (`POSIX` on PostgreSQL, quoted) reflects with that
/// collation, by `Table::autoload` and by the inspector; one without reflects with none.
#[test]
fn column_collation_reflection() {
    run(
        Origin {
            file: "test_reflection.py",
            class: "ComponentReflectionTest",
            test: "test_column_collation_reflection",
        },
        &[Flag::ColumnCollationReflection, Flag::OrderByCollation],
        |dialect, engine| {
            let collation = match dialect {
                "postgresql" => "POSIX",
                "mysql" => "utf8mb4_bin",
                _ => "NOCASE",
            };
            let md = MetaData::new();
            let t = Table::build("t", &md)
                .column(Column::new(
                    "collated",
                    Type::String(None).collate(collation),
                ))
                .column(Column::new("not_collated", Type::String(None)))
                .finish()?;
            assert_eq!(
                Ddl::CreateTable(t).compile(engine.dialect())?.sql(),
                "CREATE TABLE t (collated VARCHAR COLLATE \"POSIX\", not_collated VARCHAR)"
            );
            md.create_all(engine)?;

            let m2 = MetaData::new();
            let t2 = Table::autoload("t", &m2, engine)?;
            assert_eq!(t2.c("collated").sql_type().collation(), Some(collation));
            assert_eq!(t2.c("not_collated").sql_type().collation(), None);

            let cols = engine.inspect().get_columns("t", None)?;
            assert_eq!(cols.len(), 2);
            assert_eq!(cols[0].ty.collation(), Some(collation));
            assert_eq!(cols[1].ty.collation(), None);
            assert_eq!(cols[0].ty.generic(), &Type::String(None));
            Ok(())
        },
    );
}
