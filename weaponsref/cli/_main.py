"""The ``weaponsref`` command line.

Every subcommand prints a table (any tabulate format), CSV or TSV (written by :mod:`csv`, one
row per line with the same cells as JSON), or JSON with stable keys. Errors print one line on
stderr, never a traceback, and exit with status 2; warnings print one line each. With
argcomplete installed (``pip install 'weaponsref[completion]'``), bash and zsh complete
commands, options, system names and place names.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import re
import sys
import warnings
from collections.abc import Callable, Iterator, Sequence
from typing import Any, NoReturn, TextIO

from weaponsref import __version__
from weaponsref._text import fold
from weaponsref._text import shorten as _shorten
from weaponsref._units import LENGTH_UNITS
from weaponsref.errors import UnknownPlaceError, WeaponsrefError, WeaponsrefWarning
from weaponsref.gazetteer import COORDINATE_FORMATS, Place, Point
from weaponsref.geo import MAX_RING_POINTS

__all__ = ["main"]

_EXIT_ERROR = 2
#: The environment variable naming a catalogue file, used when --catalogue is not given.
CATALOGUE_ENV = "WEAPONSREF_CATALOGUE"
#: Formats written by the csv module rather than tabulate.
_DELIMITED = {"csv": ",", "tsv": "\t"}
_HUMAN = {"simple", "plain", "github", "pipe", "psql", "rst", "pretty", "presto", "orgtbl"}


class _CommandLineError(WeaponsrefError, ValueError):
    """A mistake in the command line that the library did not see; main() prints it."""


class _Parser(argparse.ArgumentParser):
    """argparse, with a one-line error instead of the usage block."""

    def error(self, message: str) -> NoReturn:
        self.exit(
            _EXIT_ERROR, f"{self.prog}: error: {_short(message)}\nTry '{self.prog} --help'.\n"
        )


def _format_arg(value: str) -> str:
    from weaponsref.tables import check_format

    try:
        return check_format(value, extra=("json", *_DELIMITED))
    except WeaponsrefError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _length_arg(value: str) -> float:
    """An argparse type: a length such as '500 km', in metres."""
    from weaponsref._units import as_length

    try:
        return float(as_length(value, what="length").to("m").magnitude)
    except WeaponsrefError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _unit_arg(value: str) -> str:
    from weaponsref._units import length_unit

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


def _cell(value: Any) -> str:
    """A JSON value as one CSV cell: null is empty, booleans and numbers as JSON writes them,
    a list joined by '; '."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float):
        return json.dumps(value)
    if isinstance(value, list | tuple):
        return "; ".join(_cell(item) for item in value)
    return str(value)


def _print_delimited(
    rows: Sequence[dict[str, Any]], fmt: str, headers: Sequence[str] | None = None
) -> None:
    """Rows as CSV or TSV through the csv module: a header of the JSON keys, then one line
    per row with the same cells as JSON (see :func:`_cell`); nothing is padded."""
    keys = list(headers if headers is not None else (rows[0] if rows else ()))
    if not keys:
        return
    out: TextIO = sys.stdout
    writer = csv.writer(out, delimiter=_DELIMITED[fmt], lineterminator="\n")
    writer.writerow(keys)
    for row in rows:
        writer.writerow([_cell(row.get(key)) for key in keys])


def _print_rows(
    rows: Sequence[dict[str, Any]], fmt: str, headers: Sequence[str] | None = None
) -> bool:
    """Print ``rows`` as JSON, CSV or TSV and return True; False for a table format."""
    if fmt == "json":
        _print_json(list(rows))
        return True
    if fmt in _DELIMITED:
        _print_delimited(rows, fmt, headers)
        return True
    return False


def _location(text: str, option: str) -> Place | Point:
    """A place name or coordinates given to ``option``; an unknown name says how to give
    coordinates instead."""
    from weaponsref.gazetteer import as_location

    try:
        return as_location(text)
    except UnknownPlaceError as error:
        message = str(error)
        if not error.suggestions and message.endswith(error.hint):
            message = message[: -len(error.hint)]
        joint = " Or" if message.endswith("?") else "; or"
        raise _CommandLineError(
            f"{option}: {message}{joint} give coordinates: {COORDINATE_FORMATS}"
        ) from None


def _human(fmt: str) -> bool:
    return fmt in _HUMAN or fmt.endswith(("grid", "outline"))


# --------------------------------------------------------------------------- subcommands


_SUMMARY_KEYS = (
    "id",
    "system",
    "aliases",
    "category",
    "origin",
    "maker",
    "range",
    "range_km",
    "source",
    "url",
    "quote",
)


def _parts(text: str) -> set[str]:
    """The folded whole of ``text`` and of each part of it joined by 'and', ',' or '/'."""
    pieces = re.split(r",|/|\band\b", text)
    return {fold(text), *(fold(piece) for piece in pieces)} - {""}


def _range_metres(system: Any) -> float | None:
    """The system's preferred range claim in metres; None if it has none."""
    try:
        return float(system.claim("range").metres)
    except (WeaponsrefError, LookupError, ValueError):
        return None


def _filtered(systems: Sequence[Any], args: argparse.Namespace) -> list[Any]:
    """The systems that pass list's filters: origin and operator by whole folded name (or a
    part of an origin such as 'United Kingdom and France'), category by folded substring,
    and the preferred range claim between --min-range and --max-range."""
    kept = []
    for system in systems:
        if args.origin_filter is not None and fold(args.origin_filter) not in _parts(system.origin):
            continue
        if args.operator is not None and fold(args.operator) not in {
            fold(name) for name in system.operators
        }:
            continue
        if args.category is not None and fold(args.category) not in fold(system.category):
            continue
        if args.min_range is not None or args.max_range is not None:
            metres = _range_metres(system)
            if metres is None:
                continue
            if args.min_range is not None and metres < args.min_range:
                continue
            if args.max_range is not None and metres > args.max_range:
                continue
        kept.append(system)
    return kept


def _list(args: argparse.Namespace) -> None:
    import weaponsref as wr

    chosen = _filtered(wr.systems(), args)
    if _print_rows([_system_summary(system) for system in chosen], args.format, _SUMMARY_KEYS):
        return
    if not chosen:
        print("no system matches these filters; run 'weaponsref list' to see all", file=sys.stderr)
        return
    print(wr.table(chosen, unit=args.unit, fmt=args.format))


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
    from weaponsref.tables import claim_rows

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
    from weaponsref.tables import claim_rows, claims_table

    system = wr.lookup(args.name)
    if args.format == "json":
        _print_json(_system_json(system, args.unit))
        return
    if args.format in _DELIMITED:
        _print_delimited(claim_rows(system, args.unit), args.format)
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
    from weaponsref.tables import claim_rows, render

    systems = [wr.lookup(name) for name in args.names]
    if _print_rows(
        [row for system in systems for row in claim_rows(system, args.unit)], args.format
    ):
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


def _reach_verdicts(args: argparse.Namespace) -> tuple[Any, ...]:
    """The verdicts ``reach`` prints: the library's reach table, or with --variant one verdict
    per system that has that variant (or launches that munition), every claim of it with
    --all-claims."""
    import attrs

    import weaponsref as wr
    from weaponsref.reach import range_claim

    origin = _origin(args)
    target = _location(args.target, "--to")
    if args.variant is None:
        return wr.reach_table(
            origin,
            target,
            systems=args.system or None,
            all_claims=args.all_claims,
            source=args.source,
        )
    named = args.system is not None
    systems = [wr.lookup(name) for name in args.system] if named else wr.systems()
    if args.source is not None:
        wr.current_catalogue().source(args.source)  # an unknown id is an error
    rows = []
    for system in systems:
        try:
            chosen = range_claim(system, args.variant, args.source)
        except (WeaponsrefError, LookupError, ValueError):
            if named:
                raise
            continue
        claims = [chosen]
        if args.all_claims:
            owner = wr.current_catalogue().system_of(chosen) or system
            claims = [
                claim
                for claim in owner.claims_for("range", chosen.variant)
                if args.source is None or claim.source.id == args.source
            ]
        owner = wr.current_catalogue().system_of(chosen) or system
        for claim in claims:
            verdict = wr.reaches(owner, origin, target, claim=claim)
            rows.append(attrs.evolve(verdict, system=system, variant=args.variant))
    if not rows:
        raise _CommandLineError(
            f"no system has a range claim for variant {_shorten(repr(args.variant), 60)}"
            + (f" from source {args.source!r}" if args.source else "")
            + "; run 'weaponsref show NAME' to see a system's variants"
        )
    return tuple(rows)


def _reach(args: argparse.Namespace) -> None:
    from weaponsref.geo import EARTH_MODEL
    from weaponsref.tables import reach_rows, reach_table_text

    rows = _reach_verdicts(args)
    if _print_rows(reach_rows(rows, args.unit), args.format):
        return
    print(reach_table_text(rows, unit=args.unit, fmt=args.format))
    if _human(args.format) and rows:
        first = rows[0]
        print(f"\nFrom {_where(first.origin)} to {_where(first.target)}.")
        print(f"Distance: {EARTH_MODEL}.")


def _where(location: Any) -> str:
    """A place as 'Moscow, US (46.7324, -117.0002)', a named point as 'Kerch bridge (45.3086,
    36.5097)', a bare point as its coordinates."""
    if not isinstance(location, Place | Point):
        return f"{getattr(location, 'label', None) or getattr(location, 'name', 'the area')}"
    coords = f"{location.lat:.4f}, {location.lon:.4f}"
    if isinstance(location, Place):
        return f"{location.name}, {location.country} ({coords})"
    if isinstance(location, Point) and location.name is not None:
        return f"{location.name} ({coords})"
    return coords


def _ring(args: argparse.Namespace) -> None:
    import weaponsref as wr

    options: dict[str, Any] = {"variant": args.variant, "source": args.source}
    if args.points is not None:
        options["points"] = args.points
    if args.tolerance is not None:
        options["tolerance"] = args.tolerance
    feature = wr.range_ring(args.what, _origin(args), **options)
    if args.format == "kml":
        from weaponsref.export import ring_kml

        sys.stdout.write(ring_kml(feature))
        return
    print(json.dumps(feature, ensure_ascii=False, indent=args.indent))


def _map(args: argparse.Namespace) -> None:
    from weaponsref import maps

    data = maps.range_map(
        args.names,
        _origin(args),
        marks=[_location(mark, "--mark") for mark in args.mark],
        path=args.output,
        width=args.width,
        dpi=args.dpi,
        title=args.title,
        subtitle=args.subtitle,
        variant=args.variant,
        source=args.source,
    )
    print(f"wrote {args.output} ({len(data):,} bytes)", file=sys.stderr)


_PLACE_KEYS = ("name", "country", "lat", "lon", "population", "source")


def _places(args: argparse.Namespace) -> None:
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
    if _print_rows(rows, args.format, _PLACE_KEYS):
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


def _sources(args: argparse.Namespace) -> None:
    import weaponsref as wr

    chosen = [s for s in wr.sources() if not args.system or s.id in _cited_by(args.system)]
    if args.format == "citation":
        for source in chosen:
            print(source.citation)
        return
    rows = [
        {
            key: source.to_dict()[key]
            for key in ("id", "cited_as", "kind", "language", "published", "title", "url", "note")
        }
        for source in chosen
    ]
    if not _print_rows(rows, args.format):
        from weaponsref.tables import render

        headers = ["Id", "Cited as", "Kind", "Language", "Published", "Title"]
        table = [
            [r["id"], r["cited_as"], r["kind"], r["language"], r["published"] or "", r["title"]]
            for r in rows
        ]
        print(render(table, headers, args.format))


def _cited_by(names: Sequence[str]) -> set[str]:
    import weaponsref as wr

    return {source.id for name in names for source in wr.lookup(name).sources}


def _export(args: argparse.Namespace) -> None:
    from weaponsref.export import export_catalogue

    written = export_catalogue(args.directory)
    for path in written:
        print(path)
    print(
        f"wrote {len(written)} files to {args.directory}; check them with "
        f"`frictionless validate {os.path.join(args.directory, 'datapackage.json')}`",
        file=sys.stderr,
    )


def _inside(args: argparse.Namespace) -> None:
    import weaponsref as wr

    found = wr.places_within(
        args.what,
        _origin(args),
        min_population=args.min_population,
        variant=args.variant,
        source=args.source,
    )
    rows = found.rows()[: args.limit]
    if not _print_rows(rows, args.format):
        from weaponsref.tables import render

        table = [
            [r["name"], r["country"], f"{r['distance_km']:,.1f} km", f"{r['population']:,}"]
            for r in rows
        ]
        print(render(table, ["Place", "Country", "Distance", "Population"], args.format))
        if _human(args.format):
            shown = "" if len(rows) == len(found) else f" (the first {len(rows):,} shown)"
            print(f"\n{found}{shown}.")


def _places_import(args: argparse.Namespace) -> None:
    from weaponsref.gazetteer import import_geonames

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
    parser.add_argument(
        "--catalogue",
        metavar="FILE",
        default=None,
        help=f"add the systems of your own TOML catalogue file (default: ${CATALOGUE_ENV})",
    )
    parser.add_argument(
        "--as-of",
        metavar="DATE",
        default=None,
        help="the catalogue as it stood on DATE (YYYY-MM-DD): only claims and events whose "
        "sources were published by then",
    )
    return parser


def _add_format(parser: argparse.ArgumentParser, *, unit: bool = True) -> None:
    _complete(
        parser.add_argument(
            "--format",
            "-f",
            default="simple",
            type=_format_arg,
            metavar="F",
            help="any tabulate format (simple, github, grid...); csv or tsv for a "
            "spreadsheet (the csv module: the cells of json, one row per line); or json "
            "(default: simple)",
        ),
        _complete_formats,
    )
    if unit:
        _complete(
            parser.add_argument(
                "--unit",
                "-u",
                default=None,
                type=_unit_arg,
                metavar="U",
                help=f"also show lengths in this unit: {', '.join(LENGTH_UNITS)}",
            ),
            _complete_units,
        )


# --------------------------------------------------------------------------- completion
# argcomplete calls these with the word typed so far (``prefix``) and the arguments parsed
# so far (``parsed_args``); they return candidates, which argcomplete filters by the prefix.


def _complete(action: argparse.Action, completer: Callable[..., list[str]]) -> None:
    action.completer = completer  # type: ignore[attr-defined]


def _matching(prefix: str, names: Iterator[str] | Sequence[str]) -> list[str]:
    """The names starting with ``prefix`` whatever its case, each in the case typed so far
    (the shell keeps only candidates that start with exactly what was typed)."""
    low = prefix.casefold()
    found = (prefix + name[len(prefix) :] for name in names if name.casefold().startswith(low))
    return list(dict.fromkeys(found))


def _completion_catalogue(parsed_args: Any) -> Any:
    from weaponsref.catalogue import current_catalogue, load_catalogue

    path = getattr(parsed_args, "catalogue", None) or os.environ.get(CATALOGUE_ENV)
    return load_catalogue(path) if path else current_catalogue()


def _complete_systems(prefix: str = "", parsed_args: Any = None, **_: Any) -> list[str]:
    try:
        catalogue = _completion_catalogue(parsed_args)
    except (WeaponsrefError, OSError, ValueError):
        return []
    names = (n for s in catalogue.systems() for n in (s.id, s.name, *s.aliases))
    return _matching(prefix, names)


def _complete_places(prefix: str = "", **_: Any) -> list[str]:
    from weaponsref.gazetteer import search_places

    if not prefix.strip() or not prefix.strip()[0].isalpha():
        return []  # coordinates, or nothing typed yet: too many to list
    return _matching(prefix, [p.name for p in search_places(prefix, limit=30)])


def _complete_sources(prefix: str = "", parsed_args: Any = None, **_: Any) -> list[str]:
    try:
        catalogue = _completion_catalogue(parsed_args)
    except (WeaponsrefError, OSError, ValueError):
        return []
    return _matching(prefix, [source.id for source in catalogue.sources()])


def _complete_variants(prefix: str = "", parsed_args: Any = None, **_: Any) -> list[str]:
    try:
        catalogue = _completion_catalogue(parsed_args)
    except (WeaponsrefError, OSError, ValueError):
        return []
    names = [v for system in catalogue.systems() for v in system.variants]
    names += [catalogue.lookup(m).name for s in catalogue.systems() for m in s.launches]
    return _matching(prefix, names)


def _complete_operators(prefix: str = "", parsed_args: Any = None, **_: Any) -> list[str]:
    try:
        catalogue = _completion_catalogue(parsed_args)
    except (WeaponsrefError, OSError, ValueError):
        return []
    return _matching(prefix, sorted({n for s in catalogue.systems() for n in s.operators}))


def _complete_formats(prefix: str = "", **_: Any) -> list[str]:
    from tabulate import tabulate_formats

    return _matching(prefix, ["json", *_DELIMITED, *sorted(tabulate_formats)])


def _complete_units(prefix: str = "", **_: Any) -> list[str]:
    return _matching(prefix, LENGTH_UNITS)


def _autocomplete(parser: argparse.ArgumentParser) -> None:
    """Answer the shell's completion request, if this is one and argcomplete is installed
    (it then exits); otherwise do nothing."""
    try:
        import argcomplete
    except ImportError:
        return
    argcomplete.autocomplete(parser)


def _origin_option(parser: argparse.ArgumentParser, text: str) -> None:
    """--from (repeat it for several origins: the nearest counts) and --from-area."""
    _complete(
        parser.add_argument(
            "--from",
            dest="origin",
            action="append",
            default=None,
            metavar="PLACE",
            help=text + "; repeat it for several origins (the nearest counts)",
        ),
        _complete_places,
    )
    parser.add_argument(
        "--from-area",
        dest="area",
        default=None,
        metavar="AREA",
        help="measure from an area instead: a country's name or ISO code ('Ukraine', 'UA') "
        "or a GeoJSON file (distance 0 inside, else to the nearest point of its border)",
    )


def _origin(args: argparse.Namespace) -> Any:
    """The origin of --from (one place, or a list for several) or --from-area."""
    if args.area is not None and args.origin:
        raise _CommandLineError("give --from or --from-area, not both")
    if args.area is not None:
        from weaponsref.gazetteer import area

        return area(args.area)
    if not args.origin:
        raise _CommandLineError("give --from PLACE (or --from-area AREA)")
    points = [_location(text, "--from") for text in args.origin]
    return points[0] if len(points) == 1 else points


def _place_option(parser: argparse.ArgumentParser, option: str, dest: str, text: str) -> None:
    _complete(
        parser.add_argument(option, dest=dest, required=True, metavar="PLACE", help=text),
        _complete_places,
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
    listing.add_argument(
        "--min-range",
        type=_length_arg,
        metavar="LENGTH",
        help="only systems whose preferred range claim is at least this, e.g. '500 km'",
    )
    listing.add_argument(
        "--max-range",
        type=_length_arg,
        metavar="LENGTH",
        help="only systems whose preferred range claim is at most this, e.g. '300 mi'",
    )
    listing.add_argument(
        "--origin",
        dest="origin_filter",
        metavar="COUNTRY",
        help="only systems from this country (any case or accents), e.g. Ukraine, France",
    )
    _complete(
        listing.add_argument(
            "--operator",
            metavar="COUNTRY",
            help="only systems this country operates (any case or accents), e.g. Turkiye",
        ),
        _complete_operators,
    )
    listing.add_argument(
        "--category",
        metavar="TEXT",
        help="only systems whose category contains this text, e.g. 'cruise missile'",
    )
    _add_format(listing)

    show = _sub(
        subparsers,
        "show",
        "every claim about one system, with its source and phrase",
        "weaponsref show bober --format json",
        _show,
    )
    _complete(
        show.add_argument("name", help="a system's name or alias, e.g. Bober, Beaver, M142"),
        _complete_systems,
    )
    _add_format(show)

    compare = _sub(
        subparsers,
        "compare",
        "compare systems side by side, every claim",
        "weaponsref compare bober uj-22 --unit km",
        _compare,
    )
    _complete(
        compare.add_argument("names", nargs="+", metavar="NAME", help="two or more systems"),
        _complete_systems,
    )
    _add_format(compare)

    place_help = (
        "a place name ('Kyiv', 'Moscow, US') or coordinates, latitude first: '50.45,30.5233', "
        "'-33.9,18.4', '45.3086N 36.5097E', '45°18′31″N 36°30′35″E'; 'NAME=COORDINATES' "
        "labels the point"
    )
    reach = _sub(
        subparsers,
        "reach",
        "whether each system's range covers the distance between two places",
        "weaponsref reach --from Kyiv --to Moscow --system Bober --all-claims\n"
        "  weaponsref reach --from Kharkiv --to Belgorod --system HIMARS --variant ATACMS",
        _reach,
    )
    _origin_option(reach, place_help)
    _place_option(reach, "--to", "target", place_help)
    _complete(
        reach.add_argument(
            "--system",
            "-s",
            action="append",
            metavar="NAME",
            help="only this system (repeat for more); default: every system",
        ),
        _complete_systems,
    )
    reach.add_argument(
        "--all-claims",
        action="store_true",
        help="one row per published range claim, not just the preferred one",
    )
    _complete(
        reach.add_argument(
            "--variant",
            default=None,
            help="a variant or a launcher's munition, e.g. ATACMS, PrSM, export; "
            "default: each system's preferred claim",
        ),
        _complete_variants,
    )
    _complete(
        reach.add_argument(
            "--source",
            default=None,
            metavar="SOURCE_ID",
            help="only the range claims of this source, e.g. dailymail-2023-08-01",
        ),
        _complete_sources,
    )
    _add_format(reach)

    ring = _sub(
        subparsers,
        "ring",
        "a range ring as a GeoJSON Feature on stdout",
        "weaponsref ring bober --from Kyiv > bober.geojson",
        _ring,
    )
    _complete(
        ring.add_argument(
            "what", metavar="NAME|DISTANCE", help="a system name or a distance such as '500 km'"
        ),
        _complete_systems,
    )
    _origin_option(ring, place_help)
    ring.add_argument(
        "--tolerance",
        default=None,
        metavar="LENGTH",
        help="how far an edge may stray from the true circle, e.g. '100 m' (the default)",
    )
    ring.add_argument(
        "--points",
        type=_bounded(3, MAX_RING_POINTS),
        default=None,
        metavar="N",
        help="exactly N evenly spaced vertices instead of a tolerance",
    )
    ring.add_argument(
        "--format",
        "-f",
        choices=("geojson", "kml"),
        default="geojson",
        help="a GeoJSON Feature (default) or a KML document for Google Earth",
    )
    _complete(
        ring.add_argument("--variant", default=None, help="a munition or version, e.g. ATACMS"),
        _complete_variants,
    )
    _complete(
        ring.add_argument(
            "--source",
            default=None,
            metavar="SOURCE_ID",
            help="the range claim of this source, e.g. dailymail-2023-08-01",
        ),
        _complete_sources,
    )
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
        "draw range rings on an offline map (PNG, SVG or PDF)",
        "weaponsref map bober uj-22 --from Kyiv --mark Moscow -o rings.svg\n"
        "  weaponsref map shahed-136 --from Kursk --from Bryansk -o two.png\n"
        "  weaponsref map atacms --from-area Ukraine --mark Moscow -o area.pdf",
        _map,
    )
    _complete(
        drawn.add_argument(
            "names", nargs="+", metavar="NAME", help="systems or distances such as '500 km'"
        ),
        _complete_systems,
    )
    _origin_option(drawn, place_help)
    _complete(
        drawn.add_argument(
            "--mark",
            action="append",
            default=[],
            metavar="PLACE",
            help="mark a place with its distance (repeat for more)",
        ),
        _complete_places,
    )
    drawn.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="FILE",
        help="the picture to write: FILE.png, FILE.svg or FILE.pdf",
    )
    drawn.add_argument(
        "--width",
        type=_bounded(200, 4000),
        default=800,
        metavar="PX",
        help="width in pixels, 200 to 4000 (default: 800)",
    )
    drawn.add_argument(
        "--dpi",
        type=_bounded(10, 1200),
        default=100,
        metavar="N",
        help="dots per inch of a PNG or PDF, 10 to 1200 (default: 100)",
    )
    drawn.add_argument("--title", default=None, help="the map's title")
    drawn.add_argument("--subtitle", default=None, help="a line under the title")
    drawn.add_argument(
        "--variant", default=None, help="a variant or munition for every system, e.g. ATACMS"
    )
    drawn.add_argument(
        "--source", default=None, metavar="SOURCE_ID", help="that source's claim for each system"
    )

    inside = _sub(
        subparsers,
        "inside",
        "the gazetteer's places within a system's range, nearest first, with their population",
        "weaponsref inside Shahed-136 --from Kyiv --min-population 100000",
        _inside,
    )
    _complete(
        inside.add_argument(
            "what", metavar="NAME|DISTANCE", help="a system name or a distance such as '500 km'"
        ),
        _complete_systems,
    )
    _origin_option(inside, place_help)
    inside.add_argument(
        "--min-population",
        type=_bounded(0, 10**9),
        default=0,
        metavar="N",
        help="only places of at least N people (default: every place)",
    )
    inside.add_argument("--variant", default=None, help="a munition or version, e.g. ATACMS")
    inside.add_argument(
        "--source", default=None, metavar="SOURCE_ID", help="that source's range claim"
    )
    inside.add_argument(
        "--limit",
        type=_bounded(1, 100_000),
        default=100_000,
        metavar="N",
        help="list at most N places (the total counts them all)",
    )
    _add_format(inside, unit=False)

    cited = _sub(
        subparsers,
        "sources",
        "the bibliography: every source as a citation, or a table",
        "weaponsref sources --system bober",
        _sources,
    )
    cited.add_argument(
        "--system",
        "-s",
        action="append",
        metavar="NAME",
        help="only the sources this system cites (repeat for more)",
    )
    cited.add_argument(
        "--format",
        "-f",
        default="citation",
        type=lambda value: value if value == "citation" else _format_arg(value),
        metavar="F",
        help="citation (default: one citation a line), json, csv, or any tabulate format",
    )

    exported = _sub(
        subparsers,
        "export",
        "write the catalogue as CSV tables with a Frictionless datapackage.json, and JSON",
        "weaponsref export catalogue-data",
        _export,
    )
    exported.add_argument("directory", metavar="DIR", help="the folder to write into")

    found = _sub(
        subparsers,
        "places",
        "search the gazetteer, or import a bigger GeoNames file into it",
        "weaponsref places kharkov\n  weaponsref places import cities500.zip   "
        "# see 'weaponsref places import --help'\n  weaponsref places -- import   "
        "# search for a place called 'import'",
        _places,
    )
    _complete(
        found.add_argument("query", help="a place name, any case or accents, old spellings too"),
        _complete_places,
    )
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


#: The options whose value is a point: a value after them that starts like a negative number
#: ('-33.9,18.4') is joined to them, so that argparse does not take it for an option.
_POINT_OPTIONS = ("--from", "--to", "--mark")
_NEGATIVE = re.compile(r"[-\u2212]\.?[0-9]")


def _join_negative_points(words: Sequence[str]) -> list[str]:
    """``['--from', '-33.9,18.4']`` as ``['--from=-33.9,18.4']``; the rest as given, and
    nothing after a ``--``."""
    joined: list[str] = []
    index = 0
    while index < len(words):
        word = words[index]
        if word == "--":
            joined.extend(words[index:])
            break
        following = words[index + 1] if index + 1 < len(words) else None
        if word in _POINT_OPTIONS and following is not None and _NEGATIVE.match(following):
            joined.append(f"{word}={following}")
            index += 2
            continue
        joined.append(word)
        index += 1
    return joined


def _one_line_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: TextIO | None = None,
    line: str | None = None,
) -> None:
    print(f"weaponsref: warning: {_short(str(message))}", file=sys.stderr)


@contextlib.contextmanager
def _catalogue_in_use(args: argparse.Namespace) -> Iterator[None]:
    """Use the catalogue of --catalogue, or of $WEAPONSREF_CATALOGUE, while a command runs."""
    from weaponsref.catalogue import current_catalogue, load_catalogue, use_catalogue
    from weaponsref.errors import CatalogueError, RecordError

    path = getattr(args, "catalogue", None)
    as_of = getattr(args, "as_of", None)
    where = "--catalogue"
    if path is None and os.environ.get(CATALOGUE_ENV):
        path, where = os.environ[CATALOGUE_ENV], CATALOGUE_ENV
    if not path and not as_of:
        yield
        return
    catalogue = current_catalogue()
    if path:
        try:
            catalogue = load_catalogue(path)
        except CatalogueError as error:
            raise _CommandLineError(f"{where}: {error}") from None
    if as_of:
        try:
            catalogue = catalogue.as_of(as_of)
        except RecordError as error:
            raise _CommandLineError(f"--as-of: {error}") from None
    with use_catalogue(catalogue):
        yield


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (0, or 2 on an error)."""
    try:
        words = list(sys.argv[1:] if argv is None else argv)
        if words[:2] == ["places", "import"]:
            parser = _import_parser()
            words = words[2:]
        else:
            parser = build_parser()
            words = _join_negative_points(words)
        if argv is None and "_ARGCOMPLETE" in os.environ:
            _autocomplete(parser)
        args = parser.parse_args(words)
        with warnings.catch_warnings(), _catalogue_in_use(args):
            warnings.simplefilter("always", WeaponsrefWarning)
            warnings.showwarning = _one_line_warning
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
