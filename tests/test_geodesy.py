"""The geodesy core, weaponsref.geo: distances, masks and range rings.

Numbers are checked against outside authorities: GeographicLib's published test geodesics
(``tests/data/geographiclib-inverse-cases.json``) and the pure-Python ``geographiclib``
package. Every fast mask is checked against ``Geod.inv`` run on every point, which is its
definition.
"""

from __future__ import annotations

import importlib.util
import itertools
import json
import math
import os
import subprocess
import sys
import warnings
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from weaponsref import geo
from weaponsref.errors import CoordinateError, LimitError, WeaponsrefWarning
from weaponsref.geo import _geodesy, _masks

Geodesic = pytest.importorskip("geographiclib.geodesic", reason="geographiclib is a test extra")
WGS84 = Geodesic.Geodesic.WGS84

REPO = Path(__file__).resolve().parents[1]
CASES_FILE = Path(__file__).with_name("data") / "geographiclib-inverse-cases.json"

FloatArray = npt.NDArray[np.float64]


def _load_strategies() -> ModuleType:
    # tests/ is not a package, so load the shared strategies by path.
    path = Path(__file__).with_name("strategies.py")
    spec = importlib.util.spec_from_file_location("weaponsref_test_strategies", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


strategies = _load_strategies()


def mask_ranges() -> Any:
    """Ranges a mask takes: 0, or from MIN_RANGE_M (1 m) up (below it is a LimitError)."""
    return st.one_of(st.just(0.0), strategies.ranges_m(min_value=geo.MIN_RANGE_M))


# WEAPONSREF_HYPOTHESIS_EXAMPLES raises the example count for a long soak run.
HYPOTHESIS = settings(
    max_examples=int(os.environ.get("WEAPONSREF_HYPOTHESIS_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def brute_mask(
    lat0: float, lon0: float, range_m: float, lats: npt.ArrayLike, lons: npt.ArrayLike
) -> npt.NDArray[np.bool_]:
    """The definition: Geod.inv on every point, distance <= range."""
    lat = np.asarray(lats, dtype=np.float64)
    lon = np.asarray(lons, dtype=np.float64)
    n = lat.size
    s12 = geo.geod().inv(
        np.full(n, float(lon0)), np.full(n, float(lat0)), lon.ravel(), lat.ravel()
    )[2]
    result: npt.NDArray[np.bool_] = (np.asarray(s12) <= range_m).reshape(lat.shape)
    return result


def uniform_points(n: int, seed: int) -> tuple[FloatArray, FloatArray]:
    """``n`` points uniform on the sphere (in geodetic coordinates), degrees."""
    rng = np.random.default_rng(seed)
    lats = np.degrees(np.arcsin(rng.uniform(-1.0, 1.0, n)))
    lons = rng.uniform(-180.0, 180.0, n)
    return lats, lons


def assert_masks_exact(
    lat0: float, lon0: float, range_m: float, lats: FloatArray, lons: FloatArray
) -> None:
    expected = brute_mask(lat0, lon0, range_m, lats, lons)
    from_degrees = geo.within_range_m(lat0, lon0, range_m, lats, lons)
    prepared = geo.TargetSet(lats, lons).within(lat0, lon0, range_m)
    for got, path in ((from_degrees, "within_range_m"), (prepared, "TargetSet.within")):
        assert got.dtype == np.bool_
        assert got.shape == expected.shape
        wrong = np.flatnonzero(got.ravel() != expected.ravel())
        assert wrong.size == 0, (
            f"{path} differs from Geod.inv at {wrong.size} points, e.g. index {wrong[:5]} "
            f"(origin {lat0}, {lon0}, range {range_m} m)"
        )


# --------------------------------------------------------------------------------------------
# Constants and import
# --------------------------------------------------------------------------------------------


def test_half_meridian_is_the_pole_to_pole_geodesic() -> None:
    g = geo.geod()
    half_meridian = geo.HALF_MERIDIAN_M
    assert g.inv(0.0, -90.0, 0.0, 90.0)[2] == half_meridian
    assert g.inv(-180.0, -90.0, 180.0, 90.0)[2] == half_meridian
    assert half_meridian == pytest.approx(20003931.4586, abs=1e-3)
    assert half_meridian == pytest.approx(WGS84.Inverse(-90, 0, 90, 0)["s12"], abs=1e-6)


def test_earth_model_and_shared_geod() -> None:
    assert "WGS84" in geo.EARTH_MODEL
    assert "Karney" in geo.EARTH_MODEL
    g = geo.geod()
    assert g is geo.geod()
    assert g.a == geo.WGS84_A_M
    assert g.f == pytest.approx(geo.WGS84_F, rel=1e-15)


def test_importing_the_core_does_not_import_pyproj() -> None:
    code = "import sys, weaponsref.geo; print('pyproj' in sys.modules)"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), *sys.path])}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert out.stdout.strip() == "False", "pyproj must be imported on first use, not on import"


# --------------------------------------------------------------------------------------------
# Distances
# --------------------------------------------------------------------------------------------


def _normalised(lon: float) -> float:
    """A longitude folded into [-180, 180), as the published cases allow."""
    return (lon + 180.0) % 360.0 - 180.0


def _published_cases() -> list[Any]:
    data = json.loads(CASES_FILE.read_text(encoding="utf-8"))
    assert "GeographicLib" in data["about"]
    return [
        pytest.param(case, id=f"case{i}-{case['s12_m']:.0f}m")
        for i, case in enumerate(data["cases"])
    ]


@pytest.mark.parametrize("case", _published_cases())
def test_distance_matches_geographiclib_published_cases(case: dict[str, float]) -> None:
    lat1, lat2 = float(case["lat1"]), float(case["lat2"])
    lon1, lon2 = _normalised(float(case["lon1"])), _normalised(float(case["lon2"]))
    assert geo.inverse_m(lat1, lon1, lat2, lon2) == pytest.approx(case["s12_m"], abs=case["tol_m"])
    assert geo.inverse(lat1, lon1, lat2, lon2)[2] == pytest.approx(case["s12_m"], abs=case["tol_m"])


def _pairs(kind: str, n: int, seed: int) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    rng = np.random.default_rng(seed)
    lat1, lon1 = uniform_points(n, seed)
    if kind == "random":
        lat2, lon2 = uniform_points(n, seed + 1)
    elif kind == "near-antipodal":
        lat2 = np.clip(-lat1 + rng.normal(0.0, 0.3, n), -90.0, 90.0)
        lon2 = (lon1 + 360.0 + rng.normal(0.0, 0.3, n)) % 360.0 - 180.0
    elif kind == "polar":
        lat1 = rng.uniform(80.0, 90.0, n) * rng.choice([-1.0, 1.0], n)
        lat2 = rng.uniform(80.0, 90.0, n) * np.sign(lat1) * rng.choice([-1.0, 1.0, 1.0], n)
        lon2 = rng.uniform(-180.0, 180.0, n)
    else:  # pragma: no cover
        raise AssertionError(kind)
    return lat1, lon1, lat2, lon2


@pytest.mark.parametrize("kind", ["random", "near-antipodal", "polar"])
def test_distance_and_azimuths_match_pure_python_geographiclib(kind: str) -> None:
    lat1, lon1, lat2, lon2 = _pairs(kind, 300, seed=11)
    for a, b, c, d in zip(lat1, lon1, lat2, lon2, strict=True):
        reference = WGS84.Inverse(a, b, c, d)
        assert geo.inverse_m(float(a), float(b), float(c), float(d)) == pytest.approx(
            reference["s12"], abs=1e-3
        )
        azi1, azi2, s12 = geo.inverse(float(a), float(b), float(c), float(d))
        assert s12 == pytest.approx(reference["s12"], abs=1e-3)
        if reference["s12"] > 1.0 and abs(a) < 90.0 and abs(c) < 90.0:
            # Forward azimuths at both ends, GeographicLib's convention.
            assert _angle_gap(azi1, reference["azi1"]) < 1e-6
            assert _angle_gap(azi2, reference["azi2"]) < 1e-6


def _angle_gap(x: float, y: float) -> float:
    return abs((x - y + 180.0) % 360.0 - 180.0)


def test_inverse_m_takes_latitude_first() -> None:
    # From Kyiv north-east to Moscow: about 757 km. Swapping lat/lon would give 2,300+ km.
    assert geo.inverse_m(50.45, 30.5233, 55.7558, 37.6173) == pytest.approx(757104.357, abs=1e-3)
    azi1, _, _ = geo.inverse(0.0, 0.0, 0.0, 1.0)
    assert azi1 == pytest.approx(90.0)


@HYPOTHESIS
@given(strategies.points(), strategies.points())
def test_distance_is_symmetric(a: tuple[float, float], b: tuple[float, float]) -> None:
    there = geo.inverse_m(a[0], a[1], b[0], b[1])
    back = geo.inverse_m(b[0], b[1], a[0], a[1])
    assert there == pytest.approx(back, abs=1e-6)
    assert 0.0 <= there <= geo.HALF_MERIDIAN_M + 1e-6


# --------------------------------------------------------------------------------------------
# The bound the masks stand on, and the floating-point margins
# --------------------------------------------------------------------------------------------


def _theta(lat1: FloatArray, lon1: FloatArray, lat2: FloatArray, lon2: FloatArray) -> FloatArray:
    """Angle between the geodetic normals, radians, accurate at every size (atan2 form)."""
    u = _geodesy._unit_vectors(lat1, lon1).T
    v = _geodesy._unit_vectors(lat2, lon2).T
    result: FloatArray = np.arctan2(
        np.linalg.norm(np.cross(u, v), axis=1), np.einsum("ij,ij->i", u, v)
    )
    return result


@pytest.mark.parametrize("kind", ["random", "near-antipodal", "polar", "equatorial meridian"])
def test_geodesic_length_is_bounded_by_the_angle_between_normals(kind: str) -> None:
    """b^2/a * theta <= s <= a^2/b * theta on WGS84, and the latitude-aware version of it:
    the bound the masks' speed comes from."""
    a, b = geo.WGS84_A_M, geo.WGS84_A_M * (1 - geo.WGS84_F)
    if kind == "equatorial meridian":  # where the lower bound is sharp
        rng = np.random.default_rng(5)
        lat1, lat2 = rng.uniform(-2, 2, 100_000), rng.uniform(-2, 2, 100_000)
        lon1 = lon2 = np.zeros(100_000)
    else:
        lat1, lon1, lat2, lon2 = _pairs(kind, 100_000, seed=5)
    s = np.asarray(geo.geod().inv(lon1, lat1, lon2, lat2)[2])
    assert s.max() <= geo.HALF_MERIDIAN_M + 1e-6  # no two points are farther apart
    theta = _theta(lat1, lon1, lat2, lon2)
    far = theta > 1e-4  # shorter pairs: theta itself is too coarse to test the ratio
    ratio = s[far] / theta[far]
    assert ratio.min() >= b * b / a * (1 - 1e-9)
    assert ratio.max() <= a * a / b * (1 + 1e-9)
    # The latitude-aware radii the masks use (see geo/_masks.py): N at the farthest latitude
    # the great-circle arc can reach, M at the nearest the geodesic can reach.
    e2 = _masks._E2
    abs_lat = np.radians(np.abs(lat1[far]))
    turn = s[far] / (b * b / a)
    sin_far = np.sin(np.minimum(np.pi / 2, abs_lat + theta[far]))
    sin_near = np.sin(np.maximum(0.0, abs_lat - turn))
    n_far = a / np.sqrt(1 - e2 * sin_far**2)
    m_near = b * b / a / (1 - e2 * sin_near**2) ** 1.5
    assert np.all(ratio <= n_far * (1 + 1e-9))
    assert np.all(ratio >= m_near * (1 - 1e-9))
    # And with the pure-Python reference, on a sample.
    for i in np.flatnonzero(far)[:200]:
        s12 = WGS84.Inverse(lat1[i], lon1[i], lat2[i], lon2[i])["s12"]
        assert b * b / a * theta[i] * (1 - 1e-9) <= s12 <= a * a / b * theta[i] * (1 + 1e-9)


def _exact_cosines(lat0: float, lon0: float, lats: FloatArray, lons: FloatArray) -> Any:
    """cos(theta) in extended precision (x87 long double where the platform has it)."""
    ld = np.longdouble
    deg = ld(np.pi) / ld(180)  # pi to long double precision is not needed at this scale
    lat = lats.astype(ld) * deg
    dlon = (lons.astype(ld) - ld(lon0)) * deg
    return np.sin(ld(lat0) * deg) * np.sin(lat) + np.cos(ld(lat0) * deg) * np.cos(lat) * np.cos(
        dlon
    )


def _screening_points() -> tuple[FloatArray, FloatArray]:
    lats, lons = uniform_points(200_000, seed=21)
    edges_lat = np.array([-90.0, -89.9999, -45.0, 0.0, 45.0, 89.9999, 90.0])
    edges_lon = np.array([-180.0, -179.9999, -90.0, 0.0, 90.0, 179.9999, 180.0])
    grid_lat, grid_lon = np.meshgrid(edges_lat, edges_lon)
    return np.concatenate([lats, grid_lat.ravel()]), np.concatenate([lons, grid_lon.ravel()])


def _worst_share(got: Any, exact: Any, margin: tuple[float, float]) -> float:
    """The largest error of computed cosines as a share of the margin at each point's own
    angle (turn * sin(theta) + flat; see geo/_masks.py)."""
    turn, flat = margin
    sin_theta = np.sqrt(np.maximum(0.0, 1.0 - exact * exact))
    return float(np.max(np.abs(got - exact) / (turn * sin_theta + flat)))


@pytest.mark.parametrize(
    ("lat0", "lon0"), [(50.45, 30.5233), (90.0, 0.0), (-0.5, 180.0), (0.0, -180.0)]
)
def test_float32_screen_error_is_well_inside_its_margin(lat0: float, lon0: float) -> None:
    """The from-degrees screen runs in float32; its error must stay under a quarter of the
    margin at every point's angle (the margin is four times the derived worst case)."""
    lats, lons = _screening_points()
    got = _masks._cos_angle_f32(lat0, lon0, lats, lons).astype(np.longdouble)
    share = _worst_share(got, _exact_cosines(lat0, lon0, lats, lons), _masks._DEGREES_MARGIN)
    assert share < 0.25, share


@pytest.mark.parametrize(
    ("lat0", "lon0"), [(50.45, 30.5233), (90.0, 0.0), (-0.5, 180.0), (0.0, -180.0)]
)
def test_prepared_screen_error_is_well_inside_its_margin(lat0: float, lon0: float) -> None:
    """A TargetSet screens with float32 unit vectors; its error must stay under a quarter of
    the margin (small sets scan them in the order given, large ones sorted by cell)."""
    for count in (10_000, 200_049):
        lats, lons = _screening_points()
        lats, lons = lats[-count:], lons[-count:]
        xyz = geo.TargetSet(lats, lons).xyz
        got = _masks._cos_angle_prepared(np.ascontiguousarray(xyz.T), lat0, lon0)
        exact = _exact_cosines(lat0, lon0, lats, lons)
        share = _worst_share(got.astype(np.longdouble), exact, _masks._PREPARED_MARGIN)
        assert share < 0.25, (count, share)


def test_float32_thresholds_round_outward() -> None:
    for value in (0.1, 0.7, 1.0 - 1e-9, -0.999999999, 1.0 + 2e-5):
        assert float(_masks._f32_outward(value, up=True)) >= value
        assert float(_masks._f32_outward(value, up=False)) <= value
    assert _masks._f32_outward(math.inf, up=True) == np.inf
    assert _masks._f32_outward(-math.inf, up=False) == -np.inf


@pytest.mark.parametrize("lat0", [-90.0, -45.0, 0.0, 50.45, 89.9])
@pytest.mark.parametrize(
    "range_m", [0.0, 1e-4, 1.0, 1e6, 19e6, 19.9e6, 19.91e6, 2.0e7, 2.0105e7, 3e7]
)
def test_thresholds_are_ordered_and_switch_off_at_the_ends(range_m: float, lat0: float) -> None:
    """lo <= hi always (the mask's exclusive-or relies on it); infinities mark none or all."""
    lo, hi = _masks._cos_thresholds(range_m, lat0)
    assert lo <= hi
    if range_m <= _masks._SLACK_M:
        assert hi == np.inf  # nothing is certainly within
    if range_m >= 2.0105e7:  # pi * a^2/b: the bound alone puts everything within
        assert hi == -np.inf
    if range_m >= geo.HALF_MERIDIAN_M - _masks._SLACK_M:  # nothing is certainly out of range
        assert lo == -np.inf
    else:  # past pi * b^2/a = 19,903.4 km, the cap round the antipode still is
        assert np.isfinite(lo)


@pytest.mark.parametrize("lat0", [-90.0, -33.0, 0.0, 1e-9, 12.0, 50.45, 89.9, 90.0])
@pytest.mark.parametrize("range_m", [15e6, 19e6, 19.9e6, 19.99e6, 2.0e7, 20003921.46])
def test_points_round_the_antipode_that_the_bound_puts_out_are_out(
    range_m: float, lat0: float
) -> None:
    """The bound through the antipode (s >= s(O, A') - s(A', P)) against Geod.inv: points
    spread over the cap it puts out of range, its edge most of all, are all beyond the
    range; and it is closer than the normals' angle alone (which puts nothing out of range
    past pi * b^2/a)."""
    theta_out = _masks._angles(range_m, lat0)[1]
    cap = math.pi - theta_out
    assert cap > 0.0
    if range_m > 19.91e6:
        assert theta_out < math.pi
    rng = np.random.default_rng(int(range_m) % 1000 + int(lat0 * 10) % 97)
    lon0 = float(rng.uniform(-180.0, 180.0))
    count = 20_000
    # Angles from the antipode: half of them within a thousandth of the cap's edge.
    angle = np.concatenate(
        [
            cap * np.sqrt(rng.uniform(0.0, 1.0, count)),
            cap * (1.0 - 1e-3 * rng.uniform(0.0, 1.0, count)),
        ]
    )
    turn = rng.uniform(0.0, 2.0 * math.pi, angle.size)
    w = -_masks._unit_vector(lat0, lon0)
    helper = np.array([1.0, 0.0, 0.0]) if abs(w[0]) < 0.9 else np.array([0.0, 1.0, 0.0])
    e1 = np.cross(w, helper)
    e1 /= np.linalg.norm(e1)
    e2 = np.cross(w, e1)
    v = (
        np.outer(np.cos(angle), w)
        + np.outer(np.sin(angle) * np.cos(turn), e1)
        + np.outer(np.sin(angle) * np.sin(turn), e2)
    )
    lats = np.degrees(np.arcsin(np.clip(v[:, 2], -1.0, 1.0)))
    lons = np.degrees(np.arctan2(v[:, 1], v[:, 0]))
    n = lats.size
    s = np.asarray(geo.geod().inv(np.full(n, lon0), np.full(n, lat0), lons, lats)[2])
    assert float(np.min(s)) > range_m
    assert_masks_exact(lat0, lon0, range_m, lats, lons)


def test_sure_verdicts_never_contradict_geod_inv_where_the_bound_is_sharp() -> None:
    """Targets a hair either side of the bound's thresholds, where s/theta hits its limits.

    Along the meridian at the equator s/theta is b^2/a; near the poles it approaches a^2/b.
    """
    b = geo.WGS84_A_M * (1 - geo.WGS84_F)
    r_min = b * b / geo.WGS84_A_M
    r_max = geo.WGS84_A_M**2 / b
    factors = 1.0 + np.array([-1e-6, -1e-9, -1e-12, 0.0, 1e-12, 1e-9, 1e-6])
    for range_m in (1.0, 100.0, 80e3, 1e6, 5e6):
        # Meridian through the equatorial origin, targets at the certainly-outside angle.
        theta = range_m / r_min * factors
        lats = np.degrees(np.concatenate([theta, -theta]))
        lons = np.zeros_like(lats)
        assert_masks_exact(0.0, 0.0, range_m, lats, lons)
        # Near the north pole, targets at the certainly-inside angle, across the pole.
        theta = range_m / r_max * factors
        lats = np.clip(90.0 - np.degrees(theta), -90.0, 90.0)
        for lat0, lon0 in ((90.0, 0.0), (89.99, 0.0)):
            assert_masks_exact(lat0, lon0, range_m, lats, np.full_like(lats, 180.0))
            assert_masks_exact(lat0, lon0, range_m, lats, np.full_like(lats, 0.0))


# --------------------------------------------------------------------------------------------
# Masks: identical to Geod.inv on every point
# --------------------------------------------------------------------------------------------

RANGES_M = [0.0, 1.0, 100.0, 80e3, 560e3, 1e6, 5e6, 19e6, 19.97e6, 20e6, 20003931.458625447, 2.1e7]
ORIGINS = [(50.45, 30.5233), (90.0, 0.0), (-90.0, 45.0), (0.0, 180.0), (-33.87, -180.0), (0.0, 0.0)]


@pytest.mark.parametrize(("lat0", "lon0"), ORIGINS)
def test_masks_match_geod_inv_on_uniform_points(lat0: float, lon0: float) -> None:
    lats, lons = uniform_points(100_000, seed=1)
    expected_all = np.asarray(
        geo.geod().inv(np.full(lats.size, lon0), np.full(lats.size, lat0), lons, lats)[2]
    )
    targets = geo.TargetSet(lats, lons)
    for range_m in RANGES_M:
        expected = expected_all <= range_m
        assert np.array_equal(geo.within_range_m(lat0, lon0, range_m, lats, lons), expected)
        assert np.array_equal(targets.within(lat0, lon0, range_m), expected)


@pytest.mark.parametrize(
    ("lat0", "lon0"), [(50.45, 30.5233), (89.9, 10.0), (0.0, 179.99), (-60.0, -75.0), (90.0, 0.0)]
)
@pytest.mark.parametrize("range_m", [1.0, 100.0, 80e3, 1e6, 5e6, 19e6, 19.9e6])
def test_masks_match_geod_inv_at_the_range_on_every_azimuth(
    lat0: float, lon0: float, range_m: float
) -> None:
    """Targets at exactly the range and at range * (1 +- 1e-9), on 1,440 azimuths."""
    azimuths = np.arange(0.0, 360.0, 0.25)
    lats_list, lons_list = [], []
    for factor in (1.0 - 1e-9, 1.0, 1.0 + 1e-9):
        n = azimuths.size
        lon, lat, _ = geo.geod().fwd(
            np.full(n, lon0), np.full(n, lat0), azimuths, np.full(n, range_m * factor)
        )
        lats_list.append(lat)
        lons_list.append(lon)
    lats, lons = np.concatenate(lats_list), np.concatenate(lons_list)
    assert_masks_exact(lat0, lon0, range_m, lats, lons)
    if range_m >= 1e3:
        # The offset rings are settled as built (fwd/inv round trips agree to nanometres, so
        # this says nothing at 1e-9 of a metre-long range).
        mask = geo.within_range_m(lat0, lon0, range_m, lats, lons)
        assert mask[: azimuths.size].all()
        assert not mask[2 * azimuths.size :].any()


def test_masks_match_geod_inv_at_the_poles_and_the_antimeridian() -> None:
    rng = np.random.default_rng(7)
    lons_any = rng.uniform(-180.0, 180.0, 500)
    lats = np.concatenate([np.full(500, 90.0), np.full(500, -90.0), rng.uniform(-90, 90, 1000)])
    lons = np.concatenate([lons_any, lons_any, rng.choice([-180.0, 180.0], 1000)])
    for lat0, lon0 in [(90.0, 0.0), (-90.0, -180.0), (45.0, 180.0), (-10.0, -180.0), (89.0, 1.0)]:
        for range_m in [1.0, 1e3, 1e6, 1.1e7, 19e6, 20e6]:
            assert_masks_exact(lat0, lon0, range_m, lats, lons)


def test_masks_match_geod_inv_near_the_antipode() -> None:
    rng = np.random.default_rng(8)
    for lat0, lon0 in [(0.0, 0.0), (0.3, 179.5), (45.0, 30.0), (-89.5, 10.0), (10.0, -170.0)]:
        n = 20_000
        spread = rng.choice([1e-9, 1e-6, 1e-3, 0.1, 1.0], n)
        lats = np.clip(-lat0 + rng.normal(0.0, 1.0, n) * spread, -90.0, 90.0)
        lons = (lon0 + 360.0 + rng.normal(0.0, 1.0, n) * spread) % 360.0 - 180.0
        for range_m in [19.9e6, 19.97e6, 19.99e6, 20e6, 20003e3, geo.HALF_MERIDIAN_M]:
            assert_masks_exact(lat0, lon0, range_m, lats, lons)


def test_tiny_ranges_and_coincident_points() -> None:
    lat0, lon0 = 50.45, 30.5233
    rng = np.random.default_rng(9)
    offsets = rng.normal(0.0, 1.0, (2, 5000)) * rng.choice([1e-9, 1e-7, 1e-5, 1e-3], (1, 5000))
    lats, lons = lat0 + offsets[0], lon0 + offsets[1]
    lats[:10], lons[:10] = lat0, lon0
    for range_m in [0.0, 1.0, 1.5, 100.0]:
        assert_masks_exact(lat0, lon0, range_m, lats, lons)
    assert geo.within_range_m(lat0, lon0, 0.0, lats, lons)[:10].all()
    # Under MIN_RANGE_M (and above 0) a range is refused, not answered.
    for range_m in [1e-3, 0.1, math.nextafter(1.0, 0.0)]:
        with pytest.raises(LimitError, match="below MIN_RANGE_M"):
            geo.within_range_m(lat0, lon0, range_m, lats, lons)


def test_masks_keep_the_shape_given() -> None:
    lats, lons = uniform_points(600, seed=3)
    grid_lats, grid_lons = lats.reshape(20, 30), lons.reshape(20, 30)
    expected = brute_mask(10.0, 20.0, 5e6, grid_lats, grid_lons)
    got = geo.within_range_m(10.0, 20.0, 5e6, grid_lats, grid_lons)
    assert got.shape == (20, 30)
    assert np.array_equal(got, expected)
    targets = geo.TargetSet(grid_lats.T, grid_lons.T)  # non-contiguous input
    assert targets.shape == (30, 20)
    assert np.array_equal(targets.within(10.0, 20.0, 5e6), expected.T)
    # Lists, scalars and empty inputs.
    assert geo.within_range_m(0.0, 0.0, 2e5, [1.0, 2.0], [0.0, 0.0]).tolist() == [True, False]
    assert geo.within_range_m(0.0, 0.0, 2e5, 1.0, 0.0).shape == ()
    for shape in [(0,), (0, 3), (2, 0)]:
        empty = np.empty(shape)
        assert geo.within_range_m(0.0, 0.0, 1e6, empty, empty).shape == shape
        assert geo.TargetSet(empty, empty).within(0.0, 0.0, 1e6).shape == shape
    assert geo.within_range_m(0.0, 0.0, 1e6, [], []).dtype == np.bool_


def test_target_set_holds_read_only_copies_and_unit_vectors() -> None:
    lats, lons = uniform_points(1000, seed=4)
    targets = geo.TargetSet(lats, lons)
    lats[0] = 0.0  # the set keeps its own copy
    assert targets.lats[0] != 0.0
    for array in (targets.lats, targets.lons, targets.xyz):
        with pytest.raises(ValueError, match="read-only"):
            array[0] = 1.0
    assert targets.xyz.shape == (1000, 3)
    assert targets.xyz.flags.f_contiguous  # each component contiguous
    assert targets.xyz.dtype == np.float32
    assert np.allclose(np.linalg.norm(targets.xyz, axis=1), 1.0, atol=1e-6)
    assert np.allclose(targets.xyz[:, 2], np.sin(np.radians(targets.lats)), atol=1e-7)
    assert len(targets) == 1000
    assert repr(targets) == "TargetSet(1000 points, shape (1000,))"
    expected = np.asarray(
        geo.geod().inv(np.full(1000, 30.0), np.full(1000, 50.0), targets.lons, targets.lats)[2]
    )
    assert np.array_equal(targets.distances_m(50.0, 30.0), expected)
    ints = geo.TargetSet(np.array([10, 20]), np.array([30, 40]))  # integer degrees
    assert ints.lats.dtype == np.float64


@HYPOTHESIS
@given(strategies.points(), mask_ranges(), strategies.target_arrays())
def test_masks_match_geod_inv_property(
    origin: tuple[float, float], range_m: float, targets: tuple[FloatArray, FloatArray]
) -> None:
    lats, lons = targets
    assert_masks_exact(origin[0], origin[1], range_m, lats, lons)


@HYPOTHESIS
@given(
    strategies.points(),
    mask_ranges(),
    mask_ranges(),
    strategies.target_arrays(),
)
def test_a_target_within_range_stays_within_a_longer_range(
    origin: tuple[float, float],
    range_a: float,
    range_b: float,
    targets: tuple[FloatArray, FloatArray],
) -> None:
    shorter, longer = sorted((range_a, range_b))
    lats, lons = targets
    prepared = geo.TargetSet(lats, lons)
    near = prepared.within(origin[0], origin[1], shorter)
    far = prepared.within(origin[0], origin[1], longer)
    assert not (near & ~far).any()
    near = geo.within_range_m(origin[0], origin[1], shorter, lats, lons)
    far = geo.within_range_m(origin[0], origin[1], longer, lats, lons)
    assert not (near & ~far).any()


# --------------------------------------------------------------------------------------------
# Bad input
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lat0", "lon0", "match"),
    [
        (91.0, 0.0, "latitude 91.0 is outside"),
        (120.0, 50.0, "swap"),
        (0.0, 181.0, r"longitude 181.0 is outside \[-180, 180\]; wrap"),
        (math.nan, 0.0, "nan"),
        (0.0, -math.inf, "-inf"),
        (True, 0.0, "True that is a bool"),
        ("50", 0.0, "'50' that is a str"),
    ],
)
def test_bad_origins_raise_coordinate_error(lat0: Any, lon0: Any, match: str) -> None:
    lats, lons = np.zeros(3), np.zeros(3)
    with pytest.raises(CoordinateError, match=match):
        geo.within_range_m(lat0, lon0, 1e3, lats, lons)
    with pytest.raises(CoordinateError, match=match):
        geo.TargetSet(lats, lons).within(lat0, lon0, 1e3)
    with pytest.raises(CoordinateError, match=match):
        geo.ring_geometry(lat0, lon0, 1e3)


@pytest.mark.parametrize(
    ("lats", "lons", "match"),
    [
        ([0.0, 1.0, 2.0, 95.0], [0.0] * 4, r"latitude 95.0 at index 3 is outside \[-90, 90\]"),
        ([[0.0, 1.0], [math.nan, 2.0]], [[0.0] * 2] * 2, r"latitude nan at index \(1, 0\)"),
        ([0.0, 120.0], [0.0, 50.0], "swap"),
        ([0.0, 1.0], [0.0, 200.0], r"longitude 200.0 at index 1 .*wrap it into"),
        ([0.0], [-math.inf], "longitude -inf at index 0"),
        ([0.0, 1.0], [0.0], r"same shape \(got \(2,\) and \(1,\)\)"),
        (["50"], [1.0], "dtype <U2"),
        ([True], [1.0], "dtype bool"),
        ([[0.0, 1.0], [2.0]], [0.0, 1.0], "cannot read the latitudes"),
    ],
)
def test_bad_targets_raise_coordinate_error_naming_the_index(
    lats: Any, lons: Any, match: str
) -> None:
    with pytest.raises(CoordinateError, match=match):
        geo.within_range_m(0.0, 0.0, 1e3, lats, lons)
    with pytest.raises(CoordinateError, match=match):
        geo.TargetSet(lats, lons)


@pytest.mark.parametrize(
    ("range_m", "match"),
    [(-1.0, r"0 or more \(got -1.0\)"), (math.nan, "nan"), (math.inf, "inf"), ("5 km", "'5 km'")],
)
def test_bad_mask_ranges_raise_value_error(range_m: Any, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        geo.within_range_m(0.0, 0.0, range_m, [0.0], [0.0])
    with pytest.raises(ValueError, match=match):
        geo.TargetSet([0.0], [0.0]).within(0.0, 0.0, range_m)


@pytest.mark.parametrize(
    ("range_m", "points", "match"),
    [
        (0.0, 360, r"more than 0 \(got 0.0\)"),
        (-5.0, 360, r"got -5.0"),
        (math.inf, 360, "got inf"),
        (math.nan, 360, "got nan"),
        (1e6, 2, r"from 3 to 100,000 \(got 2\)"),
        (1e6, 10_000_000, r"from 3 to 100,000 \(got 10000000\)"),
        (1e6, 36.0, r"got 36.0"),
        (1e6, True, r"got True"),
        (1e6, "360", r"got '360'"),
    ],
)
def test_bad_ring_ranges_and_points_raise_value_error(
    range_m: Any, points: Any, match: str
) -> None:
    with pytest.raises(ValueError, match=match):
        geo.ring_geometry(50.0, 30.0, range_m, points)


# --------------------------------------------------------------------------------------------
# Range rings
# --------------------------------------------------------------------------------------------


def _polygons(geometry: dict[str, Any]) -> list[list[list[list[float]]]]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    assert geometry["type"] == "MultiPolygon"
    polygons: list[list[list[list[float]]]] = geometry["coordinates"]
    return polygons


def _shoelace(ring: list[list[float]]) -> float:
    xy = np.asarray(ring)
    x, y = xy[:, 0], xy[:, 1]
    return 0.5 * float(np.sum(x[:-1] * y[1:] - x[1:] * y[:-1]))


def assert_valid_geojson(geometry: dict[str, Any]) -> None:
    """RFC 7946: closed rings of [lon, lat] in range, exteriors CCW and holes CW."""
    json.dumps(geometry)  # plain JSON types only
    assert set(geometry) == {"type", "coordinates"}
    for polygon in _polygons(geometry):
        assert polygon
        for k, ring in enumerate(polygon):
            assert len(ring) >= 4
            assert ring[0] == ring[-1], "ring not closed"
            for position in ring:
                assert len(position) == 2
                assert all(type(c) is float for c in position)
                assert -180.0 <= position[0] <= 180.0
                assert -90.0 <= position[1] <= 90.0
            area = _shoelace(ring)
            assert (area > 0) if k == 0 else (area < 0), "exterior must be CCW, holes CW"


def assert_vertices_at_range(
    lat0: float, lon0: float, range_m: float, geometry: dict[str, Any]
) -> int:
    """Every vertex not on the lon/lat frame lies at the range within 1 m; returns how many."""
    positions = np.array([p for poly in _polygons(geometry) for ring in poly for p in ring[:-1]])
    on_frame = (np.abs(positions[:, 0]) == 180.0) | (np.abs(positions[:, 1]) == 90.0)
    ring_positions = positions[~on_frame]
    n = len(ring_positions)
    s12 = np.asarray(
        geo.geod().inv(
            np.full(n, lon0), np.full(n, lat0), ring_positions[:, 0], ring_positions[:, 1]
        )[2]
    )
    assert np.all(np.abs(s12 - range_m) <= 1.0), float(np.max(np.abs(s12 - range_m)))
    return n


def point_in_geometry(geometry: dict[str, Any], lons: FloatArray, lats: FloatArray) -> Any:
    """Even-odd point-in-polygon in the lon/lat plane (straight edges, as RFC 7946 says)."""
    inside = np.zeros(lons.shape, dtype=bool)
    for polygon in _polygons(geometry):
        for ring in polygon:
            xy = np.asarray(ring)
            for (x1, y1), (x2, y2) in itertools.pairwise(xy):
                if y1 == y2:
                    continue
                spans = (lats >= min(y1, y2)) & (lats < max(y1, y2))
                crossing_x = x1 + (lats - y1) * (x2 - x1) / (y2 - y1)
                inside ^= spans & (lons < crossing_x)
    return inside


def assert_geometry_is_the_disk(
    lat0: float, lon0: float, range_m: float, geometry: dict[str, Any], tolerance: float
) -> None:
    """Random points fall inside the geometry exactly when they are within range, except in a
    band of ``tolerance`` (a fraction of the range, plus 1 km) where straight edges cut corners.
    """
    lats, lons = uniform_points(5_000, seed=12)
    n = lats.size
    s12 = np.asarray(geo.geod().inv(np.full(n, lon0), np.full(n, lat0), lons, lats)[2])
    inside = point_in_geometry(geometry, lons, lats)
    wrong = (inside != (s12 <= range_m)) & (np.abs(s12 - range_m) > tolerance * range_m + 1e3)
    assert not wrong.any(), f"{wrong.sum()} points on the wrong side, far from the edge"


_TO_POLE = geo.inverse_m(80.0, 0.0, 90.0, 0.0)

RING_CASES = [
    pytest.param(53.0167, 158.65, 2000e3, "MultiPolygon", (), id="Petropavlovsk-2000km"),
    pytest.param(85.0, 0.0, 1500e3, "Polygon", ("north",), id="85N-1500km"),
    pytest.param(-89.0, 0.0, 3000e3, "Polygon", ("south",), id="89S-3000km"),
    pytest.param(-90.0, 0.0, 3000e3, "Polygon", ("south",), id="south-pole-3000km"),
    pytest.param(90.0, 45.0, 1.0, "Polygon", ("north",), id="north-pole-1m"),
    pytest.param(89.999, 45.0, 50e3, "Polygon", ("north",), id="near-pole-50km"),
    pytest.param(50.45, 30.5233, 1000e3, "Polygon", (), id="Kyiv-1000km"),
    pytest.param(0.0, 179.99, 100e3, "MultiPolygon", (), id="antimeridian-100km"),
    pytest.param(-16.0, -180.0, 500e3, "MultiPolygon", (), id="on-antimeridian-500km"),
    pytest.param(0.0, 0.0, 15000e3, "Polygon", ("north", "south"), id="both-poles-notched"),
    pytest.param(0.0, 100.0, 15000e3, "Polygon", ("north", "south"), id="both-poles-hole"),
    pytest.param(30.0, 0.0, 12000e3, "Polygon", ("north", "south"), id="both-poles-30N"),
    pytest.param(0.0, 0.0, 19990e3, "Polygon", ("north", "south"), id="past-cut-locus"),
    pytest.param(10.0, 170.0, 19995e3, "Polygon", ("north", "south"), id="past-cut-locus-hole"),
    pytest.param(0.0, 0.0, 10001965.7, "Polygon", (), id="grazing-both-poles"),
    pytest.param(80.0, 0.0, _TO_POLE, "Polygon", ("north",), id="through-the-pole"),
    pytest.param(80.0, 0.0, math.nextafter(_TO_POLE, 0), "Polygon", (), id="a-hair-short-of-pole"),
]


@pytest.mark.parametrize(("lat0", "lon0", "range_m", "kind", "poles"), RING_CASES)
def test_ring_geometry(
    lat0: float, lon0: float, range_m: float, kind: str, poles: tuple[str, ...]
) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no clamping below the half meridian
        geometry, used = geo.ring_geometry(lat0, lon0, range_m, 360)
    assert used == range_m
    assert geometry["type"] == kind
    assert_valid_geojson(geometry)
    on_range = assert_vertices_at_range(lat0, lon0, range_m, geometry)
    if range_m < 19.9e6:
        assert on_range >= 356  # every Geod.fwd vertex, bar any lying on the frame
    corners = {tuple(p) for poly in _polygons(geometry) for p in poly[0] if abs(p[1]) == 90.0}
    if "north" in poles and "south" not in poles:
        assert {(-180.0, 90.0), (180.0, 90.0)} <= corners, "closed over the north pole"
    if "south" in poles and "north" not in poles:
        assert {(-180.0, -90.0), (180.0, -90.0)} <= corners, "closed over the south pole"
    assert_geometry_is_the_disk(lat0, lon0, range_m, geometry, tolerance=0.01)


def test_ring_across_the_antimeridian_is_cut_at_exactly_180() -> None:
    geometry, _ = geo.ring_geometry(53.0167, 158.65, 2000e3)
    west, east = sorted(_polygons(geometry), key=lambda poly: poly[0][0][0])
    assert {p[0] for p in west[0] if abs(p[0]) == 180.0} == {-180.0}
    assert {p[0] for p in east[0] if abs(p[0]) == 180.0} == {180.0}
    # The cut points pair up: each latitude appears on both sides.
    west_cuts = sorted(p[1] for p in west[0][:-1] if p[0] == -180.0)
    east_cuts = sorted(p[1] for p in east[0][:-1] if p[0] == 180.0)
    assert west_cuts == east_cuts
    assert len(west_cuts) == 2


def test_ring_with_few_points_and_far_past_the_cut_locus() -> None:
    geometry, _ = geo.ring_geometry(0.0, 0.0, 20e6, points=3)
    assert_valid_geojson(geometry)
    assert_vertices_at_range(0.0, 0.0, 20e6, geometry)
    geometry, _ = geo.ring_geometry(10.0, 20.0, 1e5, points=3)
    assert geometry["type"] == "Polygon"
    assert len(geometry["coordinates"][0]) == 4


def test_ring_beyond_half_meridian_is_clamped_with_a_warning() -> None:
    with pytest.warns(WeaponsrefWarning, match=r"range 21000000.000 m .* 20003931.459 m"):
        geometry, used = geo.ring_geometry(50.0, 30.0, 21e6)
    assert used == geo.HALF_MERIDIAN_M
    assert geometry == {
        "type": "Polygon",
        "coordinates": [
            [[-180.0, -90.0], [180.0, -90.0], [180.0, 90.0], [-180.0, 90.0], [-180.0, -90.0]]
        ],
    }
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        whole, used = geo.ring_geometry(50.0, 30.0, geo.HALF_MERIDIAN_M)
    assert used == geo.HALF_MERIDIAN_M
    assert whole == geometry


@HYPOTHESIS
@given(strategies.points(), strategies.ring_ranges_m(), st.integers(min_value=3, max_value=48))
def test_ring_vertices_lie_at_the_range_property(
    origin: tuple[float, float], range_m: float, points: int
) -> None:
    lat0, lon0 = origin
    geometry, used = geo.ring_geometry(lat0, lon0, range_m, points)
    assert used == range_m
    assert_valid_geojson(geometry)
    assert assert_vertices_at_range(lat0, lon0, range_m, geometry) >= points - 4


@HYPOTHESIS
@given(strategies.points(), strategies.ranges_m(min_value=1e3, max_value=19.9e6))
def test_ring_geometry_covers_the_disk_property(
    origin: tuple[float, float], range_m: float
) -> None:
    lat0, lon0 = origin
    geometry, _ = geo.ring_geometry(lat0, lon0, range_m, 180)
    assert_valid_geojson(geometry)
    assert_geometry_is_the_disk(lat0, lon0, range_m, geometry, tolerance=0.02)


def test_array_constants_give_the_results_python_floats_give() -> None:
    """The rings' 0-d array constants (_geodesy._constant) change the cost of an operation,
    not its result: _canonical and _half_turn give bit for bit what the same expressions
    with Python floats give, on the values that matter (exactly +-180, +-360, just inside
    and outside) and on random steps; and the constants cannot be written to."""
    from weaponsref.geo import _geodesy

    edges = [-360.0, -180.0000001, -180.0, -179.9999999, -0.0, 0.0, 179.9999999, 180.0]
    rng = np.random.default_rng(7)
    steps = np.concatenate((edges, [180.0000001, 360.0], rng.uniform(-360.0, 360.0, 1000)))
    expected = np.where(
        steps > 180.0, steps - 360.0, np.where(steps < -180.0, steps + 360.0, steps)
    )
    assert np.array_equal(_geodesy._half_turn(steps), expected)
    assert np.array_equal(np.signbit(_geodesy._half_turn(steps)), np.signbit(expected))
    lon = np.concatenate((edges[2:], rng.uniform(-180.0, 180.0, 1000)))
    canonical = _geodesy._canonical(lon)
    assert np.array_equal(canonical, np.where(lon >= 180.0, lon - 360.0, lon))
    assert canonical[lon == 180.0].tolist() == [-180.0]
    assert np.all((canonical >= -180.0) & (canonical < 180.0))
    west = lon[lon < 180.0]
    assert _geodesy._canonical(west) is west  # nothing to change: no copy
    for constant in (_geodesy._HALF_TURN, _geodesy._TURN, _geodesy._constant(0.5)):
        assert constant.shape == () and constant.dtype == np.float64
        with pytest.raises(ValueError, match="read-only"):
            np.add(constant, 1.0, out=constant)
