"""Benchmark the exact range masks against Geod.inv, geographiclib and geopy.

Run from the repository root::

    python benchmarks/bench_masks.py            # full run, N up to 1,000,000 (about a minute)
    python benchmarks/bench_masks.py --quick    # CI report, N up to 100,000 (under 60 s)

For each point set (uniform on the sphere, and a regional box over Europe and Ukraine),
each N and each range, on the same data in one run, it times:

- the baseline: ``Geod.inv`` (pyproj, GeographicLib in C) on every point, then ``<= range``;
- a loop of pure-Python ``geographiclib`` ``Geodesic.WGS84.Inverse`` calls (distance only);
- a loop of ``geopy.distance.geodesic`` calls;
- ``weaponsref.geo.within_range_m`` from degrees;
- ``TargetSet.within`` on a prepared set (its one-off build time is listed apart).

The geographiclib and geopy loops are timed on a subsample and extrapolated per point (the
output says so). Every fast mask is asserted equal to the baseline mask, point for point.
Each time is the best of several repeats; small cases are looped to fill at least 50 ms,
after a warm-up.
The output is a Markdown report to paste into the README.
"""

from __future__ import annotations

import argparse
import functools
import gc
import importlib.metadata
import os
import platform
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmark this checkout

from weaponsref import geo as geodesy
from weaponsref.geo import _masks

ORIGIN = (50.4501, 30.5234)  # Kyiv, latitude first
RANGES_KM = (80, 560, 1000, 5000, 19000)
REGION = {"lat": (36.0, 60.0), "lon": (-10.0, 45.0)}  # Europe and Ukraine

FloatArray = npt.NDArray[np.float64]


def machine() -> list[str]:
    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import pyproj

    versions = []
    for name in ("numpy", "pyproj", "geographiclib", "geopy"):
        try:
            versions.append(f"{name} {importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            versions.append(f"{name} (not installed)")
    return [
        f"- platform: {platform.platform()}",
        f"- CPU: {cpu} ({os.cpu_count()} logical CPUs)",
        f"- Python {platform.python_version()}; {', '.join(versions)}; "
        f"PROJ {pyproj.proj_version_str}",
    ]


def points(kind: str, n: int, rng: np.random.Generator) -> tuple[FloatArray, FloatArray]:
    """``n`` points uniform in area: over the whole sphere, or over the regional box."""
    if kind == "uniform":
        lat_lo, lat_hi, lon_lo, lon_hi = -90.0, 90.0, -180.0, 180.0
    else:
        (lat_lo, lat_hi), (lon_lo, lon_hi) = REGION["lat"], REGION["lon"]
    z = rng.uniform(np.sin(np.radians(lat_lo)), np.sin(np.radians(lat_hi)), n)
    return np.degrees(np.arcsin(z)), rng.uniform(lon_lo, lon_hi, n)


def best_loop(fn: Callable[[], object], number: int, repeats: int) -> float:
    """Best seconds per call over ``repeats`` loops of ``number`` calls, with gc off."""
    best = float("inf")
    gc.disable()
    try:
        for _ in range(repeats):
            start = time.perf_counter()
            for _ in range(number):
                fn()
            best = min(best, (time.perf_counter() - start) / number)
    finally:
        gc.enable()
    return best


def best_time(fn: Callable[[], object], repeats: int, min_seconds: float = 0.05) -> float:
    """Best seconds per call over ``repeats`` rounds, each looped to last ``min_seconds``."""
    start = time.perf_counter()
    fn()
    once = time.perf_counter() - start
    number = max(1, int(min_seconds / max(once, 1e-9)))
    return min(once, best_loop(fn, number, repeats))


@dataclass
class Row:
    kind: str
    n: int
    range_km: int
    band: float  # fraction of points settled by Geod.inv in the TargetSet path
    baseline_s: float
    geographiclib_s: float
    geopy_s: float
    degrees_s: float
    prepared_s: float


def loop_cost(
    kind: str, lats: FloatArray, lons: FloatArray, sample: int
) -> tuple[float, float, int, int]:
    """Seconds per point for the geographiclib and geopy loops, and the sample sizes."""
    from geographiclib.geodesic import Geodesic
    from geopy.distance import geodesic  # type: ignore[import-untyped]

    lat0, lon0 = ORIGIN
    wgs84 = Geodesic.WGS84
    distance_only = Geodesic.DISTANCE
    m1 = min(sample, lats.size)
    m2 = min(max(sample // 4, 10), lats.size)
    pairs1 = list(zip(lats[:m1].tolist(), lons[:m1].tolist(), strict=True))
    pairs2 = list(zip(lats[:m2].tolist(), lons[:m2].tolist(), strict=True))

    def geographiclib_loop() -> list[float]:
        return [wgs84.Inverse(lat0, lon0, a, b, distance_only)["s12"] for a, b in pairs1]

    def geopy_loop() -> list[float]:
        return [geodesic((lat0, lon0), (a, b)).m for a, b in pairs2]

    repeats = 3 if m1 <= 1000 else 1
    per_geographiclib = best_time(geographiclib_loop, repeats) / m1
    per_geopy = best_time(geopy_loop, repeats) / m2
    # Same distances as pyproj (both are GeographicLib), to far below a millimetre.
    s12 = np.asarray(
        geodesy.geod().inv(np.full(m1, lon0), np.full(m1, lat0), lons[:m1], lats[:m1])[2]
    )
    assert np.allclose(geographiclib_loop(), s12, rtol=0, atol=1e-6), kind
    assert np.allclose(geopy_loop(), s12[:m2], rtol=0, atol=1e-6), kind
    return per_geographiclib, per_geopy, m1, m2


def band_fraction(targets: geodesy.TargetSet, range_m: float) -> float:
    lo, hi = _masks._cos_thresholds(range_m, ORIGIN[0])
    cos_angle = _masks._cos_angle_prepared(targets.xyz.T, *ORIGIN)
    return float(np.count_nonzero((cos_angle >= lo) & (cos_angle <= hi))) / max(len(targets), 1)


def warm_up(seconds: float = 1.0) -> None:
    """Run every path for a while first: the first calls and a cold CPU clock skew the
    smallest cases."""
    lats, lons = points("uniform", 1000, np.random.default_rng(0))
    targets = geodesy.TargetSet(lats, lons)
    g = geodesy.geod()
    ones = np.ones(lats.size)
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        g.inv(ORIGIN[1] * ones, ORIGIN[0] * ones, lons, lats)
        geodesy.within_range_m(*ORIGIN, 1e6, lats, lons)
        targets.within(*ORIGIN, 1e6)


def run(quick: bool, seed: int) -> tuple[list[Row], list[str]]:
    sizes = (10, 1000, 100_000) if quick else (10, 1000, 1_000_000)
    repeats = 3 if quick else 5
    sample = 300 if quick else 2000
    rows: list[Row] = []
    notes: list[str] = []
    lat0, lon0 = ORIGIN
    warm_up(0.5 if quick else 2.0)
    g = geodesy.geod()
    for kind in ("uniform", "regional"):
        for n in sizes:
            rng = np.random.default_rng(seed)
            lats, lons = points(kind, n, rng)
            ones = np.ones(n)

            def baseline(
                lats: FloatArray = lats, lons: FloatArray = lons, ones: FloatArray = ones
            ) -> FloatArray:
                return np.asarray(g.inv(lon0 * ones, lat0 * ones, lons, lats)[2])

            distances = baseline()
            inv_s = best_time(baseline, 2 if n >= 100_000 else repeats)
            per_gl, per_gp, m1, m2 = loop_cost(kind, lats, lons, sample)
            if m1 < n or m2 < n:
                notes.append(
                    f"- {kind}, N = {n:,}: geographiclib timed on {m1:,} points and geopy on "
                    f"{m2:,}, extrapolated to N per point"
                )
            start = time.perf_counter()
            targets = geodesy.TargetSet(lats, lons)
            build_s = time.perf_counter() - start
            notes.append(f"- {kind}, N = {n:,}: TargetSet built in {build_s * 1e3:.2f} ms")
            for range_km in RANGES_KM:
                range_m = range_km * 1000.0
                expected = distances <= range_m
                compare_s = best_time(functools.partial(np.less_equal, distances, range_m), repeats)
                degrees = functools.partial(geodesy.within_range_m, lat0, lon0, range_m, lats, lons)
                prepared = functools.partial(targets.within, lat0, lon0, range_m)
                assert np.array_equal(degrees(), expected), (kind, n, range_km, "degrees")
                assert np.array_equal(prepared(), expected), (kind, n, range_km, "TargetSet")
                degrees_s = best_time(degrees, repeats)
                prepared_s = best_time(prepared, repeats)
                rows.append(
                    Row(
                        kind,
                        n,
                        range_km,
                        band_fraction(targets, range_m),
                        inv_s + compare_s,
                        per_gl * n,
                        per_gp * n,
                        degrees_s,
                        prepared_s,
                    )
                )
            print(f"  done: {kind}, N = {n:,}", file=sys.stderr)
    return rows, notes


def fmt_time(seconds: float) -> str:
    if seconds >= 1.0:
        return f"{seconds:,.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds * 1e6:.1f} µs"


def fmt_ratio(ratio: float) -> str:
    return f"{ratio:,.0f}×" if ratio >= 10 else f"{ratio:.1f}×"


def table(rows: list[Row]) -> list[str]:
    lines = [
        "| points | N | range | exact-checked | Geod.inv, all points | geographiclib loop* "
        "| geopy loop* | within_range_m | vs Geod.inv | vs geographiclib | vs geopy "
        "| TargetSet.within | vs Geod.inv | vs geographiclib | vs geopy |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for row in rows:
        cells = [
            row.kind,
            f"{row.n:,}",
            f"{row.range_km:,} km",
            f"{row.band:.3%}",
            fmt_time(row.baseline_s),
            fmt_time(row.geographiclib_s),
            fmt_time(row.geopy_s),
            fmt_time(row.degrees_s),
            fmt_ratio(row.baseline_s / row.degrees_s),
            fmt_ratio(row.geographiclib_s / row.degrees_s),
            fmt_ratio(row.geopy_s / row.degrees_s),
            fmt_time(row.prepared_s),
            fmt_ratio(row.baseline_s / row.prepared_s),
            fmt_ratio(row.geographiclib_s / row.prepared_s),
            fmt_ratio(row.geopy_s / row.prepared_s),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="N up to 100,000, fewer repeats")
    parser.add_argument("--seed", type=int, default=20240501, help="random seed for the points")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    rows, notes = run(args.quick, args.seed)
    origin = f"{ORIGIN[0]}, {ORIGIN[1]}"
    box = f"latitude {REGION['lat'][0]} to {REGION['lat'][1]}, longitude {REGION['lon'][0]} to "
    box += f"{REGION['lon'][1]}"
    out = [
        f"## Exact range masks{' (quick run)' if args.quick else ''}",
        "",
        *machine(),
        "",
        f"Origin {origin} (Kyiv). *uniform*: points uniform on the sphere; *regional*: points "
        f"uniform in area over {box}. *exact-checked* is the share of points the bound could "
        "not settle, which go through Geod.inv. Every mask was checked equal to the Geod.inv "
        "mask, point for point. Times are the best of several runs; ratios are how many times "
        "faster weaponsref is.",
        "",
        *table(rows),
        "",
        "\\* extrapolated from a subsample, per point:",
        *[note for note in notes if "extrapolated" in note],
        "",
        "TargetSet build (one-off) times:",
        *[note for note in notes if "built" in note],
        "",
        f"Total benchmark time {time.perf_counter() - started:.1f} s.",
    ]
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
