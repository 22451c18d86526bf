//! Names a dialect can't hold: too long for it, or holding a NUL. Each is `Error::Argument`
//! naming the name and the limit, at compile time, so no SQL reaches the database (where
//! PostgreSQL would cut the name and carry on).

use athanor_core::dialect::{Dialect, MySql, Postgres, Sqlite};
use athanor_core::prelude::*;

use crate::compile_error;

#[track_caller]
fn assert_refused(stmt: &impl Compile, d: &dyn Dialect, says: &str) {
    match compile_error(stmt, d) {
        Error::Argument(m) => assert!(m.contains(says), "{}: {m}", d.name()),
        other => panic!("expected Error::Argument on {}, got {other:?}", d.name()),
    }
}

fn table(name: &str, column: &str) -> Table {
    let md = MetaData::new();
    Table::build(name, &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .column(Column::new(column, Type::Integer))
        .finish()
        .expect("a table")
}

#[test]
fn labels_longer_than_the_dialect_keeps() {
    let at_limit = select(column("id").label("l".repeat(63)));
    for d in [&Sqlite as &dyn Dialect, &Postgres, &MySql] {
        assert!(at_limit.compile(d).is_ok(), "{}", d.name());
    }
    let pg_over = select(column("id").label("l".repeat(64)));
    assert_refused(
        &pg_over,
        &Postgres,
        "is 64 bytes long, longer than PostgreSQL's limit of 63 bytes",
    );
    // MySQL keeps a column alias to 255 bytes; SQLite has no limit.
    assert!(pg_over.compile(&MySql).is_ok());
    let mysql_over = select(column("id").label("é".repeat(128)));
    assert_refused(
        &mysql_over,
        &MySql,
        "is 256 bytes long, longer than MySQL's limit of 255 bytes",
    );
    assert!(
        select(column("id").label("l".repeat(10_000)))
            .compile(&Sqlite)
            .is_ok()
    );
    // PostgreSQL counts bytes: 32 two-byte characters are 64.
    assert_refused(
        &select(column("id").label("é".repeat(32))),
        &Postgres,
        "64 bytes",
    );
}

#[test]
fn table_column_and_alias_names() {
    let long = "t".repeat(64);
    let t = table(&long, "x");
    assert_refused(&select(t.c("x")), &Postgres, "63 bytes");
    assert_refused(&Ddl::CreateTable(t.clone()), &Postgres, "63 bytes");
    // MySQL: 64 characters is the limit for a table, 65 is over.
    assert!(Ddl::CreateTable(t.clone()).compile(&MySql).is_ok());
    let t65 = table(&"é".repeat(65), "x");
    assert_refused(
        &Ddl::CreateTable(t65.clone()),
        &MySql,
        "is 65 characters long, longer than MySQL's limit of 64 characters",
    );
    assert!(Ddl::CreateTable(t65).compile(&Sqlite).is_ok());

    let c = table("t", &"c".repeat(64));
    assert_refused(&Ddl::CreateTable(c.clone()), &Postgres, "63 bytes");
    let long_col = "c".repeat(64);
    let insert = c.insert().values(Values::new().set(long_col.as_str(), 1));
    assert_refused(&insert, &Postgres, "63 bytes");
    assert_refused(
        &c.update()
            .values(row! { "id" => 2 })
            .filter(c.c(&long_col).eq(1)),
        &Postgres,
        "63 bytes",
    );

    let short = table("t", "x");
    let alias = short.alias("a".repeat(64));
    assert_refused(&select(alias.c("x")), &Postgres, "63 bytes");
    let cte = select(short.c("x")).cte("w".repeat(64));
    assert_refused(&select(cte.c("x")), &Postgres, "63 bytes");
}

#[test]
fn index_and_constraint_names() {
    let md = MetaData::new();
    let t = Table::build("t", &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .column(Column::new("x", Type::Integer))
        .unique(UniqueConstraint::new(["x"]).name("u".repeat(64)))
        .finish()
        .expect("a table");
    assert_refused(&Ddl::CreateTable(t.clone()), &Postgres, "63 bytes");
    assert!(Ddl::CreateTable(t.clone()).compile(&MySql).is_ok());
    let ix = Index::new("i".repeat(65), ["x"]);
    assert_refused(
        &Ddl::CreateIndex(t.clone(), ix.clone()),
        &Postgres,
        "63 bytes",
    );
    assert_refused(&Ddl::CreateIndex(t, ix), &MySql, "64 characters");
}

#[test]
fn nul_in_a_name_is_refused_on_every_dialect() {
    let t = table("t", "a\0b");
    for d in [&Sqlite as &dyn Dialect, &Postgres, &MySql] {
        assert_refused(&select(t.c("a\0b")), d, "contains a NUL character");
        assert_refused(&Ddl::CreateTable(t.clone()), d, "contains a NUL character");
        assert_refused(
            &select(column("x").label("x\0")),
            d,
            "contains a NUL character",
        );
    }
}
