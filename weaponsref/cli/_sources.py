"""``weaponsref sources``: the bibliography, as citations or a table."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from weaponsref.cli._output import print_rows

__all__ = ["run"]

_KEYS = ("id", "cited_as", "kind", "language", "published", "title", "url", "note")


def _cited_by(names: Sequence[str]) -> set[str]:
    """The ids of the sources these systems cite."""
    import weaponsref as wr

    return {source.id for name in names for source in wr.lookup(name).sources}


def run(args: argparse.Namespace) -> None:
    """Print every source (or those --system cites) as a citation a line, or as rows."""
    import weaponsref as wr

    chosen = [s for s in wr.sources() if not args.system or s.id in _cited_by(args.system)]
    if args.format == "citation":
        for source in chosen:
            print(source.citation)
        return
    rows = [{key: source.to_dict()[key] for key in _KEYS} for source in chosen]
    if not print_rows(rows, args.format):
        from weaponsref.tables import render

        headers = ["Id", "Cited as", "Kind", "Language", "Published", "Title"]
        table = [
            [r["id"], r["cited_as"], r["kind"], r["language"], r["published"] or "", r["title"]]
            for r in rows
        ]
        print(render(table, headers, args.format))
