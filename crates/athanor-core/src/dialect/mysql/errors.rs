//! MySQL / MariaDB error numbers → Athanor error kinds.

use crate::error::{DatabaseError, Error, IntegrityKind};

/// Maps a MySQL error number (and SQLSTATE, when known) to an error kind.
///
/// ```
/// use athanor_core::dialect::mysql::map_error;
/// use athanor_core::Error;
/// assert!(matches!(map_error(1062, "Duplicate entry", None), Error::Integrity(_)));
/// assert!(matches!(map_error(1146, "Table 'test.nope' doesn't exist", None), Error::Programming(_)));
/// assert!(matches!(
///     map_error(1969, "Query execution was interrupted (max_statement_time exceeded)", Some("70100")),
///     Error::Timeout(_)
/// ));
/// ```
///
/// Time limits are [`Error::Timeout`]: MariaDB's `max_statement_time` (1969), MySQL's
/// `max_execution_time` (3024) and `innodb_lock_wait_timeout` (1205).
pub fn map_error(code: u16, message: &str, sqlstate: Option<&str>) -> Error {
    let db = DatabaseError::new(message).with_code(code.to_string());
    match code {
        1969 | 3024 | 1205 => Error::Timeout(db),
        1062 | 1586 | 1557 => Error::Integrity(db.with_integrity(IntegrityKind::Unique)),
        1451 | 1452 | 1216 | 1217 => Error::Integrity(db.with_integrity(IntegrityKind::ForeignKey)),
        1048 | 1364 | 1263 => Error::Integrity(db.with_integrity(IntegrityKind::NotNull)),
        3819 | 4025 => Error::Integrity(db.with_integrity(IntegrityKind::Check)),
        1264 | 1265 | 1366 | 1406 | 1292 | 1690 | 1367 | 1411 => Error::Data(db),
        c if is_programming(c) => Error::Programming(db),
        2006 | 2013 | 1927 | 4031 => Error::Disconnect(db),
        1040 | 1203 | 1213 | 1037 | 1041 | 2003 | 2002 | 1044 | 1045 | 1049 => {
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
    fn time_limits_are_timeouts() {
        for (code, msg) in [
            (
                1969,
                "Query execution was interrupted (max_statement_time exceeded)",
            ),
            (
                3024,
                "Query execution was interrupted, maximum statement execution time exceeded",
            ),
            (
                1205,
                "Lock wait timeout exceeded; try restarting transaction",
            ),
        ] {
            let e = map_error(code, msg, Some("HY000"));
            assert!(matches!(&e, Error::Timeout(d) if d.message == msg), "{e:?}");
        }
        // A deadlock is no time limit; a KILL QUERY is no timeout either.
        assert!(matches!(
            map_error(1213, "Deadlock found", Some("40001")),
            Error::Operational(_)
        ));
        assert!(!matches!(
            map_error(1317, "Query execution was interrupted", Some("70100")),
            Error::Timeout(_)
        ));
    }
}
