"""Reading a catalogue file: TOML, checked key by key against the records' declared fields.

The keys a table may hold, which of them it must, and what each must be come from the
records' one declaration (:mod:`weaponsref._fields`); a record's own validation then checks
the values. Every fault is a :class:`~weaponsref.errors.CatalogueError` naming the file, the
table path (``systems[2].claims[0].value``) and the problem, and nothing of a bad file is
returned.

The built-in files are also shipped parsed, as JSON (:data:`PARSED`), because Python's TOML
parser takes about as long over them as building every record does. The parsed copy is used
only for a file whose text has the checksum it was made from, so an edited file is parsed
again; a test checks that the copy is current.
"""

from __future__ import annotations

import datetime as _dt
import functools
import json
import os
import stat
import tomllib
import zlib
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final, NamedTuple

import attrs

from weaponsref._fields import (
    BOOL,
    DATE,
    LISTS,
    TABLES,
    WHEN,
    Column,
    PartialDate,
    columns,
    read_columns,
)
from weaponsref._text import shorten, shown_path, suggest
from weaponsref.errors import ArgumentError, CatalogueError, RecordError, WeaponsrefError
from weaponsref.records import Claim, Event, Outlet, Source, System, preference

__all__ = [
    "BUILTIN",
    "DOCUMENT",
    "MAX_CATALOGUE_BYTES",
    "PARSED",
    "Parsed",
    "mark_preferred",
    "parse",
    "parse_document",
    "parsed_documents",
    "parsed_text",
    "read_catalogue_file",
    "remark_preferred",
]

#: The built-in catalogue's files in ``weaponsref/data``, in the order they load.
BUILTIN: Final = ("outlets.toml", "sources.toml", "systems.toml")
#: The file beside them that holds them parsed.
PARSED: Final = "catalogue.parsed.json"

#: The largest catalogue file weaponsref reads: far above any real catalogue, far below what
#: could exhaust memory.
MAX_CATALOGUE_BYTES: Final = 16 * 1024 * 1024

#: The top of a catalogue file: its arrays of tables.
DOCUMENT: Final[tuple[Column, ...]] = (
    Column(
        "outlets",
        TABLES,
        "the publishers: one [[outlets]] table an outlet, which sources name by id",
        table=Outlet,
    ),
    Column("sources", TABLES, "the bibliography: one [[sources]] table a source", table=Source),
    Column("systems", TABLES, "the systems: one [[systems]] table a system", table=System),
)


def _shown(value: object) -> str:
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{text} that is a {type(value).__name__}"


def _is_day(item: object) -> bool:
    return isinstance(item, _dt.date) and not isinstance(item, _dt.datetime)


def _has_kind(column: Column, item: object) -> bool:
    """Whether a TOML value is of the kind the column reads."""
    kind = column.kind
    if kind is BOOL:
        return isinstance(item, bool)
    if kind is DATE:  # a day, or a month or a year as text
        return _is_day(item) or (isinstance(item, str) and PartialDate.parse(item) is not None)
    if kind in LISTS:
        return isinstance(item, list) and all(isinstance(s, str) for s in item)
    if kind is TABLES:
        return isinstance(item, list)
    return isinstance(item, str)


def _read(column: Column, item: Any) -> tuple[bool, Any]:
    """Whether a TOML value is of the kind ``column`` reads, and the value as it reads it: a
    TOML date as the day's text where a date may be a month or a year, a list as a tuple
    (on a fault, the value as it was checked)."""
    if column.kind is WHEN and _is_day(item):
        item = item.isoformat()  # a TOML date is a day
    if not _has_kind(column, item):
        return False, item
    return True, tuple(item) if column.kind in LISTS else item


@functools.cache
def _keys(record: type | None) -> tuple[dict[str, Column], dict[str, str], frozenset[str]]:
    """The keys a table of ``record`` (None: the document) reads, by name; what the reader
    says of a key that names a column the record works out; and the keys it requires."""
    keys = DOCUMENT if record is None else read_columns(record)
    hints = {} if record is None else {c.name: c.hint for c in columns(record) if c.hint}
    required = frozenset(column.name for column in keys if column.required)
    return {column.name: column for column in keys}, hints, required


@functools.cache
def _plain_text(record: type | None) -> frozenset[str]:
    """The keys of a table of ``record`` that :func:`_read` takes as they are when they are
    text: those of no kind that :func:`_has_kind` reads otherwise."""
    special = (BOOL, DATE, WHEN, TABLES, *LISTS)
    return frozenset(c.name for c in _keys(record)[0].values() if c.kind not in special)


class _Reader:
    """Checks one TOML document against the schema, naming the table path of any fault."""

    def __init__(
        self, path: str, known_sources: Mapping[str, Source], known_outlets: Mapping[str, Outlet]
    ) -> None:
        self.path = path
        self.sources: dict[str, Source] = dict(known_sources)
        self.new_sources: list[Source] = []
        self.outlets: dict[str, Outlet] = dict(known_outlets)
        self.new_outlets: list[Outlet] = []

    def fail(self, location: str, problem: str) -> CatalogueError:
        return CatalogueError(self.path, location, problem)

    def table(self, value: object, location: str, record: type | None) -> dict[str, Any]:
        """The keys of one TOML table of ``record`` (None: the document), each checked for
        its kind. A key the record does not read is refused, naming the keys it does, or
        where what it names comes from (a system's operators)."""
        if not isinstance(value, dict):
            raise self.fail(location, f"must be a table (got {_shown(value)})")
        by_name, _, required = _keys(record)
        plain = _plain_text(record)
        out: dict[str, Any] = {}
        for name, item in value.items():
            if name in plain and isinstance(item, str):  # most keys: text read as it is
                out[name] = item
                continue
            column = by_name.get(name)
            if column is None:
                break
            ok, out[name] = _read(column, item)
            if not ok:
                break
        else:
            if required <= out.keys():
                return out
        raise self._fault(value, location, record)

    def _fault(self, value: dict[str, Any], location: str, record: type | None) -> CatalogueError:
        """The error for a table that :meth:`table` refused: an unknown key first, then the
        first column in declared order that is missing or of the wrong kind."""
        by_name, hints, _ = _keys(record)
        for key in value:
            if key not in by_name:
                where = f"{location}.{key}".lstrip(".")
                known = f"unknown key; expected one of {', '.join(by_name)}"
                return self.fail(where, hints.get(key, known))
        for name, column in by_name.items():
            where = f"{location}.{name}".lstrip(".")
            if name not in value:
                if column.required:
                    return self.fail(where, f"missing; every entry needs {name!r}")
                continue
            ok, item = _read(column, value[name])
            if not ok:
                return self.fail(where, f"must be {column.kind.toml} (got {_shown(item)})")
        raise AssertionError(f"{location}: refused, yet no fault found")  # pragma: no cover

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
                location, f"cites source {value!r:.60}, which is not in the bibliography{hint}"
            )
        return self.sources[str(value)]

    def outlet(self, value: object, location: str) -> Outlet:
        if value not in self.outlets:
            known = suggest(str(value), self.outlets)
            hint = f"; did you mean {known[0]!r}?" if known else "; add it under [[outlets]]"
            raise self.fail(location, f"names outlet {value!r:.60}, which is not listed{hint}")
        return self.outlets[str(value)]

    def read_outlets(self, tables: list[Any]) -> None:
        for index, raw in enumerate(tables):
            location = f"outlets[{index}]"
            outlet = self.build(location, Outlet, self.table(raw, location, Outlet))
            if outlet.id in self.outlets:
                raise self.fail(f"{location}.id", f"outlet id {outlet.id!r} is used twice")
            self.outlets[outlet.id] = outlet
            self.new_outlets.append(outlet)

    def read_source(self, raw: object, location: str) -> Source:
        """One source: its publisher and kind given, or its outlet (and via) named."""
        fields = self.table(raw, location, Source)
        if "outlet" not in fields:
            for key in ("publisher", "kind"):
                if key not in fields:
                    raise self.fail(
                        f"{location}.{key}",
                        f"missing; a source needs {key!r}, or an 'outlet' among the [[outlets]]",
                    )
            plain: Source = self.build(location, Source, fields)
            return plain
        for key in ("publisher", "kind", "copies"):
            if key in fields:
                raise self.fail(
                    f"{location}.{key}",
                    f"comes from the outlet {fields['outlet']!r:.60}; leave {key!r} out",
                )
        outlet = self.outlet(fields.pop("outlet"), f"{location}.outlet")
        via = fields.pop("via", None)
        mirror = None if via is None else self.outlet(via, f"{location}.via")
        source: Source = self.build(
            location, lambda **given: Source.of_outlet(outlet, mirror, **given), fields
        )
        return source

    def read_sources(self, tables: list[Any]) -> None:
        for index, raw in enumerate(tables):
            location = f"sources[{index}]"
            source = self.read_source(raw, location)
            if source.id in self.sources:
                raise self.fail(f"{location}.id", f"source id {source.id!r} is used twice")
            self.sources[source.id] = source
            self.new_sources.append(source)

    def records(self, tables: list[Any], location: str, make: type) -> list[Any]:
        """The claims or events of one system, each citing a known source."""
        made = []
        for number, raw in enumerate(tables):
            where = f"{location}[{number}]"
            fields = self.table(raw, where, make)
            fields["source"] = self.source(fields["source"], f"{where}.source")
            made.append(self.build(where, make, fields))
        return made

    def read_systems(self, tables: list[Any]) -> list[System]:
        systems = []
        for index, raw in enumerate(tables):
            location = f"systems[{index}]"
            fields = self.table(raw, location, System)
            claims = self.records(fields["claims"], f"{location}.claims", Claim)
            if not any(c.figure == "range" and c.variant is None for c in claims):
                raise self.fail(
                    f"{location}.claims", "needs a range claim with no variant, its headline range"
                )
            events = self.records(fields.get("events", []), f"{location}.events", Event)
            fields["claims"] = mark_preferred(claims)
            fields["events"] = tuple(events)
            systems.append(self.build(location, System, fields))
        return systems


def mark_preferred(claims: Sequence[Claim]) -> tuple[Claim, ...]:
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


def remark_preferred(claims: Sequence[Claim]) -> tuple[Claim, ...]:
    """The claims with the preferred flags chosen again by the rule within each group."""
    return mark_preferred([attrs.evolve(c, preferred=False) if c.preferred else c for c in claims])


def _checksum(text: str) -> str:
    data = text.encode("utf-8")
    return f"{zlib.crc32(data):08x}-{len(data)}"


def _date_to_json(value: object) -> dict[str, str]:
    if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
        return {"$date": value.isoformat()}
    raise TypeError(f"{value!r} has no JSON form in the parsed catalogue")


def _date_from_json(table: dict[str, Any]) -> Any:
    if len(table) == 1 and "$date" in table:
        return _dt.date.fromisoformat(table["$date"])
    return table


def parsed_text(texts: Mapping[str, str]) -> str:
    """The text of :data:`PARSED` for the files' ``texts`` (by name): each file's checksum
    and its TOML document as JSON, a TOML date as ``{"$date": "2023-08-01"}``."""
    files = {
        name: {"checksum": _checksum(text), "document": tomllib.loads(text)}
        for name, text in texts.items()
    }
    about = "The built-in TOML files parsed; generated by python -m weaponsref._schema --write"
    document = {"about": about, "files": files}
    return json.dumps(document, default=_date_to_json, ensure_ascii=False, indent=0) + "\n"


def parsed_documents(texts: Mapping[str, str], parsed: str | None) -> dict[str, Any]:
    """The parsed TOML documents that ``parsed`` (the text of :data:`PARSED`, or None) holds
    for the files' ``texts``, by name: only those whose checksum matches their text."""
    if parsed is None:
        return {}
    try:
        files = json.loads(parsed, object_hook=_date_from_json).get("files", {})
    except (ValueError, AttributeError):
        return {}
    found = {}
    for name, text in texts.items():
        entry = files.get(name) if isinstance(files, dict) else None
        if isinstance(entry, dict) and entry.get("checksum") == _checksum(text):
            found[name] = entry.get("document")
    return found


class Parsed(NamedTuple):
    """What one catalogue file adds: its outlets, its sources and its systems."""

    outlets: list[Outlet]
    sources: list[Source]
    systems: list[System]


def parse_document(
    path: str,
    text: str | bytes,
    known_sources: Mapping[str, Source],
    document: Any = None,
    known_outlets: Mapping[str, Outlet] | None = None,
) -> Parsed:
    """Parse and validate one catalogue document (the file ``path`` names); return its new
    outlets, sources and systems. Its sources may name ``known_outlets`` too, and its claims
    cite ``known_sources``. ``document`` is the text already parsed, if it is at hand (see
    :func:`parsed_documents`). Nothing is returned unless all of it is good: any fault
    raises :class:`~weaponsref.errors.CatalogueError`."""
    if document is None:
        document = _toml(path, text)
    reader = _Reader(path, known_sources, known_outlets or {})
    fields = reader.table(document, "", None)
    reader.read_outlets(fields.get("outlets", []))
    reader.read_sources(fields.get("sources", []))
    systems = reader.read_systems(fields.get("systems", []))
    return Parsed(reader.new_outlets, reader.new_sources, systems)


def parse(
    path: str,
    text: str | bytes,
    known_sources: Mapping[str, Source],
    document: Any = None,
    known_outlets: Mapping[str, Outlet] | None = None,
) -> tuple[list[Source], list[System]]:
    """The new sources and the systems of one catalogue document: :func:`parse_document`
    without the outlets."""
    parsed = parse_document(path, text, known_sources, document, known_outlets)
    return parsed.sources, parsed.systems


def _toml(path: str, text: str | bytes) -> dict[str, Any]:
    """The TOML document of a file's text, or a CatalogueError saying why it is not one."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as error:
            raise CatalogueError(path, "", f"is not UTF-8 text ({error})") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise CatalogueError(path, "", f"is not valid TOML: {error}") from None
    except RecursionError:
        raise CatalogueError(
            path, "", "nests tables or arrays too deeply to be a catalogue"
        ) from None


def read_catalogue_file(path: object) -> tuple[bytes, str]:
    """The bytes of a regular file of at most :data:`MAX_CATALOGUE_BYTES`, and its name as
    shown in errors. Devices, pipes and folders are refused before they are opened, so that
    ``/dev/zero`` or a FIFO cannot hang the loader.

    Raises :class:`~weaponsref.errors.ArgumentError` when ``path`` is not a str or a path,
    and :class:`~weaponsref.errors.CatalogueError` for a file that cannot be read.
    """
    if not isinstance(path, str | os.PathLike):
        raise ArgumentError(
            f"path must be a str or pathlib.Path naming a TOML file (got {shorten(repr(path))} "
            f"that is a {type(path).__name__})"
        )
    try:
        shown = os.fspath(path)
        if isinstance(shown, bytes):
            shown = os.fsdecode(shown)
        info = os.stat(shown)
    except (OSError, ValueError) as error:
        problem = getattr(error, "strerror", None) or str(error)
        raise CatalogueError(shown_path(repr(path)), "", f"cannot be read ({problem})") from None
    shown = shown_path(shown)
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
