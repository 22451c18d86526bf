//! MySQL / MariaDB error numbers → Athanor error kinds.

use crate::error::{DatabaseError, Error, IntegrityKind};

/// Maps a MySQL error number (and SQLSTATE, when known) to an error kind.
///
/// ```
/// use athanor_core::dialect::mysql::map_error;
/// use athanor_core::Error;
/// assert!(matches!(map_error(1062, "Duplicate entry", None), Error::Integrity(_)));
/// assert!(matches!(map_error(1146, "Table 'test.nope' doesn't exist", None), Error::Programming(_)));
/// assert!(matches!(map_error(2013, "Lost connection to server during query", None), Error::Disconnect(_)));
/// ```
pub fn map_error(code: u16, message: &str, sqlstate: Option<&str>) -> Error {
    let db = DatabaseError::new(message).with_code(code.to_string());
    if is_disconnect(code) {
        return Error::Disconnect(db);
    }
    match code {
        1062 | 1586 | 1557 => Error::Integrity(db.with_integrity(IntegrityKind::Unique)),
        1451 | 1452 | 1216 | 1217 => Error::Integrity(db.with_integrity(IntegrityKind::ForeignKey)),
        1048 | 1364 | 1263 => Error::Integrity(db.with_integrity(IntegrityKind::NotNull)),
        3819 | 4025 => Error::Integrity(db.with_integrity(IntegrityKind::Check)),
        1264 | 1265 | 1366 | 1406 | 1292 | 1690 | 1367 | 1411 => Error::Data(db),
        c if is_programming(c) => Error::Programming(db),
        1040 | 1203 | 1205 | 1213 | 1037 | 1041 | 2003 | 2002 | 1044 | 1045 | 1049 => {
            Error::Operational(db)
        }
        _ => match sqlstate.and_then(|s| s.get(..2)) {
            Some("23") => Error::Integrity(db),
            Some("22") => Error::Data(db),
            Some("42") => Error::Programming(db),
            Some("08") => Error::Disconnect(db),
            Some("40") | Some("HY") => Error::Operational(db),
            _ => Error::Database(db),
        },
    }
}

/// Does this MySQL/MariaDB error number mean the connection is gone ([`Error::Disconnect`])?
///
/// | code | |
/// |---|---|
/// | 1053 | `ER_SERVER_SHUTDOWN`: the server is shutting down |
/// | 1927 | `ER_CONNECTION_KILLED` (MariaDB): `KILL CONNECTION` |
/// | 2006 | `CR_SERVER_GONE_ERROR`: server has gone away |
/// | 2013 | `CR_SERVER_LOST`: lost connection during query |
/// | 2014 | `CR_COMMANDS_OUT_OF_SYNC`: the protocol state is lost |
/// | 2045 | `CR_SHARED_MEMORY_CONNECT_ANSWER_ERROR`: no answer from the server |
/// | 2055 | `CR_SERVER_LOST_EXTENDED`: lost connection, with the system error |
/// | 4031 | `ER_CLIENT_INTERACTION_TIMEOUT` (MySQL 8): disconnected after `wait_timeout` |
///
/// An error whose SQLSTATE is of class 08 (connection exception) is a disconnect too
/// ([`map_error`] looks at both).
///
/// ```
/// use athanor_core::dialect::mysql::is_disconnect;
/// assert!(is_disconnect(2006));
/// assert!(!is_disconnect(1062));
/// ```
pub fn is_disconnect(code: u16) -> bool {
    matches!(code, 1053 | 1927 | 2006 | 2013 | 2014 | 2045 | 2055 | 4031)
}

fn is_programming(code: u16) -> bool {
    matches!(
        code,
        1054 | 1064
            | 1146
            | 1149
            | 1052
            | 1060
            | 1061
            | 1050
            | 1051
            | 1091
            | 1109
            | 1110
            | 1142
            | 1143
            | 1305
            | 1055
            | 1066
            | 1222
            | 1241
            | 1248
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disconnect_codes() {
        for code in [1053, 1927, 2006, 2013, 2014, 2045, 2055, 4031] {
            assert!(
                matches!(map_error(code, "gone", Some("HY000")), Error::Disconnect(_)),
                "{code}"
            );
        }
        // A server error number we don't list, with a connection-exception SQLSTATE.
        assert!(matches!(
            map_error(
                1158,
                "Got an error reading communication packets",
                Some("08S01")
            ),
            Error::Disconnect(_)
        ));
        for code in [1062, 1064, 1045, 1040, 2003] {
            assert!(
                !matches!(map_error(code, "x", Some("HY000")), Error::Disconnect(_)),
                "{code}"
            );
        }
        assert_eq!(
            map_error(1927, "Connection was killed", Some("70100")).to_string(),
            "(DisconnectionError) Connection was killed (code 1927)"
        );
    }
}
