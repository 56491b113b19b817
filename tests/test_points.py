"""Points and places as records, as_location, and coordinates as text: what counts as a
location, and how a bad one is named."""

from __future__ import annotations

import math
import pickle
import warnings
from fractions import Fraction
from typing import Any

import attrs
import pytest

from weaponsref.errors import (
    CatalogueError,
    CoordinateError,
    GazetteerFileError,
    RecordError,
    UnknownPlaceError,
    WeaponsrefWarning,
)
from weaponsref.gazetteer import Place, Point, as_location, place

# --------------------------------------------------------------------------- records


def test_point_label_and_geo_interface() -> None:
    kyiv = Point(50.45, 30.5233)
    assert kyiv.label == str(kyiv) == "50.4500°N, 30.5233°E"
    assert Point(-33.8688, -151.2093).label == "33.8688°S, 151.2093°W"
    assert kyiv.__geo_interface__ == {"type": "Point", "coordinates": (30.5233, 50.45)}
    assert repr(kyiv) == "Point(lat=50.45, lon=30.5233)"
    assert Point(50, 30) == Point(50.0, 30.0)
    assert type(Point(50, 30).lat) is float
    assert len({Point(1, 2), Point(1.0, 2.0)}) == 1


def test_place_label_point_str_and_repr() -> None:
    kyiv = place("Kyiv")
    assert kyiv.label == "Kyiv"
    assert kyiv.point == Point(50.45, 30.5233)
    assert kyiv.__geo_interface__ == {"type": "Point", "coordinates": (30.5233, 50.45)}
    assert str(kyiv) == "Kyiv, UA (50.4500°N, 30.5233°E)"
    assert repr(kyiv) == (
        "Place(name='Kyiv', lat=50.45, lon=30.5233, country='UA', population=None, "
        "source='Wikipedia, \"Kyiv\" (50°27′00″N 30°31′24″E)', "
        "address='https://en.wikipedia.org/wiki/Kyiv', region='Kyiv City', kind='city')"
    )  # the region and kind of GeoNames' Kyiv, which the article's Kyiv stands in for
    assert place("Engels air base").qualified_name == "Engels Airbase (XWSG), Saratov, RU"
    pokrovsk = place("Pokrovsk")
    assert (pokrovsk.lat, pokrovsk.lon) == (48.28198, 37.17585)  # GeoNames 704422, as dumped
    assert str(pokrovsk) == f"Pokrovsk, Donetsk, UA ({pokrovsk.point.label})"


def test_records_are_frozen() -> None:
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        Point(1, 2).lat = 3  # type: ignore[misc]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        place("Kyiv").name = "Kiev"  # type: ignore[misc]


@pytest.mark.parametrize(
    "value",
    [
        Point(50.45, 30.5233),
        place("Kyiv"),
        place("Moscow, US"),
        UnknownPlaceError("Kyyv", ("Kyiv",)),
        CoordinateError("latitude 91.0 is outside [-90, 90]"),
        CatalogueError("systems.toml", "systems[3].id", "missing"),
        GazetteerFileError("places.toml", "places[3].lat", "latitude 95.0 is outside [-90, 90]"),
    ],
    ids=repr,
)
def test_pickling_round_trips(value: object) -> None:
    copy = pickle.loads(pickle.dumps(value))
    assert type(copy) is type(value)
    assert str(copy) == str(value)
    if not isinstance(value, Exception):
        assert copy == value


BAD_COORDINATES = [
    (math.nan, 30.0),
    (50.0, math.nan),
    (math.inf, 30.0),
    (50.0, -math.inf),
    (91.0, 30.0),
    (-90.5, 30.0),
    (50.0, 180.5),
    (50.0, -181),
    (True, 30.0),
    (50.0, False),
    ("50", 30.0),
    (50.0, None),
    (10**400, 0.0),
]


@pytest.mark.parametrize(("lat", "lon"), BAD_COORDINATES)
def test_bad_point_raises_coordinate_error_naming_the_value(lat: object, lon: object) -> None:
    bad = lon if _good(lat) else lat
    with pytest.raises(CoordinateError) as info:
        Point(lat, lon)  # type: ignore[arg-type]
    assert isinstance(info.value, ValueError)
    message = str(info.value)
    assert _shown(bad) in message
    assert "give (latitude, longitude) in degrees" in message


def _good(value: object) -> bool:
    return isinstance(value, float) and math.isfinite(value) and abs(value) <= 90


def _shown(value: object) -> str:
    """How an error shows ``value``: floats as floats, anything else by repr."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) < 10**300:
        return repr(float(value))
    return repr(value)


@pytest.mark.parametrize(("lat", "lon"), BAD_COORDINATES)
def test_bad_place_coordinates_name_the_place(lat: object, lon: object) -> None:
    with pytest.raises(CoordinateError, match="place 'Nowhere'"):
        Place("Nowhere", lat, lon, "UA", None, "made up")  # type: ignore[arg-type]


def test_swapped_coordinates_are_pointed_out() -> None:
    with pytest.raises(CoordinateError, match=r"look like \(longitude, latitude\)"):
        Point(120.0, 30.0)


@pytest.mark.parametrize(
    ("field", "change", "needle"),
    [
        ("name", {"name": ""}, "name ''"),
        ("country", {"country": "ua"}, "'ua'"),
        ("country", {"country": "Ukraine"}, "'Ukraine'"),
        ("population", {"population": -1}, "-1"),
        ("population", {"population": True}, "True"),
        ("source", {"source": " "}, "' '"),
        ("address", {"address": "en.wikipedia.org"}, "'en.wikipedia.org'"),
        ("aliases", {"aliases": "Kiev"}, "'Kiev'"),
        ("aliases", {"aliases": ["Kiev", "--"]}, "'--'"),
    ],
)
def test_bad_place_fields_raise_record_error(
    field: str, change: dict[str, Any], needle: str
) -> None:
    fields: dict[str, Any] = {
        "name": "Somewhere",
        "lat": 50.0,
        "lon": 30.0,
        "country": "UA",
        "population": None,
        "source": "made up",
    }
    fields.update(change)
    with pytest.raises(RecordError) as info:
        Place(**fields)
    assert isinstance(info.value, ValueError)
    assert needle in str(info.value)
    assert field.rstrip("s") in str(info.value)
    if field != "name":
        assert "place 'Somewhere'" in str(info.value)


def test_place_accepts_lists_and_integers() -> None:
    made = Place("Somewhere", 50, 30, "UA", 15000, "made up", None, ["Anywhere"])
    assert made.aliases == ("Anywhere",)
    assert (made.lat, made.lon) == (50.0, 30.0)


# --------------------------------------------------------------------------- as_location


class GeoThing:
    """Something with a ``__geo_interface__``, as shapely's Point has."""

    def __init__(self, interface: Any) -> None:
        self.__geo_interface__ = interface

    def __repr__(self) -> str:
        return f"GeoThing({self.__geo_interface__!r})"


def test_as_location_accepts_every_kind_of_point() -> None:
    kyiv = place("Kyiv")
    point = Point(50.45, 30.5233)
    assert as_location("Kiev") is kyiv
    assert as_location(kyiv) is kyiv
    assert as_location(point) is point
    assert as_location((50.45, 30.5233)) == point
    assert as_location([50.45, 30.5233]) == point
    assert as_location("50.45,30.5233") == point
    assert as_location(" 50.45 , 30.5233 ") == point
    assert as_location(GeoThing({"type": "Point", "coordinates": (30.5233, 50.45)})) == point
    assert as_location(GeoThing({"type": "Point", "coordinates": [30.5233, 50.45, 120]})) == point
    assert as_location((Fraction(101, 2), 30)) == Point(50.5, 30.0)  # type: ignore[arg-type]
    assert as_location("Moscow, US") is place("Moscow, US")


def test_as_location_accepts_numpy_numbers() -> None:
    numpy = pytest.importorskip("numpy")
    assert as_location((numpy.float64(50.45), numpy.float32(30.5))) == Point(50.45, 30.5)


@pytest.mark.parametrize(
    ("bad", "needle"),
    [
        ((math.nan, 30.0), "nan"),
        ((50.0, math.inf), "inf"),
        ((91.0, 30.0), "91.0"),
        ([50.0, -180.5], "-180.5"),
        (("50", "30"), "'50'"),
        ((True, 30.0), "True"),
        ((50.0,), "(50.0,)"),
        ((50.0, 30.0, 0.0), "(50.0, 30.0, 0.0)"),
        ([], "[]"),
        ("91,30", "91.0"),
        ("nan,30", "nan"),
        ("50.45", "'50.45'"),
        ("1,2,3", "'1,2,3'"),
        ("", "''"),
        (None, "None"),
        (object, "object"),
        (GeoThing({"type": "LineString", "coordinates": [(0, 0), (1, 1)]}), "LineString"),
        (GeoThing("POINT (30 50)"), "POINT (30 50)"),
        (GeoThing({"type": "Point", "coordinates": (30.0,)}), "(30.0,)"),
        (GeoThing({"type": "Point", "coordinates": (30.0, 95.0)}), "95.0"),
    ],
    ids=repr,
)
def test_as_location_refuses_what_is_not_a_point(bad: object, needle: str) -> None:
    with pytest.raises(CoordinateError) as info:
        as_location(bad)  # type: ignore[arg-type]
    assert isinstance(info.value, ValueError)
    assert needle in str(info.value)


def test_as_location_unknown_name_is_an_unknown_place() -> None:
    with pytest.raises(UnknownPlaceError, match="Narnia"):
        as_location("Narnia")


# --------------------------------------------------------------------------- coordinates as text

KERCH = (45 + 18 / 60 + 31 / 3600, 36 + 30 / 60 + 35 / 3600)  # 45°18′31″N 36°30′35″E by hand


@pytest.mark.parametrize(
    ("text", "lat", "lon"),
    [
        ("-33.9,18.4", -33.9, 18.4),
        ("-33.9 18.4", -33.9, 18.4),
        ("\u221233.9; 18.4", -33.9, 18.4),
        ("+33.9, -18.4", 33.9, -18.4),
        ("45.3086N 36.5097E", 45.3086, 36.5097),
        ("45.3086 n, 36.5097 e", 45.3086, 36.5097),
        ("33.9S 18.4W", -33.9, -18.4),
        ("S33.9 W18.4", -33.9, -18.4),
        ("36.5097E 45.3086N", 45.3086, 36.5097),
        ("45°18′31″N 36°30′35″E", *KERCH),
        ("45° 18′ 31″ N, 36° 30′ 35″ E", *KERCH),
        ("45°18'31\"N 36°30'35\"E", *KERCH),
        ("45d18m31sN 36d30m35sE", *KERCH),
        ("45d18m31sN,36d30m35sE", *KERCH),
        ("45d18.5mS 36dE", -(45 + 18.5 / 60), 36.0),
        ("33°55′S 18°25′E", -(33 + 55 / 60), 18 + 25 / 60),
    ],
)
def test_coordinates_as_text(text: str, lat: float, lon: float) -> None:
    point = as_location(text)
    assert isinstance(point, Point)
    assert point.lat == pytest.approx(lat, abs=1e-12)
    assert point.lon == pytest.approx(lon, abs=1e-12)
    assert point.name is None


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("45d75mN 36E", "minutes 75 is not below 60"),
        ("45d10m60sN 36E", "seconds 60 is not below 60"),
        ("45.3N 36.5N", "both coordinates are latitudes"),
        ("45.3E 36.5W", "both coordinates are longitudes"),
        ("45.3N 36.5", "on both coordinates or on neither"),
        ("-45S 36E", "both a sign and a hemisphere letter"),
        ("N45N 36E", "two hemisphere letters"),
        ("95N 36E", "latitude 95.0 is outside [-90, 90]"),
        ("45.5d10mN 36E", "whole degrees"),
        ("12 13 14", "neither a place name nor coordinates"),
        ("1.2.3", "neither a place name nor coordinates"),
        ("Somewhere=Kyiv", "after '=' give coordinates"),
        ("=45,36", "blank"),
        (" =45,36", "blank"),
        ("x" * 101 + "=45,36", "at most 100"),
        ("a\x07b=45,36", "control characters"),
    ],
)
def test_bad_coordinates_as_text_name_the_fix(text: str, needle: str) -> None:
    with pytest.raises(CoordinateError) as caught:
        as_location(text)
    assert needle in str(caught.value)


def test_named_points() -> None:
    bridge = as_location("Kerch bridge=45.3086,36.5097")
    assert bridge == Point(45.3086, 36.5097, name="Kerch bridge")
    assert bridge.label == "Kerch bridge"
    assert str(bridge) == "Kerch bridge (45.3086°N, 36.5097°E)"
    assert repr(bridge) == "Point(lat=45.3086, lon=36.5097, name='Kerch bridge')"
    assert as_location(" Cape Town = 33°55′S 18°25′E ").label == "Cape Town"
    # A name is part of the point: equal points hash alike, differently named ones differ.
    plain = Point(45.3086, 36.5097)
    assert bridge != plain and bridge.unnamed == plain and hash(bridge.unnamed) == hash(plain)
    assert len({bridge, Point(45.3086, 36.5097, name="Kerch bridge"), plain}) == 2
    assert pickle.loads(pickle.dumps(bridge)) == bridge
    assert bridge.__geo_interface__ == plain.__geo_interface__
    assert plain.label == plain.coordinates == "45.3086°N, 36.5097°E"
    with pytest.raises(RecordError, match="must be a str"):
        Point(1.0, 2.0, name=3)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "city"),
    [("37.6173,55.7558", "Moscow"), ("18.4241,-33.9249", "Cape Town"), ("2.3522,48.8566", "Paris")],
)
def test_swapped_coordinates_warn(text: str, city: str) -> None:
    with pytest.warns(WeaponsrefWarning, match=f"near {city}, .*Latitude comes first") as caught:
        point = as_location(text)
    assert len(caught) == 1
    assert str(point.lat) == text.split(",")[0]  # read as given, latitude first


@pytest.mark.parametrize(
    "text",
    [
        "55.7558,37.6173",  # Moscow, the right way round
        "50.45,30.5233",  # Kyiv: also near a city when swapped, so no warning
        "45.3086N 36.5097E",  # hemisphere letters say which is which
        "0.0,-140.0",  # the open Pacific both ways
    ],
)
def test_coordinates_that_do_not_look_swapped_do_not_warn(text: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        as_location(text)
