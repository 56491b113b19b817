"""Masks against an area: weaponsref's exact mask against the shapely buffer users reach for.

Run from the repository root::

    python benchmarks/bench_areas.py            # 1,000,000 points an area (about 2 minutes)
    python benchmarks/bench_areas.py --quick    # 100,000 points an area

Which of N points lie within 300 km of an area: Ukraine, Russia (which crosses the
antimeridian) and a user's GeoJSON polygon (2,000 vertices drawn round eastern Ukraine, given
as a dict, so it is read again on every call). The points are uniform in area over the
area's longitude-latitude box widened by 5 degrees of latitude and 10 of longitude (across the
antimeridian for Russia). On the same points, in one run:

- **weaponsref**: ``wr.within_range("300 km", area, lats, lons)``, the public path;
- **shapely buffer, WGS84 aeqd**: the area projected to a local azimuthal-equidistant
  projection on WGS84 centred on the area (pyproj), ``buffer(300 km)`` there, the points
  projected too, then ``shapely.contains_xy``: everything timed, transformer included;
- **shapely buffer, spherical aeqd**: the same on a sphere of the mean radius, a faster
  projection with larger errors.

Each time is the best of several repeats (the machine may be shared). The buffers' errors
are counted against the exact mask: points wrongly in and wrongly out, and the worst of
them (how far inside the true edge a point left out lies, or beyond it a point let in),
every one of those points measured by the exact distance. weaponsref's own mask is checked
against a brute force on a sample and on every point where a buffer disagrees with it:
``Geod.inv`` to every boundary vertex, then a golden-section search along every edge that the
triangle inequality cannot rule out.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmark this checkout

from bench_masks import machine  # the same machine report

import weaponsref as wr
from weaponsref import geo

RANGE_M = 300e3
PAD_LAT, PAD_LON = 5.0, 10.0
SAMPLE = 200  # points checked against the brute force besides every disagreement

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


def drawn_area() -> dict[str, Any]:
    """A user's GeoJSON Feature: a crinkled polygon of 2,000 vertices, 250 km round a point
    in eastern Ukraine, as one would draw an area of control."""
    g = geo.geod()
    rng = np.random.default_rng(22)
    n = 2000
    wobble = np.cumsum(rng.normal(0.0, 3e3, n))
    wobble -= np.linspace(0.0, wobble[-1], n)
    lon, lat, _ = g.fwd(
        np.full(n, 37.6), np.full(n, 48.3), np.arange(n) * 360.0 / n, 250e3 + wobble
    )
    ring = [[round(float(x), 6), round(float(y), 6)] for x, y in zip(lon, lat, strict=True)]
    ring.append(ring[0])
    return {
        "type": "Feature",
        "properties": {"name": "drawn area"},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


def box_points(area: geo.Area, n: int, seed: int) -> tuple[FloatArray, FloatArray]:
    """``n`` points uniform in area over the area's padded longitude-latitude box (the
    shortest longitude span that holds every vertex, across the antimeridian if need be)."""
    shown = area.__geo_interface__["coordinates"]
    lon = np.array([p[0] for poly in shown for ring in poly for p in ring])
    lat = np.array([p[1] for poly in shown for ring in poly for p in ring])
    turns = np.sort(lon % 360.0)
    gaps = np.diff(np.concatenate([turns, [turns[0] + 360.0]]))
    k = int(np.argmax(gaps))
    west = turns[(k + 1) % turns.size]
    east = turns[k] + (360.0 if k + 1 >= turns.size else 0.0)
    if east < west:
        east += 360.0
    south = max(-90.0, float(lat.min()) - PAD_LAT)
    north = min(90.0, float(lat.max()) + PAD_LAT)
    rng = np.random.default_rng(seed)
    z = rng.uniform(math.sin(math.radians(south)), math.sin(math.radians(north)), n)
    lons = (rng.uniform(west - PAD_LON, east + PAD_LON, n) + 180.0) % 360.0 - 180.0
    return np.degrees(np.arcsin(z)), lons


def buffer_mask(
    geojson: dict[str, Any], centre: tuple[float, float], lats: FloatArray, lons: FloatArray,
    *, spherical: bool,
) -> BoolArray:  # fmt: skip
    """The approach users pick: buffer in a local azimuthal-equidistant projection."""
    import shapely
    import shapely.geometry
    from pyproj import Transformer

    earth = "+R=6371008.8" if spherical else "+datum=WGS84"
    to_plane = Transformer.from_crs(
        "EPSG:4326",
        f"+proj=aeqd +lat_0={centre[0]} +lon_0={centre[1]} {earth} +units=m",
        always_xy=True,
    )
    geometry = geojson.get("geometry", geojson)
    shape = shapely.geometry.shape(geometry)
    planar = shapely.transform(
        shape, lambda xy: np.column_stack(to_plane.transform(xy[:, 0], xy[:, 1]))
    )
    zone = planar.buffer(RANGE_M)
    shapely.prepare(zone)
    x, y = to_plane.transform(lons, lats)
    mask: BoolArray = shapely.contains_xy(zone, x, y)
    return mask


def best_time(fn: Callable[[], object], repeats: int) -> tuple[float, object]:
    best, result = math.inf, None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def exact_m(area: geo.Area, lats: FloatArray, lons: FloatArray) -> FloatArray:
    """Exact distances from the area (0 inside), every point measured."""
    out = np.zeros(lats.size)
    outside = np.flatnonzero(~area.contains(lats, lons))
    for start in range(0, outside.size, 20_000):
        chosen = outside[start : start + 20_000]
        out[chosen] = area._boundary_distance(lats[chosen], lons[chosen])[0]
    return out


def brute_force_m(area: geo.Area, lat: float, lon: float) -> float:
    """``Geod.inv`` to every vertex, then a golden-section search (64 steps) along every edge
    the triangle inequality cannot rule out; 0 inside the area."""
    if bool(area.contains([lat], [lon])[0]):
        return 0.0
    g = geo.geod()
    m = area._a_lat.size
    s_a = np.asarray(g.inv(np.full(m, lon), np.full(m, lat), area._a_lon, area._a_lat)[2])
    s_b = np.asarray(g.inv(np.full(m, lon), np.full(m, lat), area._b_lon, area._b_lat)[2])
    best = float(min(s_a.min(), s_b.min()))
    edges = np.flatnonzero(0.5 * (s_a + s_b - area._len) <= best)
    golden = (math.sqrt(5.0) - 1.0) / 2.0
    lo, hi = np.zeros(edges.size), np.ones(edges.size)

    def dist(t: FloatArray) -> FloatArray:
        x, y, _ = g.fwd(
            area._a_lon[edges], area._a_lat[edges], area._azi[edges], t * area._len[edges]
        )
        return np.asarray(g.inv(np.full(edges.size, lon), np.full(edges.size, lat), x, y)[2])

    for _ in range(64):
        c, d = hi - golden * (hi - lo), lo + golden * (hi - lo)
        left = dist(c) < dist(d)
        hi, lo = np.where(left, d, hi), np.where(left, lo, c)
    return min(best, float(np.min(dist(0.5 * (lo + hi)))))


@dataclass
class Row:
    name: str
    vertices: int
    within: int
    ours: float
    checked: int
    wrong_ours: int
    peers: list[tuple[str, float, int, int, float, float]]


def run_area(name: str, origin: Any, area: geo.Area, n: int, repeats: int) -> Row:
    lats, lons = box_points(area, n, seed=len(name))
    wr.within_range("300 km", origin, lats[:1000], lons[:1000])  # warm the caches
    ours, mask = best_time(lambda: wr.within_range("300 km", origin, lats, lons), repeats)
    assert isinstance(mask, np.ndarray)
    geojson = origin if isinstance(origin, dict) else area.__geo_interface__
    checks: set[int] = set(np.random.default_rng(5).choice(n, SAMPLE, replace=False).tolist())
    peers = []
    for label, spherical in (("WGS84 aeqd", False), ("spherical aeqd", True)):
        seconds, theirs = best_time(
            lambda s=spherical: buffer_mask(geojson, (area.lat, area.lon), lats, lons, spherical=s),
            max(2, repeats // 2),
        )
        assert isinstance(theirs, np.ndarray)
        wrong_in = np.flatnonzero(theirs & ~mask)
        wrong_out = np.flatnonzero(~theirs & mask)
        d_in = exact_m(area, lats[wrong_in], lons[wrong_in])
        d_out = exact_m(area, lats[wrong_out], lons[wrong_out])
        # Every disagreement measured: the exact distance must side with weaponsref.
        assert np.all(d_in > RANGE_M) and np.all(d_out <= RANGE_M), label
        worst_in = float(np.max(d_in - RANGE_M, initial=0.0))
        worst_out = float(np.max(RANGE_M - d_out, initial=0.0))
        peers.append((label, seconds, wrong_in.size, wrong_out.size, worst_in, worst_out))
        rng = np.random.default_rng(6)
        for chosen in (wrong_in, wrong_out):
            take = min(chosen.size, SAMPLE // 4)
            checks.update(rng.choice(chosen, take, replace=False).tolist())
    chosen = np.array(sorted(checks))
    reference = np.array([brute_force_m(area, lats[i], lons[i]) for i in chosen])
    wrong = int(np.count_nonzero((reference <= RANGE_M) != mask[chosen]))
    vertices = sum(len(r) for poly in area.__geo_interface__["coordinates"] for r in poly)
    return Row(name, vertices, int(mask.sum()), ours, chosen.size, wrong, peers)


def fmt_s(seconds: float) -> str:
    return f"{seconds * 1e3:,.0f} ms" if seconds < 10 else f"{seconds:,.1f} s"


def report(rows: list[Row], n: int) -> list[str]:
    lines = [
        "| area | vertices | points within 300 km | approach | time | × weaponsref's time "
        "| wrongly in | wrongly out | worst error |",
        "|---|--:|--:|---|--:|--:|--:|--:|---|",
    ]
    for row in rows:
        lines.append(
            f"| {row.name} | {row.vertices:,} | {row.within:,} of {n:,} | **weaponsref "
            f"(exact)** | {fmt_s(row.ours)} | 1.00× | 0 | 0 | none: {row.wrong_ours} of "
            f"{row.checked} checked points differ from the brute force |"
        )
        for label, seconds, wrong_in, wrong_out, worst_in, worst_out in row.peers:
            worst = []
            if wrong_out:
                worst.append(f"{worst_out / 1e3:,.3f} km inside the true edge left out")
            if wrong_in:
                worst.append(f"{worst_in / 1e3:,.3f} km beyond it let in")
            lines.append(
                f"| {row.name} | | | shapely buffer, {label} | {fmt_s(seconds)} | "
                f"{seconds / row.ours:,.1f}× | {wrong_in:,} | {wrong_out:,} | "
                f"{'; '.join(worst) or 'none'} |"
            )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="100,000 points, fewer repeats")
    parser.add_argument("--repeats", type=int, default=None, help="runs of each call (7)")
    args = parser.parse_args(argv)
    n = 100_000 if args.quick else 1_000_000
    repeats = args.repeats or (3 if args.quick else 7)
    started = time.perf_counter()
    drawn = drawn_area()
    rows = [
        run_area(name, origin, area, n, repeats)
        for name, origin, area in (
            ("Ukraine", wr.area("Ukraine"), wr.area("Ukraine")),
            ("Russia", wr.area("Russia"), wr.area("Russia")),
            ("user GeoJSON", drawn, geo.Area.from_geojson(drawn)),
        )
    ]
    print("## Masks against an area\n")
    print("\n".join(machine(("numpy", "pyproj", "shapely"))))
    print(
        f"\n{n:,} points uniform in area over each area's longitude-latitude box widened by "
        f"{PAD_LAT:g} degrees of latitude and {PAD_LON:g} of longitude; range 300 km. Times are "
        "the best of several runs of the whole call (the buffers' projection, buffering and "
        "point projection included; the user GeoJSON is read on every call); above 1× a peer "
        "is slower than weaponsref. Wrong points are counted against the exact mask, and each "
        "was measured by the exact distance.\n"
    )
    print("\n".join(report(rows, n)))
    print(f"\nTotal benchmark time {time.perf_counter() - started:.0f} s.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
