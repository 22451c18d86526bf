//! MySQL's and MariaDB's type names, exactly: `information_schema.COLUMNS.COLUMN_TYPE`
//! spellings (`int(11)`, `int(10) unsigned`, `tinyint(1)`, `decimal(10,2)`, `enum('a','b')`)
//! and the DDL synonyms (`bool`, `integer`, `dec`). A name not in the table — `point`,
//! `geometry`, `bit(3)`, `set(...)`, `inet6` — reflects as [`Type::Other`] with its text.
//!
//! | declared | generic |
//! |---|---|
//! | `tinyint(1)`, `bool`, `boolean` | `Boolean` (MySQL's BOOL is `tinyint(1)`) |
//! | `tinyint`, `smallint`, `tinyint unsigned`, `year` | `SmallInteger` |
//! | `mediumint`, `int`, `integer`, `smallint unsigned`, `mediumint unsigned` | `Integer` |
//! | `bigint`, `int unsigned`, `bigint unsigned` | `BigInteger` |
//! | `float` | `Float` (4 bytes on MySQL) |
//! | `double`, `double precision`, `real` | `Double` |
//! | `decimal(p,s)`, `numeric(p,s)` | `Numeric(p, s)` |
//! | `varchar(n)`, `char(n)` | `String(n)` |
//! | `nvarchar(n)`, `nchar(n)` | `Unicode(n)` |
//! | `tinytext`, `text`, `mediumtext`, `longtext` | `Text` |
//! | `date` | `Date` |
//! | `time(p)` | `Time` |
//! | `datetime(p)`, `timestamp(p)` | `DateTime` |
//! | `binary(n)`, `varbinary(n)`, `tinyblob`, `blob`, `mediumblob`, `longblob` | `LargeBinary` |
//! | `enum('a','b')` | `Enum` with those variants |
//! | `json` | `Json` (MariaDB's JSON is `longtext` with a `json_valid` check: reflection reports it as `json`) |
//! | `uuid` (MariaDB ≥ 10.7) | `Uuid` |
//!
//! An unsigned integer maps to the next wider generic type, the one that holds all its values
//! (`int unsigned` reaches 4 294 967 295: `BigInteger`); `bigint unsigned` above `i64::MAX`
//! fails to read with [`Error::Data`](crate::Error::Data). A display width (`int(11)`) and
//! `zerofill` change nothing.

use crate::dialect::declared::{DeclaredName, declared};
use crate::types::Type;

/// The type reflected for a column MySQL declares as `sql`.
pub(crate) fn from_declared(sql: &str) -> Type {
    let other = || Type::Other(sql.trim().to_string());
    let generic = DeclaredName::parse(sql)
        .and_then(|d| generic(&d))
        .unwrap_or_else(other);
    declared(sql, generic)
}

fn generic(d: &DeclaredName) -> Option<Type> {
    let mut base = d.base.as_str();
    base = base.strip_suffix(" ZEROFILL").unwrap_or(base);
    let unsigned = base.ends_with(" UNSIGNED");
    base = base
        .strip_suffix(" UNSIGNED")
        .or_else(|| base.strip_suffix(" SIGNED"))
        .unwrap_or(base);
    let numeric = matches!(
        base,
        "TINYINT"
            | "SMALLINT"
            | "MEDIUMINT"
            | "INT"
            | "INTEGER"
            | "BIGINT"
            | "FLOAT"
            | "DOUBLE"
            | "DOUBLE PRECISION"
            | "REAL"
            | "DECIMAL"
            | "NUMERIC"
            | "DEC"
            | "FIXED"
    );
    if base != d.base.as_str() && !numeric {
        return None;
    }
    let plain = |t: Type| (!d.parenthesized).then_some(t);
    // A display width, a fractional-seconds precision, a length.
    let width = |t: Type| d.at_most_one_number().then_some(t);
    Some(match base {
        "TINYINT" if d.num(0) == Ok(Some(1)) && !unsigned => Type::Boolean,
        "BOOL" | "BOOLEAN" => return plain(Type::Boolean),
        "TINYINT" => return width(Type::SmallInteger),
        "SMALLINT" if unsigned => return width(Type::Integer),
        "SMALLINT" => return width(Type::SmallInteger),
        "MEDIUMINT" => return width(Type::Integer),
        "INT" | "INTEGER" if unsigned => return width(Type::BigInteger),
        "INT" | "INTEGER" => return width(Type::Integer),
        "BIGINT" => return width(Type::BigInteger),
        "YEAR" => return width(Type::SmallInteger),
        "FLOAT" => {
            // `float(p)`: up to 24 bits is 4 bytes, 25..=53 is a DOUBLE; `float(m,d)` is 4.
            return match (d.args.len(), d.num(0).ok()?) {
                (1, Some(25..=53)) => Some(Type::Double),
                (1, Some(54..)) => None,
                (0..=2, _) => Some(Type::Float),
                _ => None,
            };
        }
        "DOUBLE" | "DOUBLE PRECISION" | "REAL" => {
            return (d.args.len() != 1 && d.precision_scale().is_some()).then_some(Type::Double);
        }
        "DECIMAL" | "NUMERIC" | "DEC" | "FIXED" => {
            let (p, s) = d.precision_scale()?;
            Type::Numeric(p, s)
        }
        "VARCHAR" | "CHAR" | "CHARACTER" | "CHARACTER VARYING" => Type::String(d.length()?),
        "NVARCHAR" | "NCHAR" | "NATIONAL VARCHAR" | "NATIONAL CHAR" => Type::Unicode(d.length()?),
        "TINYTEXT" | "TEXT" | "MEDIUMTEXT" | "LONGTEXT" => return width(Type::Text),
        "DATE" => return plain(Type::Date),
        "TIME" => return width(Type::Time),
        "DATETIME" | "TIMESTAMP" => return width(Type::DateTime),
        "BINARY" | "VARBINARY" | "TINYBLOB" | "BLOB" | "MEDIUMBLOB" | "LONGBLOB" => {
            return width(Type::LargeBinary);
        }
        "ENUM" => Type::Enum {
            name: None,
            variants: d
                .args
                .iter()
                .map(|a| unquote(a))
                .collect::<Option<Vec<_>>>()?,
        },
        "JSON" => return plain(Type::Json),
        "UUID" => return plain(Type::Uuid),
        _ => return None,
    })
}

/// A string literal as `COLUMN_TYPE` prints it (`'it''s'`, `'a\\b'`) back to its value.
fn unquote(lit: &str) -> Option<String> {
    let inner = lit.strip_prefix('\'')?.strip_suffix('\'')?;
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                // Inside the literal a quote is always doubled.
                if chars.next()? != '\'' {
                    return None;
                }
                out.push('\'');
            }
            '\\' => out.push(match chars.next()? {
                '0' => '\0',
                'n' => '\n',
                'r' => '\r',
                't' => '\t',
                'Z' => '\u{1a}',
                'b' => '\u{8}',
                other => other,
            }),
            c => out.push(c),
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_type_spellings_map_exactly() {
        let cases: Vec<(&str, Type)> = vec![
            ("tinyint(1)", Type::Boolean),
            ("bool", Type::Boolean),
            ("boolean", Type::Boolean),
            ("tinyint(4)", Type::SmallInteger),
            ("tinyint", Type::SmallInteger),
            ("tinyint(3) unsigned", Type::SmallInteger),
            ("tinyint(1) unsigned", Type::SmallInteger),
            ("smallint(6)", Type::SmallInteger),
            ("smallint(5) unsigned", Type::Integer),
            ("mediumint(9)", Type::Integer),
            ("mediumint(8) unsigned", Type::Integer),
            ("int(11)", Type::Integer),
            ("int", Type::Integer),
            ("integer", Type::Integer),
            ("int(10) unsigned", Type::BigInteger),
            ("int(5) unsigned zerofill", Type::BigInteger),
            ("int signed", Type::Integer),
            ("bigint(20)", Type::BigInteger),
            ("bigint(20) unsigned", Type::BigInteger),
            ("bigint unsigned", Type::BigInteger),
            ("year(4)", Type::SmallInteger),
            ("year", Type::SmallInteger),
            ("float", Type::Float),
            ("float(7,4)", Type::Float),
            ("float(24)", Type::Float),
            ("float(53)", Type::Double),
            ("double", Type::Double),
            ("double(10,2)", Type::Double),
            ("double precision", Type::Double),
            ("real", Type::Double),
            ("double unsigned", Type::Double),
            ("decimal(10,2)", Type::Numeric(Some(10), Some(2))),
            ("decimal(10,2) unsigned", Type::Numeric(Some(10), Some(2))),
            ("decimal(10,0)", Type::Numeric(Some(10), Some(0))),
            ("numeric(8)", Type::Numeric(Some(8), None)),
            ("varchar(160)", Type::String(Some(160))),
            ("char(32)", Type::String(Some(32))),
            ("nvarchar(10)", Type::Unicode(Some(10))),
            ("tinytext", Type::Text),
            ("text", Type::Text),
            ("mediumtext", Type::Text),
            ("longtext", Type::Text),
            ("date", Type::Date),
            ("time", Type::Time),
            ("time(6)", Type::Time),
            ("datetime", Type::DateTime),
            ("datetime(6)", Type::DateTime),
            ("timestamp(3)", Type::DateTime),
            ("binary(16)", Type::LargeBinary),
            ("varbinary(255)", Type::LargeBinary),
            ("tinyblob", Type::LargeBinary),
            ("blob", Type::LargeBinary),
            ("mediumblob", Type::LargeBinary),
            ("longblob", Type::LargeBinary),
            ("json", Type::Json),
            ("uuid", Type::Uuid),
            ("DATETIME(6)", Type::DateTime),
            (
                "enum('it''s','a\\\\b','x,y')",
                Type::Enum {
                    name: None,
                    variants: vec!["it's".into(), "a\\b".into(), "x,y".into()],
                },
            ),
            (
                "enum('draft','live')",
                Type::Enum {
                    name: None,
                    variants: vec!["draft".into(), "live".into()],
                },
            ),
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
            "geometry",
            "linestring",
            "bit(1)",
            "bit(3)",
            "set('a','b')",
            "inet4",
            "inet6",
            "varchar(10) unsigned",
            "date(3)",
            "int(a)",
            "varchar(max)",
            "float(54)",
            "enum(a,b)",
            "enum('a'b')",
            "character varying(3",
            "serial",
        ] {
            assert_eq!(
                from_declared(sql).generic(),
                &Type::Other(sql.to_string()),
                "{sql:?}"
            );
        }
    }
}
