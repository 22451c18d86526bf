#!/usr/bin/env bash
# Runs the ported SQLAlchemy compliance suite (crates/athanor/tests/compliance/) on SQLite,
# PostgreSQL and MariaDB, and writes compliance/REPORT.md from what each test recorded and
# from compliance/todo.tsv (the suite's tests not ported yet), beside SQLAlchemy's own figures
# from compliance/sqlalchemy.tsv (compliance/sqlalchemy-figures.sh; not rerun here). Needs gawk
# and the test servers (.ci/servers); the URLs default to this machine's.
set -euo pipefail
cd "$(dirname "$0")/.."
export ATHANOR_TEST_POSTGRES="${ATHANOR_TEST_POSTGRES:-postgresql://postgres@127.0.0.1:5432/test}"
export ATHANOR_TEST_MYSQL="${ATHANOR_TEST_MYSQL:-mysql://root@127.0.0.1:3306/test}"
log="$(mktemp)"
sa=compliance/sqlalchemy.tsv
[ -e "$sa" ] || sa=/dev/null
trap 'rm -f "$log"' EXIT
status=0
ATHANOR_COMPLIANCE_LOG="$log" cargo test -q -p athanor --all-features --test compliance || status=$?
{
  echo "# Compliance with SQLAlchemy's suite"
  echo
  echo "Written by \`compliance/report.sh\` (do not edit) on $(date -u +%Y-%m-%d) at $(git rev-parse --short HEAD)."
  echo "Each test of \`lib/sqlalchemy/testing/suite/\` is ported as behaviour, fixtures and assertions"
  echo "(\`crates/athanor/tests/compliance/\`), and run on each database unless SQLAlchemy's"
  echo "\`test/requirements.py\` skips it there (skip: the flag). Athanor's test functions are counted"
  echo "once each."
  echo
  echo "Beside them, SQLAlchemy's own figures for the whole file on the same database, from"
  echo "\`compliance/sqlalchemy.tsv\` (written by \`compliance/sqlalchemy-figures.sh\`), each as"
  echo "pass / skip / xfail / fail: by test function (a function passes when at least one of its"
  echo "parametrized cases passes and none fails, is xfail when its cases only fail as SQLAlchemy's"
  echo "requirements expect, skipped when every case is skipped or when pytest never collected it"
  echo "there: SQLAlchemy generates no class for a database its class's requirements exclude), and"
  echo "by case (every parametrized case; pytest counts xfail cases as passed)."
  if [ -s "$sa" ]; then
    echo
    echo "$(sed -n 's/^# \(SQLAlchemy [^ ]* at [0-9a-f]\{10\}\)[0-9a-f]* \(([0-9-]*)\).*/\1 \2/p' "$sa")"
    echo "on this machine's databases, the whole suite in cases:"
    sed -n 's/^# Totals (cases): \(.*\)\.$/\1/p' "$sa" | tr ';' '\n' | sed 's/^ */- /'
  else
    echo
    echo "(No \`compliance/sqlalchemy.tsv\`: run \`compliance/sqlalchemy-figures.sh\`.)"
  fi
  echo
  echo "| file | database | pass | skip | fail | ported outside the harness | not ported | SQLAlchemy functions | SQLAlchemy cases |"
  echo "|---|---|---|---|---|---|---|---|---|"
  awk -F'\t' '
    ARGIND == 1 {
      if ($1 !~ /^#/ && NF >= 4) {
        files[$1] = 1
        if ($2 == "*") whole[$1] = 1
        else if ($4 ~ /^ported in /) elsewhere[$1]++
        else todo[$1]++
      }
      next
    }
    ARGIND == 2 {
      if ($1 ~ /^#/ || NF < 8) next
      files[$1] = 1; k = $1 SUBSEP $4
      o = $7 > 0 ? "fail" : $5 > 0 ? "pass" : $8 > 0 ? "xfail" : "skip"
      fn[k, o]++
      cs[k, "pass"] += $5; cs[k, "skip"] += $6; cs[k, "fail"] += $7; cs[k, "xfail"] += $8
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
          s = f SUBSEP label
          t = whole[f] ? (todo[f] + elsewhere[f] > 0 ? "the rest of the file" : "whole file") : todo[f] + 0
          printf "| %s | %s | %d | %d | %d | %d | %s | %d / %d / %d / %d | %d / %d / %d / %d |\n", \
            f, label, pass[k], skip[k], fail[k], elsewhere[f], t, \
            fn[s, "pass"], fn[s, "skip"], fn[s, "xfail"], fn[s, "fail"], \
            cs[s, "pass"], cs[s, "skip"], cs[s, "xfail"], cs[s, "fail"]
        }
      }
    }' compliance/todo.tsv "$sa" "$log"
  echo
  echo "## Skipped, by flag"
  echo
  awk -F'\t' '$5 ~ /^skip:/ { sub(/^skip:/, "", $5); print "- " $1 ": " $2 " " $3 "::" $4 " (" $5 ")" }' "$log" | sort -u
  echo
  echo "## Failing"
  echo
  awk -F'\t' '$5 == "fail" { print "- " $1 ": " $2 " " $3 "::" $4 }' "$log" | sort -u
  echo
  echo "## SQLAlchemy passes, Athanor skips"
  echo
  echo "Test functions Athanor's run skips on a database (by flag) where SQLAlchemy passes at least one"
  echo "of its cases: a flag that may not match \`test/requirements.py\`."
  echo
  # Both lists compare the log (dialect "mysql" is MariaDB) with compliance/sqlalchemy.tsv.
  compare='
    ARGIND == 1 {
      if ($1 ~ /^#/ || NF < 8) next
      k = $4 SUBSEP $1 SUBSEP $2 SUBSEP $3
      sa[k] = 1; p[k] = $5; s[k] = $6; f[k] = $7; x[k] = $8; why[k] = $9
      known[$1 SUBSEP $2 SUBSEP $3] = 1
      next
    }
    {
      db = ($1 == "mysql") ? "mariadb" : $1
      k = db SUBSEP $2 SUBSEP $3 SUBSEP $4
      name = db ": " $2 " " $3 "::" $4
      cases = p[k] + s[k] + f[k] + x[k]
      if (want == "unknown") {
        if (!(($2 SUBSEP $3 SUBSEP $4) in known)) print "- " $2 " " $3 "::" $4
      } else if (!(k in sa)) {
        next
      } else if (want == "sa-pass") {
        # A function ported as several tests (one per case) counts as run when any of them ran.
        if ($5 ~ /^skip/) { skipped[k] = $5; nm[k] = name } else ran[k] = 1
      } else if (want == "sa-skip" && $5 !~ /^skip/ && p[k] == 0) {
        printf "- %s (Athanor %s; SQLAlchemy: %s)\n", name, $5, \
          (f[k] > 0 ? "fails" : x[k] > 0 ? x[k] " of " cases " cases fail as expected" (s[k] > 0 ? ", the rest skip: " why[k] : "") : "skip: " why[k])
      }
    }
    END {
      for (k in skipped) {
        if ((k in ran) || p[k] == 0) continue
        printf "- %s (Athanor %s; SQLAlchemy: %d of %d cases pass%s)\n", nm[k], skipped[k], p[k], \
          p[k] + s[k] + f[k] + x[k], (s[k] > 0 ? ", the rest skip: " why[k] : "")
      }
    }'
  if [ -s "$sa" ]; then
    out="$(awk -F'\t' -v want=sa-pass "$compare" "$sa" "$log" | sort -u)"
    echo "${out:-None.}"
    echo
    echo "## SQLAlchemy skips or expects failure, Athanor runs"
    echo
    echo "Test functions Athanor runs on a database where SQLAlchemy passes none of its cases."
    echo
    out="$(awk -F'\t' -v want=sa-skip "$compare" "$sa" "$log" | sort -u)"
    echo "${out:-None.}"
    echo
    echo "## Ported tests SQLAlchemy's suite does not have"
    echo
    echo "Names recorded by Athanor's run with no such test function in \`compliance/sqlalchemy.tsv\`"
    echo "(a misspelt \`Origin\`, or a test SQLAlchemy removed)."
    echo
    out="$(awk -F'\t' -v want=unknown "$compare" "$sa" "$log" | sort -u)"
    echo "${out:-None.}"
  else
    echo "(No \`compliance/sqlalchemy.tsv\`.)"
  fi
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
