"""``weaponsref places``: search the gazetteer."""

from __future__ import annotations

import argparse
import sys
from typing import Final

from weaponsref.cli._common import cap
from weaponsref.cli._output import print_rows

__all__ = ["run"]

_PLACE_KEYS: Final = ("name", "country", "lat", "lon", "population", "source")


def run(args: argparse.Namespace) -> None:
    """Print the places that match the query, best first."""
    from weaponsref.gazetteer import search_places
    from weaponsref.tables import render

    found = search_places(args.query, limit=args.limit)
    rows = [
        {
            "name": p.name,
            "country": p.country,
            "lat": p.lat,
            "lon": p.lon,
            "population": p.population,
            "source": p.source,
        }
        for p in found
    ]
    if print_rows(rows, args.format, _PLACE_KEYS):
        return
    if not rows:
        print(f"no place matches {cap(repr(args.query))}", file=sys.stderr)
        return
    table = [
        [
            r["name"],
            r["country"],
            f"{r['lat']:.4f}",
            f"{r['lon']:.4f}",
            f"{r['population']:,}" if r["population"] else "",
            r["source"],
        ]
        for r in rows
    ]
    print(render(table, ["Place", "Country", "Lat", "Lon", "Population", "Source"], args.format))
