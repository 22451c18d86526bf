//! `cargo run --example orm` (crates/athanor/examples/orm.rs): its story, on Chinook on every
//! database, with the statements its session sends. The story's own assertions check the
//! values; this test checks the unit of work's statements: which, in what order, and the
//! one-column UPDATE.

use super::support::{on_chinook, quiet, shapes, statements};

#[path = "../../examples/orm.rs"]
#[allow(dead_code)]
mod story;

/// A statement without its dialect's quoting and placeholder style.
fn plain(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' | '`' => {}
            '$' if chars.peek().is_some_and(char::is_ascii_digit) => {
                while chars.peek().is_some_and(char::is_ascii_digit) {
                    chars.next();
                }
                out.push('?');
            }
            c => out.push(c),
        }
    }
    out
}

#[test]
fn the_orm_example_runs_on_every_database() {
    on_chinook(|engine| {
        let (r, stmts) = statements(|| story::story(engine));
        r?;
        let expected = [
            "SELECT Artist", // get(1)
            "SELECT Artist", // the query by name (get(1) again sent nothing)
            "SELECT Album",
            "SELECT Track",
            "SELECT Genre",
            "SELECT MediaType",
            "SELECT Artist",   // the join and GROUP BY
            "UPDATE Artist",   // the flush: the set-back track writes nothing
            "INSERT Employee", // the manager, her key given
            "INSERT Employee", // her report, its key generated
            "INSERT Customer",
            "SELECT Invoice",
            "SELECT InvoiceLine",
            "DELETE InvoiceLine", // children first
            "DELETE Invoice",
            "SELECT Invoice", // get(1) of the deleted invoice: not in the identity map
            "UPDATE Track",   // bulk, evaluated: no SELECT before or after
            "SELECT Artist",
            "DELETE Artist", // bulk, the keys fetched with RETURNING
            "SELECT Artist",
            "UPDATE Artist", // in the savepoint
            "INSERT Genre",
            "SELECT Artist", // artist 1 reloaded after ROLLBACK TO SAVEPOINT
            "SELECT Artist", // after COMMIT
            "SELECT Track",  // every expired track at once
        ];
        assert_eq!(shapes(&stmts), expected, "{stmts:#?}");
        let plain: Vec<String> = stmts.iter().map(|s| plain(s)).collect();
        assert_eq!(
            plain[7],
            "UPDATE Artist SET Name = ? WHERE Artist.ArtistId = ?"
        );
        assert!(
            plain[8].starts_with("INSERT INTO Employee (EmployeeId, LastName,"),
            "{}",
            plain[8]
        );
        assert!(
            plain[9].starts_with("INSERT INTO Employee (LastName,"),
            "{}",
            plain[9]
        );
        assert!(
            plain[18].starts_with(
                "DELETE FROM Artist WHERE Artist.ArtistId NOT IN (SELECT Album.ArtistId FROM Album)"
            ),
            "{}",
            plain[18]
        );
        assert!(
            plain[24].ends_with("WHERE Track.TrackId IN (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
            "{}",
            plain[24]
        );
        Ok(())
    });
}

#[test]
fn the_relationships_chapter_runs_on_every_database() {
    on_chinook(|engine| {
        // As `cargo run --example orm` runs it: after the story's changes.
        quiet(|| story::story(engine))?;
        let (r, stmts) = statements(|| story::relationships(engine));
        r?;
        // Four levels, four statements; then the joined many-to-many in one.
        assert_eq!(
            shapes(&stmts)[..5],
            [
                "SELECT Artist",
                "SELECT Album",
                "SELECT Track",
                "SELECT Genre",
                "SELECT Playlist"
            ]
        );
        Ok(())
    });
}

#[path = "../../examples/automap.rs"]
#[allow(dead_code)]
mod automap_story;

#[test]
fn the_automap_example_runs_on_every_database() {
    on_chinook(|engine| {
        // Reflection first (its own statements), then the session's.
        let auto = quiet(|| athanor::orm::automap(engine))?;
        automap_story::show(&auto);
        let (r, stmts) = statements(|| automap_story::walk(engine, &auto));
        r?;
        let expected = [
            "SELECT Artist",   // AC/DC by name
            "SELECT Album",    // its albums
            "SELECT Track",    // the tracks of both albums at once
            "SELECT Genre",    // the genres of every track in the session at once
            "SELECT Playlist", // Grunge
            "SELECT Track",    // its tracks, through PlaylistTrack
            "SELECT Employee", // get(1)
            "SELECT Employee", // the reports
            "INSERT Artist",   // the commit: parents first
            "INSERT Album",
            "UPDATE Album",
            "SELECT Artist", // expired by the commit, reloaded on read
            "SELECT Album",
            "DELETE Album", // children first
            "DELETE Artist",
            "SELECT count(*)",
        ];
        assert_eq!(shapes(&stmts), expected, "{stmts:#?}");
        let plain: Vec<String> = stmts.iter().map(|s| plain(s)).collect();
        assert_eq!(
            plain[10],
            "UPDATE Album SET Title = ? WHERE Album.AlbumId = ?"
        );
        assert!(
            plain[9].starts_with("INSERT INTO Album (Title, ArtistId)"),
            "{}",
            plain[9]
        );
        Ok(())
    });
}
