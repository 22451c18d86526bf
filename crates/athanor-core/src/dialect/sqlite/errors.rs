//! SQLite result codes → Athanor error kinds.

use crate::error::{DatabaseError, Error, IntegrityKind};

/// Maps a SQLite extended result code and message to an error kind. The code is kept as the
/// error's `code` and `errno`. A CHECK failure's constraint is named (SQLite says the
/// constraint's name, or its expression when it has none); UNIQUE, NOT NULL and FOREIGN KEY
/// failures name columns (`UNIQUE constraint failed: users.email`), never a constraint, so
/// their `constraint` is `None`.
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
    let mut db = DatabaseError::new(message).with_code(extended_code.to_string());
    if let Ok(errno) = u32::try_from(extended_code) {
        db = db.with_errno(errno);
    }
    match primary {
        // SQLITE_CONSTRAINT
        19 => {
            let kind = match extended_code {
                2067 | 1555 => IntegrityKind::Unique,
                787 => IntegrityKind::ForeignKey,
                1299 => IntegrityKind::NotNull,
                275 => IntegrityKind::Check,
                // A trigger's RAISE(ABORT), a STRICT table's type check, ...
                _ => IntegrityKind::Other,
            };
            if kind == IntegrityKind::Check
                && let Some(name) = message.strip_prefix("CHECK constraint failed: ")
            {
                db = db.with_constraint(name);
            }
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

    #[test]
    fn integrity_kinds_and_check_names() {
        let d = |code, msg| map_error(code, msg).database_error().cloned().unwrap();
        let check = d(275, "CHECK constraint failed: ck_qty");
        assert_eq!(check.integrity, Some(IntegrityKind::Check));
        assert_eq!(check.constraint(), Some("ck_qty"));
        assert_eq!(check.errno(), Some(275));
        let unique = d(2067, "UNIQUE constraint failed: t.email");
        assert_eq!(unique.integrity, Some(IntegrityKind::Unique));
        assert_eq!(unique.constraint(), None);
        assert_eq!(
            d(1555, "UNIQUE constraint failed: t.id").integrity,
            Some(IntegrityKind::Unique)
        );
        assert_eq!(
            d(787, "FOREIGN KEY constraint failed").integrity,
            Some(IntegrityKind::ForeignKey)
        );
        assert_eq!(
            d(1299, "NOT NULL constraint failed: t.name").integrity,
            Some(IntegrityKind::NotNull)
        );
        // SQLITE_CONSTRAINT_TRIGGER (RAISE(ABORT)) and SQLITE_CONSTRAINT_DATATYPE are not unique
        // violations.
        assert_eq!(d(1811, "no").integrity, Some(IntegrityKind::Other));
        assert_eq!(
            d(3091, "cannot store TEXT value in INTEGER column t.x").integrity,
            Some(IntegrityKind::Other)
        );
        assert_eq!(
            d(19, "constraint failed").integrity,
            Some(IntegrityKind::Other)
        );
    }
}
