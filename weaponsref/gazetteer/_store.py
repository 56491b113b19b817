"""The gazetteer's SQLite databases: their layout, how one is written, and how one is read.

Two databases have the same layout: the built-in one (``data/gazetteer.sqlite``, every
GeoNames city of 15,000+ people) and the user's (``geonames.sqlite`` in the user data
folder, written by :func:`~weaponsref.gazetteer.import_geonames`). Both are indexed by folded
name (:func:`weaponsref._text.fold`) and only queried: nothing is read until asked for.
Every fault of a database (missing, not a regular file, not a gazetteer, damaged) raises
:class:`~weaponsref.errors.GazetteerFileError` naming the file and the fix.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Final, TypeAlias

from weaponsref._text import fold
from weaponsref.errors import GazetteerFileError

__all__: list[str] = []

# One GeoNames city: geonameid, name, lat, lon, country, population, alternate names.
_Row: TypeAlias = tuple[int, str, float, float, str, int, tuple[str, ...]]
# A city a key found: (-population, geonameid, database, row). Sorting hits ranks them.
_Hit: TypeAlias = tuple[int, int, int, int]

#: The layout of both databases, in ``PRAGMA user_version``. Layout 2 added ``capitals``; a
#: user's gazetteer of layout 1 is still read (it names no capitals).
_SCHEMA_VERSION: Final = 2
_READABLE_VERSIONS: Final = (1, 2)
#: Joins a city's alternate names in the ``alternates`` column; no GeoNames field holds it.
_ALT_JOIN: Final = "\t"
#: Sorts after every character, so that ``key <= k < key + _TOP`` is every k starting with key.
_TOP: Final = "\U0010ffff"
# ``cities.row`` is the city's rank: most populous first, ties by geonameid. ``keys`` holds
# every folded name and alternate name of each city (``own`` is 1 for its own name); its
# primary key is the index that lookups, prefix searches and half of fuzzy suggestions use.
# ``capitals`` holds the row of each country's national capital.
# The other half (keys by last character) scans the table: about 15 ms, on a miss only,
# where an index would add 3.6 MB to the 7 MB file.
_SCHEMA: Final = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE cities (
    row INTEGER PRIMARY KEY,
    geonameid INTEGER NOT NULL UNIQUE,
    name TEXT NOT NULL,
    lat REAL NOT NULL,
    lon REAL NOT NULL,
    country TEXT NOT NULL,
    population INTEGER NOT NULL,
    alternates TEXT NOT NULL
);
CREATE TABLE keys (
    key TEXT NOT NULL,
    row INTEGER NOT NULL,
    own INTEGER NOT NULL,
    PRIMARY KEY (key, row)
) WITHOUT ROWID;
CREATE TABLE capitals (row INTEGER PRIMARY KEY, country TEXT NOT NULL);
CREATE TEMP TABLE stage (
    geonameid INTEGER PRIMARY KEY,
    name TEXT, lat REAL, lon REAL, country TEXT, population INTEGER, alternates TEXT
);
CREATE TEMP TABLE stage_keys (key TEXT, geonameid INTEGER, own INTEGER);
"""
_RANK: Final = """
INSERT INTO cities
SELECT ROW_NUMBER() OVER (ORDER BY population DESC, geonameid), geonameid, name, lat, lon,
       country, population, alternates
FROM stage ORDER BY 1
"""
_KEYS: Final = """
INSERT INTO keys SELECT s.key, c.row, s.own FROM stage_keys s JOIN cities c USING (geonameid)
ORDER BY s.key, c.row
"""
_HITS: Final = (
    "SELECT -c.population, c.geonameid, c.row FROM keys k JOIN cities c ON c.row = k.row "
    "WHERE k.key = ?{country} ORDER BY k.row"
)
_PREFIXED: Final = (
    "SELECT DISTINCT -c.population, c.geonameid, c.row FROM keys k JOIN cities c ON c.row = k.row "
    "WHERE k.key >= ? AND k.key < ? AND k.own >= ?{country} ORDER BY c.row LIMIT ?"
)
_IN_COUNTRY: Final = " AND c.country = ?"
_ROW: Final = (
    "SELECT geonameid, name, lat, lon, country, population, alternates FROM cities WHERE row = ?"
)
_NEAR_HEAD: Final = (
    "SELECT DISTINCT key FROM keys WHERE key >= ? AND key < ? AND length(key) BETWEEN ? AND ?"
)
_NEAR_TAIL: Final = (
    "SELECT DISTINCT key FROM keys WHERE substr(key, -1) = ? AND length(key) BETWEEN ? AND ? "
    "AND substr(key, 1, 1) <> substr(key, -1)"
)
_BEST: Final = (
    "SELECT -c.population, c.geonameid FROM keys k JOIN cities c ON c.row = k.row "
    "WHERE k.key = ? ORDER BY k.row LIMIT 1"
)
# Cities in a latitude-longitude box, most populous first (places_in_box, the swap check).
_IN_BOX: Final = (
    "SELECT -population, geonameid, row FROM cities WHERE lat BETWEEN ? AND ? AND {lon}"
    "{capitals} ORDER BY row LIMIT ?"
)
_CAPITALS_ONLY: Final = " AND row IN (SELECT row FROM capitals)"
_NEAR_BOX: Final = (
    "SELECT name, lat, lon, country, population FROM cities WHERE population >= ? "
    "AND lat BETWEEN ? AND ? AND lon BETWEEN ? AND ?"
)
_ALL_CITIES: Final = "SELECT -population, geonameid, row, lat, lon FROM cities ORDER BY row"
_META_KEYS: Final = ("kind", "source", "licence", "rows", "countries")
_STAGE: Final = "INSERT INTO stage VALUES (?, ?, ?, ?, ?, ?, ?)"
_STAGE_KEYS: Final = "INSERT INTO stage_keys VALUES (?, ?, ?)"
_CAPITALS: Final = "INSERT INTO capitals SELECT row, country FROM cities WHERE geonameid = ?"


def _stage(
    connection: sqlite3.Connection,
    cities: Iterable[tuple[int, _Row]],
    shown: str,
    fix: str,
) -> int:
    """Put ``cities`` in the staging tables with the keys of their names; return how many."""
    count = 0
    for line, (geonameid, name, lat, lon, country, population, alternates) in cities:
        try:
            joined = _ALT_JOIN.join(alternates)
            connection.execute(_STAGE, (geonameid, name, lat, lon, country, population, joined))
        except sqlite3.IntegrityError:
            problem = f"geonameid {geonameid} appears a second time; each city must be once"
            raise GazetteerFileError(shown, f"line {line}", problem + fix) from None
        keys = {fold(name): 1}
        for alternate in alternates:
            keys.setdefault(fold(alternate), 0)
        if "" in keys:
            problem = f"geonameid {geonameid} has a name with no letters or digits"
            raise GazetteerFileError(shown, f"line {line}", problem + fix)
        connection.executemany(_STAGE_KEYS, [(key, geonameid, own) for key, own in keys.items()])
        count += 1
    return count


def _write_database(
    path: str | os.PathLike[str],
    cities: Iterable[tuple[int, _Row]],
    meta: Callable[[int], Mapping[str, str]],
    shown: str,
    fix: str = "",
    capitals: Callable[[], Iterable[int]] = tuple,
) -> int:
    """Write ``cities`` (each with the line of ``shown`` it was read from) to a new database at
    ``path``; return how many were written.

    ``meta(count)`` is called once every city has been read, for the metadata to store, and
    ``capitals()`` for the geonameids of national capitals (those among the cities are
    kept). Each name and alternate name must have a key; a geonameid seen twice raises
    :class:`GazetteerFileError`. The same cities give the same tables in the same order, so
    the output is deterministic. ``fix`` ends the message of an error. A fault of SQLite
    itself (a full disk, say) raises :class:`sqlite3.Error`.
    """
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.executescript(
            "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA temp_store = FILE;"
            + _SCHEMA
        )
        connection.execute("BEGIN")
        count = _stage(connection, cities, shown, fix)
        connection.execute(_RANK)
        connection.execute(_KEYS)
        connection.executemany(_CAPITALS, [(gid,) for gid in sorted(set(capitals()))])
        countries = connection.execute("SELECT DISTINCT country FROM cities ORDER BY 1")
        stored = {
            **meta(count),
            "rows": str(count),
            "countries": ",".join(code for (code,) in countries),
        }
        connection.executemany("INSERT INTO meta VALUES (?, ?)", sorted(stored.items()))
        connection.execute(f"PRAGMA user_version = {_SCHEMA_VERSION}")
        connection.execute("COMMIT")
    finally:
        connection.close()
    return count


def _check_regular(path: str, fix: str) -> None:
    """Refuse ``path`` unless it is a regular file (a FIFO, a device or a folder is named in
    a :class:`GazetteerFileError` before anything opens it)."""
    try:
        mode = os.stat(path).st_mode
    except OSError as error:
        problem = error.strerror or str(error)
        raise GazetteerFileError(path, "", f"cannot be read ({problem}); {fix}") from None
    if not stat.S_ISREG(mode):
        raise GazetteerFileError(path, "", f"is not a regular file; {fix}")


class _Database:
    """One gazetteer database, opened read-only: the built-in one or the user's."""

    def __init__(self, path: str, index: int, fix: str, *, immutable: bool = False) -> None:
        _check_regular(path, fix)
        self.path = path
        #: Where hits from this database say they are from (0: the built-in one).
        self.index = index
        self.fix = fix
        uri = Path(path).resolve().as_uri() + ("?mode=ro&immutable=1" if immutable else "?mode=ro")
        connection = sqlite3.connect(uri, uri=True, check_same_thread=False)
        try:
            (version,) = connection.execute("PRAGMA user_version").fetchone()
            meta = dict(connection.execute("SELECT key, value FROM meta").fetchall())
        except sqlite3.Error as error:
            connection.close()
            problem = f"not a weaponsref gazetteer ({error}); {fix}"
            raise GazetteerFileError(path, "", problem) from None
        missing = [key for key in _META_KEYS if key not in meta]
        if version not in _READABLE_VERSIONS or missing:
            connection.close()
            problem = (
                f"a gazetteer of layout {version}, not {_SCHEMA_VERSION}, or without {missing}"
            )
            raise GazetteerFileError(path, "", f"{problem}; {fix}")
        self.connection = connection
        self.meta: dict[str, str] = meta
        #: What a place from here says in its source, before its geonameid.
        self.source: str = meta["source"]
        self.countries = frozenset(filter(None, meta["countries"].split(",")))
        #: Whether the database says which cities are capitals (layout 2 on).
        self.has_capitals = version >= 2
        # One query at a time on the connection, whichever thread asks.
        self._lock = threading.Lock()

    def close(self) -> None:
        with self._lock:
            self.connection.close()

    def query(self, sql: str, parameters: Sequence[object] = ()) -> list[Any]:
        """The rows ``sql`` selects; a damaged database raises :class:`GazetteerFileError`."""
        with self._lock:
            try:
                return self.connection.execute(sql, parameters).fetchall()
            except sqlite3.Error as error:
                problem = f"cannot be read, damaged ({error}); {self.fix}"
                raise GazetteerFileError(self.path, "", problem) from None

    def hits(self, key: str, country: str | None) -> list[_Hit]:
        """The cities ``key`` names, best first, in ``country`` if one is given."""
        if country is None:
            found = self.query(_HITS.format(country=""), (key,))
        else:
            found = self.query(_HITS.format(country=_IN_COUNTRY), (key, country))
        return [(people, geonameid, self.index, row) for people, geonameid, row in found]

    def prefixed(self, key: str, country: str | None, own: bool, limit: int) -> list[_Hit]:
        """Up to ``limit`` cities with a key (their own name's, if ``own``) starting with
        ``key``, best first."""
        parameters: list[object] = [key, key + _TOP, int(own)]
        if country is not None:
            parameters.append(country)
        sql = _PREFIXED.format(country="" if country is None else _IN_COUNTRY)
        parameters.append(limit)
        return [(people, gid, self.index, row) for people, gid, row in self.query(sql, parameters)]

    def by_geonameid(self, geonameids: Iterable[int]) -> dict[int, _Hit]:
        """The hits for the cities of ``geonameids`` this database holds."""
        wanted = sorted(set(geonameids))
        found: dict[int, _Hit] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            sql = f"SELECT -population, geonameid, row FROM cities WHERE geonameid IN ({marks})"
            for people, geonameid, row in self.query(sql, chunk):
                found[geonameid] = (people, geonameid, self.index, row)
        return found

    def row(self, row: int) -> _Row:
        (found,) = self.query(_ROW, (row,))
        geonameid, name, lat, lon, country, population, alternates = found
        names = tuple(alternates.split(_ALT_JOIN)) if alternates else ()
        return geonameid, name, lat, lon, country, population, names

    def near(self, head: str, tail: str | None, low: int, high: int) -> list[str]:
        """Keys of ``low`` to ``high`` characters that start with ``head`` or, if ``tail`` is
        given, end with it (and do not start with it)."""
        near = [k for (k,) in self.query(_NEAR_HEAD, (head, head + _TOP, low, high))]
        if tail is not None:
            near += [k for (k,) in self.query(_NEAR_TAIL, (tail, low, high))]
        return near

    def best(self, key: str) -> tuple[int, int] | None:
        """``(-population, geonameid)`` of the best city ``key`` names, or None."""
        found = self.query(_BEST, (key,))
        return (found[0][0], found[0][1]) if found else None
