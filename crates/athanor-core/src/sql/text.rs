//! [`TextClause`]: raw SQL with named bound parameters (SQLAlchemy's `text()`).

use std::sync::Arc;

use crate::types::Value;

/// Raw SQL with `:name` parameters, bound like every other value.
///
/// `::` (a PostgreSQL cast), `\:` (a literal colon) and text inside quotes are left alone.
/// A name used twice is one parameter: one `$n` at each use on PostgreSQL, a `?` per use
/// (bound from the one value) elsewhere.
///
/// ```
/// use athanor_core::prelude::*;
/// use athanor_core::dialect::{Postgres, Sqlite};
/// let t = text("SELECT Name FROM Genre WHERE GenreId = :gid AND x::int > :gid").bind("gid", 7);
/// assert_eq!(t.compile(&Sqlite)?.sql(), "SELECT Name FROM Genre WHERE GenreId = ? AND x::int > ?");
/// assert_eq!(t.compile(&Postgres)?.sql(), "SELECT Name FROM Genre WHERE GenreId = $1 AND x::int > $1");
/// # Ok::<(), athanor_core::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct TextClause {
    pub(crate) sql: Arc<str>,
    /// (byte offset in `sql` where the parameter stood, removed; parameter name)
    pub(crate) params: Arc<[(usize, Arc<str>)]>,
    pub(crate) values: Vec<(Arc<str>, Value)>,
    /// The parameters that are expanding lists ([`TextClause::expanding`]).
    pub(crate) expanding: Vec<Arc<str>>,
}

impl std::hash::Hash for TextClause {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.sql.hash(state);
        self.params.hash(state);
        self.expanding.hash(state);
    }
}

/// Raw SQL with named bound parameters.
///
/// A value keeps its type: on PostgreSQL, which would type `:x` from its context (`n * :x`
/// with an integer `n` makes it a bigint, and 100.0 would turn `n * :x / total` into integer
/// division), a float is sent as `:x::DOUBLE PRECISION` and a decimal as `::NUMERIC` — the
/// SQL follows the values given at each execution, as psycopg 3 types a Python float. A float
/// put into an integer column this way is converted by the database as it converts a double:
/// a whole float is stored exactly; PostgreSQL and MariaDB round a fraction half to even
/// (2.5 → 2), SQLite keeps it as a REAL; into a NUMERIC column PostgreSQL keeps a double's
/// first 15 significant digits. `insert()` binds by the column's type instead: a fraction
/// into an integer column is refused with `Error::Data`, and a float reaches a NUMERIC column
/// with all its digits (or give a `Decimal`).
///
/// ```
/// use athanor_core::prelude::*;
/// use athanor_core::dialect::Postgres;
/// let stmt = text("SELECT n * :x / total FROM t");
/// let c = stmt.clone().bind("x", 100.0).compile(&Postgres)?;
/// assert_eq!(c.sql(), "SELECT n * $1::DOUBLE PRECISION / total FROM t");
/// let c = stmt.bind("x", 100).compile(&Postgres)?;
/// assert_eq!(c.sql(), "SELECT n * $1 / total FROM t");
/// # Ok::<(), athanor_core::Error>(())
/// ```
pub fn text(sql: &str) -> TextClause {
    let (clean, params) = parse(sql);
    TextClause {
        sql: Arc::from(clean),
        params: params.into(),
        values: Vec::new(),
        expanding: Vec::new(),
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
    /// Makes `:name` an expanding list (SQLAlchemy's `bindparams(bindparam(name,
    /// expanding=True))`): given a list at execution, `x IN :name` becomes `x IN (?, ?, ?)`,
    /// one placeholder per item, so one cached statement takes lists of any length. A list of
    /// tuples (`vec![(2, "z2"), (3, "z3")]`) is for `(x, z) IN :name`.
    ///
    /// ```
    /// use athanor_core::prelude::*;
    /// use athanor_core::compiler::compile;
    /// use athanor_core::dialect::Postgres;
    /// let stmt = text("SELECT id FROM t WHERE (x, z) IN :q").expanding("q");
    /// let c = compile(stmt.statement(), &Postgres)?;
    /// let q = Value::from(vec![(2, "z2"), (3, "z3")]);
    /// assert_eq!(c.sql_for(&[], &|_| Some(&q)), "SELECT id FROM t WHERE (x, z) IN (($1, $2), ($3, $4))");
    /// # Ok::<(), athanor_core::Error>(())
    /// ```
    pub fn expanding(mut self, name: &str) -> Self {
        if !self.expanding.iter().any(|n| n.as_ref() == name) {
            self.expanding.push(Arc::from(name));
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
