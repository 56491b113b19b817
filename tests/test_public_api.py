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


#: The module-level functions that are the default catalogue's bound methods.
CATALOGUE_METHODS = (
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


def test_module_level_functions_are_the_default_catalogues_methods() -> None:
    catalogue = wr.default_catalogue()
    for name in CATALOGUE_METHODS:
        function = getattr(wr, name)
        assert function.__self__ is catalogue, name
        assert function.__doc__, name


def test_the_package_ships_py_typed_and_its_data() -> None:
    folder = resources.files("weaponsref")
    assert (folder / "py.typed").is_file()
    for name in (
        "sources.toml",
        "systems.toml",
        "places.toml",
        "cities15000.tsv.gz",
        "LICENSES.md",
        "GEONAMES.md",
    ):
        assert (folder / "data" / name).is_file(), name


def test_public_callables_have_docstrings_with_examples() -> None:
    others = ("distance", "place", "load_catalogue")
    for name in (*CATALOGUE_METHODS[2:], *others):
        doc = getattr(wr, name).__doc__ or ""
        assert ">>>" in doc, f"{name} has no example"
