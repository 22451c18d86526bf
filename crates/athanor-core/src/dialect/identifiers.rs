//! The names a database can hold: how long, and which characters.
//!
//! PostgreSQL cuts every name longer than 63 bytes (its `NAMEDATALEN - 1`) with only a
//! NOTICE, so a table created under a long name exists under another one, and a long label
//! comes back under a name that `row.get(label)` never finds. MySQL and MariaDB refuse a table,
//! column, index or constraint name longer than 64 characters, and cut a column alias at
//! 255 bytes. No database takes a NUL character in a name (SQLite would end the statement
//! there). Athanor checks every name as it renders it, and refuses it up front with
//! [`Error::Argument`] naming the name, the limit and the dialect (SQLAlchemy's
//! `IdentifierError`), before any SQL reaches the database:
//!
//! | dialect | names in DDL (tables, columns, indexes, constraints, schemas) | names in queries (labels, aliases, CTEs, references) |
//! |---|---|---|
//! | PostgreSQL | 63 bytes | 63 bytes |
//! | MySQL / MariaDB | 64 characters | 255 bytes |
//! | SQLite | no limit | no limit |
//!
//! Every dialect refuses NUL (`\0`) in a name.
//!
//! ```
//! use athanor_core::prelude::*;
//! use athanor_core::dialect::{Postgres, Sqlite};
//! let long = "x".repeat(64);
//! let stmt = select(column("id").label(&long));
//! let err = stmt.compile(&Postgres).unwrap_err();
//! assert!(matches!(err, Error::Argument(_)), "{err}");
//! assert!(err.to_string().contains("longer than PostgreSQL's limit of 63 bytes"), "{err}");
//! assert!(stmt.compile(&Sqlite).is_ok());
//! ```

use crate::error::{Error, Result};

/// How long a name may be in a dialect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum NameLimit {
    /// Any length.
    Unlimited,
    /// At most this many bytes of UTF-8.
    Bytes(usize),
    /// At most this many characters.
    Chars(usize),
}

impl NameLimit {
    /// Does `name` fit?
    pub fn fits(self, name: &str) -> bool {
        match self {
            NameLimit::Unlimited => true,
            NameLimit::Bytes(n) => name.len() <= n,
            // A name of at most n bytes has at most n characters: count only when needed.
            NameLimit::Chars(n) => name.len() <= n || name.chars().count() <= n,
        }
    }
}

/// The name as shown in a message: quoted, cut after 80 characters.
fn shown(name: &str) -> String {
    match name.char_indices().nth(80) {
        Some((end, _)) => format!("{:?}...", &name[..end]),
        None => format!("{name:?}"),
    }
}

/// Checks a name against a dialect's limit: [`Error::Argument`] for a NUL character or a
/// name longer than `limit`. `dialect` is the dialect's display name (`PostgreSQL`).
///
/// # Errors
/// [`Error::Argument`] naming the name, the limit and the dialect.
pub fn check_name(name: &str, limit: NameLimit, dialect: &str) -> Result<()> {
    if name.contains('\0') {
        return Err(Error::argument(format!(
            "the name {} contains a NUL character, which no database accepts in a name: \
             remove it",
            shown(name)
        )));
    }
    if limit.fits(name) {
        return Ok(());
    }
    let (size, max, unit) = match limit {
        NameLimit::Bytes(n) => (name.len(), n, "bytes"),
        NameLimit::Chars(n) => (name.chars().count(), n, "characters"),
        NameLimit::Unlimited => return Ok(()),
    };
    Err(Error::argument(format!(
        "the name {} is {size} {unit} long, longer than {dialect}'s limit of {max} {unit} \
         (the database would cut or refuse it): use a shorter name or label",
        shown(name)
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(r: Result<()>) -> String {
        match r {
            Err(Error::Argument(m)) => m,
            other => panic!("expected Error::Argument, got {other:?}"),
        }
    }

    #[test]
    fn limits_count_bytes_or_characters() {
        let pg = NameLimit::Bytes(63);
        assert!(check_name(&"a".repeat(63), pg, "PostgreSQL").is_ok());
        assert_eq!(
            message(check_name(&"a".repeat(64), pg, "PostgreSQL")),
            format!(
                "the name {:?} is 64 bytes long, longer than PostgreSQL's limit of 63 bytes \
                 (the database would cut or refuse it): use a shorter name or label",
                "a".repeat(64)
            )
        );
        // 32 two-byte characters: 64 bytes.
        assert!(check_name(&"é".repeat(32), pg, "PostgreSQL").is_err());
        let my = NameLimit::Chars(64);
        assert!(check_name(&"é".repeat(64), my, "MySQL").is_ok());
        assert!(message(check_name(&"é".repeat(65), my, "MySQL")).contains("65 characters"));
        assert!(check_name(&"x".repeat(100_000), NameLimit::Unlimited, "SQLite").is_ok());
    }

    #[test]
    fn nul_is_refused_everywhere_and_long_names_are_cut_in_messages() {
        assert_eq!(
            message(check_name("a\0b", NameLimit::Unlimited, "SQLite")),
            "the name \"a\\0b\" contains a NUL character, which no database accepts in a \
             name: remove it"
        );
        let m = message(check_name(
            &"y".repeat(500),
            NameLimit::Bytes(63),
            "PostgreSQL",
        ));
        assert!(m.starts_with(&format!("the name {:?}... is 500 bytes", "y".repeat(80))));
    }
}
