//! Ported from SQLAlchemy's compliance suite, `test_insert.py`: the INSERT behaviours issue 17
//! found Athanor getting wrong, on every database.

use athanor::prelude::*;
use athanor::{Engine, Error, Result};

use super::support::{fresh, on_all, rows, s};

// ported from test_insert.py::InsertBehaviorTest::test_insert_from_select_with_defaults
#[test]
fn insert_from_select_with_defaults() {
    on_all(|engine| {
        let md = MetaData::new();
        let t = Table::build("cmp_includes_defaults", &md)
            .column(Column::new("id", Type::Integer).primary_key())
            .column(Column::new("data", Type::String(Some(50))))
            .column(Column::new("x", Type::Integer).default(5))
            .column(Column::new("y", Type::Integer).default(4))
            .finish()?;
        fresh(engine, &md)?;
        let mut conn = engine.connect()?;
        conn.execute(&t.insert().values_many([
            row! { "id" => 1, "data" => "data1" },
            row! { "id" => 2, "data" => "data2" },
            row! { "id" => 3, "data" => "data3" },
        ]))?;
        let src = select((t.c("id") + 5, t.c("data"))).filter(t.c("data").in_(["data2", "data3"]));
        let stmt = t.insert().from_select(["id", "data"], src);
        // The defaults of the columns the INSERT doesn't name join the SELECT's columns.
        if engine.dialect().name() == "sqlite" {
            assert_eq!(
                stmt.compile(engine.dialect())?.sql(),
                "INSERT INTO cmp_includes_defaults (id, data, x, y) \
                 SELECT cmp_includes_defaults.id + ? AS anon_1, cmp_includes_defaults.data, ?, ? \
                 FROM cmp_includes_defaults WHERE cmp_includes_defaults.data IN (?, ?)"
            );
        }
        conn.execute(&stmt)?;
        drop(conn);
        let got: Vec<(i64, String, Option<i64>, Option<i64>)> =
            rows(engine, &select(&t).order_by(t.c("id")))?;
        assert_eq!(
            got,
            [
                (1, s("data1"), Some(5), Some(4)),
                (2, s("data2"), Some(5), Some(4)),
                (3, s("data3"), Some(5), Some(4)),
                (7, s("data2"), Some(5), Some(4)),
                (8, s("data3"), Some(5), Some(4)),
            ]
        );
        Ok(())
    });
}

/// The suite's `autoinc_pk`: `{name}(id INTEGER PK autoincrement, data VARCHAR(50))`, and
/// `x` with a client-side default of 7 (the part of `includes_defaults` these tests need).
fn autoinc_pk(engine: &Engine, name: &str) -> Result<Table> {
    let md = MetaData::new();
    let t = Table::build(name, &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .column(Column::new("data", Type::String(Some(50))))
        .column(Column::new("x", Type::Integer).default(7))
        .finish()?;
    fresh(engine, &md)?;
    Ok(t)
}

type Rows = Vec<(i64, Option<String>, Option<i64>)>;

// ported from test_insert.py::LastrowidTest::test_autoincrement_on_insert and
// test_last_inserted_id: a bare insert() executed with parameters inserts just those keys
// (the key is generated; the default fills x), and the generated key is inserted_primary_key.
#[test]
fn insert_with_params_autoincrement_and_last_inserted_id() {
    on_all(|engine| {
        let t = autoinc_pk(engine, "cmp_autoinc_params")?;
        let mut conn = engine.connect()?;
        let r = conn.execute_with(&t.insert(), &row! { "data" => "some data" })?;
        assert_eq!(r.rowcount(), 1);
        let key = r.inserted_primary_key().cloned();
        let r = conn.execute_with(&t.insert(), &row! { "data" => "more", "x" => 9 })?;
        let key2 = r.inserted_primary_key().cloned();
        // A key given in the parameters is the inserted key.
        let r = conn.execute_with(&t.insert(), &row! { "id" => 40, "data" => "given" })?;
        assert_eq!(r.inserted_primary_key(), Some(&Value::Int(40)));
        drop(conn);
        let got: Rows = rows(engine, &select(&t).order_by(t.c("id")))?;
        assert_eq!(
            got,
            [
                (1, Some(s("some data")), Some(7)),
                (2, Some(s("more")), Some(9)),
                (40, Some(s("given")), Some(7)),
            ]
        );
        assert_eq!(key, Some(Value::Int(1)));
        assert_eq!(key2, Some(Value::Int(2)));
        Ok(())
    });
}

// ported from test_insert.py::InsertBehaviorTest::test_empty_insert (and
// test_autoclose_on_insert): a bare insert() with no parameters inserts a row of defaults
// and returns no rows.
#[test]
fn empty_insert() {
    on_all(|engine| {
        let t = autoinc_pk(engine, "cmp_empty_insert")?;
        let mut conn = engine.connect()?;
        let r = conn.execute(&t.insert())?;
        assert_eq!(r.rowcount(), 1);
        assert_eq!(r.inserted_primary_key(), Some(&Value::Int(1)));
        // An empty parameter map is the same.
        conn.execute_with(&t.insert(), &row! {})?;
        drop(conn);
        let got: Rows = rows(engine, &select(&t).order_by(t.c("id")))?;
        assert_eq!(got, [(1, None, Some(7)), (2, None, Some(7))]);
        Ok(())
    });
}

// ported from test_insert.py::InsertBehaviorTest::test_empty_insert_multiple
#[test]
fn empty_insert_multiple() {
    on_all(|engine| {
        let t = autoinc_pk(engine, "cmp_empty_multi")?;
        let mut conn = engine.connect()?;
        let n = conn.execute_many(&t.insert(), [row! {}, row! {}, row! {}])?;
        assert_eq!(n, 3);
        drop(conn);
        let got: Rows = rows(engine, &select(&t).order_by(t.c("id")))?;
        assert_eq!(
            got,
            [(1, None, Some(7)), (2, None, Some(7)), (3, None, Some(7))]
        );
        Ok(())
    });
}

// A key that is no column of the table is refused by name, as SQLAlchemy refuses
// "unconsumed column names", and nothing is written.
#[test]
fn insert_with_params_unknown_key() {
    on_all(|engine| {
        let t = autoinc_pk(engine, "cmp_params_unknown")?;
        let mut conn = engine.connect()?;
        let err = conn
            .execute_with(&t.insert(), &row! { "data" => "d", "nope" => 1 })
            .err();
        assert!(matches!(err, Some(Error::NoSuchColumn(_))), "{err:?}");
        drop(conn);
        let got: Rows = rows(engine, &select(&t))?;
        assert_eq!(got, []);
        Ok(())
    });
}

/// A bare `insert()` executed with a map naming every column against the general path
/// (`insert().values(map)`): over generated rows, with the keys in every order, NULLs, an
/// explicit key and UUID text (which a `Uuid` column stores in its own form), both write the
/// same rows and report the same inserted key. (A fast path that ran the statement as it is
/// skipped the UUID conversion: this test is what caught it.)
#[test]
fn a_full_row_map_writes_what_insert_values_writes() {
    on_all(|engine| {
        let md = MetaData::new();
        let mk = |name: &str| {
            Table::build(name, &md)
                .column(Column::new("id", Type::Integer).primary_key())
                .column(Column::new("name", Type::String(Some(40))))
                .column(Column::new("n", Type::Integer).default(7))
                .column(Column::new("u", Type::Uuid))
                .finish()
        };
        let (fast, slow) = (mk("cmp_full_fast")?, mk("cmp_full_slow")?);
        fresh(engine, &md)?;
        let mut conn = engine.connect()?;
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let orders: [[&str; 4]; 6] = [
            ["id", "name", "n", "u"],
            ["id", "u", "n", "name"],
            ["name", "id", "u", "n"],
            ["u", "name", "n", "id"],
            ["n", "id", "name", "u"],
            ["n", "u", "name", "id"],
        ];
        for id in 1..=60i64 {
            let name: Value = if next() % 5 == 0 {
                Value::Null
            } else {
                Value::Text(format!("row {}", next() % 1000))
            };
            let n: Value = if next() % 4 == 0 {
                Value::Null
            } else {
                Value::Int((next() % 200) as i64 - 100)
            };
            let mut map = Values::default();
            for key in orders[(next() % 6) as usize] {
                let v = match key {
                    "id" => Value::Int(id),
                    "name" => name.clone(),
                    "u" => Value::Text(format!("67e55044-10b1-426f-9247-bb680e5f{id:04x}")),
                    _ => n.clone(),
                };
                map = map.set(key, v);
            }
            let a = conn.execute_with(&fast.insert(), &map)?;
            let b = conn.execute(&slow.insert().values(map.clone()))?;
            assert_eq!(
                a.inserted_primary_key(),
                b.inserted_primary_key(),
                "row {id}"
            );
            assert_eq!(a.inserted_primary_key(), Some(&Value::Int(id)));
        }
        drop(conn);
        type R = (i64, Option<String>, Option<i64>, Option<String>);
        // Read as stored (a text() query: no result processing), so a value written in
        // another form shows.
        let read = |t: &Table| {
            rows::<R>(
                engine,
                &text(&format!(
                    "SELECT id, name, n, u FROM {} ORDER BY id",
                    t.name()
                )),
            )
        };
        let (got_fast, got_slow) = (read(&fast)?, read(&slow)?);
        assert_eq!(got_fast.len(), 60);
        assert_eq!(got_fast, got_slow);
        Ok(())
    });
}

/// The reshaped bare `insert()` a connection keeps for the next execution with the same keys
/// is only reused where rebuilding it would give the same statement: over generated
/// executions that switch between key subsets (the autoincrement key left out or given) and
/// between two `Table` objects for one table whose defaults differ (a table's default values
/// are not part of its shape), every row is what `insert().values(map)` writes.
#[test]
fn a_reused_bare_insert_shape_writes_what_a_fresh_one_writes() {
    on_all(|engine| {
        // Two `Table` objects (in two MetaData) for each database table, alike but for the
        // default of `n`, which is not part of a table's shape.
        let (md7, md8) = (MetaData::new(), MetaData::new());
        let mk = |md: &MetaData, name: &str, default: i64| {
            Table::build(name, md)
                .column(Column::new("id", Type::Integer).primary_key())
                .column(Column::new("name", Type::String(Some(40))))
                .column(Column::new("n", Type::Integer).default(default))
                .column(Column::new("u", Type::Uuid))
                .finish()
        };
        let fast = [mk(&md7, "reuse_fast", 7)?, mk(&md8, "reuse_fast", 8)?];
        let slow = [mk(&md7, "reuse_slow", 7)?, mk(&md8, "reuse_slow", 8)?];
        fresh(engine, &md7)?;
        let mut conn = engine.connect()?;
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut sevens = 0;
        for id in 1..=120i64 {
            let which = (next() % 2) as usize;
            let mut map = Values::default();
            // The first rows take their key from the database (a sequence on PostgreSQL
            // would collide with keys given before it), the rest give it.
            if id > 12 {
                map = map.set("id", id);
            }
            if next() % 2 == 0 {
                map = map.set("name", format!("row {id}"));
            }
            if next() % 2 == 0 {
                map = map.set("n", (next() % 50) as i64 + 100);
            } else if which == 0 {
                sevens += 1;
            }
            if next() % 2 == 0 {
                map = map.set("u", format!("67e55044-10b1-426f-9247-bb680e5f{id:04x}"));
            }
            let a = conn.execute_with(&fast[which].insert(), &map)?;
            let b = conn.execute(&slow[which].insert().values(map.clone()))?;
            assert_eq!(
                a.inserted_primary_key(),
                b.inserted_primary_key(),
                "row {id}"
            );
            assert_eq!(a.inserted_primary_key(), Some(&Value::Int(id)), "row {id}");
        }
        drop(conn);
        type R = (i64, Option<String>, Option<i64>, Option<String>);
        let read = |name: &str| {
            rows::<R>(
                engine,
                &text(&format!("SELECT id, name, n, u FROM {name} ORDER BY id")),
            )
        };
        let got = read("reuse_fast")?;
        assert_eq!(got.len(), 120);
        assert_eq!(got, read("reuse_slow")?);
        assert_eq!(got.iter().filter(|r| r.2 == Some(7)).count(), sevens);
        Ok(())
    });
}
