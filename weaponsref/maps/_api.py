"""``range_map``: its arguments checked, the map drawn (see :mod:`weaponsref.maps._draw`),
saved in one of :data:`FORMATS` and written."""

from __future__ import annotations

import contextlib
import datetime
import io
import itertools
import os
import warnings
from collections.abc import Iterable, Iterator
from pathlib import Path as _FilePath
from typing import TYPE_CHECKING, Any

import matplotlib
from matplotlib.figure import Figure

from weaponsref._files import write_atomically
from weaponsref.errors import ArgumentError, FormatError, LimitError
from weaponsref.maps._draw import _draw
from weaponsref.maps._origins import OriginLike, _location, _origins
from weaponsref.maps._rings import MAX_RINGS, RingLike, _coloured, _rings_of
from weaponsref.maps._size import SizeLike, _page

if TYPE_CHECKING:
    from weaponsref.gazetteer import LocationLike

#: The output formats :func:`range_map` writes.
FORMATS: tuple[str, ...] = ("png", "svg", "pdf")

#: The most marks one map takes.
MAX_MARKS = 100

# The rcParams in force while a map is drawn, on top of matplotlib's defaults, so that a
# user's matplotlibrc or style cannot change the picture and two renders are byte-identical.
_RC: Any = {
    "svg.hashsalt": "weaponsref-maps",
    "svg.fonttype": "none",  # text stays text in the SVG: searchable, editable, accessible
    "svg.id": "weaponsref-map",
    "font.family": "DejaVu Sans",  # ships with matplotlib, so every machine draws the same PNG
    "path.simplify": True,
    "path.simplify_threshold": 0.1,
}
# The rcParams that are no part of a drawing's style (the backend, the windows, the epoch of
# dates): matplotlib's own list (matplotlib.style's _STYLE_BLACKLIST), which its "default"
# style leaves as they are, and so does :func:`_drawing_rc`.
_NOT_STYLE = frozenset(
    {
        "interactive", "backend", "webagg.port", "webagg.address", "webagg.port_retries",
        "webagg.open_in_browser", "backend_fallback", "toolbar", "timezone",
        "figure.max_open_warning", "figure.raise_window", "savefig.directory",
        "tk.window_focus", "docstring.hardcopy", "date.epoch",
    }
)  # fmt: skip


@contextlib.contextmanager
def _drawing_rc() -> Iterator[None]:
    """matplotlib's default style with :data:`_RC` on top, for as long as a map is drawn or
    saved, and the caller's rcParams back afterwards: what ``matplotlib.style.context(
    "default")`` gives, without importing :mod:`matplotlib.style`, which reads every style
    file matplotlib ships when it is imported (a fortieth of a map's time)."""
    with matplotlib.rc_context():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", matplotlib.MatplotlibDeprecationWarning)
            defaults = {
                key: matplotlib.rcParamsDefault[key]
                for key in matplotlib.rcParamsDefault
                if key not in _NOT_STYLE
            }
        matplotlib.rcParams.update(defaults)
        matplotlib.rcParams.update(_RC)
        yield


def range_map(
    systems: Iterable[RingLike] | str,
    origin: OriginLike,
    *,
    marks: Iterable[LocationLike | tuple[str, LocationLike]] = (),
    path: str | os.PathLike[str] | None = None,
    fmt: str | None = None,
    size: SizeLike | None = None,
    width: int | None = None,
    dpi: float | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    variant: str | None = None,
    source: str | None = None,
    places: bool = True,
    made: datetime.date | None = None,
) -> bytes:
    """Draw one ring per entry of ``systems`` around ``origin`` and return the image's bytes.

    ``systems`` holds, in any mix: a system's name or alias (``"Bober"``), a
    :class:`~weaponsref.System`, a :class:`~weaponsref.Claim`, a distance (``"500 km"``, a
    pint quantity), or a ``(label, any of those)`` tuple. A system is drawn at its preferred
    range claim, or ``variant``'s (``variant="ATACMS"`` for HIMARS), or ``source``'s (a
    source id); see :func:`weaponsref.reach.range_claim`. A band is drawn at its upper end.
    The legend gives each ring's system, claim as published, km, source and date.

    Each of ``marks``, and ``origin`` when it is one point, is anything
    :func:`weaponsref.gazetteer.as_location` takes, or a ``(label, any of those)`` pair such
    as ``("Kerch bridge", (45.3086, 36.5097))``; a place named by text keeps the user's
    spelling. ``origin`` may also be an **area** (:class:`~weaponsref.Area`, or a GeoJSON
    polygon), a **list** of points and areas (up to :data:`MAX_ORIGINS`; the nearest counts)
    or a :class:`~weaponsref.reach.Origin`.

    Each mark is drawn with its name and its geodesic distance from the origin (from the
    nearest launch point, or the area); a place within at least one ring is a filled dot, one
    beyond every ring a hollow grey dot, as :func:`weaponsref.reaches` says. With ``places``
    the national capitals in view (squares, bold), the largest cities and every country with
    room are named too. Each ring is named on its ring, which is cut under its name (rings of
    one length once, named together); no label overlaps another or crosses another ring.
    Text is drawn as written (a ``$`` is a dollar sign). The title defaults to "Published
    ranges from <origin>"; ``title=""`` leaves it out. Projection, colours and credits: see
    the package's description.

    ``fmt`` is ``"png"``, ``"svg"`` or ``"pdf"``, by default ``path``'s suffix, else PNG. An
    SVG or PDF keeps its text as text and is byte-for-byte the same on every run with the
    same ``made`` (today by default). **Size:** ``size`` is a physical width, a name from
    :data:`SIZES` (``"2col"``, two broadsheet columns; ``"A4"``; ``"A4-landscape"``, text
    beside the map) or a length (``"90 mm"``, ``"3.5 in"``, a pint quantity); ``width`` a
    PNG's pixels (200 to 4,000); ``dpi`` its resolution (10 to 1,200). Any two set the third;
    with none, 8 in at 100 dpi (800 px); with a size alone, 300 dpi. The drawing is in
    points for the physical size: the dpi changes only the pixels, and a PDF or SVG is the
    physical size. No text is under :data:`MIN_FONT_PX` pixels at 100 dpi (7.9 pt).

    With ``path`` the image is also written there, atomically. Raises :class:`OSError` naming
    an unwritable path, :class:`~weaponsref.errors.FormatError` for an unknown format,
    :class:`~weaponsref.errors.LimitError` past a limit (size, width, dpi, rings, marks,
    origins, a reach too large for one map), :class:`~weaponsref.errors.ArgumentValueError`
    for all of size, width and dpi, :class:`~weaponsref.errors.UnitError` for a size that is
    not a length, :class:`~weaponsref.errors.ArgumentError` for a wrong type, what
    :func:`weaponsref.reach.origin` raises for a bad place or area, and
    :class:`~weaponsref.errors.DataFileError` for a missing or broken basemap.

    >>> png = range_map(["500 km"], (50.45, 30.52), width=400)
    >>> png[:4], int.from_bytes(png[16:20], "big")
    (b'\\x89PNG', 400)
    >>> svg = range_map(["HIMARS"], "Zaporizhzhia", variant="GMLRS", fmt="svg")
    >>> b"HIMARS (GMLRS)" in svg, b"Dnipro" in svg, b"Zaporizhzhia" in svg
    (True, True, True)
    """
    kind = _format(path, fmt)
    page = _page(size, width, dpi, png=kind == "png")
    figure = _figure(
        systems, origin, marks=marks, size=size, width=width, dpi=dpi, png=kind == "png",
        title=title, subtitle=subtitle, variant=variant, source=source, places=places,
        made=made,
    )  # fmt: skip
    data = _save(figure, kind, page.dpi)
    if path is not None:
        _write(path, data)
    return data


def _save(figure: Figure, kind: str, dpi: float) -> bytes:
    """The figure as an image of ``kind`` at ``dpi``, with no date in it, so that two renders
    are byte-identical (the date the map was made is in its credits; PNGs carry none)."""
    with _drawing_rc():
        buffer = io.BytesIO()
        metadata: dict[str, Any] | None = None
        options: dict[str, Any] = {}
        if kind == "svg":
            metadata = {"Date": None}
        elif kind == "pdf":
            metadata = {"CreationDate": None, "ModDate": None}
        else:
            # zlib's level 3 rather than its default 6: the same pixels, a file of about the
            # same size (within 1 % either way on the maps tried), written in two thirds of
            # the time.
            options["pil_kwargs"] = {"compress_level": 3}
        figure.savefig(buffer, format=kind, metadata=metadata, dpi=dpi, **options)
    return buffer.getvalue()


def _listed(values: object, what: str, noun: str, most: int) -> list[Any]:
    """``values`` as a list, if it is an iterable (not a str or bytes) of at most ``most``."""
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        raise ArgumentError(
            f"{what} must be a list (got {values!r:.40} that is a {type(values).__name__})"
        )
    found = list(itertools.islice(values, most + 1))
    if len(found) > most:
        raise LimitError(f"a map holds at most {most} {noun} (got more than {most})")
    return found


def _check_text(value: object, what: str) -> str | None:
    if value is None or isinstance(value, str):
        if isinstance(value, str) and len(value) > 300:
            raise LimitError(f"{what} must be at most 300 characters (got {len(value):,})")
        return value
    raise ArgumentError(
        f"{what} must be a str or None (got {value!r:.40} that is a {type(value).__name__})"
    )


def _figure(
    systems: Iterable[RingLike] | str,
    origin: OriginLike,
    *,
    marks: Iterable[LocationLike | tuple[str, LocationLike]] = (),
    size: SizeLike | None = None,
    width: int | None = None,
    dpi: float | None = None,
    png: bool = True,
    title: str | None = None,
    subtitle: str | None = None,
    variant: str | None = None,
    source: str | None = None,
    places: bool = True,
    made: datetime.date | None = None,
) -> Figure:
    """The map's figure, drawn but not saved: what :func:`range_map` saves (at the page's
    dpi; the figure itself is at the reference dpi)."""
    page = _page(size, width, dpi, png=png)
    if made is None:
        made = datetime.date.today()
    elif not isinstance(made, datetime.date):
        raise ArgumentError(
            f"made must be a datetime.date or None (got {made!r:.40} that is a "
            f"{type(made).__name__})"
        )
    if not isinstance(places, bool):
        raise ArgumentError(f"places must be True or False (got {places!r:.40})")
    title = _check_text(title, "title")
    subtitle = _check_text(subtitle, "subtitle") or ""
    if isinstance(systems, str):
        systems = [systems]  # one name, not a list of its letters
    # A launcher has no range of its own: one ring per munition it fires.
    listed = _listed(systems, "systems", "rings", MAX_RINGS)
    rings = _coloured([ring for entry in listed for ring in _rings_of(entry, variant, source)])
    if len(rings) > MAX_RINGS:
        raise LimitError(
            f"a map holds at most {MAX_RINGS} rings, and these systems give {len(rings)} "
            "(a launcher gives one per munition it fires); draw fewer at once"
        )
    origins = _origins(origin)
    named = [_location(mark) for mark in _listed(marks, "marks", "marks", MAX_MARKS)]
    if title is None:
        title = f"Published ranges from {origins.label}"
    with _drawing_rc():
        return _draw(
            rings, origins, named, page=page, png=png, title=title, subtitle=subtitle,
            places=places, made=made,
        )  # fmt: skip


# --------------------------------------------------------------------------------------------
# Output format and files.


def _format(path: str | os.PathLike[str] | None, fmt: str | None) -> str:
    if path is not None and not isinstance(path, str | os.PathLike):
        raise ArgumentError(
            f"path must be a file name or a path, or None (got {path!r:.40} that is a "
            f"{type(path).__name__})"
        )
    if fmt is None:
        if path is None:
            return "png"
        suffix = _FilePath(os.fspath(path)).suffix.lower().lstrip(".")
        if not suffix:
            raise FormatError(
                f"cannot tell the map format from {os.fspath(path)!r}, which has no suffix; "
                f"pass fmt= one of {', '.join(map(repr, FORMATS))}"
            )
        fmt = suffix
    if not isinstance(fmt, str) or fmt.lower() not in FORMATS:
        raise FormatError(
            f"unknown map format {fmt!r:.40}; the formats are {', '.join(map(repr, FORMATS))}"
        )
    if path is not None:
        suffix = _FilePath(os.fspath(path)).suffix.lower().lstrip(".")
        if suffix in FORMATS and suffix != fmt.lower():
            raise FormatError(
                f"fmt={fmt!r} does not match the file name {os.fspath(path)!r:.60}; "
                f"name the file .{fmt.lower()} or pass fmt={suffix!r}"
            )
    return fmt.lower()


def _write(path: str | os.PathLike[str], data: bytes) -> None:
    """Write the map atomically (see :func:`weaponsref._files.write_atomically`), naming it in
    any error."""
    try:
        write_atomically(path, data)
    except OSError as error:
        # OSError(errno, ...) builds the matching subclass (FileNotFoundError, ...).
        message = f"cannot write the map: {error.strerror}"
        raise OSError(error.errno, message, os.fspath(path)) from error
