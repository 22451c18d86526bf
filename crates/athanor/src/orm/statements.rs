//! Statements through the session: autoflush, Core statements in its transaction, and
//! loads of rows into the identity map as the driver reads them.

use athanor_core::sql::{Executable, Values};

use super::handle::Ref;
use super::model::Model;
use super::session::{Incoming, Session, store_in};
use super::store::Store;
use crate::engine::{CursorResult, LoadRows};
use crate::{Error, Result, RowValues};

impl Session {
    // ----- statements ---------------------------------------------------------------------

    /// Flushes when autoflush is on (before a query).
    pub(crate) fn autoflush(&mut self) -> Result<()> {
        if self.autoflush && !self.flushing && self.has_changes() {
            self.flush()?;
        }
        Ok(())
    }

    /// Runs a statement on the session's connection.
    pub(crate) fn run<S: Executable + ?Sized>(&mut self, stmt: &S) -> Result<CursorResult> {
        self.conn()?.execute(stmt)
    }

    /// Runs a SELECT on the session's connection and hands each row to `f` as the driver reads
    /// it, with the session (its connection set aside meanwhile): the ORM's loads, with no
    /// buffered result in between. `f` first hears how many rows to expect.
    pub(crate) fn run_rows<F>(
        &mut self,
        stmt: &(impl Executable + ?Sized),
        params: Option<&Values>,
        f: F,
    ) -> Result<usize>
    where
        F: FnMut(&mut Session, Incoming<'_>) -> Result<()>,
    {
        struct Loader<'s, F> {
            session: &'s mut Session,
            f: F,
            failed: Option<Error>,
        }
        impl<F> LoadRows for Loader<'_, F>
        where
            F: FnMut(&mut Session, Incoming<'_>) -> Result<()>,
        {
            fn reserve(&mut self, rows: usize) {
                if let Err(e) = (self.f)(self.session, Incoming::Expect(rows)) {
                    self.failed = Some(e);
                }
            }
            fn row(&mut self, values: RowValues<'_>) -> Result<()> {
                if let Some(e) = self.failed.take() {
                    return Err(e);
                }
                (self.f)(self.session, Incoming::Row(values))
            }
        }
        self.conn()?;
        let Some(mut conn) = self.conn.take() else {
            unreachable!("the connection was just set")
        };
        let mut loader = Loader {
            session: self,
            f,
            failed: None,
        };
        let r = conn.each_row_values(stmt, params, &mut loader);
        let failed = loader.failed.take();
        self.conn = Some(conn);
        match failed {
            Some(e) => Err(e),
            None => r,
        }
    }

    /// Loads the rows of a SELECT whose first columns are `M`'s into the identity map, each
    /// as the driver reads it.
    pub(crate) fn load_select<M: Model>(
        &mut self,
        stmt: &(impl Executable + ?Sized),
        params: Option<&Values>,
        overwrite: bool,
    ) -> Result<Vec<Ref<M>>> {
        struct Loader<'s, M: Model> {
            store: &'s mut Store<M>,
            session: u32,
            overwrite: bool,
            out: Vec<Ref<M>>,
        }
        impl<M: Model> LoadRows for Loader<'_, M> {
            fn reserve(&mut self, rows: usize) {
                self.store.reserve(rows);
                self.out.reserve(rows);
            }
            fn check_columns(&mut self, names: &[String]) -> Result<()> {
                super::load::check_model_columns::<M>(names, 0)
            }
            #[inline]
            fn row(&mut self, mut values: RowValues<'_>) -> Result<()> {
                let i = self.store.load(&mut values, 0, self.overwrite)?;
                self.out.push(self.store.handle(self.session, i));
                Ok(())
            }
        }
        self.conn()?;
        // The connection and the store are separate parts of the session.
        let Session {
            id, conn, stores, ..
        } = self;
        let Some(conn) = conn.as_mut() else {
            unreachable!("the connection was just set")
        };
        let mut loader = Loader {
            store: store_in::<M>(stores),
            session: *id,
            overwrite,
            out: Vec::new(),
        };
        conn.each_row_values(stmt, params, &mut loader)?;
        Ok(loader.out)
    }

    /// Executes a Core statement in the session's transaction, after an autoflush
    /// (SQLAlchemy's `session.execute`).
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
    /// s.add(Genre { id: 100, name: Some("Polka".into()) })?;
    /// let count = select(func::count_star()).select_from(Genre::table());
    /// assert_eq!(s.execute(&count)?.scalar::<i64>()?, 26); // flushed first
    /// # Ok::<(), athanor::Error>(())
    /// ```
    ///
    /// # Errors
    /// The flush's or the statement's error.
    pub fn execute<S: Executable + ?Sized>(&mut self, stmt: &S) -> Result<CursorResult> {
        self.autoflush()?;
        if !matches!(
            stmt.statement(),
            athanor_core::sql::StatementRef::Select(_)
                | athanor_core::sql::StatementRef::Compound(_)
        ) {
            self.core_writes = true;
        }
        self.run(stmt)
    }

    /// The objects a SELECT of a model returns (`select(Album::table())...`, with the Core's
    /// whole vocabulary), through the identity map (SQLAlchemy's `session.scalars(select(M))`).
    /// The model's columns must come first in the statement's columns.
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
    /// let stmt = select(Album::table()).filter(Album::ARTIST_ID.eq(1)).order_by(Album::ID);
    /// let albums = s.scalars::<Album>(&stmt)?;
    /// assert_eq!(s.read(albums[1])?.title, "Let There Be Rock");
    /// # Ok::<(), athanor::Error>(())
    /// ```
    ///
    /// # Errors
    /// The flush's or the statement's error; a conversion error naming the column.
    pub fn scalars<M: Model>(&mut self, stmt: &(impl Executable + ?Sized)) -> Result<Vec<Ref<M>>> {
        self.autoflush()?;
        let rows = self.load_select::<M>(stmt, None, false)?;
        super::loading::load_for::<M>(self, &rows, &[])?;
        Ok(rows)
    }

    /// Rows of entities and columns: `(Ref<Album>, String)` from
    /// `select((Album::table(), Artist::NAME))`, each entity through the identity map
    /// (SQLAlchemy's `session.execute(select(Album, Artist.Name)).all()`); example on
    /// [`FromSession`](super::FromSession).
    ///
    /// # Errors
    /// As [`Session::scalars`].
    pub fn tuples<T: super::load::FromSession>(
        &mut self,
        stmt: &(impl Executable + ?Sized),
    ) -> Result<Vec<T>> {
        self.autoflush()?;
        T::load_all(self, stmt)
    }
}
