//! Automap on Chinook: no struct at all. The tables are reflected, each becomes a class with
//! relationships named from its foreign keys (SQLAlchemy's `automap_base()`), and a session
//! walks Artist → albums → tracks, a playlist and an employee's reports, then changes rows,
//! with every statement echoed.
//!
//! Run with `cargo run --example automap` (default features: embedded SQLite and Chinook).
//! `tests/orm/example.rs` runs the same story on SQLite, PostgreSQL and MariaDB.

use athanor::orm::{Automap, automap};
use athanor::prelude::*;
use athanor::{Engine, Error};

fn main() -> Result<(), Error> {
    let engine = create_engine("sqlite://?echo=true")?;
    athanor::chinook::install(&engine)?;
    tracing_subscriber::fmt()
        .with_target(false)
        .with_level(false)
        .without_time()
        .init();
    story(&engine)
}

fn step(title: &str) {
    println!("\n=== {title}");
}

fn required<T>(found: Option<T>, what: &str) -> Result<T, Error> {
    found.ok_or_else(|| Error::InvalidRequest(format!("Chinook has no {what}")))
}

/// The story, on any engine holding Chinook (each `assert` states what it shows).
pub(crate) fn story(engine: &Engine) -> Result<(), Error> {
    step("reflect and map: one class per table with a primary key");
    let auto = automap(engine)?;
    show(&auto);
    walk(engine, &auto)
}

/// Every class, with its key and relationships.
pub(crate) fn show(auto: &Automap) {
    for class in auto.classes() {
        let rels: Vec<String> = class
            .relationships()
            .into_iter()
            .map(|r| format!("{} → {} ({:?})", r.name, r.target, r.direction))
            .collect();
        println!(
            "  {:<12} key {:?}, {} columns; {}",
            class.name(),
            class.primary_key(),
            class.columns().len(),
            rels.join(", ")
        );
    }
}

/// A session's work on the classes: reads through relationships, then changes.
pub(crate) fn walk(engine: &Engine, auto: &Automap) -> Result<(), Error> {
    let (artist, album, playlist, employee) = (
        auto.class("Artist")?,
        auto.class("Album")?,
        auto.class("Playlist")?,
        auto.class("Employee")?,
    );

    let mut s = Session::new(engine);
    step("Artist → albums → tracks: one SELECT per level");
    let acdc = s.query_dyn(&artist).filter_by([("Name", "AC/DC")]).one()?;
    let albums = s.related_dyn(acdc, "album_collection")?;
    let mut tracks_seen = 0;
    for &a in &albums {
        let title = s.read_dyn(a)?.get::<String>("Title")?;
        // The first call loads the tracks of every album in the session, in one query.
        let tracks = s.related_dyn(a, "track_collection")?;
        tracks_seen += tracks.len();
        let first = s.read_dyn(tracks[0])?.get::<String>("Name")?;
        println!("  {title}: {} tracks, the first \"{first}\"", tracks.len());
    }
    assert_eq!((albums.len(), tracks_seen), (2, 18));
    // Many-to-one: the genres of every track in the session, in one query.
    let first_track = s.related_dyn(albums[0], "track_collection")?[0];
    let genre = required(s.related_one_dyn(first_track, "genre")?, "genre")?;
    println!("  its genre: {:?}", s.read_dyn(genre)?);

    step("many-to-many through PlaylistTrack, and a self-referential key");
    let grunge = s
        .query_dyn(&playlist)
        .filter_by([("Name", "Grunge")])
        .one()?;
    let tracks = s.related_dyn(grunge, "track_collection")?;
    println!("  Grunge: {} tracks", tracks.len());
    assert_eq!(tracks.len(), 15);
    let boss = required(s.get_dyn(&employee, 1)?, "employee 1")?;
    for r in s.related_dyn(boss, "employee_collection")? {
        let e = s.read_dyn(r)?;
        println!(
            "  reports to Andrew Adams: {} {}",
            e.get::<String>("FirstName")?,
            e.get::<String>("LastName")?
        );
    }

    step("change rows: UPDATE of the changed column, INSERTs with generated keys");
    s.edit_dyn(albums[1])?
        .set("Title", "Let There Be Rock (Remastered)")?;
    let band = s.add_dyn(&artist, row! { "Name" => "The Reflections" })?;
    let debut = s.add_dyn(&album, row! { "Title" => "Mapped at Run Time" })?;
    s.set_related_dyn(debut, "artist", Some(band))?; // its ArtistId, known at the flush
    s.commit()?;
    let (band_id, debut_artist) = (
        s.read_dyn(band)?.get::<i64>("ArtistId")?,
        s.read_dyn(debut)?.get::<i64>("ArtistId")?,
    );
    println!("  the new artist got key {band_id}; its album points at it");
    assert_eq!(band_id, debut_artist);

    step("delete them: children first");
    s.delete_dyn(band)?;
    s.delete_dyn(debut)?;
    s.commit()?;
    assert_eq!(s.query_dyn(&album).count()?, 347);
    Ok(())
}
