//! Declared type names, as reflection reads them (`character varying(160)`, `int(10) unsigned`,
//! `NVARCHAR(160)`): the parser every dialect's type map shares, and the standard-SQL map that
//! [`Dialect::type_from_declared`](super::Dialect::type_from_declared) uses by default.
//!
//! Each dialect maps names its own way (`dialect/{sqlite,postgres,mysql}/types.rs`): SQLite by
//! its type-affinity rules, the servers by exact tables of their catalog spellings. A name a
//! server map does not know becomes [`Type::Other`] carrying the declared text, never a wrong
//! known type.

use crate::types::Type;

/// A declared type name taken apart: `TIMESTAMP(6) WITHOUT TIME ZONE` is the base
/// `TIMESTAMP WITHOUT TIME ZONE` with the arguments `["6"]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DeclaredName {
    /// Everything outside the parentheses, upper case, single-spaced.
    pub(crate) base: String,
    /// The arguments inside the parentheses, split at top-level commas (quotes respected) and
    /// trimmed; empty when there are no parentheses.
    pub(crate) args: Vec<String>,
    /// The text had parentheses (`VARCHAR()` has them, with no arguments).
    pub(crate) parenthesized: bool,
}

impl DeclaredName {
    /// Parses `sql`; `None` when the parentheses don't balance or quotes don't close (the map
    /// then reports the text as [`Type::Other`]).
    pub(crate) fn parse(sql: &str) -> Option<DeclaredName> {
        let sql = sql.trim();
        let Some(open) = sql.find('(') else {
            return Some(DeclaredName {
                base: normalize(sql),
                args: Vec::new(),
                parenthesized: false,
            });
        };
        let (mut depth, mut quote, mut close) = (0usize, None::<char>, None);
        let mut args = Vec::new();
        let mut start = open + 1;
        let mut escaped = false;
        for (i, c) in sql.char_indices().skip_while(|(i, _)| *i < open) {
            if let Some(q) = quote {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == q {
                    quote = None;
                }
                continue;
            }
            match c {
                '\'' | '"' => quote = Some(c),
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        args.push(sql[start..i].trim().to_string());
                        close = Some(i);
                        break;
                    }
                }
                ',' if depth == 1 => {
                    args.push(sql[start..i].trim().to_string());
                    start = i + 1;
                }
                _ => {}
            }
        }
        let close = close?;
        if args.len() == 1 && args[0].is_empty() {
            args.clear();
        }
        let base = format!("{} {}", &sql[..open], &sql[close + 1..]);
        Some(DeclaredName {
            base: normalize(&base),
            args,
            parenthesized: true,
        })
    }

    /// The `i`-th argument as a number; `Err(())` when it is there but not a number.
    pub(crate) fn num(&self, i: usize) -> Result<Option<u32>, ()> {
        match self.args.get(i) {
            None => Ok(None),
            Some(a) => a.parse::<u32>().map(Some).map_err(|_| ()),
        }
    }

    /// The length of `VARCHAR(n)`-like names: at most one numeric argument.
    pub(crate) fn length(&self) -> Option<Option<u32>> {
        if self.args.len() > 1 {
            return None;
        }
        self.num(0).ok()
    }

    /// Precision and scale of `NUMERIC(p, s)`-like names.
    pub(crate) fn precision_scale(&self) -> Option<(Option<u32>, Option<u32>)> {
        if self.args.len() > 2 {
            return None;
        }
        Some((self.num(0).ok()?, self.num(1).ok()?))
    }

    /// True when the name takes no arguments or only a numeric one (a precision such as
    /// `TIME(6)`, a display width such as `INT(11)`).
    pub(crate) fn at_most_one_number(&self) -> bool {
        self.length().is_some()
    }
}

/// Upper case with runs of whitespace made one space.
fn normalize(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_ascii_uppercase()
}

/// A reflected type: the declared text with the generic type it maps to.
pub(crate) fn declared(sql: &str, generic: Type) -> Type {
    Type::Declared {
        sql: sql.trim().to_string(),
        generic: Box::new(generic),
    }
}

/// The standard SQL names (SQL:2016 spellings) and nothing else: the default map for a
/// dialect that declares none of its own. Anything else is [`Type::Other`].
pub(crate) fn standard(sql: &str) -> Type {
    declared(sql, standard_generic(sql))
}

fn standard_generic(sql: &str) -> Type {
    let other = || Type::Other(sql.trim().to_string());
    let Some(d) = DeclaredName::parse(sql) else {
        return other();
    };
    let plain = |t: Type| if d.parenthesized { None } else { Some(t) };
    let with_len = |f: fn(Option<u32>) -> Type| d.length().map(f);
    let t = match d.base.as_str() {
        "INTEGER" | "INT" => plain(Type::Integer),
        "SMALLINT" => plain(Type::SmallInteger),
        "BIGINT" => plain(Type::BigInteger),
        "REAL" => plain(Type::Float),
        "DOUBLE PRECISION" | "FLOAT" => d.at_most_one_number().then_some(Type::Double),
        "NUMERIC" | "DECIMAL" | "DEC" => d.precision_scale().map(|(p, s)| Type::Numeric(p, s)),
        "VARCHAR" | "CHARACTER VARYING" | "CHAR VARYING" | "CHAR" | "CHARACTER" => {
            with_len(Type::String)
        }
        "NATIONAL CHARACTER VARYING" | "NATIONAL CHARACTER" | "NCHAR" | "NVARCHAR" => {
            with_len(Type::Unicode)
        }
        "CLOB" | "CHARACTER LARGE OBJECT" => plain(Type::Text),
        "BLOB" | "BINARY LARGE OBJECT" | "VARBINARY" | "BINARY" => {
            d.at_most_one_number().then_some(Type::LargeBinary)
        }
        "BOOLEAN" => plain(Type::Boolean),
        "DATE" => plain(Type::Date),
        "TIME" | "TIME WITHOUT TIME ZONE" | "TIME WITH TIME ZONE" => {
            d.at_most_one_number().then_some(Type::Time)
        }
        "TIMESTAMP" | "TIMESTAMP WITHOUT TIME ZONE" | "TIMESTAMP WITH TIME ZONE" => {
            d.at_most_one_number().then_some(Type::DateTime)
        }
        "INTERVAL" => plain(Type::Interval),
        "JSON" => plain(Type::Json),
        "UUID" => plain(Type::Uuid),
        _ => None,
    };
    t.unwrap_or_else(other)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(sql: &str) -> (String, Vec<String>) {
        let d = DeclaredName::parse(sql).unwrap();
        (d.base, d.args)
    }

    #[test]
    fn names_are_taken_apart() {
        let s = |v: &[&str]| v.iter().map(|a| a.to_string()).collect::<Vec<_>>();
        assert_eq!(p("integer"), ("INTEGER".into(), vec![]));
        assert_eq!(
            p("timestamp(6)  without time zone"),
            ("TIMESTAMP WITHOUT TIME ZONE".into(), s(&["6"]))
        );
        assert_eq!(p("numeric(10, 2)"), ("NUMERIC".into(), s(&["10", "2"])));
        assert_eq!(
            p("int(10) unsigned zerofill"),
            ("INT UNSIGNED ZEROFILL".into(), s(&["10"]))
        );
        assert_eq!(
            p("enum('a,b','it''s','x\\'y')"),
            ("ENUM".into(), s(&["'a,b'", "'it''s'", "'x\\'y'"]))
        );
        assert_eq!(
            p("geometry(Point,4326)"),
            ("GEOMETRY".into(), s(&["Point", "4326"]))
        );
        assert_eq!(p("varchar()"), ("VARCHAR".into(), vec![]));
        assert_eq!(DeclaredName::parse("varchar(10"), None);
        assert_eq!(DeclaredName::parse("enum('a)"), None);
    }

    #[test]
    fn the_standard_map_knows_standard_names_only() {
        let g = |sql: &str| standard(sql).generic().clone();
        assert_eq!(g("INTEGER"), Type::Integer);
        assert_eq!(g("CHARACTER VARYING(20)"), Type::String(Some(20)));
        assert_eq!(g("DECIMAL(10,2)"), Type::Numeric(Some(10), Some(2)));
        assert_eq!(g("TIMESTAMP(3) WITH TIME ZONE"), Type::DateTime);
        assert_eq!(g("POINT"), Type::Other("POINT".into()));
        assert_eq!(g("VARCHAR(max)"), Type::Other("VARCHAR(max)".into()));
        assert_eq!(g("INTEGER(3)"), Type::Other("INTEGER(3)".into()));
    }
}
