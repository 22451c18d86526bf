//! SQLite's declared types: any text is a valid type name there, and the name's *affinity*
//! (<https://sqlite.org/datatype3.html>, 3.1) decides how values are stored. Names Athanor (and
//! SQLAlchemy) write map to their generic type; every other name follows the affinity rules,
//! which is what SQLite itself does with it (`POINT` contains `INT`: INTEGER affinity).

use crate::dialect::declared::{DeclaredName, declared};
use crate::types::Type;

/// The type reflected for a column SQLite declares as `sql`.
pub(crate) fn from_declared(sql: &str) -> Type {
    declared(sql, generic(sql))
}

fn generic(sql: &str) -> Type {
    if let Some(t) = DeclaredName::parse(sql).and_then(|d| known(&d)) {
        return t;
    }
    affinity(sql)
}

/// Names with a generic type of their own (the ones the dialects write in DDL, and their
/// common synonyms).
fn known(d: &DeclaredName) -> Option<Type> {
    let len = || d.length();
    Some(match d.base.as_str() {
        "INTEGER" | "INT" | "MEDIUMINT" | "INT4" => Type::Integer,
        "SMALLINT" | "INT2" | "TINYINT" => Type::SmallInteger,
        "BIGINT" | "INT8" => Type::BigInteger,
        "REAL" | "FLOAT4" => Type::Float,
        "FLOAT" | "FLOAT8" | "DOUBLE" | "DOUBLE PRECISION" => Type::Double,
        "NUMERIC" | "DECIMAL" => {
            let (p, s) = d.precision_scale()?;
            Type::Numeric(p, s)
        }
        "VARCHAR" | "CHARACTER VARYING" | "CHAR" | "CHARACTER" => Type::String(len()?),
        "NVARCHAR" | "NCHAR" | "NATIONAL CHARACTER VARYING" | "NATIONAL CHARACTER" => {
            Type::Unicode(len()?)
        }
        "TEXT" | "CLOB" => Type::Text,
        "BOOLEAN" | "BOOL" => Type::Boolean,
        "DATE" => Type::Date,
        "TIME" => Type::Time,
        "DATETIME" | "TIMESTAMP" => Type::DateTime,
        "BLOB" => Type::LargeBinary,
        "JSON" => Type::Json,
        _ => return None,
    })
}

/// SQLite's affinity rules, in SQLite's order.
fn affinity(sql: &str) -> Type {
    let upper = sql.to_ascii_uppercase();
    if upper.contains("INT") {
        Type::Integer
    } else if upper.contains("CHAR") || upper.contains("CLOB") || upper.contains("TEXT") {
        Type::Text
    } else if upper.contains("BLOB") || upper.trim().is_empty() {
        Type::LargeBinary
    } else if upper.contains("REAL") || upper.contains("FLOA") || upper.contains("DOUB") {
        Type::Double
    } else {
        Type::Numeric(None, None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_names_map_by_name_then_affinity() {
        let cases: &[(&str, Type)] = &[
            ("INTEGER", Type::Integer),
            ("int", Type::Integer),
            ("MEDIUMINT", Type::Integer),
            ("SMALLINT", Type::SmallInteger),
            ("TINYINT", Type::SmallInteger),
            ("BIGINT", Type::BigInteger),
            ("INT8", Type::BigInteger),
            ("REAL", Type::Float),
            ("FLOAT", Type::Double),
            ("DOUBLE", Type::Double),
            ("DOUBLE PRECISION", Type::Double),
            ("NUMERIC", Type::Numeric(None, None)),
            ("NUMERIC(10,2)", Type::Numeric(Some(10), Some(2))),
            ("DECIMAL(5)", Type::Numeric(Some(5), None)),
            ("VARCHAR", Type::String(None)),
            ("VARCHAR(40)", Type::String(Some(40))),
            ("CHAR(32)", Type::String(Some(32))),
            ("NVARCHAR(160)", Type::Unicode(Some(160))),
            ("NCHAR(2)", Type::Unicode(Some(2))),
            ("TEXT", Type::Text),
            ("CLOB", Type::Text),
            ("BOOLEAN", Type::Boolean),
            ("DATE", Type::Date),
            ("TIME", Type::Time),
            ("DATETIME", Type::DateTime),
            ("TIMESTAMP", Type::DateTime),
            ("BLOB", Type::LargeBinary),
            ("JSON", Type::Json),
            // Affinity: SQLite's rules, in order.
            ("", Type::LargeBinary),
            ("POINT", Type::Integer),
            ("UNSIGNED BIG INT", Type::Integer),
            ("VARYING CHARACTER(255)", Type::Text),
            ("NATIVE CHARACTER(70)", Type::Text),
            ("LONGTEXT", Type::Text),
            ("MEDIUMBLOB", Type::LargeBinary),
            ("FLOATING POINT", Type::Integer),
            ("DOUBLEISH", Type::Double),
            ("INET", Type::Numeric(None, None)),
            ("UUID", Type::Numeric(None, None)),
            ("VARCHAR(max)", Type::Text),
            ("NUMERIC(a,b)", Type::Numeric(None, None)),
        ];
        for (sql, want) in cases {
            let t = from_declared(sql);
            assert_eq!(t.generic(), want, "{sql:?}");
            assert_eq!(t.to_string(), *sql, "the declared text is kept");
        }
    }
}
