//! Runs one workload in a loop, for `valgrind --tool=callgrind` (instruction counts are
//! reproducible on a busy machine where wall-clock times are not).
//!
//! `profile <workload> <athanor|athanor-new-stmt|athanor-core|raw|pair> [iterations]`
//! (`athanor-new-stmt`: pk lookups only; `athanor-core` / `athanor-commit`: orm_insert only,
//! Core's `execute_many_rows` / the session's commit of objects added beforehand; `pair` alternates Athanor and raw and prints the ratio of medians) on
//! SQLite in memory (or a file with
//! `ATHANOR_PROFILE_FILE=1`, or a server with `ATHANOR_PROFILE_BACKEND=postgresql|mariadb`), e.g.
//! `valgrind --tool=callgrind target/release/profile load_users_10000 athanor 20`.

#![allow(missing_docs, clippy::unwrap_used)]

use std::hint::black_box;

use athanor_bench::workloads::*;
use athanor_bench::{Backend, Raw, Tables, copy_sqlite, lookup_ids};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (workload, imp) = (args[1].as_str(), args[2].as_str());
    let iters: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(10);
    // ATHANOR_PROFILE_FILE=1: SQLite in a file (WAL) instead of in memory.
    // ATHANOR_PROFILE_BACKEND=postgresql|mariadb: a server from the bench environment.
    let server = std::env::var("ATHANOR_PROFILE_BACKEND").ok().map(|label| {
        Backend::all()
            .into_iter()
            .find(|b| b.label() == label)
            .unwrap_or_else(|| panic!("no {label} backend: set ATHANOR_BENCH_POSTGRES/MYSQL"))
    });
    let b = if let Some(b) = server {
        b
    } else if std::env::var_os("ATHANOR_PROFILE_FILE").is_some() {
        let dir = athanor_bench::bench_dir();
        std::fs::create_dir_all(&dir).unwrap();
        let file = format!("{dir}/profile.db");
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let _ = std::fs::remove_file(format!("{file}{suffix}"));
        }
        Backend::SqliteFile(file)
    } else {
        Backend::SqliteMem
    };
    let t = Tables::new();
    let engine = b.engine();
    t.create(&engine);
    let mut conn = b.connect(&engine);
    let mut raw = b.raw();
    let (n, per, cper) = match workload {
        "nested_100x10x10" | "orm_eager_nested" => (100, 10, 10),
        w if w.starts_with("orm_") => (1, 1, 0),
        w if w.starts_with("fetch") => (1, 1, 0),
        w if w.starts_with("bulk") => (1, 1, 0),
        w => (
            w.rsplit('_')
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap_or(1),
            1,
            0,
        ),
    };
    t.fill(&mut conn, n, per, cper);
    if let (Raw::Sqlite(r), true) = (&raw, b.separate_databases()) {
        copy_sqlite(
            &mut conn,
            r,
            &[
                &t.users,
                &t.posts,
                &t.comments,
                &t.customer,
                &t.new_users,
                &t.new_customer,
            ],
        );
    }
    let ids = lookup_ids(1000);
    let lookup = lookup_statement(&t);
    let users: Vec<_> = (0..n).map(athanor_bench::user).collect();
    let customers: Vec<_> = match workload.strip_prefix("bulk_insert_") {
        Some(k) => (1..=k.parse().unwrap_or(1))
            .map(athanor_bench::customer)
            .collect(),
        None => (1..=n).map(athanor_bench::customer).collect(),
    };
    // `pair`: Athanor and raw alternate iteration by iteration (ABBA), so load on the machine
    // falls on both alike; prints both medians and their ratio.
    let order: Vec<&str> = if imp == "pair" {
        (0..iters)
            .flat_map(|i| {
                if i % 2 == 0 {
                    ["athanor", "raw"]
                } else {
                    ["raw", "athanor"]
                }
            })
            .collect()
    } else {
        vec![imp; iters]
    };
    let orm = b.orm_engine(&engine);
    let orm_ids = athanor_bench::orm::get_ids();
    let orm_rows: Vec<_> = (1..=athanor_bench::orm::ORM_N)
        .map(athanor_bench::customer)
        .collect();
    let mut warm = (workload == "orm_get_warm_10000")
        .then(|| athanor_bench::orm::orm_warm_session(&orm, &orm_ids));
    // orm_eager_chinook: Chinook's five tables, in the raw driver's database too.
    let chinook = (workload == "orm_eager_chinook").then(|| {
        let ch = athanor_bench::eager::ChinookTables::new();
        ch.install(&engine);
        if let (Raw::Sqlite(r), true) = (&raw, b.separate_databases()) {
            ch.install_raw_sqlite(r);
        }
        ch
    });
    let insert = t.new_customer.insert();
    let mut round = 0u64;
    let mut times = Vec::with_capacity(iters);
    let mut raw_times = Vec::with_capacity(iters);
    for imp in order {
        let t0 = std::time::Instant::now();
        round += 1;
        if workload.starts_with("orm_") {
            use athanor_bench::orm::*;
            match (workload, imp) {
                ("orm_load_10000", "athanor") => drop(black_box(orm_load(&orm))),
                ("orm_load_10000", _) => drop(black_box(raw_orm_load(&mut raw))),
                ("orm_get_10000", "athanor") => drop(black_box(orm_get_cold(&orm, &orm_ids))),
                ("orm_get_warm_10000", "athanor") => orm_gets(warm.as_mut().unwrap(), &orm_ids),
                ("orm_get_10000" | "orm_get_warm_10000", _) => {
                    for &id in &orm_ids {
                        black_box(raw_lookup(&mut raw, id));
                    }
                }
                ("orm_insert_10000", "athanor") => {
                    conn.execute(&t.new_customer.delete()).unwrap();
                    drop(black_box(orm_insert(&orm, &orm_rows)));
                }
                ("orm_insert_10000", "athanor-commit") => {
                    conn.execute(&t.new_customer.delete()).unwrap();
                    let mut s = orm_pending(&orm, &orm_rows);
                    orm_commit(&mut s);
                }
                ("orm_insert_10000", "athanor-core") => {
                    conn.execute(&t.new_customer.delete()).unwrap();
                    core_insert(&mut conn, &insert, &orm_rows);
                }
                ("orm_insert_10000", _) => {
                    raw.batch("DELETE FROM new_customer");
                    drop(black_box(raw_insert_keys(&mut raw, &orm_rows)));
                }
                ("orm_update_1000", "athanor") => drop(black_box(orm_update(&orm, 2 * round))),
                ("orm_update_1000", _) => raw_update(&mut raw, 2 * round + 1),
                ("orm_eager_nested", "athanor") => {
                    drop(black_box(athanor_orm_eager_nested(&orm, &t)))
                }
                ("orm_eager_nested", _) => {
                    drop(black_box(athanor_bench::eager::raw_eager_nested(&mut raw)))
                }
                ("orm_eager_chinook", "athanor") => drop(black_box(athanor_orm_eager_chinook(
                    &orm,
                    chinook.as_ref().unwrap(),
                ))),
                ("orm_eager_chinook", _) => {
                    drop(black_box(athanor_bench::eager::raw_eager_chinook(&mut raw)))
                }
                other => panic!("unknown workload {other:?}"),
            }
            if imp == "raw" {
                raw_times.push(t0.elapsed());
            } else {
                times.push(t0.elapsed());
            }
            continue;
        }
        match (workload.split('_').next().unwrap_or(""), imp) {
            ("load", "athanor") => drop(black_box(athanor_users(&mut conn, &t))),
            ("load", _) => drop(black_box(raw_users(&mut raw))),
            ("users", "athanor") => drop(black_box(athanor_join(&mut conn, &t))),
            ("users", _) => drop(black_box(raw_join(&mut raw))),
            ("nested", "athanor") => drop(black_box(athanor_nested(&mut conn, &t))),
            ("nested", _) => drop(black_box(raw_nested(&mut raw))),
            ("insert", "athanor") => athanor_insert_users(&mut conn, &t, &users),
            ("insert", _) => raw_insert_users(&mut raw, &users),
            ("single", "athanor") => {
                conn.execute(&t.new_customer.delete()).unwrap();
                athanor_single_inserts(&mut conn, &t.new_customer.insert(), &customers);
            }
            ("single", _) => {
                raw.batch("DELETE FROM new_customer");
                raw_single_inserts(&mut raw, &customers);
            }
            ("bulk", "athanor") => {
                conn.execute(&t.new_customer.delete()).unwrap();
                conn.execute_many_rows(
                    &t.new_customer.insert(),
                    &["id", "name", "description"],
                    customers.iter().map(customer_values),
                )
                .unwrap();
            }
            ("bulk", _) => {
                raw.batch("DELETE FROM new_customer");
                raw_bulk_insert(&mut raw, &customers);
            }
            ("fetch", "athanor") => drop(black_box(athanor_customers(&mut conn, &t))),
            ("fetch", _) => drop(black_box(raw_customers(&mut raw))),
            ("pk", "athanor") => {
                for &id in &ids {
                    black_box(athanor_lookup(&mut conn, &lookup, id));
                }
            }
            ("pk", "athanor-new-stmt") => {
                for &id in &ids {
                    black_box(athanor_lookup_new_stmt(&mut conn, &t, id));
                }
            }
            ("pk", _) => {
                for &id in &ids {
                    black_box(raw_lookup(&mut raw, id));
                }
            }
            other => panic!("unknown workload {other:?}"),
        }
        if imp == "raw" {
            raw_times.push(t0.elapsed());
        } else {
            times.push(t0.elapsed());
        }
    }
    let median = |v: &mut Vec<std::time::Duration>| {
        v.sort();
        v.get(v.len() / 2).copied()
    };
    match (median(&mut times), median(&mut raw_times)) {
        (Some(a), Some(r)) if imp == "pair" => eprintln!(
            "{workload} pair: athanor {a:?}, raw {r:?}, ratio {:.3} over {iters} alternated iterations",
            a.as_secs_f64() / r.as_secs_f64()
        ),
        (Some(m), _) | (None, Some(m)) => {
            eprintln!("{workload} {imp}: median {m:?} over {iters} iterations")
        }
        _ => {}
    }
}
