//! INSERT / UPDATE / DELETE: single, many, from SELECT, execute_many, rowcount, RETURNING,
//! upserts, inserted_primary_key, bindparam and text().

use athanor::prelude::*;
use athanor::{Engine, Error, Result};

use super::support::{fresh, on_all, rows, s};

/// `{name}(id INTEGER PK autoincrement, name VARCHAR NOT NULL UNIQUE, hits INTEGER)`.
fn people(engine: &Engine, name: &str) -> Result<Table> {
    let md = MetaData::new();
    let t = Table::build(name, &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .column(
            Column::new("name", Type::String(Some(40)))
                .nullable(false)
                .unique(),
        )
        .column(Column::new("hits", Type::Integer))
        .finish()?;
    fresh(engine, &md)?;
    Ok(t)
}

fn all(engine: &Engine, t: &Table) -> Result<Vec<(i64, String, Option<i64>)>> {
    rows(engine, &select(t).order_by(t.c("id")))
}

#[test]
fn insert_single_rows_and_inserted_primary_key() {
    on_all(|engine| {
        let t = people(engine, "dml_single")?;
        let mut conn = engine.connect()?;
        let r = conn.execute(&t.insert().values(row! { "name" => "Alice", "hits" => 1 }))?;
        assert_eq!(r.rowcount(), 1);
        assert_eq!(r.inserted_primary_key(), Some(&Value::Int(1)));
        let r = conn.execute(&t.insert().values(row! { "name" => "Bob" }))?;
        assert_eq!(r.inserted_primary_key(), Some(&Value::Int(2)));
        // A key given explicitly is the inserted key.
        let r = conn.execute(&t.insert().values(row! { "id" => 40, "name" => "Carol" }))?;
        assert_eq!(r.inserted_primary_key(), Some(&Value::Int(40)));
        let r =
            conn.execute(&insert(&t).values(row! { "name" => "Dave", "hits" => None::<i64> }))?;
        // PostgreSQL's SERIAL sequence doesn't move past an explicit key; the others continue
        // after the largest key.
        let next = if engine.dialect().name() == "postgresql" {
            3
        } else {
            41
        };
        assert_eq!(r.inserted_primary_key(), Some(&Value::Int(next)));
        // Selects report no inserted key.
        assert_eq!(
            conn.execute(&select(t.c("id")))?.inserted_primary_key(),
            None
        );
        drop(conn);
        let mut want = vec![
            (1, s("Alice"), Some(1)),
            (2, s("Bob"), None),
            (40, s("Carol"), None),
            (next, s("Dave"), None),
        ];
        want.sort();
        assert_eq!(all(engine, &t)?, want);
        Ok(())
    });
}

#[test]
fn multi_values_and_insert_from_select() {
    on_all(|engine| {
        let t = people(engine, "dml_multi")?;
        let archive = people(engine, "dml_multi_archive")?;
        let mut conn = engine.connect()?;
        let r = conn.execute(&t.insert().values_many([
            row! { "id" => 1, "name" => "a", "hits" => 10 },
            row! { "id" => 2, "name" => "b", "hits" => 20 },
            row! { "id" => 3, "name" => "c", "hits" => 30 },
        ]))?;
        assert_eq!(r.rowcount(), 3);
        // values() called twice is a multi-VALUES insert too.
        let r = conn.execute(
            &t.insert()
                .values(row! { "id" => 4, "name" => "d", "hits" => 40 })
                .values(row! { "id" => 5, "name" => "e", "hits" => 50 }),
        )?;
        assert_eq!(r.rowcount(), 2);
        let src = select((t.c("id"), t.c("name"), t.c("hits") * 2)).filter(t.c("hits").ge(30));
        let r = conn.execute(&archive.insert().from_select(["id", "name", "hits"], src))?;
        assert_eq!(r.rowcount(), 3);
        drop(conn);
        assert_eq!(
            all(engine, &archive)?,
            [
                (3, s("c"), Some(60)),
                (4, s("d"), Some(80)),
                (5, s("e"), Some(100))
            ]
        );
        Ok(())
    });
}

#[test]
fn execute_many_is_one_transaction() {
    on_all(|engine| {
        let t = people(engine, "dml_many")?;
        let mut conn = engine.connect()?;
        let n = conn.execute_many(
            &t.insert(),
            (1..=100).map(|i| row! { "name" => format!("p{i:03}"), "hits" => i }),
        )?;
        assert_eq!(n, 100);
        let total: i64 = conn.execute(&select(func::sum(t.c("hits"))))?.scalar()?;
        assert_eq!(total, 5050);
        assert_eq!(conn.execute_many(&t.insert(), Vec::new())?, 0);
        // The third row breaks the UNIQUE name: none of the batch is kept.
        let err = conn
            .execute_many(
                &t.insert(),
                [
                    row! { "name" => "new1", "hits" => 1 },
                    row! { "name" => "new2", "hits" => 2 },
                    row! { "name" => "p001", "hits" => 3 },
                    row! { "name" => "new4", "hits" => 4 },
                ],
            )
            .expect_err("duplicate name");
        assert!(matches!(err, Error::Integrity(_)), "{err:?}");
        let sql = err
            .database_error()
            .and_then(|d| d.sql.clone())
            .unwrap_or_default();
        assert!(sql.starts_with("INSERT INTO dml_many"), "{sql}");
        let n: i64 = conn
            .execute(&select(func::count_star()).select_from(&t))?
            .scalar()?;
        assert_eq!(n, 100);
        // Rows must all give the same columns; a mismatch writes nothing either.
        let err = conn
            .execute_many(
                &t.insert(),
                [
                    row! { "name" => "x1", "hits" => 1 },
                    row! { "name" => "x2" },
                ],
            )
            .expect_err("different columns");
        assert!(
            matches!(&err, Error::InvalidRequest(m) if m.contains("row 1")),
            "{err:?}"
        );
        // An insert that already has values is refused.
        let err = conn
            .execute_many(
                &t.insert().values(row! { "name" => "v" }),
                [row! { "name" => "w" }],
            )
            .expect_err("values given twice");
        assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
        let n: i64 = conn
            .execute(&select(func::count_star()).select_from(&t))?
            .scalar()?;
        assert_eq!(n, 100);
        // Inside an open transaction, execute_many joins it: rolling back undoes it.
        {
            let mut tx = conn.begin()?;
            tx.execute_many(
                &t.insert(),
                [row! { "name" => "tx1" }, row! { "name" => "tx2" }],
            )?;
            let n: i64 = tx
                .execute(&select(func::count_star()).select_from(&t))?
                .scalar()?;
            assert_eq!(n, 102);
            tx.rollback()?;
        }
        let n: i64 = conn
            .execute(&select(func::count_star()).select_from(&t))?
            .scalar()?;
        assert_eq!(n, 100);
        // And the connection is usable afterwards, outside any transaction.
        assert!(!conn.in_transaction());
        conn.execute(&t.insert().values(row! { "name" => "after" }))?;
        Ok(())
    });
}

#[test]
fn update_and_delete_with_rowcount() {
    on_all(|engine| {
        let t = people(engine, "dml_upd")?;
        let mut conn = engine.connect()?;
        conn.execute(&t.insert().values_many([
            row! { "id" => 1, "name" => "a", "hits" => 1 },
            row! { "id" => 2, "name" => "b", "hits" => 2 },
            row! { "id" => 3, "name" => "c", "hits" => 3 },
            row! { "id" => 4, "name" => "d", "hits" => None::<i64> },
        ]))?;
        let r = conn.execute(
            &t.update()
                .set("hits", t.c("hits") * 10)
                .filter(t.c("hits").ge(2)),
        )?;
        assert_eq!(r.rowcount(), 2);
        let r = conn.execute(
            &update(&t)
                .values(row! { "name" => "D", "hits" => 0 })
                .filter(t.c("id").eq(4)),
        )?;
        assert_eq!(r.rowcount(), 1);
        assert_eq!(
            conn.execute(&t.update().set("hits", 5).filter(t.c("id").eq(99)))?
                .rowcount(),
            0
        );
        drop(conn);
        assert_eq!(
            all(engine, &t)?,
            [
                (1, s("a"), Some(1)),
                (2, s("b"), Some(20)),
                (3, s("c"), Some(30)),
                (4, s("D"), Some(0)),
            ]
        );
        let mut conn = engine.connect()?;
        let r = conn.execute(&t.delete().filter(t.c("hits").lt(10)))?;
        assert_eq!(r.rowcount(), 2);
        assert_eq!(
            conn.execute(&t.delete().filter(t.c("id").eq(1)))?
                .rowcount(),
            0
        );
        // No WHERE: every row.
        assert_eq!(conn.execute(&t.update().set("hits", 7))?.rowcount(), 2);
        assert_eq!(conn.execute(&delete(&t))?.rowcount(), 2);
        drop(conn);
        assert_eq!(all(engine, &t)?, []);
        Ok(())
    });
}

#[test]
fn returning_on_insert_update_delete() {
    on_all(|engine| {
        if !engine
            .dialect()
            .supports_returning(athanor::compiler::StatementKind::Insert)
        {
            return Ok(());
        }
        let t = people(engine, "dml_ret")?;
        let mut conn = engine.connect()?;
        let row = conn
            .execute(
                &t.insert()
                    .values(row! { "name" => "Alice", "hits" => 3 })
                    .returning((t.c("id"), t.c("name"))),
            )?
            .one()?;
        assert_eq!(row.to::<(i64, String)>()?, (1, s("Alice")));
        let ids: Vec<i64> = conn
            .execute(
                &t.insert()
                    .values_many([
                        row! { "name" => "Bob", "hits" => 5 },
                        row! { "name" => "Carol", "hits" => None::<i64> },
                    ])
                    .returning(t.c("id")),
            )?
            .scalars()?;
        assert_eq!(ids, [2, 3]);
        let mut updated: Vec<(i64, Option<i64>)> = conn
            .execute(
                &t.update()
                    .set("hits", t.c("hits") + 100)
                    .filter(t.c("hits").is_not_null())
                    .returning((t.c("id"), t.c("hits"))),
            )?
            .tuples()?;
        updated.sort();
        assert_eq!(updated, [(1, Some(103)), (2, Some(105))]);
        let r = conn.execute(
            &t.delete()
                .filter(t.c("name").ne("Bob"))
                .returning((t.c("name"), (t.c("id") * 10).label("tenfold"))),
        )?;
        assert_eq!(r.columns(), ["name", "tenfold"]);
        let mut deleted: Vec<(String, i64)> = r.tuples()?;
        deleted.sort();
        assert_eq!(deleted, [(s("Alice"), 10), (s("Carol"), 30)]);
        // RETURNING nothing: no rows.
        let none = conn.execute(&t.delete().filter(t.c("id").eq(99)).returning(t.c("id")))?;
        assert_eq!(none.all()?.len(), 0);
        drop(conn);
        assert_eq!(all(engine, &t)?, [(2, s("Bob"), Some(105))]);
        Ok(())
    });
}

#[test]
fn upserts() {
    on_all(|engine| {
        let t = people(engine, "dml_upsert")?;
        let mut conn = engine.connect()?;
        conn.execute(
            &t.insert()
                .values(row! { "id" => 1, "name" => "Alice", "hits" => 1 }),
        )?;
        // DO NOTHING keeps the existing row.
        let r = conn.execute(
            &t.insert()
                .values(row! { "id" => 2, "name" => "Alice", "hits" => 50 })
                .on_conflict_do_nothing(["name"]),
        )?;
        // MySQL's emulation (`ON DUPLICATE KEY UPDATE id = id`) counts the row it found.
        let found = if engine.dialect().name() == "mysql" {
            1
        } else {
            0
        };
        assert_eq!(r.rowcount(), found);
        // DO UPDATE with excluded(): the value the INSERT tried to write.
        conn.execute(
            &t.insert()
                .values(row! { "id" => 3, "name" => "Alice", "hits" => 5 })
                .on_conflict_do_update(["name"], row! { "hits" => t.c("hits") + excluded("hits") }),
        )?;
        conn.execute(
            &t.insert()
                .values(row! { "id" => 1, "name" => "Alicia", "hits" => 0 })
                .on_conflict_do_update(["id"], row! { "name" => excluded("name") }),
        )?;
        // No conflict: a plain insert.
        conn.execute(
            &t.insert()
                .values(row! { "id" => 4, "name" => "Bob", "hits" => 9 })
                .on_conflict_do_update(["id"], row! { "hits" => excluded("hits") }),
        )?;
        // A multi-row upsert.
        conn.execute(
            &t.insert()
                .values_many([
                    row! { "id" => 4, "name" => "Bob", "hits" => 10 },
                    row! { "id" => 5, "name" => "Eve", "hits" => 11 },
                ])
                .on_conflict_do_update(["id"], row! { "hits" => excluded("hits") }),
        )?;
        drop(conn);
        assert_eq!(
            all(engine, &t)?,
            [
                (1, s("Alicia"), Some(6)),
                (4, s("Bob"), Some(10)),
                (5, s("Eve"), Some(11))
            ]
        );
        Ok(())
    });
}

#[test]
fn bindparam_with_execute_with() {
    on_all(|engine| {
        let t = people(engine, "dml_bind")?;
        let mut conn = engine.connect()?;
        let ins = t
            .insert()
            .values(row! { "name" => bindparam("who"), "hits" => bindparam("n") });
        for (who, n) in [("Alice", 1), ("Bob", 2), ("Carol", 3)] {
            conn.execute_with(&ins, &row! { "who" => who, "n" => n })?;
        }
        let find = select(t.c("name"))
            .filter(t.c("hits").ge(bindparam("lo")) & t.c("hits").le(bindparam("hi")))
            .order_by(t.c("id"));
        let got: Vec<String> = conn
            .execute_with(&find, &row! { "lo" => 2, "hi" => 3 })?
            .scalars()?;
        assert_eq!(got, ["Bob", "Carol"]);
        let got: Vec<String> = conn
            .execute_with(&find, &row! { "lo" => 1, "hi" => 1 })?
            .scalars()?;
        assert_eq!(got, ["Alice"]);
        let upd = t
            .update()
            .set("hits", bindparam("h"))
            .filter(t.c("name").eq(bindparam("who")));
        let r = conn.execute_with(&upd, &row! { "h" => 9, "who" => "Bob" })?;
        assert_eq!(r.rowcount(), 1);
        // A parameter without a value is an error naming it, not a NULL.
        let err = conn
            .execute_with(&find, &row! { "lo" => 1 })
            .expect_err("hi has no value");
        assert!(
            matches!(&err, Error::InvalidRequest(m) if m.contains("hi")),
            "{err:?}"
        );
        let err = conn.execute(&find).expect_err("no values at all");
        assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
        drop(conn);
        assert_eq!(
            all(engine, &t)?,
            [
                (1, s("Alice"), Some(1)),
                (2, s("Bob"), Some(9)),
                (3, s("Carol"), Some(3))
            ]
        );
        Ok(())
    });
}

#[test]
fn text_with_named_parameters() {
    on_all(|engine| {
        let t = people(engine, "dml_text")?;
        let mut conn = engine.connect()?;
        conn.execute(
            &text("INSERT INTO dml_text (id, name, hits) VALUES (:id, :name, :id * 10)")
                .bind("id", 7)
                .bind("name", "O'Brien; DROP TABLE dml_text"),
        )?;
        conn.execute_with(
            &text("INSERT INTO dml_text (id, name) VALUES (:id, :name)"),
            &row! { "id" => 8, "name" => "Bob" },
        )?;
        // Values given at execution override bound ones; quoted ':words' are not parameters.
        let q =
            text("SELECT name, ':not_a_param' AS lit FROM dml_text WHERE id = :id").bind("id", 7);
        let got = conn.execute(&q)?.tuples::<(String, String)>()?;
        assert_eq!(
            got,
            [(s("O'Brien; DROP TABLE dml_text"), s(":not_a_param"))]
        );
        let got = conn
            .execute_with(&q, &row! { "id" => 8 })?
            .tuples::<(String, String)>()?;
        assert_eq!(got, [(s("Bob"), s(":not_a_param"))]);
        let r = conn.execute(
            &text("UPDATE dml_text SET hits = :h WHERE id >= :id")
                .bind("h", 1)
                .bind("id", 0),
        )?;
        assert_eq!(r.rowcount(), 2);
        let err = conn
            .execute(&text("SELECT :missing"))
            .expect_err("no value for :missing");
        assert!(
            matches!(&err, Error::InvalidRequest(m) if m.contains("missing")),
            "{err:?}"
        );
        drop(conn);
        assert_eq!(
            all(engine, &t)?,
            [
                (7, s("O'Brien; DROP TABLE dml_text"), Some(1)),
                (8, s("Bob"), Some(1))
            ]
        );
        Ok(())
    });
}

#[test]
fn execute_many_rows_by_position() {
    on_all(|engine| {
        let t = people(engine, "dml_many_rows")?;
        let mut conn = engine.connect()?;
        let rows = (1..=3).map(|i| vec![Value::from(i), Value::from(format!("p{i}"))]);
        assert_eq!(
            conn.execute_many_rows(&t.insert(), &["id", "name"], rows)?,
            3
        );
        // A short row is an error, and nothing of that call is written.
        let bad = vec![
            vec![Value::from(10), Value::from("ok")],
            vec![Value::from(11)],
        ];
        let err = conn
            .execute_many_rows(&t.insert(), &["id", "name"], bad)
            .expect_err("short row");
        assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
        assert!(err.to_string().contains("row 1"), "{err}");
        // Tuples of borrowed values: text is copied into the same parameter buffer row after
        // row (a long name, then shorter ones), and NULL in between leaves nothing behind.
        let names = ["a much longer name", "b", "c"];
        let rows = [
            (4i64, names[0], Some(7i64)),
            (5, names[1], None),
            (6, names[2], Some(9)),
        ];
        assert_eq!(
            conn.execute_many_rows(&t.insert(), &["id", "name", "hits"], rows.iter())?,
            3
        );
        // A row of the wrong width is refused before anything is written.
        let err = conn
            .execute_many_rows(&t.insert(), &["id", "name"], [(20i64, "x", 1i64)])
            .expect_err("three values for two columns");
        assert!(err.to_string().contains("3 values for 2 columns"), "{err}");
        drop(conn);
        assert_eq!(
            all(engine, &t)?,
            [
                (1, s("p1"), None),
                (2, s("p2"), None),
                (3, s("p3"), None),
                (4, s("a much longer name"), Some(7)),
                (5, s("b"), None),
                (6, s("c"), Some(9)),
            ]
        );
        Ok(())
    });
}

#[test]
fn execute_many_in_batches_with_client_side_defaults() {
    on_all(|engine| {
        let md = MetaData::new();
        let t = Table::build("dml_many_batches", &md)
            .column(Column::new("id", Type::Integer).primary_key())
            .column(Column::new("status", Type::String(Some(10))).default("new"))
            .finish()?;
        fresh(engine, &md)?;
        let mut conn = engine.connect()?;
        // More rows than one batch on the servers (500), with a partial last batch; the
        // `status` default is sent for every row.
        let n = conn.execute_many(&t.insert(), (1..=1203).map(|i| row! { "id" => i }))?;
        assert_eq!(n, 1203);
        let rows = (2001..=2603).map(|i| [Value::from(i)]);
        assert_eq!(conn.execute_many_rows(&t.insert(), &["id"], rows)?, 603);
        let counts: Vec<(String, i64)> = conn
            .execute(
                &select((t.c("status"), func::count_star().label("n"))).group_by(t.c("status")),
            )?
            .tuples()?;
        assert_eq!(counts, [(s("new"), 1806)]);
        let ids: Vec<i64> = conn.execute(&select(func::max(t.c("id"))))?.scalars()?;
        assert_eq!(ids, [2603]);
        Ok(())
    });
}

/// A column default that is a SQL expression is evaluated by the database for every row an
/// INSERT doesn't give it: single rows, `execute_many` (its values bound per row beside the
/// expression's own) and INSERT ... SELECT; a row that gives the column keeps its value.
#[test]
fn sql_expression_defaults_fill_single_many_and_from_select_inserts() {
    on_all(|engine| {
        let md = MetaData::new();
        let t = Table::build("expr_defaults", &md)
            .column(Column::new("id", Type::Integer).primary_key())
            .column(Column::new("n", Type::Integer).default_expr(literal(40) + literal(2)))
            .column(Column::new("label", Type::String(Some(20))).default("x"))
            .finish()?;
        fresh(engine, &md)?;
        let mut conn = engine.connect()?;
        conn.execute(&t.insert().values(row! { "id" => 1 }))?;
        conn.execute_with(&t.insert(), &row! { "id" => 2, "n" => 7 })?;
        conn.execute_many_rows(&t.insert(), &["id"], [(3_i64,), (4,), (5,)])?;
        conn.execute(
            &t.insert()
                .from_select(["id"], select(t.c("id") + 10).filter(t.c("id").lt(3))),
        )?;
        drop(conn);
        let got: Vec<(i64, i64, String)> = rows(engine, &select(&t).order_by(t.c("id")))?;
        let x = || s("x");
        assert_eq!(
            got,
            [
                (1, 42, x()),
                (2, 7, x()),
                (3, 42, x()),
                (4, 42, x()),
                (5, 42, x()),
                (11, 42, x()),
                (12, 42, x())
            ]
        );
        Ok(())
    });
}

/// `execute_many_returning` returns RETURNING's rows in the order of the parameter rows,
/// writes nothing when a row fails, and refuses an INSERT without `returning()`.
#[test]
fn execute_many_returning_in_parameter_order_all_or_nothing() {
    on_all(|engine| {
        if !engine
            .connect()?
            .engine()
            .dialect()
            .supports_returning(athanor::compiler::StatementKind::Insert)
        {
            return Ok(());
        }
        let t = people(engine, "imv_order")?;
        let mut conn = engine.connect()?;
        let names = ["e", "b", "d", "a", "c"];
        let r = conn.execute_many_returning(
            &t.insert().returning((t.c("name"), t.c("id"))),
            names.map(|n| row! { "name" => n }),
        )?;
        let got: Vec<(String, i64)> = r.tuples()?;
        assert_eq!(
            got.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(),
            names
        );
        assert_eq!(
            got.iter().map(|(_, i)| *i).collect::<Vec<_>>(),
            [1, 2, 3, 4, 5]
        );
        // A duplicate name (UNIQUE) in the third row: nothing of the call is kept.
        let err = conn
            .execute_many_returning(
                &t.insert().returning(t.c("id")),
                ["f", "g", "a"].map(|n| row! { "name" => n }),
            )
            .err();
        assert!(matches!(err, Some(Error::Integrity(_))), "{err:?}");
        let err = conn
            .execute_many_returning(&t.insert(), [row! { "name" => "h" }])
            .err();
        assert!(matches!(err, Some(Error::InvalidRequest(_))), "{err:?}");
        drop(conn);
        assert_eq!(all(engine, &t)?.len(), 5);
        Ok(())
    });
}

/// `return_defaults()` fetches the generated key through RETURNING where the dialect has it
/// (even beside a last row id): the result names the column and has no rows; the key is
/// `inserted_primary_key`. A key given in the values is reported without RETURNING.
#[test]
fn return_defaults_fetches_the_generated_key() {
    on_all(|engine| {
        let t = people(engine, "ret_defaults")?;
        let mut conn = engine.connect()?;
        let returning = conn
            .engine()
            .dialect()
            .supports_returning(athanor::compiler::StatementKind::Insert);
        let r = conn.execute(&t.insert().return_defaults().values(row! { "name" => "a" }))?;
        assert_eq!(r.inserted_primary_key(), Some(&Value::Int(1)));
        if returning {
            assert_eq!(r.columns(), ["id"]);
        } else {
            assert!(r.columns().is_empty());
        }
        assert!(r.first()?.is_none());
        let r = conn.execute(
            &t.insert()
                .return_defaults()
                .values(row! { "id" => 9, "name" => "b" }),
        )?;
        assert_eq!(r.inserted_primary_key(), Some(&Value::Int(9)));
        assert!(r.columns().is_empty());
        drop(conn);
        assert_eq!(all(engine, &t)?.len(), 2);
        Ok(())
    });
}
