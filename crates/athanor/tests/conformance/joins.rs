//! Joins: ON inferred from foreign keys or given, outer joins, `join_from`.

use athanor::prelude::*;
use athanor::{CursorResult, Engine, Result};

use super::support::{Case, ErrorKind, Expect, Outcome, rows, run, table};

/// The cases of this module, in the corpus's order.
pub(crate) const CASES: &[Case] = &[
    Case::new(
        "seed_albums_per_artist",
        case_seed_albums_per_artist,
        expect_seed_albums_per_artist,
    ),
    Case::new(
        "join_three_tables",
        case_join_three_tables,
        expect_join_three_tables,
    ),
    Case::new(
        "left_outer_join_artists_without_albums",
        case_left_outer_join_artists_without_albums,
        expect_left_outer_join_artists_without_albums,
    ),
    Case::new(
        "many_to_many_playlist",
        case_many_to_many_playlist,
        expect_many_to_many_playlist,
    ),
    Case::new(
        "top_customers_by_spend",
        case_top_customers_by_spend,
        expect_top_customers_by_spend,
    ),
];

/// ```python
/// n = func.count(album.c.Title).label("# of albums")
/// return (select(artist.c.Name, n).select_from(artist.join(album))
///         .group_by(album.c.ArtistId).order_by(desc("# of albums"), artist.c.Name).limit(10))
/// ```
fn case_seed_albums_per_artist(engine: &Engine, md: &MetaData) -> Result<CursorResult> {
    let (artist, album) = (table(md, "Artist")?, table(md, "Album")?);
    let n = func::count(album.c("Title")).label("# of albums");
    let stmt = select((artist.c("Name"), n))
        .select_from(artist.join(&album))
        .group_by(album.c("ArtistId"))
        .order_by(desc("# of albums"))
        .order_by(artist.c("Name"))
        .limit(10);
    run(engine, &stmt)
}

fn expect_seed_albums_per_artist() -> Expect {
    Expect {
        columns: &["Name", "# of albums"],
        sqlite: Outcome::Rows(rows![
            ["Iron Maiden", 21],
            ["Led Zeppelin", 14],
            ["Deep Purple", 11],
            ["Metallica", 10],
            ["U2", 10],
            ["Ozzy Osbourne", 6],
            ["Pearl Jam", 5],
            ["Faith No More", 4],
            ["Foo Fighters", 4],
            ["Lost", 4]
        ]),
        postgresql: Outcome::Error(
            ErrorKind::Programming,
            "column \"Artist.Name\" must appear in the GROUP BY clause or be used in an aggregate function",
        ),
        mysql: Outcome::SameAsSqlite,
    }
}

/// ```python
/// return (select(track.c.Name, album.c.Title, artist.c.Name.label("ArtistName"))
///         .select_from(track.join(album, track.c.AlbumId == album.c.AlbumId)
///                      .join(artist, album.c.ArtistId == artist.c.ArtistId))
///         .where(artist.c.Name == "AC/DC").order_by(track.c.TrackId))
/// ```
fn case_join_three_tables(engine: &Engine, md: &MetaData) -> Result<CursorResult> {
    let (track, album, artist) = (
        table(md, "Track")?,
        table(md, "Album")?,
        table(md, "Artist")?,
    );
    let joined = track
        .join_on(&album, track.c("AlbumId").eq(album.c("AlbumId")))
        .join_on(&artist, album.c("ArtistId").eq(artist.c("ArtistId")));
    let stmt = select((
        track.c("Name"),
        album.c("Title"),
        artist.c("Name").label("ArtistName"),
    ))
    .select_from(joined)
    .filter(artist.c("Name").eq("AC/DC"))
    .order_by(track.c("TrackId"));
    run(engine, &stmt)
}

fn expect_join_three_tables() -> Expect {
    Expect {
        columns: &["Name", "Title", "ArtistName"],
        sqlite: Outcome::Rows(rows![
            [
                "For Those About To Rock (We Salute You)",
                "For Those About To Rock We Salute You",
                "AC/DC"
            ],
            [
                "Put The Finger On You",
                "For Those About To Rock We Salute You",
                "AC/DC"
            ],
            [
                "Let's Get It Up",
                "For Those About To Rock We Salute You",
                "AC/DC"
            ],
            [
                "Inject The Venom",
                "For Those About To Rock We Salute You",
                "AC/DC"
            ],
            [
                "Snowballed",
                "For Those About To Rock We Salute You",
                "AC/DC"
            ],
            [
                "Evil Walks",
                "For Those About To Rock We Salute You",
                "AC/DC"
            ],
            ["C.O.D.", "For Those About To Rock We Salute You", "AC/DC"],
            [
                "Breaking The Rules",
                "For Those About To Rock We Salute You",
                "AC/DC"
            ],
            [
                "Night Of The Long Knives",
                "For Those About To Rock We Salute You",
                "AC/DC"
            ],
            [
                "Spellbound",
                "For Those About To Rock We Salute You",
                "AC/DC"
            ],
            ["Go Down", "Let There Be Rock", "AC/DC"],
            ["Dog Eat Dog", "Let There Be Rock", "AC/DC"],
            ["Let There Be Rock", "Let There Be Rock", "AC/DC"],
            ["Bad Boy Boogie", "Let There Be Rock", "AC/DC"],
            ["Problem Child", "Let There Be Rock", "AC/DC"],
            ["Overdose", "Let There Be Rock", "AC/DC"],
            ["Hell Ain't A Bad Place To Be", "Let There Be Rock", "AC/DC"],
            ["Whole Lotta Rosie", "Let There Be Rock", "AC/DC"]
        ]),
        postgresql: Outcome::SameAsSqlite,
        mysql: Outcome::SameAsSqlite,
    }
}

/// ```python
/// return (select(func.count()).select_from(artist.outerjoin(album, artist.c.ArtistId == album.c.ArtistId))
///         .where(album.c.AlbumId.is_(None)))
/// ```
fn case_left_outer_join_artists_without_albums(
    engine: &Engine,
    md: &MetaData,
) -> Result<CursorResult> {
    let (artist, album) = (table(md, "Artist")?, table(md, "Album")?);
    let stmt = select(func::count_star())
        .select_from(artist.outerjoin_on(&album, artist.c("ArtistId").eq(album.c("ArtistId"))))
        .filter(album.c("AlbumId").is_null());
    run(engine, &stmt)
}

fn expect_left_outer_join_artists_without_albums() -> Expect {
    Expect {
        columns: &["count_1"],
        sqlite: Outcome::Rows(rows![[71]]),
        postgresql: Outcome::SameAsSqlite,
        mysql: Outcome::SameAsSqlite,
    }
}

/// ```python
/// return (select(playlist.c.Name, func.count(pt.c.TrackId).label("n"))
///         .select_from(playlist.join(pt)).group_by(playlist.c.PlaylistId, playlist.c.Name)
///         .order_by(desc("n"), playlist.c.Name, playlist.c.PlaylistId).limit(5))
/// ```
fn case_many_to_many_playlist(engine: &Engine, md: &MetaData) -> Result<CursorResult> {
    let (playlist, pt) = (table(md, "Playlist")?, table(md, "PlaylistTrack")?);
    let stmt = select((playlist.c("Name"), func::count(pt.c("TrackId")).label("n")))
        .select_from(playlist.join(&pt))
        .group_by((playlist.c("PlaylistId"), playlist.c("Name")))
        .order_by(desc("n"))
        .order_by(playlist.c("Name"))
        .order_by(playlist.c("PlaylistId"))
        .limit(5);
    run(engine, &stmt)
}

fn expect_many_to_many_playlist() -> Expect {
    Expect {
        columns: &["Name", "n"],
        sqlite: Outcome::Rows(rows![
            ["Music", 3290],
            ["Music", 3290],
            ["90’s Music", 1477],
            ["TV Shows", 213],
            ["TV Shows", 213]
        ]),
        postgresql: Outcome::SameAsSqlite,
        mysql: Outcome::SameAsSqlite,
    }
}

/// ```python
/// spend = func.sum(invoice.c.Total).label("spend")
/// return (select(customer.c.FirstName, customer.c.LastName, spend)
///         .join_from(customer, invoice).group_by(customer.c.CustomerId, customer.c.FirstName, customer.c.LastName)
///         .order_by(desc("spend"), customer.c.CustomerId).limit(5))
/// ```
fn case_top_customers_by_spend(engine: &Engine, md: &MetaData) -> Result<CursorResult> {
    let (customer, invoice) = (table(md, "Customer")?, table(md, "Invoice")?);
    let spend = func::sum(invoice.c("Total")).label("spend");
    let stmt = select((customer.c("FirstName"), customer.c("LastName"), spend))
        .join_from(&customer, &invoice)
        .group_by((
            customer.c("CustomerId"),
            customer.c("FirstName"),
            customer.c("LastName"),
        ))
        .order_by(desc("spend"))
        .order_by(customer.c("CustomerId"))
        .limit(5);
    run(engine, &stmt)
}

fn expect_top_customers_by_spend() -> Expect {
    Expect {
        columns: &["FirstName", "LastName", "spend"],
        sqlite: Outcome::Rows(rows![
            ["Helena", "Holý", 49.62],
            ["Richard", "Cunningham", 47.62],
            ["Luis", "Rojas", 46.62],
            ["Ladislav", "Kovács", 45.62],
            ["Hugh", "O'Reilly", 45.62]
        ]),
        postgresql: Outcome::SameAsSqlite,
        mysql: Outcome::SameAsSqlite,
    }
}
