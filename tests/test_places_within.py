"""places_within: the gazetteer's places within range, checked against distance() for every
place of the gazetteer."""

from __future__ import annotations

import numpy as np
import pytest

import weaponsref as wr
from weaponsref.gazetteer import place_arrays


@pytest.mark.parametrize(
    ("what", "origin", "min_population"),
    [
        ("GMLRS", "Zaporizhzhia", 0),
        ("Bober", "Kyiv", 100_000),
        ("500 km", (0.5, 179.9), 0),  # across the antimeridian
        ("Kalibr", ["Sevastopol", "Novorossiysk"], 0),  # several origins: the nearest counts
    ],
)
def test_places_within_agrees_with_distance_for_every_place(
    what: str, origin: object, min_population: int
) -> None:
    found = wr.places_within(what, origin, min_population=min_population)  # type: ignore[arg-type]
    arrays = place_arrays()
    range_m = found.range_m
    listed = {(p.lat, p.lon, p.name) for p in found.places}
    points = origin if isinstance(origin, list) else [origin]
    geod = wr.geo.geod()
    origins = [wr.gazetteer.as_location(p) for p in points]  # type: ignore[arg-type]
    nearest = np.full(len(arrays.lats), np.inf)
    for o in origins:
        _, _, metres = geod.inv(
            np.full(len(arrays.lats), o.lon),
            np.full(len(arrays.lats), o.lat),
            arrays.lons,
            arrays.lats,
        )
        nearest = np.minimum(nearest, metres)
    expected = {
        i for i in range(len(arrays.lats))
        if nearest[i] <= range_m and arrays.populations[i] >= min_population
    }  # fmt: skip
    assert len(found) == len(expected)
    assert listed == {
        (arrays.place(i).lat, arrays.place(i).lon, arrays.place(i).name) for i in expected
    }
    assert list(found.distances_m) == sorted(found.distances_m)  # nearest first
    for place, metres in zip(found.places[:200], found.distances_m[:200], strict=False):
        by_distance = min(wr.distance(o, place).m_as("m") for o in origins)
        assert metres == pytest.approx(by_distance, abs=1e-6)
        assert by_distance <= range_m
    assert found.population == sum(found.populations)
    assert all(people >= min_population for people in found.populations)


def test_places_within_says_what_its_population_is() -> None:
    found = wr.places_within("GMLRS", "Zaporizhzhia", min_population=50_000)
    assert "Dnipro" in [p.name for p in found.places]
    text = str(found)
    assert "not of the area" in text and "places of the gazetteer" in text
    assert found.rows()[0]["distance_km"] == pytest.approx(0.0, abs=20)
    # What it was measured from, the claim and its source, and where the populations are
    # from, in the sentence and on every row.
    assert (
        f"of {found.origin.qualified_label}, the range of GMLRS (more than 70 km, according to "
        "Lockheed Martin (The Defense Post, 2024-01-16))" in text
    )
    assert found.origin.qualified_label == "Zaporizhzhya, UA"
    dump = wr.place("Dnipro").population_source
    assert dump is not None and dump.startswith("GeoNames, dump of ")
    assert f"(populations: {dump}; the population" in text
    assert {row["population_source"] for row in found.rows()} == {dump}
    one = wr.places_within("300 km", "Kyiv", min_population=2_000_000)
    assert str(one).startswith("1 place of the gazetteer lies within 300 km of Kyiv, UA; ")
    area = wr.places_within("Storm Shadow", wr.area("Moldova"), min_population=1_000_000)
    assert (
        str(area)
        .split(";")[0]
        .endswith(
            "lie within 250 km of Moldova, the range of Storm Shadow (more than 250 km, CNN, "
            "2023-07-11)"
        )
    )


@pytest.mark.parametrize("bad", [-1, 1.5, True, "many"])
def test_a_bad_minimum_population_is_a_library_error(bad: object) -> None:
    with pytest.raises(wr.LimitError, match="min_population"):
        wr.places_within("GMLRS", "Kyiv", min_population=bad)  # type: ignore[arg-type]
