//! Integration tests of the `athanor` crate: one binary, a module per topic.
//!
//! Every behaviour is one test body `fn(&Engine) -> Result<()>` run by
//! [`support::on_all`] on every engine [`support::engines`] gives (in-memory SQLite today;
//! PostgreSQL and MySQL when their URLs are set), so the same bodies check every database.

#[path = "shared/servers.rs"]
mod servers;

mod integration {
    pub(crate) mod support;

    mod cache;
    mod clauses;
    mod compliance_insert;
    mod connection_faults;
    mod ddl_literals;
    mod disconnect;
    mod dml;
    mod engine;
    mod error_params;
    mod errors;
    mod exact_results;
    mod exact_values;
    mod identifiers;
    mod isolation;
    mod joins;
    mod literal_binds;
    mod no_panic;
    mod operators;
    mod oracle_ctes;
    mod oracle_dml;
    mod oracle_grouping;
    mod oracle_more;
    mod oracle_queries;
    pub(crate) mod oracle_rental;
    mod oracle_round4;
    mod oracle_typed;
    mod order_by;
    mod params;
    mod pg_types;
    mod pool;
    mod pool_servers;
    mod reset;
    mod results;
    mod schema;
    mod select;
    mod select_spellings;
    mod stale_statements;
    mod text_params;
    mod timeouts;
    mod tls;
    mod transactions;
    mod type_decorator;
    mod types;
    mod value_edges;
}
