"""A map's page: its colours, its text sizes, and where the title, map, legend and credits go.

Sizes are in pixels at the reference width of 800; everything scales with the width, and no
text is ever smaller than MIN_FONT_PX pixels, so that a phone's 390 px column stays legible.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from matplotlib import patheffects

from weaponsref.maps._rings import _Ring

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.patches import PathPatch

    from weaponsref.maps._origins import _Origins

#: The smallest text on a map, in pixels at the map's width: legible on a phone.
MIN_FONT_PX = 11.0

SEA = "#d4e6f1"
LAND = "#f2eee4"
BORDER = "#9b9384"
INK = "#1a1a1a"
MUTED = "#555555"
OUTSIDE = "#8a8a8a"  # the rim of a place beyond every ring
OUTSIDE_TEXT = "#6a6a6a"
COUNTRY_TEXT = "#8a8272"

_TITLE_PX, _SUBTITLE_PX = 22.0, 14.0
_LEGEND_NAME_PX, _LEGEND_DETAIL_PX, _CREDIT_PX = 14.0, 12.0, 10.5

# DejaVu Sans is about this wide per character, in ems, on average over English text (bold a
# little wider); used only to wrap text before it is drawn, with room to spare.
_EM_PER_CHAR = 0.58


def _nice_length(target_m: float) -> float:
    """The largest of 1, 2 or 5 times a power of ten metres that is not above ``target_m``."""
    power = 10.0 ** math.floor(math.log10(target_m))
    for step in (5.0, 2.0, 1.0):
        if step * power <= target_m:
            return step * power
    return power  # pragma: no cover - the loop always returns


def _figure_inches(pixels: int, dpi: float) -> float:
    """Inches that make exactly ``pixels`` at ``dpi`` after matplotlib's truncation to int."""
    inches = pixels / dpi
    while int(inches * dpi) < pixels:
        inches = math.nextafter(inches, math.inf)
    return inches


def _halo(width: float) -> list[patheffects.AbstractPathEffect]:
    return [patheffects.withStroke(linewidth=width, foreground="white")]


def _wrap_text(text: str, width_px: float, font_px: float, bold: bool = False) -> list[str]:
    chars = max(12, int(width_px / (font_px * (_EM_PER_CHAR + (0.06 if bold else 0.0)))))
    return textwrap.wrap(text, chars) or [""]


@dataclass(frozen=True)
class _Layout:
    scale: float  # pixels per reference pixel
    dpi: float
    width: int
    height: int
    pad: float
    title_lines: tuple[str, ...]
    subtitle_lines: tuple[str, ...]
    title_h: float
    map_size: float
    legend_h: float
    columns: int
    rows: int
    detail_lines: tuple[tuple[str, ...], ...]
    key_lines: tuple[str, ...]
    credit_lines: tuple[str, ...]
    credit_h: float

    def px(self, reference_px: float) -> float:
        """A font size in pixels: ``reference_px`` at the reference width, never below the
        legible minimum."""
        return max(reference_px * self.scale, MIN_FONT_PX)

    def pt(self, reference_px: float) -> float:
        """The same font size in points."""
        return self.px(reference_px) * 72.0 / self.dpi

    def line(self, reference_px: float, spacing: float = 1.3) -> float:
        return self.px(reference_px) * spacing

    def fx(self, px: float) -> float:
        return px / self.width

    def fy(self, px_from_top: float) -> float:
        return 1.0 - px_from_top / self.height


def _layout(
    rings: Sequence[_Ring],
    width: int,
    dpi: float,
    title: str,
    subtitle: str,
    key: str,
    credits: Sequence[str],
) -> _Layout:
    scale = width / 800.0
    pad = max(18.0 * scale, 10.0)
    map_size = width - 2 * pad

    def px(reference: float) -> float:
        return max(reference * scale, MIN_FONT_PX)

    title_lines = tuple(_wrap_text(title, map_size, px(_TITLE_PX), bold=True)) if title else ()
    subtitle_lines = tuple(_wrap_text(subtitle, map_size, px(_SUBTITLE_PX))) if subtitle else ()
    title_h = 0.0
    if title_lines:
        title_h += len(title_lines) * px(_TITLE_PX) * 1.2
    if subtitle_lines:
        title_h += len(subtitle_lines) * px(_SUBTITLE_PX) * 1.3
    if title_h:
        title_h += 12.0 * scale + 4.0
    columns = 1 if len(rings) <= 3 or width < 600 else 2
    rows = math.ceil(len(rings) / columns)
    gap = 16.0 * scale
    swatch = max(34.0 * scale, 22.0)
    column_w = (map_size - (columns - 1) * gap) / columns - swatch
    detail_lines = tuple(
        tuple(_wrap_text(r.detail, column_w, px(_LEGEND_DETAIL_PX))) for r in rings
    )
    legend_h = 0.0
    for row in range(rows):
        entries = detail_lines[row * columns : (row + 1) * columns]
        tallest = max(len(lines) for lines in entries)
        legend_h += px(_LEGEND_NAME_PX) * 1.45 + px(_LEGEND_DETAIL_PX) * 1.3 * tallest
        legend_h += 8.0 * scale + 2.0
    key_lines = tuple(_wrap_text(key, map_size, px(_LEGEND_DETAIL_PX))) if key else ()
    legend_h += len(key_lines) * px(_LEGEND_DETAIL_PX) * 1.3
    legend_h += 14.0 * scale + 6.0
    credit_lines = tuple(
        line for text in credits for line in _wrap_text(text, map_size, px(_CREDIT_PX))
    )
    credit_h = len(credit_lines) * px(_CREDIT_PX) * 1.35 + 6.0
    height = pad + title_h + map_size + legend_h + credit_h + pad * 0.5
    return _Layout(
        scale, dpi, width, round(height), pad, title_lines, subtitle_lines, title_h, map_size,
        legend_h, columns, rows, detail_lines, key_lines, credit_lines, credit_h,
    )  # fmt: skip


@dataclass(frozen=True)
class _Scene:
    """What every drawing stage shares: the figure and its map axes, the layout, the origins
    and the projection centred on them, and the view."""

    figure: Figure
    ax: Axes
    layout: _Layout
    origins: _Origins
    transformer: Any  # pyproj's, from longitude and latitude to the map's metres
    half: float  # half the side of the square view, in metres
    px_per_m: float
    clip: PathPatch  # the globe's disc within the frame, which land and outlines keep to
