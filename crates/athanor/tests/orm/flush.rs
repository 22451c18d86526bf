//! The unit of work: statement order across types (parents first on insert, children first
//! on delete), self-referencing rows, batching by statement shape, failed flushes, stale
//! rows.

use athanor::prelude::*;
use athanor::{Engine, Error, Result};
use rust_decimal::Decimal;

use super::models::{Album, Artist, Employee, Genre, Track};
use super::support::{on_chinook, shapes, statements};

fn count(engine: &Engine, table: &Table, cond: Expr) -> Result<i64> {
    let mut conn = engine.connect()?;
    conn.scalar(&select(func::count_star()).select_from(table).filter(cond))
}

fn track(id: i64, album: i64) -> Track {
    Track {
        id,
        name: format!("Track {id}"),
        album_id: Some(album),
        media_type_id: 1,
        genre_id: Some(1),
        composer: None,
        milliseconds: 1000,
        bytes: None,
        unit_price: Decimal::new(99, 2),
    }
}

#[test]
fn inserts_go_parents_first_and_deletes_children_first_whatever_the_order_of_add() {
    on_chinook(|engine| {
        let mut s = Session::new(engine);
        let (r, stmts) = statements(|| -> Result<()> {
            s.add_all([track(5000, 2000), track(5001, 2000)])?;
            s.add(Album {
                id: 2000,
                title: "Album 2000".into(),
                artist_id: 2000,
            })?;
            s.add(Artist {
                id: 2000,
                name: Some("Artist 2000".into()),
            })?;
            s.flush()
        });
        r?;
        assert_eq!(
            shapes(&stmts),
            ["INSERT Artist", "INSERT Album", "INSERT Track"],
            "{stmts:?}"
        );
        let (r, stmts) = statements(|| -> Result<()> {
            let artist = s.get::<Artist>(2000)?.ok_or(Error::NoResultFound)?;
            let album = s.get::<Album>(2000)?.ok_or(Error::NoResultFound)?;
            let tracks = s.query::<Track>().filter(Track::ALBUM_ID.eq(2000)).all()?;
            s.delete(artist)?;
            s.delete(album)?;
            for t in tracks {
                s.delete(t)?;
            }
            s.commit()
        });
        r?;
        assert_eq!(
            shapes(&stmts),
            [
                "SELECT Track",
                "DELETE Track",
                "DELETE Album",
                "DELETE Artist"
            ],
            "both tracks in one DELETE; the objects came from the identity map: {stmts:?}"
        );
        assert_eq!(count(engine, Artist::table(), Artist::ID.eq(2000))?, 0);
        Ok(())
    });
}

#[test]
fn self_referencing_rows_are_ordered_row_by_row() {
    on_chinook(|engine| {
        let mut s = Session::new(engine);
        let emp = |id: i64, boss: Option<i64>| Employee {
            id,
            last_name: format!("L{id}"),
            first_name: format!("F{id}"),
            reports_to: boss,
            ..Default::default()
        };
        // A chain 103 -> 102 -> 101 -> 1 (an existing employee), added bottom-up.
        s.add_all([emp(103, Some(102)), emp(102, Some(101)), emp(101, Some(1))])?;
        let (r, stmts) = statements(|| s.commit());
        r?;
        assert_eq!(stmts.len(), 1, "one shape, one batch: {stmts:?}");
        let mut conn = engine.connect()?;
        let chain: Vec<(i64, Option<i64>)> = conn.tuples(
            &select((Employee::ID, Employee::REPORTS_TO))
                .filter(Employee::ID.ge(101))
                .order_by(Employee::ID),
        )?;
        assert_eq!(chain, [(101, Some(1)), (102, Some(101)), (103, Some(102))]);
        drop(conn);
        // Deleted top-down in the session, children first in the database.
        let all = s
            .query::<Employee>()
            .filter(Employee::ID.ge(101))
            .order_by(Employee::ID)
            .all()?;
        for e in all {
            s.delete(e)?;
        }
        let (r, stmts) = statements(|| s.commit());
        r?;
        assert_eq!(
            shapes(&stmts),
            ["DELETE Employee", "DELETE Employee", "DELETE Employee"]
        );
        assert_eq!(count(engine, Employee::table(), Employee::ID.ge(101))?, 0);
        Ok(())
    });
}

#[test]
fn objects_of_one_shape_go_in_one_batch_and_other_shapes_apart() {
    on_chinook(|engine| {
        let mut s = Session::new(engine);
        for i in 0..5 {
            s.add(Genre {
                id: 400 + i,
                name: Some(format!("G{i}")),
            })?;
        }
        // Generated keys: one INSERT each, the key read back.
        s.add(Genre {
            id: 0,
            name: Some("generated".into()),
        })?;
        let (r, stmts) = statements(|| s.flush());
        r?;
        assert_eq!(
            shapes(&stmts),
            ["INSERT Genre", "INSERT Genre"],
            "{stmts:?}"
        );
        s.commit()?;
        assert_eq!(
            count(engine, Genre::table(), Genre::ID.between(400, 404))?,
            5
        );
        Ok(())
    });
}

#[test]
fn a_failed_flush_rolls_back_names_the_object_and_leaves_the_session_usable() {
    on_chinook(|engine| {
        let mut s = Session::new(engine);
        // Flushed earlier in the same transaction.
        let early = s.add(Genre {
            id: 500,
            name: Some("Early".into()),
        })?;
        s.flush()?;
        let rock = s.get::<Genre>(1)?.ok_or(Error::NoResultFound)?;
        s.edit(rock)?.name = Some("Rock (edited)".into());
        let ok = s.add(Genre {
            id: 501,
            name: Some("Fine".into()),
        })?;
        // Artist 1 exists, but the session doesn't hold it: the INSERT fails.
        let dup = s.add(Artist {
            id: 1,
            name: Some("Duplicate".into()),
        })?;
        let e = s.flush().unwrap_err();
        assert!(matches!(e, Error::Integrity(_)), "{e}");
        let db = e.database_error().ok_or(Error::NoResultFound)?;
        assert_eq!(db.object.as_deref(), Some("Artist(1)"), "{e}");
        assert!(
            db.sql.as_deref().is_some_and(|q| q.contains("INSERT INTO")),
            "{e}"
        );
        assert!(e.to_string().contains("while flushing: Artist(1)"), "{e}");
        // Nothing was written: the transaction is rolled back, the early flush too.
        assert_eq!(
            count(engine, Genre::table(), Genre::ID.between(500, 501))?,
            0
        );
        assert_eq!(
            count(engine, Genre::table(), Genre::NAME.eq("Rock (edited)"))?,
            0
        );
        // Everything is unwritten again: pending stays pending, the early insert too, the
        // edit stays an edit.
        assert_eq!(s.new_objects::<Genre>().len(), 2);
        assert!(s.new_objects::<Genre>().contains(&early));
        assert!(s.new_objects::<Genre>().contains(&ok));
        assert_eq!(s.dirty::<Genre>(), [rock]);
        assert_eq!(s.new_objects::<Artist>(), [dup]);
        // Fix the mistake and flush again: everything goes in.
        s.expunge(dup)?;
        s.commit()?;
        assert_eq!(
            count(engine, Genre::table(), Genre::ID.between(500, 501))?,
            2
        );
        assert_eq!(
            count(engine, Genre::table(), Genre::NAME.eq("Rock (edited)"))?,
            1
        );
        Ok(())
    });
}

#[test]
fn a_failed_flush_of_generated_keys_gives_them_back() {
    on_chinook(|engine| {
        let mut s = Session::new(engine);
        let a = s.add(Artist {
            id: 0,
            name: Some("Gets a key".into()),
        })?;
        // An album of a missing artist: the foreign key fails after the artist got its key.
        s.add(Album {
            id: 3000,
            title: "Orphan".into(),
            artist_id: 999_999,
        })?;
        let e = s.flush().unwrap_err();
        assert!(matches!(e, Error::Integrity(_)), "{e}");
        assert_eq!(s.read(a)?.id, 0, "the generated key is unset again");
        assert_eq!(s.read(a)?.key(), None);
        let orphan = s.new_objects::<Album>();
        s.expunge(orphan[0])?;
        s.commit()?;
        assert!(s.read(a)?.id > 275);
        Ok(())
    });
}

#[test]
fn a_row_changed_behind_the_session_is_stale_data_and_a_delete_of_it_a_warning() {
    on_chinook(|engine| {
        let mut s = Session::new(engine).with_expire_on_commit(false);
        let h = s.add(Genre {
            id: 503,
            name: Some("x".into()),
        })?;
        let d = s.add(Genre {
            id: 502,
            name: Some("x".into()),
        })?;
        s.commit()?;
        engine
            .connect()?
            .execute(&Genre::table().delete().filter(Genre::ID.between(502, 503)))?;
        // Not expired: the session doesn't know; its UPDATE matches no row.
        s.edit(h)?.name = Some("y".into());
        let e = s.commit().unwrap_err();
        assert!(
            matches!(e, Error::StaleData(ref m) if m.contains("Genre(503)")),
            "{e}"
        );
        s.expunge(h)?;
        // A DELETE whose row is already gone is what it wanted: a warning, as SQLAlchemy's
        // confirm_deleted_rows, not an error.
        s.delete(d)?;
        s.commit()?;
        assert!(s.read(d).is_err());
        Ok(())
    });
}

#[test]
fn changing_a_primary_key_updates_the_row_and_the_identity_map() {
    on_chinook(|engine| {
        let mut s = Session::new(engine);
        let g = s.add(Genre {
            id: 504,
            name: Some("Renumbered".into()),
        })?;
        s.commit()?;
        s.edit(g)?.id = 505;
        s.commit()?;
        assert_eq!(s.get::<Genre>(505)?, Some(g));
        assert_eq!(s.get::<Genre>(504)?, None);
        assert_eq!(count(engine, Genre::table(), Genre::ID.eq(505))?, 1);
        Ok(())
    });
}

#[test]
fn many_types_in_one_flush() {
    on_chinook(|engine| {
        let mut s = Session::new(engine);
        let old = s.add(Genre {
            id: 506,
            name: None,
        })?;
        s.commit()?;
        let t = s.get::<Track>(1)?.ok_or(Error::NoResultFound)?;
        s.edit(t)?.milliseconds = 1;
        s.delete(old)?;
        s.add(Artist {
            id: 2001,
            name: None,
        })?;
        s.add(Album {
            id: 2001,
            title: "x".into(),
            artist_id: 2001,
        })?;
        let (r, stmts) = statements(|| s.commit());
        r?;
        // Saves in dependency order, then deletes in reverse (the expired Genre is deleted by
        // its key, without reloading it).
        assert_eq!(
            shapes(&stmts),
            [
                "INSERT Artist",
                "INSERT Album",
                "UPDATE Track",
                "DELETE Genre"
            ],
            "{stmts:?}"
        );
        Ok(())
    });
}

/// Found by the model-based test: after a failed flush, an object inserted by an earlier flush
/// of the transaction and then marked for deletion must not come back as pending; an object
/// updated by an earlier flush and then expired must keep its update.
#[test]
fn a_failed_flush_keeps_deletes_and_expired_updates_of_earlier_flushes() {
    on_chinook(|engine| {
        let mut s = Session::new(engine);
        let short = s.add(Genre {
            id: 510,
            name: Some("Short".into()),
        })?;
        let rock = s.get::<Genre>(1)?.ok_or(Error::NoResultFound)?;
        s.edit(rock)?.name = Some("Rock 2".into());
        s.flush()?;
        s.delete(short)?;
        s.expire_all();
        s.add(Album {
            id: 3001,
            title: "Orphan".into(),
            artist_id: 999_999,
        })?;
        assert!(matches!(s.flush(), Err(Error::Integrity(_))));
        assert!(
            s.read(short).is_err(),
            "inserted then deleted: gone from the session"
        );
        assert_eq!(
            s.read(rock)?.name.as_deref(),
            Some("Rock 2"),
            "the update is still to write"
        );
        let orphan = s.new_objects::<Album>();
        s.expunge(orphan[0])?;
        s.commit()?;
        assert_eq!(count(engine, Genre::table(), Genre::ID.eq(510))?, 0);
        assert_eq!(count(engine, Genre::table(), Genre::NAME.eq("Rock 2"))?, 1);
        Ok(())
    });
}

/// Only the session's own changes can be replayed after a failed flush: when the rolled-back
/// transaction also ran Core statements, the session refuses to go on until rollback(), so
/// that they aren't lost silently (SQLAlchemy's PendingRollbackError).
#[test]
fn a_failed_flush_after_core_writes_needs_a_rollback() {
    on_chinook(|engine| {
        let mut s = Session::new(engine);
        s.execute(
            &Genre::table()
                .update()
                .filter(Genre::ID.eq(2))
                .values(row! { "Name" => "Jazz!" }),
        )?;
        s.add(Album {
            id: 3002,
            title: "Orphan".into(),
            artist_id: 999_999,
        })?;
        assert!(matches!(s.flush(), Err(Error::Integrity(_))));
        for e in [
            s.commit().unwrap_err(),
            s.query::<Genre>().count().unwrap_err(),
            s.connection().map(|_| ()).unwrap_err(),
        ] {
            assert!(
                matches!(e, Error::InvalidRequest(ref m) if m.contains("call rollback()")),
                "{e}"
            );
        }
        s.rollback()?;
        assert!(
            s.new_objects::<Album>().is_empty(),
            "rollback expunged the pending album"
        );
        assert_eq!(count(engine, Genre::table(), Genre::NAME.eq("Jazz!"))?, 0);
        // A read-only statement doesn't count: the session goes on after a failed flush.
        s.execute(&select(Genre::NAME).filter(Genre::ID.eq(2)))?;
        let bad = s.add(Album {
            id: 3003,
            title: "Orphan".into(),
            artist_id: 999_999,
        })?;
        assert!(matches!(s.flush(), Err(Error::Integrity(_))));
        s.expunge(bad)?;
        s.add(Genre {
            id: 511,
            name: None,
        })?;
        s.commit()?;
        assert_eq!(count(engine, Genre::table(), Genre::ID.eq(511))?, 1);
        Ok(())
    });
}
