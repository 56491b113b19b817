"""``weaponsref map``: range rings drawn on an offline map, written to a PNG, SVG or PDF."""

from __future__ import annotations

import argparse
import sys

from weaponsref.cli._origins import location, origin_of

__all__ = ["run"]


def run(args: argparse.Namespace) -> None:
    """Draw the map into --output and say how many bytes it took on stderr."""
    from weaponsref import maps

    data = maps.range_map(
        args.names,
        origin_of(args),
        marks=[location(mark, "--mark") for mark in args.mark],
        path=args.output,
        size=args.size,
        width=args.width,
        dpi=args.dpi,
        title=args.title,
        subtitle=args.subtitle,
        variant=args.variant,
        source=args.source,
    )
    print(f"wrote {args.output} ({len(data):,} bytes)", file=sys.stderr)
