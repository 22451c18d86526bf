//! Literals in DDL (server defaults, CHECK values, enum variants): DDL can't bind, so every
//! value is written through the dialect's one escaper. Hostile strings come out as exactly one
//! literal on each dialect; a NUL is refused.

use athanor_core::dialect::{Dialect, MySql, Postgres, Sqlite};
use athanor_core::prelude::*;

use crate::{Golden, assert_all, assert_unsupported, compile_error};

fn table_with_default(ty: Type, default: Value) -> Table {
    let md = MetaData::new();
    Table::build("t", &md)
        .column(Column::new("v", ty).server_default(ServerDefault::Literal(default)))
        .finish()
        .expect("t")
}

/// The SQL of `CREATE TABLE t (v <ty> DEFAULT <literal>)` on one dialect.
fn default_sql(d: &dyn Dialect, ty: Type, default: impl Into<Value>) -> String {
    Ddl::CreateTable(table_with_default(ty, default.into()))
        .compile(d)
        .unwrap_or_else(|e| panic!("{}: {e}", d.name()))
        .sql()
        .to_string()
}

#[test]
fn hostile_text_defaults_are_one_literal_on_every_dialect() {
    // (value, SQLite and PostgreSQL, MySQL): only `'` is special in standard SQL; MySQL's
    // default mode also reads `\` as an escape.
    let cases = [
        ("it's", r"'it''s'", r"'it''s'"),
        (r"back\slash", r"'back\slash'", r"'back\\slash'"),
        (r"\'", r"'\'''", r"'\\'''"),
        (r"\\", r"'\\'", r"'\\\\'"),
        (
            "'); DROP TABLE x; --",
            "'''); DROP TABLE x; --'",
            "'''); DROP TABLE x; --'",
        ),
        ("a\nb\r\tc", "'a\nb\r\tc'", "'a\nb\r\tc'"),
        (r#""dq" `bt`"#, r#"'"dq" `bt`'"#, r#"'"dq" `bt`'"#),
        (":name ? $1 %s", "':name ? $1 %s'", "':name ? $1 %s'"),
        ("é ☃ 𝄞", "'é ☃ 𝄞'", "'é ☃ 𝄞'"),
        ("", "''", "''"),
    ];
    for (value, standard, mysql) in cases {
        let ty = || Type::String(Some(40));
        let sql = |lit: &str, t: &str| format!("CREATE TABLE t (v {t} DEFAULT {lit})");
        assert_eq!(
            default_sql(&Sqlite, ty(), value),
            sql(standard, "VARCHAR(40)")
        );
        assert_eq!(
            default_sql(&Postgres, ty(), value),
            sql(standard, "VARCHAR(40)")
        );
        assert_eq!(default_sql(&MySql, ty(), value), sql(mysql, "VARCHAR(40)"));
    }
}

#[test]
fn mysql_without_backslash_escapes_keeps_backslashes() {
    let nbe = MySql {
        no_backslash_escapes: true,
        ..MySql
    };
    assert_eq!(
        default_sql(&nbe, Type::String(Some(9)), r"a\b'c"),
        r"CREATE TABLE t (v VARCHAR(9) DEFAULT 'a\b''c')"
    );
    assert_ne!(nbe.cache_tag(), MySql.cache_tag());
}

#[test]
fn a_nul_character_is_refused_everywhere_a_literal_goes() {
    let default = Ddl::CreateTable(table_with_default(Type::String(Some(5)), "a\0b".into()));
    let md = MetaData::new();
    let check = Ddl::CreateTable(
        Table::build("c", &md)
            .column(Column::new("v", Type::Integer))
            .check(CheckConstraint::new("v <> :x").bind("x", "\0"))
            .finish()
            .expect("c"),
    );
    let variants = vec!["ok".to_string(), "n\0ul".to_string()];
    let enum_col = Ddl::CreateTable(
        Table::build("e", &md)
            .column(Column::new(
                "v",
                Type::Enum {
                    name: None,
                    variants: variants.clone(),
                },
            ))
            .finish()
            .expect("e"),
    );
    for d in [&Sqlite as &dyn Dialect, &Postgres, &MySql] {
        assert_unsupported(&default, d);
        assert_unsupported(&check, d);
    }
    assert_unsupported(&enum_col, &MySql);
    assert_unsupported(&Ddl::CreateEnum("e".into(), variants), &Postgres);
    let msg = compile_error(&default, &Sqlite).to_string();
    assert!(msg.contains("NUL") && msg.contains("INSERT"), "{msg}");
}

#[test]
fn scalar_defaults() {
    let md = MetaData::new();
    let t = Table::build("t", &md)
        .column(Column::new("i", Type::BigInteger).server_default(i64::MIN))
        .column(Column::new("f", Type::Float).server_default(-2.5e-300))
        .column(Column::new("b", Type::Boolean).server_default(false))
        .column(
            Column::new("bin", Type::LargeBinary)
                .server_default(ServerDefault::Literal(Value::Bytes(b"'\\\0".to_vec()))),
        )
        .column(Column::new("n", Type::Integer).server_default(ServerDefault::Literal(Value::Null)))
        .finish()
        .expect("t");
    assert_all(
        &Ddl::CreateTable(t),
        Golden {
            sqlite: "CREATE TABLE t (i BIGINT DEFAULT -9223372036854775808, f FLOAT DEFAULT -2.5e-300, b BOOLEAN DEFAULT 0, bin BLOB DEFAULT X'275C00', n INTEGER DEFAULT NULL)",
            postgres: r"CREATE TABLE t (i BIGINT DEFAULT -9223372036854775808, f FLOAT DEFAULT -2.5e-300, b BOOLEAN DEFAULT false, bin BYTEA DEFAULT '\x275c00'::bytea, n INTEGER DEFAULT NULL)",
            mysql: "CREATE TABLE t (i BIGINT DEFAULT -9223372036854775808, f DOUBLE DEFAULT -2.5e-300, b BOOL DEFAULT 0, bin LONGBLOB DEFAULT X'275C00', n INTEGER DEFAULT NULL)",
        },
        &[],
    );
    let nan = Ddl::CreateTable(table_with_default(Type::Float, Value::Float(f64::NAN)));
    for d in [&Sqlite as &dyn Dialect, &Postgres, &MySql] {
        assert_unsupported(&nan, d);
    }
}

#[cfg(feature = "serde_json")]
#[test]
fn json_defaults_are_escaped() {
    let doc = serde_json::json!({"note": "it's", "path": "C:\\tmp", "x": "'); DROP TABLE x; --"});
    let ty = || Type::Json;
    // serde_json writes the keys in order and `\` as `\\` inside the JSON text.
    let json = r#"{"note":"it''s","path":"C:\\tmp","x":"''); DROP TABLE x; --"}"#;
    assert_eq!(
        default_sql(&Sqlite, ty(), doc.clone()),
        format!("CREATE TABLE t (v JSON DEFAULT '{json}')")
    );
    assert_eq!(
        default_sql(&Postgres, ty(), doc.clone()),
        format!("CREATE TABLE t (v JSONB DEFAULT '{json}')")
    );
    assert_eq!(
        default_sql(&MySql, ty(), doc),
        r#"CREATE TABLE t (v JSON DEFAULT '{"note":"it''s","path":"C:\\\\tmp","x":"''); DROP TABLE x; --"}')"#
    );
}

#[cfg(all(feature = "chrono", feature = "rust_decimal", feature = "uuid"))]
#[test]
fn date_decimal_and_uuid_defaults() {
    use chrono::{NaiveDate, TimeZone, Utc};
    let date = NaiveDate::from_ymd_opt(2024, 2, 29).unwrap();
    let dt = date.and_hms_micro_opt(23, 59, 58, 123_456).unwrap();
    let utc = Utc.with_ymd_and_hms(2024, 1, 2, 3, 4, 5).unwrap();
    let uuid = uuid::Uuid::from_u128(0x0123_4567_89ab_cdef_0123_4567_89ab_cdef);
    let dec = rust_decimal::Decimal::new(-1250, 2);
    let md = MetaData::new();
    let t = Table::build("t", &md)
        .column(Column::new("d", Type::Date).server_default(ServerDefault::Literal(date.into())))
        .column(Column::new("dt", Type::DateTime).server_default(ServerDefault::Literal(dt.into())))
        .column(
            Column::new("tm", Type::Time).server_default(ServerDefault::Literal(dt.time().into())),
        )
        .column(Column::new("u", Type::DateTime).server_default(ServerDefault::Literal(utc.into())))
        .column(Column::new("id", Type::Uuid).server_default(ServerDefault::Literal(uuid.into())))
        .column(
            Column::new("n", Type::Numeric(Some(6), Some(2)))
                .server_default(ServerDefault::Literal(dec.into())),
        )
        .finish()
        .expect("t");
    assert_all(
        &Ddl::CreateTable(t),
        Golden {
            sqlite: "CREATE TABLE t (d DATE DEFAULT '2024-02-29', dt DATETIME DEFAULT '2024-02-29 23:59:58.123456', tm TIME DEFAULT '23:59:58.123456', u DATETIME DEFAULT '2024-01-02 03:04:05', id CHAR(32) DEFAULT '0123456789abcdef0123456789abcdef', n NUMERIC(6, 2) DEFAULT -12.50)",
            postgres: "CREATE TABLE t (d DATE DEFAULT '2024-02-29', dt TIMESTAMP WITHOUT TIME ZONE DEFAULT '2024-02-29 23:59:58.123456', tm TIME WITHOUT TIME ZONE DEFAULT '23:59:58.123456', u TIMESTAMP WITHOUT TIME ZONE DEFAULT '2024-01-02T03:04:05+00:00', id UUID DEFAULT '01234567-89ab-cdef-0123-456789abcdef', n NUMERIC(6, 2) DEFAULT -12.50)",
            mysql: "CREATE TABLE t (d DATE DEFAULT '2024-02-29', dt DATETIME(6) DEFAULT '2024-02-29 23:59:58.123456', tm TIME(6) DEFAULT '23:59:58.123456', u DATETIME(6) DEFAULT '2024-01-02 03:04:05', id CHAR(32) DEFAULT '0123456789abcdef0123456789abcdef', n NUMERIC(6, 2) DEFAULT -12.50)",
        },
        &[],
    );
}

#[test]
fn check_values_are_written_through_the_escaper() {
    let md = MetaData::new();
    let t = Table::build("t", &md)
        .column(Column::new("note", Type::String(Some(40))))
        .check(
            CheckConstraint::new("note <> :bad AND note <> :slash AND length(note) < :n")
                .bind("bad", "'); DROP TABLE t; --")
                .bind("slash", r"a\b")
                .bind("n", 30)
                .name("ck_note"),
        )
        .finish()
        .expect("t");
    assert_all(
        &Ddl::CreateTable(t),
        Golden {
            sqlite: r"CREATE TABLE t (note VARCHAR(40), CONSTRAINT ck_note CHECK (note <> '''); DROP TABLE t; --' AND note <> 'a\b' AND length(note) < 30))",
            postgres: r"CREATE TABLE t (note VARCHAR(40), CONSTRAINT ck_note CHECK (note <> '''); DROP TABLE t; --' AND note <> 'a\b' AND length(note) < 30))",
            mysql: r"CREATE TABLE t (note VARCHAR(40), CONSTRAINT ck_note CHECK (note <> '''); DROP TABLE t; --' AND note <> 'a\\b' AND length(note) < 30))",
        },
        &[],
    );
}

#[test]
fn check_parameters_and_values_must_match() {
    let build = |ck: CheckConstraint| {
        Ddl::CreateTable(
            Table::build("t", &MetaData::new())
                .column(Column::new("v", Type::Integer))
                .check(ck)
                .finish()
                .expect("t"),
        )
    };
    // A CHECK without values is SQL as written (a cast's `::` and quoted colons included).
    let raw = build(CheckConstraint::new("v::int > 0 OR ':x' = ':x'"));
    assert_eq!(
        raw.compile(&Postgres).unwrap().sql(),
        "CREATE TABLE t (v INTEGER, CHECK (v::int > 0 OR ':x' = ':x'))"
    );
    let unbound = build(CheckConstraint::new("v > :lo AND v < :hi").bind("lo", 1));
    match compile_error(&unbound, &Sqlite) {
        Error::Argument(m) => assert!(m.contains(":hi") && m.contains(".bind(\"hi\""), "{m}"),
        other => panic!("expected Argument, got {other:?}"),
    }
    let unused = build(
        CheckConstraint::new("v > :lo")
            .bind("lo", 1)
            .bind("typo", 2),
    );
    match compile_error(&unused, &Sqlite) {
        Error::Argument(m) => assert!(m.contains(":typo"), "{m}"),
        other => panic!("expected Argument, got {other:?}"),
    }
}

#[test]
fn hostile_enum_variants() {
    let variants = vec!["it's".to_string(), r"a\b".to_string(), "x,y)".to_string()];
    let md = MetaData::new();
    let t = Table::build("t", &md)
        .column(Column::new(
            "v",
            Type::Enum {
                name: Some("mood".into()),
                variants: variants.clone(),
            },
        ))
        .finish()
        .expect("t");
    assert_eq!(
        Ddl::CreateTable(t).compile(&MySql).unwrap().sql(),
        r"CREATE TABLE t (v ENUM('it''s','a\\b','x,y)'))"
    );
    assert_eq!(
        Ddl::CreateEnum("mood".into(), variants)
            .compile(&Postgres)
            .unwrap()
            .sql(),
        r"CREATE TYPE mood AS ENUM ('it''s', 'a\b', 'x,y)')"
    );
}
