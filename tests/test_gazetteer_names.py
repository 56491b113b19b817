"""Names as a newsroom types them (issue 20, items 1 to 3): a place's own name before an
alternate or former name, namesakes and the strict mode, ``"NAME, CC"`` and
``"geonames:ID"``, regions, towns of 1,000+ people, sections of cities that are never listed,
and airports by name, short name and ICAO code.

Expected values are read from the extracts the database is built from
(``tools/data/*.tsv.gz``), not through the gazetteer."""

from __future__ import annotations

import gzip
import json
import pickle
from functools import cache
from pathlib import Path

import pytest
from helpers import run_cli as run

import weaponsref as wr
from weaponsref._text import fold
from weaponsref.errors import (
    ArgumentError,
    ArgumentValueError,
    RecordError,
    UnknownPlaceError,
)
from weaponsref.gazetteer import (
    AmbiguousPlaceError,
    Gazetteer,
    Place,
    as_location,
    namesakes,
    place,
    place_arrays,
    places_in_box,
    use_gazetteer,
)

ROOT = Path(__file__).resolve().parent.parent
EXTRACTS = ROOT / "tools" / "data"


@cache
def geonames(geonameid: int) -> list[str]:
    """The extract's row of ``geonameid``: geonameid, name, lat, lon, country, admin1,
    feature, population, alternate names."""
    text = gzip.decompress((EXTRACTS / "geonames-places.tsv.gz").read_bytes()).decode("utf-8")
    for line in text.splitlines()[1:]:
        if line.startswith(f"{geonameid}\t"):
            return line.split("\t")
    raise AssertionError(f"no row {geonameid} in the extract")


@cache
def airport(icao: str) -> list[str]:
    """The extract's row of the airport ``icao``."""
    text = gzip.decompress((EXTRACTS / "airports.tsv.gz").read_bytes()).decode("utf-8")
    for line in text.splitlines()[1:]:
        if line.startswith(f"{icao}\t"):
            return line.split("\t")
    raise AssertionError(f"no airport {icao} in the extract")


def is_row(found: Place, geonameid: int) -> bool:
    row = geonames(geonameid)
    return found.address == f"https://www.geonames.org/{geonameid}" and (
        found.name,
        found.lat,
        found.lon,
        found.country,
    ) == (row[1], float(row[2]), float(row[3]), row[4])


POKROVSK_UA, POKROVSK_RU, ENGELS = 704422, 2017824, 563464

# --------------------------------------------------------------------------- own names first


def test_a_places_own_name_beats_a_former_name_of_another() -> None:
    # Engels was called Pokrovsk until 1931: GeoNames keeps it as an alternate name.
    assert "Pokrovsk" in geonames(ENGELS)[8].split("|")
    assert int(geonames(ENGELS)[7]) > int(geonames(POKROVSK_UA)[7])  # and it is bigger
    found = place("Pokrovsk")
    assert is_row(found, POKROVSK_UA)
    assert found.qualified_name == "Pokrovsk, Donetsk, UA"
    assert is_row(place("Engels"), ENGELS)


def test_lgov_is_the_geonames_record_of_the_town() -> None:
    # GeoNames has no place of 1,000+ people named Lgov: the town is "L’govskiy", whose
    # alternate names are Lgov and Льгов.
    row = geonames(535334)
    assert row[1] == "L’govskiy"
    assert {"lgov", "льгов"} <= {fold(name) for name in row[8].split("|")}
    assert is_row(place("Lgov"), 535334)
    assert place("Lgov").region == "Kursk Oblast"


# --------------------------------------------------------------------------- namesakes


def test_namesakes_list_the_places_a_name_fits_equally() -> None:
    found = namesakes("Pokrovsk")
    assert len(found) == 2
    assert is_row(found[0], POKROVSK_UA) and is_row(found[1], POKROVSK_RU)
    assert found[0] is place("Pokrovsk")
    assert [p.qualified_name for p in found] == ["Pokrovsk, Donetsk, UA", "Pokrovsk, Sakha, RU"]
    # Engels fits "Pokrovsk" only by a former name: no namesake.
    assert place("Engels") not in found
    assert namesakes("Kharkiv") == (place("Kharkiv"),)
    assert namesakes("Kyiv") == (place("Kyiv"),)  # the article place alone


@pytest.mark.parametrize(
    ("name", "geonameid"),
    [
        ("Pokrovsk, UA", POKROVSK_UA),
        ("pokrovsk ,ru", POKROVSK_RU),
        ("geonames:704422", POKROVSK_UA),
        ("GeoNames: 2017824", POKROVSK_RU),
    ],
)
def test_a_country_code_or_a_geonames_id_picks_one(name: str, geonameid: int) -> None:
    found = place(name, strict=True)
    assert is_row(found, geonameid)
    assert namesakes(name) == (found,)
    assert found.reference == f"geonames:{geonameid}"
    assert place(found.reference) is found


def test_an_unknown_geonames_id_is_an_unknown_place() -> None:
    with pytest.raises(UnknownPlaceError):
        place("geonames:1")
    with pytest.raises(UnknownPlaceError):
        place(f"geonames:{POKROVSK_UA}", kind="airport")


def test_strict_raises_listing_the_namesakes() -> None:
    with pytest.raises(AmbiguousPlaceError) as info:
        place("Pokrovsk", strict=True)
    error = info.value
    assert isinstance(error, ArgumentValueError) and isinstance(error, ValueError)
    assert error.name == "Pokrovsk"
    assert error.candidates == namesakes("Pokrovsk")
    message = str(error)
    for needed in ("2 places", "Donetsk, UA (geonames:704422)", "Sakha, RU (geonames:2017824)"):
        assert needed in message
    assert "'NAME, CC'" in message and "'geonames:ID'" in message
    again = pickle.loads(pickle.dumps(error))
    assert (type(again), str(again), again.candidates) == (type(error), message, error.candidates)
    assert place("Pokrovsk", strict=False) is place("Pokrovsk")


def test_a_strict_gazetteer_raises_in_every_lookup(tmp_path: Path) -> None:
    strict = Gazetteer(tmp_path, strict=True)
    assert strict.strict and not Gazetteer(tmp_path).strict
    assert repr(strict) == f"Gazetteer({str(tmp_path)!r}, strict=True)"
    assert repr(Gazetteer(user=False, strict=True)) == "Gazetteer(user=False, strict=True)"
    with pytest.raises(AmbiguousPlaceError):
        strict.place("Pokrovsk")
    assert is_row(strict.place("Pokrovsk", strict=False), POKROVSK_UA)
    with use_gazetteer(strict):
        with pytest.raises(AmbiguousPlaceError):
            as_location("Pokrovsk")
        with pytest.raises(AmbiguousPlaceError):
            wr.distance("Kharkiv", "Pokrovsk")
        assert is_row(as_location("Pokrovsk, UA"), POKROVSK_UA)  # type: ignore[arg-type]
    with pytest.raises(ArgumentError):
        Gazetteer(strict="yes")  # type: ignore[arg-type]
    with pytest.raises(ArgumentError):
        place("Pokrovsk", strict="yes")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- towns, regions


@pytest.mark.parametrize(
    ("name", "geonameid", "region"),
    [("Sudzha", 486816, "Kursk Oblast"), ("Chasiv Yar", 710915, "Donetsk")],
)
def test_towns_of_a_thousand_people_are_found(name: str, geonameid: int, region: str) -> None:
    found = place(name)
    assert is_row(found, geonameid)
    assert 1_000 <= int(geonames(geonameid)[7]) < 15_000
    assert (found.kind, found.region, found.population) == (
        "city",
        region,
        int(geonames(geonameid)[7]),
    )
    assert found.population_source == "GeoNames, dump of 2023-03-05"
    # A town under 15,000 people is found but not listed, as before.
    box = (found.lat - 0.01, found.lon - 0.01, found.lat + 0.01, found.lon + 0.01)
    assert found not in places_in_box(*box)


def test_sections_of_cities_are_found_but_never_listed() -> None:
    # Al Mawşil al Jadīdah is a section of Mosul (PPLX) with more people than Mosul itself.
    section, city = geonames(99071), geonames(99072)
    assert (section[6], city[1]) == ("PPLX", "Mosul")
    assert int(section[7]) > int(city[7])
    found = place(section[1])
    assert is_row(found, 99071) and found.kind == "section"
    box = (35.9, 42.7, 36.7, 43.5)
    assert places_in_box(*box, limit=3)[0].name == "Mosul"
    assert found not in places_in_box(*box, limit=1000)
    arrays = place_arrays()
    listed = {arrays.place(i).kind for i in range(len(arrays.hits))}
    assert listed <= {"city", None}  # None: an article place with no GeoNames twin
    assert sum(arrays.populations) < 5_000_000_000  # counts no section twice over


# --------------------------------------------------------------------------- airports


@pytest.mark.parametrize(
    ("name", "icao"),
    [
        ("Engels air base", "XWSG"),
        ("Engels airbase", "XWSG"),
        ("Engels Airbase", "XWSG"),
        ("XWSG", "XWSG"),
        ("Morozovsk air base", "URRM"),
        ("Belbek", "URFB"),
        ("Belbek airport", "URFB"),
        ("UWSG", "UWSG"),
        ("uwsg", "UWSG"),
        ("KBP", "UKBB"),
    ],
)
def test_airports_by_name_short_name_and_code(name: str, icao: str) -> None:
    row = airport(icao)
    found = place(name)
    assert (found.code, found.name, found.kind) == (icao, row[2], "airport")
    assert (found.lat, found.lon, found.country, found.region) == (
        float(row[3]),
        float(row[4]),
        row[5],
        row[6],
    )
    assert found.population is None and found.address is None
    assert found.source == f"airportsdata 20260905 (MIT), ICAO {icao}"
    assert found.reference == icao


def test_belbek_is_an_other_name_of_sevastopols_airport() -> None:
    # airportsdata names URFB "Sevastopol International Airport"; airports-py names the same
    # airport (IATA UKS, within 0.1 degrees) "Belbek Airport".
    row = airport("URFB")
    assert (row[1], row[2], row[9]) == ("UKS", "Sevastopol International Airport", "Belbek Airport")


@pytest.mark.parametrize(("town", "icao"), [("Engels", "XWSG"), ("Morozovsk", "URRM")])
def test_a_town_and_its_air_base_are_told_apart(town: str, icao: str) -> None:
    assert place(town).kind == "city"
    assert namesakes(town) == (place(town),)  # the air base is no namesake: a lower tier
    assert place(town, kind="airport").code == icao
    assert place(town, kind="city") is place(town)


def test_a_bad_kind_is_refused() -> None:
    with pytest.raises(ArgumentValueError, match="'town'"):
        place("Engels", kind="town")
    with pytest.raises(ArgumentError):
        place("Engels", kind=1)  # type: ignore[arg-type]
    with pytest.raises(UnknownPlaceError):
        place("Kharkiv", kind="section")


def test_the_kerch_bridge_is_a_landmark_and_any_point_can_be_named() -> None:
    # The bridge is a landmark of places.toml, with the coordinates its page gives; a point
    # of one's own is named with NAME=COORDINATES.
    assert place("Kerch bridge").kind == "landmark"
    point = as_location("Kerch bridge=45.3086N 36.5097E")
    assert (point.name, point.lat, point.lon) == ("Kerch bridge", 45.3086, 36.5097)


# --------------------------------------------------------------------------- records


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"region": " "}, "region"),
        ({"region": 5}, "region"),
        ({"kind": "town"}, "kind"),
        ({"code": "XW"}, "code"),
        ({"population_source": ""}, "population_source"),
    ],
)
def test_a_bad_gazetteer_field_is_a_record_error(change: dict[str, object], field: str) -> None:
    with pytest.raises(RecordError, match=field):
        Place("Testopol", 10.0, 20.0, "UA", None, "made up", **change)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- the command line


def test_the_command_line_warns_once_listing_the_namesakes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, err = run(capsys, "ring", "500 km", "--from", "Pokrovsk")
    assert status == 0 and out
    (line,) = err.splitlines()
    assert line.startswith("weaponsref: warning: --from 'Pokrovsk' fits 2 places; using ")
    assert "Pokrovsk, Donetsk, UA (geonames:704422)" in line
    assert "not Pokrovsk, Sakha, RU (geonames:2017824)" in line
    assert "'geonames:ID'" in line
    for chosen in ("Pokrovsk, UA", "geonames:704422", "Kharkiv"):
        status, out, err = run(capsys, "ring", "500 km", "--from", chosen)
        assert (status, err) == (0, "")


def test_the_places_command_shows_regions_kinds_and_the_populations_source(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, _ = run(capsys, "places", "Pokrovsk", "--limit", "2", "--format", "json")
    assert status == 0
    rows = json.loads(out)
    assert [(r["region"], r["country"], r["reference"]) for r in rows] == [
        ("Donetsk", "UA", "geonames:704422"),
        ("Sakha", "RU", "geonames:2017824"),
    ]
    assert rows[0]["kind"] == "city"
    assert rows[0]["population_source"] == "GeoNames, dump of 2023-03-05"
    status, out, _ = run(capsys, "places", "Engels air base")
    assert status == 0 and "XWSG" in out and "airport" in out
    status, out, _ = run(capsys, "places", "Pokrovsk", "--limit", "2")
    assert status == 0
    assert out.rstrip().endswith("Populations: GeoNames, dump of 2023-03-05.")


@pytest.mark.parametrize(
    ("name", "kind"), [("Crimea", "region"), ("Ukraine", "country"), ("RU-KRS", "region")]
)
def test_an_area_name_given_as_a_place_says_it_is_an_area(name: str, kind: str) -> None:
    """No place is named 'Crimea': the error says that the name is an area's and how to give
    it as one, in place of places with similar names, and keeps that through pickling (a
    worker process's error); a name that is neither still gets suggestions."""
    with pytest.raises(UnknownPlaceError) as caught:
        wr.place(name)
    error = caught.value
    assert error.because == (
        f"{name!r} names an area (a {kind}), not a place: give it as wr.area({name!r}), or "
        "with --from-area on the command line, to measure from its border"
    )
    assert str(error) == f"no place named {name!r} in the gazetteer; {error.because}"
    assert error.area_own_name and error.area == wr.area(name).name
    assert error.suggestions == ()
    again = pickle.loads(pickle.dumps(error))
    assert (type(again), str(again), again.because, again.area, again.area_own_name) == (
        UnknownPlaceError,
        str(error),
        error.because,
        error.area,
        True,
    )
    with pytest.raises(UnknownPlaceError, match="names an area"):
        wr.reaches("Bober", name, "Moscow")
    with pytest.raises(UnknownPlaceError) as caught:
        wr.place("Ukrainx")
    assert caught.value.because is None and "did you mean 'Ukrainka'" in str(caught.value)
    assert caught.value.area is None and not caught.value.area_own_name


def test_an_areas_other_name_keeps_the_place_suggestions_first() -> None:
    """'Kyyiv' is one of Kyiv Oblast's other names, but more likely a misspelt Kyiv: the
    suggestions come first, then that it also names an area."""
    with pytest.raises(UnknownPlaceError) as caught:
        wr.place("Kyyiv")
    error = caught.value
    assert error.suggestions[0] == "Kyiv"
    assert (error.area, error.area_own_name) == ("Kyiv Oblast", False)
    again = pickle.loads(pickle.dumps(error))
    assert (again.area, again.area_own_name, str(again)) == ("Kyiv Oblast", False, str(error))
    assert str(error) == (
        f"no place named 'Kyyiv' in the gazetteer; did you mean {', '.join(map(repr, error.suggestions[:-1]))} "
        f"or {error.suggestions[-1]!r}? 'Kyyiv' also names an area, Kyiv Oblast (a region): give "
        "it as wr.area('Kyyiv'), or with --from-area on the command line, to measure from its "
        "border"
    )
