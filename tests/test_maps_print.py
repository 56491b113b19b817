"""Maps a desk can print (issue 21): a physical size and a resolution that changes only the
pixels; colours that mean one thing, legible against land and sea; and any number of rings,
each named on its own ring, rings of one length drawn once."""

from __future__ import annotations

import datetime
import io
import itertools
import json
import math
import random
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("matplotlib")

import matplotlib.colors
import numpy as np
from helpers import module_from
from matplotlib.figure import Figure
from matplotlib.patches import Circle
from PIL import Image

import weaponsref as wr
from weaponsref.cli import main
from weaponsref.errors import ArgumentError, ArgumentValueError, LimitError, UnitError
from weaponsref.maps import (
    PALETTE,
    SIZES,
    SYSTEM_COLOURS,
    _api,
    range_map,
    style_table,
    system_colours,
)
from weaponsref.reach import range_claim

MADE = datetime.date(2025, 3, 1)
ROOT = Path(__file__).resolve().parents[1]
# The issue's map: seven Russian missiles from Sevastopol, two of them 600 km.
SEVEN = ["Kh-101", "Kalibr", "Kinzhal", "Kh-22", "Kh-32", "P-800 Oniks", "Iskander-M"]
TEN = [*SEVEN, "Oreshnik", "Kh-59", "Shahed-136"]


# The other map tests as a module, for their helpers that measure labels as rendered.
_MAP_TESTS = module_from(Path(__file__).with_name("test_maps.py"), "_map_tests_print")
# Six rings and five marks round Kyiv: the map that tests label placement.
CROWDED, CROWDED_MARKS = _MAP_TESTS.CROWDED, _MAP_TESTS.CROWDED_MARKS


def _figure(*args: Any, **kwargs: Any) -> Figure:
    kwargs.setdefault("made", MADE)
    return _api._figure(*args, **kwargs)


def _png(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data)).convert("RGB")


def _media_box(pdf: bytes) -> tuple[float, float]:
    """The page's width and height in points, from the PDF's MediaBox."""
    found = re.search(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    assert found is not None
    return float(found.group(1)), float(found.group(2))


# ------------------------------------------------------------------------------------------
# WCAG 2's contrast ratio and CIELAB, from their definitions


def _luminance(colour: Any) -> float:
    """WCAG 2.x relative luminance of an sRGB colour."""
    r, g, b = matplotlib.colors.to_rgb(colour)

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)


def _contrast(a: Any, b: Any) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_contrast_formula_gives_wcag_s_own_examples() -> None:
    assert _contrast("black", "white") == pytest.approx(21.0)
    assert _contrast("#777777", "white") == pytest.approx(4.48, abs=0.01)  # WCAG's grey
    assert _contrast("#767676", "white") == pytest.approx(4.54, abs=0.01)


def _lab(colour: Any) -> np.ndarray[Any, Any]:
    """CIELAB (D65) of an sRGB colour."""
    rgb = np.array(matplotlib.colors.to_rgb(colour))
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    xyz = (
        np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
        @ linear
    )
    t = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(t > (6 / 29) ** 3, np.cbrt(t), t / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


# ------------------------------------------------------------------------------------------
# Sizes: the dpi changes only the pixels


def test_the_same_drawing_at_100_200_and_300_dpi() -> None:
    """At 200 and 300 dpi the map is the 100-dpi drawing with more pixels: scaled down to
    the 100-dpi size it differs only in anti-aliasing (a mean absolute difference under 8 of
    255). The drawing the issue found, 800 px at 300 dpi, differs by about 30."""
    images = {
        dpi: _png(range_map(SEVEN, "Sevastopol", dpi=dpi, made=MADE)) for dpi in (100, 200, 300)
    }
    base = images[100]
    assert base.size[0] == 800
    assert base.info["dpi"][0] == pytest.approx(100, abs=0.01)
    for dpi in (200, 300):
        image = images[dpi]
        assert image.size[0] == 8 * dpi
        assert abs(image.size[1] - base.size[1] * dpi / 100) <= 1.5
        assert image.info["dpi"][0] == pytest.approx(dpi, abs=0.01)
        small = np.asarray(image.resize(base.size, Image.Resampling.BOX), dtype=float)
        difference = np.abs(small - np.asarray(base, dtype=float))
        assert difference.mean() < 8.0, dpi
    other = _png(range_map(SEVEN, "Sevastopol", width=800, dpi=300, made=MADE))
    other = other.resize(base.size, Image.Resampling.BOX)
    assert np.abs(np.asarray(other, float) - np.asarray(base, float)).mean() > 20.0


def _sizes(figure: Figure) -> list[tuple[str, str, float]]:
    """Every artist's sizes in points: line widths, marker sizes and font sizes."""
    found = []
    for artist in [*figure.findobj()]:
        gid = str(artist.get_gid())
        for what in ("linewidth", "markersize", "fontsize", "markeredgewidth"):
            getter = getattr(artist, f"get_{what}", None)
            if getter is not None:
                found.append((gid, what, float(getter())))
    return found


def test_lines_dots_text_and_halos_are_the_same_points_at_any_dpi() -> None:
    first = _figure(SEVEN, "Sevastopol", dpi=100)
    again = _figure(SEVEN, "Sevastopol", dpi=300)
    assert first.get_size_inches() == pytest.approx(again.get_size_inches(), abs=0.01)
    a, b = _sizes(first), _sizes(again)
    assert [x[:2] for x in a] == [x[:2] for x in b]
    assert [x[2] for x in a] == pytest.approx([x[2] for x in b])
    halos = [t for t in first.axes[0].texts if (t.get_gid() or "").endswith("-halo")]
    again_halos = [t for t in again.axes[0].texts if (t.get_gid() or "").endswith("-halo")]
    widths = [t.get_path_effects()[0]._gc["linewidth"] for t in halos]  # type: ignore[attr-defined]
    again_widths = [t.get_path_effects()[0]._gc["linewidth"] for t in again_halos]  # type: ignore[attr-defined]
    assert widths and widths == pytest.approx(again_widths)


@pytest.mark.parametrize(
    ("kwargs", "points"),
    [
        ({}, (576.0, None)),  # 8 in
        ({"size": "2col"}, (276.0, None)),  # 23 picas
        ({"size": "1col"}, (132.0, None)),
        ({"size": "90 mm"}, (90 / 25.4 * 72, None)),
        ({"size": "A4"}, (210 / 25.4 * 72, 297 / 25.4 * 72)),
        ({"size": "a4-LANDSCAPE"}, (297 / 25.4 * 72, 210 / 25.4 * 72)),
        ({"size": "letter"}, (612.0, 792.0)),
        ({"width": 800, "dpi": 300}, (192.0, None)),  # 800 px at 300 dpi is 2.67 in
        ({"size": "3.5 in", "dpi": 300}, (252.0, None)),
    ],
)
def test_a_pdf_is_the_size_asked_for(kwargs: dict[str, Any], points: tuple[float, Any]) -> None:
    width, height = _media_box(range_map(["Kinzhal"], "Sevastopol", fmt="pdf", made=MADE, **kwargs))
    assert width == pytest.approx(points[0], abs=0.01)
    if points[1] is not None:
        assert height == pytest.approx(points[1], abs=0.01)
    else:
        assert height > width


def test_a_pdf_page_at_any_dpi_is_the_same_page() -> None:
    pages = {
        range_map(["Kinzhal"], "Sevastopol", fmt="pdf", size="2col", dpi=d, made=MADE)
        for d in (100, 300)
    }
    assert len(pages) == 1  # the dpi changes no vector output


def test_a_png_is_the_size_times_the_dpi() -> None:
    image = _png(range_map(["Kinzhal"], "Sevastopol", size="2col", dpi=300, made=MADE))
    assert image.size[0] == round(23 / 6 * 300)  # 1,150 px
    image = _png(range_map(["Kinzhal"], "Sevastopol", size="2col", width=1200, made=MADE))
    assert image.size[0] == 1200
    # PNG stores whole pixels per metre: 0.0254 dpi apart.
    assert image.info["dpi"][0] == pytest.approx(1200 / (23 / 6), abs=0.03)


def test_a_phone_map_is_390_px_with_a_title_above_its_text() -> None:
    data = range_map(TEN, "Sevastopol", width=390, made=MADE)
    assert _png(data).size[0] == 390
    figure = _figure(TEN, "Sevastopol", width=390)
    title = next(t for t in figure.texts if t.get_gid() == "title")
    legend = next(t for t in figure.texts if t.get_gid() == "legend-detail-0")
    assert title.get_fontsize() * 100 / 72 >= 16.0  # pixels: a headline on a phone
    assert title.get_fontsize() > legend.get_fontsize() * 1.3


def test_a_landscape_page_has_its_text_beside_the_map_and_everything_on_the_page() -> None:
    figure = _figure(TEN, "Sevastopol", size="A4-landscape", png=False)
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    frame = figure.axes[0].get_window_extent(renderer)
    page = figure.bbox
    for text in figure.texts:
        box = text.get_window_extent(renderer)
        assert box.x0 > frame.x1, text.get_gid()  # title, legend and credits right of the map
        assert page.y0 <= box.y0 and box.y1 <= page.y1 and box.x1 <= page.x1, text.get_gid()
    upright = _figure(TEN, "Sevastopol", size="A4", png=False)
    renderer = upright.canvas.get_renderer()  # type: ignore[attr-defined]
    frame = upright.axes[0].get_window_extent(renderer)
    for text in upright.texts:
        box = text.get_window_extent(renderer)
        assert upright.bbox.y0 + 30 <= box.y0 and box.x1 <= upright.bbox.x1 - 30, text.get_gid()


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"size": "2col", "width": 800, "dpi": 300}, ArgumentValueError, "at most two"),
        ({"size": "3col-wide"}, UnitError, "'2col'"),
        ({"size": "1 in"}, LimitError, "1.5 to 40 inches"),
        ({"size": 12}, ArgumentError, "size must be"),
        ({"size": "A4", "dpi": 600}, LimitError, "SVG or PDF"),
        ({"width": 390, "dpi": 300}, LimitError, "1.5 to 40 inches"),
        ({"dpi": "300"}, ArgumentError, "dpi must be a number"),
        ({"dpi": 5}, LimitError, "10 to 1200"),
    ],
)
def test_bad_sizes_raise_naming_the_fix(
    kwargs: dict[str, Any], error: type[Exception], words: str
) -> None:
    with pytest.raises(error, match=re.escape(words)):
        range_map(["Kinzhal"], "Sevastopol", **kwargs)


def test_a_large_page_is_fine_as_a_pdf() -> None:
    pdf = range_map(["Kinzhal"], "Sevastopol", size="A4", dpi=600, fmt="pdf", made=MADE)
    assert _media_box(pdf)[0] == pytest.approx(595.28, abs=0.01)


def test_every_named_size_is_a_width_or_a_page() -> None:
    from weaponsref.maps._size import _page

    assert {"1col", "2col", "A4", "A4-landscape"} <= set(SIZES)
    columns = [_page(f"{n}col", None, None).width_in for n in range(1, 7)]
    # Six 11-pica columns with 1-pica gutters: a broadsheet's 71-pica page.
    assert columns == pytest.approx([(12 * n - 1) / 6 for n in range(1, 7)])
    for name, (_, height) in SIZES.items():
        page = _page(name, None, None, png=False)
        assert (page.height_in is None) == (height is None)
        assert page.side == name.endswith("landscape")


def test_the_command_line_takes_a_size(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    png = tmp_path / "map.png"
    assert (
        main(
            [
                "map",
                "kinzhal",
                "--from",
                "Sevastopol",
                "--size",
                "2col",
                "--dpi",
                "300",
                "-o",
                str(png),
            ]
        )
        == 0
    )
    assert Image.open(png).size[0] == 1150
    pdf = tmp_path / "map.pdf"
    assert main(["map", "kinzhal", "--from", "Sevastopol", "--size", "A4", "-o", str(pdf)]) == 0
    assert _media_box(pdf.read_bytes()) == pytest.approx((595.28, 841.89), abs=0.01)
    small = tmp_path / "small.png"
    assert main(["map", "kinzhal", "--from", "Sevastopol", "--dpi", "300", "-o", str(small)]) == 0
    assert Image.open(small).size[0] == 2400  # 8 in at 300 dpi, not 800 px squeezed
    capsys.readouterr()
    args = ["map", "kinzhal", "--from", "Sevastopol", "--size", "2col", "--width", "900"]
    assert main([*args, "--dpi", "300", "-o", str(png)]) == 2
    assert "at most two of size, width and dpi" in capsys.readouterr().err


# ------------------------------------------------------------------------------------------
# Colours that mean one thing


def _land_and_sea(figure: Figure) -> tuple[str, str]:
    drawn = {a.get_gid(): a for a in figure.axes[0].get_children()}
    return (
        matplotlib.colors.to_hex(drawn["land"].get_facecolor()),  # type: ignore[attr-defined]
        matplotlib.colors.to_hex(drawn["sea"].get_facecolor()),  # type: ignore[attr-defined]
    )


def test_every_ring_line_is_3_to_1_against_land_and_sea() -> None:
    figure = _figure([*TEN, "500 km"], "Sevastopol")
    land, sea = _land_and_sea(figure)
    edges = [p for p in figure.axes[0].patches if re.fullmatch(r"ring-\d+", p.get_gid() or "")]
    assert len(edges) == 11
    for edge in edges:
        colour = edge.get_edgecolor()
        assert _contrast(colour, land) >= 3.0, edge.get_gid()
        assert _contrast(colour, sea) >= 3.0, edge.get_gid()
    for _, line, _ in PALETTE:  # and every colour a map may take
        assert min(_contrast(line, land), _contrast(line, sea)) >= 3.0, line


def test_every_label_is_4_5_to_1_against_land_and_sea() -> None:
    figure = _figure([*TEN, "500 km"], "Sevastopol", marks=["Ankara", "Tbilisi", "Rome"])
    land, sea = _land_and_sea(figure)
    labels = [
        t
        for t in figure.axes[0].texts
        if not (t.get_gid() or "").endswith("-halo") and t.get_text()
    ]
    kinds = {re.sub(r"-\d+$", "", t.get_gid() or "") for t in labels}
    assert {"ring-label", "mark-label", "place-label", "country", "origin-label"} <= kinds
    for text in labels:
        assert _contrast(text.get_color(), land) >= 4.5, (text.get_gid(), text.get_text())
        assert _contrast(text.get_color(), sea) >= 4.5, (text.get_gid(), text.get_text())
    for text in figure.texts:  # the title, legend and credits, on white
        assert _contrast(text.get_color(), "white") >= 4.5, text.get_gid()
    for _, _, ink in PALETTE:
        assert min(_contrast(ink, land), _contrast(ink, sea)) >= 4.5, ink


def test_the_palette_s_colours_are_distinct_and_none_is_grey() -> None:
    labs = [_lab(line) for _, line, _ in PALETTE]
    assert len(PALETTE) == 12
    for (i, a), (j, b) in itertools.combinations(enumerate(labs), 2):
        assert np.linalg.norm(a - b) >= 20.0, (PALETTE[i][0], PALETTE[j][0])  # CIE76
    grey = _lab(style_table()["hand"])
    for name, line, ink in PALETTE:
        chroma = math.hypot(*_lab(line)[1:])
        assert chroma >= 25.0, name
        assert np.linalg.norm(_lab(line) - grey) >= 25.0, name
        # The ink is the line's hue, no lighter.
        assert _lab(ink)[0] <= _lab(line)[0] + 1e-9, name


def test_every_built_in_system_has_its_own_colour() -> None:
    ids = {system.id for system in wr.default_catalogue().systems()}
    missing = sorted(ids - set(SYSTEM_COLOURS))
    assert not missing, f"give these a colour in weaponsref/maps/_style.py: {missing}"
    assert set(SYSTEM_COLOURS.values()) <= set(range(len(PALETTE)))


def test_colours_do_not_depend_on_the_order_on_the_map() -> None:
    ids = ["kh-101", "kalibr", "kinzhal", "kh-22", "p-800-oniks"]
    first = system_colours(ids)
    for order in itertools.islice(itertools.permutations(ids), 0, None, 17):
        assert system_colours(order) == first
    one, two = _figure(SEVEN, "Sevastopol"), _figure(SEVEN[::-1], "Sevastopol")

    def by_name(figure: Figure) -> dict[str, str]:
        names = {t.get_gid(): t.get_text() for t in figure.texts}
        lines = {
            a.get_gid(): matplotlib.colors.to_hex(a.get_color())
            for a in figure.artists
            if re.fullmatch(r"legend-swatch-\d+", a.get_gid() or "")
        }
        return {names[f"legend-{g.rsplit('-', 1)[1]}"]: c for g, c in lines.items()}

    assert by_name(one) == by_name(two)
    assert len(set(by_name(one).values())) == len(SEVEN)


def test_systems_of_one_colour_on_one_map_get_different_colours() -> None:
    table = dict(SYSTEM_COLOURS)
    a, b = next((x, y) for x, y in itertools.combinations(sorted(table), 2) if table[x] == table[y])
    colours = system_colours([b, a])
    assert colours[a] == PALETTE[table[a]][1:]  # the first by id keeps its own
    assert colours[b] != colours[a]
    assert system_colours([b]) == {b: PALETTE[table[b]][1:]}
    # Any twelve systems on one map have twelve colours.
    rng = random.Random(21)
    ids = [*sorted(table), "my-own-drone", "another-one"]
    for _ in range(40):
        chosen = rng.sample(ids, 12)
        assert len(set(system_colours(chosen).values())) == 12


def test_the_style_table_is_plain_data_that_needs_no_matplotlib() -> None:
    table = style_table()
    assert json.loads(json.dumps(table)) == table
    assert table["systems"] == dict(SYSTEM_COLOURS)
    code = (
        "import importlib.util, sys\n"
        "sys.modules['matplotlib'] = None\n"
        f"spec = importlib.util.spec_from_file_location('s', {str(ROOT / 'weaponsref/maps/_style.py')!r})\n"
        "module = importlib.util.module_from_spec(spec)\n"
        "spec.loader.exec_module(module)\n"
        "print(module.style_table()['palette'][0]['line'])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == PALETTE[0][1]


def test_no_line_style_but_a_typed_distance_s_dashes() -> None:
    """A published ring is a solid line, or, drawn once for several systems of one length,
    stripes of their colours one after another that together make a solid line."""
    figure = _figure([*TEN, "500 km"], "Sevastopol")
    stripes: dict[float, list[tuple[float, float]]] = {}
    for patch in figure.axes[0].patches:
        gid = patch.get_gid() or ""
        if not re.fullmatch(r"ring-\d+", gid):
            continue
        style = patch.get_linestyle()
        if int(gid.split("-")[1]) == len(TEN):
            assert style not in ("solid", "-"), "a distance typed by hand is dashed"
        elif style not in ("solid", "-"):
            offset, (on, off) = style
            stripes.setdefault(round(on + off, 9), []).append((offset, on))
    assert stripes  # Kh-22 and Kh-32, both 600 km
    for period, parts in stripes.items():
        assert len(parts) >= 2 and all(on * len(parts) == pytest.approx(period) for _, on in parts)
        starts = sorted((-offset) % period for offset, _ in parts)
        assert starts == pytest.approx([k * period / len(parts) for k in range(len(parts))])


def _lower_bound_system() -> Any:
    for system in wr.default_catalogue().systems():
        try:
            claim = range_claim(system)
        except ValueError:
            continue
        if claim.qualifier in ("more than", "at least"):
            return system, claim
    pytest.skip("no built-in system has a lower bound for its range")


def test_a_lower_bound_fades_outward_and_the_key_says_so() -> None:
    system, claim = _lower_bound_system()
    figure = _figure([system.name, "Kinzhal"], "Kyiv")
    texts = {t.get_gid(): t.get_text() for t in [*figure.texts, *figure.axes[0].texts]}
    assert f"{claim.qualifier} {_MAP_TESTS._km(claim.metres)}" in texts["ring-label-0"].replace(
        "\n", " "
    )
    assert "lower bound" in texts["legend-key"].replace("\n", " ")
    assert "the reach may be farther" in texts["legend-key"].replace("\n", " ")
    fades = [p for p in figure.axes[0].patches if (p.get_gid() or "").startswith("ring-fade-0-")]
    assert len(fades) >= 4
    # Outward from the ring, fainter outward.
    radii = [p.get_path().vertices[:, 0].max() for p in fades]
    assert min(radii) > claim.metres and radii == sorted(radii)
    alphas = [p.get_alpha() for p in fades]
    assert alphas == sorted(alphas, reverse=True) and alphas[-1] < alphas[0]
    # Kinzhal's is no lower bound: no fade.
    assert not [p for p in figure.axes[0].patches if (p.get_gid() or "").startswith("ring-fade-1-")]


# ------------------------------------------------------------------------------------------
# Any number of rings


Corners = list[tuple[float, float]]


def _quads(figure: Figure) -> dict[str, Corners]:
    """Every label's outline in pixels as rendered: four corners, turned with the label."""
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    return {
        text.get_gid() or "": _MAP_TESTS._outline(text, renderer)
        for text in figure.axes[0].texts
        if not (text.get_gid() or "").endswith("-halo") and text.get_text()
    }


def _rings_px(figure: Figure) -> tuple[tuple[float, float], dict[str, float]]:
    """The map's centre and each drawn ring's radius in pixels, by the id of its fill (a ring
    of several systems of one length is drawn once; a ring with a published minimum range is
    a circle with a hole, whose outer edge is the ring's)."""
    ax = figure.axes[0]
    centre = ax.transData.transform((0.0, 0.0))
    radii = {}
    for patch in ax.patches:
        gid = patch.get_gid() or ""
        if gid.startswith("ring-fill-") and isinstance(patch, Circle):
            edge = ax.transData.transform((patch.get_radius(), 0.0))
            radii[gid.removeprefix("ring-fill-")] = float(edge[0] - centre[0])
        elif gid.startswith("ring-fill-"):
            path = patch.get_path().transformed(patch.get_transform())
            # Each segment's end point, which lies on the circle (a curve's control points
            # do not).
            points = np.array([vertices[-2:] for vertices, _ in path.iter_segments()])
            radii[gid.removeprefix("ring-fill-")] = float(
                np.max(np.hypot(points[:, 0] - centre[0], points[:, 1] - centre[1]))
            )
    return (float(centre[0]), float(centre[1])), radii


def _edge_points(figure: Figure, index: str) -> list[tuple[float, float]]:
    """The points of a ring's drawn line in pixels (its curves flattened)."""
    patch = next(p for p in figure.axes[0].patches if p.get_gid() == f"ring-{index}")
    path = patch.get_path().transformed(patch.get_transform())
    return [tuple(point) for part in path.to_polygons(closed_only=False) for point in part]


def _check_labels(figure: Figure, rings: int) -> dict[str, Corners]:
    """No label overlaps another, each is inside the frame, and none crosses a ring: a ring's
    name may lie on its own ring only where the ring is cut under it."""
    shapely = pytest.importorskip("shapely")
    quads = _quads(figure)
    shapes = {gid: shapely.Polygon(quad) for gid, quad in quads.items()}
    names = sorted(shapes)
    for i, first in enumerate(names):
        for second in names[i + 1 :]:
            assert not shapes[first].intersects(shapes[second]), (first, second)
    (cx, cy), radii = _rings_px(figure)
    assert len(radii) == rings
    frame = figure.axes[0].get_window_extent()
    centre = shapely.Point(cx, cy)
    for gid, shape in shapes.items():
        x0, y0, x1, y1 = shape.bounds
        assert frame.x0 <= x0 and x1 <= frame.x1 and frame.y0 <= y0 and y1 <= frame.y1, gid
        near = shape.distance(centre)
        far = max(math.hypot(x - cx, y - cy) for x, y in quads[gid])
        for index, radius in radii.items():
            if near <= radius <= far:
                assert gid == f"ring-label-{index}", (gid, index)
                inside = [
                    p for p in _edge_points(figure, index) if shape.contains(shapely.Point(p))
                ]
                assert not inside, (gid, "its ring is not cut under it")
    return quads


@pytest.mark.parametrize(
    ("width", "marks"),
    [(800, CROWDED_MARKS), (390, CROWDED_MARKS), (1200, ["Moscow", "Minsk", "Odesa"])],
)
def test_no_label_overlaps_another_or_crosses_a_ring(width: int, marks: list[str]) -> None:
    figure = _figure(*CROWDED, marks=marks, width=width)
    boxes = _MAP_TESTS._labels(figure)
    assert {f"mark-label-{i}" for i in range(len(marks))} <= set(boxes)
    assert "origin-label" in boxes
    assert sum(gid.startswith("place-label") for gid in boxes) >= 3
    assert sum(gid.startswith("country-") for gid in boxes) >= 3
    _check_labels(figure, 6)


def test_every_ring_is_named_on_the_map_when_there_is_room() -> None:
    boxes = _MAP_TESTS._labels(_figure(*CROWDED, marks=CROWDED_MARKS))
    assert {f"ring-label-{i}" for i in range(6)} <= set(boxes)


def _same_length() -> list[str]:
    """Two or more built-in systems whose preferred ranges are one length, to the metre."""
    lengths: dict[int, list[str]] = {}
    for system in wr.default_catalogue().systems():
        try:
            claim = range_claim(system)
        except ValueError:
            continue
        if claim.qualifier not in ("more than", "at least"):
            lengths.setdefault(round(claim.metres), []).append(system.name)
    found = [names for names in lengths.values() if len(names) >= 2]
    assert found
    return found[0][:3]


def test_rings_of_one_length_are_drawn_once_striped_and_named_together() -> None:
    names = _same_length()
    figure = _figure([*names, "Kinzhal"], "Sevastopol")
    ax = figure.axes[0]
    fills = [p for p in ax.patches if (p.get_gid() or "").startswith("ring-fill-")]
    assert len(fills) == 2  # one circle for the systems of one length, one for Kinzhal
    label = next(t for t in ax.texts if t.get_gid() == "ring-label-0").get_text()
    assert ", ".join(names) in label.replace(",\n", ", ").replace("\n", " · ")
    edges = [p for p in ax.patches if p.get_gid() in {f"ring-{i}" for i in range(len(names))}]
    colours = {matplotlib.colors.to_hex(e.get_edgecolor()) for e in edges}
    assert len(colours) == len(names)  # a stripe of each system's colour
    offsets = {e.get_linestyle()[0] for e in edges}
    assert len(offsets) == len(names)  # one after another along the ring
    legend = {t.get_text() for t in figure.texts if re.fullmatch(r"legend-\d+", t.get_gid() or "")}
    assert set(names) <= legend  # each keeps its own legend entry, source and date


def test_the_issue_s_seven_missiles_are_all_named_on_their_rings() -> None:
    figure = _figure(SEVEN, "Sevastopol")
    quads = _check_labels(figure, len({round(range_claim(wr.lookup(n)).metres) for n in SEVEN}))
    named = {gid for gid in quads if gid.startswith("ring-label-")}
    fills = {
        p.get_gid().removeprefix("ring-fill-")
        for p in figure.axes[0].patches
        if (p.get_gid() or "").startswith("ring-fill-")
    }
    assert named == {f"ring-label-{i}" for i in fills}
    # Most names lie on their own ring, turned along it.
    turned = [
        t
        for t in figure.axes[0].texts
        if (t.get_gid() or "").startswith("ring-label")
        and t.get_rotation() != 0.0
        and not t.get_gid().endswith("halo")
    ]
    assert len(turned) >= 3


@pytest.mark.parametrize("width", [800, 1200])
def test_a_map_of_ten_systems_is_as_clear_as_one_of_two(width: int) -> None:
    figure = _figure(TEN, "Sevastopol", width=width)
    rings = len({round(range_claim(wr.lookup(n)).metres) for n in TEN})
    quads = _check_labels(figure, rings)
    assert sum(gid.startswith("ring-label-") for gid in quads) == rings
    assert sum(bool(re.fullmatch(r"legend-\d+", t.get_gid() or "")) for t in figure.texts) == 10
    two = _check_labels(_figure(TEN[:2], "Sevastopol", width=width), 2)
    assert sum(gid.startswith("ring-label-") for gid in two) == 2


def test_a_phone_map_of_ten_systems_names_its_rings_where_a_leader_can_reach_a_gap() -> None:
    """At 390 px the inner rings are a few pixels apart, so their names go out to gaps with
    leaders; a name that finds no gap straight out from its ring leans its leader to reach
    one beside the others. Every rule still holds, and all but one of the nine rings are
    named on the map (the legend names every system)."""
    figure = _figure(TEN, "Sevastopol", width=390)
    rings = len({round(range_claim(wr.lookup(n)).metres) for n in TEN})
    quads = _check_labels(figure, rings)
    assert sum(gid.startswith("ring-label-") for gid in quads) >= rings - 1
    assert sum(bool(re.fullmatch(r"legend-\d+", t.get_gid() or "")) for t in figure.texts) == 10
    leaders = [line for line in figure.axes[0].lines if (line.get_gid() or "").endswith("-leader")]
    ring_leaders = [line for line in leaders if (line.get_gid() or "").startswith("ring-label-")]
    assert ring_leaders  # the names put out from the inner rings are tied to them


@pytest.mark.parametrize(
    ("systems", "origin"),
    [(["kalibr"], wr.area("Crimea")), (["kalibr", "kh-101"], "Sevastopol"), (["bober"], "Kyiv")],
)
def test_no_label_sits_in_the_band_over_the_scale_bar(systems: list[str], origin: Any) -> None:
    """The scale bar's length is read alone: no other label shares the band from the bar
    up to its length's top ("500 km LIBYA" read as one phrase was the fault)."""
    figure = _figure(systems, origin)
    figure.canvas.draw()  # type: ignore[attr-defined]
    ax = figure.axes[0]
    bar = next(line for line in ax.lines if line.get_gid() == "scale-bar")
    (bx0, by0), (bx1, _) = ax.transData.transform(np.column_stack(bar.get_data())[[0, 2]])
    quads = _quads(figure)
    label = quads["scale-bar-label"]
    top = max(y for _, y in label)
    left = min(bx0, *(x for x, _ in label))
    right = max(bx1, *(x for x, _ in label))
    for gid, corners in quads.items():
        if gid.startswith("scale-bar"):
            continue
        xs, ys = [x for x, _ in corners], [y for _, y in corners]
        apart = max(xs) <= left or min(xs) >= right or max(ys) <= by0 or min(ys) >= top
        assert apart, f"{gid} sits in the band over the scale bar"
