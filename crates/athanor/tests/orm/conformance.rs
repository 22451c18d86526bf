//! The SQLAlchemy ORM corpus (`shared/conformance/orm.json`) on Chinook on every database
//! (the loading cases with relationships are in `relationships.rs`):
//! each asserts SQLAlchemy's result and, where the case is about the session's work, the
//! statements sent (kind and table, in order, as SQLAlchemy sent them).

use athanor::prelude::*;
use athanor::{Engine, Error, Result};

use super::models::{Album, Artist, Track};
use super::rel_models as rm;
use super::support::{on_chinook, shapes, statements};

fn strs(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// An echoed statement without its quoting and with `?` for every placeholder (`$1`, `%s`),
/// cut before the echo's parameters: the same text on every database.
fn unquoted(stmt: &str) -> String {
    let sql = stmt.split(" [").next().unwrap_or(stmt);
    let mut out = String::new();
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
            '%' if chars.peek() == Some(&'s') => {
                chars.next();
                out.push('?');
            }
            c => out.push(c),
        }
    }
    out
}

#[test]
fn get_by_primary_key() {
    on_chinook(|engine: &Engine| {
        let mut s = Session::new(engine);
        let (r, stmts) = statements(|| -> Result<(i64, Option<String>)> {
            let a = s.get::<Artist>(90)?.ok_or(Error::NoResultFound)?;
            let a = s.read(a)?;
            Ok((a.id, a.name.clone()))
        });
        assert_eq!(r?, (90, Some("Iron Maiden".into())));
        assert_eq!(shapes(&stmts), strs(&["SELECT Artist"]));
        Ok(())
    });
}

#[test]
fn get_missing_is_none() {
    on_chinook(|engine| {
        let mut s = Session::new(engine);
        let (r, stmts) = statements(|| s.get::<Artist>(100_000));
        assert_eq!(r?, None);
        assert_eq!(stmts.len(), 1);
        Ok(())
    });
}

#[test]
fn identity_map_same_object() {
    on_chinook(|engine| {
        let mut s = Session::new(engine);
        let (r, stmts) = statements(|| -> Result<bool> {
            let a = s.get::<Artist>(1)?.ok_or(Error::NoResultFound)?;
            let b =
                s.scalars::<Artist>(&select(Artist::table()).filter(Artist::NAME.eq("AC/DC")))?;
            Ok(b.len() == 1 && a == b[0])
        });
        assert!(r?);
        assert_eq!(shapes(&stmts), strs(&["SELECT Artist", "SELECT Artist"]));
        Ok(())
    });
}

#[test]
fn filter_by_order_by_all() {
    on_chinook(|engine| {
        let mut s = Session::new(engine);
        let (r, stmts) = statements(|| -> Result<Vec<String>> {
            let albums = s
                .query::<Album>()
                .filter_by([("ArtistId", 90)])
                .order_by(Album::TITLE)
                .limit(5)
                .all()?;
            albums
                .into_iter()
                .map(|a| Ok(s.read(a)?.title.clone()))
                .collect()
        });
        assert_eq!(
            r?,
            [
                "A Matter of Life and Death",
                "A Real Dead One",
                "A Real Live One",
                "Brave New World",
                "Dance Of Death"
            ]
        );
        assert_eq!(stmts.len(), 1);
        Ok(())
    });
}

#[test]
fn filter_count() {
    on_chinook(|engine| {
        let mut s = Session::new(engine);
        let (r, stmts) = statements(|| s.query::<Track>().filter(Track::GENRE_ID.eq(1)).count());
        assert_eq!(r?, 1297);
        assert_eq!(stmts.len(), 1);
        assert!(stmts[0].starts_with("SELECT count(*)"), "{stmts:?}");
        Ok(())
    });
}

#[test]
fn one_raises_multiple() {
    on_chinook(|engine| {
        let mut s = Session::new(engine);
        let (r, stmts) = statements(|| s.query::<Album>().filter_by([("ArtistId", 1)]).one());
        assert!(matches!(r, Err(Error::MultipleResultsFound)), "{r:?}");
        assert_eq!(stmts.len(), 1);
        Ok(())
    });
}

#[test]
fn join_through_relationships() {
    // Corpus: s.query(Track.Name).join(Track.album).join(Album.artist)
    //   .filter(Artist.Name == "Queen").order_by(Track.TrackId).limit(4)
    on_chinook(|engine| {
        let mut s = Session::new(engine);
        let (r, stmts) = statements(|| -> Result<Vec<String>> {
            s.query_as::<String>(rm::Track::NAME)
                .join(rm::Track::album)
                .join(rm::Album::artist)
                .filter(rm::Artist::NAME.eq("Queen"))
                .order_by(rm::Track::ID)
                .limit(4)
                .all()
        });
        assert_eq!(
            r?,
            [
                "A Kind Of Magic",
                "Under Pressure",
                "Radio GA GA",
                "I Want It All"
            ]
        );
        assert_eq!(stmts.len(), 1);
        // SQLAlchemy's statement, less its legacy Query's column labels (`AS "Track_Name"`)
        // and SQLite's `OFFSET ?` after LIMIT: the ON clauses name the referred column first.
        assert_eq!(
            unquoted(&stmts[0]),
            "SELECT Track.Name FROM Track JOIN Album ON Album.AlbumId = Track.AlbumId \
             JOIN Artist ON Artist.ArtistId = Album.ArtistId WHERE Artist.Name = ? \
             ORDER BY Track.TrackId LIMIT ?"
        );
        Ok(())
    });
}

#[test]
fn tuple_results() {
    // Corpus: s.query(Artist.Name, func.count(Album.AlbumId).label("n")).join(Artist.albums)
    //   .group_by(Artist.ArtistId, Artist.Name).order_by(desc("n"), Artist.Name).limit(3)
    on_chinook(|engine| {
        let mut s = Session::new(engine);
        let (r, stmts) = statements(|| -> Result<Vec<(Option<String>, i64)>> {
            s.query_as((rm::Artist::NAME, func::count(rm::Album::ID).label("n")))
                .join(rm::Artist::albums)
                .group_by((rm::Artist::ID, rm::Artist::NAME))
                .order_by((desc("n"), rm::Artist::NAME))
                .limit(3)
                .all()
        });
        let want: Vec<(Option<String>, i64)> = vec![
            (Some("Iron Maiden".into()), 21),
            (Some("Led Zeppelin".into()), 14),
            (Some("Deep Purple".into()), 11),
        ];
        assert_eq!(r?, want);
        assert_eq!(stmts.len(), 1);
        assert_eq!(
            unquoted(&stmts[0]),
            "SELECT Artist.Name, count(Album.AlbumId) AS n FROM Artist \
             JOIN Album ON Artist.ArtistId = Album.ArtistId \
             GROUP BY Artist.ArtistId, Artist.Name ORDER BY n DESC, Artist.Name LIMIT ?"
        );
        Ok(())
    });
}

#[test]
fn unit_of_work_insert_parent_then_children() {
    // The corpus adds the albums through `Artist.albums` (issue 15); here they carry the
    // foreign key themselves, and are added before their parent: the flush still inserts
    // the parent first, and both albums in one batch.
    on_chinook(|engine| {
        let mut s = Session::new(engine);
        let (r, stmts) = statements(|| -> Result<i64> {
            s.add(Album {
                id: 1000,
                title: "First".into(),
                artist_id: 1000,
            })?;
            s.add(Album {
                id: 1001,
                title: "Second".into(),
                artist_id: 1000,
            })?;
            s.add(Artist {
                id: 1000,
                name: Some("New Artist".into()),
            })?;
            s.flush()?;
            s.query::<Album>().filter_by([("ArtistId", 1000)]).count()
        });
        assert_eq!(r?, 2);
        assert_eq!(
            shapes(&stmts),
            strs(&["INSERT Artist", "INSERT Album", "SELECT count(*)"])
        );
        Ok(())
    });
}

#[test]
fn dirty_tracking_updates_changed_column_only() {
    on_chinook(|engine| {
        let mut s = Session::new(engine);
        let (r, stmts) = statements(|| -> Result<String> {
            let a = s.get::<Artist>(5)?.ok_or(Error::NoResultFound)?;
            s.edit(a)?.name = Some("Alice In Chains (renamed)".into());
            s.flush()?;
            s.execute(&select(Artist::NAME).filter(Artist::ID.eq(5)))?
                .scalar_one()
        });
        assert_eq!(r?, "Alice In Chains (renamed)");
        assert_eq!(
            shapes(&stmts),
            strs(&["SELECT Artist", "UPDATE Artist", "SELECT Artist"])
        );
        assert!(
            stmts[1].contains("SET \"Name\"") || stmts[1].contains("SET `Name`"),
            "only the changed column: {}",
            stmts[1]
        );
        assert!(!stmts[1].contains("SET \"ArtistId\""), "{}", stmts[1]);
        Ok(())
    });
}

#[test]
fn rollback_discards() {
    on_chinook(|engine| {
        let mut s = Session::new(engine);
        let (r, stmts) = statements(|| -> Result<bool> {
            s.add(Artist {
                id: 1002,
                name: Some("Ghost".into()),
            })?;
            s.flush()?;
            s.rollback()?;
            Ok(s.get::<Artist>(1002)?.is_none())
        });
        assert!(r?);
        assert_eq!(shapes(&stmts), strs(&["INSERT Artist", "SELECT Artist"]));
        Ok(())
    });
}

#[test]
fn bulk_query_delete() {
    on_chinook(|engine| {
        let mut s = Session::new(engine);
        let returning = engine
            .dialect()
            .supports_returning(athanor::compiler::StatementKind::Delete);
        let (r, stmts) = statements(|| -> Result<(u64, i64)> {
            let n = s
                .query::<Artist>()
                .filter(Artist::ID.between(28, 35))
                .delete(Synchronize::Fetch)?;
            Ok((n, s.query::<Artist>().count()?))
        });
        assert_eq!(r?, (8, 267));
        // RETURNING where the database has it, as SQLAlchemy; a SELECT first elsewhere.
        let want: &[&str] = if returning {
            &["DELETE Artist", "SELECT count(*)"]
        } else {
            &["SELECT Artist", "DELETE Artist", "SELECT count(*)"]
        };
        assert_eq!(shapes(&stmts), strs(want), "{stmts:?}");
        Ok(())
    });
}

#[test]
fn expire_on_commit_reloads() {
    on_chinook(|engine| {
        let mut s = Session::new(engine);
        let (r, stmts) = statements(|| -> Result<Option<String>> {
            let a = s.get::<Artist>(3)?.ok_or(Error::NoResultFound)?;
            s.commit()?;
            // A Core UPDATE behind the session's back.
            let t = Artist::table();
            s.connection()?.execute(
                &t.update()
                    .filter(t.c("ArtistId").eq(3))
                    .values(row! { "Name" => "AEROSMITH" }),
            )?;
            s.commit()?;
            Ok(s.read(a)?.name.clone())
        });
        assert_eq!(r?.as_deref(), Some("AEROSMITH"));
        assert_eq!(
            shapes(&stmts),
            strs(&["SELECT Artist", "UPDATE Artist", "SELECT Artist"])
        );
        Ok(())
    });
}
