"""``weaponsref ring``: a range ring as a GeoJSON Feature or a KML document on stdout."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from weaponsref.cli._origins import origin_of

__all__ = ["run"]


def run(args: argparse.Namespace) -> None:
    """Print the ring of a system's range or a distance round the origin."""
    import weaponsref as wr

    options: dict[str, Any] = {"variant": args.variant, "source": args.source}
    if args.points is not None:
        options["points"] = args.points
    if args.tolerance is not None:
        options["tolerance"] = args.tolerance
    feature = wr.range_ring(args.what, origin_of(args), **options)
    if args.format == "kml":
        from weaponsref.export import ring_kml

        sys.stdout.write(ring_kml(feature))
        return
    print(json.dumps(feature, ensure_ascii=False, indent=args.indent))
