//! WHERE clauses: comparisons, AND/OR/NOT, IN, BETWEEN, LIKE/ILIKE, IS NULL.

use athanor::prelude::*;
use athanor::{CursorResult, Engine, Result};

use super::support::{Case, Expect, Outcome, rows, run, table};

/// The cases of this module, in the corpus's order.
pub(crate) const CASES: &[Case] = &[
    Case::new("where_gt_count", case_where_gt_count, expect_where_gt_count),
    Case::new("where_and_or", case_where_and_or, expect_where_and_or),
    Case::new("where_in_list", case_where_in_list, expect_where_in_list),
    Case::new(
        "where_not_in_and_between",
        case_where_not_in_and_between,
        expect_where_not_in_and_between,
    ),
    Case::new("where_like", case_where_like, expect_where_like),
    Case::new("where_ilike", case_where_ilike, expect_where_ilike),
    Case::new("where_is_null", case_where_is_null, expect_where_is_null),
    Case::new(
        "where_is_not_null_not",
        case_where_is_not_null_not,
        expect_where_is_not_null_not,
    ),
];

/// ```python
/// return select(func.count()).select_from(track).where(track.c.Milliseconds > 600000)
/// ```
fn case_where_gt_count(engine: &Engine, md: &MetaData) -> Result<CursorResult> {
    let track = table(md, "Track")?;
    let stmt = select(func::count_star())
        .select_from(&track)
        .filter(track.c("Milliseconds").gt(600_000));
    run(engine, &stmt)
}

fn expect_where_gt_count() -> Expect {
    Expect {
        columns: &["count_1"],
        sqlite: Outcome::Rows(rows![[260]]),
        postgresql: Outcome::SameAsSqlite,
        mysql: Outcome::SameAsSqlite,
    }
}

/// ```python
/// return (select(track.c.TrackId, track.c.Name).where(and_(track.c.GenreId == 1,
///         or_(track.c.Milliseconds < 100000, track.c.Bytes > 15000000))).order_by(track.c.TrackId))
/// ```
fn case_where_and_or(engine: &Engine, md: &MetaData) -> Result<CursorResult> {
    let track = table(md, "Track")?;
    let stmt = select((track.c("TrackId"), track.c("Name")))
        .filter(and_([
            track.c("GenreId").eq(1),
            or_([
                track.c("Milliseconds").lt(100_000),
                track.c("Bytes").gt(15_000_000),
            ]),
        ]))
        .order_by(track.c("TrackId"));
    run(engine, &stmt)
}

fn expect_where_and_or() -> Expect {
    Expect {
        columns: &["TrackId", "Name"],
        sqlite: Outcome::Rows(rows![
            [50, "You Oughta Know (Alternate)"],
            [349, "You Shook Me(2)"],
            [350, "How Many More Times"],
            [357, "Advance Romance"],
            [358, "Man With The Woman Head"],
            [489, "Into The Light"],
            [547, "Mistreated"],
            [548, "Smoke On The Water"],
            [549, "You Fool No One"],
            [552, "In My Time Of Dying"],
            [555, "Kashmir"],
            [582, "The Calling"],
            [620, "Space Truckin'"],
            [621, "Going Down / Highway Star"],
            [622, "Mistreated (Alternate Version)"],
            [623, "You Fool No One (Alternate Version)"],
            [690, "I Heard It Through The Grapevine"],
            [756, "Child In Time"],
            [757, "Flight Of The Rat"],
            [766, "Fools"],
            [770, "Child In Time (Son Of Aleric - Instrumental)"],
            [777, "Smoke On The Water"],
            [1020, "Doll"],
            [1236, "Ghost Of The Navigator"],
            [1237, "Brave New World"],
            [1238, "Blood Brothers"],
            [1240, "Dream Of Mirrors"],
            [1242, "The Nomad"],
            [1243, "Out Of The Silent Planet"],
            [1244, "The Thin Line Between Love & Hate"],
            [1258, "Afraid To Shoot Strangers"],
            [1267, "Fear Of The Dark"],
            [1362, "Dream Of Mirrors"],
            [1363, "The Clansman"],
            [1365, "Fear Of The Dark"],
            [1368, "Hallowed Be Thy Name"],
            [1395, "Sign Of The Cross"],
            [1398, "Fortunes Of War"],
            [1400, "The Aftermath"],
            [1403, "The Edge Of Darkness"],
            [1405, "The Unbeliever"],
            [1407, "The Angel And The Gambler"],
            [1409, "The Clansman"],
            [1410, "When Two Worlds Collide"],
            [1411, "The Educated Fool"],
            [1412, "Don't Look To The Eyes Of A Stranger"],
            [1441, "Blow Your Mind"],
            [1442, "Revolution 1993"],
            [1581, "Dazed And Confused"],
            [1582, "Stairway To Heaven"],
            [1585, "Whole Lotta Love (Medley)"],
            [1596, "The Rain Song"],
            [1607, "Carouselambra"],
            [1613, "Stairway To Heaven"],
            [1626, "How Many More Times"],
            [1646, "In The Light"],
            [1655, "Achilles Last Stand"],
            [1661, "Tea For One"],
            [1665, "Rain Song"],
            [1666, "Dazed And Confused"],
            [1667, "No Quarter"],
            [1668, "Stairway To Heaven"],
            [1669, "Moby Dick"],
            [1670, "Whole Lotta Love"],
            [
                1752,
                "Blind Curve: Vocal Under A Bloodlight / Passing Strangers / Mylo / Perimeter Walk / Threshold"
            ],
            [1986, "Intro"],
            [2015, "Time"],
            [2191, "Arc"],
            [2203, "Release"],
            [2234, "Us And Them"],
            [2410, "Xanadu"],
            [2412, "By-Tor And The Snow Dog"],
            [2417, "La Villa Strangiato"],
            [2420, "Jingo"],
            [2421, "El Corazon Manda"],
            [2422, "La Puesta Del Sol"],
            [2426, "Fried Neckbones And Home Fries"],
            [2427, "Santana Jam"],
            [2428, "Evil Ways"],
            [2429, "We've Got To Get Together/Jingo"],
            [2430, "Rock Me"],
            [2431, "Just Ain't Good Enough"],
            [2432, "Funky Piano"],
            [2433, "The Way You Do To Mer"],
            [2461, "É Uma Partida De Futebol"],
            [2545, "No Memory"],
            [2551, "Wet My Bed"],
            [2553, "Where The River Goes"],
            [2565, "The Sun Road"],
            [2566, "Dark Corners"],
            [2568, "Black Light Syndrome"],
            [2569, "Falling in Circles"],
            [2570, "Book of Hours"],
            [2571, "Chaos-Control"],
            [2649, "The End"],
            [2676, "Intro"],
            [2689, "Out Of Control"],
            [2744, "Won't Get Fooled Again (Full Length Version)"],
            [2993, "Freedom For My People"],
            [3001, "The Star Spangled Banner"],
            [3017, "All I Want Is You"],
            [3054, "Cathedral"],
            [3059, "Little Guitars (Intro)"],
            [3063, "Happy Trails"],
            [3097, "Once"],
            [3100, "Year to the Day"],
            [3101, "Primary"]
        ]),
        postgresql: Outcome::SameAsSqlite,
        mysql: Outcome::SameAsSqlite,
    }
}

/// ```python
/// return select(artist.c.Name).where(artist.c.ArtistId.in_([1, 50, 90, 150])).order_by(artist.c.Name)
/// ```
fn case_where_in_list(engine: &Engine, md: &MetaData) -> Result<CursorResult> {
    let artist = table(md, "Artist")?;
    let stmt = select(artist.c("Name"))
        .filter(artist.c("ArtistId").in_([1, 50, 90, 150]))
        .order_by(artist.c("Name"));
    run(engine, &stmt)
}

fn expect_where_in_list() -> Expect {
    Expect {
        columns: &["Name"],
        sqlite: Outcome::Rows(rows![["AC/DC"], ["Iron Maiden"], ["Metallica"], ["U2"]]),
        postgresql: Outcome::SameAsSqlite,
        mysql: Outcome::SameAsSqlite,
    }
}

/// ```python
/// return (select(genre.c.GenreId, genre.c.Name).where(genre.c.GenreId.between(3, 12))
///         .where(genre.c.GenreId.not_in([5, 7])).order_by(genre.c.GenreId))
/// ```
fn case_where_not_in_and_between(engine: &Engine, md: &MetaData) -> Result<CursorResult> {
    let genre = table(md, "Genre")?;
    let stmt = select((genre.c("GenreId"), genre.c("Name")))
        .filter(genre.c("GenreId").between(3, 12))
        .filter(genre.c("GenreId").not_in([5, 7]))
        .order_by(genre.c("GenreId"));
    run(engine, &stmt)
}

fn expect_where_not_in_and_between() -> Expect {
    Expect {
        columns: &["GenreId", "Name"],
        sqlite: Outcome::Rows(rows![
            [3, "Metal"],
            [4, "Alternative & Punk"],
            [6, "Blues"],
            [8, "Reggae"],
            [9, "Pop"],
            [10, "Soundtrack"],
            [11, "Bossa Nova"],
            [12, "Easy Listening"]
        ]),
        postgresql: Outcome::SameAsSqlite,
        mysql: Outcome::SameAsSqlite,
    }
}

/// ```python
/// return select(artist.c.Name).where(artist.c.Name.like("The %")).order_by(artist.c.Name)
/// ```
fn case_where_like(engine: &Engine, md: &MetaData) -> Result<CursorResult> {
    let artist = table(md, "Artist")?;
    let stmt = select(artist.c("Name"))
        .filter(artist.c("Name").like("The %"))
        .order_by(artist.c("Name"));
    run(engine, &stmt)
}

fn expect_where_like() -> Expect {
    Expect {
        columns: &["Name"],
        sqlite: Outcome::Rows(rows![
            ["The 12 Cellists of The Berlin Philharmonic"],
            ["The Black Crowes"],
            ["The Clash"],
            ["The Cult"],
            ["The Doors"],
            ["The Flaming Lips"],
            ["The King's Singers"],
            ["The Office"],
            ["The Police"],
            ["The Posies"],
            ["The Postal Service"],
            ["The Rolling Stones"],
            ["The Tea Party"],
            ["The Who"]
        ]),
        postgresql: Outcome::SameAsSqlite,
        mysql: Outcome::SameAsSqlite,
    }
}

/// ```python
/// return select(func.count()).select_from(track).where(track.c.Name.ilike("%love%"))
/// ```
fn case_where_ilike(engine: &Engine, md: &MetaData) -> Result<CursorResult> {
    let track = table(md, "Track")?;
    let stmt = select(func::count_star())
        .select_from(&track)
        .filter(track.c("Name").ilike("%love%"));
    run(engine, &stmt)
}

fn expect_where_ilike() -> Expect {
    Expect {
        columns: &["count_1"],
        sqlite: Outcome::Rows(rows![[114]]),
        postgresql: Outcome::SameAsSqlite,
        mysql: Outcome::SameAsSqlite,
    }
}

/// ```python
/// return select(func.count()).select_from(track).where(track.c.Composer.is_(None))
/// ```
fn case_where_is_null(engine: &Engine, md: &MetaData) -> Result<CursorResult> {
    let track = table(md, "Track")?;
    let stmt = select(func::count_star())
        .select_from(&track)
        .filter(track.c("Composer").is_null());
    run(engine, &stmt)
}

fn expect_where_is_null() -> Expect {
    Expect {
        columns: &["count_1"],
        sqlite: Outcome::Rows(rows![[978]]),
        postgresql: Outcome::SameAsSqlite,
        mysql: Outcome::SameAsSqlite,
    }
}

/// ```python
/// return (select(func.count()).select_from(customer)
///         .where(not_(customer.c.Company.is_(None))).where(customer.c.Country != "USA"))
/// ```
fn case_where_is_not_null_not(engine: &Engine, md: &MetaData) -> Result<CursorResult> {
    let customer = table(md, "Customer")?;
    let stmt = select(func::count_star())
        .select_from(&customer)
        .filter(not_(customer.c("Company").is_null()))
        .filter(customer.c("Country").ne("USA"));
    run(engine, &stmt)
}

fn expect_where_is_not_null_not() -> Expect {
    Expect {
        columns: &["count_1"],
        sqlite: Outcome::Rows(rows![[7]]),
        postgresql: Outcome::SameAsSqlite,
        mysql: Outcome::SameAsSqlite,
    }
}
