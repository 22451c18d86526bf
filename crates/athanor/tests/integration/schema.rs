//! Schema DDL: create_all/drop_all order, cycles, checkfirst, table create/drop/exists,
//! defaults, constraints and quoted identifiers, end to end.

use athanor::error::IntegrityKind;
use athanor::prelude::*;
use athanor::{Engine, Error, Result};

use super::support::{fresh, on_all, rows, s, scalars};

/// Parent ← child ← grandchild, defined child-first so only the sort gets the order right.
fn family(prefix: &str) -> Result<(MetaData, Table, Table, Table)> {
    let md = MetaData::new();
    let (p, c, g) = (
        format!("{prefix}_parent"),
        format!("{prefix}_child"),
        format!("{prefix}_grandchild"),
    );
    let grandchild = Table::build(g.as_str(), &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .column(
            Column::new("child_id", Type::Integer)
                .nullable(false)
                .foreign_key(ForeignKey::new(format!("{c}.id"))),
        )
        .finish()?;
    let child = Table::build(c.as_str(), &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .column(
            Column::new("parent_id", Type::Integer)
                .nullable(false)
                .foreign_key(ForeignKey::new(format!("{p}.id"))),
        )
        .finish()?;
    let parent = Table::build(p.as_str(), &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .finish()?;
    Ok((md, parent, child, grandchild))
}

fn exists_all(engine: &Engine, tables: &[&Table]) -> Result<Vec<bool>> {
    tables.iter().map(|t| t.exists(engine)).collect()
}

#[test]
fn create_all_and_drop_all_follow_foreign_keys() {
    on_all(|engine| {
        let (md, parent, child, grandchild) = family("ddl_order")?;
        let order: Vec<String> = md
            .sorted_tables()?
            .iter()
            .map(|t| t.name().to_string())
            .collect();
        assert_eq!(
            order,
            [
                "ddl_order_parent",
                "ddl_order_child",
                "ddl_order_grandchild"
            ]
        );
        md.drop_all(engine)?;
        assert_eq!(
            exists_all(engine, &[&parent, &child, &grandchild])?,
            [false; 3]
        );
        md.create_all(engine)?;
        assert_eq!(
            exists_all(engine, &[&parent, &child, &grandchild])?,
            [true; 3]
        );
        // Rows referencing each other: dropping a parent first would break a foreign key.
        let mut conn = engine.connect()?;
        conn.execute(&parent.insert().values(row! { "id" => 1 }))?;
        conn.execute(&child.insert().values(row! { "id" => 10, "parent_id" => 1 }))?;
        conn.execute(
            &grandchild
                .insert()
                .values(row! { "id" => 100, "child_id" => 10 }),
        )?;
        drop(conn);
        md.drop_all(engine)?;
        assert_eq!(
            exists_all(engine, &[&parent, &child, &grandchild])?,
            [false; 3]
        );
        Ok(())
    });
}

#[test]
fn cycles_are_a_circular_dependency_error() {
    on_all(|engine| {
        let md = MetaData::new();
        let a = Table::build("ddl_cycle_a", &md)
            .column(Column::new("id", Type::Integer).primary_key())
            .column(
                Column::new("b_id", Type::Integer).foreign_key(ForeignKey::new("ddl_cycle_b.id")),
            )
            .finish()?;
        let b = Table::build("ddl_cycle_b", &md)
            .column(Column::new("id", Type::Integer).primary_key())
            .column(
                Column::new("a_id", Type::Integer).foreign_key(ForeignKey::new("ddl_cycle_a.id")),
            )
            .finish()?;
        Table::build("ddl_cycle_free", &md)
            .column(Column::new("id", Type::Integer).primary_key())
            .finish()?;
        for result in [md.create_all(engine), md.drop_all(engine)] {
            match result {
                Err(Error::CircularDependency { tables }) => {
                    assert_eq!(tables, ["ddl_cycle_a", "ddl_cycle_b"])
                }
                other => panic!("expected CircularDependency, got {other:?}"),
            }
        }
        // Nothing was created.
        assert_eq!(exists_all(engine, &[&a, &b])?, [false, false]);
        assert!(!md.try_table("ddl_cycle_free")?.exists(engine)?);
        // A table referring to itself is not a cycle.
        let md = MetaData::new();
        let tree = Table::build("ddl_cycle_tree", &md)
            .column(Column::new("id", Type::Integer).primary_key())
            .column(
                Column::new("parent", Type::Integer)
                    .foreign_key(ForeignKey::new("ddl_cycle_tree.id")),
            )
            .finish()?;
        fresh(engine, &md)?;
        let mut conn = engine.connect()?;
        conn.execute(
            &tree
                .insert()
                .values(row! { "id" => 1, "parent" => None::<i64> }),
        )?;
        conn.execute(&tree.insert().values(row! { "id" => 2, "parent" => 1 }))?;
        drop(conn);
        md.drop_all(engine)?;
        Ok(())
    });
}

#[test]
fn checkfirst_behaviour() {
    on_all(|engine| {
        let (md, parent, child, grandchild) = family("ddl_check")?;
        fresh(engine, &md)?;
        engine
            .connect()?
            .execute(&parent.insert().values(row! { "id" => 7 }))?;
        // checkfirst (the default) skips existing tables and keeps their rows.
        md.create_all(engine)?;
        assert_eq!(scalars::<i64>(engine, &select(parent.c("id")))?, [7]);
        // Without it, an existing table is the database's error...
        let err = md.create_all_with(engine, false).expect_err("tables exist");
        assert!(
            matches!(err, Error::Programming(_) | Error::Operational(_)),
            "{err:?}"
        );
        assert!(err.to_string().contains("CREATE TABLE"), "{err}");
        // ...and the data is untouched.
        assert_eq!(scalars::<i64>(engine, &select(parent.c("id")))?, [7]);
        // Only missing tables are created.
        grandchild.drop_table(engine)?;
        md.create_all(engine)?;
        assert_eq!(
            exists_all(engine, &[&parent, &child, &grandchild])?,
            [true; 3]
        );
        // drop_all skips missing tables; without checkfirst a missing one is an error.
        md.drop_all(engine)?;
        md.drop_all(engine)?;
        let err = md.drop_all_with(engine, false).expect_err("no tables left");
        assert!(
            matches!(err, Error::Programming(_) | Error::Operational(_)),
            "{err:?}"
        );
        assert!(err.to_string().contains("DROP TABLE"), "{err}");
        Ok(())
    });
}

/// checkfirst covers the objects made beside the tables too: a second `create_all` keeps an
/// existing sequence (PostgreSQL, MariaDB) and an existing named enum type (PostgreSQL) where
/// it used to fail on CREATE SEQUENCE / CREATE TYPE, and a type left behind by a dropped table
/// is used as it is. Without checkfirst an existing sequence is the database's error.
#[test]
fn checkfirst_keeps_existing_sequences_and_enum_types() {
    on_all(|engine| {
        let md = MetaData::new();
        let mood = Type::Enum {
            name: Some("ddl_cf_mood".into()),
            variants: vec!["sad".into(), "ok".into()],
        };
        let t = Table::build("ddl_cf_t", &md)
            .column(
                Column::new("id", Type::Integer)
                    .sequence(Sequence::new("ddl_cf_seq").start(3))
                    .primary_key(),
            )
            .column(Column::new("m", mood))
            .finish()?;
        fresh(engine, &md)?;
        md.create_all(engine)?;
        let mut conn = engine.connect()?;
        let r = conn.execute_with(&t.insert(), &row! { "m" => "ok" })?;
        let first = if engine.dialect().supports_sequences() {
            3
        } else {
            1
        };
        assert_eq!(r.inserted_primary_key(), Some(&Value::Int(first)));
        drop(conn);
        if engine.dialect().supports_sequences() {
            let err = md
                .create_all_with(engine, false)
                .expect_err("sequence exists");
            assert!(err.to_string().contains("SEQUENCE"), "{err}");
        }
        // The table alone dropped: its enum type and sequence stay; create_all makes the
        // table again around them, and the sequence goes on where it was.
        t.drop_table(engine)?;
        md.create_all(engine)?;
        let mut conn = engine.connect()?;
        let r = conn.execute_with(&t.insert(), &row! { "m" => "sad" })?;
        let second = if engine.dialect().supports_sequences() {
            4
        } else {
            1
        };
        assert_eq!(r.inserted_primary_key(), Some(&Value::Int(second)));
        drop(conn);
        md.drop_all(engine)?;
        assert!(!t.exists(engine)?);
        assert!(engine.inspect().get_sequence_names(None)?.is_empty());
        Ok(())
    });
}

#[test]
fn failed_create_all_leaves_nothing_with_transactional_ddl() {
    on_all(|engine| {
        if !engine.dialect().supports_transactional_ddl() {
            return Ok(());
        }
        let (md, parent, child, grandchild) = family("ddl_atomic")?;
        md.drop_all(engine)?;
        // A table already holding grandchild's name (without its foreign key, which the
        // servers would refuse before child exists).
        engine
            .connect()?
            .execute(&text("CREATE TABLE ddl_atomic_grandchild (x INTEGER)"))?;
        // parent and child are created first, then grandchild fails: all rolled back.
        md.create_all_with(engine, false)
            .expect_err("grandchild exists");
        assert_eq!(
            exists_all(engine, &[&parent, &child, &grandchild])?,
            [false, false, true]
        );
        grandchild.drop_table(engine)?;
        Ok(())
    });
}

#[test]
fn table_create_drop_exists() {
    on_all(|engine| {
        let md = MetaData::new();
        let t = Table::build("ddl_single", &md)
            .column(Column::new("id", Type::Integer).primary_key())
            .column(Column::new("code", Type::String(Some(8))).index())
            .index(Index::new("ix_ddl_single_id_code", ["id", "code"]).unique())
            .finish()?;
        md.drop_all(engine)?;
        assert!(!t.exists(engine)?);
        t.create(engine)?;
        assert!(t.exists(engine)?);
        let err = t.create(engine).expect_err("it exists");
        assert!(err.database_error().is_some(), "{err:?}");
        // The indexes were created with the table (and are dropped with it).
        if engine.dialect().name() == "sqlite" {
            let names = scalars::<String>(
                engine,
                &text("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = :t ORDER BY name")
                    .bind("t", "ddl_single"),
            )?;
            assert_eq!(names, ["ix_ddl_single_code", "ix_ddl_single_id_code"]);
        }
        t.drop_table(engine)?;
        assert!(!t.exists(engine)?);
        let err = t.drop_table(engine).expect_err("it is gone");
        assert!(err.database_error().is_some(), "{err:?}");
        // Creating again after a drop works: the indexes went with the table.
        t.create(engine)?;
        t.drop_table(engine)?;
        Ok(())
    });
}

#[test]
fn defaults_autoincrement_and_sequences() {
    on_all(|engine| {
        let md = MetaData::new();
        let t = Table::build("ddl_defaults", &md)
            .column(
                Column::new("id", Type::Integer)
                    .primary_key()
                    .sequence(Sequence::new("ddl_defaults_id_seq")),
            )
            .column(Column::new("n", Type::Integer).default(5))
            .column(
                Column::new("label", Type::String(Some(40)))
                    .server_default("it's; DROP TABLE x --"),
            )
            .column(Column::new("flag", Type::Integer).server_default(3))
            .column(
                Column::new("created", Type::DateTime)
                    .server_default(ServerDefault::text("CURRENT_TIMESTAMP")),
            )
            .column(Column::new("note", Type::Text))
            .finish()?;
        fresh(engine, &md)?;
        let mut conn = engine.connect()?;
        for note in ["a", "b", "c"] {
            conn.execute(&t.insert().values(row! { "note" => note }))?;
        }
        conn.execute(
            &t.insert()
                .values(row! { "n" => 9, "label" => "given", "note" => "d" }),
        )?;
        let got = conn
            .execute(
                &select((t.c("id"), t.c("n"), t.c("label"), t.c("flag"), t.c("note")))
                    .order_by(t.c("id")),
            )?
            .tuples::<(i64, i64, String, i64, String)>()?;
        let hostile = s("it's; DROP TABLE x --");
        assert_eq!(
            got,
            [
                (1, 5, hostile.clone(), 3, s("a")),
                (2, 5, hostile.clone(), 3, s("b")),
                (3, 5, hostile, 3, s("c")),
                (4, 9, s("given"), 3, s("d")),
            ]
        );
        let created: Vec<Option<String>> = conn
            .execute(&select(cast(t.c("created"), Type::String(Some(30)))))?
            .scalars()?;
        assert_eq!(created.len(), 4);
        assert!(
            created
                .iter()
                .all(|c| c.as_ref().is_some_and(|c| c.len() >= 19)),
            "{created:?}"
        );
        drop(conn);
        md.drop_all(engine)?;
        Ok(())
    });
}

#[test]
fn foreign_key_actions() {
    on_all(|engine| {
        let md = MetaData::new();
        let parent = Table::build("ddl_fk_parent", &md)
            .column(Column::new("id", Type::Integer).primary_key())
            .finish()?;
        let cascade = Table::build("ddl_fk_cascade", &md)
            .column(Column::new("id", Type::Integer).primary_key())
            .column(
                Column::new("parent_id", Type::Integer).foreign_key(
                    ForeignKey::new("ddl_fk_parent.id")
                        .on_delete("CASCADE")
                        .on_update("CASCADE"),
                ),
            )
            .finish()?;
        let set_null = Table::build("ddl_fk_setnull", &md)
            .column(Column::new("id", Type::Integer).primary_key())
            .column(Column::new("parent_id", Type::Integer))
            .foreign_key(
                ForeignKeyConstraint::new(["parent_id"], "ddl_fk_parent", ["id"])
                    .name("fk_setnull_parent")
                    .on_delete("SET NULL"),
            )
            .finish()?;
        fresh(engine, &md)?;
        let mut conn = engine.connect()?;
        conn.execute(
            &parent
                .insert()
                .values_many([row! { "id" => 1 }, row! { "id" => 2 }]),
        )?;
        conn.execute(&cascade.insert().values_many([
            row! { "id" => 10, "parent_id" => 1 },
            row! { "id" => 11, "parent_id" => 2 },
        ]))?;
        conn.execute(&set_null.insert().values_many([
            row! { "id" => 20, "parent_id" => 1 },
            row! { "id" => 21, "parent_id" => None::<i64> },
        ]))?;
        conn.execute(&parent.update().set("id", 3).filter(parent.c("id").eq(2)))?;
        conn.execute(&parent.delete().filter(parent.c("id").eq(1)))?;
        drop(conn);
        assert_eq!(
            rows::<(i64, i64)>(engine, &select(&cascade).order_by(cascade.c("id")))?,
            [(11, 3)]
        );
        assert_eq!(
            rows::<(i64, Option<i64>)>(engine, &select(&set_null).order_by(set_null.c("id")))?,
            [(20, None), (21, None)]
        );
        md.drop_all(engine)?;
        Ok(())
    });
}

#[test]
fn quoted_identifiers_end_to_end() {
    on_all(|engine| {
        let md = MetaData::new();
        let dept = Table::build("Dept Names", &md)
            .column(Column::new("Id", Type::Integer).primary_key())
            .column(Column::new("Group Name", Type::String(Some(40))).unique())
            .finish()?;
        let order = Table::build("order", &md)
            .column(Column::new("select", Type::Integer).primary_key())
            .column(Column::new("MixedCase", Type::String(Some(40))).index())
            .column(
                Column::new("from", Type::Integer).foreign_key(ForeignKey::new("Dept Names.Id")),
            )
            .column(Column::new("where\"quote", Type::Integer))
            // CHECK is raw SQL: its identifier quoting is the database's.
            .check(
                CheckConstraint::new(if engine.dialect().name() == "mysql" {
                    "`where\"quote` >= 0"
                } else {
                    "\"where\"\"quote\" >= 0"
                })
                .name("ck order where"),
            )
            .index(Index::new("ix order Mixed", ["MixedCase", "from"]))
            .finish()?;
        fresh(engine, &md)?;
        assert!(dept.exists(engine)? && order.exists(engine)?);
        let mut conn = engine.connect()?;
        conn.execute(&dept.insert().values_many([
            row! { "Id" => 1, "Group Name" => "Alpha" },
            row! { "Id" => 2, "Group Name" => "Beta" },
        ]))?;
        conn.execute_many(
            &order.insert(),
            [
                row! { "select" => 1, "MixedCase" => "x", "from" => 1, "where\"quote" => 5 },
                row! { "select" => 2, "MixedCase" => "y", "from" => 1, "where\"quote" => 6 },
                row! { "select" => 3, "MixedCase" => "z", "from" => 2, "where\"quote" => 7 },
            ],
        )?;
        // The CHECK constraint, named with a space, refers to the quoted column.
        let err = conn
            .execute(
                &order
                    .insert()
                    .values(row! { "select" => 4, "where\"quote" => -1 }),
            )
            .expect_err("check constraint");
        assert_eq!(
            err.database_error().and_then(|d| d.integrity),
            Some(IntegrityKind::Check),
            "{err:?}"
        );
        let stmt = select((
            dept.c("Group Name"),
            func::count(order.c("select")).label("# of orders"),
            func::sum(order.c("where\"quote")).label("Sum Of"),
        ))
        .select_from(dept.join(&order))
        .filter(order.c("MixedCase").ne("nope"))
        .group_by(dept.c("Group Name"))
        .order_by(desc("# of orders"));
        let r = conn.execute(&stmt)?;
        assert_eq!(r.columns(), ["Group Name", "# of orders", "Sum Of"]);
        assert_eq!(
            r.tuples::<(String, i64, i64)>()?,
            [(s("Alpha"), 2, 11), (s("Beta"), 1, 7)]
        );
        conn.execute(
            &order
                .update()
                .set("MixedCase", order.c("MixedCase").concat("!"))
                .filter(order.c("from").eq(1)),
        )?;
        let n = conn
            .execute(&order.delete().filter(order.c("select").eq(3)))?
            .rowcount();
        assert_eq!(n, 1);
        // An alias and a subquery with spaces and capitals in their names.
        let o2 = order.alias("Other Order");
        let sub = select((
            order.c("from"),
            func::max(order.c("select")).label("Max Select"),
        ))
        .group_by(order.c("from"))
        .subquery("Sub Query");
        let stmt = select((o2.c("MixedCase"), sub.c("Max Select")))
            .select_from(o2.join_on(&sub, o2.c("select").eq(sub.c("Max Select"))));
        drop(conn);
        assert_eq!(rows::<(String, i64)>(engine, &stmt)?, [(s("y!"), 2)]);
        md.drop_all(engine)?;
        assert!(!dept.exists(engine)? && !order.exists(engine)?);
        Ok(())
    });
}

#[test]
fn create_all_and_create_set_table_and_column_comments_where_the_database_keeps_comments() {
    on_all(|engine| {
        let md = MetaData::new();
        let t = Table::build("commented", &md)
            .column(
                Column::new("id", Type::Integer)
                    .primary_key()
                    .comment("the key's column"),
            )
            .column(Column::new("plain", Type::Integer))
            .comment("it's commented")
            .finish()?;
        fresh(engine, &md)?;
        let keeps = engine.dialect().supports_comments();
        let expected = keeps.then(|| "it's commented".to_string());
        assert_eq!(
            engine.inspect().get_table_comment("commented", None)?,
            expected
        );
        let column_comments = |engine: &Engine| -> Result<Vec<Option<String>>> {
            Ok(engine
                .inspect()
                .get_columns("commented", None)?
                .into_iter()
                .map(|c| c.comment)
                .collect())
        };
        let expected_columns = if keeps {
            vec![Some("the key's column".to_string()), None]
        } else {
            vec![None, None]
        };
        assert_eq!(column_comments(engine)?, expected_columns);
        t.drop_table(engine)?;
        t.create(engine)?;
        assert_eq!(
            engine.inspect().get_table_comment("commented", None)?,
            expected
        );
        assert_eq!(column_comments(engine)?, expected_columns);
        let mut conn = engine.connect()?;
        if keeps {
            conn.execute(&Ddl::DropTableComment(t.clone()))?;
            assert_eq!(engine.inspect().get_table_comment("commented", None)?, None);
        } else {
            let err = conn
                .execute(&Ddl::SetTableComment(t.clone()))
                .expect_err("SQLite has no comments");
            assert!(matches!(err, Error::Compile(_)), "{err:?}");
        }
        t.drop_table(engine)
    });
}

/// An identity key generates keys on every database (GENERATED ... AS IDENTITY on
/// PostgreSQL, the autoincrement key elsewhere), from its START WITH where it has one.
#[test]
fn identity_columns_generate_keys() {
    on_all(|engine| {
        let md = MetaData::new();
        let t = Table::build("ident_keys", &md)
            .column(
                Column::new("id", Type::Integer)
                    .identity(Identity::new().start(1).increment(1))
                    .primary_key(),
            )
            .column(Column::new("v", Type::String(Some(10))))
            .finish()?;
        fresh(engine, &md)?;
        let mut conn = engine.connect()?;
        let r = conn.execute_with(&t.insert(), &row! { "v" => "a" })?;
        assert_eq!(r.inserted_primary_key(), Some(&Value::Int(1)));
        let r = conn.execute_with(&t.insert(), &row! { "v" => "b" })?;
        assert_eq!(r.inserted_primary_key(), Some(&Value::Int(2)));
        if engine.dialect().name() == "postgresql" {
            let ddl = Ddl::CreateTable(t.clone()).compile(engine.dialect())?;
            assert!(
                ddl.sql().contains("id INTEGER GENERATED BY DEFAULT AS IDENTITY (START WITH 1 INCREMENT BY 1) NOT NULL"),
                "{}",
                ddl.sql()
            );
            // Reflected with every option, those the database chose too (INTEGER's bounds,
            // cache 1, no cycle); an ALWAYS identity starting elsewhere too.
            let int_bounds = |id: Identity| id.minvalue(1).maxvalue(2_147_483_647).cache(1);
            let cols = engine.inspect().get_columns("ident_keys", None)?;
            assert_eq!(
                cols[0].identity,
                Some(int_bounds(Identity::new().start(1).increment(1)))
            );
            assert!(cols[0].autoincrement);
            assert_eq!(cols[1].identity, None);
            conn.exec_driver_sql(
                "CREATE TABLE ident_always (id INTEGER GENERATED ALWAYS AS IDENTITY (START WITH 7 INCREMENT BY 3) PRIMARY KEY)",
            )?;
            let always = int_bounds(Identity::new().always(true).start(7).increment(3));
            let cols = engine.inspect().get_columns("ident_always", None)?;
            assert_eq!(cols[0].identity, Some(always.clone()));
            let md2 = MetaData::new();
            let back = Table::autoload("ident_always", &md2, engine)?;
            assert_eq!(
                back.column_data("id").and_then(|c| c.identity.clone()),
                Some(always)
            );
            conn.exec_driver_sql("DROP TABLE ident_always")?;
        }
        Ok(())
    });
}

/// A key fed by a sequence (PostgreSQL, MariaDB): each INSERT takes the sequence's next
/// value and reports it as the inserted key; `next_value()` reads the sequence directly; the
/// sequence is made before and dropped after its table. Where the database has no
/// sequences (SQLite, MySQL), the column is an ordinary autoincrement key.
#[test]
fn sequence_keys_insert_and_next_value() {
    on_all(|engine| {
        let md = MetaData::new();
        let seq = Sequence::new("Seq_Keys_Id").start(5).increment(5);
        let t = Table::build("seq_keys", &md)
            .column(
                Column::new("id", Type::Integer)
                    .sequence(seq.clone())
                    .primary_key(),
            )
            .column(Column::new("v", Type::String(Some(10))))
            .finish()?;
        fresh(engine, &md)?;
        let mut conn = engine.connect()?;
        let r = conn.execute_with(&t.insert(), &row! { "v" => "a" })?;
        if engine.dialect().supports_sequences() {
            assert_eq!(r.inserted_primary_key(), Some(&Value::Int(5)));
            let next: i64 = conn.scalar(&select(seq.next_value()))?;
            assert_eq!(next, 10);
            let r = conn.execute_with(&t.insert(), &row! { "v" => "b" })?;
            assert_eq!(r.inserted_primary_key(), Some(&Value::Int(15)));
            assert_eq!(engine.inspect().get_sequence_names(None)?, ["Seq_Keys_Id"]);
        } else {
            assert_eq!(r.inserted_primary_key(), Some(&Value::Int(1)));
            assert!(conn.scalar::<i64, _>(&select(seq.next_value())).is_err());
            assert!(engine.inspect().get_sequence_names(None)?.is_empty());
        }
        drop(conn);
        md.drop_all(engine)?;
        assert!(engine.inspect().get_sequence_names(None)?.is_empty());
        Ok(())
    });
}
