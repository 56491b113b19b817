"""Drawing a map, stage by stage: the view, the land, the area, the rings, the dots and their
labels; then the reference places, the country names, the title, the legend and the credits.

The stages run in a fixed order, which is also the order of the SVG's elements and of the
labels' claims on the free space: the maps are byte-for-byte the same on every run.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Sequence
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
from weaponsref.maps._labels import _around, _edge_spots, _Placer, _shape_spots, _tag_azimuths
from weaponsref.maps._layout import (
    BORDER,
    INK,
    LAND,
    OUTSIDE,
    OUTSIDE_TEXT,
    SEA,
    _figure_inches,
    _Layout,
    _layout,
    _Scene,
)
from weaponsref.maps._legend import _credits, _credits_text, _legend, _scale_bar, _titles
from weaponsref.maps._origins import (
    _area_shapes,
    _distance_from,
    _extent,
    _Named,
    _Origins,
    _region,
)
from weaponsref.maps._places import _country_labels, _Mark, _reference_places
from weaponsref.maps._rings import _km, _Ring


def _draw(
    rings: Sequence[_Ring],
    origins: _Origins,
    named: Sequence[_Named],
    *,
    width: int,
    dpi: float,
    title: str,
    subtitle: str,
    places: bool,
    made: datetime.date,
) -> Figure:
    """The map's figure, every stage drawn in order."""
    transformer = _transformer(origins.lat, origins.lon)
    cap = 0.985 * _EARTH_HALF_CIRCUMFERENCE_M
    marks = _marks(named, origins, transformer)
    largest = max((r.metres for r in rings), default=0.0)
    half = _view_half(origins, transformer, marks, largest, cap)
    capitals = _capitals(origins, transformer, half) if places else ()
    credits = _credits(origins, made)
    layout = _layout(rings, width, dpi, title, subtitle, _key(rings, capitals), credits)
    scene = _scene(layout, origins, transformer, half)
    basemap = _draw_land(scene, min(half * math.sqrt(2) + 250_000.0, cap))
    area_shape, area_shapes = _draw_area(scene)
    # Rings: largest first, so the smaller fills sit on top.
    order = sorted(range(len(rings)), key=lambda i: -rings[i].metres)
    shapes = _draw_rings(scene, rings, order, area_shape, cap)
    outlines = None
    if not origins.single and shapes:
        outlines = _shapely().union_all([shape.boundary for shape in shapes.values()])
    placer = _Placer(scene.figure, scene.ax, [r.metres for r in rings], scene.px_per_m, outlines)
    # Dots first, so that no label covers one: the launch points, the marks, then places.
    starts = _draw_dots(scene, placer, marks, largest)
    # The scale bar, bottom left, its box kept clear.
    _scale_bar(scene.ax, half, layout, placer)
    _origin_labels(scene, placer, starts)
    _ring_labels(scene, placer, rings, order, shapes)
    _mark_labels(scene, placer, marks, largest)
    if places:
        _reference_places(scene, placer, marks, largest, capitals)
    _area_labels(scene, placer, area_shapes)
    if places:
        # An area is named already: no country name beside its own.
        areas = {area.label.lower() for area in origins.areas}
        countries = {k: v for k, v in basemap.countries.items() if k.lower() not in areas}
        _country_labels(scene.ax, placer, countries, half, layout)
    _titles(scene.figure, layout)
    top = layout.pad + layout.title_h + layout.map_size + 12.0 * layout.scale + 4.0
    _credits_text(scene.figure, layout, _legend(scene.figure, rings, layout, top))
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
    """The key under the legend: what the dots, the squares and grey dashes mean."""
    key = "● within a ring · ○ beyond every ring"
    if capitals:
        key += " · ■ □ national capital"
    if any(not ring.published for ring in rings):
        key += " · grey dashes: a distance typed by hand, not a published claim"
    return key


def _scene(layout: _Layout, origins: _Origins, transformer: Any, half: float) -> _Scene:
    """The figure and its square map axes, with the sea drawn: the globe's disc is the sea,
    and beyond the antipode's distance there is nothing."""
    dpi = layout.dpi
    figure = Figure(
        figsize=(_figure_inches(layout.width, dpi), _figure_inches(layout.height, dpi)),
        dpi=dpi,
        facecolor="white",
    )
    # The canvas savefig draws on; it swaps in the SVG one for SVG. No pyplot, no window.
    FigureCanvasAgg(figure)
    top = layout.pad + layout.title_h
    ax: Axes = figure.add_axes(
        (
            layout.fx(layout.pad),
            layout.fy(top + layout.map_size),
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


def _draw_rings(
    scene: _Scene, rings: Sequence[_Ring], order: Sequence[int], area_shape: Any, cap: float
) -> dict[int, Any]:
    """Each ring's fill and edge, in ``order``. Round one launch point they are exact circles;
    round several, or an area, outlines fine to a quarter pixel, whose shapes (in the map's
    metres, by the ring's index) are returned."""
    s = scene.layout.scale
    shapes: dict[int, Any] = {}
    for rank, index in enumerate(order):
        ring = rings[index]
        fill_style: dict[str, Any] = {
            "facecolor": ring.colour, "edgecolor": "none",
            "alpha": 0.05 if ring.published else 0.0, "zorder": 3 + rank,
        }  # fmt: skip
        edge_style: dict[str, Any] = {
            "facecolor": "none", "edgecolor": ring.colour,
            "linewidth": (2.4 if ring.published else 1.8) * max(s, 0.6),
            "linestyle": ring.style, "zorder": 20 + rank,
        }  # fmt: skip
        if scene.origins.single:
            fill: Any = Circle((0, 0), ring.metres, **fill_style)
            edge: Any = Circle((0, 0), ring.metres, **edge_style)
        else:
            shapes[index] = _region(
                scene.origins, scene.transformer, ring.metres, 0.25 / scene.px_per_m, cap,
                area_shape,
            )  # fmt: skip
            outline = _shape_path(shapes[index])
            fill, edge = PathPatch(outline, **fill_style), PathPatch(outline, **edge_style)
        fill.set_gid(f"ring-fill-{index}")
        scene.ax.add_patch(fill)
        edge.set_gid(f"ring-{index}")
        scene.ax.add_patch(edge)
        if not scene.origins.single:
            fill.set_clip_path(scene.clip)
            edge.set_clip_path(scene.clip)
    return shapes


def _origin_dot_px(layout: _Layout) -> float:
    return max(8.5 * layout.scale, 6.0)


def _mark_dot_px(layout: _Layout) -> float:
    return max(7.0 * layout.scale, 6.0)


def _draw_dots(
    scene: _Scene, placer: _Placer, marks: Sequence[_Mark], largest: float
) -> list[tuple[float, float]]:
    """The launch points' dots and the marks' (filled within a ring, hollow beyond every
    ring), each kept clear of labels; return the launch points in the map's metres."""
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
        inside = mark.metres <= largest
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


def _ring_labels(
    scene: _Scene,
    placer: _Placer,
    rings: Sequence[_Ring],
    order: Sequence[int],
    shapes: dict[int, Any],
) -> None:
    """Each ring's name on the ring, just inside it or else just outside, at the first of a
    fan of places where the name crosses no ring and no other label."""
    layout = scene.layout
    for rank, index in enumerate(order):
        ring = rings[index]
        distance = _km(ring.metres)
        text = ring.name if ring.name == distance else f"{ring.name} · {distance}"
        radius_px = ring.metres * scene.px_per_m
        probe = scene.ax.annotate(
            text, (0, 0), fontsize=layout.pt(12.5), fontweight="bold", parse_math=False
        )
        extent = probe.get_window_extent(placer.renderer)
        probe.remove()
        w, h = extent.width / 2, extent.height / 2
        if index in shapes:
            spots = _shape_spots(shapes[index], w, h, scene.px_per_m, rank)
        else:
            normals = [(math.sin(a), math.cos(a)) for a in map(math.radians, _tag_azimuths(rank))]
            edges = [(radius_px * nx, radius_px * ny, nx, ny) for nx, ny in normals]
            spots = _edge_spots(edges, w, h, depth=radius_px)
        placer.place(
            text, (0.0, 0.0), spots, gid=f"ring-label-{index}", halo=3.2 * layout.scale + 1,
            zorder=40, color=ring.colour, fontsize=layout.pt(12.5), fontweight="bold",
        )  # fmt: skip


def _mark_labels(scene: _Scene, placer: _Placer, marks: Sequence[_Mark], largest: float) -> None:
    """Each mark's name and its geodesic distance from the origin (from the nearest launch
    point, or the area, when there is more than one point)."""
    layout = scene.layout
    spots = _around([_mark_dot_px(layout) * 0.6 + 3, 12, 20, 30, 44, 60, 80, 105, 135])
    for index, mark in enumerate(marks):
        inside = mark.metres <= largest
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
        if not placer.place(text, (mark.x, mark.y), spots, leader=14.0, **style):
            placer.place(text, (mark.x, mark.y), spots, rings=False, leader=14.0, **style)


def _area_labels(scene: _Scene, placer: _Placer, shapes: Sequence[Any]) -> None:
    """Each area's name, after the capitals and cities (Minsk lies inside Belarus), at the
    first free spot from the middle of the area outwards."""
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
            area.label, (float(inner.x), float(inner.y)),
            [(0.0, 0.0, "center", "center"), *_around([14, 28, 46, 70, 95, 120])],
            gid=gid, halo=3.4 * scene.layout.scale + 1, zorder=51,
            fontsize=scene.layout.pt(14), fontweight="bold",
        )  # fmt: skip
