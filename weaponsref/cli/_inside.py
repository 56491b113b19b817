"""``weaponsref inside``: the gazetteer's places within a system's range, nearest first."""

from __future__ import annotations

import argparse

from weaponsref.cli._origins import origin_of
from weaponsref.cli._output import human, print_rows

__all__ = ["run"]


def run(args: argparse.Namespace) -> None:
    """Print the places within range (at most --limit of them) and, under a table, how many
    there are in all."""
    import weaponsref as wr

    found = wr.places_within(
        args.what,
        origin_of(args),
        min_population=args.min_population,
        variant=args.variant,
        source=args.source,
    )
    rows = found.rows()[: args.limit]
    if print_rows(rows, args.format):
        return
    from weaponsref.tables import render

    table = [
        [r["name"], r["country"], f"{r['distance_km']:,.1f} km", f"{r['population']:,}"]
        for r in rows
    ]
    print(render(table, ["Place", "Country", "Distance", "Population"], args.format))
    if human(args.format):
        shown = "" if len(rows) == len(found) else f" (the first {len(rows):,} shown)"
        print(f"\n{found}{shown}.")
