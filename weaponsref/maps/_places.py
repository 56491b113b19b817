"""The places on a map besides its origin: the marks a user asks for, and the reference
places drawn for orientation (national capitals, the largest cities, the countries' names)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.path import Path

from weaponsref.maps._basemap import _view_box
from weaponsref.maps._labels import _around, _Placer
from weaponsref.maps._layout import _Layout, _Scene
from weaponsref.maps._origins import _Origins, _spelling, _within_any
from weaponsref.maps._rings import _Band
from weaponsref.maps._style import COUNTRY_TEXT, INK, OUTSIDE, OUTSIDE_TEXT


@dataclass(frozen=True)
class _Mark:
    label: str
    x: float
    y: float
    metres: float
    measured_from: str | None  # the nearest launch point or the area, when not the only point


def _candidates(origins: _Origins, half: float, capitals: Sequence[Any]) -> list[Any]:
    """The capitals, then the largest places (GeoNames) in the view's box, each once."""
    from weaponsref.gazetteer import places_in_box

    found = list(capitals)
    chosen = set(map(id, found))
    found += [
        p
        for p in places_in_box(*_view_box(origins.lat, origins.lon, half), limit=400)
        if id(p) not in chosen
    ]
    return found


def _reference_places(
    scene: _Scene,
    placer: _Placer,
    marks: Sequence[_Mark],
    bands: Sequence[_Band],
    capitals: Sequence[Any],
) -> None:
    """Label the national capitals in view, then the largest cities (GeoNames), as many as
    fit without crowding. A capital is a square, a city a dot; filled within a ring (and not
    nearer than its minimum range), hollow otherwise."""
    layout, transformer, origins, half = scene.layout, scene.transformer, scene.origins, scene.half
    # About 12 cities on an 800 px map, and as many capitals at most besides.
    cities = max(4, round(layout.map_size / 60.0))
    capitals = capitals[:cities]
    found = _candidates(origins, half, capitals)
    if not found:
        return
    lats = np.array([p.lat for p in found], dtype=np.float64)
    lons = np.array([p.lon for p in found], dtype=np.float64)
    inside_all = np.zeros(lats.size, bool)
    for outer, inner in bands:
        if outer > 0:
            inside_all |= _within_any(origins, lats, lons, outer, inner)
    px_per_m = layout.map_size / (2 * half)
    wanted = cities + len(capitals)
    taken: list[tuple[float, float]] = [
        (float(x), float(y))
        for x, y in (transformer.transform(p.lon, p.lat) for p in origins.points)
    ] + [(m.x, m.y) for m in marks]
    count = 0
    for number, place in enumerate(found):
        if count >= wanted:
            break
        capital = number < len(capitals)
        x, y = transformer.transform(place.lon, place.lat)
        if not (abs(x) < half * 0.97 and abs(y) < half * 0.97):
            continue
        # A place on top of a launch point or a mark is that point: it is labelled already.
        if any(math.hypot(x - tx, y - ty) * px_per_m < 14.0 for tx, ty in taken):
            continue
        inside = bool(inside_all[number])
        if _reference_place(scene.ax, placer, layout, place, (x, y), capital, inside, count):
            taken.append((x, y))
            count += 1


def _reference_place(
    ax: Axes,
    placer: _Placer,
    layout: _Layout,
    place: Any,
    xy: tuple[float, float],
    capital: bool,
    inside: bool,
    count: int,
) -> bool:
    """Draw one reference place at ``xy`` (metres) if its dot is clear and its name fits
    beside it; say whether it was drawn."""
    s = layout.scale
    x, y = xy
    label = _spelling(place, None)
    size = max(5.0 * s, 4.5) * (1.25 if capital else 1.0)
    dot_box = ax.transData.transform((x, y))
    box = (
        dot_box[0] - size / 2, dot_box[1] - size / 2,
        dot_box[0] + size / 2, dot_box[1] + size / 2,
    )  # fmt: skip
    if not placer.free(box, rings=False):
        return False
    placer.take(box)
    placed = placer.place(
        label, (x, y), _around([size * 0.6 + 2.5, 9.0]), gid=f"place-label-{count}",
        halo=2.6 * s + 1, zorder=35, fontsize=layout.pt(11.5 if capital else 11),
        fontweight="bold" if capital else "normal",
        color=INK if inside else OUTSIDE_TEXT,
    )  # fmt: skip
    if not placed:
        placer.boxes.remove(box)
        return False
    dot = Line2D(
        [x], [y], marker="s" if capital else "o", markersize=size * 72 / layout.dpi,
        markerfacecolor="#3a3a3a" if inside else "white",
        markeredgecolor="#3a3a3a" if inside else OUTSIDE,
        markeredgewidth=1.1 * s * 72 / layout.dpi, linestyle="none", zorder=34,
    )  # fmt: skip
    dot.set_gid(f"capital-{count}" if capital else f"place-{count}")
    ax.add_line(dot)
    return True


def _erode(mask: npt.NDArray[np.bool_]) -> npt.NDArray[np.bool_]:
    out = mask.copy()
    out[1:, :] &= mask[:-1, :]
    out[:-1, :] &= mask[1:, :]
    out[:, 1:] &= mask[:, :-1]
    out[:, :-1] &= mask[:, 1:]
    out[0, :] = out[-1, :] = False
    out[:, 0] = out[:, -1] = False
    return out


def _country_labels(
    ax: Axes, placer: _Placer, countries: dict[str, Path], half: float, layout: _Layout
) -> None:
    """Name each country in view where its name fits inside its land, as deep inside as can
    be, clear of every other label and ring.

    The view is sampled on a grid; each country's cells are ranked by their depth inside its
    land in view (in whole cells), and its name goes at the deepest cell where the label is
    free. A country with no such cell gets no name.
    """
    count = 64
    cell = 2 * half / count
    centres = -half + (np.arange(count) + 0.5) * cell
    gx, gy = np.meshgrid(centres, centres)
    points = np.column_stack([gx.ravel(), gy.ravel()])
    number = 0
    for name in sorted(countries):
        path = countries[name]
        vertices = np.asarray(path.vertices, dtype=np.float64)
        if not len(vertices):
            continue
        low, high = vertices.min(axis=0), vertices.max(axis=0)
        if (high < -half).any() or (low > half).any():
            continue
        # A point beyond the box of the country's vertices is outside it: test only the rest.
        near = np.flatnonzero(((points >= low) & (points <= high)).all(axis=1))
        inside = np.zeros(count * count, dtype=np.bool_)
        inside[near] = path.contains_points(points[near])
        mask = inside.reshape(count, count)
        if mask.sum() < 2:
            continue
        depth = np.zeros((count, count), dtype=np.int32)
        layer = mask
        level = 1
        while layer.any():
            depth[layer] = level
            level += 1
            layer = _erode(layer)
        cy, cx = np.argwhere(mask).mean(axis=0)
        cells = [divmod(int(i), count) for i in np.flatnonzero(mask)]
        cells.sort(key=lambda rc: (-depth[rc], (rc[0] - cy) ** 2 + (rc[1] - cx) ** 2))
        spots = [(float(centres[c]), float(centres[r])) for r, c in cells[:240]]
        text = name.upper()
        # The name's box measured once; moved to each spot, it rules out without measuring
        # the spots where the name surely is not free (see _Placer.may_fit).
        measured, anchor = _measure(ax, placer, text, spots[0], layout.pt(10.5))
        pixels = ax.transData.transform(spots)

        def on_land(box: tuple[float, float, float, float], path: Path = path) -> bool:
            """Whether the label's box lies on the country's own land, not on the sea."""
            corners = ax.transData.inverted().transform(
                [(box[0], box[1]), (box[2], box[1]), (box[0], box[3]), (box[2], box[3])]
            )
            return bool(path.contains_points(corners).sum() >= 3)

        for (x, y), (px, py) in zip(spots, pixels, strict=True):
            if not placer.may_fit(measured, px - anchor[0], py - anchor[1]):
                continue
            if placer.place(
                text, (x, y), [(0.0, 0.0, "center", "center")], gid=f"country-{number}",
                halo=0.0, zorder=2.5, fontsize=layout.pt(10.5), color=COUNTRY_TEXT,
                accept=on_land,
            ):  # fmt: skip
                number += 1
                break


def _measure(
    ax: Axes, placer: _Placer, text: str, xy: tuple[float, float], fontsize: float
) -> tuple[tuple[float, float, float, float], tuple[float, float]]:
    """The box, in pixels, of a country's name centred on ``xy`` (metres), as
    :meth:`_Placer.place` would draw it there, and ``xy`` in pixels; nothing is drawn."""
    probe = ax.annotate(
        text, xy, xytext=(0.0, 0.0), textcoords="offset points", annotation_clip=False,
        parse_math=False, ha="center", va="center", fontsize=fontsize,
    )  # fmt: skip
    box = placer.box_of(probe)
    probe.remove()
    x, y = ax.transData.transform(xy)
    return box, (float(x), float(y))
