"""A map's page: its text sizes, and where the title, map, legend and credits go.

A map is laid out once, in reference pixels of 1/100 inch, for its physical size: a map 8
inches wide is laid out as 800 reference pixels, and everything on it (text, lines, dots,
halos, the gaps between labels) scales with its width. The figure is built at
:data:`REFERENCE_DPI` and saved at the map's own resolution, which changes only how many
pixels there are: at 100, 200 or 300 dpi the drawing is the same. No text is smaller than
:data:`MIN_FONT_PX` pixels at 100 dpi (7.92 points), nor than that many pixels at a lower
resolution, so that a phone's 390 px column stays legible.

On a landscape page the text goes beside the map; otherwise below it. On a page, the map
shrinks if the text would not otherwise fit.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from matplotlib import patheffects

from weaponsref.errors import LimitError
from weaponsref.maps._rings import _Ring
from weaponsref.maps._size import _Page

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.patches import PathPatch

    from weaponsref.maps._origins import _Origins

#: The smallest text on a map, in pixels at 100 dpi (or at the map's resolution, if lower).
MIN_FONT_PX = 11.0
#: The dpi the figure is laid out at: a reference pixel is 1/100 inch.
REFERENCE_DPI = 100.0

_TITLE_PX, _SUBTITLE_PX = 22.0, 14.0
_LEGEND_NAME_PX, _LEGEND_DETAIL_PX, _CREDIT_PX = 14.0, 12.0, 10.5
# The title stays well above the body text on a small map, as a headline does.
_TITLE_MIN_PX, _SUBTITLE_MIN_PX = 16.0, 12.0
# A page's margins: 10 mm, room for a printer's grip.
_PAGE_MARGIN_PX = 10.0 / 25.4 * REFERENCE_DPI

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
    """Where everything goes, in reference pixels from the top left."""

    scale: float  # reference pixels per pixel of the 800-pixel reference map
    min_px: float  # the smallest font, in reference pixels
    width: float
    height: float
    pad: float
    text_x: float  # the title's, legend's and credits' left edge, and their width
    text_w: float
    map_x: float
    map_top: float
    map_size: float
    title_lines: tuple[str, ...]
    subtitle_lines: tuple[str, ...]
    title_h: float
    legend_top: float
    columns: int
    rows: int
    detail_lines: tuple[tuple[str, ...], ...]
    key_lines: tuple[str, ...]
    credit_lines: tuple[str, ...]
    dpi: float = REFERENCE_DPI

    def px(self, reference_px: float, least: float = 0.0) -> float:
        """A size in reference pixels: ``reference_px`` on the 800-pixel reference map,
        scaled, never below ``least`` or the legible minimum."""
        return max(reference_px * self.scale, least, self.min_px)

    def pt(self, reference_px: float, least: float = 0.0) -> float:
        """The same font size in points."""
        return self.px(reference_px, least) * 72.0 / REFERENCE_DPI

    def lw(self, reference_px: float, least: float = 0.0) -> float:
        """A line width in points: ``reference_px`` points on the reference map, scaled."""
        return max(reference_px * self.scale, least)

    def fx(self, px: float) -> float:
        return px / self.width

    def fy(self, px_from_top: float) -> float:
        return 1.0 - px_from_top / self.height


@dataclass(frozen=True)
class _Text:
    """The text round the map, wrapped to a column ``width`` reference pixels wide."""

    title_lines: tuple[str, ...]
    subtitle_lines: tuple[str, ...]
    title_h: float
    columns: int
    rows: int
    detail_lines: tuple[tuple[str, ...], ...]
    key_lines: tuple[str, ...]
    credit_lines: tuple[str, ...]
    legend_h: float
    credit_h: float


def _font(scale: float, min_px: float) -> Any:
    def px(reference: float, least: float = 0.0) -> float:
        return max(reference * scale, least, min_px)

    return px


def _text(
    rings: Sequence[_Ring],
    width: float,
    scale: float,
    min_px: float,
    words: tuple[str, str, str, Sequence[str]],
) -> _Text:
    """Wrap the title, legend, key and credits to ``width``; measure their heights."""
    title, subtitle, key, credits = words
    px = _font(scale, min_px)
    title_px, subtitle_px = px(_TITLE_PX, _TITLE_MIN_PX), px(_SUBTITLE_PX, _SUBTITLE_MIN_PX)
    title_lines = tuple(_wrap_text(title, width, title_px, bold=True)) if title else ()
    subtitle_lines = tuple(_wrap_text(subtitle, width, subtitle_px)) if subtitle else ()
    title_h = len(title_lines) * title_px * 1.2 + len(subtitle_lines) * subtitle_px * 1.3
    if title_h:
        title_h += 12.0 * scale + 4.0
    columns = 1 if len(rings) <= 3 or width < 590 * max(scale, 0.75) else 2
    rows = math.ceil(len(rings) / columns)
    gap = 16.0 * scale
    column_w = (width - (columns - 1) * gap) / columns - max(34.0 * scale, 22.0)
    detail_lines = tuple(
        tuple(_wrap_text(r.detail, column_w, px(_LEGEND_DETAIL_PX))) for r in rings
    )
    legend_h = 0.0
    for row in range(rows):
        entries = detail_lines[row * columns : (row + 1) * columns]
        tallest = max(len(lines) for lines in entries)
        legend_h += px(_LEGEND_NAME_PX) * 1.45 + px(_LEGEND_DETAIL_PX) * 1.3 * tallest
        legend_h += 8.0 * scale + 2.0
    key_lines = tuple(_wrap_text(key, width, px(_LEGEND_DETAIL_PX))) if key else ()
    legend_h += len(key_lines) * px(_LEGEND_DETAIL_PX) * 1.3
    credit_lines = tuple(
        line for text in credits for line in _wrap_text(text, width, px(_CREDIT_PX))
    )
    credit_h = len(credit_lines) * px(_CREDIT_PX) * 1.35 + 6.0
    return _Text(
        title_lines, subtitle_lines, title_h, columns, rows, detail_lines, key_lines,
        credit_lines, legend_h, credit_h,
    )  # fmt: skip


def _layout(
    rings: Sequence[_Ring],
    page: _Page,
    title: str,
    subtitle: str,
    key: str,
    credits: Sequence[str],
) -> _Layout:
    """Lay the map out for ``page``: the text below the map, or beside it on a landscape
    page. Raises :class:`~weaponsref.errors.LimitError` when the text does not fit on the
    page beside a map at least half its height."""
    width = page.width_in * REFERENCE_DPI
    height = None if page.height_in is None else page.height_in * REFERENCE_DPI
    scale = min(width, height or math.inf) / 800.0
    min_px = MIN_FONT_PX * max(1.0, REFERENCE_DPI / page.dpi)
    pad = max(18.0 * scale, 10.0, _PAGE_MARGIN_PX if height is not None else 0.0)
    words = (title, subtitle, key, credits)
    if page.side and height is not None:
        return _side_layout(rings, width, height, scale, min_px, pad, words)
    text = _text(rings, width - 2 * pad, scale, min_px, words)
    below = 12.0 * scale + 4.0  # between the map and the legend
    rest = pad + text.title_h + below + text.legend_h + 14.0 * scale + 6.0 + text.credit_h
    rest += pad * 0.5
    map_size = width - 2 * pad
    if height is not None:
        map_size = min(map_size, height - rest)
        if map_size < 0.5 * (width - 2 * pad):
            raise LimitError(
                f"the legend and credits of {len(rings)} rings leave too little room for the "
                "map on this page: use a larger page or fewer rings"
            )
    total = height if height is not None else rest + map_size
    map_top = pad + text.title_h
    return _Layout(
        scale, min_px, width, total, pad, pad, width - 2 * pad, pad, map_top, map_size,
        text.title_lines, text.subtitle_lines, text.title_h, map_top + map_size + below,
        text.columns, text.rows, text.detail_lines, text.key_lines, text.credit_lines,
    )  # fmt: skip


def _side_layout(
    rings: Sequence[_Ring],
    width: float,
    height: float,
    scale: float,
    min_px: float,
    pad: float,
    words: tuple[str, str, str, Sequence[str]],
) -> _Layout:
    """A landscape page: the map on the left as tall as the page allows, the text in a
    column on its right; the map shrinks until the text fits beside it."""
    tallest = height - 2 * pad
    map_size = tallest
    while True:
        text_x = pad + map_size + pad
        text_w = width - text_x - pad
        if text_w >= 200.0 * scale:
            text = _text(rings, text_w, scale, min_px, words)
            if text.title_h + text.legend_h + 14.0 * scale + text.credit_h <= tallest:
                break
        map_size -= tallest * 0.04
        if map_size < tallest * 0.5:
            raise LimitError(
                f"the legend and credits of {len(rings)} rings do not fit beside the map on "
                "this landscape page: use an upright page or fewer rings"
            )
    return _Layout(
        scale, min_px, width, height, pad, text_x, text_w, pad, pad, map_size,
        text.title_lines, text.subtitle_lines, text.title_h, pad + text.title_h,
        text.columns, text.rows, text.detail_lines, text.key_lines, text.credit_lines,
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
