"""``weaponsref list``: every system with its preferred range, filtered."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from typing import Any, Final

from weaponsref._text import fold
from weaponsref.cli._output import print_rows
from weaponsref.errors import WeaponsrefError

__all__ = ["SUMMARY_KEYS", "run", "system_summary"]

#: The keys of a system's summary, in order.
SUMMARY_KEYS: Final = (
    "system",
    "system_name",
    "aliases",
    "category",
    "origin",
    "maker",
    "range",
    "range_km",
    "source",
    "source_cited_as",
    "source_kind",
    "source_published",
    "source_url",
    "source_citation",
    "quote",
)


def _parts(text: str) -> set[str]:
    """The folded whole of ``text`` and of each part of it joined by 'and', ',' or '/'.

    >>> sorted(_parts("United Kingdom and France"))
    ['france', 'unitedkingdom', 'unitedkingdomandfrance']
    """
    pieces = re.split(r",|/|\band\b", text)
    return {fold(text), *(fold(piece) for piece in pieces)} - {""}


def _range_metres(system: Any) -> float | None:
    """The system's preferred range claim in metres; None if it has none."""
    try:
        return float(system.claim("range").metres)
    except (WeaponsrefError, LookupError, ValueError):
        return None


def _passes(system: Any, args: argparse.Namespace) -> bool:
    """Whether ``system`` passes list's filters: origin and operator by whole folded name (or
    a part of an origin such as 'United Kingdom and France'), category by folded substring,
    and the preferred range claim between --min-range and --max-range."""
    if args.origin_filter is not None and fold(args.origin_filter) not in _parts(system.origin):
        return False
    if args.operator is not None and fold(args.operator) not in {
        fold(name) for name in system.operators
    }:
        return False
    if args.category is not None and fold(args.category) not in fold(system.category):
        return False
    if args.min_range is None and args.max_range is None:
        return True
    metres = _range_metres(system)
    if metres is None:
        return False
    if args.min_range is not None and metres < args.min_range:
        return False
    return args.max_range is None or metres <= args.max_range


def system_summary(system: Any) -> dict[str, Any]:
    """A system and its preferred range, with the stable keys of :data:`SUMMARY_KEYS`."""
    from weaponsref.reach import citation

    claim = system.claim("range")
    return {
        "system": system.id,
        "system_name": system.name,
        "aliases": list(system.aliases),
        "category": system.category,
        "origin": system.origin,
        "maker": system.maker,
        "range": claim.describe(),
        "range_km": round(claim.metres / 1000, 3),
        **citation(claim),
        "quote": claim.quote,
    }


def run(args: argparse.Namespace) -> None:
    """Print the systems that pass the filters."""
    import weaponsref as wr

    chosen: Sequence[Any] = [system for system in wr.systems() if _passes(system, args)]
    if print_rows([system_summary(system) for system in chosen], args.format, SUMMARY_KEYS):
        return
    if not chosen:
        print("no system matches these filters; run 'weaponsref list' to see all", file=sys.stderr)
        return
    print(wr.table(chosen, unit=args.unit, fmt=args.format))
