"""Shell completion through argcomplete, when it is installed.

argcomplete calls a completer with the word typed so far (``prefix``) and the arguments
parsed so far (``parsed_args``); it returns candidates, which argcomplete filters by the
prefix. Without argcomplete the command works the same, without completion.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from weaponsref._units import LENGTH_UNITS
from weaponsref.cli._common import CATALOGUE_ENV
from weaponsref.cli._output import DELIMITED
from weaponsref.errors import WeaponsrefError

__all__ = [
    "autocomplete",
    "complete",
    "complete_formats",
    "complete_operators",
    "complete_places",
    "complete_sources",
    "complete_systems",
    "complete_units",
    "complete_variants",
]


def complete(action: argparse.Action, completer: Callable[..., list[str]]) -> None:
    """Complete the values of ``action`` with ``completer``."""
    action.completer = completer  # type: ignore[attr-defined]


def _matching(prefix: str, names: Iterator[str] | Sequence[str]) -> list[str]:
    """The names starting with ``prefix`` whatever its case, each in the case typed so far
    (the shell keeps only candidates that start with exactly what was typed).

    >>> _matching("bo", ["Bober", "bober", "HIMARS"])
    ['bober']
    """
    low = prefix.casefold()
    found = (prefix + name[len(prefix) :] for name in names if name.casefold().startswith(low))
    return list(dict.fromkeys(found))


def _completion_catalogue(parsed_args: Any) -> Any:
    from weaponsref.catalogue import current_catalogue, load_catalogue

    path = getattr(parsed_args, "catalogue", None) or os.environ.get(CATALOGUE_ENV)
    return load_catalogue(path) if path else current_catalogue()


def complete_systems(prefix: str = "", parsed_args: Any = None, **_: Any) -> list[str]:
    """System ids, names and aliases."""
    try:
        catalogue = _completion_catalogue(parsed_args)
    except (WeaponsrefError, OSError, ValueError):
        return []
    names = (n for s in catalogue.systems() for n in (s.id, s.name, *s.aliases))
    return _matching(prefix, names)


def complete_places(prefix: str = "", **_: Any) -> list[str]:
    """Place names, once a letter has been typed."""
    from weaponsref.gazetteer import search_places

    if not prefix.strip() or not prefix.strip()[0].isalpha():
        return []  # coordinates, or nothing typed yet: too many to list
    return _matching(prefix, [p.name for p in search_places(prefix, limit=30)])


def complete_sources(prefix: str = "", parsed_args: Any = None, **_: Any) -> list[str]:
    """Source ids."""
    try:
        catalogue = _completion_catalogue(parsed_args)
    except (WeaponsrefError, OSError, ValueError):
        return []
    return _matching(prefix, [source.id for source in catalogue.sources()])


def complete_variants(prefix: str = "", parsed_args: Any = None, **_: Any) -> list[str]:
    """Variants, and the names of the munitions launchers launch."""
    try:
        catalogue = _completion_catalogue(parsed_args)
    except (WeaponsrefError, OSError, ValueError):
        return []
    names = [v for system in catalogue.systems() for v in system.variants]
    names += [catalogue.lookup(m).name for s in catalogue.systems() for m in s.launches]
    return _matching(prefix, names)


def complete_operators(prefix: str = "", parsed_args: Any = None, **_: Any) -> list[str]:
    """The countries that operate a system."""
    try:
        catalogue = _completion_catalogue(parsed_args)
    except (WeaponsrefError, OSError, ValueError):
        return []
    return _matching(prefix, sorted({n for s in catalogue.systems() for n in s.operators}))


def complete_formats(prefix: str = "", **_: Any) -> list[str]:
    """json, csv, tsv and the tabulate formats."""
    from tabulate import tabulate_formats

    return _matching(prefix, ["json", *DELIMITED, *sorted(tabulate_formats)])


def complete_units(prefix: str = "", **_: Any) -> list[str]:
    """The length units."""
    return _matching(prefix, LENGTH_UNITS)


def autocomplete(parser: argparse.ArgumentParser) -> None:
    """Answer the shell's completion request, if this is one and argcomplete is installed
    (it then exits); otherwise do nothing."""
    try:
        import argcomplete
    except ImportError:
        return
    argcomplete.autocomplete(parser)
