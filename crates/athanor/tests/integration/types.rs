//! Round trips of every `Type` with Rust values, NULLs, and conversion errors that name the
//! column and both types. Feature-gated conversions (chrono, rust_decimal, uuid, serde_json)
//! run when their feature is on.

use std::fmt::Debug;

use athanor::prelude::*;
use athanor::{Engine, Error, FromValue, Result};

use super::support::{fresh, on_all};

/// Creates `{name}(id INTEGER PK, v <ty>)`, inserts the values in order, reads them back as
/// `T` in id order.
fn round_trip<T>(engine: &Engine, name: &str, ty: Type, values: &[T]) -> Result<Vec<T>>
where
    T: Clone + Into<Value> + FromValue,
{
    let md = MetaData::new();
    let t = Table::build(name, &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .column(Column::new("v", ty))
        .finish()?;
    fresh(engine, &md)?;
    let mut conn = engine.connect()?;
    conn.execute_many(
        &t.insert(),
        values
            .iter()
            .enumerate()
            .map(|(i, v)| Values::new().set("id", i as i64).set("v", v.clone().into())),
    )?;
    let out = conn
        .execute(&select(t.c("v")).order_by(t.c("id")))?
        .scalars()?;
    drop(conn);
    md.drop_all(engine)?;
    Ok(out)
}

#[track_caller]
fn assert_round_trip<T>(engine: &Engine, name: &str, ty: Type, values: &[T]) -> Result<()>
where
    T: Clone + Into<Value> + FromValue + PartialEq + Debug,
{
    let back = round_trip(engine, name, ty.clone(), values)?;
    assert_eq!(back, values, "{name} ({ty})");
    Ok(())
}

#[test]
fn integers() {
    on_all(|engine| {
        assert_round_trip(
            engine,
            "ty_bigint",
            Type::BigInteger,
            &[i64::MIN, -1, 0, 1, i64::MAX],
        )?;
        assert_round_trip(engine, "ty_int", Type::Integer, &[i32::MIN, 0, i32::MAX])?;
        assert_round_trip(
            engine,
            "ty_smallint",
            Type::SmallInteger,
            &[i16::MIN, 7, i16::MAX],
        )?;
        assert_round_trip(engine, "ty_u32", Type::BigInteger, &[0u32, u32::MAX])?;
        assert_round_trip(engine, "ty_u8", Type::SmallInteger, &[0u8, 255])?;
        assert_round_trip(
            engine,
            "ty_int_opt",
            Type::Integer,
            &[Some(1i64), None, Some(-3)],
        )?;
        Ok(())
    });
}

#[test]
fn floats() {
    on_all(|engine| {
        let xs = [
            0.0,
            -0.5,
            0.1 + 0.2,
            1.0 / 3.0,
            45.1,
            27.3,
            -1e300,
            f64::MIN_POSITIVE,
            f64::MAX,
            f64::EPSILON,
        ];
        assert_round_trip(engine, "ty_float", Type::Float, &xs)?;
        assert_round_trip(engine, "ty_double", Type::Double, &xs)?;
        assert_round_trip(engine, "ty_f32", Type::Float, &[1.5f32, -0.25, f32::MAX])?;
        assert_round_trip(engine, "ty_float_opt", Type::Double, &[None, Some(2.5f64)])?;
        Ok(())
    });
}

#[test]
fn strings_and_unicode() {
    on_all(|engine| {
        let texts = [
            String::new(),
            "plain".to_string(),
            "héllo wörld — 日本語 🎉 ñandú".to_string(),
            "quotes ' \" ` and ; -- /* */".to_string(),
            "line\nbreak\ttab\\backslash".to_string(),
            "x".repeat(100_000),
        ];
        assert_round_trip(engine, "ty_text", Type::Text, &texts)?;
        assert_round_trip(engine, "ty_unicode_text", Type::UnicodeText, &texts)?;
        let short = ["".to_string(), "ünï".to_string(), "🎉".to_string()];
        assert_round_trip(engine, "ty_varchar", Type::String(Some(10)), &short)?;
        assert_round_trip(engine, "ty_nvarchar", Type::Unicode(Some(10)), &short)?;
        assert_round_trip(
            engine,
            "ty_str_opt",
            Type::String(Some(10)),
            &[None, Some("a".to_string())],
        )?;
        // &str goes in, String comes out.
        let mut conn = engine.connect()?;
        let back: String = conn.execute(&select(literal("ß").label("s")))?.scalar()?;
        assert_eq!(back, "ß");
        Ok(())
    });
}

#[test]
fn bytes() {
    on_all(|engine| {
        let all: Vec<u8> = (0..=255).collect();
        let blobs = [
            Vec::new(),
            all,
            b"\0\0\xff".to_vec(),
            "ü".as_bytes().to_vec(),
        ];
        assert_round_trip(engine, "ty_blob", Type::LargeBinary, &blobs)?;
        assert_round_trip(
            engine,
            "ty_blob_opt",
            Type::LargeBinary,
            &[None, Some(vec![1u8, 2, 3])],
        )?;
        Ok(())
    });
}

#[test]
fn booleans() {
    on_all(|engine| {
        assert_round_trip(engine, "ty_bool", Type::Boolean, &[true, false, true])?;
        assert_round_trip(
            engine,
            "ty_bool_opt",
            Type::Boolean,
            &[Some(false), None, Some(true)],
        )?;
        // Booleans filter as booleans.
        let md = MetaData::new();
        let t = Table::build("ty_bool_filter", &md)
            .column(Column::new("id", Type::Integer).primary_key())
            .column(Column::new("ok", Type::Boolean))
            .finish()?;
        fresh(engine, &md)?;
        let mut conn = engine.connect()?;
        conn.execute(&t.insert().values_many([
            row! { "id" => 1, "ok" => true },
            row! { "id" => 2, "ok" => false },
            row! { "id" => 3, "ok" => None::<bool> },
        ]))?;
        let ids: Vec<i64> = conn
            .execute(&select(t.c("id")).filter(t.c("ok").eq(true)))?
            .scalars()?;
        assert_eq!(ids, [1]);
        let ids: Vec<i64> = conn
            .execute(&select(t.c("id")).filter(t.c("ok").eq(false_())))?
            .scalars()?;
        assert_eq!(ids, [2]);
        let ids: Vec<i64> = conn
            .execute(&select(t.c("id")).filter(t.c("ok").is_null()))?
            .scalars()?;
        assert_eq!(ids, [3]);
        Ok(())
    });
}

#[test]
fn enums_round_trip() {
    on_all(|engine| {
        let md = MetaData::new();
        let mood = Type::Enum {
            name: Some("ty_mood".into()),
            variants: vec!["happy".into(), "sad".into(), "it's complicated".into()],
        };
        let t = Table::build("ty_enum", &md)
            .column(Column::new("id", Type::Integer).primary_key())
            .column(Column::new("mood", mood))
            .finish()?;
        fresh(engine, &md)?;
        let mut conn = engine.connect()?;
        conn.execute(
            &t.insert()
                .values(row! { "id" => 1, "mood" => "it's complicated" }),
        )?;
        conn.execute(
            &t.insert()
                .values(row! { "id" => 2, "mood" => None::<String> }),
        )?;
        // Servers refuse a value outside the enum. SQLite stores it as VARCHAR without a CHECK
        // (SQLAlchemy 2's default, create_constraint=False), so it is not checked there.
        if engine.dialect().name() != "sqlite" {
            let err = conn
                .execute(&t.insert().values(row! { "id" => 3, "mood" => "angry" }))
                .expect_err("not a variant");
            assert!(
                matches!(
                    err,
                    Error::Integrity(_) | Error::Data(_) | Error::Programming(_)
                ),
                "{err:?}"
            );
        }
        let moods: Vec<Option<String>> = conn
            .execute(&select(t.c("mood")).order_by(t.c("id")))?
            .scalars()?;
        assert_eq!(moods, [Some("it's complicated".to_string()), None]);
        drop(conn);
        md.drop_all(engine)?;
        Ok(())
    });
}

#[test]
fn every_type_holds_null() {
    on_all(|engine| {
        let md = MetaData::new();
        let types = [
            Type::Integer,
            Type::SmallInteger,
            Type::BigInteger,
            Type::Float,
            Type::Double,
            Type::Numeric(Some(10), Some(2)),
            Type::String(Some(20)),
            Type::Text,
            Type::Unicode(Some(20)),
            Type::UnicodeText,
            Type::Boolean,
            Type::Date,
            Type::Time,
            Type::DateTime,
            Type::Interval,
            Type::LargeBinary,
            Type::Enum {
                name: Some("ty_null_enum".into()),
                variants: vec!["a".into()],
            },
            Type::Json,
            Type::Uuid,
        ];
        let mut b =
            Table::build("ty_nulls", &md).column(Column::new("id", Type::Integer).primary_key());
        for (i, ty) in types.iter().enumerate() {
            b = b.column(Column::new(format!("c{i}"), ty.clone()));
        }
        let t = b.finish()?;
        fresh(engine, &md)?;
        let mut conn = engine.connect()?;
        conn.execute(&t.insert().values(row! { "id" => 1 }))?;
        let row = conn.execute(&select(&t))?.one()?;
        assert_eq!(row.len(), types.len() + 1);
        for (i, ty) in types.iter().enumerate() {
            let name = format!("c{i}");
            assert_eq!(row.value(&name)?, &Value::Null, "{ty}");
            assert_eq!(row.get::<Option<String>, _>(&name)?, None, "{ty}");
            assert_eq!(row.get::<Option<i64>, _>(&name)?, None, "{ty}");
            // NULL into a non-Option type is a conversion error naming the column.
            let err = row.get::<i64, _>(&name).expect_err("NULL into i64");
            match err {
                Error::Conversion(c) => {
                    assert_eq!(c.column.as_deref(), Some(name.as_str()));
                    assert_eq!(c.index, Some(i + 1));
                    assert_eq!((c.found, c.expected), ("NULL", "i64"));
                }
                other => panic!("expected Conversion, got {other:?}"),
            }
        }
        drop(conn);
        md.drop_all(engine)?;
        Ok(())
    });
}

#[test]
fn conversion_errors_name_the_column_and_both_types() {
    on_all(|engine| {
        let mut conn = engine.connect()?;
        let row = conn
            .execute(&select((
                literal("abc").label("word"),
                literal(i64::MAX).label("big"),
                literal(1.5).label("real"),
                literal(vec![0xffu8, 0xfe]).label("blob"),
            )))?
            .one()?;
        let check = |e: Error, column: &str, index: usize, found: &str, expected: &str| match e {
            Error::Conversion(c) => {
                assert_eq!(c.column.as_deref(), Some(column), "{c}");
                assert_eq!(c.index, Some(index), "{c}");
                assert_eq!((c.found, c.expected), (found, expected), "{c}");
                let msg = c.to_string();
                assert!(
                    msg.contains(column) && msg.contains(found) && msg.contains(expected),
                    "{msg}"
                );
            }
            other => panic!("expected Conversion, got {other:?}"),
        };
        check(
            row.get::<i64, _>("word").expect_err("text"),
            "word",
            0,
            "TEXT",
            "i64",
        );
        check(
            row.get::<f64, _>(0).expect_err("text"),
            "word",
            0,
            "TEXT",
            "f64",
        );
        check(
            row.get::<bool, _>("word").expect_err("text"),
            "word",
            0,
            "TEXT",
            "bool",
        );
        check(
            row.get::<i32, _>("big").expect_err("overflow"),
            "big",
            1,
            "INTEGER",
            "i32",
        );
        check(
            row.get::<u8, _>("big").expect_err("overflow"),
            "big",
            1,
            "INTEGER",
            "u8",
        );
        check(
            row.get::<String, _>("big").expect_err("int"),
            "big",
            1,
            "INTEGER",
            "String",
        );
        check(
            row.get::<i64, _>("real").expect_err("float"),
            "real",
            2,
            "FLOAT",
            "i64",
        );
        check(
            row.get::<String, _>("blob").expect_err("bytes"),
            "blob",
            3,
            "BLOB",
            "String",
        );
        check(
            row.get::<Vec<u8>, _>("real").expect_err("float"),
            "real",
            2,
            "FLOAT",
            "Vec<u8>",
        );
        // The same through scalar(), scalars() and tuples().
        let err = conn
            .execute(&select(literal("x").label("only")))?
            .scalar::<i64>()
            .expect_err("text");
        check(err, "only", 0, "TEXT", "i64");
        let err = conn
            .execute(&select(literal("x").label("only")))?
            .scalars::<i64>()
            .expect_err("text");
        check(err, "only", 0, "TEXT", "i64");
        let err = conn
            .execute(&select((literal(1).label("n"), literal("x").label("s"))))?
            .tuples::<(i64, i64)>()
            .expect_err("text");
        check(err, "s", 1, "TEXT", "i64");
        // A u64 beyond i64::MAX can't be stored as an integer: an error, never a panic.
        let err = conn
            .execute(&select(literal(u64::MAX).label("huge")))?
            .scalar::<u64>()
            .expect_err("u64::MAX does not fit SQL's signed integers");
        assert!(matches!(err, Error::Conversion(_)), "{err:?}");
        Ok(())
    });
}

#[cfg(feature = "chrono")]
#[test]
fn chrono_dates_and_times() {
    use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
    on_all(|engine| {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).expect("valid date");
        let t = |h, m, s, micro| NaiveTime::from_hms_micro_opt(h, m, s, micro).expect("valid time");
        assert_round_trip(
            engine,
            "ty_date",
            Type::Date,
            &[d(2007, 1, 1), d(1999, 12, 31), d(2024, 2, 29), d(1, 1, 1)],
        )?;
        assert_round_trip(
            engine,
            "ty_time",
            Type::Time,
            &[t(0, 0, 0, 0), t(23, 59, 59, 999_999), t(12, 30, 0, 500)],
        )?;
        let dts: Vec<NaiveDateTime> = vec![
            d(2009, 1, 1).and_time(t(0, 0, 0, 0)),
            d(2011, 12, 22).and_time(t(13, 45, 7, 123_456)),
        ];
        assert_round_trip(engine, "ty_datetime", Type::DateTime, &dts)?;
        let utc: Vec<DateTime<Utc>> = vec![
            Utc.with_ymd_and_hms(2010, 6, 15, 8, 0, 1)
                .single()
                .expect("valid"),
            Utc.timestamp_opt(0, 0).single().expect("epoch"),
        ];
        assert_round_trip(engine, "ty_datetime_utc", Type::DateTime, &utc)?;
        assert_round_trip(
            engine,
            "ty_date_opt",
            Type::Date,
            &[None, Some(d(2020, 5, 17))],
        )?;
        // Dates bind as parameters and compare in SQL.
        let md = MetaData::new();
        let inv = Table::build("ty_invoices", &md)
            .column(Column::new("id", Type::Integer).primary_key())
            .column(Column::new("at", Type::DateTime))
            .finish()?;
        fresh(engine, &md)?;
        let mut conn = engine.connect()?;
        conn.execute_many(
            &inv.insert(),
            (1..=12u32).map(
                |m| row! { "id" => i64::from(m), "at" => d(2009, m, 1).and_time(t(10, 0, 0, 0)) },
            ),
        )?;
        let q = select(inv.c("id"))
            .filter(inv.c("at").between(
                d(2009, 3, 1).and_time(t(0, 0, 0, 0)),
                d(2009, 5, 31).and_time(t(0, 0, 0, 0)),
            ))
            .order_by(inv.c("id"));
        assert_eq!(conn.execute(&q)?.scalars::<i64>()?, [3, 4, 5]);
        let months: Vec<i64> = conn
            .execute(
                &select(extract(DatePart::Month, inv.c("at")))
                    .filter(inv.c("id").in_([2, 11]))
                    .order_by(inv.c("id")),
            )?
            .scalars()?;
        assert_eq!(months, [2, 11]);
        // Text that is not a date is a conversion error quoting it.
        let err = conn
            .execute(&select(literal("not a date").label("when")))?
            .scalar::<NaiveDate>()
            .expect_err("bad date");
        match err {
            Error::Conversion(c) => {
                assert_eq!(c.column.as_deref(), Some("when"));
                assert!(
                    c.detail
                        .as_deref()
                        .is_some_and(|d| d.contains("not a date")),
                    "{c}"
                );
            }
            other => panic!("expected Conversion, got {other:?}"),
        }
        drop(conn);
        md.drop_all(engine)?;
        Ok(())
    });
}

#[cfg(feature = "rust_decimal")]
#[test]
fn decimals() {
    use rust_decimal::Decimal;
    on_all(|engine| {
        let dec = |s: &str| s.parse::<Decimal>().expect("decimal");
        let values = [
            dec("0.99"),
            dec("12.34"),
            dec("-5.00"),
            dec("99999999.99"),
            dec("0"),
        ];
        let back = round_trip(
            engine,
            "ty_numeric",
            Type::Numeric(Some(10), Some(2)),
            &values,
        )?;
        // Compared by value: SQLite keeps NUMERIC as REAL, so trailing zeros are not kept.
        assert_eq!(back, values);
        assert_eq!(back[0].to_string(), "0.99");
        assert_round_trip(
            engine,
            "ty_numeric_opt",
            Type::Numeric(Some(10), Some(2)),
            &[None, Some(dec("1.10"))],
        )?;
        let sum: Decimal = engine
            .connect()?
            .execute(&select(literal(dec("0.10")) + literal(dec("0.20"))))?
            .scalar()?;
        assert_eq!(sum, dec("0.3"));
        // On the servers NUMERIC is exact: 28 significant digits and the scale come back whole
        // (SQLite stores NUMERIC as REAL, as documented).
        if engine.dialect().name() != "sqlite" {
            let wide = [
                dec("123456789012345678.1234567890"),
                dec("-0.0000000001"),
                dec("999999999999999999.9999999999"),
            ];
            let back = round_trip(
                engine,
                "ty_numeric_wide",
                Type::Numeric(Some(28), Some(10)),
                &wide,
            )?;
            assert_eq!(back, wide);
            assert_eq!(back[0].to_string(), "123456789012345678.1234567890");
        }
        Ok(())
    });
}

#[cfg(feature = "uuid")]
#[test]
fn uuids() {
    use uuid::Uuid;
    on_all(|engine| {
        let ids = [
            Uuid::nil(),
            Uuid::from_u128(0x67e5_5044_10b1_426f_9247_bb68_0e5f_e0c8),
            Uuid::max(),
        ];
        assert_round_trip(engine, "ty_uuid", Type::Uuid, &ids)?;
        assert_round_trip(engine, "ty_uuid_opt", Type::Uuid, &[None, Some(ids[1])])?;
        let md = MetaData::new();
        let t = Table::build("ty_uuid_filter", &md)
            .column(Column::new("id", Type::Uuid).primary_key())
            .column(Column::new("n", Type::Integer))
            .finish()?;
        fresh(engine, &md)?;
        let mut conn = engine.connect()?;
        for (i, id) in ids.iter().enumerate() {
            conn.execute(&t.insert().values(row! { "id" => *id, "n" => i as i64 }))?;
        }
        let n: i64 = conn
            .execute(&select(t.c("n")).filter(t.c("id").eq(ids[1])))?
            .scalar()?;
        assert_eq!(n, 1);
        // A named IN list given at execution ahead of a UUID given as text: the text still
        // goes as the column holds it (the list's three values are three positions).
        let q = select(t.c("n"))
            .filter(t.c("n").in_(bindparam_expanding("ns")))
            .filter(t.c("id").eq(ids[1].hyphenated().to_string()))
            .order_by(t.c("n"));
        let got: Vec<i64> = conn
            .execute_with(&q, &row! { "ns" => vec![0_i64, 1, 2] })?
            .scalars()?;
        assert_eq!(got, [1]);
        let got: Vec<i64> = conn
            .execute_with(&q, &row! { "ns" => Vec::<i64>::new() })?
            .scalars()?;
        assert!(got.is_empty());
        let err = conn
            .execute(&select(literal("xyz").label("u")))?
            .scalar::<Uuid>()
            .expect_err("not a uuid");
        assert!(
            matches!(&err, Error::Conversion(c) if c.column.as_deref() == Some("u")),
            "{err:?}"
        );
        drop(conn);
        md.drop_all(engine)?;
        Ok(())
    });
}

#[cfg(feature = "serde_json")]
#[test]
fn json_documents() {
    use serde_json::{Value as Json, json};
    on_all(|engine| {
        let docs: Vec<Json> = vec![
            json!({"a": [1, 2, {"b": null}], "s": "ü \"quoted\"", "f": 1.5}),
            json!([]),
            json!("just a string"),
            json!(42),
            json!(true),
            json!(null),
        ];
        let back = round_trip(engine, "ty_json", Type::Json, &docs)?;
        assert_eq!(back, docs);
        let err = engine
            .connect()?
            .execute(&select(literal("{not json").label("doc")))?
            .scalar::<Json>()
            .expect_err("not JSON");
        assert!(
            matches!(&err, Error::Conversion(c) if c.column.as_deref() == Some("doc")),
            "{err:?}"
        );
        Ok(())
    });
}

/// PostgreSQL's common types are decoded from their binary wire format by the driver itself,
/// the rest by its wire decoders: each one, with NULLs among them, comes back as the value
/// it was.
#[cfg(feature = "postgres")]
#[test]
fn postgresql_wire_types() {
    on_all(|engine| {
        if engine.dialect().name() != "postgresql" {
            return Ok(());
        }
        let row = engine
            .connect()?
            .execute(&text(
                "SELECT true, false, (-2)::int2, 70000::int4, (-5000000000)::int8, 1.5::float4, \
                 -2.25::float8, 'héllo'::text, 'v'::varchar(3), 'c'::char(2), 'n'::name, \
                 '\\x00ff'::bytea, ''::text, NULL::int4, NULL::text, 12.50::numeric, 'q'::\"char\", \
                 26::oid",
            ))?
            .one()?;
        let want = vec![
            Value::Bool(true),
            Value::Bool(false),
            Value::Int(-2),
            Value::Int(70000),
            Value::Int(-5_000_000_000),
            Value::Float(1.5),
            Value::Float(-2.25),
            Value::Text("héllo".into()),
            Value::Text("v".into()),
            Value::Text("c ".into()),
            Value::Text("n".into()),
            Value::Bytes(vec![0, 255]),
            Value::Text(String::new()),
            Value::Null,
            Value::Null,
            Value::Decimal(
                "12.50"
                    .parse()
                    .map_err(|e| Error::argument(format!("{e}")))?,
            ),
            // Read by the driver's wire decoders (driver/postgres/wire.rs).
            Value::Text("q".into()),
            Value::Int(26),
        ];
        assert_eq!(row.values(), want.as_slice());
        Ok(())
    });
}

/// `Type::TimeTz` keeps a time's offset as given on PostgreSQL (`timetz`) and SQLite (its
/// text); MySQL's `TIME` has none, so there a UTC time is stored and any other offset refused
/// before anything is written. A time with an offset is refused for a plain `Time` column.
/// PostgreSQL reflects the column as `TimeTz`.
#[cfg(feature = "chrono")]
#[test]
fn time_tz_keeps_its_offset_or_is_refused() {
    use athanor::types::TimeTz;
    use chrono::{FixedOffset, NaiveTime};
    on_all(|engine| {
        let time = |h, m, s, us| NaiveTime::from_hms_micro_opt(h, m, s, us).unwrap_or_default();
        let utc = TimeTz::utc(time(12, 57, 18, 250));
        let east = FixedOffset::east_opt(5 * 3600 + 1800).unwrap_or(utc.offset);
        let india = TimeTz::new(time(23, 59, 59, 0), east);
        let mysql = engine.dialect().name() == "mysql";
        let values = if mysql { vec![utc] } else { vec![utc, india] };
        let back = round_trip(engine, "tz_time", Type::TimeTz, &values)?;
        assert_eq!(back, values);
        if engine.dialect().name() == "postgresql" {
            // Reflected, `time with time zone` is a TimeTz column again, read the same way.
            let md = MetaData::new();
            let made = Table::build("tz_time4", &md)
                .column(Column::new("v", Type::TimeTz))
                .finish()?;
            fresh(engine, &md)?;
            engine
                .connect()?
                .execute(&made.insert().values(row! { "v" => india }))?;
            let md = MetaData::new();
            let t = Table::autoload("tz_time4", &md, engine)?;
            assert_eq!(t.c("v").sql_type().generic(), &Type::TimeTz);
            let read: Vec<TimeTz> = engine.connect()?.scalars(&select(t.c("v")))?;
            assert_eq!(read, [india]);
        }
        if mysql {
            let r = super::support::store::<TimeTz>(engine, "tz_time2", Type::TimeTz, india.into());
            super::support::assert_data_error(r, "keeps no UTC offset");
        }
        let r = super::support::store::<NaiveTime>(engine, "tz_time3", Type::Time, india.into());
        assert!(matches!(r, Err(Error::Data(_))), "{r:?}");
        Ok(())
    });
}
