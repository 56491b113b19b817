"""Exact bulk masks: which of many points lie within a range of one origin on WGS84.

:func:`within_range_m` takes the points as arrays of degrees, block by block; a
:class:`TargetSet` prepares them once (their unit vectors, sorted into cells) for many masks.
Both are identical, point for point, to ``Geod.inv`` run on every point, but run it only on a
thin band near the range: a proven bound on the angle between the points' normals settles the
rest (see the comment above ``_cos_thresholds``), and a set's cells leave out, unread, every
point the bound already puts out of range.

>>> TargetSet([55.7558, 46.4857], [37.6173, 30.7434]).within(50.45, 30.5233, 500e3).tolist()
[False, True]
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterator
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from weaponsref._text import shorten
from weaponsref.errors import ArgumentError
from weaponsref.geo._cells import (
    _ascending,
    _Cells,
    _gaps,
    _groups,
    _pieces,
    _spans,
    _take,
    _true_positions,
)
from weaponsref.geo._enclose import MAX_RANGE_M, Seen, enclosed_within
from weaponsref.geo._geodesy import (
    _B_M,
    _BLOCK,
    _DEG,
    _E2,
    WGS84_A_M,
    BoolArray,
    FloatArray,
    _check_block,
    _check_origin,
    _check_range,
    _check_targets,
    _flat_block,
    _raise_bad_target,
    _target_arrays,
    _unit_vector,
    _unit_vectors,
    geod,
)

__all__ = ["TargetSet", "within_range_m"]

# Treat geodetic latitude and longitude as spherical coordinates: the point's unit vector is
# then the ellipsoid's unit NORMAL there, and theta, the angle between two such vectors, is the
# arc between them on the Gauss sphere. The Gauss map shrinks a length ds on the ellipsoid by
# the principal radii of curvature: a step along the meridian by M(phi), along the prime
# vertical by N(phi), any other direction by something in between. On WGS84
# M(phi) = b^2/a / W^3 <= N(phi) = a / W, with W = sqrt(1 - e^2 sin^2 phi), and both grow with
# |phi|: from M(0) = b^2/a at the equator to M(90) = N(90) = a^2/b at the poles. Hence, for
# two points theta apart and the geodesic of length s between them:
#
#   Upper bound. The great-circle arc between the normals is the image of a curve joining the
#   points, of length at most N(phi_far) theta, where phi_far bounds |phi| on the arc; the
#   geodesic is no longer. Every point of the arc is within theta of the origin's normal, so
#   |phi| <= |phi0| + theta there: s <= N(min(90, |phi0| + theta)) theta <= (a^2/b) theta.
#
#   Lower bound. The geodesic's image joins the two normals, so it is at least theta long,
#   and at most s / M(phi_near) long, where phi_near bounds |phi| from below on the geodesic.
#   If s <= r, that image is at most r / (b^2/a) long, so |phi| >= |phi0| - r / (b^2/a) on
#   it, and theta <= s / M(max(0, |phi0| - r / (b^2/a))). So a larger theta means s > r.
#
#   Near the antipode. For a range r near half the meridian the lower bound above leaves a
#   band about 1 % of r wide round the antipode A' (the normal at A' is -u0, so the angle
#   between normals from A' to a point is pi - theta). The triangle inequality gives a closer
#   one there: s(O, P) >= s(O, A') - s(A', P), and the upper bound above, with the global
#   radius, gives s(A', P) <= (a^2/b) (pi - theta). So s > r wherever
#   pi - theta < (s(O, A') - r) / (a^2/b); s(O, A') is Geod.inv's (half the meridian on
#   WGS84, from any latitude).
#
# With the global radii alone (a^2/b and b^2/a, 1 % apart) the band between the two verdicts
# is about 1 % of the range wide; the latitude terms halve it for 1,000 km at 50 degrees and
# shrink it a hundredfold near the poles, and cost nothing: they depend on the origin only.
# Both bounds are sharp: s/theta reaches b^2/a along the meridian at the equator and a^2/b
# at the poles; tests/test_geodesy.py checks them on hundreds of thousands of pairs. We
# compare cosines (cos theta = u0 . u), never taking arccos of every point.
#
# Both paths screen in float32 (half the memory traffic of float64, and float32 trig is about
# 20 times faster than float64 here), then settle the band exactly.
#
# Safety margins, each larger than the error it covers:
# - _SLACK_M: Geod.inv's own error (GeographicLib: about 15 nm) and any rounding in r.
# - the radii are widened by 1e-12 relative against their rounding.
# - the float32 error in cos theta, modelled as |computed - true| <= turn sin(theta) + flat:
#   a point's position error moves cos theta by at most sin(theta) times it (the gradient of
#   cos theta on the sphere has length sin theta), rounding in the arithmetic by a fixed
#   amount. From degrees: latitude rounded to float32 and to radians, 2.8e-7 rad; longitude,
#   the origin's and their difference (up to 360 degrees) and the radians factor, 1.5e-6 rad:
#   turn 1.8e-6; float32 sin and cos (2 ulp, 1.2e-7 each, three of them), the origin's sine
#   and cosine and four roundings: flat 7.2e-7. A TargetSet's unit vectors, and the origin's,
#   are rounded once from float64 (6e-8 each, in length and direction alike) and the dot
#   product rounds five times: flat 4.2e-7, no turn. The margins are four times these
#   (_DEGREES_MARGIN, _PREPARED_MARGIN); a test measures the actual errors on the running
#   platform against a quarter of them. With cos theta + turn sin theta decreasing in theta
#   (past atan(turn), and within turn^2 before it), the thresholds widen by
#   turn sin(theta) + flat + turn^2 at the threshold's own theta: at 300 km that is about
#   400 m from degrees and 160 m from a TargetSet, where a fixed cos-space margin would take
#   kilometres (cos theta is flat near 0), and near theta = 0 or pi the flat part keeps tiny
#   ranges and near-antipodal points exact (they go to Geod.inv).
# - Thresholds are rounded outward when cast to float32, so no margin is lost to rounding.

_R_MIN_M: Final = _B_M * _B_M / WGS84_A_M * (1.0 - 1e-12)  # M(0), the smallest radius
_R_MAX_M: Final = WGS84_A_M * WGS84_A_M / _B_M * (1.0 + 1e-12)  # N(90), the largest
_SLACK_M: Final = 1e-3
_DEGREES_MARGIN: Final = (7.2e-6, 2.9e-6)  # (turn, flat), see above
_PREPARED_MARGIN: Final = (0.0, 1.7e-6)

_DEG32: Final = np.float32(_DEG)
_F64: Final = np.dtype(np.float64)
_MIN, _MAX = np.minimum.reduce, np.maximum.reduce
_INF32: Final = np.float32(np.inf)

# A band of this many points or fewer is settled by scalar Geod.inv calls (each about 1 us)
# rather than one call on arrays (about 8 us before the first point).
_FEW: Final = 8
# A band of more points than this is screened again point by point (_refined) first.
_REFINE: Final = 64
# What that leaves is enclosed (_enclose) before Geod.inv when it is this many points or
# more: the enclosure costs about 0.3 us a point after some 200 us of fixed steps, Geod.inv
# about 0.75 us a point (measured; they cross near 450 points).
_ENCLOSE: Final = 512

Float32Array = npt.NDArray[np.float32]
IndexArray = npt.NDArray[np.intp]


@functools.lru_cache(maxsize=1024)
def _angles(range_m: float, lat0: float) -> tuple[float, float]:
    """(theta_in, theta_out), radians: an angle between normals below theta_in is certainly
    within ``range_m`` of an origin at latitude ``lat0``, above theta_out certainly not."""
    abs_lat = abs(lat0) * _DEG
    # No geodesic of length <= range + slack turns its normal by more than this.
    turn = (range_m + _SLACK_M) / _R_MIN_M
    sin_far = math.sin(min(0.5 * math.pi, abs_lat + turn))
    sin_near = math.sin(max(0.0, abs_lat - turn))
    n_far = WGS84_A_M / math.sqrt(1.0 - _E2 * sin_far * sin_far) * (1.0 + 1e-12)
    m_near = _R_MIN_M / (1.0 - _E2 * sin_near * sin_near) ** 1.5
    theta_out = (range_m + _SLACK_M) / m_near
    # Round the antipode, by the triangle inequality through it (see the comment above).
    beyond = geod().inv(0.0, lat0, 180.0, -lat0)[2] - range_m - _SLACK_M
    if beyond > 0.0:
        theta_out = min(theta_out, math.pi - beyond / _R_MAX_M)
    return (range_m - _SLACK_M) / n_far, theta_out


@functools.lru_cache(maxsize=1024)
def _cos_thresholds(
    range_m: float, lat0: float, margin: tuple[float, float] = _DEGREES_MARGIN
) -> tuple[np.float32, np.float32]:
    """(lo, hi) in float32 cos space for a range from an origin at latitude ``lat0``:
    cos(theta) > hi is certainly within range, < lo certainly not. Both already include
    the margins (from degrees by default; a TargetSet's with ``_PREPARED_MARGIN``) and are
    rounded outward.

    Infinite values switch a side off: hi = +inf when nothing is certainly within (range
    below the slack), hi = -inf when everything is (the bound passes pi), lo = -inf when
    nothing is certainly out of range. Always lo <= hi.
    """
    theta_in, theta_out = _angles(range_m, lat0)
    turn, flat = margin
    if theta_in <= 0.0:
        hi = math.inf
    elif theta_in >= math.pi:
        hi = -math.inf
    else:
        hi = math.cos(theta_in) + turn * math.sin(theta_in) + flat + turn * turn
    if theta_out >= math.pi:
        lo = -math.inf
    else:
        lo = math.cos(theta_out) - turn * math.sin(theta_out) - flat - turn * turn
    return _f32_outward(lo, up=False), _f32_outward(hi, up=True)


def _f32_outward(value: float, up: bool) -> np.float32:
    """``value`` as float32, rounded up (``up``) or down so the test stays conservative."""
    rounded = np.float32(value)
    if math.isfinite(value) and (float(rounded) < value if up else float(rounded) > value):
        rounded = np.nextafter(rounded, _INF32 if up else -_INF32)
    return rounded


def _cos_angle_f32(
    lat0: float, lon0: float, flat_lat: FloatArray, flat_lon: FloatArray
) -> Float32Array:
    """cos(theta) between origin and targets from degrees, in float32 (error within
    :data:`_DEGREES_MARGIN`).

    cos theta = sin(lat0) sin(lat) + cos(lat0) cos(lat) cos(lon - lon0): three float32 trig
    calls per point and no (n, 3) array.
    """
    # Each input is rounded to float32 first and the arithmetic done in float32 (the
    # "unsafe" casting is that rounding): the steps the error model counts, in fewer passes.
    lat = np.multiply(flat_lat, _DEG32, dtype=np.float32, casting="unsafe")
    sin_lat = np.sin(lat)
    cos_lat = np.cos(lat, out=lat)
    dlon = np.subtract(flat_lon, np.float32(lon0), dtype=np.float32, casting="unsafe")
    dlon *= _DEG32
    cos_angle = np.cos(dlon, out=dlon)
    cos_angle *= cos_lat
    cos_angle *= np.float32(math.cos(lat0 * _DEG))
    sin_lat *= np.float32(math.sin(lat0 * _DEG))
    cos_angle += sin_lat
    return cos_angle


def _cos_angle_prepared(xyz32: Float32Array, lat0: float, lon0: float) -> Float32Array:
    """cos(theta) from prepared float32 unit vectors (3, n): one pass per component, no BLAS.

    (A BLAS (n, 3) @ (3,) product in float64 was as fast on an idle machine, but threads
    made it 3 to 10 times slower on a busy one.)
    """
    u = _unit_vector(lat0, lon0).astype(np.float32)
    cos_angle: Float32Array = np.multiply(xyz32[0], u[0])
    term = np.multiply(xyz32[1], u[1])
    cos_angle += term
    np.multiply(xyz32[2], u[2], out=term)
    cos_angle += term
    return cos_angle


def _exact_within(
    lat0: float, lon0: float, range_m: float, lats: FloatArray, lons: FloatArray
) -> BoolArray:
    """Geod.inv on every given target: the definition the fast paths must reproduce.

    The two arrays must be fresh contiguous float64 copies: pyproj writes its results into
    them, which saves copying them again.
    """
    g = geod()
    n = lats.size
    if n <= _FEW:
        few = [
            g.inv(lon0, lat0, lon, lat)[2] <= range_m for lat, lon in zip(lats, lons, strict=True)
        ]
        return np.array(few, dtype=bool)
    s12 = g.inv(np.full(n, lon0), np.full(n, lat0), lons, lats, inplace=True)
    result: BoolArray = np.asarray(s12[2]) <= range_m
    return result


def _refined(lat0: float, range_m: float, seen: Seen) -> tuple[BoolArray, BoolArray]:
    """(certainly within, certainly not) for each point of ``seen`` (from an origin at
    latitude ``lat0`` on the meridian they are seen from), by the bound of the comment above
    taken at the points' own latitudes, in float64.

    The geodesic's |latitude| has no minimum inside it but at the equator (where its
    latitude turns, its azimuth is 90 degrees: a vertex, the farthest from the equator), so
    it is at least the lower end's, or 0 if it crosses the equator: s >= theta M(that). The
    great-circle arc between the normals reaches |z| = sin |latitude| at most at an end or,
    if z turns on it (its derivative changes sign between the ends), at the amplitude of z
    along it: s <= theta N(that).
    """
    # The normals in the frame of the origin's meridian: u0 = (c0, 0, z0), u = (x, y, z1).
    z0, c0 = math.sin(lat0 * _DEG), math.cos(lat0 * _DEG)
    x, y, z1 = seen.cos_lat * seen.cos_dlon, seen.cos_lat * seen.sin_dlon, seen.sin_lat
    cos_t = c0 * x + z0 * z1
    side = z0 * x - c0 * z1  # u0 x u = (-z0 y, side, c0 y), of norm sqrt(y^2 + side^2)
    sin_t = np.sqrt(y * y + side * side)
    with np.errstate(divide="ignore", invalid="ignore"):
        # theta = 2 atan(tan(theta / 2)), which is sin / (1 + cos) = (1 - cos) / sin: the
        # form without cancellation on each side of a quarter turn.
        theta = 2.0 * np.arctan(
            np.where(cos_t >= 0.0, sin_t / (1.0 + cos_t), (1.0 - cos_t) / sin_t)
        )
        # Along the arc z = z0 cos t + w sin t, w = (z1 - z0 cos theta) / sin theta; its
        # derivative at the ends has the signs of w and of z1 cos theta - z0.
        w = (z1 - z0 * cos_t) / sin_t
    turns = w * (z1 * cos_t - z0) <= 0.0
    ends = np.maximum(z0 * z0, z1 * z1)
    top2 = np.where(turns, np.minimum(z0 * z0 + w * w, 1.0), ends)  # sin^2 of the top
    top2 = np.where(sin_t > 1e-9, top2, np.where(cos_t > 0.0, ends, 1.0))
    low2 = np.where(z0 * z1 > 0.0, np.minimum(z0 * z0, z1 * z1), 0.0)
    n_far = WGS84_A_M / np.sqrt(1.0 - _E2 * top2) * (1.0 + 1e-12)
    w_low = 1.0 - _E2 * low2
    m_low = _R_MIN_M / (w_low * np.sqrt(w_low))
    return theta * n_far <= range_m - _SLACK_M, theta * m_low > range_m + _SLACK_M


def _settle(
    out: BoolArray,
    cos_angle: Float32Array,
    thresholds: tuple[np.float32, np.float32],
    origin: tuple[float, float, float],
    lats: Any,
    lons: Any,
) -> None:
    """Write the exact mask into ``out``: the bound's sure verdicts, and Geod.inv on the band
    between them. ``origin`` is (lat0, lon0, range_m); ``lats`` and ``lons`` are arrays the
    band can be taken from (by index)."""
    lo, hi = thresholds
    np.greater(cos_angle, hi, out=out)
    # The band is lo <= cos <= hi; as lo <= hi, "cos >= lo" holds wherever "cos > hi" does,
    # so one exclusive-or leaves just the band.
    band = np.nonzero((cos_angle >= lo) ^ out)[0]  # 1-D: no flatnonzero's ravel
    if band.size > _REFINE:
        # Fancy indexing makes fresh contiguous copies, as _exact_within needs.
        band_lat, band_lon = np.asarray(lats[band]), np.asarray(lons[band])
        lat0, lon0, range_m = origin
        seen = Seen.of(lon0, band_lat, band_lon)
        within, beyond = _refined(lat0, range_m, seen)
        rest = np.flatnonzero(~(within | beyond))
        if rest.size >= _ENCLOSE and range_m <= MAX_RANGE_M:
            # The points the bounds left: their distances enclosed to centimetres
            # (weaponsref.geo._enclose), and Geod.inv only on those that stay undecided.
            sure, out_of_range = enclosed_within(lat0, range_m, seen[rest], _SLACK_M)
            within[rest] = sure
            rest = rest[~(sure | out_of_range)]
        if rest.size:
            within[rest] = _exact_within(*origin, band_lat[rest], band_lon[rest])
        out[band] = within
    elif band.size:
        out[band] = _exact_within(*origin, np.asarray(lats[band]), np.asarray(lons[band]))


def within_range_m(
    lat0: float,
    lon0: float,
    range_m: float,
    lats: npt.ArrayLike,
    lons: npt.ArrayLike,
    *,
    min_range_m: float | None = None,
) -> BoolArray:
    """Which targets lie within ``range_m`` metres of (lat0, lon0) on WGS84, exactly.

    ``lats`` and ``lons`` are array-likes of degrees of the same shape (any shape; latitudes
    in [-90, 90], longitudes in [-180, 180]); the result is a boolean array of that shape.
    It is identical, point for point, to
    ``Geod.inv(lon0 * ones, lat0 * ones, lons, lats)[2] <= range_m`` (inclusive), but only
    the points in a thin band near the range are run through ``Geod.inv``; a proven bound
    settles the rest (see the comment above ``_cos_thresholds``). The points are taken
    65,536 at a time, so that beyond them the result is the only new array of their number
    (a few megabytes of temporaries whatever it is). For many queries against the same
    points, a :class:`TargetSet` is many times faster still.

    ``min_range_m`` leaves out the targets nearer than it (distance < min_range_m), for a
    system with a minimum range: the mask is then of the annulus.

    Raises :class:`~weaponsref.CoordinateError` for a bad origin or target (naming the first
    bad index), :class:`~weaponsref.UnitError` (a ``ValueError``) for a range that is not a
    number or is negative, NaN or infinite, and :class:`~weaponsref.LimitError` for one above
    0 but below :data:`MIN_RANGE_M` (see :func:`check_range_m`); the same for ``min_range_m``.

    >>> within_range_m(50.45, 30.5233, 500e3, [55.7558, 46.4857], [37.6173, 30.7434]).tolist()
    [False, True]
    >>> within_range_m(50.45, 30.5233, 500e3, [50.46, 46.4857], [30.5233, 30.7434],
    ...                min_range_m=10e3).tolist()
    [False, True]
    """
    lat0, lon0 = _check_origin(lat0, lon0)
    range_m = _check_range(range_m, allow_zero=True)
    if min_range_m is None and type(lats) is np.ndarray and type(lons) is np.ndarray:
        plain = _one_block(lat0, lon0, range_m, lats, lons)
        if plain is not None:
            return plain
    inner = _check_inner(min_range_m)
    lat, lon, shape = _target_arrays(lats, lons)
    n = lat.size
    out = np.empty(n, dtype=bool)
    # With no minimum range, the test is the one pair of thresholds (and no object to make).
    test = _Test(lat0, lon0, range_m, inner, _DEGREES_MARGIN) if inner else None
    outer, origin = _cos_thresholds(range_m, lat0), (lat0, lon0, range_m)
    for start in range(0, n, _BLOCK):
        stop = min(n, start + _BLOCK)
        if stop == n and not start and lat.ndim == 1 and lat.dtype == lon.dtype == np.float64:
            block_lat, block_lon = lat, lon  # the common case: one block, the arrays as given
        else:
            block_lat, block_lon = _flat_block(lat, start, stop), _flat_block(lon, start, stop)
        if not _check_block(block_lat, block_lon):
            _raise_bad_target(lat, lon, shape)
        cos_angle = _cos_angle_f32(lat0, lon0, block_lat, block_lon)
        if test is None:
            _settle(out[start:stop], cos_angle, outer, origin, block_lat, block_lon)
        else:
            test.into(out[start:stop], cos_angle, block_lat, block_lon)
    return out.reshape(shape)


def _one_block(
    lat0: float, lon0: float, range_m: float, lats: npt.NDArray[Any], lons: npt.NDArray[Any]
) -> BoolArray | None:
    """:func:`within_range_m` (checked origin and range, no minimum range) in fewer steps for
    the common case, one block of plain float64 points, checked as every block is (each
    array by a minimum and a maximum, which NaN fails); None for any other arrays."""
    if not (
        lats.dtype is _F64
        and lons.dtype is _F64
        and lats.ndim == 1
        and lats.shape == lons.shape
        and 32 < lats.size <= _BLOCK
    ):
        return None
    if not (
        _MIN(lats) >= -90.0 and _MAX(lats) <= 90.0 and _MIN(lons) >= -180.0 and _MAX(lons) <= 180.0
    ):
        _raise_bad_target(lats, lons, lats.shape)
    mask = np.empty(lats.size, dtype=bool)
    cos_angle = _cos_angle_f32(lat0, lon0, lats, lons)
    _settle(mask, cos_angle, _cos_thresholds(range_m, lat0), (lat0, lon0, range_m), lats, lons)
    return mask


def _check_inner(min_range_m: object) -> float | None:
    """A minimum range checked as a range (0 allowed), or None for none."""
    return (
        None
        if min_range_m is None
        else _check_range(min_range_m, allow_zero=True, what="min_range_m")
    )


def _prepared_test(lat0: object, lon0: object, range_m: object, min_range_m: object) -> _Test:
    """The checked test of a query of a :class:`TargetSet` (its arguments as
    :meth:`TargetSet.within` takes them)."""
    lat, lon = _check_origin(lat0, lon0)
    range_checked = _check_range(range_m, allow_zero=True)
    return _Test(lat, lon, range_checked, _check_inner(min_range_m), _PREPARED_MARGIN)


# A cell's state in a query: its points must be read, are all within range, or none is.
_READ, _ALL, _NONE = 0, 1, 2


class _Test:
    """The exact test of one query: the thresholds, and the minimum range's if any."""

    __slots__ = ("near", "origin", "outer")

    def __init__(
        self,
        lat0: float,
        lon0: float,
        range_m: float,
        inner: float | None,
        margin: tuple[float, float],
    ) -> None:
        self.origin = (lat0, lon0, range_m)
        self.outer = _cos_thresholds(range_m, lat0, margin)
        self.near: tuple[tuple[float, float, float], Any] | None = None
        if inner:
            # The same exact mask at the largest float below the minimum range, left out.
            near = math.nextafter(inner, 0.0)
            self.near = ((lat0, lon0, near), _cos_thresholds(near, lat0, margin))

    @property
    def angles(self) -> tuple[float, float]:
        """(theta_in, theta_out) of the range (see :func:`_angles`)."""
        lat0, _, range_m = self.origin
        return _angles(range_m, lat0)

    def into(self, out: BoolArray, cos_angle: Float32Array, lats: Any, lons: Any) -> None:
        """Write the exact mask of the points with ``cos_angle`` into ``out``; ``lats`` and
        ``lons`` give the band's points by index."""
        _settle(out, cos_angle, self.outer, self.origin, lats, lons)
        if self.near is not None:
            origin, thresholds = self.near
            nearer = np.empty(out.size, dtype=bool)
            _settle(nearer, cos_angle, thresholds, origin, lats, lons)
            out &= ~nearer

    def states(self, cells: _Cells, occupied: IndexArray) -> npt.NDArray[np.int8]:
        """Each cell's state: every point certainly within range (and past the minimum
        range), certainly none, or to be read.

        A cell of centre c and radius rho is wholly within an angle theta of the origin when
        angle(c) + rho <= theta, that is cos angle(c) >= cos(theta - rho), and wholly beyond
        it when angle(c) - rho > theta; the cosines of the sums come from each cell's cos rho
        and sin rho (which include a margin for the rounding of all this), compared in
        float64 with 1e-15 to spare.
        """
        lat0, lon0, _ = self.origin
        dot = _unit_vector(lat0, lon0) @ cells.centre[:, occupied]
        cos_r, sin_r = cells.cos_radius[occupied], cells.sin_radius[occupied]

        def inside(theta: float) -> BoolArray:  # every point within theta
            if theta <= 0.0:
                return np.zeros(dot.size, dtype=bool)
            fits: BoolArray = (math.sin(theta) * sin_r + math.cos(theta) * cos_r) + 1e-15 <= dot
            return fits & (cos_r >= math.cos(theta))  # rho <= theta

        def outside(theta: float) -> BoolArray:  # every point beyond theta
            if theta >= math.pi:
                return np.zeros(dot.size, dtype=bool)
            clear: BoolArray = dot < (math.cos(theta) * cos_r - math.sin(theta) * sin_r) - 1e-15
            return clear & (cos_r > math.cos(math.pi - theta))  # theta + rho < pi

        theta_in, theta_out = self.angles
        every, none = inside(theta_in), outside(theta_out)
        if self.near is not None:
            near_in, near_out = _angles(self.near[0][2], lat0)
            every &= outside(near_out)
            none |= inside(near_in)
        state: npt.NDArray[np.int8] = np.where(none, _NONE, np.where(every, _ALL, _READ)).astype(
            np.int8
        )
        return state


# Sets of up to this many points are not sorted into cells (see ._cells): a scan of them all
# is as quick.
_UNSORTED: Final = 1 << 16
# indices_within gathers and sorts the indices when at most 1/_DENSE of the points may be
# within range; past that, a mask and one pass over it are quicker (the two cross at about
# a seventh on 1 and 10 million points, uniform or clustered).
_DENSE: Final = 7
# A query's runs of sorted positions (see TargetSet._plan).
_Plan = tuple[Any, IndexArray, IndexArray, bool]


class TargetSet:
    """Many target points, prepared once for fast, exact range masks.

    ``lats`` and ``lons`` are array-likes of degrees with the same shape (any shape: the
    points are kept flat inside and every result comes back in that shape). They are checked
    (finite, latitude in [-90, 90], longitude in [-180, 180]; a bad one raises
    :class:`~weaponsref.CoordinateError` naming the first bad index) and copied to read-only
    float64 arrays. The unit vector of each point (geodetic latitude and longitude taken as
    spherical coordinates) is computed once, in float64, stored in float32, and the points
    are sorted by the cell of an equal-area latitude-longitude grid (about 36 bytes a point
    in all). A mask then reads only the cells the proven bound does not already put out of
    range (or, for ranges past a quarter of the globe, those it does not already put within):
    three multiply-adds a point there, plus ``Geod.inv`` on the few points near the range.
    :meth:`indices_within` gives the indices of the points within range instead of a mask.

    >>> import numpy as np
    >>> targets = TargetSet(np.array([55.7558, 46.4857]), np.array([37.6173, 30.7434]))
    >>> targets.within(50.45, 30.5233, 500e3).tolist()
    [False, True]
    >>> targets
    TargetSet(2 points, shape (2,))
    """

    __slots__ = ("_cells", "_flat_lat", "_flat_lon", "_lats", "_lons", "_shape", "_xyz")

    def __init__(self, lats: npt.ArrayLike, lons: npt.ArrayLike) -> None:
        flat_lat, flat_lon, shape = _check_targets(lats, lons)
        self._shape = shape
        self._flat_lat = np.array(flat_lat, dtype=np.float64)
        self._flat_lon = np.array(flat_lon, dtype=np.float64)
        if self._flat_lat.size <= _UNSORTED:
            self._cells = None
            # Rows x, y, z, each contiguous: the mask reads them in three streaming passes.
            self._xyz = _unit_vectors(self._flat_lat, self._flat_lon).astype(np.float32)
        else:
            self._cells = _Cells(self._flat_lat, self._flat_lon)
            self._xyz = self._cells.xyz
        for array in (self._flat_lat, self._flat_lon, self._xyz):
            array.setflags(write=False)
        self._lats = self._flat_lat.reshape(shape)
        self._lons = self._flat_lon.reshape(shape)

    @property
    def lats(self) -> FloatArray:
        """The latitudes, degrees, float64, in the shape given (read-only)."""
        return self._lats

    @property
    def lons(self) -> FloatArray:
        """The longitudes, degrees, float64, in the shape given (read-only)."""
        return self._lons

    @property
    def xyz(self) -> Float32Array:
        """Unit vectors (x, y, z) in the order given, shape (n, 3), float32, read-only.

        Each column is contiguous (the array is Fortran-ordered); the rounding to float32 is
        inside the mask's proven margin. A set of over 65,536 points keeps them sorted by
        cell, and this is then a new array each time.
        """
        if self._cells is None:
            return self._xyz.T
        xyz = np.empty((3, len(self)), dtype=np.float32)
        xyz[:, self._cells.order] = self._cells.xyz
        xyz.setflags(write=False)
        return xyz.T

    @property
    def shape(self) -> tuple[int, ...]:
        """The shape of the arrays given, and of every mask returned."""
        return self._shape

    def __len__(self) -> int:
        return int(self._flat_lat.size)

    def __repr__(self) -> str:
        return f"TargetSet({len(self)} points, shape {self._shape})"

    def within(
        self, lat0: float, lon0: float, range_m: float, *, min_range_m: float | None = None
    ) -> BoolArray:
        """Which targets lie within ``range_m`` metres of (lat0, lon0), degrees, on WGS84.

        A boolean array in :attr:`shape`, identical point for point to
        ``Geod.inv(lon0 * ones, lat0 * ones, lons, lats)[2] <= range_m`` (inclusive).
        ``min_range_m`` leaves out the targets nearer than it, as :func:`within_range_m` does.
        Raises :class:`~weaponsref.CoordinateError` for a bad origin, and for a bad range or
        minimum range what :func:`within_range_m` raises (:class:`~weaponsref.UnitError`, or
        :class:`~weaponsref.LimitError` below :data:`MIN_RANGE_M`).
        """
        test = _prepared_test(lat0, lon0, range_m, min_range_m)
        if self._cells is None:
            return self._every_point(test).reshape(self._shape)
        return self._query(test).reshape(self._shape)

    def indices_within(
        self,
        lat0: float,
        lon0: float,
        range_m: float,
        *,
        min_range_m: float | None = None,
        sort: bool = True,
    ) -> npt.NDArray[np.int64]:
        """The indices of the targets within ``range_m`` metres of (lat0, lon0), degrees, on
        WGS84: an ascending int64 array, the same as ``np.flatnonzero(self.within(...))``.

        The indices are into the points flattened in C order (for a set made from 2-D
        arrays, ``np.unravel_index(indices, targets.shape)`` gives rows and columns). Exact
        as :meth:`within` is, point for point, and with the same arguments (``min_range_m``
        leaves out the targets nearer than it); quicker when few points are within range, as
        no mask of every point is made.

        ``sort=False`` gives the same indices in no stated order (the set's own, by cell of
        its grid), as scikit-learn's ``query_radius`` gives its indices: quicker when many
        points are within range, as nothing is sorted and no mask is made. ``np.sort`` of
        it is the sorted answer.

        Raises :class:`~weaponsref.CoordinateError` for a bad origin, for a bad range or
        minimum range what :func:`within_range_m` raises (:class:`~weaponsref.UnitError`, or
        :class:`~weaponsref.LimitError` below :data:`MIN_RANGE_M`), and
        :class:`~weaponsref.ArgumentError` (a TypeError) when ``sort`` is not a bool.

        >>> targets = TargetSet([55.7558, 46.4857, 50.4547], [37.6173, 30.7434, 30.5238])
        >>> targets.indices_within(50.45, 30.5233, 500e3).tolist()
        [1, 2]
        >>> sorted(targets.indices_within(50.45, 30.5233, 500e3, sort=False).tolist())
        [1, 2]
        """
        test = _prepared_test(lat0, lon0, range_m, min_range_m)
        if not isinstance(sort, bool):
            raise ArgumentError(f"sort must be True or False, not {shorten(repr(sort))}")
        if self._cells is None:
            return np.flatnonzero(self._every_point(test)).astype(np.int64, copy=False)
        plan = self._plan(test)
        kind, first, end, elsewhere = plan
        # An upper bound on the points within range: those of the cells not settled out,
        # and all the others when they are all within.
        most = int(np.sum((end - first)[kind != _NONE]))
        if elsewhere:
            most += len(self) - int(np.sum(end - first))
        if most == len(self) and not np.any(kind != _ALL):
            return np.arange(len(self), dtype=np.int64)  # every point certainly within
        if sort and most > len(self) // _DENSE:
            # Many points may be in: a mask and one pass over it beat sorting them.
            return _true_positions(self._query(test, plan), most / len(self))
        return self._found(test, plan, sort)

    def _every_point(self, test: _Test) -> BoolArray:
        """The flat mask of a set kept without cells: every point through the test."""
        lat0, lon0, _ = test.origin
        out = np.empty(len(self), dtype=bool)
        test.into(out, _cos_angle_prepared(self._xyz, lat0, lon0), self._flat_lat, self._flat_lon)
        return out

    def _plan(self, test: _Test) -> _Plan:
        """The runs of sorted positions a query looks at: each run's state (_READ, _ALL or
        _NONE), first and end position; and whether the points outside them are all within
        range (else none is).

        The cells looked at are those that may hold a point within range (points elsewhere
        are certainly not), or, for a range past a quarter of the globe, those round the
        antipode that may hold a point not certainly within (points elsewhere certainly are).
        """
        cells = self._cells
        assert cells is not None
        lat0, lon0, _ = test.origin
        theta_in, theta_out = test.angles
        elsewhere = False
        if theta_out <= 0.5 * math.pi:
            occupied = cells.near(lat0, lon0, theta_out)
        elif theta_in >= 0.5 * math.pi and test.near is None:
            antipode = lon0 - 180.0 if lon0 > 0.0 else lon0 + 180.0
            elsewhere, occupied = True, cells.near(-lat0, antipode, max(0.0, math.pi - theta_in))
        else:
            occupied = cells.every()
        kind, first, end = cells.runs(occupied, test.states(cells, occupied))
        return kind, first, end, elsewhere

    def _query(self, test: _Test, plan: _Plan | None = None) -> BoolArray:
        """The flat exact mask of a sorted set, reading only the cells the bound leaves open
        (:meth:`_plan`). The mask starts from whichever value most points certainly take,
        and only the others are written."""
        cells = self._cells
        assert cells is not None
        kind, first, end, elsewhere = plan if plan is not None else self._plan(test)
        gap_first, gap_end = _gaps(first, end, len(self))
        true_count = int(np.sum((end - first)[kind == _ALL]))
        if elsewhere:
            true_count += int(np.sum(gap_end - gap_first))
        base = 2 * true_count > len(self)
        out = np.ones(len(self), dtype=bool) if base else np.zeros(len(self), dtype=bool)
        # The settled points that differ from the base, and the rest of the sphere if it does.
        flip = kind == (_NONE if base else _ALL)
        flip_first, flip_end = first[flip], end[flip]
        if elsewhere != base:
            flip_first = np.concatenate((flip_first, gap_first))
            flip_end = np.concatenate((flip_end, gap_end))
        for group_first, group_end in _groups(flip_first, flip_end):
            for piece in _pieces(cells.order, _spans(group_first, group_end)):
                out[piece] = not base
        read = kind == _READ
        for index, mask in self._read(test, first[read], end[read]):
            out[index[mask != base]] = not base
        return out

    def _found(self, test: _Test, plan: _Plan, sort: bool) -> npt.NDArray[np.int64]:
        """The indices of the points within range of a sorted set, from the runs of
        :meth:`_plan`: gathered cell by cell, then sorted (with ``sort``) or not."""
        cells = self._cells
        assert cells is not None
        kind, first, end, elsewhere = plan
        every = kind == _ALL
        every_first, every_end = first[every], end[every]
        if elsewhere:
            gap_first, gap_end = _gaps(first, end, len(self))
            every_first = np.concatenate((every_first, gap_first))
            every_end = np.concatenate((every_end, gap_end))
        found = _pieces(cells.order, _spans(every_first, every_end))
        read = kind == _READ
        found += [index[mask] for index, mask in self._read(test, first[read], end[read])]
        if not sort:
            return np.concatenate(found, dtype=np.int64) if found else np.zeros(0, np.int64)
        return _ascending(found, len(self))

    def _read(
        self, test: _Test, first: IndexArray, end: IndexArray
    ) -> Iterator[tuple[IndexArray, BoolArray]]:
        """For each chunk of the runs [first, end) of sorted positions: the points' indices
        and their exact mask."""
        cells = self._cells
        assert cells is not None
        lat0, lon0, _ = test.origin
        for group_first, group_end in _groups(first, end):
            spans = _spans(group_first, group_end)  # found once, for both arrays
            index = _take(cells.order, spans)
            mask = np.empty(index.size, dtype=bool)
            xyz = _take(cells.xyz, spans)
            cos_angle = _cos_angle_prepared(xyz, lat0, lon0)
            test.into(mask, cos_angle, _Lazy(self._flat_lat, index), _Lazy(self._flat_lon, index))
            yield index, mask

    def distances_m(self, lat0: float, lon0: float) -> FloatArray:
        """Geodesic distances in metres from (lat0, lon0) to every target, in :attr:`shape`.

        This runs ``Geod.inv`` on every point: use :meth:`within` for a mask.
        """
        lat0, lon0 = _check_origin(lat0, lon0)
        n = self._flat_lat.size
        s12 = geod().inv(np.full(n, lon0), np.full(n, lat0), self._flat_lon, self._flat_lat)[2]
        distances: FloatArray = np.asarray(s12, dtype=np.float64).reshape(self._shape)
        return distances


class _Lazy:
    """``values[index]``, taken only where it is indexed: the band's few points."""

    __slots__ = ("index", "values")

    def __init__(self, values: FloatArray, index: Any) -> None:
        self.values, self.index = values, index

    def __getitem__(self, band: IndexArray) -> FloatArray:
        picked: FloatArray = self.values[self.index[band]]
        return picked
