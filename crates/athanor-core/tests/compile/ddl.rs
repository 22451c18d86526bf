//! DDL: CREATE/DROP TABLE, INDEX and SEQUENCE, types per dialect, keys, constraints,
//! server defaults and identifier quoting.

use athanor_core::dialect::{Dialect, MySql, Postgres, Sqlite};
use athanor_core::prelude::*;
use athanor_core::schema::{IndexKey, ServerDefault};

use crate::{Golden, assert_all, assert_compile, assert_unsupported, fixture};

/// A table with no columns is allowed, as in SQLAlchemy (PostgreSQL creates one; the others
/// refuse it at execution).
#[test]
fn create_table_with_no_columns() {
    let md = MetaData::new();
    let t = Table::build("empty", &md)
        .finish()
        .expect("a table may have no columns");
    assert_all(
        &Ddl::CreateTable(t),
        Golden {
            sqlite: "CREATE TABLE empty ()",
            postgres: "CREATE TABLE empty ()",
            mysql: "CREATE TABLE `empty` ()",
        },
        &[],
    );
}

#[test]
fn create_table_with_autoincrement_primary_key() {
    let f = fixture();
    assert_all(
        &Ddl::CreateTable(f.users.clone()),
        Golden {
            sqlite: "CREATE TABLE users (id INTEGER NOT NULL, name VARCHAR(50), age FLOAT, PRIMARY KEY (id))",
            postgres: "CREATE TABLE users (id SERIAL NOT NULL, name VARCHAR(50), age FLOAT, PRIMARY KEY (id))",
            mysql: "CREATE TABLE users (id INTEGER NOT NULL AUTO_INCREMENT, name VARCHAR(50), age DOUBLE, PRIMARY KEY (id))",
        },
        &[],
    );
    assert_all(
        &Ddl::CreateTable(f.album.clone()),
        Golden {
            sqlite: r#"CREATE TABLE "Album" ("AlbumId" INTEGER NOT NULL, "Title" NVARCHAR(160) NOT NULL, "ArtistId" INTEGER NOT NULL, PRIMARY KEY ("AlbumId"), FOREIGN KEY("ArtistId") REFERENCES "Artist" ("ArtistId"))"#,
            postgres: r#"CREATE TABLE "Album" ("AlbumId" SERIAL NOT NULL, "Title" VARCHAR(160) NOT NULL, "ArtistId" INTEGER NOT NULL, PRIMARY KEY ("AlbumId"), FOREIGN KEY("ArtistId") REFERENCES "Artist" ("ArtistId"))"#,
            mysql: "CREATE TABLE `Album` (`AlbumId` INTEGER NOT NULL AUTO_INCREMENT, `Title` VARCHAR(160) NOT NULL, `ArtistId` INTEGER NOT NULL, PRIMARY KEY (`AlbumId`), FOREIGN KEY(`ArtistId`) REFERENCES `Artist` (`ArtistId`))",
        },
        &[],
    );
    assert_all(
        &Ddl::CreateTableIfNotExists(f.artist.clone()),
        Golden {
            sqlite: r#"CREATE TABLE IF NOT EXISTS "Artist" ("ArtistId" INTEGER NOT NULL, "Name" NVARCHAR(120), PRIMARY KEY ("ArtistId"))"#,
            postgres: r#"CREATE TABLE IF NOT EXISTS "Artist" ("ArtistId" SERIAL NOT NULL, "Name" VARCHAR(120), PRIMARY KEY ("ArtistId"))"#,
            mysql: "CREATE TABLE IF NOT EXISTS `Artist` (`ArtistId` INTEGER NOT NULL AUTO_INCREMENT, `Name` VARCHAR(120), PRIMARY KEY (`ArtistId`))",
        },
        &[],
    );
}

#[test]
fn explicit_and_disabled_autoincrement() {
    let md = MetaData::new();
    let t = Table::build("counters", &md)
        .column(
            Column::new("id", Type::BigInteger)
                .primary_key()
                .autoincrement(true),
        )
        .finish()
        .expect("counters");
    assert_all(
        &Ddl::CreateTable(t),
        Golden {
            sqlite: "CREATE TABLE counters (id BIGINT NOT NULL PRIMARY KEY AUTOINCREMENT)",
            postgres: "CREATE TABLE counters (id BIGSERIAL NOT NULL, PRIMARY KEY (id))",
            mysql: "CREATE TABLE counters (id BIGINT NOT NULL AUTO_INCREMENT, PRIMARY KEY (id))",
        },
        &[],
    );
    let t = Table::build("codes", &md)
        .column(
            Column::new("code", Type::Integer)
                .primary_key()
                .autoincrement(false),
        )
        .finish()
        .expect("codes");
    let sql = "CREATE TABLE codes (code INTEGER NOT NULL, PRIMARY KEY (code))";
    assert_all(
        &Ddl::CreateTable(t),
        Golden {
            sqlite: sql,
            postgres: sql,
            mysql: sql,
        },
        &[],
    );
}

#[test]
fn types_per_dialect() {
    let md = MetaData::new();
    let types = [
        ("i", Type::Integer),
        ("si", Type::SmallInteger),
        ("bi", Type::BigInteger),
        ("f", Type::Float),
        ("d", Type::Double),
        ("n", Type::Numeric(Some(10), Some(2))),
        ("n2", Type::Numeric(None, None)),
        ("s", Type::String(Some(20))),
        ("u", Type::Unicode(Some(30))),
        ("t", Type::Text),
        ("b", Type::Boolean),
        ("dt", Type::Date),
        ("tm", Type::Time),
        ("ts", Type::DateTime),
        ("bin", Type::LargeBinary),
        ("j", Type::Json),
        ("uid", Type::Uuid),
    ];
    let mut builder = Table::build("all_types", &md);
    for (name, ty) in types {
        builder = builder.column(Column::new(name, ty));
    }
    let t = builder.finish().expect("all_types");
    assert_all(
        &Ddl::CreateTable(t),
        Golden {
            sqlite: "CREATE TABLE all_types (i INTEGER, si SMALLINT, bi BIGINT, f FLOAT, d DOUBLE, n NUMERIC(10, 2), n2 NUMERIC, s VARCHAR(20), u NVARCHAR(30), t TEXT, b BOOLEAN, dt DATE, tm TIME, ts DATETIME, bin BLOB, j JSON, uid CHAR(32))",
            postgres: "CREATE TABLE all_types (i INTEGER, si SMALLINT, bi BIGINT, f FLOAT, d DOUBLE PRECISION, n NUMERIC(10, 2), n2 NUMERIC, s VARCHAR(20), u VARCHAR(30), t TEXT, b BOOLEAN, dt DATE, tm TIME WITHOUT TIME ZONE, ts TIMESTAMP WITHOUT TIME ZONE, bin BYTEA, j JSONB, uid UUID)",
            mysql: "CREATE TABLE all_types (i INTEGER, si SMALLINT, bi BIGINT, f DOUBLE, d DOUBLE, n NUMERIC(10, 2), n2 NUMERIC, s VARCHAR(20), u VARCHAR(30), t LONGTEXT, b BOOL, dt DATE, tm TIME(6), ts DATETIME(6), bin LONGBLOB, j JSON, uid CHAR(32))",
        },
        &[],
    );
}

#[test]
fn other_and_declared_types_write_their_text() {
    let md = MetaData::new();
    let t = Table::build("hosts", &md)
        .column(Column::new("addr", Type::Other("inet".into())))
        .column(Column::new(
            "loc",
            Postgres.type_from_declared("geometry(Point,4326)"),
        ))
        .finish()
        .expect("hosts");
    assert_all(
        &Ddl::CreateTable(t),
        Golden {
            sqlite: "CREATE TABLE hosts (addr inet, loc geometry(Point,4326))",
            postgres: "CREATE TABLE hosts (addr inet, loc geometry(Point,4326))",
            mysql: "CREATE TABLE hosts (addr inet, loc geometry(Point,4326))",
        },
        &[],
    );
}

#[test]
fn composite_and_named_primary_key_with_foreign_keys() {
    let md = MetaData::new();
    let t = Table::build("PlaylistTrack", &md)
        .column(
            Column::new("PlaylistId", Type::Integer)
                .foreign_key(ForeignKey::new("Playlist.PlaylistId")),
        )
        .column(Column::new("TrackId", Type::Integer).foreign_key(ForeignKey::new("Track.TrackId")))
        .primary_key(PrimaryKeyConstraint::new(["PlaylistId", "TrackId"]).name("PK_PlaylistTrack"))
        .finish()
        .expect("PlaylistTrack");
    assert_all(
        &Ddl::CreateTable(t),
        Golden {
            sqlite: r#"CREATE TABLE "PlaylistTrack" ("PlaylistId" INTEGER NOT NULL, "TrackId" INTEGER NOT NULL, CONSTRAINT "PK_PlaylistTrack" PRIMARY KEY ("PlaylistId", "TrackId"), FOREIGN KEY("PlaylistId") REFERENCES "Playlist" ("PlaylistId"), FOREIGN KEY("TrackId") REFERENCES "Track" ("TrackId"))"#,
            postgres: r#"CREATE TABLE "PlaylistTrack" ("PlaylistId" INTEGER NOT NULL, "TrackId" INTEGER NOT NULL, CONSTRAINT "PK_PlaylistTrack" PRIMARY KEY ("PlaylistId", "TrackId"), FOREIGN KEY("PlaylistId") REFERENCES "Playlist" ("PlaylistId"), FOREIGN KEY("TrackId") REFERENCES "Track" ("TrackId"))"#,
            mysql: "CREATE TABLE `PlaylistTrack` (`PlaylistId` INTEGER NOT NULL, `TrackId` INTEGER NOT NULL, CONSTRAINT `PK_PlaylistTrack` PRIMARY KEY (`PlaylistId`, `TrackId`), FOREIGN KEY(`PlaylistId`) REFERENCES `Playlist` (`PlaylistId`), FOREIGN KEY(`TrackId`) REFERENCES `Track` (`TrackId`))",
        },
        &[],
    );
}

#[test]
fn named_constraints_on_delete_unique_and_check() {
    let md = MetaData::new();
    let t = Table::build("accounts", &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .column(
            Column::new("email", Type::String(Some(200)))
                .nullable(false)
                .unique(),
        )
        .column(
            Column::new("owner_id", Type::Integer).foreign_key(
                ForeignKey::new("users.id")
                    .name("fk_accounts_owner")
                    .on_delete("cascade"),
            ),
        )
        .column(Column::new("parent_id", Type::Integer))
        .column(Column::new("balance", Type::Numeric(Some(12), Some(2))))
        .foreign_key(
            ForeignKeyConstraint::new(["parent_id"], "accounts", ["id"])
                .on_delete("SET NULL")
                .on_update("NO ACTION"),
        )
        .unique(UniqueConstraint::new(["owner_id", "email"]).name("uq_owner_email"))
        .check(CheckConstraint::new("balance >= 0").name("ck_balance"))
        .check(CheckConstraint::new("parent_id != id"))
        .finish()
        .expect("accounts");
    assert_all(
        &Ddl::CreateTable(t),
        Golden {
            sqlite: "CREATE TABLE accounts (id INTEGER NOT NULL, email VARCHAR(200) NOT NULL, owner_id INTEGER, parent_id INTEGER, balance NUMERIC(12, 2), PRIMARY KEY (id), UNIQUE (email), CONSTRAINT uq_owner_email UNIQUE (owner_id, email), CONSTRAINT fk_accounts_owner FOREIGN KEY(owner_id) REFERENCES users (id) ON DELETE CASCADE, FOREIGN KEY(parent_id) REFERENCES accounts (id) ON DELETE SET NULL ON UPDATE NO ACTION, CONSTRAINT ck_balance CHECK (balance >= 0), CHECK (parent_id != id))",
            postgres: "CREATE TABLE accounts (id SERIAL NOT NULL, email VARCHAR(200) NOT NULL, owner_id INTEGER, parent_id INTEGER, balance NUMERIC(12, 2), PRIMARY KEY (id), UNIQUE (email), CONSTRAINT uq_owner_email UNIQUE (owner_id, email), CONSTRAINT fk_accounts_owner FOREIGN KEY(owner_id) REFERENCES users (id) ON DELETE CASCADE, FOREIGN KEY(parent_id) REFERENCES accounts (id) ON DELETE SET NULL ON UPDATE NO ACTION, CONSTRAINT ck_balance CHECK (balance >= 0), CHECK (parent_id != id))",
            mysql: "CREATE TABLE accounts (id INTEGER NOT NULL AUTO_INCREMENT, email VARCHAR(200) NOT NULL, owner_id INTEGER, parent_id INTEGER, balance NUMERIC(12, 2), PRIMARY KEY (id), UNIQUE (email), CONSTRAINT uq_owner_email UNIQUE (owner_id, email), CONSTRAINT fk_accounts_owner FOREIGN KEY(owner_id) REFERENCES users (id) ON DELETE CASCADE, FOREIGN KEY(parent_id) REFERENCES accounts (id) ON DELETE SET NULL ON UPDATE NO ACTION, CONSTRAINT ck_balance CHECK (balance >= 0), CHECK (parent_id != id))",
        },
        &[],
    );
}

#[test]
fn server_defaults_are_escaped_literals() {
    let md = MetaData::new();
    let t = Table::build("notes", &md)
        .column(Column::new("body", Type::String(Some(100))).server_default("it's a \\ test"))
        .column(Column::new("quote", Type::String(Some(10))).server_default("'; DROP TABLE x; --"))
        .column(
            Column::new("n", Type::Integer)
                .nullable(false)
                .server_default(0),
        )
        .column(Column::new("ratio", Type::Float).server_default(1.5))
        .column(Column::new("flag", Type::Boolean).server_default(true))
        .column(
            Column::new("created", Type::DateTime)
                .server_default(ServerDefault::text("CURRENT_TIMESTAMP")),
        )
        .finish()
        .expect("notes");
    assert_all(
        &Ddl::CreateTable(t),
        Golden {
            sqlite: r"CREATE TABLE notes (body VARCHAR(100) DEFAULT 'it''s a \ test', quote VARCHAR(10) DEFAULT '''; DROP TABLE x; --', n INTEGER DEFAULT 0 NOT NULL, ratio FLOAT DEFAULT 1.5, flag BOOLEAN DEFAULT 1, created DATETIME DEFAULT CURRENT_TIMESTAMP)",
            postgres: r"CREATE TABLE notes (body VARCHAR(100) DEFAULT 'it''s a \ test', quote VARCHAR(10) DEFAULT '''; DROP TABLE x; --', n INTEGER DEFAULT 0 NOT NULL, ratio FLOAT DEFAULT 1.5, flag BOOLEAN DEFAULT true, created TIMESTAMP WITHOUT TIME ZONE DEFAULT CURRENT_TIMESTAMP)",
            mysql: r"CREATE TABLE notes (body VARCHAR(100) DEFAULT 'it''s a \\ test', quote VARCHAR(10) DEFAULT '''; DROP TABLE x; --', n INTEGER DEFAULT 0 NOT NULL, ratio DOUBLE DEFAULT 1.5, flag BOOL DEFAULT 1, created DATETIME(6) DEFAULT CURRENT_TIMESTAMP)",
        },
        &[],
    );
}

#[test]
fn text_server_defaults_parenthesized_where_the_dialect_needs() {
    let md = MetaData::new();
    let t = Table::build("d", &md)
        .column(Column::new("a", Type::Integer).server_default(ServerDefault::text("3 + 5")))
        .column(Column::new("b", Type::Integer).server_default(ServerDefault::text("(3 * 5)")))
        .column(Column::new("c", Type::Integer).server_default(ServerDefault::text("10")))
        .column(Column::new("e", Type::String(Some(5))).server_default(ServerDefault::text("'x'")))
        .finish()
        .expect("d");
    assert_all(
        &Ddl::CreateTable(t),
        Golden {
            sqlite: "CREATE TABLE d (a INTEGER DEFAULT (3 + 5), b INTEGER DEFAULT (3 * 5), c INTEGER DEFAULT 10, e VARCHAR(5) DEFAULT 'x')",
            postgres: "CREATE TABLE d (a INTEGER DEFAULT 3 + 5, b INTEGER DEFAULT (3 * 5), c INTEGER DEFAULT 10, e VARCHAR(5) DEFAULT 'x')",
            mysql: "CREATE TABLE d (a INTEGER DEFAULT (3 + 5), b INTEGER DEFAULT (3 * 5), c INTEGER DEFAULT 10, e VARCHAR(5) DEFAULT 'x')",
        },
        &[],
    );
    // MySQL takes `now(n)` and `... ON UPDATE ...` bare (as SQLAlchemy writes them).
    let t = Table::build("m", &md)
        .column(Column::new("f", Type::DateTime).server_default(ServerDefault::text("now(6)")))
        .column(
            Column::new("g", Type::DateTime).server_default(ServerDefault::text(
                "CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP",
            )),
        )
        .column(Column::new("h", Type::DateTime).server_default(ServerDefault::text("now()")))
        .finish()
        .expect("m");
    assert_compile(
        &Ddl::CreateTable(t),
        &MySql::default(),
        "CREATE TABLE m (f DATETIME(6) DEFAULT now(6), g DATETIME(6) DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP, h DATETIME(6) DEFAULT (now()))",
        &[],
    );
}

#[test]
fn column_check_constraints_are_written_in_the_column() {
    let md = MetaData::new();
    let t = Table::build("cc", &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .column(
            Column::new("a", Type::Integer)
                .nullable(false)
                .check(CheckConstraint::new("a > 1"))
                .check(CheckConstraint::new("a < :hi").bind("hi", 5).name("Ck_Hi")),
        )
        .check(CheckConstraint::new("id > 0").name("ck_id"))
        .finish()
        .expect("cc");
    assert_all(
        &Ddl::CreateTable(t),
        Golden {
            sqlite: r#"CREATE TABLE cc (id INTEGER NOT NULL, a INTEGER NOT NULL CHECK (a > 1) CONSTRAINT "Ck_Hi" CHECK (a < 5), PRIMARY KEY (id), CONSTRAINT ck_id CHECK (id > 0))"#,
            postgres: r#"CREATE TABLE cc (id SERIAL NOT NULL, a INTEGER NOT NULL CHECK (a > 1) CONSTRAINT "Ck_Hi" CHECK (a < 5), PRIMARY KEY (id), CONSTRAINT ck_id CHECK (id > 0))"#,
            mysql: "CREATE TABLE cc (id INTEGER NOT NULL AUTO_INCREMENT, a INTEGER NOT NULL CHECK (a > 1) CONSTRAINT `Ck_Hi` CHECK (a < 5), PRIMARY KEY (id), CONSTRAINT ck_id CHECK (id > 0))",
        },
        &[],
    );
}

#[test]
fn index_include_columns_only_on_postgres() {
    let md = MetaData::new();
    let t = Table::build("t", &md)
        .column(Column::new("x", Type::Integer))
        .column(Column::new("y", Type::Integer))
        .column(Column::new("z", Type::Integer))
        .finish()
        .expect("t");
    assert_all(
        &Ddl::CreateIndex(t.clone(), Index::new("ix", ["x"]).include(["y", "z"])),
        Golden {
            sqlite: "CREATE INDEX ix ON t (x)",
            postgres: "CREATE INDEX ix ON t (x) INCLUDE (y, z)",
            mysql: "CREATE INDEX ix ON t (x)",
        },
        &[],
    );
    assert_all(
        &Ddl::CreateIndex(
            t.clone(),
            Index::with_keys("ix_expr", [IndexKey::expression("lower(x)"), "y".into()]).unique(),
        ),
        Golden {
            sqlite: "CREATE UNIQUE INDEX ix_expr ON t (lower(x), y)",
            postgres: "CREATE UNIQUE INDEX ix_expr ON t (lower(x), y)",
            mysql: "CREATE UNIQUE INDEX ix_expr ON t (lower(x), y)",
        },
        &[],
    );
    let err = Table::build("bad", &md)
        .column(Column::new("x", Type::Integer))
        .index(Index::with_keys(
            "ix_bad",
            [IndexKey::expression("x + 1"), "nope".into()],
        ))
        .finish()
        .expect_err("an index column the table lacks");
    assert!(matches!(err, Error::Argument(_)), "{err:?}");
    let err = Table::build("bad", &md)
        .column(Column::new("x", Type::Integer))
        .index(Index::new("ix_bad", ["x"]).include(["nope"]))
        .finish()
        .expect_err("an INCLUDE column the table lacks");
    assert!(matches!(err, Error::Argument(_)), "{err:?}");
}

#[test]
fn identifiers_needing_quotes() {
    let md = MetaData::new();
    let t = Table::build("order", &md)
        .column(Column::new("# of albums", Type::Integer))
        .column(Column::new("select", Type::String(Some(10))))
        .column(Column::new("Name", Type::String(Some(10))))
        .column(Column::new("1st", Type::Integer))
        .column(Column::new("with\"quote", Type::Integer))
        .column(Column::new("with`tick", Type::Integer))
        .column(Column::new("plain_name", Type::Integer))
        .finish()
        .expect("order");
    assert_all(
        &Ddl::CreateTable(t.clone()),
        Golden {
            sqlite: r##"CREATE TABLE "order" ("# of albums" INTEGER, "select" VARCHAR(10), "Name" VARCHAR(10), "1st" INTEGER, "with""quote" INTEGER, "with`tick" INTEGER, plain_name INTEGER)"##,
            postgres: r##"CREATE TABLE "order" ("# of albums" INTEGER, "select" VARCHAR(10), "Name" VARCHAR(10), "1st" INTEGER, "with""quote" INTEGER, "with`tick" INTEGER, plain_name INTEGER)"##,
            mysql: r#"CREATE TABLE `order` (`# of albums` INTEGER, `select` VARCHAR(10), `Name` VARCHAR(10), `1st` INTEGER, `with"quote` INTEGER, `with``tick` INTEGER, plain_name INTEGER)"#,
        },
        &[],
    );
    assert_all(
        &select((t.c("# of albums"), t.c("select"))).filter(t.c("plain_name").eq(1)),
        Golden {
            sqlite: r##"SELECT "order"."# of albums", "order"."select" FROM "order" WHERE "order".plain_name = ?"##,
            postgres: r##"SELECT "order"."# of albums", "order"."select" FROM "order" WHERE "order".plain_name = $1"##,
            mysql: "SELECT `order`.`# of albums`, `order`.`select` FROM `order` WHERE `order`.plain_name = ?",
        },
        &vals![1],
    );
}

#[test]
fn drop_table() {
    let f = fixture();
    assert_all(
        &Ddl::DropTable(f.artist.clone()),
        Golden {
            sqlite: r#"DROP TABLE "Artist""#,
            postgres: r#"DROP TABLE "Artist""#,
            mysql: "DROP TABLE `Artist`",
        },
        &[],
    );
    let sql = "DROP TABLE IF EXISTS users";
    assert_all(
        &Ddl::DropTableIfExists(f.users.clone()),
        Golden {
            sqlite: sql,
            postgres: sql,
            mysql: sql,
        },
        &[],
    );
}

#[test]
fn create_and_drop_index() {
    let f = fixture();
    let ix = Index::new("IFK_AlbumArtistId", ["ArtistId"]);
    assert_all(
        &Ddl::CreateIndex(f.album.clone(), ix.clone()),
        Golden {
            sqlite: r#"CREATE INDEX "IFK_AlbumArtistId" ON "Album" ("ArtistId")"#,
            postgres: r#"CREATE INDEX "IFK_AlbumArtistId" ON "Album" ("ArtistId")"#,
            mysql: "CREATE INDEX `IFK_AlbumArtistId` ON `Album` (`ArtistId`)",
        },
        &[],
    );
    assert_all(
        &Ddl::DropIndex(f.album.clone(), ix),
        Golden {
            sqlite: r#"DROP INDEX "IFK_AlbumArtistId""#,
            postgres: r#"DROP INDEX "IFK_AlbumArtistId""#,
            mysql: "DROP INDEX `IFK_AlbumArtistId` ON `Album`",
        },
        &[],
    );
    let ix = Index::new("ix_users_name_age", ["name", "age"]).unique();
    let sql = "CREATE UNIQUE INDEX ix_users_name_age ON users (name, age)";
    assert_all(
        &Ddl::CreateIndex(f.users.clone(), ix),
        Golden {
            sqlite: sql,
            postgres: sql,
            mysql: sql,
        },
        &[],
    );
}

#[test]
fn index_on_a_table_in_a_schema() {
    let md = MetaData::new();
    let t = Table::build("events", &md)
        .schema("audit")
        .column(Column::new("at", Type::DateTime))
        .finish()
        .expect("events");
    let ix = Index::new("ix_events_at", ["at"]);
    // SQLite names the schema on the index, never on the table it indexes.
    assert_all(
        &Ddl::CreateIndex(t.clone(), ix.clone()),
        Golden {
            sqlite: "CREATE INDEX audit.ix_events_at ON events (at)",
            postgres: "CREATE INDEX ix_events_at ON audit.events (at)",
            mysql: "CREATE INDEX ix_events_at ON audit.events (at)",
        },
        &[],
    );
    assert_all(
        &Ddl::DropIndex(t, ix),
        Golden {
            sqlite: "DROP INDEX audit.ix_events_at",
            postgres: "DROP INDEX audit.ix_events_at",
            mysql: "DROP INDEX ix_events_at ON audit.events",
        },
        &[],
    );
}

#[test]
fn sequences() {
    let seq = Sequence::new("user_id_seq").start(100).increment(5);
    let create = Ddl::CreateSequence(seq.clone());
    assert_compile(
        &create,
        &Postgres,
        "CREATE SEQUENCE user_id_seq INCREMENT BY 5 START WITH 100",
        &[],
    );
    assert_eq!(
        create.to_string(),
        "CREATE SEQUENCE user_id_seq INCREMENT BY 5 START WITH 100"
    );
    assert_unsupported(&create, &Sqlite);
    assert_unsupported(&create, &MySql);
    let drop = Ddl::DropSequence(Sequence::new("Seq").schema("app"));
    assert_compile(&drop, &Postgres, r#"DROP SEQUENCE app."Seq""#, &[]);
    assert_unsupported(&drop, &Sqlite);

    let md = MetaData::new();
    let t = Table::build("users", &md)
        .column(Column::new("id", Type::Integer).primary_key().sequence(seq))
        .finish()
        .expect("users");
    assert_compile(
        &Ddl::CreateTable(t),
        &Postgres,
        "CREATE TABLE users (id INTEGER DEFAULT nextval('user_id_seq') NOT NULL, PRIMARY KEY (id))",
        &[],
    );
}

#[test]
fn enums() {
    let md = MetaData::new();
    let ty = Type::Enum {
        name: Some("mood".into()),
        variants: vec!["sad".into(), "it's ok".into()],
    };
    let t = Table::build("people", &md)
        .column(Column::new("mood", ty))
        .finish()
        .expect("people");
    assert_all(
        &Ddl::CreateTable(t),
        Golden {
            sqlite: "CREATE TABLE people (mood VARCHAR(7))",
            postgres: "CREATE TABLE people (mood mood)",
            mysql: "CREATE TABLE people (mood ENUM('sad','it''s ok'))",
        },
        &[],
    );
    let create = Ddl::CreateEnum("mood".into(), vec!["sad".into(), "it's ok".into()]);
    assert_compile(
        &create,
        &Postgres,
        "CREATE TYPE mood AS ENUM ('sad', 'it''s ok')",
        &[],
    );
    assert_unsupported(&create, &Sqlite);
    assert_unsupported(&create, &MySql);
    assert_compile(
        &Ddl::DropEnum("mood".into()),
        &Postgres,
        "DROP TYPE mood",
        &[],
    );
    assert_compile(
        &Ddl::DropEnumIfExists("Mood Type".into()),
        &Postgres,
        r#"DROP TYPE IF EXISTS "Mood Type""#,
        &[],
    );
}

#[test]
fn comments_as_statements_inline_or_left_out() {
    let md = MetaData::new();
    let t = Table::build("t", &md)
        .column(Column::new("id", Type::Integer).comment(r"it's a \ key"))
        .column(Column::new("x", Type::Integer))
        .comment("the table")
        .finish()
        .unwrap();
    assert_all(
        &Ddl::CreateTable(t.clone()),
        Golden {
            sqlite: "CREATE TABLE t (id INTEGER, x INTEGER)",
            postgres: "CREATE TABLE t (id INTEGER, x INTEGER)",
            mysql: r"CREATE TABLE t (id INTEGER COMMENT 'it''s a \\ key', x INTEGER) COMMENT='the table'",
        },
        &[],
    );
    assert_compile(
        &Ddl::SetTableComment(t.clone()),
        &Postgres,
        "COMMENT ON TABLE t IS 'the table'",
        &[],
    );
    assert_compile(
        &Ddl::SetColumnComment(t.clone(), "id".into()),
        &Postgres,
        r"COMMENT ON COLUMN t.id IS 'it''s a \ key'",
        &[],
    );
    assert_unsupported(&Ddl::SetTableComment(t), &Sqlite);
}

#[test]
fn sqlite_foreign_keys_name_no_schema() {
    let md = MetaData::new();
    Table::build("p", &md)
        .schema("s")
        .column(Column::new("id", Type::Integer).primary_key())
        .finish()
        .unwrap();
    let c = Table::build("c", &md)
        .schema("s")
        .column(Column::new("p_id", Type::Integer).foreign_key(ForeignKey::new("s.p.id")))
        .column(Column::new("o_id", Type::Integer).foreign_key(ForeignKey::new("other.o.id")))
        .finish()
        .unwrap();
    // The same database's table is named without it; another database's can't be referred
    // to, so that constraint is left out (as SQLAlchemy does).
    assert_compile(
        &Ddl::CreateTable(c.clone()),
        &Sqlite,
        "CREATE TABLE s.c (p_id INTEGER, o_id INTEGER, FOREIGN KEY(p_id) REFERENCES p (id))",
        &[],
    );
    assert_compile(
        &Ddl::CreateTable(c),
        &Postgres,
        "CREATE TABLE s.c (p_id INTEGER, o_id INTEGER, FOREIGN KEY(p_id) REFERENCES s.p (id), FOREIGN KEY(o_id) REFERENCES other.o (id))",
        &[],
    );
}

/// A constraint or index name given outright that is longer than the database allows is an
/// `Error::Argument` when the DDL compiles (SQLAlchemy's IdentifierError), never sent for the
/// database to cut (PostgreSQL would truncate it to 63 bytes with only a notice); only names
/// a naming convention made are shortened, with their hash suffix.
#[test]
fn an_explicit_name_over_the_limit_is_refused_not_cut() {
    let long = "uq_".to_string() + &"x".repeat(70);
    let md = MetaData::new();
    let t = Table::build("named", &md)
        .column(Column::new("a", Type::Integer))
        .unique(UniqueConstraint::new(["a"]).name(long.clone()))
        .finish()
        .expect("named");
    for d in [&Postgres as &dyn Dialect, &MySql] {
        match Ddl::CreateTable(t.clone()).compile(d) {
            Err(Error::Argument(m)) => assert!(m.contains(&long), "{m}"),
            other => panic!("{}: expected Error::Argument, got {other:?}", d.name()),
        }
        match Ddl::CreateIndex(t.clone(), Index::new(long.clone(), ["a"])).compile(d) {
            Err(Error::Argument(m)) => assert!(m.contains(&long), "{m}"),
            other => panic!("{}: expected Error::Argument, got {other:?}", d.name()),
        }
    }
    // SQLite has no limit.
    assert!(Ddl::CreateTable(t).compile(&Sqlite).is_ok());
}
