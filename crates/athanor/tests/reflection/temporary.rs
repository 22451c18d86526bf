//! Temporary tables: made with `prefixes(["TEMPORARY"])`, seen by their own connection only
//! and inspected through it (`Connection::into_inspector`); the `get_multi_*` scopes; a
//! temporary table hiding a permanent one of its name; table options.

use athanor::Result;
use athanor::prelude::*;
use athanor::reflect::{ObjectScope, ReflectOptions};
use athanor::sql::Ddl;

use super::{Db, Kind};

fn names<T>(m: &std::collections::BTreeMap<(Option<String>, String), T>) -> Vec<&str> {
    m.keys().map(|(_, t)| t.as_str()).collect()
}

pub(super) fn temporary_tables(db: &Db) -> Result<()> {
    let md = MetaData::new();
    let permanent = Table::build("shadow", &md)
        .column(Column::new("x", Type::Integer))
        .finish()?;
    md.create_all(&db.engine)?;
    let temp_md = MetaData::new();
    let scratch = Table::build("scratch", &temp_md)
        .column(Column::new("id", Type::Integer).primary_key())
        .column(Column::new("code", Type::String(Some(10))))
        .unique(UniqueConstraint::new(["code"]).name("scratch_code"))
        .prefixes(["TEMPORARY"])
        .finish()?;
    // A temporary table named as the permanent one.
    let shadow = Table::build("shadow", &temp_md)
        .column(Column::new("y", Type::Integer))
        .column(Column::new("z", Type::Integer))
        .prefixes(["TEMPORARY"])
        .finish()?;
    let mut conn = db.engine.connect()?;
    for t in [&scratch, &shadow] {
        conn.execute(&Ddl::CreateTable(t.clone()))?;
    }
    conn.execute(&scratch.insert().values(row! { "id" => 1, "code" => "a" }))?;
    let insp = conn.into_inspector();

    assert!(insp.has_table("scratch", None)?);
    assert!(!insp.has_table("no_such_table", None)?);
    assert!(!insp.get_table_names(None)?.contains(&"scratch".to_string()));
    let cols: Vec<String> = insp
        .get_columns("scratch", None)?
        .into_iter()
        .map(|c| c.name)
        .collect();
    assert_eq!(cols, ["id", "code"]);
    let uq = insp.get_unique_constraints("scratch", None)?;
    assert_eq!(uq[0].name.as_deref(), Some("scratch_code"));

    // The temporary table hides the permanent one where the database resolves names so
    // (SQLite, PostgreSQL); MySQL's catalog knows only the permanent one.
    let shadow_cols: Vec<String> = insp
        .get_columns("shadow", None)?
        .into_iter()
        .map(|c| c.name)
        .collect();
    if db.kind == Kind::Mysql {
        assert_eq!(shadow_cols, ["x"]);
    } else {
        assert_eq!(shadow_cols, ["y", "z"]);
    }

    let scoped = |scope| insp.get_multi_columns(&ReflectOptions::new().scope(scope));
    assert_eq!(names(&scoped(ObjectScope::Default)?), ["shadow"]);
    let (temp, any): (&[&str], &[&str]) = if db.kind == Kind::Mysql {
        // MySQL can't list temporary tables (SQLAlchemy's NotImplementedError there).
        assert!(matches!(
            insp.get_temp_table_names(),
            Err(Error::Compile(_))
        ));
        (&[], &["shadow"])
    } else {
        assert_eq!(insp.get_temp_table_names()?, ["scratch", "shadow"]);
        (&["scratch", "shadow"], &["scratch", "shadow"])
    };
    assert_eq!(names(&scoped(ObjectScope::Temporary)?), temp);
    // Any: both kinds; the permanent `shadow` and the temporary one share a key.
    assert_eq!(names(&scoped(ObjectScope::Any)?), any);

    // The data is there on the same connection, given back.
    let mut conn = insp.into_connection().expect("made from a connection");
    let n: i64 = conn.scalar(&text("SELECT count(*) FROM scratch"))?;
    assert_eq!(n, 1);
    drop(conn);
    drop(permanent);
    Ok(())
}

/// Table options: MySQL's engine, character set, collation and CREATE options; PostgreSQL's
/// storage parameters; unsupported on SQLite.
pub(super) fn table_options(db: &Db) -> Result<()> {
    let mut conn = db.engine.connect()?;
    match db.kind {
        Kind::Sqlite => {
            conn.exec_driver_sql("CREATE TABLE t (x INT)")?;
            let res = db.engine.inspect().get_table_options("t", None);
            assert!(matches!(res, Err(Error::Compile(_))), "{res:?}");
        }
        Kind::Postgres => {
            conn.exec_driver_sql("CREATE TABLE t (x INT) WITH (fillfactor=50)")?;
            conn.exec_driver_sql("CREATE TABLE plain (x INT)")?;
            let insp = db.engine.inspect();
            let o = insp.get_table_options("t", None)?;
            assert_eq!(
                o.get("postgresql_with").map(String::as_str),
                Some("fillfactor=50")
            );
            assert!(insp.get_table_options("plain", None)?.is_empty());
        }
        Kind::Mysql => {
            conn.exec_driver_sql(
                "CREATE TABLE t (x INT) ENGINE=MyISAM DEFAULT CHARSET=latin1 ROW_FORMAT=DYNAMIC COMMENT 'hi'",
            )?;
            let o = db.engine.inspect().get_table_options("t", None)?;
            let get = |k: &str| o.get(k).map(String::as_str);
            assert_eq!(get("mysql_engine"), Some("MyISAM"));
            assert_eq!(get("mysql_default charset"), Some("latin1"));
            assert_eq!(get("mysql_collate"), Some("latin1_swedish_ci"));
            assert_eq!(get("mysql_row_format"), Some("DYNAMIC"));
            assert_eq!(get("mysql_comment"), Some("hi"));
        }
    }
    Ok(())
}
