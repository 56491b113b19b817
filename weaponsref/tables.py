"""Tables of systems, claims and reach verdicts, through tabulate (imported on first use).

>>> import weaponsref as wr
>>> print(wr.table([wr.lookup("HIMARS")], figures=("range",), unit="mi", fmt="plain"))
System    Category                       Origin         Range            Range (mi)    Source
HIMARS    truck-mounted rocket launcher  United States  more than 43 mi  43 mi         theins.in, 2021-04-29
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Final

from weaponsref import _units
from weaponsref._fields import as_row
from weaponsref._text import spreadsheet_safe
from weaponsref.catalogue import current_catalogue
from weaponsref.errors import ArgumentError, ArgumentValueError, FormatError
from weaponsref.reach import Reach
from weaponsref.records import FIGURES, System

if TYPE_CHECKING:
    from weaponsref.catalogue import Catalogue

__all__ = [
    "check_format",
    "claim_rows",
    "claims_table",
    "event_rows",
    "reach_rows",
    "reach_table_text",
    "render",
    "systems_table",
    "table",
]


def table(
    systems: Iterable[System | str] | Iterable[Reach] | None = None,
    *,
    figures: Sequence[str] = ("range",),
    unit: str | None = None,
    fmt: str = "simple",
    catalogue: Catalogue | None = None,
) -> str:
    """Render systems (default: every system of the catalogue) or :class:`~weaponsref.Reach`
    verdicts as a table, through tabulate in any of its formats.

    For systems, each figure in ``figures`` shows its preferred claim (no variant), its
    value (converted to ``unit`` if given) and its source. Names are looked up in
    ``catalogue`` (default: the current one, see :func:`~weaponsref.use_catalogue`).

    >>> import weaponsref as wr
    >>> print(wr.table(["Bober", "UJ-22", "Storm Shadow", "HIMARS"], unit="km", fmt="github"))
    | System         | Category                        | Origin                    | Range            | Range (km)   | Source                |
    |----------------|---------------------------------|---------------------------|------------------|--------------|-----------------------|
    | Bober          | long-range one-way attack drone | Ukraine                   | 1,300 km         | 1,300 km     | MTV Uutiset, 2024-04  |
    | UJ-22 Airborne | unmanned aerial vehicle         | Ukraine                   | maximum 800 km   | 800 km       | infodron.es, undated  |
    | Storm Shadow   | air-launched cruise missile     | United Kingdom and France | more than 250 km | 250 km       | CNN, 2023-07-11       |
    | HIMARS         | truck-mounted rocket launcher   | United States             | more than 43 mi  | 69.2 km      | theins.in, 2021-04-29 |
    """
    owner = catalogue if catalogue is not None else current_catalogue()
    items = list(owner.systems() if systems is None else systems)
    if items and all(isinstance(item, Reach) for item in items):
        return reach_table_text(items, unit=unit, fmt=fmt)  # type: ignore[arg-type]
    resolved = [owner.lookup(item) for item in items]  # type: ignore[arg-type]
    return systems_table(resolved, figures=figures, unit=unit, fmt=fmt)


def check_format(fmt: object, *, extra: Sequence[str] = ()) -> str:
    """Check that ``fmt`` is a tabulate format (or one of ``extra``, such as ``"json"``)."""
    from tabulate import tabulate_formats

    if isinstance(fmt, str) and (fmt in tabulate_formats or fmt in extra):
        return fmt
    choices = ", ".join([*extra, *sorted(tabulate_formats)])
    raise FormatError(f"unknown table format {fmt!r}; choose one of {choices}")


def render(rows: Sequence[Sequence[Any]], headers: Sequence[str], fmt: str) -> str:
    """``rows`` under ``headers`` as a table in the tabulate format ``fmt``. In ``"tsv"``, the
    one a spreadsheet opens, tabs and line breaks inside a cell become spaces (TSV cannot
    hold them), a text cell that a spreadsheet would run as a formula is neutralised
    (:func:`~weaponsref._text.spreadsheet_safe`), as the CSV the command line and the export
    write are, and no cell is padded."""
    from tabulate import tabulate

    check_format(fmt)
    if fmt == "tsv":
        rows = [[_spreadsheet_cell(value) for value in row] for row in rows]
        headers = [_spreadsheet_cell(header) for header in headers]
        # Unpadded: a cell padded with spaces is no longer the plain number or text it was
        # ("+0" would become "+0   ", which a spreadsheet runs).
        return tabulate(
            rows, headers=list(headers), tablefmt=fmt, disable_numparse=True,
            stralign=None, numalign=None,
        )  # fmt: skip
    return tabulate(rows, headers=list(headers), tablefmt=fmt, disable_numparse=True)


def _spreadsheet_cell(value: Any) -> Any:
    """A TSV cell: tabs and line breaks (which TSV cannot hold) as spaces, no space at either
    end (tabulate strips them), and text a spreadsheet would run as a formula neutralised."""
    if not isinstance(value, str):
        return value
    return spreadsheet_safe(value.translate(_TSV_BREAKS).strip())


#: What a tabulate TSV cell cannot hold: each becomes a space.
_TSV_BREAKS: Final = str.maketrans(dict.fromkeys("\t\r\n\v\f\x1c\x1d\x1e\x85\u2028\u2029", " "))


def _checked(items: object, kind: type, what: str) -> list[Any]:
    """``items`` (one, or any iterable of them) as a list, each checked to be a ``kind``
    (a System, a Reach); raises :class:`~weaponsref.errors.ArgumentError` naming the first
    that is not."""
    many = isinstance(items, Iterable) and not isinstance(items, str | kind)
    found = list(items) if many else [items]  # type: ignore[call-overload]
    for item in found:
        if not isinstance(item, kind):
            raise ArgumentError(
                f"{what} must be a {kind.__name__} (got {item!r:.60} that is a "
                f"{type(item).__name__})"
            )
    return found


def _title(figure: str) -> str:
    return figure.replace("_", " ").capitalize()


def systems_table(
    systems: Sequence[System],
    *,
    figures: Sequence[str] = ("range",),
    unit: str | None = None,
    fmt: str = "simple",
) -> str:
    """One row per system: name, category, origin, and each figure's preferred claim as
    published (and in ``unit``, for length figures) with its source.

    Raises :class:`~weaponsref.errors.ArgumentValueError` for a figure not in
    :data:`~weaponsref.records.FIGURES` (:class:`~weaponsref.errors.ArgumentError` for one
    that is not a str), :class:`~weaponsref.errors.FormatError` for an unknown format, and
    :class:`~weaponsref.errors.UnitError` for a unit that is not a length.
    """
    check_format(fmt)
    systems = _checked(systems, System, "each system")
    if isinstance(figures, str):
        figures = (figures,)
    for figure in figures:
        if not isinstance(figure, str):
            raise ArgumentError(
                f"figures must be strs such as 'range' (got {figure!r:.40} that is a "
                f"{type(figure).__name__})"
            )
        if figure not in FIGURES:
            raise ArgumentValueError(
                f"unknown figure {figure!r:.40}; choose from {', '.join(FIGURES)}"
            )
    if unit is not None:
        _units.length_unit(unit)
    headers = ["System", "Category", "Origin"]
    for figure in figures:
        headers.append(_title(figure))
        if unit is not None and FIGURES[figure] == "[length]":
            headers.append(f"{_title(figure)} ({unit})")
        headers.append("Source" if len(figures) == 1 else f"{_title(figure)} source")
    rows = []
    for system in systems:
        row = [system.name, system.category, system.origin]
        for figure in figures:
            claims = system.claims_for(figure, None) or system.claims_for(figure)
            if not claims:
                row += ["", ""] + (
                    [""] if unit is not None and FIGURES[figure] == "[length]" else []
                )
                continue
            claim = system.claim(figure, claims[0].variant)
            row.append(claim.describe())
            if unit is not None and FIGURES[figure] == "[length]":
                row.append(claim.value_text(unit))
            row.append(claim.dated_source)
        rows.append(row)
    return render(rows, headers, fmt)


def claim_rows(system: System, unit: str | None = None) -> list[dict[str, Any]]:
    """Every claim of ``system`` as a row of the claims table (the keys of
    :data:`~weaponsref.catalogue.CLAIM_COLUMNS`: ``system`` is the system's id, ``source``
    the source's id), plus ``value_in_unit``: the figure converted to ``unit`` for a length
    figure, else None. For JSON and tables; raises :class:`~weaponsref.errors.UnitError` for
    a unit that is not a length.

    >>> import weaponsref as wr
    >>> row = claim_rows(wr.lookup("HIMARS"), "km")[0]
    >>> row["system"], row["text"], row["value_in_unit"], row["source"]
    ('himars', 'only 50 mi', '80.5 km', 'dailymail-2023-08-01')
    """
    _checked(system, System, "system")
    if unit is not None:
        _units.length_unit(unit)
    rows = []
    for claim in system.claims:
        row = as_row(claim, system)
        length = FIGURES[claim.figure] == "[length]"
        row["value_in_unit"] = claim.value_text(unit) if unit is not None and length else None
        rows.append(row)
    return rows


def event_rows(system: System) -> list[dict[str, Any]]:
    """Every event of ``system`` as a row of the events table: ``system`` (its id) and
    ``system_name``, then the event's columns, its source by id (``source``) and what is shown
    of the source (``source_cited_as``, ``source_kind``, ``source_published``,
    ``source_url``). For JSON and tables.

    >>> import weaponsref as wr
    >>> row = event_rows(wr.lookup("HIMARS"))[0]
    >>> row["system"], row["when"], row["source"] == wr.lookup("HIMARS").events[0].source.id
    ('himars', '2005', True)
    """
    _checked(system, System, "system")
    return [as_row(event, system) for event in system.events]


def claims_table(system: System, *, unit: str | None = None, fmt: str = "simple") -> str:
    """Every claim of ``system``: figure, variant, qualifier, value, source, date, address and
    the exact phrase."""
    _checked(system, System, "system")
    headers = ["Figure", "Variant", "Value"]
    if unit is not None:
        headers.append(f"In {unit}")
    headers += ["Preferred", "Source", "Kind", "Published", "Phrase", "Address"]
    rows = []
    for claim, data in zip(system.claims, claim_rows(system, unit), strict=True):
        row = [claim.figure, claim.variant or "", claim.describe()]
        if unit is not None:
            row.append(data["value_in_unit"] or "")
        row += [
            "yes" if claim.preferred else "",
            claim.source.cited_as,
            claim.source.kind,
            data["source_published"] or "undated",
            f'"{claim.quote}"',
            claim.source.url or "",
        ]
        rows.append(row)
    return render(rows, headers, fmt)


def reach_rows(reaches: Sequence[Reach], unit: str | None = None) -> list[dict[str, Any]]:
    """Reach verdicts as dicts with stable keys, each :meth:`Reach.row
    <weaponsref.reach.Reach.row>` (the system, its claim and source, the origin and target,
    what the origin was measured from, distance_km, range_km, margin_km, the minimum range
    applied and who says so, status, close, close_to, reaches, earth_model), and with
    ``unit`` also unit, distance, range and margin in it.

    ``status`` is "reaches", "does not reach" or "not established"; ``reaches`` is True only
    for "reaches"; ``close`` flags a verdict inside a figure's own rounding, and ``close_to``
    says which ("range" or "minimum range")."""
    reaches = _checked(reaches, Reach, "each verdict")
    if unit is not None:
        _units.length_unit(unit)
    rows = []
    for reach in reaches:
        row = reach.row()
        if unit is not None:
            row["unit"] = unit
            row["distance"] = round(float(reach.distance.to(unit).magnitude), 3)
            row["range"] = round(float(reach.range.to(unit).magnitude), 3)
            row["margin"] = round(float(reach.margin.to(unit).magnitude), 3)
        rows.append(row)
    return rows


def reach_table_text(
    reaches: Sequence[Reach], *, unit: str | None = None, fmt: str = "simple"
) -> str:
    """Reach verdicts as a table: system, claim, distance, range, margin, verdict, source.

    A close verdict (:attr:`~weaponsref.reach.Reach.close`) says so in its Status cell:
    "reaches (close)" within the range's own rounding, "reaches (close to its minimum range)"
    within a published minimum range's, whose margin the table does not show."""
    reaches = _checked(reaches, Reach, "each verdict")
    shown = unit or "km"
    _units.length_unit(shown)
    headers = ["System", "Claim", "Distance", "Range", "Margin", "Status", "Source"]
    rows = []
    for reach in reaches:
        claim = reach.claim
        variant = reach.variant or (claim.variant if claim is not None else None)
        label = reach.system_name + (f" ({variant})" if variant else "")
        rows.append(
            [
                label,
                claim.summary if claim is not None else reach.range_text,
                _units.format_quantity(reach.distance, shown),
                _units.format_quantity(reach.range, shown),
                _signed(reach.margin, shown),
                reach.status + _CLOSE.get(reach.close_to, ""),
                claim.said_by if claim is not None else "",
            ]
        )
    return render(rows, headers, fmt)


#: What the Status cell adds to a close verdict (see :attr:`Reach.close_to
#: <weaponsref.reach.Reach.close_to>`): close to the range, whose margin the row shows, or
#: to the published minimum range, whose margin it does not.
_CLOSE: Final = {"range": " (close)", "minimum range": " (close to its minimum range)"}


def _signed(quantity: Any, unit: str) -> str:
    text = _units.format_quantity(abs(quantity), unit)
    return text if quantity.magnitude >= 0 else f"-{text}"
