//! The eager-loading workloads (issue 15) for Diesel and the raw drivers of the peers' process:
//! `orm_eager_nested` (users → posts → comments) and `orm_eager_chinook` (Chinook's artists →
//! albums → tracks → genre), as `crates/athanor-bench/src/eager.rs` runs them for Athanor.
//!
//! Diesel loads each level with `belonging_to` (all parents of the level at once) and nests
//! with `grouped_by`; the track's genre (a many-to-one) with `eq_any` of the distinct keys.
//! SeaORM (`seaorm`) uses its loader, `load_many` / `load_one`. The raw drivers send the same
//! statements by hand, `IN` lists of at most [`IN_CHUNK`] keys.

use std::collections::HashMap;
use std::rc::Rc;

use diesel::deserialize::{self, FromSql};
use diesel::sql_types::{Double, Numeric};

use super::{Comment, Nested, Post, User, assemble};

pub mod seaorm;

/// The most keys in one `IN` list (the raw drivers'; Diesel sends one list per level).
pub const IN_CHUNK: usize = 500;

pub mod schema {
    diesel::table! {
        #[sql_name = "Artist"]
        artist (id) {
            #[sql_name = "ArtistId"] id -> Integer,
            #[sql_name = "Name"] name -> Nullable<Text>,
        }
    }
    diesel::table! {
        #[sql_name = "Album"]
        album (id) {
            #[sql_name = "AlbumId"] id -> Integer,
            #[sql_name = "Title"] title -> Text,
            #[sql_name = "ArtistId"] artist_id -> Integer,
        }
    }
    diesel::table! {
        #[sql_name = "Genre"]
        genre (id) {
            #[sql_name = "GenreId"] id -> Integer,
            #[sql_name = "Name"] name -> Nullable<Text>,
        }
    }
    diesel::table! {
        #[sql_name = "Track"]
        track (id) {
            #[sql_name = "TrackId"] id -> Integer,
            #[sql_name = "Name"] name -> Text,
            #[sql_name = "AlbumId"] album_id -> Nullable<Integer>,
            #[sql_name = "MediaTypeId"] media_type_id -> Integer,
            #[sql_name = "GenreId"] genre_id -> Nullable<Integer>,
            #[sql_name = "Composer"] composer -> Nullable<Text>,
            #[sql_name = "Milliseconds"] milliseconds -> Integer,
            #[sql_name = "Bytes"] bytes -> Nullable<Integer>,
            #[sql_name = "UnitPrice"] unit_price -> Numeric,
        }
    }
    diesel::joinable!(album -> artist (artist_id));
    diesel::joinable!(track -> album (album_id));
    diesel::joinable!(track -> genre (genre_id));
    diesel::allow_tables_to_appear_in_same_query!(artist, album, genre, track);
}
use schema::*;

/// `NUMERIC(10, 2)` as `rust_decimal::Decimal`: PostgreSQL's exact value, SQLite's REAL (the
/// nearest decimal, as Athanor reads it).
#[derive(Debug, Clone, Copy, PartialEq, diesel::deserialize::FromSqlRow)]
pub struct Price(pub rust_decimal::Decimal);

impl Price {
    /// SQLite's REAL as the shortest decimal that is the same `f64` (`0.99`), as Athanor's
    /// driver and the suite's raw cell read it (about half the cost of rust_decimal's
    /// `Decimal::try_from(f64)`, which SeaORM uses).
    pub fn of_real(f: f64) -> Price {
        Price(
            rust_decimal::Decimal::from_str_exact(&f.to_string())
                .unwrap_or_else(|_| rust_decimal::Decimal::try_from(f).unwrap()),
        )
    }
}

impl FromSql<Numeric, diesel::sqlite::Sqlite> for Price {
    fn from_sql(v: diesel::sqlite::SqliteValue<'_, '_, '_>) -> deserialize::Result<Self> {
        let f = <f64 as FromSql<Double, diesel::sqlite::Sqlite>>::from_sql(v)?;
        Ok(Price::of_real(f))
    }
}

impl FromSql<Numeric, diesel::pg::Pg> for Price {
    fn from_sql(v: diesel::pg::PgValue<'_>) -> deserialize::Result<Self> {
        Ok(Price(<rust_decimal::Decimal as FromSql<
            Numeric,
            diesel::pg::Pg,
        >>::from_sql(v)?))
    }
}

#[derive(Debug, Clone, PartialEq, diesel::Queryable, diesel::Identifiable)]
#[diesel(table_name = artist)]
pub struct Artist {
    pub id: i32,
    pub name: Option<String>,
}

#[derive(
    Debug, Clone, PartialEq, diesel::Queryable, diesel::Identifiable, diesel::Associations,
)]
#[diesel(belongs_to(Artist), table_name = album)]
pub struct Album {
    pub id: i32,
    pub title: String,
    pub artist_id: i32,
}

#[derive(Debug, Clone, PartialEq, diesel::Queryable, diesel::Identifiable)]
#[diesel(table_name = genre)]
pub struct Genre {
    pub id: i32,
    pub name: Option<String>,
}

#[derive(
    Debug, Clone, PartialEq, diesel::Queryable, diesel::Identifiable, diesel::Associations,
)]
#[diesel(belongs_to(Album), table_name = track)]
pub struct Track {
    pub id: i32,
    pub name: String,
    pub album_id: Option<i32>,
    pub media_type_id: i32,
    pub genre_id: Option<i32>,
    pub composer: Option<String>,
    pub milliseconds: i32,
    pub bytes: Option<i32>,
    pub unit_price: Price,
}

/// Artists with their albums with their tracks, each track with its genre (loaded once,
/// shared by its tracks).
pub type Tree = Vec<(Artist, Vec<(Album, Vec<(Track, Option<Rc<Genre>>)>)>)>;

/// The tree with every level in key order (no level is ordered by SQL).
pub fn sorted_tree(mut v: Tree) -> Tree {
    v.sort_by_key(|(a, _)| a.id);
    for (_, albums) in &mut v {
        albums.sort_by_key(|(a, _)| a.id);
        for (_, tracks) in albums {
            tracks.sort_by_key(|(t, _)| t.id);
        }
    }
    v
}

/// Rows at each level: (artists, albums, tracks, distinct genres).
pub fn counts(v: &Tree) -> (usize, usize, usize, usize) {
    let mut genres = std::collections::BTreeSet::new();
    let (mut albums, mut tracks) = (0, 0);
    for (_, al) in v {
        albums += al.len();
        for (_, tr) in al {
            tracks += tr.len();
            genres.extend(tr.iter().filter_map(|(_, g)| g.as_ref().map(|g| g.id)));
        }
    }
    (v.len(), albums, tracks, genres.len())
}

fn distinct(keys: impl Iterator<Item = Option<i32>>) -> Vec<i32> {
    let mut seen = std::collections::HashSet::new();
    keys.flatten().filter(|k| seen.insert(*k)).collect()
}

fn with_genres(tracks: Vec<Track>, genres: Vec<Genre>) -> Vec<(Track, Option<Rc<Genre>>)> {
    let by_id: HashMap<i32, Rc<Genre>> = genres.into_iter().map(|g| (g.id, Rc::new(g))).collect();
    tracks
        .into_iter()
        .map(|t| {
            let g = t.genre_id.and_then(|id| by_id.get(&id).cloned());
            (t, g)
        })
        .collect()
}

/// Chinook's five tables (as `athanor::chinook::metadata()` defines them, the foreign-key
/// indexes included) and their shipped rows (`crates/athanor/data/chinook.json.gz`), as SQL
/// that SQLite and PostgreSQL both run.
pub fn chinook_sql() -> String {
    use std::io::Read;
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../crates/athanor/data/chinook.json.gz"
    );
    let mut json = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(path).unwrap())
        .read_to_string(&mut json)
        .unwrap();
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    let mut sql = String::from(
        r#"DROP TABLE IF EXISTS "Track"; DROP TABLE IF EXISTS "Album"; DROP TABLE IF EXISTS "Artist";
        DROP TABLE IF EXISTS "Genre"; DROP TABLE IF EXISTS "MediaType";
        CREATE TABLE "Artist" ("ArtistId" INTEGER NOT NULL, "Name" VARCHAR(120), CONSTRAINT "PK_Artist" PRIMARY KEY ("ArtistId"));
        CREATE TABLE "Album" ("AlbumId" INTEGER NOT NULL, "Title" VARCHAR(160) NOT NULL,
            "ArtistId" INTEGER NOT NULL REFERENCES "Artist" ("ArtistId"), CONSTRAINT "PK_Album" PRIMARY KEY ("AlbumId"));
        CREATE INDEX "IFK_AlbumArtistId" ON "Album" ("ArtistId");
        CREATE TABLE "Genre" ("GenreId" INTEGER NOT NULL, "Name" VARCHAR(120), CONSTRAINT "PK_Genre" PRIMARY KEY ("GenreId"));
        CREATE TABLE "MediaType" ("MediaTypeId" INTEGER NOT NULL, "Name" VARCHAR(120), CONSTRAINT "PK_MediaType" PRIMARY KEY ("MediaTypeId"));
        CREATE TABLE "Track" ("TrackId" INTEGER NOT NULL, "Name" VARCHAR(200) NOT NULL,
            "AlbumId" INTEGER REFERENCES "Album" ("AlbumId"),
            "MediaTypeId" INTEGER NOT NULL REFERENCES "MediaType" ("MediaTypeId"),
            "GenreId" INTEGER REFERENCES "Genre" ("GenreId"), "Composer" VARCHAR(220),
            "Milliseconds" INTEGER NOT NULL, "Bytes" INTEGER, "UnitPrice" NUMERIC(10, 2) NOT NULL,
            CONSTRAINT "PK_Track" PRIMARY KEY ("TrackId"));
        CREATE INDEX "IFK_TrackAlbumId" ON "Track" ("AlbumId");
        CREATE INDEX "IFK_TrackGenreId" ON "Track" ("GenreId");
        CREATE INDEX "IFK_TrackMediaTypeId" ON "Track" ("MediaTypeId");
        "#,
    );
    let literal = |v: &serde_json::Value| match v {
        serde_json::Value::Null => "NULL".to_string(),
        serde_json::Value::Number(n) => n.to_string(),
        serde_json::Value::String(s) => format!("'{}'", s.replace('\'', "''")),
        other => panic!("unexpected Chinook value {other}"),
    };
    for name in ["Artist", "Album", "Genre", "MediaType", "Track"] {
        let t = doc["tables"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["name"] == name)
            .unwrap();
        let cols: Vec<String> = t["columns"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| format!("\"{}\"", c.as_str().unwrap()))
            .collect();
        for chunk in t["rows"].as_array().unwrap().chunks(500) {
            let rows: Vec<String> = chunk
                .iter()
                .map(|r| {
                    let cells: Vec<String> = r.as_array().unwrap().iter().map(literal).collect();
                    format!("({})", cells.join(", "))
                })
                .collect();
            sql += &format!(
                "INSERT INTO \"{name}\" ({}) VALUES {};\n",
                cols.join(", "),
                rows.join(", ")
            );
        }
    }
    sql
}

/// Diesel's Chinook tree, one module per connection type.
macro_rules! diesel_chinook {
    ($m:ident, $conn:ty) => {
        pub mod $m {
            use super::*;
            use diesel::prelude::*;

            pub fn chinook(c: &mut $conn) -> Tree {
                let artists = artist::table.load::<Artist>(c).unwrap();
                let albums = Album::belonging_to(&artists).load::<Album>(c).unwrap();
                let tracks = Track::belonging_to(&albums).load::<Track>(c).unwrap();
                let ids = distinct(tracks.iter().map(|t| t.genre_id));
                let genres = genre::table
                    .filter(genre::id.eq_any(ids))
                    .load::<Genre>(c)
                    .unwrap();
                let tracks = with_genres(tracks, genres).grouped_by(&albums);
                let albums = albums.into_iter().zip(tracks).grouped_by(&artists);
                artists.into_iter().zip(albums).collect()
            }
        }
    };
}
diesel_chinook!(diesel_sqlite, diesel::SqliteConnection);
diesel_chinook!(diesel_pg, diesel::PgConnection);

const ARTISTS: &str = r#"SELECT "Artist"."ArtistId", "Artist"."Name" FROM "Artist""#;
const ALBUMS: &str = r#"SELECT "Album"."AlbumId", "Album"."Title", "Album"."ArtistId" FROM "Album" WHERE "Album"."ArtistId" IN "#;
const TRACKS: &str = r#"SELECT "Track"."TrackId", "Track"."Name", "Track"."AlbumId", "Track"."MediaTypeId", "Track"."GenreId", "Track"."Composer", "Track"."Milliseconds", "Track"."Bytes", "Track"."UnitPrice" FROM "Track" WHERE "Track"."AlbumId" IN "#;
const GENRES: &str =
    r#"SELECT "Genre"."GenreId", "Genre"."Name" FROM "Genre" WHERE "Genre"."GenreId" IN "#;
const POSTS: &str =
    "SELECT posts.id, posts.user_id, posts.title, posts.body FROM posts WHERE posts.user_id IN ";
const COMMENTS: &str =
    "SELECT comments.id, comments.post_id, comments.text FROM comments WHERE comments.post_id IN ";

/// `(?, ?, ...)` or `($1, $2, ...)`, `n` parameters.
fn list(n: usize, pg: bool) -> String {
    let ps: Vec<String> = (1..=n)
        .map(|i| if pg { format!("${i}") } else { "?".into() })
        .collect();
    format!("({})", ps.join(", "))
}

/// The raw rusqlite trees, the peers' SQLite build (the suite's raw code on it).
pub mod raw_sqlite {
    use super::*;
    use crate::rusqlite_rows::{comment, post, user};

    /// `head (<chunk>)` for each chunk of `keys`, rows appended.
    fn run_in<T>(
        c: &rusqlite::Connection,
        head: &str,
        keys: &[i32],
        f: impl Fn(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    ) -> Vec<T> {
        let mut out = Vec::new();
        for chunk in keys.chunks(IN_CHUNK) {
            let sql = format!("{head}{}", list(chunk.len(), false));
            let mut st = c.prepare_cached(&sql).unwrap();
            let rows = st
                .query_map(rusqlite::params_from_iter(chunk.iter()), |r| f(r))
                .unwrap();
            out.extend(rows.map(|r| r.unwrap()));
        }
        out
    }

    pub fn nested(c: &mut rusqlite::Connection) -> Nested {
        let mut st = c
            .prepare_cached("SELECT users.id, users.name, users.hair_color FROM users")
            .unwrap();
        let us: Vec<User> = st
            .query_map([], user)
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        drop(st);
        let ids: Vec<i32> = us.iter().map(|u| u.id).collect();
        let ps: Vec<Post> = run_in(c, POSTS, &ids, |r| post(r, 0));
        let ids: Vec<i32> = ps.iter().map(|p| p.id).collect();
        let cs: Vec<Comment> = run_in(c, COMMENTS, &ids, comment);
        let ps = assemble(ps, cs, |p| p.id, |c| c.post_id);
        assemble(us, ps, |u| u.id, |(p, _)| p.user_id)
    }

    pub fn chinook(c: &mut rusqlite::Connection) -> Tree {
        let mut st = c.prepare_cached(ARTISTS).unwrap();
        let artists: Vec<Artist> = st
            .query_map([], |r| {
                Ok(Artist {
                    id: r.get(0)?,
                    name: r.get(1)?,
                })
            })
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        drop(st);
        let ids: Vec<i32> = artists.iter().map(|a| a.id).collect();
        let albums = run_in(c, ALBUMS, &ids, |r| {
            Ok(Album {
                id: r.get(0)?,
                title: r.get(1)?,
                artist_id: r.get(2)?,
            })
        });
        let ids: Vec<i32> = albums.iter().map(|a| a.id).collect();
        let tracks = run_in(c, TRACKS, &ids, |r| {
            Ok(Track {
                id: r.get(0)?,
                name: r.get(1)?,
                album_id: r.get(2)?,
                media_type_id: r.get(3)?,
                genre_id: r.get(4)?,
                composer: r.get(5)?,
                milliseconds: r.get(6)?,
                bytes: r.get(7)?,
                unit_price: Price::of_real(r.get::<_, f64>(8)?),
            })
        });
        let ids = distinct(tracks.iter().map(|t| t.genre_id));
        let genres = run_in(c, GENRES, &ids, |r| {
            Ok(Genre {
                id: r.get(0)?,
                name: r.get(1)?,
            })
        });
        let tracks = with_genres(tracks, genres);
        let albums = assemble(
            albums,
            tracks,
            |a| a.id,
            |(t, _)| t.album_id.unwrap_or(i32::MIN),
        );
        assemble(artists, albums, |a| a.id, |(al, _)| al.artist_id)
    }
}

/// The raw `postgres` trees (each SQL text prepared once per connection, as the suite's).
pub mod raw_pg {
    use super::*;
    use crate::raw_pg::Conn;
    use postgres::types::ToSql;

    fn run_in<T>(
        c: &mut Conn,
        head: &str,
        keys: &[i32],
        f: impl Fn(&postgres::Row) -> T,
    ) -> Vec<T> {
        let mut out = Vec::new();
        for chunk in keys.chunks(IN_CHUNK) {
            let sql = format!("{head}{}", list(chunk.len(), true));
            let ps: Vec<&(dyn ToSql + Sync)> = chunk.iter().map(|k| k as _).collect();
            out.extend(c.rows(&sql, &ps, &f));
        }
        out
    }

    pub fn nested(c: &mut Conn) -> Nested {
        let us: Vec<User> = c.rows(
            "SELECT users.id, users.name, users.hair_color FROM users",
            &[],
            |r| User {
                id: r.get(0),
                name: r.get(1),
                hair_color: r.get(2),
            },
        );
        let ids: Vec<i32> = us.iter().map(|u| u.id).collect();
        let ps = run_in(c, POSTS, &ids, |r| Post {
            id: r.get(0),
            user_id: r.get(1),
            title: r.get(2),
            body: r.get(3),
        });
        let ids: Vec<i32> = ps.iter().map(|p| p.id).collect();
        let cs = run_in(c, COMMENTS, &ids, |r| Comment {
            id: r.get(0),
            post_id: r.get(1),
            text: r.get(2),
        });
        let ps = assemble(ps, cs, |p| p.id, |c| c.post_id);
        assemble(us, ps, |u| u.id, |(p, _)| p.user_id)
    }

    pub fn chinook(c: &mut Conn) -> Tree {
        let artists: Vec<Artist> = c.rows(ARTISTS, &[], |r| Artist {
            id: r.get(0),
            name: r.get(1),
        });
        let ids: Vec<i32> = artists.iter().map(|a| a.id).collect();
        let albums = run_in(c, ALBUMS, &ids, |r| Album {
            id: r.get(0),
            title: r.get(1),
            artist_id: r.get(2),
        });
        let ids: Vec<i32> = albums.iter().map(|a| a.id).collect();
        let tracks = run_in(c, TRACKS, &ids, |r| Track {
            id: r.get(0),
            name: r.get(1),
            album_id: r.get(2),
            media_type_id: r.get(3),
            genre_id: r.get(4),
            composer: r.get(5),
            milliseconds: r.get(6),
            bytes: r.get(7),
            unit_price: Price(r.get(8)),
        });
        let ids = distinct(tracks.iter().map(|t| t.genre_id));
        let genres = run_in(c, GENRES, &ids, |r| Genre {
            id: r.get(0),
            name: r.get(1),
        });
        let tracks = with_genres(tracks, genres);
        let albums = assemble(
            albums,
            tracks,
            |a| a.id,
            |(t, _)| t.album_id.unwrap_or(i32::MIN),
        );
        assemble(artists, albums, |a| a.id, |(al, _)| al.artist_id)
    }
}
