"""The enclosure of geodesic distances (weaponsref.geo._enclose), the second screen of the
exact masks: every enclosure it calls usable must hold the distance GeographicLib gives
(the geographiclib package, Karney's own Python implementation, independent of pyproj's C
build), over origins at the poles, on the equator, across the antimeridian and at random,
and targets spread over the sphere, clustered round the origin, on the poles, the equator,
the origin's meridian and its opposite. Its widths are checked too, with a stated bound, as
the masks' speed rests on them; its refusals (the origin itself, arcs past a quarter circle)
are checked to be refusals, not wrong answers."""

from __future__ import annotations

import math

import numpy as np
import pytest
from geographiclib.geodesic import Geodesic

from weaponsref.geo import _enclose

G = Geodesic.WGS84
ORIGINS = [
    (50.45, 30.5233),
    (90.0, 0.0),
    (-90.0, 123.0),
    (0.0, 0.0),
    (0.0, 180.0),
    (89.9999, -179.9),
    (-1e-7, 179.99999),
    (45.0, -1e-9),
    (-33.9, 151.2),
    (64.1, -21.9),
]
# Widths the enclosure reaches below 2,000 km (its remainders are centimetres there; the
# bracket on omega and the rounding margins add the rest).
WIDTH_BELOW_2000_KM_M = 1.5


def _targets(
    lat0: float, lon0: float, n: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    lats = np.degrees(np.arcsin(rng.uniform(-1.0, 1.0, n)))
    lons = rng.uniform(-180.0, 180.0, n)
    k = n // 8
    lats[:k] = np.clip(lat0 + rng.normal(0.0, 4.0, k), -90.0, 90.0)
    lons[:k] = (lon0 + rng.normal(0.0, 4.0, k) + 180.0) % 360.0 - 180.0
    lats[k : 2 * k] = rng.choice([90.0, -90.0, 0.0, lat0, -lat0], k)
    opposite = (lon0 + 360.0) % 360.0 - 180.0
    lons[2 * k : 3 * k] = rng.choice([lon0, opposite, 180.0, -180.0, 0.0], k)
    lats[3 * k], lons[3 * k] = lat0, lon0  # the origin itself
    return lats, lons


def _truth(lat0: float, lon0: float, lats: np.ndarray, lons: np.ndarray) -> np.ndarray:
    return np.array(
        [
            G.Inverse(lat0, lon0, la, lo, Geodesic.DISTANCE)["s12"]
            for la, lo in zip(lats, lons, strict=True)
        ]
    )


@pytest.mark.parametrize("origin", [*ORIGINS, (-12.3456, 77.7), (71.0, -179.5)])
def test_every_usable_enclosure_holds_the_distance(origin: tuple[float, float]) -> None:
    rng = np.random.default_rng(abs(hash(origin)) % 2**32)
    lats, lons = _targets(*origin, 6_000, rng)
    s = _truth(*origin, lats, lons)
    low, high, usable = _enclose.distance_bounds(origin[0], _enclose.Seen.of(origin[1], lats, lons))
    assert np.all(low[usable] <= s[usable]), origin
    assert np.all(s[usable] <= high[usable]), origin
    # Tight where the masks use it, and used almost everywhere below a quarter circle.
    near = usable & (s < 2e6)
    assert np.all(high[near] - low[near] <= WIDTH_BELOW_2000_KM_M)
    mid = (s > 1.0) & (s < 9e6)
    assert np.count_nonzero(usable[mid]) >= 0.99 * np.count_nonzero(mid)
    # The origin itself, and arcs past a quarter circle, are refused.
    assert not usable[s == 0.0].any()
    assert not usable[s > 1.0040e7].any()  # b pi / 2 sqrt(1 + e'^2), at most


@pytest.mark.slow
def test_enclosures_hold_over_a_million_pairs() -> None:
    """The same against pyproj's Geod.inv (GeographicLib in C) on many more pairs."""
    from weaponsref.geo import geod

    rng = np.random.default_rng(20261203)
    checked = 0
    for _ in range(12):
        lat0, lon0 = float(np.degrees(np.arcsin(rng.uniform(-1, 1)))), float(rng.uniform(-180, 180))
        lats, lons = _targets(lat0, lon0, 100_000, rng)
        n = lats.size
        s = np.asarray(geod().inv(np.full(n, lon0), np.full(n, lat0), lons, lats)[2])
        low, high, usable = _enclose.distance_bounds(lat0, _enclose.Seen.of(lon0, lats, lons))
        # Geod.inv is within about 15 nm of the true distance.
        assert np.all(low[usable] <= s[usable] + 1e-6)
        assert np.all(s[usable] <= high[usable] + 1e-6)
        checked += int(np.count_nonzero(usable))
    assert checked > 600_000


def test_enclosed_within_decides_only_what_is_proven() -> None:
    """Points within a few centimetres of the range are left undecided; the rest get the
    verdict GeographicLib's distance gives."""
    lat0, lon0, range_m = 50.45, 30.5233, 1_000_000.0
    azimuths = np.linspace(-180.0, 180.0, 721)
    lats, lons = [], []
    for az in azimuths:
        for off in (-5.0, -0.5, -0.002, 0.0, 0.002, 0.5, 5.0):
            found = G.Direct(lat0, lon0, float(az), range_m + off)
            lats.append(found["lat2"])
            lons.append(found["lon2"])
    lat_array, lon_array = np.array(lats), np.array(lons)
    s = _truth(lat0, lon0, lat_array, lon_array)
    within, beyond = _enclose.enclosed_within(
        lat0, range_m, _enclose.Seen.of(lon0, lat_array, lon_array), 1e-3
    )
    assert not (within & beyond).any()
    assert np.all(s[within] <= range_m) and np.all(s[beyond] > range_m)
    # Five metres off the range is always decided; two millimetres never is.
    far = np.abs(s - range_m) >= 4.9
    assert (within | beyond)[far].all()
    assert not (within | beyond)[np.abs(s - range_m) <= 2e-3].any()


def test_an_empty_set_and_the_reduced_latitude() -> None:
    low, high, usable = _enclose.distance_bounds(
        10.0, _enclose.Seen.of(20.0, np.zeros(0), np.zeros(0))
    )
    assert low.size == high.size == usable.size == 0
    # tan(beta) = (1 - f) tan(phi), by hand at 45 degrees.
    sb, cb = _enclose._reduced(math.sin(math.pi / 4), math.cos(math.pi / 4))
    assert math.isclose(float(sb) / float(cb), 1.0 - 1.0 / 298.257223563, rel_tol=1e-15)


@pytest.mark.parametrize("enclose_from", [1, 512])
def test_masks_through_the_enclosure_are_geod_inv_s(
    enclose_from: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """within_range_m and a TargetSet give Geod.inv's mask point for point with the
    enclosure settling their bands (from any band size, and at its own threshold), and the
    enclosure does run."""
    from weaponsref import geo
    from weaponsref.geo import _masks

    calls: list[int] = []
    real = _masks.enclosed_within

    def spy(*args: object) -> tuple[np.ndarray, np.ndarray]:
        calls.append(len(args[2]))  # type: ignore[arg-type]
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(_masks, "_ENCLOSE", enclose_from)
    monkeypatch.setattr(_masks, "enclosed_within", spy)
    rng = np.random.default_rng(5)
    lats = np.degrees(
        np.arcsin(rng.uniform(np.sin(np.radians(35)), np.sin(np.radians(65)), 300_000))
    )
    lons = rng.uniform(10.0, 50.0, lats.size)
    targets = geo.TargetSet(lats, lons)
    for lat0, lon0 in [(50.45, 30.5233), (0.0, 179.9), (89.0, 0.0)]:
        s = np.asarray(
            geo.geod().inv(np.full(lats.size, lon0), np.full(lats.size, lat0), lons, lats)[2]
        )
        for range_m in (3e5, 1e6, 2.5e6, 9e6, 1.2e7):
            truth = s <= range_m
            assert np.array_equal(geo.within_range_m(lat0, lon0, range_m, lats, lons), truth)
            assert np.array_equal(targets.within(lat0, lon0, range_m), truth)
            found = targets.indices_within(lat0, lon0, range_m, min_range_m=1e5)
            assert np.array_equal(found, np.flatnonzero(truth & (s >= 1e5)))
    assert calls and max(calls) >= 512


def test_arctangents_of_small_differences_and_the_sphere_that_is_too_far() -> None:
    """sigma12 of a great circle near the first is that one's plus the arctangent of their
    small difference: math.atan's to 1e-17 below a tangent of 1/32, and a circle turned
    further is refused rather than given a wrong arc."""
    t = np.linspace(-1.0 / 32.0, 1.0 / 32.0, 2_001)
    expected = np.array([math.atan(float(v)) for v in t])
    assert np.max(np.abs(_enclose._arctan_small(t) - expected)) <= 1e-17
    sb1, cb1 = (float(v) for v in _enclose._reduced(math.sin(0.8), math.cos(0.8)))
    sb2, cb2 = _enclose._reduced(np.sin(np.full(4, 0.3)), np.cos(np.full(4, 0.3)))
    omega = np.array([0.5, 0.5, 0.5, 0.5])
    start = _enclose._Sphere(sb1, cb1, sb2, cb2, np.sin(omega), np.cos(omega))
    turned = omega + np.array([0.0, 0.004, -0.011, 0.2])
    near = _enclose._Sphere(sb1, cb1, sb2, cb2, np.sin(turned), np.cos(turned), near=start)
    alone = _enclose._Sphere(sb1, cb1, sb2, cb2, np.sin(turned), np.cos(turned))
    assert near.known.tolist() == [True, True, True, False]  # type: ignore[union-attr]
    assert np.allclose(near.sigma12[:3], alone.sigma12[:3], rtol=0.0, atol=1e-15)


def test_points_are_seen_from_the_origin_s_meridian_across_the_antimeridian() -> None:
    lon0 = 170.0
    lons = np.array([-170.0, 170.0, -10.0, -180.0, 180.0, 10.0, -9.0])
    seen = _enclose.Seen.of(lon0, np.zeros(lons.size), lons)
    expected = [20.0, 0.0, -180.0, 10.0, 10.0, -160.0, -179.0]
    assert np.allclose(np.degrees(seen.dlon), expected, rtol=0.0, atol=1e-12)
    assert np.all(np.abs(seen.dlon) <= math.pi)
    assert np.allclose(seen.sin_dlon, np.sin(np.radians(expected)), rtol=0.0, atol=1e-15)
    assert len(seen[1:3]) == 2
