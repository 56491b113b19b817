"""``weaponsref show``: every claim about one system, with its source and phrase."""

from __future__ import annotations

import argparse
from typing import Any

from weaponsref.cli._list import system_summary
from weaponsref.cli._output import DELIMITED, print_delimited, print_json

__all__ = ["run", "system_json"]


def system_json(system: Any, unit: str | None) -> dict[str, Any]:
    """A system with its events and claims (``show --format json``)."""
    from weaponsref.tables import claim_rows, event_rows

    summary = system_summary(system)
    return {
        **{
            key: summary[key]
            for key in ("system", "system_name", "aliases", "category", "origin", "maker")
        },
        "operators": list(system.operators),
        "launches": list(system.launches),
        "wikidata": system.wikidata,
        "description": system.description,
        "note": system.note,
        "conflicts": list(system.conflicts),
        "events": event_rows(system),
        "claims": claim_rows(system, unit),
    }


def _facts(system: Any) -> list[tuple[str, str]]:
    """The lines above the claims table: name, aliases, category, ..."""
    import weaponsref as wr

    facts = [
        ("Name", system.name),
        ("Also called", ", ".join(system.aliases) or "-"),
        ("Category", system.category),
        ("Maker", system.maker or "not reported"),
        ("Origin", system.origin),
        ("Operators", ", ".join(system.operators) or "not reported"),
        ("Launches", ", ".join(wr.lookup(m).name for m in system.launches) or "-"),
        ("Wikidata", system.wikidata or "-"),
        ("About", system.description),
    ]
    if system.note:
        facts.append(("Note", system.note))
    facts += [("Conflict", conflict) for conflict in system.conflicts]
    facts += [("Event", str(event)) for event in system.events]
    return facts


def run(args: argparse.Namespace) -> None:
    """Print one system: its facts and a table of its claims, or JSON, CSV or TSV."""
    import weaponsref as wr
    from weaponsref.tables import claim_rows, claims_table

    system = wr.lookup(args.name)
    if args.format == "json":
        print_json(system_json(system, args.unit))
        return
    if args.format in DELIMITED:
        print_delimited(claim_rows(system, args.unit), args.format)
        return
    facts = _facts(system)
    width = max(len(key) for key, _ in facts)
    for key, value in facts:
        print(f"{key:<{width}}  {value}")
    print()
    print(claims_table(system, unit=args.unit, fmt=args.format))
