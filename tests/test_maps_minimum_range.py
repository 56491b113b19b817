"""A published minimum range on a map: a hole in the ring's fill with a dotted edge, the
legend's words, and places in and out as the verdicts say."""

from __future__ import annotations

import datetime
import math
from typing import Any

import pytest

pytest.importorskip("matplotlib")
pytest.importorskip("shapely")

import matplotlib.colors
from matplotlib.figure import Figure
from matplotlib.patches import Patch

import weaponsref as wr
from weaponsref.maps import _api
from weaponsref.maps._basemap import _transformer
from weaponsref.maps._origins import _origins

MADE = datetime.date(2025, 3, 1)
# PrSM: Lockheed Martin's "between 60 and 499 kilometers" (data 2026.12.7).
MINIMUM_KM = 60.0


def _figure(*args: Any, **kwargs: Any) -> Figure:
    kwargs.setdefault("made", MADE)
    return _api._figure(*args, **kwargs)


def _patches(figure: Figure) -> dict[str, Patch]:
    return {p.get_gid(): p for p in figure.axes[0].patches if p.get_gid()}


def _radii_m(patch: Patch) -> list[float]:
    """The distances from the map's centre (its data origin) of the ends of a patch's
    segments, in the map's metres: on a circle, they all equal its radius."""
    path = patch.get_path().transformed(patch.get_patch_transform())
    return [math.hypot(*vertices[-2:]) for vertices, _ in path.iter_segments()]


def _filled(patch: Patch, point: tuple[float, float]) -> bool:
    """Whether the fill covers ``point`` (map metres), by the non-zero winding rule Agg fills
    with: the sum of the winding numbers of the patch's closed outlines about the point.
    (matplotlib's Path.contains_point does not apply the rule to a path of several parts.)"""
    x0, y0 = point
    path = patch.get_path().transformed(patch.get_patch_transform())
    winding = 0
    for polygon in path.to_polygons(closed_only=False):
        for (x1, y1), (x2, y2) in zip(polygon, [*polygon[1:], polygon[0]], strict=True):
            if y1 <= y0 < y2 and (x2 - x1) * (y0 - y1) - (x0 - x1) * (y2 - y1) > 0:
                winding += 1
            elif y2 <= y0 < y1 and (x2 - x1) * (y0 - y1) - (x0 - x1) * (y2 - y1) < 0:
                winding -= 1
    return winding != 0


def _faces(figure: Figure, count: int) -> list[bool]:
    """Whether each mark's dot is filled (within a ring, as the map draws it)."""
    dots = {line.get_gid(): line for line in figure.axes[0].lines}
    return [
        matplotlib.colors.to_hex(dots[f"mark-{i}"].get_markerfacecolor()) != "#ffffff"
        for i in range(count)
    ]


def test_a_minimum_range_is_a_hole_in_its_ring_and_the_legend_says_so() -> None:
    assert wr.lookup("PrSM").claim("minimum_range").value.to("km").magnitude == MINIMUM_KM
    figure = _figure(["PrSM"], "Kharkiv")
    patches = _patches(figure)
    inner = patches["ring-inner-0"]
    assert inner.get_linestyle() not in ("-", "solid")  # dotted, not the ring's own line
    # A circle of the minimum range round the launch point (the map's centre), to a metre.
    assert _radii_m(inner) == pytest.approx([MINIMUM_KM * 1000] * len(_radii_m(inner)), abs=1.0)
    fill = patches["ring-fill-0"]
    assert not _filled(fill, (0.0, 0.0))  # the launch point is in the hole
    assert not _filled(fill, (0.0, 55_000.0))
    assert _filled(fill, (0.0, 65_000.0)) and _filled(fill, (-300_000.0, 0.0))
    assert not _filled(fill, (0.0, 505_000.0))
    texts = " ".join(t.get_text() for t in figure.texts)
    assert "minimum range: 60 km" in texts
    assert "dotted inner circle: a published minimum range" in texts.replace("\n", " ")
    # One source for both figures is named once.
    detail = next(t.get_text() for t in figure.texts if t.get_gid() == "legend-detail-0")
    assert " ".join(detail.split()).count("Source:") == 1


def test_a_ring_without_a_minimum_range_has_no_hole() -> None:
    figure = _figure(["ATACMS"], "Kharkiv")
    assert not any(gid.startswith("ring-inner-") for gid in _patches(figure))
    assert "minimum range" not in " ".join(t.get_text() for t in figure.texts)


@pytest.mark.parametrize(
    ("origin", "marks"),
    [
        ("Kharkiv", ["Chuhuiv", "Belgorod", "Kupiansk", "Kyiv"]),
        (["Kursk", "Bryansk"], ["Kurchatov", "Karachev", "Lgov", "Oryol", "Kyiv"]),
    ],
)
def test_places_in_and_out_agree_with_the_verdicts(origin: Any, marks: list[str]) -> None:
    """A place nearer a launch point than the minimum range is drawn out of reach, as the
    verdict says, though it lies inside the ring."""
    figure = _figure(["PrSM"], origin, marks=marks)
    statuses = [wr.reaches("PrSM", origin, name).status for name in marks]
    assert "does not reach" in statuses and "reaches" in statuses  # both kinds are tested
    assert any(wr.distance(origin, n).to("km").magnitude < MINIMUM_KM for n in marks)
    assert _faces(figure, len(marks)) == [s == "reaches" for s in statuses]


def test_several_launch_points_leave_each_ones_minimum_range_out_of_the_fill() -> None:
    figure = _figure(["PrSM"], ["Kursk", "Bryansk"])
    patches = _patches(figure)
    assert "ring-inner-0" in patches
    fill = patches["ring-fill-0"]
    two = _origins(["Kursk", "Bryansk"])
    transformer = _transformer(two.lat, two.lon)
    for name in ("Kursk", "Bryansk"):
        place = wr.place(name)
        assert not _filled(fill, transformer.transform(place.lon, place.lat)), name
    lgov = wr.place("Lgov")  # 64 km from Kursk: in the ring, beyond the minimum range
    assert _filled(fill, transformer.transform(lgov.lon, lgov.lat))


def test_an_area_has_no_minimum_range_hole() -> None:
    """A minimum range is a launch point's: from an area the verdicts do not apply it, so the
    map draws no hole."""
    figure = _figure(["PrSM"], wr.area("Belgorod Oblast"))
    assert not any(gid.startswith("ring-inner-") for gid in _patches(figure))
