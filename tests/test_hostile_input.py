"""Hostile input: only the library's own errors come out, nothing hangs, nothing half-loads.

Hypothesis mutates valid catalogue files and generates hostile API and command-line
arguments. Each example runs under a generous alarm (``_deadline``), so an input that makes a
call hang fails the test instead of stalling the suite.
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import io
import json
import math
import re
import signal
import subprocess
import sys
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import weaponsref as wr
from weaponsref import cli
from weaponsref._units import parse_quantity

#: Seconds any one call may take before it counts as a hang.
DEADLINE_S = 20

FIGURE_TEXTS = [
    "5 km / 0",
    "1/0 km",
    "10**400 km",
    "2**100000 km",
    "1 inf",
    "(5 km",
    "1e999 km",
    "1e308*10 km",
    "9**9**9 km",
    "10**10**10 km",
    "km**9**9**9",
    "1,5 km",
    "5.000,5 km",
    "km",
    "5",
    "nan km",
    "-5 km",
    "0 km",
    "\x00 km",
    "5 km\x00",
    "5 \U0001f680",
    "\u0665 km",
    "5" * 10_000 + " km",
    "5 " + "k" * 10_000,
    "Mach 1e400",
    "Mach -1",
    "",
    " ",
    "()",
    "__import__('os')",
    "5 km; 6 km",
    "5 km\n6 km",
    "1e-400 km",
]


class Hang(Exception):
    """Raised by the alarm: a call ran past DEADLINE_S."""


@contextlib.contextmanager
def _deadline(seconds: float = DEADLINE_S) -> Iterator[None]:
    def ring(signum: int, frame: Any) -> None:
        raise Hang(f"a call ran for more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _only_library_errors(call: Callable[[], object]) -> None:
    """Run ``call``: it may return or raise a WeaponsrefError, nothing else, and not hang."""
    with _deadline(), contextlib.suppress(wr.WeaponsrefError):
        call()


hostile_text = st.one_of(
    st.sampled_from(FIGURE_TEXTS),
    st.text(max_size=40),
    st.from_regex(r"[0-9.,eE+\-*/() ]{0,12} ?(km|mi|nmi|m|ft|h|km/h|kg)?", fullmatch=True),
)
hostile_value = st.one_of(
    hostile_text,
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.binary(max_size=8),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.tuples(st.floats(), st.floats()),
)

FAST = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


# --------------------------------------------------------------------------- figures


@pytest.mark.parametrize("text", FIGURE_TEXTS)
def test_known_hostile_figures_are_refused_quickly(text: str) -> None:
    with _deadline(5), pytest.raises((wr.UnitError, wr.UnknownSystemError)):
        wr.reaches(text, "Kyiv", "Moscow")


@FAST
@given(hostile_value)
def test_figure_parsing_raises_only_unit_errors(value: object) -> None:
    def call() -> None:
        quantity = parse_quantity(value)
        assert math.isfinite(float(quantity.magnitude))

    _only_library_errors(call)


@pytest.mark.parametrize(
    ("text", "km"),
    [("1,000 km", 1000.0), ("1,000.5 km", 1000.5), ("621 mi", 621 * 1.609344), (".5 km", 0.5)],
)
def test_commas_separate_thousands_only(text: str, km: float) -> None:
    # Expected values by hand: 1 mi = 1.609344 km exactly.
    assert math.isclose(parse_quantity(text).m_as("km"), km, rel_tol=1e-12)


# --------------------------------------------------------------------------- the API


API_CALLS: list[tuple[str, Callable[[object], object]]] = [
    ("reaches system", lambda v: wr.reaches(v, "Kyiv", "Moscow")),  # type: ignore[arg-type]
    ("reaches origin", lambda v: wr.reaches("Bober", v, "Moscow")),  # type: ignore[arg-type]
    ("reaches variant", lambda v: wr.reaches("HIMARS", "Kyiv", "Moscow", variant=v)),  # type: ignore[arg-type]
    ("reaches claim", lambda v: wr.reaches("Bober", "Kyiv", "Moscow", claim=v)),  # type: ignore[arg-type]
    ("distance", lambda v: wr.distance(v, (50.0, 30.0))),  # type: ignore[arg-type]
    ("within_range", lambda v: wr.within_range("500 km", "Kyiv", v, v)),
    ("within_range range", lambda v: wr.within_range(v, "Kyiv", [50.0], [30.0])),  # type: ignore[arg-type]
    ("range_ring", lambda v: wr.range_ring(v, "Kyiv")),  # type: ignore[arg-type]
    ("range_ring points", lambda v: wr.range_ring("500 km", "Kyiv", points=v)),  # type: ignore[arg-type]
    ("lookup", lambda v: wr.lookup(v)),  # type: ignore[arg-type]
    ("source", lambda v: wr.default_catalogue().source(v)),  # type: ignore[arg-type]
    ("place", lambda v: wr.place(v)),  # type: ignore[arg-type]
    ("search_places", lambda v: wr.search_places(v)),  # type: ignore[arg-type]
    ("search_places limit", lambda v: wr.search_places("Kyiv", limit=v)),  # type: ignore[arg-type]
    ("table unit", lambda v: wr.table(unit=v)),  # type: ignore[arg-type]
    ("table fmt", lambda v: wr.table(fmt=v)),  # type: ignore[arg-type]
    ("load_catalogue", lambda v: wr.load_catalogue(v)),  # type: ignore[arg-type]
    ("use_catalogue", lambda v: wr.use_catalogue(v)),  # type: ignore[arg-type]
    ("Point", lambda v: wr.Point(v, v)),  # type: ignore[arg-type]
]


@pytest.mark.parametrize(("name", "call"), API_CALLS, ids=[n for n, _ in API_CALLS])
@FAST
@given(value=hostile_value)
def test_api_calls_raise_only_library_errors(
    name: str, call: Callable[[object], object], value: object
) -> None:
    try:
        _only_library_errors(lambda: call(value))
    finally:
        wr.use_catalogue(None)
    assert wr.current_catalogue() is wr.default_catalogue()


# Maps: each hostile argument on its own, the others valid and the map small and in SVG, so
# that the values that are valid draw quickly.
def _map(**kwargs: Any) -> object:
    from weaponsref import maps

    arguments: dict[str, Any] = {"systems": ["300 km"], "origin": "Kyiv", "fmt": "svg"}
    arguments.update(kwargs)
    arguments.setdefault("width", 200)
    return maps.range_map(arguments.pop("systems"), arguments.pop("origin"), **arguments)


hostile_origin = st.one_of(
    hostile_value,
    st.lists(st.one_of(hostile_value, st.sampled_from(["Kursk", "Bryansk"])), max_size=4),
    st.fixed_dictionaries(
        {"type": st.sampled_from(["Polygon", "MultiPolygon", "Feature"]),
         "coordinates": st.lists(st.lists(st.tuples(st.floats(), st.floats()), max_size=5),
                                 max_size=2)}
    ),
)  # fmt: skip

MAP_CALLS: list[tuple[str, Callable[[object], object]]] = [
    ("systems", lambda v: _map(systems=v)),
    ("origin", lambda v: _map(origin=v)),
    ("marks", lambda v: _map(marks=v)),
    ("one mark", lambda v: _map(marks=[v])),
    ("title", lambda v: _map(title=v)),
    ("width", lambda v: _map(width=v)),
    ("dpi", lambda v: _map(dpi=v)),
    ("variant", lambda v: _map(systems=["HIMARS"], variant=v)),
    ("made", lambda v: _map(made=v)),
    ("places", lambda v: _map(places=v)),
    ("fmt", lambda v: _map(fmt=v)),
]


@pytest.mark.parametrize(("name", "call"), MAP_CALLS, ids=[n for n, _ in MAP_CALLS])
@settings(max_examples=25, deadline=None)
@given(value=hostile_origin)
def test_map_arguments_raise_only_library_errors(
    name: str, call: Callable[[object], object], value: object
) -> None:
    pytest.importorskip("matplotlib")
    _only_library_errors(lambda: call(value))


def test_a_map_path_of_the_wrong_type_is_an_argument_error() -> None:
    pytest.importorskip("matplotlib")
    with pytest.raises(wr.ArgumentError, match="path must be a file name"):
        _map(path=5, fmt=None)


@pytest.mark.parametrize("path", ["/dev/zero", "/dev/null", "/", "/nonexistent/x.toml"])
def test_special_files_are_refused_without_reading_forever(path: str) -> None:
    with _deadline(5), pytest.raises(wr.CatalogueError):
        wr.load_catalogue(path)


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.toml"
    import os

    os.mkfifo(fifo)
    with _deadline(5), pytest.raises(wr.CatalogueError, match="not a regular file"):
        wr.load_catalogue(fifo)


# --------------------------------------------------------------------------- catalogue files

GOOD = """
[[sources]]
id = "my-notes"
publisher = "My notes"
kind = "news"
language = "en"
title = "Notes"
published = 2024-01-15
url = "https://example.org/notes"

[[systems]]
id = "example-drone"
name = "Example Drone"
aliases = ["ED-1"]
category = "teaching example"
origin = "Nowhere"
description = "A made-up system."

[[systems.claims]]
figure = "range"
value = "300 km"
qualifier = "up to"
source = "my-notes"
quote = "made up"

[[systems.events]]
kind = "announced"
when = "2024-01"
source = "my-notes"
quote = "made up too"
"""

#: Every (table path, key) of GOOD whose value a mutation may replace.
PATHS = (
    [
        (("sources", 0), key)
        for key in ("id", "publisher", "kind", "language", "title", "published", "url")
    ]
    + [
        (("systems", 0), key)
        for key in ("id", "name", "aliases", "category", "origin", "description")
    ]
    + [
        (("systems", 0, "claims", 0), key)
        for key in ("figure", "value", "qualifier", "source", "quote", "low", "preferred")
    ]
    + [(("systems", 0, "events", 0), key) for key in ("kind", "when", "source", "quote")]
)


def _toml_value(value: Any) -> str:
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f'"{k}" = {_toml_value(v)}' for k, v in value.items()) + "}"
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    text = "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in text if ord(c) < 0x10000)
    return f'"{text}"'


def _dumps(document: dict[str, Any]) -> str:
    lines: list[str] = []
    for source in document.get("sources", []):
        lines.append("[[sources]]")
        lines += [f"{k} = {_toml_value(v)}" for k, v in source.items()]
    for system in document.get("systems", []):
        lines.append("[[systems]]")
        lines += [
            f"{k} = {_toml_value(v)}" for k, v in system.items() if k not in ("claims", "events")
        ]
        for part in ("claims", "events"):
            for row in system.get(part, []):
                lines.append(f"[[systems.{part}]]")
                lines += [f"{k} = {_toml_value(v)}" for k, v in row.items()]
    return "\n".join(lines) + "\n"


toml_value = st.one_of(
    hostile_text,
    st.integers(min_value=-(10**9), max_value=10**9),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.lists(st.text(max_size=5), max_size=3),
    st.dictionaries(st.sampled_from(["a", "b"]), st.integers(), max_size=2),
)


@settings(max_examples=300, deadline=None)
@given(
    mutations=st.lists(
        st.tuples(st.sampled_from(PATHS), st.one_of(st.none(), toml_value)),
        min_size=1,
        max_size=3,
    )
)
def test_mutated_catalogues_raise_only_catalogue_errors(
    tmp_path_factory: pytest.TempPathFactory, mutations: list[Any]
) -> None:
    document = tomllib.loads(GOOD)
    for (path, key), value in mutations:
        table: Any = document
        for part in path:
            table = table[part]
        if value is None:
            table.pop(key, None)
        else:
            table[key] = value
    folder = tmp_path_factory.mktemp("mutated")
    target = folder / "mine.toml"
    target.write_text(_dumps(document), encoding="utf-8")
    before = wr.current_catalogue()
    systems_before = wr.systems()
    with _deadline(), contextlib.suppress(wr.CatalogueError):
        wr.load_catalogue(target)
    assert wr.current_catalogue() is before
    assert wr.systems() == systems_before


@settings(max_examples=200, deadline=None)
@given(
    position=st.integers(min_value=0, max_value=len(GOOD)),
    cut=st.integers(min_value=0, max_value=20),
    insert=st.text(max_size=20),
)
def test_byte_edited_catalogues_raise_only_catalogue_errors(
    tmp_path_factory: pytest.TempPathFactory, position: int, cut: int, insert: str
) -> None:
    text = GOOD[:position] + insert + GOOD[position + cut :]
    target = tmp_path_factory.mktemp("edited") / "mine.toml"
    target.write_bytes(text.encode("utf-8", "surrogatepass"))
    _only_library_errors(lambda: wr.load_catalogue(target))


@pytest.mark.parametrize("depth", [10, 1_000, 100_000])
def test_deeply_nested_toml_is_a_catalogue_error(tmp_path: Path, depth: int) -> None:
    target = tmp_path / "deep.toml"
    target.write_text("x = " + "[" * depth + "]" * depth + "\n", encoding="utf-8")
    with _deadline(), pytest.raises(wr.CatalogueError):
        wr.load_catalogue(target)


def test_use_catalogue_with_a_bad_file_keeps_the_catalogue_in_use(tmp_path: Path) -> None:
    good = tmp_path / "good.toml"
    good.write_text(GOOD, encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text(GOOD.replace('"300 km"', '"10**400 km"'), encoding="utf-8")
    with wr.use_catalogue(good) as mine:
        with pytest.raises(wr.CatalogueError, match="no arithmetic"):
            wr.use_catalogue(bad)
        assert wr.current_catalogue() is mine
        assert wr.lookup("ED-1").name == "Example Drone"
    assert wr.current_catalogue() is wr.default_catalogue()


# --------------------------------------------------------------------------- the command line

COMMANDS = [
    ["reach", "--from", "{v}", "--to", "Moscow"],
    ["reach", "--from", "Kyiv", "--to", "Moscow", "--unit", "{v}"],
    ["reach", "--from", "Kyiv", "--to", "Moscow", "--format", "{v}"],
    ["ring", "{v}", "--from", "Kyiv"],
    ["ring", "500 km", "--from", "Kyiv", "--points", "{v}"],
    ["ring", "500 km", "--from", "Kyiv", "--indent", "{v}"],
    ["show", "{v}"],
    ["places", "{v}", "--limit", "3"],
    ["places", "Kyiv", "--limit", "{v}"],
    ["list", "--unit", "{v}"],
    ["list", "--min-range", "{v}", "--format", "csv"],
    ["list", "--operator", "{v}", "--origin", "{v}", "--category", "{v}"],
    ["list", "--catalogue", "{v}"],
    ["reach", "--from", "Kyiv", "--to", "{v}", "--format", "csv"],
    ["reach", "--from", "-{v}", "--to", "Moscow"],
    ["reach", "--from", "Kyiv", "--to", "Moscow", "--variant", "{v}"],
    ["reach", "--from", "Kyiv", "--to", "Moscow", "--source", "{v}"],
    ["ring", "bober", "--from", "Kyiv", "--source", "{v}"],
    ["ring", "bober", "--from", "x={v}"],
    ["{v}"],
]

argument = st.one_of(
    st.sampled_from(FIGURE_TEXTS),
    st.sampled_from(
        ["45d75mN 36E", "45.3N 36.5N", "95N 36E", "33.9S 18.4W", "=1,2", "37.6173,55.7558", "-1,-2"]
    ),
    st.text(max_size=30).filter(lambda t: "\x00" not in t),
    st.sampled_from(["1e999", "-1", "10000000", "1000000", "\U0001f680", "\x07"]),
)


def _run_cli(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), _deadline():
        try:
            code = cli.main(argv)
        except SystemExit as exit_:  # argparse's --help and errors
            code = exit_.code if isinstance(exit_.code, int) else 2
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("template", COMMANDS, ids=[" ".join(c) for c in COMMANDS])
@settings(max_examples=60, deadline=None)
@given(value=argument)
def test_hostile_command_lines_end_in_one_line_errors(template: list[str], value: str) -> None:
    argv = [part.replace("{v}", value) for part in template]
    code, _, err = _run_cli(argv)
    assert code in (0, 2), (argv, code, err)
    assert "Traceback" not in err
    assert "internal error" not in err, err
    if code == 2:
        assert 0 < len(err.strip().splitlines()) <= 2, err  # the error, and "Try --help"
        assert all(len(line) <= 400 for line in err.splitlines()), err


@pytest.mark.parametrize(
    "argv",
    [
        ["ring", "9**9**9 km", "--from", "Kyiv"],
        ["ring", "10**10**10 km", "--from", "Kyiv"],
        ["ring", "500 km", "--from", "Kyiv", "--points", "10000000"],
        ["map", "500 km", "--from", "Kyiv", "-o", "x.png", "--width", "20000"],
        ["ring", "500 km", "--from", "Kyiv", "--indent", "1000000"],
    ],
)
def test_former_hangs_end_at_once_in_a_real_process(argv: list[str], tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "weaponsref", *argv],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("weaponsref")


def test_a_long_argument_is_cut_in_the_error(tmp_path: Path) -> None:
    code, _, err = _run_cli(["show", "x" * 100_000])
    assert code == 2
    assert len(err) < 500


def test_the_mutation_writer_round_trips_the_valid_file(tmp_path: Path) -> None:
    # The fuzz above is only as good as its writer: unmutated, it must give a loadable file.
    document = tomllib.loads(GOOD)
    document["systems"][0]["description"] = 'a "quoted" \\ back\tslash'
    assert tomllib.loads(_dumps(document)) == document
    target = tmp_path / "same.toml"
    target.write_text(_dumps(document), encoding="utf-8")
    assert (
        wr.load_catalogue(target).lookup("ED-1").description
        == document["systems"][0]["description"]
    )


# --------------------------------------------------------------------------- spreadsheets

#: What makes a spreadsheet read a cell as a formula (OWASP, "CSV Injection"), written out
#: here independently of weaponsref._text.
OWASP_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?")
FORMULAS = [
    '=HYPERLINK("https://example.com/x","click")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    "'=1+1",
    "-",
]


def _runs(cell: str) -> bool:
    """Whether a spreadsheet would run ``cell``: a formula start, and not a plain number."""
    return cell.startswith(OWASP_STARTS) and not PLAIN_NUMBER.fullmatch(cell)


def _read_back(cell: str) -> str:
    """A cell as the documented rule undoes it: one leading apostrophe dropped from a cell
    that, without its leading apostrophes, begins with a formula start."""
    if cell.startswith("'") and cell.lstrip("'").startswith(OWASP_STARTS):
        return cell[1:]
    return cell


@settings(max_examples=400, deadline=None)
@given(
    text=st.one_of(
        st.text(alphabet=st.sampled_from("=+-@\t\r'a1.eE "), max_size=8),
        st.text(max_size=30),
        st.sampled_from(FORMULAS),
        st.floats(allow_nan=False, allow_infinity=False).map(repr),
    )
)
def test_a_neutralised_cell_never_runs_and_reads_back_as_it_was(text: str) -> None:
    from weaponsref._text import spreadsheet_safe

    cell = spreadsheet_safe(text)
    assert not _runs(cell), repr(cell)
    assert _read_back(cell) == text
    if not text.lstrip("'").startswith(OWASP_STARTS) or PLAIN_NUMBER.fullmatch(text):
        assert cell == text  # what cannot run is left alone: "-33.9" stays a number


#: Every text field of GOOD that reaches a CSV cell.
TEXT_PATHS = [
    (("sources", 0), "publisher"),
    (("sources", 0), "title"),
    (("systems", 0), "name"),
    (("systems", 0), "category"),
    (("systems", 0), "origin"),
    (("systems", 0), "description"),
    (("systems", 0, "claims", 0), "quote"),
    (("systems", 0, "events", 0), "quote"),
]


def _with_formulas(mutations: list[tuple[tuple[tuple[Any, ...], str], str]]) -> str:
    document = tomllib.loads(GOOD)
    for (path, key), text in mutations:
        table: Any = document
        for step in path:
            table = table[step]
        table[key] = text
    return _dumps(document)


def _csv_cells(text: str, delimiter: str = ",") -> list[str]:
    return [
        cell
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        for cell in row
    ]


def _check_export(folder: Path) -> None:
    """No text cell of the export runs; every number cell is a number."""
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    for resource in package["resources"]:
        kinds = {f["name"]: f["type"] for f in resource["schema"]["fields"]}
        with (folder / resource["path"]).open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                for name, cell in row.items():
                    if kinds[name] in ("number", "integer") and cell:
                        float(cell)
                    else:
                        assert not _runs(cell), (resource["name"], name, cell)


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    mutations=st.lists(
        st.tuples(
            st.sampled_from(TEXT_PATHS),
            st.one_of(
                st.sampled_from(FORMULAS),
                st.tuples(st.sampled_from(OWASP_STARTS), st.text(max_size=8)).map("".join),
            ),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_formulas_in_a_catalogue_reach_no_csv_as_formulas(
    tmp_path_factory: pytest.TempPathFactory, mutations: list[Any]
) -> None:
    from weaponsref.export import export_catalogue

    folder = tmp_path_factory.mktemp("formulas")
    path = folder / "mine.toml"
    path.write_text(_with_formulas(mutations), encoding="utf-8")
    try:
        mine = wr.load_catalogue(path)
    except wr.CatalogueError:
        return  # a field refused what it was given: nothing reaches a spreadsheet
    export_catalogue(folder / "out", catalogue=mine)
    _check_export(folder / "out")
    for argv, delimiter in [
        (["show", "ED-1", "--format", "csv"], ","),
        (["list", "--format", "tsv"], "\t"),
        (["sources", "--format", "csv"], ","),
    ]:
        with wr.use_catalogue(mine):  # as --catalogue gives it, without loading it again
            code, out, err = _run_cli(argv)
        assert code == 0, err
        assert not [cell for cell in _csv_cells(out, delimiter) if _runs(cell)]
    table = wr.table(["ED-1"], fmt="tsv", catalogue=mine)
    assert not [cell for line in table.splitlines() for cell in line.split("\t") if _runs(cell)]


def test_a_hyperlink_formula_is_written_as_text_and_the_package_stays_valid(
    tmp_path: Path,
) -> None:
    from weaponsref.export import export_catalogue

    formula = '=HYPERLINK("https://example.com/x","click")'
    path = tmp_path / "mine.toml"
    path.write_text(GOOD.replace('quote = "made up"', f"quote = {_toml_value(formula)}"))
    mine = wr.load_catalogue(path)
    export_catalogue(tmp_path / "out", catalogue=mine)
    with (tmp_path / "out" / "claims.csv").open(encoding="utf-8", newline="") as handle:
        quotes = [
            row["quote"] for row in csv.DictReader(handle) if row["system"] == "example-drone"
        ]
    assert quotes == ["'" + formula]
    _check_export(tmp_path / "out")
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(str(tmp_path / "out" / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    code, out, _ = _run_cli(["show", "ED-1", "--format", "csv", "--catalogue", str(path)])
    assert code == 0 and f'"\'{formula.replace(chr(34), chr(34) * 2)}"' in out


def test_negative_numbers_stay_numbers_in_csv() -> None:
    code, out, err = _run_cli(["places", "Cape Town", "--limit", "1", "--format", "json"])
    assert code == 0, err
    (place,) = json.loads(out)
    code, out, err = _run_cli(["places", "Cape Town", "--limit", "1", "--format", "csv"])
    row = next(csv.DictReader(io.StringIO(out, newline="")))
    assert place["lat"] < 0 and row["lat"] == json.dumps(place["lat"])  # "-33.92584"


def test_a_tsv_table_neutralises_a_negative_margin_but_not_a_number() -> None:
    short = wr.reaches("Storm Shadow", "Odesa", "Sevastopol", variant="export")
    assert short.margin.magnitude < 0
    text = wr.table([short], fmt="tsv")
    cells = [cell.strip() for line in text.splitlines() for cell in line.split("\t")]
    assert not [cell for cell in cells if _runs(cell)]
    assert any(cell.startswith("'-") and cell.endswith(" km") for cell in cells)


# --------------------------------------------------------------------------- export folders


def test_an_export_never_removes_a_file_it_did_not_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from weaponsref.export import export_catalogue

    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "thesis.docx").write_bytes(b"keep me")
    with pytest.raises(wr.ArgumentValueError, match=r"holds other files \(thesis\.docx\)"):
        export_catalogue(folder)
    code, out, err = _run_cli(["export", str(folder)])
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1, err
    assert "thesis.docx" in err and "give a new or empty folder" in err
    assert [p.name for p in folder.iterdir()] == ["thesis.docx"]
    monkeypatch.chdir(folder / "..")
    code, _, err = _run_cli(["export", "documents"])
    assert code == 2 and (folder / "thesis.docx").read_bytes() == b"keep me"
    assert [p.name for p in tmp_path.iterdir()] == ["documents"]  # nothing left beside it


def test_a_tsv_table_is_unpadded_so_a_number_like_name_stays_what_it_is(tmp_path: Path) -> None:
    """wr.table's TSV pads no cell: a system named "+0" (a plain number, which spreadsheets
    read as a number) stays "+0", where padding made it "+0      ", which they run (found by
    the property test above)."""
    path = tmp_path / "mine.toml"
    path.write_text(_with_formulas([((("systems", 0), "name"), "+0")]), encoding="utf-8")
    mine = wr.load_catalogue(path)
    lines = wr.table(["ED-1"], fmt="tsv", catalogue=mine).splitlines()
    cells = [cell for line in lines for cell in line.split("\t")]
    assert lines[1].split("\t")[0] == "+0"
    assert all(cell == cell.strip() for cell in cells)
    assert not [cell for cell in cells if _runs(cell)]
