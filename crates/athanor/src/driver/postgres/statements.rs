//! The per-connection cache of prepared statements, and when its statements go stale.
//!
//! PostgreSQL plans a prepared statement again by itself when a table it reads changes, but
//! it refuses to change the statement's result columns ("cached plan must not change result
//! type") and forgets every statement on `DISCARD ALL` / `DEALLOCATE ALL`. So:
//! - DDL run through a connection drops that connection's cached statements (their parameter
//!   and column types may be stale too);
//! - a statement the server reports stale (DDL through another connection) is prepared again
//!   once and run again: the failed run did nothing. Inside a transaction the failure has
//!   aborted the transaction, so there is no retry, only an error saying to roll back.

use std::collections::HashMap;

use postgres::{Client, Statement};

use super::to_error;
use crate::{Error, Result};

/// Statements kept per connection before the cache starts over.
const CAPACITY: usize = 256;

/// Prepared statements by SQL text.
#[derive(Default)]
pub(super) struct Statements {
    map: HashMap<String, Statement>,
}

impl Statements {
    /// The cached statement for `sql`, prepared on first use.
    pub(super) fn get(&mut self, client: &mut Client, sql: &str) -> Result<Statement> {
        if let Some(s) = self.map.get(sql) {
            return Ok(s.clone());
        }
        let stmt = client.prepare(sql).map_err(to_error)?;
        if self.map.len() >= CAPACITY {
            self.map.clear();
        }
        self.map.insert(sql.to_string(), stmt.clone());
        Ok(stmt)
    }

    /// Prepares `sql` again after the server called its statement stale (`stale`, the error).
    ///
    /// # Errors
    /// When preparing fails: inside a transaction (which the stale statement's failure has
    /// aborted) the stale error, saying to roll back and retry; otherwise the new error.
    pub(super) fn reprepare(
        &mut self,
        client: &mut Client,
        sql: &str,
        stale: postgres::Error,
    ) -> Result<Statement> {
        self.map.remove(sql);
        match self.get(client, sql) {
            Ok(s) => Ok(s),
            Err(e) if e.database_error().and_then(|d| d.code.as_deref()) == Some("25P02") => {
                Err(with_hint(to_error(stale)))
            }
            Err(e) => Err(e),
        }
    }

    /// Forgets every statement when `sql`, one prepared statement, changes what statements
    /// mean (DDL, DISCARD): a look at its first word, so cheap on every execution.
    pub(super) fn after(&mut self, sql: &str) {
        if changes_statements(first_word(sql)) {
            self.map.clear();
        }
    }

    /// As [`Statements::after`] for a script of `;`-separated statements.
    pub(super) fn after_script(&mut self, sql: &str) {
        if sql
            .split(';')
            .any(|piece| changes_statements(first_word(piece)))
        {
            self.map.clear();
        }
    }
}

/// Adds what to do to the stale-statement error raised inside a transaction.
fn with_hint(e: Error) -> Error {
    match e {
        Error::Programming(mut db) => {
            db.message = format!(
                "{}: the tables this statement reads changed (DDL) since this connection \
                 prepared it, and inside a transaction the failure aborted the transaction; \
                 roll back and run the transaction again (it is prepared anew)",
                db.message
            );
            Error::Programming(db)
        }
        other => other,
    }
}

/// Did the server refuse a cached statement because it is stale?
pub(super) fn is_stale(e: &postgres::Error) -> bool {
    e.as_db_error().is_some_and(|db| {
        let code = db.code().code();
        (code == "0A000" && db.message().starts_with("cached plan must not change result type"))
            // invalid_sql_statement_name: the statement was deallocated (DISCARD ALL).
            || code == "26000"
    })
}

/// The first word of a statement.
fn first_word(sql: &str) -> &str {
    sql.trim_start_matches(|c: char| c.is_whitespace() || c == '(')
        .split(|c: char| !c.is_ascii_alphabetic())
        .next()
        .unwrap_or("")
}

/// Is `word` the first word of a statement that changes tables, types or functions (CREATE,
/// ALTER, DROP) or drops prepared statements (DISCARD, DEALLOCATE)?
fn changes_statements(word: &str) -> bool {
    (4..=10).contains(&word.len())
        && ["CREATE", "ALTER", "DROP", "DISCARD", "DEALLOCATE"]
            .iter()
            .any(|k| word.eq_ignore_ascii_case(k))
}

#[cfg(test)]
mod tests {
    use super::{changes_statements, first_word};

    /// As `Statements::after_script` decides.
    fn script_changes(sql: &str) -> bool {
        sql.split(';').any(|p| changes_statements(first_word(p)))
    }

    #[test]
    fn ddl_is_recognised_by_its_first_word() {
        for sql in [
            "ALTER TABLE t ALTER COLUMN v TYPE text",
            "  drop table t",
            "CREATE TABLE t (x int)",
            "INSERT INTO t VALUES (1); create index i on t (x)",
            "DISCARD ALL",
            "deallocate all",
        ] {
            assert!(script_changes(sql), "{sql}");
        }
        for sql in [
            "SELECT 1",
            "BEGIN",
            "COMMIT",
            "INSERT INTO t VALUES ('drop')",
            "UPDATE created SET x = 1",
            "SAVEPOINT sp",
            "",
        ] {
            assert!(!script_changes(sql), "{sql}");
        }
    }
}
