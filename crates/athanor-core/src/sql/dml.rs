//! INSERT, UPDATE and DELETE statements, and upserts.

use std::sync::Arc;

use crate::schema::Table;
use crate::sql::expr::Expr;
use crate::sql::memo::{ShapeMemo, memoized_statement};
use crate::sql::select::{IntoColumns, SelectBase};

/// Column values for an INSERT or UPDATE, in order; build with [`crate::row!`] or from pairs.
///
/// ```
/// use athanor_core::prelude::*;
/// let v = row! { "name" => "Alice", "age" => 27.3 };
/// assert_eq!(v.names().collect::<Vec<_>>(), ["name", "age"]);
/// ```
#[derive(Debug, Clone, Default, Hash)]
pub struct Values(pub Vec<(Arc<str>, Expr)>);

impl Values {
    /// No values.
    pub fn new() -> Self {
        Values(Vec::new())
    }
    /// No values, with room for `n`.
    pub fn with_capacity(n: usize) -> Self {
        Values(Vec::with_capacity(n))
    }
    /// Adds `name => value`.
    pub fn set(mut self, name: &str, value: impl Into<Expr>) -> Self {
        self.0.push((super::names::shared(name), value.into()));
        self
    }
    /// The column names, in order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(n, _)| n.as_ref())
    }
    /// The value for a column.
    pub fn get(&self, name: &str) -> Option<&Expr> {
        self.0
            .iter()
            .find(|(n, _)| n.as_ref() == name)
            .map(|(_, e)| e)
    }
    /// Number of values.
    pub fn len(&self) -> usize {
        self.0.len()
    }
    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<K: AsRef<str>, V: Into<Expr>> FromIterator<(K, V)> for Values {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        Values(
            iter.into_iter()
                .map(|(k, v)| (super::names::shared(k.as_ref()), v.into()))
                .collect(),
        )
    }
}

impl<K: AsRef<str>, V: Into<Expr>, const N: usize> From<[(K, V); N]> for Values {
    fn from(pairs: [(K, V); N]) -> Self {
        pairs.into_iter().collect()
    }
}

impl<K: AsRef<str>, V: Into<Expr>> From<Vec<(K, V)>> for Values {
    fn from(pairs: Vec<(K, V)>) -> Self {
        pairs.into_iter().collect()
    }
}

/// Builds [`Values`] (or execution parameters): `row! { "name" => "Alice", "age" => 27.3 }`.
#[macro_export]
macro_rules! row {
    (@count $($name:expr)+) => { [$($crate::row!(@one $name)),+].len() };
    (@one $name:expr) => { () };
    () => { $crate::sql::Values::new() };
    ($($name:expr => $value:expr),+ $(,)?) => {
        $crate::sql::Values::with_capacity($crate::row!(@count $($name)+))$(.set($name, $value))+
    };
}

/// What an INSERT inserts.
#[derive(Debug, Clone)]
pub enum InsertSource {
    /// No values given: every column as a named parameter (filled at execution), or
    /// `DEFAULT VALUES` when executed with none.
    Params,
    /// One row.
    Single(Values),
    /// Several rows in one multi-VALUES statement.
    Multi(Vec<Values>),
    /// `INSERT INTO t (cols) SELECT ...`.
    Select(Vec<Arc<str>>, Arc<SelectBase>),
}

/// Part of a statement's cache key. A multi-VALUES insert repeats one row shape many times:
/// every row after the first that names the same columns (the same interned names, or equal
/// text) writes a marker and its values' shapes, not its names again, and a row of plain
/// values writes one byte per value. The markers keep the encoding unambiguous, so two
/// sources hash alike only when they compile alike.
impl std::hash::Hash for InsertSource {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        match self {
            InsertSource::Params => state.write_u8(0),
            InsertSource::Single(v) => {
                state.write_u8(1);
                v.hash(state);
            }
            InsertSource::Multi(rows) => {
                state.write_u8(2);
                state.write_usize(rows.len());
                let Some((first, rest)) = rows.split_first() else {
                    return;
                };
                first.hash(state);
                for row in rest {
                    if !same_names(row, first) {
                        state.write_u8(0);
                        row.hash(state);
                    } else if let Some(tags) = plain_value_tags(row) {
                        state.write_u8(1);
                        state.write(&tags[..row.len()]);
                    } else {
                        state.write_u8(2);
                        for (_, e) in &row.0 {
                            e.hash(state);
                        }
                    }
                }
            }
            InsertSource::Select(columns, select) => {
                state.write_u8(3);
                columns.hash(state);
                select.hash(state);
            }
        }
    }
}

/// Whether two rows name the same columns in the same order.
fn same_names(a: &Values, b: &Values) -> bool {
    a.len() == b.len()
        && a.0
            .iter()
            .zip(&b.0)
            .all(|((x, _), (y, _))| Arc::ptr_eq(x, y) || x == y)
}

/// Rows this wide or narrower, of plain values only, hash as one byte per value.
const TAGGED_ROW: usize = 16;

/// One byte per value (the value's kind) when every entry of the row is a plain bound value.
fn plain_value_tags(row: &Values) -> Option<[u8; TAGGED_ROW]> {
    if row.len() > TAGGED_ROW {
        return None;
    }
    let mut tags = [0u8; TAGGED_ROW];
    for (tag, (_, e)) in tags.iter_mut().zip(&row.0) {
        match e {
            Expr::Value(v) => *tag = v.kind_tag(),
            _ => return None,
        }
    }
    Some(tags)
}

/// What an upsert does on conflict.
#[derive(Debug, Clone, Hash)]
pub enum ConflictAction {
    /// `DO NOTHING` (`INSERT IGNORE`-like on MySQL).
    Nothing,
    /// `DO UPDATE SET ...` (`ON DUPLICATE KEY UPDATE` on MySQL).
    Update(Values),
}

/// An upsert clause.
#[derive(Debug, Clone, Hash)]
pub struct OnConflict {
    /// The conflict target columns (SQLite/PostgreSQL; MySQL uses every unique key).
    pub target: Vec<Arc<str>>,
    /// What to do.
    pub action: ConflictAction,
    /// `WHERE` on the update (SQLite/PostgreSQL).
    pub where_: Option<Expr>,
}

/// An INSERT statement; build with [`Table::insert`].
///
/// ```
/// use athanor_core::prelude::*;
/// use athanor_core::dialect::{MySql, Postgres, Sqlite};
/// let md = MetaData::new();
/// let users = Table::build("users", &md)
///     .column(Column::new("id", Type::Integer).primary_key())
///     .column(Column::new("name", Type::String(Some(50))))
///     .finish()?;
/// let ins = users.insert().values(row! { "id" => 1, "name" => "Alice" })
///     .on_conflict_do_update(["id"], row! { "name" => excluded("name") });
/// assert_eq!(ins.compile(&Sqlite)?.sql(),
///     "INSERT INTO users (id, name) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name");
/// assert_eq!(ins.compile(&Postgres)?.sql(),
///     "INSERT INTO users (id, name) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET name = excluded.name");
/// assert_eq!(ins.compile(&MySql)?.sql(),
///     "INSERT INTO users (id, name) VALUES (?, ?) ON DUPLICATE KEY UPDATE name = VALUES(name)");
/// # Ok::<(), athanor_core::Error>(())
/// ```
#[derive(Clone)]
pub struct Insert {
    parts: InsertParts,
    memo: ShapeMemo,
}
memoized_statement!(Insert, InsertParts);

/// The parts of an [`Insert`] (read through `Deref`; changed only through `Insert::edit`).
#[derive(Debug, Clone, Hash)]
pub struct InsertParts {
    pub(crate) table: Table,
    pub(crate) source: InsertSource,
    pub(crate) returning: Vec<Expr>,
    pub(crate) on_conflict: Option<OnConflict>,
    pub(crate) return_defaults: bool,
}

impl Table {
    /// `INSERT INTO self`.
    pub fn insert(&self) -> Insert {
        Insert::from(InsertParts {
            table: self.clone(),
            source: InsertSource::Params,
            returning: Vec::new(),
            on_conflict: None,
            return_defaults: false,
        })
    }
    /// `UPDATE self`.
    pub fn update(&self) -> Update {
        Update::from(UpdateParts {
            table: self.clone(),
            set: Values::new(),
            where_: None,
            returning: Vec::new(),
            return_defaults: false,
        })
    }
    /// `DELETE FROM self`.
    pub fn delete(&self) -> Delete {
        Delete::from(DeleteParts {
            table: self.clone(),
            where_: None,
            returning: Vec::new(),
            return_defaults: false,
        })
    }
}

/// `INSERT INTO table` (SQLAlchemy's `insert(table)`).
pub fn insert(table: &Table) -> Insert {
    table.insert()
}
/// `UPDATE table`.
pub fn update(table: &Table) -> Update {
    table.update()
}
/// `DELETE FROM table`.
pub fn delete(table: &Table) -> Delete {
    table.delete()
}

impl Insert {
    /// One row of values (call again to add rows: a multi-VALUES insert).
    pub fn values(mut self, values: impl Into<Values>) -> Self {
        let v = values.into();
        let parts = self.edit();
        parts.source = match std::mem::replace(&mut parts.source, InsertSource::Params) {
            InsertSource::Single(first) => InsertSource::Multi(vec![first, v]),
            InsertSource::Multi(mut rows) => {
                rows.push(v);
                InsertSource::Multi(rows)
            }
            _ => InsertSource::Single(v),
        };
        self
    }
    /// Several rows in one statement (`VALUES (...), (...)`).
    pub fn values_many<I: IntoIterator<Item = Values>>(mut self, rows: I) -> Self {
        let mut rows = rows.into_iter().peekable();
        if rows.peek().is_none() {
            return self;
        }
        let parts = self.edit();
        let mut all = match std::mem::replace(&mut parts.source, InsertSource::Params) {
            InsertSource::Single(first) => vec![first],
            InsertSource::Multi(rows) => rows,
            _ => Vec::new(),
        };
        all.reserve(rows.size_hint().0);
        all.extend(rows);
        parts.source = match all.len() {
            0 => InsertSource::Params,
            1 => InsertSource::Single(all.pop().unwrap_or_default()),
            _ => InsertSource::Multi(all),
        };
        self
    }
    /// `INSERT INTO t (columns) SELECT ...`.
    pub fn from_select<I, S>(mut self, columns: I, select: impl Into<SelectBase>) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.edit().source = InsertSource::Select(
            columns.into_iter().map(|c| Arc::from(c.as_ref())).collect(),
            Arc::new(select.into()),
        );
        self
    }
    /// `RETURNING columns` (SQLite, PostgreSQL, MariaDB ≥ 10.5).
    pub fn returning(mut self, columns: impl IntoColumns) -> Self {
        columns.into_columns(&mut self.edit().returning);
        self
    }
    /// `ON CONFLICT (target) DO NOTHING`; on MySQL, the conflicting row is kept as it is.
    pub fn on_conflict_do_nothing<I, S>(mut self, target: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.edit().on_conflict = Some(OnConflict {
            target: target.into_iter().map(|c| Arc::from(c.as_ref())).collect(),
            action: ConflictAction::Nothing,
            where_: None,
        });
        self
    }
    /// `ON CONFLICT (target) DO UPDATE SET ...`; `ON DUPLICATE KEY UPDATE` on MySQL. Use
    /// [`crate::sql::excluded`] for the value the INSERT tried to write.
    pub fn on_conflict_do_update<I, S>(mut self, target: I, set: impl Into<Values>) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.edit().on_conflict = Some(OnConflict {
            target: target.into_iter().map(|c| Arc::from(c.as_ref())).collect(),
            action: ConflictAction::Update(set.into()),
            where_: None,
        });
        self
    }
    /// MySQL's name for [`Insert::on_conflict_do_update`] with no target.
    pub fn on_duplicate_key_update(self, set: impl Into<Values>) -> Self {
        self.on_conflict_do_update(Vec::<&str>::new(), set)
    }
    /// The table inserted into.
    pub fn table(&self) -> &Table {
        &self.table
    }
    /// What is inserted.
    pub fn source(&self) -> &InsertSource {
        &self.source
    }
    /// True when the statement has a RETURNING clause.
    pub fn has_returning(&self) -> bool {
        !self.returning.is_empty()
    }
    /// True when the statement has an ON CONFLICT / ON DUPLICATE KEY clause.
    pub fn has_on_conflict(&self) -> bool {
        self.on_conflict.is_some()
    }
    /// Fetches the key the database generates through `RETURNING` where the dialect has it,
    /// even where it also reports a last row id (SQLite, MariaDB), as SQLAlchemy's
    /// `return_defaults()` does: the result then has the returned column's name in
    /// `columns()`, no rows to read, and the key in `inserted_primary_key`. Where the dialect
    /// has no RETURNING (MySQL), it changes nothing. (SQLAlchemy's returns server-side
    /// defaults of other columns too; this fetches the generated key.)
    ///
    /// ```
    /// use athanor_core::prelude::*;
    /// let md = MetaData::new();
    /// let t = Table::build("t", &md)
    ///     .column(Column::new("id", Type::Integer).primary_key())
    ///     .finish()?;
    /// assert!(t.insert().return_defaults().returns_defaults());
    /// assert!(!t.insert().returns_defaults());
    /// # Ok::<(), athanor_core::Error>(())
    /// ```
    pub fn return_defaults(mut self) -> Self {
        self.edit().return_defaults = true;
        self
    }
    /// True after [`Insert::return_defaults`].
    pub fn returns_defaults(&self) -> bool {
        self.return_defaults
    }
}

/// An UPDATE statement; build with [`Table::update`].
///
/// ```
/// use athanor_core::prelude::*;
/// let md = MetaData::new();
/// let users = Table::build("users", &md)
///     .column(Column::new("id", Type::Integer).primary_key())
///     .column(Column::new("age", Type::Float))
///     .finish()?;
/// let up = users.update().set("age", users.c("age") + 1).filter(users.c("id").eq(7));
/// assert_eq!(up.to_string(), "UPDATE users SET age = users.age + :param_1 WHERE users.id = :param_2");
/// # Ok::<(), athanor_core::Error>(())
/// ```
///
/// Other tables named in the WHERE clause or the SET values are listed as SQLAlchemy lists
/// them: `UPDATE ... FROM` on SQLite and PostgreSQL, `UPDATE t, other SET t.c = ...` on MySQL.
/// A table only named inside a subquery stays in the subquery.
///
/// ```
/// use athanor_core::prelude::*;
/// use athanor_core::dialect::{MySql, Postgres, Sqlite};
/// let md = MetaData::new();
/// let album = Table::build("album", &md)
///     .column(Column::new("id", Type::Integer).primary_key())
///     .column(Column::new("title", Type::String(Some(160))))
///     .finish()?;
/// let track = Table::build("track", &md)
///     .column(Column::new("id", Type::Integer).primary_key())
///     .column(Column::new("album_id", Type::Integer).foreign_key(ForeignKey::new("album.id")))
///     .column(Column::new("price", Type::Numeric(Some(10), Some(2))))
///     .finish()?;
/// let up = track.update().set("price", 0.99)
///     .filter(track.c("album_id").eq(album.c("id")) & album.c("title").eq("Facelift"));
/// assert_eq!(up.compile(&Sqlite)?.sql(),
///     "UPDATE track SET price = ? FROM album WHERE track.album_id = album.id AND album.title = ?");
/// assert_eq!(up.compile(&Postgres)?.sql(),
///     "UPDATE track SET price = $1 FROM album WHERE track.album_id = album.id AND album.title = $2");
/// assert_eq!(up.compile(&MySql)?.sql(),
///     "UPDATE track, album SET track.price = ? WHERE track.album_id = album.id AND album.title = ?");
/// # Ok::<(), athanor_core::Error>(())
/// ```
#[derive(Clone)]
pub struct Update {
    parts: UpdateParts,
    memo: ShapeMemo,
}
memoized_statement!(Update, UpdateParts);

/// The parts of an [`Update`] (read through `Deref`; changed only through `Update::edit`).
#[derive(Debug, Clone, Hash)]
pub struct UpdateParts {
    pub(crate) table: Table,
    pub(crate) set: Values,
    pub(crate) where_: Option<Expr>,
    pub(crate) returning: Vec<Expr>,
    pub(crate) return_defaults: bool,
}

impl Update {
    /// The table updated.
    ///
    /// ```
    /// use athanor_core::prelude::*;
    /// let md = MetaData::new();
    /// let t = Table::build("t", &md).column(Column::new("x", Type::Integer)).finish()?;
    /// assert_eq!(t.update().table().name(), "t");
    /// # Ok::<(), athanor_core::Error>(())
    /// ```
    pub fn table(&self) -> &Table {
        &self.parts.table
    }
    /// The `SET` pairs given so far (none for a bare `update()`, whose SET columns are then
    /// the execution's parameters that name columns, as SQLAlchemy does).
    ///
    /// ```
    /// use athanor_core::prelude::*;
    /// let md = MetaData::new();
    /// let t = Table::build("t", &md).column(Column::new("x", Type::Integer)).finish()?;
    /// assert_eq!(t.update().set_values().names().count(), 0);
    /// assert_eq!(t.update().set("x", 1).set_values().names().collect::<Vec<_>>(), ["x"]);
    /// # Ok::<(), athanor_core::Error>(())
    /// ```
    pub fn set_values(&self) -> &Values {
        &self.parts.set
    }
    /// `SET name = value` (call again for more columns).
    pub fn set(mut self, name: &str, value: impl Into<Expr>) -> Self {
        self.edit().set.0.push((Arc::from(name), value.into()));
        self
    }
    /// Several `SET` pairs.
    pub fn values(mut self, values: impl Into<Values>) -> Self {
        self.edit().set.0.extend(values.into().0);
        self
    }
    /// Adds a WHERE condition; several are ANDed.
    pub fn filter(mut self, cond: impl Into<Expr>) -> Self {
        let parts = self.edit();
        parts.where_ = Some(match parts.where_.take() {
            Some(w) => w & cond.into(),
            None => cond.into(),
        });
        self
    }
    /// Fetches, with the update, the values of the SET columns the database computes (set to
    /// a SQL expression rather than a value), as SQLAlchemy's `return_defaults()` does:
    /// where the database has UPDATE ... RETURNING (SQLite, PostgreSQL) and the table allows
    /// it ([`TableBuilder::implicit_returning`](crate::schema::TableBuilder::implicit_returning)),
    /// the statement gets `RETURNING` those columns; the result has no rows to read, the
    /// first updated row's values in `returned_defaults`, and the number of rows updated in
    /// `rowcount`. Elsewhere, or with no such column, it runs unchanged.
    ///
    /// ```
    /// use athanor_core::prelude::*;
    /// let md = MetaData::new();
    /// let t = Table::build("t", &md).column(Column::new("x", Type::Integer)).finish()?;
    /// let up = t.update().set("x", t.c("x") + 1).return_defaults();
    /// assert!(up.returns_defaults());
    /// assert_eq!(up.computed_columns().count(), 1);
    /// assert_eq!(t.update().set("x", 1).computed_columns().count(), 0);
    /// # Ok::<(), athanor_core::Error>(())
    /// ```
    pub fn return_defaults(mut self) -> Self {
        self.edit().return_defaults = true;
        self
    }
    /// True after [`Update::return_defaults`].
    pub fn returns_defaults(&self) -> bool {
        self.parts.return_defaults
    }
    /// The SET columns whose new value the database computes: those set to a SQL expression,
    /// not to a value or a bound parameter (what [`Update::return_defaults`] fetches), as
    /// the table's columns.
    pub fn computed_columns(&self) -> impl Iterator<Item = Expr> + '_ {
        self.parts.set.0.iter().filter_map(|(name, value)| {
            let mut v = value;
            while let Expr::Typed(inner, _) = v {
                v = inner;
            }
            match v {
                Expr::Value(_) | Expr::BindParam(_) | Expr::Null => None,
                _ => self.parts.table.try_c(name).ok(),
            }
        })
    }
    /// `RETURNING columns`.
    pub fn returning(mut self, columns: impl IntoColumns) -> Self {
        columns.into_columns(&mut self.edit().returning);
        self
    }
    /// True when the statement has a RETURNING clause.
    ///
    /// ```
    /// use athanor_core::prelude::*;
    /// let md = MetaData::new();
    /// let t = Table::build("t", &md).column(Column::new("x", Type::Integer)).finish()?;
    /// assert!(!t.update().set("x", 1).has_returning());
    /// assert!(t.update().set("x", 1).returning(t.c("x")).has_returning());
    /// # Ok::<(), athanor_core::Error>(())
    /// ```
    pub fn has_returning(&self) -> bool {
        !self.parts.returning.is_empty()
    }
}

/// A DELETE statement; build with [`Table::delete`].
///
/// ```
/// use athanor_core::prelude::*;
/// let md = MetaData::new();
/// let users = Table::build("users", &md).column(Column::new("id", Type::Integer)).finish()?;
/// assert_eq!(users.delete().filter(users.c("id").gt(3)).to_string(),
///            "DELETE FROM users WHERE users.id > :param_1");
/// # Ok::<(), athanor_core::Error>(())
/// ```
///
/// Other tables named in the WHERE clause go in `USING` as SQLAlchemy renders them:
/// `DELETE FROM t USING other` on PostgreSQL, `DELETE FROM t USING t, other` on MySQL. SQLite
/// has no multi-table DELETE: compiling one there is
/// [`CompileError::Unsupported`](crate::error::CompileError::Unsupported); write the
/// condition as a subquery (`in_select`, `exists`), which works everywhere.
///
/// ```
/// use athanor_core::prelude::*;
/// use athanor_core::dialect::{MySql, Postgres, Sqlite};
/// let md = MetaData::new();
/// let album = Table::build("album", &md)
///     .column(Column::new("id", Type::Integer).primary_key())
///     .column(Column::new("title", Type::String(Some(160))))
///     .finish()?;
/// let track = Table::build("track", &md)
///     .column(Column::new("id", Type::Integer).primary_key())
///     .column(Column::new("album_id", Type::Integer))
///     .finish()?;
/// let del = track.delete()
///     .filter(track.c("album_id").eq(album.c("id")) & album.c("title").eq("Facelift"));
/// assert_eq!(del.compile(&Postgres)?.sql(),
///     "DELETE FROM track USING album WHERE track.album_id = album.id AND album.title = $1");
/// assert_eq!(del.compile(&MySql)?.sql(),
///     "DELETE FROM track USING track, album WHERE track.album_id = album.id AND album.title = ?");
/// assert!(del.compile(&Sqlite).is_err());
/// // The same rows, on every database:
/// let portable = track.delete().filter(track.c("album_id").in_select(
///     select(album.c("id")).filter(album.c("title").eq("Facelift"))));
/// assert_eq!(portable.compile(&Sqlite)?.sql(),
///     "DELETE FROM track WHERE track.album_id IN (SELECT album.id FROM album WHERE album.title = ?)");
/// # Ok::<(), athanor_core::Error>(())
/// ```
#[derive(Clone)]
pub struct Delete {
    parts: DeleteParts,
    memo: ShapeMemo,
}
memoized_statement!(Delete, DeleteParts);

/// The parts of an [`Delete`] (read through `Deref`; changed only through `Delete::edit`).
#[derive(Debug, Clone, Hash)]
pub struct DeleteParts {
    pub(crate) table: Table,
    pub(crate) where_: Option<Expr>,
    pub(crate) returning: Vec<Expr>,
    pub(crate) return_defaults: bool,
}

impl Delete {
    /// Adds a WHERE condition; several are ANDed.
    pub fn filter(mut self, cond: impl Into<Expr>) -> Self {
        let parts = self.edit();
        parts.where_ = Some(match parts.where_.take() {
            Some(w) => w & cond.into(),
            None => cond.into(),
        });
        self
    }
    /// SQLAlchemy's `return_defaults()` on a DELETE: a DELETE computes no column, so the
    /// statement runs unchanged (no RETURNING) and `rowcount` counts the rows deleted; kept so
    /// code written for SQLAlchemy carries over.
    ///
    /// ```
    /// use athanor_core::prelude::*;
    /// use athanor_core::dialect::Postgres;
    /// let md = MetaData::new();
    /// let t = Table::build("t", &md).column(Column::new("x", Type::Integer)).finish()?;
    /// let del = t.delete().filter(t.c("x").eq(1)).return_defaults();
    /// assert!(del.returns_defaults());
    /// assert_eq!(del.compile(&Postgres)?.sql(), "DELETE FROM t WHERE t.x = $1");
    /// # Ok::<(), athanor_core::Error>(())
    /// ```
    pub fn return_defaults(mut self) -> Self {
        self.edit().return_defaults = true;
        self
    }
    /// True after [`Delete::return_defaults`].
    pub fn returns_defaults(&self) -> bool {
        self.parts.return_defaults
    }
    /// `RETURNING columns`.
    pub fn returning(mut self, columns: impl IntoColumns) -> Self {
        columns.into_columns(&mut self.edit().returning);
        self
    }
    /// True when the statement has a RETURNING clause.
    ///
    /// ```
    /// use athanor_core::prelude::*;
    /// let md = MetaData::new();
    /// let t = Table::build("t", &md).column(Column::new("x", Type::Integer)).finish()?;
    /// assert!(!t.delete().has_returning());
    /// assert!(t.delete().returning(t.c("x")).has_returning());
    /// # Ok::<(), athanor_core::Error>(())
    /// ```
    pub fn has_returning(&self) -> bool {
        !self.parts.returning.is_empty()
    }
}
