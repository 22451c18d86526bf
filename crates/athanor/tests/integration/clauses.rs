//! SQLAlchemy spellings on a real database: INTERSECT ALL / EXCEPT ALL, `length` and
//! `char_length`, zero-argument `exists()`, a free `distinct(x)`, tuple IN over Rust tuples.

use athanor::error::CompileError;
use athanor::prelude::*;
use athanor::{Engine, Error, Result};

use super::support::{fresh, on_all, scalars};

/// `{prefix}_bag (v)` holding 1, 1, 1, 2, 3, and `{prefix}_other (v)` holding 1, 3, 3.
fn bags(engine: &Engine, prefix: &str) -> Result<(Table, Table)> {
    let md = MetaData::new();
    let bag = Table::build(format!("{prefix}_bag").as_str(), &md)
        .column(Column::new("v", Type::Integer))
        .finish()?;
    let other = Table::build(format!("{prefix}_other").as_str(), &md)
        .column(Column::new("v", Type::Integer))
        .finish()?;
    fresh(engine, &md)?;
    let mut conn = engine.connect()?;
    for v in [1, 1, 1, 2, 3] {
        conn.execute(&bag.insert().values(row! { "v" => v }))?;
    }
    for v in [1, 3, 3] {
        conn.execute(&other.insert().values(row! { "v" => v }))?;
    }
    Ok((bag, other))
}

#[test]
fn intersect_all_and_except_all_keep_duplicates() {
    on_all(|engine| {
        let (bag, other) = bags(engine, "cl_setall")?;
        let a = || select(bag.c("v"));
        let b = || select(other.c("v"));
        let run = |c: athanor::sql::CompoundSelect| scalars::<i64>(engine, &c.order_by("v"));
        if engine.dialect().name() == "sqlite" {
            // SQLite has no ALL forms: refused before anything is sent.
            match run(a().intersect_all(b())) {
                Err(Error::Compile(CompileError::Unsupported { dialect, .. })) => {
                    assert_eq!(dialect, "sqlite")
                }
                other => panic!("expected Unsupported, got {other:?}"),
            }
            return Ok(());
        }
        assert_eq!(run(a().intersect_all(b()))?, [1, 3]);
        assert_eq!(run(a().except_all(b()))?, [1, 1, 2]);
        assert_eq!(run(intersect_all([a(), b()]))?, [1, 3]);
        assert_eq!(run(except_all([b(), a()]))?, [3]);
        // Without ALL, duplicates go.
        assert_eq!(run(a().except(b()))?, [2]);
        Ok(())
    });
}

#[test]
fn length_is_rendered_as_named_and_char_length_counts_characters() {
    on_all(|engine| {
        let md = MetaData::new();
        let t = Table::build("cl_len", &md)
            .column(Column::new("s", Type::String(Some(20))))
            .finish()?;
        fresh(engine, &md)?;
        engine
            .connect()?
            .execute(&t.insert().values(row! { "s" => "Ünï" }))?;
        let chars = select(func::char_length(t.c("s")));
        assert_eq!(scalars::<i64>(engine, &chars)?, [3]);
        // `length` is the database's own: bytes on MySQL, characters elsewhere.
        let bytes = if engine.dialect().name() == "mysql" { 5 } else { 3 };
        let length = select(func::length(t.c("s")));
        assert_eq!(scalars::<i64>(engine, &length)?, [bytes]);
        Ok(())
    });
}
