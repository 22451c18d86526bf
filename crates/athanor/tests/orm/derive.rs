//! `#[derive(Model)]` at run time: the table it builds (names, types from Rust types and
//! `sql_type`, nullability from `Option`, keys, defaults, `skip`, `schema`), exact DDL per
//! dialect, generated keys, client and server defaults through a session, `FromRow` without a
//! session, `Attr` constants in Core statements, and model tables in a `MetaData`. Each
//! database test runs on SQLite, PostgreSQL and MariaDB, on tables of its own.

use athanor::dialect::{Dialect, MySql, Postgres, Sqlite};
use athanor::prelude::*;
use athanor::{Connection, Engine, Result};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use rust_decimal::Decimal;

use super::models::{Album, Artist};
use super::support::{self, capture, on_chinook, on_each, statements};

/// Every mapped Rust type, each with the SQL type it gives, and `sql_type` overrides.
#[derive(Debug, Clone, PartialEq, Model)]
#[athanor(table = "kinds")]
struct Kinds {
    #[athanor(primary_key)]
    id: i64,
    a_i32: i32,
    a_i16: i16,
    a_f64: f64,
    a_f32: f32,
    a_bool: bool,
    a_string: String,
    a_bytes: Vec<u8>,
    a_decimal: Decimal,
    a_date: NaiveDate,
    a_datetime: NaiveDateTime,
    a_time: NaiveTime,
    a_uuid: uuid::Uuid,
    a_json: serde_json::Value,
    maybe: Option<i64>,
    #[athanor(sql_type = Type::BigInteger)]
    big: i64,
    #[athanor(sql_type = Type::Unicode(Some(160)))]
    title: Option<String>,
    #[athanor(sql_type = Type::Numeric(Some(10), Some(2)))]
    price: Decimal,
    #[athanor(sql_type = Type::Text)]
    body: String,
}

/// A generated key (the default for a single integer key), a renamed column, a client-side
/// default, a server-side default, and a field the table doesn't have.
#[derive(Debug, Clone, PartialEq, Default, Model)]
#[athanor(table = "dv_author")]
struct Author {
    #[athanor(primary_key, column = "author_id")]
    id: i64,
    #[athanor(column = "full_name", sql_type = Type::String(Some(80)))]
    name: String,
    #[athanor(sql_type = Type::String(Some(20)), default = "active")]
    status: Option<String>,
    #[athanor(server_default = "7")]
    rank: Option<i64>,
    #[athanor(skip)]
    notes: Vec<String>,
}

/// A string key, and a foreign key to `dv_author`.
#[derive(Debug, Clone, PartialEq, Default, Model)]
#[athanor(table = "dv_book")]
struct Book {
    #[athanor(primary_key, sql_type = Type::String(Some(20)))]
    code: String,
    #[athanor(foreign_key = "dv_author.author_id")]
    author_id: i64,
    #[athanor(sql_type = Type::String(Some(100)))]
    title: String,
}

/// A composite key, one of whose columns refers to `dv_book`.
#[derive(Debug, Clone, PartialEq, Default, Model)]
#[athanor(table = "dv_chapter")]
struct Chapter {
    #[athanor(
        primary_key,
        sql_type = Type::String(Some(20)),
        foreign_key = "dv_book.code"
    )]
    book_code: String,
    #[athanor(primary_key)]
    number: i32,
    #[athanor(sql_type = Type::String(Some(100)))]
    title: Option<String>,
}

/// An integer key the database does not generate.
#[derive(Debug, Clone, PartialEq, Default, Model)]
#[athanor(table = "dv_tag")]
struct Tag {
    #[athanor(primary_key, autoincrement = false)]
    id: i64,
    #[athanor(sql_type = Type::String(Some(20)))]
    label: String,
}

/// An explicitly autoincrementing `Option` key.
#[derive(Debug, Clone, PartialEq, Default, Model)]
#[athanor(table = "dv_event")]
struct Event {
    #[athanor(primary_key, autoincrement)]
    id: Option<i64>,
    #[athanor(sql_type = Type::String(Some(40)))]
    what: String,
}

/// Client-side defaults only (a string and a number): nothing to expire after an INSERT.
#[derive(Debug, Clone, PartialEq, Default, Model)]
#[athanor(table = "dv_note")]
struct Note {
    #[athanor(primary_key)]
    id: i64,
    #[athanor(sql_type = Type::String(Some(20)), default = "draft")]
    state: Option<String>,
    #[athanor(default = 3)]
    level: Option<i32>,
}

fn ddl(table: &Table, dialect: &dyn Dialect) -> Result<String> {
    Ok(Ddl::CreateTable(table.clone())
        .compile(dialect)?
        .sql()
        .to_string())
}

fn names(table: &Table) -> Vec<&str> {
    table.columns().iter().map(|c| c.name()).collect()
}

#[test]
fn table_names_columns_and_keys() {
    let t = Author::table();
    assert_eq!(t.name(), "dv_author");
    assert_eq!(t.schema(), None);
    // The `skip`ped field has no column; `column` renames; the field name is the default.
    assert_eq!(names(t), ["author_id", "full_name", "status", "rank"]);
    assert_eq!(Author::FIELDS, ["id", "name", "status", "rank"]);
    assert_eq!(Author::PRIMARY_KEY, [0]);
    assert_eq!(Author::DEFAULTED, [2, 3]);
    assert_eq!(<Author as Model>::NAME, "Author");
    // A field called `name` gives the constant `Author::NAME`, which shadows `Model::NAME`.
    assert_eq!(
        (Author::NAME.name(), Author::NAME.index()),
        ("full_name", 1)
    );
    assert_eq!((Author::ID.name(), Author::RANK.index()), ("author_id", 3));

    // Nullability comes from `Option`; key columns are NOT NULL.
    let nullable: Vec<bool> = t.columns().iter().map(|c| c.nullable).collect();
    assert_eq!(nullable, [false, false, true, true]);
    let nullable: Vec<bool> = Chapter::table()
        .columns()
        .iter()
        .map(|c| c.nullable)
        .collect();
    assert_eq!(nullable, [false, false, true]);

    // Defaults: the client's is a value, the server's is SQL text.
    assert_eq!(t.columns()[2].default, Some(Value::Text("active".into())));
    assert_eq!(t.columns()[2].server_default, None);
    assert_eq!(t.columns()[3].default, None);
    assert!(t.columns()[3].server_default.is_some());

    // Keys: a single key is the field's type; a composite key a tuple in key order.
    let chapter = Chapter {
        book_code: "B1".into(),
        number: 2,
        title: None,
    };
    let key: <Chapter as Model>::Key = ("B1".to_string(), 2);
    assert_eq!(chapter.key(), Some(key.clone()));
    assert_eq!(Chapter::PRIMARY_KEY, [0, 1]);
    assert_eq!(
        Chapter::key_values(&key),
        [Value::Text("B1".into()), Value::Int(2)]
    );
    assert_eq!(Chapter::describe_key(&key), "Chapter('B1', 2)");
    let book = Book {
        code: "B1".into(),
        ..Book::default()
    };
    assert_eq!(book.key(), Some("B1".to_string()));

    // The key the database generates: unset (0 / None) means "no identity yet".
    assert_eq!(Author::autoincrement_index(), Some(0));
    assert_eq!(Author::default().key(), None);
    assert_eq!(Event::autoincrement_index(), Some(0));
    assert_eq!(Event::default().key(), None);
    assert_eq!(
        Event {
            id: Some(4),
            what: String::new()
        }
        .key(),
        Some(4)
    );
    assert_eq!(Book::autoincrement_index(), None);
    assert_eq!(Chapter::autoincrement_index(), None);
    // `autoincrement = false`: 0 is a key like any other.
    assert_eq!(Tag::autoincrement_index(), None);
    assert_eq!(Tag::default().key(), Some(0));
}

#[test]
fn ddl_of_rust_types_and_overrides_per_dialect() -> Result<()> {
    assert_eq!(
        ddl(Kinds::table(), &Sqlite)?,
        "CREATE TABLE kinds (id INTEGER NOT NULL, a_i32 INTEGER NOT NULL, a_i16 SMALLINT NOT NULL, \
         a_f64 FLOAT NOT NULL, a_f32 FLOAT NOT NULL, a_bool BOOLEAN NOT NULL, a_string VARCHAR NOT NULL, \
         a_bytes BLOB NOT NULL, a_decimal NUMERIC NOT NULL, a_date DATE NOT NULL, a_datetime DATETIME NOT NULL, \
         a_time TIME NOT NULL, a_uuid CHAR(32) NOT NULL, a_json JSON NOT NULL, maybe INTEGER, \
         big BIGINT NOT NULL, title NVARCHAR(160), price NUMERIC(10, 2) NOT NULL, body TEXT NOT NULL, \
         PRIMARY KEY (id))"
    );
    assert_eq!(
        ddl(Kinds::table(), &Postgres)?,
        "CREATE TABLE kinds (id SERIAL NOT NULL, a_i32 INTEGER NOT NULL, a_i16 SMALLINT NOT NULL, \
         a_f64 FLOAT NOT NULL, a_f32 FLOAT NOT NULL, a_bool BOOLEAN NOT NULL, a_string VARCHAR NOT NULL, \
         a_bytes BYTEA NOT NULL, a_decimal NUMERIC NOT NULL, a_date DATE NOT NULL, \
         a_datetime TIMESTAMP WITHOUT TIME ZONE NOT NULL, a_time TIME WITHOUT TIME ZONE NOT NULL, \
         a_uuid UUID NOT NULL, a_json JSONB NOT NULL, maybe INTEGER, big BIGINT NOT NULL, \
         title VARCHAR(160), price NUMERIC(10, 2) NOT NULL, body TEXT NOT NULL, PRIMARY KEY (id))"
    );
    // MySQL's VARCHAR needs a length: a `String` field without `sql_type` can't be created
    // there (SQLAlchemy's error too).
    match ddl(Kinds::table(), &MySql) {
        Err(Error::Compile(e)) => assert_eq!(
            e.to_string(),
            "can't compile statement: VARCHAR requires a length on dialect mysql: use Type::String(Some(n)) or Type::Text"
        ),
        other => panic!("expected a compile error, got {other:?}"),
    }

    let expected: [(&Table, [&str; 3]); 5] = [
        (
            Author::table(),
            [
                "CREATE TABLE dv_author (author_id INTEGER NOT NULL, full_name VARCHAR(80) NOT NULL, status VARCHAR(20), rank INTEGER DEFAULT 7, PRIMARY KEY (author_id))",
                "CREATE TABLE dv_author (author_id SERIAL NOT NULL, full_name VARCHAR(80) NOT NULL, status VARCHAR(20), rank INTEGER DEFAULT 7, PRIMARY KEY (author_id))",
                "CREATE TABLE dv_author (author_id INTEGER NOT NULL AUTO_INCREMENT, full_name VARCHAR(80) NOT NULL, status VARCHAR(20), `rank` INTEGER DEFAULT 7, PRIMARY KEY (author_id))",
            ],
        ),
        (
            Book::table(),
            [
                "CREATE TABLE dv_book (code VARCHAR(20) NOT NULL, author_id INTEGER NOT NULL, title VARCHAR(100) NOT NULL, PRIMARY KEY (code), FOREIGN KEY(author_id) REFERENCES dv_author (author_id))",
                "CREATE TABLE dv_book (code VARCHAR(20) NOT NULL, author_id INTEGER NOT NULL, title VARCHAR(100) NOT NULL, PRIMARY KEY (code), FOREIGN KEY(author_id) REFERENCES dv_author (author_id))",
                "CREATE TABLE dv_book (code VARCHAR(20) NOT NULL, author_id INTEGER NOT NULL, title VARCHAR(100) NOT NULL, PRIMARY KEY (code), FOREIGN KEY(author_id) REFERENCES dv_author (author_id))",
            ],
        ),
        (
            Chapter::table(),
            [
                "CREATE TABLE dv_chapter (book_code VARCHAR(20) NOT NULL, number INTEGER NOT NULL, title VARCHAR(100), PRIMARY KEY (book_code, number), FOREIGN KEY(book_code) REFERENCES dv_book (code))",
                "CREATE TABLE dv_chapter (book_code VARCHAR(20) NOT NULL, number INTEGER NOT NULL, title VARCHAR(100), PRIMARY KEY (book_code, number), FOREIGN KEY(book_code) REFERENCES dv_book (code))",
                "CREATE TABLE dv_chapter (book_code VARCHAR(20) NOT NULL, number INTEGER NOT NULL, title VARCHAR(100), PRIMARY KEY (book_code, number), FOREIGN KEY(book_code) REFERENCES dv_book (code))",
            ],
        ),
        (
            Tag::table(),
            [
                "CREATE TABLE dv_tag (id INTEGER NOT NULL, label VARCHAR(20) NOT NULL, PRIMARY KEY (id))",
                "CREATE TABLE dv_tag (id INTEGER NOT NULL, label VARCHAR(20) NOT NULL, PRIMARY KEY (id))",
                "CREATE TABLE dv_tag (id INTEGER NOT NULL, label VARCHAR(20) NOT NULL, PRIMARY KEY (id))",
            ],
        ),
        (
            Event::table(),
            [
                "CREATE TABLE dv_event (id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, what VARCHAR(40) NOT NULL)",
                "CREATE TABLE dv_event (id SERIAL NOT NULL, what VARCHAR(40) NOT NULL, PRIMARY KEY (id))",
                "CREATE TABLE dv_event (id INTEGER NOT NULL AUTO_INCREMENT, what VARCHAR(40) NOT NULL, PRIMARY KEY (id))",
            ],
        ),
    ];
    let dialects: [&dyn Dialect; 3] = [&Sqlite, &Postgres, &MySql];
    for (table, sql) in expected {
        for (d, want) in dialects.iter().zip(sql) {
            assert_eq!(ddl(table, *d)?, want, "{} on {}", table.name(), d.name());
        }
    }
    Ok(())
}

/// The test's tables, created through a `MetaData` (children added first: `create_all`
/// orders them).
fn create(engine: &Engine, tables: &[&Table]) -> Result<MetaData> {
    let md = MetaData::new();
    for t in tables {
        md.add_table(t)?;
    }
    support::quiet(|| md.create_all(engine))?;
    Ok(md)
}

fn author(name: &str) -> Author {
    Author {
        name: name.into(),
        ..Author::default()
    }
}

#[test]
fn generated_keys_are_written_back_into_the_objects() {
    on_each(|engine| {
        create(engine, &[Author::table(), Event::table(), Tag::table()])?;
        let mut s = Session::new(engine);
        let hs = s.add_all([author("Ann"), author("Bob"), author("Cy")])?;
        let ev = s.add(Event {
            id: None,
            what: "launch".into(),
        })?;
        // `autoincrement = false`: 0 is the key given, not a request for one.
        let zero = s.add(Tag {
            id: 0,
            label: "zero".into(),
        })?;
        let (r, stmts) = statements(|| s.flush());
        r?;
        let ids: Vec<i64> = hs
            .iter()
            .map(|&h| Ok(s.read(h)?.id))
            .collect::<Result<_>>()?;
        assert_eq!(ids, [1, 2, 3]);
        assert_eq!(s.read(ev)?.id, Some(1));
        assert_eq!(s.read(zero)?.id, 0);
        // The generated key is the object's identity now.
        assert_eq!(s.get::<Author>(2)?, Some(hs[1]));
        assert_eq!(s.get::<Event>(1)?, Some(ev));
        // The authors in one batch whose generated keys are read back, the event, the tag
        // with its key given: no key column in the authors' and the event's INSERTs.
        let shapes = support::shapes(&stmts);
        assert_eq!(
            shapes,
            ["INSERT dv_author", "INSERT dv_event", "INSERT dv_tag"],
            "{stmts:#?}"
        );
        assert!(
            stmts[0].starts_with("INSERT INTO dv_author (full_name, status) VALUES"),
            "{}",
            stmts[0]
        );
        assert!(
            stmts[1].starts_with("INSERT INTO dv_event (what) VALUES"),
            "{}",
            stmts[1]
        );
        assert!(
            stmts[2].starts_with("INSERT INTO dv_tag (id, label) VALUES"),
            "{}",
            stmts[2]
        );
        s.commit()?;

        let mut conn = engine.connect()?;
        let rows: Vec<(i64, String)> =
            conn.tuples(&select((Author::ID, Author::NAME)).order_by(Author::ID))?;
        assert_eq!(
            rows,
            [(1, "Ann".into()), (2, "Bob".into()), (3, "Cy".into())]
        );
        let tags: Vec<(i64, String)> = conn.tuples(&select((Tag::ID, Tag::LABEL)))?;
        assert_eq!(tags, [(0, "zero".into())]);
        Ok(())
    });
}

#[test]
fn client_and_server_defaults() {
    on_each(|engine| {
        create(engine, &[Author::table(), Note::table()])?;
        let mut s = Session::new(engine);

        // Client defaults go into the INSERT and into the object: read back without a query.
        let note = s.add(Note::default())?;
        let given = s.add(Note {
            state: Some("final".into()),
            level: Some(9),
            ..Note::default()
        })?;
        s.flush()?;
        let (read, none) =
            statements(|| -> Result<_> { Ok((s.read(note)?.clone(), s.read(given)?.clone())) });
        let (note, given) = read?;
        assert!(none.is_empty(), "{none:#?}");
        assert_eq!(
            (note.state, note.level, given.state, given.level),
            (Some("draft".into()), Some(3), Some("final".into()), Some(9))
        );

        let plain = s.add(author("Ann"))?;
        let given = s.add(Author {
            name: "Bob".into(),
            status: Some("retired".into()),
            rank: Some(3),
            ..Author::default()
        })?;
        let (r, stmts) = statements(|| s.flush());
        r?;
        // Ann's INSERT carries the client default and leaves `rank` to the server; Bob's gives
        // both.
        assert_eq!(stmts.len(), 2, "{stmts:#?}");
        assert!(
            stmts[0].contains("status") && !stmts[0].contains("rank"),
            "{}",
            stmts[0]
        );
        assert!(stmts[1].contains("rank"), "{}", stmts[1]);

        // The object was expired (the server chose `rank`): reading it loads it once, with the
        // server's value and the client default. (SQLAlchemy 2 expires only the server-default
        // attributes, or fetches them with RETURNING where the database has it; Athanor
        // expires the object, and one SELECT loads every expired object of the type.)
        let (ann, loaded) = statements(|| s.read(plain).map(|a| (a.status.clone(), a.rank)));
        assert_eq!(ann?, (Some("active".to_string()), Some(7)));
        assert_eq!(support::shapes(&loaded), ["SELECT dv_author"]);
        // Bob gave every column: nothing to load.
        let (bob, none) = statements(|| s.read(given).map(|a| (a.status.clone(), a.rank)));
        assert_eq!(bob?, (Some("retired".to_string()), Some(3)));
        assert!(none.is_empty(), "{none:#?}");
        s.commit()?;

        let rows: Vec<(String, Option<String>, Option<i64>)> = engine
            .connect()?
            .tuples(&select((Author::NAME, Author::STATUS, Author::RANK)).order_by(Author::ID))?;
        assert_eq!(
            rows,
            [
                ("Ann".into(), Some("active".into()), Some(7)),
                ("Bob".into(), Some("retired".into()), Some(3)),
            ]
        );
        Ok(())
    });
}

#[test]
fn skipped_fields_get_their_default_and_are_left_alone_by_refresh() {
    on_each(|engine| {
        create(engine, &[Author::table()])?;
        let mut s = Session::new(engine);
        let h = s.add(Author {
            notes: vec!["kept in memory".into()],
            ..author("Ann")
        })?;
        s.commit()?;
        // Commit expired the object; loading it again doesn't touch the skipped field.
        assert_eq!(s.read(h)?.name, "Ann");
        assert_eq!(s.read(h)?.notes, ["kept in memory"]);
        s.connection()?.execute(
            &update(Author::table())
                .values(row! { "full_name" => "Anne" })
                .filter(Author::ID.eq(1)),
        )?;
        s.refresh(h)?;
        let a = s.read(h)?;
        assert_eq!(
            (a.name.as_str(), a.notes.clone()),
            ("Anne", vec!["kept in memory".to_string()])
        );
        s.commit()?;

        // Loaded in another session, the skipped field is its `Default`.
        let mut other = Session::new(engine);
        let h2 = other.get::<Author>(1)?.ok_or(Error::NoResultFound)?;
        assert_eq!(
            other.read(h2)?,
            &Author {
                id: 1,
                name: "Anne".into(),
                status: Some("active".into()),
                rank: Some(7),
                notes: vec![],
            }
        );
        Ok(())
    });
}

#[test]
fn composite_keys() {
    on_each(|engine| {
        create(engine, &[Chapter::table(), Book::table(), Author::table()])?;
        let mut s = Session::new(engine);
        let a = s.add(author("Ann"))?;
        s.flush()?;
        let author_id = s.read(a)?.id;
        s.add(Book {
            code: "B1".into(),
            author_id,
            title: "First".into(),
        })?;
        s.add_all((1..=3).map(|n| Chapter {
            book_code: "B1".into(),
            number: n,
            title: Some(format!("Chapter {n}")),
        }))?;
        s.commit()?;

        let mut s = Session::new(engine);
        let (h, stmts) = statements(|| s.get::<Chapter>(("B1".into(), 2)));
        let h = h?.ok_or(Error::NoResultFound)?;
        assert_eq!(stmts.len(), 1);
        assert_eq!(
            s.read(h)?,
            &Chapter {
                book_code: "B1".into(),
                number: 2,
                title: Some("Chapter 2".into())
            }
        );
        assert_eq!(s.read(h)?.key(), Some(("B1".to_string(), 2)));
        // The identity map answers a second `get` of the same key.
        let (again, stmts) = statements(|| s.get::<Chapter>(("B1".into(), 2)));
        assert_eq!((again?, stmts.len()), (Some(h), 0));
        assert_eq!(s.get::<Chapter>(("B1".into(), 9))?, None);
        assert_eq!(s.get::<Chapter>(("B2".into(), 2))?, None);

        // An UPDATE and a DELETE match both key columns.
        s.edit(h)?.title = None;
        let gone = s
            .get::<Chapter>(("B1".into(), 3))?
            .ok_or(Error::NoResultFound)?;
        s.delete(gone)?;
        s.commit()?;
        let rows: Vec<(i32, Option<String>)> = engine
            .connect()?
            .tuples(&select((Chapter::NUMBER, Chapter::TITLE)).order_by(Chapter::NUMBER))?;
        assert_eq!(rows, [(1, Some("Chapter 1".into())), (2, None)]);
        Ok(())
    });
}

#[test]
fn from_row_without_a_session() {
    on_each(|engine| {
        create(engine, &[Author::table()])?;
        let mut conn = engine.connect()?;
        conn.execute(&insert(Author::table()).values(row! {
            "author_id" => 1, "full_name" => "Ann", "status" => "active", "rank" => 2
        }))?;
        conn.execute(&insert(Author::table()).values(row! {
            "author_id" => 2, "full_name" => "Bob", "status" => Value::Null, "rank" => Value::Null
        }))?;
        let ann = Author {
            id: 1,
            name: "Ann".into(),
            status: Some("active".into()),
            rank: Some(2),
            notes: vec![],
        };
        let bob = Author {
            id: 2,
            name: "Bob".into(),
            status: None,
            rank: None,
            notes: vec![],
        };
        let stmt = select(Author::table()).order_by(Author::ID);
        // Straight into the structs (the values moved out of the row buffer) ...
        assert_eq!(conn.tuples::<Author, _>(&stmt)?, [ann.clone(), bob.clone()]);
        // ... or from a `Row`.
        let rows = conn.execute(&stmt)?.all()?;
        assert_eq!(rows[1].to::<Author>()?, bob);
        // With other columns after the model's: the model's come first.
        let wider = select((Author::table(), Author::NAME.label("again"))).order_by(Author::ID);
        let pairs: Vec<(Author, String)> = conn
            .execute(&wider)?
            .all()?
            .iter()
            .map(|r| Ok((r.to::<Author>()?, r.get::<String, _>("again")?)))
            .collect::<Result<_>>()?;
        assert_eq!(pairs, [(ann, "Ann".into()), (bob, "Bob".into())]);
        // A model is read by position: its columns must come first, by name and in order.
        // Two string columns swapped would otherwise land in each other's fields.
        let swapped = select((Author::ID, Author::STATUS, Author::NAME, Author::RANK));
        let refused = "a Author is read from its columns (author_id, full_name, status, rank) in order, at position 0 of the result, which has (author_id, status, full_name, rank): select the model's table (select(Author::table())) there";
        match conn.tuples::<Author, _>(&swapped) {
            Err(Error::InvalidRequest(m)) => assert_eq!(m, refused),
            other => panic!("expected InvalidRequest, got {other:?}"),
        }
        match conn.execute(&swapped)?.tuples::<Author>() {
            Err(Error::InvalidRequest(m)) => assert_eq!(m, refused),
            other => panic!("expected InvalidRequest, got {other:?}"),
        }
        match conn.execute(&swapped)?.all()?[0].to::<Author>() {
            Err(Error::InvalidRequest(m)) => assert_eq!(m, refused),
            other => panic!("expected InvalidRequest, got {other:?}"),
        }
        // Checked once per result, the second run of a statement too (its shape is cached).
        for _ in 0..2 {
            assert!(matches!(
                conn.tuples::<Author, _>(&swapped),
                Err(Error::InvalidRequest(_))
            ));
        }
        // A row too narrow for the model: the same error, not a panic.
        let narrow = conn.execute(&select((Author::ID, Author::NAME)))?.all()?;
        match narrow[0].to::<Author>() {
            Err(Error::InvalidRequest(m)) => assert!(
                m.ends_with("which has (author_id, full_name): select the model's table (select(Author::table())) there"),
                "{m}"
            ),
            other => panic!("expected InvalidRequest, got {other:?}"),
        }
        // A text statement naming the columns is read like the table.
        let from_text: Vec<Author> =
            conn.tuples(&text("SELECT * FROM dv_author ORDER BY author_id"))?;
        assert_eq!(from_text.len(), 2);
        // A NULL in a non-`Option` field is a conversion error naming the column.
        let null_name = select((
            Author::ID,
            null().label("full_name"),
            Author::STATUS,
            Author::RANK,
        ));
        match conn.tuples::<Author, _>(&null_name) {
            Err(Error::Conversion(e)) => {
                assert!(e.to_string().contains("full_name"), "{e}");
            }
            other => panic!("expected a conversion error, got {other:?}"),
        }
        Ok(())
    });
}

#[test]
fn attr_constants_in_core_statements_with_core_tables() {
    on_chinook(|engine| {
        let md = MetaData::new();
        let artists = Table::autoload("Artist", &md, engine)?;
        let mut conn = engine.connect()?;
        // A model's constants beside a reflected table's columns: the join's ON is inferred
        // from the model's foreign key (Album.ArtistId -> Artist.ArtistId), both ways round.
        let count = func::count(Album::ID).label("albums");
        let top: Vec<(String, i64)> = conn.tuples(
            &select((artists.c("Name"), count.clone()))
                .select_from(artists.join(Album::table()))
                .group_by(artists.c("Name"))
                .order_by((desc("albums"), artists.c("Name").asc()))
                .limit(4),
        )?;
        let expected: Vec<(String, i64)> = vec![
            ("Iron Maiden".into(), 21),
            ("Led Zeppelin".into(), 14),
            ("Deep Purple".into(), 11),
            ("Metallica".into(), 10),
        ];
        assert_eq!(top, expected);
        let top: Vec<(String, i64)> = conn.tuples(
            &select((artists.c("Name"), count))
                .select_from(Album::table().join(&artists))
                .group_by(artists.c("Name"))
                .order_by((desc("albums"), artists.c("Name").asc()))
                .limit(4),
        )?;
        assert_eq!(top, expected);

        // filter / order_by / group_by / having with the constants alone.
        let titles: Vec<(String,)> = conn.tuples(
            &select(Album::TITLE)
                .filter(Album::ARTIST_ID.eq(1))
                .order_by(Album::TITLE),
        )?;
        assert_eq!(
            titles,
            [
                ("For Those About To Rock We Salute You".to_string(),),
                ("Let There Be Rock".to_string(),)
            ]
        );
        let many: Vec<(i64, i64)> = conn.tuples(
            &select((Album::ARTIST_ID, func::count(Album::ID)))
                .group_by(Album::ARTIST_ID)
                .having(func::count(Album::ID).ge(10))
                .order_by(Album::ARTIST_ID),
        )?;
        assert_eq!(many, [(22, 14), (50, 10), (58, 11), (90, 21), (150, 10)]);
        // Two models joined by their constants, with an explicit ON.
        let names: Vec<(String, String)> = conn.tuples(
            &select((Artist::NAME, Album::TITLE))
                .select_from(
                    Artist::table().join_on(Album::table(), Album::ARTIST_ID.eq(Artist::ID)),
                )
                .filter(Album::TITLE.like("Let There%"))
                .order_by(Album::TITLE),
        )?;
        assert_eq!(
            names,
            [("AC/DC".to_string(), "Let There Be Rock".to_string())]
        );
        Ok(())
    });
}

#[test]
fn model_tables_in_a_metadata_are_created_and_dropped_in_foreign_key_order() {
    on_each(|engine| {
        let md = MetaData::new();
        // Added children first.
        for t in [Chapter::table(), Book::table(), Author::table()] {
            md.add_table(t)?;
        }
        let sorted: Vec<String> = md
            .sorted_tables()?
            .iter()
            .map(|t| t.name().to_string())
            .collect();
        assert_eq!(sorted, ["dv_author", "dv_book", "dv_chapter"]);

        let (r, log) = capture(|| md.create_all(engine));
        r?;
        let created: Vec<&str> = log
            .lines()
            .map(str::trim)
            .filter_map(|l| l.strip_prefix("CREATE TABLE "))
            .filter_map(|l| l.split_whitespace().next())
            .collect();
        assert_eq!(created, ["dv_author", "dv_book", "dv_chapter"], "{log}");
        let mut present = engine.inspect().get_table_names(None)?;
        present.sort();
        assert_eq!(present, ["dv_author", "dv_book", "dv_chapter"]);

        // The tables work: a chapter needs its book, which needs its author.
        let mut s = Session::new(engine);
        let a = s.add(author("Ann"))?;
        s.flush()?;
        let author_id = s.read(a)?.id;
        s.add(Book {
            code: "B".into(),
            author_id,
            title: "T".into(),
        })?;
        s.add(Chapter {
            book_code: "B".into(),
            number: 1,
            title: None,
        })?;
        s.commit()?;
        s.close();

        let (r, log) = capture(|| md.drop_all(engine));
        r?;
        let dropped: Vec<&str> = log
            .lines()
            .map(str::trim)
            .filter_map(|l| l.strip_prefix("DROP TABLE "))
            .filter_map(|l| l.split_whitespace().next())
            .collect();
        assert_eq!(dropped, ["dv_chapter", "dv_book", "dv_author"], "{log}");
        assert!(engine.inspect().get_table_names(None)?.is_empty());
        Ok(())
    });
}

/// The schema of [`Archived`]: a model's schema is fixed at compile time, so unlike the rest
/// of the tests this one can't use a schema made for it. It takes a lock on the server (two
/// test runs at once would share the schema), and creates and drops the schema itself.
const ARCHIVE: &str = "athanor_derive_archive";

#[derive(Debug, Clone, PartialEq, Default, Model)]
#[athanor(table = "dv_archived", schema = "athanor_derive_archive")]
struct Archived {
    #[athanor(primary_key)]
    id: i64,
    #[athanor(sql_type = Type::String(Some(40)))]
    label: String,
}

/// Holds the server-wide lock on [`ARCHIVE`] and drops the schema when done.
struct ArchiveLock {
    conn: Connection,
    release: &'static [&'static str],
}

impl Drop for ArchiveLock {
    fn drop(&mut self) {
        for sql in self.release {
            let _ = self.conn.exec_driver_sql(sql);
        }
    }
}

fn schema_body(engine: &Engine) -> Result<()> {
    let md = create(engine, &[Archived::table()])?;
    assert_eq!(
        Archived::table().fullname(),
        "athanor_derive_archive.dv_archived"
    );
    let mut s = Session::new(engine);
    let (r, stmts) = statements(|| {
        s.add_all(["a", "b", "c"].map(|l| Archived {
            id: 0,
            label: l.into(),
        }))?;
        s.flush()
    });
    r?;
    assert!(
        stmts[0].starts_with("INSERT INTO athanor_derive_archive.dv_archived (label) VALUES"),
        "{stmts:#?}"
    );
    let b = s
        .query::<Archived>()
        .filter(Archived::LABEL.eq("b"))
        .one()?;
    assert_eq!(s.read(b)?.id, 2);
    s.edit(b)?.label = "B".into();
    let c = s.get::<Archived>(3)?.ok_or(Error::NoResultFound)?;
    s.delete(c)?;
    s.commit()?;
    s.close();
    let rows: Vec<(i64, String)> = engine
        .connect()?
        .tuples(&select((Archived::ID, Archived::LABEL)).order_by(Archived::ID))?;
    assert_eq!(rows, [(1, "a".into()), (2, "B".into())]);
    // Reflection finds it in its schema, not in the default one.
    let insp = engine.inspect();
    assert_eq!(insp.get_table_names(Some(ARCHIVE))?, ["dv_archived"]);
    assert!(
        !insp
            .get_table_names(None)?
            .contains(&"dv_archived".to_string())
    );
    // The mapping check looks in the model's schema.
    let registry = athanor::orm::Registry::new().model::<Archived>();
    registry.check(engine)?;
    support::quiet(|| md.drop_all(engine))?;
    let gone: Vec<String> = registry
        .mismatches(engine)?
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        gone,
        ["Archived: table \"athanor_derive_archive.dv_archived\" does not exist"]
    );
    Ok(())
}

fn echoing(url: &str) -> Result<Engine> {
    create_engine_with(url, support::recorded())
}

#[test]
fn schema_qualified_model() -> Result<()> {
    // SQLite: a schema is an attached database, attached to each connection; one connection.
    let sqlite = create_engine_with("sqlite://?pool_size=1&max_overflow=0", support::recorded())?;
    sqlite
        .connect()?
        .exec_driver_sql(&format!("ATTACH DATABASE ':memory:' AS {ARCHIVE}"))?;
    eprintln!("-- on sqlite");
    schema_body(&sqlite).map_err(|e| Error::InvalidRequest(format!("[sqlite] {e}")))?;

    if let Some(db) = support::servers::postgres("schema_qualified_model") {
        let engine = echoing(&db.url)?;
        let mut conn = db.engine.connect()?;
        conn.exec_driver_sql("SELECT pg_advisory_lock(7240314)")?;
        let mut lock = ArchiveLock {
            conn,
            release: &[
                "DROP SCHEMA IF EXISTS athanor_derive_archive CASCADE",
                "SELECT pg_advisory_unlock(7240314)",
            ],
        };
        lock.conn
            .exec_driver_sql(&format!("DROP SCHEMA IF EXISTS {ARCHIVE} CASCADE"))?;
        lock.conn
            .exec_driver_sql(&format!("CREATE SCHEMA {ARCHIVE}"))?;
        eprintln!("-- on postgresql");
        schema_body(&engine).map_err(|e| Error::InvalidRequest(format!("[postgresql] {e}")))?;
        engine.dispose();
    }
    if let Some(db) = support::servers::mysql("schema_qualified_model") {
        let engine = echoing(&db.url)?;
        let mut conn = db.engine.connect()?;
        let got: Vec<(Option<i64>,)> =
            conn.tuples(&text("SELECT GET_LOCK('athanor_derive_archive', 120)"))?;
        assert_eq!(got, [(Some(1),)], "the lock on {ARCHIVE}");
        let mut lock = ArchiveLock {
            conn,
            release: &[
                "DROP DATABASE IF EXISTS athanor_derive_archive",
                "SELECT RELEASE_LOCK('athanor_derive_archive')",
            ],
        };
        lock.conn
            .exec_driver_sql(&format!("DROP DATABASE IF EXISTS {ARCHIVE}"))?;
        lock.conn
            .exec_driver_sql(&format!("CREATE DATABASE {ARCHIVE} CHARACTER SET utf8mb4"))?;
        eprintln!("-- on mysql");
        schema_body(&engine).map_err(|e| Error::InvalidRequest(format!("[mysql] {e}")))?;
        engine.dispose();
    }
    Ok(())
}
