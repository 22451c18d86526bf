#!/usr/bin/env bash
# Runs the whole benchmark suite and writes bench/RESULTS.md and bench/results.json:
#   1. Athanor Core and the raw drivers (crates/athanor-bench, criterion);
#   2. Diesel and SeaQuery (bench/peers, its own workspace and lock file);
#   3. SQLAlchemy 2.x Core (bench/sqlalchemy_bench.py, in a virtualenv it creates);
#   4. the report (crates/athanor-bench/src/bin/report.rs).
# PostgreSQL / MariaDB run when ATHANOR_BENCH_POSTGRES / ATHANOR_BENCH_MYSQL (or the
# ATHANOR_TEST_* URLs) are set. ATHANOR_BENCH_BACKENDS=sqlite-mem,sqlite-file,postgresql,mariadb
# and ATHANOR_BENCH_ONLY=<workload substrings> narrow a run. Not part of CI.
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
start=$(date +%s)
rm -rf target/criterion bench/peers/target/criterion
echo "== Athanor Core and raw drivers"
cargo bench -p athanor-bench --bench suite
echo "== Diesel and SeaQuery"
(cd bench/peers && cargo bench --bench peers)
echo "== SQLAlchemy Core"
if command -v python3 >/dev/null; then
    python3 bench/sqlalchemy_bench.py || echo "SQLAlchemy run failed; the report goes on without it"
fi
echo "== Report"
cargo run --release -q -p athanor-bench --bin report
echo "suite finished in $(( $(date +%s) - start )) s"
