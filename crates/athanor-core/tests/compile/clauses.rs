//! SQLAlchemy spellings users reach for first: INTERSECT ALL / EXCEPT ALL, `func::length`
//! as named, zero-argument `exists()`, a free `distinct(x)`, tuple IN over Rust tuples.

use athanor_core::dialect::{MySql, Postgres, Sqlite};
use athanor_core::prelude::*;

use crate::{Golden, assert_all, assert_compile, assert_unsupported, fixture};

#[test]
fn intersect_all_and_except_all() {
    let f = fixture();
    let a = || select(f.users.c("name"));
    let b = || select(f.artist.c("Name"));
    let cases = [
        (a().intersect_all(b()), "INTERSECT ALL"),
        (a().except_all(b()), "EXCEPT ALL"),
        (intersect_all([a(), b()]), "INTERSECT ALL"),
        (except_all([a(), b()]), "EXCEPT ALL"),
        (a().union(b()).intersect_all(b()), "UNION"),
    ];
    for (stmt, op) in cases {
        let pg = format!(r#"SELECT users.name FROM users {op} SELECT "Artist"."Name" FROM "Artist""#);
        let my = format!("SELECT users.name FROM users {op} SELECT `Artist`.`Name` FROM `Artist`");
        if op == "UNION" {
            // A different operator nests the first compound.
            assert_compile(&stmt, &Postgres, &format!(r#"({pg}) INTERSECT ALL SELECT "Artist"."Name" FROM "Artist""#), &[]);
            assert_compile(&stmt, &MySql, &format!("({my}) INTERSECT ALL SELECT `Artist`.`Name` FROM `Artist`"), &[]);
        } else {
            assert_compile(&stmt, &Postgres, &pg, &[]);
            assert_compile(&stmt, &MySql, &my, &[]);
        }
        // SQLite has INTERSECT and EXCEPT, but not their ALL forms.
        assert_unsupported(&stmt, &Sqlite);
    }
    // The same operator chains flat.
    let stmt = a().except_all(b()).except_all(select(f.album.c("Title")));
    assert_compile(
        &stmt,
        &Postgres,
        r#"SELECT users.name FROM users EXCEPT ALL SELECT "Artist"."Name" FROM "Artist" EXCEPT ALL SELECT "Album"."Title" FROM "Album""#,
        &[],
    );
}

#[test]
fn functions_render_the_name_given() {
    let f = fixture();
    let name = || f.users.c("name");
    // `length` is `length` everywhere (bytes on MySQL, characters elsewhere, as in SQL).
    let stmt = select(func::length(name()));
    let sql = "SELECT length(users.name) AS length_1 FROM users";
    assert_all(
        &stmt,
        Golden {
            sqlite: sql,
            postgres: sql,
            mysql: sql,
        },
        &[],
    );
    // `char_length` counts characters on every database: SQLite spells it `length`.
    let stmt = select(func::char_length(name()));
    assert_all(
        &stmt,
        Golden {
            sqlite: "SELECT length(users.name) AS char_length_1 FROM users",
            postgres: "SELECT char_length(users.name) AS char_length_1 FROM users",
            mysql: "SELECT char_length(users.name) AS char_length_1 FROM users",
        },
        &[],
    );
}
