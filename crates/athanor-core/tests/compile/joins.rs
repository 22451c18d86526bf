//! Join inference: which foreign key a join chain uses (SQLAlchemy's `Join._join_condition`),
//! and `Select::join` finding its left side in the FROM list.

use athanor_core::prelude::*;

use crate::{Golden, assert_all, compile_error};

/// `a`, `b (a_id → a)`, `c (a_id → a, b_id → b)`, `d (a_id, no foreign key)` and
/// `x (a_id → a)`: Sakila's customer, rental, payment in miniature.
pub(crate) struct Chain {
    pub(crate) a: Table,
    pub(crate) b: Table,
    pub(crate) c: Table,
    pub(crate) d: Table,
    pub(crate) x: Table,
}

pub(crate) fn chain() -> Chain {
    let md = MetaData::new();
    let a = Table::build("a", &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .finish()
        .expect("table");
    let b = Table::build("b", &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .column(Column::new("a_id", Type::Integer).foreign_key(ForeignKey::new("a.id")))
        .finish()
        .expect("table");
    let c = Table::build("c", &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .column(Column::new("a_id", Type::Integer).foreign_key(ForeignKey::new("a.id")))
        .column(Column::new("b_id", Type::Integer).foreign_key(ForeignKey::new("b.id")))
        .finish()
        .expect("table");
    let d = Table::build("d", &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .column(Column::new("a_id", Type::Integer))
        .finish()
        .expect("table");
    let x = Table::build("x", &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .column(Column::new("a_id", Type::Integer).foreign_key(ForeignKey::new("a.id")))
        .finish()
        .expect("table");
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
    let left = t.a.join(&t.b).join_on(&t.d, t.a.c("id").eq(t.d.c("a_id")));
    let stmt = select(t.c.c("id")).select_from(left.join(&t.c));
    match compile_error(&stmt, &athanor_core::dialect::Sqlite) {
        Error::AmbiguousForeignKeys(j) => {
            assert_eq!(
                (j.left.as_str(), j.right.as_str()),
                ("a JOIN b JOIN d", "c")
            );
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
        .expect("table");
    let messages = Table::build("messages", &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .column(Column::new("sender_id", Type::Integer).foreign_key(ForeignKey::new("users.id")))
        .column(Column::new("to_id", Type::Integer).foreign_key(ForeignKey::new("users.id")))
        .finish()
        .expect("table");
    let stmt = select(messages.c("id")).select_from(users.join(&messages));
    assert!(matches!(
        compile_error(&stmt, &athanor_core::dialect::Postgres),
        Error::AmbiguousForeignKeys { .. }
    ));
}

#[test]
fn select_join_finds_its_left_side_in_the_select_list() {
    let t = chain();
    // No FROM list: `a` (from the SELECT list) is the one table that can join `b`; then the
    // join so far joins `c`, on `b` first.
    let stmt = select(t.a.c("id")).join(&t.b).join(&t.c);
    assert_all(
        &stmt,
        same("SELECT a.id FROM a JOIN b ON a.id = b.a_id JOIN c ON b.id = c.b_id"),
        &[],
    );
    let stmt = select(t.a.c("id")).outerjoin(&t.x);
    assert_all(
        &stmt,
        same("SELECT a.id FROM a LEFT OUTER JOIN x ON a.id = x.a_id"),
        &[],
    );
}

#[test]
fn select_join_joins_the_from_entry_that_can_join() {
    let t = chain();
    // Two FROM entries; only `a` has a foreign key with `x`: it is joined, `d` stays apart.
    let stmt = select(t.x.c("id"))
        .select_from(&t.d)
        .select_from(&t.a)
        .join(&t.x);
    assert_all(
        &stmt,
        same("SELECT x.id FROM d, a JOIN x ON a.id = x.a_id"),
        &[],
    );
    // An alias of a table keeps the table's foreign keys.
    let bb = t.b.alias("bb");
    let stmt = select(bb.c("id")).select_from(&bb).outerjoin(&t.c);
    assert_all(
        &stmt,
        same("SELECT bb.id FROM b AS bb LEFT OUTER JOIN c ON bb.id = c.b_id"),
        &[],
    );
    let stmt = select(t.c.c("id")).select_from(bb.outerjoin(&t.c));
    assert_all(
        &stmt,
        same("SELECT c.id FROM b AS bb LEFT OUTER JOIN c ON bb.id = c.b_id"),
        &[],
    );
}

#[test]
fn select_join_with_no_or_several_possible_left_sides_is_an_error() {
    let t = chain();
    // Nothing in the statement has a foreign key with `d`.
    let none = select(t.a.c("id")).join(&t.d);
    match compile_error(&none, &athanor_core::dialect::MySql) {
        Error::InvalidRequest(m) => {
            assert!(m.starts_with("don't know how to join to 'd'"), "{m}");
            assert!(m.contains("join_from()"), "{m}");
        }
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
    // `a` and `b` are separate FROM entries and both can join `c`.
    let two = select((t.a.c("id"), t.b.c("id"))).join(&t.c);
    match compile_error(&two, &athanor_core::dialect::Sqlite) {
        Error::InvalidRequest(m) => {
            assert!(
                m.contains("'c'") && m.contains("a, b can all join it"),
                "{m}"
            )
        }
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
}
