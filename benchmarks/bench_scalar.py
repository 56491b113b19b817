"""Benchmark one distance: a bare ``Geod.inv`` call against weaponsref's scalar paths.

Run from the repository root::

    python benchmarks/bench_scalar.py [--quick]

It times, on the same pairs of points, the best of several loops of:

- ``Geod.inv(lon1, lat1, lon2, lat2)`` with Python floats (pyproj's scalar fast path): the
  baseline every ratio is against;
- ``weaponsref.geo.inverse_m`` and ``inverse`` (latitude first);
- ``weaponsref.reaches(system, (lat, lon), (lat, lon))`` for a catalogue system and for a
  plain length, when the public API is there (skipped with a note otherwise); the target is
  at most 4 times a bare ``Geod.inv`` call;
- pure-Python ``geographiclib`` and ``geopy.distance.geodesic``, for scale.

The output is a Markdown table.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmark this checkout

from bench_masks import best_loop, machine  # the same timer and machine report

from weaponsref import geo as geodesy

#: (name, origin, target), latitude first.
PAIRS = [
    ("Kyiv to Moscow", (50.4501, 30.5234), (55.7558, 37.6173)),
    ("Odesa to Sevastopol", (46.4825, 30.7233), (44.6166, 33.5254)),
    ("near-antipodal", (0.5, 0.0), (-0.4, 179.6)),
]


def best_ns(fn: Callable[[], object], number: int, repeats: int) -> float:
    """Best nanoseconds per call over ``repeats`` loops of ``number`` calls."""
    fn()
    return best_loop(fn, number, repeats) * 1e9


def candidates(
    origin: tuple[float, float], target: tuple[float, float]
) -> tuple[list[tuple[str, Callable[[], object]]], list[str]]:
    lat1, lon1 = origin
    lat2, lon2 = target
    g = geodesy.geod()
    runs: list[tuple[str, Callable[[], object]]] = [
        ("Geod.inv (baseline)", lambda: g.inv(lon1, lat1, lon2, lat2)),
        ("geodesy.inverse_m", lambda: geodesy.inverse_m(lat1, lon1, lat2, lon2)),
        ("geodesy.inverse", lambda: geodesy.inverse(lat1, lon1, lat2, lon2)),
    ]
    notes: list[str] = []
    try:
        from weaponsref import reaches

        reaches("Bober", origin, target)  # resolve and cache the claim before timing
        reaches("1000 km", origin, target)
        runs.append(('reaches("Bober", ...)', lambda: reaches("Bober", origin, target)))
        runs.append(('reaches("1000 km", ...)', lambda: reaches("1000 km", origin, target)))
    except Exception as error:  # the public API may not be written yet
        notes.append(f"weaponsref.reaches skipped: {type(error).__name__}: {error}")
    try:
        from geographiclib.geodesic import Geodesic

        wgs84 = Geodesic.WGS84
        runs.append(
            (
                "geographiclib Inverse (distance only)",
                lambda: wgs84.Inverse(lat1, lon1, lat2, lon2, Geodesic.DISTANCE),
            )
        )
    except ImportError:
        notes.append("geographiclib not installed: skipped")
    try:
        from geopy.distance import geodesic  # type: ignore[import-untyped]

        runs.append(("geopy geodesic", lambda: geodesic(origin, target).m))
    except ImportError:
        notes.append("geopy not installed: skipped")
    return runs, notes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time one geodesic distance, several ways.")
    parser.add_argument("--quick", action="store_true", help="fewer and shorter loops")
    args = parser.parse_args(argv)
    number, repeats = (5_000, 3) if args.quick else (50_000, 7)
    out = [
        f"## One distance{' (quick run)' if args.quick else ''}",
        "",
        *machine(),
        "",
        f"Best of {repeats} loops of {number:,} calls (slow pure-Python ones: a tenth as "
        "many). The ratio is the time per call over a bare Geod.inv call on the same pair.",
        "",
        "| pair | call | time per call | × Geod.inv |",
        "|---|---|--:|--:|",
    ]
    all_notes: list[str] = []
    for label, origin, target in PAIRS:
        runs, notes = candidates(origin, target)
        all_notes.extend(note for note in notes if note not in all_notes)
        baseline = None
        for name, fn in runs:
            slow = name.startswith(("geographiclib", "geopy"))
            ns = best_ns(fn, number // 10 if slow else number, repeats)
            baseline = baseline if baseline is not None else ns
            out.append(f"| {label} | {name} | {ns:,.0f} ns | {ns / baseline:.2f}× |")
    if all_notes:
        out += ["", *[f"- {note}" for note in all_notes]]
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
