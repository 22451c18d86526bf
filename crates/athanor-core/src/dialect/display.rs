//! The display dialect: standard SQL with `:name` parameters (SQLAlchemy's `str(stmt)`).

use super::{Dialect, ParamStyle, binary_search_words};

/// Standard SQL with named parameters: what `Display` on a statement prints.
///
/// ```
/// use athanor_core::prelude::*;
/// assert_eq!(select(column("a")).filter(column("a").eq(1)).to_string(), "SELECT a WHERE a = :param_1");
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct DefaultDialect;

/// SQL-92/2016 reserved words (lower case, sorted): quoted on every dialect.
pub(crate) const STANDARD_RESERVED: &[&str] = &[
    "all",
    "alter",
    "and",
    "any",
    "as",
    "asc",
    "between",
    "by",
    "case",
    "cast",
    "check",
    "column",
    "constraint",
    "create",
    "cross",
    "current_date",
    "current_time",
    "current_timestamp",
    "default",
    "delete",
    "desc",
    "distinct",
    "drop",
    "else",
    "end",
    "except",
    "exists",
    "false",
    "fetch",
    "for",
    "foreign",
    "from",
    "full",
    "grant",
    "group",
    "having",
    "in",
    "index",
    "inner",
    "insert",
    "intersect",
    "into",
    "is",
    "join",
    "key",
    "left",
    "like",
    "limit",
    "natural",
    "not",
    "null",
    "offset",
    "on",
    "or",
    "order",
    "outer",
    "primary",
    "references",
    "right",
    "select",
    "set",
    "table",
    "then",
    "to",
    "true",
    "union",
    "unique",
    "update",
    "user",
    "using",
    "values",
    "when",
    "where",
    "with",
];

impl Dialect for DefaultDialect {
    fn name(&self) -> &'static str {
        "default"
    }
    fn param_style(&self) -> ParamStyle {
        ParamStyle::Named
    }
    fn is_reserved(&self, word: &str) -> bool {
        binary_search_words(STANDARD_RESERVED, word)
    }
    fn supports_returning(&self, _kind: crate::compiler::StatementKind) -> bool {
        true
    }
    fn supports_distinct_on(&self) -> bool {
        true
    }
    fn supports_sequences(&self) -> bool {
        true
    }
    fn supports_named_enums(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn standard_words_are_sorted() {
        let mut sorted = super::STANDARD_RESERVED.to_vec();
        sorted.sort_unstable();
        assert_eq!(sorted, super::STANDARD_RESERVED);
    }
}
