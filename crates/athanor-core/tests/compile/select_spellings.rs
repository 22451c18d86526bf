//! SQLAlchemy spellings of SELECT: joins with an explicit ON whose left side is found
//! (`select(...).join(t, onclause)`), GROUP BY a name, and join inference over duplicate
//! foreign keys.

use athanor_core::dialect::{MySql, Postgres, Sqlite};
use athanor_core::prelude::*;

use crate::{Golden, assert_all, compile_error};

fn same(sql: &str) -> Golden<'_> {
    Golden {
        sqlite: sql,
        postgres: sql,
        mysql: sql,
    }
}

/// `a (id)` and `d`, with two foreign key constraints from `d.a_id` to `a.id` (named
/// differently, as a reflected schema may have them), and `e` with two different ones.
fn duplicated() -> (Table, Table, Table) {
    let md = MetaData::new();
    let a = Table::build("a", &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .finish()
        .expect("a");
    let d = Table::build("d", &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .column(Column::new("a_id", Type::Integer))
        .foreign_key(ForeignKeyConstraint::new(["a_id"], "a", ["id"]).name("d_a_1"))
        .foreign_key(ForeignKeyConstraint::new(["a_id"], "a", ["id"]).name("d_a_2"))
        .finish()
        .expect("d");
    let e = Table::build("e", &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .column(Column::new("a_id", Type::Integer).foreign_key(ForeignKey::new("a.id")))
        .column(Column::new("a2_id", Type::Integer).foreign_key(ForeignKey::new("a.id")))
        .finish()
        .expect("e");
    (a, d, e)
}

#[test]
fn identical_foreign_keys_are_one_join_condition() {
    let (a, d, e) = duplicated();
    // SQLAlchemy's `_joincond_trim_constraints`: constraints that give the same condition
    // are one; both directions, and through Select::join.
    let sql = "SELECT a.id, d.id FROM a JOIN d ON a.id = d.a_id";
    assert_all(&select((a.c("id"), d.c("id"))).select_from(a.join(&d)), same(sql), &[]);
    assert_all(&select((a.c("id"), d.c("id"))).join_from(&a, &d), same(sql), &[]);
    assert_all(&select(a.c("id")).join(&d).add_columns(d.c("id")), same(sql), &[]);
    assert_all(
        &select(d.c("id")).select_from(d.join(&a)),
        same("SELECT d.id FROM d JOIN a ON d.a_id = a.id"),
        &[],
    );
    // Two foreign keys on different columns stay ambiguous.
    let two = select(a.c("id")).select_from(a.join(&e));
    for dialect in [&Sqlite as &dyn athanor_core::dialect::Dialect, &Postgres, &MySql] {
        assert!(matches!(
            compile_error(&two, dialect),
            Error::AmbiguousForeignKeys { .. }
        ));
    }
}
