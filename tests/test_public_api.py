"""The public face: every public name is listed in __all__, and the package ships its types."""

from __future__ import annotations

import inspect
from importlib import resources

import weaponsref as wr


def test_every_public_name_is_listed() -> None:
    public = {
        name
        for name in vars(wr)
        if not name.startswith("_") and not inspect.ismodule(getattr(wr, name))
    }
    assert public - {"annotations"} == set(wr.__all__) - {"__version__"}
    for name in wr.__all__:
        assert hasattr(wr, name), name


#: The module-level functions that answer from the current catalogue.
CATALOGUE_FUNCTIONS = (
    "systems",
    "sources",
    "get",
    "lookup",
    "search",
    "table",
    "reaches",
    "reach_table",
    "range_ring",
    "within_range",
)


def test_module_level_functions_answer_from_the_current_catalogue() -> None:
    catalogue = wr.default_catalogue()
    assert wr.current_catalogue() is catalogue
    assert wr.systems() == catalogue.systems()
    assert wr.sources() == catalogue.sources()
    assert wr.lookup("bober") is catalogue.lookup("bober")
    for name in CATALOGUE_FUNCTIONS:
        assert getattr(wr, name).__doc__, name


def test_the_package_ships_py_typed_and_its_data() -> None:
    folder = resources.files("weaponsref")
    assert (folder / "py.typed").is_file()
    for name in (
        "outlets.toml",
        "sources.toml",
        "systems.toml",
        "catalogue.parsed.json",
        "catalogue.schema.json",
        "places.toml",
        "gazetteer.sqlite",
        "LICENSES.md",
        "GEONAMES.md",
    ):
        assert (folder / "data" / name).is_file(), name


def test_public_callables_have_docstrings_with_examples() -> None:
    others = ("distance", "place", "load_catalogue")
    for name in (*CATALOGUE_FUNCTIONS[2:], *others):
        doc = getattr(wr, name).__doc__ or ""
        assert ">>>" in doc, f"{name} has no example"
