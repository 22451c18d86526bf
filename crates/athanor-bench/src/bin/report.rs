//! Collects a run's medians (criterion's estimates from this workspace and from `bench/peers`,
//! and `bench/sqlalchemy_results.json`) into `bench/RESULTS.md` and `bench/results.json`.
//!
//! `bench/run.sh` runs the suite in rounds and keeps each round's criterion output in
//! `target/bench-rounds/<round>` (and `bench/peers/target/bench-rounds/<round>`). A cell's time
//! is the median over the rounds; a ratio is the median of the ratios measured within one
//! round, so that two implementations are compared minutes apart at most, never across the
//! whole run. Without rounds, the last criterion run is one round.
//!
//! Run by `bench/run.sh` after the benchmarks; `cargo run -p athanor-bench --bin report`
//! alone re-reads the last run.

#![allow(missing_docs, clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::{Value as Json, json};

#[derive(Debug, Clone)]
struct Entry {
    workload: String,
    implementation: String,
    backend: String,
    median_ns: f64,
    /// 0 for results measured once, outside the rounds (SQLAlchemy).
    round: usize,
}

/// One implementation's medians on one workload, by round.
type Rounds = BTreeMap<usize, f64>;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

/// The median over rounds.
fn mid(r: &Rounds) -> f64 {
    median(r.values().copied().collect())
}

/// `a / b` in every round that measured both; the ratio of the medians when none did.
fn round_ratios(a: &Rounds, b: &Rounds) -> Vec<f64> {
    let paired: Vec<f64> = a
        .iter()
        .filter_map(|(round, x)| b.get(round).map(|y| x / y))
        .collect();
    if paired.is_empty() {
        vec![mid(a) / mid(b)]
    } else {
        paired
    }
}

/// The median of the per-round ratios.
fn ratio(a: &Rounds, b: &Rounds) -> f64 {
    median(round_ratios(a, b))
}

/// `1.05, 1.12, 1.31` when there were several rounds.
fn spread(a: &Rounds, b: &Rounds) -> String {
    let rs = round_ratios(a, b);
    if rs.len() < 2 {
        return String::new();
    }
    let list: Vec<String> = rs.iter().map(|r| format!("{r:.2}")).collect();
    format!("; by round {}", list.join(", "))
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            if p.file_name().is_some_and(|n| n == "new") && p.join("benchmark.json").exists() {
                out.push(p);
            } else {
                walk(&p, out);
            }
        }
    }
}

/// The entries of every round kept under `target/bench-rounds`, or of the last criterion run.
fn round_entries(target: &Path) -> Vec<Entry> {
    let mut rounds: Vec<(usize, PathBuf)> = std::fs::read_dir(target.join("bench-rounds"))
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| Some((e.file_name().to_str()?.parse().ok()?, e.path())))
        .collect();
    if rounds.is_empty() {
        rounds.push((1, target.join("criterion")));
    }
    rounds
        .into_iter()
        .flat_map(|(round, dir)| criterion_entries(&dir, round))
        .collect()
}

/// A library ÷ its raw driver alternated in one loop (`paired-<round>.json` of the suite,
/// Athanor ÷ raw, and of `bench/peers`, Diesel ÷ raw-peers), by (backend, workload,
/// implementation) and round.
type Alternated = BTreeMap<(String, String, String), Rounds>;

fn alternated(targets: &[PathBuf]) -> Alternated {
    let mut out = Alternated::new();
    for e in targets
        .iter()
        .flat_map(|t| {
            std::fs::read_dir(t.join("bench-rounds"))
                .into_iter()
                .flatten()
        })
        .flatten()
    {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(round) = name
            .strip_prefix("paired-")
            .and_then(|r| r.strip_suffix(".json"))
            .and_then(|r| r.parse::<usize>().ok())
        else {
            continue;
        };
        let Some(rows) = std::fs::read_to_string(e.path())
            .ok()
            .and_then(|s| serde_json::from_str::<Json>(&s).ok())
        else {
            continue;
        };
        for r in rows.as_array().into_iter().flatten() {
            if let (Some(b), Some(w), Some(x)) = (
                r["backend"].as_str(),
                r["workload"].as_str(),
                r["ratio_to_raw"].as_f64(),
            ) {
                let imp = r["implementation"].as_str().unwrap_or("athanor");
                out.entry((b.into(), w.into(), imp.into()))
                    .or_default()
                    .insert(round, x);
            }
        }
    }
    out
}

fn by_round(r: &Rounds) -> String {
    let list: Vec<String> = r.values().map(|x| format!("{x:.2}")).collect();
    list.join(", ")
}

fn criterion_entries(dir: &Path, round: usize) -> Vec<Entry> {
    let mut dirs = Vec::new();
    walk(dir, &mut dirs);
    let mut out = Vec::new();
    for d in dirs {
        let read = |f: &str| -> Option<Json> {
            serde_json::from_str(&std::fs::read_to_string(d.join(f)).ok()?).ok()
        };
        let (Some(b), Some(e)) = (read("benchmark.json"), read("estimates.json")) else {
            continue;
        };
        let group = b["group_id"].as_str().unwrap_or_default();
        let Some((backend, workload)) = group.split_once('/') else {
            continue;
        };
        let Some(median) = e["median"]["point_estimate"].as_f64() else {
            continue;
        };
        out.push(Entry {
            workload: workload.into(),
            implementation: b["function_id"].as_str().unwrap_or_default().into(),
            backend: backend.into(),
            median_ns: median,
            round,
        });
    }
    out
}

fn cmd(program: &str, args: &[&str]) -> Option<String> {
    let o = std::process::Command::new(program)
        .args(args)
        .output()
        .ok()?;
    o.status
        .success()
        .then(|| String::from_utf8_lossy(&o.stdout).trim().to_string())
}

fn machine(sqlalchemy: &Json, peers_target: &std::path::Path) -> Json {
    let peers_sqlite = std::fs::read_to_string(peers_target.join("peers-sqlite-version"))
        .ok()
        .map(|s| s.trim().to_string());
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_string())
        })
        .unwrap_or_default();
    let url = |a: &str, b: &str| std::env::var(a).ok().or_else(|| std::env::var(b).ok());
    let pg = url("ATHANOR_BENCH_POSTGRES", "ATHANOR_TEST_POSTGRES").and_then(|u| {
        let mut c = postgres::Client::connect(&u, postgres::NoTls).ok()?;
        c.query_one("SHOW server_version", &[])
            .ok()?
            .try_get::<_, String>(0)
            .ok()
    });
    let my = url("ATHANOR_BENCH_MYSQL", "ATHANOR_TEST_MYSQL").and_then(|u| {
        use mysql::prelude::Queryable;
        let mut c = mysql::Conn::new(mysql::Opts::from_url(&u).ok()?).ok()?;
        c.query_first::<String, _>("SELECT VERSION()").ok()?
    });
    json!({
        "cores": std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0),
        "cpu": cpu,
        "os": cmd("uname", &["-sr"]),
        "rustc": cmd("rustc", &["-V"]),
        "sqlite": rusqlite::version(),
        "sqlite_peers": peers_sqlite,
        "postgresql": pg,
        "mariadb": my,
        "sqlalchemy": sqlalchemy.get("sqlalchemy_version"),
        "python": sqlalchemy.get("python_version"),
        "loadavg_at_report": std::fs::read_to_string("/proc/loadavg").ok().map(|s| s.trim().to_string()),
    })
}

fn fmt_ns(ns: f64) -> String {
    if ns >= 1e9 {
        format!("{:.2} s", ns / 1e9)
    } else if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.2} µs", ns / 1e3)
    } else {
        format!("{ns:.0} ns")
    }
}

/// Workloads in the order of the issue.
const ORDER: &[&str] = &[
    "load_users_1",
    "load_users_100",
    "load_users_10000",
    "users_join_posts_1",
    "users_join_posts_10000",
    "insert_users_1",
    "insert_users_100",
    "nested_100x10x10",
    "bulk_insert_100000",
    "single_tx_inserts_10000",
    "fetch_500000",
    "pk_lookups_10000",
    "orm_load_10000",
    "orm_get_10000",
    "orm_get_warm_10000",
    "orm_insert_10000",
    "orm_update_1000",
    "orm_eager_nested",
    "orm_eager_chinook",
    "compile_albums_per_artist",
];
const IMPLS: &[&str] = &[
    "raw",
    "athanor",
    "athanor-commit",
    "athanor-core",
    "athanor-new-stmt",
    "diesel",
    "seaquery",
    "seaorm",
    "raw-peers",
    "sqlalchemy",
    "sqlalchemy-new-stmt",
    "sqlalchemy-selectin",
];

/// Implementations built in `bench/peers`, on the peers' own SQLite build where SQLite runs.
const PEERS: &[&str] = &["diesel", "seaquery", "seaorm", "raw-peers"];

/// The raw driver an implementation is fairly compared with: on SQLite, the peers link an
/// older SQLite than Athanor's rusqlite (Diesel pins libsqlite3-sys), and `raw-peers` is the
/// raw driver on that build.
fn own_raw<'a>(imp: &str, m: &'a BTreeMap<String, Rounds>) -> Option<&'a Rounds> {
    if PEERS.contains(&imp) && m.contains_key("raw-peers") {
        m.get("raw-peers")
    } else {
        m.get("raw")
    }
}

fn n_of(workload: &str) -> usize {
    workload
        .rsplit('_')
        .next()
        .and_then(|n| n.split('x').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(usize::MAX)
}

/// True when the run measured only some workloads or backends.
fn narrowed() -> bool {
    ["ATHANOR_BENCH_ONLY", "ATHANOR_BENCH_BACKENDS"]
        .iter()
        .any(|v| std::env::var(v).is_ok_and(|s| !s.trim().is_empty()))
}

/// Adds to `table` (and `paired`) every (backend, workload) group of the previous
/// `results.json` that this run's suite did not measure (SQLAlchemy's rows come from its own
/// results file either way): its implementations' round medians and alternated ratios (one
/// figure, as one round). Returns the groups carried over.
fn carry_over(
    previous: &Path,
    table: &mut BTreeMap<(String, String), BTreeMap<String, Rounds>>,
    paired: &mut Alternated,
) -> Vec<(String, String)> {
    let Some(doc) = std::fs::read_to_string(previous)
        .ok()
        .and_then(|s| serde_json::from_str::<Json>(&s).ok())
    else {
        return Vec::new();
    };
    let measured = |t: &BTreeMap<(String, String), BTreeMap<String, Rounds>>,
                    k: &(String, String)| {
        t.get(k)
            .is_some_and(|m| m.values().any(|r| r.keys().any(|&round| round > 0)))
    };
    let mut carried = std::collections::BTreeSet::new();
    for r in doc["results"].as_array().into_iter().flatten() {
        let (Some(b), Some(w), Some(imp)) = (
            r["backend"].as_str(),
            r["workload"].as_str(),
            r["implementation"].as_str(),
        ) else {
            continue;
        };
        let key = (b.to_string(), w.to_string());
        if imp.starts_with("sqlalchemy") || measured(table, &key) && !carried.contains(&key) {
            continue;
        }
        let rounds: Rounds = match r["round_medians_ns"].as_array() {
            Some(v) if !v.is_empty() => v
                .iter()
                .enumerate()
                .filter_map(|(i, x)| Some((i + 1, x.as_f64()?)))
                .collect(),
            _ => r["median_ns"]
                .as_f64()
                .map(|x| BTreeMap::from([(1, x)]))
                .unwrap_or_default(),
        };
        if rounds.is_empty() {
            continue;
        }
        table
            .entry(key.clone())
            .or_default()
            .insert(imp.to_string(), rounds);
        if let Some(x) = r["ratio_to_own_raw_alternated"].as_f64() {
            paired
                .entry((b.into(), w.into(), imp.into()))
                .or_default()
                .insert(1, x);
        }
        carried.insert(key);
    }
    carried.into_iter().collect()
}

/// The ORM workloads (issue 14) and their targets: the session's load ≤ 1.3 × the raw driver;
/// the commit of 10 000 new objects ≤ 1.3 × Core's `execute_many`; SQLAlchemy's ORM ≥ 20 ×
/// slower than the session on each workload.
fn is_orm(workload: &str) -> bool {
    workload.starts_with("orm_")
}
const ORM_LOAD_TARGET: f64 = 1.3;
const ORM_COMMIT_TARGET: f64 = 1.3;
const ORM_SQLALCHEMY_TARGET: f64 = 20.0;

/// The eager-loading workloads (issue 15, `orm_eager_*`): the ORM ≤ 1.3 × the raw driver's
/// hand-batched statements, ≤ Diesel (the general check), SQLAlchemy's ORM ≥ 20 × slower.
fn is_eager(workload: &str) -> bool {
    workload.starts_with("orm_eager_")
}
const ORM_EAGER_TARGET: f64 = 1.3;

/// The alternated pair the suite records for the commit against Core (its `ratio_to_raw` is
/// the commit ÷ Core).
const COMMIT_VS_CORE: &str = "athanor-commit-vs-core";

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let bench = root.join("bench");
    let target = std::env::var("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| root.join("target"));
    let mut paired = alternated(&[target.clone(), bench.join("peers/target")]);
    let mut entries = round_entries(&target);
    entries.extend(round_entries(&bench.join("peers/target")));
    let sa: Json = std::fs::read_to_string(bench.join("sqlalchemy_results.json"))
        .ok()
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or(Json::Null);
    if let Some(rs) = sa["results"].as_array() {
        for r in rs {
            entries.push(Entry {
                workload: r["workload"].as_str().unwrap_or_default().into(),
                implementation: r["implementation"].as_str().unwrap_or("sqlalchemy").into(),
                backend: r["backend"].as_str().unwrap_or_default().into(),
                median_ns: r["median_ns"].as_f64().unwrap_or(f64::NAN),
                round: 0,
            });
        }
    }
    // (backend, workload) -> implementation -> round -> median
    let mut table: BTreeMap<(String, String), BTreeMap<String, Rounds>> = BTreeMap::new();
    for e in &entries {
        table
            .entry((e.backend.clone(), e.workload.clone()))
            .or_default()
            .entry(e.implementation.clone())
            .or_default()
            .insert(e.round, e.median_ns);
    }
    // A narrowed run (ATHANOR_BENCH_ONLY / ATHANOR_BENCH_BACKENDS) measures some groups only:
    // the others are carried over from the last report, so that it stays whole.
    let carried = if narrowed() {
        carry_over(&bench.join("results.json"), &mut table, &mut paired)
    } else {
        Vec::new()
    };
    let alt =
        |b: &str, w: &str, imp: &str| paired.get(&(b.to_string(), w.to_string(), imp.to_string()));
    let rounds = entries
        .iter()
        .map(|e| e.round)
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .filter(|r| *r > 0)
        .count();
    let machine = machine(&sa, &bench.join("peers/target"));
    let mut results = Vec::new();
    for ((backend, workload), m) in &table {
        let raw = m.get("raw");
        let round3 = |x: f64| (x * 1000.0).round() / 1000.0;
        for (imp, ns) in m {
            results.push(json!({
                "workload": workload,
                "implementation": imp,
                "backend": backend,
                "median_ns": mid(ns).round(),
                "ratio_to_raw": raw.map(|r| round3(ratio(ns, r))),
                "ratio_to_own_raw": own_raw(imp, m).map(|r| round3(ratio(ns, r))),
                "round_medians_ns": ns.values().map(|x| x.round()).collect::<Vec<_>>(),
                // Against the raw driver `ratio_to_own_raw` uses (Athanor ÷ raw, Diesel ÷
                // raw-peers), the two alternated in one loop.
                "ratio_to_own_raw_alternated": alt(backend, workload, imp).map(|r| round3(mid(r))),
            }));
            if is_orm(workload) {
                let last = results.last_mut().and_then(Json::as_object_mut);
                if let (Some(last), Some(a)) = (last, m.get("athanor")) {
                    match imp.as_str() {
                        // The yardstick for the commit: Core's execute_many.
                        "athanor-commit" => {
                            if let Some(core) = m.get("athanor-core") {
                                last.insert(
                                    "ratio_to_athanor_core".into(),
                                    json!(round3(ratio(ns, core))),
                                );
                            }
                            last.insert(
                                "ratio_to_athanor_core_alternated".into(),
                                json!(
                                    alt(backend, workload, COMMIT_VS_CORE).map(|r| round3(mid(r)))
                                ),
                            );
                        }
                        "sqlalchemy" | "sqlalchemy-selectin" => {
                            last.insert("ratio_to_athanor".into(), json!(round3(mid(ns) / mid(a))));
                        }
                        _ => {}
                    }
                }
            }
        }
    }
    let doc = json!({ "machine": machine, "rounds": rounds, "results": results });
    std::fs::write(
        bench.join("results.json"),
        serde_json::to_string_pretty(&doc).unwrap() + "\n",
    )
    .unwrap();

    // The Markdown report.
    let mut md = String::new();
    let _ = writeln!(md, "# Benchmark results\n");
    let _ = writeln!(
        md,
        "Written by `bench/run.sh` (do not edit). {rounds} round(s): the suite (Athanor and raw drivers, then \
         Diesel and SeaQuery) ran {rounds} times, the later rounds without the multi-second server writes \
         (bulk_insert, single_tx_inserts on PostgreSQL and MariaDB). Each cell is `time (ratio to the raw \
         driver)`: the time is the median over rounds of criterion's median; the ratio is the median of the \
         ratios measured within one round (SQLAlchemy ran once, after the rounds: its ratio is to the raw \
         median). Targets are judged on those ratios, except where a library and its raw driver were also \
         alternated in one loop (Athanor, Diesel: see \"alternated\" below). Raw = rusqlite prepared statements read by index, \
         `postgres`, `mysql`. SQLite file = WAL with `synchronous = NORMAL` for every implementation.\n\n\
         Diesel and SeaQuery link an older SQLite (`sqlite_peers` below; Diesel pins \
         libsqlite3-sys) than Athanor's rusqlite (`sqlite`). `raw-peers` is the raw driver in the peers' \
         process: the same rusqlite code on the peers' SQLite, the same `postgres` code on PostgreSQL. \
         The Diesel target compares each library with the raw driver in its own process (on SQLite, \
         on its own SQLite build: the engines' own speed differs). The raw SQLite baseline uses \
         rusqlite's statement cache, which clears a statement's bindings after each use; on \
         Athanor's SQLite build that makes SQLite re-prepare users_join_posts (its plan depends on \
         the parameter) on every execution, as `raw`'s profile shows. Athanor's driver keeps its \
         statements and their bindings, so it does not (bench/NOTES.md).\n\n\
         pk_lookups_10000: `athanor` and `sqlalchemy` build one statement with `bindparam(\"id\")` \
         and execute it per id (SQLAlchemy's `test_core_reuse_stmt`; the raw driver also prepares \
         one SQL text); `*-new-stmt` build a new statement per lookup (`test_core_new_stmt_each_time`). \
         single_tx_inserts_10000: one `insert()` statement, each row's values given at execution \
         (SQLAlchemy's `single_inserts.py` `test_core`).\n\n\
         Every process runs with `MALLOC_TOP_PAD_` / `MALLOC_TRIM_THRESHOLD_` set by `bench/run.sh`: \
         freed memory stays in the heap (a warm heap, as in a long-running service), so no \
         implementation pays page faults for what ran before it.\n"
    );
    if !carried.is_empty() {
        let _ = writeln!(
            md,
            "This run was narrowed (`ATHANOR_BENCH_ONLY` / `ATHANOR_BENCH_BACKENDS`): it measured {} \
             of the report's groups; the other {} (backend/workload) are carried over unchanged from the \
             previous report's results.json, with their rounds and alternated ratios.\n",
            table.len() - carried.len(),
            carried.len()
        );
    }
    let _ = writeln!(md, "Machine:\n");
    if let Some(m) = machine.as_object() {
        for (k, v) in m {
            let v = match v {
                Json::String(s) => s.clone(),
                Json::Null => "—".into(),
                other => other.to_string(),
            };
            let _ = writeln!(md, "- {k}: {v}");
        }
    }
    let _ = writeln!(md);
    let mut backends: Vec<&String> = table.keys().map(|(b, _)| b).collect();
    backends.dedup();
    let mut misses = Vec::new();
    let mut notes = Vec::new();
    for b in backends {
        let _ = writeln!(md, "## {b}\n");
        let present: Vec<&str> = IMPLS
            .iter()
            .copied()
            .filter(|i| {
                table
                    .iter()
                    .any(|((bb, _), m)| bb == b && m.contains_key(*i))
            })
            .collect();
        let extra: Vec<String> = table
            .iter()
            .filter(|((bb, _), _)| bb == b)
            .flat_map(|(_, m)| m.keys().cloned())
            .filter(|k| !IMPLS.contains(&k.as_str()))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let cols: Vec<String> = present.iter().map(|s| s.to_string()).chain(extra).collect();
        let _ = writeln!(md, "| workload | {} |", cols.join(" | "));
        let _ = writeln!(md, "|---|{}", "---|".repeat(cols.len()));
        let mut workloads: Vec<&String> = table
            .keys()
            .filter(|(bb, _)| bb == b)
            .map(|(_, w)| w)
            .collect();
        workloads.sort_by_key(|w| ORDER.iter().position(|o| o == w).unwrap_or(usize::MAX));
        for w in workloads {
            let m = &table[&(b.clone(), w.clone())];
            let raw = m.get("raw");
            let cells: Vec<String> = cols
                .iter()
                .map(|i| match (m.get(i), raw) {
                    (Some(ns), Some(r)) => format!("{} ({:.2}×)", fmt_ns(mid(ns)), ratio(ns, r)),
                    (Some(ns), None) => fmt_ns(mid(ns)),
                    (None, _) => "—".into(),
                })
                .collect();
            let _ = writeln!(md, "| {w} | {} |", cells.join(" | "));
            let athanor_alt = alt(b, w, "athanor");
            let diesel_alt = alt(b, w, "diesel");
            // Athanor ÷ raw (Diesel ÷ raw-peers): alternated in one loop where measured so,
            // else from criterion's medians.
            let athanor_ratio =
                |a: &Rounds, r: &Rounds| athanor_alt.map_or_else(|| ratio(a, r), mid);
            let diesel_ratio = |d: &Rounds, r: &Rounds| diesel_alt.map_or_else(|| ratio(d, r), mid);
            if let (Some(a), Some(r)) = (m.get("athanor"), raw)
                && !is_orm(w)
                && n_of(w) >= 100
                && athanor_ratio(a, r) > 1.10
            {
                misses.push(match athanor_alt {
                    Some(p) => format!(
                        "{b} {w}: Athanor {:.2}× raw, alternated (target ≤ 1.10×; by round {}; criterion medians {:.2}×)",
                        mid(p),
                        by_round(p),
                        ratio(a, r)
                    ),
                    None => format!(
                        "{b} {w}: Athanor {:.2}× raw (target ≤ 1.10×{})",
                        ratio(a, r),
                        spread(a, r)
                    ),
                });
            }
            if let (Some(a), Some(d)) = (m.get("athanor"), m.get("diesel")) {
                match (raw, m.get("raw-peers")) {
                    // Each against the raw driver in its own process (on SQLite, on its own
                    // SQLite build).
                    (Some(r), Some(rp)) => {
                        let (ar, dr) = (athanor_ratio(a, r), diesel_ratio(d, rp));
                        if ar > dr {
                            let how = match (athanor_alt, diesel_alt) {
                                (Some(x), Some(y)) => format!(
                                    ", both alternated; by round {} and {}",
                                    by_round(x),
                                    by_round(y)
                                ),
                                _ => String::new(),
                            };
                            misses.push(format!(
                                "{b} {w}: Athanor {ar:.2}× its raw driver, Diesel {dr:.2}× its raw driver (target: Athanor ≤ Diesel{how})"
                            ));
                        }
                    }
                    _ if ratio(a, d) > 1.0 => misses.push(format!(
                        "{b} {w}: Athanor {:.2}× Diesel (target ≤ 1.0×{})",
                        ratio(a, d),
                        spread(a, d)
                    )),
                    _ => {}
                }
            }
            if let (Some(a), Some(r)) = (m.get("athanor-new-stmt"), raw) {
                notes.push(format!(
                    "{b} {w}: a new statement per execution (`athanor-new-stmt`) {:.2}× raw",
                    ratio(a, r)
                ));
            }
            if is_orm(w) {
                orm_targets(b, w, m, &alt, &mut misses);
            }
            if w == "compile_albums_per_artist" {
                for (k, limit) in [("athanor-cached", 1_000.0), ("athanor-uncached", 10_000.0)] {
                    if let Some(ns) = m.get(k).map(mid)
                        && ns >= limit
                    {
                        misses.push(format!("{k}: {} (target < {})", fmt_ns(ns), fmt_ns(limit)));
                    }
                }
            }
        }
        let _ = writeln!(md);
    }
    for (imp, title, raw_name) in [
        ("athanor", "Athanor ÷ raw", "the raw driver"),
        ("diesel", "Diesel ÷ raw-peers", "`raw-peers`"),
    ] {
        let bs: Vec<String> = paired
            .keys()
            .filter(|(_, _, i)| i == imp)
            .map(|(b, _, _)| b.clone())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        if bs.is_empty() {
            continue;
        }
        let _ = writeln!(md, "## {title}, alternated\n");
        if imp == "athanor" {
            let _ = writeln!(
                md,
                "The suite also runs Athanor and the raw driver alternately in one loop (batches of ~200 µs, or one \
                 iteration of the heavy workloads, ABBA) for 1.5 s per workload (8 s, and at least 5 pairs, for the heavy ones), so a \
                 slow second of the machine falls on both; each round's figure is the median of the ratios of \
                 neighbouring batches. `bench/peers` does the same with Diesel and {raw_name} (next table). The ≤ 1.10 × raw \
                 target is judged on the median over rounds of these (rounds in brackets), and the Diesel target on \
                 SQLite and PostgreSQL compares the two tables: Athanor's ratio to its raw driver ≤ Diesel's ratio to its own.\n"
            );
        } else {
            let _ = writeln!(
                md,
                "Diesel and {raw_name} alternated in one loop in `bench/peers`, as above (on SQLite, both on the peers' SQLite build; \
                 on PostgreSQL, the same `postgres` driver and SQL as the suite's raw baseline).\n"
            );
        }
        let _ = writeln!(md, "| workload | {} |", bs.join(" | "));
        let _ = writeln!(md, "|---|{}", "---|".repeat(bs.len()));
        for w in ORDER {
            let cells: Vec<String> = bs
                .iter()
                .map(|b| match alt(b, w, imp) {
                    Some(r) => format!("{:.2}× ({})", mid(r), by_round(r)),
                    None => "—".into(),
                })
                .collect();
            if cells.iter().any(|c| c != "—") {
                let _ = writeln!(md, "| {w} | {} |", cells.join(" | "));
            }
        }
        let _ = writeln!(md);
    }
    orm_section(&mut md, &table, &alt);
    eager_section(&mut md, &table, &alt);
    let _ = writeln!(md, "## Targets\n");
    let _ = writeln!(
        md,
        "Athanor ≤ 1.10 × raw on every workload with N ≥ 100; ≤ 1.0 × Diesel where both run \
         (judged as Athanor's ratio to its raw driver ≤ Diesel's ratio to its raw driver, each alternated; on SQLite each driver on its own SQLite build); \
         cached compile of the seed statement < 1 µs, uncached < 10 µs. ORM (issue 14): the session's \
         load ≤ {ORM_LOAD_TARGET} × raw, the commit of 10 000 new objects ≤ {ORM_COMMIT_TARGET} × Core's \
         execute_many (both alternated), SQLAlchemy's ORM ≥ {ORM_SQLALCHEMY_TARGET} × the session's time on each \
         ORM workload. Eager loading (issue 15): ≤ {ORM_EAGER_TARGET} × the raw driver's hand-batched \
         statements (alternated), ≤ Diesel, SQLAlchemy's ORM ≥ {ORM_SQLALCHEMY_TARGET} ×.\n"
    );
    if misses.is_empty() {
        let _ = writeln!(md, "All met in this run.");
    } else {
        let _ = writeln!(md, "Missed in this run:\n");
        for m in &misses {
            let _ = writeln!(md, "- {m}");
        }
    }
    if !notes.is_empty() {
        let _ = writeln!(md, "\nNot target-checked:\n");
        for n in &notes {
            let _ = writeln!(md, "- {n}");
        }
    }
    std::fs::write(bench.join("RESULTS.md"), md).unwrap();
    println!(
        "wrote bench/RESULTS.md and bench/results.json ({} results, {} targets missed)",
        results.len(),
        misses.len()
    );
}

/// The ORM targets of one workload on one backend.
fn orm_targets<'a>(
    b: &str,
    w: &str,
    m: &BTreeMap<String, Rounds>,
    alt: &dyn Fn(&str, &str, &str) -> Option<&'a Rounds>,
    misses: &mut Vec<String>,
) {
    let raw = m.get("raw");
    if (w == "orm_load_10000" || is_eager(w))
        && let (Some(a), Some(r)) = (m.get("athanor"), raw)
    {
        let target = if is_eager(w) {
            ORM_EAGER_TARGET
        } else {
            ORM_LOAD_TARGET
        };
        let (x, how) = match alt(b, w, "athanor") {
            Some(p) => (mid(p), format!("alternated, by round {}", by_round(p))),
            None => (ratio(a, r), "criterion medians".to_string()),
        };
        if x > target {
            misses.push(format!(
                "{b} {w}: the session {x:.2}× raw ({how}; target ≤ {target}×)"
            ));
        }
    }
    if w == "orm_insert_10000"
        && let (Some(c), Some(core)) = (m.get("athanor-commit"), m.get("athanor-core"))
    {
        let (x, how) = match alt(b, w, COMMIT_VS_CORE) {
            Some(p) => (mid(p), format!("alternated, by round {}", by_round(p))),
            None => (ratio(c, core), "criterion medians".to_string()),
        };
        if x > ORM_COMMIT_TARGET {
            misses.push(format!(
                "{b} {w}: the commit {x:.2}× Core's execute_many ({how}; target ≤ {ORM_COMMIT_TARGET}×)"
            ));
        }
    }
    if let (Some(a), Some(sa)) = (m.get("athanor"), m.get("sqlalchemy")) {
        let x = mid(sa) / mid(a);
        if x < ORM_SQLALCHEMY_TARGET {
            let floor = raw.map_or(String::new(), |r| {
                format!("; SQLAlchemy ÷ raw {:.1}×", mid(sa) / mid(r))
            });
            misses.push(format!(
                "{b} {w}: SQLAlchemy's ORM {x:.1}× the session's time (target ≥ {ORM_SQLALCHEMY_TARGET}×{floor})"
            ));
        }
    }
}

/// The ORM workloads' own table: the session against the raw driver, the commit against
/// Core, SQLAlchemy's ORM against the session.
fn orm_section<'a>(
    md: &mut String,
    table: &BTreeMap<(String, String), BTreeMap<String, Rounds>>,
    alt: &dyn Fn(&str, &str, &str) -> Option<&'a Rounds>,
) {
    let mut rows: Vec<_> = table
        .iter()
        .filter(|((_, w), _)| is_orm(w) && !is_eager(w))
        .collect();
    if rows.is_empty() {
        return;
    }
    let _ = writeln!(md, "## ORM (issue 14)\n");
    let _ = writeln!(
        md,
        "The session (`athanor`) against the raw driver doing the same work by hand \
         (`crates/athanor-bench/src/orm.rs`), and SQLAlchemy's ORM running the same programs \
         (`bench/sqlalchemy_bench.py`). orm_get_warm_10000's raw column is the same 10 000 lookups \
         sent to the database (the session answers them from its identity map). For orm_insert_10000, \
         `athanor` is the whole program (10 000 objects built, `add_all`, `commit`), `athanor-commit` the \
         commit alone and `athanor-core` Core's `execute_many_rows` of the same rows (keys not read back). \
         Ratios marked alt. come from the alternated loop (median over rounds).\n"
    );
    let _ = writeln!(
        md,
        "| backend | workload | raw | athanor | ÷ raw (alt.) | athanor-commit | athanor-core | commit ÷ core (alt.) | SQLAlchemy ORM | SQLAlchemy ÷ athanor |"
    );
    let _ = writeln!(md, "|---|---|---|---|---|---|---|---|---|---|");
    rows.sort_by_key(|((b, w), _)| {
        (
            b.clone(),
            ORDER.iter().position(|o| o == w).unwrap_or(usize::MAX),
        )
    });
    for ((b, w), m) in rows {
        let t = |imp: &str| m.get(imp).map_or("—".to_string(), |r| fmt_ns(mid(r)));
        let x = |r: Option<&Rounds>| r.map_or("—".to_string(), |r| format!("{:.2}×", mid(r)));
        let sa = match (m.get("sqlalchemy"), m.get("athanor")) {
            (Some(s), Some(a)) => format!("{:.1}×", mid(s) / mid(a)),
            _ => "—".into(),
        };
        let _ = writeln!(
            md,
            "| {b} | {w} | {} | {} | {} | {} | {} | {} | {} | {sa} |",
            t("raw"),
            t("athanor"),
            x(alt(b, w, "athanor")),
            t("athanor-commit"),
            t("athanor-core"),
            x(alt(b, w, COMMIT_VS_CORE)),
            t("sqlalchemy"),
        );
    }
    let _ = writeln!(md);
}

/// The eager-loading workloads' own table (issue 15): the ORM against the raw driver's
/// hand-batched statements, Diesel against its own raw driver, SQLAlchemy's ORM against the ORM.
fn eager_section<'a>(
    md: &mut String,
    table: &BTreeMap<(String, String), BTreeMap<String, Rounds>>,
    alt: &dyn Fn(&str, &str, &str) -> Option<&'a Rounds>,
) {
    let mut rows: Vec<_> = table.iter().filter(|((_, w), _)| is_eager(w)).collect();
    if rows.is_empty() {
        return;
    }
    let _ = writeln!(md, "## Eager loading (issue 15)\n");
    let _ = writeln!(
        md,
        "A tree loaded one statement per level, children for all parents of a level at once \
         (`crates/athanor-bench/src/eager.rs`): orm_eager_nested is 100 users → 1 000 posts → 10 000 \
         comments, orm_eager_chinook every Chinook artist → album → track → genre (275 / 347 / 3 503 / 25 \
         rows). `raw`: the raw driver with hand-written statements, `IN` lists of at most 500 keys; \
         `athanor`: the ORM cell (`athanor_orm_eager_*`); `diesel`: `belonging_to` + `grouped_by` \
         (÷ `raw-peers`, the same raw code in its process); `seaorm`: SeaORM's `load_many` / `load_one` \
         (÷ `raw-peers`); `sqlalchemy`: `selectinload` chains (Chinook: \
         `joinedload` for the genre; `sqlalchemy-selectin`: `selectinload` there too). Ratios marked alt. \
         come from the alternated loop (median over rounds).\n"
    );
    let _ = writeln!(
        md,
        "| backend | workload | raw | athanor | ÷ raw (alt.) | diesel | ÷ raw-peers (alt.) | seaorm | ÷ raw-peers (alt.) | SQLAlchemy ORM | SQLAlchemy ÷ athanor | sqlalchemy-selectin |"
    );
    let _ = writeln!(md, "|---|---|---|---|---|---|---|---|---|---|---|---|");
    rows.sort_by_key(|((b, w), _)| {
        (
            b.clone(),
            ORDER.iter().position(|o| o == w).unwrap_or(usize::MAX),
        )
    });
    for ((b, w), m) in rows {
        let t = |imp: &str| m.get(imp).map_or("—".to_string(), |r| fmt_ns(mid(r)));
        let x = |r: Option<&Rounds>| r.map_or("—".to_string(), |r| format!("{:.2}×", mid(r)));
        let sa = match (m.get("sqlalchemy"), m.get("athanor")) {
            (Some(s), Some(a)) => format!("{:.1}×", mid(s) / mid(a)),
            _ => "—".into(),
        };
        let _ = writeln!(
            md,
            "| {b} | {w} | {} | {} | {} | {} | {} | {} | {} | {} | {sa} | {} |",
            t("raw"),
            t("athanor"),
            x(alt(b, w, "athanor")),
            t("diesel"),
            x(alt(b, w, "diesel")),
            t("seaorm"),
            x(alt(b, w, "seaorm")),
            t("sqlalchemy"),
            t("sqlalchemy-selectin"),
        );
    }
    let _ = writeln!(md);
}
