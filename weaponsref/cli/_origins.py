"""Places and origins on the command line: ``--to`` and ``--mark`` take one place or point,
``--from`` and ``--from-area`` (each repeatable, alone or together) make the origin every
distance is measured from, and ``--except-area`` (repeatable) takes areas out of every
``--from-area`` ("--from-area Ukraine --except-area Crimea" is Ukraine without Crimea).
A name that is both a city and a region ("Kursk") is the city for ``--from`` and ``--to`` and
the region for ``--from-area`` and ``--except-area``.

:func:`origin_of` is the one place the command line builds an origin.
"""

from __future__ import annotations

import argparse
import shlex
import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING

from weaponsref.cli._common import CommandLineError, cap
from weaponsref.cli._completion import complete, complete_places
from weaponsref.errors import UnknownPlaceError, WeaponsrefWarning
from weaponsref.gazetteer import COORDINATE_FORMATS, Place, Point

if TYPE_CHECKING:
    from weaponsref.geo import Area
    from weaponsref.reach import Origin

__all__ = [
    "PLACE_HELP",
    "add_except_area_option",
    "add_origin_options",
    "ambiguity",
    "location",
    "origin_of",
]

#: The help of every option that takes a place.
PLACE_HELP = (
    "a place name ('Kyiv', 'Pokrovsk, UA', 'geonames:704422', 'Engels air base', 'UWSG') or "
    "coordinates, latitude first: '50.45,30.5233', '-33.9,18.4', '45.3086N 36.5097E', "
    "'45°18′31″N 36°30′35″E'; 'NAME=COORDINATES' labels the point"
)


def location(text: str, option: str) -> Place | Point:
    """A place name or coordinates given to ``option``.

    A name that fits several places equally well is read as the first (as the library reads
    it) with a one-line warning on stderr that lists the others and how to pick one. Raises
    :class:`CommandLineError` for an unknown name, saying how to give coordinates instead,
    and :class:`~weaponsref.errors.CoordinateError` for bad coordinates.
    """
    from weaponsref.gazetteer import as_location, current_gazetteer

    try:
        found = as_location(text)
    except UnknownPlaceError as error:
        area = ""
        if error.area is not None:  # the name is an area's ("Crimea", "Ukraine")
            fix = (
                f"give --from-area {shlex.quote(text)} to measure from its border"
                if option == "--from"
                else "give a place in it or coordinates"
            )
            if error.area_own_name:  # the area's own name or code
                raise CommandLineError(
                    f"{option}: {text!r:.80} names an area, not a place; {fix}"
                ) from None
            # One of an area's other names ("Kyyiv"): perhaps a misspelt place.
            area = f" {text!r:.80} also names an area: {fix}."
            error = UnknownPlaceError(error.name, error.suggestions)
        message = str(error)
        if not error.suggestions and message.endswith(error.hint):
            message = message[: -len(error.hint)]
        joint = " Or" if message.endswith("?") else "; or"
        raise CommandLineError(
            f"{option}: {message}{area}{joint} give coordinates: {COORDINATE_FORMATS}"
        ) from None
    if isinstance(found, Place):
        namesakes = current_gazetteer().namesakes(text)
        if len(namesakes) > 1 and namesakes[0] == found:
            warnings.warn(ambiguity(option, text, namesakes), WeaponsrefWarning, stacklevel=2)
    return found


def ambiguity(option: str, text: str, namesakes: Sequence[Place]) -> str:
    """The one-line warning for a name that fits several places: which one is used, up to
    three others, and how to pick one."""

    def which(found: Place) -> str:
        named = found.reference not in (found.name, found.code)
        return f"{found.qualified_name} ({found.reference})" if named else found.qualified_name

    others = [which(p) for p in namesakes[1:4]]
    more = len(namesakes) - 4
    if more > 0:
        others.append(f"{more:,} more")
    return (
        f"{option} {cap(repr(text))} fits {len(namesakes):,} places; using "
        f"{which(namesakes[0])}, not {'; '.join(others)}. Give 'NAME, CC' (a country code) "
        "or 'geonames:ID' to pick another"
    )


def add_origin_options(parser: argparse.ArgumentParser) -> None:
    """--from and --from-area, each repeatable, alone or together: the nearest of all the
    places, points and areas counts."""
    complete(
        parser.add_argument(
            "--from",
            dest="origin",
            action="append",
            default=None,
            metavar="PLACE",
            help=PLACE_HELP + "; repeat it for several origins (the nearest counts)",
        ),
        complete_places,
    )
    parser.add_argument(
        "--from-area",
        dest="area",
        action="append",
        default=None,
        metavar="AREA",
        help="measure from an area: a country's name or ISO code ('Ukraine', 'UA'), a region "
        "of Ukraine, Russia or Belarus ('Kursk Oblast', 'Crimea', 'Donbas', 'UA-14'), an area you "
        "imported (weaponsref areas import), or a GeoJSON, GeoPackage, KML or KMZ file (distance 0 inside, else to the nearest point of its border); repeat it for several, "
        "and add --from for places too (the nearest of all counts)",
    )
    add_except_area_option(parser)


def add_except_area_option(parser: argparse.ArgumentParser) -> None:
    """--except-area, repeatable: areas taken out of every --from-area."""
    parser.add_argument(
        "--except-area",
        dest="except_area",
        action="append",
        default=None,
        metavar="AREA",
        help="take an area out of every --from-area ('--from-area Ukraine --except-area "
        "Crimea'), named as for --from-area; repeat it for several",
    )


def origin_of(args: argparse.Namespace) -> Origin:
    """The one origin of every --from and --from-area given: places, points and areas
    together, the nearest counting; each --from-area without every --except-area.

    Raises :class:`CommandLineError` when neither is given, for --except-area without
    --from-area, or for an unknown place name; the library's errors for bad coordinates, an
    unknown area, an area left empty or too many origins.
    """
    from weaponsref.gazetteer import area
    from weaponsref.reach import origin

    if not args.origin and not args.area:
        raise CommandLineError("give --from PLACE or --from-area AREA (or both)")
    excepted = [area(text) for text in getattr(args, "except_area", None) or ()]
    if excepted and not args.area:
        raise CommandLineError(
            "--except-area takes an area out of a --from-area; give --from-area AREA too"
        )
    parts: list[Place | Point | Area] = [location(text, "--from") for text in args.origin or ()]
    for text in args.area or ():
        found = area(text)
        for other in excepted:
            found = found - other
        parts.append(found)
    return origin(parts[0] if len(parts) == 1 else parts)
