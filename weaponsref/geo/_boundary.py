"""Masks against an area's boundary that measure almost no point: proven bounds on 3D
segments settle whole cells of points at once, and only a band metres wide is measured.

An area's mask asks, for each point, whether it is inside the area or within a range R of
the nearest point of its boundary (geodesic edges between vertices). :func:`settle` answers
that for a block of points, exactly (as :meth:`Area.within <weaponsref.geo.Area.within>`
promises), in four steps:

1. **Edges as 3D segments.** Each geodesic edge from A to B (length L) is stood in for by
   the straight segment between A and B in 3D (ECEF, metres). Every point X of the edge has
   |X - A| <= s(A, X) and |X - B| <= s(X, B), whose sum is L, so the edge lies in the
   spheroid with foci A and B and sum L, whose widest point is beta = sqrt(L^2 - c^2) / 2
   from the segment (c = |B - A|). Conversely every point of the segment has a point of the
   edge within beta (the edge crosses every plane square to the segment between its ends).
   beta is about L^2 / (7 * 6,335 km): 3 m for a 12 km edge, 57 m for a 50 km one.
2. **Chords bound geodesics.** For points P and X on WGS84 and their chord c = |P - X|:
   s >= c (a straight line is shortest), and s <= (2 / k) asin(k c / 2), k = a / b^2 the
   largest normal curvature of WGS84 (Schur's comparison theorem: a curve whose curvature
   never exceeds k has a chord no shorter than a circle's arc of curvature k of the same
   length; a geodesic's curvature in space is its normal curvature). Schur needs
   s <= pi / k (19,903 km); it holds whenever k c / 2 <= 1: the arc of the plane section
   through the centre, P and X is no longer than a (1 + 6e-6) psi, psi the angle P and X
   make at the centre (the section's radius changes by at most a (a^2 - b^2) / (2 b^2) a
   radian), and sin(psi / 2) <= c / (2 b) <= b / a, so s <= 18,993 km. At 300 km the two
   bounds are 28 m apart.
   Beyond 1,800 km the chord bounds loosen (c^3 k^2 / 24), and the geocentric angle psi
   does better: b psi <= s <= a (1 + 6e-6) psi (projecting a path onto the sphere of
   radius b shortens it; the plane section is a path). The same segments serve, on unit
   vectors: the edge's directions lie within asin(beta / (b - beta)) of the great arc
   between its ends' directions, and that arc within its sagitta 1 - cos(psi_AB / 2) of
   the unit segment.
3. **Cells.** Points are grouped in longitude-latitude cells of a quadtree (4 degrees at
   the top, halved at each level down to about 27 m). A cell's points are all within rho
   of its centre (rho: the chord across half its width at its centre's latitude plus the
   meridian arc across half its height), so each segment's distance from any of them is
   the centre's plus or minus rho. A cell all of whose points are certainly within R is
   settled; so is one certainly farther than R and than 1 km from the boundary: all its
   points are on the side of the containment outline its centre is on (one containment
   test for the cell), because that outline, straight longitude-latitude pieces of at most
   1 km between points of the edges, strays from the edges by centimetres, and by at most
   half a piece (500 m) where a piece rounds a pole. The rest are split, and each keeps
   only the segments that could still be its points' nearest (a lower bound within the
   least upper bound, both in metres) and within R. Edges come in groups of 16, groups in
   groups of 16, each held in a ball; a group stands in for its members until its ball is
   wider than the cell.
4. **Points, then geodesics.** Points left in small or finest cells are bounded one by
   one against their cell's few segments; those in the band between the bounds (tens of
   metres wide at 300 km) are measured exactly: ``Geod.inv`` to the edges' ends, then a
   golden-section search along each edge that stops as soon as it is decided.

Every margin is far wider than the float64 error it covers (nanometres in ECEF metres);
``_SLACK_M`` (1 mm) covers those and ``Geod.inv``'s own error (15 nm).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Final

import numpy as np
import numpy.typing as npt

from weaponsref.geo._geodesy import _B_M, _DEG, _E2, WGS84_A_M, geod

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.intp]

# The largest normal curvature of WGS84, 1 / M(0) = a / b^2, widened against rounding.
_KAPPA: Final = WGS84_A_M / (_B_M * _B_M) * (1.0 + 1e-12)
# The plane section through the centre: its arc per radian of geocentric angle is at most
# sqrt(a^2 + r'^2), r' <= a (a^2 - b^2) / (2 b^2) its radius' rate of change.
_RADIUS_RATE_M: Final = WGS84_A_M * (WGS84_A_M**2 - _B_M**2) / (2.0 * _B_M**2)
_A_PATH_M: Final = math.hypot(WGS84_A_M, _RADIUS_RATE_M) * (1.0 + 1e-12)
_B_LOW_M: Final = _B_M * (1.0 - 1e-12)
_SLACK_M: Final = 1e-3
# A cell certainly this far from the boundary has every point on its centre's side of the
# containment outline (see the module's docstring: the outline strays by at most 500 m).
_SIDE_M: Final = 1_000.0
# Beyond this range the geocentric angle bounds are tighter than the chord bounds.
_ANGLE_FROM_M: Final = 1_800_000.0
_GROUP: Final = 16  # members of a group of segments
_TOP_DEG: Final = 4.0
_COLUMNS: Final = 90
_ROWS: Final = 45
_LEVELS: Final = 14  # the finest cells are 4 / 2^14 degrees, about 27 m
_LEAF_POINTS: Final = 4
_PAIRS: Final = 1 << 21  # (point, edge) pairs bounded at once in the last stage
_GOLDEN: Final = (math.sqrt(5.0) - 1.0) / 2.0
_SEARCH_STEPS: Final = 64
# Cell states: still open, all within the range, all beyond it and outside the area, all
# inside the area, left to their points.
_OPEN: Final = 0
_WITHIN: Final = 1
_OUT: Final = 2
_INSIDE: Final = 3
_LEAF: Final = 4


def ecef(lat: FloatArray, lon: FloatArray) -> FloatArray:
    """Earth-centred coordinates (metres, shape (3, n)) of points on WGS84, degrees."""
    phi = lat * _DEG
    lam = lon * _DEG
    sin_phi = np.sin(phi)
    n = WGS84_A_M / np.sqrt(1.0 - _E2 * sin_phi * sin_phi)
    r = n * np.cos(phi)
    return np.vstack([r * np.cos(lam), r * np.sin(lam), n * (1.0 - _E2) * sin_phi])


class Segments:
    """An area's edges as 3D segments with slack, in one of two spaces: ECEF metres
    (``angle=False``) or unit vectors of geocentric direction, and groups of them.

    Items 0 .. m-1 are the edges; the rest are groups of 16 items (edges or groups), each a
    ball (a point and a radius) that holds its members, up to at most 16 groups at the top
    (:attr:`top`). ``first`` and ``count`` give each item's members (an edge: itself).
    """

    def __init__(self, a: FloatArray, b: FloatArray, length: FloatArray, *, angle: bool) -> None:
        m = length.size
        chord = np.linalg.norm(b - a, axis=0)
        # (L - c) carries L's nanometre error and the rounding of c; 1e-6 m covers both.
        beta = 0.5 * np.sqrt(np.maximum(length - chord + 1e-6, 0.0) * (length + chord))
        if angle:
            norm_a = np.linalg.norm(a, axis=0)
            norm_b = np.linalg.norm(b, axis=0)
            a, b = a / norm_a, b / norm_b
            half = np.arcsin(np.minimum(1.0, 0.5 * np.linalg.norm(b - a, axis=0)))
            sagitta = 1.0 - np.cos(half)
            drift = np.arcsin(np.minimum(1.0, beta / (_B_LOW_M - beta)))
            slack = (sagitta + drift) * (1.0 + 1e-9) + 1e-15
        else:
            slack = beta + 1e-6
        # Groups of 16 items (edges, then groups) held in balls, up to at most 16 at the top.
        centres = [0.5 * (a + b)]
        radii = [0.5 * np.linalg.norm(b - a, axis=0) + slack]
        first, count = [np.arange(m)], [np.ones(m, dtype=np.intp)]
        base, size = 0, m
        while size > _GROUP:
            starts = np.arange(0, size, _GROUP)
            sizes = np.minimum(starts + _GROUP, size) - starts
            inner = centres[-1]
            centre = np.add.reduceat(inner, starts, axis=1) / sizes
            owner = np.repeat(np.arange(starts.size), sizes)
            reach = np.linalg.norm(inner - centre[:, owner], axis=0) + radii[-1]
            centres.append(centre)
            radii.append(np.maximum.reduceat(reach, starts) * (1.0 + 1e-9))
            first.append(base + starts)
            count.append(sizes)
            base, size = base + size, starts.size
        groups = base + size - m
        self.edges = m
        self.top = np.arange(base, base + size, dtype=np.intp)
        self.first = np.concatenate(first).astype(np.intp)
        self.count = np.concatenate(count).astype(np.intp)
        self.start = np.hstack([a, *centres[1:]])
        self.step = np.hstack([b - a, np.zeros((3, groups))])
        length2 = np.sum(self.step * self.step, axis=0)
        self.inv2 = np.divide(1.0, length2, out=np.zeros_like(length2), where=length2 > 0.0)
        self.slack = np.concatenate([slack, *radii[1:]])
        self.angle = angle
        for array in (self.first, self.count, self.start, self.step, self.inv2, self.slack):
            array.setflags(write=False)

    def lower_m(self, x: FloatArray) -> FloatArray:
        """Lower bounds in metres of geodesics whose ends are at least ``x`` apart here."""
        x = np.maximum(x, 0.0)
        if not self.angle:
            return x
        return 2.0 * _B_LOW_M * np.arcsin(np.minimum(1.0, 0.5 * x))

    def upper_m(self, y: FloatArray) -> FloatArray:
        """Upper bounds in metres of geodesics whose ends are at most ``y`` apart here (inf
        where no bound holds)."""
        if self.angle:
            return 2.0 * _A_PATH_M * np.arcsin(np.minimum(1.0, 0.5 * y))
        half = 0.5 * _KAPPA * y
        bounded = half <= 1.0
        out = np.full(y.shape, np.inf)
        out[bounded] = 2.0 / _KAPPA * np.arcsin(half[bounded])
        return out

    def reach(self, best: FloatArray) -> FloatArray:
        """The largest lower bound here that may still beat an upper bound ``best`` here: an
        item whose lower bound exceeds it is farther than what ``best`` belongs to."""
        metres = self.upper_m(best) + _SLACK_M
        if not self.angle:
            return metres
        turn = 0.5 * metres / _B_LOW_M
        out = np.full(best.shape, np.inf)
        bounded = turn < 0.5 * math.pi
        out[bounded] = 2.0 * np.sin(turn[bounded])
        return out

    def distance(self, p: FloatArray, items: IntArray) -> FloatArray:
        """Distances from points ``p`` (3, k) to the segments ``items`` (k,), pairwise."""
        start = self.start[:, items]
        step = self.step[:, items]
        w = p - start
        t = np.einsum("ij,ij->j", w, step)
        t *= self.inv2[items]
        np.clip(t, 0.0, 1.0, out=t)
        w -= step * t
        out: FloatArray = np.sqrt(np.einsum("ij,ij->j", w, w))
        return out

    def expand(
        self, owner: IntArray, items: IntArray, keep: BoolArray
    ) -> tuple[IntArray, IntArray]:
        """Pairs (owner, item) with every item whose ``keep`` is set replaced by its members,
        in the same order."""
        counts = np.where(keep, self.count[items], 1)
        firsts = np.where(keep, self.first[items], items)
        total = int(counts.sum())
        offsets = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
        return np.repeat(owner, counts), np.repeat(firsts, counts) + offsets


class Thresholds:
    """A range as distances in a segment space: within if an upper bound is <= ``inside``,
    beyond the range and clear of the boundary if a lower bound is > ``clear``, and beyond
    the range (only) if a lower bound is > ``beyond``."""

    def __init__(self, range_m: float, *, angle: bool) -> None:
        far = max(range_m, _SIDE_M)
        if angle:
            self.inside = 2.0 * math.sin(0.5 * (range_m - _SLACK_M) / _A_PATH_M)
            self.beyond = self._unit_out(range_m)
            self.clear = self._unit_out(far)
        else:
            # s <= (2 / k) asin(k c / 2) <= R - slack when c <= (2 / k) sin(k (R - slack) / 2).
            turn = 0.5 * _KAPPA * (range_m - _SLACK_M)
            self.inside = 2.0 / _KAPPA * (math.sin(turn) if turn < 0.5 * math.pi else 1.0)
            self.beyond = range_m + _SLACK_M
            self.clear = far + _SLACK_M
        if range_m < _SLACK_M:
            self.inside = -math.inf

    @staticmethod
    def _unit_out(metres: float) -> float:
        angle = (metres + _SLACK_M) / _B_LOW_M
        return 2.0 * math.sin(0.5 * angle) if angle < math.pi else math.inf


def uses_angles(range_m: float) -> bool:
    """Whether masks at this range bound geodesics by geocentric angles (else by chords)."""
    return range_m > _ANGLE_FROM_M


def _cells(
    ix: IntArray, iy: IntArray, level: int, angle: bool
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Centres (3, n) in the segment space, radii, and centre latitudes and longitudes of
    the cells (ix, iy) of a level."""
    size = _TOP_DEG / (1 << level)
    lat = (iy + 0.5).astype(np.float64) * size - 90.0
    lon = (ix + 0.5).astype(np.float64) * size - 180.0
    centre = ecef(lat, lon)
    phi = lat * _DEG
    sin_phi = np.sin(phi)
    n = WGS84_A_M / np.sqrt(1.0 - _E2 * sin_phi * sin_phi)
    # The meridian radius M grows with |latitude|: take it at the cell's highest.
    high = np.minimum(90.0, np.abs(lat) + 0.5 * size) * _DEG
    w2 = 1.0 - _E2 * np.sin(high) ** 2
    meridian = WGS84_A_M * (1.0 - _E2) / (w2 * np.sqrt(w2))
    half = 0.5 * size * _DEG
    rho = 2.0 * n * np.cos(phi) * np.sin(0.5 * half) + meridian * half
    rho = rho * (1.0 + 1e-9) + 1e-6
    if angle:
        centre = centre / np.linalg.norm(centre, axis=0)
        rho = rho / _B_LOW_M
    return centre, rho, lat, lon


def settle(
    segments: Segments,
    limits: Thresholds,
    lat: FloatArray,
    lon: FloatArray,
    contains: Callable[[FloatArray, FloatArray], BoolArray],
    exact: Callable[[FloatArray, FloatArray, IntArray, IntArray], BoolArray],
) -> BoolArray:
    """The mask of one block of points: inside the area (``contains``) or within the range
    of its boundary; ``exact(lat, lon, pair_point, pair_edge)`` settles the band."""
    result = np.zeros(lat.size, dtype=bool)
    scale = float(1 << _LEVELS) / _TOP_DEG
    fine_x = np.minimum(((lon + 180.0) * scale).astype(np.intp), _COLUMNS * (1 << _LEVELS) - 1)
    fine_y = np.minimum(((lat + 90.0) * scale).astype(np.intp), _ROWS * (1 << _LEVELS) - 1)
    points = np.arange(lat.size)
    slots = _COLUMNS * _ROWS
    code = (fine_y >> _LEVELS) * _COLUMNS + (fine_x >> _LEVELS)
    ix = iy = offsets = items = np.zeros(0, dtype=np.intp)
    leaves: list[tuple[IntArray, IntArray, IntArray, IntArray]] = []
    for depth in range(_LEVELS + 1):
        counts = np.bincount(code, minlength=slots)
        occupied = np.flatnonzero(counts)
        rank = np.zeros(slots, dtype=np.intp)
        rank[occupied] = np.arange(occupied.size)
        cell_of = rank[code]
        if depth == 0:
            ix, iy = occupied % _COLUMNS, occupied // _COLUMNS
            offsets = np.arange(occupied.size + 1) * segments.top.size
            items = np.tile(segments.top, occupied.size)
        else:
            parent, quarter = occupied >> 2, occupied & 3
            ix = 2 * ix[parent] + (quarter & 1)
            iy = 2 * iy[parent] + (quarter >> 1)
            offsets, items = _gather(offsets, items, parent)
        status, offsets, items = _judge(
            segments, limits, (ix, iy, depth), offsets, items, counts[occupied], contains
        )
        state = status[cell_of]
        result[points[(state == _WITHIN) | (state == _INSIDE)]] = True
        leaf = np.flatnonzero(state == _LEAF)
        if leaf.size:
            leaves.append((points[leaf], cell_of[leaf], offsets, items))
        going = state == _OPEN
        if not going.any():
            break
        open_cells = np.flatnonzero(status == _OPEN)
        renumber = np.zeros(status.size, dtype=np.intp)
        renumber[open_cells] = np.arange(open_cells.size)
        ix, iy = ix[open_cells], iy[open_cells]
        offsets, items = _gather(offsets, items, open_cells)
        points, fine_x, fine_y = points[going], fine_x[going], fine_y[going]
        shift = _LEVELS - depth - 1
        code = renumber[cell_of[going]] * 4 + ((fine_x >> shift) & 1) + 2 * ((fine_y >> shift) & 1)
        slots = 4 * open_cells.size
    for chosen, cell_of, offsets, items in leaves:
        result[chosen] = _pointwise(
            segments, limits, lat[chosen], lon[chosen], cell_of, (offsets, items), contains, exact
        )
    return result


def _gather(offsets: IntArray, items: IntArray, cells: IntArray) -> tuple[IntArray, IntArray]:
    """The candidate lists of ``cells`` (CSR ``offsets`` into ``items``), as a new CSR."""
    starts = offsets[cells]
    sizes = offsets[cells + 1] - starts
    ends = np.cumsum(sizes)
    index = np.repeat(starts - (ends - sizes), sizes) + np.arange(int(ends[-1]) if ends.size else 0)
    return np.concatenate([[0], ends]).astype(np.intp), items[index]


def _least_by(values: FloatArray, owner: IntArray, count: int) -> FloatArray:
    """The least value of each owner (owners sorted; +inf for an owner with none)."""
    out = np.full(count, np.inf)
    if values.size:
        starts = np.flatnonzero(np.concatenate([[True], owner[1:] != owner[:-1]]))
        out[owner[starts]] = np.minimum.reduceat(values, starts)
    return out


def _narrow(
    segments: Segments,
    limits: Thresholds,
    places: tuple[FloatArray, FloatArray],
    owner: IntArray,
    items: IntArray,
) -> tuple[IntArray, IntArray, FloatArray, FloatArray]:
    """Bound every pair (owner, item) for owners at ``places`` (centres, radii) and keep only
    the items that could still be an owner's nearest and within its clear distance; open
    the groups wider than an owner's radius (every group, for points) and repeat.
    Returns the pairs kept with their lower bounds, and each owner's least upper bound."""
    centre, rho = places
    best = np.full(rho.size, np.inf)
    while True:
        distance = segments.distance(centre[:, owner], items)
        slack = segments.slack[items] + rho[owner]
        lower = distance - slack
        np.minimum(best, _least_by(distance + slack, owner, rho.size), out=best)
        keep = (lower <= limits.clear) & (lower <= segments.reach(best)[owner])
        owner, items, lower = owner[keep], items[keep], lower[keep]
        split = (items >= segments.edges) & (segments.slack[items] >= rho[owner])
        if not split.any():
            return owner, items, lower, best
        owner, items = segments.expand(owner, items, split)


def _judge(
    segments: Segments,
    limits: Thresholds,
    cells: tuple[IntArray, IntArray, int],
    offsets: IntArray,
    items: IntArray,
    points: IntArray,
    contains: Callable[[FloatArray, FloatArray], BoolArray],
) -> tuple[npt.NDArray[np.int8], IntArray, IntArray]:
    """Each cell's state, and the candidates of the cells still open or left to their points
    (the others' lists empty): those that could be the nearest, or within the range."""
    ix, iy, depth = cells
    centre, rho, lat, lon = _cells(ix, iy, depth, segments.angle)
    owner = np.repeat(np.arange(ix.size), np.diff(offsets))
    owner, items, _, best = _narrow(segments, limits, (centre, rho), owner, items)
    status = np.full(ix.size, _OPEN, dtype=np.int8)
    # A cell with no segment left has none within its clear distance.
    clear = np.bincount(owner, minlength=ix.size) == 0
    plain = np.flatnonzero(clear)
    if plain.size:
        status[plain] = np.where(contains(lat[plain], lon[plain]), _INSIDE, _OUT)
    status[best <= limits.inside] = _WITHIN
    left = status == _OPEN
    status[left & ((points <= _LEAF_POINTS) | (depth == _LEVELS))] = _LEAF
    keep = left[owner]
    owner, items = owner[keep], items[keep]
    sizes = np.bincount(owner, minlength=ix.size)
    return status, np.concatenate([[0], np.cumsum(sizes)]).astype(np.intp), items


def _pointwise(
    segments: Segments,
    limits: Thresholds,
    lat: FloatArray,
    lon: FloatArray,
    cell_of: IntArray,
    lists: tuple[IntArray, IntArray],
    contains: Callable[[FloatArray, FloatArray], BoolArray],
    exact: Callable[[FloatArray, FloatArray, IntArray, IntArray], BoolArray],
) -> BoolArray:
    """The mask of points against their cells' candidate edges, a few pairs at a time."""
    offsets, items = lists
    result = np.zeros(lat.size, dtype=bool)
    sizes = offsets[cell_of + 1] - offsets[cell_of]
    pairs = np.cumsum(sizes)
    first = 0
    while first < lat.size:
        before = int(pairs[first] - sizes[first])
        last = max(first + 1, int(np.searchsorted(pairs, before + _PAIRS, side="right")))
        chunk = slice(first, last)
        result[chunk] = _bound_points(
            segments,
            limits,
            lat[chunk],
            lon[chunk],
            _gather(offsets, items, cell_of[chunk]),
            contains,
            exact,
        )
        first = last
    return result


def _bound_points(
    segments: Segments,
    limits: Thresholds,
    lat: FloatArray,
    lon: FloatArray,
    lists: tuple[IntArray, IntArray],
    contains: Callable[[FloatArray, FloatArray], BoolArray],
    exact: Callable[[FloatArray, FloatArray, IntArray, IntArray], BoolArray],
) -> BoolArray:
    """The mask of points against their candidates: groups are opened round by round (each
    point keeping the members that could still be its nearest or within range), then the
    edges bound each point, and the band between the bounds is measured."""
    offsets, items = lists
    owner = np.repeat(np.arange(lat.size), np.diff(offsets))
    p = ecef(lat, lon)
    if segments.angle:
        p /= np.linalg.norm(p, axis=0)
    owner, items, lower, best = _narrow(segments, limits, (p, np.zeros(lat.size)), owner, items)
    least = _least_by(lower, owner, lat.size)
    result = best <= limits.inside
    rest = np.flatnonzero(~result)
    if rest.size:
        result[rest] = contains(lat[rest], lon[rest])
    band = ~result & (least <= limits.beyond)
    if band.any():
        near = band[owner] & (lower <= limits.beyond)
        result |= exact(lat, lon, owner[near], items[near])
    return result


def exact_within(
    edges: tuple[FloatArray, FloatArray, FloatArray, FloatArray, FloatArray, FloatArray],
    range_m: float,
    lat: FloatArray,
    lon: FloatArray,
    pair_point: IntArray,
    pair_edge: IntArray,
) -> BoolArray:
    """Which points are within ``range_m`` of one of their edges, by geodesics: pairs
    (point, edge) of the arrays (``edges``: start lon, lat, end lon, lat, azimuth and length
    of every edge). A vertex within range settles a point; otherwise a golden-section search
    along the edge (its distance has one minimum) runs until a probe comes within range or
    the probes less the length of the bracket (the distance changes by at most a metre a
    metre along the edge) stay beyond it."""
    a_lon, a_lat, b_lon, b_lat, azi, length = edges
    g = geod()
    out = np.zeros(lat.size, dtype=bool)
    p_lat, p_lon = lat[pair_point], lon[pair_point]
    s_a = np.asarray(g.inv(p_lon, p_lat, a_lon[pair_edge], a_lat[pair_edge])[2])
    s_b = np.asarray(g.inv(p_lon, p_lat, b_lon[pair_edge], b_lat[pair_edge])[2])
    out[pair_point[np.minimum(s_a, s_b) <= range_m]] = True
    metres = length[pair_edge]
    # No point of an edge is nearer than (s_a + s_b - L) / 2 (the triangle inequality).
    live = np.flatnonzero(~out[pair_point] & (0.5 * (s_a + s_b - metres) <= range_m))
    point, edge, metres = pair_point[live], pair_edge[live], metres[live]
    p_lat, p_lon = p_lat[live], p_lon[live]

    def probe(t: FloatArray) -> FloatArray:
        x, y, _ = g.fwd(a_lon[edge], a_lat[edge], azi[edge], t * metres)
        return np.asarray(g.inv(p_lon, p_lat, x, y)[2])

    lo = np.zeros(live.size)
    hi = np.ones(live.size)
    c = hi - _GOLDEN
    d = lo + _GOLDEN
    fc, fd = probe(c), probe(d)
    for _ in range(_SEARCH_STEPS):
        nearest = np.minimum(fc, fd)
        out[point[nearest <= range_m]] = True
        keep = ~out[point] & (nearest - metres * (hi - lo) <= range_m)
        if not keep.all():
            point, edge = point[keep], edge[keep]
            metres, p_lat, p_lon = metres[keep], p_lat[keep], p_lon[keep]
            lo, hi, c, d, fc, fd = (v[keep] for v in (lo, hi, c, d, fc, fd))
        if not point.size:
            break
        left = fc < fd
        hi = np.where(left, d, hi)
        lo = np.where(left, lo, c)
        c, d = (
            np.where(left, hi - _GOLDEN * (hi - lo), d),
            np.where(left, c, lo + _GOLDEN * (hi - lo)),
        )
        fresh = probe(np.where(left, c, d))
        fc, fd = np.where(left, fresh, fd), np.where(left, fc, fresh)
    return out


def nearest_candidates(
    chord: Segments, unit: Segments, lat: FloatArray, lon: FloatArray
) -> tuple[IntArray, IntArray]:
    """Pairs (point, edge) holding each point's nearest edge: every edge whose lower bound
    (the better of the chord and the angle bounds, in metres) is within the least upper
    bound of the point's edges. ``chord`` and ``unit`` are the same edges in the two
    spaces (so their items match)."""
    p = ecef(lat, lon)
    q = p / np.linalg.norm(p, axis=0)
    owner = np.repeat(np.arange(lat.size), chord.top.size)
    items = np.tile(chord.top, lat.size)
    while True:
        near_c = chord.distance(p[:, owner], items)
        near_u = unit.distance(q[:, owner], items)
        slack_c, slack_u = chord.slack[items], unit.slack[items]
        lower = np.maximum(chord.lower_m(near_c - slack_c), unit.lower_m(near_u - slack_u))
        upper = np.minimum(chord.upper_m(near_c + slack_c), unit.upper_m(near_u + slack_u))
        best = _least_by(upper, owner, lat.size) + _SLACK_M
        keep = lower <= best[owner]
        owner, items = owner[keep], items[keep]
        group = items >= chord.edges
        if not group.any():
            return owner, items
        owner, items = chord.expand(owner, items, group)
