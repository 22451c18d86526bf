//! The harness: the engines every test body runs on, and shared fixtures.

use athanor::prelude::*;
use athanor::{Engine, Error, FromValue, Result};

pub(crate) use super::super::servers::{self, ServerDb};

/// The engines under test, each with a name for failure messages: a fresh in-memory SQLite
/// database, and a private PostgreSQL schema / MySQL database (dropped with the returned
/// guard) when `ATHANOR_TEST_POSTGRES` / `ATHANOR_TEST_MYSQL` are set.
pub(crate) fn engines() -> Vec<(&'static str, Engine, Option<ServerDb>)> {
    // A short pool timeout: a test that holds every connection by mistake fails in seconds
    // instead of hanging.
    let opts = EngineOptions::new().pool_timeout_secs(5.0);
    let sqlite = create_engine_with("sqlite:///:memory:", opts)
        .unwrap_or_else(|e| panic!("in-memory SQLite engine: {e}"));
    let mut out = vec![("sqlite", sqlite, None)];
    let test = std::thread::current().name().unwrap_or("test").to_string();
    let test = test.rsplit("::").next().unwrap_or("test").to_string();
    if let Some(db) = servers::postgres(&test) {
        out.push(("postgresql", db.engine.clone(), Some(db)));
    }
    if let Some(db) = servers::mysql(&test) {
        out.push(("mysql", db.engine.clone(), Some(db)));
    }
    out
}

/// Runs one test body on every engine; a failure names the engine.
#[track_caller]
pub(crate) fn on_all(body: fn(&Engine) -> Result<()>) {
    for (name, engine, _guard) in engines() {
        eprintln!("-- on {name}");
        if let Err(e) = body(&engine) {
            panic!("[{name}] test body failed: {e}");
        }
    }
}

/// Drops (if present) and creates the metadata's tables, so a body starts from empty tables
/// even on a server database left over from an earlier run.
pub(crate) fn fresh(engine: &Engine, metadata: &MetaData) -> Result<()> {
    metadata.drop_all(engine)?;
    metadata.create_all(engine)
}

/// The departments and employees most SELECT tests query, in tables named `{prefix}_dept`
/// and `{prefix}_emp` (unique per test, so bodies can share a server database).
pub(crate) struct Org {
    pub(crate) dept: Table,
    pub(crate) emp: Table,
}

/// Builds and fills [`Org`]:
///
/// | dept.id | dept.name |
/// |---|---|
/// | 1 | Engineering |
/// | 2 | Sales |
/// | 3 | Empty |
///
/// | emp.id | name | dept_id | salary | manager_id | hired |
/// |---|---|---|---|---|---|
/// | 1 | Alice | 1 | 100 | NULL | 2020-01-15 |
/// | 2 | Bob | 1 | 80 | 1 | 2021-03-01 |
/// | 3 | Carol | 2 | 70 | 1 | 2019-07-30 |
/// | 4 | Dave | 2 | NULL | 3 | 2022-11-05 |
/// | 5 | eve | NULL | 50 | 3 | 2023-02-10 |
pub(crate) fn org(engine: &Engine, prefix: &str) -> Result<Org> {
    let md = MetaData::new();
    let dept_name = format!("{prefix}_dept");
    let emp_name = format!("{prefix}_emp");
    let dept = Table::build(dept_name.as_str(), &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .column(Column::new("name", Type::String(Some(50))).nullable(false))
        .finish()?;
    let emp = Table::build(emp_name.as_str(), &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .column(Column::new("name", Type::String(Some(50))).nullable(false))
        .column(
            Column::new("dept_id", Type::Integer)
                .foreign_key(ForeignKey::new(format!("{dept_name}.id"))),
        )
        .column(Column::new("salary", Type::Integer))
        .column(Column::new("manager_id", Type::Integer))
        .column(Column::new("hired", Type::String(Some(10))))
        .finish()?;
    fresh(engine, &md)?;
    let mut conn = engine.connect()?;
    conn.execute(&dept.insert().values_many([
        row! { "id" => 1, "name" => "Engineering" },
        row! { "id" => 2, "name" => "Sales" },
        row! { "id" => 3, "name" => "Empty" },
    ]))?;
    let none = None::<i64>;
    conn.execute_many(
        &emp.insert(),
        [
            row! { "id" => 1, "name" => "Alice", "dept_id" => 1, "salary" => 100, "manager_id" => none, "hired" => "2020-01-15" },
            row! { "id" => 2, "name" => "Bob", "dept_id" => 1, "salary" => 80, "manager_id" => 1, "hired" => "2021-03-01" },
            row! { "id" => 3, "name" => "Carol", "dept_id" => 2, "salary" => 70, "manager_id" => 1, "hired" => "2019-07-30" },
            row! { "id" => 4, "name" => "Dave", "dept_id" => 2, "salary" => none, "manager_id" => 3, "hired" => "2022-11-05" },
            row! { "id" => 5, "name" => "eve", "dept_id" => none, "salary" => 50, "manager_id" => 3, "hired" => "2023-02-10" },
        ],
    )?;
    Ok(Org { dept, emp })
}

/// `emp.hired` (dates kept as `YYYY-MM-DD` text) as a date: SQLite's date functions read the
/// text itself, the servers need a `CAST(... AS DATE)` first.
pub(crate) fn hired_date(engine: &Engine, emp: &Table) -> Expr {
    if engine.dialect().name() == "sqlite" {
        emp.c("hired")
    } else {
        cast(emp.c("hired"), Type::Date)
    }
}

/// Runs a SELECT (or anything returning rows) and reads every row as a tuple.
pub(crate) fn rows<T: FromRow>(engine: &Engine, stmt: &impl Executable) -> Result<Vec<T>> {
    engine.connect()?.execute(stmt)?.tuples()
}

/// Runs a statement and reads the first column of every row.
pub(crate) fn scalars<T: FromValue>(engine: &Engine, stmt: &impl Executable) -> Result<Vec<T>> {
    engine.connect()?.execute(stmt)?.scalars()
}

/// `String::from` for short expected rows.
pub(crate) fn s(x: &str) -> String {
    x.to_string()
}

/// Inserts `v` into a fresh `{name}(id, v <ty>)` and reads it back as `T`; on a refused
/// INSERT, checks that nothing was written and returns the error.
pub(crate) fn store<T: FromValue>(engine: &Engine, name: &str, ty: Type, v: Value) -> Result<T> {
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
pub(crate) fn assert_data_error<T: std::fmt::Debug>(r: Result<T>, says: &str) {
    match r {
        Err(Error::Data(d)) => assert!(d.message.contains(says), "{}", d.message),
        other => panic!("expected Error::Data saying {says:?}, got {other:?}"),
    }
}

/// A SQLite file in the temp directory, removed when dropped.
pub(crate) struct TempFile(pub(crate) std::path::PathBuf);

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Runs `body(dialect, single, observer)` on every database: `single` has a pool of one
/// connection, `observer` is another engine on the same database.
#[track_caller]
pub(crate) fn on_all_single(test: &str, body: fn(&str, &Engine, &Engine) -> Result<()>) {
    let one = || {
        EngineOptions::new()
            .pool_size(1)
            .max_overflow(0)
            .pool_timeout_secs(5.0)
    };
    for (name, engine, _guard) in engines() {
        eprintln!("-- on {name}");
        let mut _file = None;
        let (single, observer) = if name == "sqlite" {
            let path = std::env::temp_dir()
                .join(format!("athanor-single-{}-{test}.db", std::process::id()));
            let _ = std::fs::remove_file(&path);
            let url = format!("sqlite:///{}", path.display());
            _file = Some(TempFile(path));
            let single = create_engine_with(&url, one()).unwrap_or_else(|e| panic!("{e}"));
            let observer = create_engine(&url).unwrap_or_else(|e| panic!("{e}"));
            (single, observer)
        } else {
            let url = engine.url().render(false);
            let single = create_engine_with(&url, one()).unwrap_or_else(|e| panic!("{e}"));
            (single, engine)
        };
        if let Err(e) = body(name, &single, &observer) {
            panic!("[{name}] test body failed: {e}");
        }
    }
}
