//! Relationships in queries, on every database: joins along relationships (many-to-one,
//! one-to-many, many-to-many through the secondary table, outer joins), `any()` / `has()` /
//! `exists()` filters (correlated EXISTS), the statements they send (SQLAlchemy's shapes), and
//! the errors of relationships that can't be used that way (self-referential without an
//! alias, ambiguous foreign keys).

use athanor::orm::Related;
use athanor::prelude::*;
use athanor::{Engine, Error, Result};

use super::rel_models::{Album, Artist, Employee, Genre, Playlist, Track};
use super::support::{on_chinook, on_each, quiet, statements};

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

fn one_statement<T>(stmts: &[String], r: T) -> (T, String) {
    assert_eq!(stmts.len(), 1, "{stmts:#?}");
    (r, unquoted(&stmts[0]))
}

#[test]
fn join_many_to_many_through_the_secondary_table() {
    on_chinook(|engine: &Engine| {
        let mut s = Session::new(engine);
        let (r, stmts) = statements(|| {
            s.query_as::<String>(Track::NAME)
                .join(Track::playlists)
                .filter(Playlist::NAME.eq("Grunge"))
                .order_by(Track::ID)
                .limit(3)
                .all()
        });
        let (r, sql) = one_statement(&stmts, r);
        assert_eq!(
            r?,
            ["Man In The Box", "Smells Like Teen Spirit", "In Bloom"]
        );
        assert_eq!(
            sql,
            "SELECT Track.Name FROM Track \
             JOIN PlaylistTrack AS PlaylistTrack_1 ON Track.TrackId = PlaylistTrack_1.TrackId \
             JOIN Playlist ON Playlist.PlaylistId = PlaylistTrack_1.PlaylistId \
             WHERE Playlist.Name = ? ORDER BY Track.TrackId LIMIT ?"
        );
        // The other way, then on along many-to-one relationships.
        let (r, stmts) = statements(|| {
            s.query_as::<i64>(Playlist::ID)
                .distinct()
                .join(Playlist::tracks)
                .join(Track::album)
                .join(Album::artist)
                .filter(Artist::NAME.eq("Alice In Chains"))
                .order_by(Playlist::ID)
                .all()
        });
        let (r, sql) = one_statement(&stmts, r);
        assert_eq!(r?, [1, 5, 8, 16]);
        assert_eq!(
            sql,
            "SELECT DISTINCT Playlist.PlaylistId FROM Playlist \
             JOIN PlaylistTrack AS PlaylistTrack_1 ON Playlist.PlaylistId = PlaylistTrack_1.PlaylistId \
             JOIN Track ON Track.TrackId = PlaylistTrack_1.TrackId \
             JOIN Album ON Album.AlbumId = Track.AlbumId \
             JOIN Artist ON Artist.ArtistId = Album.ArtistId \
             WHERE Artist.Name = ? ORDER BY Playlist.PlaylistId"
        );
        Ok(())
    });
}

#[test]
fn outerjoin_by_relationship_keeps_parents_without_children() {
    on_chinook(|engine| {
        let mut s = Session::new(engine);
        let (r, stmts) = statements(|| -> Result<Vec<(i64, i64)>> {
            s.query_as((Artist::ID, func::count(Album::ID).label("n")))
                .outerjoin(Artist::albums)
                .group_by(Artist::ID)
                .order_by(Artist::ID)
                .all()
        });
        let (r, sql) = one_statement(&stmts, r);
        let counts = r?;
        assert_eq!(counts.len(), 275);
        assert_eq!(counts.iter().filter(|(_, n)| *n == 0).count(), 71);
        assert_eq!(counts[..3], [(1, 2), (2, 2), (3, 1)]);
        assert_eq!(
            sql,
            "SELECT Artist.ArtistId, count(Album.AlbumId) AS n FROM Artist \
             LEFT OUTER JOIN Album ON Artist.ArtistId = Album.ArtistId \
             GROUP BY Artist.ArtistId ORDER BY Artist.ArtistId"
        );
        // Many-to-many: the secondary and the target joined inside the outer join.
        let (r, stmts) = statements(|| -> Result<Vec<(i64, i64)>> {
            s.query_as((Playlist::ID, func::count(Track::ID).label("n")))
                .outerjoin(Playlist::tracks)
                .group_by(Playlist::ID)
                .order_by(Playlist::ID)
                .all()
        });
        let (r, sql) = one_statement(&stmts, r);
        let want: Vec<(i64, i64)> = [
            3290, 0, 213, 0, 1477, 0, 0, 3290, 1, 213, 39, 75, 25, 25, 25, 15, 26, 1,
        ]
        .iter()
        .zip(1..)
        .map(|(&n, id)| (id, n))
        .collect();
        assert_eq!(r?, want);
        assert_eq!(
            sql,
            "SELECT Playlist.PlaylistId, count(Track.TrackId) AS n FROM Playlist \
             LEFT OUTER JOIN (PlaylistTrack AS PlaylistTrack_1 \
             JOIN Track ON Track.TrackId = PlaylistTrack_1.TrackId) \
             ON Playlist.PlaylistId = PlaylistTrack_1.PlaylistId \
             GROUP BY Playlist.PlaylistId ORDER BY Playlist.PlaylistId"
        );
        Ok(())
    });
}

#[test]
fn any_has_and_exists_filter_with_correlated_exists() {
    on_chinook(|engine| {
        let mut s = Session::new(engine);
        // One-to-many: any().
        let (r, stmts) = statements(|| {
            s.query_as::<Option<String>>(Artist::NAME)
                .filter(Artist::albums.any(Album::TITLE.like("%Rock%")))
                .order_by(Artist::NAME)
                .all()
        });
        let (r, sql) = one_statement(&stmts, r);
        let names: Vec<Option<String>> = [
            "AC/DC",
            "Deep Purple",
            "Iron Maiden",
            "The Cult",
            "The Rolling Stones",
        ]
        .iter()
        .map(|n| Some(n.to_string()))
        .collect();
        assert_eq!(r?, names);
        assert_eq!(
            sql,
            "SELECT Artist.Name FROM Artist WHERE EXISTS (SELECT 1 FROM Album \
             WHERE Artist.ArtistId = Album.ArtistId AND Album.Title LIKE ?) ORDER BY Artist.Name"
        );
        // Many-to-one: has().
        let (r, stmts) = statements(|| {
            s.query::<Album>()
                .filter(Album::artist.has(Artist::NAME.eq("AC/DC")))
                .count()
        });
        let (r, sql) = one_statement(&stmts, r);
        assert_eq!(r?, 2);
        assert!(
            sql.contains(
                "WHERE EXISTS (SELECT 1 FROM Artist WHERE Artist.ArtistId = Album.ArtistId \
                 AND Artist.Name = ?)"
            ),
            "{sql}"
        );
        // Many-to-many: through the secondary table, the target's FROM first (SQLAlchemy's).
        let (r, stmts) = statements(|| {
            s.query_as::<i64>(Playlist::ID)
                .filter(Playlist::tracks.any(Track::NAME.eq("Man In The Box")))
                .order_by(Playlist::ID)
                .all()
        });
        let (r, sql) = one_statement(&stmts, r);
        assert_eq!(r?, [1, 5, 8, 16]);
        assert_eq!(
            sql,
            "SELECT Playlist.PlaylistId FROM Playlist WHERE EXISTS (SELECT 1 FROM Track, PlaylistTrack \
             WHERE Playlist.PlaylistId = PlaylistTrack.PlaylistId \
             AND Track.TrackId = PlaylistTrack.TrackId AND Track.Name = ?) ORDER BY Playlist.PlaylistId"
        );
        let grunge = s
            .query::<Track>()
            .filter(Track::playlists.any(Playlist::NAME.eq("Grunge")))
            .count()?;
        assert_eq!(grunge, 15);
        // Nested: tracks whose album's artist is Queen.
        let queen = s
            .query::<Track>()
            .filter(Track::album.has(Album::artist.has(Artist::NAME.eq("Queen"))))
            .count()?;
        assert_eq!(queen, 45);
        let jazz = s
            .query::<Track>()
            .filter(Track::genre.has(Genre::NAME.eq("Jazz")))
            .count()?;
        assert_eq!(jazz, 130);
        // Without a condition, and negated.
        let (r, stmts) =
            statements(|| s.query::<Artist>().filter(!Artist::albums.exists()).count());
        let (r, sql) = one_statement(&stmts, r);
        assert_eq!(r?, 71);
        assert!(
            sql.contains(
                "WHERE NOT EXISTS (SELECT 1 FROM Album WHERE Artist.ArtistId = Album.ArtistId)"
            ),
            "{sql}"
        );
        assert_eq!(
            s.query::<Artist>()
                .filter(Artist::albums.exists())
                .count()?,
            204
        );
        assert_eq!(
            s.query::<Track>()
                .filter(!Track::playlists.exists())
                .count()?,
            0
        );
        assert_eq!(
            s.query::<Track>().filter(Track::album.exists()).count()?,
            3503
        );
        // The objects come through the identity map as any query's.
        let acdc = s.get::<Artist>(1)?.ok_or(Error::NoResultFound)?;
        let found = s
            .query::<Artist>()
            .filter(Artist::albums.any(Album::TITLE.eq("Let There Be Rock")))
            .one()?;
        assert_eq!(found, acdc);
        Ok(())
    });
}

#[test]
fn any_inside_a_joined_query_correlates_to_the_join() {
    // The EXISTS names its target's table in its own FROM; the parent's (Album, joined in
    // the enclosing query) correlates.
    on_chinook(|engine| {
        let mut s = Session::new(engine);
        let (r, stmts) = statements(|| {
            s.query_as::<Option<String>>(Artist::NAME)
                .distinct()
                .join(Artist::albums)
                .filter(Album::tracks.any(Track::COMPOSER.like("%Mercury%")))
                .order_by(Artist::NAME)
                .all()
        });
        let (r, sql) = one_statement(&stmts, r);
        assert_eq!(
            r?,
            [Some("Metallica".to_string()), Some("Queen".to_string())]
        );
        assert_eq!(
            sql,
            "SELECT DISTINCT Artist.Name FROM Artist JOIN Album ON Artist.ArtistId = Album.ArtistId \
             WHERE EXISTS (SELECT 1 FROM Track WHERE Album.AlbumId = Track.AlbumId \
             AND Track.Composer LIKE ?) ORDER BY Artist.Name"
        );
        Ok(())
    });
}

#[test]
fn self_referential_any_and_has_alias_the_target() {
    // SQLAlchemy aliases the target (`Employee_1`) and adapts the condition to it: the
    // condition's Employee columns are the related employee's.
    on_chinook(|engine| {
        let mut s = Session::new(engine);
        let (r, stmts) = statements(|| {
            s.query_as::<String>(Employee::LAST_NAME)
                .filter(Employee::reports.any(func::upper(Employee::FIRST_NAME).like("J%")))
                .all()
        });
        let (r, sql) = one_statement(&stmts, r);
        assert_eq!(r?, ["Edwards"]);
        assert_eq!(
            sql,
            "SELECT Employee.LastName FROM Employee WHERE EXISTS (SELECT 1 FROM Employee AS Employee_1 \
             WHERE Employee.EmployeeId = Employee_1.ReportsTo AND upper(Employee_1.FirstName) LIKE ?)"
        );
        let (r, stmts) = statements(|| {
            s.query_as::<i64>(Employee::ID)
                .filter(Employee::manager.has(Employee::LAST_NAME.eq("Edwards")))
                .order_by(Employee::ID)
                .all()
        });
        let (r, sql) = one_statement(&stmts, r);
        assert_eq!(r?, [3, 4, 5]);
        assert_eq!(
            sql,
            "SELECT Employee.EmployeeId FROM Employee WHERE EXISTS (SELECT 1 FROM Employee AS Employee_1 \
             WHERE Employee_1.EmployeeId = Employee.ReportsTo AND Employee_1.LastName = ?) \
             ORDER BY Employee.EmployeeId"
        );
        let managers: Vec<i64> = s
            .query_as(Employee::ID)
            .filter(Employee::reports.exists())
            .order_by(Employee::ID)
            .all()?;
        assert_eq!(managers, [1, 2, 6]);
        let top: Vec<String> = s
            .query_as(Employee::LAST_NAME)
            .filter(!Employee::manager.exists())
            .all()?;
        assert_eq!(top, ["Adams"]);
        // A subquery in the condition isn't adapted: an error naming the relationship.
        let r = s
            .query::<Employee>()
            .filter(Employee::reports.any(Employee::reports.exists()))
            .all();
        match r {
            Err(Error::InvalidRequest(m)) => assert_eq!(
                m,
                "Employee.reports: a subquery, window or `*` in the condition of a \
                 self-referential relationship's any()/has() isn't supported: write the EXISTS \
                 with an alias"
            ),
            other => panic!("{other:?}"),
        }
        Ok(())
    });
}

#[test]
fn a_self_referential_join_needs_an_alias() {
    on_chinook(|engine| {
        let mut s = Session::new(engine);
        let (r, stmts) = statements(|| s.query::<Employee>().join(Employee::manager).all());
        let want = "can't join Employee.manager: Employee.manager is self-referential (the parent \
                    and the target are the same table), so the target needs an alias: write it \
                    with join_on(Table::alias(..), condition)";
        match r {
            Err(Error::InvalidRequest(m)) => assert_eq!(m, want),
            other => panic!("{other:?}"),
        }
        assert!(stmts.is_empty(), "nothing sent: {stmts:?}");
        // What the message says to write: employees and their managers' names.
        let manager = Employee::table().alias("manager");
        let pairs: Vec<(String, String)> = s
            .query_as((Employee::LAST_NAME, manager.c("LastName")))
            .join_on(&manager, manager.c("EmployeeId").eq(Employee::REPORTS_TO))
            .filter(manager.c("LastName").eq("Mitchell"))
            .order_by(Employee::ID)
            .all()?;
        let want: Vec<(String, String)> = [("King", "Mitchell"), ("Callahan", "Mitchell")]
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        assert_eq!(pairs, want);
        Ok(())
    });
}

// Two foreign keys from the loan to the person: a relationship without `fk` can't tell them
// apart.
#[derive(Debug, Clone, PartialEq, Default, Model)]
#[athanor(table = "amb_person")]
struct Person {
    #[athanor(primary_key)]
    id: i64,
    #[athanor(sql_type = Type::String(Some(20)))]
    name: String,
}

#[derive(Debug, Clone, PartialEq, Default, Model)]
#[athanor(table = "amb_loan")]
struct Loan {
    #[athanor(primary_key)]
    id: i64,
    #[athanor(foreign_key = "amb_person.id")]
    lender_id: i64,
    #[athanor(foreign_key = "amb_person.id")]
    borrower_id: i64,
    lender: Related<Person>,
    #[athanor(fk = "borrower_id")]
    borrower: Related<Person>,
}

const AMBIGUOUS: &str = "can't determine join between 'Loan.lender (amb_loan)' and 'amb_person'; \
    tables have more than one foreign key constraint relationship between them; name the \
    foreign key's column(s) with fk = \"...\" on the relationship (one of: lender_id | borrower_id)";

fn ambiguous<T: std::fmt::Debug>(r: Result<T>) {
    match r {
        Err(e @ Error::AmbiguousForeignKeys { .. }) => assert_eq!(e.to_string(), AMBIGUOUS),
        other => panic!("expected AmbiguousForeignKeys, got {other:?}"),
    }
}

#[test]
fn ambiguous_foreign_keys_without_fk() {
    on_each(|engine: &Engine| {
        let md = MetaData::new();
        md.add_table(Person::table())?;
        md.add_table(Loan::table())?;
        quiet(|| md.create_all(engine))?;
        let mut s = Session::new(engine);
        let people = Person::table();
        for (id, name) in [(1, "Ann"), (2, "Bob")] {
            s.execute(&people.insert().values(row! { "id" => id, "name" => name }))?;
        }
        s.execute(
            &Loan::table()
                .insert()
                .values(row! { "id" => 1, "lender_id" => 1, "borrower_id" => 2 }),
        )?;
        s.commit()?;

        let loan = s.get::<Loan>(1)?.ok_or(Error::NoResultFound)?;
        ambiguous(s.load(loan, Loan::lender));
        ambiguous(s.query::<Loan>().join(Loan::lender).all());
        ambiguous(
            s.query::<Loan>()
                .filter(Loan::lender.has(Person::NAME.eq("Ann")))
                .all(),
        );
        ambiguous(
            s.query::<Person>()
                .join(Loan::lender)
                .statement()
                .compile(&athanor::dialect::Sqlite),
        );

        // With `fk`, the same tables work.
        let bob = s.load(loan, Loan::borrower)?.ok_or(Error::NoResultFound)?;
        assert_eq!(s.read(bob)?.name, "Bob");
        let borrowers: Vec<String> = s.query_as(Person::NAME).join(Loan::borrower).all()?;
        assert_eq!(borrowers, ["Bob"]);
        let lent_to_bob = s
            .query::<Loan>()
            .filter(Loan::borrower.has(Person::NAME.eq("Bob")))
            .count()?;
        assert_eq!(lent_to_bob, 1);
        Ok(())
    });
}
