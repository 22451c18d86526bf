//! Ported from SQLAlchemy's `lib/sqlalchemy/testing/suite/test_select.py` (behaviour, fixtures
//! and assertions; not code). Tests of that file not ported yet are listed, with the reason,
//! in `compliance/todo.tsv`.

use athanor::prelude::*;
use athanor::{Engine, Result};

use super::harness::{Origin, run};
use super::requirements::Flag;

const FILE: &str = "test_select.py";

pub(super) fn origin(class: &'static str, test: &'static str) -> Origin {
    Origin {
        file: FILE,
        class,
        test,
    }
}

/// `some_table` as a test class defines it: `id` INTEGER primary key and the given columns,
/// created and filled with `rows` (each row: id, then the columns' values).
pub(super) fn some_table(
    engine: &Engine,
    columns: &[(&str, Type)],
    rows: &[Vec<Value>],
) -> Result<Table> {
    let md = MetaData::new();
    let mut b =
        Table::build("some_table", &md).column(Column::new("id", Type::Integer).primary_key());
    for (name, ty) in columns {
        b = b.column(Column::new(*name, ty.clone()));
    }
    let t = b.finish()?;
    md.create_all(engine)?;
    let names: Vec<&str> = std::iter::once("id")
        .chain(columns.iter().map(|c| c.0))
        .collect();
    engine
        .connect()?
        .execute_many_rows(&t.insert(), &names, rows.iter().cloned())?;
    Ok(t)
}

pub(super) fn ints(rows: &[&[i64]]) -> Vec<Vec<Value>> {
    rows.iter()
        .map(|r| r.iter().map(|v| Value::Int(*v)).collect())
        .collect()
}

// ---- OrderByLabelTest ----

fn order_by_label_fixture(engine: &Engine) -> Result<Table> {
    let s = |v: &str| Value::from(v);
    some_table(
        engine,
        &[
            ("x", Type::Integer),
            ("y", Type::Integer),
            ("q", Type::String(Some(50))),
            ("p", Type::String(Some(50))),
        ],
        &[
            vec![
                Value::Int(1),
                Value::Int(1),
                Value::Int(2),
                s("q1"),
                s("p3"),
            ],
            vec![
                Value::Int(2),
                Value::Int(2),
                Value::Int(3),
                s("q2"),
                s("p2"),
            ],
            vec![
                Value::Int(3),
                Value::Int(3),
                Value::Int(4),
                s("q3"),
                s("p1"),
            ],
        ],
    )
}

#[test]
fn order_by_label_plain() {
    run(
        origin("OrderByLabelTest", "test_plain"),
        &[],
        |_, engine| {
            let t = order_by_label_fixture(engine)?;
            let lx = t.c("x").label("lx");
            let got: Vec<(i64,)> = engine.connect()?.tuples(&select(lx.clone()).order_by(lx))?;
            assert_eq!(got, [(1,), (2,), (3,)]);
            Ok(())
        },
    );
}

#[test]
fn order_by_label_composed_int() {
    run(
        origin("OrderByLabelTest", "test_composed_int"),
        &[],
        |_, engine| {
            let t = order_by_label_fixture(engine)?;
            let lx = (t.c("x") + t.c("y")).label("lx");
            let got: Vec<(i64,)> = engine.connect()?.tuples(&select(lx.clone()).order_by(lx))?;
            assert_eq!(got, [(3,), (5,), (7,)]);
            Ok(())
        },
    );
}

#[test]
fn order_by_label_composed_multiple() {
    run(
        origin("OrderByLabelTest", "test_composed_multiple"),
        &[],
        |_, engine| {
            let t = order_by_label_fixture(engine)?;
            let lx = (t.c("x") + t.c("y")).label("lx");
            let ly = (func::lower(t.c("q")) + t.c("p")).label("ly");
            let got: Vec<(i64, String)> = engine.connect()?.tuples(
                &select((lx.clone(), ly.clone()))
                    .order_by(lx)
                    .order_by(ly.desc()),
            )?;
            assert_eq!(
                got,
                [(3, "q1p3".into()), (5, "q2p2".into()), (7, "q3p1".into())]
            );
            Ok(())
        },
    );
}

#[test]
fn order_by_label_plain_desc() {
    run(
        origin("OrderByLabelTest", "test_plain_desc"),
        &[],
        |_, engine| {
            let t = order_by_label_fixture(engine)?;
            let lx = t.c("x").label("lx");
            let got: Vec<(i64,)> = engine
                .connect()?
                .tuples(&select(lx.clone()).order_by(lx.desc()))?;
            assert_eq!(got, [(3,), (2,), (1,)]);
            Ok(())
        },
    );
}

#[test]
fn order_by_label_composed_int_desc() {
    run(
        origin("OrderByLabelTest", "test_composed_int_desc"),
        &[],
        |_, engine| {
            let t = order_by_label_fixture(engine)?;
            let lx = (t.c("x") + t.c("y")).label("lx");
            let got: Vec<(i64,)> = engine
                .connect()?
                .tuples(&select(lx.clone()).order_by(lx.desc()))?;
            assert_eq!(got, [(7,), (5,), (3,)]);
            Ok(())
        },
    );
}

#[test]
fn order_by_label_group_by_composed() {
    run(
        origin("OrderByLabelTest", "test_group_by_composed"),
        &[Flag::GroupByComplexExpression],
        |_, engine| {
            let t = order_by_label_fixture(engine)?;
            let expr = (t.c("x") + t.c("y")).label("lx");
            let stmt = select((func::count(t.c("id")), expr.clone()))
                .group_by(expr.clone())
                .order_by(expr);
            let got: Vec<(i64, i64)> = engine.connect()?.tuples(&stmt)?;
            assert_eq!(got, [(1, 3), (1, 5), (1, 7)]);
            Ok(())
        },
    );
}

// ---- JoinTest ----

/// `a` (ids 1-5) and `b` (id, a_id NOT NULL REFERENCES a): JoinTest's tables.
fn join_fixture(engine: &Engine) -> Result<(Table, Table)> {
    let md = MetaData::new();
    let a = Table::build("a", &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .finish()?;
    let b = Table::build("b", &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .column(
            Column::new("a_id", Type::Integer)
                .foreign_key(ForeignKey::new("a.id"))
                .nullable(false),
        )
        .finish()?;
    md.create_all(engine)?;
    let mut conn = engine.connect()?;
    conn.execute_many_rows(&a.insert(), &["id"], (1..=5i64).map(|i| (i,)))?;
    conn.execute_many_rows(
        &b.insert(),
        &["id", "a_id"],
        [(1i64, 1i64), (2, 1), (4, 2), (5, 3)],
    )?;
    Ok((a, b))
}

type AB = (i64, Option<i64>, Option<i64>);

fn joined(engine: &Engine, a: &Table, b: &Table, from: FromItem) -> Result<Vec<AB>> {
    engine.connect()?.tuples(
        &select((a, b))
            .select_from(from)
            .order_by(a.c("id"))
            .order_by(b.c("id")),
    )
}

const JOINED: [AB; 4] = [
    (1, Some(1), Some(1)),
    (1, Some(2), Some(1)),
    (2, Some(4), Some(2)),
    (3, Some(5), Some(3)),
];

#[test]
fn join_inner_join_fk() {
    run(
        origin("JoinTest", "test_inner_join_fk"),
        &[],
        |_, engine| {
            let (a, b) = join_fixture(engine)?;
            assert_eq!(joined(engine, &a, &b, a.join(&b))?, JOINED);
            Ok(())
        },
    );
}

#[test]
fn join_inner_join_true() {
    run(
        origin("JoinTest", "test_inner_join_true"),
        &[],
        |_, engine| {
            let (a, b) = join_fixture(engine)?;
            let mut expected = Vec::new();
            for x in 1..=5 {
                for (y, z) in [(1, 1), (2, 1), (4, 2), (5, 3)] {
                    expected.push((x, Some(y), Some(z)));
                }
            }
            assert_eq!(joined(engine, &a, &b, a.join_on(&b, true_()))?, expected);
            Ok(())
        },
    );
}

#[test]
fn join_inner_join_false() {
    run(
        origin("JoinTest", "test_inner_join_false"),
        &[],
        |_, engine| {
            let (a, b) = join_fixture(engine)?;
            assert_eq!(joined(engine, &a, &b, a.join_on(&b, false_()))?, []);
            Ok(())
        },
    );
}

#[test]
fn join_outer_join_false() {
    run(
        origin("JoinTest", "test_outer_join_false"),
        &[],
        |_, engine| {
            let (a, b) = join_fixture(engine)?;
            let expected: Vec<AB> = (1..=5).map(|i| (i, None, None)).collect();
            assert_eq!(
                joined(engine, &a, &b, a.outerjoin_on(&b, false_()))?,
                expected
            );
            Ok(())
        },
    );
}

#[test]
fn join_outer_join_fk() {
    run(
        origin("JoinTest", "test_outer_join_fk"),
        &[],
        |_, engine| {
            let (a, b) = join_fixture(engine)?;
            // As the suite wrote it: an inner join despite the name.
            assert_eq!(joined(engine, &a, &b, a.join(&b))?, JOINED);
            Ok(())
        },
    );
}

// ---- CompoundSelectTest ----

type Row3 = (i64, i64, i64);

fn compound_fixture(engine: &Engine) -> Result<Table> {
    some_table(
        engine,
        &[("x", Type::Integer), ("y", Type::Integer)],
        &ints(&[&[1, 1, 2], &[2, 2, 3], &[3, 3, 4], &[4, 4, 5]]),
    )
}

fn compound_rows(engine: &Engine, stmt: &impl athanor::sql::Executable) -> Result<Vec<Row3>> {
    engine.connect()?.tuples(stmt)
}

const TWO_THREE: [Row3; 2] = [(2, 2, 3), (3, 3, 4)];

#[test]
fn compound_plain_union() {
    run(
        origin("CompoundSelectTest", "test_plain_union"),
        &[],
        |_, engine| {
            let t = compound_fixture(engine)?;
            let s1 = select(&t).filter(t.c("id").eq(2));
            let s2 = select(&t).filter(t.c("id").eq(3));
            let u = union([s1, s2]).order_by("id");
            assert_eq!(compound_rows(engine, &u)?, TWO_THREE);
            Ok(())
        },
    );
}

#[test]
fn compound_select_from_plain_union() {
    run(
        origin("CompoundSelectTest", "test_select_from_plain_union"),
        &[],
        |_, engine| {
            let t = compound_fixture(engine)?;
            let s1 = select(&t).filter(t.c("id").eq(2));
            let s2 = select(&t).filter(t.c("id").eq(3));
            let u = union([s1, s2]).subquery("anon_1");
            let stmt = select(&u).order_by(u.c("id"));
            assert_eq!(compound_rows(engine, &stmt)?, TWO_THREE);
            Ok(())
        },
    );
}

#[test]
fn compound_limit_offset_selectable_in_unions() {
    run(
        origin(
            "CompoundSelectTest",
            "test_limit_offset_selectable_in_unions",
        ),
        &[
            Flag::OrderByColFromUnion,
            Flag::ParensInUnionWithLimitOffset,
        ],
        |_, engine| {
            let t = compound_fixture(engine)?;
            let s1 = select(&t)
                .filter(t.c("id").eq(2))
                .limit(1)
                .order_by(t.c("id"));
            let s2 = select(&t)
                .filter(t.c("id").eq(3))
                .limit(1)
                .order_by(t.c("id"));
            let u = union([s1, s2]).limit(2).order_by("id");
            assert_eq!(compound_rows(engine, &u)?, TWO_THREE);
            Ok(())
        },
    );
}

#[test]
fn compound_order_by_selectable_in_unions() {
    run(
        origin("CompoundSelectTest", "test_order_by_selectable_in_unions"),
        &[Flag::ParensInUnionWithoutLimitOffset],
        |_, engine| {
            let t = compound_fixture(engine)?;
            let s1 = select(&t).filter(t.c("id").eq(2)).order_by(t.c("id"));
            let s2 = select(&t).filter(t.c("id").eq(3)).order_by(t.c("id"));
            let u = union([s1, s2]).limit(2).order_by("id");
            assert_eq!(compound_rows(engine, &u)?, TWO_THREE);
            Ok(())
        },
    );
}

#[test]
fn compound_distinct_selectable_in_unions() {
    run(
        origin("CompoundSelectTest", "test_distinct_selectable_in_unions"),
        &[],
        |_, engine| {
            let t = compound_fixture(engine)?;
            let s1 = select(&t).filter(t.c("id").eq(2)).distinct();
            let s2 = select(&t).filter(t.c("id").eq(3)).distinct();
            let u = union([s1, s2]).limit(2).order_by("id");
            assert_eq!(compound_rows(engine, &u)?, TWO_THREE);
            Ok(())
        },
    );
}

#[test]
fn compound_limit_offset_in_unions_from_alias() {
    run(
        origin(
            "CompoundSelectTest",
            "test_limit_offset_in_unions_from_alias",
        ),
        &[Flag::ParensInUnionWithLimitOffset],
        |_, engine| {
            let t = compound_fixture(engine)?;
            let s1 = select(&t)
                .filter(t.c("id").eq(2))
                .limit(1)
                .order_by(t.c("id"));
            let s2 = select(&t)
                .filter(t.c("id").eq(3))
                .limit(1)
                .order_by(t.c("id"));
            let u = union([s1, s2]).subquery("anon_1");
            let stmt = select(&u).limit(2).order_by(u.c("id"));
            assert_eq!(compound_rows(engine, &stmt)?, TWO_THREE);
            Ok(())
        },
    );
}

#[test]
fn compound_limit_offset_aliased_selectable_in_unions() {
    run(
        origin(
            "CompoundSelectTest",
            "test_limit_offset_aliased_selectable_in_unions",
        ),
        &[],
        |_, engine| {
            let t = compound_fixture(engine)?;
            let part = |id: i64, name: &str| {
                let a = select(&t)
                    .filter(t.c("id").eq(id))
                    .limit(1)
                    .order_by(t.c("id"))
                    .subquery(name);
                select(&a)
            };
            let u = union([part(2, "anon_2"), part(3, "anon_3")])
                .limit(2)
                .order_by("id");
            assert_eq!(compound_rows(engine, &u)?, TWO_THREE);
            Ok(())
        },
    );
}

// ---- ExistsTest ----

fn stuff(engine: &Engine) -> Result<Table> {
    let md = MetaData::new();
    let t = Table::build("stuff", &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .column(Column::new("data", Type::String(Some(50))))
        .finish()?;
    md.create_all(engine)?;
    engine.connect()?.execute_many_rows(
        &t.insert(),
        &["id", "data"],
        [
            (1i64, "some data"),
            (2, "some data"),
            (3, "some data"),
            (4, "some other data"),
        ],
    )?;
    Ok(t)
}

#[test]
fn exists_select_exists() {
    run(
        origin("ExistsTest", "test_select_exists"),
        &[],
        |_, engine| {
            let t = stuff(engine)?;
            let stmt = select(literal(1)).filter(exists().filter(t.c("data").eq("some data")));
            let got: Vec<(i64,)> = engine.connect()?.tuples(&stmt)?;
            assert_eq!(got, [(1,)]);
            Ok(())
        },
    );
}

#[test]
fn exists_select_exists_false() {
    run(
        origin("ExistsTest", "test_select_exists_false"),
        &[],
        |_, engine| {
            let t = stuff(engine)?;
            let stmt = select(literal(1)).filter(exists().filter(t.c("data").eq("no data")));
            let got: Vec<(i64,)> = engine.connect()?.tuples(&stmt)?;
            assert_eq!(got, []);
            Ok(())
        },
    );
}

// ---- IdentityColumnTest ----

/// `tbl_a` (an always-identity key from 42, no min or max value) and `tbl_b` (a by-default
/// identity key counting down by 5 from 0, between -1000 and 0), each with `desc`, filled
/// as the class's `insert_data` fills them.
fn identity_tables(engine: &Engine) -> Result<(Table, Table)> {
    let md = MetaData::new();
    let a = Table::build("tbl_a", &md)
        .column(
            Column::new("id", Type::Integer)
                .identity(
                    Identity::new()
                        .always(true)
                        .start(42)
                        .nominvalue()
                        .nomaxvalue(),
                )
                .primary_key(),
        )
        .column(Column::new("desc", Type::String(Some(100))))
        .finish()?;
    let b = Table::build("tbl_b", &md)
        .column(
            Column::new("id", Type::Integer)
                .identity(
                    Identity::new()
                        .increment(-5)
                        .start(0)
                        .minvalue(-1000)
                        .maxvalue(0),
                )
                .primary_key(),
        )
        .column(Column::new("desc", Type::String(Some(100))))
        .finish()?;
    md.create_all(engine)?;
    let mut conn = engine.connect()?;
    let descs = || ["a", "b"].map(|d| row! { "desc" => d });
    conn.execute_many(&a.insert(), descs())?;
    conn.execute_many(&b.insert(), descs())?;
    conn.execute_many(&b.insert(), [row! { "id" => 42, "desc" => "c" }])?;
    Ok((a, b))
}

#[test]
fn identity_column_select_all() {
    run(
        origin("IdentityColumnTest", "test_select_all"),
        &[Flag::IdentityColumns],
        |_, engine| {
            let (a, b) = identity_tables(engine)?;
            let mut conn = engine.connect()?;
            let star = |t: &Table| {
                select(literal_column("*"))
                    .select_from(t)
                    .order_by(t.c("id"))
            };
            let got: Vec<(i64, String)> = conn.tuples(&star(&a))?;
            assert_eq!(got, [(42, "a".into()), (43, "b".into())]);
            let got: Vec<(i64, String)> = conn.tuples(&star(&b))?;
            assert_eq!(got, [(-5, "b".into()), (0, "a".into()), (42, "c".into())]);
            Ok(())
        },
    );
}

#[test]
fn identity_column_select_columns() {
    run(
        origin("IdentityColumnTest", "test_select_columns"),
        &[Flag::IdentityColumns],
        |_, engine| {
            let (a, _) = identity_tables(engine)?;
            let got: Vec<(i64,)> = engine
                .connect()?
                .tuples(&select(a.c("id")).order_by(a.c("id")))?;
            assert_eq!(got, [(42,), (43,)]);
            Ok(())
        },
    );
}

#[test]
fn identity_column_insert_always_error() {
    run(
        origin("IdentityColumnTest", "test_insert_always_error"),
        &[Flag::IdentityColumns, Flag::IdentityColumnsStandard],
        |_, engine| {
            let (a, _) = identity_tables(engine)?;
            let err = engine
                .connect()?
                .execute_many(&a.insert(), [row! { "id" => 200, "desc" => "a" }])
                .expect_err("a value for a GENERATED ALWAYS column");
            // SQLAlchemy accepts a DatabaseError or a ProgrammingError; PostgreSQL says
            // 428C9 (generated_always).
            assert!(
                matches!(&err, athanor::Error::Programming(d) | athanor::Error::Database(d)
                    if d.sqlstate() == Some("428C9")),
                "{err:?}"
            );
            Ok(())
        },
    );
}

// ---- IdentityAutoincrementTest ----

#[test]
fn identity_autoincrement_with_identity() {
    run(
        origin(
            "IdentityAutoincrementTest",
            "test_autoincrement_with_identity",
        ),
        &[Flag::AutoincrementWithoutSequence],
        |_, engine| {
            let md = MetaData::new();
            let t = Table::build("tbl", &md)
                .column(
                    Column::new("id", Type::Integer)
                        .identity(Identity::new())
                        .primary_key()
                        .autoincrement(true),
                )
                .column(Column::new("desc", Type::String(Some(100))))
                .finish()?;
            md.create_all(engine)?;
            let mut conn = engine.connect()?;
            conn.execute_with(&t.insert(), &row! { "desc" => "row" })?;
            let first = conn.execute(&select(&t))?.first()?.expect("a row");
            assert_eq!(first.get::<i64, _>(0)?, 1);
            assert_eq!(first.get::<String, _>(1)?, "row");
            assert_eq!(first.len(), 2);
            Ok(())
        },
    );
}

// ---- SameNamedSchemaTableTest ----

/// `some_table` twice: (id) in the second schema, (id, some_table_id NOT NULL) in the default
/// one, one row each; the default schema's first.
fn same_named_tables(dialect: &str, engine: &Engine) -> Result<(Table, Table)> {
    let ts = super::reflection_fixture::make_test_schema(dialect, engine)?;
    let md = MetaData::new();
    let in_schema = Table::build("some_table", &md)
        .schema(ts)
        .column(Column::new("id", Type::Integer).primary_key())
        .finish()?;
    let plain = Table::build("some_table", &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .column(Column::new("some_table_id", Type::Integer).nullable(false))
        .finish()?;
    md.create_all(engine)?;
    let mut conn = engine.connect()?;
    conn.execute_with(&in_schema.insert(), &row! { "id" => 1 })?;
    conn.execute_with(&plain.insert(), &row! { "id" => 1, "some_table_id" => 1 })?;
    Ok((plain, in_schema))
}

#[test]
fn same_named_schema_table_simple_join_both_tables() {
    run(
        origin("SameNamedSchemaTableTest", "test_simple_join_both_tables"),
        &[Flag::Schemas],
        |dialect, engine| {
            let (t, ts) = same_named_tables(dialect, engine)?;
            let stmt = select((&t, &ts)).join_from_on(&t, &ts, t.c("some_table_id").eq(ts.c("id")));
            let got: Vec<(i64, i64, i64)> = engine.connect()?.tuples(&stmt)?;
            assert_eq!(got, vec![(1, 1, 1)]);
            Ok(())
        },
    );
}

#[test]
fn same_named_schema_table_simple_join_whereclause_only() {
    run(
        origin(
            "SameNamedSchemaTableTest",
            "test_simple_join_whereclause_only",
        ),
        &[Flag::Schemas],
        |dialect, engine| {
            let (t, ts) = same_named_tables(dialect, engine)?;
            let stmt = select(&t)
                .join_from_on(&t, &ts, t.c("some_table_id").eq(ts.c("id")))
                .filter(t.c("id").eq(1));
            let got: Vec<(i64, i64)> = engine.connect()?.tuples(&stmt)?;
            assert_eq!(got, vec![(1, 1)]);
            Ok(())
        },
    );
}

#[test]
fn same_named_schema_table_subquery() {
    run(
        origin("SameNamedSchemaTableTest", "test_subquery"),
        &[Flag::Schemas],
        |dialect, engine| {
            let (t, ts) = same_named_tables(dialect, engine)?;
            let subq = select(&t)
                .join_from_on(&t, &ts, t.c("some_table_id").eq(ts.c("id")))
                .filter(t.c("id").eq(1))
                .subquery_anon();
            let stmt = select((&t, subq.c("id")))
                .join_from_on(&t, &subq, t.c("some_table_id").eq(subq.c("id")))
                .filter(t.c("id").eq(1));
            let got: Vec<(i64, i64, i64)> = engine.connect()?.tuples(&stmt)?;
            assert_eq!(got, vec![(1, 1, 1)]);
            Ok(())
        },
    );
}

// ---- ValuesExpressionTest ----

#[test]
fn values_expression_tuples() {
    run(
        origin("ValuesExpressionTest", "test_tuples"),
        &[Flag::TableValueConstructor],
        |_, engine| {
            let v = athanor::sql::values([("id", Type::Integer), ("name", Type::String(None))])
                .data([(1, "name1"), (2, "name2"), (3, "name3")])
                .alias("my_values");
            let got: Vec<(i64, String)> = engine.connect()?.tuples(&select(&v))?;
            let want: Vec<(i64, String)> = (1..=3).map(|i| (i, format!("name{i}"))).collect();
            assert_eq!(got, want);
            Ok(())
        },
    );
}
