//! Results: all/first/one/one_or_none/scalar/scalars/tuples/stream, rows by name and
//! position, column names, and a row's Debug.

use athanor::prelude::*;
use athanor::{CursorResult, Engine, Error, Result};

use super::support::{fresh, on_all, s};

/// The quickstart's `users(name, age)` with Alice 27.3 and Bob 45.1, plus Carol (no age).
fn users(engine: &Engine, name: &str) -> Result<Table> {
    let md = MetaData::new();
    let users = Table::build(name, &md)
        .column(Column::new("name", Type::String(Some(50))))
        .column(Column::new("age", Type::Float))
        .finish()?;
    fresh(engine, &md)?;
    let mut conn = engine.connect()?;
    conn.execute(
        &users
            .insert()
            .values(row! { "name" => "Alice", "age" => 27.3 }),
    )?;
    conn.execute(
        &users
            .insert()
            .values(row! { "name" => "Bob", "age" => 45.1 }),
    )?;
    conn.execute(
        &users
            .insert()
            .values(row! { "name" => "Carol", "age" => None::<f64> }),
    )?;
    Ok(users)
}

fn run(engine: &Engine, stmt: &impl Executable) -> Result<CursorResult> {
    engine.connect()?.execute(stmt)
}

#[test]
fn quickstart_row_debug() {
    on_all(|engine| {
        let users = users(engine, "res_quick")?;
        let rows = run(engine, &select(&users).filter(users.c("age").gt(30)))?.all()?;
        assert_eq!(rows.len(), 1);
        assert_eq!(
            format!("{:?}", rows[0]),
            r#"Row(name => "Bob", age => 45.1)"#
        );
        let age: Option<f64> = rows[0].get("age")?;
        assert_eq!(age, Some(45.1));
        let carol = run(engine, &select(&users).filter(users.c("age").is_null()))?.one()?;
        assert_eq!(format!("{carol:?}"), r#"Row(name => "Carol", age => None)"#);
        let mixed = run(
            engine,
            &select((
                literal(7).label("n"),
                literal("quote \" and \\").label("t"),
                literal(vec![0u8, 255]).label("b"),
                literal(2.0).label("f"),
            )),
        )?
        .one()?;
        assert_eq!(
            format!("{mixed:?}"),
            r#"Row(n => 7, t => "quote \" and \\", b => b"\x00\xff", f => 2.0)"#
        );
        Ok(())
    });
}

#[test]
fn all_first_one_one_or_none() {
    on_all(|engine| {
        let users = users(engine, "res_one")?;
        let by_name = || select(&users).order_by(users.c("name"));
        assert_eq!(run(engine, &by_name())?.all()?.len(), 3);
        let first = run(engine, &by_name())?.first()?.expect("a first row");
        assert_eq!(first.get::<String, _>("name")?, "Alice");
        let none = run(engine, &by_name().filter(users.c("name").eq("Zed")))?;
        assert!(none.first()?.is_none());
        let bob = run(engine, &by_name().filter(users.c("name").eq("Bob")))?.one()?;
        assert_eq!(bob.get::<f64, _>("age")?, 45.1);
        let err = run(engine, &by_name().filter(users.c("name").eq("Zed")))?
            .one()
            .expect_err("no row");
        assert!(matches!(err, Error::NoResultFound), "{err:?}");
        let err = run(engine, &by_name())?.one().expect_err("three rows");
        assert!(matches!(err, Error::MultipleResultsFound), "{err:?}");
        assert!(
            run(engine, &by_name().filter(users.c("name").eq("Zed")))?
                .one_or_none()?
                .is_none()
        );
        let one = run(engine, &by_name().filter(users.c("name").eq("Carol")))?.one_or_none()?;
        assert_eq!(
            one.map(|r| r.get::<String, _>(0)).transpose()?,
            Some(s("Carol"))
        );
        let err = run(engine, &by_name())?
            .one_or_none()
            .expect_err("three rows");
        assert!(matches!(err, Error::MultipleResultsFound), "{err:?}");
        Ok(())
    });
}

#[test]
fn scalar_scalars_and_tuples() {
    on_all(|engine| {
        let users = users(engine, "res_scalar")?;
        let n: i64 = run(engine, &select(func::count_star()).select_from(&users))?.scalar()?;
        assert_eq!(n, 3);
        let first: String = run(
            engine,
            &select(users.c("name")).order_by(users.c("name").desc()),
        )?
        .scalar()?;
        assert_eq!(first, "Carol");
        // scalar() with no row: None for Option, NoResultFound otherwise.
        let empty = || select(users.c("age")).filter(users.c("name").eq("Zed"));
        assert_eq!(run(engine, &empty())?.scalar::<Option<f64>>()?, None);
        let err = run(engine, &empty())?.scalar::<f64>().expect_err("no row");
        assert!(matches!(err, Error::NoResultFound), "{err:?}");
        // A NULL in the first row.
        let carol_age = select(users.c("age")).filter(users.c("name").eq("Carol"));
        assert_eq!(run(engine, &carol_age)?.scalar::<Option<f64>>()?, None);
        let err = run(engine, &carol_age)?
            .scalar::<f64>()
            .expect_err("NULL into f64");
        assert!(matches!(err, Error::Conversion(_)), "{err:?}");
        assert_eq!(run(engine, &carol_age)?.scalar_one::<Option<f64>>()?, None);
        let err = run(engine, &select(users.c("age")))?
            .scalar_one::<Option<f64>>()
            .expect_err("three rows");
        assert!(matches!(err, Error::MultipleResultsFound), "{err:?}");
        let ages: Vec<Option<f64>> =
            run(engine, &select(users.c("age")).order_by(users.c("name")))?.scalars()?;
        assert_eq!(ages, [Some(27.3), Some(45.1), None]);
        let pairs: Vec<(String, Option<f64>)> =
            run(engine, &select(&users).order_by(users.c("name")))?.tuples()?;
        assert_eq!(
            pairs,
            [
                (s("Alice"), Some(27.3)),
                (s("Bob"), Some(45.1)),
                (s("Carol"), None)
            ]
        );
        // A tuple of the wrong size is an error, not a panic.
        let err = run(engine, &select(&users))?
            .tuples::<(String,)>()
            .expect_err("two columns into one");
        assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
        let rows: Vec<Row> = run(engine, &select(&users))?.tuples()?;
        assert_eq!(rows.len(), 3);
        Ok(())
    });
}

#[test]
fn rows_by_name_and_position() {
    on_all(|engine| {
        let users = users(engine, "res_row")?;
        let r = run(
            engine,
            &select((
                users.c("name"),
                users.c("age"),
                (users.c("age") * 2).label("double age"),
            ))
            .filter(users.c("name").eq("Alice")),
        )?;
        assert_eq!(r.columns(), ["name", "age", "double age"]);
        let row = r.one()?;
        assert_eq!(row.columns(), ["name", "age", "double age"]);
        assert_eq!((row.len(), row.is_empty()), (3, false));
        assert_eq!(row.get::<String, _>("name")?, "Alice");
        assert_eq!(row.get::<String, _>(0)?, "Alice");
        assert_eq!(row.get::<f64, _>(1)?, 27.3);
        assert_eq!(row.get::<f64, _>("double age")?, 54.6);
        let key = s("age");
        assert_eq!(row.get::<f64, _>(&key)?, 27.3);
        assert_eq!(row.value("name")?, &Value::Text(s("Alice")));
        assert_eq!(row.values()[1], Value::Float(27.3));
        assert_eq!(row.to::<(String, f64, f64)>()?, (s("Alice"), 27.3, 54.6));
        let err = row.get::<String, _>("nope").expect_err("no such column");
        assert!(
            matches!(&err, Error::NoSuchColumn(c) if c.column == "nope" && c.table.contains("double age")),
            "{err:?}"
        );
        let err = row.get::<String, _>(3).expect_err("past the end");
        assert!(matches!(err, Error::NoSuchColumn { .. }), "{err:?}");
        assert_eq!(
            row.clone().into_values(),
            [
                Value::Text(s("Alice")),
                Value::Float(27.3),
                Value::Float(54.6)
            ]
        );
        Ok(())
    });
}

#[test]
fn iterate_and_stream() {
    on_all(|engine| {
        let users = users(engine, "res_stream")?;
        let mut names = Vec::new();
        for row in run(engine, &select(users.c("name")).order_by(users.c("name")))? {
            names.push(row.get::<String, _>(0)?);
        }
        assert_eq!(names, ["Alice", "Bob", "Carol"]);
        let mut conn = engine.connect()?;
        let mut seen = Vec::new();
        conn.stream(&select(&users).order_by(users.c("name")), |row| {
            seen.push(format!("{row:?}"));
            Ok(true)
        })?;
        assert_eq!(
            seen,
            [
                r#"Row(name => "Alice", age => 27.3)"#,
                r#"Row(name => "Bob", age => 45.1)"#,
                r#"Row(name => "Carol", age => None)"#,
            ]
        );
        // Stopping early.
        let mut n = 0;
        conn.stream(&select(users.c("name")), |_| {
            n += 1;
            Ok(n < 2)
        })?;
        assert_eq!(n, 2);
        // The callback's error comes back as it is, and the connection stays usable.
        let err = conn
            .stream(
                &select(users.c("age")).order_by(users.c("name").desc()),
                |row| row.get::<f64, _>("age").map(|_| true),
            )
            .expect_err("Carol's NULL age");
        assert!(
            matches!(&err, Error::Conversion(c) if c.column.as_deref() == Some("age")),
            "{err:?}"
        );
        // Bound values and text() parameters stream too.
        let mut ages = Vec::new();
        conn.stream(
            &select(users.c("age")).filter(users.c("age").gt(30)),
            |row| {
                ages.push(row.get::<f64, _>(0)?);
                Ok(true)
            },
        )?;
        assert_eq!(ages, [45.1]);
        let mut got = Vec::new();
        conn.stream(&text("SELECT :a + 1 AS b").bind("a", 41), |row| {
            got.push(row.get::<i64, _>("b")?);
            Ok(true)
        })?;
        assert_eq!(got, [42]);
        // Rows of `*` and raw columns carry the database's column names.
        let mut seen = Vec::new();
        conn.stream(
            &select((star(), literal_column("1 + 1").label("two")))
                .select_from(&users)
                .filter(users.c("name").eq("Bob")),
            |row| {
                seen.push(format!("{row:?}"));
                Ok(true)
            },
        )?;
        assert_eq!(seen, [r#"Row(name => "Bob", age => 45.1, two => 2)"#]);
        // A streamed statement's database error carries the SQL.
        let err = conn
            .stream(&text("SELECT * FROM res_stream_missing"), |_| Ok(true))
            .expect_err("no such table");
        let d = err.database_error().expect("a database error");
        assert!(
            d.sql.as_deref() == Some("SELECT * FROM res_stream_missing"),
            "{err:?}"
        );
        Ok(())
    });
}

#[test]
fn results_of_statements_without_rows() {
    on_all(|engine| {
        let users = users(engine, "res_norows")?;
        let r = run(
            engine,
            &users
                .update()
                .set("age", 1.0)
                .filter(users.c("name").eq("Zed")),
        )?;
        assert_eq!(r.columns(), Vec::<String>::new());
        assert_eq!(r.rowcount(), 0);
        assert!(r.all()?.is_empty());
        let r = run(engine, &users.delete().filter(users.c("name").eq("Carol")))?;
        assert_eq!(r.rowcount(), 1);
        let err = run(engine, &users.delete())?
            .one()
            .expect_err("DELETE returns no rows");
        assert!(matches!(err, Error::NoResultFound), "{err:?}");
        Ok(())
    });
}

/// A record read by position, as the ORM's derive will generate it.
#[derive(Debug, PartialEq)]
struct Person {
    name: String,
    age: Option<f64>,
}

impl FromRow for Person {
    fn from_row(row: &Row) -> Result<Self> {
        Ok(Person {
            name: row.get("name")?,
            age: row.get("age")?,
        })
    }
    fn from_row_values(mut v: athanor::RowValues<'_>) -> Result<Self> {
        Ok(Person {
            name: v.take(0)?,
            age: v.take(1)?,
        })
    }
}

#[test]
fn typed_loads_from_the_connection() {
    on_all(|engine| {
        let users = users(engine, "res_typed")?;
        let mut conn = engine.connect()?;
        let by_name = select(&users).order_by(users.c("name"));
        let expected = [
            ("Alice".to_string(), Some(27.3)),
            ("Bob".to_string(), Some(45.1)),
            ("Carol".to_string(), None),
        ];
        // Twice: the second run reuses the column names the first one reported.
        for _ in 0..2 {
            let rows: Vec<(String, Option<f64>)> = conn.tuples(&by_name)?;
            assert_eq!(rows, expected);
        }
        let people: Vec<Person> = conn.tuples(&by_name)?;
        assert_eq!(
            people[2],
            Person {
                name: "Carol".into(),
                age: None
            }
        );
        // The same rows as the buffered path.
        let buffered: Vec<(String, Option<f64>)> = conn.execute(&by_name)?.tuples()?;
        assert_eq!(buffered, expected);
        // A conversion error names the column, on a run with remembered names too.
        for _ in 0..2 {
            let err = conn
                .tuples::<(String, f64), _>(&by_name)
                .expect_err("Carol's NULL age");
            assert!(
                matches!(&err, Error::Conversion(c) if c.column.as_deref() == Some("age")),
                "{err:?}"
            );
        }
        // Named parameters, scalars and scalar.
        let older = select(users.c("name"))
            .filter(users.c("age").gt(bindparam("min")))
            .order_by(users.c("name"));
        let names: Vec<(String,)> = conn.tuples_with(&older, &row! { "min" => 30.0 })?;
        assert_eq!(names, [("Bob".to_string(),)]);
        let names: Vec<String> =
            conn.scalars(&select(users.c("name")).order_by(users.c("name")))?;
        assert_eq!(names, ["Alice", "Bob", "Carol"]);
        let n: i64 = conn.scalar(&select(func::count(users.c("name"))))?;
        assert_eq!(n, 3);
        let none: Option<String> =
            conn.scalar(&select(users.c("name")).filter(users.c("name").eq("Zed")))?;
        assert_eq!(none, None);
        // The first of several rows; NoResultFound without one for a non-Option type.
        let first: String =
            conn.scalar(&select(users.c("name")).order_by(users.c("name").desc()))?;
        assert_eq!(first, "Carol");
        let err = conn
            .scalar::<String, _>(&select(users.c("name")).filter(users.c("name").eq("Zed")))
            .expect_err("no row");
        assert!(matches!(err, Error::NoResultFound), "{err:?}");
        let err = conn
            .scalar::<i64, _>(
                &users
                    .update()
                    .set("age", 1.0)
                    .filter(users.c("name").eq("Zed")),
            )
            .expect_err("UPDATE returns no rows");
        assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
        let empty: Vec<Person> = conn.tuples(&by_name.clone().filter(users.c("age").gt(100)))?;
        assert!(empty.is_empty());
        // A statement without rows is a clear error, and runs nothing.
        let err = conn
            .tuples::<(i64,), _>(&users.delete())
            .expect_err("DELETE returns no rows");
        assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
        let left: i64 = conn.scalar(&select(func::count(users.c("name"))))?;
        assert_eq!(left, 3);
        // Rows with RETURNING load the same way where the dialect has it.
        if engine
            .dialect()
            .supports_returning(athanor::compiler::StatementKind::Update)
        {
            let changed: Vec<(String,)> = conn.tuples(
                &users
                    .update()
                    .set("age", 50.0)
                    .filter(users.c("name").eq("Bob"))
                    .returning(users.c("name")),
            )?;
            assert_eq!(changed, [("Bob".to_string(),)]);
        }
        Ok(())
    });
}

#[test]
fn a_statement_built_once_runs_with_new_values() {
    on_all(|engine| {
        let users = users(engine, "res_reused")?;
        let mut conn = engine.connect()?;
        let older = select(users.c("name"))
            .filter(users.c("age").gt(bindparam("min")))
            .order_by(users.c("name"));
        let before = engine.cache_stats();
        for (min, expected) in [
            (0.0, vec!["Alice", "Bob"]),
            (30.0, vec!["Bob"]),
            (50.0, vec![]),
            (20.0, vec!["Alice", "Bob"]),
        ] {
            let names: Vec<String> = conn
                .tuples_with(&older, &row! { "min" => min })?
                .into_iter()
                .map(|(n,): (String,)| n)
                .collect();
            assert_eq!(names, expected, "min {min}");
        }
        let after = engine.cache_stats();
        assert_eq!(after.misses - before.misses, 1, "compiled once");
        assert_eq!(after.hits - before.hits, 3);
        // Changing the statement forgets its remembered key: a new shape, new SQL.
        let younger = older.clone().filter(users.c("age").lt(40.0));
        let rows: Vec<(String,)> = conn.tuples_with(&younger, &row! { "min" => 0.0 })?;
        assert_eq!(rows, [("Alice".to_string(),)]);
        assert_eq!(engine.cache_stats().misses - before.misses, 2);
        // A missing value is an error, not a NULL.
        let err = conn
            .tuples_with::<(String,), _>(&older, &row! { "max" => 1.0 })
            .expect_err("no value for :min");
        assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
        Ok(())
    })
}
