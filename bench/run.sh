#!/usr/bin/env bash
# Runs the whole benchmark suite and writes bench/RESULTS.md and bench/results.json:
#   1. Athanor Core and the raw drivers (crates/athanor-bench, criterion);
#   2. Diesel and SeaQuery, and SeaORM on the eager-loading rows (bench/peers, its own
#      workspace and lock file);
#   3. SQLAlchemy 2.x Core and ORM (bench/sqlalchemy_bench.py, in a virtualenv it creates);
#   4. the report (crates/athanor-bench/src/bin/report.rs).
# PostgreSQL / MariaDB run when ATHANOR_BENCH_POSTGRES / ATHANOR_BENCH_MYSQL (or the
# ATHANOR_TEST_* URLs) are set. ATHANOR_BENCH_BACKENDS=sqlite-mem,sqlite-file,postgresql,mariadb
# and ATHANOR_BENCH_ONLY=<workload substrings> narrow a run, ATHANOR_BENCH_SKIP=<backend/workload
# substrings> leaves groups out, ATHANOR_BENCH_ROUNDS (default 3) sets the rounds,
# ATHANOR_BENCH_PEERS=0 leaves Diesel and SeaQuery out (e.g. ATHANOR_BENCH_ONLY=orm_: they have no
# ORM workloads). A narrowed run's report carries the groups it did not measure over from the
# last results.json. Not part of CI.
set -euo pipefail
cd "$(dirname "$0")/.."
export ATHANOR_BENCH_POSTGRES="${ATHANOR_BENCH_POSTGRES:-${ATHANOR_TEST_POSTGRES:-}}"
export ATHANOR_BENCH_MYSQL="${ATHANOR_BENCH_MYSQL:-${ATHANOR_TEST_MYSQL:-}}"
# Every benchmark process (Athanor, raw, Diesel, SeaQuery, Python) keeps the memory it frees
# instead of handing the top of its heap back to the OS between iterations: a warm heap, as in
# a long-running service. Without this, which implementation pays the page faults of a
# 500 000-row result depends on what ran before it in the same process (bench/NOTES.md).
export MALLOC_TOP_PAD_="${MALLOC_TOP_PAD_:-268435456}"
export MALLOC_TRIM_THRESHOLD_="${MALLOC_TRIM_THRESHOLD_:-1073741824}"
# Rounds: the whole suite (Athanor and raw, then Diesel and SeaQuery) runs ROUNDS times, the
# later rounds without the slow server writes; the report takes, per cell, the median over
# rounds and, for each ratio, the median of the ratios measured within one round. One run of
# a 2-core machine with database servers on it cannot tell 1.05x from 1.30x (bench/NOTES.md).
rounds="${ATHANOR_BENCH_ROUNDS:-3}"
repeat_skip="${ATHANOR_BENCH_REPEAT_SKIP:-postgresql/bulk_insert,postgresql/single_tx,mariadb/bulk_insert,mariadb/single_tx}"
target="${CARGO_TARGET_DIR:-target}"
start=$(date +%s)
rm -rf "$target/criterion" "$target/bench-rounds" bench/peers/target/criterion bench/peers/target/bench-rounds
mkdir -p "$target/bench-rounds" bench/peers/target/bench-rounds
base_skip="${ATHANOR_BENCH_SKIP:-}"
# Keeps one round's criterion output (absent when every group of that side was left out).
keep() { if [ -d "$1" ]; then mv "$1" "$2"; fi; }
for round in $(seq 1 "$rounds"); do
    if [ "$round" -gt 1 ]; then
        export ATHANOR_BENCH_SKIP="${base_skip:+$base_skip,}$repeat_skip"
    fi
    echo "== Round $round of $rounds: Athanor Core and raw drivers"
    # The suite also alternates Athanor and raw in one loop per workload (the report's
    # target check); those ratios go here.
    ATHANOR_BENCH_PAIRED_OUT="$(cd "$target/bench-rounds" && pwd)/paired-$round.json" \
        cargo bench -p athanor-bench --bench suite
    keep "$target/criterion" "$target/bench-rounds/$round"
    if [ "${ATHANOR_BENCH_PEERS:-1}" != "0" ]; then
        echo "== Round $round of $rounds: Diesel and SeaQuery"
        # The peers alternate Diesel and their raw driver the same way.
        (cd bench/peers && ATHANOR_BENCH_PAIRED_OUT="$(pwd)/target/bench-rounds/paired-$round.json" \
            env -u CARGO_TARGET_DIR cargo bench --bench peers)
        keep bench/peers/target/criterion "bench/peers/target/bench-rounds/$round"
    fi
done
echo "== SQLAlchemy Core"
if command -v python3 >/dev/null; then
    python3 bench/sqlalchemy_bench.py || echo "SQLAlchemy run failed; the report goes on without it"
fi
echo "== Report"
cargo run --release -q -p athanor-bench --bin report
echo "suite finished in $(( $(date +%s) - start )) s"
