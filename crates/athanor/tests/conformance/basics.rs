//! Plain SELECTs: whole tables, DISTINCT, ORDER BY, LIMIT/OFFSET, raw `text()`.

use athanor::prelude::*;
use athanor::{CursorResult, Engine, Result};

use super::support::{Case, ErrorKind, Expect, Outcome, rows, run, table};

/// The cases of this module, in the corpus's order.
pub(crate) const CASES: &[Case] = &[
    Case::new(
        "seed_first_ten_artists",
        case_seed_first_ten_artists,
        expect_seed_first_ten_artists,
    ),
    Case::new(
        "seed_first_ten_albums",
        case_seed_first_ten_albums,
        expect_seed_first_ten_albums,
    ),
    Case::new(
        "distinct_countries",
        case_distinct_countries,
        expect_distinct_countries,
    ),
    Case::new(
        "order_multi_desc_limit_offset",
        case_order_multi_desc_limit_offset,
        expect_order_multi_desc_limit_offset,
    ),
    Case::new(
        "text_with_bindparam",
        case_text_with_bindparam,
        expect_text_with_bindparam,
    ),
    Case::new(
        "pagination_offset",
        case_pagination_offset,
        expect_pagination_offset,
    ),
];

/// ```python
/// return select(artist).order_by(artist.c.ArtistId).limit(10)
/// ```
fn case_seed_first_ten_artists(engine: &Engine, md: &MetaData) -> Result<CursorResult> {
    let artist = table(md, "Artist")?;
    let stmt = select(&artist).order_by(artist.c("ArtistId")).limit(10);
    run(engine, &stmt)
}

fn expect_seed_first_ten_artists() -> Expect {
    Expect {
        columns: &["ArtistId", "Name"],
        sqlite: Outcome::Rows(rows![
            [1, "AC/DC"],
            [2, "Accept"],
            [3, "Aerosmith"],
            [4, "Alanis Morissette"],
            [5, "Alice In Chains"],
            [6, "Antônio Carlos Jobim"],
            [7, "Apocalyptica"],
            [8, "Audioslave"],
            [9, "BackBeat"],
            [10, "Billy Cobham"]
        ]),
        postgresql: Outcome::SameAsSqlite,
        mysql: Outcome::SameAsSqlite,
    }
}

/// ```python
/// return select(album).order_by(album.c.AlbumId).limit(10)
/// ```
fn case_seed_first_ten_albums(engine: &Engine, md: &MetaData) -> Result<CursorResult> {
    let album = table(md, "Album")?;
    let stmt = select(&album).order_by(album.c("AlbumId")).limit(10);
    run(engine, &stmt)
}

fn expect_seed_first_ten_albums() -> Expect {
    Expect {
        columns: &["AlbumId", "Title", "ArtistId"],
        sqlite: Outcome::Rows(rows![
            [1, "For Those About To Rock We Salute You", 1],
            [2, "Balls to the Wall", 2],
            [3, "Restless and Wild", 2],
            [4, "Let There Be Rock", 1],
            [5, "Big Ones", 3],
            [6, "Jagged Little Pill", 4],
            [7, "Facelift", 5],
            [8, "Warner 25 Anos", 6],
            [9, "Plays Metallica By Four Cellos", 7],
            [10, "Audioslave", 8]
        ]),
        postgresql: Outcome::SameAsSqlite,
        mysql: Outcome::SameAsSqlite,
    }
}

/// ```python
/// return select(customer.c.Country).distinct().order_by(customer.c.Country)
/// ```
fn case_distinct_countries(engine: &Engine, md: &MetaData) -> Result<CursorResult> {
    let customer = table(md, "Customer")?;
    let stmt = select(customer.c("Country"))
        .distinct()
        .order_by(customer.c("Country"));
    run(engine, &stmt)
}

fn expect_distinct_countries() -> Expect {
    Expect {
        columns: &["Country"],
        sqlite: Outcome::Rows(rows![
            ["Argentina"],
            ["Australia"],
            ["Austria"],
            ["Belgium"],
            ["Brazil"],
            ["Canada"],
            ["Chile"],
            ["Czech Republic"],
            ["Denmark"],
            ["Finland"],
            ["France"],
            ["Germany"],
            ["Hungary"],
            ["India"],
            ["Ireland"],
            ["Italy"],
            ["Netherlands"],
            ["Norway"],
            ["Poland"],
            ["Portugal"],
            ["Spain"],
            ["Sweden"],
            ["USA"],
            ["United Kingdom"]
        ]),
        postgresql: Outcome::SameAsSqlite,
        mysql: Outcome::Rows(rows![
            ["Argentina"],
            ["Australia"],
            ["Austria"],
            ["Belgium"],
            ["Brazil"],
            ["Canada"],
            ["Chile"],
            ["Czech Republic"],
            ["Denmark"],
            ["Finland"],
            ["France"],
            ["Germany"],
            ["Hungary"],
            ["India"],
            ["Ireland"],
            ["Italy"],
            ["Netherlands"],
            ["Norway"],
            ["Poland"],
            ["Portugal"],
            ["Spain"],
            ["Sweden"],
            ["United Kingdom"],
            ["USA"]
        ]),
    }
}

/// ```python
/// return (select(customer.c.Country, customer.c.LastName, customer.c.FirstName)
///         .order_by(customer.c.Country.desc(), customer.c.LastName.asc()).limit(5).offset(10))
/// ```
fn case_order_multi_desc_limit_offset(engine: &Engine, md: &MetaData) -> Result<CursorResult> {
    let customer = table(md, "Customer")?;
    let stmt = select((
        customer.c("Country"),
        customer.c("LastName"),
        customer.c("FirstName"),
    ))
    .order_by(customer.c("Country").desc())
    .order_by(customer.c("LastName").asc())
    .limit(5)
    .offset(10);
    run(engine, &stmt)
}

fn expect_order_multi_desc_limit_offset() -> Expect {
    Expect {
        columns: &["Country", "LastName", "FirstName"],
        sqlite: Outcome::Rows(rows![
            ["USA", "Harris", "Frank"],
            ["USA", "Leacock", "Heather"],
            ["USA", "Miller", "Dan"],
            ["USA", "Ralston", "Frank"],
            ["USA", "Smith", "Jack"]
        ]),
        postgresql: Outcome::SameAsSqlite,
        mysql: Outcome::Rows(rows![
            ["USA", "Ralston", "Frank"],
            ["USA", "Smith", "Jack"],
            ["USA", "Stevens", "Victor"],
            ["United Kingdom", "Hughes", "Phil"],
            ["United Kingdom", "Jones", "Emma"]
        ]),
    }
}

/// ```python
/// return text("SELECT Name FROM Genre WHERE GenreId = :gid").bindparams(gid=7)
/// ```
fn case_text_with_bindparam(engine: &Engine, _md: &MetaData) -> Result<CursorResult> {
    let stmt = text("SELECT Name FROM Genre WHERE GenreId = :gid").bind("gid", 7);
    run(engine, &stmt)
}

fn expect_text_with_bindparam() -> Expect {
    Expect {
        columns: &["Name"],
        sqlite: Outcome::Rows(rows![["Latin"]]),
        postgresql: Outcome::Error(ErrorKind::Programming, "relation \"genre\" does not exist"),
        mysql: Outcome::SameAsSqlite,
    }
}

/// ```python
/// return select(album.c.AlbumId, album.c.Title).order_by(album.c.Title, album.c.AlbumId).limit(3).offset(100)
/// ```
fn case_pagination_offset(engine: &Engine, md: &MetaData) -> Result<CursorResult> {
    let album = table(md, "Album")?;
    let stmt = select((album.c("AlbumId"), album.c("Title")))
        .order_by(album.c("Title"))
        .order_by(album.c("AlbumId"))
        .limit(3)
        .offset(100);
    run(engine, &stmt)
}

fn expect_pagination_offset() -> Expect {
    Expect {
        columns: &["AlbumId", "Title"],
        sqlite: Outcome::Rows(rows![
            [69, "Djavan Ao Vivo - Vol. 02"],
            [70, "Djavan Ao Vivo - Vol. 1"],
            [266, "Duos II"]
        ]),
        postgresql: Outcome::SameAsSqlite,
        mysql: Outcome::SameAsSqlite,
    }
}
