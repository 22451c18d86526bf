//! Error kinds: integrity errors by constraint, programming errors carrying the SQL, unknown
//! columns, bad URLs.

use athanor::error::IntegrityKind;
use athanor::prelude::*;
use athanor::{Engine, Error, Result};

use super::support::{fresh, on_all};

/// `{prefix}_parent(id PK)` and `{prefix}_child` with every kind of constraint.
fn constrained(engine: &Engine, prefix: &str) -> Result<(Table, Table)> {
    let md = MetaData::new();
    let parent_name = format!("{prefix}_parent");
    let parent = Table::build(parent_name.as_str(), &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .finish()?;
    let child = Table::build(format!("{prefix}_child"), &md)
        .column(Column::new("a", Type::Integer))
        .column(Column::new("b", Type::Integer))
        .column(Column::new("email", Type::String(Some(50))).unique())
        .column(Column::new("name", Type::String(Some(50))).nullable(false))
        .column(
            Column::new("parent_id", Type::Integer)
                .foreign_key(ForeignKey::new(format!("{parent_name}.id"))),
        )
        .column(Column::new("qty", Type::Integer))
        .primary_key(PrimaryKeyConstraint::new(["a", "b"]))
        .unique(UniqueConstraint::new(["name", "qty"]).name(format!("uq_{prefix}_name_qty")))
        .check(CheckConstraint::new("qty >= 0").name(format!("ck_{prefix}_qty")))
        .finish()?;
    fresh(engine, &md)?;
    let mut conn = engine.connect()?;
    conn.execute(&parent.insert().values(row! { "id" => 1 }))?;
    conn.execute(&child.insert().values(
        row! { "a" => 1, "b" => 1, "email" => "x@y", "name" => "n", "parent_id" => 1, "qty" => 5 },
    ))?;
    Ok((parent, child))
}

#[track_caller]
fn integrity(
    r: Result<athanor::CursorResult>,
    kind: IntegrityKind,
) -> athanor::error::DatabaseError {
    match r {
        Err(Error::Integrity(d)) => {
            assert_eq!(d.integrity, Some(kind), "{d}");
            assert!(d.sql.is_some(), "the SQL is attached: {d}");
            assert!(d.code.is_some(), "the driver's code is attached: {d}");
            d
        }
        other => panic!("expected an IntegrityError ({kind:?}), got {other:?}"),
    }
}

#[test]
fn integrity_error_kinds() {
    on_all(|engine| {
        let (parent, child) = constrained(engine, "err_integrity")?;
        let mut conn = engine.connect()?;
        let ins = |v: Values| child.insert().values(v);
        // Composite primary key: (1, 1) again.
        let d = integrity(
            conn.execute(&ins(row! { "a" => 1, "b" => 1, "name" => "m", "qty" => 1 })),
            IntegrityKind::Unique,
        );
        assert!(
            d.sql
                .as_deref()
                .is_some_and(|s| s.starts_with("INSERT INTO err_integrity_child")),
            "{d}"
        );
        assert!(
            d.params.as_deref().is_some_and(|p| p.contains("'m'")),
            "{d}"
        );
        // (1, 2) is a different key.
        conn.execute(&ins(row! { "a" => 1, "b" => 2, "name" => "m", "qty" => 1 }))?;
        // Column-level UNIQUE.
        integrity(
            conn.execute(&ins(
                row! { "a" => 2, "b" => 1, "email" => "x@y", "name" => "o", "qty" => 1 },
            )),
            IntegrityKind::Unique,
        );
        // Table-level UniqueConstraint over (name, qty).
        integrity(
            conn.execute(&ins(row! { "a" => 2, "b" => 2, "name" => "n", "qty" => 5 })),
            IntegrityKind::Unique,
        );
        // Foreign key (PRAGMA foreign_keys is ON on SQLite).
        integrity(
            conn.execute(&ins(
                row! { "a" => 3, "b" => 1, "name" => "p", "parent_id" => 99 },
            )),
            IntegrityKind::ForeignKey,
        );
        integrity(
            conn.execute(&parent.delete().filter(parent.c("id").eq(1))),
            IntegrityKind::ForeignKey,
        );
        // NOT NULL.
        integrity(
            conn.execute(&ins(row! { "a" => 4, "b" => 1, "name" => None::<String> })),
            IntegrityKind::NotNull,
        );
        integrity(
            conn.execute(&ins(row! { "a" => 4, "b" => None::<i64>, "name" => "q" })),
            IntegrityKind::NotNull,
        );
        // CHECK.
        integrity(
            conn.execute(&ins(
                row! { "a" => 5, "b" => 1, "name" => "r", "qty" => -1 },
            )),
            IntegrityKind::Check,
        );
        integrity(
            conn.execute(&child.update().set("qty", -5).filter(child.c("a").eq(1))),
            IntegrityKind::Check,
        );
        // Nothing of the failed statements was written.
        let n: i64 = conn
            .execute(&select(func::count_star()).select_from(&child))?
            .scalar()?;
        assert_eq!(n, 2);
        Ok(())
    });
}

#[test]
fn bad_sql_is_a_programming_error_carrying_the_sql() {
    on_all(|engine| {
        let mut conn = engine.connect()?;
        let err = conn
            .execute(&text("SELEC 1 FROM nowhere WHERE x = :x").bind("x", 5))
            .expect_err("syntax error");
        match &err {
            Error::Programming(d) => {
                let placeholder = if engine.dialect().name() == "postgresql" {
                    "$1"
                } else {
                    "?"
                };
                assert_eq!(
                    d.sql.as_deref(),
                    Some(format!("SELEC 1 FROM nowhere WHERE x = {placeholder}").as_str())
                );
                assert_eq!(d.params.as_deref(), Some("(5)"));
                assert!(d.code.is_some(), "{d}");
            }
            other => panic!("expected Programming, got {other:?}"),
        }
        let shown = err.to_string();
        assert!(shown.starts_with("(ProgrammingError)"), "{shown}");
        assert!(
            shown.contains("[SQL: SELEC 1 FROM nowhere WHERE x = "),
            "{shown}"
        );
        assert!(shown.contains("[parameters: (5)]"), "{shown}");
        // A table the database doesn't have, built with the expression language.
        let md = MetaData::new();
        let ghost = Table::build("err_ghost", &md)
            .column(Column::new("id", Type::Integer))
            .finish()?;
        let err = conn
            .execute(&select(&ghost).filter(ghost.c("id").eq(1)))
            .expect_err("no such table");
        match &err {
            Error::Programming(d) => {
                let placeholder = if engine.dialect().name() == "postgresql" {
                    "$1"
                } else {
                    "?"
                };
                assert_eq!(
                    d.sql.as_deref(),
                    Some(
                        format!(
                            "SELECT err_ghost.id FROM err_ghost WHERE err_ghost.id = {placeholder}"
                        )
                        .as_str()
                    )
                );
                assert!(d.message.contains("err_ghost"), "{d}");
            }
            other => panic!("expected Programming, got {other:?}"),
        }
        // DDL errors carry their statement too.
        let err = conn.exec_driver_sql("CREATE TABLE (").expect_err("bad DDL");
        assert_eq!(
            err.database_error().and_then(|d| d.sql.as_deref()),
            Some("CREATE TABLE (")
        );
        // The connection is still good.
        let one: i64 = conn.execute(&text("SELECT 1"))?.scalar()?;
        assert_eq!(one, 1);
        Ok(())
    });
}

/// One `execute` runs one statement; a text holding two is refused (scripts go through
/// `exec_driver_sql`), on every database, and nothing of it runs.
#[test]
fn one_statement_per_execute() {
    on_all(|engine| {
        let mut conn = engine.connect()?;
        conn.exec_driver_sql("DROP TABLE IF EXISTS err_two")?;
        conn.exec_driver_sql("CREATE TABLE err_two (x INTEGER)")?;
        let err = conn
            .execute(&text(
                "INSERT INTO err_two VALUES (1); INSERT INTO err_two VALUES (2)",
            ))
            .expect_err("two statements");
        assert!(matches!(err, Error::Programming(_)), "{err:?}");
        let n: i64 = conn
            .execute(&text("SELECT count(*) FROM err_two"))?
            .scalar()?;
        assert_eq!(n, 0);
        // A trailing semicolon or comment is not a second statement.
        let one: i64 = conn.execute(&text("SELECT 1; -- done"))?.scalar()?;
        assert_eq!(one, 1);
        // A script runs whole.
        conn.exec_driver_sql("INSERT INTO err_two VALUES (1); INSERT INTO err_two VALUES (2)")?;
        let n: i64 = conn
            .execute(&text("SELECT count(*) FROM err_two"))?
            .scalar()?;
        assert_eq!(n, 2);
        conn.exec_driver_sql("DROP TABLE err_two")?;
        Ok(())
    });
}

#[test]
fn unknown_columns() -> Result<()> {
    let md = MetaData::new();
    let t = Table::build("err_cols", &md)
        .column(Column::new("id", Type::Integer))
        .finish()?;
    assert!(t.try_c("id").is_ok());
    let err = t.try_c("nope").expect_err("no such column");
    assert!(
        matches!(&err, Error::NoSuchColumn(c) if c.table == "err_cols" && c.column == "nope"),
        "{err:?}"
    );
    assert_eq!(err.to_string(), "no such column: nope in err_cols");
    let alias = t.alias("a");
    assert!(matches!(
        alias.try_c("nope"),
        Err(Error::NoSuchColumn { .. })
    ));
    let sub = select(t.c("id").label("x")).subquery("s");
    assert!(sub.try_c("x").is_ok());
    assert!(matches!(sub.try_c("id"), Err(Error::NoSuchColumn { .. })));
    let err = md.try_table("err_missing").expect_err("no such table");
    assert!(
        matches!(&err, Error::NoSuchTable { name } if name == "err_missing"),
        "{err:?}"
    );
    // table.c() panics with a message naming table and column.
    let panic = std::panic::catch_unwind(|| t.c("nope")).expect_err("c() panics");
    let msg = panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default();
    assert!(msg.contains("nope") && msg.contains("err_cols"), "{msg}");
    Ok(())
}

#[test]
fn bad_schema_definitions_are_argument_errors() {
    let md = MetaData::new();
    // A table with no columns is not one of them: SQLAlchemy allows it (PostgreSQL creates
    // such tables, and reflection loads them).
    let r = Table::build("err_empty", &md).finish();
    assert!(r.is_ok_and(|t| t.columns().is_empty()));
    let r = Table::build("err_dup", &md)
        .column(Column::new("x", Type::Integer))
        .column(Column::new("x", Type::Text))
        .finish();
    assert!(
        matches!(&r, Err(Error::Argument(m)) if m.contains('x')),
        "{r:?}"
    );
    let r = Table::build("err_badpk", &md)
        .column(Column::new("x", Type::Integer))
        .primary_key(PrimaryKeyConstraint::new(["y"]))
        .finish();
    assert!(
        matches!(&r, Err(Error::Argument(m)) if m.contains('y')),
        "{r:?}"
    );
    Table::build("err_taken", &md)
        .column(Column::new("x", Type::Integer))
        .finish()
        .expect("first definition");
    let r = Table::build("err_taken", &md)
        .column(Column::new("x", Type::Integer))
        .finish();
    assert!(matches!(r, Err(Error::Argument(_))), "{r:?}");
}

#[test]
fn bad_urls_and_dialects_are_argument_errors() {
    for bad in [
        "not a url",
        "sqlite",
        "mssql://sa@host/db",
        "sqlite+nodriver://",
    ] {
        let r = create_engine(bad);
        assert!(matches!(r, Err(Error::Argument(_))), "{bad}: {r:?}");
    }
}

#[test]
fn compile_errors_are_not_database_errors() {
    on_all(|engine| {
        let md = MetaData::new();
        let t = Table::build("err_compile", &md)
            .column(Column::new("x", Type::Integer))
            .finish()?;
        fresh(engine, &md)?;
        let mut conn = engine.connect()?;
        // An INSERT whose rows give different columns can't be compiled.
        let err = conn
            .execute(&t.insert().values_many([row! { "x" => 1 }, Values::new()]))
            .expect_err("rows differ");
        assert!(matches!(err, Error::Compile(_)), "{err:?}");
        // Nothing ran.
        let n: i64 = conn
            .execute(&select(func::count_star()).select_from(&t))?
            .scalar()?;
        assert_eq!(n, 0);
        Ok(())
    });
}

/// The error and its sources, outermost first (what `anyhow`'s `{:#}` prints).
fn chain(e: &Error) -> Vec<String> {
    std::iter::successors(Some(e as &(dyn std::error::Error + 'static)), |e| {
        e.source()
    })
    .map(|e| e.to_string())
    .collect()
}

#[test]
fn database_errors_keep_the_driver_error_as_their_source() {
    on_all(|engine| {
        let mut conn = engine.connect()?;
        let err = conn.execute(&text("SELEC 1")).expect_err("a syntax error");
        assert!(matches!(err, Error::Programming(_)), "{err:?}");
        let source = std::error::Error::source(&err).expect("the driver's error");
        let all = chain(&err);
        assert!(all.len() >= 2, "{all:?}");
        match engine.dialect().name() {
            #[cfg(feature = "sqlite")]
            "sqlite" => {
                let e = source
                    .downcast_ref::<rusqlite::Error>()
                    .expect("a rusqlite::Error");
                assert_eq!(e.sqlite_error_code(), Some(rusqlite::ErrorCode::Unknown));
                assert!(e.to_string().contains("syntax error"), "{e}");
            }
            #[cfg(feature = "postgres")]
            "postgresql" => {
                let e = source
                    .downcast_ref::<postgres::Error>()
                    .expect("a postgres::Error");
                assert_eq!(
                    e.as_db_error().map(|d| d.code()),
                    Some(&postgres::error::SqlState::SYNTAX_ERROR)
                );
                // postgres::Error's own source, the server's error, is in the chain too.
                assert_eq!(all.len(), 3, "{all:?}");
                assert!(all[2].contains("syntax error"), "{all:?}");
            }
            #[cfg(feature = "mysql")]
            "mysql" => {
                let e = source
                    .downcast_ref::<mysql::Error>()
                    .expect("a mysql::Error");
                assert!(
                    matches!(e, mysql::Error::MySqlError(se) if se.code == 1064),
                    "{e}"
                );
            }
            other => panic!("unexpected dialect {other}"),
        }
        Ok(())
    });
}

#[test]
fn integrity_errors_name_their_constraint_and_codes() {
    on_all(|engine| {
        let (parent, child) = constrained(engine, "err_names")?;
        let mut conn = engine.connect()?;
        let dialect = engine.dialect().name();
        let ins = |v: Values| child.insert().values(v);
        // The table-level UniqueConstraint: PostgreSQL and MySQL name it; SQLite names columns.
        let d = integrity(
            conn.execute(&ins(row! { "a" => 2, "b" => 2, "name" => "n", "qty" => 5 })),
            IntegrityKind::Unique,
        );
        let named = (dialect != "sqlite").then_some("uq_err_names_name_qty");
        assert_eq!(d.constraint(), named, "{d}");
        // The named CHECK: every database names it.
        let d = integrity(
            conn.execute(&ins(
                row! { "a" => 5, "b" => 1, "name" => "r", "qty" => -1 },
            )),
            IntegrityKind::Check,
        );
        assert_eq!(d.constraint(), Some("ck_err_names_qty"), "{d}");
        // The foreign key, named by the database when it has a name (not on SQLite).
        let d = integrity(
            conn.execute(&parent.delete().filter(parent.c("id").eq(1))),
            IntegrityKind::ForeignKey,
        );
        assert_eq!(d.constraint().is_some(), dialect != "sqlite", "{d}");
        // The codes, without parsing the message.
        match dialect {
            "postgresql" => {
                assert_eq!((d.sqlstate(), d.errno()), (Some("23503"), None), "{d}");
                assert_eq!(d.table.as_deref(), Some("err_names_child"), "{d}");
                assert!(d.schema.is_some(), "{d}");
            }
            "mysql" => assert_eq!(
                (d.sqlstate(), d.errno()),
                (Some("23000"), Some(1451)),
                "{d}"
            ),
            _ => assert_eq!((d.sqlstate(), d.errno()), (None, Some(787)), "{d}"),
        }
        // NOT NULL: PostgreSQL and MySQL say which column.
        let d = integrity(
            conn.execute(&ins(row! { "a" => 4, "b" => 1, "name" => None::<String> })),
            IntegrityKind::NotNull,
        );
        let column = (dialect != "sqlite").then_some("name");
        assert_eq!(d.column.as_deref(), column, "{d}");
        Ok(())
    });
}
