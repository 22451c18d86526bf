#!/usr/bin/env bash
# Runs the ported SQLAlchemy compliance suite (crates/athanor/tests/compliance/) on SQLite,
# PostgreSQL and MariaDB, and writes compliance/REPORT.md from what each test recorded and
# from compliance/todo.tsv (the suite's tests not ported yet). Needs the test servers
# (.ci/servers); the URLs default to this machine's.
set -euo pipefail
cd "$(dirname "$0")/.."
export ATHANOR_TEST_POSTGRES="${ATHANOR_TEST_POSTGRES:-postgresql://postgres@127.0.0.1:5432/test}"
export ATHANOR_TEST_MYSQL="${ATHANOR_TEST_MYSQL:-mysql://root@127.0.0.1:3306/test}"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
ATHANOR_COMPLIANCE_LOG="$log" cargo test -q -p athanor --all-features --test compliance || status=$?
{
  echo "# Compliance with SQLAlchemy's suite"
  echo
  echo "Written by \`compliance/report.sh\` (do not edit) on $(date -u +%Y-%m-%d) at $(git rev-parse --short HEAD)."
  echo "Each test of \`lib/sqlalchemy/testing/suite/\` is ported as behaviour, fixtures and assertions"
  echo "(\`crates/athanor/tests/compliance/\`), and run on each database unless SQLAlchemy's"
  echo "\`test/requirements.py\` skips it there (skip: the flag). Test functions are counted once each"
  echo "(SQLAlchemy's figures below count every parametrized case)."
  echo
  echo "SQLAlchemy 2.1 on this machine's databases (the whole suite, cases): SQLite 1,506 pass /"
  echo "271 skip; PostgreSQL 1,856 / 8; MariaDB 1,725 / 72."
  echo
  echo "| file | database | pass | skip | fail | ported outside the harness | not ported |"
  echo "|---|---|---|---|---|---|---|"
  awk -F'\t' '
    FNR == NR {
      if ($1 !~ /^#/ && NF >= 4) {
        files[$1] = 1
        if ($2 == "*") whole[$1] = 1
        else if ($4 ~ /^ported in /) elsewhere[$1]++
        else todo[$1]++
      }
      next
    }
    { files[$2] = 1; k = $2 SUBSEP $1; if ($5 == "pass") pass[k]++; else if ($5 ~ /^skip/) skip[k]++; else fail[k]++ }
    END {
      n = asorti(files, names)
      split("sqlite postgresql mysql", dbs, " ")
      for (i = 1; i <= n; i++) {
        f = names[i]
        for (d = 1; d <= 3; d++) {
          k = f SUBSEP dbs[d]
          label = (dbs[d] == "mysql") ? "mariadb" : dbs[d]
          t = whole[f] ? (todo[f] + elsewhere[f] > 0 ? "the rest of the file" : "whole file") : todo[f] + 0
          printf "| %s | %s | %d | %d | %d | %d | %s |\n", f, label, pass[k], skip[k], fail[k], elsewhere[f], t
        }
      }
    }' compliance/todo.tsv "$log"
  echo
  echo "## Skipped, by flag"
  echo
  awk -F'\t' '$5 ~ /^skip:/ { sub(/^skip:/, "", $5); print "- " $1 ": " $2 " " $3 "::" $4 " (" $5 ")" }' "$log" | sort -u
  echo
  echo "## Failing"
  echo
  awk -F'\t' '$5 == "fail" { print "- " $1 ": " $2 " " $3 "::" $4 }' "$log" | sort -u
  echo
  echo "## Not ported yet, by reason"
  echo
  awk -F'\t' '$1 !~ /^#/ && NF >= 4 && $2 != "*" && $4 !~ /^ported in / { c[$1 ": " $4]++ } END { for (r in c) printf "- %s: %d\n", r, c[r] }' compliance/todo.tsv | sort
  awk -F'\t' '$1 !~ /^#/ && $2 == "*" { print "- " $1 ": " $4 }' compliance/todo.tsv
  echo
  echo "## Deliberate deviations"
  echo
  echo "One file per suite file in \`compliance/deviations/\`, each a list of what Athanor does on"
  echo "purpose differently from SQLAlchemy, and why."
  for f in compliance/deviations/*.md; do
    echo
    echo "### $(basename "$f" .md).py"
    echo
    cat "$f"
  done
} > compliance/REPORT.md
echo "wrote compliance/REPORT.md"
exit "$status"
