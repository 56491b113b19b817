"""HTML summaries of records, for notebooks' ``_repr_html_``.

Plain string templates: each takes the words and rows it shows as arguments, so that they
import nothing of weaponsref and a record can render itself through them without the two
importing each other.

>>> print(table(["System", "km"], [["Bober", "999.4 km"]]))
<table><thead><tr><th>System</th><th>km</th></tr></thead><tbody><tr><td>Bober</td><td>999.4 km</td></tr></tbody></table>
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

__all__ = ["catalogue_html", "system_html", "table"]


def _cell(value: object) -> str:
    return html.escape(str(value))


def table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """An HTML table of ``rows`` under ``headers``, every cell escaped."""
    head = "".join(f"<th>{_cell(header)}</th>" for header in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{_cell(value)}</td>" for value in row) + "</tr>" for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def system_html(
    name: str,
    category: str,
    origin: str,
    maker: str | None,
    claims: Iterable[Sequence[object]],
) -> str:
    """A system's summary: its name, category, origin and maker, then one row per claim
    (figure, claim, km, who says so and where, phrase, whether preferred)."""
    made_by = f", {_cell(maker)}" if maker else ""
    rows = table(["Figure", "Claim", "km", "According to", "Phrase", ""], claims)
    return (
        f"<div><strong>{_cell(name)}</strong>: {_cell(category)}, {_cell(origin)}{made_by}"
        f"{rows}</div>"
    )


def catalogue_html(systems: Iterable[Sequence[object]]) -> str:
    """A table of systems, one row each: name, category, origin, preferred range as
    published and in km, and its source."""
    return table(["System", "Category", "Origin", "Range", "km", "Source"], systems)
