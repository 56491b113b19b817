"""HTML summaries of records, for notebooks' ``_repr_html_``.

These are plain string templates over the records, kept in the data layer so that a record
can render itself without importing anything above it.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .records import FIGURES

if TYPE_CHECKING:
    from .records import System

__all__ = ["catalogue_html", "system_html"]


def _cell(value: object) -> str:
    return html.escape(str(value))


def system_html(system: System) -> str:
    """An HTML summary of a system and its claims, for notebooks."""
    rows = "".join(
        "<tr>"
        + "".join(
            f"<td>{_cell(v)}</td>"
            for v in (
                claim.label,
                claim.describe(),
                claim.value_text("km") if FIGURES[claim.figure] == "[length]" else "",
                claim.dated_source,
                f"“{claim.quote}”",
                "preferred" if claim.preferred else "",
            )
        )
        + "</tr>"
        for claim in system.claims
    )
    maker = f", {_cell(system.maker)}" if system.maker else ""
    return (
        f"<div><strong>{_cell(system.name)}</strong>: {_cell(system.category)}, "
        f"{_cell(system.origin)}{maker}"
        "<table><thead><tr><th>Figure</th><th>Claim</th><th>km</th><th>Source</th>"
        f"<th>Phrase</th><th></th></tr></thead><tbody>{rows}</tbody></table></div>"
    )


def catalogue_html(systems: Sequence[System]) -> str:
    """An HTML table of systems and their preferred ranges, for notebooks."""
    rows = "".join(
        "<tr>"
        + "".join(
            f"<td>{_cell(v)}</td>"
            for v in (
                system.name,
                system.category,
                system.origin,
                system.claim("range").describe(),
                system.claim("range").value_text("km"),
                system.claim("range").dated_source,
            )
        )
        + "</tr>"
        for system in systems
    )
    return (
        "<table><thead><tr><th>System</th><th>Category</th><th>Origin</th><th>Range</th>"
        f"<th>km</th><th>Source</th></tr></thead><tbody>{rows}</tbody></table>"
    )
