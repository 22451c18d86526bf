//! A bound value the other operand's type can't hold is typed by the dialect: PostgreSQL
//! types a parameter from the column beside it (`length * $1` makes `$1` an `int4`), so a
//! float or decimal next to an integer column gets a cast, as SQLAlchemy's bind casts do.

use athanor_core::prelude::*;

use crate::{Golden, assert_all, fixture};

#[test]
fn a_float_or_decimal_beside_an_integer_column_is_cast_on_postgres() {
    let f = fixture();
    let id = || f.users.c("id");
    let stmt = select((id() * 1.5).label("x")).filter(id().gt(0.5));
    assert_all(
        &stmt,
        Golden {
            sqlite: "SELECT users.id * ? AS x FROM users WHERE users.id > ?",
            postgres: "SELECT users.id * $1::DOUBLE PRECISION AS x FROM users \
                       WHERE users.id > $2::DOUBLE PRECISION",
            mysql: "SELECT users.id * ? AS x FROM users WHERE users.id > ?",
        },
        &vals![1.5, 0.5],
    );
}

#[cfg(feature = "rust_decimal")]
#[test]
fn a_decimal_on_the_left_of_an_integer_column_is_cast_on_postgres() {
    let f = fixture();
    let id = || f.users.c("id");
    let half = rust_decimal::Decimal::new(5, 1);
    let stmt = select((literal(half) - id()).label("x"));
    assert_all(
        &stmt,
        Golden {
            sqlite: "SELECT ? - users.id AS x FROM users",
            postgres: "SELECT $1::NUMERIC - users.id AS x FROM users",
            mysql: "SELECT ? - users.id AS x FROM users",
        },
        &vals![half],
    );
}

#[test]
fn integers_stay_plain_parameters_and_floats_are_typed() {
    let f = fixture();
    // An integer beside an integer column stays plain; a float is always typed on
    // PostgreSQL (an operand's parameter is typed by the value's own kind).
    let stmt = select((f.users.c("id") * 2).label("x")).filter(f.users.c("age").gt(1.5));
    assert_all(
        &stmt,
        Golden {
            sqlite: "SELECT users.id * ? AS x FROM users WHERE users.age > ?",
            postgres: "SELECT users.id * $1 AS x FROM users \
                       WHERE users.age > $2::DOUBLE PRECISION",
            mysql: "SELECT users.id * ? AS x FROM users WHERE users.age > ?",
        },
        &vals![2, 1.5],
    );
}

#[test]
fn a_fractional_between_bound_beside_an_integer_column_is_cast_on_postgres() {
    let f = fixture();
    let stmt = select(f.users.c("name")).filter(f.users.c("id").between(1.5, 9));
    assert_all(
        &stmt,
        Golden {
            sqlite: "SELECT users.name FROM users WHERE users.id BETWEEN ? AND ?",
            postgres: "SELECT users.name FROM users \
                       WHERE users.id BETWEEN $1::DOUBLE PRECISION AND $2",
            mysql: "SELECT users.name FROM users WHERE users.id BETWEEN ? AND ?",
        },
        &vals![1.5, 9],
    );
}

#[test]
fn a_fractional_function_argument_beside_an_integer_one_is_cast_on_postgres() {
    let f = fixture();
    let stmt = select(func::coalesce([f.users.c("id"), literal(0.5)]).label("x"));
    assert_all(
        &stmt,
        Golden {
            sqlite: "SELECT coalesce(users.id, ?) AS x FROM users",
            // NUMERIC, which every numeric function takes (no round(double precision, int)).
            postgres: "SELECT coalesce(users.id, $1::NUMERIC) AS x FROM users",
            mysql: "SELECT coalesce(users.id, ?) AS x FROM users",
        },
        &vals![0.5],
    );
}
