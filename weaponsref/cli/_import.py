"""``weaponsref places import``: a GeoNames dump imported into the user's own gazetteer."""

from __future__ import annotations

import argparse

__all__ = ["run"]


def run(args: argparse.Namespace) -> None:
    """Import the file and say how many places it gave, what was skipped, and the licence."""
    from weaponsref.gazetteer import import_geonames

    info = import_geonames(args.file)
    inside = f" ({info.member})" if info.member else ""
    rows = "row" if info.skipped == 1 else "rows"
    print(f"imported {info.rows:,} places from {info.source}{inside} into {info.path}")
    if info.skipped:
        print(f"skipped {info.skipped:,} {rows}: not populated places, or without a country")
    print(f"place data: {info.licence}")
