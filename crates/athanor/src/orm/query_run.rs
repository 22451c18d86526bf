//! [`Query`]'s terminal methods: they flush first (autoflush), run the statement and build
//! its rows (`all`, `first`, `one`, `one_or_none`, `scalar`, `count`, `exists`, `get`).

use athanor_core::sql::{Select, func, select};

use super::handle::Ref;
use super::load::FromSession;
use super::model::Model;
use super::query::Query;
use crate::{Error, Result};

impl<T: FromSession> Query<'_, T> {
    fn run(self, stmt: &Select) -> Result<Vec<T>> {
        if let Some(e) = self.plan_error {
            return Err(e);
        }
        self.session.autoflush()?;
        let before = std::mem::replace(&mut self.session.populate_existing, self.populate_existing);
        let rows = T::load_planned(self.session, stmt, &self.plan);
        self.session.populate_existing = before;
        rows
    }

    /// Every row.
    ///
    /// ```
    /// # use athanor::prelude::*;
    /// # #[derive(Debug, Clone, PartialEq, Default, Model)]
    /// # #[athanor(table = "Genre")]
    /// # struct Genre {
    /// #     #[athanor(primary_key, column = "GenreId")] id: i64,
    /// #     #[athanor(column = "Name")] name: Option<String>,
    /// # }
    /// # let (engine, _) = athanor::chinook::load()?;
    /// let mut s = Session::new(&engine);
    /// let genres = s.query::<Genre>().order_by(Genre::ID).all()?;
    /// assert_eq!(genres.len(), 25);
    /// # Ok::<(), athanor::Error>(())
    /// ```
    ///
    /// # Errors
    /// The flush's or the statement's error.
    pub fn all(self) -> Result<Vec<T>> {
        let stmt = self.stmt.clone();
        self.run(&stmt)
    }

    /// The first row (`LIMIT 1`), or `None`.
    ///
    /// ```
    /// # use athanor::prelude::*;
    /// # #[derive(Debug, Clone, PartialEq, Default, Model)]
    /// # #[athanor(table = "Genre")]
    /// # struct Genre {
    /// #     #[athanor(primary_key, column = "GenreId")] id: i64,
    /// #     #[athanor(column = "Name")] name: Option<String>,
    /// # }
    /// # let (engine, _) = athanor::chinook::load()?;
    /// let mut s = Session::new(&engine);
    /// let first = s.query::<Genre>().order_by(Genre::NAME).first()?.expect("a genre");
    /// assert_eq!(s.read(first)?.name.as_deref(), Some("Alternative"));
    /// assert_eq!(s.query::<Genre>().filter(Genre::ID.gt(100)).first()?, None);
    /// # Ok::<(), athanor::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`Query::all`].
    pub fn first(self) -> Result<Option<T>> {
        let stmt = self.stmt.clone().limit(1);
        Ok(self.run(&stmt)?.into_iter().next())
    }

    /// Exactly one row.
    ///
    /// ```
    /// # use athanor::prelude::*;
    /// # #[derive(Debug, Clone, PartialEq, Default, Model)]
    /// # #[athanor(table = "Genre")]
    /// # struct Genre {
    /// #     #[athanor(primary_key, column = "GenreId")] id: i64,
    /// #     #[athanor(column = "Name")] name: Option<String>,
    /// # }
    /// # let (engine, _) = athanor::chinook::load()?;
    /// let mut s = Session::new(&engine);
    /// let jazz = s.query::<Genre>().filter(Genre::NAME.eq("Jazz")).one()?;
    /// assert_eq!(s.read(jazz)?.id, 2);
    /// assert!(matches!(s.query::<Genre>().filter(Genre::ID.gt(100)).one(), Err(Error::NoResultFound)));
    /// # Ok::<(), athanor::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::NoResultFound`], [`Error::MultipleResultsFound`], or as [`Query::all`].
    pub fn one(self) -> Result<T> {
        self.one_or_none()?.ok_or(Error::NoResultFound)
    }

    /// One row or none.
    ///
    /// ```
    /// # use athanor::prelude::*;
    /// # #[derive(Debug, Clone, PartialEq, Default, Model)]
    /// # #[athanor(table = "Genre")]
    /// # struct Genre {
    /// #     #[athanor(primary_key, column = "GenreId")] id: i64,
    /// #     #[athanor(column = "Name")] name: Option<String>,
    /// # }
    /// # let (engine, _) = athanor::chinook::load()?;
    /// let mut s = Session::new(&engine);
    /// assert_eq!(s.query::<Genre>().filter(Genre::NAME.eq("Polka")).one_or_none()?, None);
    /// assert!(matches!(s.query::<Genre>().one_or_none(), Err(Error::MultipleResultsFound)));
    /// # Ok::<(), athanor::Error>(())
    /// ```
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
    /// ```
    /// # use athanor::prelude::*;
    /// # #[derive(Debug, Clone, PartialEq, Default, Model)]
    /// # #[athanor(table = "Genre")]
    /// # struct Genre {
    /// #     #[athanor(primary_key, column = "GenreId")] id: i64,
    /// #     #[athanor(column = "Name")] name: Option<String>,
    /// # }
    /// # let (engine, _) = athanor::chinook::load()?;
    /// let mut s = Session::new(&engine);
    /// let top: Option<i64> = s.query_as(func::max(Genre::ID)).scalar()?;
    /// assert_eq!(top, Some(25));
    /// # Ok::<(), athanor::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::MultipleResultsFound`], or as [`Query::all`].
    pub fn scalar(self) -> Result<Option<T>> {
        self.one_or_none()
    }

    /// The number of rows the query returns: `SELECT count(*) FROM (query)`.
    ///
    /// ```
    /// # use athanor::prelude::*;
    /// # #[derive(Debug, Clone, PartialEq, Default, Model)]
    /// # #[athanor(table = "Genre")]
    /// # struct Genre {
    /// #     #[athanor(primary_key, column = "GenreId")] id: i64,
    /// #     #[athanor(column = "Name")] name: Option<String>,
    /// # }
    /// # let (engine, _) = athanor::chinook::load()?;
    /// let mut s = Session::new(&engine);
    /// assert_eq!(s.query::<Genre>().filter(Genre::NAME.like("R%")).count()?, 4);
    /// # Ok::<(), athanor::Error>(())
    /// ```
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
    /// ```
    /// # use athanor::prelude::*;
    /// # #[derive(Debug, Clone, PartialEq, Default, Model)]
    /// # #[athanor(table = "Genre")]
    /// # struct Genre {
    /// #     #[athanor(primary_key, column = "GenreId")] id: i64,
    /// #     #[athanor(column = "Name")] name: Option<String>,
    /// # }
    /// # let (engine, _) = athanor::chinook::load()?;
    /// let mut s = Session::new(&engine);
    /// assert!(s.query::<Genre>().filter(Genre::NAME.eq("Jazz")).exists()?);
    /// assert!(!s.query::<Genre>().filter(Genre::NAME.eq("Polka")).exists()?);
    /// # Ok::<(), athanor::Error>(())
    /// ```
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
    /// The object with this key (the identity map first, as [`Session::get`](super::Session::get)).
    ///
    /// ```
    /// # use athanor::prelude::*;
    /// # #[derive(Debug, Clone, PartialEq, Default, Model)]
    /// # #[athanor(table = "Genre")]
    /// # struct Genre {
    /// #     #[athanor(primary_key, column = "GenreId")] id: i64,
    /// #     #[athanor(column = "Name")] name: Option<String>,
    /// # }
    /// # let (engine, _) = athanor::chinook::load()?;
    /// let mut s = Session::new(&engine);
    /// let rock = s.query::<Genre>().get(1)?.expect("genre 1");
    /// assert_eq!(s.get::<Genre>(1)?, Some(rock));
    /// # Ok::<(), athanor::Error>(())
    /// ```
    ///
    /// # Errors
    /// The database's error.
    pub fn get(self, key: M::Key) -> Result<Option<Ref<M>>> {
        self.session.get::<M>(key)
    }
}
