"""A proven enclosure of the geodesic distance from one origin to many points, tight to
centimetres: the second screen of an exact mask (:mod:`._masks`), which leaves ``Geod.inv``
only the points within a few centimetres of the range.

The geodesic on the auxiliary sphere (Karney 2013, "Algorithms for geodesics", J. Geodesy
87, section 2): with reduced latitudes beta (tan beta = (1 - f) tan phi), a geodesic is a
great circle of the unit sphere, and with sigma its arc from the node (where it crosses the
equator northwards at azimuth alpha0), omega its longitude there and k^2 = e'^2 cos^2 alpha0,

    (7)  s / b          = integral of sqrt(1 + k^2 sin^2 sigma) d sigma
    (8)  lambda = omega - f sin alpha0 * integral of g3(k^2 sin^2 sigma) d sigma,
         g3(x) = (2 - f) / (1 + (1 - f) sqrt(1 + x)).

For the shortest geodesic from the origin to a point ``lambda12`` east of it, omega12 is the
fixed point of T(omega) = lambda12 + f sin alpha0(omega) * I3(omega), where alpha0 and the
ends sigma1, sigma2 are those of the great circle from (beta1, 0) to (beta2, omega).

Enclosures (x = k^2 sin^2 sigma lies in [0, k^2], k^2 <= e'^2 < 0.0068):

- g3(x) = 1 - c x + R3, c = (1 - f) / (2 (2 - f)), with 0 <= R3 <= x^2 / 8 (g3 is convex and
  g3'' <= (1 - f) / (4 (2 - f)) + (1 - f)^2 / (2 (2 - f)^2) < 1/4 for x >= 0). So
  I3 = sigma12 - c k^2 J2 + [0, k^4 sigma12 / 8], J2 = integral of sin^2 = sigma12 / 2 -
  (sin 2 sigma2 - sin 2 sigma1) / 4.
- sqrt(1 + x) = 1 + x / 2 - x^2 / 8 + R1 with 0 <= R1 <= x^3 / 16 (the third derivative is
  at most 3/8). So I1 = sigma12 + k^2 J2 / 2 - k^4 J4 / 8 + [0, k^6 sigma12 / 16], J4 =
  integral of sin^4 = 3 sigma12 / 8 - (sin 2 sigma2 - sin 2 sigma1) / 4 + (sin 4 sigma2 -
  sin 4 sigma1) / 32.

The fixed point: T changes little with omega. Its derivative is f times that of
sin alpha0 * I3, which for sigma12 <= pi / 2 is at most a few units (the great circle's
sin alpha0 moves by at most cos beta1 cos beta2 / sin sigma12 per radian of omega, and I3 is
at most sigma12; the terms in k^2 are smaller still), far below 1 / f = 298. So D(omega) =
T(omega) - omega is strictly decreasing, and where the enclosure of T shows D > 0 at
omega - eps and D < 0 at omega + eps, the one fixed point (the geodesic's omega12) lies
between. Two steps from lambda12 and Aitken's extrapolation of them bring omega within
about (3 f)^2 of the second step of it; eps is a two-hundredth of that step plus the
enclosure's width, and a point whose bracket does not close is left to ``Geod.inv``.

The distance: s(omega) = b I1 is the length of the geodesic from the origin along the great
circle through (beta2, omega), which ends at latitude phi2 and longitude lambda(omega) =
omega + lambda12 - T(omega). By the first variation of arc length its derivative is
rho2 sin alpha2 * dlambda/domega, at most a (1 + f L) < 2a in size (rho2 = N cos phi2 <= a).
So the distance lies within s(omega - eps) +- 4 a eps (omega12 is within 2 eps of
omega - eps), widened by the series' remainders and a
margin for floating-point rounding (1e-10 of the distance and a millimetre).

Only the first great circle's sigma12 is found by atan2; the others' (their omegas within
about f pi of lambda12) are that plus the arctangent of their small difference, by its series
to the ninth power, and a point whose difference is not small (below 1/32, where the rest of
the series is under 1e-18) is refused.

Only points with sigma12 in [1e-9, pi / 2] rad are enclosed (within about 10,000 km, and not
the origin itself); the others are left to ``Geod.inv``. Tests check every enclosure against
GeographicLib on hundreds of thousands of pairs: poles, the equator, the antimeridian, the
origin and points at the range itself.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt

from weaponsref.geo._geodesy import (
    _B_M,
    _DEG,
    _E2,
    WGS84_A_M,
    WGS84_F,
    BoolArray,
    FloatArray,
    _half_turn,
)

_EP2: Final = _E2 / (1.0 - _E2)
_C3: Final = (1.0 - WGS84_F) / (2.0 * (2.0 - WGS84_F))
# The largest arc (radians) enclosed, and the smallest (the origin itself is left out).
_MAX_SIGMA: Final = 0.5 * np.pi
_MIN_SIGMA: Final = 1e-9
#: The longest range whose band a mask encloses: points near it lie within about b pi / 2
#: (10,000 km) of the origin, the arc enclosed; past it they would all be refused.
MAX_RANGE_M: Final = 9.5e6
# Rounding margins: of omega (radians), and of the distance (relative, and metres).
_OMEGA_ROUNDING: Final = 1e-12
_S_RELATIVE: Final = 1e-10
# T's: omega's margin and 1e-15 of |lambda12| <= pi.
_T_ROUNDING: Final = _OMEGA_ROUNDING + 4e-15
_S_ABSOLUTE: Final = 1e-3
# The bracket round the extrapolated omega: this share of T's second step on either side
# (after two steps and Aitken's extrapolation omega is within about (3 f)^2 of that step of
# the fixed point, so 1/200 leaves room; the bracket is checked, not assumed).
_BRACKET: Final = 0.005
# A great circle's sigma12 is found from a near one's when their difference's tangent is
# below this (see the module).
_NEAR_TAN: Final = 1.0 / 32.0
# Points taken at once (arrays of 32 kB stay in the CPU's caches and in the heap).
_CHUNK: Final = 4096


class _Sphere:
    """The great circles from the origin (reduced latitude beta1) to each point (reduced
    latitude beta2) at auxiliary longitudes ``omega``: what T and I1 need of them. The sines
    and cosines of 2 sigma1 and 2 sigma2 are found from those of sigma1 and sigma12 by the
    double-angle and sum formulas (no further trigonometric call)."""

    __slots__ = (
        "cos2_1",
        "cos2_2",
        "cs12",
        "k2",
        "known",
        "sa0",
        "sigma12",
        "sin2_1",
        "sin2_2",
        "ss12",
    )

    def __init__(
        self,
        sb1: float,
        cb1: float,
        sb2: FloatArray,
        cb2: FloatArray,
        so: FloatArray,
        co: FloatArray,
        near: _Sphere | None = None,
    ) -> None:
        east = cb2 * so
        north = cb1 * sb2 - sb1 * cb2 * co
        self.ss12 = ss12 = np.sqrt(east * east + north * north)  # (at most 1: no overflow)
        self.cs12 = cs12 = sb1 * sb2 + cb1 * cb2 * co
        if near is None:
            self.sigma12 = np.arctan2(ss12, cs12)
            self.known: BoolArray | bool = True  # where sigma12 is to be trusted
        else:
            # sigma12 - near's: the tangent of their difference, by the difference formulas
            # (sine and cosine of the difference times two norms near 1); a positive cosine
            # puts the difference within a quarter turn.
            cos_d = cs12 * near.cs12 + ss12 * near.ss12
            with np.errstate(divide="ignore", invalid="ignore"):
                tan = (ss12 * near.cs12 - cs12 * near.ss12) / cos_d
                self.known = (np.abs(tan) <= _NEAR_TAN) & (cos_d > 0.0)
            self.sigma12 = near.sigma12 + _arctan_small(tan)
        with np.errstate(divide="ignore", invalid="ignore"):
            sa1, ca1 = east / ss12, north / ss12
        self.sa0 = sa1 * cb1
        # cos^2 alpha0 = cos^2 alpha1 + sin^2 alpha1 sin^2 beta1 = 1 - sin^2 alpha0.
        self.k2 = _EP2 * (1.0 - self.sa0 * self.sa0)
        # sigma1 = atan2(sin beta1, cos alpha1 cos beta1): its double angle. Both are 0 only
        # on the equator heading along it, where k^2 = 0 and sigma1 does not matter; from
        # the equator sigma1 is 0 or pi, and its double angle's sine 0 and cosine 1.
        if sb1 == 0.0:
            self.sin2_1, self.cos2_1 = np.zeros_like(ca1), np.ones_like(ca1)
        else:
            v = ca1 * cb1
            h2 = sb1 * sb1 + v * v
            self.sin2_1 = (2.0 * sb1) * v / h2
            self.cos2_1 = (v * v - sb1 * sb1) / h2
        # sigma12's double angle (ss12^2 + cs12^2 is 1 but for rounding), then the sum.
        sin2_12, cos2_12 = 2.0 * ss12 * cs12, cs12 * cs12 - ss12 * ss12
        self.sin2_2 = self.sin2_1 * cos2_12 + self.cos2_1 * sin2_12
        self.cos2_2 = self.cos2_1 * cos2_12 - self.sin2_1 * sin2_12

    def j2(self) -> FloatArray:
        """The integral of sin^2 sigma from sigma1 to sigma2."""
        j2: FloatArray = 0.5 * self.sigma12 - 0.25 * (self.sin2_2 - self.sin2_1)
        return j2

    def t(self, lambda12: FloatArray) -> tuple[FloatArray, FloatArray]:
        """The enclosure (low, high) of T at these omegas."""
        base = self.sigma12 - _C3 * self.k2 * self.j2()
        width = 0.125 * self.k2 * self.k2 * self.sigma12
        step = WGS84_F * self.sa0
        one, other = lambda12 + step * base, lambda12 + step * (base + width)
        return np.minimum(one, other) - _T_ROUNDING, np.maximum(one, other) + _T_ROUNDING

    def distance(self) -> tuple[FloatArray, FloatArray]:
        """The enclosure (low, high) of b I1, metres."""
        j4 = (
            0.375 * self.sigma12
            - 0.25 * (self.sin2_2 - self.sin2_1)
            + (self.sin2_2 * self.cos2_2 - self.sin2_1 * self.cos2_1) / 16.0
        )
        k2 = self.k2
        low = _B_M * (self.sigma12 + 0.5 * k2 * self.j2() - 0.125 * k2 * k2 * j4)
        high = low + _B_M * k2 * k2 * k2 * self.sigma12 / 16.0
        return low, high


class Seen:
    """Points as seen from an origin's meridian, float64: the sines and cosines of their
    latitudes, and their longitudes east of the origin's (radians, in [-pi, pi]) with their
    sines and cosines. What :func:`distance_bounds` and the masks' second screen need of
    them, found once.

    >>> seen = Seen.of(30.0, np.array([0.0, 45.0]), np.array([-170.0, 120.0]))
    >>> np.degrees(seen.dlon).round(9).tolist()
    [160.0, 90.0]
    """

    __slots__ = ("cos_dlon", "cos_lat", "dlon", "sin_dlon", "sin_lat")

    def __init__(
        self,
        sin_lat: FloatArray,
        cos_lat: FloatArray,
        dlon: FloatArray,
        sin_dlon: FloatArray,
        cos_dlon: FloatArray,
    ) -> None:
        self.sin_lat, self.cos_lat = sin_lat, cos_lat
        self.dlon, self.sin_dlon, self.cos_dlon = dlon, sin_dlon, cos_dlon

    @classmethod
    def of(cls, lon0: float, lats: FloatArray, lons: FloatArray) -> Seen:
        """The points of ``lats`` and ``lons`` (degrees) seen from longitude ``lon0``."""
        phi = lats * _DEG
        # Differences of longitudes in [-180, 180] degrees are in [-360, 360].
        dlon = _half_turn(lons - lon0) * _DEG
        return cls(np.sin(phi), np.cos(phi), dlon, np.sin(dlon), np.cos(dlon))

    def __getitem__(self, index: slice | npt.NDArray[np.intp]) -> Seen:
        return Seen(
            self.sin_lat[index],
            self.cos_lat[index],
            self.dlon[index],
            self.sin_dlon[index],
            self.cos_dlon[index],
        )

    def __len__(self) -> int:
        return int(self.dlon.size)


def distance_bounds(lat0: float, seen: Seen) -> tuple[FloatArray, FloatArray, BoolArray]:
    """(low, high, usable): for each point where ``usable``, the geodesic distance from the
    origin (latitude ``lat0``, the meridian ``seen`` is seen from) in metres is proven
    within [low, high] (see the module); elsewhere (beyond pi / 2 of arc, at the origin, or
    a bracket that did not close) the bounds mean nothing. Taken :data:`_CHUNK` points at a
    time (small arrays stay in the CPU's caches)."""
    parts = [_bounds(lat0, seen[start : start + _CHUNK]) for start in range(0, len(seen), _CHUNK)]
    if not parts:
        return np.zeros(0), np.zeros(0), np.zeros(0, dtype=bool)
    low, high, usable = (np.concatenate(column) for column in zip(*parts, strict=True))
    return low, high, usable


def _bounds(lat0: float, seen: Seen) -> tuple[FloatArray, FloatArray, BoolArray]:
    """:func:`distance_bounds` of one chunk."""
    sb1, cb1 = (float(v) for v in _reduced(np.sin(lat0 * _DEG), np.cos(lat0 * _DEG)))
    sb2, cb2 = _reduced(seen.sin_lat, seen.cos_lat)
    lambda12, sl, cl = seen.dlon, seen.sin_dlon, seen.cos_dlon
    # Two steps of T from lambda12, Aitken's extrapolation of them, and a bracket round it.
    start = _Sphere(sb1, cb1, sb2, cb2, sl, cl)
    low, high = start.t(lambda12)
    first = 0.5 * (low + high)
    turned = _turned(sl, cl, first - lambda12)
    low, high = _Sphere(sb1, cb1, sb2, cb2, *turned, near=start).t(lambda12)
    second = 0.5 * (low + high)
    step1, step2 = first - lambda12, second - first
    with np.errstate(divide="ignore", invalid="ignore"):
        jump = np.where(step2 != step1, step2 * step2 / (step2 - step1), 0.0)
    # (A step of T shrinks the next by about 3 f: an extrapolation past the last step is
    # not one to trust, and the bracket below would not close round it anyway.)
    omega = second - np.clip(jump, -np.abs(step2), np.abs(step2))
    eps = _BRACKET * np.abs(step2) + (high - low) + _OMEGA_ROUNDING
    below, above = omega - eps, omega + eps
    lower = _Sphere(sb1, cb1, sb2, cb2, *_turned(sl, cl, below - lambda12), near=start)
    upper = _Sphere(sb1, cb1, sb2, cb2, *_turned(sl, cl, above - lambda12), near=start)
    with np.errstate(invalid="ignore"):
        closed = (lower.t(lambda12)[0] > below) & (upper.t(lambda12)[1] < above)
    # The distance at the bracket's lower end; the geodesic's omega is within 2 eps of it.
    s_low, s_high = lower.distance()
    spread = 4.0 * WGS84_A_M * eps + _S_RELATIVE * s_high + _S_ABSOLUTE
    with np.errstate(invalid="ignore"):
        usable = closed & lower.known & upper.known
        usable &= (lower.sigma12 >= _MIN_SIGMA) & (lower.sigma12 <= _MAX_SIGMA)
    return s_low - spread, s_high + spread, usable


def _arctan_small(t: FloatArray) -> FloatArray:
    """atan(t) for |t| <= 1/32 by its series to t^9 (the rest is under t^11 / 11, 2e-18);
    elsewhere a value of no meaning."""
    t2 = t * t
    out: FloatArray = t * (1.0 - t2 * (1.0 / 3.0 - t2 * (0.2 - t2 * (1.0 / 7.0 - t2 / 9.0))))
    return out


def _turned(sin_a: FloatArray, cos_a: FloatArray, d: FloatArray) -> tuple[FloatArray, FloatArray]:
    """sin and cos of a + d from those of a, for |d| < 0.01 (an omega is within f pi of
    lambda12): the sum formulas, with d's sine and cosine by their Taylor series to d^7 and
    d^6 (the rest is under 1e-22 there)."""
    d2 = d * d
    sin_d = d * (1.0 - d2 / 6.0 * (1.0 - d2 / 20.0 * (1.0 - d2 / 42.0)))
    cos_d = 1.0 - d2 / 2.0 * (1.0 - d2 / 12.0 * (1.0 - d2 / 30.0))
    return sin_a * cos_d + cos_a * sin_d, cos_a * cos_d - sin_a * sin_d


def enclosed_within(
    lat0: float, range_m: float, seen: Seen, slack_m: float
) -> tuple[BoolArray, BoolArray]:
    """(certainly within, certainly not) for each point of ``seen``, from an origin at
    latitude ``lat0`` on the meridian they are seen from: within when the distance is
    proven at most ``range_m - slack_m``, not when proven over ``range_m + slack_m`` (the
    slack covers ``Geod.inv``'s own error). Points left undecided (near the range, beyond
    pi / 2 of arc, at the origin, or whose bracket did not close) are neither."""
    low, high, usable = distance_bounds(lat0, seen)
    with np.errstate(invalid="ignore"):
        within = usable & (high <= range_m - slack_m)
        beyond = usable & (low > range_m + slack_m)
    return within, beyond


def _reduced(
    sin_phi: FloatArray | float, cos_phi: FloatArray | float
) -> tuple[FloatArray, FloatArray]:
    """sin and cos of the reduced latitude, tan beta = (1 - f) tan phi."""
    y = (1.0 - WGS84_F) * np.asarray(sin_phi)
    x = np.asarray(cos_phi)
    norm = np.sqrt(y * y + x * x)  # (both at most 1: no overflow)
    return y / norm, x / norm
