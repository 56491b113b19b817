"""Label placement: every label goes at the first of its candidate spots where its box, as
the renderer measures it, is inside the frame, clear of every label and dot already placed,
and off every ring's stroke."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Text

from weaponsref.maps._basemap import _shapely
from weaponsref.maps._layout import INK, MUTED

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
        return not (rings and self.crosses_ring(box, 2.5))

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

    def leader(
        self, xy: tuple[float, float], box: tuple[float, float, float, float], gid: str
    ) -> None:
        """A thin line from the point ``xy`` (metres) to the nearest edge of ``box``."""
        px, py = self.ax.transData.transform(xy)
        x0, y0, x1, y1 = box
        nx, ny = min(max(px, x0), x1), min(max(py, y0), y1)
        length = math.hypot(nx - px, ny - py)
        if length < 4.0:
            return
        # Stop short of the dot's rim.
        sx = px + (nx - px) * 4.0 / length
        sy = py + (ny - py) * 4.0 / length
        ends = self.ax.transData.inverted().transform([(sx, sy), (nx, ny)])
        line = Line2D(
            ends[:, 0], ends[:, 1], color=MUTED, linewidth=0.8, zorder=44,
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
        **style: Any,
    ) -> bool:
        """Write ``text`` at the first of ``spots`` that is free: each spot is an offset from
        ``xy`` (metres) in pixels, with its horizontal and vertical alignment. With
        ``leader``, a label put farther than that many pixels from its point gets a thin line
        from the point to the label.

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
            if self.free(box, rings):
                self.take(box)
                under = self.ax.annotate(
                    text, xy, xytext=(dx * points, dy * points), textcoords="offset points",
                    color="white", zorder=zorder - 0.5, annotation_clip=False, ha=ha, va=va,
                    path_effects=[patheffects.Stroke(linewidth=halo, foreground="white")],
                    parse_math=False, **style,
                )  # fmt: skip
                under.set_gid(f"{gid}-halo")
                if leader is not None and math.hypot(dx, dy) > leader:
                    self.leader(xy, box, gid)
                return True
        artist.remove()
        return False


def _around(distances: Sequence[float]) -> list[tuple[float, float, str, str]]:
    """Spots beside a dot: right, left, above, below and the diagonals, nearest first."""
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
    return spots


# --------------------------------------------------------------------------------------------
# Spots for a ring's name: on its edge, just inside it or just outside.


def _shape_spots(
    shape: Any, w: float, h: float, px_per_m: float, rank: int
) -> list[tuple[float, float, str, str]]:
    """Spots for a ring's name on the edge of an outline that is not a circle, in pixels from
    the map's centre: first where a ray from the centre at each of the preferred azimuths
    leaves the outline, then at points every 30 pixels or so along it; at each, just inside
    the outline, then just outside, as for a circle."""
    shapely = _shapely()
    exteriors = [g.exterior for g in getattr(shape, "geoms", [shape]) if g.geom_type == "Polygon"]
    minx, miny, maxx, maxy = shape.bounds
    far = 4.0 * max(abs(minx), abs(miny), abs(maxx), abs(maxy), 1.0)
    azimuths = _tag_azimuths(rank)
    anchors: list[tuple[Any, Any]] = []  # (point on the outline, its exterior ring)
    for azimuth in azimuths:
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
        count = min(240, max(8, int(exterior.length * px_per_m / 30.0)))
        for k in range(count):
            anchors.append((exterior.interpolate(k / count, normalized=True), exterior))
    edges: list[tuple[float, float, float, float]] = []  # point (m) and outward normal
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
    return _edge_spots([(x * px_per_m, y * px_per_m, nx, ny) for x, y, nx, ny in edges], w, h)


def _tag_azimuths(rank: int) -> tuple[float, ...]:
    """The preferred azimuths for the name of the ring of this rank (by size): every other
    ring starts one azimuth along, so that neighbouring rings' names do not stack."""
    return _TAG_AZIMUTHS[rank % 2 :] + _TAG_AZIMUTHS[: rank % 2]


def _edge_spots(
    edges: Sequence[tuple[float, float, float, float]],
    w: float,
    h: float,
    depth: float = math.inf,
) -> list[tuple[float, float, str, str]]:
    """Spots, in pixels from the map's centre, for a label of half-size ``w`` by ``h`` beside
    each edge point ``(x, y)`` with outward normal ``(nx, ny)`` (pixels): just inside the
    edge (5 or 14 pixels clear), then just outside (5 to 42), nearest first. An inside spot
    deeper than ``depth`` (a circle's radius: past its centre) is left out."""
    spots: list[tuple[float, float, str, str]] = []
    for outward in (False, True):
        for step_px in (5.0, 14.0, 26.0, 42.0) if outward else (5.0, 14.0):
            sign = 1.0 if outward else -1.0
            for x, y, nx, ny in edges:
                reach_px = abs(nx) * w + abs(ny) * h + step_px
                if not outward and reach_px >= depth:
                    continue
                spots.append(
                    (x + sign * nx * reach_px, y + sign * ny * reach_px, "center", "center")
                )
    return spots
