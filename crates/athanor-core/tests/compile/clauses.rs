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
        let pg =
            format!(r#"SELECT users.name FROM users {op} SELECT "Artist"."Name" FROM "Artist""#);
        let my = format!("SELECT users.name FROM users {op} SELECT `Artist`.`Name` FROM `Artist`");
        if op == "UNION" {
            // A different operator nests the first compound.
            assert_compile(
                &stmt,
                &Postgres,
                &format!(r#"({pg}) INTERSECT ALL SELECT "Artist"."Name" FROM "Artist""#),
                &[],
            );
            assert_compile(
                &stmt,
                &MySql,
                &format!("({my}) INTERSECT ALL SELECT `Artist`.`Name` FROM `Artist`"),
                &[],
            );
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

#[test]
fn zero_argument_exists() {
    let f = fixture();
    let has = exists().filter(f.album.c("ArtistId").eq(f.artist.c("ArtistId")));
    let stmt = select(f.artist.c("Name")).filter(has.clone());
    let inner = r#"SELECT * FROM "Album" WHERE "Album"."ArtistId" = "Artist"."ArtistId""#;
    assert_all(
        &stmt,
        Golden {
            sqlite: &format!(r#"SELECT "Artist"."Name" FROM "Artist" WHERE EXISTS ({inner})"#),
            postgres: &format!(r#"SELECT "Artist"."Name" FROM "Artist" WHERE EXISTS ({inner})"#),
            mysql: "SELECT `Artist`.`Name` FROM `Artist` WHERE EXISTS (SELECT * FROM `Album` WHERE `Album`.`ArtistId` = `Artist`.`ArtistId`)",
        },
        &[],
    );
    // Negated, combined, and as a column.
    assert_eq!(
        select(f.artist.c("Name"))
            .filter(!has.clone() & f.artist.c("ArtistId").gt(1))
            .to_string(),
        format!(
            r#"SELECT "Artist"."Name" FROM "Artist" WHERE NOT EXISTS ({inner}) AND "Artist"."ArtistId" > :param_1"#
        )
    );
    assert_eq!(
        select(exists().select_from(&f.album).label("any")).to_string(),
        r#"SELECT EXISTS (SELECT * FROM "Album") AS "any""#
    );
    // The same as a SELECT's own `.exists()`.
    assert_eq!(
        select(f.artist.c("Name"))
            .filter(
                select(star())
                    .filter(f.album.c("ArtistId").eq(f.artist.c("ArtistId")))
                    .exists()
            )
            .to_string(),
        stmt.to_string()
    );
}

#[test]
fn free_distinct_inside_aggregates() {
    let f = fixture();
    let name = || f.users.c("name");
    let stmt = select((
        func::count(distinct(name())),
        func::sum(distinct(f.users.c("age"))),
        func::count(name().distinct()),
    ));
    let sql = "SELECT count(DISTINCT users.name) AS count_1, sum(DISTINCT users.age) AS sum_1, \
               count(DISTINCT users.name) AS count_2 FROM users";
    assert_all(
        &stmt,
        Golden {
            sqlite: sql,
            postgres: sql,
            mysql: sql,
        },
        &[],
    );
    assert_eq!(
        select(distinct(name())).to_string(),
        "SELECT DISTINCT users.name AS anon_1 FROM users"
    );
}

#[test]
fn tuple_in_takes_rust_tuples() {
    let f = fixture();
    let pair = || tuple_([f.users.c("id"), f.users.c("name")]);
    let stmt = select(f.users.c("id")).filter(pair().in_([(1, "a"), (2, "b")]));
    let sql = |p: [&str; 4]| {
        format!(
            "SELECT users.id FROM users WHERE (users.id, users.name) IN (({}, {}), ({}, {}))",
            p[0], p[1], p[2], p[3]
        )
    };
    assert_all(
        &stmt,
        Golden {
            sqlite: &sql(["?"; 4]),
            postgres: &sql(["$1", "$2", "$3", "$4"]),
            mysql: &sql(["?"; 4]),
        },
        &vals![1, "a", 2, "b"],
    );
    assert_eq!(
        stmt.to_string(),
        sql([":param_1_1", ":param_1_2", ":param_1_3", ":param_1_4"])
    );
    let not_in = select(f.users.c("id")).filter(pair().not_in([(3, "c")]));
    assert_compile(
        &not_in,
        &Postgres,
        "SELECT users.id FROM users WHERE (users.id, users.name) NOT IN (($1, $2))",
        &vals![3, "c"],
    );
    // Lists of any length share one statement shape (one cache entry), as scalar IN lists do.
    let longer = select(f.users.c("id")).filter(pair().in_([(1, "a"), (2, "b"), (3, "c")]));
    assert_eq!(
        athanor_core::compiler::cache_key(longer.statement(), &Postgres),
        athanor_core::compiler::cache_key(stmt.statement(), &Postgres)
    );
}

#[test]
fn empty_tuple_in_is_valid_sql_on_every_dialect() {
    let f = fixture();
    let pair = || tuple_([f.users.c("id"), f.users.c("name")]);
    let none: Vec<(i64, &str)> = Vec::new();
    let prefix = "SELECT users.id FROM users WHERE (users.id, users.name)";
    assert_all(
        &select(f.users.c("id")).filter(pair().in_(none.clone())),
        Golden {
            sqlite: &format!("{prefix} IN (SELECT 1, 1 WHERE 1!=1)"),
            postgres: &format!(
                "{prefix} IN (SELECT CAST(NULL AS INTEGER), CAST(NULL AS VARCHAR(50)) WHERE 1!=1)"
            ),
            mysql: &format!("{prefix} IN (SELECT 1, 1 FROM DUAL WHERE 1!=1)"),
        },
        &[],
    );
    assert_compile(
        &select(f.users.c("id")).filter(pair().not_in(none)),
        &Sqlite,
        &format!("{prefix} NOT IN (SELECT 1, 1 WHERE 1!=1)"),
        &[],
    );
    // An empty list of tuple expressions too.
    assert_compile(
        &select(f.users.c("id")).filter(pair().in_exprs(Vec::<Expr>::new())),
        &MySql,
        &format!("{prefix} IN (SELECT 1, 1 FROM DUAL WHERE 1!=1)"),
        &[],
    );
}

#[test]
fn tuple_in_with_the_wrong_arity_is_a_compile_error() {
    let f = fixture();
    let cases = [
        f.users.c("id").in_([(1, 2)]),
        tuple_([f.users.c("id"), f.users.c("name"), f.users.c("age")]).in_([(1, "a")]),
    ];
    for cond in cases {
        let stmt = select(f.users.c("id")).filter(cond);
        match crate::compile_error(&stmt, &Sqlite) {
            Error::Compile(e) if matches!(&*e, athanor_core::error::CompileError::Invalid(msg) if msg.contains("IN")) =>
                {}
            other => panic!("expected CompileError::Invalid, got {other:?}"),
        }
    }
}
