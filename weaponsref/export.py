"""The catalogue as open data: CSV tables with a Frictionless Data Package, and JSON.

:func:`export_catalogue` writes four tables (``systems.csv``, ``claims.csv``, ``events.csv``,
``sources.csv``), a ``datapackage.json`` that describes them (field types, primary and
foreign keys, licences, the data's version), and ``catalogue.json`` with the same records as
nested JSON, with the outlets the sources name (a source's row names its ``outlet`` by id and
cites it in ``cited_as``). The package passes ``frictionless validate``.

The package appears whole or not at all: every file is written into a temporary folder beside
the one asked for, and only when all are written is that folder swapped for it, in one step
(see :func:`weaponsref._files.write_folder_atomically`). A text cell a spreadsheet would run
as a formula is written with a leading apostrophe (see :func:`weaponsref._text.spreadsheet_safe`);
numbers are written as numbers.

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

import io
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from weaponsref._fields import as_row, header
from weaponsref._files import write_folder_atomically
from weaponsref._schema import table_schema
from weaponsref._text import csv_writer, spreadsheet_safe
from weaponsref.catalogue import DATA_DATE, DATA_VERSION, current_catalogue
from weaponsref.errors import ArgumentError, ArgumentValueError
from weaponsref.records import Claim, Event, Source, System

if TYPE_CHECKING:
    from weaponsref.catalogue import Catalogue

__all__ = ["export_catalogue", "ring_kml"]

#: The tables, in the order they are written: each one's name and the record of its rows.
TABLES: Final[tuple[tuple[str, type], ...]] = (
    ("systems", System),
    ("claims", Claim),
    ("events", Event),
    ("sources", Source),
)

#: Every file an export writes (and so may replace).
_FILES: Final = (*(f"{name}.csv" for name, _ in TABLES), "datapackage.json", "catalogue.json")

_LICENSE: Final = {
    "name": "MIT",
    "path": "https://opensource.org/licenses/MIT",
    "title": "MIT License (the compiled catalogue; quoted phrases remain their publishers' "
    "words, quoted for citation)",
}
_ABOUT: Final = (
    "Published range, altitude, speed, maker, origin, operators and dates of weapon systems "
    "as public reporting describes them, each figure with its source, the exact phrase it "
    "came from and its qualifier. Exported by the Python package weaponsref."
)


#: What every table's description says about its text cells.
_FORMULAS: Final = (
    "A text cell that a spreadsheet would run as a formula (one that begins with =, +, -, @, "
    "a tab or a carriage return, after any apostrophes) is written with one more apostrophe "
    "in front, which spreadsheets hide; a program reading the file drops it. A text cell "
    "that is a plain number, such as -33.9, is written as it is, and so is every number "
    "field."
)


def _cell(value: object) -> str:
    """One CSV cell: numbers and booleans as Frictionless reads them, text neutralised for
    spreadsheets (:func:`~weaponsref._text.spreadsheet_safe`)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return spreadsheet_safe(str(value))


def _csv(columns: Sequence[str], rows: Iterable[Mapping[str, object]]) -> str:
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row[column]) for column in columns])
    return buffer.getvalue()


def _rows(catalogue: Catalogue) -> dict[str, list[dict[str, Any]]]:
    """Every table's rows: a claim's and an event's with the system they belong to."""
    systems = catalogue.systems()
    return {
        "systems": [as_row(system) for system in systems],
        "claims": [as_row(claim, system) for system in systems for claim in system.claims],
        "events": [as_row(event, system) for system in systems for event in system.events],
        "sources": [as_row(source) for source in catalogue.sources()],
    }


def _package() -> dict[str, Any]:
    """The Frictionless Data Package descriptor of the four tables."""
    return {
        "name": "weaponsref-catalogue",
        "title": "weaponsref: weapon systems' published figures and their sources",
        "version": DATA_VERSION,
        "created": f"{DATA_DATE.isoformat()}T00:00:00Z",
        "description": _ABOUT,
        "licenses": [_LICENSE],
        "resources": [
            {
                "name": name,
                "path": f"{name}.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "description": _FORMULAS,
                "schema": table_schema(record),
            }
            for name, record in TABLES
        ],
    }


def _folder(directory: object) -> Path:
    if not isinstance(directory, str | os.PathLike):
        raise ArgumentError(
            f"directory must be a str or pathlib.Path (got {repr(directory)[:60]} that is a "
            f"{type(directory).__name__})"
        )
    folder = Path(os.fspath(directory))
    if folder.exists() and not folder.is_dir():
        raise ArgumentValueError(f"{str(folder)[:80]!r} is a file; give a folder to export into")
    return folder


def export_catalogue(
    directory: str | os.PathLike[str], *, catalogue: Catalogue | None = None
) -> list[Path]:
    """Write the catalogue (default: the current one) to ``directory`` as CSV tables with a
    Frictionless ``datapackage.json``, and as ``catalogue.json``; return the files written.

    Every table's columns, types and descriptions come from the records' one declaration
    of their fields, as ``to_dict()`` and the catalogue's JSON Schema do. A claim's and an
    event's row names its system by id (``system``, then ``system_name``) and its source by
    id (``source``, then ``source_cited_as``, ``source_kind``, ``source_published``,
    ``source_url``).

    The package appears whole or not at all. It is written into a temporary folder beside
    ``directory`` (made, with its parents, if it does not exist), and only once every file is
    written is that folder swapped for ``directory`` in one step: a reader sees the old
    package or the new one, never a mix. A run killed part-way leaves the old package; what
    it left beside it, the next export clears. ``directory`` must be new, empty, or hold only
    an earlier export's files; the current folder (``"."``), which cannot be swapped under
    whoever stands in it, gets every file written first and then each renamed into place.

    Raises :class:`~weaponsref.errors.ArgumentValueError` (a ValueError) when ``directory``
    is a file or a folder that holds other files (or the current folder),
    :class:`~weaponsref.errors.ArgumentError` (a TypeError) when it is not a path, and
    :class:`~weaponsref.errors.WriteError` (an OSError) naming the file that could not be
    written (a full disk, no permission), the old package then as it was.
    """
    owner = catalogue if catalogue is not None else current_catalogue()
    folder = _folder(directory)
    rows = _rows(owner)
    files = {f"{name}.csv": _csv(header(record), rows[name]) for name, record in TABLES}
    files["datapackage.json"] = json.dumps(_package(), ensure_ascii=False, indent=2) + "\n"
    document = {
        "data_version": DATA_VERSION,
        "data_date": DATA_DATE.isoformat(),
        "systems": [system.to_dict() for system in owner.systems()],
        "sources": [source.to_dict() for source in owner.sources()],
        "outlets": [outlet.to_dict() for outlet in owner.outlets()],
    }
    files["catalogue.json"] = json.dumps(document, ensure_ascii=False, indent=1) + "\n"
    try:
        write_folder_atomically(
            folder, {name: text.encode("utf-8") for name, text in files.items()}, _FILES
        )
    except FileExistsError as error:
        raise ArgumentValueError(f"cannot export: {error}") from None
    return [folder / name for name in files]


def ring_kml(feature: dict[str, Any]) -> str:
    """A range ring (a GeoJSON Feature from :func:`weaponsref.range_ring`) as a KML 2.2
    document, for Google Earth and other GIS tools: the (Multi)Polygon with its holes, named
    after the system and claim, with the source and the earth model in its description.

    >>> import weaponsref as wr
    >>> kml = ring_kml(wr.range_ring("Bober", "Kyiv"))
    >>> kml.startswith('<?xml version="1.0" encoding="UTF-8"?>'), "<Polygon>" in kml
    (True, True)

    Raises :class:`~weaponsref.errors.ArgumentError` (a TypeError) when ``feature`` is not a
    dict, and :class:`~weaponsref.errors.ArgumentValueError` (a ValueError) when it has no
    Polygon or MultiPolygon geometry.
    """
    import xml.etree.ElementTree as ET

    if not isinstance(feature, dict):
        raise ArgumentError(
            f"ring_kml needs a GeoJSON Feature, a dict as weaponsref.range_ring returns (got "
            f"{repr(feature)[:60]} that is a {type(feature).__name__})"
        )
    geometry = feature.get("geometry")
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        raise ArgumentValueError(
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
        for part in (
            properties.get("system_name") or properties.get("system") or "Range",
            properties.get("claim") or "",
        )
        if part
    )
    ET.SubElement(placemark, f"{{{namespace}}}name").text = title
    lines = [
        f"{key}: {properties[key]}"
        for key in (
            "claim",
            "quote",
            "source_cited_as",
            "source_published",
            "source",
            "source_url",
            "origin",
            "range_km",
            "earth_model",
        )
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
