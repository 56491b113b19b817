"""The plan of a range ring's azimuths, made on a sphere before any ``Geod.fwd`` call
(:mod:`._rings` then checks every edge with the proven bound of :mod:`._sag`), and the
splitting of azimuth steps the refinement uses."""

from __future__ import annotations

import functools
import math
from typing import Final

import numpy as np
import numpy.typing as npt

from weaponsref.geo._geodesy import (
    _HALF,
    _HALF_TURN,
    _ONE,
    _TURN,
    MAX_RING_POINTS,
    FloatArray,
    _constant,
)

# The sphere a ring's plan is made on (the polar radius of curvature, a^2/b).
_R_SPHERE: Final = 6_399_593.626
# Metres in a degree of latitude, at most (the polar meridian radius).
_M_PER_DEG: Final = 111_700.0
# Azimuth steps the plan looks at, at least (see _planned_azimuths).
_PLAN_STEPS: Final = 128
# Edges are planned to this share of the budget, so that the check that follows rarely
# needs another round.
_PLAN_SHARE: Final = 0.9
# (0-d arrays: see _geodesy._constant)
_M_PER_DEG_ARRAY: Final = _constant(_M_PER_DEG)
_NEVER_NIL: Final = _constant(1e-9)


def _planned_azimuths(
    lat0: float, range_m: float, budget: float, initial: int, *, half: bool = False
) -> FloatArray:
    """Decreasing azimuths from 0 to -360 for a ring to ``budget``: the ``initial`` evenly
    spaced ones, and between them as many as a sphere's circle says are needed, spread so
    that every edge sags about alike. With ``half`` (for an even ``initial``), those from 0
    to -180 only, the same as the first half of the whole plan.

    The sphere's circle (of the polar radius of curvature) is taken at fine azimuth steps and
    at their middles; how far the middle point lies from the middle of the straight step, in
    metres, is about that step's sag, which shrinks as the square of the step, so the root of
    it over the budget is how many edges the step needs. Azimuths are put at equal shares of
    that need added up (equidistribution). A plan only, made without Geod.fwd: the bound
    decides.
    """
    per, cos_az, sin_az, az_deg = _plan_grid(initial)
    if half:
        fine = az_deg.size - 1  # fine steps round the circle, an even number
        cos_az, sin_az, az_deg = cos_az[: fine + 1], sin_az[: fine + 1], az_deg[: fine // 2 + 1]
    rho, phi0 = range_m / _R_SPHERE, math.radians(lat0)
    # The point's unit vector, with the origin's meridian as longitude 0 (stable at a pole).
    # (The origin's and the range's sines and cosines as 0-d arrays: see _geodesy._constant.)
    sin_rho, cos_rho = np.asarray(math.sin(rho)), math.cos(rho)
    along = sin_rho * cos_az
    x = np.asarray(cos_rho * math.cos(phi0)) - along * np.asarray(math.sin(phi0))
    y = sin_rho * sin_az
    z = np.asarray(cos_rho * math.sin(phi0)) + along * np.asarray(math.cos(phi0))
    lat = np.degrees(np.arctan2(z, np.sqrt(x * x + y * y)))  # (a plan: no need of hypot)
    lon = np.degrees(np.arctan2(y, x))
    step = (lon[2::2] - lon[:-1:2] + _HALF_TURN) % _TURN - _HALF_TURN
    off_lon = (lon[1::2] - lon[:-1:2] - _HALF * step + _HALF_TURN) % _TURN - _HALF_TURN
    off_lat = lat[1::2] - _HALF * (lat[:-1:2] + lat[2::2])
    off_lon *= np.cos(np.radians(lat[1::2]))
    bow = _M_PER_DEG_ARRAY * np.sqrt(off_lat * off_lat + off_lon * off_lon)
    # Each fine step's share of the need, never quite 0, so that the sum keeps rising.
    need = np.sqrt(bow / np.asarray(_PLAN_SHARE**2 * budget)) + _NEVER_NIL
    total = np.empty(need.size + 1)
    total[0] = 0.0
    np.add.accumulate(need, out=total[1:])  # (np.cumsum's own work, without its wrapper)
    whole = 2.0 * total[-1] if half else total[-1]
    if whole > MAX_RING_POINTS:
        total *= MAX_RING_POINTS / whole  # the check says how many more, or refuses
    ends = total[::per]
    # Each initial step split into as many equal shares of the need as it needs, at least one:
    # the shares by interpolating the steps' ends at whole numbers of pieces (np.interp's
    # straight line between two ends is exactly the equal split), then their azimuths.
    pieces = np.empty(ends.size)
    pieces[0] = 0.0
    np.maximum(np.ceil(ends[1:] - ends[:-1]), _ONE, out=pieces[1:])
    np.add.accumulate(pieces, out=pieces)  # (whole numbers: exact)
    shares = np.interp(np.arange(pieces[-1] + 1.0), pieces, ends)
    planned: FloatArray = np.interp(shares, total, az_deg)
    planned[-1] = -180.0 if half else -360.0
    return planned


@functools.lru_cache(maxsize=8)
def _plan_grid(initial: int) -> tuple[int, FloatArray, FloatArray, FloatArray]:
    """For :func:`_planned_azimuths` from ``initial`` azimuths: the fine steps per initial
    one, the cosines and sines of the fine azimuths and their middles, and the fine azimuths
    in degrees (read-only arrays, the same for every ring)."""
    per = -(-_PLAN_STEPS // initial)
    fine = initial * per
    az = np.radians(-180.0 / fine * np.arange(2 * fine + 1))
    grid = (np.cos(az), np.sin(az), np.degrees(az[::2]))
    for array in grid:
        array.setflags(write=False)
    return per, *grid


def _inner_azimuths(az1: FloatArray, az2: FloatArray, pieces: npt.NDArray[np.intp]) -> FloatArray:
    """The azimuths that split each edge from az1 to az2 into ``pieces`` equal steps, in order."""
    inner = pieces - 1
    first = np.repeat(np.cumsum(inner) - inner, inner)
    k = np.arange(first.size) - first + 1
    new: FloatArray = np.repeat(az1, inner) + k / np.repeat(pieces, inner) * np.repeat(
        az2 - az1, inner
    )
    return new
