"""The ``weaponsref`` command line: ``main`` runs it, ``build_parser`` describes it.

Every subcommand prints a table (any tabulate format), CSV or TSV (written by :mod:`csv`, one
row per line with the same cells as JSON), or JSON with stable keys. Errors print one line on
stderr, never a traceback, and exit with status 2; warnings print one line each. With
argcomplete installed (``pip install 'weaponsref[completion]'``), bash and zsh complete
commands, options, system names and place names.

A module a subcommand (``_list``, ``_show``, ``_compare``, ``_reach``, ``_ring``, ``_map``,
``_inside``, ``_places``, ``_import``, ``_sources``, ``_export``) runs it; ``_parser`` builds
the parser from one small function a subcommand, ``_origins`` turns --from and --from-area
into an origin, ``_completion`` completes words in the shell, and ``_main`` runs it all.
"""

from __future__ import annotations

from weaponsref.cli._common import CATALOGUE_ENV
from weaponsref.cli._main import main
from weaponsref.cli._parser import build_parser

__all__ = ["CATALOGUE_ENV", "build_parser", "main"]
