"""The geodesy core: WGS84 constants, the shared ``pyproj.Geod``, one geodesic, and the
argument checks every other module of :mod:`weaponsref.geo` shares.

Every distance in :mod:`weaponsref.geo` is the geodesic on the WGS84 ellipsoid computed by
GeographicLib's algorithm (Karney 2013) through :class:`pyproj.Geod`. Arguments are plain
floats in degrees and metres, **latitude first**; pyproj's longitude-first order stays inside
the package. pyproj is imported on first use, so importing this module costs only numpy.

This is the geodesy layer: it knows nothing of systems, claims or catalogues.
:mod:`weaponsref.reach` is where a system's claim meets it. This module offers
:func:`inverse_m` and :func:`inverse` (one geodesic, as fast as a bare ``Geod.inv`` call) and
:func:`check_range_m`; masks are in ``_masks``, rings in ``_rings``, areas in ``_areas``.

>>> round(inverse_m(50.45, 30.5233, 55.7558, 37.6173), 3)
757104.357
>>> check_range_m(500e3)
500000.0
"""

from __future__ import annotations

import functools
import math
import numbers
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import numpy.typing as npt

from weaponsref.errors import CoordinateError, LimitError, UnitError

if TYPE_CHECKING:
    from pyproj import Geod

__all__ = [
    "DEFAULT_TOLERANCE_M",
    "EARTH_MODEL",
    "HALF_MERIDIAN_M",
    "MAX_RING_POINTS",
    "MAX_TOLERANCE_M",
    "MIN_RANGE_M",
    "MIN_TOLERANCE_M",
    "WGS84_A_M",
    "WGS84_F",
    "check_range_m",
    "geod",
    "inverse",
    "inverse_m",
]

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

# Points handled at once by the bulk masks and a TargetSet's build: the temporaries are a few
# bytes a point of this, whatever the number of points, and it is large enough that numpy's
# fixed cost per call is lost in it.
_BLOCK: Final = 1 << 16

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

#: The shortest range weaponsref draws or measures from, metres (0 is allowed where a range
#: of nothing makes sense, in masks). No published range is shorter; below it a ring would
#: round away to nothing, and a denormal range gives denormal verdicts.
MIN_RANGE_M: Final = 1.0

#: WGS84 semi-major axis (equatorial radius), metres.
WGS84_A_M: Final = 6378137.0
#: WGS84 flattening.
WGS84_F: Final = 1.0 / 298.257223563
_B_M: Final = WGS84_A_M * (1.0 - WGS84_F)
# The first eccentricity squared, e^2 = f (2 - f).
_E2: Final = WGS84_F * (2.0 - WGS84_F)

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
    if (
        type(lat0) is float
        and type(lon0) is float
        and -90.0 <= lat0 <= 90.0
        and -180.0 <= lon0 <= 180.0
    ):
        return lat0, lon0  # the common case, checked in a few comparisons
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


def check_range_m(value: object, *, what: str = "range") -> float:
    """``value`` as a float of metres: 0, or from :data:`MIN_RANGE_M` (1 m) up, finite.

    ``what`` names the value in the messages. Raises :class:`~weaponsref.UnitError` for
    anything but a real number (convert a quantity with ``.m_as('m')``) and for a negative,
    NaN or infinite one, and :class:`~weaponsref.LimitError` for a range above 0 but below
    :data:`MIN_RANGE_M` (a millimetre, or a denormal such as 1e-317), which nothing can draw.

    >>> check_range_m(0.5, what="the range of 'Bober'")
    Traceback (most recent call last):
    ...
    weaponsref.errors.LimitError: the range of 'Bober' 0.5 m is below MIN_RANGE_M, the shortest range weaponsref draws or measures (1 m); give 0 or at least 1 m
    """
    return _check_range(value, allow_zero=True, what=what)


def _check_range(value: object, *, allow_zero: bool, what: str = "range_m") -> float:
    """The range as a float of metres, or UnitError (a ValueError) naming the value and the
    fix, or LimitError for a range above 0 but below :data:`MIN_RANGE_M`."""
    if type(value) is float and MIN_RANGE_M <= value < math.inf:
        return value  # the common case, checked in two comparisons
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise UnitError(
            f"{what} must be a number of metres (got {value!r:.40} that is a "
            f"{type(value).__name__}); convert a quantity with .m_as('m')"
        )
    metres = float(value)
    if not math.isfinite(metres) or metres < 0.0 or (metres == 0.0 and not allow_zero):
        least = "0 or more" if allow_zero else "more than 0"
        raise UnitError(f"{what} must be a finite number of metres, {least} (got {value!r:.40})")
    if 0.0 < metres < MIN_RANGE_M:
        zero = "0 or " if allow_zero else ""
        raise LimitError(
            f"{what} {value!r:.40} m is below MIN_RANGE_M, the shortest range weaponsref draws "
            f"or measures ({MIN_RANGE_M:g} m); give {zero}at least {MIN_RANGE_M:g} m"
        )
    return metres


def _check_tolerance(value: object) -> float:
    """A ring's or a buffer's tolerance as a float of metres, from :data:`MIN_TOLERANCE_M` to
    :data:`MAX_TOLERANCE_M`: UnitError for anything but a number, LimitError outside them."""
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


def _check_targets(lats: object, lons: object) -> tuple[FloatArray, FloatArray, tuple[int, ...]]:
    """Flat float64 arrays of the targets and their common shape, or CoordinateError.

    The arrays may be views of the caller's data: never write to them.
    """
    lat, lon, shape = _target_arrays(lats, lons)
    flat_lat = np.ascontiguousarray(lat, dtype=np.float64).reshape(-1)
    flat_lon = np.ascontiguousarray(lon, dtype=np.float64).reshape(-1)
    # Only on failure do we pay for finding the first bad index.
    if not (_all_within(flat_lat, 90.0) and _all_within(flat_lon, 180.0)):
        _raise_bad_target(flat_lat, flat_lon, shape)
    return flat_lat, flat_lon, shape


def _target_arrays(
    lats: object, lons: object
) -> tuple[npt.NDArray[Any], npt.NDArray[Any], tuple[int, ...]]:
    """The targets as two arrays of numbers of one shape, their values not yet checked; or
    CoordinateError. The arrays may be the caller's own: never write to them."""
    arrays = []
    for values, name in ((lats, "latitudes"), (lons, "longitudes")):
        if type(values) is np.ndarray:
            array = values
        else:
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
    return lat, lon, lat.shape


def _flat_block(array: npt.NDArray[Any], start: int, stop: int) -> FloatArray:
    """Elements ``start:stop`` of ``array`` in C order, as float64: a view of the caller's
    data where it can be (never write to it), else a copy of just those elements."""
    flat = array.reshape(-1) if array.flags.c_contiguous else array.flat
    block = flat[start:stop]
    if block.dtype != np.float64:
        block = block.astype(np.float64)
    return block


def _check_block(lat: FloatArray, lon: FloatArray) -> bool:
    """Whether every latitude is in [-90, 90] and every longitude in [-180, 180]."""
    return _all_within(lat, 90.0) and _all_within(lon, 180.0)


def _raise_bad_target(
    lats: npt.NDArray[Any], lons: npt.NDArray[Any], shape: tuple[int, ...]
) -> None:
    """Raise CoordinateError for the first bad latitude of the targets, else the first bad
    longitude (the arrays have ``shape``'s size, in any layout)."""
    flat_lat = np.ascontiguousarray(lats, dtype=np.float64).reshape(-1)
    flat_lon = np.ascontiguousarray(lons, dtype=np.float64).reshape(-1)
    if not _all_within(flat_lat, 90.0):
        bad = int(np.flatnonzero(~(np.abs(flat_lat) <= 90.0))[0])
        value = float(flat_lat[bad])
        swap = abs(value) <= 180 and abs(float(flat_lon[bad])) <= 90
        raise CoordinateError(
            f"latitude {value!r} at index {_index(bad, shape)} is outside [-90, 90]; give "
            f"latitudes in degrees{_SWAP_HINT if swap else ''}"
        )
    bad = int(np.flatnonzero(~(np.abs(flat_lon) <= 180.0))[0])
    value = float(flat_lon[bad])
    raise CoordinateError(
        f"longitude {value!r} at index {_index(bad, shape)} is outside [-180, 180]"
        f"{_LON_HINT if math.isfinite(value) else ''}"
    )


_MIN, _MAX = np.minimum.reduce, np.maximum.reduce


def _all_within(values: FloatArray, limit: float) -> bool:
    """Whether every value is in [-limit, limit] (so finite and not NaN)."""
    if values.size <= 32:
        # A numpy reduction costs about 1 us however small the array; plain Python is cheaper.
        return all(-limit <= v <= limit for v in values.tolist())
    # min and max are one fast pass each, and NaN propagates through them, so two comparisons
    # catch NaN, infinities and values out of range alike. (The ufuncs' own reduce skips
    # np.min's layers of Python, a microsecond each.)
    return bool(_MIN(values) >= -limit and _MAX(values) <= limit)


def _constant(value: float) -> FloatArray:
    """``value`` as a read-only 0-d float64 array, an operand for small-array arithmetic.

    numpy 2 converts a Python float operand on every call, which on the few hundred values of
    a ring costs about a third of the operation (half of a comparison); an array is taken as
    it is. The value is the same, and so is every result.

    >>> half = _constant(0.5)
    >>> (np.arange(3.0) * half).tolist(), half.flags.writeable
    ([0.0, 0.5, 1.0], False)
    """
    array = np.array(value, dtype=np.float64)
    array.setflags(write=False)
    return array


# Numbers the rings' array arithmetic shares, and half a turn and a turn in degrees (see
# _constant).
_ZERO: Final = _constant(0.0)
_HALF: Final = _constant(0.5)
_ONE: Final = _constant(1.0)
_TWO: Final = _constant(2.0)
_HALF_TURN: Final = _constant(180.0)
_MINUS_HALF_TURN: Final = _constant(-180.0)
_TURN: Final = _constant(360.0)


def _canonical(lon: FloatArray) -> FloatArray:
    """Longitudes in [-180, 180] with +180 read as -180, the same meridian: in [-180, 180).
    ``lon`` itself (not a copy) when none is +180."""
    east = lon >= _HALF_TURN
    if not np.count_nonzero(east):
        return lon
    canonical: FloatArray = np.where(east, lon - _TURN, lon)
    return canonical


def _half_turn(step: FloatArray) -> FloatArray:
    """Longitude steps in [-360, 360] degrees as the same turns within [-180, 180]: a step
    of more than 180 degrees taken the other way round (exact: Sterbenz)."""
    wrapped: FloatArray = np.where(
        step > _HALF_TURN,
        step - _TURN,
        np.where(step < _MINUS_HALF_TURN, step + _TURN, step),
    )
    return wrapped


def _any(mask: BoolArray) -> bool:
    """``mask.any()`` of a boolean array, by numpy's count of its true values: a third of
    the cost on the small arrays a ring's steps test (no layers of Python round it)."""
    return bool(np.count_nonzero(mask))


def _every(mask: BoolArray) -> bool:
    """``mask.all()`` of a boolean array, as :func:`_any` counts."""
    return bool(np.count_nonzero(mask) == mask.size)


def _index(flat: int, shape: tuple[int, ...]) -> int | tuple[int, ...]:
    if len(shape) == 1:
        return flat
    return tuple(int(i) for i in np.unravel_index(flat, shape))


# --------------------------------------------------------------------------------------------
# Unit vectors: geodetic latitude and longitude taken as spherical coordinates
# --------------------------------------------------------------------------------------------

_DEG: Final = math.pi / 180.0


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
