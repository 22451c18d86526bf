//! The eager-loading workloads (issue 15): a tree of related rows loaded one statement per level,
//! children fetched for *all* parents of a level at once with `IN` lists of at most
//! [`IN_CHUNK`] keys (SQLAlchemy's `selectinload`), and assembled under their parents.
//!
//! | workload | the tree |
//! |---|---|
//! | `orm_eager_nested` | the suite's 100 users → 10 posts each → 10 comments each (1 100 + 10 000 rows) |
//! | `orm_eager_chinook` | every Chinook artist → albums → tracks → genre (275 / 347 / 3 503 / 25 rows) |
//!
//! This module holds the records, the Chinook tables and their data, the raw drivers' cells
//! (hand-written batched SQL, read by index) and Athanor Core's statements; the Athanor ORM cells
//! are in [`crate::orm`] (`athanor_orm_eager_*`). Every implementation returns the same tree;
//! [`sorted_nested`] and [`sorted_chinook`] put two trees in one order for comparison (no level
//! is ordered by SQL, as in Diesel's benchmark and a `selectinload` without `order_by`).

use std::collections::HashMap;
use std::rc::Rc;

use athanor::RowValues;
use athanor::prelude::*;
use mysql::prelude::Queryable;
use rust_decimal::Decimal;

use crate::{Comment, Nested, Post, Raw, Tables, User, assemble, pg_prepare};

/// The most keys in one `IN` list (the selectin chunk; the ORM loader uses the same).
pub const IN_CHUNK: usize = 500;

// ---- Chinook records -------------------------------------------------------------------------

/// A row of Chinook's `Artist`.
#[derive(Debug, Clone, PartialEq)]
pub struct Artist {
    pub id: i64,
    pub name: Option<String>,
}

/// A row of `Album`.
#[derive(Debug, Clone, PartialEq)]
pub struct Album {
    pub id: i64,
    pub title: String,
    pub artist_id: i64,
}

/// A row of `Track` (every column, as an ORM loads the whole object).
#[derive(Debug, Clone, PartialEq)]
pub struct Track {
    pub id: i64,
    pub name: String,
    pub album_id: Option<i64>,
    pub media_type_id: i64,
    pub genre_id: Option<i64>,
    pub composer: Option<String>,
    pub milliseconds: i64,
    pub bytes: Option<i64>,
    pub unit_price: Decimal,
}

/// A row of `Genre`.
#[derive(Debug, Clone, PartialEq)]
pub struct Genre {
    pub id: i64,
    pub name: Option<String>,
}

/// Artists with their albums with their tracks, each track with its genre. A genre is loaded
/// once and shared by its tracks (as an identity map shares one object).
pub type ChinookTree = Vec<(Artist, Vec<(Album, Vec<(Track, Option<Rc<Genre>>)>)>)>;

/// Records map straight from a result's values, as in `workloads`.
macro_rules! from_row {
    ($t:ident { $($f:ident : $i:literal),+ }) => {
        impl FromRow for $t {
            fn from_row(r: &Row) -> athanor::Result<Self> {
                Ok($t { $($f: r.get($i)?),+ })
            }
            #[inline]
            fn from_row_values(mut v: RowValues<'_>) -> athanor::Result<Self> {
                Ok($t { $($f: v.take($i)?),+ })
            }
        }
    };
}
from_row!(Artist { id: 0, name: 1 });
from_row!(Album {
    id: 0,
    title: 1,
    artist_id: 2
});
from_row!(Track {
    id: 0,
    name: 1,
    album_id: 2,
    media_type_id: 3,
    genre_id: 4,
    composer: 5,
    milliseconds: 6,
    bytes: 7,
    unit_price: 8
});
from_row!(Genre { id: 0, name: 1 });

// ---- Chinook's tables in the bench database ----------------------------------------------------

/// The Chinook tables the workload reads, from `athanor::chinook::metadata()` (its schema:
/// types, primary keys, the foreign-key indexes `IFK_AlbumArtistId`, `IFK_TrackAlbumId`, ...).
/// Only these five are created: the bench database already has a `customer` table, and SQLite's
/// table names ignore case.
pub struct ChinookTables {
    pub metadata: MetaData,
    pub artist: Table,
    pub album: Table,
    pub genre: Table,
    pub media_type: Table,
    pub track: Table,
}

/// The tables [`ChinookTables`] creates, referenced ones first.
pub const CHINOOK_TABLES: [&str; 5] = ["Artist", "Album", "Genre", "MediaType", "Track"];

impl ChinookTables {
    pub fn new() -> ChinookTables {
        let metadata = athanor::chinook::metadata().unwrap();
        let t = |n: &str| metadata.try_table(n).unwrap();
        ChinookTables {
            artist: t("Artist"),
            album: t("Album"),
            genre: t("Genre"),
            media_type: t("MediaType"),
            track: t("Track"),
            metadata,
        }
    }

    fn tables(&self) -> [&Table; 5] {
        [
            &self.artist,
            &self.album,
            &self.genre,
            &self.media_type,
            &self.track,
        ]
    }

    /// Creates the five tables (replacing them) through Athanor and fills them with the shipped
    /// Chinook rows (`athanor::chinook::data()`), as `athanor::chinook::install` does.
    pub fn install(&self, engine: &Engine) {
        for t in self.tables().into_iter().rev() {
            if t.exists(engine).unwrap() {
                t.drop(engine).unwrap();
            }
        }
        for t in self.tables() {
            t.create(engine).unwrap();
        }
        let mut conn = engine.connect().unwrap();
        let mut tx = conn.begin().unwrap();
        for data in chinook_rows() {
            let table = self.metadata.try_table(&data.name).unwrap();
            for chunk in data.rows.chunks(1000) {
                let rows = chunk.iter().map(|r| {
                    data.columns
                        .iter()
                        .zip(r)
                        .map(|(c, v)| (c.as_str(), v.clone()))
                        .collect::<athanor::sql::Values>()
                });
                tx.execute_many(&table.insert(), rows).unwrap();
            }
        }
        tx.commit().unwrap();
        match engine.dialect().name() {
            "postgresql" => {
                conn.exec_driver_sql("VACUUM ANALYZE").unwrap();
            }
            "mysql" => {
                conn.exec_driver_sql(
                    "ANALYZE TABLE `Artist`, `Album`, `Genre`, `MediaType`, `Track`",
                )
                .unwrap();
            }
            _ => {}
        }
    }

    /// The same tables and rows in the raw driver's own in-memory SQLite database (SQLite in
    /// memory, where Athanor and the raw driver can't share one): Athanor's DDL for SQLite
    /// (tables and indexes), the rows bound as Athanor's install binds them.
    pub fn install_raw_sqlite(&self, raw: &rusqlite::Connection) {
        use athanor::Compile;
        use athanor::sql::Ddl;
        let d = athanor::dialect::Sqlite;
        raw.execute_batch("PRAGMA foreign_keys = OFF; BEGIN")
            .unwrap();
        for t in self.tables().into_iter().rev() {
            raw.execute_batch(&format!("DROP TABLE IF EXISTS \"{}\"", t.name()))
                .unwrap();
        }
        for t in self.tables() {
            let ddl = Ddl::CreateTable(t.clone()).compile(&d).unwrap();
            raw.execute_batch(ddl.sql()).unwrap();
            for ix in t.indexes() {
                let ddl = Ddl::CreateIndex(t.clone(), ix.clone()).compile(&d).unwrap();
                raw.execute_batch(ddl.sql()).unwrap();
            }
        }
        for data in chinook_rows() {
            let cols: Vec<String> = data.columns.iter().map(|c| format!("\"{c}\"")).collect();
            let sql = format!(
                "INSERT INTO \"{}\" ({}) VALUES ({})",
                data.name,
                cols.join(", "),
                vec!["?"; cols.len()].join(", ")
            );
            let mut ins = raw.prepare(&sql).unwrap();
            for r in &data.rows {
                let vals = r.iter().map(|v| match v {
                    Value::Int(i) => rusqlite::types::Value::Integer(*i),
                    Value::Float(f) => rusqlite::types::Value::Real(*f),
                    Value::Text(s) => rusqlite::types::Value::Text(s.clone()),
                    Value::Null => rusqlite::types::Value::Null,
                    other => panic!("unexpected Chinook value {other:?}"),
                });
                ins.execute(rusqlite::params_from_iter(vals)).unwrap();
            }
        }
        raw.execute_batch("COMMIT; PRAGMA foreign_keys = ON")
            .unwrap();
    }
}

impl Default for ChinookTables {
    fn default() -> Self {
        ChinookTables::new()
    }
}

/// The shipped rows of [`CHINOOK_TABLES`], in that order.
fn chinook_rows() -> Vec<athanor::chinook::TableData> {
    let mut all = athanor::chinook::data().unwrap();
    CHINOOK_TABLES
        .iter()
        .map(|n| {
            let i = all.iter().position(|d| d.name == *n).unwrap();
            all.swap_remove(i)
        })
        .collect()
}

// ---- comparing trees ---------------------------------------------------------------------------

/// The nested tree with users, posts and comments each in key order.
pub fn sorted_nested(mut v: Nested) -> Nested {
    v.sort_by_key(|(u, _)| u.id);
    for (_, ps) in &mut v {
        ps.sort_by_key(|(p, _)| p.id);
        for (_, cs) in ps {
            cs.sort_by_key(|c| c.id);
        }
    }
    v
}

/// The Chinook tree with artists, albums and tracks each in key order.
pub fn sorted_chinook(mut v: ChinookTree) -> ChinookTree {
    v.sort_by_key(|(a, _)| a.id);
    for (_, albums) in &mut v {
        albums.sort_by_key(|(a, _)| a.id);
        for (_, tracks) in albums {
            tracks.sort_by_key(|(t, _)| t.id);
        }
    }
    v
}

/// Rows at each level of a Chinook tree: (artists, albums, tracks, distinct genres).
pub fn chinook_counts(v: &ChinookTree) -> (usize, usize, usize, usize) {
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

/// Tracks paired with their genres (`None` for a track without one), genres shared.
fn with_genres(tracks: Vec<Track>, genres: Vec<Genre>) -> Vec<(Track, Option<Rc<Genre>>)> {
    let by_id: HashMap<i64, Rc<Genre>> = genres.into_iter().map(|g| (g.id, Rc::new(g))).collect();
    tracks
        .into_iter()
        .map(|t| {
            let g = t.genre_id.and_then(|id| by_id.get(&id).cloned());
            (t, g)
        })
        .collect()
}

/// SQLite keeps a `NUMERIC` as REAL: read back as the shortest decimal that is the same `f64`
/// (`0.99`), as Athanor's driver reads it. Formatting and parsing costs about half of
/// rust_decimal's `Decimal::try_from(f64)` (callgrind), which the raw cell used first.
pub fn decimal_of_real(f: f64) -> Decimal {
    Decimal::from_str_exact(&f.to_string()).unwrap_or_else(|_| Decimal::try_from(f).unwrap())
}

/// The distinct non-null keys of a many-to-one, in first-seen order.
fn distinct(keys: impl Iterator<Item = Option<i64>>) -> Vec<i64> {
    let mut seen = std::collections::HashSet::new();
    keys.flatten().filter(|k| seen.insert(*k)).collect()
}

/// Albums (with their tracks) under artists: the last two assembly steps of the Chinook tree.
fn chinook_tree(
    artists: Vec<Artist>,
    albums: Vec<Album>,
    tracks: Vec<(Track, Option<Rc<Genre>>)>,
) -> ChinookTree {
    let albums = assemble(
        albums,
        tracks,
        |a| a.id,
        |(t, _)| t.album_id.unwrap_or(i64::MIN),
    );
    assemble(artists, albums, |a| a.id, |(al, _)| al.artist_id)
}

// ---- Athanor Core ------------------------------------------------------------------------------

/// `SELECT <table> WHERE <col> IN (<keys>)`, in chunks of [`IN_CHUNK`] keys, rows appended.
pub fn core_in<T: FromRow>(
    conn: &mut Connection,
    table: &Table,
    col: &str,
    keys: &[i64],
) -> Vec<T> {
    let mut out = Vec::new();
    for chunk in keys.chunks(IN_CHUNK) {
        let stmt = select(table).filter(table.c(col).in_(chunk.iter().copied()));
        out.extend(conn.tuples::<T, _>(&stmt).unwrap());
    }
    out
}

/// The nested tree through Athanor Core: users, then their posts, then the posts' comments.
pub fn core_eager_nested(conn: &mut Connection, t: &Tables) -> Nested {
    let users: Vec<User> = conn.tuples(&select(&t.users)).unwrap();
    let ids: Vec<i64> = users.iter().map(|u| u.id).collect();
    let posts: Vec<Post> = core_in(conn, &t.posts, "user_id", &ids);
    let ids: Vec<i64> = posts.iter().map(|p| p.id).collect();
    let comments: Vec<Comment> = core_in(conn, &t.comments, "post_id", &ids);
    let posts = assemble(posts, comments, |p| p.id, |c| c.post_id);
    assemble(users, posts, |u| u.id, |(p, _)| p.user_id)
}

/// The Chinook tree through Athanor Core: artists, their albums, the albums' tracks, the
/// tracks' genres.
pub fn core_eager_chinook(conn: &mut Connection, c: &ChinookTables) -> ChinookTree {
    let artists: Vec<Artist> = conn.tuples(&select(&c.artist)).unwrap();
    let ids: Vec<i64> = artists.iter().map(|a| a.id).collect();
    let albums: Vec<Album> = core_in(conn, &c.album, "ArtistId", &ids);
    let ids: Vec<i64> = albums.iter().map(|a| a.id).collect();
    let tracks: Vec<Track> = core_in(conn, &c.track, "AlbumId", &ids);
    let ids = distinct(tracks.iter().map(|t| t.genre_id));
    let genres: Vec<Genre> = core_in(conn, &c.genre, "GenreId", &ids);
    chinook_tree(artists, albums, with_genres(tracks, genres))
}

// ---- the raw drivers ---------------------------------------------------------------------------

/// Runs `<head> WHERE <col> IN (...)` for `keys` (none: no WHERE) in chunks of [`IN_CHUNK`],
/// each chunk's SQL prepared once per connection (rusqlite's statement cache, the `postgres`
/// statements kept by SQL text, the `mysql` crate's statement cache), rows read by index.
fn raw_in<T>(
    raw: &mut Raw,
    head: &str,
    col: &str,
    keys: Option<&[i64]>,
    sqlite: impl Fn(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    pg: impl Fn(&postgres::Row) -> T,
    my: impl Fn(mysql::Row) -> T,
) -> Vec<T> {
    let mut out = Vec::new();
    let chunks: Vec<&[i64]> = match keys {
        Some(k) => k.chunks(IN_CHUNK).collect(),
        None => vec![&[]],
    };
    for chunk in chunks {
        let sql = match keys {
            Some(_) => format!("{head} WHERE {col} IN ({})", raw.phs(0, chunk.len())),
            None => head.to_string(),
        };
        match raw {
            Raw::Sqlite(c) => {
                let mut st = c.prepare_cached(&sql).unwrap();
                let rows = st
                    .query_map(rusqlite::params_from_iter(chunk.iter()), |r| sqlite(r))
                    .unwrap();
                out.extend(rows.map(|r| r.unwrap()));
            }
            Raw::Postgres(c, cache) => {
                let st = pg_prepare(c, cache, &sql);
                let p32: Vec<i32> = chunk.iter().map(|&k| k as i32).collect();
                let refs: Vec<&(dyn postgres::types::ToSql + Sync)> = p32
                    .iter()
                    .map(|k| k as &(dyn postgres::types::ToSql + Sync))
                    .collect();
                out.extend(c.query(&st, &refs).unwrap().iter().map(&pg));
            }
            Raw::MySql(c) => {
                let ps = if chunk.is_empty() {
                    mysql::Params::Empty
                } else {
                    mysql::Params::Positional(chunk.iter().map(|&k| mysql::Value::Int(k)).collect())
                };
                out.extend(c.exec_map(&sql, ps, &my).unwrap());
            }
        }
    }
    out
}

/// `Name` quoted for the raw driver's database.
fn q(raw: &Raw, name: &str) -> String {
    match raw {
        Raw::MySql(_) => format!("`{name}`"),
        _ => format!("\"{name}\""),
    }
}

/// `SELECT t.c1, t.c2, ... FROM t` with every name quoted.
fn select_sql(raw: &Raw, table: &str, cols: &[&str]) -> String {
    let t = q(raw, table);
    let cols: Vec<String> = cols.iter().map(|c| format!("{t}.{}", q(raw, c))).collect();
    format!("SELECT {} FROM {t}", cols.join(", "))
}

/// The nested tree by hand: one query per level, `IN` lists of at most [`IN_CHUNK`] keys.
pub fn raw_eager_nested(raw: &mut Raw) -> Nested {
    let users = raw_in(
        raw,
        "SELECT users.id, users.name, users.hair_color FROM users",
        "",
        None,
        |r| {
            Ok(User {
                id: r.get(0)?,
                name: r.get(1)?,
                hair_color: r.get(2)?,
            })
        },
        |r| User {
            id: i64::from(r.get::<_, i32>(0)),
            name: r.get(1),
            hair_color: r.get(2),
        },
        |r| User {
            id: r.get(0).unwrap(),
            name: r.get(1).unwrap(),
            hair_color: r.get(2).unwrap(),
        },
    );
    let ids: Vec<i64> = users.iter().map(|u| u.id).collect();
    let posts = raw_in(
        raw,
        "SELECT posts.id, posts.user_id, posts.title, posts.body FROM posts",
        "posts.user_id",
        Some(&ids),
        |r| {
            Ok(Post {
                id: r.get(0)?,
                user_id: r.get(1)?,
                title: r.get(2)?,
                body: r.get(3)?,
            })
        },
        |r| Post {
            id: i64::from(r.get::<_, i32>(0)),
            user_id: i64::from(r.get::<_, i32>(1)),
            title: r.get(2),
            body: r.get(3),
        },
        |r| Post {
            id: r.get(0).unwrap(),
            user_id: r.get(1).unwrap(),
            title: r.get(2).unwrap(),
            body: r.get(3).unwrap(),
        },
    );
    let ids: Vec<i64> = posts.iter().map(|p| p.id).collect();
    let comments = raw_in(
        raw,
        "SELECT comments.id, comments.post_id, comments.text FROM comments",
        "comments.post_id",
        Some(&ids),
        |r| {
            Ok(Comment {
                id: r.get(0)?,
                post_id: r.get(1)?,
                text: r.get(2)?,
            })
        },
        |r| Comment {
            id: i64::from(r.get::<_, i32>(0)),
            post_id: i64::from(r.get::<_, i32>(1)),
            text: r.get(2),
        },
        |r| Comment {
            id: r.get(0).unwrap(),
            post_id: r.get(1).unwrap(),
            text: r.get(2).unwrap(),
        },
    );
    let posts = assemble(posts, comments, |p| p.id, |c| c.post_id);
    assemble(users, posts, |u| u.id, |(p, _)| p.user_id)
}

const TRACK_COLUMNS: [&str; 9] = [
    "TrackId",
    "Name",
    "AlbumId",
    "MediaTypeId",
    "GenreId",
    "Composer",
    "Milliseconds",
    "Bytes",
    "UnitPrice",
];

/// An optional INTEGER from PostgreSQL.
fn pg_opt_i64(r: &postgres::Row, i: usize) -> Option<i64> {
    r.get::<_, Option<i32>>(i).map(i64::from)
}

/// The Chinook tree by hand: artists, then albums, tracks and genres, one query per level
/// (`IN` lists of at most [`IN_CHUNK`] keys, the genres' keys distinct).
pub fn raw_eager_chinook(raw: &mut Raw) -> ChinookTree {
    let sql = select_sql(raw, "Artist", &["ArtistId", "Name"]);
    let artists = raw_in(
        raw,
        &sql,
        "",
        None,
        |r| {
            Ok(Artist {
                id: r.get(0)?,
                name: r.get(1)?,
            })
        },
        |r| Artist {
            id: i64::from(r.get::<_, i32>(0)),
            name: r.get(1),
        },
        |r| Artist {
            id: r.get(0).unwrap(),
            name: r.get(1).unwrap(),
        },
    );
    let ids: Vec<i64> = artists.iter().map(|a| a.id).collect();
    let sql = select_sql(raw, "Album", &["AlbumId", "Title", "ArtistId"]);
    let col = format!("{}.{}", q(raw, "Album"), q(raw, "ArtistId"));
    let albums = raw_in(
        raw,
        &sql,
        &col,
        Some(&ids),
        |r| {
            Ok(Album {
                id: r.get(0)?,
                title: r.get(1)?,
                artist_id: r.get(2)?,
            })
        },
        |r| Album {
            id: i64::from(r.get::<_, i32>(0)),
            title: r.get(1),
            artist_id: i64::from(r.get::<_, i32>(2)),
        },
        |r| Album {
            id: r.get(0).unwrap(),
            title: r.get(1).unwrap(),
            artist_id: r.get(2).unwrap(),
        },
    );
    let ids: Vec<i64> = albums.iter().map(|a| a.id).collect();
    let sql = select_sql(raw, "Track", &TRACK_COLUMNS);
    let col = format!("{}.{}", q(raw, "Track"), q(raw, "AlbumId"));
    let tracks = raw_in(
        raw,
        &sql,
        &col,
        Some(&ids),
        |r| {
            Ok(Track {
                id: r.get(0)?,
                name: r.get(1)?,
                album_id: r.get(2)?,
                media_type_id: r.get(3)?,
                genre_id: r.get(4)?,
                composer: r.get(5)?,
                milliseconds: r.get(6)?,
                bytes: r.get(7)?,
                unit_price: decimal_of_real(r.get::<_, f64>(8)?),
            })
        },
        |r| Track {
            id: i64::from(r.get::<_, i32>(0)),
            name: r.get(1),
            album_id: pg_opt_i64(r, 2),
            media_type_id: i64::from(r.get::<_, i32>(3)),
            genre_id: pg_opt_i64(r, 4),
            composer: r.get(5),
            milliseconds: i64::from(r.get::<_, i32>(6)),
            bytes: pg_opt_i64(r, 7),
            unit_price: r.get(8),
        },
        |r| Track {
            id: r.get(0).unwrap(),
            name: r.get(1).unwrap(),
            album_id: r.get(2).unwrap(),
            media_type_id: r.get(3).unwrap(),
            genre_id: r.get(4).unwrap(),
            composer: r.get(5).unwrap(),
            milliseconds: r.get(6).unwrap(),
            bytes: r.get(7).unwrap(),
            // DECIMAL comes as text over the binary protocol.
            unit_price: Decimal::from_str_exact(&r.get::<String, _>(8).unwrap()).unwrap(),
        },
    );
    let ids = distinct(tracks.iter().map(|t| t.genre_id));
    let sql = select_sql(raw, "Genre", &["GenreId", "Name"]);
    let col = format!("{}.{}", q(raw, "Genre"), q(raw, "GenreId"));
    let genres = raw_in(
        raw,
        &sql,
        &col,
        Some(&ids),
        |r| {
            Ok(Genre {
                id: r.get(0)?,
                name: r.get(1)?,
            })
        },
        |r| Genre {
            id: i64::from(r.get::<_, i32>(0)),
            name: r.get(1),
        },
        |r| Genre {
            id: r.get(0).unwrap(),
            name: r.get(1).unwrap(),
        },
    );
    chinook_tree(artists, albums, with_genres(tracks, genres))
}
