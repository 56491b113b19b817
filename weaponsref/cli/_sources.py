"""``weaponsref sources``: the bibliography, as citations in a style, as CSL-JSON or BibTeX for
a reference manager, or as a table."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Final

from weaponsref.cli._output import print_json, print_rows
from weaponsref.cli._types import format_arg
from weaponsref.records import CITATION_STYLES

__all__ = ["BIBLIOGRAPHY_FORMATS", "CITATION_STYLES", "format_choice", "run"]

_KEYS = ("id", "cited_as", "kind", "language", "published", "title", "url", "note")

#: The formats of a reference manager's bibliography, besides the citations and the tables.
BIBLIOGRAPHY_FORMATS: Final = ("csl-json", "bibtex")


def format_choice(value: str) -> str:
    """The format of ``weaponsref sources``: citation (the default), csl-json, bibtex, or any
    of :func:`~weaponsref.cli._types.format_arg` (json, csv, tsv or a tabulate format)."""
    if value == "citation" or value in BIBLIOGRAPHY_FORMATS:
        return value
    try:
        return format_arg(value)
    except argparse.ArgumentTypeError as error:
        raise argparse.ArgumentTypeError(
            f"choose citation, {', '.join(BIBLIOGRAPHY_FORMATS)} or a table format ({error})"
        ) from None


def _cited_by(names: Sequence[str]) -> set[str]:
    """The ids of the sources these systems cite."""
    import weaponsref as wr

    return {source.id for name in names for source in wr.lookup(name).sources}


def run(args: argparse.Namespace) -> None:
    """Print every source (or those --system cites) as a citation a line in the --style asked
    for, as CSL-JSON or BibTeX, or as rows whose last cell is the citation in that style."""
    import weaponsref as wr

    chosen = [s for s in wr.sources() if not args.system or s.id in _cited_by(args.system)]
    style = getattr(args, "style", "apa")
    if args.format == "citation":
        for source in chosen:
            print(source.cite(style))
        return
    if args.format == "csl-json":
        print_json(wr.records.csl_json(chosen))
        return
    if args.format == "bibtex":
        print(wr.records.bibtex(chosen), end="")
        return
    rows = [
        {**{key: source.to_dict()[key] for key in _KEYS}, "citation": source.cite(style)}
        for source in chosen
    ]
    if not print_rows(rows, args.format):
        from weaponsref.tables import render

        headers = ["Id", "Cited as", "Kind", "Language", "Published", "Title"]
        table = [
            [r["id"], r["cited_as"], r["kind"], r["language"], r["published"] or "", r["title"]]
            for r in rows
        ]
        print(render(table, headers, args.format))
