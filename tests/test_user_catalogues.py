"""User catalogues: load_catalogue() reads the built-in schema, and a broken file raises only
CatalogueError, naming the file, the table path and the problem."""

from __future__ import annotations

import contextlib
import datetime as dt
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from helpers import broken_file_error, load_text, write_catalogue
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import weaponsref as wr
from weaponsref._catalogue_file import parse as _parse
from weaponsref._catalogue_file import parse_document
from weaponsref.errors import CatalogueError

GOOD = """
[[sources]]
id = "my-notes"
publisher = "My newsroom"
kind = "news"
language = "en"
published = 2024-01-02

[[systems]]
id = "example-drone"
name = "Example Drone"
aliases = ["ExDrone"]
category = "teaching example"
origin = "Nowhere"
description = "A made-up system for a class."

[[systems.claims]]
figure = "range"
value = "300 km"
qualifier = "about"
source = "my-notes"
quote = "about 300 km"
preferred = true

[[systems.claims]]
figure = "range"
variant = "long"
value = "420 km"
qualifier = "up to"
source = "dailymail-2023-08-01"
quote = "up to 420 km"
"""


def test_user_catalogue_adds_to_the_builtin_one(tmp_path: Path) -> None:
    mine = load_text(tmp_path, GOOD)
    assert [s.id for s in mine.systems()] == [*(s.id for s in wr.systems()), "example-drone"]
    drone = mine.lookup("exdrone")
    assert drone.range.to("km").magnitude == 300
    assert drone.claim("range", "long").source is wr.default_catalogue().source(
        "dailymail-2023-08-01"
    )
    assert mine.lookup("Bober") is wr.lookup("Bober")
    assert "my-notes" in [s.id for s in mine.sources()]
    assert wr.get("Example Drone") is None  # the default catalogue is untouched
    reach = wr.reaches("Example Drone", "Kyiv", "Odesa", catalogue=mine)
    assert reach.system is drone
    assert "Example Drone" in wr.table(catalogue=mine)
    with wr.use_catalogue(mine) as chosen:
        assert chosen is mine
        assert wr.current_catalogue() is mine
        assert wr.reaches("Example Drone", "Kyiv", "Odesa").system is drone
        assert "Example Drone" in wr.table()
    assert wr.current_catalogue() is wr.default_catalogue()
    assert wr.get("Example Drone") is None


def test_use_catalogue_takes_a_path_and_refuses_other_things(tmp_path: Path) -> None:
    with wr.use_catalogue(write_catalogue(tmp_path, GOOD)) as chosen:
        assert wr.lookup("exdrone") is chosen.lookup("exdrone")
    assert wr.get("exdrone") is None
    # A value of the wrong type is a bad argument, not a broken file.
    with pytest.raises(wr.ArgumentError, match="must be a Catalogue, the path"):
        wr.use_catalogue(42)  # type: ignore[arg-type]
    with pytest.raises(wr.ArgumentError, match=r"path must be a str or pathlib\.Path"):
        wr.load_catalogue(42)  # type: ignore[arg-type]
    previous = wr.use_catalogue(write_catalogue(tmp_path, GOOD))
    try:
        assert wr.get("exdrone") is not None
    finally:
        wr.use_catalogue(None)
    assert wr.get("exdrone") is None
    del previous


def test_user_catalogue_alone(tmp_path: Path) -> None:
    mine = load_text(tmp_path, GOOD, builtin=False)
    assert [s.id for s in mine.systems()] == ["example-drone"]
    assert [s.id for s in mine.sources()] == ["dailymail-2023-08-01", "my-notes"]
    assert mine.get("Bober") is None


@pytest.mark.parametrize(
    ("old", "new", "location", "problem"),
    [
        ('value = "300 km"', 'value = "300 kg"', "systems[0].claims[0].value", "not a [length]"),
        ('value = "300 km"', "value = 300", "systems[0].claims[0].value", "must be a string"),
        ('value = "300 km"', 'value = "-3 km"', "systems[0].claims[0].value", "above zero"),
        (
            'source = "my-notes"',
            'source = "my-note"',
            "systems[0].claims[0].source",
            "did you mean 'my-notes'",
        ),
        ('quote = "about 300 km"\n', "", "systems[0].claims[0].quote", "missing"),
        (
            'figure = "range"\nvalue = "300',
            'figure = "lethality"\nvalue = "300',
            "systems[0].claims[0].figure",
            "not one of",
        ),
        ('id = "example-drone"', 'id = "bober"', "systems[0].id", "used twice"),
        ('aliases = ["ExDrone"]', 'aliases = ["Beaver"]', "systems[0]", "already names 'Bober'"),
        ('aliases = ["ExDrone"]', 'aliases = "ExDrone"', "systems[0].aliases", "list of strings"),
        ("published = 2024-01-02", 'published = "2 Jan 2024"', "sources[0].published", "TOML date"),
        ('kind = "news"', 'kind = "rumour"', "sources[0].kind", "not one of"),
        ('id = "my-notes"', 'id = "dailymail-2023-08-01"', "sources[0].id", "used twice"),
        (
            "preferred = true\n",
            'preferred = true\ncolour = "red"\n',
            "systems[0].claims[0].colour",
            "unknown key",
        ),
        (
            'variant = "long"\n',
            'variant = "long"\npreferred = "yes"\n',
            "systems[0].claims[1].preferred",
            "true or false",
        ),
    ],
)
def test_broken_files_name_the_file_path_and_problem(
    tmp_path: Path, old: str, new: str, location: str, problem: str
) -> None:
    error = broken_file_error(tmp_path, GOOD, old, new)
    path = tmp_path / "mine.toml"  # where broken_file_error wrote it
    assert isinstance(error, ValueError)
    assert error.path == str(path)
    assert error.location == location
    assert problem in error.problem
    assert str(error).startswith(f"{path}: {location}: ")


def test_of_several_faults_the_first_declared_field_is_named_whatever_the_key_order(
    tmp_path: Path,
) -> None:
    # The claim's keys written in reverse: 'note' (a wrong kind) comes first in the file and
    # 'quote' (missing) last, yet the schema declares 'quote' before 'note', so the reader
    # names 'quote', as it would have with the keys in declared order. An unknown key is
    # named before either.
    claim = (
        'note = 7\nsource = "my-notes"\nqualifier = "about"\nvalue = "300 km"\nfigure = "range"\n'
    )
    text = GOOD.replace(
        'figure = "range"\nvalue = "300 km"\nqualifier = "about"\nsource = "my-notes"\n'
        'quote = "about 300 km"\n',
        claim,
    )
    assert claim in text
    with pytest.raises(CatalogueError) as caught:
        wr.load_catalogue(write_catalogue(tmp_path, text))
    assert caught.value.location == "systems[0].claims[0].quote"
    assert "missing" in caught.value.problem
    with pytest.raises(CatalogueError) as caught:
        wr.load_catalogue(write_catalogue(tmp_path, text.replace(claim, claim + "colour = 1\n")))
    assert caught.value.location == "systems[0].claims[0].colour"
    with pytest.raises(CatalogueError) as caught:
        wr.load_catalogue(write_catalogue(tmp_path, text.replace(claim, claim + 'quote = "q"\n')))
    assert caught.value.location == "systems[0].claims[0].note"
    assert "must be a string" in caught.value.problem


def test_bad_toml_and_missing_files(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError, match="not valid TOML"):
        wr.load_catalogue(write_catalogue(tmp_path, "[[systems]\nid ="))
    with pytest.raises(CatalogueError, match="cannot be read"):
        wr.load_catalogue(tmp_path / "nowhere.toml")
    bad_bytes = tmp_path / "latin1.toml"
    bad_bytes.write_bytes(b'name = "caf\xe9"')
    with pytest.raises(CatalogueError, match="UTF-8"):
        wr.load_catalogue(bad_bytes)


def test_a_bad_builtin_file_loads_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    from weaponsref import catalogue as module

    real = module._read_package_file

    def broken(name: str) -> str:
        text = real(name)
        return text.replace('low = "15 km"', 'low = "15 kg"') if name == "systems.toml" else text

    monkeypatch.setattr(module, "_read_package_file", broken)
    fresh = module.Catalogue(module._load_builtin, "broken")
    with pytest.raises(CatalogueError, match=r"systems\[16\]\.claims\[1\]\.low"):
        fresh.systems()
    assert fresh._contents is None  # nothing half-loaded


# --------------------------------------------------------------------------- hypothesis

_KNOWN = {s.id: s for s in wr.sources()}

toml_scalars = st.one_of(
    st.text(max_size=20),
    st.integers(),
    st.floats(allow_nan=True),
    st.booleans(),
    st.dates(),
    st.just("621 mi"),
    st.just("range"),
    st.just("dailymail-2023-08-01"),
)
toml_values = st.recursive(
    toml_scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                ["id", "name", "figure", "value", "claims", "systems", "sources", "low", "quote"]
            )
            | st.text(max_size=8),
            children,
            max_size=5,
        )
    ),
    max_leaves=25,
)


def _toml(value: Any) -> str:
    """A tiny TOML writer for the generated documents (inline tables and arrays)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return {"nan": "nan", "inf": "inf", "-inf": "-inf"}.get(repr(value), repr(value))
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return '"' + value.encode("unicode_escape").decode("ascii").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return "{" + ", ".join(f"{_toml(str(k))} = {_toml(v)}" for k, v in value.items()) + "}"


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["systems", "sources"]) | st.text(max_size=6), toml_values, max_size=3
    )
)
def test_random_documents_raise_only_catalogue_errors(document: dict[str, Any]) -> None:
    text = "\n".join(f"{_toml(str(k))} = {_toml(v)}" for k, v in document.items())
    with contextlib.suppress(CatalogueError):
        _parse("random.toml", text, _KNOWN)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.data())
def test_random_mutations_of_a_valid_file_raise_only_catalogue_errors(data: st.DataObject) -> None:
    document = tomllib.loads(GOOD)
    # Walk to a random table and change, drop or add one key.
    node: Any = document
    while True:
        if isinstance(node, dict) and node:
            key = data.draw(st.sampled_from(sorted(node)))
            child = node[key]
            if isinstance(child, dict | list) and data.draw(st.booleans()):
                node = child
                continue
            action = data.draw(st.sampled_from(["change", "drop", "add"]))
            if action == "change":
                node[key] = data.draw(toml_values)
            elif action == "drop":
                del node[key]
            else:
                node[data.draw(st.text(min_size=1, max_size=8))] = data.draw(toml_values)
            break
        if isinstance(node, list) and node:
            index = data.draw(st.integers(0, len(node) - 1))
            if isinstance(node[index], dict | list) and data.draw(st.booleans()):
                node = node[index]
                continue
            node[index] = data.draw(toml_values)
            break
        break
    text = _dump(document)
    with contextlib.suppress(CatalogueError):
        _parse("mutated.toml", text, _KNOWN)


def _dump(document: dict[str, Any]) -> str:
    return "\n".join(f"{_toml(str(k))} = {_toml(v)}" for k, v in document.items())


def test_the_tiny_toml_writer_round_trips_the_good_file() -> None:
    document = tomllib.loads(GOOD)
    assert tomllib.loads(_dump(document)) == document
    _, systems = _parse("good.toml", _dump(document), _KNOWN)
    assert [s.id for s in systems] == ["example-drone"]


def test_the_packaged_files_parse_with_the_user_schema() -> None:
    folder = resources.files("weaponsref") / "data"
    outlets, none, no_systems = parse_document(
        "outlets.toml", (folder / "outlets.toml").read_text("utf-8"), {}
    )
    assert none == [] == no_systems
    known = {o.id: o for o in outlets}
    sources, none = _parse(
        "sources.toml", (folder / "sources.toml").read_text("utf-8"), {}, None, known
    )
    assert none == []
    _, systems = _parse(
        "systems.toml", (folder / "systems.toml").read_text("utf-8"), {s.id: s for s in sources}
    )
    assert len(systems) == len(wr.systems()) >= 20
    assert len(outlets) == len(wr.default_catalogue().outlets())
