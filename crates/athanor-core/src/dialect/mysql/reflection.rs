//! MySQL / MariaDB catalog queries (`information_schema`).

use crate::sql::{TextClause, text};

/// A row when the table (or view) exists in the database, or the connection's database.
pub(crate) fn has_table(name: &str, schema: Option<&str>) -> TextClause {
    text(
        "SELECT table_name FROM information_schema.tables \
         WHERE table_name = :name AND table_schema = coalesce(:schema, database())",
    )
    .bind("name", name)
    .bind("schema", schema.map(str::to_string))
}
