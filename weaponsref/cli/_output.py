"""How the commands print rows: JSON with stable keys, CSV or TSV through :mod:`csv` (one row
per line, the same cells as JSON), or a table in any tabulate format."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import Any, Final, TextIO

from weaponsref._text import csv_writer, spreadsheet_safe

__all__ = ["DELIMITED", "cell", "human", "print_delimited", "print_json", "print_rows"]

#: Formats written by the csv module rather than tabulate, with their delimiters.
DELIMITED: Final = {"csv": ",", "tsv": "\t"}
#: Table formats read by people, after which a command may print a note.
_HUMAN: Final = {"simple", "plain", "github", "pipe", "psql", "rst", "pretty", "presto", "orgtbl"}


def print_json(data: Any) -> None:
    """``data`` as indented JSON, non-ASCII letters as they are."""
    print(json.dumps(data, ensure_ascii=False, indent=2))


def cell(value: Any) -> str:
    """A JSON value as one CSV cell: null is empty, booleans and numbers as JSON writes them
    (a number is never altered: ``-33.9`` stays a number), a list joined by '; ', and text
    a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``, a tab or a carriage
    return first) given a leading apostrophe (:func:`weaponsref._text.spreadsheet_safe`).

    >>> cell(None), cell(True), cell(-2.5), cell(["a", 1]), cell("=1+1"), cell("-51.3 km")
    ('', 'true', '-2.5', 'a; 1', "'=1+1", "'-51.3 km")
    """
    if value is None:
        return ""
    if isinstance(value, bool | int | float):
        return json.dumps(value)
    if isinstance(value, list | tuple):
        return spreadsheet_safe("; ".join(_plain(item) for item in value))
    return spreadsheet_safe(str(value))


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool | int | float):
        return json.dumps(value)
    return str(value)


def print_delimited(
    rows: Sequence[dict[str, Any]], fmt: str, headers: Sequence[str] | None = None
) -> None:
    """Rows as CSV or TSV through the csv module: a header of the JSON keys, then one line
    per row with the same cells as JSON (see :func:`cell`); nothing is padded, and a cell
    holding a line break or a carriage return is quoted
    (:func:`weaponsref._text.csv_writer`)."""
    keys = list(headers if headers is not None else (rows[0] if rows else ()))
    if not keys:
        return
    out: TextIO = sys.stdout
    writer = csv_writer(out, DELIMITED[fmt])
    writer.writerow(keys)
    for row in rows:
        writer.writerow([cell(row.get(key)) for key in keys])


def print_rows(
    rows: Sequence[dict[str, Any]], fmt: str, headers: Sequence[str] | None = None
) -> bool:
    """Print ``rows`` as JSON, CSV or TSV and return True; False for a table format."""
    if fmt == "json":
        print_json(list(rows))
        return True
    if fmt in DELIMITED:
        print_delimited(rows, fmt, headers)
        return True
    return False


def human(fmt: str) -> bool:
    """Whether ``fmt`` is a table format for people (a note may follow it).

    >>> human("github"), human("fancy_grid"), human("latex")
    (True, True, False)
    """
    return fmt in _HUMAN or fmt.endswith(("grid", "outline"))
