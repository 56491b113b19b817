"""``weaponsref areas``: the areas to measure from (countries, regions, imported maps), and
``weaponsref areas import`` and ``areas remove`` for the user's own."""

from __future__ import annotations

import argparse
import sys
from typing import Any, Final

from weaponsref.cli._common import CommandLineError, cap
from weaponsref.cli._output import human, print_rows

__all__ = ["run", "run_import", "run_remove"]

_AREA_KEYS: Final = ("name", "kind", "source", "date", "file", "imported", "selection")


def _rows() -> list[dict[str, Any]]:
    """Every area by name: countries, regions, then the user's imported areas."""
    from weaponsref.gazetteer import (
        COUNTRIES_DATE,
        COUNTRIES_SOURCE,
        REGIONS_DATE,
        REGIONS_SOURCE,
        country_names,
        imported_areas,
        region_names,
    )

    def built_in(name: str, kind: str, source: str, date: str) -> dict[str, Any]:
        return dict.fromkeys(_AREA_KEYS) | {
            "name": name,
            "kind": kind,
            "source": source,
            "date": date,
        }

    rows = [built_in(n, "country", COUNTRIES_SOURCE, COUNTRIES_DATE) for n in country_names()]
    rows += [built_in(n, "region", REGIONS_SOURCE, REGIONS_DATE) for n in region_names()]
    rows += [
        {
            "name": a.name,
            "kind": "imported",
            "source": a.source,
            "date": a.date,
            "file": a.file,
            "imported": a.imported,
            "selection": a.selection or None,
        }
        for a in imported_areas()
    ]
    return rows


def run(args: argparse.Namespace) -> None:
    """Print the areas whose name holds the query (every area without one), with where
    each outline is from and its date."""
    from weaponsref.gazetteer import name_key

    key = name_key(args.query or "")
    rows = [r for r in _rows() if key in name_key(r["name"])]
    if args.kind:
        rows = [r for r in rows if r["kind"] == args.kind]
    if print_rows(rows, args.format, _AREA_KEYS):
        return
    if not rows:
        print(f"no area's name holds {cap(repr(args.query))}", file=sys.stderr)
        return
    from weaponsref.tables import render

    table = [[r["name"], r["kind"], r["source"], r["date"], r["file"] or ""] for r in rows]
    print(render(table, ["Area", "Kind", "Source", "Date", "File"], args.format))
    if human(args.format) and not any(r["kind"] == "imported" for r in rows):
        print("\nImport your own (a map of control, a district): weaponsref areas import --help")


def _where(pairs: list[str]) -> dict[str, str]:
    selected: dict[str, str] = {}
    for pair in pairs:
        key, sign, value = pair.partition("=")
        if not sign or not key:
            raise CommandLineError(
                f"--where {cap(repr(pair))} is not KEY=VALUE; give a property and its value, "
                "such as --where status=occupied"
            )
        selected[key] = value
    return selected


def run_import(args: argparse.Namespace) -> None:
    """Import the file and say what was kept, under which name, date and source."""
    from weaponsref.gazetteer import import_area

    info = import_area(
        args.file,
        name=args.name,
        date=args.date,
        source=args.source,
        layer=args.layer,
        where=_where(args.where),
        replace=args.replace,
    )
    features = "feature" if info.features == 1 else "features"
    chosen = f" ({info.selection})" if info.selection else ""
    print(
        f"imported {info.features:,} {features}{chosen} of {info.file} as {info.name!r}, "
        f"dated {info.date}, source {info.source}, into {info.path}"
    )
    print(f"measure from it: weaponsref reach --from-area {_quoted(info.name)} --to PLACE")


def _quoted(name: str) -> str:
    return f"'{name}'" if any(not (c.isalnum() or c in "-_.") for c in name) else name


def run_remove(args: argparse.Namespace) -> None:
    """Remove an imported area and say which."""
    from weaponsref.gazetteer import remove_area

    info = remove_area(args.name)
    print(f"removed {info.name!r} (dated {info.date}, from {info.file}), {info.path}")
