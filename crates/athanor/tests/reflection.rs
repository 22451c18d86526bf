//! Reflection on SQLite, PostgreSQL and MariaDB/MySQL: the Inspector's reports on Chinook and
//! on tables with defaults, unique/check constraints, composite foreign keys and views;
//! autoload and FK-inferred joins on reflected tables; unknown tables; temporary tables and
//! table options.
//!
//! Every body runs as three tests, `<body>::{sqlite,postgresql,mysql}`. Server tests read
//! `ATHANOR_TEST_POSTGRES` / `ATHANOR_TEST_MYSQL` and are skipped (saying so) when unset; each
//! works in its own schema (PostgreSQL) or database (MySQL), dropped at the end even when the
//! test fails (`shared/servers.rs`).

#[path = "shared/servers.rs"]
mod servers;

#[path = "reflection/types_by_dialect.rs"]
mod types_by_dialect;
use types_by_dialect::declared_types;

#[path = "reflection/temporary.rs"]
mod temporary;
use temporary::{table_options, temporary_tables};

use athanor::dialect::reflection::{
    ReflectedCheck, ReflectedForeignKey, ReflectedIndex, ReflectedPrimaryKey, ReflectedTable,
    ReflectedUnique,
};
use athanor::prelude::*;
use athanor::schema::{
    CheckConstraint, ForeignKeyConstraint, PrimaryKeyConstraint, ServerDefault, UniqueConstraint,
};
use athanor::{Engine, Error, Result};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Sqlite,
    Postgres,
    Mysql,
}

/// One test's database: an engine on in-memory SQLite, or on a private PostgreSQL schema /
/// MySQL database (dropped with the [`servers::ServerDb`]).
struct Db {
    kind: Kind,
    engine: Engine,
    server: Option<servers::ServerDb>,
}

/// The test's database, or `None` when the server's URL is not set (the skip is printed).
fn open(kind: Kind, test: &str) -> Option<Db> {
    let server = match kind {
        Kind::Sqlite => None,
        Kind::Postgres => Some(servers::postgres(test)?),
        Kind::Mysql => Some(servers::mysql(test)?),
    };
    let engine = match &server {
        Some(db) => db.engine.clone(),
        None => create_engine("sqlite://").expect("in-memory SQLite engine"),
    };
    Some(Db {
        kind,
        engine,
        server,
    })
}

/// One `#[test]` per dialect for a body `fn(&Db) -> Result<()>`, in a module named after it.
macro_rules! on_each_dialect {
    ($($body:ident),* $(,)?) => {$(
        mod $body {
            fn run(kind: super::Kind) {
                if let Some(db) = super::open(kind, stringify!($body)) {
                    if let Err(e) = super::$body(&db) {
                        panic!("[{kind:?}] {}: {e}", stringify!($body));
                    }
                }
            }
            #[test]
            fn sqlite() {
                run(super::Kind::Sqlite);
            }
            #[test]
            fn postgresql() {
                run(super::Kind::Postgres);
            }
            #[test]
            fn mysql() {
                run(super::Kind::Mysql);
            }
        }
    )*};
}

on_each_dialect!(
    chinook_inspected,
    defaults_unique_check_comments,
    composite_foreign_key_cascade,
    views,
    autoload_and_fk_join,
    unknown_table,
    has_multi_table_and_no_columns,
    declared_types,
    fk_options_and_index_keys,
    temporary_tables,
    table_options,
);

fn s(x: &str) -> String {
    x.to_string()
}

/// (name, declared type, nullable, autoincrement, position in the primary key) per column.
fn columns(t: &ReflectedTable) -> Vec<(String, String, bool, bool, usize)> {
    t.columns
        .iter()
        .map(|c| {
            (
                c.name.clone(),
                c.type_text(),
                c.nullable,
                c.autoincrement,
                c.primary_key,
            )
        })
        .collect()
}

fn index(name: &str, cols: &[&str], unique: bool) -> ReflectedIndex {
    let mut ix = reflected_index();
    ix.name = s(name);
    ix.column_names = cols.iter().map(|c| Some(s(c))).collect();
    ix.unique = unique;
    ix
}

/// Reflected structs are `#[non_exhaustive]`: expected values are made by editing reflected
/// ones. These helpers take a template from a tiny SQLite table.
fn template() -> ReflectedTable {
    let e = create_engine("sqlite://").expect("sqlite");
    let mut c = e.connect().expect("connect");
    for sql in [
        "CREATE TABLE p (a INTEGER, b INTEGER, CONSTRAINT pk PRIMARY KEY (a, b))",
        "CREATE TABLE t (a INTEGER, b INTEGER, CONSTRAINT u UNIQUE (a), CHECK (a > 0), \
         FOREIGN KEY (a, b) REFERENCES p (a, b))",
        "CREATE INDEX ix ON t (b)",
    ] {
        c.execute(&text(sql)).expect("template DDL");
    }
    drop(c);
    e.inspect().reflect_table("t", None).expect("template")
}
fn reflected_index() -> ReflectedIndex {
    template().indexes.remove(0)
}
fn fk(name: Option<&str>, cols: &[&str], table: &str, referred: &[&str]) -> ReflectedForeignKey {
    let mut f = template().foreign_keys.remove(0);
    f.name = name.map(s);
    f.constrained_columns = cols.iter().map(|c| s(c)).collect();
    f.referred_table = s(table);
    f.referred_columns = referred.iter().map(|c| s(c)).collect();
    f
}
fn pk(name: Option<&str>, cols: &[&str]) -> ReflectedPrimaryKey {
    let mut p = ReflectedPrimaryKey::default();
    p.name = name.map(s);
    p.constrained_columns = cols.iter().map(|c| s(c)).collect();
    p
}
fn unique(name: &str, cols: &[&str], duplicates_index: bool) -> ReflectedUnique {
    let mut u = template().unique_constraints.remove(0);
    u.name = Some(s(name));
    u.column_names = cols.iter().map(|c| s(c)).collect();
    u.duplicates_index = duplicates_index.then(|| s(name));
    u
}
fn check(name: Option<&str>, sqltext: &str) -> ReflectedCheck {
    let mut c = template().check_constraints.remove(0);
    c.name = name.map(s);
    c.sqltext = s(sqltext);
    c
}

/// The declared spellings of Chinook's generic types on each database.
fn spellings(kind: Kind) -> (&'static str, fn(u32) -> String, &'static str) {
    match kind {
        Kind::Sqlite => ("INTEGER", |n| format!("NVARCHAR({n})"), "NUMERIC(10, 2)"),
        Kind::Postgres => (
            "integer",
            |n| format!("character varying({n})"),
            "numeric(10,2)",
        ),
        Kind::Mysql => ("int(11)", |n| format!("varchar({n})"), "decimal(10,2)"),
    }
}

fn chinook_inspected(db: &Db) -> Result<()> {
    athanor::chinook::install(&db.engine)?;
    let insp = db.engine.inspect();
    assert_eq!(
        insp.get_table_names(None)?,
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
            "PlaylistTrack",
            "Track"
        ]
    );
    assert!(insp.get_view_names(None)?.is_empty());
    let (int, nv, money) = spellings(db.kind);
    let col = |n: &str, t: String, null: bool, auto: bool, pk: usize| (s(n), t, null, auto, pk);
    // PostgreSQL names unnamed foreign keys `<table>_<column>_fkey`, InnoDB `<table>_ibfk_<n>`;
    // SQLite keeps no name. MySQL's primary key is always PRIMARY, reported as no name.
    let fk_name = |table: &str, col: &str, n: usize| match db.kind {
        Kind::Sqlite => None,
        Kind::Postgres => Some(format!("{table}_{col}_fkey")),
        Kind::Mysql => Some(format!("{table}_ibfk_{n}")),
    };
    let pk_name = |n: &'static str| (db.kind != Kind::Mysql).then_some(n);
    // MySQL: a unique index is a unique constraint too, reported both ways (as SQLAlchemy).
    let uniques = |name: &str, cols: &[&str]| match db.kind {
        Kind::Mysql => vec![unique(name, cols, true)],
        _ => vec![],
    };

    let album = insp.reflect_table("Album", None)?;
    assert_eq!(
        columns(&album),
        [
            col("AlbumId", s(int), false, true, 1),
            col("Title", nv(160), false, false, 0),
            col("ArtistId", s(int), false, false, 0),
        ]
    );
    assert_eq!(
        album.columns[1].ty.generic(),
        &match db.kind {
            Kind::Sqlite => Type::Unicode(Some(160)),
            _ => Type::String(Some(160)),
        }
    );
    assert_eq!(album.primary_key, pk(pk_name("PK_Album"), &["AlbumId"]));
    assert_eq!(
        album.foreign_keys,
        [fk(
            fk_name("Album", "ArtistId", 1).as_deref(),
            &["ArtistId"],
            "Artist",
            &["ArtistId"]
        )]
    );
    assert_eq!(
        album.indexes,
        [
            index("IFK_AlbumArtistId", &["ArtistId"], false),
            index("IPK_Album", &["AlbumId"], true)
        ]
    );
    assert_eq!(album.unique_constraints, uniques("IPK_Album", &["AlbumId"]));
    assert!(album.check_constraints.is_empty() && !album.is_view);

    let track = insp.reflect_table("Track", None)?;
    assert_eq!(
        columns(&track),
        [
            col("TrackId", s(int), false, true, 1),
            col("Name", nv(200), false, false, 0),
            col("AlbumId", s(int), true, false, 0),
            col("MediaTypeId", s(int), false, false, 0),
            col("GenreId", s(int), true, false, 0),
            col("Composer", nv(220), true, false, 0),
            col("Milliseconds", s(int), false, false, 0),
            col("Bytes", s(int), true, false, 0),
            col("UnitPrice", s(money), false, false, 0),
        ]
    );
    assert_eq!(
        track.columns[8].ty.generic(),
        &Type::Numeric(Some(10), Some(2))
    );
    assert!(
        track
            .columns
            .iter()
            .all(|c| c.default.is_none() || db.kind == Kind::Postgres)
    );
    assert_eq!(track.primary_key, pk(pk_name("PK_Track"), &["TrackId"]));
    let mut expected = vec![
        fk(
            fk_name("Track", "AlbumId", 1).as_deref(),
            &["AlbumId"],
            "Album",
            &["AlbumId"],
        ),
        fk(
            fk_name("Track", "MediaTypeId", 2).as_deref(),
            &["MediaTypeId"],
            "MediaType",
            &["MediaTypeId"],
        ),
        fk(
            fk_name("Track", "GenreId", 3).as_deref(),
            &["GenreId"],
            "Genre",
            &["GenreId"],
        ),
    ];
    if db.kind == Kind::Postgres {
        expected.sort_by(|a, b| a.name.cmp(&b.name)); // by name
    }
    if db.kind == Kind::Sqlite {
        // Unnamed on SQLite: sorted by their columns.
        expected.sort_by(|a, b| a.constrained_columns.cmp(&b.constrained_columns));
    }
    assert_eq!(track.foreign_keys, expected);
    assert_eq!(
        track.indexes,
        [
            index("IFK_TrackAlbumId", &["AlbumId"], false),
            index("IFK_TrackGenreId", &["GenreId"], false),
            index("IFK_TrackMediaTypeId", &["MediaTypeId"], false),
            index("IPK_Track", &["TrackId"], true),
        ]
    );
    assert_eq!(track.unique_constraints, uniques("IPK_Track", &["TrackId"]));

    let pt = insp.reflect_table("PlaylistTrack", None)?;
    assert_eq!(
        columns(&pt),
        [
            col("PlaylistId", s(int), false, false, 1),
            col("TrackId", s(int), false, false, 2),
        ]
    );
    assert_eq!(
        pt.primary_key,
        pk(pk_name("PK_PlaylistTrack"), &["PlaylistId", "TrackId"])
    );
    assert_eq!(
        pt.foreign_keys,
        [
            fk(
                fk_name("PlaylistTrack", "PlaylistId", 1).as_deref(),
                &["PlaylistId"],
                "Playlist",
                &["PlaylistId"]
            ),
            fk(
                fk_name("PlaylistTrack", "TrackId", 2).as_deref(),
                &["TrackId"],
                "Track",
                &["TrackId"]
            ),
        ]
    );
    assert_eq!(
        pt.indexes,
        [
            index("IFK_PlaylistTrackTrackId", &["TrackId"], false),
            index("IPK_PlaylistTrack", &["PlaylistId", "TrackId"], true),
        ]
    );
    assert_eq!(
        pt.unique_constraints,
        uniques("IPK_PlaylistTrack", &["PlaylistId", "TrackId"])
    );
    // A self-referencing foreign key.
    assert_eq!(
        insp.get_foreign_keys("Employee", None)?,
        [fk(
            fk_name("Employee", "ReportsTo", 1).as_deref(),
            &["ReportsTo"],
            "Employee",
            &["EmployeeId"]
        )]
    );
    // Naming the schema (PostgreSQL) or database (MySQL) explicitly finds the same tables; a
    // foreign key into the same schema then names it, as in SQLAlchemy
    // (test_reflection.py's test_get_foreign_keys).
    if let Some(server) = &db.server {
        let schema = Some(server.name.as_str());
        assert_eq!(insp.get_table_names(schema)?.len(), 11);
        let mut qualified = insp.reflect_table("Album", schema)?;
        assert_eq!(qualified.schema.as_deref(), schema);
        assert_eq!(qualified.foreign_keys[0].referred_schema.as_deref(), schema);
        qualified.schema = None;
        qualified.foreign_keys[0].referred_schema = None;
        assert_eq!(qualified, album);
        assert!(matches!(
            insp.reflect_table("Album", Some("athanor_no_such_schema")),
            Err(Error::NoSuchTable { name }) if name == "athanor_no_such_schema.Album"
        ));
    }
    Ok(())
}

fn defaults_unique_check_comments(db: &Db) -> Result<()> {
    let md = MetaData::new();
    Table::build("gadget", &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .column(Column::new("name", Type::String(Some(40))).nullable(false))
        .column(
            Column::new("status", Type::String(Some(20)))
                .nullable(false)
                .server_default(ServerDefault::text("'draft'")),
        )
        .column(Column::new("qty", Type::Integer).server_default(ServerDefault::text("0")))
        .column(
            Column::new("created", Type::DateTime)
                .server_default(ServerDefault::text("CURRENT_TIMESTAMP")),
        )
        .column(Column::new("code", Type::String(Some(10))))
        .unique(UniqueConstraint::new(["code"]).name("uq_gadget_code"))
        .check(CheckConstraint::new("qty >= 0").name("ck_gadget_qty"))
        .finish()?;
    md.create_all(&db.engine)?;
    let comments: &[&str] = match db.kind {
        Kind::Sqlite => &[],
        Kind::Postgres => &[
            "COMMENT ON TABLE gadget IS 'things we sell'",
            "COMMENT ON COLUMN gadget.name IS 'the gadget''s name'",
        ],
        Kind::Mysql => &[
            "ALTER TABLE gadget COMMENT = 'things we sell'",
            "ALTER TABLE gadget MODIFY name VARCHAR(40) NOT NULL COMMENT 'the gadget''s name'",
        ],
    };
    let mut conn = db.engine.connect()?;
    for sql in comments {
        conn.execute(&text(sql))?;
    }
    drop(conn);

    let t = db.engine.inspect().reflect_table("gadget", None)?;
    let defaults: Vec<Option<&str>> = t.columns.iter().map(|c| c.default.as_deref()).collect();
    let expected: [Option<&str>; 6] = match db.kind {
        Kind::Sqlite => [
            None,
            None,
            Some("'draft'"),
            Some("0"),
            Some("CURRENT_TIMESTAMP"),
            None,
        ],
        Kind::Postgres => [
            Some("nextval('gadget_id_seq'::regclass)"),
            None,
            Some("'draft'::character varying"),
            Some("0"),
            Some("CURRENT_TIMESTAMP"),
            None,
        ],
        Kind::Mysql => [
            None,
            None,
            Some("'draft'"),
            Some("0"),
            Some("current_timestamp(6)"),
            None,
        ],
    };
    assert_eq!(defaults, expected);
    assert!(t.columns[0].autoincrement);
    assert_eq!(
        t.columns.iter().map(|c| c.nullable).collect::<Vec<_>>(),
        [false, false, false, true, true, true]
    );
    assert_eq!(t.columns[4].ty.generic(), &Type::DateTime);
    let (name_comment, table_comment) = match db.kind {
        Kind::Sqlite => (None, None),
        _ => (Some("the gadget's name"), Some("things we sell")),
    };
    assert_eq!(t.columns[1].comment.as_deref(), name_comment);
    assert_eq!(t.comment.as_deref(), table_comment);

    match db.kind {
        Kind::Mysql => {
            assert_eq!(
                t.unique_constraints,
                [unique("uq_gadget_code", &["code"], true)]
            );
            assert_eq!(t.indexes, [index("uq_gadget_code", &["code"], true)]);
        }
        Kind::Postgres => {
            assert_eq!(
                t.unique_constraints,
                [unique("uq_gadget_code", &["code"], false)]
            );
            // The constraint's index is reported too, naming it (SQLAlchemy's
            // duplicates_constraint).
            let mut ix = index("uq_gadget_code", &["code"], true);
            ix.duplicates_constraint = Some("uq_gadget_code".into());
            assert_eq!(t.indexes, [ix]);
        }
        _ => {
            assert_eq!(
                t.unique_constraints,
                [unique("uq_gadget_code", &["code"], false)]
            );
            assert!(t.indexes.is_empty(), "{:?}", t.indexes);
        }
    }
    let check_sql = match db.kind {
        Kind::Mysql => "`qty` >= 0",
        _ => "qty >= 0",
    };
    assert_eq!(
        t.check_constraints,
        [check(Some("ck_gadget_qty"), check_sql)]
    );

    // The database enforces what was reflected.
    let mut conn = db.engine.connect()?;
    conn.execute(&text("INSERT INTO gadget (name, code) VALUES ('a', 'x')"))?;
    let status: String = conn.execute(&text("SELECT status FROM gadget"))?.scalar()?;
    assert_eq!(status, "draft");
    assert!(
        conn.execute(&text("INSERT INTO gadget (name, code) VALUES ('b', 'x')"))
            .is_err()
    );
    assert!(
        conn.execute(&text("INSERT INTO gadget (name, qty) VALUES ('c', -1)"))
            .is_err()
    );
    Ok(())
}

/// A foreign key's DEFERRABLE / INITIALLY (PostgreSQL), an index's expressions and INCLUDE
/// columns (PostgreSQL; SQLite leaves an expression index out), the same from the batch API.
fn fk_options_and_index_keys(db: &Db) -> Result<()> {
    let mut conn = db.engine.connect()?;
    conn.exec_driver_sql("CREATE TABLE p (id INTEGER PRIMARY KEY, x VARCHAR(20), y VARCHAR(20))")?;
    let deferrable = match db.kind {
        Kind::Postgres => " DEFERRABLE INITIALLY DEFERRED",
        _ => "",
    };
    conn.exec_driver_sql(&format!(
        "CREATE TABLE c (id INTEGER PRIMARY KEY, pid INTEGER, \
         CONSTRAINT fk_c_p FOREIGN KEY (pid) REFERENCES p (id) ON DELETE CASCADE{deferrable})"
    ))?;
    let indexes: &[&str] = match db.kind {
        Kind::Postgres => &[
            "CREATE INDEX ix_cover ON p (x) INCLUDE (y)",
            "CREATE INDEX ix_expr ON p (lower(x), y)",
        ],
        Kind::Sqlite => &[
            "CREATE INDEX ix_expr ON p (lower(x), y)",
            "CREATE INDEX ix_plain ON p (x)",
        ],
        Kind::Mysql => &["CREATE INDEX ix_plain ON p (x)"],
    };
    for sql in indexes {
        conn.exec_driver_sql(sql)?;
    }
    drop(conn);

    let insp = db.engine.inspect();
    let fks = insp.get_foreign_keys("c", None)?;
    assert_eq!(fks.len(), 1, "{fks:?}");
    assert_eq!(fks[0].on_delete.as_deref(), Some("CASCADE"));
    let want = match db.kind {
        Kind::Postgres => (Some(true), Some("DEFERRED")),
        _ => (None, None),
    };
    assert_eq!((fks[0].deferrable, fks[0].initially.as_deref()), want);

    let ixs = insp.get_indexes("p", None)?;
    if db.kind == Kind::Postgres {
        let mut cover = index("ix_cover", &["x"], false);
        cover.include_columns = vec![s("y")];
        let mut expr = index("ix_expr", &["y"], false);
        expr.column_names.insert(0, None);
        expr.expressions = Some(vec![s("lower(x::text)"), s("y")]);
        assert_eq!(ixs, [cover, expr]);
    } else {
        assert_eq!(ixs, [index("ix_plain", &["x"], false)]);
    }

    let options = athanor::reflect::ReflectOptions::new();
    assert_eq!(insp.get_multi_foreign_keys(&options)?[&(None, s("c"))], fks);
    assert_eq!(insp.get_multi_indexes(&options)?[&(None, s("p"))], ixs);
    Ok(())
}

fn composite_foreign_key_cascade(db: &Db) -> Result<()> {
    let md = MetaData::new();
    Table::build("parent", &md)
        .column(Column::new("a", Type::Integer).nullable(false))
        .column(Column::new("b", Type::Integer).nullable(false))
        .primary_key(PrimaryKeyConstraint::new(["a", "b"]).name("pk_parent"))
        .finish()?;
    Table::build("child", &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .column(Column::new("pa", Type::Integer))
        .column(Column::new("pb", Type::Integer))
        .foreign_key(
            ForeignKeyConstraint::new(["pa", "pb"], "parent", ["a", "b"])
                .name("fk_child_parent")
                .on_delete("CASCADE")
                .on_update("SET NULL"),
        )
        .finish()?;
    md.create_all(&db.engine)?;
    let insp = db.engine.inspect();
    let parent = insp.reflect_table("parent", None)?;
    let name = (db.kind != Kind::Mysql).then_some("pk_parent");
    assert_eq!(parent.primary_key, pk(name, &["a", "b"]));
    assert!(!parent.columns[0].autoincrement);
    let child = insp.reflect_table("child", None)?;
    let mut expected = fk(
        Some("fk_child_parent"),
        &["pa", "pb"],
        "parent",
        &["a", "b"],
    );
    expected.on_delete = Some(s("CASCADE"));
    expected.on_update = Some(s("SET NULL"));
    assert_eq!(child.foreign_keys, [expected]);
    // InnoDB indexes a foreign key's columns itself, naming the index after the constraint.
    match db.kind {
        Kind::Mysql => assert_eq!(
            child.indexes,
            [index("fk_child_parent", &["pa", "pb"], false)]
        ),
        _ => assert!(child.indexes.is_empty()),
    }

    // ON DELETE CASCADE, as reflected, is what the database does.
    let mut conn = db.engine.connect()?;
    if db.kind == Kind::Sqlite {
        conn.execute(&text("PRAGMA foreign_keys = ON"))?;
    }
    conn.execute(&text("INSERT INTO parent (a, b) VALUES (1, 2)"))?;
    conn.execute(&text("INSERT INTO child (id, pa, pb) VALUES (10, 1, 2)"))?;
    conn.execute(&text("DELETE FROM parent"))?;
    let left: i64 = conn
        .execute(&text("SELECT count(*) FROM child"))?
        .scalar()?;
    assert_eq!(left, 0);
    Ok(())
}

fn views(db: &Db) -> Result<()> {
    let md = MetaData::new();
    Table::build("item", &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .column(Column::new("label", Type::String(Some(30))).nullable(false))
        .finish()?;
    md.create_all(&db.engine)?;
    db.engine.connect()?.execute(&text(
        "CREATE VIEW item_labels AS SELECT id, label FROM item",
    ))?;
    let insp = db.engine.inspect();
    assert_eq!(insp.get_table_names(None)?, ["item"]);
    assert_eq!(insp.get_view_names(None)?, ["item_labels"]);
    assert!(insp.has_table("item_labels", None)?);
    let v = insp.reflect_table("item_labels", None)?;
    assert!(v.is_view);
    // MySQL carries NOT NULL through a view; SQLite and PostgreSQL report view columns nullable.
    let view_nullable = db.kind != Kind::Mysql;
    assert_eq!(
        v.columns
            .iter()
            .map(|c| (c.name.as_str(), c.nullable))
            .collect::<Vec<_>>(),
        [("id", view_nullable), ("label", view_nullable)]
    );
    assert!(v.primary_key.constrained_columns.is_empty() && v.foreign_keys.is_empty());
    assert!(!insp.reflect_table("item", None)?.is_view);
    Ok(())
}

fn autoload_and_fk_join(db: &Db) -> Result<()> {
    athanor::chinook::install(&db.engine)?;
    let md = MetaData::new();
    let albums = Table::autoload("Album", &md, &db.engine)?;
    assert!(md.contains("Artist"), "followed Album's foreign key");
    let artists = Table::autoload("Artist", &md, &db.engine)?;
    let stmt = select((artists.c("Name"), func::count(albums.c("Title")).label("n")))
        .select_from(artists.join(&albums))
        .group_by((artists.c("ArtistId"), artists.c("Name")))
        .order_by(desc("n"))
        .order_by(artists.c("Name"))
        .limit(5);
    let mut conn = db.engine.connect()?;
    let mut top = Vec::new();
    for row in conn.execute(&stmt)? {
        let name: String = row.get("Name")?;
        let n: i64 = row.get("n")?;
        top.push((name, n));
    }
    let want = [
        ("Iron Maiden", 21),
        ("Led Zeppelin", 14),
        ("Deep Purple", 11),
        ("Metallica", 10),
        ("U2", 10),
    ];
    assert_eq!(top, want.map(|(n, c)| (s(n), c)));

    // Autoloading PlaylistTrack follows its keys through Track to everything Track refers to.
    drop(conn); // in-memory SQLite has one connection, and autoload needs it
    let pt = Table::autoload("PlaylistTrack", &md, &db.engine)?;
    for t in ["Playlist", "Track", "Genre", "MediaType"] {
        assert!(md.contains(t), "{t} autoloaded");
    }
    let track = md.table("Track").expect("Track");
    let n: i64 = db
        .engine
        .connect()?
        .execute(
            &select(func::count_star())
                .select_from(pt.join(&track).join(&albums))
                .filter(albums.c("Title").eq("Let There Be Rock")),
        )?
        .scalar()?;
    assert_eq!(n, 16);

    // MetaData::reflect: every table.
    let all = MetaData::new();
    all.reflect(&db.engine)?;
    assert_eq!(all.tables().len(), 11);
    Ok(())
}

/// `has_multi_table`: one query for the names (none for no names, and the dialect's query
/// for an empty list is still valid SQL that finds nothing); a name the database can't hold
/// (a NUL) is `Error::Argument`. A table with no columns: only PostgreSQL creates one.
fn has_multi_table_and_no_columns(db: &Db) -> Result<()> {
    let engine = &db.engine;
    engine
        .connect()?
        .exec_driver_sql("CREATE TABLE present (x INTEGER)")?;
    let insp = engine.inspect();
    assert!(insp.has_multi_table(&[], None)?.is_empty());
    let found = insp.has_multi_table(&["present", "absent", "present"], None)?;
    assert_eq!(
        found.into_iter().collect::<Vec<_>>(),
        [((None, s("absent")), false), ((None, s("present")), true)]
    );
    let empty = engine.dialect().has_tables_query(&[], None);
    assert!(engine.connect()?.execute(&empty)?.all()?.is_empty());
    assert!(matches!(
        insp.has_multi_table(&["present", "nul\0name"], None),
        Err(Error::Argument(_))
    ));

    let md = MetaData::new();
    let t = Table::build("no_columns", &md).finish()?;
    assert!(t.columns().is_empty());
    let created = t.create(engine);
    if db.kind == Kind::Postgres {
        created?;
        let back = Table::autoload("no_columns", &MetaData::new(), engine)?;
        assert!(back.columns().is_empty());
    } else {
        assert!(
            created.is_err(),
            "{:?} has no table without columns",
            db.kind
        );
    }
    Ok(())
}

fn unknown_table(db: &Db) -> Result<()> {
    let insp = db.engine.inspect();
    assert!(!insp.has_table("no_such_table", None)?);
    match insp.get_columns("no_such_table", None) {
        Err(Error::NoSuchTable { name }) => assert_eq!(name, "no_such_table"),
        other => panic!("expected NoSuchTable, got {other:?}"),
    }
    match Table::autoload("no_such_table", &MetaData::new(), &db.engine) {
        Err(Error::NoSuchTable { name }) => assert_eq!(name, "no_such_table"),
        other => panic!("expected NoSuchTable, got {other:?}"),
    }
    Ok(())
}

/// A foreign-key cycle (a → b → a, and c → a): the first table of the cycle comes first
/// without its cycle-closing key, which is listed last to be added after the CREATEs; the
/// others follow in dependency order with all their keys (SQLAlchemy's
/// `get_sorted_table_and_fkc_names`).
#[test]
fn sorted_tables_put_a_cycles_closing_foreign_key_last() {
    let engine = athanor::create_engine("sqlite://").unwrap_or_else(|e| panic!("{e}"));
    let mut conn = engine.connect().unwrap_or_else(|e| panic!("{e}"));
    for sql in [
        "CREATE TABLE a (id INT PRIMARY KEY, b_id INT, CONSTRAINT fk_b FOREIGN KEY (b_id) REFERENCES b (id))",
        "CREATE TABLE b (id INT PRIMARY KEY, a_id INT, CONSTRAINT fk_a FOREIGN KEY (a_id) REFERENCES a (id))",
        "CREATE TABLE c (id INT PRIMARY KEY, a_id INT, CONSTRAINT fk_c FOREIGN KEY (a_id) REFERENCES a (id))",
    ] {
        conn.execute(&athanor::prelude::text(sql))
            .unwrap_or_else(|e| panic!("{e}"));
    }
    drop(conn);
    let sorted = engine
        .inspect()
        .get_sorted_table_and_fkc_names(None)
        .unwrap_or_else(|e| panic!("{e}"));
    let s = |x: &str| x.to_string();
    assert_eq!(
        sorted,
        vec![
            (Some(s("a")), vec![]),
            (Some(s("b")), vec![(s("b"), Some(s("fk_a")))]),
            (Some(s("c")), vec![(s("c"), Some(s("fk_c")))]),
            (None, vec![(s("a"), Some(s("fk_b")))]),
        ]
    );
}
