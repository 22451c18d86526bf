//! Conformance: the SQLAlchemy Core corpus (`shared/conformance/core.json`, 35 statements over
//! Chinook) ported to Athanor's own API.
//!
//! Each case is a body `case_<id>(engine, metadata)` that builds its statement from the Chinook
//! tables and runs it, and `expect_<id>()`: the result's column names and, per dialect, the rows
//! (normalized as the corpus says: numbers rounded to 4 places, integral ones as integers) or the
//! kind of error SQLAlchemy met. Cases live in a module per topic, each with its list of
//! [`Case`]s; the `#[test]` named after each case runs it on Chinook in in-memory SQLite
//! (`athanor::chinook::load`). The same bodies run on PostgreSQL and MariaDB holding Chinook
//! (`athanor::chinook::install`) by passing those engines to [`support::check_on`] for every
//! case of [`all_cases`].

mod conformance {
    pub(crate) mod support;

    pub(crate) mod aggregates;
    pub(crate) mod basics;
    pub(crate) mod filters;
    pub(crate) mod functions;
    pub(crate) mod joins;
    pub(crate) mod subqueries;
}

#[path = "shared/servers.rs"]
mod servers;

use conformance::support::{self, Case};
use conformance::{aggregates, basics, filters, functions, joins, subqueries};

/// Every case of the corpus.
fn all_cases() -> impl Iterator<Item = &'static Case> {
    [
        basics::CASES,
        filters::CASES,
        joins::CASES,
        aggregates::CASES,
        functions::CASES,
        subqueries::CASES,
    ]
    .into_iter()
    .flatten()
}

/// Runs the case `id` on Chinook in in-memory SQLite.
#[track_caller]
fn check(id: &str) {
    let case = all_cases().find(|c| c.id == id);
    let case = case.unwrap_or_else(|| panic!("case {id} is not listed in any module's CASES"));
    let (engine, md) = support::sqlite_chinook();
    support::check_on(engine, md, case);
}

#[test]
fn every_case_listed_once() {
    let mut ids: Vec<&str> = all_cases().map(|c| c.id).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 35, "the corpus has 35 distinct cases");
}

#[test]
fn seed_first_ten_artists() {
    check("seed_first_ten_artists");
}

#[test]
fn seed_first_ten_albums() {
    check("seed_first_ten_albums");
}

#[test]
fn seed_albums_per_artist() {
    check("seed_albums_per_artist");
}

#[test]
fn where_gt_count() {
    check("where_gt_count");
}

#[test]
fn where_and_or() {
    check("where_and_or");
}

#[test]
fn where_in_list() {
    check("where_in_list");
}

#[test]
fn where_not_in_and_between() {
    check("where_not_in_and_between");
}

#[test]
fn where_like() {
    check("where_like");
}

#[test]
fn where_ilike() {
    check("where_ilike");
}

#[test]
fn where_is_null() {
    check("where_is_null");
}

#[test]
fn where_is_not_null_not() {
    check("where_is_not_null_not");
}

#[test]
fn distinct_countries() {
    check("distinct_countries");
}

#[test]
fn order_multi_desc_limit_offset() {
    check("order_multi_desc_limit_offset");
}

#[test]
fn join_three_tables() {
    check("join_three_tables");
}

#[test]
fn left_outer_join_artists_without_albums() {
    check("left_outer_join_artists_without_albums");
}

#[test]
fn group_having() {
    check("group_having");
}

#[test]
fn aggregates() {
    check("aggregates");
}

#[test]
fn invoice_totals_per_country() {
    check("invoice_totals_per_country");
}

#[test]
fn arithmetic_line_totals() {
    check("arithmetic_line_totals");
}

#[test]
fn correlated_scalar_subquery() {
    check("correlated_scalar_subquery");
}

#[test]
fn in_subquery() {
    check("in_subquery");
}

#[test]
fn exists_subquery() {
    check("exists_subquery");
}

#[test]
fn union_distinct() {
    check("union_distinct");
}

#[test]
fn intersect_cities() {
    check("intersect_cities");
}

#[test]
fn cte_simple() {
    check("cte_simple");
}

#[test]
fn cte_recursive_org_chart() {
    check("cte_recursive_org_chart");
}

#[test]
fn window_rank_per_genre() {
    check("window_rank_per_genre");
}

#[test]
fn case_expression() {
    check("case_expression");
}

#[test]
fn cast_and_coalesce() {
    check("cast_and_coalesce");
}

#[test]
fn string_functions() {
    check("string_functions");
}

#[test]
fn extract_year() {
    check("extract_year");
}

#[test]
fn many_to_many_playlist() {
    check("many_to_many_playlist");
}

#[test]
fn text_with_bindparam() {
    check("text_with_bindparam");
}

#[test]
fn pagination_offset() {
    check("pagination_offset");
}

#[test]
fn top_customers_by_spend() {
    check("top_customers_by_spend");
}

/// Runs every case on a server holding Chinook (installed by `chinook::install` into a private
/// schema or database) and reports all the cases that differ from that dialect's expectation.
fn corpus_on(db: Option<servers::ServerDb>) {
    let Some(db) = db else { return };
    let md = athanor::chinook::install(&db.engine)
        .unwrap_or_else(|e| panic!("installing Chinook into {}: {e}", db.name));
    let mut failed = Vec::new();
    for case in all_cases() {
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            support::check_on(&db.engine, &md, case)
        }));
        if outcome.is_err() {
            failed.push(case.id);
        }
    }
    assert!(
        failed.is_empty(),
        "{} cases failed: {failed:?}",
        failed.len()
    );
}

#[test]
fn corpus_on_postgresql() {
    corpus_on(servers::postgres("corpus_on_postgresql"));
}

#[test]
fn corpus_on_mysql() {
    corpus_on(servers::mysql("corpus_on_mysql"));
}
