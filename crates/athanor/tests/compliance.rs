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
    mod test_ddl;
    mod test_dialect;
    mod test_insert;
    mod test_reflection;
    mod test_reflection_extra;
    mod test_reflection_extra_columns;
    mod test_reflection_misc;
    mod test_reflection_multi;
    mod test_reflection_names;
    mod test_reflection_temp;
    mod test_results;
    mod test_rowcount;
    pub(crate) mod test_select;
    mod test_select_in;
    mod test_select_like;
    mod test_select_limit;
    mod test_select_misc;
    mod test_sequence;
    mod test_table_via_select;
    mod test_types;
    mod test_types_dates;
    mod test_types_json;
    mod test_types_json_more;
    mod test_types_numeric;
    mod test_types_scalars;
    mod test_types_uuid;
    mod test_unicode_ddl;
    mod test_update_delete;
}
