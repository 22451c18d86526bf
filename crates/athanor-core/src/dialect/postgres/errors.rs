//! PostgreSQL SQLSTATE classes → Athanor error kinds.

use crate::error::{DatabaseError, Error, IntegrityKind};

/// Maps a SQLSTATE and message to an error kind (by SQLSTATE class, as psycopg does).
///
/// ```
/// use athanor_core::dialect::postgres::map_error;
/// use athanor_core::Error;
/// assert!(matches!(map_error("23505", "duplicate key"), Error::Integrity(_)));
/// assert!(matches!(map_error("42P01", "relation does not exist"), Error::Programming(_)));
/// // A time limit reached is a timeout; a cancel asked for by a user is not.
/// assert!(matches!(map_error("57014", "canceling statement due to statement timeout"), Error::Timeout(_)));
/// assert!(matches!(map_error("57014", "canceling statement due to user request"), Error::Operational(_)));
/// ```
///
/// 57014 (`query_canceled`) is [`Error::Timeout`] when the message says `statement timeout`,
/// and 55P03 (`lock_not_available`) when it says `lock timeout` (`NOWAIT` stays
/// [`Error::Operational`]): the SQLSTATE alone doesn't tell a limit from a cancel, so this
/// reads the server's English message (`lc_messages` in another language leaves them
/// [`Error::Operational`]).
pub fn map_error(sqlstate: &str, message: &str) -> Error {
    let db = DatabaseError::new(message).with_code(sqlstate);
    let class = sqlstate.get(..2).unwrap_or("");
    match class {
        "57" if sqlstate == "57014" && message.contains("statement timeout") => Error::Timeout(db),
        "55" if sqlstate == "55P03" && message.contains("lock timeout") => Error::Timeout(db),
        "23" => {
            let kind = match sqlstate {
                "23505" => IntegrityKind::Unique,
                "23503" => IntegrityKind::ForeignKey,
                "23502" => IntegrityKind::NotNull,
                "23514" => IntegrityKind::Check,
                _ => IntegrityKind::Unique,
            };
            Error::Integrity(db.with_integrity(kind))
        }
        "22" => Error::Data(db),
        "42" | "2B" | "2D" | "3F" | "26" | "34" => Error::Programming(db),
        "08" => Error::Disconnect(db),
        "40" | "53" | "54" | "55" | "57" | "58" | "HV" | "25" | "3B" => Error::Operational(db),
        "0A" => Error::Programming(db),
        _ => Error::Database(db),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_limits_are_timeouts_and_cancels_and_nowait_are_not() {
        let kind = |code, msg| match map_error(code, msg) {
            Error::Timeout(_) => "timeout",
            Error::Operational(_) => "operational",
            _ => "other",
        };
        assert_eq!(
            kind("57014", "canceling statement due to statement timeout"),
            "timeout"
        );
        assert_eq!(
            kind("55P03", "canceling statement due to lock timeout"),
            "timeout"
        );
        assert_eq!(
            kind("57014", "canceling statement due to user request"),
            "operational"
        );
        assert_eq!(
            kind("55P03", "could not obtain lock on row in relation \"t\""),
            "operational"
        );
        // Another class 57 error that mentions no timeout stays operational.
        assert_eq!(
            kind(
                "57P01",
                "terminating connection due to administrator command"
            ),
            "operational"
        );
    }
}
