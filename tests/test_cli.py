"""The command line: output, exit status and error paths of every subcommand."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import assert_short_error, run_cli, write_catalogue

import weaponsref as wr
from weaponsref._units import format_quantity

ROOT = Path(__file__).resolve().parent.parent

REACH_KEYS = [
    "system",
    "system_name",
    "variant",
    "claim",
    "qualifier",
    "basis",
    "attribution",
    "attributed_to",
    "source",
    "source_cited_as",
    "source_kind",
    "source_published",
    "source_url",
    "source_citation",
    "quote",
    "origin",
    "target",
    "origin_source",
    "origin_date",
    "origin_cited",
    "nearest_lat",
    "nearest_lon",
    "target_lat",
    "target_lon",
    "distance_km",
    "range_km",
    "margin_km",
    "min_range_km",
    "min_range_citation",
    "status",
    "close",
    "close_to",
    "reaches",
    "earth_model",
]


# --------------------------------------------------------------------------- list and show


def test_list(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run_cli(capsys, "list")
    assert status == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["System", "Category", "Origin"]
    for name in ("Bober", "UJ-22 Airborne", "Storm Shadow", "HIMARS"):
        assert any(line.startswith(name) for line in lines)
    assert wr.lookup("bober").claim("range").describe() in out


def test_list_in_km_and_formats(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run_cli(capsys, "list", "--unit", "km", "--format", "github")
    assert status == 0
    assert out.startswith("| System")
    for name in ("bober", "himars"):  # each headline, converted to km as the table writes it
        assert format_quantity(wr.lookup(name).range, "km") in out
    status, out, _ = run_cli(capsys, "list", "--format", "json")
    rows = json.loads(out)
    assert [row["system"] for row in rows] == [s.id for s in wr.systems()]
    assert [row["system"] for row in rows][:4] == ["bober", "uj-22", "storm-shadow", "himars"]
    assert rows[0]["range_km"] == pytest.approx(1300.0, abs=1e-3)  # 1,300 km, MTV Uutiset
    # The summary cites its claim with the keys every verdict and claim row uses.
    assert list(rows[0]) == [
        "system",
        "system_name",
        "aliases",
        "category",
        "origin",
        "maker",
        "range",
        "range_km",
        *(key for key in wr.reaches("Bober", "Kyiv", "Moscow").row() if key.startswith("source")),
        "quote",
    ]


def test_show(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run_cli(capsys, "show", "bober")
    assert status == 0 and err == ""
    assert out.startswith("Name ")
    for text in (
        "Bober",
        "Beaver",
        '"With a range of up to 621 miles"',
        "Daily Mail",
        "2023-08-01",
        "https://tech.wp.pl/ukrainskie-bobry-nie-daja-spac-moskwie-to-one-mialy-uderzyc-w-stolice-rosji,6925503669144192a",
        "France 24 via Yahoo France",
        "2023: first reported use",
        "2023: in service with Ukraine",
    ):
        assert text in out


def test_show_json(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run_cli(capsys, "show", "M142", "--format", "json", "--unit", "mi")
    assert status == 0
    data = json.loads(out)
    assert (data["system"], data["system_name"]) == ("himars", "HIMARS")
    claims = data["claims"]
    assert [c["variant"] for c in claims] == [c.variant for c in wr.lookup("himars").claims]
    assert claims[0]["value_in_unit"] == "50 mi"
    assert data["launches"] == ["gmlrs", "atacms", "prsm", "er-gmlrs"]
    assert "Ukraine" in data["operators"]
    assert {e["when"] for e in data["events"]} >= {"2005", "2022-06-23"}
    status, out, _ = run_cli(capsys, "show", "GMLRS", "--format", "json")
    band = next(c for c in json.loads(out)["claims"] if c["qualifier"] == "band")
    assert (band["low"], band["value"], band["unit"]) == (15, 84, "kilometer")


@pytest.mark.parametrize(
    "command",
    ["list", "show", "compare", "reach", "ring", "map", "inside", "places", "sources", "export"],
)
def test_every_subcommand_has_help_with_an_example(
    capsys: pytest.CaptureFixture[str], command: str
) -> None:
    status, out, _ = run_cli(capsys, command, "--help")
    assert status == 0
    assert "example:" in out
    assert f"weaponsref {command}" in out


def _help(capsys: pytest.CaptureFixture[str], command: str) -> str:
    _, out, _ = run_cli(capsys, command, "--help")
    return " ".join(out.split())


def test_unit_help_says_what_the_unit_does(capsys: pytest.CaptureFixture[str]) -> None:
    # The help said "also show lengths in this unit" everywhere; reach replaces km instead.
    assert "also show" not in _help(capsys, "reach")
    assert "distance, range and margin in U instead of km in the table" in _help(capsys, "reach")
    _, out, _ = run_cli(capsys, "reach", "--from", "Kyiv", "--to", "Moscow", "-s", "bober", "-u", "mi",
                    "--source", "dailymail-2023-08-01")  # fmt: skip
    bober = next(line for line in out.splitlines() if line.startswith("Bober"))
    # 757.104 km / 1.609344 km/mi = 470.443 mi; 999.403 km = 621 mi; margin 150.557 mi.
    assert bober.split()[5:9] == ["470.4", "mi", "621", "mi"] and "150.6 mi" in bober
    assert " km " not in bober
    assert "add a column of each preferred range converted to U" in _help(capsys, "list")
    _, out, _ = run_cli(capsys, "list", "--unit", "km")
    assert "Range (km)" in out.splitlines()[0]
    himars = next(line for line in out.splitlines() if line.startswith("HIMARS"))
    # "more than 43 mi" is 43 x 1.609344 = 69.2 km.
    assert "more than 43 mi" in himars and "69.2 km" in himars
    assert "an 'In U' column" in _help(capsys, "show")
    _, out, _ = run_cli(capsys, "show", "bober", "--unit", "km")
    assert any(
        line.split()[:2] == ["Figure", "Variant"] and "In km" in line for line in out.splitlines()
    )
    assert "after its published value ('1,000 km = 621.4 mi')" in _help(capsys, "compare")
    _, out, _ = run_cli(capsys, "compare", "bober", "--unit", "mi")
    assert "1,000 km = 621.4 mi (gagadget.com, 2023-07-30)" in out


# --------------------------------------------------------------------------- compare


def test_compare(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run_cli(capsys, "compare", "bober", "uj-22", "--unit", "km")
    assert status == 0
    header = out.splitlines()[0]
    assert "Bober" in header and "UJ-22 Airborne" in header
    assert "up to 621 mi = 999.4 km (Daily Mail, 2023-08-01)" in out
    assert "1,300 km (MTV Uutiset, 2024-04) *" in out  # the headline is starred
    assert "radius_of_action" in out
    status, out, _ = run_cli(capsys, "compare", "bober", "himars", "--format", "json")
    rows = json.loads(out)
    assert {row["system_name"] for row in rows} == {"Bober", "HIMARS"}
    assert len(rows) == len(wr.lookup("bober").claims) + len(wr.lookup("himars").claims)


# --------------------------------------------------------------------------- reach


def test_reach_table(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run_cli(capsys, "reach", "--from", "Kyiv", "--to", "Moscow")
    assert status == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].split() == [
        "System",
        "Claim",
        "Distance",
        "Range",
        "Margin",
        "Status",
        "Source",
    ]
    bober = next(line for line in lines if line.startswith("Bober"))
    assert "757.1 km" in bober and "1,300 km" in bober and "542.9 km" in bober
    assert " reaches " in bober
    assert "Ukraine (no official named) (MTV Uutiset, 2024-04)" in bober  # who says so
    # A launcher answers per munition: HIMARS with ATACMS, up to 300 km, 457.1 km short.
    himars = next(line for line in lines if line.startswith("HIMARS (ATACMS)"))
    assert " does not reach " in himars and "-457.1 km" in himars
    assert not any(line.startswith("HIMARS  ") for line in lines)
    storm = next(line for line in lines if line.startswith("Storm Shadow"))
    assert " not established " in storm
    assert "WGS84" in out


def test_reach_json_schema_is_stable(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run_cli(
        capsys,
        "reach",
        "--from",
        "50.45,30.5233",
        "--to",
        "Moscow",
        "--system",
        "bober",
        "--system",
        "HIMARS",
        "--all-claims",
        "--format",
        "json",
    )
    assert status == 0
    rows = json.loads(out)
    assert [list(row) for row in rows] == [REACH_KEYS] * len(rows)
    assert [(row["system_name"], row["variant"]) for row in rows] == [
        (system.name, claim.variant)
        for system in (wr.lookup("bober"), wr.lookup("himars"))
        for claim in system.claims_for("range")
    ]
    assert rows[0]["distance_km"] == pytest.approx(757.104, abs=0.01)
    assert rows[0]["reaches"] is True and rows[-1]["reaches"] is False
    assert rows[0]["status"] == "reaches"
    assert (
        rows[-1]["status"]
        == wr.reaches(
            "HIMARS", (50.45, 30.5233), "Moscow", claim=wr.lookup("himars").claims_for("range")[-1]
        ).status
    )
    assert rows[0]["origin"] == "50.4500°N, 30.5233°E"


@pytest.mark.parametrize(
    ("argv", "needles"),
    [
        (("reach", "--from", "Kyyiv", "--to", "Moscow"), ("'Kyyiv'", "did you mean")),
        (("reach", "--from", "91,30", "--to", "Moscow"), ("91",)),
        (("reach", "--from", "Kyiv", "--to", "Moscow", "--system", "Trident"), ("'Trident'",)),
        (("reach", "--to", "Moscow"), ("--from",)),
        (("ring", "bober", "--from", "nan,30"), ("nan",)),
        (("ring", "500 kg", "--from", "Kyiv"), ("not a length",)),
        (("ring", "bober", "--from", "Kyiv", "--points", "2"), ("not from 3 to 100,000",)),
    ],
)
def test_reach_and_ring_errors(
    capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], needles: tuple[str, ...]
) -> None:
    status, out, err = run_cli(capsys, *argv)
    assert_short_error(status, out, err, *needles)


# --------------------------------------------------------------------------- ring and places


def test_ring_is_geojson(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run_cli(capsys, "ring", "bober", "--from", "Kyiv", "--points", "90")
    assert status == 0
    feature = json.loads(out)
    assert feature["type"] == "Feature"
    assert feature["geometry"]["type"] == "Polygon"
    assert len(feature["geometry"]["coordinates"][0]) == 91
    assert feature["properties"]["system_name"] == "Bober"
    status, out, _ = run_cli(capsys, "ring", "500 km", "--from", "50.45,30.5233")
    assert json.loads(out)["properties"]["range_km"] == 500


def test_places(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run_cli(capsys, "places", "kharkov")
    assert status == 0
    assert out.splitlines()[2].startswith("Kharkiv")
    status, out, _ = run_cli(capsys, "places", "Moscow", "--format", "json")
    rows = json.loads(out)
    assert rows[0]["name"] == "Moscow" and rows[0]["country"] == "RU"
    assert set(rows[0]) == {
        "name", "region", "country", "kind", "reference", "lat", "lon", "population",
        "population_source", "source",
    }  # fmt: skip


# --------------------------------------------------------------------------- map


def test_map_errors(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, out, err = run_cli(
        capsys, "map", "bober", "--from", "Kyiv", "-o", str(tmp_path / "x.gif")
    )
    assert_short_error(status, out, err, "gif")
    status, out, err = run_cli(
        capsys, "map", "bober", "--from", "Kyiv", "-o", str(tmp_path / "no" / "x.svg")
    )
    assert_short_error(status, out, err, str(tmp_path / "no"))


def test_map_writes_a_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    path = tmp_path / "rings.svg"
    status, _, err = run_cli(
        capsys, "map", "bober", "uj-22", "--from", "Kyiv", "--mark", "Moscow", "-o", str(path)
    )
    assert status == 0, err
    assert path.read_bytes().startswith(b"<?xml")
    assert f"wrote {path}" in err


def test_map_without_matplotlib_says_which_pip_install(tmp_path: Path) -> None:
    code = (
        "import sys; sys.modules['matplotlib'] = None\n"
        "from weaponsref.cli import main\n"
        f"sys.exit(main(['map', 'bober', '--from', 'Kyiv', '-o', {str(tmp_path / 'x.svg')!r}]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 2
    assert "pip install 'weaponsref[maps]'" in result.stderr
    assert "Traceback" not in result.stderr


# --------------------------------------------------------------------------- CSV and TSV


def _as_cell(value: object) -> str:
    """What a JSON value must read as in a CSV cell (written independently of the CLI)."""
    if value is None:
        return ""
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
    if isinstance(value, float):
        return repr(value)
    return str(value)


@pytest.mark.parametrize(
    ("argv", "pick"),
    [
        (("list",), None),
        (("list", "--unit", "km"), None),
        (("reach", "--from", "Kyiv", "--to", "Moscow", "--all-claims", "--unit", "mi"), None),
        (("show", "Storm Shadow", "--unit", "km"), "claims"),
        (("compare", "bober", "himars"), None),
        (("places", "Moscow", "--limit", "20"), None),
    ],
)
@pytest.mark.parametrize(("fmt", "delimiter"), [("csv", ","), ("tsv", "\t")])
def test_csv_has_the_cells_of_json(
    capsys: pytest.CaptureFixture[str],
    argv: tuple[str, ...],
    pick: str | None,
    fmt: str,
    delimiter: str,
) -> None:
    status, out, err = run_cli(capsys, *argv, "--format", "json")
    assert status == 0, err
    data = json.loads(out)
    rows = data[pick] if pick else data
    status, out, err = run_cli(capsys, *argv, "--format", fmt)
    assert status == 0 and err == ""
    table = list(csv.reader(io.StringIO(out, newline=""), delimiter=delimiter))
    assert table[0] == list(rows[0])
    assert table[1:] == [[_as_cell(value) for value in row.values()] for row in rows]
    # Nothing padded: no cell starts or ends with a space it did not have in JSON.
    assert all(cell == cell.strip() for line in table for cell in line if "\n" not in cell)


def test_help_no_longer_calls_tsv_csv(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run_cli(capsys, "list", "--help")
    text = " ".join(out.split())
    assert "csv is 'tsv'" not in text
    assert "csv or tsv for a spreadsheet" in text


# --------------------------------------------------------------------------- pipes


def _piped(*argv: str) -> tuple[int, str, str]:
    """``python -m weaponsref ARGV | head -1`` from this worktree: status, stdout, stderr."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with subprocess.Popen(
        [sys.executable, "-m", "weaponsref", *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        env=env,
    ) as writer:
        assert writer.stdout is not None and writer.stderr is not None
        head = subprocess.run(
            ["head", "-1"], stdin=writer.stdout, capture_output=True, check=True, timeout=60
        )
        writer.stdout.close()
        err = writer.stderr.read().decode()
        status = writer.wait(timeout=60)
    return status, head.stdout.decode(), err


@pytest.mark.parametrize(
    "argv",
    [
        ("places", "moscow", "--limit", "500"),
        # Half a megabyte, far beyond a pipe's buffer: the write fails once head has gone.
        ("places", "a", "--limit", "100000", "--format", "json"),
    ],
)
def test_piping_into_head_ends_quietly(argv: tuple[str, ...]) -> None:
    status, out, err = _piped(*argv)
    assert status == 0
    assert err == ""
    assert out.count("\n") == 1


# --------------------------------------------------------------------------- catalogues

MINE = """
[[systems]]
id = "example"
name = "Example Drone"
category = "teaching example"
origin = "Nowhere"
description = "A made-up system for a class."
[[systems.claims]]
figure = "range"
value = "12345 km"
qualifier = "up to"
source = "dailymail-2023-08-01"
quote = "made up for the example"
"""


def test_catalogue_option_and_environment(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_catalogue(tmp_path, MINE)
    for argv in (
        ("show", "example drone", "--catalogue", str(path), "-f", "json"),
        ("list", "--catalogue", str(path), "-f", "json"),
        (
            "reach",
            "--from",
            "Kyiv",
            "--to",
            "Moscow",
            "-s",
            "Example Drone",
            "--catalogue",
            str(path),
        ),
        ("ring", "example", "--from", "Kyiv", "--catalogue", str(path)),
        ("compare", "example", "bober", "--catalogue", str(path)),
    ):
        status, out, err = run_cli(capsys, *argv)
        assert status == 0, (argv, err)
        assert "Example Drone" in out
    assert wr.get("example") is None  # the command's catalogue does not outlive it
    monkeypatch.setenv("WEAPONSREF_CATALOGUE", str(path))
    status, out, _ = run_cli(capsys, "list", "--min-range", "12000 km", "-f", "json")
    assert status == 0
    assert [row["system"] for row in json.loads(out)] == ["example"]
    monkeypatch.setenv("WEAPONSREF_CATALOGUE", str(tmp_path / "missing.toml"))
    status, out, err = run_cli(capsys, "list")
    assert_short_error(status, out, err, "WEAPONSREF_CATALOGUE", "missing.toml")


def test_a_bad_catalogue_file_is_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = write_catalogue(tmp_path, MINE.replace('"12345 km"', '"12345 kg"'), "bad.toml")
    status, out, err = run_cli(capsys, "list", "--catalogue", str(path))
    assert_short_error(status, out, err, "--catalogue", "bad.toml", "systems[0].claims[0]")
    assert len(err.splitlines()) == 1


# --------------------------------------------------------------------------- list filters


def _names(out: str) -> list[str]:
    return [row["system_name"] for row in json.loads(out)]


def test_list_filters(capsys: pytest.CaptureFixture[str]) -> None:
    everything = wr.systems()
    _, out, _ = run_cli(
        capsys, "list", "--min-range", "500 km", "--max-range", "1000 mi", "-f", "json"
    )
    assert _names(out) == [
        s.name for s in everything if 500_000 <= s.claim("range").metres <= 1_609_344
    ]
    assert "Bober" in _names(out) and "HIMARS" not in _names(out)
    _, out, _ = run_cli(capsys, "list", "--operator", "TÜRKEY", "-f", "json")
    assert _names(out) == ["Bayraktar TB2"]
    _, out, _ = run_cli(capsys, "list", "--origin", "france", "-f", "json")
    assert _names(out) == ["Storm Shadow", "AASM Hammer"]
    _, out, _ = run_cli(capsys, "list", "--origin", "United Kingdom and France", "-f", "json")
    assert _names(out) == ["Storm Shadow"]
    _, out, _ = run_cli(
        capsys, "list", "--category", "Cruise-Missile", "--operator", "ukraine", "-f", "json"
    )
    assert _names(out) == ["Storm Shadow", "R-360 Neptune", "FP-5 Flamingo", "Long Neptune"]
    status, out, err = run_cli(capsys, "list", "--operator", "Atlantis")
    assert status == 0 and out == "" and "no system matches" in err
    status, out, err = run_cli(capsys, "list", "--max-range", "5 kg")
    assert_short_error(status, out, err, "not a length")


# --------------------------------------------------------------------------- source and variant


def test_reach_and_ring_take_a_source_and_a_variant(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run_cli(
        capsys,
        "reach",
        "--from",
        "Kyiv",
        "--to",
        "Moscow",
        "--source",
        "dailymail-2023-08-01",
        "-f",
        "json",
    )
    rows = json.loads(out)
    assert {row["source"] for row in rows} == {"dailymail-2023-08-01"}
    assert [row["system_name"] for row in rows] == [
        "Bober",
        "UJ-22 Airborne",
        "Storm Shadow",
        "HIMARS",
    ]
    argv = (
        "reach",
        "--from",
        "Kharkiv",
        "--to",
        "Belgorod",
        "--system",
        "HIMARS",
        "--variant",
        "ATACMS",
    )
    status, out, err = run_cli(capsys, *argv, "-f", "json")
    assert status == 0, err
    (row,) = json.loads(out)
    expected = wr.reaches("ATACMS", "Kharkiv", "Belgorod")
    assert (row["system_name"], row["variant"], row["status"]) == ("HIMARS", "ATACMS", "reaches")
    assert row["source"] == expected.claim.source.id
    assert row["distance_km"] == pytest.approx(expected.distance_m / 1000, abs=1e-3)
    _, out, _ = run_cli(
        capsys,
        "reach",
        "--from",
        "Kharkiv",
        "--to",
        "Belgorod",
        "--variant",
        "ATACMS",
        "-f",
        "json",
    )
    assert [row["system_name"] for row in json.loads(out)] == ["HIMARS", "M270 MLRS"]
    status, out, err = run_cli(
        capsys, "reach", "--from", "Kyiv", "--to", "Moscow", "--variant", "Nope"
    )
    assert_short_error(status, out, err, "no system has a range claim for variant 'Nope'")
    status, out, err = run_cli(capsys, *argv[:-2], "--variant", "Nope")
    assert_short_error(status, out, err, "HIMARS")
    status, out, err = run_cli(
        capsys, "ring", "bober", "--from", "Kyiv", "--source", "gagadget-beaver"
    )
    assert status == 0, err
    assert json.loads(out)["properties"]["source"] == "gagadget-beaver"
    status, out, err = run_cli(
        capsys, "reach", "--from", "Kyiv", "--to", "Moscow", "--source", "nope"
    )
    assert_short_error(status, out, err, "'nope'")


# --------------------------------------------------------------------------- completion


def _complete(line: str, tmp_path: Path, *, without: bool = False) -> list[str]:
    """The candidates the shell would offer for ``line``, from a real process."""
    answer = tmp_path / "completions.txt"
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "_ARGCOMPLETE": "1",
        "_ARGCOMPLETE_STDOUT_FILENAME": str(answer),
        "COMP_LINE": line,
        "COMP_POINT": str(len(line)),
        "COMP_TYPE": "9",
    }
    code = (
        f"import sys\nif {without!r}: sys.modules['argcomplete'] = None\n"
        "from weaponsref.cli import main\nsys.exit(main())\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, *line.split()[1:]],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    if without:
        return [str(result.returncode), result.stderr]
    assert result.returncode == 0, result.stderr
    return [word.strip() for word in answer.read_text().replace("\\ ", " ").split("\x0b")]


def test_completion_of_systems_and_places(tmp_path: Path) -> None:
    pytest.importorskip("argcomplete")
    assert "bober" in _complete("weaponsref show bo", tmp_path)
    assert "Bober" in _complete("weaponsref compare bober Bo", tmp_path)
    assert "Kharkiv" in _complete("weaponsref reach --from Khark", tmp_path)
    assert "kharkiv" in _complete("weaponsref reach --from khark", tmp_path)
    assert "dailymail-2023-08-01" in _complete("weaponsref reach --source dailym", tmp_path)
    assert "csv" in _complete("weaponsref list --format cs", tmp_path)
    assert "--catalogue" in _complete("weaponsref list --cat", tmp_path)


def test_the_command_works_without_argcomplete(tmp_path: Path) -> None:
    code = (
        "import sys; sys.modules['argcomplete'] = None\n"
        "from weaponsref.cli import main\n"
        "sys.exit(main(['list', '--format', 'csv']))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0 and result.stdout.startswith("system,system_name,")
    # Asked to complete without argcomplete installed, it runs the command line as given.
    status, err = _complete("weaponsref show bober", tmp_path, without=True)
    assert status == "0" and err == ""


# --------------------------------------------------------------------------- citable


def test_sources_prints_citations_and_tables(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run_cli(capsys, "sources", "--system", "bober")
    assert status == 0 and err == ""
    lines = out.splitlines()
    assert lines == [s.citation for s in wr.lookup("bober").sources]
    status, out, _ = run_cli(capsys, "sources", "--format", "json")
    rows = json.loads(out)
    assert [row["id"] for row in rows] == [s.id for s in wr.sources()]
    status, out, _ = run_cli(capsys, "sources", "--format", "csv")
    assert out.splitlines()[0].startswith("id,cited_as,kind")


def test_as_of_gives_the_record_as_it_stood(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ("reach", "--from", "Kyiv", "--to", "Moscow", "--format", "json")
    status, out, _ = run_cli(capsys, *argv, "--as-of", "2023-06-01")
    assert status == 0
    rows = json.loads(out)
    assert "Bober" not in {row["system_name"] for row in rows}
    then = wr.default_catalogue().as_of("2023-06-01")
    launchers = wr.reach.range_choices  # a launcher has one row per munition it fires
    assert [row["system"] for row in rows] == [
        s.id for s in then.systems() for _ in launchers(s, catalogue=then)
    ]
    status, _, err = run_cli(capsys, *argv, "--as-of", "yesterday")
    assert status == 2 and "--as-of" in err and len(err.strip().splitlines()) == 1


def test_export_writes_a_data_package(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, out, err = run_cli(capsys, "export", str(tmp_path / "data"))
    assert status == 0
    assert (tmp_path / "data" / "datapackage.json").is_file()
    assert "frictionless validate" in err
    assert len(out.splitlines()) == 6
    (tmp_path / "file").write_text("x")
    status, _, err = run_cli(capsys, "export", str(tmp_path / "file"))
    assert status == 2 and "is a file" in err


def test_map_takes_title_variant_source_dpi_and_pdf(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "himars.pdf"
    status, _, err = run_cli(
        capsys, "map", "himars", "--from", "Kharkiv", "--variant", "ATACMS",
        "--title", "HIMARS with ATACMS", "--subtitle", "From Kharkiv", "--dpi", "150",
        "-o", str(out),
    )  # fmt: skip
    assert status == 0 and "wrote" in err
    assert out.read_bytes()[:5] == b"%PDF-"
    status, _, err = run_cli(capsys, "map", "bober", "--from", "Kyiv", "--source", "nope", "-o",
                         str(tmp_path / "x.png"))  # fmt: skip
    assert status == 2 and "its range sources are" in err
    assert not (tmp_path / "x.png").exists()


# --------------------------------------------------------------------------- from anywhere


def test_inside_lists_places_within_range(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run_cli(capsys, "inside", "gmlrs", "--from", "Zaporizhzhia",
                         "--min-population", "50000", "--format", "json")  # fmt: skip
    assert status == 0
    rows = json.loads(out)
    expected = wr.places_within("GMLRS", "Zaporizhzhia", min_population=50_000)
    assert [row["name"] for row in rows] == [p.name for p in expected.places]
    status, out, _ = run_cli(capsys, "inside", "gmlrs", "--from", "Zaporizhzhia")
    assert "not of the area" in out


def test_ring_as_kml_and_to_a_tolerance(capsys: pytest.CaptureFixture[str]) -> None:
    import xml.etree.ElementTree as ET

    status, out, _ = run_cli(capsys, "ring", "bober", "--from", "Kyiv", "--format", "kml")
    assert status == 0
    root = ET.fromstring(out.split("\n", 1)[1])
    namespace = "{http://www.opengis.net/kml/2.2}"
    coordinates = root.find(f".//{namespace}coordinates")
    assert coordinates is not None and coordinates.text
    status, out, _ = run_cli(capsys, "ring", "bober", "--from", "Kyiv", "--points", "36")
    assert len(json.loads(out)["geometry"]["coordinates"][0]) == 37


def test_reach_keeps_an_operators_systems_and_what_reaches(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, _ = run_cli(capsys, "reach", "--from", "Kyiv", "--to", "Moscow", "-f", "json")
    assert status == 0
    every = json.loads(out)
    status, out, _ = run_cli(
        capsys, "reach", "--from", "Kyiv", "--to", "Moscow", "--reaches-only", "-f", "json"
    )
    assert status == 0
    assert json.loads(out) == [row for row in every if row["status"] == "reaches"]
    operated = {s.id for s in wr.systems() if "Ukraine" in s.operators}
    assert operated  # the data has systems Ukraine operates
    status, out, _ = run_cli(
        capsys, "reach", "--from", "Kyiv", "--to", "Moscow", "--operator", "ukraine", "-f", "json"
    )
    assert status == 0
    assert [row["system"] for row in json.loads(out)] == [
        row["system"] for row in every if row["system"] in operated
    ]
    status, out, _ = run_cli(
        capsys, "reach", "--from", "Kyiv", "--to", "Moscow", "--operator", "Atlantis"
    )
    assert status == 0


def test_every_inside_csv_row_carries_its_claim_source_and_date(
    capsys: pytest.CaptureFixture[str],
) -> None:
    import csv
    import io

    status, out, _ = run_cli(capsys, "inside", "gmlrs", "--from", "Zaporizhzhia",
                         "--min-population", "300000", "--format", "csv")  # fmt: skip
    assert status == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    claim = wr.lookup("GMLRS").claim("range")
    assert rows
    for row in rows:
        assert row["claim"] == claim.describe()
        assert row["source"] == claim.source.id
        assert row["source_published"] == str(claim.source.published)
        assert row["origin"] == wr.place("Zaporizhzhia").qualified_name
