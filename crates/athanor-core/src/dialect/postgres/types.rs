//! PostgreSQL's type names, exactly: the spellings `format_type()` prints (`integer`,
//! `character varying(160)`, `timestamp(6) without time zone`, `integer[]`), their internal
//! names (`int4`, `varchar`, `timestamptz`, `_int4` for an array) and the DDL synonyms
//! (`serial`, `decimal`). A name not in the table — `inet`, `point`, `tsvector`, PostGIS's
//! `geometry(Point,4326)`, a user's enum or domain — reflects as [`Type::Other`] with its text.
//!
//! | declared | generic |
//! |---|---|
//! | `smallint`, `int2`, `smallserial`, `serial2` | `SmallInteger` |
//! | `integer`, `int`, `int4`, `serial`, `serial4` | `Integer` |
//! | `bigint`, `int8`, `bigserial`, `serial8` | `BigInteger` |
//! | `real`, `float4`, `float(1..=24)` | `Float` |
//! | `double precision`, `float8`, `float`, `float(25..=53)` | `Double` |
//! | `numeric(p,s)`, `decimal(p,s)` | `Numeric(p, s)` |
//! | `character varying(n)`, `varchar(n)`, `character(n)`, `char(n)`, `bpchar` | `String(n)` |
//! | `"char"` (one byte) | `String(1)` |
//! | `text` | `Text` |
//! | `boolean`, `bool` | `Boolean` |
//! | `date` | `Date` |
//! | `time [(p)] [without time zone]` | `Time` |
//! | `time [(p)] with time zone`, `timetz` | `TimeTz` |
//! | `timestamp [(p)] without time zone`, `timestamp` | `DateTime` |
//! | `timestamp [(p)] with time zone`, `timestamptz` | `DateTimeTz` |
//! | `interval [fields] [(p)]` | `Interval` |
//! | `bytea` | `LargeBinary` |
//! | `json`, `jsonb` | `Json` |
//! | `uuid` | `Uuid` |
//! | `T[]`, `T[][]`, `_T` | `Array(T)` |

use crate::dialect::declared::{DeclaredName, declared};
use crate::types::Type;

/// The type reflected for a column PostgreSQL declares as `sql`.
pub(crate) fn from_declared(sql: &str) -> Type {
    declared(sql, generic(sql.trim()))
}

fn generic(sql: &str) -> Type {
    // `integer[]`, `integer[][]`, `integer[3]`: PostgreSQL arrays have no fixed dimensions.
    if let Some(open) = sql.rfind('[').filter(|_| sql.ends_with(']')) {
        let dims = &sql[open + 1..sql.len() - 1];
        if dims.chars().all(|c| c.is_ascii_digit()) {
            return match generic(sql[..open].trim_end()) {
                Type::Array(inner) => Type::Array(inner),
                Type::Other(_) => Type::Other(sql.to_string()),
                elem => Type::Array(Box::new(elem)),
            };
        }
    }
    // The catalog's own name for an array type: `_int4`.
    if let Some(elem) = sql.strip_prefix('_') {
        return match scalar(elem) {
            Some(t) if !elem.starts_with('_') => Type::Array(Box::new(t)),
            _ => Type::Other(sql.to_string()),
        };
    }
    scalar(sql).unwrap_or_else(|| Type::Other(sql.to_string()))
}

fn scalar(sql: &str) -> Option<Type> {
    // A quoted name is a user's type, except the one-byte `"char"`.
    if sql == "\"char\"" {
        return Some(Type::String(Some(1)));
    }
    if sql.contains('"') {
        return None;
    }
    let d = DeclaredName::parse(sql)?;
    let plain = |t: Type| (!d.parenthesized).then_some(t);
    let precision = |t: Type| d.at_most_one_number().then_some(t);
    match d.base.as_str() {
        "SMALLINT" | "INT2" | "SMALLSERIAL" | "SERIAL2" => plain(Type::SmallInteger),
        "INTEGER" | "INT" | "INT4" | "SERIAL" | "SERIAL4" => plain(Type::Integer),
        "BIGINT" | "INT8" | "BIGSERIAL" | "SERIAL8" => plain(Type::BigInteger),
        "REAL" | "FLOAT4" => plain(Type::Float),
        "DOUBLE PRECISION" | "FLOAT8" => plain(Type::Double),
        // `float(p)`: 1..=24 is `real`, 25..=53 `double precision`.
        "FLOAT" => match d.length()? {
            None => Some(Type::Double),
            Some(1..=24) => Some(Type::Float),
            Some(25..=53) => Some(Type::Double),
            Some(_) => None,
        },
        "NUMERIC" | "DECIMAL" => d.precision_scale().map(|(p, s)| Type::Numeric(p, s)),
        "CHARACTER VARYING" | "VARCHAR" | "CHARACTER" | "CHAR" | "BPCHAR" => {
            d.length().map(Type::String)
        }
        "TEXT" => plain(Type::Text),
        "BOOLEAN" | "BOOL" => plain(Type::Boolean),
        "DATE" => plain(Type::Date),
        "TIME" | "TIME WITHOUT TIME ZONE" => precision(Type::Time),
        "TIME WITH TIME ZONE" | "TIMETZ" => precision(Type::TimeTz),
        "TIMESTAMP" | "TIMESTAMP WITHOUT TIME ZONE" => precision(Type::DateTime),
        "TIMESTAMP WITH TIME ZONE" | "TIMESTAMPTZ" => precision(Type::DateTimeTz),
        b if b == "INTERVAL" || is_interval_fields(b) => precision(Type::Interval),
        "BYTEA" => plain(Type::LargeBinary),
        "JSON" | "JSONB" => plain(Type::Json),
        "UUID" => plain(Type::Uuid),
        _ => None,
    }
}

/// `INTERVAL YEAR TO MONTH`, `INTERVAL DAY TO SECOND`, `INTERVAL HOUR`, ...
fn is_interval_fields(base: &str) -> bool {
    const FIELDS: [&str; 6] = ["YEAR", "MONTH", "DAY", "HOUR", "MINUTE", "SECOND"];
    let Some(rest) = base.strip_prefix("INTERVAL ") else {
        return false;
    };
    let mut words = rest.split(' ');
    match (words.next(), words.next(), words.next(), words.next()) {
        (Some(a), None, ..) => FIELDS.contains(&a),
        (Some(a), Some("TO"), Some(b), None) => FIELDS.contains(&a) && FIELDS.contains(&b),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arr(t: Type) -> Type {
        Type::Array(Box::new(t))
    }

    #[test]
    fn catalog_spellings_map_exactly() {
        let cases: Vec<(&str, Type)> = vec![
            ("smallint", Type::SmallInteger),
            ("int2", Type::SmallInteger),
            ("smallserial", Type::SmallInteger),
            ("integer", Type::Integer),
            ("int", Type::Integer),
            ("int4", Type::Integer),
            ("serial", Type::Integer),
            ("bigint", Type::BigInteger),
            ("int8", Type::BigInteger),
            ("bigserial", Type::BigInteger),
            ("real", Type::Float),
            ("float4", Type::Float),
            ("float(24)", Type::Float),
            ("double precision", Type::Double),
            ("float8", Type::Double),
            ("float", Type::Double),
            ("float(53)", Type::Double),
            ("numeric", Type::Numeric(None, None)),
            ("numeric(10,2)", Type::Numeric(Some(10), Some(2))),
            ("numeric(12)", Type::Numeric(Some(12), None)),
            ("decimal(5, 1)", Type::Numeric(Some(5), Some(1))),
            ("character varying", Type::String(None)),
            ("character varying(160)", Type::String(Some(160))),
            ("varchar(8)", Type::String(Some(8))),
            ("character(3)", Type::String(Some(3))),
            ("bpchar", Type::String(None)),
            ("\"char\"", Type::String(Some(1))),
            ("text", Type::Text),
            ("boolean", Type::Boolean),
            ("bool", Type::Boolean),
            ("date", Type::Date),
            ("time without time zone", Type::Time),
            ("time(3) without time zone", Type::Time),
            ("time with time zone", Type::TimeTz),
            ("timetz", Type::TimeTz),
            ("timestamp without time zone", Type::DateTime),
            ("timestamp(6) without time zone", Type::DateTime),
            ("timestamp with time zone", Type::DateTimeTz),
            ("timestamptz", Type::DateTimeTz),
            ("TIMESTAMP WITHOUT TIME ZONE", Type::DateTime),
            ("interval", Type::Interval),
            ("interval(3)", Type::Interval),
            ("interval day to second(3)", Type::Interval),
            ("interval year", Type::Interval),
            ("bytea", Type::LargeBinary),
            ("json", Type::Json),
            ("jsonb", Type::Json),
            ("uuid", Type::Uuid),
            ("integer[]", arr(Type::Integer)),
            ("integer[][]", arr(Type::Integer)),
            ("integer[3]", arr(Type::Integer)),
            ("character varying(10)[]", arr(Type::String(Some(10)))),
            ("text[]", arr(Type::Text)),
            ("_int4", arr(Type::Integer)),
            ("_text", arr(Type::Text)),
            ("_timestamptz", arr(Type::DateTimeTz)),
        ];
        for (sql, want) in cases {
            let t = from_declared(sql);
            assert_eq!(t.generic(), &want, "{sql:?}");
            assert_eq!(t.to_string(), sql, "the declared text is kept");
        }
    }

    #[test]
    fn other_names_keep_their_text() {
        for sql in [
            "point",
            "inet",
            "cidr",
            "macaddr",
            "tsvector",
            "tsquery",
            "money",
            "bit(3)",
            "bit varying(5)",
            "xml",
            "oid",
            "name",
            "int4range",
            "citext",
            "geometry(Point,4326)",
            "geography",
            "mood",
            "\"Mood\"",
            "public.mood",
            "inet[]",
            "_inet",
            "__int4",
            "integer(3)",
            "int4(10)",
            "varchar(max)",
            "float(54)",
            "interval weeks",
            "timestamp(a)",
            "character varying(10",
            "integer unsigned",
        ] {
            assert_eq!(
                from_declared(sql).generic(),
                &Type::Other(sql.to_string()),
                "{sql:?}"
            );
        }
    }
}
