"""The catalogue: loading the packaged data, lookup by id, name and alias, and fuzzy search.

The built-in catalogue is read from ``weaponsref/data/*.toml`` on first use (not at import),
under a lock, and validated whole: a bad file raises :class:`~weaponsref.errors.CatalogueError`
and nothing of it is used. Every module-level lookup function of :mod:`weaponsref` is a method
of the default :class:`Catalogue`; :func:`load_catalogue` makes another one from a user's file.

>>> import weaponsref as wr
>>> wr.lookup("  storm-shadow ") is wr.lookup("SCALP-EG")
True
>>> [system.name for system in wr.systems()][:5]
['Bober', 'UJ-22 Airborne', 'Storm Shadow', 'HIMARS', 'Kalibr']
"""

from __future__ import annotations

import datetime as _dt
import os
import threading
import tomllib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from importlib import resources
from typing import Any, Final, TypeVar

import attrs

from weaponsref import _html
from weaponsref._catalogue_file import (
    BUILTIN,
    PARSED,
    parse_document,
    parsed_documents,
    read_catalogue_file,
    remark_preferred,
)
from weaponsref._fields import as_row, day_argument, header, last_day
from weaponsref._state import Current, Use
from weaponsref._text import fold, shorten, suggest
from weaponsref.errors import (
    ArgumentError,
    ArgumentValueError,
    CatalogueError,
    MissingExtraError,
    NotYetPublishedError,
    UnknownSourceError,
    UnknownSystemError,
)
from weaponsref.records import Claim, Outlet, Source, System

__all__ = [
    "CLAIM_COLUMNS",
    "DATA_DATE",
    "DATA_VERSION",
    "Catalogue",
    "claim_records",
    "claims_frame",
    "current_catalogue",
    "default_catalogue",
    "get",
    "load_catalogue",
    "lookup",
    "search",
    "sources",
    "systems",
    "use_catalogue",
]

#: The columns of :meth:`Catalogue.claims_frame` and of the exported claims table: the
#: system's (``system``, its id, and ``system_name``), then the claim's own, from its one
#: declaration (see :mod:`weaponsref.records`).
CLAIM_COLUMNS: tuple[str, ...] = header(Claim)


def claim_records(systems: Iterable[System]) -> list[dict[str, Any]]:
    """One flat dict per claim, with the keys of :data:`CLAIM_COLUMNS`.

    >>> import weaponsref as wr
    >>> row = claim_records([wr.lookup("Bober")])[0]
    >>> row["system"], row["value"], row["unit"], row["source"], row["source_cited_as"]
    ('bober', 621, 'mile', 'dailymail-2023-08-01', 'Daily Mail')
    """
    return [as_row(claim, system) for system in systems for claim in system.claims]


def _public(source: Source, day: _dt.date) -> bool:
    """Whether ``source`` was surely public on ``day``: a date known only to the month or
    the year counts from its last day."""
    return source.published is not None and last_day(source.published) <= day


def _first_public(system: System) -> _dt.date | None:
    """The first day on which one of the system's range claims was surely public."""
    days = [last_day(c.source.published) for c in system.claims_for("range") if c.source.published]
    return min(days, default=None)


# --------------------------------------------------------------------------- the catalogue


@attrs.frozen
class _Contents:
    systems: tuple[System, ...]
    sources: tuple[Source, ...]
    index: Mapping[str, System]
    outlets: tuple[Outlet, ...] = ()
    #: In a catalogue as of a day, the systems not yet public then, by every folded name:
    #: the system's name and the first day one of its range claims is public (or None).
    later: Mapping[str, tuple[str, _dt.date | None]] = attrs.field(factory=dict)


def _index(systems: Sequence[System], path: str) -> dict[str, System]:
    index: dict[str, System] = {}
    seen_ids: dict[str, int] = {}
    for position, system in enumerate(systems):
        if system.id in seen_ids:
            raise CatalogueError(
                path, f"systems[{position}].id", f"system id {system.id!r} is used twice"
            )
        seen_ids[system.id] = position
        for name in (system.id, system.name, *system.aliases):
            key = fold(name)
            if not key:
                raise CatalogueError(
                    path, f"systems[{position}]", f"name {name!r} has no letters or digits"
                )
            other = index.get(key)
            if other is not None and other is not system:
                raise CatalogueError(
                    path,
                    f"systems[{position}]",
                    f"{system.name!r} has the name or alias {name!r}, which already names "
                    f"{other.name!r}; each name must find one system",
                )
            index[key] = system
    for position, system in enumerate(systems):
        for number, munition in enumerate(system.launches):
            if munition not in seen_ids:
                raise CatalogueError(
                    path,
                    f"systems[{position}].launches[{number}]",
                    f"{munition!r} is not the id of a system in the catalogue; "
                    "give the munition's own [[systems]] entry an id and name it here",
                )
    return index


_Identified = TypeVar("_Identified", Outlet, Source)


def _by_id(
    records: Sequence[_Identified], wanted: object, argument: str, example: str
) -> tuple[_Identified | None, list[str]]:
    """The record of ``records`` whose id is ``wanted`` and no suggestions, or None and the
    close ids; :class:`~weaponsref.errors.ArgumentError` (a TypeError) when ``wanted`` is
    not a str (``argument`` and ``example`` name the argument and a good value)."""
    if not isinstance(wanted, str):
        raise ArgumentError(
            f"{argument} must be a str such as {example!r} (got {shorten(repr(wanted))} that "
            f"is a {type(wanted).__name__})"
        )
    for record in records:
        if record.id == wanted:
            return record, []
    return None, suggest(wanted, [record.id for record in records])


class Catalogue:
    """A set of systems and the sources they cite, with lookup and search.

    Use :func:`default_catalogue` (what the module-level functions use) or
    :func:`load_catalogue` to get one. Catalogues are immutable once loaded and safe to share
    between threads.

    >>> import weaponsref as wr
    >>> catalogue = wr.default_catalogue()
    >>> len(catalogue) >= 20, catalogue.lookup("bober").name
    (True, 'Bober')
    """

    def __init__(self, loader: Callable[[], _Contents], label: str) -> None:
        self._loader = loader
        self._label = label
        self._contents: _Contents | None = None
        #: The day of :meth:`as_of`, or None for the catalogue as it is.
        self.date: _dt.date | None = None
        #: The catalogue a catalogue as of a day was made from.
        self._whole: Catalogue = self
        self._lock = threading.Lock()
        # Ranges that weaponsref.reach has resolved, for its fast path: a catalogue never
        # changes once loaded, so an entry never goes stale.
        self._resolved: dict[Any, Any] = {}

    @property
    def _data(self) -> _Contents:
        contents = self._contents
        if contents is None:
            with self._lock:
                if self._contents is None:
                    self._contents = self._loader()
                contents = self._contents
        return contents

    # -- lookup

    def systems(self) -> tuple[System, ...]:
        """Every system, in the catalogue's order (the built-in ones first)."""
        return self._data.systems

    def sources(self) -> tuple[Source, ...]:
        """Every source in the bibliography, in the order the data lists them."""
        return self._data.sources

    def outlets(self) -> tuple[Outlet, ...]:
        """Every outlet its sources name, in the order the data lists them."""
        return self._data.outlets

    def outlet(self, outlet_id: str) -> Outlet:
        """The outlet with this id, or :class:`~weaponsref.errors.ArgumentValueError` (a
        ValueError) naming close ids; :class:`~weaponsref.errors.ArgumentError` (a TypeError)
        when ``outlet_id`` is not a str.

        >>> import weaponsref as wr
        >>> wr.default_catalogue().outlet("forces-news").name
        'Forces News (BFBS)'
        """
        outlet, close = _by_id(self._data.outlets, outlet_id, "outlet_id", "afp")
        if outlet is not None:
            return outlet
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise ArgumentValueError(f"no outlet with id {shorten(repr(outlet_id))}{hint}")

    def source(self, source_id: str) -> Source:
        """The source with this id, or :class:`~weaponsref.errors.UnknownSourceError` (a
        LookupError) naming close ids; :class:`~weaponsref.errors.ArgumentError` (a TypeError)
        when ``source_id`` is not a str.

        >>> import weaponsref as wr
        >>> wr.default_catalogue().source("dailymail-2023-08-01").cited_as
        'Daily Mail'
        """
        source, close = _by_id(self._data.sources, source_id, "source_id", "bbc-2003-03-21")
        if source is not None:
            return source
        raise UnknownSourceError(source_id, close[:3])

    def get(self, name: str, default: Any = None) -> Any:
        """The system called ``name`` (any case, accents, spacing or punctuation; any alias), or
        ``default``.

        >>> import weaponsref as wr
        >>> wr.get("nope") is None
        True
        """
        if isinstance(name, System):
            return name
        if not isinstance(name, str):
            return default
        return self._data.index.get(fold(name), default)

    def lookup(self, name: str | System) -> System:
        """The system called ``name``, or :class:`~weaponsref.errors.UnknownSystemError` (a
        LookupError) with up to three suggestions; :class:`~weaponsref.errors.ArgumentError`
        (a TypeError) when ``name`` is neither a str nor a System.

        >>> import weaponsref as wr
        >>> wr.lookup("M142").name
        'HIMARS'
        """
        if isinstance(name, System):
            return name
        if not isinstance(name, str):
            raise ArgumentError(
                f"name must be a str such as 'Bober' or a System (got {shorten(repr(name))} "
                f"that is a {type(name).__name__})"
            )
        found = self._data.index.get(fold(name))
        if found is not None:
            return found
        later = self._data.later.get(fold(name))
        if later is not None and self.date is not None:
            system_name, first = later
            raise NotYetPublishedError(
                system_name, self.date.isoformat(), first.isoformat() if first else None
            )
        raise UnknownSystemError(name, self._suggest(name))

    def system_of(self, claim: Claim) -> System | None:
        """The system whose claims include ``claim`` (the same record first, else an equal
        one), or None.

        >>> import weaponsref as wr
        >>> claim = wr.lookup("Bober").claim("range")
        >>> wr.default_catalogue().system_of(claim).name
        'Bober'
        """
        for system in self._data.systems:
            if any(c is claim for c in system.claims):
                return system
        for system in self._data.systems:
            if claim in system.claims:
                return system
        return None

    def _names(self) -> list[tuple[str, System]]:
        return [(n, s) for s in self._data.systems for n in (s.name, *s.aliases, s.id)]

    def _suggest(self, query: str) -> tuple[str, ...]:
        names = self._names()
        by_name = dict(names)
        out: list[str] = []
        for name in suggest(query, by_name, limit=10, cutoff=0.7):
            system_name = by_name[name].name
            if system_name not in out:
                out.append(system_name)
        return tuple(out[:3])

    def as_of(self, date: _dt.date | str) -> Catalogue:
        """The catalogue as it stood on ``date``: only the claims and events whose sources
        were surely published on or before that day, so a fact-checker can ask what was
        public when a statement was made.

        A source with no publication date cannot be shown to have been public, so its claims
        and events are left out; one dated only to the month or the year counts from that
        period's last day. The preferred claims are chosen again among what is left, by the
        same rule. A system is kept from the day of its first public range claim, even of a
        named version (whose claim then stands in for the headline, see
        :attr:`~weaponsref.records.System.headline`); looking up one not yet public raises
        :class:`~weaponsref.errors.NotYetPublishedError`, which says from when it is. A
        launcher keeps only the munitions that are still there. As of a day after this
        catalogue's own (itself as of a day), nothing later is added.

        ``date`` is a :class:`datetime.date` (a datetime counts by its day) or ISO text;
        anything else raises :class:`~weaponsref.errors.ArgumentError` (a TypeError), and text
        that is not a date :class:`~weaponsref.errors.ArgumentValueError` (a ValueError).

        >>> import weaponsref as wr
        >>> then = wr.default_catalogue().as_of("2023-06-01")
        >>> "Kalibr" in then, "Bober" in then
        (True, False)
        >>> print(then.lookup("Storm Shadow").claim("range").dated_source)
        The Kyiv Independent, 2023-05-28
        >>> wr.reaches("Storm Shadow", "Kyiv", "Odesa", catalogue=then).claim.source.published
        datetime.date(2023, 5, 28)
        >>> wr.default_catalogue().as_of("2023-01-01").lookup("Bober")
        Traceback (most recent call last):
        ...
        weaponsref.errors.NotYetPublishedError: Bober has no range claim dated on or before 2023-01-01; its first is public from 2023-07-30: ask as of that day or later
        """
        day = day_argument(date, "as_of")
        if self.date is not None:
            day = min(day, self.date)
        whole = self._whole
        systems: list[System] = []
        later: dict[str, tuple[str, _dt.date | None]] = {}
        for system in whole.systems():
            public = [c for c in system.claims if _public(c.source, day)]
            if not any(c.figure == "range" for c in public):
                first = _first_public(system)
                for name in (system.id, system.name, *system.aliases):
                    later[fold(name)] = (system.name, first)
                continue
            events = tuple(e for e in system.events if _public(e.source, day))
            changes: dict[str, Any] = {"claims": remark_preferred(public), "events": events}
            systems.append(attrs.evolve(system, **changes))
        kept = {s.id for s in systems}
        systems = [
            attrs.evolve(s, launches=tuple(m for m in s.launches if m in kept))
            if any(m not in kept for m in s.launches)
            else s
            for s in systems
        ]
        sources = tuple(s for s in whole.sources() if _public(s, day))
        label = f"{whole._label} as of {day.isoformat()}"
        contents = _Contents(
            tuple(systems), sources, _index(systems, label), whole.outlets(), later
        )
        catalogue = Catalogue(lambda: contents, label)
        catalogue._contents = contents
        catalogue.date = day
        catalogue._whole = whole
        return catalogue

    def claims_frame(self) -> Any:
        """Every claim as a pandas DataFrame, one row per claim, with the columns of
        :data:`CLAIM_COLUMNS` (the claims table of the export): the system's id and name, the
        figure, the value and unit as the source gave them and in SI, the qualifier, the
        source's id with its outlet, kind, date and address, the phrase, the variant, a band's
        lower end, whether it is preferred, and the note. Needs pandas (``pip install
        'weaponsref[frames]'``), else raises :class:`~weaponsref.errors.MissingExtraError`.

        >>> import weaponsref as wr
        >>> frame = wr.claims_frame()
        >>> list(frame.columns[:6])
        ['system', 'system_name', 'figure', 'value', 'unit', 'value_si']
        >>> bool((frame["figure"] == "range").sum() > 100)
        True
        """
        try:
            import pandas
        except ImportError:
            raise MissingExtraError(
                "claims_frame needs pandas: pip install 'weaponsref[frames]'"
            ) from None
        return pandas.DataFrame(claim_records(self.systems()), columns=list(CLAIM_COLUMNS))

    def search(self, query: str, limit: int = 5) -> tuple[System, ...]:
        """Systems ranked by how well a name or alias matches ``query``: exact match, then a
        name starting with it, then containing it, then fuzzy. Deterministic.

        A ``query`` that is not a str finds nothing. ``limit`` must be a whole number, at
        least 0: else :class:`~weaponsref.errors.ArgumentError` (not an int) or
        :class:`~weaponsref.errors.ArgumentValueError` (negative).

        >>> import weaponsref as wr
        >>> [s.name for s in wr.search("storm")]
        ['Storm Shadow']
        """
        if not isinstance(limit, int) or isinstance(limit, bool):
            raise ArgumentError(f"limit must be an int (got {shorten(repr(limit))})")
        if limit < 0:
            raise ArgumentValueError(f"limit must be 0 or more (got {limit})")
        target = fold(query) if isinstance(query, str) else ""
        if not target:
            return ()
        scores: dict[str, tuple[float, int]] = {}
        order = {s.id: i for i, s in enumerate(self._data.systems)}
        systems = {s.id: s for s in self._data.systems}
        fuzzy = set(suggest(query, [n for n, _ in self._names()], limit=50, cutoff=0.5))
        for name, system in self._names():
            key = fold(name)
            if key == target:
                score = 4.0
            elif key.startswith(target):
                score = 3.0
            elif target in key:
                score = 2.0
            elif name in fuzzy:
                score = 1.0
            else:
                continue
            best = scores.get(system.id)
            if best is None or score > best[0]:
                scores[system.id] = (score, order[system.id])
        ranked = sorted(scores, key=lambda i: (-scores[i][0], scores[i][1]))
        return tuple(systems[i] for i in ranked[:limit])

    def __iter__(self) -> Iterator[System]:
        return iter(self._data.systems)

    def __len__(self) -> int:
        return len(self._data.systems)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str | System) and self.get(name) is not None  # type: ignore[arg-type]

    def __repr__(self) -> str:
        if self._contents is None:
            return f"<Catalogue {self._label} (not loaded yet)>"
        return f"<Catalogue {self._label}: {len(self)} systems, {len(self.sources())} sources>"

    def _repr_html_(self) -> str:
        rows = []
        for system in self.systems():
            claim = system.claim("range")
            rows.append(
                (
                    system.name,
                    system.category,
                    system.origin,
                    claim.describe(),
                    claim.value_text("km"),
                    claim.dated_source,
                )
            )
        return _html.catalogue_html(rows)


def _read_package_file(name: str) -> str:
    return (resources.files("weaponsref") / "data" / name).read_text(encoding="utf-8")


def _read_data_version() -> tuple[str, _dt.date]:
    data = tomllib.loads(_read_package_file("version.toml"))
    return str(data["version"]), data["date"]


#: The catalogue data's own version and date (``weaponsref/data/version.toml``), separate from
#: the code's ``weaponsref.__version__``; ``weaponsref/data/CHANGELOG.md`` says what changed.
DATA_VERSION, DATA_DATE = _read_data_version()


def _read_parsed() -> str | None:
    """The text of the built-in files parsed, or None where the package lacks it."""
    try:
        return _read_package_file(PARSED)
    except OSError:
        return None


def _load_builtin() -> _Contents:
    """The built-in catalogue: the sources of ``sources.toml``, then the systems of
    ``systems.toml`` (and any sources it adds), each read from its parsed copy where that
    is current."""
    texts = {name: _read_package_file(name) for name in BUILTIN}
    parsed = parsed_documents(texts, _read_parsed())
    outlets: list[Outlet] = []
    sources: list[Source] = []
    systems: list[System] = []
    for name in BUILTIN:
        path = f"weaponsref/data/{name}"
        found = parse_document(
            path,
            texts[name],
            {s.id: s for s in sources},
            parsed.get(name),
            {o.id: o for o in outlets},
        )
        for what, records in (("outlets", found.outlets), ("systems", found.systems)):
            if records and name != f"{what}.toml":
                raise CatalogueError(path, what, f"belongs in {what}.toml")
        outlets += found.outlets
        sources += found.sources
        systems += found.systems
    return _Contents(tuple(systems), tuple(sources), _index(systems, path), tuple(outlets))


_DEFAULT = Catalogue(_load_builtin, "built-in")


def default_catalogue() -> Catalogue:
    """The built-in catalogue, which the module-level functions use unless
    :func:`use_catalogue` chose another."""
    return _DEFAULT


_CURRENT: Final = Current(
    "weaponsref_catalogue",
    _DEFAULT,
    Catalogue,
    lambda path: load_catalogue(path),
    "catalogue must be a Catalogue, the path of a TOML catalogue file or None",
)


def current_catalogue() -> Catalogue:
    """The catalogue the module-level functions use now: the built-in one, or the one
    :func:`use_catalogue` chose (in this thread or task)."""
    return _CURRENT.get()


class use_catalogue(Use[Catalogue]):
    """Make ``catalogue`` (a :class:`Catalogue`, or the path of a TOML file to load with
    :func:`load_catalogue`) the one every module-level function uses.

    Called plainly, the choice lasts until the next call; used in a ``with`` block, the
    previous catalogue comes back when the block ends. The choice is per thread and per
    asyncio task (a :mod:`contextvars` variable). ``use_catalogue(None)`` goes back to the
    built-in catalogue. Anything else raises :class:`~weaponsref.errors.ArgumentError` (a
    TypeError); a path raises what :func:`load_catalogue` raises.

    >>> import weaponsref as wr, tempfile, pathlib
    >>> text = '''
    ... [[systems]]
    ... id = "example"
    ... name = "Example"
    ... category = "teaching example"
    ... origin = "Nowhere"
    ... description = "A made-up system for a class."
    ... [[systems.claims]]
    ... figure = "range"
    ... value = "100 km"
    ... qualifier = "up to"
    ... source = "dailymail-2023-08-01"
    ... quote = "made up for the example"
    ... '''
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = pathlib.Path(folder, "mine.toml")
    ...     _ = path.write_text(text)
    ...     with wr.use_catalogue(path):
    ...         print(wr.lookup("example").range)
    100 kilometer
    >>> wr.get("example") is None
    True
    """

    def __init__(self, catalogue: Catalogue | str | os.PathLike[str] | None) -> None:
        super().__init__(_CURRENT, catalogue)

    @property
    def catalogue(self) -> Catalogue:
        """The catalogue chosen."""
        return self.chosen


def systems() -> tuple[System, ...]:
    """Every system of the current catalogue, in its order (the built-in ones first).

    >>> import weaponsref as wr
    >>> wr.systems()[0].name
    'Bober'
    """
    return _CURRENT.get().systems()


def sources() -> tuple[Source, ...]:
    """Every source of the current catalogue's bibliography.

    >>> import weaponsref as wr
    >>> wr.sources()[0].id
    'dailymail-2023-08-01'
    """
    return _CURRENT.get().sources()


def get(name: str, default: Any = None) -> Any:
    """The system called ``name`` in the current catalogue, or ``default``; see
    :meth:`Catalogue.get`.

    >>> import weaponsref as wr
    >>> wr.get("nope") is None
    True
    """
    return _CURRENT.get().get(name, default)


def lookup(name: str | System) -> System:
    """The system called ``name`` in the current catalogue; see :meth:`Catalogue.lookup`.

    >>> import weaponsref as wr
    >>> wr.lookup("M142").name
    'HIMARS'
    """
    return _CURRENT.get().lookup(name)


def claims_frame() -> Any:
    """Every claim of the current catalogue as a pandas DataFrame; see
    :meth:`Catalogue.claims_frame`.

    >>> import weaponsref as wr
    >>> row = wr.claims_frame().iloc[0]
    >>> print(row.system_name, row.value, row.unit, row.qualifier, round(row.value_si, 3))
    Bober 621.0 mile up to 999402.624
    """
    return _CURRENT.get().claims_frame()


def search(query: str, limit: int = 5) -> tuple[System, ...]:
    """Systems of the current catalogue ranked by how well a name matches ``query``; see
    :meth:`Catalogue.search`.

    >>> import weaponsref as wr
    >>> [s.name for s in wr.search("storm")]
    ['Storm Shadow']
    """
    return _CURRENT.get().search(query, limit)


def load_catalogue(path: str | os.PathLike[str], *, builtin: bool = True) -> Catalogue:
    """Read a user's TOML catalogue in the built-in schema.

    The result holds the built-in systems plus the user's (or only the user's with
    ``builtin=False``). The user's claims may cite the built-in sources by id, and the user's
    sources name the built-in outlets (:meth:`Catalogue.outlets`) by id. Any fault of
    the file raises :class:`~weaponsref.errors.CatalogueError` (a ValueError) naming the file,
    the table path such as ``systems[2].claims[0].value`` and the problem; nothing is
    half-loaded. A ``path`` that is not a str or a path raises
    :class:`~weaponsref.errors.ArgumentError` (a TypeError).

    >>> import weaponsref as wr, tempfile, pathlib
    >>> text = '''
    ... [[systems]]
    ... id = "example"
    ... name = "Example"
    ... category = "teaching example"
    ... origin = "Nowhere"
    ... description = "A made-up system for a class."
    ... [[systems.claims]]
    ... figure = "range"
    ... value = "100 km"
    ... qualifier = "up to"
    ... source = "dailymail-2023-08-01"
    ... quote = "made up for the example"
    ... '''
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = pathlib.Path(folder, "mine.toml")
    ...     _ = path.write_text(text)
    ...     mine = wr.load_catalogue(path)
    >>> print(len(mine) - len(wr.systems()), mine.lookup("example").range)
    1 100 kilometer
    """
    raw, shown = read_catalogue_file(path)
    known = {s.id: s for s in _DEFAULT.sources()}
    builtin_outlets = {o.id: o for o in _DEFAULT.outlets()}
    new_outlets, new_sources, systems = parse_document(shown, raw, known, None, builtin_outlets)
    if builtin:
        base_systems, base_sources = _DEFAULT.systems(), _DEFAULT.sources()
    else:
        # Keep the built-in sources that the user's claims cite, and no others.
        cited = {source.id for system in systems for source in system.sources}
        base_systems, base_sources = (), tuple(s for s in known.values() if s.id in cited)
    all_systems = [*base_systems, *systems]
    all_sources = [*base_sources, *new_sources]
    offset = len(base_systems)
    try:
        index = _index(all_systems, shown)
    except CatalogueError as error:
        # Name the user's entry by its position in the user's file.
        location = error.location
        if location.startswith("systems["):
            number = int(location[len("systems[") : location.index("]")]) - offset
            location = f"systems[{number}]" + location[location.index("]") + 1 :]
        raise CatalogueError(shown, location, error.problem) from None
    # The built-in outlets the kept sources name (all of them with the built-in systems).
    named = {name for s in all_sources for name in (s.outlet, s.via) if name is not None}
    kept = [o for o in builtin_outlets.values() if builtin or o.id in named]
    outlets = (*kept, *new_outlets)
    contents = _Contents(tuple(all_systems), tuple(all_sources), index, outlets)
    catalogue = Catalogue(lambda: contents, os.path.basename(shown))
    catalogue._contents = contents
    return catalogue
