"""The gazetteer's SQLite databases: their layout, how one is written, and how one is read.

Two databases have the same layout: the built-in one (``data/gazetteer.sqlite``: GeoNames'
populated places of about 1,000 people or more, and airports with an ICAO code) and the
user's (``geonames.sqlite`` in the user data folder, written by
:func:`~weaponsref.gazetteer.import_geonames`). Both are indexed by folded name
(:func:`weaponsref._text.fold`) and only queried: nothing is read until asked for. Every
fault of a database (missing, not a regular file, not a gazetteer, damaged) raises
:class:`~weaponsref.errors.GazetteerFileError` naming the file and the fix.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Final, NamedTuple, TypeAlias

from weaponsref._text import fold
from weaponsref.errors import GazetteerFileError

__all__: list[str] = []

#: What a row of the ``cities`` table is (``kind``): a populated place (a city, town or
#: village), an airport or air base, a section of a populated place (GeoNames' PPLX: a
#: district, never listed as a city), or a populated place that is no more (historical,
#: abandoned or destroyed: PPLH, PPLQ, PPLW, PPLCH).
CITY, AIRPORT, SECTION, FORMER = 0, 1, 2, 3
KINDS: Final = ("city", "airport", "section", "former")
#: GeoNames feature codes of sections and of places that are no more.
SECTION_CODES: Final = frozenset({"PPLX"})
FORMER_CODES: Final = frozenset({"PPLH", "PPLQ", "PPLW", "PPLCH"})
#: Tiers of a key (``keys.own``): the place's own name, an alternate name, an airport's name
#: without its "Airport", "Air Base"... words, the city an airport serves, and an airport's
#: ICAO or IATA code. A name finds the places of its best tier first; fuzzy suggestions
#: come from the first three only.
OWN, ALTERNATE, SHORT, SERVED, CODE = 1, 0, -1, -2, -3


class _Record(NamedTuple):
    """One place as written to a database (see the ``cities`` table)."""

    geonameid: int
    name: str
    lat: float
    lon: float
    country: str
    population: int
    alternates: tuple[str, ...]
    kind: int = CITY
    #: GeoNames' first-level division code ('' if none) and the region's name ('' unknown).
    admin1: str = ""
    region: str = ""
    #: An airport's ICAO code ('' otherwise).
    code: str = ""
    #: Keys of lower tiers: (name, SHORT, SERVED or CODE) for an airport.
    lesser: tuple[tuple[str, int], ...] = ()


#: A place as read back: geonameid, name, lat, lon, country, population, alternate names,
#: kind, region name ('' unknown), ICAO code ('' none).
_Row: TypeAlias = tuple[int, str, float, float, str, int, tuple[str, ...], int, str, str]
#: A place a key found, as hits sort: (-tier, kind, -population, geonameid, database, row).
#: Sorting hits ranks them: own names first, populated places before airports and sections,
#: then the most populous.
_Hit: TypeAlias = tuple[int, int, int, int, int, int]

#: The layout of both databases, in ``PRAGMA user_version``. Layout 2 added ``capitals``;
#: layout 3 kinds, regions, listed cities and airports. A user's gazetteer of layout 1 or 2
#: is still read (every row a listed city; layout 1 names no capitals).
_SCHEMA_VERSION: Final = 3
_READABLE_VERSIONS: Final = (1, 2, 3)
#: Joins a place's alternate names in the ``alternates`` column; no GeoNames field holds it.
_ALT_JOIN: Final = "\t"
#: Sorts after every character, so that ``key <= k < key + _TOP`` is every k starting with key.
_TOP: Final = "\U0010ffff"
# ``cities.row`` is the place's rank: listed cities first (populated places of 15,000+
# people and national capitals, in the built-in database; every populated place in a
# user's), most populous first, then the other places by kind and population; ties by
# geonameid. An airport's geonameid is negative, made from its ICAO code, and its population
# ranks airports of one name by size (3 large, 2 medium, 1 small, 0 unknown; never shown as
# a population). ``keys`` holds every
# folded name of each place with its tier (``own``); its primary key is the index that
# lookups, prefix searches and half of fuzzy suggestions use; ``tails`` holds the names of
# listed cities written backwards, for the other half (names by their last letter).
# ``capitals`` holds the row of each sovereign state's capital, ``regions`` the first-level
# divisions' names.
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
    alternates TEXT NOT NULL,
    kind INTEGER NOT NULL,
    listed INTEGER NOT NULL,
    region INTEGER NOT NULL,
    code TEXT NOT NULL
);
CREATE TABLE keys (
    key TEXT NOT NULL,
    row INTEGER NOT NULL,
    own INTEGER NOT NULL,
    PRIMARY KEY (key, row)
) WITHOUT ROWID;
CREATE TABLE capitals (row INTEGER PRIMARY KEY, country TEXT NOT NULL);
CREATE TABLE tails (key TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE regions (
    region INTEGER PRIMARY KEY,
    country TEXT NOT NULL,
    code TEXT NOT NULL,
    name TEXT NOT NULL
);
CREATE TEMP TABLE stage (
    geonameid INTEGER PRIMARY KEY,
    name TEXT, lat REAL, lon REAL, country TEXT, population INTEGER, alternates TEXT,
    kind INTEGER, listed INTEGER, region INTEGER, code TEXT
);
CREATE TEMP TABLE stage_keys (key TEXT, geonameid INTEGER, own INTEGER);
"""
_RANK: Final = """
INSERT INTO cities
SELECT ROW_NUMBER() OVER (ORDER BY listed DESC, kind, population DESC, geonameid), geonameid,
       name, lat, lon, country, population, alternates, kind, listed, region, code
FROM stage ORDER BY 1
"""
_KEYS: Final = """
INSERT INTO keys SELECT s.key, c.row, max(s.own) FROM stage_keys s JOIN cities c USING (geonameid)
GROUP BY s.key, c.row ORDER BY s.key, c.row
"""
# The names of listed cities, each written backwards, for fuzzy suggestions by last letter.
_TAILS: Final = """
INSERT INTO tails SELECT DISTINCT reverse_key(k.key) FROM keys k JOIN cities c ON c.row = k.row
WHERE c.listed = 1 AND k.own >= 0 ORDER BY 1
"""
_STAGE: Final = "INSERT INTO stage VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
_STAGE_KEYS: Final = "INSERT INTO stage_keys VALUES (?, ?, ?)"
_CAPITALS: Final = "INSERT INTO capitals SELECT row, country FROM cities WHERE geonameid = ?"
_META_KEYS: Final = ("kind", "source", "licence", "rows", "countries")

# Queries, written for layout 3; :class:`_Database` rewrites them for an older user's file.
_HITS: Final = (
    "SELECT -k.own, c.kind, -c.population, c.geonameid, c.row FROM keys k "
    "JOIN cities c ON c.row = k.row WHERE k.key = ?{country} ORDER BY k.row"
)
_PREFIXED: Final = (
    "SELECT DISTINCT -c.population, c.geonameid, c.row, c.kind FROM keys k "
    "JOIN cities c ON c.row = k.row "
    "WHERE k.key >= ? AND k.key < ? AND k.own >= ?{country} ORDER BY c.row LIMIT ?"
)
_IN_COUNTRY: Final = " AND c.country = ?"
_ROW: Final = (
    "SELECT c.geonameid, c.name, c.lat, c.lon, c.country, c.population, c.alternates, c.kind, "
    "coalesce(r.name, ''), c.code FROM cities c LEFT JOIN regions r ON r.region = c.region "
    "WHERE c.row = ?"
)
_BY_ID: Final = "SELECT -population, geonameid, row, kind FROM cities WHERE geonameid IN ({marks})"
_NEAR_HEAD: Final = (
    "SELECT DISTINCT key FROM keys WHERE key >= ? AND key < ? AND length(key) BETWEEN ? AND ? "
    "AND own >= -1"
)
_NEAR_TAIL: Final = (
    "SELECT key FROM tails WHERE key >= ? AND key < ? AND length(key) BETWEEN ? AND ? "
    "AND substr(key, -1) <> substr(key, 1, 1)"
)
# Layouts 1 and 2 have no ``tails``: their keys are scanned.
_NEAR_TAIL_SCAN: Final = (
    "SELECT DISTINCT key FROM keys WHERE substr(key, -1) = ? AND length(key) BETWEEN ? AND ? "
    "AND substr(key, 1, 1) <> substr(key, -1)"
)
_BEST: Final = (
    "SELECT -c.population, c.geonameid FROM keys k JOIN cities c ON c.row = k.row "
    "WHERE k.key = ? ORDER BY k.own DESC, k.row LIMIT 1"
)
# Listed cities in a latitude-longitude box, most populous first (places_in_box).
_IN_BOX: Final = (
    "SELECT -population, geonameid, row, country FROM cities WHERE row <= ? AND listed = 1 "
    "AND lat BETWEEN ? AND ? AND {lon}{capitals} ORDER BY row LIMIT ?"
)
_CAPITALS_ONLY: Final = " AND row IN (SELECT row FROM capitals)"
# Listed cities of ``population`` or more near a point (the check of swapped coordinates).
_NEAR_BOX: Final = (
    "SELECT name, lat, lon, country, population FROM cities WHERE listed = 1 AND row <= ? "
    "AND population >= ? AND lat BETWEEN ? AND ? AND lon BETWEEN ? AND ?"
)
_ALL_CITIES: Final = (
    "SELECT -population, geonameid, row, lat, lon FROM cities WHERE row <= ? AND listed = 1 "
    "ORDER BY row"
)
# What layouts 1 and 2 lack: every row is a listed populated place, with no region or code,
# and a key's tier is 1 or 0 as in layout 3.
_OLD_COLUMNS: Final = (
    ("c.kind", "0"),
    ("coalesce(r.name, '')", "''"),
    ("c.code", "''"),
    (" LEFT JOIN regions r ON r.region = c.region", ""),
    (", kind FROM", ", 0 FROM"),
    ("listed = 1", "1 = 1"),
)


def _keys(record: _Record) -> dict[str, int]:
    """Each folded name of ``record`` with its best tier."""
    keys = {fold(record.name): OWN}
    for alternate in record.alternates:
        keys.setdefault(fold(alternate), ALTERNATE)
    for name, tier in record.lesser:
        keys.setdefault(fold(name), tier)
    return keys


def _stage(
    connection: sqlite3.Connection,
    records: Iterable[tuple[int, _Record]],
    shown: str,
    fix: str,
    listed: Callable[[_Record], bool],
) -> int:
    """Put ``records`` in the staging tables with the keys of their names; return how many."""
    count = 0
    regions: dict[tuple[str, str, str], int] = {}
    for line, record in records:
        region = 0
        if record.region:
            where = (record.country, record.admin1, record.region)
            region = regions.setdefault(where, len(regions) + 1)
        joined = _ALT_JOIN.join(record.alternates)
        values = (*record[:6], joined, record.kind, int(listed(record)), region, record.code)
        try:
            connection.execute(_STAGE, values)
        except sqlite3.IntegrityError:
            problem = f"geonameid {record.geonameid} appears a second time; each place must be once"
            raise GazetteerFileError(shown, f"line {line}", problem + fix) from None
        keys = _keys(record)
        if "" in keys:
            problem = f"geonameid {record.geonameid} has a name with no letters or digits"
            raise GazetteerFileError(shown, f"line {line}", problem + fix)
        rows = [(key, record.geonameid, own) for key, own in keys.items()]
        connection.executemany(_STAGE_KEYS, rows)
        count += 1
    connection.executemany(
        "INSERT INTO regions VALUES (?, ?, ?, ?)",
        [(number, *where) for where, number in regions.items()],
    )
    return count


def _write_database(
    path: str | os.PathLike[str],
    records: Iterable[tuple[int, _Record]],
    meta: Callable[[int], Mapping[str, str]],
    shown: str,
    fix: str = "",
    capitals: Callable[[], Iterable[int]] = tuple,
    listed: Callable[[_Record], bool] = lambda record: record.kind == CITY,
) -> int:
    """Write ``records`` (each with the line of ``shown`` it was read from) to a new database
    at ``path``; return how many were written.

    ``meta(count)`` is called once every record has been read, for the metadata to store,
    and ``capitals()`` for the geonameids of national capitals (those among the records are
    kept); ``listed(record)`` says whether a place is a listed city. Each name must have a
    key; a geonameid seen twice raises :class:`GazetteerFileError`. The same records give
    the same tables in the same order, so the output is deterministic. ``fix`` ends the
    message of an error. A fault of SQLite itself (a full disk, say) raises
    :class:`sqlite3.Error`.
    """
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.executescript(
            "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA temp_store = FILE;"
            + _SCHEMA
        )
        connection.execute("BEGIN")
        count = _stage(connection, records, shown, fix, listed)
        connection.execute(_RANK)
        connection.execute(_KEYS)
        connection.create_function("reverse_key", 1, _reversed, deterministic=True)
        connection.execute(_TAILS)
        connection.executemany(_CAPITALS, [(gid,) for gid in sorted(set(capitals()))])
        countries = connection.execute("SELECT DISTINCT country FROM cities ORDER BY 1")
        (listed_rows,) = connection.execute("SELECT count(*) FROM cities WHERE listed = 1")
        stored = {
            **meta(count),
            "rows": str(count),
            "listed": str(listed_rows[0]),
            "countries": ",".join(code for (code,) in countries),
        }
        connection.executemany("INSERT INTO meta VALUES (?, ?)", sorted(stored.items()))
        connection.execute(f"PRAGMA user_version = {_SCHEMA_VERSION}")
        connection.execute("COMMIT")
    finally:
        connection.close()
    return count


def _reversed(key: str) -> str:
    return key[::-1]


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


def _old_layout(sql: str) -> str:
    """``sql`` for a database of layout 1 or 2 (no kinds, regions, codes or listed flag)."""
    for new, old in _OLD_COLUMNS:
        sql = sql.replace(new, old)
    return sql


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
        #: What a population from here says it is (the dump and its date), or None.
        self.population_source: str | None = self.meta.get("population_source")
        self.countries = frozenset(filter(None, meta["countries"].split(",")))
        #: Whether the database says which cities are capitals (layout 2 on).
        self.has_capitals = version >= 2
        self.version = version
        #: The last row of a listed city (rows are ranked listed cities first).
        self.listed = int(self.meta.get("listed", self.meta["rows"]))
        #: The countries whose capitals are national capitals (sovereign states), or None
        #: when the database does not say (a user's: the built-in list applies).
        sovereign = self.meta.get("sovereign")
        self.sovereign = None if sovereign is None else frozenset(sovereign.split(","))
        # One query at a time on the connection, whichever thread asks.
        self._lock = threading.Lock()

    def close(self) -> None:
        with self._lock:
            self.connection.close()

    def query(self, sql: str, parameters: Sequence[object] = ()) -> list[Any]:
        """The rows ``sql`` selects; a damaged database raises :class:`GazetteerFileError`."""
        if self.version < 3:
            sql = _old_layout(sql)
        with self._lock:
            try:
                return self.connection.execute(sql, parameters).fetchall()
            except sqlite3.Error as error:
                problem = f"cannot be read, damaged ({error}); {self.fix}"
                raise GazetteerFileError(self.path, "", problem) from None

    def hits(self, key: str, country: str | None) -> list[_Hit]:
        """The places ``key`` names, best first, in ``country`` if one is given."""
        if country is None:
            found = self.query(_HITS.format(country=""), (key,))
        else:
            found = self.query(_HITS.format(country=_IN_COUNTRY), (key, country))
        return sorted((*row[:4], self.index, row[4]) for row in found)

    def prefixed(self, key: str, country: str | None, own: bool, limit: int) -> list[_Hit]:
        """Up to ``limit`` places with a key (their own name's, if ``own``) starting with
        ``key``, best first (by rank: listed cities, then the others)."""
        parameters: list[object] = [key, key + _TOP, OWN if own else ALTERNATE]
        if country is not None:
            parameters.append(country)
        sql = _PREFIXED.format(country="" if country is None else _IN_COUNTRY)
        parameters.append(limit)
        return [
            (-OWN if own else -ALTERNATE, kind, people, gid, self.index, row)
            for people, gid, row, kind in self.query(sql, parameters)
        ]

    def by_geonameid(self, geonameids: Iterable[int], tier: int = -OWN) -> dict[int, _Hit]:
        """The hits for the places of ``geonameids`` this database holds."""
        wanted = sorted(set(geonameids))
        found: dict[int, _Hit] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            sql = _BY_ID.format(marks=",".join("?" * len(chunk)))
            for people, geonameid, row, kind in self.query(sql, chunk):
                found[geonameid] = (tier, kind, people, geonameid, self.index, row)
        return found

    def row(self, row: int) -> _Row:
        (found,) = self.query(_ROW, (row,))
        geonameid, name, lat, lon, country, population, alternates, kind, region, code = found
        names = tuple(alternates.split(_ALT_JOIN)) if alternates else ()
        return geonameid, name, lat, lon, country, population, names, kind, region, code

    def near(self, head: str, tail: str | None, low: int, high: int) -> list[str]:
        """Keys of ``low`` to ``high`` characters that start with ``head`` or, if ``tail`` is
        given, names of listed cities that end with it (and do not start with it)."""
        near = [k for (k,) in self.query(_NEAR_HEAD, (head, head + _TOP, low, high))]
        if tail is not None and self.version < 3:
            near += [k for (k,) in self.query(_NEAR_TAIL_SCAN, (tail, low, high))]
        elif tail is not None:
            found = self.query(_NEAR_TAIL, (tail, tail + _TOP, low, high))
            near += [k[::-1] for (k,) in found]
        return near

    def best(self, key: str) -> tuple[int, int] | None:
        """``(-population, geonameid)`` of the best place ``key`` names, or None."""
        found = self.query(_BEST, (key,))
        return (found[0][0], found[0][1]) if found else None

    def region_names(self) -> dict[tuple[str, str], str]:
        """GeoNames' first-level divisions this database names: (country, code) -> name."""
        if self.version < 3:
            return {}
        rows = self.query("SELECT country, code, name FROM regions WHERE code <> ''")
        return {(country, code): name for country, code, name in rows}
