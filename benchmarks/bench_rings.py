"""Benchmark range rings against the ring users draw instead: 360 azimuths of Geod.fwd.

Run from the repository root::

    python benchmarks/bench_rings.py            # about 30 s
    python benchmarks/bench_rings.py --quick    # fewer repeats

For each ring (an origin and a range, at the default 100 m tolerance), in one run on the
same machine:

- the baseline: one vectorised ``Geod.fwd`` call at 360 evenly spaced azimuths (pyproj,
  GeographicLib in C), the ring most users draw; and, beside it, the same with its GeoJSON
  Polygon built (the positions as lists, closed), which is what they then hand on;
- ``weaponsref.range_ring(...)`` from a point, the public call (a GeoJSON Feature: the
  ring cut at the antimeridian and closed over a pole, rounded, with its properties), and
  ``weaponsref.geo.ring_geometry(...)``, the geometry alone.

Each ring is then measured, not trusted: every edge as drawn (straight in longitude and
latitude, as RFC 7946 draws it) is cut into 64 pieces and the geodesic distance of every
piece's end from the origin compared with the range by ``Geod.inv`` (GeographicLib): the
largest difference is the ring's sag. The 360-azimuth ring's sag is measured the same way
(its edges taken the short way round in longitude; it is not cut at the antimeridian nor
closed over a pole, so as GeoJSON it is wrong there whatever its sag).

Times are the best of several rounds, each a loop of at least 20 ms, the calls taking turns
within a round (the machine is shared: a slow moment falls on one round, not on one call).
The output is Markdown.
"""

from __future__ import annotations

import argparse
import functools
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmark this checkout

from bench_masks import best_times, machine  # the same timer and machine report

import weaponsref as wr
from weaponsref import geo

# (what, origin (lat, lon), range in km)
RINGS = [
    ("Kyiv, 80 km", (50.4501, 30.5234), 80.0),
    ("Kyiv, 300 km", (50.4501, 30.5234), 300.0),
    ("Kyiv, 999 km", (50.4501, 30.5234), 999.0),
    ("Kyiv, 5,000 km (holds the North Pole)", (50.4501, 30.5234), 5000.0),
    ("Petropavlovsk-Kamchatsky, 2,000 km (crosses 180)", (53.0167, 158.65), 2000.0),
    ("Quito, 15,000 km", (-0.1807, -78.4678), 15000.0),
]
AZIMUTHS = np.arange(360.0)


def fwd_ring(lat0: float, lon0: float, range_m: float) -> tuple[Any, Any]:
    """The baseline: 360 azimuths of one vectorised Geod.fwd call."""
    n = AZIMUTHS.size
    lons, lats, _ = geo.geod().fwd(
        np.full(n, lon0), np.full(n, lat0), AZIMUTHS, np.full(n, range_m)
    )
    return lons, lats


def fwd_polygon(lat0: float, lon0: float, range_m: float) -> dict[str, Any]:
    """The baseline with its GeoJSON Polygon built, as users hand it on."""
    lons, lats = fwd_ring(lat0, lon0, range_m)
    ring = [[x, y] for x, y in zip(lons.tolist(), lats.tolist(), strict=True)]
    ring.append(ring[0])
    return {"type": "Polygon", "coordinates": [ring]}


def sag_m(lat0: float, lon0: float, range_m: float, geometry: dict[str, Any]) -> float:
    """The largest |distance from the origin - range| along the drawn edges, metres (edges
    along +-180 or along a pole's latitude are the map's frame, not the circle's)."""
    polygons = (
        [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    )
    worst = 0.0
    t = np.linspace(0.0, 1.0, 65)
    for polygon in polygons:
        for ring in polygon:
            a = np.asarray(ring, dtype=float)
            x1, y1, x2, y2 = a[:-1, 0], a[:-1, 1], a[1:, 0], a[1:, 1]
            frame = ((np.abs(x1) == 180) & (np.abs(x2) == 180)) | ((np.abs(y1) == 90) & (y1 == y2))
            step = (x2 - x1 + 180.0) % 360.0 - 180.0
            keep = ~frame
            lons = x1[keep, None] + t * step[keep, None]
            lats = y1[keep, None] + t * (y2 - y1)[keep, None]
            lons = (lons + 180.0) % 360.0 - 180.0
            n = lons.size
            s = np.asarray(
                geo.geod().inv(np.full(n, lon0), np.full(n, lat0), lons.ravel(), lats.ravel())[2]
            )
            worst = max(worst, float(np.max(np.abs(s - range_m), initial=0.0)))
    return worst


def vertices(geometry: dict[str, Any]) -> int:
    polygons = (
        [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    )
    return sum(len(ring) - 1 for polygon in polygons for ring in polygon)


def run(rounds: int) -> list[str]:
    lines = [
        "| ring | vertices | sag (measured) | 360-azimuth Geod.fwd | its vertices, sag "
        "| range_ring | vs Geod.fwd | vs Geod.fwd + GeoJSON | ring_geometry | vs Geod.fwd |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for name, (lat0, lon0), km in RINGS:
        range_m = km * 1000.0
        distance = f"{km:g} km"
        calls: dict[str, Callable[[], object]] = {
            "fwd": functools.partial(fwd_ring, lat0, lon0, range_m),
            "polygon": functools.partial(fwd_polygon, lat0, lon0, range_m),
            "range_ring": functools.partial(wr.range_ring, distance, (lat0, lon0)),
            "ring_geometry": functools.partial(geo.ring_geometry, lat0, lon0, range_m),
        }
        best = best_times(calls, rounds)
        ours = wr.range_ring(distance, (lat0, lon0))["geometry"]
        peer = fwd_polygon(lat0, lon0, range_m)
        ours_sag, peer_sag = sag_m(lat0, lon0, range_m, ours), sag_m(lat0, lon0, range_m, peer)
        assert ours_sag <= geo.DEFAULT_TOLERANCE_M, (name, ours_sag)
        cells = [
            name,
            f"{vertices(ours):,}",
            f"{ours_sag:.1f} m",
            f"{best['fwd'] * 1e6:,.0f} µs",
            f"360, {peer_sag:,.1f} m",
            f"{best['range_ring'] * 1e6:,.0f} µs",
            f"{best['range_ring'] / best['fwd']:.2f}×",
            f"{best['range_ring'] / best['polygon']:.2f}×",
            f"{best['ring_geometry'] * 1e6:,.0f} µs",
            f"{best['ring_geometry'] / best['fwd']:.2f}×",
        ]
        lines.append("| " + " | ".join(cells) + " |")
        print(f"  done: {name}", file=sys.stderr)
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="fewer rounds")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    table = run(5 if args.quick else 11)
    out = [
        f"## Range rings{' (quick run)' if args.quick else ''}",
        "",
        *machine(),
        "",
        "At the default tolerance (100 m). *sag*: the largest distance of any drawn edge "
        "(straight in longitude and latitude, cut into 64 pieces) from the true geodesic "
        "circle, measured with Geod.inv. The baseline is one vectorised Geod.fwd call at "
        "360 azimuths; *+ GeoJSON* adds building its Polygon, closed. Ratios are how many "
        "times longer weaponsref takes; times are the best of several rounds of 20 ms loops, "
        "the calls taking turns (2 shared cores).",
        "",
        *table,
        "",
        f"Total benchmark time {time.perf_counter() - started:.1f} s.",
    ]
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
