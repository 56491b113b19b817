"""Areas and several origins: distances from an area against a brute-force reference that
densifies every boundary edge along its geodesic to 1 m, masks at the range, verdicts."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from geographiclib.geodesic import Geodesic

import weaponsref as wr
from weaponsref.geo import Area
from weaponsref.geo import _geodesy as geodesy

ROOT = Path(__file__).resolve().parents[1]
G = geodesy.geod()
WGS84 = Geodesic.WGS84


def reference_m(area: Area, lat: float, lon: float) -> float:
    """Brute force: 0 inside; else every boundary edge densified along its geodesic to 1 m
    spacing (GeographicLib's own Line, not pyproj), the least distance to those points.
    Edges that cannot come nearer than the best so far (by the triangle inequality from
    their end vertices) are skipped, which never changes the minimum."""
    if bool(area.contains([lat], [lon])[0]):
        return 0.0
    a_lat, a_lon, b_lat, b_lon = area._a_lat, area._a_lon, area._b_lat, area._b_lon
    n = a_lat.size
    s_a = np.asarray(G.inv(np.full(n, lon), np.full(n, lat), a_lon, a_lat)[2])
    s_b = np.asarray(G.inv(np.full(n, lon), np.full(n, lat), b_lon, b_lat)[2])
    best = float(min(s_a.min(), s_b.min()))
    for e in np.argsort(np.minimum(s_a, s_b)):
        length = float(area._len[e])
        if min(s_a[e], s_b[e]) - 0.5 * length > best:
            continue
        line = WGS84.InverseLine(a_lat[e], a_lon[e], b_lat[e], b_lon[e])
        steps = max(1, math.ceil(line.s13 / 1.0))
        s = np.linspace(0.0, line.s13, steps + 1)
        pos = [line.Position(x) for x in s]
        lats = np.array([p["lat2"] for p in pos])
        lons = np.array([p["lon2"] for p in pos])
        d = np.asarray(G.inv(np.full(lats.size, lon), np.full(lats.size, lat), lons, lats)[2])
        best = min(best, float(d.min()))
    return best


def _sample(area: Area, rng: np.random.Generator, count: int) -> list[tuple[float, float]]:
    """Points near the boundary (within 20 km of a vertex), inside and far away."""
    out = []
    for _ in range(count):
        e = int(rng.integers(area._a_lat.size))
        azimuth = float(rng.uniform(-180, 180))
        distance = float(
            rng.choice([rng.uniform(0, 2e3), rng.uniform(0, 2e4), rng.uniform(1e5, 8e5)])
        )
        lon, lat, _ = G.fwd(area._a_lon[e], area._a_lat[e], azimuth, distance)
        out.append((float(lat), float(lon)))
    return out


@pytest.mark.parametrize("name", ["Ukraine", "Fiji", "Moldova"])
def test_distance_from_an_area_matches_brute_force(name: str) -> None:
    area = wr.area(name)
    rng = np.random.default_rng(len(name))
    points = _sample(area, rng, 12)
    points.append((area.lat, area.lon))
    for lat, lon in points:
        got = wr.distance(area, (lat, lon)).m_as("m")
        assert got == pytest.approx(reference_m(area, lat, lon), abs=1.0), (lat, lon)


def test_fiji_crosses_the_antimeridian() -> None:
    fiji = wr.area("FJI")
    lons = np.concatenate([fiji._a_lon, fiji._b_lon])
    assert lons.max() > 179 and lons.min() < -179
    # Taveuni and Vanua Levu lie across 180: a point on 180 between them is near, not far.
    assert wr.distance(fiji, (-16.8, 180.0)).m_as("km") < 60


@pytest.mark.parametrize("name", ["Ukraine", "Fiji"])
def test_masks_against_an_area_at_the_range(name: str) -> None:
    area = wr.area(name)
    rng = np.random.default_rng(11)
    range_m = 150e3
    lats, lons, expected = [], [], []
    for lat, lon in _sample(area, rng, 10):
        d = reference_m(area, lat, lon)
        if d == 0.0:
            continue
        # Step along the geodesic from the point's nearest boundary point to put targets at
        # range +- 1 m is awkward; instead shift the range to each point's own distance.
        for offset in (-1.0, -0.01, 0.01, 1.0):
            lats.append(lat)
            lons.append(lon)
            expected.append((d, offset))
    for (d, offset), lat, lon in zip(expected, lats, lons, strict=True):
        mask = area.within([lat], [lon], d + offset)
        assert bool(mask[0]) == (offset > 0), (lat, lon, d, offset)
    # And a bulk mask on many points agrees with per-point distances away from the edge.
    grid_lat, grid_lon = np.meshgrid(np.linspace(40, 58, 60), np.linspace(15, 50, 60))
    if name == "Ukraine":
        mask = wr.within_range(f"{range_m} m", area, grid_lat, grid_lon)
        for i in rng.choice(grid_lat.size, 40, replace=False):
            lat, lon = float(grid_lat.flat[i]), float(grid_lon.flat[i])
            d = wr.distance(area, (lat, lon)).m_as("m")
            if abs(d - range_m) > 1.0:
                assert bool(mask.flat[i]) == (d <= range_m)


def test_several_origins_take_the_nearest_and_name_it() -> None:
    reach = wr.reaches("HIMARS", ["Kyiv", "Kharkiv"], "Belgorod")
    assert reach.origin_index == 1 and reach.origin.name == "Kharkiv"
    assert reach.distance_m == pytest.approx(
        WGS84.Inverse(reach.origin.lat, reach.origin.lon, reach.target.lat, reach.target.lon)[
            "s12"
        ],
        abs=1e-3,
    )
    odesa = wr.place("Odesa")
    nearest = wr.distance([(50.45, 30.5233), (odesa.lat, odesa.lon)], "Sevastopol")
    assert nearest == wr.distance(odesa, "Sevastopol")
    table = wr.reach_table(["Kyiv", "Kharkiv"], "Belgorod", systems=["HIMARS"])
    assert table[0].origin_index == 1
    rng = np.random.default_rng(5)
    lats, lons = rng.uniform(44, 56, 5000), rng.uniform(22, 42, 5000)
    both = wr.within_range("300 km", ["Kyiv", "Odesa"], lats, lons)
    one = wr.within_range("300 km", "Kyiv", lats, lons) | wr.within_range(
        "300 km", "Odesa", lats, lons
    )
    assert np.array_equal(both, one)
    ring = wr.range_ring("300 km", ["Kyiv", "Odesa"])
    assert ring["properties"]["origin_kind"] == "points"
    with pytest.raises(wr.CoordinateError, match="0 items"):
        wr.distance([], "Kyiv")


def test_area_verdicts_name_the_nearest_boundary_point() -> None:
    ukraine = wr.area("Ukraine")
    reach = wr.reaches("500 km", ukraine, "Moscow")
    assert reach.nearest is not None
    back = WGS84.Inverse(reach.nearest.lat, reach.nearest.lon, reach.target.lat, reach.target.lon)
    assert back["s12"] == pytest.approx(reach.distance_m, abs=1e-3)
    inside = wr.reaches("1 km", ukraine, "Kyiv")
    assert inside.distance_m == 0.0 and inside.nearest is None and "inside it" in str(inside)
    with pytest.raises(wr.UnknownPlaceError, match="Ukrain"):
        wr.area("Ukrain")


def test_buffer_of_an_area_is_valid_and_holds_the_area() -> None:
    from shapely.geometry import shape

    moldova = wr.area("Moldova")
    ring = wr.range_ring("50 km", moldova, tolerance="500 m")
    polygon = shape(ring["geometry"])
    assert polygon.is_valid
    assert polygon.contains(shape({"type": "Point", "coordinates": [moldova.lon, moldova.lat]}))


@pytest.mark.parametrize(
    ("code", "name"),
    [("UA", "Ukraine"), ("ua", "Ukraine"), ("UKR", "Ukraine"), ("804", "Ukraine"),
     ("RU", "Russia"), ("BY", "Belarus"), ("XK", "Kosovo")],
)  # fmt: skip
def test_a_country_is_found_by_its_iso_codes(code: str, name: str) -> None:
    assert wr.area(code) is wr.area(name)


def test_an_unknown_country_is_an_unknown_area_naming_the_fix() -> None:
    with pytest.raises(wr.UnknownAreaError) as caught:
        wr.area("Ukrain")
    assert isinstance(caught.value, wr.UnknownPlaceError)
    assert "Ukraine" in caught.value.suggestions
    with pytest.raises(wr.UnknownPlaceError, match="ISO 3166 code"):
        wr.area("Qqqqq")


def test_every_alpha2_code_names_the_country_its_alpha3_does() -> None:
    codes = (ROOT / "weaponsref" / "data" / "country-codes.tsv").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in codes.splitlines()[1:]]
    found = 0
    for a2, a3, _, _ in rows:
        try:
            by_a3 = wr.area(a3)
        except wr.UnknownAreaError:
            continue  # a code the basemap has no outline for (Tuvalu's atolls, say)
        assert wr.area(a2) is by_a3
        found += 1
    assert found > 200
