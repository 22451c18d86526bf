//! Names at and past what each database keeps: the longest a dialect holds works end to end
//! (`row.get(label)` finds it), one past it is `Error::Argument` before anything is sent.

use athanor::prelude::*;
use athanor::{Error, Result};

use super::support::{engines, on_all};

#[track_caller]
fn assert_argument<T: std::fmt::Debug>(r: Result<T>, says: &str) {
    match r {
        Err(Error::Argument(m)) => assert!(m.contains(says), "{m}"),
        other => panic!("expected Error::Argument saying {says:?}, got {other:?}"),
    }
}

#[test]
fn the_longest_label_every_database_keeps_is_found_by_name() {
    on_all(|engine| {
        let mut conn = engine.connect()?;
        let label = "l".repeat(63);
        let row = conn
            .execute(&select(literal(7).label(label.as_str())))?
            .one()?;
        assert_eq!(row.columns(), [label.as_str()]);
        assert_eq!(row.get::<i64, _>(label.as_str())?, 7);
        Ok(())
    });
}

#[test]
fn a_nul_in_a_name_is_refused_before_the_database_sees_it() {
    on_all(|engine| {
        let mut conn = engine.connect()?;
        let r = conn.execute(&select(literal(1).label("a\0b")));
        assert_argument(r, "contains a NUL character");
        // The connection is still fine.
        assert_eq!(conn.scalar::<i64, _>(&select(literal(2).label("b")))?, 2);
        Ok(())
    });
}

/// A one-column table named `name`, in its own `MetaData`.
fn long_table(name: &str) -> Result<(MetaData, Table)> {
    let md = MetaData::new();
    let t = Table::build(name, &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .finish()?;
    Ok((md, t))
}

#[test]
fn postgresql_names_past_63_bytes_are_refused_not_cut() {
    for (name, engine, _guard) in engines() {
        if name != "postgresql" {
            continue;
        }
        let long = "t".repeat(64);
        let (md, _t) = long_table(&long).unwrap();
        // The server would create "ttt…" (63 bytes), under which has_table never finds it.
        assert_argument(
            md.create_all(&engine),
            "longer than PostgreSQL's limit of 63 bytes",
        );
        assert_argument(
            engine.inspect().has_table(&long, None),
            "longer than PostgreSQL's limit of 63 bytes",
        );
        let cut = "t".repeat(63);
        assert!(
            !engine.inspect().has_table(&cut, None).unwrap(),
            "nothing was created"
        );
        let mut conn = engine.connect().unwrap();
        assert_argument(
            conn.execute(&select(literal(1).label("l".repeat(64)))),
            "64 bytes long",
        );
    }
}

#[test]
fn mysql_labels_keep_255_bytes_and_tables_64_characters() {
    for (name, engine, _guard) in engines() {
        if name != "mysql" {
            continue;
        }
        let mut conn = engine.connect().unwrap();
        let label = "é".repeat(127) + "x"; // 255 bytes
        let row = conn
            .execute(&select(literal(5).label(label.as_str())))
            .unwrap()
            .one()
            .unwrap();
        assert_eq!(row.get::<i64, _>(label.as_str()).unwrap(), 5);
        assert_argument(
            conn.execute(&select(literal(5).label("é".repeat(128)))),
            "256 bytes long, longer than MySQL's limit of 255 bytes",
        );
        drop(conn);
        let (md, t) = long_table(&"é".repeat(64)).unwrap();
        md.create_all(&engine).unwrap();
        assert!(t.exists(&engine).unwrap());
        md.drop_all(&engine).unwrap();
        let (md, _t) = long_table(&"é".repeat(65)).unwrap();
        assert_argument(
            md.create_all(&engine),
            "65 characters long, longer than MySQL's limit of 64 characters",
        );
    }
}
