//! The mapping check (`Registry::check`): models against the tables a database really has,
//! every mismatch reported at once. On SQLite, PostgreSQL and MariaDB: the Chinook models
//! against Chinook, models against the tables `create_all` made from them, and deliberately
//! wrong models against tables made by hand.

use athanor::error::{Mismatch, MismatchKind};
use athanor::orm::Registry;
use athanor::prelude::*;
use athanor::{Engine, Result};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use rust_decimal::Decimal;

use super::models::{
    Album, Artist, Employee, Genre, Invoice, InvoiceLine, MediaType, Playlist, PlaylistTrack, Track,
};
use super::support::{on_chinook, on_each, quiet};

#[test]
fn the_chinook_models_match_chinook() {
    on_chinook(|engine| {
        let registry = Registry::new()
            .model::<Artist>()
            .model::<Album>()
            .model::<Genre>()
            .model::<MediaType>()
            .model::<Track>()
            .model::<Playlist>()
            .model::<PlaylistTrack>()
            .model::<Employee>()
            .model::<Invoice>()
            .model::<InvoiceLine>();
        assert_eq!(registry.mismatches(engine)?, []);
        registry.check(engine)
    });
}

/// Every Rust type a field may have, `Option` or not, with and without `sql_type`: the
/// tables `create_all` makes from a model must pass the check on every database.
#[derive(Debug, Clone, PartialEq, Model)]
#[athanor(table = "mp_all_types")]
struct AllTypes {
    #[athanor(primary_key)]
    id: i64,
    a_i32: i32,
    a_i16: i16,
    a_f64: f64,
    a_f32: f32,
    a_bool: bool,
    #[athanor(sql_type = Type::String(Some(30)))]
    a_string: String,
    #[athanor(sql_type = Type::Text)]
    a_text: Option<String>,
    a_bytes: Vec<u8>,
    a_decimal: Decimal,
    a_date: NaiveDate,
    a_datetime: NaiveDateTime,
    a_time: NaiveTime,
    a_uuid: uuid::Uuid,
    a_json: serde_json::Value,
    maybe_i64: Option<i64>,
    maybe_f64: Option<f64>,
    maybe_bool: Option<bool>,
    maybe_date: Option<NaiveDate>,
    #[athanor(sql_type = Type::BigInteger)]
    big: i64,
    #[athanor(sql_type = Type::Unicode(Some(160)))]
    title: Option<String>,
    #[athanor(sql_type = Type::Numeric(Some(10), Some(2)))]
    price: Decimal,
    #[athanor(sql_type = Type::UnicodeText)]
    body: String,
    #[athanor(sql_type = Type::Double)]
    ratio: f64,
    #[athanor(server_default = "0")]
    hits: Option<i32>,
}

/// A composite key and a key the database doesn't generate.
#[derive(Debug, Clone, PartialEq, Model)]
#[athanor(table = "mp_pair")]
struct Pair {
    #[athanor(primary_key, sql_type = Type::String(Some(10)))]
    left: String,
    #[athanor(primary_key, autoincrement = false)]
    right: i64,
}

#[test]
fn models_match_the_tables_created_from_them() {
    on_each(|engine| {
        let registry = Registry::new()
            .model::<AllTypes>()
            .model::<Pair>()
            .model::<AllTypes>();
        assert_eq!(
            registry
                .tables()
                .iter()
                .map(|t| t.name())
                .collect::<Vec<_>>(),
            ["mp_all_types", "mp_pair"]
        );
        // Before the tables exist: one mismatch per model.
        let before: Vec<String> = registry
            .mismatches(engine)?
            .iter()
            .map(Mismatch::to_string)
            .collect();
        assert_eq!(
            before,
            [
                "AllTypes: table \"mp_all_types\" does not exist",
                "Pair: table \"mp_pair\" does not exist"
            ]
        );
        quiet(|| registry.metadata()?.create_all(engine))?;
        assert_eq!(registry.mismatches(engine)?, []);
        registry.check(engine)
    });
}

/// Wrong on purpose (against `mp_item` below), once for each kind of mismatch.
#[derive(Debug, Clone, PartialEq, Model)]
#[athanor(table = "mp_item")]
struct WrongItem {
    /// The table's key is (id, code): the model's is id alone.
    #[athanor(primary_key, autoincrement = false)]
    id: i64,
    /// VARCHAR(20) into an integer.
    qty: Option<i64>,
    /// Nullable into a non-`Option`.
    label: String,
    /// No such column (the table has `note`).
    #[athanor(column = "Note")]
    note: Option<String>,
    /// No such column at all.
    #[athanor(sql_type = Type::String(Some(10)))]
    missing: Option<String>,
    /// A wider integer column than the field: BIGINT into an i32.
    #[athanor(column = "total")]
    total: Option<i32>,
    // Not mapped: `code` (NOT NULL, in the key), `stock` (NOT NULL, no default) are
    // mismatches; `extra` (nullable) and `flag` (a default) are not.
}

/// An integer key the model leaves to the database, which doesn't generate it (PostgreSQL,
/// MariaDB; on SQLite an INTEGER PRIMARY KEY is the rowid, always generated).
#[derive(Debug, Clone, PartialEq, Model)]
#[athanor(table = "mp_counter")]
struct Counter {
    #[athanor(primary_key)]
    id: i64,
    n: Option<i64>,
}

/// A BIGINT key the model leaves to the database: generated nowhere (on SQLite only a key
/// declared exactly INTEGER is the rowid).
#[derive(Debug, Clone, PartialEq, Model)]
#[athanor(table = "mp_big")]
struct Big {
    #[athanor(primary_key, sql_type = Type::BigInteger)]
    id: i64,
}

/// A table that doesn't exist.
#[derive(Debug, Clone, PartialEq, Model)]
#[athanor(table = "mp_ghost")]
struct Ghost {
    #[athanor(primary_key)]
    id: i64,
}

/// A model that matches (the report names only what differs).
#[derive(Debug, Clone, PartialEq, Model)]
#[athanor(table = "mp_counter")]
struct CounterRead {
    #[athanor(primary_key, autoincrement = false)]
    id: i64,
    n: Option<i64>,
}

fn wrong_tables(engine: &Engine) -> Result<()> {
    let mut conn = engine.connect()?;
    conn.execute(&text(
        "CREATE TABLE mp_item (
            id INTEGER NOT NULL,
            code VARCHAR(20) NOT NULL,
            qty VARCHAR(20),
            label VARCHAR(50),
            note VARCHAR(50),
            total BIGINT,
            stock INTEGER NOT NULL,
            extra INTEGER,
            flag INTEGER DEFAULT 0 NOT NULL,
            PRIMARY KEY (id, code)
        )",
    ))?;
    conn.execute(&text(
        "CREATE TABLE mp_counter (id INTEGER NOT NULL PRIMARY KEY, n INTEGER)",
    ))?;
    conn.execute(&text(
        "CREATE TABLE mp_big (id BIGINT NOT NULL PRIMARY KEY)",
    ))?;
    Ok(())
}

#[test]
fn every_kind_of_mismatch_in_one_report() {
    on_each(|engine| {
        wrong_tables(engine)?;
        let registry = Registry::new()
            .model::<Ghost>()
            .model::<WrongItem>()
            .model::<Counter>()
            .model::<CounterRead>();
        let err = match registry.check(engine) {
            Err(Error::Mapping(e)) => e,
            other => panic!("expected a mapping error, got {other:?}"),
        };
        // The declared type text is each database's own spelling (`VARCHAR(20)`,
        // `character varying(20)`, `varchar(20)`), as reflection reads it.
        let columns = engine.inspect().get_columns("mp_item", None)?;
        let type_of = |name: &str| -> String {
            columns
                .iter()
                .find(|c| c.name == name)
                .map(|c| c.type_text())
                .unwrap_or_default()
        };
        let (varchar20, bigint, int_type) = (type_of("code"), type_of("total"), type_of("stock"));
        assert!(
            varchar20.eq_ignore_ascii_case("VARCHAR(20)") || varchar20 == "character varying(20)"
        );
        let sqlite = engine.dialect().name() == "sqlite";
        let mut expected = vec![
            Mismatch::new("Ghost", "mp_ghost", MismatchKind::MissingTable),
            Mismatch::new(
                "WrongItem",
                "mp_item",
                MismatchKind::IncompatibleType {
                    rust_type: "Option<i64>".into(),
                    sql_type: varchar20.clone(),
                },
            )
            .on("qty", "qty"),
            Mismatch::new(
                "WrongItem",
                "mp_item",
                MismatchKind::Nullable {
                    rust_type: "String".into(),
                },
            )
            .on("label", "label"),
            Mismatch::new(
                "WrongItem",
                "mp_item",
                MismatchKind::MissingColumn {
                    similar: Some("note".into()),
                },
            )
            .on("note", "Note"),
            Mismatch::new(
                "WrongItem",
                "mp_item",
                MismatchKind::MissingColumn { similar: None },
            )
            .on("missing", "missing"),
            Mismatch::new(
                "WrongItem",
                "mp_item",
                MismatchKind::IncompatibleType {
                    rust_type: "Option<i32>".into(),
                    sql_type: bigint.clone(),
                },
            )
            .on("total", "total"),
            Mismatch::new(
                "WrongItem",
                "mp_item",
                MismatchKind::UnmappedColumn {
                    sql_type: varchar20.clone(),
                },
            )
            .column("code"),
            Mismatch::new(
                "WrongItem",
                "mp_item",
                MismatchKind::UnmappedColumn {
                    sql_type: int_type.clone(),
                },
            )
            .column("stock"),
            Mismatch::new(
                "WrongItem",
                "mp_item",
                MismatchKind::PrimaryKey {
                    model: vec!["id".into()],
                    database: vec!["id".into(), "code".into()],
                },
            ),
        ];
        if !sqlite {
            expected.push(
                Mismatch::new("Counter", "mp_counter", MismatchKind::NotGenerated).on("id", "id"),
            );
        }
        assert_eq!(err.mismatches, expected, "{err}");

        // Display: every mismatch, one per line, naming model, field, column and what differs.
        let mut text = format!(
            "{} mapping mismatches between the models and the database:
  Ghost: table \"mp_ghost\" does not exist
  WrongItem.qty: column \"qty\" is {varchar20}, which a field of type `Option<i64>` can't hold
  WrongItem.label: column \"label\" is nullable but the field is `String`, not an Option: loading a NULL would fail
  WrongItem.note: table \"mp_item\" has no column \"Note\" (it has \"note\": names are compared exactly)
  WrongItem.missing: table \"mp_item\" has no column \"missing\"
  WrongItem.total: column \"total\" is {bigint}, which a field of type `Option<i32>` can't hold
  WrongItem: column \"code\" of table \"mp_item\" ({varchar20} NOT NULL, no default) is not mapped: an INSERT would fail
  WrongItem: column \"stock\" of table \"mp_item\" ({int_type} NOT NULL, no default) is not mapped: an INSERT would fail
  WrongItem: the primary key of table \"mp_item\" is (id) in the model, (id, code) in the database",
            expected.len()
        );
        if !sqlite {
            text.push_str("\n  Counter.id: the model leaves key column \"id\" to the database, which has no default, sequence or autoincrement for it: an INSERT without a key would fail");
        }
        assert_eq!(Error::Mapping(err).to_string(), text);
        Ok(())
    });
}

#[test]
fn a_key_the_database_does_not_generate() {
    on_each(|engine| {
        wrong_tables(engine)?;
        // Reflection says which keys the database generates: SQLite's INTEGER PRIMARY KEY
        // (the rowid), and not a BIGINT one.
        let insp = engine.inspect();
        let generated =
            |t: &str| -> Result<bool> { Ok(insp.get_columns(t, None)?[0].autoincrement) };
        let sqlite = engine.dialect().name() == "sqlite";
        assert_eq!(
            (generated("mp_counter")?, generated("mp_big")?),
            (sqlite, false)
        );
        let found = Registry::new().model::<Big>().mismatches(engine)?;
        assert_eq!(
            found,
            [Mismatch::new("Big", "mp_big", MismatchKind::NotGenerated).on("id", "id")]
        );
        // And the INSERT the check warns of fails.
        let mut s = Session::new(engine);
        s.add(Big { id: 0 })?;
        match quiet(|| s.flush()) {
            Err(Error::Integrity(d)) => {
                assert_eq!(
                    d.integrity,
                    Some(athanor::error::IntegrityKind::NotNull),
                    "{d}"
                );
            }
            other => panic!("expected a NOT NULL violation, got {other:?}"),
        }
        Ok(())
    });
}

#[test]
fn a_missing_column_reports_the_rest_of_the_model_too() {
    // A model wrong in several ways against Chinook's Album: every difference, not the first.
    #[derive(Debug, Clone, PartialEq, Model)]
    #[athanor(table = "Album")]
    struct Album2 {
        #[athanor(primary_key, column = "AlbumId")]
        id: i64,
        #[athanor(column = "Title")]
        title: i64,
        #[athanor(column = "Year")]
        year: Option<i64>,
    }
    on_chinook(|engine| {
        let found: Vec<(Option<String>, Option<String>)> = Registry::new()
            .model::<Album2>()
            .mismatches(engine)?
            .into_iter()
            .map(|m| (m.field, m.column))
            .collect();
        assert_eq!(
            found,
            [
                (Some("title".into()), Some("Title".into())),
                (Some("year".into()), Some("Year".into())),
                (None, Some("ArtistId".into())),
            ]
        );
        Ok(())
    });
}

/// A `chrono::DateTime<Utc>` field: `TIMESTAMP WITH TIME ZONE` on PostgreSQL, `DATETIME`
/// holding the UTC time elsewhere.
#[derive(Debug, Clone, PartialEq, Model)]
#[athanor(table = "mp_stamped")]
struct Stamped {
    #[athanor(primary_key)]
    id: i64,
    at: chrono::DateTime<chrono::Utc>,
    seen: Option<chrono::DateTime<chrono::Utc>>,
}

/// The model passes the mapping check against the table `create_all` makes from it on every
/// database, and the instant comes back as written, to the microsecond, through a session.
#[test]
fn utc_datetime_fields_map_and_round_trip() {
    on_each(|engine| {
        let registry = Registry::new().model::<Stamped>();
        quiet(|| registry.metadata()?.create_all(engine))?;
        assert_eq!(registry.mismatches(engine)?, []);
        let at = chrono::DateTime::from_timestamp(1_700_000_000, 123_456_000).expect("valid");
        let mut s = Session::new(engine);
        s.add(Stamped {
            id: 0,
            at,
            seen: None,
        })?;
        s.add(Stamped {
            id: 0,
            at,
            seen: Some(at + chrono::Duration::microseconds(1)),
        })?;
        s.commit()?;
        let mut s2 = Session::new(engine);
        let rows = s2.query::<Stamped>().order_by(Stamped::ID.asc()).all()?;
        let got: Vec<_> = rows
            .iter()
            .map(|r| s2.read(*r).map(|m| (m.at, m.seen)))
            .collect::<Result<_>>()?;
        assert_eq!(
            got,
            [
                (at, None),
                (at, Some(at + chrono::Duration::microseconds(1)))
            ]
        );
        Ok(())
    });
}
