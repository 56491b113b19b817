"""Tables of systems, claims and reach verdicts, through tabulate (imported on first use).

>>> import weaponsref as wr
>>> print(wr.table([wr.lookup("HIMARS")], figures=("range",), unit="mi", fmt="plain"))
System    Category                       Origin         Range       Range (mi)    Source
HIMARS    truck-mounted rocket launcher  United States  only 50 mi  50 mi         Daily Mail, 2023-08-01
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from . import _units
from .catalogue import current_catalogue
from .errors import FormatError, RecordError
from .reach import Reach
from .records import FIGURES, System

if TYPE_CHECKING:
    from .catalogue import Catalogue

__all__ = [
    "check_format",
    "claim_rows",
    "claims_table",
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
    | System         | Category                        | Origin                    | Range            | Range (km)   | Source                 |
    |----------------|---------------------------------|---------------------------|------------------|--------------|------------------------|
    | Bober          | long-range one-way attack drone | Ukraine                   | up to 621 mi     | 999.4 km     | Daily Mail, 2023-08-01 |
    | UJ-22 Airborne | unmanned aerial vehicle         | Ukraine                   | maximum 800 km   | 800 km       | Pravda.ru, 2023-02-28  |
    | Storm Shadow   | air-launched cruise missile     | United Kingdom and France | more than 250 km | 250 km       | Forces News, undated   |
    | HIMARS         | truck-mounted rocket launcher   | United States             | only 50 mi       | 80.5 km      | Daily Mail, 2023-08-01 |
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
    from tabulate import tabulate

    check_format(fmt)
    return tabulate(rows, headers=list(headers), tablefmt=fmt, disable_numparse=True)


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
    published (and in ``unit``, for length figures) with its source."""
    check_format(fmt)
    if isinstance(figures, str):
        figures = (figures,)
    for figure in figures:
        if figure not in FIGURES:
            raise RecordError(
                f"unknown figure {figure!r}; choose from {', '.join(FIGURES)}", field="figure"
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
    """Every claim of ``system`` as a dict with stable keys (for JSON and tables)."""
    if unit is not None:
        _units.length_unit(unit)
    rows = []
    for claim in system.claims:
        length = FIGURES[claim.figure] == "[length]"
        rows.append(
            {
                "system": system.name,
                "figure": claim.figure,
                "variant": claim.variant,
                "qualifier": claim.qualifier,
                "value": claim.value_text(),
                "magnitude": _number(claim.value.magnitude),
                "unit": str(claim.value.units),
                "low": _number(claim.low.magnitude) if claim.low is not None else None,
                "value_in_unit": claim.value_text(unit) if unit is not None and length else None,
                "km": round(claim.metres / 1000, 3) if length else None,
                "preferred": claim.preferred,
                "quote": claim.quote,
                "source": claim.source.cited_as,
                "source_id": claim.source.id,
                "source_kind": claim.source.kind,
                "published": claim.source.published.isoformat() if claim.source.published else None,
                "url": claim.source.url,
                "note": claim.note,
            }
        )
    return rows


def _number(value: Any) -> int | float:
    return int(value) if float(value).is_integer() else float(value)


def claims_table(system: System, *, unit: str | None = None, fmt: str = "simple") -> str:
    """Every claim of ``system``: figure, variant, qualifier, value, source, date, address and
    the exact phrase."""
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
            data["published"] or "undated",
            f'"{claim.quote}"',
            claim.source.url or "",
        ]
        rows.append(row)
    return render(rows, headers, fmt)


def reach_rows(reaches: Sequence[Reach], unit: str | None = None) -> list[dict[str, Any]]:
    """Reach verdicts as dicts with stable keys: system, variant, claim, qualifier, source,
    source_id, url, quote, origin, target, distance_km, range_km, margin_km, status, close,
    reaches, earth_model (and distance, range and margin in ``unit`` when given).

    ``status`` is "reaches", "does not reach" or "not established"; ``reaches`` is True only
    for "reaches"; ``close`` flags a margin inside the figure's own rounding."""
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
    """Reach verdicts as a table: system, claim, distance, range, margin, verdict, source."""
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
                claim.describe() if claim is not None else reach.range_text,
                _units.format_quantity(reach.distance, shown),
                _units.format_quantity(reach.range, shown),
                _signed(reach.margin, shown),
                reach.status + (" (close)" if reach.close else ""),
                claim.dated_source if claim is not None else "",
            ]
        )
    return render(rows, headers, fmt)


def _signed(quantity: Any, unit: str) -> str:
    text = _units.format_quantity(abs(quantity), unit)
    return text if quantity.magnitude >= 0 else f"-{text}"
