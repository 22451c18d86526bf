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

/// One engine's cache serves engines and connections with different schema translate maps
/// (they share it): each execution reads its own schema's table, warm or cold, whichever map
/// compiled the shape first — the differential check of the map being part of the key.
#[test]
fn a_schema_translate_map_never_leaks_through_the_cache() -> Result<()> {
    use athanor::ExecutionOptions;
    use athanor::compiler::SchemaTranslateMap;
    // One connection: its attached in-memory databases are its own.
    let engine = create_engine_with(
        "sqlite://",
        EngineOptions::new().pool_size(1).max_overflow(0),
    )?;
    let mut setup = engine.connect()?;
    for (schema, x) in [("a", 1), ("b", 2), ("main", 3)] {
        if schema != "main" {
            setup.exec_driver_sql(&format!("ATTACH DATABASE ':memory:' AS {schema}"))?;
        }
        setup.exec_driver_sql(&format!(
            "CREATE TABLE {schema}.t (x INTEGER); INSERT INTO {schema}.t VALUES ({x})"
        ))?;
    }
    drop(setup);
    let md = MetaData::new();
    let t = Table::build("t", &md)
        .schema("tenant")
        .column(Column::new("x", Type::Integer))
        .finish()?;
    let to = |schema: Option<&str>| {
        ExecutionOptions::new()
            .schema_translate_map(SchemaTranslateMap::new().translate(Some("tenant"), schema))
    };
    let (ea, eb) = (
        engine.execution_options(to(Some("a"))),
        engine.execution_options(to(Some("b"))),
    );
    let stmt = select(t.c("x")).filter(t.c("x").gt(0));
    let x = |conn: &mut Connection| conn.scalar::<i64, _>(&stmt);
    for _ in 0..3 {
        assert_eq!(x(&mut ea.connect()?)?, 1);
        assert_eq!(x(&mut eb.connect()?)?, 2);
        // A connection's own map wins over its engine's; `None` is the default schema.
        let mut conn = ea.connect()?;
        conn.execution_options(to(None));
        assert_eq!(x(&mut conn)?, 3);
        drop(conn);
        // No map: `tenant` itself, which doesn't exist.
        assert!(x(&mut engine.connect()?).is_err());
    }
    // Three maps and none: four shapes in the one cache, each compiled once.
    let stats = engine.cache_stats();
    assert_eq!(stats.misses, 4, "{stats:?}");
    assert_eq!(stats.hits, 8, "{stats:?}");
    Ok(())
}
