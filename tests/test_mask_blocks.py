"""Exact masks at scale: within_range_m block by block, a TargetSet's cells, and the second,
per-point screen of the band, all against Geod.inv on every point (GeographicLib, the
definition), over uniform and clustered sets, origins at the poles and across 180, ranges from
0 to past the half meridian, and minimum ranges; and the memory a mask takes."""

from __future__ import annotations

import tracemalloc
from typing import Any

import numpy as np
import pytest
from helpers import cluster_points, uniform_points

import weaponsref as wr
from weaponsref import geo
from weaponsref.geo import _cells, _geodesy, _masks
from weaponsref.geo._enclose import Seen

G = geo.geod()
RANGES_M = [0.0, 1.0, 5e4, 3e5, 1e6, 5e6, 1.0001e7, 1.5e7, 1.99e7, 2.1e7]


def _truth(lat0: float, lon0: float, lats: Any, lons: Any, range_m: float, inner: float) -> Any:
    n = lats.size
    s = np.asarray(G.inv(np.full(n, lon0), np.full(n, lat0), lons.ravel(), lats.ravel())[2])
    within = s <= range_m
    if inner:
        within &= s >= inner
    return within.reshape(lats.shape)


ORIGINS = [(50.45, 30.5233), (90.0, 0.0), (-90.0, 123.0), (0.0, 180.0), (-33.9, -179.99)]


@pytest.mark.parametrize("kind", ["uniform", "pole cluster", "antimeridian cluster"])
def test_a_sorted_target_set_is_exact(kind: str) -> None:
    """Sets large enough to be sorted into cells (over 65,536 points), every origin and range,
    with and without a minimum range: identical to Geod.inv, point for point."""
    rng = np.random.default_rng(41)
    if kind == "uniform":
        lats, lons = uniform_points(150_000, rng)
    elif kind == "pole cluster":
        lats, lons = cluster_points(100_000, 87.0, 20.0, rng)
    else:
        lats, lons = cluster_points(100_000, -30.0, 179.0, rng)
    targets = geo.TargetSet(lats, lons)
    assert targets._cells is not None
    origins = [*ORIGINS, (float(lats[7]), float(lons[7])), (-float(lats[7]), 0.0)]
    for lat0, lon0 in origins:
        n = lats.size
        s = np.asarray(G.inv(np.full(n, lon0), np.full(n, lat0), lons, lats)[2])
        for range_m in RANGES_M:
            for inner in (0.0, 2e3, 3e6):
                if inner >= range_m:
                    continue
                expected = (s <= range_m) & (s >= inner)
                got = targets.within(lat0, lon0, range_m, min_range_m=inner or None)
                assert np.array_equal(got, expected), (lat0, lon0, range_m, inner)


def test_within_range_m_is_exact_block_by_block() -> None:
    """Over several blocks, in a 2-D shape, non-contiguous and of integer dtype."""
    rng = np.random.default_rng(43)
    lats, lons = cluster_points(3 * _geodesy._BLOCK + 17, 48.0, 31.0, rng)
    grid_lat, grid_lon = lats.reshape(-1, 1), lons.reshape(-1, 1)
    for lat0, lon0 in [(50.45, 30.5233), (0.0, 180.0), (90.0, 0.0)]:
        for range_m in [3e5, 1e6, 1.0001e7]:
            expected = _truth(lat0, lon0, lats, lons, range_m, 1e5)
            got = geo.within_range_m(lat0, lon0, range_m, grid_lat, grid_lon, min_range_m=1e5)
            assert got.shape == grid_lat.shape
            assert np.array_equal(got.ravel(), expected)
    # A strided view (every other point of a wider array) and whole degrees as integers.
    wide_lat, wide_lon = np.repeat(lats, 2), np.repeat(lons, 2)
    strided = geo.within_range_m(50.45, 30.5233, 5e5, wide_lat[::2], wide_lon[::2])
    assert np.array_equal(strided, _truth(50.45, 30.5233, lats, lons, 5e5, 0.0))
    whole_lat, whole_lon = np.round(lats).astype(np.int32), np.round(lons).astype(np.int64)
    as_int = geo.within_range_m(50.45, 30.5233, 5e5, whole_lat, whole_lon)
    assert np.array_equal(
        as_int, _truth(50.45, 30.5233, whole_lat.astype(float), whole_lon.astype(float), 5e5, 0)
    )


def test_a_bad_target_in_a_later_block_names_the_first_bad_latitude() -> None:
    """Blocks are checked as they come, but the message is the whole array's: the first bad
    latitude, even past a bad longitude in an earlier block."""
    n = 3 * _geodesy._BLOCK
    lats, lons = np.zeros(n), np.zeros(n)
    lons[10] = 200.0
    lats[2 * _geodesy._BLOCK + 5] = 91.0
    with pytest.raises(
        wr.CoordinateError, match=rf"latitude 91.0 at index {2 * _geodesy._BLOCK + 5} "
    ):
        geo.within_range_m(50.0, 30.0, 1e5, lats, lons)
    lats[2 * _geodesy._BLOCK + 5] = 0.0
    with pytest.raises(wr.CoordinateError, match=r"longitude 200.0 at index 10 "):
        geo.within_range_m(50.0, 30.0, 1e5, lats, lons)
    lats[-1] = np.nan
    with pytest.raises(wr.CoordinateError, match=rf"latitude nan at index {n - 1} "):
        geo.within_range_m(50.0, 30.0, 1e5, lats, lons)


def test_a_mask_of_millions_of_points_holds_little_besides_its_result() -> None:
    """The numpy memory one mask allocates, over the inputs: the boolean result (1 byte a
    point) and a few blocks' temporaries, not tens of bytes a point."""
    n = 3_000_000
    rng = np.random.default_rng(47)
    lats, lons = cluster_points(n, 48.0, 31.0, rng)
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        mask = wr.within_range("300 km", (50.45, 30.5233), lats, lons)
        peak = tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()
    assert mask.dtype == np.bool_ and mask.size == n
    assert peak <= n + 4 * 2**20, peak / n  # the result, and 4 MiB of blocks at most


def test_the_xyz_of_a_sorted_set_are_in_the_order_given() -> None:
    rng = np.random.default_rng(53)
    lats, lons = uniform_points(100_000, rng)
    targets = geo.TargetSet(lats.reshape(500, 200), lons.reshape(500, 200))
    xyz = targets.xyz
    assert xyz.shape == (100_000, 3) and xyz.dtype == np.float32 and xyz.flags.f_contiguous
    assert not xyz.flags.writeable
    assert np.allclose(xyz[:, 2], np.sin(np.radians(lats)), atol=1e-7)
    assert np.allclose(xyz[:, 0], np.cos(np.radians(lats)) * np.cos(np.radians(lons)), atol=1e-7)
    assert targets.within(50.45, 30.5233, 1e6).shape == (500, 200)


def test_the_cells_near_an_origin_hold_every_point_within_the_angle() -> None:
    """_Cells.near never leaves out a cell holding a point within the angle (between the
    normals, computed here in float64 by atan2), round the poles and across 180 too."""
    rng = np.random.default_rng(59)
    lats, lons = uniform_points(200_000, rng)
    cells = _cells._Cells(lats, lons)
    position = np.empty(lats.size, dtype=np.intp)
    position[cells.order] = np.arange(lats.size)
    cell_of = np.searchsorted(cells.starts, position, side="right") - 1
    u = _geodesy._unit_vectors(lats, lons)
    for lat0, lon0 in [*ORIGINS, (89.9999, -170.0), (10.0, -179.9)]:
        u0 = _geodesy._unit_vector(lat0, lon0)
        angle_to = np.arctan2(np.linalg.norm(np.cross(u0, u.T), axis=1), u0 @ u)
        for angle in [1e-6, 0.003, 0.05, 0.4, 1.2, np.pi / 2]:
            near = set(cells.near(lat0, lon0, angle).tolist())
            inside = np.flatnonzero(angle_to <= angle)
            assert set(cell_of[inside].tolist()) <= near, (lat0, lon0, angle)


def test_a_small_cap_away_from_every_point_reads_no_cell_and_one_beside_them_reads_few() -> None:
    """A cap holding no pole spans the same longitudes in every band it crosses: one over
    no occupied cell gives none (and a set finds no point there), one at the edge of a
    cluster gives the cells its points are in and only cells the cap's span reaches."""
    rng = np.random.default_rng(71)
    lats = rng.uniform(40.0, 45.0, 100_000)
    lons = rng.uniform(10.0, 20.0, lats.size)
    cells = _cells._Cells(lats, lons)
    assert cells.near(-30.0, 120.0, 0.01).size == 0
    targets = geo.TargetSet(lats, lons)
    assert targets.indices_within(-30.0, 120.0, 60e3).size == 0
    assert not targets.within(-30.0, 120.0, 60e3).any()
    lat0, lon0, range_m = 42.5, 20.2, 60e3
    s = np.asarray(G.inv(np.full(lats.size, lon0), np.full(lats.size, lat0), lons, lats)[2])
    assert (
        targets.indices_within(lat0, lon0, range_m).tolist()
        == np.flatnonzero(s <= range_m).tolist()
    )
    near = cells.near(lat0, lon0, range_m / 6.3e6)
    spread = np.degrees(np.arcsin(np.sin(range_m / 6.3e6) / np.cos(np.radians(lat0))))
    centre = cells.centre[:, near]
    centre_lon = np.degrees(np.arctan2(centre[1], centre[0]))
    assert near.size and np.all(np.abs(centre_lon - lon0) <= spread + 1.0)


def test_the_second_screen_never_contradicts_geod_inv() -> None:
    """_refined's sure verdicts (the bound at each point's own latitudes) agree with Geod.inv
    on pairs a hair either side of the range, at every latitude and across the equator."""
    rng = np.random.default_rng(61)
    for lat0, lon0 in [(0.0, 0.0), (50.45, 30.5233), (-75.0, 100.0), (89.0, -20.0)]:
        for range_m in [1e3, 3e5, 2e6, 9e6, 1.8e7]:
            az = rng.uniform(0, 360, 4000)
            reach = range_m * (1.0 + rng.uniform(-0.006, 0.006, az.size))
            lons, lats, _ = G.fwd(np.full(az.size, lon0), np.full(az.size, lat0), az, reach)
            lats, lons = np.asarray(lats), np.asarray(lons)
            s = np.asarray(G.inv(np.full(az.size, lon0), np.full(az.size, lat0), lons, lats)[2])
            within, beyond = _masks._refined(lat0, range_m, Seen.of(lon0, lats, lons))
            assert np.all(s[within] <= range_m) and np.all(s[beyond] > range_m)
            assert within.any() and beyond.any()  # it settles something


def test_one_plain_block_takes_the_short_path_with_the_same_checks_and_answers() -> None:
    """within_range_m on one block of plain float64 points (its short path) gives what the
    general path gives for the same points in another form (a list, 2-D, float32 widened)
    and what Geod.inv gives, and refuses a bad point by the same message."""
    rng = np.random.default_rng(67)
    lats, lons = uniform_points(4_000, rng)
    for lat0, lon0 in ORIGINS:
        for range_m in (0.0, 3e5, 5e6, 1.99e7):
            short = geo.within_range_m(lat0, lon0, range_m, lats, lons)
            assert np.array_equal(short, _truth(lat0, lon0, lats, lons, range_m, 0.0))
            general = geo.within_range_m(
                lat0, lon0, range_m, lats.reshape(40, 100), lons.reshape(40, 100)
            )
            assert np.array_equal(short, general.ravel())
            assert np.array_equal(
                short, geo.within_range_m(lat0, lon0, range_m, lats.tolist(), lons.tolist())
            )
    for index, lat_value, lon_value, what in (
        (7, 90.5, None, "latitude 90.5"),
        (3999, None, np.nan, "longitude nan"),
        (33, np.nan, None, "latitude nan"),
    ):
        bad_lats, bad_lons = lats.copy(), lons.copy()
        if lat_value is not None:
            bad_lats[index] = lat_value
        if lon_value is not None:
            bad_lons[index] = lon_value
        with pytest.raises(wr.CoordinateError, match=rf"{what} at index {index} "):
            geo.within_range_m(50.0, 30.0, 3e5, bad_lats, bad_lons)
        row, column = divmod(index, 100)  # the general path names the index in 2-D
        with pytest.raises(wr.CoordinateError, match=rf"{what} at index \({row}, {column}\) "):
            geo.within_range_m(
                50.0, 30.0, 3e5, bad_lats.reshape(40, 100), bad_lons.reshape(40, 100)
            )
