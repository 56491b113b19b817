"""The lon/lat frame of a range ring: cutting it at the antimeridian, closing it over a pole,
and rounding its positions without laying a vertex on the frame.

A geodesic circle is a closed curve on the ellipsoid; RFC 7946 wants polygons in the
rectangle of longitudes [-180, 180] and latitudes [-90, 90], drawn with straight edges. This
module finds where a ring crosses the antimeridian (:func:`_crossings`), puts a vertex found
there on it (:func:`_snapped`), reflects longitudes about an origin's meridian
(:func:`_reflected`: a ring is computed as a half and its mirror image), turns a
counter-clockwise ring of vertices round a disk into such polygons
(:func:`_cut_and_close`, in array operations) and rounds them (:func:`_rounded`, or
:func:`_plain_polygon` for a ring that neither crosses the antimeridian nor holds a pole);
:func:`_rounded_geometry` states the rounding rules plainly, position by position, and the
tests hold the array versions to it. :mod:`._rings` places the vertices.
"""

from __future__ import annotations

import functools
import itertools
import math
from typing import Any, Final, TypeVar

import numpy as np
import numpy.typing as npt

from weaponsref.geo._geodesy import (
    _HALF_TURN,
    _TURN,
    _ZERO,
    FloatArray,
    _any,
    _canonical,
    _constant,
    _every,
    geod,
)

# The lon/lat rectangle, walked counter-clockwise from its south-west corner; a point on its
# edge is placed by the distance walked ("perimeter parameter").
_PERIMETER: Final = 1080.0
_CORNERS: Final = (
    (0.0, (-180.0, -90.0)),
    (360.0, (180.0, -90.0)),
    (540.0, (180.0, 90.0)),
    (900.0, (-180.0, 90.0)),
)
_WORLD: Final = ((-180.0, -90.0), (180.0, -90.0), (180.0, 90.0), (-180.0, 90.0), (-180.0, -90.0))

# A ring's vertex found where the circle crosses the antimeridian is put on +-180 when it is
# within _SNAP_DEG of it (geo/_rings.py). The crossing search (:func:`_crossing`) stops once
# the longitude it reached is within a tenth of that of the meridian it looks for, so that
# the vertex it gives is always put there.
_SNAP_DEG: Final = 1e-9

_SNAP_FROM: Final = _constant(180.0 - _SNAP_DEG)  # (0-d arrays: see _geodesy._constant)
_QUARTER_TURN: Final = _constant(90.0)

_Lon = TypeVar("_Lon", float, FloatArray)
_CROSSING_DEG: Final = 0.1 * _SNAP_DEG

Position = tuple[float, float]


def _perimeter(point: Position) -> float:
    lon, lat = point
    if lon >= 180.0:
        return 360.0 + (lat + 90.0)
    if lon <= -180.0:
        return (900.0 + (90.0 - lat)) % _PERIMETER
    return lon + 180.0 if lat <= -90.0 else 540.0 + (180.0 - lon)


def _dedupe(ring: list[Position]) -> list[Position]:
    out: list[Position] = []
    for point in ring:
        if not out or point != out[-1]:
            out.append(point)
    return out


def _area(ring: list[Position]) -> float:
    """Signed shoelace area in the lon/lat plane: positive when counter-clockwise."""
    total = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        total += x1 * y2 - x2 * y1
    return 0.5 * total


def _distinct(xy: FloatArray) -> FloatArray:
    """The rows of ``xy`` (shape (n, 2)) without any that repeats the row before it."""
    # Each row read as one complex number (a view, no copy): two rows differ when the numbers
    # do, which is one comparison where the columns took three operations.
    pairs = np.ascontiguousarray(xy).view(np.complex128)[:, 0]
    moved = pairs[1:] != pairs[:-1]
    if _every(moved):
        return xy
    keep = np.empty(xy.shape[0], dtype=bool)
    keep[0] = True
    keep[1:] = moved
    # (rows taken by index: a third of the cost of indexing by the mask)
    kept: FloatArray = xy.take(keep.nonzero()[0], axis=0)
    return kept


def _twice_area(xy: FloatArray) -> float:
    """Twice the signed shoelace area of an open ring (rows of lon, lat)."""
    x, y = xy[:, 0], xy[:, 1]
    return float(np.dot(x[:-1], y[1:]) - np.dot(x[1:], y[:-1]) + x[-1] * y[0] - x[0] * y[-1])


def _cuts(
    lon: FloatArray, north: bool, south: bool, step: FloatArray | None = None
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """The edges i -> i+1 of a ring of canonical longitudes that cross the antimeridian, and
    for each +1 when it crosses eastwards, -1 westwards, read so that the ring goes round the
    poles it holds (``north``, ``south``). ``step``, if the caller has it, is each edge's
    longitude step (``lon[i + 1] - lon[i]``, the last edge back to the first vertex)."""
    if step is None:
        step = np.empty_like(lon)
        np.subtract(lon[1:], lon[:-1], out=step[:-1])
        step[-1] = lon[0] - lon[-1]
    cuts = (np.abs(step) > _HALF_TURN).nonzero()[0]
    # (a ring has a few cuts: their signs in Python)
    signs = [1 if s < -180.0 else -1 for s in step[cuts].tolist()]
    sign = np.array(signs, dtype=np.intp)
    # Going once round the ring changes longitude by 360 degrees times (poles held on the
    # left): +1 for the north pole only, -1 for the south only. An edge passing within a hair
    # of a pole can look like a 180-degree step either way; the pole tests (by distance) are
    # sure, so re-read the most ambiguous steps until the ring agrees with them.
    wanted = int(north) - int(south)
    total = sum(signs)
    if total != wanted:
        wraps = np.zeros(lon.size, dtype=np.intp)
        wraps[cuts] = sign
        while total != wanted:
            delta = 1 if total < wanted else -1
            wraps[int(np.argmin(delta * (step + 360.0 * wraps)))] += delta
            total += delta
        cuts = np.flatnonzero(wraps)
        sign = wraps[cuts]
    return cuts, sign


def _cut_and_close(
    lons: npt.ArrayLike,
    lats: npt.ArrayLike,
    *,
    north: bool,
    south: bool,
    canonical: tuple[FloatArray, FloatArray] | None = None,
) -> list[list[FloatArray]]:
    """Polygons (lists of rings, each an array of [lon, lat] rows, open: the first position
    is not repeated last) from a counter-clockwise ring around the disk. ``canonical``, if
    the caller has it: the longitudes made canonical as below and their steps (as
    :func:`_cuts` takes them)."""
    # Canonical longitudes in [-180, 180): +180 is the same meridian as -180.
    if canonical is None:
        lon = np.asarray(lons, dtype=np.float64)
        lon, step = _canonical(lon), None
    else:
        lon, step = canonical
    lat = np.asarray(lats, dtype=np.float64)
    cuts, sign = _cuts(lon, north, south, step)
    if not cuts.size:
        points = np.empty((lon.size, 2))
        points[:, 0], points[:, 1] = lon, lat
        ring = _distinct(points)
        if north and south:
            # The disk holds both poles: it is the world less the far region, whose edge this
            # ring runs round clockwise, as RFC 7946 wants of a hole.
            return [[np.array(_WORLD[:-1]), ring]]
        return [[ring]]
    # Cut the ring into arcs at every antimeridian crossing, each arc from edge to edge: the
    # crossings (a few) in floats, each arc written once.
    n = lon.size
    ends: list[tuple[float, float]] = []
    for c, s in zip(cuts.tolist(), sign.tolist(), strict=True):
        a = (c + 1) % n
        edge = 180.0 if s > 0 else -180.0
        lon_c, lat_c = float(lon[c]), float(lat[c])
        t = (edge - lon_c) / (float(lon[a]) + 360.0 * s - lon_c)
        ends.append((edge, lat_c + t * (float(lat[a]) - lat_c)))
    arcs: list[FloatArray] = []
    starts = (cuts + 1).tolist()
    for k in range(len(ends)):
        # From the crossing of cut k to that of the next, through the points between.
        m = (k + 1) % len(ends)
        start, stop = starts[k], starts[m]
        arc = np.empty(((stop - start if start < stop else n - start + stop) + 2, 2))
        arc[0] = (-ends[k][0], ends[k][1])
        arc[-1] = ends[m]
        if start < stop:
            arc[1:-1, 0], arc[1:-1, 1] = lon[start:stop], lat[start:stop]
        else:
            split = n - start + 1
            arc[1:split, 0], arc[1:split, 1] = lon[start:], lat[start:]
            arc[split:-1, 0], arc[split:-1, 1] = lon[:stop], lat[:stop]
        arcs.append(arc)
    return _joined(arcs)


def _joined(arcs: list[FloatArray]) -> list[list[FloatArray]]:
    """Polygons from arcs running from edge to edge of the lon/lat rectangle: each arc's end
    joined to the next arc's start by walking the rectangle's edge counter-clockwise (interior
    on the left), through any corners on the way. This closes rings over a pole and cuts
    notches where the far region straddles the antimeridian."""
    starts = [_perimeter((float(arc[0, 0]), float(arc[0, 1]))) for arc in arcs]
    unused = set(range(len(arcs)))
    polygons: list[list[FloatArray]] = []
    while unused:
        k = min(unused)
        head = k
        pieces: list[FloatArray] = []
        while True:
            unused.discard(k)
            pieces.append(arcs[k])
            end = _perimeter((float(arcs[k][-1, 0]), float(arcs[k][-1, 1])))
            k = min(range(len(arcs)), key=lambda m: (starts[m] - end) % _PERIMETER)
            gap = (starts[k] - end) % _PERIMETER
            corners = sorted(
                ((c - end) % _PERIMETER, p) for c, p in _CORNERS if 0 < (c - end) % _PERIMETER < gap
            )
            if corners:
                pieces.append(np.array([p for _, p in corners]))
            if k == head or k not in unused:
                break
        ring = _distinct(np.concatenate(pieces) if len(pieces) > 1 else pieces[0])
        if ring.shape[0] > 1 and ring[0, 0] == ring[-1, 0] and ring[0, 1] == ring[-1, 1]:
            ring = ring[:-1]
        if ring.shape[0] >= 3 and _twice_area(ring) > 0.0:
            polygons.append([ring])
    return polygons


@functools.lru_cache(maxsize=16)
def _limits(decimals: int) -> tuple[float, float]:
    """The largest |latitude| and |longitude| a vertex off the frame keeps once rounded to
    ``decimals``: 90 and 180 less one step of the rounding."""
    q = 10.0**-decimals
    return round(90.0 - q, decimals), round(180.0 - q, decimals)


@functools.lru_cache(maxsize=16)
def _limit_arrays(decimals: int) -> tuple[FloatArray, FloatArray]:
    """:func:`_limits` as read-only 0-d arrays (see _geodesy._constant)."""
    lat_max, lon_max = _limits(decimals)
    return _constant(lat_max), _constant(lon_max)


def _rounded_geometry(polygons: list[list[FloatArray]], decimals: int) -> dict[str, Any]:
    """Round positions to ``decimals``; keep the circle's own vertices off the frame.

    A vertex on the frame (longitude exactly +-180, the antimeridian cuts and corners) stays
    there; any other vertex is kept strictly inside the lon/lat rectangle after rounding, so
    that rounding cannot lay it on a frame edge of the same polygon (a self-intersection).
    Rings that rounding collapses (fewer than three distinct positions, or no area) go.
    """
    lat_max, lon_max = _limits(decimals)
    out: list[list[list[list[float]]]] = []
    for polygon in polygons:
        rings: list[list[list[float]]] = []
        for k, ring in enumerate(polygon):
            rounded: list[Position] = []
            for lon, lat in ring.tolist():
                y = round(lat, decimals) + 0.0
                if abs(lon) == 180.0:
                    x = lon
                    if abs(lat) != 90.0:
                        y = max(-lat_max, min(lat_max, y))
                else:
                    x = max(-lon_max, min(lon_max, round(lon, decimals) + 0.0))
                    y = max(-lat_max, min(lat_max, y))
                rounded.append((x, y))
            rounded = _dedupe(_compress_runs(rounded, lat_max))
            while len(rounded) > 1 and rounded[0] == rounded[-1]:
                rounded.pop()
            if len(set(rounded)) < 3 or (_area(rounded) > 0.0) != (k == 0):
                if k == 0:
                    break
                continue
            rounded.append(rounded[0])
            rings.append([[x, y] for x, y in rounded])
        if rings:
            out.append(rings)
    if len(out) == 1:
        return {"type": "Polygon", "coordinates": out[0]}
    return {"type": "MultiPolygon", "coordinates": out}


def _compress_runs(ring: list[Position], lat_max: float) -> list[Position]:
    """Keep only the ends of each run of vertices held just off a pole by the rounding: a
    circle that passes (within the rounding) through a pole would otherwise go back and forth
    along that one latitude, which is a self-intersection. The run's edge stays within the
    rounding of the pole, which the circle passes through."""
    out: list[Position] = []
    n = len(ring)
    for i, (x, y) in enumerate(ring):
        held = abs(y) == lat_max and abs(x) != 180.0
        if held and 0 < i < n - 1:
            before, after = ring[i - 1], ring[i + 1]
            if before[1] == y and after[1] == y and abs(before[0]) != 180.0 != abs(after[0]):
                continue
        out.append((x, y))
    return out


def _point_in_rings(x0: float, y0: float, rings: list[list[list[float]]]) -> bool:
    """Even-odd test of one point against a polygon's rings, in the lon/lat plane."""
    inside = False
    for ring in rings:
        for (x1, y1), (x2, y2) in itertools.pairwise(ring):
            if (y1 > y0) != (y2 > y0) and x0 < x1 + (y0 - y1) * (x2 - x1) / (y2 - y1):
                inside = not inside
    return inside


def _rounded(polygons: list[list[FloatArray]], decimals: int) -> dict[str, Any]:
    """:func:`_rounded_geometry` (its rules, ring by ring) in array operations:
    positions rounded, the circle's own vertices kept off the frame, runs held just off a pole
    compressed to their ends, repeats dropped, and rings that rounding collapses or turns
    the wrong way left out (a polygon whose exterior goes, whole)."""
    lat_max, lon_max = _limit_arrays(decimals)
    out: list[list[list[list[float]]]] = []
    for polygon in polygons:
        rings: list[list[list[float]]] = []
        for k, ring in enumerate(polygon):
            xy = _rounded_ring(ring, decimals, lat_max, lon_max)
            if xy is None or (_twice_area(xy) > 0.0) != (k == 0):
                if k == 0:
                    break
                continue
            positions = xy.tolist()
            positions.append(positions[0])
            rings.append(positions)
        if rings:
            out.append(rings)
    if len(out) == 1:
        return {"type": "Polygon", "coordinates": out[0]}
    return {"type": "MultiPolygon", "coordinates": out}


def _rounded_ring(
    ring: FloatArray, decimals: int, lat_max: FloatArray, lon_max: FloatArray
) -> FloatArray | None:
    """One open ring's positions (rows of lon, lat) rounded as :func:`_rounded` says (the
    largest latitude and longitude kept off the frame as 0-d arrays), or None when fewer than
    three distinct positions are left."""
    xy = ring.round(decimals)
    xy += _ZERO  # no negative zero
    x, y = xy[:, 0], xy[:, 1]
    frame = np.abs(ring[:, 0]) == _HALF_TURN
    np.minimum(np.maximum(x, -lon_max, out=x), lon_max, out=x)
    np.minimum(np.maximum(y, -lat_max, out=y), lat_max, out=y)
    if _any(frame):
        # On +-180 a vertex keeps its longitude, and a corner its latitude too.
        np.copyto(x, ring[:, 0], where=frame)
        np.copyto(y, ring[:, 1], where=frame & (np.abs(ring[:, 1]) == _QUARTER_TURN))
    # _compress_runs: a vertex held at lat_max between two of the same latitude, none of the
    # three on +-180, goes.
    held = np.abs(y) == lat_max
    if x.size > 2 and _any(held):
        held &= np.abs(x) != _HALF_TURN
        middle = held[1:-1] & (y[:-2] == y[1:-1]) & (y[2:] == y[1:-1])
        middle &= (np.abs(x[:-2]) != 180.0) & (np.abs(x[2:]) != 180.0)
        xy = xy[np.concatenate(([True], ~middle, [True]))]
    xy = _distinct(xy)
    while xy.shape[0] > 1 and xy[-1, 0] == xy[0, 0] and xy[-1, 1] == xy[0, 1]:
        xy = xy[:-1]
    if xy.shape[0] < 3:
        return None
    if xy[2, 0] != xy[0, 0] or xy[2, 1] != xy[0, 1]:
        return xy  # three distinct positions: no two in a row are the same
    # Fewer than three distinct positions: every one is the first or the first other one.
    x, y = xy[:, 0], xy[:, 1]
    first = (x == x[0]) & (y == y[0])
    other = np.flatnonzero(~first)
    if not other.size:
        return None
    k = other[0]
    if np.all(first | ((x == x[k]) & (y == y[k]))):
        return None
    return xy


def _plain_polygon(lon: FloatArray, lat: FloatArray, decimals: int) -> dict[str, Any] | None:
    """The rounded Polygon of a ring that neither crosses the antimeridian nor holds a pole,
    as :func:`_cut_and_close` and :func:`_rounded_geometry` make it but in a few array
    operations; None when rounding would bring a vertex to the frame or collapse the ring,
    which those functions handle."""
    xy = np.round(np.vstack((lon, lat)), decimals) + 0.0  # + 0.0: no negative zero
    lat_max, lon_max = _limits(decimals)
    extent = np.max(np.abs(xy), axis=1)
    if extent[0] >= lon_max or extent[1] >= lat_max:
        return None
    moved = np.any(xy[:, 1:] != xy[:, :-1], axis=0)
    if not moved.all():
        xy = xy[:, np.concatenate(([True], moved))]
    while xy.shape[1] > 1 and xy[0, -1] == xy[0, 0] and xy[1, -1] == xy[1, 0]:
        xy = xy[:, :-1]
    x, y = xy
    if x.size < 3:
        return None
    twice_area = np.dot(x[:-1], y[1:]) - np.dot(x[1:], y[:-1]) + x[-1] * y[0] - x[0] * y[-1]
    if not twice_area > 0.0:
        return None
    ring = xy.T.tolist()
    ring.append(ring[0])
    return {"type": "Polygon", "coordinates": [ring]}


def _reflected(lon0: float, lon: FloatArray) -> FloatArray:
    """Longitudes reflected about ``lon0``, within [-180, 180], those within
    :data:`_SNAP_DEG` of +-180 put on it."""
    return _snapped(_mirror_image(lon0, lon))


def _mirror_image(lon0: float, lon: _Lon) -> _Lon:
    """A longitude (or an array of them) reflected about ``lon0``, within [-180, 180)."""
    if isinstance(lon, float):
        return (2.0 * lon0 + 180.0 - lon) % 360.0 - 180.0
    # (0-d arrays: see _geodesy._constant)
    mirrored: FloatArray = (np.asarray(2.0 * lon0 + 180.0) - lon) % _TURN - _HALF_TURN
    return mirrored


def _snapped(lon: FloatArray) -> FloatArray:
    """``lon`` (changed in place, and returned) with every longitude within
    :data:`_SNAP_DEG` of +-180 put on it."""
    near = np.abs(lon) > _SNAP_FROM
    if _any(near):
        lon[near] = np.copysign(180.0, lon[near])
    return lon


def _snapped_one(lon: float) -> float:
    """One longitude as :func:`_snapped` gives it."""
    return math.copysign(180.0, lon) if abs(lon) > 180.0 - _SNAP_DEG else lon


def _crossings(
    lat0: float,
    lon0: float,
    range_m: float,
    az1: FloatArray,
    az2: FloatArray,
    lon1: FloatArray,
    lon2: FloatArray,
) -> FloatArray:
    """For each edge, an azimuth between az1 and az2 where the circle's longitude changes
    sign (at the antimeridian, or at 0 when the circle runs round a pole), where the
    longitude is within :data:`_CROSSING_DEG` of that meridian; lon1 and lon2 are the
    longitudes at az1 and az2 (:func:`_crossing`, edge by edge, which also gives the point
    there).
    """
    ends = zip(az1.tolist(), az2.tolist(), lon1.tolist(), lon2.tolist(), strict=True)
    return np.array([_crossing(lat0, lon0, range_m, *edge)[0] for edge in ends])


def _crossing(
    lat0: float, lon0: float, range_m: float, lo: float, hi: float, lon_lo: float, lon_hi: float
) -> tuple[float, tuple[float, float, float]]:
    """An azimuth between ``lo`` and ``hi`` (longitudes ``lon_lo`` and ``lon_hi`` there)
    where the circle's longitude changes sign, found to within :data:`_CROSSING_DEG` (1e-10
    degree) of that meridian or to a bracket 1e-12 degree wide, and the longitude,
    latitude and back azimuth ``Geod.fwd`` gave at it (NaN if it is ``lo`` or ``hi``, where
    no call was made).

    The bracket is kept by the sign of the longitude, as bisection would keep it; the steps
    are regula falsi on the longitude unwrapped from lon_lo (the Anderson-Bjorck variant,
    which keeps both ends moving and converges about as fast as the secant method), and a
    bisection step wherever the secant would leave the bracket. The end of the final bracket
    nearer the crossing is returned. In scalars: a ring crosses the antimeridian at a few
    edges, and each takes two to four ``Geod.fwd`` calls.
    """
    fwd = geod().fwd
    side = lon_lo >= 0.0
    end = lon_lo + (lon_hi - lon_lo + 180.0) % 360.0 - 180.0
    target = (180.0 if end >= 180.0 else 0.0) if side else (-180.0 if end < -180.0 else 0.0)
    shift = lon_lo - target

    def offset(lon: float) -> float:
        return shift + (lon - lon_lo + 180.0) % 360.0 - 180.0

    true_lo, true_hi = offset(lon_lo), offset(lon_hi)
    f_lo, f_hi, last = true_lo, true_hi, 0
    at_lo = at_hi = (math.nan, math.nan, math.nan)
    for _ in range(80):
        middle = (lo * f_hi - hi * f_lo) / (f_hi - f_lo) if f_hi != f_lo else lo
        if not (middle - lo) * (middle - hi) < 0.0 or f_lo * f_hi > 0.0:
            middle = 0.5 * (lo + hi)
        point = fwd(lon0, lat0, middle, range_m)
        lon = point[0]
        f = offset(lon)
        # Anderson-Bjorck: an end kept twice running has its value scaled down by how much
        # the other end's value fell (by half if it did not fall), so that the next secant
        # step lands near the crossing rather than beside the same end again.
        if (lon >= 0.0) == side:
            if last == 1:
                fell = 1.0 - f / true_lo
                f_hi *= fell if fell > 0.0 else 0.5
            lo, f_lo, true_lo, last, at_lo = middle, f, f, 1, point
        else:
            if last == -1:
                fell = 1.0 - f / true_hi
                f_lo *= fell if fell > 0.0 else 0.5
            hi, f_hi, true_hi, last, at_hi = middle, f, f, -1, point
        if abs(hi - lo) < 1e-12 or min(abs(true_lo), abs(true_hi)) < _CROSSING_DEG:
            break
    if abs(true_lo) <= abs(true_hi):
        return lo, at_lo
    return hi, at_hi
