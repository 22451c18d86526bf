//! INSERT, UPDATE, DELETE, RETURNING and upserts.

use athanor_core::dialect::{MySql, Postgres, Sqlite};
use athanor_core::prelude::*;

use crate::{Golden, assert_all, assert_compile, assert_unsupported, fixture};

#[test]
fn insert_single_row() {
    let f = fixture();
    let stmt = f
        .users
        .insert()
        .values(row! { "name" => "Alice", "age" => 27.5 });
    assert_all(
        &stmt,
        Golden {
            sqlite: "INSERT INTO users (name, age) VALUES (?, ?)",
            postgres: "INSERT INTO users (name, age) VALUES ($1, $2)",
            mysql: "INSERT INTO users (name, age) VALUES (?, ?)",
        },
        &vals!["Alice", 27.5],
    );
    assert_eq!(
        stmt.to_string(),
        "INSERT INTO users (name, age) VALUES (:param_1, :param_2)"
    );
    let stmt = insert(&f.artist).values(row! { "Name" => "AC/DC" });
    assert_all(
        &stmt,
        Golden {
            sqlite: r#"INSERT INTO "Artist" ("Name") VALUES (?)"#,
            postgres: r#"INSERT INTO "Artist" ("Name") VALUES ($1)"#,
            mysql: "INSERT INTO `Artist` (`Name`) VALUES (?)",
        },
        &vals!["AC/DC"],
    );
}

#[test]
fn insert_expressions_and_nulls() {
    let f = fixture();
    let stmt = f.users.insert().values(row! {
        "name" => func::upper(literal("bob")),
        "age" => None::<f64>,
        "id" => null(),
    });
    assert_all(
        &stmt,
        Golden {
            sqlite: "INSERT INTO users (name, age, id) VALUES (upper(?), ?, NULL)",
            postgres: "INSERT INTO users (name, age, id) VALUES (upper($1), $2, NULL)",
            mysql: "INSERT INTO users (name, age, id) VALUES (upper(?), ?, NULL)",
        },
        &[Value::from("bob"), Value::Null],
    );
}

#[test]
fn insert_many_rows() {
    let f = fixture();
    let stmt = f
        .users
        .insert()
        .values(row! { "id" => 1, "name" => "a" })
        .values(row! { "id" => 2, "name" => "b" })
        .values_many([row! { "id" => 3, "name" => "c" }]);
    assert_all(
        &stmt,
        Golden {
            sqlite: "INSERT INTO users (id, name) VALUES (?, ?), (?, ?), (?, ?)",
            postgres: "INSERT INTO users (id, name) VALUES ($1, $2), ($3, $4), ($5, $6)",
            mysql: "INSERT INTO users (id, name) VALUES (?, ?), (?, ?), (?, ?)",
        },
        &vals![1, "a", 2, "b", 3, "c"],
    );
}

#[test]
fn insert_from_select() {
    let f = fixture();
    let stmt = f.users.insert().from_select(
        ["id", "name"],
        select((f.artist.c("ArtistId"), f.artist.c("Name"))).filter(f.artist.c("ArtistId").gt(5)),
    );
    assert_all(
        &stmt,
        Golden {
            sqlite: r#"INSERT INTO users (id, name) SELECT "Artist"."ArtistId", "Artist"."Name" FROM "Artist" WHERE "Artist"."ArtistId" > ?"#,
            postgres: r#"INSERT INTO users (id, name) SELECT "Artist"."ArtistId", "Artist"."Name" FROM "Artist" WHERE "Artist"."ArtistId" > $1"#,
            mysql: "INSERT INTO users (id, name) SELECT `Artist`.`ArtistId`, `Artist`.`Name` FROM `Artist` WHERE `Artist`.`ArtistId` > ?",
        },
        &vals![5],
    );
    // A CTE goes with the SELECT: MySQL has no WITH before INSERT.
    let recent = select(f.artist.c("ArtistId"))
        .filter(f.artist.c("ArtistId").gt(100))
        .cte("recent");
    let stmt = f
        .users
        .insert()
        .from_select(["id"], select(recent.c("ArtistId")));
    assert_all(
        &stmt,
        Golden {
            sqlite: r#"INSERT INTO users (id) WITH recent AS (SELECT "Artist"."ArtistId" FROM "Artist" WHERE "Artist"."ArtistId" > ?) SELECT recent."ArtistId" FROM recent"#,
            postgres: r#"INSERT INTO users (id) WITH recent AS (SELECT "Artist"."ArtistId" FROM "Artist" WHERE "Artist"."ArtistId" > $1) SELECT recent."ArtistId" FROM recent"#,
            mysql: "INSERT INTO users (id) WITH recent AS (SELECT `Artist`.`ArtistId` FROM `Artist` WHERE `Artist`.`ArtistId` > ?) SELECT recent.`ArtistId` FROM recent",
        },
        &vals![100],
    );
    // Selecting from the table inserted into keeps its FROM.
    let stmt = f.users.insert().from_select(
        ["name"],
        select(f.users.c("name")).filter(f.users.c("id").eq(1)),
    );
    assert_compile(
        &stmt,
        &Sqlite,
        "INSERT INTO users (name) SELECT users.name FROM users WHERE users.id = ?",
        &vals![1],
    );
}

#[test]
fn insert_default_values() {
    let f = fixture();
    let stmt = f.users.insert().values(row! {});
    assert_all(
        &stmt,
        Golden {
            sqlite: "INSERT INTO users DEFAULT VALUES",
            postgres: "INSERT INTO users DEFAULT VALUES",
            mysql: "INSERT INTO users () VALUES ()",
        },
        &[],
    );
}

#[test]
fn insert_without_values_takes_every_column_by_name() {
    let f = fixture();
    let stmt = f.users.insert();
    assert_all(
        &stmt,
        Golden {
            sqlite: "INSERT INTO users (id, name, age) VALUES (?, ?, ?)",
            postgres: "INSERT INTO users (id, name, age) VALUES ($1, $2, $3)",
            mysql: "INSERT INTO users (id, name, age) VALUES (?, ?, ?)",
        },
        &[],
    );
    assert_eq!(
        stmt.to_string(),
        "INSERT INTO users (id, name, age) VALUES (:id, :name, :age)"
    );
}

#[test]
fn insert_adds_client_side_defaults() {
    let md = MetaData::new();
    let tasks = Table::build("tasks", &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .column(Column::new("title", Type::String(Some(100))))
        .column(Column::new("status", Type::String(Some(10))).default("new"))
        .column(Column::new("priority", Type::Integer).default(3))
        .finish()
        .expect("tasks");
    let stmt = tasks.insert().values(row! { "title" => "write tests" });
    assert_all(
        &stmt,
        Golden {
            sqlite: "INSERT INTO tasks (title, status, priority) VALUES (?, ?, ?)",
            postgres: "INSERT INTO tasks (title, status, priority) VALUES ($1, $2, $3)",
            mysql: "INSERT INTO tasks (title, status, priority) VALUES (?, ?, ?)",
        },
        &vals!["write tests", "new", 3],
    );
    // A value given explicitly wins over the default.
    let stmt = tasks
        .insert()
        .values(row! { "title" => "a", "priority" => 1 })
        .values(row! { "title" => "b", "priority" => 2 });
    assert_all(
        &stmt,
        Golden {
            sqlite: "INSERT INTO tasks (title, priority, status) VALUES (?, ?, ?), (?, ?, ?)",
            postgres: "INSERT INTO tasks (title, priority, status) VALUES ($1, $2, $3), ($4, $5, $6)",
            mysql: "INSERT INTO tasks (title, priority, status) VALUES (?, ?, ?), (?, ?, ?)",
        },
        &vals!["a", 1, "new", "b", 2, "new"],
    );
}

#[test]
fn update_with_where() {
    let f = fixture();
    let stmt = f
        .users
        .update()
        .set("name", "Bob")
        .set("age", f.users.c("age") + 1)
        .filter(f.users.c("id").eq(7));
    assert_all(
        &stmt,
        Golden {
            sqlite: "UPDATE users SET name = ?, age = users.age + ? WHERE users.id = ?",
            postgres: "UPDATE users SET name = $1, age = users.age + $2 WHERE users.id = $3",
            mysql: "UPDATE users SET name = ?, age = users.age + ? WHERE users.id = ?",
        },
        &vals!["Bob", 1, 7],
    );
    let stmt = update(&f.album)
        .values(row! { "Title" => "Untitled" })
        .filter(
            f.album
                .c("ArtistId")
                .in_select(select(f.artist.c("ArtistId")).filter(f.artist.c("Name").eq("x"))),
        );
    assert_all(
        &stmt,
        Golden {
            sqlite: r#"UPDATE "Album" SET "Title" = ? WHERE "Album"."ArtistId" IN (SELECT "Artist"."ArtistId" FROM "Artist" WHERE "Artist"."Name" = ?)"#,
            postgres: r#"UPDATE "Album" SET "Title" = $1 WHERE "Album"."ArtistId" IN (SELECT "Artist"."ArtistId" FROM "Artist" WHERE "Artist"."Name" = $2)"#,
            mysql: "UPDATE `Album` SET `Title` = ? WHERE `Album`.`ArtistId` IN (SELECT `Artist`.`ArtistId` FROM `Artist` WHERE `Artist`.`Name` = ?)",
        },
        &vals!["Untitled", "x"],
    );
}

#[test]
fn delete_with_where() {
    let f = fixture();
    let stmt = f
        .users
        .delete()
        .filter(f.users.c("age").lt(18) | f.users.c("name").is_null());
    assert_all(
        &stmt,
        Golden {
            sqlite: "DELETE FROM users WHERE users.age < ? OR users.name IS NULL",
            postgres: "DELETE FROM users WHERE users.age < $1 OR users.name IS NULL",
            mysql: "DELETE FROM users WHERE users.age < ? OR users.name IS NULL",
        },
        &vals![18],
    );
    let stmt = delete(&f.users);
    assert_all(
        &stmt,
        Golden {
            sqlite: "DELETE FROM users",
            postgres: "DELETE FROM users",
            mysql: "DELETE FROM users",
        },
        &[],
    );
}

#[test]
fn returning() {
    let f = fixture();
    let stmt = f
        .users
        .insert()
        .values(row! { "name" => "a" })
        .returning((f.users.c("id"), f.users.c("name").label("n")));
    assert_compile(
        &stmt,
        &Sqlite,
        "INSERT INTO users (name) VALUES (?) RETURNING users.id, users.name AS n",
        &vals!["a"],
    );
    assert_compile(
        &stmt,
        &Postgres,
        "INSERT INTO users (name) VALUES ($1) RETURNING users.id, users.name AS n",
        &vals!["a"],
    );
    assert_unsupported(&stmt, &MySql);
    let compiled = stmt.compile(&Postgres).expect("compiles");
    assert_eq!(compiled.compiled().columns, ["id", "n"]);

    let stmt = f
        .users
        .update()
        .set("age", 1)
        .filter(f.users.c("id").eq(2))
        .returning(&f.users);
    assert_compile(
        &stmt,
        &Postgres,
        "UPDATE users SET age = $1 WHERE users.id = $2 RETURNING users.id, users.name, users.age",
        &vals![1, 2],
    );
    assert_unsupported(&stmt, &MySql);
    // MariaDB has RETURNING on INSERT and DELETE, not on UPDATE.
    assert_unsupported(
        &stmt,
        &MySql {
            returning: true,
            ..MySql
        },
    );

    let stmt = f
        .users
        .delete()
        .filter(f.users.c("id").eq(2))
        .returning(f.users.c("id"));
    assert_compile(
        &stmt,
        &Sqlite,
        "DELETE FROM users WHERE users.id = ? RETURNING users.id",
        &vals![2],
    );
    assert_compile(
        &stmt,
        &MySql {
            returning: true,
            ..MySql
        },
        "DELETE FROM users WHERE users.id = ? RETURNING users.id",
        &vals![2],
    );
    assert_unsupported(&stmt, &MySql);
}

#[test]
fn upsert_do_nothing() {
    let f = fixture();
    let stmt = f
        .users
        .insert()
        .values(row! { "id" => 1, "name" => "a" })
        .on_conflict_do_nothing(["id"]);
    assert_all(
        &stmt,
        Golden {
            sqlite: "INSERT INTO users (id, name) VALUES (?, ?) ON CONFLICT (id) DO NOTHING",
            postgres: "INSERT INTO users (id, name) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING",
            mysql: "INSERT INTO users (id, name) VALUES (?, ?) ON DUPLICATE KEY UPDATE id = id",
        },
        &vals![1, "a"],
    );
    // Without a target: any conflict.
    let stmt = f
        .users
        .insert()
        .values(row! { "id" => 1 })
        .on_conflict_do_nothing(Vec::<&str>::new());
    assert_compile(
        &stmt,
        &Postgres,
        "INSERT INTO users (id) VALUES ($1) ON CONFLICT DO NOTHING",
        &vals![1],
    );
}

#[test]
fn upsert_do_update_with_excluded() {
    let f = fixture();
    let stmt = f
        .users
        .insert()
        .values(row! { "id" => 1, "name" => "a", "age" => 2 })
        .on_conflict_do_update(
            ["id"],
            row! { "name" => excluded("name"), "age" => f.users.c("age") + excluded("age") },
        );
    assert_all(
        &stmt,
        Golden {
            sqlite: "INSERT INTO users (id, name, age) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name, age = users.age + excluded.age",
            postgres: "INSERT INTO users (id, name, age) VALUES ($1, $2, $3) ON CONFLICT (id) DO UPDATE SET name = excluded.name, age = users.age + excluded.age",
            mysql: "INSERT INTO users (id, name, age) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE name = VALUES(name), age = users.age + VALUES(age)",
        },
        &vals![1, "a", 2],
    );
    let stmt = insert(&f.artist)
        .values(row! { "ArtistId" => 1, "Name" => "x" })
        .on_duplicate_key_update(row! { "Name" => excluded("Name") });
    assert_compile(
        &stmt,
        &MySql,
        "INSERT INTO `Artist` (`ArtistId`, `Name`) VALUES (?, ?) ON DUPLICATE KEY UPDATE `Name` = VALUES(`Name`)",
        &vals![1, "x"],
    );
}
