//! The ORM: `#[derive(Model)]`, the `Session` (identity map, dirty tracking, unit of work,
//! transactions and savepoints), queries of entities, bulk statements, and the SQLAlchemy ORM
//! conformance corpus (`shared/conformance/orm.json`) on Chinook, on every database.

mod orm {
    pub(crate) mod models;
    pub(crate) mod rel_models;
    pub(crate) mod support;

    mod automap;
    mod conformance;
    mod derive;
    mod example;
    mod fast_paths;
    mod flush;
    mod mapping;
    mod model_based;
    mod post_update;
    mod queries;
    mod rel_queries;
    mod relationships;
    mod session;
    // SQLAlchemy's answers to the same session programs (bench/sqlalchemy_orm_oracle.py).
    mod oracle;
}

#[path = "shared/servers.rs"]
mod servers;
