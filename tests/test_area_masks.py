"""Masks against an area: the bounds they rest on, checked against GeographicLib, and the masks
against exact distances at the range, in blocks, across the antimeridian and at the poles;
every part of an area's outline counts, however small (issue 20, item 7).

The bounds (weaponsref.geo._boundary's docstring): a geodesic s between points whose chord is
c satisfies c <= s <= (2 / k) asin(k c / 2), k = a / b^2; with the geocentric angle psi,
b psi <= s <= a (1 + 6e-6) psi; a geodesic edge of length L lies within
sqrt(L^2 - c^2) / 2 of the straight segment between its ends, and that segment within the
same of the edge. Geodesics here are GeographicLib's own (pure Python, not pyproj's C);
earth-centred coordinates are pyproj's EPSG:4978 transform.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from geographiclib.geodesic import Geodesic

import weaponsref as wr
from weaponsref import geo
from weaponsref.geo import Area
from weaponsref.geo import _areas as areas_module
from weaponsref.geo._boundary import Segments, ecef

WGS84 = Geodesic.WGS84
G = geo.geod()
A_M = 6378137.0
B_M = A_M * (1.0 - 1.0 / 298.257223563)
KAPPA = A_M / B_M**2
A_PATH_M = math.hypot(A_M, A_M * (A_M**2 - B_M**2) / (2.0 * B_M**2))


def _ecef_reference(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    from pyproj import Transformer

    to_xyz = Transformer.from_crs("EPSG:4326", "EPSG:4978", always_xy=True)
    x, y, z = to_xyz.transform(lon, lat, np.zeros_like(lat))
    return np.vstack([x, y, z])


def _drawn_area() -> dict[str, object]:
    """A user's GeoJSON: a crinkled polygon of 600 vertices about 150 km round a point, as
    one would draw an area of control (GeographicLib's Direct places the vertices)."""
    rng = np.random.default_rng(22)
    wobble = np.cumsum(rng.normal(0.0, 4e3, 600))
    wobble -= np.linspace(0.0, wobble[-1], 600)
    ring = []
    for k, extra in enumerate(wobble):
        out = WGS84.Direct(48.3, 37.6, k * 360.0 / 600, 150e3 + float(extra))
        ring.append([round(out["lon2"], 6), round(out["lat2"], 6)])
    ring.append(ring[0])
    return {
        "type": "Feature",
        "properties": {"name": "drawn"},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


# --------------------------------------------------------------------------------------------
# The bounds
# --------------------------------------------------------------------------------------------


def test_ecef_is_the_earth_centred_transform() -> None:
    rng = np.random.default_rng(1)
    lat = np.concatenate([rng.uniform(-90, 90, 500), [90.0, -90.0, 0.0]])
    lon = np.concatenate([rng.uniform(-180, 180, 500), [0.0, 180.0, -180.0]])
    assert np.max(np.abs(ecef(lat, lon) - _ecef_reference(lat, lon))) < 1e-6


def test_chords_and_geocentric_angles_bound_geodesics() -> None:
    rng = np.random.default_rng(2)
    lat1, lon1, s12 = [], [], []
    lat2, lon2 = [], []
    # Log-uniform lengths from 1 m to 19,900 km, every latitude and azimuth, and the cases
    # where the bounds are tight: along the equator and the meridians near it.
    for k in range(3000):
        lat = float(rng.uniform(-90, 90)) if k % 3 else float(rng.uniform(-2, 2))
        azimuth = float(rng.uniform(-180, 180)) if k % 5 else float(rng.choice([0, 90, 180]))
        length = 10 ** float(rng.uniform(0, math.log10(19.9e6)))
        out = WGS84.Direct(lat, float(rng.uniform(-180, 180)), azimuth, length)
        inverse = WGS84.Inverse(out["lat1"], out["lon1"], out["lat2"], out["lon2"])
        lat1.append(out["lat1"])
        lon1.append(out["lon1"])
        lat2.append(out["lat2"])
        lon2.append(out["lon2"])
        s12.append(inverse["s12"])  # the shortest, which a long Direct may not be
    p = _ecef_reference(np.array(lat1), np.array(lon1))
    x = _ecef_reference(np.array(lat2), np.array(lon2))
    s = np.array(s12)
    c = np.linalg.norm(p - x, axis=0)
    assert np.all(c <= s + 1e-6)
    half = 0.5 * KAPPA * c
    bounded = half <= 1.0  # Schur's bound holds for chords up to 2 / k (12,671 km)
    assert np.count_nonzero(bounded) > 2500
    assert np.all(s[bounded] <= 2.0 / KAPPA * np.arcsin(half[bounded]) + 1e-6)
    psi = np.arctan2(np.linalg.norm(np.cross(p, x, axis=0), axis=0), np.sum(p * x, axis=0))
    assert np.all(B_M * psi <= s + 1e-6)
    assert np.all(s <= A_PATH_M * psi + 1e-6)
    # Up to 300 km the chord bounds are within 28.1 m of each other (c^3 k^2 / 24).
    near = (s > 250e3) & (s <= 300e3)
    assert near.any()
    assert np.all(2.0 / KAPPA * np.arcsin(half[near]) - c[near] < 28.1)


@pytest.mark.parametrize("angle", [False, True])
def test_an_edge_and_its_segment_are_within_the_slack_of_each_other(angle: bool) -> None:
    """Every point of a geodesic edge is within the slack of its straight segment, and every
    point of the segment within the slack of the edge: for edges up to 50 km long at every
    latitude, up to the poles and across the antimeridian."""
    rng = np.random.default_rng(3)
    a_lat, a_lon, b_lat, b_lon, lengths, curves = [], [], [], [], [], []
    for k in range(60):
        lat = float(rng.uniform(-89.9, 89.9)) if k % 4 else float(rng.choice([89.95, -89.95]))
        lon = 179.99 if k % 7 == 0 else float(rng.uniform(-180, 180))
        line = WGS84.DirectLine(lat, lon, float(rng.uniform(-180, 180)), rng.uniform(1, 50e3))
        points = [line.Position(t * line.s13) for t in np.linspace(0.0, 1.0, 2001)]
        a_lat.append(points[0]["lat2"])
        a_lon.append(points[0]["lon2"])
        b_lat.append(points[-1]["lat2"])
        b_lon.append(points[-1]["lon2"])
        lengths.append(line.s13)
        curves.append(([q["lat2"] for q in points], [q["lon2"] for q in points]))
    a = _ecef_reference(np.array(a_lat), np.array(a_lon))
    b = _ecef_reference(np.array(b_lat), np.array(b_lon))
    segments = Segments(a, b, np.array(lengths), angle=angle)
    if angle:
        a = a / np.linalg.norm(a, axis=0)
        b = b / np.linalg.norm(b, axis=0)
    for e, (lats, lons) in enumerate(curves):
        curve = _ecef_reference(np.array(lats), np.array(lons))
        if angle:
            curve = curve / np.linalg.norm(curve, axis=0)
        slack = segments.slack[e]
        t = np.linspace(0.0, 1.0, 2001)
        line = a[:, e, None] + t * (b[:, e] - a[:, e])[:, None]
        # Edge to segment: exact distances to the segment.
        to_segment = segments.distance(curve, np.full(t.size, e))
        assert np.max(to_segment) <= slack, e
        # Segment to edge: the edge is sampled every L / 2000, which may add half of that.
        spacing = np.max(np.linalg.norm(np.diff(curve, axis=1), axis=0))
        gaps = [np.min(np.linalg.norm(curve - line[:, [k]], axis=0)) for k in range(0, 2001, 50)]
        assert max(gaps) <= slack + 0.5 * spacing, e


# --------------------------------------------------------------------------------------------
# Masks against exact distances
# --------------------------------------------------------------------------------------------


def _near_the_range(area: Area, range_m: float, count: int, seed: int) -> tuple[np.ndarray, ...]:
    """Points about ``range_m`` from the area, with their exact distances: from points along
    its edges, out square to the edge, then twice moved along the geodesic from their
    nearest boundary point to the range plus or minus up to 300 m."""
    rng = np.random.default_rng(seed)
    e = rng.integers(area._a_lat.size, size=count)
    t = rng.uniform(0, 1, count) * area._len[e]
    x, y, back = G.fwd(area._a_lon[e], area._a_lat[e], area._azi[e], t)
    azimuth = np.asarray(back) + 180.0 + rng.choice([-90.0, 90.0], size=count)
    lon, lat, _ = G.fwd(x, y, azimuth, np.full(count, range_m))
    lat, lon = np.asarray(lat), np.asarray(lon)
    jitter = rng.uniform(-300, 300, count)
    for _ in range(2):
        inside = area.contains(lat, lon)
        _, near_lat, near_lon = area._boundary_distance(lat, lon)
        heading = np.asarray(G.inv(near_lon, near_lat, lon, lat)[0])
        moved_lon, moved_lat, _ = G.fwd(near_lon, near_lat, heading, range_m + jitter)
        lat = np.where(inside, lat, np.asarray(moved_lat))
        lon = np.where(inside, lon, np.asarray(moved_lon))
    metres = np.array([area.distance_m(la, lo)[0] for la, lo in zip(lat, lon, strict=True)])
    return lat, lon, metres


@pytest.mark.parametrize(
    ("origin", "range_m"),
    [("Russia", 300e3), ("Russia", 2_500e3), ("Fiji", 300e3), ("Fiji", 1_000.0),
     ("drawn", 300e3), ("drawn", 30e3), ("Moldova", 1.0)],
)  # fmt: skip
def test_a_mask_is_the_exact_distance_at_the_range(origin: str, range_m: float) -> None:
    area = Area.from_geojson(_drawn_area()) if origin == "drawn" else wr.area(origin)
    lat, lon, metres = _near_the_range(area, range_m, 160, seed=int(range_m) % 1000)
    settled = np.abs(metres - range_m) > 1e-3
    assert np.count_nonzero(np.abs(metres - range_m) < 300.0) > 40
    mask = area.within(lat, lon, range_m)
    assert np.array_equal(mask[settled], metres[settled] <= range_m)
    # And each of a few at its own distance, a centimetre either side.
    for k in range(0, 160, 20):
        if metres[k] > 1.01:
            for offset in (-0.01, 0.01):
                got = area.within(lat[k : k + 1], lon[k : k + 1], metres[k] + offset)[0]
                assert got == (offset > 0), (lat[k], lon[k], metres[k], offset)


def test_a_mask_in_blocks_is_the_mask_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    area = wr.area("Ukraine")
    rng = np.random.default_rng(4)
    lat, lon = rng.uniform(40, 58, 5000), rng.uniform(15, 50, 5000)
    whole = area.within(lat, lon, 300e3)
    monkeypatch.setattr(areas_module, "_BLOCK", 997)
    assert np.array_equal(area.within(lat, lon, 300e3), whole)
    assert np.array_equal(
        area.within(lat.reshape(50, 100), lon.reshape(50, 100), 300e3), whole.reshape(50, 100)
    )


@pytest.mark.parametrize(
    ("name", "range_m"), [("Antarctica", 500e3), ("Fiji", 200e3), ("Russia", 5e3)]
)
def test_masks_at_the_poles_and_the_antimeridian(name: str, range_m: float) -> None:
    area = wr.area(name)
    lat = np.array([90.0, -90.0, -89.99, 89.99, -16.8, -16.8, -17.0, 65.0, 65.0, -60.0, 0.0])
    lon = np.array([0.0, 180.0, -180.0, 180.0, 180.0, -180.0, 179.9, -180.0, 180.0, -180.0, 0.0])
    mask = area.within(lat, lon, range_m)
    for k in range(lat.size):
        metres = area.distance_m(lat[k], lon[k])[0]
        assert bool(mask[k]) == (metres <= range_m), (lat[k], lon[k], metres)
    assert area.within(np.zeros(0), np.zeros(0), range_m).shape == (0,)
    assert area.within(np.zeros((2, 0)), np.zeros((2, 0)), range_m).shape == (2, 0)


def test_a_metre_outside_the_outline_at_the_smallest_ranges() -> None:
    square = Area.from_geojson(
        {
            "type": "Polygon",
            "coordinates": [[[30, 50], [30.01, 50], [30.01, 50.01], [30, 50.01], [30, 50]]],
        }
    )
    south = WGS84.Direct(50.0, 30.005, 180.0, 0.5)  # half a metre south of the south edge
    lat, lon = np.array([south["lat2"], 50.005, 50.0]), np.array([south["lon2"], 30.005, 30.0])
    assert square.within(lat, lon, 1.0).tolist() == [True, True, True]
    assert square.within(lat, lon, 0.0).tolist() == [False, True, True]


# --------------------------------------------------------------------------------------------
# Every part of an area counts (issue 20, item 7)
# --------------------------------------------------------------------------------------------


def outline_reference_m(geojson: dict[str, object], area: Area, lat: float, lon: float) -> float:
    """Brute force from the outline the GeoJSON shows: 0 inside the area, else the least
    distance to its rings' geodesic edges (every ring, whatever its length, closed), each
    densified along GeographicLib's own line every 10 m (within a millimetre of the minimum
    for points farther than 12 km). Edges that cannot come nearer than the best so far, by
    the triangle inequality from their ends, are skipped."""
    if bool(area.contains([lat], [lon])[0]):
        return 0.0
    polygons = geojson["coordinates"]
    assert isinstance(polygons, list)
    starts, ends = [], []
    for polygon in polygons:
        for ring in polygon:
            for k, start in enumerate(ring):
                starts.append(start)
                ends.append(ring[(k + 1) % len(ring)])
    s = np.array(starts, dtype=float)
    t = np.array(ends, dtype=float)
    n = len(starts)
    s_a = np.asarray(G.inv(np.full(n, lon), np.full(n, lat), s[:, 0], s[:, 1])[2])
    s_b = np.asarray(G.inv(np.full(n, lon), np.full(n, lat), t[:, 0], t[:, 1])[2])
    lengths = np.asarray(G.inv(s[:, 0], s[:, 1], t[:, 0], t[:, 1])[2])
    best = float(min(s_a.min(), s_b.min()))
    for e in np.argsort(np.minimum(s_a, s_b)):
        if 0.5 * (s_a[e] + s_b[e] - lengths[e]) > best:
            continue
        line = WGS84.InverseLine(s[e, 1], s[e, 0], t[e, 1], t[e, 0])
        steps = max(1, math.ceil(line.s13 / 10.0))
        positions = [line.Position(x) for x in np.linspace(0.0, line.s13, steps + 1)]
        lats = np.array([p["lat2"] for p in positions])
        lons = np.array([p["lon2"] for p in positions])
        d = np.asarray(G.inv(np.full(lats.size, lon), np.full(lats.size, lat), lons, lats)[2])
        best = min(best, float(d.min()))
    return best


def test_an_islet_drawn_as_one_position_counts_for_fiji() -> None:
    """Ono-i-Lau is a ring of four equal positions in the basemap: a point 230 km from it
    (GeographicLib's Direct, away from the other islands) was reported 387 km from Fiji."""
    fiji = wr.area("Fiji")
    islet = (-20.6678, -178.7116)
    shown = fiji.__geo_interface__
    assert [[islet[1], islet[0]]] * 4 in [
        ring for polygon in shown["coordinates"] for ring in polygon
    ]
    out = WGS84.Direct(islet[0], islet[1], 160.0, 230e3)
    point = (out["lat2"], out["lon2"])
    assert wr.distance(fiji, point).m_as("m") == pytest.approx(230e3, abs=1.0)
    assert wr.distance(fiji, point).m_as("m") == pytest.approx(
        outline_reference_m(shown, fiji, *point), abs=1.0
    )
    reach = wr.reaches("231 km", fiji, point)
    assert reach.nearest is not None
    assert (reach.nearest.lat, reach.nearest.lon) == pytest.approx(islet, abs=1e-9)
    assert wr.within_range("230.001 km", fiji, [point[0]], [point[1]]).tolist() == [True]
    assert wr.within_range("229.999 km", fiji, [point[0]], [point[1]]).tolist() == [False]


def test_an_area_of_one_repeated_position_is_that_point() -> None:
    vatican = wr.area("Vatican")
    rome = wr.place("Rome")
    (position,) = {tuple(p) for ring in vatican.__geo_interface__["coordinates"][0] for p in ring}
    expected = WGS84.Inverse(position[1], position[0], rome.lat, rome.lon)["s12"]
    assert wr.distance(vatican, rome).m_as("m") == pytest.approx(expected, abs=1e-3)
    assert wr.within_range(f"{expected + 1.0} m", vatican, [rome.lat], [rome.lon]).tolist() == [
        True
    ]
    assert wr.within_range(f"{expected - 1.0} m", vatican, [rome.lat], [rome.lon]).tolist() == [
        False
    ]


def test_rings_of_one_and_two_positions_are_parts_of_the_outline() -> None:
    square = [[30.0, 50.0], [31.0, 50.0], [31.0, 51.0], [30.0, 51.0], [30.0, 50.0]]
    geojson = {
        "type": "MultiPolygon",
        "coordinates": [[square], [[[35.0, 50.5]]], [[[30.0, 45.0], [31.0, 45.0]]]],
    }
    area = Area.from_geojson(geojson)
    shown = area.__geo_interface__
    for lat, lon in [(50.5, 35.5), (50.5, 34.2), (44.5, 30.5), (44.0, 31.5), (48.0, 33.0)]:
        metres = area.distance_m(lat, lon)[0]
        assert metres == pytest.approx(outline_reference_m(shown, area, lat, lon), abs=1.0)
        assert area.within([lat], [lon], metres + 0.01).tolist() == [True]
        assert area.within([lat], [lon], metres - 0.01).tolist() == [False]
    # The point and the segment are nearer than the square from there.
    assert area.distance_m(50.5, 35.5)[0] == pytest.approx(
        WGS84.Inverse(50.5, 35.5, 50.5, 35.0)["s12"], abs=1e-3
    )


@pytest.mark.parametrize("name", ["Fiji", "Kiribati", "Russia"])
def test_the_distance_to_an_area_is_the_distance_to_the_outline_it_shows(name: str) -> None:
    area = wr.area(name)
    shown = area.__geo_interface__
    rng = np.random.default_rng(len(name))
    islets = [
        ring[0]
        for polygon in shown["coordinates"]
        for ring in polygon
        if len({tuple(p) for p in ring}) == 1
    ]
    assert islets
    points = []
    for lon, lat in islets[:3]:
        for _ in range(2):
            out = WGS84.Direct(
                lat, lon, float(rng.uniform(-180, 180)), float(rng.uniform(20e3, 400e3))
            )
            points.append((out["lat2"], out["lon2"]))
    for lat, lon in points:
        got = wr.distance(area, (lat, lon)).m_as("m")
        assert got == pytest.approx(outline_reference_m(shown, area, lat, lon), abs=1.0), (lat, lon)


def test_a_nearer_islet_with_the_longer_chord_is_kept() -> None:
    """Chords and geodesics can disagree on which of two points is nearer: along a meridian
    (more curved) a chord falls shorter of its geodesic than along a parallel. An islet 300 km
    due east and another 300 km and 10 cm due north of a point at 45 degrees: the east one is
    nearer,
    yet its chord is the longer (by about 8 cm), so a screen that compared chords with chords
    would drop it and call the point out of a range of 300,000.05 m."""
    east = WGS84.Direct(45.0, 30.0, 90.0, 300e3)
    north = WGS84.Direct(45.0, 30.0, 0.0, 300e3 + 0.1)
    far = [[60.0, 10.0], [60.1, 10.0], [60.1, 10.1], [60.0, 10.0]]
    area = Area.from_geojson(
        {
            "type": "MultiPolygon",
            "coordinates": [
                [far],
                [[[east["lon2"], east["lat2"]]] * 4],
                [[[north["lon2"], north["lat2"]]] * 4],
            ],
        }
    )
    p = _ecef_reference(
        np.array([45.0, east["lat2"], north["lat2"]]), np.array([30.0, east["lon2"], north["lon2"]])
    )
    assert np.linalg.norm(p[:, 1] - p[:, 0]) > np.linalg.norm(p[:, 2] - p[:, 0]) + 0.05
    assert area.distance_m(45.0, 30.0)[0] == pytest.approx(300e3, abs=1e-6)
    assert area.within([45.0], [30.0], 300e3 + 0.05).tolist() == [True]
    assert area.within([45.0], [30.0], 300e3 - 0.05).tolist() == [False]
