"""One origin: whatever a user gives is resolved once, and means one thing everywhere.

Distances are checked against GeographicLib's own Inverse (the reference implementation of
Karney's algorithm), to 1 mm; an area's distance against the area's own exact distance.
"""

from __future__ import annotations

import numpy as np
import pytest
from geographiclib.geodesic import Geodesic

import weaponsref as wr

WGS84 = Geodesic.WGS84


def _inverse_m(a: wr.Place | wr.Point, lat: float, lon: float) -> float:
    return float(WGS84.Inverse(a.lat, a.lon, lat, lon)["s12"])


def test_a_tuple_of_places_is_several_origins_as_a_list_is() -> None:
    as_tuple = wr.origin(("Kyiv", "Odesa"))
    as_list = wr.origin(["Kyiv", "Odesa"])
    assert as_tuple == as_list
    assert as_tuple.kind == "points"
    assert [p.name for p in as_tuple.points] == ["Kyiv", "Odesa"]
    target = wr.place("Sevastopol")
    expected = min(_inverse_m(p, target.lat, target.lon) for p in as_tuple.points)
    assert wr.distance(("Kyiv", "Odesa"), target).m_as("m") == pytest.approx(expected, abs=1e-3)


def test_a_pair_of_numbers_is_one_point() -> None:
    one = wr.origin((50.45, 30.5233))
    assert one.kind == "point"
    assert one.single_point
    assert (one.points[0].lat, one.points[0].lon) == (50.45, 30.5233)
    assert wr.origin(one) is one


def test_areas_and_points_together_take_the_nearest() -> None:
    belarus = wr.area("Belarus")
    both = wr.origin([belarus, "Kursk"])
    assert both.kind == "points and areas"
    assert both.label == "Belarus and Kursk"
    kursk = wr.place("Kursk")
    for name in ("Kharkiv", "Vilnius", "Moscow", "Minsk"):
        target = wr.place(name)
        from_area = belarus.distance_m(target.lat, target.lon)[0]
        from_kursk = _inverse_m(kursk, target.lat, target.lon)
        nearest = both.nearest(target.lat, target.lon)
        assert nearest.distance_m == pytest.approx(min(from_area, from_kursk), abs=1e-3)
        assert nearest.part is (belarus if from_area < from_kursk else kursk)
        assert nearest.index == (0 if from_area < from_kursk else 1)
        verdict = wr.reaches("Iskander-M", both, target)
        assert verdict.distance_m == pytest.approx(nearest.distance_m, abs=1e-6)
    assert both.nearest(wr.place("Minsk").lat, wr.place("Minsk").lon).distance_m == 0.0


def test_masks_of_a_mixed_origin_are_the_union_of_its_parts() -> None:
    belarus = wr.area("Belarus")
    rng = np.random.default_rng(17)
    lats, lons = rng.uniform(48, 58, 4000), rng.uniform(20, 42, 4000)
    both = wr.within_range("150 km", [belarus, "Kursk"], lats, lons)
    apart = wr.within_range("150 km", belarus, lats, lons) | wr.within_range(
        "150 km", "Kursk", lats, lons
    )
    assert both.any()
    assert np.array_equal(both, apart)
    targets = wr.TargetSet(lats, lons)
    assert np.array_equal(wr.within_range("150 km", [belarus, "Kursk"], targets), both)


def test_a_ring_round_a_mixed_origin_says_what_it_was_measured_from() -> None:
    pytest.importorskip("shapely")
    from shapely.geometry import Point as ShapelyPoint
    from shapely.geometry import shape

    ring = wr.range_ring("100 km", [wr.area("Moldova"), "Kursk"])
    properties = ring["properties"]
    assert properties["origin"] == ["Moldova", "Kursk, RU"]  # a place with its country
    assert properties["origin_kind"] == "points and areas"
    drawn = shape(ring["geometry"])
    assert drawn.is_valid
    kursk, chisinau = wr.place("Kursk"), wr.place("Chisinau")
    assert drawn.contains(ShapelyPoint(kursk.lon, kursk.lat))
    assert drawn.contains(ShapelyPoint(chisinau.lon, chisinau.lat))
    kyiv = wr.place("Kyiv")  # about 400 km from both
    assert not drawn.contains(ShapelyPoint(kyiv.lon, kyiv.lat))


def test_a_minimum_range_is_refused_round_an_area() -> None:
    with pytest.raises(wr.ArgumentValueError, match="min_range"):
        wr.range_ring("100 km", [wr.area("Moldova"), "Kursk"], min_range="10 km")
    with pytest.raises(ValueError, match="min_range"):
        wr.within_range("100 km", wr.area("Moldova"), [47.0], [28.8], min_range="10 km")


@pytest.mark.parametrize(
    ("value", "error", "words"),
    [
        ([], wr.CoordinateError, "empty"),
        ((), wr.CoordinateError, "empty"),
        (["Kyiv", ["Odesa", "Lviv"]], wr.CoordinateError, "flat list"),
        ([(50.0, 30.0)] * (10_000 + 1), wr.LimitError, "10,000"),
        ("Nowhere-upon-Nothing", wr.UnknownPlaceError, "Nowhere"),
        ((95.0, 30.0), wr.CoordinateError, "95"),
    ],
)
def test_bad_origins_raise_the_library_errors(value: object, error: type, words: str) -> None:
    with pytest.raises(error, match=words):
        wr.origin(value)  # type: ignore[arg-type]


def test_an_origin_inside_a_list_is_refused() -> None:
    with pytest.raises(wr.ArgumentError, match="Origin"):
        wr.origin([wr.origin("Kyiv"), "Odesa"])


def test_one_origin_gives_the_same_verdicts_as_what_it_was_made_from() -> None:
    given = ["Sumy", (50.0, 36.2)]
    made = wr.origin(given)
    for system in ("GMLRS", "ATACMS", "Storm Shadow"):
        assert wr.reaches(system, made, "Belgorod") == wr.reaches(system, given, "Belgorod")
    assert wr.reach_table(made, "Kursk") == wr.reach_table(given, "Kursk")
