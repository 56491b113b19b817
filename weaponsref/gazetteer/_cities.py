"""An opened gazetteer: the article places in memory, the places in the databases, and the
lookups that rank them.

Names are looked up in two layers:

1. the places the two source articles name (``data/places.toml``), with the coordinates and
   the source each was read from. They win: ``place("Moscow")`` is the point the source gave
   for Moscow, not GeoNames' point;
2. the built-in places (GeoNames' populated places of about 1,000 people or more, and
   airports with an ICAO code; see ``data/GEONAMES.md``), found by name or a Latin or
   Cyrillic alternate name, together with the places of any GeoNames file the user
   imported.

Of the places a name fits, a place's own name beats an alternate or former name ("Pokrovsk"
is Pokrovsk, Ukraine, not Engels, once called Pokrovsk), which beats an airport's name
without its "Airport" or "Air Base" ("Belbek"), which beats the city an airport serves;
at the same tier a populated place beats an airport, which beats a section of a city (a
district), and then the most populous wins. The places that tie at the best tier and kind
are the name's namesakes: more than one makes the name ambiguous. A trailing ISO 3166-1
alpha-2 country code narrows the places (``place("Moscow, US")`` is Moscow, Idaho), and
``"geonames:ID"`` names one by its GeoNames id. A name ending in "airport", "air base",
"airbase", "airfield" or "aerodrome" that names nothing as a whole looks up the airports
of the rest ("Engels air base").

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
from collections.abc import Callable, Iterator, Mapping, Sequence
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final, Generic, TypeVar

import attrs

from weaponsref._text import NameIndex, fold, shorten, suggest
from weaponsref.errors import UnknownPlaceError
from weaponsref.gazetteer._articles import _read_articles
from weaponsref.gazetteer._geonames import _USER_FIX, user_database
from weaponsref.gazetteer._records import PLACE_KINDS, Place
from weaponsref.gazetteer._store import (
    _ALL_CITIES,
    _CAPITALS_ONLY,
    _IN_BOX,
    AIRPORT,
    CODE,
    OWN,
    SERVED,
    SHORT,
    _Database,
    _Hit,
    _Row,
)

__all__ = ["PlaceArrays"]

_ARTICLES_FILE: Final = "places.toml"
_DB_FILE: Final = "gazetteer.sqlite"
_BUILTIN_FIX: Final = "reinstall weaponsref"
_COUNTRY_SUFFIX = re.compile(r"^(?P<name>.*\S)\s*,\s*(?P<code>[A-Za-z]{2})\s*$", re.DOTALL)
#: ``geonames:ID`` names a place by its GeoNames id.
_GEONAMES_ID = re.compile(r"\s*geonames\s*:\s*(?P<id>[0-9]{1,12})\s*", re.IGNORECASE)
#: The words that end a name meant as an airport ("Engels air base"), folded.
_AERODROME_WORDS: Final = frozenset({"airport", "airbase", "airfield", "aerodrome", "ab", "afb"})
# An article place stands in for a GeoNames place of its name and country this close to it.
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
    """Whether a gazetteer row with one of the article place's names is that place."""
    return (
        row[4] == article.country
        and abs(row[2] - article.lat) < _SAME_CITY_DEGREES
        and abs(row[3] - article.lon) < _SAME_CITY_DEGREES
    )


def _with_twin(article: Place, twins: Sequence[tuple[int, _Row]]) -> Place:
    """``article`` with the region, kind and ICAO code of the first gazetteer place it stands
    in for (its coordinates, population and source stay the article's)."""
    if not twins:
        return article
    _, _, _, _, _, _, _, kind, region, code = twins[0][1]
    return attrs.evolve(article, region=region or None, kind=PLACE_KINDS[kind], code=code or None)


def _split_country(name: str) -> tuple[str, str | None]:
    """Split ``"Moscow, US"`` into ``("Moscow", "US")``; other names come back whole."""
    match = _COUNTRY_SUFFIX.match(name)
    if match is None:
        return name, None
    return match["name"], match["code"].upper()


def _aerodrome_stem(name: str) -> str | None:
    """``"Engels air base"`` -> ``"Engels"``: the name without a last word or two that mean
    an airport, or None if it has none (or nothing else)."""
    words = name.split()
    for count in (2, 1):
        if len(words) > count and fold(" ".join(words[-count:])) in _AERODROME_WORDS:
            return " ".join(words[:-count])
    return None


def _an_area(name: str) -> tuple[str, str, bool] | None:
    """When ``name`` names no place but an area ("Crimea", "Ukraine"): what to say (that it
    is an area and how to give it as one), the area's own name, and whether ``name`` is
    that own name or its code (then suggestions of places with similar names are left
    out); else None."""
    from weaponsref.gazetteer._countries import area_kind

    found = area_kind(name)
    if found is None:
        return None
    kind, own_name, own = found
    shown = shorten(name, 60)
    what = f"{'an' if kind[0] in 'aeiou' else 'a'} {kind}"
    said = (
        f"{shown!r} names an area ({what}), not a place"
        if own
        else f"{shown!r} also names an area, {own_name} ({what})"
    )
    because = (
        f"{said}: give it as wr.area({shown!r}), or with --from-area on the command line, "
        "to measure from its border"
    )
    return because, own_name, own


@attrs.frozen
class PlaceArrays:
    """Every listed city of the gazetteer as arrays, for bulk masks: latitude and longitude
    in degrees, population (0 where none is known), and ``hits`` to turn an index into its
    :class:`Place` with :meth:`place`. Built once per gazetteer state by
    :func:`~weaponsref.gazetteer.place_arrays`."""

    lats: Any
    lons: Any
    populations: Any
    hits: tuple[Any, ...]
    _city: Callable[[Any], Place] | None = attrs.field(
        default=None, kw_only=True, eq=False, repr=False, alias="_city"
    )
    #: Which dump and date each database's populations are from, by database index.
    _population_sources: Mapping[int, str | None] = attrs.field(
        factory=dict, kw_only=True, eq=False, repr=False, alias="_population_sources"
    )

    def population_source(self, index: int) -> str | None:
        """Where the population at ``index`` is from ("GeoNames, dump of 2023-03-05"), or
        None where its database does not say (an article place takes its city's)."""
        return self._population_sources.get(self.hits[index][4])

    def place(self, index: int) -> Place:
        """The place at ``index``, as :func:`~weaponsref.gazetteer.place` would return it
        from the gazetteer these arrays were built from."""
        if self._city is None:
            from weaponsref.gazetteer._places import current_gazetteer

            return current_gazetteer()._opened().city(self.hits[index])
        return self._city(self.hits[index])


class _Opened:
    """Article places in memory, places in the databases (the built-in one, then the
    user's); opened once, then only read.

    A :class:`Place` is made for a database row the first time it is asked for, and kept by
    geonameid; names looked up are remembered (at most 4,096 of them) with their namesakes.
    """

    def __init__(
        self,
        articles: tuple[Place, ...],
        databases: Sequence[_Database],
        key: tuple[object, object],
    ) -> None:
        #: The built-in database, then the user's if there is one.
        self.databases = tuple(databases)
        #: What this state was opened for (the gazetteer compares it to tell a stale state).
        self.key = key
        self.countries = frozenset().union(*(d.countries for d in databases)) | {
            p.country for p in articles
        }
        #: The countries whose capitals are national capitals (the built-in list).
        self.sovereign = databases[0].sovereign
        # An article place stands in for the places it is, found by its own or an alternate
        # name (of the kind of the first), so that GeoNames' alternate names ("Kijów",
        # "Moskau") find the article's point; it takes the first's region, kind and ICAO code
        # (not its population).
        twins: dict[Place, list[tuple[int, _Row]]] = {}
        names: NameIndex[Place] = NameIndex()
        for article in articles:
            names.add(article.name, article, article.aliases)
        for name_key, article in names.items():
            for hit in self.hits(name_key, article.country):
                row = self.databases[hit[4]].row(hit[5])
                if hit[0] <= 0 and _same_city(article, row):
                    twins.setdefault(article, []).append((hit[3], row))
        #: The article places, in the file's order.
        self.articles = tuple(_with_twin(a, twins.get(a, [])) for a in articles)
        #: Name or alias of an article place -> that place.
        self.article_index: NameIndex[Place] = NameIndex()
        for article in self.articles:
            self.article_index.add(article.name, article, article.aliases)
        self.stand_ins: dict[int, Place] = {}
        for before, after in zip(articles, self.articles, strict=True):
            same = twins.get(before, [])
            for geonameid, row in same:
                if row[7] == same[0][1][7]:  # not the town of an article's airport
                    self.stand_ins.setdefault(geonameid, after)
        self._made: dict[int, Place] = {}
        #: Names :meth:`lookup` found -> their places, the chosen one first.
        self.names: _Memo[str, tuple[Place, ...]] = _Memo(_REMEMBERED)
        #: Texts :func:`~weaponsref.gazetteer.as_location` read as names -> their place.
        self.located: _Memo[str, Place] = _Memo(_REMEMBERED)
        self._arrays: PlaceArrays | None = None
        self._arrays_lock = threading.Lock()

    # ----------------------------------------------------------------------- the layers

    def merged(self, found: Sequence[list[_Hit]]) -> list[_Hit]:
        """Hits from each database as one list, best first, one per geonameid: a place the
        built-in database holds is its place, whichever database found it."""
        if not any(found[1:]):
            return found[0]
        best = {hit[3]: hit for hit in found[0]}
        extra = [hit for hits in found[1:] for hit in hits if hit[3] not in best]
        known = self.databases[0].by_geonameid(hit[3] for hit in extra)
        for hit in extra:
            builtin = known.get(hit[3])
            best.setdefault(hit[3], hit if builtin is None else (hit[0], *builtin[1:]))
        return sorted(best.values())

    def hits(self, key: str, country: str | None = None) -> list[_Hit]:
        return self.merged([d.hits(key, country) for d in self.databases])

    def city(self, hit: _Hit) -> Place:
        """The place of the row ``hit`` found, the same object every time."""
        geonameid = hit[3]
        found = self.stand_ins.get(geonameid) or self._made.get(geonameid)
        if found is None:
            made = self._place(self.databases[hit[4]], hit[5])
            # setdefault is atomic: threads racing here all get the first one stored.
            found = self._made.setdefault(geonameid, made)
        return found

    def _place(self, database: _Database, row: int) -> Place:
        """The place of ``row`` of ``database``, made anew."""
        geonameid, name, lat, lon, country, population, alternates, kind, region, code = (
            database.row(row)
        )
        extra: dict[str, Any] = {"region": region or None, "kind": PLACE_KINDS[kind]}
        if kind == AIRPORT:
            source = f"{database.meta.get('airports_source', 'airport, ICAO ')}{code}"
            return Place(
                name, lat, lon, country, None, source, None, alternates, code=code, **extra
            )
        source, address = f"{database.source}{geonameid}", f"https://www.geonames.org/{geonameid}"
        if population:
            extra["population_source"] = database.population_source
        return Place(name, lat, lon, country, population, source, address, alternates, **extra)

    def candidates(
        self, key: str, country: str | None = None, tiers: range = range(-OWN, -CODE + 1)
    ) -> Iterator[Place]:
        """The places ``key`` names, best first: the article place, then by tier and kind,
        then by population; only those found at ``tiers`` (of ``-own``, see the store)."""
        article = self.article_index.get(key)
        if article is not None and country in (None, article.country) and -OWN in tiers:
            yield article
        for hit in self.hits(key, country):
            found = self.city(hit)
            if found is not article and hit[0] in tiers:
                yield found

    def first(self, key: str, country: str | None = None) -> Place | None:
        """The best place ``key`` names, or None."""
        return next(self.candidates(key, country), None)

    def best(self, key: str, country: str | None, kind: str | None = None) -> tuple[Place, ...]:
        """The places ``key`` fits best (in ``country``, of ``kind``), the chosen one first:
        the article place alone, or the places of the best tier and kind (see the module);
        empty if none."""
        article = self.article_index.get(key)
        if (
            article is not None
            and kind in (None, article.kind)
            and country in (None, article.country)
        ):
            return (article,)
        hits = self.hits(key, country)
        if kind is not None:
            wanted = PLACE_KINDS.index(kind)
            hits = [hit for hit in hits if hit[1] == wanted]
        if not hits:
            return ()
        return tuple(dict.fromkeys(self.city(hit) for hit in hits if hit[:2] == hits[0][:2]))

    def prefixed(self, key: str, country: str | None, limit: int) -> list[Place]:
        """Up to ``limit`` places with a name starting with ``key``, in three groups: article
        places (by name), places by their own name, then places by an alternate name; each
        group by kind and population."""
        articles = {p for k, p in self.article_index.items() if k.startswith(key)}
        named = self.merged([d.prefixed(key, country, True, limit) for d in self.databases])
        named = named[:limit]
        taken = {hit[3] for hit in named}
        wider = limit + len(named)
        anyhow = self.merged([d.prefixed(key, country, False, wider) for d in self.databases])
        others = [hit for hit in anyhow if hit[3] not in taken][:limit]
        in_country = [p for p in articles if country in (None, p.country)]
        return [*sorted(in_country, key=lambda p: p.name), *map(self.city, [*named, *others])]

    def fuzzy(self, key: str, limit: int) -> list[Place]:
        """Up to ``limit`` places with a name close to ``key``, closest first, each once.

        Only keys with the same first or last character and a similar length are compared:
        a typo rarely changes both ends, and it keeps a miss fast. Names equally close go by
        the best place's rank: for "Kharkof", "Kharkov" (Kharkiv) before "Karkofu" (Carquefou).
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
        # Keys that cannot score 0.6 (suggest's cutoff) by their letters alone are dropped
        # before suggest computes the full ratio.
        matcher = difflib.SequenceMatcher(None, "", key, autojunk=False)
        likely = []
        for candidate in near:
            matcher.set_seq1(candidate)
            if matcher.real_quick_ratio() >= 0.6 and matcher.quick_ratio() >= 0.6:
                likely.append(candidate)
        close = suggest(key, likely, limit=limit * 20)
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

    def lookup(self, name: str, kind: str | None = None) -> tuple[Place, ...]:
        """The places ``name`` fits best, the chosen one first (see the module); remembered
        when ``kind`` is None. An unknown name raises :class:`UnknownPlaceError`."""
        if kind is None:
            remembered = self.names.get(name)
            if remembered is not None:
                return remembered
        if len(name) > MAX_PLACE_NAME:
            raise UnknownPlaceError(shorten(name), ())
        by_id = _GEONAMES_ID.fullmatch(name)
        if by_id is not None:
            found = self._by_id(int(by_id["id"]), kind)
            if not found:
                raise UnknownPlaceError(name, ())
        else:
            found = self._by_name(name, kind)
        if kind is None:
            self.names.put(name, found)
        return found

    def _by_name(self, name: str, kind: str | None) -> tuple[Place, ...]:
        base, country = _split_country(name)
        found: tuple[Place, ...] = ()
        if country in self.countries:
            found = self.best(fold(base), country, kind)
        if not found:
            # A name that merely ends in ", XY" ("Washington, DC") may be a name as a whole.
            base, country = name, None
            found = self.best(fold(name), None, kind)
        stem = _aerodrome_stem(base)
        if not found and stem is not None and kind in (None, "airport"):
            found = self.best(fold(stem), country, "airport")
        if not found:
            base, country = _split_country(name)
            because, own_name, own = _an_area(name) or (None, None, False)
            close = () if own else self.suggestions(base if country else name, country)
            raise UnknownPlaceError(name, close, because=because, area=own_name, area_own_name=own)
        return found

    def _by_id(self, geonameid: int, kind: str | None) -> tuple[Place, ...]:
        """The place of GeoNames id ``geonameid`` (of ``kind``), alone, or nothing."""
        for database in self.databases:
            hit = database.by_geonameid([geonameid]).get(geonameid)
            if hit is not None and kind in (None, PLACE_KINDS[hit[1]]):
                return (self.city(hit),)
        return ()

    def suggestions(self, base: str, country: str | None) -> list[str]:
        """Up to three names that :meth:`lookup` would find, for a name it did not."""
        key = fold(base)
        if not key:
            return []
        if country is not None:
            # Name the countries that do have it: "Moscow, FR" -> "Moscow, RU", "Moscow, US"
            # (places of that very name, else those it is an alternate name of).
            found = list(self.candidates(key))
            found = [p for p in found if fold(p.name) == key] or found
            elsewhere = [f"{p.name}, {p.country}" for p in found]
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
        if _GEONAMES_ID.fullmatch(query):
            return self._by_id(int(query.split(":")[1]), None)[:limit]
        base, country = _split_country(query)
        if country not in self.countries:
            base, country = query, None
        key = fold(base)
        if not key or limit == 0:
            return ()
        found: dict[Place, None] = {}
        for tier in (
            lambda: self.candidates(key, country, range(-OWN, -SHORT + 1)),
            lambda: self.prefixed(key, country, limit),
            lambda: self.candidates(key, country, range(-SERVED, -CODE + 1)),
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
        """The most populous listed cities in ``box`` (south, west, north, east; checked),
        at most ``limit``, only national capitals with ``capitals``."""
        south, west, north, east = box
        lon = "lon BETWEEN ? AND ?" if west <= east else "(lon >= ? OR lon <= ?)"
        sql = _IN_BOX.format(lon=lon, capitals=_CAPITALS_ONLY if capitals else "")
        found = []
        for database in self.databases:
            if capitals and not database.has_capitals:
                continue
            rows = database.query(sql, (database.listed, south, north, west, east, limit))
            found.append(
                [
                    (0, 0, people, geonameid, database.index, row)
                    for people, geonameid, row, country in rows
                    if not capitals or self._sovereign(database, country)
                ]
            )
        return tuple(self.city(hit) for hit in self.merged(found)[:limit])

    def _sovereign(self, database: _Database, country: str) -> bool:
        """Whether a capital of ``country`` in ``database`` is a national capital: a
        sovereign state's (by the database's own list, else the built-in one)."""
        states = database.sovereign if database.sovereign is not None else self.sovereign
        return states is None or country in states

    def arrays(self) -> PlaceArrays:
        """Every listed city as :class:`PlaceArrays`, built once for this state."""
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
            for people, geonameid, row, lat, lon in database.query(_ALL_CITIES, (database.listed,)):
                hits.append((0, 0, people, geonameid, database.index, row))
                coordinates.setdefault((database.index, geonameid), (lat, lon))
            rows.append(hits)
        merged = self.merged(rows)
        points = []
        for hit in merged:
            stand_in = self.stand_ins.get(hit[3])
            if stand_in is not None:
                points.append((stand_in.lat, stand_in.lon))
            else:
                points.append(coordinates[(hit[4], hit[3])])
        lats = np.array([p[0] for p in points], dtype=np.float64)
        lons = np.array([p[1] for p in points], dtype=np.float64)
        populations = np.array([-hit[2] for hit in merged], dtype=np.int64)
        sources = MappingProxyType({d.index: d.population_source for d in self.databases})
        return PlaceArrays(
            lats,
            lons,
            populations,
            tuple(merged),
            _city=self.city,
            _population_sources=sources,
        )


# --------------------------------------------------------------------------- opening


def _data_file(name: str) -> Traversable:
    """The packaged data file ``name`` (tests replace this to read a broken copy)."""
    return resources.files("weaponsref") / "data" / name


# Keeps the built-in database's file for as long as the process runs (importlib.resources
# may have to copy it out of a zip first): a process-wide resource, not gazetteer state.
_files = contextlib.ExitStack()


@functools.cache
def _builtin_path() -> str:
    return str(_files.enter_context(resources.as_file(_data_file(_DB_FILE))))


def _builtin_regions() -> dict[tuple[str, str], str]:
    """The built-in names of GeoNames' first-level divisions: (country, code) -> name."""
    database = _Database(_builtin_path(), 0, _BUILTIN_FIX, immutable=True)
    try:
        return database.region_names()
    finally:
        database.close()


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
