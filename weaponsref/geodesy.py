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
import math
import numbers
import warnings
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import numpy.typing as npt

from .errors import CoordinateError, LimitError, UnitError, WeaponsrefWarning

if TYPE_CHECKING:
    from pyproj import Geod

__all__ = [
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
    lat0: float, lon0: float, range_m: float, lats: npt.ArrayLike, lons: npt.ArrayLike
) -> BoolArray:
    """Which targets lie within ``range_m`` metres of (lat0, lon0) on WGS84, exactly.

    ``lats`` and ``lons`` are array-likes of degrees of the same shape (any shape; latitudes
    in [-90, 90], longitudes in [-180, 180]); the result is a boolean array of that shape.
    It is identical, point for point, to
    ``Geod.inv(lon0 * ones, lat0 * ones, lons, lats)[2] <= range_m`` (inclusive), but only
    the points in a thin band near the range are run through ``Geod.inv``; a proven bound
    settles the rest (see the comment above ``_cos_thresholds``). For many queries against
    the same points, a :class:`TargetSet` is several times faster still.

    Raises :class:`CoordinateError` for a bad origin or target (naming the first bad index)
    and ``ValueError`` for a range that is negative, NaN or infinite.

    >>> within_range_m(50.45, 30.5233, 500e3, [55.7558, 46.4857], [37.6173, 30.7434]).tolist()
    [False, True]
    """
    lat0, lon0 = _check_origin(lat0, lon0)
    range_m = _check_range(range_m, allow_zero=True)
    flat_lat, flat_lon, shape = _check_targets(lats, lons)
    cos_angle = _cos_angle_f32(lat0, lon0, flat_lat, flat_lon)
    return _mask(cos_angle, lat0, lon0, range_m, flat_lat, flat_lon).reshape(shape)


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

    def within(self, lat0: float, lon0: float, range_m: float) -> BoolArray:
        """Which targets lie within ``range_m`` metres of (lat0, lon0), degrees, on WGS84.

        A boolean array in :attr:`shape`, identical point for point to
        ``Geod.inv(lon0 * ones, lat0 * ones, lons, lats)[2] <= range_m`` (inclusive). Raises
        :class:`~weaponsref.CoordinateError` for a bad origin and ``ValueError`` for a range
        that is negative, NaN or infinite.
        """
        lat0, lon0 = _check_origin(lat0, lon0)
        range_m = _check_range(range_m, allow_zero=True)
        cos_angle = _cos_angle_prepared(self._xyz32, lat0, lon0)
        mask = _mask(cos_angle, lat0, lon0, range_m, self._flat_lat, self._flat_lon)
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


def ring_geometry(
    lat0: float, lon0: float, range_m: float, points: int = 360
) -> tuple[dict[str, Any], float]:
    """A GeoJSON geometry (RFC 7946) of every point within ``range_m`` metres of the origin.

    Returns ``(geometry, used_range_m)``. ``geometry`` is a ``Polygon`` or ``MultiPolygon``
    dict with ``[lon, lat]`` positions, longitudes in [-180, 180] and latitudes in [-90, 90],
    exterior rings counter-clockwise and holes clockwise (the right-hand rule), each ring
    closed (first position repeated last).

    The vertices are ``Geod.fwd`` from the origin at ``points`` evenly spaced azimuths, so each
    lies at the range (to well under a millimetre). Besides them:

    - a ring crossing the antimeridian is cut there, with a vertex inserted at exactly
      +-180 on each side; its latitude is interpolated linearly in longitude between the two
      neighbouring vertices, that is on the straight lon/lat edge that RFC 7946 draws between
      them, so nothing moves. A disk that is cut in two becomes a ``MultiPolygon``;
    - a disk holding a pole is closed over it along +-180 and latitude +-90;
    - a disk holding both poles (possible from about 10,002 km, a quarter meridian) is the
      whole lon/lat rectangle less the far region around the antipode: a hole, or notches
      in the +-180 edges when that region straddles the antimeridian;
    - past the cut locus (from about 19,970 km) some azimuths reach no edge point: their
      vertices are dropped, and where the surviving arcs end the azimuth at which the
      geodesic stops being shortest is found by bisection and used as a vertex (also at the
      range). Azimuths 0 and 180, which stay shortest up to the half meridian, are always
      tried.

    ``range_m`` must be finite and above 0; above :data:`HALF_MERIDIAN_M` it is clamped to it,
    with a :class:`~weaponsref.WeaponsrefWarning` naming both, and the geometry is then the
    whole Earth (``used_range_m`` tells the caller). ``points`` is a whole number, at least 3.
    A bad origin raises :class:`~weaponsref.CoordinateError`; a bad range or ``points``,
    ``ValueError``.

    >>> geometry, used = ring_geometry(50.45, 30.5233, 1000e3, points=8)
    >>> geometry["type"], len(geometry["coordinates"][0]), used
    ('Polygon', 9, 1000000.0)
    """
    lat0, lon0 = _check_origin(lat0, lon0)
    asked = _check_range(range_m, allow_zero=False)
    if (
        isinstance(points, bool)
        or not isinstance(points, numbers.Integral)
        or not 3 <= points <= MAX_RING_POINTS
    ):
        raise LimitError(
            f"points must be a whole number from 3 to {MAX_RING_POINTS:,} (got {points!r:.40})"
        )
    used = asked
    if asked > HALF_MERIDIAN_M:
        used = HALF_MERIDIAN_M
        warnings.warn(
            f"range {asked:.3f} m is beyond half the WGS84 meridian; clamped to "
            f"{HALF_MERIDIAN_M:.3f} m, which already covers the whole Earth",
            WeaponsrefWarning,
            stacklevel=3,  # tuned for weaponsref.range_ring, the public caller
        )
    if used >= HALF_MERIDIAN_M:
        return {"type": "Polygon", "coordinates": [[list(p) for p in _WORLD]]}, used
    lons, lats = _ring_vertices(lat0, lon0, used, int(points))
    north = inverse_m(lat0, lon0, 90.0, 0.0) <= used
    south = inverse_m(lat0, lon0, -90.0, 0.0) <= used
    polygons = _cut_and_close(lons, lats, north=north, south=south)
    coordinates = [[[list(p) for p in ring] for ring in polygon] for polygon in polygons]
    if len(coordinates) == 1:
        return {"type": "Polygon", "coordinates": coordinates[0]}, used
    return {"type": "MultiPolygon", "coordinates": coordinates}, used


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
