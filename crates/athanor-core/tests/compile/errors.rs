//! Statements that can't compile: the exact error kind, on every dialect that refuses.

use athanor_core::dialect::{Dialect, MySql, Postgres, Sqlite};
use athanor_core::error::CompileError;
use athanor_core::prelude::*;

use crate::{compile_error, fixture};

const DIALECTS: [&dyn Dialect; 3] = [&Sqlite, &Postgres, &MySql];

#[test]
fn join_without_foreign_key() {
    let f = fixture();
    let stmt = select(f.users.c("name")).select_from(f.users.join(&f.artist));
    for d in DIALECTS {
        match compile_error(&stmt, d) {
            Error::NoForeignKeys(j) => {
                assert_eq!((j.left.as_str(), j.right.as_str()), ("users", "Artist"));
            }
            other => panic!("expected NoForeignKeys, got {other:?}"),
        }
    }
}

#[test]
fn join_with_two_foreign_keys_is_ambiguous() {
    let f = fixture();
    let stmt = select(f.users.c("name")).select_from(f.users.join(&f.messages));
    for d in DIALECTS {
        match compile_error(&stmt, d) {
            Error::AmbiguousForeignKeys(j) => {
                assert_eq!((j.left.as_str(), j.right.as_str()), ("users", "messages"));
            }
            other => panic!("expected AmbiguousForeignKeys, got {other:?}"),
        }
    }
    let stmt = select(f.users.c("name")).select_from(f.messages.outerjoin(&f.users));
    assert!(matches!(
        compile_error(&stmt, &Sqlite),
        Error::AmbiguousForeignKeys { .. }
    ));
}

#[test]
fn mysql_varchar_needs_a_length() {
    let md = MetaData::new();
    let t = Table::build("t", &md)
        .column(Column::new("s", Type::String(None)))
        .finish()
        .expect("t");
    let ddl = Ddl::CreateTable(t);
    match compile_error(&ddl, &MySql) {
        Error::Compile(e) if matches!(&*e, CompileError::Invalid(msg) if msg.contains("VARCHAR")) =>
            {}
        other => panic!("expected CompileError::Invalid, got {other:?}"),
    }
    assert_eq!(
        ddl.compile(&Sqlite).expect("sqlite").sql(),
        "CREATE TABLE t (s VARCHAR)"
    );
    assert_eq!(
        ddl.compile(&Postgres).expect("postgres").sql(),
        "CREATE TABLE t (s VARCHAR)"
    );
}

#[test]
fn malformed_statements() {
    let f = fixture();
    let invalid =
        |e: Error| matches!(e, Error::Compile(c) if matches!(*c, CompileError::Invalid(_)));
    // An UPDATE with nothing to SET.
    assert!(invalid(compile_error(&f.users.update(), &Sqlite)));
    // Rows of a multi-row INSERT that give different columns.
    let stmt = f
        .users
        .insert()
        .values(row! { "id" => 1 })
        .values(row! { "name" => "x" });
    assert!(invalid(compile_error(&stmt, &Postgres)));
    // ON CONFLICT DO UPDATE needs a target outside MySQL.
    let stmt = f
        .users
        .insert()
        .values(row! { "id" => 1 })
        .on_duplicate_key_update(row! { "name" => "x" });
    assert!(invalid(compile_error(&stmt, &Sqlite)));
    assert!(invalid(compile_error(&stmt, &Postgres)));
}

#[test]
fn unknown_columns_in_dml() {
    let f = fixture();
    let stmt = f.users.insert().values(row! { "nope" => 1 });
    for d in DIALECTS {
        match compile_error(&stmt, d) {
            Error::NoSuchColumn(c) => {
                assert_eq!((c.table.as_str(), c.column.as_str()), ("users", "nope"));
            }
            other => panic!("expected NoSuchColumn, got {other:?}"),
        }
    }
    let stmt = f.users.update().set("nope", 1);
    assert!(matches!(
        compile_error(&stmt, &MySql),
        Error::NoSuchColumn { .. }
    ));
    assert!(matches!(
        f.users.try_c("nope"),
        Err(Error::NoSuchColumn { .. })
    ));
}

#[test]
fn unknown_foreign_key_action() {
    let md = MetaData::new();
    let t = Table::build("t", &md)
        .column(
            Column::new("a", Type::Integer)
                .foreign_key(ForeignKey::new("u.id").on_delete("EXPLODE")),
        )
        .finish()
        .expect("t");
    assert!(matches!(
        compile_error(&Ddl::CreateTable(t), &Sqlite),
        Error::Argument(_)
    ));
}

#[test]
fn display_of_a_statement_that_cannot_compile_says_why() {
    let f = fixture();
    let stmt = select(f.users.c("name")).select_from(f.users.join(&f.artist));
    let shown = stmt.to_string();
    assert!(
        shown.starts_with("<statement that can't be compiled"),
        "{shown}"
    );
}
