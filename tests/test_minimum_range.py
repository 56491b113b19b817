"""A published minimum range: a target nearer than it does not reach, and the ring has a hole."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import far_only, load_text, north_of

import weaponsref as wr


@pytest.fixture(scope="module")
def mine(tmp_path_factory: pytest.TempPathFactory) -> wr.Catalogue:
    return load_text(tmp_path_factory.mktemp("minimum"), far_only("up to"), builtin=False)


def _north(km: float) -> tuple[float, float]:
    return north_of(10.0, 20.0, km)


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
