//! Operators that follow SQLAlchemy 2 and the operand types: `/` is true division, `floordiv`
//! is floor division, `+` on strings concatenates.

use athanor_core::dialect::{MySql, Postgres, Sqlite};
use athanor_core::prelude::*;
use athanor_core::sql::Select;

use crate::{Golden, assert_all, assert_compile, fixture};

/// `SELECT <expr> AS x FROM <its tables>` with the expression given per dialect.
#[track_caller]
fn assert_x(e: Expr, from: &str, sql: [&str; 3], params: &[Value]) {
    let stmt = select(e.label("x"));
    let [sqlite, postgres, mysql] = sql;
    assert_all(
        &stmt,
        Golden {
            sqlite: &format!("SELECT {sqlite} AS x FROM {from}"),
            postgres: &format!("SELECT {postgres} AS x FROM {from}"),
            mysql: &format!("SELECT {mysql} AS x FROM {from}"),
        },
        params,
    );
}

#[test]
fn division_is_true_division_on_every_dialect() {
    let f = fixture();
    let c = |n: &str| f.users.c(n);
    // SQLite and PostgreSQL truncate integer division: the divisor is made a decimal.
    assert_x(
        c("id") / 2,
        "users",
        [
            "users.id / (? + 0.0)",
            "users.id / CAST($1 AS NUMERIC)",
            "users.id / ?",
        ],
        &vals![2],
    );
    assert_x(
        c("id") / c("id"),
        "users",
        [
            "users.id / (users.id + 0.0)",
            "users.id / CAST(users.id AS NUMERIC)",
            "users.id / users.id",
        ],
        &[],
    );
    // A float or decimal divisor keeps its own type in the CAST (as SQLAlchemy renders it).
    assert_x(
        c("id") / c("age"),
        "users",
        [
            "users.id / (users.age + 0.0)",
            "users.id / CAST(users.age AS FLOAT)",
            "users.id / users.age",
        ],
        &[],
    );
    let t = |n: &str| f.track.c(n);
    assert_all(
        &select(t("Milliseconds") / t("UnitPrice")),
        Golden {
            sqlite: r#"SELECT "Track"."Milliseconds" / ("Track"."UnitPrice" + 0.0) AS anon_1 FROM "Track""#,
            postgres: r#"SELECT "Track"."Milliseconds" / CAST("Track"."UnitPrice" AS NUMERIC(10, 2)) AS anon_1 FROM "Track""#,
            mysql: "SELECT `Track`.`Milliseconds` / `Track`.`UnitPrice` AS anon_1 FROM `Track`",
        },
        &[],
    );
    // `print(stmt)` shows the standard form, as SQLAlchemy's default dialect does.
    assert_eq!(
        select((c("id") / 2).label("x")).to_string(),
        "SELECT users.id / CAST(:param_1 AS NUMERIC) AS x FROM users"
    );
}

#[test]
fn division_keeps_precedence() {
    let f = fixture();
    let c = |n: &str| f.users.c(n);
    assert_x(
        c("id") / (c("age") * 2),
        "users",
        [
            "users.id / (users.age * ? + 0.0)",
            "users.id / CAST(users.age * $1 AS FLOAT)",
            "users.id / (users.age * ?)",
        ],
        &vals![2],
    );
    assert_x(
        (c("id") + 1) / 2,
        "users",
        [
            "(users.id + ?) / (? + 0.0)",
            "(users.id + $1) / CAST($2 AS NUMERIC)",
            "(users.id + ?) / ?",
        ],
        &vals![1, 2],
    );
    // Left-associative: `a / b / c` is `(a / b) / c`.
    assert_x(
        c("id") / c("id") / 3,
        "users",
        [
            "users.id / (users.id + 0.0) / (? + 0.0)",
            "users.id / CAST(users.id AS NUMERIC) / CAST($1 AS NUMERIC)",
            "users.id / users.id / ?",
        ],
        &vals![3],
    );
    assert_x(
        c("id") * (c("id") / 4),
        "users",
        [
            "users.id * (users.id / (? + 0.0))",
            "users.id * (users.id / CAST($1 AS NUMERIC))",
            "users.id * (users.id / ?)",
        ],
        &vals![4],
    );
}

#[test]
fn division_of_bare_values() {
    // Neither side names a type: the values' own types decide (integers here).
    let stmt = select((literal(7) / literal(2)).label("x"));
    assert_all(
        &stmt,
        Golden {
            sqlite: "SELECT ? / (? + 0.0) AS x",
            postgres: "SELECT $1::BIGINT / CAST($2 AS NUMERIC) AS x",
            mysql: "SELECT ? / ? AS x",
        },
        &vals![7, 2],
    );
    let stmt = select(literal(7).floordiv(literal(2)).label("x"));
    assert_all(
        &stmt,
        Golden {
            sqlite: "SELECT ? / ? AS x",
            postgres: "SELECT $1::BIGINT / $2::BIGINT AS x",
            mysql: "SELECT FLOOR(? / ?) AS x",
        },
        &vals![7, 2],
    );
}

#[test]
fn floor_division() {
    let f = fixture();
    let c = |n: &str| f.users.c(n);
    // Integers: `/` already floors on SQLite and PostgreSQL (truncating, as SQLAlchemy renders).
    assert_x(
        c("id").floordiv(2),
        "users",
        ["users.id / ?", "users.id / $1", "FLOOR(users.id / ?)"],
        &vals![2],
    );
    // Anything else: FLOOR of the true quotient. SQLite has no FLOOR without its math
    // functions: the integer part, less one when the quotient is below it.
    let q = "users.age / (? + 0.0)";
    let stmt = select(c("age").floordiv(2).label("x"));
    assert_compile(
        &stmt,
        &Sqlite,
        &format!("SELECT (CAST({q} AS INTEGER) - (CAST({q} AS INTEGER) > {q})) AS x FROM users"),
        &vals![2, 2, 2],
    );
    assert_compile(
        &stmt,
        &Postgres,
        "SELECT FLOOR(users.age / $1) AS x FROM users",
        &vals![2],
    );
    assert_compile(
        &stmt,
        &MySql,
        "SELECT FLOOR(users.age / ?) AS x FROM users",
        &vals![2],
    );
    assert_x(
        c("id").floordiv(c("age")) + 1,
        "users",
        [
            "(CAST(users.id / (users.age + 0.0) AS INTEGER) - (CAST(users.id / (users.age + 0.0) AS INTEGER) > users.id / (users.age + 0.0))) + ?",
            "FLOOR(users.id / users.age) + $1",
            "FLOOR(users.id / users.age) + ?",
        ],
        &vals![1],
    );
    assert_eq!(
        select(c("age").floordiv(2).label("x")).to_string(),
        "SELECT FLOOR(users.age / :param_1) AS x FROM users"
    );
}

#[test]
fn plus_on_strings_concatenates() {
    let f = fixture();
    let c = |n: &str| f.users.c(n);
    assert_x(
        c("name") + "!",
        "users",
        [
            "users.name || ?",
            "users.name || $1",
            "concat(users.name, ?)",
        ],
        &vals!["!"],
    );
    assert_x(
        c("name") + " " + c("name"),
        "users",
        [
            "users.name || ? || users.name",
            "users.name || $1 || users.name",
            "concat(concat(users.name, ?), users.name)",
        ],
        &vals![" "],
    );
    // A string value on the left, a function returning text, an untyped column.
    assert_x(
        literal("<") + func::lower(c("name")),
        "users",
        [
            "? || lower(users.name)",
            "$1 || lower(users.name)",
            "concat(?, lower(users.name))",
        ],
        &vals!["<"],
    );
    assert_eq!(
        select((column("x") + "y").label("z")).to_string(),
        "SELECT x || :param_1 AS z"
    );
    // Numbers still add, and a string added to a number is arithmetic (as in SQLAlchemy).
    assert_x(
        c("id") + c("age") + 1,
        "users",
        [
            "users.id + users.age + ?",
            "users.id + users.age + $1",
            "users.id + users.age + ?",
        ],
        &vals![1],
    );
    assert_x(
        c("id") + "1",
        "users",
        ["users.id + ?", "users.id + $1", "users.id + ?"],
        &vals!["1"],
    );
    // The result is a string: it concatenates again, and compares as one.
    assert_eq!((c("name") + "!").sql_type(), Type::String(Some(50)));
}

#[test]
fn the_cache_key_covers_the_operand_types_rendering_reads() {
    // Two tables alike but for a column's type: `1 / x` casts x to its own type on
    // PostgreSQL, so the two statements must not share a compiled form.
    let table = |ty: Type| {
        let md = MetaData::new();
        Table::build("t", &md)
            .column(Column::new("x", ty))
            .finish()
            .expect("t")
    };
    let (int, float) = (table(Type::Integer), table(Type::Float));
    let of = |t: &Table| select((literal(1) / t.c("x")).label("q"));
    assert_eq!(
        of(&int).compile(&Postgres).expect("pg").sql(),
        "SELECT $1 / CAST(t.x AS NUMERIC) AS q FROM t"
    );
    assert_eq!(
        of(&float).compile(&Postgres).expect("pg").sql(),
        "SELECT $1 / CAST(t.x AS FLOAT) AS q FROM t"
    );
    let key = |s: &Select| athanor_core::compiler::cache_key(s.statement(), &Postgres);
    assert_ne!(key(&of(&int)), key(&of(&float)));
    // Value kinds are part of the key too: an integer and a float divisor differ.
    let by = |v: Value| select((int.c("x") / literal(v)).label("q"));
    assert_ne!(key(&by(Value::Int(2))), key(&by(Value::Float(2.0))));
    assert_eq!(key(&by(Value::Int(2))), key(&by(Value::Int(3))));
}
