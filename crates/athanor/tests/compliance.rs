//! SQLAlchemy's compliance suite (`lib/sqlalchemy/testing/suite/`), ported: one module per
//! file of the suite, each test run on SQLite, PostgreSQL and MariaDB, skipped where
//! SQLAlchemy's requirements skip it. `compliance/report.sh` writes `compliance/REPORT.md`.

#[path = "shared/servers.rs"]
mod servers;

mod compliance {
    pub(crate) mod harness;
    mod reflection_fixture;
    pub(crate) mod requirements;
    mod test_cte;
    mod test_reflection;
    mod test_reflection_misc;
    mod test_reflection_multi;
    mod test_rowcount;
    mod test_select;
    mod test_update_delete;
}
