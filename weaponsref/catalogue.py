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

import contextvars
import datetime as _dt
import os
import stat
import threading
import tomllib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from importlib import resources
from typing import Any

import attrs

from ._html import catalogue_html
from ._text import fold, shorten, suggest
from .errors import (
    CatalogueError,
    MissingExtraError,
    RecordError,
    UnknownSourceError,
    UnknownSystemError,
    WeaponsrefError,
)
from .records import FIGURES, Claim, Event, Source, System, preference

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

# --------------------------------------------------------------------------- the schema

_STR, _STRS, _BOOL, _DATE, _TABLES = (
    "a string",
    "a list of strings",
    "true or false",
    "a date",
    "tables",
)

_SOURCE_KEYS: dict[str, tuple[str, bool]] = {
    "id": (_STR, True),
    "publisher": (_STR, True),
    "kind": (_STR, True),
    "language": (_STR, True),
    "title": (_STR, False),
    "url": (_STR, False),
    "published": (_DATE, False),
    "copies": (_STR, False),
    "mirror": (_STR, False),
    "note": (_STR, False),
}
_CLAIM_KEYS: dict[str, tuple[str, bool]] = {
    "figure": (_STR, True),
    "value": (_STR, True),
    "qualifier": (_STR, True),
    "source": (_STR, True),
    "quote": (_STR, True),
    "variant": (_STR, False),
    "low": (_STR, False),
    "preferred": (_BOOL, False),
    "note": (_STR, False),
}
_EVENT_KEYS: dict[str, tuple[str, bool]] = {
    "kind": (_STR, True),
    "when": (_STR, True),
    "source": (_STR, True),
    "quote": (_STR, True),
    "place": (_STR, False),
    "operator": (_STR, False),
    "note": (_STR, False),
}
_SYSTEM_KEYS: dict[str, tuple[str, bool]] = {
    "id": (_STR, True),
    "name": (_STR, True),
    "category": (_STR, True),
    "origin": (_STR, True),
    "description": (_STR, True),
    "claims": (_TABLES, True),
    "aliases": (_STRS, False),
    "maker": (_STR, False),
    "events": (_TABLES, False),
    "wikidata": (_STR, False),
    "launches": (_STRS, False),
    "note": (_STR, False),
}
_DOCUMENT_KEYS: dict[str, tuple[str, bool]] = {
    "sources": (_TABLES, False),
    "systems": (_TABLES, False),
}


class _Reader:
    """Checks one TOML document against the schema, naming the table path of any fault."""

    def __init__(self, path: str, known_sources: Mapping[str, Source]) -> None:
        self.path = path
        self.sources: dict[str, Source] = dict(known_sources)
        self.new_sources: list[Source] = []

    def fail(self, location: str, problem: str) -> CatalogueError:
        return CatalogueError(self.path, location, problem)

    def table(
        self, value: object, location: str, schema: dict[str, tuple[str, bool]]
    ) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(location, f"must be a table (got {_shown(value)})")
        for key in value:
            if key == "operators" and schema is _SYSTEM_KEYS:
                raise self.fail(
                    f"{location}.operators".lstrip("."),
                    "operators come from sourced events: add a [[systems.events]] of kind "
                    "'delivered' or 'in service' with operator = \"...\", its source and phrase",
                )
            if key not in schema:
                choices = ", ".join(schema)
                raise self.fail(
                    f"{location}.{key}".lstrip("."), f"unknown key; expected one of {choices}"
                )
        out: dict[str, Any] = {}
        for key, (kind, required) in schema.items():
            where = f"{location}.{key}".lstrip(".")
            if key not in value:
                if required:
                    raise self.fail(where, f"missing; every entry needs {key!r}")
                continue
            item = value[key]
            if kind == _STR and not isinstance(item, str):
                if (
                    key == "when"
                    and isinstance(item, _dt.date)
                    and not isinstance(item, _dt.datetime)
                ):
                    item = item.isoformat()
                else:
                    raise self.fail(where, f"must be {kind} (got {_shown(item)})")
            elif kind == _BOOL and not isinstance(item, bool):
                raise self.fail(where, f"must be {kind} (got {_shown(item)})")
            elif kind == _DATE and (
                not isinstance(item, _dt.date) or isinstance(item, _dt.datetime)
            ):
                raise self.fail(
                    where, f"must be a TOML date such as 2023-08-01 (got {_shown(item)})"
                )
            elif kind == _STRS:
                if not isinstance(item, list) or not all(isinstance(s, str) for s in item):
                    raise self.fail(where, f"must be {kind} (got {_shown(item)})")
                item = tuple(item)
            elif kind == _TABLES and not isinstance(item, list):
                raise self.fail(where, f"must be an array of tables (got {_shown(item)})")
            out[key] = item
        return out

    def build(self, location: str, make: Callable[..., Any], fields: dict[str, Any]) -> Any:
        try:
            return make(**fields)
        except RecordError as error:
            where = f"{location}.{error.field}" if error.field else location
            raise self.fail(where, str(error)) from None
        except WeaponsrefError as error:
            raise self.fail(location, str(error)) from None

    def source(self, value: object, location: str) -> Source:
        if value not in self.sources:
            known = suggest(str(value), self.sources)
            hint = f"; did you mean {known[0]!r}?" if known else "; add it under [[sources]]"
            raise self.fail(
                location, f"cites source {value!r}, which is not in the bibliography{hint}"
            )
        return self.sources[str(value)]

    def read_sources(self, tables: list[Any]) -> None:
        for index, raw in enumerate(tables):
            location = f"sources[{index}]"
            fields = self.table(raw, location, _SOURCE_KEYS)
            source = self.build(location, Source, fields)
            if source.id in self.sources:
                raise self.fail(f"{location}.id", f"source id {source.id!r} is used twice")
            self.sources[source.id] = source
            self.new_sources.append(source)

    def read_systems(self, tables: list[Any]) -> list[System]:
        systems = []
        for index, raw in enumerate(tables):
            location = f"systems[{index}]"
            fields = self.table(raw, location, _SYSTEM_KEYS)
            claims = []
            for number, claim_raw in enumerate(fields["claims"]):
                where = f"{location}.claims[{number}]"
                claim_fields = self.table(claim_raw, where, _CLAIM_KEYS)
                claim_fields["source"] = self.source(claim_fields["source"], f"{where}.source")
                claims.append(self.build(where, Claim, claim_fields))
            events = []
            for number, event_raw in enumerate(fields.get("events", [])):
                where = f"{location}.events[{number}]"
                event_fields = self.table(event_raw, where, _EVENT_KEYS)
                event_fields["source"] = self.source(event_fields["source"], f"{where}.source")
                events.append(self.build(where, Event, event_fields))
            fields["claims"] = _mark_preferred(claims)
            fields["events"] = tuple(events)
            systems.append(self.build(location, System, fields))
        return systems


def _mark_preferred(claims: list[Claim]) -> tuple[Claim, ...]:
    """Mark the preferred claim of every figure and variant by :func:`preference`, where the
    data marks none of that group itself."""
    groups: dict[tuple[str, str | None], list[int]] = {}
    for index, claim in enumerate(claims):
        groups.setdefault((claim.figure, claim.variant), []).append(index)
    marked = list(claims)
    for members in groups.values():
        if any(claims[i].preferred for i in members):
            continue
        group = [claims[i] for i in members]
        best = min(members, key=lambda i: preference(claims[i], group))
        marked[best] = attrs.evolve(claims[best], preferred=True)
    return tuple(marked)


#: The columns of :meth:`Catalogue.claims_frame` and of the exported claims table.
CLAIM_COLUMNS: tuple[str, ...] = (
    "system_id",
    "system",
    "figure",
    "variant",
    "value",
    "unit",
    "low",
    "value_si",
    "si_unit",
    "qualifier",
    "preferred",
    "source_id",
    "publisher",
    "source_kind",
    "published",
    "url",
    "quote",
    "note",
)


def claim_records(systems: Iterable[System]) -> list[dict[str, Any]]:
    """One flat dict per claim, with the keys of :data:`CLAIM_COLUMNS`."""
    si_units = {"[length]": "m", "[length] / [time]": "m/s", "[time]": "s"}
    rows = []
    for system in systems:
        for claim in system.claims:
            mach = str(claim.value.units) == "dimensionless"
            rows.append(
                {
                    "system_id": system.id,
                    "system": system.name,
                    "figure": claim.figure,
                    "variant": claim.variant,
                    "value": claim.value.magnitude,
                    "unit": "Mach" if mach else str(claim.value.units),
                    "low": claim.low.magnitude if claim.low is not None else None,
                    "value_si": None if mach else claim._si,
                    "si_unit": None if mach else si_units[FIGURES[claim.figure]],
                    "qualifier": claim.qualifier,
                    "preferred": claim.preferred,
                    "source_id": claim.source.id,
                    "publisher": claim.source.cited_as,
                    "source_kind": claim.source.kind,
                    "published": claim.source.published,
                    "url": claim.source.url,
                    "quote": claim.quote,
                    "note": claim.note,
                }
            )
    return rows


def _as_date(value: object) -> _dt.date:
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, str) and len(value) <= 10:
        try:
            return _dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise RecordError(
        f"as_of needs a date such as '2023-08-01' or a datetime.date (got {shorten(repr(value))})",
        field="date",
    )


def _public(source: Source, day: _dt.date) -> bool:
    return source.published is not None and source.published <= day


def _remark_preferred(claims: list[Claim]) -> tuple[Claim, ...]:
    """The claims with the preferred flags chosen again by the rule within each group."""
    return _mark_preferred([attrs.evolve(c, preferred=False) if c.preferred else c for c in claims])


def _shown(value: object) -> str:
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{text} that is a {type(value).__name__}"


def _parse(
    path: str, text: str | bytes, known_sources: Mapping[str, Source]
) -> tuple[list[Source], list[System]]:
    """Parse and validate one catalogue document; nothing is returned unless all of it is good."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as error:
            raise CatalogueError(path, "", f"is not UTF-8 text ({error})") from None
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise CatalogueError(path, "", f"is not valid TOML: {error}") from None
    except RecursionError:
        raise CatalogueError(
            path, "", "nests tables or arrays too deeply to be a catalogue"
        ) from None
    reader = _Reader(path, known_sources)
    fields = reader.table(document, "", _DOCUMENT_KEYS)
    reader.read_sources(fields.get("sources", []))
    systems = reader.read_systems(fields.get("systems", []))
    return reader.new_sources, systems


# --------------------------------------------------------------------------- the catalogue


@attrs.frozen
class _Contents:
    systems: tuple[System, ...]
    sources: tuple[Source, ...]
    index: Mapping[str, System]


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

    def source(self, source_id: str) -> Source:
        """The source with this id, or :class:`~weaponsref.errors.UnknownSourceError` (a
        LookupError) naming close ids.

        >>> import weaponsref as wr
        >>> wr.default_catalogue().source("dailymail-2023-08-01").cited_as
        'Daily Mail'
        """
        if not isinstance(source_id, str):
            raise UnknownSourceError(repr(source_id))
        for source in self._data.sources:
            if source.id == source_id:
                return source
        close = suggest(source_id, [s.id for s in self._data.sources])
        raise UnknownSourceError(str(source_id), close[:3])

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
        LookupError) with up to three suggestions.

        >>> import weaponsref as wr
        >>> wr.lookup("M142").name
        'HIMARS'
        """
        if isinstance(name, System):
            return name
        if not isinstance(name, str):
            raise UnknownSystemError(repr(name), ())
        found = self._data.index.get(fold(name))
        if found is not None:
            return found
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
        were published on or before that day, so a fact-checker can ask what was public when
        a statement was made.

        A source with no publication date cannot be shown to have been public, so its claims
        and events are left out. The preferred claims are chosen again among what is left, by
        the same rule. A system with no headline range claim left is left out; a launcher
        keeps only the munitions that are still there.

        >>> import weaponsref as wr
        >>> then = wr.default_catalogue().as_of("2023-06-01")
        >>> "Kalibr" in then, "Bober" in then
        (True, False)
        >>> print(then.lookup("Storm Shadow").claim("range").describe())
        more than 150 mi
        >>> wr.reaches("Storm Shadow", "Kyiv", "Odesa", catalogue=then).claim.source.published
        datetime.date(2023, 5, 11)
        """
        day = _as_date(date)
        systems: list[System] = []
        for system in self.systems():
            public = [c for c in system.claims if _public(c.source, day)]
            if not any(c.figure == "range" and c.variant is None for c in public):
                continue
            events = tuple(e for e in system.events if _public(e.source, day))
            changes: dict[str, Any] = {"claims": _remark_preferred(public), "events": events}
            systems.append(attrs.evolve(system, **changes))
        kept = {s.id for s in systems}
        systems = [
            attrs.evolve(s, launches=tuple(m for m in s.launches if m in kept))
            if any(m not in kept for m in s.launches)
            else s
            for s in systems
        ]
        sources = tuple(s for s in self.sources() if _public(s, day))
        label = f"{self._label} as of {day.isoformat()}"
        contents = _Contents(tuple(systems), sources, _index(systems, label))
        catalogue = Catalogue(lambda: contents, label)
        catalogue._contents = contents
        catalogue.date = day
        return catalogue

    def claims_frame(self) -> Any:
        """Every claim as a pandas DataFrame, one row per claim: system, figure, variant,
        value and unit as the source gave them, the value in SI, qualifier, preferred, source,
        publisher, date, address and phrase. Needs pandas (``pip install
        'weaponsref[frames]'``).

        >>> import weaponsref as wr
        >>> frame = wr.claims_frame()
        >>> list(frame.columns[:6])
        ['system_id', 'system', 'figure', 'variant', 'value', 'unit']
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

        >>> import weaponsref as wr
        >>> [s.name for s in wr.search("storm")]
        ['Storm Shadow']
        """
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
        return catalogue_html(self.systems())


def _read_package_file(name: str) -> str:
    return (resources.files("weaponsref") / "data" / name).read_text(encoding="utf-8")


def _read_data_version() -> tuple[str, _dt.date]:
    data = tomllib.loads(_read_package_file("version.toml"))
    return str(data["version"]), data["date"]


#: The catalogue data's own version and date (``weaponsref/data/version.toml``), separate from
#: the code's ``weaponsref.__version__``; ``weaponsref/data/CHANGELOG.md`` says what changed.
DATA_VERSION, DATA_DATE = _read_data_version()


def _load_builtin() -> _Contents:
    sources: list[Source] = []
    path = "weaponsref/data/sources.toml"
    new_sources, systems = _parse(path, _read_package_file("sources.toml"), {})
    if systems:
        raise CatalogueError(path, "systems", "belongs in systems.toml")
    sources.extend(new_sources)
    path = "weaponsref/data/systems.toml"
    more_sources, systems = _parse(
        path, _read_package_file("systems.toml"), {s.id: s for s in sources}
    )
    sources.extend(more_sources)
    return _Contents(tuple(systems), tuple(sources), _index(systems, path))


_DEFAULT = Catalogue(_load_builtin, "built-in")


def default_catalogue() -> Catalogue:
    """The built-in catalogue, which the module-level functions use unless
    :func:`use_catalogue` chose another."""
    return _DEFAULT


_CURRENT: contextvars.ContextVar[Catalogue] = contextvars.ContextVar(
    "weaponsref_catalogue", default=_DEFAULT
)


def current_catalogue() -> Catalogue:
    """The catalogue the module-level functions use now: the built-in one, or the one
    :func:`use_catalogue` chose (in this thread or task)."""
    return _CURRENT.get()


class use_catalogue:
    """Make ``catalogue`` (a :class:`Catalogue`, or the path of a TOML file to load with
    :func:`load_catalogue`) the one every module-level function uses.

    Called plainly, the choice lasts until the next call; used in a ``with`` block, the
    previous catalogue comes back when the block ends. The choice is per thread and per
    asyncio task (a :mod:`contextvars` variable). ``use_catalogue(None)`` goes back to the
    built-in catalogue.

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
        if catalogue is None:
            chosen = _DEFAULT
        elif isinstance(catalogue, Catalogue):
            chosen = catalogue
        elif isinstance(catalogue, str | os.PathLike):
            chosen = load_catalogue(catalogue)
        else:
            raise CatalogueError(
                repr(catalogue)[:80],
                "",
                "is not a Catalogue or the path of a TOML catalogue file",
            )
        self.catalogue = chosen
        self._token = _CURRENT.set(chosen)

    def __enter__(self) -> Catalogue:
        return self.catalogue

    def __exit__(self, *exc: object) -> None:
        _CURRENT.reset(self._token)


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
    >>> print(row.system, row.value, row.unit, row.qualifier, round(row.value_si, 3))
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


#: The largest catalogue file weaponsref reads: far above any real catalogue, far below what
#: could exhaust memory.
MAX_CATALOGUE_BYTES = 16 * 1024 * 1024


def _read_catalogue_file(path: object) -> tuple[bytes, str]:
    """The bytes of a regular file of at most :data:`MAX_CATALOGUE_BYTES`, and its name as
    shown in errors. Devices, pipes and folders are refused before they are opened, so that
    ``/dev/zero`` or a FIFO cannot hang the loader."""
    if not isinstance(path, str | os.PathLike):
        raise CatalogueError(
            shorten(repr(path)),
            "",
            f"is a {type(path).__name__}, not the path of a TOML file; pass a str or pathlib.Path",
        )
    try:
        shown = os.fspath(path)
        if isinstance(shown, bytes):
            shown = os.fsdecode(shown)
        info = os.stat(shown)
    except (OSError, ValueError) as error:
        problem = getattr(error, "strerror", None) or str(error)
        raise CatalogueError(shorten(repr(path)), "", f"cannot be read ({problem})") from None
    shown = shorten(shown)
    if not stat.S_ISREG(info.st_mode):
        raise CatalogueError(shown, "", "is not a regular file; give the path of a TOML file")
    if info.st_size > MAX_CATALOGUE_BYTES:
        raise CatalogueError(
            shown, "", f"is larger than {MAX_CATALOGUE_BYTES // 2**20} MiB; split it"
        )
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_CATALOGUE_BYTES + 1)
    except OSError as error:
        raise CatalogueError(shown, "", f"cannot be read ({error.strerror or error})") from None
    if len(raw) > MAX_CATALOGUE_BYTES:
        raise CatalogueError(shown, "", f"is larger than {MAX_CATALOGUE_BYTES // 2**20} MiB")
    return raw, shown


def load_catalogue(path: str | os.PathLike[str], *, builtin: bool = True) -> Catalogue:
    """Read a user's TOML catalogue in the built-in schema.

    The result holds the built-in systems plus the user's (or only the user's with
    ``builtin=False``). The user's claims may cite the built-in sources by id. Any fault raises
    :class:`~weaponsref.errors.CatalogueError` (a ValueError) naming the file, the table path
    such as ``systems[2].claims[0].value`` and the problem; nothing is half-loaded.

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
    raw, shown = _read_catalogue_file(path)
    known = {s.id: s for s in _DEFAULT.sources()}
    new_sources, systems = _parse(shown, raw, known)
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
    contents = _Contents(tuple(all_systems), tuple(all_sources), index)
    catalogue = Catalogue(lambda: contents, os.path.basename(shown))
    catalogue._contents = contents
    return catalogue
