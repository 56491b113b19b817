"""Range rings to a stated tolerance: valid RFC 7946 polygons for every range, and edges
that stay within the tolerance of the true geodesic circle, measured by densifying them; and
the bounds every ring and mask holds, the shortest range (MIN_RANGE_M) among them."""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from shapely.geometry import shape
from shapely.validation import explain_validity

import weaponsref as wr
from weaponsref import geo

G = geo.geod()


def _polygons(geometry: dict[str, Any]) -> list[Any]:
    return [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]


def measure(
    lat0: float, lon0: float, range_m: float, geometry: dict[str, Any]
) -> tuple[float, float]:
    """(largest sag of any drawn edge, largest error of any circle vertex), metres.

    Frame edges (along +-180 or along the poles' latitude) are the edge of the map, not of the
    disk, and are left out; every other edge is densified to 64 pieces as RFC 7946 draws it
    (straight in longitude and latitude) and each point's geodesic distance from the origin is
    compared with the range.
    """
    sag = vertex = 0.0
    for polygon in _polygons(geometry):
        for ring in polygon:
            a = np.asarray(ring)
            x1, y1, x2, y2 = a[:-1, 0], a[:-1, 1], a[1:, 0], a[1:, 1]
            along_frame = ((np.abs(x1) == 180) & (np.abs(x2) == 180)) | (
                (np.abs(y1) == 90) & (y1 == y2)
            )
            corner = ((np.abs(x1) == 180) & (np.abs(y1) == 90)) | (
                (np.abs(x2) == 180) & (np.abs(y2) == 90)
            )
            keep = ~along_frame & ~corner
            if keep.any():
                t = np.linspace(0.0, 1.0, 65)
                lons = x1[keep, None] + t * (x2 - x1)[keep, None]
                lats = y1[keep, None] + t * (y2 - y1)[keep, None]
                n = lons.size
                s = np.asarray(
                    G.inv(np.full(n, lon0), np.full(n, lat0), lons.ravel(), lats.ravel())[2]
                )
                sag = max(sag, float(np.max(np.abs(s - range_m))))
            on_circle = a[~((np.abs(a[:, 0]) == 180) & (np.abs(a[:, 1]) == 90))]
            n = len(on_circle)
            if not n:
                continue
            s = np.asarray(
                G.inv(np.full(n, lon0), np.full(n, lat0), on_circle[:, 0], on_circle[:, 1])[2]
            )
            vertex = max(vertex, float(np.max(np.abs(s - range_m))))
    return sag, vertex


LATITUDES = [-90.0, -89.99999, -60.0, 0.0, 45.0, 89.9, 90.0]
LONGITUDES = [0.0, 179.9999, -180.0]
RANGES = [1.0, 40.0, 2e3, 8e4, 1e6, 5e6, 10001965.7, 15e6, 19.97e6, 19.99e6, 20.0e6]


def _ranges(lat0: float) -> list[float]:
    to_poles = [geo.inverse_m(lat0, 0.0, pole, 0.0) for pole in (90.0, -90.0)]
    near_poles = [d * f for d in to_poles for f in (1 - 1e-9, 1.0, 1 + 1e-9)]
    edge = [geo.HALF_MERIDIAN_M - 1.0, geo.HALF_MERIDIAN_M - 0.001]
    return RANGES + [r for r in near_poles + edge if 0.0 < r < geo.HALF_MERIDIAN_M]


@pytest.mark.parametrize("lat0", LATITUDES)
@pytest.mark.parametrize("lon0", LONGITUDES)
def test_every_ring_is_valid_and_within_tolerance(lat0: float, lon0: float) -> None:
    failures = []
    for range_m in _ranges(lat0):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            geometry, used = geo.ring_geometry(lat0, lon0, range_m)
        assert used == range_m
        polygon = shape(geometry)
        if not polygon.is_valid:
            failures.append((range_m, explain_validity(polygon)))
            continue
        sag, vertex = measure(lat0, lon0, range_m, geometry)
        if sag > geo.DEFAULT_TOLERANCE_M or vertex > 1.0:
            failures.append((range_m, f"sag {sag:.3f} m, vertex {vertex:.3f} m"))
    assert not failures


@pytest.mark.parametrize("tolerance", [1.0, 10.0, 1000.0])
@pytest.mark.parametrize(
    ("lat0", "lon0", "range_m"),
    [(50.45, 30.5233, 1e6), (53.0167, 158.65, 2e6), (85.0, 0.0, 1.5e6), (-16.0, -180.0, 5e5)],
)
def test_sag_is_within_each_tolerance(
    lat0: float, lon0: float, range_m: float, tolerance: float
) -> None:
    geometry, _ = geo.ring_geometry(lat0, lon0, range_m, tolerance_m=tolerance)
    assert shape(geometry).is_valid
    sag, vertex = measure(lat0, lon0, range_m, geometry)
    assert sag <= tolerance
    assert vertex <= min(1.0, tolerance)


def test_finer_tolerance_means_more_vertices() -> None:
    counts = [
        len(geo.ring_geometry(50.45, 30.5233, 1e6, tolerance_m=t)[0]["coordinates"][0])
        for t in (1000.0, 100.0, 10.0)
    ]
    assert counts[0] < counts[1] < counts[2]


def test_antimeridian_vertices_are_exactly_180_and_on_the_circle() -> None:
    geometry, _ = geo.ring_geometry(53.0167, 158.65, 2e6)
    cuts = [p for poly in _polygons(geometry) for p in poly[0] if abs(p[0]) == 180.0]
    assert len(cuts) >= 4
    s = [geo.inverse_m(lat, lon, 53.0167, 158.65) for lon, lat in cuts]
    assert max(abs(x - 2e6) for x in s) <= 1.0


def test_coordinates_are_rounded_to_the_tolerance() -> None:
    coarse, _ = geo.ring_geometry(50.45, 30.5233, 1e6, tolerance_m=1000.0)
    fine, _ = geo.ring_geometry(50.45, 30.5233, 1e6, tolerance_m=1.0)

    def decimals(geometry: dict[str, Any]) -> int:
        return max(len(repr(c).split(".")[1]) for p in geometry["coordinates"][0] for c in p)

    assert decimals(coarse) <= 6 < decimals(fine) <= 7


def test_ring_with_a_hole_for_a_minimum_range() -> None:
    geometry, _ = geo.ring_geometry(50.45, 30.5233, 300e3, inner_m=70e3)
    polygon = shape(geometry)
    assert polygon.is_valid and len(geometry["coordinates"]) == 2
    assert not polygon.contains(shape({"type": "Point", "coordinates": [30.6, 50.5]}))
    assert polygon.contains(shape({"type": "Point", "coordinates": [30.5233, 52.0]}))
    # Across the antimeridian the hole needs a real difference (shapely).
    across, _ = geo.ring_geometry(-16.0, 180.0, 300e3, inner_m=70e3)
    assert shape(across).is_valid and across["type"] == "MultiPolygon"
    with pytest.raises(wr.LimitError, match="minimum range"):
        geo.ring_geometry(50.0, 30.0, 1e5, inner_m=1e5)


def test_annulus_mask_leaves_out_targets_inside_the_minimum_range() -> None:
    rng = np.random.default_rng(3)
    lats = rng.uniform(45, 56, 20_000)
    lons = rng.uniform(22, 40, 20_000)
    s = np.asarray(G.inv(np.full(lats.size, 30.5233), np.full(lats.size, 50.45), lons, lats)[2])
    expected = (s <= 500e3) & (s >= 100e3)
    got = geo.within_range_m(50.45, 30.5233, 500e3, lats, lons, min_range_m=100e3)
    assert np.array_equal(got, expected)
    targets = geo.TargetSet(lats, lons)
    assert np.array_equal(targets.within(50.45, 30.5233, 500e3, min_range_m=100e3), expected)
    assert np.array_equal(
        wr.within_range("500 km", (50.45, 30.5233), lats, lons, min_range="100 km"), expected
    )


def test_range_ring_tolerance_and_whole_earth() -> None:
    ring = wr.range_ring("Bober", "Kyiv", tolerance="1 km")
    assert ring["properties"]["tolerance_m"] == 1000.0
    assert ring["properties"]["whole_earth"] is False
    with pytest.warns(wr.WeaponsrefWarning, match="whole Earth"):
        whole = wr.range_ring("25000 km", "Kyiv")
    assert whole["properties"]["whole_earth"] is True
    with pytest.raises(wr.UnitError):
        wr.range_ring("Bober", "Kyiv", tolerance="1 kg")
    with pytest.raises(wr.LimitError):
        wr.range_ring("Bober", "Kyiv", tolerance="1 mm")
    with pytest.warns(DeprecationWarning, match="tolerance="):
        legacy = wr.range_ring("Bober", "Kyiv", points=72)
    assert legacy["properties"]["tolerance_m"] is None
    assert len(legacy["geometry"]["coordinates"][0]) == 73


@pytest.mark.parametrize(
    ("lat0", "lon0"), [(0.0, 37.3), (10.0, 37.3), (89.9, 37.3), (-30.0, 179.9)]
)
@pytest.mark.parametrize("offset_m", [-0.2, -0.05, 0.0, 0.05, 0.2])
@pytest.mark.parametrize("pole", [90.0, -90.0])
def test_a_ring_through_a_pole_is_a_valid_polygon(
    lat0: float, lon0: float, offset_m: float, pole: float
) -> None:
    """Regression: a circle passing within a rounding step of a pole used to self-intersect
    once rounded (found by a sweep at origin longitude 37.3)."""
    shapely_geometry = pytest.importorskip("shapely.geometry", reason="the areas extra")
    to_pole = geo.geod().inv(lon0, lat0, 0.0, pole)[2]
    range_m = to_pole + offset_m
    if not 0.0 < range_m < geo.HALF_MERIDIAN_M:
        pytest.skip("past the largest geodesic distance")
    geometry, used = geo.ring_geometry(lat0, lon0, range_m, tolerance_m=100.0)
    assert shapely_geometry.shape(geometry).is_valid
    assert used == pytest.approx(range_m)


# --------------------------------------------------------------------------------------------
# The shortest range
# --------------------------------------------------------------------------------------------

# A millimetre, a hair under the floor, and 1e-320 km in metres (a denormal, 1e-317 m).
TOO_SHORT_M = [1e-3, math.nextafter(1.0, 0.0), 1e-320 * 1000.0]


@pytest.mark.parametrize("range_m", TOO_SHORT_M)
def test_a_range_under_the_floor_is_refused_by_every_path(range_m: float) -> None:
    """Below MIN_RANGE_M a ring would round away to nothing (a 1 mm ring was an empty
    MultiPolygon) and a mask would give a verdict on a denormal: both refuse it instead,
    naming the value and the floor."""
    assert 0.0 < range_m < geo.MIN_RANGE_M == 1.0
    shown = repr(range_m)
    lats, lons = [50.45], [30.5233]
    calls: list[Callable[[], object]] = [
        lambda: geo.check_range_m(range_m),
        lambda: geo.ring_geometry(50.45, 30.5233, range_m),
        lambda: geo.ring_geometry(50.45, 30.5233, 1e5, inner_m=range_m),
        lambda: geo.within_range_m(50.45, 30.5233, range_m, lats, lons),
        lambda: geo.within_range_m(50.45, 30.5233, 1e5, lats, lons, min_range_m=range_m),
        lambda: geo.TargetSet(lats, lons).within(50.45, 30.5233, range_m),
        lambda: geo.TargetSet(lats, lons).within(50.45, 30.5233, 1e5, min_range_m=range_m),
    ]
    for call in calls:
        with pytest.raises(wr.LimitError) as caught:
            call()
        assert shown in str(caught.value)
        assert "MIN_RANGE_M" in str(caught.value)
        assert "(1 m)" in str(caught.value)


def test_check_range_m_takes_zero_and_the_floor_up() -> None:
    assert geo.check_range_m(0) == 0.0
    assert geo.check_range_m(1) == 1.0
    assert geo.check_range_m(np.float32(2.5)) == 2.5
    assert type(geo.check_range_m(np.int64(7))) is float
    assert geo.check_range_m(geo.HALF_MERIDIAN_M * 2) == geo.HALF_MERIDIAN_M * 2
    with pytest.raises(wr.LimitError, match=r"^the range of 'Bober' 0.5 m is below MIN_RANGE_M"):
        geo.check_range_m(0.5, what="the range of 'Bober'")
    for bad, match in [(-1.0, r"0 or more \(got -1.0\)"), (math.nan, "nan"), (math.inf, "inf")]:
        with pytest.raises(wr.UnitError, match=match):
            geo.check_range_m(bad)
    for wrong in ["5 km", True, None, [1.0]]:
        with pytest.raises(wr.UnitError, match=r"range must be a number of metres .*m_as\('m'\)"):
            geo.check_range_m(wrong)
    # The floor itself draws: a 1 m ring is a polygon of many vertices, not an empty one.
    ring, used = geo.ring_geometry(50.45, 30.5233, geo.MIN_RANGE_M)
    assert used == 1.0
    assert ring["type"] == "Polygon"
    assert len(ring["coordinates"][0]) >= 16
