//! SQLite result codes → Athanor error kinds.

use crate::error::{DatabaseError, Error, IntegrityKind};

/// Maps a SQLite extended result code and message to an error kind.
///
/// ```
/// use athanor_core::dialect::sqlite::map_error;
/// use athanor_core::Error;
/// let e = map_error(2067, "UNIQUE constraint failed: users.id");
/// assert!(matches!(e, Error::Integrity(_)));
/// assert!(matches!(map_error(5, "database is locked"), Error::Timeout(_)));
/// ```
///
/// Two codes are [`Error::Timeout`]: `SQLITE_BUSY` (a lock still held when the busy timeout
/// ran out; not `SQLITE_BUSY_SNAPSHOT`, a stale WAL snapshot, which waiting can't cure), and
/// `SQLITE_INTERRUPT` when the message says `statement timeout` (Athanor's SQLite driver
/// interrupts a statement at its deadline and says so); any other interrupt is
/// [`Error::Operational`].
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
        // SQLITE_BUSY: the busy timeout ran out (BUSY_SNAPSHOT, 517, is no wait)
        5 if extended_code != 517 => Error::Timeout(db),
        // SQLITE_INTERRUPT: the driver's interrupt at a statement's deadline, or another
        9 if message.contains("statement timeout") => Error::Timeout(db),
        9 => Error::Operational(db),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn busy_and_the_drivers_interrupt_are_timeouts() {
        assert!(matches!(
            map_error(5, "database is locked"),
            Error::Timeout(_)
        ));
        // SQLITE_BUSY_RECOVERY waits like BUSY; BUSY_SNAPSHOT can't be waited out.
        assert!(matches!(
            map_error(261, "database is locked"),
            Error::Timeout(_)
        ));
        assert!(matches!(
            map_error(517, "database is locked"),
            Error::Operational(_)
        ));
        assert!(matches!(
            map_error(9, "interrupted: statement timeout of 200 ms exceeded"),
            Error::Timeout(_)
        ));
        assert!(matches!(map_error(9, "interrupted"), Error::Operational(_)));
        // SQLITE_LOCKED (a table locked within a shared cache) isn't the busy timeout.
        assert!(matches!(
            map_error(6, "database table is locked"),
            Error::Operational(_)
        ));
    }
}
