//! Values at the edges, bound into a column on every database: each one reads back exactly,
//! or the statement fails with `Error::Data` and writes nothing (issue 13's "a value is never
//! changed silently", checked again with programs the drivers' own tests did not use).

use athanor::prelude::*;
use athanor::{Engine, Error, Result};
#[cfg(feature = "chrono")]
use chrono::Timelike;

use super::support::{assert_data_error, fresh, on_all, store};

#[cfg(feature = "rust_decimal")]
fn dec(s: &str) -> rust_decimal::Decimal {
    s.parse()
        .unwrap_or_else(|e| panic!("{s} is not a decimal: {e}"))
}

/// SQLite keeps NUMERIC as REAL, which holds 15 significant digits: a decimal with more
/// would come back as another number (`9999999999999999.9999999999` as `1E16`), so it is
/// refused there; the servers keep it exactly.
#[cfg(feature = "rust_decimal")]
#[test]
fn decimals_beyond_fifteen_digits_are_exact_or_refused() {
    on_all(|engine| {
        let wide = Type::Numeric(Some(38), Some(10));
        let sqlite = engine.dialect().name() == "sqlite";
        for s in [
            "9999999999999999.9999999999",
            "1234567890123456",
            "123456.1234567891",
        ] {
            let back =
                store::<rust_decimal::Decimal>(engine, "ve_dec", wide.clone(), dec(s).into());
            if sqlite {
                assert_data_error(back, "15 significant digits");
            } else {
                assert_eq!(back?.normalize(), dec(s).normalize(), "{s}");
            }
        }
        // Fifteen digits, and trailing zeros beyond them, come back exactly everywhere.
        for s in ["999999999999999", "12345.6789012345", "12345.6789000000"] {
            let back: rust_decimal::Decimal = store(engine, "ve_dec", wide.clone(), dec(s).into())?;
            assert_eq!(back.normalize(), dec(s).normalize(), "{s}");
        }
        Ok(())
    });
}

#[cfg(feature = "chrono")]
fn at(h: u32, m: u32, s: u32, nanos: u32) -> chrono::NaiveTime {
    chrono::NaiveTime::from_hms_nano_opt(h, m, s, nanos)
        .unwrap_or_else(|| panic!("{h}:{m}:{s}.{nanos}"))
}

/// Nanoseconds that are not whole microseconds, and leap seconds: SQLite keeps them as text,
/// exactly; PostgreSQL and MySQL keep microseconds and no `:60`, so such a value is refused
/// there, not cut to the microsecond or moved into the next minute.
#[cfg(feature = "chrono")]
#[test]
fn times_finer_than_a_microsecond_are_exact_or_refused() {
    on_all(|engine| {
        let day = chrono::NaiveDate::from_ymd_opt(2016, 12, 31).unwrap_or_else(|| panic!("a date"));
        let sqlite = engine.dialect().name() == "sqlite";
        let times = [
            at(23, 59, 59, 999_999_999),
            at(0, 0, 0, 1),
            at(23, 59, 59, 1_500_000_000),
        ];
        for t in times {
            let back = store::<chrono::NaiveTime>(engine, "ve_time", Type::Time, t.into());
            let stamp = day.and_time(t);
            let back_stamp =
                store::<chrono::NaiveDateTime>(engine, "ve_stamp", Type::DateTime, stamp.into());
            let utc = stamp.and_utc();
            let back_utc =
                store::<chrono::NaiveDateTime>(engine, "ve_stamp", Type::DateTime, utc.into());
            if sqlite {
                assert_eq!(back?, t);
                assert_eq!(back_stamp?, stamp);
                assert_eq!(back_utc?, stamp);
            } else {
                let why = if t.nanosecond() >= 1_000_000_000 {
                    "leap second"
                } else {
                    "microsecond"
                };
                assert_data_error(back, why);
                assert_data_error(back_stamp, why);
                assert_data_error(back_utc, why);
            }
        }
        // In an array (PostgreSQL) the elements are held to the same rule.
        if engine.dialect().name() == "postgresql" {
            let times = Value::Array(vec![at(1, 0, 0, 0).into(), at(1, 0, 0, 1).into()]);
            let back = store::<Value>(engine, "ve_times", Type::Array(Box::new(Type::Time)), times);
            assert_data_error(back, "microsecond");
        }
        // Whole microseconds come back exactly everywhere.
        let t = at(23, 59, 59, 999_999_000);
        assert_eq!(
            store::<chrono::NaiveTime>(engine, "ve_time", Type::Time, t.into())?,
            t
        );
        let stamp = day.and_time(t);
        assert_eq!(
            store::<chrono::NaiveDateTime>(engine, "ve_stamp", Type::DateTime, stamp.into())?,
            stamp
        );
        Ok(())
    });
}

/// Inserts `v` into `ve_fit(id, v <ty>)` five ways (`insert().values`, `execute_many_rows`,
/// `update().set`, `values(bindparam)` and a bare `insert()` given parameters at execution)
/// and returns each outcome: the value read back, or the error (nothing written).
fn store_every_way(engine: &Engine, ty: Type, v: Value) -> Result<[Result<Value>; 5]> {
    let md = MetaData::new();
    let t = Table::build("ve_fit", &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .column(Column::new("v", ty))
        .finish()?;
    fresh(engine, &md)?;
    let mut conn = engine.connect()?;
    let read = |conn: &mut athanor::Connection, r: Result<()>| -> Result<Result<Value>> {
        let n: i64 = conn.scalar(&select(func::count(t.c("id"))).filter(t.c("v").is_not_null()))?;
        let out = match r {
            Ok(()) => Ok(conn.scalar(&select(t.c("v")))?),
            Err(e) => {
                assert_eq!(n, 0, "a refused value was written");
                Err(e)
            }
        };
        conn.execute(&t.delete())?;
        Ok(out)
    };
    let one = conn.execute(&t.insert().values(row! { "id" => 1, "v" => v.clone() }));
    let one = read(&mut conn, one.map(|_| ()))?;
    let many = conn.execute_many_rows(&t.insert(), &["id", "v"], [[Value::Int(2), v.clone()]]);
    let many = read(&mut conn, many.map(|_| ()))?;
    conn.execute(&t.insert().values(row! { "id" => 3 }))?;
    let set = conn.execute(&t.update().set("v", v.clone()));
    let set = read(&mut conn, set.map(|_| ()))?;
    let by_param = t
        .insert()
        .values(row! { "id" => bindparam("id"), "v" => bindparam("v") });
    let param = conn.execute_with(&by_param, &row! { "id" => 4, "v" => v.clone() });
    let param = read(&mut conn, param.map(|_| ()))?;
    let bare = conn.execute_with(&t.insert(), &row! { "id" => 5, "v" => v });
    let bare = read(&mut conn, bare.map(|_| ()))?;
    drop(conn);
    md.drop_all(engine)?;
    Ok([one, many, set, param, bare])
}

/// A value the column would round, cut or re-type on its way in (MySQL rounds 1.5 into an
/// INTEGER column to 2 and keeps only the date of a DATETIME put into a DATE column; SQLite
/// keeps 1.5 as a REAL in an INTEGER column and a date and time as its text in a DATE column)
/// is `Error::Data` on every database, however it is inserted or updated; what the column
/// holds exactly is stored.
#[test]
fn a_value_its_column_would_change_is_refused() {
    on_all(|engine| {
        let mut refused: Vec<(Type, Value)> = vec![
            (Type::Integer, Value::Float(1.5)),
            (Type::BigInteger, Value::Float(1e20)),
            (Type::SmallInteger, Value::Float(f64::INFINITY)),
            (Type::Double, Value::Int((1 << 53) + 1)),
            (Type::Float, Value::Int(i64::MAX)),
            (Type::Boolean, Value::Int(2)),
            (Type::Boolean, Value::Float(0.5)),
            (Type::Numeric(Some(10), Some(2)), Value::Float(f64::NAN)),
            (Type::Numeric(None, None), Value::Float(f64::INFINITY)),
        ];
        #[cfg(feature = "rust_decimal")]
        refused.push((Type::Integer, dec("2.5").into()));
        #[cfg(feature = "chrono")]
        {
            let day =
                chrono::NaiveDate::from_ymd_opt(2020, 2, 29).unwrap_or_else(|| panic!("a date"));
            let stamp = day.and_time(at(1, 2, 3, 0));
            refused.push((Type::Date, stamp.into()));
            refused.push((Type::Date, day.and_time(at(0, 0, 0, 0)).into()));
            refused.push((Type::Date, stamp.and_utc().into()));
            refused.push((Type::Time, stamp.into()));
            refused.push((Type::Time, day.into()));
        }
        for (ty, v) in refused {
            for r in store_every_way(engine, ty.clone(), v.clone())? {
                match r {
                    Err(Error::Data(d)) => assert!(d.message.contains("column"), "{}", d.message),
                    other => panic!("{ty:?} <- {v:?}: expected Error::Data, got {other:?}"),
                }
            }
        }
        let mut kept: Vec<(Type, Value, Value)> = vec![
            (Type::Integer, Value::Float(2.0), Value::Int(2)),
            (
                Type::Double,
                Value::Int(1 << 53),
                Value::Float(9007199254740992.0),
            ),
            (Type::Double, Value::Int(-7), Value::Float(-7.0)),
        ];
        kept.push((Type::Boolean, Value::Int(1), Value::Bool(true)));
        for (ty, v, want) in kept {
            for r in store_every_way(engine, ty.clone(), v.clone())? {
                let got = r?;
                let same = match (&got, &want) {
                    // SQLite and MySQL keep a boolean as 1.
                    (Value::Int(1), Value::Bool(true)) => true,
                    _ => got == want,
                };
                assert!(same, "{ty:?} <- {v:?}: read {got:?}, want {want:?}");
            }
        }
        Ok(())
    });
}

/// A JSON document's numbers come back as written or not at all: `serde_json` makes a number
/// beyond `i64`/`u64`, or with more digits than an `f64` keeps, its nearest `f64`, so such a
/// document is a conversion error (read it as text) on every database, while PostgreSQL's
/// `jsonb`, MySQL and SQLite all keep it exactly.
#[cfg(feature = "serde_json")]
#[test]
fn json_numbers_come_back_as_written_or_not_at_all() {
    on_all(|engine| {
        for doc in [
            r#"{"n": 123456789012345678901234567890}"#,
            r#"{"n": -9223372036854775809}"#,
            r#"[0.10000000000000000001]"#,
        ] {
            let back =
                store::<serde_json::Value>(engine, "ve_json", Type::Json, Value::Text(doc.into()));
            match back {
                Err(Error::Conversion(c)) => {
                    assert!(c.to_string().contains("no exact serde_json value"), "{c}")
                }
                other => panic!("{doc}: expected a conversion error, got {other:?}"),
            }
            // As text the document is all there (jsonb writes it its own way).
            let text: String = store(engine, "ve_json", Type::Json, Value::Text(doc.into()))?;
            let digits: String = doc.chars().filter(char::is_ascii_digit).collect();
            assert!(text.contains(&digits[1..]), "{doc} came back as {text}");
        }
        let doc = serde_json::json!({
            "max": u64::MAX, "min": i64::MIN, "tenth": 0.1, "huge": 1.5e300, "tiny": 5e-324
        });
        let back: serde_json::Value = store(engine, "ve_json", Type::Json, doc.clone().into())?;
        assert_eq!(back, doc);
        Ok(())
    });
}

/// `24:00:00`, the end of a day, which PostgreSQL's and MySQL's TIME hold and chrono's
/// `NaiveTime` doesn't: read as its text, never as `00:00:00` (the start of the day); a
/// `NaiveTime` read of it is an error.
#[cfg(feature = "chrono")]
#[test]
fn the_end_of_a_day_is_not_its_start() {
    on_all(|engine| {
        let md = MetaData::new();
        let t = Table::build("ve_eod", &md)
            .column(Column::new("id", Type::Integer).primary_key())
            .column(Column::new("v", Type::Time))
            .finish()?;
        fresh(engine, &md)?;
        let mut conn = engine.connect()?;
        // A literal in the SQL: the PostgreSQL driver refuses to bind text chrono can't parse.
        conn.execute(&text("INSERT INTO ve_eod (id, v) VALUES (1, '24:00:00')"))?;
        // A TIME column's result is read as a time (as SQLAlchemy's TIME does), and 24:00:00
        // is none that chrono holds: reading it is an error, never 00:00:00; the text is
        // there through a cast.
        let back = conn.scalar::<String, _>(&select(t.c("v")));
        assert!(matches!(back, Err(Error::Conversion(_))), "{back:?}");
        let back: String = conn.scalar(&select(cast(t.c("v"), Type::Text)))?;
        assert!(back.starts_with("24:00:00"), "{back:?}");
        let back = conn.scalar::<chrono::NaiveTime, _>(&select(t.c("v")));
        assert!(
            matches!(back, Err(Error::Conversion(_) | Error::Data(_))),
            "{back:?}"
        );
        drop(conn);
        md.drop_all(engine)
    });
}

/// `cast(x, Type::DateTime)` (and `Date`, `Time`) reads back the value cast: MySQL's bare
/// `CAST(x AS DATETIME)` / `AS TIME` drop the fraction of a second, and SQLite's
/// `CAST(x AS DATETIME)` has NUMERIC affinity and makes `'2024-02-29 …'` the number 2024.
#[cfg(feature = "chrono")]
#[test]
fn a_cast_to_a_date_or_time_keeps_the_value() {
    on_all(|engine| {
        let day = chrono::NaiveDate::from_ymd_opt(2024, 2, 29).unwrap_or_else(|| panic!("a date"));
        let t = at(23, 59, 59, 123_456_000);
        let stamp = day.and_time(t);
        let mut conn = engine.connect()?;
        let back: chrono::NaiveDateTime =
            conn.scalar(&select(cast(literal(stamp), Type::DateTime)))?;
        assert_eq!(back, stamp);
        let back: chrono::NaiveTime = conn.scalar(&select(cast(literal(t), Type::Time)))?;
        assert_eq!(back, t);
        let back: chrono::NaiveDate = conn.scalar(&select(cast(literal(day), Type::Date)))?;
        assert_eq!(back, day);
        Ok(())
    });
}
