"""Benchmark the exact range masks against Geod.inv, geographiclib and geopy.

Run from the repository root::

    python benchmarks/bench_masks.py            # full run, N up to 20,000,000 (about 3 minutes)
    python benchmarks/bench_masks.py --quick    # CI report, N up to 1,000,000 (under 60 s)

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

Three more tables follow, each against a baseline timed in the same run:

- *against the floor*: ``within_range`` (the public call, a length and a point) and
  ``within_range_m`` at 300 km on 1,000 to 1,000,000 points, against the floor: the same
  spherical-angle mask as one fused float32 numpy expression with no checks and no exact
  band (so not exact: its disagreements with Geod.inv are counted beside it);
- *memory*: the peak of the memory numpy allocates during one mask (tracemalloc), per
  point, on plain float64 arrays of 1 to 20 million points (the result itself is 1 byte a
  point), and a TargetSet's own size and its query's peak;
- *TargetSet against a BallTree*: a prebuilt scikit-learn ``BallTree`` (haversine, on the
  mean Earth radius) and its ``query_radius``, which users reach for when one set is queried
  often, against a prebuilt TargetSet's ``indices_within`` (both give indices) and, made a
  mask, against its ``within``, at 1 and 10 million uniform and regional
  points (100,000 with ``--quick``), with both build times and the BallTree's disagreements
  with Geod.inv (needs ``pip install scikit-learn``; skipped with a note without it).

Those times are the best of several rounds in which the calls take turns (the machine is
shared: a slow moment falls on one round, not on one call).
The output is a Markdown report to paste into the README.
"""

from __future__ import annotations

import argparse
import functools
import gc
import importlib.metadata
import math
import os
import platform
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmark this checkout

import weaponsref as wr
from weaponsref import geo as geodesy
from weaponsref.geo import _masks

ORIGIN = (50.4501, 30.5234)  # Kyiv, latitude first
RANGES_KM = (80, 560, 1000, 5000, 19000)
INDEX_RANGES_KM = (80, 300, 1000, 5000, 19000)
MEAN_RADIUS_M = 6371008.8  # IUGG mean Earth radius, the sphere a haversine BallTree measures on
_DEG32 = np.float32(math.pi / 180.0)
REGION = {"lat": (36.0, 60.0), "lon": (-10.0, 45.0)}  # Europe and Ukraine

FloatArray = npt.NDArray[np.float64]


def machine(packages: tuple[str, ...] = ("numpy", "pyproj", "geographiclib", "geopy")) -> list[str]:
    """The machine a report ran on, as Markdown lines: platform, CPU, Python, the versions of
    ``packages`` and PROJ's."""
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
    for name in packages:
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


def exact_checked(call: Callable[[], object], n: int) -> float:
    """The share of the ``n`` points that ``call`` (a mask) runs through Geod.inv."""
    counted = [0]
    original = _masks._exact_within

    def counting(*args: Any) -> Any:
        counted[0] += args[3].size
        return original(*args)

    namespace = vars(_masks)  # the mask looks the function up there at every call
    namespace["_exact_within"] = counting
    try:
        call()
    finally:
        namespace["_exact_within"] = original
    return counted[0] / max(n, 1)


def best_times(calls: dict[str, Callable[[], object]], rounds: int) -> dict[str, float]:
    """Best seconds per call of each, over ``rounds`` rounds in which they take turns, each
    call looped to last at least 20 ms."""
    number = {}
    for name, call in calls.items():
        call()  # warm up: a first call may load and cache what later ones reuse
        start = time.perf_counter()
        call()
        once = max(time.perf_counter() - start, 1e-7)
        number[name] = max(1, int(0.02 / once))
    best = dict.fromkeys(calls, float("inf"))
    gc.disable()
    try:
        for _ in range(rounds):
            for name, call in calls.items():
                start = time.perf_counter()
                for _ in range(number[name]):
                    call()
                best[name] = min(best[name], (time.perf_counter() - start) / number[name])
    finally:
        gc.enable()
    return best


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
                        exact_checked(prepared, n),
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


# --------------------------------------------------------------------------------------------
# Against the floor
# --------------------------------------------------------------------------------------------


def floor_mask(range_m: float, lats: FloatArray, lons: FloatArray) -> Any:
    """The floor: the points within ``range_m`` of the origin on a sphere of the mean radius,
    as one fused float32 numpy expression with no checks and no exact band (not exact)."""
    lat0, lon0 = ORIGIN
    lat = np.multiply(lats, _DEG32, dtype=np.float32, casting="unsafe")
    dlon = np.subtract(lons, np.float32(lon0), dtype=np.float32, casting="unsafe")
    dlon *= _DEG32
    cos_angle = np.cos(dlon, out=dlon)
    cos_angle *= np.cos(lat)
    cos_angle *= np.float32(math.cos(math.radians(lat0)))
    sin_lat = np.sin(lat, out=lat)
    sin_lat *= np.float32(math.sin(math.radians(lat0)))
    cos_angle += sin_lat
    return cos_angle >= np.float32(math.cos(range_m / MEAN_RADIUS_M))


def floor_table(quick: bool, seed: int) -> list[str]:
    """within_range and within_range_m at 300 km against the float32 floor."""
    lines = [
        "| points | N | floor | its disagreements | within_range | × floor | within_range_m "
        "| × floor |",
        "|---|--:|--:|--:|--:|--:|--:|--:|",
    ]
    range_m = 300e3
    sizes = (1000, 10_000, 100_000) if quick else (1000, 10_000, 100_000, 1_000_000)
    for kind in ("regional", "uniform"):
        for n in sizes:
            lats, lons = points(kind, n, np.random.default_rng(seed))
            calls: dict[str, Callable[[], object]] = {
                "floor": functools.partial(floor_mask, range_m, lats, lons),
                "within_range": functools.partial(wr.within_range, "300 km", ORIGIN, lats, lons),
                "within_range_m": functools.partial(
                    geodesy.within_range_m, *ORIGIN, range_m, lats, lons
                ),
            }
            ones = np.ones(n)
            truth = (
                np.asarray(geodesy.geod().inv(ORIGIN[1] * ones, ORIGIN[0] * ones, lons, lats)[2])
                <= range_m
            )
            assert np.array_equal(wr.within_range("300 km", ORIGIN, lats, lons), truth)
            assert np.array_equal(geodesy.within_range_m(*ORIGIN, range_m, lats, lons), truth)
            wrong = int(np.count_nonzero(floor_mask(range_m, lats, lons) != truth))
            best = best_times(calls, 5 if quick else 9)
            lines.append(
                f"| {kind} | {n:,} | {fmt_time(best['floor'])} | {wrong:,} "
                f"| {fmt_time(best['within_range'])} | {best['within_range'] / best['floor']:.2f}× "
                f"| {fmt_time(best['within_range_m'])} "
                f"| {best['within_range_m'] / best['floor']:.2f}× |"
            )
            print(f"  done: floor, {kind}, N = {n:,}", file=sys.stderr)
    return lines


# --------------------------------------------------------------------------------------------
# Memory
# --------------------------------------------------------------------------------------------


def peak_bytes(call: Callable[[], object]) -> tuple[int, object]:
    """The peak of the memory traced (numpy's allocations among it) while ``call`` runs,
    over what was held before it, and what it returned."""
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        result = call()
        peak = tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()
    return peak, result


def owned_bytes(thing: object) -> int:
    """The bytes of the numpy arrays an object keeps in its slots (and its slots' objects'),
    each array's memory counted once however many views of it there are."""
    seen: dict[int, int] = {}
    stack = [thing]
    while stack:
        item = stack.pop()
        for name in getattr(type(item), "__slots__", ()):
            value = getattr(item, name, None)
            if isinstance(value, np.ndarray):
                base = value if value.base is None else value.base
                if isinstance(base, np.ndarray):
                    seen[id(base)] = base.nbytes
            elif hasattr(type(value), "__slots__"):
                stack.append(value)
    return sum(seen.values())


def memory_table(quick: bool, seed: int) -> list[str]:
    """Peak bytes a point of the masks, and a TargetSet's own size, on plain float64 arrays."""
    lines = [
        "| N | within_range_m, peak | within_range, peak | TargetSet, its size "
        "| TargetSet.within, peak |",
        "|--:|--:|--:|--:|--:|",
    ]
    for n in (1_000_000,) if quick else (1_000_000, 10_000_000, 20_000_000):
        lats, lons = points("regional", n, np.random.default_rng(seed))
        plain, mask = peak_bytes(
            functools.partial(geodesy.within_range_m, *ORIGIN, 300e3, lats, lons)
        )
        public, _ = peak_bytes(functools.partial(wr.within_range, "300 km", ORIGIN, lats, lons))
        size, targets = peak_bytes(functools.partial(geodesy.TargetSet, lats, lons))
        assert isinstance(targets, geodesy.TargetSet)
        query, prepared = peak_bytes(functools.partial(targets.within, *ORIGIN, 300e3))
        assert np.array_equal(np.asarray(prepared), np.asarray(mask))
        held = owned_bytes(targets)
        lines.append(
            f"| {n:,} | {plain / n:.2f} B/point ({plain / 2**20:,.0f} MiB) "
            f"| {public / n:.2f} B/point | {held / n:.1f} B/point (build peak {size / n:.1f}) "
            f"| {query / n:.2f} B/point |"
        )
        print(f"  done: memory, N = {n:,}", file=sys.stderr)
    return lines


# --------------------------------------------------------------------------------------------
# TargetSet against a BallTree
# --------------------------------------------------------------------------------------------


def tree_mask(tree: Any, n: int, range_m: float) -> Any:
    """A BallTree's query_radius from the origin, as the boolean mask TargetSet.within gives."""
    mask = np.zeros(n, dtype=bool)
    mask[tree.query_radius(np.radians([ORIGIN]), range_m / MEAN_RADIUS_M)[0]] = True
    return mask


def index_table(quick: bool, seed: int, rounds: int = 0) -> list[str]:
    """A prebuilt BallTree's query_radius against a prebuilt TargetSet's indices_within (both
    give indices), and the BallTree's indices made a mask against TargetSet.within; each
    call's best of ``rounds`` rounds (by default 3 at 10 million points, else 7)."""
    try:
        from sklearn.neighbors import BallTree  # type: ignore[import-untyped]
    except ImportError:
        return ["(scikit-learn is not installed: `pip install scikit-learn` to run this table.)"]
    lines = [
        "| points | N | range | within | BallTree query_radius | its disagreements "
        "| TargetSet.indices_within | vs query_radius | indices_within(sort=False) "
        "| vs query_radius | BallTree + mask | TargetSet.within | vs + mask |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    builds = []
    origin = np.radians([[ORIGIN[0], ORIGIN[1]]])
    for kind in ("uniform", "regional"):
        for n in (100_000,) if quick else (1_000_000, 10_000_000):
            lats, lons = points(kind, n, np.random.default_rng(seed))
            ones = np.ones(n)
            distances = np.asarray(
                geodesy.geod().inv(ORIGIN[1] * ones, ORIGIN[0] * ones, lons, lats)[2]
            )
            del ones
            start = time.perf_counter()
            tree = BallTree(np.radians(np.column_stack((lats, lons))), metric="haversine")
            tree_s = time.perf_counter() - start
            start = time.perf_counter()
            targets = geodesy.TargetSet(lats, lons)
            targets_s = time.perf_counter() - start
            builds.append(
                f"- {kind}, N = {n:,}: BallTree built in {tree_s:.2f} s, TargetSet in "
                f"{targets_s:.2f} s ({tree_s / targets_s:.1f}× quicker)"
            )
            repeats = rounds or (3 if n >= 10_000_000 else 7)
            for range_km in INDEX_RANGES_KM:
                range_m = range_km * 1000.0
                truth = distances <= range_m
                found = tree.query_radius(origin, range_m / MEAN_RADIUS_M)[0]
                theirs = np.zeros(n, dtype=bool)
                theirs[found] = True
                wrong_in = int(np.count_nonzero(theirs & ~truth))
                wrong_out = int(np.count_nonzero(~theirs & truth))
                assert np.array_equal(targets.within(*ORIGIN, range_m), truth), (kind, n, range_km)
                indices = targets.indices_within(*ORIGIN, range_m)
                assert np.array_equal(indices, np.flatnonzero(truth)), (kind, n, range_km)
                loose = targets.indices_within(*ORIGIN, range_m, sort=False)
                assert np.array_equal(np.sort(loose), indices), (kind, n, range_km)
                del indices, loose

                best = best_times(
                    {
                        "query": functools.partial(
                            tree.query_radius, origin, range_m / MEAN_RADIUS_M
                        ),
                        "indices": functools.partial(targets.indices_within, *ORIGIN, range_m),
                        "loose": functools.partial(
                            targets.indices_within, *ORIGIN, range_m, sort=False
                        ),
                        "mask": functools.partial(tree_mask, tree, n, range_m),
                        "ours": functools.partial(targets.within, *ORIGIN, range_m),
                    },
                    repeats,
                )
                lines.append(
                    f"| {kind} | {n:,} | {range_km:,} km | {int(truth.sum()):,} "
                    f"| {fmt_time(best['query'])} | {wrong_in:,} in, {wrong_out:,} out "
                    f"| {fmt_time(best['indices'])} | {best['query'] / best['indices']:.2f}× "
                    f"| {fmt_time(best['loose'])} | {best['query'] / best['loose']:.2f}× "
                    f"| {fmt_time(best['mask'])} | {fmt_time(best['ours'])} "
                    f"| {best['mask'] / best['ours']:.2f}× |"
                )
            gc.collect()
            print(f"  done: index, {kind}, N = {n:,}", file=sys.stderr)
    return [*lines, "", "Builds (one-off):", *builds]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="N up to 100,000, fewer repeats")
    parser.add_argument("--seed", type=int, default=20240501, help="random seed for the points")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    rows, notes = run(args.quick, args.seed)
    floors = floor_table(args.quick, args.seed)
    memory = memory_table(args.quick, args.seed)
    index = index_table(args.quick, args.seed)
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
        f"### Against the floor{' (quick run)' if args.quick else ''}",
        "",
        "300 km from Kyiv. The floor is the same spherical-angle mask as one fused float32 "
        "numpy expression with no checks and no exact band, on a sphere of the mean radius: "
        "not exact, and its disagreements with Geod.inv are counted. weaponsref's masks were "
        "checked equal to Geod.inv's, point for point. *× floor*: how many times the floor's "
        "time they take. Best of several rounds, the calls taking turns.",
        "",
        *floors,
        "",
        f"### Memory{' (quick run)' if args.quick else ''}",
        "",
        "The peak of the memory allocated while one mask runs (tracemalloc, which sees every "
        "numpy array), over what was held before it, per point, on plain float64 arrays of "
        "regional points, 300 km from Kyiv. The mask returned is 1 byte a point of it. A "
        "TargetSet's size is what it keeps (its coordinates, unit vectors and order).",
        "",
        *memory,
        "",
        f"### TargetSet against a prebuilt BallTree{' (quick run)' if args.quick else ''}",
        "",
        "From Kyiv. The BallTree (scikit-learn, haversine) is on the sphere of the mean Earth "
        f"radius ({MEAN_RADIUS_M:,.1f} m); its *disagreements* with Geod.inv are points it "
        "puts within range that are not (*in*) or misses (*out*); TargetSet.within was "
        "checked equal to Geod.inv's mask, point for point, and TargetSet.indices_within to "
        "its indices (and, sorted, those of indices_within(sort=False)). query_radius returns "
        "indices (unsorted), as indices_within does (ascending, int64) and "
        "indices_within(sort=False) (unsorted, like query_radius's): each is compared with "
        "query_radius; *BallTree + mask* is query_radius and the "
        "boolean mask TargetSet.within returns, compared with within. Ratios are how many "
        "times faster the TargetSet is. Best of several rounds, the calls taking turns.",
        "",
        *index,
        "",
        f"Total benchmark time {time.perf_counter() - started:.1f} s.",
    ]
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
