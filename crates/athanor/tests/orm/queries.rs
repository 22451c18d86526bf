//! Queries of entities: the `Query` vocabulary, the Core's (CTEs, windows, unions,
//! subqueries) on entity statements, tuples of entities and columns, and bulk UPDATE /
//! DELETE with each way of keeping the session true.

use athanor::prelude::*;
use athanor::sql::Window;
use athanor::{Error, Result};

use super::models::{Album, Artist, Genre, Track};
use super::support::{on_chinook, shapes, statements};

fn titles(s: &mut Session, albums: &[Ref<Album>]) -> Result<Vec<String>> {
    albums
        .iter()
        .map(|&a| Ok(s.read(a)?.title.clone()))
        .collect()
}

#[test]
fn the_query_vocabulary() {
    on_chinook(|engine| {
        let mut s = Session::new(engine);
        let first = s
            .query::<Album>()
            .order_by(Album::ID)
            .first()?
            .ok_or(Error::NoResultFound)?;
        assert_eq!(
            s.read(first)?.title,
            "For Those About To Rock We Salute You"
        );
        assert_eq!(s.query::<Album>().filter(Album::ID.eq(-1)).first()?, None);
        assert_eq!(
            s.query::<Album>().filter(Album::ID.eq(-1)).one_or_none()?,
            None
        );
        assert!(matches!(
            s.query::<Album>().filter(Album::ID.eq(-1)).one(),
            Err(Error::NoResultFound)
        ));
        let one = s.query::<Album>().filter(Album::ID.eq(2)).one()?;
        assert_eq!(s.read(one)?.title, "Balls to the Wall");
        let page = s.query::<Album>().order_by(Album::ID).slice(10..13).all()?;
        assert_eq!(
            titles(&mut s, &page)?,
            [
                "Out Of Exile",
                "BackBeat Soundtrack",
                "The Best Of Billy Cobham"
            ]
        );
        assert!(
            s.query::<Album>()
                .filter(Album::TITLE.like("Big%"))
                .exists()?
        );
        assert!(
            !s.query::<Album>()
                .filter(Album::TITLE.like("Nothing like this%"))
                .exists()?
        );
        let ids: Vec<i64> = s
            .query_as(Album::ARTIST_ID)
            .distinct()
            .filter(Album::ID.le(5))
            .order_by(Album::ARTIST_ID)
            .all()?;
        assert_eq!(ids, [1, 2, 3]);
        assert_eq!(s.query::<Album>().get(3)?, s.get::<Album>(3)?);
        let n: Option<i64> = s
            .query_as(func::count(Album::ID))
            .filter(Album::ARTIST_ID.eq(1))
            .scalar()?;
        assert_eq!(n, Some(2));
        let busy: Vec<(i64, i64)> = s
            .query_as((Album::ARTIST_ID, func::count_star().label("n")))
            .group_by(Album::ARTIST_ID)
            .having(func::count_star().gt(11))
            .order_by(Album::ARTIST_ID)
            .all()?;
        assert_eq!(busy, [(22, 14), (90, 21)]);
        Ok(())
    });
}

#[test]
fn entity_statements_take_the_cores_whole_vocabulary() {
    on_chinook(|engine| {
        let mut s = Session::new(engine);
        // A CTE.
        let acdc = select(Album::ID).filter(Album::ARTIST_ID.eq(1)).cte("acdc");
        let albums = s.scalars::<Album>(
            &select(Album::table())
                .filter(Album::ID.in_select(select(acdc.c("AlbumId"))))
                .order_by(Album::ID),
        )?;
        assert_eq!(albums.len(), 2);
        // A window, with the entity.
        let ranked: Vec<(Ref<Album>, i64)> = s
            .query_as((
                Album::table(),
                func::row_number()
                    .over(
                        Window::new()
                            .partition_by(Album::ARTIST_ID)
                            .order_by(Album::TITLE),
                    )
                    .label("rank"),
            ))
            .filter(Album::ARTIST_ID.eq(1))
            .order_by(Album::ID)
            .all()?;
        assert_eq!(ranked.iter().map(|r| r.1).collect::<Vec<_>>(), [1, 2]);
        assert_eq!(
            ranked[0].0, albums[0],
            "the same objects through the identity map"
        );
        // A union.
        let both = select(Album::table())
            .filter(Album::ID.eq(1))
            .union(select(Album::table()).filter(Album::ID.eq(4)))
            .order_by(Album::ID);
        let union = s.scalars::<Album>(&both)?;
        assert_eq!(
            titles(&mut s, &union)?,
            ["For Those About To Rock We Salute You", "Let There Be Rock"]
        );
        // A subquery in the FROM, joined to a model.
        let counts = select((Track::ALBUM_ID, func::count_star().label("tracks")))
            .group_by(Track::ALBUM_ID)
            .subquery("counts");
        let rows: Vec<(Ref<Album>, i64)> = s.tuples(
            &select((Album::table(), counts.c("tracks")))
                .join_on(&counts, counts.c("AlbumId").eq(Album::ID))
                .filter(Album::ID.le(2))
                .order_by(Album::ID),
        )?;
        assert_eq!(rows.iter().map(|r| r.1).collect::<Vec<_>>(), [10, 1]);
        Ok(())
    });
}

#[test]
fn tuples_of_several_entities() {
    on_chinook(|engine| {
        let mut s = Session::new(engine);
        let rows: Vec<(Ref<Album>, Ref<Artist>)> = s
            .query_as((Album::table(), Artist::table()))
            .join(Artist::table())
            .filter(Album::ARTIST_ID.eq(1))
            .order_by(Album::ID)
            .all()?;
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].1, rows[1].1, "one Artist object for both rows");
        assert_eq!(s.read(rows[1].1)?.name.as_deref(), Some("AC/DC"));
        Ok(())
    });
}

#[test]
fn bulk_update_evaluate_computes_in_rust_and_refuses_what_it_cannot() {
    on_chinook(|engine| {
        let mut s = Session::new(engine);
        let loaded = s
            .query::<Track>()
            .filter(Track::ID.le(5))
            .order_by(Track::ID)
            .all()?;
        let before: Vec<i64> = loaded
            .iter()
            .map(|&t| Ok(s.read(t)?.milliseconds))
            .collect::<Result<_>>()?;
        let (n, stmts) = statements(|| {
            s.query::<Track>()
                .filter(Track::ID.le(3) & Track::GENRE_ID.is_not_null())
                .update(
                    row! { "Milliseconds" => Track::MILLISECONDS.expr() * 2 },
                    Synchronize::Evaluate,
                )
        });
        assert_eq!(n?, 3);
        assert_eq!(shapes(&stmts), ["UPDATE Track"], "no SELECT: {stmts:?}");
        for (i, &t) in loaded.iter().enumerate() {
            let want = if i < 3 { before[i] * 2 } else { before[i] };
            assert_eq!(s.read(t)?.milliseconds, want);
        }
        assert!(
            !s.is_modified(loaded[0])?,
            "the new values are the database's"
        );
        // LIKE can't be computed here: refused before anything runs.
        let e = s
            .query::<Track>()
            .filter(Track::NAME.like("A%"))
            .update(row! { "Milliseconds" => 1 }, Synchronize::Evaluate)
            .unwrap_err();
        assert!(matches!(e, Error::Unevaluatable(_)), "{e}");
        s.commit()?;
        let ms: i64 = engine
            .connect()?
            .scalar(&select(Track::MILLISECONDS).filter(Track::ID.eq(4)))?;
        assert_eq!(ms, before[3], "the refused update wrote nothing");
        Ok(())
    });
}

#[test]
fn bulk_update_fetch_and_false() {
    on_chinook(|engine| {
        let mut s = Session::new(engine);
        let g = s.get::<Genre>(1)?.ok_or(Error::NoResultFound)?;
        let n = s
            .query::<Genre>()
            .filter(Genre::NAME.like("Ro%"))
            .update(row! { "Name" => "Rock & Roll" }, Synchronize::Fetch)?;
        assert_eq!(n, 2, "Rock and Rock And Roll");
        assert_eq!(
            s.read(g)?.name.as_deref(),
            Some("Rock & Roll"),
            "expired and reloaded"
        );
        let n = s
            .query::<Genre>()
            .filter(Genre::ID.eq(1))
            .update(row! { "Name" => "Rock" }, Synchronize::False)?;
        assert_eq!(n, 1);
        assert_eq!(
            s.read(g)?.name.as_deref(),
            Some("Rock & Roll"),
            "False: left as it was"
        );
        s.expire(g)?;
        assert_eq!(s.read(g)?.name.as_deref(), Some("Rock"));
        Ok(())
    });
}

#[test]
fn bulk_delete_evaluate_removes_matching_objects() {
    on_chinook(|engine| {
        let mut s = Session::new(engine);
        for i in 0..4 {
            s.add(Genre {
                id: 600 + i,
                name: Some(format!("bulk {i}")),
            })?;
        }
        s.commit()?;
        let kept = s.get::<Genre>(603)?.ok_or(Error::NoResultFound)?;
        let gone = s.get::<Genre>(601)?.ok_or(Error::NoResultFound)?;
        let n = s
            .query::<Genre>()
            .filter(Genre::ID.between(600, 602))
            .delete(Synchronize::Evaluate)?;
        assert_eq!(n, 3);
        // As a deleted object in SQLAlchemy: out of the identity map, its values readable
        // until the commit detaches it.
        assert_eq!(s.get::<Genre>(601)?, None);
        assert_eq!(s.read(gone)?.id, 601);
        assert!(s.identity_map::<Genre>().iter().all(|&h| h != gone));
        assert_eq!(s.read(kept)?.id, 603);
        // Rolled back, the deleted object comes back.
        s.rollback()?;
        assert_eq!(s.read(gone)?.id, 601);
        // A query with LIMIT can't be a bulk statement.
        let e = s
            .query::<Genre>()
            .limit(1)
            .delete(Synchronize::False)
            .unwrap_err();
        assert!(matches!(e, Error::InvalidRequest(_)), "{e}");
        Ok(())
    });
}

#[test]
fn filter_by_takes_field_names_and_column_names() {
    on_chinook(|engine| {
        let mut s = Session::new(engine);
        let by_field = s.query::<Album>().filter_by([("artist_id", 90)]).count()?;
        let by_column = s.query::<Album>().filter_by([("ArtistId", 90)]).count()?;
        assert_eq!((by_field, by_column), (21, 21));
        let n: Vec<i64> = s
            .query_as(Album::ID)
            .filter_by([("ArtistId", 1)])
            .order_by(Album::ID)
            .all()?;
        assert_eq!(n, [1, 4]);
        Ok(())
    });
}

#[test]
fn a_statement_whose_columns_are_not_the_models_is_refused_not_misread() {
    on_chinook(|engine| {
        let mut s = Session::new(engine);
        // ArtistId first: read as an Album it would give albums with artists' ids as keys.
        let wrong = select((Album::ARTIST_ID, Album::ID, Album::TITLE));
        let e = s.scalars::<Album>(&wrong).unwrap_err();
        assert!(
            matches!(e, Error::InvalidRequest(ref m) if m.contains("Album is read from its columns (AlbumId, Title, ArtistId)")),
            "{e}"
        );
        let e = s
            .tuples::<(i64, Ref<Album>)>(&select((
                Album::ID,
                Album::ARTIST_ID,
                Album::ID,
                Album::TITLE,
            )))
            .unwrap_err();
        assert!(matches!(e, Error::InvalidRequest(_)), "{e}");
        let e = s.tuples::<(i64, i64)>(&select(Album::ID)).unwrap_err();
        assert!(
            matches!(e, Error::InvalidRequest(ref m) if m.contains("too few")),
            "{e}"
        );
        assert!(s.identity_map::<Album>().is_empty(), "nothing was loaded");
        Ok(())
    });
}

#[test]
fn select_from_sets_where_joins_start() {
    on_chinook(|engine| {
        let mut s = Session::new(engine);
        let names: Vec<String> = s
            .query_as(Track::NAME)
            .select_from(Genre::table())
            .join(Track::table())
            .filter(Genre::NAME.eq("Opera"))
            .all()?;
        assert_eq!(names.len(), 1);
        let q = s
            .query_as::<String>(Track::NAME)
            .select_from(Genre::table())
            .join(Track::table());
        let stmt_sql = q.statement().to_string();
        assert!(
            stmt_sql.contains("FROM \"Genre\" JOIN \"Track\""),
            "{stmt_sql}"
        );
        Ok(())
    });
}
