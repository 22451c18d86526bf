//! SQLite result codes → Athanor error kinds.

use crate::error::{DatabaseError, Error, IntegrityKind};

/// Maps a SQLite extended result code and message to an error kind.
///
/// ```
/// use athanor_core::dialect::sqlite::map_error;
/// use athanor_core::Error;
/// let e = map_error(2067, "UNIQUE constraint failed: users.id");
/// assert!(matches!(e, Error::Integrity(_)));
/// ```
pub fn map_error(extended_code: i32, message: &str) -> Error {
    let primary = extended_code & 0xff;
    let db = DatabaseError::new(message).with_code(extended_code.to_string());
    match primary {
        // SQLITE_CONSTRAINT
        19 => {
            let kind = match extended_code {
                2067 | 1555 => IntegrityKind::Unique,
                787 => IntegrityKind::ForeignKey,
                1299 => IntegrityKind::NotNull,
                275 => IntegrityKind::Check,
                _ => IntegrityKind::Unique,
            };
            Error::Integrity(db.with_integrity(kind))
        }
        // SQLITE_MISMATCH, SQLITE_TOOBIG, SQLITE_RANGE
        20 | 18 | 25 => Error::Data(db),
        // SQLITE_ERROR: syntax errors, no such table/column
        1 => Error::Programming(db),
        // SQLITE_MISUSE
        21 => Error::Programming(db),
        // BUSY, LOCKED, NOMEM, READONLY, IOERR, CORRUPT, FULL, CANTOPEN, PROTOCOL, NOTADB, PERM
        5 | 6 | 7 | 8 | 10 | 11 | 13 | 14 | 15 | 26 | 3 => Error::Operational(db),
        _ => Error::Database(db),
    }
}
