//! The seed's Chinook walkthrough: autoload `Album` and `Artist`, show the first rows, and ask
//! which artist has the most albums.
//!
//! Run with `cargo run --example chinook`.

use athanor::prelude::*;

fn main() -> Result<(), athanor::Error> {
    // SQLAlchemy.jl's `db = load_chinook()`: an in-memory SQLite database holding Chinook.
    let (engine, metadata) = athanor::chinook::load()?;
    let mut conn = engine.connect()?;

    // `Table("Album", metadata, autoload=true)`: the schema is read from the database.
    let albums = Table::autoload("Album", &metadata, &engine)?;
    let artists = Table::autoload("Artist", &metadata, &engine)?;
    println!("{albums:?}\n");
    println!("{artists:?}\n");

    println!("First ten artists:");
    let stmt = select(&artists).order_by(artists.c("ArtistId")).limit(10);
    for row in conn.execute(&stmt)? {
        println!("  {row:?}");
    }

    println!("\nFirst ten albums:");
    let stmt = select(&albums).order_by(albums.c("AlbumId")).limit(10);
    for row in conn.execute(&stmt)? {
        println!("  {row:?}");
    }

    // Which artist has the most albums? The join's ON clause comes from the foreign key.
    let stmt = select((
        artists.c("Name"),
        func::count(albums.c("Title")).label("# of albums"),
    ))
    .select_from(artists.join(&albums))
    .group_by(albums.c("ArtistId"))
    .order_by(desc("# of albums"))
    .order_by(artists.c("Name"))
    .limit(10);
    println!("\n{stmt}\n");
    for row in conn.execute(&stmt)? {
        let name: String = row.get("Name")?;
        let n: i64 = row.get("# of albums")?;
        println!("  {name:<20} {n:>3}");
    }
    Ok(())
}
