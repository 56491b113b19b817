"""The ``weaponsref`` command line.

Every subcommand prints a table (any tabulate format) or JSON with stable keys. Errors print a
short message on stderr, never a traceback, and exit with status 2.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from . import __version__
from ._text import shorten as _shorten
from .errors import WeaponsrefError
from .gazetteer import Place
from .geodesy import MAX_RING_POINTS

__all__ = ["main"]

_EXIT_ERROR = 2
_HUMAN = {"simple", "plain", "github", "pipe", "psql", "rst", "pretty", "presto", "orgtbl"}


class _Parser(argparse.ArgumentParser):
    """argparse, with a one-line error instead of the usage block."""

    def error(self, message: str) -> NoReturn:
        self.exit(
            _EXIT_ERROR, f"{self.prog}: error: {_short(message)}\nTry '{self.prog} --help'.\n"
        )


def _format_arg(value: str) -> str:
    from .tables import check_format

    try:
        return check_format(value, extra=("json",))
    except WeaponsrefError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _unit_arg(value: str) -> str:
    from ._units import length_unit

    try:
        length_unit(value)
    except WeaponsrefError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    return value


def _bounded(low: int, high: int) -> Callable[[str], int]:
    """An argparse type: a whole number from ``low`` to ``high``, or a one-line error."""

    def convert(value: str) -> int:
        text = value.strip()
        if not (text.isascii() and text.lstrip("-").isdigit()) or len(text) > 12:
            raise argparse.ArgumentTypeError(f"{_shorten(repr(value), 40)} is not a whole number")
        number = int(text)
        if not low <= number <= high:
            raise argparse.ArgumentTypeError(f"{number} is not from {low:,} to {high:,}")
        return number

    return convert


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def _human(fmt: str) -> bool:
    return fmt in _HUMAN or fmt.endswith(("grid", "outline"))


# --------------------------------------------------------------------------- subcommands


def _list(args: argparse.Namespace) -> None:
    import weaponsref as wr

    if args.format != "json":
        print(wr.table(unit=args.unit, fmt=args.format))
        return
    _print_json([_system_summary(system) for system in wr.systems()])


def _system_summary(system: Any) -> dict[str, Any]:
    """A system and its preferred range, with stable keys (``list --format json``)."""
    claim = system.claim("range")
    return {
        "id": system.id,
        "system": system.name,
        "aliases": list(system.aliases),
        "category": system.category,
        "origin": system.origin,
        "maker": system.maker,
        "range": claim.describe(),
        "range_km": round(claim.metres / 1000, 3),
        "source": claim.dated_source,
        "url": claim.source.url,
        "quote": claim.quote,
    }


def _system_json(system: Any, unit: str | None) -> dict[str, Any]:
    from .tables import claim_rows

    summary = _system_summary(system)
    return {
        **{key: summary[key] for key in ("id", "system", "aliases", "category", "origin", "maker")},
        "operators": list(system.operators),
        "launches": list(system.launches),
        "wikidata": system.wikidata,
        "description": system.description,
        "note": system.note,
        "conflicts": list(system.conflicts),
        "events": [
            {
                "kind": event.kind,
                "when": event.when,
                "summary": event.summary,
                "operator": event.operator,
                "place": event.place,
                "source": event.source.cited_as,
                "source_id": event.source.id,
                "url": event.source.url,
                "quote": event.quote,
            }
            for event in system.events
        ],
        "claims": claim_rows(system, unit),
    }


def _show(args: argparse.Namespace) -> None:
    import weaponsref as wr

    from .tables import claims_table

    system = wr.lookup(args.name)
    if args.format == "json":
        _print_json(_system_json(system, args.unit))
        return
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
    for conflict in system.conflicts:
        facts.append(("Conflict", conflict))
    width = max(len(k) for k, _ in facts)
    for key, value in facts:
        print(f"{key:<{width}}  {value}")
    for event in system.events:
        print(f"{'Event':<{width}}  {event}")
    print()
    print(claims_table(system, unit=args.unit, fmt=args.format))


def _compare(args: argparse.Namespace) -> None:
    import weaponsref as wr

    from .tables import claim_rows, render

    systems = [wr.lookup(name) for name in args.names]
    if args.format == "json":
        _print_json([row for system in systems for row in claim_rows(system, args.unit)])
        return
    groups: dict[tuple[str, str], dict[str, list[str]]] = {}
    for system in systems:
        for claim in system.claims:
            key = (claim.figure, claim.variant or "")
            text = claim.describe()
            converted = args.unit is not None and claim.figure in ("range", "radius_of_action")
            if converted and claim.value_text(args.unit) != claim.value_text():
                text += f" = {claim.value_text(args.unit)}"
            text += f" ({claim.dated_source})"
            if claim.preferred:
                text += " *"
            groups.setdefault(key, {}).setdefault(system.name, []).append(text)
    rows = [
        [figure, variant, *("\n".join(cell.get(s.name, ["-"])) for s in systems)]
        for (figure, variant), cell in groups.items()
    ]
    print(render(rows, ["Figure", "Variant", *(s.name for s in systems)], args.format))
    if _human(args.format):
        print("* preferred claim")


def _reach(args: argparse.Namespace) -> None:
    import weaponsref as wr

    from .geodesy import EARTH_MODEL
    from .tables import reach_rows, reach_table_text

    rows = wr.reach_table(
        args.origin, args.target, systems=args.system or None, all_claims=args.all_claims
    )
    if args.format == "json":
        _print_json(reach_rows(rows, args.unit))
        return
    print(reach_table_text(rows, unit=args.unit, fmt=args.format))
    if _human(args.format) and rows:
        first = rows[0]
        print(f"\nFrom {_where(first.origin)} to {_where(first.target)}.")
        print(f"Distance: {EARTH_MODEL}.")


def _where(location: Any) -> str:
    """A place as 'Moscow, US (46.7324, -117.0002)'; a bare point as its coordinates."""
    coords = f"{location.lat:.4f}, {location.lon:.4f}"
    if isinstance(location, Place):
        return f"{location.name}, {location.country} ({coords})"
    return coords


def _ring(args: argparse.Namespace) -> None:
    import weaponsref as wr

    feature = wr.range_ring(args.what, args.origin, points=args.points, variant=args.variant)
    print(json.dumps(feature, ensure_ascii=False, indent=args.indent))


def _map(args: argparse.Namespace) -> None:
    from . import maps

    data = maps.range_map(
        args.names,
        args.origin,
        marks=args.mark,
        path=args.output,
        width=args.width,
    )
    print(f"wrote {args.output} ({len(data):,} bytes)", file=sys.stderr)


def _places(args: argparse.Namespace) -> None:
    from .gazetteer import search_places
    from .tables import render

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
    if args.format == "json":
        _print_json(rows)
        return
    if not rows:
        print(f"no place matches {args.query!r}", file=sys.stderr)
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


def _places_import(args: argparse.Namespace) -> None:
    from .gazetteer import import_geonames

    info = import_geonames(args.file)
    inside = f" ({info.member})" if info.member else ""
    rows = "row" if info.skipped == 1 else "rows"
    print(f"imported {info.rows:,} places from {info.source}{inside} into {info.path}")
    if info.skipped:
        print(f"skipped {info.skipped:,} {rows}: not populated places, or without a country")
    print(f"place data: {info.licence}")


# --------------------------------------------------------------------------- the parser


def _sub(
    subparsers: Any,
    name: str,
    summary: str,
    example: str,
    run: Callable[[argparse.Namespace], None],
) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        name,
        help=summary,
        description=summary,
        epilog=f"example:\n  {example}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.set_defaults(run=run)
    return parser


def _add_format(parser: argparse.ArgumentParser, *, unit: bool = True) -> None:
    parser.add_argument(
        "--format",
        "-f",
        default="simple",
        type=_format_arg,
        metavar="F",
        help="any tabulate format (simple, github, grid, csv is 'tsv'...) or json (default: simple)",
    )
    if unit:
        parser.add_argument(
            "--unit",
            "-u",
            default=None,
            type=_unit_arg,
            metavar="U",
            help="also show lengths in this unit: km, mi, nmi, m",
        )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``weaponsref`` command."""
    parser = _Parser(
        prog="weaponsref",
        description="Weapon systems' published ranges, their sources, and what they cover "
        "on the WGS84 ellipsoid.",
        epilog="example:\n  weaponsref reach --from Kyiv --to Moscow",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"weaponsref {__version__}")
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND", parser_class=_Parser)
    subparsers.required = True

    listing = _sub(
        subparsers,
        "list",
        "list every system with its preferred range",
        "weaponsref list --unit km",
        _list,
    )
    _add_format(listing)

    show = _sub(
        subparsers,
        "show",
        "every claim about one system, with its source and phrase",
        "weaponsref show bober --format json",
        _show,
    )
    show.add_argument("name", help="a system's name or alias, e.g. Bober, Beaver, M142")
    _add_format(show)

    compare = _sub(
        subparsers,
        "compare",
        "compare systems side by side, every claim",
        "weaponsref compare bober uj-22 --unit km",
        _compare,
    )
    compare.add_argument("names", nargs="+", metavar="NAME", help="two or more systems")
    _add_format(compare)

    place_help = "a place name ('Kyiv', 'Moscow, US') or 'lat,lon' in degrees ('50.45,30.5233')"
    reach = _sub(
        subparsers,
        "reach",
        "whether each system's range covers the distance between two places",
        "weaponsref reach --from Kyiv --to Moscow --system Bober --all-claims",
        _reach,
    )
    reach.add_argument("--from", dest="origin", required=True, metavar="PLACE", help=place_help)
    reach.add_argument("--to", dest="target", required=True, metavar="PLACE", help=place_help)
    reach.add_argument(
        "--system",
        "-s",
        action="append",
        metavar="NAME",
        help="only this system (repeat for more); default: every system",
    )
    reach.add_argument(
        "--all-claims",
        action="store_true",
        help="one row per published range claim, not just the preferred one",
    )
    _add_format(reach)

    ring = _sub(
        subparsers,
        "ring",
        "a range ring as a GeoJSON Feature on stdout",
        "weaponsref ring bober --from Kyiv > bober.geojson",
        _ring,
    )
    ring.add_argument(
        "what", metavar="NAME|DISTANCE", help="a system name or a distance such as '500 km'"
    )
    ring.add_argument("--from", dest="origin", required=True, metavar="PLACE", help=place_help)
    ring.add_argument(
        "--points",
        type=_bounded(3, MAX_RING_POINTS),
        default=360,
        metavar="N",
        help="number of vertices (default: 360)",
    )
    ring.add_argument("--variant", default=None, help="a munition or version, e.g. ATACMS")
    ring.add_argument(
        "--indent",
        type=_bounded(0, 16),
        default=None,
        metavar="N",
        help="indent the JSON by N spaces, 0 to 16",
    )

    drawn = _sub(
        subparsers,
        "map",
        "draw range rings on an offline map (SVG or PNG)",
        "weaponsref map bober uj-22 --from Kyiv --mark Moscow -o rings.svg",
        _map,
    )
    drawn.add_argument(
        "names", nargs="+", metavar="NAME", help="systems or distances such as '500 km'"
    )
    drawn.add_argument("--from", dest="origin", required=True, metavar="PLACE", help=place_help)
    drawn.add_argument(
        "--mark",
        action="append",
        default=[],
        metavar="PLACE",
        help="mark a place with its distance (repeat for more)",
    )
    drawn.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="FILE",
        help="the picture to write: FILE.svg or FILE.png",
    )
    drawn.add_argument(
        "--width",
        type=_bounded(200, 4000),
        default=800,
        metavar="PX",
        help="width in pixels, 200 to 4000 (default: 800)",
    )

    found = _sub(
        subparsers,
        "places",
        "search the gazetteer, or import a bigger GeoNames file into it",
        "weaponsref places kharkov\n  weaponsref places import cities500.zip   "
        "# see 'weaponsref places import --help'\n  weaponsref places -- import   "
        "# search for a place called 'import'",
        _places,
    )
    found.add_argument("query", help="a place name, any case or accents, old spellings too")
    found.add_argument(
        "--limit",
        type=_bounded(0, 100_000),
        default=10,
        metavar="N",
        help="at most N places (default: 10)",
    )
    _add_format(found, unit=False)
    return parser


def _import_parser() -> argparse.ArgumentParser:
    """The parser of ``weaponsref places import``; ``import`` is a reserved first word."""
    summary = (
        "import a GeoNames dump (https://download.geonames.org/export/dump/) into your own "
        "gazetteer, used with the built-in one; it replaces any earlier import"
    )
    parser = _Parser(
        prog="weaponsref places import",
        description=summary,
        epilog="example:\n  weaponsref places import cities500.zip",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "file", metavar="FILE", help="cities500.zip, cities1000.txt, UA.zip, allCountries.zip..."
    )
    parser.set_defaults(run=_places_import)
    return parser


def _short(message: str) -> str:
    """One line of at most 300 characters: an error never repeats a long argument in full."""
    line = " ".join(message.split()) or "unknown error"
    line = "".join(c if c.isprintable() else "?" for c in line)
    return _shorten(line, 300)


def _quiet_broken_pipe() -> int:
    # The reader (`| head`) has gone: point stdout at /dev/null so that Python's own flush at
    # exit does not raise again, and end quietly as a well-behaved filter does.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (0, or 2 on an error)."""
    try:
        words = list(sys.argv[1:] if argv is None else argv)
        if words[:2] == ["places", "import"]:
            args = _import_parser().parse_args(words[2:])
        else:
            args = build_parser().parse_args(words)
        args.run(args)
        sys.stdout.flush()
    except BrokenPipeError:
        return _quiet_broken_pipe()
    except (WeaponsrefError, ValueError, LookupError, OSError) as error:
        print(f"weaponsref: error: {_short(str(error))}", file=sys.stderr)
        return _EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except RecursionError:
        print("weaponsref: error: the input nests too deeply", file=sys.stderr)
        return _EXIT_ERROR
    except Exception as error:  # never a traceback: one line, and the bug is named
        print(
            f"weaponsref: error: internal error {type(error).__name__}: {_short(str(error))}; "
            "please report it",
            file=sys.stderr,
        )
        return _EXIT_ERROR
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
