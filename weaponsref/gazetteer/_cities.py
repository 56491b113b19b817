"""An opened gazetteer: the article places in memory, the cities in the databases, and the
lookups that rank them.

Names are looked up in two layers:

1. the places the two source articles name (``data/places.toml``), with the coordinates and
   the source each was read from. They win: ``place("Moscow")`` is the point the source gave
   for Moscow, not GeoNames' point;
2. every GeoNames city of 15,000+ people (GeoNames, CC BY 4.0; see ``data/GEONAMES.md``),
   found by its name or a Latin or Cyrillic alternate name, together with the cities of any
   GeoNames file the user imported. A name several cities share gives the most populous; a
   trailing ISO 3166-1 alpha-2 country code narrows it: ``place("Moscow, US")`` is Moscow,
   Idaho.

An :class:`_Opened` is one state of a :class:`~weaponsref.gazetteer.Gazetteer`: made when
the gazetteer is first used, replaced whole when its user database changes, never changed
after it is made except for what it remembers (places made, names looked up).
"""

from __future__ import annotations

import contextlib
import difflib
import functools
import re
import threading
import tomllib
from collections.abc import Callable, Iterator, Sequence
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Final, Generic, TypeVar

import attrs

from weaponsref._text import NameIndex, fold, shorten, suggest
from weaponsref.errors import GazetteerFileError, UnknownPlaceError
from weaponsref.gazetteer._geonames import _USER_FIX, user_database
from weaponsref.gazetteer._records import Place, _place_problem
from weaponsref.gazetteer._store import (
    _ALL_CITIES,
    _CAPITALS_ONLY,
    _IN_BOX,
    _Database,
    _Hit,
    _Row,
)

__all__ = ["PlaceArrays"]

_ARTICLES_FILE: Final = "places.toml"
_DB_FILE: Final = "gazetteer.sqlite"
_BUILTIN_FIX: Final = "reinstall weaponsref"
_COUNTRY_SUFFIX = re.compile(r"^(?P<name>.*\S)\s*,\s*(?P<code>[A-Za-z]{2})\s*$", re.DOTALL)
# An article place stands in for a GeoNames city of its name and country this close to it.
_SAME_CITY_DEGREES: Final = 0.5
#: The longest text looked up as a name: GeoNames' names are at most 200 characters, and an
#: optional ", CC" follows. Anything longer names no place and is not searched.
MAX_PLACE_NAME: Final = 250
#: How many names (and texts :func:`as_location` read as names) each state remembers.
_REMEMBERED: Final = 4096

_K = TypeVar("_K")
_V = TypeVar("_V")


class _Memo(Generic[_K, _V]):
    """A bounded memo: at most ``size`` entries, the oldest dropped first. Reads take no
    lock; writes take one, so that dropping the oldest never races another write."""

    __slots__ = ("_entries", "_lock", "_size", "get")

    def __init__(self, size: int) -> None:
        self._entries: dict[_K, _V] = {}
        self._size = size
        self._lock = threading.Lock()
        #: The entry for a key, or None.
        self.get: Callable[[_K], _V | None] = self._entries.get

    def put(self, key: _K, value: _V) -> None:
        with self._lock:
            if len(self._entries) >= self._size:
                del self._entries[next(iter(self._entries))]
            self._entries[key] = value

    def __len__(self) -> int:
        return len(self._entries)


def _same_city(article: Place, row: _Row) -> bool:
    """Whether a GeoNames row with one of the article place's names is that place."""
    return (
        row[4] == article.country
        and abs(row[2] - article.lat) < _SAME_CITY_DEGREES
        and abs(row[3] - article.lon) < _SAME_CITY_DEGREES
    )


def _split_country(name: str) -> tuple[str, str | None]:
    """Split ``"Moscow, US"`` into ``("Moscow", "US")``; other names come back whole."""
    match = _COUNTRY_SUFFIX.match(name)
    if match is None:
        return name, None
    return match["name"], match["code"].upper()


@attrs.frozen
class PlaceArrays:
    """Every city of the gazetteer as arrays, for bulk masks: latitude and longitude in
    degrees, population (0 where none is known), and ``hits`` to turn an index into its
    :class:`Place` with :meth:`place`. Built once per gazetteer state by
    :func:`~weaponsref.gazetteer.place_arrays`."""

    lats: Any
    lons: Any
    populations: Any
    hits: tuple[Any, ...]
    _city: Callable[[Any], Place] | None = attrs.field(
        default=None, kw_only=True, eq=False, repr=False, alias="_city"
    )

    def place(self, index: int) -> Place:
        """The place at ``index``, as :func:`~weaponsref.gazetteer.place` would return it
        from the gazetteer these arrays were built from."""
        if self._city is None:
            from weaponsref.gazetteer._places import current_gazetteer

            return current_gazetteer()._opened().city(self.hits[index])
        return self._city(self.hits[index])


class _Opened:
    """Article places in memory, cities in the databases (the built-in one, then the user's);
    opened once, then only read.

    A :class:`Place` is made for a city the first time it is asked for, and kept by
    geonameid; names looked up are remembered (at most 4,096 of them).
    """

    def __init__(
        self,
        articles: tuple[Place, ...],
        databases: Sequence[_Database],
        key: tuple[object, object],
    ) -> None:
        #: The article places, in the file's order.
        self.articles = articles
        #: Name or alias of an article place -> that place.
        self.article_index: NameIndex[Place] = NameIndex()
        for article in articles:
            self.article_index.add(article.name, article, article.aliases)
        #: The built-in database, then the user's if there is one.
        self.databases = tuple(databases)
        #: What this state was opened for (the gazetteer compares it to tell a stale state).
        self.key = key
        self.countries = frozenset().union(*(d.countries for d in databases)) | {
            p.country for p in articles
        }
        # An article place stands in for the GeoNames city it is, so that GeoNames'
        # alternate names ("Kijów", "Moskau") find the article's point.
        self.stand_ins: dict[int, Place] = {}
        for name_key, article in self.article_index.items():
            for hit in self.hits(name_key):
                if _same_city(article, self.databases[hit[2]].row(hit[3])):
                    self.stand_ins.setdefault(hit[1], article)
        self._made: dict[int, Place] = {}
        #: Names :meth:`place` found -> their place.
        self.names: _Memo[str, Place] = _Memo(_REMEMBERED)
        #: Texts :func:`~weaponsref.gazetteer.as_location` read as names -> their place.
        self.located: _Memo[str, Place] = _Memo(_REMEMBERED)
        self._arrays: PlaceArrays | None = None
        self._arrays_lock = threading.Lock()

    # ----------------------------------------------------------------------- the layers

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
        article = self.article_index.get(key)
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
        articles = {p for k, p in self.article_index.items() if k.startswith(key)}
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
            for k in self.article_index
            if low <= len(k) <= high and (k[0] == head or (k[-1] == tail and k[0] != k[-1]))
        ]
        for database in self.databases:
            near += database.near(head, tail, low, high)
        close = suggest(key, near, limit=limit * 5)
        found: dict[Place, None] = {}
        for candidate in sorted(close, key=self._closeness(key)):
            best = self.first(candidate)
            if best is not None:
                found.setdefault(best)
            if len(found) == limit:
                break
        return list(found)

    def _closeness(self, key: str) -> Callable[[str], tuple[float, int, tuple[int, int]]]:
        """How :meth:`fuzzy` orders close keys (a stable sort keeps suggest's order after
        this): suggest's score, recomputed to rank equal scores by article places first,
        then by the best place's rank."""
        matcher = difflib.SequenceMatcher(None, "", key, autojunk=False)

        def order(candidate: str) -> tuple[float, int, tuple[int, int]]:
            matcher.set_seq1(candidate)
            score = matcher.ratio()
            if candidate.startswith(key) or key.startswith(candidate):
                score = max(score, 0.8)
            article = candidate in self.article_index
            ranks = [d.best(candidate) for d in self.databases]
            rank = min((r for r in ranks if r is not None), default=(1, 0))
            return (-round(score, 9), 0 if article else 1, rank)

        return order

    # ----------------------------------------------------------------------- lookups

    def place(self, name: str) -> Place:
        """The place ``name`` names (see :func:`~weaponsref.gazetteer.place`); remembered."""
        found = self.names.get(name)
        if found is not None:
            return found
        if len(name) > MAX_PLACE_NAME:
            raise UnknownPlaceError(shorten(name), ())
        base, country = _split_country(name)
        if country in self.countries:
            found = self.first(fold(base), country)
        if found is None:
            # A name that merely ends in ", XY" ("Washington, DC") may be a name as a whole.
            found = self.first(fold(name))
        if found is None:
            raise UnknownPlaceError(name, self.suggestions(base if country else name, country))
        self.names.put(name, found)
        return found

    def suggestions(self, base: str, country: str | None) -> list[str]:
        """Up to three names that :meth:`place` would find, for a name it did not."""
        key = fold(base)
        if not key:
            return []
        if country is not None:
            # Name the countries that do have it: "Moscow, FR" -> "Moscow, RU", "Moscow, US".
            elsewhere = [f"{p.name}, {p.country}" for p in self.candidates(key)]
            if elsewhere:
                return list(dict.fromkeys(elsewhere))[:3]
        names = [p.name for p in self.fuzzy(key, 3)]
        if country is not None:
            names = [f"{n}, {country}" for n in names if self.first(fold(n), country)]
        return list(dict.fromkeys(names))[:3]

    def search(self, query: str, limit: int) -> tuple[Place, ...]:
        """Up to ``limit`` places matching ``query``, best first (see
        :func:`~weaponsref.gazetteer.search_places`); arguments already checked."""
        if len(query) > MAX_PLACE_NAME:
            return ()
        base, country = _split_country(query)
        if country not in self.countries:
            base, country = query, None
        key = fold(base)
        if not key or limit == 0:
            return ()
        found: dict[Place, None] = {}
        for tier in (
            lambda: self.candidates(key, country),
            lambda: self.prefixed(key, country, limit),
            lambda: self.fuzzy(key, limit),
        ):
            for candidate in tier():
                if country is None or candidate.country == country:
                    found.setdefault(candidate)
                    if len(found) == limit:
                        return tuple(found)
        return tuple(found)

    def in_box(
        self, box: tuple[float, float, float, float], limit: int, capitals: bool
    ) -> tuple[Place, ...]:
        """The most populous cities in ``box`` (south, west, north, east; checked), at most
        ``limit``, only national capitals with ``capitals``."""
        south, west, north, east = box
        lon = "lon BETWEEN ? AND ?" if west <= east else "(lon >= ? OR lon <= ?)"
        sql = _IN_BOX.format(lon=lon, capitals=_CAPITALS_ONLY if capitals else "")
        parameters = (south, north, west, east, limit)
        found = [
            [(people, geonameid, database.index, row) for people, geonameid, row in rows]
            for database in self.databases
            for rows in [
                database.query(sql, parameters) if database.has_capitals or not capitals else []
            ]
        ]
        return tuple(self.city(hit) for hit in self.merged(found)[:limit])

    def arrays(self) -> PlaceArrays:
        """Every city as :class:`PlaceArrays`, built once for this state."""
        with self._arrays_lock:
            if self._arrays is None:
                self._arrays = self._build_arrays()
            return self._arrays

    def _build_arrays(self) -> PlaceArrays:
        import numpy as np

        rows = []
        coordinates: dict[tuple[int, int], tuple[float, float]] = {}
        for database in self.databases:
            hits = []
            for people, geonameid, row, lat, lon in database.query(_ALL_CITIES):
                hits.append((people, geonameid, database.index, row))
                coordinates.setdefault((database.index, geonameid), (lat, lon))
            rows.append(hits)
        merged = self.merged(rows)
        points = []
        for hit in merged:
            stand_in = self.stand_ins.get(hit[1])
            if stand_in is not None:
                points.append((stand_in.lat, stand_in.lon))
            else:
                points.append(coordinates[(hit[2], hit[1])])
        lats = np.array([p[0] for p in points], dtype=np.float64)
        lons = np.array([p[1] for p in points], dtype=np.float64)
        populations = np.array([-hit[0] for hit in merged], dtype=np.int64)
        return PlaceArrays(lats, lons, populations, tuple(merged), _city=self.city)


# --------------------------------------------------------------------------- opening


def _data_file(name: str) -> Traversable:
    """The packaged data file ``name`` (tests replace this to read a broken copy)."""
    return resources.files("weaponsref") / "data" / name


_PLACE_KEYS: Final = ("name", "lat", "lon", "country", "population", "source", "address", "aliases")
_REQUIRED_KEYS: Final = ("name", "lat", "lon", "country", "source")


def _read_articles(file: Traversable) -> tuple[Place, ...]:
    """Read and check the whole of places.toml; raise GazetteerFileError at the first
    problem."""
    path = str(file)
    try:
        document = tomllib.loads(file.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as error:
        raise GazetteerFileError(path, "", f"not valid TOML: {error}") from None
    extra = sorted(set(document) - {"places"})
    if extra:
        raise GazetteerFileError(path, extra[0], "unknown table; the file holds only [[places]]")
    entries = document.get("places")
    if not isinstance(entries, list) or not entries:
        raise GazetteerFileError(path, "places", "expected one or more [[places]] tables")
    found: list[Place] = []
    index: NameIndex[Place] = NameIndex()
    for number, entry in enumerate(entries):
        record = _article(path, number, entry)
        # Each name and alias must find exactly one place.
        for text, owner in index.add(record.name, record, record.aliases):
            label = "name" if text == record.name else f"aliases[{record.aliases.index(text)}]"
            assert owner is not None  # a Place's names all have letters or digits
            raise GazetteerFileError(
                path,
                f"places[{number}].{label}",
                f"{text!r} is already a name of places[{found.index(owner)}] ({owner.name!r})",
            )
        found.append(record)
    return tuple(found)


def _article(path: str, number: int, entry: object) -> Place:
    """The place of ``places[number]`` in places.toml, checked."""
    where = f"places[{number}]"
    if not isinstance(entry, dict):
        raise GazetteerFileError(path, where, "expected a table")
    unknown = sorted(set(entry) - set(_PLACE_KEYS))
    if unknown:
        raise GazetteerFileError(
            path, f"{where}.{unknown[0]}", f"unknown key; expected one of {_PLACE_KEYS}"
        )
    for key in _REQUIRED_KEYS:
        if key not in entry:
            raise GazetteerFileError(path, f"{where}.{key}", "missing")
    aliases = entry.get("aliases", [])
    fields: dict[str, Any] = {
        **{key: entry.get(key) for key in _PLACE_KEYS},
        "aliases": tuple(aliases) if isinstance(aliases, list) else aliases,
    }
    problem = _place_problem(**fields)
    if problem is not None:
        raise GazetteerFileError(path, f"{where}.{problem[0]}", problem[1])
    return Place(**fields)


# Keeps the built-in database's file for as long as the process runs (importlib.resources
# may have to copy it out of a zip first): a process-wide resource, not gazetteer state.
_files = contextlib.ExitStack()


@functools.cache
def _builtin_path() -> str:
    return str(_files.enter_context(resources.as_file(_data_file(_DB_FILE))))


def _open(folder: str | None, key: tuple[object, object]) -> _Opened:
    """Read places.toml and open the databases: the built-in one, and the user's in
    ``folder`` if there is one (None: no user database)."""
    articles = _read_articles(_data_file(_ARTICLES_FILE))
    databases = [_Database(_builtin_path(), 0, _BUILTIN_FIX, immutable=True)]
    if folder is not None:
        user = user_database(Path(folder))
        if user is not None:
            databases.append(_Database(user, 1, _USER_FIX))
    return _Opened(articles, databases, key)
