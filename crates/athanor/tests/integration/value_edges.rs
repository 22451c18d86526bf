//! Values at the edges, bound into a column on every database: each one reads back exactly,
//! or the statement fails with `Error::Data` and writes nothing (issue 13's "a value is never
//! changed silently", checked again with programs the drivers' own tests did not use).

use athanor::prelude::*;
use athanor::{Engine, Error, FromValue, Result};
#[cfg(feature = "chrono")]
use chrono::Timelike;

use super::support::{fresh, on_all};

/// Inserts `v` into a fresh `{name}(id, v <ty>)` and reads it back as `T`; on a refused
/// INSERT, checks that nothing was written and returns the error.
fn store<T: FromValue>(engine: &Engine, name: &str, ty: Type, v: Value) -> Result<T> {
    let md = MetaData::new();
    let t = Table::build(name, &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .column(Column::new("v", ty))
        .finish()?;
    fresh(engine, &md)?;
    let mut conn = engine.connect()?;
    let inserted = conn.execute(&t.insert().values(row! { "id" => 1, "v" => v }));
    let count: i64 = conn.scalar(&select(func::count(t.c("id"))))?;
    let out = match inserted {
        Ok(_) => conn.scalar(&select(t.c("v"))),
        Err(e) => {
            assert_eq!(count, 0, "a refused value left a row behind");
            Err(e)
        }
    };
    drop(conn);
    md.drop_all(engine)?;
    out
}

/// Asserts `r` is an `Error::Data` whose message contains `says`.
#[track_caller]
fn assert_data_error<T: std::fmt::Debug>(r: Result<T>, says: &str) {
    match r {
        Err(Error::Data(d)) => assert!(d.message.contains(says), "{}", d.message),
        other => panic!("expected Error::Data saying {says:?}, got {other:?}"),
    }
}

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
