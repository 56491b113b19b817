"""``weaponsref export``: the catalogue as CSV tables with a Frictionless datapackage.json,
and JSON, written into a folder whole or not at all (see
:func:`weaponsref.export.export_catalogue`)."""

from __future__ import annotations

import argparse
import os
import sys

from weaponsref.cli._common import CommandLineError

__all__ = ["run"]


def run(args: argparse.Namespace) -> None:
    """Write the files, print their paths, and say how to check them on stderr.

    Raises :class:`CommandLineError` for an empty folder name (it would write into the
    current folder unasked); what :func:`~weaponsref.export.export_catalogue` raises (a
    folder that holds other files, a full disk naming the file) passes through, to be
    printed as one line.
    """
    from weaponsref.export import export_catalogue

    if not args.directory.strip():
        raise CommandLineError(
            "export: the folder name is empty; give the folder to write into, "
            "or '.' for the current one"
        )
    written = export_catalogue(args.directory)
    for path in written:
        print(path)
    print(
        f"wrote {len(written)} files to {args.directory}; check them with "
        f"`frictionless validate {os.path.join(args.directory, 'datapackage.json')}`",
        file=sys.stderr,
    )
