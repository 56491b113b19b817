"""The catalogue as open data: CSV tables with a Frictionless Data Package, and JSON.

:func:`export_catalogue` writes four tables (``systems.csv``, ``claims.csv``, ``events.csv``,
``sources.csv``), a ``datapackage.json`` that describes them (field types, primary and
foreign keys, licences, the data's version), and ``catalogue.json`` with the same records as
nested JSON. The package passes ``frictionless validate``. Every file is written to a
temporary name and renamed only when complete.

>>> import tempfile, json, pathlib
>>> from weaponsref.export import export_catalogue
>>> with tempfile.TemporaryDirectory() as folder:
...     written = export_catalogue(folder)
...     package = json.loads(pathlib.Path(folder, "datapackage.json").read_text())
>>> sorted(path.name for path in written)
['catalogue.json', 'claims.csv', 'datapackage.json', 'events.csv', 'sources.csv', 'systems.csv']
>>> [resource["name"] for resource in package["resources"]]
['systems', 'claims', 'events', 'sources']
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._files import write_atomically
from .catalogue import CLAIM_COLUMNS, DATA_DATE, DATA_VERSION, claim_records, current_catalogue
from .errors import FormatError

if TYPE_CHECKING:
    from .catalogue import Catalogue
    from .records import Source, System

__all__ = ["export_catalogue", "ring_kml"]

_STRING, _NUMBER, _BOOLEAN, _DATE = "string", "number", "boolean", "date"

#: Each table's fields: (name, Frictionless type, description).
_SYSTEM_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("id", _STRING, "the system's id in weaponsref"),
    ("name", _STRING, "the name reporting uses most"),
    ("aliases", _STRING, "other names, separated by '|'"),
    ("category", _STRING, "what kind of system it is"),
    ("maker", _STRING, "who makes it, where a source says"),
    ("origin", _STRING, "country of origin"),
    ("operators", _STRING, "operators from sourced events, separated by '|'"),
    ("launches", _STRING, "ids of the munitions a launcher fires, separated by '|'"),
    ("wikidata", _STRING, "Wikidata item id, where one was seen with its label"),
    ("range", _STRING, "the preferred range claim as published, e.g. 'up to 621 mi'"),
    ("range_m", _NUMBER, "the preferred range in metres (a band's upper end)"),
    ("range_source_id", _STRING, "the source of the preferred range claim"),
    ("description", _STRING, "a short description"),
    ("note", _STRING, "caveats about the record"),
)
_CLAIM_TYPES: dict[str, str] = {
    "value": _NUMBER,
    "low": _NUMBER,
    "value_si": _NUMBER,
    "preferred": _BOOLEAN,
    "published": _DATE,
}
_EVENT_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("system_id", _STRING, "the system's id"),
    ("kind", _STRING, "first reported use, reported use, first combat use, delivered, ..."),
    ("when", _STRING, "the date as precise as the source gives it: YYYY, YYYY-MM or YYYY-MM-DD"),
    ("summary", _STRING, "what happened, in words"),
    ("operator", _STRING, "who received or operates it, for delivered and in service"),
    ("place", _STRING, "where, if the source says"),
    ("source_id", _STRING, "the source's id"),
    ("quote", _STRING, "the exact phrase from the source"),
    ("note", _STRING, "caveats"),
)
_SOURCE_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("id", _STRING, "the source's id"),
    ("publisher", _STRING, "who published the page that was read"),
    ("cited_as", _STRING, "the outlet to cite (the original outlet for a mirror)"),
    ("kind", _STRING, "official, reference, news, trade press, aggregator, mirror, state media"),
    ("language", _STRING, "ISO 639-1 language of the page"),
    ("title", _STRING, "the title as the page shows it"),
    ("published", _DATE, "the publication date as the page shows it"),
    ("url", _STRING, "the page's address"),
    ("copies", _STRING, "for a mirror, the outlet it copies"),
    ("mirror", _STRING, "the address of a copy that was read where the original's was not found"),
    ("note", _STRING, "why a field is missing, and other caveats"),
    ("citation", _STRING, "the source as a citation"),
)
_CLAIM_DESCRIPTIONS: dict[str, str] = {
    "system_id": "the system's id",
    "system": "the system's name",
    "figure": "range, radius_of_action, cruise_altitude, ceiling, speed or endurance",
    "variant": "the version or munition the figure belongs to, if any",
    "value": "the figure in the source's own unit (a band's upper end)",
    "unit": "the source's unit (pint's name), or Mach",
    "low": "a band's lower end, in the same unit",
    "value_si": "the figure in SI base units (empty for a Mach number)",
    "si_unit": "the SI unit of value_si",
    "qualifier": "how the source hedged it: up to, about, more than, at least, ...",
    "preferred": "whether the preference rule chose this claim for its figure and variant",
    "source_id": "the source's id",
    "publisher": "the outlet to cite",
    "source_kind": "the kind of source",
    "published": "the source's publication date",
    "url": "the source's address",
    "quote": "the exact phrase from the source",
    "note": "caveats",
}


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


def _csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return buffer.getvalue()


def _system_row(system: System) -> list[object]:
    claim = system.claim("range")
    return [
        system.id,
        system.name,
        "|".join(system.aliases),
        system.category,
        system.maker,
        system.origin,
        "|".join(system.operators),
        "|".join(system.launches),
        system.wikidata,
        claim.describe(),
        claim.metres,
        claim.source.id,
        system.description,
        system.note,
    ]


def _source_row(source: Source) -> list[object]:
    data = source.to_dict()
    return [data[name] for name, _, _ in _SOURCE_FIELDS]


def _schema(
    fields: Iterable[tuple[str, str, str]],
    primary: Sequence[str] | None,
    foreign: Sequence[tuple[str, str, str]] = (),
) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "fields": [
            {"name": name, "type": kind, "description": about} for name, kind, about in fields
        ],
        "missingValues": [""],
    }
    if primary:
        schema["primaryKey"] = list(primary)
    if foreign:
        schema["foreignKeys"] = [
            {"fields": field, "reference": {"resource": resource, "fields": key}}
            for field, resource, key in foreign
        ]
    return schema


def export_catalogue(
    directory: str | os.PathLike[str], *, catalogue: Catalogue | None = None
) -> list[Path]:
    """Write the catalogue (default: the current one) to ``directory`` as CSV tables with a
    Frictionless ``datapackage.json``, and as ``catalogue.json``; return the files written.

    The folder is made if it does not exist. Existing files of the same names are replaced,
    each only once its new content is complete. Raises
    :class:`~weaponsref.errors.FormatError` (a ValueError) when ``directory`` is a file, and
    OSError when the folder cannot be written.
    """
    owner = catalogue if catalogue is not None else current_catalogue()
    folder = Path(os.fspath(directory))
    if folder.exists() and not folder.is_dir():
        raise FormatError(f"{str(folder)[:80]!r} is a file; give a folder to export into")
    folder.mkdir(parents=True, exist_ok=True)
    systems = owner.systems()
    sources = owner.sources()
    claims = claim_records(systems)
    events = [
        {"system_id": system.id, **event.to_dict(), "source_id": event.source.id}
        for system in systems
        for event in system.events
    ]
    tables = {
        "systems.csv": _csv(
            [name for name, _, _ in _SYSTEM_FIELDS], [_system_row(s) for s in systems]
        ),
        "claims.csv": _csv(CLAIM_COLUMNS, [[row[c] for c in CLAIM_COLUMNS] for row in claims]),
        "events.csv": _csv(
            [name for name, _, _ in _EVENT_FIELDS],
            [[event[name] for name, _, _ in _EVENT_FIELDS] for event in events],
        ),
        "sources.csv": _csv(
            [name for name, _, _ in _SOURCE_FIELDS], [_source_row(s) for s in sources]
        ),
    }
    claim_fields = [
        (name, _CLAIM_TYPES.get(name, _STRING), _CLAIM_DESCRIPTIONS[name]) for name in CLAIM_COLUMNS
    ]
    package = {
        "name": "weaponsref-catalogue",
        "title": "weaponsref: weapon systems' published figures and their sources",
        "version": DATA_VERSION,
        "created": f"{DATA_DATE.isoformat()}T00:00:00Z",
        "description": (
            "Published range, altitude, speed, maker, origin, operators and dates of weapon "
            "systems as public reporting describes them, each figure with its source, the "
            "exact phrase it came from and its qualifier. Exported by the Python package "
            "weaponsref."
        ),
        "licenses": [
            {
                "name": "MIT",
                "path": "https://opensource.org/licenses/MIT",
                "title": "MIT License (the compiled catalogue; quoted phrases remain their "
                "publishers' words, quoted for citation)",
            }
        ],
        "resources": [
            {
                "name": "systems",
                "path": "systems.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": _schema(_SYSTEM_FIELDS, ["id"], [("range_source_id", "sources", "id")]),
            },
            {
                "name": "claims",
                "path": "claims.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": _schema(
                    claim_fields,
                    None,
                    [("system_id", "systems", "id"), ("source_id", "sources", "id")],
                ),
            },
            {
                "name": "events",
                "path": "events.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": _schema(
                    _EVENT_FIELDS,
                    None,
                    [("system_id", "systems", "id"), ("source_id", "sources", "id")],
                ),
            },
            {
                "name": "sources",
                "path": "sources.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": _schema(_SOURCE_FIELDS, ["id"]),
            },
        ],
    }
    document = {
        "data_version": DATA_VERSION,
        "data_date": DATA_DATE.isoformat(),
        "systems": [system.to_dict() for system in systems],
        "sources": [source.to_dict() for source in sources],
    }
    written = []
    for name, text in (
        *tables.items(),
        ("datapackage.json", json.dumps(package, ensure_ascii=False, indent=2) + "\n"),
        ("catalogue.json", json.dumps(document, ensure_ascii=False, indent=1) + "\n"),
    ):
        path = folder / name
        write_atomically(path, text.encode("utf-8"))
        written.append(path)
    return written


def ring_kml(feature: dict[str, Any]) -> str:
    """A range ring (a GeoJSON Feature from :func:`weaponsref.range_ring`) as a KML 2.2
    document, for Google Earth and other GIS tools: the (Multi)Polygon with its holes, named
    after the system and claim, with the source and the earth model in its description.

    >>> import weaponsref as wr
    >>> kml = ring_kml(wr.range_ring("Bober", "Kyiv"))
    >>> kml.startswith('<?xml version="1.0" encoding="UTF-8"?>'), "<Polygon>" in kml
    (True, True)
    """
    import xml.etree.ElementTree as ET

    geometry = feature.get("geometry") if isinstance(feature, dict) else None
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        raise FormatError(
            "ring_kml needs a GeoJSON Feature with a Polygon or MultiPolygon geometry, "
            "as weaponsref.range_ring returns"
        )
    properties = feature.get("properties") or {}
    namespace = "http://www.opengis.net/kml/2.2"
    ET.register_namespace("", namespace)
    root = ET.Element(f"{{{namespace}}}kml")
    document = ET.SubElement(root, f"{{{namespace}}}Document")
    placemark = ET.SubElement(document, f"{{{namespace}}}Placemark")
    title = " ".join(
        str(part)
        for part in (properties.get("system") or "Range", properties.get("claim") or "")
        if part
    )
    ET.SubElement(placemark, f"{{{namespace}}}name").text = title
    lines = [
        f"{key}: {properties[key]}"
        for key in ("claim", "quote", "source", "source_url", "origin", "range_km", "earth_model")
        if properties.get(key) is not None
    ]
    ET.SubElement(placemark, f"{{{namespace}}}description").text = "\n".join(lines)
    polygons = (
        [geometry["coordinates"]]
        if geometry["type"] == "Polygon"
        else list(geometry["coordinates"])
    )
    parent = placemark
    if len(polygons) > 1:
        parent = ET.SubElement(placemark, f"{{{namespace}}}MultiGeometry")
    for rings in polygons:
        polygon = ET.SubElement(parent, f"{{{namespace}}}Polygon")
        for index, ring in enumerate(rings):
            boundary = ET.SubElement(
                polygon,
                f"{{{namespace}}}{'outerBoundaryIs' if index == 0 else 'innerBoundaryIs'}",
            )
            linear = ET.SubElement(boundary, f"{{{namespace}}}LinearRing")
            ET.SubElement(linear, f"{{{namespace}}}coordinates").text = " ".join(
                f"{lon!r},{lat!r}" for lon, lat, *_ in ring
            )
    text = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + text + "\n"
