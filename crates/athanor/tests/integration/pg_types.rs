//! PostgreSQL values of every type come back as what they are: arrays as arrays, intervals as
//! intervals, numerics exactly, and the long tail (network addresses, geometry, bit strings,
//! money, text search, OID aliases, ranges, ...) as the text PostgreSQL itself prints for
//! them, never as wire bytes. A type the driver can't read is an `Error::Data` naming it.

use std::time::Duration;

use athanor::prelude::*;
use athanor::types::Interval;
use athanor::{Engine, Error, Result};

use super::support::{ServerDb, fresh, servers};

/// A private schema on the PostgreSQL server for the calling test, if the server is
/// configured (only PostgreSQL: these are its driver's tests).
fn postgres() -> Option<(Engine, ServerDb)> {
    let test = std::thread::current().name().unwrap_or("test").to_string();
    let test = test.rsplit("::").next().unwrap_or("test").to_string();
    servers::postgres(&test).map(|db| (db.engine.clone(), db))
}

fn decimal(s: &str) -> Value {
    Value::Decimal(s.parse().unwrap_or_else(|e| panic!("{s}: {e}")))
}

/// Each expression is read as its own value and as the text its output function prints
/// (`concat(x)`; a `::text` cast differs for `inet`) in the same row; the driver's reading must
/// be the server's text, byte for byte.
#[test]
fn long_tail_types_read_as_the_text_postgresql_prints() -> Result<()> {
    let Some((engine, _db)) = postgres() else {
        return Ok(());
    };
    let mut conn = engine.connect()?;
    conn.exec_driver_sql(
        "CREATE TYPE pgt_mood AS ENUM ('sad', 'ok'); \
         CREATE TYPE pgt_pair AS (a int, b text); \
         CREATE DOMAIN pgt_code AS varchar(5); \
         CREATE TABLE pgt_secret (x int); \
         CREATE POLICY pgt_positive ON pgt_secret USING (x > 0)",
    )?;
    let exprs = [
        "'192.168.1.5'::inet",
        "'192.168.1.5/24'::inet",
        "'10.0.0.0/8'::cidr",
        "'::1'::inet",
        "'2001:db8::1/64'::inet",
        "'2001:db8::/32'::cidr",
        "'::ffff:1.2.3.4'::inet",
        "'::1.2.3.4'::inet",
        "'1:0:2:3:4:5:6:7'::inet",
        "'1:0:0:2:0:0:0:3'::inet",
        "'fe80::'::inet",
        "'08:00:2b:01:02:03'::macaddr",
        "'08:00:2b:01:02:03:04:05'::macaddr8",
        "B'101'::bit(3)",
        "B'1101011110'::varbit",
        "B''::varbit",
        "'13:45:06.5+05:30'::timetz",
        "'00:00:00-08'::timetz",
        "'23:59:59.999999+14:00:30'::timetz",
        "'(0,1)'::tid",
        "'(1.5,-2)'::point",
        "'(1e20,1e-5)'::point",
        "'(123456789012345,0.0001)'::point",
        "'(-0,NaN)'::point",
        "'(Infinity,-Infinity)'::point",
        "'(0.1,1234567.25)'::point",
        "'{1,-1,0.5}'::line",
        "'[(0,0),(1,1.5)]'::lseg",
        "'((3,4),(1,2))'::box",
        "'[(0,0),(1,1),(2,0)]'::path",
        "'((0,0),(1,1),(2,0))'::path",
        "'((0,0),(1,1),(2,0))'::polygon",
        "'<(1,2),3.5>'::circle",
        "12.34::money",
        "'a fat cat sat on a mat'::tsvector",
        "to_tsvector('english', 'The quick brown foxes jumped')",
        "'fat & (rat | cat)'::tsquery",
        "'pg_class'::regclass",
        "'int4'::regtype",
        "'now'::regproc",
        "'16/B374D848'::pg_lsn",
        "'[1,10)'::int4range",
        "'(1.5,2.5]'::numrange",
        "'[2020-01-01,2020-02-01)'::daterange",
        "'$.a[*] ? (@ > 1)'::jsonpath",
        "'<a>x</a>'::xml",
        "'ok'::pgt_mood",
        "ROW(1, 'x y')::pgt_pair",
        "'ab'::pgt_code",
        "ARRAY['ok'::pgt_mood, NULL]",
        "'1234'::xid",
        "'10 20'::int2vector",
        "'abc'::cstring",
        "(SELECT polqual FROM pg_policy WHERE polname = 'pgt_positive')",
    ];
    for e in exprs {
        let row = conn
            .execute(&text(&format!("SELECT {e}, concat({e})")))?
            .one()?;
        let printed: String = row.get(1)?;
        let read = row.value(0)?;
        let want = match e {
            "ARRAY['ok'::pgt_mood, NULL]" => Value::Array(vec![Value::from("ok"), Value::Null]),
            "'1234'::xid" => Value::Int(1234),
            "'10 20'::int2vector" => Value::Array(vec![Value::Int(10), Value::Int(20)]),
            _ => Value::Text(printed.clone()),
        };
        assert_eq!(read, &want, "{e} (PostgreSQL prints {printed})");
    }
    Ok(())
}

#[test]
fn arrays_read_as_arrays() -> Result<()> {
    let Some((engine, _db)) = postgres() else {
        return Ok(());
    };
    let mut conn = engine.connect()?;
    let row = conn
        .execute(&text(
            "SELECT ARRAY[1, NULL, -3]::int4[], ARRAY['a', 'b c', '']::text[], \
             '{{1,2},{3,4}}'::int8[], '{}'::int2[], ARRAY[1.5, -0.25]::float8[], \
             ARRAY[12.50]::numeric[], ARRAY['2020-01-02'::date], ARRAY['10.0.0.1'::inet], \
             ARRAY[1.25::money], ARRAY[true, false], ARRAY['\\x01ff'::bytea]",
        ))?
        .one()?;
    let ints = |v: &[i64]| Value::Array(v.iter().map(|i| Value::Int(*i)).collect());
    let texts = |v: &[&str]| Value::Array(v.iter().map(|s| Value::Text(s.to_string())).collect());
    assert_eq!(
        row.values(),
        &[
            Value::Array(vec![Value::Int(1), Value::Null, Value::Int(-3)]),
            texts(&["a", "b c", ""]),
            Value::Array(vec![ints(&[1, 2]), ints(&[3, 4])]),
            Value::Array(vec![]),
            Value::Array(vec![Value::Float(1.5), Value::Float(-0.25)]),
            Value::Array(vec![decimal("12.50")]),
            Value::Array(vec![Value::Date(
                chrono::NaiveDate::from_ymd_opt(2020, 1, 2).expect("date")
            )]),
            texts(&["10.0.0.1"]),
            texts(&["$1.25"]),
            Value::Array(vec![Value::Bool(true), Value::Bool(false)]),
            Value::Array(vec![Value::Bytes(vec![1, 255])]),
        ]
    );
    assert_eq!(
        row.get::<Vec<Option<i32>>, _>(0)?,
        [Some(1), None, Some(-3)]
    );
    assert_eq!(row.get::<Vec<String>, _>(1)?, ["a", "b c", ""]);
    assert!(
        row.get::<Vec<i64>, _>(0).is_err(),
        "a NULL element needs Option"
    );

    // pg_stats' anyarray columns name their element type in the value.
    conn.exec_driver_sql(
        "CREATE TABLE pgt_stats (x int); \
         INSERT INTO pgt_stats SELECT g % 2 FROM generate_series(1, 100) g; \
         ANALYZE pgt_stats",
    )?;
    let common: Value = conn.scalar(&text(
        "SELECT most_common_vals FROM pg_stats \
         WHERE tablename = 'pgt_stats' AND schemaname = current_schema()",
    ))?;
    let Value::Array(mut common) = common else {
        panic!("anyarray read as {common:?}");
    };
    common.sort_by_key(|v| match v {
        Value::Int(i) => *i,
        _ => -1,
    });
    assert_eq!(common, [Value::Int(0), Value::Int(1)]);

    // An array whose first index isn't 1 would lose its bounds in a Vec: refused.
    let err = conn
        .execute(&text("SELECT '[0:1]={7,8}'::int[]"))
        .expect_err("custom lower bound");
    assert!(matches!(err, Error::Data(_)), "{err:?}");
    assert!(err.to_string().contains("lower bound"), "{err}");
    Ok(())
}

#[test]
fn vectors_bind_to_array_columns() -> Result<()> {
    let Some((engine, _db)) = postgres() else {
        return Ok(());
    };
    let md = MetaData::new();
    let t = Table::build("pgt_arrays", &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .column(Column::new("ints", Type::Array(Box::new(Type::Integer))))
        .column(Column::new("big", Type::Array(Box::new(Type::BigInteger))))
        .column(Column::new("tags", Type::Array(Box::new(Type::Text))))
        .column(Column::new("reals", Type::Array(Box::new(Type::Double))))
        .column(Column::new("grid", Type::Array(Box::new(Type::Integer))))
        .finish()?;
    fresh(&engine, &md)?;
    let mut conn = engine.connect()?;
    let grid = Value::Array(vec![
        Value::from(vec![1i64, 2, 3]),
        Value::from(vec![4i64, 5, 6]),
    ]);
    conn.execute(&t.insert().values(row! {
        "id" => 1,
        "ints" => vec![Some(1i32), None, Some(i32::MAX)],
        "big" => vec![i64::MIN, 0],
        "tags" => vec!["a", "b,c", "{\"}"],
        "reals" => vec![0.5f64, -1e300],
        "grid" => grid.clone(),
    }))?;
    conn.execute(&t.insert().values(row! {
        "id" => 2, "ints" => Vec::<i32>::new(), "tags" => vec![None::<String>],
    }))?;
    type Read = (Vec<Option<i32>>, Option<Vec<i64>>, Vec<Option<String>>);
    let rows: Vec<Read> = conn
        .execute(&select((t.c("ints"), t.c("big"), t.c("tags"))).order_by(t.c("id")))?
        .tuples()?;
    assert_eq!(
        rows,
        [
            (
                vec![Some(1), None, Some(i32::MAX)],
                Some(vec![i64::MIN, 0]),
                vec![Some("a".into()), Some("b,c".into()), Some("{\"}".into())]
            ),
            (vec![], None, vec![None]),
        ]
    );
    let (reals, back): (Vec<f64>, Value) = conn
        .execute(&select((t.c("reals"), t.c("grid"))).filter(t.c("id").eq(1)))?
        .one()?
        .to()?;
    assert_eq!((reals, back), (vec![0.5, -1e300], grid));
    // The array operators take a bound array too.
    let ids: Vec<i64> =
        conn.scalars(&text("SELECT id FROM pgt_arrays WHERE tags @> :t").bind("t", vec!["b,c"]))?;
    assert_eq!(ids, [1]);

    // Elements convert exactly or not at all; a ragged array is refused.
    for (col, v) in [
        ("ints", Value::from(vec![1i64 << 40])),
        ("ints", Value::from(vec![1.5f64])),
        ("ints", Value::Int(3)),
        (
            "grid",
            Value::Array(vec![Value::from(vec![1i64]), Value::from(vec![2i64, 3])]),
        ),
    ] {
        let err = conn
            .execute(
                &t.insert()
                    .values(Values::new().set("id", 3).set(col, v.clone())),
            )
            .expect_err("does not fit");
        assert!(matches!(err, Error::Data(_)), "{col} = {v}: {err:?}");
    }
    Ok(())
}

#[test]
fn intervals_read_and_bind_exactly() -> Result<()> {
    let Some((engine, _db)) = postgres() else {
        return Ok(());
    };
    let mut conn = engine.connect()?;
    let row = conn
        .execute(&text(
            "SELECT '1 year 2 mons 3 days 04:05:06.000007'::interval, '36 hours'::interval, \
             '-1 day'::interval",
        ))?
        .one()?;
    let whole = Interval {
        months: 14,
        days: 3,
        microseconds: ((4 * 60 + 5) * 60 + 6) * 1_000_000 + 7,
    };
    assert_eq!(row.get::<Interval, _>(0)?, whole);
    assert!(
        row.get::<Duration, _>(0).is_err(),
        "months have no fixed length"
    );
    assert_eq!(row.get::<Duration, _>(1)?, Duration::from_secs(36 * 3600));
    assert!(row.get::<Duration, _>(2).is_err(), "negative");

    let md = MetaData::new();
    let t = Table::build("pgt_interval", &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .column(Column::new("span", Type::Interval))
        .finish()?;
    fresh(&engine, &md)?;
    conn.execute(
        &t.insert()
            .values(row! { "id" => 1, "span" => Value::Interval(whole) }),
    )?;
    // Text is parsed by the server (16 bytes of it are not an interval's binary form).
    conn.execute(
        &t.insert()
            .values(row! { "id" => 2, "span" => "1 day 2 hours 3s" }),
    )?;
    let err = conn
        .execute(
            &t.insert()
                .values(row! { "id" => 3, "span" => "sixteen chars!!!" }),
        )
        .expect_err("not an interval");
    assert!(matches!(err, Error::Data(_)), "{err:?}");
    let day: Interval = conn.scalar(&select(t.c("span")).filter(t.c("id").eq(2)))?;
    assert_eq!(
        day,
        Interval {
            months: 0,
            days: 1,
            microseconds: 7_203_000_000
        }
    );
    conn.execute(&text("DELETE FROM pgt_interval WHERE id = 2"))?;
    let printed: String = conn.scalar(&text("SELECT span::text FROM pgt_interval"))?;
    assert_eq!(printed, "1 year 2 mons 3 days 04:05:06.000007");
    assert_eq!(conn.scalar::<Interval, _>(&select(t.c("span")))?, whole);
    Ok(())
}

#[test]
fn numerics_read_exactly_or_fail() -> Result<()> {
    let Some((engine, _db)) = postgres() else {
        return Ok(());
    };
    let mut conn = engine.connect()?;
    let row = conn
        .execute(&text(
            "SELECT 12345678901234567890.12345678::numeric, -0.000001::numeric, 0::numeric, \
             100::numeric(10,2), 1e20::numeric, 79228162514264337593543950335::numeric",
        ))?
        .one()?;
    assert_eq!(
        row.values(),
        &[
            decimal("12345678901234567890.12345678"),
            decimal("-0.000001"),
            decimal("0"),
            decimal("100.00"),
            decimal("100000000000000000000"),
            decimal("79228162514264337593543950335"),
        ]
    );
    for sql in [
        "SELECT 0.12345678901234567890123456789::numeric",
        "SELECT 79228162514264337593543950336::numeric",
        "SELECT 'NaN'::numeric",
        "SELECT ARRAY['Infinity'::numeric]",
    ] {
        let err = conn.execute(&text(sql)).expect_err(sql);
        assert!(matches!(err, Error::Data(_)), "{sql}: {err:?}");
        assert!(err.to_string().contains("numeric"), "{sql}: {err}");
    }
    Ok(())
}

#[test]
fn a_type_the_driver_cannot_read_is_a_data_error_naming_it() -> Result<()> {
    let Some((engine, _db)) = postgres() else {
        return Ok(());
    };
    let mut conn = engine.connect()?;
    let err = conn
        .execute(&text("SELECT ROW(1, 'a')"))
        .expect_err("an anonymous record");
    assert!(matches!(err, Error::Data(_)), "{err:?}");
    assert!(err.to_string().contains("record"), "{err}");
    assert!(err.to_string().contains("::text"), "{err}");
    // Values beyond what the Rust type holds: infinite dates and timestamps.
    for sql in [
        "SELECT 'infinity'::timestamp",
        "SELECT '-infinity'::date",
        "SELECT ARRAY['infinity'::timestamptz]",
    ] {
        let err = conn.execute(&text(sql)).expect_err(sql);
        assert!(matches!(err, Error::Data(_)), "{sql}: {err:?}");
    }
    // A function returning void returns NULL (pg_sleep, pg_advisory_lock, ...).
    let row = conn
        .execute(&text("SELECT pg_sleep(0), pg_advisory_unlock_all()"))?
        .one()?;
    assert_eq!(row.values(), &[Value::Null, Value::Null]);
    // The connection is still good.
    assert_eq!(conn.scalar::<i64, _>(&text("SELECT 1"))?, 1);
    Ok(())
}

/// Text bound to a `uuid` column is parsed by the server, strictly: stray characters are an
/// error, not skipped.
#[test]
fn text_binds_to_uuid_as_the_server_parses_it() -> Result<()> {
    let Some((engine, _db)) = postgres() else {
        return Ok(());
    };
    let md = MetaData::new();
    let t = Table::build("pgt_uuid_text", &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .column(Column::new("u", Type::Uuid))
        .finish()?;
    fresh(&engine, &md)?;
    let mut conn = engine.connect()?;
    conn.execute(&t.insert().values_many([
        row! { "id" => 1, "u" => "67e55044-10b1-426f-9247-bb680e5fe0c8" },
        row! { "id" => 2, "u" => "{67E55044-10B1-426F-9247-BB680E5FE0C8}" },
    ]))?;
    let back: Vec<String> = conn.scalars(&text("SELECT u::text FROM pgt_uuid_text ORDER BY id"))?;
    assert_eq!(back, ["67e55044-10b1-426f-9247-bb680e5fe0c8"; 2]);
    for bad in [
        "67e55044-10b1-426f-9247-bb680e5fe0c8-zz",
        "67e55044x10b1x426f-9247-bb680e5fe0c8",
        "67e5504410b1426f9247bb680e5fe0c8ab",
    ] {
        let err = conn
            .execute(&t.insert().values(row! { "id" => 3, "u" => bad }))
            .expect_err(bad);
        assert!(matches!(err, Error::Data(_)), "{bad}: {err:?}");
    }
    Ok(())
}
