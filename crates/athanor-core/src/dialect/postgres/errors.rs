//! PostgreSQL SQLSTATE classes → Athanor error kinds.

use crate::error::{DatabaseError, Error, IntegrityKind};

/// Maps a SQLSTATE and message to an error kind (by SQLSTATE class, as psycopg does).
///
/// ```
/// use athanor_core::dialect::postgres::map_error;
/// use athanor_core::Error;
/// assert!(matches!(map_error("23505", "duplicate key"), Error::Integrity(_)));
/// assert!(matches!(map_error("42P01", "relation does not exist"), Error::Programming(_)));
/// ```
pub fn map_error(sqlstate: &str, message: &str) -> Error {
    let db = DatabaseError::new(message).with_code(sqlstate);
    let class = sqlstate.get(..2).unwrap_or("");
    match class {
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
