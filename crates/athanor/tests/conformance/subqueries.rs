//! Subqueries (scalar, IN, EXISTS, FROM), set operations, CTEs and window functions.

use athanor::prelude::*;
use athanor::{CursorResult, Engine, Result};

use super::support::{Case, Expect, Outcome, rows, run, table};

/// The cases of this module, in the corpus's order.
pub(crate) const CASES: &[Case] = &[
    Case::new(
        "correlated_scalar_subquery",
        case_correlated_scalar_subquery,
        expect_correlated_scalar_subquery,
    ),
    Case::new("in_subquery", case_in_subquery, expect_in_subquery),
    Case::new(
        "exists_subquery",
        case_exists_subquery,
        expect_exists_subquery,
    ),
    Case::new("union_distinct", case_union_distinct, expect_union_distinct),
    Case::new(
        "intersect_cities",
        case_intersect_cities,
        expect_intersect_cities,
    ),
    Case::new("cte_simple", case_cte_simple, expect_cte_simple),
    Case::new(
        "cte_recursive_org_chart",
        case_cte_recursive_org_chart,
        expect_cte_recursive_org_chart,
    ),
    Case::new(
        "window_rank_per_genre",
        case_window_rank_per_genre,
        expect_window_rank_per_genre,
    ),
];

/// ```python
/// n = (select(func.count(album.c.AlbumId)).where(album.c.ArtistId == artist.c.ArtistId)
///      .scalar_subquery().label("albums"))
/// return select(artist.c.Name, n).where(artist.c.ArtistId <= 5).order_by(artist.c.ArtistId)
/// ```
fn case_correlated_scalar_subquery(engine: &Engine, md: &MetaData) -> Result<CursorResult> {
    let (artist, album) = (table(md, "Artist")?, table(md, "Album")?);
    let n = select(func::count(album.c("AlbumId")))
        .filter(album.c("ArtistId").eq(artist.c("ArtistId")))
        .scalar_subquery()
        .label("albums");
    let stmt = select((artist.c("Name"), n))
        .filter(artist.c("ArtistId").le(5))
        .order_by(artist.c("ArtistId"));
    run(engine, &stmt)
}

fn expect_correlated_scalar_subquery() -> Expect {
    Expect {
        columns: &["Name", "albums"],
        sqlite: Outcome::Rows(rows![
            ["AC/DC", 2],
            ["Accept", 2],
            ["Aerosmith", 1],
            ["Alanis Morissette", 1],
            ["Alice In Chains", 1]
        ]),
        postgresql: Outcome::SameAsSqlite,
        mysql: Outcome::SameAsSqlite,
    }
}

/// ```python
/// jazz = select(genre.c.GenreId).where(genre.c.Name == "Jazz")
/// bought = (select(invoice.c.CustomerId).select_from(invoice.join(line).join(track))
///           .where(track.c.GenreId.in_(jazz)))
/// return select(func.count()).select_from(customer).where(customer.c.CustomerId.in_(bought))
/// ```
fn case_in_subquery(engine: &Engine, md: &MetaData) -> Result<CursorResult> {
    let (genre, invoice, line, track, customer) = (
        table(md, "Genre")?,
        table(md, "Invoice")?,
        table(md, "InvoiceLine")?,
        table(md, "Track")?,
        table(md, "Customer")?,
    );
    let jazz = select(genre.c("GenreId")).filter(genre.c("Name").eq("Jazz"));
    let bought = select(invoice.c("CustomerId"))
        .select_from(invoice.join(&line).join(&track))
        .filter(track.c("GenreId").in_select(jazz));
    let stmt = select(func::count_star())
        .select_from(&customer)
        .filter(customer.c("CustomerId").in_select(bought));
    run(engine, &stmt)
}

fn expect_in_subquery() -> Expect {
    Expect {
        columns: &["count_1"],
        sqlite: Outcome::Rows(rows![[32]]),
        postgresql: Outcome::SameAsSqlite,
        mysql: Outcome::SameAsSqlite,
    }
}

/// ```python
/// has = exists().where(track.c.MediaTypeId == media.c.MediaTypeId).where(track.c.Milliseconds > 1000000)
/// return select(media.c.Name).where(has).order_by(media.c.Name)
/// ```
fn case_exists_subquery(engine: &Engine, md: &MetaData) -> Result<CursorResult> {
    let (track, media) = (table(md, "Track")?, table(md, "MediaType")?);
    let has = select(star())
        .filter(track.c("MediaTypeId").eq(media.c("MediaTypeId")))
        .filter(track.c("Milliseconds").gt(1_000_000))
        .exists();
    let stmt = select(media.c("Name"))
        .filter(has)
        .order_by(media.c("Name"));
    run(engine, &stmt)
}

fn expect_exists_subquery() -> Expect {
    Expect {
        columns: &["Name"],
        sqlite: Outcome::Rows(rows![["MPEG audio file"], ["Protected MPEG-4 video file"]]),
        postgresql: Outcome::SameAsSqlite,
        mysql: Outcome::SameAsSqlite,
    }
}

/// ```python
/// a = select(customer.c.Country.label("c")).where(customer.c.Country.like("U%"))
/// b = select(employee.c.Country.label("c"))
/// return union(a, b).order_by("c")
/// ```
fn case_union_distinct(engine: &Engine, md: &MetaData) -> Result<CursorResult> {
    let (customer, employee) = (table(md, "Customer")?, table(md, "Employee")?);
    let a = select(customer.c("Country").label("c")).filter(customer.c("Country").like("U%"));
    let b = select(employee.c("Country").label("c"));
    let stmt = union([a, b]).order_by(column("c"));
    run(engine, &stmt)
}

fn expect_union_distinct() -> Expect {
    Expect {
        columns: &["c"],
        sqlite: Outcome::Rows(rows![["Canada"], ["USA"], ["United Kingdom"]]),
        postgresql: Outcome::SameAsSqlite,
        mysql: Outcome::Rows(rows![["Canada"], ["United Kingdom"], ["USA"]]),
    }
}

/// ```python
/// a = select(customer.c.City).where(customer.c.Country == "Canada")
/// b = select(employee.c.City)
/// return intersect(a, b).order_by(customer.c.City)
/// ```
fn case_intersect_cities(engine: &Engine, md: &MetaData) -> Result<CursorResult> {
    let (customer, employee) = (table(md, "Customer")?, table(md, "Employee")?);
    let a = select(customer.c("City")).filter(customer.c("Country").eq("Canada"));
    let b = select(employee.c("City"));
    let stmt = intersect([a, b]).order_by(customer.c("City"));
    run(engine, &stmt)
}

fn expect_intersect_cities() -> Expect {
    Expect {
        columns: &["City"],
        sqlite: Outcome::Rows(rows![["Edmonton"]]),
        postgresql: Outcome::SameAsSqlite,
        mysql: Outcome::SameAsSqlite,
    }
}

/// ```python
/// big = (select(track.c.AlbumId, func.sum(track.c.Milliseconds).label("ms"))
///        .group_by(track.c.AlbumId).cte("album_length"))
/// return (select(album.c.Title, big.c.ms).join_from(album, big, album.c.AlbumId == big.c.AlbumId)
///         .order_by(big.c.ms.desc(), album.c.Title).limit(3))
/// ```
fn case_cte_simple(engine: &Engine, md: &MetaData) -> Result<CursorResult> {
    let (track, album) = (table(md, "Track")?, table(md, "Album")?);
    let big = select((
        track.c("AlbumId"),
        func::sum(track.c("Milliseconds")).label("ms"),
    ))
    .group_by(track.c("AlbumId"))
    .cte("album_length");
    let stmt = select((album.c("Title"), big.c("ms")))
        .join_from_on(&album, &big, album.c("AlbumId").eq(big.c("AlbumId")))
        .order_by(big.c("ms").desc())
        .order_by(album.c("Title"))
        .limit(3);
    run(engine, &stmt)
}

fn expect_cte_simple() -> Expect {
    Expect {
        columns: &["Title", "ms"],
        sqlite: Outcome::Rows(rows![
            ["Lost, Season 3", 70665582],
            ["Battlestar Galactica (Classic), Season 1", 70213784],
            ["Lost, Season 1", 64854936]
        ]),
        postgresql: Outcome::SameAsSqlite,
        mysql: Outcome::SameAsSqlite,
    }
}

/// ```python
/// top = (select(employee.c.EmployeeId, employee.c.LastName, literal(0).label("depth"))
///        .where(employee.c.ReportsTo.is_(None)).cte("chain", recursive=True))
/// e = employee.alias("e")
/// chain = top.union_all(select(e.c.EmployeeId, e.c.LastName, (top.c.depth + 1).label("depth"))
///                       .where(e.c.ReportsTo == top.c.EmployeeId))
/// return select(chain.c.LastName, chain.c.depth).order_by(chain.c.depth, chain.c.LastName)
/// ```
fn case_cte_recursive_org_chart(engine: &Engine, md: &MetaData) -> Result<CursorResult> {
    let employee = table(md, "Employee")?;
    let top = select((
        employee.c("EmployeeId"),
        employee.c("LastName"),
        literal(0).label("depth"),
    ))
    .filter(employee.c("ReportsTo").is_null())
    .cte_recursive("chain");
    let e = employee.alias("e");
    let step = select((
        e.c("EmployeeId"),
        e.c("LastName"),
        (top.c("depth") + 1).label("depth"),
    ))
    .filter(e.c("ReportsTo").eq(top.c("EmployeeId")));
    let chain = top.union_all(step);
    let stmt = select((chain.c("LastName"), chain.c("depth")))
        .order_by(chain.c("depth"))
        .order_by(chain.c("LastName"));
    run(engine, &stmt)
}

fn expect_cte_recursive_org_chart() -> Expect {
    Expect {
        columns: &["LastName", "depth"],
        sqlite: Outcome::Rows(rows![
            ["Adams", 0],
            ["Edwards", 1],
            ["Mitchell", 1],
            ["Callahan", 2],
            ["Johnson", 2],
            ["King", 2],
            ["Park", 2],
            ["Peacock", 2]
        ]),
        postgresql: Outcome::SameAsSqlite,
        mysql: Outcome::SameAsSqlite,
    }
}

/// ```python
/// r = func.rank().over(partition_by=track.c.GenreId, order_by=track.c.Milliseconds.desc()).label("r")
/// sub = select(track.c.GenreId, track.c.Name, r).where(track.c.GenreId <= 3).subquery()
/// return select(sub.c.GenreId, sub.c.Name, sub.c.r).where(sub.c.r <= 2).order_by(sub.c.GenreId, sub.c.r, sub.c.Name)
/// ```
fn case_window_rank_per_genre(engine: &Engine, md: &MetaData) -> Result<CursorResult> {
    let track = table(md, "Track")?;
    let window = Window::new()
        .partition_by(track.c("GenreId"))
        .order_by(track.c("Milliseconds").desc());
    let r = func::rank().over(window).label("r");
    let sub = select((track.c("GenreId"), track.c("Name"), r))
        .filter(track.c("GenreId").le(3))
        .subquery_anon();
    let stmt = select((sub.c("GenreId"), sub.c("Name"), sub.c("r")))
        .filter(sub.c("r").le(2))
        .order_by(sub.c("GenreId"))
        .order_by(sub.c("r"))
        .order_by(sub.c("Name"));
    run(engine, &stmt)
}

fn expect_window_rank_per_genre() -> Expect {
    Expect {
        columns: &["GenreId", "Name", "r"],
        sqlite: Outcome::Rows(rows![
            [1, "Dazed And Confused", 1],
            [1, "Space Truckin'", 2],
            [2, "My Funny Valentine (Live)", 1],
            [2, "Miles Runs The Voodoo Down", 2],
            [3, "Rime of the Ancient Mariner", 1],
            [3, "Rime Of The Ancient Mariner", 2]
        ]),
        postgresql: Outcome::SameAsSqlite,
        mysql: Outcome::SameAsSqlite,
    }
}
