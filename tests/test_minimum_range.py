"""A published minimum range: a target nearer than it does not reach, and the ring has a hole."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import weaponsref as wr

TEXT = """
[[sources]]
id = "notes"
publisher = "Notes"
kind = "news"
language = "en"
title = "Notes"
published = 2024-01-15
url = "https://example.org/notes"

[[systems]]
id = "far-only"
name = "Far Only"
category = "example"
origin = "Nowhere"
description = "A made-up system that cannot strike near."
[[systems.claims]]
figure = "range"
value = "500 km"
qualifier = "up to"
source = "notes"
quote = "up to 500 km"
[[systems.claims]]
figure = "minimum_range"
value = "100 km"
qualifier = "stated"
source = "notes"
quote = "cannot strike nearer than 100 km"
"""


@pytest.fixture(scope="module")
def mine(tmp_path_factory: pytest.TempPathFactory) -> wr.Catalogue:
    path: Path = tmp_path_factory.mktemp("minimum") / "mine.toml"
    path.write_text(TEXT, encoding="utf-8")
    return wr.load_catalogue(path, builtin=False)


def _north(km: float) -> tuple[float, float]:
    from geographiclib.geodesic import Geodesic

    line = Geodesic.WGS84.Direct(10.0, 20.0, 0.0, km * 1000.0)
    return line["lat2"], line["lon2"]


@pytest.mark.parametrize(
    ("km", "status"), [(50, "does not reach"), (99.9, "does not reach"), (100.1, "reaches"),
                       (499, "reaches"), (501, "does not reach")],
)  # fmt: skip
def test_a_target_inside_the_minimum_range_does_not_reach(
    mine: wr.Catalogue, km: float, status: str
) -> None:
    reach = wr.reaches("Far Only", (10.0, 20.0), _north(km), catalogue=mine)
    assert reach.status == status
    assert bool(reach) is (status == "reaches")
    if km < 100:
        assert reach.too_near and "minimum range of 100 km" in str(reach)


def test_the_ring_has_a_hole_and_the_mask_leaves_it_out(mine: wr.Catalogue) -> None:
    ring = wr.range_ring("Far Only", (10.0, 20.0), catalogue=mine)
    assert ring["geometry"]["type"] == "Polygon"
    assert len(ring["geometry"]["coordinates"]) == 2  # the outer ring and the hole
    points = [_north(km) for km in (50, 150, 600)]
    lats, lons = np.array([p[0] for p in points]), np.array([p[1] for p in points])
    mask = wr.within_range("Far Only", (10.0, 20.0), lats, lons, catalogue=mine)
    assert mask.tolist() == [False, True, False]
