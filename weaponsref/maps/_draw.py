"""Drawing a map, stage by stage: the view, the land, the area, the rings, the dots and their
labels; then the reference places, the country names, the title, the legend and the credits.

The stages run in a fixed order, which is also the order of the SVG's elements and of the
labels' claims on the free space: the maps are byte-for-byte the same on every run.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, PathPatch
from matplotlib.path import Path
from matplotlib.transforms import Affine2D, Bbox

from weaponsref.maps._basemap import (
    _EARTH_HALF_CIRCUMFERENCE_M,
    _circle,
    _hatch_lines,
    _project_basemap,
    _Projected,
    _shape_path,
    _shapely,
    _transformer,
    _view_box,
)
from weaponsref.maps._labels import _around, _Placer
from weaponsref.maps._layout import REFERENCE_DPI, _figure_inches, _Layout, _layout, _Scene
from weaponsref.maps._legend import _credits, _credits_text, _legend, _scale_bar, _titles
from weaponsref.maps._origins import (
    _area_shapes,
    _distance_from,
    _extent,
    _Named,
    _Origins,
)
from weaponsref.maps._places import _country_labels, _Mark, _reference_places
from weaponsref.maps._ringdraw import _cut_rings, _draw_rings, _ring_labels
from weaponsref.maps._rings import _Band, _bands, _groups, _km, _Ring, _within_a_band
from weaponsref.maps._size import _Page
from weaponsref.maps._style import BORDER, INK, LAND, OUTSIDE, OUTSIDE_TEXT, SEA


def _draw(
    rings: Sequence[_Ring],
    origins: _Origins,
    named: Sequence[_Named],
    *,
    page: _Page,
    png: bool,
    title: str,
    subtitle: str,
    places: bool,
    made: datetime.date,
) -> Figure:
    """The map's figure, every stage drawn in order; for a PNG, exactly ``page.pixels``
    wide at ``page.dpi``."""
    transformer = _transformer(origins.lat, origins.lon)
    cap = 0.985 * _EARTH_HALF_CIRCUMFERENCE_M
    marks = _marks(named, origins, transformer)
    largest = max((r.metres for r in rings), default=0.0)
    half = _view_half(origins, transformer, marks, largest, cap)
    capitals = _capitals(origins, transformer, half) if places else ()
    credits = _credits(origins, made)
    layout = _layout(rings, page, title, subtitle, _key(rings, capitals), credits)
    scene = _scene(layout, page, png, origins, transformer, half)
    layout = scene.layout
    basemap = _draw_land(scene, min(half * math.sqrt(2) + 250_000.0, cap))
    area_shape, area_shapes = _draw_area(scene)
    groups = _groups(rings)
    shapes, edges = _draw_rings(scene, rings, groups, area_shape, cap)
    outlines = None
    if not origins.single and shapes:
        outlines = _shapely().union_all([shape.boundary for shape in shapes.values()])
    placer = _Placer(scene.figure, scene.ax, [g.metres for g in groups], scene.px_per_m, outlines)
    # Dots first, so that no label covers one: the launch points, the marks, then places.
    bands = _bands(rings)
    starts = _draw_dots(scene, placer, marks, bands)
    # The scale bar, bottom left, its box kept clear.
    _scale_bar(scene, placer)
    _origin_labels(scene, placer, starts)
    _mark_labels(scene, placer, marks, bands)
    cuts = _ring_labels(scene, placer, rings, groups, shapes)
    _cut_rings(scene, groups, edges, shapes, cuts)
    if places:
        _reference_places(scene, placer, marks, bands, capitals)
    _area_labels(scene, placer, area_shapes)
    if places:
        # An area is named already: no country name beside its own.
        areas = {area.label.lower() for area in origins.areas}
        countries = {k: v for k, v in basemap.countries.items() if k.lower() not in areas}
        _country_labels(scene.ax, placer, countries, half, layout)
    _titles(scene.figure, layout)
    _credits_text(scene.figure, layout, _legend(scene.figure, rings, layout))
    return scene.figure


def _marks(named: Sequence[_Named], origins: _Origins, transformer: Any) -> list[_Mark]:
    """The marks in the map's projection, each with its distance from the origins."""
    marks: list[_Mark] = []
    for place in named:
        x, y = transformer.transform(place.lon, place.lat)
        metres, measured_from = _distance_from(origins, place.lat, place.lon)
        marks.append(_Mark(place.label, float(x), float(y), float(metres), measured_from))
    return marks


def _view_half(
    origins: _Origins, transformer: Any, marks: Sequence[_Mark], largest: float, cap: float
) -> float:
    """Half the side, in metres, of the view: a square holding the largest ring, every mark
    and room for the labels. A small ring gets at least 50 km of country around it, so that
    the towns just beyond it show (Melitopol, 110 km from Zaporizhzhia, beyond HIMARS's
    80 km)."""
    extent = _extent(origins, transformer, largest, cap)
    reach = max(extent * 1.08, extent + 50_000.0)
    for mark in marks:
        reach = max(reach, abs(mark.x) * 1.2, abs(mark.y) * 1.15)
    return min(max(reach, 10_000.0), _EARTH_HALF_CIRCUMFERENCE_M * 1.02)


def _capitals(origins: _Origins, transformer: Any, half: float) -> tuple[Any, ...]:
    """The national capitals in view, drawn first and with their own symbol, which the key
    names."""
    from weaponsref.gazetteer import places_in_box

    box = _view_box(origins.lat, origins.lon, half)
    return tuple(
        p
        for p in places_in_box(*box, limit=60, capitals=True)
        if all(abs(v) < half * 0.97 for v in transformer.transform(p.lon, p.lat))
    )


def _key(rings: Sequence[_Ring], capitals: Sequence[Any]) -> str:
    """The key under the legend: what the dots, the squares, a fading edge and grey dashes
    mean."""
    minimum = any(ring.inner for ring in rings)
    key = "● within a ring · ○ beyond every ring"
    if minimum:
        key += " or nearer than its minimum range"
    if capitals:
        key += " · ■ □ national capital"
    if any(ring.lower for ring in rings):
        key += " · an edge fading outward: a lower bound (\u201cmore than\u201d), the reach may be farther"
    if minimum:
        key += (
            " · a dotted inner circle: a published minimum range; nearer a launch point, the"
            " system does not reach"
        )
    if any(not ring.published for ring in rings):
        key += " · grey dashes: a distance typed by hand, not a published claim"
    return key


def _scene(
    layout: _Layout, page: _Page, png: bool, origins: _Origins, transformer: Any, half: float
) -> _Scene:
    """The figure and its square map axes, with the sea drawn: the globe's disc is the sea,
    and beyond the antipode's distance there is nothing.

    The figure is built at the reference dpi and saved at the page's: its size is the
    page's in inches, nudged for a PNG so that it comes out exactly ``page.pixels`` wide."""
    width_in, height_in = layout.width / REFERENCE_DPI, layout.height / REFERENCE_DPI
    if png and page.pixels is not None:
        width_in = _figure_inches(page.pixels, page.dpi)
        height_in = _figure_inches(max(1, round(height_in * page.dpi)), page.dpi)
    layout = replace(layout, width=width_in * REFERENCE_DPI, height=height_in * REFERENCE_DPI)
    figure = Figure(figsize=(width_in, height_in), dpi=REFERENCE_DPI, facecolor="white")
    # The canvas savefig draws on; it swaps in the SVG one for SVG. No pyplot, no window.
    FigureCanvasAgg(figure)
    ax: Axes = figure.add_axes(
        (
            layout.fx(layout.map_x),
            layout.fy(layout.map_top + layout.map_size),
            layout.fx(layout.map_size),
            layout.map_size / layout.height,
        )
    )
    ax.set_xlim(-half, half)
    ax.set_ylim(-half, half)
    ax.set_aspect("equal", adjustable="box")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_facecolor("white")
    for spine in ax.spines.values():
        spine.set_edgecolor("#b5b5b5")
        spine.set_linewidth(0.8 * layout.scale)
    sea = Circle((0, 0), _EARTH_HALF_CIRCUMFERENCE_M, facecolor=SEA, edgecolor="none", zorder=0)
    sea.set_gid("sea")
    ax.add_patch(sea)
    # The land and borders are clipped to the disc and the frame both, as one path: an artist
    # has one clip path, and a clip path alone (without the frame) lets land spill out of the
    # frame in an SVG.
    disc = Path(_circle(_EARTH_HALF_CIRCUMFERENCE_M, 0.0, 2 * np.pi), closed=True)
    view = Bbox.from_extents(-half, -half, half, half)
    clip = disc.clip_to_bbox(view, inside=True)
    if not len(np.asarray(clip.vertices)):
        clip = Path.unit_rectangle().transformed(Affine2D().scale(2 * half).translate(-half, -half))
    clip_patch = PathPatch(clip, transform=ax.transData)
    px_per_m = layout.map_size / (2 * half)
    return _Scene(figure, ax, layout, origins, transformer, half, px_per_m, clip_patch)


def _draw_land(scene: _Scene, cap: float) -> _Projected:
    """The countries' land and borders, projected within ``cap`` metres of the centre."""
    basemap = _project_basemap(scene.transformer, scene.origins.lat, scene.origins.lon, cap)
    land = PathPatch(basemap.land, facecolor=LAND, edgecolor="none", zorder=1)
    land.set_gid("land")
    # add_artist, not add_patch: the limits are set by hand, and add_patch would walk every
    # vertex of the coastlines to update them (a third of the drawing time).
    scene.ax.add_artist(land)
    land.set_clip_path(scene.clip)
    borders = PathPatch(
        basemap.borders, facecolor="none", edgecolor=BORDER, linewidth=0.6 * scene.layout.scale,
        zorder=2, capstyle="round", joinstyle="round",
    )  # fmt: skip
    borders.set_gid("borders")
    scene.ax.add_artist(borders)
    borders.set_clip_path(scene.clip)
    return basemap


def _draw_area(scene: _Scene) -> tuple[Any, list[Any]]:
    """The areas, hatched, their edges a thin dark line: what the rings are measured from;
    return all of them as one shape in the map's metres (None without an area), and each.

    The hatching is drawn as lines clipped to the areas, not as a hatch pattern, whose tiles a
    browser lays out otherwise than matplotlib does.
    """
    if not scene.origins.areas:
        return None, []
    s, ax, px_per_m = scene.layout.scale, scene.ax, scene.px_per_m
    shapes = _area_shapes(scene.origins, scene.transformer, max(0.25 / px_per_m, 100.0))
    area_shape = shapes[0] if len(shapes) == 1 else _shapely().union_all(shapes)
    area_path = _shape_path(area_shape)
    edge_patch = PathPatch(
        area_path, facecolor="none", edgecolor=INK, linewidth=1.1 * s, zorder=2.7
    )
    edge_patch.set_gid("origin-area")
    ax.add_artist(edge_patch)
    edge_patch.set_clip_path(scene.clip)
    hatch = PathPatch(
        _hatch_lines(area_shape.bounds, 7.0 * max(s, 0.75) / px_per_m), facecolor="none",
        edgecolor=INK, linewidth=0.7 * max(s, 0.75), alpha=0.5, zorder=2.6,
    )  # fmt: skip
    hatch.set_gid("origin-area-hatch")
    ax.add_artist(hatch)
    hatch.set_clip_path(PathPatch(area_path, transform=ax.transData))
    return area_shape, shapes


def _origin_dot_px(layout: _Layout) -> float:
    return max(8.5 * layout.scale, 6.0)


def _mark_dot_px(layout: _Layout) -> float:
    return max(7.0 * layout.scale, 6.0)


def _draw_dots(
    scene: _Scene, placer: _Placer, marks: Sequence[_Mark], bands: Sequence[_Band]
) -> list[tuple[float, float]]:
    """The launch points' dots and the marks' (filled within a ring and not nearer than its
    minimum range, hollow otherwise), each kept clear of labels; return the launch points in
    the map's metres."""
    s, dpi, ax = scene.layout.scale, scene.layout.dpi, scene.ax
    dot_px = _origin_dot_px(scene.layout)
    starts = [scene.transformer.transform(p.lon, p.lat) for p in scene.origins.points]
    if starts:
        point = Line2D(
            [float(x) for x, _ in starts], [float(y) for _, y in starts], marker="o",
            markersize=dot_px * 72 / dpi, markerfacecolor=INK, markeredgecolor="white",
            markeredgewidth=1.8 * s * 72 / dpi, linestyle="none", zorder=50,
        )  # fmt: skip
        point.set_gid("origin")
        ax.add_line(point)
        for x, y in starts:
            placer.block(float(x), float(y), dot_px / 2 + 1.0)
    mark_px = _mark_dot_px(scene.layout)
    for index, mark in enumerate(marks):
        inside = _within_a_band(mark.metres, bands, bool(scene.origins.areas))
        dot = Line2D(
            [mark.x], [mark.y], marker="o", markersize=mark_px * 72 / dpi,
            markerfacecolor=INK if inside else "white",
            markeredgecolor=INK if inside else OUTSIDE, markeredgewidth=1.6 * s * 72 / dpi,
            linestyle="none", zorder=45,
        )  # fmt: skip
        dot.set_gid(f"mark-{index}")
        ax.add_line(dot)
        placer.block(mark.x, mark.y, mark_px / 2 + 1.0)
    return starts


def _origin_labels(scene: _Scene, placer: _Placer, starts: Sequence[tuple[float, float]]) -> None:
    """Each launch point's name beside its dot, bold."""
    s = scene.layout.scale
    spots = _around([_origin_dot_px(scene.layout) * 0.7 + 3, 14, 24, 40, 60, 85, 115])
    for number, (start, where) in enumerate(zip(scene.origins.points, starts, strict=True)):
        xy = (float(where[0]), float(where[1]))
        placer.place(
            start.label, xy, spots, leader=16.0,
            gid="origin-label" if scene.origins.single else f"origin-label-{number}",
            halo=3.4 * s + 1, zorder=51, fontsize=scene.layout.pt(14), fontweight="bold",
        )  # fmt: skip


def _mark_labels(
    scene: _Scene, placer: _Placer, marks: Sequence[_Mark], bands: Sequence[_Band]
) -> None:
    """Each mark's name and its geodesic distance from the origin (from the nearest launch
    point, or the area, when there is more than one point)."""
    layout = scene.layout
    spots = _around(
        [_mark_dot_px(layout) * 0.6 + 3, 12, 20, 30, 44, 60, 80, 105, 135], [170, 210, 250]
    )
    for index, mark in enumerate(marks):
        inside = _within_a_band(mark.metres, bands, bool(scene.origins.areas))
        style: dict[str, Any] = {
            "gid": f"mark-label-{index}", "halo": 3.0 * layout.scale + 1, "zorder": 46,
            "fontsize": layout.pt(12.5), "linespacing": 1.1,
            "color": INK if inside else OUTSIDE_TEXT,
        }  # fmt: skip
        if mark.measured_from is None:
            text = f"{mark.label}\n{_km(mark.metres)}"
        elif mark.metres == 0.0:
            text = f"{mark.label}\ninside {mark.measured_from}"
        else:
            text = f"{mark.label}\n{_km(mark.metres)} from {mark.measured_from}"
        # A mark must be named: if every spot crosses a ring, cross one rather than go nameless.
        # A leader that crosses another label is better than a name that crosses a ring.
        xy = (mark.x, mark.y)
        for rings, lead_clear in ((True, True), (True, False), (False, True)):
            if placer.place(
                text, xy, spots, rings=rings, lead_clear=lead_clear, leader=14.0, **style
            ):
                break


def _area_labels(scene: _Scene, placer: _Placer, shapes: Sequence[Any]) -> None:
    """Each area's name, after the capitals and cities (Minsk lies inside Belarus), at the
    first free spot from the middle of the area outwards: its short name ("Crimea",
    "Donbas"), since the title and the credit line give its whole label (who administers and
    who claims it, what it is)."""
    origins = scene.origins
    for number, (area, shape) in enumerate(zip(origins.areas, shapes, strict=True)):
        if shape.is_empty:
            continue
        inner = shape.point_on_surface()
        gid = (
            "origin-label"
            if len(origins.names) == 1
            else f"origin-label-{len(origins.points) + number}"
        )
        placer.place(
            area.name, (float(inner.x), float(inner.y)),
            [(0.0, 0.0, "center", "center"), *_around([14, 28, 46, 70, 95, 120])],
            gid=gid, halo=3.4 * scene.layout.scale + 1, zorder=51,
            fontsize=scene.layout.pt(14), fontweight="bold",
        )  # fmt: skip
