//! Relationships on Chinook, on every database: loading (lazy batched, selectin at any
//! depth, raise), the corpus's relationship cases, changes through the session with
//! back_populates, the keys and rows a flush derives from them, and cascades.

use athanor::orm::{Collection, Related, selectin, selectin_path};
use athanor::prelude::*;
use athanor::{Engine, Error, Result};

use super::rel_models::{Album, Artist, Customer, Employee, Genre, Playlist, Track};
use super::support::{on_chinook, shapes, statements};

fn strs(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn titles(s: &mut Session, albums: &[Ref<Album>]) -> Result<Vec<String>> {
    albums
        .iter()
        .map(|&a| Ok(s.read(a)?.title.clone()))
        .collect()
}

#[test]
fn lazy_one_to_many() {
    // Corpus: [a.Title for a in s.get(Artist, 22).albums]
    on_chinook(|engine: &Engine| {
        let mut s = Session::new(engine);
        let (r, stmts) = statements(|| -> Result<Vec<String>> {
            let a = s.get::<Artist>(22)?.ok_or(Error::NoResultFound)?;
            let albums = s.load(a, Artist::albums)?;
            titles(&mut s, &albums)
        });
        assert_eq!(
            r?,
            strs(&[
                "BBC Sessions [Disc 1] [Live]",
                "Physical Graffiti [Disc 1]",
                "BBC Sessions [Disc 2] [Live]",
                "Coda",
                "Houses Of The Holy",
                "In Through The Out Door",
                "IV",
                "Led Zeppelin I",
                "Led Zeppelin II",
                "Led Zeppelin III",
                "Physical Graffiti [Disc 2]",
                "Presence",
                "The Song Remains The Same (Disc 1)",
                "The Song Remains The Same (Disc 2)",
            ])
        );
        assert_eq!(shapes(&stmts), strs(&["SELECT Artist", "SELECT Album"]));
        Ok(())
    });
}

#[test]
fn many_to_many() {
    // Corpus: p = Playlist "Grunge"; [len(p.tracks), p.tracks[0].Name]
    on_chinook(|engine| {
        let mut s = Session::new(engine);
        let (r, stmts) = statements(|| -> Result<(usize, String)> {
            let p = s
                .query::<Playlist>()
                .filter(Playlist::NAME.eq("Grunge"))
                .one()?;
            let tracks = s.load(p, Playlist::tracks)?;
            let first = s.read(tracks[0])?.name.clone();
            Ok((tracks.len(), first))
        });
        assert_eq!(r?, (15, "Man In The Box".to_string()));
        assert_eq!(stmts.len(), 2, "{stmts:#?}");
        assert!(
            stmts[1].contains(" JOIN ") && stmts[1].contains("PlaylistTrack"),
            "{}",
            stmts[1]
        );
        Ok(())
    });
}

#[test]
fn selectin_eager_two_levels() {
    // Corpus: selectinload(Artist.albums).selectinload(Album.tracks) for artists 1 and 2.
    on_chinook(|engine| {
        let mut s = Session::new(engine);
        type Out = Vec<(Option<String>, Vec<(String, usize)>)>;
        let (r, stmts) = statements(|| -> Result<Out> {
            let arts = s
                .query::<Artist>()
                .filter(Artist::ID.in_([1, 2]))
                .order_by(Artist::ID)
                .options(selectin(Artist::albums).selectin(Album::tracks))
                .all()?;
            let mut out = Vec::new();
            for a in arts {
                let name = s.read(a)?.name.clone();
                let mut albums = Vec::new();
                for al in s.read(a)?.albums.to_vec()? {
                    let al = s.read(al)?;
                    albums.push((al.title.clone(), al.tracks.len()?));
                }
                out.push((name, albums));
            }
            Ok(out)
        });
        assert_eq!(
            r?,
            vec![
                (
                    Some("AC/DC".to_string()),
                    vec![
                        ("For Those About To Rock We Salute You".to_string(), 10),
                        ("Let There Be Rock".to_string(), 8)
                    ]
                ),
                (
                    Some("Accept".to_string()),
                    vec![
                        ("Balls to the Wall".to_string(), 1),
                        ("Restless and Wild".to_string(), 3)
                    ]
                ),
            ]
        );
        assert_eq!(
            shapes(&stmts),
            strs(&["SELECT Artist", "SELECT Album", "SELECT Track"])
        );
        assert!(stmts[1].contains("IN ("), "{}", stmts[1]);
        Ok(())
    });
}

#[test]
fn no_n_plus_one_four_levels() {
    // Every artist → albums → tracks → genre: exactly 4 statements, whatever the count.
    on_chinook(|engine| {
        let mut s = Session::new(engine);
        let (r, stmts) = statements(|| -> Result<(usize, usize, usize, usize)> {
            let arts = s
                .query::<Artist>()
                .options(
                    selectin(Artist::albums)
                        .selectin(Album::tracks)
                        .selectin(Track::genre),
                )
                .all()?;
            let (mut albums, mut tracks, mut genres) = (0, 0, std::collections::HashSet::new());
            for a in &arts {
                for al in s.read(*a)?.albums.to_vec()? {
                    albums += 1;
                    for t in s.read(al)?.tracks.to_vec()? {
                        tracks += 1;
                        if let Some(g) = s.read(t)?.genre.get()? {
                            genres.insert(g);
                        }
                    }
                }
            }
            Ok((arts.len(), albums, tracks, genres.len()))
        });
        assert_eq!(r?, (275, 347, 3503, 25));
        assert_eq!(
            shapes(&stmts),
            strs(&[
                "SELECT Artist",
                "SELECT Album",
                "SELECT Track",
                "SELECT Genre"
            ])
        );
        // By names, the same plan.
        let mut s = Session::new(engine);
        let (r, stmts) = statements(|| {
            s.query::<Artist>()
                .options(selectin_path("albums.tracks.genre"))
                .all()
                .map(|v| v.len())
        });
        assert_eq!(r?, 275);
        assert_eq!(stmts.len(), 4);
        Ok(())
    });
}

#[test]
fn unloaded_is_an_error_naming_it() {
    on_chinook(|engine| {
        let mut s = Session::new(engine);
        let a = s.get::<Artist>(1)?.ok_or(Error::NoResultFound)?;
        match s.read(a)?.albums.len() {
            Err(Error::NotLoaded(m)) => assert!(m.contains("Artist.albums"), "{m}"),
            other => panic!("expected NotLoaded, got {other:?}"),
        }
        match s.related(a, Artist::albums) {
            Err(Error::NotLoaded(m)) => assert!(m.contains("Artist.albums"), "{m}"),
            other => panic!("expected NotLoaded, got {other:?}"),
        }
        // A load path naming no relationship fails when the query runs.
        match s
            .query::<Artist>()
            .options(selectin_path("albums.songs"))
            .all()
        {
            Err(Error::InvalidRequest(m)) => {
                assert!(m.contains("Album has no relationship `songs`"), "{m}")
            }
            other => panic!("expected InvalidRequest, got {other:?}"),
        }
        Ok(())
    });
}

#[test]
fn lazy_load_is_batched_for_the_session() {
    on_chinook(|engine| {
        let mut s = Session::new(engine);
        let albums = s
            .query::<Album>()
            .filter(Album::ID.le(30))
            .order_by(Album::ID)
            .all()?;
        let expected = s.query::<Track>().filter(Track::ALBUM_ID.le(30)).count()?;
        let (r, stmts) = statements(|| -> Result<usize> {
            let mut n = 0;
            for &al in &albums {
                n += s.load(al, Album::tracks)?.len();
            }
            Ok(n)
        });
        assert_eq!(r? as i64, expected);
        assert_eq!(shapes(&stmts), strs(&["SELECT Track"]), "one query, not 30");
        // The many-to-one side: artists found by key, the identity map first.
        let (r, stmts) = statements(|| -> Result<Option<String>> {
            let a = s
                .load(albums[0], Album::artist)?
                .ok_or(Error::NoResultFound)?;
            Ok(s.read(a)?.name.clone())
        });
        assert_eq!(r?, Some("AC/DC".to_string()));
        assert_eq!(stmts.len(), 1);
        let (r, stmts) = statements(|| s.load(albums[1], Album::artist));
        assert!(r?.is_some());
        assert!(
            stmts.is_empty(),
            "already loaded for every album: {stmts:?}"
        );
        Ok(())
    });
}

#[test]
fn back_populates_from_selectin() {
    on_chinook(|engine| {
        let mut s = Session::new(engine);
        let a = s
            .query::<Artist>()
            .filter(Artist::ID.eq(1))
            .options(selectin(Artist::albums))
            .one()?;
        let albums = s.read(a)?.albums.to_vec()?;
        let (r, stmts) = statements(|| s.related(albums[0], Album::artist));
        assert_eq!(r?, Some(a));
        assert!(stmts.is_empty());
        Ok(())
    });
}

#[test]
fn self_referential_and_chosen_foreign_key() {
    on_chinook(|engine| {
        let mut s = Session::new(engine);
        let boss = s.get::<Employee>(1)?.ok_or(Error::NoResultFound)?;
        let reports = s.load(boss, Employee::reports)?;
        let ids: Vec<i64> = reports
            .iter()
            .map(|&e| Ok(s.read(e)?.id))
            .collect::<Result<_>>()?;
        assert_eq!(ids, [2, 6]);
        let nancy = reports[0];
        assert_eq!(s.related(nancy, Employee::manager)?, Some(boss));
        assert_eq!(s.load(boss, Employee::manager)?, None);
        let c = s.get::<Customer>(1)?.ok_or(Error::NoResultFound)?;
        let rep = s
            .load(c, Customer::support_rep)?
            .ok_or(Error::NoResultFound)?;
        assert_eq!(s.read(rep)?.last_name, "Peacock");
        Ok(())
    });
}

#[test]
fn insert_parent_then_children() {
    // Corpus: a = Artist(1000); a.albums = [Album(1000), Album(1001)]; add; flush; count.
    on_chinook(|engine| {
        let mut s = Session::new(engine);
        let (r, stmts) = statements(|| -> Result<i64> {
            let a = s.add(Artist {
                id: 1000,
                name: Some("New Artist".into()),
                albums: Collection::of([
                    Album {
                        id: 1000,
                        title: "First".into(),
                        ..Default::default()
                    },
                    Album {
                        id: 1001,
                        title: "Second".into(),
                        ..Default::default()
                    },
                ]),
            })?;
            assert_eq!(s.read(a)?.albums.len()?, 2);
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
fn generated_keys_reach_children() {
    on_chinook(|engine| {
        let mut s = Session::new(engine);
        let a = s.add(Artist {
            name: Some("Keyless".into()),
            ..Default::default()
        })?;
        let al = s.append_new(
            a,
            Artist::albums,
            Album {
                title: "Numbered".into(),
                ..Default::default()
            },
        )?;
        let t = s.append_new(
            al,
            Album::tracks,
            Track {
                name: "One".into(),
                media_type_id: 1,
                milliseconds: 1000,
                unit_price: rust_decimal::Decimal::new(99, 2),
                ..Default::default()
            },
        )?;
        assert_eq!(s.read(t)?.album.get()?, Some(al));
        s.commit()?;
        let artist_id = s.read(a)?.id;
        assert!(artist_id > 275);
        let album = s.read(al)?;
        assert_eq!(album.artist_id, artist_id);
        let album_id = album.id;
        assert_eq!(s.read(t)?.album_id, Some(album_id));
        Ok(())
    });
}

#[test]
fn moving_and_removing_children() {
    on_chinook(|engine| {
        let mut s = Session::new(engine);
        let acdc = s.get::<Artist>(1)?.ok_or(Error::NoResultFound)?;
        let accept = s.get::<Artist>(2)?.ok_or(Error::NoResultFound)?;
        let albums = s.load(acdc, Artist::albums)?;
        s.load(accept, Artist::albums)?;
        // Moving an album: it leaves AC/DC's collection and joins Accept's, in memory.
        s.append(accept, Artist::albums, albums[0])?;
        assert_eq!(s.read(acdc)?.albums.to_vec()?, vec![albums[1]]);
        assert_eq!(s.read(albums[0])?.artist.get()?, Some(accept));
        s.flush()?;
        assert_eq!(s.read(albums[0])?.artist_id, 2);
        assert_eq!(s.query::<Album>().filter_by([("ArtistId", 2)]).count()?, 3);
        // Removing one from a delete-orphan collection deletes it (its tracks lose it).
        let (r, stmts) = statements(|| -> Result<()> {
            s.remove(acdc, Artist::albums, albums[1])?;
            s.flush()
        });
        r?;
        assert!(
            shapes(&stmts).contains(&"DELETE Album".to_string()),
            "{stmts:#?}"
        );
        assert!(
            shapes(&stmts).contains(&"UPDATE Track".to_string()),
            "{stmts:#?}"
        );
        assert_eq!(s.query::<Album>().filter_by([("AlbumId", 4)]).count()?, 0);
        assert_eq!(s.query::<Track>().filter(Track::ALBUM_ID.eq(4)).count()?, 0);
        s.rollback()?;
        Ok(())
    });
}

#[test]
fn cascade_delete_loads_each_level_once() {
    on_chinook(|engine| {
        let mut s = Session::new(engine);
        let a = s.add(Artist {
            id: 5000,
            name: Some("Doomed".into()),
            albums: Collection::of([
                Album {
                    id: 5000,
                    title: "X".into(),
                    ..Default::default()
                },
                Album {
                    id: 5001,
                    title: "Y".into(),
                    ..Default::default()
                },
            ]),
        })?;
        let b = s.add(Artist {
            id: 5001,
            name: Some("Also".into()),
            albums: Collection::of([Album {
                id: 5002,
                title: "Z".into(),
                ..Default::default()
            }]),
        })?;
        s.commit()?;
        s.delete(a)?;
        s.delete(b)?;
        let (r, stmts) = statements(|| s.flush());
        r?;
        // The expired collections load in one query per level for both artists (the
        // albums' tracks, to unlink them), then the deletes, children first.
        assert_eq!(
            shapes(&stmts),
            strs(&[
                "SELECT Album",
                "SELECT Track",
                "DELETE Album",
                "DELETE Artist"
            ])
        );
        assert_eq!(s.query::<Album>().filter(Album::ID.ge(5000)).count()?, 0);
        s.commit()?;
        Ok(())
    });
}

#[test]
fn many_to_many_rows_follow_the_collection() {
    on_chinook(|engine| {
        let mut s = Session::new(engine);
        let t1 = s.get::<Track>(1)?.ok_or(Error::NoResultFound)?;
        let t2 = s.get::<Track>(2)?.ok_or(Error::NoResultFound)?;
        s.load(t1, Track::playlists)?;
        let p = s.add(Playlist {
            id: 100,
            name: Some("Mine".into()),
            ..Default::default()
        })?;
        s.append(p, Playlist::tracks, t1)?;
        s.append(p, Playlist::tracks, t2)?;
        // back_populates: the track's side knows (t1's was loaded; t2's wasn't, stays so).
        assert!(s.read(t1)?.playlists.contains(p)?);
        let (r, stmts) = statements(|| s.flush());
        r?;
        assert_eq!(
            shapes(&stmts),
            strs(&["INSERT Playlist", "INSERT PlaylistTrack"])
        );
        let rows = |s: &mut Session| -> Result<i64> {
            s.execute(
                &select(func::count_star())
                    .select_from(super::rel_models::PlaylistTrack::table())
                    .filter(super::rel_models::PlaylistTrack::PLAYLIST_ID.eq(100)),
            )?
            .scalar::<i64>()
        };
        assert_eq!(rows(&mut s)?, 2);
        s.remove(p, Playlist::tracks, t1)?;
        assert!(!s.read(t1)?.playlists.contains(p)?);
        s.flush()?;
        assert_eq!(rows(&mut s)?, 1);
        s.delete(p)?;
        s.flush()?;
        assert_eq!(rows(&mut s)?, 0);
        s.rollback()?;
        Ok(())
    });
}

#[test]
fn set_many_to_one() {
    on_chinook(|engine| {
        let mut s = Session::new(engine);
        let t = s.get::<Track>(1)?.ok_or(Error::NoResultFound)?;
        let jazz = s.get::<Genre>(2)?.ok_or(Error::NoResultFound)?;
        s.set(t, Track::genre, Some(jazz))?;
        let (r, stmts) = statements(|| s.flush());
        r?;
        assert_eq!(shapes(&stmts), strs(&["UPDATE Track"]));
        assert_eq!(s.read(t)?.genre_id, Some(2));
        // A new track pointing at an existing album: the flush writes the key.
        let al = s.get::<Album>(1)?.ok_or(Error::NoResultFound)?;
        let n = s.add(Track {
            id: 9000,
            name: "Bonus".into(),
            media_type_id: 1,
            milliseconds: 1,
            unit_price: rust_decimal::Decimal::new(99, 2),
            album: Related::to(al),
            ..Default::default()
        })?;
        s.flush()?;
        assert_eq!(s.read(n)?.album_id, Some(1));
        s.rollback()?;
        Ok(())
    });
}

#[test]
fn joined_loading() {
    use athanor::orm::joined;
    on_chinook(|engine| {
        let mut s = Session::new(engine);
        // Many-to-one with a nullable key: one statement, an outer join.
        let (r, stmts) = statements(|| -> Result<Vec<Option<String>>> {
            let tracks = s
                .query::<Track>()
                .filter(Track::ID.in_([1, 2, 3]))
                .order_by(Track::ID)
                .options(joined(Track::genre))
                .all()?;
            tracks
                .iter()
                .map(|&t| {
                    let g = s.read(t)?.genre.get()?.ok_or(Error::NoResultFound)?;
                    Ok(s.read(g)?.name.clone())
                })
                .collect()
        });
        assert_eq!(r?, vec![Some("Rock".to_string()); 3]);
        assert_eq!(stmts.len(), 1, "{stmts:#?}");
        assert!(stmts[0].contains("LEFT OUTER JOIN"), "{}", stmts[0]);
        // A key that can't be NULL: an inner join.
        let (r, stmts) = statements(|| {
            s.query::<Album>()
                .filter(Album::ID.eq(1))
                .options(joined(Album::artist))
                .one()
        });
        let al = r?;
        assert!(
            stmts[0].contains(" JOIN ") && !stmts[0].contains("LEFT OUTER"),
            "{}",
            stmts[0]
        );
        let a = s.read(al)?.artist.get()?.ok_or(Error::NoResultFound)?;
        assert_eq!(s.read(a)?.name.as_deref(), Some("AC/DC"));
        // A collection: rows uniqued, ordered by the relationship's order_by.
        let mut s = Session::new(engine);
        let (r, stmts) = statements(|| {
            s.query::<Artist>()
                .filter(Artist::ID.in_([1, 2]))
                .order_by(Artist::ID)
                .options(joined(Artist::albums))
                .all()
        });
        let arts = r?;
        assert_eq!(arts.len(), 2);
        assert_eq!(stmts.len(), 1);
        let albums = s.read(arts[1])?.albums.to_vec()?;
        assert_eq!(
            titles(&mut s, &albums)?,
            strs(&["Balls to the Wall", "Restless and Wild"])
        );
        // Many-to-many, through the secondary table.
        let p = s
            .query::<Playlist>()
            .filter(Playlist::NAME.eq("Grunge"))
            .options(joined(Playlist::tracks))
            .one()?;
        assert_eq!(s.read(p)?.tracks.len()?, 15);
        // A joined collection can't be limited: the join multiplies rows.
        assert!(matches!(
            s.query::<Artist>()
                .limit(2)
                .options(joined(Artist::albums))
                .all(),
            Err(Error::InvalidRequest(_))
        ));
        // Mixed: selectin levels with a joined step below (the same answer as selectin all
        // the way), and joined then selectin.
        let count = |s: &mut Session, arts: Vec<Ref<Artist>>| -> Result<usize> {
            let mut n = 0;
            for a in arts {
                for al in s.read(a)?.albums.to_vec()? {
                    for t in s.read(al)?.tracks.to_vec()? {
                        n += usize::from(s.read(t)?.genre.get()?.is_some());
                    }
                }
            }
            Ok(n)
        };
        let mut s = Session::new(engine);
        let arts = s
            .query::<Artist>()
            .filter(Artist::ID.le(5))
            .options(selectin_path("albums.tracks.genre"))
            .all()?;
        let expected = count(&mut s, arts)?;
        assert!(expected > 50);
        let mut s = Session::new(engine);
        let (r, stmts) = statements(|| -> Result<usize> {
            let arts = s
                .query::<Artist>()
                .filter(Artist::ID.le(5))
                .options(
                    selectin(Artist::albums)
                        .selectin(Album::tracks)
                        .joined(Track::genre),
                )
                .all()?;
            let mut n = 0;
            for a in arts {
                for al in s.read(a)?.albums.to_vec()? {
                    for t in s.read(al)?.tracks.to_vec()? {
                        n += usize::from(s.read(t)?.genre.get()?.is_some());
                    }
                }
            }
            Ok(n)
        });
        assert_eq!(r?, expected);
        assert_eq!(
            shapes(&stmts),
            strs(&["SELECT Artist", "SELECT Album", "SELECT Track"])
        );
        let mut s = Session::new(engine);
        let (r, stmts) = statements(|| -> Result<usize> {
            let albums = s
                .query::<Album>()
                .filter(Album::ID.le(3))
                .options(joined(Album::artist).selectin(Artist::albums))
                .all()?;
            let a = s
                .read(albums[0])?
                .artist
                .get()?
                .ok_or(Error::NoResultFound)?;
            s.read(a)?.albums.len()
        });
        assert_eq!(r?, 2);
        assert_eq!(stmts.len(), 2, "{stmts:#?}");
        Ok(())
    });
}

#[test]
fn self_referential_generated_keys_and_post_update() {
    on_chinook(|engine| {
        let mut s = Session::new(engine);
        let new = |last: &str| Employee {
            last_name: last.into(),
            first_name: "Test".into(),
            ..Default::default()
        };
        // Keys the database generates in the same flush: the reports are inserted, then
        // their ReportsTo written once the boss's key exists.
        let boss = s.add(new("Boss"))?;
        let a = s.append_new(boss, Employee::reports, new("A"))?;
        let b = s.append_new(boss, Employee::reports, new("B"))?;
        let (r, stmts) = statements(|| s.flush());
        r?;
        let boss_id = s.read(boss)?.id;
        assert!(boss_id > 8);
        assert_eq!(s.read(a)?.reports_to, Some(boss_id));
        assert_eq!(s.read(b)?.reports_to, Some(boss_id));
        let sh = shapes(&stmts);
        assert_eq!(
            sh.iter().filter(|x| *x == "UPDATE Employee").count(),
            2,
            "{stmts:#?}"
        );
        s.commit()?;
        let reports = s.load(boss, Employee::reports)?;
        assert_eq!(reports, vec![a, b]);
        assert_eq!(s.related(a, Employee::manager)?, Some(boss));
        // A key known beforehand is written in the INSERT itself.
        let c = s.add(Employee {
            manager: Related::to(boss),
            ..new("C")
        })?;
        let (r, stmts) = statements(|| s.flush());
        r?;
        assert_eq!(shapes(&stmts), strs(&["INSERT Employee"]));
        assert_eq!(s.read(c)?.reports_to, Some(boss_id));
        s.rollback()?;
        Ok(())
    });
}

#[test]
fn ambiguous_and_missing_foreign_keys_are_errors() {
    use athanor::orm::Related;
    #[derive(Debug, Clone, PartialEq, Default, Model)]
    #[athanor(table = "Customer")]
    struct Loose {
        #[athanor(primary_key, column = "CustomerId")]
        id: i64,
        #[athanor(column = "SupportRepId")]
        rep_id: Option<i64>, // no foreign key declared
        rep: Related<Employee>,
    }
    on_chinook(|engine| {
        let mut s = Session::new(engine);
        let c = s.get::<Loose>(1)?.ok_or(Error::NoResultFound)?;
        match s.load(c, Loose::rep) {
            Err(e @ Error::NoForeignKeys { .. }) => {
                assert!(e.to_string().contains("Loose.rep"), "{e}");
                assert!(e.to_string().contains("foreign_key"), "{e}");
            }
            other => panic!("expected NoForeignKeys, got {other:?}"),
        }
        // The mapping check reports it with the rest, before anything runs.
        let found = athanor::orm::Registry::new()
            .model::<Loose>()
            .model::<Employee>()
            .mismatches(engine)?;
        assert!(
            found.iter().any(|m| matches!(&m.kind, athanor::error::MismatchKind::Relationship { reason } if reason.contains("Loose.rep"))),
            "{found:?}"
        );
        Ok(())
    });
}

#[test]
fn cascades_in_memory_expire_expunge_merge() {
    on_chinook(|engine| {
        let mut s = Session::new(engine);
        // Artist.albums cascades "all": refresh-expire, expunge and merge follow it.
        let a = s
            .query::<Artist>()
            .filter(Artist::ID.eq(1))
            .options(selectin(Artist::albums))
            .one()?;
        let albums = s.read(a)?.albums.to_vec()?;
        s.edit(albums[0])?.title = "Changed".into();
        s.expire(a)?;
        assert!(
            !s.has_changes(),
            "the album's change was expired with the artist"
        );
        assert_eq!(
            s.read(albums[0])?.title,
            "For Those About To Rock We Salute You"
        );
        // Album.tracks has no cascade: expiring an album leaves its tracks alone.
        let tracks = s.load(albums[0], Album::tracks)?;
        s.edit(tracks[0])?.name = "Renamed".into();
        s.expire(albums[0])?;
        assert!(s.has_changes());
        s.expire(tracks[0])?;
        // Expunge takes the albums along.
        s.load(a, Artist::albums)?;
        s.expunge(a)?;
        assert!(matches!(s.read(albums[1]), Err(Error::DetachedInstance(_))));
        // Merge brings new objects given in the value along, merged by key.
        let mut s = Session::new(engine);
        let merged = s.merge(Artist {
            id: 1,
            name: Some("AC/DC".into()),
            albums: Collection::of([Album {
                id: 1,
                title: "Merged".into(),
                artist_id: 1,
                ..Default::default()
            }]),
        })?;
        let now = s.read(merged)?.albums.to_vec()?;
        assert_eq!(now.len(), 1);
        assert_eq!(s.read(now[0])?.title, "Merged");
        assert_eq!(s.read(now[0])?.artist.get()?, Some(merged));
        Ok(())
    });
}

#[test]
fn contains_eager_fills_from_the_query_join() {
    use athanor::orm::contains_eager;
    on_chinook(|engine| {
        let mut s = Session::new(engine);
        // A filtered join: the collection holds what the filter let through, marked partial.
        let (r, stmts) = statements(|| {
            s.query::<Artist>()
                .join(Album::table())
                .filter(Album::TITLE.like("%Rock%"))
                .filter(Artist::ID.eq(1))
                .options(contains_eager(Artist::albums))
                .all()
        });
        let arts = r?;
        assert_eq!(stmts.len(), 1);
        assert_eq!(arts.len(), 1, "the artist's rows are uniqued");
        let a = s.read(arts[0])?;
        assert!(a.albums.is_partial());
        assert_eq!(a.albums.len()?, 2);
        // A many-to-one from the query's own join.
        let mut s = Session::new(engine);
        let al = s
            .query::<Album>()
            .join(Artist::table())
            .filter(Artist::NAME.eq("Aerosmith"))
            .options(contains_eager(Album::artist))
            .one()?;
        let who = s.read(al)?.artist.get()?.ok_or(Error::NoResultFound)?;
        assert_eq!(s.read(who)?.name.as_deref(), Some("Aerosmith"));
        Ok(())
    });
}

#[test]
fn a_new_objects_unset_relationship_keeps_its_key_columns() {
    on_chinook(|engine| {
        let mut s = Session::new(engine);
        // The key given by value, the relationship left empty: the key is written as given.
        let t = s.add(Track {
            id: 9100,
            name: "Keyed".into(),
            album_id: Some(1),
            genre_id: Some(2),
            media_type_id: 1,
            milliseconds: 1,
            unit_price: rust_decimal::Decimal::new(99, 2),
            ..Default::default()
        })?;
        s.flush()?;
        s.expire(t)?;
        let row = s.read(t)?;
        assert_eq!((row.album_id, row.genre_id), (Some(1), Some(2)));
        // Set to nothing through the session: that is a change, NULL is written.
        s.load(t, Track::genre)?;
        s.set(t, Track::genre, None)?;
        s.flush()?;
        s.expire(t)?;
        assert_eq!(s.read(t)?.genre_id, None);
        s.rollback()?;
        Ok(())
    });
}

#[test]
fn chunked_loads_equal_the_rows() {
    // Differential: relationships loaded in chunks of 500 parents (3 503 tracks: 8 chunks)
    // against the same facts read with Core, for every track.
    use super::rel_models::PlaylistTrack;
    use std::collections::BTreeMap;
    on_chinook(|engine| {
        let mut s = Session::new(engine);
        let tracks = s.query::<Track>().all()?;
        assert_eq!(tracks.len(), 3503);
        let (r, stmts) = statements(|| s.load(tracks[0], Track::playlists));
        r?;
        assert_eq!(stmts.len(), 8, "3 503 parents, 500 a query");
        let mut conn = engine.connect()?;
        let rows: Vec<(i64, i64)> = conn.tuples(
            &select((PlaylistTrack::TRACK_ID, PlaylistTrack::PLAYLIST_ID))
                .order_by((PlaylistTrack::TRACK_ID, PlaylistTrack::PLAYLIST_ID)),
        )?;
        let mut expected: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
        for (t, p) in rows {
            expected.entry(t).or_default().push(p);
        }
        let mut got: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
        for &t in &tracks {
            let id = s.read(t)?.id;
            let playlists = s.read(t)?.playlists.to_vec()?;
            let ids: Vec<i64> = playlists
                .iter()
                .map(|&p| Ok(s.read(p)?.id))
                .collect::<Result<_>>()?;
            if !ids.is_empty() {
                got.insert(id, ids);
            }
        }
        assert_eq!(got, expected);
        // Many-to-one for every track: the album each key names (or none).
        s.load(tracks[0], Track::album)?;
        for &t in &tracks {
            let want = s.read(t)?.album_id;
            let album = s.read(t)?.album.get()?;
            let got = match album {
                Some(a) => Some(s.read(a)?.id),
                None => None,
            };
            assert_eq!(got, want);
        }
        Ok(())
    });
}
