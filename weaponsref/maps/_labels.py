"""Label placement: every label goes at the first of its candidate spots where its box, as
the renderer measures it, is inside the frame, clear of every label and dot already placed,
and off every ring's stroke.

A ring's name may be turned to run along its ring: its box is then a rotated rectangle
(:meth:`_Placer.free_quad`), kept clear of every other box by the separating-axis test."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Text

from weaponsref.maps._basemap import _shapely
from weaponsref.maps._style import INK, MUTED

#: A label's outline in pixels: its four corners in order round it.
Quad = tuple[tuple[float, float], tuple[float, float], tuple[float, float], tuple[float, float]]
Box = tuple[float, float, float, float]

# How far, in pixels, the box of a label moved by some pixels may be from the box measured
# there: floating-point rounding only (a text's extent does not depend on where it is), so half
# a pixel is ample. See _Placer.may_fit.
_SURE_PX = 0.5

# Where on its ring a ring's name may go, in order of preference: degrees clockwise from north.
_TAG_AZIMUTHS = (
    -28.0,
    28.0,
    -50.0,
    50.0,
    -10.0,
    10.0,
    -70.0,
    70.0,
    -40.0,
    40.0,
    -60.0,
    60.0,
    -20.0,
    20.0,
    0.0,
    -80.0,
    80.0,
    -100.0,
    100.0,
    -120.0,
    120.0,
    -140.0,
    140.0,
    -160.0,
    160.0,
    180.0,
)


class _Placer:
    """Places labels; ``radii_m`` are circles round the centre, or ``outlines`` (a shapely
    geometry in metres) the rings' edges when they are not circles."""

    def __init__(
        self,
        figure: Figure,
        ax: Axes,
        radii_m: Sequence[float],
        px_per_m: float,
        outlines: Any = None,
    ) -> None:
        self.ax = ax
        self.renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
        frame = ax.get_window_extent(self.renderer)
        self.frame = (frame.x0 + 2.0, frame.y0 + 2.0, frame.x1 - 2.0, frame.y1 - 2.0)
        cx, cy = ax.transData.transform((0.0, 0.0))
        self.centre = (float(cx), float(cy))
        self.radii = [r * px_per_m for r in radii_m]
        self.px_per_m = px_per_m
        self.outlines = outlines
        if outlines is not None:
            _shapely().prepare(outlines)
        self.boxes: list[tuple[float, float, float, float]] = []
        self.quads: list[tuple[Box, Quad]] = []  # labels turned along their rings
        self.leaders: list[tuple[tuple[float, float], tuple[float, float]]] = []
        self.gap = 2.0

    def box_of(self, artist: Text) -> tuple[float, float, float, float]:
        extent = artist.get_window_extent(self.renderer)
        return (extent.x0, extent.y0, extent.x1, extent.y1)

    def crosses_ring(self, box: tuple[float, float, float, float], margin: float) -> bool:
        x0, y0, x1, y1 = box
        cx, cy = self.centre
        if self.outlines is not None:
            shapely = _shapely()
            m = 1.0 / self.px_per_m
            near = shapely.box(
                (x0 - margin - cx) * m, (y0 - margin - cy) * m,
                (x1 + margin - cx) * m, (y1 + margin - cy) * m,
            )  # fmt: skip
            return bool(self.outlines.intersects(near))
        dx = max(x0 - cx, 0.0, cx - x1)
        dy = max(y0 - cy, 0.0, cy - y1)
        near = math.hypot(dx, dy)
        far = max(math.hypot(x - cx, y - cy) for x in (x0, x1) for y in (y0, y1))
        return any(near - margin <= r <= far + margin for r in self.radii)

    def free(self, box: tuple[float, float, float, float], rings: bool = True) -> bool:
        x0, y0, x1, y1 = box
        fx0, fy0, fx1, fy1 = self.frame
        if x0 < fx0 or y0 < fy0 or x1 > fx1 or y1 > fy1:
            return False
        g = self.gap
        for bx0, by0, bx1, by1 in self.boxes:
            if x0 < bx1 + g and bx0 < x1 + g and y0 < by1 + g and by0 < y1 + g:
                return False
        if self.quads and not self._clear_of_quads(box, _box_quad(box)):
            return False
        if any(_meets(a, b, box, 1.0) for a, b in self.leaders):
            return False
        return not (rings and self.crosses_ring(box, 2.5))

    def _clear_of_quads(self, box: Box, quad: Quad) -> bool:
        g = self.gap
        x0, y0, x1, y1 = box
        for (bx0, by0, bx1, by1), other in self.quads:
            near = x0 < bx1 + g and bx0 < x1 + g and y0 < by1 + g and by0 < y1 + g
            if near and not _apart(quad, other, g):
                return False
        return True

    def free_quad(self, quad: Quad) -> bool:
        """Whether a turned label with corners ``quad`` (pixels) is inside the frame and
        clear of every label and dot; the rings are the caller's to check."""
        box = _quad_box(quad)
        fx0, fy0, fx1, fy1 = self.frame
        if box[0] < fx0 or box[1] < fy0 or box[2] > fx1 or box[3] > fy1:
            return False
        g = self.gap
        for other in self.boxes:
            near = box[0] < other[2] + g and other[0] < box[2] + g
            near = near and box[1] < other[3] + g and other[1] < box[3] + g
            if near and not _apart(quad, _box_quad(other), g):
                return False
        if not self._clear_of_quads(box, quad):
            return False
        return all(_apart((a, b), quad, 1.0) for a, b in self.leaders)

    def take_quad(self, quad: Quad) -> None:
        self.quads.append((_quad_box(quad), quad))

    def may_fit(
        self,
        box: tuple[float, float, float, float],
        dx: float,
        dy: float,
        rings: bool = True,
    ) -> bool:
        """Whether a label whose box, measured elsewhere, is ``box`` may be free once moved by
        (``dx``, ``dy``) pixels. False is certain: the moved box shrunk by
        :data:`_SURE_PX` on every side is already not free, and :meth:`free` only gets
        stricter as a box grows (a larger box leaves the frame sooner, overlaps more boxes
        and crosses more rings). True means: measure it."""
        x0, y0, x1, y1 = box
        d = _SURE_PX
        return self.free((x0 + dx + d, y0 + dy + d, x1 + dx - d, y1 + dy - d), rings)

    def take(self, box: tuple[float, float, float, float]) -> None:
        self.boxes.append(box)

    def _leader_ends(
        self, xy: tuple[float, float], box: Box, gap: float
    ) -> tuple[tuple[float, float], tuple[float, float]] | None:
        """Where a leader from ``gap`` pixels off ``xy`` (metres) to the nearest edge of
        ``box`` starts and ends, in pixels; None when the box is next to the point."""
        px, py = self.ax.transData.transform(xy)
        x0, y0, x1, y1 = box
        nx, ny = min(max(px, x0), x1), min(max(py, y0), y1)
        length = math.hypot(nx - px, ny - py)
        if length < 4.0:
            return None
        sx = px + (nx - px) * gap / length
        sy = py + (ny - py) * gap / length
        return (float(sx), float(sy)), (float(nx), float(ny))

    def leader_clear(self, xy: tuple[float, float], box: Box, gap: float) -> bool:
        """Whether a leader to ``box`` would cross no label placed (nor the dot of another
        point), so that it points at its own label only."""
        ends = self._leader_ends(xy, box, gap)
        if ends is None:
            return True
        start, end = ends
        for other in self.boxes:
            inside = other[0] <= start[0] <= other[2] and other[1] <= start[1] <= other[3]
            if not inside and _meets(start, end, other, 0.0):
                return False
        return all(_apart((start, end), quad, 0.0) for _, quad in self.quads)

    def leader(
        self,
        xy: tuple[float, float],
        box: tuple[float, float, float, float],
        gid: str,
        colour: str = MUTED,
        gap: float = 4.0,
    ) -> None:
        """A thin line from ``gap`` pixels off the point ``xy`` (metres), clear of its dot,
        to the nearest edge of ``box``; later labels keep off it."""
        found = self._leader_ends(xy, box, gap)
        if found is None:
            return
        self.leaders.append(found)
        ends = self.ax.transData.inverted().transform(list(found))
        line = Line2D(
            ends[:, 0], ends[:, 1], color=colour, linewidth=0.8, zorder=44,
            solid_capstyle="butt",
        )  # fmt: skip
        line.set_gid(f"{gid}-leader")
        self.ax.add_line(line)

    def block(self, x_m: float, y_m: float, radius_px: float) -> None:
        """Keep labels off a dot drawn at (x, y) metres."""
        x, y = self.ax.transData.transform((x_m, y_m))
        self.boxes.append((x - radius_px, y - radius_px, x + radius_px, y + radius_px))

    def place(
        self,
        text: str,
        xy: tuple[float, float],
        spots: Iterable[tuple[float, float, str, str]],
        *,
        gid: str,
        halo: float,
        zorder: float,
        rings: bool = True,
        leader: float | None = None,
        leader_colour: str = MUTED,
        leader_gap: float = 4.0,
        lead_clear: bool = True,
        accept: Callable[[Box], bool] | None = None,
        **style: Any,
    ) -> bool:
        """Write ``text`` at the first of ``spots`` that is free: each spot is an offset from
        ``xy`` (metres) in pixels, with its horizontal and vertical alignment. With
        ``leader``, a label put farther than that many pixels from its point gets a thin line
        from the point to the label (``leader_colour``, from ``leader_gap`` pixels off the
        point), which crosses no other label or dot unless ``lead_clear`` is False. With
        ``accept``, a spot is taken only if it also says yes to the box measured there.

        The halo is a separate white, outlined copy underneath: a path effect on the label
        itself would turn it into glyph outlines in the SVG, where it should stay text. The
        text is drawn as written: a ``$`` is a dollar sign, never the start of mathtext.
        """
        colour = style.pop("color", INK)
        points = 72.0 / self.ax.figure.dpi
        artist = self.ax.annotate(
            text, xy, xytext=(0.0, 0.0), textcoords="offset points", color=colour,
            zorder=zorder, annotation_clip=False, parse_math=False, **style,
        )  # fmt: skip
        artist.set_gid(gid)
        # The box last measured with each alignment, and the spot it was measured at: the
        # same box moved to another spot tells, without measuring, where it surely cannot go.
        measured: dict[tuple[str, str], tuple[float, float, tuple[float, float, float, float]]]
        measured = {}
        for dx, dy, ha, va in spots:
            known = measured.get((ha, va))
            if known is not None and not self.may_fit(
                known[2], dx - known[0], dy - known[1], rings
            ):
                continue
            artist.set_position((dx * points, dy * points))
            artist.set_horizontalalignment(ha)  # type: ignore[arg-type]
            artist.set_verticalalignment(va)  # type: ignore[arg-type]
            box = self.box_of(artist)
            measured[(ha, va)] = (dx, dy, box)
            far = leader is not None and math.hypot(dx, dy) > leader
            if (
                self.free(box, rings)
                and (not far or not lead_clear or self.leader_clear(xy, box, leader_gap))
                and (accept is None or accept(box))
            ):
                self.take(box)
                self.halo(text, xy, (dx, dy), gid, halo, zorder, ha=ha, va=va, **style)
                if far:
                    self.leader(xy, box, gid, leader_colour, leader_gap)
                return True
        artist.remove()
        return False

    def halo(
        self,
        text: str,
        xy: tuple[float, float],
        offset: tuple[float, float],
        gid: str,
        width: float,
        zorder: float,
        **style: Any,
    ) -> None:
        """The white, outlined copy of a label under it: its halo."""
        points = 72.0 / self.ax.figure.dpi
        under = self.ax.annotate(
            text, xy, xytext=(offset[0] * points, offset[1] * points),
            textcoords="offset points", color="white", zorder=zorder - 0.5,
            annotation_clip=False,
            path_effects=[patheffects.Stroke(linewidth=width, foreground="white")],
            parse_math=False, **style,
        )  # fmt: skip
        under.set_gid(f"{gid}-halo")

    def write(
        self,
        text: str,
        offset: tuple[float, float],
        *,
        gid: str,
        halo: float,
        zorder: float,
        **style: Any,
    ) -> None:
        """Write ``text`` centred ``offset`` pixels from the map's centre, with its halo,
        where the caller found room (and took it)."""
        points = 72.0 / self.ax.figure.dpi
        style = {"ha": "center", "va": "center", **style}
        artist = self.ax.annotate(
            text, (0.0, 0.0), xytext=(offset[0] * points, offset[1] * points),
            textcoords="offset points", zorder=zorder, annotation_clip=False, parse_math=False,
            **style,
        )  # fmt: skip
        artist.set_gid(gid)
        style.pop("color", None)
        self.halo(text, (0.0, 0.0), offset, gid, halo, zorder, **style)


def _box_quad(box: Box) -> Quad:
    x0, y0, x1, y1 = box
    return ((x0, y0), (x1, y0), (x1, y1), (x0, y1))


def _quad_box(quad: Quad) -> Box:
    xs = [x for x, _ in quad]
    ys = [y for _, y in quad]
    return (min(xs), min(ys), max(xs), max(ys))


def _meets(start: tuple[float, float], end: tuple[float, float], box: Box, pad: float) -> bool:
    """Whether the segment from ``start`` to ``end`` passes within ``pad`` pixels of the
    upright ``box`` (Liang and Barsky's clipping)."""
    x0, y0, x1, y1 = box[0] - pad, box[1] - pad, box[2] + pad, box[3] + pad
    dx, dy = end[0] - start[0], end[1] - start[1]
    low, high = 0.0, 1.0
    for p, q in (
        (-dx, start[0] - x0),
        (dx, x1 - start[0]),
        (-dy, start[1] - y0),
        (dy, y1 - start[1]),
    ):
        if p == 0.0:
            if q < 0.0:
                return False
            continue
        t = q / p
        if p < 0.0:
            low = max(low, t)
        else:
            high = min(high, t)
        if low > high:
            return False
    return True


def _apart(a: Sequence[tuple[float, float]], b: Sequence[tuple[float, float]], gap: float) -> bool:
    """Whether two convex polygons (or a segment and a polygon) are at least ``gap`` pixels
    apart along one of their edges' normals (the separating-axis test; for two upright
    boxes, the same test as comparing their sides)."""
    for quad in (a, b):
        for k in range(len(quad)):
            (x0, y0), (x1, y1) = quad[k], quad[(k + 1) % len(quad)]
            nx, ny = y1 - y0, x0 - x1
            norm = math.hypot(nx, ny)
            if norm == 0.0:
                continue
            nx, ny = nx / norm, ny / norm
            pa = [x * nx + y * ny for x, y in a]
            pb = [x * nx + y * ny for x, y in b]
            if min(pa) >= max(pb) + gap or min(pb) >= max(pa) + gap:
                return True
    return False


def _around(
    distances: Sequence[float], far: Sequence[float] = ()
) -> list[tuple[float, float, str, str]]:
    """Spots beside a dot: right, left, above, below and the diagonals, nearest first; then,
    at each of ``far``, sixteen directions round, for a label that needs a leader to reach a
    gap between rings."""
    spots: list[tuple[float, float, str, str]] = []
    for d in distances:
        k = d * 0.72
        spots += [
            (d, 0.0, "left", "center"),
            (-d, 0.0, "right", "center"),
            (k, k, "left", "bottom"),
            (-k, k, "right", "bottom"),
            (k, -k, "left", "top"),
            (-k, -k, "right", "top"),
            (0.0, d, "center", "bottom"),
            (0.0, -d, "center", "top"),
        ]
    for d in far:
        for step in range(16):
            a = math.radians(step * 22.5)
            c, s = math.cos(a), math.sin(a)
            ha = "left" if c > 0.3 else "right" if c < -0.3 else "center"
            va = "bottom" if s > 0.3 else "top" if s < -0.3 else "center"
            spots.append((d * c, d * s, ha, va))
    return spots


# --------------------------------------------------------------------------------------------
# Places for a ring's name on an outline that is not a circle.


def _outline_edges(
    shape: Any, px_per_m: float, rank: int
) -> list[tuple[float, float, float, float]]:
    """Points on the edge of an outline (metres) with its outward normal there: first where
    a ray from the centre at each of the preferred azimuths leaves the outline, then points
    every 20 pixels or so along it."""
    shapely = _shapely()
    exteriors = [g.exterior for g in getattr(shape, "geoms", [shape]) if g.geom_type == "Polygon"]
    minx, miny, maxx, maxy = shape.bounds
    far = 4.0 * max(abs(minx), abs(miny), abs(maxx), abs(maxy), 1.0)
    anchors: list[tuple[Any, Any]] = []  # (point on the outline, its exterior ring)
    for azimuth in _tag_azimuths(rank):
        a = math.radians(azimuth)
        ray = shapely.LineString([(0.0, 0.0), (far * math.sin(a), far * math.cos(a))])
        best: tuple[float, Any, Any] | None = None
        for exterior in exteriors:
            hit = ray.intersection(exterior)
            for point in getattr(hit, "geoms", [hit]):
                if point.is_empty or point.geom_type != "Point":
                    continue
                d = math.hypot(point.x, point.y)
                if best is None or d > best[0]:
                    best = (d, point, exterior)
        if best is not None:
            anchors.append((best[1], best[2]))
    for exterior in exteriors:
        count = min(360, max(8, int(exterior.length * px_per_m / 20.0)))
        for k in range(count):
            anchors.append((exterior.interpolate(k / count, normalized=True), exterior))
    edges: list[tuple[float, float, float, float]] = []
    for point, exterior in anchors:
        along = exterior.project(point)
        step = max(exterior.length * 1e-4, 1.0)
        a1, a2 = exterior.interpolate(along - step), exterior.interpolate(along + step)
        tx, ty = a2.x - a1.x, a2.y - a1.y
        norm = math.hypot(tx, ty) or 1.0
        nx, ny = ty / norm, -tx / norm
        if shape.contains(shapely.Point(point.x + nx * step, point.y + ny * step)):
            nx, ny = -nx, -ny
        edges.append((point.x, point.y, nx, ny))
    return edges


def _tag_azimuths(rank: int) -> tuple[float, ...]:
    """The preferred azimuths for the name of the ring of this rank (by size): every other
    ring starts one azimuth along, so that neighbouring rings' names do not stack."""
    return _TAG_AZIMUTHS[rank % 2 :] + _TAG_AZIMUTHS[: rank % 2]
