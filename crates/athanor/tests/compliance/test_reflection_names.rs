//! Ported from SQLAlchemy's `lib/sqlalchemy/testing/suite/test_reflection.py`: the classes
//! about what a name can be and whether it is there — `HasIndexTest`, `QuotedNameArgumentTest`
//! (names holding quotes), `BizarroCharacterTest` (names holding `(`, `%`, `[`),
//! `TableNoColumnsTest` — and `ComponentReflectionTest.test_schema_cache` (behaviour,
//! fixtures and assertions; not code).

use athanor::prelude::*;
use athanor::reflect::{ObjectKind, ReflectOptions};
use athanor::{Engine, Result};

use super::harness::{Origin, run};
use super::reflection_fixture::{default_schema, make_test_schema};
use super::requirements::Flag;

const FILE: &str = "test_reflection.py";

fn origin(class: &'static str, test: &'static str) -> Origin {
    Origin {
        file: FILE,
        class,
        test,
    }
}

/// `name` quoted as the database quotes identifiers (the suite's `identifier_preparer.quote`,
/// here always quoting).
fn quote(engine: &Engine, name: &str) -> String {
    let (open, close) = engine.dialect().quote_chars();
    let doubled = format!("{close}{close}");
    format!("{open}{}{close}", name.replace(close, &doubled))
}

// ---------------------------------------------------------------------------------------
// HasIndexTest

/// `test_table` with `my_idx` on `data` in the default schema; `test_table` with `my_idx_s`
/// in the second one (made where `schemas` holds: everywhere here). Returns the table and
/// the second schema's name.
fn has_index_fixture(dialect: &str, engine: &Engine) -> Result<(MetaData, String)> {
    let ts = make_test_schema(dialect, engine)?;
    let md = MetaData::new();
    Table::build("test_table", &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .column(Column::new("data", Type::String(Some(50))))
        .column(Column::new("data2", Type::String(Some(50))))
        .index(Index::new("my_idx", ["data"]))
        .finish()?;
    Table::build("test_table", &md)
        .schema(&ts)
        .column(Column::new("id", Type::Integer).primary_key())
        .column(Column::new("data", Type::String(Some(50))))
        .index(Index::new("my_idx_s", ["data"]))
        .finish()?;
    md.create_all(engine)?;
    Ok((md, ts))
}

/// The suite's `kind` combination: `dialect` asks without a cache (here a new inspector per
/// question — Athanor has no dialect-level `has_index`), `inspector` asks one inspector,
/// whose answers are memoised until `clear_cache`.
const KINDS: [&str; 2] = ["dialect", "inspector"];

#[test]
fn has_index() {
    run(
        origin("HasIndexTest", "test_has_index"),
        &[Flag::IndexReflection],
        |dialect, engine| {
            has_index_fixture(dialect, engine)?;
            for kind in KINDS {
                let insp = engine.inspect();
                let has = |t: &str, i: &str| -> Result<bool> {
                    if kind == "dialect" {
                        engine.inspect().has_index(t, i, None)
                    } else {
                        insp.has_index(t, i, None)
                    }
                };
                assert!(has("test_table", "my_idx")?, "{kind}");
                assert!(!has("test_table", "my_idx_s")?, "{kind}");
                assert!(!has("nonexistent_table", "my_idx")?, "{kind}");
                assert!(!has("test_table", "nonexistent_idx")?, "{kind}");

                assert!(!has("test_table", "my_idx_2")?, "{kind}");
                assert!(!has("test_table_2", "my_idx_3")?, "{kind}");
                let md2 = MetaData::new();
                let t2 = Table::build("test_table_2", &md2)
                    .column(Column::new("foo", Type::Integer))
                    .index(Index::new("my_idx_3", ["foo"]))
                    .finish()?;
                engine
                    .connect()?
                    .exec_driver_sql("CREATE INDEX my_idx_2 ON test_table (data2)")?;
                t2.create(engine)?;
                if kind == "inspector" {
                    assert!(!has("test_table", "my_idx_2")?, "memoised");
                    assert!(!has("test_table_2", "my_idx_3")?, "memoised");
                    insp.clear_cache();
                }
                assert!(has("test_table", "my_idx_2")?, "{kind}");
                assert!(has("test_table_2", "my_idx_3")?, "{kind}");
                t2.drop(engine)?;
                let on = if dialect == "mysql" {
                    " ON test_table"
                } else {
                    ""
                };
                engine
                    .connect()?
                    .exec_driver_sql(&format!("DROP INDEX my_idx_2{on}"))?;
            }
            Ok(())
        },
    );
}

#[test]
fn has_index_schema() {
    run(
        origin("HasIndexTest", "test_has_index_schema"),
        &[Flag::IndexReflection, Flag::Schemas],
        |dialect, engine| {
            let (_md, ts) = has_index_fixture(dialect, engine)?;
            for kind in KINDS {
                let insp = engine.inspect();
                let has = |t: &str, i: &str| -> Result<bool> {
                    if kind == "dialect" {
                        engine.inspect().has_index(t, i, Some(&ts))
                    } else {
                        insp.has_index(t, i, Some(&ts))
                    }
                };
                assert!(has("test_table", "my_idx_s")?, "{kind}");
                assert!(!has("test_table", "my_idx")?, "{kind}");
                assert!(!has("nonexistent_table", "my_idx_s")?, "{kind}");
                assert!(!has("test_table", "nonexistent_idx_s")?, "{kind}");
            }
            Ok(())
        },
    );
}

// ---------------------------------------------------------------------------------------
// QuotedNameArgumentTest

/// The suite's `quote_fixtures`: both names (`symbol_names_w_double_quote` holds on all
/// three databases).
const QUOTED: [&str; 2] = ["quote ' one", "quote \" two"];

/// The two tables whose names, and whose constraints' names, hold quotes, the `related`
/// table their foreign keys refer to, and a view of each (`view <name>`, where
/// `view_column_reflection` holds: everywhere here).
fn quoted_fixture(engine: &Engine) -> Result<()> {
    let md = MetaData::new();
    Table::build("related", &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .column(Column::new("related", Type::Integer))
        .finish()?;
    for (name, suffix, ck_suffix) in [
        ("quote ' one", "quote ' one", "quote ' one"),
        ("quote \" two", "quote \" two", "quote \" two "),
    ] {
        // The unique constraint's name has no space before the quote, as in the suite.
        let uq = suffix.replacen(" '", "'", 1).replacen(" \"", "\"", 1);
        Table::build(name, &md)
            .column(Column::new("id", Type::Integer))
            .column(Column::new("name", Type::String(Some(50))))
            .column(Column::new("data", Type::String(Some(50))))
            .column(Column::new("related_id", Type::Integer))
            .primary_key(PrimaryKeyConstraint::new(["id"]).name(format!("pk {suffix}")))
            .index(Index::new(format!("ix {suffix}"), ["name"]))
            .unique(UniqueConstraint::new(["data"]).name(format!("uq {uq}")))
            .foreign_key(
                ForeignKeyConstraint::new(["id"], "related", ["id"]).name(format!("fk {suffix}")),
            )
            .check(CheckConstraint::new("name != 'foo'").name(format!("ck {ck_suffix}")))
            .comment(format!("{name} comment"))
            .finish()?;
    }
    md.create_all(engine)?;
    let mut conn = engine.connect()?;
    for name in QUOTED {
        conn.exec_driver_sql(&format!(
            "CREATE VIEW {} AS SELECT * FROM {}",
            quote(engine, &format!("view {name}")),
            quote(engine, name)
        ))?;
    }
    Ok(())
}

#[test]
fn quoted_get_view_definition() {
    run(
        origin("QuotedNameArgumentTest", "test_get_view_definition"),
        &[Flag::SymbolNamesWDoubleQuote, Flag::ViewColumnReflection],
        |_, engine| {
            quoted_fixture(engine)?;
            let insp = engine.inspect();
            for name in QUOTED {
                let def = insp.get_view_definition(&format!("view {name}"), None)?;
                assert!(!def.is_empty(), "{name}");
            }
            Ok(())
        },
    );
}

#[test]
fn quoted_get_columns() {
    run(
        origin("QuotedNameArgumentTest", "test_get_columns"),
        &[Flag::SymbolNamesWDoubleQuote],
        |_, engine| {
            quoted_fixture(engine)?;
            let insp = engine.inspect();
            for name in QUOTED {
                let cols: Vec<String> = insp
                    .get_columns(name, None)?
                    .into_iter()
                    .map(|c| c.name)
                    .collect();
                assert_eq!(cols, ["id", "name", "data", "related_id"], "{name}");
            }
            Ok(())
        },
    );
}

#[test]
fn quoted_get_pk_constraint() {
    run(
        origin("QuotedNameArgumentTest", "test_get_pk_constraint"),
        &[Flag::SymbolNamesWDoubleQuote],
        |_, engine| {
            quoted_fixture(engine)?;
            let insp = engine.inspect();
            for name in QUOTED {
                let pk = insp.get_pk_constraint(name, None)?;
                assert_eq!(pk.constrained_columns, ["id"], "{name}");
            }
            Ok(())
        },
    );
}

#[test]
fn quoted_get_foreign_keys() {
    run(
        origin("QuotedNameArgumentTest", "test_get_foreign_keys"),
        &[
            Flag::SymbolNamesWDoubleQuote,
            Flag::ForeignKeyConstraintReflection,
        ],
        |_, engine| {
            quoted_fixture(engine)?;
            let insp = engine.inspect();
            for name in QUOTED {
                let fks = insp.get_foreign_keys(name, None)?;
                assert_eq!(fks.len(), 1, "{name}");
                assert_eq!(fks[0].name.as_deref(), Some(format!("fk {name}").as_str()));
                assert_eq!(fks[0].referred_table, "related", "{name}");
                assert_eq!(fks[0].constrained_columns, ["id"], "{name}");
            }
            Ok(())
        },
    );
}

#[test]
fn quoted_get_indexes() {
    run(
        origin("QuotedNameArgumentTest", "test_get_indexes"),
        &[Flag::SymbolNamesWDoubleQuote, Flag::IndexReflection],
        |_, engine| {
            quoted_fixture(engine)?;
            let insp = engine.inspect();
            for name in QUOTED {
                let ix = insp.get_indexes(name, None)?;
                let want = format!("ix {name}");
                assert!(
                    ix.iter()
                        .any(|i| i.name == want && i.column_names == [Some("name".to_string())]),
                    "{name}: {ix:?}"
                );
            }
            Ok(())
        },
    );
}

#[test]
fn quoted_get_unique_constraints() {
    run(
        origin("QuotedNameArgumentTest", "test_get_unique_constraints"),
        &[
            Flag::SymbolNamesWDoubleQuote,
            Flag::UniqueConstraintReflection,
        ],
        |_, engine| {
            quoted_fixture(engine)?;
            let insp = engine.inspect();
            for (name, uq) in QUOTED.iter().zip(["uq quote' one", "uq quote\" two"]) {
                let u = insp.get_unique_constraints(name, None)?;
                assert_eq!(u.len(), 1, "{name}");
                assert_eq!(u[0].name.as_deref(), Some(uq));
                assert_eq!(u[0].column_names, ["data"], "{name}");
            }
            Ok(())
        },
    );
}

#[test]
fn quoted_get_table_comment() {
    run(
        origin("QuotedNameArgumentTest", "test_get_table_comment"),
        &[Flag::SymbolNamesWDoubleQuote, Flag::CommentReflection],
        |_, engine| {
            quoted_fixture(engine)?;
            let insp = engine.inspect();
            for name in QUOTED {
                assert_eq!(
                    insp.get_table_comment(name, None)?,
                    Some(format!("{name} comment"))
                );
            }
            Ok(())
        },
    );
}

#[test]
fn quoted_get_check_constraints() {
    run(
        origin("QuotedNameArgumentTest", "test_get_check_constraints"),
        &[
            Flag::SymbolNamesWDoubleQuote,
            Flag::CheckConstraintReflection,
        ],
        |_, engine| {
            quoted_fixture(engine)?;
            let insp = engine.inspect();
            for (name, ck) in QUOTED.iter().zip(["ck quote ' one", "ck quote \" two "]) {
                let c = insp.get_check_constraints(name, None)?;
                assert!(
                    c.iter().any(|c| c.name.as_deref() == Some(ck)),
                    "{name}: {c:?}"
                );
            }
            Ok(())
        },
    );
}

// ---------------------------------------------------------------------------------------
// BizarroCharacterTest

/// The suite's `table_names` and `column_names` combinations.
const TABLE_NAMES: [&str; 4] = ["plain", "(2)", "per % cent", "[brackets]"];
const COLUMN_NAMES: [&str; 4] = ["plainname", "(3)", "col%p", "[brack]"];

#[test]
fn bizarro_fk_ref() {
    run(
        origin("BizarroCharacterTest", "test_fk_ref"),
        &[Flag::ForeignKeyConstraintReflection],
        |_, engine| {
            for use_composite in [true, false] {
                for tablename in TABLE_NAMES {
                    for columnname in COLUMN_NAMES {
                        let case = format!("{tablename} / {columnname} / {use_composite}");
                        let md = MetaData::new();
                        let mut tt = Table::build(tablename, &md)
                            .column(Column::new(columnname, Type::Integer).primary_key());
                        if use_composite {
                            tt = tt.column(Column::new("id2", Type::Integer).primary_key());
                        }
                        tt.finish()?;
                        let other = Table::build("other", &md)
                            .column(Column::new("id", Type::Integer).primary_key())
                            .column(Column::new("ref", Type::Integer));
                        if use_composite {
                            other
                                .column(Column::new("ref2", Type::Integer))
                                .foreign_key(ForeignKeyConstraint::new(
                                    ["ref", "ref2"],
                                    tablename,
                                    [columnname, "id2"],
                                ))
                                .finish()?;
                        } else {
                            other
                                .foreign_key(ForeignKeyConstraint::new(
                                    ["ref"],
                                    tablename,
                                    [columnname],
                                ))
                                .finish()?;
                        }
                        md.create_all(engine)?;

                        let m2 = MetaData::new();
                        let o2 = Table::autoload("other", &m2, engine)?;
                        let t1 = m2
                            .table(tablename)
                            .unwrap_or_else(|| panic!("{case}: {tablename} not loaded"));
                        let fks = o2.foreign_keys();
                        assert_eq!(fks.len(), 1, "{case}");
                        assert_eq!(fks[0].referred_table, t1.name(), "{case}");
                        let cols = t1.columns();
                        // o2.c.ref references t1.c[0] (and o2.c.ref2, t1.c[1]).
                        let pos = |c: &str| fks[0].columns.iter().position(|x| x == c);
                        let refers =
                            |i: Option<usize>| i.map(|i| fks[0].referred_columns[i].clone());
                        assert_eq!(
                            refers(pos("ref")),
                            Some(cols[0].name().to_string()),
                            "{case}"
                        );
                        if use_composite {
                            assert_eq!(
                                refers(pos("ref2")),
                                Some(cols[1].name().to_string()),
                                "{case}"
                            );
                        }
                        md.drop_all(engine)?;
                    }
                }
            }
            Ok(())
        },
    );
}

#[test]
fn bizarro_reflect_identity() {
    run(
        origin("BizarroCharacterTest", "test_reflect_identity"),
        &[Flag::IdentityColumns],
        |_, engine| {
            for tablename in TABLE_NAMES {
                for columnname in COLUMN_NAMES {
                    let md = MetaData::new();
                    Table::build(tablename, &md)
                        .column(
                            Column::new(columnname, Type::Integer)
                                .identity(Identity::new())
                                .primary_key(),
                        )
                        .finish()?;
                    md.create_all(engine)?;
                    let cols = engine.inspect().get_columns(tablename, None)?;
                    let start = cols[0].identity.as_ref().and_then(|i| i.start);
                    assert_eq!(start, Some(1), "{tablename} / {columnname}");
                    md.drop_all(engine)?;
                }
            }
            Ok(())
        },
    );
}

#[test]
fn bizarro_reflect_comments() {
    run(
        origin("BizarroCharacterTest", "test_reflect_comments"),
        &[Flag::CommentReflection],
        |_, engine| {
            for tablename in TABLE_NAMES {
                for columnname in COLUMN_NAMES {
                    let md = MetaData::new();
                    Table::build(tablename, &md)
                        .column(Column::new("id", Type::Integer).primary_key())
                        .column(Column::new(columnname, Type::Integer).comment("some comment"))
                        .finish()?;
                    md.create_all(engine)?;
                    let cols = engine.inspect().get_columns(tablename, None)?;
                    assert_eq!(
                        cols[1].comment.as_deref(),
                        Some("some comment"),
                        "{tablename} / {columnname}"
                    );
                    md.drop_all(engine)?;
                }
            }
            Ok(())
        },
    );
}

// ---------------------------------------------------------------------------------------
// TableNoColumnsTest

/// The suite's `table_no_columns` fixture: a table `empty` with no columns.
fn table_no_columns(engine: &Engine) -> Result<()> {
    let md = MetaData::new();
    Table::build("empty", &md).finish()?;
    md.create_all(engine)
}

/// The suite's `view_no_columns` fixture: `empty` and a view `empty_v` of it.
fn view_no_columns(engine: &Engine) -> Result<()> {
    table_no_columns(engine)?;
    engine
        .connect()?
        .exec_driver_sql("CREATE VIEW empty_v AS SELECT * FROM empty")?;
    Ok(())
}

#[test]
fn reflect_table_no_columns() {
    run(
        origin("TableNoColumnsTest", "test_reflect_table_no_columns"),
        &[Flag::ReflectTablesNoColumns],
        |_, engine| {
            table_no_columns(engine)?;
            let t2 = Table::autoload("empty", &MetaData::new(), engine)?;
            assert!(t2.columns().is_empty());
            Ok(())
        },
    );
}

#[test]
fn get_columns_table_no_columns() {
    run(
        origin("TableNoColumnsTest", "test_get_columns_table_no_columns"),
        &[Flag::ReflectTablesNoColumns],
        |_, engine| {
            table_no_columns(engine)?;
            let insp = engine.inspect();
            assert_eq!(insp.get_columns("empty", None)?, vec![]);
            let multi = insp.get_multi_columns(&ReflectOptions::new())?;
            assert_eq!(
                multi.into_iter().collect::<Vec<_>>(),
                vec![((None, "empty".to_string()), vec![])]
            );
            Ok(())
        },
    );
}

#[test]
fn reflect_incl_table_no_columns() {
    run(
        origin("TableNoColumnsTest", "test_reflect_incl_table_no_columns"),
        &[Flag::ReflectTablesNoColumns],
        |_, engine| {
            table_no_columns(engine)?;
            let m = MetaData::new();
            m.reflect(engine)?;
            assert!(m.table_names().contains(&"empty".to_string()));
            Ok(())
        },
    );
}

#[test]
fn reflect_view_no_columns() {
    run(
        origin("TableNoColumnsTest", "test_reflect_view_no_columns"),
        &[Flag::ReflectTablesNoColumns, Flag::Views],
        |_, engine| {
            view_no_columns(engine)?;
            let t2 = Table::autoload("empty_v", &MetaData::new(), engine)?;
            assert!(t2.columns().is_empty());
            Ok(())
        },
    );
}

#[test]
fn get_columns_view_no_columns() {
    run(
        origin("TableNoColumnsTest", "test_get_columns_view_no_columns"),
        &[Flag::ReflectTablesNoColumns, Flag::Views],
        |_, engine| {
            view_no_columns(engine)?;
            let insp = engine.inspect();
            assert_eq!(insp.get_columns("empty_v", None)?, vec![]);
            let multi = insp.get_multi_columns(&ReflectOptions::new().kind(ObjectKind::VIEW))?;
            assert_eq!(
                multi.into_iter().collect::<Vec<_>>(),
                vec![((None, "empty_v".to_string()), vec![])]
            );
            Ok(())
        },
    );
}

// ---------------------------------------------------------------------------------------
// ComponentReflectionTest.test_schema_cache

#[test]
fn schema_cache() {
    run(
        origin("ComponentReflectionTest", "test_schema_cache"),
        &[Flag::SchemaReflection, Flag::SchemaCreateDelete],
        |_dialect, engine| {
            // The suite's `foo_bar`, named after this test's private schema (dropped with it)
            // so that tests running at once on the same server don't meet.
            let name = format!("{}_ts", default_schema(_dialect, engine)?);
            let insp = engine.inspect();
            assert!(!insp.get_schema_names()?.contains(&name));
            assert!(!insp.has_schema(&name)?);
            let mut conn = engine.connect()?;
            conn.exec_driver_sql(&format!("CREATE SCHEMA {}", quote(engine, &name)))?;
            assert!(!insp.get_schema_names()?.contains(&name), "memoised");
            assert!(!insp.has_schema(&name)?, "memoised");
            insp.clear_cache();
            assert!(insp.get_schema_names()?.contains(&name));
            assert!(insp.has_schema(&name)?);
            conn.exec_driver_sql(&format!("DROP SCHEMA {}", quote(engine, &name)))?;
            Ok(())
        },
    );
}
