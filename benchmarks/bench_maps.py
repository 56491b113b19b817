"""Benchmark a whole map process against a process that only makes pint convert one quantity.

Run from the repository root::

    python benchmarks/bench_maps.py            # 15 processes of each kind (about 2 minutes)
    python benchmarks/bench_maps.py --quick    # 4 of each, under 60 s: for CI

Every figure is a median of fresh processes (after one warm-up each) measured in the same run
as its baseline, the kinds of process taking turns, because these machines are shared and
noisy:

- the baseline: ``python -c "import pint; pint.get_application_registry().Quantity(1,
  'km').to('m')"``, pint's import and its registry, which any weaponsref process pays too;
- ``weaponsref map bober --from Kyiv -o x.png`` (target: at most 2x the baseline);
- the floor under it: a process that imports pint, matplotlib's Figure and pyproj and builds
  pint's registry, and draws nothing: what no map can avoid;
- inside fresh processes, after the imports: the basemap's first load (``_basemap()``, the
  ``.npz`` derived from the GeoJSON) and the projection of a map's countries round Kyiv with
  the culling of rings out of view, and without it (every ring projected, as before).

The processes run twice: in the environment as it is (``PYTHONDONTWRITEBYTECODE`` set, as on
these machines, compiles every weaponsref module in every process), and with a bytecode cache
in a temporary folder, as an installed package has. The output is a Markdown report headed by
the machine (see ``bench_masks.machine``) and the load average before and after.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmark this checkout

from _timing import PINT, printed_seconds, process_seconds  # the same process timer
from bench_masks import machine  # the same machine report

FLOOR = (
    "import pint, pyproj; from matplotlib.figure import Figure; "
    "pint.get_application_registry().Quantity(1, 'km').to('m')"
)
# Timed inside a fresh process once the imports are done; prints seconds for each stage.
STAGES = """
import sys, time, numpy as np
import weaponsref.maps
from weaponsref.maps import _basemap
lat, lon, cap = 50.45, 30.5233, 1_890_000.0  # Kyiv, the cap of a 1,000 km ring's map
transformer = _basemap._transformer(lat, lon)
start = time.perf_counter(); _basemap._basemap(); loaded = time.perf_counter() - start
start = time.perf_counter(); _basemap._project_basemap(transformer, lat, lon, cap)
culled = time.perf_counter() - start
_basemap._visible = lambda base, *_: np.ones(len(base.stops), dtype=bool)
start = time.perf_counter(); _basemap._project_basemap(transformer, lat, lon, cap)
print(loaded, culled, time.perf_counter() - start)
"""


def stage_seconds(runs: int, env: Mapping[str, str]) -> tuple[float, float, float]:
    """The medians, over ``runs`` fresh processes, of the basemap's first load and of one
    projection round Kyiv with culling and without."""
    load, culled, whole = printed_seconds(STAGES, runs, env)
    return load, culled, whole


Row = tuple[str, str, str, str]


def rows_for(label: str, runs: int, env: Mapping[str, str], folder: str) -> list[Row]:
    argv = ["-m", "weaponsref", "map", "bober", "--from", "Kyiv", "-o", f"{folder}/x.png"]
    medians = process_seconds(
        {"pint": ["-c", PINT], "map": argv, "floor": ["-c", FLOOR]}, runs, env
    )
    pint_only, map_process, floor = medians["pint"], medians["map"], medians["floor"]
    load, culled, whole = stage_seconds(max(3, runs // 3), env)
    against = f"import pint + one conversion ({pint_only * 1000:,.0f} ms)"
    return [
        (
            f"{label}: weaponsref map bober --from Kyiv -o x.png",
            f"{map_process * 1000:,.0f} ms",
            f"**{map_process / pint_only:.2f}×** {against}",
            "≤ 2×",
        ),
        (
            f"{label}: the floor (pint's registry, Figure and pyproj imported)",
            f"{floor * 1000:,.0f} ms",
            f"{floor / pint_only:.2f}× {against}",
            "(what no map avoids)",
        ),
        (
            f"{label}: the basemap's first load, then the Kyiv map's countries projected",
            f"{load * 1000:,.1f} + {culled * 1000:,.1f} ms",
            f"projected without culling: {whole * 1000:,.1f} ms "
            f"({whole / culled:.1f}× the culled projection)",
            "",
        ),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time a whole map process against pint's.")
    parser.add_argument("--quick", action="store_true", help="4 processes of each kind")
    args = parser.parse_args(argv)
    runs = 4 if args.quick else 15
    before = os.getloadavg()
    with tempfile.TemporaryDirectory() as folder, tempfile.TemporaryDirectory() as cache:
        as_is = dict(os.environ)
        cached = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        cached["PYTHONPYCACHEPREFIX"] = cache
        rows = [
            *rows_for("as is", runs, as_is, folder),
            *rows_for("bytecode cached", runs, cached, folder),
        ]
    after = os.getloadavg()
    bytecode = "off" if os.environ.get("PYTHONDONTWRITEBYTECODE") else "on"
    out = [
        f"## Maps{' (quick run)' if args.quick else ''}",
        "",
        *machine(),
        f"- load average (1, 5, 15 min): {' / '.join(f'{v:.2f}' for v in before)} before, "
        f"{' / '.join(f'{v:.2f}' for v in after)} after",
        f"- bytecode writing in this environment: {bytecode}",
        "",
        f"Processes: the median of {runs} fresh runs of each after a warm-up, the three kinds "
        f"taking turns. Stages: medians of {max(3, runs // 3)} fresh processes.",
        "",
        "| what | time | ratio against the baseline of the same run | target |",
        "|---|--:|---|---|",
        *(f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows),
    ]
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
