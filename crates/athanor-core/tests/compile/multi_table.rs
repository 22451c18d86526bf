//! UPDATE and DELETE whose WHERE clause (or SET values) name other tables: `UPDATE ... FROM`,
//! `DELETE ... USING`, and MySQL's multi-table forms, as SQLAlchemy renders them.

use athanor_core::dialect::{MySql, Postgres, Sqlite};
use athanor_core::prelude::*;

use crate::{Golden, assert_all, assert_compile, assert_unsupported, fixture};

#[test]
fn update_whose_where_names_another_table_lists_it() {
    let f = fixture();
    let (track, album) = (&f.track, &f.album);
    let stmt = track
        .update()
        .set("UnitPrice", 1.29)
        .filter(track.c("AlbumId").eq(album.c("AlbumId")))
        .filter(album.c("Title").eq("Facelift"));
    assert_all(
        &stmt,
        Golden {
            sqlite: r#"UPDATE "Track" SET "UnitPrice" = ? FROM "Album" WHERE "Track"."AlbumId" = "Album"."AlbumId" AND "Album"."Title" = ?"#,
            postgres: r#"UPDATE "Track" SET "UnitPrice" = $1 FROM "Album" WHERE "Track"."AlbumId" = "Album"."AlbumId" AND "Album"."Title" = $2"#,
            mysql: "UPDATE `Track`, `Album` SET `Track`.`UnitPrice` = ? WHERE `Track`.`AlbumId` = `Album`.`AlbumId` AND `Album`.`Title` = ?",
        },
        &vals![1.29, "Facelift"],
    );
}

#[test]
fn update_whose_set_value_names_another_table_lists_it() {
    let f = fixture();
    let (track, album) = (&f.track, &f.album);
    let stmt = track
        .update()
        .set("Name", album.c("Title"))
        .filter(track.c("AlbumId").eq(album.c("AlbumId")));
    assert_all(
        &stmt,
        Golden {
            sqlite: r#"UPDATE "Track" SET "Name" = "Album"."Title" FROM "Album" WHERE "Track"."AlbumId" = "Album"."AlbumId""#,
            postgres: r#"UPDATE "Track" SET "Name" = "Album"."Title" FROM "Album" WHERE "Track"."AlbumId" = "Album"."AlbumId""#,
            mysql: "UPDATE `Track`, `Album` SET `Track`.`Name` = `Album`.`Title` WHERE `Track`.`AlbumId` = `Album`.`AlbumId`",
        },
        &[],
    );
}

#[test]
fn a_subquery_in_the_where_clause_stays_correlated() {
    let f = fixture();
    let (track, album) = (&f.track, &f.album);
    let stmt = track.update().set("UnitPrice", 0.99).filter(
        track
            .c("AlbumId")
            .in_select(select(album.c("AlbumId")).filter(album.c("ArtistId").eq(1))),
    );
    assert_all(
        &stmt,
        Golden {
            sqlite: r#"UPDATE "Track" SET "UnitPrice" = ? WHERE "Track"."AlbumId" IN (SELECT "Album"."AlbumId" FROM "Album" WHERE "Album"."ArtistId" = ?)"#,
            postgres: r#"UPDATE "Track" SET "UnitPrice" = $1 WHERE "Track"."AlbumId" IN (SELECT "Album"."AlbumId" FROM "Album" WHERE "Album"."ArtistId" = $2)"#,
            mysql: "UPDATE `Track` SET `UnitPrice` = ? WHERE `Track`.`AlbumId` IN (SELECT `Album`.`AlbumId` FROM `Album` WHERE `Album`.`ArtistId` = ?)",
        },
        &vals![0.99, 1],
    );
}

#[test]
fn delete_whose_where_names_another_table_uses_using() {
    let f = fixture();
    let (track, album) = (&f.track, &f.album);
    let stmt = track
        .delete()
        .filter(track.c("AlbumId").eq(album.c("AlbumId")))
        .filter(album.c("Title").eq("Facelift"));
    assert_compile(
        &stmt,
        &Postgres,
        r#"DELETE FROM "Track" USING "Album" WHERE "Track"."AlbumId" = "Album"."AlbumId" AND "Album"."Title" = $1"#,
        &vals!["Facelift"],
    );
    assert_compile(
        &stmt,
        &MySql,
        "DELETE FROM `Track` USING `Track`, `Album` WHERE `Track`.`AlbumId` = `Album`.`AlbumId` AND `Album`.`Title` = ?",
        &vals!["Facelift"],
    );
    // SQLite has no multi-table DELETE (SQLAlchemy refuses it too): say so, not bad SQL.
    assert_unsupported(&stmt, &Sqlite);
    let e = crate::compile_error(&stmt, &Sqlite).to_string();
    assert!(e.contains(r#""Album""#) || e.contains("Album"), "{e}");
    assert!(e.contains("in_select"), "{e}");
}

#[test]
fn an_update_of_one_table_is_unchanged() {
    let f = fixture();
    let stmt = f.users.update().set("age", 3).filter(f.users.c("id").eq(1));
    let sql = "UPDATE users SET age = ? WHERE users.id = ?";
    assert_compile(&stmt, &Sqlite, sql, &vals![3, 1]);
    assert_compile(&stmt, &MySql, sql, &vals![3, 1]);
}

/// MariaDB's RETURNING belongs to the single-table DELETE only: a multi-table one with
/// RETURNING is refused when compiled (as SQLAlchemy refuses RETURNING with DELETE..USING where
/// the dialect lacks it), not sent as SQL the server rejects. PostgreSQL has it.
#[test]
fn returning_on_a_multi_table_delete_is_refused_on_mariadb() {
    let f = fixture();
    let (track, album) = (&f.track, &f.album);
    let stmt = track
        .delete()
        .filter(track.c("AlbumId").eq(album.c("AlbumId")))
        .returning(track.c("TrackId"));
    assert_compile(
        &stmt,
        &Postgres,
        r#"DELETE FROM "Track" USING "Album" WHERE "Track"."AlbumId" = "Album"."AlbumId" RETURNING "Track"."TrackId""#,
        &[],
    );
    let mariadb = MySql {
        returning: true,
        ..MySql
    };
    assert_unsupported(&stmt, &mariadb);
    let e = crate::compile_error(&stmt, &mariadb).to_string();
    assert!(e.contains("RETURNING") && e.contains("in_select"), "{e}");
    // One table: RETURNING as before.
    let one = track
        .delete()
        .filter(track.c("AlbumId").eq(1))
        .returning(track.c("TrackId"));
    assert_compile(
        &one,
        &mariadb,
        "DELETE FROM `Track` WHERE `Track`.`AlbumId` = ? RETURNING `Track`.`TrackId`",
        &vals![1],
    );
}
