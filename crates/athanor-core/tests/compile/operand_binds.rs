//! Values inside expressions carry their own type where the database would otherwise type the
//! parameter from the other operand (PostgreSQL); a column's new value is typed by its column.

use athanor_core::dialect::Postgres;
use athanor_core::prelude::*;

use super::{Golden, assert_all, fixture};

#[test]
fn float_and_decimal_operands_say_their_type_on_postgresql() {
    let f = fixture();
    let (id, age) = (f.users.c("id"), f.users.c("age"));
    assert_all(
        &select((id.clone() * 100.0 / age.clone()).label("pct")).filter(id.clone().gt(1.5)),
        Golden {
            sqlite: "SELECT users.id * ? / (users.age + 0.0) AS pct FROM users WHERE users.id > ?",
            // True division (SQLAlchemy 2): the divisor is cast, or given `+ 0.0` on SQLite.
            postgres: "SELECT users.id * $1::DOUBLE PRECISION / CAST(users.age AS FLOAT) AS pct \
                       FROM users WHERE users.id > $2::DOUBLE PRECISION",
            mysql: "SELECT users.id * ? / users.age AS pct FROM users WHERE users.id > ?",
        },
        &vals![100.0, 1.5],
    );
    // BETWEEN's bounds are operands too; a function's argument is typed by the function
    // (PostgreSQL has round(numeric, int) but no round(double precision, int)).
    assert_all(
        &select(func::round(literal(2.567), 1)).filter(age.clone().between(1.5, 2.0)),
        Golden {
            sqlite: "SELECT round(?, ?) AS round_1 FROM users WHERE users.age BETWEEN ? AND ?",
            postgres: "SELECT round($1, $2) AS round_1 FROM users \
                       WHERE users.age BETWEEN $3::DOUBLE PRECISION AND $4::DOUBLE PRECISION",
            mysql: "SELECT round(?, ?) AS round_1 FROM users WHERE users.age BETWEEN ? AND ?",
        },
        &vals![2.567, 1, 1.5, 2.0],
    );
    // Integers and text keep the operand's type (the driver converts exactly or refuses).
    assert_all(
        &select(id.clone()).filter(id.clone().eq(7) & f.users.c("name").eq("a")),
        Golden {
            sqlite: "SELECT users.id FROM users WHERE users.id = ? AND users.name = ?",
            postgres: "SELECT users.id FROM users WHERE users.id = $1 AND users.name = $2",
            mysql: "SELECT users.id FROM users WHERE users.id = ? AND users.name = ?",
        },
        &vals![7, "a"],
    );
}

#[test]
fn new_column_values_are_typed_by_their_column() {
    let f = fixture();
    let ins = f
        .users
        .insert()
        .values(row! { "id" => 1.0, "name" => "a", "age" => 2.5 });
    assert_all(
        &ins,
        Golden {
            sqlite: "INSERT INTO users (id, name, age) VALUES (?, ?, ?)",
            postgres: "INSERT INTO users (id, name, age) VALUES ($1, $2, $3)",
            mysql: "INSERT INTO users (id, name, age) VALUES (?, ?, ?)",
        },
        &vals![1.0, "a", 2.5],
    );
    let up = f
        .users
        .update()
        .values(row! { "age" => 3.5 })
        .filter(f.users.c("age").lt(1.5));
    assert_all(
        &up,
        Golden {
            sqlite: "UPDATE users SET age = ? WHERE users.age < ?",
            postgres: "UPDATE users SET age = $1 WHERE users.age < $2::DOUBLE PRECISION",
            mysql: "UPDATE users SET age = ? WHERE users.age < ?",
        },
        &vals![3.5, 1.5],
    );
}

#[test]
fn an_interval_says_its_type_where_nothing_else_does() {
    let span = athanor_core::types::Interval::from_microseconds(1_000_000);
    assert_all(
        &select(literal(span).label("span")),
        Golden {
            sqlite: "SELECT ? AS span",
            postgres: "SELECT $1::INTERVAL AS span",
            mysql: "SELECT ? AS span",
        },
        &[Value::Interval(span)],
    );
}

#[test]
fn text_float_and_decimal_parameters_say_their_type_on_postgresql() {
    let stmt = text("SELECT n * :x / total FROM t WHERE id = :id").bind("x", 100.0);
    let stmt = stmt.bind("id", 7);
    assert_all(
        &stmt,
        Golden {
            sqlite: "SELECT n * ? / total FROM t WHERE id = ?",
            postgres: "SELECT n * $1::DOUBLE PRECISION / total FROM t WHERE id = $2",
            mysql: "SELECT n * ? / total FROM t WHERE id = ?",
        },
        &vals![100.0, 7],
    );
    // The same text with an integer: no cast (the shape is the same, the SQL follows the
    // value); NULL and text stay plain too.
    let stmt = text("SELECT n * :x / total FROM t WHERE id = :id").bind("x", 100);
    let stmt = stmt.bind("id", Value::Null);
    assert_all(
        &stmt,
        Golden {
            sqlite: "SELECT n * ? / total FROM t WHERE id = ?",
            postgres: "SELECT n * $1 / total FROM t WHERE id = $2",
            mysql: "SELECT n * ? / total FROM t WHERE id = ?",
        },
        &vals![100, Value::Null],
    );
}

#[cfg(feature = "rust_decimal")]
#[test]
fn text_decimal_parameters_say_their_type_on_postgresql() {
    let dec = rust_decimal::Decimal::new(1005, 1);
    let stmt = text("SELECT n * :x").bind("x", dec);
    assert_all(
        &stmt,
        Golden {
            sqlite: "SELECT n * ?",
            postgres: "SELECT n * $1::NUMERIC",
            mysql: "SELECT n * ?",
        },
        &[Value::Decimal(dec)],
    );
}

#[test]
fn in_list_items_say_their_type_on_postgresql() {
    let f = fixture();
    let id = f.users.c("id");
    assert_all(
        &select(id.clone()).filter(id.clone().in_([Value::Float(1.5), Value::Int(2)])),
        Golden {
            sqlite: "SELECT users.id FROM users WHERE users.id IN (?, ?)",
            postgres: "SELECT users.id FROM users WHERE users.id IN ($1::DOUBLE PRECISION, $2)",
            mysql: "SELECT users.id FROM users WHERE users.id IN (?, ?)",
        },
        &vals![1.5, 2],
    );
    assert_all(
        &select(id.clone()).filter(tuple_([id.clone(), f.users.c("age")]).not_in([(1, 2.5)])),
        Golden {
            sqlite: "SELECT users.id FROM users WHERE (users.id, users.age) NOT IN ((?, ?))",
            postgres: "SELECT users.id FROM users \
                       WHERE (users.id, users.age) NOT IN (($1, $2::DOUBLE PRECISION))",
            mysql: "SELECT users.id FROM users WHERE (users.id, users.age) NOT IN ((?, ?))",
        },
        &vals![1, 2.5],
    );
}

#[test]
fn a_bindparam_operand_says_its_type_at_execution_on_postgresql() {
    let f = fixture();
    let stmt =
        select(f.users.c("id") * bindparam("x")).filter(f.users.c("name").eq(bindparam("n")));
    let c = athanor_core::compiler::compile(stmt.statement(), &Postgres).unwrap();
    let (x, n) = (Value::Float(100.0), Value::Text("a".into()));
    let named = |k: &str| if k == "x" { Some(&x) } else { Some(&n) };
    assert_eq!(
        c.sql_for(&[], &named),
        "SELECT users.id * $1::DOUBLE PRECISION AS anon_1 FROM users WHERE users.name = $2"
    );
    let x = Value::Int(100);
    let named = |k: &str| if k == "x" { Some(&x) } else { Some(&n) };
    assert_eq!(
        c.sql_for(&[], &named),
        "SELECT users.id * $1 AS anon_1 FROM users WHERE users.name = $2"
    );
    // An INSERT's named values are typed by their columns: no cast.
    let ins = f.users.insert().values(row! { "age" => bindparam("x") });
    let c = athanor_core::compiler::compile(ins.statement(), &Postgres).unwrap();
    let x = Value::Float(2.5);
    assert_eq!(
        c.sql_for(&[], &|_| Some(&x)),
        "INSERT INTO users (age) VALUES ($1)"
    );
}
