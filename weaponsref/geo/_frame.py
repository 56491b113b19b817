"""The lon/lat frame of a range ring: cutting it at the antimeridian, closing it over a pole,
and rounding its positions without laying a vertex on the frame.

A geodesic circle is a closed curve on the ellipsoid; RFC 7946 wants polygons in the
rectangle of longitudes [-180, 180] and latitudes [-90, 90], drawn with straight edges. This
module turns a counter-clockwise ring of vertices round a disk into such polygons
(:func:`_cut_and_close`) and rounds them (:func:`_rounded_geometry`); :mod:`._rings` places
the vertices.
"""

from __future__ import annotations

import itertools
from typing import Any, Final

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


def _point_in_rings(x0: float, y0: float, rings: list[list[list[float]]]) -> bool:
    """Even-odd test of one point against a polygon's rings, in the lon/lat plane."""
    inside = False
    for ring in rings:
        for (x1, y1), (x2, y2) in itertools.pairwise(ring):
            if (y1 > y0) != (y2 > y0) and x0 < x1 + (y0 - y1) * (x2 - x1) / (y2 - y1):
                inside = not inside
    return inside
