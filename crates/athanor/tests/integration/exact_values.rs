//! Values at the edges of what a database holds: each one arrives exactly or the statement
//! fails with `Error::Data` before anything is stored; never a wrapped year, a NULL for a
//! date, a rounded second or a clamped number. PostgreSQL's conversions are checked in
//! `types.rs`; these bodies run on SQLite and MySQL/MariaDB.

use athanor::prelude::*;
use athanor::{Engine, Error, Result};
#[cfg(feature = "chrono")]
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

use super::support::{assert_data_error, engines, store};

/// Runs `body` on SQLite and, when its URL is set, MySQL/MariaDB.
#[track_caller]
fn on_sqlite_and_mysql(body: fn(&Engine) -> Result<()>) {
    for (name, engine, _guard) in engines() {
        if name == "postgresql" {
            continue;
        }
        eprintln!("-- on {name}");
        if let Err(e) = body(&engine) {
            panic!("[{name}] test body failed: {e}");
        }
    }
}

fn is_mysql(engine: &Engine) -> bool {
    engine.dialect().name() == "mysql"
}

#[cfg(feature = "chrono")]
fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_else(|| panic!("{y}-{m}-{d}"))
}

#[cfg(feature = "chrono")]
#[test]
fn years_at_and_beyond_four_digits() {
    on_sqlite_and_mysql(|engine| {
        for d in [
            date(9999, 12, 31),
            date(1, 1, 1),
            date(1000, 1, 1),
            date(0, 1, 1),
        ] {
            let back: NaiveDate = store(engine, "xv_date", Type::Date, d.into())?;
            assert_eq!(back, d);
        }
        let at = date(9999, 12, 31).and_hms_micro_opt(23, 59, 59, 999_999);
        let at = at.unwrap_or_default();
        let back: NaiveDateTime = store(engine, "xv_dt", Type::DateTime, at.into())?;
        assert_eq!(back, at);
        for d in [date(10000, 1, 1), date(67560, 1, 1), date(-1, 12, 31)] {
            let r = store::<NaiveDate>(engine, "xv_date", Type::Date, d.into());
            if is_mysql(engine) {
                // Year 67560 used to go out as 67560 mod 65536 = 2024.
                assert_data_error(r, "years 0 to 9999");
                let r = store::<NaiveDateTime>(
                    engine,
                    "xv_dt",
                    Type::DateTime,
                    d.and_time(NaiveTime::MIN).into(),
                );
                assert_data_error(r, "years 0 to 9999");
            } else {
                assert_eq!(r?, d, "SQLite keeps any chrono date as text");
            }
        }
        Ok(())
    });
}

#[cfg(feature = "chrono")]
#[test]
fn leap_seconds_and_nanoseconds() {
    on_sqlite_and_mysql(|engine| {
        let leap = NaiveTime::from_hms_micro_opt(23, 59, 59, 1_500_000).unwrap_or_default();
        let nanos = NaiveTime::from_hms_nano_opt(1, 2, 3, 123_456_789).unwrap_or_default();
        let day = date(2016, 12, 31);
        for t in [leap, nanos] {
            let r = store::<NaiveTime>(engine, "xv_time", Type::Time, t.into());
            let rdt =
                store::<NaiveDateTime>(engine, "xv_dt", Type::DateTime, day.and_time(t).into());
            if is_mysql(engine) {
                let says = if t == leap {
                    "no leap seconds"
                } else {
                    "to the microsecond"
                };
                assert_data_error(r, says);
                assert_data_error(rdt, says);
            } else {
                assert_eq!(r?, t);
                assert_eq!(rdt?, day.and_time(t));
            }
        }
        Ok(())
    });
}

#[test]
fn nan_is_refused_where_it_would_not_come_back() {
    on_sqlite_and_mysql(|engine| {
        // SQLite stores NaN as NULL; MySQL has no NaN.
        let r = store::<Option<f64>>(engine, "xv_nan", Type::Double, f64::NAN.into());
        assert_data_error(r, "NaN");
        let inf = store::<f64>(engine, "xv_nan", Type::Double, f64::INFINITY.into());
        if is_mysql(engine) {
            assert_data_error(inf, "no NaN or infinity");
        } else {
            assert_eq!(inf?, f64::INFINITY);
        }
        let back: f64 = store(engine, "xv_nan", Type::Double, (-0.1f64).into())?;
        assert_eq!(back, -0.1);
        Ok(())
    });
}

#[test]
fn u64_beyond_i64_comes_back_exactly_or_not_at_all() {
    on_sqlite_and_mysql(|engine| {
        let big = (1u64 << 63) + 1;
        let back = store::<u64>(engine, "xv_u64", Type::BigInteger, big.into());
        match back {
            // SQLite stored the REAL 2^63: reading it as 2^63 would be a different number.
            Err(Error::Conversion(c)) if !is_mysql(engine) => {
                assert_eq!(c.found, "FLOAT", "{c}");
            }
            // A signed BIGINT can't hold it: the server refuses it (strict mode).
            Err(Error::Data(_)) if is_mysql(engine) => {}
            other => panic!("expected an error, got {other:?}"),
        }
        Ok(())
    });
}

#[cfg(feature = "mysql")]
#[test]
fn mysql_unsigned_bigint_beyond_i64() {
    for (name, engine, _guard) in engines() {
        if name != "mysql" {
            continue;
        }
        let mut conn = engine.connect().unwrap();
        let q = text("SELECT CAST(18446744073709551615 AS UNSIGNED) AS u");
        assert_eq!(conn.scalar::<u64, _>(&q).unwrap(), u64::MAX);
        assert_eq!(conn.scalar::<u128, _>(&q).unwrap(), u128::from(u64::MAX));
        match conn.scalar::<i64, _>(&q) {
            Err(Error::Conversion(c)) => {
                assert_eq!(
                    c.detail.as_deref(),
                    Some("18446744073709551615 is out of range")
                )
            }
            other => panic!("expected a conversion error, got {other:?}"),
        }
        // One past i64::MAX, through a prepared statement's binary result too.
        let q = text("SELECT CAST(:x AS UNSIGNED) + 1 AS u").bind("x", i64::MAX);
        assert_eq!(conn.scalar::<u64, _>(&q).unwrap(), 1u64 << 63);
    }
}

#[cfg(feature = "mysql")]
#[test]
fn mysql_values_without_a_calendar_value_come_back_as_their_text() {
    for (name, engine, _guard) in engines() {
        if name != "mysql" {
            continue;
        }
        let mut conn = engine.connect().unwrap();
        conn.exec_driver_sql(
            "DROP TABLE IF EXISTS xv_zero; \
             CREATE TABLE xv_zero (d DATE, dt DATETIME(6), t TIME(6), big DECIMAL(65, 30)); \
             INSERT INTO xv_zero VALUES ('0000-00-00', '2024-00-10 01:02:03.5', \
             '-838:59:59.25', '12345678901234567890123456789012345.123456789012345678901234567890')",
        )
        .unwrap();
        let row = conn
            .execute(&text("SELECT d, dt, t, big FROM xv_zero"))
            .unwrap()
            .one()
            .unwrap();
        // Not a silent NULL, and no digits lost.
        assert_eq!(row.get::<String, _>("d").unwrap(), "0000-00-00");
        assert_eq!(
            row.get::<String, _>("dt").unwrap(),
            "2024-00-10 01:02:03.500000"
        );
        assert_eq!(row.get::<String, _>("t").unwrap(), "-838:59:59.250000");
        assert_eq!(
            row.get::<String, _>("big").unwrap(),
            "12345678901234567890123456789012345.123456789012345678901234567890"
        );
        let err = row.get::<Option<NaiveDate>, _>("d").unwrap_err();
        assert!(matches!(err, Error::Conversion(_)), "{err:?}");
        conn.exec_driver_sql("DROP TABLE xv_zero").unwrap();
    }
}

#[cfg(feature = "mysql")]
#[test]
fn mysql_refuses_out_of_range_on_every_table_engine() {
    for (name, engine, _guard) in engines() {
        if name != "mysql" {
            continue;
        }
        let mut conn = engine.connect().unwrap();
        // Without STRICT_ALL_TABLES, MyISAM clamps a bad value past the first row to 32767
        // with only a warning.
        conn.exec_driver_sql(
            "DROP TABLE IF EXISTS xv_myisam; \
             CREATE TABLE xv_myisam (v SMALLINT) ENGINE=MyISAM",
        )
        .unwrap();
        let r = conn.execute(&text("INSERT INTO xv_myisam VALUES (1), (70000)"));
        assert!(matches!(r, Err(Error::Data(_))), "{r:?}");
        let stored: Vec<i64> = conn
            .scalars(&text("SELECT v FROM xv_myisam WHERE v <> 1"))
            .unwrap();
        assert_eq!(stored, Vec::<i64>::new(), "a clamped value was stored");
        conn.exec_driver_sql("DROP TABLE xv_myisam").unwrap();
    }
}
