"""The rings on a map: their fills, their edges and their names.

Rings of one length are drawn once (see :func:`weaponsref.maps._rings._groups`): their edge
is striped in their systems' colours, and their name lists them all. A lower bound ("more
than 250 km") fades outward from its edge, for "at least this far". Each ring's name runs
along its own ring, which is cut under it, at the first place where it is clear of every
other ring and label; where the ring is too small or too crowded for that, the name goes
upright just outside it, with a thin leader when it stands off.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib.patches import Circle, PathPatch
from matplotlib.path import Path
from matplotlib.transforms import Affine2D

from weaponsref.maps._basemap import _shape_path, _shapely
from weaponsref.maps._labels import _TAG_AZIMUTHS, Quad, _outline_edges, _Placer
from weaponsref.maps._layout import _Scene
from weaponsref.maps._origins import _region
from weaponsref.maps._rings import _Group, _Ring
from weaponsref.maps._style import INK, MUTED

# A ring's name is this size, bold, in reference pixels on the 800-pixel map.
_RING_NAME_PX = 12.5
# Round a lower bound, the fade outward: this wide (reference pixels), in this many steps.
_FADE_PX, _FADE_STEPS, _FADE_ALPHA = 11.0, 6, 0.34
# The directions (azimuths) in which a name goes out from a ring too small or crowded for
# it, each name put so starting one further round.
_FAN: tuple[float, ...] = (
    0.0, 180.0, -90.0, 90.0, -45.0, 45.0, -135.0, 135.0, -20.0, 20.0, -160.0, 160.0, -70.0,
    70.0, -110.0, 110.0, -10.0, 10.0, -170.0, 170.0, -80.0, 80.0, -100.0, 100.0, -33.0, 33.0,
    -147.0, 147.0, -57.0, 57.0, -123.0, 123.0,
)  # fmt: skip
# How far, in degrees, the leader of a name put out from its ring may lean off the ring's
# normal: straight out first, round the whole ring, and only then leaning either way.
_LEANS = (0.0, 30.0, -30.0, 55.0, -55.0)
# How far out from its ring a name put beside it may stand, in pixels.
_STEPS = (5.0, 14.0, *(float(step) for step in range(24, 200, 10)))
# The steepest a ring's name is turned, on its ring and beside it, in degrees.
_STEEPEST, _STEEPEST_BESIDE = 62.0, 45.0
# Other rings keep this far (pixels) from a ring's name; the cut under a name is this much
# longer than it at each end.
_MARGIN_PX, _CUT_PX = 2.5, 3.0


@dataclass(frozen=True)
class _Cut:
    """Where a ring's name lies along it: its centre and turn (pixels, degrees) and size."""

    x: float
    y: float
    angle: float
    w: float
    h: float
    on: bool  # on the ring, which is cut under it; else beside it


def _edge_width(scene: _Scene, ring: _Ring) -> float:
    return (2.4 if ring.published else 1.8) * max(scene.layout.scale, 0.6)


def _stripe(scene: _Scene, width: float, k: int, n: int) -> Any:
    """The dash pattern of the ``k``-th of ``n`` colours striping one ring: each colour in
    turn along the ring (matplotlib scales a pattern by the line's width)."""
    if n == 1:
        return "solid"
    length = 7.0 * max(scene.layout.scale, 0.6) / width
    return (((n - k) % n) * length, (length, (n - 1) * length))


def _draw_rings(
    scene: _Scene, rings: Sequence[_Ring], groups: Sequence[_Group], area_shape: Any, cap: float
) -> tuple[dict[int, Any], dict[int, list[PathPatch]]]:
    """Each group's fill, fade and edges, largest first so that smaller fills sit on top.
    Round one launch point they are exact circles; round several, or an area, outlines fine
    to a quarter pixel. Return the outlines (in the map's metres) and the edges, by group."""
    shapes: dict[int, Any] = {}
    edges: dict[int, list[PathPatch]] = {}
    alpha = 0.05 if len(groups) <= 3 else max(0.02, 0.15 / len(groups))
    for number, group in enumerate(groups):
        first = rings[group.members[0]]
        if scene.origins.single:
            fill: Any = Circle((0, 0), group.metres)
            outline = Path.arc(0.0, 360.0).transformed(Affine2D().scale(group.metres))
        else:
            shapes[number] = _region(
                scene.origins, scene.transformer, group.metres, 0.25 / scene.px_per_m, cap,
                area_shape,
            )  # fmt: skip
            fill = PathPatch(_shape_path(shapes[number]))
            outline = _shape_path(shapes[number])
        hole = _inner_outline(scene, group, cap)
        if hole is not None:
            # Nearer than the published minimum range it does not reach: no fill there.
            if scene.origins.single:
                fill = PathPatch(Path.make_compound_path(outline, hole[0]))
            else:
                fill = PathPatch(_shape_path(shapes[number].difference(hole[1])))
        fill.set(facecolor=first.colour, edgecolor="none", zorder=3 + number)
        fill.set_alpha(alpha if first.published else 0.0)
        fill.set_gid(f"ring-fill-{group.members[0]}")
        scene.ax.add_patch(fill)
        if hole is not None:
            inner = PathPatch(
                hole[0], facecolor="none", edgecolor=first.colour,
                linewidth=0.6 * _edge_width(scene, first), linestyle=(0, (1.0, 1.6)),
                zorder=20.4 + number, capstyle="round",
            )  # fmt: skip
            inner.set_gid(f"ring-inner-{group.members[0]}")
            scene.ax.add_patch(inner)
            if not scene.origins.single:
                inner.set_clip_path(scene.clip)
        if group.lower:
            _fade(scene, group, first.colour, shapes.get(number), 20 + number)
        edges[number] = []
        for k, index in enumerate(group.members):
            ring = rings[index]
            width = _edge_width(scene, ring)
            style = (
                ring.style
                if len(group.members) == 1
                else _stripe(scene, width, k, len(group.members))
            )
            edge = PathPatch(
                outline, facecolor="none", edgecolor=ring.colour, linewidth=width,
                linestyle=style, zorder=20.5 + number, capstyle="butt",
            )  # fmt: skip
            edge.set_gid(f"ring-{index}")
            scene.ax.add_patch(edge)
            edges[number].append(edge)
        if not scene.origins.single:
            for artist in (fill, *edges[number]):
                artist.set_clip_path(scene.clip)
    return shapes, edges


def _inner_outline(scene: _Scene, group: _Group, cap: float) -> tuple[Path, Any] | None:
    """The edge of a group's published minimum range, as a path (round one launch point, a
    circle drawn clockwise, so that it cuts a hole in the ring's fill) and, round several,
    the region as a shapely geometry to take out of the fill. None when the group has no
    minimum range, or the origin has an area, which a minimum range does not apply to (as
    in the verdicts)."""
    inner = group.inner
    if inner is None or scene.origins.areas:
        return None
    if scene.origins.single:
        circle = Path.arc(0.0, 360.0).transformed(Affine2D().scale(inner))
        return Path(np.asarray(circle.vertices)[::-1], circle.codes), None
    shape = _region(scene.origins, scene.transformer, inner, 0.25 / scene.px_per_m, cap)
    return _shape_path(shape), shape


def _fade(scene: _Scene, group: _Group, colour: str, shape: Any, zorder: float) -> None:
    """A lower bound's soft band outward from its edge: "at least this far"."""
    layout = scene.layout
    band_px = max(_FADE_PX * layout.scale, 7.0)
    step_m = band_px / _FADE_STEPS / scene.px_per_m
    width_pt = band_px / _FADE_STEPS * 72.0 / layout.dpi * 1.05
    for j in range(_FADE_STEPS):
        offset = (j + 0.5) * step_m
        if shape is None:
            path = Path.arc(0.0, 360.0).transformed(Affine2D().scale(group.metres + offset))
        else:
            path = _lines_path(shape.buffer(offset, quad_segs=16).boundary)
        band = PathPatch(
            path, facecolor="none", edgecolor=colour, linewidth=width_pt,
            alpha=_FADE_ALPHA * (1.0 - j / _FADE_STEPS), zorder=zorder,
        )  # fmt: skip
        band.set_gid(f"ring-fade-{group.members[0]}-{j}")
        scene.ax.add_patch(band)
        if shape is not None:
            band.set_clip_path(scene.clip)


def _lines_path(lines: Any) -> Path:
    """A shapely line, ring or collection of them as one matplotlib Path of open lines."""
    vertices: list[Any] = []
    codes: list[Any] = []
    for line in getattr(lines, "geoms", [lines]):
        if line.is_empty or line.geom_type not in ("LineString", "LinearRing"):
            continue
        xy = np.asarray(line.coords, dtype=np.float64)
        if len(xy) < 2:
            continue
        code = np.full(len(xy), Path.LINETO, dtype=np.uint8)
        code[0] = Path.MOVETO
        vertices.append(xy)
        codes.append(code)
    if not vertices:
        return Path(np.zeros((0, 2)))
    return Path(np.concatenate(vertices), np.concatenate(codes))


# --------------------------------------------------------------------------------------------
# Names


def _quad(x: float, y: float, angle: float, hw: float, hh: float) -> Quad:
    """The corners of a rectangle ``2 hw`` by ``2 hh`` centred on (x, y), turned ``angle``
    degrees anticlockwise."""
    c, s = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    return (
        (x - hw * c + hh * s, y - hw * s - hh * c),
        (x + hw * c + hh * s, y + hw * s - hh * c),
        (x + hw * c - hh * s, y + hw * s + hh * c),
        (x - hw * c - hh * s, y - hw * s + hh * c),
    )


def _upright(angle: float) -> float:
    """An angle in degrees turned by a half turn if need be, so that text reads upright."""
    return (angle + 90.0) % 180.0 - 90.0


def _azimuths(rank: int) -> list[float]:
    """Where on its ring a ring's name may go, in order of preference (degrees clockwise
    from north): the preferred places, every other ring starting one along so that
    neighbouring names do not stack, then every 5 degrees round."""
    preferred = list(_TAG_AZIMUTHS[rank % 4 :] + _TAG_AZIMUTHS[: rank % 4])
    rest = [float(a) for a in range(-180, 180, 5) if float(a) not in preferred]
    return preferred + rest


def _measure(scene: _Scene, placer: _Placer, text: str, size: float) -> tuple[float, float]:
    probe = scene.ax.annotate(text, (0, 0), fontsize=size, fontweight="bold", parse_math=False)
    extent = probe.get_window_extent(placer.renderer)
    probe.remove()
    return float(extent.width), float(extent.height)


def _two_lines(text: str) -> str:
    """A long name broken in two at the separator nearest its middle."""
    cuts = [i for i in range(len(text)) if text.startswith((", ", " · "), i)]
    if not cuts:
        return text
    cut = min(cuts, key=lambda i: abs(i - len(text) / 2))
    keep = 1 if text[cut] == "," else 0
    return text[: cut + keep] + "\n" + text[cut + (2 if keep else 3) :]


def _forms(text: str) -> list[str]:
    """A ring's name as one line, then broken before its distance ("Kinzhal" over
    "2,000 km"), then, for several names, also after the middle name."""
    forms = [text]
    if " · " in text:
        names, distance = text.rsplit(" · ", 1)
        forms.append(f"{names}\n{distance}")
        if ", " in names:
            forms.append(f"{_two_lines(names)}\n{distance}")
    return forms


def _ring_labels(
    scene: _Scene,
    placer: _Placer,
    rings: Sequence[_Ring],
    groups: Sequence[_Group],
    shapes: dict[int, Any],
) -> dict[int, _Cut]:
    """Name each ring on the map, the smallest first (they have the least room): along the
    ring (on one line, else on two), or else upright just outside it. Return where each
    name cuts its ring."""
    layout = scene.layout
    size = layout.pt(_RING_NAME_PX)
    cuts: dict[int, _Cut] = {}
    fanned = 0
    for rank, number in enumerate(sorted(range(len(groups)), key=lambda g: groups[g].metres)):
        group = groups[number]
        inks = {rings[i].ink for i in group.members}
        style: dict[str, Any] = {
            "gid": f"ring-label-{group.members[0]}", "halo": 3.2 * layout.scale + 1,
            "zorder": 40, "color": inks.pop() if len(inks) == 1 else INK, "fontsize": size,
            "fontweight": "bold", "linespacing": 1.05,
        }  # fmt: skip
        along = _Along(scene, placer, groups, number, shapes)
        forms = [(text, _measure(scene, placer, text, size)) for text in _forms(group.text(rings))]
        # Turned along the ring on one line or two; three lines only upright.
        turned = [(on, form) for on in (True, False) for form in forms if form[0].count("\n") < 2]
        for on, (text, (w, h)) in turned:
            cut = along.find(w, h, rank, on)
            if cut is not None:
                placer.take_quad(_quad(cut.x, cut.y, cut.angle, w / 2 + 1.0, h / 2))
                cx, cy = placer.centre
                placer.write(
                    text, (cut.x - cx, cut.y - cy), rotation=cut.angle, rotation_mode="anchor",
                    **style,
                )  # fmt: skip
                if cut.on:
                    cuts[number] = cut
                break
        else:
            _beside(scene, placer, along, forms, fanned, **style)
            fanned += 1
    return cuts


class _Along:
    """The places along one ring (a circle, or an outline) where its name may lie, and the
    test that it is clear of the other rings there."""

    def __init__(
        self,
        scene: _Scene,
        placer: _Placer,
        groups: Sequence[_Group],
        number: int,
        shapes: dict[int, Any],
    ) -> None:
        self.placer = placer
        self.px_per_m = scene.px_per_m
        self.line = max(2.4 * max(scene.layout.scale, 0.6), 1.0) / 0.72  # the ring's, pixels
        self.radius = groups[number].metres * scene.px_per_m
        self.shape = shapes.get(number)
        self.others: list[float] = []
        self.other_lines: Any = None
        self.own_line: Any = None
        if self.shape is None:
            self.others = [
                g.metres * scene.px_per_m
                for k, g in enumerate(groups)
                if k != number and abs(g.metres * scene.px_per_m - self.radius) > 0.5
            ]
        else:
            shapely = _shapely()
            self.own_line = self.shape.boundary
            shapely.prepare(self.own_line)
            lines = [s.boundary for k, s in shapes.items() if k != number]
            self.other_lines = shapely.union_all(lines) if lines else None
            if self.other_lines is not None:
                shapely.prepare(self.other_lines)

    def edges(self, rank: int) -> list[tuple[float, float, float, float]]:
        """Points of the ring (pixels) with its outward normal there, in order of preference."""
        cx, cy = self.placer.centre
        if self.shape is None:
            return self.edges_at(_azimuths(rank))
        return [
            (cx + x * self.px_per_m, cy + y * self.px_per_m, nx, ny)
            for x, y, nx, ny in _outline_edges(self.shape, self.px_per_m, rank)
        ]

    def edges_at(self, azimuths: Sequence[float]) -> list[tuple[float, float, float, float]]:
        """The points of a circle at ``azimuths`` (pixels), with the outward normal there."""
        cx, cy = self.placer.centre
        found = []
        for azimuth in azimuths:
            nx, ny = math.sin(math.radians(azimuth)), math.cos(math.radians(azimuth))
            found.append((cx + self.radius * nx, cy + self.radius * ny, nx, ny))
        return found

    def find(self, w: float, h: float, rank: int, on: bool) -> _Cut | None:
        """The first place along the ring where a name ``w`` by ``h`` pixels lies on it (the
        ring, cut there, meeting the name's two ends), or with ``on`` False beside it (just
        outside, else just inside, nearer its own ring than any other), clear of every label
        and every other ring."""
        beside = h / 2 + self.line / 2 + 2.0
        sag = w * w / (8.0 * self.radius) if self.shape is None else 0.0
        if self.shape is None and (w > 1.3 * self.radius or sag > (1.4 * h if on else h / 2)):
            return None  # too tight a curve for a straight name on this circle
        for x, y, nx, ny in self.edges(rank):
            angle = _upright(math.degrees(math.atan2(ny, nx)) - 90.0)
            if abs(angle) > (_STEEPEST if on else _STEEPEST_BESIDE):
                continue  # a name turned steeper than this is hard to read
            if on:
                # Straight on a curving ring, set halfway: the ring meets both ends, within
                # a little more than half the name's height of its middle line.
                offsets = [-sag / 2] if self.shape is None else [0.0, -h / 6, h / 6]
            else:
                offsets = [beside, -beside - sag]
            for offset in offsets:
                cut = _Cut(x + nx * offset, y + ny * offset, angle, w, h, on)
                quad = _quad(cut.x, cut.y, angle, w / 2 + 1.0, h / 2)
                if self.placer.free_quad(quad) and self._clear(cut, quad):
                    return cut
        return None

    def _clear(self, cut: _Cut, quad: Quad) -> bool:
        """Whether the other rings keep clear of the name (beside its own ring, more than
        twice as far as its own), and its own ring runs through its two ends (or, beside,
        keeps clear of it)."""
        cx, cy = self.placer.centre
        keep = _MARGIN_PX if cut.on else self.line + 4.0
        if self.shape is None:
            inside = _contains(quad, (cx, cy))
            near = 0.0 if inside else min(_segment_distance((cx, cy), quad, k) for k in range(4))
            far = max(math.hypot(x - cx, y - cy) for x, y in quad)
            if not cut.on and near - 1.0 <= self.radius <= far + 1.0:
                return False
            return not any(near - keep <= r <= far + keep for r in self.others)
        shapely = _shapely()
        m = 1.0 / self.px_per_m

        def metres(points: Sequence[tuple[float, float]]) -> Any:
            return shapely.Polygon([((x - cx) * m, (y - cy) * m) for x, y in points])

        shape = metres(quad)
        if self.other_lines is not None and shapely.dwithin(self.other_lines, shape, keep * m):
            return False
        if not cut.on:
            return not bool(shapely.dwithin(self.own_line, shape, 1.0 * m))
        # On its ring: the ring enters and leaves through the name's two ends, within its
        # height, and crosses neither long side.
        crossings = self.own_line.intersection(shape.exterior)
        points: list[tuple[float, float]] = [
            (float(p.x) / m + cx, float(p.y) / m + cy)
            for p in getattr(crossings, "geoms", [crossings])
            if not p.is_empty and p.geom_type == "Point"
        ]
        if len(points) != 2 or not self.own_line.intersects(shape):
            return False
        c, s = math.cos(math.radians(cut.angle)), math.sin(math.radians(cut.angle))
        ends = sorted((x - cut.x) * c + (y - cut.y) * s for x, y in points)
        return bool(ends[0] < -cut.w / 2 + 0.5 and ends[1] > cut.w / 2 - 0.5)


def _contains(quad: Quad, point: tuple[float, float]) -> bool:
    px, py = point
    signs = []
    for k in range(4):
        (x0, y0), (x1, y1) = quad[k], quad[(k + 1) % 4]
        signs.append((x1 - x0) * (py - y0) - (y1 - y0) * (px - x0) >= 0)
    return all(signs) or not any(signs)


def _segment_distance(point: tuple[float, float], quad: Quad, k: int) -> float:
    (x0, y0), (x1, y1) = quad[k], quad[(k + 1) % 4]
    px, py = point
    dx, dy = x1 - x0, y1 - y0
    t = max(0.0, min(1.0, ((px - x0) * dx + (py - y0) * dy) / (dx * dx + dy * dy or 1.0)))
    return math.hypot(px - x0 - t * dx, py - y0 - t * dy)


def _beside(
    scene: _Scene,
    placer: _Placer,
    along: _Along,
    forms: Sequence[tuple[str, tuple[float, float]]],
    fanned: int,
    **style: Any,
) -> bool:
    """A ring's name upright outside it (5 to 194 pixels clear), crossing no ring, with a
    leader in its colour from the ring when it stands off; say whether it found room. The
    ``fanned``-th name put so starts a direction further round than the one before, so that
    names put out from rings in the middle fan out and their leaders do not cross. The name
    goes straight out from its ring where it can, anywhere round it; only where it cannot (a
    phone-wide map of many rings, its gaps taken by other names) does its leader lean off the
    straight line (:data:`_LEANS`) to reach a gap beside those names."""
    to_data = scene.ax.transData.inverted()
    if along.shape is None:
        edges = along.edges_at(_FAN[fanned % len(_FAN) :] + _FAN[: fanned % len(_FAN)])
    else:
        edges = along.edges(0)
    for lean in _LEANS:
        c, s = math.cos(math.radians(lean)), math.sin(math.radians(lean))
        for x, y, nx, ny in edges:
            xy = to_data.transform((x, y))
            dx, dy = nx * c - ny * s, nx * s + ny * c  # the normal turned by the lean
            for text, (w, h) in forms:
                reach = abs(dx) * w / 2 + abs(dy) * h / 2
                spots = [
                    (dx * (reach + step), dy * (reach + step), "center", "center")
                    for step in _STEPS
                ]
                if placer.place(
                    text, (float(xy[0]), float(xy[1])), spots, leader=12.0,
                    leader_colour=MUTED if style["color"] == INK else style["color"],
                    leader_gap=0.0, **style,
                ):  # fmt: skip
                    return True
    return False


def _cut_rings(
    scene: _Scene,
    groups: Sequence[_Group],
    edges: dict[int, list[PathPatch]],
    shapes: dict[int, Any],
    cuts: dict[int, _Cut],
) -> None:
    """Cut each ring under its name, so that the name reads on an open line."""
    cx, cy = scene.ax.transData.transform((0.0, 0.0))
    for number, cut in cuts.items():
        group = groups[number]
        if number not in shapes:
            radius_px = group.metres * scene.px_per_m
            middle = math.degrees(math.atan2(cut.y - cy, cut.x - cx))
            half = math.degrees(math.asin(min(1.0, (cut.w / 2 + _CUT_PX) / radius_px)))
            path = Path.arc(middle + half, middle - half + 360.0).transformed(
                Affine2D().scale(group.metres)
            )
        else:
            shapely = _shapely()
            m = 1.0 / scene.px_per_m
            gap = shapely.Polygon(
                [
                    ((x - cx) * m, (y - cy) * m)
                    for x, y in _quad(cut.x, cut.y, cut.angle, cut.w / 2 + _CUT_PX, cut.h)
                ]
            )
            path = _lines_path(shapes[number].boundary.difference(gap))
        for edge in edges[number]:
            edge.set_path(path)
