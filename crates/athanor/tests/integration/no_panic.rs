//! Property tests: no public entry point panics, whatever it is given. Errors are allowed
//! (and checked to be the documented kinds); panics are not.
//!
//! - URL parsing and `create_engine` with arbitrary strings, and with every known option set
//!   to arbitrary text and numbers (`inf`, `1e300`, `-0`, `NaN`, ...): `Ok` or
//!   `Error::Argument`.
//! - `EngineOptions`' numeric setters with NaN, infinities, negatives and huge values.
//! - Statements built from arbitrary names (NUL, quotes, 10 000 characters) and values (NaN,
//!   infinities, empty IN lists, every kind) compiled for SQLite, PostgreSQL, MySQL and the
//!   default dialect, and printed.
//! - Every kind of `Value` read into every Rust type with `FromValue`, and through a real
//!   row (`row.get`) after a round trip through SQLite.
//!
//! The runs are seeded and bounded so CI stays quick: 128 cases per property by default. Set
//! `ATHANOR_PROPTEST_CASES` for more and `ATHANOR_PROPTEST_SEED` for another seed, e.g.
//! `ATHANOR_PROPTEST_CASES=20000 cargo test -p athanor --all-features --test integration no_panic`.

use athanor::dialect::{DefaultDialect, Dialect, MySql, Postgres, Sqlite};
use athanor::prelude::*;
use athanor::{Error, FromValue, Url};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};

fn env_number(key: &str, default: u64) -> u64 {
    std::env::var(key)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn config() -> Config {
    Config {
        cases: u32::try_from(env_number("ATHANOR_PROPTEST_CASES", 128)).unwrap_or(128),
        rng_seed: RngSeed::Fixed(env_number("ATHANOR_PROPTEST_SEED", 0x00A7_4A40)),
        failure_persistence: None,
        max_shrink_iters: 512,
        ..Config::default()
    }
}

#[track_caller]
fn assert_argument<T>(r: athanor::Result<T>, input: &str) {
    if let Err(e) = r {
        assert!(matches!(e, Error::Argument(_)), "{input:?}: {e:?}");
    }
}

/// Text that looks like a number of seconds, or like nothing at all.
fn option_value() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<f64>().prop_map(|f| f.to_string()),
        any::<f64>().prop_map(|f| format!("{f:e}")),
        any::<i64>().prop_map(|i| i.to_string()),
        any::<u64>().prop_map(|i| i.to_string()),
        prop::sample::select(vec![
            "inf",
            "-inf",
            "NaN",
            "infinity",
            "1e300",
            "-0",
            "0",
            "",
            " ",
            "true",
            "false",
            "yes",
            "maybe",
            "18446744073709551616",
            "1e-320",
            "0x10",
            "+5",
            "5s",
        ])
        .prop_map(str::to_string),
        any::<String>(),
    ]
}

fn percent(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// A name: ordinary, reserved, quoted, unicode, NUL-bearing, empty or very long.
fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z_][a-z0-9_]{0,10}",
        prop::sample::select(vec![
            "select",
            "order",
            "Name",
            "# of albums",
            "a\"b",
            "a`b",
            "a'b",
            "a\0b",
            "",
            " ",
            "x.y",
            "é",
            "$1",
            "?",
            ":x",
        ])
        .prop_map(str::to_string),
        (1usize..300).prop_map(|n| "n".repeat(n)),
        any::<String>(),
    ]
}

#[cfg(feature = "chrono")]
fn chrono_value() -> impl Strategy<Value = Value> {
    use chrono::{NaiveDate, NaiveTime, TimeZone, Utc};
    let date = any::<i32>().prop_filter_map("a chrono date", NaiveDate::from_num_days_from_ce_opt);
    // Nanoseconds up to 2e9: leap seconds (second 59 only) included.
    let time = (0u32..24, 0u32..60, 0u32..60, 0u32..2_000_000_000)
        .prop_filter_map("a chrono time", |(h, m, s, n)| {
            NaiveTime::from_hms_nano_opt(h, m, s, n)
        });
    prop_oneof![
        date.clone().prop_map(Value::Date),
        time.clone().prop_map(Value::Time),
        (date.clone(), time.clone()).prop_map(|(d, t)| Value::DateTime(d.and_time(t))),
        (date, time).prop_map(|(d, t)| Value::DateTimeUtc(Utc.from_utc_datetime(&d.and_time(t)))),
    ]
}

#[cfg(not(feature = "chrono"))]
fn chrono_value() -> impl Strategy<Value = Value> {
    Just(Value::Null)
}

#[cfg(feature = "rust_decimal")]
fn decimal_value() -> impl Strategy<Value = Value> {
    (any::<i128>(), 0u32..=28).prop_filter_map("a decimal", |(m, scale)| {
        rust_decimal::Decimal::try_from_i128_with_scale(m >> 32, scale)
            .ok()
            .map(Value::Decimal)
    })
}

#[cfg(not(feature = "rust_decimal"))]
fn decimal_value() -> impl Strategy<Value = Value> {
    Just(Value::Null)
}

#[cfg(feature = "uuid")]
fn uuid_value() -> impl Strategy<Value = Value> {
    any::<u128>().prop_map(|u| Value::Uuid(uuid::Uuid::from_u128(u)))
}

#[cfg(not(feature = "uuid"))]
fn uuid_value() -> impl Strategy<Value = Value> {
    Just(Value::Null)
}

#[cfg(feature = "serde_json")]
fn json_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<f64>().prop_map(|f| Value::Json(serde_json::json!(f))),
        any::<i64>().prop_map(|i| Value::Json(serde_json::json!({ "n": i }))),
        any::<String>().prop_map(|s| Value::Json(serde_json::json!([s, null, true]))),
    ]
}

#[cfg(not(feature = "serde_json"))]
fn json_value() -> impl Strategy<Value = Value> {
    Just(Value::Null)
}

/// Text a date, number, UUID or JSON reader might be tempted by.
fn tempting_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[+-]?[0-9]{1,12}-[0-9]{1,3}-[0-9]{1,3}([ Tt][0-9]{1,3}:[0-9]{1,3}(:[0-9]{1,3}(\\.[0-9]{0,12})?)?)?([+-][0-9]{1,4}(:[0-9]{2})?|Z)?",
        "[0-9]{1,3}:[0-9]{1,3}(:[0-9]{1,3}(\\.[0-9]{0,12})?)?",
        "[+-]?[0-9]{0,40}(\\.[0-9]{0,40})?([eE][+-]?[0-9]{1,4})?",
        "\\{?[0-9a-fA-F-]{30,40}\\}?",
        "[\\[\\]{}\":,0-9a-z ]{0,20}",
    ]
}

/// A value of any kind, with the edges of each.
fn value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::Int),
        prop::sample::select(vec![i64::MIN, i64::MAX, 0, 1, -1, 1 << 53, (1 << 53) + 1])
            .prop_map(Value::Int),
        any::<f64>().prop_map(Value::Float),
        prop::sample::select(vec![
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            -0.0,
            1e300,
            0.1
        ])
        .prop_map(Value::Float),
        any::<String>().prop_map(Value::Text),
        tempting_text().prop_map(Value::Text),
        prop::collection::vec(any::<u8>(), 0..40).prop_map(Value::Bytes),
        chrono_value(),
        decimal_value(),
        uuid_value(),
        json_value(),
        (any::<i32>(), any::<i32>(), any::<i64>()).prop_map(|(months, days, microseconds)| {
            Value::Interval(athanor::types::Interval {
                months,
                days,
                microseconds,
            })
        }),
        array_value(),
    ]
}

/// Arrays: of integers, of text with NULLs, empty, and an array of arrays.
fn array_value() -> impl Strategy<Value = Value> {
    let item = prop_oneof![
        Just(Value::Null),
        any::<i64>().prop_map(Value::Int),
        any::<f64>().prop_map(Value::Float),
        any::<String>().prop_map(Value::Text),
    ];
    prop::collection::vec(item, 0..5).prop_flat_map(|items| {
        prop_oneof![
            Just(Value::Array(items.clone())),
            Just(Value::Array(vec![Value::Array(items)])),
        ]
    })
}

/// Calls `$each!` with every Rust type `FromValue` knows (one list for both readers below).
macro_rules! every_type {
    ($each:ident) => {
        $each!(
            bool,
            i8,
            i16,
            i32,
            i64,
            i128,
            isize,
            u8,
            u16,
            u32,
            u64,
            u128,
            usize,
            f32,
            f64,
            String,
            Vec<u8>,
            Vec<i64>,
            Vec<Option<String>>,
            athanor::types::Interval,
            std::time::Duration,
            Value
        );
        #[cfg(feature = "chrono")]
        $each!(
            chrono::NaiveDate,
            chrono::NaiveTime,
            chrono::NaiveDateTime,
            chrono::DateTime<chrono::Utc>
        );
        #[cfg(feature = "rust_decimal")]
        $each!(rust_decimal::Decimal);
        #[cfg(feature = "uuid")]
        $each!(uuid::Uuid);
        #[cfg(feature = "serde_json")]
        $each!(serde_json::Value);
    };
}

/// Reads `v` into every Rust type `FromValue` knows, borrowed and owned: errors allowed.
fn read_every_way(v: &Value) {
    macro_rules! each {
        ($($t:ty),* $(,)?) => {$(
            let _ = <$t>::from_value(v);
            let _ = <$t>::from_value_owned(v.clone());
            let _ = <Option<$t>>::from_value(v);
        )*};
    }
    every_type!(each);
}

/// Reads column 0 of `row` into every Rust type with `row.get`: errors allowed.
fn get_every_way(row: &Row) {
    macro_rules! each {
        ($($t:ty),* $(,)?) => {$(
            let _ = row.get::<$t, _>(0);
            let _ = row.get::<Option<$t>, _>("v");
        )*};
    }
    every_type!(each);
}

const DIALECTS: [&dyn Dialect; 4] = [&Sqlite, &Postgres, &MySql, &DefaultDialect];

/// Compiles for every dialect and prints: errors allowed, panics not.
fn compile_everywhere(stmt: &impl Compile) {
    for d in DIALECTS {
        let _ = stmt.compile(d);
    }
}

/// The values SQLite can't store as given: NaN (it would be NULL) and decimals of more than
/// 15 significant digits (NUMERIC is REAL there).
fn refused_by_sqlite(v: &Value) -> bool {
    match v {
        Value::Float(f) => f.is_nan(),
        #[cfg(feature = "rust_decimal")]
        Value::Decimal(d) => d.normalize().mantissa().unsigned_abs() >= 10u128.pow(15),
        // SQLite has no interval or array storage: the driver refuses them (PostgreSQL only).
        Value::Interval(_) | Value::Array(_) => true,
        _ => false,
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn urls_never_panic(s in any::<String>(), tail in "[a-z+:/@?=&%\\[\\]0-9.]{0,30}") {
        for url in [s.clone(), format!("postgresql://{s}"), format!("sqlite://{tail}"), format!("mysql://{tail}{s}")] {
            let _ = Url::parse(&url);
            // Nothing connects until connect(): an engine is only parsed and checked.
            assert_argument(create_engine(&url), &url);
        }
    }

    #[test]
    fn url_options_are_ok_or_argument_errors(
        base in prop::sample::select(vec!["sqlite://", "postgresql://u@h/db", "mysql://u@h/db"]),
        key in prop::sample::select(vec![
            "echo", "pool_size", "pool_timeout", "connect_timeout", "prefer_socket",
            "sslmode", "application_name", "options", "unknown",
            "max_overflow", "pool_recycle", "pool_pre_ping", "pool_use_lifo",
            "pool_reset_on_return", "statement_timeout", "hide_parameters", "timeout",
            "sslrootcert", "ssl-mode", "ssl_mode", "ssl-ca", "ssl_ca",
        ]),
        value in option_value(),
    ) {
        let url = format!("{base}?{key}={}", percent(&value));
        assert_argument(create_engine(&url), &url);
    }

    #[test]
    fn engine_option_setters_never_panic(secs in any::<f64>(), n in any::<usize>(), edge in prop::sample::select(vec![f64::NAN, f64::INFINITY, f64::NEG_INFINITY, -1.0, 1e300, f64::MAX, f64::MIN_POSITIVE, -0.0])) {
        for s in [secs, edge] {
            let opts = EngineOptions::new()
                .pool_timeout_secs(s)
                .pool_recycle_secs(s)
                .pool_size(n)
                .max_overflow(n)
                .cache_size(n);
            assert_argument(create_engine_with("sqlite://", opts), &format!("{s} {n}"));
            if let Ok(d) = std::time::Duration::try_from_secs_f64(s) {
                let opts = EngineOptions::new().statement_timeout(d);
                assert_argument(create_engine_with("sqlite://", opts), &format!("{s}"));
            }
        }
        let opts = EngineOptions::new().pool_timeout(std::time::Duration::MAX);
        assert_argument(create_engine_with("sqlite://", opts), "Duration::MAX");
    }

    #[test]
    fn statements_from_any_names_and_values_compile_or_fail_cleanly(
        table_name in name(),
        a in name(),
        b in name(),
        label in name(),
        v in value(),
        w in value(),
        list in prop::collection::vec(value(), 0..4),
        limit in any::<u64>(),
    ) {
        let md = MetaData::new();
        let built = Table::build(table_name.as_str(), &md)
            .column(Column::new(a.as_str(), Type::Integer))
            .column(Column::new(b.as_str(), Type::String(None)))
            .finish();
        let Ok(t) = built else { return Ok(()) };
        let (ca, cb) = (t.c(&a), t.c(&b));
        compile_everywhere(&select(&t).filter(ca.clone().eq(v.clone())));
        compile_everywhere(
            &select((ca.clone().label(label.as_str()), func::count(cb.clone())))
                .filter(ca.clone().in_(list.clone()) | cb.clone().not_in(list.clone()))
                .group_by(ca.clone())
                .order_by(desc(label.as_str()))
                .limit(limit)
                .offset(limit / 2),
        );
        compile_everywhere(&select(ca.clone() + v.clone()).filter(cb.clone().like(w.clone())));
        compile_everywhere(&t.insert().values(Values::new().set(&a, v.clone()).set(&b, w.clone())));
        compile_everywhere(&t.update().values(Values::new().set(&b, v.clone())).filter(ca.clone().gt(w.clone())));
        compile_everywhere(&t.delete().filter(ca.clone().between(v.clone(), w.clone())));
        let sub = select(ca.clone()).subquery(label.as_str());
        compile_everywhere(&select(sub.c(&a)));
        compile_everywhere(&select(ca.clone()).union(select(cb.clone())).limit(limit));
        compile_everywhere(&Ddl::CreateTable(t.clone()));
        compile_everywhere(&text(&format!("SELECT :{a} {b}")).bind(&a, v.clone()));
        let _ = select(&t).filter(ca.eq(v)).to_string();
    }

    #[test]
    fn every_value_reads_into_every_type_or_errors(v in value()) {
        read_every_way(&v);
    }
}

/// One in-memory SQLite engine for the row-path property (creating one per case costs more
/// than the case).
fn sqlite_engine() -> &'static athanor::Engine {
    static ENGINE: std::sync::OnceLock<athanor::Engine> = std::sync::OnceLock::new();
    ENGINE.get_or_init(|| match create_engine("sqlite://") {
        Ok(e) => e,
        Err(e) => panic!("in-memory SQLite: {e}"),
    })
}

/// Engines on the servers whose URLs are set (`SELECT ?` needs no table, so no private
/// schema either).
fn server_engines() -> &'static [athanor::Engine] {
    static ENGINES: std::sync::OnceLock<Vec<athanor::Engine>> = std::sync::OnceLock::new();
    ENGINES.get_or_init(|| {
        ["ATHANOR_TEST_POSTGRES", "ATHANOR_TEST_MYSQL"]
            .iter()
            .filter_map(|k| std::env::var(k).ok())
            .map(|url| match create_engine(&url) {
                Ok(e) => e,
                Err(e) => panic!("{url}: {e}"),
            })
            .collect()
    })
}

/// Fewer cases for the server round trips: each is a network round trip.
fn server_config() -> Config {
    let mut c = config();
    c.cases = c.cases.min(64).max(c.cases / 20);
    c
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn every_value_round_trips_through_a_sqlite_row_or_errors(
        v in value(),
        idx in prop_oneof![Just(0usize), Just(1usize), any::<usize>()],
        col in prop_oneof![Just("v".to_string()), Just("V".to_string()), any::<String>()],
    ) {
        let engine = sqlite_engine();
        let mut conn = engine.connect().map_err(|e| TestCaseError::fail(e.to_string()))?;
        match conn.execute(&select(literal(v.clone()).label("v"))) {
            Ok(result) => {
                let rows = result.all().map_err(|e| TestCaseError::fail(e.to_string()))?;
                prop_assert_eq!(rows.len(), 1);
                get_every_way(&rows[0]);
                // Any position or name: the value, or NoSuchColumn.
                match rows[0].get::<Value, _>(idx) {
                    Ok(_) => prop_assert_eq!(idx, 0),
                    Err(e) => prop_assert!(matches!(e, Error::NoSuchColumn { .. }), "{e:?}"),
                }
                match rows[0].get::<Value, _>(col.as_str()) {
                    Ok(_) => prop_assert_eq!(col.as_str(), "v"),
                    Err(e) => prop_assert!(matches!(e, Error::NoSuchColumn { .. }), "{e:?}"),
                }
                // A value SQLite stores natively comes back as itself (NaN would have been
                // a NULL: it must have been refused).
                prop_assert!(!matches!(v, Value::Float(f) if f.is_nan()), "NaN was stored");
                let native = matches!(v, Value::Float(f) if !f.is_nan());
                if native || matches!(v, Value::Null | Value::Int(_) | Value::Text(_) | Value::Bytes(_)) {
                    prop_assert_eq!(rows[0].value(0).map_err(|e| TestCaseError::fail(e.to_string()))?, &v);
                }
            }
            // Only values SQLite can't store as given are refused.
            Err(Error::Data(_)) => prop_assert!(refused_by_sqlite(&v), "{v:?} was refused"),
            Err(e) => return Err(TestCaseError::fail(format!("{v:?}: {e:?}"))),
        }
    }
}

proptest! {
    #![proptest_config(server_config())]

    /// Any value bound on PostgreSQL and MySQL/MariaDB (when their URLs are set) comes back
    /// in a row that reads into every type, or the statement fails with an error: never a
    /// panic in a driver's conversions.
    #[test]
    fn every_value_round_trips_through_a_server_row_or_errors(v in value()) {
        for engine in server_engines() {
            let mut conn = engine.connect().map_err(|e| TestCaseError::fail(e.to_string()))?;
            if let Ok(result) = conn.execute(&select(literal(v.clone()).label("v"))) {
                let rows = result.all().map_err(|e| TestCaseError::fail(e.to_string()))?;
                prop_assert_eq!(rows.len(), 1);
                get_every_way(&rows[0]);
            }
        }
    }
}

/// The servers' `connect_timeout` at its extremes: a connection or an error, never a panic
/// in the driver's clock arithmetic.
#[test]
fn extreme_connect_timeouts_connect_or_fail_cleanly() {
    for key in ["ATHANOR_TEST_POSTGRES", "ATHANOR_TEST_MYSQL"] {
        let Ok(url) = std::env::var(key) else {
            continue;
        };
        let sep = if url.contains('?') { '&' } else { '?' };
        for secs in ["0", "1", "18446744073709551615"] {
            let with = format!("{url}{sep}connect_timeout={secs}");
            if key == "ATHANOR_TEST_MYSQL" && secs == "0" {
                // The mysql crate would time out at once: refused up front.
                let e = create_engine(&with).expect_err("connect_timeout=0 on MySQL");
                assert!(e.to_string().contains("seconds from 1"), "{e}");
                continue;
            }
            match create_engine(&with) {
                Ok(engine) => match engine.connect() {
                    Ok(_) => {}
                    Err(e) => eprintln!("{with}: {e}"),
                },
                Err(e) => assert!(matches!(e, Error::Argument(_)), "{with}: {e:?}"),
            }
        }
    }
}
