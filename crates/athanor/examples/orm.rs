//! The ORM on Chinook: the eleven tables as `#[derive(Model)]` structs with their
//! relationships, a session that reads, changes, adds and deletes objects, and relationships
//! loaded without N+1 and changed through the session — every statement echoed.
//!
//! Run with `cargo run --example orm` (default features: embedded SQLite and Chinook).
//! `tests/orm/example.rs` runs the same story on SQLite, PostgreSQL and MariaDB.

use athanor::orm::{Collection, Related, joined, selectin};
use athanor::prelude::*;
use athanor::{Engine, Error};

// ----- the models -------------------------------------------------------------------------
//
// Chinook's DATETIME and NUMERIC(10,2) columns. SQLite keeps a DATETIME as its text
// ('2009-01-01 00:00:00') and a NUMERIC as a REAL (SQLAlchemy says the same of its SQLite
// dialect). With default features Athanor has no date or decimal type, so the example maps
// them to what SQLite holds: `String` and `f64`, with `sql_type` keeping the table's declared
// types. With the `chrono` feature on, a `DateTime` column comes back as a date and time,
// not text, so the field must be a `chrono::NaiveDateTime`; with `rust_decimal`, a
// `rust_decimal::Decimal` would keep money exact (an `f64` field still reads the decimal as
// its nearest float).

/// A DATETIME column's Rust type: SQLite's text with default features.
#[cfg(not(feature = "chrono"))]
type Timestamp = String;
/// A DATETIME column's Rust type: a date and time when the `chrono` feature is on.
#[cfg(feature = "chrono")]
type Timestamp = chrono::NaiveDateTime;

#[derive(Debug, Clone, PartialEq, Default, Model)]
#[athanor(table = "Artist")]
struct Artist {
    #[athanor(primary_key, column = "ArtistId")]
    id: i64,
    #[athanor(column = "Name", sql_type = Type::Unicode(Some(120)))]
    name: Option<String>,
    /// One-to-many: Album.ArtistId points here. Deleting an artist deletes its albums, and
    /// an album taken out of the collection is deleted (SQLAlchemy's "all, delete-orphan").
    #[athanor(
        back_populates = "artist",
        order_by = "AlbumId",
        cascade = "all, delete-orphan"
    )]
    albums: Collection<Album>,
}

#[derive(Debug, Clone, PartialEq, Default, Model)]
#[athanor(table = "Album")]
struct Album {
    #[athanor(primary_key, column = "AlbumId")]
    id: i64,
    #[athanor(column = "Title", sql_type = Type::Unicode(Some(160)))]
    title: String,
    #[athanor(column = "ArtistId", foreign_key = "Artist.ArtistId")]
    artist_id: i64,
    /// Many-to-one, the other side of `Artist.albums`.
    #[athanor(back_populates = "albums")]
    artist: Related<Artist>,
    #[athanor(back_populates = "album", order_by = "TrackId", cascade = "all")]
    tracks: Collection<Track>,
}

#[derive(Debug, Clone, PartialEq, Default, Model)]
#[athanor(table = "Genre")]
struct Genre {
    #[athanor(primary_key, column = "GenreId")]
    id: i64,
    #[athanor(column = "Name", sql_type = Type::Unicode(Some(120)))]
    name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Model)]
#[athanor(table = "MediaType")]
struct MediaType {
    #[athanor(primary_key, column = "MediaTypeId")]
    id: i64,
    #[athanor(column = "Name", sql_type = Type::Unicode(Some(120)))]
    name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Model)]
#[athanor(table = "Track")]
struct Track {
    #[athanor(primary_key, column = "TrackId")]
    id: i64,
    #[athanor(column = "Name", sql_type = Type::Unicode(Some(200)))]
    name: String,
    #[athanor(column = "AlbumId", foreign_key = "Album.AlbumId")]
    album_id: Option<i64>,
    #[athanor(column = "MediaTypeId", foreign_key = "MediaType.MediaTypeId")]
    media_type_id: i64,
    #[athanor(column = "GenreId", foreign_key = "Genre.GenreId")]
    genre_id: Option<i64>,
    #[athanor(column = "Composer", sql_type = Type::Unicode(Some(220)))]
    composer: Option<String>,
    #[athanor(column = "Milliseconds")]
    milliseconds: i64,
    #[athanor(column = "Bytes")]
    bytes: Option<i64>,
    #[athanor(column = "UnitPrice", sql_type = Type::Numeric(Some(10), Some(2)))]
    unit_price: f64,
    #[athanor(back_populates = "tracks")]
    album: Related<Album>,
    /// Many-to-one without a way back (Genre has no collection of tracks here).
    genre: Related<Genre>,
}

#[derive(Debug, Clone, PartialEq, Default, Model)]
#[athanor(table = "Playlist")]
struct Playlist {
    #[athanor(primary_key, column = "PlaylistId")]
    id: i64,
    #[athanor(column = "Name", sql_type = Type::Unicode(Some(120)))]
    name: Option<String>,
    /// Many-to-many through the PlaylistTrack table.
    #[athanor(secondary = PlaylistTrack::table(), order_by = "TrackId")]
    tracks: Collection<Track>,
}

#[derive(Debug, Clone, PartialEq, Default, Model)]
#[athanor(table = "PlaylistTrack")]
struct PlaylistTrack {
    #[athanor(
        primary_key,
        column = "PlaylistId",
        foreign_key = "Playlist.PlaylistId"
    )]
    playlist_id: i64,
    #[athanor(primary_key, column = "TrackId", foreign_key = "Track.TrackId")]
    track_id: i64,
}

#[derive(Debug, Clone, PartialEq, Default, Model)]
#[athanor(table = "Employee")]
struct Employee {
    #[athanor(primary_key, column = "EmployeeId")]
    id: i64,
    #[athanor(column = "LastName", sql_type = Type::Unicode(Some(20)))]
    last_name: String,
    #[athanor(column = "FirstName", sql_type = Type::Unicode(Some(20)))]
    first_name: String,
    #[athanor(column = "Title", sql_type = Type::Unicode(Some(30)))]
    title: Option<String>,
    /// The employee's manager: Chinook's self-referencing foreign key.
    #[athanor(column = "ReportsTo", foreign_key = "Employee.EmployeeId")]
    reports_to: Option<i64>,
    #[athanor(column = "BirthDate", sql_type = Type::DateTime)]
    birth_date: Option<Timestamp>,
    #[athanor(column = "HireDate", sql_type = Type::DateTime)]
    hire_date: Option<Timestamp>,
    #[athanor(column = "Address", sql_type = Type::Unicode(Some(70)))]
    address: Option<String>,
    #[athanor(column = "City", sql_type = Type::Unicode(Some(40)))]
    city: Option<String>,
    #[athanor(column = "State", sql_type = Type::Unicode(Some(40)))]
    state: Option<String>,
    #[athanor(column = "Country", sql_type = Type::Unicode(Some(40)))]
    country: Option<String>,
    #[athanor(column = "PostalCode", sql_type = Type::Unicode(Some(10)))]
    postal_code: Option<String>,
    #[athanor(column = "Phone", sql_type = Type::Unicode(Some(24)))]
    phone: Option<String>,
    #[athanor(column = "Fax", sql_type = Type::Unicode(Some(24)))]
    fax: Option<String>,
    #[athanor(column = "Email", sql_type = Type::Unicode(Some(60)))]
    email: Option<String>,
    /// Self-referential many-to-one: `remote_side` names the manager's end of the key.
    #[athanor(remote_side = "EmployeeId", back_populates = "reports")]
    manager: Related<Employee>,
    #[athanor(back_populates = "manager", order_by = "EmployeeId")]
    reports: Collection<Employee>,
}

#[derive(Debug, Clone, PartialEq, Default, Model)]
#[athanor(table = "Customer")]
struct Customer {
    #[athanor(primary_key, column = "CustomerId")]
    id: i64,
    #[athanor(column = "FirstName", sql_type = Type::Unicode(Some(40)))]
    first_name: String,
    #[athanor(column = "LastName", sql_type = Type::Unicode(Some(20)))]
    last_name: String,
    #[athanor(column = "Company", sql_type = Type::Unicode(Some(80)))]
    company: Option<String>,
    #[athanor(column = "Address", sql_type = Type::Unicode(Some(70)))]
    address: Option<String>,
    #[athanor(column = "City", sql_type = Type::Unicode(Some(40)))]
    city: Option<String>,
    #[athanor(column = "State", sql_type = Type::Unicode(Some(40)))]
    state: Option<String>,
    #[athanor(column = "Country", sql_type = Type::Unicode(Some(40)))]
    country: Option<String>,
    #[athanor(column = "PostalCode", sql_type = Type::Unicode(Some(10)))]
    postal_code: Option<String>,
    #[athanor(column = "Phone", sql_type = Type::Unicode(Some(24)))]
    phone: Option<String>,
    #[athanor(column = "Fax", sql_type = Type::Unicode(Some(24)))]
    fax: Option<String>,
    #[athanor(column = "Email", sql_type = Type::Unicode(Some(60)))]
    email: String,
    #[athanor(column = "SupportRepId", foreign_key = "Employee.EmployeeId")]
    support_rep_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Default, Model)]
#[athanor(table = "Invoice")]
struct Invoice {
    #[athanor(primary_key, column = "InvoiceId")]
    id: i64,
    #[athanor(column = "CustomerId", foreign_key = "Customer.CustomerId")]
    customer_id: i64,
    #[athanor(column = "InvoiceDate", sql_type = Type::DateTime)]
    invoice_date: Timestamp,
    #[athanor(column = "BillingAddress", sql_type = Type::Unicode(Some(70)))]
    billing_address: Option<String>,
    #[athanor(column = "BillingCity", sql_type = Type::Unicode(Some(40)))]
    billing_city: Option<String>,
    #[athanor(column = "BillingState", sql_type = Type::Unicode(Some(40)))]
    billing_state: Option<String>,
    #[athanor(column = "BillingCountry", sql_type = Type::Unicode(Some(40)))]
    billing_country: Option<String>,
    #[athanor(column = "BillingPostalCode", sql_type = Type::Unicode(Some(10)))]
    billing_postal_code: Option<String>,
    #[athanor(column = "Total", sql_type = Type::Numeric(Some(10), Some(2)))]
    total: f64,
}

#[derive(Debug, Clone, PartialEq, Default, Model)]
#[athanor(table = "InvoiceLine")]
struct InvoiceLine {
    #[athanor(primary_key, column = "InvoiceLineId")]
    id: i64,
    #[athanor(column = "InvoiceId", foreign_key = "Invoice.InvoiceId")]
    invoice_id: i64,
    #[athanor(column = "TrackId", foreign_key = "Track.TrackId")]
    track_id: i64,
    #[athanor(column = "UnitPrice", sql_type = Type::Numeric(Some(10), Some(2)))]
    unit_price: f64,
    #[athanor(column = "Quantity")]
    quantity: i64,
}

// ----- the story --------------------------------------------------------------------------

fn main() -> Result<(), Error> {
    // An in-memory SQLite database holding Chinook, on an engine that echoes each statement
    // (SQLAlchemy's `create_engine(url, echo=True)`) through `tracing`. Chinook is installed
    // before a subscriber listens, so the echo starts with the story.
    let engine = create_engine("sqlite://?echo=true")?;
    athanor::chinook::install(&engine)?;
    tracing_subscriber::fmt()
        .with_target(false)
        .with_level(false)
        .without_time()
        .init();
    story(&engine)?;
    relationships(&engine)
}

fn step(title: &str) {
    println!("\n=== {title}");
}

fn required<T>(found: Option<T>, what: &str) -> Result<T, Error> {
    found.ok_or_else(|| Error::InvalidRequest(format!("Chinook has no {what}")))
}

/// The story, on any engine holding Chinook (each `assert` states what it shows).
pub(crate) fn story(engine: &Engine) -> Result<(), Error> {
    // A session holds the objects it loads, one per primary key (the identity map), and
    // writes their changes in one flush. Its transaction begins with its first statement.
    let mut s = Session::new(engine);

    step("get by primary key: one SELECT, then the identity map");
    let acdc = required(s.get::<Artist>(1)?, "artist 1")?; // a Copy handle
    println!("  {:?}", s.read(acdc)?);
    let again = required(s.get::<Artist>(1)?, "artist 1")?; // no statement
    let by_name = s.query::<Artist>().filter(Artist::NAME.eq("AC/DC")).one()?;
    assert!(again == acdc && by_name == acdc, "one object per key");
    println!("  get(1) again (no SELECT) and the query by name give the same {acdc:?}");

    step("a query: filter, order_by, limit");
    let albums = s
        .query::<Album>()
        .filter(Album::ARTIST_ID.eq(90))
        .order_by(Album::TITLE)
        .limit(3)
        .all()?;
    let mut titles = Vec::new();
    for a in albums {
        titles.push(s.read(a)?.title.clone());
    }
    println!("  {titles:?}");
    assert_eq!(titles[0], "A Matter of Life and Death");
    let tracks = s
        .query::<Track>()
        .filter(Track::ALBUM_ID.eq(1))
        .order_by(Track::ID)
        .all()?;
    // `read` borrows the session (it may reload an expired object): copy values out.
    let first = s.read(tracks[0])?.clone();
    // Related objects by key here, from the identity map or one SELECT each (the
    // relationships chapter below loads them through relationships instead).
    let genre = required(s.get::<Genre>(first.genre_id.unwrap_or_default())?, "genre")?;
    let media = required(s.get::<MediaType>(first.media_type_id)?, "media type")?;
    let genre = s.read(genre)?.name.clone();
    let media = s.read(media)?.name.clone();
    println!(
        "  {} tracks on album 1; the first, {:?}, is {genre:?} as {media:?}",
        tracks.len(),
        first.name,
    );
    assert_eq!(tracks.len(), 10);

    step("tuples of columns: a join and a GROUP BY");
    // The Chinook question of `cargo run --example chinook`, asked of the models.
    let top: Vec<(String, i64)> = s
        .query_as((Artist::NAME, func::count(Album::ID).label("albums")))
        .join(Album::table()) // ON from Album's foreign key
        .group_by((Artist::ID, Artist::NAME))
        .order_by((desc("albums"), Artist::NAME))
        .limit(3)
        .all()?;
    println!("  the artists with the most albums: {top:?}");
    assert_eq!(top[0], ("Iron Maiden".to_string(), 21));

    step("change a field and flush: an UPDATE of the changed column only");
    s.edit(acdc)?.name = Some("AC/DC (remastered)".into()); // the first edit takes a snapshot
    let second = tracks[1];
    let ms = s.read(second)?.milliseconds;
    s.edit(second)?.milliseconds = 1; // changed, then set back: nothing to write
    s.edit(second)?.milliseconds = ms;
    assert!(!s.is_modified(second)?);
    println!("  {s:?}");
    s.flush()?;

    step("add: a manager and her report, the report added first");
    // Objects may refer to each other by key too (relationships below): the manager's key is
    // given, the report's is generated by the database (an unset key: 0).
    let report = s.add(Employee {
        last_name: "Okafor".into(),
        first_name: "Ada".into(),
        title: Some("Sales Support Agent".into()),
        reports_to: Some(100),
        ..Default::default()
    })?;
    let manager = s.add(Employee {
        id: 100,
        last_name: "Lindqvist".into(),
        first_name: "Maja".into(),
        title: Some("Sales Manager".into()),
        reports_to: Some(1),
        ..Default::default()
    })?;
    let customer = s.add(Customer {
        first_name: "Lena".into(),
        last_name: "Varga".into(),
        email: "lena@example.com".into(),
        support_rep_id: Some(100),
        ..Default::default()
    })?;
    // Employee before Customer (its foreign key), and the manager before her report.
    s.flush()?;
    let report = s.read(report)?.clone();
    let manager_id = s.read(manager)?.id;
    let customer = s.read(customer)?.clone();
    println!(
        "  {} {} (id {}, generated) reports to {manager_id}; customer {} (id {}) is served by {manager_id}",
        report.first_name, report.last_name, report.id, customer.first_name, customer.id,
    );
    assert!(report.id > 8 && customer.id > 59);

    step("delete: an invoice and its lines, the lines first");
    let invoice = required(s.get::<Invoice>(1)?, "invoice 1")?;
    let lines = s
        .query::<InvoiceLine>()
        .filter(InvoiceLine::INVOICE_ID.eq(1))
        .all()?;
    s.delete(invoice)?; // marked first, deleted last
    for l in &lines {
        s.delete(*l)?;
    }
    s.flush()?;
    assert_eq!(s.get::<Invoice>(1)?, None);
    println!("  invoice 1 and its {} lines are gone", lines.len());

    step("bulk UPDATE, synchronized by evaluating its WHERE clause in Rust");
    let before = s.read(tracks[0])?.unit_price;
    let n = s.query::<Track>().filter(Track::ALBUM_ID.eq(1)).update(
        row! { "UnitPrice" => Track::UNIT_PRICE.expr() + 0.5 },
        Synchronize::Evaluate,
    )?;
    let after = s.read(tracks[0])?.unit_price; // computed in Rust, no SELECT
    println!("  {n} tracks repriced; the first: {before} -> {after}");
    assert_eq!((n, before, after), (10, 0.99, 1.49));

    step("bulk DELETE of every artist without an album, synchronized by fetching the keys");
    let lonely = required(s.get::<Artist>(25)?, "artist 25")?;
    let n = s
        .query::<Artist>()
        .filter(!Artist::ID.in_select(select(Album::ARTIST_ID)))
        .delete(Synchronize::Fetch)?;
    // As after a flush's DELETE: out of the identity map, its values readable until commit.
    println!(
        "  {n} artists deleted; get(25) finds none; the deleted object still reads {:?}",
        s.read(lonely)?.name
    );
    assert_eq!((n, s.get::<Artist>(25)?), (71, None));

    step("begin_nested: a SAVEPOINT, rolled back");
    {
        let mut sp = s.begin_nested()?;
        sp.edit(acdc)?.name = Some("oops".into());
        let polka = sp.add(Genre {
            id: 100,
            name: Some("Polka".into()),
        })?;
        sp.flush()?;
        // The database and the session both go back to the savepoint: the new genre leaves
        // the session, and artist 1 is expired.
        sp.rollback()?;
        assert!(s.read(polka).is_err());
    }
    let name = s.read(acdc)?.name.clone(); // reloaded
    println!("  artist 1 reloaded: {name:?}");
    assert_eq!(name.as_deref(), Some("AC/DC (remastered)"));

    step("commit: every object expires, and the next read reloads it");
    s.commit()?;
    assert!(s.read(lonely).is_err()); // deleted and committed: the handle is dead
    println!("  artist 1: {:?}", s.read(acdc)?.name); // one SELECT
    // Reading one expired track reloads every expired track, in one SELECT ... IN.
    println!("  a track of album 1: {:?}", s.read(tracks[1])?.name);
    println!("  another: {:?}", s.read(tracks[2])?.name); // no statement
    Ok(())
}

/// Relationships, on any engine holding Chinook.
pub(crate) fn relationships(engine: &Engine) -> Result<(), Error> {
    let mut s = Session::new(engine);

    step("eager loading without N+1: every artist, album, track and genre in 4 statements");
    // SQLAlchemy: select(Artist).options(selectinload(Artist.albums)
    //     .selectinload(Album.tracks).selectinload(Track.genre))
    let artists = s
        .query::<Artist>()
        .order_by(Artist::ID)
        .options(
            selectin(Artist::albums)
                .selectin(Album::tracks)
                .selectin(Track::genre),
        )
        .all()?;
    let (mut albums, mut tracks) = (0, 0);
    let mut rock = 0;
    for &a in &artists {
        for al in s.read(a)?.albums.to_vec()? {
            albums += 1;
            for t in s.read(al)?.tracks.to_vec()? {
                tracks += 1;
                if let Some(g) = s.read(t)?.genre.get()? {
                    rock += usize::from(s.read(g)?.name.as_deref() == Some("Rock"));
                }
            }
        }
    }
    println!(
        "  {} artists, {albums} albums, {tracks} tracks, {rock} of them rock",
        artists.len()
    );
    assert_eq!((albums, tracks), (347, 3503));

    step("a playlist's tracks (many-to-many), joined: one statement");
    let grunge = s
        .query::<Playlist>()
        .filter(Playlist::NAME.eq("Grunge"))
        .options(joined(Playlist::tracks))
        .one()?;
    let first = s.read(grunge)?.tracks.to_vec()?[0];
    println!(
        "  Grunge holds {} tracks, the first {:?}",
        s.read(grunge)?.tracks.len()?,
        s.read(first)?.name
    );

    step("an employee's reports (self-referential), loaded for every employee at once");
    let everyone = s.query::<Employee>().order_by(Employee::ID).all()?;
    let boss = everyone[0];
    let reports = s.load(boss, Employee::reports)?; // one query: every employee's reports
    let nancy = reports[0];
    assert_eq!(s.related(nancy, Employee::manager)?, Some(boss)); // back_populates: no query
    let boss_id = s.read(boss)?.id;
    for r in &reports {
        let e = s.read(*r)?;
        println!(
            "  {} {} reports to employee {boss_id}",
            e.first_name, e.last_name
        );
    }
    // Chinook's two, and the manager the story added (when it ran first).
    let direct = s
        .query::<Employee>()
        .filter(Employee::REPORTS_TO.eq(boss_id))
        .count()?;
    assert_eq!(reports.len() as i64, direct);
    assert!(s.read(everyone[1])?.reports.is_loaded()); // loaded with the others

    step("new objects in a relationship: the flush fills in their keys");
    let band = s.add(Artist {
        name: Some("The Relations".into()),
        albums: Collection::of([Album {
            title: "Back Populates".into(),
            ..Default::default()
        }]),
        ..Default::default()
    })?;
    let album = s.read(band)?.albums.to_vec()?[0];
    s.append_new(
        album,
        Album::tracks,
        Track {
            name: "Cascade".into(),
            media_type_id: 1,
            milliseconds: 180_000,
            unit_price: 0.99,
            ..Default::default()
        },
    )?;
    s.flush()?; // INSERT Artist (key generated), INSERT Album with it, INSERT Track with the album's
    let album_row = s.read(album)?.clone();
    println!(
        "  album {} belongs to artist {}",
        album_row.id, album_row.artist_id
    );
    assert_eq!(album_row.artist_id, s.read(band)?.id);

    step("cascade delete: the artist, its album and the album's track, children first");
    s.delete(band)?;
    s.flush()?;
    assert_eq!(
        s.query::<Album>()
            .filter(Album::TITLE.eq("Back Populates"))
            .count()?,
        0
    );
    s.commit()?;
    Ok(())
}
