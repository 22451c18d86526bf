//! Literals in DDL, executed on the real databases: server defaults of every value kind and
//! CHECK values made of hostile strings are stored exactly (a row inserted without them reads
//! them back unchanged, and so do the defaults reflection reports), and a NUL is refused
//! before anything is sent.

use athanor::dialect::MySql;
use athanor::prelude::*;
use athanor::{Engine, Error, Result};

use super::support::{fresh, on_all};

/// Strings that break naive quoting: quotes, backslashes (an escape on MySQL), SQL injection,
/// control characters, placeholder look-alikes, non-ASCII.
const HOSTILE: [&str; 10] = [
    "it's",
    r"back\slash",
    r"\'",
    r"\\",
    "'); DROP TABLE x; --",
    "a\nb\r\tc",
    r#""dq" `bt`"#,
    ":name ? $1 %s",
    "é ☃ 𝄞",
    "",
];

fn text_defaults_table(name: &str, md: &MetaData) -> Result<Table> {
    let mut b = Table::build(name, md).column(Column::new("id", Type::Integer).primary_key());
    for (i, s) in HOSTILE.iter().enumerate() {
        b = b.column(Column::new(format!("s{i}"), Type::String(Some(40))).server_default(*s));
    }
    b.finish()
}

/// Inserts a row with only its id and checks every text default reads back exactly.
fn assert_text_defaults(conn: &mut Connection, t: &Table) -> Result<()> {
    assert_text_defaults_but(conn, t, &[])
}

/// As [`assert_text_defaults`], with some defaults expected to read back otherwise.
fn assert_text_defaults_but(
    conn: &mut Connection,
    t: &Table,
    changed: &[(usize, &str)],
) -> Result<()> {
    conn.execute(&t.insert().values(row! { "id" => 1 }))?;
    let row = conn.execute(&select(t))?.one()?;
    for (i, want) in HOSTILE.iter().enumerate() {
        let want = changed
            .iter()
            .find(|(j, _)| *j == i)
            .map_or(*want, |(_, w)| w);
        let got: String = row.get(format!("s{i}").as_str())?;
        assert_eq!(got, want, "default of s{i}");
    }
    Ok(())
}

#[test]
fn hostile_text_defaults_are_stored_exactly() {
    on_all(|engine: &Engine| {
        let md = MetaData::new();
        let t = text_defaults_table("lit_text", &md)?;
        fresh(engine, &md)?;
        assert_text_defaults(&mut engine.connect()?, &t)?;

        // Reflected defaults are SQL that writes the same values again.
        let reflected = Table::autoload("lit_text", &MetaData::new(), engine)?;
        let copy_md = MetaData::new();
        let mut b = Table::build("lit_text_copy", &copy_md);
        for c in reflected.columns() {
            let mut col = Column::new(c.name(), c.ty.clone());
            if let Some(d) = &c.server_default {
                col = col.server_default(d.clone());
            }
            b = b.column(if c.primary_key {
                col.primary_key()
            } else {
                col
            });
        }
        let copy = b.finish()?;
        fresh(engine, &copy_md)?;
        // MariaDB prints a default's characters beyond U+FFFF as `?` in its own catalog
        // (information_schema and SHOW CREATE TABLE alike, though the table stores them
        // right), so no reflection can report them.
        let lossy: &[(usize, &str)] = if engine.dialect().name() == "mysql" {
            &[(8, "é ☃ ?")]
        } else {
            &[]
        };
        assert_text_defaults_but(&mut engine.connect()?, &copy, lossy)?;
        copy_md.drop_all(engine)?;
        md.drop_all(engine)
    });
}

/// With `NO_BACKSLASH_ESCAPES`, MySQL reads `\` as itself: the dialect must not double it.
#[test]
fn mysql_without_backslash_escapes_stores_backslashes_exactly() {
    on_all(|engine: &Engine| {
        if engine.dialect().name() != "mysql" {
            return Ok(());
        }
        let md = MetaData::new();
        let t = text_defaults_table("lit_nbe", &md)?;
        md.drop_all(engine)?;
        let mut conn = engine.connect()?;
        let mode: String = conn.execute(&text("SELECT @@SESSION.sql_mode"))?.scalar()?;
        conn.exec_driver_sql(
            "SET SESSION sql_mode = CONCAT(@@SESSION.sql_mode, ',NO_BACKSLASH_ESCAPES')",
        )?;
        let nbe = MySql {
            no_backslash_escapes: true,
            ..MySql
        };
        let outcome = Ddl::CreateTable(t.clone())
            .compile(&nbe)
            .and_then(|c| conn.exec_driver_sql(c.sql()))
            .and_then(|_| assert_text_defaults(&mut conn, &t));
        // The pooled connection goes back in the mode it came in.
        conn.execute(&text("SET SESSION sql_mode = :m").bind("m", mode))?;
        drop(conn);
        outcome?;
        md.drop_all(engine)
    });
}

#[cfg(all(
    feature = "chrono",
    feature = "rust_decimal",
    feature = "uuid",
    feature = "serde_json"
))]
#[test]
fn defaults_of_every_value_kind_are_stored_exactly() {
    use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
    use rust_decimal::Decimal;
    on_all(|engine: &Engine| {
        let doc =
            serde_json::json!({"note": "it's", "path": "C:\\tmp", "x": "'); DROP TABLE x; --"});
        let date = NaiveDate::from_ymd_opt(2024, 2, 29).unwrap();
        let dt = date.and_hms_micro_opt(23, 59, 58, 123_456).unwrap();
        let utc = Utc.with_ymd_and_hms(2024, 1, 2, 3, 4, 5).unwrap();
        let id = uuid::Uuid::from_u128(0x0123_4567_89ab_cdef_0123_4567_89ab_cdef);
        let dec = Decimal::new(-1250, 2);
        let bytes = b"'\\\0\xff".to_vec();
        let lit = |v: Value| ServerDefault::Literal(v);
        let md = MetaData::new();
        let t = Table::build("lit_kinds", &md)
            .column(Column::new("id", Type::Integer).primary_key())
            .column(Column::new("j", Type::Json).server_default(lit(doc.clone().into())))
            .column(Column::new("d", Type::Date).server_default(lit(date.into())))
            .column(Column::new("dt", Type::DateTime).server_default(lit(dt.into())))
            .column(Column::new("tm", Type::Time).server_default(lit(dt.time().into())))
            .column(Column::new("u", Type::DateTime).server_default(lit(utc.into())))
            .column(Column::new("g", Type::Uuid).server_default(lit(id.into())))
            .column(
                Column::new("n", Type::Numeric(Some(6), Some(2))).server_default(lit(dec.into())),
            )
            .column(Column::new("b", Type::LargeBinary).server_default(lit(bytes.clone().into())))
            .column(Column::new("f", Type::Float).server_default(-2.5e-300))
            .column(Column::new("flag", Type::Boolean).server_default(true))
            .finish()?;
        fresh(engine, &md)?;
        let mut conn = engine.connect()?;
        conn.execute(&t.insert().values(row! { "id" => 1 }))?;
        let row = conn.execute(&select(&t))?.one()?;
        assert_eq!(row.get::<serde_json::Value, _>("j")?, doc);
        assert_eq!(row.get::<NaiveDate, _>("d")?, date);
        assert_eq!(row.get::<NaiveDateTime, _>("dt")?, dt);
        assert_eq!(row.get::<NaiveTime, _>("tm")?, dt.time());
        assert_eq!(row.get::<DateTime<Utc>, _>("u")?, utc);
        assert_eq!(row.get::<uuid::Uuid, _>("g")?, id);
        assert_eq!(row.get::<Decimal, _>("n")?, dec);
        assert_eq!(row.get::<Vec<u8>, _>("b")?, bytes);
        assert_eq!(row.get::<f64, _>("f")?, -2.5e-300);
        assert!(row.get::<bool, _>("flag")?);
        drop(conn);
        md.drop_all(engine)
    });
}

#[test]
fn check_values_are_hostile_strings_compared_exactly() {
    on_all(|engine: &Engine| {
        let md = MetaData::new();
        let t = Table::build("lit_check", &md)
            .column(Column::new("id", Type::Integer).primary_key())
            .column(Column::new("note", Type::String(Some(40))))
            .check(
                CheckConstraint::new("note <> :bad AND note <> :slash")
                    .bind("bad", "'); DROP TABLE lit_check; --")
                    .bind("slash", r"a\b")
                    .name("ck_lit_note"),
            )
            .finish()?;
        fresh(engine, &md)?;
        let mut conn = engine.connect()?;
        for (id, note) in [(1, "'); DROP TABLE lit_check; --"), (2, r"a\b")] {
            match conn.execute(&t.insert().values(row! { "id" => id, "note" => note })) {
                Err(Error::Integrity(_)) => {}
                other => panic!("{note:?} should break the CHECK, got {other:?}"),
            }
        }
        // Near misses pass: the literal is exactly the bound string.
        for (id, note) in [(3, "'); DROP TABLE lit_check;"), (4, r"a\\b"), (5, "ab")] {
            conn.execute(&t.insert().values(row! { "id" => id, "note" => note }))?;
        }
        let n: i64 = conn
            .execute(&select(func::count_star()).select_from(&t))?
            .scalar()?;
        assert_eq!(n, 3);
        drop(conn);
        md.drop_all(engine)
    });
}

#[test]
fn a_nul_in_a_default_is_refused_before_anything_is_sent() {
    on_all(|engine: &Engine| {
        let md = MetaData::new();
        Table::build("lit_nul", &md)
            .column(Column::new("v", Type::String(Some(5))).server_default("a\0b"))
            .finish()?;
        match md.create_all(engine) {
            Err(Error::Compile(e)) => assert!(e.to_string().contains("NUL"), "{e}"),
            other => panic!("expected a compile error, got {other:?}"),
        }
        assert!(!engine.inspect().has_table("lit_nul", None)?);
        Ok(())
    });
}
