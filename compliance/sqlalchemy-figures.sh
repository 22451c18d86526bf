#!/usr/bin/env bash
# Runs SQLAlchemy's own dialect suite (test/dialect/test_suite.py, which is
# lib/sqlalchemy/testing/suite/) on SQLite, PostgreSQL and MariaDB, and writes
# compliance/sqlalchemy.tsv: per (suite file, class, test function, database) how many of its
# parametrized cases pass, skip, fail, or fail as SQLAlchemy expects (xfail). compliance/report.sh
# puts these figures beside Athanor's. Needs python3 (venv), network access to PyPI for the first
# run, and the test servers (.ci/servers); the URLs default to this machine's.
#
#   SA_GIT    a git dir holding SQLAlchemy (default: this machine's mirror)
#   SA_REF    the revision to run (default: HEAD of SA_GIT)
#   SA_VENV   the virtualenv to use or create (default: /work/sa-venv)
#   ATHANOR_TEST_POSTGRES / ATHANOR_TEST_MYSQL   the servers, as for the compliance suite
#
# SQLAlchemy runs from its source tree (its test/conftest.py puts lib/ first on sys.path), so
# pure Python, without its C extensions. The PostgreSQL driver is psycopg 3 (SQLAlchemy 2.1's
# default for postgresql://), the MariaDB one PyMySQL. It creates the schemas SQLAlchemy's
# suite needs if missing (PostgreSQL: test_schema, test_schema_2; MariaDB: databases of those
# names) and drops nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
out_tsv="$(pwd)/compliance/sqlalchemy.tsv"
SA_GIT="${SA_GIT:-/work/.mirror/sqlalchemy+sqlalchemy/repo}"
SA_REF="${SA_REF:-HEAD}"
SA_VENV="${SA_VENV:-/work/sa-venv}"
pg="${ATHANOR_TEST_POSTGRES:-postgresql://postgres@127.0.0.1:5432/test}"
my="${ATHANOR_TEST_MYSQL:-mysql://root@127.0.0.1:3306/test}"
# SQLAlchemy's URLs for the same servers: psycopg 3 and PyMySQL, utf8mb4 as its setup.cfg has it.
pg_url="postgresql+psycopg://${pg#*://}"
case "$my" in *\?*) my_url="mysql+pymysql://${my#*://}&charset=utf8mb4" ;;
                *) my_url="mysql+pymysql://${my#*://}?charset=utf8mb4" ;; esac

if [ ! -x "$SA_VENV/bin/python" ]; then
  python3 -m venv "$SA_VENV"
fi
"$SA_VENV/bin/python" -m pip install -q "pytest>=8,<10" "psycopg[binary]" pymysql "typing-extensions>=4.6"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
commit="$(git -C "$SA_GIT" rev-parse "$SA_REF^{commit}")"
git -C "$SA_GIT" archive "$commit" | tar -x -C "$work" -f -
mkdir "$work/out"

# The schemas the suite expects (CREATE ... IF NOT EXISTS: nothing existing is touched), and
# the server versions for the header.
(cd "$work/lib" && "$SA_VENV/bin/python" - "$pg_url" "$my_url" > "$work/out/versions") <<'EOF'
import sqlite3, sys
from sqlalchemy import create_engine, text
print("SQLite " + sqlite3.sqlite_version)
for url, stmts, q in [
    (sys.argv[1], ["CREATE SCHEMA IF NOT EXISTS test_schema",
                   "CREATE SCHEMA IF NOT EXISTS test_schema_2"], "SHOW server_version"),
    (sys.argv[2], ["CREATE DATABASE IF NOT EXISTS test_schema CHARACTER SET utf8mb4",
                   "CREATE DATABASE IF NOT EXISTS test_schema_2 CHARACTER SET utf8mb4"],
     "SELECT version()"),
]:
    engine = create_engine(url)
    with engine.begin() as conn:
        for s in stmts:
            conn.execute(text(s))
        v = conn.execute(text(q)).scalar()
    print("PostgreSQL " + v.split()[0] if engine.dialect.name == "postgresql" else "MariaDB " + v.split("-")[0])
    engine.dispose()
EOF

run() { # database dburi
  (cd "$work" && "$SA_VENV/bin/python" -m pytest test/dialect/test_suite.py --dburi "$2" \
    --maxfail=100000 -p no:cacheprovider -o junit_logging=system-out \
    --junitxml="out/$1.xml" -q > "out/$1.txt" 2>&1) || true
  tail -n 1 "$work/out/$1.txt"
}
run sqlite "sqlite:///:memory:"
run postgresql "$pg_url"
run mariadb "$my_url"

date="$(git -C "$SA_GIT" log -1 --format=%cs "$commit")"
"$SA_VENV/bin/python" - "$work" "$commit" "$date" "$out_tsv" "$pg_url" "$my_url" <<'EOF'
import ast, collections, datetime, glob, os, re, sys
import xml.etree.ElementTree as ET
from importlib import metadata

work, commit, date, out_tsv = sys.argv[1:5]
sys.path.insert(0, os.path.join(work, "lib"))
from sqlalchemy.engine import make_url
pg_url, my_url = (make_url(u).render_as_string(hide_password=True) for u in sys.argv[5:7])
suite = os.path.join(work, "lib", "sqlalchemy", "testing", "suite")
# Test classes are named uniquely across the suite's files; the plugin runs a backend-bound
# class as a subclass named <class>_<dialect>+<driver>_<server version>.
owner, bases, tests, attrs = {}, {}, {}, {}
for path in sorted(glob.glob(os.path.join(suite, "test_*.py"))):
    with open(path) as f:
        tree = ast.parse(f.read())
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            c = node.name
            owner[c] = os.path.basename(path)
            bases[c] = [b.id for b in node.bases if isinstance(b, ast.Name)]
            tests[c] = [n.name for n in node.body
                        if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))
                        and n.name.startswith("test_")]
            attrs[c] = [f"{t.id} = {ast.unparse(n.value)}" for n in node.body
                        if isinstance(n, ast.Assign) for t in n.targets
                        if isinstance(t, ast.Name) and t.id in
                        ("__requires__", "__only_on__", "__unsupported_on__", "__skip_if__")]

def mro(c):
    # the class, then its bases defined in the suite, depth first
    out = [c]
    for b in bases.get(c, []):
        if b in owner:
            out += [x for x in mro(b) if x not in out]
    return out

def all_tests(c):
    seen = []
    for k in mro(c):
        seen += [t for t in tests[k] if t not in seen]
    return seen

version = re.search(r'__version__ = "([^"]+)"',
                    open(os.path.join(work, "lib", "sqlalchemy", "__init__.py")).read()).group(1)

def short(msg):
    # "'test/dialect/test_suite.py::Cls_backend::test[params] (call)' : reason" -> reason
    msg = msg.split("' : ", 1)[-1] if "' : " in msg else msg
    msg = " ".join(msg.split()).replace("\t", " ")
    return msg if len(msg) <= 90 else msg[:87] + "..."

dbs = ["sqlite", "postgresql", "mariadb"]
rows = collections.defaultdict(lambda: {"pass": 0, "skip": 0, "fail": 0, "xfail": 0, "why": []})
totals = {db: collections.Counter() for db in dbs}
for db in dbs:
    for tc in ET.parse(os.path.join(work, "out", db + ".xml")).iter("testcase"):
        name = tc.get("classname").rsplit(".", 1)[-1]
        cls = max((c for c in owner if name == c or name.startswith(c + "_")), key=len)
        test = tc.get("name").split("[", 1)[0]
        r = rows[(owner[cls], cls, test, db)]
        out = tc.findtext("system-out") or ""
        skipped = tc.find("skipped")
        if tc.find("failure") is not None or tc.find("error") is not None:
            kind = "fail"
        elif skipped is not None:
            kind = "skip"
            why = short(skipped.get("message") or "")
            if why not in r["why"]:
                r["why"].append(why)
        elif " failed as expected (" in out:
            kind = "xfail"
        else:
            kind = "pass"
        r[kind] += 1
        totals[db][kind] += 1

# Test functions the plugin never collected on a database (a class whose requirements exclude
# it is not generated at all, so pytest reports neither pass nor skip): a row of zeros.
for cls in owner:
    if cls.startswith("_"):
        continue
    for test in all_tests(cls):
        for db in dbs:
            if (owner[cls], cls, test, db) not in rows:
                why = "; ".join(dict.fromkeys(a for k in mro(cls) for a in attrs[k]))
                rows[(owner[cls], cls, test, db)]["why"].append(
                    "not collected" + (f" ({why})" if why else ""))
unknown = {(f, c, t) for (f, c, t, db) in rows if t not in all_tests(c)}
if unknown:
    sys.exit(f"test functions pytest ran that the suite's source does not show: {sorted(unknown)}")

versions = open(os.path.join(work, "out", "versions")).read().split("\n")
pkgs = ", ".join(f"{p} {metadata.version(p)}" for p in ["pytest", "psycopg", "PyMySQL"])
with open(out_tsv, "w") as f:
    f.write(
        "# SQLAlchemy's own figures: its dialect suite (test/dialect/test_suite.py, i.e.\n"
        "# lib/sqlalchemy/testing/suite/) run on this machine's databases. Written by\n"
        "# compliance/sqlalchemy-figures.sh (do not edit) on "
        f"{datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d}.\n"
        f"# SQLAlchemy {version} at {commit} ({date}), from its source tree (pure Python);\n"
        f"# Python {sys.version.split()[0]}, {pkgs}; {', '.join(v for v in versions if v)}.\n"
        "# Command, per database: pytest test/dialect/test_suite.py --dburi URL -p no:cacheprovider\n"
        "#   --maxfail=100000 -o junit_logging=system-out --junitxml=DB.xml, with URL\n"
        f"#   sqlite:///:memory:, {pg_url},\n"
        f"#   {my_url} (MariaDB).\n"
        "# Totals (cases): " + "; ".join(
            f"{db} {t['pass']} pass / {t['skip']} skip / {t['xfail']} xfail / {t['fail']} fail"
            for db, t in totals.items()) + ".\n"
        "# One row per (suite file, class, test function, database); the counts are over the\n"
        "# function's parametrized cases (1 when it has none). xfail: failed as SQLAlchemy's\n"
        "# requirements expect (fails_if / fails_on), which pytest counts as passed; pass excludes them.\n"
        "# skip_reason: the distinct skip messages, shortened, joined by ' | '. A function of the\n"
        "# suite the run never collected on a database (its class's requirements exclude it, so\n"
        "# pytest counts it nowhere) has a row of zeros and 'not collected (the class's requirements)'.\n"
        "# file\tclass\ttest\tdatabase\tpass\tskip\tfail\txfail\tskip_reason\n")
    for (file, cls, test, db) in sorted(rows, key=lambda k: (k[0], k[1], k[2], dbs.index(k[3]))):
        r = rows[(file, cls, test, db)]
        f.write("\t".join([file, cls, test, db, str(r["pass"]), str(r["skip"]), str(r["fail"]),
                           str(r["xfail"]), " | ".join(r["why"])]) + "\n")
print(f"wrote {out_tsv}: {len(rows)} rows")
EOF
