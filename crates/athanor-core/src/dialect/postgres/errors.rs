//! PostgreSQL SQLSTATE classes → Athanor error kinds.

use crate::error::{DatabaseError, Error, IntegrityKind};

/// Maps a SQLSTATE and message to an error kind (by SQLSTATE class, as psycopg does). The
/// SQLSTATE is kept as the error's `code` and `sqlstate`; the driver adds the constraint, table,
/// column and schema the server names.
///
/// ```
/// use athanor_core::dialect::postgres::map_error;
/// use athanor_core::Error;
/// assert!(matches!(map_error("23505", "duplicate key"), Error::Integrity(_)));
/// assert!(matches!(map_error("42P01", "relation does not exist"), Error::Programming(_)));
/// // A time limit reached is a timeout; a cancel asked for by a user is not.
/// assert!(matches!(map_error("57014", "canceling statement due to statement timeout"), Error::Timeout(_)));
/// assert!(matches!(map_error("57014", "canceling statement due to user request"), Error::Operational(_)));
/// // The server ending the session: the connection is gone.
/// assert!(matches!(
///     map_error("57P01", "terminating connection due to administrator command"),
///     Error::Disconnect(_)
/// ));
/// ```
///
/// 57014 (`query_canceled`) is [`Error::Timeout`] when the message says `statement timeout`,
/// and 55P03 (`lock_not_available`) when it says `lock timeout` (`NOWAIT` stays
/// [`Error::Operational`]): the SQLSTATE alone doesn't tell a limit from a cancel, so this
/// reads the server's English message (`lc_messages` in another language leaves them
/// [`Error::Operational`]).
pub fn map_error(sqlstate: &str, message: &str) -> Error {
    let db = DatabaseError::new(message)
        .with_code(sqlstate)
        .with_sqlstate(sqlstate);
    if is_disconnect(sqlstate) {
        return Error::Disconnect(db);
    }
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
                "23P01" => IntegrityKind::Exclusion,
                _ => IntegrityKind::Other,
            };
            Error::Integrity(db.with_integrity(kind))
        }
        "22" => Error::Data(db),
        "42" | "2B" | "2D" | "3F" | "26" | "34" => Error::Programming(db),
        "40" | "53" | "54" | "55" | "57" | "58" | "HV" | "25" | "3B" => Error::Operational(db),
        "0A" => Error::Programming(db),
        _ => Error::Database(db),
    }
}

/// Does this SQLSTATE mean the connection is gone ([`Error::Disconnect`])? Class 08
/// (connection exception) and the server ending the session: 57P01 `admin_shutdown`
/// (`pg_terminate_backend`, a fast shutdown), 57P02 `crash_shutdown`, 57P03
/// `cannot_connect_now` (starting up or shutting down).
///
/// ```
/// use athanor_core::dialect::postgres::is_disconnect;
/// assert!(is_disconnect("57P01"));
/// assert!(is_disconnect("08006"));
/// assert!(!is_disconnect("57014")); // query_canceled: the connection is fine
/// ```
pub fn is_disconnect(sqlstate: &str) -> bool {
    matches!(sqlstate, "57P01" | "57P02" | "57P03") || sqlstate.starts_with("08")
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
        // Another class 57 error that mentions no timeout is no timeout (57P01: a disconnect).
        assert_eq!(
            kind(
                "57P01",
                "terminating connection due to administrator command"
            ),
            "other"
        );
    }

    #[test]
    fn disconnect_sqlstates() {
        for code in [
            "57P01", "57P02", "57P03", "08000", "08003", "08006", "08001", "08P01",
        ] {
            assert!(
                matches!(map_error(code, "gone"), Error::Disconnect(_)),
                "{code}"
            );
        }
        // Class 57's other codes are about the statement, not the connection.
        for code in ["57000", "57014", "57P04", "57P05"] {
            assert!(
                !matches!(map_error(code, "x"), Error::Disconnect(_)),
                "{code}"
            );
        }
        let e = map_error(
            "57P01",
            "terminating connection due to administrator command",
        );
        assert_eq!(
            e.to_string(),
            "(DisconnectionError) terminating connection due to administrator command (code 57P01)"
        );
    }

    #[test]
    fn integrity_kinds_by_sqlstate() {
        let kind = |code| {
            map_error(code, "x")
                .database_error()
                .and_then(|d| d.integrity)
        };
        assert_eq!(kind("23505"), Some(IntegrityKind::Unique));
        assert_eq!(kind("23503"), Some(IntegrityKind::ForeignKey));
        assert_eq!(kind("23502"), Some(IntegrityKind::NotNull));
        assert_eq!(kind("23514"), Some(IntegrityKind::Check));
        assert_eq!(kind("23P01"), Some(IntegrityKind::Exclusion));
        // Not a unique violation just because the code is unknown.
        assert_eq!(kind("23000"), Some(IntegrityKind::Other));
        assert_eq!(kind("23001"), Some(IntegrityKind::Other));
        assert_eq!(kind("42P01"), None);
    }
}
