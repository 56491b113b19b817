"""The command line: output, exit status and error paths of every subcommand."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import weaponsref as wr
from weaponsref.cli import main

REACH_KEYS = [
    "system",
    "variant",
    "claim",
    "qualifier",
    "source",
    "source_id",
    "url",
    "quote",
    "origin",
    "target",
    "distance_km",
    "range_km",
    "margin_km",
    "status",
    "close",
    "reaches",
    "earth_model",
]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        status = main(list(argv))
    except SystemExit as exit_:  # argparse's own exits (--help, bad arguments)
        status = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return status, out, err


def assert_short_error(status: int, out: str, err: str, *needles: str) -> None:
    assert status == 2
    assert out == ""
    assert "Traceback" not in err
    assert 1 <= len(err.strip().splitlines()) <= 3, err
    for needle in needles:
        assert needle in err


# --------------------------------------------------------------------------- list and show


def test_list(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "list")
    assert status == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["System", "Category", "Origin"]
    for name in ("Bober", "UJ-22 Airborne", "Storm Shadow", "HIMARS"):
        assert any(line.startswith(name) for line in lines)
    assert "up to 621 mi" in out


def test_list_in_km_and_formats(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "list", "--unit", "km", "--format", "github")
    assert status == 0
    assert out.startswith("| System")
    assert "999.4 km" in out and "80.5 km" in out
    status, out, _ = run(capsys, "list", "--format", "json")
    rows = json.loads(out)
    assert [row["id"] for row in rows] == [s.id for s in wr.systems()]
    assert [row["id"] for row in rows][:4] == ["bober", "uj-22", "storm-shadow", "himars"]
    assert rows[0]["range_km"] == pytest.approx(999.403, abs=1e-3)
    assert set(rows[0]) == {
        "id",
        "system",
        "aliases",
        "category",
        "origin",
        "maker",
        "range",
        "range_km",
        "source",
        "url",
        "quote",
    }


def test_show(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "show", "bober")
    assert status == 0 and err == ""
    assert out.startswith("Name ")
    for text in (
        "Bober",
        "Beaver",
        '"With a range of up to 621 miles"',
        "Daily Mail",
        "2023-08-01",
        "https://tech.wp.pl/ukrainskie-bobry-nie-daja-spac-moskwie-to-one-mialy-uderzyc-w-stolice-rosji,6925503669144192a",
        "France 24 (via Yahoo France)",
        "2023: first reported use",
        "2023: in service with Ukraine",
    ):
        assert text in out


def test_show_json(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "show", "M142", "--format", "json", "--unit", "mi")
    assert status == 0
    data = json.loads(out)
    assert data["system"] == "HIMARS"
    claims = data["claims"]
    assert [c["variant"] for c in claims] == [None, None, "PrSM", "PrSM", None, None]
    assert claims[0]["value_in_unit"] == "50 mi"
    assert data["launches"] == ["gmlrs", "atacms"]
    assert "Ukraine" in data["operators"]
    assert {e["when"] for e in data["events"]} >= {"2005", "2022-06-23"}
    status, out, _ = run(capsys, "show", "GMLRS", "--format", "json")
    band = next(c for c in json.loads(out)["claims"] if c["qualifier"] == "band")
    assert (band["low"], band["magnitude"], band["unit"]) == (15, 84, "kilometer")


def test_unknown_system(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "show", "bobr")
    assert_short_error(status, out, err, "'bobr'", "did you mean 'Bober'?")


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (("list", "--format", "nonsense"), "unknown table format 'nonsense'"),
        (("list", "--unit", "kg"), "'kg' is not a length"),
        (("list", "--unit", "furlongz"), "unknown unit 'furlongz'"),
        (("show",), "the following arguments are required: name"),
        (("frobnicate",), "invalid choice"),
        ((), "required"),
    ],
)
def test_bad_arguments(
    capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], needle: str
) -> None:
    status, out, err = run(capsys, *argv)
    assert_short_error(status, out, err, needle)


@pytest.mark.parametrize("command", ["list", "show", "compare", "reach", "ring", "map", "places"])
def test_every_subcommand_has_help_with_an_example(
    capsys: pytest.CaptureFixture[str], command: str
) -> None:
    status, out, _ = run(capsys, command, "--help")
    assert status == 0
    assert "example:" in out
    assert f"weaponsref {command}" in out


def test_python_dash_m_and_the_script_agree() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "weaponsref", "show", "bobr"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith("weaponsref: error: no system named 'bobr'")
    assert "Traceback" not in result.stderr


# --------------------------------------------------------------------------- compare


def test_compare(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "compare", "bober", "uj-22", "--unit", "km")
    assert status == 0
    header = out.splitlines()[0]
    assert "Bober" in header and "UJ-22 Airborne" in header
    assert "up to 621 mi = 999.4 km (Daily Mail, 2023-08-01) *" in out
    assert "radius_of_action" in out
    status, out, _ = run(capsys, "compare", "bober", "himars", "--format", "json")
    rows = json.loads(out)
    assert {row["system"] for row in rows} == {"Bober", "HIMARS"}
    assert len(rows) == len(wr.lookup("bober").claims) + len(wr.lookup("himars").claims)


# --------------------------------------------------------------------------- reach


def test_reach_table(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "reach", "--from", "Kyiv", "--to", "Moscow")
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
    assert "757.1 km" in bober and "999.4 km" in bober and "242.3 km" in bober
    assert " reaches " in bober
    himars = next(line for line in lines if line.startswith("HIMARS"))
    assert " does not reach " in himars and "-676.6 km" in himars
    storm = next(line for line in lines if line.startswith("Storm Shadow"))
    assert " not established " in storm
    assert "WGS84" in out


def test_reach_json_schema_is_stable(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(
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
    assert [(row["system"], row["variant"]) for row in rows] == [
        ("Bober", None),
        ("Bober", None),
        ("Bober", None),
        ("Bober", None),
        ("HIMARS", None),
        ("HIMARS", None),
        ("HIMARS", "PrSM"),
        ("HIMARS", "PrSM"),
        ("HIMARS", None),
        ("HIMARS", None),
    ]
    assert rows[0]["distance_km"] == pytest.approx(757.104, abs=0.01)
    assert rows[0]["reaches"] is True and rows[-1]["reaches"] is False
    assert rows[0]["status"] == "reaches" and rows[-1]["status"] == "does not reach"
    assert rows[0]["origin"] == "50.4500°N, 30.5233°E"


@pytest.mark.parametrize(
    ("argv", "needles"),
    [
        (("reach", "--from", "Kyyiv", "--to", "Moscow"), ("'Kyyiv'", "did you mean")),
        (("reach", "--from", "91,30", "--to", "Moscow"), ("91",)),
        (("reach", "--from", "Kyiv", "--to", "Moscow", "--system", "Tomahawk"), ("'Tomahawk'",)),
        (("reach", "--to", "Moscow"), ("--from",)),
        (("ring", "bober", "--from", "nan,30"), ("nan",)),
        (("ring", "500 kg", "--from", "Kyiv"), ("not a length",)),
        (("ring", "bober", "--from", "Kyiv", "--points", "2"), ("not from 3 to 100,000",)),
    ],
)
def test_reach_and_ring_errors(
    capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], needles: tuple[str, ...]
) -> None:
    status, out, err = run(capsys, *argv)
    assert_short_error(status, out, err, *needles)


# --------------------------------------------------------------------------- ring and places


def test_ring_is_geojson(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "ring", "bober", "--from", "Kyiv", "--points", "90")
    assert status == 0
    feature = json.loads(out)
    assert feature["type"] == "Feature"
    assert feature["geometry"]["type"] == "Polygon"
    assert len(feature["geometry"]["coordinates"][0]) == 91
    assert feature["properties"]["system"] == "Bober"
    status, out, _ = run(capsys, "ring", "500 km", "--from", "50.45,30.5233")
    assert json.loads(out)["properties"]["range_km"] == 500


def test_places(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "places", "kharkov")
    assert status == 0
    assert out.splitlines()[2].startswith("Kharkiv")
    status, out, _ = run(capsys, "places", "Moscow", "--format", "json")
    rows = json.loads(out)
    assert rows[0]["name"] == "Moscow" and rows[0]["country"] == "RU"
    assert set(rows[0]) == {"name", "country", "lat", "lon", "population", "source"}


# --------------------------------------------------------------------------- map


def test_map_errors(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, out, err = run(capsys, "map", "bober", "--from", "Kyiv", "-o", str(tmp_path / "x.gif"))
    assert_short_error(status, out, err, "gif")
    status, out, err = run(
        capsys, "map", "bober", "--from", "Kyiv", "-o", str(tmp_path / "no" / "x.svg")
    )
    assert_short_error(status, out, err, str(tmp_path / "no"))


def test_map_writes_a_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    path = tmp_path / "rings.svg"
    status, _, err = run(
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
