//! Ported from SQLAlchemy's `lib/sqlalchemy/testing/suite/test_reflection.py`:
//! `ComponentReflectionTestExtra`'s column tests (numeric / string / nullable column
//! reflection, foreign key options, server defaults), `CompositeKeyReflectionTest` and
//! `NormalizedNameTest`.

use athanor::prelude::*;
use athanor::{Engine, Result};

use super::harness::{Origin, run};
use super::requirements::Flag;
use super::test_reflection_extra::{extra, origin};

/// The suite's `_type_round_trip`: a table `t` with one column per type; the reflected types.
fn type_round_trip(engine: &Engine, types: &[Type]) -> Result<Vec<Type>> {
    let md = MetaData::new();
    let mut b = Table::build("t", &md);
    for (i, ty) in types.iter().enumerate() {
        b = b.column(Column::new(format!("t{i}"), ty.clone()));
    }
    b.finish()?;
    md.create_all(engine)?;
    let cols = engine.inspect().get_columns("t", None)?;
    md.drop_all(engine)?;
    Ok(cols.into_iter().map(|c| c.ty).collect())
}

#[test]
fn numeric_reflection() {
    run(
        extra("test_numeric_reflection"),
        &[Flag::TableReflection],
        |_dialect, engine| {
            for ty in type_round_trip(engine, &[Type::Numeric(Some(18), Some(5))])? {
                assert_eq!(ty.generic(), &Type::Numeric(Some(18), Some(5)), "{ty:?}");
            }
            Ok(())
        },
    );
}

/// How a reflected string type was declared: `VARCHAR` (`character varying`, `NVARCHAR`) or
/// `CHAR` (`character`, `NCHAR`), with its length.
fn string_kind(ty: &Type) -> (&'static str, Option<u32>) {
    let declared = match ty {
        Type::Declared { sql, .. } | Type::Other(sql) => sql.to_uppercase(),
        other => other.to_string().to_uppercase(),
    };
    let kind = if declared.contains("VARCHAR") || declared.contains("CHARACTER VARYING") {
        "VARCHAR"
    } else if declared.contains("CHAR") {
        "CHAR"
    } else {
        "other"
    };
    let length = match ty.generic() {
        Type::String(n) | Type::Unicode(n) => *n,
        _ => None,
    };
    (kind, length)
}

#[test]
fn string_length_reflection() {
    run(
        extra("test_string_length_reflection"),
        &[Flag::TableReflection],
        |dialect, engine| {
            // SQLAlchemy's String, VARCHAR, CHAR, NVARCHAR and NCHAR of length 52; Athanor
            // names the last four by their SQL.
            let cases: [(&str, Type, &str, bool); 5] = [
                ("String", Type::String(Some(52)), "VARCHAR", false),
                (
                    "VARCHAR",
                    Type::Other("VARCHAR(52)".into()),
                    "VARCHAR",
                    false,
                ),
                ("CHAR", Type::Other("CHAR(52)".into()), "CHAR", false),
                (
                    "NVARCHAR",
                    Type::Other("NVARCHAR(52)".into()),
                    "VARCHAR",
                    true,
                ),
                ("NCHAR", Type::Other("NCHAR(52)".into()), "CHAR", true),
            ];
            for (case, ty, kind, nvarchar) in cases {
                if nvarchar && !Flag::NvarcharTypes.on(dialect) {
                    continue;
                }
                let got = type_round_trip(engine, &[ty])?.remove(0);
                assert_eq!(string_kind(&got), (kind, Some(52)), "{case}: {got:?}");
            }
            Ok(())
        },
    );
}

#[test]
fn nullable_reflection() {
    run(
        extra("test_nullable_reflection"),
        &[Flag::TableReflection],
        |_dialect, engine| {
            let md = MetaData::new();
            Table::build("t", &md)
                .column(Column::new("a", Type::Integer).nullable(true))
                .column(Column::new("b", Type::Integer).nullable(false))
                .finish()?;
            md.create_all(engine)?;
            let got: Vec<(String, bool)> = engine
                .inspect()
                .get_columns("t", None)?
                .into_iter()
                .map(|c| (c.name, c.nullable))
                .collect();
            assert_eq!(got, [("a".to_string(), true), ("b".to_string(), false)]);
            Ok(())
        },
    );
}

#[test]
fn get_foreign_key_options() {
    run(
        extra("test_get_foreign_key_options"),
        &[],
        |dialect, engine| {
            // (expected (on_delete, on_update) when not what was asked, on_delete, on_update,
            // the case's requirement)
            type Case = (
                Option<(Option<&'static str>, Option<&'static str>)>,
                Option<&'static str>,
                Option<&'static str>,
                Flag,
            );
            let cases: [Case; 6] = [
                (
                    None,
                    Some("CASCADE"),
                    None,
                    Flag::ForeignKeyConstraintOptionReflectionOndelete,
                ),
                (
                    None,
                    None,
                    Some("SET NULL"),
                    Flag::ForeignKeyConstraintOptionReflectionOnupdate,
                ),
                (
                    Some((None, None)),
                    None,
                    Some("NO ACTION"),
                    Flag::ForeignKeyConstraintOptionReflectionOnupdate,
                ),
                (
                    Some((None, None)),
                    Some("NO ACTION"),
                    None,
                    Flag::FkConstraintOptionReflectionOndeleteNoaction,
                ),
                (
                    None,
                    None,
                    Some("RESTRICT"),
                    Flag::FkConstraintOptionReflectionOnupdateRestrict,
                ),
                (
                    None,
                    Some("RESTRICT"),
                    None,
                    Flag::FkConstraintOptionReflectionOndeleteRestrict,
                ),
            ];
            for (expected, ondelete, onupdate, flag) in cases {
                if !flag.on(dialect) {
                    eprintln!(
                        "   case {ondelete:?}/{onupdate:?} skipped (requires {})",
                        flag.name()
                    );
                    continue;
                }
                let case = format!("ondelete={ondelete:?} onupdate={onupdate:?}");
                let md = MetaData::new();
                Table::build("x", &md)
                    .column(Column::new("id", Type::Integer).primary_key())
                    .finish()?;
                Table::build("table", &md)
                    .column(Column::new("id", Type::Integer).primary_key())
                    .column(
                        Column::new("x_id", Type::Integer)
                            .foreign_key(ForeignKey::new("x.id").name("xid")),
                    )
                    .column(Column::new("test", Type::String(Some(10))))
                    .finish()?;
                let mut fk = ForeignKeyConstraint::new(["tid"], "table", ["id"]).name("myfk");
                if let Some(a) = ondelete {
                    fk = fk.on_delete(a);
                }
                if let Some(a) = onupdate {
                    fk = fk.on_update(a);
                }
                Table::build("user", &md)
                    .column(Column::new("id", Type::Integer).primary_key())
                    .column(Column::new("name", Type::String(Some(50))).nullable(false))
                    .column(Column::new("tid", Type::Integer))
                    .foreign_key(fk)
                    .finish()?;
                md.create_all(engine)?;
                let insp = engine.inspect();

                // Options are always there, empty for a key without any.
                let plain = &insp.get_foreign_keys("table", None)?[0];
                assert_eq!(
                    (
                        &plain.on_delete,
                        &plain.on_update,
                        plain.deferrable,
                        &plain.initially
                    ),
                    (&None, &None, None, &None),
                    "{case}: table's key"
                );
                let user = &insp.get_foreign_keys("user", None)?[0];
                let want = expected.unwrap_or((ondelete, onupdate));
                assert_eq!(
                    (user.on_delete.as_deref(), user.on_update.as_deref()),
                    want,
                    "{case}: user's key"
                );
                assert_eq!((user.deferrable, &user.initially), (None, &None), "{case}");
                md.drop_all(engine)?;
            }
            Ok(())
        },
    );
}

#[test]
fn server_defaults() {
    run(
        extra("test_server_defaults"),
        &[Flag::ServerDefaults],
        |dialect, engine| {
            // (type, default, what the reflected default reads as without parentheses,
            // spaces and quotes — a regular expression in the suite, alternatives here —,
            // needs expression_server_defaults)
            let cases: [(Type, ServerDefault, &[&str], bool); 7] = [
                (Type::Integer, ServerDefault::text("10"), &["10"], false),
                (Type::Integer, ServerDefault::from("10"), &["10"], false),
                (
                    Type::Boolean,
                    ServerDefault::from(true),
                    &["1", "true"],
                    false,
                ),
                (Type::Integer, ServerDefault::text("3 + 5"), &["3+5"], true),
                (
                    Type::Integer,
                    ServerDefault::text("(3 * 5)"),
                    &["3*5"],
                    true,
                ),
                // func.now(): CURRENT_TIMESTAMP is its SQL on SQLite and MySQL, and means
                // now() on PostgreSQL.
                (
                    Type::DateTime,
                    ServerDefault::text("CURRENT_TIMESTAMP"),
                    &["current_timestamp", "now", "getdate"],
                    false,
                ),
                // literal_column("3") + literal_column("5")
                (Type::Integer, ServerDefault::text("3 + 5"), &["3+5"], true),
            ];
            for (ty, default, expected, needs_expressions) in cases {
                if needs_expressions && !Flag::ExpressionServerDefaults.on(dialect) {
                    continue;
                }
                let case = format!("{ty:?} DEFAULT {default:?}");
                let md = MetaData::new();
                Table::build("t", &md)
                    .column(Column::new("id", Type::Integer).primary_key())
                    .column(Column::new("thecol", ty).server_default(default))
                    .finish()?;
                md.create_all(engine)?;
                let cols = engine.inspect().get_columns("t", None)?;
                let reflected = cols[1].default.clone().unwrap_or_default();
                let sanitized: String = reflected
                    .chars()
                    .filter(|c| !matches!(c, '(' | ')' | ' ' | '\''))
                    .collect::<String>()
                    .to_lowercase();
                // `eq_regex` matches at the start (`re.match`).
                assert!(
                    expected.iter().any(|e| sanitized.starts_with(e)),
                    "{case}: reflected {reflected:?}"
                );
                md.drop_all(engine)?;
            }
            Ok(())
        },
    );
}

fn normalized(test: &'static str) -> Origin {
    origin("NormalizedNameTest", test)
}

/// `t1` and `t2` (with a key to `t1`), named in lower case with quoting forced.
fn normalized_tables(engine: &Engine) -> Result<()> {
    let md = MetaData::new();
    Table::build("t1", &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .finish()?;
    Table::build("t2", &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .column(Column::new("t1id", Type::Integer).foreign_key(ForeignKey::new("t1.id")))
        .finish()?;
    md.create_all(engine)
}

#[test]
fn reflect_lowercase_forced_tables() {
    // Only for databases whose names are case-insensitive in UPPER case (Oracle, Firebird):
    // none of Athanor's three, as for SQLAlchemy.
    run(
        normalized("test_reflect_lowercase_forced_tables"),
        &[Flag::DenormalizedNames],
        |_dialect, engine| {
            normalized_tables(engine)?;
            let md = MetaData::new();
            let t2 = Table::autoload("t2", &md, engine)?;
            let fk = &t2.foreign_keys()[0];
            assert_eq!(
                (fk.referred_table.as_str(), &fk.referred_columns[..]),
                ("t1", &["id".to_string()][..])
            );
            Ok(())
        },
    );
}

#[test]
fn normalized_get_table_names() {
    run(
        normalized("test_get_table_names"),
        &[Flag::DenormalizedNames],
        |_dialect, engine| {
            normalized_tables(engine)?;
            let names: Vec<String> = engine
                .inspect()
                .get_table_names(None)?
                .into_iter()
                .filter(|t| ["t1", "t2"].contains(&t.to_lowercase().as_str()))
                .collect();
            assert_eq!(names.len(), 2);
            for n in &names {
                assert_eq!(n.to_uppercase(), n.to_lowercase());
            }
            Ok(())
        },
    );
}

fn composite(test: &'static str) -> Origin {
    origin("CompositeKeyReflectionTest", test)
}

/// `tb1` with the key (name, id, attr) and `tb2` referring to it in that order.
fn composite_tables(engine: &Engine) -> Result<()> {
    let md = MetaData::new();
    Table::build("tb1", &md)
        .column(Column::new("id", Type::Integer))
        .column(Column::new("attr", Type::Integer))
        .column(Column::new("name", Type::Other("VARCHAR(20)".into())))
        .primary_key(PrimaryKeyConstraint::new(["name", "id", "attr"]).name("pk_tb1"))
        .finish()?;
    Table::build("tb2", &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .column(Column::new("pid", Type::Integer))
        .column(Column::new("pattr", Type::Integer))
        .column(Column::new("pname", Type::Other("VARCHAR(20)".into())))
        .foreign_key(
            ForeignKeyConstraint::new(["pname", "pid", "pattr"], "tb1", ["name", "id", "attr"])
                .name("fk_tb1_name_id_attr"),
        )
        .finish()?;
    md.create_all(engine)
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

#[test]
fn pk_column_order() {
    run(
        composite("test_pk_column_order"),
        &[Flag::PrimaryKeyConstraintReflection],
        |_dialect, engine| {
            composite_tables(engine)?;
            let pk = engine.inspect().get_pk_constraint("tb1", None)?;
            assert_eq!(pk.constrained_columns, strings(&["name", "id", "attr"]));
            Ok(())
        },
    );
}

#[test]
fn fk_column_order() {
    run(
        composite("test_fk_column_order"),
        &[Flag::ForeignKeyConstraintReflection],
        |_dialect, engine| {
            composite_tables(engine)?;
            let fks = engine.inspect().get_foreign_keys("tb2", None)?;
            assert_eq!(fks.len(), 1);
            assert_eq!(fks[0].referred_columns, strings(&["name", "id", "attr"]));
            assert_eq!(
                fks[0].constrained_columns,
                strings(&["pname", "pid", "pattr"])
            );
            Ok(())
        },
    );
}

#[test]
fn fk_repeated_source_cols_reported_by_inspector() {
    run(
        composite("test_fk_repeated_source_cols_reported_by_inspector"),
        // The fixture's requirement (`repeated_column_foreign_keys`) and the test's.
        &[
            Flag::RepeatedColumnForeignKeys,
            Flag::ForeignKeyConstraintReflection,
        ],
        |_dialect, engine| {
            composite_tables(engine)?;
            engine.connect()?.exec_driver_sql(
                "CREATE TABLE rep_fk_t (\
                 id INTEGER NOT NULL, cid INTEGER NOT NULL, PRIMARY KEY (id), UNIQUE (id, cid), \
                 CONSTRAINT rem_fk_cons FOREIGN KEY (cid, cid) REFERENCES rep_fk_t (id, cid))",
            )?;
            let fks = engine.inspect().get_foreign_keys("rep_fk_t", None)?;
            assert_eq!(fks.len(), 1, "{fks:?}");
            let fk = &fks[0];
            assert_eq!(fk.name.as_deref(), Some("rem_fk_cons"));
            assert_eq!(fk.constrained_columns, strings(&["cid", "cid"]));
            assert_eq!(fk.referred_schema, None);
            assert_eq!(fk.referred_table, "rep_fk_t");
            assert_eq!(fk.referred_columns, strings(&["id", "cid"]));
            assert_eq!(
                (&fk.on_delete, &fk.on_update, fk.deferrable, &fk.initially),
                (&None, &None, None, &None)
            );
            engine.connect()?.exec_driver_sql("DROP TABLE rep_fk_t")?;
            Ok(())
        },
    );
}
