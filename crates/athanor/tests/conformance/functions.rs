//! SQL expressions and functions: CASE, CAST, coalesce, string functions, EXTRACT.

use athanor::prelude::*;
use athanor::{CursorResult, Engine, Result};

use super::support::{Case, Expect, Outcome, rows, run, table};

/// The cases of this module, in the corpus's order.
pub(crate) const CASES: &[Case] = &[
    Case::new(
        "case_expression",
        case_case_expression,
        expect_case_expression,
    ),
    Case::new(
        "cast_and_coalesce",
        case_cast_and_coalesce,
        expect_cast_and_coalesce,
    ),
    Case::new(
        "string_functions",
        case_string_functions,
        expect_string_functions,
    ),
    Case::new("extract_year", case_extract_year, expect_extract_year),
];

/// ```python
/// size = case((track.c.Milliseconds < 180000, "short"), (track.c.Milliseconds < 360000, "medium"), else_="long").label("size")
/// return select(size, func.count().label("n")).group_by(size).order_by(size)
/// ```
fn case_case_expression(engine: &Engine, md: &MetaData) -> Result<CursorResult> {
    let track = table(md, "Track")?;
    let ms = track.c("Milliseconds");
    let size = case([
        (ms.clone().lt(180_000), literal("short")),
        (ms.lt(360_000), literal("medium")),
    ])
    .else_("long")
    .label("size");
    let stmt = select((size.clone(), func::count_star().label("n")))
        .group_by(size.clone())
        .order_by(size);
    run(engine, &stmt)
}

fn expect_case_expression() -> Expect {
    Expect {
        columns: &["size", "n"],
        sqlite: Outcome::Rows(rows![["long", 623], ["medium", 2400], ["short", 480]]),
        postgresql: Outcome::SameAsSqlite,
        mysql: Outcome::SameAsSqlite,
    }
}

/// ```python
/// return (select(track.c.TrackId, cast(track.c.UnitPrice * 100, Integer).label("cents"),
///                func.coalesce(track.c.Composer, "unknown").label("composer"))
///         .where(track.c.TrackId.in_([1, 63, 3503])).order_by(track.c.TrackId))
/// ```
fn case_cast_and_coalesce(engine: &Engine, md: &MetaData) -> Result<CursorResult> {
    let track = table(md, "Track")?;
    let stmt = select((
        track.c("TrackId"),
        cast(track.c("UnitPrice") * 100, Type::Integer).label("cents"),
        func::coalesce([track.c("Composer"), literal("unknown")]).label("composer"),
    ))
    .filter(track.c("TrackId").in_([1, 63, 3503]))
    .order_by(track.c("TrackId"));
    run(engine, &stmt)
}

fn expect_cast_and_coalesce() -> Expect {
    Expect {
        columns: &["TrackId", "cents", "composer"],
        sqlite: Outcome::Rows(rows![
            [1, 99, "Angus Young, Malcolm Young, Brian Johnson"],
            [63, 99, "unknown"],
            [3503, 99, "Philip Glass"]
        ]),
        postgresql: Outcome::SameAsSqlite,
        mysql: Outcome::SameAsSqlite,
    }
}

/// ```python
/// return (select(func.upper(artist.c.Name), func.lower(artist.c.Name), func.length(artist.c.Name))
///         .where(artist.c.ArtistId.in_([1, 2, 3])).order_by(artist.c.ArtistId))
/// ```
fn case_string_functions(engine: &Engine, md: &MetaData) -> Result<CursorResult> {
    let artist = table(md, "Artist")?;
    let name = artist.c("Name");
    let stmt = select((
        func::upper(name.clone()),
        func::lower(name.clone()),
        func::length(name),
    ))
    .filter(artist.c("ArtistId").in_([1, 2, 3]))
    .order_by(artist.c("ArtistId"));
    run(engine, &stmt)
}

fn expect_string_functions() -> Expect {
    Expect {
        columns: &["upper_1", "lower_1", "length_1"],
        sqlite: Outcome::Rows(rows![
            ["AC/DC", "ac/dc", 5],
            ["ACCEPT", "accept", 6],
            ["AEROSMITH", "aerosmith", 9]
        ]),
        postgresql: Outcome::SameAsSqlite,
        mysql: Outcome::SameAsSqlite,
    }
}

/// ```python
/// y = extract("year", invoice.c.InvoiceDate).label("year")
/// return select(y, func.count().label("n")).group_by(y).order_by(y)
/// ```
fn case_extract_year(engine: &Engine, md: &MetaData) -> Result<CursorResult> {
    let invoice = table(md, "Invoice")?;
    let y = extract(DatePart::Year, invoice.c("InvoiceDate")).label("year");
    let stmt = select((y.clone(), func::count_star().label("n")))
        .group_by(y.clone())
        .order_by(y);
    run(engine, &stmt)
}

fn expect_extract_year() -> Expect {
    Expect {
        columns: &["year", "n"],
        sqlite: Outcome::Rows(rows![
            [2007, 83],
            [2008, 83],
            [2009, 84],
            [2010, 82],
            [2011, 80]
        ]),
        postgresql: Outcome::SameAsSqlite,
        mysql: Outcome::SameAsSqlite,
    }
}
