//! Ported from SQLAlchemy's `lib/sqlalchemy/testing/suite/test_reflection.py`,
//! `ComponentReflectionTest`'s `get_multi_*` tests: each runs every combination of schema
//! (default, `test_schema`), scope, kind and name filter on the reflection fixture and
//! compares the whole map with the suite's expectations.

use std::collections::BTreeMap;

use athanor::Result;
use athanor::reflect::{ObjectKind, ObjectScope, ReflectOptions, TableKey};

use super::harness::{Origin, run};
use super::reflection_fixture::{Reflection, cross_schema, reflection};
use super::requirements::Flag;
use super::test_reflection::{check_indexes, expected_indexes};

fn origin(test: &'static str) -> Origin {
    Origin {
        file: "test_reflection.py",
        class: "ComponentReflectionTest",
        test,
    }
}

const TABLE_VIEW: ObjectKind = ObjectKind::TABLE.union(ObjectKind::VIEW);
const TABLE_MAT: ObjectKind = ObjectKind::TABLE.union(ObjectKind::MATERIALIZED_VIEW);

const KINDS: [(&str, ObjectKind); 7] = [
    ("TABLE", ObjectKind::TABLE),
    ("VIEW", ObjectKind::VIEW),
    ("MATERIALIZED_VIEW", ObjectKind::MATERIALIZED_VIEW),
    ("ANY", ObjectKind::ANY),
    ("ANY_VIEW", ObjectKind::ANY_VIEW),
    ("TABLE|VIEW", TABLE_VIEW),
    ("TABLE|MATERIALIZED_VIEW", TABLE_MAT),
];

/// The objects of the fixture in a schema, by kind (`_resolve_kind` / `_resolve_names`).
fn expected_names(
    dialect: &str,
    schema: Option<&str>,
    scope: ObjectScope,
    kind: ObjectKind,
    filter: Option<&[&str]>,
) -> Vec<String> {
    if scope == ObjectScope::Temporary {
        return Vec::new(); // the fixture has no temporary objects (see deviations)
    }
    let mut tables = vec![
        "users",
        "dingalings",
        "email_addresses",
        "comment_test",
        "no_constraints",
    ];
    if cross_schema(dialect) {
        if schema.is_none() {
            tables.push("local_table");
        } else {
            tables.extend(["remote_table", "remote_table_2"]);
        }
    }
    if schema.is_none() {
        tables.extend(["noncol_idx_test_nopk", "noncol_idx_test_pk"]);
    }
    let mut views = vec!["email_addresses_v", "users_v"];
    let mut materialized = vec!["dingalings_v"];
    if !Flag::MaterializedViews.on(dialect) {
        views.append(&mut materialized);
    }
    let mut out = Vec::new();
    if kind.contains(ObjectKind::TABLE) {
        out.extend(tables);
    }
    if kind.contains(ObjectKind::VIEW) {
        out.extend(views);
    }
    if kind.contains(ObjectKind::MATERIALIZED_VIEW) {
        out.extend(materialized);
    }
    let mut out: Vec<String> = out
        .into_iter()
        .filter(|n| filter.is_none_or(|f| f.contains(n)))
        .map(str::to_string)
        .collect();
    out.sort();
    out
}

/// Runs `check(options, expected names)` for every combination, with the variants SQLAlchemy
/// adds (no scope for DEFAULT, no kind for TABLE), each on a fresh inspector.
pub(crate) fn each_combination(
    dialect: &str,
    fx: &Reflection,
    mut check: impl FnMut(&ReflectOptions, &[String], &str) -> Result<()>,
) -> Result<()> {
    for schema in [None, Some(fx.test_schema.as_str())] {
        for scope in [
            ObjectScope::Default,
            ObjectScope::Temporary,
            ObjectScope::Any,
        ] {
            for (kname, kind) in KINDS {
                for use_filter in [false, true] {
                    let mut filter = Vec::new();
                    if kind.contains(ObjectKind::TABLE) {
                        filter.extend(["comment_test", "users", "does-not-exist"]);
                    }
                    if kind.contains(ObjectKind::VIEW) {
                        filter.extend(["email_addresses_v", "does-not-exist"]);
                    }
                    if kind.contains(ObjectKind::MATERIALIZED_VIEW) {
                        filter.extend(["dingalings_v", "does-not-exist"]);
                    }
                    let f = use_filter.then_some(filter.as_slice());
                    let expected = expected_names(dialect, schema, scope, kind, f);
                    let mut base = ReflectOptions::new();
                    if let Some(s) = schema {
                        base = base.schema(s);
                    }
                    if let Some(f) = f {
                        base = base.filter_names(f.iter().copied());
                    }
                    let mut variants = vec![base.clone().scope(scope).kind(kind)];
                    if scope == ObjectScope::Default {
                        variants.push(base.clone().kind(kind));
                    }
                    if kind == ObjectKind::TABLE {
                        variants.push(base.clone().scope(scope));
                    }
                    let case = format!(
                        "schema={schema:?} scope={scope:?} kind={kname} filter={use_filter}"
                    );
                    for v in &variants {
                        check(v, &expected, &case)?;
                    }
                }
            }
        }
    }
    Ok(())
}

pub(crate) fn keys<T>(
    m: &BTreeMap<TableKey, T>,
    case: &str,
    schema: Option<&str>,
    want: &[String],
) {
    let got: Vec<&str> = m.keys().map(|(_, t)| t.as_str()).collect();
    assert_eq!(got, want, "{case}: keys");
    assert!(
        m.keys().all(|(s, _)| s.as_deref() == schema),
        "{case}: key schemas"
    );
}

pub(crate) fn schema_of(o: &ReflectOptions, fx: &Reflection) -> Option<String> {
    // The options don't expose their schema; the combination loop sets it to test_schema or
    // leaves it out, which `Debug` shows.
    format!("{o:?}")
        .contains(&fx.test_schema)
        .then(|| fx.test_schema.clone())
}

/// A foreign key as compared: constrained columns, referred schema, table, columns.
type Fk = (Vec<String>, Option<String>, String, Vec<String>);

fn columns_of(table: &str) -> &'static [&'static str] {
    match table.trim_end_matches("_v") {
        "users" => &["user_id", "test1", "test2", "parent_user_id"],
        "dingalings" => &["dingaling_id", "address_id", "id_user", "data"],
        "email_addresses" => &["address_id", "remote_user_id", "email_address"],
        "comment_test" => &["id", "data", "d2", "d3"],
        "no_constraints" => &["data"],
        "local_table" => &["id", "data", "remote_id"],
        "remote_table" => &["id", "local_id", "data"],
        "remote_table_2" => &["id", "data"],
        "noncol_idx_test_nopk" => &["q"],
        "noncol_idx_test_pk" => &["id", "q"],
        _ => &[],
    }
}

#[test]
fn get_multi_columns() {
    run(origin("test_get_multi_columns"), &[], |dialect, engine| {
        let fx = reflection(dialect, engine)?;
        each_combination(dialect, &fx, |o, want, case| {
            let schema = schema_of(o, &fx);
            let m = engine.inspect().get_multi_columns(o)?;
            keys(&m, case, schema.as_deref(), want);
            for ((_, t), cols) in &m {
                let names: Vec<&str> = cols.iter().map(|c| c.name.as_str()).collect();
                assert_eq!(names, columns_of(t), "{case}: {t}");
                let is_view = t.ends_with("_v");
                for c in cols {
                    let pk = !is_view
                        && c.name == columns_of(t)[0]
                        && !matches!(t.as_str(), "no_constraints" | "noncol_idx_test_nopk");
                    if pk {
                        assert!(c.autoincrement && !c.nullable, "{case}: {t}.{}", c.name);
                    } else if !is_view {
                        let not_null = t == "users" && (c.name == "test1" || c.name == "test2");
                        assert_eq!(c.nullable, !not_null, "{case}: {t}.{} nullable", c.name);
                        assert!(!c.autoincrement, "{case}: {t}.{} autoincrement", c.name);
                    }
                }
                if t == "comment_test" && Flag::CommentReflection.on(dialect) {
                    let comments: Vec<Option<&str>> =
                        cols.iter().map(|c| c.comment.as_deref()).collect();
                    assert_eq!(
                        comments,
                        [
                            Some("id comment"),
                            Some("data % comment"),
                            Some(r#"Comment types type speedily ' " \ '' Fun!"#),
                            Some("Comment\nwith\rescapes"),
                        ],
                        "{case}"
                    );
                }
            }
            Ok(())
        })
    });
}

#[test]
fn get_multi_pk_constraint() {
    run(
        origin("test_get_multi_pk_constraint"),
        &[],
        |dialect, engine| {
            let fx = reflection(dialect, engine)?;
            each_combination(dialect, &fx, |o, want, case| {
                let m = engine.inspect().get_multi_pk_constraint(o)?;
                keys(&m, case, schema_of(o, &fx).as_deref(), want);
                for ((_, t), pk) in &m {
                    let cols: Vec<&str> =
                        pk.constrained_columns.iter().map(String::as_str).collect();
                    let expected: &[&str] = match t.as_str() {
                        _ if t.ends_with("_v") => &[],
                        "no_constraints" | "noncol_idx_test_nopk" => &[],
                        _ => &columns_of(t)[..1],
                    };
                    assert_eq!(cols, expected, "{case}: {t}");
                    if t == "email_addresses" && Flag::ReflectsPkNames.on(dialect) {
                        assert_eq!(pk.name.as_deref(), Some("email_ad_pk"), "{case}");
                    }
                    if expected.is_empty() {
                        assert_eq!(pk.name, None, "{case}: {t}");
                    }
                }
                Ok(())
            })
        },
    );
}

#[test]
fn get_multi_foreign_keys() {
    run(
        origin("test_get_multi_foreign_keys"),
        &[],
        |dialect, engine| {
            let fx = reflection(dialect, engine)?;
            each_combination(dialect, &fx, |o, want, case| {
                let schema = schema_of(o, &fx);
                let m = engine.inspect().get_multi_foreign_keys(o)?;
                keys(&m, case, schema.as_deref(), want);
                for ((_, t), fks) in &m {
                    let mut got: Vec<Fk> = fks
                        .iter()
                        .map(|f| {
                            (
                                f.constrained_columns.clone(),
                                f.referred_schema.clone(),
                                f.referred_table.clone(),
                                f.referred_columns.clone(),
                            )
                        })
                        .collect();
                    got.sort();
                    let fk = |c: &str, s: Option<&str>, t: &str, r: &str| {
                        (
                            vec![c.to_string()],
                            s.map(str::to_string),
                            t.to_string(),
                            vec![r.to_string()],
                        )
                    };
                    let s = schema.as_deref();
                    let mut expected = match t.as_str() {
                        "users" => vec![fk("parent_user_id", s, "users", "user_id")],
                        "dingalings" => vec![
                            fk("id_user", s, "users", "user_id"),
                            fk("address_id", s, "email_addresses", "address_id"),
                        ],
                        "email_addresses" => vec![fk("remote_user_id", s, "users", "user_id")],
                        "local_table" => {
                            vec![fk(
                                "remote_id",
                                Some(&fx.test_schema),
                                "remote_table_2",
                                "id",
                            )]
                        }
                        "remote_table" => {
                            vec![fk(
                                "local_id",
                                Some(&fx.default_schema),
                                "local_table",
                                "id",
                            )]
                        }
                        _ => vec![],
                    };
                    expected.sort();
                    assert_eq!(got, expected, "{case}: {t}");
                    let names: Vec<Option<&str>> = fks.iter().map(|f| f.name.as_deref()).collect();
                    if t == "users" {
                        assert_eq!(names, [Some("user_id_fk")], "{case}");
                    }
                    if t == "dingalings" {
                        assert!(
                            names.contains(&Some("zz_email_add_id_fg")),
                            "{case}: {names:?}"
                        );
                    }
                }
                Ok(())
            })
        },
    );
}

#[test]
fn get_multi_indexes() {
    run(origin("test_get_multi_indexes"), &[], |dialect, engine| {
        let fx = reflection(dialect, engine)?;
        each_combination(dialect, &fx, |o, want, case| {
            let m = engine.inspect().get_multi_indexes(o)?;
            keys(&m, case, schema_of(o, &fx).as_deref(), want);
            for ((_, t), ixs) in &m {
                check_indexes(ixs, &expected_indexes(dialect, t), &format!("{case}: {t}"));
            }
            Ok(())
        })
    });
}

#[test]
fn get_multi_unique_constraints() {
    run(
        origin("test_get_multi_unique_constraints"),
        &[Flag::UniqueConstraintReflection],
        |dialect, engine| {
            let fx = reflection(dialect, engine)?;
            let my = dialect == "mysql";
            each_combination(dialect, &fx, |o, want, case| {
                let m = engine.inspect().get_multi_unique_constraints(o)?;
                keys(&m, case, schema_of(o, &fx).as_deref(), want);
                for ((_, t), ucs) in &m {
                    let mut got: Vec<Vec<String>> =
                        ucs.iter().map(|u| u.column_names.clone()).collect();
                    got.sort();
                    let cols = |c: &[&str]| c.iter().map(|s| s.to_string()).collect::<Vec<_>>();
                    let expected: Vec<Vec<String>> = match t.as_str() {
                        // unique_index_reflect_as_unique_constraints: MySQL.
                        "users" if my => vec![cols(&["test1", "test2"])],
                        "dingalings" => {
                            vec![cols(&["address_id", "dingaling_id"]), cols(&["data"])]
                        }
                        _ => vec![],
                    };
                    assert_eq!(got, expected, "{case}: {t}");
                    if t == "dingalings" {
                        assert!(
                            ucs.iter()
                                .any(|u| u.name.as_deref() == Some("zz_dingalings_multiple")),
                            "{case}: {ucs:?}"
                        );
                    }
                }
                Ok(())
            })
        },
    );
}

#[test]
fn get_multi_check_constraints() {
    run(
        origin("test_get_multi_check_constraints"),
        &[Flag::CheckConstraintReflection],
        |dialect, engine| {
            let fx = reflection(dialect, engine)?;
            each_combination(dialect, &fx, |o, want, case| {
                let m = engine.inspect().get_multi_check_constraints(o)?;
                keys(&m, case, schema_of(o, &fx).as_deref(), want);
                for ((_, t), ccs) in &m {
                    // The suite's comparison: lower case, without parentheses and backquotes,
                    // containing the expected text.
                    let clean = |s: &str| s.to_lowercase().replace(['(', ')', '`'], "");
                    let mut got: Vec<(String, Option<String>)> = ccs
                        .iter()
                        .map(|c| (clean(&c.sqltext), c.name.clone()))
                        .collect();
                    got.sort();
                    let expected: Vec<&str> = match t.as_str() {
                        "users" => vec!["test2 <= 1000", "test2 > 0"],
                        "dingalings" => vec!["address_id > 0 and address_id < 1000"],
                        _ => vec![],
                    };
                    assert_eq!(got.len(), expected.len(), "{case}: {t}: {got:?}");
                    for e in &expected {
                        assert!(
                            got.iter().any(|(g, _)| g.contains(e)),
                            "{case}: {t}: {e} in {got:?}"
                        );
                    }
                    let names: Vec<Option<&str>> = got.iter().map(|(_, n)| n.as_deref()).collect();
                    if t == "users" {
                        assert!(
                            names.contains(&Some("zz_test2_gt_zero")),
                            "{case}: {names:?}"
                        );
                    }
                    if t == "dingalings" {
                        assert_eq!(names, [Some("address_id_gt_zero")], "{case}");
                    }
                }
                Ok(())
            })
        },
    );
}

#[test]
fn get_multi_table_comment() {
    run(
        origin("test_get_multi_table_comment"),
        &[Flag::CommentReflection],
        |dialect, engine| {
            let fx = reflection(dialect, engine)?;
            each_combination(dialect, &fx, |o, want, case| {
                let m = engine.inspect().get_multi_table_comment(o)?;
                keys(&m, case, schema_of(o, &fx).as_deref(), want);
                for ((_, t), c) in &m {
                    let expected = match t.as_str() {
                        "comment_test" => Some(r#"the test % ' " \ table comment"#),
                        "no_constraints" => Some("no\nconstraints\rhas\u{c}escaped\u{b}comment"),
                        _ => None,
                    };
                    assert_eq!(c.as_deref(), expected, "{case}: {t}");
                }
                Ok(())
            })
        },
    );
}
