//! A differential test of INSERT paths (not one of SQLAlchemy's suite tests, which live in
//! `tests/compliance/test_insert.rs`), on every database.

use athanor::prelude::*;

use super::support::{fresh, on_all, rows};

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
