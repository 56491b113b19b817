"""The float-level geodesy core: WGS84 geodesics, range rings and exact bulk masks.

Every distance here is the geodesic on the WGS84 ellipsoid computed by GeographicLib's
algorithm (Karney 2013) through :class:`pyproj.Geod`. Arguments are plain floats in degrees
and metres, **latitude first**; pyproj's longitude-first order stays inside this module.
pyproj is imported on first use, so importing this module costs only numpy.

This is the geodesy layer: it knows nothing of systems, claims or catalogues.
:mod:`weaponsref.reach` is where a system's claim meets it. It offers:

- :func:`inverse_m` and :func:`inverse`: one geodesic, as fast as a bare ``Geod.inv`` call.
- :func:`ring_geometry`: a GeoJSON (RFC 7946) geometry of every point within a range.
- :func:`within_range_m` and :class:`TargetSet`: exact boolean masks over many points.

>>> round(inverse_m(50.45, 30.5233, 55.7558, 37.6173), 3)
757104.357
>>> TargetSet([55.7558, 46.4857], [37.6173, 30.7434]).within(50.45, 30.5233, 500e3).tolist()
[False, True]
"""

from __future__ import annotations

import functools
import itertools
import math
import numbers
import warnings
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import numpy.typing as npt

from weaponsref.errors import (
    CoordinateError,
    LimitError,
    MissingExtraError,
    UnitError,
    WeaponsrefWarning,
)

if TYPE_CHECKING:
    from pyproj import Geod

__all__ = [
    "DEFAULT_TOLERANCE_M",
    "EARTH_MODEL",
    "HALF_MERIDIAN_M",
    "WGS84_A_M",
    "WGS84_F",
    "TargetSet",
    "geod",
    "inverse",
    "inverse_m",
    "ring_geometry",
    "within_range_m",
]

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

#: The earth model every distance, ring and mask uses, in words.
EARTH_MODEL: Final = (
    "WGS84 ellipsoid (a = 6378137 m, f = 1/298.257223563); geodesics by GeographicLib "
    "(Karney 2013) through pyproj"
)

#: The most vertices a range ring may have.
MAX_RING_POINTS: Final = 100_000

#: The default tolerance of a range ring, metres: no point of a drawn edge is farther than
#: this from the true geodesic circle.
DEFAULT_TOLERANCE_M: Final = 100.0
#: The finest and coarsest tolerances a ring may be asked for, metres.
MIN_TOLERANCE_M: Final = 0.1
MAX_TOLERANCE_M: Final = 1_000_000.0

#: WGS84 semi-major axis (equatorial radius), metres.
WGS84_A_M: Final = 6378137.0
#: WGS84 flattening.
WGS84_F: Final = 1.0 / 298.257223563
_B_M: Final = WGS84_A_M * (1.0 - WGS84_F)

#: Half the WGS84 meridian: the geodesic distance from pole to pole, metres. No two points on
#: the ellipsoid are farther apart, so a disk of this radius is the whole Earth. It is
#: ``geod().inv(0, -90, 0, 90)[2]``, written out so that importing this module needs no
#: pyproj; a test checks the two agree.
HALF_MERIDIAN_M: Final = 20003931.458625447


@functools.cache
def geod() -> Geod:
    """The shared ``pyproj.Geod(ellps="WGS84")``, built on first use.

    Its ``inv`` and ``fwd`` take **longitude first**, unlike everything else in weaponsref.
    """
    from pyproj import Geod

    return Geod(ellps="WGS84")


def inverse_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The geodesic distance in metres from (lat1, lon1) to (lat2, lon2), degrees, on WGS84.

    The arguments are floats the caller has already checked: nothing is validated here, so
    that this costs little more than one bare ``Geod.inv`` call (pyproj takes scalar floats
    on a fast path of its own).

    >>> round(inverse_m(0.0, 0.0, 0.0, 1.0), 3)
    111319.491
    """
    # geod() is a functools.cache hit: a dict lookup, cheaper than building arrays.
    s12: float = geod().inv(lon1, lat1, lon2, lat2)[2]
    return s12


def inverse(lat1: float, lon1: float, lat2: float, lon2: float) -> tuple[float, float, float]:
    """Azimuths and distance of the geodesic from (lat1, lon1) to (lat2, lon2) on WGS84.

    Returns ``(azimuth1, azimuth2, distance_m)``: the azimuths are in degrees clockwise from
    north in [-180, 180], each the direction of travel (GeographicLib's convention: ``azimuth2``
    is the forward azimuth at the second point, not pyproj's default back azimuth).
    Arguments are already-checked floats, as for :func:`inverse_m`.

    >>> [round(x, 6) for x in inverse(0.0, 0.0, 0.0, 1.0)]
    [90.0, 90.0, 111319.490793]
    """
    azi1, azi2, s12 = geod().inv(lon1, lat1, lon2, lat2, return_back_azimuth=False)
    return float(azi1), float(azi2), float(s12)


# --------------------------------------------------------------------------------------------
# Checks
# --------------------------------------------------------------------------------------------

_SWAP_HINT = "; weaponsref takes latitude first: did you swap latitude and longitude?"
_LON_HINT = "; wrap it into [-180, 180], e.g. ((lon + 180) % 360) - 180"


def _real(value: object, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise CoordinateError(
            f"{what} must be a number of degrees (got {value!r} that is a {type(value).__name__})"
        )
    return float(value)


def _check_origin(lat0: object, lon0: object) -> tuple[float, float]:
    """The origin as floats, or CoordinateError naming the bad value and the fix."""
    lat = _real(lat0, "the origin's latitude")
    lon = _real(lon0, "the origin's longitude")
    if not -90.0 <= lat <= 90.0:
        hint = _SWAP_HINT if math.isfinite(lat) and abs(lat) <= 180 and abs(lon) <= 90 else ""
        raise CoordinateError(
            f"the origin's latitude {lat!r} is outside [-90, 90]; give (latitude, longitude) "
            f"in degrees{hint}"
        )
    if not -180.0 <= lon <= 180.0:
        hint = _LON_HINT if math.isfinite(lon) else ""
        raise CoordinateError(f"the origin's longitude {lon!r} is outside [-180, 180]{hint}")
    return lat, lon


def _check_range(range_m: object, *, allow_zero: bool) -> float:
    """The range as a float of metres, or UnitError (a ValueError) naming the value and the fix."""
    if isinstance(range_m, bool) or not isinstance(range_m, numbers.Real):
        raise UnitError(
            f"range_m must be a number of metres (got {range_m!r} that is a "
            f"{type(range_m).__name__}); convert a quantity with .m_as('m')"
        )
    value = float(range_m)
    if not math.isfinite(value) or value < 0.0 or (value == 0.0 and not allow_zero):
        least = "0 or more" if allow_zero else "more than 0"
        raise UnitError(f"range_m must be a finite number of metres, {least} (got {range_m!r})")
    return value


def _check_targets(lats: object, lons: object) -> tuple[FloatArray, FloatArray, tuple[int, ...]]:
    """Flat float64 arrays of the targets and their common shape, or CoordinateError.

    The arrays may be views of the caller's data: never write to them.
    """
    arrays = []
    for values, name in ((lats, "latitudes"), (lons, "longitudes")):
        try:
            array = np.asarray(values)
        except (TypeError, ValueError) as error:  # e.g. ragged nested lists
            raise CoordinateError(f"cannot read the {name} as an array: {error}") from None
        if array.dtype.kind not in "iuf":
            raise CoordinateError(
                f"the {name} must be numbers of degrees (got an array of dtype {array.dtype})"
            )
        arrays.append(array)
    lat, lon = arrays
    if lat.shape != lon.shape:
        raise CoordinateError(
            f"latitudes and longitudes must have the same shape (got {lat.shape} and {lon.shape})"
        )
    shape = lat.shape
    flat_lat = np.ascontiguousarray(lat, dtype=np.float64).reshape(-1)
    flat_lon = np.ascontiguousarray(lon, dtype=np.float64).reshape(-1)
    # Only on failure do we pay for finding the first bad index.
    if not _all_within(flat_lat, 90.0):
        bad = int(np.flatnonzero(~(np.abs(flat_lat) <= 90.0))[0])
        value = float(flat_lat[bad])
        swap = abs(value) <= 180 and abs(float(flat_lon[bad])) <= 90
        raise CoordinateError(
            f"latitude {value!r} at index {_index(bad, shape)} is outside [-90, 90]; give "
            f"latitudes in degrees{_SWAP_HINT if swap else ''}"
        )
    if not _all_within(flat_lon, 180.0):
        bad = int(np.flatnonzero(~(np.abs(flat_lon) <= 180.0))[0])
        value = float(flat_lon[bad])
        raise CoordinateError(
            f"longitude {value!r} at index {_index(bad, shape)} is outside [-180, 180]"
            f"{_LON_HINT if math.isfinite(value) else ''}"
        )
    return flat_lat, flat_lon, shape


def _all_within(values: FloatArray, limit: float) -> bool:
    """Whether every value is in [-limit, limit] (so finite and not NaN)."""
    if values.size <= 32:
        # A numpy reduction costs about 1 us however small the array; plain Python is cheaper.
        return all(-limit <= v <= limit for v in values.tolist())
    # min and max are one fast pass each, and NaN propagates through them, so two comparisons
    # catch NaN, infinities and values out of range alike.
    return bool(np.min(values) >= -limit and np.max(values) <= limit)


def _index(flat: int, shape: tuple[int, ...]) -> int | tuple[int, ...]:
    if len(shape) == 1:
        return flat
    return tuple(int(i) for i in np.unravel_index(flat, shape))


# --------------------------------------------------------------------------------------------
# Exact masks
# --------------------------------------------------------------------------------------------
#
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
# at the poles; tests/test_geodesy_core.py checks them on hundreds of thousands of pairs. We
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

_DEG: Final = math.pi / 180.0
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


def _unit_vector(lat: float, lon: float) -> FloatArray:
    """The unit vector (x, y, z) of one point, float64."""
    cos_lat = math.cos(lat * _DEG)
    return np.array(
        [cos_lat * math.cos(lon * _DEG), cos_lat * math.sin(lon * _DEG), math.sin(lat * _DEG)]
    )


def _unit_vectors(flat_lat: FloatArray, flat_lon: FloatArray) -> FloatArray:
    """Unit vectors of the targets, float64, as rows x, y, z: shape (3, n), C-contiguous."""
    xyz = np.empty((3, flat_lat.size), dtype=np.float64)
    lat = np.multiply(flat_lat, _DEG)
    lon = np.multiply(flat_lon, _DEG)
    cos_lat = np.cos(lat)
    np.sin(lat, out=xyz[2])
    np.multiply(cos_lat, np.cos(lon), out=xyz[0])
    np.multiply(cos_lat, np.sin(lon, out=lon), out=xyz[1])
    return xyz


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

    Raises :class:`CoordinateError` for a bad origin or target (naming the first bad index)
    and ``ValueError`` for a range that is negative, NaN or infinite.

    >>> within_range_m(50.45, 30.5233, 500e3, [55.7558, 46.4857], [37.6173, 30.7434]).tolist()
    [False, True]
    >>> within_range_m(50.45, 30.5233, 500e3, [50.46, 46.4857], [30.5233, 30.7434],
    ...                min_range_m=10e3).tolist()
    [False, True]
    """
    lat0, lon0 = _check_origin(lat0, lon0)
    range_m = _check_range(range_m, allow_zero=True)
    flat_lat, flat_lon, shape = _check_targets(lats, lons)
    cos_angle = _cos_angle_f32(lat0, lon0, flat_lat, flat_lon)
    mask = _mask(cos_angle, lat0, lon0, range_m, flat_lat, flat_lon)
    _cut_inner(mask, cos_angle, lat0, lon0, min_range_m, flat_lat, flat_lon)
    return mask.reshape(shape)


def _cut_inner(
    mask: BoolArray,
    cos_angle: Float32Array,
    lat0: float,
    lon0: float,
    min_range_m: float | None,
    flat_lat: FloatArray,
    flat_lon: FloatArray,
) -> None:
    """Clear, in place, the targets nearer than ``min_range_m`` (strictly): the same exact
    mask, at the largest float below the minimum range."""
    if min_range_m is None:
        return
    inner = _check_range(min_range_m, allow_zero=True)
    if inner == 0.0:
        return
    mask &= ~_mask(cos_angle, lat0, lon0, math.nextafter(inner, 0.0), flat_lat, flat_lon)


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
        ``Geod.inv(lon0 * ones, lat0 * ones, lons, lats)[2] <= range_m`` (inclusive). Raises
        :class:`~weaponsref.CoordinateError` for a bad origin and ``ValueError`` for a range
        that is negative, NaN or infinite. ``min_range_m`` leaves out the targets nearer than
        it, as :func:`within_range_m` does.
        """
        lat0, lon0 = _check_origin(lat0, lon0)
        range_m = _check_range(range_m, allow_zero=True)
        cos_angle = _cos_angle_prepared(self._xyz32, lat0, lon0)
        mask = _mask(cos_angle, lat0, lon0, range_m, self._flat_lat, self._flat_lon)
        _cut_inner(mask, cos_angle, lat0, lon0, min_range_m, self._flat_lat, self._flat_lon)
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


# --------------------------------------------------------------------------------------------
# Range rings
# --------------------------------------------------------------------------------------------

# A ring vertex counts as on the disk's edge if its geodesic distance back to the origin is
# within this of the range. Beyond the cut locus (ranges past about pi * b = 19,970 km from
# an equatorial origin) Geod.fwd keeps following a geodesic that is no longer the shortest,
# and the point it reaches is kilometres nearer than the range: such vertices are dropped.
_CUT_TOL_M: Final = 1e-3
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

Position = tuple[float, float]

# Adaptive rings: each edge's sag is sampled at this many points, and must be within this
# share of the tolerance (sampling misses under 1 % of a smooth sag at 16 samples; rounding
# takes at most a tenth of the tolerance).
_SAG_SAMPLES: Final = 16
_SAG_SHARE: Final = 0.75
# Azimuth steps below this (degrees) are not split again.
_MIN_AZ_STEP: Final = 1e-9
# A crossing vertex this close to +-180 degrees is put on it (0.1 m at most).
_SNAP_DEG: Final = 1e-6
# Below this range no geodesic from any origin meets the cut locus: every azimuth reaches the
# edge of the disk. (The nearest cut-locus points, from an equatorial origin, are pi * b =
# 19,970 km away.)
_CUT_FREE_M: Final = 19.96e6
# Metres in a degree of latitude, at most (the polar meridian radius), and the finest rounding.
_M_PER_DEG: Final = 111_700.0
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
    vertices are ``Geod.fwd`` from the origin at azimuths chosen by adaptive subdivision, so
    that no point of any edge *as drawn* (a straight segment in longitude and latitude, which
    is what RFC 7946 means) is farther than ``tolerance_m`` from the true geodesic circle,
    measured as the geodesic distance from the origin. Positions are rounded to the fewest
    decimals that keep a tenth of the tolerance (and of the range). Besides the circle's own
    vertices:

    - where the circle crosses the antimeridian, the azimuth of the crossing is found by
      bisection and its vertex (on the circle to well under 1 m) is put at exactly -180 and
      +180; a disk that is cut in two becomes a ``MultiPolygon``;
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

    ``range_m`` must be finite and above 0; above :data:`HALF_MERIDIAN_M` (the largest
    geodesic distance there is) it is clamped to it, with a
    :class:`~weaponsref.WeaponsrefWarning` naming both, and the geometry is then the whole
    Earth (``used_range_m`` tells the caller). A bad origin raises
    :class:`~weaponsref.CoordinateError`; a bad range, tolerance or ``points``, ``ValueError``.

    >>> geometry, used = ring_geometry(50.45, 30.5233, 1000e3, points=8)
    >>> geometry["type"], len(geometry["coordinates"][0]), used
    ('Polygon', 9, 1000000.0)
    >>> geometry, used = ring_geometry(50.45, 30.5233, 1000e3)  # to 100 m
    >>> len(geometry["coordinates"][0])
    367
    """
    lat0, lon0 = _check_origin(lat0, lon0)
    asked = _check_range(range_m, allow_zero=False)
    if points is not None and (
        isinstance(points, bool)
        or not isinstance(points, numbers.Integral)
        or not 3 <= points <= MAX_RING_POINTS
    ):
        raise LimitError(
            f"points must be a whole number from 3 to {MAX_RING_POINTS:,} (got {points!r:.40})"
        )
    legacy = points is not None and tolerance_m is None
    tolerance = DEFAULT_TOLERANCE_M if tolerance_m is None else _check_tolerance(tolerance_m)
    used = asked
    if asked > HALF_MERIDIAN_M:
        used = HALF_MERIDIAN_M
        warnings.warn(
            f"range {asked:.3f} m is beyond half the WGS84 meridian; clamped to "
            f"{HALF_MERIDIAN_M:.3f} m, which already covers the whole Earth",
            WeaponsrefWarning,
            stacklevel=3,  # tuned for weaponsref.range_ring, the public caller
        )
    inner = None
    if inner_m is not None:
        inner = _check_range(inner_m, allow_zero=True)
        if inner > 0.0 and inner > min(used, asked) - 2.0 * tolerance:
            raise LimitError(
                f"the minimum range {inner:.3f} m must be below the range {asked:.3f} m less "
                f"twice the tolerance ({2 * tolerance:g} m)"
            )
    far_within_tolerance = not legacy and HALF_MERIDIAN_M - used <= tolerance
    if used >= HALF_MERIDIAN_M or far_within_tolerance:
        # Every point farther than the range lies within HALF_MERIDIAN_M - range of the
        # circle (along its geodesic from the origin): within the tolerance, the whole Earth.
        outer: dict[str, Any] = {"type": "Polygon", "coordinates": [[list(p) for p in _WORLD]]}
    elif legacy:
        assert points is not None
        outer = _legacy_ring(lat0, lon0, used, int(points))
    else:
        outer = _tolerance_ring(lat0, lon0, used, tolerance, 16 if points is None else int(points))
    if inner:
        outer = _with_hole(outer, _tolerance_ring(lat0, lon0, inner, tolerance, 16))
    return outer, used


def _check_tolerance(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise UnitError(
            f"tolerance_m must be a number of metres (got {value!r:.40} that is a "
            f"{type(value).__name__})"
        )
    tolerance = float(value)
    if not MIN_TOLERANCE_M <= tolerance <= MAX_TOLERANCE_M:
        raise LimitError(
            f"the tolerance must be from {MIN_TOLERANCE_M:g} m to {MAX_TOLERANCE_M:,.0f} m "
            f"(got {value!r:.40} m)"
        )
    return tolerance


def _legacy_ring(lat0: float, lon0: float, range_m: float, points: int) -> dict[str, Any]:
    """The ring of ``points`` evenly spaced azimuths, unrounded (the pre-tolerance rings)."""
    lons, lats = _ring_vertices(lat0, lon0, range_m, points)
    north = inverse_m(lat0, lon0, 90.0, 0.0) <= range_m
    south = inverse_m(lat0, lon0, -90.0, 0.0) <= range_m
    polygons = _cut_and_close(lons, lats, north=north, south=south)
    coordinates = [[[list(p) for p in ring] for ring in polygon] for polygon in polygons]
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
    for pole in (90.0, -90.0):
        to_pole = inverse_m(lat0, lon0, pole, 0.0)
        if abs(to_pole - range_m) <= 2.0 * step_m and to_pole + 4.0 * step_m < HALF_MERIDIAN_M:
            range_m = to_pole + 4.0 * step_m
            decimals = _decimals(min(tolerance, range_m, HALF_MERIDIAN_M - range_m))
    lons, lats = _adaptive_vertices(lat0, lon0, range_m, tolerance, initial)
    canonical = [x - 360.0 if x >= 180.0 else x for x in lons]
    turns = 0
    for a, b in itertools.pairwise([*canonical, canonical[0]]):
        step = b - a
        turns += 1 if step < -180.0 else -1 if step > 180.0 else 0
    near_north = inverse_m(lat0, lon0, 90.0, 0.0) <= range_m
    near_south = inverse_m(lat0, lon0, -90.0, 0.0) <= range_m
    if turns in (-1, 0, 1):
        # The drawn ring itself says which pole it goes round: trust it over the distance
        # tests, which disagree only when the circle passes within a hair of a pole.
        both = turns == 0 and near_north and near_south
        north, south = turns == 1 or both, turns == -1 or both
    else:
        north, south = near_north, near_south
    polygons = _cut_and_close(lons, lats, north=north, south=south)
    return _rounded_geometry(polygons, decimals)


def _decimals(length_m: float) -> int:
    """Decimals of a degree whose rounding moves a position by under a tenth of ``length_m``."""
    step_deg = max(0.1 * length_m / _M_PER_DEG, 10.0**-_MAX_DECIMALS)
    return max(6, min(_MAX_DECIMALS, math.ceil(-math.log10(step_deg))))


def _rounded_geometry(polygons: list[list[list[Position]]], decimals: int) -> dict[str, Any]:
    """Round positions to ``decimals``; keep the circle's own vertices off the frame.

    A vertex on the frame (longitude exactly +-180, the antimeridian cuts and corners) stays
    there; any other vertex is kept strictly inside the lon/lat rectangle after rounding, so
    that rounding cannot lay it on a frame edge of the same polygon (a self-intersection).
    Rings that rounding collapses (fewer than three distinct positions, or no area) go.
    """
    q = 10.0**-decimals
    lat_max = round(90.0 - q, decimals)
    lon_max = round(180.0 - q, decimals)
    out: list[list[list[list[float]]]] = []
    for polygon in polygons:
        rings: list[list[list[float]]] = []
        for k, ring in enumerate(polygon):
            rounded: list[Position] = []
            for lon, lat in ring[:-1]:
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
    return _shapely_difference(outer, inner)


def _point_in_rings(x0: float, y0: float, rings: list[list[list[float]]]) -> bool:
    """Even-odd test of one point against a polygon's rings, in the lon/lat plane."""
    inside = False
    for ring in rings:
        for (x1, y1), (x2, y2) in itertools.pairwise(ring):
            if (y1 > y0) != (y2 > y0) and x0 < x1 + (y0 - y1) * (x2 - x1) / (y2 - y1):
                inside = not inside
    return inside


def _shapely_difference(outer: dict[str, Any], inner: dict[str, Any]) -> dict[str, Any]:
    try:
        import shapely
        from shapely.geometry import mapping, shape
        from shapely.geometry.polygon import orient
    except ImportError:
        raise MissingExtraError(
            "a minimum-range hole that crosses the antimeridian or holds a pole needs shapely; "
            "install it with: pip install 'weaponsref[areas]'"
        ) from None
    result = shapely.make_valid(shape(outer).difference(shape(inner)))
    parts = [g for g in getattr(result, "geoms", [result]) if g.geom_type == "Polygon"]
    parts = [orient(p, sign=1.0) for p in parts if not p.is_empty]
    coordinates = [
        [[[float(x), float(y)] for x, y in ring] for ring in mapping(p)["coordinates"]]
        for p in parts
    ]
    if len(coordinates) == 1:
        return {"type": "Polygon", "coordinates": coordinates[0]}
    return {"type": "MultiPolygon", "coordinates": coordinates}


def _fwd(
    lat0: float, lon0: float, range_m: float, azimuths: FloatArray
) -> tuple[FloatArray, FloatArray]:
    n = azimuths.size
    lons, lats, _ = geod().fwd(np.full(n, lon0), np.full(n, lat0), azimuths, np.full(n, range_m))
    return np.asarray(lons, dtype=np.float64), np.asarray(lats, dtype=np.float64)


def _drawn_step(lon1: FloatArray, lon2: FloatArray) -> FloatArray:
    """The longitude step of the straight edge drawn from lon1 to lon2, as the cut draws it:
    +180 read as -180, and a step of more than 180 degrees taken the other way round."""
    a = np.where(lon1 >= 180.0, lon1 - 360.0, lon1)
    b = np.where(lon2 >= 180.0, lon2 - 360.0, lon2)
    step = b - a
    return np.where(step > 180.0, step - 360.0, np.where(step < -180.0, step + 360.0, step))


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
    whose drawn longitude step jumps across the antimeridian is split at the crossing, found
    by bisection, and that vertex is put at exactly +-180.
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
            lon1, lon2 = lon[edges], lon[edges + 1]
            snapped = (np.abs(lon1) == 180.0) | (np.abs(lon2) == 180.0)
            raw = np.where(lon2 >= 180.0, lon2 - 360.0, lon2) - np.where(
                lon1 >= 180.0, lon1 - 360.0, lon1
            )
            wraps = (np.abs(raw) > 180.0) & ~snapped
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
                found = _bisect_crossing(lat0, lon0, range_m, az[c], az[c + 1], lon[c])
                # A crossing at an end of the edge makes no progress: split at the middle.
                inside = (found < az[c]) & (found > az[c + 1])
                new_az[crossing] = np.where(inside, found, new_az[crossing])
            new_lon, new_lat = _fwd(lat0, lon0, range_m, new_az)
            near = (np.abs(new_lon) > 180.0 - _SNAP_DEG) & crossing
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


def _bisect_crossing(
    lat0: float,
    lon0: float,
    range_m: float,
    az1: FloatArray,
    az2: FloatArray,
    lon1: FloatArray,
) -> FloatArray:
    """For each edge, an azimuth between az1 and az2 where the longitude changes sign, on the
    side of lon1 (at the antimeridian, or at 0 when the circle runs round a pole)."""
    side = lon1 >= 0.0
    lo, hi = az1.copy(), az2.copy()
    for _ in range(64):
        middle = 0.5 * (lo + hi)
        lon, _ = _fwd(lat0, lon0, range_m, middle)
        same = (lon >= 0.0) == side
        lo = np.where(same, middle, lo)
        hi = np.where(same, hi, middle)
    return lo


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


def _cut_and_close(
    lons: list[float], lats: list[float], *, north: bool, south: bool
) -> list[list[list[Position]]]:
    """Polygons (lists of closed rings) from a counter-clockwise ring around the disk."""
    n = len(lons)
    # Canonical longitudes in [-180, 180): +180 is the same meridian as -180.
    lon = [x - 360.0 if x >= 180.0 else x for x in lons]
    lat = list(lats)
    step = [lon[(i + 1) % n] - lon[i] for i in range(n)]
    # wraps[i] = +1 when the edge i -> i+1 crosses the antimeridian eastwards, -1 westwards.
    wraps = [1 if s < -180.0 else -1 if s > 180.0 else 0 for s in step]
    # Going once round the ring changes longitude by 360 degrees times (poles held on the
    # left): +1 for the north pole only, -1 for the south only. An edge passing within a hair
    # of a pole can look like a 180-degree step either way; the pole tests (by distance) are
    # sure, so re-read the most ambiguous steps until the ring agrees with them.
    wanted = int(north) - int(south)
    while sum(wraps) != wanted:
        delta = 1 if sum(wraps) < wanted else -1
        effective = [s + 360.0 * w for s, w in zip(step, wraps, strict=True)]
        i = min(range(n), key=lambda k: delta * effective[k])
        wraps[i] += delta
    if not any(wraps):
        ring = _dedupe([(lon[i], lat[i]) for i in range(n)])
        ring.append(ring[0])
        if north and south:
            # The disk holds both poles: it is the world less the far region, whose edge this
            # ring runs round clockwise, as RFC 7946 wants of a hole.
            return [[list(_WORLD), ring]]
        return [[ring]]
    # Cut the ring into arcs at every antimeridian crossing, each arc from edge to edge.
    first = next(i for i in range(n) if wraps[i]) + 1
    arcs: list[list[Position]] = []
    current: list[Position] = []
    for k in range(n):
        i = (first + k) % n
        j = (i + 1) % n
        current.append((lon[i], lat[i]))
        if wraps[i]:
            boundary = 180.0 if wraps[i] > 0 else -180.0
            x_next = lon[j] + 360.0 * wraps[i]
            t = (boundary - lon[i]) / (x_next - lon[i])
            crossing = lat[i] + t * (lat[j] - lat[i])
            current.append((boundary, crossing))
            arcs.append(current)
            current = [(-boundary, crossing)]
    arcs[0] = current + arcs[0]
    # Join each arc's end to the next arc's start by walking the rectangle's edge
    # counter-clockwise (interior on the left), through any corners on the way: this closes
    # rings over a pole and cuts notches where the far region straddles the antimeridian.
    starts = [_perimeter(arc[0]) for arc in arcs]
    unused = set(range(len(arcs)))
    polygons: list[list[list[Position]]] = []
    while unused:
        k = min(unused)
        head = k
        ring = []
        while True:
            unused.discard(k)
            ring.extend(arcs[k])
            end = _perimeter(arcs[k][-1])
            k = min(range(len(arcs)), key=lambda m: (starts[m] - end) % _PERIMETER)
            gap = (starts[k] - end) % _PERIMETER
            corners = sorted(
                ((c - end) % _PERIMETER, p) for c, p in _CORNERS if 0 < (c - end) % _PERIMETER < gap
            )
            ring.extend(p for _, p in corners)
            if k == head or k not in unused:
                break
        ring = _dedupe(ring)
        if ring[0] == ring[-1]:
            ring.pop()
        if len(ring) >= 3 and _area(ring) > 0.0:
            ring.append(ring[0])
            polygons.append([ring])
    return polygons
