//! The session: identity map, handles, dirty tracking, expiry, refresh, merge, expunge,
//! transactions and savepoints, on Chinook on every database.

use athanor::prelude::*;
use athanor::{Engine, Error, Result};

use super::models::{Artist, Genre, PlaylistTrack};
use super::support::{on_chinook, shapes, statements};

fn genre_name(engine: &Engine, id: i64) -> Result<Option<String>> {
    let mut conn = engine.connect()?;
    let names: Vec<Option<String>> = conn.scalars(&select(Genre::NAME).filter(Genre::ID.eq(id)))?;
    Ok(names.into_iter().next().flatten())
}

fn genre_exists(engine: &Engine, id: i64) -> Result<bool> {
    let mut conn = engine.connect()?;
    let n: i64 = conn.scalar(
        &select(func::count_star())
            .select_from(Genre::table())
            .filter(Genre::ID.eq(id)),
    )?;
    Ok(n == 1)
}

#[test]
fn one_object_per_key_whatever_loads_it() {
    on_chinook(|engine| {
        let mut s = Session::new(engine);
        let a = s.get::<Artist>(1)?.ok_or(Error::NoResultFound)?;
        let by_query = s
            .query::<Artist>()
            .filter(Artist::ID.le(3))
            .order_by(Artist::ID)
            .all()?;
        let by_tuple: Vec<(Ref<Artist>, i64)> =
            s.tuples(&select((Artist::table(), Artist::ID.label("k"))).filter(Artist::ID.eq(1)))?;
        assert_eq!(by_query[0], a);
        assert_eq!(by_tuple[0].0, a);
        assert_eq!(s.identity_map::<Artist>().len(), 3);
        // A second get is answered from the identity map: no statement.
        let (again, stmts) = statements(|| s.get::<Artist>(1));
        assert_eq!(again?, Some(a));
        assert!(stmts.is_empty(), "{stmts:?}");
        Ok(())
    });
}

#[test]
fn a_later_query_does_not_overwrite_unflushed_changes_unless_asked() {
    on_chinook(|engine| {
        let mut s = Session::new(engine).with_autoflush(false);
        let a = s.get::<Artist>(2)?.ok_or(Error::NoResultFound)?;
        s.edit(a)?.name = Some("changed in memory".into());
        let again = s.query::<Artist>().filter(Artist::ID.eq(2)).one()?;
        assert_eq!(again, a);
        assert_eq!(s.read(a)?.name.as_deref(), Some("changed in memory"));
        let again = s
            .query::<Artist>()
            .filter(Artist::ID.eq(2))
            .populate_existing()
            .one()?;
        assert_eq!(again, a);
        assert_eq!(s.read(a)?.name.as_deref(), Some("Accept"));
        assert!(!s.is_modified(a)?);
        Ok(())
    });
}

#[test]
fn handles_fail_loudly_in_another_session_or_after_expunge() {
    on_chinook(|engine| {
        let mut s1 = Session::new(engine);
        let mut s2 = Session::new(engine);
        let a = s1.get::<Artist>(1)?.ok_or(Error::NoResultFound)?;
        assert!(matches!(s2.read(a), Err(Error::DetachedInstance(_))));
        assert!(matches!(s2.edit(a), Err(Error::DetachedInstance(_))));
        let value = s1.expunge(a)?;
        assert_eq!(value.name.as_deref(), Some("AC/DC"));
        assert!(matches!(s1.read(a), Err(Error::DetachedInstance(_))));
        // The slot is reused by the next object; the old handle still fails.
        let b = s1.get::<Artist>(2)?.ok_or(Error::NoResultFound)?;
        assert_eq!(s1.read(b)?.name.as_deref(), Some("Accept"));
        assert!(matches!(s1.read(a), Err(Error::DetachedInstance(_))));
        // Expunged, the object can be added back as a value (merge: it exists).
        let back = s1.merge(value)?;
        assert_eq!(s1.read(back)?.id, 1);
        assert!(!s1.is_modified(back)?);
        Ok(())
    });
}

#[test]
fn setting_a_value_back_writes_nothing() {
    on_chinook(|engine| {
        let mut s = Session::new(engine);
        let g = s.get::<Genre>(1)?.ok_or(Error::NoResultFound)?;
        s.edit(g)?.name = Some("Not Rock".into());
        assert!(s.is_modified(g)?);
        assert_eq!(s.dirty::<Genre>(), [g]);
        s.edit(g)?.name = Some("Rock".into());
        assert!(!s.is_modified(g)?);
        assert!(s.dirty::<Genre>().is_empty());
        let (r, stmts) = statements(|| s.flush());
        r?;
        assert!(stmts.is_empty(), "{stmts:?}");
        Ok(())
    });
}

#[test]
fn a_flush_updates_only_the_changed_columns_of_each_object() {
    on_chinook(|engine| {
        let mut s = Session::new(engine);
        let t1 = s
            .get::<super::models::Track>(1)?
            .ok_or(Error::NoResultFound)?;
        let t2 = s
            .get::<super::models::Track>(2)?
            .ok_or(Error::NoResultFound)?;
        let t3 = s
            .get::<super::models::Track>(3)?
            .ok_or(Error::NoResultFound)?;
        s.edit(t1)?.composer = Some("Someone".into());
        s.edit(t2)?.milliseconds += 1;
        s.edit(t2)?.name = "Balls to the Wall (remix)".into();
        s.edit(t3)?.composer = None;
        let (r, stmts) = statements(|| s.flush());
        r?;
        assert_eq!(
            shapes(&stmts),
            ["UPDATE Track", "UPDATE Track", "UPDATE Track"]
        );
        let set = |s: &str| {
            s.split(" WHERE ")
                .next()
                .unwrap_or("")
                .replace(['"', '`'], "")
        };
        assert_eq!(
            set(&stmts[0]),
            format!("UPDATE Track SET Composer = {}", placeholder(engine, 1))
        );
        assert!(
            set(&stmts[1]).contains("Name =") && set(&stmts[1]).contains("Milliseconds ="),
            "{}",
            stmts[1]
        );
        assert!(!set(&stmts[1]).contains("Composer"), "{}", stmts[1]);
        s.commit()?;
        let mut conn = engine.connect()?;
        let rows: Vec<(i64, Option<String>, i64)> = conn.tuples(
            &select((
                super::models::Track::ID,
                super::models::Track::COMPOSER,
                super::models::Track::MILLISECONDS,
            ))
            .filter(super::models::Track::ID.le(3))
            .order_by(super::models::Track::ID),
        )?;
        assert_eq!(rows[0].1.as_deref(), Some("Someone"));
        assert_eq!(rows[1].2, 342562 + 1);
        assert_eq!(rows[2].1, None);
        Ok(())
    });
}

/// The dialect's first placeholder (`?`, `$1`, `%s`).
fn placeholder(engine: &Engine, n: usize) -> &'static str {
    match (engine.dialect().name(), n) {
        ("postgresql", 1) => "$1",
        _ => "?",
    }
}

#[test]
fn commit_expires_and_the_next_read_reloads_every_expired_object_of_the_type_at_once() {
    on_chinook(|engine| {
        let mut s = Session::new(engine);
        let artists = s
            .query::<Artist>()
            .filter(Artist::ID.le(20))
            .order_by(Artist::ID)
            .all()?;
        s.commit()?;
        let (names, stmts) = statements(|| -> Result<Vec<Option<String>>> {
            artists
                .iter()
                .map(|&a| Ok(s.read(a)?.name.clone()))
                .collect()
        });
        let names = names?;
        assert_eq!(names[0].as_deref(), Some("AC/DC"));
        assert_eq!(names.len(), 20);
        assert_eq!(
            shapes(&stmts),
            ["SELECT Artist"],
            "one query for all 20: {stmts:?}"
        );
        // expire_on_commit off: no reload.
        let mut s = Session::new(engine).with_expire_on_commit(false);
        let a = s.get::<Artist>(1)?.ok_or(Error::NoResultFound)?;
        s.commit()?;
        let (r, stmts) = statements(|| s.read(a).map(|a| a.id));
        assert_eq!(r?, 1);
        assert!(stmts.is_empty());
        Ok(())
    });
}

#[test]
fn reading_an_expired_object_whose_row_is_gone_is_object_deleted() {
    on_chinook(|engine| {
        let mut s = Session::new(engine);
        let g = s.add(Genre {
            id: 300,
            name: Some("Short-lived".into()),
        })?;
        s.commit()?;
        engine
            .connect()?
            .execute(&Genre::table().delete().filter(Genre::ID.eq(300)))?;
        assert!(
            matches!(s.read(g), Err(Error::ObjectDeleted(_))),
            "{:?}",
            s.read(g).map(|g| g.id)
        );
        assert_eq!(s.get::<Genre>(300)?, None);
        Ok(())
    });
}

#[test]
fn refresh_discards_changes_and_expire_reloads_lazily() {
    on_chinook(|engine| {
        let mut s = Session::new(engine);
        let g = s.get::<Genre>(2)?.ok_or(Error::NoResultFound)?;
        s.edit(g)?.name = Some("changed".into());
        s.refresh(g)?;
        assert_eq!(s.read(g)?.name.as_deref(), Some("Jazz"));
        assert!(!s.is_modified(g)?);
        s.edit(g)?.name = Some("changed again".into());
        s.expire(g)?;
        let (name, stmts) = statements(|| s.read(g).map(|g| g.name.clone()));
        assert_eq!(name?.as_deref(), Some("Jazz"));
        assert_eq!(stmts.len(), 1);
        // A pending object has no row to refresh from.
        let p = s.add(Genre {
            id: 301,
            name: None,
        })?;
        assert!(matches!(s.refresh(p), Err(Error::InvalidRequest(_))));
        Ok(())
    });
}

#[test]
fn merge_copies_onto_the_present_object_and_writes_only_what_differs() {
    on_chinook(|engine| {
        let mut s = Session::new(engine);
        let (r, stmts) = statements(|| -> Result<()> {
            let h = s.merge(Genre {
                id: 3,
                name: Some("Metal!".into()),
            })?;
            assert_eq!(s.read(h)?.name.as_deref(), Some("Metal!"));
            let same = s.merge(Genre {
                id: 3,
                name: Some("Metal!".into()),
            })?;
            assert_eq!(same, h);
            let new = s.merge(Genre {
                id: 302,
                name: Some("Merged".into()),
            })?;
            assert_eq!(s.new_objects::<Genre>(), [new]);
            s.commit()
        });
        r?;
        assert_eq!(
            shapes(&stmts),
            // The third merge's SELECT autoflushes the first one's change.
            [
                "SELECT Genre",
                "UPDATE Genre",
                "SELECT Genre",
                "INSERT Genre"
            ],
            "{stmts:?}"
        );
        assert_eq!(genre_name(engine, 3)?.as_deref(), Some("Metal!"));
        assert_eq!(genre_name(engine, 302)?.as_deref(), Some("Merged"));
        Ok(())
    });
}

#[test]
fn adding_a_second_object_with_a_key_the_session_holds_is_refused() {
    on_chinook(|engine| {
        let mut s = Session::new(engine);
        s.get::<Genre>(1)?.ok_or(Error::NoResultFound)?;
        let e = s.add(Genre { id: 1, name: None }).unwrap_err();
        assert!(
            matches!(e, Error::InvalidRequest(ref m) if m.contains("Genre(1)")),
            "{e}"
        );
        Ok(())
    });
}

#[test]
fn delete_then_get_is_none_and_rollback_brings_it_back() {
    on_chinook(|engine| {
        let mut s = Session::new(engine);
        let g = s.add(Genre {
            id: 303,
            name: Some("Doomed".into()),
        })?;
        s.commit()?;
        s.delete(g)?;
        assert_eq!(s.deleted::<Genre>(), [g]);
        // Marked for deletion: get() doesn't return it (a deliberate difference: SQLAlchemy
        // returns it until the flush).
        assert_eq!(s.get::<Genre>(303)?, None);
        s.flush()?;
        let n: i64 = s.connection()?.scalar(
            &select(func::count_star())
                .select_from(Genre::table())
                .filter(Genre::ID.eq(303)),
        )?;
        assert_eq!(n, 0);
        s.rollback()?;
        assert_eq!(s.read(g)?.name.as_deref(), Some("Doomed"));
        assert_eq!(s.get::<Genre>(303)?, Some(g));
        assert!(genre_exists(engine, 303)?);
        // Deleted and committed: the handle is dead.
        s.delete(g)?;
        s.commit()?;
        assert!(matches!(s.read(g), Err(Error::DetachedInstance(_))));
        assert!(!genre_exists(engine, 303)?);
        Ok(())
    });
}

#[test]
fn rollback_expunges_new_objects_and_expires_the_rest() {
    on_chinook(|engine| {
        let mut s = Session::new(engine);
        let rock = s.get::<Genre>(1)?.ok_or(Error::NoResultFound)?;
        let flushed = s.add(Genre {
            id: 304,
            name: Some("Flushed".into()),
        })?;
        s.flush()?;
        let pending = s.add(Genre {
            id: 305,
            name: Some("Pending".into()),
        })?;
        s.edit(rock)?.name = Some("Changed".into());
        s.rollback()?;
        assert!(matches!(s.read(flushed), Err(Error::DetachedInstance(_))));
        assert!(matches!(s.read(pending), Err(Error::DetachedInstance(_))));
        assert_eq!(s.read(rock)?.name.as_deref(), Some("Rock"));
        assert!(!genre_exists(engine, 304)?);
        assert!(!s.has_changes());
        Ok(())
    });
}

#[test]
fn savepoints_roll_back_the_session_with_the_database() {
    on_chinook(|engine| {
        let mut s = Session::new(engine);
        let rock = s.get::<Genre>(1)?.ok_or(Error::NoResultFound)?;
        let kept = s.add(Genre {
            id: 306,
            name: Some("Kept".into()),
        })?;
        {
            let mut sp = s.begin_nested()?;
            let inner = sp.add(Genre {
                id: 307,
                name: Some("Inner".into()),
            })?;
            sp.edit(rock)?.name = Some("Inner change".into());
            let mut sp2 = sp.begin_nested()?;
            let innermost = sp2.add(Genre {
                id: 308,
                name: Some("Innermost".into()),
            })?;
            sp2.rollback()?;
            assert!(sp.read(innermost).is_err());
            assert_eq!(sp.read(inner)?.id, 307);
            sp.commit()?;
        }
        {
            let mut sp = s.begin_nested()?;
            sp.delete(kept)?;
            sp.flush()?;
            // Dropped without commit: rolled back.
        }
        assert_eq!(s.read(kept)?.name.as_deref(), Some("Kept"));
        s.commit()?;
        assert!(genre_exists(engine, 306)?);
        assert!(genre_exists(engine, 307)?);
        assert!(!genre_exists(engine, 308)?);
        assert_eq!(genre_name(engine, 1)?.as_deref(), Some("Inner change"));
        Ok(())
    });
}

#[test]
fn composite_keys() {
    on_chinook(|engine| {
        let mut s = Session::new(engine);
        let pt = s
            .get::<PlaylistTrack>((1, 3402))?
            .ok_or(Error::NoResultFound)?;
        assert_eq!(s.read(pt)?.track_id, 3402);
        assert_eq!(s.get::<PlaylistTrack>((2, 1))?, None);
        s.add(PlaylistTrack {
            playlist_id: 2,
            track_id: 1,
        })?;
        s.delete(pt)?;
        s.commit()?;
        let mut conn = engine.connect()?;
        let rows: Vec<(i64, i64)> = conn.tuples(
            &select((PlaylistTrack::PLAYLIST_ID, PlaylistTrack::TRACK_ID)).filter(
                (PlaylistTrack::PLAYLIST_ID.eq(1) & PlaylistTrack::TRACK_ID.eq(3402))
                    | (PlaylistTrack::PLAYLIST_ID.eq(2) & PlaylistTrack::TRACK_ID.eq(1)),
            ),
        )?;
        assert_eq!(rows, [(2, 1)]);
        Ok(())
    });
}

#[test]
fn generated_keys_are_written_into_the_objects() {
    on_chinook(|engine| {
        let mut s = Session::new(engine);
        let a = s.add(Artist {
            id: 0,
            name: Some("First new".into()),
        })?;
        let b = s.add(Artist {
            id: 0,
            name: Some("Second new".into()),
        })?;
        assert_eq!(s.read(a)?.key(), None);
        s.flush()?;
        let (ka, kb) = (s.read(a)?.id, s.read(b)?.id);
        assert!(ka > 275 && kb == ka + 1, "{ka} {kb}");
        assert_eq!(s.get::<Artist>(ka)?, Some(a));
        s.commit()?;
        let mut conn = engine.connect()?;
        let name: Option<String> = conn.scalar(&select(Artist::NAME).filter(Artist::ID.eq(kb)))?;
        assert_eq!(name.as_deref(), Some("Second new"));
        Ok(())
    });
}

#[test]
fn autoflush_before_queries_and_off_when_asked() {
    on_chinook(|engine| {
        let mut s = Session::new(engine);
        s.add(Genre {
            id: 309,
            name: Some("Autoflushed".into()),
        })?;
        assert_eq!(s.query::<Genre>().filter(Genre::ID.eq(309)).count()?, 1);
        s.commit()?;
        let mut s = Session::new(engine).with_autoflush(false);
        s.add(Genre {
            id: 310,
            name: Some("Not yet".into()),
        })?;
        assert_eq!(s.query::<Genre>().filter(Genre::ID.eq(310)).count()?, 0);
        s.flush()?;
        assert_eq!(s.query::<Genre>().filter(Genre::ID.eq(310)).count()?, 1);
        Ok(())
    });
}

#[test]
fn session_sets_and_debug() {
    on_chinook(|engine| {
        let mut s = Session::new(engine).with_autoflush(false);
        let g = s.get::<Genre>(4)?.ok_or(Error::NoResultFound)?;
        let n = s.add(Genre {
            id: 311,
            name: None,
        })?;
        s.edit(g)?.name = Some("x".into());
        let d = s.get::<Genre>(5)?.ok_or(Error::NoResultFound)?;
        s.delete(d)?;
        assert_eq!(s.new_objects::<Genre>(), [n]);
        assert_eq!(s.dirty::<Genre>(), [g]);
        assert_eq!(s.deleted::<Genre>(), [d]);
        assert!(s.has_changes());
        assert!(
            format!("{s:?}").contains("new=1, dirty=1, deleted=1"),
            "{s:?}"
        );
        s.close();
        assert!(!s.has_changes());
        assert!(s.read(g).is_err());
        Ok(())
    });
}

#[derive(Debug, Clone, PartialEq, Default, Model)]
#[athanor(table = "kinds")]
struct Kind {
    #[athanor(primary_key)]
    id: i64,
    r#type: String,
}

#[test]
fn sessions_are_send_and_raw_identifiers_map_to_plain_names() -> Result<()> {
    fn send<T: Send>() {}
    send::<Session>();
    send::<Ref<Kind>>();
    assert_eq!(Kind::FIELDS, ["id", "type"]);
    assert_eq!(Kind::TYPE.name(), "type");
    let engine = create_engine("sqlite://")?;
    let md = MetaData::new();
    md.add_table(Kind::table())?;
    md.create_all(&engine)?;
    // A session moves to another thread and works there.
    let mut s = Session::new(&engine);
    s.add(Kind {
        id: 1,
        r#type: "a".into(),
    })?;
    let s = std::thread::spawn(move || -> Result<Session> {
        s.commit()?;
        Ok(s)
    })
    .join()
    .map_err(|_| Error::InvalidRequest("the thread panicked".into()))??;
    drop(s);
    let n: i64 = engine
        .connect()?
        .scalar(&select(func::count_star()).select_from(Kind::table()))?;
    assert_eq!(n, 1);
    Ok(())
}
