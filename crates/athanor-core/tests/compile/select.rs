//! SELECT: columns and FROM inference, DISTINCT, joins, GROUP BY / HAVING, ORDER BY,
//! LIMIT / OFFSET, aliases, subqueries, correlation, EXISTS, set operations, CTEs, windows
//! and row locks.

use athanor_core::dialect::{MySql, Postgres, Sqlite};
use athanor_core::prelude::*;
use athanor_core::sql::ForUpdate;

use crate::{Golden, assert_all, assert_compile, assert_unsupported, fixture};

#[test]
fn columns_tables_and_expressions() {
    let f = fixture();
    let sql = "SELECT users.id, users.name, users.age FROM users";
    assert_all(
        &select(&f.users),
        Golden {
            sqlite: sql,
            postgres: sql,
            mysql: sql,
        },
        &[],
    );
    assert_eq!(select(&f.users).to_string(), sql);

    assert_all(
        &select(&f.artist),
        Golden {
            sqlite: r#"SELECT "Artist"."ArtistId", "Artist"."Name" FROM "Artist""#,
            postgres: r#"SELECT "Artist"."ArtistId", "Artist"."Name" FROM "Artist""#,
            mysql: "SELECT `Artist`.`ArtistId`, `Artist`.`Name` FROM `Artist`",
        },
        &[],
    );
    // Columns of two tables without a join: both in FROM, in order of appearance.
    assert_all(
        &select((f.users.c("name"), f.artist.c("Name"), f.users.c("age") * 2)),
        Golden {
            sqlite: r#"SELECT users.name, "Artist"."Name", users.age * ? AS anon_1 FROM users, "Artist""#,
            postgres: r#"SELECT users.name, "Artist"."Name", users.age * $1 AS anon_1 FROM users, "Artist""#,
            mysql: "SELECT users.name, `Artist`.`Name`, users.age * ? AS anon_1 FROM users, `Artist`",
        },
        &vals![2],
    );
    // Tables in the WHERE clause join the FROM list too.
    assert_all(
        &select(f.users.c("name")).filter(f.users.c("id").eq(f.messages.c("sender_id"))),
        Golden {
            sqlite: "SELECT users.name FROM users, messages WHERE users.id = messages.sender_id",
            postgres: "SELECT users.name FROM users, messages WHERE users.id = messages.sender_id",
            mysql: "SELECT users.name FROM users, messages WHERE users.id = messages.sender_id",
        },
        &[],
    );
    // Bare columns and star with no FROM.
    assert_all(
        &select((column("x"), star())),
        Golden {
            sqlite: "SELECT x, *",
            postgres: "SELECT x, *",
            mysql: "SELECT x, *",
        },
        &[],
    );
    assert_all(
        &select(&f.users)
            .with_only_columns(f.users.c("id"))
            .add_columns(f.users.c("age")),
        Golden {
            sqlite: "SELECT users.id, users.age FROM users",
            postgres: "SELECT users.id, users.age FROM users",
            mysql: "SELECT users.id, users.age FROM users",
        },
        &[],
    );
}

#[test]
fn filter_calls_are_anded_and_filter_by() {
    let f = fixture();
    let stmt = select(f.users.c("id"))
        .filter(f.users.c("age").gt(1))
        .filter(f.users.c("name").eq("x"))
        .filter_by([("id", 3)]);
    assert_all(
        &stmt,
        Golden {
            sqlite: "SELECT users.id FROM users WHERE users.age > ? AND users.name = ? AND users.id = ?",
            postgres: "SELECT users.id FROM users WHERE users.age > $1 AND users.name = $2 AND users.id = $3",
            mysql: "SELECT users.id FROM users WHERE users.age > ? AND users.name = ? AND users.id = ?",
        },
        &vals![1, "x", 3],
    );
}

#[test]
fn distinct_and_distinct_on() {
    let f = fixture();
    let stmt = select(f.users.c("name")).distinct();
    let sql = "SELECT DISTINCT users.name FROM users";
    assert_all(
        &stmt,
        Golden {
            sqlite: sql,
            postgres: sql,
            mysql: sql,
        },
        &[],
    );

    let stmt = select((f.users.c("name"), f.users.c("age")))
        .distinct_on(f.users.c("name"))
        .order_by(f.users.c("name"))
        .order_by(f.users.c("age").desc());
    assert_compile(
        &stmt,
        &Postgres,
        "SELECT DISTINCT ON (users.name) users.name, users.age FROM users ORDER BY users.name, users.age DESC",
        &[],
    );
    assert_unsupported(&stmt, &Sqlite);
    assert_unsupported(&stmt, &MySql);
}

#[test]
fn join_on_inferred_from_the_foreign_key() {
    let f = fixture();
    let stmt =
        select((f.artist.c("Name"), f.album.c("Title"))).select_from(f.artist.join(&f.album));
    assert_all(
        &stmt,
        Golden {
            sqlite: r#"SELECT "Artist"."Name", "Album"."Title" FROM "Artist" JOIN "Album" ON "Artist"."ArtistId" = "Album"."ArtistId""#,
            postgres: r#"SELECT "Artist"."Name", "Album"."Title" FROM "Artist" JOIN "Album" ON "Artist"."ArtistId" = "Album"."ArtistId""#,
            mysql: "SELECT `Artist`.`Name`, `Album`.`Title` FROM `Artist` JOIN `Album` ON `Artist`.`ArtistId` = `Album`.`ArtistId`",
        },
        &[],
    );
    // The same foreign key from the other side.
    let stmt = select(f.album.c("Title")).select_from(f.album.outerjoin(&f.artist));
    assert_all(
        &stmt,
        Golden {
            sqlite: r#"SELECT "Album"."Title" FROM "Album" LEFT OUTER JOIN "Artist" ON "Album"."ArtistId" = "Artist"."ArtistId""#,
            postgres: r#"SELECT "Album"."Title" FROM "Album" LEFT OUTER JOIN "Artist" ON "Album"."ArtistId" = "Artist"."ArtistId""#,
            mysql: "SELECT `Album`.`Title` FROM `Album` LEFT OUTER JOIN `Artist` ON `Album`.`ArtistId` = `Artist`.`ArtistId`",
        },
        &[],
    );
}

#[test]
fn three_table_join_and_filter_on_joined_table() {
    let f = fixture();
    let stmt = select((f.artist.c("Name"), f.track.c("Name")))
        .select_from(f.artist.join(&f.album).join(&f.track))
        .filter(f.track.c("Milliseconds").gt(300_000));
    assert_all(
        &stmt,
        Golden {
            sqlite: r#"SELECT "Artist"."Name", "Track"."Name" FROM "Artist" JOIN "Album" ON "Artist"."ArtistId" = "Album"."ArtistId" JOIN "Track" ON "Album"."AlbumId" = "Track"."AlbumId" WHERE "Track"."Milliseconds" > ?"#,
            postgres: r#"SELECT "Artist"."Name", "Track"."Name" FROM "Artist" JOIN "Album" ON "Artist"."ArtistId" = "Album"."ArtistId" JOIN "Track" ON "Album"."AlbumId" = "Track"."AlbumId" WHERE "Track"."Milliseconds" > $1"#,
            mysql: "SELECT `Artist`.`Name`, `Track`.`Name` FROM `Artist` JOIN `Album` ON `Artist`.`ArtistId` = `Album`.`ArtistId` JOIN `Track` ON `Album`.`AlbumId` = `Track`.`AlbumId` WHERE `Track`.`Milliseconds` > ?",
        },
        &vals![300_000],
    );
}

#[test]
fn join_on_explicit_and_to_an_alias() {
    let f = fixture();
    let stmt = select((f.users.c("name"), f.messages.c("body"))).select_from(f.users.join_on(
        &f.messages,
        f.users.c("id").eq(f.messages.c("recipient_id")),
    ));
    let sql = "SELECT users.name, messages.body FROM users JOIN messages ON users.id = messages.recipient_id";
    assert_all(
        &stmt,
        Golden {
            sqlite: sql,
            postgres: sql,
            mysql: sql,
        },
        &[],
    );

    let stmt = select(f.users.c("name")).select_from(f.users.outerjoin_on(
        &f.messages,
        f.users.c("id").eq(f.messages.c("sender_id")) & f.messages.c("body").is_not_null(),
    ));
    let sql = "SELECT users.name FROM users LEFT OUTER JOIN messages ON users.id = messages.sender_id AND messages.body IS NOT NULL";
    assert_all(
        &stmt,
        Golden {
            sqlite: sql,
            postgres: sql,
            mysql: sql,
        },
        &[],
    );

    let al = f.album.alias("al");
    let stmt = select((f.artist.c("Name"), al.c("Title"))).select_from(f.artist.join(&al));
    assert_all(
        &stmt,
        Golden {
            sqlite: r#"SELECT "Artist"."Name", al."Title" FROM "Artist" JOIN "Album" AS al ON "Artist"."ArtistId" = al."ArtistId""#,
            postgres: r#"SELECT "Artist"."Name", al."Title" FROM "Artist" JOIN "Album" AS al ON "Artist"."ArtistId" = al."ArtistId""#,
            mysql: "SELECT `Artist`.`Name`, al.`Title` FROM `Artist` JOIN `Album` AS al ON `Artist`.`ArtistId` = al.`ArtistId`",
        },
        &[],
    );
}

#[test]
fn full_outer_join() {
    let f = fixture();
    let stmt =
        select(f.album.c("Title")).select_from(FromItem::from(&f.artist).full_outerjoin(&f.album));
    assert_compile(
        &stmt,
        &Postgres,
        r#"SELECT "Album"."Title" FROM "Artist" FULL OUTER JOIN "Album" ON "Artist"."ArtistId" = "Album"."ArtistId""#,
        &[],
    );
    assert_unsupported(&stmt, &MySql);
}

#[test]
fn group_by_having_and_the_chinook_question() {
    let f = fixture();
    let stmt = select((f.album.c("ArtistId"), func::count(f.album.c("AlbumId"))))
        .group_by(f.album.c("ArtistId"))
        .having(func::count(f.album.c("AlbumId")).gt(2));
    assert_all(
        &stmt,
        Golden {
            sqlite: r#"SELECT "Album"."ArtistId", count("Album"."AlbumId") AS count_1 FROM "Album" GROUP BY "Album"."ArtistId" HAVING count("Album"."AlbumId") > ?"#,
            postgres: r#"SELECT "Album"."ArtistId", count("Album"."AlbumId") AS count_1 FROM "Album" GROUP BY "Album"."ArtistId" HAVING count("Album"."AlbumId") > $1"#,
            mysql: "SELECT `Album`.`ArtistId`, count(`Album`.`AlbumId`) AS count_1 FROM `Album` GROUP BY `Album`.`ArtistId` HAVING count(`Album`.`AlbumId`) > ?",
        },
        &vals![2],
    );

    let stmt = select((
        f.artist.c("Name"),
        func::count(f.album.c("Title")).label("# of albums"),
    ))
    .select_from(f.artist.join(&f.album))
    .group_by(f.album.c("ArtistId"))
    .order_by(desc("# of albums"))
    .limit(10);
    assert_all(
        &stmt,
        Golden {
            sqlite: r##"SELECT "Artist"."Name", count("Album"."Title") AS "# of albums" FROM "Artist" JOIN "Album" ON "Artist"."ArtistId" = "Album"."ArtistId" GROUP BY "Album"."ArtistId" ORDER BY "# of albums" DESC LIMIT ?"##,
            postgres: r##"SELECT "Artist"."Name", count("Album"."Title") AS "# of albums" FROM "Artist" JOIN "Album" ON "Artist"."ArtistId" = "Album"."ArtistId" GROUP BY "Album"."ArtistId" ORDER BY "# of albums" DESC LIMIT $1"##,
            mysql: "SELECT `Artist`.`Name`, count(`Album`.`Title`) AS `# of albums` FROM `Artist` JOIN `Album` ON `Artist`.`ArtistId` = `Album`.`ArtistId` GROUP BY `Album`.`ArtistId` ORDER BY `# of albums` DESC LIMIT ?",
        },
        &vals![10],
    );
    assert_eq!(
        stmt.to_string(),
        r##"SELECT "Artist"."Name", count("Album"."Title") AS "# of albums" FROM "Artist" JOIN "Album" ON "Artist"."ArtistId" = "Album"."ArtistId" GROUP BY "Album"."ArtistId" ORDER BY "# of albums" DESC LIMIT :param_1"##
    );
}

#[test]
fn order_by_directions_labels_and_nulls() {
    let f = fixture();
    let n = func::count(f.users.c("id")).label("n");
    let stmt = select((f.users.c("name"), n.clone()))
        .group_by(f.users.c("name"))
        .order_by(n.desc())
        .order_by(f.users.c("name").asc())
        .order_by(asc("n"));
    let sql = "SELECT users.name, count(users.id) AS n FROM users GROUP BY users.name ORDER BY n DESC, users.name ASC, n ASC";
    assert_all(
        &stmt,
        Golden {
            sqlite: sql,
            postgres: sql,
            mysql: sql,
        },
        &[],
    );

    let stmt = select(f.users.c("name"))
        .order_by(f.users.c("age").desc().nulls_last())
        .order_by(f.users.c("name").asc().nulls_first());
    let sql = "SELECT users.name FROM users ORDER BY users.age DESC NULLS LAST, users.name ASC NULLS FIRST";
    assert_compile(&stmt, &Sqlite, sql, &[]);
    assert_compile(&stmt, &Postgres, sql, &[]);
    // MySQL has no NULLS FIRST/LAST: `x IS NULL` ordering stands in for it.
    assert_compile(
        &stmt,
        &MySql,
        "SELECT users.name FROM users ORDER BY users.age IS NULL, users.age DESC, users.name IS NULL DESC, users.name ASC",
        &[],
    );
}

#[test]
fn limit_and_offset() {
    let f = fixture();
    let base = || select(f.users.c("id")).order_by(f.users.c("id"));
    assert_all(
        &base().limit(10).offset(20),
        Golden {
            sqlite: "SELECT users.id FROM users ORDER BY users.id LIMIT ? OFFSET ?",
            postgres: "SELECT users.id FROM users ORDER BY users.id LIMIT $1 OFFSET $2",
            mysql: "SELECT users.id FROM users ORDER BY users.id LIMIT ? OFFSET ?",
        },
        &vals![10, 20],
    );
    assert_all(
        &base().offset(5),
        Golden {
            sqlite: "SELECT users.id FROM users ORDER BY users.id LIMIT -1 OFFSET ?",
            postgres: "SELECT users.id FROM users ORDER BY users.id OFFSET $1",
            mysql: "SELECT users.id FROM users ORDER BY users.id LIMIT 18446744073709551615 OFFSET ?",
        },
        &vals![5],
    );
    assert_all(
        &base().slice(10, 15),
        Golden {
            sqlite: "SELECT users.id FROM users ORDER BY users.id LIMIT ? OFFSET ?",
            postgres: "SELECT users.id FROM users ORDER BY users.id LIMIT $1 OFFSET $2",
            mysql: "SELECT users.id FROM users ORDER BY users.id LIMIT ? OFFSET ?",
        },
        &vals![5, 10],
    );
}

/// LIMIT / OFFSET given as a `bindparam` (a named placeholder, its value at execution) or a
/// SQL expression (rendered inline), as SQLAlchemy's LimitOffsetTest; MySQL takes no
/// expression there.
#[test]
fn limit_and_offset_as_parameters_and_expressions() {
    let f = fixture();
    let base = || select(f.users.c("id")).order_by(f.users.c("id"));
    assert_all(
        &base().limit(bindparam("l")).offset(bindparam("o")),
        Golden {
            sqlite: "SELECT users.id FROM users ORDER BY users.id LIMIT ? OFFSET ?",
            postgres: "SELECT users.id FROM users ORDER BY users.id LIMIT $1 OFFSET $2",
            mysql: "SELECT users.id FROM users ORDER BY users.id LIMIT ? OFFSET ?",
        },
        &[],
    );
    assert_eq!(
        base().offset(bindparam("o")).to_string(),
        "SELECT users.id FROM users ORDER BY users.id OFFSET :o"
    );
    let sum = || literal_column("1") + literal_column("1");
    let stmt = base().limit(3).offset(sum());
    assert_compile(
        &stmt,
        &Sqlite,
        "SELECT users.id FROM users ORDER BY users.id LIMIT ? OFFSET 1 + 1",
        &vals![3],
    );
    assert_compile(
        &stmt,
        &Postgres,
        "SELECT users.id FROM users ORDER BY users.id LIMIT $1 OFFSET 1 + 1",
        &vals![3],
    );
    assert_unsupported(&stmt, &MySql);
    assert_unsupported(&base().limit(sum()), &MySql);
    assert_compile(
        &base().offset(sum()),
        &Sqlite,
        "SELECT users.id FROM users ORDER BY users.id LIMIT -1 OFFSET 1 + 1",
        &[],
    );
    // A compound takes them too.
    let u = base().union(base()).limit(bindparam("n"));
    assert_eq!(
        u.compile(&Postgres)
            .map(|c| c.sql().to_string())
            .ok()
            .as_deref(),
        Some(
            "(SELECT users.id FROM users ORDER BY users.id) UNION (SELECT users.id FROM users ORDER BY users.id) LIMIT $1"
        )
    );
}

#[test]
fn table_alias_and_self_join() {
    let f = fixture();
    let u = f.users.alias("u");
    let stmt = select(u.c("name")).filter(u.c("id").eq(1));
    assert_all(
        &stmt,
        Golden {
            sqlite: "SELECT u.name FROM users AS u WHERE u.id = ?",
            postgres: "SELECT u.name FROM users AS u WHERE u.id = $1",
            mysql: "SELECT u.name FROM users AS u WHERE u.id = ?",
        },
        &vals![1],
    );
    let (a, b) = (f.artist.alias("a"), f.artist.alias("Other"));
    let stmt = select((a.c("Name"), b.c("Name"))).filter(a.c("ArtistId").lt(b.c("ArtistId")));
    assert_all(
        &stmt,
        Golden {
            sqlite: r#"SELECT a."Name", "Other"."Name" FROM "Artist" AS a, "Artist" AS "Other" WHERE a."ArtistId" < "Other"."ArtistId""#,
            postgres: r#"SELECT a."Name", "Other"."Name" FROM "Artist" AS a, "Artist" AS "Other" WHERE a."ArtistId" < "Other"."ArtistId""#,
            mysql: "SELECT a.`Name`, `Other`.`Name` FROM `Artist` AS a, `Artist` AS `Other` WHERE a.`ArtistId` < `Other`.`ArtistId`",
        },
        &[],
    );
}

#[test]
fn named_and_anonymous_subqueries() {
    let f = fixture();
    let counts = select((f.album.c("ArtistId"), func::count_star().label("n")))
        .group_by(f.album.c("ArtistId"))
        .subquery("counts");
    let stmt = select((f.artist.c("Name"), counts.c("n")))
        .select_from(
            f.artist
                .join_on(&counts, f.artist.c("ArtistId").eq(counts.c("ArtistId"))),
        )
        .filter(counts.c("n").gt(1));
    assert_all(
        &stmt,
        Golden {
            sqlite: r#"SELECT "Artist"."Name", counts.n FROM "Artist" JOIN (SELECT "Album"."ArtistId", count(*) AS n FROM "Album" GROUP BY "Album"."ArtistId") AS counts ON "Artist"."ArtistId" = counts."ArtistId" WHERE counts.n > ?"#,
            postgres: r#"SELECT "Artist"."Name", counts.n FROM "Artist" JOIN (SELECT "Album"."ArtistId", count(*) AS n FROM "Album" GROUP BY "Album"."ArtistId") AS counts ON "Artist"."ArtistId" = counts."ArtistId" WHERE counts.n > $1"#,
            mysql: "SELECT `Artist`.`Name`, counts.n FROM `Artist` JOIN (SELECT `Album`.`ArtistId`, count(*) AS n FROM `Album` GROUP BY `Album`.`ArtistId`) AS counts ON `Artist`.`ArtistId` = counts.`ArtistId` WHERE counts.n > ?",
        },
        &vals![1],
    );

    // Parameters inside the subquery come first, in the order they appear.
    let sub = select((f.users.c("id"), f.users.c("name")))
        .filter(f.users.c("age").gt(18))
        .subquery_anon();
    let stmt = select(sub.c("name")).filter(sub.c("id").lt(100));
    assert_all(
        &stmt,
        Golden {
            sqlite: "SELECT anon_1.name FROM (SELECT users.id, users.name FROM users WHERE users.age > ?) AS anon_1 WHERE anon_1.id < ?",
            postgres: "SELECT anon_1.name FROM (SELECT users.id, users.name FROM users WHERE users.age > $1) AS anon_1 WHERE anon_1.id < $2",
            mysql: "SELECT anon_1.name FROM (SELECT users.id, users.name FROM users WHERE users.age > ?) AS anon_1 WHERE anon_1.id < ?",
        },
        &vals![18, 100],
    );
    // Two anonymous subqueries are numbered in order.
    let s1 = select(f.users.c("id")).subquery_anon();
    let s2 = select(f.messages.c("sender_id")).subquery_anon();
    let stmt = select((s1.c("id"), s2.c("sender_id"))).filter(s1.c("id").eq(s2.c("sender_id")));
    assert_compile(
        &stmt,
        &Sqlite,
        "SELECT anon_1.id, anon_2.sender_id FROM (SELECT users.id FROM users) AS anon_1, (SELECT messages.sender_id FROM messages) AS anon_2 WHERE anon_1.id = anon_2.sender_id",
        &[],
    );
}

#[test]
fn correlated_scalar_subquery_omits_the_outer_table() {
    let f = fixture();
    let n_albums = select(func::count(f.album.c("AlbumId")))
        .filter(f.album.c("ArtistId").eq(f.artist.c("ArtistId")))
        .scalar_subquery();
    let stmt =
        select((f.artist.c("Name"), n_albums.clone().label("albums"))).filter(n_albums.gt(1));
    assert_all(
        &stmt,
        Golden {
            sqlite: r#"SELECT "Artist"."Name", (SELECT count("Album"."AlbumId") AS count_1 FROM "Album" WHERE "Album"."ArtistId" = "Artist"."ArtistId") AS albums FROM "Artist" WHERE (SELECT count("Album"."AlbumId") AS count_1 FROM "Album" WHERE "Album"."ArtistId" = "Artist"."ArtistId") > ?"#,
            postgres: r#"SELECT "Artist"."Name", (SELECT count("Album"."AlbumId") AS count_1 FROM "Album" WHERE "Album"."ArtistId" = "Artist"."ArtistId") AS albums FROM "Artist" WHERE (SELECT count("Album"."AlbumId") AS count_1 FROM "Album" WHERE "Album"."ArtistId" = "Artist"."ArtistId") > $1"#,
            mysql: "SELECT `Artist`.`Name`, (SELECT count(`Album`.`AlbumId`) AS count_1 FROM `Album` WHERE `Album`.`ArtistId` = `Artist`.`ArtistId`) AS albums FROM `Artist` WHERE (SELECT count(`Album`.`AlbumId`) AS count_1 FROM `Album` WHERE `Album`.`ArtistId` = `Artist`.`ArtistId`) > ?",
        },
        &vals![1],
    );
}

#[test]
fn exists_and_not_exists() {
    let f = fixture();
    let has_albums = select(f.album.c("AlbumId"))
        .filter(f.album.c("ArtistId").eq(f.artist.c("ArtistId")))
        .exists();
    let stmt = select(f.artist.c("Name")).filter(has_albums.clone());
    assert_all(
        &stmt,
        Golden {
            sqlite: r#"SELECT "Artist"."Name" FROM "Artist" WHERE EXISTS (SELECT "Album"."AlbumId" FROM "Album" WHERE "Album"."ArtistId" = "Artist"."ArtistId")"#,
            postgres: r#"SELECT "Artist"."Name" FROM "Artist" WHERE EXISTS (SELECT "Album"."AlbumId" FROM "Album" WHERE "Album"."ArtistId" = "Artist"."ArtistId")"#,
            mysql: "SELECT `Artist`.`Name` FROM `Artist` WHERE EXISTS (SELECT `Album`.`AlbumId` FROM `Album` WHERE `Album`.`ArtistId` = `Artist`.`ArtistId`)",
        },
        &[],
    );
    let stmt = select(f.artist.c("Name")).filter(!has_albums);
    assert_compile(
        &stmt,
        &Postgres,
        r#"SELECT "Artist"."Name" FROM "Artist" WHERE NOT EXISTS (SELECT "Album"."AlbumId" FROM "Album" WHERE "Album"."ArtistId" = "Artist"."ArtistId")"#,
        &[],
    );
    let stmt = select(literal(1).label("x")).filter(
        select(f.users.c("id"))
            .filter(f.users.c("age").gt(99))
            .exists(),
    );
    assert_compile(
        &stmt,
        &MySql,
        "SELECT ? AS x WHERE EXISTS (SELECT users.id FROM users WHERE users.age > ?)",
        &vals![1, 99],
    );
}

#[test]
fn set_operations() {
    let f = fixture();
    let a = || select(f.users.c("name")).filter(f.users.c("age").gt(30));
    let b = || select(f.artist.c("Name"));
    let cases = [
        (a().union(b()), "UNION"),
        (a().union_all(b()), "UNION ALL"),
        (a().intersect(b()), "INTERSECT"),
        (a().except(b()), "EXCEPT"),
    ];
    for (stmt, op) in cases {
        assert_all(
            &stmt,
            Golden {
                sqlite: &format!(
                    r#"SELECT users.name FROM users WHERE users.age > ? {op} SELECT "Artist"."Name" FROM "Artist""#
                ),
                postgres: &format!(
                    r#"SELECT users.name FROM users WHERE users.age > $1 {op} SELECT "Artist"."Name" FROM "Artist""#
                ),
                mysql: &format!(
                    "SELECT users.name FROM users WHERE users.age > ? {op} SELECT `Artist`.`Name` FROM `Artist`"
                ),
            },
            &vals![30],
        );
    }
    // The free functions take any number of SELECTs.
    let stmt = union_all([a(), b(), select(f.album.c("Title"))]);
    assert_compile(
        &stmt,
        &Sqlite,
        r#"SELECT users.name FROM users WHERE users.age > ? UNION ALL SELECT "Artist"."Name" FROM "Artist" UNION ALL SELECT "Album"."Title" FROM "Album""#,
        &vals![30],
    );
}

#[test]
fn set_operation_with_order_by_and_limit() {
    let f = fixture();
    let stmt = select(f.users.c("name").label("name"))
        .union(select(f.artist.c("Name")))
        .order_by(f.users.c("name"))
        .limit(5)
        .offset(1);
    assert_all(
        &stmt,
        Golden {
            sqlite: r#"SELECT users.name AS name FROM users UNION SELECT "Artist"."Name" FROM "Artist" ORDER BY name LIMIT ? OFFSET ?"#,
            postgres: r#"SELECT users.name AS name FROM users UNION SELECT "Artist"."Name" FROM "Artist" ORDER BY name LIMIT $1 OFFSET $2"#,
            mysql: "SELECT users.name AS name FROM users UNION SELECT `Artist`.`Name` FROM `Artist` ORDER BY name LIMIT ? OFFSET ?",
        },
        &vals![5, 1],
    );
    // A member with its own LIMIT is parenthesized where the database allows it.
    let stmt = select(f.users.c("name"))
        .order_by(f.users.c("age"))
        .limit(3)
        .union_all(select(f.artist.c("Name")));
    assert_compile(
        &stmt,
        &Postgres,
        r#"(SELECT users.name FROM users ORDER BY users.age LIMIT $1) UNION ALL SELECT "Artist"."Name" FROM "Artist""#,
        &vals![3],
    );
    assert_compile(
        &stmt,
        &MySql,
        "(SELECT users.name FROM users ORDER BY users.age LIMIT ?) UNION ALL SELECT `Artist`.`Name` FROM `Artist`",
        &vals![3],
    );
    // SQLite has no parenthesized members: the member is selected from as a subquery.
    assert_compile(
        &stmt,
        &Sqlite,
        r#"SELECT * FROM (SELECT users.name FROM users ORDER BY users.age LIMIT ?) UNION ALL SELECT "Artist"."Name" FROM "Artist""#,
        &vals![3],
    );
    // Mixed operators nest with parentheses.
    let stmt = select(f.users.c("name"))
        .union(select(f.artist.c("Name")))
        .except(select(f.album.c("Title")));
    assert_compile(
        &stmt,
        &Postgres,
        r#"(SELECT users.name FROM users UNION SELECT "Artist"."Name" FROM "Artist") EXCEPT SELECT "Album"."Title" FROM "Album""#,
        &[],
    );
}

#[test]
fn common_table_expression() {
    let f = fixture();
    let counts = select((f.album.c("ArtistId"), func::count_star().label("n")))
        .filter(f.album.c("Title").ne(""))
        .group_by(f.album.c("ArtistId"))
        .cte("album_counts");
    let stmt = select((f.artist.c("Name"), counts.c("n")))
        .select_from(
            f.artist
                .join_on(&counts, f.artist.c("ArtistId").eq(counts.c("ArtistId"))),
        )
        .filter(counts.c("n").ge(2));
    assert_all(
        &stmt,
        Golden {
            sqlite: r#"WITH album_counts AS (SELECT "Album"."ArtistId", count(*) AS n FROM "Album" WHERE "Album"."Title" != ? GROUP BY "Album"."ArtistId") SELECT "Artist"."Name", album_counts.n FROM "Artist" JOIN album_counts ON "Artist"."ArtistId" = album_counts."ArtistId" WHERE album_counts.n >= ?"#,
            postgres: r#"WITH album_counts AS (SELECT "Album"."ArtistId", count(*) AS n FROM "Album" WHERE "Album"."Title" != $1 GROUP BY "Album"."ArtistId") SELECT "Artist"."Name", album_counts.n FROM "Artist" JOIN album_counts ON "Artist"."ArtistId" = album_counts."ArtistId" WHERE album_counts.n >= $2"#,
            mysql: "WITH album_counts AS (SELECT `Album`.`ArtistId`, count(*) AS n FROM `Album` WHERE `Album`.`Title` != ? GROUP BY `Album`.`ArtistId`) SELECT `Artist`.`Name`, album_counts.n FROM `Artist` JOIN album_counts ON `Artist`.`ArtistId` = album_counts.`ArtistId` WHERE album_counts.n >= ?",
        },
        &vals!["", 2],
    );
}

#[test]
fn recursive_cte() {
    let nums = select(literal(1).label("n")).cte_recursive("nums");
    let step = select((nums.c("n") + 1).label("n")).filter(nums.c("n").lt(5));
    let nums = nums.union_all(step);
    let stmt = select(nums.c("n"));
    assert_all(
        &stmt,
        Golden {
            sqlite: "WITH RECURSIVE nums(n) AS (SELECT ? AS n UNION ALL SELECT nums.n + ? AS n FROM nums WHERE nums.n < ?) SELECT nums.n FROM nums",
            postgres: "WITH RECURSIVE nums(n) AS (SELECT $1::BIGINT AS n UNION ALL SELECT nums.n + $2::BIGINT AS n FROM nums WHERE nums.n < $3) SELECT nums.n FROM nums",
            mysql: "WITH RECURSIVE nums(n) AS (SELECT ? AS n UNION ALL SELECT nums.n + ? AS n FROM nums WHERE nums.n < ?) SELECT nums.n FROM nums",
        },
        &vals![1, 1, 5],
    );
}

#[test]
fn recursive_cte_over_a_table() {
    let md = MetaData::new();
    let emp = Table::build("employee", &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .column(Column::new("boss_id", Type::Integer).foreign_key(ForeignKey::new("employee.id")))
        .finish()
        .expect("employee");
    let chain = select((emp.c("id"), emp.c("boss_id")))
        .filter(emp.c("id").eq(7))
        .cte_recursive("chain");
    let e = emp.alias("e");
    let step = select((e.c("id"), e.c("boss_id")))
        .select_from(e.join_on(&chain, e.c("id").eq(chain.c("boss_id"))));
    let chain = chain.union_all(step);
    let stmt = select(chain.c("id"));
    assert_compile(
        &stmt,
        &Postgres,
        "WITH RECURSIVE chain(id, boss_id) AS (SELECT employee.id, employee.boss_id FROM employee WHERE employee.id = $1 UNION ALL SELECT e.id, e.boss_id FROM employee AS e JOIN chain ON e.id = chain.boss_id) SELECT chain.id FROM chain",
        &vals![7],
    );
}

#[test]
fn cte_aliases() {
    // A CTE reached only through aliases of it is still defined once in the WITH clause, and
    // two aliases of one CTE are two FROM items (a self-join of the CTE).
    let md = MetaData::new();
    let emp = Table::build("employee", &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .column(Column::new("boss_id", Type::Integer))
        .finish()
        .expect("employee");
    let staff = select((emp.c("id"), emp.c("boss_id")))
        .filter(emp.c("id").gt(1))
        .cte("staff");
    let (a, b) = (staff.alias("a"), staff.alias("b"));
    let stmt =
        select((a.c("id"), b.c("id"))).select_from(a.join_on(&b, a.c("boss_id").eq(b.c("id"))));
    assert_compile(
        &stmt,
        &Postgres,
        "WITH staff AS (SELECT employee.id, employee.boss_id FROM employee WHERE employee.id > $1) SELECT a.id, b.id FROM staff AS a JOIN staff AS b ON a.boss_id = b.id",
        &vals![1],
    );
}

#[test]
fn window_functions() {
    let f = fixture();
    let rn = func::row_number().over(
        Window::new()
            .partition_by(f.album.c("ArtistId"))
            .order_by(f.album.c("Title").desc()),
    );
    let stmt = select((f.album.c("Title"), rn));
    assert_all(
        &stmt,
        Golden {
            sqlite: r#"SELECT "Album"."Title", row_number() OVER (PARTITION BY "Album"."ArtistId" ORDER BY "Album"."Title" DESC) AS anon_1 FROM "Album""#,
            postgres: r#"SELECT "Album"."Title", row_number() OVER (PARTITION BY "Album"."ArtistId" ORDER BY "Album"."Title" DESC) AS anon_1 FROM "Album""#,
            mysql: "SELECT `Album`.`Title`, row_number() OVER (PARTITION BY `Album`.`ArtistId` ORDER BY `Album`.`Title` DESC) AS anon_1 FROM `Album`",
        },
        &[],
    );
    let running = func::sum(f.track.c("Milliseconds"))
        .over(
            Window::new()
                .order_by(f.track.c("TrackId"))
                .rows(None, Some(0)),
        )
        .label("running");
    let moving = func::avg(f.track.c("UnitPrice"))
        .over(
            Window::new()
                .order_by(f.track.c("TrackId"))
                .range(Some(-2), Some(2)),
        )
        .label("moving");
    let total = func::count_star().over(Window::new()).label("total");
    let stmt = select((running, moving, total));
    assert_all(
        &stmt,
        Golden {
            sqlite: r#"SELECT sum("Track"."Milliseconds") OVER (ORDER BY "Track"."TrackId" ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running, avg("Track"."UnitPrice") OVER (ORDER BY "Track"."TrackId" RANGE BETWEEN 2 PRECEDING AND 2 FOLLOWING) AS moving, count(*) OVER () AS total FROM "Track""#,
            postgres: r#"SELECT sum("Track"."Milliseconds") OVER (ORDER BY "Track"."TrackId" ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running, avg("Track"."UnitPrice") OVER (ORDER BY "Track"."TrackId" RANGE BETWEEN 2 PRECEDING AND 2 FOLLOWING) AS moving, count(*) OVER () AS total FROM "Track""#,
            mysql: "SELECT sum(`Track`.`Milliseconds`) OVER (ORDER BY `Track`.`TrackId` ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running, avg(`Track`.`UnitPrice`) OVER (ORDER BY `Track`.`TrackId` RANGE BETWEEN 2 PRECEDING AND 2 FOLLOWING) AS moving, count(*) OVER () AS total FROM `Track`",
        },
        &[],
    );
}

#[test]
fn aggregate_filter() {
    let f = fixture();
    let stmt = select(
        func::count_star()
            .filter_where(f.users.c("age").gt(18))
            .label("adults"),
    );
    assert_compile(
        &stmt,
        &Postgres,
        "SELECT count(*) FILTER (WHERE users.age > $1) AS adults FROM users",
        &vals![18],
    );
    assert_compile(
        &stmt,
        &Sqlite,
        "SELECT count(*) FILTER (WHERE users.age > ?) AS adults FROM users",
        &vals![18],
    );
    assert_unsupported(&stmt, &MySql);
}

#[test]
fn row_locks() {
    let f = fixture();
    let stmt = select(f.users.c("id"))
        .filter(f.users.c("id").eq(1))
        .with_for_update();
    assert_all(
        &stmt,
        Golden {
            sqlite: "SELECT users.id FROM users WHERE users.id = ?",
            postgres: "SELECT users.id FROM users WHERE users.id = $1 FOR UPDATE",
            mysql: "SELECT users.id FROM users WHERE users.id = ? FOR UPDATE",
        },
        &vals![1],
    );
    let stmt = select(f.users.c("id")).limit(1).with_lock(ForUpdate {
        read: true,
        ..ForUpdate::default()
    });
    assert_all(
        &stmt,
        Golden {
            sqlite: "SELECT users.id FROM users LIMIT ?",
            postgres: "SELECT users.id FROM users LIMIT $1 FOR SHARE",
            mysql: "SELECT users.id FROM users LIMIT ? LOCK IN SHARE MODE",
        },
        &vals![1],
    );
    let stmt = select(f.users.c("id")).with_lock(ForUpdate {
        skip_locked: true,
        ..ForUpdate::default()
    });
    assert_compile(
        &stmt,
        &Postgres,
        "SELECT users.id FROM users FOR UPDATE SKIP LOCKED",
        &[],
    );
    assert_compile(
        &stmt,
        &MySql,
        "SELECT users.id FROM users FOR UPDATE SKIP LOCKED",
        &[],
    );
}

#[test]
fn schema_qualified_tables() {
    let md = MetaData::new();
    let t = Table::build("Events", &md)
        .schema("audit")
        .column(Column::new("id", Type::Integer).primary_key())
        .finish()
        .expect("table");
    assert_all(
        &select(t.c("id")),
        Golden {
            sqlite: r#"SELECT audit."Events".id FROM audit."Events""#,
            postgres: r#"SELECT audit."Events".id FROM audit."Events""#,
            mysql: "SELECT audit.`Events`.id FROM audit.`Events`",
        },
        &[],
    );
}

/// `compile_with(literal_binds)`: values written through the dialect's escaper, tuple IN
/// grouped, an empty list as the empty set, no parameters left.
#[test]
fn literal_binds_write_every_value_into_the_sql() {
    use athanor_core::compiler::CompileOptions;
    let f = fixture();
    let u = &f.users;
    let stmt = select(u.c("id"))
        .filter(
            u.c("name").eq(r"it's \ok")
                & tuple_([u.c("id"), u.c("age")]).in_([(1, 2.5), (3, 4.0)])
                & u.c("id").not_in(Vec::<i64>::new()),
        )
        .limit(10);
    let lit = |d: &dyn athanor_core::dialect::Dialect| {
        let c = stmt
            .compile_with(d, CompileOptions::literal_binds())
            .expect("compiles");
        assert!(c.params().is_empty());
        c.sql().to_string()
    };
    let head = "SELECT users.id FROM users WHERE users.name = ";
    assert_eq!(
        lit(&Sqlite),
        format!(
            "{head}'it''s \\ok' AND (users.id, users.age) IN ((1, 2.5), (3, 4.0)) AND users.id NOT IN (SELECT 1 WHERE 1!=1) LIMIT 10"
        )
    );
    assert_eq!(
        lit(&MySql),
        format!(
            "{head}'it''s \\\\ok' AND (users.id, users.age) IN ((1, 2.5), (3, 4.0)) AND users.id NOT IN (SELECT 1 FROM DUAL WHERE 1!=1) LIMIT 10"
        )
    );
    // Without the option, compile_with is compile.
    let plain = stmt
        .compile_with(&Postgres, CompileOptions::default())
        .expect("compiles");
    assert_eq!(
        plain.sql(),
        stmt.compile(&Postgres).expect("compiles").sql()
    );
}
