"""The gazetteer as an object, which one is in use, and the module-level lookups that use it.

A :class:`Gazetteer` is the article places, the built-in places (GeoNames' populated places
of about 1,000 people or more, airports with an ICAO code) and a user's imported GeoNames
file, opened on first use. :func:`default_gazetteer` is the one every
module-level function (:func:`place`, :func:`search_places`, ...) uses unless
:func:`use_gazetteer` chose another, per thread and per asyncio task.

A name matches whatever its case, accents, spaces and punctuation (see
:func:`weaponsref._text.fold`). Coordinates are WGS84 latitude and longitude in decimal
degrees, latitude first. The places are kept in SQLite databases (``data/gazetteer.sqlite``,
and the user's), indexed by folded name, and only queried: the first lookup opens them in
milliseconds, and a name looked up again is remembered. Nothing is read at import.

>>> place("Kiev").name
'Kyiv'
>>> place("kyïv").point.label
'50.4500°N, 30.5233°E'
>>> place("Moscow, US").country
'US'
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Final, TypeVar, overload

from weaponsref._state import Current, Use
from weaponsref._text import shorten
from weaponsref.errors import (
    ArgumentError,
    ArgumentValueError,
    CoordinateError,
    LimitError,
    UnknownPlaceError,
)
from weaponsref.gazetteer._cities import PlaceArrays, _builtin_regions, _open, _Opened
from weaponsref.gazetteer._geonames import GazetteerInfo, _user_folder, import_into, read_info
from weaponsref.gazetteer._records import (
    _HOW,
    PLACE_KINDS,
    AmbiguousPlaceError,
    Place,
    _degrees_problem,
)

__all__ = [
    "Gazetteer",
    "current_gazetteer",
    "default_gazetteer",
    "get_place",
    "import_geonames",
    "namesakes",
    "place",
    "place_arrays",
    "places",
    "places_in_box",
    "search_places",
    "use_gazetteer",
    "user_gazetteer_info",
]

_T = TypeVar("_T")

# How many imports this process has made. An opened state records the count it was opened
# at; one opened before the latest import is stale, so every gazetteer sees a new user
# file on its next use (the files are shared by the process, so this count is too).
_imports = [0]
_imports_lock = threading.Lock()


def _imported() -> None:
    with _imports_lock:
        _imports[0] += 1


class Gazetteer:
    """The places weaponsref finds by name: the places the source articles name, GeoNames'
    populated places of about 1,000 people or more, airports with an ICAO code, and the
    places of a GeoNames file the user imported.

    ``Gazetteer()`` reads the user's import from the user data folder
    (``$WEAPONSREF_DATA_DIR``, else ``platformdirs.user_data_dir("weaponsref")``), looked up
    again at each use; ``Gazetteer(folder)`` reads it from ``folder``; and
    ``Gazetteer(user=False)`` reads none, for results that do not depend on what was
    imported. With ``strict=True``, a name that fits several places equally well raises
    :class:`~weaponsref.gazetteer.AmbiguousPlaceError` in every lookup through this gazetteer
    (:meth:`place`, and :func:`as_location`, distances and verdicts while it is the current
    one) instead of taking the first. Nothing is read until the first lookup. A gazetteer
    remembers up to 4,096 names it looked up, and forgets them when its user file changes
    (an import) or on :meth:`reload`. The default gazetteer reads ``$WEAPONSREF_DATA_DIR``
    when it opens (its first lookup, after an import, after :meth:`reload`): set the variable
    before that, or call ``reload()`` after changing it. Safe to share between threads.

    The module-level functions (:func:`place`, :func:`search_places`, ...) use
    :func:`current_gazetteer`; the methods of the same names use this one.

    >>> mine = Gazetteer(user=False)
    >>> mine.place("Kharkov").name, mine.folder is None
    ('Kharkiv', True)
    """

    def __init__(
        self,
        folder: str | os.PathLike[str] | None = None,
        *,
        user: bool = True,
        strict: bool = False,
    ) -> None:
        if folder is not None and not isinstance(folder, str | os.PathLike):
            raise ArgumentError(
                f"folder must be a path or None (got {shorten(repr(folder), 40)} that is a "
                f"{type(folder).__name__})"
            )
        if not isinstance(user, bool):
            raise ArgumentError(f"user must be True or False (got {shorten(repr(user), 40)})")
        if not isinstance(strict, bool):
            raise ArgumentError(f"strict must be True or False (got {shorten(repr(strict), 40)})")
        if folder is not None and not user:
            raise ArgumentValueError("give a folder or user=False, not both")
        self._folder = None if folder is None else os.fsdecode(os.fspath(folder))
        self._user = user
        self._strict = strict
        self._state: _Opened | None = None
        self._lock = threading.Lock()

    @property
    def strict(self) -> bool:
        """Whether a name that fits several places raises instead of taking the first."""
        return self._strict

    @property
    def folder(self) -> str | None:
        """The folder the user's gazetteer is read from and imported into now, or None."""
        return self._folder_now()

    def _folder_now(self) -> str | None:
        # The default gazetteer follows $WEAPONSREF_DATA_DIR as it is when it opens.
        if self._folder is not None:
            return self._folder
        return _user_folder() if self._user else None

    def _opened(self) -> _Opened:
        """The state, opened on first use and again after an import or :meth:`reload`
        (concurrent first uses open it once). The folder is the one named when it opens:
        the default gazetteer reads ``$WEAPONSREF_DATA_DIR`` then, not at every lookup."""
        state = self._state
        if state is None or state.key[1] != _imports[0]:
            with self._lock:
                state = self._state
                if state is None or state.key[1] != _imports[0]:
                    state = self._state = _open(
                        self._folder_now(), (self._folder_now(), _imports[0])
                    )
        return state

    def _located(self, text: str) -> Place | None:
        """The place ``text`` named when :func:`as_location` last read it as a name, if the
        state it was read in is still current; None otherwise (nothing is opened)."""
        state = self._state
        if state is None or state.key[1] != _imports[0]:
            return None
        return state.located.get(text)

    def reload(self) -> None:
        """Forget what was read and remembered; the next lookup opens the files again (for a
        user file another process imported, or a changed ``$WEAPONSREF_DATA_DIR``)."""
        with self._lock:
            self._state = None

    def __repr__(self) -> str:
        strict = ", strict=True" if self._strict else ""
        if self._folder is not None:
            return f"Gazetteer({self._folder!r}{strict})"
        return f"Gazetteer({strict[2:]})" if self._user else f"Gazetteer(user=False{strict})"

    # ----------------------------------------------------------------------- lookups

    def place(self, name: str, *, strict: bool | None = None, kind: str | None = None) -> Place:
        """The place called ``name`` in this gazetteer; see :func:`place`."""
        if type(name) is str and kind is None:
            state = self._opened()
            found = state.names.get(name) or state.lookup(name)
        else:
            found = self._opened().lookup(_name_text(name), _kind_checked(kind))
        if len(found) > 1 and _strict_checked(strict, self._strict):
            raise AmbiguousPlaceError(name, found)
        return found[0]

    def namesakes(self, name: str) -> tuple[Place, ...]:
        """The places ``name`` fits equally well in this gazetteer; see :func:`namesakes`."""
        return self._opened().lookup(_name_text(name))

    @overload
    def get_place(self, name: str) -> Place | None: ...
    @overload
    def get_place(self, name: str, default: _T) -> Place | _T: ...
    def get_place(self, name: str, default: object = None) -> object:
        """The place called ``name`` as :meth:`place` finds it, or ``default``."""
        try:
            return self.place(name)
        except UnknownPlaceError:
            return default

    def places(self) -> tuple[Place, ...]:
        """The places the two source articles name, in the order of ``data/places.toml``."""
        return self._opened().articles

    def search_places(self, query: str, limit: int = 10) -> tuple[Place, ...]:
        """Up to ``limit`` places matching ``query``, best first; see :func:`search_places`."""
        if not isinstance(query, str):
            raise CoordinateError(
                f"a query must be a str (got {query!r:.40} that is a {type(query).__name__})"
            )
        if isinstance(limit, bool) or not isinstance(limit, int) or not 0 <= limit <= 100_000:
            raise LimitError(f"limit must be a whole number from 0 to 100,000 (got {limit!r:.40})")
        return self._opened().search(query, limit)

    def places_in_box(
        self,
        south: float,
        west: float,
        north: float,
        east: float,
        limit: int = 100,
        *,
        capitals: bool = False,
    ) -> tuple[Place, ...]:
        """The most populous places in a latitude-longitude box; see :func:`places_in_box`."""
        for value, word, bound in (
            (south, "south", 90),
            (north, "north", 90),
            (west, "west", 180),
            (east, "east", 180),
        ):
            problem = _degrees_problem(value, word, bound)
            if problem is not None:
                raise CoordinateError(
                    f"{problem}; give a box as south, west, north, east in degrees"
                )
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
        box = (float(south), float(west), float(north), float(east))
        return self._opened().in_box(box, limit, capitals)

    def place_arrays(self) -> PlaceArrays:
        """Every city of this gazetteer as arrays; see :func:`place_arrays`."""
        return self._opened().arrays()

    # ----------------------------------------------------------------------- the user's file

    def import_geonames(self, path: str | os.PathLike[str]) -> GazetteerInfo:
        """Import a GeoNames dump into this gazetteer's folder; see :func:`import_geonames`.

        Raises :class:`~weaponsref.errors.ArgumentValueError` for a gazetteer made with
        ``user=False``, which has no folder.
        """
        folder = self._folder_now()
        if folder is None:
            raise ArgumentValueError(
                "this gazetteer reads no user's file (user=False); import into Gazetteer() "
                "or Gazetteer(folder)"
            )
        try:
            return import_into(path, Path(folder), _builtin_regions)
        finally:
            # Whatever happened to the file, every gazetteer opens it afresh on next use.
            _imported()

    def user_gazetteer_info(self) -> GazetteerInfo | None:
        """What this gazetteer's user file holds, or None; see :func:`user_gazetteer_info`."""
        folder = self.folder
        return None if folder is None else read_info(Path(folder))


def _name_text(name: object) -> str:
    """``name`` as a str, or :class:`CoordinateError` for anything that is not one."""
    if isinstance(name, str):
        return str(name)
    raise CoordinateError(
        f"a place name must be a str (got {name!r:.40} that is a {type(name).__name__}); or {_HOW}"
    )


def _kind_checked(kind: object) -> str | None:
    """``kind`` if it is None or one of :data:`PLACE_KINDS`; else an error naming them."""
    if kind is None or (isinstance(kind, str) and kind in PLACE_KINDS):
        return kind
    if not isinstance(kind, str):
        raise ArgumentError(f"kind must be a str or None (got {shorten(repr(kind), 40)})")
    raise ArgumentValueError(f"kind {shorten(repr(kind), 40)} is not one of {PLACE_KINDS}")


def _strict_checked(strict: object, default: bool) -> bool:
    """``strict`` (True, False, or None for the gazetteer's ``default``), checked."""
    if strict is None:
        return default
    if isinstance(strict, bool):
        return strict
    raise ArgumentError(f"strict must be True, False or None (got {shorten(repr(strict), 40)})")


# --------------------------------------------------------------------------- which one is used

_DEFAULT: Final = Gazetteer()
_CURRENT: Final = Current(
    "weaponsref_gazetteer",
    _DEFAULT,
    Gazetteer,
    Gazetteer,  # a folder: a gazetteer of the user's files in it
    "use_gazetteer takes a Gazetteer, a folder or None",
)


def default_gazetteer() -> Gazetteer:
    """The gazetteer of the built-in places and the user's import in the user data folder,
    which the module-level functions use unless :func:`use_gazetteer` chose another.

    >>> default_gazetteer() is default_gazetteer()
    True
    """
    return _DEFAULT


def current_gazetteer() -> Gazetteer:
    """The gazetteer the module-level functions use now: the default one, or the one
    :func:`use_gazetteer` chose (in this thread or task).

    >>> current_gazetteer() is default_gazetteer()
    True
    """
    return _CURRENT.get()


class use_gazetteer(Use[Gazetteer]):
    """Make ``gazetteer`` (a :class:`Gazetteer`, or a folder to read a user's gazetteer
    from) the one every module-level function uses.

    Called plainly, the choice lasts until the next call; used in a ``with`` block, the
    previous gazetteer comes back when the block ends. The choice is per thread and per
    asyncio task (a :mod:`contextvars` variable). ``use_gazetteer(None)`` goes back to the
    default gazetteer. Anything else raises :class:`~weaponsref.errors.ArgumentError`.

    >>> with use_gazetteer(Gazetteer(user=False)) as chosen:
    ...     print(current_gazetteer() is chosen, place("Kyiv").country)
    True UA
    >>> current_gazetteer() is default_gazetteer()
    True
    """

    def __init__(self, gazetteer: Gazetteer | str | os.PathLike[str] | None) -> None:
        super().__init__(_CURRENT, gazetteer)

    @property
    def gazetteer(self) -> Gazetteer:
        """The gazetteer chosen."""
        return self.chosen


# --------------------------------------------------------------------------- module-level lookups


def place(name: str, *, strict: bool | None = None, kind: str | None = None) -> Place:
    """Return the place called ``name``, whatever its case, accents, spaces and punctuation.

    The places the sources name come first. Then the gazetteer's places (GeoNames' populated
    places of about 1,000 people or more, airports with an ICAO code, a user's import): a
    place's own name beats an alternate or former name ("Pokrovsk" is Pokrovsk, Ukraine, not
    Engels, which was once called Pokrovsk); a populated place beats an airport of its name
    and a section of a city (a district); then the most populous wins. An airport is found
    by its name ("Engels Airbase"), its ICAO or IATA code ("UWSG"), its name without
    "Airport" or "Air Base" when nothing else has that name ("Belbek"), or a name followed
    by "airport", "air base", "airbase", "airfield" or "aerodrome" ("Engels air base");
    ``kind="airport"`` (one of :data:`PLACE_KINDS`) keeps only that kind of place.

    A trailing ``", CC"`` (an ISO 3166-1 alpha-2 code) keeps only places in that country, and
    ``"geonames:ID"`` is the place of that GeoNames id. When the name still fits several
    places equally well (see :func:`namesakes`), the first is returned; with ``strict=True``
    (or a gazetteer made with ``strict=True``, when ``strict`` is None) it raises
    :class:`AmbiguousPlaceError` (an :class:`~weaponsref.errors.ArgumentValueError`) listing
    them. An unknown name raises :class:`~weaponsref.errors.UnknownPlaceError` (a
    :class:`LookupError`) with up to three suggestions; its message repeats at most 80
    characters of the name. A name that is not a str raises
    :class:`~weaponsref.errors.CoordinateError`; a bad ``kind``
    :class:`~weaponsref.errors.ArgumentValueError`; a broken gazetteer file
    :class:`~weaponsref.errors.GazetteerFileError`. Uses :func:`current_gazetteer`.

    >>> place("Kiev").name
    'Kyiv'
    >>> place("KRIVOY ROG").name, place("Kharkov").name
    ('Kryvyi Rih', 'Kharkiv')
    >>> place("Moscow").lat, place("Moscow, US").lat
    (55.7558, 46.73239)
    >>> place("Pokrovsk").qualified_name, place("Pokrovsk, RU").qualified_name
    ('Pokrovsk, Donetsk, UA', 'Pokrovsk, Sakha, RU')
    >>> place("Pokrovsk", strict=True)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    weaponsref.gazetteer.AmbiguousPlaceError: 'Pokrovsk' fits 2 places: Pokrovsk, ...
    >>> place("Engels air base").qualified_name, place("UWSG").name
    ('Engels Airbase (XWSG), Saratov, RU', 'Gagarin Airport')
    >>> place("Kyyv")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    weaponsref.errors.UnknownPlaceError: no place named 'Kyyv' in the gazetteer; did you mean ...
    """
    return _CURRENT.get().place(name, strict=strict, kind=kind)


def namesakes(name: str) -> tuple[Place, ...]:
    """Return the places ``name`` fits equally well, the one :func:`place` returns first.

    One place when the name is unambiguous. Several when more than one place has the name
    at the best tier (own name, alternate name, airport name without "Airport") and of the
    same kind: the command line warns then and lists them, and ``place(name, strict=True)``
    raises. Raises as :func:`place` does for an unknown name. Uses :func:`current_gazetteer`.

    >>> [p.qualified_name for p in namesakes("Pokrovsk")]
    ['Pokrovsk, Donetsk, UA', 'Pokrovsk, Sakha, RU']
    >>> len(namesakes("Kharkiv")), len(namesakes("geonames:704422"))
    (1, 1)
    """
    return _CURRENT.get().namesakes(name)


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
    return _CURRENT.get().get_place(name, default)


def places() -> tuple[Place, ...]:
    """Return the places the two source articles name, in the order of ``data/places.toml``.

    >>> [p.name for p in places()][:4]
    ['Moscow', 'Moscow Kremlin', 'IQ-quarter', 'Kyiv']
    """
    return _CURRENT.get().places()


def search_places(query: str, limit: int = 10) -> tuple[Place, ...]:
    """Return up to ``limit`` places matching ``query``, best first; the order is deterministic.

    First the places ``query`` names exactly by name, alternate name or an airport's name
    without "Airport" (as :func:`place` ranks them), then places with a name or alias
    starting with ``query`` (article places, then by kind and population), then airports of
    the city ``query`` names or with that code, then names close to it. A trailing ``", CC"``
    country code keeps only places in that country; ``"geonames:ID"`` finds that place. A
    query that is not a str raises :class:`~weaponsref.errors.CoordinateError`; a limit
    outside 0 to 100,000 :class:`~weaponsref.errors.LimitError`.

    >>> [p.qualified_name for p in search_places("Moscow", limit=3)]
    ['Moscow, RU', 'Moscow, Idaho, US', 'Moscow, Pennsylvania, US']
    >>> search_places("Odesa")[0].source
    'Wikipedia, "Odesa" (46°29′8.6″N 30°44′36.4″E)'
    """
    return _CURRENT.get().search_places(query, limit)


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
    gazetteer's listed cities: the built-in populated places of 15,000+ people and the
    sovereign states' capitals, and the populated places of the user's import; never a
    section of a city (a district, GeoNames' PPLX), an airport, or a smaller town. Each is as
    :func:`place` returns it: an article place stands in for its city. At most ``limit``
    (0 to 10,000) places are returned. Bad degrees raise
    :class:`~weaponsref.errors.CoordinateError`, a bad limit
    :class:`~weaponsref.errors.LimitError`.

    With ``capitals``, only national capitals: the capitals (GeoNames' feature code PPLC) of
    sovereign states (the members of the United Nations, its two observer states, Kosovo and
    Taiwan; ``tools/data/states.tsv``), whether built in or imported. Mariehamn, Tórshavn and
    Douglas are no national capitals: Åland, the Faroes and Man are no sovereign states.

    >>> [p.name for p in places_in_box(47.0, 34.0, 49.0, 36.0, limit=3)]
    ['Dnipro', 'Zaporizhzhya', 'Kamyanske']
    >>> [p.name for p in places_in_box(44.0, 22.0, 56.0, 41.0, capitals=True)]
    ['Moscow', 'Kyiv', 'Bucharest', 'Minsk', 'Chisinau', 'Vilnius']
    """
    return _CURRENT.get().places_in_box(south, west, north, east, limit, capitals=capitals)


def place_arrays() -> PlaceArrays:
    """Every listed city of the gazetteer (those :func:`places_in_box` lists: built-in and the
    user's import, one per geonameid; an article place stands in for its city) as
    :class:`PlaceArrays`, most populous first. Built once per gazetteer state.

    >>> arrays = place_arrays()
    >>> len(arrays.lats) > 25_000, arrays.place(0).name
    (True, 'Shanghai')
    """
    return _CURRENT.get().place_arrays()


def import_geonames(path: str | os.PathLike[str]) -> GazetteerInfo:
    """Import a GeoNames dump into the user's gazetteer; return what it now holds.

    ``path`` is a file of GeoNames' geoname table (19 tab-separated columns) as published at
    https://download.geonames.org/export/dump/: ``cities500.txt``, ``cities1000.zip``, a
    country such as ``UA.zip``, or ``allCountries.zip``, plain or zipped. Its populated
    places (feature class P) are found by :func:`place` and :func:`search_places` with the
    built-in ones: article places first, then the built-in places and these merged as
    :func:`place` ranks them, one place per geonameid. Alternate names are kept as for the
    built-in places (Latin and Cyrillic ones), and each place's region is named as the
    built-in places name GeoNames' first-level divisions. Its sections of cities (PPLX) and
    places that are no more (PPLH, PPLQ, PPLW, PPLCH) are found by name but never listed
    (:func:`places_in_box`, :func:`place_arrays`); every other populated place is, whatever
    its population. Its PPLC places are national capitals if their country is a sovereign
    state. The populations say they are from the file, dated by its latest modification date.

    The gazetteer is kept in the current gazetteer's folder (:attr:`Gazetteer.folder`):
    ``platformdirs.user_data_dir("weaponsref")``, or the folder ``$WEAPONSREF_DATA_DIR``
    names. An import replaces the previous one whole, and every gazetteer reading that
    folder finds the new places on its next lookup. It is written to a temporary file first;
    one that an import killed mid-way left behind is removed by the next import.

    Any fault of the file raises :class:`~weaponsref.errors.GazetteerFileError` (a
    :class:`~weaponsref.errors.DataFileError`) naming the file, the line and the fix, and
    leaves the previous gazetteer as it was: a missing file, an empty path, a folder, a
    FIFO or a device (refused before it is opened, so the call never blocks), a file over
    4 GiB, a damaged, cut or encrypted zip, or a bad line. A path that is not a str or
    :class:`os.PathLike` raises :class:`~weaponsref.errors.ArgumentError`; a folder that
    cannot be written :class:`OSError`.

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
    return _CURRENT.get().import_geonames(path)


def user_gazetteer_info() -> GazetteerInfo | None:
    """Return what the user's gazetteer holds, or None if nothing was imported. A broken
    user database raises :class:`~weaponsref.errors.GazetteerFileError`.

    >>> import os, tempfile
    >>> os.environ["WEAPONSREF_DATA_DIR"] = tempfile.mkdtemp()
    >>> user_gazetteer_info() is None
    True
    >>> del os.environ["WEAPONSREF_DATA_DIR"]
    """
    return _CURRENT.get().user_gazetteer_info()
