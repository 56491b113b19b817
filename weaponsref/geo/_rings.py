"""Range rings: a GeoJSON (RFC 7946) geometry of every point within a range of one origin.

The vertices are ``Geod.fwd`` from the origin at azimuths refined until every edge, drawn
straight in longitude and latitude as RFC 7946 draws it, provably stays within a tolerance of
the true geodesic circle (:mod:`._sag` bounds each edge's sag from what ``Geod.fwd`` gives at
its ends; no sampling); :mod:`._frame` then cuts the ring at the antimeridian, closes it over
a pole and rounds it.

>>> geometry, used = ring_geometry(50.45, 30.5233, 100e3, points=4)
>>> geometry["type"], len(geometry["coordinates"][0]), used
('Polygon', 5, 100000.0)
"""

from __future__ import annotations

import math
import numbers
import warnings
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from weaponsref.errors import LimitError, WeaponsrefWarning
from weaponsref.geo._frame import (
    _SNAP_FROM,
    _WORLD,
    _crossing,
    _crossings,
    _cut_and_close,
    _mirror_image,
    _plain_polygon,
    _point_in_rings,
    _reflected,
    _rounded,
    _snapped,
    _snapped_one,
)
from weaponsref.geo._geodesy import (
    _HALF_TURN,
    _MINUS_HALF_TURN,
    DEFAULT_TOLERANCE_M,
    HALF_MERIDIAN_M,
    MAX_RING_POINTS,
    BoolArray,
    FloatArray,
    _any,
    _canonical,
    _check_origin,
    _check_range,
    _check_tolerance,
    _constant,
    _every,
    _half_turn,
    geod,
    inverse_m,
)
from weaponsref.geo._plan import _M_PER_DEG, _PLAN_SHARE, _inner_azimuths, _planned_azimuths
from weaponsref.geo._sag import (
    _AZ,
    _BACK,
    _LAT,
    _LON,
    _ROWS,
    _drawn_step,
    _fill_rows,
    _sag_bound,
)
from weaponsref.geo._shapes import _shapely, to_geojson, to_shape

__all__ = ["ring_geometry"]

# A ring vertex counts as on the disk's edge if its geodesic distance back to the origin is
# within this of the range. Beyond the cut locus (ranges past about pi * b = 19,970 km from
# an equatorial origin) Geod.fwd keeps following a geodesic that is no longer the shortest,
# and the point it reaches is kilometres nearer than the range: such vertices are dropped.
_CUT_TOL_M: Final = 1e-3
# Adaptive rings: each edge's sag is sampled at this many points, and must be within this
# share of the tolerance (sampling misses under 1 % of a smooth sag at 16 samples; rounding
# takes at most a tenth of the tolerance).
_SAG_SAMPLES: Final = 16
_SAG_SHARE: Final = 0.75
# Azimuth steps below this (degrees) are not split again.
_MIN_AZ_STEP: Final = 1e-9
_MIN_AZ_STEP_ARRAY: Final = _constant(_MIN_AZ_STEP)
# A crossing vertex within _SNAP_DEG (geo/_frame.py) of +-180 degrees is put on it (0.1 mm
# at most, which the budget of a bounded ring allows for: _SNAP_M).
_SNAP_M: Final = 1e-3
# Bounded rings (_bounded_vertices): the share of the tolerance the edges' sag bound may use
# (rounding takes under 0.071 of it), below this range; above it, near the cut locus, the
# sag is sampled (_adaptive_vertices).
_BOUND_SHARE: Final = 0.9
_BOUNDED_MAX_M: Final = 19.9e6
# Below this range no geodesic from any origin meets the cut locus: every azimuth reaches the
# edge of the disk. (The nearest cut-locus points, from an equatorial origin, are pi * b =
# 19,970 km away.)
_CUT_FREE_M: Final = 19.96e6
# The finest rounding, decimals of a degree.
_MAX_DECIMALS: Final = 11


def ring_geometry(
    lat0: float,
    lon0: float,
    range_m: float,
    points: int | None = None,
    *,
    tolerance_m: float | None = None,
    inner_m: float | None = None,
) -> tuple[dict[str, Any], float]:
    """A GeoJSON geometry (RFC 7946) of every point within ``range_m`` metres of the origin.

    Returns ``(geometry, used_range_m)``. ``geometry`` is a ``Polygon`` or ``MultiPolygon``
    dict with ``[lon, lat]`` positions, longitudes in [-180, 180] and latitudes in [-90, 90],
    exterior rings counter-clockwise and holes clockwise (the right-hand rule), each ring
    closed (first position repeated last). It is a valid polygon (no self-intersection) for
    every range from 1 m to the half meridian, from any origin.

    **Tolerance** (the default, ``tolerance_m`` = :data:`DEFAULT_TOLERANCE_M`, 100 m): the
    vertices are ``Geod.fwd`` from the origin at azimuths planned on a sphere and then split
    wherever a proven bound on an edge's sag (its curvature on the ellipsoid, bounded by the
    ellipsoid's extreme radii of curvature) is over the tolerance, so that no point of any
    edge *as drawn* (a straight segment in longitude and latitude, which is what RFC 7946
    means) is farther than ``tolerance_m`` from the true geodesic circle, measured as the
    geodesic distance from the origin. This is done for the half from azimuth 0 to -180;
    the other half is its mirror image about the origin's meridian, which sags as far.
    (Within about 100 km of the cut locus, from 19,900 km, the sag is sampled with
    ``Geod.inv`` instead.) Positions are rounded to the fewest
    decimals that keep a tenth of the tolerance (and of the range). Besides the circle's own
    vertices:

    - where the circle crosses the antimeridian, the azimuth of the crossing is found (by
      regula falsi, kept bracketed) and its vertex (on the circle to well under 1 m) is put
      at exactly -180 and +180; a disk that is cut in two becomes a ``MultiPolygon``;
    - a disk holding a pole is closed over it along +-180 and latitude +-90 (these frame
      edges are the edge of the map, not of the disk: the tolerance is about the circle);
    - a disk holding both poles (possible from about 10,002 km) is the whole lon/lat rectangle
      less the far region around the antipode: a hole, or notches in the +-180 edges when that
      region straddles the antimeridian;
    - past the cut locus (from about 19,970 km) the azimuths whose geodesic stops being the
      shortest before the range are left out, and where the arcs that remain end, the azimuth
      at which it stops being shortest is found by bisection and used as a vertex.

    **points** (superseded by the tolerance, kept for old callers): ``points`` evenly spaced
    azimuths and no refinement, unless ``tolerance_m`` is given too, in which case ``points``
    is the number of azimuths the refinement starts from.

    **inner_m**: a minimum range. The geometry is then the annulus between ``inner_m`` and
    ``range_m`` (the inner disk a hole), as for a system with a published minimum range.
    ``inner_m`` must be below ``range_m`` less twice the tolerance. An inner disk that crosses
    the antimeridian or holds a pole needs shapely (the ``areas`` extra).

    ``range_m`` must be finite and at least :data:`MIN_RANGE_M` (1 m); above
    :data:`HALF_MERIDIAN_M` (the largest geodesic distance there is) it is clamped to it, with
    a :class:`~weaponsref.WeaponsrefWarning` naming both, and the geometry is then the whole
    Earth (``used_range_m`` tells the caller). A bad origin raises
    :class:`~weaponsref.CoordinateError`; a range or ``inner_m`` that is not a finite number
    above 0, :class:`~weaponsref.UnitError`; a range or ``inner_m`` below :data:`MIN_RANGE_M`,
    a tolerance outside :data:`MIN_TOLERANCE_M` to :data:`MAX_TOLERANCE_M`, ``points`` outside
    3 to :data:`MAX_RING_POINTS` or an ``inner_m`` too near the range,
    :class:`~weaponsref.LimitError` (all are ``ValueError``).

    >>> geometry, used = ring_geometry(50.45, 30.5233, 1000e3, points=8)
    >>> geometry["type"], len(geometry["coordinates"][0]), used
    ('Polygon', 9, 1000000.0)
    >>> geometry, used = ring_geometry(50.45, 30.5233, 1000e3)  # to 100 m
    >>> len(geometry["coordinates"][0])
    269
    """
    lat0, lon0 = _check_origin(lat0, lon0)
    asked = _check_range(range_m, allow_zero=False)
    _check_points(points)
    tolerance = DEFAULT_TOLERANCE_M if tolerance_m is None else _check_tolerance(tolerance_m)
    inner = _check_inner(inner_m, asked, tolerance)
    used = _clamped(asked)
    legacy = points is not None and tolerance_m is None
    outer = _disk(lat0, lon0, used, tolerance, points, legacy=legacy)
    if inner:
        outer = _with_hole(outer, _tolerance_ring(lat0, lon0, inner, tolerance, 16))
    return outer, used


def _check_points(points: object) -> None:
    """None, or a whole number of azimuths from 3 to :data:`MAX_RING_POINTS`; else LimitError."""
    if points is not None and (
        isinstance(points, bool)
        or not isinstance(points, numbers.Integral)
        or not 3 <= int(points) <= MAX_RING_POINTS
    ):
        raise LimitError(
            f"points must be a whole number from 3 to {MAX_RING_POINTS:,} (got {points!r:.40})"
        )


def _check_inner(inner_m: object, asked: float, tolerance: float) -> float | None:
    """The minimum range, checked as a range (0 allowed) and below the range less twice the
    tolerance; None for none."""
    if inner_m is None:
        return None
    inner = _check_range(inner_m, allow_zero=True, what="inner_m")
    if inner > 0.0 and inner > min(asked, HALF_MERIDIAN_M) - 2.0 * tolerance:
        raise LimitError(
            f"the minimum range {inner:.3f} m must be below the range {asked:.3f} m less "
            f"twice the tolerance ({2 * tolerance:g} m)"
        )
    return inner


def _clamped(asked: float) -> float:
    """The range, clamped to :data:`HALF_MERIDIAN_M` with a warning when it is beyond it."""
    if asked <= HALF_MERIDIAN_M:
        return asked
    warnings.warn(
        f"range {asked:.3f} m is beyond half the WGS84 meridian; clamped to "
        f"{HALF_MERIDIAN_M:.3f} m, which already covers the whole Earth",
        WeaponsrefWarning,
        stacklevel=4,  # tuned for weaponsref.range_ring, the public caller of ring_geometry
    )
    return HALF_MERIDIAN_M


def _world() -> dict[str, Any]:
    """The whole lon/lat rectangle as a fresh GeoJSON Polygon."""
    return {"type": "Polygon", "coordinates": [[list(p) for p in _WORLD]]}


def _disk(
    lat0: float,
    lon0: float,
    range_m: float,
    tolerance: float,
    points: int | None,
    *,
    legacy: bool,
) -> dict[str, Any]:
    """The disk of a checked range (at most :data:`HALF_MERIDIAN_M`) to a checked tolerance,
    or of ``points`` evenly spaced azimuths (``legacy``), as a GeoJSON geometry."""
    if range_m >= HALF_MERIDIAN_M or (not legacy and HALF_MERIDIAN_M - range_m <= tolerance):
        # Every point farther than the range lies within HALF_MERIDIAN_M - range of the
        # circle (along its geodesic from the origin): within the tolerance, the whole Earth.
        return _world()
    if legacy:
        assert points is not None
        return _legacy_ring(lat0, lon0, range_m, int(points))
    return _tolerance_ring(lat0, lon0, range_m, tolerance, 16 if points is None else int(points))


def _legacy_ring(lat0: float, lon0: float, range_m: float, points: int) -> dict[str, Any]:
    """The ring of ``points`` evenly spaced azimuths, unrounded (the pre-tolerance rings)."""
    lons, lats = _ring_vertices(lat0, lon0, range_m, points)
    north = inverse_m(lat0, lon0, 90.0, 0.0) <= range_m
    south = inverse_m(lat0, lon0, -90.0, 0.0) <= range_m
    polygons = _cut_and_close(lons, lats, north=north, south=south)
    # (GeoJSON closes each ring: its first position repeated last.)
    coordinates = [[[*ring.tolist(), ring[0].tolist()] for ring in polygon] for polygon in polygons]
    if len(coordinates) == 1:
        return {"type": "Polygon", "coordinates": coordinates[0]}
    return {"type": "MultiPolygon", "coordinates": coordinates}


def _tolerance_ring(
    lat0: float, lon0: float, range_m: float, tolerance: float, initial: int
) -> dict[str, Any]:
    """The ring refined to ``tolerance`` metres, cut, closed and rounded."""
    # Fine enough for the tolerance, the disk, and the far region left past it.
    decimals = _decimals(min(tolerance, range_m, HALF_MERIDIAN_M - range_m))
    # A circle that passes within a few rounding steps of a pole cannot be drawn round it or
    # past it unambiguously once rounded: draw it a few steps further out, round the pole.
    # Those steps are under half the tolerance (see _decimals).
    step_m = 10.0**-decimals * _M_PER_DEG
    asked = range_m
    to_poles = [inverse_m(lat0, lon0, pole, 0.0) for pole in (90.0, -90.0)]
    for to_pole in to_poles:
        if abs(to_pole - range_m) <= 2.0 * step_m and to_pole + 4.0 * step_m < HALF_MERIDIAN_M:
            range_m = to_pole + 4.0 * step_m
            decimals = _decimals(min(tolerance, range_m, HALF_MERIDIAN_M - range_m))
    if range_m < _BOUNDED_MAX_M:
        # What the edges may sag: the tolerance less the rounding (under 0.071 of it, see
        # _decimals), a snapped crossing vertex and any step round a pole taken above.
        budget = _BOUND_SHARE * tolerance - abs(range_m - asked) - _SNAP_M
        lon_array, lat_array = _bounded_vertices(lat0, lon0, range_m, budget, initial)
    else:
        lons, lats = _adaptive_vertices(lat0, lon0, range_m, tolerance, initial)
        lon_array, lat_array = np.asarray(lons), np.asarray(lats)
    canonical = _canonical(lon_array)
    steps = np.empty_like(canonical)
    np.subtract(canonical[1:], canonical[:-1], out=steps[:-1])
    steps[-1] = canonical[0] - canonical[-1]
    turns = int(np.count_nonzero(steps < _MINUS_HALF_TURN)) - int(
        np.count_nonzero(steps > _HALF_TURN)
    )
    near_north, near_south = to_poles[0] <= range_m, to_poles[1] <= range_m
    if turns in (-1, 0, 1):
        # The drawn ring itself says which pole it goes round: trust it over the distance
        # tests, which disagree only when the circle passes within a hair of a pole.
        both = turns == 0 and near_north and near_south
        north, south = turns == 1 or both, turns == -1 or both
    else:
        north, south = near_north, near_south
    if not (north or south or _any(np.abs(steps) > _HALF_TURN)):
        plain = _plain_polygon(canonical, lat_array, decimals)
        if plain is not None:
            return plain
    polygons = _cut_and_close(
        lon_array, lat_array, north=north, south=south, canonical=(canonical, steps)
    )
    return _rounded(polygons, decimals)


def _decimals(length_m: float) -> int:
    """Decimals of a degree whose rounding moves a position by under a tenth of ``length_m``."""
    step_deg = max(0.1 * length_m / _M_PER_DEG, 10.0**-_MAX_DECIMALS)
    return max(6, min(_MAX_DECIMALS, math.ceil(-math.log10(step_deg))))


def _with_hole(outer: dict[str, Any], inner: dict[str, Any]) -> dict[str, Any]:
    """``outer`` less ``inner``: a hole in the polygon holding it, or shapely's difference."""
    simple = inner["type"] == "Polygon" and len(inner["coordinates"]) == 1
    ring = inner["coordinates"][0] if simple else []
    if simple and not any(abs(x) == 180.0 or abs(y) == 90.0 for x, y in ring):
        polygons = (
            [outer["coordinates"]] if outer["type"] == "Polygon" else list(outer["coordinates"])
        )
        x0, y0 = ring[0]
        for polygon in polygons:
            if _point_in_rings(x0, y0, polygon):
                polygon.append(ring[::-1])
                return outer
    return _difference(outer, inner)


def _difference(outer: dict[str, Any], inner: dict[str, Any]) -> dict[str, Any]:
    """``outer`` less ``inner`` by shapely, as RFC 7946 GeoJSON."""
    _shapely("a minimum-range hole that crosses the antimeridian or holds a pole")
    return to_geojson(to_shape(outer).difference(to_shape(inner)))


def _fwd(
    lat0: float, lon0: float, range_m: float, azimuths: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Longitudes and latitudes (degrees) of the geodesics of ``range_m`` from the origin at
    ``azimuths``."""
    table = _fwd_table(lat0, lon0, range_m, azimuths, rows=_BACK + 1)
    return table[_LON], table[_LAT]


def _fwd_table(
    lat0: float, lon0: float, range_m: float, azimuths: FloatArray, rows: int = _ROWS
) -> FloatArray:
    """A vertex table (:func:`_fill_rows`) of the geodesics of ``range_m`` from the origin
    at ``azimuths``: its first four rows the azimuths, and the longitudes, latitudes and back
    azimuths (degrees) Geod.fwd gives there; the rest left for _fill_rows."""
    n = azimuths.size
    table = np.empty((rows, n))
    table[_AZ] = azimuths
    table[_BACK] = azimuths
    # Rows of the table written in place by pyproj (no copies of its own), filled as np.full
    # fills them, without its wrapper.
    table[_LON].fill(lon0)
    table[_LAT].fill(lat0)
    s12 = np.empty(n)
    s12.fill(range_m)
    geod().fwd(table[_LON], table[_LAT], table[_BACK], s12, inplace=True)
    return table


# Pieces an edge is split into at most in one round; the next round checks them, and splits
# only where they still sag.
_MAX_PIECES: Final = 16


def _bounded_vertices(
    lat0: float, lon0: float, range_m: float, budget: float, initial: int
) -> tuple[FloatArray, FloatArray]:
    """The circle's vertices, counter-clockwise (decreasing azimuth), each edge's sag bounded
    by ``budget`` metres (:func:`_sag_bound`), for a range below the cut locus.

    The azimuths are planned (:func:`_planned_azimuths`), then every edge is checked: one
    whose drawn longitude step jumps across the antimeridian is first split where the circle
    crosses it (:func:`_crossing_vertices`), and that vertex put at exactly +-180; one whose
    bound is over the budget is split into as many equal azimuth steps as the bound says it
    needs, and the new edges are checked in turn. No Geod.inv call.

    A geodesic circle on an ellipsoid of revolution is symmetric about its origin's meridian:
    the point at azimuth -a is the mirror image of the point at a (the same latitude, the
    longitude reflected about the origin's), and a drawn edge's mirror image sags exactly as
    far. So when the plan holds azimuth -180 (an even number of initial azimuths, as by
    default) only the half from 0 to -180 is computed and checked, and the other half is its
    mirror image (:func:`_mirrored`). The half is also split where its mirror image crosses
    the antimeridian, so that every crossing of the whole ring is a vertex on the circle.
    """
    if initial % 2 == 0:
        half = _planned_azimuths(lat0, range_m, budget, initial, half=True)
        lon, lat = _refined(lat0, lon0, range_m, budget, half, mirror=True)
        return _mirrored(lon0, lon, lat)
    az = _planned_azimuths(lat0, range_m, budget, initial)
    lon, lat = _refined(lat0, lon0, range_m, budget, az, mirror=False)
    return lon[:-1], lat[:-1]


def _refined(
    lat0: float, lon0: float, range_m: float, budget: float, az: FloatArray, *, mirror: bool
) -> tuple[FloatArray, FloatArray]:
    """The longitudes and latitudes of the circle at the decreasing azimuths ``az`` and of
    the vertices added between them until every edge's sag bound is within ``budget``: the
    crossings of the antimeridian first, and with ``mirror`` those of its mirror image about
    the origin's meridian (see :func:`_bounded_vertices`)."""
    table = _fwd_table(lat0, lon0, range_m, az)
    # The planned edges that cross the antimeridian are split before the table is filled
    # (Geod.fwd's longitudes are within +-180: only a step of over 180 degrees can wrap).
    table = _split_at_crossings(lat0, lon0, range_m, table)
    if mirror:
        table = _split_at_image_crossings(lat0, lon0, range_m, table)
    _fill_rows(table)
    fresh: BoolArray | None = None  # the new vertices; None in the first round: all are
    limit = np.asarray(budget)  # (0-d: see _geodesy._constant)
    while True:
        n = table.shape[1]
        edges = np.arange(n - 1) if fresh is None else (fresh[:-1] | fresh[1:]).nonzero()[0]
        if not edges.size:
            break
        if (2 * n - 1 if mirror else n) > MAX_RING_POINTS:
            raise LimitError(
                f"a ring to {(budget + _SNAP_M) / _BOUND_SHARE:g} m would need more than "
                f"{MAX_RING_POINTS:,} vertices; give a larger tolerance"
            )
        every = edges.size == n - 1
        a, b = (table[:, :-1], table[:, 1:]) if every else (table[:, edges], table[:, edges + 1])
        wraps, step = _wrapping(table[_LON]) if every else _wrapping(a[_LON], b[_LON])
        wide = (a[_AZ] - b[_AZ]) >= _MIN_AZ_STEP_ARRAY
        if _any(wraps & wide):
            # Split at the crossings first; every edge is checked after, in one round.
            split = wraps & wide
            keep = np.ones(n, dtype=bool) if fresh is None else fresh
            pieces = np.full(np.count_nonzero(split), 2, dtype=np.intp)
            ends = (a[_AZ, split], b[_AZ, split], a[_LON, split], b[_LON, split])
            new = _crossing_vertices(lat0, lon0, range_m, *ends)
        else:
            quadratic, cubic, reach = _sag_bound(lat0, range_m, a, b, step, budget)
            if _every(quadratic + cubic <= limit):
                break  # every edge within the budget (the test below, in its commonest case)
            # NaN (an edge the bound cannot settle) is over the budget, unless its reach is not.
            split = ~(np.fmin(quadratic + cubic, reach) <= limit) & wide
            if not _any(split):
                break
            plan = _PLAN_SHARE * budget
            with np.errstate(invalid="ignore"):
                need = np.fmin(
                    np.sqrt(quadratic[split] / plan + np.cbrt(cubic[split] / plan) ** 2),
                    reach[split] / plan,
                )
            pieces = np.clip(np.ceil(need), 2, _MAX_PIECES).astype(np.intp)
            keep = np.zeros(n, dtype=bool)
            new_az = _inner_azimuths(a[_AZ, split], b[_AZ, split], pieces)
            new = _new_vertices(lat0, lon0, range_m, new_az)
        at = np.repeat(edges[split] + 1, pieces - 1)
        table = np.insert(table, at, _fill_rows(new), axis=1)
        fresh = np.insert(keep, at, True)
    return table[_LON], table[_LAT]


def _split_at_crossings(lat0: float, lon0: float, range_m: float, table: FloatArray) -> FloatArray:
    """The vertex table (its first four rows: azimuths, longitudes, latitudes, back
    azimuths) with a vertex added on every edge that crosses the antimeridian, where the
    circle crosses it."""
    az, lon = table[_AZ], table[_LON]
    cut = _crossing_edges(az, lon)
    if not cut.size:
        return table
    ends = [(float(az[i]), float(az[i + 1]), float(lon[i]), float(lon[i + 1])) for i in cut]
    return _merged(table, cut, np.array(_crossing_rows(lat0, lon0, range_m, ends)))


def _crossing_edges(az: FloatArray, lon: FloatArray) -> npt.NDArray[np.intp]:
    """The edges i -> i + 1 of a run of vertices (decreasing azimuths ``az``, longitudes
    ``lon``) drawn across the antimeridian, as :func:`_wrapping` reads them (an edge with an
    end on +-180 does not wrap), whose azimuth step can still be split."""
    jumps = (np.abs(np.subtract(lon[1:], lon[:-1])) > _HALF_TURN).nonzero()[0]
    if not jumps.size:
        return jumps
    # A ring has a few such edges: they are checked one by one.
    kept = [
        i
        for i in jumps.tolist()
        if abs(lon[i]) != 180.0 and abs(lon[i + 1]) != 180.0 and az[i] - az[i + 1] >= _MIN_AZ_STEP
    ]
    return np.array(kept, dtype=np.intp)


def _split_at_image_crossings(
    lat0: float, lon0: float, range_m: float, table: FloatArray
) -> FloatArray:
    """The vertex table (its first four rows: azimuths, longitudes, latitudes, back
    azimuths) of the half with a vertex added on every edge whose mirror image crosses the
    antimeridian, where the image does: the crossings of those edges' images (as
    :func:`_split_at_crossings` finds them on the whole image), mirrored back. The half's
    own vertices are kept as they are."""
    az = table[_AZ]
    image = _reflected(lon0, table[_LON])  # (a new array: the table is not changed)
    # Edge i of the half, from vertex i to i + 1, is drawn in the image from i + 1 to i, and
    # wraps there as it would here, its azimuth step the same.
    cut = _crossing_edges(az, image)
    if not cut.size:
        return table
    ends = [
        (-360.0 - float(az[i + 1]), -360.0 - float(az[i]), float(image[i + 1]), float(image[i]))
        for i in cut
    ]
    new_az, new_lon, new_lat, new_back = _crossing_rows(lat0, lon0, range_m, ends)
    new = (
        [-360.0 - a for a in new_az],
        [_snapped_one(_mirror_image(lon0, x)) for x in new_lon],
        new_lat,
        [-b for b in new_back],
    )
    return _merged(table, cut, np.array(new))


def _mirrored(lon0: float, lon: FloatArray, lat: FloatArray) -> tuple[FloatArray, FloatArray]:
    """The whole ring from its half from azimuth 0 to -180 (both ends included, each on the
    origin's meridian or its opposite): the half, then its mirror image without those ends."""
    n = lon.size
    whole_lon = np.empty(2 * n - 2)
    whole_lat = np.empty(2 * n - 2)
    whole_lon[:n], whole_lat[:n] = lon, lat
    whole_lon[n:] = _reflected(lon0, lon[-2:0:-1])
    whole_lat[n:] = lat[-2:0:-1]
    return whole_lon, whole_lat


def _merged(table: FloatArray, cut: npt.NDArray[np.intp], new: FloatArray) -> FloatArray:
    """A vertex table with the first four rows of ``table`` and each new vertex (a column of
    ``new``, shape (4, k)) put after its edge's first end (``cut``, ascending): slices copied
    between the few cuts (fewer steps than np.insert)."""
    n = table.shape[1]
    merged = np.empty((table.shape[0], n + cut.size))
    bounds = [0, *(cut + 1).tolist(), n]
    for k in range(cut.size + 1):
        lo, hi = bounds[k], bounds[k + 1]
        merged[: _BACK + 1, lo + k : hi + k] = table[: _BACK + 1, lo:hi]
        if k < cut.size:
            merged[: _BACK + 1, hi + k] = new[:, k]
    return merged


def _crossing_vertices(
    lat0: float,
    lon0: float,
    range_m: float,
    az1: FloatArray,
    az2: FloatArray,
    lon1: FloatArray,
    lon2: FloatArray,
) -> FloatArray:
    """:func:`_crossing_rows` of the edges from az1 to az2 (longitudes lon1 to lon2), as the
    first four rows of a vertex table."""
    ends = list(zip(az1.tolist(), az2.tolist(), lon1.tolist(), lon2.tolist(), strict=True))
    table = np.empty((_ROWS, len(ends)))
    table[: _BACK + 1] = _crossing_rows(lat0, lon0, range_m, ends)
    return table


def _crossing_rows(
    lat0: float, lon0: float, range_m: float, ends: list[tuple[float, float, float, float]]
) -> tuple[list[float], list[float], list[float], list[float]]:
    """Azimuths, longitudes, latitudes and back azimuths of the vertices where the circle
    crosses the antimeridian on each edge (its azimuths and longitudes at both ends), as
    :func:`_new_vertices` gives them, a longitude within :data:`_SNAP_DEG` of +-180 put on
    it; an edge whose crossing is at one of its ends (no progress) is split at its middle
    azimuth instead."""
    rows: tuple[list[float], list[float], list[float], list[float]] = ([], [], [], [])
    for az1, az2, lon1, lon2 in ends:
        found, point = _crossing(lat0, lon0, range_m, az1, az2, lon1, lon2)
        if not az2 < found < az1:
            found = 0.5 * (az1 + az2)
            point = geod().fwd(lon0, lat0, found, range_m)
        # Strictly inside its edge, the vertex is the search's own Geod.fwd call there (the
        # same geod_direct as the array call), as _new_vertices would give it.
        lon, lat, back = point
        for row, value in zip(rows, (found, _snapped_one(lon), lat, back), strict=True):
            row.append(value)
    return rows


def _new_vertices(lat0: float, lon0: float, range_m: float, az: FloatArray) -> FloatArray:
    """The vertex table's first four rows (:func:`_fwd_table`) at ``az``, a longitude within
    :data:`_SNAP_DEG` of +-180 put on it."""
    table = _fwd_table(lat0, lon0, range_m, az)
    _snapped(table[_LON])
    return table


def _wrapping(lon1: FloatArray, lon2: FloatArray | None = None) -> tuple[BoolArray, FloatArray]:
    """Which edges from lon1 to lon2 jump across the antimeridian (neither end on it), and
    every edge's drawn longitude step; with lon1 alone, the edges from each vertex of a row
    to the next."""
    if lon2 is None:  # each longitude made canonical once
        canonical = _canonical(lon1)
        off = np.abs(lon1) != _HALF_TURN
        raw = canonical[1:] - canonical[:-1]
        big = np.abs(raw) > _HALF_TURN
        # (Most halves have no step over 180 degrees: their steps are the differences.)
        return big & off[:-1] & off[1:], _half_turn(raw) if _any(big) else raw
    raw = _canonical(lon2) - _canonical(lon1)
    wraps = (np.abs(raw) > _HALF_TURN) & (np.abs(lon1) != _HALF_TURN) & (np.abs(lon2) != _HALF_TURN)
    return wraps, _half_turn(raw)


def _sag_m(
    lat0: float,
    lon0: float,
    range_m: float,
    lon1: FloatArray,
    lat1: FloatArray,
    lon2: FloatArray,
    lat2: FloatArray,
    samples: int = _SAG_SAMPLES,
) -> FloatArray:
    """The largest | distance from the origin - range | over points spread evenly along each
    straight lon/lat edge, metres: how far the drawn edge strays from the circle."""
    t = np.arange(1, samples) / samples
    step = _drawn_step(lon1, lon2)
    lons = lon1[:, None] + t[None, :] * step[:, None]
    lats = lat1[:, None] + t[None, :] * (lat2 - lat1)[:, None]
    lons = ((lons + 180.0) % 360.0) - 180.0
    n = lons.size
    s12 = geod().inv(np.full(n, lon0), np.full(n, lat0), lons.ravel(), lats.ravel())[2]
    away = np.abs(np.asarray(s12).reshape(lons.shape) - range_m)
    sag: FloatArray = away.max(axis=1)
    return sag


def _arcs(lat0: float, lon0: float, range_m: float, initial: int) -> list[list[float]]:
    """Arcs of decreasing azimuths whose geodesics are shortest all the way to the range.

    Below the cut locus this is one arc, from 0 to -360 (the same azimuth: the ring is
    closed). Past it, a scan finds where the azimuths stop reaching the edge of the disk and
    bisection places each arc's ends.
    """
    base = [-360.0 * k / initial for k in range(initial + 1)]
    if range_m < _CUT_FREE_M:
        return [base]
    g = geod()

    def on_edge(azimuth: float) -> bool:
        lon, lat, _ = g.fwd(lon0, lat0, azimuth, range_m)
        return bool(g.inv(lon0, lat0, lon, lat)[2] >= range_m - _CUT_TOL_M)

    scan = sorted({*(-360.0 * k / 720 for k in range(721)), *base, -180.0}, reverse=True)
    good = [on_edge(a) for a in scan]
    arcs: list[list[float]] = []
    current: list[float] = []
    for i, azimuth in enumerate(scan):
        if good[i]:
            if not current and i:
                current.append(_bisect_edge(on_edge, azimuth, scan[i - 1]))
            current.append(azimuth)
        if i + 1 < len(scan) and good[i] and not good[i + 1]:
            current.append(_bisect_edge(on_edge, azimuth, scan[i + 1]))
            arcs.append(current)
            current = []
    if current:
        arcs.append(current)
    if len(arcs) > 1 and arcs[0][0] == 0.0 and arcs[-1][-1] == -360.0:
        # Azimuth 0 is always good: the first and last arcs are one arc through it.
        arcs[0] = [a - 360.0 for a in arcs[0]][1:]
        arcs[0] = arcs.pop() + arcs[0]
    return arcs


def _bisect_edge(on_edge: Any, good_az: float, bad_az: float) -> float:
    for _ in range(60):
        middle = 0.5 * (good_az + bad_az)
        if on_edge(middle):
            good_az = middle
        else:
            bad_az = middle
    return good_az


def _adaptive_vertices(
    lat0: float, lon0: float, range_m: float, tolerance: float, initial: int
) -> tuple[list[float], list[float]]:
    """The circle's vertices, counter-clockwise (decreasing azimuth), refined to the tolerance.

    Each edge is split at its middle azimuth until its sag (:func:`_sag_m`) is within
    :data:`_SAG_SHARE` of the tolerance (the rest is left for sampling and rounding); an edge
    whose drawn longitude step jumps across the antimeridian is split at the crossing
    (:func:`_crossings`), and that vertex is put at exactly +-180.
    """
    closed = range_m < _CUT_FREE_M
    all_lons: list[float] = []
    all_lats: list[float] = []
    for arc in _arcs(lat0, lon0, range_m, initial):
        az = np.asarray(arc, dtype=np.float64)
        lon, lat = _fwd(lat0, lon0, range_m, az)
        todo = np.ones(az.size - 1, dtype=bool)
        while todo.any():
            if az.size > MAX_RING_POINTS:
                raise LimitError(
                    f"a ring to {tolerance:g} m would need more than {MAX_RING_POINTS:,} "
                    "vertices; give a larger tolerance"
                )
            edges = np.flatnonzero(todo)
            wraps, _ = _wrapping(lon[edges], lon[edges + 1])
            sag = np.zeros(edges.size)
            plain = ~wraps
            if plain.any():
                e = edges[plain]
                sag[plain] = _sag_m(lat0, lon0, range_m, lon[e], lat[e], lon[e + 1], lat[e + 1])
            narrow = (az[edges] - az[edges + 1]) < _MIN_AZ_STEP
            split = (wraps | (sag > _SAG_SHARE * tolerance)) & ~narrow
            todo[edges[~split]] = False
            chosen = edges[split]
            if not chosen.size:
                continue
            new_az = 0.5 * (az[chosen] + az[chosen + 1])
            crossing = wraps[split]
            if crossing.any():
                c = chosen[crossing]
                found = _crossings(lat0, lon0, range_m, az[c], az[c + 1], lon[c], lon[c + 1])
                # A crossing at an end of the edge makes no progress: split at the middle.
                inside = (found < az[c]) & (found > az[c + 1])
                new_az[crossing] = np.where(inside, found, new_az[crossing])
            new_lon, new_lat = _fwd(lat0, lon0, range_m, new_az)
            near = (np.abs(new_lon) > _SNAP_FROM) & crossing
            new_lon[near] = np.copysign(180.0, new_lon[near])
            az = np.insert(az, chosen + 1, new_az)
            lon = np.insert(lon, chosen + 1, new_lon)
            lat = np.insert(lat, chosen + 1, new_lat)
            todo = np.insert(todo, chosen + 1, True)
        if closed:
            az, lon, lat = az[:-1], lon[:-1], lat[:-1]
        all_lons.extend(lon.tolist())
        all_lats.extend(lat.tolist())
    return all_lons, all_lats


def _ring_vertices(
    lat0: float, lon0: float, range_m: float, points: int
) -> tuple[list[float], list[float]]:
    """Edge vertices in counter-clockwise order (decreasing azimuth), lon and lat lists."""
    g = geod()
    # Azimuth grows clockwise seen from above, so walk it downwards for a counter-clockwise
    # ring: the disk is then on the left, as RFC 7946 wants of an exterior ring.
    azimuths = [-360.0 * k / points for k in range(points)]
    n = len(azimuths)
    lons, lats, _ = g.fwd([lon0] * n, [lat0] * n, azimuths, [range_m] * n)
    back = g.inv([lon0] * n, [lat0] * n, lons, lats)[2]
    valid = [s >= range_m - _CUT_TOL_M for s in back]
    if all(valid):
        return list(lons), list(lats)

    def on_edge(azimuth: float) -> tuple[bool, float, float]:
        lon, lat, _ = g.fwd(lon0, lat0, azimuth, range_m)
        return g.inv(lon0, lat0, lon, lat)[2] >= range_m - _CUT_TOL_M, lon, lat

    # Past the cut locus: scan with 0 and 180 degrees added (they stay shortest up to the half
    # meridian, so every arc of good azimuths is seen), keep the good vertices, and bisect
    # each change from good to bad for the last good azimuth.
    scan = sorted({*azimuths, -180.0}, reverse=True)
    state = [on_edge(a) for a in scan]
    out_lon: list[float] = []
    out_lat: list[float] = []
    for i, azimuth in enumerate(scan):
        good, lon, lat = state[i]
        j = (i + 1) % len(scan)
        following = scan[j] if j else scan[0] - 360.0
        if good:
            out_lon.append(lon)
            out_lat.append(lat)
        if good != state[j][0]:
            good_az, bad_az = (azimuth, following) if good else (following, azimuth)
            for _ in range(60):
                middle = 0.5 * (good_az + bad_az)
                if on_edge(middle)[0]:
                    good_az = middle
                else:
                    bad_az = middle
            _, lon, lat = on_edge(good_az)
            out_lon.append(lon)
            out_lat.append(lat)
    return out_lon, out_lat
