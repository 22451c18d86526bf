//! The reflection set of SQLAlchemy's `test_reflection.py` (`ComponentReflectionTest`):
//! users / dingalings / email_addresses / comment_test / no_constraints, their indexes and
//! views, in the default schema and in a second schema (the suite's `test_schema`), plus the
//! cross-schema tables where the database reflects cross-schema foreign keys.
//!
//! The second schema is private to the test: an attached in-memory database named
//! `test_schema` on SQLite, `<private schema>_ts` on PostgreSQL and `<private database>_ts` on
//! MariaDB (dropped with the private one, see `shared/servers.rs`).
//!
//! Not in the fixture: the temporary table and temporary view, which live on one connection;
//! the tests of them make their own (`test_reflection_temp.rs`).

use athanor::prelude::*;
use athanor::{Engine, Result};

/// What a test needs to know about the fixture it got.
pub(crate) struct Reflection {
    /// The second schema's name (the suite's `config.test_schema`).
    pub(crate) test_schema: String,
    /// The default schema's name (`main`, the private PostgreSQL schema, the private MariaDB
    /// database).
    pub(crate) default_schema: String,
    /// The tables created, by `schema.name` for the second schema's.
    pub(crate) metadata: MetaData,
}

/// The second schema, made for this test: its name.
pub(crate) fn make_test_schema(dialect: &str, engine: &Engine) -> Result<String> {
    let mut conn = engine.connect()?;
    Ok(match dialect {
        "sqlite" => {
            conn.exec_driver_sql("ATTACH DATABASE ':memory:' AS test_schema")?;
            "test_schema".to_string()
        }
        "postgresql" => {
            let cur: String = conn.scalar(&text("SELECT current_schema()"))?;
            let name = format!("{cur}_ts");
            conn.exec_driver_sql(&format!("CREATE SCHEMA \"{name}\""))?;
            name
        }
        _ => {
            let cur: String = conn.scalar(&text("SELECT database()"))?;
            let name = format!("{cur}_ts");
            conn.exec_driver_sql(&format!("CREATE DATABASE `{name}` CHARACTER SET utf8mb4"))?;
            name
        }
    })
}

/// The default schema's name.
pub(crate) fn default_schema(dialect: &str, engine: &Engine) -> Result<String> {
    let mut conn = engine.connect()?;
    Ok(match dialect {
        "sqlite" => "main".to_string(),
        "postgresql" => conn.scalar(&text("SELECT current_schema()"))?,
        _ => conn.scalar(&text("SELECT database()"))?,
    })
}

fn char5() -> Type {
    Type::Declared {
        sql: "CHAR(5)".into(),
        generic: Box::new(Type::String(Some(5))),
    }
}

/// Does the database reflect foreign keys between schemas (`cross_schema_fk_reflection`)?
pub(crate) fn cross_schema(dialect: &str) -> bool {
    dialect != "sqlite"
}

fn define(
    md: &MetaData,
    dialect: &str,
    schema: Option<&str>,
    test_schema: &str,
    default: &str,
) -> Result<()> {
    let p = schema.map(|s| format!("{s}.")).unwrap_or_default();
    let with = |b: athanor::schema::TableBuilder| match schema {
        Some(s) => b.schema(s),
        None => b,
    };
    with(Table::build("users", md))
        .column(Column::new("user_id", Type::Integer).primary_key())
        .column(Column::new("test1", char5()).nullable(false))
        .column(Column::new("test2", Type::Float).nullable(false))
        .column(
            Column::new("parent_user_id", Type::Integer)
                .foreign_key(ForeignKey::new(format!("{p}users.user_id")).name("user_id_fk")),
        )
        .check(CheckConstraint::new("test2 > 0").name("zz_test2_gt_zero"))
        .check(CheckConstraint::new("test2 <= 1000"))
        .index(Index::new("users_t_idx", ["test1", "test2"]).unique())
        .index(Index::new("users_all_idx", ["user_id", "test2", "test1"]))
        .finish()?;
    with(Table::build("dingalings", md))
        .column(Column::new("dingaling_id", Type::Integer).primary_key())
        .column(Column::new("address_id", Type::Integer).foreign_key(
            ForeignKey::new(format!("{p}email_addresses.address_id")).name("zz_email_add_id_fg"),
        ))
        .column(
            Column::new("id_user", Type::Integer)
                .foreign_key(ForeignKey::new(format!("{p}users.user_id"))),
        )
        .column(Column::new("data", Type::String(Some(30))).unique())
        .check(
            CheckConstraint::new("address_id > 0 AND address_id < 1000").name("address_id_gt_zero"),
        )
        .unique(
            UniqueConstraint::new(["address_id", "dingaling_id"]).name("zz_dingalings_multiple"),
        )
        .finish()?;
    with(Table::build("email_addresses", md))
        .column(Column::new("address_id", Type::Integer))
        .column(
            Column::new("remote_user_id", Type::Integer)
                .foreign_key(ForeignKey::new(format!("{p}users.user_id"))),
        )
        .column(Column::new("email_address", Type::String(Some(20))).index())
        .primary_key(PrimaryKeyConstraint::new(["address_id"]).name("email_ad_pk"))
        .finish()?;
    with(Table::build("comment_test", md))
        .column(
            Column::new("id", Type::Integer)
                .primary_key()
                .comment("id comment"),
        )
        .column(Column::new("data", Type::String(Some(20))).comment("data % comment"))
        .column(
            Column::new("d2", Type::String(Some(20)))
                .comment(r#"Comment types type speedily ' " \ '' Fun!"#),
        )
        .column(Column::new("d3", Type::String(Some(42))).comment("Comment\nwith\rescapes"))
        .comment(r#"the test % ' " \ table comment"#)
        .finish()?;
    with(Table::build("no_constraints", md))
        .column(Column::new("data", Type::String(Some(20))))
        .comment("no\nconstraints\rhas\u{c}escaped\u{b}comment")
        .finish()?;
    if cross_schema(dialect) {
        if schema.is_none() {
            Table::build("local_table", md)
                .schema(default)
                .column(Column::new("id", Type::Integer).primary_key())
                .column(Column::new("data", Type::String(Some(20))))
                .column(
                    Column::new("remote_id", Type::Integer)
                        .foreign_key(ForeignKey::new(format!("{test_schema}.remote_table_2.id"))),
                )
                .finish()?;
        } else {
            with(Table::build("remote_table", md))
                .column(Column::new("id", Type::Integer).primary_key())
                .column(
                    Column::new("local_id", Type::Integer)
                        .foreign_key(ForeignKey::new(format!("{default}.local_table.id"))),
                )
                .column(Column::new("data", Type::String(Some(20))))
                .finish()?;
            with(Table::build("remote_table_2", md))
                .column(Column::new("id", Type::Integer).primary_key())
                .column(Column::new("data", Type::String(Some(20))))
                .finish()?;
        }
    }
    if schema.is_none() {
        Table::build("noncol_idx_test_nopk", md)
            .column(Column::new("q", Type::String(Some(5))))
            .finish()?;
        Table::build("noncol_idx_test_pk", md)
            .column(Column::new("id", Type::Integer).primary_key())
            .column(Column::new("q", Type::String(Some(5))))
            .finish()?;
    }
    Ok(())
}

/// Creates the reflection set in both schemas, with its views (on PostgreSQL `dingalings_v`
/// is a materialized view with an index `mat_index`, as the suite makes it there) and the
/// `q DESC` indexes of the `noncol_idx_*` tables.
pub(crate) fn reflection(dialect: &str, engine: &Engine) -> Result<Reflection> {
    let test_schema = make_test_schema(dialect, engine)?;
    let default = default_schema(dialect, engine)?;
    let md = MetaData::new();
    define(&md, dialect, None, &test_schema, &default)?;
    define(&md, dialect, Some(&test_schema), &test_schema, &default)?;
    md.create_all(engine)?;
    let mut conn = engine.connect()?;
    conn.exec_driver_sql("CREATE INDEX noncol_idx_nopk ON noncol_idx_test_nopk (q DESC)")?;
    conn.exec_driver_sql("CREATE INDEX noncol_idx_pk ON noncol_idx_test_pk (q DESC)")?;
    for schema in [None, Some(test_schema.as_str())] {
        let p = schema.map(|s| format!("{s}.")).unwrap_or_default();
        for t in ["users", "email_addresses", "dingalings"] {
            let materialized = dialect == "postgresql" && t == "dingalings";
            let kw = if materialized { "MATERIALIZED " } else { "" };
            conn.exec_driver_sql(&format!("CREATE {kw}VIEW {p}{t}_v AS SELECT * FROM {p}{t}"))?;
            if materialized {
                conn.exec_driver_sql(&format!("CREATE INDEX mat_index ON {p}{t}_v (data)"))?;
            }
        }
    }
    Ok(Reflection {
        test_schema,
        default_schema: default,
        metadata: md,
    })
}
