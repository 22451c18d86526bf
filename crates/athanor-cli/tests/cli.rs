//! The `athanor` binary, run as users run it: output snapshots and exit codes.
#![cfg(feature = "sqlite")]

use std::path::Path;
use std::process::{Command, Output};

use serde_json::{Value, json};

#[path = "../../athanor/tests/shared/servers.rs"]
mod servers;

/// Runs `athanor` with `args`.
fn athanor(args: &[&str]) -> Output {
    match Command::new(env!("CARGO_BIN_EXE_athanor"))
        .args(args)
        .output()
    {
        Ok(out) => out,
        Err(e) => panic!("cannot run athanor: {e}"),
    }
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The URL of a SQLite file in `dir` (absolute: `sqlite:////tmp/...`).
fn url_in(dir: &Path, file: &str) -> String {
    format!("sqlite:///{}", dir.join(file).display())
}

fn tempdir() -> tempfile::TempDir {
    match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => panic!("cannot make a temporary directory: {e}"),
    }
}

/// A temporary directory holding `chinook.db`, installed by `athanor chinook`.
fn chinook_db() -> (tempfile::TempDir, String) {
    let dir = tempdir();
    let url = url_in(dir.path(), "chinook.db");
    let out = athanor(&["chinook", &url]);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    (dir, url)
}

/// Exit 1 with exactly one line on stderr, `error: ...`, and nothing on stdout.
fn assert_user_error(out: &Output) -> String {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(1), "stderr: {err}");
    assert_eq!(err.lines().count(), 1, "one line wanted: {err:?}");
    assert!(err.starts_with("error: "), "{err:?}");
    assert!(!err.contains("panicked") && !err.contains("RUST_BACKTRACE"));
    assert_eq!(stdout(out), "");
    err
}

#[test]
fn chinook_installs_then_refuses_to_overwrite_unless_replacing() {
    let (_dir, url) = chinook_db();

    let again = athanor(&["chinook", &url]);
    let err = assert_user_error(&again);
    assert!(
        err.contains("already has Chinook tables") && err.contains("--replace"),
        "{err}"
    );

    let replaced = athanor(&["chinook", &url, "--replace"]);
    assert_eq!(replaced.status.code(), Some(0), "{}", stderr(&replaced));
    let summary = stdout(&replaced);
    let expected = format!("Installed Chinook into {url}: 11 tables, 15607 rows in ");
    assert!(summary.starts_with(&expected), "{summary}");
    assert!(summary.ends_with("s\n") && summary.lines().count() == 1);
    // The progress bar is drawn only on a terminal.
    assert_eq!(stderr(&replaced), "");
}

#[test]
fn reflect_text_shows_one_table_like_psql() {
    let (_dir, url) = chinook_db();
    let out = athanor(&["reflect", &url, "--table", "Album"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "\
Table \"Album\"
 Column   | Type          | Nullable | Default | Key
----------+---------------+----------+---------+-----
 AlbumId  | INTEGER       | not null |         | PK
 Title    | NVARCHAR(160) | not null |         |
 ArtistId | INTEGER       | not null |         |
Primary key: PK_Album (AlbumId)
Foreign keys:
    ArtistId -> Artist(ArtistId)
Indexes:
    IFK_AlbumArtistId (ArtistId)
    IPK_Album UNIQUE (AlbumId)
"
    );
}

#[test]
fn reflect_text_numbers_composite_key_columns_and_separates_tables() {
    let (_dir, url) = chinook_db();
    // Given out of order: printed sorted by name, a blank line between tables.
    let out = athanor(&["reflect", &url, "-t", "PlaylistTrack", "-t", "Genre"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "\
Table \"Genre\"
 Column  | Type          | Nullable | Default | Key
---------+---------------+----------+---------+-----
 GenreId | INTEGER       | not null |         | PK
 Name    | NVARCHAR(120) |          |         |
Primary key: PK_Genre (GenreId)
Indexes:
    IPK_Genre UNIQUE (GenreId)

Table \"PlaylistTrack\"
 Column     | Type    | Nullable | Default | Key
------------+---------+----------+---------+------
 PlaylistId | INTEGER | not null |         | PK 1
 TrackId    | INTEGER | not null |         | PK 2
Primary key: PK_PlaylistTrack (PlaylistId, TrackId)
Foreign keys:
    PlaylistId -> Playlist(PlaylistId)
    TrackId -> Track(TrackId)
Indexes:
    IFK_PlaylistTrackTrackId (TrackId)
    IPK_PlaylistTrack UNIQUE (PlaylistId, TrackId)
"
    );
}

fn reflect_json(args: &[&str]) -> Value {
    let out = athanor(args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    match serde_json::from_slice(&out.stdout) {
        Ok(v) => v,
        Err(e) => panic!("not JSON ({e}): {}", stdout(&out)),
    }
}

#[test]
fn reflect_json_uses_sqlalchemy_inspector_keys() {
    let (_dir, url) = chinook_db();
    let doc = reflect_json(&[
        "reflect", &url, "--table", "Artist", "--table", "Album", "--format", "json",
    ]);
    assert_eq!(
        doc,
        json!({
            "dialect": "sqlite",
            "tables": [
                {
                    "name": "Album",
                    "columns": [
                        {"name": "AlbumId", "type": "INTEGER", "nullable": false,
                         "default": null, "primary_key": true},
                        {"name": "Title", "type": "NVARCHAR(160)", "nullable": false,
                         "default": null, "primary_key": false},
                        {"name": "ArtistId", "type": "INTEGER", "nullable": false,
                         "default": null, "primary_key": false},
                    ],
                    "primary_key": {"name": "PK_Album", "constrained_columns": ["AlbumId"]},
                    "foreign_keys": [
                        {"name": null, "constrained_columns": ["ArtistId"],
                         "referred_table": "Artist", "referred_columns": ["ArtistId"]},
                    ],
                    "indexes": [
                        {"name": "IFK_AlbumArtistId", "column_names": ["ArtistId"], "unique": false},
                        {"name": "IPK_Album", "column_names": ["AlbumId"], "unique": true},
                    ],
                    "unique_constraints": [],
                },
                {
                    "name": "Artist",
                    "columns": [
                        {"name": "ArtistId", "type": "INTEGER", "nullable": false,
                         "default": null, "primary_key": true},
                        {"name": "Name", "type": "NVARCHAR(120)", "nullable": true,
                         "default": null, "primary_key": false},
                    ],
                    "primary_key": {"name": "PK_Artist", "constrained_columns": ["ArtistId"]},
                    "foreign_keys": [],
                    "indexes": [
                        {"name": "IPK_Artist", "column_names": ["ArtistId"], "unique": true},
                    ],
                    "unique_constraints": [],
                },
            ],
        })
    );
}

#[test]
fn reflect_json_covers_every_table_sorted_by_name() {
    let (_dir, url) = chinook_db();
    let doc = reflect_json(&["reflect", &url, "--format", "json"]);
    let names: Vec<&str> = doc["tables"]
        .as_array()
        .map(|ts| ts.iter().filter_map(|t| t["name"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        names,
        [
            "Album",
            "Artist",
            "Customer",
            "Employee",
            "Genre",
            "Invoice",
            "InvoiceLine",
            "MediaType",
            "Playlist",
            "PlaylistTrack",
            "Track",
        ]
    );
    // Every table has every key, and a column's primary_key is a bool.
    for t in doc["tables"].as_array().into_iter().flatten() {
        let keys: Vec<&str> = t
            .as_object()
            .map(|o| o.keys().map(String::as_str).collect())
            .unwrap_or_default();
        assert_eq!(
            keys.len(),
            6,
            "{keys:?} (name, columns, primary_key, foreign_keys, indexes, unique_constraints)"
        );
        for c in t["columns"].as_array().into_iter().flatten() {
            assert!(c["primary_key"].is_boolean(), "{c}");
        }
    }
    let track = &doc["tables"][10];
    assert_eq!(track["foreign_keys"].as_array().map(Vec::len), Some(3));
}

#[test]
fn reflect_text_of_an_empty_database_says_so() {
    let dir = tempdir();
    let url = url_in(dir.path(), "empty.db");
    // An empty file is an empty SQLite database.
    if let Err(e) = std::fs::write(dir.path().join("empty.db"), b"") {
        panic!("cannot write empty.db: {e}");
    }
    let out = athanor(&["reflect", &url]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "No tables found.\n");
    let doc = reflect_json(&["reflect", &url, "--format", "json"]);
    assert_eq!(doc, json!({"dialect": "sqlite", "tables": []}));
}

#[test]
fn an_unknown_table_is_one_error_line_and_prints_nothing_else() {
    let (_dir, url) = chinook_db();
    // Album exists, but nothing is printed when any table asked for does not.
    let out = athanor(&["reflect", &url, "-t", "Album", "-t", "Albums"]);
    assert_eq!(assert_user_error(&out), "error: no such table: Albums\n");
}

#[test]
fn bad_urls_and_missing_databases_are_one_error_line() {
    let out = athanor(&["reflect", "not a url"]);
    let err = assert_user_error(&out);
    assert!(err.contains("could not parse database URL"), "{err}");

    let out = athanor(&["reflect", "oracle://scott@localhost/db"]);
    let err = assert_user_error(&out);
    assert!(err.contains("unknown dialect 'oracle'"), "{err}");

    // reflect does not create a SQLite file it was asked to read.
    let dir = tempdir();
    let missing = dir.path().join("missing.db");
    let url = url_in(dir.path(), "missing.db");
    let out = athanor(&["reflect", &url]);
    assert_eq!(
        assert_user_error(&out),
        format!(
            "error: no SQLite database file at '{}'\n",
            missing.display()
        )
    );
    assert!(!missing.exists());

    // chinook creates the file, but not a directory.
    let url = url_in(&dir.path().join("no/such/dir"), "x.db");
    let err = assert_user_error(&athanor(&["chinook", &url]));
    assert!(
        err.starts_with(&format!("error: cannot connect to {url}: ")),
        "{err}"
    );
}

#[test]
fn bad_url_options_are_one_error_line_not_a_panic() {
    for (url, wanted) in [
        (
            "sqlite://?pool_timeout=inf",
            "error: argument error: pool_timeout=inf in the URL: inf seconds is not a timeout",
        ),
        (
            "sqlite://?pool_timeout=1e300",
            "error: argument error: pool_timeout=1e300 in the URL: 1e300 seconds is not a timeout",
        ),
        (
            "sqlite://?pool_timeout=-1",
            "error: argument error: pool_timeout=-1 in the URL: -1 seconds is not a timeout",
        ),
        (
            "sqlite://?pool_timout=5",
            "error: argument error: unknown option 'pool_timout' in the database URL",
        ),
    ] {
        let err = assert_user_error(&athanor(&["reflect", url]));
        assert!(err.starts_with(wanted), "{url}: {err}");
    }
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &["reflect", "sqlite://", "--bogus"][..],
        &["reflect"],
        &["reflect", "sqlite://", "--format", "yaml"],
        &["frobnicate"],
        &[],
    ] {
        let out = athanor(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(!stderr(&out).contains("panicked"));
    }
    let help = athanor(&["reflect", "--help"]);
    assert_eq!(help.status.code(), Some(0));
    assert!(stdout(&help).contains("--format <FORMAT>"));
}

#[cfg(any(feature = "postgres", feature = "mysql"))]
/// `athanor chinook` then `athanor reflect` on a server: Chinook installs, and the reflected
/// Album table reads back with the server's own type names.
fn chinook_and_reflect_on(db: Option<servers::ServerDb>, int_type: &str, title_type: &str) {
    let Some(db) = db else { return };
    let out = athanor(&["chinook", &db.url]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("11 tables, 15607 rows"),
        "{}",
        stdout(&out)
    );
    // A second install is refused without --replace.
    assert_user_error(&athanor(&["chinook", &db.url]));
    let json = reflect_json(&["reflect", &db.url, "--table", "Album", "--format", "json"]);
    let album = &json["tables"][0];
    assert_eq!(album["name"], "Album");
    let cols: Vec<(String, String, bool)> = album["columns"]
        .as_array()
        .map(|c| {
            c.iter()
                .map(|c| {
                    (
                        c["name"].as_str().unwrap_or_default().to_string(),
                        c["type"].as_str().unwrap_or_default().to_string(),
                        c["primary_key"].as_bool().unwrap_or_default(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        cols,
        [
            ("AlbumId".to_string(), int_type.to_string(), true),
            ("Title".to_string(), title_type.to_string(), false),
            ("ArtistId".to_string(), int_type.to_string(), false),
        ]
    );
    assert_eq!(album["foreign_keys"][0]["referred_table"], "Artist");
    let names: Vec<&str> = album["indexes"]
        .as_array()
        .map(|i| i.iter().filter_map(|i| i["name"].as_str()).collect())
        .unwrap_or_default();
    assert!(
        names.contains(&"IFK_AlbumArtistId") && names.contains(&"IPK_Album"),
        "{names:?}"
    );
    // An unknown table is one error line on every database.
    assert_user_error(&athanor(&["reflect", &db.url, "--table", "Nope"]));
}

#[cfg(feature = "postgres")]
#[test]
fn chinook_and_reflect_on_postgresql() {
    chinook_and_reflect_on(
        servers::postgres("cli_chinook_and_reflect"),
        "integer",
        "character varying(160)",
    );
}

#[cfg(feature = "mysql")]
#[test]
fn chinook_and_reflect_on_mysql() {
    chinook_and_reflect_on(
        servers::mysql("cli_chinook_and_reflect"),
        "int(11)",
        "varchar(160)",
    );
}
