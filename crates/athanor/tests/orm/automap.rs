//! Automap on Chinook, on every database: classes and relationships from the reflected
//! foreign keys (SQLAlchemy's names), objects read by column name through relationships
//! loaded in batches, and inserts, updates and deletes through the same unit of work as the
//! models' — with no struct anywhere but where a test mixes the two on purpose.

use athanor::orm::{AutomapOptions, Direction, automap};
use athanor::prelude::*;
use athanor::{Engine, Error, Result};

use super::support::{capture, on_chinook, shapes, statements};

fn strs(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

#[test]
fn classes_and_relationship_names() {
    on_chinook(|engine: &Engine| {
        let auto = automap(engine)?;
        assert_eq!(
            auto.class_names(),
            [
                "Album",
                "Artist",
                "Customer",
                "Employee",
                "Genre",
                "Invoice",
                "InvoiceLine",
                "MediaType",
                "Playlist",
                "Track"
            ]
        );
        let names = |c: &str| -> Result<Vec<(String, Direction, String)>> {
            let mut v: Vec<_> = auto
                .class(c)?
                .relationships()
                .into_iter()
                .map(|r| (r.name, r.direction, r.target))
                .collect();
            v.sort_by(|a, b| a.0.cmp(&b.0));
            Ok(v)
        };
        let rel = |n: &str, d: Direction, t: &str| (n.to_string(), d, t.to_string());
        use Direction::{ManyToMany, ManyToOne, OneToMany};
        assert_eq!(
            names("Track")?,
            [
                rel("album", ManyToOne, "Album"),
                rel("genre", ManyToOne, "Genre"),
                rel("invoiceline_collection", OneToMany, "InvoiceLine"),
                rel("mediatype", ManyToOne, "MediaType"),
                rel("playlist_collection", ManyToMany, "Playlist"),
            ]
        );
        assert_eq!(
            names("Employee")?,
            [
                rel("customer_collection", OneToMany, "Customer"),
                rel("employee", ManyToOne, "Employee"),
                rel("employee_collection", OneToMany, "Employee"),
            ]
        );
        assert_eq!(
            names("Artist")?,
            [rel("album_collection", OneToMany, "Album")]
        );
        assert_eq!(
            names("Playlist")?,
            [rel("track_collection", ManyToMany, "Track")]
        );
        assert_eq!(
            auto.class("Customer")?.relationships()[0].foreign_key,
            ["SupportRepId"]
        );
        // The association table has no class, but its table is in the metadata.
        assert!(matches!(
            auto.class("PlaylistTrack"),
            Err(Error::Argument(_))
        ));
        assert!(auto.metadata().contains("PlaylistTrack"));
        Ok(())
    });
}

#[test]
fn read_album_and_its_artist_through_relationships() {
    on_chinook(|engine| {
        let auto = automap(engine)?;
        let album = auto.class("Album")?;
        let mut s = Session::new(engine);
        let (r, stmts) = statements(|| -> Result<(String, String, Vec<String>)> {
            let a = s.get_dyn(&album, 1)?.ok_or(Error::NoResultFound)?;
            let title = s.read_dyn(a)?.get::<String>("Title")?;
            let artist = s
                .related_one_dyn(a, "artist")?
                .ok_or(Error::NoResultFound)?;
            let name = s.read_dyn(artist)?.get::<String>("Name")?;
            let albums = s.related_dyn(artist, "album_collection")?;
            let titles = albums
                .iter()
                .map(|&h| s.read_dyn(h)?.get::<String>("Title"))
                .collect::<Result<Vec<_>>>()?;
            // Loaded: read from memory.
            assert_eq!(s.related_one_dyn(a, "artist")?, Some(artist));
            assert!(albums.contains(&a)); // the identity map: one object per row
            Ok((title, name, titles))
        });
        let (title, name, titles) = r?;
        assert_eq!(title, "For Those About To Rock We Salute You");
        assert_eq!(name, "AC/DC");
        assert_eq!(
            titles,
            strs(&["For Those About To Rock We Salute You", "Let There Be Rock"])
        );
        assert_eq!(
            shapes(&stmts),
            strs(&["SELECT Album", "SELECT Artist", "SELECT Album"])
        );
        Ok(())
    });
}

#[test]
fn one_to_many_loads_for_every_object_of_the_class_at_once() {
    on_chinook(|engine| {
        let auto = automap(engine)?;
        let artist = auto.class("Artist")?;
        let mut s = Session::new(engine);
        let (r, stmts) = statements(|| -> Result<Vec<usize>> {
            let arts = s
                .query_dyn(&artist)
                .filter(artist.c("ArtistId").in_([1, 2, 22]))
                .order_by(artist.c("ArtistId"))
                .all()?;
            let mut counts = Vec::new();
            for a in arts {
                counts.push(s.related_dyn(a, "album_collection")?.len());
            }
            Ok(counts)
        });
        assert_eq!(r?, [2, 2, 14]);
        assert_eq!(shapes(&stmts), strs(&["SELECT Artist", "SELECT Album"]));
        assert!(stmts[1].contains(" IN ("), "{}", stmts[1]);
        // Each album knows its artist now (the other side of the one-to-many): no query.
        let (r, stmts) = statements(|| -> Result<String> {
            let zep = s.get_dyn(&artist, 22)?.ok_or(Error::NoResultFound)?;
            let albums = s.related_dyn(zep, "album_collection")?;
            let back = s
                .related_one_dyn(albums[0], "artist")?
                .ok_or(Error::NoResultFound)?;
            s.read_dyn(back)?.get::<String>("Name")
        });
        assert_eq!(r?, "Led Zeppelin");
        assert_eq!(stmts.len(), 0, "{stmts:#?}");
        Ok(())
    });
}

#[test]
fn selectin_paths_two_levels_and_many_to_many() {
    on_chinook(|engine| {
        let auto = automap(engine)?;
        let (artist, playlist) = (auto.class("Artist")?, auto.class("Playlist")?);
        let mut s = Session::new(engine);
        let (r, stmts) = statements(|| -> Result<Vec<(String, usize)>> {
            let arts = s
                .query_dyn(&artist)
                .filter(artist.c("ArtistId").le(2))
                .order_by(artist.c("ArtistId"))
                .selectin("album_collection.track_collection")
                .all()?;
            let mut out = Vec::new();
            for a in arts {
                for al in s.related_dyn(a, "album_collection")? {
                    let n = s.related_dyn(al, "track_collection")?.len();
                    out.push((s.read_dyn(al)?.get::<String>("Title")?, n));
                }
            }
            Ok(out)
        });
        assert_eq!(
            r?,
            [
                ("For Those About To Rock We Salute You".to_string(), 10),
                ("Let There Be Rock".to_string(), 8),
                ("Balls to the Wall".to_string(), 1),
                ("Restless and Wild".to_string(), 3),
            ]
        );
        assert_eq!(
            shapes(&stmts),
            strs(&["SELECT Artist", "SELECT Album", "SELECT Track"])
        );
        let (r, stmts) = statements(|| -> Result<(usize, String, usize)> {
            let grunge = s
                .query_dyn(&playlist)
                .filter_by([("Name", "Grunge")])
                .one()?;
            let tracks = s.related_dyn(grunge, "track_collection")?;
            let first = s.read_dyn(tracks[0])?.get::<String>("Name")?;
            let back = s.related_dyn(tracks[0], "playlist_collection")?.len();
            Ok((tracks.len(), first, back))
        });
        // Track 52 ("Man In The Box") is the Grunge playlist's lowest TrackId; it is on the
        // two "Music" playlists, "90’s Music" and Grunge.
        assert_eq!(r?, (15, "Man In The Box".to_string(), 4));
        assert_eq!(stmts.len(), 3, "{stmts:#?}");
        assert!(
            stmts[1].contains("JOIN") && stmts[1].contains("PlaylistTrack"),
            "{}",
            stmts[1]
        );
        Ok(())
    });
}

#[test]
fn self_referential_employee() {
    on_chinook(|engine| {
        let auto = automap(engine)?;
        let employee = auto.class("Employee")?;
        let mut s = Session::new(engine);
        let (r, stmts) = statements(|| -> Result<(Vec<String>, Option<String>)> {
            let boss = s.get_dyn(&employee, 1)?.ok_or(Error::NoResultFound)?;
            let reports = s.related_dyn(boss, "employee_collection")?;
            let names = reports
                .iter()
                .map(|&h| s.read_dyn(h)?.get::<String>("LastName"))
                .collect::<Result<Vec<_>>>()?;
            let jane = s.get_dyn(&employee, 3)?.ok_or(Error::NoResultFound)?;
            let manager = s.related_one_dyn(jane, "employee")?;
            let manager = match manager {
                Some(m) => Some(s.read_dyn(m)?.get::<String>("LastName")?),
                None => None,
            };
            assert_eq!(s.related_one_dyn(boss, "employee")?, None); // Andrew reports to no one
            Ok((names, manager))
        });
        assert_eq!(
            r?,
            (strs(&["Edwards", "Mitchell"]), Some("Edwards".to_string()))
        );
        // get(1), reports of the two in the session, get(3) (not in the identity map), the
        // managers of every employee lacking one (Nancy's and Jane's are in the map: none).
        assert_eq!(
            shapes(&stmts),
            strs(&["SELECT Employee", "SELECT Employee", "SELECT Employee"]),
            "{stmts:#?}"
        );
        Ok(())
    });
}

#[test]
fn insert_update_delete_round_trip() {
    on_chinook(|engine| {
        let auto = automap(engine)?;
        let (artist, album) = (auto.class("Artist")?, auto.class("Album")?);
        let mut s = Session::new(engine);
        // Insert: a new artist (key generated) and an album pointing at it.
        let (r, stmts) = statements(|| -> Result<(i64, i64)> {
            let band = s.add_dyn(&artist, row! { "Name" => "The Automappers" })?;
            let record = s.add_dyn(&album, row! { "Title" => "Reflected" })?;
            s.set_related_dyn(record, "artist", Some(band))?;
            assert_eq!(s.new_objects_dyn(&album), [record]);
            s.flush()?;
            let id = s.read_dyn(band)?.get::<i64>("ArtistId")?;
            Ok((id, s.read_dyn(record)?.get::<i64>("ArtistId")?))
        });
        let (band_id, album_artist) = r?;
        assert_eq!((band_id, album_artist), (276, 276));
        assert_eq!(
            shapes(&stmts),
            strs(&["INSERT Artist", "INSERT Album"]),
            "{stmts:#?}"
        );
        s.commit()?;
        // Update: only the changed column; a column set back writes nothing.
        let record = s
            .query_dyn(&album)
            .filter_by([("Title", "Reflected")])
            .one()?;
        let (r, stmts) = statements(|| -> Result<()> {
            let acdc = s.get_dyn(&artist, 1)?.ok_or(Error::NoResultFound)?;
            s.edit_dyn(record)?.set("Title", "Reflected (Deluxe)")?;
            s.edit_dyn(acdc)?
                .set("Name", "AC/DC!")?
                .set("Name", "AC/DC")?;
            assert_eq!(s.dirty_dyn(&album), [record]);
            assert!(s.dirty_dyn(&artist).is_empty());
            s.flush()
        });
        r?;
        assert_eq!(
            shapes(&stmts),
            strs(&["SELECT Artist", "UPDATE Album"]),
            "{stmts:#?}"
        );
        // Only the title: `UPDATE "Album" SET "Title" = ? WHERE "Album"."AlbumId" = ?`.
        let set = stmts[1].split(" WHERE ").next().unwrap_or_default();
        assert!(
            set.contains("Title") && !set.contains("ArtistId"),
            "{}",
            stmts[1]
        );
        s.commit()?;
        // Delete: the album first, then its artist (foreign-key order), in one flush.
        let band = s.get_dyn(&artist, band_id)?.ok_or(Error::NoResultFound)?;
        let (r, stmts) = statements(|| -> Result<()> {
            s.delete_dyn(band)?;
            s.delete_dyn(record)?;
            s.commit()
        });
        r?;
        assert_eq!(
            shapes(&stmts),
            strs(&["DELETE Album", "DELETE Artist"]),
            "{stmts:#?}"
        );
        assert_eq!(s.query_dyn(&artist).count()?, 275);
        assert_eq!(s.query_dyn(&album).count()?, 347);
        assert!(matches!(s.read_dyn(band), Err(Error::DetachedInstance(_))));
        Ok(())
    });
}

#[test]
fn typed_models_and_automapped_classes_flush_in_one_order() {
    #[derive(Debug, Clone, PartialEq, Default, Model)]
    #[athanor(table = "Artist")]
    struct Artist {
        #[athanor(primary_key, column = "ArtistId")]
        id: i64,
        #[athanor(column = "Name")]
        name: Option<String>,
    }
    on_chinook(|engine| {
        let auto = automap(engine)?;
        let album = auto.class("Album")?;
        let mut s = Session::new(engine);
        // The automapped album's store comes first in the session; its parent is a model.
        s.add_dyn(
            &album,
            row! { "AlbumId" => 1000, "Title" => "Mixed", "ArtistId" => 1000 },
        )?;
        s.add(Artist {
            id: 1000,
            name: Some("Typed".into()),
        })?;
        let (r, stmts) = statements(|| s.commit());
        r?;
        assert_eq!(
            shapes(&stmts),
            strs(&["INSERT Artist", "INSERT Album"]),
            "{stmts:#?}"
        );
        let a = s.get_dyn(&album, 1000)?.ok_or(Error::NoResultFound)?;
        let artist = s
            .related_one_dyn(a, "artist")?
            .ok_or(Error::NoResultFound)?;
        assert_eq!(s.read_dyn(artist)?.get::<String>("Name")?, "Typed");
        Ok(())
    });
}

#[test]
fn commit_rollback_expire_and_failed_flush() {
    on_chinook(|engine| {
        let auto = automap(engine)?;
        let genre = auto.class("Genre")?;
        let mut s = Session::new(engine);
        let rock = s.get_dyn(&genre, 1)?.ok_or(Error::NoResultFound)?;
        let jazz = s.get_dyn(&genre, 2)?.ok_or(Error::NoResultFound)?;
        // Rollback: changes discarded (reloaded), objects added in the transaction gone.
        s.edit_dyn(rock)?.set("Name", "Rock!")?;
        let polka = s.add_dyn(&genre, row! { "Name" => "Polka" })?;
        s.flush()?;
        s.rollback()?;
        assert!(matches!(s.read_dyn(polka), Err(Error::DetachedInstance(_))));
        let (r, stmts) = statements(|| -> Result<(String, String)> {
            Ok((
                s.read_dyn(rock)?.get::<String>("Name")?,
                s.read_dyn(jazz)?.get::<String>("Name")?,
            ))
        });
        assert_eq!(r?, ("Rock".to_string(), "Jazz".to_string()));
        // Both expired objects reloaded in one query.
        assert_eq!(shapes(&stmts), strs(&["SELECT Genre"]), "{stmts:#?}");
        assert!(stmts[0].contains(" IN ("), "{}", stmts[0]);
        // Commit expires; another connection's change is seen on the next read.
        s.commit()?;
        engine.transaction(|c| {
            c.execute(
                &update(genre.table())
                    .values(row! { "Name" => "Jazz!" })
                    .filter(genre.c("GenreId").eq(2)),
            )
        })?;
        assert_eq!(s.read_dyn(jazz)?.get::<String>("Name")?, "Jazz!");
        // expire_dyn / refresh_dyn discard a change.
        s.edit_dyn(jazz)?.set("Name", "Jazz?")?;
        s.expire_dyn(jazz)?;
        assert!(!s.has_changes());
        assert_eq!(s.read_dyn(jazz)?.get::<String>("Name")?, "Jazz!");
        s.edit_dyn(jazz)?.set("Name", "Jazz?")?;
        s.refresh_dyn(jazz)?;
        assert_eq!(s.read_dyn(jazz)?.get::<String>("Name")?, "Jazz!");
        // A failed flush rolls back and leaves the objects to write again.
        let ska = s.add_dyn(&genre, row! { "GenreId" => 100, "Name" => "Ska" })?;
        let clash = s.add_dyn(&genre, row! { "GenreId" => 3, "Name" => "Metal again" })?; // not loaded
        let err = capture(|| s.flush()).0.expect_err("a duplicate key");
        assert!(matches!(err, Error::Integrity(_)), "{err}");
        assert_eq!(s.new_objects_dyn(&genre), [ska, clash]);
        s.expunge_dyn(clash)?;
        s.commit()?;
        assert_eq!(s.read_dyn(ska)?.get::<String>("Name")?, "Ska");
        assert_eq!(s.query_dyn(&genre).count()?, 26);
        Ok(())
    });
}

#[test]
fn savepoints_and_row_switch() {
    on_chinook(|engine| {
        let auto = automap(engine)?;
        let genre = auto.class("Genre")?;
        let mut s = Session::new(engine);
        let rock = s.get_dyn(&genre, 1)?.ok_or(Error::NoResultFound)?;
        {
            let mut sp = s.begin_nested()?;
            sp.edit_dyn(rock)?.set("Name", "Rock!")?;
            sp.add_dyn(&genre, row! { "GenreId" => 100, "Name" => "Polka" })?;
            sp.flush()?;
            sp.rollback()?;
        }
        assert_eq!(s.read_dyn(rock)?.get::<String>("Name")?, "Rock");
        assert_eq!(s.get_dyn(&genre, 100)?, None);
        // Row switch: a new object with the key of one marked for deletion UPDATEs its row.
        let polka = s.add_dyn(&genre, row! { "GenreId" => 100, "Name" => "Polka" })?;
        s.commit()?;
        s.delete_dyn(polka)?;
        let again = s.add_dyn(&genre, row! { "GenreId" => 100, "Name" => "Polka 2" })?;
        let (r, stmts) = statements(|| s.commit());
        r?;
        assert_eq!(shapes(&stmts), strs(&["UPDATE Genre"]), "{stmts:#?}");
        assert_eq!(s.read_dyn(again)?.get::<String>("Name")?, "Polka 2");
        Ok(())
    });
}

#[test]
fn typed_errors_and_queries() {
    on_chinook(|engine| {
        let auto = automap(engine)?;
        let (album, track) = (auto.class("Album")?, auto.class("Track")?);
        let mut s = Session::new(engine);
        let a = s.get_dyn(&album, 1)?.ok_or(Error::NoResultFound)?;
        let obj = s.read_dyn(a)?;
        let err = obj.get::<i64>("Title").expect_err("text isn't an i64");
        let Error::Conversion(c) = &err else {
            panic!("{err}")
        };
        assert_eq!((c.column.as_deref(), c.expected), (Some("Title"), "i64"));
        assert!(matches!(
            obj.get::<i64>("Nope"),
            Err(Error::NoSuchColumn { .. })
        ));
        assert_eq!(obj.class_name(), "Album");
        assert!(matches!(
            s.related_dyn(a, "nope"),
            Err(Error::InvalidRequest(_))
        ));
        assert!(matches!(
            s.related_one_dyn(a, "track_collection"),
            Err(Error::InvalidRequest(_))
        ));
        assert!(matches!(s.get_dyn(&album, (1, 2)), Err(Error::Argument(_))));
        assert!(matches!(
            s.add_dyn(&album, row! { "Title" => func::now() }),
            Err(Error::Argument(_))
        ));
        // Queries: filters, order, slices, terminals.
        let q = s
            .query_dyn(&track)
            .filter(track.c("GenreId").eq(2))
            .order_by(track.c("Milliseconds").desc())
            .slice(1..3)
            .all()?;
        assert_eq!(q.len(), 2);
        assert_eq!(
            s.query_dyn(&track).filter_by([("GenreId", 2)]).count()?,
            130
        );
        assert!(matches!(
            s.query_dyn(&track).filter_by([("AlbumId", 1)]).one(),
            Err(Error::MultipleResultsFound)
        ));
        assert_eq!(
            s.query_dyn(&album)
                .filter_by([("AlbumId", 5000)])
                .one_or_none()?,
            None
        );
        assert!(s.query_dyn(&album).filter_by([("AlbumId", 5)]).exists()?);
        assert_eq!(s.query_dyn(&album).get(1)?, Some(a));
        let last = s
            .query_dyn(&album)
            .order_by(album.c("AlbumId").desc())
            .first()?
            .ok_or(Error::NoResultFound)?;
        assert_eq!(
            s.read_dyn(last)?.get::<String>("Title")?,
            "Koyaanisqatsi (Soundtrack from the Motion Picture)"
        );
        // Decimals and dates read as the database types them.
        let t = s.get_dyn(&track, 1)?.ok_or(Error::NoResultFound)?;
        let price = s.read_dyn(t)?.get::<f64>("UnitPrice")?;
        assert!((price - 0.99).abs() < 1e-9, "{price}");
        Ok(())
    });
}

#[test]
fn naming_options_and_clashes() {
    // A relationship named like a column is an error (as SQLAlchemy's mapping); a second
    // foreign key to the same table leaves the name to the first.
    let md = MetaData::new();
    let tb = |n: &str| Table::build(n.to_string(), &md);
    tb("table_a")
        .column(Column::new("id", Type::Integer).primary_key())
        .finish()
        .expect("table_a");
    tb("table_b")
        .column(Column::new("id", Type::Integer).primary_key())
        .column(Column::new("table_a", Type::Integer))
        .foreign_key(ForeignKeyConstraint::new(["table_a"], "table_a", ["id"]))
        .finish()
        .expect("table_b");
    let err = AutomapOptions::new()
        .prepare_metadata(&md)
        .expect_err("a clash");
    assert!(err.to_string().contains("table_b.table_a"), "{err}");
    let renamed = AutomapOptions::new()
        .name_for_scalar_relationship(|_, referred, _| format!("{referred}_ref"))
        .prepare_metadata(&md)
        .expect("renamed");
    assert_eq!(
        renamed.class("table_b").expect("b").relationships()[0].name,
        "table_a_ref"
    );

    let md = MetaData::new();
    Table::build("person", &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .finish()
        .expect("person");
    Table::build("letter", &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .column(Column::new("sender", Type::Integer))
        .column(Column::new("receiver", Type::Integer))
        .foreign_key(ForeignKeyConstraint::new(["sender"], "person", ["id"]))
        .foreign_key(ForeignKeyConstraint::new(["receiver"], "person", ["id"]))
        .finish()
        .expect("letter");
    let (auto, log) = capture(|| AutomapOptions::new().prepare_metadata(&md));
    let auto = auto.expect("automap");
    let rels = auto.class("letter").expect("letter").relationships();
    assert_eq!(rels.len(), 1);
    assert_eq!(
        (rels[0].name.as_str(), rels[0].foreign_key.clone()),
        ("person", strs(&["sender"]))
    );
    assert!(log.contains("letter.person exists already"), "{log}");
    let by_column = AutomapOptions::new()
        .name_for_scalar_relationship(|_, _, fk| fk.columns[0].clone() + "_person")
        .name_for_collection_relationship(|_, referred, fk| {
            format!("{referred}_by_{}", fk.columns[0])
        })
        .prepare_metadata(&md)
        .expect("named by column");
    let mut names: Vec<String> = by_column
        .class("person")
        .expect("person")
        .relationships()
        .into_iter()
        .map(|r| r.name)
        .collect();
    names.sort();
    assert_eq!(names, strs(&["letter_by_receiver", "letter_by_sender"]));
}

#[test]
fn loads_and_refreshes_go_in_chunks_of_500() {
    on_chinook(|engine| {
        let auto = automap(engine)?;
        let track = auto.class("Track")?;
        let mut s = Session::new(engine);
        let all = s.query_dyn(&track).all()?;
        assert_eq!(all.len(), 3503);
        let (r, stmts) = statements(|| -> Result<(usize, usize)> {
            let lines = s.related_dyn(all[0], "invoiceline_collection")?.len();
            let mut total = 0;
            for &t in &all {
                total += s.related_dyn(t, "invoiceline_collection")?.len();
            }
            Ok((lines, total))
        });
        assert_eq!(r?.1, 2240); // every invoice line, each under its track
        // 3 503 tracks: 8 queries of at most 500 keys, then memory.
        assert_eq!(shapes(&stmts), vec!["SELECT InvoiceLine".to_string(); 8]);
        // Many-to-one: 347 distinct albums, one query.
        let (r, stmts) = statements(|| -> Result<()> {
            for &t in &all {
                s.related_one_dyn(t, "album")?;
            }
            Ok(())
        });
        r?;
        assert_eq!(shapes(&stmts), strs(&["SELECT Album"]));
        // Expired, they reload 500 a query at the first read.
        s.expire_all();
        let (r, stmts) = statements(|| s.read_dyn(all[3000]).map(|o| o.get::<i64>("TrackId")));
        assert_eq!(r??, 3001);
        assert_eq!(shapes(&stmts), vec!["SELECT Track".to_string(); 8]);
        Ok(())
    });
}

#[test]
fn collections_change_through_the_session() {
    on_chinook(|engine| {
        let auto = automap(engine)?;
        let (artist, album) = (auto.class("Artist")?, auto.class("Album")?);
        let mut s = Session::new(engine);
        let acdc = s.get_dyn(&artist, 1)?.ok_or(Error::NoResultFound)?;
        let accept = s.get_dyn(&artist, 2)?.ok_or(Error::NoResultFound)?;
        let of_acdc = s.related_dyn(acdc, "album_collection")?;
        let of_accept = s.related_dyn(accept, "album_collection")?;
        // Move an album: the foreign key follows, both loaded collections too.
        let (r, stmts) = statements(|| -> Result<()> {
            s.append_dyn(accept, "album_collection", of_acdc[0])?;
            assert_eq!(s.related_dyn(acdc, "album_collection")?, [of_acdc[1]]);
            assert_eq!(s.related_dyn(accept, "album_collection")?.len(), 3);
            assert_eq!(s.related_one_dyn(of_acdc[0], "artist")?, Some(accept));
            assert_eq!(s.read_dyn(of_acdc[0])?.get::<i64>("ArtistId")?, 2);
            // A new album given to a new artist: keys known at the flush only.
            let band = s.add_dyn(&artist, row! { "Name" => "Newcomers" })?;
            let record = s.add_dyn(&album, row! { "Title" => "First" })?;
            s.append_dyn(band, "album_collection", record)?;
            // And back with set_related_dyn, from the other side.
            s.set_related_dyn(of_accept[0], "artist", Some(acdc))?;
            s.flush()?;
            let band_id = s.read_dyn(band)?.get::<i64>("ArtistId")?;
            assert_eq!(s.read_dyn(record)?.get::<i64>("ArtistId")?, band_id);
            Ok(())
        });
        r?;
        assert_eq!(
            shapes(&stmts),
            strs(&["INSERT Artist", "INSERT Album", "UPDATE Album"]),
            "{stmts:#?}"
        );
        s.commit()?;
        let count =
            |s: &mut Session, id: i64| s.query_dyn(&album).filter_by([("ArtistId", id)]).count();
        assert_eq!(
            (count(&mut s, 1)?, count(&mut s, 2)?, count(&mut s, 276)?),
            (2, 2, 1)
        );
        // Removing from a collection sets the key NULL: Album.ArtistId is NOT NULL, so the
        // flush fails (no delete-orphan cascade here) and everything is as before it.
        let first = s.query_dyn(&album).filter_by([("ArtistId", 276)]).one()?;
        let band = s.get_dyn(&artist, 276)?.ok_or(Error::NoResultFound)?;
        s.remove_dyn(band, "album_collection", first)?;
        assert_eq!(s.read_dyn(first)?.value("ArtistId")?, &Value::Null);
        let err = capture(|| s.flush()).0.expect_err("NOT NULL");
        assert!(matches!(err, Error::Integrity(_)), "{err}");
        assert!(s.is_modified_dyn(first)?); // still to write: the change is kept
        s.expire_dyn(first)?; // discarded
        assert_eq!(s.read_dyn(first)?.get::<i64>("ArtistId")?, 276);
        assert!(matches!(
            s.append_dyn(band, "nope", first),
            Err(Error::InvalidRequest(_))
        ));
        let playlist = auto.class("Playlist")?;
        let p = s.get_dyn(&playlist, 1)?.ok_or(Error::NoResultFound)?;
        assert!(matches!(
            s.append_dyn(p, "track_collection", first),
            Err(Error::InvalidRequest(_))
        ));
        Ok(())
    });
}
