//! What `crates/athanor-bench` (Athanor and the raw drivers) and `bench/peers` (Diesel,
//! SeaQuery and the raw driver on the peers' SQLite build) share, so both sides of every
//! comparison are selected, sampled and alternated the same way:
//!
//! - [`wants`]: which `backend/workload` groups a run keeps (`ATHANOR_BENCH_ONLY`,
//!   `ATHANOR_BENCH_SKIP`);
//! - [`Weight`] and [`group`]: criterion's sample settings per workload weight;
//! - [`timed`] and [`timed_with_cleanup`]: `k` iterations timed, clean-up untimed;
//! - [`Paired`]: a library and its raw driver run alternately in one loop, the median of
//!   neighbouring batches' ratios written to `ATHANOR_BENCH_PAIRED_OUT` for the report.
//!
//! The peers are their own workspace (they link another SQLite build), so they depend on this
//! crate by path; it has no workspace inheritance for that reason.

#![allow(clippy::unwrap_used)]

use std::time::{Duration, Instant};

use criterion::{BenchmarkGroup, Criterion, SamplingMode, measurement::WallTime};

/// Whether to run `workload` on `backend`: `ATHANOR_BENCH_ONLY` (workload-name substrings)
/// keeps only those, `ATHANOR_BENCH_SKIP` (`backend/workload` substrings, e.g.
/// `postgresql/bulk_insert`) leaves those out; `bench/run.sh` uses it to repeat only the
/// quick groups in its later rounds.
pub fn wants(backend: &str, workload: &str) -> bool {
    let list = |var: &str| {
        std::env::var(var)
            .ok()
            .filter(|v| !v.trim().is_empty())
            .map(|v| {
                v.split(',')
                    .map(|s| s.trim().to_string())
                    .collect::<Vec<_>>()
            })
    };
    let id = format!("{backend}/{workload}");
    list("ATHANOR_BENCH_ONLY").is_none_or(|only| only.iter().any(|o| workload.contains(o.as_str())))
        && !list("ATHANOR_BENCH_SKIP")
            .is_some_and(|skip| skip.iter().any(|s| id.contains(s.as_str())))
}

/// Whether `ATHANOR_BENCH_BACKENDS` (a comma list of `sqlite-mem,sqlite-file,postgresql,
/// mariadb`; empty or unset = all) keeps `backend`.
pub fn wants_backend(backend: &str) -> bool {
    match std::env::var("ATHANOR_BENCH_BACKENDS") {
        Ok(o) if !o.trim().is_empty() => o.split(',').any(|x| x.trim() == backend),
        _ => true,
    }
}

/// Sample sizes by weight, so the suite stays within minutes on two cores.
#[derive(Clone, Copy, Debug)]
pub enum Weight {
    /// Microseconds per iteration.
    Light,
    /// Milliseconds.
    Medium,
    /// Hundreds of milliseconds or more: ten single-iteration samples.
    Heavy,
}

/// The criterion group `<backend>/<workload>` with the sample settings of `w`.
pub fn group<'c>(
    c: &'c mut Criterion,
    backend: &str,
    workload: &str,
    w: Weight,
) -> BenchmarkGroup<'c, WallTime> {
    let mut g = c.benchmark_group(format!("{backend}/{workload}"));
    match w {
        Weight::Light => {
            g.sample_size(30)
                .warm_up_time(Duration::from_millis(300))
                .measurement_time(Duration::from_millis(1500));
        }
        Weight::Medium => {
            g.sample_size(15)
                .sampling_mode(SamplingMode::Flat)
                .warm_up_time(Duration::from_millis(300))
                .measurement_time(Duration::from_millis(1500));
        }
        Weight::Heavy => {
            g.sample_size(10)
                .sampling_mode(SamplingMode::Flat)
                .warm_up_time(Duration::from_millis(1))
                .measurement_time(Duration::from_millis(1));
        }
    }
    g
}

/// Runs `f` `k` times and returns the time taken.
pub fn timed(k: u64, mut f: impl FnMut()) -> Duration {
    let t0 = Instant::now();
    for _ in 0..k {
        f();
    }
    t0.elapsed()
}

/// Times `f` over `iters` calls, running `clear` (untimed) before every `every`-th call.
pub fn timed_with_cleanup<S: ?Sized>(
    iters: u64,
    every: u64,
    state: &mut S,
    mut clear: impl FnMut(&mut S),
    mut f: impl FnMut(&mut S),
) -> Duration {
    let mut total = Duration::ZERO;
    for i in 0..iters {
        if i % every == 0 {
            clear(state);
        }
        let t0 = Instant::now();
        f(state);
        total += t0.elapsed();
    }
    total
}

/// A library ÷ its raw driver, measured alternately: batches of each, ABBA, one after the
/// other, so a slow second of this shared machine falls on both; the estimate is the median of
/// the ratios of neighbouring batches. Each closure runs `k` iterations and returns their time
/// (clean-up untimed inside). [`Paired::write`] saves the ratios to
/// `ATHANOR_BENCH_PAIRED_OUT` for the report, which judges the targets on them.
#[derive(Debug, Default)]
pub struct Paired(Vec<serde_json::Value>);

impl Paired {
    /// An empty set of ratios.
    pub fn new() -> Self {
        Self::default()
    }

    /// Alternates `library` (named `implementation` in the output) and `raw` on `workload`.
    pub fn run(
        &mut self,
        backend: &str,
        workload: &str,
        implementation: &str,
        w: Weight,
        mut library: impl FnMut(u64) -> Duration,
        mut raw: impl FnMut(u64) -> Duration,
    ) {
        // Batches of about 200 µs (one iteration of the heavy workloads), for 1.5 s (8 s, and
        // at least 5 pairs, for the heavy ones: a server's commit-to-disk times swing by a
        // fifth from one iteration to the next, and the median of 3 pairs followed them).
        let (k, budget, min_pairs) = match w {
            Weight::Light | Weight::Medium => {
                let once = (0..5)
                    .map(|_| raw(1))
                    .min()
                    .unwrap_or_default()
                    .max(Duration::from_nanos(1));
                let k = (Duration::from_micros(200).as_nanos() / once.as_nanos()).clamp(1, 100_000);
                (k as u64, Duration::from_millis(1500), 20)
            }
            Weight::Heavy => (1, Duration::from_secs(8), 5),
        };
        let start = Instant::now();
        let mut ratios = Vec::new();
        while ratios.len() < min_pairs || (start.elapsed() < budget && ratios.len() < 100_000) {
            let (a, r) = if ratios.len() % 2 == 0 {
                let a = library(k);
                (a, raw(k))
            } else {
                let r = raw(k);
                (library(k), r)
            };
            ratios.push(a.as_secs_f64() / r.as_secs_f64().max(1e-12));
        }
        ratios.sort_by(f64::total_cmp);
        let ratio = ratios[ratios.len() / 2];
        println!(
            "{backend}/{workload}: {implementation}/raw alternated {ratio:.3} over {} pairs of {k}",
            ratios.len()
        );
        self.0.push(serde_json::json!({
            "backend": backend,
            "workload": workload,
            "implementation": implementation,
            "ratio_to_raw": ratio,
            "pairs": ratios.len(),
            "batch": k,
        }));
    }

    /// Writes the ratios (a JSON array) to `ATHANOR_BENCH_PAIRED_OUT`, if set.
    pub fn write(&self) {
        if let Ok(path) = std::env::var("ATHANOR_BENCH_PAIRED_OUT") {
            std::fs::write(&path, serde_json::to_string_pretty(&self.0).unwrap())
                .unwrap_or_else(|e| panic!("writing {path}: {e}"));
        }
    }
}
