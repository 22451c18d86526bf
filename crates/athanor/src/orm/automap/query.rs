//! [`DynQuery`]: `session.query(Album)` for an automapped class.

use std::ops::Range;

use athanor_core::sql::{Expr, FromItem, IntoOrderBy, Select, func, select};

use super::Class;
use super::object::{DynKey, DynRef};
use crate::orm::session::Session;
use crate::{Error, Result};

/// A query of an automapped class's objects (SQLAlchemy's `session.query(Album)` on an
/// automapped class): a Core [`Select`] of its table, whose rows come back as [`DynRef`]s
/// through the class's identity map. Terminal methods flush first (autoflush).
///
/// ```
/// use athanor::prelude::*;
/// # let (engine, _) = athanor::chinook::load()?;
/// let auto = athanor::orm::automap(&engine)?;
/// let (album, artist) = (auto.class("Album")?, auto.class("Artist")?);
/// let mut s = Session::new(&engine);
/// let some = s
///     .query_dyn(&album)
///     .join(&artist)
///     .filter(artist.c("Name").eq("Led Zeppelin"))
///     .order_by(album.c("Title"))
///     .limit(2)
///     .all()?;
/// assert_eq!(s.read_dyn(some[0])?.get::<String>("Title")?, "BBC Sessions [Disc 1] [Live]");
/// assert_eq!(s.query_dyn(&album).filter_by([("ArtistId", 22)]).count()?, 14);
/// // Relationships of every row, one query per level.
/// let rows = s.query_dyn(&artist).filter(artist.c("ArtistId").le(3)).selectin("album_collection").all()?;
/// assert_eq!(s.related_dyn(rows[0], "album_collection")?.len(), 2); // no query
/// # Ok::<(), athanor::Error>(())
/// ```
#[must_use = "a query does nothing until all(), first(), one(), count(), ... runs it"]
pub struct DynQuery<'s> {
    session: &'s mut Session,
    class: Class,
    stmt: Select,
    populate_existing: bool,
    paths: Vec<String>,
}

impl From<&Class> for FromItem {
    fn from(c: &Class) -> FromItem {
        FromItem::from(c.table())
    }
}

impl Session {
    /// A query of an automapped class's objects: `SELECT` of its table (example on
    /// [`DynQuery`]).
    pub fn query_dyn(&mut self, class: &Class) -> DynQuery<'_> {
        DynQuery {
            session: self,
            class: class.clone(),
            stmt: select(class.table()),
            populate_existing: false,
            paths: Vec::new(),
        }
    }
}

impl<'s> DynQuery<'s> {
    fn map(mut self, f: impl FnOnce(Select) -> Select) -> Self {
        self.stmt = f(self.stmt);
        self
    }

    /// Adds a WHERE condition (ANDed).
    pub fn filter(self, cond: impl Into<Expr>) -> Self {
        self.map(|s| s.filter(cond))
    }

    /// Adds `column = value` conditions on the class's columns, ANDed (SQLAlchemy's
    /// `filter_by`).
    ///
    /// # Panics
    /// For a column the class doesn't have (as [`Class::c`]).
    #[track_caller]
    pub fn filter_by<'n, I, V>(self, pairs: I) -> Self
    where
        I: IntoIterator<Item = (&'n str, V)>,
        V: Into<Expr>,
    {
        let conds: Vec<Expr> = pairs
            .into_iter()
            .map(|(n, v)| self.class.c(n).eq(v))
            .collect();
        self.map(|s| conds.into_iter().fold(s, Select::filter))
    }

    /// ORDER BY.
    pub fn order_by(self, o: impl IntoOrderBy) -> Self {
        self.map(|s| s.order_by(o))
    }

    /// SELECT DISTINCT.
    pub fn distinct(self) -> Self {
        self.map(Select::distinct)
    }

    /// JOIN, the ON clause inferred from the foreign keys (a [`Class`] or a table).
    pub fn join(self, target: impl Into<FromItem>) -> Self {
        self.map(|s| s.join(target))
    }

    /// JOIN with an explicit ON clause.
    pub fn join_on(self, target: impl Into<FromItem>, on: impl Into<Expr>) -> Self {
        self.map(|s| s.join_on(target, on))
    }

    /// LEFT OUTER JOIN, the ON clause inferred from the foreign keys.
    pub fn outerjoin(self, target: impl Into<FromItem>) -> Self {
        self.map(|s| s.outerjoin(target))
    }

    /// LIMIT.
    pub fn limit(self, n: u64) -> Self {
        self.map(|s| s.limit(n))
    }

    /// OFFSET.
    pub fn offset(self, n: u64) -> Self {
        self.map(|s| s.offset(n))
    }

    /// Rows `range.start .. range.end`: OFFSET and LIMIT.
    pub fn slice(self, range: Range<u64>) -> Self {
        let n = range.end.saturating_sub(range.start);
        self.map(|s| s.offset(range.start).limit(n))
    }

    /// Changes the statement with any Core method.
    pub fn with_statement(self, f: impl FnOnce(Select) -> Select) -> Self {
        self.map(f)
    }

    /// Objects already in the session are overwritten with the rows' values.
    pub fn populate_existing(mut self) -> Self {
        self.populate_existing = true;
        self
    }

    /// After the rows, loads a path of relationships for all of them
    /// (`"album_collection.track_collection"`), one query per level per 500 objects
    /// (SQLAlchemy's `selectinload` chain).
    pub fn selectin(mut self, path: &str) -> Self {
        self.paths.push(path.to_string());
        self
    }

    /// The statement as built so far.
    pub fn statement(&self) -> &Select {
        &self.stmt
    }

    fn run(self, stmt: &Select) -> Result<Vec<DynRef>> {
        self.session.autoflush()?;
        let rows = self
            .session
            .load_dyn_select(&self.class, stmt, None, self.populate_existing)?;
        for p in &self.paths {
            self.session.load_path_dyn(&self.class, &rows, p)?;
        }
        Ok(rows)
    }

    /// Every row.
    ///
    /// # Errors
    /// The flush's or the statement's error; a path naming no relationship.
    pub fn all(self) -> Result<Vec<DynRef>> {
        let stmt = self.stmt.clone();
        self.run(&stmt)
    }

    /// The first row (`LIMIT 1`), or `None`.
    ///
    /// # Errors
    /// As [`DynQuery::all`].
    pub fn first(self) -> Result<Option<DynRef>> {
        let stmt = self.stmt.clone().limit(1);
        Ok(self.run(&stmt)?.into_iter().next())
    }

    /// Exactly one row.
    ///
    /// # Errors
    /// [`Error::NoResultFound`], [`Error::MultipleResultsFound`], or as [`DynQuery::all`].
    pub fn one(self) -> Result<DynRef> {
        self.one_or_none()?.ok_or(Error::NoResultFound)
    }

    /// One row or none.
    ///
    /// # Errors
    /// [`Error::MultipleResultsFound`], or as [`DynQuery::all`].
    pub fn one_or_none(self) -> Result<Option<DynRef>> {
        let stmt = self.stmt.clone();
        let mut rows = self.run(&stmt)?;
        if rows.len() > 1 {
            return Err(Error::MultipleResultsFound);
        }
        Ok(rows.pop())
    }

    /// The number of rows: `SELECT count(*) FROM (query)`.
    ///
    /// # Errors
    /// As [`DynQuery::all`].
    pub fn count(self) -> Result<i64> {
        self.session.autoflush()?;
        let stmt = select(func::count_star()).select_from(self.stmt.subquery_anon());
        self.session.run(&stmt)?.scalar::<i64>()
    }

    /// True when the query has a row: `SELECT EXISTS (query)`.
    ///
    /// # Errors
    /// As [`DynQuery::all`].
    pub fn exists(self) -> Result<bool> {
        self.session.autoflush()?;
        let stmt = select(self.stmt.exists());
        self.session.run(&stmt)?.scalar::<bool>()
    }

    /// The object with this key (the identity map first, as
    /// [`Session::get_dyn`](crate::orm::Session::get_dyn)).
    ///
    /// # Errors
    /// As [`Session::get_dyn`](crate::orm::Session::get_dyn).
    pub fn get(self, key: impl DynKey) -> Result<Option<DynRef>> {
        self.session.get_dyn(&self.class, key)
    }
}
