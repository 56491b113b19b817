"""The command line's argparse types: each turns a word into a value or raises
:class:`argparse.ArgumentTypeError` with a one-line message that names it (cut to 80
characters) and what is accepted."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from weaponsref.cli._common import cap
from weaponsref.cli._output import DELIMITED
from weaponsref.errors import WeaponsrefError

__all__ = ["bounded", "format_arg", "length_arg", "unit_arg"]


def format_arg(value: str) -> str:
    """An output format: json, csv, tsv or any tabulate format."""
    from weaponsref.tables import check_format

    try:
        return check_format(value, extra=("json", *DELIMITED))
    except WeaponsrefError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def length_arg(value: str) -> float:
    """A length such as '500 km', in metres."""
    from weaponsref._units import as_length

    try:
        return float(as_length(value, what="length").to("m").magnitude)
    except WeaponsrefError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def unit_arg(value: str) -> str:
    """A length unit such as km or mi, as given."""
    from weaponsref._units import length_unit

    try:
        length_unit(value)
    except WeaponsrefError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    return value


def bounded(low: int, high: int) -> Callable[[str], int]:
    """A whole number from ``low`` to ``high``.

    >>> bounded(3, 10)("7")
    7
    >>> bounded(3, 10)("2")
    Traceback (most recent call last):
    argparse.ArgumentTypeError: 2 is not from 3 to 10
    """

    def convert(value: str) -> int:
        text = value.strip()
        if not (text.isascii() and text.lstrip("-").isdigit()) or len(text) > 12:
            raise argparse.ArgumentTypeError(f"{cap(repr(value))} is not a whole number")
        number = int(text)
        if not low <= number <= high:
            raise argparse.ArgumentTypeError(f"{number} is not from {low:,} to {high:,}")
        return number

    return convert
