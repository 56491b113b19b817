"""Collection settings for pytest: the package's docstrings run as doctests.

Every test, doctests too, gets its own empty user data folder, so that a gazetteer the
developer imported (``weaponsref places import``) changes no result and no test writes one;
the default gazetteer is reopened for it, since it reads the folder when it opens.

Tests that take a second or more, or start other programs, are marked ``slow`` here, in one
list, so that ``pytest -m "not slow and not browser"`` is a fast loop (under a minute) and
plain ``pytest`` runs everything.
"""

from __future__ import annotations

import pytest

collect_ignore = ["weaponsref/__main__.py", "docs", "benchmarks", "tools"]

#: Whole test modules that are slow: they build the docs site, draw maps, fuzz, or start
#: subprocesses (import-linter, killed writers, node).
SLOW_MODULES = frozenset(
    {
        "test_docs_site.py",
        "test_explorer.py",
        "test_explorer_rule.py",
        "test_maps.py",
        "test_maps_origins.py",
        "test_hostile_input.py",
        "test_layers.py",
        "test_scale.py",
        "test_files.py",
        "test_gazetteer_files.py",
        "test_faults.py",
    }
)

#: Single slow tests in otherwise quick modules (each parametrisation counts).
SLOW_TESTS = frozenset(
    {
        "test_a_buffer_under_half_its_tolerance_is_a_correct_polygon",
        "test_distance_from_an_area_matches_brute_force",
        "test_masks_against_an_area_at_the_range",
        "test_completion_of_systems_and_places",
        "test_map_errors",
        "test_map_writes_a_file",
        "test_map_takes_title_variant_source_dpi_and_pdf",
        "test_the_command_works_without_argcomplete",
        "test_python_dash_m_and_the_script_agree",
        "test_a_map_ring_and_places_from_places_and_areas_together",
        "test_the_database_is_what_the_builder_makes_from_the_extract",
        "test_the_extract_is_what_the_generator_makes",
        "test_masks_match_geod_inv_near_the_antipode",
        "test_ring_geometry_covers_the_disk_property",
        "test_random_documents_raise_only_catalogue_errors",
        "test_random_mutations_of_a_valid_file_raise_only_catalogue_errors",
        "test_every_readme_command_runs",
    }
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        name = getattr(item, "originalname", None) or item.name.split("[")[0]
        module = item.path.name
        if (
            module in SLOW_MODULES
            or name in SLOW_TESTS
            or (module.startswith("_") and "maps" in str(item.path))
        ):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def _own_user_data_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    monkeypatch.setenv("WEAPONSREF_DATA_DIR", str(tmp_path_factory.mktemp("user-data")))
    from weaponsref.gazetteer import default_gazetteer

    default_gazetteer().reload()
