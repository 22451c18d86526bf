//! Join inference: which foreign key a join chain uses (SQLAlchemy's `Join._join_condition`),
//! and `Select::join` finding its left side in the FROM list.

use athanor_core::prelude::*;

use crate::{Golden, assert_all, compile_error};

/// `a`, `b (a_id → a)`, `c (a_id → a, b_id → b)`, `d (a_id, no foreign key)` and
/// `x (a_id → a)`: Sakila's customer, rental, payment in miniature.
pub struct Chain {
    pub a: Table,
    pub b: Table,
    pub c: Table,
    pub d: Table,
    pub x: Table,
}

pub fn chain() -> Chain {
    let md = MetaData::new();
    let a = Table::build("a", &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .finish()
        .unwrap();
    let b = Table::build("b", &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .column(Column::new("a_id", Type::Integer).foreign_key(ForeignKey::new("a.id")))
        .finish()
        .unwrap();
    let c = Table::build("c", &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .column(Column::new("a_id", Type::Integer).foreign_key(ForeignKey::new("a.id")))
        .column(Column::new("b_id", Type::Integer).foreign_key(ForeignKey::new("b.id")))
        .finish()
        .unwrap();
    let d = Table::build("d", &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .column(Column::new("a_id", Type::Integer))
        .finish()
        .unwrap();
    let x = Table::build("x", &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .column(Column::new("a_id", Type::Integer).foreign_key(ForeignKey::new("a.id")))
        .finish()
        .unwrap();
    Chain { a, b, c, d, x }
}

fn same(sql: &str) -> Golden<'_> {
    Golden {
        sqlite: sql,
        postgres: sql,
        mysql: sql,
    }
}

#[test]
fn a_chain_joins_on_the_right_most_table_of_the_left_side_first() {
    let t = chain();
    // `c` refers to both `a` and `b`: the foreign key to `b`, the table just joined, wins.
    let stmt = select(t.c.c("id")).select_from(t.a.join(&t.b).join(&t.c));
    assert_all(
        &stmt,
        same("SELECT c.id FROM a JOIN b ON a.id = b.a_id JOIN c ON b.id = c.b_id"),
        &[],
    );
    let stmt = select(t.c.c("id")).select_from(t.a.outerjoin(&t.b).outerjoin(&t.c));
    assert_all(
        &stmt,
        same(
            "SELECT c.id FROM a LEFT OUTER JOIN b ON a.id = b.a_id LEFT OUTER JOIN c ON b.id = c.b_id",
        ),
        &[],
    );
}

#[test]
fn a_chain_falls_back_to_the_one_table_of_the_left_side_that_joins() {
    let t = chain();
    // `b` has no foreign key to `x`; `a` is the only table on the left that has one.
    let stmt = select(t.x.c("id")).select_from(t.a.join(&t.b).join(&t.x));
    assert_all(
        &stmt,
        same("SELECT x.id FROM a JOIN b ON a.id = b.a_id JOIN x ON a.id = x.a_id"),
        &[],
    );
}

#[test]
fn a_chain_whose_right_most_table_does_not_join_and_two_others_do_is_ambiguous() {
    let t = chain();
    // `d` has no foreign key to `c`; `a` and `b` both have one: SQLAlchemy refuses to guess.
    let left = t
        .a
        .join(&t.b)
        .join_on(&t.d, t.a.c("id").eq(t.d.c("a_id")));
    let stmt = select(t.c.c("id")).select_from(left.join(&t.c));
    match compile_error(&stmt, &athanor_core::dialect::Sqlite) {
        Error::AmbiguousForeignKeys { left, right } => {
            assert_eq!((left.as_str(), right.as_str()), ("a JOIN b JOIN d", "c"));
        }
        other => panic!("expected AmbiguousForeignKeys, got {other:?}"),
    }
}

#[test]
fn two_foreign_keys_from_the_right_most_table_are_ambiguous() {
    let md = MetaData::new();
    let users = Table::build("users", &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .finish()
        .unwrap();
    let messages = Table::build("messages", &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .column(Column::new("sender_id", Type::Integer).foreign_key(ForeignKey::new("users.id")))
        .column(Column::new("to_id", Type::Integer).foreign_key(ForeignKey::new("users.id")))
        .finish()
        .unwrap();
    let stmt = select(messages.c("id")).select_from(users.join(&messages));
    assert!(matches!(
        compile_error(&stmt, &athanor_core::dialect::Postgres),
        Error::AmbiguousForeignKeys { .. }
    ));
}
