"""Exact bulk masks: which of many points lie within a range of one origin on WGS84.

:func:`within_range_m` takes the points as arrays of degrees; a :class:`TargetSet` prepares
them once (their unit vectors) for many masks. Both are identical, point for point, to
``Geod.inv`` run on every point, but run it only on a thin band near the range: a proven
bound on the angle between the points' normals settles the rest (see the comment above
``_cos_thresholds``).

>>> TargetSet([55.7558, 46.4857], [37.6173, 30.7434]).within(50.45, 30.5233, 500e3).tolist()
[False, True]
"""

from __future__ import annotations

import math
from typing import Final

import numpy as np
import numpy.typing as npt

from weaponsref.geo._geodesy import (
    _B_M,
    _DEG,
    WGS84_A_M,
    WGS84_F,
    BoolArray,
    FloatArray,
    _check_origin,
    _check_range,
    _check_targets,
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
# Safety margins, each far larger than the error it covers; none costs measurable speed
# because the 1 % band is far wider than all of them together:
# - _SLACK_M: Geod.inv's own error (GeographicLib: about 15 nm) and any rounding in r.
# - the radii are widened by 1e-12 relative against their rounding.
# - _COS_SLACK (cos space) covers the float32 error in cos theta. From degrees, worst case:
#   latitude rounded to float32 and to radians 2.6e-7 rad; longitude difference 1.3e-6 rad
#   (rounding of lon, lon0, their difference up to 360 degrees, and the radians factor);
#   float32 sin/cos up to 2 ulp (1.2e-7); products and sum 2.4e-7: under 2.6e-6 in all.
#   A TargetSet's unit vectors are computed in float64 and rounded once (6e-8 a component),
#   so its dot product is off by under 7e-7. 2e-5 is 7 and 30 times these; a test measures
#   the actual errors on the running platform against a quarter of it.
#   Near theta = 0 or pi the cosine is flat, so a fixed cos-space margin widens the band in
#   theta to sqrt(2 * 2e-5) rad (40 km) there, and by 2e-5/sin(theta) elsewhere (0.8 km at
#   1000 km): that is what keeps tiny ranges and near-antipodal points exact (they go to
#   Geod.inv), at the cost of a few more points in the band.
# - Thresholds are rounded outward when cast to float32, so no margin is lost to rounding.

_E2: Final = WGS84_F * (2.0 - WGS84_F)
_R_MIN_M: Final = _B_M * _B_M / WGS84_A_M * (1.0 - 1e-12)  # M(0), the smallest radius
_SLACK_M: Final = 1e-3
_COS_SLACK: Final = 2e-5

_DEG32: Final = np.float32(_DEG)
_INF32: Final = np.float32(np.inf)

Float32Array = npt.NDArray[np.float32]


def _cos_thresholds(range_m: float, lat0: float) -> tuple[np.float32, np.float32]:
    """(lo, hi) in float32 cos space for a range from an origin at latitude ``lat0``:
    cos(theta) > hi is certainly within range, < lo certainly not. Both already include
    the margins and are rounded outward.

    Infinite values switch a side off: hi = +inf when nothing is certainly within (range
    below the slack), hi = -inf when everything is (the bound passes pi), lo = -inf when
    nothing is certainly out of range. Always lo <= hi.
    """
    abs_lat = abs(lat0) * _DEG
    # No geodesic of length <= range + slack turns its normal by more than this.
    turn = (range_m + _SLACK_M) / _R_MIN_M
    sin_far = math.sin(min(0.5 * math.pi, abs_lat + turn))
    sin_near = math.sin(max(0.0, abs_lat - turn))
    n_far = WGS84_A_M / math.sqrt(1.0 - _E2 * sin_far * sin_far) * (1.0 + 1e-12)
    m_near = _R_MIN_M / (1.0 - _E2 * sin_near * sin_near) ** 1.5
    theta_in = (range_m - _SLACK_M) / n_far
    theta_out = (range_m + _SLACK_M) / m_near
    if theta_in <= 0.0:
        hi = math.inf
    elif theta_in >= math.pi:
        hi = -math.inf
    else:
        hi = math.cos(theta_in) + _COS_SLACK
    lo = -math.inf if theta_out >= math.pi else math.cos(theta_out) - _COS_SLACK
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
    """cos(theta) between origin and targets from degrees, in float32 (error under 2.6e-6).

    cos theta = sin(lat0) sin(lat) + cos(lat0) cos(lat) cos(lon - lon0): three float32 trig
    calls per point and no (n, 3) array.
    """
    lat = flat_lat.astype(np.float32)
    lat *= _DEG32
    sin_lat = np.sin(lat)
    cos_lat = np.cos(lat, out=lat)
    dlon = flat_lon.astype(np.float32)
    dlon -= np.float32(lon0)
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
    lat0: float, lon0: float, range_m: float, scratch_lat: FloatArray, scratch_lon: FloatArray
) -> BoolArray:
    """Geod.inv on every given target: the definition the fast paths must reproduce.

    The two arrays must be fresh contiguous float64 copies: pyproj writes its results into
    them, which saves copying them again.
    """
    n = scratch_lat.size
    s12 = geod().inv(np.full(n, lon0), np.full(n, lat0), scratch_lon, scratch_lat, inplace=True)
    result: BoolArray = np.asarray(s12[2]) <= range_m
    return result


def _mask(
    cos_angle: Float32Array,
    lat0: float,
    lon0: float,
    range_m: float,
    flat_lat: FloatArray,
    flat_lon: FloatArray,
) -> BoolArray:
    """The exact mask: the bound's sure verdicts, and Geod.inv on the band between them."""
    lo, hi = _cos_thresholds(range_m, lat0)
    inside = cos_angle > hi
    # The band is lo <= cos <= hi; as lo <= hi, "cos >= lo" holds wherever "cos > hi" does,
    # so one exclusive-or leaves just the band.
    band = np.flatnonzero((cos_angle >= lo) ^ inside)
    if band.size:
        # Fancy indexing makes fresh contiguous copies, as _exact_within needs.
        inside[band] = _exact_within(lat0, lon0, range_m, flat_lat[band], flat_lon[band])
    return inside


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
    settles the rest (see the comment above ``_cos_thresholds``). For many queries against
    the same points, a :class:`TargetSet` is several times faster still.

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
    inner = _check_inner(min_range_m)
    flat_lat, flat_lon, shape = _check_targets(lats, lons)
    cos_angle = _cos_angle_f32(lat0, lon0, flat_lat, flat_lon)
    mask = _mask(cos_angle, lat0, lon0, range_m, flat_lat, flat_lon)
    _cut_inner(mask, cos_angle, lat0, lon0, inner, flat_lat, flat_lon)
    return mask.reshape(shape)


def _cut_inner(
    mask: BoolArray,
    cos_angle: Float32Array,
    lat0: float,
    lon0: float,
    inner: float | None,
    flat_lat: FloatArray,
    flat_lon: FloatArray,
) -> None:
    """Clear, in place, the targets nearer than ``inner`` metres (strictly, a checked minimum
    range): the same exact mask, at the largest float below the minimum range."""
    if not inner:
        return
    mask &= ~_mask(cos_angle, lat0, lon0, math.nextafter(inner, 0.0), flat_lat, flat_lon)


def _check_inner(min_range_m: object) -> float | None:
    """A minimum range checked as a range (0 allowed), or None for none."""
    return (
        None
        if min_range_m is None
        else _check_range(min_range_m, allow_zero=True, what="min_range_m")
    )


class TargetSet:
    """Many target points, prepared once for fast, exact range masks.

    ``lats`` and ``lons`` are array-likes of degrees with the same shape (any shape: the
    points are kept flat inside and every result comes back in that shape). They are checked
    (finite, latitude in [-90, 90], longitude in [-180, 180]; a bad one raises
    :class:`~weaponsref.CoordinateError` naming the first bad index) and copied to read-only
    float64 arrays. The unit vector of each point (geodetic latitude and longitude taken as
    spherical coordinates) is computed once, in float64 and stored in float32 component by
    component (:attr:`xyz`), so a mask costs three multiply-adds a point plus ``Geod.inv`` on
    the few points near the range, and never touches the trigonometry again.

    >>> import numpy as np
    >>> targets = TargetSet(np.array([55.7558, 46.4857]), np.array([37.6173, 30.7434]))
    >>> targets.within(50.45, 30.5233, 500e3).tolist()
    [False, True]
    >>> targets
    TargetSet(2 points, shape (2,))
    """

    __slots__ = ("_flat_lat", "_flat_lon", "_lats", "_lons", "_shape", "_xyz32")

    def __init__(self, lats: npt.ArrayLike, lons: npt.ArrayLike) -> None:
        flat_lat, flat_lon, shape = _check_targets(lats, lons)
        self._shape = shape
        self._flat_lat = np.array(flat_lat, dtype=np.float64)
        self._flat_lon = np.array(flat_lon, dtype=np.float64)
        # Rows x, y, z, each contiguous: the mask reads them in three streaming passes.
        self._xyz32 = _unit_vectors(self._flat_lat, self._flat_lon).astype(np.float32)
        for array in (self._flat_lat, self._flat_lon, self._xyz32):
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
        """Unit vectors (x, y, z), shape (n, 3), float32, read-only.

        Each column is contiguous (the array is Fortran-ordered), which is the layout the
        mask streams through; the rounding to float32 is inside the mask's proven margin.
        """
        return self._xyz32.T

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
        lat0, lon0 = _check_origin(lat0, lon0)
        range_m = _check_range(range_m, allow_zero=True)
        inner = _check_inner(min_range_m)
        cos_angle = _cos_angle_prepared(self._xyz32, lat0, lon0)
        mask = _mask(cos_angle, lat0, lon0, range_m, self._flat_lat, self._flat_lon)
        _cut_inner(mask, cos_angle, lat0, lon0, inner, self._flat_lat, self._flat_lon)
        return mask.reshape(self._shape)

    def distances_m(self, lat0: float, lon0: float) -> FloatArray:
        """Geodesic distances in metres from (lat0, lon0) to every target, in :attr:`shape`.

        This runs ``Geod.inv`` on every point: use :meth:`within` for a mask.
        """
        lat0, lon0 = _check_origin(lat0, lon0)
        n = self._flat_lat.size
        s12 = geod().inv(np.full(n, lon0), np.full(n, lat0), self._flat_lon, self._flat_lat)[2]
        distances: FloatArray = np.asarray(s12, dtype=np.float64).reshape(self._shape)
        return distances
