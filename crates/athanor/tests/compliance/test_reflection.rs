//! Ported from SQLAlchemy's `lib/sqlalchemy/testing/suite/test_reflection.py`,
//! `ComponentReflectionTest`'s tests of one table at a time (behaviour, fixtures and
//! assertions; not code). The batch `get_multi_*` tests are in `test_reflection_multi.rs`,
//! the other classes in `test_reflection_misc.rs`; tests not ported yet are listed, with the
//! reason, in `compliance/todo.tsv`.

use athanor::dialect::reflection::ReflectedIndex;
use athanor::prelude::*;
use athanor::reflect::{Inspector, ObjectKind, ReflectOptions};
use athanor::{Engine, Result};

use super::harness::{Origin, run};
use super::reflection_fixture::reflection;
use super::requirements::Flag;

const FILE: &str = "test_reflection.py";
const CLASS: &str = "ComponentReflectionTest";

fn origin(test: &'static str) -> Origin {
    Origin {
        file: FILE,
        class: CLASS,
        test,
    }
}

/// The schema argument of a `use_schema` combination.
fn schemas(test_schema: &str) -> [Option<&str>; 2] {
    [None, Some(test_schema)]
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

#[test]
fn get_table_names() {
    run(origin("test_get_table_names"), &[], |dialect, engine| {
        let fx = reflection(dialect, engine)?;
        let ignore = [
            "comment_test",
            "noncol_idx_test_pk",
            "noncol_idx_test_nopk",
            "local_table",
            "remote_table",
            "remote_table_2",
            "no_constraints",
        ];
        let insp = engine.inspect();
        for schema in schemas(&fx.test_schema) {
            // order_by=None: the names, sorted.
            let names: Vec<String> = insp
                .get_table_names(schema)?
                .into_iter()
                .filter(|t| !ignore.contains(&t.as_str()))
                .collect();
            assert_eq!(
                names,
                strings(&["dingalings", "email_addresses", "users"]),
                "schema {schema:?}"
            );
            // order_by="foreign_key": in dependency order.
            let sorted: Vec<String> = insp
                .get_sorted_table_and_fkc_names(schema)?
                .into_iter()
                .filter_map(|(t, _)| t)
                .filter(|t| !ignore.contains(&t.as_str()))
                .collect();
            assert_eq!(
                sorted,
                strings(&["users", "email_addresses", "dingalings"]),
                "schema {schema:?}, foreign key order"
            );
        }
        Ok(())
    });
}

#[test]
fn get_view_names() {
    run(origin("test_get_view_names"), &[], |dialect, engine| {
        let fx = reflection(dialect, engine)?;
        let insp = engine.inspect();
        for schema in schemas(&fx.test_schema) {
            let names = insp.get_view_names(schema)?;
            if Flag::MaterializedViews.on(dialect) {
                assert_eq!(
                    names,
                    strings(&["email_addresses_v", "users_v"]),
                    "{schema:?}"
                );
                assert_eq!(
                    insp.get_materialized_view_names(schema)?,
                    strings(&["dingalings_v"]),
                    "{schema:?}"
                );
            } else {
                assert_eq!(
                    names,
                    strings(&["dingalings_v", "email_addresses_v", "users_v"]),
                    "{schema:?}"
                );
            }
        }
        Ok(())
    });
}

#[test]
fn get_schema_names() {
    run(
        origin("test_get_schema_names"),
        &[Flag::Schemas],
        |dialect, engine| {
            let fx = reflection(dialect, engine)?;
            assert!(
                engine
                    .inspect()
                    .get_schema_names()?
                    .contains(&fx.test_schema),
                "{} among the schemas",
                fx.test_schema
            );
            Ok(())
        },
    );
}

#[test]
fn has_schema() {
    run(
        origin("test_has_schema"),
        &[Flag::Schemas],
        |dialect, engine| {
            let fx = reflection(dialect, engine)?;
            let insp = engine.inspect();
            assert!(insp.has_schema(&fx.test_schema)?);
            assert!(!insp.has_schema("sa_fake_schema_foo")?);
            Ok(())
        },
    );
}

/// The suite's map, `{"foo": "bar", BLANK_SCHEMA: test_schema}` (Athanor has no
/// `BLANK_SCHEMA`: its `None` key, the schema-less objects, stands for it).
fn translated(engine: &Engine, test_schema: &str) -> Engine {
    engine.execution_options(
        athanor::ExecutionOptions::new().schema_translate_map(
            athanor::compiler::SchemaTranslateMap::new()
                .translate(Some("foo"), Some("bar"))
                .translate(None, Some(test_schema)),
        ),
    )
}

#[test]
fn get_schema_names_w_translate_map() {
    run(
        origin("test_get_schema_names_w_translate_map"),
        &[Flag::Schemas],
        |dialect, engine| {
            let fx = reflection(dialect, engine)?;
            let names = translated(engine, &fx.test_schema)
                .inspect()
                .get_schema_names()?;
            assert!(names.contains(&fx.test_schema), "{names:?}");
            Ok(())
        },
    );
}

#[test]
fn has_schema_w_translate_map() {
    run(
        origin("test_has_schema_w_translate_map"),
        &[Flag::Schemas],
        |dialect, engine| {
            let fx = reflection(dialect, engine)?;
            let insp = translated(engine, &fx.test_schema).inspect();
            assert!(insp.has_schema(&fx.test_schema)?);
            assert!(!insp.has_schema("sa_fake_schema_foo")?);
            Ok(())
        },
    );
}

#[test]
fn get_default_schema_name() {
    run(
        origin("test_get_default_schema_name"),
        &[Flag::Schemas],
        |dialect, engine| {
            let fx = reflection(dialect, engine)?;
            assert_eq!(engine.inspect().default_schema_name()?, fx.default_schema);
            Ok(())
        },
    );
}

fn check_comments(engine: &Engine, schema: Option<&str>) -> Result<()> {
    let insp = engine.inspect();
    assert_eq!(
        insp.get_table_comment("comment_test", schema)?.as_deref(),
        Some(r#"the test % ' " \ table comment"#)
    );
    assert_eq!(insp.get_table_comment("users", schema)?, None);
    assert_eq!(
        insp.get_table_comment("no_constraints", schema)?.as_deref(),
        Some("no\nconstraints\rhas\u{c}escaped\u{b}comment")
    );
    Ok(())
}

#[test]
fn get_comments() {
    run(
        origin("test_get_comments"),
        &[Flag::CommentReflection],
        |dialect, engine| {
            reflection(dialect, engine)?;
            check_comments(engine, None)
        },
    );
}

#[test]
fn get_comments_with_schema() {
    run(
        origin("test_get_comments_with_schema"),
        &[Flag::CommentReflection, Flag::Schemas],
        |dialect, engine| {
            let fx = reflection(dialect, engine)?;
            check_comments(engine, Some(&fx.test_schema))
        },
    );
}

/// The generic type family SQLAlchemy compares a reflected type with (`Integer`, `Float`,
/// `String`, ...).
fn family(t: &Type) -> &'static str {
    match t.generic() {
        Type::Integer | Type::SmallInteger | Type::BigInteger => "integer",
        Type::Float | Type::Double | Type::Numeric(..) => "numeric",
        Type::String(_) | Type::Unicode(_) | Type::Text | Type::UnicodeText => "string",
        Type::Declared { .. } => "declared",
        _ => "other",
    }
}

#[test]
fn get_columns() {
    run(origin("test_get_columns"), &[], |dialect, engine| {
        let fx = reflection(dialect, engine)?;
        let insp = engine.inspect();
        let users = fx.metadata.table("users").expect("users");
        let addresses = fx
            .metadata
            .table("email_addresses")
            .expect("email_addresses");
        for use_views in [false, true] {
            for schema in schemas(&fx.test_schema) {
                let case = format!("views={use_views}, schema={schema:?}");
                let names = if use_views {
                    ["users_v", "email_addresses_v"]
                } else {
                    ["users", "email_addresses"]
                };
                for (name, table) in names.iter().zip([&users, &addresses]) {
                    let cols = insp.get_columns(name, schema)?;
                    assert!(!cols.is_empty(), "{case}: {name} has columns");
                    for (i, col) in table.columns().iter().enumerate() {
                        let r = &cols[i];
                        assert_eq!(r.name, col.name(), "{case}: {name} column {i}");
                        let (want, got) = (family(&col.ty), family(&r.ty));
                        // SQLite reports Float columns as FLOAT (numeric family) like
                        // SQLAlchemy; the types must share a generic family.
                        assert_eq!(
                            got,
                            if want == "declared" { "string" } else { want },
                            "{case}: {name}.{} is {:?}",
                            r.name,
                            r.ty
                        );
                        if !col.primary_key {
                            assert_eq!(r.default, None, "{case}: {name}.{} default", r.name);
                        }
                    }
                }
            }
        }
        Ok(())
    });
}

#[test]
fn get_pk_constraint() {
    run(origin("test_get_pk_constraint"), &[], |dialect, engine| {
        let fx = reflection(dialect, engine)?;
        let insp = engine.inspect();
        for schema in schemas(&fx.test_schema) {
            let users = insp.get_pk_constraint("users", schema)?;
            assert_eq!(
                users.constrained_columns,
                strings(&["user_id"]),
                "{schema:?}"
            );
            let addr = insp.get_pk_constraint("email_addresses", schema)?;
            assert_eq!(
                addr.constrained_columns,
                strings(&["address_id"]),
                "{schema:?}"
            );
            // reflects_pk_names: MySQL names every primary key PRIMARY; SQLAlchemy expects
            // that to fail there (and Athanor reports None, as SQLAlchemy does).
            if Flag::ReflectsPkNames.on(dialect) {
                assert_eq!(addr.name.as_deref(), Some("email_ad_pk"), "{schema:?}");
            } else {
                assert_eq!(addr.name, None, "{schema:?}");
            }
            let none = insp.get_pk_constraint("no_constraints", schema)?;
            assert!(none.constrained_columns.is_empty(), "{schema:?}");
            assert_eq!(none.name, None, "{schema:?}");
        }
        Ok(())
    });
}

#[test]
fn get_pk_constraint_quoted_name() {
    run(
        origin("test_get_pk_constraint_quoted_name"),
        &[Flag::ReflectsPkNames],
        |_, engine| {
            for pk_name in [
                "PK_test_table",
                "pk_test_table",
                "mixedCasePK",
                "pk.with.dots",
            ] {
                let md = MetaData::new();
                let t = Table::build("test_table", &md)
                    .column(Column::new("id", Type::Integer))
                    .column(Column::new("data", Type::String(Some(50))))
                    .primary_key(PrimaryKeyConstraint::new(["id"]).name(pk_name))
                    .finish()?;
                md.create_all(engine)?;
                let pk = engine.inspect().get_pk_constraint("test_table", None)?;
                assert_eq!(pk.name.as_deref(), Some(pk_name));
                assert_eq!(pk.constrained_columns, strings(&["id"]), "{pk_name}");
                engine.connect()?.execute(&Ddl::DropTable(t))?;
            }
            Ok(())
        },
    );
}

#[test]
fn get_foreign_keys() {
    run(origin("test_get_foreign_keys"), &[], |dialect, engine| {
        let fx = reflection(dialect, engine)?;
        let insp = engine.inspect();
        for schema in schemas(&fx.test_schema) {
            let expected_schema = schema.map(str::to_string);
            let users = insp.get_foreign_keys("users", schema)?;
            let fk = &users[0];
            assert_eq!(fk.name.as_deref(), Some("user_id_fk"), "{schema:?}");
            assert_eq!(fk.referred_schema, expected_schema, "{schema:?}");
            assert_eq!(fk.referred_table, "users");
            assert_eq!(fk.referred_columns, strings(&["user_id"]));
            assert_eq!(fk.constrained_columns, strings(&["parent_user_id"]));

            let addr = insp.get_foreign_keys("email_addresses", schema)?;
            let fk = &addr[0];
            // implicitly_named_constraints: SQLite gives an unnamed constraint no name.
            assert_eq!(
                fk.name.is_some(),
                Flag::ImplicitlyNamedConstraints.on(dialect),
                "{schema:?}: {:?}",
                fk.name
            );
            assert_eq!(fk.referred_schema, expected_schema, "{schema:?}");
            assert_eq!(fk.referred_table, "users");
            assert_eq!(fk.referred_columns, strings(&["user_id"]));
            assert_eq!(fk.constrained_columns, strings(&["remote_user_id"]));

            assert!(insp.get_foreign_keys("no_constraints", schema)?.is_empty());
        }
        Ok(())
    });
}

#[test]
fn get_foreign_keys_quoted_name() {
    run(
        origin("test_get_foreign_keys_quoted_name"),
        &[],
        |_, engine| {
            for fk_name in [
                "FK_users_id",
                "fk_users_id",
                "mixedCaseName",
                "fk.with.dots",
            ] {
                let md = MetaData::new();
                Table::build("users_ref", &md)
                    .column(Column::new("user_id", Type::Integer).primary_key())
                    .finish()?;
                Table::build("user_orders", &md)
                    .column(Column::new("order_id", Type::Integer).primary_key())
                    .column(Column::new("user_id", Type::Integer))
                    .foreign_key(
                        ForeignKeyConstraint::new(["user_id"], "users_ref", ["user_id"])
                            .name(fk_name),
                    )
                    .finish()?;
                md.create_all(engine)?;
                let fks = engine.inspect().get_foreign_keys("user_orders", None)?;
                assert_eq!(fks.len(), 1, "{fk_name}");
                let fk = &fks[0];
                assert_eq!(fk.name.as_deref(), Some(fk_name));
                assert_eq!(fk.referred_table, "users_ref", "{fk_name}");
                assert_eq!(fk.referred_columns, strings(&["user_id"]), "{fk_name}");
                assert_eq!(fk.constrained_columns, strings(&["user_id"]), "{fk_name}");
                md.drop_all(engine)?;
            }
            Ok(())
        },
    );
}

#[test]
fn get_inter_schema_foreign_keys() {
    run(
        origin("test_get_inter_schema_foreign_keys"),
        &[Flag::CrossSchemaFkReflection, Flag::Schemas],
        |dialect, engine| {
            let fx = reflection(dialect, engine)?;
            let insp = engine.inspect();
            let local = insp.get_foreign_keys("local_table", None)?;
            assert_eq!(local.len(), 1);
            let fk = &local[0];
            assert_eq!(fk.referred_schema.as_deref(), Some(fx.test_schema.as_str()));
            assert_eq!(fk.referred_table, "remote_table_2");
            assert_eq!(fk.referred_columns, strings(&["id"]));
            assert_eq!(fk.constrained_columns, strings(&["remote_id"]));

            let remote = insp.get_foreign_keys("remote_table", Some(&fx.test_schema))?;
            assert_eq!(remote.len(), 1);
            let fk = &remote[0];
            assert!(
                fk.referred_schema.is_none()
                    || fk.referred_schema.as_deref() == Some(fx.default_schema.as_str()),
                "{:?}",
                fk.referred_schema
            );
            assert_eq!(fk.referred_table, "local_table");
            assert_eq!(fk.referred_columns, strings(&["id"]));
            assert_eq!(fk.constrained_columns, strings(&["local_id"]));
            Ok(())
        },
    );
}

/// An index as the suite compares it: name (None for "any"), columns, unique.
pub(crate) type Ix = (Option<String>, Vec<Option<String>>, bool);

fn ix(name: Option<&str>, cols: &[&str], unique: bool) -> Ix {
    (
        name.map(str::to_string),
        cols.iter().map(|c| Some(c.to_string())).collect(),
        unique,
    )
}

/// `exp_indexes` of the suite, for one table: the indexes of the fixture, plus on MySQL the
/// ones it makes for foreign keys (`foreign_keys_reflect_as_index`), and on MySQL and
/// PostgreSQL those of unique constraints (`unique_constraints_reflect_as_index`).
pub(crate) fn expected_indexes(dialect: &str, table: &str) -> Vec<Ix> {
    let my = dialect == "mysql";
    let mut out = Vec::new();
    match table {
        "users" => {
            if my {
                out.push(ix(Some("user_id_fk"), &["parent_user_id"], false));
            }
            out.push(ix(
                Some("users_all_idx"),
                &["user_id", "test2", "test1"],
                false,
            ));
            out.push(ix(Some("users_t_idx"), &["test1", "test2"], true));
        }
        // unique_constraints_reflect_as_index: PostgreSQL and MySQL.
        "dingalings" if my || dialect == "postgresql" => {
            out.push(ix(None, &["data"], true));
            if my {
                out.push(ix(None, &["id_user"], false));
            }
            out.push(ix(
                Some("zz_dingalings_multiple"),
                &["address_id", "dingaling_id"],
                true,
            ));
        }
        "email_addresses" => {
            out.push(ix(None, &["email_address"], false));
            if my {
                out.push(ix(None, &["remote_user_id"], false));
            }
        }
        "local_table" if my => out.push(ix(None, &["remote_id"], false)),
        "remote_table" if my => out.push(ix(None, &["local_id"], false)),
        "noncol_idx_test_nopk" => out.push(ix(Some("noncol_idx_nopk"), &["q"], false)),
        "noncol_idx_test_pk" => out.push(ix(Some("noncol_idx_pk"), &["q"], false)),
        "dingalings_v" if dialect == "postgresql" => {
            out.push(ix(Some("mat_index"), &["data"], false));
        }
        _ => {}
    }
    out
}

/// Compares reflected indexes with expected ones, in order; an expected name of None
/// matches any name.
pub(crate) fn check_indexes(got: &[ReflectedIndex], want: &[Ix], what: &str) {
    let got: Vec<Ix> = got
        .iter()
        .zip(
            want.iter()
                .map(|w| w.0.is_some())
                .chain(std::iter::repeat(true)),
        )
        .map(|(g, named)| {
            (
                named.then(|| g.name.clone()),
                g.column_names.clone(),
                g.unique,
            )
        })
        .collect();
    assert_eq!(got, want, "{what}: indexes");
}

#[test]
fn get_indexes() {
    run(origin("test_get_indexes"), &[], |dialect, engine| {
        let fx = reflection(dialect, engine)?;
        let insp = engine.inspect();
        for schema in schemas(&fx.test_schema) {
            for t in ["users", "no_constraints"] {
                check_indexes(
                    &insp.get_indexes(t, schema)?,
                    &expected_indexes(dialect, t),
                    &format!("{schema:?}.{t}"),
                );
            }
        }
        Ok(())
    });
}

#[test]
fn get_noncol_index() {
    run(origin("test_get_noncol_index"), &[], |dialect, engine| {
        reflection(dialect, engine)?;
        let insp = engine.inspect();
        for (tname, ixname) in [
            ("noncol_idx_test_nopk", "noncol_idx_nopk"),
            ("noncol_idx_test_pk", "noncol_idx_pk"),
        ] {
            check_indexes(
                &insp.get_indexes(tname, None)?,
                &expected_indexes(dialect, tname),
                tname,
            );
            let md = MetaData::new();
            let t = Table::autoload(tname, &md, engine)?;
            assert_eq!(t.indexes().len(), 1, "{tname}");
            assert_eq!(t.indexes()[0].name, ixname);
        }
        Ok(())
    });
}

#[test]
fn get_indexes_quoted_name() {
    run(origin("test_get_indexes_quoted_name"), &[], |_, engine| {
        for idx_name in [
            "IX_test_data",
            "ix_test_data",
            "mixedCaseIndex",
            "ix.with.dots",
        ] {
            let md = MetaData::new();
            Table::build("test_table", &md)
                .column(Column::new("id", Type::Integer).primary_key())
                .column(Column::new("data", Type::String(Some(50))))
                .index(Index::new(idx_name, ["data"]))
                .finish()?;
            md.create_all(engine)?;
            let indexes = engine.inspect().get_indexes("test_table", None)?;
            let names: Vec<&str> = indexes.iter().map(|i| i.name.as_str()).collect();
            let matching: Vec<&ReflectedIndex> =
                indexes.iter().filter(|i| i.name == idx_name).collect();
            assert_eq!(matching.len(), 1, "{idx_name} in {names:?}");
            assert_eq!(matching[0].column_names, vec![Some("data".to_string())]);
            md.drop_all(engine)?;
        }
        Ok(())
    });
}

#[test]
fn get_unique_constraints() {
    run(
        origin("test_get_unique_constraints"),
        &[],
        |dialect, engine| {
            let fx = reflection(dialect, engine)?;
            let mut uniques = vec![
                ("unique_a", vec!["a"]),
                ("unique_a_b_c", vec!["a", "b", "c"]),
                ("unique_c_a_b", vec!["c", "a", "b"]),
                ("unique_asc_key", vec!["asc", "key"]),
                ("i.have.dots", vec!["b"]),
                ("i have spaces", vec!["c"]),
            ];
            uniques.sort();
            for schema in schemas(&fx.test_schema) {
                let md = MetaData::new();
                let mut b = Table::build("testtbl", &md)
                    .column(Column::new("a", Type::String(Some(20))))
                    .column(Column::new("b", Type::String(Some(30))))
                    .column(Column::new("c", Type::Integer))
                    // reserved words
                    .column(Column::new("asc", Type::String(Some(30))))
                    .column(Column::new("key", Type::String(Some(30))));
                if let Some(s) = schema {
                    b = b.schema(s);
                }
                for (name, cols) in &uniques {
                    b = b.unique(UniqueConstraint::new(cols.clone()).name(*name));
                }
                b.finish()?;
                md.create_all(engine)?;
                let insp = engine.inspect();
                let mut reflected = insp.get_unique_constraints("testtbl", schema)?;
                reflected.sort_by(|a, b| a.name.cmp(&b.name));
                let got: Vec<(Option<String>, Vec<String>)> = reflected
                    .iter()
                    .map(|u| (u.name.clone(), u.column_names.clone()))
                    .collect();
                let want: Vec<(Option<String>, Vec<String>)> = uniques
                    .iter()
                    .map(|(n, c)| (Some(n.to_string()), strings(c)))
                    .collect();
                assert_eq!(got, want, "{schema:?}");
                let dupes: std::collections::BTreeSet<String> = reflected
                    .iter()
                    .filter_map(|u| u.duplicates_index.clone())
                    .collect();

                // Reflected back as a Table: a unique key is an index or a constraint, not both.
                let md2 = MetaData::new();
                let t = match schema {
                    Some(s) => Table::autoload_schema("testtbl", s, &md2, engine)?,
                    None => Table::autoload("testtbl", &md2, engine)?,
                };
                let idx_names: std::collections::BTreeSet<String> =
                    t.indexes().iter().map(|i| i.name.clone()).collect();
                let uq_names: std::collections::BTreeSet<String> = t
                    .data()
                    .unique_constraints
                    .iter()
                    .filter_map(|u| u.name.clone())
                    .filter(|n| n != "unique_c_a_b")
                    .collect();
                assert!(
                    idx_names.intersection(&uq_names).next().is_none(),
                    "{schema:?}: {idx_names:?} / {uq_names:?}"
                );
                if !dupes.is_empty() {
                    assert_eq!(dupes, idx_names, "{schema:?}");
                    assert!(uq_names.is_empty(), "{schema:?}");
                }
                assert!(
                    insp.get_unique_constraints("no_constraints", schema)?
                        .is_empty()
                );
                md.drop_all(engine)?;
            }
            Ok(())
        },
    );
}

#[test]
fn get_unique_constraints_quoted_name() {
    run(
        origin("test_get_unique_constraints_quoted_name"),
        &[],
        |_, engine| {
            for uq_name in ["UQ_email", "uq_email", "mixedCaseUQ", "uq.with.dots"] {
                let md = MetaData::new();
                Table::build("test_table", &md)
                    .column(Column::new("id", Type::Integer).primary_key())
                    .column(Column::new("email", Type::String(Some(50))))
                    .unique(UniqueConstraint::new(["email"]).name(uq_name))
                    .finish()?;
                md.create_all(engine)?;
                let uq = engine
                    .inspect()
                    .get_unique_constraints("test_table", None)?;
                assert_eq!(uq.len(), 1, "{uq_name}");
                assert_eq!(uq[0].name.as_deref(), Some(uq_name));
                assert_eq!(uq[0].column_names, strings(&["email"]), "{uq_name}");
                md.drop_all(engine)?;
            }
            Ok(())
        },
    );
}

#[test]
fn get_view_definition() {
    run(
        origin("test_get_view_definition"),
        &[],
        |dialect, engine| {
            let fx = reflection(dialect, engine)?;
            let insp = engine.inspect();
            for schema in schemas(&fx.test_schema) {
                for view in ["users_v", "email_addresses_v", "dingalings_v"] {
                    let v = insp.get_view_definition(view, schema)?;
                    assert!(!v.is_empty(), "{schema:?}.{view}");
                }
            }
            Ok(())
        },
    );
}

#[test]
fn get_view_definition_does_not_exist() {
    run(
        origin("test_get_view_definition_does_not_exist"),
        &[],
        |dialect, engine| {
            reflection(dialect, engine)?;
            let insp = engine.inspect();
            for name in ["view_does_not_exist", "users"] {
                assert!(
                    matches!(
                        insp.get_view_definition(name, None),
                        Err(Error::NoSuchTable { .. })
                    ),
                    "{name}"
                );
            }
            Ok(())
        },
    );
}

#[test]
fn autoincrement_col() {
    run(origin("test_autoincrement_col"), &[], |dialect, engine| {
        reflection(dialect, engine)?;
        let insp = engine.inspect();
        for (t, c) in [
            ("users", "user_id"),
            ("email_addresses", "address_id"),
            ("dingalings", "dingaling_id"),
        ] {
            let cols = insp.get_columns(t, None)?;
            let col = cols.iter().find(|x| x.name == c).expect("column");
            assert!(col.autoincrement, "{t}.{c}");
        }
        Ok(())
    });
}

#[test]
fn not_existing_table() {
    run(origin("test_not_existing_table"), &[], |dialect, engine| {
        let insp = engine.inspect();
        let n = "table_does_not_exists";
        let checks: Vec<(&str, Result<()>)> = vec![
            ("get_columns", insp.get_columns(n, None).map(drop)),
            (
                "get_pk_constraint",
                insp.get_pk_constraint(n, None).map(drop),
            ),
            ("get_foreign_keys", insp.get_foreign_keys(n, None).map(drop)),
            ("get_indexes", insp.get_indexes(n, None).map(drop)),
            (
                "get_unique_constraints",
                insp.get_unique_constraints(n, None).map(drop),
            ),
            (
                "get_check_constraints",
                insp.get_check_constraints(n, None).map(drop),
            ),
            (
                "get_table_comment",
                insp.get_table_comment(n, None).map(drop),
            ),
        ];
        for (method, r) in checks {
            if method == "get_table_comment" && !Flag::CommentReflection.on(dialect) {
                continue;
            }
            assert!(
                matches!(r, Err(Error::NoSuchTable { .. })),
                "{method}: {r:?}"
            );
        }
        Ok(())
    });
}

#[test]
fn metadata() {
    run(origin("test_metadata"), &[], |dialect, engine| {
        let fx = reflection(dialect, engine)?;
        let insp = engine.inspect();
        for schema in schemas(&fx.test_schema) {
            for views in [false, true] {
                let md = MetaData::new();
                let mut options = ReflectOptions::new().resolve_fks(false).kind(if views {
                    ObjectKind::ANY
                } else {
                    ObjectKind::TABLE
                });
                if let Some(s) = schema {
                    options = options.schema(s);
                }
                md.reflect_with(engine, &options)?;
                let mut want = insp.get_table_names(schema)?;
                if views {
                    want.extend(insp.get_view_names(schema)?);
                    want.extend(insp.get_materialized_view_names(schema)?);
                }
                let mut want: Vec<String> = match schema {
                    Some(s) => want.iter().map(|t| format!("{s}.{t}")).collect(),
                    None => want,
                };
                want.sort();
                let mut got = md.table_names();
                got.sort();
                assert_eq!(got, want, "schema {schema:?}, views {views}");
            }
        }
        Ok(())
    });
}

#[test]
fn comments_unicode() {
    run(
        origin("test_comments_unicode"),
        &[Flag::CommentReflection],
        |_, engine| {
            comments_round_trip(
                engine,
                &[("unicode", "é試蛇ẟΩ"), ("emoji", "☁️✨")],
                "試蛇ẟΩ✨",
            )
        },
    );
}

#[test]
fn comments_unicode_full() {
    run(
        origin("test_comments_unicode_full"),
        &[Flag::CommentReflectionFullUnicode],
        |_, engine| comments_round_trip(engine, &[("emoji", "🐍🧙🝝🧙‍♂️🧙‍♀️")], "🎩🁰🝑🤷‍♀️🤷‍♂️"),
    );
}

fn comments_round_trip(engine: &Engine, cols: &[(&str, &str)], table: &str) -> Result<()> {
    let md = MetaData::new();
    let mut b = Table::build("unicode_comments", &md).comment(table);
    for (name, comment) in cols {
        b = b.column(Column::new(*name, Type::Integer).comment(*comment));
    }
    b.finish()?;
    md.create_all(engine)?;
    let insp: Inspector = engine.inspect();
    assert_eq!(
        insp.get_table_comment("unicode_comments", None)?.as_deref(),
        Some(table)
    );
    let got: Vec<(String, Option<String>)> = insp
        .get_columns("unicode_comments", None)?
        .into_iter()
        .map(|c| (c.name, c.comment))
        .collect();
    let want: Vec<(String, Option<String>)> = cols
        .iter()
        .map(|(n, c)| (n.to_string(), Some(c.to_string())))
        .collect();
    assert_eq!(got, want);
    Ok(())
}
