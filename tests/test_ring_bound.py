"""The ring's analytic sag bound (geo/_sag.py) against GeographicLib, and the rings it makes.

The bound is the guarantee: a ring's vertices are placed until every edge's bound is within
the tolerance, and no edge is ever sampled. So the bound itself is checked here, edge by
edge, against the sag measured densely with ``Geod.inv`` (GeographicLib, the independent
authority) on edges of every length, latitude and direction; then whole rings are measured
the same way over many origins and ranges; and the vertex counts are compared with those of
the sampled refinement the bound replaced.
"""

from __future__ import annotations

import math
import warnings
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

from weaponsref import geo
from weaponsref.geo import _frame, _rings, _sag

G = geo.geod()


def _measured_sag(
    lat0: float, lon0: float, range_m: float, lon1: Any, lat1: Any, lon2: Any, lat2: Any
) -> Any:
    """Each straight lon/lat edge's largest |distance - range|, at 128 points along it."""
    t = np.linspace(0.0, 1.0, 129)
    step = (lon2 - lon1 + 180.0) % 360.0 - 180.0
    lons = (lon1[:, None] + t * step[:, None] + 180.0) % 360.0 - 180.0
    lats = lat1[:, None] + t * (lat2 - lat1)[:, None]
    n = lons.size
    s = np.asarray(G.inv(np.full(n, lon0), np.full(n, lat0), lons.ravel(), lats.ravel())[2])
    return np.abs(s.reshape(lons.shape) - range_m).max(axis=1)


def _bound(lat0: float, range_m: float, az: Any, table: Any) -> Any:
    a, b = table[:, :-1], table[:, 1:]
    _, step = _rings._wrapping(a[_sag._LON], b[_sag._LON])
    quadratic, cubic, reach = _sag._sag_bound(lat0, range_m, a, b, step, 0.0)
    return np.fmin(quadratic + cubic, reach)


ORIGINS = [
    (50.45, 30.5233),
    (0.0, 0.0),
    (-33.9, 151.2),
    (53.0167, 158.65),  # Kamchatka: circles across 180
    (70.0, -150.0),
    (85.0, 10.0),
    (89.9, 45.0),
    (90.0, 0.0),
    (-89.99, 0.0),
]
RANGES_M = [1.0, 50.0, 1e3, 2.5e4, 1e5, 3e5, 1e6, 2.5e6, 5e6, 1e7, 1.5e7, 1.9e7, 19.5e6]


@pytest.mark.parametrize(("lat0", "lon0"), ORIGINS)
def test_the_sag_bound_holds_edge_by_edge(lat0: float, lon0: float) -> None:
    """On edges of 1/64 to 1/2 of a turn of azimuth (so from far inside to far beyond any
    tolerance), at every range, the bound is never below the sag GeographicLib measures."""
    failures = []
    for range_m in RANGES_M:
        for steps in (2, 4, 16, 64):
            az = -360.0 * np.arange(steps + 1) / steps + 3.7  # off the axes
            table = _sag._fill_rows(_rings._fwd_table(lat0, lon0, range_m, az))
            lon, lat = table[_sag._LON], table[_sag._LAT]
            bound = _bound(lat0, range_m, az, table)
            wrapping, _ = _rings._wrapping(lon[:-1], lon[1:])
            sag = _measured_sag(lat0, lon0, range_m, lon[:-1], lat[:-1], lon[1:], lat[1:])
            # Edges whose drawn step jumps across 180 are split before they are bounded.
            bad = ~wrapping & ~(sag <= bound * (1 + 1e-9) + 1e-6)
            if bad.any():
                failures.append((range_m, steps, float(sag[bad].max()), float(bound[bad].min())))
    assert not failures


def test_the_sag_bound_is_close_where_it_matters() -> None:
    """On a 1,000 km ring at 50 N at a working step, the bound is within a few times the
    measured sag (it decides the vertex count): sharp, not just safe."""
    az = -360.0 * np.arange(257) / 256
    table = _sag._fill_rows(_rings._fwd_table(50.45, 30.5233, 1e6, az))
    lon, lat = table[_sag._LON], table[_sag._LAT]
    bound = _bound(50.45, 1e6, az, table)
    sag = _measured_sag(50.45, 30.5233, 1e6, lon[:-1], lat[:-1], lon[1:], lat[1:])
    assert np.all(sag <= bound)
    assert np.median(bound / sag) < 1.6


def _sag_of(lat0: float, lon0: float, range_m: float, geometry: dict[str, Any]) -> float:
    polygons = (
        [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    )
    worst = 0.0
    for polygon in polygons:
        for ring in polygon:
            a = np.asarray(ring)
            x1, y1, x2, y2 = a[:-1, 0], a[:-1, 1], a[1:, 0], a[1:, 1]
            frame = ((np.abs(x1) == 180) & (np.abs(x2) == 180)) | ((np.abs(y1) == 90) & (y1 == y2))
            corner = ((np.abs(x1) == 180) & (np.abs(y1) == 90)) | (
                (np.abs(x2) == 180) & (np.abs(y2) == 90)
            )
            keep = ~frame & ~corner
            if keep.any():
                sag = _measured_sag(lat0, lon0, range_m, x1[keep], y1[keep], x2[keep], y2[keep])
                worst = max(worst, float(sag.max()))
    return worst


@pytest.mark.parametrize(("lat0", "lon0"), ORIGINS)
@pytest.mark.parametrize("tolerance", [1.0, 100.0, 5000.0])
def test_rings_keep_their_tolerance_measured_densely(
    lat0: float, lon0: float, tolerance: float
) -> None:
    """Whole rings, rounded and cut as returned: every drawn edge (not the frame's) within
    the tolerance of the circle, at 128 points an edge, over ranges from 1 m to 19,500 km."""
    failures = []
    for range_m in RANGES_M:
        if tolerance == 1.0 and range_m > 2e6:
            continue  # tens of thousands of vertices: the 100 m and 5 km rings cover these
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            geometry, _ = geo.ring_geometry(lat0, lon0, range_m, tolerance_m=tolerance)
        sag = _sag_of(lat0, lon0, range_m, geometry)
        if sag > tolerance:
            failures.append((range_m, sag))
    assert not failures


# The vertex counts of the sampled refinement the bound replaced (the default 100 m
# tolerance), measured on the same origins: ranges 1 km, 300 km, 1,000 km, 5,000 km,
# 10,000 km and 19,000 km.
SAMPLED_COUNTS = {
    (-60.0, 30.5233): [16, 256, 360, 549, 471, 364],
    (-60.0, 179.9): [16, 259, 364, 550, 464, 364],
    (0.0, 30.5233): [16, 256, 416, 860, 148, 424],
    (0.0, 179.9): [16, 244, 388, 864, 152, 424],
    (50.45, 30.5233): [16, 256, 366, 601, 675, 368],
    (50.45, 179.9): [16, 253, 370, 594, 692, 368],
    (85.0, 30.5233): [16, 176, 231, 221, 217, 236],
    (85.0, 179.9): [20, 180, 240, 218, 220, 240],
    (90.0, 30.5233): [20, 20, 20, 20, 20, 20],
    (90.0, 179.9): [20, 20, 20, 20, 20, 20],
}
COUNT_RANGES_M = [1e3, 3e5, 1e6, 5e6, 1e7, 1.9e7]


def _vertices(geometry: dict[str, Any]) -> int:
    polygons = (
        [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    )
    return sum(len(ring) - 1 for polygon in polygons for ring in polygon)


def _crossings(geometry: dict[str, Any]) -> int:
    """How many times a ring's outline meets the antimeridian: its distinct latitudes on
    +-180 other than the poles."""
    polygons = (
        [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    )
    return len(
        {
            lat
            for polygon in polygons
            for ring in polygon
            for lon, lat in ring
            if abs(lon) == 180.0 and abs(lat) != 90.0
        }
    )


def test_vertex_counts_stay_modest() -> None:
    """Fewer vertices than the sampled refinement in all (its steps were halvings; these are
    planned to the bound), and no more on any ring but three kinds: round a pole, where the
    straight edges are the circle itself and the bound, sure of the Earth's curvature only to
    about a per cent, still asks for up to a hundred; a circle passing a few kilometres
    from a pole (10,000 km from the equator), about three times as many; and a ring that
    crosses the antimeridian, by at most one vertex a crossing (the mirror image of the
    crossing vertex: a ring is computed as a half and its mirror image about the origin's
    meridian, and the half holds the mirror images of the other half's crossings)."""
    new_total = old_total = 0
    for (lat0, lon0), old in SAMPLED_COUNTS.items():
        for range_m, before in zip(COUNT_RANGES_M, old, strict=True):
            geometry = geo.ring_geometry(lat0, lon0, range_m)[0]
            count = _vertices(geometry)
            new_total += count
            old_total += before
            polar = abs(lat0) == 90.0
            near_pole_pass = lat0 == 0.0 and range_m == 1e7
            if polar:
                assert count <= 100 + _crossings(geometry), (lat0, lon0, range_m, count)
            elif near_pole_pass:
                assert count <= 3 * before, (lat0, lon0, range_m, count, before)
            else:
                allowed = before + _crossings(geometry)
                assert count <= allowed, (lat0, lon0, range_m, count, before)
    assert new_total <= 0.9 * old_total, (new_total, old_total)


def test_the_array_framing_matches_the_frame_module() -> None:
    """_plain_polygon and _rounded make what _frame's cut and rounding make, but for exact
    rounding ties (numpy's rounding and Python's round differ by one step there)."""
    differing = total = 0
    for lat0, lon0 in ORIGINS:
        for range_m in [5e2, 8e4, 1e6, 5e6, 1.5e7]:
            for tolerance in (1.0, 100.0):
                if tolerance == 1.0 and range_m > 2e6:
                    continue
                decimals = _rings._decimals(min(tolerance, range_m))
                lon, lat = _rings._bounded_vertices(lat0, lon0, range_m, 0.9 * tolerance, 16)
                north = geo.inverse_m(lat0, lon0, 90.0, 0.0) <= range_m
                south = geo.inverse_m(lat0, lon0, -90.0, 0.0) <= range_m
                polygons = _frame._cut_and_close(
                    lon.tolist(), lat.tolist(), north=north, south=south
                )
                reference = _frame._rounded_geometry(polygons, decimals)
                ours = _frame._rounded(polygons, decimals)
                if not (north or south):
                    canonical = np.where(lon >= 180.0, lon - 360.0, lon)
                    steps = np.diff(canonical, append=canonical[:1])
                    if not np.any(np.abs(steps) > 180.0):
                        plain = _frame._plain_polygon(canonical, lat, decimals)
                        assert plain is None or plain["type"] == "Polygon"
                        if plain is not None:
                            assert len(plain["coordinates"][0]) == len(reference["coordinates"][0])
                            ours = plain
                a = np.array([p for poly in _polys(reference) for r in poly for p in r])
                b = np.array([p for poly in _polys(ours) for r in poly for p in r])
                assert ours["type"] == reference["type"] and a.shape == b.shape
                step = 10.0**-decimals
                assert np.all(np.abs(a - b) <= step * 1.000001)
                differing += int(np.count_nonzero(np.any(a != b, axis=1)))
                total += len(a)
    assert differing <= total * 1e-3, (differing, total)


def _polys(geometry: dict[str, Any]) -> Any:
    return [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]


def test_a_crossing_is_found_to_far_under_a_millimetre() -> None:
    """The antimeridian crossing's azimuth (regula falsi, Anderson-Bjorck) puts the vertex
    within 1e-10 degree of +-180: it is snapped there by at most 1e-9 degree (0.1 mm)."""
    az = -np.arange(0.0, 361.0, 7.0)
    lon, _ = _rings._fwd(53.0167, 158.65, 2e6, az)
    wrapping, _ = _rings._wrapping(lon[:-1], lon[1:])
    assert np.count_nonzero(wrapping) == 2  # the circle crosses 180 twice
    az1, az2 = az[:-1][wrapping], az[1:][wrapping]
    lon1, lon2 = lon[:-1][wrapping], lon[1:][wrapping]
    found = _rings._crossings(53.0167, 158.65, 2e6, az1, az2, lon1, lon2)
    lon, _ = _rings._fwd(53.0167, 158.65, 2e6, found)
    assert np.all((found < az1) & (found > az2))
    assert np.all(np.abs(np.abs(lon) - 180.0) < 1e-10), lon


def test_a_crossing_takes_few_geod_fwd_calls(monkeypatch: pytest.MonkeyPatch) -> None:
    """The crossing search converges about as fast as the secant method: over the crossings
    of 200 rings from random origins (1 km to 15,800 km, at 100 m and 1 m), nine in ten take
    at most three Geod.fwd calls, none more than eight, and every vertex it gives is within
    1e-10 degree of the meridian it looks for. (Plain Illinois steps took four calls for
    most of them.)"""
    calls: list[int] = []
    fwd = G.fwd

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls[-1] += 1
        return fwd(*args, **kwargs)

    counting = SimpleNamespace(fwd=counted)
    monkeypatch.setattr(_frame, "geod", lambda: counting)
    search = _frame._crossing
    found: list[float] = []

    def crossing(*args: Any) -> Any:
        calls.append(0)
        azimuth, point = search(*args)
        found.append(point[0])
        return azimuth, point

    monkeypatch.setattr(_rings, "_crossing", crossing)
    rng = np.random.default_rng(1)
    for _ in range(100):
        lat0, lon0 = rng.uniform(-89.0, 89.0), rng.uniform(-180.0, 180.0)
        range_m = 10.0 ** rng.uniform(3.0, 7.2)
        for tolerance in (None, 1.0):
            _rings.ring_geometry(lat0, lon0, range_m, tolerance_m=tolerance)
    assert len(calls) > 40
    assert sum(n <= 3 for n in calls) >= 0.9 * len(calls), calls
    assert max(calls) <= 8, calls
    off = [min(abs(abs(lon) - 180.0), abs(lon)) for lon in found if not math.isnan(lon)]
    assert max(off) < 1e-10, max(off)


def test_a_crossing_vertex_is_the_one_geod_fwd_gives_at_its_azimuth() -> None:
    """The crossing vertex is taken from the search's own Geod.fwd call: the same longitude
    (snapped to +-180), latitude and back azimuth as a fresh array call at that azimuth."""
    for lat0, lon0, range_m in [
        (53.0167, 158.65, 2e6),
        (50.45, 30.5233, 5e6),
        (-60.0, -179.5, 3e5),
    ]:
        az = -np.arange(0.0, 361.0, 7.0)
        lon, _ = _rings._fwd(lat0, lon0, range_m, az)
        wrapping, _ = _rings._wrapping(lon[:-1], lon[1:])
        assert wrapping.any()
        ends = (az[:-1][wrapping], az[1:][wrapping], lon[:-1][wrapping], lon[1:][wrapping])
        got = _rings._crossing_vertices(lat0, lon0, range_m, *ends)
        fresh = _rings._new_vertices(lat0, lon0, range_m, got[_sag._AZ].copy())
        for row in (_sag._AZ, _sag._LON, _sag._LAT, _sag._BACK):
            assert np.array_equal(got[row], fresh[row])


@pytest.mark.parametrize("initial", [16, 15])
def test_a_ring_is_its_half_and_the_half_s_mirror_image(initial: int) -> None:
    """A ring computed as a half and its mirror image (the default, an even number of
    initial azimuths) is still the circle: every vertex, the mirrored ones included, lies on
    it by GeographicLib's Geod.inv to 1 mm (the crossings of the antimeridian on +-180), the
    vertex set is its own mirror image about the origin's meridian, and every edge's sag,
    measured densely, is within the budget. An odd number of initial azimuths has no
    azimuth -180 to mirror about and is computed whole, and must pass the same checks but
    the symmetry."""
    budget = 90.0
    for lat0, lon0 in [*ORIGINS, (0.0, 0.0), (60.0, 180.0), (-45.0, -0.001), (89.9999, 5.0)]:
        for range_m in [1e3, 3e5, 2e6, 5e6, 1.5e7]:
            lon, lat = _rings._bounded_vertices(lat0, lon0, range_m, budget, initial)
            n = lon.size
            s = np.asarray(G.inv(np.full(n, lon0), np.full(n, lat0), lon, lat)[2])
            assert np.abs(s - range_m).max() < 1e-3, (lat0, lon0, range_m)
            lon2, lat2 = np.roll(lon, -1), np.roll(lat, -1)
            sag = _measured_sag(lat0, lon0, range_m, lon, lat, lon2, lat2)
            assert sag.max() <= budget + 1e-3, (lat0, lon0, range_m, sag.max())
            if initial % 2 or abs(lat0) == 90.0:
                continue
            mirrored = (2.0 * lon0 + 180.0 - lon) % 360.0 - 180.0
            ours = sorted(zip(np.round(lon % 360.0, 7) % 360.0, np.round(lat, 7), strict=True))
            theirs = sorted(
                zip(np.round(mirrored % 360.0, 7) % 360.0, np.round(lat, 7), strict=True)
            )
            assert ours == theirs, (lat0, lon0, range_m)


def test_the_half_plan_is_the_first_half_of_the_whole_plan() -> None:
    """The plan of a half ring (from azimuth 0 to -180) is exactly the whole plan's azimuths
    up to -180, which the whole plan holds for every even number of initial azimuths."""
    from weaponsref.geo import _plan

    for lat0 in (50.45, 0.0, -89.9, 90.0, 85.0):
        for range_m in (1e3, 3e5, 5e6, 1.5e7):
            for initial in (4, 8, 16, 100):
                whole = _plan._planned_azimuths(lat0, range_m, 90.0, initial)
                half = _plan._planned_azimuths(lat0, range_m, 90.0, initial, half=True)
                at = np.flatnonzero(whole == -180.0)
                assert at.size == 1, (lat0, range_m, initial)
                assert np.array_equal(whole[: at[0] + 1], half), (lat0, range_m, initial)


def test_distinct_drops_exactly_the_rows_that_repeat_the_one_before() -> None:
    """_distinct (each row read as one complex number) keeps a row unless both its values
    equal the row before's, as a comparison column by column does: -0.0 equals 0.0, a row
    differing in one column only is kept, and a strided view gives the same rows."""
    xy = np.array(
        [[0.0, 1.0], [-0.0, 1.0], [0.0, 2.0], [0.0, 2.0], [3.0, 2.0], [3.0, 2.0], [0.0, 1.0]]
    )
    kept = _frame._distinct(xy)
    assert kept.tolist() == [[0.0, 1.0], [0.0, 2.0], [3.0, 2.0], [0.0, 1.0]]
    wide = np.zeros((xy.shape[0], 3))
    wide[:, 1:] = xy
    assert _frame._distinct(wide[:, 1:]).tolist() == kept.tolist()
    plain = np.array([[1.0, 2.0], [2.0, 2.0], [2.0, 3.0]])
    assert _frame._distinct(plain) is plain  # nothing repeats: no copy
