"""The ``weaponsref`` command line: ``main`` runs it, ``build_parser`` describes it."""

from __future__ import annotations

from ._main import CATALOGUE_ENV, build_parser, main

__all__ = ["CATALOGUE_ENV", "build_parser", "main"]
