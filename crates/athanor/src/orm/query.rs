//! [`Query`]: the quick reference's `session.query(...)` vocabulary over a Core `Select`.

use std::marker::PhantomData;
use std::ops::Range;

use athanor_core::sql::{
    Expr, FromItem, IntoColumns, IntoGroupBy, IntoOrderBy, Select, func, select,
};

use super::handle::Ref;
use super::load::FromSession;
use super::model::Model;
use super::session::Session;
use crate::{Error, Result};

/// A query of a session (SQLAlchemy's `Query`): a Core [`Select`] with its whole vocabulary,
/// whose rows come back as `T`: [`Ref`]s of a model for [`Session::query`], values or tuples
/// of entities and values for [`Session::query_as`]. Entities go through the identity map.
/// Each terminal method (`all`, `first`, `one`, `count`, ...) flushes first when autoflush is
/// on.
///
/// ```
/// use athanor::prelude::*;
/// #[derive(Debug, Clone, PartialEq, Model)]
/// #[athanor(table = "Album")]
/// struct Album {
///     #[athanor(primary_key, column = "AlbumId")] id: i64,
///     #[athanor(column = "Title")] title: String,
///     #[athanor(column = "ArtistId")] artist_id: i64,
/// }
/// let (engine, _) = athanor::chinook::load()?;
/// let mut s = Session::new(&engine);
/// let five = s.query::<Album>().filter_by([("ArtistId", 90)]).order_by(Album::TITLE).limit(5).all()?;
/// assert_eq!(s.read(five[0])?.title, "A Matter of Life and Death");
/// assert_eq!(s.query::<Album>().filter(Album::ARTIST_ID.eq(90)).count()?, 21);
/// let page = s.query::<Album>().order_by(Album::ID).slice(10..13).all()?;
/// assert_eq!(page.len(), 3);
/// assert!(matches!(s.query::<Album>().filter_by([("ArtistId", 1)]).one(), Err(Error::MultipleResultsFound)));
/// let counts: Vec<(i64, i64)> = s
///     .query_as((Album::ARTIST_ID, func::count(Album::ID).label("n")))
///     .group_by(Album::ARTIST_ID)
///     .order_by((desc("n"), Album::ARTIST_ID))
///     .limit(2)
///     .all()?;
/// assert_eq!(counts, [(90, 21), (22, 14)]);
/// # Ok::<(), athanor::Error>(())
/// ```
#[must_use = "a query does nothing until all(), first(), one(), count(), ... runs it"]
pub struct Query<'s, T> {
    pub(crate) session: &'s mut Session,
    pub(crate) stmt: Select,
    populate_existing: bool,
    _rows: PhantomData<fn() -> T>,
}

impl Session {
    /// A query of a model's objects: `SELECT` of its table.
    pub fn query<M: Model>(&mut self) -> Query<'_, Ref<M>> {
        Query::new(self, select(M::table()))
    }

    /// A query of columns and entities: `query_as::<(String, i64)>((Artist::NAME,
    /// func::count(Album::ID)))`, `query_as::<(Ref<Album>, String)>((Album::table(),
    /// Artist::NAME))`.
    pub fn query_as<T: FromSession>(&mut self, columns: impl IntoColumns) -> Query<'_, T> {
        Query::new(self, select(columns))
    }
}

impl<'s, T: FromSession> Query<'s, T> {
    fn new(session: &'s mut Session, stmt: Select) -> Self {
        Query {
            session,
            stmt,
            populate_existing: false,
            _rows: PhantomData,
        }
    }

    fn map(mut self, f: impl FnOnce(Select) -> Select) -> Self {
        self.stmt = f(self.stmt);
        self
    }

    /// Adds a WHERE condition (ANDed).
    pub fn filter(self, cond: impl Into<Expr>) -> Self {
        self.map(|s| s.filter(cond))
    }

    /// Adds `column = value` conditions by column name (SQLAlchemy's `filter_by`), against
    /// the query's first table.
    ///
    /// # Panics
    /// When a name is not a column of that table (as [`Select::filter_by`]).
    #[track_caller]
    pub fn filter_by<I, V>(self, pairs: I) -> Self
    where
        I: IntoIterator<Item = (&'static str, V)>,
        V: Into<Expr>,
    {
        let stmt = self.stmt.clone().filter_by(pairs);
        self.map(|_| stmt)
    }

    /// ORDER BY.
    pub fn order_by(self, o: impl IntoOrderBy) -> Self {
        self.map(|s| s.order_by(o))
    }

    /// GROUP BY.
    pub fn group_by(self, items: impl IntoGroupBy) -> Self {
        self.map(|s| s.group_by(items))
    }

    /// HAVING.
    pub fn having(self, cond: impl Into<Expr>) -> Self {
        self.map(|s| s.having(cond))
    }

    /// SELECT DISTINCT.
    pub fn distinct(self) -> Self {
        self.map(Select::distinct)
    }

    /// JOIN, the ON clause inferred from the foreign keys.
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

    /// LEFT OUTER JOIN with an explicit ON clause.
    pub fn outerjoin_on(self, target: impl Into<FromItem>, on: impl Into<Expr>) -> Self {
        self.map(|s| s.outerjoin_on(target, on))
    }

    /// LIMIT.
    pub fn limit(self, n: u64) -> Self {
        self.map(|s| s.limit(n))
    }

    /// OFFSET.
    pub fn offset(self, n: u64) -> Self {
        self.map(|s| s.offset(n))
    }

    /// Rows `range.start .. range.end` (Python's `query[10:13]`): OFFSET and LIMIT.
    pub fn slice(self, range: Range<u64>) -> Self {
        let n = range.end.saturating_sub(range.start);
        self.map(|s| s.offset(range.start).limit(n))
    }

    /// Changes the statement with any Core method (CTEs, windows, FOR UPDATE, ...).
    pub fn with_statement(self, f: impl FnOnce(Select) -> Select) -> Self {
        self.map(f)
    }

    /// Objects already in the session are overwritten with the rows' values (SQLAlchemy's
    /// `populate_existing`), discarding their unflushed changes.
    pub fn populate_existing(mut self) -> Self {
        self.populate_existing = true;
        self
    }

    /// The query's statement.
    pub fn statement(&self) -> &Select {
        &self.stmt
    }

    fn run(self, stmt: &Select) -> Result<Vec<T>> {
        self.session.autoflush()?;
        let before = std::mem::replace(&mut self.session.populate_existing, self.populate_existing);
        let rows = T::load_all(self.session, stmt);
        self.session.populate_existing = before;
        rows
    }

    /// Every row.
    ///
    /// # Errors
    /// The flush's or the statement's error.
    pub fn all(self) -> Result<Vec<T>> {
        let stmt = self.stmt.clone();
        self.run(&stmt)
    }

    /// The first row (`LIMIT 1`), or `None`.
    ///
    /// # Errors
    /// As [`Query::all`].
    pub fn first(self) -> Result<Option<T>> {
        let stmt = self.stmt.clone().limit(1);
        Ok(self.run(&stmt)?.into_iter().next())
    }

    /// Exactly one row.
    ///
    /// # Errors
    /// [`Error::NoResultFound`], [`Error::MultipleResultsFound`], or as [`Query::all`].
    pub fn one(self) -> Result<T> {
        self.one_or_none()?.ok_or(Error::NoResultFound)
    }

    /// One row or none.
    ///
    /// # Errors
    /// [`Error::MultipleResultsFound`], or as [`Query::all`].
    pub fn one_or_none(self) -> Result<Option<T>> {
        let stmt = self.stmt.clone();
        let mut rows = self.run(&stmt)?;
        if rows.len() > 1 {
            return Err(Error::MultipleResultsFound);
        }
        Ok(rows.pop())
    }

    /// The first column of the one row, or `None` with no row (SQLAlchemy's
    /// `Query.scalar`).
    ///
    /// # Errors
    /// [`Error::MultipleResultsFound`], or as [`Query::all`].
    pub fn scalar(self) -> Result<Option<T>> {
        self.one_or_none()
    }

    /// The number of rows the query returns: `SELECT count(*) FROM (query)`.
    ///
    /// # Errors
    /// As [`Query::all`].
    pub fn count(self) -> Result<i64> {
        self.session.autoflush()?;
        let stmt = select(func::count_star()).select_from(self.stmt.subquery_anon());
        self.session.run(&stmt)?.scalar::<i64>()
    }

    /// True when the query has a row: `SELECT EXISTS (query)`.
    ///
    /// # Errors
    /// As [`Query::all`].
    pub fn exists(self) -> Result<bool> {
        self.session.autoflush()?;
        let stmt = select(self.stmt.exists());
        self.session.run(&stmt)?.scalar::<bool>()
    }
}

impl<M: Model> Query<'_, Ref<M>> {
    /// The object with this key (the identity map first, as [`Session::get`]).
    ///
    /// # Errors
    /// The database's error.
    pub fn get(self, key: M::Key) -> Result<Option<Ref<M>>> {
        self.session.get::<M>(key)
    }
}
