"""Helpers shared by the test modules: small user catalogues written to a file and loaded,
a broken one's error, TOML written from plain data, a point a distance away by GeographicLib,
and the command line run in this process with its output captured.

``tests`` is not a package; conftest.py puts this folder on ``sys.path``, so a test module
imports this one as ``helpers``.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import numpy as np
import pytest

import weaponsref as wr
from weaponsref.errors import CatalogueError

if TYPE_CHECKING:
    import jsonschema

#: The packaged data folder.
DATA = Path(__file__).resolve().parent.parent / "weaponsref" / "data"

__all__ = [
    "DATA",
    "NOTES_SOURCE",
    "assert_short_error",
    "broken_file_error",
    "far_only",
    "load_text",
    "north_of",
    "run_cli",
    "schema_validator",
    "toml_text",
    "write_catalogue",
]

#: A made-up news source, "notes", of 2024-01-15, for the made-up systems of a user catalogue.
NOTES_SOURCE = """
[[sources]]
id = "notes"
publisher = "Notes"
kind = "news"
language = "en"
title = "Notes"
published = 2024-01-15
url = "https://example.org/notes"
"""


def far_only(qualifier: str) -> str:
    """A catalogue of :data:`NOTES_SOURCE` and one made-up system, "Far Only", with a range of
    500 km under ``qualifier`` ("up to", "more than"...) and a minimum range of 100 km."""
    return f"""{NOTES_SOURCE}
[[systems]]
id = "far-only"
name = "Far Only"
category = "example"
origin = "Nowhere"
description = "A made-up system that cannot strike near."
[[systems.claims]]
figure = "range"
value = "500 km"
qualifier = "{qualifier}"
source = "notes"
quote = "{qualifier} 500 km"
[[systems.claims]]
figure = "minimum_range"
value = "100 km"
qualifier = "stated"
source = "notes"
quote = "cannot strike nearer than 100 km"
"""


def write_catalogue(folder: Path, text: str, name: str = "mine.toml") -> Path:
    """``text`` written as the catalogue file ``name`` in ``folder`` (UTF-8); its path."""
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def load_text(folder: Path, text: str, *, builtin: bool = True) -> wr.Catalogue:
    """The catalogue of ``text``, written in ``folder`` and loaded (beside the built-in
    catalogue unless ``builtin`` is False)."""
    return wr.load_catalogue(write_catalogue(folder, text), builtin=builtin)


def broken_file_error(folder: Path, text: str, old: str, new: str) -> CatalogueError:
    """The :class:`CatalogueError` that loading ``text`` with its first ``old`` replaced by
    ``new`` raises (the test fails if ``old`` is not in ``text`` or nothing is raised)."""
    assert old in text
    with pytest.raises(CatalogueError) as info:
        wr.load_catalogue(write_catalogue(folder, text.replace(old, new, 1)))
    return info.value


def toml_text(document: dict[str, Any]) -> str:
    """A TOML file of arrays of tables of strings and lists of strings, from plain data: each
    entry a ``[[table]]`` and each list of dicts in it a ``[[table.key]]``."""
    lines: list[str] = []

    def table(path: str, entry: dict[str, Any]) -> None:
        lines.append(f"[[{path}]]")
        for key, value in entry.items():
            if not (isinstance(value, list) and value and isinstance(value[0], dict)):
                lines.append(f"{key} = {json.dumps(value)}")
        for key, value in entry.items():
            if isinstance(value, list) and value and isinstance(value[0], dict):
                for item in value:
                    table(f"{path}.{key}", item)

    for key, entries in document.items():
        for entry in entries:
            table(key, entry)
    return "\n".join(lines) + "\n"


def schema_validator() -> jsonschema.Draft202012Validator:
    """A validator of the shipped ``catalogue.schema.json`` (itself checked against draft
    2020-12), with its formats checked."""
    import jsonschema

    schema = json.loads((DATA / "catalogue.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def north_of(lat: float, lon: float, km: float) -> tuple[float, float]:
    """The point ``km`` kilometres due north of (``lat``, ``lon``) on WGS84, by
    GeographicLib's Direct problem (the independent authority)."""
    from geographiclib.geodesic import Geodesic

    line = Geodesic.WGS84.Direct(lat, lon, 0.0, km * 1000.0)
    return line["lat2"], line["lon2"]


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """``weaponsref ARGV`` in this process: the exit status, stdout and stderr (argparse's own
    exits, for --help or bad arguments, give their status too)."""
    from weaponsref.cli import main

    try:
        status = main(list(argv))
    except SystemExit as exit_:
        status = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return status, out, err


def assert_short_error(status: int, out: str, err: str, *needles: str) -> None:
    """A refused command: status 2, nothing on stdout, one line on stderr holding every
    needle, and no traceback."""
    assert status == 2
    assert out == ""
    assert "Traceback" not in err
    assert err.endswith("\n") and err.count("\n") == 1, err
    for needle in needles:
        assert needle in err


def uniform_points(n: int, rng: np.random.Generator) -> tuple[Any, Any]:
    """``n`` points uniform on the sphere: (latitudes, longitudes) in degrees."""
    return np.degrees(np.arcsin(rng.uniform(-1, 1, n))), rng.uniform(-180, 180, n)


def cluster_points(n: int, lat: float, lon: float, rng: np.random.Generator) -> tuple[Any, Any]:
    """Points uniform in area over about 10 by 14 degrees round (lat, lon), wrapped at 180."""
    south, north = np.radians(max(-90.0, lat - 5.0)), np.radians(min(90.0, lat + 5.0))
    lats = np.degrees(np.arcsin(rng.uniform(np.sin(south), np.sin(north), n)))
    return lats, (lon + rng.uniform(-7.0, 7.0, n) + 180.0) % 360.0 - 180.0


def module_from(path: Path, name: str) -> ModuleType:
    """The Python file ``path`` loaded as a module called ``name``: another test module or a
    tool script, for the helpers it holds."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def explorer_script(site: Path, file: str, name: str) -> Any:
    """The value a data script of the built explorer (``_static/explorer/FILE``) assigns to
    ``window.NAME``: the whole file must be that one assignment of JSON."""
    text = (site / "_static" / "explorer" / file).read_text(encoding="utf-8")
    prefix = f"window.{name} = "
    assert text.startswith(prefix) and text.endswith(";\n"), file
    return json.loads(text[len(prefix) : -2])
