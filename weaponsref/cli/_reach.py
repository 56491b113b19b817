"""``weaponsref reach``: whether each system's range covers the distance from an origin to a
target."""

from __future__ import annotations

import argparse
from typing import Any

from weaponsref._text import fold
from weaponsref.cli._common import CommandLineError, cap
from weaponsref.cli._origins import location, origin_of
from weaponsref.cli._output import human, print_rows
from weaponsref.errors import WeaponsrefError
from weaponsref.gazetteer import Place, Point

__all__ = ["run", "verdicts"]


def _variant_verdicts(args: argparse.Namespace, origin: Any, target: Any) -> list[Any]:
    """One verdict per system that has --variant (or launches that munition), every claim of
    it with --all-claims; a system named with --system that has none is an error."""
    import attrs

    import weaponsref as wr
    from weaponsref.reach import range_claim

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
        owner = wr.current_catalogue().system_of(chosen) or system
        claims = [chosen]
        if args.all_claims:
            claims = [
                claim
                for claim in owner.claims_for("range", chosen.variant)
                if args.source is None or claim.source.id == args.source
            ]
        for claim in claims:
            verdict = wr.reaches(owner, origin, target, claim=claim)
            rows.append(attrs.evolve(verdict, system=system, variant=args.variant))
    return rows


def _kept(rows: tuple[Any, ...], args: argparse.Namespace) -> tuple[Any, ...]:
    """The verdicts --operator and --reaches-only keep (an operator by whole folded name)."""
    if args.operator is not None:
        wanted = fold(args.operator)
        rows = tuple(
            r for r in rows if r.system is not None and wanted in map(fold, r.system.operators)
        )
    if args.reaches_only:
        rows = tuple(r for r in rows if r.status == "reaches")
    return rows


def verdicts(args: argparse.Namespace) -> tuple[Any, ...]:
    """The verdicts ``reach`` prints: the library's reach table, or with --variant one verdict
    per system that has that variant (or launches that munition); --operator and
    --reaches-only keep some of them."""
    import weaponsref as wr

    origin = origin_of(args)
    target = location(args.target, "--to")
    if args.variant is None:
        return _kept(
            wr.reach_table(
                origin,
                target,
                systems=args.system or None,
                all_claims=args.all_claims,
                source=args.source,
            ),
            args,
        )
    rows = _variant_verdicts(args, origin, target)
    if not rows:
        raise CommandLineError(
            f"no system has a range claim for variant {cap(repr(args.variant))}"
            + (f" from source {cap(repr(args.source))}" if args.source else "")
            + "; run 'weaponsref show NAME' to see a system's variants"
        )
    return _kept(tuple(rows), args)


def where(location: Any) -> str:
    """A place as 'Moscow, US (46.7324, -117.0002)', a named point as 'Kerch bridge (45.3086,
    36.5097)', a bare point as its coordinates, anything else by its label or name."""
    if not isinstance(location, Place | Point):
        described = getattr(location, "description", None)  # an area: label, source, date
        return f"{described or getattr(location, 'label', None) or 'the area'}"
    coords = f"{location.lat:.4f}, {location.lon:.4f}"
    if isinstance(location, Place):
        return f"{location.qualified_name} ({coords})"
    if location.name is not None:
        return f"{location.name} ({coords})"
    return coords


def run(args: argparse.Namespace) -> None:
    """Print the verdicts as a table with where they were measured from and to, or as JSON,
    CSV or TSV."""
    from weaponsref.geo import EARTH_MODEL
    from weaponsref.tables import reach_rows, reach_table_text

    rows = verdicts(args)
    if print_rows(reach_rows(rows, args.unit), args.format):
        return
    print(reach_table_text(rows, unit=args.unit, fmt=args.format))
    if human(args.format) and rows:
        first = rows[0]
        print(f"\nFrom {where(first.origin)} to {where(first.target)}.")
        if first.nearest is not None:
            print(f"Nearest point of the area: {first.nearest.lat:.4f}, {first.nearest.lon:.4f}.")
        print(f"Distance: {EARTH_MODEL}.")
