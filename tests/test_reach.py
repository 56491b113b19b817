"""Distances, verdicts, rings and masks through the public API (the float-level core has its
own tests in test_geodesy.py)."""

from __future__ import annotations

import math
import pickle

import numpy as np
import pytest
from geographiclib.geodesic import Geodesic
from hypothesis import given, settings
from hypothesis import strategies as st

import weaponsref as wr
from weaponsref.errors import (
    CoordinateError,
    UnitError,
    UnknownPlaceError,
    UnknownSystemError,
)
from weaponsref.reach import _verdict

WGS84 = Geodesic.WGS84


def karney_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """The distance by the pure-Python reference implementation of GeographicLib."""
    return float(WGS84.Inverse(a[0], a[1], b[0], b[1])["s12"]) / 1000.0


KYIV = (50.4500, 30.5233)
MOSCOW = (55.7558, 37.6173)


def test_distance_kyiv_moscow() -> None:
    expected = karney_km(KYIV, MOSCOW)
    assert expected == pytest.approx(757.1, abs=0.05)  # figures.md: "Kyiv–Moscow 757 km"
    for result in (
        wr.distance("Kyiv", "Moscow"),
        wr.distance(KYIV, MOSCOW),
        wr.distance(wr.place("Kyiv"), wr.Point(*MOSCOW)),
    ):
        assert str(result.units) == "kilometer"
        assert result.magnitude == pytest.approx(expected, abs=1e-6)  # 1 mm


@pytest.mark.parametrize(
    ("a", "b", "published_km", "tolerance_km"),
    [
        ("Moscow Kremlin", "Vnukovo", 28.0, 0.5),  # "28 kilometres southwest"
        ("Moscow Kremlin", "Naro-Fominsk", 70.0, 1.5),  # "70 km south-west of Moscow"
        ("Odesa", "Sevastopol", 301.0, 1.0),
    ],
)
def test_distances_between_article_places_match_published_ones(
    a: str, b: str, published_km: float, tolerance_km: float
) -> None:
    assert wr.distance(a, b).to("km").magnitude == pytest.approx(published_km, abs=tolerance_km)


def test_the_verdicts_the_articles_imply() -> None:
    assert wr.reaches("Bober", "Kyiv", "Moscow")
    assert wr.reaches("UJ-22", "Kyiv", "Moscow")
    assert not wr.reaches("Storm Shadow", "Kyiv", "Moscow")
    assert not wr.reaches("HIMARS", "Kyiv", "Moscow", variant="ATACMS")


def test_a_reach_names_its_claim_and_earth_model() -> None:
    reach = wr.reaches("Bober", "Kyiv", "Moscow", source="dailymail-2023-08-01")
    assert reach.claim is wr.lookup("Bober").claims_for("range")[0]
    headline = wr.reaches("Bober", "Kyiv", "Moscow")
    assert headline.claim is wr.lookup("Bober").claim("range")
    assert headline.claim.attributed_to in str(headline)  # who says so
    assert reach.system is wr.lookup("Bober")
    assert "WGS84" in reach.earth_model
    expected = karney_km(KYIV, MOSCOW)
    assert reach.distance.to("km").magnitude == pytest.approx(expected, abs=1e-6)
    assert reach.range.to("km").magnitude == pytest.approx(621 * 1.609344, abs=1e-9)
    assert reach.margin.to("km").magnitude == pytest.approx(621 * 1.609344 - expected, abs=1e-6)
    assert str(reach) == (
        "Bober reaches Moscow, RU from Kyiv, UA: 757.1 km of 999.4 km "
        "(up to 621 mi, Daily Mail, 2023-08-01); 242.3 km to spare"
    )
    assert repr(reach) == (
        "Reach('Bober', 'Kyiv' -> 'Moscow', distance_km=757.1, range_km=999.4, "
        "claim='up to 621 mi', status='reaches')"
    )
    short = wr.reaches("HIMARS", KYIV, MOSCOW, source="dailymail-2023-08-01")
    assert str(short) == (
        "HIMARS does not reach 55.7558°N, 37.6173°E from 50.4500°N, 30.5233°E: 757.1 km against "
        "80.5 km (only 50 mi, Daily Mail, 2023-08-01); 676.6 km short"
    )
    # Beyond a lower bound stated by the operator: not established, and who said it.
    bound = wr.reaches("HIMARS", KYIV, MOSCOW, source="theins-2021-04-29-himars-centcom")
    assert bound.status == "not established"
    assert "according to US Central Command" in str(bound)
    assert pickle.loads(pickle.dumps(reach)) == reach


def test_any_claim_or_variant_can_be_asked_for() -> None:
    storm = wr.lookup("Storm Shadow")
    export = storm.claim("range", variant="export")
    full = storm.claims_for("range", "full version")[1]  # AeroTime's 560 km
    assert not wr.reaches(storm, "Odesa", "Sevastopol", claim=export)
    assert wr.reaches(storm, "Odesa", "Sevastopol", claim=full)
    assert wr.reaches(storm, "Odesa", "Sevastopol", source="aerotime-scalp", variant="full version")
    assert wr.reaches(export, "Odesa", "Sevastopol").system is storm
    assert wr.reaches("Storm Shadow", "Odesa", "Sevastopol", variant="export").claim is export
    atacms = wr.reaches("HIMARS", "Kharkiv", "Belgorod", variant="ATACMS")
    assert atacms.range.to("km").magnitude == pytest.approx(300)
    assert atacms.claim is wr.reaches("ATACMS", "Kharkiv", "Belgorod").claim
    assert atacms.variant == "ATACMS" and str(atacms).startswith("HIMARS (ATACMS) reaches")
    band = wr.reaches("GMLRS", "Kharkiv", "Belgorod", claim=_gmlrs_band())
    low = wr.reaches("GMLRS", "Kharkiv", "Belgorod", claim=_gmlrs_band(), use_low=True)
    assert band.range.to("km").magnitude == pytest.approx(84)
    assert low.range.to("km").magnitude == pytest.approx(15)
    # Faults of the call, not of a record: ArgumentValueError (a ValueError) and ArgumentError
    # (a TypeError).
    with pytest.raises(wr.ArgumentValueError, match="not one of Bober's claims"):
        wr.reaches("Bober", "Kyiv", "Moscow", claim=export)
    with pytest.raises(wr.ArgumentValueError, match="band"):
        wr.reaches("Bober", "Kyiv", "Moscow", use_low=True)
    with pytest.raises(wr.ArgumentValueError, match="cruise_altitude"):
        wr.reaches(wr.lookup("UJ-22").claim("cruise_altitude"), "Kyiv", "Moscow")
    with pytest.raises(wr.ArgumentValueError, match="not both"):
        wr.reaches("Bober", "Kyiv", "Moscow", claim=export, source="aerotime-scalp")
    with pytest.raises(wr.ArgumentError, match="Claim record"):
        wr.reaches("Bober", "Kyiv", "Moscow", claim="621 mi")  # type: ignore[arg-type]
    with pytest.raises(wr.ArgumentError, match="variant must be a str"):
        wr.reaches("HIMARS", "Kyiv", "Moscow", variant=3)  # type: ignore[arg-type]


@pytest.mark.parametrize("tiny", ["1 mm", "1e-320 km", "0.5 m"])
def test_a_range_too_small_to_mean_anything_is_refused(tiny: str) -> None:
    with pytest.raises(wr.LimitError, match="1 m"):
        wr.reaches(tiny, "Kyiv", "Kyiv")
    with pytest.raises(wr.LimitError):
        wr.range_ring(tiny, "Kyiv")
    with pytest.raises(wr.LimitError):
        wr.within_range(tiny, "Kyiv", [50.45], [30.5233])


def test_a_bare_distance_is_a_range_too() -> None:
    assert wr.reaches("800 km", "Kyiv", "Moscow")
    registry = wr.lookup("Bober").range._REGISTRY
    assert not wr.reaches(registry.Quantity(700, "km"), "Kyiv", "Moscow")
    with pytest.raises(UnitError, match="not a length"):
        wr.reaches("800 kg", "Kyiv", "Moscow")
    with pytest.raises(UnknownSystemError, match="did you mean 'Bober'"):
        wr.reaches("Bobr", "Kyiv", "Moscow")


def _gmlrs_band() -> wr.Claim:
    return next(c for c in wr.lookup("GMLRS").claims_for("range") if c.qualifier == "band")


def test_reach_table() -> None:
    rows = wr.reach_table("Kyiv", "Moscow", systems=["Bober", "UJ-22", "Storm Shadow", "HIMARS"])
    assert [(r.system.name if r.system else None, r.variant, bool(r)) for r in rows] == [
        ("Bober", None, True),
        ("UJ-22 Airborne", None, True),
        ("Storm Shadow", None, False),
        # A launcher has no range of its own: one verdict per munition it fires.
        ("HIMARS", "GMLRS", False),
        ("HIMARS", "ATACMS", False),
        ("HIMARS", "PrSM", False),
        ("HIMARS", "ER-GMLRS", False),
    ]
    for row in rows[3:]:
        assert row.claim is wr.lookup(row.variant).claim("range")  # the munition's headline
    every = wr.reach_table("Kyiv", "Moscow", all_claims=True)
    assert len(every) == sum(len(s.claims_for("range")) for s in wr.systems())
    assert len({r.distance_m for r in every}) == 1
    table = wr.table(rows)
    # HIMARS with ATACMS: up to 300 km, 757.1 - 300 = 457.1 km short, by hand.
    assert "757.1 km" in table and "HIMARS (ATACMS)" in table and "-457.1 km" in table


def test_a_launcher_has_no_range_of_its_own() -> None:
    for launcher in ("HIMARS", "M270 MLRS"):
        with pytest.raises(wr.LauncherError, match="GMLRS, ATACMS, PrSM, ER-GMLRS") as caught:
            wr.reaches(launcher, "Kyiv", "Moscow")
        assert isinstance(caught.value, ValueError)
        with pytest.raises(wr.LauncherError, match="variant="):
            wr.range_ring(launcher, "Kyiv")
        assert wr.reach.range_choices(wr.lookup(launcher)) == (
            "GMLRS",
            "ATACMS",
            "PrSM",
            "ER-GMLRS",
        )
    assert wr.reach.range_choices(wr.lookup("ATACMS")) == (None,)
    # What a source said of the launcher itself stays answerable, when asked for.
    said = wr.reaches("HIMARS", "Kyiv", "Moscow", source="dailymail-2023-08-01")
    assert said.claim is not None and said.claim.value_text() == "50 mi"


def test_fast_and_slow_paths_agree() -> None:
    fast = wr.reaches("Bober", KYIV, MOSCOW)
    slow = wr.reaches("Bober", wr.Point(*KYIV), wr.Point(*MOSCOW))
    assert fast == slow
    assert (
        wr.reaches("Bober", (50, 30), (55, 37)).distance_m
        == wr.reaches("Bober", (50.0, 30.0), (55.0, 37.0)).distance_m
    )


# --------------------------------------------------------------------------- bad points


class GeoPoint:
    def __init__(self, lon: float, lat: float, kind: str = "Point") -> None:
        self.__geo_interface__ = {"type": kind, "coordinates": (lon, lat)}


@pytest.mark.parametrize(
    ("bad", "needle"),
    [
        ((math.nan, 30.0), "nan"),
        ((50.0, math.inf), "inf"),
        ((91.0, 30.0), "91"),
        ((50.0, -180.5), "-180.5"),
        (("50", "30"), "'50'"),
        ((50.0,), "(50.0,)"),
        ((50.0, 30.0, 0.0), "(50.0, 30.0, 0.0)"),
        ((True, 30.0), "True"),
        (GeoPoint(30.0, 50.0, "LineString"), "LineString"),
        (None, "None"),
    ],
)
def test_bad_points_raise_coordinate_errors_naming_the_value(bad: object, needle: str) -> None:
    for call in (
        lambda: wr.distance(bad, "Kyiv"),  # type: ignore[arg-type]
        lambda: wr.reaches("Bober", "Kyiv", bad),  # type: ignore[arg-type]
        lambda: wr.range_ring("Bober", bad),  # type: ignore[arg-type]
    ):
        with pytest.raises(CoordinateError) as info:
            call()
        assert isinstance(info.value, ValueError)
        assert needle in str(info.value)


def test_geo_interface_points_are_accepted() -> None:
    assert wr.distance(GeoPoint(30.5233, 50.45), MOSCOW) == wr.distance(KYIV, MOSCOW)


def test_unknown_place() -> None:
    with pytest.raises(UnknownPlaceError, match=r"'Kyyiv'.*did you mean") as info:
        wr.distance("Kyyiv", "Moscow")
    assert isinstance(info.value, LookupError)


# --------------------------------------------------------------------------- rings and masks


def _claim_part(row: dict[str, object]) -> dict[str, object]:
    return {key: value for key, value in row.items() if key in _verdict.CLAIM_KEYS}


@pytest.mark.parametrize(
    ("system", "options"),
    [
        ("Bober", {"source": "dailymail-2023-08-01"}),
        ("HIMARS", {"variant": "ATACMS"}),
        ("Storm Shadow", {}),
        ("500 km", {}),
    ],
)
def test_every_output_shows_a_claim_by_the_one_declaration(
    system: str, options: dict[str, str]
) -> None:
    # A verdict row, a ring's properties and a places row say what they rest on by the keys
    # of CLAIM_KEYS, each its declared part of them in the declared order, with one value
    # each (a verdict row alone names a bare distance by its range).
    reach = wr.reaches(system, "Kyiv", "Moscow", **options)
    ring = wr.range_ring(system, "Kyiv", **options)["properties"]
    places = wr.places_within(system, "Kyiv", min_population=1_000_000, **options).rows()[0]
    shown = {
        _verdict.VERDICT_CLAIM_KEYS: _claim_part(reach.row()),
        _verdict.RING_CLAIM_KEYS: _claim_part(ring),
        _verdict.PLACES_CLAIM_KEYS: _claim_part(places),
    }
    for keys, part in shown.items():
        assert tuple(part) == keys
        assert [key for key in _verdict.CLAIM_KEYS if key in keys] == list(keys)
    claim, row = reach.claim, reach.row()
    for key in _verdict.CLAIM_KEYS:
        value = ring[key]
        assert places.get(key, value) == value
        if claim is not None or key not in ("system_name", "claim"):
            assert row.get(key, value) == value
    if claim is None:
        assert ring["claim"] is None and row["claim"] == row["system_name"] == "500 km"
        assert all(ring[key] is None for key in _verdict.CLAIM_KEYS)
    else:
        assert ring["claim"] == claim.describe() and ring["figure"] == "range"
        assert ring["source"] == claim.source.id and ring["quote"] == claim.quote
        assert ring["attributed_to"] == claim.attributed_to


def test_range_ring_properties_and_vertices() -> None:
    with pytest.warns(DeprecationWarning, match="tolerance="):
        ring = wr.range_ring("Bober", "Kyiv", points=72, source="dailymail-2023-08-01")
    properties = ring["properties"]
    assert properties["system"] == "bober"
    assert properties["system_name"] == "Bober"
    assert properties["claim"] == "up to 621 mi"
    assert properties["source"] == "dailymail-2023-08-01"
    assert properties["source_citation"] == "Daily Mail, 2023-08-01"
    assert properties["quote"] == "With a range of up to 621 miles"
    assert "WGS84" in properties["earth_model"]
    assert properties["clamped"] is False
    exterior = ring["geometry"]["coordinates"][0]
    assert len(exterior) == 73 and exterior[0] == exterior[-1]
    for lon, lat in exterior:
        assert WGS84.Inverse(KYIV[0], KYIV[1], lat, lon)["s12"] == pytest.approx(
            999402.624, abs=1.0
        )
        assert wr.reaches("Bober", "Kyiv", (lat, lon)).distance_m == pytest.approx(
            999402.624, abs=1.0
        )


def test_range_ring_of_a_distance_and_a_claim() -> None:
    ring = wr.range_ring("500 km", (50.45, 30.5233))
    assert ring["properties"]["system"] is None
    assert ring["properties"]["range_km"] == 500
    export = wr.lookup("Storm Shadow").claim("range", variant="export")
    assert wr.range_ring(export, "Odesa")["properties"]["variant"] == "export"
    with pytest.warns(wr.WeaponsrefWarning, match="clamp"):
        clamped = wr.range_ring("25000 km", "Kyiv")
    assert clamped["properties"]["clamped"] is True


def test_within_range_matches_brute_force() -> None:
    rng = np.random.default_rng(7)
    lats = np.degrees(np.arcsin(rng.uniform(-1, 1, 20_000)))
    lons = rng.uniform(-180, 180, 20_000)
    from pyproj import Geod

    geod = Geod(ellps="WGS84")
    _, _, metres = geod.inv(np.full_like(lons, KYIV[1]), np.full_like(lats, KYIV[0]), lons, lats)
    expected = metres <= wr.lookup("Bober").claim("range").metres
    assert np.array_equal(wr.within_range("Bober", "Kyiv", lats, lons), expected)
    targets = wr.TargetSet(lats, lons)
    assert np.array_equal(wr.within_range("Bober", "Kyiv", targets), expected)
    with pytest.raises(ValueError, match="lons"):
        wr.within_range("Bober", "Kyiv", lats)


@settings(max_examples=40, deadline=None)
@given(
    st.floats(-90, 90),
    st.floats(-180, 180),
    st.floats(1.0, 19_000_000.0),
)
def test_verdicts_never_shrink_as_the_range_grows(lat: float, lon: float, metres: float) -> None:
    target = (10.0, 20.0)
    small = wr.reaches(f"{metres} m", (lat, lon), target)
    large = wr.reaches(f"{metres * 1.5} m", (lat, lon), target)
    assert bool(large) or not bool(small)
    assert small.distance_m == pytest.approx(
        WGS84.Inverse(lat, lon, target[0], target[1])["s12"], abs=1e-3
    )
