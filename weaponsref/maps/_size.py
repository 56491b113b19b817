"""How big a map is: a physical size, a width in pixels and a resolution, any two of which
set the third.

A map is drawn once, in physical units (points), for its physical size; the resolution then
sets only how many pixels a PNG has. The same map at 100, 200 or 300 dpi is the same
drawing, scaled; a PDF or SVG is the physical size.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final, TypeAlias

from weaponsref.errors import ArgumentError, ArgumentValueError, LimitError

if TYPE_CHECKING:
    import pint

#: A map's physical size: a name from :data:`SIZES`, a length as text, or a pint quantity.
SizeLike: TypeAlias = "str | pint.Quantity[Any]"

#: The resolution of a map given neither a physical size nor a resolution: a screen's.
DEFAULT_DPI: Final = 100.0
#: The resolution of a map given a physical size but neither a resolution nor pixels: print's.
PRINT_DPI: Final = 300.0
#: The physical width of a map given neither a size nor a width: 800 pixels at 100 dpi.
DEFAULT_WIDTH_IN: Final = 8.0
#: The narrowest and widest maps, in inches (a sixth of a broadsheet's six columns is 1.83).
MIN_WIDTH_IN: Final = 1.5
MAX_WIDTH_IN: Final = 40.0
#: The widest PNG, in pixels: a full newspaper page at 300 dpi.
MAX_WIDTH: Final = 4000
MIN_PIXELS: Final = 200

#: The sizes a desk asks for by name: a width, with the height set by the map's content, or
#: a page (width and height) that the map fills, its text below the map on an upright page
#: and beside it on a landscape one. ``"1col"`` to ``"6col"`` are a broadsheet's six-column
#: grid: columns 11 picas wide with 1-pica gutters (2col is 23 picas, 3.83 in).
SIZES: Final[Mapping[str, tuple[str, str | None]]] = MappingProxyType(
    {
        "1col": ("11 pica", None),
        "2col": ("23 pica", None),
        "3col": ("35 pica", None),
        "4col": ("47 pica", None),
        "5col": ("59 pica", None),
        "6col": ("71 pica", None),
        "A4": ("210 mm", "297 mm"),
        "A4-landscape": ("297 mm", "210 mm"),
        "letter": ("8.5 in", "11 in"),
        "letter-landscape": ("11 in", "8.5 in"),
    }
)


@dataclass(frozen=True)
class _Page:
    """A map's physical size and resolution, worked out from what was asked."""

    width_in: float
    height_in: float | None  # a page's height; None when the map's content sets it
    dpi: float  # of the PNG (and its metadata)
    pixels: int | None  # the PNG's exact width, when pixels were asked for or follow

    @property
    def side(self) -> bool:
        """Whether the text goes beside the map (a landscape page) rather than below it."""
        return self.height_in is not None and self.height_in < self.width_in


def _inches(value: object) -> tuple[float, float | None]:
    """A size's width and page height (None for a width alone), in inches."""
    from weaponsref._units import as_length, is_quantity

    if isinstance(value, str):
        for name, (width, height) in SIZES.items():
            if value.strip().lower() == name.lower():
                return _inches_of(width), None if height is None else _inches_of(height)
    elif not is_quantity(value):
        raise ArgumentError(
            f"size must be a name such as '2col' or 'A4', a length such as '90 mm' or "
            f"'3.5 in', or a pint quantity (got {value!r:.40} that is a {type(value).__name__})"
        )
    try:
        quantity = as_length(value, what="map size")
    except ValueError as error:
        names = ", ".join(repr(name) for name in SIZES)
        raise type(error)(f"{error}; or name a size: {names}") from error
    return float(quantity.to("inch").magnitude), None


def _inches_of(text: str) -> float:
    from weaponsref._units import as_length

    return float(as_length(text, what="map size").to("inch").magnitude)


def _number(value: object, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ArgumentError(
            f"{what} must be a number (got {value!r:.40} that is a {type(value).__name__})"
        )
    return float(value)


def _page(size: Any, width: object, dpi: object, png: bool = True) -> _Page:
    """The map's physical size and resolution from ``size``, ``width`` (pixels) and ``dpi``,
    any two of which set the third; with fewer, the size is 8 in, and the dpi 300 with a size
    (print's) or else 100 (a screen's).

    Raises :class:`~weaponsref.errors.ArgumentValueError` when all three are given,
    :class:`~weaponsref.errors.LimitError` past a limit (a PNG's width in pixels only for a
    PNG), :class:`~weaponsref.errors.UnitError` for a size that is not a length, and
    :class:`~weaponsref.errors.ArgumentError` for an argument of the wrong type.
    """
    if width is not None and (
        isinstance(width, bool)
        or not isinstance(width, int)
        or not MIN_PIXELS <= width <= MAX_WIDTH
    ):
        raise LimitError(
            f"width must be a whole number of pixels from {MIN_PIXELS} to {MAX_WIDTH} "
            f"(got {width!r:.40})"
        )
    asked_dpi = None if dpi is None else _number(dpi, "dpi")
    if asked_dpi is not None and not 10 <= asked_dpi <= 1200:
        raise LimitError(f"dpi must be a number from 10 to 1200 (got {dpi!r:.40})")
    if size is not None and width is not None and dpi is not None:
        raise ArgumentValueError(
            "give at most two of size, width and dpi: any two set the third "
            f"(got size={size!r:.30}, width={width!r}, dpi={dpi!r})"
        )
    height_in: float | None = None
    pixels = width if isinstance(width, int) else None
    if size is not None:
        width_in, height_in = _inches(size)
        if pixels is not None:
            resolution = pixels / width_in
            if not 10 <= resolution <= 1200:
                raise LimitError(
                    f"{pixels:,} px over {width_in:.3g} in is {resolution:,.0f} dpi; the dpi must "
                    "be from 10 to 1200: give a width in pixels nearer the size"
                )
        else:
            resolution = PRINT_DPI if asked_dpi is None else asked_dpi
            pixels = round(width_in * resolution)
    else:
        resolution = DEFAULT_DPI if asked_dpi is None else asked_dpi
        if pixels is None:
            pixels = round(DEFAULT_WIDTH_IN * resolution)
            width_in = DEFAULT_WIDTH_IN
        else:
            width_in = pixels / resolution
    if not MIN_WIDTH_IN <= width_in <= MAX_WIDTH_IN:
        raise LimitError(
            f"a map must be {MIN_WIDTH_IN} to {MAX_WIDTH_IN:g} inches wide (got "
            f"{width_in:.3g} in); at {resolution:g} dpi that is "
            f"{math.ceil(MIN_WIDTH_IN * resolution):,} to {math.floor(MAX_WIDTH_IN * resolution):,} px"
        )
    if png and not MIN_PIXELS <= pixels <= MAX_WIDTH:
        raise LimitError(
            f"a PNG {width_in:.3g} in wide at {resolution:g} dpi would be {pixels:,} px wide; a "
            f"PNG is {MIN_PIXELS} to {MAX_WIDTH:,} px wide: give another dpi, or write an SVG or "
            "PDF"
        )
    return _Page(width_in, height_in, resolution, pixels)
