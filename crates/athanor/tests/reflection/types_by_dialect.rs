//! Each database's own type names reflect through that dialect's map: exact generic types for
//! the names it knows, [`Type::Other`] with the declared text for the rest (never a wrong known
//! type), and a table built from the reflected types creates the same columns again.

use super::{Db, Kind};
use athanor::Result;
use athanor::prelude::*;

fn arr(t: Type) -> Type {
    Type::Array(Box::new(t))
}
fn other(sql: &str) -> Type {
    Type::Other(sql.to_string())
}
fn enum_(variants: &[&str]) -> Type {
    Type::Enum {
        name: None,
        variants: variants.iter().map(|v| v.to_string()).collect(),
    }
}

/// The setup statements, and (column, declared text, generic type) for each column.
fn fixture(kind: Kind) -> (Vec<&'static str>, Vec<(&'static str, &'static str, Type)>) {
    match kind {
        Kind::Sqlite => (
            vec![
                "CREATE TABLE typed (a POINT, b NVARCHAR(160), c VARYING CHARACTER(255), \
                 d BLOB, e, f DOUBLE PRECISION, g NUMERIC(10, 2), h INET)",
            ],
            vec![
                ("a", "POINT", Type::Integer),
                ("b", "NVARCHAR(160)", Type::Unicode(Some(160))),
                ("c", "VARYING CHARACTER(255)", Type::Text),
                ("d", "BLOB", Type::LargeBinary),
                ("e", "", Type::LargeBinary),
                ("f", "DOUBLE PRECISION", Type::Double),
                ("g", "NUMERIC(10, 2)", Type::Numeric(Some(10), Some(2))),
                ("h", "INET", Type::Numeric(None, None)),
            ],
        ),
        Kind::Postgres => (
            vec![
                "CREATE TYPE mood AS ENUM ('sad', 'ok')",
                "CREATE TABLE typed (a int4, b varchar(160), c timestamp, d timestamptz, \
                 e float8, f int[], g text[], h inet, i cidr, j point, k tsvector, l mood, \
                 m jsonb, n uuid, o numeric(10,2), p bytea, q interval, r bit(3), s money, \
                 t \"char\", u smallint, v time(3), w bool, x _int8)",
            ],
            vec![
                ("a", "integer", Type::Integer),
                ("b", "character varying(160)", Type::String(Some(160))),
                ("c", "timestamp without time zone", Type::DateTime),
                ("d", "timestamp with time zone", Type::DateTimeTz),
                ("e", "double precision", Type::Double),
                ("f", "integer[]", arr(Type::Integer)),
                ("g", "text[]", arr(Type::Text)),
                ("h", "inet", other("inet")),
                ("i", "cidr", other("cidr")),
                ("j", "point", other("point")),
                ("k", "tsvector", other("tsvector")),
                ("l", "mood", other("mood")),
                ("m", "jsonb", Type::Json),
                ("n", "uuid", Type::Uuid),
                ("o", "numeric(10,2)", Type::Numeric(Some(10), Some(2))),
                ("p", "bytea", Type::LargeBinary),
                ("q", "interval", Type::Interval),
                ("r", "bit(3)", other("bit(3)")),
                ("s", "money", other("money")),
                ("t", "\"char\"", Type::String(Some(1))),
                ("u", "smallint", Type::SmallInteger),
                ("v", "time(3) without time zone", Type::Time),
                ("w", "boolean", Type::Boolean),
                ("x", "bigint[]", arr(Type::BigInteger)),
            ],
        ),
        Kind::Mysql => (
            vec![
                "CREATE TABLE typed (a tinyint(1), b int unsigned, c enum('it''s','a\\\\b','x,y'), \
                 d set('x','y'), e point, f float, g double, h decimal(10,2), i bit(1), j year, \
                 k datetime(6), l varchar(10), m bigint unsigned, n smallint, o longblob, \
                 p time(6), q int, r bool, s json, t longtext)",
            ],
            vec![
                ("a", "tinyint(1)", Type::Boolean),
                ("b", "int(10) unsigned", Type::BigInteger),
                (
                    "c",
                    "enum('it''s','a\\\\b','x,y')",
                    enum_(&["it's", "a\\b", "x,y"]),
                ),
                ("d", "set('x','y')", other("set('x','y')")),
                ("e", "point", other("point")),
                ("f", "float", Type::Float),
                ("g", "double", Type::Double),
                ("h", "decimal(10,2)", Type::Numeric(Some(10), Some(2))),
                ("i", "bit(1)", other("bit(1)")),
                ("j", "year(4)", Type::SmallInteger),
                ("k", "datetime(6)", Type::DateTime),
                ("l", "varchar(10)", Type::String(Some(10))),
                ("m", "bigint(20) unsigned", Type::BigInteger),
                ("n", "smallint(6)", Type::SmallInteger),
                ("o", "longblob", Type::LargeBinary),
                ("p", "time(6)", Type::Time),
                ("q", "int(11)", Type::Integer),
                ("r", "tinyint(1)", Type::Boolean),
                // MariaDB's JSON is LONGTEXT with a CHECK (json_valid(col)) of the column's
                // name; MySQL's is JSON.
                ("s", "json", Type::Json),
                ("t", "longtext", Type::Text),
            ],
        ),
    }
}

fn described(t: &Table) -> Vec<(String, String, Type)> {
    t.columns()
        .iter()
        .map(|c| {
            (
                c.name().to_string(),
                c.ty.to_string(),
                c.ty.generic().clone(),
            )
        })
        .collect()
}

pub(crate) fn declared_types(db: &Db) -> Result<()> {
    let (setup, want) = fixture(db.kind);
    let mut conn = db.engine.connect()?;
    for sql in setup {
        conn.exec_driver_sql(sql)?;
    }
    drop(conn);
    let want: Vec<(String, String, Type)> = want
        .into_iter()
        .map(|(n, t, g)| (n.to_string(), t.to_string(), g))
        .collect();
    let md = MetaData::new();
    let typed = Table::autoload("typed", &md, &db.engine)?;
    assert_eq!(described(&typed), want);

    // The reflected types write the same DDL back: a copy reflects identically.
    let copy_md = MetaData::new();
    let mut b = Table::build("typed_copy", &copy_md);
    for c in typed.columns() {
        b = b.column(Column::new(c.name().to_string(), c.ty.clone()));
    }
    b.finish()?;
    copy_md.create_all(&db.engine)?;
    let copy = Table::autoload("typed_copy", &MetaData::new(), &db.engine)?;
    assert_eq!(described(&copy), want);
    Ok(())
}
