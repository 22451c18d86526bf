//! `values()`: the table value constructor as a FROM item, in a join and as a CTE, on each
//! dialect; its errors; and its cache key (values are parameters, unless literal).

use athanor_core::compiler::cache_key;
use athanor_core::dialect::{MySql, Postgres, Sqlite};
use athanor_core::error::CompileError;
use athanor_core::prelude::*;
use athanor_core::sql::values;

use crate::assert_compile;

#[test]
fn a_values_alias_joins_a_table() {
    let md = MetaData::new();
    let t = Table::build("t", &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .finish()
        .unwrap();
    let v = values([("id", Type::Integer), ("label", Type::String(Some(10)))])
        .data([(1, "one"), (2, "two")])
        .alias("v");
    let stmt = select((t.c("id"), v.c("label"))).join_from_on(&t, &v, t.c("id").eq(v.c("id")));
    assert_compile(
        &stmt,
        &Postgres,
        "SELECT t.id, v.label FROM t JOIN (VALUES ($1::INTEGER, $2::VARCHAR(10)), ($3::INTEGER, $4::VARCHAR(10))) AS v (id, label) ON t.id = v.id",
        &vals![1, "one", 2, "two"],
    );
    assert_compile(
        &stmt,
        &MySql,
        "SELECT t.id, v.label FROM t JOIN (SELECT ? AS id, ? AS label UNION ALL SELECT ?, ?) AS v ON t.id = v.id",
        &vals![1, "one", 2, "two"],
    );
    assert_compile(
        &stmt,
        &Sqlite,
        "SELECT t.id, v.label FROM t JOIN (SELECT column1 AS id, column2 AS label FROM (VALUES (?, ?), (?, ?))) AS v ON t.id = v.id",
        &vals![1, "one", 2, "two"],
    );
}

#[test]
fn literal_values_in_a_cte_and_anonymous_names() {
    let lit = values([("a", Type::String(None)), ("b", Type::Integer)])
        .literal_binds(true)
        .data([("it's", 1)]);
    let stmt = select(&lit.clone().cte("c"));
    assert_compile(
        &stmt,
        &Postgres,
        "WITH c(a, b) AS (VALUES ('it''s', 1)) SELECT c.a, c.b FROM c",
        &[],
    );
    assert_compile(
        &stmt,
        &MySql,
        "WITH c(a, b) AS (SELECT 'it''s' AS a, 1 AS b) SELECT c.a, c.b FROM c",
        &[],
    );
    // Two anonymous CTEs: numbered in order, each its own.
    let one = lit.clone().cte_anon();
    let two = lit.cte_anon();
    let stmt = select((one.c("a"), two.c("b")));
    assert_compile(
        &stmt,
        &Sqlite,
        "WITH anon_1(a, b) AS (VALUES ('it''s', 1)), anon_2(a, b) AS (VALUES ('it''s', 1)) SELECT anon_1.a, anon_2.b FROM anon_1, anon_2",
        &[],
    );
}

#[test]
fn bad_rows_are_compile_errors() {
    let ragged = values([("a", Type::Integer), ("b", Type::Integer)])
        .data([vec![1, 2], vec![3]])
        .alias("v");
    let empty = values([("a", Type::Integer)]).alias("v");
    for stmt in [select(&ragged), select(&empty)] {
        for d in [
            &Sqlite as &dyn athanor_core::dialect::Dialect,
            &Postgres,
            &MySql,
        ] {
            let err = stmt.compile(d).expect_err("a bad values()");
            assert!(
                matches!(&err, Error::Compile(c) if matches!(**c, CompileError::Invalid(_))),
                "{err:?}"
            );
        }
    }
}

#[test]
fn bound_values_share_a_shape_literal_ones_do_not() {
    let key = |rows: &[(i64, &str)], literal: bool| {
        let v = values([("a", Type::Integer), ("b", Type::String(None))])
            .literal_binds(literal)
            .data(rows.iter().copied())
            .alias("v");
        cache_key(select(&v).statement(), &Postgres)
    };
    assert_eq!(key(&[(1, "x")], false), key(&[(2, "y")], false));
    assert_ne!(key(&[(1, "x")], false), key(&[(1, "x"), (2, "y")], false));
    assert_ne!(key(&[(1, "x")], true), key(&[(2, "y")], true));
    assert_ne!(key(&[(1, "x")], true), key(&[(1, "x")], false));
}
