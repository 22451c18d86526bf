//! GROUP BY, HAVING and aggregate functions, ordered by their labels.

use athanor::prelude::*;
use athanor::{CursorResult, Engine, Result};

use super::support::{Case, Expect, Outcome, rows, run, table};

/// The cases of this module, in the corpus's order.
pub(crate) const CASES: &[Case] = &[
    Case::new("group_having", case_group_having, expect_group_having),
    Case::new("aggregates", case_aggregates, expect_aggregates),
    Case::new(
        "invoice_totals_per_country",
        case_invoice_totals_per_country,
        expect_invoice_totals_per_country,
    ),
    Case::new(
        "arithmetic_line_totals",
        case_arithmetic_line_totals,
        expect_arithmetic_line_totals,
    ),
];

/// ```python
/// cnt = func.count(track.c.TrackId)
/// return (select(genre.c.Name, cnt.label("tracks")).select_from(genre.join(track))
///         .group_by(genre.c.GenreId, genre.c.Name).having(cnt > 100).order_by(desc("tracks")))
/// ```
fn case_group_having(engine: &Engine, md: &MetaData) -> Result<CursorResult> {
    let (genre, track) = (table(md, "Genre")?, table(md, "Track")?);
    let cnt = func::count(track.c("TrackId"));
    let stmt = select((genre.c("Name"), cnt.clone().label("tracks")))
        .select_from(genre.join(&track))
        .group_by((genre.c("GenreId"), genre.c("Name")))
        .having(cnt.gt(100))
        .order_by(desc("tracks"));
    run(engine, &stmt)
}

fn expect_group_having() -> Expect {
    Expect {
        columns: &["Name", "tracks"],
        sqlite: Outcome::Rows(rows![
            ["Rock", 1297],
            ["Latin", 579],
            ["Metal", 374],
            ["Alternative & Punk", 332],
            ["Jazz", 130]
        ]),
        postgresql: Outcome::SameAsSqlite,
        mysql: Outcome::SameAsSqlite,
    }
}

/// ```python
/// return select(func.count(track.c.TrackId), func.sum(track.c.Milliseconds), func.min(track.c.Milliseconds),
///               func.max(track.c.Milliseconds), func.avg(track.c.Milliseconds), func.count(distinct(track.c.AlbumId)))
/// ```
fn case_aggregates(engine: &Engine, md: &MetaData) -> Result<CursorResult> {
    let track = table(md, "Track")?;
    let ms = track.c("Milliseconds");
    let stmt = select((
        func::count(track.c("TrackId")),
        func::sum(ms.clone()),
        func::min(ms.clone()),
        func::max(ms.clone()),
        func::avg(ms),
        func::count_distinct(track.c("AlbumId")),
    ));
    run(engine, &stmt)
}

fn expect_aggregates() -> Expect {
    Expect {
        columns: &["count_1", "sum_1", "min_1", "max_1", "avg_1", "count_2"],
        sqlite: Outcome::Rows(rows![[3503, 1378778040, 1071, 5286953, 393599.2121, 347]]),
        postgresql: Outcome::SameAsSqlite,
        mysql: Outcome::SameAsSqlite,
    }
}

/// ```python
/// return (select(invoice.c.BillingCountry, func.sum(invoice.c.Total).label("total"), func.count().label("n"))
///         .group_by(invoice.c.BillingCountry).order_by(desc("total"), invoice.c.BillingCountry).limit(5))
/// ```
fn case_invoice_totals_per_country(engine: &Engine, md: &MetaData) -> Result<CursorResult> {
    let invoice = table(md, "Invoice")?;
    let stmt = select((
        invoice.c("BillingCountry"),
        func::sum(invoice.c("Total")).label("total"),
        func::count_star().label("n"),
    ))
    .group_by(invoice.c("BillingCountry"))
    .order_by(desc("total"))
    .order_by(invoice.c("BillingCountry"))
    .limit(5);
    run(engine, &stmt)
}

fn expect_invoice_totals_per_country() -> Expect {
    Expect {
        columns: &["BillingCountry", "total", "n"],
        sqlite: Outcome::Rows(rows![
            ["USA", 523.06, 91],
            ["Canada", 303.96, 56],
            ["France", 195.1, 35],
            ["Brazil", 190.1, 35],
            ["Germany", 156.48, 28]
        ]),
        postgresql: Outcome::SameAsSqlite,
        mysql: Outcome::SameAsSqlite,
    }
}

/// ```python
/// amount = func.round(func.sum(line.c.UnitPrice * line.c.Quantity), 2).label("amount")
/// return select(line.c.InvoiceId, amount).group_by(line.c.InvoiceId).order_by(desc("amount"), line.c.InvoiceId).limit(5)
/// ```
fn case_arithmetic_line_totals(engine: &Engine, md: &MetaData) -> Result<CursorResult> {
    let line = table(md, "InvoiceLine")?;
    let amount =
        func::round(func::sum(line.c("UnitPrice") * line.c("Quantity")), 2).label("amount");
    let stmt = select((line.c("InvoiceId"), amount))
        .group_by(line.c("InvoiceId"))
        .order_by(desc("amount"))
        .order_by(line.c("InvoiceId"))
        .limit(5);
    run(engine, &stmt)
}

fn expect_arithmetic_line_totals() -> Expect {
    Expect {
        columns: &["InvoiceId", "amount"],
        sqlite: Outcome::Rows(rows![
            [404, 25.86],
            [299, 23.86],
            [96, 21.86],
            [194, 21.86],
            [89, 18.86]
        ]),
        postgresql: Outcome::SameAsSqlite,
        mysql: Outcome::SameAsSqlite,
    }
}
