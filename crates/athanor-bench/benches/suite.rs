//! The benchmark suite: Athanor Core and the raw driver side by side, per backend.
//!
//! Group ids are `<backend>/<workload>`, function ids the implementation (`athanor`, `raw`);
//! `src/bin/report.rs` reads criterion's estimates back. `ATHANOR_BENCH_BACKENDS` (comma list
//! of `sqlite-mem,sqlite-file,postgresql,mariadb`) and `ATHANOR_BENCH_ONLY` (comma list of
//! workload-name substrings) narrow a run; `ATHANOR_BENCH_SKIP` (`backend/workload`
//! substrings) leaves groups out; `ATHANOR_BENCH_PAIRED_OUT` names the file for the
//! alternated ratios. `ATHANOR_BENCH_PAIRED_ONLY=1` skips criterion's measurements and runs
//! only the alternated ratios (a quick check on a loaded machine; the report needs criterion's).

#![allow(missing_docs, clippy::unwrap_used)]

use std::hint::black_box;
use std::time::Duration;

use athanor::prelude::*;
use athanor_bench::workloads::*;
use athanor_bench::{
    BIG, Backend, Customer, Raw, Tables, User, copy_sqlite, customer, lookup_ids, user,
};
use athanor_bench_harness::{Paired, Weight, group, timed, timed_with_cleanup, wants};
use criterion::Criterion;

/// `ATHANOR_BENCH_PAIRED_ONLY` set (and not empty): only the alternated ratios are measured.
fn paired_only() -> bool {
    std::env::var_os("ATHANOR_BENCH_PAIRED_ONLY").is_some_and(|v| !v.is_empty())
}

/// One workload: criterion measures Athanor, then the raw driver (group
/// `<backend>/<workload>`), then the two alternate in one loop ([`Paired`]). Each closure
/// runs `k` iterations and returns their time, clean-up untimed.
fn athanor_vs_raw(
    c: &mut Criterion,
    b: &Backend,
    workload: &str,
    w: Weight,
    paired: &mut Paired,
    mut athanor: impl FnMut(u64) -> Duration,
    mut raw: impl FnMut(u64) -> Duration,
) {
    if !paired_only() {
        let mut g = group(c, b.label(), workload, w);
        g.bench_function("athanor", |bn| bn.iter_custom(&mut athanor));
        g.bench_function("raw", |bn| bn.iter_custom(&mut raw));
        g.finish();
    }
    paired.run(b.label(), workload, "athanor", w, athanor, raw);
}

fn backend_suite(c: &mut Criterion, b: &Backend, paired: &mut Paired) {
    let t = Tables::new();
    let engine = b.engine();
    t.create(&engine);
    let mut conn = b.connect(&engine);
    let mut raw = b.raw();
    let copy = |conn: &mut Connection, raw: &Raw, which: &[&Table]| {
        if let Raw::Sqlite(r) = raw
            && b.separate_databases()
        {
            copy_sqlite(conn, r, which);
        }
    };
    copy(
        &mut conn,
        &raw,
        &[
            &t.users,
            &t.posts,
            &t.comments,
            &t.new_users,
            &t.customer,
            &t.new_customer,
        ],
    );

    // Diesel's set.
    for n in [1usize, 100, 10_000] {
        let (lu, jn) = (format!("load_users_{n}"), format!("users_join_posts_{n}"));
        if !wants(b.label(), &lu) && !wants(b.label(), &jn) {
            continue;
        }
        t.fill(&mut conn, n, 1, 0);
        copy(&mut conn, &raw, &[&t.users, &t.posts, &t.comments]);
        let w = if n >= 10_000 {
            Weight::Medium
        } else {
            Weight::Light
        };
        if wants(b.label(), &lu) {
            assert_eq!(athanor_users(&mut conn, &t), raw_users(&mut raw));
            athanor_vs_raw(
                c,
                b,
                &lu,
                w,
                paired,
                |k| timed(k, || drop(black_box(athanor_users(&mut conn, &t)))),
                |k| timed(k, || drop(black_box(raw_users(&mut raw)))),
            );
        }
        if n != 100 && wants(b.label(), &jn) {
            assert_eq!(athanor_join(&mut conn, &t), raw_join(&mut raw));
            athanor_vs_raw(
                c,
                b,
                &jn,
                w,
                paired,
                |k| timed(k, || drop(black_box(athanor_join(&mut conn, &t)))),
                |k| timed(k, || drop(black_box(raw_join(&mut raw)))),
            );
        }
    }
    // The pool (issue 16): a checkout, one tiny query and the return, against the raw driver
    // running the query on a connection it holds; with pre-ping, against the raw driver
    // pinging first (the same round trips).
    for (name, pre_ping) in [
        ("checkout_select_1", false),
        ("checkout_pre_ping_select_1", true),
    ] {
        if !wants(b.label(), name) {
            continue;
        }
        let pooled = create_engine_with(
            &b.url(),
            EngineOptions::new().pool_size(1).pool_pre_ping(pre_ping),
        )
        .unwrap();
        let one = text("SELECT 1");
        let checkout = || {
            let mut c = pooled.connect().unwrap();
            c.scalar::<i64, _>(&one).unwrap()
        };
        assert_eq!(checkout(), raw_select_1(&mut raw, pre_ping));
        athanor_vs_raw(
            c,
            b,
            name,
            Weight::Light,
            paired,
            |k| {
                timed(k, || {
                    black_box(checkout());
                })
            },
            |k| {
                timed(k, || {
                    black_box(raw_select_1(&mut raw, pre_ping));
                })
            },
        );
    }
    if wants(b.label(), "nested_100x10x10") {
        t.fill(&mut conn, 100, 10, 10);
        copy(&mut conn, &raw, &[&t.users, &t.posts, &t.comments]);
        assert_eq!(athanor_nested(&mut conn, &t), raw_nested(&mut raw));
        athanor_vs_raw(
            c,
            b,
            "nested_100x10x10",
            Weight::Medium,
            paired,
            |k| timed(k, || drop(black_box(athanor_nested(&mut conn, &t)))),
            |k| timed(k, || drop(black_box(raw_nested(&mut raw)))),
        );
    }
    for n in [1usize, 100] {
        let name = format!("insert_users_{n}");
        if !wants(b.label(), &name) {
            continue;
        }
        let users: Vec<User> = (0..n).map(user).collect();
        let every = (10_000 / n as u64).max(1);
        athanor_vs_raw(
            c,
            b,
            &name,
            Weight::Light,
            paired,
            |k| {
                let mut io = (&mut conn, &t);
                timed_with_cleanup(
                    k,
                    every,
                    &mut io,
                    |(conn, t)| {
                        conn.execute(&t.new_users.delete()).unwrap();
                    },
                    |(conn, t)| athanor_insert_users(conn, t, &users),
                )
            },
            |k| {
                timed_with_cleanup(
                    k,
                    every,
                    &mut raw,
                    |raw| raw.batch("DELETE FROM new_users"),
                    |raw| raw_insert_users(raw, &users),
                )
            },
        );
    }

    // SQLAlchemy's examples/performance set.
    if wants(b.label(), "bulk_insert_100000") {
        let rows: Vec<Customer> = (1..=100_000).map(customer).collect();
        athanor_vs_raw(
            c,
            b,
            "bulk_insert_100000",
            Weight::Heavy,
            paired,
            |k| {
                timed_with_cleanup(k, 1, &mut conn, clear_customers(&t), |conn| {
                    conn.execute_many_rows(
                        &t.new_customer.insert(),
                        &["id", "name", "description"],
                        rows.iter().map(customer_values),
                    )
                    .unwrap();
                })
            },
            |k| {
                timed_with_cleanup(
                    k,
                    1,
                    &mut raw,
                    |raw| raw.batch("DELETE FROM new_customer"),
                    |raw| raw_bulk_insert(raw, &rows),
                )
            },
        );
    }
    if wants(b.label(), "single_tx_inserts_10000") {
        let rows: Vec<Customer> = (1..=10_000).map(customer).collect();
        let insert = t.new_customer.insert();
        athanor_vs_raw(
            c,
            b,
            "single_tx_inserts_10000",
            Weight::Heavy,
            paired,
            |k| {
                timed_with_cleanup(k, 1, &mut conn, clear_customers(&t), |conn| {
                    athanor_single_inserts(conn, &insert, &rows)
                })
            },
            |k| {
                timed_with_cleanup(
                    k,
                    1,
                    &mut raw,
                    |raw| raw.batch("DELETE FROM new_customer"),
                    |raw| raw_single_inserts(raw, &rows),
                )
            },
        );
    }
    if wants(b.label(), "fetch_500000") {
        athanor_vs_raw(
            c,
            b,
            "fetch_500000",
            Weight::Heavy,
            paired,
            |k| {
                timed(k, || {
                    assert_eq!(black_box(athanor_customers(&mut conn, &t)).len(), BIG)
                })
            },
            |k| {
                timed(k, || {
                    assert_eq!(black_box(raw_customers(&mut raw)).len(), BIG)
                })
            },
        );
    }
    if wants(b.label(), "pk_lookups_10000") {
        let ids = lookup_ids(10_000);
        assert_eq!(raw_lookup(&mut raw, ids[0]), customer(ids[0] as usize));
        let stmt = lookup_statement(&t);
        assert_eq!(
            athanor_lookup(&mut conn, &stmt, ids[0]),
            customer(ids[0] as usize)
        );
        // A new statement per lookup: measured by criterion, not target-checked.
        if !paired_only() {
            let mut g = group(c, b.label(), "pk_lookups_10000", Weight::Heavy);
            g.bench_function("athanor-new-stmt", |bn| {
                bn.iter(|| {
                    for &id in &ids {
                        black_box(athanor_lookup_new_stmt(&mut conn, &t, id));
                    }
                })
            });
            g.finish();
        }
        athanor_vs_raw(
            c,
            b,
            "pk_lookups_10000",
            Weight::Heavy,
            paired,
            |k| {
                timed(k, || {
                    for &id in &ids {
                        black_box(athanor_lookup(&mut conn, &stmt, id));
                    }
                })
            },
            |k| {
                timed(k, || {
                    for &id in &ids {
                        black_box(raw_lookup(&mut raw, id));
                    }
                })
            },
        );
    }
    orm_suite(c, b, paired, &t, &engine, &mut conn, &mut raw);
    eager_suite(c, b, paired, &t, &engine, &mut conn, &mut raw);
    drop(conn);
    drop(engine);
}

/// The ORM workloads (issue 14): the session against the raw driver doing the same work by
/// hand (`athanor_bench::orm`); the insert also through Athanor Core's `execute_many_rows`
/// (`athanor-core`), alternated with the raw driver and with the session.
fn orm_suite(
    c: &mut Criterion,
    b: &Backend,
    paired: &mut Paired,
    t: &Tables,
    engine: &Engine,
    conn: &mut Connection,
    raw: &mut Raw,
) {
    use athanor_bench::orm::*;
    if ![
        "orm_load_10000",
        "orm_get_10000",
        "orm_get_warm_10000",
        "orm_insert_10000",
        "orm_update_1000",
    ]
    .iter()
    .any(|w| wants(b.label(), w))
    {
        return;
    }
    let orm = b.orm_engine(engine);
    if wants(b.label(), "orm_load_10000") {
        // Without ORDER BY (as SQLAlchemy's large_resultsets), PostgreSQL may start its scan
        // anywhere: both read ORM_N rows of the table as it was filled.
        let (mut s, objs) = orm_load(&orm);
        let loaded: Vec<Customer> = objs.iter().map(|&h| s.read(h).unwrap().record()).collect();
        drop(s);
        for rows in [loaded, raw_orm_load(raw)] {
            assert_eq!(rows.len(), ORM_N);
            assert!(rows.iter().all(|c| *c == customer(c.id as usize)));
        }
        athanor_vs_raw(
            c,
            b,
            "orm_load_10000",
            Weight::Medium,
            paired,
            |k| timed(k, || drop(black_box(orm_load(&orm)))),
            |k| timed(k, || drop(black_box(raw_orm_load(raw)))),
        );
    }
    let ids = get_ids();
    if wants(b.label(), "orm_get_10000") {
        let mut s = Session::new(&orm);
        let h = s.get::<CustomerObj>(ids[0]).unwrap().unwrap();
        assert_eq!(s.read(h).unwrap().record(), raw_lookup(raw, ids[0]));
        drop(s);
        athanor_vs_raw(
            c,
            b,
            "orm_get_10000",
            Weight::Heavy,
            paired,
            |k| timed(k, || drop(black_box(orm_get_cold(&orm, &ids)))),
            |k| {
                timed(k, || {
                    for &id in &ids {
                        black_box(raw_lookup(raw, id));
                    }
                })
            },
        );
    }
    if wants(b.label(), "orm_get_warm_10000") {
        let mut s = orm_warm_session(&orm, &ids);
        athanor_vs_raw(
            c,
            b,
            "orm_get_warm_10000",
            Weight::Medium,
            paired,
            |k| timed(k, || orm_gets(&mut s, &ids)),
            |k| {
                timed(k, || {
                    for &id in &ids {
                        black_box(raw_lookup(raw, id));
                    }
                })
            },
        );
    }
    if wants(b.label(), "orm_insert_10000") {
        let rows: Vec<Customer> = (1..=ORM_N).map(customer).collect();
        let insert = t.new_customer.insert();
        // The session writes every row and puts each generated key in its object.
        clear_customers(t)(conn);
        let mut s = orm_insert(&orm, &rows);
        let stored: Vec<(i64, String)> = conn
            .tuples(&select((t.new_customer.c("id"), t.new_customer.c("name"))))
            .unwrap();
        assert_eq!(stored.len(), ORM_N);
        let by_name: std::collections::HashMap<String, i64> =
            stored.into_iter().map(|(id, n)| (n, id)).collect();
        for h in s.identity_map::<NewCustomerObj>() {
            let o = s.read(h).unwrap();
            assert_eq!(by_name[o.name.as_deref().unwrap()], o.id);
        }
        drop(s);
        raw.batch("DELETE FROM new_customer");
        assert_eq!(raw_insert_keys(raw, &rows).len(), ORM_N);
        let orm_run = |k: u64, conn: &mut Connection| {
            timed_with_cleanup(k, 1, conn, clear_customers(t), |_| {
                drop(black_box(orm_insert(&orm, &rows)))
            })
        };
        // The commit alone: pending objects made, and the session dropped, untimed.
        let commit_run = |k: u64, conn: &mut Connection| {
            let mut total = Duration::ZERO;
            for _ in 0..k {
                clear_customers(t)(conn);
                let mut s = orm_pending(&orm, &rows);
                let t0 = std::time::Instant::now();
                orm_commit(&mut s);
                total += t0.elapsed();
                drop(s);
            }
            total
        };
        let core_run = |k: u64, conn: &mut Connection| {
            timed_with_cleanup(k, 1, conn, clear_customers(t), |conn| {
                core_insert(conn, &insert, &rows)
            })
        };
        let raw_run = |k: u64, raw: &mut Raw| {
            timed_with_cleanup(
                k,
                1,
                raw,
                |raw| raw.batch("DELETE FROM new_customer"),
                |raw| drop(black_box(raw_insert_keys(raw, &rows))),
            )
        };
        // Two closures of one alternated pair may both need the connection.
        let conn = std::cell::RefCell::new(&mut *conn);
        let raw = std::cell::RefCell::new(&mut *raw);
        let orm_k = |k| orm_run(k, &mut conn.borrow_mut());
        let commit_k = |k| commit_run(k, &mut conn.borrow_mut());
        let core_k = |k| core_run(k, &mut conn.borrow_mut());
        let raw_k = |k| raw_run(k, &mut raw.borrow_mut());
        if !paired_only() {
            let mut g = group(c, b.label(), "orm_insert_10000", Weight::Heavy);
            g.bench_function("athanor", |bn| bn.iter_custom(orm_k));
            g.bench_function("athanor-commit", |bn| bn.iter_custom(commit_k));
            g.bench_function("athanor-core", |bn| bn.iter_custom(core_k));
            g.bench_function("raw", |bn| bn.iter_custom(raw_k));
            g.finish();
        }
        let (w, l) = (Weight::Heavy, b.label());
        paired.run(l, "orm_insert_10000", "athanor", w, orm_k, raw_k);
        paired.run(l, "orm_insert_10000", "athanor-core", w, core_k, raw_k);
        // The second yardstick: the session's commit ÷ Core's execute_many,
        // alternated (recorded as "athanor-commit-vs-core").
        paired.run(
            l,
            "orm_insert_10000",
            "athanor-commit-vs-core",
            w,
            commit_k,
            core_k,
        );
    }
    if wants(b.label(), "orm_update_1000") {
        let mut s = orm_update(&orm, 1);
        let h = s.get::<CustomerObj>(1).unwrap().unwrap();
        assert_eq!(
            s.read(h).unwrap().description.as_deref(),
            Some(updated_description(1, 1).as_str())
        );
        drop(s);
        raw_update(raw, 2);
        // Every round writes values the rows don't hold yet (the session's rounds odd, the
        // raw driver's even), so every UPDATE changes its row.
        let (mut a, mut r) = (1u64, 2u64);
        athanor_vs_raw(
            c,
            b,
            "orm_update_1000",
            Weight::Medium,
            paired,
            |k| {
                timed(k, || {
                    a += 2;
                    drop(black_box(orm_update(&orm, a)))
                })
            },
            |k| {
                timed(k, || {
                    r += 2;
                    raw_update(raw, r)
                })
            },
        );
    }
}

/// The eager-loading workloads (issue 15): the ORM cell (`athanor_bench::orm`'s
/// `athanor_orm_eager_*`) against the raw driver running the same batched statements by hand
/// (`athanor_bench::eager`). Both return the same tree, checked once.
fn eager_suite(
    c: &mut Criterion,
    b: &Backend,
    paired: &mut Paired,
    t: &Tables,
    engine: &Engine,
    conn: &mut Connection,
    raw: &mut Raw,
) {
    use athanor_bench::eager::*;
    use athanor_bench::orm::{athanor_orm_eager_chinook, athanor_orm_eager_nested};
    let orm = b.orm_engine(engine);
    if wants(b.label(), "orm_eager_nested") {
        t.fill(conn, 100, 10, 10);
        if let Raw::Sqlite(r) = raw
            && b.separate_databases()
        {
            copy_sqlite(conn, r, &[&t.users, &t.posts, &t.comments]);
        }
        let want = sorted_nested(raw_eager_nested(raw));
        assert_eq!(want.len(), 100);
        assert_eq!(
            want.iter()
                .map(|(_, ps)| ps.iter().map(|(_, cs)| cs.len()).sum::<usize>())
                .sum::<usize>(),
            10_000
        );
        assert_eq!(sorted_nested(athanor_orm_eager_nested(&orm, t)), want);
        athanor_vs_raw(
            c,
            b,
            "orm_eager_nested",
            Weight::Medium,
            paired,
            |k| timed(k, || drop(black_box(athanor_orm_eager_nested(&orm, t)))),
            |k| timed(k, || drop(black_box(raw_eager_nested(raw)))),
        );
    }
    if wants(b.label(), "orm_eager_chinook") {
        let ch = ChinookTables::new();
        ch.install(engine);
        if let Raw::Sqlite(r) = raw
            && b.separate_databases()
        {
            ch.install_raw_sqlite(r);
        }
        let want = sorted_chinook(raw_eager_chinook(raw));
        assert_eq!(chinook_counts(&want), (275, 347, 3503, 25));
        assert_eq!(sorted_chinook(athanor_orm_eager_chinook(&orm, &ch)), want);
        athanor_vs_raw(
            c,
            b,
            "orm_eager_chinook",
            Weight::Medium,
            paired,
            |k| timed(k, || drop(black_box(athanor_orm_eager_chinook(&orm, &ch)))),
            |k| timed(k, || drop(black_box(raw_eager_chinook(raw)))),
        );
    }
}

/// Compiling the seed's Chinook "albums per artist" statement, cached and uncached.
fn compile_suite(c: &mut Criterion) {
    use athanor::compiler::{StatementCache, compile};
    use athanor::dialect::Sqlite;
    if !wants("none", "compile_albums_per_artist") || paired_only() {
        return;
    }
    let (engine, metadata) = athanor::chinook::load().unwrap();
    let albums = Table::autoload("Album", &metadata, &engine).unwrap();
    let artists = Table::autoload("Artist", &metadata, &engine).unwrap();
    let build = || {
        select((
            artists.c("Name"),
            func::count(albums.c("Title")).label("# of albums"),
        ))
        .select_from(artists.join(&albums))
        .group_by(albums.c("ArtistId"))
        .order_by(desc("# of albums"))
        .limit(10)
    };
    let stmt = build();
    let cache = StatementCache::new(100);
    cache.get(stmt.statement(), &Sqlite).unwrap();
    let mut g = c.benchmark_group("none/compile_albums_per_artist");
    g.sample_size(30)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_millis(1500));
    g.bench_function("athanor-cached", |bn| {
        bn.iter(|| black_box(cache.get(black_box(&stmt).statement(), &Sqlite).unwrap()))
    });
    g.bench_function("athanor-uncached", |bn| {
        bn.iter(|| black_box(compile(black_box(&stmt).statement(), &Sqlite).unwrap()))
    });
    g.bench_function("athanor-build", |bn| bn.iter(|| black_box(build())));
    g.bench_function("athanor-build+cached", |bn| {
        bn.iter(|| {
            let s = build();
            black_box(cache.get(s.statement(), &Sqlite).unwrap().0)
        })
    });
    g.finish();
}

/// `SELECT 1` on the raw driver's held connection, after a ping when `ping`.
fn raw_select_1(raw: &mut Raw, ping: bool) -> i64 {
    match raw {
        Raw::Sqlite(c) => c
            .prepare_cached("SELECT 1")
            .unwrap()
            .query_row([], |r| r.get(0))
            .unwrap(),
        Raw::Postgres(c, prepared) => {
            if ping {
                c.is_valid(Duration::from_secs(30)).unwrap();
            }
            let st = prepared
                .entry("SELECT 1::INT8".into())
                .or_insert_with(|| c.prepare("SELECT 1::INT8").unwrap())
                .clone();
            c.query_one(&st, &[]).unwrap().get(0)
        }
        Raw::MySql(c) => {
            use mysql::prelude::Queryable;
            if ping {
                c.ping().unwrap();
            }
            c.query_first::<i64, _>("SELECT 1").unwrap().unwrap()
        }
    }
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    compile_suite(&mut c);
    let mut paired = Paired::new();
    for b in Backend::all() {
        backend_suite(&mut c, &b, &mut paired);
    }
    paired.write();
    c.final_summary();
}
