//! Ported from SQLAlchemy's `lib/sqlalchemy/testing/suite/test_reflection.py`: the tests of
//! temporary tables and views (`HasTableTest`, `TempTableElementsTest`,
//! `ComponentReflectionTest`), of table options (`ComponentReflectionTest`), and the classes
//! `ComputedReflectionTest` and `IdentityReflectionTest` (behaviour, fixtures and assertions;
//! not code).
//!
//! A temporary table lives on the connection that created it: as SQLAlchemy's
//! `OneConnectionTablesTest`, each test creates it on one connection and inspects through
//! that connection (`Connection::into_inspector`, SQLAlchemy's `inspect(connection)`).

use std::collections::BTreeMap;

use athanor::prelude::*;
use athanor::reflect::{ReflectOptions, table_from_reflection};
use athanor::schema::{Computed, Identity, ServerDefault};
use athanor::sql::Ddl;
use athanor::{Connection, Engine, Result};

use super::harness::{Origin, run};
use super::reflection_fixture::{make_test_schema, reflection};
use super::requirements::Flag;
use super::test_reflection_multi::{each_combination, keys, schema_of};

const FILE: &str = "test_reflection.py";

fn origin(class: &'static str, test: &'static str) -> Origin {
    Origin {
        file: FILE,
        class,
        test,
    }
}

/// The suite's `config.ident`, part of the temporary table's name.
const IDENT: &str = "test";

/// `user_tmp_<ident>` (the suite's `get_temp_table_name`: the name itself on these databases).
fn temp_table_name() -> String {
    format!("user_tmp_{IDENT}")
}

/// The temporary table of `HasTableTest` (`id`, `name`) or, with `full`, of
/// `ComponentReflectionTest` (plus `foo`, a named unique constraint on `name` and the index
/// `user_tmp_ix` on `foo`), created as `TEMPORARY` on `conn`; and, where the database has
/// temporary views (`view_reflection` and `temporary_views`), the temporary view
/// `user_tmp_v` of all its columns.
fn create_temp_fixture(dialect: &str, conn: &mut Connection, full: bool) -> Result<Table> {
    let md = MetaData::new();
    let mut b = Table::build(temp_table_name(), &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .column(Column::new("name", Type::String(Some(50))));
    if full {
        b = b
            .column(Column::new("foo", Type::Integer))
            .unique(UniqueConstraint::new(["name"]).name(format!("user_tmp_uq_{IDENT}")))
            .index(Index::new("user_tmp_ix", ["foo"]));
    }
    let t = b.prefixes(["TEMPORARY"]).finish()?;
    conn.execute(&Ddl::CreateTable(t.clone()))?;
    for ix in t.indexes() {
        conn.execute(&Ddl::CreateIndex(t.clone(), ix.clone()))?;
    }
    if Flag::ViewReflection.on(dialect) && Flag::TemporaryViews.on(dialect) {
        conn.exec_driver_sql(&format!(
            "CREATE TEMPORARY VIEW user_tmp_v AS SELECT * FROM {}",
            temp_table_name()
        ))?;
    }
    Ok(t)
}

// ---- HasTableTest ----

#[test]
fn has_table_temp_table() {
    run(
        origin("HasTableTest", "test_has_table_temp_table"),
        &[Flag::HasTempTable],
        |dialect, engine| {
            let mut conn = engine.connect()?;
            create_temp_fixture(dialect, &mut conn, false)?;
            let insp = conn.into_inspector();
            assert!(insp.has_table(&temp_table_name(), None)?);
            Ok(())
        },
    );
}

#[test]
fn has_table_temp_view() {
    run(
        origin("HasTableTest", "test_has_table_temp_view"),
        &[
            Flag::HasTempTable,
            Flag::ViewReflection,
            Flag::TemporaryViews,
        ],
        |dialect, engine| {
            let mut conn = engine.connect()?;
            create_temp_fixture(dialect, &mut conn, false)?;
            assert!(conn.into_inspector().has_table("user_tmp_v", None)?);
            Ok(())
        },
    );
}

// ---- TempTableElementsTest ----
// The suite names these tables with `get_temp_table_name` but creates them without the
// temporary keyword arguments: on these databases they are ordinary tables.

#[test]
fn temp_table_elements_reflect_identity() {
    run(
        origin("TempTableElementsTest", "test_reflect_identity"),
        &[Flag::TempTableReflection, Flag::IdentityColumns],
        |_, engine| {
            let md = MetaData::new();
            let name = format!("ident_tmp_{IDENT}");
            Table::build(name.clone(), &md)
                .column(
                    Column::new("id", Type::Integer)
                        .identity(Identity::new())
                        .primary_key(),
                )
                .finish()?;
            md.create_all(engine)?;
            let cols = engine.inspect().get_columns(&name, None)?;
            let identity = cols[0].identity.as_ref().expect("an identity column");
            assert_eq!(identity.start, Some(1));
            Ok(())
        },
    );
}

#[test]
fn temp_table_elements_reflect_comments() {
    run(
        origin("TempTableElementsTest", "test_reflect_comments"),
        &[Flag::TempTableReflection, Flag::TempTableCommentReflection],
        |_, engine| {
            let md = MetaData::new();
            let name = format!("ident_tmp_{IDENT}");
            Table::build(name.clone(), &md)
                .column(Column::new("id", Type::Integer).primary_key())
                .column(Column::new("foobar", Type::Integer).comment("some comment"))
                .finish()?;
            md.create_all(engine)?;
            let cols = engine.inspect().get_columns(&name, None)?;
            assert_eq!(cols[1].comment.as_deref(), Some("some comment"));
            Ok(())
        },
    );
}

// ---- ComponentReflectionTest: temporary objects ----

const CRT: &str = "ComponentReflectionTest";

#[test]
fn get_temp_table_names() {
    run(
        origin(CRT, "test_get_temp_table_names"),
        &[Flag::TempTableNames],
        |dialect, engine| {
            reflection(dialect, engine)?;
            let mut conn = engine.connect()?;
            create_temp_fixture(dialect, &mut conn, true)?;
            let insp = conn.into_inspector();
            assert_eq!(insp.get_temp_table_names()?, [temp_table_name()]);
            // ... and they are not tables of the schema.
            assert!(!insp.get_table_names(None)?.contains(&temp_table_name()));
            Ok(())
        },
    );
}

#[test]
fn get_temp_view_names() {
    run(
        origin(CRT, "test_get_temp_view_names"),
        &[Flag::ViewReflection, Flag::TemporaryViews],
        |dialect, engine| {
            reflection(dialect, engine)?;
            let mut conn = engine.connect()?;
            create_temp_fixture(dialect, &mut conn, true)?;
            let insp = conn.into_inspector();
            assert_eq!(insp.get_temp_view_names()?, ["user_tmp_v"]);
            assert!(
                !insp
                    .get_view_names(None)?
                    .contains(&"user_tmp_v".to_string())
            );
            Ok(())
        },
    );
}

/// The generic type family SQLAlchemy's `_compare_type_affinity` compares.
fn family(t: &Type) -> &'static str {
    match t.generic() {
        Type::Integer | Type::SmallInteger | Type::BigInteger => "integer",
        Type::String(_) | Type::Text => "string",
        _ => "other",
    }
}

fn string_length(t: &Type) -> Option<u32> {
    match t.generic() {
        Type::String(n) => *n,
        _ => None,
    }
}

#[test]
fn reflect_table_temp_table() {
    run(
        origin(CRT, "test_reflect_table_temp_table"),
        &[Flag::TempTableReflection],
        |dialect, engine| {
            let mut conn = engine.connect()?;
            let user_tmp = create_temp_fixture(dialect, &mut conn, true)?;
            let insp = conn.into_inspector();
            let reflected = table_from_reflection(
                &insp.reflect_table(user_tmp.name(), None)?,
                &MetaData::new(),
            )?;
            // assert_tables_equal(strict_constraints=False): names, type affinity, lengths.
            assert_eq!(reflected.columns().len(), user_tmp.columns().len());
            for (c, r) in user_tmp.columns().iter().zip(reflected.columns()) {
                assert_eq!(c.name(), r.name());
                assert_eq!(family(&c.ty), family(&r.ty), "{}: {}", c.name(), r.ty);
                if family(&c.ty) == "string" {
                    assert_eq!(string_length(&c.ty), string_length(&r.ty), "{}", c.name());
                }
            }
            Ok(())
        },
    );
}

#[test]
fn get_temp_table_columns() {
    run(
        origin(CRT, "test_get_temp_table_columns"),
        &[Flag::TempTableReflection],
        |dialect, engine| {
            let mut conn = engine.connect()?;
            let user_tmp = create_temp_fixture(dialect, &mut conn, true)?;
            let cols = conn
                .into_inspector()
                .get_columns(&temp_table_name(), None)?;
            assert!(!cols.is_empty());
            let got: Vec<&str> = cols.iter().map(|c| c.name.as_str()).collect();
            let want: Vec<&str> = user_tmp.columns().iter().map(|c| c.name()).collect();
            assert_eq!(got, want);
            Ok(())
        },
    );
}

#[test]
fn get_temp_view_columns() {
    run(
        origin(CRT, "test_get_temp_view_columns"),
        &[
            Flag::TempTableReflection,
            Flag::ViewColumnReflection,
            Flag::TemporaryViews,
        ],
        |dialect, engine| {
            let mut conn = engine.connect()?;
            create_temp_fixture(dialect, &mut conn, true)?;
            let cols = conn.into_inspector().get_columns("user_tmp_v", None)?;
            let names: Vec<&str> = cols.iter().map(|c| c.name.as_str()).collect();
            assert_eq!(names, ["id", "name", "foo"]);
            Ok(())
        },
    );
}

#[test]
fn get_temp_table_unique_constraints() {
    run(
        origin(CRT, "test_get_temp_table_unique_constraints"),
        &[Flag::TempTableReflection, Flag::UniqueConstraintReflection],
        |dialect, engine| {
            let mut conn = engine.connect()?;
            create_temp_fixture(dialect, &mut conn, true)?;
            let ucs = conn
                .into_inspector()
                .get_unique_constraints(&temp_table_name(), None)?;
            assert_eq!(ucs.len(), 1, "{ucs:?}");
            assert_eq!(
                ucs[0].name.as_deref(),
                Some(format!("user_tmp_uq_{IDENT}").as_str())
            );
            assert_eq!(ucs[0].column_names, ["name"]);
            Ok(())
        },
    );
}

#[test]
fn get_temp_table_indexes() {
    run(
        origin(CRT, "test_get_temp_table_indexes"),
        &[Flag::TempTableReflectIndexes],
        |dialect, engine| {
            let mut conn = engine.connect()?;
            create_temp_fixture(dialect, &mut conn, true)?;
            let indexes = conn
                .into_inspector()
                .get_indexes(&temp_table_name(), None)?;
            let ix: Vec<_> = indexes
                .iter()
                .filter(|ix| ix.name == "user_tmp_ix")
                .map(|ix| (ix.unique, ix.column_names.clone()))
                .collect();
            assert_eq!(ix, [(false, vec![Some("foo".to_string())])]);
            Ok(())
        },
    );
}

// ---- ComponentReflectionTest: table options ----

/// What the fixture's tables report: on MySQL the engine, character set and collation the
/// table was made with (SHOW CREATE TABLE's); on PostgreSQL nothing (no WITH, no tablespace).
fn check_options(dialect: &str, options: &BTreeMap<String, String>, table: &str) {
    if dialect == "mysql" {
        for key in ["mysql_engine", "mysql_default charset", "mysql_collate"] {
            assert!(options.contains_key(key), "{table}: {key} in {options:?}");
        }
        let collate = &options["mysql_collate"];
        assert!(
            collate.starts_with(&format!("{}_", options["mysql_default charset"])),
            "{table}: {options:?}"
        );
    } else {
        assert!(options.is_empty(), "{table}: {options:?}");
    }
}

#[test]
fn get_table_options() {
    run(
        origin(CRT, "test_get_table_options"),
        &[],
        |dialect, engine| {
            let fx = reflection(dialect, engine)?;
            let insp = engine.inspect();
            for (schema, needs) in [
                (None, None),
                (Some(fx.test_schema.as_str()), Some(Flag::Schemas)),
            ] {
                if needs.is_some_and(|f| !f.on(dialect)) {
                    continue;
                }
                if Flag::ReflectTableOptions.on(dialect) {
                    check_options(dialect, &insp.get_table_options("users", schema)?, "users");
                    let nc = insp.get_table_options("no_constraints", schema)?;
                    check_options(dialect, &nc, "no_constraints");
                    if dialect == "mysql" {
                        // The table's comment is one of its options there, as in SQLAlchemy.
                        assert_eq!(
                            nc.get("mysql_comment").map(String::as_str),
                            Some("no\nconstraints\rhas\u{c}escaped\u{b}comment")
                        );
                    }
                } else {
                    let err = insp.get_table_options("users", schema).unwrap_err();
                    assert!(matches!(err, Error::Compile(_)), "{err}");
                }
            }
            Ok(())
        },
    );
}

#[test]
fn multi_get_table_options() {
    run(
        origin(CRT, "test_multi_get_table_options"),
        &[],
        |dialect, engine| {
            let fx = reflection(dialect, engine)?;
            let insp = engine.inspect();
            if !Flag::ReflectTableOptions.on(dialect) {
                let err = insp
                    .get_multi_table_options(&ReflectOptions::new())
                    .unwrap_err();
                assert!(matches!(err, Error::Compile(_)), "{err}");
                return Ok(());
            }
            for schema in [None, Some(fx.test_schema.as_str())] {
                let mut o = ReflectOptions::new();
                if let Some(s) = schema {
                    o = o.schema(s);
                }
                let res = insp.get_multi_table_options(&o)?;
                let mut exp = BTreeMap::new();
                for t in insp.get_table_names(schema)? {
                    let options = insp.get_table_options(&t, schema)?;
                    exp.insert((schema.map(str::to_string), t), options);
                }
                assert_eq!(res, exp, "schema {schema:?}");
            }
            Ok(())
        },
    );
}

#[test]
fn multi_get_table_options_tables() {
    run(
        origin(CRT, "test_multi_get_table_options_tables"),
        &[Flag::ReflectTableOptions],
        |dialect, engine| {
            let fx = reflection(dialect, engine)?;
            each_combination(dialect, &fx, |o, want, case| {
                let schema = schema_of(o, &fx);
                let m = engine.inspect().get_multi_table_options(o)?;
                keys(&m, case, schema.as_deref(), want);
                let single = engine.inspect();
                for ((s, t), options) in &m {
                    assert_eq!(
                        options,
                        &single.get_table_options(t, s.as_deref())?,
                        "{case}: {t}"
                    );
                    if t.ends_with("_v") {
                        assert!(options.is_empty(), "{case}: view {t}: {options:?}");
                    }
                }
                Ok(())
            })
        },
    );
}

// ---- QuotedNameArgumentTest.test_get_table_options ----

#[test]
fn quoted_name_get_table_options() {
    run(
        origin("QuotedNameArgumentTest", "test_get_table_options"),
        &[],
        |dialect, engine| {
            // `symbol_names_w_double_quote` is open on all three: both tables. (The suite's
            // views of them play no part in this test and are left out.)
            let names = ["quote ' one", "quote \" two"];
            let md = MetaData::new();
            Table::build("related", &md)
                .column(Column::new("id", Type::Integer).primary_key())
                .column(Column::new("related", Type::Integer))
                .finish()?;
            for (name, short) in [(names[0], "quote ' one"), (names[1], "quote \" two")] {
                let (q1, q2) = short.split_once(' ').unwrap_or((short, ""));
                Table::build(name, &md)
                    .column(Column::new("id", Type::Integer))
                    .column(Column::new("name", Type::String(Some(50))))
                    .column(Column::new("data", Type::String(Some(50))))
                    .column(Column::new("related_id", Type::Integer))
                    .primary_key(PrimaryKeyConstraint::new(["id"]).name(format!("pk {short}")))
                    .index(Index::new(format!("ix {short}"), ["name"]))
                    .unique(UniqueConstraint::new(["data"]).name(format!("uq {q1}{q2}")))
                    .foreign_key(
                        ForeignKeyConstraint::new(["id"], "related", ["id"])
                            .name(format!("fk {short}")),
                    )
                    .check(CheckConstraint::new("name != 'foo'").name(format!("ck {short}")))
                    .comment(format!("{short} comment"))
                    .finish()?;
            }
            md.create_all(engine)?;
            let insp = engine.inspect();
            for name in names {
                if Flag::ReflectTableOptions.on(dialect) {
                    let options = insp.get_table_options(name, None)?;
                    check_options(dialect, &options, name);
                } else {
                    let err = insp.get_table_options(name, None).unwrap_err();
                    assert!(matches!(err, Error::Compile(_)), "{err}");
                }
            }
            Ok(())
        },
    );
}

// ---- ComputedReflectionTest ----

/// `computed_default_table` and `computed_column_table` (in the default schema and, with
/// `/` for `+` and `*` for `-`, in the second one), the virtual and stored columns where the
/// database has them; returns the second schema's name.
fn computed_fixture(dialect: &str, engine: &Engine) -> Result<String> {
    let ts = make_test_schema(dialect, engine)?;
    let md = MetaData::new();
    Table::build("computed_default_table", &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .column(Column::new("normal", Type::Integer))
        .column(Column::new("computed_col", Type::Integer).computed(Computed::new("normal + 42")))
        .column(
            Column::new("with_default", Type::Integer)
                .server_default(ServerDefault::Literal(Value::Text("42".into()))),
        )
        .finish()?;
    for (schema, no_flag, virt, stored) in [
        (None, "normal + 42", "normal + 2", "normal - 42"),
        (
            Some(ts.as_str()),
            "normal / 42",
            "normal / 2",
            "normal * 42",
        ),
    ] {
        let mut b = Table::build("computed_column_table", &md)
            .column(Column::new("id", Type::Integer).primary_key())
            .column(Column::new("normal", Type::Integer))
            .column(
                Column::new("computed_no_flag", Type::Integer).computed(Computed::new(no_flag)),
            );
        if Flag::ComputedColumnsVirtual.on(dialect) {
            b = b.column(
                Column::new("computed_virtual", Type::Integer)
                    .computed(Computed::new(virt).persisted(false)),
            );
        }
        if Flag::ComputedColumnsStored.on(dialect) {
            b = b.column(
                Column::new("computed_stored", Type::Integer)
                    .computed(Computed::new(stored).persisted(true)),
            );
        }
        if let Some(s) = schema {
            b = b.schema(s);
        }
        b.finish()?;
    }
    md.create_all(engine)?;
    Ok(ts)
}

/// The suite's `normalize`: brackets, parentheses, quotes and whitespace out, lower case.
fn normalize(sql: &str) -> String {
    sql.chars()
        .filter(|c| !matches!(c, '[' | ']' | '(' | ')' | '`' | '\'' | '"') && !c.is_whitespace())
        .collect::<String>()
        .to_lowercase()
}

fn columns_by_name(
    engine: &Engine,
    table: &str,
    schema: Option<&str>,
) -> Result<BTreeMap<String, athanor::dialect::reflection::ReflectedColumn>> {
    Ok(engine
        .inspect()
        .get_columns(table, schema)?
        .into_iter()
        .map(|c| (c.name.clone(), c))
        .collect())
}

const COMPUTED: &[Flag] = &[Flag::ComputedColumns, Flag::TableReflection];

#[test]
fn computed_col_default_not_set() {
    run(
        origin(
            "ComputedReflectionTest",
            "test_computed_col_default_not_set",
        ),
        COMPUTED,
        |dialect, engine| {
            computed_fixture(dialect, engine)?;
            let cols = columns_by_name(engine, "computed_default_table", None)?;
            let with_default = cols["with_default"].default.as_deref().unwrap_or_default();
            assert!(with_default.contains("42"), "{with_default}");
            assert_eq!(cols["normal"].default, None);
            assert_eq!(cols["computed_col"].default, None);
            Ok(())
        },
    );
}

#[test]
fn get_column_returns_computed() {
    run(
        origin("ComputedReflectionTest", "test_get_column_returns_computed"),
        COMPUTED,
        |dialect, engine| {
            computed_fixture(dialect, engine)?;
            let cols = columns_by_name(engine, "computed_default_table", None)?;
            for key in ["id", "normal", "with_default"] {
                assert_eq!(cols[key].computed, None, "{key}");
            }
            let computed = cols["computed_col"].computed.as_ref().expect("computed");
            assert_eq!(normalize(&computed.sql), "normal+42");
            // Athanor always says whether it is stored: `computed_columns_reflect_persisted`
            // is open on all three.
            assert!(Flag::ComputedColumnsReflectPersisted.on(dialect));
            assert_eq!(
                computed.persisted,
                Some(Flag::ComputedColumnsDefaultPersisted.on(dialect))
            );
            Ok(())
        },
    );
}

fn check_computed(
    cols: &BTreeMap<String, athanor::dialect::reflection::ReflectedColumn>,
    column: &str,
    sqltext: &str,
    persisted: bool,
) {
    let computed = cols[column]
        .computed
        .as_ref()
        .unwrap_or_else(|| panic!("{column} is computed"));
    assert_eq!(normalize(&computed.sql), sqltext, "{column}");
    assert_eq!(computed.persisted, Some(persisted), "{column}");
}

fn check_persisted(
    dialect: &str,
    engine: &Engine,
    schema: Option<&str>,
    texts: [&str; 3],
) -> Result<()> {
    let cols = columns_by_name(engine, "computed_column_table", schema)?;
    let default_persisted = Flag::ComputedColumnsDefaultPersisted.on(dialect);
    check_computed(&cols, "computed_no_flag", texts[0], default_persisted);
    if Flag::ComputedColumnsVirtual.on(dialect) {
        check_computed(&cols, "computed_virtual", texts[1], false);
    }
    if Flag::ComputedColumnsStored.on(dialect) {
        check_computed(&cols, "computed_stored", texts[2], true);
    }
    Ok(())
}

#[test]
fn get_column_returns_persisted() {
    run(
        origin(
            "ComputedReflectionTest",
            "test_get_column_returns_persisted",
        ),
        COMPUTED,
        |dialect, engine| {
            computed_fixture(dialect, engine)?;
            check_persisted(
                dialect,
                engine,
                None,
                ["normal+42", "normal+2", "normal-42"],
            )
        },
    );
}

#[test]
fn get_column_returns_persisted_with_schema() {
    run(
        origin(
            "ComputedReflectionTest",
            "test_get_column_returns_persisted_with_schema",
        ),
        &[Flag::ComputedColumns, Flag::TableReflection, Flag::Schemas],
        |dialect, engine| {
            let ts = computed_fixture(dialect, engine)?;
            check_persisted(
                dialect,
                engine,
                Some(&ts),
                ["normal/42", "normal/2", "normal*42"],
            )
        },
    );
}

// ---- IdentityReflectionTest ----

/// `t1 (normal, id1 IDENTITY)`, `t2 (id2 IDENTITY (every option))`, and in the second schema
/// `t1 (normal, id1 IDENTITY ALWAYS START 20)`; returns that schema's name.
fn identity_fixture(dialect: &str, engine: &Engine) -> Result<String> {
    let ts = make_test_schema(dialect, engine)?;
    let md = MetaData::new();
    Table::build("t1", &md)
        .column(Column::new("normal", Type::Integer))
        .column(Column::new("id1", Type::Integer).identity(Identity::new()))
        .finish()?;
    Table::build("t2", &md)
        .column(
            Column::new("id2", Type::Integer).identity(
                Identity::new()
                    .always(true)
                    .start(2)
                    .increment(3)
                    .minvalue(-2)
                    .maxvalue(42)
                    .cycle(true)
                    .cache(4),
            ),
        )
        .finish()?;
    Table::build("t1", &md)
        .schema(ts.clone())
        .column(Column::new("normal", Type::Integer))
        .column(Column::new("id1", Type::Integer).identity(Identity::new().always(true).start(20)))
        .finish()?;
    md.create_all(engine)?;
    Ok(ts)
}

/// The suite's `check` with `identity_columns_standard`: every option compared; with
/// `approx`, the bounds and cache the database chose may be wider than the expected ones.
fn check_identity(got: &Identity, exp: &Identity, approx: bool) {
    if approx {
        assert_eq!(
            (got.always, got.start, got.increment, got.cycle),
            (exp.always, exp.start, exp.increment, exp.cycle)
        );
        let (g, e) = (
            got.minvalue.expect("minvalue"),
            exp.minvalue.unwrap_or_default(),
        );
        assert!(g <= e, "minvalue {g} <= {e}");
        let (g, e) = (
            got.maxvalue.expect("maxvalue"),
            exp.maxvalue.unwrap_or_default(),
        );
        assert!(g >= e, "maxvalue {g} >= {e}");
        let (g, e) = (got.cache.expect("cache"), exp.cache.unwrap_or_default());
        assert!(g >= e, "cache {g} >= {e}");
    } else {
        assert_eq!(got, exp);
    }
}

fn check_identity_columns(
    cols: &[athanor::dialect::reflection::ReflectedColumn],
    expected: &[(&str, Identity, bool)],
) {
    for col in cols {
        if col.name == "normal" {
            assert_eq!(col.identity, None);
            continue;
        }
        let Some((_, exp, approx)) = expected.iter().find(|(n, ..)| *n == col.name) else {
            panic!("unexpected column {}", col.name);
        };
        assert!(col.autoincrement, "{}", col.name);
        assert_eq!(col.default, None, "{}", col.name);
        let got = col.identity.as_ref().expect("identity");
        check_identity(got, exp, *approx);
    }
}

/// The options `Identity()` stands for: start 1, increment 1, from 1 to INTEGER's maximum, no
/// cycle, cache 1.
fn default_identity(always: bool, start: i64) -> Identity {
    Identity::new()
        .always(always)
        .start(start)
        .increment(1)
        .minvalue(1)
        .maxvalue(2_147_483_647)
        .cache(1)
}

#[test]
fn reflect_identity() {
    run(
        origin("IdentityReflectionTest", "test_reflect_identity"),
        &[Flag::IdentityColumns, Flag::TableReflection],
        |dialect, engine| {
            identity_fixture(dialect, engine)?;
            let insp = engine.inspect();
            let mut cols = insp.get_columns("t1", None)?;
            cols.extend(insp.get_columns("t2", None)?);
            let every = Identity::new()
                .always(true)
                .start(2)
                .increment(3)
                .minvalue(-2)
                .maxvalue(42)
                .cycle(true)
                .cache(4);
            check_identity_columns(
                &cols,
                &[
                    ("id1", default_identity(false, 1), true),
                    ("id2", every, false),
                ],
            );
            Ok(())
        },
    );
}

#[test]
fn reflect_identity_schema() {
    run(
        origin("IdentityReflectionTest", "test_reflect_identity_schema"),
        &[Flag::IdentityColumns, Flag::TableReflection, Flag::Schemas],
        |dialect, engine| {
            let ts = identity_fixture(dialect, engine)?;
            let cols = engine.inspect().get_columns("t1", Some(&ts))?;
            check_identity_columns(&cols, &[("id1", default_identity(true, 20), true)]);
            Ok(())
        },
    );
}
