"""The parser of the ``weaponsref`` command: one small function a subcommand, and the parsers
of ``weaponsref places import``, ``areas import`` and ``areas remove`` (``import`` and
``remove`` are reserved words after ``places`` and ``areas``)."""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from weaponsref import __version__
from weaponsref._units import LENGTH_UNITS
from weaponsref.cli import (
    _areas,
    _compare,
    _export,
    _import,
    _inside,
    _list,
    _map,
    _places,
    _reach,
    _ring,
    _show,
    _sources,
)
from weaponsref.cli._common import CATALOGUE_ENV, EXIT_ERROR, one_line
from weaponsref.cli._completion import (
    complete,
    complete_formats,
    complete_operators,
    complete_places,
    complete_sources,
    complete_systems,
    complete_units,
    complete_variants,
)
from weaponsref.cli._origins import PLACE_HELP, add_origin_options
from weaponsref.cli._types import bounded, format_arg, length_arg, unit_arg
from weaponsref.geo import MAX_RING_POINTS

__all__ = ["Parser", "build_parser", "join_negative_points", "reserved_parser"]

_UNITS = ", ".join(LENGTH_UNITS)


class Parser(argparse.ArgumentParser):
    """argparse, with a one-line error instead of the usage block: the error, then where to
    find help, with every long argument cut (see :func:`~weaponsref.cli._common.one_line`)."""

    def error(self, message: str) -> NoReturn:
        self.exit(
            EXIT_ERROR, f"{self.prog}: error: {one_line(message)}; see '{self.prog} --help'\n"
        )


def _sub(
    subparsers: Any,
    name: str,
    summary: str,
    example: str,
    run: Callable[[argparse.Namespace], None],
) -> argparse.ArgumentParser:
    """A subcommand with its summary, example, and the --catalogue and --as-of every one
    takes."""
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


def _add_format(parser: argparse.ArgumentParser, unit_help: str | None = None) -> None:
    """--format, and --unit with ``unit_help`` (what the unit does to this command's output)
    unless it is None."""
    complete(
        parser.add_argument(
            "--format",
            "-f",
            default="simple",
            type=format_arg,
            metavar="F",
            help="any tabulate format (simple, github, grid...); csv or tsv for a "
            "spreadsheet (the csv module: the cells of json, one row per line); or json "
            "(default: simple)",
        ),
        complete_formats,
    )
    if unit_help is not None:
        complete(
            parser.add_argument(
                "--unit",
                "-u",
                default=None,
                type=unit_arg,
                metavar="U",
                help=f"{unit_help}; U is one of {_UNITS}",
            ),
            complete_units,
        )


def _add_system_name(parser: argparse.ArgumentParser, *names: str, **options: Any) -> None:
    complete(parser.add_argument(*names, **options), complete_systems)


def _add_list(subparsers: Any) -> None:
    listing = _sub(
        subparsers,
        "list",
        "list every system with its preferred range",
        "weaponsref list --unit km",
        _list.run,
    )
    listing.add_argument(
        "--min-range",
        type=length_arg,
        metavar="LENGTH",
        help="only systems whose preferred range claim is at least this, e.g. '500 km'",
    )
    listing.add_argument(
        "--max-range",
        type=length_arg,
        metavar="LENGTH",
        help="only systems whose preferred range claim is at most this, e.g. '300 mi'",
    )
    listing.add_argument(
        "--origin",
        dest="origin_filter",
        metavar="COUNTRY",
        help="only systems from this country (any case or accents), e.g. Ukraine, France",
    )
    complete(
        listing.add_argument(
            "--operator",
            metavar="COUNTRY",
            help="only systems this country operates (any case or accents), e.g. Turkiye",
        ),
        complete_operators,
    )
    listing.add_argument(
        "--category",
        metavar="TEXT",
        help="only systems whose category contains this text, e.g. 'cruise missile'",
    )
    _add_format(
        listing,
        "add a column of each preferred range converted to U (tables only: json, csv and "
        "tsv keep range_km)",
    )


def _add_show(subparsers: Any) -> None:
    show = _sub(
        subparsers,
        "show",
        "every claim about one system, with its source and phrase",
        "weaponsref show bober --format json",
        _show.run,
    )
    _add_system_name(show, "name", help="a system's name or alias, e.g. Bober, Beaver, M142")
    _add_format(
        show,
        "add each length claim converted to U: an 'In U' column, and value_in_unit in json, "
        "csv and tsv",
    )


def _add_compare(subparsers: Any) -> None:
    compare = _sub(
        subparsers,
        "compare",
        "compare systems side by side, every claim",
        "weaponsref compare bober uj-22 --unit km",
        _compare.run,
    )
    _add_system_name(compare, "names", nargs="+", metavar="NAME", help="two or more systems")
    _add_format(
        compare,
        "add each range and radius of action converted to U after its published value "
        "('1,000 km = 621.4 mi'), and value_in_unit in json, csv and tsv",
    )


def _add_variant_and_source(parser: argparse.ArgumentParser, variant: str, source: str) -> None:
    complete(parser.add_argument("--variant", default=None, help=variant), complete_variants)
    complete(
        parser.add_argument("--source", default=None, metavar="SOURCE_ID", help=source),
        complete_sources,
    )


def _add_reach(subparsers: Any) -> None:
    reach = _sub(
        subparsers,
        "reach",
        "whether each system's range covers the distance between two places",
        "weaponsref reach --from Kyiv --to Moscow --system Bober --all-claims\n"
        "  weaponsref reach --from Kharkiv --to Belgorod --system HIMARS --variant ATACMS",
        _reach.run,
    )
    add_origin_options(reach)
    complete(
        reach.add_argument("--to", dest="target", required=True, metavar="PLACE", help=PLACE_HELP),
        complete_places,
    )
    _add_system_name(
        reach,
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
    complete(
        reach.add_argument(
            "--operator",
            metavar="COUNTRY",
            help="only systems this country operates (any case or accents), e.g. Ukraine",
        ),
        complete_operators,
    )
    reach.add_argument(
        "--reaches-only",
        action="store_true",
        help='only the verdicts that say "reaches"',
    )
    _add_variant_and_source(
        reach,
        "a variant or a launcher's munition, e.g. ATACMS, PrSM, export; "
        "default: each system's preferred claim",
        "only the range claims of this source, e.g. dailymail-2023-08-01",
    )
    _add_format(
        reach,
        "give distance, range and margin in U instead of km in the table; json, csv and tsv "
        "keep the _km keys and add unit, distance, range and margin in U",
    )


def _add_ring(subparsers: Any) -> None:
    ring = _sub(
        subparsers,
        "ring",
        "a range ring as a GeoJSON Feature on stdout",
        "weaponsref ring bober --from Kyiv > bober.geojson",
        _ring.run,
    )
    _add_system_name(
        ring, "what", metavar="NAME|DISTANCE", help="a system name or a distance such as '500 km'"
    )
    add_origin_options(ring)
    ring.add_argument(
        "--tolerance",
        default=None,
        metavar="LENGTH",
        help="how far an edge may stray from the true circle, e.g. '100 m' (the default)",
    )
    ring.add_argument(
        "--points",
        type=bounded(3, MAX_RING_POINTS),
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
    _add_variant_and_source(
        ring,
        "a munition or version, e.g. ATACMS",
        "the range claim of this source, e.g. dailymail-2023-08-01",
    )
    ring.add_argument(
        "--indent",
        type=bounded(0, 16),
        default=None,
        metavar="N",
        help="indent the JSON by N spaces, 0 to 16",
    )


def _add_map_picture(drawn: argparse.ArgumentParser) -> None:
    """The map's file, size and titles."""
    drawn.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="FILE",
        help="the picture to write: FILE.png, FILE.svg or FILE.pdf",
    )
    drawn.add_argument(
        "--size",
        default=None,
        metavar="SIZE",
        help="physical width: 1col to 6col (a broadsheet's columns), A4, A4-landscape, letter, "
        "letter-landscape, or a length such as '90 mm' or '3.5 in' (default: 8 in)",
    )
    drawn.add_argument(
        "--width",
        type=bounded(200, 4000),
        default=None,
        metavar="PX",
        help="a PNG's width in pixels, 200 to 4000 (default: the size at the dpi, 800)",
    )
    drawn.add_argument(
        "--dpi",
        type=bounded(10, 1200),
        default=None,
        metavar="N",
        help="a PNG's dots per inch, 10 to 1200; changes the pixels, not the drawing "
        "(default: 300 with --size, else 100); any two of --size, --width and --dpi set the third",
    )
    drawn.add_argument("--title", default=None, help="the map's title")
    drawn.add_argument("--subtitle", default=None, help="a line under the title")


def _add_map(subparsers: Any) -> None:
    drawn = _sub(
        subparsers,
        "map",
        "draw range rings on an offline map (PNG, SVG or PDF)",
        "weaponsref map bober uj-22 --from Kyiv --mark Moscow -o rings.svg\n"
        "  weaponsref map shahed-136 --from Kursk --from Bryansk -o two.png\n"
        "  weaponsref map atacms --from-area Ukraine --mark Moscow -o area.pdf\n"
        "  weaponsref map himars --from-area Belarus --from Kursk -o both.svg",
        _map.run,
    )
    _add_system_name(
        drawn, "names", nargs="+", metavar="NAME", help="systems or distances such as '500 km'"
    )
    add_origin_options(drawn)
    complete(
        drawn.add_argument(
            "--mark",
            action="append",
            default=[],
            metavar="PLACE",
            help="mark a place with its distance (repeat for more)",
        ),
        complete_places,
    )
    _add_map_picture(drawn)
    drawn.add_argument(
        "--variant", default=None, help="a variant or munition for every system, e.g. ATACMS"
    )
    drawn.add_argument(
        "--source", default=None, metavar="SOURCE_ID", help="that source's claim for each system"
    )


def _add_inside(subparsers: Any) -> None:
    inside = _sub(
        subparsers,
        "inside",
        "the gazetteer's places within a system's range, nearest first, with their population",
        "weaponsref inside Shahed-136 --from Kyiv --min-population 100000",
        _inside.run,
    )
    _add_system_name(
        inside, "what", metavar="NAME|DISTANCE", help="a system name or a distance such as '500 km'"
    )
    add_origin_options(inside)
    inside.add_argument(
        "--min-population",
        type=bounded(0, 10**9),
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
        type=bounded(1, 100_000),
        default=100_000,
        metavar="N",
        help="list at most N places (the total counts them all)",
    )
    _add_format(inside)


def _add_sources(subparsers: Any) -> None:
    cited = _sub(
        subparsers,
        "sources",
        "the bibliography: every source as a citation, or a table",
        "weaponsref sources --system bober",
        _sources.run,
    )
    cited.add_argument(
        "--system",
        "-s",
        action="append",
        metavar="NAME",
        help="only the sources this system cites (repeat for more)",
    )
    cited.add_argument(
        "--style",
        default="apa",
        choices=_sources.CITATION_STYLES,
        help="the citation style: apa (default), ap (as a newsroom credits a report in copy) "
        "or chicago (notes-bibliography)",
    )
    cited.add_argument(
        "--format",
        "-f",
        default="citation",
        type=_sources.format_choice,
        metavar="F",
        help="citation (default: one citation a line), csl-json or bibtex (for reference "
        "managers), json, csv, or any tabulate format",
    )


def _add_export(subparsers: Any) -> None:
    exported = _sub(
        subparsers,
        "export",
        "write the catalogue as CSV tables with a Frictionless datapackage.json, and JSON",
        "weaponsref export catalogue-data",
        _export.run,
    )
    exported.add_argument("directory", metavar="DIR", help="the folder to write into")


def _add_places(subparsers: Any) -> None:
    found = _sub(
        subparsers,
        "places",
        "search the gazetteer, or import a bigger GeoNames file into it",
        "weaponsref places kharkov\n  weaponsref places import cities500.zip   "
        "# see 'weaponsref places import --help'\n  weaponsref places -- import   "
        "# search for a place called 'import'",
        _places.run,
    )
    complete(
        found.add_argument("query", help="a place name, any case or accents, old spellings too"),
        complete_places,
    )
    found.add_argument(
        "--limit",
        type=bounded(0, 100_000),
        default=10,
        metavar="N",
        help="at most N places (default: 10)",
    )
    _add_format(found)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``weaponsref`` command."""
    parser = Parser(
        prog="weaponsref",
        description="Weapon systems' published ranges, their sources, and what they cover "
        "on the WGS84 ellipsoid.",
        epilog="example:\n  weaponsref reach --from Kyiv --to Moscow",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"weaponsref {__version__}")
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND", parser_class=Parser)
    subparsers.required = True
    for add in (
        _add_list,
        _add_show,
        _add_compare,
        _add_reach,
        _add_ring,
        _add_map,
        _add_inside,
        _add_sources,
        _add_export,
        _add_places,
        _add_areas,
    ):
        add(subparsers)
    return parser


def _add_areas(subparsers: Any) -> None:
    found = _sub(
        subparsers,
        "areas",
        "list the areas to measure from (countries, regions, your imported maps), or import "
        "or remove your own",
        "weaponsref areas oblast\n  weaponsref areas import control.gpkg --name 'Russian-held, "
        "2025-11-01' --date 2025-11-01 --source DeepStateMap   # see 'weaponsref areas import "
        "--help'\n  weaponsref areas remove 'Russian-held, 2025-11-01'",
        _areas.run,
    )
    found.add_argument(
        "query", nargs="?", default="", help="part of an area's name, any case or accents"
    )
    found.add_argument(
        "--kind",
        choices=("country", "region", "imported"),
        default=None,
        help="only areas of this kind",
    )
    _add_format(found)


def _standalone(prog: str, summary: str, example: str) -> argparse.ArgumentParser:
    return Parser(
        prog=prog,
        description=summary,
        epilog=f"example:\n  {example}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def _places_import_parser() -> argparse.ArgumentParser:
    parser = _standalone(
        "weaponsref places import",
        "import a GeoNames dump (https://download.geonames.org/export/dump/) into your own "
        "gazetteer, used with the built-in one; it replaces any earlier import",
        "weaponsref places import cities500.zip",
    )
    parser.add_argument(
        "file", metavar="FILE", help="cities500.zip, cities1000.txt, UA.zip, allCountries.zip..."
    )
    parser.set_defaults(run=_import.run)
    return parser


def _areas_import_parser() -> argparse.ArgumentParser:
    parser = _standalone(
        "weaponsref areas import",
        "import the polygons of an area file (a published map of control, a district) as an "
        "area with a name, the date of the map and who published it; --from-area NAME then "
        "measures from it, and every output says its source and date",
        "weaponsref areas import control.gpkg --layer occupied --name 'Russian-held, "
        "2025-11-01' --date 2025-11-01 --source DeepStateMap\n  weaponsref areas import "
        "control.kmz --layer Occupied --name 'Held, 2025-11-01' --date 2025-11-01 "
        "--source 'a My Maps map'",
    )
    parser.add_argument(
        "file",
        metavar="FILE",
        help="GeoJSON (.geojson, .json), KML or KMZ (.kml, .kmz, such as a Google My Maps "
        "export) or a GeoPackage (.gpkg); all but GeoJSON need weaponsref[area-files]",
    )
    parser.add_argument("--name", required=True, help="the name to measure from it by")
    parser.add_argument("--date", required=True, metavar="YYYY-MM-DD", help="the day the map shows")
    parser.add_argument("--source", required=True, help="who published the map")
    parser.add_argument(
        "--layer", default=None, help="the GeoPackage layer or KML folder, if it has several"
    )
    parser.add_argument(
        "--where",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="keep only features whose property KEY is VALUE (repeat for more)",
    )
    parser.add_argument(
        "--replace", action="store_true", help="replace an area imported under this name"
    )
    parser.set_defaults(run=_areas.run_import)
    return parser


def _areas_remove_parser() -> argparse.ArgumentParser:
    parser = _standalone(
        "weaponsref areas remove",
        "remove an area you imported",
        "weaponsref areas remove 'Russian-held, 2025-11-01'",
    )
    parser.add_argument("name", metavar="NAME", help="the name it was imported as")
    parser.set_defaults(run=_areas.run_remove)
    return parser


#: The commands whose second word is reserved, and their parsers.
_RESERVED: dict[tuple[str, str], Callable[[], argparse.ArgumentParser]] = {
    ("places", "import"): _places_import_parser,
    ("areas", "import"): _areas_import_parser,
    ("areas", "remove"): _areas_remove_parser,
}


def reserved_parser(words: Sequence[str]) -> argparse.ArgumentParser | None:
    """The parser of ``places import``, ``areas import`` or ``areas remove`` when
    ``words`` start with one of them, else None (search for a place called 'import' with
    ``places -- import``)."""
    make = _RESERVED.get((words[0], words[1])) if len(words) >= 2 else None
    return make() if make is not None else None


#: The options whose value is a point: a value after them that starts like a negative number
#: ('-33.9,18.4') is joined to them, so that argparse does not take it for an option.
_POINT_OPTIONS = ("--from", "--to", "--mark")
_NEGATIVE = re.compile(r"[-\u2212]\.?[0-9]")


def join_negative_points(words: Sequence[str]) -> list[str]:
    """``['--from', '-33.9,18.4']`` as ``['--from=-33.9,18.4']``; the rest as given, and
    nothing after a ``--``.

    >>> join_negative_points(["reach", "--from", "-33.9,18.4", "--to", "Kyiv"])
    ['reach', '--from=-33.9,18.4', '--to', 'Kyiv']
    """
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
