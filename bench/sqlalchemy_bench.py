#!/usr/bin/env python3
"""The suite's workloads through SQLAlchemy 2.x Core, and its ORM workloads (`orm_*`, issue 14)
through SQLAlchemy's ORM, for the README's honest ratio.

Creates a virtualenv (bench/.venv, gitignored) and installs SQLAlchemy 2.x there (plus
psycopg2-binary / pymysql when server URLs are set), re-runs itself inside it, times each
workload (median of several runs, like criterion's median) and writes
bench/sqlalchemy_results.json for `cargo run -p athanor-bench --bin report`.

Server URLs come from ATHANOR_BENCH_POSTGRES / ATHANOR_BENCH_MYSQL (or ATHANOR_TEST_*); the
benchmarks use their own database there, athanor_bench_sqlalchemy.
ATHANOR_BENCH_BACKENDS and ATHANOR_BENCH_ONLY narrow a run as for the Rust suite.
"""

import json
import os
import platform
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
VENV = os.path.join(HERE, ".venv")


def env_url(a, b):
    return os.environ.get(a) or os.environ.get(b) or None


def ensure_venv():
    """Re-executes inside bench/.venv with SQLAlchemy installed."""
    if os.environ.get("ATHANOR_BENCH_IN_VENV") == "1":
        return
    py = os.path.join(VENV, "bin", "python")
    if not os.path.exists(py):
        subprocess.check_call([sys.executable, "-m", "venv", VENV])
    pkgs = ["SQLAlchemy>=2,<3"]
    if env_url("ATHANOR_BENCH_POSTGRES", "ATHANOR_TEST_POSTGRES"):
        pkgs.append("psycopg2-binary")
    if env_url("ATHANOR_BENCH_MYSQL", "ATHANOR_TEST_MYSQL"):
        pkgs.append("pymysql")
    subprocess.check_call([py, "-m", "pip", "install", "-q", "--disable-pip-version-check", *pkgs])
    env = dict(os.environ, ATHANOR_BENCH_IN_VENV="1")
    os.execve(py, [py, os.path.abspath(__file__), *sys.argv[1:]], env)


def wants(workload):
    only = os.environ.get("ATHANOR_BENCH_ONLY", "")
    return not only or any(o.strip() in workload for o in only.split(","))


def backends():
    out = [("sqlite-mem", "sqlite://")]
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(HERE, "..", "target"))
    d = os.path.join(target, "athanor-bench")
    os.makedirs(d, exist_ok=True)
    path = os.path.abspath(os.path.join(d, "sqlalchemy.db"))
    for s in ("", "-wal", "-shm", "-journal"):
        if os.path.exists(path + s):
            os.remove(path + s)
    out.append(("sqlite-file", "sqlite:///" + path))
    pg = env_url("ATHANOR_BENCH_POSTGRES", "ATHANOR_TEST_POSTGRES")
    if pg:
        out.append(("postgresql", pg.replace("postgresql://", "postgresql+psycopg2://", 1)))
    my = env_url("ATHANOR_BENCH_MYSQL", "ATHANOR_TEST_MYSQL")
    if my:
        out.append(("mariadb", my.replace("mysql://", "mysql+pymysql://", 1).replace("mariadb://", "mysql+pymysql://", 1)))
    only = os.environ.get("ATHANOR_BENCH_BACKENDS")
    if only:
        out = [b for b in out if b[0] in [o.strip() for o in only.split(",")]]
    return out


def main():
    ensure_venv()
    import sqlalchemy as sa
    from sqlalchemy import (Column, ForeignKey, Integer, MetaData, String, Table, bindparam, event,
                            create_engine, desc, func, insert, select, delete)

    md = MetaData()
    s255 = lambda: String(255)  # noqa: E731
    users = Table("users", md, Column("id", Integer, primary_key=True),
                  Column("name", s255(), nullable=False), Column("hair_color", s255()))
    posts = Table("posts", md, Column("id", Integer, primary_key=True),
                  Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
                  Column("title", s255(), nullable=False), Column("body", s255()))
    comments = Table("comments", md, Column("id", Integer, primary_key=True),
                     Column("post_id", Integer, ForeignKey("posts.id"), nullable=False),
                     Column("text", s255(), nullable=False))
    new_users = Table("new_users", md, Column("id", Integer, primary_key=True),
                      Column("name", s255(), nullable=False), Column("hair_color", s255()))
    customer = Table("customer", md, Column("id", Integer, primary_key=True),
                     Column("name", s255()), Column("description", s255()))
    new_customer = Table("new_customer", md, Column("id", Integer, primary_key=True),
                         Column("name", s255()), Column("description", s255()))

    def user(i):
        return {"id": i + 1, "name": f"User {i}", "hair_color": "black" if i % 2 == 0 else "brown"}

    def post(j, per):
        return {"id": j + 1, "user_id": j // per + 1, "title": f"Post {j} by user {j // per}",
                "body": None if j % 3 == 0 else f"Body of post {j}"}

    def comment(k, per):
        return {"id": k + 1, "post_id": k // per + 1, "text": f"Comment {k} on post {k // per}"}

    def cust(i):
        return {"id": i, "name": f"customer name {i}", "description": f"customer description {i}"}

    def get_ids():
        """1..=10 000 in the Rust suite's shuffled order (athanor_bench::orm::get_ids)."""
        ids = list(range(1, 10_001))
        x = 0x9E3779B97F4A7C15
        m = (1 << 64) - 1
        for i in range(len(ids) - 1, 0, -1):
            x ^= (x << 13) & m
            x ^= x >> 7
            x ^= (x << 17) & m
            j = x % (i + 1)
            ids[i], ids[j] = ids[j], ids[i]
        return ids

    def lookup_ids(n):
        x = 0x2545F4914F6CDD1D
        m = (1 << 64) - 1
        out = []
        for _ in range(n):
            x ^= (x << 13) & m
            x ^= x >> 7
            x ^= (x << 17) & m
            out.append(x % 10_000 + 1)
        return out

    def fill_rows(c, n, per, cper):
        """n users, per posts each, cper comments per post (in c's transaction)."""
        c.execute(delete(comments))
        c.execute(delete(posts))
        c.execute(delete(users))
        c.execute(insert(users), [user(i) for i in range(n)])
        if per:
            c.execute(insert(posts), [post(j, per) for j in range(n * per)])
        if cper:
            c.execute(insert(comments), [comment(k, cper) for k in range(n * per * cper)])

    results = []

    def measure(backend, workload, fn, runs, setup=None, implementation="sqlalchemy"):
        if not wants(workload):
            return
        fn() if setup is None else (setup(), fn())  # warm-up
        times = []
        deadline = time.perf_counter() + 3.0
        for i in range(runs):
            if setup:
                setup()
            t0 = time.perf_counter_ns()
            fn()
            times.append(time.perf_counter_ns() - t0)
            if i >= 4 and time.perf_counter() > deadline:
                break
        med = statistics.median(times)
        results.append({"workload": workload, "implementation": implementation,
                        "backend": backend, "median_ns": med})
        print(f"{backend}/{workload}: {med / 1e6:.3f} ms ({len(times)} runs)", flush=True)

    def loops(ns_hint):
        return 10 if ns_hint > 1e7 else 200

    from sqlalchemy.orm import DeclarativeBase, Session

    class Base(DeclarativeBase):
        pass

    # examples/performance's Customer, mapped to the suite's tables.
    class Cust(Base):
        __table__ = customer

    class NewCust(Base):
        __table__ = new_customer

    def orm_workloads(label, engine, rows10k):
        """The Rust suite's orm_* workloads (athanor_bench::orm), in the shapes of
        examples/performance: large_resultsets (full objects), short_selects (get by key),
        bulk_inserts (add_all, commit; keys generated), bulk_updates (load, change, commit)."""

        def orm_load():
            with Session(engine) as s:
                objs = s.scalars(select(Cust).limit(10_000)).all()
                assert len(objs) == 10_000
        measure(label, "orm_load_10000", orm_load, 10)

        ids = get_ids()

        def orm_get():
            with Session(engine) as s:
                for i in ids:
                    s.get(Cust, i)
        measure(label, "orm_get_10000", orm_get, 5)

        if wants("orm_get_warm_10000"):
            # The session holds every object (its identity map is weak: `held` keeps them),
            # its transaction committed without expiring them: each get reads the map only.
            warm = Session(engine, expire_on_commit=False)
            held = warm.scalars(select(Cust).where(Cust.id.between(1, 10_000))).all()
            assert len(held) == 10_000
            warm.commit()

            def orm_get_warm():
                for i in ids:
                    warm.get(Cust, i)
            measure(label, "orm_get_warm_10000", orm_get_warm, 10)
            warm.close()
            del held

        def clear_new():
            with engine.begin() as c:
                c.execute(delete(new_customer))

        def orm_insert():
            with Session(engine) as s:
                s.add_all([NewCust(name=r["name"], description=r["description"]) for r in rows10k])
                s.commit()
        measure(label, "orm_insert_10000", orm_insert, 5, setup=clear_new)

        rounds = [0]

        def orm_update():
            rounds[0] += 1
            with Session(engine) as s:
                objs = s.scalars(select(Cust).where(Cust.id.between(1, 1000))).all()
                assert len(objs) == 1000
                for o in objs:
                    o.description = f"customer description {o.id} v{rounds[0]}"
                s.commit()
        measure(label, "orm_update_1000", orm_update, 10)

    # Eager loading (issue 15): the Rust suite's orm_eager_* workloads (athanor_bench::eager).
    from decimal import Decimal
    from sqlalchemy import Index, Numeric, Unicode
    from sqlalchemy.orm import joinedload, relationship, selectinload

    class UserO(Base):
        __table__ = users
        posts = relationship("PostO", lazy="raise")

    class PostO(Base):
        __table__ = posts
        comments = relationship("CommentO", lazy="raise")

    class CommentO(Base):
        __table__ = comments

    # The five Chinook tables the workload reads, as athanor::chinook::metadata() defines them
    # (the foreign-key indexes included), in their own MetaData.
    cmd = MetaData()
    artist_t = Table("Artist", cmd, Column("ArtistId", Integer, primary_key=True),
                     Column("Name", Unicode(120)))
    album_t = Table("Album", cmd, Column("AlbumId", Integer, primary_key=True),
                    Column("Title", Unicode(160), nullable=False),
                    Column("ArtistId", Integer, ForeignKey("Artist.ArtistId"), nullable=False),
                    Index("IFK_AlbumArtistId", "ArtistId"))
    genre_t = Table("Genre", cmd, Column("GenreId", Integer, primary_key=True),
                    Column("Name", Unicode(120)))
    media_type_t = Table("MediaType", cmd, Column("MediaTypeId", Integer, primary_key=True),
                         Column("Name", Unicode(120)))
    track_t = Table("Track", cmd, Column("TrackId", Integer, primary_key=True),
                    Column("Name", Unicode(200), nullable=False),
                    Column("AlbumId", Integer, ForeignKey("Album.AlbumId")),
                    Column("MediaTypeId", Integer, ForeignKey("MediaType.MediaTypeId"), nullable=False),
                    Column("GenreId", Integer, ForeignKey("Genre.GenreId")),
                    Column("Composer", Unicode(220)),
                    Column("Milliseconds", Integer, nullable=False),
                    Column("Bytes", Integer),
                    Column("UnitPrice", Numeric(10, 2), nullable=False),
                    Index("IFK_TrackAlbumId", "AlbumId"), Index("IFK_TrackGenreId", "GenreId"),
                    Index("IFK_TrackMediaTypeId", "MediaTypeId"))

    class ArtistO(Base):
        __table__ = artist_t
        albums = relationship("AlbumO", lazy="raise")

    class AlbumO(Base):
        __table__ = album_t
        tracks = relationship("TrackO", lazy="raise")

    class GenreO(Base):
        __table__ = genre_t

    class TrackO(Base):
        __table__ = track_t
        genre = relationship("GenreO", lazy="raise")

    def install_chinook(engine):
        """The shipped Chinook rows (crates/athanor/data/chinook.json.gz) of the five tables."""
        import gzip
        with gzip.open(os.path.join(HERE, "..", "crates", "athanor", "data", "chinook.json.gz")) as f:
            data = {t["name"]: t for t in json.load(f)["tables"]}
        cmd.drop_all(engine)
        cmd.create_all(engine)
        with engine.begin() as c:
            for t in (artist_t, album_t, genre_t, media_type_t, track_t):
                d = data[t.name]
                rows = [dict(zip(d["columns"], r)) for r in d["rows"]]
                for r in rows:
                    if "UnitPrice" in r:
                        r["UnitPrice"] = Decimal(r["UnitPrice"])
                c.execute(insert(t), rows)

    def eager_workloads(label, engine):
        """users -> posts -> comments and Chinook's artists -> albums -> tracks -> genre, each
        loaded by a new session with selectinload chains, and the same tree built from the
        objects as the Rust cells build it."""
        if wants("orm_eager_nested"):
            with engine.begin() as c:
                fill_rows(c, 100, 10, 10)
            opts = selectinload(UserO.posts).selectinload(PostO.comments)

            def eager_nested():
                with Session(engine) as s:
                    us = s.scalars(select(UserO).options(opts)).all()
                    tree = [(u, [(p, list(p.comments)) for p in u.posts]) for u in us]
                assert len(tree) == 100
                assert sum(len(cs) for _, ps in tree for _, cs in ps) == 10_000
            measure(label, "orm_eager_nested", eager_nested, 10)

        if wants("orm_eager_chinook"):
            install_chinook(engine)

            def chinook(opts):
                def load():
                    with Session(engine) as s:
                        arts = s.scalars(select(ArtistO).options(opts)).all()
                        tree = [(a, [(al, [(t, t.genre) for t in al.tracks]) for al in a.albums])
                                for a in arts]
                    albums = [al for _, als in tree for al, _ in als]
                    tracks = [t for _, als in tree for _, ts in als for t, _ in ts]
                    genres = {g.GenreId for _, als in tree for _, ts in als for _, g in ts if g}
                    assert (len(tree), len(albums), len(tracks), len(genres)) == (275, 347, 3503, 25)
                return load
            # The brief's shape: joinedload for the many-to-one at the leaf ...
            measure(label, "orm_eager_chinook", chinook(
                selectinload(ArtistO.albums).selectinload(AlbumO.tracks).joinedload(TrackO.genre)), 10)
            # ... and selectin at every level (the statements the Rust cells send).
            measure(label, "orm_eager_chinook", chinook(
                selectinload(ArtistO.albums).selectinload(AlbumO.tracks).selectinload(TrackO.genre)),
                10, implementation="sqlalchemy-selectin")

    for label, url in backends():
        if label in ("postgresql", "mariadb"):
            base, _ = url.rsplit("/", 1)
            admin = create_engine(url, isolation_level="AUTOCOMMIT")
            with admin.connect() as c:
                if label == "postgresql":
                    if not c.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = 'athanor_bench_sqlalchemy'")).first():
                        c.execute(sa.text("CREATE DATABASE athanor_bench_sqlalchemy"))
                else:
                    c.execute(sa.text("CREATE DATABASE IF NOT EXISTS athanor_bench_sqlalchemy"))
            admin.dispose()
            url = base + "/athanor_bench_sqlalchemy"
        engine = create_engine(url)
        if label == "sqlite-file":
            @event.listens_for(engine, "connect")
            def _pragmas(dbapi_conn, _rec):
                cur = dbapi_conn.cursor()
                cur.execute("PRAGMA journal_mode = WAL")
                cur.execute("PRAGMA synchronous = NORMAL")
                cur.close()
        md.drop_all(engine)
        md.create_all(engine)
        if any(wants(w) for w in ("fetch_500000", "pk_lookups_10000", "orm_load_10000",
                                  "orm_get_10000", "orm_get_warm_10000", "orm_update_1000")):
            with engine.begin() as c:
                for start in range(1, 500_001, 10_000):
                    c.execute(insert(customer), [cust(i) for i in range(start, start + 10_000)])
        conn = engine.connect()

        def fill(n, per, cper):
            if conn.in_transaction():
                conn.rollback()  # the reads before autobegan one
            with conn.begin():
                fill_rows(conn, n, per, cper)

        def load_users():
            return [dict(id=r[0], name=r[1], hair_color=r[2]) for r in conn.execute(select(users))]

        def join():
            stmt = (select(users.c.id, users.c.name, users.c.hair_color, posts.c.id, posts.c.user_id,
                           posts.c.title, posts.c.body)
                    .select_from(users.outerjoin(posts)).where(users.c.hair_color == "black"))
            return [(r[0], r[1], r[2], (r[3], r[4], r[5], r[6]) if r[3] is not None else None)
                    for r in conn.execute(stmt)]

        def nested():
            us = conn.execute(select(users)).all()
            ps = conn.execute(select(posts).where(posts.c.user_id.in_([u.id for u in us]))).all()
            cs = conn.execute(select(comments).where(comments.c.post_id.in_([p.id for p in ps]))).all()
            by_post = {p.id: [] for p in ps}
            for c in cs:
                by_post[c.post_id].append(c)
            by_user = {u.id: [] for u in us}
            for p in ps:
                by_user[p.user_id].append((p, by_post[p.id]))
            return [(u, by_user[u.id]) for u in us]

        for n in (1, 100, 10_000):
            if not (wants(f"load_users_{n}") or wants(f"users_join_posts_{n}")):
                continue
            fill(n, 1, 0)
            measure(label, f"load_users_{n}", load_users, loops(n * 1e4))
            if n != 100:
                measure(label, f"users_join_posts_{n}", join, loops(n * 1e4))
        if wants("nested_100x10x10"):
            fill(100, 10, 10)
            measure(label, "nested_100x10x10", nested, 10)
        for n in (1, 100):
            rows = [{"name": f"User {i}", "hair_color": "black" if i % 2 == 0 else "brown"} for i in range(n)]

            def ins(rows=rows):
                conn.execute(insert(new_users).values(rows))
                conn.commit()
            if conn.in_transaction():
                conn.rollback()
            conn.execute(delete(new_users))
            conn.commit()
            measure(label, f"insert_users_{n}", ins, 200)

        def clear_customers():
            if conn.in_transaction():
                conn.rollback()
            conn.execute(delete(new_customer))
            conn.commit()

        rows = [cust(i) for i in range(1, 100_001)]

        def bulk():
            with conn.begin():
                conn.execute(insert(new_customer), rows)
        measure(label, "bulk_insert_100000", bulk, 5, setup=clear_customers)

        rows10k = rows[:10_000]

        # examples/performance/single_inserts.py test_core: one insert() statement, each
        # row's values given at execution.
        single_insert = insert(new_customer)

        def single():
            for r in rows10k:
                with conn.begin():
                    conn.execute(single_insert, r)
        measure(label, "single_tx_inserts_10000", single, 5, setup=clear_customers)

        def fetch():
            out = [dict(id=r[0], name=r[1], description=r[2]) for r in conn.execute(select(customer))]
            assert len(out) == 500_000
        measure(label, "fetch_500000", fetch, 5)

        ids = lookup_ids(10_000)

        # As examples/performance/short_selects.py: test_core_reuse_stmt (one statement with
        # a bindparam, what the raw baseline does) and test_core_new_stmt_each_time.
        by_id = select(customer).where(customer.c.id == bindparam("id"))

        def lookups():
            for i in ids:
                r = conn.execute(by_id, {"id": i}).one()
                dict(id=r[0], name=r[1], description=r[2])
        measure(label, "pk_lookups_10000", lookups, 5)

        def lookups_new_stmt():
            for i in ids:
                r = conn.execute(select(customer).where(customer.c.id == i)).one()
                dict(id=r[0], name=r[1], description=r[2])
        measure(label, "pk_lookups_10000", lookups_new_stmt, 5,
                implementation="sqlalchemy-new-stmt")
        conn.rollback()
        conn.close()
        orm_workloads(label, engine, rows10k)
        eager_workloads(label, engine)
        engine.dispose()

    # Compiling the seed's Chinook "albums per artist" statement.
    if wants("compile_albums_per_artist"):
        from sqlalchemy.dialects import sqlite as sqlite_dialect
        cmd = MetaData()
        artist = Table("Artist", cmd, Column("ArtistId", Integer, primary_key=True), Column("Name", String(120)))
        album = Table("Album", cmd, Column("AlbumId", Integer, primary_key=True), Column("Title", String(160)),
                      Column("ArtistId", Integer, ForeignKey("Artist.ArtistId")))
        stmt = (select(artist.c.Name, func.count(album.c.Title).label("# of albums"))
                .select_from(artist.join(album)).group_by(album.c.ArtistId)
                .order_by(desc("# of albums")).limit(10))
        d = sqlite_dialect.dialect()
        cache = {}
        # What SQLAlchemy's compiled cache does per execution: the statement's cache key
        # (its structure, as nested tuples), then a dict lookup.
        cache[stmt._generate_cache_key().key] = stmt.compile(dialect=d)

        def timeit(fn, n):
            best = []
            for _ in range(7):
                t0 = time.perf_counter_ns()
                for _ in range(n):
                    fn()
                best.append((time.perf_counter_ns() - t0) / n)
            return statistics.median(best)

        for imp, fn, n in (("sqlalchemy-cached", lambda: cache[stmt._generate_cache_key().key], 2000),
                           ("sqlalchemy-uncached", lambda: stmt.compile(dialect=d), 500)):
            med = timeit(fn, n)
            results.append({"workload": "compile_albums_per_artist", "implementation": imp,
                            "backend": "none", "median_ns": med})
            print(f"compile {imp}: {med / 1e3:.1f} µs", flush=True)

    # A narrowed run (ATHANOR_BENCH_ONLY, ATHANOR_BENCH_BACKENDS) replaces only what it
    # measured: the other cells of the last run stay.
    path = os.path.join(HERE, "sqlalchemy_results.json")
    kept = []
    if os.environ.get("ATHANOR_BENCH_ONLY") or os.environ.get("ATHANOR_BENCH_BACKENDS"):
        try:
            with open(path) as f:
                old = json.load(f).get("results", [])
        except (OSError, ValueError):
            old = []
        done = {(r["workload"], r["implementation"], r["backend"]) for r in results}
        kept = [r for r in old if (r["workload"], r["implementation"], r["backend"]) not in done]
    out = {"sqlalchemy_version": sa.__version__, "python_version": platform.python_version(),
           "results": kept + results}
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
