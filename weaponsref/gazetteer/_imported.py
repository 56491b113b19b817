"""Area files: reading one safely, and the areas a user imports by name and date.

An area file is GeoJSON (RFC 7946: longitude, latitude on WGS84; a legacy ``crs`` member
naming another system is converted with pyproj), a GeoPackage (any coordinate system its
``gpkg_spatial_ref_sys`` names), or KML or KMZ (a Google Earth or Google My Maps export:
longitude, latitude on WGS84, altitudes dropped; each folder is a layer). GeoPackage, KML
and KMZ are read with pyogrio (GDAL; the ``area-files`` extra). An import keeps the
polygons of the chosen features (``layer``, ``where``) as one area in the user's data folder
(``$WEAPONSREF_DATA_DIR``, else the platform's, beside an imported GeoNames gazetteer),
under a name, with the date of the map and who published it, so that a map of control is
measured from as ``area("Control, 2025-11-01")`` and every output says whose map of which
day it was.

Every fault of a file raises :class:`~weaponsref.errors.AreaFileError` naming the file and
the fix; a folder, a FIFO or a device is refused before it is opened, and nothing but the
named local file is read: a GeoPackage must be an SQLite file with GeoPackage's application
id, so that GDAL opens no other kind of source; a KML file must be XML whose root element is
``kml``, with no DOCTYPE (whose entities could pull in other files) and no NetworkLink (a
link to another file or a web address); a KMZ archive is unzipped here, within caps on its
members and on the size of its KML, and GDAL is given only that KML's bytes.
"""

from __future__ import annotations

import codecs
import contextlib
import datetime
import functools
import hashlib
import io
import json
import os
import re
import stat
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, Final

import attrs

from weaponsref._fields import day_argument
from weaponsref._files import write_atomically
from weaponsref._text import NameIndex, fold, shorten, shown_path
from weaponsref.errors import (
    AreaFileError,
    ArgumentError,
    ArgumentValueError,
    CoordinateError,
    LimitError,
    UnknownImportedAreaError,
)
from weaponsref.gazetteer._geonames import _user_folder
from weaponsref.geo import Area

__all__ = [
    "MAX_AREA_FILE_BYTES",
    "ImportedArea",
    "imported_area",
    "imported_areas",
    "read_area_file",
    "read_regular",
    "remove_area",
    "store_area",
]

#: The largest area file read, bytes.
MAX_AREA_FILE_BYTES: Final = 200_000_000
_FOLDER: Final = "areas"
_SUFFIX: Final = ".geojson"
_MAX_NAME: Final = 200
_MAX_SOURCE: Final = 500
_SQLITE_MAGIC: Final = b"SQLite format 3\x00"
# GeoPackage's application_id ("GPKG"; "GP10" and "GP11" in files of versions 1.0 and 1.1).
_GPKG_IDS: Final = (b"GPKG", b"GP10", b"GP11")
_WGS84: Final = (
    "EPSG:4326",
    "OGC:CRS84",
    "urn:ogc:def:crs:OGC:1.3:CRS84",
    "urn:ogc:def:crs:EPSG::4326",
)
_FORMATS: Final = (
    "a GeoJSON file (.geojson, .json), a KML or KMZ file (.kml, .kmz) or a GeoPackage (.gpkg)"
)
_EXTRA: Final = "needs pyogrio and shapely: pip install 'weaponsref[area-files]'"
_ZIP_MAGIC: Final = b"PK\x03\x04"
# The end of a zip's central directory, and the ZIP64 locator and record that may stand for it.
_ZIP_END: Final = b"PK\x05\x06"
_ZIP64_LOCATOR: Final = b"PK\x06\x07"
_ZIP64_END: Final = b"PK\x06\x06"
#: The most members a KMZ archive may hold, and the largest its table of contents may be.
_MAX_KMZ_MEMBERS: Final = 10_000
_MAX_KMZ_DIRECTORY: Final = 4 << 20
#: The largest KML document read from a KMZ archive (uncompressed): as large as a KML file.
_MAX_KML_BYTES: Final = MAX_AREA_FILE_BYTES
# What may come before a KML document's root element: spaces, the XML declaration (or another
# processing instruction) and comments.
_PROLOG_ITEM: Final = re.compile(rb"\s+|<\?.*?\?>|<!--.*?-->", re.DOTALL)
_ELEMENT: Final = re.compile(rb"<([A-Za-z_:][\w:.-]{0,80})")
_NETWORK_LINK: Final = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?NetworkLink[\s/>]")
# The name pyogrio gives the in-memory copy of bytes it reads (GDAL names a layer without a
# name of its own after it).
_BUFFER_NAME: Final = re.compile(r"(?:/vsimem/)?pyogrio_[0-9a-f]{32}")


@attrs.frozen
class ImportedArea:
    """An area the user imported: what :func:`weaponsref.gazetteer.imported_areas` lists.

    ``date`` is the day the map shows (as its publisher dates it), ``source`` who published
    it, ``file`` the name of the file it was read from, ``imported`` when (UTC),
    ``features`` how many polygon features it holds and ``path`` where it is kept.
    """

    name: str
    date: str
    source: str
    file: str
    imported: str
    features: int
    path: str
    selection: str = ""


# --------------------------------------------------------------------------- reading files


def read_regular(
    path: Path, shown: str, kind: str = "a GeoJSON file", head: int | None = None
) -> bytes:
    """The bytes of ``path`` if it is a regular file of at most :data:`MAX_AREA_FILE_BYTES`
    (a FIFO or a device is refused before it is opened), only its first ``head`` bytes when
    that is given; :class:`AreaFileError` otherwise."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise AreaFileError(shown, "", f"is not a regular file; give {kind}")
        if info.st_size > MAX_AREA_FILE_BYTES:
            problem = f"is {info.st_size:,} bytes; at most {MAX_AREA_FILE_BYTES:,}"
            raise AreaFileError(shown, "", problem)
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
        with os.fdopen(os.open(path, flags), "rb") as stream:
            if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
                raise AreaFileError(shown, "", f"is not a regular file; give {kind}")
            raw = stream.read(MAX_AREA_FILE_BYTES + 1 if head is None else head)
    except (OSError, ValueError) as error:
        if isinstance(error, AreaFileError):
            raise
        problem = getattr(error, "strerror", None) or str(error)
        raise AreaFileError(shown, "", f"cannot be read ({problem})") from None
    if len(raw) > MAX_AREA_FILE_BYTES:
        raise AreaFileError(shown, "", f"is larger than {MAX_AREA_FILE_BYTES:,} bytes")
    return raw


def _features_of(data: Any) -> list[dict[str, Any]]:
    """GeoJSON as a list of features (a bare geometry is a feature without properties)."""
    if not isinstance(data, dict):
        raise CoordinateError("its top level is not a GeoJSON object")
    if data.get("type") == "FeatureCollection":
        features = data.get("features")
        if not isinstance(features, list):
            raise CoordinateError("its FeatureCollection has no list of features")
        return [f for f in features if isinstance(f, dict)]
    if data.get("type") == "Feature":
        return [data]
    return [{"type": "Feature", "properties": {}, "geometry": data}]


def _crs_of(data: Any) -> str | None:
    """The coordinate system a legacy GeoJSON ``crs`` member names, or None."""
    crs = data.get("crs") if isinstance(data, dict) else None
    name = crs.get("properties", {}).get("name") if isinstance(crs, dict) else None
    return str(name) if name else None


def _geojson_features(raw: bytes, shown: str) -> tuple[list[dict[str, Any]], str | None]:
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        raise AreaFileError(shown, "", f"not a GeoJSON file: {error}") from None
    try:
        return _features_of(data), _crs_of(data)
    except CoordinateError as error:
        raise AreaFileError(shown, "", f"not a GeoJSON file: {error}") from None


def _geopackage_features(
    path: Path, shown: str, layer: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    """The features of one layer of a GeoPackage, read with pyogrio after the file is known
    to be a local SQLite file with GeoPackage's application id."""
    head = read_regular(path, shown, "a GeoPackage", head=72)
    if not head.startswith(_SQLITE_MAGIC) or head[68:72] not in _GPKG_IDS:
        raise AreaFileError(shown, "", "is not a GeoPackage (no SQLite header with GPKG's id)")
    return _ogr_features(os.fspath(path), shown, layer, "a GeoPackage", path.stem)


def _kml_features(
    path: Path, shown: str, layer: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    """The features of one layer (folder) of a KML file or of a KMZ archive's main KML,
    read with pyogrio from the bytes checked here (GDAL opens neither the file nor the zip)."""
    kmz = path.suffix.lower() == ".kmz"
    raw = read_regular(path, shown, "a KMZ archive" if kmz else "a KML file")
    member = ""
    if kmz:
        raw, member = _kmz_document(raw, shown)
    _check_kml(raw, shown, member)
    return _ogr_features(raw, shown, layer, "a KML file", path.stem, member)


def _ogr_features(
    source: str | bytes,
    shown: str,
    layer: str | None,
    kind: str,
    stem: str,
    location: str = "",
) -> tuple[list[dict[str, Any]], str | None]:
    """The features of one layer of a file GDAL reads (a GeoPackage's path, a KML document's
    bytes) and its coordinate system, read with pyogrio; ``kind`` names the format in
    messages, ``stem`` the layer GDAL names after the in-memory copy of bytes."""
    try:
        import pyogrio.raw
        import shapely
    except ImportError:
        raise AreaFileError(shown, location, f"reading {kind} {_EXTRA}") from None
    try:
        layers = [
            stem if _BUFFER_NAME.fullmatch(str(row[0])) else str(row[0])
            for row in pyogrio.list_layers(source)
        ]
        index = _layer_index(layers, layer, shown, location)
        # By position: bytes are copied to a new in-memory file (of a new name) at each call.
        meta, _, geometry, values = pyogrio.raw.read(source, layer=index, force_2d=True)
        fields = [str(f) for f in meta["fields"]]
        features = [
            {
                "type": "Feature",
                "properties": {field: _plain(values[k][i]) for k, field in enumerate(fields)},
                "geometry": shapely.from_wkb(wkb).__geo_interface__,
            }
            for i, wkb in enumerate(geometry)
            if wkb is not None
        ]
    except AreaFileError:
        raise
    except Exception as error:  # pyogrio's DataSourceError, DataLayerError, GDAL's own faults
        problem = _BUFFER_NAME.sub(Path(shown).name, str(error))
        raise AreaFileError(
            shown, location, f"cannot be read as {kind} ({shorten(problem, 160)})"
        ) from None
    return features, meta.get("crs")


def _layer_index(layers: list[str], layer: str | None, shown: str, location: str) -> int:
    """The position of the layer named ``layer`` (or of the only one) among ``layers``."""
    listed = ", ".join(repr(shorten(n, 60)) for n in layers[:8]) + (
        ", ..." if len(layers) > 8 else ""
    )
    if not layers:
        raise AreaFileError(shown, location, "holds no layer of features; nothing to import")
    if layer is None:
        if len(layers) > 1:
            problem = f"holds {len(layers)} layers ({listed}); name one with layer="
            raise AreaFileError(shown, location, f"{problem} (--layer)")
        return 0
    if layer not in layers:
        problem = f"has no layer {shorten(layer, 60)!r}; its layers are {listed}"
        raise AreaFileError(shown, location, problem)
    return layers.index(layer)


def _check_kml(raw: bytes, shown: str, location: str) -> None:
    """Refuse what is not a KML document weaponsref reads: XML whose root element is
    ``kml`` (after an optional byte order mark, the XML declaration and comments), with no
    DOCTYPE or ENTITY declaration (whose entities could make the XML reader open other files
    or expand without bound: XXE) and no NetworkLink (a link to another file or a web
    address, which only a map viewer should follow)."""
    text = raw.removeprefix(codecs.BOM_UTF8)
    if text.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise AreaFileError(shown, location, "is UTF-16 or UTF-32 text; save it as UTF-8")
    at = 0
    while (item := _PROLOG_ITEM.match(text, at)) is not None:
        at = item.end()
    if text.startswith((b"<!DOCTYPE", b"<!ENTITY"), at):
        declaration = text[at : at + 60].decode("utf-8", "replace")
        raise AreaFileError(
            shown,
            location,
            f"declares a DOCTYPE or ENTITY ({declaration!r}...), refused: its entities could "
            "make the XML reader open other files or grow without bound (XXE); a KML file "
            "needs none: remove the declaration or export the map again",
        )
    element = _ELEMENT.match(text, at)
    if element is None:
        raise AreaFileError(
            shown,
            location,
            "is not XML: no element begins it (after its XML declaration and comments); "
            "give a KML file",
        )
    if element.group(1) != b"kml":
        root = element.group(1).decode("utf-8", "replace")
        raise AreaFileError(
            shown,
            location,
            f"is not KML: its root element is <{root}>, not <kml>; give a KML file such as "
            "a Google Earth or Google My Maps export",
        )
    if _NETWORK_LINK.search(text, element.end()) is not None:
        raise AreaFileError(
            shown,
            location,
            "holds a NetworkLink (a link to another file or a web address), which is not "
            "followed: only the file given is read; export the map's own features (in "
            "Google My Maps, leave 'Keep data up to date with network link KML' unticked) "
            "or remove the NetworkLink",
        )


def _kmz_document(raw: bytes, shown: str) -> tuple[bytes, str]:
    """The main KML document of a KMZ archive (``doc.kml``, else the first ``.kml`` at its
    top level) and its name, unzipped from ``raw`` within :data:`_MAX_KMZ_MEMBERS`,
    :data:`_MAX_KMZ_DIRECTORY` and :data:`_MAX_KML_BYTES` (a zip bomb is refused)."""
    if not raw.startswith(_ZIP_MAGIC):
        raise AreaFileError(shown, "", "is not a KMZ archive (not a zip file); give a .kmz")
    _check_zip_directory(raw, shown)
    too_large = (
        f"unzips to more than {_MAX_KML_BYTES:,} bytes, refused (a zip bomb?); export the "
        "map in parts"
    )
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            members = archive.infolist()
            if len(members) > _MAX_KMZ_MEMBERS:
                problem = f"holds {len(members):,} members; a KMZ may hold {_MAX_KMZ_MEMBERS:,}"
                raise AreaFileError(shown, "", problem)
            documents = [
                info
                for info in members
                if not info.is_dir()
                and not re.search(r"[/\\]", info.filename)
                and info.filename.lower().endswith(".kml")
            ]
            if not documents:
                raise AreaFileError(
                    shown,
                    "",
                    "holds no KML document at its top level (doc.kml); give a KMZ exported "
                    "from Google Earth or Google My Maps",
                )
            chosen = next((i for i in documents if i.filename.lower() == "doc.kml"), documents[0])
            if chosen.file_size > _MAX_KML_BYTES:
                raise AreaFileError(shown, chosen.filename, too_large)
            with archive.open(chosen) as stream:  # stops at the size its header gives
                data = stream.read(_MAX_KML_BYTES + 1)
    except AreaFileError:
        raise
    except Exception as error:  # BadZipFile, zlib's errors, an unknown compression, encryption
        raise AreaFileError(
            shown, "", f"is not a readable KMZ archive ({shorten(str(error), 120)})"
        ) from None
    if len(data) > _MAX_KML_BYTES:
        raise AreaFileError(shown, chosen.filename, too_large)
    return data, chosen.filename


def _check_zip_directory(raw: bytes, shown: str) -> None:
    """Refuse a zip archive whose end record (or a ZIP64 record, where :mod:`zipfile` may
    look for one) lists more than :data:`_MAX_KMZ_MEMBERS` members or a central directory
    larger than :data:`_MAX_KMZ_DIRECTORY`, before :mod:`zipfile` reads that directory."""
    end = raw.rfind(_ZIP_END, max(0, len(raw) - (22 + 0xFFFF)))
    if end < 0 or len(raw) - end < 22:
        raise AreaFileError(
            shown,
            "",
            "is not a complete zip archive (no end of its central directory); download or "
            "export it again",
        )
    members = int.from_bytes(raw[end + 10 : end + 12], "little")
    directory = int.from_bytes(raw[end + 12 : end + 16], "little")
    locator = end - 20
    if locator >= 0 and raw.startswith(_ZIP64_LOCATOR, locator):
        # Just before the locator (where zipfile reads it), or where the locator points.
        given = int.from_bytes(raw[locator + 8 : locator + 16], "little")
        for record in (locator - 56, given):
            if 0 <= record <= len(raw) - 56 and raw.startswith(_ZIP64_END, record):
                members = max(members, int.from_bytes(raw[record + 32 : record + 40], "little"))
                size = int.from_bytes(raw[record + 40 : record + 48], "little")
                directory = max(directory, size)
    if members > _MAX_KMZ_MEMBERS or directory > _MAX_KMZ_DIRECTORY:
        raise AreaFileError(
            shown,
            "",
            f"lists {members:,} members in {directory:,} bytes; a KMZ archive may hold at "
            f"most {_MAX_KMZ_MEMBERS:,} in {_MAX_KMZ_DIRECTORY:,}",
        )


def _plain(value: Any) -> Any:
    """A field value GDAL read, as JSON can hold it."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    item = getattr(value, "item", None)
    return item() if callable(item) else str(value)


def _polygons(features: Iterable[dict[str, Any]]) -> tuple[list[Any], int]:
    """The polygons of the features (as MultiPolygon coordinates), and how many features had
    some (points and lines are left out)."""
    polygons: list[Any] = []
    used = 0
    for feature in features:
        geometry = feature.get("geometry")
        kind = geometry.get("type") if isinstance(geometry, dict) else None
        if kind == "Polygon":
            polygons.append(geometry["coordinates"])  # type: ignore[index]
        elif kind == "MultiPolygon":
            polygons.extend(geometry["coordinates"])  # type: ignore[index]
        elif kind == "GeometryCollection":
            inner, count = _polygons(
                {"geometry": g}
                for g in geometry.get("geometries") or []  # type: ignore[union-attr]
            )
            polygons.extend(inner)
            if not count:
                continue
        else:
            continue
        used += 1
    return polygons, used


def _to_wgs84(polygons: list[Any], crs: str | None, shown: str) -> list[Any]:
    """The polygons' positions as longitude, latitude on WGS84, converted with pyproj from
    ``crs`` when it names another system."""
    if crs is None or crs in _WGS84:
        return polygons
    import numpy as np
    from pyproj import CRS, Transformer
    from pyproj.exceptions import CRSError

    try:
        source = CRS.from_user_input(crs)
        if source.equals(CRS.from_epsg(4326), ignore_axis_order=True):
            return polygons
        transformer = Transformer.from_crs(source, "EPSG:4326", always_xy=True)
    except CRSError as error:
        raise AreaFileError(
            shown, "crs", f"names a coordinate system pyproj does not know ({error})"
        ) from None
    converted = []
    for polygon in polygons:
        rings = []
        for ring in polygon:
            xy = np.asarray(ring, dtype=np.float64)
            lon, lat = transformer.transform(xy[:, 0], xy[:, 1])
            rings.append(np.column_stack([lon, lat]).round(9).tolist())
        converted.append(rings)
    return converted


def _selected(
    features: list[dict[str, Any]], where: Mapping[str, str], shown: str
) -> list[dict[str, Any]]:
    """The features whose properties hold every ``key = value`` of ``where`` (compared as
    text); an error listing the values there are when none does."""

    def holds(feature: dict[str, Any]) -> bool:
        properties = feature.get("properties") or {}
        return all(str(properties.get(k)) == v for k, v in where.items())

    kept = [f for f in features if holds(f)]
    if not kept:
        key = next(iter(where))
        seen = sorted({str((f.get("properties") or {}).get(key)) for f in features})
        listed = ", ".join(repr(shorten(s, 40)) for s in seen[:10])
        wanted = ", ".join(f"{k}={v!r}" for k, v in where.items())
        raise AreaFileError(
            shown, "", f"no feature has {shorten(wanted, 120)}; its {key!r} values are {listed}"
        )
    return kept


def read_area_file(
    path: str | os.PathLike[str],
    *,
    layer: str | None = None,
    where: Mapping[str, str] | None = None,
    name: str | None = None,
) -> tuple[Area, int]:
    """The area of the polygons of an area file, and how many features gave them.

    The file is GeoJSON (``.geojson``, ``.json``), a GeoPackage (``.gpkg``), a KML file
    (``.kml``) or a KMZ archive (``.kmz``, whose ``doc.kml``, else its first ``.kml`` at
    the top level, is read); the last three need pyogrio and shapely (the ``area-files``
    extra). ``layer`` names a GeoPackage's layer or a KML folder (needed when there are
    several); ``where`` keeps only the features whose properties hold every ``key: value``
    (a KML placemark's are ``Name``, ``description`` and its ExtendedData's names).

    Raises :class:`~weaponsref.errors.AreaFileError` naming the file and the fix for every
    fault: missing, not a regular file, too large, of another format, malformed, a KML with
    a DOCTYPE or a NetworkLink, a KMZ that unzips to too much, no such layer, no polygon.
    """
    file = Path(path)
    shown = shown_path(os.fsdecode(os.fspath(path)))
    suffix = file.suffix.lower()
    if suffix == ".gpkg":
        features, crs = _geopackage_features(file, shown, layer)
    elif suffix in (".kml", ".kmz"):
        features, crs = _kml_features(file, shown, layer)
    elif suffix in (".geojson", ".json"):
        if layer is not None:
            raise AreaFileError(shown, "", "a GeoJSON file has no layers; leave layer out")
        features, crs = _geojson_features(read_regular(file, shown), shown)
    else:
        raise AreaFileError(shown, "", f"is not {_FORMATS}")
    if where:
        features = _selected(features, where, shown)
    try:
        polygons, used = _polygons(features)
    except RecursionError:
        raise AreaFileError(shown, "", "its geometries nest too deeply") from None
    if not polygons:
        problem = f"none of its {len(features):,} features is a Polygon or MultiPolygon"
        raise AreaFileError(shown, "", problem)
    if name is None:
        first = features[0].get("properties") or {}
        found = first.get("name") or first.get("Name")  # a KML placemark's is "Name"
        name = str(found or file.stem) if used == 1 else file.stem
    try:
        geometry = {"type": "MultiPolygon", "coordinates": _to_wgs84(polygons, crs, shown)}
        return Area.from_geojson(geometry, name=name), used
    except AreaFileError:
        raise
    except (ValueError, TypeError, KeyError, IndexError) as error:  # CoordinateError, LimitError
        raise AreaFileError(shown, "", f"not a polygon: {shorten(str(error), 200)}") from None


# --------------------------------------------------------------------------- the user's areas


def _folder() -> Path:
    return Path(_user_folder()) / _FOLDER


def _file_of(name: str) -> Path:
    """Where the area named ``name`` is kept: a readable stem of its folded name and a hash
    of it, so that names that fold alike are one area and no name makes a bad file name."""
    key = fold(name)
    stem = re.sub(r"[^a-z0-9]+", "-", key.encode("ascii", "ignore").decode())[:40] or "area"
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]
    return _folder() / f"{stem}-{digest}{_SUFFIX}"


def _text_argument(value: object, argument: str, example: str, limit: int) -> str:
    if not isinstance(value, str):
        raise ArgumentError(
            f"{argument} must be a str such as {example!r} (got {value!r:.40} that is a "
            f"{type(value).__name__})"
        )
    text = " ".join(value.split())
    if not text or len(text) > limit or not fold(text):
        raise ArgumentValueError(
            f"{argument} {shorten(value, 60)!r} must be a name of 1 to {limit} characters with "
            f"a letter or digit, such as {example!r}"
        )
    return text


def store_area(
    path: str | os.PathLike[str],
    *,
    name: object,
    date: object,
    source: object,
    layer: str | None = None,
    where: Mapping[str, str] | None = None,
    replace: bool = False,
) -> ImportedArea:
    """Read an area file and keep its area in the user's folder as ``name``; see
    :func:`weaponsref.gazetteer.import_area` (which also refuses a built-in area's name)."""
    name = _text_argument(name, "name", "Russian-held, 2025-11-01", _MAX_NAME)
    day = day_argument(date, "date", "2025-11-01").isoformat()
    source = _text_argument(source, "source", "DeepStateMap", _MAX_SOURCE)
    if layer is not None and not isinstance(layer, str):
        raise ArgumentError(f"layer must be a str or None (got {layer!r:.40})")
    pairs = _where_argument(where)
    target = _file_of(name)
    if target.exists() and not replace:
        old = _read_stored(target)
        raise ArgumentValueError(
            f"an area named {old.name!r} was imported on {old.imported[:10]} (from "
            f"{old.file}); give replace=True (--replace) to replace it, or another name"
        )
    area, features = read_area_file(path, layer=layer, where=pairs, name=name)
    imported = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    selection = ", ".join(f"{k}={v}" for k, v in pairs.items())
    if layer is not None:
        selection = f"layer {layer}" + (f"; {selection}" if selection else "")
    properties = {
        "name": name,
        "date": day,
        "source": source,
        "file": Path(path).name,
        "imported": imported,
        "features": features,
        "selection": selection,
    }
    feature = {"type": "Feature", "properties": properties, "geometry": area.__geo_interface__}
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(target, json.dumps(feature, ensure_ascii=False).encode("utf-8"))
    return _record(properties, target)


def _where_argument(where: object) -> dict[str, str]:
    if where is None:
        return {}
    if not isinstance(where, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in where.items()
    ):
        raise ArgumentError(
            f"where must map property names to values, both str, such as {{'status': "
            f"'occupied'}} (got {where!r:.60})"
        )
    return dict(where)


def _record(properties: Mapping[str, Any], path: Path) -> ImportedArea:
    return ImportedArea(
        name=str(properties["name"]),
        date=str(properties["date"]),
        source=str(properties["source"]),
        file=str(properties["file"]),
        imported=str(properties["imported"]),
        features=int(properties["features"]),
        path=str(path),
        selection=str(properties.get("selection") or ""),
    )


def _broken(path: Path, problem: str) -> AreaFileError:
    fix = "import it again (weaponsref areas import FILE --replace ...) or delete this file"
    return AreaFileError(str(path), "", f"{problem}; {fix}")


def _load(path: Path) -> dict[str, Any]:
    raw = read_regular(path, str(path))
    try:
        feature = json.loads(raw.decode("utf-8"))
        properties = feature["properties"]
        _record(properties, path)
        if not isinstance(feature["geometry"], dict):
            raise TypeError("no geometry")
    except (UnicodeDecodeError, ValueError, KeyError, TypeError, RecursionError) as error:
        raise _broken(path, f"is not an imported area ({shorten(str(error), 80)})") from None
    return dict(feature)


def _read_stored(path: Path) -> ImportedArea:
    return _record(_load(path)["properties"], path)


@functools.lru_cache(maxsize=32)
def _area_at(path: str, mtime_ns: int, size: int) -> Area:
    """The stored area at ``path`` (cached while the file is unchanged: an area is
    immutable, so every caller may share it)."""
    feature = _load(Path(path))
    properties = feature["properties"]
    record = _record(properties, Path(path))
    details = {"file": record.file, "imported": record.imported}
    if record.selection:
        details["selection"] = record.selection
    try:
        return Area.from_geojson(
            feature["geometry"],
            name=record.name,
            source=f"{record.source} (imported from {record.file})",
            date=record.date,
            details=details,
        )
    except (CoordinateError, LimitError) as error:
        raise _broken(Path(path), shorten(str(error), 120)) from None


def imported_area(name: str) -> Area | None:
    """The area the user imported as ``name`` (matched as every name is), or None."""
    if not fold(name):
        return None
    path = _file_of(name)
    try:
        info = os.stat(path)
    except OSError:
        return None
    return _area_at(str(path), info.st_mtime_ns, info.st_size)


def is_imported(name: str) -> bool:
    """Whether the user imported an area as ``name`` (its file is there; it is not read)."""
    if not fold(name):
        return False
    try:
        return _file_of(name).is_file()
    except OSError:  # a folder it may not look into: no area it can give
        return False


def _stored_files() -> Iterator[Path]:
    with contextlib.suppress(OSError):
        yield from sorted(_folder().glob(f"*{_SUFFIX}"))


def imported_areas() -> tuple[ImportedArea, ...]:
    """Every area the user imported, by name."""
    return tuple(sorted((_read_stored(p) for p in _stored_files()), key=lambda a: fold(a.name)))


def imported_index() -> NameIndex[str]:
    """The imported areas' names, for suggestions."""
    index: NameIndex[str] = NameIndex()
    for record in imported_areas():
        index.add(record.name, record.name)
    return index


def remove_area(name: object) -> ImportedArea:
    """Remove the area the user imported as ``name``; return what it was."""
    text = _text_argument(name, "name", "Russian-held, 2025-11-01", _MAX_NAME)
    path = _file_of(text)
    if not path.exists():
        raise UnknownImportedAreaError(shorten(text), imported_index().suggest(text))
    record = _read_stored(path)
    try:
        path.unlink()
    except OSError as error:
        raise AreaFileError(str(path), "", f"cannot be removed ({error.strerror})") from None
    return record
