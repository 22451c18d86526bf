//! [`Query`]: the quick reference's `session.query(...)` vocabulary over a Core `Select`.

use std::marker::PhantomData;
use std::ops::Range;

use athanor_core::sql::{
    Expr, FromItem, IntoColumns, IntoGroupBy, IntoOrderBy, JoinKind, Select, select,
};

use super::handle::Ref;
use super::load::FromSession;
use super::model::Model;
use super::rel_query::IntoJoinTarget;
use super::session::Session;

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
    pub(super) populate_existing: bool,
    /// For a query of a model: its fields' names and its table, so that `filter_by` takes
    /// field names too.
    entity: Option<(
        &'static [&'static str],
        &'static athanor_core::schema::Table,
    )>,
    /// Relationships to load after the rows (`options`).
    pub(super) plan: Vec<super::load_path::PlanNode>,
    /// A load path that didn't resolve: the terminal method reports it.
    pub(super) plan_error: Option<crate::Error>,
    /// The aliases of secondary tables joins along many-to-many relationships made (their
    /// names are numbered per table, `PlaylistTrack_1`, `PlaylistTrack_2`).
    rel_aliases: Vec<String>,
    _rows: PhantomData<fn() -> T>,
}

impl Session {
    /// A query of a model's objects: `SELECT` of its table.
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
    /// let rock = s.query::<Genre>().filter(Genre::NAME.eq("Rock")).one()?;
    /// assert_eq!(s.read(rock)?.id, 1);
    /// # Ok::<(), athanor::Error>(())
    /// ```
    pub fn query<M: Model>(&mut self) -> Query<'_, Ref<M>> {
        let mut q = Query::new(self, select(M::table()));
        q.entity = Some((M::FIELDS, M::table()));
        q
    }

    /// A query of columns and entities: `query_as::<(String, i64)>((Artist::NAME,
    /// func::count(Album::ID)))`, `query_as::<(Ref<Album>, String)>((Album::table(),
    /// Artist::NAME))`.
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
    /// # #[derive(Debug, Clone, PartialEq, Default, Model)]
    /// # #[athanor(table = "Track")]
    /// # struct Track {
    /// #     #[athanor(primary_key, column = "TrackId")] id: i64,
    /// #     #[athanor(column = "Name")] name: String,
    /// #     #[athanor(column = "MediaTypeId")] media_type_id: i64,
    /// #     #[athanor(column = "GenreId", foreign_key = "Genre.GenreId")] genre_id: Option<i64>,
    /// # }
    /// let mut s = Session::new(&engine);
    /// let names: Vec<String> = s.query_as(Genre::NAME).filter(Genre::ID.le(2)).order_by(Genre::ID).all()?;
    /// assert_eq!(names, ["Rock", "Jazz"]);
    /// // An entity and a column: the entity through the identity map.
    /// let rows: Vec<(Ref<Track>, String)> = s
    ///     .query_as((Track::table(), Genre::NAME))
    ///     .join(Genre::table())
    ///     .filter(Track::ID.eq(1))
    ///     .all()?;
    /// assert_eq!((s.read(rows[0].0)?.id, rows[0].1.as_str()), (1, "Rock"));
    /// # Ok::<(), athanor::Error>(())
    /// ```
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
            entity: None,
            plan: Vec::new(),
            plan_error: None,
            rel_aliases: Vec::new(),
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

    /// Adds `name = value` conditions (SQLAlchemy's `filter_by`), ANDed: a name is a column
    /// of the query's first table or, for a query of a model, one of its fields
    /// (`("artist_id", 90)` or `("ArtistId", 90)`).
    ///
    /// # Panics
    /// When a name is neither (as [`Select::filter_by`]: a programming error, like indexing).
    #[track_caller]
    pub fn filter_by<I, V>(self, pairs: I) -> Self
    where
        I: IntoIterator<Item = (&'static str, V)>,
        V: Into<Expr>,
    {
        match self.entity {
            Some((fields, table)) => {
                let mut q = self;
                for (name, v) in pairs {
                    let col = match fields.iter().position(|f| *f == name) {
                        Some(i) => table.c(table.columns()[i].name()),
                        None => table.c(name),
                    };
                    q = q.filter(col.eq(v));
                }
                q
            }
            None => {
                let stmt = self.stmt.clone().filter_by(pairs);
                self.map(|_| stmt)
            }
        }
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
    /// # #[derive(Debug, Clone, PartialEq, Default, Model)]
    /// # #[athanor(table = "Track")]
    /// # struct Track {
    /// #     #[athanor(primary_key, column = "TrackId")] id: i64,
    /// #     #[athanor(column = "Name")] name: String,
    /// #     #[athanor(column = "MediaTypeId")] media_type_id: i64,
    /// #     #[athanor(column = "GenreId", foreign_key = "Genre.GenreId")] genre_id: Option<i64>,
    /// # }
    /// let mut s = Session::new(&engine);
    /// let big: Vec<(i64, i64)> = s
    ///     .query_as((Track::GENRE_ID, func::count(Track::ID)))
    ///     .group_by(Track::GENRE_ID)
    ///     .having(func::count(Track::ID).gt(1000))
    ///     .all()?;
    /// assert_eq!(big, [(1, 1297)]);
    /// # Ok::<(), athanor::Error>(())
    /// ```
    pub fn having(self, cond: impl Into<Expr>) -> Self {
        self.map(|s| s.having(cond))
    }

    /// SELECT DISTINCT.
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
    /// # #[derive(Debug, Clone, PartialEq, Default, Model)]
    /// # #[athanor(table = "Track")]
    /// # struct Track {
    /// #     #[athanor(primary_key, column = "TrackId")] id: i64,
    /// #     #[athanor(column = "Name")] name: String,
    /// #     #[athanor(column = "MediaTypeId")] media_type_id: i64,
    /// #     #[athanor(column = "GenreId", foreign_key = "Genre.GenreId")] genre_id: Option<i64>,
    /// # }
    /// let mut s = Session::new(&engine);
    /// let n = s.query_as::<i64>(Track::MEDIA_TYPE_ID).distinct().count()?;
    /// assert_eq!(n, 5);
    /// # Ok::<(), athanor::Error>(())
    /// ```
    pub fn distinct(self) -> Self {
        self.map(Select::distinct)
    }

    /// The FROM item joins start from (SQLAlchemy's `select_from`), when the query's first
    /// table isn't the one to join from.
    pub fn select_from(self, from: impl Into<FromItem>) -> Self {
        self.map(|s| s.select_from(from))
    }

    /// JOIN along a relationship (SQLAlchemy's `query.join(Track.album)`), or to a table (or
    /// alias, CTE, join) with the ON clause inferred from the foreign keys.
    ///
    /// A relationship joins its target to the FROM entry holding its parent (the query's
    /// first table, or an earlier join), or adds `parent JOIN target` when none does; the ON
    /// clause pairs the relationship's columns as SQLAlchemy writes them, the referred column
    /// first. A many-to-many relationship joins through its secondary table, aliased
    /// `<secondary>_1` (`_2`, ... for further ones) as SQLAlchemy aliases it: two joins.
    ///
    /// # Errors
    /// The query fails when it runs (and its [`statement`](Query::statement) when compiled)
    /// with the relationship's error when it doesn't resolve
    /// ([`Error::AmbiguousForeignKeys`](crate::Error::AmbiguousForeignKeys) when the tables
    /// have several foreign keys and the relationship names none with `fk`,
    /// [`Error::NoForeignKeys`](crate::Error::NoForeignKeys) when they have none), and with
    /// [`Error::InvalidRequest`](crate::Error::InvalidRequest) for a self-referential
    /// relationship (its target needs an alias: use [`join_on`](Query::join_on)). A table
    /// no FROM entry can join fails the same way (see `Select::join`).
    ///
    /// ```
    /// use athanor::prelude::*;
    /// use athanor::orm::{Collection, Related};
    /// #[derive(Debug, Clone, PartialEq, Default, Model)]
    /// #[athanor(table = "Artist")]
    /// struct Artist {
    ///     #[athanor(primary_key, column = "ArtistId")] id: i64,
    ///     #[athanor(column = "Name")] name: Option<String>,
    /// }
    /// #[derive(Debug, Clone, PartialEq, Default, Model)]
    /// #[athanor(table = "Album")]
    /// struct Album {
    ///     #[athanor(primary_key, column = "AlbumId")] id: i64,
    ///     #[athanor(column = "ArtistId", foreign_key = "Artist.ArtistId")] artist_id: i64,
    ///     artist: Related<Artist>,
    /// }
    /// #[derive(Debug, Clone, PartialEq, Default, Model)]
    /// #[athanor(table = "Track")]
    /// struct Track {
    ///     #[athanor(primary_key, column = "TrackId")] id: i64,
    ///     #[athanor(column = "Name")] name: String,
    ///     #[athanor(column = "AlbumId", foreign_key = "Album.AlbumId")] album_id: Option<i64>,
    ///     album: Related<Album>,
    ///     #[athanor(secondary = PlaylistTrack::table())] playlists: Collection<Playlist>,
    /// }
    /// #[derive(Debug, Clone, PartialEq, Default, Model)]
    /// #[athanor(table = "Playlist")]
    /// struct Playlist {
    ///     #[athanor(primary_key, column = "PlaylistId")] id: i64,
    ///     #[athanor(column = "Name")] name: Option<String>,
    /// }
    /// #[derive(Debug, Clone, PartialEq, Default, Model)]
    /// #[athanor(table = "PlaylistTrack")]
    /// struct PlaylistTrack {
    ///     #[athanor(primary_key, column = "PlaylistId", foreign_key = "Playlist.PlaylistId")] playlist_id: i64,
    ///     #[athanor(primary_key, column = "TrackId", foreign_key = "Track.TrackId")] track_id: i64,
    /// }
    /// let (engine, _) = athanor::chinook::load()?;
    /// let mut s = Session::new(&engine);
    /// let queen = s.query_as::<String>(Track::NAME)
    ///     .join(Track::album)
    ///     .join(Album::artist)
    ///     .filter(Artist::NAME.eq("Queen"))
    ///     .order_by(Track::ID)
    ///     .limit(2);
    /// assert_eq!(
    ///     queen.statement().compile(&athanor::dialect::Sqlite)?.sql(),
    ///     r#"SELECT "Track"."Name" FROM "Track" JOIN "Album" ON "Album"."AlbumId" = "Track"."AlbumId" JOIN "Artist" ON "Artist"."ArtistId" = "Album"."ArtistId" WHERE "Artist"."Name" = ? ORDER BY "Track"."TrackId" LIMIT ?"#
    /// );
    /// assert_eq!(queen.all()?, ["A Kind Of Magic", "Under Pressure"]);
    /// // Many-to-many: through the secondary table.
    /// let grunge = s.query::<Track>().join(Track::playlists).filter(Playlist::NAME.eq("Grunge"));
    /// assert_eq!(
    ///     grunge.statement().compile(&athanor::dialect::Sqlite)?.sql(),
    ///     r#"SELECT "Track"."TrackId", "Track"."Name", "Track"."AlbumId" FROM "Track" JOIN "PlaylistTrack" AS "PlaylistTrack_1" ON "Track"."TrackId" = "PlaylistTrack_1"."TrackId" JOIN "Playlist" ON "Playlist"."PlaylistId" = "PlaylistTrack_1"."PlaylistId" WHERE "Playlist"."Name" = ?"#
    /// );
    /// assert_eq!(grunge.count()?, 15);
    /// // A table: the ON clause from the foreign key between the tables.
    /// assert_eq!(s.query::<Album>().join(Artist::table()).filter(Artist::NAME.eq("Queen")).count()?, 3);
    /// # Ok::<(), athanor::Error>(())
    /// ```
    pub fn join(mut self, target: impl IntoJoinTarget) -> Self {
        let mut aliases = std::mem::take(&mut self.rel_aliases);
        self = self.map(|s| {
            super::rel_query::join(s, target.into_join_target(), JoinKind::Inner, &mut aliases)
        });
        self.rel_aliases = aliases;
        self
    }

    /// JOIN with an explicit ON clause.
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
    /// # #[derive(Debug, Clone, PartialEq, Default, Model)]
    /// # #[athanor(table = "Track")]
    /// # struct Track {
    /// #     #[athanor(primary_key, column = "TrackId")] id: i64,
    /// #     #[athanor(column = "Name")] name: String,
    /// #     #[athanor(column = "MediaTypeId")] media_type_id: i64,
    /// #     #[athanor(column = "GenreId", foreign_key = "Genre.GenreId")] genre_id: Option<i64>,
    /// # }
    /// let mut s = Session::new(&engine);
    /// let n = s
    ///     .query::<Track>()
    ///     .join_on(Genre::table(), Genre::ID.eq(Track::GENRE_ID) & Genre::NAME.eq("Jazz"))
    ///     .count()?;
    /// assert_eq!(n, 130);
    /// # Ok::<(), athanor::Error>(())
    /// ```
    pub fn join_on(self, target: impl Into<FromItem>, on: impl Into<Expr>) -> Self {
        self.map(|s| s.join_on(target, on))
    }

    /// LEFT OUTER JOIN along a relationship or to a table, as [`join`](Query::join). A
    /// many-to-many relationship nests the join to its target as SQLAlchemy does: `parent
    /// LEFT OUTER JOIN (secondary JOIN target ON ...) ON ...`.
    ///
    /// # Errors
    /// As [`join`](Query::join)'s.
    ///
    /// ```
    /// use athanor::prelude::*;
    /// use athanor::orm::{Collection, Related};
    /// #[derive(Debug, Clone, PartialEq, Default, Model)]
    /// #[athanor(table = "Genre")]
    /// struct Genre {
    ///     #[athanor(primary_key, column = "GenreId")] id: i64,
    ///     #[athanor(column = "Name")] name: Option<String>,
    ///     tracks: Collection<Track>,
    /// }
    /// #[derive(Debug, Clone, PartialEq, Default, Model)]
    /// #[athanor(table = "Track")]
    /// struct Track {
    ///     #[athanor(primary_key, column = "TrackId")] id: i64,
    ///     #[athanor(column = "GenreId", foreign_key = "Genre.GenreId")] genre_id: Option<i64>,
    /// }
    /// let (engine, _) = athanor::chinook::load()?;
    /// let mut s = Session::new(&engine);
    /// // Every genre with its number of tracks, genres without a track too.
    /// let counts: Vec<(String, i64)> = s
    ///     .query_as((Genre::NAME, func::count(Track::ID).label("n")))
    ///     .outerjoin(Genre::tracks)
    ///     .group_by((Genre::ID, Genre::NAME))
    ///     .order_by((asc("n"), Genre::NAME))
    ///     .limit(2)
    ///     .all()?;
    /// assert_eq!(counts, [("Opera".to_string(), 1), ("Rock And Roll".to_string(), 12)]);
    /// // The same with the table: the ON clause from the foreign key.
    /// let q = s.query::<Genre>().outerjoin(Track::table());
    /// assert!(q.statement().compile(&athanor::dialect::Sqlite)?.sql().contains(
    ///     r#"FROM "Genre" LEFT OUTER JOIN "Track" ON "Genre"."GenreId" = "Track"."GenreId""#
    /// ));
    /// # Ok::<(), athanor::Error>(())
    /// ```
    pub fn outerjoin(mut self, target: impl IntoJoinTarget) -> Self {
        let mut aliases = std::mem::take(&mut self.rel_aliases);
        self = self.map(|s| {
            super::rel_query::join(s, target.into_join_target(), JoinKind::Left, &mut aliases)
        });
        self.rel_aliases = aliases;
        self
    }

    /// LEFT OUTER JOIN with an explicit ON clause.
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
    /// # #[derive(Debug, Clone, PartialEq, Default, Model)]
    /// # #[athanor(table = "Track")]
    /// # struct Track {
    /// #     #[athanor(primary_key, column = "TrackId")] id: i64,
    /// #     #[athanor(column = "Name")] name: String,
    /// #     #[athanor(column = "MediaTypeId")] media_type_id: i64,
    /// #     #[athanor(column = "GenreId", foreign_key = "Genre.GenreId")] genre_id: Option<i64>,
    /// # }
    /// let mut s = Session::new(&engine);
    /// let q = s.query::<Genre>().outerjoin_on(Track::table(), Track::GENRE_ID.eq(Genre::ID));
    /// assert!(q.statement().compile(&athanor::dialect::Sqlite)?.sql().contains(
    ///     r#"FROM "Genre" LEFT OUTER JOIN "Track" ON "Track"."GenreId" = "Genre"."GenreId""#
    /// ));
    /// # Ok::<(), athanor::Error>(())
    /// ```
    pub fn outerjoin_on(self, target: impl Into<FromItem>, on: impl Into<Expr>) -> Self {
        self.map(|s| s.outerjoin_on(target, on))
    }

    /// LIMIT.
    pub fn limit(self, n: u64) -> Self {
        self.map(|s| s.limit(n))
    }

    /// OFFSET.
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
    /// let last = s.query::<Genre>().order_by(Genre::ID).offset(23).all()?;
    /// assert_eq!(last.len(), 2);
    /// # Ok::<(), athanor::Error>(())
    /// ```
    pub fn offset(self, n: u64) -> Self {
        self.map(|s| s.offset(n))
    }

    /// Rows `range.start .. range.end` (Python's `query[10:13]`): OFFSET and LIMIT.
    pub fn slice(self, range: Range<u64>) -> Self {
        let n = range.end.saturating_sub(range.start);
        self.map(|s| s.offset(range.start).limit(n))
    }

    /// Changes the statement with any Core method (CTEs, windows, FOR UPDATE, ...).
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
    /// let q = s.query::<Genre>().with_statement(|stmt| stmt.filter(Genre::ID.lt(3)).order_by(Genre::ID.desc()));
    /// let two = q.all()?;
    /// assert_eq!(s.read(two[0])?.name.as_deref(), Some("Jazz"));
    /// # Ok::<(), athanor::Error>(())
    /// ```
    pub fn with_statement(self, f: impl FnOnce(Select) -> Select) -> Self {
        self.map(f)
    }

    /// Objects already in the session are overwritten with the rows' values (SQLAlchemy's
    /// `populate_existing`), discarding their unflushed changes.
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
    /// let mut s = Session::new(&engine).with_autoflush(false);
    /// let rock = s.get::<Genre>(1)?.expect("genre 1");
    /// s.edit(rock)?.name = Some("Rock!".into());
    /// s.query::<Genre>().filter(Genre::ID.eq(1)).all()?;
    /// assert_eq!(s.read(rock)?.name.as_deref(), Some("Rock!")); // a query keeps the object as it is
    /// s.query::<Genre>().filter(Genre::ID.eq(1)).populate_existing().all()?;
    /// assert_eq!(s.read(rock)?.name.as_deref(), Some("Rock")); // overwritten with the row
    /// # Ok::<(), athanor::Error>(())
    /// ```
    pub fn populate_existing(mut self) -> Self {
        self.populate_existing = true;
        self
    }

    /// The query's statement.
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
    /// let q = s.query::<Genre>().filter(Genre::ID.eq(1));
    /// assert_eq!(
    ///     q.statement().compile(&athanor::dialect::Postgres)?.sql(),
    ///     r#"SELECT "Genre"."GenreId", "Genre"."Name" FROM "Genre" WHERE "Genre"."GenreId" = $1"#
    /// );
    /// # Ok::<(), athanor::Error>(())
    /// ```
    pub fn statement(&self) -> &Select {
        &self.stmt
    }
}
