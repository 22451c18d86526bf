//! SQLite catalog queries (`sqlite_master`, `pragma_*` table functions).

use crate::sql::{TextClause, text};

/// A row when the table (or view) exists; a schema is an attached database name.
pub(crate) fn has_table(name: &str, schema: Option<&str>) -> TextClause {
    let sql = match schema {
        Some(s) => format!(
            "SELECT name FROM \"{}\".sqlite_master WHERE type IN ('table', 'view') AND name = :name",
            s.replace('"', "\"\"")
        ),
        None => "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name = :name"
            .to_string(),
    };
    text(&sql).bind("name", name)
}
