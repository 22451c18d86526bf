//! PostgreSQL catalog queries (`pg_catalog`).

use crate::sql::{TextClause, text};

/// A row when the table (or view) exists in the schema, or in the search path's first schema.
pub(crate) fn has_table(name: &str, schema: Option<&str>) -> TextClause {
    text(
        "SELECT c.relname FROM pg_catalog.pg_class c \
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
         WHERE c.relname = :name AND c.relkind IN ('r', 'p', 'v', 'm', 'f') \
         AND n.nspname = coalesce(:schema, current_schema())",
    )
    .bind("name", name)
    .bind("schema", schema.map(str::to_string))
}
