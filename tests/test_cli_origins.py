"""Places and origins on the command line: points as --from, --to and --mark take them, and
origins of several places, areas, or both together."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from geographiclib.geodesic import Geodesic
from helpers import assert_short_error, run_cli

import weaponsref as wr
from weaponsref.cli._parser import join_negative_points

WGS84 = Geodesic.WGS84  # the independent authority for distances


# --------------------------------------------------------------------------- points


def test_negative_coordinates_without_equals(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run_cli(
        capsys, "reach", "--from", "-33.9,18.4", "--to", "-34.0,-18.0", "-f", "json"
    )
    assert status == 0, err
    rows = json.loads(out)
    assert rows[0]["origin"] == "33.9000°S, 18.4000°E"
    assert rows[0]["target"] == "34.0000°S, 18.0000°W"
    status, out, err = run_cli(capsys, "ring", "500 km", "--from", "-33.9 18.4", "--points", "3")
    assert status == 0, err
    assert json.loads(out)["properties"]["origin_lat"] == -33.9


def test_join_negative_points_leaves_everything_else() -> None:
    assert join_negative_points(["map", "x", "--mark", "-1.5,2", "--from", "Kyiv"]) == [
        "map",
        "x",
        "--mark=-1.5,2",
        "--from",
        "Kyiv",
    ]
    assert join_negative_points(["--to", "\u22121,2"]) == ["--to=\u22121,2"]
    assert join_negative_points(["places", "--", "--from", "-1,2"]) == [
        "places",
        "--",
        "--from",
        "-1,2",
    ]
    assert join_negative_points(["reach", "--from", "--to"]) == ["reach", "--from", "--to"]


def test_hemispheres_and_degrees_minutes_seconds(capsys: pytest.CaptureFixture[str]) -> None:
    outs = []
    for text in ("45.3086N 36.5097E", "45°18′31″N 36°30′35″E", "45d18m31sN 36d30m35sE"):
        status, out, err = run_cli(capsys, "ring", "100 km", "--from", text, "--points", "3")
        assert status == 0, err
        outs.append(json.loads(out)["properties"])
    assert outs[0]["origin_lat"] == 45.3086
    assert outs[1]["origin_lat"] == outs[2]["origin_lat"] == pytest.approx(45 + 18 / 60 + 31 / 3600)


def test_named_points_in_tables_json_and_rings(capsys: pytest.CaptureFixture[str]) -> None:
    bridge = "Kerch bridge=45.3086,36.5097"
    status, out, err = run_cli(capsys, "reach", "--from", "Kherson", "--to", bridge, "-s", "HIMARS")
    assert status == 0, err
    assert "to Kerch bridge (45.3086, 36.5097)." in out
    status, out, _ = run_cli(
        capsys, "reach", "--from", "Kherson", "--to", bridge, "-s", "HIMARS", "-f", "json"
    )
    assert json.loads(out)[0]["target"] == "Kerch bridge"
    status, out, _ = run_cli(capsys, "ring", "bober", "--from", bridge, "--points", "3")
    assert json.loads(out)["properties"]["origin"] == "Kerch bridge"


def test_unknown_place_says_how_to_give_coordinates(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run_cli(capsys, "reach", "--from", "Kyyiv", "--to", "Moscow")
    assert_short_error(status, out, err, "--from:", "'Kyyiv'", "did you mean", "45.3086N 36.5097E")
    status, out, err = run_cli(capsys, "ring", "bober", "--from", "Qqqqqqzzzz")
    assert_short_error(status, out, err, "'Qqqqqqzzzz'", "give coordinates", "NAME=COORDINATES")


def test_swapped_coordinates_warn_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run_cli(
        capsys, "reach", "--from", "37.6173,55.7558", "--to", "Kyiv", "-s", "bober"
    )
    assert status == 0 and out
    assert err.startswith("weaponsref: warning: '37.6173,55.7558' ")
    assert "near Moscow, RU" in err and len(err.splitlines()) == 1


# --------------------------------------------------------------------------- origins


def test_several_origins_and_an_area(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ("reach", "--to", "Belgorod", "--system", "Bober", "--format", "json")
    status, out, _ = run_cli(capsys, *argv, "--from", "Sumy", "--from", "Kharkiv")
    row = json.loads(out)[0]
    assert row["origin"] == "Kharkiv, UA"  # the nearer of the two, with its country
    assert row["distance_km"] == pytest.approx(
        wr.distance("Kharkiv", "Belgorod").m_as("km"), abs=5e-4
    )  # the JSON rounds to the metre
    status, out, _ = run_cli(capsys, *argv, "--from-area", "Ukraine")
    assert status == 0
    from_area = json.loads(out)[0]["distance_km"]
    assert 0 < from_area < row["distance_km"]


def _reach_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, Any]:
    status, out, err = run_cli(
        capsys, "reach", *argv, "--system", "Storm Shadow", "--format", "json"
    )
    assert status == 0, err
    (row,) = json.loads(out)
    assert isinstance(row, dict)
    return row


def test_a_verdict_from_places_and_areas_together(capsys: pytest.CaptureFixture[str]) -> None:
    # It was refused ("give --from or --from-area, not both"); now one origin holds both.
    both = ("--from", "Kursk", "--from-area", "Belarus")
    kursk, belgorod = wr.place("Kursk"), wr.place("Belgorod")
    row = _reach_json(capsys, *both, "--to", "Belgorod")
    assert row["origin"] == "Kursk, RU"  # far nearer than Belarus
    expected_m = WGS84.Inverse(kursk.lat, kursk.lon, belgorod.lat, belgorod.lon)["s12"]
    assert row["distance_km"] == pytest.approx(expected_m / 1000, abs=1e-3)  # rounded to 1 m
    row = _reach_json(capsys, *both, "--to", "Vilnius")
    assert row["origin"] == "Belarus"
    alone = _reach_json(capsys, "--from-area", "Belarus", "--to", "Vilnius")
    assert row["distance_km"] == alone["distance_km"]
    assert row["status"] == alone["status"] == "reaches"
    # From Kursk alone, Vilnius is beyond Storm Shadow's "more than 250 km": not established.
    assert _reach_json(capsys, "--from", "Kursk", "--to", "Vilnius")["status"] == "not established"


def test_several_areas_and_the_order_of_options(capsys: pytest.CaptureFixture[str]) -> None:
    areas = _reach_json(capsys, "--from-area", "Belarus", "--from-area", "Poland", "--to", "Kaunas")
    poland = _reach_json(capsys, "--from-area", "Poland", "--to", "Kaunas")
    belarus = _reach_json(capsys, "--from-area", "Belarus", "--to", "Kaunas")
    nearest = min(poland["distance_km"], belarus["distance_km"])
    assert areas["distance_km"] == nearest
    swapped = _reach_json(capsys, "--from-area", "Belarus", "--to", "Belgorod", "--from", "Kursk")
    assert (
        swapped["distance_km"]
        == _reach_json(capsys, "--from", "Kursk", "--from-area", "Belarus", "--to", "Belgorod")[
            "distance_km"
        ]
    )


def test_a_map_ring_and_places_from_places_and_areas_together(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    pytest.importorskip("matplotlib")
    path = tmp_path / "both.svg"
    both = ("--from", "Kursk", "--from-area", "Belarus")
    status, _, err = run_cli(capsys, "map", "HIMARS", *both, "--mark", "Vilnius", "-o", str(path))
    assert status == 0, err
    texts = [t.text for t in ET.parse(path).iter("{http://www.w3.org/2000/svg}text")]
    assert "Published ranges from Kursk and Belarus" in texts
    status, out, err = run_cli(capsys, "ring", "100 km", *both)
    assert status == 0, err
    assert json.loads(out)["geometry"]["type"] in ("Polygon", "MultiPolygon")
    status, out, err = run_cli(capsys, "inside", "100 km", *both, "--min-population", "400000",
                           "-f", "json")  # fmt: skip
    assert status == 0, err
    names = {row["name"]: row["distance_km"] for row in json.loads(out)}
    assert names["Kursk"] == names["Minsk"] == 0  # a launch point, and inside the area
    assert 0 < names["Vilnius"] < 100


def test_an_origin_needs_from_or_from_area(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run_cli(capsys, "reach", "--to", "Moscow")
    assert_short_error(status, out, err, "give --from PLACE or --from-area AREA")
    status, out, err = run_cli(capsys, "ring", "bober", "--from", "Kyiv", "--from-area", "Atlantis")
    assert_short_error(status, out, err, "'Atlantis'")
