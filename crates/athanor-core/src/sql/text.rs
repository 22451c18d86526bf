//! [`TextClause`]: raw SQL with named bound parameters (SQLAlchemy's `text()`).

use std::sync::Arc;

use crate::types::Value;

/// Raw SQL with `:name` parameters, bound like every other value.
///
/// `::` (a PostgreSQL cast), `\:` (a literal colon) and text inside quotes are left alone.
///
/// ```
/// use athanor_core::prelude::*;
/// use athanor_core::dialect::{Postgres, Sqlite};
/// let t = text("SELECT Name FROM Genre WHERE GenreId = :gid AND x::int > :gid").bind("gid", 7);
/// assert_eq!(t.compile(&Sqlite)?.sql(), "SELECT Name FROM Genre WHERE GenreId = ? AND x::int > ?");
/// assert_eq!(t.compile(&Postgres)?.sql(), "SELECT Name FROM Genre WHERE GenreId = $1 AND x::int > $2");
/// # Ok::<(), athanor_core::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct TextClause {
    pub(crate) sql: Arc<str>,
    /// (byte offset in `sql` where the parameter stood, removed; parameter name)
    pub(crate) params: Arc<[(usize, Arc<str>)]>,
    pub(crate) values: Vec<(Arc<str>, Value)>,
}

impl std::hash::Hash for TextClause {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.sql.hash(state);
        self.params.hash(state);
    }
}

/// Raw SQL with named bound parameters.
pub fn text(sql: &str) -> TextClause {
    let (clean, params) = parse(sql);
    TextClause {
        sql: Arc::from(clean),
        params: params.into(),
        values: Vec::new(),
    }
}

fn parse(sql: &str) -> (String, Vec<(usize, Arc<str>)>) {
    let mut out = String::with_capacity(sql.len());
    let mut params = Vec::new();
    let chars: Vec<char> = sql.chars().collect();
    let mut i = 0;
    let mut quote: Option<char> = None;
    while i < chars.len() {
        let ch = chars[i];
        if let Some(q) = quote {
            out.push(ch);
            if ch == q {
                quote = None;
            }
            i += 1;
            continue;
        }
        match ch {
            '\'' | '"' | '`' => {
                quote = Some(ch);
                out.push(ch);
                i += 1;
            }
            '\\' if chars.get(i + 1) == Some(&':') => {
                out.push(':');
                i += 2;
            }
            ':' if chars.get(i + 1) == Some(&':') => {
                out.push_str("::");
                i += 2;
            }
            ':' if chars
                .get(i + 1)
                .is_some_and(|c| c.is_alphabetic() || *c == '_')
                && (i == 0 || !(chars[i - 1].is_alphanumeric() || chars[i - 1] == ':')) =>
            {
                let start = i + 1;
                let mut end = start;
                while end < chars.len() && (chars[end].is_alphanumeric() || chars[end] == '_') {
                    end += 1;
                }
                let name: String = chars[start..end].iter().collect();
                params.push((out.len(), Arc::from(name)));
                i = end;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    (out, params)
}

impl TextClause {
    /// Binds a value to a `:name` parameter (SQLAlchemy's `bindparams`).
    pub fn bind(mut self, name: &str, value: impl Into<Value>) -> Self {
        let v = value.into();
        match self.values.iter_mut().find(|(n, _)| n.as_ref() == name) {
            Some(slot) => slot.1 = v,
            None => self.values.push((Arc::from(name), v)),
        }
        self
    }
    /// The names of the parameters, in order of appearance.
    pub fn param_names(&self) -> impl Iterator<Item = &str> {
        self.params.iter().map(|(_, n)| n.as_ref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_names_and_skips_casts_and_quotes() {
        let t = text("SELECT ':no', x::int, \\:lit FROM t WHERE a = :a AND b = :b_2");
        assert_eq!(
            &*t.sql,
            "SELECT ':no', x::int, :lit FROM t WHERE a =  AND b = "
        );
        let names: Vec<&str> = t.param_names().collect();
        assert_eq!(names, ["a", "b_2"]);
    }
}
