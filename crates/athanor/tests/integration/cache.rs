//! The compiled-statement cache on a real database: a statement run through a warm cache
//! sends exactly what it would send compiled afresh, so it gets exactly its own rows.

use athanor::prelude::*;
use athanor::{Engine, Result};

use super::support::{fresh, on_all, org, rows, scalars};

/// Employee ids matching a condition, in id order.
fn ids(engine: &Engine, t: &Table, cond: Expr) -> Result<Vec<i64>> {
    scalars(engine, &select(t.c("id")).filter(cond).order_by(t.c("id")))
}

#[test]
fn one_list_or_subquery_used_twice_lends_nothing_to_two() {
    on_all(|engine| {
        let o = org(engine, "cache_share")?;
        let e = &o.emp;
        let id = || e.c("id");
        // One IN list used twice (through a clone), then two lists of the same shape.
        let shared = id().in_([3, 4]);
        assert_eq!(ids(engine, e, shared.clone() | shared)?, [3, 4]);
        assert_eq!(ids(engine, e, id().in_([3, 4]) | id().in_([5]))?, [3, 4, 5]);
        assert_eq!(ids(engine, e, id().in_([1]) | id().in_([2, 5]))?, [1, 2, 5]);
        // One scalar subquery used twice, then two.
        let manager_of = |name: &str| {
            select(e.c("manager_id"))
                .filter(e.c("name").eq(name))
                .scalar_subquery()
        };
        let shared = manager_of("Bob");
        assert_eq!(
            ids(engine, e, id().eq(shared.clone()) | id().eq(shared))?,
            [1]
        );
        assert_eq!(
            ids(
                engine,
                e,
                id().eq(manager_of("Bob")) | id().eq(manager_of("eve"))
            )?,
            [1, 3]
        );
        Ok(())
    });
}

#[test]
fn tables_of_one_name_with_and_without_a_default_share_no_entry() {
    on_all(|engine| {
        let plain_md = MetaData::new();
        let plain = Table::build("cache_items", &plain_md)
            .column(
                Column::new("id", Type::Integer)
                    .primary_key()
                    .autoincrement(false),
            )
            .column(Column::new("label", Type::String(Some(20))))
            .finish()?;
        fresh(engine, &plain_md)?;
        let defaulted_md = MetaData::new();
        let defaulted = Table::build("cache_items", &defaulted_md)
            .column(
                Column::new("id", Type::Integer)
                    .primary_key()
                    .autoincrement(false),
            )
            .column(Column::new("label", Type::String(Some(20))).default("n/a"))
            .finish()?;
        let mut conn = engine.connect()?;
        conn.execute(&defaulted.insert().values(row! { "id" => 1 }))?;
        conn.execute(&plain.insert().values(row! { "id" => 2 }))?;
        conn.execute(&plain.insert().values(row! { "id" => 3 }))?;
        conn.execute(&defaulted.insert().values(row! { "id" => 4 }))?;
        drop(conn);
        let got: Vec<(i64, Option<String>)> =
            rows(engine, &select(&plain).order_by(plain.c("id")))?;
        let n_a = Some("n/a".to_string());
        assert_eq!(got, [(1, n_a.clone()), (2, None), (3, None), (4, n_a)]);
        Ok(())
    });
}
