//! A [`Type::Wrapped`] column (SQLAlchemy's `TypeDecorator.column_expression` /
//! `bind_expression`): the outermost SELECT reads it through its column expression, labelled
//! with its name; each value bound for it (INSERT and UPDATE values, comparisons) goes
//! through its bind expression, still bound; subqueries and other columns are unchanged.

use athanor_core::prelude::*;
use athanor_core::types::SqlWrap;

use crate::{Golden, assert_all, compile_error};

fn string_as_int() -> Type {
    Type::String(Some(50))
        .column_expression(SqlWrap::cast(Type::Integer))
        .bind_expression(SqlWrap::cast(Type::String(Some(50))))
}

fn table(md: &MetaData, ty: Type) -> Table {
    Table::build("t", md)
        .column(Column::new("id", Type::Integer).primary_key())
        .column(Column::new("x", ty))
        .finish()
        .expect("table")
}

#[test]
fn select_reads_a_wrapped_column_through_its_column_expression() {
    let md = MetaData::new();
    let t = table(&md, string_as_int());
    assert_all(
        &select(&t).filter(t.c("x").eq(2)),
        Golden {
            sqlite: "SELECT t.id, CAST(t.x AS INTEGER) AS x FROM t WHERE t.x = CAST(? AS VARCHAR(50))",
            postgres: "SELECT t.id, CAST(t.x AS INTEGER) AS x FROM t \
                       WHERE t.x = CAST($1::INTEGER AS VARCHAR(50))",
            mysql: "SELECT t.id, CAST(t.x AS SIGNED) AS x FROM t WHERE t.x = CAST(? AS CHAR(50))",
        },
        &vals![2],
    );
    // A value on the left, and a label.
    assert_all(
        &select(t.c("x").label("y")).filter(literal(3).lt(t.c("x"))),
        Golden {
            sqlite: "SELECT CAST(t.x AS INTEGER) AS y FROM t WHERE CAST(? AS VARCHAR(50)) < t.x",
            postgres: "SELECT CAST(t.x AS INTEGER) AS y FROM t \
                       WHERE CAST($1::INTEGER AS VARCHAR(50)) < t.x",
            mysql: "SELECT CAST(t.x AS SIGNED) AS y FROM t WHERE CAST(? AS CHAR(50)) < t.x",
        },
        &vals![3],
    );
}

#[test]
fn only_the_outermost_select_wraps_its_columns() {
    let md = MetaData::new();
    let t = table(&md, string_as_int());
    let sq = select(t.c("x")).subquery("sq");
    assert_all(
        &select(sq.c("x")),
        Golden {
            sqlite: "SELECT CAST(sq.x AS INTEGER) AS x FROM (SELECT t.x FROM t) AS sq",
            postgres: "SELECT CAST(sq.x AS INTEGER) AS x FROM (SELECT t.x FROM t) AS sq",
            mysql: "SELECT CAST(sq.x AS SIGNED) AS x FROM (SELECT t.x FROM t) AS sq",
        },
        &[],
    );
}

#[test]
fn insert_and_update_values_go_through_the_bind_expression() {
    let md = MetaData::new();
    let t = table(&md, string_as_int());
    assert_all(
        &t.insert().values(row! { "id" => 1, "x" => 5 }),
        Golden {
            sqlite: "INSERT INTO t (id, x) VALUES (?, CAST(? AS VARCHAR(50)))",
            postgres: "INSERT INTO t (id, x) VALUES ($1, CAST($2::INTEGER AS VARCHAR(50)))",
            mysql: "INSERT INTO t (id, x) VALUES (?, CAST(? AS CHAR(50)))",
        },
        &vals![1, 5],
    );
    // Every column as a parameter named after it (executemany).
    assert_all(
        &t.insert(),
        Golden {
            sqlite: "INSERT INTO t (id, x) VALUES (?, CAST(? AS VARCHAR(50)))",
            postgres: "INSERT INTO t (id, x) VALUES ($1, CAST($2::INTEGER AS VARCHAR(50)))",
            mysql: "INSERT INTO t (id, x) VALUES (?, CAST(? AS CHAR(50)))",
        },
        &[],
    );
    assert_all(
        &t.update().set("x", 7).filter(t.c("x").eq(2)),
        Golden {
            sqlite: "UPDATE t SET x = CAST(? AS VARCHAR(50)) WHERE t.x = CAST(? AS VARCHAR(50))",
            postgres: "UPDATE t SET x = CAST($1::INTEGER AS VARCHAR(50)) \
                       WHERE t.x = CAST($2::INTEGER AS VARCHAR(50))",
            mysql: "UPDATE t SET x = CAST(? AS CHAR(50)) WHERE t.x = CAST(? AS CHAR(50))",
        },
        &vals![7, 2],
    );
    // An expression written to the column is not a bound value: it is left alone.
    assert_all(
        &t.update().set("x", t.c("x")),
        Golden {
            sqlite: "UPDATE t SET x = t.x",
            postgres: "UPDATE t SET x = t.x",
            mysql: "UPDATE t SET x = t.x",
        },
        &[],
    );
}

#[test]
fn function_wrappers_and_one_sided_types() {
    // PostGIS's pair: text in the program, geometry in the database.
    let geometry = Type::Other("geometry".into())
        .column_expression(SqlWrap::function("ST_AsText"))
        .bind_expression(SqlWrap::function("ST_GeomFromText"));
    let md = MetaData::new();
    let t = table(&md, geometry);
    assert_all(
        &select(&t).filter(t.c("x").eq("POINT(1 2)")),
        Golden {
            sqlite: "SELECT t.id, ST_AsText(t.x) AS x FROM t WHERE t.x = ST_GeomFromText(?)",
            postgres: "SELECT t.id, ST_AsText(t.x) AS x FROM t WHERE t.x = ST_GeomFromText($1)",
            mysql: "SELECT t.id, ST_AsText(t.x) AS x FROM t WHERE t.x = ST_GeomFromText(?)",
        },
        &vals!["POINT(1 2)"],
    );
    // Only a column expression: values are bound as they are.
    let md = MetaData::new();
    let t = table(
        &md,
        Type::String(Some(9)).column_expression(SqlWrap::function("lower")),
    );
    assert_all(
        &select(&t).filter(t.c("x").eq("A")),
        Golden {
            sqlite: "SELECT t.id, lower(t.x) AS x FROM t WHERE t.x = ?",
            postgres: "SELECT t.id, lower(t.x) AS x FROM t WHERE t.x = $1",
            mysql: "SELECT t.id, lower(t.x) AS x FROM t WHERE t.x = ?",
        },
        &vals!["A"],
    );
}

#[test]
fn a_function_name_that_is_not_a_plain_name_is_refused() {
    let md = MetaData::new();
    let t = table(
        &md,
        Type::Integer.column_expression(SqlWrap::function("f(1); DROP TABLE t; --")),
    );
    let err = compile_error(&select(&t), &athanor_core::dialect::Sqlite);
    assert!(
        err.to_string().contains("plain SQL name"),
        "unexpected error: {err}"
    );
}

#[test]
fn ddl_writes_the_stored_type() {
    let md = MetaData::new();
    let t = table(&md, string_as_int());
    assert_all(
        &Ddl::CreateTable(t),
        Golden {
            sqlite: "CREATE TABLE t (id INTEGER NOT NULL, x VARCHAR(50), PRIMARY KEY (id))",
            postgres: "CREATE TABLE t (id SERIAL NOT NULL, x VARCHAR(50), PRIMARY KEY (id))",
            mysql: "CREATE TABLE t (id INTEGER NOT NULL AUTO_INCREMENT, x VARCHAR(50), PRIMARY KEY (id))",
        },
        &[],
    );
}
