//! ORDER BY by name: a string names a label or column of the statement (SQLAlchemy's label
//! references), never a bound value; several keys in one call.

use athanor_core::dialect::{MySql, Postgres, Sqlite};
use athanor_core::error::CompileError;
use athanor_core::prelude::*;

use crate::{Golden, assert_all, compile_error, fixture};

/// The same SQL on every dialect, no parameters.
#[track_caller]
fn assert_same(stmt: &impl Compile, sql: &str) {
    assert_all(
        stmt,
        Golden {
            sqlite: sql,
            postgres: sql,
            mysql: sql,
        },
        &[],
    );
}

/// The message of the `CompileError::Invalid` every dialect refuses `stmt` with.
#[track_caller]
fn invalid(stmt: &impl Compile) -> String {
    let mut messages = Vec::new();
    for d in [
        &Sqlite as &dyn athanor_core::dialect::Dialect,
        &Postgres,
        &MySql,
    ] {
        match compile_error(stmt, d) {
            Error::Compile(e) if matches!(*e, CompileError::Invalid(_)) => {
                if let CompileError::Invalid(msg) = *e {
                    messages.push(msg)
                }
            }
            other => panic!(
                "expected CompileError::Invalid on {}, got {other:?}",
                d.name()
            ),
        }
    }
    assert!(messages.iter().all(|m| *m == messages[0]), "{messages:?}");
    messages.remove(0)
}

#[test]
fn a_string_names_a_label_of_the_select() {
    let f = fixture();
    let n = func::count(f.users.c("id")).label("n");
    let base = || select((f.users.c("name"), n.clone())).group_by(f.users.c("name"));
    let sql = "SELECT users.name, count(users.id) AS n FROM users GROUP BY users.name ORDER BY n";
    assert_same(&base().order_by("n"), sql);
    assert_same(&base().order_by(String::from("n")), sql);
    assert_same(&base().order_by(desc("n")), &format!("{sql} DESC"));
    assert_same(&base().order_by(asc("n")), &format!("{sql} ASC"));
}

#[test]
fn a_string_names_a_column_of_the_select_or_its_from_list() {
    let f = fixture();
    // A selected column: rendered as the column, qualified.
    assert_same(
        &select((f.users.c("name"), f.users.c("age"))).order_by("age"),
        "SELECT users.name, users.age FROM users ORDER BY users.age",
    );
    // A column of the FROM list that isn't selected.
    assert_same(
        &select(f.users.c("name")).order_by(desc("id")),
        "SELECT users.name FROM users ORDER BY users.id DESC",
    );
    assert_all(
        &select(f.artist.c("Name")).order_by(desc("ArtistId")),
        Golden {
            sqlite: r#"SELECT "Artist"."Name" FROM "Artist" ORDER BY "Artist"."ArtistId" DESC"#,
            postgres: r#"SELECT "Artist"."Name" FROM "Artist" ORDER BY "Artist"."ArtistId" DESC"#,
            mysql: "SELECT `Artist`.`Name` FROM `Artist` ORDER BY `Artist`.`ArtistId` DESC",
        },
        &[],
    );
    // A label wins over a column of the same name.
    assert_same(
        &select((f.users.c("id"), f.users.c("age").label("name"))).order_by("name"),
        "SELECT users.id, users.age AS name FROM users ORDER BY name",
    );
}

#[test]
fn several_keys_in_one_call() {
    let f = fixture();
    let stmt = select((f.users.c("name"), f.users.c("age").label("years"))).order_by((
        desc("years"),
        f.users.c("name"),
        f.users.c("id").desc(),
    ));
    assert_same(
        &stmt,
        "SELECT users.name, users.age AS years FROM users ORDER BY years DESC, users.name, users.id DESC",
    );
    let stmt = select(f.users.c("name")).order_by(["name", "id"]);
    assert_same(
        &stmt,
        "SELECT users.name FROM users ORDER BY users.name, users.id",
    );
    // From an iterator: names are names there too.
    let stmt = select(f.users.c("name")).order_by_all(["age", "id"].into_iter().rev());
    assert_same(
        &stmt,
        "SELECT users.name FROM users ORDER BY users.id, users.age",
    );
    let stmt = select(f.users.c("name")).order_by(vec![f.users.c("age").asc(), asc("id")]);
    assert_same(
        &stmt,
        "SELECT users.name FROM users ORDER BY users.age ASC, users.id ASC",
    );
}

#[test]
fn a_string_in_a_union_names_a_result_column() {
    let f = fixture();
    let stmt = select(f.users.c("name").label("who"))
        .union(select(f.artist.c("Name")))
        .order_by(desc("who"));
    assert_all(
        &stmt,
        Golden {
            sqlite: r#"SELECT users.name AS who FROM users UNION SELECT "Artist"."Name" FROM "Artist" ORDER BY who DESC"#,
            postgres: r#"SELECT users.name AS who FROM users UNION SELECT "Artist"."Name" FROM "Artist" ORDER BY who DESC"#,
            mysql: "SELECT users.name AS who FROM users UNION SELECT `Artist`.`Name` FROM `Artist` ORDER BY who DESC",
        },
        &[],
    );
    let stmt = union([select(f.users.c("name")), select(f.artist.c("Name"))]).order_by("name");
    assert_same_sqlite_postgres(&stmt);
}

fn assert_same_sqlite_postgres(stmt: &athanor_core::sql::CompoundSelect) {
    let sql =
        r#"SELECT users.name FROM users UNION SELECT "Artist"."Name" FROM "Artist" ORDER BY name"#;
    assert_eq!(stmt.compile(&Sqlite).expect("sqlite").sql(), sql);
    assert_eq!(stmt.compile(&Postgres).expect("postgres").sql(), sql);
}

#[test]
fn an_unknown_name_is_a_compile_error_naming_it() {
    let f = fixture();
    let msg = invalid(&select(f.users.c("name")).order_by("nope"));
    assert!(msg.contains("\"nope\""), "{msg}");
    let msg = invalid(&select(f.users.c("name").label("who")).order_by(desc("whom")));
    assert!(msg.contains("\"whom\""), "{msg}");
    let u = select(f.users.c("name").label("who")).union(select(f.artist.c("Name")));
    let msg = invalid(&u.order_by("name"));
    assert!(msg.contains("\"name\"") && msg.contains("who"), "{msg}");
    // Two FROM items with the column, neither selected: ambiguous.
    let stmt = select(f.users.c("name"))
        .select_from(&f.messages)
        .filter(f.users.c("id").eq(f.messages.c("sender_id")))
        .order_by("id");
    let msg = invalid(&stmt);
    assert!(
        msg.contains("\"id\"") && msg.contains("users") && msg.contains("messages"),
        "{msg}"
    );
}

#[test]
fn a_window_orders_by_a_column_of_the_from_list() {
    let f = fixture();
    let w = func::row_number().over(Window::new().order_by(desc("age")));
    assert_same(
        &select((f.users.c("name"), w.label("r"))),
        "SELECT users.name, row_number() OVER (ORDER BY users.age DESC) AS r FROM users",
    );
    // A window can't see the SELECT's labels.
    let w = func::row_number().over(Window::new().order_by("r"));
    let msg = invalid(&select((f.users.c("name"), w.label("r"))));
    assert!(msg.contains("\"r\""), "{msg}");
}
