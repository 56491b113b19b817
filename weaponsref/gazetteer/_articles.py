"""The places the two source articles name (``data/places.toml``): read and checked whole.

Each entry gives a place's name, coordinates, country and where they were read; its aliases
find it too. Any fault of the file raises :class:`~weaponsref.errors.GazetteerFileError`
naming the entry and the field.
"""

from __future__ import annotations

import tomllib
from importlib.resources.abc import Traversable
from typing import Any, Final

from weaponsref._text import NameIndex
from weaponsref.errors import GazetteerFileError
from weaponsref.gazetteer._records import Place, _place_problem

__all__: list[str] = []

_PLACE_KEYS: Final = (
    "name",
    "lat",
    "lon",
    "country",
    "population",
    "source",
    "address",
    "aliases",
    "kind",
)
_REQUIRED_KEYS: Final = ("name", "lat", "lon", "country", "source")


def _read_articles(file: Traversable) -> tuple[Place, ...]:
    """Read and check the whole of places.toml; raise GazetteerFileError at the first
    problem."""
    path = str(file)
    try:
        document = tomllib.loads(file.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as error:
        raise GazetteerFileError(path, "", f"not valid TOML: {error}") from None
    extra = sorted(set(document) - {"places"})
    if extra:
        raise GazetteerFileError(path, extra[0], "unknown table; the file holds only [[places]]")
    entries = document.get("places")
    if not isinstance(entries, list) or not entries:
        raise GazetteerFileError(path, "places", "expected one or more [[places]] tables")
    found: list[Place] = []
    index: NameIndex[Place] = NameIndex()
    for number, entry in enumerate(entries):
        record = _article(path, number, entry)
        # Each name and alias must find exactly one place.
        for text, owner in index.add(record.name, record, record.aliases):
            label = "name" if text == record.name else f"aliases[{record.aliases.index(text)}]"
            assert owner is not None  # a Place's names all have letters or digits
            raise GazetteerFileError(
                path,
                f"places[{number}].{label}",
                f"{text!r} is already a name of places[{found.index(owner)}] ({owner.name!r})",
            )
        found.append(record)
    return tuple(found)


def _article(path: str, number: int, entry: object) -> Place:
    """The place of ``places[number]`` in places.toml, checked."""
    where = f"places[{number}]"
    if not isinstance(entry, dict):
        raise GazetteerFileError(path, where, "expected a table")
    unknown = sorted(set(entry) - set(_PLACE_KEYS))
    if unknown:
        raise GazetteerFileError(
            path, f"{where}.{unknown[0]}", f"unknown key; expected one of {_PLACE_KEYS}"
        )
    for key in _REQUIRED_KEYS:
        if key not in entry:
            raise GazetteerFileError(path, f"{where}.{key}", "missing")
    aliases = entry.get("aliases", [])
    fields: dict[str, Any] = {
        **{key: entry.get(key) for key in _PLACE_KEYS if key != "kind"},
        "aliases": tuple(aliases) if isinstance(aliases, list) else aliases,
    }
    kind = entry.get("kind")
    if kind not in (None, "landmark"):
        raise GazetteerFileError(
            path, f"{where}.kind", f"{kind!r:.40} is not 'landmark'; leave it out for a town"
        )
    problem = _place_problem(**fields)
    if problem is not None:
        raise GazetteerFileError(path, f"{where}.{problem[0]}", problem[1])
    return Place(**fields, kind=kind)
