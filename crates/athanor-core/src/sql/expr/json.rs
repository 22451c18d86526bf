//! Elements of a JSON document: SQLAlchemy's JSON comparator (`col["key"]`,
//! `col[("a", 1, "b")]`, `.as_string()`, `.as_integer()`, ...) as [`Expr::index`],
//! [`Expr::path`] and the `as_*` methods. Each dialect renders the element its own way
//! (PostgreSQL `->`, `->>`, `#>`, `#>>`; SQLite `JSON_EXTRACT` and `JSON_QUOTE`; MySQL and
//! MariaDB `JSON_EXTRACT` and `JSON_UNQUOTE`, with JSON `null` read as SQL NULL).

use super::Expr;
use crate::types::Type;

/// One step into a JSON document: an object's key or an array's position (from 0).
///
/// ```
/// use athanor_core::sql::JsonKey;
/// assert_eq!(JsonKey::from("a"), JsonKey::Key("a".into()));
/// assert_eq!(JsonKey::from(1), JsonKey::Index(1));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum JsonKey {
    /// An object's member.
    Key(String),
    /// An array's element, counted from 0.
    Index(i64),
}

impl From<&str> for JsonKey {
    fn from(k: &str) -> Self {
        JsonKey::Key(k.to_string())
    }
}

impl From<String> for JsonKey {
    fn from(k: String) -> Self {
        JsonKey::Key(k)
    }
}

impl From<i64> for JsonKey {
    fn from(i: i64) -> Self {
        JsonKey::Index(i)
    }
}

impl From<i32> for JsonKey {
    fn from(i: i32) -> Self {
        JsonKey::Index(i64::from(i))
    }
}

impl Expr {
    /// The element of a JSON document at `key` (SQLAlchemy's `col["key"]`, `col[1]`), as
    /// JSON; read it as a SQL value with [`as_string`](Expr::as_string),
    /// [`as_integer`](Expr::as_integer), ... Indexing an element goes one step further in.
    ///
    /// ```
    /// use athanor_core::prelude::*;
    /// use athanor_core::dialect::{MySql, Postgres, Sqlite};
    /// let md = MetaData::new();
    /// let t = Table::build("t", &md).column(Column::new("data", Type::Json)).finish()?;
    /// let name = t.c("data").index("name");
    /// assert_eq!(select(name.clone()).compile(&Postgres)?.sql(), "SELECT t.data -> 'name' AS anon_1 FROM t");
    /// assert_eq!(
    ///     select(name.clone()).compile(&Sqlite)?.sql(),
    ///     "SELECT JSON_QUOTE(JSON_EXTRACT(t.data, '$.\"name\"')) AS anon_1 FROM t"
    /// );
    /// assert_eq!(
    ///     select(name.as_string()).compile(&MySql)?.sql(),
    ///     "SELECT CASE JSON_EXTRACT(t.data, '$.\"name\"') WHEN 'null' THEN NULL \
    ///      ELSE JSON_UNQUOTE(JSON_EXTRACT(t.data, '$.\"name\"')) END AS anon_1 FROM t"
    /// );
    /// # Ok::<(), athanor_core::Error>(())
    /// ```
    pub fn index(self, key: impl Into<JsonKey>) -> Expr {
        self.path([key.into()])
    }

    /// The element at a path of keys and positions (SQLAlchemy's `col[("a", 1, "b")]`), as
    /// JSON.
    ///
    /// ```
    /// use athanor_core::prelude::*;
    /// use athanor_core::sql::JsonKey;
    /// use athanor_core::dialect::{Postgres, Sqlite};
    /// let md = MetaData::new();
    /// let t = Table::build("t", &md).column(Column::new("data", Type::Json)).finish()?;
    /// let six = t.c("data").path([JsonKey::from("key3"), 1.into(), "six".into()]).as_string();
    /// assert_eq!(
    ///     select(six.clone()).compile(&Postgres)?.sql(),
    ///     "SELECT t.data #>> ARRAY['key3', '1', 'six'] AS anon_1 FROM t"
    /// );
    /// assert_eq!(
    ///     select(six).compile(&Sqlite)?.sql(),
    ///     "SELECT CAST(JSON_EXTRACT(t.data, '$.\"key3\"[1].\"six\"') AS VARCHAR) AS anon_1 FROM t"
    /// );
    /// # Ok::<(), athanor_core::Error>(())
    /// ```
    pub fn path<I, K>(self, keys: I) -> Expr
    where
        I: IntoIterator<Item = K>,
        K: Into<JsonKey>,
    {
        let keys = keys.into_iter().map(Into::into);
        match self {
            // A JSON element indexed further: the path goes on.
            Expr::JsonGet { doc, mut path, ty } if *ty == Type::Json => {
                path.extend(keys);
                Expr::JsonGet { doc, path, ty }
            }
            doc => Expr::JsonGet {
                doc: Box::new(doc),
                path: keys.collect(),
                ty: Box::new(Type::Json),
            },
        }
    }

    /// The element as text (a JSON string without its quotes); JSON `null` is SQL NULL.
    pub fn as_string(self) -> Expr {
        self.json_as(Type::String(None))
    }

    /// The element as an integer; JSON `null` is SQL NULL.
    pub fn as_integer(self) -> Expr {
        self.json_as(Type::Integer)
    }

    /// The element as a float; JSON `null` is SQL NULL.
    pub fn as_float(self) -> Expr {
        self.json_as(Type::Float)
    }

    /// The element as a boolean; JSON `null` is SQL NULL.
    pub fn as_boolean(self) -> Expr {
        self.json_as(Type::Boolean)
    }

    /// The element as a decimal of this precision and scale; JSON `null` is SQL NULL.
    pub fn as_numeric(self, precision: u32, scale: u32) -> Expr {
        self.json_as(Type::Numeric(Some(precision), Some(scale)))
    }

    /// The element as JSON (what [`index`](Expr::index) and [`path`](Expr::path) give).
    pub fn as_json(self) -> Expr {
        self.json_as(Type::Json)
    }

    /// The element read as `ty`. On an expression that is no JSON element, an element with
    /// no path, which the compiler refuses (as SQLAlchemy has no `as_string()` there).
    fn json_as(self, ty: Type) -> Expr {
        match self {
            Expr::JsonGet { doc, path, .. } => Expr::JsonGet {
                doc,
                path,
                ty: Box::new(ty),
            },
            doc => Expr::JsonGet {
                doc: Box::new(doc),
                path: Vec::new(),
                ty: Box::new(ty),
            },
        }
    }
}

/// The path as SQLite and MySQL write it: `$."a"[1]."b"`.
///
/// # Errors
/// A key holding `"` or `\`, which such a path can't quote portably.
pub(crate) fn dollar_path(path: &[JsonKey]) -> std::result::Result<String, String> {
    let mut out = String::from("$");
    for k in path {
        match k {
            JsonKey::Index(i) => out.push_str(&format!("[{i}]")),
            JsonKey::Key(s) if s.contains(['"', '\\']) => {
                return Err(format!(
                    "the JSON key {s:?} in a path (a key with '\"' or '\\' can't be quoted in a \
                     JSON path here: read the document and index it in Rust)"
                ));
            }
            JsonKey::Key(s) => out.push_str(&format!(".\"{s}\"")),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        let p = [
            JsonKey::from("key3"),
            JsonKey::from(1),
            JsonKey::from("six"),
        ];
        assert_eq!(dollar_path(&p).unwrap(), "$.\"key3\"[1].\"six\"");
        assert!(dollar_path(&[JsonKey::from("a\"b")]).is_err());
    }

    #[test]
    fn refused_not_panicking() {
        use crate::dialect::{MySql, Postgres, Sqlite};
        use crate::prelude::*;
        let md = MetaData::new();
        let t = Table::build("t", &md)
            .column(Column::new("data", Type::Json))
            .finish()
            .unwrap();
        // as_string() on what is no element of a document; a key a path can't quote.
        let bare = select(t.c("data").as_string());
        let quote = select(t.c("data").index("a\"b").as_integer());
        for d in [&Sqlite as &dyn crate::dialect::Dialect, &Postgres, &MySql] {
            assert!(bare.compile(d).is_err(), "{}", d.name());
        }
        assert!(quote.compile(&Sqlite).is_err());
        assert!(quote.compile(&MySql).is_err());
        // PostgreSQL quotes the key as a string literal.
        assert_eq!(
            quote.compile(&Postgres).unwrap().sql(),
            "SELECT CAST(t.data ->> 'a\"b' AS INTEGER) AS anon_1 FROM t"
        );
        // Indexing an element goes further in.
        assert_eq!(
            select(t.c("data").index("a").index(2).as_float())
                .compile(&Postgres)
                .unwrap()
                .sql(),
            "SELECT CAST(t.data #>> ARRAY['a', '2'] AS FLOAT) AS anon_1 FROM t"
        );
    }
}
