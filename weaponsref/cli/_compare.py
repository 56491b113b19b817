"""``weaponsref compare``: systems side by side, every claim."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any

from weaponsref.cli._output import human, print_rows

__all__ = ["run"]


def _cell_text(claim: Any, unit: str | None) -> str:
    """A claim as a cell: 'up to 1,000 km = 621.4 mi (WP Tech, undated) *', the value in
    ``unit`` only for a range or radius of action that it changes, '*' for the preferred."""
    text: str = claim.describe()
    converted = unit is not None and claim.figure in ("range", "radius_of_action")
    if converted and claim.value_text(unit) != claim.value_text():
        text += f" = {claim.value_text(unit)}"
    text += f" ({claim.dated_source})"
    if claim.preferred:
        text += " *"
    return text


def _grouped(
    systems: Sequence[Any], unit: str | None
) -> dict[tuple[str, str], dict[str, list[str]]]:
    """The cells by (figure, variant), then by system name."""
    groups: dict[tuple[str, str], dict[str, list[str]]] = {}
    for system in systems:
        for claim in system.claims:
            key = (claim.figure, claim.variant or "")
            cells = groups.setdefault(key, {}).setdefault(system.name, [])
            cells.append(_cell_text(claim, unit))
    return groups


def run(args: argparse.Namespace) -> None:
    """Print a table of every figure and variant, a column a system; or every claim's row as
    JSON, CSV or TSV."""
    import weaponsref as wr
    from weaponsref.tables import claim_rows, render

    systems = [wr.lookup(name) for name in args.names]
    if print_rows(
        [row for system in systems for row in claim_rows(system, args.unit)], args.format
    ):
        return
    rows = [
        [figure, variant, *("\n".join(cell.get(s.name, ["-"])) for s in systems)]
        for (figure, variant), cell in _grouped(systems, args.unit).items()
    ]
    print(render(rows, ["Figure", "Variant", *(s.name for s in systems)], args.format))
    if human(args.format):
        print("* preferred claim")
