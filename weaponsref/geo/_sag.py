"""The sag of a range ring's drawn edges, bounded without sampling.

A range ring's edge is drawn as RFC 7946 draws it, straight in longitude and latitude;
:func:`_sag_bound` bounds how far such an edge between two points of the geodesic circle can
stray from the circle, from quantities ``Geod.fwd`` already gives at its two ends (see the
comment below for the derivation). :mod:`._rings` places vertices until every edge's bound
is within the tolerance.
"""

from __future__ import annotations

import math
from typing import Any, Final

import numpy as np

from weaponsref.geo._geodesy import (
    _E2,
    _HALF,
    _MAX,
    _ONE,
    _TWO,
    _ZERO,
    WGS84_A_M,
    WGS84_F,
    FloatArray,
    _any,
    _canonical,
    _constant,
    _half_turn,
)

# A drawn edge is the straight segment L(t) = P1 + t (dphi, dlam), 0 <= t <= 1, in geodetic
# latitude and longitude, between two points P1, P2 of the circle s(X) = r (s: the geodesic
# distance from the origin). Its sag is max |g(t)| with g(t) = s(L(t)) - r; g(0) = g(1) = 0,
# so |g(t)| <= t (1 - t) / 2 * max |g''| <= max |g''| / 8. L is straight in the coordinates,
# so g'' is the coordinate Hessian of s applied twice to (dphi, dlam). With the metric
# ds^2 = M^2 dphi^2 + G^2 dlam^2 (M the meridian radius of curvature, N the prime vertical
# one, G = N cos phi), the covariant Hessian of a distance function is kappa e e (e the unit
# vector across the gradient, kappa the geodesic curvature of the circle through X centred on
# the origin) and the Christoffel symbols of the metric add the rest. With beta the azimuth of
# the geodesic from the origin at X, gamma the azimuth of the segment there and ell its
# metric length (ell^2 = M^2 dphi^2 + G^2 dlam^2):
#
#   g'' = ell^2 E,   E = kappa sin^2(gamma - beta)
#                      + tau (sin^2(gamma) cos(beta) - sin(2 gamma) sin(beta))
#                      + mu cos^2(gamma) cos(beta),      tau = tan(phi) / N,  mu = M' / M^2.
#
# (Round a pole, a circle is a parallel: beta = 180 and kappa = tau, so E = 0: the straight
# lon/lat edge is the circle itself, and such rings need few vertices.)
#
# Over the segment each quantity lies in an interval: phi is linear in t, so sin(phi), tau,
# M, G and G/M (all monotone in phi or |phi|) lie between their end values (and G, G/M reach
# their largest at the equator if the segment crosses it); gamma lies between its values at
# the smallest and largest G/M; kappa lies between the curvatures of circles of the same
# radius on spheres of the ellipsoid's largest and smallest Gaussian curvature, 1/b^2 and
# b^2/a^4 (Riccati comparison, valid up to the first conjugate point, at least pi b away),
# for radii r -+ ell/2 (s is 1-Lipschitz, so no point of the segment is farther than ell/2
# from the circle); beta turns along the segment at the rate kappa w + sin(phi) dlam
# (w = ell sin(gamma - beta): the gradient turns by kappa per metre across it, the meridians
# by sin(phi) dlam), so it stays within half its largest rate of the mean of its end values,
# which Geod.fwd gives. E is bounded by Taylor's theorem at the middle of those intervals:
# its value there, plus its first partial derivatives there times the half-widths, plus
# bounds of its second derivatives anywhere times products of half-widths (E is linear in
# kappa and tau; with S the factor of tau, |S|, |dS/dbeta| <= 1.16 = sqrt(4/3),
# |dS/dgamma| <= 2, |d2S/dbeta2| <= 1.16, |d2S/dbeta dgamma| <= 2, |d2S/dgamma2| <= 4, and
# the kappa factor's derivatives are at most 1 and 2). The mu term, under 2e-9 per metre, is
# bounded whole. The sag bound is the largest ell^2 times that, over 8, in two parts: the
# middle value (which scales as the square of the edge) and the rest (as its cube or more).

_A: Final = WGS84_A_M
_B: Final = WGS84_A_M * (1.0 - WGS84_F)
_MU_MAX: Final = 1.5 * _E2 / (_A * (1.0 - _E2))
_RHO_EQUATOR: Final = 1.0 / (1.0 - _E2)  # G/M at the equator, its largest
_DEG: Final = math.pi / 180.0

# The constants of the bound's array arithmetic, as 0-d arrays (see _geodesy._constant).
_E2_ARRAY: Final = _constant(_E2)
_M_SCALE: Final = _constant(_A * (1.0 - _E2))
_EIGHTH: Final = _constant(0.125)
_INF: Final = _constant(math.inf)
_MINUS_INF: Final = _constant(-math.inf)
_HALF_PI: Final = _constant(0.5 * math.pi)
_DEG_ARRAY: Final = _constant(_DEG)
_A_ARRAY: Final = _constant(_A)
_MU_MAX_ARRAY: Final = _constant(_MU_MAX)
_RHO_EQUATOR_ARRAY: Final = _constant(_RHO_EQUATOR)


# Rows of a ring's vertex table (:func:`_fill_rows`): where each vertex is and the back
# azimuth Geod.fwd gave there, then the quantities of the bound there, in the order _Edge
# reads them: the mean of both ends of the first four (the first two: their half-spread too),
# the least of the next three, and the largest of the last five.
_AZ, _LON, _LAT, _BACK = 0, 1, 2, 3
_SIN, _TAU, _SB, _CB, _M, _G, _RHO, _ABS_SIN, _ABS_TAU = range(4, 13)
_ROWS: Final = 13


def _fill_rows(table: FloatArray) -> FloatArray:
    """The vertex table, shape (13, n), its rows from _SIN on filled in place (and returned)
    from the first four: azimuth, longitude, latitude and back azimuth (degrees). They are
    the sine of the latitude, tau = tan(phi)/N, the sine and cosine of beta (the forward
    azimuth of the geodesic at the vertex), M, G = N cos(phi), G/M, |sin| and |tau|."""
    phi = np.radians(table[_LAT])
    sin = np.sin(phi, out=table[_SIN])
    np.abs(sin, out=table[_ABS_SIN])
    cos = np.cos(phi)
    w = np.sqrt(_ONE - _E2_ARRAY * sin * sin)
    np.divide(_M_SCALE, w * w * w, out=table[_M])
    a_cos = _A_ARRAY * cos
    np.divide(a_cos, w, out=table[_G])
    with np.errstate(divide="ignore", invalid="ignore"):
        np.divide(sin * w, a_cos, out=table[_TAU])
    np.abs(table[_TAU], out=table[_ABS_TAU])
    np.divide(table[_G], table[_M], out=table[_RHO])
    # The forward azimuth at the vertex is the back azimuth turned round.
    back_rad = np.radians(table[_BACK])
    np.negative(np.sin(back_rad), out=table[_SB])
    np.negative(np.cos(back_rad), out=table[_CB])
    return table


def _radii(lat0: float, longest_m: float) -> tuple[float, float]:
    """Radii of the spheres whose curvatures bound the Gaussian curvature K = 1/(M N) on every
    geodesic from the origin no longer than ``longest_m``: (smallest, largest) 1/sqrt(K).

    Such a geodesic turns the normal by at most ``longest_m / (b^2/a)`` (see geo/_masks.py),
    so it keeps to latitudes within that of the origin's; K = W^4 / (a^2 (1 - e^2)) falls
    from 1/b^2 at the equator to b^2/a^4 at the poles.
    """
    turn = longest_m / (_B * _B / _A)
    lat = abs(lat0) * _DEG
    near, far = max(0.0, lat - turn), min(0.5 * math.pi, lat + turn)
    scale = _A * math.sqrt(1.0 - _E2) * (1.0 + 1e-12)
    small = scale / (1.0 - _E2 * math.sin(near) ** 2) * (1.0 - 2e-12)
    big = scale / (1.0 - _E2 * math.sin(far) ** 2)
    return small, big


def _curvatures(range_m: float, reach: Any, radii: tuple[float, float]) -> tuple[Any, Any]:
    """(smallest, largest) geodesic curvature of circles round the origin of radius within
    ``reach`` (a float, or an array over edges) of the range, by comparison with spheres of
    the given radii (see the comment above); -inf or inf when the radius may reach the first
    conjugate point or 0."""
    small, big = radii
    if isinstance(reach, float):
        near, far = range_m - reach, range_m + reach
        hi = 1.0 / (big * math.tan(near / big)) if near > 0.0 else math.inf
        lo = 1.0 / (small * math.tan(far / small)) if far < math.pi * small else -math.inf
        return lo, hi
    # (the numbers as 0-d arrays: see _geodesy._constant)
    r, big_r, small_r = np.asarray(range_m), np.asarray(big), np.asarray(small)
    with np.errstate(divide="ignore", invalid="ignore"):
        near, far = r - reach, r + reach
        k_hi = np.where(near > _ZERO, _ONE / (big_r * np.tan(near / big_r)), _INF)
        k_lo = np.where(
            far < np.asarray(math.pi * small), _ONE / (small_r * np.tan(far / small_r)), _MINUS_INF
        )
    return k_lo, k_hi


class _Edge:
    """The quantities of the sag bound that do not depend on the circles' curvature, each an
    array over the edges (see the comment above)."""

    __slots__ = (
        "abs_dlam",
        "across",
        "along",
        "d_gamma",
        "dlam",
        "ell",
        "ell2",
        "ell_mid",
        "ell_spread",
        "shape",
        "shape_beta",
        "shape_gamma",
        "sin_abs",
        "sin_half",
        "sin_mid",
        "tau_abs",
        "tau_half",
        "tau_mid",
    )

    def __init__(self, a: FloatArray, b: FloatArray, step_deg: FloatArray) -> None:
        # Each only over the rows read from it (see the table's row order).
        hi = np.maximum(a[_M:], b[_M:])
        lo = np.minimum(a[_M:_ABS_SIN], b[_M:_ABS_SIN])
        mid = np.add(a[_SIN:_M], b[_SIN:_M])
        mid *= _HALF
        half = np.subtract(a[_SIN:_SB], b[_SIN:_SB])
        np.abs(half, out=half)  # the largest less the least
        half *= _HALF

        dphi = (b[_LAT] - a[_LAT]) * _DEG_ARRAY
        self.dlam = dlam = step_deg * _DEG_ARRAY
        self.abs_dlam = np.abs(dlam)
        cross = a[_SIN] * b[_SIN] < _ZERO  # the segment crosses the equator
        crossing = _any(cross)
        g_hi = np.where(cross, _A_ARRAY, hi[_G - _M]) if crossing else hi[_G - _M]
        self.ell2 = (hi[_M - _M] * dphi) ** 2 + (g_hi * dlam) ** 2
        self.ell = np.sqrt(self.ell2)
        ell_lo = np.sqrt((lo[_M - _M] * dphi) ** 2 + (lo[_G - _M] * dlam) ** 2)
        self.ell_mid = _HALF * (self.ell + ell_lo)
        self.ell_spread = _HALF * (self.ell - ell_lo)
        self.tau_mid, self.tau_half = mid[_TAU - _SIN], half[_TAU - _SIN]
        self.tau_abs = hi[_ABS_TAU - _M]
        self.sin_mid, self.sin_half = mid[_SIN - _SIN], half[_SIN - _SIN]
        self.sin_abs = hi[_ABS_SIN - _M]
        rho_lo = lo[_RHO - _M]
        rho_hi = np.where(cross, _RHO_EQUATOR_ARRAY, hi[_RHO - _M]) if crossing else hi[_RHO - _M]
        # gamma at the middle G/M, and how far it moves over [rho_lo, rho_hi]
        v = _HALF * (rho_lo + rho_hi) * dlam
        dphi2 = dphi * dphi
        norm = np.sqrt(dphi2 + v * v)  # (hypot is slower; no overflow here)
        cg, sg = dphi / norm, v / norm
        self.d_gamma = (
            np.abs(dlam * dphi) * _HALF * (rho_hi - rho_lo) / (dphi2 + (rho_lo * dlam) ** 2)
        )
        sb, cb = mid[_SB - _SIN], mid[_CB - _SIN]  # beta at the mean of its end values
        norm = np.sqrt(sb * sb + cb * cb)
        sb, cb = sb / norm, cb / norm
        self.across = sg * cb - cg * sb  # sin(gamma - beta)
        self.along = cg * cb + sg * sb  # cos(gamma - beta)
        # The factor of tau in E, and its derivatives by beta and by gamma.
        sg2 = sg * sg
        s2g, c2g = _TWO * sg * cg, cg * cg - sg2
        s2g_cb = s2g * cb
        self.shape = sg2 * cb - s2g * sb
        self.shape_beta = -sg2 * sb - s2g_cb
        self.shape_gamma = s2g_cb - _TWO * c2g * sb


def _bound_for(
    edge: _Edge, k_lo: FloatArray | float, k_hi: FloatArray | float
) -> tuple[FloatArray, FloatArray]:
    """The two parts of the sag bound for curvatures in [k_lo, k_hi]."""
    # (as arrays, 0-d for one interval: see _geodesy._constant)
    k_mid, k_half = np.asarray(0.5 * (k_lo + k_hi)), np.asarray(0.5 * (k_hi - k_lo))
    k_abs = np.asarray(np.maximum(np.abs(k_lo), np.abs(k_hi)))
    ell, dlam = edge.ell, edge.dlam
    # How far beta turns along the segment: crudely, then by its signed rate (twice, each
    # time with the turn found before in the rate's own variation).
    k_ell = k_abs * ell
    turn = k_ell + edge.sin_abs * edge.abs_dlam
    rest = (
        np.abs(k_mid * edge.ell_mid * edge.across + edge.sin_mid * dlam)
        + k_half * ell
        + k_abs * (edge.ell_spread + ell * edge.d_gamma)
        + edge.abs_dlam * edge.sin_half
    )
    half_k_ell = _HALF * k_ell
    for _ in range(2):
        turn = np.minimum(turn, rest + half_k_ell * turn)
    d_beta = np.where(turn < _HALF_PI, _HALF * turn, _INF)
    d_gamma, tau_half, tau = edge.d_gamma, edge.tau_half, edge.tau_mid
    # E and its first derivatives at the middle of the intervals (kappa, tau, beta, gamma),
    # plus bounds of its second derivatives anywhere times the half-widths (Taylor; the
    # three terms in beta and gamma are bounded together, by the largest).
    a2, twice = edge.across * edge.across, _TWO * edge.across * edge.along
    middle = k_mid * a2 + tau * edge.shape
    spread = d_beta + d_gamma
    k_twice = k_mid * twice
    first = (
        np.abs(edge.shape) * tau_half
        + np.abs(tau * edge.shape_beta - k_twice) * d_beta
        + np.abs(tau * edge.shape_gamma + k_twice) * d_gamma
    )
    second = (k_abs + _TWO * edge.tau_abs) * spread * spread + (_TWO * tau_half + k_half) * spread
    eighth = _EIGHTH * edge.ell2
    return eighth * (np.abs(middle) + a2 * k_half + _MU_MAX_ARRAY), eighth * (first + second)


def _sag_bound(
    lat0: float, range_m: float, a: FloatArray, b: FloatArray, step_deg: FloatArray, budget: float
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Bounds on the sag of each straight lon/lat edge between two points of the circle,
    metres (see the comment above): ``(quadratic, cubic, reach)``, the sag being at most
    ``fmin(quadratic + cubic, reach)``; the parts scale as the square, the cube and the
    length of the edge. ``a`` and ``b`` are the vertex table's columns (:func:`_fill_rows`)
    of the edges' two ends, ``step_deg`` their drawn longitude steps. The curvatures are
    narrowed only where that can bring an edge within ``budget``. Where the first two cannot
    settle an edge (at a pole, or at the origin) they are NaN or infinite; ``reach`` is
    always a number."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        edge = _Edge(a, b, step_deg)
        # s is 1-Lipschitz: no point of the segment is farther than half its length from
        # the circle. Once bounded, the sag is a closer reach: the curvatures are taken again
        # over that narrower range of radii.
        reach = _HALF * edge.ell
        longest = float(_MAX(reach)) if reach.size else 0.0
        radii = _radii(lat0, range_m + longest if math.isfinite(longest) else math.inf)
        if longest <= 0.05 * range_m:
            # Short edges: one interval for all, as wide as the longest needs.
            curvatures: tuple[Any, Any] = _curvatures(range_m, longest, radii)
        else:
            curvatures = _curvatures(range_m, reach, radii)
        quadratic, cubic = _bound_for(edge, *curvatures)
        near, limit = reach, np.asarray(budget)
        for _ in range(2):
            total = quadratic + cubic
            over = total > limit
            if not _any(over):
                break  # (the test below, in its commonest case)
            narrower = np.fmin(near, total)
            # Only where an edge is over the budget and its reach has narrowed (round a pole,
            # where the terms cancel, the curvatures' interval is most of the bound).
            if not _any(over & (narrower < _HALF * near)):
                break
            near = narrower
            again = _bound_for(edge, *_curvatures(range_m, near, radii))
            better = again[0] + again[1] < total
            quadratic = np.where(better, again[0], quadratic)
            cubic = np.where(better, again[1], cubic)
    return quadratic, cubic, reach


def _drawn_step(lon1: FloatArray, lon2: FloatArray) -> FloatArray:
    """The longitude step of the straight edge drawn from lon1 to lon2, as the cut draws it:
    +180 read as -180, and a step of more than 180 degrees taken the other way round."""
    return _half_turn(_canonical(lon2) - _canonical(lon1))
