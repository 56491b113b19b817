"""Masks against an area: 1M points and China (about 2,000 boundary vertices) against a loop of
vectorised Geod.inv calls over the boundary's vertices (timed on a sample of vertices and
scaled, since the full loop takes many minutes). Run: python benchmarks/bench_areas.py"""

from __future__ import annotations

import time

import numpy as np

import weaponsref as wr
from weaponsref import geo as geodesy


def main() -> None:
    area = wr.area("China")
    rng = np.random.default_rng(1)
    n = 1_000_000
    lats = rng.uniform(10, 60, n)
    lons = rng.uniform(60, 140, n)
    start = time.perf_counter()
    mask = area.within(lats, lons, 300e3)
    ours = time.perf_counter() - start
    vertices = area._a_lat.size
    g = geodesy.geod()
    sample = 5
    start = time.perf_counter()
    best = np.full(n, np.inf)
    for k in range(sample):
        s = g.inv(np.full(n, area._a_lon[k]), np.full(n, area._a_lat[k]), lons, lats)[2]
        np.minimum(best, s, out=best)
    loop = (time.perf_counter() - start) / sample * vertices
    print(f"{vertices} edges; {int(mask.sum()):,} of {n:,} points within 300 km")
    print(f"Area.within: {ours:.2f} s; vertex loop (scaled from {sample}): {loop:.0f} s; ")
    print(f"ratio {loop / ours:.0f}x")


if __name__ == "__main__":
    main()
