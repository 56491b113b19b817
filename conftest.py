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
        "test_explorer_places.py",
        "test_explorer_areas.py",
        "test_maps_print.py",
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
        # Over 0.6 s each in the quick loop (pytest --durations on the 2-core machine).
        "test_a_geojson_map_is_imported_named_dated_and_measured_from",
        "test_a_long_argument_is_cut_to_80_characters_in_the_message",
        "test_a_mask_is_the_exact_distance_at_the_range",
        "test_a_sorted_set_gives_the_indices_geod_inv_gives",
        "test_a_sorted_target_set_is_exact",
        "test_an_edge_and_its_segment_are_within_the_slack_of_each_other",
        "test_any_spelling_of_an_article_name_finds_the_same_place",
        "test_csv_has_the_cells_of_json",
        "test_derived_file_is_exactly_what_the_builder_makes_from_the_geojson",
        "test_every_claim_of_the_catalogue_gets_reach_s_answers",
        "test_every_output_has_the_declared_keys",
        "test_every_ring_is_valid_and_within_tolerance",
        "test_geodesic_length_is_bounded_by_the_angle_between_normals",
        "test_import_does_not_load_the_data_or_build_pint",
        "test_importing_the_core_does_not_import_pyproj",
        "test_lookup_finds_the_same_object_through_any_spelling",
        "test_map_without_matplotlib_says_which_pip_install",
        "test_masks_match_geod_inv_at_the_range_on_every_azimuth",
        "test_masks_match_geod_inv_on_uniform_points",
        "test_piping_into_head_ends_quietly",
        "test_places_within_agrees_with_distance_for_every_place",
        "test_rings_keep_their_tolerance_measured_densely",
        "test_sag_is_within_each_tolerance",
        "test_sections_of_cities_are_found_but_never_listed",
        "test_the_bibtex_of_every_source_round_trips_through_pybtex",
        "test_the_export_is_a_valid_frictionless_package",
        "test_the_sag_bound_holds_edge_by_edge",
        "test_the_shipped_file_says_its_source_and_holds_the_three_countries",
        "test_within_range_m_is_exact_block_by_block",
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
