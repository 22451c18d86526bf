"""SQLAlchemy's ORM as the oracle for crates/athanor/tests/orm/oracle.rs.

Runs each session program below through SQLAlchemy 2.x on a fresh Chinook in SQLite (with
PRAGMA foreign_keys=ON), PostgreSQL and MariaDB, and prints, per program and database, what it
returned and the statements it sent (kind and table, in order; `xN` for an executemany of N
rows). The Rust tests assert these results; where Athanor deliberately differs, the test says
so.

    python3 -m venv /work/sa-venv && /work/sa-venv/bin/pip install sqlalchemy psycopg2-binary pymysql
    cargo build -p athanor-cli --features postgres,mysql
    ATHANOR_TEST_POSTGRES=postgresql://postgres@127.0.0.1:5432/test \
    ATHANOR_TEST_MYSQL=mysql://root@127.0.0.1:3306/test \
    /work/sa-venv/bin/python bench/sqlalchemy_orm_oracle.py [program ...]

Chinook is installed by Athanor's CLI (target/debug/athanor chinook URL) into a temporary
SQLite file, PostgreSQL schema and MariaDB database, dropped afterwards.
"""

import datetime
import decimal
import json
import os
import re
import subprocess
import sys
import tempfile
import warnings

from sqlalchemy import (
    ForeignKey, Numeric, Float, String, create_engine, event, exists, func, inspect, select,
    text, update, delete,
)
from sqlalchemy.exc import SAWarning
from sqlalchemy.orm import (
    DeclarativeBase, Mapped, Session, mapped_column, relationship,
)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLI = os.path.join(ROOT, "target", "debug", "athanor")


class Base(DeclarativeBase):
    pass


class Artist(Base):
    __tablename__ = "Artist"
    ArtistId: Mapped[int] = mapped_column(primary_key=True)
    Name: Mapped[str | None] = mapped_column(String(120))


class Album(Base):
    __tablename__ = "Album"
    AlbumId: Mapped[int] = mapped_column(primary_key=True)
    Title: Mapped[str] = mapped_column(String(160))
    ArtistId: Mapped[int] = mapped_column(ForeignKey("Artist.ArtistId"))
    # SQLAlchemy orders the flush by relationships, not by foreign keys alone: the programs
    # that are about flush order set these (Athanor reads the foreign keys).
    artist: Mapped[Artist] = relationship()


class Genre(Base):
    __tablename__ = "Genre"
    GenreId: Mapped[int] = mapped_column(primary_key=True)
    Name: Mapped[str | None] = mapped_column(String(120))


class MediaType(Base):
    __tablename__ = "MediaType"
    MediaTypeId: Mapped[int] = mapped_column(primary_key=True)
    Name: Mapped[str | None] = mapped_column(String(120))


class Track(Base):
    __tablename__ = "Track"
    TrackId: Mapped[int] = mapped_column(primary_key=True)
    Name: Mapped[str] = mapped_column(String(200))
    AlbumId: Mapped[int | None] = mapped_column(ForeignKey("Album.AlbumId"))
    MediaTypeId: Mapped[int] = mapped_column(ForeignKey("MediaType.MediaTypeId"))
    GenreId: Mapped[int | None] = mapped_column(ForeignKey("Genre.GenreId"))
    Composer: Mapped[str | None] = mapped_column(String(220))
    Milliseconds: Mapped[int]
    Bytes: Mapped[int | None]
    UnitPrice: Mapped[decimal.Decimal] = mapped_column(Numeric(10, 2))
    album: Mapped[Album | None] = relationship()


class Playlist(Base):
    __tablename__ = "Playlist"
    PlaylistId: Mapped[int] = mapped_column(primary_key=True)
    Name: Mapped[str | None] = mapped_column(String(120))


class PlaylistTrack(Base):
    __tablename__ = "PlaylistTrack"
    PlaylistId: Mapped[int] = mapped_column(ForeignKey("Playlist.PlaylistId"), primary_key=True)
    TrackId: Mapped[int] = mapped_column(ForeignKey("Track.TrackId"), primary_key=True)


class Employee(Base):
    __tablename__ = "Employee"
    EmployeeId: Mapped[int] = mapped_column(primary_key=True)
    LastName: Mapped[str] = mapped_column(String(20))
    FirstName: Mapped[str] = mapped_column(String(20))
    Title: Mapped[str | None] = mapped_column(String(30))
    ReportsTo: Mapped[int | None] = mapped_column(ForeignKey("Employee.EmployeeId"))
    # SQLAlchemy orders rows of one table only through a relationship; Athanor reads the
    # foreign key itself.
    manager: Mapped["Employee | None"] = relationship(remote_side=[EmployeeId])


class Invoice(Base):
    __tablename__ = "Invoice"
    InvoiceId: Mapped[int] = mapped_column(primary_key=True)
    CustomerId: Mapped[int]
    InvoiceDate: Mapped[datetime.datetime]
    Total: Mapped[decimal.Decimal] = mapped_column(Numeric(10, 2))


class InvoiceLine(Base):
    __tablename__ = "InvoiceLine"
    InvoiceLineId: Mapped[int] = mapped_column(primary_key=True)
    InvoiceId: Mapped[int] = mapped_column(ForeignKey("Invoice.InvoiceId"))
    TrackId: Mapped[int] = mapped_column(ForeignKey("Track.TrackId"))
    UnitPrice: Mapped[decimal.Decimal] = mapped_column(Numeric(10, 2))
    Quantity: Mapped[int]
    track: Mapped[Track] = relationship()


class FBase(DeclarativeBase):
    pass


class TrackF(FBase):
    """Track with a float price (the corpus's `UnitPrice: Mapped[float]`)."""
    __tablename__ = "Track"
    TrackId: Mapped[int] = mapped_column(primary_key=True)
    Name: Mapped[str] = mapped_column(String(200))
    Milliseconds: Mapped[int]
    UnitPrice: Mapped[float] = mapped_column(Float)


# ----- programs --------------------------------------------------------------------------

PROGRAMS = {}


def program(f):
    PROGRAMS[f.__name__] = f
    return f


def count(s, stmt):
    return s.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()


def db_value(eng, sql):
    """A value read on a new connection: what is committed."""
    with eng.connect() as c:
        return c.execute(text(sql)).scalar()


def q(eng, name):
    """The table name quoted for the dialect."""
    return "`%s`" % name if eng.dialect.name == "mysql" else '"%s"' % name


@program
def identity_same_object_everywhere(s, eng):
    a = s.get(Artist, 1)
    b = s.query(Artist).filter(Artist.ArtistId == 1).one()
    c = s.scalars(select(Artist).where(Artist.Name == "AC/DC")).one()
    d, name = s.query(Artist, Artist.Name).filter(Artist.ArtistId == 1).one()
    e = s.get(Artist, 1)
    return [a is b, a is c, a is d, a is e, name]


@program
def identity_query_does_not_overwrite(s, eng):
    a = s.get(Artist, 1)
    s.connection().execute(Artist.__table__.update().where(Artist.__table__.c.ArtistId == 1)
                           .values(Name="Behind"))
    b = s.query(Artist).filter(Artist.ArtistId <= 2).order_by(Artist.ArtistId).all()
    kept = a.Name
    c = s.query(Artist).populate_existing().filter(Artist.ArtistId == 1).one()
    return [b[0] is a, kept, c is a, a.Name]


@program
def identity_unflushed_change_survives_query(s, eng):
    a = s.get(Artist, 1)
    a.Name = "Local"
    with s.no_autoflush:
        rows = s.query(Artist).filter(Artist.ArtistId <= 2).order_by(Artist.ArtistId).all()
        db = s.execute(select(Artist.Name).where(Artist.ArtistId == 1)).scalar_one()
    return [rows[0] is a, a.Name, db, a in s.dirty]


@program
def identity_populate_existing_discards_change(s, eng):
    a = s.get(Artist, 1)
    a.Name = "Local"
    with s.no_autoflush:
        s.query(Artist).populate_existing().filter(Artist.ArtistId == 1).one()
    return [a.Name, s.is_modified(a), len(s.dirty)]


@program
def dirty_set_back_writes_nothing(s, eng):
    a = s.get(Artist, 5)
    orig = a.Name
    a.Name = "Tmp"
    a.Name = orig
    modified = s.is_modified(a)
    in_dirty = a in s.dirty
    s.flush()
    return [modified, in_dirty]


@program
def dirty_several_columns_one_update(s, eng):
    t = s.get(Track, 1)
    t.Name = "New name"
    t.Composer = "Someone"
    t.Milliseconds = 1000
    s.flush()
    s.expire_all()
    t = s.get(Track, 1)
    return [t.Name, t.Composer, t.Milliseconds, t.Bytes]


@program
def dirty_two_objects_different_columns(s, eng):
    t1 = s.get(Track, 1)
    t2 = s.get(Track, 2)
    t3 = s.get(Track, 3)
    t1.Name = "One"
    t2.Composer = "Two"
    t3.Name = "Three"
    s.flush()
    s.expire_all()
    return [s.get(Track, i).Name for i in (1, 2, 3)] + [s.get(Track, 2).Composer]


@program
def dirty_primary_key_change(s, eng):
    g = Genre(GenreId=100, Name="Polka")
    s.add(g)
    s.commit()
    g.GenreId = 101
    s.commit()
    return [s.get(Genre, 101) is g, s.get(Genre, 100) is None, g.Name,
            db_value(eng, 'SELECT count(*) FROM %s WHERE %s = 100' % (q(eng, "Genre"), q(eng, "GenreId")))]


@program
def flush_order_inserts_children_first_added(s, eng):
    artist = Artist(ArtistId=500, Name="X")
    album = Album(AlbumId=500, Title="A", artist=artist)
    track = Track(TrackId=5000, Name="T", album=album, MediaTypeId=1, GenreId=1, Milliseconds=1,
                  UnitPrice=decimal.Decimal("0.99"))
    line = InvoiceLine(InvoiceLineId=5000, InvoiceId=1, track=track, UnitPrice=decimal.Decimal("0.99"), Quantity=1)
    for o in (line, track, album, artist):
        s.add(o)
    s.commit()
    return [count(s, select(InvoiceLine).where(InvoiceLine.InvoiceId == 1)),
            line.TrackId, track.AlbumId, album.ArtistId]


@program
def flush_order_deletes_parents_first_marked(s, eng):
    artist = Artist(ArtistId=500, Name="X")
    album = Album(AlbumId=500, Title="A", artist=artist)
    track = Track(TrackId=5000, Name="T", album=album, MediaTypeId=1, GenreId=1, Milliseconds=1,
                  UnitPrice=decimal.Decimal("0.99"))
    line = InvoiceLine(InvoiceLineId=5000, InvoiceId=1, track=track, UnitPrice=decimal.Decimal("0.99"), Quantity=1)
    s.add_all([artist, album, track, line])
    s.commit()
    objs = [s.get(Artist, 500), s.get(Album, 500), s.get(Track, 5000), s.get(InvoiceLine, 5000)]
    for o in objs:
        s.delete(o)
    s.commit()
    return [s.get(Artist, 500), s.get(Track, 5000), count(s, select(InvoiceLine).where(InvoiceLine.InvoiceId == 1))]


@program
def flush_order_mixed_insert_update_delete(s, eng):
    # A new artist and album (album added first), an existing album moved to the new artist,
    # and an existing artist whose only album is deleted, deleted too.
    old = s.get(Artist, 275)
    old_album = s.get(Album, 347)
    moved = s.get(Album, 1)
    fresh_artist = Artist(ArtistId=501, Name="Fresh")
    s.add(Album(AlbumId=501, Title="New", artist=fresh_artist))
    s.add(fresh_artist)
    moved.artist = fresh_artist
    with s.no_autoflush:
        pts = s.scalars(select(PlaylistTrack).where(PlaylistTrack.TrackId == 3503)).all()
        track = s.get(Track, 3503)
    s.delete(old)
    s.delete(old_album)
    s.delete(track)
    for pt in pts:
        s.delete(pt)
    s.commit()
    return [len(pts), db_value(eng, "SELECT %s FROM %s WHERE %s = 1" % (q(eng, "ArtistId"), q(eng, "Album"), q(eng, "AlbumId"))),
            db_value(eng, "SELECT count(*) FROM %s" % q(eng, "Artist")),
            db_value(eng, "SELECT count(*) FROM %s" % q(eng, "Track"))]


@program
def employee_chain_inserts(s, eng):
    boss = s.get(Employee, 1)
    e10 = Employee(EmployeeId=10, LastName="Ten", FirstName="T")
    e11 = Employee(EmployeeId=11, LastName="Eleven", FirstName="E")
    e12 = Employee(EmployeeId=12, LastName="Twelve", FirstName="T")
    e12.manager = e11
    e11.manager = e10
    e10.manager = boss
    s.add(e12)
    s.add(e11)
    s.add(e10)
    s.commit()
    rows = s.execute(select(Employee.EmployeeId, Employee.ReportsTo).where(Employee.EmployeeId >= 10)
                     .order_by(Employee.EmployeeId)).all()
    return [list(r) for r in rows]


@program
def employee_chain_deletes(s, eng):
    # 6 manages 7 and 8; loaded, then marked parent first.
    emps = s.scalars(select(Employee).where(Employee.EmployeeId >= 6).order_by(Employee.EmployeeId)).all()
    for e in emps:
        s.delete(e)
    s.commit()
    return [count(s, select(Employee)), s.get(Employee, 7)]


@program
def composite_key_playlist_track(s, eng):
    pt = s.get(PlaylistTrack, (1, 3402))
    got = [pt.PlaylistId, pt.TrackId]
    again = s.get(PlaylistTrack, (1, 3402)) is pt
    s.add(PlaylistTrack(PlaylistId=2, TrackId=1))
    s.add(PlaylistTrack(PlaylistId=2, TrackId=2))
    s.delete(pt)
    s.flush()
    gone = s.get(PlaylistTrack, (1, 3402))
    n1 = count(s, select(PlaylistTrack).where(PlaylistTrack.PlaylistId == 1))
    n2 = count(s, select(PlaylistTrack).where(PlaylistTrack.PlaylistId == 2))
    new = s.get(PlaylistTrack, (2, 1))
    return [got, again, gone, n1, n2, new.TrackId]


@program
def composite_key_duplicate(s, eng):
    s.add(PlaylistTrack(PlaylistId=1, TrackId=3402))
    try:
        s.flush()
    except Exception as e:
        return [type(e).__name__]
    return ["no error"]


@program
def autoflush_before_query(s, eng):
    s.add(Artist(ArtistId=1000, Name="Zed"))
    n = s.query(Artist).filter(Artist.Name == "Zed").count()
    return [n]


@program
def autoflush_off(s, eng):
    s.autoflush = False
    a = Artist(ArtistId=1000, Name="Zed")
    s.add(a)
    n = s.query(Artist).filter(Artist.Name == "Zed").count()
    got = s.get(Artist, 1000)
    s.flush()
    n2 = s.query(Artist).filter(Artist.Name == "Zed").count()
    return [n, got, n2, s.get(Artist, 1000) is a]


@program
def autoflush_get_of_pending(s, eng):
    a = Artist(ArtistId=1000, Name="Zed")
    s.add(a)
    b = s.get(Artist, 1000)
    return [b is a]


@program
def expire_on_commit_batches(s, eng):
    arts = s.query(Artist).filter(Artist.ArtistId <= 5).all()
    albs = s.query(Album).filter(Album.AlbumId <= 5).all()
    s.commit()
    names = [a.Name for a in arts] + [a.Title for a in albs]
    return [len(names), names[0], names[5]]


@program
def expire_on_commit_off(s, eng):
    s2 = Session(eng, expire_on_commit=False)
    arts = s2.query(Artist).filter(Artist.ArtistId <= 5).all()
    arts[0].Name = "Changed"
    s2.commit()
    names = [a.Name for a in arts]
    s2.close()
    return names


@program
def rollback_pending_expunged(s, eng):
    a = Artist(ArtistId=1000, Name="Zed")
    s.add(a)
    s.rollback()
    return [a in s, inspect(a).transient, s.get(Artist, 1000)]


@program
def rollback_flushed_insert_expunged(s, eng):
    a = Artist(ArtistId=1000, Name="Zed")
    s.add(a)
    s.flush()
    s.rollback()
    return [a in s, inspect(a).transient, s.get(Artist, 1000)]


@program
def rollback_deleted_restored(s, eng):
    a = s.get(Artist, 25)
    s.delete(a)
    s.flush()
    gone = s.get(Artist, 25)
    s.rollback()
    return [gone, a in s, a.Name, s.get(Artist, 25) is a]


@program
def rollback_changes_discarded(s, eng):
    a = s.get(Artist, 1)
    b = s.get(Artist, 2)
    a.Name = "Flushed"
    s.flush()
    b.Name = "Unflushed"
    s.rollback()
    return [a.Name, b.Name, s.is_modified(a), s.is_modified(b)]


@program
def nested_commit(s, eng):
    a = s.get(Artist, 1)
    sp = s.begin_nested()
    a.Name = "Nested"
    s.add(Artist(ArtistId=1000, Name="In savepoint"))
    sp.commit()
    s.commit()
    return [db_value(eng, "SELECT %s FROM %s WHERE %s = 1" % (q(eng, "Name"), q(eng, "Artist"), q(eng, "ArtistId"))),
            db_value(eng, "SELECT count(*) FROM %s WHERE %s = 1000" % (q(eng, "Artist"), q(eng, "ArtistId")))]


@program
def nested_rollback(s, eng):
    a = s.get(Artist, 1)
    before = Artist(ArtistId=1000, Name="Before")
    s.add(before)
    sp = s.begin_nested()  # flushes `before`
    a.Name = "Nested"
    inside = Artist(ArtistId=1001, Name="Inside")
    s.add(inside)
    s.flush()
    sp.rollback()
    r = [before in s, inside in s, a.Name, s.get(Artist, 1001)]
    s.commit()
    r.append(db_value(eng, "SELECT count(*) FROM %s WHERE %s >= 1000" % (q(eng, "Artist"), q(eng, "ArtistId"))))
    return r


@program
def merge_existing_not_loaded(s, eng):
    m = s.merge(Artist(ArtistId=1, Name="Merged"))
    same = s.get(Artist, 1) is m
    s.flush()
    return [same, m.Name]


@program
def merge_existing_loaded(s, eng):
    a = s.get(Artist, 1)
    m = s.merge(Artist(ArtistId=1, Name="Merged"))
    s.flush()
    return [m is a, a.Name]


@program
def merge_new(s, eng):
    m = s.merge(Artist(ArtistId=1000, Name="New"))
    pending = m in s.new
    s.flush()
    return [pending, s.get(Artist, 1000) is m]


@program
def merge_detached(s, eng):
    a = s.get(Artist, 1)
    s.expunge(a)
    a.Name = "Detached edit"
    m = s.merge(a)
    s.flush()
    return [m is a, m.Name]


@program
def merge_unchanged_writes_nothing(s, eng):
    s.merge(Artist(ArtistId=1, Name="AC/DC"))
    s.flush()
    return []


@program
def refresh_discards_change(s, eng):
    a = s.get(Artist, 1)
    a.Name = "Local"
    s.refresh(a)
    return [a.Name, s.is_modified(a)]


@program
def refresh_sees_behind_update(s, eng):
    a = s.get(Artist, 1)
    s.connection().execute(Artist.__table__.update().where(Artist.__table__.c.ArtistId == 1)
                           .values(Name="Behind"))
    before = a.Name
    s.refresh(a)
    return [before, a.Name]


@program
def expunge_then_readd(s, eng):
    a = s.get(Artist, 1)
    s.expunge(a)
    detached = inspect(a).detached
    s.add(a)
    persistent = inspect(a).persistent
    s.flush()
    return [detached, persistent, a.Name, s.get(Artist, 1) is a]


@program
def delete_then_get(s, eng):
    a = s.get(Artist, 25)
    s.delete(a)
    before_flush = s.get(Artist, 25)
    s.flush()
    after_flush = s.get(Artist, 25)
    return [before_flush is a, after_flush]


@program
def delete_pending(s, eng):
    a = Artist(ArtistId=1000, Name="X")
    s.add(a)
    try:
        s.delete(a)
        return ["no error", a in s]
    except Exception as e:
        return [type(e).__name__, a in s]


@program
def delete_then_add_same_key(s, eng):
    a = s.get(Artist, 25)
    s.delete(a)
    b = Artist(ArtistId=25, Name="Replacement")
    s.add(b)
    s.flush()
    s.expire_all()
    return [s.get(Artist, 25) is b, b.Name]


@program
def is_modified_states(s, eng):
    a = s.get(Artist, 1)
    r = [s.is_modified(a)]
    a.Name = "X"
    r.append(s.is_modified(a))
    s.flush()
    r.append(s.is_modified(a))
    n = Artist(ArtistId=1000, Name="N")
    s.add(n)
    r.append(s.is_modified(n))
    return r


@program
def query_terminals(s, eng):
    base = s.query(Album).filter(Album.ArtistId == 90)
    r = [base.count(), base.order_by(Album.Title).first().Title]
    r.append(s.query(Album).filter(Album.AlbumId == 0).one_or_none())
    try:
        s.query(Album).filter(Album.AlbumId == 0).one()
        r.append("no error")
    except Exception as e:
        r.append(type(e).__name__)
    r.append(s.query(Album).filter(Album.AlbumId == 1).one().Title)
    r.append([a.AlbumId for a in s.query(Album).order_by(Album.AlbumId)[10:13]])
    r.append([a.AlbumId for a in s.query(Album).order_by(Album.AlbumId)[400:410]])
    r.append(s.query(s.query(Album).filter(Album.ArtistId == 90).exists()).scalar())
    r.append(s.query(s.query(Album).filter(Album.ArtistId == 100000).exists()).scalar())
    r.append(s.query(Album).order_by(Album.AlbumId).limit(5).count())
    return r


@program
def query_distinct(s, eng):
    g = [x for (x,) in s.query(Track.GenreId).filter(Track.AlbumId <= 10).distinct().order_by(Track.GenreId).all()]
    n = s.query(Track.GenreId).filter(Track.AlbumId <= 10).distinct().count()
    m = s.query(Track.MediaTypeId, Track.GenreId).distinct().count()
    return [g, n, m]


@program
def query_tuples_identity(s, eng):
    a = s.get(Album, 1)
    rows = (s.query(Album, Artist.Name).join(Artist, Album.ArtistId == Artist.ArtistId)
            .filter(Album.AlbumId <= 3).order_by(Album.AlbumId).all())
    return [rows[0][0] is a, [r[1] for r in rows], [r[0].Title for r in rows]]


@program
def bulk_update_false(s, eng):
    t = s.get(Track, 1)
    n = s.query(Track).filter(Track.TrackId <= 3).update(
        {Track.Milliseconds: Track.Milliseconds + 1000}, synchronize_session=False)
    stale = t.Milliseconds
    s.expire(t)
    return [n, stale, t.Milliseconds]


@program
def bulk_update_evaluate(s, eng):
    t = s.get(Track, 1)
    u = s.get(Track, 4)
    n = s.query(Track).filter(Track.TrackId <= 3).update(
        {Track.Milliseconds: Track.Milliseconds + 1000}, synchronize_session="evaluate")
    return [n, t.Milliseconds, u.Milliseconds, s.is_modified(t)]


@program
def bulk_update_evaluate_keeps_other_change(s, eng):
    t = s.get(Track, 1)
    s.autoflush = False
    t.Name = "Local"
    n = s.query(Track).filter(Track.TrackId <= 3).update(
        {Track.Milliseconds: 5}, synchronize_session="evaluate")
    r = [n, t.Name, t.Milliseconds, s.is_modified(t)]
    s.flush()
    r.append(list(s.execute(select(Track.Name, Track.Milliseconds).where(Track.TrackId == 1)).one()))
    return r


@program
def bulk_update_evaluate_float(s, eng):
    t = s.get(TrackF, 1)
    n = s.query(TrackF).filter(TrackF.TrackId <= 3).update(
        {TrackF.UnitPrice: TrackF.UnitPrice * 2}, synchronize_session="evaluate")
    loaded = "UnitPrice" in t.__dict__
    return [n, loaded, round(t.UnitPrice, 4)]


@program
def bulk_update_evaluate_decimal(s, eng):
    t = s.get(Track, 1)
    n = s.query(Track).filter(Track.TrackId <= 3).update(
        {Track.UnitPrice: Track.UnitPrice * 2}, synchronize_session="evaluate")
    loaded = "UnitPrice" in t.__dict__
    return [n, loaded, t.UnitPrice]


@program
def bulk_update_evaluate_refuses_what_the_column_would_round(s, eng):
    t = s.get(Track, 1)
    n = s.query(Track).filter(Track.TrackId <= 3).update(
        {Track.UnitPrice: Track.UnitPrice * decimal.Decimal("1.5")}, synchronize_session="evaluate")
    in_session = t.UnitPrice
    row = s.execute(select(Track.UnitPrice).where(Track.TrackId == 1)).scalar_one()
    return [n, in_session, row]


@program
def bulk_update_evaluate_refuses_like(s, eng):
    t = s.get(Track, 1)
    try:
        s.query(Track).filter(Track.Name.like("For%")).update(
            {Track.Milliseconds: 1}, synchronize_session="evaluate")
        r = ["no error"]
    except Exception as e:
        r = [type(e).__name__]
    r.append(s.execute(select(Track.Milliseconds).where(Track.TrackId == 1)).scalar_one())
    return r


@program
def bulk_update_fetch(s, eng):
    t = s.get(Track, 1)
    u = s.get(Track, 4)
    n = s.query(Track).filter(Track.TrackId <= 3).update(
        {Track.Milliseconds: Track.Milliseconds + 1000}, synchronize_session="fetch")
    return [n, t.Milliseconds, u.Milliseconds]


@program
def bulk_delete_false(s, eng):
    a = s.get(Artist, 25)
    n = s.query(Artist).filter(Artist.ArtistId.between(25, 26)).delete(synchronize_session=False)
    still = s.get(Artist, 25) is a
    return [n, still, a in s]


@program
def bulk_delete_evaluate(s, eng):
    a = s.get(Artist, 25)
    b = s.get(Artist, 27)
    n = s.query(Artist).filter(Artist.ArtistId >= 25, Artist.ArtistId <= 26).delete(synchronize_session="evaluate")
    return [n, a in s, b in s, s.get(Artist, 25)]


@program
def bulk_delete_fetch(s, eng):
    a = s.get(Artist, 25)
    n = s.query(Artist).filter(Artist.ArtistId.between(25, 26)).delete(synchronize_session="fetch")
    return [n, a in s, s.get(Artist, 25)]


@program
def integrity_duplicate_key(s, eng):
    dup = Artist(ArtistId=1, Name="Duplicate")
    s.add(dup)
    try:
        s.flush()
        return ["no error"]
    except Exception as e:
        kind = type(e).__name__
    try:
        s.get(Artist, 2)
        after = "usable"
    except Exception as e:
        after = type(e).__name__
    s.rollback()
    return [kind, after, dup in s]


@program
def integrity_nothing_half_written(s, eng):
    a = s.get(Artist, 2)
    a.Name = "Renamed"
    s.add(Album(AlbumId=1, Title="Duplicate", ArtistId=1))
    try:
        s.flush()
        return ["no error"]
    except Exception as e:
        kind = type(e).__name__
    s.rollback()
    return [kind, db_value(eng, "SELECT %s FROM %s WHERE %s = 2" % (q(eng, "Name"), q(eng, "Artist"), q(eng, "ArtistId")))]


@program
def integrity_failed_flush_unflushes_the_transaction(s, eng):
    early = Artist(ArtistId=1000, Name="Early")
    s.add(early)
    s.flush()
    dup = Artist(ArtistId=1, Name="Duplicate")
    s.add(dup)
    try:
        s.flush()
        return ["no error"]
    except Exception as e:
        kind = type(e).__name__
    s.rollback()
    return [kind, early in s, inspect(early).transient, dup in s]


@program
def integrity_foreign_key(s, eng):
    s.add(Album(AlbumId=1000, Title="Orphan", ArtistId=99999))
    try:
        s.flush()
        return ["no error"]
    except Exception as e:
        return [type(e).__name__]


@program
def integrity_delete_referenced(s, eng):
    s.delete(s.get(Artist, 1))
    try:
        s.flush()
        return ["no error"]
    except Exception as e:
        return [type(e).__name__]


@program
def stale_update_of_deleted_row(s, eng):
    a = s.get(Artist, 25)
    s.connection().execute(Artist.__table__.delete().where(Artist.__table__.c.ArtistId == 25))
    a.Name = "Ghost"
    try:
        s.flush()
        return ["no error"]
    except Exception as e:
        return [type(e).__name__]


@program
def stale_delete_of_deleted_row(s, eng):
    a = s.get(Artist, 25)
    s.connection().execute(Artist.__table__.delete().where(Artist.__table__.c.ArtistId == 25))
    s.delete(a)
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        try:
            s.flush()
            r = ["no error"]
        except Exception as e:
            r = [type(e).__name__]
    r.append([str(x.message)[:60] for x in w])
    return r


@program
def update_to_value_set_behind(s, eng):
    # MySQL counts changed rows unless told otherwise; an UPDATE that writes the value the row
    # already has must still count as matched.
    a = s.get(Artist, 1)
    s.connection().execute(Artist.__table__.update().where(Artist.__table__.c.ArtistId == 1)
                           .values(Name="Same"))
    a.Name = "Same"
    s.flush()
    return [a.Name]


@program
def add_same_key_twice(s, eng):
    s.add(Artist(ArtistId=1000, Name="A"))
    try:
        s.add(Artist(ArtistId=1000, Name="B"))
        s.flush()
        return ["no error"]
    except Exception as e:
        return [type(e).__name__]


@program
def expire_then_deleted_behind(s, eng):
    a = s.get(Artist, 25)
    s.commit()
    with eng.begin() as c:
        c.execute(Artist.__table__.delete().where(Artist.__table__.c.ArtistId == 25))
    try:
        a.Name
        return ["no error"]
    except Exception as e:
        return [type(e).__name__, s.get(Artist, 25)]


@program
def nested_integrity_skips_one(s, eng):
    # SQLAlchemy's documented pattern: each record in a SAVEPOINT, a failing one skipped.
    from sqlalchemy.exc import IntegrityError
    ok = []
    for k in (1000, 1, 1001):
        try:
            with s.begin_nested():
                s.add(Artist(ArtistId=k, Name="N%d" % k))
            ok.append(k)
        except IntegrityError:
            pass
    s.commit()
    return [ok, db_value(eng, "SELECT count(*) FROM %s WHERE %s >= 1000" % (q(eng, "Artist"), q(eng, "ArtistId")))]


@program
def failed_flush_after_bulk_update(s, eng):
    n = s.query(Track).filter(Track.TrackId <= 3).update(
        {Track.Milliseconds: 7}, synchronize_session="evaluate")
    s.add(Artist(ArtistId=1, Name="Duplicate"))
    try:
        s.flush()
        r = ["no error"]
    except Exception as e:
        r = [type(e).__name__]
    try:
        s.commit()
        r.append("committed")
    except Exception as e:
        r.append(type(e).__name__)
        s.rollback()
    r.append(db_value(eng, "SELECT %s FROM %s WHERE %s = 1" % (q(eng, "Milliseconds"), q(eng, "Track"), q(eng, "TrackId"))))
    return [n] + r


@program
def edit_then_delete(s, eng):
    a = s.get(Artist, 25)
    a.Name = "Changed"
    s.delete(a)
    s.flush()
    return [s.get(Artist, 25)]


@program
def delete_then_edit_then_rollback(s, eng):
    a = s.get(Artist, 25)
    s.delete(a)
    a.Name = "Changed"
    s.flush()
    s.rollback()
    return [a.Name, s.get(Artist, 25) is a]


@program
def composite_key_change(s, eng):
    pt = s.get(PlaylistTrack, (1, 3402))
    pt.PlaylistId = 2
    s.commit()
    return [s.get(PlaylistTrack, (2, 3402)) is pt, s.get(PlaylistTrack, (1, 3402))]


@program
def expire_many_objects(s, eng):
    tracks = s.query(Track).filter(Track.TrackId <= 1200).all()
    s.commit()
    total = sum(t.Milliseconds for t in tracks)
    return [len(tracks), total]


@program
def delete_many_objects(s, eng):
    pts = s.query(PlaylistTrack).filter(PlaylistTrack.PlaylistId == 5).all()
    for pt in pts:
        s.delete(pt)
    s.commit()
    return [len(pts), count(s, select(PlaylistTrack).where(PlaylistTrack.PlaylistId == 5))]


@program
def orphan_children_then_delete_parent(s, eng):
    emps = s.scalars(select(Employee).where(Employee.EmployeeId >= 6).order_by(Employee.EmployeeId)).all()
    for e in emps[1:]:
        e.manager = None
    s.delete(emps[0])
    s.commit()
    rows = s.execute(select(Employee.EmployeeId, Employee.ReportsTo).where(Employee.EmployeeId >= 6)
                     .order_by(Employee.EmployeeId)).all()
    return [list(r) for r in rows]


@program
def generated_keys(s, eng):
    a = Artist(Name="First")
    b = Artist(Name="Second")
    s.add_all([a, b])
    s.flush()
    return [a.ArtistId, b.ArtistId, s.get(Artist, a.ArtistId) is a]


@program
def merge_onto_deleted(s, eng):
    a = s.get(Artist, 25)
    s.delete(a)
    try:
        s.merge(Artist(ArtistId=25, Name="Merged"))
        s.flush()
        return ["no error", db_value(eng, "SELECT count(*) FROM %s WHERE %s = 25" % (q(eng, "Artist"), q(eng, "ArtistId")))]
    except Exception as e:
        return [type(e).__name__]


@program
def bulk_update_evaluate_text_collation(s, eng):
    a = s.get(Artist, 1)
    n = s.query(Artist).filter(Artist.Name == "ac/dc").update(
        {Artist.Name: "Renamed"}, synchronize_session="evaluate")
    db = s.execute(select(Artist.Name).where(Artist.ArtistId == 1)).scalar_one()
    return [n, a.Name, db]


# ----- the harness -----------------------------------------------------------------------

def norm(v):
    if isinstance(v, (list, tuple)):
        return [norm(x) for x in v]
    if isinstance(v, decimal.Decimal):
        return str(v)
    if isinstance(v, (datetime.datetime, datetime.date)):
        return v.isoformat(sep=" ")
    if isinstance(v, Base):
        return "<%s %s>" % (type(v).__name__, inspect(v).identity)
    return v


def shape(sql, many):
    sql = sql.strip()
    kw = sql.split()[0].upper()
    if sql.upper().startswith("SELECT COUNT(*)"):
        s = "SELECT count(*)"
    else:
        toks = sql.replace("\n", " ").split()
        if kw == "INSERT" or kw == "DELETE":
            t = toks[2]
        elif kw == "UPDATE":
            t = toks[1]
        else:
            m = re.search(r" FROM\s+(\S+)", sql.replace("\n", " "))
            t = m.group(1) if m else ""
        s = "%s %s" % (kw, t.strip('"`('))
        if " RETURNING " in sql.replace("\n", " "):
            s += " RETURNING"
    if many > 1:
        s += " x%d" % many
    return s


def engines():
    out = []
    tmp = tempfile.mkdtemp()
    path = os.path.join(tmp, "chinook.db")
    subprocess.run([CLI, "chinook", "sqlite:///" + path], check=True, capture_output=True)
    out.append(("sqlite", path))
    if os.environ.get("ATHANOR_TEST_POSTGRES"):
        out.append(("postgresql", os.environ["ATHANOR_TEST_POSTGRES"]))
    if os.environ.get("ATHANOR_TEST_MYSQL"):
        out.append(("mysql", os.environ["ATHANOR_TEST_MYSQL"]))
    return out


N = [0]


def fresh(kind, where):
    """An engine on a fresh Chinook, and a function that drops it."""
    N[0] += 1
    name = "sa_oracle_%d_%d" % (os.getpid(), N[0])
    if kind == "sqlite":
        path = os.path.join(os.path.dirname(where), name + ".db")
        with open(where, "rb") as src, open(path, "wb") as dst:
            dst.write(src.read())
        eng = create_engine("sqlite:///" + path)

        @event.listens_for(eng, "connect")
        def fk_on(dbapi_conn, _):
            dbapi_conn.execute("PRAGMA foreign_keys=ON")

        return eng, lambda: (eng.dispose(), os.remove(path))
    if kind == "postgresql":
        admin = create_engine(where.replace("postgresql://", "postgresql+psycopg2://"))
        with admin.begin() as c:
            c.execute(text('CREATE SCHEMA "%s"' % name))
        url = where + "?options=-csearch_path%3D" + name
        subprocess.run([CLI, "chinook", url], check=True, capture_output=True)
        eng = create_engine(where.replace("postgresql://", "postgresql+psycopg2://"),
                            connect_args={"options": "-csearch_path=%s" % name})

        def drop():
            eng.dispose()
            with admin.begin() as c:
                c.execute(text('DROP SCHEMA "%s" CASCADE' % name))
            admin.dispose()
        return eng, drop
    admin = create_engine(where.replace("mysql://", "mysql+pymysql://"))
    with admin.begin() as c:
        c.execute(text("CREATE DATABASE `%s` CHARACTER SET utf8mb4" % name))
    base = where.rsplit("/", 1)[0]
    subprocess.run([CLI, "chinook", base + "/" + name], check=True, capture_output=True)
    eng = create_engine(base.replace("mysql://", "mysql+pymysql://") + "/" + name)

    def drop():
        eng.dispose()
        with admin.begin() as c:
            c.execute(text("DROP DATABASE `%s`" % name))
        admin.dispose()
    return eng, drop


def run(name, kind, where):
    eng, drop = fresh(kind, where)
    stmts = []
    capture = [False]

    @event.listens_for(eng, "before_cursor_execute")
    def rec(conn, cursor, statement, parameters, context, executemany):
        if not capture[0]:
            return
        kw = statement.strip().split()[0].upper()
        if kw in ("SELECT", "INSERT", "UPDATE", "DELETE", "WITH"):
            many = len(parameters) if executemany else 1
            stmts.append((shape(statement, many), " ".join(statement.split())))

    try:
        s = Session(eng)
        capture[0] = True
        try:
            result = norm(PROGRAMS[name](s, eng))
        except Exception as e:  # a program that fails is reported, not hidden
            result = "RAISED %s: %s" % (type(e).__name__, str(e).splitlines()[0][:200])
        capture[0] = False
        s.close()
    finally:
        drop()
    return result, stmts


def main():
    names = sys.argv[1:] or list(PROGRAMS)
    verbose = os.environ.get("VERBOSE")
    where = engines()
    out = {}
    for name in names:
        out[name] = {}
        for kind, w in where:
            result, stmts = run(name, kind, w)
            out[name][kind] = {"result": result, "statements": [s for s, _ in stmts]}
            if verbose:
                out[name][kind]["sql"] = [q for _, q in stmts]
        results = {json.dumps(v["result"]) for v in out[name].values()}
        stm = {json.dumps(v["statements"]) for v in out[name].values()}
        print("== %s%s" % (name, "" if len(results) == 1 else "   [results differ by database]"))
        for kind, v in out[name].items():
            print("  %-10s %s" % (kind, json.dumps(v["result"])))
            if len(stm) > 1 or kind == "sqlite":
                print("  %-10s %s" % ("", v["statements"]))
            if verbose:
                for q_ in v["sql"]:
                    print("      ", q_[:220])
    json.dump(out, open(os.path.join(tempfile.gettempdir(), "sa_orm_oracle.json"), "w"), indent=1)


if __name__ == "__main__":
    main()
