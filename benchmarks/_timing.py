"""Timing whole processes, shared by ``bench_maps.py`` and ``bench_foundation.py``.

A fresh process is the only honest measure of what a command costs (imports, pint's registry,
the work, the interpreter's shutdown), and on these shared, noisy machines it is only worth
comparing with a baseline measured in the same run, the kinds of process taking turns, so
that a burst of load falls on all of them alike.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: The baseline process: pint imported and its application registry built by one
#: conversion, which any weaponsref process pays too.
PINT = "import pint; pint.get_application_registry().Quantity(1, 'km').to('m')"


def process_seconds(
    commands: Mapping[str, list[str]], runs: int, env: Mapping[str, str] | None = None
) -> dict[str, float]:
    """The median wall time of ``runs`` fresh ``python`` processes of each command (its
    arguments after the interpreter), after one warm-up run of each, the commands taking
    turns. A command that fails stops the benchmark with its error."""
    argvs = {name: [sys.executable, *argv] for name, argv in commands.items()}
    for argv in argvs.values():
        done = subprocess.run(argv, capture_output=True, text=True, cwd=ROOT, env=env)
        if done.returncode:
            raise SystemExit(f"{' '.join(argv)} failed:\n{done.stderr.strip()}")
    times: dict[str, list[float]] = {name: [] for name in argvs}
    for _ in range(runs):
        for name, argv in argvs.items():
            start = time.perf_counter()
            subprocess.run(argv, capture_output=True, check=True, cwd=ROOT, env=env)
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def printed_seconds(code: str, runs: int, env: Mapping[str, str] | None = None) -> list[float]:
    """The medians, over ``runs`` fresh processes of ``python -c code``, of each number the
    code prints on its one line of output (seconds it timed inside the process, where a
    difference of two process timings would be lost in the noise)."""
    rows = []
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT,
            env=env,
        )  # fmt: skip
        rows.append([float(value) for value in done.stdout.split()])
    return [statistics.median(column) for column in zip(*rows, strict=True)]
