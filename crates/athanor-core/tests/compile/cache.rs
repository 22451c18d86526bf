//! The statement cache: one compiled entry per statement shape, whatever its values.

use athanor_core::compiler::{StatementCache, statement_binds};
use athanor_core::dialect::{MySql, Postgres, Sqlite};
use athanor_core::prelude::*;

use crate::fixture;

#[test]
fn statements_differing_only_in_values_share_an_entry() {
    let f = fixture();
    let cache = StatementCache::new(100);
    let stmt = |age: f64, names: &[&str], limit: u64| {
        select(f.users.c("id"))
            .filter(f.users.c("age").gt(age) & f.users.c("name").in_(names.iter().copied()))
            .limit(limit)
    };
    let first = stmt(30.0, &["a"], 10);
    let (compiled, since) = cache.get(first.statement(), &Postgres).expect("compiles");
    assert!(since.is_none(), "the first lookup compiles");
    assert_eq!(
        compiled.static_sql(),
        None,
        "an IN list is sized at execution"
    );

    let second = stmt(40.0, &["b", "c", "d"], 5);
    let (cached, since) = cache.get(second.statement(), &Postgres).expect("cached");
    assert!(since.is_some(), "same shape, new values: a cache hit");
    assert!(std::sync::Arc::ptr_eq(&compiled, &cached));
    let stats = cache.stats();
    assert_eq!((stats.hits, stats.misses, stats.size), (1, 1, 1));

    // The cached shape renders the new statement's SQL and picks its values.
    let binds = statement_binds(second.statement());
    assert_eq!(
        cached.sql_for(&binds, &|_| None),
        "SELECT users.id FROM users WHERE users.age > $1::DOUBLE PRECISION AND users.name IN ($2, $3, $4) LIMIT $5"
    );
    let params = cached
        .params(&binds, &|_| None)
        .expect("all values are bound");
    let expected = vals![40.0, "b", "c", "d", 5];
    assert_eq!(params, expected.iter().collect::<Vec<_>>());
    assert_eq!(
        second.compile(&Postgres).expect("compiles").params(),
        expected.as_slice()
    );

    // An empty list is the same shape too.
    let third = stmt(1.0, &[], 1);
    let (cached, since) = cache.get(third.statement(), &Postgres).expect("cached");
    assert!(since.is_some());
    let binds = statement_binds(third.statement());
    assert_eq!(
        cached.params(&binds, &|_| None).expect("values"),
        [&Value::from(1.0), &Value::from(1)]
    );
}

#[test]
fn different_shapes_and_dialects_get_different_entries() {
    let f = fixture();
    let cache = StatementCache::new(100);
    let shapes = [
        select(f.users.c("id")).filter(f.users.c("age").gt(1)),
        select(f.users.c("id")).filter(f.users.c("age").lt(1)),
        select(f.users.c("name")).filter(f.users.c("age").gt(1)),
        select(f.users.c("id"))
            .filter(f.users.c("age").gt(1))
            .limit(1),
        select(f.users.c("id")).filter(f.users.c("age").gt(1) & f.users.c("id").eq(2)),
        select(f.artist.c("ArtistId")).filter(f.artist.c("Name").eq("x")),
    ];
    for s in &shapes {
        let (_, since) = cache.get(s.statement(), &Sqlite).expect("compiles");
        assert!(since.is_none(), "a new shape compiles: {s}");
    }
    assert_eq!(cache.stats().size, shapes.len());
    // The same shape on another dialect is another entry.
    let (c, since) = cache.get(shapes[0].statement(), &MySql).expect("compiles");
    assert!(since.is_none());
    assert_eq!(
        c.static_sql(),
        Some("SELECT users.id FROM users WHERE users.age > ?")
    );
    let (c, since) = cache
        .get(shapes[0].statement(), &Postgres)
        .expect("compiles");
    assert!(since.is_none());
    assert_eq!(
        c.static_sql(),
        Some("SELECT users.id FROM users WHERE users.age > $1")
    );
    assert_eq!(cache.stats().size, shapes.len() + 2);
    // A value of another kind is another shape (a dialect may cast it): a miss.
    let (_, since) = cache
        .get(
            select(f.users.c("id"))
                .filter(f.users.c("age").gt("7"))
                .statement(),
            &Sqlite,
        )
        .expect("compiles");
    assert!(since.is_none());
}

#[test]
fn insert_and_update_values_are_picked_on_a_hit() {
    let f = fixture();
    let cache = StatementCache::new(10);
    let ins = |name: &str, age: f64| {
        f.users
            .insert()
            .values(row! { "name" => name, "age" => age })
    };
    cache
        .get(ins("a", 1.0).statement(), &Sqlite)
        .expect("compiles");
    let second = ins("b", 2.0);
    let (c, since) = cache.get(second.statement(), &Sqlite).expect("cached");
    assert!(since.is_some());
    let binds = statement_binds(second.statement());
    assert_eq!(
        c.params(&binds, &|_| None).expect("values"),
        [&Value::from("b"), &Value::from(2.0)]
    );

    let up = |age: i64, id: i64| {
        f.users
            .update()
            .set("age", age)
            .filter(f.users.c("id").eq(id))
    };
    cache.get(up(1, 2).statement(), &MySql).expect("compiles");
    let second = up(3, 4);
    let (c, since) = cache.get(second.statement(), &MySql).expect("cached");
    assert!(since.is_some());
    assert_eq!(
        c.static_sql(),
        Some("UPDATE users SET age = ? WHERE users.id = ?")
    );
    let binds = statement_binds(second.statement());
    assert_eq!(
        c.params(&binds, &|_| None).expect("values"),
        [&Value::from(3), &Value::from(4)]
    );
}

#[test]
fn text_values_are_named() {
    let cache = StatementCache::new(10);
    let t = |id: i64| text("SELECT name FROM users WHERE id = :id").bind("id", id);
    cache.get(t(1).statement(), &Sqlite).expect("compiles");
    let second = t(2);
    let (c, since) = cache.get(second.statement(), &Sqlite).expect("cached");
    assert!(since.is_some());
    let two = Value::from(2);
    let binds = statement_binds(second.statement());
    let params = c
        .params(&binds, &|n| (n == "id").then_some(&two))
        .expect("id is given");
    assert_eq!(params, [&two]);
}

#[test]
fn shapes_remember_their_result_columns_unless_the_schema_decides_them() {
    use athanor_core::compiler::ResultColumns;
    use std::sync::Arc;
    let md = MetaData::new();
    let t = Table::build("t", &md)
        .column(Column::new("id", Type::Integer))
        .finish()
        .unwrap();
    let names = Arc::new(ResultColumns::new(vec!["id".into()]));
    let by_columns = select(t.c("id")).compile(&Sqlite).unwrap();
    assert!(by_columns.compiled().result_columns().is_none());
    by_columns.compiled().remember_result_columns(&names);
    assert_eq!(
        by_columns
            .compiled()
            .result_columns()
            .map(|c| c.names().to_vec()),
        Some(vec!["id".to_string()])
    );
    // Set once: a later report doesn't replace the first.
    by_columns
        .compiled()
        .remember_result_columns(&Arc::new(ResultColumns::new(vec!["x".into()])));
    assert_eq!(
        by_columns.compiled().result_columns().unwrap().names(),
        ["id"]
    );
    // `*` and text() follow the schema: never remembered.
    let star_sql = select(star()).select_from(&t).compile(&Sqlite).unwrap();
    star_sql.compiled().remember_result_columns(&names);
    assert!(star_sql.compiled().result_columns().is_none());
    let raw = text("SELECT id FROM t").compile(&Sqlite).unwrap();
    raw.compiled().remember_result_columns(&names);
    assert!(raw.compiled().result_columns().is_none());
}
