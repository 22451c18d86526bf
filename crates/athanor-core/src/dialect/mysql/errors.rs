//! MySQL / MariaDB error numbers → Athanor error kinds.

use crate::error::{DatabaseError, Error, IntegrityKind};

/// Maps a MySQL error number (and SQLSTATE, when known) to an error kind. The number is kept
/// as the error's `code` and `errno`, the SQLSTATE as its `sqlstate`, and the constraint an
/// integrity error names in its message as its `constraint`.
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
/// assert!(matches!(map_error(2013, "Lost connection to server during query", None), Error::Disconnect(_)));
/// ```
///
/// Time limits are [`Error::Timeout`]: MariaDB's `max_statement_time` (1969), MySQL's
/// `max_execution_time` (3024) and `innodb_lock_wait_timeout` (1205).
pub fn map_error(code: u16, message: &str, sqlstate: Option<&str>) -> Error {
    let mut db = DatabaseError::new(message)
        .with_code(code.to_string())
        .with_errno(u32::from(code));
    if let Some(state) = sqlstate.filter(|s| !s.is_empty()) {
        db = db.with_sqlstate(state);
    }
    if let Some(name) = constraint_name(code, message) {
        db = db.with_constraint(name);
    }
    if code == 1048 {
        db.column = quoted_after(message, "Column '");
    }
    if is_disconnect(code) {
        return Error::Disconnect(db);
    }
    match code {
        1969 | 3024 | 1205 => Error::Timeout(db),
        1062 | 1586 | 1557 => Error::Integrity(db.with_integrity(IntegrityKind::Unique)),
        1451 | 1452 | 1216 | 1217 => Error::Integrity(db.with_integrity(IntegrityKind::ForeignKey)),
        1048 | 1364 | 1263 => Error::Integrity(db.with_integrity(IntegrityKind::NotNull)),
        3819 | 4025 => Error::Integrity(db.with_integrity(IntegrityKind::Check)),
        1264 | 1265 | 1366 | 1406 | 1292 | 1690 | 1367 | 1411 => Error::Data(db),
        c if is_programming(c) => Error::Programming(db),
        1040 | 1203 | 1213 | 1037 | 1041 | 2003 | 2002 | 1044 | 1045 | 1049 => {
            Error::Operational(db)
        }
        _ => match sqlstate.and_then(|s| s.get(..2)) {
            Some("23") => Error::Integrity(db.with_integrity(IntegrityKind::Other)),
            Some("22") => Error::Data(db),
            Some("42") => Error::Programming(db),
            Some("08") => Error::Disconnect(db),
            Some("40") | Some("HY") => Error::Operational(db),
            _ => Error::Database(db),
        },
    }
}

/// The constraint an integrity error's message names:
/// 1062/1586 `Duplicate entry '..' for key 'name'` (MySQL 8 writes `'table.name'`),
/// 1451/1452 `... CONSTRAINT `name` FOREIGN KEY ...`, 4025 (MariaDB) `CONSTRAINT `name` failed
/// for ...`, 3819 (MySQL) `Check constraint 'name' is violated.`
fn constraint_name(code: u16, message: &str) -> Option<String> {
    match code {
        1062 | 1586 => {
            let key = message.rfind(" for key '").map(|i| &message[i + 10..])?;
            let key = key.strip_suffix('\'')?;
            // MySQL 8.0.19+ qualifies the key with its table.
            Some(key.split_once('.').map_or(key, |(_, k)| k).to_string())
        }
        1451 | 1452 | 4025 => backquoted_after(message, "CONSTRAINT `"),
        3819 => quoted_after(message, "Check constraint '"),
        _ => None,
    }
}

/// The `'...'`-quoted text after `prefix` (a `''` inside is one quote).
fn quoted_after(message: &str, prefix: &str) -> Option<String> {
    delimited(message, prefix, '\'')
}

/// The `` `...` ``-quoted identifier after `prefix` (a doubled backquote inside is one).
fn backquoted_after(message: &str, prefix: &str) -> Option<String> {
    delimited(message, prefix, '`')
}

fn delimited(message: &str, prefix: &str, quote: char) -> Option<String> {
    let rest = &message[message.find(prefix)? + prefix.len()..];
    let mut out = String::new();
    let mut chars = rest.chars().peekable();
    while let Some(c) = chars.next() {
        if c == quote {
            if chars.peek() == Some(&quote) {
                chars.next();
            } else {
                return Some(out);
            }
        }
        out.push(c);
    }
    None
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

    #[test]
    fn constraint_names_from_messages() {
        let name = |code, msg| {
            let e = map_error(code, msg, Some("23000"));
            assert!(matches!(e, Error::Integrity(_)), "{e}");
            e.database_error().and_then(|d| d.constraint.clone())
        };
        assert_eq!(
            name(1062, "Duplicate entry '1-1' for key 'PRIMARY'").as_deref(),
            Some("PRIMARY")
        );
        // MySQL 8 qualifies the key; a value that looks like the key's text doesn't confuse it.
        assert_eq!(
            name(
                1062,
                "Duplicate entry 'x for key 'y'' for key 'users.uq_email'"
            )
            .as_deref(),
            Some("uq_email")
        );
        assert_eq!(
            name(
                1452,
                "Cannot add or update a child row: a foreign key constraint fails \
                 (`test`.`child`, CONSTRAINT `child_ibfk_1` FOREIGN KEY (`parent_id`) \
                 REFERENCES `parent` (`id`))"
            )
            .as_deref(),
            Some("child_ibfk_1")
        );
        assert_eq!(
            name(
                1451,
                "Cannot delete or update a parent row: a foreign key constraint fails \
                 (`test`.`child`, CONSTRAINT `odd``name` FOREIGN KEY (`p`) REFERENCES `parent` (`id`))"
            )
            .as_deref(),
            Some("odd`name")
        );
        assert_eq!(
            name(4025, "CONSTRAINT `ck_qty` failed for `test`.`child`").as_deref(),
            Some("ck_qty")
        );
        assert_eq!(
            name(3819, "Check constraint 'ck_qty' is violated.").as_deref(),
            Some("ck_qty")
        );
        assert_eq!(name(1048, "Column 'name' cannot be null"), None);
        let e = map_error(1048, "Column 'name' cannot be null", Some("23000"));
        let d = e.database_error().unwrap();
        assert_eq!(d.column.as_deref(), Some("name"));
        assert_eq!(d.integrity, Some(IntegrityKind::NotNull));
        assert_eq!((d.errno(), d.sqlstate()), (Some(1048), Some("23000")));
        // An integrity error number we don't list: the SQLSTATE says integrity, kind Other.
        let e = map_error(
            1761,
            "Foreign key constraint for table 't', record '1' would lead to a duplicate entry",
            Some("23000"),
        );
        assert_eq!(
            e.database_error().and_then(|d| d.integrity),
            Some(IntegrityKind::Other)
        );
        // A truncated message names nothing rather than a wrong name.
        assert_eq!(name(1062, "Duplicate entry '1' for key 'PRIM"), None);
    }
}
