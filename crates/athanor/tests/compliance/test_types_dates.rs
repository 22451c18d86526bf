//! Ported from SQLAlchemy's `test_types.py`: the date and time classes (`_DateFixture` and its
//! subclasses) and the interval classes. Shared helpers are in `test_types.rs`.

use athanor::prelude::*;
use athanor::types::{Interval, TimeTz};
use athanor::{Engine, Error, Result};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

use super::harness::run;
use super::requirements::Flag;
use super::test_types::{at, literal_round_trip};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

fn datetime(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32, micro: u32) -> NaiveDateTime {
    date(y, mo, d)
        .and_hms_micro_opt(h, mi, s, micro)
        .unwrap_or_default()
}

fn time(h: u32, mi: u32, s: u32, micro: u32) -> NaiveTime {
    NaiveTime::from_hms_micro_opt(h, mi, s, micro).unwrap_or_default()
}

/// `date_table` (id INTEGER primary key, date_data of `ty`, decorated_date_data of the
/// decorator's type, which is `ty` too).
pub(crate) fn date_table(engine: &Engine, ty: Type) -> Result<Table> {
    let md = MetaData::new();
    let t = Table::build("date_table", &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .column(Column::new("date_data", ty.clone()))
        .column(Column::new("decorated_date_data", ty))
        .finish()?;
    md.create_all(engine)?;
    Ok(t)
}

/// `_DateFixture.test_null_bound_comparison`: `CASE WHEN :foo IS NOT NULL THEN :foo ELSE
/// date_data END = date_data`, `foo` typed `ty` and given NULL, finds the row: the typed NULL
/// parameter is sent so the database can place it.
fn null_bound_comparison(engine: &Engine, ty: Type, data: Value) -> Result<()> {
    let t = date_table(engine, ty.clone())?;
    let mut conn = engine.connect()?;
    conn.execute_with(
        &t.insert(),
        &row! { "id" => 1, "date_data" => data.clone() },
    )?;
    let param = || bindparam("foo").type_coerce(ty.clone());
    let stmt = select(t.c("id")).filter(
        case([(param().ne(Value::Null), param())])
            .else_(t.c("date_data"))
            .eq(t.c("date_data")),
    );
    // PostgreSQL: one typed placeholder for both uses; `?` dialects: one slot per use.
    let sql = stmt.compile(engine.dialect())?.sql().to_string();
    let foo_sql = match engine.dialect().name() {
        "postgresql" => format!(
            "$1{}",
            engine.dialect().bind_type_cast(&ty).unwrap_or_default()
        ),
        _ => "?".to_string(),
    };
    assert_eq!(
        sql,
        format!(
            "SELECT date_table.id FROM date_table WHERE CASE WHEN {foo_sql} IS NOT NULL THEN \
             {foo_sql} ELSE date_table.date_data END = date_table.date_data"
        )
    );
    let got: Vec<i64> = conn
        .execute_with(&stmt, &row! { "foo" => Value::Null })?
        .scalars()?;
    assert_eq!(got, [1]);
    // A value in `foo` is compared as one of the type.
    let got: Vec<i64> = conn
        .execute_with(&stmt, &row! { "foo" => data })?
        .scalars()?;
    assert_eq!(got, [1]);
    Ok(())
}

/// One `_DateFixture` subclass: `$class` with `$ty` columns holding `$data` (a `$rust`).
macro_rules! date_class {
    ($module:ident, $class:literal, $req:expr, $ty:expr, $rust:ty, $data:expr
     $(, select_direct: $direct:expr)?) => {
        mod $module {
            use super::*;

            const CLASS: &str = $class;

            #[derive(Debug, PartialEq)]
            struct Decorated($rust);

            impl TypeDecorator for Decorated {
                fn sql_type() -> Type {
                    $ty
                }
                fn to_sql(&self) -> Value {
                    Value::from(self.0)
                }
                fn from_sql(v: Value) -> std::result::Result<Self, athanor::error::ConversionError> {
                    <$rust>::from_value_owned(v).map(Decorated)
                }
            }

            #[test]
            fn round_trip() {
                run(at(CLASS, "test_round_trip"), $req, |_, engine| {
                    let t = date_table(engine, $ty)?;
                    let mut conn = engine.connect()?;
                    conn.execute_with(&t.insert(), &row! { "id" => 1, "date_data" => $data })?;
                    let got: Vec<$rust> = conn.scalars(&select(t.c("date_data")))?;
                    assert_eq!(got, [$data]);
                    Ok(())
                });
            }

            #[test]
            fn round_trip_decorated() {
                run(at(CLASS, "test_round_trip_decorated"), $req, |_, engine| {
                    let t = date_table(engine, Decorated::sql_type())?;
                    let mut conn = engine.connect()?;
                    conn.execute_with(
                        &t.insert(),
                        &row! { "id" => 1, "decorated_date_data" => Decorated($data) },
                    )?;
                    let got: Vec<Decorated> = conn.scalars(&select(t.c("decorated_date_data")))?;
                    assert_eq!(got, [Decorated($data)]);
                    Ok(())
                });
            }

            #[test]
            fn null() {
                run(at(CLASS, "test_null"), $req, |_, engine| {
                    let t = date_table(engine, $ty)?;
                    let mut conn = engine.connect()?;
                    conn.execute_with(
                        &t.insert(),
                        &row! { "id" => 1, "date_data" => Value::Null },
                    )?;
                    let got: Vec<Option<$rust>> = conn.scalars(&select(t.c("date_data")))?;
                    assert_eq!(got, [None]);
                    Ok(())
                });
            }

            #[test]
            fn literal() {
                let req = [&$req[..], &[Flag::DatetimeLiterals]].concat();
                run(at(CLASS, "test_literal"), &req, |_, engine| {
                    literal_round_trip(
                        engine,
                        $ty,
                        &[Value::from($data)],
                        &[$data],
                        Some(Value::from($data)),
                        true,
                    )
                });
            }

            #[test]
            fn null_bound_comparison() {
                let req = [&$req[..], &[Flag::StandaloneNullBindsWhereclause]].concat();
                run(at(CLASS, "test_null_bound_comparison"), &req, |_, engine| {
                    super::null_bound_comparison(engine, $ty, Value::from($data))
                });
            }

            $(
            #[test]
            fn select_direct() {
                let req = [&$req[..], &$direct[..]].concat();
                run(at(CLASS, "test_select_direct"), &req, |_, engine| {
                    let got: $rust = engine.connect()?.scalar(&select(athanor::prelude::literal($data)))?;
                    assert_eq!(got, $data);
                    Ok(())
                });
            }
            )?
        }
    };
}

date_class!(datetime_test, "DateTimeTest", &[Flag::Datetime], Type::DateTime, NaiveDateTime,
    datetime(2012, 10, 15, 12, 57, 18, 0), select_direct: &[Flag::DatetimeImplicitBound]);
date_class!(datetime_tz_test, "DateTimeTZTest", &[Flag::DatetimeTimezone], Type::DateTimeTz,
    chrono::DateTime<chrono::Utc>, datetime(2012, 10, 15, 12, 57, 18, 0).and_utc(),
    select_direct: &[Flag::DatetimeImplicitBound]);
date_class!(
    datetime_microseconds_test,
    "DateTimeMicrosecondsTest",
    &[Flag::DatetimeMicroseconds],
    Type::DateTime,
    NaiveDateTime,
    datetime(2012, 10, 15, 12, 57, 18, 39642)
);
date_class!(timestamp_microseconds_test, "TimestampMicrosecondsTest",
    &[Flag::TimestampMicroseconds], Type::DateTime, NaiveDateTime,
    datetime(2012, 10, 15, 12, 57, 18, 396),
    select_direct: &[Flag::TimestampMicroseconds]);
date_class!(time_test, "TimeTest", &[Flag::Time], Type::Time, NaiveTime, time(12, 57, 18, 0),
    select_direct: &[Flag::TimeImplicitBound]);
// `Time(timezone=True)` holding `time(12, 57, 18, tzinfo=utc)`: a `TimeTz` at offset zero,
// PostgreSQL's `TIME WITH TIME ZONE` (only there: `time_timezone`).
date_class!(time_tz_test, "TimeTZTest", &[Flag::TimeTimezone], Type::TimeTz, TimeTz,
    TimeTz::utc(time(12, 57, 18, 0)), select_direct: &[Flag::TimeImplicitBound]);
date_class!(time_microseconds_test, "TimeMicrosecondsTest", &[Flag::TimeMicroseconds],
    Type::Time, NaiveTime, time(12, 57, 18, 396), select_direct: &[Flag::TimeImplicitBound]);
date_class!(date_test, "DateTest", &[Flag::Date], Type::Date, NaiveDate, date(2012, 10, 15),
    select_direct: &[Flag::DateImplicitBound]);
date_class!(datetime_historic_test, "DateTimeHistoricTest", &[Flag::DatetimeHistoric],
    Type::DateTime, NaiveDateTime, datetime(1850, 11, 10, 11, 52, 35, 0),
    select_direct: &[Flag::DateImplicitBound]);
date_class!(date_historic_test, "DateHistoricTest", &[Flag::DateHistoric], Type::Date,
    NaiveDate, date(1727, 4, 1), select_direct: &[Flag::DateImplicitBound]);

/// `DateTimeCoercedToDateTimeTest`: SQLAlchemy expects a datetime bound to a DATE column to
/// be stored as its date (the DBAPI drops the time). Athanor never drops part of a value: a
/// datetime is refused for a DATE column, even at midnight, with an error saying to write its
/// date (see `compliance/deviations/test_types.md`).
mod datetime_coerced_to_date_test {
    use super::*;

    const CLASS: &str = "DateTimeCoercedToDateTimeTest";
    const REQ: &[Flag] = &[Flag::Date, Flag::DateCoercesFromDatetime];

    fn data() -> NaiveDateTime {
        datetime(2012, 10, 15, 12, 57, 18, 0)
    }

    /// Both the datetime and the same day at midnight are refused for `column`; its date
    /// goes in and comes back.
    fn refused_then_date(engine: &Engine, column: &str) -> Result<()> {
        let t = date_table(engine, Type::Date)?;
        let mut conn = engine.connect()?;
        for v in [data(), datetime(2012, 10, 15, 0, 0, 0, 0)] {
            let bad = conn.execute_with(&t.insert(), &row! { "id" => 1, column => v });
            assert!(matches!(bad, Err(Error::Data(_))), "{v}: {bad:?}");
        }
        conn.execute_with(&t.insert(), &row! { "id" => 2, column => data().date() })?;
        let got: Vec<NaiveDate> = conn.scalars(&select(t.c(column)))?;
        assert_eq!(got, [date(2012, 10, 15)]);
        Ok(())
    }

    #[test]
    fn round_trip() {
        run(at(CLASS, "test_round_trip"), REQ, |_, engine| {
            refused_then_date(engine, "date_data")
        });
    }

    #[test]
    fn round_trip_decorated() {
        run(at(CLASS, "test_round_trip_decorated"), REQ, |_, engine| {
            refused_then_date(engine, "decorated_date_data")
        });
    }

    #[test]
    fn null() {
        run(at(CLASS, "test_null"), REQ, |_, engine| {
            let t = date_table(engine, Type::Date)?;
            let mut conn = engine.connect()?;
            conn.execute_with(&t.insert(), &row! { "id" => 1, "date_data" => Value::Null })?;
            let got: Vec<Option<NaiveDate>> = conn.scalars(&select(t.c("date_data")))?;
            assert_eq!(got, [None]);
            Ok(())
        });
    }

    /// `test_literal`: the datetime written as a DATE literal is refused (SQLite, MySQL: the
    /// engine's column check; PostgreSQL: the same check) before anything is stored; its
    /// date then makes the literal round trip SQLAlchemy expects to end with.
    #[test]
    fn literal() {
        let req = [REQ, &[Flag::DatetimeLiterals]].concat();
        run(at(CLASS, "test_literal"), &req, |_, engine| {
            {
                let md = MetaData::new();
                let t = Table::build("t_refused", &md)
                    .column(Column::new("x", Type::Date))
                    .finish()?;
                md.create_all(engine)?;
                let lit = athanor::prelude::literal(data())
                    .type_coerce(Type::Date)
                    .literal_execute();
                let mut conn = engine.connect()?;
                let bad = conn.execute(&t.insert().values(row! { "x" => lit }));
                assert!(matches!(bad, Err(Error::Data(_))), "{bad:?}");
                let n: i64 = conn.scalar(&select(func::count(t.c("x"))))?;
                assert_eq!(n, 0);
            }
            let day = data().date();
            literal_round_trip(
                engine,
                Type::Date,
                &[Value::from(day)],
                &[day],
                Some(Value::from(day)),
                true,
            )
        });
    }

    /// `test_null_bound_comparison`: the row holds the datetime's date (the datetime itself
    /// is refused); a typed NULL `foo` finds it.
    #[test]
    fn null_bound_comparison() {
        let req = [REQ, &[Flag::StandaloneNullBindsWhereclause]].concat();
        run(
            at(CLASS, "test_null_bound_comparison"),
            &req,
            |_, engine| {
                super::null_bound_comparison(engine, Type::Date, Value::from(data().date()))?;
                let md = MetaData::new();
                let t = Table::build("date_table", &md)
                    .column(Column::new("id", Type::Integer).primary_key())
                    .column(Column::new("date_data", Type::Date))
                    .finish()?;
                let bad = engine
                    .connect()?
                    .execute_with(&t.insert(), &row! { "id" => 2, "date_data" => data() });
                assert!(matches!(bad, Err(Error::Data(_))), "{bad:?}");
                Ok(())
            },
        );
    }

    #[test]
    fn select_direct() {
        let req = [REQ, &[Flag::DatetimeImplicitBound]].concat();
        run(at(CLASS, "test_select_direct"), &req, |_, engine| {
            let got: NaiveDateTime = engine
                .connect()?
                .scalar(&select(athanor::prelude::literal(data())))?;
            assert_eq!(got, data());
            Ok(())
        });
    }
}

/// `IntervalTest` (`Interval`, `timedelta(days=1, seconds=4)`) and `PrecisionIntervalTest`
/// (`Interval(day_precision=9, second_precision=9)`, `timedelta(days=103, seconds=4)`): one
/// body per test, run for each class.
mod interval {
    use super::*;

    /// One interval class: its name, column type and value.
    pub(super) trait Class {
        const NAME: &'static str;
        fn ty() -> Type;
        fn data() -> Interval;
    }

    /// `IntervalTest`.
    pub(super) struct Plain;
    impl Class for Plain {
        const NAME: &'static str = "IntervalTest";
        fn ty() -> Type {
            Type::Interval
        }
        fn data() -> Interval {
            days_seconds(1, 4)
        }
    }

    /// `PrecisionIntervalTest`.
    pub(super) struct Precision;
    impl Class for Precision {
        const NAME: &'static str = "PrecisionIntervalTest";
        fn ty() -> Type {
            Type::IntervalPrecision {
                day_precision: Some(9),
                second_precision: Some(9),
            }
        }
        fn data() -> Interval {
            days_seconds(103, 4)
        }
    }

    /// `timedelta(days=d, seconds=s)`.
    fn days_seconds(days: i32, seconds: i64) -> Interval {
        Interval {
            months: 0,
            days,
            microseconds: seconds * 1_000_000,
        }
    }

    /// `t` shifted by `sign` times the class's interval (days and seconds).
    fn shifted<C: Class>(t: NaiveDateTime, sign: i64) -> NaiveDateTime {
        t + chrono::Duration::days(sign * i64::from(C::data().days))
            + chrono::Duration::microseconds(sign * C::data().microseconds)
    }

    fn now() -> NaiveDateTime {
        let n = chrono::Utc::now().naive_utc();
        n.with_nanosecond(0).unwrap_or(n)
    }

    pub(super) fn literal_test<C: Class>() {
        run(
            at(C::NAME, "test_literal"),
            &[Flag::DatetimeInterval],
            |_, e| {
                literal_round_trip(
                    e,
                    C::ty(),
                    &[Value::from(C::data())],
                    &[C::data()],
                    None,
                    true,
                )
            },
        );
    }

    pub(super) fn select_direct_literal_interval<C: Class>() {
        run(
            at(C::NAME, "test_select_direct_literal_interval"),
            &[Flag::DatetimeInterval],
            |_, engine| {
                let got: Interval = engine.connect()?.scalar(&select(literal(C::data())))?;
                assert_eq!(got, C::data());
                Ok(())
            },
        );
    }

    pub(super) fn arithmetic_operation_literal_interval<C: Class>() {
        run(
            at(C::NAME, "test_arithmetic_operation_literal_interval"),
            &[Flag::DatetimeInterval],
            |_, engine| {
                let now = now();
                let mut conn = engine.connect()?;
                let got: NaiveDateTime = conn.scalar(&select(literal(now) - literal(C::data())))?;
                assert_eq!(got, shifted::<C>(now, -1));
                let got: NaiveDateTime = conn.scalar(&select(literal(now) + literal(C::data())))?;
                assert_eq!(got, shifted::<C>(now, 1));
                Ok(())
            },
        );
    }

    /// `interval_table` (id, interval_data of the class's type, date_data DATETIME,
    /// decorated_interval_data of the class's type).
    fn interval_table<C: Class>(engine: &Engine) -> Result<Table> {
        let md = MetaData::new();
        let t = Table::build("interval_table", &md)
            .column(Column::new("id", Type::Integer).primary_key())
            .column(Column::new("interval_data", C::ty()))
            .column(Column::new("date_data", Type::DateTime))
            .column(Column::new("decorated_interval_data", C::ty()))
            .finish()?;
        md.create_all(engine)?;
        Ok(t)
    }

    pub(super) fn arithmetic_operation_table_interval_and_literal_interval<C: Class>() {
        run(
            at(
                C::NAME,
                "test_arithmetic_operation_table_interval_and_literal_interval",
            ),
            &[Flag::DatetimeInterval],
            |_, engine| {
                let t = interval_table::<C>(engine)?;
                let data = days_seconds(2, 5);
                let mut conn = engine.connect()?;
                conn.execute_with(&t.insert(), &row! { "id" => 1, "interval_data" => data })?;
                // PostgreSQL keeps days and the time apart, as timedelta's days and seconds:
                // (2 days 5 s) - (103 days 4 s) is -101 days 1 s.
                let got: Interval =
                    conn.scalar(&select(t.c("interval_data") - literal(C::data())))?;
                assert_eq!(
                    got,
                    days_seconds(2 - C::data().days, 5 - C::data().microseconds / 1_000_000)
                );
                let got: Interval =
                    conn.scalar(&select(t.c("interval_data") + literal(C::data())))?;
                assert_eq!(
                    got,
                    days_seconds(2 + C::data().days, 5 + C::data().microseconds / 1_000_000)
                );
                Ok(())
            },
        );
    }

    pub(super) fn arithmetic_operation_table_date_and_literal_interval<C: Class>() {
        run(
            at(
                C::NAME,
                "test_arithmetic_operation_table_date_and_literal_interval",
            ),
            &[Flag::DatetimeInterval],
            |_, engine| {
                let t = interval_table::<C>(engine)?;
                let now = now();
                let mut conn = engine.connect()?;
                conn.execute_with(&t.insert(), &row! { "id" => 1, "date_data" => now })?;
                let got: NaiveDateTime =
                    conn.scalar(&select(t.c("date_data") - literal(C::data())))?;
                assert_eq!(got, shifted::<C>(now, -1));
                let got: NaiveDateTime =
                    conn.scalar(&select(t.c("date_data") + literal(C::data())))?;
                assert_eq!(got, shifted::<C>(now, 1));
                Ok(())
            },
        );
    }
}

use chrono::Timelike as _;

macro_rules! interval_tests {
    ($($name:ident => $body:ident($class:ident)),* $(,)?) => {$(
        #[test]
        fn $name() {
            interval::$body::<interval::$class>();
        }
    )*};
}

interval_tests! {
    interval_literal => literal_test(Plain),
    interval_select_direct_literal_interval => select_direct_literal_interval(Plain),
    interval_arithmetic_operation_literal_interval => arithmetic_operation_literal_interval(Plain),
    interval_arithmetic_operation_table_interval_and_literal_interval =>
        arithmetic_operation_table_interval_and_literal_interval(Plain),
    interval_arithmetic_operation_table_date_and_literal_interval =>
        arithmetic_operation_table_date_and_literal_interval(Plain),
    precision_interval_literal => literal_test(Precision),
    precision_interval_select_direct_literal_interval => select_direct_literal_interval(Precision),
    precision_interval_arithmetic_operation_literal_interval =>
        arithmetic_operation_literal_interval(Precision),
    precision_interval_arithmetic_operation_table_interval_and_literal_interval =>
        arithmetic_operation_table_interval_and_literal_interval(Precision),
    precision_interval_arithmetic_operation_table_date_and_literal_interval =>
        arithmetic_operation_table_date_and_literal_interval(Precision),
}
