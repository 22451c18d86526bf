//! An expression of the SELECT list repeated in GROUP BY, HAVING or ORDER BY reuses the
//! SELECT list's placeholders on PostgreSQL when the values are equal, so PostgreSQL sees the
//! same expression; other values, and `?` dialects, keep placeholders of their own.

use athanor_core::dialect::{MySql, Postgres, Sqlite};
use athanor_core::prelude::*;

use crate::{assert_compile, fixture};

#[test]
fn a_repeated_expression_reuses_its_placeholders_on_postgres() {
    let f = fixture();
    let older = |n: i64| f.users.c("age") + n;
    let stmt = select((older(10).label("later"), func::count_star()))
        .group_by(older(10))
        .having(older(10).gt(30))
        .order_by(older(10));
    assert_compile(
        &stmt,
        &Postgres,
        "SELECT users.age + $1 AS later, count(*) AS count_1 FROM users GROUP BY users.age + $1 \
         HAVING users.age + $1 > $2 ORDER BY users.age + $1",
        &vals![10, 30],
    );
    assert_compile(
        &stmt,
        &Sqlite,
        "SELECT users.age + ? AS later, count(*) AS count_1 FROM users GROUP BY users.age + ? \
         HAVING users.age + ? > ? ORDER BY users.age + ?",
        &vals![10, 10, 10, 30, 10],
    );
    assert_compile(
        &stmt,
        &MySql,
        "SELECT users.age + ? AS later, count(*) AS count_1 FROM users GROUP BY users.age + ? \
         HAVING users.age + ? > ? ORDER BY users.age + ?",
        &vals![10, 10, 10, 30, 10],
    );
}

#[test]
fn other_values_keep_their_own_placeholders() {
    let f = fixture();
    let older = |n: i64| f.users.c("age") + n;
    // The same shape with other values in GROUP BY: not the SELECT list's expression.
    let stmt = select(older(10).label("later")).group_by(older(11));
    assert_compile(
        &stmt,
        &Postgres,
        "SELECT users.age + $1 AS later FROM users GROUP BY users.age + $2",
        &vals![10, 11],
    );
    // And back to equal values: the shape is the same, the placeholder is shared again.
    let stmt = select(older(5).label("later")).group_by(older(5));
    assert_compile(
        &stmt,
        &Postgres,
        "SELECT users.age + $1 AS later FROM users GROUP BY users.age + $1",
        &vals![5],
    );
    // WHERE is not a repeat of the SELECT list: its values stay its own.
    let stmt = select(older(1).label("later")).filter(older(1).gt(2));
    assert_compile(
        &stmt,
        &Postgres,
        "SELECT users.age + $1 AS later FROM users WHERE users.age + $2 > $3",
        &vals![1, 1, 2],
    );
}
