"""``weaponsref places``: search the gazetteer."""

from __future__ import annotations

import argparse
import sys
from typing import Final

from weaponsref.cli._common import cap
from weaponsref.cli._output import human, print_rows

__all__ = ["run"]

_PLACE_KEYS: Final = (
    "name",
    "region",
    "country",
    "kind",
    "reference",
    "lat",
    "lon",
    "population",
    "population_source",
    "source",
)


def run(args: argparse.Namespace) -> None:
    """Print the places that match the query, best first, with their region, kind (a city,
    an airport, a section of a city) and how to name each alone; the populations say which
    dump they are from."""
    from weaponsref.gazetteer import search_places
    from weaponsref.tables import render

    found = search_places(args.query, limit=args.limit)
    rows = [
        {
            "name": p.name,
            "region": p.region,
            "country": p.country,
            "kind": p.kind,
            "reference": p.reference,
            "lat": p.lat,
            "lon": p.lon,
            "population": p.population,
            "population_source": p.population_source,
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
            r["region"] or "",
            r["country"],
            r["kind"] or "",
            r["reference"],
            f"{r['lat']:.4f}",
            f"{r['lon']:.4f}",
            f"{r['population']:,}" if r["population"] else "",
            r["source"],
        ]
        for r in rows
    ]
    header = ["Place", "Region", "Country", "Kind", "Name it", "Lat", "Lon", "Population", "Source"]
    print(render(table, header, args.format))
    dumps = sorted({str(r["population_source"]) for r in rows if r["population_source"]})
    if human(args.format) and dumps:
        print(f"\nPopulations: {'; '.join(dumps)}.")
