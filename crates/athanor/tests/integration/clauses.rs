//! SQLAlchemy spellings on a real database: INTERSECT ALL / EXCEPT ALL, `length` and
//! `char_length`, zero-argument `exists()`, a free `distinct(x)`, tuple IN over Rust tuples.

use athanor::error::CompileError;
use athanor::prelude::*;
use athanor::{Engine, Error, Result};

use super::support::{fresh, on_all, org, rows, scalars};

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
                Err(Error::Compile(e)) => assert!(
                    matches!(
                        *e,
                        CompileError::Unsupported {
                            dialect: "sqlite",
                            ..
                        }
                    ),
                    "{e:?}"
                ),
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
        let bytes = if engine.dialect().name() == "mysql" {
            5
        } else {
            3
        };
        let length = select(func::length(t.c("s")));
        assert_eq!(scalars::<i64>(engine, &length)?, [bytes]);
        Ok(())
    });
}

#[test]
fn zero_argument_exists() {
    on_all(|engine| {
        let o = org(engine, "cl_exists")?;
        let (e, d) = (&o.emp, &o.dept);
        let staffed = exists().filter(e.c("dept_id").eq(d.c("id")));
        let stmt = select(d.c("name"))
            .filter(staffed.clone())
            .order_by(d.c("id"));
        assert_eq!(scalars::<String>(engine, &stmt)?, ["Engineering", "Sales"]);
        let stmt = select(d.c("name")).filter(!staffed.clone() | d.c("id").eq(1));
        assert_eq!(
            scalars::<String>(engine, &stmt.order_by("id"))?,
            ["Engineering", "Empty"]
        );
        let any = select(exists().select_from(e).label("b"));
        assert_eq!(scalars::<bool>(engine, &any)?, [true]);
        Ok(())
    });
}

#[test]
fn free_distinct_inside_aggregates() {
    on_all(|engine| {
        let o = org(engine, "cl_distinct")?;
        let e = &o.emp;
        // manager_id: NULL, 1, 1, 3, 3 — two distinct managers.
        let stmt = select((
            func::count(distinct(e.c("manager_id"))),
            func::count(e.c("manager_id")),
            func::sum(distinct(e.c("manager_id"))),
        ));
        let got = rows::<(i64, i64, i64)>(engine, &stmt)?;
        assert_eq!(got, [(2, 4, 4)]);
        Ok(())
    });
}

#[test]
fn tuple_in_over_rust_tuples() {
    on_all(|engine| {
        let o = org(engine, "cl_tuple_in")?;
        let e = &o.emp;
        let ids =
            |cond: Expr| scalars::<i64>(engine, &select(e.c("id")).filter(cond).order_by("id"));
        let pair = || tuple_([e.c("dept_id"), e.c("name")]);
        assert_eq!(
            ids(pair().in_([(1, "Bob"), (2, "Dave"), (2, "Bob")]))?,
            [2, 4]
        );
        // (NULL, 'eve') differs from both in its name: the row comparison is false, not NULL.
        assert_eq!(ids(pair().not_in([(1, "Bob"), (2, "Dave")]))?, [1, 3, 5]);
        // The same statement shape with another list length.
        assert_eq!(ids(pair().in_([(1, "Alice")]))?, [1]);
        // Empty lists: IN is never true, NOT IN always.
        let none: Vec<(i64, &str)> = Vec::new();
        assert_eq!(ids(pair().in_(none.clone()))?, Vec::<i64>::new());
        assert_eq!(ids(pair().not_in(none))?, [1, 2, 3, 4, 5]);
        assert_eq!(ids(pair().in_exprs(Vec::<Expr>::new()))?, Vec::<i64>::new());
        Ok(())
    });
}
