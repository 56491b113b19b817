"""Benchmark the foundation: records, hot paths, a whole process, and the import.

Run from the repository root::

    python benchmarks/bench_foundation.py [--quick]

Every figure is a ratio against a baseline measured in the same run, on the same machine,
because these machines are shared and noisy:

- ``wr.reaches(<System>, (lat, lon), (lat, lon))`` and the same by name, against one raw
  ``Geod.inv`` call (target: at most 4x); ``wr.reaches("Bober", "Kyiv", "Moscow")``, places
  by name too (target: at most 5x);
- ``wr.distance((lat, lon), (lat, lon))`` against one raw ``Geod.inv`` call (target: 3x),
  and, as the floor under it, pint's own ``Quantity(value, units)`` constructor with the
  units parsed once (the quantity ``distance`` returns);
- ``hash(system)``, in microseconds (target: at most 2 us), against ``hash`` of a tuple of
  two floats;
- ``wr.within_range("999.4 km", origin, lats, lons)`` on 10 points against a vectorised
  ``Geod.inv`` on the same 10 points (target: at most 2x);
- a whole ``weaponsref reach --from Kyiv --to Moscow`` process against a process that only
  imports pint and converts one quantity (target: at most 1.6x);
- a whole ``weaponsref map bober --from Kyiv -o x.png`` process against the same pint
  process (target: at most 2x);
- ``import weaponsref`` against ``import pint`` in fresh processes (target: at most 1.1x),
  and what the first ``wr.place("Kyiv")`` adds (target: at most 30 ms);
- the built-in catalogue's first load, ``wr.systems()``, timed inside fresh processes after
  pint's application registry is built (pint's own cost, paid by anything that makes a
  quantity) (target: at most 50 ms), and a whole process that imports weaponsref and loads
  the catalogue against a process that only imports pint.

The output is a Markdown table.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmark this checkout

import numpy as np
import pint
from _timing import PINT, printed_seconds, process_seconds  # the same process timer
from bench_masks import best_loop, machine  # the same timer and machine report

import weaponsref as wr
from weaponsref.geo import _geodesy as geodesy

KYIV, MOSCOW = (50.4501, 30.5234), (55.7558, 37.6173)
# Timed inside fresh processes (a difference of two process timings is too noisy on a shared
# machine): the first wr.place("Kyiv") after the import, and the built-in catalogue's first
# load once pint's registry is built (pint's own cost, paid by anything that makes a
# quantity).
FIRST_PLACE = (
    "import time, weaponsref as wr; start = time.perf_counter(); wr.place('Kyiv'); "
    "print(time.perf_counter() - start)"
)
CATALOGUE_LOAD = (
    "import time, pint, weaponsref as wr; "
    "pint.get_application_registry().Quantity(1, 'km').to('m'); "
    "start = time.perf_counter(); wr.systems(); print(time.perf_counter() - start)"
)


def per_call_ns(fn: Callable[[], object], number: int, repeats: int) -> float:
    fn()
    return best_loop(fn, number, repeats) * 1e9


Row = tuple[str, str, str, str]


def hot_path_rows(number: int, repeats: int) -> list[Row]:
    """The in-process rows: reaches, distance, pint's floor under it, hash, within_range."""
    g = geodesy.geod()
    lat1, lon1 = KYIV
    lat2, lon2 = MOSCOW
    bober = wr.lookup("Bober")
    rows: list[Row] = []
    inv = per_call_ns(lambda: g.inv(lon1, lat1, lon2, lat2), number, repeats)
    for label, fn, target in (
        ("reaches(<System>, tuple, tuple)", lambda: wr.reaches(bober, KYIV, MOSCOW), "≤ 4×"),
        ('reaches("Bober", tuple, tuple)', lambda: wr.reaches("Bober", KYIV, MOSCOW), "≤ 4×"),
        (
            'reaches("Bober", "Kyiv", "Moscow")',
            lambda: wr.reaches("Bober", "Kyiv", "Moscow"),
            "≤ 5×",
        ),
        ("distance(tuple, tuple)", lambda: wr.distance(KYIV, MOSCOW), "≤ 3×"),
    ):
        ns = per_call_ns(fn, number, repeats)
        rows.append((label, f"{ns:,.0f} ns", f"{ns / inv:.2f}× Geod.inv ({inv:,.0f} ns)", target))
    # The floor under distance(): a pint Quantity made from a unit parsed once, on pint's
    # public constructor, with no geodesy at all. distance() returns one, so it cannot cost
    # less than this plus one Geod.inv.
    quantity_class = pint.get_application_registry().get().Quantity
    km = pint.get_application_registry().get().Unit("km")
    ns = per_call_ns(lambda: quantity_class(757.1, km), number, repeats)
    rows.append(
        (
            "pint Quantity(757.1, cached km) alone",
            f"{ns:,.0f} ns",
            f"{ns / inv:.2f}× Geod.inv ({inv:,.0f} ns)",
            "(the floor under distance)",
        )
    )
    pair = (50.45, 30.52)
    hash_ns = per_call_ns(lambda: hash(bober), number, repeats)
    tuple_ns = per_call_ns(lambda: hash(pair), number, repeats)
    rows.append(
        (
            "hash(system)",
            f"{hash_ns / 1000:.3f} µs",
            f"{hash_ns / tuple_ns:.2f}× hash((lat, lon))",
            "≤ 2 µs",
        )
    )
    lats = np.linspace(40.0, 60.0, 10)
    lons = np.linspace(20.0, 40.0, 10)
    ones_lat, ones_lon = np.full(10, lat1), np.full(10, lon1)
    vector = per_call_ns(lambda: g.inv(ones_lon, ones_lat, lons, lats), number // 5, repeats)
    mask = per_call_ns(lambda: wr.within_range("999.4 km", KYIV, lats, lons), number // 5, repeats)
    rows.append(
        (
            'within_range("999.4 km", origin, 10 points)',
            f"{mask:,.0f} ns",
            f"{mask / vector:.2f}× vectorised Geod.inv ({vector:,.0f} ns)",
            "≤ 2×",
        )
    )
    return rows


def process_rows(runs: int) -> list[Row]:
    """The rows of fresh processes: a reach, a map, the import, the first place, the
    catalogue; each kind against its baseline, the processes of one comparison taking
    turns."""
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as folder:
        medians = process_seconds(
            {
                "pint": ["-c", PINT],
                "reach": ["-m", "weaponsref", "reach", "--from", "Kyiv", "--to", "Moscow"],
                "map": ["-m", "weaponsref", "map", "bober", "--from", "Kyiv", "-o",
                        f"{folder}/x.png"],
            },
            runs,
        )  # fmt: skip
    against = f"import pint + one conversion ({medians['pint'] * 1000:,.0f} ms)"
    for name, label, target in (
        ("reach", "weaponsref reach --from Kyiv --to Moscow", "≤ 1.6×"),
        ("map", "weaponsref map bober --from Kyiv -o x.png", "≤ 2×"),
    ):
        rows.append(
            (
                f"process: {label}",
                f"{medians[name] * 1000:,.0f} ms",
                f"{medians[name] / medians['pint']:.2f}× {against}",
                target,
            )
        )
    imports = process_seconds(
        {
            "pint": ["-c", "import pint"],
            "weaponsref": ["-c", "import weaponsref"],
            "catalogue": ["-c", "import weaponsref as wr; wr.systems()"],
        },
        runs,
    )
    import_pint, import_wr = imports["pint"], imports["weaponsref"]
    rows.append(
        (
            "process: import weaponsref",
            f"{import_wr * 1000:,.0f} ms",
            f"{import_wr / import_pint:.2f}× import pint ({import_pint * 1000:,.0f} ms)",
            "≤ 1.1×",
        )
    )
    (first_place,) = printed_seconds(FIRST_PLACE, runs)
    rows.append(
        (
            'process: first wr.place("Kyiv")',
            f"+{first_place * 1000:,.1f} ms",
            "over import weaponsref, timed inside fresh processes",
            "≤ 30 ms",
        )
    )
    (load,) = printed_seconds(CATALOGUE_LOAD, runs)
    load_process = imports["catalogue"]
    rows.append(
        (
            "process: the built-in catalogue's first load",
            f"{load * 1000:,.1f} ms",
            f"whole process (import, pint's registry, load) {load_process * 1000:,.0f} ms = "
            f"{load_process / import_pint:.2f}× import pint ({import_pint * 1000:,.0f} ms)",
            "load ≤ 50 ms",
        )
    )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time the foundation's hot paths.")
    parser.add_argument("--quick", action="store_true", help="fewer and shorter loops")
    args = parser.parse_args(argv)
    number, repeats, runs = (5_000, 3, 5) if args.quick else (50_000, 7, 15)
    rows = [*hot_path_rows(number, repeats), *process_rows(runs)]
    out = [
        f"## Foundation{' (quick run)' if args.quick else ''}",
        "",
        *machine(),
        "",
        f"In-process timings: best of {repeats} loops of {number:,} calls. Processes: the "
        f"median of {runs} fresh runs of each after a warm-up, the kinds compared taking turns.",
        "",
        "| what | time | ratio against the baseline of the same run | target |",
        "|---|--:|---|---|",
        *(f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows),
    ]
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
