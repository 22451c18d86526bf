//! The statement cache: one compiled entry per statement shape, whatever its values.

use athanor_core::compiler::{StatementCache, statement_binds};
use athanor_core::dialect::{Dialect, MySql, Postgres, Sqlite};
use athanor_core::prelude::*;

use crate::{assert_compile, fixture};

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

/// Looks `stmt` up in `cache` (warmed by whatever ran before) and asserts that the entry it
/// gets renders exactly what a fresh, uncached compile does: SQL text, parameter values,
/// result columns and inserted-key column. Returns whether the lookup was a hit.
#[track_caller]
fn assert_warm_is_fresh(
    cache: &StatementCache,
    stmt: &impl Compile,
    dialect: &dyn Dialect,
) -> bool {
    let fresh = stmt.compile(dialect).expect("compiles fresh");
    let (warm, since) = cache.get(stmt.statement(), dialect).expect("compiles warm");
    let binds = statement_binds(stmt.statement());
    let params: Vec<Value> = warm
        .params(&binds, &|_| None)
        .unwrap_or_else(|e| panic!("{}: cached shape lost a parameter: {e}", dialect.name()))
        .into_iter()
        .cloned()
        .collect();
    assert_eq!(
        warm.sql_for(&binds, &|_| None),
        fresh.sql(),
        "SQL on {}",
        dialect.name()
    );
    assert_eq!(params, fresh.params(), "parameters on {}", dialect.name());
    let f = fresh.compiled();
    assert_eq!(
        warm.columns,
        f.columns,
        "result columns on {}",
        dialect.name()
    );
    assert_eq!(
        warm.autoincrement_column,
        f.autoincrement_column,
        "autoincrement column on {}",
        dialect.name()
    );
    since.is_some()
}

/// Runs `first` then `second` through one warm cache per dialect, in both orders, each
/// checked against a fresh compile.
#[track_caller]
fn assert_both_orders(first: &impl Compile, second: &impl Compile) {
    for d in [&Sqlite as &dyn Dialect, &Postgres, &MySql] {
        let cache = StatementCache::new(100);
        assert_warm_is_fresh(&cache, first, d);
        assert_warm_is_fresh(&cache, second, d);
        let cache = StatementCache::new(100);
        assert_warm_is_fresh(&cache, second, d);
        assert_warm_is_fresh(&cache, first, d);
    }
}

#[test]
fn one_in_list_used_twice_does_not_lend_its_mapping_to_two_lists() {
    let f = fixture();
    let id = || f.users.c("id");
    let shared = id().in_([3, 4]);
    let once_twice = select(id()).filter(shared.clone() | shared);
    let two = select(id()).filter(id().in_([3, 4]) | id().in_([5]));
    assert_compile(
        &two,
        &Postgres,
        "SELECT users.id FROM users WHERE users.id IN ($1, $2) OR users.id IN ($3)",
        &vals![3, 4, 5],
    );
    assert_both_orders(&once_twice, &two);
}

#[test]
fn one_scalar_subquery_used_twice_does_not_lend_its_mapping_to_two() {
    let f = fixture();
    let body = |text: &str| {
        select(f.messages.c("sender_id"))
            .filter(f.messages.c("body").eq(text))
            .limit(1)
            .scalar_subquery()
    };
    let shared = body("x");
    let id = || f.users.c("id");
    let once_twice = select(id()).filter(id().eq(shared.clone()) | id().lt(shared));
    let two = select(id()).filter(id().eq(body("x")) | id().lt(body("y")));
    assert_compile(
        &two,
        &Sqlite,
        "SELECT users.id FROM users WHERE users.id = (SELECT messages.sender_id FROM messages \
         WHERE messages.body = ? LIMIT ?) OR users.id < (SELECT messages.sender_id FROM messages \
         WHERE messages.body = ? LIMIT ?)",
        &vals!["x", 1, "y", 1],
    );
    assert_both_orders(&once_twice, &two);
    // The same through IN (SELECT ...) and EXISTS.
    let in_body = |n: i64| select(f.messages.c("sender_id")).filter(f.messages.c("id").gt(n));
    let shared = id().in_select(in_body(1));
    assert_both_orders(
        &select(id()).filter(shared.clone() & shared),
        &select(id()).filter(id().in_select(in_body(1)) & id().in_select(in_body(2))),
    );
    let shared = in_body(1).exists();
    assert_both_orders(
        &select(id()).filter(shared.clone() | shared),
        &select(id()).filter(in_body(1).exists() | in_body(2).exists()),
    );
}

#[test]
fn a_client_side_default_keys_apart_from_a_table_without_it() {
    let plain_md = MetaData::new();
    let plain = Table::build("items", &plain_md)
        .column(Column::new("id", Type::Integer).primary_key())
        .column(Column::new("label", Type::String(Some(20))))
        .finish()
        .unwrap();
    let defaulted_md = MetaData::new();
    let defaulted = Table::build("items", &defaulted_md)
        .column(Column::new("id", Type::Integer).primary_key())
        .column(Column::new("label", Type::String(Some(20))).default("n/a"))
        .finish()
        .unwrap();
    let a = plain.insert().values(row! { "id" => 1 });
    let b = defaulted.insert().values(row! { "id" => 1 });
    assert_compile(&a, &Sqlite, "INSERT INTO items (id) VALUES (?)", &vals![1]);
    assert_compile(
        &b,
        &Sqlite,
        "INSERT INTO items (id, label) VALUES (?, ?)",
        &vals![1, "n/a"],
    );
    assert_both_orders(&a, &b);
    // A multi-row insert too.
    let rows = || vec![row! { "id" => 1 }, row! { "id" => 2 }];
    assert_both_orders(
        &plain.insert().values_many(rows()),
        &defaulted.insert().values_many(rows()),
    );
}

#[test]
fn the_primary_key_keys_apart_where_the_compiler_reads_it() {
    let build = |pk: &str| {
        let md = MetaData::new();
        let col = |name: &str| {
            let c = Column::new(name, Type::Integer);
            if name == pk { c.primary_key() } else { c }
        };
        Table::build("kv", &md)
            .column(col("k"))
            .column(col("v"))
            .finish()
            .unwrap()
    };
    let (by_k, by_v) = (build("k"), build("v"));
    // Which column reports the inserted key.
    let ins = |t: &Table| t.insert().values(row! { "v" => 1 });
    assert_eq!(
        ins(&by_k)
            .compile(&Sqlite)
            .unwrap()
            .compiled()
            .autoincrement_column,
        Some("k".to_string())
    );
    assert_both_orders(&ins(&by_k), &ins(&by_v));
    // MySQL's ON DUPLICATE KEY UPDATE names the primary key for DO NOTHING.
    let upsert = |t: &Table| {
        t.insert()
            .values(row! { "k" => 1, "v" => 2 })
            .on_conflict_do_nothing(Vec::<&str>::new())
    };
    assert_compile(
        &upsert(&by_v),
        &MySql,
        "INSERT INTO kv (k, v) VALUES (?, ?) ON DUPLICATE KEY UPDATE v = v",
        &vals![1, 2],
    );
    let cache = StatementCache::new(10);
    assert_warm_is_fresh(&cache, &upsert(&by_k), &MySql);
    assert_warm_is_fresh(&cache, &upsert(&by_v), &MySql);
}

#[test]
fn aliases_key_by_identity_as_they_render() {
    let f = fixture();
    let body = || {
        select(f.users.c("id"))
            .filter(f.users.c("age").gt(1))
            .subquery_anon()
    };
    // One anonymous subquery used twice is one FROM item; two equal ones are two.
    let one = body();
    let two = body();
    let shared = select((one.c("id"), one.c("id")));
    let distinct = select((one.c("id"), two.c("id")));
    assert_compile(
        &distinct,
        &Sqlite,
        "SELECT anon_1.id, anon_2.id FROM (SELECT users.id FROM users WHERE users.age > ?) \
         AS anon_1, (SELECT users.id FROM users WHERE users.age > ?) AS anon_2",
        &vals![1, 1],
    );
    assert_both_orders(&shared, &distinct);
    // Named aliases of a table, one or two objects of the same name.
    let a = f.users.alias("u");
    let b = f.users.alias("u");
    assert_both_orders(
        &select((a.c("id"), a.c("name"))),
        &select((a.c("id"), b.c("name"))),
    );
}

#[test]
fn a_column_of_a_named_subquery_keys_by_what_the_subquery_holds() {
    let f = fixture();
    let by_gt = select(f.users.c("id"))
        .filter(f.users.c("age").gt(1))
        .subquery("sq");
    let by_in = select(f.users.c("id"))
        .filter(f.users.c("age").in_([1, 2]))
        .subquery("sq");
    assert_both_orders(&select(by_gt.c("id")), &select(by_in.c("id")));
    // A CTE of one name with other bodies.
    let cte_a = select(f.users.c("id"))
        .filter(f.users.c("age").gt(1))
        .cte("c");
    let cte_b = select(f.users.c("id"))
        .filter(f.users.c("name").eq("x"))
        .cte("c");
    assert_both_orders(&select(cte_a.c("id")), &select(cte_b.c("id")));
}
